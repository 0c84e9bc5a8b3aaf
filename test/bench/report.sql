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
\echo 'Staged entries created in one statement (per batch for import_entries),'
\echo 'each into an empty time_entries:'
SELECT CASE m.run
		   WHEN 'insert' THEN 'bare INSERT ... SELECT (trigger on)'
		   WHEN 'try_create_entry' THEN 'try_create_entry, CROSS JOIN LATERAL'
		   WHEN 'create_entry' THEN 'create_entry, SELECT over the staging'
		   WHEN 'import_entries' THEN 'import_entries, batches of 1 000'
		   ELSE m.run || ' (one run)' END AS "run",
	   round(m.ms::numeric, 1) AS "ms",
	   round((1000 * m.ms / :n)::numeric, 1) AS "µs/entry",
	   round((m.ms / i.ms)::numeric, 2) AS "× INSERT",
	   CASE WHEN m.runs > 1
			THEN round(m.min_ms::numeric) || '-' || round(m.max_ms::numeric) END AS "range ms",
	   CASE m.run
		   WHEN 'try_create_entry'
		   THEN CASE WHEN m.ms / i.ms <= 1.5 THEN 'target ≤ 2.0× (aim 1.5×): met, aim met'
					 WHEN m.ms / i.ms <= 2.0 THEN 'target ≤ 2.0× (aim 1.5×): met'
					 ELSE 'target ≤ 2.0× (aim 1.5×): MISSED' END
		   WHEN 'try_create_entry, prevent_overlaps on'
		   THEN round((m.ms / t.ms)::numeric, 2) || '× try_create_entry with it off'
	   END AS "note"
  FROM med m
 CROSS JOIN (SELECT ms FROM med WHERE run = 'insert') i
 CROSS JOIN (SELECT ms FROM med WHERE run = 'try_create_entry') t
 ORDER BY array_position(ARRAY['insert', 'try_create_entry', 'create_entry', 'import_entries'], m.run),
		  m.run;

\echo
\echo 'Single calls with pgbench -M prepared,' :seconds 's a run (the same rows, built from'
\echo 'the same random variables):'
SELECT c.clients AS "clients",
	   round(i.tps::numeric) AS "INSERT ... RETURNING tps",
	   round(c.tps::numeric) AS "create_entry tps",
	   round((c.tps / i.tps)::numeric, 2) AS "ratio",
	   round((1000000 * c.clients / c.tps)::numeric) AS "create_entry µs/call",
	   CASE WHEN c.tps / i.tps >= 0.8 THEN 'target ≥ 0.8×: met'
			ELSE 'target ≥ 0.8×: MISSED' END AS "note"
  FROM bench.tps c
  JOIN bench.tps i ON i.clients = c.clients AND i.run = 'insert'
 WHERE c.run = 'create_entry'
 ORDER BY c.clients;

\pset tuples_only on
SELECT note FROM bench.notes;
\pset tuples_only off
\echo '================================================================================'
