-- rt.error_of, in the router database and in a shard database
-- (test/router.test.sh compares the errors of the two).
CREATE SCHEMA IF NOT EXISTS rt;

-- The fields of the error a statement raises, as JSON (NULL: no error).
CREATE FUNCTION rt.error_of(statement text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	e_state text; e_message text; e_detail text; e_hint text; e_column text;
	e_constraint text; e_table text; e_schema text;
BEGIN
	EXECUTE statement;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
		e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT, e_column = COLUMN_NAME,
		e_constraint = CONSTRAINT_NAME, e_table = TABLE_NAME, e_schema = SCHEMA_NAME;
	RETURN jsonb_build_object('sqlstate', e_state, 'message', e_message, 'detail', e_detail,
							  'hint', e_hint, 'column', e_column, 'constraint', e_constraint,
							  'table', e_table, 'schema', e_schema);
END
$$;

