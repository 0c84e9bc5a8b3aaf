-- b6 (coordinator, after b5): Citus' advice after distributing is to truncate the local data (the
-- shells).  Then the lookups on the coordinator find no actor.
\set VERBOSITY verbose
-- settings first: its BEFORE TRUNCATE trigger (settings_no_truncate) fires on the shell
SELECT truncate_local_data_after_distributing_table('time_entry.settings');
SELECT truncate_local_data_after_distributing_table(t) FROM unnest(ARRAY['time_entry.time_entries',
	'time_entry.task_assignees', 'time_entry.project_members', 'time_entry.tasks', 'time_entry.projects',
	'time_entry.project_role_permissions', 'time_entry.project_roles', 'time_entry.types_of_work', 'time_entry.users',
	'time_entry.role_permissions', 'time_entry.roles']::regclass[]) AS t;
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b1","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-16","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1');
SELECT time_entry.try_create_entry('{"userId":"00000000-0000-4000-8000-0000000000b1","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-16","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1');
