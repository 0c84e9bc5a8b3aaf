/*
 * Preloaded by test/clock.sh into the server, before libfaketime: the
 * waits PostgreSQL makes (epoll_wait, select, poll and their variants)
 * as plain system calls.
 *
 * libfaketime wraps these waits too (to scale them when the fake clock
 * runs faster or slower), and while one blocks it sets its "do not fake"
 * flag.  A signal handler that reads the clock during such a wait is then
 * given the real clock.  PostgreSQL's timeouts are such handlers (SIGALRM:
 * is the timeout due yet?): in a server whose clock is years ahead they
 * read the real clock, find their fake-time deadline years away, and set
 * the timer again.  So deadlock_timeout (deadlock detection),
 * statement_timeout and lock_timeout never fire while a backend waits,
 * and a deadlock would hang instead of failing.  Here the waits reach the
 * kernel directly; test/clock.sh checks that statement_timeout fires.
 *
 * Only for an unscaled fake clock (no "x" speed in FAKETIME), as
 * test/clock.sh uses it.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* the kernel's sigset_t is 64 bits */
#define KERNEL_SIGSET_BYTES 8

int
epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout,
			const sigset_t *sigmask)
{
	return syscall(SYS_epoll_pwait, epfd, events, maxevents, timeout, sigmask,
				   KERNEL_SIGSET_BYTES);
}

int
epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	return epoll_pwait(epfd, events, maxevents, timeout, NULL);
}

int
ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
	  const sigset_t *sigmask)
{
	struct timespec copy;		/* the kernel writes the time left into it */

	if (timeout)
		copy = *timeout;
	return syscall(SYS_ppoll, fds, nfds, timeout ? &copy : NULL, sigmask,
				   KERNEL_SIGSET_BYTES);
}

int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct timespec ts;

	ts.tv_sec = timeout / 1000;
	ts.tv_nsec = (long) (timeout % 1000) * 1000000;
	return ppoll(fds, nfds, timeout >= 0 ? &ts : NULL, NULL);
}

int
pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
		const struct timespec *timeout, const sigset_t *sigmask)
{
	struct timespec copy;
	struct
	{
		const sigset_t *ss;
		size_t		len;
	}			mask = {sigmask, KERNEL_SIGSET_BYTES};

	if (timeout)
		copy = *timeout;
	return syscall(SYS_pselect6, nfds, readfds, writefds, exceptfds,
				   timeout ? &copy : NULL, sigmask ? &mask : NULL);
}

int
select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
	   struct timeval *timeout)
{
	struct timespec ts;
	int			rc;

	if (timeout)
	{
		ts.tv_sec = timeout->tv_sec;
		ts.tv_nsec = timeout->tv_usec * 1000;
	}
	rc = syscall(SYS_pselect6, nfds, readfds, writefds, exceptfds,
				 timeout ? &ts : NULL, NULL);
	/* as Linux's select: the time left */
	if (timeout)
	{
		timeout->tv_sec = ts.tv_sec;
		timeout->tv_usec = ts.tv_nsec / 1000;
	}
	return rc;
}
