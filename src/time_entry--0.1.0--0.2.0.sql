\echo Use "ALTER EXTENSION time_entry UPDATE TO '0.2.0'" to load this file. \quit

/*
 * time_entry 0.1.0 -> 0.2.0: the batch and SQL-native faces of the create
 * path.  Nothing in the tables changes; existing rows are untouched.
 */

CREATE FUNCTION try_create_entry(entry jsonb, actor uuid DEFAULT NULL)
RETURNS TABLE (id uuid, response jsonb, error jsonb)
AS 'MODULE_PATHNAME', 'te_try_create_entry'
LANGUAGE C VOLATILE SECURITY DEFINER ROWS 1
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION try_create_entry(jsonb, uuid) IS
'like create_entry, but an expected problem comes back in error instead of being raised; for CROSS JOIN LATERAL over staged requests';

CREATE FUNCTION import_entries(entries jsonb, actor uuid DEFAULT NULL)
RETURNS TABLE (ordinal integer, id uuid, error jsonb)
AS 'MODULE_PATHNAME', 'te_import_entries'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION import_entries(jsonb, uuid) IS
'creates the entries of a JSON array of requests, in order; one row per element with its id or its error';

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
	actor uuid DEFAULT NULL)
RETURNS time_entries
AS 'MODULE_PATHNAME', 'te_create_entry_typed'
LANGUAGE C VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid) IS
'the create path for SQL callers: typed arguments, the same rules; problems name the argument; returns the stored row';

REVOKE ALL ON FUNCTION try_create_entry(jsonb, uuid), import_entries(jsonb, uuid),
	create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text, boolean, boolean, date, uuid)
	FROM PUBLIC;
