-- c1 (coordinator, database postgres, time_entry created by a1): the prototype schema tw (tw_schema.sql)
-- distributed by workspace_id, every table in one co-location group
\set VERBOSITY verbose
\i :twschema
SELECT create_distributed_table('tw.workspaces', 'id', shard_count => 32);
SELECT create_distributed_table(t, 'workspace_id', colocate_with => 'tw.workspaces')
  FROM unnest(ARRAY['tw.roles', 'tw.role_permissions', 'tw.users', 'tw.project_roles', 'tw.project_role_permissions',
                    'tw.projects', 'tw.project_members', 'tw.tasks', 'tw.task_assignees', 'tw.types_of_work',
                    'tw.settings', 'tw.c_notes']::regclass[]) AS t;
-- time_entries has time_entry's audit trigger
SELECT create_distributed_table('tw.time_entries', 'workspace_id', colocate_with => 'tw.workspaces');
SET citus.enable_unsafe_triggers = on;
SELECT create_distributed_table('tw.time_entries', 'workspace_id', colocate_with => 'tw.workspaces');
RESET citus.enable_unsafe_triggers;
SELECT colocationid, count(*) AS tables FROM pg_dist_partition WHERE logicalrelid::text LIKE 'tw.%' GROUP BY 1;
SELECT n.nodeport, count(*) AS time_entries_shards FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node n USING (groupid)
 WHERE s.logicalrelid = 'tw.time_entries'::regclass GROUP BY 1 ORDER BY 1;
-- the composite foreign key refuses a user of another workspace, checked on the shard
BEGIN;
SET LOCAL citus.propagate_set_commands = 'local';
SET LOCAL time_entry.actor = '000000bb-0000-4000-8000-000000000010';
INSERT INTO tw.time_entries (workspace_id, user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES ('00000000-0000-4000-8000-000000000010', '000000bb-0000-4000-8000-000000000011', '000000ff-0000-4000-8000-000000000010', 'UTC', '2025-03-10', 60, false, false);
ROLLBACK;
-- a row cannot change its workspace (what time_entry's workspace_fixed triggers ensure): Citus refuses it
UPDATE tw.users SET workspace_id = '00000000-0000-4000-8000-000000000011' WHERE workspace_id = '00000000-0000-4000-8000-000000000010' AND id = '000000cc-0000-4000-8000-000000000010';
-- time_entry makes the settings row of a new workspace in a trigger on workspaces (workspace_settings).
-- On co-located tables it works: the trigger runs on the workspaces shard, and its INSERT goes to the
-- settings shard of the same workspace, on the same worker (b3 shows the same trigger failing when
-- workspaces is a reference table)
CREATE FUNCTION tw.workspace_settings() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO tw.settings (workspace_id) VALUES (NEW.id);
	RETURN NULL;
END $$;
SET citus.enable_unsafe_triggers = on;
CREATE TRIGGER workspace_settings AFTER INSERT ON tw.workspaces FOR EACH ROW EXECUTE FUNCTION tw.workspace_settings();
RESET citus.enable_unsafe_triggers;
INSERT INTO tw.workspaces VALUES ('00000000-0000-4000-8000-000000000042', 'workspace 42');
SELECT workspace_id, max_duration FROM tw.settings WHERE workspace_id = '00000000-0000-4000-8000-000000000042';
SELECT count(*) AS settings_rows FROM tw.settings;
