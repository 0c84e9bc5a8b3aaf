-- r3 (coordinator, as postgres, after r2): where the entries are; Citus' connection to a worker after an
-- error; moving a shard of te_route.placement
\set VERBOSITY verbose
\ir r_vars.sql
SELECT nodeport, result AS "entries: workspace, date, created_by = actor" FROM run_command_on_workers($$
	SELECT coalesce(string_agg(right(workspace_id::text, 2) || ' ' || date_local || ' ' || (created_by = updated_by), '; ' ORDER BY workspace_id, date_local), 'none') FROM time_entry.time_entries$$) ORDER BY 1;
SELECT count(*) AS entries_on_the_coordinator FROM time_entry.time_entries;
-- Citus keeps its connection to the worker between calls, and replaces it after a call that raised
SELECT te_route.whoami(:'ws1') AS first_call;
SELECT te_route.whoami(:'ws1') AS second_call;
SELECT te_route.create_entry(:'ws1', :'foreign_type1', :'admin1');
SELECT te_route.whoami(:'ws1') AS after_an_error;
SELECT te_route.try_create_entry(:'ws1', :'foreign_type1', :'admin1') AS error_as_data;
SELECT te_route.whoami(:'ws1') AS after_an_error_as_data;
-- moving the placement shard of workspace ws1 to the other worker moves no time_entry row: calls now reach
-- a node that does not hold the workspace (moving the rows is the operator's job, as with PL/Proxy)
SELECT get_shard_id_for_distribution_column('te_route.placement', :'ws1') AS shard
\gset
SELECT citus_move_shard_placement(:shard, '127.0.0.1', 9701, '127.0.0.1', 9702, shard_transfer_mode := 'block_writes');
SELECT te_route.create_entry(:'ws1', :'day1', :'admin1');
SELECT citus_move_shard_placement(:shard, '127.0.0.1', 9702, '127.0.0.1', 9701, shard_transfer_mode := 'block_writes');
SELECT te_route.create_entry(:'ws1', :'day1', :'admin1') AS after_moving_back;
