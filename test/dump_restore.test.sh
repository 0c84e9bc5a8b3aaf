#!/bin/sh
# Dump and restore keep every column of every row (SPEC 8, issue 2 item 4).
#
# In its own databases on the server of the environment (PGHOST, ...): makes
# a database with the extension, the example workspace (the default one)
# and a second workspace, entries written by different actors and updated
# afterwards, a user deleted (so an entry has user_id NULL) and changed
# settings in each workspace; dumps it with pg_dump in the custom,
# directory and plain formats; restores each into a new database
# (pg_restore, psql); then compares the rows of every table
# registered with pg_extension_config_dump, in full text form, between the
# source and each copy (so the default workspace is the source's, and the
# one CREATE EXTENSION made in the copy is gone), and checks that settings
# still has one row per workspace holding the changed values and that the
# audit trigger works on the copy.
#
# A parallel restore (pg_restore -j N) is not covered: the data of the
# extension's tables is restored after CREATE EXTENSION made their foreign
# keys, so it must be loaded in dependency order, one job at a time.
#
# Run by test/run.sh; exits non-zero on any difference.
set -eu

cd "$(dirname "$0")/.."

src=te_dump_src
work=$(mktemp -d)
failures=0

# Same text form of every value in every session: timestamps in UTC, ISO.
PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO,YMD -c client_min_messages=warning"
export PGOPTIONS

drop_databases()
{
	for db in $src te_dump_custom te_dump_directory te_dump_plain; do
		dropdb --if-exists "$db"
	done
}
trap 'drop_databases; rm -rf "$work"' EXIT

q()
{
	db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# One value, no decoration.
value()
{
	db=$1
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}

fail()
{
	echo "FAIL: $*"
	failures=$((failures + 1))
}

check()
{
	# check DESCRIPTION DB SQL-returning-t-or-f
	got=$(value "$2" -c "$3")
	if [ "$got" = t ]; then
		echo "ok: $1"
	else
		fail "$1 (got '$got' from: $3)"
	fi
}

# The rows of every registered table, sorted, in full text form.
rows_of()
{
	db=$1
	for t in $(value "$db" -c "SELECT c::regclass::text FROM pg_extension e, unnest(e.extconfig) c
	                           WHERE e.extname = 'time_entry' ORDER BY 1"); do
		echo "== $t"
		value "$db" -c "SELECT t::text FROM $t t ORDER BY 1"
	done
}

# The source database ------------------------------------------------------

drop_databases
createdb "$src"
q "$src" -c 'CREATE EXTENSION time_entry'
q "$src" -f test/demo_workspace.sql
q "$src" <<'SQL'
-- A user who will be deleted, leaving an entry without a user.
INSERT INTO time_entry.users (id, first_name, last_name)
VALUES ('00000000-0000-4000-8000-0000000000b9', 'Leaving', 'Soon');

-- Entries by three actors: a timed one with a task, a running timer made
-- for someone else, a date-only one, microseconds, and a note with
-- characters a dump must carry through.
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b3';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, task_id, note, timezone, date_local,
	 start_at, end_at, duration, is_billable, is_billed)
VALUES ('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000f1',
	'00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000e1',
	E'Tab\there, newline\nthere, quote '' " \\ backslash, Ünïcödé ✓', 'Europe/Berlin', '2025-03-10',
	'2025-03-10 08:00:00.123456+00', '2025-03-10 12:30:00.654321+00', 16200, true, true);
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
VALUES ('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000f2',
	'00000000-0000-4000-8000-0000000000d2', 'America/New_York', '2025-03-09',
	'2025-03-09 06:00+00', '2025-03-09 08:00+00', 7200, false, false);
COMMIT;

BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b2';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, timezone, date_local, start_at, duration, is_billable, is_billed)
VALUES ('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000f1',
	'00000000-0000-4000-8000-0000000000d1', 'UTC', ((now() - interval '10 minutes') AT TIME ZONE 'UTC')::date,
	now() - interval '10 minutes', 0, true, false);
COMMIT;

BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed, note)
VALUES ('00000000-0000-4000-8000-0000000000b5', '00000000-0000-4000-8000-0000000000f2',
	'Asia/Kolkata', '2025-03-11', 27000, false, false, NULL),
	('00000000-0000-4000-8000-0000000000b9', '00000000-0000-4000-8000-0000000000f1',
	'UTC', '2025-03-12', 3600, false, false, 'the user of this entry is deleted');
COMMIT;

-- Updates in later transactions by other actors: updated_by, updated_on and
-- resource_version differ from the values at creation.
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
UPDATE time_entry.time_entries SET is_billed = false WHERE is_billed;
UPDATE time_entry.time_entries SET note = 'reviewed' WHERE timezone = 'America/New_York';
UPDATE time_entry.time_entries SET note = 'reviewed twice' WHERE timezone = 'America/New_York';
COMMIT;
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b2';
UPDATE time_entry.time_entries SET is_billable = true WHERE timezone = 'Asia/Kolkata';
DELETE FROM time_entry.users WHERE id = '00000000-0000-4000-8000-0000000000b9';
COMMIT;

-- Changed settings, and an extra type of work written after the entries.
UPDATE time_entry.settings SET max_duration = 7200, prevent_overlaps = true, allow_on_past_days = 14;
INSERT INTO time_entry.types_of_work (id, name, icon) VALUES ('00000000-0000-4000-8000-0000000000f4', 'Travel', 'car');

-- A second workspace, with a user, a type of work, an entry and settings
-- of its own.
INSERT INTO time_entry.workspaces (id, name) VALUES ('00000000-0000-4000-8000-00000000ee02', 'Second');
UPDATE time_entry.settings SET max_duration = 600, prevent_in_future = true
 WHERE workspace_id = '00000000-0000-4000-8000-00000000ee02';
INSERT INTO time_entry.users (id, first_name, workspace_id)
VALUES ('00000000-0000-4000-8000-0000000002b1', 'Second', '00000000-0000-4000-8000-00000000ee02');
INSERT INTO time_entry.types_of_work (id, name, workspace_id)
VALUES ('00000000-0000-4000-8000-0000000002f1', 'Second work', '00000000-0000-4000-8000-00000000ee02');
SELECT time_entry.create_entry(jsonb_build_object('userId', '00000000-0000-4000-8000-0000000002b1',
	'typeOfWorkId', '00000000-0000-4000-8000-0000000002f1', 'timezone', 'UTC',
	'startDateUtc', '2025-03-10T09:00:00Z', 'duration', 600), '00000000-0000-4000-8000-0000000002b1');
SQL

echo "=== the source database $src"
check "14 tables are registered for pg_dump" "$src" \
	"SELECT count(*) = 14 FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'time_entry'"
check "two workspaces, each with entries" "$src" \
	"SELECT count(DISTINCT workspace_id) = 2 FROM time_entry.time_entries"
for t in $(value "$src" -c "SELECT c::regclass::text FROM pg_extension e, unnest(e.extconfig) c
                           WHERE e.extname = 'time_entry' ORDER BY 1"); do
	check "$t has rows to compare" "$src" "SELECT count(*) > 0 FROM $t"
done
check "entries by three actors" "$src" \
	"SELECT count(DISTINCT created_by) = 3 FROM time_entry.time_entries WHERE workspace_id = time_entry.default_workspace_id()"
check "entries updated by another actor in a later transaction" "$src" \
	"SELECT count(*) FILTER (WHERE updated_by <> created_by AND updated_on > created_on) >= 3
	   FROM time_entry.time_entries"
check "an entry whose user was deleted" "$src" \
	"SELECT count(*) = 1 FROM time_entry.time_entries WHERE user_id IS NULL"
check "a running entry" "$src" \
	"SELECT count(*) = 1 FROM time_entry.time_entries WHERE start_at IS NOT NULL AND end_at IS NULL"
rows_of "$src" > "$work/source.rows"

# Dump, restore, compare ----------------------------------------------------

pg_dump -Fc -d "$src" -f "$work/dump.custom"
pg_dump -Fd -d "$src" -f "$work/dump.directory"
pg_dump -Fp -d "$src" -f "$work/dump.sql"

for format in custom directory plain; do
	db="te_dump_$format"
	echo
	echo "=== $format format, restored into $db"
	createdb "$db"
	case $format in
	custom)
		pg_restore --exit-on-error -d "$db" "$work/dump.custom" ;;
	directory)
		pg_restore --exit-on-error -d "$db" "$work/dump.directory" ;;
	plain)
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/dump.sql" >/dev/null ;;
	esac

	rows_of "$db" > "$work/$format.rows"
	if diff -u "$work/source.rows" "$work/$format.rows"; then
		echo "ok: every column of every row of the $(grep -c '^== ' "$work/source.rows") tables is the same" \
			"($(grep -vc '^== ' "$work/source.rows") rows)"
	else
		fail "the rows of $db differ from those of $src (diff above)"
	fi

	check "two workspaces, one settings row each" "$db" \
		"SELECT count(*) = 2 AND count(*) = (SELECT count(*) FROM time_entry.workspaces) FROM time_entry.settings"
	check "the default workspace is the source's" "$db" \
		"SELECT time_entry.default_workspace_id() = '$(value "$src" -c "SELECT time_entry.default_workspace_id()")'"
	check "settings keep the changed values" "$db" \
		"SELECT (max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps)
		        IS NOT DISTINCT FROM (7200, false, false, 14, true) FROM time_entry.settings
		  WHERE workspace_id = time_entry.default_workspace_id()
		 UNION ALL
		 SELECT (max_duration, prevent_in_future) = (600, true) FROM time_entry.settings
		  WHERE workspace_id = '00000000-0000-4000-8000-00000000ee02'
		 ORDER BY 1 LIMIT 1"
	check "the second workspace's settings hold on the copy" "$db" \
		"SELECT (time_entry.validate_entry(jsonb_build_object('userId', '00000000-0000-4000-8000-0000000002b1',
			'typeOfWorkId', '00000000-0000-4000-8000-0000000002f1', 'timezone', 'UTC',
			'startDateUtc', '2025-03-11T09:00:00Z', 'duration', 601), '00000000-0000-4000-8000-0000000002b1')->>'code')
		 = 'value-out-of-range'"
	check "the extension is there in its version" "$db" \
		"SELECT e.extversion = a.default_version FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
		  WHERE e.extname = 'time_entry'"
	check "the audit trigger records the next change" "$db" \
		"BEGIN;
		 SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b5';
		 CREATE TEMP TABLE before ON COMMIT DROP AS SELECT id, resource_version FROM time_entry.time_entries;
		 WITH u AS (UPDATE time_entry.time_entries e SET note = 'after restore' RETURNING e.*)
		 SELECT bool_and(u.updated_by = '00000000-0000-4000-8000-0000000000b5'
		                 AND u.updated_on = now() AND u.resource_version > b.resource_version)
		        AND count(*) = (SELECT count(*) FROM before)
		   FROM u JOIN before b USING (id);
		 ROLLBACK;"
	if value "$db" -c "UPDATE time_entry.time_entries SET note = 'no actor'" 2>"$work/err"; then
		fail "a write without an actor was accepted in $db"
	elif grep -q 'cannot write a time entry without an actor' "$work/err"; then
		echo "ok: a write without an actor is refused"
	else
		fail "unexpected error in $db: $(cat "$work/err")"
	fi
	check "a second settings row for a workspace is still refused" "$db" \
		"BEGIN;
		 INSERT INTO time_entry.settings DEFAULT VALUES;
		 SELECT count(*) = 2 AND bool_and(max_duration = 86400) FILTER (WHERE workspace_id = time_entry.default_workspace_id())
		   FROM time_entry.settings;
		 ROLLBACK;"
done

echo
if [ "$failures" -ne 0 ]; then
	echo "dump/restore: $failures check(s) FAILED"
	exit 1
fi
echo "dump/restore: all checks passed"
