--
-- The audit trigger of time_entries (SPEC 8): the actor and the transaction
-- time recorded on INSERT and UPDATE, resource_version in .NET ticks and
-- strictly increasing, immutable id/created_by/created_on, no write without
-- an actor, the restore path, and the trigger protocol.
--
-- Volatile values (times, ids, versions) are compared, never printed.
--
SET client_min_messages = warning;

-- time_entry.actor is checked when a write uses it, not when it is set, so
-- that a malformed value ends in the same error whether or not the session
-- had loaded the library before (sql/actor.sql shows both).  Each of these
-- is refused by the write, with the setting and its value named.
\set bad_write 'INSERT INTO time_entry.time_entries (type_of_work_id, timezone, date_local, duration, is_billable, is_billed) VALUES (''10000000-0000-4000-8000-0000000000f1'', ''UTC'', ''2025-01-06'', 60, false, false)'
SET time_entry.actor = 'not-a-uuid';
:bad_write;
\echo :LAST_ERROR_SQLSTATE
SET time_entry.actor = '{10000000-0000-4000-8000-000000000001}';
:bad_write;
SET time_entry.actor = '10000000000040008000000000000001';
:bad_write;
SET time_entry.actor = '10000000-0000-4000-8000-00000000000';
:bad_write;
SET time_entry.actor = '10000000-0000-4000-8000-0000000000011';
:bad_write;
SET time_entry.actor = '10000000-0000-4000-8000-00000000000g';
:bad_write;
SHOW time_entry.actor;
-- the prefix time_entry is reserved for the extension's own settings
SET time_entry.actr = '10000000-0000-4000-8000-000000000001';
\echo :LAST_ERROR_SQLSTATE
-- either case
SET time_entry.actor = '10000000-0000-4000-8000-0000000000AB';
SHOW time_entry.actor;
-- empty means no actor
SET time_entry.actor = '';
RESET time_entry.actor;

-- .NET ticks of a timestamp (SPEC 8): 100 ns units since 0001-01-01 UTC.
CREATE FUNCTION pg_temp.ticks(t timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT (extract(epoch FROM t) * 10000000)::bigint + 621355968000000000 $$;
SELECT pg_temp.ticks('0001-01-01 00:00:00+00') AS ticks_at_year_1,
       pg_temp.ticks('1970-01-01 00:00:00+00') AS ticks_at_unix_epoch,
       pg_temp.ticks('2025-01-01 00:00:00.000001+00') AS ticks_at_2025;

-- Every field of the error a statement raises (or 'no error').
CREATE FUNCTION pg_temp.error_of(stmt text,
	OUT state text, OUT message text, OUT detail text, OUT hint text,
	OUT schema_name text, OUT table_name text, OUT column_name text,
	OUT constraint_name text)
LANGUAGE plpgsql
AS $$
BEGIN
	BEGIN
		EXECUTE stmt;
		state := 'no error';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS
			state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
			detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT,
			schema_name = SCHEMA_NAME, table_name = TABLE_NAME,
			column_name = COLUMN_NAME, constraint_name = CONSTRAINT_NAME;
	END;
END
$$;

-- Fixtures: two users (the actors A and B) and a type of work.
\set actor_a '10000000-0000-4000-8000-0000000000b1'
\set actor_b '10000000-0000-4000-8000-0000000000b2'
\set work '10000000-0000-4000-8000-0000000000f1'
\set entry '10000000-0000-4000-8000-0000000000e1'
INSERT INTO time_entry.users (id, first_name) VALUES (:'actor_a', 'Actor A'), (:'actor_b', 'Actor B');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Trigger tests');

--
-- INSERT: the actor and the transaction's time are recorded, the version is
-- the clock at the insert in ticks, the id is a UUID version 7.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
WITH ins AS (
	INSERT INTO time_entry.time_entries
		(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed, note)
	VALUES (:'actor_a', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00+00', '2025-01-06 10:00+00', 3600, false, false, 'default id')
	RETURNING *)
SELECT created_by = :'actor_a' AS created_by_is_actor,
       updated_by = :'actor_a' AS updated_by_is_actor,
       created_on = now() AS created_on_is_now,
       updated_on = now() AS updated_on_is_now,
       resource_version BETWEEN pg_temp.ticks(statement_timestamp())
                            AND pg_temp.ticks(clock_timestamp()) AS version_is_clock_ticks,
       get_byte(uuid_send(id), 6) >> 4 = 7 AS id_is_uuid7
  FROM ins;
COMMIT;

-- Audit values given with an INSERT that has an actor are replaced.
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
WITH ins AS (
	INSERT INTO time_entry.time_entries
		(id, user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed,
		 created_by, created_on, updated_by, updated_on, resource_version)
	VALUES (:'entry', :'actor_a', :'work', 'UTC', '2025-01-07', '2025-01-07 09:00+00', '2025-01-07 10:00+00', 3600, false, false,
		 :'actor_b', '2000-01-01 00:00+00', :'actor_b', '2000-01-01 00:00+00', 1)
	RETURNING *)
SELECT id = :'entry' AS id_kept,
       created_by = :'actor_a' AS created_by_is_actor,
       updated_by = :'actor_a' AS updated_by_is_actor,
       created_on = now() AS created_on_is_now,
       updated_on = now() AS updated_on_is_now,
       resource_version BETWEEN pg_temp.ticks(statement_timestamp())
                            AND pg_temp.ticks(clock_timestamp()) AS version_is_clock_ticks
  FROM ins;
COMMIT;

--
-- UPDATE: resource_version strictly increases on every update, also many
-- times over in one transaction (faster than the clock's microseconds);
-- updated_on is the transaction's timestamp; values given for the audit
-- columns are replaced.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
CREATE TEMP TABLE versions (n serial, version bigint, updated_on timestamptz, updated_by uuid);
INSERT INTO versions (version, updated_on, updated_by)
SELECT resource_version, updated_on, updated_by FROM time_entry.time_entries WHERE id = :'entry';
WITH u AS (UPDATE time_entry.time_entries SET note = 'update 1' WHERE id = :'entry'
           RETURNING resource_version, updated_on, updated_by)
INSERT INTO versions (version, updated_on, updated_by) SELECT * FROM u;
WITH u AS (UPDATE time_entry.time_entries SET note = 'update 2' WHERE id = :'entry'
           RETURNING resource_version, updated_on, updated_by)
INSERT INTO versions (version, updated_on, updated_by) SELECT * FROM u;
-- an explicit lower version, updated_by and updated_on are replaced
WITH u AS (UPDATE time_entry.time_entries
              SET resource_version = 0, updated_by = :'actor_b', updated_on = '2000-01-01 00:00+00'
            WHERE id = :'entry'
           RETURNING resource_version, updated_on, updated_by)
INSERT INTO versions (version, updated_on, updated_by) SELECT * FROM u;
-- so is an explicit higher version
WITH u AS (UPDATE time_entry.time_entries SET resource_version = resource_version + 1000000000
            WHERE id = :'entry'
           RETURNING resource_version, updated_on, updated_by)
SELECT resource_version < (SELECT max(version) FROM versions) + 1000000000 AS explicit_version_replaced
  FROM u;
-- 1000 updates in a loop: each strictly above the one before
DO $$
DECLARE
	v bigint;
	o timestamptz;
	b uuid;
BEGIN
	FOR i IN 1..1000 LOOP
		UPDATE time_entry.time_entries SET note = 'loop ' || i
		 WHERE id = '10000000-0000-4000-8000-0000000000e1'
		RETURNING resource_version, updated_on, updated_by INTO v, o, b;
		INSERT INTO versions (version, updated_on, updated_by) VALUES (v, o, b);
	END LOOP;
END
$$;
SELECT count(*) AS versions_seen,
       count(*) FILTER (WHERE version <= prev_version) AS not_strictly_increasing,
       count(*) FILTER (WHERE n > 1 AND updated_on <> now()) AS updated_on_not_now,
       count(*) FILTER (WHERE n > 1 AND updated_by <> :'actor_a') AS updated_by_not_actor
  FROM (SELECT *, lag(version) OVER (ORDER BY n) AS prev_version FROM versions) s;
-- the versions come from the clock: at least the first update's statement
-- time, and not far ahead of the clock now (a step of one tick is taken
-- only when the clock has not moved)
SELECT min(version) FILTER (WHERE n > 1) >= pg_temp.ticks(now()) AS versions_after_transaction_start,
       max(version) <= pg_temp.ticks(clock_timestamp()) + 10000 AS versions_not_ahead_of_clock
  FROM versions;
-- A stored version ahead of the clock (one restored from a dump made on a
-- machine whose clock ran ahead): the next UPDATE cannot take the clock's
-- reading, and takes the old value plus one.  This reaches the "clock not
-- past the old version" case on purpose; the case of a clock equal to it,
-- which only luck would reach from SQL, is pinned by test/unit/next_version.c.
SET LOCAL session_replication_role = replica;	-- the audit trigger stays out
UPDATE time_entry.time_entries SET resource_version = pg_temp.ticks(now() + interval '1000 years')
 WHERE id = :'entry';
SET LOCAL session_replication_role = origin;
WITH u AS (UPDATE time_entry.time_entries SET note = 'after a version from the future' WHERE id = :'entry'
           RETURNING resource_version)
SELECT resource_version = pg_temp.ticks(now() + interval '1000 years') + 1 AS old_version_plus_one
  FROM u;
COMMIT;
DROP TABLE versions;

-- Another actor in a later transaction: updated_by and updated_on change,
-- created_by and created_on stay.
SELECT created_on AS created_before, updated_on AS updated_before, resource_version AS version_before
  FROM time_entry.time_entries WHERE id = :'entry' \gset
BEGIN;
SET LOCAL time_entry.actor = :'actor_b';
UPDATE time_entry.time_entries SET is_billable = true WHERE id = :'entry'
RETURNING created_by = :'actor_a' AS created_by_kept,
          created_on = :'created_before' AS created_on_kept,
          updated_by = :'actor_b' AS updated_by_is_new_actor,
          updated_on = now() AND updated_on > :'updated_before' AS updated_on_is_now,
          resource_version > :version_before AS version_increased;
COMMIT;

-- The actor may be given in upper case; the uuid is the same.
BEGIN;
SET LOCAL time_entry.actor = '10000000-0000-4000-8000-0000000000B1';
UPDATE time_entry.time_entries SET is_billed = true WHERE id = :'entry'
RETURNING updated_by = :'actor_a' AS upper_case_actor_recorded;
COMMIT;

--
-- id, created_by and created_on cannot change (SQLSTATE 428C9); setting
-- them to their own values is not a change.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
UPDATE time_entry.time_entries SET id = '10000000-0000-4000-8000-0000000000e9' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
UPDATE time_entry.time_entries SET created_by = :'actor_b' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
UPDATE time_entry.time_entries SET created_on = created_on - interval '1 second' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
UPDATE time_entry.time_entries SET created_by = NULL WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
\x on
SELECT * FROM pg_temp.error_of($$UPDATE time_entry.time_entries SET created_by = '10000000-0000-4000-8000-0000000000b2'
	WHERE id = '10000000-0000-4000-8000-0000000000e1'$$);
\x off
UPDATE time_entry.time_entries
   SET id = id, created_by = created_by, created_on = created_on, note = 'same values'
 WHERE id = :'entry'
RETURNING note;
COMMIT;

--
-- No actor, no write (SQLSTATE 28000): INSERT and UPDATE, with the setting
-- unset, empty, or set only for an earlier transaction.
--
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'actor_a', :'work', 'UTC', '2025-01-08', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.time_entries SET note = 'no actor' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
SET time_entry.actor = '';
UPDATE time_entry.time_entries SET note = 'empty actor' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
RESET time_entry.actor;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
COMMIT;
UPDATE time_entry.time_entries SET note = 'actor of an earlier transaction' WHERE id = :'entry';
\echo :LAST_ERROR_SQLSTATE
\x on
SELECT * FROM pg_temp.error_of($$UPDATE time_entry.time_entries SET note = 'no actor'
	WHERE id = '10000000-0000-4000-8000-0000000000e1'$$);
\x off
SELECT count(*) AS rows_written_without_actor
  FROM time_entry.time_entries WHERE note IN ('no actor', 'empty actor', 'actor of an earlier transaction');

--
-- The restore path: an INSERT by the table owner or a superuser with no
-- actor and every audit column given keeps the given values (this is what
-- pg_restore does).  With one audit column missing it needs an actor.
--
INSERT INTO time_entry.time_entries
	(id, user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed,
	 created_by, created_on, updated_by, updated_on, resource_version)
VALUES ('10000000-0000-4000-8000-0000000000e2', :'actor_a', :'work', 'UTC', '2020-02-02', 60, false, false,
	 :'actor_b', '2020-02-02 10:00:00.123456+00', :'actor_a', '2020-02-03 11:00:00.654321+00', 637162416001234567)
RETURNING created_by = :'actor_b' AS created_by_kept,
          created_on = '2020-02-02 10:00:00.123456+00' AS created_on_kept,
          updated_by = :'actor_a' AS updated_by_kept,
          updated_on = '2020-02-03 11:00:00.654321+00' AS updated_on_kept,
          resource_version = 637162416001234567 AS version_kept;
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed,
	 created_by, created_on, updated_by, updated_on)
VALUES (:'actor_a', :'work', 'UTC', '2020-02-02', 60, false, false,
	 :'actor_b', '2020-02-02 10:00+00', :'actor_a', '2020-02-03 11:00+00');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed,
	 created_by, updated_by, updated_on, resource_version)
VALUES (:'actor_a', :'work', 'UTC', '2020-02-02', 60, false, false,
	 :'actor_b', :'actor_a', '2020-02-03 11:00+00', 637162416001234567);
\echo :LAST_ERROR_SQLSTATE
-- the next change of a restored row is newer than its restored version
BEGIN;
SET LOCAL time_entry.actor = :'actor_b';
UPDATE time_entry.time_entries SET note = 'changed after restore'
 WHERE id = '10000000-0000-4000-8000-0000000000e2'
RETURNING created_by = :'actor_b' AS created_by_kept, updated_by = :'actor_b' AS updated_by_is_actor,
          resource_version > 637162416001234567 AS version_increased,
          created_on = '2020-02-02 10:00:00.123456+00' AS created_on_kept;
COMMIT;

--
-- The trigger protocol.
--
SELECT time_entry.audit_trigger();
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE pg_temp.scratch (
	x int,
	resource_version bigint,
	updated_on timestamptz,
	updated_by uuid,
	created_on timestamptz,
	created_by uuid,
	id uuid
);
CREATE TRIGGER scratch_after AFTER INSERT ON pg_temp.scratch
	FOR EACH ROW EXECUTE FUNCTION time_entry.audit_trigger();
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
INSERT INTO pg_temp.scratch (x) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TRIGGER scratch_after ON pg_temp.scratch;
CREATE TRIGGER scratch_statement BEFORE INSERT ON pg_temp.scratch
	FOR EACH STATEMENT EXECUTE FUNCTION time_entry.audit_trigger();
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
INSERT INTO pg_temp.scratch (x) VALUES (1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TRIGGER scratch_statement ON pg_temp.scratch;
CREATE TRIGGER scratch_delete BEFORE DELETE ON pg_temp.scratch
	FOR EACH ROW EXECUTE FUNCTION time_entry.audit_trigger();
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
ALTER TABLE pg_temp.scratch DISABLE TRIGGER scratch_delete;
INSERT INTO pg_temp.scratch (x) VALUES (1);
ALTER TABLE pg_temp.scratch ENABLE TRIGGER scratch_delete;
DELETE FROM pg_temp.scratch;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TRIGGER scratch_delete ON pg_temp.scratch;

-- Used correctly on another table (its columns in another order), then on
-- time_entries, then on that table again after its columns moved: the
-- columns are found by name every time.
CREATE TRIGGER scratch_audit BEFORE INSERT OR UPDATE ON pg_temp.scratch
	FOR EACH ROW EXECUTE FUNCTION time_entry.audit_trigger();
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
INSERT INTO pg_temp.scratch (x, id) VALUES (1, :'entry')
RETURNING created_by = :'actor_a' AS created_by_set, created_on = now() AS created_on_set,
          updated_by = :'actor_a' AS updated_by_set, resource_version > 0 AS version_set;
UPDATE time_entry.time_entries SET note = 'between scratch writes' WHERE id = :'entry'
RETURNING updated_by = :'actor_a' AS time_entries_updated_by_set;
ALTER TABLE pg_temp.scratch DROP COLUMN updated_by;
ALTER TABLE pg_temp.scratch ADD COLUMN updated_by uuid;
UPDATE pg_temp.scratch SET x = 2
RETURNING updated_by = :'actor_a' AS moved_column_found;
COMMIT;

-- A table without an audit column, or with one of the wrong type.
ALTER TABLE pg_temp.scratch DROP COLUMN resource_version;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
INSERT INTO pg_temp.scratch (x) VALUES (3);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
ALTER TABLE pg_temp.scratch ADD COLUMN resource_version integer;
BEGIN;
SET LOCAL time_entry.actor = :'actor_a';
INSERT INTO pg_temp.scratch (x) VALUES (3);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TABLE pg_temp.scratch;

-- time_entries still works after all that.
BEGIN;
SET LOCAL time_entry.actor = :'actor_b';
UPDATE time_entry.time_entries SET note = 'last' WHERE id = :'entry'
RETURNING updated_by = :'actor_b' AS still_works;
COMMIT;

-- Clean up.
DELETE FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DELETE FROM time_entry.users WHERE id IN (:'actor_a', :'actor_b');
