-- The faces of one round (test/bench/round.sql), on the write path the
-- session's time_entry.write_path gives; the path recorded is the setting
-- and what time_entry.insert_path() says the path is ('auto:direct',
-- 'executor:executor', 'auto:executor' for a partitioned table).

-- (insert_path() first: it loads the library, which defines the setting)
SELECT CASE WHEN time_entry.insert_path() = 'direct' THEN 'direct' ELSE 'executor' END AS actual \gset
SELECT current_setting('time_entry.write_path') || ':' || :'actual' AS path \gset
SET bench.path = :'path';

-- try_create_entry
\ir clear.sql
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FILTER (WHERE t.error IS NULL AND t.id IS NOT NULL
						  AND t.id = (t.response->>'id')::uuid) AS ok,
	   count(t.error) AS errors, coalesce(min(t.error::text), '') AS first_error
  FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t \gset
SELECT bench.record(:round, 'try_create_entry', :'t0', :ok, :errors, :'first_error') AS recorded \gset

-- create_entry
\if :create
\ir clear.sql
SELECT clock_timestamp() AS t0 \gset
SELECT count(r) AS ok
  FROM (SELECT time_entry.create_entry(entry, actor) AS r FROM bench.staging) s \gset
SELECT bench.record(:round, 'create_entry', :'t0', :ok, 0, '') AS recorded \gset
\endif

-- import_entries
\ir clear.sql
TRUNCATE bench.tally;
SELECT clock_timestamp() AS t0 \gset
SELECT format('INSERT INTO bench.tally'
			  ' SELECT count(*) FILTER (WHERE error IS NULL AND id IS NOT NULL),'
			  ' count(error), min(ordinal::text || '': '' || error::text)'
			  ' FROM time_entry.import_entries('
			  '(SELECT entries FROM bench.batches WHERE b = %s), %L)', b, :'lead')
  FROM bench.batches ORDER BY b \gexec
SELECT sum(ok) AS ok, sum(errors) AS errors,
	   coalesce(min(first_error), '') AS first_error
  FROM bench.tally \gset
SELECT bench.record(:round, 'import_entries', :'t0', :ok, :errors, :'first_error') AS recorded \gset
