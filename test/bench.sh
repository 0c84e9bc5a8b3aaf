#!/bin/sh
# `make bench`: how fast time_entry creates, changes, reads and lists
# entries, against the bare SQL of the same rows on the same tables,
# measured side by side in one run.  Runs in the throwaway cluster that
# `pg_virtualenv -t -v 15` made (PGHOST, PGPORT, PGUSER, ...); the extension
# must be installed already.  It measures and prints; it is not a test, but
# it fails loudly when a run does not do exactly the work it claims (every
# staged entry created as staged, every pgbench transaction done, the bare
# read equal to get_entry's answer, no sequential scan in list_entries).
#
#   BENCH_N        entries staged (default 20000, at least 1000); also the
#                  size of the pool of entries update_entry and get_entry use
#   BENCH_ROUNDS   rounds; the table shows their median (default 5)
#   BENCH_SECONDS  pgbench time of each function and of its bare SQL (default 10)
#   BENCH_SLICES   the slices those seconds are cut into, the function's and
#                  the bare SQL's in turn (default 5: 2 s each)
#   BENCH_BUDGET   seconds the rounds may take at the pace of the warm-up;
#                  beyond it the benchmark stops before the rounds (default 900)
#   BENCH_PARTS    what to run, words separated by spaces (default: all of them)
#                    rounds       the rounds on the table as the extension
#                                 creates it: bare INSERT ... SELECT,
#                                 try_create_entry, create_entry,
#                                 import_entries, on the direct write path
#                    executor     in each round, the three faces again with
#                                 time_entry.write_path = executor
#                    partitioned  in each round, a second database whose
#                                 time_entries is partitioned: bare INSERT
#                                 ... SELECT, try_create_entry, import_entries
#                    overlaps     try_create_entry with prevent_overlaps on
#                    pgbench      create_entry against the bare INSERT
#                    lifecycle    update_entry, get_entry, stop_timer and
#                                 start_timer + stop_timer against bare SQL
#                    list         list_entries on 100 000 and 1 000 000 entries
#                  executor and partitioned run within the rounds, which then
#                  run too.  E.g. BENCH_PARTS="lifecycle list".
#   BENCH_NOISE    entries of the second workspace (default 100000; 0: its
#                  directory only)
#   BENCH_LIST_ROWS entries of the list part's big table (default 1000000,
#                  a multiple of 1000, at least 100000: that many / 1000 per
#                  user)
#   BENCH_SEED     pgbench --random-seed, so that both sides of a pair draw
#                  the same rows (default 1)
#   PGPORT         the port of the throwaway cluster; pg_virtualenv takes 5432,
#                  so set it when another throwaway cluster is running
#   BENCH_ANALYZE  1: ANALYZE every table of time_entry first, time_entry.settings
#                  included, as a database-wide ANALYZE would.  By default the
#                  directory tables are analyzed (autovacuum does that once they
#                  are loaded) but settings is not: autovacuum never analyzes a
#                  table of a few rows, so that is how it is found in the field.
#
# With the defaults it takes about 6-9 minutes on 2 cores (with
# BENCH_ROUNDS=3: 330-460 s, the more the busier the machine); the rounds
# about 15 s each, the pgbench pairs 4 minutes, the list part 1-2 minutes.
#
# 1. Two workspaces in one database (time_entry_bench), neither the default
#    one: the benchmark's (test/bench/workspace.sql): 1 000 users with
#    non-admin roles, 50 projects, 500 tasks with 1-3 assignees, 10 types of
#    work, and BENCH_N timed entries staged as requests and as column
#    values; and a second of the same shape with BENCH_NOISE entries
#    (test/bench/noise.sql), which stay in time_entries through every run.
#    With partitioned, the same in time_entry_bench_part, whose
#    time_entries is partitioned (SET time_entry.partitioned = on before
#    CREATE EXTENSION; monthly partitions and a default one,
#    test/bench/partitions.sql).
# 2. Warm-up and an estimate of the time the rounds take
#    (test/bench/calibrate.sql).
# 3. BENCH_ROUNDS rounds of test/bench/round.sql, in each database in turn:
#    the bare INSERT ... SELECT, then the faces (test/bench/faces.sql) on the
#    path the extension takes for the table, and with executor again on the
#    general path; each run into the benchmark's workspace emptied of what
#    the run before made (test/bench/clear.sql), and checked.
# 4. try_create_entry with settings.prevent_overlaps on (test/bench/overlaps.sql).
# 5. pgbench -M prepared, 1 and 2 clients, BENCH_SECONDS for each function
#    and for the bare SQL it is compared with, the two in turn in
#    BENCH_SLICES slices (test/bench/*.pgbench):
#    create_entry / INSERT ... RETURNING; update_entry without and with
#    expected_version / UPDATE ... SET note ... RETURNING *, on a pool of
#    BENCH_N entries (test/bench/pool.sql); get_entry / SELECT
#    jsonb_build_object(...) ... LEFT JOIN ... WHERE e.id = $1; stop_timer
#    and start_timer + stop_timer / INSERT of a running entry + UPDATE of its
#    end (the design: test/bench/stop_bare.pgbench).
# 6. list_entries at scale: time_entries emptied (the other workspace's
#    entries and the pool go; this part comes last), then 10 % of
#    BENCH_LIST_ROWS (users 1-100) bulk-loaded (test/bench/list_load.sql),
#    one user's month listed; then the other 90 % (users 101-1000), the same
#    month and that user's year: EXPLAIN (ANALYZE, BUFFERS) of the list query
#    and auto_explain of list_entries' own, failing on a sequential scan of
#    time_entries, and timings against the bare query (test/bench/list.sql).
# 7. The table (test/bench/report.sql): every figure a ratio to the bare SQL
#    of the same rows, the run's parameters, the load average, the build.
set -eu

cd "$(dirname "$0")/.."

n=${BENCH_N:-20000}
rounds=${BENCH_ROUNDS:-5}
seconds=${BENCH_SECONDS:-10}
budget=${BENCH_BUDGET:-900}
analyze=${BENCH_ANALYZE:-0}
noise=${BENCH_NOISE:-100000}
list_rows=${BENCH_LIST_ROWS:-1000000}
seed=${BENCH_SEED:-1}
slices=${BENCH_SLICES:-5}
all_parts="rounds executor partitioned overlaps pgbench lifecycle list"
parts=${BENCH_PARTS:-$all_parts}
lead=b0000000-0000-4000-8000-000000000001

for v in "$n" "$rounds" "$seconds" "$budget" "$noise" "$list_rows" "$seed" "$slices"; do
	case "$v" in
		''|*[!0-9]*) echo "bench: BENCH_N, BENCH_ROUNDS, BENCH_SECONDS, BENCH_SLICES, BENCH_BUDGET, BENCH_NOISE, BENCH_LIST_ROWS and BENCH_SEED are whole numbers" >&2
			exit 2 ;;
	esac
done
if [ "$n" -lt 1000 ] || [ "$rounds" -lt 1 ] || [ "$slices" -lt 1 ] || [ "$seconds" -lt "$slices" ] ||
	[ "$list_rows" -lt 100000 ] || [ $((list_rows % 1000)) -ne 0 ]; then
	echo "bench: BENCH_N is at least 1000, BENCH_ROUNDS and BENCH_SLICES at least 1, BENCH_SECONDS at least BENCH_SLICES, BENCH_LIST_ROWS a multiple of 1000 and at least 100000" >&2
	exit 2
fi
slice=$((seconds / slices))
for p in $parts; do
	case " $all_parts " in
		*" $p "*) ;;
		*) echo "bench: unknown part \"$p\" in BENCH_PARTS (known: $all_parts)" >&2
			exit 2 ;;
	esac
done

# has PART: is PART one of BENCH_PARTS?
has()
{
	case " $parts " in
		*" $1 "*) return 0 ;;
	esac
	return 1
}
if has executor || has partitioned; then
	case " $parts " in
		*" rounds "*) ;;
		*) parts="rounds $parts" ;;
	esac
fi
parts=$(for p in $all_parts; do if has "$p"; then printf '%s ' "$p"; fi; done)
parts=${parts% }
b01() { if has "$1"; then echo 1; else echo 0; fi; }

db=time_entry_bench
pdb=time_entry_bench_part
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"
ppsql="psql -X -q -v ON_ERROR_STOP=1 -d $pdb"
started=$(date +%s)
# the library every new session loads; a `make install` elsewhere during the
# run would mix two builds in the figures
library="$(pg_config --pkglibdir)/time_entry.so"
library_sum=$(md5sum <"$library")
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# the build measured: the commit, whether the sources differ from it, and
# whether the installed library is older than a source file
build=$(git rev-parse --short HEAD 2>/dev/null || echo 'no git')
if [ -n "$(git status --porcelain -- src Makefile time_entry.control 2>/dev/null)" ]; then
	build="$build + uncommitted changes in src/"
fi
build="$build; time_entry.so $(echo "$library_sum" | cut -c1-12) of $(date -r "$library" '+%Y-%m-%d %H:%M')"
if [ -n "$(find src -newer "$library" \( -name '*.c' -o -name '*.h' -o -name '*.sql' \) 2>/dev/null | head -1)" ]; then
	build="$build (OLDER than src/: not the sources' build)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step()
{
	echo "--- $(date +%H:%M:%S) $1"
}

# make_db DB PSQL PARTITIONED: the extension, the two workspaces, the bookkeeping
make_db()
{
	PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$1"
	createdb "$1"
	if [ "$3" = 1 ]; then
		$2 -c 'SET client_min_messages = warning' -c 'SET time_entry.partitioned = on' \
			-c 'CREATE EXTENSION time_entry'
	else
		$2 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION time_entry'
	fi
	$2 -v n="$n" -f test/bench/workspace.sql
	if [ "$3" = 1 ]; then
		$2 -f test/bench/partitions.sql
	fi
	$2 -v noise="$noise" -f test/bench/noise.sql
	$2 -f test/bench/setup.sql
	if [ "$analyze" = 1 ]; then
		$2 -c 'ANALYZE time_entry.settings'
	fi
}

rounds_on=$(b01 rounds)
executor_on=$(b01 executor)
partitioned_on=$(b01 partitioned)

step "two workspaces, $n staged entries, $noise entries in the other workspace (parts: $parts)"
make_db "$db" "$psql" 0
$psql -c "INSERT INTO bench.notes (note) SELECT 'time_entry.insert_path() on the plain table: ' || time_entry.insert_path()" \
	-c "SET time_entry.write_path = executor" \
	-c "INSERT INTO bench.notes (note) SELECT 'time_entry.insert_path() with write_path = executor: ' || time_entry.insert_path()"
if [ "$partitioned_on" = 1 ]; then
	step "the same in $pdb, time_entries partitioned"
	make_db "$pdb" "$ppsql" 1
	$psql -c "INSERT INTO bench.notes (note) VALUES ('time_entry.insert_path() on the partitioned table: ' || \$\$$($ppsql -At -c 'SELECT time_entry.insert_path()')\$\$)"
	$psql -c "INSERT INTO bench.notes (note) VALUES ('the partitioned time_entries: ' || \$\$$($ppsql -At -c "SELECT count(*) || ' partitions, ' || min(c.relname) || ' .. ' || max(c.relname) || ' and a default one' FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'time_entry.time_entries'::regclass AND c.relname <> 'time_entries_default'")\$\$)"
fi

if [ "$rounds_on" = 1 ]; then
	# the cost of a round in try_create_entry runs, times ten: the bare
	# INSERT about 0.7, a face on the direct path 1, on the executor 1.5
	weight=37
	[ "$executor_on" = 1 ] && weight=$((weight + 45))
	[ "$partitioned_on" = 1 ] && weight=$((weight + 37))
	step "warm-up"
	$psql -v n="$n" -v rounds="$rounds" -v budget="$budget" -v weight="$weight" -v estimate=1 \
		-f test/bench/calibrate.sql
	if [ "$partitioned_on" = 1 ]; then
		$ppsql -v n="$n" -v rounds="$rounds" -v budget="$budget" -v weight="$weight" -v estimate=0 \
			-f test/bench/calibrate.sql
	fi

	r=1
	while [ "$r" -le "$rounds" ]; do
		step "round $r of $rounds"
		$psql -v round="$r" -v shape=plain -v create=1 -v executor="$executor_on" -f test/bench/round.sql
		if [ "$partitioned_on" = 1 ]; then
			$ppsql -v round="$r" -v shape=partitioned -v create=0 -v executor=0 -f test/bench/round.sql
		fi
		r=$((r + 1))
	done
	if [ "$partitioned_on" = 1 ]; then
		$ppsql -c 'COPY bench.results TO STDOUT' | $psql -c 'COPY bench.results FROM STDIN'
	fi
fi

if has overlaps; then
	step "try_create_entry with prevent_overlaps on"
	$psql -f test/bench/overlaps.sql
fi

# One pgbench run of a pair: clients, run name, script, PGOPTIONS; adds its
# transactions and its time (transactions / tps, connection time excluded)
# to those of the run name so far (in $work/<clients>.<run>).
pgbench_slice()
{
	if ! out=$(PGOPTIONS="$3" pgbench -n -M prepared -c "$1" -j "$1" -T "$slice" \
				--random-seed="$seed" -D pool="$n" -D clients="$1" \
				-f "$4" "$db" 2>&1); then
		echo "$out"
		echo "BENCHMARK FAILED: pgbench $2 with $1 client(s) failed" >&2
		exit 1
	fi
	tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
	done_tx=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
	failed_tx=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
	if [ -z "$tps" ] || [ -z "$done_tx" ] || [ "${failed_tx:-0}" != 0 ] || [ "$done_tx" = 0 ]; then
		echo "$out"
		echo "BENCHMARK FAILED: pgbench $2 with $1 client(s): ${done_tx:-?} transactions, ${failed_tx:-?} failed" >&2
		exit 1
	fi
	echo "$done_tx $tps" >>"$work/$1.$2"
}

# A pair of pgbench runs, side by side: clients, then the bare run's name,
# script and PGOPTIONS, then the function run's, and what a transaction of
# either does:
#   create  creates one entry
#   update  changes a pool entry, creating none
#   read    reads, changing nothing
#   timer   creates one entry and stops it
# From the benchmark's workspace emptied of what the pair before made (the
# pool and the other workspace stay), the two run in turn, BENCH_SLICES
# times each for BENCH_SECONDS / BENCH_SLICES seconds, so that what else the
# machine does falls on both alike.  Then a check that every transaction
# succeeded and did its work, and the tps of each: its transactions over
# its time.
pgbench_pair()
{
	clients=$1
	kind=$8
	step "pgbench: $2 and $5, $clients client(s), $seconds s each in $slices slices"
	$psql -f test/bench/clear.sql
	t0=$($psql -At -c 'SELECT now()')
	rm -f "$work/$clients.$2" "$work/$clients.$5"
	i=1
	while [ "$i" -le "$slices" ]; do
		pgbench_slice "$clients" "$2" "$3" "$4"
		pgbench_slice "$clients" "$5" "$6" "$7"
		i=$((i + 1))
	done
	total=$(cat "$work/$clients.$2" "$work/$clients.$5" | awk '{ t += $1 } END { print t }')
	counts=$($psql -At -F ' ' -c "SELECT (SELECT count(*) FROM bench.made),
			(SELECT count(*) FROM bench.made WHERE end_at IS NULL),
			(SELECT count(*) FROM time_entry.time_entries
			  WHERE id BETWEEN bench.pool_id(0) AND bench.pool_id(999999999999)
				AND updated_on >= '$t0')")
	made=$(echo "$counts" | cut -d' ' -f1)
	running=$(echo "$counts" | cut -d' ' -f2)
	changed=$(echo "$counts" | cut -d' ' -f3)
	case "$kind" in
		create) [ "$made" = "$total" ] && [ "$changed" = 0 ] ;;
		update) [ "$made" = 0 ] && [ "$changed" -ge 2 ] && [ "$changed" -le "$total" ] ;;
		read) [ "$made" = 0 ] && [ "$changed" = 0 ] ;;
		timer) [ "$made" = "$total" ] && [ "$running" = 0 ] && [ "$changed" = 0 ] ;;
	esac && ok=1 || ok=0
	if [ "$ok" != 1 ]; then
		echo "BENCHMARK FAILED: pgbench $2 and $5 ($kind) with $clients client(s): $total transactions; afterwards $made entries made ($running running), $changed pool entries changed" >&2
		exit 1
	fi
	for run in "$2" "$5"; do
		$psql -c "INSERT INTO bench.tps
				  SELECT $clients, '$run', sum(tx) / sum(tx / tps), sum(tx)
					FROM (VALUES $(sed 's/^\([0-9]*\) \([0-9.]*\)$/(\1::float8, \2::float8)/' "$work/$clients.$run" |
								   paste -sd, -)) v (tx, tps)"
	done
}

if has pgbench || has lifecycle; then
	if has lifecycle; then
		step "a pool of $n entries for update_entry and get_entry"
		$psql -v pool="$n" -f test/bench/pool.sql
	fi
	bare="-c time_entry.actor=$lead"
	b=test/bench
	for clients in 1 2; do
		if has pgbench; then
			pgbench_pair "$clients" insert "$bare" $b/insert.pgbench \
				create_entry "" $b/create_entry.pgbench create
		fi
		if has lifecycle; then
			pgbench_pair "$clients" update_bare "$bare" $b/update_bare.pgbench \
				update_entry "" $b/update_entry.pgbench update
			pgbench_pair "$clients" update_bare_version "$bare" $b/update_bare_version.pgbench \
				update_entry_version "" $b/update_entry_version.pgbench update
			pgbench_pair "$clients" get_bare "" $b/get_bare.pgbench \
				get_entry "" $b/get_entry.pgbench read
			pgbench_pair "$clients" stop_bare "$bare" $b/stop_bare.pgbench \
				stop_timer "$bare" $b/stop_timer.pgbench timer
			pgbench_pair "$clients" timer_bare "$bare" $b/stop_bare.pgbench \
				timer "" $b/timer.pgbench timer
		fi
	done
	$psql -f test/bench/clear.sql
fi

# auto_explain of list_entries' own query: fails on a sequential scan of
# time_entries, and unless the query was seen explained at all
auto_explain_check()
{
	year=$1
	if ! explained=$($psql -v year="$year" -f test/bench/list_auto_explain.sql 2>&1 >/dev/null); then
		echo "$explained"
		echo "BENCHMARK FAILED: list_entries under auto_explain failed" >&2
		exit 1
	fi
	calls=$((1 + year))
	seen=$(echo "$explained" | grep -c 'Query Text: SELECT \* FROM time_entry.time_entries e WHERE e.workspace_id' || true)
	if [ "$seen" -lt "$calls" ]; then
		echo "$explained"
		echo "BENCHMARK FAILED: auto_explain showed $seen plans of list_entries' query for $calls calls" >&2
		exit 1
	fi
	if echo "$explained" | grep -q 'Seq Scan on time_entries'; then
		echo "$explained"
		echo "BENCHMARK FAILED: list_entries scans time_entries sequentially (auto_explain above)" >&2
		exit 1
	fi
	# the nested plans: from the query's text to the next message
	echo "auto_explain, list_entries' own query:"
	echo "$explained" | sed -n '/Query Text: SELECT \* FROM time_entry.time_entries e/,/NOTICE:/p' |
		grep -v 'NOTICE:' | sed 's/^/    /'
	nested=$(echo "$explained" | sed -n '/Query Text: SELECT \* FROM time_entry.time_entries e/,/NOTICE:/p')
	scans=$(echo "$nested" |
		grep -o '\(Index Only Scan\|Index Scan\|Bitmap Heap Scan\|Bitmap Index Scan\)[^(]*' | sort -u | tr '\n' ';' | sed 's/ *;/; /g; s/; $//')
	# the buffers of each call's query: the first Buffers line after its text
	buffers=$(echo "$nested" | awk '/Query Text/ { want = 1 } want && /Buffers:/ { sub(/^ */, ""); printf "%s%s", sep, $0; sep = ", "; want = 0 }')
	$psql -c "INSERT INTO bench.notes (note) VALUES (\$\$auto_explain of list_entries' own query at $(\
		$psql -At -c 'SELECT count(*) FROM time_entry.time_entries') entries, $calls call(s): no Seq Scan; $scans; $buffers\$\$)"
}

if has list; then
	per_user=$((list_rows / 1000))
	step "list_entries: time_entries emptied, users 1-100 loaded ($per_user entries each)"
	$psql -c 'TRUNCATE time_entry.time_entries'
	$psql -v first_user=1 -v last_user=100 -v per_user="$per_user" -f test/bench/list_load.sql
	step "list_entries: one user's month at $((list_rows / 10)) entries"
	$psql -v year=0 -v reps=100 -f test/bench/list.sql
	auto_explain_check 0
	step "list_entries: users 101-1000 loaded ($per_user entries each)"
	$psql -v first_user=101 -v last_user=1000 -v per_user="$per_user" -f test/bench/list_load.sql
	step "list_entries: the same month, and the year, at $list_rows entries"
	$psql -v year=1 -v reps=100 -f test/bench/list.sql
	auto_explain_check 1
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if [ "$(md5sum <"$library")" != "$library_sum" ]; then
	echo "BENCHMARK FAILED: $library was replaced during the run (a make install" >&2
	echo "elsewhere?); the figures would mix two builds" >&2
	exit 1
fi
$psql -v n="$n" -v rounds="$rounds" -v seconds="$seconds" -v cpus="$(nproc 2>/dev/null || echo '?')" \
	-v load_before="$load_before" -v load_after="$load_after" -v parts="$parts" \
	-v noise="$noise" -v list_rows="$list_rows" -v seed="$seed" -v slices="$slices" -v build="$build" \
	-v elapsed="$(( $(date +%s) - started ))" -f test/bench/report.sql
echo "benchmark finished in $(( $(date +%s) - started )) s"
