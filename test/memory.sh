#!/bin/sh
# Does one statement creating a million entries through try_create_entry run
# in flat memory (issue 4)?  Run it by hand, after `make install`, as root or
# as a user who may run pg_virtualenv:
#
#   sh test/memory.sh                         # 100 000, then 1 000 000 entries
#   MEMORY_SIZES="10000 100000" sh test/memory.sh
#
# Not part of `make test`: it takes minutes and measures rather than checks.
# It makes its own throwaway cluster (pg_virtualenv -t -v 15).  For each size
# it stages that many requests (test/bench/workspace.sql, the workspace of
# the benchmark) and runs ONE statement
#
#   SELECT count(*) FILTER (WHERE t.error IS NULL), count(t.error)
#     FROM bench.staging s
#    CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t;
#
# while a second shell reads /proc/<pid>/status of that backend every 0.5 s.
# It prints the peaks of
#   VmRSS/VmHWM  the resident set, as asked; it includes the pages of
#                shared_buffers the backend touched (RssShmem), which grow
#                up to shared_buffers however flat the backend's own memory is
#   RssAnon      the backend's private memory: what a leak makes grow
# and the backend's memory contexts after the statement.
#
# Every table of time_entry is analyzed before the run, settings included:
# without that the per-row lookup is JIT-compiled on every call and a million
# rows take hours (see the README's performance section).
set -eu

cd "$(dirname "$0")/.."

if [ -z "${TE_MEMORY_IN_CLUSTER:-}" ]; then
	# pg_virtualenv takes port 5432 unless told otherwise, which fails while
	# another throwaway cluster runs: take the first port without a socket
	if [ -z "${PGPORT:-}" ]; then
		PGPORT=54340
		while [ -e "/var/run/postgresql/.s.PGSQL.$PGPORT" ] ||
			[ -e "/tmp/.s.PGSQL.$PGPORT" ]; do
			PGPORT=$((PGPORT + 1))
		done
		export PGPORT
	fi
	TE_MEMORY_IN_CLUSTER=1 exec pg_virtualenv -t -v 15 sh "$0" "$@"
fi

sizes=${MEMORY_SIZES:-100000 1000000}
db=time_entry_memory
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

kb()
{
	# the value in kB of field $1 of /proc/$2/status, or nothing
	sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$2/status" 2>/dev/null
}

summary=""
for n in $sizes; do
	echo "=== $n entries"
	PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
	createdb "$db"
	$psql -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION time_entry'
	started=$(date +%s)
	$psql -v n="$n" -f test/bench/workspace.sql
	$psql -c 'ANALYZE time_entry.settings' -c 'ANALYZE time_entry.time_entries'
	echo "staged in $(( $(date +%s) - started )) s"

	rm -f "$work/pid" "$work/done" "$work/out"
	# the statement's session: its pid, the statement, a marker, a pause in
	# which the sampler takes its last reading, the contexts left after it
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" >"$work/out" 2>&1 <<EOF &
SELECT pg_backend_pid() \g $work/pid
SELECT 'result', count(*) FILTER (WHERE t.error IS NULL), count(t.error),
       min(t.error::text)
  FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t;
\! touch $work/done
SELECT pg_sleep(1.5);
SELECT 'context', name, total_bytes FROM pg_backend_memory_contexts
 ORDER BY total_bytes DESC LIMIT 5;
SELECT 'contexts total', sum(total_bytes) FROM pg_backend_memory_contexts;
EOF
	client=$!

	while [ ! -s "$work/pid" ]; do
		kill -0 "$client" 2>/dev/null || { cat "$work/out"; exit 1; }
		sleep 0.1
	done
	pid=$(cat "$work/pid")
	started=$(date +%s)
	peak_rss=0 peak_hwm=0 peak_anon=0 peak_shmem=0 samples=0 last_done=0
	echo "backend $pid; samples (s, VmRSS, RssAnon, RssShmem in kB), every ~10 s:"
	while kill -0 "$client" 2>/dev/null; do
		[ -e "$work/done" ] && last_done=$((last_done + 1))
		rss=$(kb VmRSS "$pid"); hwm=$(kb VmHWM "$pid")
		anon=$(kb RssAnon "$pid"); shmem=$(kb RssShmem "$pid")
		if [ -n "$rss" ]; then
			[ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
			[ "$hwm" -gt "$peak_hwm" ] && peak_hwm=$hwm
			[ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
			[ "$shmem" -gt "$peak_shmem" ] && peak_shmem=$shmem
			if [ $((samples % 20)) -eq 0 ]; then
				echo "  $(( $(date +%s) - started )) s: $rss $anon $shmem"
			fi
			samples=$((samples + 1))
		fi
		# one reading after the statement ended, then stop sampling
		[ "$last_done" -ge 2 ] && break
		sleep 0.5
	done
	wait "$client" || { cat "$work/out"; exit 1; }
	elapsed=$(( $(date +%s) - started ))

	result=$(sed -n 's/^result|//p' "$work/out")
	ok=$(echo "$result" | cut -d'|' -f1)
	errors=$(echo "$result" | cut -d'|' -f2)
	echo "statement: $ok created, $errors refused, in about $elapsed s ($samples samples)"
	if [ "$errors" != 0 ]; then
		echo "first error: $(echo "$result" | cut -d'|' -f3-)"
	fi
	echo "memory contexts after the statement (largest five, bytes):"
	sed -n 's/^context|/  /p' "$work/out" | tr '|' ' '
	echo "  all: $(sed -n 's/^contexts total|//p' "$work/out")"
	echo "peaks: VmRSS $peak_rss kB, VmHWM $peak_hwm kB, RssAnon $peak_anon kB, RssShmem $peak_shmem kB"
	summary="$summary
$(printf '%9s entries  %6s s   VmRSS %7s kB   VmHWM %7s kB   RssAnon %7s kB   RssShmem %7s kB' \
	"$n" "$elapsed" "$peak_rss" "$peak_hwm" "$peak_anon" "$peak_shmem")"
done

echo
echo "=== peak memory of the backend running try_create_entry over the staged entries"
echo "    (shared_buffers $(psql -X -At -d "$db" -c 'SHOW shared_buffers'); RssAnon is the backend's own memory)$summary"
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
