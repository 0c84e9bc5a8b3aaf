\echo Use "ALTER EXTENSION time_entry UPDATE TO '0.3.0'" to load this file. \quit

/*
 * time_entry 0.2.0 -> 0.3.0: every write goes through PostgreSQL's own
 * insert machinery, whatever shape the owner gives time_entries; the life
 * of an entry after its creation (SPEC 9); a request id on every create
 * face (SPEC 9.6); many workspaces in one database (SPEC 10).
 *
 * The result is the catalog of a fresh installation of 0.3.0 (the upgrade
 * suite compares the two).  Every existing row moves into the default
 * workspace, made here, with its audit values and resource_version
 * unchanged; no trigger fires.  PUBLIC loses its SELECT on the tables:
 * grant it to the roles that read them directly.
 */

COMMENT ON SCHEMA time_entry IS 'time entries: the directory the rules read, the entries, and the functions that create and change them';

/*
 * The functions' own queries are index probes of a few rows: JIT compiling
 * one never pays (see te_execute in store.c).
 */
ALTER FUNCTION create_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION validate_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION try_create_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION import_entries(jsonb, uuid) SET jit = off;

CREATE FUNCTION import_rows()
RETURNS SETOF time_entries
AS 'MODULE_PATHNAME', 'te_import_rows'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION import_rows() IS
'internal to import_entries: the rows of the import in progress, pulled one at a time by its INSERT statement';
REVOKE ALL ON FUNCTION import_rows() FROM PUBLIC;

CREATE FUNCTION insert_path()
RETURNS text
AS 'MODULE_PATHNAME', 'te_insert_path_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION insert_path() IS
'how the functions insert into time_entries now: "direct" for the shape the extension created, else "executor: <why>"';
REVOKE ALL ON FUNCTION insert_path() FROM PUBLIC;

/*
 * The typed create_entry gains a last argument, id (SPEC 9.6).  A function
 * cannot gain an argument in place: it is dropped and created again, and
 * the EXECUTE grants made on it are made again (upgrade_regrant, so that
 * they stay the owner's grants, which pg_dump keeps).
 */
CREATE FUNCTION upgrade_regrant(regprocedure, aclitem[])
RETURNS void
AS 'MODULE_PATHNAME', 'te_upgrade_regrant'
LANGUAGE C VOLATILE;

CREATE TEMPORARY TABLE te_upgrade_grants AS
SELECT proacl FROM pg_catalog.pg_proc
 WHERE oid = 'time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid)'::pg_catalog.regprocedure;
DROP FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid);
CREATE FUNCTION create_entry(
	user_id uuid,
	type_of_work_id uuid,
	timezone text,
	start_at timestamptz DEFAULT NULL,
	end_at timestamptz DEFAULT NULL,
	duration integer DEFAULT NULL,
	project_id uuid DEFAULT NULL,
	task_id uuid DEFAULT NULL,
	note text DEFAULT NULL,
	is_billable boolean DEFAULT NULL,
	is_billed boolean DEFAULT NULL,
	entry_date date DEFAULT NULL,
	actor uuid DEFAULT NULL,
	id uuid DEFAULT NULL)
RETURNS time_entries
AS 'MODULE_PATHNAME', 'te_create_entry_typed'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid) IS
'the create path for SQL callers: typed arguments, the same rules; problems name the argument; returns the stored row; id makes a retry safe';
REVOKE ALL ON FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid) FROM PUBLIC;

SELECT upgrade_regrant('time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid)'::pg_catalog.regprocedure, proacl)
  FROM te_upgrade_grants;
DROP TABLE te_upgrade_grants;
DROP FUNCTION upgrade_regrant(regprocedure, aclitem[]);

-- The life of an entry (SPEC 9) -------------------------------------------

/*
 * Like the create functions: they run as the owner with a pinned
 * search_path, take the actor as argument or from time_entry.actor, and
 * are not granted to PUBLIC.
 */

CREATE FUNCTION get_entry(id uuid, actor uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_get_entry_sql'
LANGUAGE C STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION get_entry(uuid, uuid) IS
'the response object of an entry the actor may read; not-found (P0002) otherwise';

CREATE FUNCTION list_entries(actor uuid DEFAULT NULL, user_id uuid DEFAULT NULL,
	project_id uuid DEFAULT NULL, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS SETOF jsonb
AS 'MODULE_PATHNAME', 'te_list_entries_sql'
LANGUAGE C STABLE SECURITY DEFINER ROWS 100
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION list_entries(uuid, uuid, uuid, date, date) IS
'the response objects of the entries the actor may read, filtered by user, project and local day (inclusive), ordered by start then id';

CREATE FUNCTION update_entry(id uuid, changes jsonb, actor uuid DEFAULT NULL,
	expected_version bigint DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_update_entry_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION update_entry(uuid, jsonb, uuid, bigint) IS
'applies a JSON Merge Patch of request properties to an entry, with the rules of create where the changes reach; returns the new response object';

CREATE FUNCTION start_timer(entry jsonb, actor uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_start_timer_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION start_timer(jsonb, uuid) IS
'starts a running entry (now, or at the start given), stopping the user''s running one at that moment';

CREATE FUNCTION stop_timer(user_id uuid, actor uuid DEFAULT NULL, end_at timestamptz DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_stop_timer_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION stop_timer(uuid, uuid, timestamptz) IS
'stops the user''s running entry (now, or at end_at), capped at max_duration; returns it';

CREATE FUNCTION delete_entry(id uuid, actor uuid DEFAULT NULL, expected_version bigint DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_delete_entry_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION delete_entry(uuid, uuid, bigint) IS
'deletes an entry the actor may delete and returns its last response object';

REVOKE ALL ON FUNCTION get_entry(uuid, uuid), list_entries(uuid, uuid, uuid, date, date),
	update_entry(uuid, jsonb, uuid, bigint), start_timer(jsonb, uuid),
	stop_timer(uuid, uuid, timestamptz), delete_entry(uuid, uuid, bigint)
	FROM PUBLIC;

-- Workspaces (SPEC 10) ----------------------------------------------------

/*
 * The tables and functions of workspaces, as a fresh installation makes
 * them (see time_entry--0.3.0.sql for what each is for).
 */
CREATE TABLE workspaces (
	id			uuid PRIMARY KEY,
	name		text NOT NULL
);
COMMENT ON TABLE workspaces IS 'the workspaces (tenants) of the database; every other table has workspace_id';

CREATE TABLE default_workspace (
	id			uuid PRIMARY KEY REFERENCES workspaces
);
CREATE UNIQUE INDEX default_workspace_single_row ON default_workspace ((true));
COMMENT ON TABLE default_workspace IS 'the id of the default workspace, into which SQL that names no workspace writes; exactly one row';
COMMENT ON INDEX default_workspace_single_row IS 'allows at most one default workspace';

INSERT INTO workspaces (id, name) VALUES (gen_random_uuid(), 'Default workspace');
INSERT INTO default_workspace SELECT id FROM workspaces;

CREATE FUNCTION default_workspace_id()
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT id FROM time_entry.default_workspace $$;
COMMENT ON FUNCTION default_workspace_id() IS
'the default workspace: the default of every workspace_id column';

CREATE FUNCTION default_workspace_upsert()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	previous uuid;
BEGIN
	SELECT id INTO previous FROM time_entry.default_workspace;
	IF previous IS NULL THEN
		RETURN NEW;
	END IF;
	UPDATE time_entry.default_workspace SET id = NEW.id;
	/* a restore: the default made by CREATE EXTENSION goes if still empty */
	IF previous <> NEW.id AND NOT time_entry.workspace_in_use(previous) THEN
		DELETE FROM time_entry.workspaces WHERE id = previous;
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION default_workspace_upsert() IS
'keeps default_workspace at one row: an INSERT replaces the default (what a restored dump does), and drops the previous default workspace if nothing uses it';

CREATE TRIGGER default_workspace_upsert
	BEFORE INSERT ON default_workspace
	FOR EACH ROW EXECUTE FUNCTION default_workspace_upsert();
COMMENT ON TRIGGER default_workspace_upsert ON default_workspace IS 'an INSERT replaces the default instead of adding a row';

CREATE FUNCTION workspace_fixed()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NEW.workspace_id IS DISTINCT FROM OLD.workspace_id THEN
		RAISE EXCEPTION 'cannot change column "workspace_id" of table "%"', TG_TABLE_NAME
			USING ERRCODE = 'generated_always',
				  DETAIL = 'A row stays in the workspace it was made in.',
				  COLUMN = 'workspace_id', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION workspace_fixed() IS 'refuses a change of workspace_id';

/*
 * workspace_id in every table, last, holding the default workspace for
 * every existing row.  Added with the id as a constant default, which
 * PostgreSQL stores once instead of rewriting the table, then given the
 * default of a fresh installation.  The foreign keys and indexes that
 * named a single id are dropped here and made again below over
 * (workspace_id, id).
 */
ALTER TABLE role_permissions DROP CONSTRAINT role_permissions_role_id_fkey;
ALTER TABLE users DROP CONSTRAINT users_role_id_fkey;
ALTER TABLE project_role_permissions DROP CONSTRAINT project_role_permissions_project_role_id_fkey;
ALTER TABLE project_members DROP CONSTRAINT project_members_project_id_fkey,
	DROP CONSTRAINT project_members_user_id_fkey,
	DROP CONSTRAINT project_members_project_role_id_fkey;
ALTER TABLE tasks DROP CONSTRAINT tasks_project_id_fkey;
ALTER TABLE task_assignees DROP CONSTRAINT task_assignees_task_id_fkey,
	DROP CONSTRAINT task_assignees_user_id_fkey;
ALTER TABLE time_entries DROP CONSTRAINT time_entries_user_id_fkey,
	DROP CONSTRAINT time_entries_type_of_work_id_fkey,
	DROP CONSTRAINT time_entries_project_id_fkey,
	DROP CONSTRAINT time_entries_task_id_fkey;
DROP INDEX users_role_id_idx, project_members_user_id_idx, project_members_project_role_id_idx,
	tasks_project_id_idx, task_assignees_user_id_idx, time_entries_project_id_idx,
	time_entries_task_id_idx, time_entries_type_of_work_id_idx;
DROP INDEX settings_single_row;

DO $$
DECLARE
	ws uuid := (SELECT id FROM time_entry.default_workspace);
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['roles', 'role_permissions', 'users', 'project_roles',
		'project_role_permissions', 'projects', 'project_members', 'tasks',
		'task_assignees', 'types_of_work', 'settings', 'time_entries']
	LOOP
		EXECUTE format('ALTER TABLE time_entry.%I ADD COLUMN workspace_id uuid NOT NULL DEFAULT %L::uuid',
					   t, ws);
		EXECUTE format('ALTER TABLE time_entry.%I ALTER COLUMN workspace_id SET DEFAULT time_entry.default_workspace_id()',
					   t);
		EXECUTE format('ALTER TABLE time_entry.%I ADD CONSTRAINT %I FOREIGN KEY (workspace_id) REFERENCES time_entry.workspaces%s',
					   t, t || '_workspace_fkey',
					   CASE WHEN t = 'settings' THEN ' ON DELETE CASCADE' ELSE '' END);
	END LOOP;
END
$$;

ALTER TABLE roles ADD CONSTRAINT roles_workspace_id_id_key UNIQUE (workspace_id, id);
ALTER TABLE users ADD CONSTRAINT users_workspace_id_id_key UNIQUE (workspace_id, id);
ALTER TABLE project_roles ADD CONSTRAINT project_roles_workspace_id_id_key UNIQUE (workspace_id, id);
ALTER TABLE projects ADD CONSTRAINT projects_workspace_id_id_key UNIQUE (workspace_id, id);
ALTER TABLE tasks ADD CONSTRAINT tasks_workspace_id_id_key UNIQUE (workspace_id, id);
ALTER TABLE types_of_work ADD CONSTRAINT types_of_work_workspace_id_id_key UNIQUE (workspace_id, id);
ALTER TABLE settings ADD CONSTRAINT settings_pkey PRIMARY KEY (workspace_id);

ALTER TABLE role_permissions ADD CONSTRAINT role_permissions_role_id_fkey FOREIGN KEY (workspace_id, role_id)
	REFERENCES roles (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE users ADD CONSTRAINT users_role_id_fkey FOREIGN KEY (workspace_id, role_id)
	REFERENCES roles (workspace_id, id);
ALTER TABLE project_role_permissions ADD CONSTRAINT project_role_permissions_project_role_id_fkey
	FOREIGN KEY (workspace_id, project_role_id) REFERENCES project_roles (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE project_members
	ADD CONSTRAINT project_members_project_id_fkey FOREIGN KEY (workspace_id, project_id)
		REFERENCES projects (workspace_id, id) ON DELETE CASCADE,
	ADD CONSTRAINT project_members_user_id_fkey FOREIGN KEY (workspace_id, user_id)
		REFERENCES users (workspace_id, id) ON DELETE CASCADE,
	ADD CONSTRAINT project_members_project_role_id_fkey FOREIGN KEY (workspace_id, project_role_id)
		REFERENCES project_roles (workspace_id, id);
ALTER TABLE tasks ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (workspace_id, project_id)
	REFERENCES projects (workspace_id, id);
ALTER TABLE task_assignees
	ADD CONSTRAINT task_assignees_task_id_fkey FOREIGN KEY (workspace_id, task_id)
		REFERENCES tasks (workspace_id, id) ON DELETE CASCADE,
	ADD CONSTRAINT task_assignees_user_id_fkey FOREIGN KEY (workspace_id, user_id)
		REFERENCES users (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE time_entries
	ADD CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (workspace_id, user_id)
		REFERENCES users (workspace_id, id) ON DELETE SET NULL (user_id),
	ADD CONSTRAINT time_entries_type_of_work_id_fkey FOREIGN KEY (workspace_id, type_of_work_id)
		REFERENCES types_of_work (workspace_id, id),
	ADD CONSTRAINT time_entries_project_id_fkey FOREIGN KEY (workspace_id, project_id)
		REFERENCES projects (workspace_id, id),
	ADD CONSTRAINT time_entries_task_id_fkey FOREIGN KEY (workspace_id, task_id)
		REFERENCES tasks (workspace_id, id);

CREATE INDEX role_permissions_workspace_id_role_id_idx ON role_permissions (workspace_id, role_id);
COMMENT ON INDEX role_permissions_workspace_id_role_id_idx IS 'permissions of a role; backs the foreign key';
CREATE INDEX users_workspace_id_role_id_idx ON users (workspace_id, role_id);
COMMENT ON INDEX users_workspace_id_role_id_idx IS 'users of a role; backs the foreign key';
CREATE INDEX project_role_permissions_workspace_id_project_role_id_idx
	ON project_role_permissions (workspace_id, project_role_id);
COMMENT ON INDEX project_role_permissions_workspace_id_project_role_id_idx IS 'permissions of a project role; backs the foreign key';
CREATE INDEX project_members_workspace_id_project_id_idx ON project_members (workspace_id, project_id);
CREATE INDEX project_members_workspace_id_user_id_idx ON project_members (workspace_id, user_id);
CREATE INDEX project_members_workspace_id_project_role_id_idx ON project_members (workspace_id, project_role_id);
COMMENT ON INDEX project_members_workspace_id_project_id_idx IS 'members of a project; backs the foreign key';
COMMENT ON INDEX project_members_workspace_id_user_id_idx IS 'memberships of a user; backs the foreign key';
COMMENT ON INDEX project_members_workspace_id_project_role_id_idx IS 'memberships holding a project role; backs the foreign key';
CREATE INDEX tasks_workspace_id_project_id_idx ON tasks (workspace_id, project_id);
COMMENT ON INDEX tasks_workspace_id_project_id_idx IS 'tasks of a project; backs the foreign key';
CREATE INDEX task_assignees_workspace_id_task_id_idx ON task_assignees (workspace_id, task_id);
CREATE INDEX task_assignees_workspace_id_user_id_idx ON task_assignees (workspace_id, user_id);
COMMENT ON INDEX task_assignees_workspace_id_task_id_idx IS 'assignees of a task; backs the foreign key';
COMMENT ON INDEX task_assignees_workspace_id_user_id_idx IS 'tasks assigned to a user; backs the foreign key';
CREATE INDEX time_entries_workspace_id_user_id_date_local_idx
	ON time_entries (workspace_id, user_id, date_local);
CREATE INDEX time_entries_workspace_id_project_id_date_local_idx
	ON time_entries (workspace_id, project_id, date_local);
CREATE INDEX time_entries_workspace_id_date_local_idx ON time_entries (workspace_id, date_local);
CREATE INDEX time_entries_workspace_id_task_id_idx ON time_entries (workspace_id, task_id);
CREATE INDEX time_entries_workspace_id_type_of_work_id_idx ON time_entries (workspace_id, type_of_work_id);
COMMENT ON INDEX time_entries_workspace_id_user_id_date_local_idx IS 'a user''s entries by day: list_entries; backs the foreign key';
COMMENT ON INDEX time_entries_workspace_id_project_id_date_local_idx IS 'a project''s entries by day: list_entries; backs the foreign key';
COMMENT ON INDEX time_entries_workspace_id_date_local_idx IS 'a workspace''s entries by day: list_entries';
COMMENT ON INDEX time_entries_workspace_id_task_id_idx IS 'entries of a task; backs the foreign key';
COMMENT ON INDEX time_entries_workspace_id_type_of_work_id_idx IS 'entries of a type of work; backs the foreign key';

COMMENT ON COLUMN roles.is_admin IS 'an admin passes every permission rule of its workspace and is exempt from its settings';
COMMENT ON TABLE users IS 'the people of the workspaces; written by the host application';
COMMENT ON COLUMN time_entries.workspace_id IS 'the workspace of the entry, and of every row it references';

/*
 * workspace_id never changes: a BEFORE UPDATE OF workspace_id trigger on
 * every table that has it (time_entries: the audit trigger).
 */
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['roles', 'role_permissions', 'users', 'project_roles',
		'project_role_permissions', 'projects', 'project_members', 'tasks',
		'task_assignees', 'types_of_work', 'settings']
	LOOP
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF workspace_id ON time_entry.%I
						FOR EACH ROW EXECUTE FUNCTION time_entry.workspace_fixed()',
					   t || '_workspace_fixed', t);
		EXECUTE format('COMMENT ON TRIGGER %I ON time_entry.%I IS %L',
					   t || '_workspace_fixed', t, 'a row stays in its workspace');
	END LOOP;
END
$$;

COMMENT ON FUNCTION audit_trigger() IS
'keeps created_by/created_on/updated_by/updated_on and resource_version of time_entries; refuses writes without an actor, and changes of id, workspace_id, created_by, created_on';

CREATE FUNCTION workspace_in_use(workspace uuid)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT EXISTS (SELECT FROM time_entry.roles WHERE workspace_id = workspace)
		OR EXISTS (SELECT FROM time_entry.users WHERE workspace_id = workspace)
		OR EXISTS (SELECT FROM time_entry.project_roles WHERE workspace_id = workspace)
		OR EXISTS (SELECT FROM time_entry.projects WHERE workspace_id = workspace)
		OR EXISTS (SELECT FROM time_entry.tasks WHERE workspace_id = workspace)
		OR EXISTS (SELECT FROM time_entry.types_of_work WHERE workspace_id = workspace)
		OR EXISTS (SELECT FROM time_entry.time_entries WHERE workspace_id = workspace)
$$;
COMMENT ON FUNCTION workspace_in_use(uuid) IS
'whether any row of the directory or any entry belongs to the workspace';

/*
 * Settings: one row per workspace (the existing row is the default
 * workspace's), made when a workspace is inserted, removed with it.
 */
COMMENT ON TABLE settings IS 'the settings the rules apply in a workspace (admins are exempt); one row per workspace';

CREATE FUNCTION workspace_settings()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	INSERT INTO time_entry.settings (workspace_id) VALUES (NEW.id);
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION workspace_settings() IS 'makes the settings row of a new workspace, with the defaults';
CREATE TRIGGER workspace_settings
	AFTER INSERT ON workspaces
	FOR EACH ROW EXECUTE FUNCTION workspace_settings();
COMMENT ON TRIGGER workspace_settings ON workspaces IS 'a new workspace gets its settings row';

CREATE OR REPLACE FUNCTION settings_upsert()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE time_entry.settings
	   SET max_duration = NEW.max_duration,
		   prevent_on_closed_projects = NEW.prevent_on_closed_projects,
		   prevent_in_future = NEW.prevent_in_future,
		   allow_on_past_days = NEW.allow_on_past_days,
		   prevent_overlaps = NEW.prevent_overlaps
	 WHERE workspace_id = NEW.workspace_id;
	IF FOUND THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION settings_upsert() IS
'keeps settings at one row per workspace: an INSERT for a workspace that has its row updates it instead (this is what a restored dump does)';
COMMENT ON TRIGGER settings_upsert ON settings IS 'an INSERT updates the workspace''s row instead of adding one';

CREATE OR REPLACE FUNCTION settings_keep_row()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	/* the row goes with its workspace (ON DELETE CASCADE), not alone */
	IF TG_OP = 'DELETE' AND
	   NOT EXISTS (SELECT FROM time_entry.workspaces WHERE id = OLD.workspace_id) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'cannot delete the settings row of a workspace'
		USING ERRCODE = 'object_not_in_prerequisite_state',
			  DETAIL = 'Every workspace has exactly one settings row, removed with the workspace.',
			  HINT = 'Update the row instead.';
END
$$;
COMMENT ON FUNCTION settings_keep_row() IS 'refuses DELETE and TRUNCATE of a settings row while its workspace is there';
COMMENT ON TRIGGER settings_no_delete ON settings IS 'a settings row goes only with its workspace';
COMMENT ON TRIGGER settings_no_truncate ON settings IS 'the settings rows cannot be truncated away';

-- Privileges and dumps ---------------------------------------------------

/*
 * No table is readable by PUBLIC any more (SPEC 10).  Grants the owner
 * made to other roles stay.
 */
REVOKE SELECT ON ALL TABLES IN SCHEMA time_entry FROM PUBLIC;
REVOKE ALL ON workspaces, default_workspace FROM PUBLIC;
REVOKE ALL ON FUNCTION workspace_settings(), workspace_fixed(), default_workspace_upsert(),
	workspace_in_use(uuid) FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('workspaces', '');
SELECT pg_catalog.pg_extension_config_dump('default_workspace', '');
