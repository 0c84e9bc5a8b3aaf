--
-- Privileges (SPEC 1.2, 10): PUBLIC neither reads nor writes any table of
-- time_entry; only the owner writes them directly, and reads are what the
-- owner grants.  Exercised as a role with no privileges of its own.
--
SET client_min_messages = warning;

DROP ROLE IF EXISTS regress_te_reader;
DROP ROLE IF EXISTS regress_te_writer;
CREATE ROLE regress_te_reader;
CREATE ROLE regress_te_writer;

\set actor '30000000-0000-4000-8000-0000000000b1'
\set work '30000000-0000-4000-8000-0000000000f1'
\set entry '30000000-0000-4000-8000-0000000000e1'
INSERT INTO time_entry.users (id, first_name) VALUES (:'actor', 'Privilege A');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Privilege tests');
BEGIN;
SET LOCAL time_entry.actor = :'actor';
INSERT INTO time_entry.time_entries
	(id, user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'entry', :'actor', :'work', 'UTC', '2025-01-06', 3600, false, false);
COMMIT;

SET ROLE regress_te_reader;
SELECT current_user;

-- What the role may do with each table of the schema.
SELECT c.relname AS "table",
       has_table_privilege(c.oid, 'SELECT') AS "select",
       has_table_privilege(c.oid, 'INSERT') AS "insert",
       has_table_privilege(c.oid, 'UPDATE') AS "update",
       has_table_privilege(c.oid, 'DELETE') AS "delete",
       has_table_privilege(c.oid, 'TRUNCATE') AS "truncate",
       has_table_privilege(c.oid, 'REFERENCES') AS "references",
       has_table_privilege(c.oid, 'TRIGGER') AS "trigger"
  FROM pg_class c
 WHERE c.relnamespace = 'time_entry'::regnamespace AND c.relkind = 'r'
 ORDER BY c.relname;

-- Nor any column of them, nor a view of the schema.
SELECT count(*) AS readable_columns
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'time_entry'::regnamespace AND c.relkind IN ('r', 'v', 'p')
   AND a.attnum > 0 AND has_column_privilege(c.oid, a.attnum, 'SELECT');

-- It reads no table: neither the entries nor the names of the users.
SELECT count(*) FROM time_entry.time_entries;
\echo :LAST_ERROR_SQLSTATE
SELECT first_name FROM time_entry.users;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM time_entry.settings;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM time_entry.workspaces;
\echo :LAST_ERROR_SQLSTATE

-- It cannot write time_entries directly, with or without an actor.
SET time_entry.actor = :'actor';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-01-07', 3600, false, false);
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.time_entries SET note = 'not allowed' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.time_entries WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE time_entry.time_entries;
\echo :LAST_ERROR_SQLSTATE
RESET time_entry.actor;

-- Nor settings.
UPDATE time_entry.settings SET max_duration = 60;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.settings DEFAULT VALUES;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.settings;
\echo :LAST_ERROR_SQLSTATE

-- Nor the directory tables.
INSERT INTO time_entry.roles (id, name) VALUES ('30000000-0000-4000-8000-0000000000a1', 'x');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.role_permissions VALUES ('30000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'write');
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.users SET is_deactivated = true WHERE id = :'actor';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.project_roles (id, name) VALUES ('30000000-0000-4000-8000-0000000000c1', 'x');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.project_role_permissions VALUES ('30000000-0000-4000-8000-0000000000c1', 'project-timetracking', 'write');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.projects (id, name) VALUES ('30000000-0000-4000-8000-0000000000d1', 'x');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.project_members VALUES ('30000000-0000-4000-8000-0000000000d1', :'actor', '30000000-0000-4000-8000-0000000000c1');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.tasks (id, name) VALUES ('30000000-0000-4000-8000-0000000000e1', 'x');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.task_assignees VALUES ('30000000-0000-4000-8000-0000000000e1', :'actor');
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.types_of_work SET is_archived = true WHERE id = :'work';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.types_of_work WHERE id = :'work';
\echo :LAST_ERROR_SQLSTATE

-- Nor call the trigger functions; it may generate ids.
SELECT time_entry.audit_trigger();
\echo :LAST_ERROR_SQLSTATE
SELECT time_entry.settings_keep_row();
\echo :LAST_ERROR_SQLSTATE
SELECT time_entry.uuid_generate_v7() IS NOT NULL AS may_generate_ids;

RESET ROLE;

-- Nothing changed.
SELECT note IS NULL AS entry_unchanged FROM time_entry.time_entries WHERE id = :'entry';
SELECT max_duration FROM time_entry.settings;

-- What the owner grants, the role reads.
GRANT SELECT ON time_entry.time_entries TO regress_te_reader;
SET ROLE regress_te_reader;
SELECT count(*) AS entries_read FROM time_entry.time_entries WHERE id = :'entry';
RESET ROLE;
REVOKE SELECT ON time_entry.time_entries FROM regress_te_reader;

--
-- A role granted INSERT and UPDATE on time_entries by the owner is still
-- not the owner: its INSERT needs an actor even with every audit column
-- given (only the owner or a superuser may restore audit values), and the
-- values it gives are replaced.
--
GRANT SELECT, INSERT, UPDATE ON time_entry.time_entries TO regress_te_writer;
SET ROLE regress_te_writer;
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed,
	 created_by, created_on, updated_by, updated_on, resource_version)
VALUES (:'actor', :'work', 'UTC', '2025-01-08', 3600, false, false,
	 '30000000-0000-4000-8000-0000000000b9', '2000-01-01 00:00+00', '30000000-0000-4000-8000-0000000000b9', '2000-01-01 00:00+00', 1);
\echo :LAST_ERROR_SQLSTATE
BEGIN;
SET LOCAL time_entry.actor = :'actor';
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed,
	 created_by, created_on, updated_by, updated_on, resource_version)
VALUES (:'actor', :'work', 'UTC', '2025-01-08', 3600, false, false,
	 '30000000-0000-4000-8000-0000000000b9', '2000-01-01 00:00+00', '30000000-0000-4000-8000-0000000000b9', '2000-01-01 00:00+00', 1)
RETURNING created_by = :'actor' AS created_by_is_actor, updated_by = :'actor' AS updated_by_is_actor,
          created_on = now() AS created_on_is_now, resource_version > 1 AS version_from_clock;
COMMIT;
UPDATE time_entry.time_entries SET note = 'no actor' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE SELECT, INSERT, UPDATE ON time_entry.time_entries FROM regress_te_writer;

-- The owner (here a superuser) may write directly, with an actor.
BEGIN;
SET LOCAL time_entry.actor = :'actor';
UPDATE time_entry.time_entries SET note = 'by the owner' WHERE id = :'entry' RETURNING note;
COMMIT;

-- Clean up.
DELETE FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DELETE FROM time_entry.users WHERE id = :'actor';
DROP ROLE regress_te_reader;
DROP ROLE regress_te_writer;
