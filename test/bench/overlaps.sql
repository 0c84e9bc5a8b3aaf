-- try_create_entry with settings.prevent_overlaps on, once, after the
-- rounds of test/bench.sh: the staged entries never overlap, so all must
-- still be created; the difference to the rounds' median is the cost of the
-- check.  Then one request that overlaps a stored entry tells whether the
-- setting has any effect (it must be refused with 23P01, SPEC 6.5).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

UPDATE time_entry.settings SET prevent_overlaps = true;
TRUNCATE time_entry.time_entries;
CHECKPOINT;
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
INSERT INTO bench.notes
SELECT CASE :'overlap_outcome'
	   WHEN '23P01' THEN 'prevent_overlaps: an overlapping entry is refused (23P01), as it must be'
	   WHEN 'created' THEN 'prevent_overlaps HAS NO EFFECT: an entry overlapping a stored one was created; the "on" figure measures no check'
	   ELSE 'prevent_overlaps: an overlapping entry was refused with ' || :'overlap_outcome' || ', not 23P01'
	   END;

UPDATE time_entry.settings SET prevent_overlaps = false;
TRUNCATE time_entry.time_entries;
