--
-- Workspaces (SPEC 10): the workspace of a call is its actor's, and every
-- id a call names is looked up in that workspace only.
--
-- 1. The isolation matrix: for each function and each id it takes, an id
--    of another workspace gives exactly the answer of a missing id (the
--    same SQLSTATE, code, property and message, ids masked); a request id
--    of another workspace is a conflict, as one made by another actor.
-- 2. No row can reference another workspace's, even written with plain
--    SQL (23503); workspace_id never changes.
-- 3. Settings and admin rights are the workspace's.
-- 4. Workspaces come and go with their settings row; one that has rows
--    cannot be deleted; SQL that names no workspace writes the default one.
--
-- Each case runs in a subtransaction that is rolled back, so that the
-- cases do not change each other's data.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Fixtures: workspace A is the default one, B a second.  In each: an
-- admin (role a1), a plain user (in A assigned to the task), a project
-- with a task, a type of work, a project role; ids of A start with 5a, of
-- B with 5b.  "nobody" is an
-- id no row has.
SELECT time_entry.default_workspace_id() AS ws_a \gset
\set ws_b '5b000000-0000-4000-8000-000000000000'
\set a_admin_role '5a000000-0000-4000-8000-0000000000a1'
\set a_admin '5a000000-0000-4000-8000-0000000000b1'
\set a_user '5a000000-0000-4000-8000-0000000000b2'
\set a_prole '5a000000-0000-4000-8000-0000000000c1'
\set a_project '5a000000-0000-4000-8000-0000000000d1'
\set a_task '5a000000-0000-4000-8000-0000000000e1'
\set a_work '5a000000-0000-4000-8000-0000000000f1'
\set b_admin_role '5b000000-0000-4000-8000-0000000000a1'
\set b_admin '5b000000-0000-4000-8000-0000000000b1'
\set b_user '5b000000-0000-4000-8000-0000000000b2'
\set b_prole '5b000000-0000-4000-8000-0000000000c1'
\set b_project '5b000000-0000-4000-8000-0000000000d1'
\set b_task '5b000000-0000-4000-8000-0000000000e1'
\set b_work '5b000000-0000-4000-8000-0000000000f1'
\set nobody '5f000000-0000-4000-8000-0000000000ff'

-- A new workspace gets its settings row, with the defaults.
INSERT INTO time_entry.workspaces (id, name) VALUES (:'ws_b', 'Workspace B');
SELECT w.name, s.max_duration, s.prevent_on_closed_projects, s.prevent_in_future,
	   s.allow_on_past_days, s.prevent_overlaps
  FROM time_entry.workspaces w JOIN time_entry.settings s ON s.workspace_id = w.id
 WHERE w.id IN (:'ws_a', :'ws_b') ORDER BY w.name;

-- Workspace A: written by SQL that names no workspace (the default one).
INSERT INTO time_entry.roles (id, name, is_admin) VALUES (:'a_admin_role', 'A admin', true);
INSERT INTO time_entry.users (id, first_name, role_id) VALUES
	(:'a_admin', 'Ann', :'a_admin_role'), (:'a_user', 'Abe', NULL);
INSERT INTO time_entry.project_roles (id, name) VALUES (:'a_prole', 'A tracker');
INSERT INTO time_entry.projects (id, name) VALUES (:'a_project', 'A project');
INSERT INTO time_entry.tasks (id, name, project_id) VALUES (:'a_task', 'A task', :'a_project');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'a_work', 'A work');
INSERT INTO time_entry.task_assignees (task_id, user_id) VALUES (:'a_task', :'a_user');
-- Workspace B: named.
INSERT INTO time_entry.roles (id, name, is_admin, workspace_id) VALUES
	(:'b_admin_role', 'B admin', true, :'ws_b');
INSERT INTO time_entry.users (id, first_name, role_id, workspace_id) VALUES
	(:'b_admin', 'Bea', :'b_admin_role', :'ws_b'), (:'b_user', 'Bob', NULL, :'ws_b');
INSERT INTO time_entry.project_roles (id, name, workspace_id) VALUES (:'b_prole', 'B tracker', :'ws_b');
INSERT INTO time_entry.projects (id, name, workspace_id) VALUES (:'b_project', 'B project', :'ws_b');
INSERT INTO time_entry.tasks (id, name, project_id, workspace_id) VALUES
	(:'b_task', 'B task', :'b_project', :'ws_b');
INSERT INTO time_entry.types_of_work (id, name, workspace_id) VALUES (:'b_work', 'B work', :'ws_b');
SELECT (SELECT count(*) FROM time_entry.users WHERE workspace_id = :'ws_a' AND id::text LIKE '5a%') AS a_users,
	   (SELECT count(*) FROM time_entry.users WHERE workspace_id = :'ws_b') AS b_users;

-- What a statement gives: 'ok', or the error's fields and message with
-- every id masked; for a face that answers with an error object, that
-- object's fields.
CREATE FUNCTION pg_temp.outcome(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text; code text; prop text; msg text;
	result jsonb;
BEGIN
	IF sql ~* '^\s*select' THEN
		EXECUTE sql INTO result;
	ELSE
		EXECUTE sql;
	END IF;
	IF result ? 'sqlstate' THEN
		state := result->>'sqlstate';
		code := result->>'code';
		prop := result->'validationErrors'->0->>'property';
		msg := result->'validationErrors'->0->>'message';
		RAISE SQLSTATE 'P0004';
	END IF;
	RAISE SQLSTATE 'P0003';
EXCEPTION
	WHEN SQLSTATE 'P0003' THEN
		RETURN 'ok';
	WHEN SQLSTATE 'P0004' THEN
		RETURN format('%s %s %s: %s (error object)', state, code, prop,
			regexp_replace(msg, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<id>', 'g'));
	WHEN others THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
			prop = COLUMN_NAME, msg = MESSAGE_TEXT;
		RETURN format('%s %s %s: %s', state, code, prop,
			regexp_replace(msg, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<id>', 'g'));
END
$$;

-- A request of A's admin for A's user (timed, 2025-03-10 09:00-10:00 UTC).
CREATE FUNCTION pg_temp.req(extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT '{"userId": "5a000000-0000-4000-8000-0000000000b2",
			 "typeOfWorkId": "5a000000-0000-4000-8000-0000000000f1",
			 "projectId": "5a000000-0000-4000-8000-0000000000d1",
			 "taskId": "5a000000-0000-4000-8000-0000000000e1",
			 "timezone": "UTC",
			 "startDateUtc": "2025-03-10T09:00:00Z", "duration": 3600}'::jsonb || extra
$$;

-- Entries: one of A's user, made by A's admin and by the user; in B one of
-- B's user, and B's user's running timer.
SELECT time_entry.create_entry(pg_temp.req(), :'a_admin')->>'id' AS a_entry \gset
SELECT time_entry.create_entry(pg_temp.req('{"startDateUtc": "2025-03-11T09:00:00Z"}'), :'a_user')->>'id'
	AS a_entry_by_user \gset
SELECT time_entry.create_entry(jsonb_build_object('userId', :'b_user', 'typeOfWorkId', :'b_work',
	'projectId', :'b_project', 'taskId', :'b_task', 'timezone', 'UTC',
	'startDateUtc', '2025-03-10T09:00:00Z', 'duration', 3600), :'b_admin')->>'id' AS b_entry \gset
SELECT time_entry.start_timer(jsonb_build_object('userId', :'b_user', 'typeOfWorkId', :'b_work',
	'timezone', 'UTC'), :'b_admin')->>'id' AS b_running \gset
SELECT workspace_id = :'ws_a' AS a_entry_in_a FROM time_entry.time_entries WHERE id = :'a_entry';
SELECT workspace_id = :'ws_b' AS b_entry_in_b FROM time_entry.time_entries WHERE id = :'b_entry';

--
-- 1. The matrix.  Each case is a statement with %1$s where the id goes,
-- run by A's admin (an admin: no permission stands in the way) once with
-- B's id and once with an id no row has.  "same" must be true everywhere.
--
CREATE TEMP TABLE cases (n int, face text, arg text, other_id text, stmt text);
INSERT INTO cases VALUES
 (1, 'create_entry', 'userId', :'b_user',
	$$SELECT time_entry.create_entry(pg_temp.req('{"userId": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (2, 'create_entry', 'typeOfWorkId', :'b_work',
	$$SELECT time_entry.create_entry(pg_temp.req('{"typeOfWorkId": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (3, 'create_entry', 'projectId', :'b_project',
	$$SELECT time_entry.create_entry(pg_temp.req('{"projectId": "%1$s", "taskId": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (4, 'create_entry', 'taskId', :'b_task',
	$$SELECT time_entry.create_entry(pg_temp.req('{"taskId": "%1$s", "projectId": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (5, 'validate_entry', 'userId', :'b_user',
	$$SELECT time_entry.validate_entry(pg_temp.req('{"userId": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (6, 'validate_entry', 'typeOfWorkId', :'b_work',
	$$SELECT time_entry.validate_entry(pg_temp.req('{"typeOfWorkId": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (7, 'validate_entry', 'projectId', :'b_project',
	$$SELECT time_entry.validate_entry(pg_temp.req('{"projectId": "%1$s", "taskId": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (8, 'validate_entry', 'taskId', :'b_task',
	$$SELECT time_entry.validate_entry(pg_temp.req('{"taskId": "%1$s", "projectId": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (9, 'try_create_entry', 'userId', :'b_user',
	$$SELECT error FROM time_entry.try_create_entry(pg_temp.req('{"userId": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (10, 'try_create_entry', 'typeOfWorkId', :'b_work',
	$$SELECT error FROM time_entry.try_create_entry(pg_temp.req('{"typeOfWorkId": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (11, 'try_create_entry', 'projectId', :'b_project',
	$$SELECT error FROM time_entry.try_create_entry(pg_temp.req('{"projectId": "%1$s", "taskId": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (12, 'try_create_entry', 'taskId', :'b_task',
	$$SELECT error FROM time_entry.try_create_entry(pg_temp.req('{"taskId": "%1$s", "projectId": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (13, 'import_entries', 'userId', :'b_user',
	$$SELECT error FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('{"userId": "%1$s"}')), '5a000000-0000-4000-8000-0000000000b1')$$),
 (14, 'import_entries', 'typeOfWorkId', :'b_work',
	$$SELECT error FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('{"typeOfWorkId": "%1$s"}')), '5a000000-0000-4000-8000-0000000000b1')$$),
 (15, 'import_entries', 'projectId', :'b_project',
	$$SELECT error FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('{"projectId": "%1$s", "taskId": null}')), '5a000000-0000-4000-8000-0000000000b1')$$),
 (16, 'import_entries', 'taskId', :'b_task',
	$$SELECT error FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('{"taskId": "%1$s", "projectId": null}')), '5a000000-0000-4000-8000-0000000000b1')$$),
 (17, 'create_entry (typed)', 'user_id', :'b_user',
	$$SELECT time_entry.create_entry('%1$s'::uuid, '5a000000-0000-4000-8000-0000000000f1'::uuid, 'UTC', entry_date => '2025-03-10', duration => 60, actor => '5a000000-0000-4000-8000-0000000000b1') IS NULL$$),
 (18, 'create_entry (typed)', 'type_of_work_id', :'b_work',
	$$SELECT time_entry.create_entry('5a000000-0000-4000-8000-0000000000b2'::uuid, '%1$s'::uuid, 'UTC', entry_date => '2025-03-10', duration => 60, actor => '5a000000-0000-4000-8000-0000000000b1') IS NULL$$),
 (19, 'create_entry (typed)', 'project_id', :'b_project',
	$$SELECT time_entry.create_entry('5a000000-0000-4000-8000-0000000000b2'::uuid, '5a000000-0000-4000-8000-0000000000f1'::uuid, 'UTC', entry_date => '2025-03-10', duration => 60, project_id => '%1$s', actor => '5a000000-0000-4000-8000-0000000000b1') IS NULL$$),
 (20, 'create_entry (typed)', 'task_id', :'b_task',
	$$SELECT time_entry.create_entry('5a000000-0000-4000-8000-0000000000b2'::uuid, '5a000000-0000-4000-8000-0000000000f1'::uuid, 'UTC', entry_date => '2025-03-10', duration => 60, task_id => '%1$s', actor => '5a000000-0000-4000-8000-0000000000b1') IS NULL$$),
 (21, 'start_timer', 'userId', :'b_user',
	$$SELECT time_entry.start_timer(pg_temp.req('{"userId": "%1$s", "startDateUtc": null, "duration": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (22, 'start_timer', 'typeOfWorkId', :'b_work',
	$$SELECT time_entry.start_timer(pg_temp.req('{"typeOfWorkId": "%1$s", "startDateUtc": null, "duration": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (23, 'start_timer', 'projectId', :'b_project',
	$$SELECT time_entry.start_timer(pg_temp.req('{"projectId": "%1$s", "taskId": null, "startDateUtc": null, "duration": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (24, 'start_timer', 'taskId', :'b_task',
	$$SELECT time_entry.start_timer(pg_temp.req('{"taskId": "%1$s", "projectId": null, "startDateUtc": null, "duration": null}'), '5a000000-0000-4000-8000-0000000000b1')$$),
 (25, 'get_entry', 'id', :'b_entry',
	$$SELECT time_entry.get_entry('%1$s', '5a000000-0000-4000-8000-0000000000b1')$$),
 (26, 'update_entry', 'id', :'b_entry',
	$$SELECT time_entry.update_entry('%1$s', '{"note": "changed"}', '5a000000-0000-4000-8000-0000000000b1')$$),
 (27, 'update_entry', 'changes.userId', :'b_user',
	format($$SELECT time_entry.update_entry(%L, '{"userId": "%%1$s"}', '5a000000-0000-4000-8000-0000000000b1')$$, :'a_entry')),
 (28, 'update_entry', 'changes.typeOfWorkId', :'b_work',
	format($$SELECT time_entry.update_entry(%L, '{"typeOfWorkId": "%%1$s"}', '5a000000-0000-4000-8000-0000000000b1')$$, :'a_entry')),
 (29, 'update_entry', 'changes.projectId', :'b_project',
	format($$SELECT time_entry.update_entry(%L, '{"projectId": "%%1$s", "taskId": null}', '5a000000-0000-4000-8000-0000000000b1')$$, :'a_entry')),
 (30, 'update_entry', 'changes.taskId', :'b_task',
	format($$SELECT time_entry.update_entry(%L, '{"taskId": "%%1$s", "projectId": null}', '5a000000-0000-4000-8000-0000000000b1')$$, :'a_entry')),
 (31, 'stop_timer', 'user_id', :'b_user',
	$$SELECT time_entry.stop_timer('%1$s', '5a000000-0000-4000-8000-0000000000b1')$$),
 (32, 'delete_entry', 'id', :'b_entry',
	$$SELECT time_entry.delete_entry('%1$s', '5a000000-0000-4000-8000-0000000000b1')$$),
 (33, 'list_entries', 'user_id', :'b_user',
	$$SELECT to_jsonb(count(*)) FROM time_entry.list_entries('5a000000-0000-4000-8000-0000000000b1', user_id => '%1$s')$$),
 (34, 'list_entries', 'project_id', :'b_project',
	$$SELECT to_jsonb(count(*)) FROM time_entry.list_entries('5a000000-0000-4000-8000-0000000000b1', project_id => '%1$s')$$);

-- Each case in a subtransaction rolled back: nothing is kept.
CREATE FUNCTION pg_temp.run(stmt text, id text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	r := pg_temp.outcome(format(stmt, id));
	RAISE SQLSTATE 'P0005';
EXCEPTION WHEN SQLSTATE 'P0005' THEN
	RETURN r;
END
$$;

SELECT n, face, arg,
	   pg_temp.run(stmt, other_id) = pg_temp.run(stmt, :'nobody') AS same,
	   pg_temp.run(stmt, other_id) AS answer
  FROM cases ORDER BY n;
SELECT count(*) AS cases, count(*) FILTER (WHERE pg_temp.run(stmt, other_id) = pg_temp.run(stmt, :'nobody')) AS same
  FROM cases;

-- list_entries of A's admin with no filter lists A's entries, none of B's.
SELECT count(*) FILTER (WHERE e->>'id' IN (:'a_entry', :'a_entry_by_user')) AS a_entries,
	   count(*) FILTER (WHERE e->>'id' IN (:'b_entry', :'b_running')) AS b_entries
  FROM time_entry.list_entries(:'a_admin') e;

-- A request id (SPEC 9.6) used in another workspace is a conflict, as one
-- used by another actor of the same workspace: both of A's admin.
SELECT pg_temp.run($$SELECT time_entry.create_entry(pg_temp.req('{"id": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$, :'b_entry')
	= pg_temp.run($$SELECT time_entry.create_entry(pg_temp.req('{"id": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$, :'a_entry_by_user')
	AS same_as_another_actor,
	   pg_temp.run($$SELECT time_entry.create_entry(pg_temp.req('{"id": "%1$s"}'), '5a000000-0000-4000-8000-0000000000b1')$$, :'b_entry')
	AS answer;
SELECT pg_temp.run($$SELECT time_entry.create_entry('5a000000-0000-4000-8000-0000000000b2'::uuid, '5a000000-0000-4000-8000-0000000000f1'::uuid, 'UTC', entry_date => '2025-03-10', duration => 60, actor => '5a000000-0000-4000-8000-0000000000b1', id => '%1$s') IS NULL$$, :'b_entry')
	AS typed_request_id;
-- Within its own workspace the request id works as ever: B's admin sending
-- B's request again gets B's entry back.
SELECT pg_temp.run(format($$SELECT time_entry.create_entry(%L::jsonb, '5b000000-0000-4000-8000-0000000000b1')$$,
	jsonb_build_object('id', :'b_entry', 'userId', :'b_user', 'typeOfWorkId', :'b_work',
	'projectId', :'b_project', 'taskId', :'b_task', 'timezone', 'UTC',
	'startDateUtc', '2025-03-10T09:00:00Z', 'duration', 3600)) || '%1$s', '') AS b_retry_by_b;

-- An admin is an admin of its own workspace only: B's admin acting on A's
-- entry and user finds nothing.
SELECT pg_temp.run($$SELECT time_entry.get_entry('%1$s', '5b000000-0000-4000-8000-0000000000b1')$$, :'a_entry') AS b_admin_reads_a,
	   pg_temp.run($$SELECT time_entry.create_entry(pg_temp.req('{"typeOfWorkId": "5b000000-0000-4000-8000-0000000000f1", "projectId": null, "taskId": null}'), '%1$s')$$, :'b_admin')
	AS b_admin_books_for_a_user;

-- An actor that is no user has no workspace: refused, and nothing else is
-- judged (validate_entry lists the actor's problem alone).
SELECT pg_temp.run($$SELECT time_entry.create_entry(pg_temp.req(), '%1$s')$$, :'nobody') AS unknown_actor;
SELECT jsonb_array_length(time_entry.validate_entry(pg_temp.req('{"typeOfWorkId": "5f000000-0000-4000-8000-0000000000ff"}'), :'nobody')->'validationErrors')
	AS problems_listed;

-- Nothing of another workspace's is read or locked on the way to that
-- answer.  validate_entry, which goes on after the userId problem, does
-- not look for the entries of B's user: with A refusing overlaps, A's plain
-- user asking about B's user at the time of B's entry hears only that the
-- user does not exist, as for a missing id.
BEGIN;
UPDATE time_entry.settings SET prevent_overlaps = true WHERE workspace_id = :'ws_a';
SELECT l AS user_named,
	   (SELECT jsonb_agg(e->>'message' ORDER BY e->>'message')
		  FROM jsonb_array_elements(time_entry.validate_entry(
				pg_temp.req(jsonb_build_object('userId', u, 'projectId', null, 'taskId', null,
											   'startDateUtc', '2025-03-10T09:30:00Z', 'duration', 60)),
				:'a_user')->'validationErrors') e) AS problems
  FROM (VALUES ('b user', :'b_user'), ('nobody', :'nobody')) v(l, u)
 ORDER BY l;
ROLLBACK;
-- update_entry and delete_entry of B's entry, and an import naming B's
-- user, leave no row lock of A's transaction on B's rows: a row lock
-- (even of a subtransaction rolled back since) writes the locker into
-- xmax, which stays as it was.
SELECT (SELECT xmax FROM time_entry.time_entries WHERE id = :'b_entry') AS b_entry_xmax,
	   (SELECT xmax FROM time_entry.users WHERE id = :'b_user') AS b_user_xmax \gset
BEGIN;
SELECT pg_temp.outcome(format($$SELECT time_entry.update_entry(%L, '{"note": "x"}', %L)$$, :'b_entry', :'a_admin')) AS update_b_entry,
	   pg_temp.outcome(format($$SELECT time_entry.delete_entry(%L, %L)$$, :'b_entry', :'a_admin')) AS delete_b_entry;
SELECT ordinal, error->>'code' AS code, error->'validationErrors'->0->>'property' AS property
  FROM time_entry.import_entries(jsonb_build_array(
		pg_temp.req(jsonb_build_object('userId', :'b_user', 'projectId', null, 'taskId', null)),
		pg_temp.req(jsonb_build_object('userId', :'b_user', 'projectId', null, 'taskId', null, 'duration', null))),
		:'a_admin');
SELECT (SELECT xmax = :'b_entry_xmax'::xid FROM time_entry.time_entries WHERE id = :'b_entry') AS b_entry_not_locked,
	   (SELECT xmax = :'b_user_xmax'::xid FROM time_entry.users WHERE id = :'b_user') AS b_user_not_locked;
ROLLBACK;

--
-- 2. Plain SQL cannot make a row point into another workspace (23503), by
-- insert or by update, nor move a row to another workspace (as the owner,
-- with an actor for the audit trigger).
--
BEGIN;
SET LOCAL time_entry.actor = :'a_admin';
SELECT pg_temp.run(stmt, '') AS answer, label
  FROM (VALUES
	('entry of A for B''s user',
	 format($$INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed, created_by, created_on, updated_by, updated_on, resource_version) VALUES (%L, %L, 'UTC', '2025-01-01', 60, false, false, %L, now(), %L, now(), 1)%%1$s$$, :'b_user', :'a_work', :'a_admin', :'a_admin')),
	('entry of A on B''s type of work',
	 format($$INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed, created_by, created_on, updated_by, updated_on, resource_version) VALUES (%L, %L, 'UTC', '2025-01-01', 60, false, false, %L, now(), %L, now(), 1)%%1$s$$, :'a_user', :'b_work', :'a_admin', :'a_admin')),
	('entry of A moved to B''s project',
	 format($$UPDATE time_entry.time_entries SET project_id = %L, task_id = NULL WHERE id = %L%%1$s$$, :'b_project', :'a_entry')),
	('entry moved to workspace B',
	 format($$UPDATE time_entry.time_entries SET workspace_id = %L WHERE id = %L%%1$s$$, :'ws_b', :'a_entry')),
	('user of A with B''s role',
	 format($$INSERT INTO time_entry.users (id, role_id) VALUES ('5a000000-0000-4000-8000-0000000000b9', %L)%%1$s$$, :'b_admin_role')),
	('A''s user given B''s role',
	 format($$UPDATE time_entry.users SET role_id = %L WHERE id = %L%%1$s$$, :'b_admin_role', :'a_user')),
	('user moved to workspace B',
	 format($$UPDATE time_entry.users SET workspace_id = %L WHERE id = %L%%1$s$$, :'ws_b', :'a_user')),
	('task of A in B''s project',
	 format($$INSERT INTO time_entry.tasks (id, name, project_id) VALUES ('5a000000-0000-4000-8000-0000000000e9', 'x', %L)%%1$s$$, :'b_project')),
	('member of A''s project: B''s user',
	 format($$INSERT INTO time_entry.project_members (project_id, user_id, project_role_id) VALUES (%L, %L, %L)%%1$s$$, :'a_project', :'b_user', :'a_prole')),
	('member of A''s project with B''s project role',
	 format($$INSERT INTO time_entry.project_members (project_id, user_id, project_role_id) VALUES (%L, %L, %L)%%1$s$$, :'a_project', :'a_user', :'b_prole')),
	('B''s user assigned to A''s task',
	 format($$INSERT INTO time_entry.task_assignees (task_id, user_id) VALUES (%L, %L)%%1$s$$, :'a_task', :'b_user')),
	('permission of A for B''s role',
	 format($$INSERT INTO time_entry.role_permissions (role_id, feature, access_level) VALUES (%L, 'project-timetracking', 'write')%%1$s$$, :'b_admin_role')),
	('project permission of A for B''s project role',
	 format($$INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level) VALUES (%L, 'project-timetracking', 'write')%%1$s$$, :'b_prole')),
	('settings moved to workspace B',
	 format($$UPDATE time_entry.settings SET workspace_id = %L WHERE workspace_id = %L%%1$s$$, :'ws_b', :'ws_a')),
	('a row in no workspace',
	 $$INSERT INTO time_entry.types_of_work (id, name, workspace_id) VALUES ('5a000000-0000-4000-8000-0000000000f9', 'x', '5f000000-0000-4000-8000-0000000000ff')%1$s$$)
  ) v(label, stmt);

-- The same references within one workspace are accepted (B's user on B's
-- project, as a member with B's project role).
SELECT pg_temp.run(format($$INSERT INTO time_entry.project_members (project_id, user_id, project_role_id, workspace_id) VALUES (%L, %L, %L, %L)%%1$s$$,
	:'b_project', :'b_user', :'b_prole', :'ws_b'), '') AS same_workspace;
COMMIT;

--
-- 3. Settings are the workspace's: B limits entries to 60 seconds and
-- refuses overlaps; A is untouched.  An UPDATE without WHERE changes every
-- workspace's row.
--
UPDATE time_entry.settings SET max_duration = 60 WHERE workspace_id = :'ws_b';
SELECT pg_temp.run(format($$SELECT time_entry.create_entry(%L::jsonb, '5b000000-0000-4000-8000-0000000000b2')%%1$s$$,
	jsonb_build_object('userId', :'b_user', 'typeOfWorkId', :'b_work', 'timezone', 'UTC',
	'startDateUtc', '2025-03-12T09:00:00Z', 'duration', 120)), '') AS b_user_120_seconds,
	   pg_temp.run($$SELECT time_entry.create_entry(pg_temp.req('{"duration": 120, "startDateUtc": "2025-03-12T09:00:00Z"}'), '5a000000-0000-4000-8000-0000000000b2')%1$s$$, '')
	AS a_user_120_seconds;
BEGIN;
UPDATE time_entry.settings SET prevent_in_future = true;
SELECT count(*) AS rows_changed_without_where FROM time_entry.settings WHERE prevent_in_future;
ROLLBACK;
UPDATE time_entry.settings SET max_duration = 86400 WHERE workspace_id = :'ws_b';

--
-- 4. A workspace that has rows cannot be deleted; an empty one can, and
-- its settings row goes with it.  A settings row alone cannot be deleted.
--
SELECT pg_temp.run(format($$DELETE FROM time_entry.workspaces WHERE id = %L%%1$s$$, :'ws_b'), '') AS delete_used_workspace;
SELECT pg_temp.run(format($$DELETE FROM time_entry.settings WHERE workspace_id = %L%%1$s$$, :'ws_b'), '') AS delete_settings_alone;
INSERT INTO time_entry.workspaces (id, name) VALUES ('5c000000-0000-4000-8000-000000000000', 'Workspace C');
DELETE FROM time_entry.workspaces WHERE id = '5c000000-0000-4000-8000-000000000000';
SELECT count(*) AS c_settings_left FROM time_entry.settings WHERE workspace_id = '5c000000-0000-4000-8000-000000000000';
-- the default workspace is kept by default_workspace
SELECT pg_temp.run(format($$DELETE FROM time_entry.workspaces WHERE id = %L%%1$s$$, :'ws_a'), '') AS delete_default_workspace;
SELECT time_entry.default_workspace_id() = :'ws_a' AS default_unchanged;

-- Clean up.
DELETE FROM time_entry.time_entries WHERE workspace_id = :'ws_b' OR id IN (:'a_entry', :'a_entry_by_user');
DELETE FROM time_entry.project_members WHERE workspace_id = :'ws_b';
DELETE FROM time_entry.task_assignees WHERE task_id = :'a_task';
DELETE FROM time_entry.tasks WHERE id IN (:'a_task', :'b_task');
DELETE FROM time_entry.projects WHERE id IN (:'a_project', :'b_project');
DELETE FROM time_entry.project_roles WHERE id IN (:'a_prole', :'b_prole');
DELETE FROM time_entry.types_of_work WHERE id IN (:'a_work', :'b_work');
DELETE FROM time_entry.users WHERE id IN (:'a_admin', :'a_user', :'b_admin', :'b_user');
DELETE FROM time_entry.roles WHERE id IN (:'a_admin_role', :'b_admin_role');
DELETE FROM time_entry.workspaces WHERE id = :'ws_b';
SELECT count(*) AS workspaces FROM time_entry.workspaces;
