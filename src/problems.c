/*
 * problems.c
 *		The table of rules, and how each face reports a broken one.
 *
 * A check that finds a problem calls te_problem().  What happens then
 * depends on the face: create_entry raises it at once (TE_MODE_RAISE),
 * try_create_entry and import_entries keep the first and stop
 * (TE_MODE_FIRST), validate_entry keeps every one (TE_MODE_ALL).  Every face
 * reports a rule with the same code, SQLSTATE, property and message.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "time_entry.h"

/* Code, SQLSTATE and description of each rule, in TeRuleId order. */
const TeRule te_rules[TE_R__COUNT] = {
	[TE_R_NO_ACTOR] = {"unauthorized", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The request has no actor."},
	[TE_R_UNKNOWN_ACTOR] = {"unauthorized", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The actor is not a user of the workspace."},
	[TE_R_DEACTIVATED_ACTOR] = {"unauthorized", ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION,
	"The actor is deactivated."},
	[TE_R_PERMISSION] = {"unauthorized", ERRCODE_INSUFFICIENT_PRIVILEGE,
	"The actor lacks a permission the entry needs."},
	[TE_R_NOT_OBJECT] = {"invalid-model", ERRCODE_INVALID_PARAMETER_VALUE,
	"The entry is not a JSON object."},
	[TE_R_REQUIRED] = {"validation-failed", ERRCODE_NOT_NULL_VIOLATION,
	"A required property is missing."},
	[TE_R_UNKNOWN_PROPERTY] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"The entry has a property that is not part of the request."},
	[TE_R_WRONG_TYPE] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"A property has the wrong JSON type."},
	[TE_R_MIXED_GROUPS] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"UTC and local times are mixed in one request."},
	[TE_R_BREAK_DURATION] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"The break duration cannot be set."},
	[TE_R_END_ON_DATE_ONLY] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"A date-only entry takes no end."},
	[TE_R_UNKNOWN_TIMEZONE] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"The time zone is not known."},
	[TE_R_DATE_ONLY_NEEDS_DURATION] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"A date-only entry needs a duration."},
	[TE_R_MALFORMED_UUID] = {"validation-failed", ERRCODE_INVALID_TEXT_REPRESENTATION,
	"An id is malformed."},
	[TE_R_MALFORMED_DATE] = {"validation-failed", ERRCODE_INVALID_DATETIME_FORMAT,
	"A date is malformed."},
	[TE_R_MALFORMED_TIME] = {"validation-failed", ERRCODE_INVALID_DATETIME_FORMAT,
	"A time is malformed."},
	[TE_R_NON_UTC_OFFSET] = {"validation-failed", ERRCODE_INVALID_DATETIME_FORMAT,
	"A date carries an offset it may not carry."},
	[TE_R_LOCAL_TIME_GAP] = {"validation-failed", ERRCODE_INVALID_DATETIME_FORMAT,
	"A local time does not exist in the time zone."},
	[TE_R_DATE_RANGE] = {"date-out-of-range", ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
	"A date is outside the years 1900 to 9999."},
	[TE_R_END_BEFORE_START] = {"date-dependency", ERRCODE_CHECK_VIOLATION,
	"The end is before the start."},
	[TE_R_DURATION_RANGE] = {"value-out-of-range", ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
	"The duration is out of range."},
	[TE_R_NOTE_TOO_LONG] = {"value-out-of-range", ERRCODE_STRING_DATA_RIGHT_TRUNCATION,
	"The note is too long."},
	[TE_R_NOT_FOUND] = {"not-found", ERRCODE_FOREIGN_KEY_VIOLATION,
	"A referenced object does not exist."},
	[TE_R_ARCHIVED] = {"entity-archived", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
	"The type of work is archived."},
	[TE_R_DEACTIVATED_USER] = {"deactivated-user", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
	"The user is deactivated."},
	[TE_R_INVALID_OPERATION] = {"invalid-operation", ERRCODE_CHECK_VIOLATION,
	"The entry is not allowed in this combination."},
	[TE_R_FUTURE_OR_PAST] = {"date-out-of-range", ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
	"The entry's day is not allowed."},
	[TE_R_ALREADY_RUNNING] = {"invalid-operation", ERRCODE_UNIQUE_VIOLATION,
	"The user already has a running entry."},
	[TE_R_OVERLAP] = {"invalid-operation", ERRCODE_EXCLUSION_VIOLATION,
	"The entry overlaps another entry of the user."},
	[TE_R_CANNOT_CLEAR] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"A property that cannot be cleared is null."},
	[TE_R_NOT_FOR_TIMER] = {"validation-failed", ERRCODE_INVALID_PARAMETER_VALUE,
	"A timer takes no end and no duration."},
	[TE_R_ENTRY_NOT_FOUND] = {"not-found", ERRCODE_NO_DATA_FOUND,
	"The entry does not exist, or the actor may not read it."},
	[TE_R_VERSION_CONFLICT] = {"version-conflict", ERRCODE_T_R_SERIALIZATION_FAILURE,
	"The entry has changed since the version given."},
	[TE_R_RUNNING_CHANGE] = {"invalid-operation", ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
	"A running entry has no end or duration to change."},
	[TE_R_ID_CONFLICT] = {"conflict", ERRCODE_UNIQUE_VIOLATION,
	"An entry with the request's id exists with other values."},
};

void
te_problems_init(TeProblems *p, TeMode mode)
{
	p->mode = mode;
	p->arguments = false;
	p->count = 0;
	p->capacity = 0;
	p->items = NULL;
}

/*
 * Add a problem as the face wants it: raised (TE_MODE_RAISE), kept only if
 * it is the first (TE_MODE_FIRST), or kept with the others (TE_MODE_ALL).
 */
void
te_problems_add(TeProblems *p, const TeProblem *problem)
{
	if (te_stop(p))
		return;
	if (p->mode == TE_MODE_RAISE)
		te_raise(problem);
	if (p->count == p->capacity)
	{
		p->capacity = p->capacity ? p->capacity * 2 : 4;
		p->items = p->items
			? repalloc(p->items, sizeof(TeProblem) * p->capacity)
			: palloc(sizeof(TeProblem) * p->capacity);
	}
	p->items[p->count++] = *problem;
}

/*
 * Was a problem reported on this property already?  Then its value is not
 * known, and a later check would only report the same mistake again in
 * other words.
 */
bool
te_reported(const TeProblems *p, const char *property)
{
	for (int i = 0; i < p->count; i++)
	{
		if (p->items[i].property && strcmp(p->items[i].property, property) == 0)
			return true;
	}
	return false;
}

/* Should the checks stop here?  Yes once the face has what it needs. */
bool
te_stop(const TeProblems *p)
{
	return p->mode != TE_MODE_ALL && p->count > 0;
}

/* Raise a problem as an ERROR with every field SPEC 7.1 asks for. */
void
te_raise(const TeProblem *problem)
{
	const TeRule *rule = &te_rules[problem->rule];

	ereport(ERROR,
			(errcode(rule->sqlstate),
			 errmsg_internal("%s", problem->message),
			 problem->detail ? errdetail_internal("%s", problem->detail) : 0,
			 problem->hint ? errhint("%s", problem->hint) : 0,
			 err_generic_string(PG_DIAG_COLUMN_NAME, problem->property),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, rule->code),
			 err_generic_string(PG_DIAG_SCHEMA_NAME, TE_SCHEMA),
			 err_generic_string(PG_DIAG_TABLE_NAME, TE_TABLE)));
	pg_unreachable();
}

/*
 * For the typed face: the same message, naming an argument.  Every message
 * names its subject as 'property "name"'; only that phrase changes.
 */
static char *
as_argument(const char *msg)
{
	static const char from[] = "property \"";
	static const char to[] = "argument \"";
	StringInfoData buf;
	const char *at;

	if (msg == NULL || strstr(msg, from) == NULL)
		return (char *) msg;
	initStringInfo(&buf);
	while ((at = strstr(msg, from)) != NULL)
	{
		appendBinaryStringInfo(&buf, msg, at - msg);
		appendStringInfoString(&buf, to);
		msg = at + strlen(from);
	}
	appendStringInfoString(&buf, msg);
	return buf.data;
}

/*
 * Report a problem: property names the request property (or argument),
 * detail and hint are whole sentences or NULL, fmt makes the primary
 * message.  In TE_MODE_RAISE this does not return.
 */
void
te_problem(TeProblems *p, TeRuleId rule, const char *property,
		   const char *detail, const char *hint, const char *fmt,...)
{
	TeProblem	problem;
	va_list		args;
	StringInfoData buf;

	Assert(rule >= 0 && rule < TE_R__COUNT);
	if (te_stop(p))
		return;

	initStringInfo(&buf);
	for (;;)
	{
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}

	problem.rule = rule;
	problem.property = property;
	problem.message = buf.data;
	problem.detail = detail ? pstrdup(detail) : NULL;
	problem.hint = hint ? pstrdup(hint) : NULL;
	if (p->arguments)
	{
		problem.message = as_argument(problem.message);
		problem.detail = as_argument(problem.detail);
		problem.hint = as_argument(problem.hint);
	}

	te_problems_add(p, &problem);
}

/*
 * The error object of SPEC 7.2:
 *	{"code", "description", "sqlstate", "validationErrors": [{"property",
 *	"message"}, ...]}, code and sqlstate those of the first problem.
 */
Jsonb *
te_problems_to_jsonb(const TeProblems *p)
{
	JsonbParseState *state = NULL;
	JsonbValue *res;
	const TeRule *first;

	Assert(p->count > 0);
	first = &te_rules[p->items[0].rule];

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	te_json_string(&state, "code", first->code);
	te_json_string(&state, "description", p->items[0].message);
	te_json_string(&state, "sqlstate", unpack_sql_state(first->sqlstate));
	te_json_key(&state, "validationErrors");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < p->count; i++)
	{
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		te_json_string(&state, "property", p->items[i].property);
		te_json_string(&state, "message", p->items[i].message);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	res = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}
