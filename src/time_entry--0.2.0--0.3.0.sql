\echo Use "ALTER EXTENSION time_entry UPDATE TO '0.3.0'" to load this file. \quit

/*
 * time_entry 0.2.0 -> 0.3.0: every write goes through PostgreSQL's own
 * insert machinery, whatever shape the owner gives time_entries; the life
 * of an entry after its creation (SPEC 9); a request id on every create
 * face (SPEC 9.6).
 */

/*
 * The functions' own queries are index probes of a few rows: JIT compiling
 * one never pays (see te_execute in store.c).
 */
ALTER FUNCTION create_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION validate_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION try_create_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION import_entries(jsonb, uuid) SET jit = off;

CREATE FUNCTION import_rows()
RETURNS SETOF time_entries
AS 'MODULE_PATHNAME', 'te_import_rows'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION import_rows() IS
'internal to import_entries: the rows of the import in progress, pulled one at a time by its INSERT statement';
REVOKE ALL ON FUNCTION import_rows() FROM PUBLIC;

CREATE FUNCTION insert_path()
RETURNS text
AS 'MODULE_PATHNAME', 'te_insert_path_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION insert_path() IS
'how the functions insert into time_entries now: "direct" for the shape the extension created, else "executor: <why>"';
REVOKE ALL ON FUNCTION insert_path() FROM PUBLIC;

/*
 * The typed create_entry gains a last argument, id (SPEC 9.6).  A function
 * cannot gain an argument in place: it is dropped and created again, and
 * the EXECUTE grants made on it are made again (upgrade_regrant, so that
 * they stay the owner's grants, which pg_dump keeps).
 */
CREATE FUNCTION upgrade_regrant(regprocedure, aclitem[])
RETURNS void
AS 'MODULE_PATHNAME', 'te_upgrade_regrant'
LANGUAGE C VOLATILE;

CREATE TEMPORARY TABLE te_upgrade_grants AS
SELECT proacl FROM pg_catalog.pg_proc
 WHERE oid = 'time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid)'::pg_catalog.regprocedure;
DROP FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid);
CREATE FUNCTION create_entry(
	user_id uuid,
	type_of_work_id uuid,
	timezone text,
	start_at timestamptz DEFAULT NULL,
	end_at timestamptz DEFAULT NULL,
	duration integer DEFAULT NULL,
	project_id uuid DEFAULT NULL,
	task_id uuid DEFAULT NULL,
	note text DEFAULT NULL,
	is_billable boolean DEFAULT NULL,
	is_billed boolean DEFAULT NULL,
	entry_date date DEFAULT NULL,
	actor uuid DEFAULT NULL,
	id uuid DEFAULT NULL)
RETURNS time_entries
AS 'MODULE_PATHNAME', 'te_create_entry_typed'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid) IS
'the create path for SQL callers: typed arguments, the same rules; problems name the argument; returns the stored row; id makes a retry safe';
REVOKE ALL ON FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid) FROM PUBLIC;

SELECT upgrade_regrant('time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid, uuid)'::pg_catalog.regprocedure, proacl)
  FROM te_upgrade_grants;
DROP TABLE te_upgrade_grants;
DROP FUNCTION upgrade_regrant(regprocedure, aclitem[]);

/*
 * The indexes list_entries reads a user's or a project's days from; the
 * latter also backs the foreign key to projects, as the index on
 * (project_id) did.
 */
CREATE INDEX time_entries_user_id_date_local_idx ON time_entries (user_id, date_local);
CREATE INDEX time_entries_project_id_date_local_idx ON time_entries (project_id, date_local);
CREATE INDEX time_entries_date_local_idx ON time_entries (date_local);
DROP INDEX time_entries_project_id_idx;
COMMENT ON INDEX time_entries_user_id_date_local_idx IS 'a user''s entries by day: list_entries';
COMMENT ON INDEX time_entries_project_id_date_local_idx IS 'a project''s entries by day: list_entries; backs the foreign key';
COMMENT ON INDEX time_entries_date_local_idx IS 'entries by day: list_entries';

-- The life of an entry (SPEC 9) -------------------------------------------

/*
 * Like the create functions: they run as the owner with a pinned
 * search_path, take the actor as argument or from time_entry.actor, and
 * are not granted to PUBLIC.
 */

CREATE FUNCTION get_entry(id uuid, actor uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_get_entry_sql'
LANGUAGE C STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION get_entry(uuid, uuid) IS
'the response object of an entry the actor may read; not-found (P0002) otherwise';

CREATE FUNCTION list_entries(actor uuid DEFAULT NULL, user_id uuid DEFAULT NULL,
	project_id uuid DEFAULT NULL, from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS SETOF jsonb
AS 'MODULE_PATHNAME', 'te_list_entries_sql'
LANGUAGE C STABLE SECURITY DEFINER ROWS 100
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION list_entries(uuid, uuid, uuid, date, date) IS
'the response objects of the entries the actor may read, filtered by user, project and local day (inclusive), ordered by start then id';

CREATE FUNCTION update_entry(id uuid, changes jsonb, actor uuid DEFAULT NULL,
	expected_version bigint DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_update_entry_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION update_entry(uuid, jsonb, uuid, bigint) IS
'applies a JSON Merge Patch of request properties to an entry, with the rules of create where the changes reach; returns the new response object';

CREATE FUNCTION start_timer(entry jsonb, actor uuid DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_start_timer_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION start_timer(jsonb, uuid) IS
'starts a running entry (now, or at the start given), stopping the user''s running one at that moment';

CREATE FUNCTION stop_timer(user_id uuid, actor uuid DEFAULT NULL, end_at timestamptz DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_stop_timer_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION stop_timer(uuid, uuid, timestamptz) IS
'stops the user''s running entry (now, or at end_at), capped at max_duration; returns it';

CREATE FUNCTION delete_entry(id uuid, actor uuid DEFAULT NULL, expected_version bigint DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'te_delete_entry_sql'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION delete_entry(uuid, uuid, bigint) IS
'deletes an entry the actor may delete and returns its last response object';

REVOKE ALL ON FUNCTION get_entry(uuid, uuid), list_entries(uuid, uuid, uuid, date, date),
	update_entry(uuid, jsonb, uuid, bigint), start_timer(jsonb, uuid),
	stop_timer(uuid, uuid, timestamptz), delete_entry(uuid, uuid, bigint)
	FROM PUBLIC;
