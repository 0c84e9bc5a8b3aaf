#!/bin/sh
# The statement lookups (src/lookup.c) and a row another session commits
# while a transaction of ours goes on calling the same call site.
#
# In READ COMMITTED every call of "v := check()" in PL/pgSQL takes a new
# snapshot, but the call site's state (and its cache of looked-up rows)
# lives for the whole transaction.  The case that a cache keyed on less
# than the snapshot's contents gets wrong:
#
#   session old     BEGIN; writes (xid X0); stays open until main is done
#   session holder  BEGIN; inserts user U (xid X1); commits once main has
#                   called check(U) twice
#   session later   writes and commits at once (xid X2 > X1)
#   session main    one transaction: check(U) every 0.1 s, up to 10 s,
#                   writing nothing in between
#
# While holder is open, main's snapshots have xmin X0, xmax X2 + 1 and
# X1 among the running xids: U is not found.  When holder commits, the
# next snapshot has the same xmin, xmax and command id -- only the list of
# running xids is shorter -- and must find U.  A cache that kept "U: no
# row" would report not-found to the end of the 10 s.
#
# Each session starts when the one before has its xid (seen in
# pg_stat_activity), not after a sleep, and the test fails unless
# X0 < X1 < X2 and main called check(U) at least twice before holder
# committed: the case is set up, not hoped for.
#
# Run by test/run.sh in the environment's server (PGHOST, ...).
set -eu

cd "$(dirname "$0")/.."

db=te_lookup_snapshot
work=$(mktemp -d)
PGOPTIONS="-c client_min_messages=warning"
export PGOPTIONS
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"

cleanup()
{
	for pid in $(cat "$work"/*.pid 2>/dev/null); do
		kill "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
	dropdb --if-exists "$db" 2>/dev/null || true
}
trap cleanup EXIT

dropdb --if-exists "$db"
createdb "$db"
$psql <<'SQL'
CREATE EXTENSION time_entry;
CREATE TABLE scratch (n integer);
INSERT INTO time_entry.roles (id, name)
VALUES ('72000000-0000-4000-8000-0000000000a1', 'Lead');
INSERT INTO time_entry.role_permissions
VALUES ('72000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'write');
INSERT INTO time_entry.users (id, first_name, last_name, role_id)
VALUES ('72000000-0000-4000-8000-0000000000b1', 'Lea', 'Lead',
		'72000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.types_of_work (id, name)
VALUES ('72000000-0000-4000-8000-0000000000f1', 'Checking');
CREATE FUNCTION check_user() RETURNS jsonb
LANGUAGE plpgsql
AS $$
BEGIN
	RETURN time_entry.validate_entry(
		'{"userId": "72000000-0000-4000-8000-0000000000b9",
		  "typeOfWorkId": "72000000-0000-4000-8000-0000000000f1",
		  "timezone": "UTC", "startDateUtc": "2024-01-02",
		  "startTimeUtc": "09:00", "endTimeUtc": "10:00"}',
		'72000000-0000-4000-8000-0000000000b1');
END
$$;
SQL

# xid_of NAME PID: wait until the session of application_name NAME (whose
# client is process PID) has an xid (at most 30 s); print it
xid_of()
{
	tries=0
	while :; do
		xid=$($psql -At -c "SELECT backend_xid FROM pg_stat_activity
		                    WHERE application_name = '$1' AND backend_xid IS NOT NULL")
		if [ -n "$xid" ]; then
			echo "$xid"
			return 0
		fi
		tries=$((tries + 1))
		if ! kill -0 "$2" 2>/dev/null || [ $tries -gt 300 ]; then
			echo "FAIL: session $1 did not get an xid within 30 s" >&2
			cat "$work"/*.err >&2
			return 1
		fi
		sleep 0.1
	done
}

# old: an xid older than everything else, open until main is done
$psql >/dev/null 2>"$work/old.err" <<'SQL' &
SET application_name = 'te_lookup_old';
BEGIN;
INSERT INTO scratch VALUES (0);
SELECT pg_sleep(60);
COMMIT;
SQL
echo $! >"$work/old.pid"
x0=$(xid_of te_lookup_old "$(cat "$work/old.pid")")

# holder: inserts the user, commits once main has called check(U) twice
# (main counts its calls in its application_name), or after 60 s
$psql >/dev/null 2>"$work/holder.err" <<'SQL' &
SET application_name = 'te_lookup_holder';
BEGIN;
INSERT INTO time_entry.users (id, first_name, last_name)
VALUES ('72000000-0000-4000-8000-0000000000b9', 'Una', 'Late');
DO $$
BEGIN
	FOR i IN 1 .. 600 LOOP
		PERFORM pg_stat_clear_snapshot();
		EXIT WHEN EXISTS (SELECT FROM pg_stat_activity
						   WHERE application_name ~ '^te_lookup_main [0-9]+$'
							 AND split_part(application_name, ' ', 2)::int >= 2);
		PERFORM pg_sleep(0.1);
	END LOOP;
END
$$;
COMMIT;
SQL
echo $! >"$work/holder.pid"
x1=$(xid_of te_lookup_holder "$(cat "$work/holder.pid")")

# later: a newer xid that completes at once
x2=$($psql -At -c "BEGIN" -c "INSERT INTO scratch VALUES (2)" -c "SELECT xid(pg_current_xact_id())" -c "COMMIT")
echo "xids: old $x0, holder $x1, later $x2"
if ! [ "$x0" -lt "$x1" ] || ! [ "$x1" -lt "$x2" ]; then
	echo "FAIL: the xids are not in the order old < holder < later; the case was not set up"
	exit 1
fi

# main: the verdicts of check_user(), in one transaction
$psql -At >"$work/main.out" 2>"$work/main.err" <<'SQL'
DO $$
DECLARE
	v jsonb;
	verdicts text[] := '{}';
	started timestamptz := clock_timestamp();
BEGIN
	LOOP
		v := check_user();
		verdicts := verdicts || coalesce(v->>'code', 'valid');
		PERFORM set_config('application_name', 'te_lookup_main ' || cardinality(verdicts), false);
		EXIT WHEN v IS NULL OR clock_timestamp() - started > interval '10 s';
		PERFORM pg_sleep(0.1);
	END LOOP;
	RAISE WARNING 'verdicts: %', array_to_string(verdicts, ' ');
END
$$;
SQL

$psql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		   WHERE application_name = 'te_lookup_old'" >/dev/null
wait
cat "$work/main.err"
verdicts=$(sed -n 's/.*verdicts: //p' "$work/main.err")
first=$(echo "$verdicts" | awk '{print $1}')
last=$(echo "$verdicts" | awk '{print $NF}')
calls=$(echo "$verdicts" | wc -w)
misses=$(echo "$verdicts" | tr ' ' '\n' | grep -c not-found || true)
echo "lookup_snapshot: $calls calls, $misses before the commit was seen"
if [ "$first" != "not-found" ] || [ "$misses" -lt 2 ]; then
	echo "FAIL: main did not call twice before holder committed (first: $first); the case was not set up"
	exit 1
fi
if [ "$last" != "valid" ]; then
	echo "FAIL: the user committed by another session was never found: the lookups kept a stale row"
	exit 1
fi
echo "ok: the user committed by another session was found by the next call"
