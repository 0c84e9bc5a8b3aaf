-- c2 (coordinator, after c1): the stand-in tw.create_entry and the C probe, distributed by their workspace
-- argument, co-located with the tables; an application role that may only execute them
\set VERBOSITY verbose
SELECT create_distributed_function('tw.create_entry(uuid, jsonb, uuid)', distribution_arg_name := 'workspace_id', colocate_with := 'tw.time_entries');
-- the same function with force_delegation: pushed down also inside a transaction block
CREATE FUNCTION tw.create_entry_fd(workspace_id uuid, entry jsonb, actor uuid) RETURNS uuid
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT tw.create_entry(workspace_id, entry, actor) $$;
REVOKE ALL ON FUNCTION tw.create_entry_fd(uuid, jsonb, uuid) FROM PUBLIC;
SELECT create_distributed_function('tw.create_entry_fd(uuid, jsonb, uuid)', distribution_arg_name := 'workspace_id', colocate_with := 'tw.time_entries', force_delegation := true);
CREATE FUNCTION tw.c_probe(workspace_id uuid, user_id uuid, write boolean)
RETURNS text
AS :'cprobe', 'tw_c_probe'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION tw.c_probe(uuid, uuid, boolean) FROM PUBLIC;
SELECT create_distributed_function('tw.c_probe(uuid, uuid, boolean)', distribution_arg_name := 'workspace_id', colocate_with := 'tw.time_entries');
CREATE ROLE app LOGIN;
GRANT USAGE ON SCHEMA tw TO app;
GRANT EXECUTE ON FUNCTION tw.create_entry(uuid, jsonb, uuid), tw.create_entry_fd(uuid, jsonb, uuid), tw.c_probe(uuid, uuid, boolean) TO app;
SELECT p.proname, d.distribution_argument_index, d.colocationid, d.force_delegation FROM pg_dist_object d JOIN pg_proc p ON p.oid = d.objid
 WHERE d.classid = 'pg_proc'::regclass AND p.pronamespace = 'tw'::regnamespace ORDER BY 1;
-- on which worker the workspaces used below live
SELECT n AS workspace, nd.nodeport FROM generate_series(10, 14) n
  CROSS JOIN LATERAL (SELECT get_shard_id_for_distribution_column('tw.users', ('00000000-0000-4000-8000-0000000000' || n)::uuid) AS shardid) s
  JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node nd USING (groupid) ORDER BY 1;
