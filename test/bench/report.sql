-- The table test/bench.sh prints at the end: the run's parameters and
-- build; the medians of the rounds with their ratios to the bare INSERT of
-- the same rows into the same table (on each write path, and on the
-- partitioned table), the prevent_overlaps run; pgbench's single calls with
-- their ratios to the bare SQL of the same rows; list_entries at scale
-- against the bare list query; the targets of issues 11, 12 and 13; notes.
-- Needs the psql variables n, rounds, seconds, slices, cpus, load_before,
-- load_after, parts, noise, list_rows, seed, build and elapsed.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\pset footer off
\pset null ''

CREATE TEMP VIEW med AS
SELECT shape, path, run,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
	   min(ms) AS min_ms, max(ms) AS max_ms, count(*) AS runs
  FROM bench.results GROUP BY shape, path, run;

-- the pgbench pairs: each function run and the bare run it is compared with
CREATE TEMP VIEW pairs (pos, run, bare, label, target) AS
VALUES (1, 'insert', NULL, 'pgbench: bare INSERT ... RETURNING', NULL),
	   (2, 'create_entry', 'insert', 'pgbench: create_entry', 0.8),
	   (3, 'update_bare', NULL, 'pgbench: bare UPDATE ... SET note ... RETURNING *', NULL),
	   (4, 'update_entry', 'update_bare', 'pgbench: update_entry, a new note', 0.8),
	   (5, 'update_bare_version', NULL, 'pgbench: bare UPDATE ... AND resource_version = v', NULL),
	   (6, 'update_entry_version', 'update_bare_version', 'pgbench: update_entry, expected_version', 0.8),
	   (7, 'get_bare', NULL, 'pgbench: bare SELECT jsonb_build_object ... LEFT JOIN', NULL),
	   (8, 'get_entry', 'get_bare', 'pgbench: get_entry', 0.8),
	   (9, 'stop_bare', NULL, 'pgbench: INSERT running + bare UPDATE of the end', NULL),
	   (10, 'stop_timer', 'stop_bare', 'pgbench: INSERT running + stop_timer', 0.8),
	   (11, 'timer_bare', NULL, 'pgbench: INSERT running + bare UPDATE of the end', NULL),
	   (12, 'timer', 'timer_bare', 'pgbench: start_timer + stop_timer', NULL);

\echo
\echo '===================================================================================================='
SELECT format('time_entry benchmark; build %s; %s', :'build', split_part(version(), ' on ', 1)) AS line \gset
\echo :line
SELECT format('parts: %s; %s entries staged, median of %s rounds; pgbench -M prepared, %s s a side in %s slices, --random-seed=%s',
			  :'parts', :n, :rounds, :seconds, :slices, :seed) AS line \gset
\echo :line
SELECT format('workspaces: %s (the benchmark''s, "%s"; a second with %s entries as noise; the default one, empty); pool of %s entries for update_entry and get_entry',
			  (SELECT count(*) FROM time_entry.workspaces),
			  (SELECT name FROM time_entry.workspaces WHERE id = bench.workspace()),
			  :noise, :n) AS line \gset
\echo :line
SELECT format('jit %s, shared_buffers %s, fsync %s, synchronous_commit %s; settings %s',
			  current_setting('jit'), current_setting('shared_buffers'),
			  current_setting('fsync'), current_setting('synchronous_commit'),
			  CASE WHEN (SELECT reltuples FROM pg_class
						  WHERE oid = 'time_entry.settings'::regclass) < 0
				   THEN 'never analyzed (as autovacuum leaves it)'
				   ELSE 'analyzed (BENCH_ANALYZE=1)' END) AS line \gset
\echo :line
\echo :cpus 'CPUs; load average' :load_before 'at the start,' :load_after 'at the end (other work on the machine makes the figures noisy);' :elapsed 's in all'
\echo
SELECT row_number() OVER (ORDER BY part, clients, pos, run) AS "#", run, clients AS "cl", ms AS "ms",
	   range_ms AS "range ms", us AS "µs each", tps, ratio AS "ratio", target
  FROM (
	-- the rounds
	SELECT CASE WHEN m.shape = 'partitioned' THEN 3
				WHEN m.path LIKE 'executor:%' THEN 2 ELSE 1 END AS part,
		   coalesce(array_position(ARRAY['insert', 'try_create_entry', 'create_entry', 'import_entries',
										 'try_create_entry, prevent_overlaps on'], m.run), 9) AS pos,
		   CASE WHEN m.shape = 'partitioned' THEN 'partitioned: ' ELSE '' END
		   || CASE m.run
			   WHEN 'insert' THEN 'bare INSERT ... SELECT (trigger on)'
			   WHEN 'try_create_entry' THEN 'try_create_entry, CROSS JOIN LATERAL'
			   WHEN 'create_entry' THEN 'create_entry, SELECT over the staging'
			   WHEN 'import_entries' THEN 'import_entries, batches of 1 000'
			   ELSE m.run || ' (one run)' END
		   || CASE WHEN m.path = 'bare' THEN ''
				   WHEN m.path LIKE 'executor:%' THEN ' [write_path = executor]'
				   ELSE ' [' || split_part(m.path, ':', 2) || ']' END AS run,
		   1 AS clients,
		   round(m.ms::numeric, 1) AS ms,
		   CASE WHEN m.runs > 1
				THEN round(m.min_ms::numeric) || '-' || round(m.max_ms::numeric) END AS range_ms,
		   round((1000 * m.ms / :n)::numeric, 1) AS us,
		   NULL::numeric AS tps,
		   round((m.ms / i.ms)::numeric, 2) AS ratio,
		   CASE WHEN m.run = 'try_create_entry' AND m.shape = 'plain' AND m.path LIKE 'auto:%'
				THEN CASE WHEN m.ms / i.ms <= 1.5 THEN '<= 2.0 (aim 1.5): met, aim met'
						  WHEN m.ms / i.ms <= 2.0 THEN '<= 2.0 (aim 1.5): met'
						  ELSE '<= 2.0 (aim 1.5): MISSED by ' || round((m.ms / i.ms - 2.0)::numeric, 2) END
				WHEN m.run = 'try_create_entry, prevent_overlaps on'
				THEN round((m.ms / d.ms)::numeric, 2) || 'x the run with it off'
				WHEN m.path LIKE 'executor:%' AND m.shape = 'plain'
				THEN round((m.ms / d.ms)::numeric, 2) || 'x the same face on the default path'
				WHEN m.shape = 'partitioned' AND m.run <> 'insert'
				THEN round((m.ms / d.ms)::numeric, 2) || 'x the same face on the plain table'
				WHEN m.shape = 'partitioned'
				THEN round((m.ms / d.ms)::numeric, 2) || 'x the INSERT into the plain table'
		   END AS target
	  FROM med m
	  JOIN med i ON i.shape = m.shape AND i.path = 'bare' AND i.run = 'insert'
	  LEFT JOIN med d ON d.shape = 'plain' AND (d.path = 'bare' OR d.path LIKE 'auto:%')
					 AND d.run = CASE WHEN m.run LIKE 'try_create_entry%' THEN 'try_create_entry' ELSE m.run END
	UNION ALL
	-- pgbench: single calls
	SELECT 4, p.pos, p.label, c.clients, NULL, NULL,
		   round((1000000 * c.clients / c.tps)::numeric),
		   round(c.tps::numeric),
		   round((c.tps / coalesce(b.tps, c.tps))::numeric, 2),
		   CASE WHEN p.target IS NOT NULL AND b.tps IS NOT NULL
				THEN CASE WHEN c.tps / b.tps >= p.target THEN '>= ' || p.target || ': met'
						  ELSE '>= ' || p.target || ': MISSED by ' || round((p.target - c.tps / b.tps)::numeric, 2) END
					 -- the stop alone: each side's time less the INSERT's, as the
					 -- bare INSERT ... RETURNING of the same clients took it
					 || CASE WHEN p.run = 'stop_timer' AND ins.tps IS NOT NULL
								  AND 1 / c.tps - 1 / ins.tps > 0 AND 1 / b.tps - 1 / ins.tps > 0
							 THEN '; the stop alone about '
								  || round(((1 / b.tps - 1 / ins.tps) / (1 / c.tps - 1 / ins.tps))::numeric, 2)
							 ELSE '' END
				WHEN p.run = 'timer' AND b.tps IS NOT NULL
				THEN 'start and stop through the functions'
		   END
	  FROM bench.tps c
	  JOIN pairs p ON p.run = c.run
	  LEFT JOIN bench.tps b ON b.clients = c.clients AND b.run = p.bare
	  LEFT JOIN bench.tps ins ON ins.clients = c.clients AND ins.run = 'insert'
  ) r
 ORDER BY part, clients, pos, run;
\echo 'Rounds: the staged entries created in one statement (import_entries: one statement a batch) into'
\echo 'the benchmark''s workspace, emptied of them, with the other workspace''s entries in the table;'
\echo 'median of the rounds; [path]: the write path time_entry.insert_path() reported.  ratio = time / the'
\echo 'bare INSERT''s time into the same table (lower is better).  pgbench rows: single calls, -M prepared,'
\echo 'cl clients,' :seconds 's for each function and for the bare SQL above it, the two in turn in' :slices 'slices,'
\echo 'the same rows from the same random draws; µs each = time of a transaction; ratio = tps / the tps of'
\echo 'the bare SQL above it (higher is better).  The stop rows each start a running entry with the same'
\echo 'bare INSERT first (see test/bench/stop_bare.pgbench); "the stop alone" takes the INSERT ... RETURNING'
\echo 'row''s time off both.'

SELECT EXISTS (SELECT FROM bench.list) AS have_list \gset
\if :have_list
\echo
\echo 'list_entries: SELECT count(*) FROM time_entry.list_entries(team lead, user_id => user 42, from_date, to_date),'
\echo 'a month (2023-06) and a year (2023), medians of runs in turn with the bare SQL of the same rows: the list'
\echo 'query building the same objects (SELECT jsonb_build_object ... LEFT JOIN ..., "bare ms"), and the list'
\echo 'query alone (its whole rows, "query ms").  ratio = list_entries'' time / the bare time (lower is better);'
\echo '"vs": list_entries'' time against the line it names.'
SELECT row_number() OVER (ORDER BY l.table_rows, l.span) AS "#",
	   l.table_rows AS "entries", l.span AS "span", l.rows AS "rows",
	   round(l.query_ms::numeric, 2) AS "query ms", round(l.bare_ms::numeric, 2) AS "bare ms",
	   round(l.fn_ms::numeric, 2) AS "list_entries ms",
	   round((l.fn_ms / l.bare_ms)::numeric, 2) AS "ratio",
	   round((l.fn_ms / l.query_ms)::numeric, 2) AS "/ query",
	   round((1000 * l.fn_ms / l.rows)::numeric, 1) AS "µs a row",
	   CASE WHEN l.span = 'month' AND s.table_rows IS NOT NULL
			THEN round((l.fn_ms / s.fn_ms)::numeric, 2) || 'x at ' || s.table_rows || ' entries ('
				 || s.rows || ' rows)'
			WHEN l.span = 'year'
			THEN round((l.fn_ms / m.fn_ms)::numeric, 2) || 'x the month, for '
				 || round((l.rows::numeric / m.rows), 1) || 'x the rows'
	   END AS "vs",
	   l.buffers AS "list query, EXPLAIN"
  FROM bench.list l
  LEFT JOIN bench.list s ON s.span = 'month' AND s.table_rows < l.table_rows
  LEFT JOIN bench.list m ON m.span = 'month' AND m.table_rows = l.table_rows
 ORDER BY l.table_rows, l.span;
\endif
\echo
\pset tuples_only on
SELECT note FROM bench.notes ORDER BY seq;
\pset tuples_only off
\echo '===================================================================================================='
