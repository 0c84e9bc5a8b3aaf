--
-- The permission rules of SPEC 6.4, as a matrix: who may create an entry
-- for whom, with or without a project, on which task.
--
--   Not the owner, a project set (given, or the project of a project task):
--     project-timetracking write, from the workspace role or from the
--     project role of a membership in THAT project.
--   Not the owner, no project: project-timetracking write from the
--     workspace role.
--   A task set (owner or not): the actor is an assignee, or it is a
--     project task and the actor holds any level of project-planning-data
--     (workspace role, or project role in the task's project).
--   The owner with a project and no task needs no permission.
--   An admin passes every rule (and the workspace settings).
--   Before all that, the actor must be a user and not deactivated (28000).
--
-- Each row of the matrix is checked twice: create_entry succeeds or raises
-- exactly the first missing permission (SQLSTATE, message), and
-- validate_entry returns NULL or an error object naming every missing
-- permission (code unauthorized, property userId and/or taskId).
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

-- Every object by a readable name.
CREATE TEMP TABLE ids (name text PRIMARY KEY, id uuid NOT NULL UNIQUE) ON COMMIT DROP;
INSERT INTO ids VALUES
	-- workspace roles
	('admin role',					'70000000-0000-4000-8000-0000000000a1'),
	('tracking write role',			'70000000-0000-4000-8000-0000000000a2'),
	('tracking read role',			'70000000-0000-4000-8000-0000000000a3'),
	('planning read role',			'70000000-0000-4000-8000-0000000000a4'),
	('planning delete role',		'70000000-0000-4000-8000-0000000000a5'),
	('empty role',					'70000000-0000-4000-8000-0000000000a6'),
	-- project roles
	('project tracking write',		'70000000-0000-4000-8000-0000000000c1'),
	('project tracking read',		'70000000-0000-4000-8000-0000000000c2'),
	('project planning write',		'70000000-0000-4000-8000-0000000000c3'),
	('project lead',				'70000000-0000-4000-8000-0000000000c4'),
	('project nothing',				'70000000-0000-4000-8000-0000000000c5'),
	-- users
	('olga',		'70000000-0000-4000-8000-000000000b00'),	-- the owner of the entries booked by others; no role
	('admin',		'70000000-0000-4000-8000-000000000b01'),	-- workspace admin
	('tracker',		'70000000-0000-4000-8000-000000000b02'),	-- workspace: tracking write
	('reader',		'70000000-0000-4000-8000-000000000b03'),	-- workspace: tracking read
	('planner',		'70000000-0000-4000-8000-000000000b04'),	-- workspace: planning read
	('deleter',		'70000000-0000-4000-8000-000000000b05'),	-- workspace: planning delete
	('roleless',	'70000000-0000-4000-8000-000000000b06'),	-- no workspace role at all
	('empty',		'70000000-0000-4000-8000-000000000b07'),	-- a workspace role that grants nothing
	('p1 tracker',	'70000000-0000-4000-8000-000000000b08'),	-- in P1: tracking write
	('p1 reader',	'70000000-0000-4000-8000-000000000b09'),	-- in P1: tracking read
	('p1 planner',	'70000000-0000-4000-8000-000000000b0a'),	-- in P1: planning write
	('p2 tracker',	'70000000-0000-4000-8000-000000000b0b'),	-- in P2: tracking write
	('p2 planner',	'70000000-0000-4000-8000-000000000b0c'),	-- in P2: planning write
	('p1 assignee',	'70000000-0000-4000-8000-000000000b0d'),	-- assigned to task P1, no role
	('private assignee', '70000000-0000-4000-8000-000000000b0e'),	-- assigned to the private task, no role
	('p1 lead',		'70000000-0000-4000-8000-000000000b0f'),	-- in P1: tracking write + planning read
	('p1 nothing',	'70000000-0000-4000-8000-000000000b10'),	-- member of P1 whose role grants nothing
	('deactivated tracker', '70000000-0000-4000-8000-000000000b11'),
	('deactivated admin', '70000000-0000-4000-8000-000000000b12'),
	('nobody',		'70000000-0000-4000-8000-000000000bff'),	-- not a user
	-- projects, tasks, type of work
	('P1',			'70000000-0000-4000-8000-0000000000d1'),
	('P2',			'70000000-0000-4000-8000-0000000000d2'),
	('task P1',		'70000000-0000-4000-8000-0000000000e1'),
	('task P2',		'70000000-0000-4000-8000-0000000000e2'),
	('private task', '70000000-0000-4000-8000-0000000000e3'),
	('work',		'70000000-0000-4000-8000-0000000000f1');

CREATE FUNCTION pg_temp.id(n text) RETURNS uuid
LANGUAGE sql STABLE STRICT
AS $$ SELECT id FROM ids WHERE name = n $$;

INSERT INTO time_entry.roles (id, name, is_admin)
SELECT pg_temp.id(r), r, r = 'admin role'
  FROM unnest('{admin role,tracking write role,tracking read role,planning read role,planning delete role,empty role}'::text[]) r;
INSERT INTO time_entry.role_permissions (role_id, feature, access_level) VALUES
	(pg_temp.id('tracking write role'), 'project-timetracking', 'write'),
	(pg_temp.id('tracking read role'), 'project-timetracking', 'read'),
	(pg_temp.id('tracking read role'), 'project-timetracking', 'delete'),
	(pg_temp.id('planning read role'), 'project-planning-data', 'read'),
	(pg_temp.id('planning delete role'), 'project-planning-data', 'delete'),
	-- features that are not the ones the rules ask for
	(pg_temp.id('empty role'), 'project-timetracking-other', 'write'),
	(pg_temp.id('empty role'), 'timetracking', 'write');
INSERT INTO time_entry.project_roles (id, name)
SELECT pg_temp.id(r), r
  FROM unnest('{project tracking write,project tracking read,project planning write,project lead,project nothing}'::text[]) r;
INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level) VALUES
	(pg_temp.id('project tracking write'), 'project-timetracking', 'write'),
	(pg_temp.id('project tracking read'), 'project-timetracking', 'read'),
	(pg_temp.id('project planning write'), 'project-planning-data', 'write'),
	(pg_temp.id('project lead'), 'project-timetracking', 'write'),
	(pg_temp.id('project lead'), 'project-planning-data', 'read');

INSERT INTO time_entry.users (id, first_name, role_id, is_deactivated)
SELECT pg_temp.id(u), u, pg_temp.id(r), d
  FROM (VALUES
	('olga', NULL, false),
	('admin', 'admin role', false),
	('tracker', 'tracking write role', false),
	('reader', 'tracking read role', false),
	('planner', 'planning read role', false),
	('deleter', 'planning delete role', false),
	('roleless', NULL, false),
	('empty', 'empty role', false),
	('p1 tracker', NULL, false),
	('p1 reader', NULL, false),
	('p1 planner', NULL, false),
	('p2 tracker', NULL, false),
	('p2 planner', NULL, false),
	('p1 assignee', NULL, false),
	('private assignee', NULL, false),
	('p1 lead', NULL, false),
	('p1 nothing', NULL, false),
	('deactivated tracker', 'tracking write role', true),
	('deactivated admin', 'admin role', true)
  ) v(u, r, d);

INSERT INTO time_entry.projects (id, name) VALUES (pg_temp.id('P1'), 'P1'), (pg_temp.id('P2'), 'P2');
INSERT INTO time_entry.project_members (project_id, user_id, project_role_id)
SELECT pg_temp.id(p), pg_temp.id(u), pg_temp.id(r)
  FROM (VALUES
	('P1', 'p1 tracker', 'project tracking write'),
	('P1', 'p1 reader', 'project tracking read'),
	('P1', 'p1 planner', 'project planning write'),
	('P2', 'p2 tracker', 'project tracking write'),
	('P2', 'p2 planner', 'project planning write'),
	('P1', 'p1 lead', 'project lead'),
	('P1', 'p1 nothing', 'project nothing'),
	-- the owner is a member too: it changes nothing for others
	('P1', 'olga', 'project lead')
  ) v(p, u, r);
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	(pg_temp.id('task P1'), 'task P1', pg_temp.id('P1')),
	(pg_temp.id('task P2'), 'task P2', pg_temp.id('P2')),
	(pg_temp.id('private task'), 'private task', NULL);
INSERT INTO time_entry.task_assignees (task_id, user_id) VALUES
	(pg_temp.id('task P1'), pg_temp.id('p1 assignee')),
	(pg_temp.id('private task'), pg_temp.id('private assignee')),
	(pg_temp.id('private task'), pg_temp.id('olga'));
INSERT INTO time_entry.types_of_work (id, name) VALUES (pg_temp.id('work'), 'work');

--
-- The matrix.  booked_for 'self' means the actor books its own time.
-- denied lists the properties whose permission is missing, in the order
-- validate_entry reports them; create_entry raises the first.
--
CREATE TEMP TABLE matrix (
	n			serial PRIMARY KEY,
	actor		text NOT NULL,
	booked_for	text NOT NULL,
	project		text,
	task		text,
	denied		text[] NOT NULL,
	why			text NOT NULL
) ON COMMIT DROP;
INSERT INTO matrix (actor, booked_for, project, task, denied, why) VALUES
	-- the owner
	('roleless', 'self', NULL, NULL, '{}', 'the owner without project or task needs no permission'),
	('roleless', 'self', 'P1', NULL, '{}', 'the owner with a project and no task needs no permission'),
	('roleless', 'self', 'P2', NULL, '{}', 'the owner needs no membership of the project'),
	('empty', 'self', 'P1', NULL, '{}', 'the owner whose role grants nothing'),
	('roleless', 'self', NULL, 'task P1', '{taskId}', 'the owner on a project task: neither assignee nor planner'),
	('p1 nothing', 'self', NULL, 'task P1', '{taskId}', 'a member of the task''s project whose role grants nothing'),
	('p1 assignee', 'self', NULL, 'task P1', '{}', 'the owner assigned to the task'),
	('p1 assignee', 'self', 'P1', 'task P1', '{}', 'the owner assigned to the task, project given'),
	('planner', 'self', NULL, 'task P1', '{}', 'planning (read) from the workspace role'),
	('deleter', 'self', NULL, 'task P2', '{}', 'planning (delete: any level counts) from the workspace role'),
	('p1 planner', 'self', NULL, 'task P1', '{}', 'planning from the project role in the task''s project'),
	('p1 planner', 'self', 'P1', 'task P1', '{}', 'planning from the project role, project given'),
	('p1 planner', 'self', NULL, 'task P2', '{taskId}', 'planning from a project role in another project does not help'),
	('p2 planner', 'self', NULL, 'task P2', '{}', 'planning from the project role in P2'),
	('tracker', 'self', NULL, 'task P1', '{taskId}', 'tracking write is no planning permission'),
	('p1 tracker', 'self', NULL, 'task P1', '{taskId}', 'project tracking write is no planning permission'),
	('private assignee', 'self', NULL, 'private task', '{}', 'the owner assigned to a private task'),
	('planner', 'self', NULL, 'private task', '{taskId}', 'planning does not open a private task (workspace role)'),
	('p1 planner', 'self', NULL, 'private task', '{taskId}', 'planning does not open a private task (project role)'),
	('tracker', 'self', NULL, 'private task', '{taskId}', 'tracking write does not open a private task'),
	-- not the owner, no project: tracking write from the workspace role
	('tracker', 'olga', NULL, NULL, '{}', 'tracking write from the workspace role, no project'),
	('reader', 'olga', NULL, NULL, '{userId}', 'tracking read (and delete) is not write'),
	('roleless', 'olga', NULL, NULL, '{userId}', 'a user without a workspace role'),
	('empty', 'olga', NULL, NULL, '{userId}', 'a workspace role with other features only'),
	('planner', 'olga', NULL, NULL, '{userId}', 'planning is no tracking permission'),
	('p1 tracker', 'olga', NULL, NULL, '{userId}', 'a project role does not count without a project'),
	('p1 lead', 'olga', NULL, NULL, '{userId}', 'a project role does not count without a project (lead)'),
	-- not the owner, a project: tracking write from the workspace role or in that project
	('tracker', 'olga', 'P1', NULL, '{}', 'tracking write from the workspace role, any project'),
	('tracker', 'olga', 'P2', NULL, '{}', 'tracking write from the workspace role, another project'),
	('p1 tracker', 'olga', 'P1', NULL, '{}', 'tracking write from the project role in that project'),
	('p1 tracker', 'olga', 'P2', NULL, '{userId}', 'tracking write from a project role in another project'),
	('p2 tracker', 'olga', 'P1', NULL, '{userId}', 'tracking write in P2 does not reach P1'),
	('p2 tracker', 'olga', 'P2', NULL, '{}', 'tracking write in P2, on P2'),
	('p1 reader', 'olga', 'P1', NULL, '{userId}', 'tracking read from the project role is not write'),
	('reader', 'olga', 'P1', NULL, '{userId}', 'tracking read from the workspace role is not write'),
	('p1 planner', 'olga', 'P1', NULL, '{userId}', 'planning in the project is no tracking permission'),
	('roleless', 'olga', 'P1', NULL, '{userId}', 'a user without any role, with a project'),
	-- not the owner, a task
	('p1 lead', 'olga', NULL, 'task P1', '{}', 'project from the task: tracking write and planning in P1'),
	('p1 lead', 'olga', 'P1', 'task P1', '{}', 'the same with the project given'),
	('p1 lead', 'olga', NULL, 'task P2', '{userId,taskId}', 'project from the task: the lead of P1 has nothing in P2'),
	('p1 tracker', 'olga', NULL, 'task P1', '{taskId}', 'project from the task: tracking write in P1, but no planning'),
	('p2 tracker', 'olga', NULL, 'task P1', '{userId,taskId}', 'project from the task: P1, where P2''s tracker has nothing'),
	('tracker', 'olga', NULL, 'task P1', '{taskId}', 'workspace tracking write, neither assignee nor planner'),
	('tracker', 'olga', NULL, 'private task', '{taskId}', 'workspace tracking write, a private task of others'),
	('p1 assignee', 'olga', NULL, 'task P1', '{userId}', 'an assignee of the task may not book for others'),
	('private assignee', 'olga', NULL, 'private task', '{userId}', 'an assignee of the private task may not book for others'),
	('planner', 'olga', NULL, 'task P1', '{userId}', 'planning opens the task, but booking for others needs tracking write'),
	('roleless', 'olga', NULL, 'private task', '{userId,taskId}', 'a user without any role, on a private task'),
	-- an admin passes every rule
	('admin', 'olga', NULL, NULL, '{}', 'an admin books for others without a project'),
	('admin', 'olga', 'P2', NULL, '{}', 'an admin books for others on any project'),
	('admin', 'olga', NULL, 'task P1', '{}', 'an admin books on a task it is not assigned to'),
	('admin', 'olga', NULL, 'private task', '{}', 'an admin books on a private task of others'),
	('admin', 'self', NULL, 'private task', '{}', 'an admin books its own time on a private task of others');

-- The actor rules come before the permissions: SQLSTATE 28000.
CREATE TEMP TABLE actors (
	n			serial PRIMARY KEY,
	actor		text,				-- NULL: no actor at all
	message		text NOT NULL,
	why			text NOT NULL
) ON COMMIT DROP;
INSERT INTO actors (actor, message, why) VALUES
	('deactivated tracker', 'actor 70000000-0000-4000-8000-000000000b11 is deactivated', 'a deactivated actor, even with tracking write'),
	('deactivated admin', 'actor 70000000-0000-4000-8000-000000000b12 is deactivated', 'a deactivated admin: admins pass permissions, not the actor rule'),
	('nobody', 'actor 70000000-0000-4000-8000-000000000bff is not a user of the workspace', 'an unknown actor'),
	(NULL, 'no actor is given', 'no actor');

-- The request of a row: 60 seconds of work on 2024-01-15, each row its own
-- minute.
CREATE FUNCTION pg_temp.request(m matrix) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object(
		'userId', pg_temp.id(CASE m.booked_for WHEN 'self' THEN m.actor ELSE m.booked_for END),
		'typeOfWorkId', pg_temp.id('work'),
		'timezone', 'UTC',
		'startDateUtc', to_char(timestamp '2024-01-15 00:00' + m.n * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'duration', 60,
		'projectId', pg_temp.id(m.project),
		'taskId', pg_temp.id(m.task)))
$$;

-- The message create_entry raises for the first missing permission.
CREATE FUNCTION pg_temp.denial(m matrix) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT CASE m.denied[1]
		WHEN 'userId' THEN format('permission denied for property "userId": actor %s cannot book time for user %s',
								  pg_temp.id(m.actor), pg_temp.id(m.booked_for))
		WHEN 'taskId' THEN format('permission denied for property "taskId": actor %s cannot book time on task %s',
								  pg_temp.id(m.actor), pg_temp.id(m.task))
	END
$$;

-- A short summary of validate_entry's answer: NULL, or code, sqlstate and
-- the properties of the validation errors.
CREATE FUNCTION pg_temp.validation(entry jsonb, actor uuid) RETURNS text
LANGUAGE sql VOLATILE
AS $$
	SELECT v->>'code' || ' ' || (v->>'sqlstate') || ' '
		   || ARRAY(SELECT e->>'property' FROM jsonb_array_elements(v->'validationErrors') e)::text
	  FROM time_entry.validate_entry(entry, actor) v
$$;

SELECT plan((SELECT 2 * count(*) FROM matrix)::int + (SELECT 2 * count(*) FROM actors)::int + 3);

-- create_entry: allowed rows create, denied rows raise 42501 with the
-- first missing permission.
SELECT CASE
	WHEN cardinality(m.denied) = 0 THEN
		lives_ok(format('SELECT time_entry.create_entry(%L::jsonb, %L::uuid)', pg_temp.request(m), pg_temp.id(m.actor)),
				 format('#%s %s -> %s: allowed: %s', m.n, m.actor, m.booked_for, m.why))
	ELSE
		throws_ok(format('SELECT time_entry.create_entry(%L::jsonb, %L::uuid)', pg_temp.request(m), pg_temp.id(m.actor)),
				  '42501', pg_temp.denial(m),
				  format('#%s %s -> %s: denied (%s): %s', m.n, m.actor, m.booked_for, array_to_string(m.denied, ', '), m.why))
	END
  FROM matrix m ORDER BY m.n;

-- validate_entry: NULL when allowed, else unauthorized/42501 naming every
-- missing permission.
SELECT is(pg_temp.validation(pg_temp.request(m), pg_temp.id(m.actor)),
		  CASE WHEN cardinality(m.denied) > 0 THEN 'unauthorized 42501 ' || m.denied::text END,
		  format('#%s %s -> %s: validate_entry %s', m.n, m.actor, m.booked_for,
				 CASE WHEN cardinality(m.denied) = 0 THEN 'finds nothing' ELSE 'names ' || array_to_string(m.denied, ', ') END))
  FROM matrix m ORDER BY m.n;

-- The actor: a deactivated, unknown or missing actor is refused with 28000
-- before any permission is looked at (the request would be fine for an
-- admin), by create_entry and by validate_entry.
SELECT throws_ok(format('SELECT time_entry.create_entry(%L::jsonb, %L::uuid)',
						jsonb_build_object('userId', pg_temp.id('olga'), 'typeOfWorkId', pg_temp.id('work'),
										   'timezone', 'UTC', 'startDateUtc', '2024-01-16', 'duration', 60),
						pg_temp.id(a.actor)),
				 '28000', a.message, format('create_entry refuses %s', a.why))
  FROM actors a ORDER BY a.n;
SELECT is(pg_temp.validation(jsonb_build_object('userId', pg_temp.id('olga'), 'typeOfWorkId', pg_temp.id('work'),
											   'timezone', 'UTC', 'startDateUtc', '2024-01-16', 'duration', 60),
							 pg_temp.id(a.actor)),
		  'unauthorized 28000 {actor}', format('validate_entry names the actor for %s', a.why))
  FROM actors a ORDER BY a.n;

-- What was created is what the allowed rows asked for, booked by their
-- actors.
SELECT set_eq(
	$$SELECT user_id, created_by, project_id, task_id FROM time_entry.time_entries$$,
	$$SELECT pg_temp.id(CASE m.booked_for WHEN 'self' THEN m.actor ELSE m.booked_for END) AS user_id,
			 pg_temp.id(m.actor) AS created_by,
			 coalesce(pg_temp.id(m.project), t.project_id) AS project_id, pg_temp.id(m.task) AS task_id
		FROM matrix m LEFT JOIN time_entry.tasks t ON t.id = pg_temp.id(m.task)
	   WHERE cardinality(m.denied) = 0$$,
	'exactly the allowed rows were created, for their users, by their actors, on the task''s project');

-- The actor from the setting time_entry.actor is judged the same way.
SET LOCAL time_entry.actor = '70000000-0000-4000-8000-000000000b03';	-- reader
SELECT throws_ok(format('SELECT time_entry.create_entry(%L::jsonb)',
						jsonb_build_object('userId', pg_temp.id('olga'), 'typeOfWorkId', pg_temp.id('work'),
										   'timezone', 'UTC', 'startDateUtc', '2024-01-17', 'duration', 60)),
				 '42501', format('permission denied for property "userId": actor %s cannot book time for user %s', pg_temp.id('reader'), pg_temp.id('olga')),
				 'the actor from the setting: tracking read cannot book for others');
SET LOCAL time_entry.actor = '70000000-0000-4000-8000-000000000b02';	-- tracker
SELECT lives_ok(format('SELECT time_entry.create_entry(%L::jsonb)',
					   jsonb_build_object('userId', pg_temp.id('olga'), 'typeOfWorkId', pg_temp.id('work'),
										  'timezone', 'UTC', 'startDateUtc', '2024-01-17', 'duration', 60)),
				'the actor from the setting: tracking write books for others');

SELECT * FROM finish();
ROLLBACK;
