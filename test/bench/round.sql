-- One round of the benchmark: the same staged entries created several ways,
-- each into the benchmark's workspace emptied of them (test/bench/clear.sql),
-- timed from the client, then checked by bench.record (N rows, no error, the
-- staged column values).  Used by test/bench.sh, in each database, with the
-- psql variables
--   round     the round's number
--   shape     'plain', or 'partitioned' in the database whose time_entries
--             is partitioned
--   create    1: create_entry is one of the contenders (0: only
--             try_create_entry and import_entries)
--   executor  1: the faces also run with time_entry.write_path = executor
--
--   insert            the bare INSERT ... SELECT of the staged column values
--                     (the audit trigger on, the actor from time_entry.actor)
--   try_create_entry  over the staged requests with CROSS JOIN LATERAL
--   create_entry      over the staged requests, one SELECT
--   import_entries    the staged requests in batches of 1 000, one
--                     statement (and transaction) a batch, as a client would
--                     send them; the actor is a team lead for every batch
-- (test/bench/faces.sql), first on the path the extension takes by itself
-- for the table (direct for the shape it created), then, with executor,
-- on the general path.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\set lead 'b0000000-0000-4000-8000-000000000001'
SET time_entry.actor = :'lead';
SET bench.shape = :'shape';

-- 1. bare INSERT
SET bench.path = 'bare';
\ir clear.sql
SELECT clock_timestamp() AS t0 \gset
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, task_id, note, timezone,
	 date_local, start_at, end_at, duration, is_billable, is_billed, workspace_id)
SELECT user_id, type_of_work_id, project_id, task_id, note, timezone,
	   date_local, start_at, end_at, duration, is_billable, is_billed, bench.workspace()
  FROM bench.staging;
SELECT bench.record(:round, 'insert', :'t0', (SELECT count(*) FROM bench.staging), 0, '') AS recorded \gset

-- 2. the faces, on the path of the table's shape
RESET time_entry.write_path;
\ir faces.sql

-- 3. the faces again, through the executor
\if :executor
SET time_entry.write_path = executor;
\ir faces.sql
RESET time_entry.write_path;
\endif
