-- r1 (coordinator, database postgres, time_entry created by a1 and not distributed): te_route
-- (te_route.sql) distributed, and workspaces 10..41 made on the workers that hold them
\set VERBOSITY verbose
\i :teroute
SELECT create_distributed_table('te_route.placement', 'workspace_id', shard_count => 32, colocate_with => 'none');
SELECT create_distributed_function(f, 'workspace_id', colocate_with := 'te_route.placement')
  FROM unnest(ARRAY['te_route.add_workspace(uuid, int)', 'te_route.create_entry(uuid, jsonb, uuid)',
                    'te_route.try_create_entry(uuid, jsonb, uuid)', 'te_route.whoami(uuid)']::regprocedure[]) AS f;
-- te_route.authorize is only called by the faces: Citus does not look into function bodies, so it is
-- propagated to the workers explicitly (without a distribution argument)
SELECT create_distributed_function('te_route.authorize(uuid, uuid)');
-- a copy with force_delegation: pushed down inside a transaction block too
CREATE FUNCTION te_route.create_entry_fd(workspace_id uuid, entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT te_route.create_entry(workspace_id, entry, actor) $$;
SELECT create_distributed_function('te_route.create_entry_fd(uuid, jsonb, uuid)', 'workspace_id', colocate_with := 'te_route.placement', force_delegation := true);
CREATE ROLE app_router LOGIN;
GRANT USAGE ON SCHEMA te_route TO app_router;
GRANT EXECUTE ON FUNCTION te_route.create_entry(uuid, jsonb, uuid), te_route.create_entry_fd(uuid, jsonb, uuid),
	te_route.try_create_entry(uuid, jsonb, uuid) TO app_router;
-- each call is pushed down on its own (a bare SELECT f(...)); \gexec runs them one by one
SELECT format('SELECT te_route.add_workspace(%L, %s) AS "ws %s on port"', ('00000000-0000-4000-8000-0000000000' || n), n, n) FROM generate_series(10, 41) n
\gexec
INSERT INTO te_route.placement SELECT ('00000000-0000-4000-8000-0000000000' || n)::uuid FROM generate_series(10, 41) n;
SELECT nodeport, result AS "workspaces (time_entry.workspaces, with the node's own default)" FROM run_command_on_workers($$SELECT count(*) FROM time_entry.workspaces$$) ORDER BY 1;
SELECT count(*) AS workspaces_on_the_coordinator FROM time_entry.workspaces;
