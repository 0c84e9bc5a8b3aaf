#!/bin/sh
# Upgrading keeps the data and brings the functions of the new version
# (issue 6 item 5).
#
# In its own databases on the server of the environment (PGHOST, ...):
# installs the first release (CREATE EXTENSION time_entry VERSION '0.1.0'),
# writes a workspace and entries as the 0.1.0 functions did, runs
# ALTER EXTENSION time_entry UPDATE, then checks that
#   - the version is the control file's default_version;
#   - every row of every table is exactly as before (full text form, but
#     for workspace_id, new in 0.3.0), and every row is in the default
#     workspace;
#   - the catalog is exactly that of a fresh install of the new version
#     (compared with a second database): the functions, their arguments,
#     SECURITY DEFINER, pinned search_path, bodies and EXECUTE privileges;
#     the tables' columns, defaults, constraints, indexes, triggers,
#     comments and privileges;
#   - the grants the owner made before the update stay: SELECT on
#     time_entries and EXECUTE on the typed create_entry (whose signature
#     changed), while PUBLIC loses its SELECT;
#   - SQL that names no workspace still works (it writes the default one);
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
# same DESCRIPTION EXPECTED GOT: the values are mostly $(q ...) in the
# arguments, where set -e does not apply: a query that fails prints nothing,
# and failing alike in both databases would compare equal.  So an empty
# value is a failure; none of the checks expects one (ask for IS NULL).
same() {
	if [ -z "$2" ] || [ -z "$3" ]; then
		fail "$1 (an empty value: a query failed or returned nothing)"; echo "--- before/expected: '$2'"; echo "--- after/got: '$3'"
	elif [ "$2" = "$3" ]; then echo "ok: $1"; else fail "$1"; echo "--- before/expected:"; echo "$2"; echo "--- after/got:"; echo "$3"; fi
}

dropdb --if-exists $old
dropdb --if-exists $new
createdb $old
createdb $new

q $old -c "CREATE EXTENSION time_entry VERSION '0.1.0'"
q $new -c "CREATE EXTENSION time_entry"
same "old database starts at 0.1.0" "0.1.0" "$(q $old -c "SELECT extversion FROM pg_extension WHERE extname = 'time_entry'")"
same "0.1.0 has no batch faces" "t" "$(q $old -c "SELECT to_regprocedure('time_entry.try_create_entry(jsonb,uuid)') IS NULL")"

# A workspace and its entries.
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
-- Entries as the 0.1.0 functions wrote them (its create_entry cannot run
-- on the library of a later release: the C code refuses a schema older
-- than itself until ALTER EXTENSION UPDATE), written through the audit
-- trigger with an actor: a timed entry across the end of summer time, a
-- date-only one, and a running one.
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000a1';
INSERT INTO time_entry.time_entries (id, user_id, type_of_work_id, project_id, task_id, note, timezone,
	date_local, start_at, end_at, duration, is_billable, is_billed) VALUES
  ('00000000-0000-7000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000f1',
   '00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000d1', 'before the upgrade', 'Europe/Berlin',
   '2024-10-27', '2024-10-26 23:00+00', '2024-10-27 03:00+00', 14400, true, false),
  ('00000000-0000-7000-8000-0000000000e2', '00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000f1',
   NULL, NULL, NULL, 'UTC', '2024-05-01', NULL, NULL, 3600, false, false);
COMMIT;
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000a2';
INSERT INTO time_entry.time_entries (id, user_id, type_of_work_id, timezone, date_local, start_at, duration,
	is_billable, is_billed) VALUES
  ('00000000-0000-7000-8000-0000000000e3', '00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000f1',
   'UTC', '2024-05-02', '2024-05-02 09:00+00', 0, false, false);
COMMIT;
SQL

# The library of this release refuses the old schema with a clear error,
# until the update.
same "the old schema is refused, naming the update" "55000 If an earlier release of the extension is installed in this database, run ALTER EXTENSION time_entry UPDATE." \
	"$(q $old -c "
	DO \$\$ DECLARE s text; h text; BEGIN
	  PERFORM time_entry.validate_entry('{}', '00000000-0000-4000-8000-0000000000a1');
	EXCEPTION WHEN OTHERS THEN
	  GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT;
	  RAISE WARNING '% %', s, h;
	END \$\$" 2>&1 | sed -n 's/.*WARNING: *//p')"

# The owner's grants to an application role, made on 0.1.0 and 0.2.0.
q $old -c "DROP ROLE IF EXISTS te_upgrade_app" -c "CREATE ROLE te_upgrade_app" \
	-c "GRANT SELECT ON time_entry.time_entries, time_entry.users TO te_upgrade_app" \
	-c "GRANT EXECUTE ON FUNCTION time_entry.create_entry(jsonb, uuid) TO te_upgrade_app" >/dev/null
q $old -c "ALTER EXTENSION time_entry UPDATE TO '0.2.0'" \
	-c "GRANT EXECUTE ON FUNCTION time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid) TO te_upgrade_app" >/dev/null
trap 'dropdb --if-exists $old; dropdb --if-exists $new; psql -X -q -d postgres -c "DROP ROLE IF EXISTS te_upgrade_app" >/dev/null 2>&1' EXIT

rows="SELECT string_agg((to_jsonb(t) - 'workspace_id')::text, E'\n' ORDER BY (to_jsonb(t) - 'workspace_id')::text) FROM time_entry.%s t"
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
		p.proconfig, (SELECT array_agg(a ORDER BY a::text) FROM unnest(p.proacl) a
					  WHERE a::text NOT LIKE 'te_upgrade_app=%')) AS f
	FROM pg_proc p WHERE p.pronamespace = 'time_entry'::regnamespace) s"

# The catalog of the schema, but for names that differ between any two
# databases (the default workspace's id is random in each).
# Each query lists one kind of object of the schema, one per line, sorted.
listing() { printf "SELECT string_agg(x, E'\\n' ORDER BY x) FROM (%s) s" "$1"; }
bodies=$(listing "SELECT format('%s(%s) %s', p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc)) x
	FROM pg_proc p WHERE p.pronamespace = 'time_entry'::regnamespace")
columns=$(listing "SELECT format('%s.%s %s notnull=%s default=%s comment=%s', c.relname, a.attname,
		format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
		col_description(c.oid, a.attnum)) x
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
	WHERE c.relnamespace = 'time_entry'::regnamespace AND c.relkind IN ('r', 'p')")
constraints=$(listing "SELECT format('%s %s %s comment=%s', conrelid::regclass, conname, pg_get_constraintdef(oid),
		obj_description(oid, 'pg_constraint')) x
	FROM pg_constraint WHERE connamespace = 'time_entry'::regnamespace")
indexes=$(listing "SELECT format('%s comment=%s', pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class')) x
	FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'time_entry'::regnamespace")
triggers=$(listing "SELECT format('%s comment=%s', pg_get_triggerdef(t.oid), obj_description(t.oid, 'pg_trigger')) x
	FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	WHERE c.relnamespace = 'time_entry'::regnamespace AND NOT t.tgisinternal")
tables=$(listing "SELECT format('%s %s acl=%s comment=%s', c.relname, c.relkind,
		(SELECT array_agg(a ORDER BY a::text) FROM unnest(c.relacl) a WHERE a::text NOT LIKE 'te_upgrade_app=%'),
		obj_description(c.oid, 'pg_class')) x
	FROM pg_class c WHERE c.relnamespace = 'time_entry'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S')")
comments=$(listing "SELECT format('%s: %s', p.oid::regprocedure, obj_description(p.oid, 'pg_proc')) x
	FROM pg_proc p WHERE p.pronamespace = 'time_entry'::regnamespace
	UNION ALL SELECT 'schema: ' || obj_description('time_entry'::regnamespace, 'pg_namespace')")

before=$(snapshot $old)
q $old -c "ALTER EXTENSION time_entry UPDATE"
same "version after the update is $default" "$default" "$(q $old -c "SELECT extversion FROM pg_extension WHERE extname = 'time_entry'")"
same "every row of every table is unchanged" "$before" "$(snapshot $old)"
same "every row is in the default workspace" "0" "$(q $old -c "
	SELECT sum(n) FROM (
	  SELECT count(*) n FROM time_entry.roles WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.role_permissions WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.users WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.projects WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.tasks WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.task_assignees WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.types_of_work WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.settings WHERE workspace_id <> time_entry.default_workspace_id()
	  UNION ALL SELECT count(*) FROM time_entry.time_entries WHERE workspace_id <> time_entry.default_workspace_id()) s")"
same "one workspace, named as in a fresh install" "$(q $new -c "SELECT string_agg(name, ',') FROM time_entry.workspaces")" \
	"$(q $old -c "SELECT string_agg(name, ',') FROM time_entry.workspaces")"
same "functions equal a fresh install of $default" "$(q $new -c "$functions")" "$(q $old -c "$functions")"
same "function bodies equal a fresh install" "$(q $new -c "$bodies")" "$(q $old -c "$bodies")"
same "function and schema comments equal a fresh install" "$(q $new -c "$comments")" "$(q $old -c "$comments")"
same "columns equal a fresh install" "$(q $new -c "$columns")" "$(q $old -c "$columns")"
same "constraints equal a fresh install" "$(q $new -c "$constraints")" "$(q $old -c "$constraints")"
same "indexes equal a fresh install" "$(q $new -c "$indexes")" "$(q $old -c "$indexes")"
same "triggers equal a fresh install" "$(q $new -c "$triggers")" "$(q $old -c "$triggers")"
same "tables and their privileges equal a fresh install (but the application's grants)" \
	"$(q $new -c "$tables")" "$(q $old -c "$tables")"
same "the application role keeps its grants" "t t t t f" "$(q $old -c "
	SELECT format('%s %s %s %s %s',
		has_table_privilege('te_upgrade_app', 'time_entry.time_entries', 'SELECT'),
		has_table_privilege('te_upgrade_app', 'time_entry.users', 'SELECT'),
		has_function_privilege('te_upgrade_app', 'time_entry.create_entry(jsonb, uuid)', 'EXECUTE'),
		has_function_privilege('te_upgrade_app',
			'time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid)',
			'EXECUTE'),
		has_table_privilege('public', 'time_entry.time_entries', 'SELECT'))")"
same "SQL that names no workspace writes the default one" "t" "$(q $old -c "
	INSERT INTO time_entry.users (id, first_name) VALUES ('00000000-0000-4000-8000-0000000000a9', 'New');
	SELECT (time_entry.create_entry(jsonb_build_object(
		'userId', '00000000-0000-4000-8000-0000000000a9', 'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
		'timezone', 'UTC', 'startDateUtc', '2024-08-01', 'duration', 60),
		'00000000-0000-4000-8000-0000000000a1')->>'userId') IS NOT NULL
	   AND (SELECT workspace_id = time_entry.default_workspace_id() FROM time_entry.users
			 WHERE id = '00000000-0000-4000-8000-0000000000a9')")"
same "config tables equal a fresh install" \
	"$(q $new -c "SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM pg_extension, unnest(extconfig) c WHERE extname = 'time_entry'")" \
	"$(q $old -c "SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM pg_extension, unnest(extconfig) c WHERE extname = 'time_entry'")"

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
