#!/bin/sh
# The whole suite once more against the extension built with AddressSanitizer
# and UndefinedBehaviorSanitizer.  The server itself is not instrumented: the
# ASan and UBSan runtimes are preloaded into it (LD_PRELOAD), so the
# instrumented module loads into a server whose malloc and friends ASan
# already intercepts.  Fails on any sanitizer report or server crash.
#
# Runs as root (CI does): builds a copy of the tree in a scratch directory,
# installs it there (DESTDIR), starts a throwaway cluster of its own that
# loads extensions from there (Debian's extension_destdir) with the runtimes
# preloaded, checks that its backends really load the instrumented module,
# runs that copy's test/run.sh against it, stops it, then fails if any
# sanitizer report was written or a server process died abnormally.  The
# normal installation is not touched; the cluster listens on a Unix socket
# in the scratch directory only, and is stopped and removed on exit.
# Takes about 3 minutes.
#
#	sh test/sanitize.sh
#
# Settings (environment): PG_CONFIG (default PostgreSQL 15's), SANITIZE_PORT
# (the socket's number, default 54329), SANITIZE_KEEP=1 keeps the scratch
# directory (build, server.log, reports) for a look afterwards.
#
# Where reports go: ASan's to files in the scratch directory (log_path).
# UBSan's to the server log: with both runtimes preloaded, libubsan's call
# that would set its log_path binds to libasan's copy of that function, so
# UBSan keeps writing to stderr, which pg_ctl -l sends to server.log; this
# script takes every "runtime error:" from there, with its stack.
#
# Why test/asan_initfirst.c, preloaded between the two runtimes (details in
# the file):
#   - with the ASan runtime preloaded, the stock postgres binary hangs at
#     start, even `postgres --version`: libasan's constructor runs after
#     those of the libraries postgres links; libgpg-error's constructor
#     calls bindtextdomain(), whose malloc() under glibc's gettext lock is
#     the first call ASan intercepts; ASan initialises there and calls
#     dlerror(), which calls dcgettext(), which unlocks that lock from
#     inside; the lock is left corrupted and main()'s own bindtextdomain()
#     waits on it forever (clang's ASan runtime does the same).  The
#     helper, marked DF_1_INITFIRST, initialises ASan before any other
#     constructor runs.
#   - the runtimes read their options from the process's original
#     environment block, which the postmaster overwrites with its ps
#     display; UBSan reads them at its first report, in a backend, and
#     would find none (no abort: the backend would exit with code 1, which
#     the postmaster takes for a normal exit).  The helper keeps a copy of
#     UBSAN_OPTIONS made before main() and hands it to UBSan.
#
# What ASan sees: accesses by the instrumented module to its stack, its
# globals and malloc'd memory (the server's malloc, free, memcpy, str* calls
# are checked too).  palloc'd chunks live inside the server's larger
# memory-context blocks with no red zones between them, so an overrun of one
# palloc'd chunk into the next one goes unseen; only chunks allocated on
# their own (over 8 kB) and the ends of blocks are guarded.
#
# A suite that kills server processes on purpose (faults) skips itself here:
# it runs only on a pg_virtualenv cluster.
set -eu

cd "$(dirname "$0")/.."
. test/cluster.sh
asan=$(gcc -print-file-name=libasan.so)
ubsan=$(gcc -print-file-name=libubsan.so)
[ -f "$asan" ] && [ -f "$ubsan" ] || { echo "sanitizer runtimes not found" >&2; exit 2; }
port=${SANITIZE_PORT:-54329}
start=$(date +%s)
cluster_prepare sanitize "${SANITIZE_KEEP:-0}"

echo "=== build with -fsanitize=address,undefined (in $work)"
cluster_build \
	PG_CFLAGS='-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1' \
	SHLIB_LINK='-fsanitize=address,undefined'
gcc -shared -fPIC -O2 -Wl,-z,initfirst -o "$work/asan_initfirst.so" test/asan_initfirst.c
chmod a+rX "$work/asan_initfirst.so"

mkdir "$work/reports"
chown postgres:postgres "$work/reports"
# libasan first (ASan insists on it), then the helper (its
# __ubsan_default_options must come before libubsan's).
# detect_leaks=0: the server frees by memory context, not by free().
# abort_on_error=1 for UBSan too: a backend that exits with code 1 counts
# as a clean exit to the postmaster, one killed by SIGABRT as a crash.
env="LD_PRELOAD='$asan $work/asan_initfirst.so $ubsan' \
ASAN_OPTIONS='detect_leaks=0:abort_on_error=1:log_path=$work/reports/asan' \
UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:abort_on_error=1'"

# A runtime that cannot start the server would otherwise hang pg_ctl.
if ! as_postgres "timeout 60 env $env $bindir/postgres --version" >/dev/null; then
	echo "postgres does not start with the sanitizer runtimes preloaded" >&2
	exit 1
fi

echo "=== throwaway cluster with the runtimes preloaded (socket $work, port $port)"
cluster_start sanitize "$port" "$env"
log=$work/sanitize/server.log

# The instrumented module, not the normal installation's, in a backend that
# has the ASan runtime.
maps=$(cluster_maps)
if ! echo "$maps" | grep -q 'libasan'; then
	echo "the backends do not load libasan:" >&2
	echo "$maps" | grep 'time_entry\|asan' >&2
	exit 1
fi
echo "backends load $(echo "$maps" | grep -o "$work/dest/.*/time_entry\.so" | head -1)"

status=0
sh "$work/src/test/run.sh" || status=$?
suite=$status

echo
echo "=== stop the cluster"
cluster_stop sanitize || status=1

reports=$(find "$work/reports" -type f -size +0 | wc -l)
if [ "$reports" -ne 0 ]; then
	# One full report per kind (the same report from many backends differs
	# only in pids and addresses), with how many times it was written.
	echo "=== ASan reports: $reports, by kind"
	for f in "$work"/reports/*; do
		sed -e 's/==[0-9]*==//g' -e 's/0x[0-9a-f]*//g' "$f" | md5sum | cut -c1-12 | tr '\n' ' '
		echo "$f"
	done | sort | awk '{ n[$1]++; if (!($1 in first)) first[$1] = $2 }
		END { for (k in n) print n[k], first[k] }' | sort -rn >"$work/kinds"
	while read -r n f; do
		echo "--- written $n time(s), e.g. $(basename "$f"):"
		cat "$f"
	done <"$work/kinds"
	status=1
fi
# UBSan's reports, each with the stack lines after it.
ub=$(grep -c 'runtime error:' "$log" || true)
if [ "$ub" -ne 0 ]; then
	echo "=== UBSan reports (server log): $ub"
	awk '/runtime error:/ { on = 1; print; next }
		on && /^ *#[0-9]/ { print; next }
		{ on = 0 }' "$log"
	status=1
fi
reports=$((reports + ub))
# Reports that went to stderr instead, and server processes that died: a
# crash is "terminated by signal"; other abnormal exits are logged with their
# code (a background worker's exit code 1, as the logical replication
# launcher's at every shutdown, is normal; a backend's is not logged).
if grep -E 'terminated by signal|terminated by exception|exited with unrecognized status|exited with exit code|ERROR: AddressSanitizer' \
	"$log" | grep -v 'exited with exit code 1$' >"$work/died"; then
	echo "=== the server log shows a crash or an ASan report:"
	cat "$work/died"
	status=1
fi
echo
echo "sanitizers: $reports reports; test/run.sh exit $suite; $(($(date +%s) - start)) s"
exit $status
