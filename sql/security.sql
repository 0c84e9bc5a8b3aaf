--
-- Security (issue 6 item 3): what a hostile role can and cannot do.
--
-- regress_mallory logs in and, later, is a member of regress_te_sec_app,
-- an application role granted EXECUTE on the create functions (the
-- README's trust model).  Mallory plants objects that would change the
-- answers of code running with a loose search_path or unqualified names:
-- functions shadowing built-ins (lower, upper, floor, now, "coalesce"),
-- operators = (uuid, uuid) and = (text, text) that are always true and
-- < (timestamptz, timestamptz) that is always false, and tables named like
-- the extension's (time_entries, users, roles, role_permissions, settings,
-- project_members, types_of_work) holding rows that would make every actor
-- an admin; in public (CREATE granted there, as before PostgreSQL 15), in
-- mallory's own schema put first in search_path, and in pg_temp.  The
-- answers of every face stay what they were without them, and the rows go
-- to time_entry.time_entries.  Mallory cannot write any table of the
-- extension (so cannot grant itself permissions), cannot change another
-- user's entry, cannot call the functions without the grant, and every
-- SECURITY DEFINER function pins search_path (checked in pg_proc).
--
SET client_min_messages = warning;

\set admin '90000000-0000-4000-8000-0000000000b1'
\set alice '90000000-0000-4000-8000-0000000000b2'
\set bob '90000000-0000-4000-8000-0000000000b3'
\set carol '90000000-0000-4000-8000-0000000000b4'
\set nobody '90000000-0000-4000-8000-0000000000b9'
\set work '90000000-0000-4000-8000-0000000000f1'
\set vault '90000000-0000-4000-8000-0000000000d1'

-- The workspace: an admin, two members who may only read time tracking
-- (alice and bob), a deactivated member (carol), a project, a type of work.
INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('90000000-0000-4000-8000-0000000000a1', 'Security admin', true),
	('90000000-0000-4000-8000-0000000000a2', 'Security member', false);
INSERT INTO time_entry.role_permissions VALUES
	('90000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'read');
INSERT INTO time_entry.users (id, first_name, last_name, role_id, is_deactivated) VALUES
	(:'admin', 'Ada', 'Admin', '90000000-0000-4000-8000-0000000000a1', false),
	(:'alice', 'Alice', 'Member', '90000000-0000-4000-8000-0000000000a2', false),
	(:'bob', 'Bob', 'Member', '90000000-0000-4000-8000-0000000000a2', false),
	(:'carol', 'Carol', 'Gone', '90000000-0000-4000-8000-0000000000a2', true);
INSERT INTO time_entry.projects (id, name) VALUES (:'vault', 'Vault');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Security work');
-- The default settings for the probes (restored at the end).
CREATE TEMP TABLE saved_settings AS SELECT max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps
  FROM time_entry.settings;
UPDATE time_entry.settings SET max_duration = 86400, prevent_on_closed_projects = false,
	prevent_in_future = false, allow_on_past_days = NULL, prevent_overlaps = false;

-- Bob's own entry.
SELECT time_entry.create_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-06T08:00:00Z', 'duration', 3600, 'note', 'bob''s'),
	:'bob') ->> 'id' AS bob_entry \gset

DROP ROLE IF EXISTS regress_mallory;
DROP ROLE IF EXISTS regress_te_sec_app;
CREATE ROLE regress_te_sec_app NOLOGIN;
GRANT EXECUTE ON FUNCTION time_entry.create_entry(jsonb, uuid), time_entry.validate_entry(jsonb, uuid),
	time_entry.try_create_entry(jsonb, uuid), time_entry.import_entries(jsonb, uuid),
	time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text,
							boolean, boolean, date, uuid, uuid)
	TO regress_te_sec_app;
-- PUBLIC reads no table (SPEC 10); this application also reads the entries
-- directly, as its owner granted.
GRANT SELECT ON time_entry.time_entries TO regress_te_sec_app;
CREATE ROLE regress_mallory LOGIN;
CREATE SCHEMA regress_mallory AUTHORIZATION regress_mallory;
GRANT CREATE ON SCHEMA public TO regress_mallory;

--
-- Without the application role, mallory cannot call any create function.
--
SET ROLE regress_mallory;
SELECT time_entry.create_entry('{}', :'alice');
\echo :LAST_ERROR_SQLSTATE
SELECT time_entry.validate_entry('{}', :'alice');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM time_entry.try_create_entry('{}', :'alice');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM time_entry.import_entries('[]', :'alice');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM time_entry.create_entry(:'alice'::uuid, :'work'::uuid, 'UTC', entry_date => '2025-01-06',
	duration => 60, actor => :'alice');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

GRANT regress_te_sec_app TO regress_mallory;
SET ROLE regress_mallory;

--
-- The probes, first without any hostile object.  Each shows the whole
-- answer, except the values that change from run to run.
--
-- 1. alice may not book time for bob (she lacks project-timetracking write)
SELECT time_entry.create_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'alice');
-- 2. not even on a project
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'projectId', :'vault', 'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'alice');
-- 3. an unknown user is not found
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'nobody', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'alice');
-- 4. a deactivated actor is refused
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'carol', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'carol');
-- 5. a long date-only day of alice's is within max_duration (86400)
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'alice', 'typeOfWorkId', :'work',
	'timezone', 'europe/berlin', 'startDateLocal', '2025-01-07', 'duration', 28800), :'alice') IS NULL AS valid;
-- 6. alice books her own time
SELECT jsonb_pretty(response - ARRAY['id', 'createdOn', 'updatedOn', 'resourceVersion']) AS response,
	   id IS NOT NULL AS has_id, error
  FROM time_entry.try_create_entry(jsonb_build_object('userId', :'alice', 'typeOfWorkId', :'work',
	'timezone', 'Europe/Berlin', 'startDateLocal', '2025-01-07', 'startTimeLocal', '09:00',
	'endTimeLocal', '11:30', 'note', 'probe 6'), :'alice');
-- 7. the typed face
SELECT user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable,
	   created_by = :'alice' AS created_by_alice
  FROM time_entry.create_entry(:'alice'::uuid, :'work'::uuid, 'UTC', '2025-01-08 10:00+00',
	'2025-01-08 10:45+00', note => 'probe 7', actor => :'alice');
-- 8. an import: alice's own entry goes in, one for bob does not
SELECT ordinal, id IS NOT NULL AS has_id, error
  FROM time_entry.import_entries(jsonb_build_array(
	jsonb_build_object('userId', :'alice', 'typeOfWorkId', :'work', 'timezone', 'UTC',
		'startDateUtc', '2025-01-09', 'duration', 600, 'note', 'probe 8'),
	jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work', 'timezone', 'UTC',
		'startDateUtc', '2025-01-09', 'duration', 600, 'note', 'probe 8')), :'alice');
SELECT note, user_id, created_by, date_local, duration FROM time_entry.time_entries
 WHERE note LIKE 'probe %' ORDER BY note;

--
-- The hostile objects.
--
-- In mallory's schema, first in mallory's search_path.
CREATE FUNCTION regress_mallory.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$;
CREATE FUNCTION regress_mallory.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$;
CREATE FUNCTION regress_mallory.floor(double precision) RETURNS double precision
	LANGUAGE sql AS $$ SELECT 0::double precision $$;
CREATE FUNCTION regress_mallory.floor(numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT 0::numeric $$;
CREATE FUNCTION regress_mallory.now() RETURNS timestamptz
	LANGUAGE sql AS $$ SELECT '2000-01-01 00:00+00'::timestamptz $$;
CREATE FUNCTION regress_mallory."coalesce"(boolean, boolean) RETURNS boolean
	LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION regress_mallory.always(uuid, uuid) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION regress_mallory.always(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE FUNCTION regress_mallory.never(timestamptz, timestamptz) RETURNS boolean
	LANGUAGE sql AS $$ SELECT false $$;
CREATE OPERATOR regress_mallory.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = regress_mallory.always);
CREATE OPERATOR regress_mallory.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_mallory.always);
CREATE OPERATOR regress_mallory.< (LEFTARG = timestamptz, RIGHTARG = timestamptz,
	FUNCTION = regress_mallory.never);
-- Tables named like the extension's, saying everybody is an admin with
-- every permission, nobody is deactivated, and settings that refuse all.
CREATE TABLE regress_mallory.roles (id uuid, name text, is_admin boolean);
INSERT INTO regress_mallory.roles VALUES ('90000000-0000-4000-8000-0000000000a2', 'Security member', true);
CREATE TABLE regress_mallory.role_permissions (role_id uuid, feature text, access_level text);
INSERT INTO regress_mallory.role_permissions VALUES
	('90000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'write');
CREATE TABLE regress_mallory.users (id uuid, first_name text, last_name text, role_id uuid,
	is_deactivated boolean);
INSERT INTO regress_mallory.users VALUES
	(:'alice', 'Alice', 'Admin', '90000000-0000-4000-8000-0000000000a2', false),
	(:'carol', 'Carol', 'Back', '90000000-0000-4000-8000-0000000000a2', false),
	(:'nobody', 'No', 'Body', '90000000-0000-4000-8000-0000000000a2', false);
CREATE TABLE regress_mallory.project_members (project_id uuid, user_id uuid, project_role_id uuid);
INSERT INTO regress_mallory.project_members VALUES (:'vault', :'alice', NULL);
CREATE TABLE regress_mallory.types_of_work (id uuid, name text, icon text, is_archived boolean);
CREATE TABLE regress_mallory.settings (max_duration integer, prevent_on_closed_projects boolean,
	prevent_in_future boolean, allow_on_past_days integer, prevent_overlaps boolean);
INSERT INTO regress_mallory.settings VALUES (1, true, true, 0, true);
CREATE TABLE regress_mallory.time_entries (LIKE time_entry.time_entries);
-- The same in public, which a role may write in a database made before
-- PostgreSQL 15 (here granted explicitly).
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$;
CREATE FUNCTION public.floor(double precision) RETURNS double precision
	LANGUAGE sql AS $$ SELECT 0::double precision $$;
CREATE FUNCTION public.always(uuid, uuid) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR public.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = public.always);
CREATE TABLE public.users (LIKE regress_mallory.users);
INSERT INTO public.users SELECT * FROM regress_mallory.users;
CREATE TABLE public.settings (LIKE regress_mallory.settings);
INSERT INTO public.settings SELECT * FROM regress_mallory.settings;
CREATE TABLE public.time_entries (LIKE time_entry.time_entries);
-- And in pg_temp, which the pinned search_path still holds (last).
CREATE TEMP TABLE users (LIKE regress_mallory.users);
INSERT INTO users SELECT * FROM regress_mallory.users;
CREATE TEMP TABLE roles (LIKE regress_mallory.roles);
INSERT INTO roles SELECT * FROM regress_mallory.roles;
CREATE TEMP TABLE settings (LIKE regress_mallory.settings);
INSERT INTO settings SELECT * FROM regress_mallory.settings;
CREATE TEMP TABLE time_entries (LIKE time_entry.time_entries);

-- Armed: in mallory's own queries they win.
SET search_path = regress_mallory, public, pg_catalog;
SELECT lower('ABC') AS lower, floor(2.5::double precision) AS floor, now() AS now,
	   :'alice'::uuid = :'bob'::uuid AS alice_is_bob, 'read' = 'write' AS read_is_write,
	   '2025-01-01'::timestamptz < '2025-01-02'::timestamptz AS earlier;

--
-- The probes again, with the hostile objects first in search_path: the
-- same answers.
--
-- 1.
SELECT time_entry.create_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'alice');
-- 2.
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'projectId', :'vault', 'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'alice');
-- 3.
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'nobody', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'alice');
-- 4.
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'carol', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-07T08:00:00Z', 'duration', 60), :'carol');
-- 5.
SELECT time_entry.validate_entry(jsonb_build_object('userId', :'alice', 'typeOfWorkId', :'work',
	'timezone', 'europe/berlin', 'startDateLocal', '2025-01-07', 'duration', 28800), :'alice') IS NULL AS valid;
-- 6. (the - operator of jsonb named by its schema: this query's own
-- operators are mallory's to hijack, not the function's)
SELECT jsonb_pretty(response OPERATOR(pg_catalog.-) ARRAY['id', 'createdOn', 'updatedOn', 'resourceVersion']) AS response,
	   id IS NOT NULL AS has_id, error
  FROM time_entry.try_create_entry(jsonb_build_object('userId', :'alice', 'typeOfWorkId', :'work',
	'timezone', 'Europe/Berlin', 'startDateLocal', '2025-01-07', 'startTimeLocal', '09:00',
	'endTimeLocal', '11:30', 'note', 'probe 6'), :'alice');
-- 7.
SELECT user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable,
	   created_by OPERATOR(pg_catalog.=) :'alice' AS created_by_alice
  FROM time_entry.create_entry(:'alice'::uuid, :'work'::uuid, 'UTC', '2025-01-08 10:00+00',
	'2025-01-08 10:45+00', note => 'probe 7', actor => :'alice');
-- 8.
SELECT ordinal, id IS NOT NULL AS has_id, error
  FROM time_entry.import_entries(jsonb_build_array(
	jsonb_build_object('userId', :'alice', 'typeOfWorkId', :'work', 'timezone', 'UTC',
		'startDateUtc', '2025-01-09', 'duration', 600, 'note', 'probe 8'),
	jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work', 'timezone', 'UTC',
		'startDateUtc', '2025-01-09', 'duration', 600, 'note', 'probe 8')), :'alice');
RESET search_path;

-- The rows went to time_entry.time_entries (two of each probe now), none
-- to mallory's tables.
SELECT note, user_id, created_by, date_local, duration, count(*) FROM time_entry.time_entries
 WHERE note LIKE 'probe %' GROUP BY 1, 2, 3, 4, 5 ORDER BY note;
SELECT (SELECT count(*) FROM regress_mallory.time_entries) AS mallory_schema,
	   (SELECT count(*) FROM public.time_entries) AS public,
	   (SELECT count(*) FROM pg_temp.time_entries) AS pg_temp;

--
-- What the application role may do: it is trusted to name the actor, so a
-- member may act as any user, by the argument or by time_entry.actor
-- (the README's trust model).
--
SELECT id IS NOT NULL AS created, error
  FROM time_entry.try_create_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-10', 'duration', 60, 'note', 'as the admin'), :'admin');
BEGIN;
SET LOCAL time_entry.actor = :'admin';
SELECT id IS NOT NULL AS created, error
  FROM time_entry.try_create_entry(jsonb_build_object('userId', :'bob', 'typeOfWorkId', :'work',
	'timezone', 'UTC', 'startDateUtc', '2025-01-10', 'duration', 60, 'note', 'as the admin'));
COMMIT;

--
-- What it may not do: write any table of the extension directly.
--
SET time_entry.actor = :'admin';
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration,
	is_billable, is_billed)
VALUES (:'alice', :'work', 'UTC', '2025-01-11', 60, false, false);
UPDATE time_entry.time_entries SET note = 'changed by mallory' WHERE id = :'bob_entry';
DELETE FROM time_entry.time_entries WHERE id = :'bob_entry';
TRUNCATE time_entry.time_entries;
RESET time_entry.actor;
-- Nor the settings.
UPDATE time_entry.settings SET max_duration = NULL;
INSERT INTO time_entry.settings DEFAULT VALUES;
-- Nor the directory tables: no way to grant itself a permission.
UPDATE time_entry.users SET role_id = '90000000-0000-4000-8000-0000000000a1' WHERE id = :'alice';
INSERT INTO time_entry.users (id, role_id) VALUES ('90000000-0000-4000-8000-0000000000b8',
	'90000000-0000-4000-8000-0000000000a1');
UPDATE time_entry.roles SET is_admin = true;
INSERT INTO time_entry.role_permissions VALUES
	('90000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'write');
INSERT INTO time_entry.project_roles (id, name) VALUES ('90000000-0000-4000-8000-0000000000c1', 'x');
INSERT INTO time_entry.project_role_permissions VALUES
	('90000000-0000-4000-8000-0000000000c1', 'project-timetracking', 'write');
INSERT INTO time_entry.project_members VALUES (:'vault', :'alice', '90000000-0000-4000-8000-0000000000c1');
INSERT INTO time_entry.task_assignees (task_id, user_id) VALUES ('90000000-0000-4000-8000-0000000000e1', :'alice');
INSERT INTO time_entry.tasks (id, name) VALUES ('90000000-0000-4000-8000-0000000000e1', 'x');
UPDATE time_entry.projects SET is_closed = false;
UPDATE time_entry.types_of_work SET is_archived = false;
-- Nor change the extension's objects, or add its own to the schema.
ALTER TABLE time_entry.time_entries DISABLE TRIGGER time_entries_audit;
CREATE TRIGGER mallory BEFORE INSERT ON time_entry.time_entries
	FOR EACH ROW EXECUTE FUNCTION time_entry.audit_trigger();
CREATE TABLE time_entry.mallory (id int);
CREATE FUNCTION time_entry.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$;
CREATE OR REPLACE FUNCTION time_entry.validate_entry(entry jsonb, actor uuid DEFAULT NULL)
	RETURNS jsonb LANGUAGE sql AS $$ SELECT NULL::jsonb $$;
ALTER FUNCTION time_entry.create_entry(jsonb, uuid) RESET search_path;
ALTER FUNCTION time_entry.create_entry(jsonb, uuid) SECURITY INVOKER;
DROP FUNCTION time_entry.validate_entry(jsonb, uuid);
-- Nor pass its EXECUTE on (it holds no grant option).
GRANT EXECUTE ON FUNCTION time_entry.create_entry(jsonb, uuid) TO PUBLIC;
-- Nor call the trigger functions.
SELECT time_entry.audit_trigger();
SELECT time_entry.settings_upsert();
-- Nor change another user's entry through the functions: a request id
-- (SPEC 9.6) that names an existing entry made by another actor is a
-- conflict, never a change.
SELECT v->>'code' AS code, v->>'sqlstate' AS sqlstate,
       v->'validationErrors'->0->>'property' AS property
  FROM time_entry.validate_entry(jsonb_build_object('id', :'bob_entry', 'userId', :'bob',
	'typeOfWorkId', :'work', 'timezone', 'UTC', 'startDateUtc', '2025-01-06', 'duration', 60,
	'note', 'changed by mallory'), :'admin') v;
RESET ROLE;

-- Nothing changed: bob's entry, the settings, the roles, alice's role.
SELECT note, user_id, start_at, duration FROM time_entry.time_entries WHERE id = :'bob_entry';
SELECT max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps
  FROM time_entry.settings;
SELECT name, is_admin FROM time_entry.roles WHERE id::text LIKE '90000000-%' ORDER BY name;
SELECT role_id FROM time_entry.users WHERE id = :'alice';
SELECT count(*) AS mallory_triggers FROM pg_trigger WHERE tgname = 'mallory';
-- PUBLIC still may execute none of the extension's functions but the id
-- generator.
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS arguments
  FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
 WHERE p.pronamespace = 'time_entry'::regnamespace AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
 ORDER BY 1, 2;

--
-- Every SECURITY DEFINER function of the extension pins search_path to
-- pg_catalog, pg_temp (pg_temp last: a temporary object never comes
-- first), and none has been left out.
--
SELECT p.oid::regprocedure AS function, p.proconfig
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'time_entry')
   AND p.prosecdef
 ORDER BY p.oid::regprocedure::text COLLATE "C";
SELECT count(*) AS unpinned
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'time_entry')
   AND p.prosecdef
   AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false);
-- The functions in the schema that are not SECURITY DEFINER, and what they
-- pin (the C ones run no SQL built from names a caller can shadow).
SELECT p.oid::regprocedure AS function, l.lanname, p.proconfig
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'time_entry'::regnamespace AND NOT p.prosecdef
 ORDER BY p.oid::regprocedure::text COLLATE "C";

-- Clean up.
UPDATE time_entry.settings s SET max_duration = v.max_duration,
	prevent_on_closed_projects = v.prevent_on_closed_projects, prevent_in_future = v.prevent_in_future,
	allow_on_past_days = v.allow_on_past_days, prevent_overlaps = v.prevent_overlaps
  FROM saved_settings v;
DELETE FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DELETE FROM time_entry.users WHERE id::text LIKE '90000000-%';
DELETE FROM time_entry.roles WHERE id::text LIKE '90000000-%';
DELETE FROM time_entry.projects WHERE id = :'vault';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DROP OWNED BY regress_mallory;
DROP OWNED BY regress_te_sec_app;
DROP ROLE regress_mallory;
DROP ROLE regress_te_sec_app;
