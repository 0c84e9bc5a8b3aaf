/*
 * faces.c
 *		The SQL-callable functions: thin faces over the one create path.
 *
 *	create_entry(entry jsonb, actor uuid)		raises the first problem
 *	validate_entry(entry jsonb, actor uuid)		NULL, or every problem
 *	try_create_entry(entry jsonb, actor uuid)	one row: id, response, error
 *	import_entries(entries jsonb, actor uuid)	one row per array element
 *	create_entry(user_id, ..., actor)			typed arguments, returns the row
 *
 * The SQL functions are SECURITY DEFINER with a pinned search_path: they
 * write time_entries with the owner's rights, which nobody else has.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "time_entry.h"

PG_FUNCTION_INFO_V1(te_create_entry);
PG_FUNCTION_INFO_V1(te_validate_entry);
PG_FUNCTION_INFO_V1(te_try_create_entry);
PG_FUNCTION_INFO_V1(te_import_entries);
PG_FUNCTION_INFO_V1(te_create_entry_typed);

/* Parse a jsonb request (NULL allowed) and run the create path over it. */
static void
run_json(Jsonb *entry, bool has_actor_arg, const pg_uuid_t *actor_arg,
		 TeMode mode, bool insert, TeStatement *stmt, TeRequest *req,
		 TeOutcome *out)
{
	TeProblems	parse;
	pg_uuid_t	actor;
	bool		has_actor = te_resolve_actor(has_actor_arg, actor_arg, &actor);

	te_request_init(req);
	/* a raising face collects the parse's first problem: the actor's is first */
	te_problems_init(&parse, mode == TE_MODE_RAISE ? TE_MODE_FIRST : mode);
	if (entry == NULL)
		te_problem(&parse, TE_R_NOT_OBJECT, "entry",
				   "The request is a JSON object of the properties of an entry; SQL NULL was given.",
				   NULL, "\"entry\" must be a JSON object");
	else
		te_parse_request(entry, req, &parse);
	te_run(req, &parse, has_actor, &actor, mode, insert, stmt, out);
}

/*
 * What a face keeps in fn_extra across its calls in one statement: a
 * memory context for one call's work, reset at the start of each call,
 * and from the second call on the statement's lookups and, for the
 * set-returning faces, its inserter (TeStatement).  fn_mcxt lives as long
 * as the statement for a set-returning function; a scalar one can live
 * longer (PL/pgSQL keeps the state of a simple expression such as
 * "x := time_entry.create_entry(...)" for the whole transaction), so a
 * scalar face keeps only lookups, which check their snapshot on every call,
 * and never holds time_entries open between calls.
 */
typedef struct FaceState
{
	MemoryContext work;
	uint64		calls;
	TeStatement stmt;
} FaceState;

static FaceState *
face_state(FunctionCallInfo fcinfo, bool keep_inserter)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	FaceState  *fs = (FaceState *) flinfo->fn_extra;

	if (fs == NULL)
	{
		fs = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(FaceState));
		fs->work = AllocSetContextCreate(flinfo->fn_mcxt,
										 "time_entry per-call",
										 ALLOCSET_DEFAULT_SIZES);
		flinfo->fn_extra = fs;
	}
	else
		MemoryContextReset(fs->work);
	/* a single call keeps nothing: the state pays off from the second */
	if (++fs->calls == 2)
	{
		fs->stmt.lookups = te_lookup_cache_create(flinfo->fn_mcxt);
		fs->stmt.locks = te_user_locks_create(flinfo->fn_mcxt);
		if (keep_inserter)
			fs->stmt.inserter = te_inserter_create(flinfo->fn_mcxt);
	}
	return fs;
}

/* The statement state of a face, NULL on its first call. */
#define FACE_STMT(fs)	((fs)->calls > 1 ? &(fs)->stmt : NULL)

#define ARG_JSONB(n)	(PG_ARGISNULL(n) ? NULL : PG_GETARG_JSONB_P(n))
#define ARG_UUID(n)		(PG_ARGISNULL(n) ? NULL : PG_GETARG_UUID_P(n))

/*
 * SELECT time_entry.create_entry('{"userId": ...}', actor);
 */
Datum
te_create_entry(PG_FUNCTION_ARGS)
{
	TeRequest	req;
	TeOutcome	out;
	pg_uuid_t  *actor = ARG_UUID(1);
	FaceState  *fs = face_state(fcinfo, false);

	run_json(ARG_JSONB(0), actor != NULL, actor, TE_MODE_RAISE, true,
			 FACE_STMT(fs), &req, &out);
	Assert(out.stored);
	PG_RETURN_JSONB_P(te_build_response(&req, &out.times, &out.cx, &out.row));
}

/*
 * SELECT time_entry.validate_entry('{"userId": ...}', actor);
 */
Datum
te_validate_entry(PG_FUNCTION_ARGS)
{
	TeRequest	req;
	TeOutcome	out;
	pg_uuid_t  *actor = ARG_UUID(1);
	FaceState  *fs = face_state(fcinfo, false);

	run_json(ARG_JSONB(0), actor != NULL, actor, TE_MODE_ALL, false,
			 FACE_STMT(fs), &req, &out);
	if (out.problems.count == 0)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(te_problems_to_jsonb(&out.problems));
}

/*
 * SELECT r.* FROM staging s
 *	 CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) r;
 *
 * One row: (id, response, NULL) when created, (NULL, NULL, error) when an
 * expected problem (SPEC 7.1) stopped it.  Unexpected failures are raised.
 */
Datum
te_try_create_entry(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FaceState  *fs = face_state(fcinfo, true);
	MemoryContext work = fs->work;
	MemoryContext old;
	TeRequest	req;
	TeOutcome	out;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	pg_uuid_t  *actor = ARG_UUID(1);
	Jsonb	   *entry = ARG_JSONB(0);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);

	old = MemoryContextSwitchTo(work);
	run_json(entry, actor != NULL, actor, TE_MODE_FIRST, true, FACE_STMT(fs),
			 &req, &out);
	if (out.stored)
	{
		values[0] = UUIDPGetDatum(&out.row.id);
		values[1] = JsonbPGetDatum(te_build_response(&req, &out.times, &out.cx, &out.row));
		nulls[2] = true;
	}
	else
	{
		nulls[0] = nulls[1] = true;
		values[2] = JsonbPGetDatum(te_problems_to_jsonb(&out.problems));
	}
	MemoryContextSwitchTo(old);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	MemoryContextReset(work);
	return (Datum) 0;
}

/* Does a request object name none of the end properties and no duration? */
static bool
may_be_timer(JsonbContainer *obj)
{
	static const char *const keys[] = {"duration", "endDateUtc", "endTimeUtc",
	"endDateLocal", "endTimeLocal"};

	for (size_t i = 0; i < lengthof(keys); i++)
	{
		JsonbValue	v;

		if (getKeyJsonValueFromContainer(obj, keys[i], strlen(keys[i]), &v) &&
			v.type != jbvNull)
			return false;
	}
	return true;
}

/*
 * Lock the users of a batch in id order before creating anything (see
 * te_lock_users): the userId of every object element that holds a
 * well-formed one.
 */
static void
lock_batch_users(Jsonb *entries, TeUserLocks *memo)
{
	JsonbIterator *it = JsonbIteratorInit(&entries->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	Datum	   *ids = NULL;
	int			n = 0,
				cap = 0;
	bool		may_need = false;
	int			rc;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue	uid;
		pg_uuid_t	id;

		if (tok != WJB_ELEM || v.type != jbvBinary ||
			!JsonContainerIsObject(v.val.binary.data))
			continue;
		if (!getKeyJsonValueFromContainer(v.val.binary.data, "userId", 6, &uid) ||
			uid.type != jbvString ||
			!te_parse_uuid(uid.val.string.val, uid.val.string.len, &id))
			continue;
		if (!may_need && may_be_timer(v.val.binary.data))
			may_need = true;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 16;
			ids = ids ? repalloc(ids, sizeof(Datum) * cap) : palloc(sizeof(Datum) * cap);
		}
		ids[n] = UUIDPGetDatum(palloc(sizeof(pg_uuid_t)));
		*DatumGetUUIDP(ids[n]) = id;
		n++;
	}
	if (n == 0)
		return;
	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	te_lock_users(ids, n, may_need, memo);
	if ((rc = SPI_finish()) != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
}

/*
 * SELECT * FROM time_entry.import_entries('[{...}, {...}]', actor);
 *
 * One row per element, in order (ordinal from 1): valid elements are
 * created (id set), invalid ones reported (error set).  Each element is
 * worked in a context reset before the next, so memory stays flat.  The
 * users' locks are taken first, in id order, so that concurrent imports
 * over the same users cannot deadlock.
 */
Datum
te_import_entries(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *entries = ARG_JSONB(0);
	pg_uuid_t  *actor = ARG_UUID(1);
	MemoryContext work;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	MemoryContext old;
	int32		ordinal = 0;
	TeStatement stmt = {0};
	MemoryContext stmt_cxt = NULL;

	if (entries == NULL || !JB_ROOT_IS_ARRAY(entries) || JB_ROOT_IS_SCALAR(entries))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"entries\" must be a JSON array"),
				 errdetail("import_entries takes a JSON array of request objects."),
				 errhint("To create one entry, use create_entry or try_create_entry."),
				 err_generic_string(PG_DIAG_COLUMN_NAME, "entries"),
				 err_generic_string(PG_DIAG_CONSTRAINT_NAME, "invalid-model"),
				 err_generic_string(PG_DIAG_SCHEMA_NAME, TE_SCHEMA),
				 err_generic_string(PG_DIAG_TABLE_NAME, TE_TABLE)));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	work = AllocSetContextCreate(CurrentMemoryContext, "time_entry import",
								 ALLOCSET_DEFAULT_SIZES);

	/* the elements share their lookups, the users' locks and the open table */
	if (JsonContainerSize(&entries->root) > 1)
	{
		stmt_cxt = AllocSetContextCreate(CurrentMemoryContext,
										 "time_entry import statement",
										 ALLOCSET_DEFAULT_SIZES);
		stmt.lookups = te_lookup_cache_create(stmt_cxt);
		stmt.locks = te_user_locks_create(stmt_cxt);
		stmt.inserter = te_inserter_create(stmt_cxt);
	}

	old = MemoryContextSwitchTo(work);
	lock_batch_users(entries, stmt.locks);
	MemoryContextSwitchTo(old);
	MemoryContextReset(work);

	it = JsonbIteratorInit(&entries->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		TeRequest	req;
		TeOutcome	out;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (tok != WJB_ELEM)
			continue;
		CHECK_FOR_INTERRUPTS();
		ordinal++;

		old = MemoryContextSwitchTo(work);
		run_json(JsonbValueToJsonb(&v), actor != NULL, actor, TE_MODE_FIRST,
				 true, &stmt, &req, &out);
		values[0] = Int32GetDatum(ordinal);
		if (out.stored)
		{
			values[1] = UUIDPGetDatum(&out.row.id);
			nulls[2] = true;
		}
		else
		{
			nulls[1] = true;
			values[2] = JsonbPGetDatum(te_problems_to_jsonb(&out.problems));
		}
		MemoryContextSwitchTo(old);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextReset(work);
	}
	MemoryContextDelete(work);
	if (stmt_cxt)
		MemoryContextDelete(stmt_cxt);	/* closes the inserter */
	return (Datum) 0;
}

/* ---- the typed face ---- */

/*
 * A timestamp argument into a date (and time) field of the UTC group.  The
 * range of the years is checked where the jsonb face's is, by the time
 * derivation; only infinity, which has no day, is refused here.
 */
static void
typed_instant(TimestampTz ts, const char *name, TeDateField *date,
			  TeTimeField *time, TeProblems *p)
{
	int64		rest;

	if (TIMESTAMP_NOT_FINITE(ts))
	{
		const char *text = TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity";

		te_report_date_range(p, name, text, strlen(text));
		return;
	}
	date->present = true;
	date->property = name;
	date->date = te_utc_date(ts, &rest);
	date->has_time = true;
	date->time = rest;
	date->after_midnight = true;	/* start_at is a moment, never a day */
	time->present = true;
	time->property = name;
	time->time = rest;
}

/* Fill a request from the typed arguments; argument names name problems. */
static void
typed_request(FunctionCallInfo fcinfo, TeRequest *req, TeProblems *p)
{
	te_request_init(req);
	req->p_user_id = "user_id";
	req->p_type_of_work_id = "type_of_work_id";
	req->p_timezone = "timezone";
	req->p_duration = "duration";
	req->p_project_id = "project_id";
	req->p_task_id = "task_id";
	req->p_note = "note";
	req->p_is_billable = "is_billable";
	req->p_is_billed = "is_billed";
	for (int g = 0; g < 2; g++)
	{
		req->start_date[g].property = "start_at";
		req->start_time[g].property = "start_at";
		req->end_date[g].property = "end_at";
		req->end_time[g].property = "end_at";
	}

	if ((req->has_user_id = !PG_ARGISNULL(0)))
		req->user_id = *PG_GETARG_UUID_P(0);
	else
		te_problem(p, TE_R_REQUIRED, "user_id", NULL, NULL,
				   "property \"user_id\" is required");
	if ((req->has_type_of_work_id = !PG_ARGISNULL(1)))
		req->type_of_work_id = *PG_GETARG_UUID_P(1);
	else
		te_problem(p, TE_R_REQUIRED, "type_of_work_id", NULL, NULL,
				   "property \"type_of_work_id\" is required");
	if (PG_ARGISNULL(2))
		te_problem(p, TE_R_REQUIRED, "timezone", NULL, NULL,
				   "property \"timezone\" is required");
	else
	{
		text	   *tz = PG_GETARG_TEXT_PP(2);

		te_take_timezone(req, VARDATA_ANY(tz), VARSIZE_ANY_EXHDR(tz), p);
	}

	req->group_used[TE_GROUP_UTC] = true;
	if (!PG_ARGISNULL(3))
	{
		if (!PG_ARGISNULL(11))
			te_problem(p, TE_R_MIXED_GROUPS, "entry_date",
					   "A date-only entry is given by entry_date alone; a timed one by start_at.",
					   NULL, "property \"entry_date\" cannot be combined with property \"start_at\"");
		typed_instant(PG_GETARG_TIMESTAMPTZ(3), "start_at",
					  &req->start_date[TE_GROUP_UTC], &req->start_time[TE_GROUP_UTC], p);
	}
	else if (!PG_ARGISNULL(11))
	{
		DateADT		d = PG_GETARG_DATEADT(11);
		TeDateField *f = &req->start_date[TE_GROUP_UTC];

		if (DATE_NOT_FINITE(d) || d < te_first_day() || d >= te_end_day())
		{
			char	   *text = DatumGetCString(DirectFunctionCall1(date_out,
																   DateADTGetDatum(d)));

			te_report_date_range(p, "entry_date", text, strlen(text));
		}
		else
		{
			f->present = true;
			f->property = "entry_date";
			f->date = d;
			f->has_time = false;
		}
	}
	if (!PG_ARGISNULL(4))
		typed_instant(PG_GETARG_TIMESTAMPTZ(4), "end_at",
					  &req->end_date[TE_GROUP_UTC], &req->end_time[TE_GROUP_UTC], p);
	if (!PG_ARGISNULL(5))
		te_take_duration(req, PG_GETARG_INT32(5), p);
	if ((req->has_project_id = !PG_ARGISNULL(6)))
		req->project_id = *PG_GETARG_UUID_P(6);
	if ((req->has_task_id = !PG_ARGISNULL(7)))
		req->task_id = *PG_GETARG_UUID_P(7);
	if (!PG_ARGISNULL(8))
	{
		text	   *note = PG_GETARG_TEXT_PP(8);

		te_take_note(req, VARDATA_ANY(note), VARSIZE_ANY_EXHDR(note), p);
	}
	if ((req->has_is_billable = !PG_ARGISNULL(9)))
		req->is_billable = PG_GETARG_BOOL(9);
	if ((req->has_is_billed = !PG_ARGISNULL(10)))
		req->is_billed = PG_GETARG_BOOL(10);
}

/*
 * SELECT * FROM time_entry.create_entry(user_id => ..., type_of_work_id => ...,
 *										  timezone => 'Europe/Berlin', ...);
 *
 * The same rules as the jsonb face; problems name the argument.  Returns
 * the stored row.
 */
Datum
te_create_entry_typed(PG_FUNCTION_ARGS)
{
	TeRequest	req;
	TeProblems	parse;
	TeOutcome	out;
	pg_uuid_t	actor;
	bool		has_actor;
	TupleDesc	desc;
	Datum	   *values;
	bool	   *nulls;
	FaceState  *fs = face_state(fcinfo, false);

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);

	has_actor = te_resolve_actor(!PG_ARGISNULL(12),
								 PG_ARGISNULL(12) ? NULL : PG_GETARG_UUID_P(12),
								 &actor);
	te_problems_init(&parse, TE_MODE_FIRST);
	parse.arguments = true;
	typed_request(fcinfo, &req, &parse);
	te_run(&req, &parse, has_actor, &actor, TE_MODE_RAISE, true,
		   FACE_STMT(fs), &out);

	values = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		const char *name = NameStr(TupleDescAttr(desc, i)->attname);
		Datum		v = (Datum) 0;
		bool		isnull = false;

		if (TupleDescAttr(desc, i)->attisdropped)
			isnull = true;
		else if (strcmp(name, "id") == 0)
			v = UUIDPGetDatum(&out.row.id);
		else if (strcmp(name, "user_id") == 0)
			v = UUIDPGetDatum(&req.user_id);
		else if (strcmp(name, "type_of_work_id") == 0)
			v = UUIDPGetDatum(&req.type_of_work_id);
		else if (strcmp(name, "project_id") == 0)
		{
			isnull = !out.cx.has_project;
			v = UUIDPGetDatum(&out.cx.project_id);
		}
		else if (strcmp(name, "task_id") == 0)
		{
			isnull = !req.has_task_id;
			v = UUIDPGetDatum(&req.task_id);
		}
		else if (strcmp(name, "note") == 0)
		{
			isnull = !req.has_note;
			v = PointerGetDatum(req.note);
		}
		else if (strcmp(name, "timezone") == 0)
			v = CStringGetTextDatum(req.timezone);
		else if (strcmp(name, "date_local") == 0)
			v = DateADTGetDatum(out.times.date_local);
		else if (strcmp(name, "start_at") == 0)
		{
			isnull = out.times.kind == TE_KIND_DATE_ONLY;
			v = TimestampTzGetDatum(out.times.start_at);
		}
		else if (strcmp(name, "end_at") == 0)
		{
			isnull = out.times.kind != TE_KIND_TIMED;
			v = TimestampTzGetDatum(out.times.end_at);
		}
		else if (strcmp(name, "duration") == 0)
			v = Int32GetDatum(out.times.duration);
		else if (strcmp(name, "break_duration") == 0)
			v = Int32GetDatum(0);
		else if (strcmp(name, "is_billable") == 0)
			v = BoolGetDatum(out.cx.is_billable);
		else if (strcmp(name, "is_billed") == 0)
			v = BoolGetDatum(out.cx.is_billed);
		else if (strcmp(name, "is_external") == 0)
			v = BoolGetDatum(false);
		else if (strcmp(name, "created_by") == 0)
			v = UUIDPGetDatum(&out.row.created_by);
		else if (strcmp(name, "created_on") == 0)
			v = TimestampTzGetDatum(out.row.created_on);
		else if (strcmp(name, "updated_by") == 0)
			v = UUIDPGetDatum(&out.row.updated_by);
		else if (strcmp(name, "updated_on") == 0)
			v = TimestampTzGetDatum(out.row.updated_on);
		else if (strcmp(name, "resource_version") == 0)
			v = Int64GetDatum(out.row.resource_version);
		else
			isnull = true;
		values[i] = v;
		nulls[i] = isnull;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
