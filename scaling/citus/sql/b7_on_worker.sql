-- b7 (on worker 9701 directly, after b6): the worker sees the Citus metadata; its own time_entry tables
-- are the shells, empty
\set VERBOSITY verbose
SELECT count(*) AS users_via_citus FROM time_entry.users;
SELECT pg_relation_size('time_entry.users') AS users_shell_bytes;
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b1","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-17","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1');
SET citus.override_table_visibility = off;
SELECT relname FROM pg_class WHERE relnamespace = 'time_entry'::regnamespace AND relkind = 'r' AND relname ~ '^(users|time_entries)' ORDER BY 1;
