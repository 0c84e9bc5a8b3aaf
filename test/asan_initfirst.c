/*
 * asan_initfirst.c: preloaded by test/sanitize.sh between the ASan and the
 * UBSan runtime, built there with
 *
 *	cc -shared -fPIC -Wl,-z,initfirst -o asan_initfirst.so asan_initfirst.c
 *
 * It does two things for a stock postgres binary that the runtimes are
 * preloaded into.
 *
 * 1. It initialises AddressSanitizer before any other library's
 *    constructor runs.  Without that, postgres hangs at start (even
 *    `postgres --version`):
 *
 *   - ld.so runs constructors dependencies-first, and a preloaded library
 *     depends on nothing the others need, so libasan's own constructor runs
 *     last, after those of the ~45 libraries postgres links;
 *   - one of them, libgpg-error (postgres -> libsystemd -> libgcrypt ->
 *     libgpg-error), calls bindtextdomain() in its constructor; glibc takes
 *     the gettext write lock _nl_state_lock and calls malloc();
 *   - that malloc() is the first call ASan intercepts, so ASan initialises
 *     itself there, still under the lock; its initialisation looks up
 *     swift_demangle with dlsym(), which fails, and clears the error with
 *     dlerror(), which translates the message with dcgettext();
 *   - dcgettext() read-locks _nl_state_lock: glibc refuses (EDEADLK, the
 *     thread is the writer), dcgettext ignores that and unlocks, which
 *     releases the writer's lock; bindtextdomain's own unlock then counts
 *     as a reader's unlock and leaves the lock with -1 readers;
 *   - main() -> set_pglocale_pgservice() -> bindtextdomain() waits for
 *     write access to that lock forever.
 *
 *    A small program works because nothing calls malloc() under that lock
 *    before libasan's constructor; one built with -fsanitize=address works
 *    because its ASan starts from the executable's .preinit_array.
 *
 *    DF_1_INITFIRST (-z initfirst) makes ld.so run this library's
 *    constructor before every other one (libc's early initialisation needs
 *    no constructor), which gives the preloaded runtime that same early
 *    start.  __asan_init is exported by GCC's libasan and by clang's
 *    runtime; the runtime's own constructor later finds it done.
 *
 * 2. It hands UBSAN_OPTIONS to the UBSan runtime even after postgres has
 *    overwritten its environment.  The sanitizer runtimes read their
 *    options from /proc/self/environ, the process's original environment
 *    block, when they initialise.  UBSan does that at its first report, in
 *    a backend; by then the postmaster has overwritten that block with its
 *    ps display (save_ps_display_args moves environ elsewhere and
 *    set_ps_display writes over the old argv and environ area), so UBSan
 *    would find no options: it would report to stderr and exit with code
 *    1, which the postmaster takes for a normal exit.  The copy made here,
 *    before main(), is returned by __ubsan_default_options, the hook UBSan
 *    asks for its defaults; preloaded ahead of libubsan, this definition
 *    is the one it gets.  (ASan read its options in step 1, before main.)
 */
#include <string.h>

extern void __asan_init(void);

static char ubsan_options[4096];

const char *__ubsan_default_options(void);

const char *
__ubsan_default_options(void)
{
	return ubsan_options;
}

/* glibc passes argc, argv and envp to constructors */
__attribute__((constructor))
static void
asan_initfirst(int argc, char **argv, char **envp)
{
	static const char name[] = "UBSAN_OPTIONS=";

	(void) argc;
	(void) argv;
	__asan_init();
	for (char **e = envp; e != NULL && *e != NULL; e++)
	{
		if (strncmp(*e, name, sizeof(name) - 1) == 0)
		{
			strncpy(ubsan_options, *e + sizeof(name) - 1,
					sizeof(ubsan_options) - 1);
			break;
		}
	}
}
