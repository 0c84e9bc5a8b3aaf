-- One round of the benchmark: the same staged entries created four ways,
-- each into an empty time_entries, timed from the client, then checked by
-- bench.record (N rows, no error, the staged column values).  Used by
-- test/bench.sh with the psql variable round.
--
--   insert            the bare INSERT ... SELECT of the staged column values
--                     (the audit trigger on, the actor from time_entry.actor)
--   try_create_entry  over the staged requests with CROSS JOIN LATERAL
--   create_entry      over the staged requests, one SELECT
--   import_entries    the staged requests in batches of 1 000, one
--                     statement (and transaction) a batch, as a client would
--                     send them; the actor is a team lead for every batch

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\set lead 'b0000000-0000-4000-8000-000000000001'
SET time_entry.actor = :'lead';

-- 1. bare INSERT
TRUNCATE time_entry.time_entries;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, task_id, note, timezone,
	 date_local, start_at, end_at, duration, is_billable, is_billed)
SELECT user_id, type_of_work_id, project_id, task_id, note, timezone,
	   date_local, start_at, end_at, duration, is_billable, is_billed
  FROM bench.staging;
SELECT bench.record(:round, 'insert', :'t0', (SELECT count(*) FROM bench.staging), 0, '') AS recorded \gset

-- 2. try_create_entry
TRUNCATE time_entry.time_entries;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FILTER (WHERE t.error IS NULL AND t.id IS NOT NULL
						  AND t.id = (t.response->>'id')::uuid) AS ok,
	   count(t.error) AS errors, coalesce(min(t.error::text), '') AS first_error
  FROM bench.staging s
 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t \gset
SELECT bench.record(:round, 'try_create_entry', :'t0', :ok, :errors, :'first_error') AS recorded \gset

-- 3. create_entry
TRUNCATE time_entry.time_entries;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
SELECT count(r) AS ok
  FROM (SELECT time_entry.create_entry(entry, actor) AS r FROM bench.staging) s \gset
SELECT bench.record(:round, 'create_entry', :'t0', :ok, 0, '') AS recorded \gset

-- 4. import_entries
TRUNCATE time_entry.time_entries, bench.tally;
CHECKPOINT;
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
