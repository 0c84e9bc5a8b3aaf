-- tw_schema: a workspace-sharded prototype of time_entry's schema, as a plain schema (not an extension),
-- shaped like time_entry 0.3.0 (SPEC 10) except where Citus refuses the current shape (a3):
--   * PRIMARY KEY (workspace_id, id) instead of PRIMARY KEY (id) + UNIQUE (workspace_id, id): an id is
--     unique within its workspace only;
--   * the link tables' primary keys lead with workspace_id;
--   * time_entries.user_id's foreign key ON DELETE CASCADE instead of ON DELETE SET NULL (user_id);
--   * "one running entry per user" on (workspace_id, user_id) instead of (user_id);
--   * no workspace_fixed triggers: Citus itself refuses a change of the distribution column (c1).
-- Kept as in time_entry: workspace_id in every table and key, composite foreign keys
-- (workspace_id, col) -> (workspace_id, id), settings keyed by workspace_id, and time_entry's own C audit
-- trigger (time_entry.audit_trigger, actor from time_entry.actor) on time_entries.
-- Data: 32 workspaces NN = 10..41; in each an admin role aa..NN, an admin user bb..NN, a member cc..NN
-- (deactivated in workspace 10), a type of work ff..NN and the settings row.
-- Used by c1 (then distributed) and d0 (the same, not distributed, for the local baselines).
CREATE SCHEMA tw;
CREATE TABLE tw.workspaces (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE tw.roles (
	id uuid NOT NULL, name text NOT NULL, is_admin boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id));
CREATE TABLE tw.role_permissions (
	role_id uuid NOT NULL, feature text NOT NULL,
	access_level text NOT NULL CHECK (access_level IN ('read', 'write', 'delete')),
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, role_id, feature, access_level),
	FOREIGN KEY (workspace_id, role_id) REFERENCES tw.roles (workspace_id, id) ON DELETE CASCADE);
CREATE TABLE tw.users (
	id uuid NOT NULL, first_name text, last_name text, role_id uuid,
	is_deactivated boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, role_id) REFERENCES tw.roles (workspace_id, id));
CREATE TABLE tw.project_roles (
	id uuid NOT NULL, name text NOT NULL,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id));
CREATE TABLE tw.project_role_permissions (
	project_role_id uuid NOT NULL, feature text NOT NULL,
	access_level text NOT NULL CHECK (access_level IN ('read', 'write', 'delete')),
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, project_role_id, feature, access_level),
	FOREIGN KEY (workspace_id, project_role_id) REFERENCES tw.project_roles (workspace_id, id) ON DELETE CASCADE);
CREATE TABLE tw.projects (
	id uuid NOT NULL, name text NOT NULL,
	is_billable_by_default boolean NOT NULL DEFAULT false, is_closed boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id));
CREATE TABLE tw.project_members (
	project_id uuid NOT NULL, user_id uuid NOT NULL, project_role_id uuid NOT NULL,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, project_id, user_id),
	FOREIGN KEY (workspace_id, project_id) REFERENCES tw.projects (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, user_id) REFERENCES tw.users (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, project_role_id) REFERENCES tw.project_roles (workspace_id, id));
CREATE TABLE tw.tasks (
	id uuid NOT NULL, name text NOT NULL, project_id uuid,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, project_id) REFERENCES tw.projects (workspace_id, id));
CREATE TABLE tw.task_assignees (
	task_id uuid NOT NULL, user_id uuid NOT NULL,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, task_id, user_id),
	FOREIGN KEY (workspace_id, task_id) REFERENCES tw.tasks (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, user_id) REFERENCES tw.users (workspace_id, id) ON DELETE CASCADE);
CREATE TABLE tw.types_of_work (
	id uuid NOT NULL, name text NOT NULL, icon text, is_archived boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id));
CREATE TABLE tw.settings (
	max_duration integer DEFAULT 86400 CHECK (max_duration > 0),
	prevent_on_closed_projects boolean NOT NULL DEFAULT false,
	prevent_in_future boolean NOT NULL DEFAULT false,
	allow_on_past_days integer CHECK (allow_on_past_days >= 0),
	prevent_overlaps boolean NOT NULL DEFAULT false,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces ON DELETE CASCADE,
	PRIMARY KEY (workspace_id));
CREATE TABLE tw.time_entries (
	id uuid NOT NULL DEFAULT time_entry.uuid_generate_v7(),
	user_id uuid,
	type_of_work_id uuid NOT NULL, project_id uuid, task_id uuid, note text,
	timezone text NOT NULL, date_local date NOT NULL, start_at timestamptz, end_at timestamptz,
	duration integer NOT NULL CHECK (duration >= 0), break_duration integer NOT NULL DEFAULT 0,
	is_billable boolean NOT NULL, is_billed boolean NOT NULL, is_external boolean NOT NULL DEFAULT false,
	created_by uuid NOT NULL, created_on timestamptz NOT NULL, updated_by uuid NOT NULL, updated_on timestamptz NOT NULL,
	resource_version bigint NOT NULL,
	workspace_id uuid NOT NULL REFERENCES tw.workspaces,
	PRIMARY KEY (workspace_id, id),
	FOREIGN KEY (workspace_id, user_id) REFERENCES tw.users (workspace_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workspace_id, type_of_work_id) REFERENCES tw.types_of_work (workspace_id, id),
	FOREIGN KEY (workspace_id, project_id) REFERENCES tw.projects (workspace_id, id),
	FOREIGN KEY (workspace_id, task_id) REFERENCES tw.tasks (workspace_id, id));
CREATE UNIQUE INDEX time_entries_one_running_per_user ON tw.time_entries (workspace_id, user_id)
	WHERE start_at IS NOT NULL AND end_at IS NULL;
CREATE INDEX time_entries_workspace_id_user_id_date_local_idx ON tw.time_entries (workspace_id, user_id, date_local);
-- time_entry's own C audit trigger: it serves any table with the audit columns
CREATE TRIGGER time_entries_audit BEFORE INSERT OR UPDATE ON tw.time_entries
	FOR EACH ROW EXECUTE FUNCTION time_entry.audit_trigger();
-- written by the C probe (c_probe), no index
CREATE TABLE tw.c_notes (workspace_id uuid NOT NULL, user_id uuid NOT NULL, via text NOT NULL);

INSERT INTO tw.workspaces SELECT ('00000000-0000-4000-8000-0000000000' || n)::uuid, 'workspace ' || n FROM generate_series(10, 41) n;
INSERT INTO tw.settings (workspace_id) SELECT id FROM tw.workspaces;
INSERT INTO tw.roles (workspace_id, id, name, is_admin) SELECT ('00000000-0000-4000-8000-0000000000' || n)::uuid, ('000000aa-0000-4000-8000-0000000000' || n)::uuid, 'Administrator', true FROM generate_series(10, 41) n;
INSERT INTO tw.users (workspace_id, id, first_name, last_name, role_id, is_deactivated) SELECT ('00000000-0000-4000-8000-0000000000' || n)::uuid, ('000000bb-0000-4000-8000-0000000000' || n)::uuid, 'Admin', n::text, ('000000aa-0000-4000-8000-0000000000' || n)::uuid, false FROM generate_series(10, 41) n;
INSERT INTO tw.users (workspace_id, id, first_name, last_name, role_id, is_deactivated) SELECT ('00000000-0000-4000-8000-0000000000' || n)::uuid, ('000000cc-0000-4000-8000-0000000000' || n)::uuid, 'Member', n::text, NULL, n = 10 FROM generate_series(10, 41) n;
INSERT INTO tw.types_of_work (workspace_id, id, name) SELECT ('00000000-0000-4000-8000-0000000000' || n)::uuid, ('000000ff-0000-4000-8000-0000000000' || n)::uuid, 'Development' FROM generate_series(10, 41) n;

-- A stand-in for create_entry with the workspace as first argument (the distribution argument).  Like
-- time_entry, the workspace of the call is the actor's: an actor who is no (active) user of the given
-- workspace is refused as an unknown actor.  Then the user, the type of work and the settings of that
-- workspace; then the insert, with the actor handed to the audit trigger through time_entry.actor.
CREATE FUNCTION tw.create_entry(workspace_id uuid, entry jsonb, actor uuid)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	ws uuid := create_entry.workspace_id;
	uid uuid := (entry ->> 'userId')::uuid;
	tow uuid := (entry ->> 'typeOfWorkId')::uuid;
	dur integer := (entry ->> 'duration')::integer;
	maxdur integer;
	new_id uuid;
BEGIN
	PERFORM FROM tw.users WHERE workspace_id = ws AND id = actor AND NOT is_deactivated;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'actor % is not a user of the workspace', actor USING ERRCODE = '28000', COLUMN = 'actor';
	END IF;
	PERFORM FROM tw.users WHERE workspace_id = ws AND id = uid AND NOT is_deactivated;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % of property "userId" does not exist', uid USING ERRCODE = '23503', COLUMN = 'userId';
	END IF;
	PERFORM FROM tw.types_of_work WHERE workspace_id = ws AND id = tow AND NOT is_archived;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'type of work % of property "typeOfWorkId" does not exist', tow USING ERRCODE = '23503', COLUMN = 'typeOfWorkId';
	END IF;
	SELECT max_duration INTO maxdur FROM tw.settings WHERE workspace_id = ws;
	IF dur > maxdur THEN
		RAISE EXCEPTION 'duration % exceeds %', dur, maxdur USING ERRCODE = '22023', COLUMN = 'duration';
	END IF;
	PERFORM set_config('time_entry.actor', actor::text, true);
	INSERT INTO tw.time_entries (workspace_id, user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
	VALUES (ws, uid, tow, entry ->> 'timezone', (entry ->> 'startDateLocal')::date, dur, false, false)
	RETURNING id INTO new_id;
	RETURN new_id;
END
$$;
REVOKE ALL ON FUNCTION tw.create_entry(uuid, jsonb, uuid) FROM PUBLIC;
