-- The benchmark's workspace and its staged entries.  Used by test/bench.sh
-- and test/memory.sh; needs the extension and the psql variable n (how many
-- entries to stage):
--
--   psql -v n=20000 -f test/bench/workspace.sql
--
-- The workspace is a named one, not the default workspace of the
-- installation: "Bench workspace", id 70000000-0000-4000-8000-000000000001
-- (bench.workspace()), every row of it written with its workspace_id, as a
-- multi-tenant service writes them.  In it: 1 000 users, all with a
-- non-admin workspace role (10 team leads, 890 members, 100 guests), 50
-- projects (each user is a member of 3), 500 tasks in those projects with
-- 1-3 assignees each, 10 types of work.  test/bench/noise.sql adds a second
-- workspace beside it.
--
-- bench.staging holds each entry twice: as the request of the API (entry,
-- actor) and as the column values create_entry must store for it (the rest
-- of the row).  Two entries in three are on a project, booked by the user
-- (the owner); one in three is on a task, booked by one of its assignees
-- for themselves, with or without the task's project.  All are timed: half
-- in the UTC group, half in the local group; ends given as an end time, a
-- duration, dates with times or end date and time; 15 minutes to 2 hours.
-- Each user lives in one time zone and has at most four entries a day at
-- local slots 2.5 hours apart (starting up to 25 minutes late), so no two
-- entries of a user overlap.
--
-- Ids are readable: b... users, d... projects, e... tasks, f... types of
-- work, a... workspace roles, c... project roles, 7... workspaces; the last
-- twelve digits are the number.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

CREATE FUNCTION bench.id(kind text, i integer) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT (kind || '0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid $$;

-- the workspace of the benchmark
CREATE FUNCTION bench.workspace() RETURNS uuid
LANGUAGE sql IMMUTABLE
AS $$ SELECT '70000000-0000-4000-8000-000000000001'::uuid $$;

BEGIN;

-- its settings row is made by the workspace's trigger, with the defaults
INSERT INTO time_entry.workspaces (id, name) VALUES (bench.workspace(), 'Bench workspace');

INSERT INTO time_entry.roles (id, name, is_admin, workspace_id) VALUES
	(bench.id('a', 1), 'Team lead', false, bench.workspace()),
	(bench.id('a', 2), 'Member', false, bench.workspace()),
	(bench.id('a', 3), 'Guest', false, bench.workspace());
INSERT INTO time_entry.role_permissions (role_id, feature, access_level, workspace_id) VALUES
	(bench.id('a', 1), 'project-timetracking', 'read', bench.workspace()),
	(bench.id('a', 1), 'project-timetracking', 'write', bench.workspace()),
	(bench.id('a', 1), 'project-planning-data', 'read', bench.workspace()),
	(bench.id('a', 2), 'project-timetracking', 'read', bench.workspace()),
	(bench.id('a', 2), 'project-planning-data', 'read', bench.workspace());

INSERT INTO time_entry.users (id, first_name, last_name, role_id, workspace_id)
SELECT bench.id('b', u), 'First' || u, 'Last' || u,
	   bench.id('a', CASE WHEN u <= 10 THEN 1 WHEN u <= 900 THEN 2 ELSE 3 END),
	   bench.workspace()
  FROM generate_series(1, 1000) u;

INSERT INTO time_entry.project_roles (id, name, workspace_id) VALUES
	(bench.id('c', 1), 'Project manager', bench.workspace()),
	(bench.id('c', 2), 'Contributor', bench.workspace());
INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level, workspace_id) VALUES
	(bench.id('c', 1), 'project-timetracking', 'read', bench.workspace()),
	(bench.id('c', 1), 'project-timetracking', 'write', bench.workspace()),
	(bench.id('c', 1), 'project-planning-data', 'read', bench.workspace()),
	(bench.id('c', 1), 'project-planning-data', 'write', bench.workspace()),
	(bench.id('c', 2), 'project-planning-data', 'read', bench.workspace());

INSERT INTO time_entry.projects (id, name, is_billable_by_default, workspace_id)
SELECT bench.id('d', p), 'Project ' || p, p % 2 = 0, bench.workspace()
  FROM generate_series(1, 50) p;

-- user u is a member of projects m(u, 0..2); the first 10 users manage them
CREATE FUNCTION bench.membership(u integer, k integer) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT (u * 7 + k * 13) % 50 + 1 $$;
INSERT INTO time_entry.project_members (project_id, user_id, project_role_id, workspace_id)
SELECT bench.id('d', bench.membership(u, k)), bench.id('b', u),
	   bench.id('c', CASE WHEN u <= 10 THEN 1 ELSE 2 END), bench.workspace()
  FROM generate_series(1, 1000) u, generate_series(0, 2) k;

-- task t is in project (t - 1) / 10 + 1; its assignees are a(t, 0..t % 3)
INSERT INTO time_entry.tasks (id, name, project_id, workspace_id)
SELECT bench.id('e', t), 'Task ' || t, bench.id('d', (t - 1) / 10 + 1), bench.workspace()
  FROM generate_series(1, 500) t;
CREATE FUNCTION bench.assignee(t integer, j integer) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT (t * 37 + j * 101) % 1000 + 1 $$;
INSERT INTO time_entry.task_assignees (task_id, user_id, workspace_id)
SELECT bench.id('e', t), bench.id('b', bench.assignee(t, j)), bench.workspace()
  FROM generate_series(1, 500) t, generate_series(0, 2) j
 WHERE j <= t % 3;

INSERT INTO time_entry.types_of_work (id, name, icon, workspace_id)
SELECT bench.id('f', w), 'Type of work ' || w, 'icon' || w, bench.workspace()
  FROM generate_series(1, 10) w;

COMMIT;

-- The entries ------------------------------------------------------------

CREATE UNLOGGED TABLE bench.staging (
	n			integer PRIMARY KEY,
	entry		jsonb NOT NULL,		-- the request
	actor		uuid NOT NULL,
	-- what create_entry stores for it
	user_id		uuid NOT NULL,
	type_of_work_id uuid NOT NULL,
	project_id	uuid,
	task_id		uuid,
	note		text,
	timezone	text NOT NULL,
	date_local	date NOT NULL,
	start_at	timestamptz NOT NULL,
	end_at		timestamptz NOT NULL,
	duration	integer NOT NULL,
	is_billable boolean NOT NULL,
	is_billed	boolean NOT NULL
);

WITH base AS (
	SELECT n,
		   n % 3 = 0 AS on_task,
		   (n * 7) % 500 + 1 AS t,
		   (n % 10) + 1 AS w,
		   n % 2 = 0 AS utc,			-- the group of the request
		   n / 2 % 4 AS how,			-- how the end is given
		   900 * (1 + n % 8) AS dur,	-- 15 minutes to 2 hours
		   CASE WHEN n % 7 = 0 THEN n % 14 = 0 END AS billable,
		   CASE WHEN n % 14 = 0 THEN n % 28 = 0 END AS billed,
		   CASE WHEN n % 5 = 0 THEN 'Imported entry ' || n END AS note
	  FROM generate_series(1, :n) n
), who AS (
	SELECT b.*,
		   CASE WHEN on_task THEN bench.assignee(t, n % (1 + t % 3)) ELSE n % 1000 + 1 END AS u
	  FROM base b
), placed AS (
	SELECT w.*,
		   CASE WHEN on_task THEN (t - 1) / 10 + 1
				ELSE bench.membership(u, n % 3) END AS p,
		   (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC',
				  'Australia/Sydney', 'America/Los_Angeles'])[u % 6 + 1] AS tz,
		   row_number() OVER (PARTITION BY u ORDER BY n) - 1 AS k
	  FROM who w
), timed AS (
	SELECT pl.*,
		   date '2023-01-02' + (k / 4)::integer AS day,
		   time '07:00' + (k % 4) * interval '2 hours 30 minutes'
		   + (n % 6) * interval '5 minutes' + (n % 3) * interval '20 seconds' AS at
	  FROM placed pl
), stamped AS (
	SELECT ti.*,
		   (day + at) AT TIME ZONE tz AS s,
		   ((day + at) AT TIME ZONE tz) + dur * interval '1 second' AS e
	  FROM timed ti
), shown AS (
	-- the start and end as the request's group writes them
	SELECT st.*,
		   CASE WHEN utc THEN s AT TIME ZONE 'UTC' ELSE s AT TIME ZONE tz END AS gs,
		   CASE WHEN utc THEN e AT TIME ZONE 'UTC' ELSE e AT TIME ZONE tz END AS ge,
		   CASE WHEN utc THEN 'Utc' ELSE 'Local' END AS g,
		   CASE WHEN utc THEN 'Z' ELSE '' END AS z
	  FROM stamped st
)
INSERT INTO bench.staging
SELECT n,
	   jsonb_strip_nulls(jsonb_build_object(
		   'userId', bench.id('b', u),
		   'typeOfWorkId', bench.id('f', w),
		   'timezone', tz,
		   'projectId', CASE WHEN NOT on_task OR n % 2 = 1 THEN bench.id('d', p) END,
		   'taskId', CASE WHEN on_task THEN bench.id('e', t) END,
		   'note', note,
		   'isBillable', billable,
		   'isBilled', billed))
	   || CASE how
		  WHEN 0 THEN jsonb_build_object(
			  'startDate' || g, to_char(gs, 'YYYY-MM-DD'),
			  'startTime' || g, to_char(gs, 'HH24:MI:SS'),
			  'endTime' || g, to_char(ge, 'HH24:MI:SS'))
		  WHEN 1 THEN jsonb_build_object(
			  'startDate' || g, to_char(gs, 'YYYY-MM-DD'),
			  'startTime' || g, to_char(gs, 'HH24:MI:SS'),
			  'duration', dur)
		  WHEN 2 THEN jsonb_build_object(
			  'startDate' || g, to_char(gs, 'YYYY-MM-DD"T"HH24:MI:SS') || z,
			  'endDate' || g, to_char(ge, 'YYYY-MM-DD"T"HH24:MI:SS') || z)
		  ELSE jsonb_build_object(
			  'startDate' || g, to_char(gs, 'YYYY-MM-DD'),
			  'startTime' || g, to_char(gs, 'HH24:MI'),
			  'endDate' || g, to_char(ge, 'YYYY-MM-DD'),
			  'endTime' || g, to_char(ge, 'HH24:MI:SS'))
		  END,
	   bench.id('b', u),
	   bench.id('b', u), bench.id('f', w), bench.id('d', p),
	   CASE WHEN on_task THEN bench.id('e', t) END,
	   note, tz, day, s, e, dur,
	   coalesce(billable, p % 2 = 0), coalesce(billed, false)
  FROM shown;

-- how ... 3 gives the start time to the minute: its seconds are lost
UPDATE bench.staging
   SET start_at = date_trunc('minute', start_at),
	   duration = floor(extract(epoch FROM end_at - date_trunc('minute', start_at)))
 WHERE n / 2 % 4 = 3;

-- no two staged entries of a user may overlap (prevent_overlaps would refuse them)
DO $$
DECLARE
	first_n integer;
BEGIN
	SELECT min(n) INTO first_n
	  FROM (SELECT n, start_at,
				   lag(end_at) OVER (PARTITION BY user_id ORDER BY start_at) AS previous_end
			  FROM bench.staging) s
	 WHERE previous_end > start_at;
	IF first_n IS NOT NULL THEN
		RAISE EXCEPTION 'staged entry % overlaps another of its user', first_n;
	END IF;
END
$$;

VACUUM ANALYZE bench.staging;
ANALYZE time_entry.users, time_entry.projects, time_entry.tasks,
	time_entry.task_assignees, time_entry.project_members, time_entry.types_of_work;
