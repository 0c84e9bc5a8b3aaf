#!/bin/sh
# Upgrading keeps the data and brings the functions of the new version
# (issue 6 item 5).
#
# In its own databases on the server of the environment (PGHOST, ...):
# installs the first release (CREATE EXTENSION time_entry VERSION '0.1.0'),
# writes a workspace and entries with the 0.1.0 functions, runs
# ALTER EXTENSION time_entry UPDATE, then checks that
#   - the version is the control file's default_version;
#   - every row of every table is exactly as before (full text form);
#   - the functions, their arguments, SECURITY DEFINER, pinned search_path and
#     EXECUTE privileges are exactly those of a fresh install of the new
#     version (compared with a second database);
#   - the old and the new faces work on the upgraded database, and the audit
#     trigger still keeps resource_version on an old row.
# Run by test/run.sh; exits non-zero on any difference.
set -eu

cd "$(dirname "$0")/.."

old=te_upgrade_old
new=te_upgrade_fresh
failures=0
PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO,YMD -c client_min_messages=warning"
export PGOPTIONS
default=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" time_entry.control)

trap 'dropdb --if-exists $old; dropdb --if-exists $new' EXIT

q() { db=$1; shift; psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
same() {
	if [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1"; echo "--- before/expected:"; echo "$2"; echo "--- after/got:"; echo "$3"; fi
}

dropdb --if-exists $old
dropdb --if-exists $new
createdb $old
createdb $new

q $old -c "CREATE EXTENSION time_entry VERSION '0.1.0'"
q $new -c "CREATE EXTENSION time_entry"
same "old database starts at 0.1.0" "0.1.0" "$(q $old -c "SELECT extversion FROM pg_extension WHERE extname = 'time_entry'")"
same "0.1.0 has no batch faces" "" "$(q $old -c "SELECT to_regprocedure('time_entry.try_create_entry(jsonb,uuid)')")"

# A workspace and entries written by the 0.1.0 functions.
q $old >/dev/null <<'SQL'
INSERT INTO time_entry.roles VALUES ('00000000-0000-4000-8000-000000000001', 'Member', false);
INSERT INTO time_entry.role_permissions VALUES ('00000000-0000-4000-8000-000000000001', 'project-timetracking', 'write');
INSERT INTO time_entry.users VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'Ada', 'Lovelace', '00000000-0000-4000-8000-000000000001', false),
  ('00000000-0000-4000-8000-0000000000a2', 'Alan', 'Turing', '00000000-0000-4000-8000-000000000001', false);
INSERT INTO time_entry.types_of_work VALUES ('00000000-0000-4000-8000-0000000000f1', 'Development', 'code', false);
INSERT INTO time_entry.projects VALUES ('00000000-0000-4000-8000-0000000000c1', 'Apollo', true, false);
INSERT INTO time_entry.tasks VALUES ('00000000-0000-4000-8000-0000000000d1', 'Guidance', '00000000-0000-4000-8000-0000000000c1');
INSERT INTO time_entry.task_assignees VALUES ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000a1');
UPDATE time_entry.settings SET max_duration = 36000, prevent_overlaps = true;
SELECT time_entry.create_entry(jsonb_build_object(
	'userId', '00000000-0000-4000-8000-0000000000a1', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
	'taskId', '00000000-0000-4000-8000-0000000000d1', 'timezone', 'Europe/Berlin',
	'startDateLocal', '2024-10-27', 'startTimeLocal', '01:00', 'endTimeLocal', '04:00', 'note', 'before the upgrade'),
	'00000000-0000-4000-8000-0000000000a1');
SELECT time_entry.create_entry(jsonb_build_object(
	'userId', '00000000-0000-4000-8000-0000000000a2', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
	'timezone', 'UTC', 'startDateUtc', '2024-05-01', 'duration', 3600),
	'00000000-0000-4000-8000-0000000000a1');
SELECT time_entry.create_entry(jsonb_build_object(
	'userId', '00000000-0000-4000-8000-0000000000a2', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
	'timezone', 'UTC', 'startDateUtc', '2024-05-02T09:00:00Z'),
	'00000000-0000-4000-8000-0000000000a2');
SQL

rows="SELECT string_agg(t::text, E'\n' ORDER BY t::text) FROM time_entry.%s t"
snapshot() {
	for t in roles role_permissions users project_roles project_role_permissions projects \
		project_members tasks task_assignees types_of_work settings time_entries; do
		echo "== $t"
		q "$1" -c "$(printf "$rows" $t)"
	done
}
functions="SELECT string_agg(f, E'\n' ORDER BY f) FROM (
	SELECT format('%s(%s) %s secdef=%s config=%s acl=%s', p.proname,
		pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid), p.prosecdef,
		p.proconfig, (SELECT array_agg(a ORDER BY a::text) FROM unnest(p.proacl) a)) AS f
	FROM pg_proc p WHERE p.pronamespace = 'time_entry'::regnamespace) s"

before=$(snapshot $old)
q $old -c "ALTER EXTENSION time_entry UPDATE"
same "version after the update is $default" "$default" "$(q $old -c "SELECT extversion FROM pg_extension WHERE extname = 'time_entry'")"
same "every row of every table is unchanged" "$before" "$(snapshot $old)"
same "functions equal a fresh install of $default" "$(q $new -c "$functions")" "$(q $old -c "$functions")"
same "config tables equal a fresh install" \
	"$(q $new -c "SELECT array_agg(c::regclass::text ORDER BY 1) FROM pg_extension, unnest(extconfig) c WHERE extname = 'time_entry'")" \
	"$(q $old -c "SELECT array_agg(c::regclass::text ORDER BY 1) FROM pg_extension, unnest(extconfig) c WHERE extname = 'time_entry'")"

# The faces of both versions work on the upgraded database.
same "try_create_entry creates after the update" "t" "$(q $old -c "
	SELECT r.id IS NOT NULL AND r.error IS NULL FROM time_entry.try_create_entry(jsonb_build_object(
		'userId', '00000000-0000-4000-8000-0000000000a1', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
		'projectId', '00000000-0000-4000-8000-0000000000c1', 'timezone', 'UTC',
		'startDateUtc', '2024-06-01T08:00:00Z', 'endDateUtc', '2024-06-01T09:00:00Z'),
		'00000000-0000-4000-8000-0000000000a1') r")"
same "import_entries reports an overlap with a row made before the update" "invalid-operation 23P01" "$(q $old -c "
	SELECT error->>'code' || ' ' || (error->>'sqlstate') FROM time_entry.import_entries(jsonb_build_array(jsonb_build_object(
		'userId', '00000000-0000-4000-8000-0000000000a1', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
		'timezone', 'Europe/Berlin', 'startDateLocal', '2024-10-27', 'startTimeLocal', '02:00', 'endTimeLocal', '02:30')),
		'00000000-0000-4000-8000-0000000000a1')")"
same "the typed create_entry works after the update" "7200" "$(q $old -c "
	SELECT duration FROM time_entry.create_entry(user_id => '00000000-0000-4000-8000-0000000000a1',
		type_of_work_id => '00000000-0000-4000-8000-0000000000f1', timezone => 'UTC',
		start_at => '2024-07-01 08:00+00', end_at => '2024-07-01 10:00+00',
		actor => '00000000-0000-4000-8000-0000000000a1')")"
same "the 0.1.0 create_entry still raises the SPEC error" "23505" "$(q $old -c "
	DO \$\$ BEGIN
	  PERFORM time_entry.create_entry(jsonb_build_object(
		'userId', '00000000-0000-4000-8000-0000000000a2', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
		'timezone', 'UTC', 'startDateUtc', '2024-05-03T09:00:00Z'), '00000000-0000-4000-8000-0000000000a2');
	EXCEPTION WHEN unique_violation THEN RAISE WARNING '23505';
	END \$\$" 2>&1 | sed -n 's/.*WARNING: *//p')"
same "an update of an old row raises its resource_version" "t" "$(q $old -c "
	BEGIN;
	SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000a1';
	WITH o AS (SELECT id, resource_version FROM time_entry.time_entries WHERE note = 'before the upgrade')
	UPDATE time_entry.time_entries t SET note = 'after the upgrade' FROM o
	 WHERE t.id = o.id RETURNING t.resource_version > o.resource_version;
	COMMIT;")"

if [ $failures -ne 0 ]; then
	echo "upgrade: $failures checks failed"
	exit 1
fi
echo "upgrade: all checks passed"
