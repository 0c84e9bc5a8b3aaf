/*
 * jsonout.c
 *		Building Jsonb objects key by key: the response (response.c) and
 *		the error objects (problems.c) share these.
 *
 * Every helper pushes one key and its value into a JsonbParseState.
 * pushJsonbValue keeps pointers to the strings it is given, so a string
 * passed here must live until the Jsonb is made.
 */
#include "postgres.h"

#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "time_entry.h"

/* Push an object key. */
void
te_json_key(JsonbParseState **st, const char *k)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) k;
	v.val.string.len = strlen(k);
	pushJsonbValue(st, WJB_KEY, &v);
}

/* Push key: the len bytes at s as a JSON string, or null when s is NULL. */
void
te_json_stringn(JsonbParseState **st, const char *k, const char *s, int len)
{
	JsonbValue	v;

	te_json_key(st, k);
	if (s == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) s;
		v.val.string.len = len;
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* Push key: a C string, or null when s is NULL. */
void
te_json_string(JsonbParseState **st, const char *k, const char *s)
{
	te_json_stringn(st, k, s, s ? strlen(s) : 0);
}

void
te_json_null(JsonbParseState **st, const char *k)
{
	te_json_stringn(st, k, NULL, 0);
}

/* Push key: a text value, or null when t is NULL. */
void
te_json_text(JsonbParseState **st, const char *k, const text *t)
{
	if (t == NULL)
		te_json_null(st, k);
	else
		te_json_stringn(st, k, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

void
te_json_bool(JsonbParseState **st, const char *k, bool b)
{
	JsonbValue	v;

	te_json_key(st, k);
	v.type = jbvBool;
	v.val.boolean = b;
	pushJsonbValue(st, WJB_VALUE, &v);
}

void
te_json_int(JsonbParseState **st, const char *k, int64 n)
{
	JsonbValue	v;

	te_json_key(st, k);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* Push key: a uuid in canonical text, or null when not present. */
void
te_json_uuid(JsonbParseState **st, const char *k, bool present,
			 const pg_uuid_t *id)
{
	te_json_string(st, k, present ? te_uuid_text(id) : NULL);
}
