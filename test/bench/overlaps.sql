-- try_create_entry with settings.prevent_overlaps on, once, after the
-- rounds of test/bench.sh: the staged entries never overlap, so all must
-- still be created; the difference to the rounds' median is the cost of the
-- check.  Then one request that overlaps a stored entry tells whether the
-- setting has any effect (it must be refused with 23P01, SPEC 6.5).  The
-- setting is the benchmark workspace's; the other workspace keeps its own.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET bench.shape = 'plain';
-- (insert_path() first: it loads the library, which defines the setting)
SELECT CASE WHEN time_entry.insert_path() = 'direct' THEN 'direct' ELSE 'executor' END AS actual \gset
SELECT current_setting('time_entry.write_path') || ':' || :'actual' AS path \gset
SET bench.path = :'path';

UPDATE time_entry.settings SET prevent_overlaps = true WHERE workspace_id = bench.workspace();
\ir clear.sql
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FILTER (WHERE t.error IS NULL AND t.id IS NOT NULL) AS ok,
	   count(t.error) AS errors, coalesce(min(t.error::text), '') AS first_error
  FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t \gset
SELECT bench.record(0, 'try_create_entry, prevent_overlaps on', :'t0', :ok, :errors, :'first_error') AS recorded \gset

-- the first staged entry again: the same times as the stored one
SELECT coalesce(t.error->>'sqlstate', 'created') AS overlap_outcome
  FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(
	 s.entry - 'note' || jsonb_build_object('note', 'overlap probe'), s.actor) t
 WHERE s.n = 1 \gset
INSERT INTO bench.notes (note)
SELECT CASE :'overlap_outcome'
	   WHEN '23P01' THEN 'prevent_overlaps: an overlapping entry is refused (23P01), as it must be'
	   WHEN 'created' THEN 'prevent_overlaps HAS NO EFFECT: an entry overlapping a stored one was created; the "on" figure measures no check'
	   ELSE 'prevent_overlaps: an overlapping entry was refused with ' || :'overlap_outcome' || ', not 23P01'
	   END;

UPDATE time_entry.settings SET prevent_overlaps = false WHERE workspace_id = bench.workspace();
\ir clear.sql
