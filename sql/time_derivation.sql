--
-- Deriving the time of an entry (SPEC 4): UTC and local groups, date-only,
-- timed and running entries, end and duration, overnight ends, daylight-
-- saving changes, fractions of a second, the years allowed, and the time
-- problems (SPEC 7.1) with their SQLSTATE, code and property.
--
-- pg_temp.derive(request) creates the entry in a subtransaction that is
-- rolled back, and returns one line: the entry as the response shows it,
--   <start UTC> - <end UTC>, <duration> s | local <start> - <end>
-- or "date-only <day>, <duration> s", or the problem as
--   <SQLSTATE> <code> <property>.
-- The request is {"userId", "typeOfWorkId", "timezone": "UTC"} overlaid
-- with the properties of the case.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

\set owner '60000000-0000-4000-8000-0000000000b1'
\set work '60000000-0000-4000-8000-0000000000f1'
INSERT INTO time_entry.users (id, first_name, last_name) VALUES (:'owner', 'Time', 'Keeper');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Time derivation');

-- The entry of a response, on one line.
CREATE FUNCTION pg_temp.show(r jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
		WHEN r->>'startTimeUtc' IS NULL THEN
			format('date-only %s, %s s%s', left(r->>'startDateLocal', 10), r->>'duration',
				   CASE WHEN left(r->>'startDateUtc', 10) <> left(r->>'startDateLocal', 10)
						THEN ' (UTC group shows ' || (r->>'startDateUtc') || ')' END)
		ELSE
			format('%sT%sZ - %s, %s s | local %sT%s - %s',
				   left(r->>'startDateUtc', 10), r->>'startTimeUtc',
				   coalesce(left(r->>'endDateUtc', 10) || 'T' || (r->>'endTimeUtc') || 'Z', 'running'),
				   r->>'duration',
				   left(r->>'startDateLocal', 10), r->>'startTimeLocal',
				   coalesce(left(r->>'endDateLocal', 10) || 'T' || (r->>'endTimeLocal'), 'running'))
	END
$$;

-- Create the entry and undo it; the entry or the problem, on one line.
CREATE FUNCTION pg_temp.derive(extra jsonb) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
	line		text;
	state		text;
	code		text;
	property	text;
BEGIN
	BEGIN
		line := pg_temp.show(time_entry.create_entry(
			jsonb_build_object('userId', '60000000-0000-4000-8000-0000000000b1',
							   'typeOfWorkId', '60000000-0000-4000-8000-0000000000f1',
							   'timezone', 'UTC') || extra,
			'60000000-0000-4000-8000-0000000000b1'));
		RAISE SQLSTATE 'TE000';		-- undo the entry
	EXCEPTION
		WHEN SQLSTATE 'TE000' THEN
			RETURN line;
		WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
				code = CONSTRAINT_NAME, property = COLUMN_NAME;
			RETURN concat_ws(' ', state, code, property);
	END;
END
$$;

--
-- UTC: start and end as dates and times; a start date carrying its time
-- (with Z or +00:00); an end date alone.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, 'UTC date + time', '{"startDateUtc": "2024-01-15", "startTimeUtc": "08:00", "endDateUtc": "2024-01-15", "endTimeUtc": "16:00"}'::jsonb),
	(2, 'UTC date with time, Z', '{"startDateUtc": "2024-01-15T08:00:00Z", "endDateUtc": "2024-01-15T09:30:00Z"}'),
	(3, 'UTC date with time, +00:00', '{"startDateUtc": "2024-01-15T08:00+00:00", "endDateUtc": "2024-01-15T09:30:00.000+00:00"}'),
	(4, 'UTC end time only', '{"startDateUtc": "2024-01-15T08:00:00Z", "endTimeUtc": "08:45:30"}'),
	(5, 'UTC entry shown in Berlin', '{"timezone": "Europe/Berlin", "startDateUtc": "2024-01-15T23:30:00Z", "endTimeUtc": "23:45"}')
) v(n, label, e) ORDER BY n;

--
-- Local times, winter and summer, east and west of Greenwich.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, 'Berlin winter', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "startTimeLocal": "09:00", "endTimeLocal": "17:00"}'::jsonb),
	(2, 'Berlin summer', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-07-15", "startTimeLocal": "09:00", "endTimeLocal": "17:00"}'),
	(3, 'New York winter', '{"timezone": "America/New_York", "startDateLocal": "2024-01-15", "startTimeLocal": "09:00", "endTimeLocal": "17:00"}'),
	(4, 'New York summer', '{"timezone": "America/New_York", "startDateLocal": "2024-07-15", "startTimeLocal": "09:00", "endTimeLocal": "17:00"}'),
	(5, 'New York evening, next UTC day', '{"timezone": "America/New_York", "startDateLocal": "2024-07-15", "startTimeLocal": "20:00", "endTimeLocal": "23:00"}'),
	(6, 'Kiritimati (UTC+14) morning, previous UTC day', '{"timezone": "Pacific/Kiritimati", "startDateLocal": "2024-07-15", "startTimeLocal": "08:00", "endTimeLocal": "09:00"}'),
	(7, 'time zone in another case', '{"timezone": "AMERICA/new_york", "startDateLocal": "2024-01-15", "startTimeLocal": "09:00", "duration": 60}')
) v(n, label, e) ORDER BY n;

--
-- The start (SPEC 4.3): a date without a time, or at exactly midnight, is a
-- date-only entry; a date carrying another time starts then; a start time
-- replaces the date's time of day.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, 'UTC date without time', '{"startDateUtc": "2024-01-15", "duration": 3600}'::jsonb),
	(2, 'UTC date at midnight, Z', '{"startDateUtc": "2024-01-15T00:00:00Z", "duration": 3600}'),
	(3, 'UTC date at midnight, HH:MM', '{"startDateUtc": "2024-01-15T00:00Z", "duration": 3600}'),
	(4, 'local date without time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "duration": 3600}'),
	(5, 'local date at midnight', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T00:00:00", "duration": 3600}'),
	(6, 'local date at midnight .0000000', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T00:00:00.0000000", "duration": 3600}'),
	(7, 'UTC date-only in Kiritimati: the day as written', '{"timezone": "Pacific/Kiritimati", "startDateUtc": "2024-01-15", "duration": 3600}'),
	(8, 'local date carrying a time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T09:30:00", "duration": 1800}'),
	(9, 'local date carrying a time, HH:MM', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T09:30", "duration": 1800}'),
	(10, 'local date carrying one second past midnight', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T00:00:01", "duration": 1800}'),
	(11, 'local date carrying a time + start time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T09:30", "startTimeLocal": "11:00", "duration": 60}'),
	(12, 'midnight date + start time 00:00: timed', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "startTimeLocal": "00:00", "duration": 60}'),
	(13, 'UTC date carrying a time + start time', '{"startDateUtc": "2024-01-15T09:30:00Z", "startTimeUtc": "07:15:00", "endTimeUtc": "07:16"}'),
	(14, 'local date 100 ns past midnight: timed', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T00:00:00.0000001", "duration": 60}')
) v(n, label, e) ORDER BY n;

--
-- The end (SPEC 4.5, 4.6): an end time before the start without an end
-- date is the next day; with an end date it is that day; an end date alone
-- is the moment written (midnight when it has no time).  The end wins over a
-- duration; a duration alone gives the end.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, 'overnight, local', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "startTimeLocal": "22:00", "endTimeLocal": "06:00"}'::jsonb),
	(2, 'overnight, UTC', '{"startDateUtc": "2024-01-15", "startTimeUtc": "22:30", "endTimeUtc": "01:15:30"}'),
	(3, 'overnight, start date carrying the time', '{"startDateUtc": "2024-01-15T22:30:00Z", "endTimeUtc": "00:00"}'),
	(4, 'end time = start time: 0 s, same day', '{"startDateUtc": "2024-01-15", "startTimeUtc": "09:00", "endTimeUtc": "09:00"}'),
	(5, 'end date + end time, next day', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "startTimeLocal": "08:00", "endDateLocal": "2024-01-16", "endTimeLocal": "07:00"}'),
	(6, 'end date + end time replaces the end date''s time', '{"startDateUtc": "2024-01-15T08:00:00Z", "endDateUtc": "2024-01-15T23:00:00Z", "endTimeUtc": "09:00"}'),
	(7, 'end date alone, with a time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T08:00:00", "endDateLocal": "2024-01-15T17:45:30"}'),
	(8, 'end date alone, midnight', '{"startDateUtc": "2024-01-15T20:00:00Z", "endDateUtc": "2024-01-16"}'),
	(9, 'duration without end', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "startTimeLocal": "09:00", "duration": 5400}'),
	(10, 'duration 0 without end', '{"startDateUtc": "2024-01-15T09:00:00Z", "duration": 0}'),
	(11, 'duration across midnight', '{"startDateUtc": "2024-01-15T23:00:00Z", "duration": 7200}'),
	(12, 'end wins over duration', '{"startDateUtc": "2024-01-15T09:00:00Z", "endTimeUtc": "10:00", "duration": 60}'),
	(13, 'end wins over a duration above the maximum', '{"startDateUtc": "2024-01-15T09:00:00Z", "endTimeUtc": "10:00", "duration": 90000}')
) v(n, label, e) ORDER BY n;

--
-- Running entries (SPEC 4.6): no end and no duration.  The start may be at
-- most 60 seconds in the future.  (These depend on the clock: only the
-- outcome is printed.)
--
SELECT pg_temp.derive('{"startDateUtc": "2024-01-15", "startTimeUtc": "09:00"}') AS running;
SELECT pg_temp.derive('{"timezone": "Asia/Tokyo", "startDateLocal": "2024-01-15T09:00:00"}') AS running_local;
SELECT label,
       CASE WHEN r ~ '^\d{4}-\d\d-\d\dT[0-9:.]+Z - running, 0 s \| local ' THEN 'running' ELSE r END AS outcome
  FROM (SELECT label, pg_temp.derive(jsonb_build_object(
			'timezone', tz,
			'startDateLocal', to_char((clock_timestamp() + delay) AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS'))) AS r
		  FROM (VALUES
			(1, 'now, UTC', 'UTC', interval '0'),
			(2, '30 s ahead, UTC', 'UTC', interval '30 s'),
			(3, '30 s ahead, Kiritimati', 'Pacific/Kiritimati', interval '30 s'),
			(4, '30 s ahead, Pago Pago', 'Pacific/Pago_Pago', interval '30 s'),
			(5, '2 minutes ahead, UTC', 'UTC', interval '2 min'),
			(6, '2 minutes ahead, Kiritimati', 'Pacific/Kiritimati', interval '2 min'),
			(7, 'a day ahead, Pago Pago', 'Pacific/Pago_Pago', interval '1 day')
		  ) v(n, label, tz, delay)
		 ORDER BY n) s;
-- a timed entry in the future is not limited (prevent_in_future is off):
-- 400 days after today, shown as <today+400>
SELECT replace(pg_temp.derive(jsonb_build_object('startDateUtc', d || 'T09:00:00Z', 'duration', 3600)),
               d, '<today+400>') AS future_timed
  FROM (SELECT to_char(current_date + 400, 'YYYY-MM-DD') AS d) s;

--
-- Daylight-saving changes (SPEC 4.4, 4.9): a skipped local time is refused,
-- a repeated one is standard time (the later instant), and durations are
-- elapsed seconds.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, 'Berlin gap: start 02:30', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "02:30", "duration": 60}'::jsonb),
	(2, 'Berlin gap: start 02:00 exactly', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "02:00", "duration": 60}'),
	(3, 'Berlin gap: start date carrying 02:59:59', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31T02:59:59", "duration": 60}'),
	(4, 'Berlin gap: end time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "01:00", "endTimeLocal": "02:30"}'),
	(5, 'Berlin gap: end date', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-30T23:00", "endDateLocal": "2024-03-31T02:15"}'),
	(6, 'Berlin gap: overnight end on the change day', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-30", "startTimeLocal": "23:00", "endTimeLocal": "02:30"}'),
	(7, 'Berlin: 03:00 just after the gap', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "03:00", "duration": 60}'),
	(8, 'Berlin: 01:59:59 just before the gap', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "01:59:59", "duration": 1}'),
	(9, 'New York gap: 02:30', '{"timezone": "America/New_York", "startDateLocal": "2024-03-10", "startTimeLocal": "02:30", "duration": 60}'),
	(10, 'UTC group on the change day: no gap', '{"timezone": "Europe/Berlin", "startDateUtc": "2024-03-31", "startTimeUtc": "02:30", "duration": 60}'),
	(11, 'Berlin repeated hour 02:30: standard time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-10-27", "startTimeLocal": "02:30", "duration": 60}'),
	(12, 'Berlin repeated hour 02:00: standard time', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-10-27", "startTimeLocal": "02:00", "duration": 60}'),
	(13, 'New York repeated hour 01:30: standard time', '{"timezone": "America/New_York", "startDateLocal": "2024-11-03", "startTimeLocal": "01:30", "duration": 60}'),
	(14, 'Berlin spring 01:00-04:00', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "01:00", "endTimeLocal": "04:00"}'),
	(15, 'Berlin autumn 01:00-04:00', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-10-27", "startTimeLocal": "01:00", "endTimeLocal": "04:00"}'),
	(16, 'New York spring 01:00-04:00', '{"timezone": "America/New_York", "startDateLocal": "2024-03-10", "startTimeLocal": "01:00", "endTimeLocal": "04:00"}'),
	(17, 'New York autumn 00:00-03:00', '{"timezone": "America/New_York", "startDateLocal": "2024-11-03", "startTimeLocal": "00:00", "endTimeLocal": "03:00"}'),
	(18, 'Berlin autumn overnight 22:00-06:00', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-10-26", "startTimeLocal": "22:00", "endTimeLocal": "06:00"}'),
	(19, 'Berlin spring: duration 3 h from 01:00', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "01:00", "duration": 10800}'),
	(20, 'Berlin autumn: end 02:30 is the later 02:30', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-10-27", "startTimeLocal": "01:30", "endTimeLocal": "02:30"}')
) v(n, label, e) ORDER BY n;

--
-- Fractions of a second: 1 to 7 digits, kept to the microsecond (the 7th
-- digit dropped), printed with 7 digits only when there is a fraction.  The
-- duration is whole elapsed seconds, rounded down.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, '7 digits', '{"startDateUtc": "2024-01-15", "startTimeUtc": "08:00:00.1234567", "endTimeUtc": "09:00:00"}'::jsonb),
	(2, '1 digit', '{"startDateUtc": "2024-01-15", "startTimeUtc": "08:00:00.5", "endTimeUtc": "08:00:02.4"}'),
	(3, 'largest time of day', '{"startDateUtc": "2024-01-15", "startTimeUtc": "23:59:59.9999999", "endTimeUtc": "23:59:59.9999999"}'),
	(4, 'fraction in a date', '{"startDateUtc": "2024-01-15T08:00:00.25Z", "endDateUtc": "2024-01-15T08:00:10.2Z"}'),
	(5, 'fraction in a local date', '{"timezone": "Asia/Kolkata", "startDateLocal": "2024-01-15T08:00:00.000001", "duration": 1}'),
	(6, 'zero fraction prints none', '{"startDateUtc": "2024-01-15", "startTimeUtc": "08:00:00.000", "endTimeUtc": "08:00:01.0000000"}'),
	(7, 'a fraction carried by the duration', '{"startDateUtc": "2024-01-15", "startTimeUtc": "08:00:00.75", "duration": 10}')
) v(n, label, e) ORDER BY n;
-- the stored instants keep the microseconds
SELECT start_at, end_at, duration
  FROM time_entry.create_entry(user_id => :'owner', type_of_work_id => :'work', timezone => 'UTC',
							   start_at => '2024-01-16 08:00:00.123456+00', end_at => '2024-01-16 09:00:00.000001+00',
							   actor => :'owner');
SELECT jsonb_build_object('start', r->'startTimeUtc', 'end', r->'endTimeUtc', 'duration', r->'duration') AS stored_fraction
  FROM time_entry.create_entry(jsonb_build_object('userId', :'owner', 'typeOfWorkId', :'work', 'timezone', 'UTC',
		'startDateUtc', '2024-01-17', 'startTimeUtc', '08:00:00.1234567', 'endTimeUtc', '08:00:01.0000009'), :'owner') r;
SELECT start_at, end_at, duration, extract(microseconds FROM start_at) AS start_us
  FROM time_entry.time_entries WHERE user_id = :'owner' AND date_local = '2024-01-17';

--
-- The years 1900 to 9999, in UTC and in the entry's time zone.
--
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, '1899-12-31', '{"startDateUtc": "1899-12-31", "duration": 60}'::jsonb),
	(2, '10000-01-01', '{"startDateUtc": "10000-01-01", "duration": 60}'),
	(3, 'local 1899-12-31T23:59', '{"startDateLocal": "1899-12-31T23:59", "duration": 60}'),
	(4, 'end date in 10000', '{"startDateUtc": "9999-12-31T12:00Z", "endDateUtc": "10000-01-01T00:00Z"}'),
	(5, '1900-01-01 date-only', '{"startDateUtc": "1900-01-01", "duration": 60}'),
	(6, '9999-12-31 date-only', '{"startDateUtc": "9999-12-31", "duration": 60}'),
	(7, '1900-01-01 00:00:01 UTC', '{"startDateUtc": "1900-01-01T00:00:01Z", "duration": 60}'),
	(8, '9999-12-31 23:59:59 UTC', '{"startDateUtc": "9999-12-31T23:59:59Z", "endTimeUtc": "23:59:59.9999999"}'),
	(9, '9999-12-31 23:00 UTC + 2 h', '{"startDateUtc": "9999-12-31T23:00:00Z", "duration": 7200}'),
	(10, '1900-01-01 09:00 Berlin', '{"timezone": "Europe/Berlin", "startDateLocal": "1900-01-01", "startTimeLocal": "09:00", "duration": 60}'),
	(11, '1900-01-01 00:30 UTC in New York is 1899', '{"timezone": "America/New_York", "startDateUtc": "1900-01-01T00:30:00Z", "duration": 60}'),
	(12, '1900-01-01 00:30 local New York', '{"timezone": "America/New_York", "startDateLocal": "1900-01-01T00:30:00", "duration": 60}'),
	(13, '9999-12-31 23:00 UTC in Tokyo is 10000', '{"timezone": "Asia/Tokyo", "startDateUtc": "9999-12-31T23:00:00Z", "duration": 60}'),
	(14, '9999-12-31 23:00 local Tokyo', '{"timezone": "Asia/Tokyo", "startDateLocal": "9999-12-31T23:00:00", "duration": 60}'),
	(15, '9999-12-31 23:00 local New York is 10000 in UTC', '{"timezone": "America/New_York", "startDateLocal": "9999-12-31T23:00:00", "duration": 60}')
) v(n, label, e) ORDER BY n;

--
-- Time problems: end before start, date-only without duration or with a
-- zero one or with end fields, mixed groups, no start date, durations out
-- of range and above settings.max_duration (86400 by default).
--
SELECT time_entry.settings.max_duration FROM time_entry.settings;
SELECT n, label, pg_temp.derive(e) FROM (VALUES
	(1, 'end time before start, with end date', '{"startDateUtc": "2024-01-15", "startTimeUtc": "09:00", "endDateUtc": "2024-01-15", "endTimeUtc": "08:59:59"}'::jsonb),
	(2, 'end date before start', '{"startDateUtc": "2024-01-15T09:00:00Z", "endDateUtc": "2024-01-15T08:00:00Z"}'),
	(3, 'end date at midnight before start', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T09:00", "endDateLocal": "2024-01-15"}'),
	(4, 'end a microsecond before start', '{"startDateUtc": "2024-01-15", "startTimeUtc": "09:00:00.000001", "endDateUtc": "2024-01-15", "endTimeUtc": "09:00"}'),
	(5, 'date-only without duration', '{"startDateUtc": "2024-01-15"}'),
	(6, 'local date-only without duration', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15T00:00:00"}'),
	(7, 'date-only with duration 0', '{"startDateUtc": "2024-01-15", "duration": 0}'),
	(8, 'date-only with end time', '{"startDateUtc": "2024-01-15", "endTimeUtc": "10:00", "duration": 60}'),
	(9, 'date-only with end date', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "endDateLocal": "2024-01-16", "duration": 60}'),
	(10, 'mixed: UTC start, local end', '{"startDateUtc": "2024-01-15T09:00:00Z", "endTimeLocal": "10:00"}'),
	(11, 'mixed: local start, UTC end', '{"startDateLocal": "2024-01-15T09:00:00", "endDateUtc": "2024-01-15T10:00:00Z"}'),
	(12, 'no start date, start time only', '{"startTimeUtc": "09:00", "duration": 60}'),
	(13, 'no time at all', '{"duration": 60}'),
	(14, 'local start without time zone', '{"timezone": null, "startDateLocal": "2024-01-15T09:00:00", "duration": 60}'),
	(15, 'negative duration', '{"startDateUtc": "2024-01-15T09:00:00Z", "duration": -1}'),
	(16, 'duration beyond int4', '{"startDateUtc": "2024-01-15T09:00:00Z", "duration": 2147483648}'),
	(17, 'duration = max_duration', '{"startDateUtc": "2024-01-15T09:00:00Z", "duration": 86400}'),
	(18, 'duration above max_duration', '{"startDateUtc": "2024-01-15T09:00:00Z", "duration": 86401}'),
	(19, 'date-only above max_duration', '{"startDateUtc": "2024-01-15", "duration": 86401}'),
	(20, 'end 24 h after start', '{"startDateUtc": "2024-01-15T09:00:00Z", "endDateUtc": "2024-01-16T09:00:00Z"}'),
	(21, 'end 24 h 1 s after start', '{"startDateUtc": "2024-01-15T09:00:00Z", "endDateUtc": "2024-01-16T09:00:01Z"}'),
	(22, 'autumn day of 25 h, local end = start + 1 day', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-10-26T12:00", "endDateLocal": "2024-10-27T12:00"}'),
	(23, 'spring day of 23 h, local end = start + 1 day', '{"timezone": "Europe/Berlin", "startDateLocal": "2024-03-30T12:00", "endDateLocal": "2024-03-31T12:00"}')
) v(n, label, e) ORDER BY n;

-- With no maximum, a long entry is accepted; the duration must still fit
-- an integer.
UPDATE time_entry.settings SET max_duration = NULL;
SELECT pg_temp.derive('{"startDateUtc": "2024-01-15T09:00:00Z", "endDateUtc": "2024-02-15T09:00:00Z"}') AS a_month;
SELECT pg_temp.derive('{"startDateUtc": "1950-01-01", "startTimeUtc": "00:00", "endDateUtc": "2020-01-01", "endTimeUtc": "00:00"}') AS seventy_years;
SELECT pg_temp.derive('{"startDateUtc": "2024-01-15", "duration": 2147483647}') AS date_only_int4_max;
UPDATE time_entry.settings SET max_duration = 60;
SELECT pg_temp.derive('{"startDateUtc": "2024-01-15T09:00:00Z", "endTimeUtc": "09:01"}') AS sixty_s_at_max_60;
SELECT pg_temp.derive('{"startDateUtc": "2024-01-15T09:00:00Z", "endTimeUtc": "09:01:01"}') AS sixty_one_s_at_max_60;
UPDATE time_entry.settings SET max_duration = DEFAULT;

--
-- The whole error of a few time problems: message, DETAIL, HINT and the
-- fields (SCHEMA NAME, TABLE NAME, COLUMN NAME, CONSTRAINT NAME).
--
CREATE FUNCTION pg_temp.whole_error(entry jsonb, actor uuid)
RETURNS TABLE (field text, value text) LANGUAGE plpgsql AS $$
DECLARE
	st text; msg text; det text; hin text; sch text; tab text; col text; con text;
BEGIN
	PERFORM time_entry.create_entry(entry, actor);
	RETURN QUERY SELECT 'no error', NULL::text;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
		hin = PG_EXCEPTION_HINT, sch = SCHEMA_NAME, tab = TABLE_NAME, col = COLUMN_NAME, con = CONSTRAINT_NAME;
	RETURN QUERY VALUES ('sqlstate', st), ('message', msg), ('detail', det), ('hint', hin),
		('schema_name', sch), ('table_name', tab), ('column_name', col), ('constraint_name', con);
END $$;
SELECT * FROM pg_temp.whole_error('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "Europe/Berlin", "startDateLocal": "2024-03-31", "startTimeLocal": "02:30", "duration": 60}', :'owner');
SELECT * FROM pg_temp.whole_error('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "Europe/Berlin", "startDateLocal": "2024-01-15", "startTimeLocal": "09:00", "endDateLocal": "2024-01-15", "endTimeLocal": "08:00"}', :'owner');
-- the others with message, DETAIL and HINT only
SELECT time_entry.create_entry('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "UTC", "startDateUtc": "1899-12-31", "duration": 60}', :'owner');
SELECT time_entry.create_entry('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "America/New_York", "startDateUtc": "1900-01-01T00:30:00Z", "duration": 60}', :'owner');
SELECT time_entry.create_entry('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "UTC", "startDateUtc": "2024-01-15", "endTimeUtc": "10:00"}', :'owner');
SELECT time_entry.create_entry('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "UTC", "startDateUtc": "2024-01-15T09:00:00Z", "endTimeLocal": "10:00"}', :'owner');
SELECT time_entry.create_entry('{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1",
	"timezone": "UTC", "startDateUtc": "2024-01-15T09:00:00Z", "duration": 86401}', :'owner');

-- Nothing was left behind but the two entries with fractions.
SELECT count(*) AS entries FROM time_entry.time_entries WHERE user_id = :'owner';

-- Clean up.
DELETE FROM time_entry.time_entries WHERE user_id = :'owner';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DELETE FROM time_entry.users WHERE id = :'owner';
