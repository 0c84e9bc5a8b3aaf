\echo Use "ALTER EXTENSION time_entry UPDATE TO '0.3.0'" to load this file. \quit

/*
 * time_entry 0.2.0 -> 0.3.0: every write goes through PostgreSQL's own
 * insert machinery, whatever shape the owner gives time_entries.
 */

/*
 * The functions' own queries are index probes of a few rows: JIT compiling
 * one never pays (see te_execute in store.c).
 */
ALTER FUNCTION create_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION validate_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION try_create_entry(jsonb, uuid) SET jit = off;
ALTER FUNCTION import_entries(jsonb, uuid) SET jit = off;
ALTER FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid) SET jit = off;

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
