--
-- The batch and SQL-native faces (SPEC 2, issue 4): try_create_entry (one
-- row, exactly one of response/error set, no expected failure raised, made
-- for CROSS JOIN LATERAL), import_entries (one row per array element in
-- order, ordinals from 1, valid created and invalid reported in the same
-- call, a raised error when the argument is not an array) and the typed
-- create_entry (the stored row; problems name the argument).
--
-- The faces are called by an application role that was granted EXECUTE,
-- as the README's trust model has it.  Volatile values (ids, audit times,
-- versions) are compared, never printed.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Fixtures (ids: last two hex digits a = workspace role, b = user,
-- c = project role, d = project, e = task, f = type of work).
\set tracker_role '70000000-0000-4000-8000-0000000000a1'
\set lead '70000000-0000-4000-8000-0000000000b1'
\set user '70000000-0000-4000-8000-0000000000b2'
\set deactivated '70000000-0000-4000-8000-0000000000b3'
\set roleless '70000000-0000-4000-8000-0000000000b4'
\set nobody '70000000-0000-4000-8000-0000000000bf'
\set project '70000000-0000-4000-8000-0000000000d1'
\set task '70000000-0000-4000-8000-0000000000e1'
\set work '70000000-0000-4000-8000-0000000000f1'

-- The lead books for others and on any project task (not an admin); the
-- user is assigned to the task; the roleless user may only book for
-- themselves.
INSERT INTO time_entry.roles (id, name) VALUES (:'tracker_role', 'Batch lead');
INSERT INTO time_entry.role_permissions VALUES
	(:'tracker_role', 'project-timetracking', 'write'),
	(:'tracker_role', 'project-planning-data', 'read');
INSERT INTO time_entry.users (id, first_name, last_name, role_id, is_deactivated) VALUES
	(:'lead', 'Bea', 'Lead', :'tracker_role', false),
	(:'user', 'Bo', 'User', NULL, false),
	(:'deactivated', 'Dee', 'Gone', :'tracker_role', true),
	(:'roleless', 'Rob', 'Roleless', NULL, false);
INSERT INTO time_entry.projects (id, name, is_billable_by_default)
VALUES (:'project', 'Batch project', true);
INSERT INTO time_entry.tasks (id, name, project_id) VALUES (:'task', 'Batch task', :'project');
INSERT INTO time_entry.task_assignees VALUES (:'task', :'user');
INSERT INTO time_entry.types_of_work (id, name, icon) VALUES (:'work', 'Batching', 'box');

-- A valid request: the user books 1.5 hours on the project, overlaid with
-- the properties of a case.
CREATE FUNCTION pg_temp.req(delta jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '{"userId": "70000000-0000-4000-8000-0000000000b2",
			 "typeOfWorkId": "70000000-0000-4000-8000-0000000000f1",
			 "projectId": "70000000-0000-4000-8000-0000000000d1",
			 "timezone": "Europe/Berlin",
			 "startDateLocal": "2024-03-04",
			 "startTimeLocal": "09:00",
			 "endTimeLocal": "10:30"}'::jsonb || delta
$$;

-- The error a statement raises: SQLSTATE, code, property and message (or
-- 'no error').
CREATE FUNCTION pg_temp.error_of(stmt text,
	OUT state text, OUT code text, OUT property text, OUT message text)
LANGUAGE plpgsql
AS $$
BEGIN
	EXECUTE stmt;
	state := 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
		property = COLUMN_NAME, message = MESSAGE_TEXT;
END
$$;

DROP ROLE IF EXISTS regress_te_batch_app;
CREATE ROLE regress_te_batch_app;
GRANT EXECUTE ON FUNCTION time_entry.try_create_entry(jsonb, uuid),
	time_entry.import_entries(jsonb, uuid),
	time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer,
							uuid, uuid, text, boolean, boolean, date, uuid, uuid)
	TO regress_te_batch_app;
-- it checks what was stored by reading the table, as its owner granted
-- (PUBLIC reads no table, SPEC 10)
GRANT SELECT ON time_entry.time_entries TO regress_te_batch_app;
SET ROLE regress_te_batch_app;
RESET time_entry.actor;

--
-- try_create_entry
--

-- Success: one row, the id is the response's, no error, the row is stored.
CREATE TEMP TABLE tried AS
SELECT t.* FROM time_entry.try_create_entry(pg_temp.req(), :'user') t;
SELECT count(*) AS rows,
	   bool_and(id = (response->>'id')::uuid) AS id_is_response_id,
	   bool_and(error IS NULL) AS no_error,
	   bool_and(EXISTS (SELECT FROM time_entry.time_entries e
						 WHERE e.id = t.id AND e.created_by = :'user')) AS stored
  FROM tried t;
SELECT response->>'userId' AS user_id, response->>'projectId' AS project_id,
	   response->>'startDateUtc' AS start_date_utc, response->>'startTimeUtc' AS start_time_utc,
	   response->>'endTimeUtc' AS end_time_utc, response->>'startTimeLocal' AS start_time_local,
	   response->>'endTimeLocal' AS end_time_local, response->'duration' AS duration,
	   response->'isBillable' AS is_billable, response->'project'->>'name' AS project
  FROM tried;

-- The same request again is fine (overlaps are allowed by default).
SELECT id IS NOT NULL AS created, error FROM time_entry.try_create_entry(pg_temp.req(), :'user');

-- A running entry of the user, for the conflict case below.
SELECT id IS NOT NULL AS running_created, error
  FROM time_entry.try_create_entry(
	pg_temp.req('{"startDateLocal": "2024-03-05", "endTimeLocal": null}'), :'user');

-- Every kind of failure comes back as a row: no id, no response, the error
-- object (SPEC 7.2); nothing is raised and nothing is stored.  (The wording
-- of each message is pinned by the errors suite.)
CREATE TEMP TABLE failures (n integer, label text, entry jsonb, actor uuid);
INSERT INTO failures VALUES
	(1, 'timezone missing', pg_temp.req() - 'timezone', :'user'),
	(2, 'unknown property', pg_temp.req('{"comment": "x"}'), :'user'),
	(3, 'wrong JSON type', pg_temp.req('{"isBillable": "yes"}'), :'user'),
	(4, 'malformed uuid', pg_temp.req('{"projectId": "d1"}'), :'user'),
	(5, 'malformed time', pg_temp.req('{"startTimeLocal": "9 am"}'), :'user'),
	(6, 'UTC and local mixed', pg_temp.req('{"startDateUtc": "2024-03-04"}'), :'user'),
	(7, 'end before start', pg_temp.req('{"endDateLocal": "2024-03-03"}'), :'user'),
	(8, 'date out of range', pg_temp.req('{"startDateLocal": "1899-12-31"}'), :'user'),
	(9, 'entry is an array', '[]', :'user'),
	(10, 'entry is SQL NULL', NULL, :'user'),
	(11, 'unknown type of work', pg_temp.req('{"typeOfWorkId": "70000000-0000-4000-8000-0000000000ff"}'), :'user'),
	(12, 'unknown user', pg_temp.req('{"userId": "70000000-0000-4000-8000-0000000000bf"}'), :'lead'),
	(13, 'deactivated user', pg_temp.req('{"userId": "70000000-0000-4000-8000-0000000000b3"}'), :'lead'),
	(14, 'unknown actor', pg_temp.req(), :'nobody'),
	(15, 'deactivated actor', pg_temp.req(), :'deactivated'),
	(16, 'no actor', pg_temp.req(), NULL),
	(17, 'booking for another user', pg_temp.req(), :'roleless'),
	(18, 'task the actor is not assigned to', pg_temp.req('{"userId": "70000000-0000-4000-8000-0000000000b4", "taskId": "70000000-0000-4000-8000-0000000000e1"}'), :'roleless'),
	(19, 'already running', pg_temp.req('{"startDateLocal": "2024-03-06", "endTimeLocal": null}'), :'user'),
	(20, 'billed but not billable', pg_temp.req('{"isBillable": false, "isBilled": true}'), :'user'),
	(21, 'duration over the maximum', pg_temp.req('{"endTimeLocal": null, "duration": 90000}'), :'user');
SELECT f.n, f.label, count(t.*) AS rows,
	   bool_and(t.id IS NULL AND t.response IS NULL AND t.error IS NOT NULL) AS error_only,
	   min(t.error->>'sqlstate') AS sqlstate, min(t.error->>'code') AS code,
	   min(t.error->'validationErrors'->0->>'property') AS property,
	   bool_and(t.error->>'description' = t.error->'validationErrors'->0->>'message') AS description_is_first_message,
	   bool_and(jsonb_array_length(t.error->'validationErrors') = 1) AS one_problem
  FROM failures f
 CROSS JOIN LATERAL time_entry.try_create_entry(f.entry, f.actor) t
 GROUP BY f.n, f.label ORDER BY f.n;
SELECT count(*) AS entries_of_the_user FROM time_entry.time_entries WHERE user_id = :'user';

-- With prevent_overlaps on, an overlap is a row too: the first entry is
-- back to back with the user's two entries of 09:00-10:30, the second
-- overlaps the first.
RESET ROLE;
UPDATE time_entry.settings SET prevent_overlaps = true;
SET ROLE regress_te_batch_app;
SELECT v.n, t.id IS NOT NULL AS created, t.error->>'sqlstate' AS sqlstate, t.error->>'code' AS code,
	   t.error->'validationErrors'->0->>'property' AS property
  FROM (VALUES (1, pg_temp.req('{"startTimeLocal": "10:30", "endTimeLocal": "11:00"}')),
			   (2, pg_temp.req('{"startTimeLocal": "10:59:59", "endTimeLocal": "11:30"}'))) v(n, entry)
 CROSS JOIN LATERAL time_entry.try_create_entry(v.entry, :'user') t
 ORDER BY v.n;
RESET ROLE;
UPDATE time_entry.settings SET prevent_overlaps = false;
SET ROLE regress_te_batch_app;

-- The actor from the setting time_entry.actor when the argument is NULL.
SET time_entry.actor = :'lead';
CREATE TEMP TABLE by_setting AS
SELECT * FROM time_entry.try_create_entry(pg_temp.req('{"startDateLocal": "2024-03-07"}'));
RESET time_entry.actor;
SELECT id IS NOT NULL AS created, error,
	   (SELECT created_by FROM time_entry.time_entries e WHERE e.id = t.id) = :'lead' AS created_by_lead
  FROM by_setting t;

-- Over a staging table with CROSS JOIN LATERAL: each staged request gets
-- its row, valid ones created with the staged note, invalid ones reported.
CREATE TEMP TABLE staging (n integer, entry jsonb, actor uuid);
INSERT INTO staging VALUES
	(1, pg_temp.req('{"startDateLocal": "2024-04-01", "note": "staged 1"}'), :'user'),
	(2, pg_temp.req('{"startDateLocal": "2024-04-02", "note": "staged 2", "taskId": "70000000-0000-4000-8000-0000000000e1"}'), :'user'),
	(3, pg_temp.req('{"startDateLocal": "2024-04-03", "note": "staged 3", "timezone": "Mars/Olympus"}'), :'user'),
	(4, pg_temp.req('{"startDateLocal": "2024-04-04", "note": "staged 4"}'), :'lead'),
	(5, pg_temp.req('{"startDateLocal": "2024-04-05", "note": "staged 5"}'), :'roleless'),
	(6, pg_temp.req('{"startDateUtc": "2024-04-06T22:00:00Z", "note": "staged 6"}') - 'startDateLocal' - 'startTimeLocal' - 'endTimeLocal' || '{"duration": 7200}', :'user'),
	(7, '"not an object"', :'user');
CREATE TEMP TABLE staged_outcomes AS
SELECT s.n, t.id, t.response, t.error
  FROM staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t;
SELECT o.n, o.id IS NOT NULL AS created, (o.response IS NULL) <> (o.error IS NULL) AS exactly_one,
	   o.response->>'note' AS note, o.response->>'taskId' AS task_id,
	   o.response->>'startDateLocal' AS start_date_local, o.response->>'endTimeLocal' AS end_time_local,
	   o.error->>'sqlstate' AS sqlstate, o.error->'validationErrors'->0->>'property' AS property,
	   e.note = o.response->>'note' AS stored
  FROM staged_outcomes o
  LEFT JOIN time_entry.time_entries e ON e.id = o.id
 ORDER BY o.n;
SELECT count(*) AS staged_rows_stored
  FROM time_entry.time_entries WHERE note LIKE 'staged %';

--
-- import_entries
--

-- One row per element, in order, ordinals 1..n, whatever the element is;
-- valid elements created and invalid ones reported in the same call.
CREATE TEMP TABLE imported AS
SELECT i.*
  FROM time_entry.import_entries(jsonb_build_array(
		pg_temp.req('{"startDateLocal": "2024-05-01", "note": "import 1"}'),
		5,
		NULL,
		pg_temp.req('{"note": "import 4"}') - 'userId',
		pg_temp.req('{"startDateLocal": "2024-05-02", "note": "import 5", "userId": "70000000-0000-4000-8000-0000000000b1"}'),
		'text',
		'[]'::jsonb,
		pg_temp.req('{"startDateLocal": "2024-05-03", "note": "import 8", "taskId": "70000000-0000-4000-8000-0000000000e1"}'),
		pg_temp.req('{"startDateLocal": "2024-05-04", "note": "import 9", "userId": "70000000-0000-4000-8000-0000000000b3"}'),
		'{}'::jsonb,
		pg_temp.req('{"startDateLocal": "2024-05-05", "note": "import 11", "breakDuration": 0}')),
	:'lead') WITH ORDINALITY AS i(ordinal, id, error, n);
SELECT i.ordinal, i.n AS returned_as, i.id IS NOT NULL AS created,
	   (i.id IS NULL) <> (i.error IS NULL) AS exactly_one,
	   i.error->>'sqlstate' AS sqlstate, i.error->>'code' AS code,
	   i.error->'validationErrors'->0->>'property' AS property,
	   e.note AS stored_note
  FROM imported i
  LEFT JOIN time_entry.time_entries e ON e.id = i.id
 ORDER BY i.n;
SELECT count(*) AS import_rows_stored,
	   count(*) FILTER (WHERE created_by = :'lead') AS created_by_the_actor
  FROM time_entry.time_entries WHERE note LIKE 'import %';

-- Actor problems are rows too, one per element.
SELECT i.ordinal, i.id, i.error->>'sqlstate' AS sqlstate, i.error->>'code' AS code,
	   i.error->'validationErrors'->0->>'property' AS property
  FROM time_entry.import_entries(jsonb_build_array(pg_temp.req(), 7), NULL) i;
SELECT i.ordinal, i.id, i.error->>'sqlstate' AS sqlstate, i.error->>'code' AS code
  FROM time_entry.import_entries(jsonb_build_array(pg_temp.req()), :'nobody') i;

-- An empty array: no rows.
SELECT count(*) AS rows FROM time_entry.import_entries('[]', :'lead');

-- Not an array: a raised error (22023) naming the argument.
SELECT label, e.*
  FROM (VALUES (1, 'an object', $$SELECT * FROM time_entry.import_entries('{"userId": "x"}', '70000000-0000-4000-8000-0000000000b1')$$),
			   (2, 'a number', $$SELECT * FROM time_entry.import_entries('5', '70000000-0000-4000-8000-0000000000b1')$$),
			   (3, 'a string', $$SELECT * FROM time_entry.import_entries('"[]"', '70000000-0000-4000-8000-0000000000b1')$$),
			   (4, 'JSON null', $$SELECT * FROM time_entry.import_entries('null', '70000000-0000-4000-8000-0000000000b1')$$),
			   (5, 'SQL NULL', $$SELECT * FROM time_entry.import_entries(NULL, '70000000-0000-4000-8000-0000000000b1')$$))
	   v(n, label, stmt)
 CROSS JOIN LATERAL pg_temp.error_of(v.stmt) e
 ORDER BY v.n;

--
-- The typed create_entry
--

-- Success: the stored row comes back; the time zone in its canonical
-- spelling, the project's billable default applied.
CREATE TEMP TABLE typed AS
SELECT * FROM time_entry.create_entry(
	user_id => :'user', type_of_work_id => :'work', timezone => 'europe/berlin',
	start_at => '2024-06-03 07:00+00', end_at => '2024-06-03 08:15:30+00',
	project_id => :'project', note => 'typed', actor => :'user');
SELECT user_id = :'user' AS user_ok, project_id = :'project' AS project_ok, task_id, note, timezone,
	   date_local, start_at, end_at, duration, break_duration, is_billable, is_billed, is_external,
	   created_by = :'user' AS created_by_ok, updated_by = created_by AS updated_by_ok
  FROM typed;
SELECT (SELECT e FROM time_entry.time_entries e WHERE e.id = t.id) = t AS returned_row_is_stored
  FROM typed t;

-- The end from a duration; the project from the task; the actor from the
-- setting; a local day other than the UTC day.
SET time_entry.actor = :'user';
SELECT project_id = :'project' AS project_from_task, task_id = :'task' AS task_ok, timezone,
	   date_local, start_at, end_at, duration, is_billable
  FROM time_entry.create_entry(:'user', :'work', 'Asia/Tokyo',
	start_at => '2024-06-03 16:00+00', duration => 3600, task_id => :'task');
RESET time_entry.actor;

-- Date-only through entry_date: no start, no end, the duration, the day.
SELECT date_local, start_at, end_at, duration, timezone, is_billable
  FROM time_entry.create_entry(:'user', :'work', 'UTC', entry_date => '2024-06-04',
							   duration => 28800, actor => :'user');

-- Problems name the argument, with SPEC 7.1's SQLSTATE and code.
\set t 'SELECT * FROM time_entry.create_entry(user_id => ''70000000-0000-4000-8000-0000000000b2'', type_of_work_id => ''70000000-0000-4000-8000-0000000000f1'', actor => ''70000000-0000-4000-8000-0000000000b2'''
SELECT v.n, v.label, e.*
  FROM (VALUES
	(1, 'end_at before start_at', :'t' || ', timezone => ''UTC'', start_at => ''2024-06-05 10:00+00'', end_at => ''2024-06-05 09:00+00'')'),
	(2, 'duration negative', :'t' || ', timezone => ''UTC'', start_at => ''2024-06-05 10:00+00'', duration => -1)'),
	(3, 'duration over the maximum', :'t' || ', timezone => ''UTC'', start_at => ''2024-06-05 10:00+00'', duration => 86401)'),
	(4, 'user_id NULL', 'SELECT * FROM time_entry.create_entry(NULL, ''70000000-0000-4000-8000-0000000000f1'', ''UTC'', entry_date => ''2024-06-05'', duration => 60, actor => ''70000000-0000-4000-8000-0000000000b2'')'),
	(5, 'user_id unknown', 'SELECT * FROM time_entry.create_entry(''70000000-0000-4000-8000-0000000000bf'', ''70000000-0000-4000-8000-0000000000f1'', ''UTC'', entry_date => ''2024-06-05'', duration => 60, actor => ''70000000-0000-4000-8000-0000000000b1'')'),
	(6, 'type_of_work_id NULL', 'SELECT * FROM time_entry.create_entry(''70000000-0000-4000-8000-0000000000b2'', NULL, ''UTC'', entry_date => ''2024-06-05'', duration => 60, actor => ''70000000-0000-4000-8000-0000000000b2'')'),
	(7, 'type_of_work_id unknown', 'SELECT * FROM time_entry.create_entry(''70000000-0000-4000-8000-0000000000b2'', ''70000000-0000-4000-8000-0000000000ff'', ''UTC'', entry_date => ''2024-06-05'', duration => 60, actor => ''70000000-0000-4000-8000-0000000000b2'')'),
	(8, 'timezone unknown', :'t' || ', timezone => ''Mars/Olympus'', entry_date => ''2024-06-05'', duration => 60)'),
	(9, 'timezone NULL', :'t' || ', timezone => NULL, entry_date => ''2024-06-05'', duration => 60)'),
	(10, 'entry_date without duration', :'t' || ', timezone => ''UTC'', entry_date => ''2024-06-05'')'),
	(11, 'entry_date before 1900', :'t' || ', timezone => ''UTC'', entry_date => ''1899-12-31'', duration => 60)'),
	(12, 'entry_date infinite', :'t' || ', timezone => ''UTC'', entry_date => ''infinity'', duration => 60)'),
	(13, 'entry_date and start_at', :'t' || ', timezone => ''UTC'', entry_date => ''2024-06-05'', start_at => ''2024-06-05 10:00+00'', duration => 60)'),
	(14, 'entry_date and end_at', :'t' || ', timezone => ''UTC'', entry_date => ''2024-06-05'', end_at => ''2024-06-05 10:00+00'', duration => 60)'),
	(15, 'note too long', :'t' || ', timezone => ''UTC'', entry_date => ''2024-06-05'', duration => 60, note => repeat(''x'', 10001))'),
	(16, 'start_at infinite', :'t' || ', timezone => ''UTC'', start_at => ''infinity'', duration => 60)'),
	(17, 'start_at before 1900', :'t' || ', timezone => ''UTC'', start_at => ''1899-12-31 23:00+00'', duration => 60)'),
	(18, 'end_at infinite', :'t' || ', timezone => ''UTC'', start_at => ''2024-06-05 10:00+00'', end_at => ''infinity'')'),
	(19, 'neither start_at nor entry_date', :'t' || ', timezone => ''UTC'', duration => 60)'),
	(20, 'is_billed without is_billable', :'t' || ', timezone => ''UTC'', entry_date => ''2024-06-05'', duration => 60, is_billable => false, is_billed => true)'),
	(21, 'project_id unknown', :'t' || ', timezone => ''UTC'', entry_date => ''2024-06-05'', duration => 60, project_id => ''70000000-0000-4000-8000-0000000000df'')'),
	(22, 'no actor', 'SELECT * FROM time_entry.create_entry(''70000000-0000-4000-8000-0000000000b2'', ''70000000-0000-4000-8000-0000000000f1'', ''UTC'', entry_date => ''2024-06-05'', duration => 60)'),
	(23, 'booking for another user', 'SELECT * FROM time_entry.create_entry(''70000000-0000-4000-8000-0000000000b2'', ''70000000-0000-4000-8000-0000000000f1'', ''UTC'', entry_date => ''2024-06-05'', duration => 60, actor => ''70000000-0000-4000-8000-0000000000b4'')')
  ) v(n, label, stmt)
 CROSS JOIN LATERAL pg_temp.error_of(v.stmt) e
 ORDER BY v.n;
SELECT count(*) AS typed_failures_stored
  FROM time_entry.time_entries WHERE date_local = '2024-06-05';

-- Clean up.
RESET ROLE;
DROP OWNED BY regress_te_batch_app;
DROP ROLE regress_te_batch_app;
DELETE FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DELETE FROM time_entry.tasks WHERE id = :'task';
DELETE FROM time_entry.projects WHERE id = :'project';
DELETE FROM time_entry.users WHERE id IN (:'lead', :'user', :'deactivated', :'roleless');
DELETE FROM time_entry.roles WHERE id = :'tracker_role';
