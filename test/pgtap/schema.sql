--
-- The shape of the time_entry schema against SPEC 1: tables, every column
-- with its type, nullability and default, keys, foreign keys and their
-- ON DELETE rules, CHECK constraints, indexes, triggers, functions,
-- comments, privileges, pg_dump registration and the settings row.
--
-- Runs with pg_prove in a database holding the extensions pgtap and
-- time_entry (test/run.sh makes a fresh one); creates them if missing.
-- Everything happens in one transaction that is rolled back.
--
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS time_entry;
SET LOCAL search_path = public, pg_catalog;

-- SPEC 1, one row per column, in table order.
CREATE TEMP TABLE spec_columns (
	tab			name,
	ord			int,
	col			name,
	typ			text,
	not_null	boolean,
	def			text			-- NULL: no default
) ON COMMIT DROP;
INSERT INTO spec_columns VALUES
	('roles', 1, 'id', 'uuid', true, NULL),
	('roles', 2, 'name', 'text', true, NULL),
	('roles', 3, 'is_admin', 'boolean', true, 'false'),
	('role_permissions', 1, 'role_id', 'uuid', true, NULL),
	('role_permissions', 2, 'feature', 'text', true, NULL),
	('role_permissions', 3, 'access_level', 'text', true, NULL),
	('users', 1, 'id', 'uuid', true, NULL),
	('users', 2, 'first_name', 'text', false, NULL),
	('users', 3, 'last_name', 'text', false, NULL),
	('users', 4, 'role_id', 'uuid', false, NULL),
	('users', 5, 'is_deactivated', 'boolean', true, 'false'),
	('project_roles', 1, 'id', 'uuid', true, NULL),
	('project_roles', 2, 'name', 'text', true, NULL),
	('project_role_permissions', 1, 'project_role_id', 'uuid', true, NULL),
	('project_role_permissions', 2, 'feature', 'text', true, NULL),
	('project_role_permissions', 3, 'access_level', 'text', true, NULL),
	('projects', 1, 'id', 'uuid', true, NULL),
	('projects', 2, 'name', 'text', true, NULL),
	('projects', 3, 'is_billable_by_default', 'boolean', true, 'false'),
	('projects', 4, 'is_closed', 'boolean', true, 'false'),
	('project_members', 1, 'project_id', 'uuid', true, NULL),
	('project_members', 2, 'user_id', 'uuid', true, NULL),
	('project_members', 3, 'project_role_id', 'uuid', true, NULL),
	('tasks', 1, 'id', 'uuid', true, NULL),
	('tasks', 2, 'name', 'text', true, NULL),
	('tasks', 3, 'project_id', 'uuid', false, NULL),
	('task_assignees', 1, 'task_id', 'uuid', true, NULL),
	('task_assignees', 2, 'user_id', 'uuid', true, NULL),
	('types_of_work', 1, 'id', 'uuid', true, NULL),
	('types_of_work', 2, 'name', 'text', true, NULL),
	('types_of_work', 3, 'icon', 'text', false, NULL),
	('types_of_work', 4, 'is_archived', 'boolean', true, 'false'),
	('settings', 1, 'max_duration', 'integer', false, '86400'),
	('settings', 2, 'prevent_on_closed_projects', 'boolean', true, 'false'),
	('settings', 3, 'prevent_in_future', 'boolean', true, 'false'),
	('settings', 4, 'allow_on_past_days', 'integer', false, NULL),
	('settings', 5, 'prevent_overlaps', 'boolean', true, 'false'),
	('time_entries', 1, 'id', 'uuid', true, 'time_entry.uuid_generate_v7()'),
	('time_entries', 2, 'user_id', 'uuid', false, NULL),
	('time_entries', 3, 'type_of_work_id', 'uuid', true, NULL),
	('time_entries', 4, 'project_id', 'uuid', false, NULL),
	('time_entries', 5, 'task_id', 'uuid', false, NULL),
	('time_entries', 6, 'note', 'text', false, NULL),
	('time_entries', 7, 'timezone', 'text', true, NULL),
	('time_entries', 8, 'date_local', 'date', true, NULL),
	('time_entries', 9, 'start_at', 'timestamp with time zone', false, NULL),
	('time_entries', 10, 'end_at', 'timestamp with time zone', false, NULL),
	('time_entries', 11, 'duration', 'integer', true, NULL),
	('time_entries', 12, 'break_duration', 'integer', true, '0'),
	('time_entries', 13, 'is_billable', 'boolean', true, NULL),
	('time_entries', 14, 'is_billed', 'boolean', true, NULL),
	('time_entries', 15, 'is_external', 'boolean', true, 'false'),
	('time_entries', 16, 'created_by', 'uuid', true, NULL),
	('time_entries', 17, 'created_on', 'timestamp with time zone', true, NULL),
	('time_entries', 18, 'updated_by', 'uuid', true, NULL),
	('time_entries', 19, 'updated_on', 'timestamp with time zone', true, NULL),
	('time_entries', 20, 'resource_version', 'bigint', true, NULL),
	('workspaces', 1, 'id', 'uuid', true, NULL),
	('workspaces', 2, 'name', 'text', true, NULL),
	('default_workspace', 1, 'id', 'uuid', true, NULL);
-- SPEC 10: workspace_id, last, in every table but the two of workspaces.
INSERT INTO spec_columns
SELECT tab, max(ord) + 1, 'workspace_id', 'uuid', true, 'time_entry.default_workspace_id()'
  FROM spec_columns WHERE tab NOT IN ('workspaces', 'default_workspace') GROUP BY tab;

-- The primary keys, NULL for none.
CREATE TEMP TABLE spec_keys (tab name, pk name[]) ON COMMIT DROP;
INSERT INTO spec_keys VALUES
	('roles', '{id}'),
	('role_permissions', '{role_id,feature,access_level}'),
	('users', '{id}'),
	('project_roles', '{id}'),
	('project_role_permissions', '{project_role_id,feature,access_level}'),
	('projects', '{id}'),
	('project_members', '{project_id,user_id}'),
	('tasks', '{id}'),
	('task_assignees', '{task_id,user_id}'),
	('types_of_work', '{id}'),
	('settings', '{workspace_id}'),
	('time_entries', '{id}'),
	('workspaces', '{id}'),
	('default_workspace', '{id}');

-- The foreign keys with their ON DELETE rule (pg_constraint.confdeltype:
-- a = NO ACTION, c = CASCADE, n = SET NULL).
CREATE TEMP TABLE spec_fks (tab name, cols name[], ref name, refcols name[], on_delete "char") ON COMMIT DROP;
-- SPEC 10: every reference between the tables goes through (workspace_id, id).
INSERT INTO spec_fks VALUES
	('role_permissions', '{workspace_id,role_id}', 'roles', '{workspace_id,id}', 'c'),
	('users', '{workspace_id,role_id}', 'roles', '{workspace_id,id}', 'a'),
	('project_role_permissions', '{workspace_id,project_role_id}', 'project_roles', '{workspace_id,id}', 'c'),
	('project_members', '{workspace_id,project_id}', 'projects', '{workspace_id,id}', 'c'),
	('project_members', '{workspace_id,user_id}', 'users', '{workspace_id,id}', 'c'),
	('project_members', '{workspace_id,project_role_id}', 'project_roles', '{workspace_id,id}', 'a'),
	('tasks', '{workspace_id,project_id}', 'projects', '{workspace_id,id}', 'a'),
	('task_assignees', '{workspace_id,task_id}', 'tasks', '{workspace_id,id}', 'c'),
	('task_assignees', '{workspace_id,user_id}', 'users', '{workspace_id,id}', 'c'),
	('time_entries', '{workspace_id,user_id}', 'users', '{workspace_id,id}', 'n'),
	('time_entries', '{workspace_id,type_of_work_id}', 'types_of_work', '{workspace_id,id}', 'a'),
	('time_entries', '{workspace_id,project_id}', 'projects', '{workspace_id,id}', 'a'),
	('time_entries', '{workspace_id,task_id}', 'tasks', '{workspace_id,id}', 'a'),
	('default_workspace', '{id}', 'workspaces', '{id}', 'a');
-- ... and every table belongs to a workspace that cannot go while it has
-- rows (settings go with it).
INSERT INTO spec_fks
SELECT DISTINCT tab, '{workspace_id}'::name[], 'workspaces'::name, '{id}'::name[],
	   CASE WHEN tab = 'settings' THEN 'c' ELSE 'a' END::"char"
  FROM spec_columns WHERE col = 'workspace_id';

-- The indexes beyond the primary keys.
CREATE TEMP TABLE spec_indexes (tab name, idx name, cols name[], is_unique boolean) ON COMMIT DROP;
INSERT INTO spec_indexes VALUES
	('roles', 'roles_workspace_id_id_key', '{workspace_id,id}', true),
	('role_permissions', 'role_permissions_workspace_id_role_id_idx', '{workspace_id,role_id}', false),
	('users', 'users_workspace_id_id_key', '{workspace_id,id}', true),
	('users', 'users_workspace_id_role_id_idx', '{workspace_id,role_id}', false),
	('project_roles', 'project_roles_workspace_id_id_key', '{workspace_id,id}', true),
	('project_role_permissions', 'project_role_permissions_workspace_id_project_role_id_idx', '{workspace_id,project_role_id}', false),
	('projects', 'projects_workspace_id_id_key', '{workspace_id,id}', true),
	('project_members', 'project_members_workspace_id_project_id_idx', '{workspace_id,project_id}', false),
	('project_members', 'project_members_workspace_id_user_id_idx', '{workspace_id,user_id}', false),
	('project_members', 'project_members_workspace_id_project_role_id_idx', '{workspace_id,project_role_id}', false),
	('tasks', 'tasks_workspace_id_id_key', '{workspace_id,id}', true),
	('tasks', 'tasks_workspace_id_project_id_idx', '{workspace_id,project_id}', false),
	('task_assignees', 'task_assignees_workspace_id_task_id_idx', '{workspace_id,task_id}', false),
	('task_assignees', 'task_assignees_workspace_id_user_id_idx', '{workspace_id,user_id}', false),
	('types_of_work', 'types_of_work_workspace_id_id_key', '{workspace_id,id}', true),
	('time_entries', 'time_entries_one_running_per_user', '{user_id}', true),
	('time_entries', 'time_entries_user_id_start_at_idx', '{user_id,start_at}', false),
	('time_entries', 'time_entries_workspace_id_user_id_date_local_idx', '{workspace_id,user_id,date_local}', false),
	('time_entries', 'time_entries_workspace_id_project_id_date_local_idx', '{workspace_id,project_id,date_local}', false),
	('time_entries', 'time_entries_workspace_id_date_local_idx', '{workspace_id,date_local}', false),
	('time_entries', 'time_entries_workspace_id_task_id_idx', '{workspace_id,task_id}', false),
	('time_entries', 'time_entries_workspace_id_type_of_work_id_idx', '{workspace_id,type_of_work_id}', false);

SELECT plan(
	  5													-- schema, extension, tables
	+ (SELECT count(DISTINCT tab)::int * 3 FROM spec_columns)	-- has_table, columns_are, order
	+ (SELECT count(*)::int * 3 FROM spec_columns)		-- type, nullability, default
	+ (SELECT count(*)::int FROM spec_columns WHERE def IS NOT NULL)	-- default value
	+ (SELECT count(*)::int FROM spec_keys)				-- primary keys
	+ (SELECT count(*)::int FROM spec_fks) + 2			-- fk_ok, ON DELETE, all FKs indexed
	+ 1													-- CHECK constraints
	+ (SELECT count(*)::int * 2 FROM spec_indexes) + 3	-- indexes
	+ 5													-- triggers
	+ 7													-- functions
	+ (SELECT count(DISTINCT tab)::int FROM spec_columns) + 3	-- comments
	+ (SELECT count(DISTINCT tab)::int FROM spec_columns) + 3	-- privileges
	+ 1													-- pg_dump registration
	+ 3													-- workspaces and settings rows
);

-- Schema and tables -----------------------------------------------------

SELECT has_schema('time_entry');
SELECT has_extension('time_entry');
SELECT is((SELECT e.extversion FROM pg_extension e WHERE e.extname = 'time_entry'),
          (SELECT a.default_version FROM pg_available_extensions a WHERE a.name = 'time_entry'),
          'the installed version is the default version of time_entry.control');
SELECT is((SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname = 'time_entry'),
          'time_entry', 'the extension lives in schema time_entry');
SELECT tables_are('time_entry', ARRAY(SELECT DISTINCT tab FROM spec_columns ORDER BY 1),
                  'schema time_entry holds exactly the tables of SPEC 1 and 10');

SELECT has_table('time_entry', tab, 'table time_entry.' || tab || ' exists')
  FROM (SELECT DISTINCT tab FROM spec_columns) t ORDER BY tab;

-- Columns ------------------------------------------------------------------

SELECT columns_are('time_entry', tab, array_agg(col ORDER BY ord),
                   'time_entry.' || tab || ' has exactly the columns of SPEC 1')
  FROM spec_columns GROUP BY tab ORDER BY tab;

SELECT is(ARRAY(SELECT a.attname FROM pg_attribute a
                 WHERE a.attrelid = ('time_entry.' || tab)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum),
          array_agg(col ORDER BY ord),
          'time_entry.' || tab || ' has its columns in the order of SPEC 1')
  FROM spec_columns GROUP BY tab ORDER BY tab;

SELECT col_type_is('time_entry', tab, col, typ,
                   'time_entry.' || tab || '.' || col || ' is ' || typ)
  FROM spec_columns ORDER BY tab, ord;

SELECT CASE WHEN not_null
            THEN col_not_null('time_entry', tab, col, 'time_entry.' || tab || '.' || col || ' is NOT NULL')
            ELSE col_is_null('time_entry', tab, col, 'time_entry.' || tab || '.' || col || ' allows NULL')
       END
  FROM spec_columns ORDER BY tab, ord;

SELECT CASE WHEN def IS NULL
            THEN col_hasnt_default('time_entry', tab, col, 'time_entry.' || tab || '.' || col || ' has no default')
            ELSE col_has_default('time_entry', tab, col, 'time_entry.' || tab || '.' || col || ' has a default')
       END
  FROM spec_columns ORDER BY tab, ord;

SELECT col_default_is('time_entry', tab, col, def,
                      'time_entry.' || tab || '.' || col || ' defaults to ' || def)
  FROM spec_columns WHERE def IS NOT NULL ORDER BY tab, ord;

-- Keys ---------------------------------------------------------------------

SELECT CASE WHEN pk IS NULL
            THEN hasnt_pk('time_entry', tab, 'time_entry.' || tab || ' has no primary key')
            ELSE col_is_pk('time_entry', tab, pk, 'time_entry.' || tab || ' has primary key (' || array_to_string(pk, ', ') || ')')
       END
  FROM spec_keys ORDER BY tab;

SELECT fk_ok('time_entry', tab, cols, 'time_entry', ref, refcols,
             'time_entry.' || tab || '(' || array_to_string(cols, ', ') || ') references time_entry.' || ref)
  FROM spec_fks ORDER BY tab, cols;

SELECT set_eq(
	$$SELECT c.conrelid::regclass::text AS tab,
	         ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
	                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text AS cols,
	         c.confrelid::regclass::text AS ref, c.confdeltype AS on_delete
	    FROM pg_constraint c
	   WHERE c.contype = 'f' AND c.connamespace = 'time_entry'::regnamespace$$,
	$$SELECT 'time_entry.' || tab AS tab, cols::text AS cols, 'time_entry.' || ref AS ref, on_delete FROM spec_fks$$,
	'the foreign keys are exactly those of SPEC 1, with their ON DELETE rules');

SELECT is_empty(
	$$SELECT c.conrelid::regclass, c.conname
	    FROM pg_constraint c
	   WHERE c.contype = 'f' AND c.connamespace = 'time_entry'::regnamespace
	     AND NOT EXISTS (
	         SELECT FROM pg_index i
	          WHERE i.indrelid = c.conrelid
	            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey)$$,
	'every foreign key has an index with its columns first');

-- CHECK constraints --------------------------------------------------------

SELECT set_eq(
	$$SELECT c.conrelid::regclass::text AS tab, c.conname::text AS con
	    FROM pg_constraint c
	   WHERE c.contype = 'c' AND c.connamespace = 'time_entry'::regnamespace$$,
	$$VALUES ('time_entry.role_permissions', 'role_permissions_access_level_check'),
	         ('time_entry.project_role_permissions', 'project_role_permissions_access_level_check'),
	         ('time_entry.settings', 'settings_max_duration_check'),
	         ('time_entry.settings', 'settings_allow_on_past_days_check'),
	         ('time_entry.time_entries', 'time_entries_duration_check'),
	         ('time_entry.time_entries', 'time_entries_break_duration_check'),
	         ('time_entry.time_entries', 'time_entries_end_after_start'),
	         ('time_entry.time_entries', 'time_entries_end_needs_start'),
	         ('time_entry.time_entries', 'time_entries_duration_matches_end'),
	         ('time_entry.time_entries', 'time_entries_running_duration'),
	         ('time_entry.time_entries', 'time_entries_date_only_duration'),
	         ('time_entry.time_entries', 'time_entries_billed_is_billable')$$,
	'the CHECK constraints of SPEC 1.2 (each is exercised in sql/constraints.sql)');

-- Indexes ------------------------------------------------------------------

SELECT has_index('time_entry', tab, idx, cols, 'index ' || idx || ' on time_entry.' || tab || ' (' || array_to_string(cols, ', ') || ')')
  FROM spec_indexes ORDER BY tab, idx;

SELECT CASE WHEN is_unique
            THEN index_is_unique('time_entry', tab, idx, 'index ' || idx || ' is unique')
            ELSE ok(NOT coalesce((SELECT i.indisunique FROM pg_index i
                                   WHERE i.indexrelid = to_regclass('time_entry.' || idx)), true),
                    'index ' || idx || ' is not unique')
       END
  FROM spec_indexes ORDER BY tab, idx;

SELECT is((SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
            WHERE i.indexrelid = 'time_entry.time_entries_one_running_per_user'::regclass),
          '((start_at IS NOT NULL) AND (end_at IS NULL))',
          'time_entries_one_running_per_user covers running entries only');
SELECT index_is_unique('time_entry', 'default_workspace', 'default_workspace_single_row',
                       'default_workspace_single_row is unique');
SELECT is((SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indexrelid = 'time_entry.default_workspace_single_row'::regclass),
          'CREATE UNIQUE INDEX default_workspace_single_row ON time_entry.default_workspace USING btree ((true))',
          'default_workspace_single_row indexes a constant: one default workspace at most');

-- Triggers -----------------------------------------------------------------

SELECT has_trigger('time_entry', 'time_entries', 'time_entries_audit',
                   'time_entries has the audit trigger');
SELECT trigger_is('time_entry', 'time_entries', 'time_entries_audit', 'time_entry', 'audit_trigger',
                  'the audit trigger calls time_entry.audit_trigger()');
-- tgtype bits: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE
SELECT set_eq(
	$$SELECT t.tgrelid::regclass::text AS tab, t.tgname::text AS name, t.tgtype::int AS type, t.tgenabled::text AS enabled
	    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	   WHERE c.relnamespace = 'time_entry'::regnamespace AND NOT t.tgisinternal$$,
	$$VALUES ('time_entry.time_entries', 'time_entries_audit', 1 + 2 + 4 + 16, 'O'),
	         ('time_entry.settings', 'settings_upsert', 1 + 2 + 4, 'O'),
	         ('time_entry.settings', 'settings_no_delete', 1 + 2 + 8, 'O'),
	         ('time_entry.settings', 'settings_no_truncate', 2 + 32, 'O'),
	         ('time_entry.workspaces', 'workspace_settings', 1 + 4, 'O'),
	         ('time_entry.default_workspace', 'default_workspace_upsert', 1 + 2 + 4, 'O')
	  UNION ALL
	  SELECT 'time_entry.' || tab, tab || '_workspace_fixed', 1 + 2 + 16, 'O'
	    FROM (SELECT DISTINCT tab FROM spec_columns
	           WHERE col = 'workspace_id' AND tab <> 'time_entries') t$$,
	'the triggers: audit BEFORE INSERT OR UPDATE FOR EACH ROW, the settings and workspace guards; all enabled');
SELECT has_trigger('time_entry', 'settings', 'settings_upsert',
                   'settings turns an INSERT into an update');
SELECT has_trigger('time_entry', 'settings', 'settings_no_delete',
                   'settings refuses DELETE');

-- Functions ----------------------------------------------------------------

SELECT function_lang_is('time_entry', 'audit_trigger', 'c', 'audit_trigger() is written in C');
SELECT function_returns('time_entry', 'audit_trigger', 'trigger', 'audit_trigger() is a trigger function');
SELECT function_lang_is('time_entry', 'uuid_generate_v7', 'c', 'uuid_generate_v7() is written in C');
SELECT function_returns('time_entry', 'uuid_generate_v7', 'uuid', 'uuid_generate_v7() returns uuid');
SELECT volatility_is('time_entry', 'uuid_generate_v7', 'volatile', 'uuid_generate_v7() is volatile');
SELECT is((SELECT p.proparallel::text FROM pg_proc p WHERE p.oid = 'time_entry.uuid_generate_v7()'::regprocedure),
          's', 'uuid_generate_v7() is parallel safe');
SELECT is_empty(
	$$SELECT p.oid::regprocedure FROM pg_proc p
	   WHERE p.pronamespace = 'time_entry'::regnamespace AND p.prosecdef
	     AND NOT EXISTS (SELECT FROM unnest(p.proconfig) s WHERE s LIKE 'search\_path=%')$$,
	'every SECURITY DEFINER function pins search_path');

-- Comments -----------------------------------------------------------------

SELECT ok(obj_description(('time_entry.' || tab)::regclass, 'pg_class') IS NOT NULL,
          'time_entry.' || tab || ' has a comment')
  FROM (SELECT DISTINCT tab FROM spec_columns) t ORDER BY tab;
SELECT is_empty(
	$$SELECT p.oid::regprocedure FROM pg_proc p
	   WHERE p.pronamespace = 'time_entry'::regnamespace
	     AND obj_description(p.oid, 'pg_proc') IS NULL$$,
	'every function has a comment');
SELECT is_empty(
	$$SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	   WHERE c.relnamespace = 'time_entry'::regnamespace AND NOT t.tgisinternal
	     AND obj_description(t.oid, 'pg_trigger') IS NULL$$,
	'every trigger has a comment');
SELECT is_empty(
	$$SELECT a.attname FROM pg_attribute a
	   WHERE a.attrelid = 'time_entry.time_entries'::regclass
	     AND a.attname IN ('id', 'user_id', 'timezone', 'date_local', 'start_at', 'end_at', 'duration',
	                       'break_duration', 'is_external', 'created_by', 'created_on', 'updated_by',
	                       'updated_on', 'resource_version')
	     AND col_description(a.attrelid, a.attnum) IS NULL$$,
	'the columns of time_entries that are not obvious have comments');

-- Privileges ---------------------------------------------------------------

SELECT table_privs_are('time_entry', tab, 'public', ARRAY[]::text[],
                       'PUBLIC may neither read nor write time_entry.' || tab)
  FROM (SELECT DISTINCT tab FROM spec_columns) t ORDER BY tab;
SELECT schema_privs_are('time_entry', 'public', ARRAY['USAGE'],
                        'PUBLIC may use schema time_entry, not create in it');
SELECT function_privs_are('time_entry', 'audit_trigger', ARRAY[]::name[], 'public', ARRAY[]::text[],
                          'PUBLIC may not call audit_trigger()');
SELECT function_privs_are('time_entry', 'uuid_generate_v7', ARRAY[]::name[], 'public', ARRAY['EXECUTE'],
                          'PUBLIC may call uuid_generate_v7()');

-- pg_dump ------------------------------------------------------------------

SELECT set_eq(
	$$SELECT c::regclass::text AS tab FROM pg_extension e, unnest(e.extconfig) c WHERE e.extname = 'time_entry'$$,
	$$SELECT DISTINCT 'time_entry.' || tab AS tab FROM spec_columns$$,
	'every table is registered with pg_extension_config_dump, so pg_dump keeps its rows');

-- The settings row ---------------------------------------------------------

SELECT results_eq(
	$$SELECT w.name, d.id IS NOT NULL FROM time_entry.workspaces w LEFT JOIN time_entry.default_workspace d USING (id)$$,
	$$VALUES ('Default workspace'::text, true)$$,
	'a fresh installation has one workspace, the default one, named Default workspace');
SELECT is((SELECT count(*)::int FROM time_entry.settings), 1, 'settings has exactly one row, the default workspace''s');
SELECT results_eq(
	$$SELECT max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps
	    FROM time_entry.settings WHERE workspace_id = time_entry.default_workspace_id()$$,
	$$VALUES (86400, false, false, NULL::integer, false)$$,
	'the settings row holds the defaults of SPEC 1.1');

SELECT * FROM finish();
ROLLBACK;
