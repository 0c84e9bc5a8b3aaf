-- b3 (coordinator, after b2): time_entry's C functions called on the coordinator
\set VERBOSITY verbose
-- 1. a timed entry for Alan (b3) by the admin (b1): create_entry returns an id ...
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b3","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","projectId":"00000000-0000-4000-8000-0000000000d2","timezone":"Europe/Berlin","startDateLocal":"2025-03-11","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1') ->> 'id' AS created_id
\gset
--    ... that no query through Citus finds; the row is in the coordinator's shell heap
SELECT count(*) AS found_via_citus FROM time_entry.time_entries WHERE id = :'created_id';
SELECT user_id, date_local, duration FROM time_entry.time_entries ORDER BY date_local;
SELECT pg_relation_size('time_entry.time_entries') AS shell_bytes;
CREATE EXTENSION IF NOT EXISTS pageinspect;
SELECT lp, encode(t_attrs[1], 'hex') AS id_hex FROM heap_page_item_attrs(get_raw_page('time_entry.time_entries', 0), 'time_entry.time_entries'::regclass);
SELECT replace(:'created_id', '-', '') AS created_id_hex;
-- 2. directory changes made through Citus: Alan deactivated, Donald (b6) added
UPDATE time_entry.users SET is_deactivated = true WHERE id = '00000000-0000-4000-8000-0000000000b3';
INSERT INTO time_entry.users (id, first_name, last_name, role_id) VALUES ('00000000-0000-4000-8000-0000000000b6', 'Donald', 'Knuth', '00000000-0000-4000-8000-0000000000a3');
SELECT id, first_name, is_deactivated FROM time_entry.users WHERE id IN ('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000b6') ORDER BY id;
--    the C lookups read the shells: deactivated Alan is accepted (NULL = valid), Donald does not exist
SELECT time_entry.validate_entry('{"userId":"00000000-0000-4000-8000-0000000000b3","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-12","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1') AS validate_deactivated_alan;
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b6","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-12","startTimeLocal":"09:00","endTimeLocal":"10:00"}', '00000000-0000-4000-8000-0000000000b1');
-- 3. a second workspace made through Citus (SPEC 10: a workspace gets its settings row from a trigger)
INSERT INTO time_entry.workspaces (id, name) VALUES ('00000000-0000-4000-8000-000000000002', 'Second');
SELECT count(*) AS workspaces_via_citus FROM time_entry.workspaces;
-- 4. an entry with a request id (SPEC 9.6): the shape has no unique index on (id) alone any more
SELECT time_entry.create_entry('{"id":"00000000-0000-4000-8000-00000000e001","userId":"00000000-0000-4000-8000-0000000000b2","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-12","duration":600}', '00000000-0000-4000-8000-0000000000b1') ->> 'id' AS with_request_id;
-- 5. a running entry (start, no end)
SELECT time_entry.create_entry('{"userId":"00000000-0000-4000-8000-0000000000b2","typeOfWorkId":"00000000-0000-4000-8000-0000000000f1","timezone":"Europe/Berlin","startDateLocal":"2025-03-12","startTimeLocal":"09:00"}', '00000000-0000-4000-8000-0000000000b1') ->> 'id' AS running;
SELECT count(*) AS entries_via_citus FROM time_entry.time_entries;
