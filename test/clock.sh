#!/bin/sh
# The whole suite again at other instants than today: no test may depend on
# the day, the hour or the time zone it runs in.
#
# Runs as root (CI does): builds a copy of the tree in a scratch directory
# and installs it there (DESTDIR), then for each instant below starts a
# throwaway cluster of its own (test/cluster.sh) whose server runs under
# libfaketime (Debian package faketime), preloaded into the server started
# with pg_ctl only: its clock starts at the instant and ticks on from there.
# (Running all of pg_virtualenv under faketime crashed the startup
# process.)  test/faketime_waits.c, preloaded before libfaketime, keeps
# PostgreSQL's timeouts (deadlock detection, statement_timeout) working
# there (details in the file).  Before the suites, the script checks that
# the server's clock really is the instant, that the backends map
# libfaketime, the helper and the scratch directory's time_entry.so, that
# statement_timeout fires, and the server's time zone; then it runs that
# copy's test/run.sh against the cluster, with the clients' TZ set to the
# instant's zone as on a machine there; afterwards it checks that the run
# crossed the instant's boundary.  The clusters listen on a Unix socket in
# the scratch directory only, and are stopped and removed.
#
# The instants (the start of the server's clock, in UTC; its time zone):
#
#   years-ahead    2093-06-15 12:00:00  UTC
#                  decades ahead, past every year a test once took for
#                  "the future"
#   utc-midnight   2029-12-31 23:59:55  UTC
#                  the last seconds of a UTC day (and year): the run
#                  crosses midnight
#   berlin-spring  2030-03-31 00:59:50  Europe/Berlin
#                  the run crosses 01:00 UTC, when Berlin's clocks jump
#                  from 02:00 to 03:00
#   berlin-autumn  2030-10-27 00:59:50  Europe/Berlin
#                  ... and from 03:00 back to 02:00
#   kiritimati     2031-07-15 09:59:50  Pacific/Kiritimati
#                  UTC+14, the server's day a day ahead of UTC's: the run
#                  crosses the server's midnight
#
# At years-ahead every suite runs as in `make test`, but on the write path
# auto only (the rules judge days before any write, and `make test` runs
# both paths), without faults (which skips itself: it kills server
# processes, which it does only on a pg_virtualenv cluster) and without
# router (which judges no day, and starts a second cluster of its own on
# the real clock).  The other instants are about the day and the zone:
# they run everything on the write path auto, but the concurrency suites
# (which have no day rule; their entries lie a year before the clock, or
# on fixed days), the router and the node example, and the fuzzer over
# 5 000 requests in chunks of 500 instead of 20 000 in chunks of 1 000
# (its day-relative requests are a part of them).
#
#	sh test/clock.sh
#
# Settings (environment): PG_CONFIG (default PostgreSQL 15's), CLOCK_PORT
# (the socket's number, default 54339), CLOCK_INSTANTS (names of the
# instants to run, default all), CLOCK_KEEP=1 keeps the scratch directory
# (build, and each instant's server.log and run.log).
set -eu

cd "$(dirname "$0")/.."
. test/cluster.sh
port=${CLOCK_PORT:-54339}
start=$(date +%s)

# name|start (UTC)|time zone|a boundary the run must cross (UTC)|test/run.sh's settings
short="TE_WRITE_PATHS=auto RUN_SKIP=concurrency,lifecycle_concurrency,router,node_example FUZZ_N=5000 FUZZ_CHUNK=500"
instants="\
years-ahead|2093-06-15 12:00:00|UTC||TE_WRITE_PATHS=auto RUN_SKIP=router
utc-midnight|2029-12-31 23:59:55|UTC|2030-01-01 00:00:00|$short
berlin-spring|2030-03-31 00:59:50|Europe/Berlin|2030-03-31 01:00:00|$short
berlin-autumn|2030-10-27 00:59:50|Europe/Berlin|2030-10-27 01:00:00|$short
kiritimati|2031-07-15 09:59:50|Pacific/Kiritimati|2031-07-15 10:00:00|$short"
selected=${CLOCK_INSTANTS:-$(echo "$instants" | cut -d'|' -f1 | tr '\n' ' ')}
for name in $selected; do
	echo "$instants" | grep -q "^$name|" || { echo "unknown instant: $name" >&2; exit 2; }
done

faketime=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$faketime" ] || { echo "libfaketime not found (Debian package faketime)" >&2; exit 2; }

cluster_prepare clock "${CLOCK_KEEP:-0}"
echo "=== build (in $work)"
cluster_build
gcc -shared -fPIC -O2 -o "$work/faketime_waits.so" test/faketime_waits.c
chmod a+rX "$work/faketime_waits.so"

# The server's clock in UTC, to the second.
server_clock()
{
	psql -X -A -t -v ON_ERROR_STOP=1 \
		-c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
}

passed=""
failed=""
for name in $selected; do
	line=$(echo "$instants" | grep "^$name|")
	at=$(echo "$line" | cut -d'|' -f2)
	zone=$(echo "$line" | cut -d'|' -f3)
	crosses=$(echo "$line" | cut -d'|' -f4)
	settings=$(echo "$line" | cut -d'|' -f5)
	began=$(date +%s)
	echo
	echo "=================== $name: the server's clock starts at $at UTC, time zone $zone"

	# initdb on the real clock, in the instant's zone (which initdb takes
	# for the cluster's); the server under libfaketime, which reads
	# FAKETIME in the process's own zone: UTC
	export TZ="$zone"
	cluster_start "$name" "$port" \
		"TZ=UTC LD_PRELOAD='$work/faketime_waits.so $faketime' FAKETIME='@$at' FAKETIME_DONT_FAKE_MONOTONIC=1" \
		"-c TimeZone=$zone"

	# The clock is moved: between the instant and a few minutes after it,
	# years away from the real clock.
	clock=$(server_clock)
	echo "server clock $clock UTC (real clock $(date -u '+%Y-%m-%d %H:%M:%S') UTC)"
	if [ "$(psql -X -A -t -c "SELECT clock_timestamp() BETWEEN timestamptz '$at+00'
	                                                   AND timestamptz '$at+00' + interval '5 minutes'
	                                 AND abs(extract(epoch FROM clock_timestamp()) - $(date +%s)) > 86400")" != t ]; then
		echo "FAILED: the server's clock is not moved to $at UTC (it reads $clock UTC)" >&2
		exit 1
	fi
	maps=$(cluster_maps)
	if ! echo "$maps" | grep -q "$faketime" || ! echo "$maps" | grep -q "$work/faketime_waits.so"; then
		echo "FAILED: the backends do not map $faketime and $work/faketime_waits.so" >&2
		exit 1
	fi
	# A timeout fires on time (see test/faketime_waits.c).
	t0=$(date +%s%N)
	if psql -X -q -c "SET statement_timeout = '200ms'" -c "SELECT pg_sleep(10)" >/dev/null 2>&1 ||
	   [ $((($(date +%s%N) - t0) / 1000000)) -gt 5000 ]; then
		echo "FAILED: statement_timeout did not cancel pg_sleep(10) within 5 s: timeouts do not fire" >&2
		exit 1
	fi
	server_zone=$(psql -X -A -t -c 'SHOW TimeZone')
	if [ "$server_zone" != "$zone" ]; then
		echo "FAILED: the server's time zone is $server_zone, not $zone" >&2
		exit 1
	fi
	echo "backends map $faketime and $(echo "$maps" | grep -o "$work/dest/.*/time_entry\.so" | head -1);" \
		"statement_timeout fires; TimeZone $server_zone; the clients' TZ $TZ"

	status=0
	echo "test/run.sh ${settings:-(everything)}"
	env $settings sh "$work/src/test/run.sh" >"$work/$name/run.log" 2>&1 || status=$?
	grep -E '^##### |^=== .* \(server clock .*\)$|^(ok|FAILED): .* \([0-9]+ s\)$|^skipped|^suites: ' "$work/$name/run.log" || true
	after=$(server_clock) || { after='?'; status=1; }
	cluster_stop "$name" || status=1
	unset TZ

	if [ "$status" -ne 0 ]; then
		echo "--- the run's log:"
		cat "$work/$name/run.log"
	elif [ -n "$crosses" ]; then
		from=$(date -u -d "$clock" +%s)
		to=$(date -u -d "$after" +%s)
		boundary=$(date -u -d "$crosses" +%s)
		if [ "$from" -lt "$boundary" ] && [ "$to" -ge "$boundary" ]; then
			echo "the run crossed $crosses UTC: $(grep '^=== ' "$work/$name/run.log" |
				sed -n 's/^=== \(.*\) (server clock \(.*\) UTC)$/\2|\1/p' |
				awk -F'|' -v b="$crosses" '$1 < b { last = $2 } END { print "during " last }')"
		else
			echo "FAILED: the run did not cross $crosses UTC (from $clock to $after UTC)"
			status=1
		fi
	fi
	summary="$name ($at UTC to $after UTC, $zone, $(($(date +%s) - began)) s)"
	if [ "$status" -eq 0 ]; then
		echo "ok: $summary"
		passed="$passed
    $summary"
	else
		echo "FAILED: $summary"
		failed="$failed
    $summary"
	fi
done

echo
echo "=== clock summary ($(($(date +%s) - start)) s)"
[ -z "$passed" ] || echo "passed:$passed"
if [ -n "$failed" ]; then
	echo "FAILED:$failed"
	exit 1
fi
echo "all time_entry tests passed at every instant"
