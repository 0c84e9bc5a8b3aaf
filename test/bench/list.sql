-- list_entries at the table's present size, for test/bench.sh: one user's
-- month (and, with year = 1, the same user's year), read as a team lead.
-- Needs the psql variables year and reps.
--
-- 1. The time of SELECT count(*) FROM time_entry.list_entries(...) against
--    the bare SQL of the same rows: the list query building the same
--    response objects (bench.responses), and the list query alone (its
--    rows, whole); the three in turn, reps times each; the medians go to
--    bench.list.
-- 2. EXPLAIN (ANALYZE, BUFFERS) of the query list_entries runs (src/
--    lifecycle.c, te_list_entries: planned with the values, as here), and a
--    loud failure if it scans time_entries sequentially.  (test/bench.sh
--    also checks list_entries' own plan through auto_explain.)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\set lead 'b0000000-0000-4000-8000-000000000001'
\set listed 'b0000000-0000-4000-8000-000000000042'

CREATE OR REPLACE FUNCTION pg_temp.explain(from_date date, to_date date)
RETURNS SETOF text
LANGUAGE plpgsql
AS $$
DECLARE
	line		text;
BEGIN
	FOR line IN EXECUTE format(
		'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) '
		'SELECT * FROM time_entry.time_entries e'
		' WHERE e.workspace_id = %L AND e.user_id = %L'
		' AND e.date_local >= %L AND e.date_local <= %L'
		' ORDER BY coalesce(e.start_at, e.date_local::timestamp AT TIME ZONE e.timezone), e.id',
		bench.workspace(), bench.id('b', 42), from_date, to_date)
	LOOP
		RETURN NEXT line;
	END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION pg_temp.time_list(p_actor uuid, p_user uuid, p_from date, p_to date,
											 reps integer, OUT n_rows bigint, OUT query_ms double precision,
											 OUT bare_ms double precision, OUT fn_ms double precision)
LANGUAGE plpgsql
AS $$
DECLARE
	query		double precision[] := '{}';
	bare		double precision[] := '{}';
	fn			double precision[] := '{}';
	t0			timestamptz;
	c_query		bigint;
	c_bare		bigint;
	c_fn		bigint;
BEGIN
	FOR i IN 1 .. reps LOOP
		-- the three in turn, each round starting with another
		FOR side IN 0 .. 2 LOOP
			t0 := clock_timestamp();
			CASE (i + side) % 3
			WHEN 0 THEN
				SELECT count(s) INTO c_query
				  FROM (SELECT * FROM time_entry.time_entries e
						 WHERE e.workspace_id = bench.workspace() AND e.user_id = p_user
						   AND e.date_local >= p_from AND e.date_local <= p_to
						 ORDER BY coalesce(e.start_at, e.date_local::timestamp AT TIME ZONE e.timezone), e.id) s;
				query := query || extract(epoch FROM clock_timestamp() - t0) * 1000;
			WHEN 1 THEN
				SELECT count(s.response) INTO c_bare
				  FROM (SELECT r.response FROM bench.responses r
						 WHERE r.workspace_id = bench.workspace() AND r.user_id = p_user
						   AND r.date_local >= p_from AND r.date_local <= p_to
						 ORDER BY coalesce(r.start_at, r.date_local::timestamp AT TIME ZONE r.timezone), r.id) s;
				bare := bare || extract(epoch FROM clock_timestamp() - t0) * 1000;
			ELSE
				SELECT count(*) INTO c_fn
				  FROM time_entry.list_entries(p_actor, user_id => p_user,
											   from_date => p_from, to_date => p_to);
				fn := fn || extract(epoch FROM clock_timestamp() - t0) * 1000;
			END CASE;
		END LOOP;
	END LOOP;
	IF c_bare IS DISTINCT FROM c_fn OR c_query IS DISTINCT FROM c_fn OR c_fn = 0 THEN
		PERFORM bench.fail(format('list_entries returned %s rows, the bare query %s, the list query %s',
								  c_fn, c_bare, c_query));
	END IF;
	n_rows := c_fn;
	query_ms := (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(query) v);
	bare_ms := (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(bare) v);
	fn_ms := (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(fn) v);
END
$$;

SELECT count(*) AS table_rows FROM time_entry.time_entries \gset

-- 1. the timings (first: the plan below then shows the cache they leave)
INSERT INTO bench.list
SELECT :table_rows, 'month', t.n_rows, t.query_ms, t.bare_ms, t.fn_ms, :reps, NULL
  FROM pg_temp.time_list(:'lead', :'listed', '2023-06-01', '2023-06-30', :reps) t;
\if :year
INSERT INTO bench.list
SELECT :table_rows, 'year', t.n_rows, t.query_ms, t.bare_ms, t.fn_ms, :reps, NULL
  FROM pg_temp.time_list(:'lead', :'listed', '2023-01-01', '2023-12-31', :reps) t;
\endif

-- 2. the plan
CREATE TEMP TABLE plan AS
SELECT 'month' AS span, row_number() OVER () AS i, line
  FROM pg_temp.explain('2023-06-01', '2023-06-30') line;
\if :year
INSERT INTO plan
SELECT 'year', row_number() OVER (), line
  FROM pg_temp.explain('2023-01-01', '2023-12-31') line;
\endif
\echo
\echo 'EXPLAIN (ANALYZE, BUFFERS) of list_entries'' query, one user''s month (and year) at' :table_rows 'entries:'
\pset tuples_only on
\pset format unaligned
SELECT span || ' | ' || line FROM plan ORDER BY span, i;
\pset format aligned
\pset tuples_only off
SELECT count(*) FILTER (WHERE line ~ 'Seq Scan on time_entries') AS seq_scans,
	   count(*) FILTER (WHERE line ~ '(Index|Index Only|Bitmap Heap) Scan .*on time_entries') AS index_scans,
	   string_agg(line, ' / ' ORDER BY span, i) FILTER (WHERE line ~ 'Seq Scan on time_entries') AS which
  FROM plan \gset
SELECT :seq_scans <> 0 OR :index_scans = 0 AS bad_plan \gset
\if :bad_plan
SELECT bench.fail(format('the list query scans time_entries sequentially at %s entries (%s index scans): %s',
						 :table_rows, :index_scans, :'which'));
\endif

UPDATE bench.list l
   SET buffers = (SELECT trim(p.line) FROM plan p
				   WHERE p.span = l.span AND p.line ~ 'Buffers' ORDER BY p.i LIMIT 1)
 WHERE l.table_rows = :table_rows;
