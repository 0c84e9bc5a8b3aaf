-- The pool of entries the single calls of SPEC 9 (update_entry, get_entry)
-- work on, before test/bench.sh's pgbench runs; needs the psql variable
-- pool (how many).  Entry k (1 .. pool) has the id bench.pool_id(k) =
-- 90000000-0000-4000-8000-<k in twelve digits>, belongs to user
-- (k - 1) % 1000 + 1 of the benchmark's workspace, on one of its projects
-- (one in three also on a task of that project), timed, one hour on a day
-- of 2024: the pgbench scripts rebuild both ids from k.  Written with the
-- bare INSERT as a team lead.
--
-- Then a check that the bare SQL of bench.responses builds exactly what
-- get_entry answers, for pool entries and for a date-only, a running and a
-- created entry (with a fraction of a second in its start): otherwise the
-- get_entry figure would compare different work.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\set lead 'b0000000-0000-4000-8000-000000000001'
SET time_entry.actor = :'lead';

DELETE FROM time_entry.time_entries
 WHERE id BETWEEN bench.pool_id(0) AND bench.pool_id(999999999999);

INSERT INTO time_entry.time_entries
	(id, user_id, type_of_work_id, project_id, task_id, note, timezone, date_local,
	 start_at, end_at, duration, is_billable, is_billed, workspace_id)
SELECT bench.pool_id(k), bench.id('b', u), bench.id('f', k % 10 + 1), bench.id('d', p),
	   CASE WHEN k % 3 = 0 THEN bench.id('e', (p - 1) * 10 + 1 + k % 10) END,
	   'Pool entry ' || k, tz, day,
	   (day + time '09:00') AT TIME ZONE tz, (day + time '10:00') AT TIME ZONE tz,
	   3600, p % 2 = 0, false, bench.workspace()
  FROM (SELECT k, u, bench.membership(u, k % 3) AS p,
			   (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC',
					  'Australia/Sydney', 'America/Los_Angeles'])[u % 6 + 1] AS tz,
			   date '2024-01-01' + ((k - 1) / 1000)::integer AS day
		  FROM (SELECT k, ((k - 1) % 1000 + 1)::integer AS u
				  FROM generate_series(1, :pool) k) g) s
 ORDER BY k;
RESET time_entry.actor;
VACUUM ANALYZE time_entry.time_entries;

-- entries of the other kinds, made by the functions, only for the check
SELECT (time_entry.create_entry(jsonb_build_object(
		'userId', bench.id('b', 7), 'typeOfWorkId', bench.id('f', 1),
		'projectId', bench.id('d', bench.membership(7, 0)), 'timezone', 'Asia/Tokyo',
		'startDateLocal', '2024-03-01', 'duration', 7200), bench.id('b', 7))->>'id')::uuid AS date_only,
	   (time_entry.create_entry(jsonb_build_object(
		'userId', bench.id('b', bench.assignee(8, 0)), 'typeOfWorkId', bench.id('f', 2),
		'taskId', bench.id('e', 8), 'timezone', 'America/New_York', 'note', 'a "quoted" note',
		'startDateUtc', '2024-03-01T13:14:15.25Z', 'endTimeUtc', '14:00:00'),
		bench.id('b', bench.assignee(8, 0)))->>'id')::uuid AS on_task,
	   (time_entry.start_timer(jsonb_build_object(
		'userId', bench.id('b', 9), 'typeOfWorkId', bench.id('f', 3),
		'timezone', 'Europe/Berlin'), bench.id('b', 9))->>'id')::uuid AS running \gset

SELECT count(*) AS checked,
	   count(*) FILTER (WHERE g IS DISTINCT FROM b) AS differ,
	   coalesce(min(CASE WHEN g IS DISTINCT FROM b
						 THEN format('entry %s: get_entry %s, bare %s', id, g, b) END), '') AS first
  FROM (SELECT r.id, time_entry.get_entry(r.id, :'lead') AS g, r.response AS b
		  FROM bench.responses r
		 WHERE r.id IN (:'date_only', :'on_task', :'running')
			OR r.id IN (SELECT bench.pool_id(k) FROM generate_series(1, least(:pool, 2000)) k)) c \gset
SELECT :differ <> 0 OR :checked <> least(:pool, 2000) + 3 AS wrong \gset
\if :wrong
SELECT bench.fail(format('the bare response differs from get_entry''s for %s of %s entries; %s',
						 :differ, :checked, :'first'));
\endif
INSERT INTO bench.notes (note)
VALUES (format('get_entry and the bare SELECT jsonb_build_object(...) LEFT JOIN ... answer the same for %s entries (pool, date-only, running, on a task)', :checked));

DELETE FROM bench.made;
VACUUM ANALYZE time_entry.time_entries;
