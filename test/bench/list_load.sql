-- Entries for the list_entries part of test/bench.sh, bulk-loaded into the
-- benchmark's workspace with a plain INSERT ... SELECT as the owner (the
-- audit trigger, the foreign keys and every index on, the actor a team
-- lead).  Needs the psql variables first_user, last_user and per_user:
-- users first_user .. last_user get per_user entries each, spread evenly
-- over 2022-01-03 .. 2025-01-02 (1 096 days: about one a day at 1 000), in
-- the order they would arrive: day by day, all users of a day together, so
-- that one user's entries lie on many pages, as in a table that grew.
-- Each is timed: a local start 08:00 to 11:30 in the user's time zone, 1 to
-- 1.75 hours, on one of the user's three projects, every fifth with a note.
-- Then VACUUM ANALYZE, as autovacuum would after such a load.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET time_entry.actor = 'b0000000-0000-4000-8000-000000000001';

SELECT clock_timestamp() AS t0 \gset
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, note, timezone, date_local,
	 start_at, end_at, duration, is_billable, is_billed, workspace_id)
SELECT bench.id('b', u), bench.id('f', j % 10 + 1), bench.id('d', p),
	   CASE WHEN j % 5 = 0 THEN 'Listed entry ' || j END, tz, day,
	   (day + at) AT TIME ZONE tz, ((day + at) AT TIME ZONE tz) + dur * interval '1 second',
	   dur, p % 2 = 0, false, bench.workspace()
  FROM (SELECT j, u, bench.membership(u, j % 3) AS p,
			   (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC',
					  'Australia/Sydney', 'America/Los_Angeles'])[u % 6 + 1] AS tz,
			   date '2022-01-03' + (j * 1096 / :per_user)::integer AS day,
			   time '08:00' + (u % 8) * interval '30 minutes' AS at,
			   3600 + (j % 4) * 900 AS dur
		  FROM (SELECT j, u
				  FROM generate_series(0, :per_user - 1) j,
					   generate_series(:first_user, :last_user) u
				 ORDER BY j, u) g) s;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS load_s,
	   (SELECT count(*) FROM time_entry.time_entries) AS table_rows \gset
VACUUM ANALYZE time_entry.time_entries;
INSERT INTO bench.notes (note)
VALUES (format('list_entries: users %s-%s loaded (%s entries each) with a plain INSERT ... SELECT in %s s; %s entries in the table',
			   :first_user, :last_user, :per_user, :load_s, :table_rows));
\echo 'loaded in' :load_s 's;' :table_rows 'entries in the table'
