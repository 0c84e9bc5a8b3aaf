-- b4 (coordinator, after b3): the executor write path (time_entry.write_path = 'executor'): the INSERT
-- goes through SPI, so through Citus, to the shard on a worker, where the audit trigger runs
\set VERBOSITY verbose
SET time_entry.write_path = 'executor';
SELECT time_entry.insert_path();
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b2","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-14","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1') ->> 'id' AS created_id;
-- with the actor also set by SET LOCAL and sent to the workers (citus.propagate_set_commands)
BEGIN;
SET LOCAL citus.propagate_set_commands = 'local';
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b2","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-14","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1') ->> 'id' AS created_id;
COMMIT;
SELECT user_id, date_local, created_by FROM time_entry.time_entries ORDER BY date_local;
