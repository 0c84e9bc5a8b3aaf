#!/bin/sh
# Overlap prevention and the one-timer rule under concurrent load (SPEC 4.6,
# 6.5, 7.1; issue 5).
#
# In its own database on the server of the environment (PGHOST, ...): a
# workspace of four non-admin users and an admin, settings.prevent_overlaps
# on (test/concurrency/setup.sql).  Then, once in READ COMMITTED and once in
# REPEATABLE READ:
#
#   - pgbench, 8 clients on 2 threads, CONC_TRANSACTIONS transactions each
#     (default 1000), mixing the scripts
#     test/concurrency/*.pgbench: try_create_entry (errors come back as
#     objects), create_entry with its error caught in PL/pgSQL, transactions
#     of three entries for one user and of entries for two users (taken in
#     ascending order), import_entries of three entries for one user, the
#     admin's entries, and stopping timers; every call's outcome is logged
#     in conc.outcome in the call's transaction;
#   - two psql clients calling create_entry directly, the errors reaching
#     the client and read back from its stderr (VERBOSITY verbose), 50
#     calls a connection, for as long as pgbench runs and at least twice.
#
# The load is a number of calls, not a time: a slow machine (or the
# sanitizer build) takes longer, a fast one less, and both make about as
# many calls of each outcome.  While it runs, the sessions waiting for a
# lock are counted every 10 ms (conc.sample_locks): the clients must be
# seen to contend.
#
# Requests are timed entries, timers and date-only entries for the four
# users, on whole minutes within an hour of each user's virtual clock, so
# most calls conflict with another one running at the same moment.
#
# Then import_entries over shared users: one deterministic pair of calls
# that take them in other orders, the second seen waiting for the first's
# lock, and a short pgbench run of calls over two users, seen contending.
#
# The checks: no overlapping pair of timed entries that the rule forbids
# (with a negative control that the checker finds an overlap), at most one
# running entry per user, every row's invariants, every refusal carried the
# SPEC's SQLSTATE, code and property, no deadlock, serialization failure or
# other error reached a caller, every logged success is a stored row and
# every stored row a logged success, and enough successes and refusals of
# each kind that the run proved something.
#
# All of it runs twice: on the table as the extension makes it (plain,
# database te_concurrency), and on time_entries partitioned by month
# (partitioned, database te_concurrency_partitioned: SET
# time_entry.partitioned = on before CREATE EXTENSION, monthly partitions
# over the days the load writes and no default partition, so a row outside
# them fails its call).  There the running-entry index is not unique, so
# "one running entry per user" rests on the user's lock alone; the users'
# virtual clocks start 4 hours before a month begins, so the load writes on
# both sides of a partition boundary and overlap checks span two partitions.
#
# Run by test/run.sh; prints a summary and exits non-zero on any violation.
# CONC_TRANSACTIONS sets the size of each load phase (default 1000);
# CONC_LAYOUTS the layouts to run (default "plain partitioned"); CONC_KEEP=1
# keeps the databases for a look afterwards.
set -eu

cd "$(dirname "$0")/.."

dir=test/concurrency
layouts=${CONC_LAYOUTS:-plain partitioned}
transactions=${CONC_TRANSACTIONS:-1000}
work=$(mktemp -d)
failures=0

# At least this many of each outcome per isolation level, or the run
# proved nothing (the default load makes over a thousand of each).
min_outcomes=${CONC_MIN_OUTCOMES:-200}

base_options="-c client_min_messages=warning -c TimeZone=UTC"
PGOPTIONS=$base_options
export PGOPTIONS

# The database of a layout.
db_of()
{
	case $1 in
	plain) echo te_concurrency ;;
	*) echo "te_concurrency_$1" ;;
	esac
}

cleanup()
{
	# the background clients of an interrupted run
	for pid in $(cat "$work"/*.pid 2>/dev/null); do
		kill "$pid" 2>/dev/null || true
	done
	# a lock sampler's backend does not notice that its client is gone
	psql -X -q -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	                         WHERE application_name = 'te_conc_sampler'" >/dev/null 2>&1 || true
	if [ -z "${CONC_KEEP:-}" ]; then
		for layout in $layouts; do
			dropdb --if-exists "$(db_of "$layout")" 2>/dev/null || true
		done
	fi
	rm -rf "$work"
}
trap cleanup EXIT

. test/lib.sh

# check_empty DESCRIPTION SQL: the query returns no row (else they are shown)
check_empty()
{
	n=$(value -c "SELECT count(*) FROM ($2) x")
	if [ "$n" = 0 ]; then
		echo "ok: $1"
	else
		fail "$1: $n row(s), the first ones:"
		q -c "$2 LIMIT 10"
	fi
}

# One pgbench count ("number of failed transactions: 3 (0.1%)" -> 3).
pgbench_count()
{
	sed -n "s/^$1: \([0-9]*\).*/\1/p" "$2" | head -n 1
}

# A client calling create_entry straight from psql in chunks of 50 calls,
# one connection per chunk, while the file $2 exists and at least twice.
raw_client()
{
	out=$1
	chunks=0
	while [ -e "$2" ] || [ "$chunks" -lt 2 ]; do
		psql -X -q -A -t -F '|' -v VERBOSITY=verbose -d "$db" -f "$work/raw_chunk.sql" \
			>>"$out.out" 2>>"$out.err" || true
		chunks=$((chunks + 1))
	done
}

# lock_sampler PHASE: in the background, sample the sessions waiting for a
# lock until lock_sampler_stop PHASE (conc.sample_locks, in READ
# COMMITTED whatever the phase's isolation).
lock_sampler()
{
	PGOPTIONS=$base_options PGAPPNAME=te_conc_sampler \
		value -c "SELECT conc.sample_locks('$1')" >"$work/locks.$1" 2>&1 &
	echo $! >"$work/locks.$1.pid"
}

# lock_sampler_stop PHASE DESCRIPTION: stop the sampler; the sessions did
# contend, or fail: some sample saw one waiting for a lock.
lock_sampler_stop()
{
	PGOPTIONS=$base_options value -c "INSERT INTO conc.load_done VALUES ('$1')"
	wait "$(cat "$work/locks.$1.pid")" || true
	rm -f "$work/locks.$1.pid"
	read -r samples waiting most <"$work/locks.$1" || true
	echo "lock waits: sessions were waiting for a lock in ${waiting:-?} of ${samples:-?} samples, up to ${most:-?} at once"
	if [ "${waiting:-0}" -eq 0 ] 2>/dev/null; then
		fail "$2: no session was ever seen waiting for a user's lock: the clients did not contend"
	elif ! [ "$waiting" -gt 0 ] 2>/dev/null; then
		fail "$2: the lock sampler failed: $(cat "$work/locks.$1")"
	fi
}

# phase LABEL ISOLATION: the mixed load in one isolation level.
phase()
{
	label=$1
	isolation=$2
	echo
	echo "=== $label: 8 x $transactions transactions of load in $isolation"
	PGOPTIONS="$base_options -c default_transaction_isolation=$(echo "$isolation" | sed 's/ /\\ /g')"
	export PGOPTIONS
	check "sessions run in $isolation" "SELECT current_setting('transaction_isolation') = '$isolation'"

	lock_sampler "$label"
	touch "$work/pgbench.running"
	for i in 1 2; do
		raw_client "$work/raw.$label.$i" "$work/pgbench.running" &
		echo $! >"$work/raw.$label.$i.pid"
	done

	started=$(date +%s%N)
	set +e
	pgbench -n -c 8 -j 2 -t "$transactions" --max-tries=1 --failures-detailed --verbose-errors \
		-f "$dir/try.pgbench@30" \
		-f "$dir/caught.pgbench@25" \
		-f "$dir/batch_one_user.pgbench@6" \
		-f "$dir/batch_two_users.pgbench@6" \
		-f "$dir/import_one_user.pgbench@8" \
		-f "$dir/admin.pgbench@4" \
		-f "$dir/stop.pgbench@15" \
		"$db" >"$work/pgbench.$label.out" 2>"$work/pgbench.$label.err"
	rc=$?
	set -e
	rm -f "$work/pgbench.running"
	for i in 1 2; do
		wait "$(cat "$work/raw.$label.$i.pid")" || true
		rm -f "$work/raw.$label.$i.pid"
	done
	echo "load took $((($(date +%s%N) - started) / 1000000)) ms"

	processed=$(pgbench_count 'number of transactions actually processed' "$work/pgbench.$label.out")
	failed=$(pgbench_count 'number of failed transactions' "$work/pgbench.$label.out")
	serialization=$(pgbench_count 'number of serialization failures' "$work/pgbench.$label.out")
	deadlock=$(pgbench_count 'number of deadlock failures' "$work/pgbench.$label.out")
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.$label.out")
	echo "pgbench: ${processed:-?} transactions, ${tps:-?} tps, ${failed:-?} failed" \
		"(${serialization:-?} serialization, ${deadlock:-?} deadlock)"
	if [ "$rc" -ne 0 ] || grep -q 'aborted' "$work/pgbench.$label.out" "$work/pgbench.$label.err"; then
		fail "pgbench exited with $rc or a client aborted:"
		tail -n 30 "$work/pgbench.$label.out" "$work/pgbench.$label.err"
	elif [ "${failed:-x}" != 0 ]; then
		fail "pgbench counted ${failed:-?} failed transactions (errors that reached it):"
		sed 's/^pgbench: client [0-9]* //' "$work/pgbench.$label.err" | sort | uniq -c | sort -rn | head -n 10
	else
		echo "ok: no pgbench transaction failed, no client aborted"
	fi

	# The psql clients' calls: successes from stdout, errors from stderr.
	cat "$work"/raw."$label".*.out >"$work/raw.$label.successes"
	cat "$work"/raw."$label".*.err | awk -v unknown="$work/raw.$label.unknown" \
		-f "$dir/raw_errors.awk" >"$work/raw.$label.errors"
	touch "$work/raw.$label.unknown"
	calls=$(cat "$work"/raw."$label".*.err | grep -c '^call ' || true)
	ok=$(wc -l <"$work/raw.$label.successes")
	errors=$(wc -l <"$work/raw.$label.errors")
	echo "psql clients: $calls calls, $ok created, $errors refused"
	lock_sampler_stop "$label" "$isolation"
	if [ -s "$work/raw.$label.unknown" ]; then
		fail "the psql clients printed what is not a create_entry error:"
		head -n 20 "$work/raw.$label.unknown"
	fi
	if [ "$calls" -ne $((ok + errors)) ]; then
		fail "the psql clients made $calls calls but $ok succeeded and $errors failed"
	fi
	PGOPTIONS=$base_options
	export PGOPTIONS
	value -c "CREATE TEMP TABLE s (user_no integer, kind text, entry_id uuid, returned bigint);
	          CREATE TEMP TABLE e (user_no integer, kind text, sqlstate text, code text, property text, message text);" \
		-c "\\copy s FROM '$work/raw.$label.successes' WITH (DELIMITER '|')" \
		-c "\\copy e FROM '$work/raw.$label.errors'" \
		-c "INSERT INTO conc.outcome (phase, path, user_no, kind, entry_id, returned)
		    SELECT '$isolation', 'raw', user_no, kind, entry_id, returned FROM s;
		    INSERT INTO conc.outcome (phase, path, user_no, kind, sqlstate, code, property, message)
		    SELECT '$isolation', 'raw', user_no, kind, sqlstate, code, property, message FROM e;"
}

for layout in $layouts; do
db=$(db_of "$layout")
failures_before=$failures
echo
echo "##### $layout time_entries (database $db)"

# The database -------------------------------------------------------------

dropdb --if-exists "$db"
createdb "$db"
case $layout in
plain)
	q -c 'CREATE EXTENSION time_entry' -f "$dir/setup.sql" ;;
partitioned)
	# Monthly partitions from a month before the load's base to six months
	# after it (far more than any run writes), and those of the control
	# (2000-01-01) and of the deterministic imports (2001-01); no default.
	# The users' clocks start 4 hours before the next month begins.
	q -c 'SET time_entry.partitioned = on' -c 'CREATE EXTENSION time_entry' -f "$dir/setup.sql"
	q <<'SQL'
UPDATE conc.params SET base = date_trunc('month', base) + interval '1 month' - interval '4 hours';
DO $$
DECLARE
	m date;
BEGIN
	FOR m IN SELECT generate_series(date_trunc('month', p.base) - interval '1 month',
									date_trunc('month', p.base) + interval '6 months', interval '1 month')
			   FROM conc.params p
			 UNION SELECT '2000-01-01' UNION SELECT '2001-01-01'
	LOOP
		EXECUTE format('CREATE TABLE time_entry.%I PARTITION OF time_entry.time_entries FOR VALUES FROM (%L) TO (%L)',
					   'time_entries_p' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
	END LOOP;
END
$$;
ANALYZE;
SQL
	check "time_entries is partitioned, without a default partition; the running-entry index is not unique" \
		"SELECT (SELECT relkind = 'p' FROM pg_class WHERE oid = 'time_entry.time_entries'::regclass)
		        AND (SELECT count(*) >= 10 AND bool_and(pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT')
		               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		              WHERE i.inhparent = 'time_entry.time_entries'::regclass)
		        AND NOT (SELECT indisunique FROM pg_index
		                  WHERE indexrelid = 'time_entry.time_entries_one_running_per_user'::regclass)
		        AND time_entry.insert_path() = 'executor: the table is partitioned'" ;;
*)
	echo "unknown layout $layout (CONC_LAYOUTS: plain, partitioned)" >&2
	exit 2 ;;
esac

# 50 direct calls per psql connection
i=0
while [ $i -lt 50 ]; do
	cat "$dir/raw_call.sql"
	i=$((i + 1))
done >"$work/raw_chunk.sql"

# The load -------------------------------------------------------------------

phase "$layout.rc" 'read committed'
phase "$layout.rr" 'repeatable read'

# import_entries over two users ------------------------------------------------

echo
echo "=== import_entries over shared users, taking them in other orders"
# A deterministic pair.  Call A books users 3, 2, 1 and call B users 2, 3,
# 4: they share users 2 and 3 in opposite orders, and their smallest users
# differ, so a call that locked only its first user in id order up front
# (not all of them) would deadlock here.  A test-only trigger holds call A
# after its first entry (noted 'pause'), with the locks it has taken, until
# call B is seen waiting for a lock; B starts only once A is held.  So B
# asks for its users while A holds its own, every time, and A fails (which
# fails the test) if B never waits: the case is reached, not hoped for.
q <<'SQL'
CREATE FUNCTION conc.pause() RETURNS trigger LANGUAGE plpgsql AS
$$BEGIN
	IF current_setting('application_name') = 'te_conc_pair_a' THEN
		FOR i IN 1 .. 1200 LOOP
			PERFORM pg_stat_clear_snapshot();
			IF EXISTS (SELECT FROM pg_stat_activity
						WHERE application_name = 'te_conc_pair_b' AND wait_event_type = 'Lock') THEN
				RETURN NEW;
			END IF;
			PERFORM pg_sleep(0.05);
		END LOOP;
		RAISE EXCEPTION 'call B was not seen waiting for a lock within 60 s';
	END IF;
	RETURN NEW;
END$$;
CREATE TRIGGER pause AFTER INSERT ON time_entry.time_entries
	FOR EACH ROW WHEN (NEW.note = 'pause') EXECUTE FUNCTION conc.pause();
SQL
import_batch()
{
	# import_batch DAY USER...: one timed entry per user, on a day of 2001
	# apart from the load's
	day=$1
	shift
	elements=""
	for u in "$@"; do
		elements="$elements${elements:+,}
			jsonb_build_object('userId', conc.user_id($u), 'typeOfWorkId', '00000000-0000-4000-8000-00000000f001',
				'timezone', 'UTC', 'startDateUtc', '2001-01-0${day}T10:00:00Z', 'duration', 60, 'note', 'pause')"
	done
	value -v VERBOSITY=verbose -c "
		SELECT i.ordinal, i.id IS NOT NULL, i.error->>'sqlstate'
		  FROM time_entry.import_entries(jsonb_build_array($elements), conc.user_id(1)) i"
}
set +e
PGAPPNAME=te_conc_pair_a import_batch 1 3 2 1 >"$work/import.a.out" 2>"$work/import.a.err" &
pid=$!
echo $pid >"$work/import.pid"
# until call A is held in the trigger (at most 60 s), or has ended
tries=0
until [ "$(value -c "SELECT count(*) FROM pg_stat_activity
                      WHERE application_name = 'te_conc_pair_a' AND wait_event = 'PgSleep'")" = 1 ]; do
	tries=$((tries + 1))
	if ! kill -0 $pid 2>/dev/null || [ $tries -gt 600 ]; then
		break
	fi
	sleep 0.1
done
PGAPPNAME=te_conc_pair_b import_batch 2 2 3 4 >"$work/import.b.out" 2>"$work/import.b.err"
rc_b=$?
wait $pid
rc_a=$?
rm -f "$work/import.pid"
set -e
q -c 'DROP TRIGGER pause ON time_entry.time_entries' -c 'DROP FUNCTION conc.pause()'
if [ $rc_a -eq 0 ] && [ $rc_b -eq 0 ]; then
	echo "ok: both calls returned, the second one having waited for the first one's lock"
else
	fail "import_entries([user 3, 2, 1]) and import_entries([user 2, 3, 4]) at once:" \
		"call A exited $rc_a, call B $rc_b"
	grep -h 'ERROR\|DETAIL\|Process' "$work/import.a.err" "$work/import.b.err" | sed 's/^/    /'
fi

# The same under load: 4 clients, READ COMMITTED, half a phase's
# transactions each, seen contending.
import_transactions=$(( (transactions + 1) / 2 ))
lock_sampler import
set +e
pgbench -n -c 4 -j 2 -t "$import_transactions" --max-tries=1 --failures-detailed \
	-f "$dir/import_two_users.pgbench" "$db" >"$work/pgbench.import.out" 2>"$work/pgbench.import.err"
rc=$?
set -e
processed=$(pgbench_count 'number of transactions actually processed' "$work/pgbench.import.out")
failed=$(pgbench_count 'number of failed transactions' "$work/pgbench.import.out")
deadlock=$(pgbench_count 'number of deadlock failures' "$work/pgbench.import.out")
echo "pgbench, 4 x $import_transactions transactions: ${processed:-?} calls of import_entries over two users," \
	"${failed:-?} failed (${deadlock:-?} deadlocks)"
lock_sampler_stop import "import_entries over two users"
if [ "$rc" -ne 0 ] || [ "${failed:-x}" != 0 ]; then
	fail "import_entries over two users: ${failed:-?} calls failed (${deadlock:-?} deadlocks), pgbench exit $rc"
else
	echo "ok: no call of import_entries over two users failed"
fi

# The checks -----------------------------------------------------------------

echo
echo "=== checks"
q -f "$dir/checks.sql"

echo "outcomes (refusal = sqlstate code property):"
q -c "SELECT phase AS isolation, path,
             count(*) FILTER (WHERE entry_id IS NOT NULL) AS created,
             count(*) FILTER (WHERE sqlstate = '23P01') AS \"23P01 overlap\",
             count(*) FILTER (WHERE sqlstate = '23505') AS \"23505 running\",
             count(*) FILTER (WHERE entry_id IS NULL AND sqlstate NOT IN ('23P01', '23505')) AS other
        FROM conc.outcome GROUP BY ROLLUP (1, 2) ORDER BY 1, 2"
q -c "SELECT phase AS isolation, coalesce(sqlstate || ' ' || code || ' ' || property, 'created') AS outcome, count(*),
             string_agg(DISTINCT kind, ', ') AS kinds
        FROM conc.outcome GROUP BY 1, 2 ORDER BY 1, 2"

# The negative control: the admin makes an overlapping pair (he may), which
# the checker must find once the admin is not counted as exempt.
q -c "SELECT count(*) FROM (
		SELECT time_entry.create_entry(jsonb_build_object('userId', conc.user_id(1),
			'typeOfWorkId', '00000000-0000-4000-8000-00000000f001', 'timezone', 'UTC',
			'startDateUtc', s, 'duration', 3600, 'note', 'control'), conc.user_id(0))
		  FROM unnest(ARRAY['2000-01-01T10:00:00Z', '2000-01-01T10:30:00Z']) s) x" >/dev/null
q -c "INSERT INTO conc.outcome (phase, path, kind, user_no, entry_id)
      SELECT 'control', 'control', 'timed', 1, id FROM time_entry.time_entries WHERE note = 'control'"
check "negative control: the checker finds the admin's overlapping pair when the admin is not exempt" \
	"SELECT count(*) = 1 FROM conc.violations('{}') v
	   JOIN time_entry.time_entries a ON a.id = v.a_id JOIN time_entry.time_entries b ON b.id = v.b_id
	  WHERE a.note = 'control' AND b.note = 'control'"
check "negative control: counted as exempt, the admin's pair is no violation" \
	"SELECT count(*) = 0 FROM conc.violations(ARRAY[conc.user_id(0)]) v
	   JOIN time_entry.time_entries a ON a.id = v.a_id WHERE a.note = 'control'"
check "the checker sees overlaps in the stored rows (the control pair and the admin's)" \
	"SELECT count(*) > 1 FROM conc.overlapping_pairs"

check_empty "no two timed entries of a user overlap, but where the admin's entry came later" \
	"SELECT * FROM conc.violations(ARRAY[conc.user_id(0)])"
check_empty "at most one running entry per user" \
	"SELECT user_id, count(*) FROM time_entry.time_entries
	  WHERE start_at IS NOT NULL AND end_at IS NULL GROUP BY 1 HAVING count(*) > 1"
check_empty "every row's invariants hold" "SELECT * FROM conc.bad_rows"
check_empty "every refusal is invalid-operation on userId: 23505 for a timer, 23P01 for a non-admin's timed entry or timer" \
	"SELECT phase, path, kind, sqlstate, code, property, message FROM conc.unexpected_refusals"
check_empty "no deadlock (40P01) or serialization failure (40001) reached a call" \
	"SELECT phase, path, kind, sqlstate, message FROM conc.outcome WHERE sqlstate LIKE '40%'"
check_empty "every logged success is a stored row" \
	"SELECT o.* FROM conc.outcome o LEFT JOIN time_entry.time_entries e ON e.id = o.entry_id
	  WHERE o.entry_id IS NOT NULL AND e.id IS NULL"
check_empty "every stored row is a logged success, logged once" \
	"SELECT e.id, count(o.entry_id) FROM time_entry.time_entries e LEFT JOIN conc.outcome o ON o.entry_id = e.id
	  WHERE e.note IS DISTINCT FROM 'pause' GROUP BY 1 HAVING count(o.entry_id) <> 1"
check_empty "date-only entries and the admin's timed entries were never refused" \
	"SELECT * FROM conc.outcome WHERE entry_id IS NULL AND (kind = 'date-only' OR (path = 'admin' AND kind <> 'running'))"

for isolation in 'read committed' 'repeatable read'; do
	check "$isolation: at least $min_outcomes entries created, $min_outcomes overlaps and $min_outcomes second timers refused" \
		"SELECT count(*) FILTER (WHERE entry_id IS NOT NULL) >= $min_outcomes
		        AND count(*) FILTER (WHERE sqlstate = '23P01') >= $min_outcomes
		        AND count(*) FILTER (WHERE sqlstate = '23505') >= $min_outcomes
		   FROM conc.outcome WHERE phase = '$isolation'"
	check "$isolation: every path both created and was refused (the psql clients too)" \
		"SELECT count(*) = 6 AND bool_and(created > 0 AND refused > 0) FROM (
		   SELECT path, count(entry_id) AS created, count(*) - count(entry_id) AS refused
		     FROM conc.outcome WHERE phase = '$isolation' GROUP BY path) x"
done
check "timers were started and stopped, and entries were created back-to-back" \
	"SELECT (SELECT count(*) > 0 FROM time_entry.time_entries WHERE updated_by = conc.user_id(0) AND note LIKE 'running%')
	    AND (SELECT count(*) > 0 FROM time_entry.time_entries a JOIN time_entry.time_entries b
	           ON b.user_id = a.user_id AND b.start_at = a.end_at
	          WHERE NOT conc.is_admin(a.created_by) AND NOT conc.is_admin(b.created_by))"
if [ "$layout" = partitioned ]; then
	q -c "SELECT e.tableoid::regclass AS partition, count(*) AS entries, min(e.date_local), max(e.date_local)
	        FROM time_entry.time_entries e GROUP BY 1 ORDER BY 3"
	check "the load wrote into two monthly partitions or more, on both sides of a month's start" \
		"SELECT count(DISTINCT e.tableoid) >= 2
		        AND bool_or(e.date_local < date_trunc('month', p.base) + interval '1 month')
		        AND bool_or(e.date_local >= date_trunc('month', p.base) + interval '1 month')
		   FROM time_entry.time_entries e, conc.params p
		  WHERE e.date_local > '2001-02-01'"
	# No unique index stands behind "at most one running entry per user"
	# here: the check above would see a second timer (the owner may write
	# one; rolled back).
	check "negative control: the running-entry check finds a second timer the owner wrote" \
		"BEGIN;
		 SET LOCAL time_entry.actor = '00000000-0000-4000-8000-00000000b000';
		 INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, start_at, duration, is_billable, is_billed)
		 SELECT conc.user_id(1), '00000000-0000-4000-8000-00000000f001', 'UTC', p.base::date, p.base - i * interval '1 minute', 0, false, false
		   FROM conc.params p, generate_series(1, 2) i;
		 SELECT count(*) = 1 FROM (SELECT user_id FROM time_entry.time_entries
		  WHERE start_at IS NOT NULL AND end_at IS NULL GROUP BY 1 HAVING count(*) > 1) x;
		 ROLLBACK;"
	check "a user's entries within 30 minutes of each other lie in two partitions (overlap checks had to read both)" \
		"SELECT count(*) > 0 FROM time_entry.time_entries a JOIN time_entry.time_entries b
		     ON b.user_id = a.user_id AND b.tableoid <> a.tableoid
		    AND b.start_at BETWEEN a.start_at AND a.start_at + interval '30 minutes'"
fi
value -c "SELECT 'stored: ' || count(*) || ' entries (' || count(*) FILTER (WHERE start_at IS NULL) || ' date-only, '
                 || count(*) FILTER (WHERE updated_by = conc.user_id(0) AND note LIKE 'running%') || ' stopped timers, '
                 || count(*) FILTER (WHERE start_at IS NOT NULL AND end_at IS NULL) || ' running); '
                 || (SELECT count(*) FROM conc.overlapping_pairs) || ' overlapping pairs, each with an admin''s entry that came later'
            FROM time_entry.time_entries"

echo "$layout: $((failures - failures_before)) check(s) failed"
done

echo
if [ "$failures" -ne 0 ]; then
	echo "concurrency: $failures check(s) FAILED"
	exit 1
fi
echo "concurrency: all checks passed ($layouts)"
