-- c4 (coordinator, as postgres): what c3 left
SELECT workspace_id, user_id, date_local, duration, created_by IS NOT NULL AS audited, created_by = updated_by AS same_actor FROM tw.time_entries ORDER BY 1, 3;
SELECT workspace_id, user_id, via FROM tw.c_notes;
-- the by-name insert of c3 step 8 is in the worker's shell, invisible through Citus
SELECT nodeport, result AS c_notes_shell_bytes FROM run_command_on_workers($$SELECT pg_relation_size('tw.c_notes')$$) ORDER BY 1;
