--
-- Whatever the owner does to time_entries, a row written by the functions
-- is the row an INSERT of the same values writes, with the same effects
-- (issue 11): columns added with defaults, stored generated columns, CHECK
-- constraints added later, unique and exclusion constraints, row and
-- statement triggers (with transition tables), a BEFORE trigger that
-- changes or skips the row, row-level security, a read-only transaction.
-- Then the shapes the operations after create meet where they lock rows:
-- entries kept in an inheritance child, an owner of the functions
-- without UPDATE on users, the shapes above met by update_entry and
-- stop_timer, and rules, type modifiers and identity columns.  (A partitioned table:
-- test/partitioned.test.sh.)
--
-- Each shape is made in a transaction that is rolled back.  For each, an
-- entry is created through the faces and the same values are inserted
-- with a plain INSERT; the two rows are compared column by column (all but
-- the id and the audit columns), and so are the trigger firings.  The
-- suite runs with time_entry.write_path auto and executor (test/run.sh):
-- both must print the same.
--
SET client_min_messages = warning;
-- the CONTEXT of an error raised inside the executor's INSERT quotes that
-- statement; the direct path has none to quote
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

\set actor '62000000-0000-4000-8000-0000000000b1'
\set work '62000000-0000-4000-8000-0000000000f1'
\set project '62000000-0000-4000-8000-0000000000d1'
INSERT INTO time_entry.users (id, first_name) VALUES (:'actor', 'Shaper');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Shapes');
INSERT INTO time_entry.projects (id, name, is_billable_by_default) VALUES (:'project', 'Forms', true);

-- A request for the actor on a given day (timed, 09:00 for an hour).
CREATE FUNCTION pg_temp.req(day text, extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object(
		'userId', '62000000-0000-4000-8000-0000000000b1',
		'typeOfWorkId', '62000000-0000-4000-8000-0000000000f1',
		'projectId', '62000000-0000-4000-8000-0000000000d1',
		'timezone', 'Europe/Berlin', 'startDateLocal', day,
		'startTimeLocal', '09:00', 'duration', 3600) || extra
$$;

-- The path a create takes now, with the setting at auto.
CREATE FUNCTION pg_temp.path() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	saved text := coalesce(current_setting('time_entry.write_path', true), 'auto');
	result text;
BEGIN
	PERFORM set_config('time_entry.write_path', 'auto', true);
	result := time_entry.insert_path();
	PERFORM set_config('time_entry.write_path', saved, true);
	RETURN result;
END
$$;

-- Insert the same values as stored row r with a plain INSERT (as the
-- actor), and return the new row.
CREATE FUNCTION pg_temp.plain_twin(r time_entry.time_entries) RETURNS time_entry.time_entries
LANGUAGE plpgsql AS $$
DECLARE
	twin time_entry.time_entries;
	saved text := current_setting('time_entry.actor');
BEGIN
	PERFORM set_config('time_entry.actor', '62000000-0000-4000-8000-0000000000b1', true);
	INSERT INTO time_entry.time_entries (user_id, type_of_work_id, project_id, task_id,
		note, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
	VALUES (r.user_id, r.type_of_work_id, r.project_id, r.task_id, r.note, r.timezone,
		r.date_local, r.start_at, r.end_at, r.duration, r.is_billable, r.is_billed)
	RETURNING * INTO twin;
	PERFORM set_config('time_entry.actor', saved, true);
	RETURN twin;
END
$$;

-- The columns in which two rows differ, leaving out the id and the audit
-- columns (which differ by design).
CREATE FUNCTION pg_temp.differ(a time_entry.time_entries, b time_entry.time_entries) RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce(string_agg(x.key, ', ' ORDER BY x.key), 'none')
	  FROM jsonb_each(to_jsonb(a)) x
	  JOIN jsonb_each(to_jsonb(b)) y USING (key)
	 WHERE x.value IS DISTINCT FROM y.value
	   AND x.key NOT IN ('id', 'created_by', 'created_on', 'updated_by', 'updated_on', 'resource_version')
$$;

-- Trigger firings, logged by the owner's triggers of the shapes below.
CREATE TABLE public.fired (n serial, tg text, level text, timing text, rows int);
CREATE FUNCTION public.log_firing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.fired (tg, level, timing) VALUES (TG_NAME, TG_LEVEL, TG_WHEN);
	IF TG_LEVEL = 'ROW' AND TG_WHEN = 'BEFORE' THEN
		RETURN NEW;
	END IF;
	RETURN NULL;
END
$$;
CREATE FUNCTION public.log_new_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.fired (tg, level, timing, rows)
	SELECT TG_NAME, TG_LEVEL, TG_WHEN, count(*) FROM new_rows;
	RETURN NULL;
END
$$;
CREATE FUNCTION pg_temp.firings() RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce(string_agg(tg || coalesce('(' || rows || ')', ''), ' ' ORDER BY n), 'none')
	  FROM fired
$$;

-- Every face once, each result row compared with its plain twin.
CREATE FUNCTION pg_temp.all_faces() RETURNS TABLE (face text, differs text)
LANGUAGE plpgsql AS $$
DECLARE
	r time_entry.time_entries;
	resp jsonb;
	new_id uuid;
BEGIN
	resp := time_entry.create_entry(pg_temp.req('2025-01-06'), '62000000-0000-4000-8000-0000000000b1');
	SELECT * INTO r FROM time_entry.time_entries e WHERE e.id = (resp->>'id')::uuid;
	face := 'create_entry'; differs := pg_temp.differ(r, pg_temp.plain_twin(r)); RETURN NEXT;

	r := time_entry.create_entry(user_id => '62000000-0000-4000-8000-0000000000b1',
		type_of_work_id => '62000000-0000-4000-8000-0000000000f1', timezone => 'UTC',
		entry_date => '2025-01-07', duration => 600, actor => '62000000-0000-4000-8000-0000000000b1');
	face := 'typed create_entry'; differs := pg_temp.differ(r, pg_temp.plain_twin(r)); RETURN NEXT;

	SELECT t.id INTO new_id FROM time_entry.try_create_entry(pg_temp.req('2025-01-08'),
		'62000000-0000-4000-8000-0000000000b1') t;
	SELECT * INTO r FROM time_entry.time_entries e WHERE e.id = new_id;
	face := 'try_create_entry'; differs := pg_temp.differ(r, pg_temp.plain_twin(r)); RETURN NEXT;

	SELECT i.id INTO new_id FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('2025-01-09')),
		'62000000-0000-4000-8000-0000000000b1') i;
	SELECT * INTO r FROM time_entry.time_entries e WHERE e.id = new_id;
	face := 'import_entries'; differs := pg_temp.differ(r, pg_temp.plain_twin(r)); RETURN NEXT;

	-- a timer goes through the executor on every shape
	resp := time_entry.create_entry(jsonb_build_object(
		'userId', '62000000-0000-4000-8000-0000000000b1', 'typeOfWorkId', '62000000-0000-4000-8000-0000000000f1',
		'timezone', 'UTC', 'startDateUtc', to_char(now() AT TIME ZONE 'UTC' - interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
		'62000000-0000-4000-8000-0000000000b1');
	SELECT * INTO r FROM time_entry.time_entries e WHERE e.id = (resp->>'id')::uuid;
	-- stopped, so that its twin may run
	UPDATE time_entry.time_entries e SET end_at = e.start_at WHERE e.id = r.id;
	face := 'create_entry, running'; differs := pg_temp.differ(r, pg_temp.plain_twin(r)); RETURN NEXT;
END
$$;

--
-- 1. The table as the extension made it: the direct path.
--
SELECT pg_temp.path();
BEGIN;
SET LOCAL time_entry.actor = :'actor';
SELECT * FROM pg_temp.all_faces();
ROLLBACK;

--
-- 2. A column added with a default, and a stored generated column: both
-- filled as a plain INSERT fills them (they were NULL on the direct path
-- before), and the response shows the row as stored.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor';
ALTER TABLE time_entry.time_entries ADD COLUMN source text DEFAULT 'api',
	ADD COLUMN minutes integer GENERATED ALWAYS AS (duration / 60) STORED;
SELECT pg_temp.path();
SELECT * FROM pg_temp.all_faces();
SELECT source, minutes, count(*) FROM time_entry.time_entries WHERE type_of_work_id = :'work' GROUP BY 1, 2 ORDER BY 2;
ROLLBACK;

--
-- 3. A default the owner changed (of a column the request does not give):
-- the new default, on every path.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor';
ALTER TABLE time_entry.time_entries ALTER COLUMN is_external SET DEFAULT true;
SELECT pg_temp.path();
SELECT * FROM pg_temp.all_faces();
SELECT is_external, count(*) FROM time_entry.time_entries WHERE type_of_work_id = :'work' GROUP BY 1;
ROLLBACK;

--
-- 4. A CHECK constraint added later, with a function of the owner: a row
-- that breaks it is refused by the functions as by an INSERT, with the
-- same error (its DETAIL, which shows the id and the audit values, left
-- out); one that keeps it is written.
--
CREATE FUNCTION public.note_ok(note text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT note IS NULL OR note NOT LIKE '%forbidden%' $$;
BEGIN;
SET LOCAL time_entry.actor = :'actor';
ALTER TABLE time_entry.time_entries ADD CONSTRAINT note_is_ok CHECK (public.note_ok(note));
SELECT pg_temp.path();
SELECT * FROM pg_temp.all_faces();
\set VERBOSITY terse
SAVEPOINT s;
SELECT time_entry.create_entry(pg_temp.req('2025-02-03', '{"note": "a forbidden word"}'), :'actor');
ROLLBACK TO s;
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed, note)
VALUES (:'actor', :'work', 'UTC', '2025-02-03', 60, false, false, 'a forbidden word');
ROLLBACK TO s;
SELECT count(*) FROM time_entry.try_create_entry(pg_temp.req('2025-02-03', '{"note": "a forbidden word"}'), :'actor');
ROLLBACK;
\set VERBOSITY default

--
-- 5. A unique constraint and an exclusion constraint of the owner: checked
-- at the insert as for an INSERT.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor';
ALTER TABLE time_entry.time_entries ADD CONSTRAINT one_note_a_day UNIQUE (user_id, date_local, note);
SELECT pg_temp.path();
SAVEPOINT s;
SELECT count(*) FROM time_entry.import_entries(jsonb_build_array(
	pg_temp.req('2025-02-04', '{"note": "twice"}'), pg_temp.req('2025-02-04', '{"note": "twice", "startTimeLocal": "11:00"}')), :'actor');
ROLLBACK TO s;
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE time_entry.time_entries ADD CONSTRAINT no_overlap
	EXCLUDE USING gist (user_id WITH =, tstzrange(start_at, end_at) WITH &&) WHERE (end_at IS NOT NULL);
SELECT time_entry.create_entry(pg_temp.req('2025-02-05'), :'actor') IS NOT NULL AS first_created;
SELECT time_entry.create_entry(pg_temp.req('2025-02-05', '{"startTimeLocal": "09:30"}'), :'actor');
ROLLBACK;

--
-- 6. Row and statement triggers of the owner, BEFORE and AFTER, and one
-- with a transition table: each create fires them as one INSERT statement
-- does, and one import_entries call as one INSERT of all its rows.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor';
CREATE TRIGGER a_before_statement BEFORE INSERT ON time_entry.time_entries
	FOR EACH STATEMENT EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER b_before_row BEFORE INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER c_after_row AFTER INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER d_after_statement AFTER INSERT ON time_entry.time_entries
	FOR EACH STATEMENT EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER e_new_rows AFTER INSERT ON time_entry.time_entries
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.log_new_rows();
SELECT pg_temp.path();
TRUNCATE fired;
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-03-03', 60, false, false);
SELECT 'plain INSERT' AS statement, pg_temp.firings();
TRUNCATE fired;
SELECT time_entry.create_entry(pg_temp.req('2025-03-04'), :'actor') IS NOT NULL AS created;
SELECT 'create_entry' AS statement, pg_temp.firings();
TRUNCATE fired;
SELECT count(*) FROM time_entry.try_create_entry(pg_temp.req('2025-03-05'), :'actor');
SELECT 'try_create_entry' AS statement, pg_temp.firings();
TRUNCATE fired;
CREATE TEMP TABLE staging AS
SELECT pg_temp.req(d::date::text) AS entry FROM generate_series('2025-03-10'::date, '2025-03-12', '1 day') d;
SELECT count(*) FROM staging s CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, :'actor') t WHERE t.id IS NOT NULL;
SELECT 'try_create_entry over 3 staged rows' AS statement, pg_temp.firings();
TRUNCATE fired;
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
SELECT :'actor', :'work', 'UTC', d, 60, false, false FROM generate_series('2025-03-13'::date, '2025-03-15', '1 day') d;
SELECT 'plain INSERT of 3 rows' AS statement, pg_temp.firings();
TRUNCATE fired;
SELECT count(*) FROM time_entry.import_entries(jsonb_build_array(
	pg_temp.req('2025-03-17'), pg_temp.req('2025-03-18'), '{"bad": 1}'::jsonb, pg_temp.req('2025-03-19')), :'actor')
 WHERE id IS NOT NULL;
SELECT 'import_entries of 3 valid and 1 bad' AS statement, pg_temp.firings();
TRUNCATE fired;
SELECT count(*) FROM time_entry.import_entries('[{"bad": 1}]', :'actor');
SELECT 'import_entries of nothing valid' AS statement, pg_temp.firings();
SELECT * FROM pg_temp.all_faces();
ROLLBACK;

--
-- 7. A BEFORE trigger that changes the row: the response reports the row
-- as stored, not as requested; one that skips the row: a clear error, and
-- nothing is written.
--
CREATE FUNCTION public.shout() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.note := upper(coalesce(NEW.note, 'no note'));
	RETURN NEW;
END
$$;
CREATE FUNCTION public.skip_weekends() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF extract(isodow FROM NEW.date_local) >= 6 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END
$$;
BEGIN;
SET LOCAL time_entry.actor = :'actor';
CREATE TRIGGER shout BEFORE INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.shout();
SELECT r->>'note' AS note_in_response, r->>'id' AS shouted
  FROM time_entry.create_entry(pg_temp.req('2025-04-01', '{"note": "quiet"}'), :'actor') r \gset
SELECT :'note_in_response' AS note_in_response, note AS note_stored
  FROM time_entry.time_entries WHERE id = :'shouted';
SELECT (time_entry.create_entry(user_id => :'actor', type_of_work_id => :'work', timezone => 'UTC',
	entry_date => '2025-04-02', duration => 60, note => 'typed', actor => :'actor')).note;
CREATE TRIGGER skip BEFORE INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.skip_weekends();
SAVEPOINT s;
SELECT time_entry.create_entry(pg_temp.req('2025-04-05'), :'actor');
ROLLBACK TO s;
SELECT time_entry.import_entries(jsonb_build_array(pg_temp.req('2025-04-04'), pg_temp.req('2025-04-05')), :'actor');
ROLLBACK TO s;
SELECT count(*) FILTER (WHERE date_local = '2025-04-04') AS friday_kept
  FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('2025-04-04')), :'actor') i
  JOIN time_entry.time_entries e USING (id);
ROLLBACK;

--
-- 8. Row-level security.  The functions write as their owner; when that
-- owner is subject to the table's policies (not a superuser, FORCE ROW
-- LEVEL SECURITY), a row the policies refuse is refused by the functions
-- as by an INSERT of the owner, with the same error.
--
BEGIN;
CREATE ROLE regress_te_owner;
GRANT USAGE ON SCHEMA time_entry TO regress_te_owner;
GRANT SELECT ON ALL TABLES IN SCHEMA time_entry TO regress_te_owner;
GRANT UPDATE ON time_entry.users TO regress_te_owner;	-- the user's lock
ALTER TABLE time_entry.time_entries OWNER TO regress_te_owner;
ALTER FUNCTION time_entry.create_entry(jsonb, uuid) OWNER TO regress_te_owner;
ALTER FUNCTION time_entry.import_entries(jsonb, uuid) OWNER TO regress_te_owner;
ALTER FUNCTION time_entry.insert_path() OWNER TO regress_te_owner;
ALTER FUNCTION time_entry.import_rows() OWNER TO regress_te_owner;
ALTER TABLE time_entry.time_entries ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY only_notes ON time_entry.time_entries FOR ALL TO PUBLIC
	USING (true) WITH CHECK (note IS NOT NULL);
SET LOCAL time_entry.actor = :'actor';
SELECT pg_temp.path();
SAVEPOINT s;
SELECT time_entry.create_entry(pg_temp.req('2025-05-05'), :'actor');
ROLLBACK TO s;
SET LOCAL ROLE regress_te_owner;
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-05-05', 60, false, false);
ROLLBACK TO s;
SELECT (time_entry.create_entry(pg_temp.req('2025-05-06', '{"note": "noted"}'), :'actor'))->>'note' AS written_with_a_note;
SELECT ordinal, id IS NOT NULL AS created, error->>'code' AS code
  FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('2025-05-07', '{"note": "noted"}')), :'actor');
ROLLBACK;

--
-- 9. A read-only transaction: refused as an INSERT is, before anything is
-- checked; validate_entry writes nothing and still answers.
--
BEGIN READ ONLY;
SELECT time_entry.validate_entry(pg_temp.req('2025-06-02'), :'actor') AS valid;
SAVEPOINT s;
SELECT time_entry.create_entry(pg_temp.req('2025-06-02'), :'actor');
ROLLBACK TO s;
SELECT time_entry.create_entry(pg_temp.req('2025-06-02', '{"bad": 1}'), :'actor');
ROLLBACK TO s;
SELECT * FROM time_entry.import_entries(jsonb_build_array(pg_temp.req('2025-06-02')), :'actor');
ROLLBACK TO s;
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-06-02', 60, false, false);
ROLLBACK;

--
-- 10. An inheritance child of time_entries: a query on the table (and an
-- UPDATE or DELETE of it) reaches the child's rows, an index of the table
-- does not.  The operations of SPEC 9 find an entry kept in the child
-- on every path, as their queries do.
--
BEGIN;
SET LOCAL time_entry.actor = :'actor';
CREATE TABLE time_entry.time_entries_archive () INHERITS (time_entry.time_entries);
SELECT (time_entry.create_entry(pg_temp.req('2025-07-01'), :'actor'))->>'id' AS archived \gset
SELECT (time_entry.start_timer(jsonb_build_object('userId', :'actor', 'typeOfWorkId', :'work',
		'timezone', 'UTC', 'startDateUtc', '2025-07-02T09:00:00Z'), :'actor'))->>'id' AS running \gset
WITH moved AS (
	DELETE FROM ONLY time_entry.time_entries WHERE id IN (:'archived', :'running') RETURNING *
)
INSERT INTO time_entry.time_entries_archive SELECT * FROM moved;
SELECT count(*) AS in_the_child FROM time_entry.time_entries_archive;
SELECT (time_entry.get_entry(:'archived', :'actor'))->>'startDateLocal' AS read_from_the_child;
SELECT (time_entry.update_entry(:'archived', '{"note": "corrected"}', :'actor'))->>'note' AS updated_in_the_child;
SELECT (time_entry.stop_timer(:'actor', :'actor', '2025-07-02 10:00Z'))->>'endTimeUtc' AS stopped_in_the_child;
SELECT (time_entry.delete_entry(:'archived', :'actor'))->>'note' AS deleted_from_the_child;
SELECT count(*) AS left_in_the_child, count(*) FILTER (WHERE end_at IS NULL) AS running
  FROM time_entry.time_entries_archive;
ROLLBACK;

--
-- 11. An owner of the functions that may read users but not update them:
-- the user's lock (SELECT ... FOR NO KEY UPDATE) needs both privileges,
-- and is refused on every path.
--
BEGIN;
CREATE ROLE regress_te_reader;
GRANT USAGE ON SCHEMA time_entry TO regress_te_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA time_entry TO regress_te_reader;
GRANT UPDATE ON time_entry.time_entries TO regress_te_reader;
SET LOCAL time_entry.actor = :'actor';
SELECT (time_entry.start_timer(jsonb_build_object('userId', :'actor', 'typeOfWorkId', :'work',
		'timezone', 'UTC', 'startDateUtc', '2025-07-03T09:00:00Z'), :'actor')) IS NOT NULL AS started;
ALTER FUNCTION time_entry.stop_timer(uuid, uuid, timestamptz) OWNER TO regress_te_reader;
SELECT time_entry.stop_timer(:'actor', :'actor', '2025-07-03 10:00Z');
ROLLBACK;
-- An owner that may insert entries but not read them: the INSERT ...
-- RETURNING the response is built from needs both, on every path.
BEGIN;
CREATE ROLE regress_te_writer;
GRANT USAGE ON SCHEMA time_entry TO regress_te_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA time_entry TO regress_te_writer;
REVOKE SELECT ON time_entry.time_entries FROM regress_te_writer;
GRANT INSERT ON time_entry.time_entries TO regress_te_writer;
ALTER FUNCTION time_entry.create_entry(jsonb, uuid) OWNER TO regress_te_writer;
ALTER FUNCTION time_entry.insert_path() OWNER TO regress_te_writer;
SELECT pg_temp.path();
SELECT time_entry.create_entry(pg_temp.req('2025-07-04'), :'actor');
ROLLBACK;

--
-- 12. The changes after create: update_entry and stop_timer change the row
-- as a plain UPDATE of the same values does.  On the shapes that keep the
-- direct path -- the table as made, and with a CHECK constraint, a unique
-- and an exclusion constraint added later (their checks compiled again
-- after the change) -- the functions refuse what the plain UPDATE refuses,
-- with the same error, and a change that moves the entry to other index
-- keys is found by them; the owner's triggers on UPDATE (which send the
-- change to the executor) fire as for one UPDATE statement; a BEFORE
-- UPDATE trigger that changes the row is reported as stored, one that
-- skips it is a clear error.
--
CREATE FUNCTION public.short_enough(duration integer) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT duration < 36000 $$;
BEGIN;
SET LOCAL time_entry.actor = :'actor';
SELECT (time_entry.create_entry(pg_temp.req('2025-08-04'), :'actor'))->>'id' AS first \gset
SELECT (time_entry.create_entry(pg_temp.req('2025-08-05', '{"note": "taken"}'), :'actor'))->>'id' AS second \gset
SELECT r->>'note' AS note, r->>'duration' AS duration, r->>'endTimeLocal' AS end_local,
	   (r->>'resourceVersion')::bigint > 0 AS versioned
  FROM time_entry.update_entry(:'first', '{"note": "changed", "duration": 1800}', :'actor') r;
SELECT note, duration, end_at - start_at AS length FROM time_entry.time_entries WHERE id = :'first';
ALTER TABLE time_entry.time_entries ADD CONSTRAINT note_is_ok CHECK (public.note_ok(note)),
	ADD CONSTRAINT short_enough CHECK (public.short_enough(duration));
ALTER TABLE time_entry.time_entries ADD CONSTRAINT one_note_a_day UNIQUE (user_id, date_local, note);
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE time_entry.time_entries ADD CONSTRAINT no_overlap
	EXCLUDE USING gist (user_id WITH =, tstzrange(start_at, end_at) WITH &&) WHERE (end_at IS NOT NULL);
SELECT pg_temp.path();
\set VERBOSITY terse
SAVEPOINT s;
SELECT time_entry.update_entry(:'first', '{"note": "a forbidden word"}', :'actor');
ROLLBACK TO s;
UPDATE time_entry.time_entries SET note = 'a forbidden word' WHERE id = :'first';
ROLLBACK TO s;
SELECT time_entry.update_entry(:'first', '{"startDateLocal": "2025-08-05", "note": "taken"}', :'actor');
ROLLBACK TO s;
UPDATE time_entry.time_entries SET date_local = '2025-08-05', note = 'taken',
	start_at = start_at + interval '1 day', end_at = end_at + interval '1 day' WHERE id = :'first';
ROLLBACK TO s;
SELECT time_entry.update_entry(:'first', '{"startDateLocal": "2025-08-05", "startTimeLocal": "09:30"}', :'actor');
ROLLBACK TO s;
UPDATE time_entry.time_entries SET date_local = '2025-08-05', start_at = start_at + interval '1 day 30 minutes',
	end_at = end_at + interval '1 day 30 minutes' WHERE id = :'first';
ROLLBACK TO s;
\set VERBOSITY default
SELECT (time_entry.update_entry(:'first', '{"startDateLocal": "2025-08-06", "note": "moved"}', :'actor'))->>'startDateLocal' AS moved_to;
SET LOCAL enable_seqscan = off;
SELECT count(*) AS found_by_its_new_keys FROM time_entry.time_entries
 WHERE user_id = :'actor' AND date_local = '2025-08-06' AND note = 'moved';
RESET enable_seqscan;
SELECT (time_entry.start_timer(jsonb_build_object('userId', :'actor', 'typeOfWorkId', :'work',
		'timezone', 'UTC', 'startDateUtc', '2025-08-07T09:00:00Z'), :'actor')) IS NOT NULL AS started;
\set VERBOSITY terse
SAVEPOINT s;
SELECT time_entry.stop_timer(:'actor', :'actor', '2025-08-07 20:00Z');
ROLLBACK TO s;
UPDATE time_entry.time_entries SET end_at = '2025-08-07 20:00Z', duration = 39600
 WHERE user_id = :'actor' AND end_at IS NULL AND start_at IS NOT NULL;
ROLLBACK TO s;
\set VERBOSITY default
SELECT (time_entry.stop_timer(:'actor', :'actor', '2025-08-07 10:00Z'))->>'duration' AS stopped_after;

-- the owner's triggers on UPDATE: the executor, firing as one UPDATE
CREATE TRIGGER a_before_statement BEFORE UPDATE ON time_entry.time_entries
	FOR EACH STATEMENT EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER b_before_row BEFORE UPDATE ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER c_after_row AFTER UPDATE ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.log_firing();
CREATE TRIGGER d_after_statement AFTER UPDATE ON time_entry.time_entries
	FOR EACH STATEMENT EXECUTE FUNCTION public.log_firing();
SELECT pg_temp.path();
TRUNCATE fired;
UPDATE time_entry.time_entries SET note = 'plain' WHERE id = :'second';
SELECT 'plain UPDATE' AS statement, pg_temp.firings();
TRUNCATE fired;
SELECT (time_entry.update_entry(:'second', '{"note": "by the function"}', :'actor'))->>'note' AS note;
SELECT 'update_entry' AS statement, pg_temp.firings();
CREATE TRIGGER shout BEFORE UPDATE ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.shout();
SELECT (time_entry.update_entry(:'second', '{"note": "quiet"}', :'actor'))->>'note' AS note_in_response \gset
SELECT :'note_in_response' AS note_in_response, note AS note_stored
  FROM time_entry.time_entries WHERE id = :'second';
CREATE TRIGGER skip BEFORE UPDATE ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION public.skip_weekends();
\set VERBOSITY terse
SELECT time_entry.update_entry(:'second', '{"startDateLocal": "2025-08-09"}', :'actor');
\set VERBOSITY default
ROLLBACK;

--
-- 13. Rules, a type modifier and an identity column take the executor,
-- which applies them: a rule of the owner's on INSERT and on UPDATE runs
-- for the functions' writes as for plain ones; a timestamptz(0) rounds
-- what stop_timer stores (and the rounded end no longer matches the
-- duration, refused as by a plain UPDATE).
--
BEGIN;
SET LOCAL time_entry.actor = :'actor';
CREATE TABLE public.change_log (what text, note text);
CREATE RULE log_inserts AS ON INSERT TO time_entry.time_entries
	DO ALSO INSERT INTO public.change_log VALUES ('insert', NEW.note);
CREATE RULE log_updates AS ON UPDATE TO time_entry.time_entries
	DO ALSO INSERT INTO public.change_log VALUES ('update', NEW.note);
SELECT pg_temp.path();
SELECT (time_entry.create_entry(pg_temp.req('2025-09-01', '{"note": "ruled"}'), :'actor'))->>'id' AS ruled \gset
SELECT (time_entry.update_entry(:'ruled', '{"note": "ruled again"}', :'actor'))->>'note' AS note;
SELECT what, note FROM public.change_log ORDER BY what;
ROLLBACK;
BEGIN;
SET LOCAL time_entry.actor = :'actor';
ALTER TABLE time_entry.time_entries ALTER COLUMN start_at TYPE timestamptz(0),
	ALTER COLUMN end_at TYPE timestamptz(0);
SELECT pg_temp.path();
SELECT (time_entry.start_timer(jsonb_build_object('userId', :'actor', 'typeOfWorkId', :'work',
		'timezone', 'UTC', 'startDateUtc', '2025-09-02T09:00:00Z'), :'actor')) IS NOT NULL AS started;
\set VERBOSITY terse
SAVEPOINT s;
SELECT time_entry.stop_timer(:'actor', :'actor', '2025-09-02 10:00:00.7Z');
ROLLBACK TO s;
UPDATE time_entry.time_entries SET end_at = '2025-09-02 10:00:00.7Z', duration = 3600
 WHERE user_id = :'actor' AND end_at IS NULL AND start_at IS NOT NULL;
ROLLBACK TO s;
\set VERBOSITY default
SELECT (time_entry.stop_timer(:'actor', :'actor', '2025-09-02 10:00:00Z'))->>'endTimeUtc' AS stopped_at;
ROLLBACK;
BEGIN;
ALTER TABLE time_entry.time_entries ALTER COLUMN resource_version ADD GENERATED BY DEFAULT AS IDENTITY;
SELECT pg_temp.path();
ROLLBACK;

-- Nothing was left behind.
SELECT count(*) AS rows_left FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DROP TABLE public.fired;
DROP FUNCTION public.log_firing(), public.log_new_rows(), public.note_ok(text),
	public.short_enough(integer), public.shout(), public.skip_weekends();
DELETE FROM time_entry.projects WHERE id = :'project';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DELETE FROM time_entry.users WHERE id = :'actor';
