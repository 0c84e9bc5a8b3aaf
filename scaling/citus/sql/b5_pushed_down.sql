-- b5 (coordinator, after b4): time_entry's own create_entry, pushed down to the worker that holds the
-- workspace's shards (a wrapper taking the workspace as its distribution argument, co-located with
-- time_entries).  On the worker the C lookups open time_entry.users etc. by name: the worker's shells.
\set VERBOSITY verbose
CREATE FUNCTION public.te_create_entry(workspace_id uuid, entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN time_entry.create_entry(entry, actor) || jsonb_build_object('ranOnPort', current_setting('port'));
END $$;
SELECT create_distributed_function('public.te_create_entry(uuid, jsonb, uuid)', 'workspace_id', colocate_with := 'time_entry.time_entries');
SELECT time_entry.default_workspace_id() AS ws
\gset
SET client_min_messages = debug1;
SELECT public.te_create_entry(:'ws', '{"userId":"00000000-0000-4000-8000-0000000000b1","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-15","duration":600}', '00000000-0000-4000-8000-0000000000b1');
SET time_entry.write_path = 'executor';
SELECT public.te_create_entry(:'ws', '{"userId":"00000000-0000-4000-8000-0000000000b1","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-15","duration":600}', '00000000-0000-4000-8000-0000000000b1');
