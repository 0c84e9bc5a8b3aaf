#!/bin/sh
# `make bench`: how fast time_entry creates entries, against the bare INSERT
# of the same rows into the same table.  Runs in the throwaway cluster that
# `pg_virtualenv -t -v 15` made (PGHOST, PGPORT, PGUSER, ...); the extension
# must be installed already.  It measures and prints; it is not a test, but
# it fails loudly when a run does not create exactly the staged entries.
#
#   BENCH_N        entries staged (default 20000, at least 1000)
#   BENCH_ROUNDS   rounds; the table shows their median (default 5)
#   BENCH_SECONDS  length of each pgbench run (default 10)
#   BENCH_BUDGET   seconds the rounds may take at the pace of the warm-up;
#                  beyond it the benchmark stops before the rounds (default 900)
#   PGPORT         the port of the throwaway cluster; pg_virtualenv takes 5432,
#                  so set it when another throwaway cluster is running
#   BENCH_ANALYZE  1: ANALYZE every table of time_entry first, time_entry.settings
#                  included, as a database-wide ANALYZE would.  By default the
#                  directory tables are analyzed (autovacuum does that once they
#                  are loaded) but settings is not: autovacuum never analyzes a
#                  one-row table, so that is how it is found in the field.
#
# 1. A workspace (test/bench/workspace.sql): 1 000 users with non-admin
#    roles, 50 projects, 500 tasks with 1-3 assignees, 10 types of work, and
#    BENCH_N timed entries staged as requests and as column values.
# 2. Warm-up and an estimate of the time the rounds take
#    (test/bench/calibrate.sql).
# 3. BENCH_ROUNDS rounds of test/bench/round.sql: the bare INSERT ... SELECT,
#    try_create_entry with CROSS JOIN LATERAL, create_entry, import_entries in
#    batches of 1 000; each into an empty time_entries and checked.
# 4. try_create_entry with settings.prevent_overlaps on (test/bench/overlaps.sql).
# 5. pgbench -M prepared, 1 and 2 clients: create_entry against the bare
#    INSERT ... RETURNING of the same row (test/bench/*.pgbench).
# 6. The table (test/bench/report.sql).
set -eu

cd "$(dirname "$0")/.."

n=${BENCH_N:-20000}
rounds=${BENCH_ROUNDS:-5}
seconds=${BENCH_SECONDS:-10}
budget=${BENCH_BUDGET:-900}
analyze=${BENCH_ANALYZE:-0}
lead=b0000000-0000-4000-8000-000000000001

for v in "$n" "$rounds" "$seconds" "$budget"; do
	case "$v" in
		''|*[!0-9]*) echo "bench: BENCH_N, BENCH_ROUNDS, BENCH_SECONDS and BENCH_BUDGET are whole numbers" >&2
			exit 2 ;;
	esac
done
if [ "$n" -lt 1000 ] || [ "$rounds" -lt 1 ] || [ "$seconds" -lt 1 ]; then
	echo "bench: BENCH_N is at least 1000, BENCH_ROUNDS and BENCH_SECONDS at least 1" >&2
	exit 2
fi

db=time_entry_bench
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"
started=$(date +%s)
# the library every new session loads; a `make install` elsewhere during the
# run would mix two builds in the figures
library="$(pg_config --pkglibdir)/time_entry.so"
library_sum=$(md5sum <"$library")
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

step()
{
	echo "--- $(date +%H:%M:%S) $1"
}

step "workspace and $n staged entries"
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
$psql -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION time_entry'
$psql -v n="$n" -f test/bench/workspace.sql
$psql -f test/bench/setup.sql
if [ "$analyze" = 1 ]; then
	$psql -c 'ANALYZE time_entry.settings'
fi

step "warm-up"
$psql -v n="$n" -v rounds="$rounds" -v budget="$budget" -f test/bench/calibrate.sql

r=1
while [ "$r" -le "$rounds" ]; do
	step "round $r of $rounds"
	$psql -v round="$r" -f test/bench/round.sql
	r=$((r + 1))
done

step "try_create_entry with prevent_overlaps on"
$psql -f test/bench/overlaps.sql

# One pgbench run: clients, run name, script, PGOPTIONS.  Checks that every
# transaction succeeded and stored one row, and records the tps.
pgbench_run()
{
	clients=$1
	run=$2
	script=$3
	options=$4
	step "pgbench: $run, $clients client(s), $seconds s"
	$psql -c 'TRUNCATE time_entry.time_entries' -c 'CHECKPOINT'
	if ! out=$(PGOPTIONS="$options" pgbench -n -M prepared -c "$clients" -j "$clients" -T "$seconds" \
				-f "$script" "$db" 2>&1); then
		echo "$out"
		echo "BENCHMARK FAILED: pgbench $run with $clients client(s) failed" >&2
		exit 1
	fi
	tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
	done_tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
	failed_tx=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
	stored=$($psql -At -c 'SELECT count(*) FROM time_entry.time_entries')
	if [ -z "$tps" ] || [ -z "$done_tx" ] || [ "${failed_tx:-0}" != 0 ] ||
		[ "$stored" != "$done_tx" ]; then
		echo "$out"
		echo "BENCHMARK FAILED: pgbench $run with $clients client(s): $done_tx transactions, ${failed_tx:-?} failed, $stored rows stored" >&2
		exit 1
	fi
	$psql -c "INSERT INTO bench.tps VALUES ($clients, '$run', $tps, $done_tx)"
}

for clients in 1 2; do
	pgbench_run "$clients" insert test/bench/insert.pgbench "-c time_entry.actor=$lead"
	pgbench_run "$clients" create_entry test/bench/create_entry.pgbench ""
done
$psql -c 'TRUNCATE time_entry.time_entries'

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if [ "$(md5sum <"$library")" != "$library_sum" ]; then
	echo "BENCHMARK FAILED: $library was replaced during the run (a make install" >&2
	echo "elsewhere?); the figures would mix two builds" >&2
	exit 1
fi
$psql -v n="$n" -v rounds="$rounds" -v seconds="$seconds" -v cpus="$(nproc 2>/dev/null || echo '?')" \
	-v load_before="$load_before" -v load_after="$load_after" -f test/bench/report.sql
echo "benchmark finished in $(( $(date +%s) - started )) s"
