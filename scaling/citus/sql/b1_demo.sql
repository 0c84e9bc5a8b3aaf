-- b1 (coordinator, after a1, before any distribution): the demo workspace of test/demo_workspace.sql
-- (copied by run.sh next to this file), and create_entry working normally
\set VERBOSITY verbose
\i :demo
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b3","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","projectId":"00000000-0000-4000-8000-0000000000d2","timezone":"Europe/Berlin","startDateLocal":"2025-03-10","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1') ->> 'id' AS created_id;
SELECT user_id, date_local, duration, created_by FROM time_entry.time_entries;
SELECT time_entry.insert_path();
