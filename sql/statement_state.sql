--
-- What a face keeps across its calls in one statement (issue 4: speed).
--
--   lookups   the directory rows one statement has read (every face from
--             its second call): valid only for the snapshot, transaction
--             and subtransaction they were read in
--   inserter  time_entries held open for inserting (try_create_entry from
--             its second call, import_entries within its call): closed at
--             the end of the statement, or of the transaction, whichever
--             comes first
--
-- Each case below goes wrong if that state outlives what it may: a row
-- that a rollback took back would still be found, a relation would leak
-- ("relcache reference leak" warnings, which this file's expected output
-- would show), or time_entries would stay "in use" for a TRUNCATE.
--
SET client_min_messages = warning;
SET timezone = 'UTC';

\set role '71000000-0000-4000-8000-0000000000a1'
\set lead '71000000-0000-4000-8000-0000000000b1'
\set user '71000000-0000-4000-8000-0000000000b2'
\set late '71000000-0000-4000-8000-0000000000b3'
\set project '71000000-0000-4000-8000-0000000000d1'
\set work '71000000-0000-4000-8000-0000000000f1'

INSERT INTO time_entry.roles (id, name) VALUES (:'role', 'State lead');
INSERT INTO time_entry.role_permissions VALUES (:'role', 'project-timetracking', 'write');
INSERT INTO time_entry.users (id, first_name, last_name, role_id) VALUES
	(:'lead', 'Sal', 'Lead', :'role'),
	(:'user', 'Stu', 'User', NULL);
INSERT INTO time_entry.projects (id, name) VALUES (:'project', 'State project');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Stating');

-- A valid request by the lead for user (or another user) on day n of 2024,
-- 09:00-10:00 Berlin time, with a note to find its row by.
CREATE FUNCTION pg_temp.req(n integer, note text,
	usr uuid DEFAULT '71000000-0000-4000-8000-0000000000b2') RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object(
		'userId', usr,
		'typeOfWorkId', '71000000-0000-4000-8000-0000000000f1',
		'projectId', '71000000-0000-4000-8000-0000000000d1',
		'timezone', 'Europe/Berlin',
		'startDateLocal', to_char(date '2024-01-01' + n, 'YYYY-MM-DD'),
		'startTimeLocal', '09:00', 'endTimeLocal', '10:00',
		'note', note)
$$;

-- The code and property of validate_entry's first problem, or 'valid'.
CREATE FUNCTION pg_temp.verdict(problems jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce((problems->>'code') || ' ' ||
					(problems->'validationErrors'->0->>'property'), 'valid')
$$;

--
-- 1. Lookups and a subtransaction that rolls back.  In PL/pgSQL,
-- "v := f(...)" keeps f's state for the whole transaction: check() below
-- is one call site, called three times.  The second call, inside a
-- subtransaction, finds the user that subtransaction inserted; when it
-- has rolled back, the third call must not find the user again.
--
CREATE FUNCTION pg_temp.check(usr uuid) RETURNS jsonb
LANGUAGE plpgsql
AS $$
BEGIN
	RETURN time_entry.validate_entry(pg_temp.req(1, 'sub', usr),
									 '71000000-0000-4000-8000-0000000000b1');
END
$$;
CREATE TEMP TABLE seen (step integer, verdict text);
DO $$
DECLARE
	late uuid := '71000000-0000-4000-8000-0000000000b3';
	v1 jsonb;
	v2 jsonb;
	v3 jsonb;
BEGIN
	v1 := pg_temp.check(late);
	BEGIN
		INSERT INTO time_entry.users (id, first_name, last_name)
		VALUES (late, 'Lou', 'Late');
		v2 := pg_temp.check(late);
		RAISE EXCEPTION 'take the user back';
	EXCEPTION WHEN raise_exception THEN
		NULL;
	END;
	v3 := pg_temp.check(late);
	INSERT INTO seen VALUES (1, pg_temp.verdict(v1)), (2, pg_temp.verdict(v2)),
		(3, pg_temp.verdict(v3));
END
$$;
SELECT step, verdict FROM seen ORDER BY step;

--
-- 2. Lookups and a change by the same transaction: the next call's
-- snapshot has a later command id.
--
TRUNCATE seen;
DO $$
DECLARE
	lead uuid := '71000000-0000-4000-8000-0000000000b1';
	v jsonb;
BEGIN
	v := time_entry.validate_entry(pg_temp.req(2, 'cid'), lead);
	INSERT INTO seen VALUES (1, pg_temp.verdict(v));
	UPDATE time_entry.users SET is_deactivated = true
	 WHERE id = '71000000-0000-4000-8000-0000000000b2';
	v := time_entry.validate_entry(pg_temp.req(2, 'cid'), lead);
	INSERT INTO seen VALUES (2, pg_temp.verdict(v));
	UPDATE time_entry.users SET is_deactivated = false
	 WHERE id = '71000000-0000-4000-8000-0000000000b2';
	v := time_entry.validate_entry(pg_temp.req(2, 'cid'), lead);
	INSERT INTO seen VALUES (3, pg_temp.verdict(v));
END
$$;
SELECT step, verdict FROM seen ORDER BY step;

--
-- 3. More distinct rows than the cache holds (4 096) in one statement:
-- 5 000 unknown users, every 1 000th request valid.  The outcomes are
-- those of separate calls.
--
SELECT count(*) FILTER (WHERE t.id IS NOT NULL) AS created,
	   count(*) FILTER (WHERE t.error->>'code' = 'not-found' AND
						  t.error->'validationErrors'->0->>'property' = 'userId') AS unknown_user,
	   count(*) AS calls
  FROM generate_series(1, 5000) g
 CROSS JOIN LATERAL time_entry.try_create_entry(
		CASE WHEN g % 1000 = 0 THEN pg_temp.req(g / 1000, 'cap')
			 ELSE pg_temp.req(g, 'cap',
				  ('71000000-0000-4000-8000-' || lpad(to_hex(100000 + g), 12, '0'))::uuid)
		END, :'lead') t;

--
-- 4. The inserter ends with its statement: TRUNCATE, which refuses a
-- table still in use by the session, works right after, in the same
-- transaction; so does it after import_entries and after a PL/pgSQL
-- simple expression of the scalar create_entry.
--
BEGIN;
SELECT count(t.id) AS created
  FROM generate_series(10, 14) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'truncate'), :'lead') t;
SELECT count(id) AS imported
  FROM time_entry.import_entries(
		jsonb_build_array(pg_temp.req(15, 'truncate'), pg_temp.req(16, 'truncate')), :'lead');
DO $$
DECLARE
	r jsonb;
BEGIN
	FOR g IN 17..19 LOOP
		r := time_entry.create_entry(pg_temp.req(g, 'truncate'),
									 '71000000-0000-4000-8000-0000000000b1');
	END LOOP;
END
$$;
SELECT count(*) AS rows_before FROM time_entry.time_entries WHERE note = 'truncate';
TRUNCATE time_entry.time_entries;
ROLLBACK;

--
-- 5. A cursor fetched from inside savepoints.  Rows created inside a
-- savepoint that is rolled back are gone, the cursor goes on (the kept
-- inserter is not the savepoint's to release), and closing it leaks
-- nothing.
--
BEGIN;
DECLARE c CURSOR FOR
	SELECT g, t.id IS NOT NULL AS created
	  FROM generate_series(20, 27) g
	 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'cursor'), :'lead') t;
FETCH 2 FROM c;
SAVEPOINT s1;
FETCH 2 FROM c;
RELEASE SAVEPOINT s1;
SAVEPOINT s2;
FETCH 2 FROM c;
ROLLBACK TO SAVEPOINT s2;
FETCH 1 FROM c;
ROLLBACK TO SAVEPOINT s2;
CLOSE c;
SELECT count(*) AS kept FROM time_entry.time_entries WHERE note = 'cursor';
COMMIT;
SELECT count(*) AS committed FROM time_entry.time_entries WHERE note = 'cursor';

-- a cursor left open at COMMIT (the transaction closes the inserter)
BEGIN;
DECLARE d CURSOR FOR
	SELECT g, t.id IS NOT NULL AS created
	  FROM generate_series(30, 33) g
	 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'open cursor'), :'lead') t;
FETCH 2 FROM d;
COMMIT;
SELECT count(*) AS committed FROM time_entry.time_entries WHERE note = 'open cursor';

--
-- 6. An unexpected error in the middle of a statement, caught by a
-- PL/pgSQL exception block: the statement's rows are gone, and the
-- transaction goes on creating entries and can TRUNCATE.
--
BEGIN;
DO $$
BEGIN
	BEGIN
		PERFORM t.id, 1 / (43 - g)
		   FROM generate_series(40, 45) g
		  CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'caught'),
							'71000000-0000-4000-8000-0000000000b1') t;
	EXCEPTION WHEN division_by_zero THEN
		NULL;
	END;
	PERFORM t.id
	   FROM generate_series(46, 47) g
	  CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'after'),
						'71000000-0000-4000-8000-0000000000b1') t;
END
$$;
SELECT note, count(*) FROM time_entry.time_entries
 WHERE note IN ('caught', 'after') GROUP BY note ORDER BY note;
SAVEPOINT before_truncate;
TRUNCATE time_entry.time_entries;
ROLLBACK TO SAVEPOINT before_truncate;
COMMIT;

--
-- 7. Two call sites in one statement, each with its own state, and the
-- second one refused by the rule the first one's row trips: an overlap,
-- seen through the latest snapshot, not through cached lookups.
--
UPDATE time_entry.settings SET prevent_overlaps = true;
SELECT g, a.id IS NOT NULL AS first_created, b.error->>'code' AS second_refused
  FROM generate_series(50, 52) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'twice'), :'lead') a
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'twice'), :'lead') b
 ORDER BY g;
UPDATE time_entry.settings SET prevent_overlaps = false;
SELECT count(*) AS stored_once FROM time_entry.time_entries WHERE note = 'twice';

--
-- 8. A rule row changed between two statements of one transaction is
-- seen by the second: the lead loses the permission to book for others.
--
BEGIN;
SELECT t.error->>'code' AS before_code
  FROM generate_series(60, 61) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'perm'), :'lead') t;
DELETE FROM time_entry.role_permissions WHERE role_id = :'role';
SELECT t.error->>'code' AS after_code,
	   t.error->'validationErrors'->0->>'property' AS property
  FROM generate_series(62, 63) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'perm'), :'lead') t;
ROLLBACK;

--
-- 9. Trigger functions of the user's on time_entries keep state across
-- the rows of a statement in their call info: a SECURITY DEFINER function
-- and one with a SET clause do.  That state must live as long as the open
-- table, not as long as one call.
--
CREATE FUNCTION pg_temp.stamp_before() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
AS $$ BEGIN NEW.note := NEW.note || ' +b'; RETURN NEW; END $$;
CREATE FUNCTION pg_temp.count_after() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog
AS $$ BEGIN INSERT INTO pg_temp.after_rows VALUES (NEW.id); RETURN NULL; END $$;
CREATE TEMP TABLE after_rows (id uuid);
CREATE TRIGGER zz_stamp_before BEFORE INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION pg_temp.stamp_before();
CREATE TRIGGER zz_count_after AFTER INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION pg_temp.count_after();
SELECT count(t.id) AS created
  FROM generate_series(70, 89) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'definer'), :'lead') t;
SELECT count(i.id) AS imported
  FROM time_entry.import_entries(
		(SELECT jsonb_agg(pg_temp.req(g, 'definer import')) FROM generate_series(90, 109) g),
		:'lead') i;
SELECT count(*) AS after_trigger_rows FROM after_rows;
DROP TRIGGER zz_stamp_before ON time_entry.time_entries;
DROP TRIGGER zz_count_after ON time_entry.time_entries;

--
-- 10. An error in the middle of a row (here an AFTER trigger that fails at
-- the third row, as a foreign-key check fails when another session
-- deleted the project meanwhile) leaves the open table half way through a
-- row; the abort must get rid of it without touching it.  At the top
-- level, inside a PL/pgSQL exception block, and in a cursor fetched
-- inside a savepoint.
--
CREATE FUNCTION pg_temp.fail_third() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF NEW.note LIKE '% 3' THEN
		RAISE EXCEPTION 'the third row fails' USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER zz_fail_third AFTER INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION pg_temp.fail_third();
\set VERBOSITY terse
SELECT count(t.id)
  FROM generate_series(1, 5) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(110 + g, 'fails ' || g), :'lead') t;
SELECT count(*) AS after_top_level FROM time_entry.time_entries WHERE note LIKE 'fails %';
DO $$
DECLARE
	n integer;
BEGIN
	BEGIN
		PERFORM t.id
		   FROM generate_series(1, 5) g
		  CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(120 + g, 'fails ' || g),
							'71000000-0000-4000-8000-0000000000b1') t;
	EXCEPTION WHEN foreign_key_violation THEN
		RAISE NOTICE 'caught: %', SQLERRM;
	END;
	SELECT count(t.id) INTO n
	  FROM generate_series(1, 2) g
	 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(130 + g, 'went on ' || g),
					   '71000000-0000-4000-8000-0000000000b1') t;
	INSERT INTO seen VALUES (100, 'went on: ' || n);
END
$$;
SELECT verdict FROM seen WHERE step = 100;
BEGIN;
DECLARE f CURSOR FOR
	SELECT g, t.id IS NOT NULL AS created
	  FROM generate_series(1, 5) g
	 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(140 + g, 'cursor fails ' || g), :'lead') t;
FETCH 1 FROM f;
SAVEPOINT s;
FETCH 2 FROM f;
ROLLBACK TO SAVEPOINT s;
CLOSE f;
SELECT count(*) AS kept FROM time_entry.time_entries WHERE note LIKE 'cursor fails %';
COMMIT;
DROP TRIGGER zz_fail_third ON time_entry.time_entries;
\set VERBOSITY default
SELECT count(t.id) AS created_after
  FROM generate_series(1, 3) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(150 + g, 'afterwards'), :'lead') t;

--
-- 11. A column added with a default after rows exist ("fast default"):
-- the rows written before read the default, through the cache too.
--
BEGIN;
UPDATE time_entry.settings SET prevent_on_closed_projects = true;
ALTER TABLE time_entry.projects DROP COLUMN is_closed;
ALTER TABLE time_entry.projects ADD COLUMN is_closed boolean NOT NULL DEFAULT true;
SELECT pg_temp.verdict(time_entry.validate_entry(pg_temp.req(160, 'closed'), :'lead')) AS single;
SELECT pg_temp.verdict(time_entry.validate_entry(pg_temp.req(g, 'closed'), :'lead')) AS repeated
  FROM generate_series(161, 163) g;
ROLLBACK;

--
-- 12. A savepoint rolled back around a statement gives back the table's
-- locks the statement took, as it would an INSERT's.
--
BEGIN;
SAVEPOINT a;
SELECT count(id) AS imported
  FROM time_entry.import_entries(
		jsonb_build_array(pg_temp.req(170, 'locks'), pg_temp.req(171, 'locks')), :'lead');
SELECT count(t.id) AS created
  FROM generate_series(172, 174) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'locks'), :'lead') t;
ROLLBACK TO SAVEPOINT a;
SELECT count(*) AS locks_left
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
 WHERE l.pid = pg_backend_pid() AND c.relname LIKE 'time_entries%';
COMMIT;

--
-- 13. The extension dropped and created again in the same session: the
-- table's new OID is found.
--
BEGIN;
DROP EXTENSION time_entry CASCADE;
CREATE EXTENSION time_entry;
INSERT INTO time_entry.users (id, first_name, last_name) VALUES (:'user', 'Stu', 'User');
INSERT INTO time_entry.projects (id, name) VALUES (:'project', 'State project');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Stating');
SELECT time_entry.create_entry(pg_temp.req(180, 'again'), :'user')->>'note' AS created_again;
SELECT count(t.id) AS created_again
  FROM generate_series(181, 183) g
 CROSS JOIN LATERAL time_entry.try_create_entry(pg_temp.req(g, 'again'), :'user') t;
ROLLBACK;
