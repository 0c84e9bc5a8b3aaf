-- c3 (coordinator, connected as role app: EXECUTE on the functions, no table privileges): pushdown.
-- run.sh passes w1 and w2: a workspace (10..41) whose shards are on 9701, and one on 9702 (c2 lists some).
\set VERBOSITY verbose
SELECT current_user;
SELECT '00000000-0000-4000-8000-0000000000' || :w1 AS ws1, '000000bb-0000-4000-8000-0000000000' || :w1 AS admin1,
	   '00000000-0000-4000-8000-0000000000' || :w2 AS ws2, '000000bb-0000-4000-8000-0000000000' || :w2 AS admin2,
	   format('{"userId":"000000cc-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-04-01","duration":1800}', :w1, :w1) AS entry1,
	   format('{"userId":"000000bb-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-04-01","duration":1800}', :w2, :w2) AS entry2,
	   format('{"userId":"000000cc-0000-4000-8000-0000000000%s","typeOfWorkId":"000000ff-0000-4000-8000-0000000000%s","timezone":"UTC","startDateLocal":"2025-04-02","duration":1800}', :w1, :w2) AS entry2_bad
\gset
\echo workspace :ws1 has its shards on 9701, :ws2 on 9702
SET client_min_messages = debug1;
-- 1. a valid call: pushed down, the whole create runs on the worker (workspace 10 is on 9702)
SELECT tw.create_entry('00000000-0000-4000-8000-000000000010', '{"userId":"000000bb-0000-4000-8000-000000000010","typeOfWorkId":"000000ff-0000-4000-8000-000000000010","timezone":"UTC","startDateLocal":"2025-03-10","duration":3600}', '000000bb-0000-4000-8000-000000000010');
-- 2. the deactivated member of workspace 10: the worker's error comes back with its SQLSTATE and message;
--    the COLUMN field the function raised does not
SELECT tw.create_entry('00000000-0000-4000-8000-000000000010', '{"userId":"000000cc-0000-4000-8000-000000000010","typeOfWorkId":"000000ff-0000-4000-8000-000000000010","timezone":"UTC","startDateLocal":"2025-03-10","duration":3600}', '000000bb-0000-4000-8000-000000000010');
-- 3. the admin of workspace 11 acting in workspace 10: not a user there, refused as an unknown actor
SELECT tw.create_entry('00000000-0000-4000-8000-000000000010', '{"userId":"000000bb-0000-4000-8000-000000000010","typeOfWorkId":"000000ff-0000-4000-8000-000000000010","timezone":"UTC","startDateLocal":"2025-03-10","duration":3600}', '000000bb-0000-4000-8000-000000000011');
-- 4. a call that is not the whole statement is not pushed down: it runs on the coordinator, its INSERT is
--    shipped to the worker, and time_entry.actor, set on the coordinator, does not go with it
SELECT tw.create_entry(:'ws1', :'entry1', :'admin1') IS NOT NULL AS created;
-- 5. the bare call inside a transaction block: not pushed down either
BEGIN;
SELECT tw.create_entry(:'ws1', :'entry1', :'admin1');
ROLLBACK;
-- 6. with force_delegation a bare call is pushed down in a transaction block too; two workspaces on two
--    workers commit together with two-phase commit
SET citus.log_remote_commands = on;
BEGIN;
SELECT tw.create_entry_fd(:'ws1', :'entry1', :'admin1');
SELECT tw.create_entry_fd(:'ws2', :'entry2', :'admin2');
COMMIT;
--    the second call refused (a user of the other workspace): the first worker's part is rolled back too
BEGIN;
SELECT tw.create_entry_fd(:'ws1', :'entry1', :'admin1');
SELECT tw.create_entry_fd(:'ws2', :'entry2_bad', :'admin2');
COMMIT;
RESET citus.log_remote_commands;
-- 7. the C probe pushed down: by name (as time_entry's lookup.c and store.c) it opens the worker's empty
--    shells; through the shard relation (users_<shardid>) it finds the row
SELECT tw.c_probe(:'ws1', :'admin1', false);
SELECT tw.c_probe(:'ws2', :'admin2', false);
-- 8. with a direct heap insert (table_tuple_insert, as store.c): into the shell found by name, and into the shard
SELECT tw.c_probe(:'ws1', :'admin1', true);
-- 9. not pushed down (in a transaction block): on the coordinator, which holds no shards; by name it finds
--    the coordinator's shell, which still holds the rows from before the distribution
BEGIN;
SELECT tw.c_probe(:'ws1', :'admin1', false);
COMMIT;
