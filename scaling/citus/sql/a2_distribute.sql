-- a2 (coordinator, after a1): distributing the extension's tables by workspace_id, or as reference tables.
-- Each attempt is in its own transaction, rolled back.
\set VERBOSITY verbose
-- 1. with Citus' defaults: every table has a trigger, which Citus refuses before anything else
BEGIN; SELECT create_distributed_table('time_entry.workspaces', 'id'); ROLLBACK;
BEGIN; SELECT create_reference_table('time_entry.workspaces'); ROLLBACK;
BEGIN; SELECT create_reference_table('time_entry.roles'); ROLLBACK;
BEGIN; SELECT create_distributed_table('time_entry.users', 'workspace_id'); ROLLBACK;
BEGIN; SELECT create_distributed_table('time_entry.settings', 'workspace_id'); ROLLBACK;
BEGIN; SELECT create_distributed_table('time_entry.time_entries', 'workspace_id'); ROLLBACK;
-- 2. with triggers allowed (citus.enable_unsafe_triggers = on)
SET citus.enable_unsafe_triggers = on;
--    a reference table: Citus converts the FK-connected local tables and sends CREATE TABLE to the
--    workers, where CREATE EXTENSION already created them
BEGIN; SELECT create_reference_table('time_entry.workspaces'); ROLLBACK;
BEGIN; SELECT create_reference_table('time_entry.roles'); ROLLBACK;
BEGIN; SELECT create_reference_table('time_entry.time_entries'); ROLLBACK;
--    hash-distributing workspaces: the copy into the shards fires the trigger workspace_settings on each
--    shard, which inserts into the worker's own (extension-made, local) settings table
BEGIN; SELECT create_distributed_table('time_entry.workspaces', 'id'); ROLLBACK;
--    hash-distributing the others by workspace_id: they reference workspaces, still a local table
BEGIN; SELECT create_distributed_table('time_entry.roles', 'workspace_id'); ROLLBACK;
BEGIN; SELECT create_distributed_table('time_entry.settings', 'workspace_id'); ROLLBACK;
BEGIN; SELECT create_distributed_table('time_entry.time_entries', 'workspace_id'); ROLLBACK;
RESET citus.enable_unsafe_triggers;
SELECT count(*) AS distributed_tables FROM pg_dist_partition;
