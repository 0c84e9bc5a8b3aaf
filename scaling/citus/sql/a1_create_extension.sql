-- a1 (coordinator): CREATE EXTENSION time_entry; Citus propagates it, so every node has the extension's tables
\set VERBOSITY verbose
CREATE EXTENSION time_entry;
-- the shared library this backend loaded: the private build, not the system one
SELECT substring(line FROM '/\S+$') AS time_entry_so FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') AS line WHERE line LIKE '%time_entry.so%' LIMIT 1;
SELECT nodeport, success, result AS "extversion, tables in schema time_entry" FROM run_command_on_workers($$SELECT coalesce((SELECT extversion FROM pg_extension WHERE extname = 'time_entry'), 'absent') || ', ' || (SELECT count(*) FROM pg_tables WHERE schemaname = 'time_entry')$$) ORDER BY nodeport;
SELECT pg_identify_object_as_address(classid, objid, objsubid) AS distributed_object FROM pg_dist_object ORDER BY 1;
-- since workspaces (SPEC 10) every table of the extension has a trigger of its own
SELECT c.relname, string_agg(t.tgname, ', ' ORDER BY t.tgname) AS triggers
  FROM pg_class c LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
 WHERE c.relnamespace = 'time_entry'::regnamespace AND c.relkind IN ('r', 'p')
 GROUP BY 1 ORDER BY 1;
-- the keys Citus will look at: primary keys, unique constraints and indexes, and the ON DELETE actions of the foreign keys
SELECT conrelid::regclass AS "table", conname, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint WHERE connamespace = 'time_entry'::regnamespace AND contype IN ('p', 'u')
 ORDER BY 1::text, 2;
SELECT indexrelid::regclass AS unique_index, pg_get_indexdef(indexrelid) FROM pg_index
 WHERE indrelid = 'time_entry.time_entries'::regclass AND indisunique AND NOT indisprimary;
SELECT conrelid::regclass AS "table", conname, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint WHERE connamespace = 'time_entry'::regnamespace AND contype = 'f' AND confdeltype <> 'a'
 ORDER BY 1::text, 2;
