-- The benchmark's bookkeeping, after test/bench/workspace.sql: the batches
-- for import_entries, the results, and the checks every run must pass.
-- Used by test/bench.sh.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- import_entries gets the staged requests in batches of 1 000, in order
CREATE TABLE bench.batches (
	b			integer PRIMARY KEY,
	entries		jsonb NOT NULL
);
INSERT INTO bench.batches
SELECT (n - 1) / 1000 + 1, jsonb_agg(entry ORDER BY n)
  FROM bench.staging
 GROUP BY (n - 1) / 1000;
ANALYZE bench.batches;

-- what each import_entries call reported
CREATE TABLE bench.tally (
	ok			bigint NOT NULL,
	errors		bigint NOT NULL,
	first_error text
);

CREATE TABLE bench.results (
	round		integer NOT NULL,		-- 0: a run outside the rounds
	run			text NOT NULL,
	ms			double precision NOT NULL,
	rows		bigint NOT NULL
);

CREATE TABLE bench.tps (
	clients		integer NOT NULL,
	run			text NOT NULL,
	tps			double precision NOT NULL,
	transactions bigint NOT NULL
);

CREATE TABLE bench.notes (
	note		text NOT NULL
);

CREATE FUNCTION bench.fail(message text) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION 'BENCHMARK FAILED: %', message;
END
$$;

/*
 * Record a run that started at t0: its time (taken first), then check that
 * it created exactly the staged entries -- N rows, no error reported, and
 * every row holding the staged column values -- or fail loudly.
 */
CREATE FUNCTION bench.record(round integer, run text, t0 timestamptz,
							 ok bigint, errors bigint, first_error text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	ms			double precision := extract(epoch FROM clock_timestamp() - t0) * 1000;
	staged		bigint := (SELECT count(*) FROM bench.staging);
	stored		bigint := (SELECT count(*) FROM time_entry.time_entries);
	differ		bigint;
BEGIN
	IF errors <> 0 THEN
		PERFORM bench.fail(format('%s reported %s errors for %s staged entries; the first: %s',
								  run, errors, staged, first_error));
	END IF;
	IF ok <> staged OR stored <> staged THEN
		PERFORM bench.fail(format('%s created %s rows (and reported %s) for %s staged entries',
								  run, stored, ok, staged));
	END IF;
	SELECT count(*) INTO differ
	  FROM (SELECT user_id, type_of_work_id, project_id, task_id, note, timezone,
				   date_local, start_at, end_at, duration, is_billable, is_billed
			  FROM bench.staging
			EXCEPT
			SELECT user_id, type_of_work_id, project_id, task_id, note, timezone,
				   date_local, start_at, end_at, duration, is_billable, is_billed
			  FROM time_entry.time_entries) d;
	IF differ <> 0 THEN
		PERFORM bench.fail(format('%s: %s staged entries are not stored as staged (first: n = %s)',
								  run, differ,
								  (SELECT min(s.n) FROM bench.staging s
									WHERE NOT EXISTS (
										SELECT FROM time_entry.time_entries e
										 WHERE e.user_id = s.user_id AND e.start_at = s.start_at
										   AND e.end_at = s.end_at AND e.date_local = s.date_local
										   AND e.duration = s.duration
										   AND e.project_id IS NOT DISTINCT FROM s.project_id
										   AND e.task_id IS NOT DISTINCT FROM s.task_id
										   AND e.is_billable = s.is_billable
										   AND e.is_billed = s.is_billed
										   AND e.note IS NOT DISTINCT FROM s.note
										   AND e.timezone = s.timezone
										   AND e.type_of_work_id = s.type_of_work_id))));
	END IF;
	INSERT INTO bench.results VALUES (round, run, ms, stored);
END
$$;
