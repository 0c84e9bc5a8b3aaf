--
-- The workspace settings of SPEC 6.5 (and max_duration of SPEC 4.8), each
-- on and off, the admin exemption for each, and the boundaries: with
-- prevent_in_future today is allowed, with allow_on_past_days = N exactly N
-- days ago is allowed, and "today" is the day in the entry's time zone.
-- Pacific/Kiritimati (UTC+14) and Pacific/Pago_Pago (UTC-11) are 25 hours
-- apart, so their calendar days always differ: an entry on today's date in
-- Kiritimati is in the future in Pago Pago, one on the date seven days
-- before today in Pago Pago is more than seven days ago in Kiritimati.
--
-- Every entry is the actor's own, so no permission is involved.  "Today"
-- is taken from the clock when a test is built, and the extension reads the
-- clock again when it runs: a midnight in one of the zones used here
-- (UTC, Kiritimati, Pago Pago, Berlin) between the two would make a test
-- wrong.  So the tests wait for a midnight less than a minute away to pass
-- first, and the last one checks that no midnight passed while they ran.
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
SET LOCAL datestyle = 'ISO, YMD';

INSERT INTO time_entry.roles (id, name, is_admin) VALUES ('80000000-0000-4000-8000-0000000000a1', 'Admin', true);
INSERT INTO time_entry.users (id, first_name, role_id) VALUES
	('80000000-0000-4000-8000-0000000000b1', 'Member', NULL),
	('80000000-0000-4000-8000-0000000000b2', 'Admin', '80000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.projects (id, name, is_closed) VALUES
	('80000000-0000-4000-8000-0000000000d1', 'Open', false),
	('80000000-0000-4000-8000-0000000000d2', 'Closed', true);
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	('80000000-0000-4000-8000-0000000000e2', 'Task of the closed project', '80000000-0000-4000-8000-0000000000d2');
INSERT INTO time_entry.task_assignees VALUES
	('80000000-0000-4000-8000-0000000000e2', '80000000-0000-4000-8000-0000000000b1');
INSERT INTO time_entry.types_of_work (id, name) VALUES ('80000000-0000-4000-8000-0000000000f1', 'Work');

-- A request: 60 s at 2024-01-15 09:00 UTC unless extra says otherwise; a
-- case that gives a local start drops the UTC one.
CREATE FUNCTION pg_temp.request(extra jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN extra ? 'startDateLocal' THEN r - 'startDateUtc' ELSE r END
	  FROM (SELECT jsonb_build_object('typeOfWorkId', '80000000-0000-4000-8000-0000000000f1', 'timezone', 'UTC',
									  'startDateUtc', '2024-01-15T09:00:00Z', 'duration', 60) || extra AS r) s
$$;

-- The statement creating an entry of the actor ('member' or 'admin'): 60 s
-- at 2024-01-15 09:00 UTC unless the case says otherwise.
CREATE FUNCTION pg_temp.create(who text, extra jsonb DEFAULT '{}') RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT format('SELECT time_entry.create_entry(%L::jsonb, %L::uuid)',
				  pg_temp.request(jsonb_build_object('userId', u) || extra), u)
	  FROM (SELECT CASE who WHEN 'member' THEN '80000000-0000-4000-8000-0000000000b1'
							 WHEN 'admin' THEN '80000000-0000-4000-8000-0000000000b2' END::uuid AS u) s
$$;

-- validate_entry's answer for the member, in short: code, sqlstate and
-- the properties of the validation errors; NULL when valid.
CREATE FUNCTION pg_temp.validation(extra jsonb) RETURNS text
LANGUAGE sql VOLATILE
AS $$
	SELECT v->>'code' || ' ' || (v->>'sqlstate') || ' '
		   || ARRAY(SELECT e->>'property' FROM jsonb_array_elements(v->'validationErrors') e)::text
	  FROM time_entry.validate_entry(
			pg_temp.request(jsonb_build_object('userId', '80000000-0000-4000-8000-0000000000b1') || extra),
			'80000000-0000-4000-8000-0000000000b1') v
$$;

-- Today, and a day some days from today, in a time zone, as YYYY-MM-DD.
CREATE FUNCTION pg_temp.day(tz text, offset_days int DEFAULT 0) RETURNS text
LANGUAGE sql VOLATILE
AS $$ SELECT to_char((clock_timestamp() AT TIME ZONE tz)::date + offset_days, 'YYYY-MM-DD') $$;

-- The first midnight after t in the zones of these tests.
CREATE FUNCTION pg_temp.next_midnight(t timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
	SELECT min((date_trunc('day', t AT TIME ZONE z) + interval '1 day') AT TIME ZONE z)
	  FROM unnest(ARRAY['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Berlin']) z
$$;

-- Wait for a midnight less than a minute away to pass; note when the tests
-- start.
DO $$
DECLARE
	m timestamptz := pg_temp.next_midnight(clock_timestamp());
BEGIN
	IF m - clock_timestamp() < interval '1 minute' THEN
		PERFORM pg_sleep(extract(epoch FROM m - clock_timestamp()) + 0.01);
	END IF;
END
$$;
CREATE TEMP TABLE started AS SELECT clock_timestamp() AS at;

SELECT plan(65);

SELECT results_eq($$SELECT max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days
					  FROM time_entry.settings$$,
				  $$VALUES (86400, false, false, NULL::int)$$,
				  'the settings start at their defaults');

--
-- max_duration: 86400 by default, any positive limit, NULL for none.
--
SELECT lives_ok(pg_temp.create('member', '{"duration": 86400}'), 'max_duration 86400 (default): 86400 s are allowed');
SELECT throws_ok(pg_temp.create('member', '{"duration": 86401}'), '22003',
				 'property "duration" makes the entry 86401 seconds long, more than the workspace''s maximum of 86400',
				 'max_duration 86400 (default): 86401 s are refused');
UPDATE time_entry.settings SET max_duration = 3600;
SELECT lives_ok(pg_temp.create('member', '{"duration": 3600}'), 'max_duration 3600: 3600 s are allowed');
SELECT throws_ok(pg_temp.create('member', '{"duration": 3601}'), '22003',
				 'property "duration" makes the entry 3601 seconds long, more than the workspace''s maximum of 3600',
				 'max_duration 3600: a duration of 3601 s is refused');
SELECT throws_ok(pg_temp.create('member', '{"startDateUtc": "2024-01-15", "duration": 3601}'), '22003',
				 'property "duration" makes the entry 3601 seconds long, more than the workspace''s maximum of 3600',
				 'max_duration 3600: a date-only entry of 3601 s is refused');
SELECT throws_ok(pg_temp.create('member', '{"startTimeUtc": "09:00", "endTimeUtc": "10:00:01", "duration": null}'), '22003',
				 'property "endTimeUtc" makes the entry 3601 seconds long, more than the workspace''s maximum of 3600',
				 'max_duration 3600: an end 3601 s after the start is refused');
SELECT lives_ok(pg_temp.create('member', '{"startTimeUtc": "09:00", "endTimeUtc": "10:00", "duration": 99999}'),
				'max_duration 3600: a duration given with an end is ignored, the end''s 3600 s count');
SELECT is(pg_temp.validation('{"duration": 3601}'), 'value-out-of-range 22003 {duration}',
		  'max_duration 3600: validate_entry names duration');
SELECT lives_ok(pg_temp.create('admin', '{"duration": 86400}'), 'max_duration 3600: an admin is exempt');
UPDATE time_entry.settings SET max_duration = NULL;
SELECT lives_ok(pg_temp.create('member', '{"startDateUtc": "2024-02-15", "duration": 1000000}'),
				'max_duration NULL: no limit (a date-only entry of 1 000 000 s)');
SELECT lives_ok(pg_temp.create('member', '{"startDateUtc": "2024-03-01T09:00:00Z", "endDateUtc": "2024-04-01T09:00:00Z", "duration": null}'),
				'max_duration NULL: no limit (a month)');
SELECT throws_ok(pg_temp.create('member', '{"duration": -1}'), '22003', NULL,
				 'max_duration NULL: a negative duration is still refused');
UPDATE time_entry.settings SET max_duration = DEFAULT;

--
-- prevent_on_closed_projects
--
SELECT lives_ok(pg_temp.create('member', '{"projectId": "80000000-0000-4000-8000-0000000000d2"}'),
				'prevent_on_closed_projects off: a closed project is allowed');
UPDATE time_entry.settings SET prevent_on_closed_projects = true;
SELECT throws_ok(pg_temp.create('member', '{"projectId": "80000000-0000-4000-8000-0000000000d2"}'), '23514',
				 'project 80000000-0000-4000-8000-0000000000d2 of property "projectId" is closed',
				 'prevent_on_closed_projects on: a closed project is refused');
SELECT throws_ok(pg_temp.create('member', '{"taskId": "80000000-0000-4000-8000-0000000000e2"}'), '23514',
				 'project 80000000-0000-4000-8000-0000000000d2 of property "taskId" is closed',
				 'prevent_on_closed_projects on: a task of a closed project is refused');
SELECT is(pg_temp.validation('{"projectId": "80000000-0000-4000-8000-0000000000d2"}'), 'invalid-operation 23514 {projectId}',
		  'prevent_on_closed_projects on: validate_entry names projectId');
SELECT lives_ok(pg_temp.create('member', '{"projectId": "80000000-0000-4000-8000-0000000000d1"}'),
				'prevent_on_closed_projects on: an open project is allowed');
SELECT lives_ok(pg_temp.create('member'), 'prevent_on_closed_projects on: no project is allowed');
SELECT lives_ok(pg_temp.create('admin', '{"projectId": "80000000-0000-4000-8000-0000000000d2"}'),
				'prevent_on_closed_projects on: an admin is exempt');
UPDATE time_entry.settings SET prevent_on_closed_projects = false;

--
-- prevent_in_future: days after today in the entry's time zone are
-- refused; today is allowed, whatever the time of day.
--
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1))),
				'prevent_in_future off: tomorrow is allowed');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 400))),
				'prevent_in_future off: next year is allowed');
UPDATE time_entry.settings SET prevent_in_future = true;
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC'))),
				'prevent_in_future on: today (UTC, date-only) is allowed');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC') || 'T23:59:00Z')),
				'prevent_in_future on: today at 23:59 (UTC) is allowed, even if that is later than now');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1))), '22008',
				 format('property "startDateUtc" puts the entry on %s, a day in the future', pg_temp.day('UTC', 1)),
				 'prevent_in_future on: tomorrow (UTC, date-only) is refused');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1) || 'T00:00:01Z')), '22008',
				 format('property "startDateUtc" puts the entry on %s, a day in the future', pg_temp.day('UTC', 1)),
				 'prevent_in_future on: tomorrow 00:00:01 (UTC) is refused');
SELECT is(pg_temp.validation(jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1))), 'date-out-of-range 22008 {startDateUtc}',
		  'prevent_in_future on: validate_entry names the start property');
-- the local day
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				'startDateLocal', pg_temp.day('Pacific/Kiritimati'))),
				'prevent_in_future on: today in Kiritimati is allowed in Kiritimati');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				 'startDateLocal', pg_temp.day('Pacific/Kiritimati'))), '22008',
				 format('property "startDateLocal" puts the entry on %s, a day in the future', pg_temp.day('Pacific/Kiritimati')),
				 'prevent_in_future on: today in Kiritimati is in the future in Pago Pago');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				'startDateLocal', pg_temp.day('Pacific/Pago_Pago'))),
				'prevent_in_future on: today in Pago Pago is allowed in Pago Pago');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				'startDateLocal', pg_temp.day('Pacific/Kiritimati') || 'T23:59:00')),
				'prevent_in_future on: today 23:59 in Kiritimati (up to a day ahead of UTC) is allowed');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				 'startDateLocal', pg_temp.day('Pacific/Pago_Pago', 1), 'startTimeLocal', '00:00')), '22008',
				 format('property "startTimeLocal" puts the entry on %s, a day in the future', pg_temp.day('Pacific/Pago_Pago', 1)),
				 'prevent_in_future on: tomorrow 00:00 in Pago Pago is refused');
SELECT is(pg_temp.validation(jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				'startDateLocal', pg_temp.day('Pacific/Pago_Pago', 1), 'startTimeLocal', '00:00')),
		  'date-out-of-range 22008 {startTimeLocal}',
		  'prevent_in_future on: validate_entry names the start time when one was given');
-- a UTC start is judged by its day in the time zone: now in UTC is today in
-- Kiritimati, and (one hour later) still today in Kiritimati
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				'startDateUtc', to_char(clock_timestamp() AT TIME ZONE 'UTC' - interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
				'prevent_in_future on: a UTC start an hour ago is allowed in Kiritimati');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				 'startDateUtc', to_char(((pg_temp.day('Pacific/Pago_Pago', 1) || ' 00:00:30')::timestamp AT TIME ZONE 'Pacific/Pago_Pago')
										  AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))), '22008',
				 format('property "startDateUtc" puts the entry on %s, a day in the future', pg_temp.day('Pacific/Pago_Pago', 1)),
				 'prevent_in_future on: a UTC start on tomorrow''s date in Pago Pago is refused');
SELECT lives_ok(pg_temp.create('admin', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 30))),
				'prevent_in_future on: an admin is exempt');
UPDATE time_entry.settings SET prevent_in_future = false;

--
-- allow_on_past_days = N: days more than N days before today in the
-- entry's time zone are refused; exactly N days ago is allowed.
--
SELECT lives_ok(pg_temp.create('member', '{"startDateUtc": "1900-01-01", "duration": 60}'),
				'allow_on_past_days NULL: 1900 is allowed');
UPDATE time_entry.settings SET allow_on_past_days = 7;
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -7))),
				'allow_on_past_days 7: 7 days ago is allowed');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -7) || 'T00:00:00.5Z')),
				'allow_on_past_days 7: the first moment of 7 days ago is allowed');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -8))), '22008',
				 format('property "startDateUtc" puts the entry on %s, too far in the past', pg_temp.day('UTC', -8)),
				 'allow_on_past_days 7: 8 days ago is refused');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -8) || 'T23:59:59Z')), '22008',
				 format('property "startDateUtc" puts the entry on %s, too far in the past', pg_temp.day('UTC', -8)),
				 'allow_on_past_days 7: the last second of 8 days ago is refused');
SELECT is(pg_temp.validation(jsonb_build_object('startDateUtc', pg_temp.day('UTC', -8))), 'date-out-of-range 22008 {startDateUtc}',
		  'allow_on_past_days 7: validate_entry names the start property');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1))),
				'allow_on_past_days 7: the future is not limited by it');
-- the local day
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				'startDateLocal', pg_temp.day('Pacific/Pago_Pago', -7))),
				'allow_on_past_days 7: 7 days ago in Pago Pago is allowed in Pago Pago');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				 'startDateLocal', pg_temp.day('Pacific/Pago_Pago', -7))), '22008',
				 format('property "startDateLocal" puts the entry on %s, too far in the past', pg_temp.day('Pacific/Pago_Pago', -7)),
				 'allow_on_past_days 7: 7 days ago in Pago Pago is more than 7 days ago in Kiritimati');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				'startDateLocal', pg_temp.day('Pacific/Kiritimati', -7), 'startTimeLocal', '00:00')),
				'allow_on_past_days 7: 7 days ago at 00:00 in Kiritimati is allowed in Kiritimati');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				 'startDateUtc', to_char(((pg_temp.day('Pacific/Kiritimati', -8) || ' 23:59:00')::timestamp AT TIME ZONE 'Pacific/Kiritimati')
										  AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))), '22008',
				 format('property "startDateUtc" puts the entry on %s, too far in the past', pg_temp.day('Pacific/Kiritimati', -8)),
				 'allow_on_past_days 7: a UTC start on the 8th day back in Kiritimati is refused');
SELECT lives_ok(pg_temp.create('admin', '{"startDateUtc": "2000-01-15", "duration": 60}'),
				'allow_on_past_days 7: an admin is exempt');
UPDATE time_entry.settings SET allow_on_past_days = 0;
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC'))),
				'allow_on_past_days 0: today is allowed');
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				'startDateLocal', pg_temp.day('Pacific/Kiritimati'))),
				'allow_on_past_days 0: today in Kiritimati is allowed');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -1))), '22008',
				 format('property "startDateUtc" puts the entry on %s, too far in the past', pg_temp.day('UTC', -1)),
				 'allow_on_past_days 0: yesterday is refused');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Kiritimati',
				 'startDateLocal', pg_temp.day('Pacific/Pago_Pago'))), '22008',
				 format('property "startDateLocal" puts the entry on %s, too far in the past', pg_temp.day('Pacific/Pago_Pago')),
				 'allow_on_past_days 0: today in Pago Pago is in the past in Kiritimati');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Europe/Berlin',
				 'startDateLocal', pg_temp.day('Europe/Berlin', -1), 'startTimeLocal', '23:59:59.9999999', 'duration', 1)), '22008',
				 format('property "startTimeLocal" puts the entry on %s, too far in the past', pg_temp.day('Europe/Berlin', -1)),
				 'allow_on_past_days 0: the last moment of yesterday is refused');
SELECT lives_ok(pg_temp.create('admin', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -1))),
				'allow_on_past_days 0: an admin is exempt');
UPDATE time_entry.settings SET allow_on_past_days = NULL;

--
-- All settings at once: prevent_in_future with allow_on_past_days 0 allows
-- only today; validate_entry names every setting that refuses the entry;
-- an admin passes them all.
--
UPDATE time_entry.settings
   SET max_duration = 60, prevent_on_closed_projects = true, prevent_in_future = true, allow_on_past_days = 0;
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('timezone', 'Pacific/Pago_Pago',
				'startDateLocal', pg_temp.day('Pacific/Pago_Pago'), 'duration', 60)),
				'all settings on: today, 60 s, no project is allowed');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1))), '22008', NULL,
				 'all settings on: tomorrow is refused');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -1))), '22008', NULL,
				 'all settings on: yesterday is refused');
SELECT throws_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1),
				 'projectId', '80000000-0000-4000-8000-0000000000d2', 'duration', 61)), '22003', NULL,
				 'all settings on: max_duration is checked first');
SELECT is(pg_temp.validation(jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1),
				'projectId', '80000000-0000-4000-8000-0000000000d2', 'duration', 61)),
		  'value-out-of-range 22003 {duration,projectId,startDateUtc}',
		  'all settings on: validate_entry names the duration, the closed project and the future day');
SELECT lives_ok(pg_temp.create('admin', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1),
				'projectId', '80000000-0000-4000-8000-0000000000d2', 'duration', 86400)),
				'all settings on: an admin is exempt from all of them (future, closed, long)');
SELECT lives_ok(pg_temp.create('admin', jsonb_build_object('startDateUtc', pg_temp.day('UTC', -100),
				'projectId', '80000000-0000-4000-8000-0000000000d2', 'duration', 86400)),
				'all settings on: an admin is exempt from all of them (past, closed, long)');
SELECT throws_ok(pg_temp.create('admin', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1), 'duration', 0)), '22003', NULL,
				 'all settings on: an admin is not exempt from the rules of SPEC 4 (zero duration on a date-only entry)');

-- The settings are read at each call, not cached: turned off, they stop.
UPDATE time_entry.settings
   SET max_duration = DEFAULT, prevent_on_closed_projects = false, prevent_in_future = false, allow_on_past_days = NULL;
SELECT lives_ok(pg_temp.create('member', jsonb_build_object('startDateUtc', pg_temp.day('UTC', 1),
				'projectId', '80000000-0000-4000-8000-0000000000d2', 'duration', 61)),
				'settings off again: the same entry is allowed');

-- Which of these entries were written: the admin's and the member's
-- allowed ones, nothing refused.
SELECT is((SELECT count(*)::int FROM time_entry.time_entries
			WHERE user_id = '80000000-0000-4000-8000-0000000000b2'), 7,
		  'the admin''s seven exempt entries were written');

-- The premise of the tests of the day: they all ran on one day in each zone.
SELECT cmp_ok(clock_timestamp(), '<', (SELECT pg_temp.next_midnight(at) FROM started),
			  'no midnight in UTC, Kiritimati, Pago Pago or Berlin passed while the tests ran');

SELECT * FROM finish();
ROLLBACK;
