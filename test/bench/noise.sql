-- A second workspace beside the benchmark's, as noise: the benchmark's
-- figures must hold with several workspaces in the tables, not only in a
-- database that holds one.  Used by test/bench.sh after
-- test/bench/workspace.sql; needs the psql variable noise (how many entries
-- to give it; 0 makes the directory only).
--
--   psql -v noise=100000 -f test/bench/noise.sql
--
-- "Noise workspace", id 70000000-0000-4000-8000-000000000002: the shape of
-- the benchmark's (1 000 users with non-admin roles, 50 projects with 3
-- members a user, 500 tasks with 1-3 assignees, 10 types of work) under ids
-- of their own -- kind || '1000000-...' (b1000000-... users, d1000000-...
-- projects), ids being unique across workspaces -- and :noise timed entries
-- spread over 2022-2024 (1 096 days), written with the bare INSERT by its
-- first team lead.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE FUNCTION bench.noise_id(kind text, i integer) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT (kind || '1000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid $$;

CREATE FUNCTION bench.noise_workspace() RETURNS uuid
LANGUAGE sql IMMUTABLE
AS $$ SELECT '70000000-0000-4000-8000-000000000002'::uuid $$;

BEGIN;

INSERT INTO time_entry.workspaces (id, name) VALUES (bench.noise_workspace(), 'Noise workspace');

INSERT INTO time_entry.roles (id, name, is_admin, workspace_id)
SELECT bench.noise_id('a', r), name, false, bench.noise_workspace()
  FROM (VALUES (1, 'Team lead'), (2, 'Member'), (3, 'Guest')) v (r, name);
INSERT INTO time_entry.role_permissions (role_id, feature, access_level, workspace_id)
SELECT bench.noise_id('a', r), f, a, bench.noise_workspace()
  FROM (VALUES (1, 'project-timetracking', 'read'), (1, 'project-timetracking', 'write'),
			   (1, 'project-planning-data', 'read'), (2, 'project-timetracking', 'read'),
			   (2, 'project-planning-data', 'read')) v (r, f, a);
INSERT INTO time_entry.users (id, first_name, last_name, role_id, workspace_id)
SELECT bench.noise_id('b', u), 'Noise' || u, 'Person' || u,
	   bench.noise_id('a', CASE WHEN u <= 10 THEN 1 WHEN u <= 900 THEN 2 ELSE 3 END),
	   bench.noise_workspace()
  FROM generate_series(1, 1000) u;
INSERT INTO time_entry.project_roles (id, name, workspace_id)
SELECT bench.noise_id('c', r), name, bench.noise_workspace()
  FROM (VALUES (1, 'Project manager'), (2, 'Contributor')) v (r, name);
INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level, workspace_id)
SELECT bench.noise_id('c', r), f, a, bench.noise_workspace()
  FROM (VALUES (1, 'project-timetracking', 'read'), (1, 'project-timetracking', 'write'),
			   (1, 'project-planning-data', 'read'), (1, 'project-planning-data', 'write'),
			   (2, 'project-planning-data', 'read')) v (r, f, a);
INSERT INTO time_entry.projects (id, name, is_billable_by_default, workspace_id)
SELECT bench.noise_id('d', p), 'Noise project ' || p, p % 2 = 0, bench.noise_workspace()
  FROM generate_series(1, 50) p;
INSERT INTO time_entry.project_members (project_id, user_id, project_role_id, workspace_id)
SELECT bench.noise_id('d', bench.membership(u, k)), bench.noise_id('b', u),
	   bench.noise_id('c', CASE WHEN u <= 10 THEN 1 ELSE 2 END), bench.noise_workspace()
  FROM generate_series(1, 1000) u, generate_series(0, 2) k;
INSERT INTO time_entry.tasks (id, name, project_id, workspace_id)
SELECT bench.noise_id('e', t), 'Noise task ' || t, bench.noise_id('d', (t - 1) / 10 + 1),
	   bench.noise_workspace()
  FROM generate_series(1, 500) t;
INSERT INTO time_entry.task_assignees (task_id, user_id, workspace_id)
SELECT bench.noise_id('e', t), bench.noise_id('b', bench.assignee(t, j)), bench.noise_workspace()
  FROM generate_series(1, 500) t, generate_series(0, 2) j
 WHERE j <= t % 3;
INSERT INTO time_entry.types_of_work (id, name, icon, workspace_id)
SELECT bench.noise_id('f', w), 'Noise type ' || w, 'icon' || w, bench.noise_workspace()
  FROM generate_series(1, 10) w;

COMMIT;

-- the entries: user (i - 1) % 1000 + 1 on one of its projects, a day of
-- 2022-2024 drawn from i, one of four local slots, 15 minutes to 2 hours
SET time_entry.actor = 'b1000000-0000-4000-8000-000000000001';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, note, timezone, date_local,
	 start_at, end_at, duration, is_billable, is_billed, workspace_id)
SELECT bench.noise_id('b', u), bench.noise_id('f', i % 10 + 1), bench.noise_id('d', p),
	   CASE WHEN i % 5 = 0 THEN 'Noise entry ' || i END, tz, day,
	   (day + at) AT TIME ZONE tz, ((day + at) AT TIME ZONE tz) + dur * interval '1 second',
	   dur, p % 2 = 0, false, bench.noise_workspace()
  FROM (SELECT i, u, bench.membership(u, i % 3) AS p,
			   (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC',
					  'Australia/Sydney', 'America/Los_Angeles'])[u % 6 + 1] AS tz,
			   date '2022-01-01' + (i * 7919) % 1096 AS day,
			   time '07:00' + (i % 4) * interval '2 hours 30 minutes' AS at,
			   900 * (1 + i % 8) AS dur
		  FROM (SELECT i, (i - 1) % 1000 + 1 AS u FROM generate_series(1, :noise) i) g) s
 ORDER BY i;
RESET time_entry.actor;

ANALYZE time_entry.users, time_entry.projects, time_entry.tasks,
	time_entry.task_assignees, time_entry.project_members, time_entry.types_of_work,
	time_entry.time_entries;
