-- b2 (coordinator, after b1): the extension's tables distributed as far as a3 found possible, committed:
-- DDL propagation off, triggers allowed; workspaces, default_workspace and the directory as reference
-- tables; settings and time_entries hash-distributed by workspace_id, time_entries with the three changes
-- of a3 (user_id foreign key ON DELETE CASCADE, PRIMARY KEY (workspace_id, id), the running-entry index
-- on (workspace_id, user_id)).
\set VERBOSITY verbose
SET citus.enable_ddl_propagation = off;
SET citus.enable_unsafe_triggers = on;
SELECT create_reference_table('time_entry.' || t) FROM unnest(ARRAY['workspaces', 'default_workspace', 'roles',
	'role_permissions', 'users', 'project_roles', 'project_role_permissions', 'projects', 'project_members', 'tasks',
	'task_assignees', 'types_of_work']) AS t;
SELECT create_distributed_table('time_entry.settings', 'workspace_id', shard_count => 4);
ALTER TABLE time_entry.time_entries DROP CONSTRAINT time_entries_user_id_fkey,
	ADD CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (workspace_id, user_id) REFERENCES time_entry.users (workspace_id, id) ON DELETE CASCADE;
ALTER TABLE time_entry.time_entries DROP CONSTRAINT time_entries_pkey, ADD CONSTRAINT time_entries_pkey PRIMARY KEY (workspace_id, id);
DROP INDEX time_entry.time_entries_one_running_per_user;
CREATE UNIQUE INDEX time_entries_one_running_per_user ON time_entry.time_entries (workspace_id, user_id) WHERE start_at IS NOT NULL AND end_at IS NULL;
SELECT create_distributed_table('time_entry.time_entries', 'workspace_id', colocate_with => 'time_entry.settings');
RESET citus.enable_unsafe_triggers;
RESET citus.enable_ddl_propagation;
SELECT logicalrelid, partmethod, colocationid FROM pg_dist_partition ORDER BY 1::text;
SELECT time_entry.default_workspace_id() AS default_workspace,
	   (SELECT nodeport FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
		 WHERE p.shardid = get_shard_id_for_distribution_column('time_entry.time_entries', time_entry.default_workspace_id())) AS its_worker;
-- through Citus the rows are in the shards; the coordinator's own tables (the shells) keep the
-- pre-distribution rows on disk
SELECT (SELECT count(*) FROM time_entry.users) AS users_via_citus, (SELECT count(*) FROM time_entry.time_entries) AS entries_via_citus;
SELECT relname, pg_relation_size(c.oid) AS shell_bytes FROM pg_class c
 WHERE relnamespace = 'time_entry'::regnamespace AND relkind = 'r' AND relname IN ('users', 'settings', 'time_entries') ORDER BY 1;
SELECT time_entry.insert_path();
