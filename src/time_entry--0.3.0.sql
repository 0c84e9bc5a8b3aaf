\echo Use "CREATE EXTENSION time_entry" to load this file. \quit

/*
 * time_entry 0.3.0, installed fresh: the schema, the audit trigger and the
 * functions.  (An installation of an earlier release gets the same by
 * ALTER EXTENSION time_entry UPDATE, through the upgrade scripts; the
 * columns an update adds come last, so they come last here too.)
 *
 * Every table lives in schema time_entry (created by CREATE EXTENSION from
 * the control file).  PUBLIC reads none of them and writes none; the owner
 * grants what the roles of an application need (README, "Trust model").
 * Entries are written through the functions, which run with the owner's
 * rights and a pinned search_path.
 */

COMMENT ON SCHEMA time_entry IS 'time entries: the directory the rules read, the entries, and the functions that create and change them';

-- Ids -------------------------------------------------------------------

CREATE FUNCTION uuid_generate_v7()
RETURNS uuid
AS 'MODULE_PATHNAME', 'te_uuid_generate_v7'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION uuid_generate_v7() IS
'a UUID version 7 (RFC 9562): 48-bit Unix milliseconds, 12 bits of sub-millisecond time, random rest; strictly increasing within a backend';

-- Workspaces -------------------------------------------------------------

/*
 * One database holds many workspaces (tenants, SPEC 10).  Every other table
 * carries workspace_id, which never changes; every reference between
 * tables goes through (workspace_id, id), so that no row can point into
 * another workspace, whoever writes it.  A workspace that still has rows
 * cannot be deleted.  A fresh installation has one workspace, the default
 * one, which SQL that names no workspace writes into.
 */
CREATE TABLE workspaces (
	id			uuid PRIMARY KEY,
	name		text NOT NULL
);
COMMENT ON TABLE workspaces IS 'the workspaces (tenants) of the database; every other table has workspace_id';

/*
 * Which workspace is the default one: exactly one row.  A table of its own
 * (workspaces has exactly the columns of SPEC 10), kept by pg_dump, so that
 * a restore keeps the default of the dumped database (default_workspace_upsert).
 */
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

CREATE TRIGGER default_workspace_upsert
	BEFORE INSERT ON default_workspace
	FOR EACH ROW EXECUTE FUNCTION default_workspace_upsert();
COMMENT ON TRIGGER default_workspace_upsert ON default_workspace IS 'an INSERT replaces the default instead of adding a row';

/*
 * workspace_id never changes (SPEC 10): a row stays in its workspace.
 */
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

-- Directory tables --------------------------------------------------------

CREATE TABLE roles (
	id			uuid PRIMARY KEY,
	name		text NOT NULL,
	is_admin	boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT roles_workspace_fkey REFERENCES workspaces,
	CONSTRAINT roles_workspace_id_id_key UNIQUE (workspace_id, id)
);
COMMENT ON TABLE roles IS 'workspace roles; written by the host application';
COMMENT ON COLUMN roles.is_admin IS 'an admin passes every permission rule of its workspace and is exempt from its settings';

CREATE TABLE role_permissions (
	role_id		uuid NOT NULL,
	feature		text NOT NULL,
	access_level text NOT NULL
		CONSTRAINT role_permissions_access_level_check
		CHECK (access_level IN ('read', 'write', 'delete')),
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT role_permissions_workspace_fkey REFERENCES workspaces,
	PRIMARY KEY (role_id, feature, access_level),
	CONSTRAINT role_permissions_role_id_fkey FOREIGN KEY (workspace_id, role_id)
		REFERENCES roles (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX role_permissions_workspace_id_role_id_idx ON role_permissions (workspace_id, role_id);
COMMENT ON INDEX role_permissions_workspace_id_role_id_idx IS 'permissions of a role; backs the foreign key';
COMMENT ON TABLE role_permissions IS 'the (feature, access level) pairs a workspace role grants';

CREATE TABLE users (
	id			uuid PRIMARY KEY,
	first_name	text,
	last_name	text,
	role_id		uuid,
	is_deactivated boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT users_workspace_fkey REFERENCES workspaces,
	CONSTRAINT users_workspace_id_id_key UNIQUE (workspace_id, id),
	CONSTRAINT users_role_id_fkey FOREIGN KEY (workspace_id, role_id)
		REFERENCES roles (workspace_id, id)
);
CREATE INDEX users_workspace_id_role_id_idx ON users (workspace_id, role_id);
COMMENT ON INDEX users_workspace_id_role_id_idx IS 'users of a role; backs the foreign key';
COMMENT ON TABLE users IS 'the people of the workspaces; written by the host application';
COMMENT ON COLUMN users.role_id IS 'the workspace role; NULL means no workspace permissions';
COMMENT ON COLUMN users.is_deactivated IS 'a deactivated user can neither act nor be booked for';

CREATE TABLE project_roles (
	id			uuid PRIMARY KEY,
	name		text NOT NULL,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT project_roles_workspace_fkey REFERENCES workspaces,
	CONSTRAINT project_roles_workspace_id_id_key UNIQUE (workspace_id, id)
);
COMMENT ON TABLE project_roles IS 'roles a member holds within one project';

CREATE TABLE project_role_permissions (
	project_role_id uuid NOT NULL,
	feature		text NOT NULL,
	access_level text NOT NULL
		CONSTRAINT project_role_permissions_access_level_check
		CHECK (access_level IN ('read', 'write', 'delete')),
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT project_role_permissions_workspace_fkey REFERENCES workspaces,
	PRIMARY KEY (project_role_id, feature, access_level),
	CONSTRAINT project_role_permissions_project_role_id_fkey FOREIGN KEY (workspace_id, project_role_id)
		REFERENCES project_roles (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX project_role_permissions_workspace_id_project_role_id_idx
	ON project_role_permissions (workspace_id, project_role_id);
COMMENT ON INDEX project_role_permissions_workspace_id_project_role_id_idx IS 'permissions of a project role; backs the foreign key';
COMMENT ON TABLE project_role_permissions IS 'the (feature, access level) pairs a project role grants within its project';

CREATE TABLE projects (
	id			uuid PRIMARY KEY,
	name		text NOT NULL,
	is_billable_by_default boolean NOT NULL DEFAULT false,
	is_closed	boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT projects_workspace_fkey REFERENCES workspaces,
	CONSTRAINT projects_workspace_id_id_key UNIQUE (workspace_id, id)
);
COMMENT ON TABLE projects IS 'projects time can be booked on; written by the host application';
COMMENT ON COLUMN projects.is_billable_by_default IS 'the default of isBillable for entries on this project';
COMMENT ON COLUMN projects.is_closed IS 'refuses new entries when settings.prevent_on_closed_projects is on';

CREATE TABLE project_members (
	project_id	uuid,
	user_id		uuid,
	project_role_id uuid NOT NULL,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT project_members_workspace_fkey REFERENCES workspaces,
	PRIMARY KEY (project_id, user_id),
	CONSTRAINT project_members_project_id_fkey FOREIGN KEY (workspace_id, project_id)
		REFERENCES projects (workspace_id, id) ON DELETE CASCADE,
	CONSTRAINT project_members_user_id_fkey FOREIGN KEY (workspace_id, user_id)
		REFERENCES users (workspace_id, id) ON DELETE CASCADE,
	CONSTRAINT project_members_project_role_id_fkey FOREIGN KEY (workspace_id, project_role_id)
		REFERENCES project_roles (workspace_id, id)
);
CREATE INDEX project_members_workspace_id_project_id_idx ON project_members (workspace_id, project_id);
CREATE INDEX project_members_workspace_id_user_id_idx ON project_members (workspace_id, user_id);
CREATE INDEX project_members_workspace_id_project_role_id_idx ON project_members (workspace_id, project_role_id);
COMMENT ON INDEX project_members_workspace_id_project_id_idx IS 'members of a project; backs the foreign key';
COMMENT ON INDEX project_members_workspace_id_user_id_idx IS 'memberships of a user; backs the foreign key';
COMMENT ON INDEX project_members_workspace_id_project_role_id_idx IS 'memberships holding a project role; backs the foreign key';
COMMENT ON TABLE project_members IS 'membership of a user in a project, with the project role held there';

CREATE TABLE tasks (
	id			uuid PRIMARY KEY,
	name		text NOT NULL,
	project_id	uuid,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT tasks_workspace_fkey REFERENCES workspaces,
	CONSTRAINT tasks_workspace_id_id_key UNIQUE (workspace_id, id),
	CONSTRAINT tasks_project_id_fkey FOREIGN KEY (workspace_id, project_id)
		REFERENCES projects (workspace_id, id)
);
CREATE INDEX tasks_workspace_id_project_id_idx ON tasks (workspace_id, project_id);
COMMENT ON INDEX tasks_workspace_id_project_id_idx IS 'tasks of a project; backs the foreign key';
COMMENT ON TABLE tasks IS 'tasks; a task without a project is private';
COMMENT ON COLUMN tasks.project_id IS 'the project of a project task; NULL for a private task';

CREATE TABLE task_assignees (
	task_id		uuid,
	user_id		uuid,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT task_assignees_workspace_fkey REFERENCES workspaces,
	PRIMARY KEY (task_id, user_id),
	CONSTRAINT task_assignees_task_id_fkey FOREIGN KEY (workspace_id, task_id)
		REFERENCES tasks (workspace_id, id) ON DELETE CASCADE,
	CONSTRAINT task_assignees_user_id_fkey FOREIGN KEY (workspace_id, user_id)
		REFERENCES users (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX task_assignees_workspace_id_task_id_idx ON task_assignees (workspace_id, task_id);
CREATE INDEX task_assignees_workspace_id_user_id_idx ON task_assignees (workspace_id, user_id);
COMMENT ON INDEX task_assignees_workspace_id_task_id_idx IS 'assignees of a task; backs the foreign key';
COMMENT ON INDEX task_assignees_workspace_id_user_id_idx IS 'tasks assigned to a user; backs the foreign key';
COMMENT ON TABLE task_assignees IS 'the users a task is assigned to';

CREATE TABLE types_of_work (
	id			uuid PRIMARY KEY,
	name		text NOT NULL,
	icon		text,
	is_archived boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT types_of_work_workspace_fkey REFERENCES workspaces,
	CONSTRAINT types_of_work_workspace_id_id_key UNIQUE (workspace_id, id)
);
COMMENT ON TABLE types_of_work IS 'kinds of work an entry is booked as';
COMMENT ON COLUMN types_of_work.is_archived IS 'an archived type of work cannot be used for new entries';

/*
 * The settings of each workspace: one row per workspace, made with the
 * defaults when the workspace is inserted and removed with it.  An INSERT
 * for a workspace that has its row updates that row instead, so that
 * restoring a dump (which inserts the dumped rows after the workspaces
 * made theirs) keeps the dumped values; a DELETE or TRUNCATE is refused
 * while the workspace is there.
 */
CREATE TABLE settings (
	max_duration integer DEFAULT 86400
		CONSTRAINT settings_max_duration_check CHECK (max_duration > 0),
	prevent_on_closed_projects boolean NOT NULL DEFAULT false,
	prevent_in_future boolean NOT NULL DEFAULT false,
	allow_on_past_days integer
		CONSTRAINT settings_allow_on_past_days_check CHECK (allow_on_past_days >= 0),
	prevent_overlaps boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL DEFAULT default_workspace_id()
		CONSTRAINT settings_workspace_fkey REFERENCES workspaces ON DELETE CASCADE,
	CONSTRAINT settings_pkey PRIMARY KEY (workspace_id)
);
COMMENT ON TABLE settings IS 'the settings the rules apply in a workspace (admins are exempt); one row per workspace';
COMMENT ON COLUMN settings.max_duration IS 'the longest entry in seconds; NULL means no limit';
COMMENT ON COLUMN settings.prevent_on_closed_projects IS 'refuse entries on projects that are closed';
COMMENT ON COLUMN settings.prevent_in_future IS 'refuse entries whose local day is after today in the entry''s time zone';
COMMENT ON COLUMN settings.allow_on_past_days IS 'refuse entries more than this many days before today; NULL means no limit';
COMMENT ON COLUMN settings.prevent_overlaps IS 'refuse a timed entry that overlaps another timed entry of the same user';

INSERT INTO settings (workspace_id) SELECT id FROM workspaces;

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

CREATE FUNCTION settings_upsert()
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

CREATE TRIGGER settings_upsert
	BEFORE INSERT ON settings
	FOR EACH ROW EXECUTE FUNCTION settings_upsert();
COMMENT ON TRIGGER settings_upsert ON settings IS 'an INSERT updates the workspace''s row instead of adding one';

CREATE FUNCTION settings_keep_row()
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

CREATE TRIGGER settings_no_delete
	BEFORE DELETE ON settings
	FOR EACH ROW EXECUTE FUNCTION settings_keep_row();
COMMENT ON TRIGGER settings_no_delete ON settings IS 'a settings row goes only with its workspace';
CREATE TRIGGER settings_no_truncate
	BEFORE TRUNCATE ON settings
	FOR EACH STATEMENT EXECUTE FUNCTION settings_keep_row();
COMMENT ON TRIGGER settings_no_truncate ON settings IS 'the settings rows cannot be truncated away';

-- Time entries ------------------------------------------------------------

/*
 * time_entries is a plain table, unless time_entry.partitioned is on in the
 * session that runs CREATE EXTENSION: then it is partitioned by range of
 * date_local (README, "Partitioning"), and what a partitioned table cannot
 * have changes: the primary key includes the partition key, (id,
 * date_local), and "one running entry per user" is an index that is not
 * unique (the functions keep the rule under the user's lock).  The
 * partitions are the owner's to make, by hand or with pg_partman.
 */
DO $$
DECLARE
	partitioned boolean := current_setting('time_entry.partitioned')::boolean;
BEGIN
	EXECUTE format($ddl$
CREATE TABLE time_entry.time_entries (%s) %s
$ddl$, $cols$
	id			uuid NOT NULL DEFAULT time_entry.uuid_generate_v7(),
	user_id		uuid,
	type_of_work_id uuid NOT NULL,
	project_id	uuid,
	task_id		uuid,
	note		text,
	timezone	text NOT NULL,
	date_local	date NOT NULL,
	start_at	timestamptz,
	end_at		timestamptz,
	duration	integer NOT NULL,
	break_duration integer NOT NULL DEFAULT 0,
	is_billable boolean NOT NULL,
	is_billed	boolean NOT NULL,
	is_external boolean NOT NULL DEFAULT false,
	created_by	uuid NOT NULL,
	created_on	timestamptz NOT NULL,
	updated_by	uuid NOT NULL,
	updated_on	timestamptz NOT NULL,
	resource_version bigint NOT NULL,
	workspace_id uuid NOT NULL DEFAULT time_entry.default_workspace_id()
		CONSTRAINT time_entries_workspace_fkey REFERENCES time_entry.workspaces,

	CONSTRAINT time_entries_duration_check CHECK (duration >= 0),
	CONSTRAINT time_entries_break_duration_check CHECK (break_duration >= 0),
	CONSTRAINT time_entries_end_after_start CHECK (end_at >= start_at),
	CONSTRAINT time_entries_end_needs_start CHECK (end_at IS NULL OR start_at IS NOT NULL),
	CONSTRAINT time_entries_duration_matches_end CHECK (
		end_at IS NULL
		OR duration = floor(extract(epoch FROM end_at) - extract(epoch FROM start_at)) - break_duration),
	CONSTRAINT time_entries_running_duration CHECK (
		start_at IS NULL OR end_at IS NOT NULL OR duration = 0),
	CONSTRAINT time_entries_date_only_duration CHECK (start_at IS NOT NULL OR duration > 0),
	CONSTRAINT time_entries_billed_is_billable CHECK (NOT is_billed OR is_billable),
	CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (workspace_id, user_id)
		REFERENCES time_entry.users (workspace_id, id) ON DELETE SET NULL (user_id),
	CONSTRAINT time_entries_type_of_work_id_fkey FOREIGN KEY (workspace_id, type_of_work_id)
		REFERENCES time_entry.types_of_work (workspace_id, id),
	CONSTRAINT time_entries_project_id_fkey FOREIGN KEY (workspace_id, project_id)
		REFERENCES time_entry.projects (workspace_id, id),
	CONSTRAINT time_entries_task_id_fkey FOREIGN KEY (workspace_id, task_id)
		REFERENCES time_entry.tasks (workspace_id, id)
$cols$, CASE WHEN partitioned THEN 'PARTITION BY RANGE (date_local)' ELSE '' END);
	IF partitioned THEN
		ALTER TABLE time_entry.time_entries
			ADD CONSTRAINT time_entries_pkey PRIMARY KEY (id, date_local);
		CREATE INDEX time_entries_one_running_per_user
			ON time_entry.time_entries (user_id) WHERE start_at IS NOT NULL AND end_at IS NULL;
	ELSE
		ALTER TABLE time_entry.time_entries
			ADD CONSTRAINT time_entries_pkey PRIMARY KEY (id);
		CREATE UNIQUE INDEX time_entries_one_running_per_user
			ON time_entry.time_entries (user_id) WHERE start_at IS NOT NULL AND end_at IS NULL;
	END IF;
END
$$;

CREATE INDEX time_entries_user_id_start_at_idx ON time_entries (user_id, start_at);
CREATE INDEX time_entries_workspace_id_user_id_date_local_idx
	ON time_entries (workspace_id, user_id, date_local);
CREATE INDEX time_entries_workspace_id_project_id_date_local_idx
	ON time_entries (workspace_id, project_id, date_local);
CREATE INDEX time_entries_workspace_id_date_local_idx ON time_entries (workspace_id, date_local);
CREATE INDEX time_entries_workspace_id_task_id_idx ON time_entries (workspace_id, task_id);
CREATE INDEX time_entries_workspace_id_type_of_work_id_idx ON time_entries (workspace_id, type_of_work_id);

COMMENT ON TABLE time_entries IS 'the time a person worked; written through time_entry.create_entry';
COMMENT ON COLUMN time_entries.id IS 'UUID version 7, time-ordered';
COMMENT ON COLUMN time_entries.user_id IS 'whose time it is; NULL only after that user was deleted';
COMMENT ON COLUMN time_entries.timezone IS 'canonical IANA name of the time zone the entry was made in';
COMMENT ON COLUMN time_entries.date_local IS 'the calendar day of the entry in its time zone';
COMMENT ON COLUMN time_entries.start_at IS 'the start; NULL for a date-only entry';
COMMENT ON COLUMN time_entries.end_at IS 'the end; NULL for a date-only or a running entry';
COMMENT ON COLUMN time_entries.duration IS 'elapsed seconds worked, less break_duration; 0 while running';
COMMENT ON COLUMN time_entries.break_duration IS 'seconds of break; always 0 for entries made by create_entry';
COMMENT ON COLUMN time_entries.is_external IS 'true for entries synchronised from outside; always false on create';
COMMENT ON COLUMN time_entries.created_by IS 'the actor who created the row; kept by the audit trigger';
COMMENT ON COLUMN time_entries.created_on IS 'the creating transaction''s timestamp; kept by the audit trigger';
COMMENT ON COLUMN time_entries.updated_by IS 'the actor of the last change; kept by the audit trigger';
COMMENT ON COLUMN time_entries.updated_on IS 'the last changing transaction''s timestamp; kept by the audit trigger';
COMMENT ON COLUMN time_entries.workspace_id IS 'the workspace of the entry, and of every row it references';
COMMENT ON COLUMN time_entries.resource_version IS 'modification time in .NET ticks, strictly increasing on every update; kept by the audit trigger';
COMMENT ON INDEX time_entries_one_running_per_user IS 'a user has at most one running entry (start set, no end)';
COMMENT ON INDEX time_entries_user_id_start_at_idx IS 'a user''s entries in time order: reports, and the overlap check';
COMMENT ON INDEX time_entries_workspace_id_user_id_date_local_idx IS 'a user''s entries by day: list_entries; backs the foreign key';
COMMENT ON INDEX time_entries_workspace_id_project_id_date_local_idx IS 'a project''s entries by day: list_entries; backs the foreign key';
COMMENT ON INDEX time_entries_workspace_id_date_local_idx IS 'a workspace''s entries by day: list_entries';
COMMENT ON INDEX time_entries_workspace_id_task_id_idx IS 'entries of a task; backs the foreign key';
COMMENT ON INDEX time_entries_workspace_id_type_of_work_id_idx IS 'entries of a type of work; backs the foreign key';
COMMENT ON CONSTRAINT time_entries_duration_matches_end ON time_entries IS 'with an end, duration is the whole seconds from start to end less the break';
COMMENT ON CONSTRAINT time_entries_running_duration ON time_entries IS 'a running entry has duration 0';
COMMENT ON CONSTRAINT time_entries_date_only_duration ON time_entries IS 'a date-only entry has a positive duration';
COMMENT ON CONSTRAINT time_entries_billed_is_billable ON time_entries IS 'a billed entry is billable';


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

-- The audit trigger ------------------------------------------------------

CREATE FUNCTION audit_trigger()
RETURNS trigger
AS 'MODULE_PATHNAME', 'te_audit_trigger'
LANGUAGE C;
COMMENT ON FUNCTION audit_trigger() IS
'keeps created_by/created_on/updated_by/updated_on and resource_version of time_entries; refuses writes without an actor, and changes of id, workspace_id, created_by, created_on';

CREATE TRIGGER time_entries_audit
	BEFORE INSERT OR UPDATE ON time_entries
	FOR EACH ROW EXECUTE FUNCTION audit_trigger();
COMMENT ON TRIGGER time_entries_audit ON time_entries IS
'sets the audit fields and resource_version from time_entry.actor and the clock';

-- Creating entries --------------------------------------------------------

/*
 * The functions write time_entries with the owner's rights (nobody else may
 * write it) and a pinned search_path; their own queries are index probes
 * of a few rows, which JIT compiling never pays for (jit = off).  EXECUTE
 * is not granted to PUBLIC: the application role that passes authenticated
 * users as actors is granted it explicitly (README, "Trust model").
 */

CREATE FUNCTION create_entry(entry jsonb, actor uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_create_entry'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION create_entry(jsonb, uuid) IS
'validates a request (SPEC 3-6), inserts the entry and returns the response object; raises the first problem';

CREATE FUNCTION validate_entry(entry jsonb, actor uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_validate_entry'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION validate_entry(jsonb, uuid) IS
'checks a request as create_entry would, inserting nothing; NULL when valid, else an error object listing every problem';

CREATE FUNCTION try_create_entry(entry jsonb, actor uuid DEFAULT NULL)
RETURNS TABLE (id uuid, response jsonb, error jsonb)
AS 'MODULE_PATHNAME', 'te_try_create_entry'
LANGUAGE C VOLATILE SECURITY DEFINER ROWS 1
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION try_create_entry(jsonb, uuid) IS
'like create_entry, but an expected problem comes back in error instead of being raised; for CROSS JOIN LATERAL over staged requests';

CREATE FUNCTION import_entries(entries jsonb, actor uuid DEFAULT NULL)
RETURNS TABLE (ordinal integer, id uuid, error jsonb)
AS 'MODULE_PATHNAME', 'te_import_entries'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION import_entries(jsonb, uuid) IS
'creates the entries of a JSON array of requests, in order; one row per element with its id or its error';

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

REVOKE ALL ON FUNCTION create_entry(jsonb, uuid), validate_entry(jsonb, uuid),
	try_create_entry(jsonb, uuid), import_entries(jsonb, uuid)
	FROM PUBLIC;

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

-- The life of an entry (SPEC 9) ------------------------------------------

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

-- Privileges and dumps ---------------------------------------------------

/*
 * No table is readable by PUBLIC (SPEC 10): applications read through
 * get_entry and list_entries, which check permissions and stay in the
 * actor's workspace, or through grants the owner makes.
 */
REVOKE ALL ON ALL TABLES IN SCHEMA time_entry FROM PUBLIC;
GRANT USAGE ON SCHEMA time_entry TO PUBLIC;
REVOKE ALL ON FUNCTION audit_trigger(), settings_upsert(), settings_keep_row(),
	workspace_settings(), workspace_fixed(), default_workspace_upsert(),
	workspace_in_use(uuid) FROM PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('workspaces', '');
SELECT pg_catalog.pg_extension_config_dump('default_workspace', '');
SELECT pg_catalog.pg_extension_config_dump('roles', '');
SELECT pg_catalog.pg_extension_config_dump('role_permissions', '');
SELECT pg_catalog.pg_extension_config_dump('users', '');
SELECT pg_catalog.pg_extension_config_dump('project_roles', '');
SELECT pg_catalog.pg_extension_config_dump('project_role_permissions', '');
SELECT pg_catalog.pg_extension_config_dump('projects', '');
SELECT pg_catalog.pg_extension_config_dump('project_members', '');
SELECT pg_catalog.pg_extension_config_dump('tasks', '');
SELECT pg_catalog.pg_extension_config_dump('task_assignees', '');
SELECT pg_catalog.pg_extension_config_dump('types_of_work', '');
SELECT pg_catalog.pg_extension_config_dump('settings', '');
SELECT pg_catalog.pg_extension_config_dump('time_entries', '');
