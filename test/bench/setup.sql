-- The benchmark's bookkeeping, after test/bench/workspace.sql: the batches
-- for import_entries, the results, the checks every run must pass, and the
-- bare SQL the read functions are measured against.  Used by test/bench.sh.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The pool of entries the single calls of SPEC 9 work on (test/bench/pool.sql):
-- entry k has the id 90000000-0000-4000-8000-<k in twelve digits>.  No id
-- the extension makes (UUID version 7: the clock first) falls in that range.
CREATE FUNCTION bench.pool_id(k bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT ('90000000-0000-4000-8000-' || lpad(k::text, 12, '0'))::uuid $$;

-- The entries a run made: those of the benchmark's workspace outside the
-- pool.  The other workspace's entries and the pool stay from run to run.
CREATE VIEW bench.made AS
SELECT * FROM time_entry.time_entries
 WHERE workspace_id = bench.workspace()
   AND id NOT BETWEEN bench.pool_id(0) AND bench.pool_id(999999999999);

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

-- The shape of time_entries a run wrote into ('plain' or 'partitioned')
-- and its write path ('bare' for the bare INSERT; else time_entry.write_path
-- and the path time_entry.insert_path() reported just before, as in
-- 'auto:direct' or 'executor:executor') come from the settings bench.shape
-- and bench.path of the session.
CREATE TABLE bench.results (
	round		integer NOT NULL,		-- 0: a run outside the rounds
	shape		text NOT NULL,
	path		text NOT NULL,
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

-- list_entries at scale (test/bench/list.sql): medians of interleaved runs
CREATE TABLE bench.list (
	table_rows	bigint NOT NULL,
	span		text NOT NULL,			-- 'month' or 'year'
	rows		bigint NOT NULL,		-- rows returned
	query_ms	double precision NOT NULL,	-- the list query alone
	bare_ms		double precision NOT NULL,	-- it, building the response objects
	fn_ms		double precision NOT NULL,
	runs		integer NOT NULL,
	buffers		text					-- of the list query under EXPLAIN
);

CREATE TABLE bench.notes (
	seq			serial,
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
 * it created exactly the staged entries in the benchmark's workspace -- N
 * rows, no error reported, and every row holding the staged column values
 * -- or fail loudly.
 */
CREATE FUNCTION bench.record(round integer, run text, t0 timestamptz,
							 ok bigint, errors bigint, first_error text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	ms			double precision := extract(epoch FROM clock_timestamp() - t0) * 1000;
	staged		bigint := (SELECT count(*) FROM bench.staging);
	stored		bigint := (SELECT count(*) FROM bench.made);
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
			  FROM bench.made) d;
	IF differ <> 0 THEN
		PERFORM bench.fail(format('%s: %s staged entries are not stored as staged (first: n = %s)',
								  run, differ,
								  (SELECT min(s.n) FROM bench.staging s
									WHERE NOT EXISTS (
										SELECT FROM bench.made e
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
	INSERT INTO bench.results
	VALUES (round, current_setting('bench.shape'), current_setting('bench.path'), run, ms, stored);
END
$$;

/*
 * The bare SQL that get_entry and list_entries are measured against: the
 * response object of SPEC 5 built by jsonb_build_object from the row and
 * the rows it references (LEFT JOINs on the workspace and the id), with the
 * same keys and values: dates "YYYY-MM-DDT00:00:00" (Z in the UTC group),
 * times "HH:MM:SS" with a seven-digit fraction only when there is one,
 * both groups filled, a date-only entry's dates from its day, a running
 * entry's ends null.  A view only to write it once: the rewriter expands
 * it into the statement, so what pgbench prepares is the plain
 * SELECT jsonb_build_object(...) FROM time_entries e LEFT JOIN ... WHERE e.id = $1.
 * test/bench/pool.sql checks that it equals get_entry's answer.
 */
-- a time as SPEC 5 writes it; STABLE and not STRICT, like its body, so
-- that the planner inlines it into the statement
CREATE FUNCTION bench.clock(t timestamp) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT to_char(t, 'HH24:MI:SS')
		   || CASE WHEN to_char(t, 'US') <> '000000' THEN '.' || to_char(t, 'US') || '0' ELSE '' END
$$;

CREATE VIEW bench.responses AS
SELECT e.id, e.workspace_id, e.user_id, e.date_local, e.start_at, e.timezone,
	   jsonb_build_object(
		   'id', e.id,
		   'note', e.note,
		   'task', CASE WHEN t.id IS NOT NULL THEN jsonb_build_object(
					   'id', t.id, 'name', t.name,
					   'baseType', CASE WHEN t.project_id IS NULL THEN 'private' ELSE 'projecttask' END,
					   'projectId', t.project_id) END,
		   'user', CASE WHEN u.id IS NOT NULL THEN jsonb_build_object(
					   'id', u.id, 'lastName', u.last_name, 'firstName', u.first_name) END,
		   'breaks', '[]'::jsonb,
		   'taskId', e.task_id,
		   'userId', e.user_id,
		   'project', CASE WHEN p.id IS NOT NULL THEN jsonb_build_object(
					   'id', p.id, 'name', p.name, 'isBillableByDefault', p.is_billable_by_default) END,
		   'duration', e.duration,
		   'isBilled', e.is_billed,
		   'timezone', e.timezone,
		   'createdBy', e.created_by,
		   'createdOn', to_char(e.created_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"')
						|| bench.clock(e.created_on AT TIME ZONE 'UTC') || 'Z',
		   'projectId', e.project_id,
		   'updatedBy', e.updated_by,
		   'updatedOn', to_char(e.updated_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"')
						|| bench.clock(e.updated_on AT TIME ZONE 'UTC') || 'Z',
		   'endDateUtc', to_char(e.end_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T00:00:00Z"'),
		   'endTimeUtc', bench.clock(e.end_at AT TIME ZONE 'UTC'),
		   'isBillable', e.is_billable,
		   'isExternal', e.is_external,
		   'typeOfWork', CASE WHEN w.id IS NOT NULL THEN jsonb_build_object(
					   'id', w.id, 'icon', w.icon, 'name', w.name, 'isArchived', w.is_archived) END,
		   'endDateLocal', to_char(e.end_at AT TIME ZONE e.timezone, 'YYYY-MM-DD"T00:00:00"'),
		   'endTimeLocal', bench.clock(e.end_at AT TIME ZONE e.timezone),
		   'startDateUtc', CASE WHEN e.start_at IS NULL
							   THEN to_char(e.date_local, 'YYYY-MM-DD"T00:00:00Z"')
							   ELSE to_char(e.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T00:00:00Z"') END,
		   'startTimeUtc', bench.clock(e.start_at AT TIME ZONE 'UTC'),
		   'typeOfWorkId', e.type_of_work_id,
		   'breakDuration', e.break_duration,
		   'startDateLocal', CASE WHEN e.start_at IS NULL
								 THEN to_char(e.date_local, 'YYYY-MM-DD"T00:00:00"')
								 ELSE to_char(e.start_at AT TIME ZONE e.timezone, 'YYYY-MM-DD"T00:00:00"') END,
		   'startTimeLocal', bench.clock(e.start_at AT TIME ZONE e.timezone),
		   'resourceVersion', e.resource_version) AS response
  FROM time_entry.time_entries e
  LEFT JOIN time_entry.users u ON u.workspace_id = e.workspace_id AND u.id = e.user_id
  LEFT JOIN time_entry.projects p ON p.workspace_id = e.workspace_id AND p.id = e.project_id
  LEFT JOIN time_entry.tasks t ON t.workspace_id = e.workspace_id AND t.id = e.task_id
  LEFT JOIN time_entry.types_of_work w ON w.workspace_id = e.workspace_id AND w.id = e.type_of_work_id;
