-- r2 (coordinator, connected as role app_router: EXECUTE on te_route's faces only): time_entry's own C
-- create_entry, reached through Citus
\set VERBOSITY verbose
SELECT current_user;
\ir r_vars.sql
SET client_min_messages = debug1;
-- 1. valid: pushed down; time_entry on the worker writes the entry, audited with the actor
SELECT te_route.create_entry(:'ws1', :'timed1', :'admin1');
SELECT te_route.create_entry(:'ws2', :'running2', :'admin2');
-- 2. refused by time_entry on the worker (a user of another workspace): SQLSTATE, message and DETAIL come
--    back; SCHEMA, TABLE, COLUMN and CONSTRAINT NAME (time_entry's property and code) do not; r3b makes
--    the same call on the worker directly
SELECT te_route.create_entry(:'ws1', :'foreign_user1', :'admin1');
--    the same as data (try_create_entry): every field arrives
SELECT te_route.try_create_entry(:'ws1', :'foreign_user1', :'admin1');
-- 3. an actor of another workspace: refused as an unknown actor (te_route.authorize)
SELECT te_route.create_entry(:'ws1', :'day1', :'admin2');
-- 4. not pushed down (a transaction block): the function runs on the coordinator, which holds no workspace
BEGIN;
SELECT te_route.create_entry(:'ws1', :'day1', :'admin1');
ROLLBACK;
--    with force_delegation a bare call is pushed down there too; two workspaces on two workers commit with 2PC
SET citus.log_remote_commands = on;
BEGIN;
SELECT te_route.create_entry_fd(:'ws1', :'day1', :'admin1');
SELECT te_route.create_entry_fd(:'ws2', :'day2', :'admin2');
COMMIT;
RESET citus.log_remote_commands;
