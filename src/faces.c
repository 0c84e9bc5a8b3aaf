/*
 * faces.c
 *		The SQL-callable functions: thin faces over the create path
 *		(create.c) and the life of an entry (lifecycle.c).
 *
 *	create_entry(entry jsonb, actor uuid)		raises the first problem
 *	validate_entry(entry jsonb, actor uuid)		NULL, or every problem
 *	try_create_entry(entry jsonb, actor uuid)	one row: id, response, error
 *	import_entries(entries jsonb, actor uuid)	one row per array element
 *	create_entry(user_id, ..., actor, id)		typed arguments, returns the row
 *	start_timer(entry jsonb, actor uuid)		a running entry (SPEC 9.4)
 *	get_entry, list_entries, update_entry, stop_timer, delete_entry
 *												(SPEC 9), raise the first problem
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
			fs->stmt.inserter = te_inserter_create(flinfo->fn_mcxt,
												   (ReturnSetInfo *) fcinfo->resultinfo);
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

	te_run_json(ARG_JSONB(0), TE_REQ_CREATE, actor != NULL, actor,
				TE_MODE_RAISE, TE_WRITE_INSERT, FACE_STMT(fs), &req, &out);
	Assert(out.stored);
	PG_RETURN_JSONB_P(te_build_response(&out.row, &out.refs));
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

	te_run_json(ARG_JSONB(0), TE_REQ_CREATE, actor != NULL, actor,
				TE_MODE_ALL, TE_WRITE_NONE, FACE_STMT(fs), &req, &out);
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
	te_run_json(entry, TE_REQ_CREATE, actor != NULL, actor, TE_MODE_FIRST,
				TE_WRITE_INSERT, FACE_STMT(fs), &req, &out);
	if (out.stored)
	{
		values[0] = UUIDPGetDatum(&out.row.id);
		values[1] = JsonbPGetDatum(te_build_response(&out.row, &out.refs));
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
 * well-formed one naming a user of the actor's workspace.  A user of
 * another workspace is a missing one (SPEC 10): its row is not locked, so
 * that an import cannot hold up, or learn anything from, another
 * workspace.  actor: the argument, or NULL for the setting's; lookups:
 * the statement's cache.
 */
static void
lock_batch_users(Jsonb *entries, TeUserLocks *memo, const pg_uuid_t *actor,
				 TeLookupCache *lookups)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	Datum	   *ids = NULL;
	int			n = 0,
				cap = 0;
	bool		may_need = false;
	int			rc;
	pg_uuid_t	actor_id;
	TeContext	cx;
	TeLookupCache *cache = te_lookup_begin(lookups);

	te_lookup_actor(te_resolve_actor(actor != NULL, actor, &actor_id), &actor_id,
					&cx, cache);
	if (!cx.actor_found)
		return;					/* every element is refused for its actor */
	it = JsonbIteratorInit(&entries->root);

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue	uid;
		pg_uuid_t	id;

		if (tok != WJB_ELEM || v.type != jbvBinary ||
			!JsonContainerIsObject(v.val.binary.data))
			continue;
		if (!getKeyJsonValueFromContainer(v.val.binary.data, "userId", 6, &uid) ||
			uid.type != jbvString ||
			!te_parse_uuid(uid.val.string.val, uid.val.string.len, &id) ||
			!te_user_in_workspace(&cx, &id, cache))
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

/* One element's result, on the executor path, emitted at the end. */
typedef struct ImportResult
{
	bool		has_id;
	pg_uuid_t	id;
	Jsonb	   *error;			/* or NULL */
} ImportResult;

/* One call of import_entries. */
typedef struct Import
{
	JsonbIterator *it;
	pg_uuid_t  *actor;
	TeStatement stmt;
	MemoryContext work;			/* one element's, reset before the next */
	MemoryContext keep;			/* the call's */
	int32		ordinal;
	/* the executor path: each element's result, and those to be inserted */
	ImportResult *results;
	int32	   *pending;		/* k-th row inserted -> its element */
	int			npending;
	int			capacity;
} Import;

/* The next element of the array, or false at the end. */
static bool
next_element(Import *im, JsonbValue *v)
{
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&im->it, v, true)) != WJB_DONE)
	{
		if (tok == WJB_ELEM)
		{
			CHECK_FOR_INTERRUPTS();
			im->ordinal++;
			return true;
		}
	}
	return false;
}

/* Run the create path over element v, in the element's memory. */
static void
run_element(Import *im, JsonbValue *v, TeWrite write, TeRequest *req,
			TeOutcome *out)
{
	MemoryContextReset(im->work);
	MemoryContextSwitchTo(im->work);
	te_run_json(JsonbValueToJsonb(v), TE_REQ_CREATE, im->actor != NULL,
				im->actor, TE_MODE_FIRST, write, &im->stmt, req, out);
}

/*
 * te_insert_all's source: the next element that is to be inserted; the
 * others' results (refused, or the retry of a request id) are kept.
 */
static bool
import_next(void *arg, TeRow *values, bool *has_id)
{
	Import	   *im = (Import *) arg;
	MemoryContext caller = CurrentMemoryContext;
	JsonbValue	v;
	TeRequest	req;
	TeOutcome	out;

	while (next_element(im, &v))
	{
		ImportResult *r;

		if (im->ordinal > im->capacity)
		{
			im->capacity *= 2;
			im->results = repalloc(im->results, sizeof(ImportResult) * im->capacity);
			im->pending = repalloc(im->pending, sizeof(int32) * im->capacity);
		}
		run_element(im, &v, TE_WRITE_DEFER, &req, &out);
		r = &im->results[im->ordinal - 1];
		memset(r, 0, sizeof(ImportResult));
		MemoryContextSwitchTo(im->keep);
		if (out.approved)
		{
			im->pending[im->npending++] = im->ordinal - 1;
			*values = out.values;	/* in work memory, until the next reset */
			*has_id = req.has_id;
			MemoryContextSwitchTo(caller);
			return true;
		}
		if (out.stored)
		{
			r->has_id = true;
			r->id = out.row.id;
		}
		else
			r->error = te_problems_to_jsonb(&out.problems);
		MemoryContextSwitchTo(caller);
	}
	return false;
}

/* te_insert_all's sink: the k-th row inserted is the element's result. */
static void
import_done(void *arg, int k, const TeRow *stored)
{
	Import	   *im = (Import *) arg;
	ImportResult *r = &im->results[im->pending[k]];

	r->has_id = true;
	r->id = stored->id;
}

static void
put_result(ReturnSetInfo *rsinfo, int32 ordinal, bool has_id,
		   const pg_uuid_t *id, Jsonb *error)
{
	Datum		values[3];
	bool		nulls[3] = {false, !has_id, error == NULL};

	values[0] = Int32GetDatum(ordinal);
	values[1] = has_id ? UUIDPGetDatum((pg_uuid_t *) id) : (Datum) 0;
	values[2] = error ? JsonbPGetDatum(error) : (Datum) 0;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * SELECT * FROM time_entry.import_entries('[{...}, {...}]', actor);
 *
 * One row per element, in order (ordinal from 1): valid elements are
 * created (id set), invalid ones reported (error set).  The whole call is
 * one INSERT statement: its statement triggers fire once.  Each element is
 * worked in a context reset before the next, so memory stays flat.  The
 * users' locks are taken first, in id order, so that concurrent imports
 * over the same users cannot deadlock.
 */
Datum
te_import_entries(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *entries = ARG_JSONB(0);
	MemoryContext caller = CurrentMemoryContext;
	Import		im = {0};
	int			rc;

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
	PreventCommandIfReadOnly("INSERT");
	im.actor = ARG_UUID(1);
	im.keep = AllocSetContextCreate(CurrentMemoryContext, "time_entry import",
									ALLOCSET_DEFAULT_SIZES);
	im.work = AllocSetContextCreate(im.keep, "time_entry import element",
									ALLOCSET_DEFAULT_SIZES);

	/* the elements share their lookups, the users' locks and the open table */
	MemoryContextSwitchTo(im.keep);
	im.stmt.lookups = te_lookup_cache_create(im.keep);
	im.stmt.locks = te_user_locks_create(im.keep);
	im.stmt.inserter = te_inserter_create(im.keep, NULL);
	lock_batch_users(entries, im.stmt.locks, im.actor, im.stmt.lookups);
	im.it = JsonbIteratorInit(&entries->root);

	if (te_inserter_direct(im.stmt.inserter))
	{
		JsonbValue	v;

		while (next_element(&im, &v))
		{
			TeRequest	req;
			TeOutcome	out;

			run_element(&im, &v, TE_WRITE_INSERT, &req, &out);
			put_result(rsinfo, im.ordinal, out.stored, &out.row.id,
					   out.stored ? NULL : te_problems_to_jsonb(&out.problems));
		}
		te_inserter_close(im.stmt.inserter);
	}
	else
	{
		/* one INSERT statement, pulling the elements one by one */
		im.capacity = 64;
		im.results = palloc(sizeof(ImportResult) * im.capacity);
		im.pending = palloc(sizeof(int32) * im.capacity);
		if ((rc = SPI_connect()) != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
		MemoryContextSwitchTo(im.keep);
		te_insert_all(import_next, import_done, &im, im.actor);
		MemoryContextSwitchTo(im.keep);
		if ((rc = SPI_finish()) != SPI_OK_FINISH)
			elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
		for (int32 i = 0; i < im.ordinal; i++)
			put_result(rsinfo, i + 1, im.results[i].has_id, &im.results[i].id,
					   im.results[i].error);
	}
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(im.keep);
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
	te_request_init(req, TE_REQ_CREATE);
	req->p_user_id = "user_id";
	req->p_type_of_work_id = "type_of_work_id";
	req->p_timezone = "timezone";
	req->p_duration = "duration";
	req->p_project_id = "project_id";
	req->p_task_id = "task_id";
	req->p_note = "note";
	req->p_is_billable = "is_billable";
	req->p_is_billed = "is_billed";
	req->p_id = "id";
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
	if (PG_NARGS() > 13 && (req->has_id = !PG_ARGISNULL(13)))
		req->id = *PG_GETARG_UUID_P(13);
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
	te_run_create(&req, &parse, has_actor, &actor, TE_MODE_RAISE,
				  TE_WRITE_INSERT, true, FACE_STMT(fs), &out);
	Assert(out.stored && out.tuple != NULL);
	PG_RETURN_DATUM(heap_copy_tuple_as_datum(out.tuple, desc));
}

/* ---- the life of an entry (SPEC 9) ---- */

PG_FUNCTION_INFO_V1(te_get_entry_sql);
PG_FUNCTION_INFO_V1(te_list_entries_sql);
PG_FUNCTION_INFO_V1(te_update_entry_sql);
PG_FUNCTION_INFO_V1(te_start_timer_sql);
PG_FUNCTION_INFO_V1(te_stop_timer_sql);
PG_FUNCTION_INFO_V1(te_delete_entry_sql);

#define ARG_HAS(n)		(!PG_ARGISNULL(n))

/*
 * SELECT time_entry.get_entry(id, actor);
 */
Datum
te_get_entry_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(te_get_entry(ARG_UUID(0), ARG_HAS(1), ARG_UUID(1)));
}

static void
put_response(void *arg, Jsonb *response)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) arg;
	Datum		value = JsonbPGetDatum(response);
	bool		isnull = false;

	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
}

/*
 * SELECT * FROM time_entry.list_entries(actor, user_id, project_id,
 *										  from_date, to_date);
 */
Datum
te_list_entries_sql(PG_FUNCTION_ARGS)
{
	DateADT		from = ARG_HAS(3) ? PG_GETARG_DATEADT(3) : 0;
	DateADT		to = ARG_HAS(4) ? PG_GETARG_DATEADT(4) : 0;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC | MAT_SRF_BLESS);
	te_list_entries(ARG_HAS(0), ARG_UUID(0), ARG_UUID(1), ARG_UUID(2),
					ARG_HAS(3) ? &from : NULL, ARG_HAS(4) ? &to : NULL,
					put_response, fcinfo->resultinfo);
	return (Datum) 0;
}

/*
 * SELECT time_entry.update_entry(id, changes, actor, expected_version);
 */
Datum
te_update_entry_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(te_update_entry(ARG_UUID(0), ARG_JSONB(1), ARG_HAS(2), ARG_UUID(2),
									  ARG_HAS(3), ARG_HAS(3) ? PG_GETARG_INT64(3) : 0));
}

/*
 * SELECT time_entry.start_timer('{"userId": ...}', actor);
 *
 * A create request without end or duration (SPEC 9.4): the user's running
 * entry, if any, is stopped at the new one's start.
 */
Datum
te_start_timer_sql(PG_FUNCTION_ARGS)
{
	TeRequest	req;
	TeOutcome	out;
	pg_uuid_t  *actor = ARG_UUID(1);

	te_run_json(ARG_JSONB(0), TE_REQ_TIMER, actor != NULL, actor,
				TE_MODE_RAISE, TE_WRITE_INSERT, NULL, &req, &out);
	Assert(out.stored);
	PG_RETURN_JSONB_P(te_build_response(&out.row, &out.refs));
}

/*
 * SELECT time_entry.stop_timer(user_id, actor, end_at);
 */
Datum
te_stop_timer_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(te_stop_timer(ARG_UUID(0), ARG_HAS(1), ARG_UUID(1), ARG_HAS(2),
									ARG_HAS(2) ? PG_GETARG_TIMESTAMPTZ(2) : 0));
}

/*
 * SELECT time_entry.delete_entry(id, actor, expected_version);
 */
Datum
te_delete_entry_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(te_delete_entry(ARG_UUID(0), ARG_HAS(1), ARG_UUID(1),
									  ARG_HAS(2), ARG_HAS(2) ? PG_GETARG_INT64(2) : 0));
}
