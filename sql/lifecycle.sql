--
-- The life of an entry after its creation (SPEC 9): get_entry,
-- list_entries, update_entry, start_timer, stop_timer, delete_entry, and
-- the request id of 9.6.  Every rule of SPEC 9 fails somewhere below, with
-- its SQLSTATE, code (CONSTRAINT_NAME), property (COLUMN_NAME) and message
-- pinned; and what succeeds is shown: the new times after a patch, the
-- audit trail, timers stopped, retries answered.
--
-- Each case runs in a subtransaction that is rolled back (pg_temp.outcome),
-- unless it sets up the next.  Volatile values (ids, times, versions) are
-- compared, never printed.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Fixtures (ids: a = role, b = user, c = project role, d = project,
-- e = task, f = type of work).
\set admin_role '63000000-0000-4000-8000-0000000000a1'
\set tracker_role '63000000-0000-4000-8000-0000000000a2'
\set reader_role '63000000-0000-4000-8000-0000000000a3'
\set owner '63000000-0000-4000-8000-0000000000b1'
\set admin '63000000-0000-4000-8000-0000000000b2'
\set tracker '63000000-0000-4000-8000-0000000000b3'
\set reader '63000000-0000-4000-8000-0000000000b4'
\set outsider '63000000-0000-4000-8000-0000000000b5'
\set member '63000000-0000-4000-8000-0000000000b6'
\set other '63000000-0000-4000-8000-0000000000b7'
\set deleter_prole '63000000-0000-4000-8000-0000000000c1'
\set writer_prole '63000000-0000-4000-8000-0000000000c2'
\set project '63000000-0000-4000-8000-0000000000d1'
\set closed '63000000-0000-4000-8000-0000000000d2'
\set billable '63000000-0000-4000-8000-0000000000d3'
\set task '63000000-0000-4000-8000-0000000000e1'
\set work '63000000-0000-4000-8000-0000000000f1'
\set archived '63000000-0000-4000-8000-0000000000f2'
\set nobody '63000000-0000-4000-8000-0000000000ff'

INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	(:'admin_role', 'Admin', true), (:'tracker_role', 'Tracker', false),
	(:'reader_role', 'Reader', false);
INSERT INTO time_entry.role_permissions VALUES
	(:'tracker_role', 'project-timetracking', 'write'),
	(:'reader_role', 'project-timetracking', 'read');
INSERT INTO time_entry.project_roles (id, name) VALUES (:'deleter_prole', 'Deleter'), (:'writer_prole', 'Writer');
INSERT INTO time_entry.project_role_permissions VALUES (:'deleter_prole', 'project-timetracking', 'delete'),
	(:'writer_prole', 'project-timetracking', 'write');
INSERT INTO time_entry.users (id, first_name, role_id) VALUES
	(:'owner', 'Owen', NULL), (:'admin', 'Ada', :'admin_role'),
	(:'tracker', 'Tracy', :'tracker_role'), (:'reader', 'Reid', :'reader_role'),
	(:'outsider', 'Otto', NULL), (:'member', 'Mia', NULL), (:'other', 'Oli', NULL);
INSERT INTO time_entry.projects (id, name, is_closed, is_billable_by_default) VALUES
	(:'project', 'Project', false, false), (:'closed', 'Closed', false, false),
	(:'billable', 'Billable', false, true);
INSERT INTO time_entry.project_members VALUES (:'project', :'member', :'deleter_prole'),
	(:'billable', :'member', :'writer_prole');
INSERT INTO time_entry.tasks (id, name, project_id) VALUES (:'task', 'Task', :'billable');
INSERT INTO time_entry.task_assignees VALUES (:'task', :'owner');
INSERT INTO time_entry.types_of_work (id, name, is_archived) VALUES
	(:'work', 'Work', false), (:'archived', 'Archived', true);

-- What a statement gives: 'ok', or the error's fields and message.
CREATE FUNCTION pg_temp.outcome(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text; code text; prop text; msg text;
BEGIN
	EXECUTE sql;
	RAISE SQLSTATE 'P0003';
EXCEPTION
	WHEN SQLSTATE 'P0003' THEN
		RETURN 'ok';
	WHEN others THEN
		GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
			prop = COLUMN_NAME, msg = MESSAGE_TEXT;
		RETURN format('%s %s %s: %s', state, code, prop,
			regexp_replace(msg, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<id>', 'g'));
END
$$;

-- A request of the owner's (timed, 2025-03-10 09:00-10:00 UTC).
CREATE FUNCTION pg_temp.req(extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT '{"userId": "63000000-0000-4000-8000-0000000000b1",
			 "typeOfWorkId": "63000000-0000-4000-8000-0000000000f1",
			 "projectId": "63000000-0000-4000-8000-0000000000d1",
			 "timezone": "Europe/Berlin",
			 "startDateUtc": "2025-03-10T09:00:00Z", "duration": 3600}'::jsonb || extra
$$;

-- The owner's entries, made once (the cases below change them in
-- subtransactions that are rolled back).
SELECT time_entry.create_entry(pg_temp.req(), :'owner')->>'id' AS e \gset
SELECT time_entry.create_entry(pg_temp.req('{"startDateUtc": "2025-03-12", "startTimeUtc": null}'), :'owner')->>'id' AS dateonly \gset
SELECT time_entry.create_entry(pg_temp.req('{"projectId": null, "startDateUtc": "2025-03-13T09:00:00Z"}'), :'owner')->>'id' AS noproject \gset
SELECT time_entry.create_entry(pg_temp.req('{"startDateUtc": "2025-03-11T09:00:00Z", "projectId": "63000000-0000-4000-8000-0000000000d3", "isBilled": true}'), :'owner')->>'id' AS billed \gset
SELECT e->>'id' AS running
  FROM time_entry.start_timer(jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'projectId', :'project'), :'owner') e \gset
SELECT start_at AS running_start FROM time_entry.time_entries WHERE id = :'running' \gset
SELECT resource_version AS v_e FROM time_entry.time_entries WHERE id = :'e' \gset
SELECT count(*) AS entries_made FROM time_entry.time_entries;

--
-- 1. get_entry (9.2): the entry's user, an admin, and one who holds any
-- level of project-timetracking in its project may read it; anybody else
-- finds nothing -- the entry is not revealed.
--
SELECT who, pg_temp.outcome(format('SELECT time_entry.get_entry(%L, %L)', :'e', actor)) AS get_entry
  FROM (VALUES ('owner', :'owner'), ('admin', :'admin'), ('tracker', :'tracker'),
			   ('reader', :'reader'), ('member of the project', :'member'),
			   ('outsider', :'outsider'), ('unknown actor', :'nobody'),
			   ('no actor', NULL)) a(who, actor);
SELECT pg_temp.outcome(format('SELECT time_entry.get_entry(NULL, %L)', :'owner')) AS null_id,
	   pg_temp.outcome(format('SELECT time_entry.get_entry(%L, %L)', :'nobody', :'owner')) AS unknown_id,
	   pg_temp.outcome(format('SELECT time_entry.get_entry(%L, %L)', :'noproject', :'member')) AS member_without_project;
-- the response is the create response of the stored row
SELECT r = time_entry.get_entry(:'e', :'owner') AS same_as_created
  FROM (SELECT time_entry.get_entry(:'e', :'admin') r) s;
SELECT jsonb_object_keys(time_entry.get_entry(:'e', :'owner')) AS key ORDER BY 1;

--
-- 2. list_entries (9.7): what the actor may read, filtered by user, project
-- and local day (inclusive), ordered by start -- a date-only entry by its
-- day's local midnight -- then id.
--
SELECT who, count(*) AS listed
  FROM (VALUES ('owner', :'owner'), ('admin', :'admin'), ('reader', :'reader'),
			   ('member', :'member'), ('outsider', :'outsider')) a(who, actor),
	   LATERAL time_entry.list_entries(actor::uuid) e
 GROUP BY who ORDER BY who;
SELECT CASE WHEN e->>'id' = :'running' THEN '(the running one, started now)'
			ELSE (e->>'startDateLocal') || ' ' || coalesce(e->>'startTimeLocal', '(date-only)') END AS start,
	   e->>'timezone' AS zone
  FROM time_entry.list_entries(:'owner') e;
SELECT count(*) FILTER (WHERE true) AS of_project
  FROM time_entry.list_entries(:'admin', project_id => :'project');
SELECT count(*) AS from_12_to_12
  FROM time_entry.list_entries(:'admin', from_date => '2025-03-12', to_date => '2025-03-12');
SELECT count(*) AS of_user_outsider FROM time_entry.list_entries(:'admin', user_id => :'outsider');
SELECT pg_temp.outcome('SELECT count(*) FROM time_entry.list_entries(NULL)') AS no_actor;

--
-- 3. update_entry (9.3): the checks in order -- the actor, the arguments,
-- the entry readable, expected_version, may change, the changes, the
-- stored entry's guard, the rules where the changes reach, billing.
--
\set upd 'SELECT time_entry.update_entry(%L, %L, %L, %s)'
SELECT n, label, pg_temp.outcome(format(:'upd', id, changes, actor, coalesce(version, 'NULL'))) AS update_entry
  FROM (VALUES
	(1, 'no actor', :'e', '{"note": "x"}', NULL, NULL),
	(2, 'id NULL', NULL, '{"note": "x"}', :'owner', NULL),
	(3, 'changes SQL NULL', :'e', NULL, :'owner', NULL),
	(4, 'changes an array', :'e', '[]', :'owner', NULL),
	(5, 'no such entry', :'nobody', '{"note": "x"}', :'owner', NULL),
	(6, 'entry the actor may not read', :'e', '{"note": "x"}', :'outsider', NULL),
	(7, 'stale expected_version', :'e', '{"note": "x"}', :'owner', '1'),
	(8, 'may read, may not change', :'e', '{"note": "x"}', :'reader', NULL),
	(9, 'id in the changes', :'e', '{"id": "63000000-0000-4000-8000-0000000000ff"}', :'owner', NULL),
	(10, 'unknown property', :'e', '{"nott": "x"}', :'owner', NULL),
	(11, 'timezone null', :'e', '{"timezone": null}', :'owner', NULL),
	(12, 'userId null', :'e', '{"userId": null}', :'owner', NULL),
	(13, 'a time property null', :'e', '{"startTimeUtc": null}', :'owner', NULL),
	(14, 'duration null', :'e', '{"duration": null}', :'owner', NULL),
	(15, 'wrong type', :'e', '{"isBillable": "yes"}', :'owner', NULL),
	(16, 'mixed groups', :'e', '{"startTimeUtc": "08:00", "endTimeLocal": "10:00"}', :'owner', NULL),
	(17, 'end of a running entry', :'running', '{"endTimeUtc": "23:00"}', :'owner', NULL),
	(18, 'duration of a running entry', :'running', '{"duration": 60}', :'owner', NULL),
	(19, 'end on a date-only entry', :'dateonly', '{"endTimeUtc": "10:00"}', :'owner', NULL),
	(20, 'end before start', :'e', '{"endTimeUtc": "08:00", "endDateUtc": "2025-03-10"}', :'owner', NULL),
	(21, 'unknown project', :'e', '{"projectId": "63000000-0000-4000-8000-0000000000ff"}', :'owner', NULL),
	(22, 'archived type of work named', :'e', '{"typeOfWorkId": "63000000-0000-4000-8000-0000000000f2"}', :'owner', NULL),
	(23, 'task of another project', :'e', '{"taskId": "63000000-0000-4000-8000-0000000000e1", "projectId": "63000000-0000-4000-8000-0000000000d1"}', :'owner', NULL),
	(24, 'booking for another user', :'e', '{"userId": "63000000-0000-4000-8000-0000000000b7"}', :'owner', NULL),
	(25, 'billed: unbill, not an admin', :'billed', '{"isBilled": false}', :'owner', NULL),
	(26, 'billed: new project, not an admin', :'billed', '{"taskId": null, "projectId": "63000000-0000-4000-8000-0000000000d1"}', :'owner', NULL),
	(27, 'billed: new duration, not an admin', :'billed', '{"duration": 60}', :'owner', NULL),
	(28, 'billed: new end, not an admin', :'billed', '{"endTimeUtc": "09:30"}', :'owner', NULL),
	(29, 'billed: made unbillable, by an admin', :'billed', '{"isBillable": false}', :'admin', NULL),
	(30, 'billed without billable', :'e', '{"isBilled": true}', :'owner', NULL),
	(31, 'duration over max_duration', :'e', '{"duration": 90000}', :'owner', NULL),
	(32, 'running start in the future', :'running', '{"startDateUtc": "9998-01-01T00:00:00Z"}', :'owner', NULL)
  ) c(n, label, id, changes, actor, version)
 ORDER BY n;
-- the same with the version the entry has: it goes through
SELECT pg_temp.outcome(format(:'upd', :'e', '{"note": "x"}', :'owner', :'v_e')) AS current_version;

-- The stored entry's guard, the settings and overlaps, each under a
-- setting switched on for the case.
CREATE FUNCTION pg_temp.under(setting text, sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	EXECUTE 'UPDATE time_entry.settings SET ' || setting;
	result := pg_temp.outcome(sql);
	RAISE SQLSTATE 'P0004';
EXCEPTION WHEN SQLSTATE 'P0004' THEN
	RETURN result;
END
$$;
SELECT label, pg_temp.under(setting, format(:'upd', id, changes, actor, 'NULL')) AS update_entry
  FROM (VALUES
	('guard: day before the window', 'allow_on_past_days = 7', :'e', '{"note": "x"}', :'owner'),
	('guard: admins are exempt', 'allow_on_past_days = 7', :'e', '{"note": "x"}', :'admin'),
	('a new day in the future', 'prevent_in_future = true', :'e', '{"startDateUtc": "9998-05-05"}', :'owner'),
	('max_duration lowered, time untouched', 'max_duration = 60', :'e', '{"note": "x"}', :'owner'),
	('max_duration lowered, time touched', 'max_duration = 60', :'e', '{"startTimeUtc": "08:00"}', :'owner'),
	('overlap with another entry', 'prevent_overlaps = true', :'e', '{"startDateUtc": "2025-03-11"}', :'owner'),
	('overlap with itself is none', 'prevent_overlaps = true', :'e', '{"startTimeUtc": "09:30"}', :'owner')
  ) c(label, setting, id, changes, actor);
UPDATE time_entry.projects SET is_closed = true WHERE id = :'project';
SELECT pg_temp.under('prevent_on_closed_projects = true',
	format(:'upd', :'e', '{"note": "x"}', :'owner', 'NULL')) AS guard_closed_project,
	   pg_temp.under('prevent_on_closed_projects = true',
	format(:'upd', :'noproject', '{"projectId": "63000000-0000-4000-8000-0000000000d1"}', :'owner', 'NULL')) AS moved_onto_closed_project;
UPDATE time_entry.projects SET is_closed = false WHERE id = :'project';

--
-- 4. update_entry: the new times (9.3).  Each patch applied to the timed
-- entry (2025-03-10 09:00-10:00 UTC, Europe/Berlin 10:00-11:00), the
-- date-only one (2025-03-12, 3600 s), or the running one.
--
CREATE FUNCTION pg_temp.patched(id uuid, changes jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	r jsonb;
BEGIN
	r := time_entry.update_entry(id, changes, '63000000-0000-4000-8000-0000000000b1');
	RAISE SQLSTATE 'P0005' USING MESSAGE = format('%s %s-%s %s | local %s %s-%s | %s s | %s',
		r->>'startDateUtc', r->>'startTimeUtc', coalesce(r->>'endDateUtc' || ' ' || (r->>'endTimeUtc'), '(no end)'),
		r->>'timezone', r->>'startDateLocal', r->>'startTimeLocal', r->>'endTimeLocal', r->>'duration',
		CASE WHEN r->>'startTimeUtc' IS NULL THEN 'date-only' WHEN r->>'endTimeUtc' IS NULL THEN 'running' ELSE 'timed' END);
EXCEPTION WHEN SQLSTATE 'P0005' THEN
	RETURN SQLERRM;
WHEN others THEN
	RETURN 'error: ' || SQLERRM;
END
$$;
SELECT label, pg_temp.patched(id::uuid, changes::jsonb) AS after
  FROM (VALUES
	('start time only: the end follows', :'e', '{"startTimeUtc": "07:15"}'),
	('start date only: the time kept', :'e', '{"startDateUtc": "2025-04-01"}'),
	('start date with a time', :'e', '{"startDateUtc": "2025-04-01T13:00:00Z"}'),
	('local start time, in the entry''s zone', :'e', '{"startTimeLocal": "08:00"}'),
	('end time only: a new length', :'e', '{"endTimeUtc": "12:00"}'),
	('end time before the start: next day', :'e', '{"endTimeUtc": "01:00"}'),
	('duration only', :'e', '{"duration": 600}'),
	('start, end and duration: the end wins', :'e', '{"startTimeUtc": "08:00", "endTimeUtc": "11:00", "duration": 60}'),
	('duration with an end, no start: start = end - duration', :'e', '{"endTimeUtc": "12:00", "duration": 1800}'),
	('start and duration', :'e', '{"startTimeUtc": "06:00", "duration": 120}'),
	('a new time zone moves the local day only', :'e', '{"timezone": "Pacific/Kiritimati"}'),
	('a new time zone and a local start', :'e', '{"timezone": "America/New_York", "startTimeLocal": "09:00"}'),
	('date-only: a new day', :'dateonly', '{"startDateUtc": "2025-03-20"}'),
	('date-only: a new duration', :'dateonly', '{"duration": 7200}'),
	('date-only: a start time makes it timed', :'dateonly', '{"startTimeUtc": "14:00"}'),
	('date-only: a new time zone keeps its day', :'dateonly', '{"timezone": "Asia/Tokyo"}'),
	('date-only: duration 0', :'dateonly', '{"duration": 0}'),
	('running: a new start', :'running', '{"startDateUtc": "2025-01-01T08:00:00Z"}')
  ) c(label, id, changes);

--
-- 5. update_entry: null clears or resets; the project follows a new task;
-- the audit trail.
--
BEGIN;
SELECT r->>'note' AS note, r->>'projectId' IS NULL AS no_project, r->>'isBillable' AS billable
  FROM time_entry.update_entry(:'e', '{"note": "first"}', :'owner') r;
SELECT r->>'note' AS note, r->>'projectId' AS project, r->>'isBillable' AS billable
  FROM time_entry.update_entry(:'e', '{"note": null, "projectId": null}', :'owner') r;
SELECT r->>'taskId' = :'task' AS task_set, r->>'projectId' = :'billable' AS project_follows_task,
	   r->>'isBillable' AS billable_kept
  FROM time_entry.update_entry(:'e', '{"taskId": "63000000-0000-4000-8000-0000000000e1"}', :'owner') r;
SELECT r->>'isBillable' AS billable_reset_to_the_projects_default
  FROM time_entry.update_entry(:'e', '{"isBillable": null}', :'owner') r;
SELECT r->>'taskId' IS NULL AS task_cleared, r->>'projectId' IS NULL AS project_follows
  FROM time_entry.update_entry(:'e', '{"taskId": null}', :'owner') r;
SELECT created_by = :'owner' AS created_by_kept, updated_by = :'owner' AS updated_by_actor,
	   resource_version > :v_e AS version_grew
  FROM time_entry.time_entries WHERE id = :'e';
SELECT resource_version AS v_before FROM time_entry.time_entries WHERE id = :'e' \gset
SELECT (time_entry.update_entry(:'e', '{"note": "by the tracker"}', :'tracker'))->>'updatedBy' = :'tracker' AS tracker_updates;
SELECT created_by = :'owner' AS created_by_kept, created_on < now() + interval '1 s' AS created_on_kept,
	   resource_version > :v_before AS version_grew_again
  FROM time_entry.time_entries WHERE id = :'e';
ROLLBACK;
-- an entry whose user was deleted stays editable without naming a user
BEGIN;
SELECT time_entry.create_entry(pg_temp.req('{"userId": "63000000-0000-4000-8000-0000000000b7", "projectId": null}'), :'admin')->>'id' AS orphan \gset
DELETE FROM time_entry.users WHERE id = :'other';
SELECT r->>'userId' IS NULL AS userless, r->>'note' AS note
  FROM time_entry.update_entry(:'orphan', '{"note": "still editable"}', :'admin') r;
ROLLBACK;

--
-- 6. Timers (9.4).
--
\set timer 'SELECT time_entry.start_timer(%L, %L)'
SELECT label, pg_temp.outcome(format(:'timer', entry, actor)) AS start_timer
  FROM (VALUES
	('an end', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC', 'endTimeUtc', '10:00'), :'owner'),
	('a duration', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC', 'duration', 60), :'owner'),
	('a start date without a time', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC', 'startDateUtc', '2025-01-02'), :'owner'),
	('a start in the future', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC', 'startDateUtc', '9998-01-02T10:00:00Z'), :'owner'),
	('before the running one''s start', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC', 'startDateUtc', '2000-01-02T10:00:00Z'), :'owner'),
	('may book for the user, not change the running timer', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC', 'projectId', :'billable'), :'member'),
	('may not book for the user', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC'), :'member'),
	('no actor', jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC'), NULL)
  ) c(label, entry, actor);
-- a new timer stops the running one at its start; both in one statement
BEGIN;
SELECT r->>'id' AS second_timer
  FROM time_entry.start_timer(jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC'), :'owner') r \gset
SELECT end_at = (SELECT start_at FROM time_entry.time_entries WHERE id = :'second_timer') AS stopped_at_new_start,
	   duration = floor(extract(epoch FROM end_at - start_at)) AS duration_consistent,
	   updated_by = :'owner' AS updated_by_actor
  FROM time_entry.time_entries WHERE id = :'running';
SELECT count(*) AS running_now FROM time_entry.time_entries
 WHERE user_id = :'owner' AND start_at IS NOT NULL AND end_at IS NULL;
ROLLBACK;

\set stop 'SELECT time_entry.stop_timer(%L, %L, %L)'
SELECT label, pg_temp.outcome(format(:'stop', user_id, actor, end_at)) AS stop_timer
  FROM (VALUES
	('user NULL', NULL, :'owner', NULL),
	('no running entry', :'outsider', :'outsider', NULL),
	('unknown user', :'nobody', :'admin', NULL),
	('a timer the actor may not read', :'owner', :'outsider', NULL),
	('may read, may not change', :'owner', :'reader', NULL),
	('end before the start', :'owner', :'owner', '2000-01-01 00:00+00'),
	('end past 9999', :'owner', :'owner', 'infinity'),
	('no actor', :'owner', NULL, NULL)
  ) c(label, user_id, actor, end_at);
BEGIN;
SELECT r->>'id' = :'running' AS the_running_one, r->>'endTimeUtc' IS NOT NULL AS stopped,
	   (r->>'duration')::int BETWEEN 0 AND 86400 AS duration_ok
  FROM time_entry.stop_timer(:'owner', :'owner') r;
ROLLBACK;
-- a forgotten timer is capped at max_duration, not refused
BEGIN;
UPDATE time_entry.settings SET max_duration = 3600;
SELECT (r->>'duration')::int AS duration
  FROM time_entry.stop_timer(:'owner', :'owner', :'running_start'::timestamptz + interval '5 hours') r;
SELECT end_at - start_at AS length FROM time_entry.time_entries WHERE id = :'running';
ROLLBACK;
BEGIN;
SELECT (r->>'duration')::int AS duration_to_end_at
  FROM time_entry.stop_timer(:'owner', :'tracker', :'running_start'::timestamptz + interval '30 minutes') r;
ROLLBACK;

--
-- 7. delete_entry (9.5).
--
\set del 'SELECT time_entry.delete_entry(%L, %L, %s)'
SELECT label, pg_temp.outcome(format(:'del', id, actor, coalesce(version, 'NULL'))) AS delete_entry
  FROM (VALUES
	('id NULL', NULL, :'owner', NULL),
	('no such entry', :'nobody', :'owner', NULL),
	('entry the actor may not read', :'e', :'outsider', NULL),
	('stale expected_version', :'e', :'owner', '1'),
	('may read, may not delete', :'e', :'reader', NULL),
	('may change, may not delete', :'e', :'tracker', NULL),
	('billed, not an admin', :'billed', :'owner', NULL),
	('billed, an admin', :'billed', :'admin', NULL),
	('delete in the project, by project role', :'e', :'member', NULL),
	('the owner', :'e', :'owner', NULL),
	('no actor', :'e', NULL, NULL)
  ) c(label, id, actor, version);
SELECT pg_temp.under('allow_on_past_days = 7', format(:'del', :'e', :'owner', 'NULL')) AS guard_past,
	   pg_temp.under('allow_on_past_days = 7', format(:'del', :'e', :'admin', 'NULL')) AS guard_admin;
BEGIN;
SELECT r->>'id' = :'e' AS last_state_returned, r->>'note' IS NULL AS note, r->>'resourceVersion' = :'v_e' AS version
  FROM time_entry.delete_entry(:'e', :'owner', :v_e) r;
SELECT count(*) AS left_with_that_id FROM time_entry.time_entries WHERE id = :'e';
ROLLBACK;

--
-- 8. A request id (9.6): the new entry takes it; the same request again
-- returns the entry as if just created, through every face, even when the
-- rules would now refuse it; anything else with that id is a conflict.
--
\set rid '63000000-0000-4000-8000-000000000101'
SELECT time_entry.create_entry(pg_temp.req(jsonb_build_object('id', :'rid')), :'owner')->>'id' = :'rid' AS takes_the_id;
SELECT count(*) AS rows_before FROM time_entry.time_entries \gset
UPDATE time_entry.settings SET prevent_in_future = true, allow_on_past_days = 1;
SELECT label, pg_temp.outcome(sql) AS outcome
  FROM (VALUES
	('create_entry retry', format('SELECT time_entry.create_entry(%L, %L)', pg_temp.req(jsonb_build_object('id', :'rid')), :'owner')),
	('try_create_entry retry', format('SELECT 1/(r.id = %L)::int FROM time_entry.try_create_entry(%L, %L) r', :'rid', pg_temp.req(jsonb_build_object('id', :'rid')), :'owner')),
	('import_entries retry', format('SELECT 1/(r.id = %L)::int FROM time_entry.import_entries(%L, %L) r', :'rid', jsonb_build_array(pg_temp.req(jsonb_build_object('id', :'rid'))), :'owner')),
	('validate_entry of a retry', format('SELECT 1/(time_entry.validate_entry(%L, %L) IS NULL)::int', pg_temp.req(jsonb_build_object('id', :'rid')), :'owner')),
	('typed face retry', format('SELECT 1/((r).id = %L)::int FROM time_entry.create_entry(user_id => %L, type_of_work_id => %L, timezone => %L, start_at => %L, duration => 3600, project_id => %L, actor => %L, id => %L) r',
		:'rid', :'owner', :'work', 'Europe/Berlin', '2025-03-10 09:00+00', :'project', :'owner', :'rid')),
	('other values', format('SELECT time_entry.create_entry(%L, %L)', pg_temp.req(jsonb_build_object('id', :'rid', 'duration', 3599)), :'owner')),
	('another actor', format('SELECT time_entry.create_entry(%L, %L)', pg_temp.req(jsonb_build_object('id', :'rid')), :'admin')),
	('the id of an entry with other values', format('SELECT time_entry.create_entry(%L, %L)', pg_temp.req(jsonb_build_object('id', :'dateonly')), :'owner')),
	('a retry with a problem reports the problem', format('SELECT time_entry.create_entry(%L, %L)', pg_temp.req(jsonb_build_object('id', :'rid', 'typeOfWorkId', :'archived')), :'owner')),
	('a malformed id', format('SELECT time_entry.create_entry(%L, %L)', pg_temp.req('{"id": "63000000"}'), :'owner'))
  ) c(label, sql);
UPDATE time_entry.settings SET prevent_in_future = false, allow_on_past_days = NULL;
SELECT count(*) - :rows_before AS rows_added_by_the_retries FROM time_entry.time_entries;
SELECT count(*) AS errors_returned
  FROM time_entry.try_create_entry(pg_temp.req(jsonb_build_object('id', :'rid', 'duration', 1)), :'owner') r
 WHERE r.error->>'code' = 'conflict' AND r.error->>'sqlstate' = '23505'
   AND r.error->'validationErrors'->0->>'property' = 'id';
-- a timer retried without a start takes the stored start
\set tid '63000000-0000-4000-8000-000000000102'
BEGIN;
SELECT time_entry.start_timer(jsonb_build_object('id', :'tid', 'userId', :'member', 'typeOfWorkId', :'work', 'timezone', 'UTC'), :'member')->>'startTimeUtc' AS first_start \gset
SELECT pg_sleep(0.01);
SELECT r->>'id' = :'tid' AS same_timer, r->>'startTimeUtc' = :'first_start' AS same_start
  FROM time_entry.start_timer(jsonb_build_object('id', :'tid', 'userId', :'member', 'typeOfWorkId', :'work', 'timezone', 'UTC'), :'member') r;
ROLLBACK;

-- Leave the database as found for the files after this one.
UPDATE time_entry.settings SET max_duration = DEFAULT;
DELETE FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DELETE FROM time_entry.task_assignees WHERE task_id = :'task';
DELETE FROM time_entry.tasks WHERE id = :'task';
DELETE FROM time_entry.project_members WHERE user_id = :'member';
DELETE FROM time_entry.projects WHERE id IN (:'project', :'closed', :'billable');
DELETE FROM time_entry.types_of_work WHERE id IN (:'work', :'archived');
DELETE FROM time_entry.users WHERE id::text LIKE '63000000-%';
DELETE FROM time_entry.project_roles WHERE id IN (:'deleter_prole', :'writer_prole');
DELETE FROM time_entry.roles WHERE id::text LIKE '63000000-%';
