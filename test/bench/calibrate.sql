-- Warm-up and a first estimate, before the rounds of test/bench.sh: each of
-- the four ways once over a few staged entries (plans prepared, time zones
-- loaded), on both write paths, then try_create_entry timed over 500 more.
-- Fails, before the long part starts, when the rounds would take more than
-- :budget seconds at that pace.  Needs the psql variables n, rounds, budget,
-- weight (the cost of a round in try_create_entry runs over the staged
-- entries, times ten) and estimate (0: the warm-up only, as in the
-- partitioned database).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\set lead 'b0000000-0000-4000-8000-000000000001'
SET time_entry.actor = :'lead';

\ir clear.sql
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, task_id, note, timezone,
	 date_local, start_at, end_at, duration, is_billable, is_billed, workspace_id)
SELECT user_id, type_of_work_id, project_id, task_id, note, timezone,
	   date_local, start_at, end_at, duration, is_billable, is_billed, bench.workspace()
  FROM bench.staging WHERE n <= 100;
\ir warm.sql
SET time_entry.write_path = executor;
\ir warm.sql
RESET time_entry.write_path;

\if :estimate
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS tried, count(t.error) AS errors,
	   coalesce(min(t.error::text), '') AS first_error
  FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t
 WHERE s.n > 100 AND s.n <= 600 \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0') * 1000 / :tried AS ms_per_entry \gset
\ir clear.sql

SELECT :errors <> 0 AS refused \gset
\if :refused
SELECT bench.fail(format('try_create_entry refused %s of %s staged entries; the first: %s',
						 :errors, :tried, :'first_error'));
\endif

-- try, create and import cost about the same a row; the INSERT is cheap
SELECT round(:ms_per_entry * 1000, 1) AS us_per_entry,
	   round(:ms_per_entry * :n * (:rounds * :weight / 10.0 + 1) / 1000) AS projected_s \gset
\echo 'warm-up done; try_create_entry costs about' :us_per_entry 'µs an entry; the rounds will take about' :projected_s 's'
SELECT :projected_s > :budget AS over_budget,
	   CASE WHEN reltuples < 0
			THEN '; time_entry.settings has never been analyzed (BENCH_ANALYZE=1 measures with it analyzed)'
			ELSE '' END AS why
  FROM pg_class WHERE oid = 'time_entry.settings'::regclass \gset
\if :over_budget
SELECT bench.fail(format('at %s µs an entry the %s rounds over %s entries would take about %s s, over the budget of %s s (BENCH_BUDGET); '
						 'run with a smaller BENCH_N or fewer BENCH_PARTS, or see why one entry costs so much (perf record on the backend)%s',
						 :us_per_entry, :rounds, :n, :projected_s, :budget, :'why'));
\endif
\endif
