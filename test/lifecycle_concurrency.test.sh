#!/bin/sh
# The life of an entry under concurrent load (SPEC 9; issue 12, item 3).
#
# In its own database on the server of the environment (PGHOST, ...), with
# the users of test/lifecycle_concurrency/setup.sql, bounded pgbench runs
# (8 clients on 2 threads, a few seconds each; every call's outcome logged
# in lc.outcome in the call's transaction, its error caught in PL/pgSQL)
# and psql clients (the error reaching the client, read back from its
# stderr), then invariant checks over the stored rows and the log:
#
#   1. update_entry from one expected_version: of the calls that read the
#      same version of an entry, exactly one succeeds and every other gets
#      version-conflict (40001, property resourceVersion); the successes
#      chain from the initial version to the stored one, and the stored
#      entry is the last success's (no lost update).  In READ COMMITTED
#      (pgbench and psql), again in REPEATABLE READ (where a loser may also
#      get PostgreSQL's own serialization failure: allowed there only, and
#      counted apart), and a mutant (the version compared without the row's
#      lock) that the same checks must catch.
#   2. start_timer racing for one user: every commit (checked in the call's
#      transaction) leaves exactly one running entry and stops the previous
#      one at the new start (or capped at max_duration); afterwards each
#      user's timers form a chain, the latest running, none overlapping.
#   3. stop_timer, update_entry and delete_entry (and start_timer) on the
#      same running entries: every row keeps its invariants, a deleted entry
#      is gone and nothing was written to it after its delete, every entry
#      is as its last logged write left it, every stop has a consistent end;
#      with prevent_overlaps off (s3), then on (s3o: update_entry of a
#      running entry's start then takes the user's lock too).
#   4. the same request id sent at once by several clients through
#      create_entry, try_create_entry, import_entries, the typed
#      create_entry and start_timer (and psql calling create_entry), now and
#      then as another request (another note, user or actor): one entry per
#      id, every call of the winning request gets that entry, every other
#      request conflict (23505 on id), never a raw unique violation.
#   5. update_entry moving, resizing and reassigning entries under
#      prevent_overlaps: no commit leaves the entry it wrote overlapping
#      another (checked in its transaction), no two entries of a user
#      overlap at the end; a mutant (the check without the user's lock) and
#      an admin's overlapping pair show that the checks find an overlap.
#
# In every phase: no outcome outside the SPEC's (no deadlock, no
# serialization failure but version-conflict, no raw constraint violation,
# no property other than the rule's) reached a caller, pgbench counted no
# failed transaction, and counts show that the load reached each case (at
# least so many conflicts refused, stops that raced with updates, retries
# that raced with their first call, sessions seen waiting for a lock); the
# minimums are a tenth or less of what a run makes here, for a slow machine
# and an ASan build.  Every checker is shown to find what it looks for on a
# table of broken rows (lc.control).
#
# Run by test/run.sh (once per time_entry.write_path); about 40 s on 2
# cores; prints a summary and exits non-zero on any failure.  LC_SECONDS
# sets the length of the main load phases (default 4), LC_PHASES the
# scenarios to run (default "s1 s2 s3 s4 s5"), LC_KEEP=1 keeps the database
# for a look afterwards.
set -eu

cd "$(dirname "$0")/.."

dir=test/lifecycle_concurrency
db=te_lifecycle_concurrency
seconds=${LC_SECONDS:-4}
phases=${LC_PHASES:-s1 s2 s3 s4 s5}
short=$(( (seconds + 1) / 2 ))
work=$(mktemp -d)
failures=0
started_at=$(date +%s)

base_options="-c client_min_messages=warning -c TimeZone=UTC"
PGOPTIONS=$base_options
export PGOPTIONS

cleanup()
{
	# the background clients of an interrupted run
	for pid in $(cat "$work"/*.pid 2>/dev/null); do
		kill "$pid" 2>/dev/null || true
	done
	if [ -z "${LC_KEEP:-}" ]; then
		dropdb --if-exists --force "$db" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

. test/lib.sh

# check_empty DESCRIPTION SQL: the query returns no row (else they are shown)
check_empty()
{
	n=$(value -c "SELECT count(*) FROM ($2) x" 2>&1) || true
	if [ "$n" = 0 ]; then
		echo "ok: $1"
	else
		fail "$1: $n row(s), the first ones:"
		q -c "$2 LIMIT 10" || true
	fi
}

# One pgbench count ("number of failed transactions: 3 (0.1%)" -> 3).
pgbench_count()
{
	sed -n "s/^$1: \([0-9]*\).*/\1/p" "$2" | head -n 1
}

# A heading, with the seconds since the start.
section()
{
	echo
	echo "=== $1 (at $(($(date +%s) - started_at)) s)"
}

has_phase()
{
	case " $phases " in
	*" $1 "*) return 0 ;;
	*) return 1 ;;
	esac
}

# A psql client calling a function straight, until the deadline, in chunks
# of 40 calls (raw_*.sql), one connection per chunk.
raw_client()
{
	out=$1
	chunk=$2
	deadline=$3
	shift 3
	while [ "$(date +%s)" -lt "$deadline" ]; do
		psql -X -q -A -t -F '|' -v VERBOSITY=verbose "$@" -d "$db" -f "$chunk" \
			>>"$out.out" 2>>"$out.err" || true
	done
}

make_chunk()
{
	i=0
	while [ $i -lt 40 ]; do
		cat "$1"
		i=$((i + 1))
	done >"$2"
}

# load LABEL SECONDS CLIENTS RAW_TEMPLATE RAW_PSQL_ARGS -- PGBENCH_ARGS...:
# pgbench for SECONDS with CLIENTS clients, two psql clients running
# RAW_TEMPLATE meanwhile (none when "-"), and a session sampling every 20 ms
# the sessions waiting for a lock (lc.sample_lock_waits).  Checks
# that pgbench counted no failed transaction and that no client aborted;
# leaves the psql clients' output in $work/raw.LABEL.{ok,errors,unknown}.
load()
{
	label=$1
	secs=$2
	clients=$3
	raw=$4
	raw_args=$5
	shift 6
	deadline=$(($(date +%s) + secs))
	if [ "$raw" != - ]; then
		make_chunk "$raw" "$work/chunk.$label.sql"
		for i in 1 2; do
			# shellcheck disable=SC2086
			raw_client "$work/raw.$label.$i" "$work/chunk.$label.sql" "$deadline" $raw_args &
			echo $! >"$work/raw.$label.$i.pid"
		done
	fi
	value -c "SELECT lc.sample_lock_waits($secs)" >"$work/locks.$label" 2>&1 &
	echo $! >"$work/locks.$label.pid"

	t0=$(date +%s%N)
	set +e
	pgbench -n -c "$clients" -j 2 -T "$secs" --max-tries=1 --failures-detailed --verbose-errors \
		"$@" "$db" >"$work/pgbench.$label.out" 2>"$work/pgbench.$label.err"
	rc=$?
	set -e
	for f in "$work"/raw."$label".*.pid "$work/locks.$label.pid"; do
		[ -f "$f" ] || continue
		wait "$(cat "$f")" || true
		rm -f "$f"
	done
	processed=$(pgbench_count 'number of transactions actually processed' "$work/pgbench.$label.out")
	failed=$(pgbench_count 'number of failed transactions' "$work/pgbench.$label.out")
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.$label.out")
	read -r waiting samples most <"$work/locks.$label" || true
	echo "$label: pgbench ${processed:-?} calls in $((($(date +%s%N) - t0) / 1000000)) ms (${tps:-?} tps), ${failed:-?} failed;" \
		"sessions waiting for a lock in $waiting of $samples samples, up to ${most:-0} at once"
	echo "$label $waiting" >>"$work/lock_waits"
	if [ "$rc" -ne 0 ] || grep -q 'aborted' "$work/pgbench.$label.out" "$work/pgbench.$label.err"; then
		fail "$label: pgbench exited with $rc or a client aborted:"
		tail -n 20 "$work/pgbench.$label.out" "$work/pgbench.$label.err"
	elif [ "${failed:-x}" != 0 ]; then
		fail "$label: pgbench counted ${failed:-?} failed transactions (errors that reached it):"
		sed 's/^pgbench: client [0-9]* //' "$work/pgbench.$label.err" | sort | uniq -c | sort -rn | head -n 10
	fi

	if [ "$raw" != - ]; then
		cat "$work"/raw."$label".*.out | grep -v '^$' >"$work/raw.$label.ok" || true
		: >"$work/raw.$label.unknown"
		cat "$work"/raw."$label".*.err | awk -v unknown="$work/raw.$label.unknown" \
			-f "$dir/raw_errors.awk" >"$work/raw.$label.errors"
		calls=$(cat "$work"/raw."$label".*.err | grep -c '^call ' || true)
		ok=$(wc -l <"$work/raw.$label.ok")
		errors=$(wc -l <"$work/raw.$label.errors")
		echo "$label: psql clients $calls calls, $ok succeeded, $errors refused"
		if [ -s "$work/raw.$label.unknown" ]; then
			fail "$label: the psql clients printed what is not an error of a call:"
			head -n 20 "$work/raw.$label.unknown"
		fi
		if [ "$calls" -ne $((ok + errors)) ] || [ "$calls" -eq 0 ]; then
			fail "$label: the psql clients made $calls calls but $ok succeeded and $errors failed"
		fi
	fi
}

# lock_waits LABEL: the samples of LABEL's load that saw a session waiting
lock_waits()
{
	sed -n "s/^$1 //p" "$work/lock_waits"
}

check_lock_waits()
{
	if [ "$(lock_waits "$1")" -gt 0 ] 2>/dev/null; then
		echo "ok: $1: sessions were seen waiting for a lock (the calls contended)"
	else
		fail "$1: no session was ever seen waiting for a lock: the calls did not contend"
	fi
}

# The outcomes of a phase, by operation and outcome.
summary()
{
	q -c "SELECT op, coalesce(sqlstate || ' ' || coalesce(code, '(no code)') || ' ' || coalesce(property, ''), 'ok') AS outcome,
	             count(*), string_agg(DISTINCT variant, ', ') AS variants
	        FROM lc.outcome WHERE phase = '$1' GROUP BY 1, 2 ORDER BY 1, 2"
}

# check_count DESCRIPTION SQL MIN: the count the query returns is MIN or
# more (printed either way)
check_count()
{
	got=$(value -c "$2" 2>&1) || true
	case $got in
	'' | *[!0-9]*)
		fail "$1 (got '$got' from: $2)"
		return ;;
	esac
	if [ "$got" -ge "$3" ]; then
		echo "ok: $1: $got (at least $3)"
	else
		fail "$1: $got, fewer than $3"
	fi
}

check_unexpected()
{
	check_empty "$1: every refusal is one the SPEC allows here, with its SQLSTATE, code and property (no deadlock, no serialization failure but version-conflict, no raw constraint violation)" \
		"SELECT phase, path, op, variant, sqlstate, code, property, message FROM lc.unexpected WHERE phase = '$1'"
}

# The database ----------------------------------------------------------------

dropdb --if-exists --force "$db"
createdb "$db"
q -c 'CREATE EXTENSION time_entry' -f "$dir/setup.sql" -f "$dir/checks.sql"
value -c "SELECT 'database $db: time_entry ' || e.extversion || ', insert path: ' || time_entry.insert_path()
                 || ', time_entry.write_path = ' || coalesce(current_setting('time_entry.write_path', true), '?')
            FROM pg_extension e WHERE e.extname = 'time_entry'"

# The write path the calls below take.  With time_entry.write_path = auto the
# table as created takes the direct insert and the direct update, each of
# which says so at DEBUG1; with executor, neither.  One of each, rolled back.
path=$(value -c "SELECT current_setting('time_entry.write_path') FROM (SELECT time_entry.insert_path()) loaded")
debug=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" 2>&1 >/dev/null <<'SQL'
BEGIN;
SET LOCAL client_min_messages = debug1;
SELECT time_entry.update_entry(
	(time_entry.create_entry(jsonb_build_object('userId', lc.uid(1), 'typeOfWorkId', lc.tow(), 'timezone', 'UTC',
		'startDateUtc', '2025-01-10', 'startTimeUtc', '09:00:00', 'duration', 600), lc.uid(1))->>'id')::uuid,
	'{"note": "path"}', lc.uid(1)) IS NOT NULL;
SELECT time_entry.start_timer(jsonb_build_object('userId', lc.uid(1), 'typeOfWorkId', lc.tow(), 'timezone', 'UTC',
	'startDateUtc', '2025-01-11', 'startTimeUtc', '09:00:00'), lc.uid(1)) IS NOT NULL;
SELECT time_entry.stop_timer(lc.uid(1), lc.uid(1), '2025-01-11 10:00Z') IS NOT NULL;
ROLLBACK;
SQL
) && probe=ok || probe=failed
inserted=$(printf '%s\n' "$debug" | grep -c 'entry inserted directly' || true)
updated=$(printf '%s\n' "$debug" | grep -c 'updated directly' || true)
if [ "$path" = auto ]; then
	want="1 insert and 2 updates made directly"
	[ "$inserted" = 1 ] && [ "$updated" = 2 ]
else
	want="no insert or update made directly"
	[ "$inserted" = 0 ] && [ "$updated" = 0 ]
fi && [ "$probe" = ok ] && echo "ok: write path $path: $want" ||
	fail "write path $path: wanted $want, saw $inserted direct insert(s) and $updated direct update(s); the probe $probe: $debug"

# Negative controls: each checker finds the broken rows of lc.control --------

section "the checkers, on a table of broken rows"
# Every row below breaks one thing, named in its note; the users: 1 (two
# running entries), 2 (an overlap: b starts inside a), 3 (a chain of
# timers: one stopped after the next began, one neither at the next start
# nor capped, one still running before the latest), 6 (a stop capped at
# 1800 s, then a running timer).
q <<'SQL'
INSERT INTO lc.control (id, user_id, type_of_work_id, note, timezone, date_local, start_at, end_at, duration,
						break_duration, is_billable, is_billed, is_external, created_by, created_on,
						updated_by, updated_on, resource_version)
SELECT md5(v.note)::uuid, lc.uid(v.u), lc.tow(), v.note, coalesce(v.tz, 'UTC'),
	   coalesce(v.day, (v.s AT TIME ZONE 'UTC')::date), v.s, v.e, v.d, 0, v.billable, v.billed, false,
	   lc.uid(v.u), now(), lc.uid(v.u), now(), 1
  FROM (VALUES
	('running 1', 1, '2025-05-01 10:00+00'::timestamptz, NULL::timestamptz, 0, NULL::date, NULL::text, false, false),
	('running 2', 1, '2025-05-01 11:00+00', NULL, 0, NULL, NULL, false, false),
	('overlap a', 2, '2025-05-01 10:00+00', '2025-05-01 11:00+00', 3600, NULL, NULL, false, false),
	('overlap b', 2, '2025-05-01 10:59+00', '2025-05-01 11:30+00', 1860, NULL, NULL, false, false),
	('touching c', 2, '2025-05-01 11:30+00', '2025-05-01 12:00+00', 1800, NULL, NULL, false, false),
	('chain 1 ends late', 3, '2025-05-01 10:00+00', '2025-05-01 10:10+00', 600, NULL, NULL, false, false),
	('chain 2 stopped early', 3, '2025-05-01 10:05+00', '2025-05-01 10:06+00', 60, NULL, NULL, false, false),
	('chain 3 still runs', 3, '2025-05-01 10:07+00', NULL, 0, NULL, NULL, false, false),
	('chain 4 latest', 3, '2025-05-01 10:08+00', NULL, 0, NULL, NULL, false, false),
	('bad duration', 4, '2025-05-01 10:00+00', '2025-05-01 10:10+00', 601, NULL, NULL, false, false),
	('end before start', 4, '2025-05-02 10:00+00', '2025-05-02 09:00+00', 0, NULL, NULL, false, false),
	('running with a duration', 5, '2025-05-01 10:00+00', NULL, 60, NULL, NULL, false, false),
	('wrong day', 4, '2025-05-03 10:00+00', '2025-05-03 10:10+00', 600, '2025-05-04', NULL, false, false),
	('billed not billable', 4, '2025-05-05 10:00+00', '2025-05-05 10:10+00', 600, NULL, NULL, false, true),
	('date-only', 4, NULL, NULL, 600, '2025-05-06', NULL, false, false),
	('cap 1', 6, '2025-05-01 10:00+00', '2025-05-01 10:30+00', 1800, NULL, NULL, false, false),
	('cap 2', 6, '2025-05-01 11:00+00', NULL, 0, NULL, NULL, false, false)
  ) AS v(note, u, s, e, d, day, tz, billable, billed);
SQL
check "bad_rows finds each broken row of the control, and only those" \
	"SELECT array_agg(DISTINCT c.note ORDER BY c.note) = ARRAY['bad duration', 'billed not billable', 'date-only',
	        'end before start', 'running with a duration', 'wrong day']
	   FROM lc.bad_rows('lc.control') b JOIN lc.control c ON c.id = b.id"
check "running_twice finds the user with two running entries (and the chain's)" \
	"SELECT array_agg(lc.user_no(user_id) ORDER BY 1) = ARRAY[1, 3] FROM lc.running_twice('lc.control')"
check "overlaps finds the overlapping entry, not the touching one" \
	"SELECT array_agg(c.note ORDER BY c.note) = ARRAY['overlap b']
	   FROM lc.overlaps('lc.control', ARRAY[lc.uid(2)]) o JOIN lc.control c ON c.id = o.id"
check "overlaps finds the chain's overlaps (an entry ending after the next start, two running)" \
	"SELECT array_agg(c.note ORDER BY c.note) = ARRAY['chain 2 stopped early', 'chain 3 still runs', 'chain 4 latest']
	   FROM lc.overlaps('lc.control', ARRAY[lc.uid(3)]) o JOIN lc.control c ON c.id = o.id"
check "timer_chain finds each broken link" \
	"SELECT array_agg(c.note || ': ' || t.problem ORDER BY c.note, t.problem) = ARRAY[
	        'chain 1 ends late: ends after the next timer starts',
	        'chain 1 ends late: stopped neither at the next start nor capped at max_duration',
	        'chain 2 stopped early: stopped neither at the next start nor capped at max_duration',
	        'chain 3 still runs: an earlier timer still runs']
	   FROM lc.timer_chain('lc.control', ARRAY[lc.uid(3)], 3600) t JOIN lc.control c ON c.id = t.id"
check "timer_chain: a stop capped at max_duration is no broken link; under a greater max_duration it is" \
	"SELECT (SELECT count(*) FROM lc.timer_chain('lc.control', ARRAY[lc.uid(6)], 1800)) = 0
	    AND (SELECT array_agg(c.note || ': ' || t.problem) FROM lc.timer_chain('lc.control', ARRAY[lc.uid(6)], 3600) t
	           JOIN lc.control c ON c.id = t.id)
	        = ARRAY['cap 1: stopped neither at the next start nor capped at max_duration']
	    AND (SELECT array_agg(c.note || ': ' || t.problem ORDER BY t.problem) FROM lc.timer_chain('lc.control', ARRAY[lc.uid(6)], 1200) t
	           JOIN lc.control c ON c.id = t.id)
	        = ARRAY['cap 1: longer than max_duration', 'cap 1: stopped neither at the next start nor capped at max_duration']"
check "allowed: a deadlock, a raw unique violation, a raw serialization failure in READ COMMITTED and a version-conflict without an expected version are not allowed" \
	"SELECT NOT bool_or(lc.allowed(o)) FROM (VALUES
	   (ROW(0, 's3', 'pgbench', 'update_entry', 'start', 7, NULL, NULL, false, false, NULL, NULL, NULL,
	        '40P01', NULL, NULL, 'deadlock detected', NULL, NULL, now(), 'read committed', NULL)::lc.outcome),
	   (ROW(0, 's4', 'pgbench', 'import_entries', 'user', 10, NULL, NULL, false, false, NULL, NULL, NULL,
	        '23505', 'time_entries_pkey', NULL, 'duplicate key value violates unique constraint', NULL, NULL, now(), 'read committed', NULL)::lc.outcome),
	   (ROW(0, 's1', 'pgbench', 'update_entry', 'note', 1, NULL, 1, true, false, NULL, NULL, NULL,
	        '40001', NULL, NULL, 'could not serialize access due to concurrent update', NULL, NULL, now(), 'read committed', NULL)::lc.outcome),
	   (ROW(0, 's3', 'pgbench', 'delete_entry', 'delete', 7, NULL, NULL, false, false, NULL, NULL, NULL,
	        '40001', 'version-conflict', 'resourceVersion', 'entry has changed', NULL, NULL, now(), 'read committed', NULL)::lc.outcome)
	 ) x(o)"

# 1. update_entry from one expected_version ----------------------------------------

# At least this many, in READ COMMITTED: (entry, version) groups of three
# calls or more, version-conflicts, and refusals that raced the winner.
# Here, and in the other phases, a minimum is a tenth or less of what a run
# counts on 2 cores busy with other work too (a run alone counts 2 to 5
# times more), so that a slower machine or an ASan build still passes; a
# mechanism that does not reach its case at all still fails.
s1_min_groups=${LC_S1_MIN_GROUPS:-20}
s1_min_conflicts=${LC_S1_MIN_CONFLICTS:-50}
s1_min_raced=${LC_S1_MIN_RACED:-20}

s1_checks()
{
	ph=$1
	check_empty "$ph: every (entry, version) that calls started from has exactly one success" \
		"SELECT * FROM lc.s1_groups('$ph') WHERE successes <> 1"
	check_empty "$ph: the successes chain from the initial version to the stored one, each version greater, the stored entry the last success's" \
		"SELECT * FROM lc.s1_broken_chain('$ph')"
	check_empty "$ph: no two successes produced the same version of an entry" \
		"SELECT entry_id, version FROM lc.outcome WHERE phase = '$ph' AND ok GROUP BY 1, 2 HAVING count(*) > 1"
	check_empty "$ph: every success kept created_*, set updated_by to the actor" \
		"SELECT o.entry_id, o.resp->>'createdBy', o.resp->>'updatedBy', o.extra->>'actor'
		   FROM lc.outcome o JOIN lc.s1_entries s ON s.phase = o.phase AND s.id = o.entry_id
		  WHERE o.phase = '$ph' AND o.ok AND o.path = 'pgbench'
		    AND (o.resp->>'createdBy' <> lc.uid(s.user_no)::text OR o.resp->>'updatedBy' <> o.extra->>'actor'
		         OR (o.row_after->>'created_on')::timestamptz
		            <> (SELECT e.created_on FROM time_entry.time_entries e WHERE e.id = o.entry_id))"
	check_unexpected "$ph"
}

if has_phase s1; then
	section "1. update_entry from one expected_version: exactly one wins"
	value -c "SELECT lc.begin_phase('s1', false, 86400), lc.s1_make_entries('s1'),
	                 lc.begin_phase('s1rr', false, 86400), lc.s1_make_entries('s1rr'),
	                 lc.begin_phase('s1mutant', false, 86400), lc.s1_make_entries('s1mutant')" >/dev/null
	load s1 "$seconds" 8 "$dir/raw_s1.sql" "-v phase=s1" -- \
		-D "phase='s1'" -D "path='pgbench'" -f "$dir/s1_update.pgbench"
	PGOPTIONS="$base_options -c default_transaction_isolation=repeatable\\ read"
	export PGOPTIONS
	check "s1rr: the sessions run in REPEATABLE READ" "SELECT current_setting('transaction_isolation') = 'repeatable read'"
	load s1rr "$short" 8 "$dir/raw_s1.sql" "-v phase=s1rr" -- \
		-D "phase='s1rr'" -D "path='pgbench'" -f "$dir/s1_update.pgbench"
	PGOPTIONS=$base_options
	export PGOPTIONS
	load s1mutant 1 4 - "" -- -D "phase='s1mutant'" -D "path='mutant'" -f "$dir/s1_update.pgbench"

	for ph in s1 s1rr; do
		value -c "CREATE TEMP TABLE ok (tag text, k integer, v bigint, newv bigint, note text, kind text);
		          CREATE TEMP TABLE er (k integer, v bigint, kind text, sqlstate text, code text, property text, message text);" \
			-c "\\copy ok FROM '$work/raw.$ph.ok' WITH (DELIMITER '|')" \
			-c "\\copy er FROM '$work/raw.$ph.errors'" \
			-c "INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, expected, with_expected, ok, resp, version)
			    SELECT '$ph', 'raw', 'update_entry', ok.kind, s.user_no, s.id, ok.v, true, true,
			           jsonb_build_object('note', ok.note, 'resourceVersion', ok.newv), ok.newv
			      FROM ok JOIN lc.s1_entries s ON s.phase = '$ph' AND s.k = ok.k;
			    INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, expected, with_expected, ok,
			                            sqlstate, code, property, message)
			    SELECT '$ph', 'raw', 'update_entry', er.kind, s.user_no, s.id, er.v, true, false,
			           er.sqlstate, er.code, er.property, er.message
			      FROM er JOIN lc.s1_entries s ON s.phase = '$ph' AND s.k = er.k;" >/dev/null
	done

	for ph in s1 s1rr s1mutant; do
		summary "$ph"
	done
	q -c "SELECT g.phase, count(*) AS \"(entry, version) groups\", sum(g.calls) AS calls,
	             count(*) FILTER (WHERE g.calls >= 3) AS \"groups of 3+ calls\", max(g.calls) AS \"largest group\",
	             sum(g.conflicts) AS \"version-conflicts\", sum(g.raced) AS \"refusals that raced the winner\",
	             count(*) FILTER (WHERE g.successes > 1) AS \"groups with 2+ successes\"
	        FROM (SELECT 's1' AS phase, * FROM lc.s1_groups('s1') UNION ALL
	              SELECT 's1rr', * FROM lc.s1_groups('s1rr') UNION ALL
	              SELECT 's1mutant', * FROM lc.s1_groups('s1mutant')) g GROUP BY 1 ORDER BY 1"
	s1_checks s1
	s1_checks s1rr
	check_count "s1: (entry, version) groups of 3 calls or more" \
		"SELECT count(*) FROM lc.s1_groups('s1') WHERE calls >= 3" "$s1_min_groups"
	check_count "s1: version-conflicts refused" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's1' AND code = 'version-conflict'" "$s1_min_conflicts"
	check_count "s1: refusals whose call started before the winner of their version committed (they met its row lock)" \
		"SELECT sum(raced) FROM lc.s1_groups('s1')" "$s1_min_raced"
	check_count "s1: refusals the psql clients got (40001 version-conflict reaching the client)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's1' AND path = 'raw' AND code = 'version-conflict'" 5
	check_count "s1rr: calls refused, as version-conflict or as a serialization failure" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's1rr' AND sqlstate = '40001'" 10
	check_lock_waits s1
	check_lock_waits s1rr
	# The mutant compares the version without the row's lock: the same
	# checks must find versions with two successes.
	check_count "s1mutant (the version compared without the row lock): the check finds (entry, version) groups with two successes or more" \
		"SELECT count(*) FROM lc.s1_groups('s1mutant') WHERE successes > 1" 1
fi

# 2. start_timer racing for one user ------------------------------------------

s2_max=3600
if has_phase s2; then
	section "2. start_timer racing for one user: one running entry, the others stopped"
	value -c "SELECT lc.begin_phase('s2', true, $s2_max)" >/dev/null
	load s2 "$seconds" 8 - "" -- -f "$dir/s2_start.pgbench"
	summary s2
	value -c "SELECT 'timers: ' || count(*) FILTER (WHERE ok) || ' started, '
	                 || count(*) FILTER (WHERE ok AND extra->'stopped' <> 'null') || ' of them stopping a running entry ('
	                 || count(*) FILTER (WHERE ok AND (extra->'stopped'->>'end_at')::timestamptz < lc.resp_start(resp)) || ' capped), '
	                 || count(*) FILTER (WHERE NOT ok) || ' refused (a start before the running one''s)'
	            FROM lc.outcome WHERE phase = 's2'"
	check_empty "s2: at every commit of start_timer the user had exactly one running entry, the new one" \
		"SELECT seq, user_no, extra->'running_after' FROM lc.outcome
		  WHERE phase = 's2' AND ok AND (extra->>'running_after')::integer <> 1"
	check_empty "s2: the entry a start_timer stopped ended at the new start (or capped at max_duration before it), its duration its length" \
		"SELECT o.seq, o.user_no, s.id, s.start_at, s.end_at, s.duration, lc.resp_start(o.resp) AS new_start
		   FROM lc.outcome o
		  CROSS JOIN LATERAL jsonb_populate_record(NULL::time_entry.time_entries, o.extra->'stopped') s
		  WHERE o.phase = 's2' AND o.ok AND o.extra->'stopped' <> 'null'
		    AND NOT ((s.end_at = lc.resp_start(o.resp)
		              OR (s.end_at = s.start_at + $s2_max * interval '1 second' AND s.end_at < lc.resp_start(o.resp)))
		             AND s.duration = floor(extract(epoch FROM s.end_at) - extract(epoch FROM s.start_at)))"
	check_empty "s2: every start_timer after the first of a user stopped an entry" \
		"SELECT o.seq, o.user_no FROM lc.outcome o
		  WHERE o.phase = 's2' AND o.ok AND o.extra->'stopped' = 'null'
		    AND EXISTS (SELECT FROM lc.outcome p WHERE p.phase = 's2' AND p.ok AND p.user_no = o.user_no
		                 AND (p.resp->>'resourceVersion')::bigint < (o.resp->>'resourceVersion')::bigint)"
	check_empty "s2: each user's timers form a chain: in order of start, each stopped at the next start (or capped), the latest running" \
		"SELECT * FROM lc.timer_chain('time_entry.time_entries', ARRAY[lc.uid(3), lc.uid(4), lc.uid(5), lc.uid(6)], $s2_max)"
	check_empty "s2: no two entries of a user overlap" \
		"SELECT * FROM lc.overlaps('time_entry.time_entries', ARRAY[lc.uid(3), lc.uid(4), lc.uid(5), lc.uid(6)])"
	check_empty "s2: every logged start is a stored entry of its user, and every stored entry a logged start" \
		"SELECT coalesce(o.entry_id, e.id), o.user_no, e.user_id FROM
		   (SELECT * FROM lc.outcome WHERE phase = 's2' AND ok) o
		   FULL JOIN (SELECT * FROM time_entry.time_entries WHERE user_id IN (lc.uid(3), lc.uid(4), lc.uid(5), lc.uid(6))) e
		     ON e.id = o.entry_id AND e.user_id = lc.uid(o.user_no)
		  WHERE o.entry_id IS NULL OR e.id IS NULL"
	check_unexpected s2
	check_count "s2: start_timer calls that stopped a running entry, at fixed past times" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's2' AND ok AND variant = 'past' AND extra->'stopped' <> 'null'" 20
	check_count "s2: start_timer calls that stopped a running entry, at the statement's time" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's2' AND ok AND variant <> 'past' AND extra->'stopped' <> 'null'" 20
	check_count "s2: stops capped at max_duration" \
		"SELECT count(*) FROM lc.outcome o
		  CROSS JOIN LATERAL jsonb_populate_record(NULL::time_entry.time_entries, o.extra->'stopped') s
		  WHERE o.phase = 's2' AND o.ok AND o.extra->'stopped' <> 'null' AND s.end_at < lc.resp_start(o.resp)" 1
	check_count "s2: successful start_timer calls that ran while another success for the same user ran (they queued on the user)" \
		"SELECT lc.concurrent_successes('s2')" 20
	check_lock_waits s2
fi

# 3. stop_timer, update_entry, delete_entry on the same running entries -------

s3_max=120
s3_checks()
{
	ph=$1
	check_empty "$ph: a deleted entry is gone, nothing was written to it after its delete, the delete returned its last state; every other entry is as its last write left it" \
		"SELECT * FROM lc.lost_writes(ARRAY['$ph'], ARRAY[7, 8, 9])"
	check_empty "$ph: every stop (stop_timer, or start_timer stopping the running entry) left a consistent end and duration, within max_duration" \
		"SELECT o.seq, o.op, s.id, s.start_at, s.end_at, s.duration
		   FROM lc.outcome o
		  CROSS JOIN LATERAL jsonb_populate_record(NULL::time_entry.time_entries, o.row_after) s
		  WHERE o.phase = '$ph' AND o.ok AND o.op IN ('stop_timer', 'stopped-by-start')
		    AND NOT (s.end_at >= s.start_at AND s.end_at - s.start_at <= $s3_max * interval '1 second'
		             AND s.duration = floor(extract(epoch FROM s.end_at) - extract(epoch FROM s.start_at)))"
	check_empty "$ph: every response of stop_timer is the row it left" \
		"SELECT o.seq FROM lc.outcome o WHERE o.phase = '$ph' AND o.ok AND o.op = 'stop_timer'
		    AND (lc.resp_end(o.resp) IS DISTINCT FROM (o.row_after->>'end_at')::timestamptz
		         OR (o.resp->>'duration')::integer <> (o.row_after->>'duration')::integer
		         OR o.version <> (o.row_after->>'resource_version')::bigint)"
	check_empty "$ph: a delete that named an expected_version returned that version; an update that named one wrote right after it (no logged write in between)" \
		"SELECT o.seq, o.op, o.expected, o.version FROM lc.outcome o
		  WHERE o.phase = '$ph' AND o.ok AND o.with_expected AND o.op = 'delete_entry' AND o.version <> o.expected
		 UNION ALL
		 SELECT o.seq, o.op, o.expected, o.version FROM lc.outcome o
		  WHERE o.phase = '$ph' AND o.ok AND o.with_expected AND o.op = 'update_entry'
		    AND EXISTS (SELECT FROM lc.outcome p WHERE p.phase = '$ph' AND p.ok AND p.entry_id = o.entry_id
		                 AND p.op <> 'delete_entry'
		                 AND coalesce(p.version, (p.row_after->>'resource_version')::bigint) > o.expected
		                 AND coalesce(p.version, (p.row_after->>'resource_version')::bigint) < o.version)"
	check_empty "$ph: no deadlock and no serialization failure reached a call" \
		"SELECT op, variant, sqlstate, code, message FROM lc.outcome
		  WHERE phase = '$ph' AND (sqlstate = '40P01' OR (sqlstate = '40001' AND code IS DISTINCT FROM 'version-conflict'))"
	check_unexpected "$ph"
}

# The counts that show a phase of 3 met its races (s3, and s3o with
# prevent_overlaps on): each kind of collision happened, so the checks
# above had something to judge.
s3_counts()
{
	check_count "$1: successful stops of an entry that an update_entry or delete_entry call was working on at the same moment" \
		"SELECT count(DISTINCT s.seq) FROM lc.outcome s JOIN lc.outcome u
		     ON u.phase = s.phase AND u.entry_id = s.entry_id AND u.op IN ('update_entry', 'delete_entry')
		    AND u.t_start < s.t_end AND s.t_start < u.t_end
		  WHERE s.phase = '$1' AND s.ok AND s.op IN ('stop_timer', 'stopped-by-start')" 10
	check_count "$1: stop_timer calls that found no running entry (stopped or deleted just before)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = '$1' AND op = 'stop_timer' AND code = 'not-found'" 20
	check_count "$1: update_entry and delete_entry calls whose entry was deleted after they read it (not-found)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = '$1' AND op IN ('update_entry', 'delete_entry') AND code = 'not-found'" 3
	check_count "$1: update_entry and delete_entry calls whose entry changed after they read it (version-conflict)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = '$1' AND code = 'version-conflict'" 10
	check_count "$1: an end or duration refused on a running entry (55000)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = '$1' AND sqlstate = '55000'" 10
	check_count "$1: an end or duration accepted on an entry read running and stopped before the update took its lock" \
		"SELECT count(*) FROM lc.outcome WHERE phase = '$1' AND ok AND op = 'update_entry' AND variant IN ('duration', 'end')" 1
	check_count "$1: entries deleted while running" \
		"SELECT count(*) FROM lc.outcome WHERE phase = '$1' AND ok AND op = 'delete_entry' AND resp->>'endTimeUtc' IS NULL" 10
	check_lock_waits "$1"
}

if has_phase s3; then
	section "3. stop_timer racing with update_entry and delete_entry: no half-state"
	value -c "SELECT lc.begin_phase('s3', false, $s3_max)" >/dev/null
	load s3 "$seconds" 8 - "" -- -D "phase='s3'" \
		-f "$dir/s3_start_timer.pgbench@3" -f "$dir/s3_stop_timer.pgbench@3" \
		-f "$dir/s3_update_entry.pgbench@4" -f "$dir/s3_delete_entry.pgbench@1"
	summary s3
	s3_checks s3
	s3_counts s3

	echo
	echo "--- the same with prevent_overlaps on (update_entry of a running entry's start takes the user's lock)"
	value -c "SELECT lc.begin_phase('s3o', true, $s3_max)" >/dev/null
	load s3o "$seconds" 8 - "" -- -D "phase='s3o'" \
		-f "$dir/s3_start_timer.pgbench@3" -f "$dir/s3_stop_timer.pgbench@3" \
		-f "$dir/s3_update_entry.pgbench@4" -f "$dir/s3_delete_entry.pgbench@1"
	summary s3o
	s3_checks s3o
	check_count "s3o: update_entry calls that moved the start of an entry (under the user's lock)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's3o' AND op = 'update_entry' AND variant = 'start' AND (ok OR sqlstate = '23P01')" 3
	s3_counts s3o
fi

# 4. the same request id from several clients ---------------------------------

s4_checks()
{
	# the request of every call, the stored entry of every id, and which
	# request it holds (the winner)
	q <<'SQL'
CREATE TABLE lc.s4_calls AS
SELECT o.*, (o.extra->>'n')::bigint AS n, o.extra->>'kind' AS kind,
	   o.ok AND o.xact_ts = e.created_on AS created, o.ok AND o.xact_ts <> e.created_on AS retry,
	   e.end_at IS NOT NULL AS stored_stopped
  FROM lc.outcome o LEFT JOIN time_entry.time_entries e ON e.id = o.entry_id
 WHERE o.phase = 's4';
CREATE TABLE lc.s4_by_id AS
SELECT c.n, lc.s4_id(c.n) AS id, min(c.kind) AS kind, count(*) AS calls, count(*) FILTER (WHERE c.ok) AS successes,
	   min(c.t_end) FILTER (WHERE c.created) AS first_end,
	   (SELECT count(*) FROM time_entry.time_entries e WHERE e.id = lc.s4_id(c.n)) AS stored,
	   (SELECT v.variant FROM time_entry.time_entries e,
			   unnest(ARRAY['canonical', 'note', 'user', 'actor']) v(variant),
			   lc.s4_request(c.n, v.variant) r
		 WHERE e.id = lc.s4_id(c.n) AND e.user_id = lc.uid(r.user_no) AND e.note = r.req->>'note'
		   AND e.created_by = r.actor
		 LIMIT 1) AS winner
  FROM lc.s4_calls c GROUP BY c.n;
-- a retry raced the first call of its id: it started before that returned
ALTER TABLE lc.s4_calls ADD raced boolean;
UPDATE lc.s4_calls c SET raced = c.retry AND c.t_start < i.first_end FROM lc.s4_by_id i WHERE i.n = c.n;
SQL
	q -c "SELECT kind, count(*) AS ids, sum(calls) AS calls, sum(successes) AS successes,
	             count(*) FILTER (WHERE successes >= 2) AS \"ids returned 2+ times\",
	             count(*) FILTER (WHERE winner <> 'canonical') AS \"won by another request\"
	        FROM lc.s4_by_id GROUP BY ROLLUP (1) ORDER BY 1"
	q -c "SELECT op AS face, count(*) FILTER (WHERE created) AS created,
	             count(*) FILTER (WHERE retry) AS \"returned (a retry)\",
	             count(*) FILTER (WHERE raced) AS \"retries that raced the first call\",
	             count(*) FILTER (WHERE code = 'conflict') AS conflict,
	             count(*) FILTER (WHERE NOT ok AND code IS DISTINCT FROM 'conflict') AS \"other refusal\"
	        FROM lc.s4_calls GROUP BY ROLLUP (1) ORDER BY 1"
	check_empty "s4: every id that a call got is one stored entry; an id no call got is not stored" \
		"SELECT * FROM lc.s4_by_id WHERE stored <> CASE WHEN successes > 0 THEN 1 ELSE 0 END"
	check_empty "s4: every success returned the entry of its request id, as stored in its transaction" \
		"SELECT seq, op, entry_id, resp->>'id', row_after->>'id' FROM lc.s4_calls
		  WHERE ok AND (coalesce(resp->>'id', '') <> entry_id::text OR coalesce(row_after->>'id', '') <> entry_id::text
		                OR (version IS NOT NULL AND version <> (row_after->>'resource_version')::bigint))"
	check_empty "s4: the stored entry of every id holds one of the requests sent with it" \
		"SELECT * FROM lc.s4_by_id WHERE stored = 1 AND winner IS NULL"
	check_empty "s4: every call of the request that won got the entry (a timer's retry may conflict once it was stopped, or come before the running one)" \
		"SELECT c.seq, c.op, c.n, c.variant, c.sqlstate, c.code, c.message FROM lc.s4_calls c JOIN lc.s4_by_id i ON i.n = c.n
		  WHERE c.variant = i.winner AND NOT c.ok
		    AND NOT (c.kind <> 'timed' AND (c.code = 'date-dependency' OR (c.code = 'conflict' AND c.stored_stopped)))"
	check_empty "s4: every call of another request with the same id got conflict (23505 on id), or, for a timer, a start before the running one's" \
		"SELECT c.seq, c.op, c.n, c.variant, i.winner, c.ok, c.sqlstate, c.code, c.property FROM lc.s4_calls c JOIN lc.s4_by_id i ON i.n = c.n
		  WHERE i.winner IS NOT NULL AND c.variant <> i.winner
		    AND NOT (c.code = 'conflict' OR (c.kind <> 'timed' AND c.code = 'date-dependency'))"
	check_empty "s4: no raw unique violation (or any other error outside the SPEC) reached a call" \
		"SELECT op, variant, sqlstate, code, property, message FROM lc.unexpected WHERE phase = 's4'"
	check_empty "s4: timers: at most one running entry per user, no overlap" \
		"SELECT user_id, NULL::uuid FROM lc.running_twice('time_entry.time_entries')
		 UNION ALL SELECT user_id, id FROM lc.overlaps('time_entry.time_entries', ARRAY[lc.uid(10), lc.uid(11), lc.uid(12), lc.uid(13), lc.uid(14), lc.uid(15), lc.uid(16)])"
	for face in create_entry try_create_entry import_entries 'import_entries x2' 'create_entry typed' start_timer; do
		check_count "s4: $face: retries that returned the entry" \
			"SELECT count(*) FROM lc.s4_calls WHERE op = '$face' AND retry" 10
	done
	check_count "s4: retries that started before the first call of their id had returned (and waited for it)" \
		"SELECT count(*) FROM lc.s4_calls WHERE raced" 10
	check_count "s4: calls refused with conflict (another request with the id)" \
		"SELECT count(*) FROM lc.s4_calls WHERE code = 'conflict'" 10
	check_count "s4: ids that another user's request won or lost (two users' locks, the same id)" \
		"SELECT count(*) FROM lc.s4_by_id i WHERE EXISTS (SELECT FROM lc.s4_calls c WHERE c.n = i.n AND c.variant = 'user')" 5
	check_count "s4: the psql clients' calls that returned an entry already there or got conflict" \
		"SELECT count(*) FROM lc.s4_calls WHERE path = 'raw' AND (code = 'conflict' OR retry)" 5
	check_lock_waits s4
}

if has_phase s4; then
	section "4. one request id from several clients at once: one entry"
	value -c "SELECT lc.begin_phase('s4', true, 86400)" >/dev/null
	load s4 "$seconds" 8 "$dir/raw_s4.sql" "" -- -f "$dir/s4_call.pgbench"
	# the psql clients' calls (a success prints its transaction's timestamp:
	# the entry's created_on when it created the entry)
	value -c "CREATE TEMP TABLE ok (tag text, n bigint, variant text, id uuid, version bigint, xact_ts timestamptz, t_end timestamptz);
	          CREATE TEMP TABLE er (n bigint, variant text, sqlstate text, code text, property text, message text);" \
		-c "\\copy ok FROM '$work/raw.s4.ok' WITH (DELIMITER '|')" \
		-c "\\copy er FROM '$work/raw.s4.errors'" \
		-c "INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, ok, resp, version, row_after, xact_ts, t_end, extra)
		    SELECT 's4', 'raw', 'create_entry (psql)', ok.variant, r.user_no, lc.s4_id(ok.n), true,
		           jsonb_build_object('id', ok.id), ok.version,
		           (SELECT to_jsonb(e) FROM time_entry.time_entries e WHERE e.id = ok.id), ok.xact_ts, ok.t_end,
		           jsonb_build_object('n', ok.n, 'kind', r.kind)
		      FROM ok CROSS JOIN LATERAL lc.s4_request(ok.n, ok.variant) r;
		    INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, ok, sqlstate, code, property, message, extra)
		    SELECT 's4', 'raw', 'create_entry (psql)', er.variant, r.user_no, lc.s4_id(er.n), false,
		           er.sqlstate, er.code, er.property, er.message, jsonb_build_object('n', er.n, 'kind', r.kind)
		      FROM er CROSS JOIN LATERAL lc.s4_request(er.n, er.variant) r;" >/dev/null
	summary s4
	s4_checks
fi

# 5. update_entry moving entries under prevent_overlaps ------------------------

if has_phase s5; then
	section "5. update_entry moving entries of the same users under prevent_overlaps: no overlap"
	value -c "SELECT lc.begin_phase('s5', true, 86400), lc.s5_make_entries(), lc.begin_phase('s5mutant', true, 86400)" >/dev/null
	check_empty "s5: the entries start apart" \
		"SELECT * FROM lc.overlaps('time_entry.time_entries', ARRAY(SELECT lc.uid(n) FROM generate_series(17, 23) n))"
	load s5 "$seconds" 8 - "" -- -D "phase='s5'" -D "path='pgbench'" -f "$dir/s5_move.pgbench"
	load s5mutant 1 8 - "" -- -D "phase='s5mutant'" -D "path='mutant'" -f "$dir/s5_move.pgbench"
	summary s5
	summary s5mutant
	check_empty "s5: no commit of update_entry left the entry it wrote overlapping another (checked in its transaction, under the user's lock)" \
		"SELECT seq, variant, entry_id, extra->'overlaps_at_commit' FROM lc.outcome
		  WHERE phase = 's5' AND ok AND (extra->>'overlaps_at_commit')::integer <> 0"
	check_empty "s5: no two entries of a user overlap" \
		"SELECT * FROM lc.overlaps('time_entry.time_entries', ARRAY[lc.uid(17), lc.uid(18), lc.uid(19), lc.uid(20)])"
	check_empty "s5: every entry is as its last write left it" \
		"SELECT * FROM lc.lost_writes(ARRAY['s5'], ARRAY[17, 18, 19, 20])"
	check_empty "s5: the users' entries are all there (32)" \
		"SELECT count(*) FROM time_entry.time_entries
		  WHERE user_id IN (lc.uid(17), lc.uid(18), lc.uid(19), lc.uid(20)) HAVING count(*) <> 32"
	check_unexpected s5
	check_count "s5: entries moved, resized or reassigned" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's5' AND ok" 30
	check_count "s5: moves refused as an overlap (23P01)" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's5' AND sqlstate = '23P01'" 30
	check_count "s5: entries given to another user" \
		"SELECT count(*) FROM lc.outcome WHERE phase = 's5' AND ok AND variant = 'reassign'" 5
	check_count "s5: successful moves whose call ran while another success for the same user ran (they queued on the user)" \
		"SELECT lc.concurrent_successes('s5')" 20
	check_lock_waits s5
	# The mutant checks overlaps without the user's lock: the checker must
	# find what it let through.
	check_count "s5mutant (the overlap check without the user's lock): the checks find overlaps, at a commit or at the end" \
		"SELECT (SELECT count(*) FROM lc.outcome WHERE phase = 's5mutant' AND ok AND (extra->>'overlaps_at_commit')::integer > 0)
		        + (SELECT count(*) FROM lc.overlaps('time_entry.time_entries', ARRAY[lc.uid(22), lc.uid(23)]))" 3
	# The negative control on the table itself: an admin (exempt) makes an
	# overlapping pair; the checker finds it (rolled back).
	check "negative control: the checker finds the pair an admin made overlap" \
		"BEGIN;
		 CREATE TEMP TABLE control AS
		 SELECT time_entry.create_entry(jsonb_build_object('userId', lc.uid(17), 'typeOfWorkId', lc.tow(),
		        'timezone', 'UTC', 'startDateUtc', s, 'duration', 3600, 'note', 'control'), lc.uid(0))
		   FROM unnest(ARRAY['2025-01-25T10:00:00Z', '2025-01-25T10:30:00Z']) s;
		 SELECT count(*) = 1 FROM lc.overlaps('time_entry.time_entries', ARRAY[lc.uid(17)]) o
		   JOIN time_entry.time_entries e ON e.id = o.id WHERE e.note = 'control';
		 ROLLBACK;"
fi

# Over everything -------------------------------------------------------------

section "over all phases"
check_empty "every row's invariants hold (SPEC 1.2)" "SELECT * FROM lc.bad_rows('time_entry.time_entries')"
check_empty "at most one running entry per user" "SELECT * FROM lc.running_twice('time_entry.time_entries')"
check_empty "no deadlock (40P01) reached a call" \
	"SELECT phase, op, variant, message FROM lc.outcome WHERE sqlstate = '40P01'"
check_empty "no serialization failure other than version-conflict reached a call (but in REPEATABLE READ, s1rr)" \
	"SELECT phase, op, variant, message FROM lc.outcome
	  WHERE sqlstate = '40001' AND code IS DISTINCT FROM 'version-conflict' AND phase <> 's1rr'"
check_empty "every outcome of every phase is one the SPEC allows" \
	"SELECT phase, op, sqlstate, code, property, count(*) FROM lc.unexpected GROUP BY 1, 2, 3, 4, 5"
value -c "SELECT 'logged: ' || count(*) || ' calls (' || count(*) FILTER (WHERE ok) || ' succeeded, '
                 || count(*) FILTER (WHERE NOT ok) || ' refused) in ' || count(DISTINCT phase) || ' phases; stored: '
                 || (SELECT count(*) FROM time_entry.time_entries) || ' entries'
            FROM lc.outcome"

echo
echo "lifecycle concurrency: $(($(date +%s) - started_at)) s"
if [ "$failures" -ne 0 ]; then
	echo "lifecycle concurrency: $failures check(s) FAILED"
	exit 1
fi
echo "lifecycle concurrency: all checks passed ($phases)"
