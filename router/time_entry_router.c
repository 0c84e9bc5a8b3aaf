/*
 * time_entry_router.c
 *		Re-raise, on the router, an error a shard returned as data.
 *
 *	SELECT time_entry_router.raise_error('{"sqlstate": "22023", ...}');
 *
 * The shard faces (time_entry_shard) catch what time_entry raises and
 * return it as a JSON object with the fields of the error report:
 * sqlstate, message, and when present detail, hint, column, constraint,
 * table, schema and datatype.  The router's raising faces hand that object
 * to this function, which raises an error with exactly those fields, so
 * a caller of the router reads the SPEC's code (CONSTRAINT_NAME) and
 * property (COLUMN_NAME) as it would on a single database.
 *
 * PL/pgSQL's RAISE cannot do this: each USING option needs a non-null
 * value, and an empty string is sent to the client as an empty field
 * (psql prints "DETAIL:  " for it), so an absent field could not stay
 * absent without one RAISE per combination of fields.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/jsonb.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(te_router_raise_error);

/*
 * The string value of key in the object err, or NULL when the key is
 * absent or JSON null.  Any other type is a malformed error object.
 */
static char *
error_field(Jsonb *err, const char *key)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(&err->root, key, strlen(key), &v) == NULL ||
		v.type == jbvNull)
		return NULL;
	if (v.type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid error object: \"%s\" is not a string", key)));
	return pnstrdup(v.val.string.val, v.val.string.len);
}

/*
 * raise_error(error jsonb): raises the error the object describes.  It
 * never returns; a malformed object (not an object, no message, a
 * SQLSTATE that is not five digits or upper-case letters, or one of class
 * 00, which is success) is itself an error, 22023.
 */
Datum
te_router_raise_error(PG_FUNCTION_ARGS)
{
	Jsonb	   *err = PG_GETARG_JSONB_P(0);
	char	   *sqlstate;
	char	   *message;
	char	   *detail;
	char	   *hint;
	char	   *column;
	char	   *constraint;
	char	   *table;
	char	   *schema;
	char	   *datatype;
	int			i;

	if (!JB_ROOT_IS_OBJECT(err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid error object: not a JSON object")));

	sqlstate = error_field(err, "sqlstate");
	message = error_field(err, "message");
	if (sqlstate == NULL || strlen(sqlstate) != 5 || message == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid error object: it needs a five-character \"sqlstate\" and a \"message\"")));
	for (i = 0; i < 5; i++)
		if (!((sqlstate[i] >= '0' && sqlstate[i] <= '9') ||
			  (sqlstate[i] >= 'A' && sqlstate[i] <= 'Z')))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid error object: \"%s\" is not a SQLSTATE", sqlstate)));
	if (sqlstate[0] == '0' && sqlstate[1] == '0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid error object: SQLSTATE \"%s\" is not an error", sqlstate)));

	detail = error_field(err, "detail");
	hint = error_field(err, "hint");
	column = error_field(err, "column");
	constraint = error_field(err, "constraint");
	table = error_field(err, "table");
	schema = error_field(err, "schema");
	datatype = error_field(err, "datatype");

	ereport(ERROR,
			(errcode(MAKE_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2],
								   sqlstate[3], sqlstate[4])),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0,
			 column ? err_generic_string(PG_DIAG_COLUMN_NAME, column) : 0,
			 constraint ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, constraint) : 0,
			 table ? err_generic_string(PG_DIAG_TABLE_NAME, table) : 0,
			 schema ? err_generic_string(PG_DIAG_SCHEMA_NAME, schema) : 0,
			 datatype ? err_generic_string(PG_DIAG_DATATYPE_NAME, datatype) : 0));

	PG_RETURN_VOID();
}
