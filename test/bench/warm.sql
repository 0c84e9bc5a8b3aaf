-- Part of the warm-up (test/bench/calibrate.sql): the three faces once over
-- the first 100 staged entries, on the session's write path.

\ir clear.sql
SELECT count(*) FROM time_entry.import_entries(
	(SELECT jsonb_agg(entry ORDER BY n) FROM bench.staging WHERE n <= 100), :'lead')
 WHERE error IS NULL \gset warm_
\ir clear.sql
SELECT count(time_entry.create_entry(entry, actor)) FROM bench.staging WHERE n <= 100 \gset warm_
\ir clear.sql
SELECT count(*) FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t
 WHERE s.n <= 100 AND t.error IS NULL \gset warm_
