--
-- The actor: which user a row records, however calls nest, and a
-- malformed time_entry.actor.
--
-- A create function hands its actor to the audit trigger for the rows it
-- writes.  Calls nest: a trigger fired by one call may make another, a
-- function may call several, an error of an inner call may be caught in
-- between.  Every row must record the actor of its own call, and once a
-- call has ended (however it ended) the actor before it is back.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

\set outer_actor '60000000-0000-4000-8000-0000000000b1'
\set inner_actor '60000000-0000-4000-8000-0000000000b2'
\set setting_actor '60000000-0000-4000-8000-0000000000b3'
\set work '60000000-0000-4000-8000-0000000000f1'

-- Three admins, so that anyone may book for anyone.
INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('60000000-0000-4000-8000-0000000000a1', 'Admin', true);
INSERT INTO time_entry.users (id, first_name, role_id) VALUES
	(:'outer_actor', 'Outer', '60000000-0000-4000-8000-0000000000a1'),
	(:'inner_actor', 'Inner', '60000000-0000-4000-8000-0000000000a1'),
	(:'setting_actor', 'Setting', '60000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Nesting');

-- A request on a given day, so that rows are told apart by date_local.
CREATE FUNCTION pg_temp.req(day text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object(
		'userId', '60000000-0000-4000-8000-0000000000b1',
		'typeOfWorkId', '60000000-0000-4000-8000-0000000000f1',
		'timezone', 'UTC', 'startDateUtc', day || 'T09:00:00Z', 'duration', 60)
$$;

-- Who each row records, by day.
CREATE FUNCTION pg_temp.recorded() RETURNS TABLE (day date, created text, updated text)
LANGUAGE sql AS $$
	SELECT e.date_local, c.first_name, u.first_name
	  FROM time_entry.time_entries e
	  JOIN time_entry.users c ON c.id = e.created_by
	  JOIN time_entry.users u ON u.id = e.updated_by
	 ORDER BY e.date_local
$$;

--
-- 1. A BEFORE INSERT trigger that itself creates an entry, with another
-- actor.  It fires before the audit trigger (names sort before
-- "time_entries_audit"), so the outer row's actor must survive the inner
-- call.  Only the outer call's row (day 2001-01-01) makes the inner one.
--
CREATE FUNCTION public.nested_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.date_local = '2001-01-01' THEN
		PERFORM time_entry.create_entry(pg_temp.req('2001-01-02'),
										'60000000-0000-4000-8000-0000000000b2');
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER a_nested BEFORE INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.nested_create();

SELECT time_entry.create_entry(pg_temp.req('2001-01-01'), :'outer_actor') IS NOT NULL AS created;
SELECT * FROM pg_temp.recorded();

-- The same with the setting naming a third user: the argument still wins
-- for the outer row, and the inner row records its own argument.
BEGIN;
SET LOCAL time_entry.actor = :'setting_actor';
SELECT time_entry.create_entry(pg_temp.req('2001-01-01'), :'outer_actor') IS NOT NULL AS created;
SELECT * FROM pg_temp.recorded();
-- after the call, a plain write records the setting again
UPDATE time_entry.time_entries SET note = 'touched' WHERE date_local = '2001-01-02';
SELECT * FROM pg_temp.recorded();
ROLLBACK;

-- An inner call without an actor argument takes the setting, not the
-- outer call's actor.
CREATE OR REPLACE FUNCTION public.nested_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.date_local = '2001-01-01' THEN
		PERFORM time_entry.create_entry(pg_temp.req('2001-01-02'));
	END IF;
	RETURN NEW;
END
$$;
BEGIN;
SET LOCAL time_entry.actor = :'setting_actor';
SELECT time_entry.create_entry(pg_temp.req('2001-01-01'), :'outer_actor') IS NOT NULL AS created;
SELECT * FROM pg_temp.recorded();
ROLLBACK;

--
-- 2. An inner call that fails, its error caught in between (a PL/pgSQL
-- exception block: a subtransaction).  The outer row still records the
-- outer actor.
--
CREATE OR REPLACE FUNCTION public.nested_create() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.date_local = '2001-01-01' THEN
		BEGIN
			PERFORM time_entry.create_entry(pg_temp.req('2001-01-02') || '{"duration": -1}',
											'60000000-0000-4000-8000-0000000000b2');
		EXCEPTION WHEN numeric_value_out_of_range THEN
			RAISE NOTICE 'inner call refused';
		END;
	END IF;
	RETURN NEW;
END
$$;
BEGIN;
SET LOCAL time_entry.actor = :'setting_actor';
SELECT time_entry.create_entry(pg_temp.req('2001-01-01'), :'outer_actor') IS NOT NULL AS created;
SELECT * FROM pg_temp.recorded();
ROLLBACK;
DROP TRIGGER a_nested ON time_entry.time_entries;

--
-- 3. Several calls in one statement, through a function, with different
-- actors; then the typed face and the batch faces, each with its own.
--
CREATE FUNCTION pg_temp.two_calls() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM time_entry.create_entry(pg_temp.req('2001-02-01'), '60000000-0000-4000-8000-0000000000b1');
	PERFORM time_entry.create_entry(pg_temp.req('2001-02-02'), '60000000-0000-4000-8000-0000000000b2');
END
$$;
BEGIN;
SET LOCAL time_entry.actor = :'setting_actor';
SELECT pg_temp.two_calls();
SELECT (time_entry.create_entry(user_id => :'outer_actor', type_of_work_id => :'work',
		timezone => 'UTC', entry_date => '2001-02-03', duration => 60,
		actor => :'inner_actor')).date_local;
SELECT count(*) FROM time_entry.try_create_entry(pg_temp.req('2001-02-04'), :'outer_actor');
SELECT count(*) FROM time_entry.import_entries(
	jsonb_build_array(pg_temp.req('2001-02-05'), pg_temp.req('2001-02-06')), :'inner_actor');
-- no actor argument: the setting
SELECT time_entry.create_entry(pg_temp.req('2001-02-07')) IS NOT NULL AS created;
SELECT * FROM pg_temp.recorded();
ROLLBACK;

--
-- 4. A call that fails, rolled back to a savepoint: the plain write after
-- it records the setting, not the failed call's actor.
--
BEGIN;
SET LOCAL time_entry.actor = :'setting_actor';
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'outer_actor', :'work', 'UTC', '2001-03-01', 60, false, false);
CREATE FUNCTION public.fail_after() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'refused by a trigger';
END
$$;
CREATE TRIGGER z_fail AFTER INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.fail_after();
SAVEPOINT s;
SELECT time_entry.create_entry(pg_temp.req('2001-03-02'), :'outer_actor');
ROLLBACK TO s;
DROP TRIGGER z_fail ON time_entry.time_entries;
UPDATE time_entry.time_entries SET note = 'after the failed call' WHERE date_local = '2001-03-01';
SELECT * FROM pg_temp.recorded();
ROLLBACK;

--
-- 5. A malformed time_entry.actor ends in the same error whatever the
-- backend did before: SET accepts it, every use refuses it, naming the
-- setting and its value.  First in a new backend that has not loaded the
-- library yet (nothing of time_entry has run in it), then in the same
-- backend once it has.
--
\c
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.outcome(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text; msg text; detail text; col text;
BEGIN
	EXECUTE sql;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, col = COLUMN_NAME;
	RETURN format('%s %s | %s | column %s', state, msg, detail, col);
END
$$;
\set create 'SELECT time_entry.create_entry(''{"userId": "60000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "60000000-0000-4000-8000-0000000000f1", "timezone": "UTC", "startDateUtc": "2001-04-01T09:00:00Z", "duration": 60}'')'
\set insert 'INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed) VALUES (''60000000-0000-4000-8000-0000000000b1'', ''60000000-0000-4000-8000-0000000000f1'', ''UTC'', ''2001-04-02'', 60, false, false)'
BEGIN;
SET LOCAL time_entry.actor = 'alan';
SHOW time_entry.actor;
SELECT pg_temp.outcome(:'create') AS not_loaded_before;
ROLLBACK;
BEGIN;
SET LOCAL time_entry.actor = 'alan';
SELECT pg_temp.outcome(:'create') AS loaded_before;
SELECT pg_temp.outcome(:'insert') AS plain_insert;
SELECT pg_temp.outcome(replace(:'create', '}'')', '}'', ''60000000-0000-4000-8000-0000000000b1'')')) AS actor_argument_wins;
ROLLBACK;
-- the empty string is no actor
BEGIN;
SET LOCAL time_entry.actor = '';
SELECT pg_temp.outcome(:'create') AS empty_setting;
ROLLBACK;
SELECT count(*) AS rows_of_section_1 FROM time_entry.time_entries;

-- Leave the database as found for the files after this one.
DROP FUNCTION public.nested_create();
DELETE FROM time_entry.time_entries WHERE type_of_work_id = '60000000-0000-4000-8000-0000000000f1';
DELETE FROM time_entry.types_of_work WHERE id = '60000000-0000-4000-8000-0000000000f1';
DELETE FROM time_entry.users WHERE id::text LIKE '60000000-%';
DELETE FROM time_entry.roles WHERE id::text LIKE '60000000-%';
