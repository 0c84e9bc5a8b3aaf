--
-- The errors of SPEC 7: every row of the table in 7.1 raised by
-- create_entry with its SQLSTATE, code (CONSTRAINT_NAME), property
-- (COLUMN_NAME), SCHEMA_NAME and TABLE_NAME; the same problems reported by
-- validate_entry (every problem found) and try_create_entry (the error
-- column, SPEC 7.2); the typed create_entry naming its arguments; and the
-- order of the rules (the actor first).
--
-- Each case runs in a subtransaction that is rolled back, after an optional
-- setup statement (a workspace setting switched on, an entry that is
-- already there), so the cases do not affect each other.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- Fixtures (ids: last two hex digits a = workspace role, b = user,
-- d = project, e = task, f = type of work).
\set tracker_role '50000000-0000-4000-8000-0000000000a1'
\set actor '50000000-0000-4000-8000-0000000000b1'
\set user '50000000-0000-4000-8000-0000000000b2'
\set deactivated '50000000-0000-4000-8000-0000000000b3'
\set roleless '50000000-0000-4000-8000-0000000000b4'
\set nobody '50000000-0000-4000-8000-0000000000bf'
\set open_project '50000000-0000-4000-8000-0000000000d1'
\set closed_project '50000000-0000-4000-8000-0000000000d2'
\set other_project '50000000-0000-4000-8000-0000000000d3'
\set task '50000000-0000-4000-8000-0000000000e1'
\set private_task '50000000-0000-4000-8000-0000000000e2'
\set work '50000000-0000-4000-8000-0000000000f1'
\set archived_work '50000000-0000-4000-8000-0000000000f2'

-- The actor may book for others and on any project task, but is no admin:
-- the settings apply to it.
INSERT INTO time_entry.roles (id, name) VALUES (:'tracker_role', 'Tracker');
INSERT INTO time_entry.role_permissions VALUES
	(:'tracker_role', 'project-timetracking', 'write'),
	(:'tracker_role', 'project-planning-data', 'read');
INSERT INTO time_entry.users (id, first_name, last_name, role_id, is_deactivated) VALUES
	(:'actor', 'Errol', 'Actor', :'tracker_role', false),
	(:'user', 'Ursula', 'User', NULL, false),
	(:'deactivated', 'Dee', 'Activated', :'tracker_role', true),
	(:'roleless', 'Rolf', 'Roleless', NULL, false);
INSERT INTO time_entry.projects (id, name, is_closed) VALUES
	(:'open_project', 'Open', false),
	(:'closed_project', 'Closed', true),
	(:'other_project', 'Other', false);
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	(:'task', 'A project task', :'open_project'),
	(:'private_task', 'A private task of the user', NULL);
INSERT INTO time_entry.task_assignees VALUES (:'private_task', :'user');
INSERT INTO time_entry.types_of_work (id, name, is_archived) VALUES
	(:'work', 'Errors', false),
	(:'archived_work', 'Archived', true);

-- A valid request for the user, overlaid with the properties of a case.
CREATE FUNCTION pg_temp.req(delta jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '{"userId": "50000000-0000-4000-8000-0000000000b2",
			 "typeOfWorkId": "50000000-0000-4000-8000-0000000000f1",
			 "timezone": "UTC",
			 "startDateUtc": "2024-01-15T09:00:00Z",
			 "duration": 3600}'::jsonb || delta
$$;

-- What each face makes of one request, each run after setup and undone.
CREATE TYPE pg_temp.outcome AS (
	state		text,			-- create_entry: the error's fields, or 'created'
	code		text,
	property	text,
	schema_name	text,
	table_name	text,
	message		text,
	detail		text,
	hint		text,
	validated	jsonb,			-- validate_entry's result
	try_id		uuid,			-- try_create_entry's row
	try_response jsonb,
	try_error	jsonb
);

CREATE FUNCTION pg_temp.outcome(entry jsonb, actor uuid, setup text DEFAULT NULL)
RETURNS pg_temp.outcome
LANGUAGE plpgsql
AS $$
DECLARE
	o			pg_temp.outcome;
BEGIN
	BEGIN
		IF setup IS NOT NULL THEN
			EXECUTE setup;
		END IF;
		PERFORM time_entry.create_entry(entry, actor);
		o.state := 'created';
		RAISE SQLSTATE 'TE000';
	EXCEPTION
		WHEN SQLSTATE 'TE000' THEN
			NULL;
		WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS o.state = RETURNED_SQLSTATE,
				o.code = CONSTRAINT_NAME, o.property = COLUMN_NAME,
				o.schema_name = SCHEMA_NAME, o.table_name = TABLE_NAME,
				o.message = MESSAGE_TEXT, o.detail = PG_EXCEPTION_DETAIL,
				o.hint = PG_EXCEPTION_HINT;
	END;
	BEGIN
		IF setup IS NOT NULL THEN
			EXECUTE setup;
		END IF;
		o.validated := time_entry.validate_entry(entry, actor);
		RAISE SQLSTATE 'TE000';
	EXCEPTION
		WHEN SQLSTATE 'TE000' THEN
			NULL;
	END;
	BEGIN
		IF setup IS NOT NULL THEN
			EXECUTE setup;
		END IF;
		SELECT t.id, t.response, t.error INTO o.try_id, o.try_response, o.try_error
		  FROM time_entry.try_create_entry(entry, actor) t;
		RAISE SQLSTATE 'TE000';
	EXCEPTION
		WHEN SQLSTATE 'TE000' THEN
			NULL;
	END;
	RETURN o;
END
$$;

-- Setups: a setting switched on, a running entry of the user, a timed one.
\set closed_on 'UPDATE time_entry.settings SET prevent_on_closed_projects = true'
\set future_on 'UPDATE time_entry.settings SET prevent_in_future = true'
\set past_7 'UPDATE time_entry.settings SET allow_on_past_days = 7'
\set max_60 'UPDATE time_entry.settings SET max_duration = 60'
\set running 'SELECT time_entry.create_entry(pg_temp.req(''{"startDateUtc": "2024-01-10T09:00:00Z", "duration": null}''), ''50000000-0000-4000-8000-0000000000b1'')'
\set overlaps_on 'UPDATE time_entry.settings SET prevent_overlaps = true; SELECT time_entry.create_entry(pg_temp.req(''{"startDateUtc": "2024-01-15T08:00:00Z", "duration": 7200}''), ''50000000-0000-4000-8000-0000000000b1'')'

-- The rules that look at the clock get times relative to it: a running
-- entry starting a day from now, an entry 400 days after today (in UTC), so
-- that a run across midnight keeps every verdict.  The day the extension
-- takes for today is noted before and after the cases run.  The output
-- shows these as <a day from now>, <today+400> and <today> (see pg_temp.mask).
CREATE TEMP TABLE clock AS
SELECT to_char(t + interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS day_from_now,
       to_char(t::date + 400, 'YYYY-MM-DD') AS today_400,
       NULL::date AS first_day, NULL::date AS last_day
  FROM (SELECT clock_timestamp() AT TIME ZONE 'UTC' AS t) s;
SELECT day_from_now, today_400 FROM clock \gset

-- The cases: at least one for every row of SPEC 7.1.
CREATE TEMP TABLE cases (
	n			int PRIMARY KEY,
	label		text NOT NULL,
	entry		jsonb,
	actor		uuid,
	setup		text,
	spec		text NOT NULL		-- what SPEC 7.1 says: SQLSTATE code property
);
INSERT INTO cases VALUES
	-- the actor: none, unknown, deactivated
	(1, 'no actor', pg_temp.req(), NULL, NULL, '28000 unauthorized actor'),
	(2, 'unknown actor', pg_temp.req(), :'nobody', NULL, '28000 unauthorized actor'),
	(3, 'deactivated actor', pg_temp.req(), :'deactivated', NULL, '28000 unauthorized actor'),
	-- a permission of SPEC 6.4 missing
	(4, 'booking for another user without permission', pg_temp.req(), :'roleless', NULL, '42501 unauthorized userId'),
	(5, 'private task of another assignee', pg_temp.req(jsonb_build_object('userId', :'actor', 'taskId', :'private_task')), :'actor', NULL, '42501 unauthorized taskId'),
	-- the entry is not a JSON object
	(6, 'entry is an array', '[{"userId": "50000000-0000-4000-8000-0000000000b2"}]', :'actor', NULL, '22023 invalid-model entry'),
	(7, 'entry is a string', '"an entry"', :'actor', NULL, '22023 invalid-model entry'),
	(8, 'entry is a number', '42', :'actor', NULL, '22023 invalid-model entry'),
	(9, 'entry is JSON null', 'null', :'actor', NULL, '22023 invalid-model entry'),
	(10, 'entry is SQL NULL', NULL, :'actor', NULL, '22023 invalid-model entry'),
	-- required properties missing or null
	(11, 'timezone missing', pg_temp.req() - 'timezone', :'actor', NULL, '23502 validation-failed timezone'),
	(12, 'typeOfWorkId null', pg_temp.req('{"typeOfWorkId": null}'), :'actor', NULL, '23502 validation-failed typeOfWorkId'),
	(13, 'userId missing', pg_temp.req() - 'userId', :'actor', NULL, '23502 validation-failed userId'),
	(14, 'no start date', pg_temp.req() - 'startDateUtc', :'actor', NULL, '23502 validation-failed startDateUtc'),
	(15, 'empty object', '{}', :'actor', NULL, '23502 validation-failed timezone'),
	-- unknown property, wrong JSON type, mixed groups, breakDuration, end
	-- fields on a date-only entry, unknown time zone, date-only without
	-- duration
	(16, 'unknown property', pg_temp.req('{"comment": "x"}'), :'actor', NULL, '22023 validation-failed comment'),
	(17, 'property with a case slip', pg_temp.req('{"isbillable": true}'), :'actor', NULL, '22023 validation-failed isbillable'),
	(18, 'isExternal is no request property', pg_temp.req('{"isExternal": false}'), :'actor', NULL, '22023 validation-failed isExternal'),
	(19, 'boolean as a string', pg_temp.req('{"isBillable": "true"}'), :'actor', NULL, '22023 validation-failed isBillable'),
	(20, 'boolean as a number', pg_temp.req('{"isBilled": 0}'), :'actor', NULL, '22023 validation-failed isBilled'),
	(21, 'duration with a fraction', pg_temp.req('{"duration": 3600.5}'), :'actor', NULL, '22023 validation-failed duration'),
	(22, 'duration as a string', pg_temp.req('{"duration": "3600"}'), :'actor', NULL, '22023 validation-failed duration'),
	(23, 'uuid as a number', pg_temp.req('{"projectId": 42}'), :'actor', NULL, '22023 validation-failed projectId'),
	(24, 'note as an array', pg_temp.req('{"note": ["a"]}'), :'actor', NULL, '22023 validation-failed note'),
	(25, 'time zone as an object', pg_temp.req('{"timezone": {"name": "UTC"}}'), :'actor', NULL, '22023 validation-failed timezone'),
	(26, 'date as a number', pg_temp.req('{"startDateUtc": 20240115}'), :'actor', NULL, '22023 validation-failed startDateUtc'),
	(27, 'time as a boolean', pg_temp.req('{"startTimeUtc": true}'), :'actor', NULL, '22023 validation-failed startTimeUtc'),
	(28, 'mixed groups', pg_temp.req('{"endTimeLocal": "11:00"}'), :'actor', NULL, '22023 validation-failed endTimeLocal'),
	(29, 'breakDuration 5', pg_temp.req('{"breakDuration": 5}'), :'actor', NULL, '22023 validation-failed breakDuration'),
	(30, 'breakDuration "0"', pg_temp.req('{"breakDuration": "0"}'), :'actor', NULL, '22023 validation-failed breakDuration'),
	(31, 'end time on a date-only entry', pg_temp.req('{"startDateUtc": "2024-01-15", "endTimeUtc": "10:00"}'), :'actor', NULL, '22023 validation-failed endTimeUtc'),
	(32, 'end date on a date-only entry', pg_temp.req('{"startDateUtc": "2024-01-15", "endDateUtc": "2024-01-16"}'), :'actor', NULL, '22023 validation-failed endDateUtc'),
	(33, 'unknown time zone', pg_temp.req('{"timezone": "Mars/Olympus_Mons"}'), :'actor', NULL, '22023 validation-failed timezone'),
	(34, 'POSIX time zone, not a name', pg_temp.req('{"timezone": "UTC+3"}'), :'actor', NULL, '22023 validation-failed timezone'),
	(35, 'empty time zone', pg_temp.req('{"timezone": ""}'), :'actor', NULL, '22023 validation-failed timezone'),
	(36, 'date-only without duration', pg_temp.req('{"startDateUtc": "2024-01-15", "duration": null}'), :'actor', NULL, '22023 validation-failed duration'),
	-- malformed uuid
	(37, 'uuid malformed', pg_temp.req('{"userId": "not-a-uuid"}'), :'actor', NULL, '22P02 validation-failed userId'),
	(38, 'uuid without hyphens', pg_temp.req('{"typeOfWorkId": "50000000000040008000000000000f1"}'), :'actor', NULL, '22P02 validation-failed typeOfWorkId'),
	(39, 'uuid in braces', pg_temp.req('{"taskId": "{50000000-0000-4000-8000-0000000000e1}"}'), :'actor', NULL, '22P02 validation-failed taskId'),
	(40, 'uuid one digit short', pg_temp.req('{"projectId": "50000000-0000-4000-8000-0000000000d"}'), :'actor', NULL, '22P02 validation-failed projectId'),
	-- malformed date or time, non-UTC offset, local time that does not exist
	(41, 'month 13', pg_temp.req('{"startDateUtc": "2024-13-01"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(42, 'February 30', pg_temp.req('{"startDateUtc": "2024-02-30"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(43, 'February 29 of a common year', pg_temp.req('{"startDateUtc": "2023-02-29"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(44, 'day first', pg_temp.req('{"startDateUtc": "15.01.2024"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(45, 'one-digit month', pg_temp.req('{"startDateUtc": "2024-1-15"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(46, 'lower-case t', pg_temp.req('{"startDateUtc": "2024-01-15t09:00:00Z"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(47, 'space instead of T', pg_temp.req('{"startDateUtc": "2024-01-15 09:00:00Z"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(48, 'hour 25', pg_temp.req('{"startTimeUtc": "25:00"}'), :'actor', NULL, '22007 validation-failed startTimeUtc'),
	(49, 'hour 24', pg_temp.req('{"endTimeUtc": "24:00"}'), :'actor', NULL, '22007 validation-failed endTimeUtc'),
	(50, 'one-digit hour', pg_temp.req('{"startTimeUtc": "9:00"}'), :'actor', NULL, '22007 validation-failed startTimeUtc'),
	(51, 'second 60', pg_temp.req('{"startTimeUtc": "09:00:60"}'), :'actor', NULL, '22007 validation-failed startTimeUtc'),
	(52, '8 fraction digits', pg_temp.req('{"startTimeUtc": "09:00:00.12345678"}'), :'actor', NULL, '22007 validation-failed startTimeUtc'),
	(53, 'fraction without digits', pg_temp.req('{"startTimeUtc": "09:00:00."}'), :'actor', NULL, '22007 validation-failed startTimeUtc'),
	(54, 'time with an offset', pg_temp.req('{"startTimeUtc": "09:00Z"}'), :'actor', NULL, '22007 validation-failed startTimeUtc'),
	(55, 'UTC date with +01:00', pg_temp.req('{"startDateUtc": "2024-01-15T09:00:00+01:00"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(56, 'UTC date with -00:00', pg_temp.req('{"startDateUtc": "2024-01-15T09:00:00-00:00"}'), :'actor', NULL, '22007 validation-failed startDateUtc'),
	(57, 'local date with Z', pg_temp.req('{"startDateUtc": null, "startDateLocal": "2024-01-15T09:00:00Z"}'), :'actor', NULL, '22007 validation-failed startDateLocal'),
	(58, 'local time in the DST gap', pg_temp.req('{"timezone": "Europe/Berlin", "startDateUtc": null, "startDateLocal": "2024-03-31T02:30:00"}'), :'actor', NULL, '22007 validation-failed startDateLocal'),
	-- date outside 1900-9999
	(59, 'year 1899', pg_temp.req('{"startDateUtc": "1899-12-31T09:00:00Z"}'), :'actor', NULL, '22008 date-out-of-range startDateUtc'),
	(60, 'year 10000', pg_temp.req('{"endDateUtc": "10000-01-01T00:00:00Z"}'), :'actor', NULL, '22008 date-out-of-range endDateUtc'),
	-- end before start
	(61, 'end before start', pg_temp.req('{"endDateUtc": "2024-01-15T08:59:59Z"}'), :'actor', NULL, '23514 date-dependency endDateUtc'),
	-- duration negative, zero on a date-only entry, over max_duration
	(62, 'negative duration', pg_temp.req('{"duration": -60}'), :'actor', NULL, '22003 value-out-of-range duration'),
	(63, 'zero duration on a date-only entry', pg_temp.req('{"startDateUtc": "2024-01-15", "duration": 0}'), :'actor', NULL, '22003 value-out-of-range duration'),
	(64, 'duration over max_duration 60', pg_temp.req('{"duration": 61}'), :'actor', :'max_60', '22003 value-out-of-range duration'),
	(65, 'duration over the default max_duration', pg_temp.req('{"duration": 86401}'), :'actor', NULL, '22003 value-out-of-range duration'),
	-- note over 10 000 characters
	(66, 'note of 10 001 characters', pg_temp.req(jsonb_build_object('note', repeat('x', 10001))), :'actor', NULL, '22001 value-out-of-range note'),
	(67, 'note of 10 001 two-byte characters', pg_temp.req(jsonb_build_object('note', repeat('é', 10001))), :'actor', NULL, '22001 value-out-of-range note'),
	-- user, type of work, project or task not found
	(68, 'user not found', pg_temp.req(jsonb_build_object('userId', :'nobody')), :'actor', NULL, '23503 not-found userId'),
	(69, 'type of work not found', pg_temp.req('{"typeOfWorkId": "50000000-0000-4000-8000-0000000000ff"}'), :'actor', NULL, '23503 not-found typeOfWorkId'),
	(70, 'project not found', pg_temp.req('{"projectId": "50000000-0000-4000-8000-0000000000df"}'), :'actor', NULL, '23503 not-found projectId'),
	(71, 'task not found', pg_temp.req('{"taskId": "50000000-0000-4000-8000-0000000000ef"}'), :'actor', NULL, '23503 not-found taskId'),
	-- type of work archived, user deactivated
	(72, 'type of work archived', pg_temp.req(jsonb_build_object('typeOfWorkId', :'archived_work')), :'actor', NULL, '55000 entity-archived typeOfWorkId'),
	(73, 'user deactivated', pg_temp.req(jsonb_build_object('userId', :'deactivated')), :'actor', NULL, '55000 deactivated-user userId'),
	-- task/project mismatch, isBilled without isBillable, closed project
	(74, 'task of another project', pg_temp.req(jsonb_build_object('taskId', :'task', 'projectId', :'other_project')), :'actor', NULL, '23514 invalid-operation projectId'),
	(75, 'private task with a project', pg_temp.req(jsonb_build_object('userId', :'actor', 'taskId', :'private_task', 'projectId', :'open_project')), :'actor', NULL, '23514 invalid-operation projectId'),
	(76, 'isBilled, isBillable false', pg_temp.req('{"isBilled": true, "isBillable": false}'), :'actor', NULL, '23514 invalid-operation isBilled'),
	(77, 'isBilled, not billable by default', pg_temp.req('{"isBilled": true}'), :'actor', NULL, '23514 invalid-operation isBilled'),
	(78, 'closed project', pg_temp.req(jsonb_build_object('projectId', :'closed_project')), :'actor', :'closed_on', '23514 invalid-operation projectId'),
	-- running start in the future, prevent_in_future, allow_on_past_days
	(79, 'running entry starting a day from now', pg_temp.req(jsonb_build_object('startDateUtc', :'day_from_now') || '{"duration": null}'), :'actor', NULL, '22008 date-out-of-range startDateUtc'),
	(80, 'prevent_in_future', pg_temp.req(jsonb_build_object('startDateUtc', :'today_400' || 'T09:00:00Z')), :'actor', :'future_on', '22008 date-out-of-range startDateUtc'),
	(81, 'allow_on_past_days 7', pg_temp.req('{"startDateUtc": "2000-01-15T09:00:00Z"}'), :'actor', :'past_7', '22008 date-out-of-range startDateUtc'),
	-- the user already has a running entry
	(82, 'second running entry', pg_temp.req('{"duration": null}'), :'actor', :'running', '23505 invalid-operation userId'),
	-- overlap under prevent_overlaps
	(83, 'overlap', pg_temp.req(), :'actor', :'overlaps_on', '23P01 invalid-operation userId');

UPDATE clock SET first_day = (clock_timestamp() AT TIME ZONE 'UTC')::date;
CREATE TEMP TABLE results AS
SELECT c.n, c.label, c.spec, (pg_temp.outcome(c.entry, c.actor, c.setup)).*
  FROM cases c;
UPDATE clock SET last_day = (clock_timestamp() AT TIME ZONE 'UTC')::date;

-- Every row of SPEC 7.1 at least once: the problem create_entry raises and
-- whether it is the one the SPEC names.
SELECT n, label, concat_ws(' ', state, code, property) AS raised,
       concat_ws(' ', state, code, property) = spec AS as_spec
  FROM results ORDER BY n;

-- Every error names the table (SPEC 7.1): the cases that do not.
SELECT n, label, schema_name, table_name
  FROM results
 WHERE schema_name IS DISTINCT FROM 'time_entry' OR table_name IS DISTINCT FROM 'time_entries'
 ORDER BY n;

-- The message, DETAIL and HINT of each (the id of another entry masked,
-- and the values relative to the clock: "Today is <today>" only when that
-- day is the clock's while the cases ran, else the day shows).
CREATE FUNCTION pg_temp.mask(t text) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT replace(replace(
			CASE WHEN (regexp_match(t, 'Today is (\d{4}-\d\d-\d\d) '))[1]::date BETWEEN c.first_day AND c.last_day
				 THEN regexp_replace(t, 'Today is \d{4}-\d\d-\d\d ', 'Today is <today> ') ELSE t END,
			c.today_400, '<today+400>'), c.day_from_now, '<a day from now>')
	  FROM clock c
$$;
\pset format unaligned
\pset fieldsep ' | '
SELECT n, pg_temp.mask(message) AS message,
       pg_temp.mask(regexp_replace(detail, '[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid7>')) AS detail,
       hint
  FROM results ORDER BY n;
\pset format aligned

-- The codes of SPEC 7.1 all occur.
SELECT count(DISTINCT state) AS sqlstates, count(DISTINCT code) AS codes,
       array_agg(DISTINCT state ORDER BY state) AS all_sqlstates
  FROM results;

--
-- validate_entry reports the same first problem (code, sqlstate, and the
-- property and message of the first validation error) and every problem it
-- found; try_create_entry returns the same error object in its error
-- column and nothing else.
--
SELECT n, label,
       validated->>'code' = code AND validated->>'sqlstate' = state
		AND validated->'validationErrors'->0->>'property' = property
		AND validated->'validationErrors'->0->>'message' = message
		AND validated->>'description' = message AS validate_agrees,
       try_id IS NULL AND try_response IS NULL
		AND try_error->>'code' = code AND try_error->>'sqlstate' = state
		AND try_error->'validationErrors'->0->>'property' = property
		AND try_error->'validationErrors'->0->>'message' = message AS try_agrees,
       jsonb_array_length(try_error->'validationErrors') AS try_errors,
       ARRAY(SELECT e->>'property' FROM jsonb_array_elements(validated->'validationErrors') e) AS validate_properties
  FROM results ORDER BY n;

-- The error object has exactly the keys of SPEC 7.2.
SELECT DISTINCT ARRAY(SELECT jsonb_object_keys(validated) ORDER BY 1) AS error_keys,
       ARRAY(SELECT jsonb_object_keys(validated->'validationErrors'->0) ORDER BY 1) AS validation_error_keys
  FROM results;
SELECT jsonb_pretty(validated) FROM results WHERE n = 17;

-- The requests that are valid: validate_entry gives NULL, try_create_entry
-- a response and no error.
SELECT label, o.state AS create_entry, o.validated AS validate_entry, o.try_error,
       o.try_id IS NOT NULL AND o.try_response->>'note' IS NOT DISTINCT FROM v.e->>'note' AS try_response
  FROM (VALUES
	('the base request', pg_temp.req('{"note": "base"}')),
	('breakDuration 0', pg_temp.req('{"breakDuration": 0, "note": "b0"}')),
	('breakDuration 0.0', pg_temp.req('{"breakDuration": 0.0, "note": "b00"}')),
	('duration 3600.0 (integral)', pg_temp.req('{"duration": 3600.0, "note": "d"}')),
	('duration 3.6e3 (integral)', pg_temp.req('{"duration": 3.6e3, "note": "e"}')),
	('upper-case uuid', pg_temp.req('{"typeOfWorkId": "50000000-0000-4000-8000-0000000000F1", "note": "U"}')),
	('note of 10 000 characters', pg_temp.req(jsonb_build_object('note', repeat('x', 10000)))),
	('note of 10 000 two-byte characters', pg_temp.req(jsonb_build_object('note', repeat('é', 10000)))),
	('note of 10 000 four-byte characters', pg_temp.req(jsonb_build_object('note', repeat('🕒', 10000)))),
	('empty note', pg_temp.req('{"note": ""}')),
	('all optional properties null', pg_temp.req('{"note": null, "taskId": null, "projectId": null, "isBillable": null, "isBilled": null,
		"startTimeUtc": null, "endDateUtc": null, "endTimeUtc": null, "startDateLocal": null, "startTimeLocal": null,
		"endDateLocal": null, "endTimeLocal": null, "breakDuration": null}'))
  ) v(label, e)
  CROSS JOIN LATERAL pg_temp.outcome(v.e, :'actor') o;

--
-- validate_entry lists every problem it finds, in order.
--
-- four independent problems
SELECT jsonb_pretty(time_entry.validate_entry(pg_temp.req(jsonb_build_object(
	'comment', 'unknown', 'isBillable', 'true', 'userId', 'not-a-uuid', 'note', repeat('x', 10001))), :'actor'));
-- problems of every stage: actor, shape, time
SELECT jsonb_pretty(time_entry.validate_entry('{"timezone": "Mars/Base", "userId": "50000000-0000-4000-8000-0000000000b2",
	"startDateUtc": "2024-01-15", "endTimeUtc": "10:00", "breakDuration": 1}', :'nobody'));
-- references and defaults
SELECT jsonb_pretty(time_entry.validate_entry(pg_temp.req(jsonb_build_object(
	'typeOfWorkId', :'archived_work', 'userId', :'deactivated', 'isBilled', true)), :'actor'));
-- both permissions, a setting and defaults
SELECT jsonb_pretty(time_entry.validate_entry(pg_temp.req(jsonb_build_object(
	'taskId', :'private_task', 'isBilled', true, 'duration', 86401)), :'roleless'));
-- nothing was written by any of that
SELECT count(*) AS entries FROM time_entry.time_entries WHERE type_of_work_id IN (:'work', :'archived_work');

--
-- The order of the rules: the actor comes first, even before a request that
-- is not an object; shape before references; the first unknown property in
-- jsonb's key order.
--
SELECT n, label, concat_ws(' ', (o).state, (o).code, (o).property) AS raised
  FROM (SELECT n, label, pg_temp.outcome(e, a) AS o FROM (VALUES
	(1, 'no actor and not an object', '[]'::jsonb, NULL::uuid),
	(2, 'no actor and SQL NULL', NULL, NULL),
	(3, 'unknown actor and an unknown property', pg_temp.req('{"comment": 1}'), :'nobody'),
	(4, 'deactivated actor and a bad date', pg_temp.req('{"startDateUtc": "soon"}'), :'deactivated'),
	(5, 'bad date before unknown user', pg_temp.req(jsonb_build_object('userId', :'nobody', 'startDateUtc', 'soon')), :'actor'),
	(6, 'unknown property before a bad type', pg_temp.req('{"zzz": 1, "isBillable": "yes"}'), :'actor'),
	(7, 'shorter unknown key first', pg_temp.req('{"bbbbbb": 1, "aaaaaaa": 2}'), :'actor'),
	(8, 'wrong type before required', pg_temp.req('{"isBilled": "no"}') - 'userId', :'actor'),
	(9, 'time before references', pg_temp.req(jsonb_build_object('userId', :'nobody', 'endDateUtc', '2024-01-15T08:00:00Z')), :'actor'),
	(10, 'references before permissions', pg_temp.req('{"taskId": "50000000-0000-4000-8000-0000000000ef"}'), :'roleless'),
	(11, 'permissions before settings', pg_temp.req(jsonb_build_object('projectId', :'closed_project')), :'roleless')
  ) v(n, label, e, a)) s
 ORDER BY n;

-- The actor from the setting counts like the argument.
BEGIN;
SET LOCAL time_entry.actor = '50000000-0000-4000-8000-0000000000bf';
SELECT concat_ws(' ', (o).state, (o).code, (o).property) AS unknown_actor_from_setting
  FROM pg_temp.outcome(pg_temp.req(), NULL) o;
SET LOCAL time_entry.actor = '50000000-0000-4000-8000-0000000000b3';
SELECT concat_ws(' ', (o).state, (o).code, (o).property) AS deactivated_actor_from_setting
  FROM pg_temp.outcome(pg_temp.req(), NULL) o;
ROLLBACK;

-- A few errors as the client sees them.
SELECT time_entry.create_entry(pg_temp.req('{"isbillable": true}'), :'actor');
SELECT time_entry.create_entry(pg_temp.req('{"duration": 3600.5}'), :'actor');
SELECT time_entry.create_entry(pg_temp.req('{"isBillable": "true"}'), :'actor');
SELECT time_entry.create_entry(pg_temp.req('{"startDateUtc": "2024-01-15T09:00:00+01:00"}'), :'actor');
SELECT time_entry.create_entry(NULL, :'actor');
SELECT time_entry.create_entry(pg_temp.req());

--
-- The typed create_entry: the same rules, the problems name the argument.
--
CREATE FUNCTION pg_temp.typed(call text) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
	state text; code text; property text; message text; schema_name text; table_name text;
BEGIN
	BEGIN
		EXECUTE 'SELECT time_entry.create_entry(' || call || ')';
		RAISE SQLSTATE 'TE000';
	EXCEPTION
		WHEN SQLSTATE 'TE000' THEN
			RETURN 'created';
		WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
				property = COLUMN_NAME, message = MESSAGE_TEXT,
				schema_name = SCHEMA_NAME, table_name = TABLE_NAME;
			RETURN concat_ws(' ', state, code, property, schema_name || '.' || table_name) || ': ' || message;
	END;
END
$$;
\set t 'user_id => ''50000000-0000-4000-8000-0000000000b2'', type_of_work_id => ''50000000-0000-4000-8000-0000000000f1'', actor => ''50000000-0000-4000-8000-0000000000b1'''
SELECT n, label, pg_temp.typed(call) FROM (VALUES
	(1, 'valid', :'t' || ', timezone => ''UTC'', start_at => ''2024-01-15 09:00+00'', duration => 60'),
	(2, 'valid date-only', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60'),
	(3, 'no actor', 'user_id => ''50000000-0000-4000-8000-0000000000b2'', type_of_work_id => ''50000000-0000-4000-8000-0000000000f1'', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60'),
	(4, 'user_id NULL', 'user_id => NULL, type_of_work_id => ''50000000-0000-4000-8000-0000000000f1'', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, actor => ''50000000-0000-4000-8000-0000000000b1'''),
	(5, 'type_of_work_id NULL', 'user_id => ''50000000-0000-4000-8000-0000000000b2'', type_of_work_id => NULL, timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, actor => ''50000000-0000-4000-8000-0000000000b1'''),
	(6, 'timezone NULL', :'t' || ', timezone => NULL, entry_date => ''2024-01-15'', duration => 60'),
	(7, 'unknown timezone', :'t' || ', timezone => ''Mars/Base'', entry_date => ''2024-01-15'', duration => 60'),
	(8, 'no start_at nor entry_date', :'t' || ', timezone => ''UTC'', duration => 60'),
	(9, 'start_at and entry_date', :'t' || ', timezone => ''UTC'', start_at => ''2024-01-15 09:00+00'', entry_date => ''2024-01-15'', duration => 60'),
	(10, 'end_at before start_at', :'t' || ', timezone => ''UTC'', start_at => ''2024-01-15 09:00+00'', end_at => ''2024-01-15 08:00+00'''),
	(11, 'end_at on a date-only entry', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', end_at => ''2024-01-15 08:00+00'', duration => 60'),
	(12, 'date-only without duration', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'''),
	(13, 'negative duration', :'t' || ', timezone => ''UTC'', start_at => ''2024-01-15 09:00+00'', duration => -1'),
	(14, 'zero duration on a date-only entry', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 0'),
	(15, 'duration over max_duration', :'t' || ', timezone => ''UTC'', start_at => ''2024-01-15 09:00+00'', duration => 86401'),
	(16, 'end_at over max_duration', :'t' || ', timezone => ''UTC'', start_at => ''2024-01-15 09:00+00'', end_at => ''2024-01-16 09:00:01+00'''),
	(17, 'start_at in 1899', :'t' || ', timezone => ''UTC'', start_at => ''1899-12-31 09:00+00'', duration => 60'),
	(18, 'start_at infinity', :'t' || ', timezone => ''UTC'', start_at => ''infinity'', duration => 60'),
	(19, 'entry_date in 10000', :'t' || ', timezone => ''UTC'', entry_date => ''10000-01-01'', duration => 60'),
	(20, 'start_at in 1899 in New York', :'t' || ', timezone => ''America/New_York'', start_at => ''1900-01-01 00:30+00'', duration => 60'),
	(21, 'note of 10 001 characters', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, note => repeat(''é'', 10001)'),
	(22, 'note of 10 000 characters', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, note => repeat(''é'', 10000)'),
	(23, 'unknown user', 'user_id => ''50000000-0000-4000-8000-0000000000bf'', type_of_work_id => ''50000000-0000-4000-8000-0000000000f1'', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, actor => ''50000000-0000-4000-8000-0000000000b1'''),
	(24, 'archived type of work', 'user_id => ''50000000-0000-4000-8000-0000000000b2'', type_of_work_id => ''50000000-0000-4000-8000-0000000000f2'', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, actor => ''50000000-0000-4000-8000-0000000000b1'''),
	(25, 'unknown project', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, project_id => ''50000000-0000-4000-8000-0000000000df'''),
	(26, 'unknown task', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, task_id => ''50000000-0000-4000-8000-0000000000ef'''),
	(27, 'task of another project', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, task_id => ''50000000-0000-4000-8000-0000000000e1'', project_id => ''50000000-0000-4000-8000-0000000000d3'''),
	(28, 'is_billed without is_billable', :'t' || ', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, is_billed => true'),
	(29, 'no permission', 'user_id => ''50000000-0000-4000-8000-0000000000b2'', type_of_work_id => ''50000000-0000-4000-8000-0000000000f1'', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, actor => ''50000000-0000-4000-8000-0000000000b4'''),
	(30, 'private task of another assignee', 'user_id => ''50000000-0000-4000-8000-0000000000b1'', type_of_work_id => ''50000000-0000-4000-8000-0000000000f1'', timezone => ''UTC'', entry_date => ''2024-01-15'', duration => 60, task_id => ''50000000-0000-4000-8000-0000000000e2'', actor => ''50000000-0000-4000-8000-0000000000b1'''),
	(31, 'running start_at a day from now', :'t' || ', timezone => ''UTC'', start_at => clock_timestamp() + interval ''1 day''')
) v(n, label, call) ORDER BY n;

-- A date-only entry with a day rule on and no usable time zone: the day
-- rules need the zone ("today" is local), so only the zone is reported
-- (this crashed the server once).
BEGIN;
UPDATE time_entry.settings SET prevent_in_future = true, allow_on_past_days = 0;
SELECT e->>'code' AS code, e->'validationErrors' AS problems
  FROM (VALUES (time_entry.validate_entry(jsonb_build_object('userId', :'actor', 'typeOfWorkId', :'work',
			'startDateUtc', :'today_400', 'duration', 60), :'actor')),
		(time_entry.validate_entry(jsonb_build_object('userId', :'actor', 'typeOfWorkId', :'work',
			'timezone', 'Mars/Olympus', 'startDateUtc', '1990-01-15', 'duration', 60), :'actor'))) v(e);
ROLLBACK;

-- Clean up.
DELETE FROM time_entry.time_entries WHERE type_of_work_id IN (:'work', :'archived_work');
DELETE FROM time_entry.types_of_work WHERE id IN (:'work', :'archived_work');
DELETE FROM time_entry.tasks WHERE id IN (:'task', :'private_task');
DELETE FROM time_entry.projects WHERE id IN (:'open_project', :'closed_project', :'other_project');
DELETE FROM time_entry.users WHERE id IN (:'actor', :'user', :'deactivated', :'roleless');
DELETE FROM time_entry.roles WHERE id = :'tracker_role';
