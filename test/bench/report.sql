-- The table test/bench.sh prints at the end: medians of the rounds, ratios
-- to the bare INSERT, the prevent_overlaps run, pgbench's single calls and
-- the targets of issue 4.  Needs the psql variables n, rounds, seconds,
-- cpus, load_before and load_after.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\pset footer off
\pset null ''

CREATE TEMP VIEW med AS
SELECT run,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
	   min(ms) AS min_ms, max(ms) AS max_ms, count(*) AS runs
  FROM bench.results GROUP BY run;

\echo
\echo '================================================================================'
SELECT format('time_entry benchmark: %s entries, median of %s rounds; %s',
			  :n, :rounds, split_part(version(), ' on ', 1)) AS line \gset
\echo :line
SELECT format('jit %s, shared_buffers %s, fsync %s, synchronous_commit %s; settings %s',
			  current_setting('jit'), current_setting('shared_buffers'),
			  current_setting('fsync'), current_setting('synchronous_commit'),
			  CASE WHEN (SELECT reltuples FROM pg_class
						  WHERE oid = 'time_entry.settings'::regclass) < 0
				   THEN 'never analyzed (as autovacuum leaves it)'
				   ELSE 'analyzed (BENCH_ANALYZE=1)' END) AS line \gset
\echo :line
\echo :cpus 'CPUs; load average' :load_before 'at the start,' :load_after 'at the end (other work on the machine makes the figures noisy)'
\echo
SELECT row_number() OVER (ORDER BY part, clients, pos, run) AS "#", run, clients AS "cl", ms AS "ms",
	   range_ms AS "range ms", us AS "µs each", tps, ratio AS "ratio", target
  FROM (
	SELECT 1 AS part,
		   array_position(ARRAY['insert', 'try_create_entry', 'create_entry', 'import_entries'], m.run) AS pos,
		   CASE m.run
			   WHEN 'insert' THEN 'bare INSERT ... SELECT (trigger on)'
			   WHEN 'try_create_entry' THEN 'try_create_entry, CROSS JOIN LATERAL'
			   WHEN 'create_entry' THEN 'create_entry, SELECT over the staging'
			   WHEN 'import_entries' THEN 'import_entries, batches of 1 000'
			   ELSE m.run || ' (one run)' END AS run,
		   1 AS clients,
		   round(m.ms::numeric, 1) AS ms,
		   CASE WHEN m.runs > 1
				THEN round(m.min_ms::numeric) || '-' || round(m.max_ms::numeric) END AS range_ms,
		   round((1000 * m.ms / :n)::numeric, 1) AS us,
		   NULL::numeric AS tps,
		   round((m.ms / i.ms)::numeric, 2) AS ratio,
		   CASE m.run
			   WHEN 'try_create_entry'
			   THEN CASE WHEN m.ms / i.ms <= 1.5 THEN '<= 2.0 (aim 1.5): met, aim met'
						 WHEN m.ms / i.ms <= 2.0 THEN '<= 2.0 (aim 1.5): met'
						 ELSE '<= 2.0 (aim 1.5): MISSED' END
			   WHEN 'try_create_entry, prevent_overlaps on'
			   THEN round((m.ms / t.ms)::numeric, 2) || 'x the run with it off'
		   END AS target
	  FROM med m
	 CROSS JOIN (SELECT ms FROM med WHERE run = 'insert') i
	 CROSS JOIN (SELECT ms FROM med WHERE run = 'try_create_entry') t
	UNION ALL
	SELECT 2, CASE c.run WHEN 'insert' THEN 1 ELSE 2 END,
		   CASE c.run WHEN 'insert' THEN 'pgbench: bare INSERT ... RETURNING'
					  ELSE 'pgbench: create_entry' END,
		   c.clients, NULL, NULL,
		   round((1000000 * c.clients / c.tps)::numeric),
		   round(c.tps::numeric),
		   round((c.tps / i.tps)::numeric, 2),
		   CASE WHEN c.run = 'insert' THEN NULL
				WHEN c.tps / i.tps >= 0.8 THEN '>= 0.8: met'
				ELSE '>= 0.8: MISSED' END
	  FROM bench.tps c
	  JOIN bench.tps i ON i.clients = c.clients AND i.run = 'insert'
  ) r
 ORDER BY part, clients, pos, run;
\echo 'Rows 1-5: the staged entries created in one statement (import_entries: one'
\echo 'statement a batch) into an empty time_entries, median of the rounds; ratio ='
\echo 'time / the bare INSERT''s time (lower is better).  pgbench rows: single calls,'
\echo '-M prepared,' :seconds 's a run, cl clients, the same rows built from the same random'
\echo 'variables; ratio = tps / the bare INSERT''s tps (higher is better).'
\echo
\pset tuples_only on
SELECT note FROM bench.notes;
\pset tuples_only off
\echo '================================================================================'
