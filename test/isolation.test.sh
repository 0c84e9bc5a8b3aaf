#!/bin/sh
# What the rules read under REPEATABLE READ (issue 11, item 6), and what
# a lock taken while another transaction changes the row locks.
#
# The rules read the directory (users, roles, projects, ...) with the
# statement's snapshot, as every query does: in REPEATABLE READ, the
# transaction's.  A row they relied on that another transaction changed
# and committed after that snapshot makes the write fail with a
# serialization failure (40001), as a foreign-key check does when the row
# it relies on changed, so that the caller retries; a change the rules do
# not read lets the write go on.  In READ COMMITTED every statement sees
# the latest committed state, so the change is simply seen.
#
# The other transaction is a psql started from this one's script (\!).
# Run by test/run.sh in the environment's server (PGHOST, ...).
set -eu

cd "$(dirname "$0")/.."

db=te_isolation
failures=0
PGOPTIONS="-c client_min_messages=warning"
export PGOPTIONS
. test/lib.sh

trap 'dropdb --if-exists "$db" 2>/dev/null || true' EXIT
dropdb --if-exists "$db"
createdb "$db"
q <<'SQL'
CREATE EXTENSION time_entry;
INSERT INTO time_entry.users (id, first_name) VALUES ('74000000-0000-4000-8000-0000000000b1', 'Iso');
INSERT INTO time_entry.types_of_work (id, name) VALUES ('74000000-0000-4000-8000-0000000000f1', 'Isolation');
INSERT INTO time_entry.projects (id, name) VALUES
	('74000000-0000-4000-8000-0000000000d1', 'Will close'),
	('74000000-0000-4000-8000-0000000000d2', 'Renamed');
UPDATE time_entry.settings SET prevent_on_closed_projects = true;
CREATE FUNCTION public.req(d int, project uuid) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object('userId', '74000000-0000-4000-8000-0000000000b1',
		'typeOfWorkId', '74000000-0000-4000-8000-0000000000f1', 'timezone', 'UTC',
		'projectId', project, 'startDateUtc', format('2025-01-%sT09:00:00Z', lpad(d::text, 2, '0')),
		'duration', 60)
$$;
CREATE FUNCTION public.outcome(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text; code text;
BEGIN
	EXECUTE sql;
	RETURN 'created';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME;
	RETURN state || coalesce(' ' || nullif(code, ''), '');
END
$$;
SQL

other="psql -X -q -v ON_ERROR_STOP=1 -d $db"
create="SELECT public.outcome(\$\$SELECT time_entry.create_entry(public.req(%s, '%s'), '74000000-0000-4000-8000-0000000000b1')\$\$)"
closed=74000000-0000-4000-8000-0000000000d1
renamed=74000000-0000-4000-8000-0000000000d2

for path in auto executor; do
	q -c "UPDATE time_entry.projects SET is_closed = false, name = 'Renamed'"

	# REPEATABLE READ: the project the entry is on closed after the snapshot
	got=$(value 2>&1 <<SQL || true
SET time_entry.write_path = '$path';
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM time_entry.projects;
\! $other -c "UPDATE time_entry.projects SET is_closed = true WHERE id = '$closed'"
$(printf "$create" 1 $closed);
SELECT time_entry.validate_entry(public.req(2, '$closed'), '74000000-0000-4000-8000-0000000000b1') IS NULL;
ROLLBACK;
SQL
)
	check_got() {
		if [ "$(echo "$2" | tr '\n' ' ')" = "$3" ]; then
			echo "ok: $path: $1"
		else
			fail "$path: $1 (got: $2; wanted: $3)"
		fi
	}
	check_got "repeatable read: a project closed after the snapshot is a serialization failure (validate_entry still answers from the snapshot)" "$got" "2 40001 t "

	# REPEATABLE READ: a change the rules do not read
	q -c "UPDATE time_entry.projects SET is_closed = false"
	got=$(value 2>&1 <<SQL || true
SET time_entry.write_path = '$path';
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM time_entry.projects;
\! $other -c "UPDATE time_entry.users SET last_name = 'Other' WHERE id <> '74000000-0000-4000-8000-0000000000b1'"
\! $other -c "UPDATE time_entry.projects SET name = 'Renamed again' WHERE id = '$renamed'"
$(printf "$create" 3 $closed);
COMMIT;
SQL
)
	check_got "repeatable read: a change to rows the rules did not read lets the entry be written" "$got" "2 created "

	# REPEATABLE READ: a renamed project the entry is on -- the response
	# would show the old name, and the rules read the row: a retry
	got=$(value 2>&1 <<SQL || true
SET time_entry.write_path = '$path';
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM time_entry.projects;
\! $other -c "UPDATE time_entry.projects SET name = 'Renamed once more' WHERE id = '$renamed'"
$(printf "$create" 4 $renamed);
ROLLBACK;
SQL
)
	check_got "repeatable read: any change to a row the rules read is a serialization failure" "$got" "2 40001 "

	# READ COMMITTED: the closed project is seen, and refused by the rule
	q -c "UPDATE time_entry.projects SET is_closed = false"
	got=$(value 2>&1 <<SQL || true
SET time_entry.write_path = '$path';
BEGIN;
SELECT count(*) FROM time_entry.projects;
\! $other -c "UPDATE time_entry.projects SET is_closed = true WHERE id = '$closed'"
$(printf "$create" 5 $closed);
ROLLBACK;
SQL
)
	check_got "read committed: a project closed by another transaction is seen by the next call" "$got" "2 23514 invalid-operation "
done

# A running entry given to another user by a plain UPDATE that commits
# while stop_timer waits for the entry's lock: the row stop_timer finally
# locks is the latest version, which no longer is its user's running
# entry.  The query (SELECT ... FOR UPDATE) rechecks its whole condition
# on that version and finds nothing; the direct lock must answer the same.
# The mover commits only once the stopper is seen waiting for a lock, so
# the case is reached on every run.
# The stopper is an admin (the direct lock's answer is all it relies on).
q -c "INSERT INTO time_entry.roles (id, name, is_admin) VALUES ('74000000-0000-4000-8000-0000000000a1', 'Admin', true)" \
	-c "INSERT INTO time_entry.users (id, first_name, role_id) VALUES
		('74000000-0000-4000-8000-0000000000b2', 'Other', NULL),
		('74000000-0000-4000-8000-0000000000b3', 'Admin', '74000000-0000-4000-8000-0000000000a1')"
mover_out=$(mktemp)
for path in auto executor; do
	q -c "DELETE FROM time_entry.time_entries"
	running=$(value -c "SELECT time_entry.start_timer(jsonb_build_object(
		'userId', '74000000-0000-4000-8000-0000000000b1',
		'typeOfWorkId', '74000000-0000-4000-8000-0000000000f1', 'timezone', 'UTC',
		'startDateUtc', '2025-02-01T09:00:00Z'), '74000000-0000-4000-8000-0000000000b1')->>'id'")
	PGAPPNAME=te_iso_mover psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c "BEGIN" \
		-c "SET LOCAL time_entry.actor = '74000000-0000-4000-8000-0000000000b1'" \
		-c "UPDATE time_entry.time_entries SET user_id = '74000000-0000-4000-8000-0000000000b2' WHERE id = '$running'" \
		-c "DO \$\$
			BEGIN
				FOR i IN 1 .. 1200 LOOP
					PERFORM pg_stat_clear_snapshot();	-- else one view per transaction
					EXIT WHEN EXISTS (SELECT FROM pg_stat_activity
									   WHERE application_name = 'te_iso_stopper'
										 AND wait_event_type = 'Lock');
					IF i = 1200 THEN
						RAISE EXCEPTION 'the stopper was never seen waiting for a lock';
					END IF;
					PERFORM pg_sleep(0.05);
				END LOOP;
			END \$\$" \
		-c "COMMIT" >"$mover_out" 2>&1 &
	mover=$!
	# the mover has changed the row (and holds it) once it is in its DO block
	i=0
	while [ "$(value -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'te_iso_mover' AND query LIKE 'DO%'")" != 1 ] &&
		[ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	got=$(PGAPPNAME=te_iso_stopper value -c "SET time_entry.write_path = '$path'" \
		-c "SELECT public.outcome(\$\$SELECT time_entry.stop_timer('74000000-0000-4000-8000-0000000000b1', '74000000-0000-4000-8000-0000000000b3', '2025-02-01 10:00Z')\$\$)" 2>&1 || true)
	if ! wait "$mover"; then
		fail "$path: the mover failed: $(cat "$mover_out")"
	fi
	state=$(value -c "SELECT user_id = '74000000-0000-4000-8000-0000000000b2' AND end_at IS NULL FROM time_entry.time_entries WHERE id = '$running'")
	if [ "$got" = "P0002 not-found" ] && [ "$state" = t ]; then
		echo "ok: $path: stop_timer waiting for an entry given meanwhile to another user finds no running entry of its own, and leaves that entry running"
	else
		fail "$path: stop_timer after the running entry changed user (got: $got; the entry is the other user's and running: $state; wanted: P0002 not-found, t)"
	fi
done
rm -f "$mover_out"

[ "$failures" -eq 0 ]
