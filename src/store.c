/*
 * store.c
 *		Insert an approved entry into time_entries.
 *
 * The row goes through the table, so its constraints, foreign keys and the
 * audit trigger apply as to any other write.  The actor is handed to the
 * trigger through te_actor_override for the duration of the INSERT only.
 *
 * A running entry is inserted with ON CONFLICT DO NOTHING on the partial
 * unique index "one running entry per user": when another session holds or
 * has just committed a running entry for the user, no row comes back and
 * the caller reports "already running" (SPEC 4.6) instead of a raw unique
 * violation.  (The caller has already checked under the user's lock; this
 * covers writers that bypass the create functions.)
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "time_entry.h"

#define INSERT_COLUMNS \
"INSERT INTO time_entry.time_entries" \
" (user_id, type_of_work_id, project_id, task_id, note, timezone," \
"  date_local, start_at, end_at, duration, is_billable, is_billed)" \
" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"

#define INSERT_RETURNING \
" RETURNING id, created_by, created_on, updated_by, updated_on, resource_version"

static const char *const insert_sql = INSERT_COLUMNS INSERT_RETURNING;
static const char *const insert_running_sql = INSERT_COLUMNS
" ON CONFLICT (user_id) WHERE start_at IS NOT NULL AND end_at IS NULL"
" DO NOTHING" INSERT_RETURNING;
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr insert_running_plan = NULL;

static SPIPlanPtr
prepare_insert(const char *sql)
{
	Oid			types[12] = {UUIDOID, UUIDOID, UUIDOID, UUIDOID, TEXTOID, TEXTOID,
		DATEOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT4OID, BOOLOID, BOOLOID};

	return te_keep_plan(sql, 12, types);
}

/*
 * Insert the entry; fill *out from the stored row.  Returns false, writing
 * nothing, when the entry is a timer and the user already has one.
 */
bool
te_store(const TeRequest *req, const TeTimes *t, const TeContext *cx,
		 TeStored *out)
{
	Datum		values[12];
	char		nulls[12];
	SPIPlanPtr	plan;
	int			rc = 0;
	bool		isnull;
	HeapTuple	tup;
	TupleDesc	desc;

	memset(nulls, ' ', sizeof(nulls));
	values[0] = UUIDPGetDatum((pg_uuid_t *) &req->user_id);
	values[1] = UUIDPGetDatum((pg_uuid_t *) &req->type_of_work_id);
	if (cx->has_project)
		values[2] = UUIDPGetDatum((pg_uuid_t *) &cx->project_id);
	else
		nulls[2] = 'n';
	if (req->has_task_id)
		values[3] = UUIDPGetDatum((pg_uuid_t *) &req->task_id);
	else
		nulls[3] = 'n';
	if (req->has_note)
		values[4] = PointerGetDatum(req->note);
	else
		nulls[4] = 'n';
	values[5] = CStringGetTextDatum(req->timezone);
	values[6] = DateADTGetDatum(t->date_local);
	if (t->kind != TE_KIND_DATE_ONLY)
		values[7] = TimestampTzGetDatum(t->start_at);
	else
		nulls[7] = 'n';
	if (t->kind == TE_KIND_TIMED)
		values[8] = TimestampTzGetDatum(t->end_at);
	else
		nulls[8] = 'n';
	values[9] = Int32GetDatum(t->duration);
	values[10] = BoolGetDatum(cx->is_billable);
	values[11] = BoolGetDatum(cx->is_billed);

	if (t->kind == TE_KIND_RUNNING)
	{
		if (insert_running_plan == NULL)
			insert_running_plan = prepare_insert(insert_running_sql);
		plan = insert_running_plan;
	}
	else
	{
		if (insert_plan == NULL)
			insert_plan = prepare_insert(insert_sql);
		plan = insert_plan;
	}

	te_actor_override = cx->actor;
	te_actor_override_set = true;
	PG_TRY();
	{
		rc = te_execute(plan, values, nulls, false, false);
	}
	PG_FINALLY();
	{
		te_actor_override_set = false;
	}
	PG_END_TRY();

	if (rc != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return false;

	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	memcpy(&out->id, DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull)), sizeof(pg_uuid_t));
	memcpy(&out->created_by, DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)), sizeof(pg_uuid_t));
	out->created_on = DatumGetTimestampTz(SPI_getbinval(tup, desc, 3, &isnull));
	memcpy(&out->updated_by, DatumGetUUIDP(SPI_getbinval(tup, desc, 4, &isnull)), sizeof(pg_uuid_t));
	out->updated_on = DatumGetTimestampTz(SPI_getbinval(tup, desc, 5, &isnull));
	out->resource_version = DatumGetInt64(SPI_getbinval(tup, desc, 6, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return true;
}
