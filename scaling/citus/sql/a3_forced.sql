-- a3 (coordinator, after a2): forcing it.  citus.enable_ddl_propagation = off keeps Citus from sending
-- CREATE TABLE to the workers, citus.enable_unsafe_triggers = on lets the triggers through.  What the keys
-- of the current schema then allow: one transaction, each attempt behind a savepoint, all rolled back.
\set VERBOSITY verbose
SET citus.enable_ddl_propagation = off;
SET citus.enable_unsafe_triggers = on;
BEGIN;
SELECT create_reference_table('time_entry.workspaces');
SELECT create_reference_table('time_entry.default_workspace');
SAVEPOINT s;
-- 1. a referenced table by workspace_id: PRIMARY KEY (id) does not contain the distribution column
--    (UNIQUE (workspace_id, id) would be fine)
SELECT create_distributed_table('time_entry.roles', 'workspace_id');
ROLLBACK TO SAVEPOINT s;
--    without that primary key roles goes through; the primary keys of the link tables do not contain
--    workspace_id either, e.g. role_permissions (role_id, feature, access_level)
ALTER TABLE time_entry.roles DROP CONSTRAINT roles_pkey;
SELECT create_distributed_table('time_entry.roles', 'workspace_id');
SELECT create_distributed_table('time_entry.role_permissions', 'workspace_id', colocate_with => 'time_entry.roles');
ROLLBACK TO SAVEPOINT s;
-- 2. settings, PRIMARY KEY (workspace_id): hash-distributed by workspace_id it goes through
SELECT create_distributed_table('time_entry.settings', 'workspace_id');
ROLLBACK TO SAVEPOINT s;
--    as a reference table its trigger settings_upsert, copied onto the coordinator's placement, fires on
--    Citus' COPY and runs a distributed UPDATE of the table being copied
SELECT create_reference_table('time_entry.settings');
ROLLBACK TO SAVEPOINT s;
-- 3. time_entries by workspace_id, with the directory as reference tables
SELECT create_reference_table('time_entry.' || t) FROM unnest(ARRAY['roles', 'role_permissions', 'users', 'project_roles',
	'project_role_permissions', 'projects', 'project_members', 'tasks', 'task_assignees', 'types_of_work']) AS t;
SAVEPOINT d;
--    as it is: the foreign key on user_id is ON DELETE SET NULL (user_id), and it contains workspace_id
SELECT create_distributed_table('time_entry.time_entries', 'workspace_id');
ROLLBACK TO SAVEPOINT d;
--    that foreign key ON DELETE CASCADE instead: PRIMARY KEY (id) is refused
ALTER TABLE time_entry.time_entries DROP CONSTRAINT time_entries_user_id_fkey,
	ADD CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (workspace_id, user_id) REFERENCES time_entry.users (workspace_id, id) ON DELETE CASCADE;
SAVEPOINT e;
SELECT create_distributed_table('time_entry.time_entries', 'workspace_id');
ROLLBACK TO SAVEPOINT e;
--    and PRIMARY KEY (workspace_id, id): the unique index "one running entry per user" on (user_id) is refused
ALTER TABLE time_entry.time_entries DROP CONSTRAINT time_entries_pkey, ADD CONSTRAINT time_entries_pkey PRIMARY KEY (workspace_id, id);
SAVEPOINT f;
SELECT create_distributed_table('time_entry.time_entries', 'workspace_id');
ROLLBACK TO SAVEPOINT f;
--    and that index on (workspace_id, user_id): distributed
DROP INDEX time_entry.time_entries_one_running_per_user;
CREATE UNIQUE INDEX time_entries_one_running_per_user ON time_entry.time_entries (workspace_id, user_id) WHERE start_at IS NOT NULL AND end_at IS NULL;
SELECT create_distributed_table('time_entry.time_entries', 'workspace_id');
SELECT logicalrelid, partmethod, partkey IS NOT NULL AS hash FROM pg_dist_partition ORDER BY 1::text;
ROLLBACK;
RESET citus.enable_ddl_propagation;
RESET citus.enable_unsafe_triggers;
SELECT count(*) AS distributed_tables_after_rollback FROM pg_dist_partition;
