--
-- create_entry: successful creates and the response object (SPEC 5).
--
-- Every key present, the date and time formats, the nested objects, the
-- defaults (isBillable from the project, isBilled false), projectId derived
-- from a project task, the time zone's canonical spelling, the stored row
-- equal to the response, the actor from the argument and from the setting,
-- and an application role that creates entries only through the function.
--
-- Volatile values (id, createdOn, updatedOn, resourceVersion) are checked
-- against patterns and against the stored row, never printed.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Fixtures (ids: last two hex digits a = workspace role, b = user,
-- d = project, e = task, f = type of work).
\set lead_role '40000000-0000-4000-8000-0000000000a1'
\set owner '40000000-0000-4000-8000-0000000000b1'
\set lead '40000000-0000-4000-8000-0000000000b2'
\set nameless '40000000-0000-4000-8000-0000000000b3'
\set billable '40000000-0000-4000-8000-0000000000d1'
\set internal '40000000-0000-4000-8000-0000000000d2'
\set project_task '40000000-0000-4000-8000-0000000000e1'
\set private_task '40000000-0000-4000-8000-0000000000e2'
\set dev '40000000-0000-4000-8000-0000000000f1'
\set meetings '40000000-0000-4000-8000-0000000000f2'

INSERT INTO time_entry.roles (id, name) VALUES (:'lead_role', 'Team lead');
INSERT INTO time_entry.role_permissions VALUES (:'lead_role', 'project-timetracking', 'write');
INSERT INTO time_entry.users (id, first_name, last_name, role_id) VALUES
	(:'owner', 'Ada', 'Lovelace', NULL),
	(:'lead', 'Grace', 'Hopper', :'lead_role'),
	(:'nameless', NULL, NULL, NULL);
INSERT INTO time_entry.projects (id, name, is_billable_by_default) VALUES
	(:'billable', 'Website relaunch', true),
	(:'internal', 'Internal tools', false);
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	(:'project_task', 'Design the landing page', :'billable'),
	(:'private_task', 'Inbox zero', NULL);
INSERT INTO time_entry.task_assignees VALUES (:'project_task', :'owner'), (:'private_task', :'owner');
INSERT INTO time_entry.types_of_work (id, name, icon) VALUES
	(:'dev', 'Development', 'code'),
	(:'meetings', 'Meetings', NULL);

-- The responses under test, by label.
CREATE TEMP TABLE responses (label text PRIMARY KEY, r jsonb NOT NULL);

--
-- 1. A timed UTC entry on a project task, with its project, a note and a
-- time zone in the wrong case.  The whole response but its volatile keys.
--
INSERT INTO responses
SELECT 'utc timed', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'europe/berlin',
		'projectId', :'billable', 'taskId', :'project_task',
		'note', 'Landing page: hero section',
		'startDateUtc', '2024-01-15T00:00:00Z', 'startTimeUtc', '08:00',
		'endDateUtc', '2024-01-15', 'endTimeUtc', '16:30:15'),
	:'owner');
SELECT jsonb_pretty(r - '{id,createdOn,updatedOn,resourceVersion}'::text[])
  FROM responses WHERE label = 'utc timed';

-- Every key of SPEC 5, and no other, in the response and in each nested
-- object.
CREATE TEMP TABLE spec_keys (obj text, k text);
INSERT INTO spec_keys
SELECT 'entry', unnest('{id,timezone,typeOfWorkId,userId,isBillable,isBilled,isExternal,taskId,projectId,note,
	startDateUtc,startTimeUtc,endDateUtc,endTimeUtc,startDateLocal,startTimeLocal,endDateLocal,endTimeLocal,
	duration,breakDuration,breaks,createdBy,createdOn,updatedBy,updatedOn,resourceVersion,
	typeOfWork,user,project,task}'::text[])
UNION ALL SELECT 'typeOfWork', unnest('{id,name,icon,isArchived}'::text[])
UNION ALL SELECT 'user', unnest('{id,firstName,lastName}'::text[])
UNION ALL SELECT 'project', unnest('{id,name,isBillableByDefault}'::text[])
UNION ALL SELECT 'task', unnest('{id,name,baseType,projectId}'::text[]);
SELECT obj, count(*) AS spec_keys FROM spec_keys GROUP BY obj ORDER BY obj;

CREATE FUNCTION pg_temp.key_diff(r jsonb, OUT obj text, OUT missing text[], OUT extra text[])
RETURNS SETOF record
LANGUAGE sql
AS $$
	SELECT o.obj,
		   ARRAY(SELECT k FROM spec_keys s WHERE s.obj = o.obj
				 EXCEPT SELECT jsonb_object_keys(o.v) ORDER BY 1),
		   ARRAY(SELECT jsonb_object_keys(o.v)
				 EXCEPT SELECT k FROM spec_keys s WHERE s.obj = o.obj ORDER BY 1)
	  FROM (VALUES ('entry', r), ('typeOfWork', r->'typeOfWork'), ('user', r->'user'),
				   ('project', r->'project'), ('task', r->'task')) o(obj, v)
	 WHERE jsonb_typeof(o.v) = 'object'
$$;
SELECT * FROM pg_temp.key_diff((SELECT r FROM responses WHERE label = 'utc timed'));

-- The volatile keys: a UUID version 7, ISO 8601 in UTC with Z, a number.
SELECT r->>'id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS id_is_uuid7,
       r->>'createdOn' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{7})?Z$' AS created_on_format,
       r->>'updatedOn' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{7})?Z$' AS updated_on_format,
       r->>'createdOn' = r->>'updatedOn' AS created_is_updated,
       jsonb_typeof(r->'resourceVersion') AS resource_version_type,
       (r->>'resourceVersion')::numeric = trunc((r->>'resourceVersion')::numeric) AS resource_version_integral
  FROM responses WHERE label = 'utc timed';

--
-- 2. The smallest request: no project, task or note.  Every key is still
-- present, absent values are JSON null; isBillable false without a project,
-- isBilled false.  Local times in, both groups out.
--
INSERT INTO responses
SELECT 'minimal local', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'meetings', 'timezone', 'Europe/Berlin',
		'startDateLocal', '2024-07-01', 'startTimeLocal', '09:15', 'endTimeLocal', '10:00'),
	:'owner');
SELECT * FROM pg_temp.key_diff((SELECT r FROM responses WHERE label = 'minimal local'));
SELECT jsonb_pretty(r - '{id,createdOn,updatedOn,resourceVersion}'::text[])
  FROM responses WHERE label = 'minimal local';

--
-- 3. A project task alone: projectId and project come from the task,
-- isBillable from that project.
--
INSERT INTO responses
SELECT 'project from task', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'UTC',
		'taskId', :'project_task',
		'startDateUtc', '2024-01-16T08:00:00Z', 'duration', 3600),
	:'owner');
SELECT r->>'projectId' = :'billable' AS project_id_from_task,
       r->'project' AS project,
       r->'task' AS task,
       r->'isBillable' AS is_billable,
       r->'isBilled' AS is_billed
  FROM responses WHERE label = 'project from task';

--
-- 4. A private task: baseType "private", no project, not billable.
--
INSERT INTO responses
SELECT 'private task', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'UTC',
		'taskId', :'private_task',
		'startDateUtc', '2024-01-17T08:00:00Z', 'duration', 1800),
	:'owner');
SELECT r->'task' AS task, r->'projectId' AS project_id, r->'project' AS project,
       r->'isBillable' AS is_billable
  FROM responses WHERE label = 'private task';

--
-- 5. Billing flags: isBillable given overrides the project's default,
-- either way; isBilled true with isBillable true; a project that is not
-- billable by default.
--
INSERT INTO responses
SELECT 'not billable on billable project', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'UTC', 'projectId', :'billable',
		'isBillable', false, 'startDateUtc', '2024-01-18T08:00:00Z', 'duration', 600),
	:'owner');
INSERT INTO responses
SELECT 'billed', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'UTC', 'projectId', :'internal',
		'isBillable', true, 'isBilled', true, 'startDateUtc', '2024-01-18T09:00:00Z', 'duration', 600),
	:'owner');
INSERT INTO responses
SELECT 'internal project default', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'UTC', 'projectId', :'internal',
		'startDateUtc', '2024-01-18T10:00:00Z', 'duration', 600),
	:'owner');
-- JSON null is the same as an absent property
INSERT INTO responses
SELECT 'nulls as absent', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'UTC', 'projectId', :'billable',
		'isBillable', NULL, 'isBilled', NULL, 'taskId', NULL, 'note', NULL, 'endDateUtc', NULL,
		'startDateLocal', NULL, 'startDateUtc', '2024-01-18T11:00:00Z', 'duration', 600),
	:'owner');
SELECT label, r->'projectId' AS project_id, r->'isBillable' AS is_billable, r->'isBilled' AS is_billed,
       r->'project'->'isBillableByDefault' AS project_default, r->'taskId' AS task_id, r->'note' AS note
  FROM responses
 WHERE label IN ('not billable on billable project', 'billed', 'internal project default', 'nulls as absent')
 ORDER BY label;

--
-- 6. A date-only entry: dates set in both groups, times and ends null.  A
-- running entry: end fields null, duration 0.  A user without names, a type
-- of work without icon.
--
INSERT INTO responses
SELECT 'date-only', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'nameless', 'typeOfWorkId', :'meetings', 'timezone', 'America/New_York',
		'startDateLocal', '2024-02-29', 'duration', 5400),
	:'lead');
SELECT jsonb_pretty(r - '{id,createdOn,updatedOn,resourceVersion}'::text[])
  FROM responses WHERE label = 'date-only';

INSERT INTO responses
SELECT 'running', time_entry.create_entry(
	jsonb_build_object(
		'userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', 'Asia/Tokyo',
		'startDateUtc', '2024-03-01T23:30:00.5Z'),
	:'owner');
SELECT r->'startDateUtc' AS start_date_utc, r->'startTimeUtc' AS start_time_utc,
       r->'startDateLocal' AS start_date_local, r->'startTimeLocal' AS start_time_local,
       r->'endDateUtc' AS end_date_utc, r->'endTimeUtc' AS end_time_utc,
       r->'endDateLocal' AS end_date_local, r->'endTimeLocal' AS end_time_local,
       r->'duration' AS duration
  FROM responses WHERE label = 'running';

-- The time zone's canonical spelling, whatever case it was sent in.
SELECT tz AS sent,
       time_entry.create_entry(
			jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'dev', 'timezone', tz,
							   'startDateUtc', '2024-04-01', 'duration', 60, 'note', 'tz'),
			:'owner')->>'timezone' AS returned
  FROM unnest('{europe/berlin,EUROPE/BERLIN,america/new_york,utc,Asia/TOKYO,pacific/kiritimati}'::text[]) tz;

--
-- 7. The stored row is the response: every column of time_entries against
-- its key.  A list of the columns that differ (none).
--
SELECT r.label,
       ARRAY(SELECT c FROM (VALUES
			('user_id', t.user_id = (r.r->>'userId')::uuid),
			('type_of_work_id', t.type_of_work_id = (r.r->>'typeOfWorkId')::uuid),
			('project_id', t.project_id IS NOT DISTINCT FROM (r.r->>'projectId')::uuid),
			('task_id', t.task_id IS NOT DISTINCT FROM (r.r->>'taskId')::uuid),
			('note', t.note IS NOT DISTINCT FROM r.r->>'note'),
			('timezone', t.timezone = r.r->>'timezone'),
			('date_local', t.date_local = (r.r->>'startDateLocal')::date),
			('start_at utc', t.start_at IS NOT DISTINCT FROM
				((r.r->>'startDateUtc')::date + (r.r->>'startTimeUtc')::time) AT TIME ZONE 'UTC'),
			('start_at local', t.start_at IS NOT DISTINCT FROM
				((r.r->>'startDateLocal')::date + (r.r->>'startTimeLocal')::time) AT TIME ZONE t.timezone),
			('end_at utc', t.end_at IS NOT DISTINCT FROM
				((r.r->>'endDateUtc')::date + (r.r->>'endTimeUtc')::time) AT TIME ZONE 'UTC'),
			('end_at local', t.end_at IS NOT DISTINCT FROM
				((r.r->>'endDateLocal')::date + (r.r->>'endTimeLocal')::time) AT TIME ZONE t.timezone),
			('duration', t.duration = (r.r->>'duration')::int),
			('break_duration', t.break_duration = (r.r->>'breakDuration')::int),
			('is_billable', t.is_billable = (r.r->>'isBillable')::boolean),
			('is_billed', t.is_billed = (r.r->>'isBilled')::boolean),
			('is_external', t.is_external = (r.r->>'isExternal')::boolean),
			('created_by', t.created_by = (r.r->>'createdBy')::uuid),
			('created_on', t.created_on = (r.r->>'createdOn')::timestamptz),
			('updated_by', t.updated_by = (r.r->>'updatedBy')::uuid),
			('updated_on', t.updated_on = (r.r->>'updatedOn')::timestamptz),
			('resource_version', t.resource_version = (r.r->>'resourceVersion')::bigint),
			('type name', r.r->'typeOfWork'->>'name' = (SELECT name FROM time_entry.types_of_work WHERE id = t.type_of_work_id)),
			('user name', r.r->'user'->>'lastName' IS NOT DISTINCT FROM (SELECT last_name FROM time_entry.users WHERE id = t.user_id))
		) v(c, ok) WHERE ok IS NOT TRUE) AS differing_columns
  FROM responses r
  LEFT JOIN time_entry.time_entries t ON t.id = (r.r->>'id')::uuid
 ORDER BY r.label;

-- Nothing else was written: one row per response.
SELECT count(*) AS rows_written, (SELECT count(*) FROM responses) AS responses
  FROM time_entry.time_entries WHERE type_of_work_id IN (:'dev', :'meetings')
   AND note IS DISTINCT FROM 'tz';

--
-- 8. The actor: from the argument, from SET LOCAL time_entry.actor, and the
-- argument wins over the setting.  The lead books for the owner.
--
\set base '{"typeOfWorkId": "40000000-0000-4000-8000-0000000000f1", "timezone": "UTC", "startDateUtc": "2024-05-02", "duration": 60}'
SELECT r->>'createdBy' = :'lead' AS created_by_argument,
       r->>'updatedBy' = :'lead' AS updated_by_argument,
       r->>'userId' = :'owner' AS user_is_owner
  FROM time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'lead') r;

BEGIN;
SET LOCAL time_entry.actor = :'lead';
SELECT r->>'createdBy' = :'lead' AS created_by_setting,
       r->>'updatedBy' = :'lead' AS updated_by_setting
  FROM time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner')) r;
-- the actor argument NULL means the same as no argument
SELECT r->>'createdBy' = :'lead' AS created_by_setting_null_argument
  FROM time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), NULL) r;
-- the argument wins over the setting: the owner books its own time, which
-- the lead's setting would also allow
SELECT r->>'createdBy' = :'owner' AS created_by_argument_not_setting,
       r->>'updatedBy' = :'owner' AS updated_by_argument_not_setting
  FROM time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'owner') r;
-- a setting naming nobody does not matter when the argument names the actor
SET LOCAL time_entry.actor = '40000000-0000-4000-8000-0000000000ff';
SELECT r->>'createdBy' = :'lead' AS created_by_argument_over_unknown_setting
  FROM time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'lead') r;
-- and the other way round: a user without permissions as the argument is
-- refused even though the setting names the lead, who could book for others
SET LOCAL time_entry.actor = :'lead';
SELECT time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'nameless');
ROLLBACK;
-- SET LOCAL ended with the transaction: no actor now
SELECT current_setting('time_entry.actor') AS actor_after_commit;
SELECT time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'));

-- The typed create_entry: the same path, the stored row comes back.
CREATE TEMP TABLE typed AS
SELECT * FROM time_entry.create_entry(
		user_id => :'owner', type_of_work_id => :'dev', timezone => 'europe/berlin',
		start_at => '2024-06-03 09:00+02', end_at => '2024-06-03 12:30+02',
		task_id => :'project_task', note => 'typed', actor => :'owner');
SELECT e.user_id = :'owner' AS user_id, e.project_id = :'billable' AS project_from_task,
       e.task_id = :'project_task' AS task_id, e.timezone, e.date_local, e.start_at, e.end_at,
       e.duration, e.is_billable, e.is_billed, e.is_external, e.note,
       e.created_by = :'owner' AS created_by
  FROM typed e;
SELECT (SELECT row(t.*)::text FROM time_entry.time_entries t WHERE t.id = e.id) = row(e.*)::text AS row_is_stored
  FROM typed e;
SELECT e.start_at, e.end_at, e.date_local, e.duration, e.timezone
  FROM time_entry.create_entry(
		user_id => :'owner', type_of_work_id => :'dev', timezone => 'Asia/Tokyo',
		entry_date => '2024-06-04', duration => 7200, actor => :'owner') e;

--
-- 9. An application role that is not the owner of the extension: without
-- EXECUTE it cannot call the functions; granted EXECUTE it creates entries
-- through them (the row is written with the owner's rights), but it still
-- cannot write time_entries itself.
--
DROP ROLE IF EXISTS regress_te_app;
CREATE ROLE regress_te_app;
SET ROLE regress_te_app;
SELECT time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'owner');
SELECT time_entry.validate_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'owner');
RESET ROLE;

GRANT EXECUTE ON FUNCTION time_entry.create_entry(jsonb, uuid),
	time_entry.validate_entry(jsonb, uuid),
	time_entry.try_create_entry(jsonb, uuid),
	time_entry.list_entries(uuid, uuid, uuid, date, date)
	TO regress_te_app;
SET ROLE regress_te_app;
SELECT current_user,
       r->>'createdBy' = :'owner' AS created_by_actor,
       r->>'userId' = :'owner' AS user_id
  FROM time_entry.create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner', 'note', 'by the app role'), :'owner') r;
SELECT time_entry.validate_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner'), :'owner') IS NULL AS valid;
SELECT id IS NOT NULL AS created, response->>'note' AS note, error
  FROM time_entry.try_create_entry(:'base'::jsonb || jsonb_build_object('userId', :'owner', 'note', 'tried by the app role'), :'owner');
-- it reads the rows it made through list_entries, not from the table,
-- which PUBLIC may not read (SPEC 10)
SELECT count(*) AS rows_by_app_role FROM time_entry.list_entries(:'owner') e
 WHERE e->>'note' IN ('by the app role', 'tried by the app role');
SELECT count(*) FROM time_entry.time_entries;
\echo :LAST_ERROR_SQLSTATE
-- but cannot write the table directly, with or without an actor
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'owner', :'dev', 'UTC', '2024-05-02', 60, false, false);
BEGIN;
SET LOCAL time_entry.actor = :'owner';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'owner', :'dev', 'UTC', '2024-05-02', 60, false, false);
ROLLBACK;
UPDATE time_entry.time_entries SET note = 'changed' WHERE note = 'by the app role';
DELETE FROM time_entry.time_entries WHERE note = 'by the app role';
-- nor the typed face, which it was not granted
SELECT time_entry.create_entry(user_id => :'owner', type_of_work_id => :'dev', timezone => 'UTC',
							   entry_date => '2024-05-02', duration => 60, actor => :'owner');
RESET ROLE;
SELECT note FROM time_entry.time_entries WHERE note IN ('by the app role', 'tried by the app role') ORDER BY note;

-- Clean up.
REVOKE ALL ON FUNCTION time_entry.create_entry(jsonb, uuid),
	time_entry.validate_entry(jsonb, uuid),
	time_entry.try_create_entry(jsonb, uuid),
	time_entry.list_entries(uuid, uuid, uuid, date, date)
	FROM regress_te_app;
DROP ROLE regress_te_app;
DELETE FROM time_entry.time_entries WHERE type_of_work_id IN (:'dev', :'meetings');
DELETE FROM time_entry.types_of_work WHERE id IN (:'dev', :'meetings');
DELETE FROM time_entry.tasks WHERE id IN (:'project_task', :'private_task');
DELETE FROM time_entry.projects WHERE id IN (:'billable', :'internal');
DELETE FROM time_entry.users WHERE id IN (:'owner', :'lead', :'nameless');
DELETE FROM time_entry.roles WHERE id = :'lead_role';
