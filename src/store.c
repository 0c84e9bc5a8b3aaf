/*
 * store.c
 *		Insert an approved entry into time_entries.
 *
 * The row goes through the table, so its constraints, foreign keys and the
 * audit trigger apply as to any other write.  The actor is handed to the
 * trigger for the duration of the INSERT only (te_actor_enter).
 *
 * A timed or date-only entry is inserted the way COPY inserts a row, without
 * planning or starting an executor for a one-row INSERT: the BEFORE ROW
 * triggers (the audit trigger), the table's constraints, the heap insert,
 * the index entries and the AFTER ROW triggers (the foreign-key checks, run
 * before returning, as at the end of an INSERT statement).  The CHECK
 * constraints are prepared once per backend rather than once per row: that
 * was a quarter of a bulk import.  Nothing else is kept between calls.
 *
 * A running entry is inserted with ON CONFLICT DO NOTHING on the partial
 * unique index "one running entry per user": when another session holds or
 * has just committed a running entry for the user, no row comes back and
 * the caller reports "already running" (SPEC 4.6) instead of a raw unique
 * violation.  (The caller has already checked under the user's lock; this
 * covers writers that bypass the create functions.)
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "lib/ilist.h"
#include "utils/resowner.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "storage/lmgr.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
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

static const char *const insert_running_sql = INSERT_COLUMNS
" ON CONFLICT (user_id) WHERE start_at IS NOT NULL AND end_at IS NULL"
" DO NOTHING" INSERT_RETURNING;
static SPIPlanPtr insert_running_plan = NULL;

static SPIPlanPtr
prepare_insert(const char *sql)
{
	Oid			types[12] = {UUIDOID, UUIDOID, UUIDOID, UUIDOID, TEXTOID, TEXTOID,
		DATEOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT4OID, BOOLOID, BOOLOID};

	return te_keep_plan(sql, 12, types);
}


/* ---- the direct insert ---- */

/* time_entries' OID, its columns, and its prepared CHECK constraints. */
static Oid	entries_relid = InvalidOid;
static bool entries_stale = true;
static bool entries_callback = false;
static MemoryContext checks_cxt = NULL;
static ExprState **checks = NULL;
static int	nchecks = 0;

enum
{
	A_ID, A_USER_ID, A_TYPE_OF_WORK_ID, A_PROJECT_ID, A_TASK_ID, A_NOTE,
	A_TIMEZONE, A_DATE_LOCAL, A_START_AT, A_END_AT, A_DURATION,
	A_BREAK_DURATION, A_IS_BILLABLE, A_IS_BILLED, A_IS_EXTERNAL,
	A_CREATED_BY, A_CREATED_ON, A_UPDATED_BY, A_UPDATED_ON,
	A_RESOURCE_VERSION, A__COUNT
};
static const char *const attr_names[A__COUNT] = {
	"id", "user_id", "type_of_work_id", "project_id", "task_id", "note",
	"timezone", "date_local", "start_at", "end_at", "duration",
	"break_duration", "is_billable", "is_billed", "is_external",
	"created_by", "created_on", "updated_by", "updated_on", "resource_version"
};
static AttrNumber attnums[A__COUNT];

/*
 * Any change of time_entries (or of everything) makes the cache stale; it
 * is rebuilt at the next insert, and the table's OID looked up again (the
 * extension may have been dropped and created again).  The CHECK
 * constraints are swapped into an insert right before they are evaluated,
 * so a rebuild by a nested insert (a trigger's) frees none in use.
 */
static void
entries_invalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == entries_relid)
	{
		entries_stale = true;
		entries_relid = InvalidOid;
	}
}

/* Rebuild the cache over rel (locked by the caller). */
static void
entries_rebuild(Relation rel)
{
	TupleConstr *constr = RelationGetDescr(rel)->constr;
	MemoryContext old;

	if (!entries_callback)
	{
		CacheRegisterRelcacheCallback(entries_invalidate, (Datum) 0);
		entries_callback = true;
	}
	for (int i = 0; i < A__COUNT; i++)
	{
		attnums[i] = get_attnum(RelationGetRelid(rel), attr_names[i]);
		if (attnums[i] == InvalidAttrNumber)
			elog(ERROR, "column \"%s\" of relation \"%s\" does not exist",
				 attr_names[i], RelationGetRelationName(rel));
	}

	if (checks_cxt)
		MemoryContextDelete(checks_cxt);
	checks_cxt = AllocSetContextCreate(CacheMemoryContext,
									   "time_entry checks",
									   ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(checks_cxt);
	nchecks = constr ? constr->num_check : 0;
	checks = palloc0(sizeof(ExprState *) * Max(nchecks, 1));
	for (int i = 0; i < nchecks; i++)
	{
		Expr	   *expr = stringToNode(constr->check[i].ccbin);

		checks[i] = ExecInitExpr(expression_planner(expr), NULL);
	}
	MemoryContextSwitchTo(old);
	entries_stale = false;
}

/*
 * The executor state of the direct insert: time_entries opened as a result
 * relation with its indexes, and a slot.  Opening and closing it was a
 * tenth of a bulk import, so a face that creates many entries in one
 * statement keeps one open from row to row (te_inserter_create); a single
 * call opens and closes its own.
 *
 * A kept inserter must be closed before its statement's resources are
 * released, or the relations would leak (and "in use" would stop a
 * TRUNCATE of time_entries later in the transaction).  Two things close
 * it, whichever comes first:
 *	- the end of the statement: the deletion of the memory context the face
 *	  gave (try_create_entry's flinfo's, which the executor deletes at
 *	  ExecutorEnd; import_entries deletes its own at the end of its call);
 *	- the end of the transaction (pre-commit, pre-prepare, abort), through
 *	  an XactCallback.
 * Its relations are opened under a resource owner of its own, a child of
 * the transaction's, so that the end of a subtransaction or of a portal
 * (FETCH from a cursor inside a savepoint, say) never releases them behind
 * its back; and its executor state lives in TopTransactionContext, not
 * under the statement's context, so that it is still whole when the
 * statement's context is deleted.
 */
struct TeInserter
{
	bool		keep;			/* kept across calls (else one call's) */
	bool		open;
	bool		row_in_progress;	/* a row is being inserted */
	ResourceOwner owner;		/* keep: the relations' owner */
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	dlist_node	node;			/* keep: in open_inserters while open */
};

static dlist_head open_inserters = DLIST_STATIC_INIT(open_inserters);
static bool xact_callback_registered = false;

static void inserter_close(TeInserter *ins, bool statement_end);

static void
inserters_xact_callback(XactEvent event, void *arg)
{
	dlist_mutable_iter it;

	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			dlist_foreach_modify(it, &open_inserters)
				inserter_close(dlist_container(TeInserter, node, it.cur), false);
			break;
		default:
			break;
	}
}

/* The statement's memory is going: close the inserter if still open. */
static void
inserter_context_gone(void *arg)
{
	inserter_close((TeInserter *) arg, true);
}

/*
 * An inserter kept across the calls of one statement, closed at the latest
 * when cxt (the statement's memory) is deleted or reset.
 */
TeInserter *
te_inserter_create(MemoryContext cxt)
{
	TeInserter *ins = MemoryContextAllocZero(cxt, sizeof(TeInserter));
	MemoryContextCallback *cb = MemoryContextAllocZero(cxt, sizeof(MemoryContextCallback));

	if (!xact_callback_registered)
	{
		RegisterXactCallback(inserters_xact_callback, NULL);
		xact_callback_registered = true;
	}
	ins->keep = true;
	cb->func = inserter_context_gone;
	cb->arg = ins;
	MemoryContextRegisterResetCallback(cxt, cb);
	return ins;
}

/*
 * Release and delete a kept inserter's resource owner.  closed: everything
 * opened under it was closed (anything left is a leak and warned about);
 * else what is left is released silently.  keep_locks: hand its locks to
 * the transaction, which holds them to its end as for any INSERT; else
 * release them (after a failed open, when nothing was written under them).
 */
static void
drop_owner(TeInserter *ins, bool closed, bool keep_locks)
{
	ResourceOwnerRelease(ins->owner, RESOURCE_RELEASE_BEFORE_LOCKS, closed, false);
	ResourceOwnerRelease(ins->owner, RESOURCE_RELEASE_LOCKS, keep_locks, false);
	ResourceOwnerRelease(ins->owner, RESOURCE_RELEASE_AFTER_LOCKS, closed, false);
	ResourceOwnerDelete(ins->owner);
	ins->owner = NULL;
}

/* Open time_entries for inserting. */
static void
inserter_open(TeInserter *ins)
{
	ResourceOwner save_owner = CurrentResourceOwner;
	MemoryContext save_cxt = CurrentMemoryContext;
	RangeTblEntry *rte;
	Relation	rel;

	if (ins->keep)
	{
		ins->owner = ResourceOwnerCreate(TopTransactionResourceOwner,
										 "time_entry inserter");
		CurrentResourceOwner = ins->owner;
		MemoryContextSwitchTo(TopTransactionContext);
	}
	PG_TRY();
	{
		/* a kept inserter's locks, too, are taken under its owner */
		LockRelationOid(entries_relid, RowExclusiveLock);

		rte = makeNode(RangeTblEntry);
		rte->rtekind = RTE_RELATION;
		rte->relid = entries_relid;
		rte->relkind = RELKIND_RELATION;
		rte->rellockmode = RowExclusiveLock;
		rte->requiredPerms = ACL_INSERT;

		ins->estate = CreateExecutorState();
		MemoryContextSwitchTo(ins->estate->es_query_cxt);
		ExecInitRangeTable(ins->estate, list_make1(rte));
		ins->rri = makeNode(ResultRelInfo);
		ExecInitResultRelation(ins->estate, ins->rri, 1);
		rel = ins->rri->ri_RelationDesc;
		ExecOpenIndices(ins->rri, false);
		ins->slot = ExecInitExtraTupleSlot(ins->estate, RelationGetDescr(rel),
										   table_slot_callbacks(rel));
		/*
		 * The AFTER ROW triggers read the row through these slots, which
		 * the trigger code would otherwise make at the first row, pinning
		 * the descriptor under whatever owner is current then.
		 */
		if (ins->rri->ri_TrigDesc)
		{
			TriggerDesc *td = ins->rri->ri_TrigDesc;

			(void) ExecGetTriggerOldSlot(ins->estate, ins->rri);
			(void) ExecGetTriggerNewSlot(ins->estate, ins->rri);

			/*
			 * The trigger functions' call info, which the trigger code
			 * would otherwise look up at the first row in the memory
			 * context current then -- the caller's, reset after each call
			 * -- while the functions keep state in it for the next rows
			 * (a SECURITY DEFINER function or one with a SET clause does).
			 */
			for (int i = 0; i < td->numtriggers; i++)
			{
				Trigger    *tg = &td->triggers[i];

				if (TRIGGER_FOR_ROW(tg->tgtype) && TRIGGER_FOR_INSERT(tg->tgtype) &&
					tg->tgenabled != TRIGGER_DISABLED)
					fmgr_info_cxt(tg->tgfoid, &ins->rri->ri_TrigFunctions[i],
								  ins->estate->es_query_cxt);
			}
		}
	}
	PG_CATCH();
	{
		/* give back whatever was opened; nothing was written under it */
		CurrentResourceOwner = save_owner;
		MemoryContextSwitchTo(save_cxt);
		if (ins->keep)
		{
			drop_owner(ins, false, false);
			if (ins->estate)
				MemoryContextDelete(ins->estate->es_query_cxt);
			ins->estate = NULL;
		}
		PG_RE_THROW();
	}
	PG_END_TRY();
	CurrentResourceOwner = save_owner;
	MemoryContextSwitchTo(save_cxt);

	ins->open = true;
	if (ins->keep)
		dlist_push_tail(&open_inserters, &ins->node);
}

/*
 * Close the relations and free the executor state.  At the end of its
 * statement (statement_end) a kept inserter's locks go to the resource
 * owner current then -- the statement's, so that a savepoint rolled back
 * around the statement releases them as it would an INSERT's; otherwise
 * they go to the transaction.
 *
 * When an error left a row half done, or the transaction is aborting, the
 * executor state is not touched at all: its slots may still hold buffer
 * pins that belong to other resource owners (the AFTER trigger that failed
 * read the row under the portal's), which the abort releases.  Then the
 * inserter's own owner releases its relations silently and its memory is
 * dropped whole.
 */
static void
inserter_close(TeInserter *ins, bool statement_end)
{
	ResourceOwner save_owner = CurrentResourceOwner;

	if (!ins->open)
		return;
	ins->open = false;
	if (!ins->keep)
	{
		/* a single call's: closed on its success only (an error frees it) */
		ExecResetTupleTable(ins->estate->es_tupleTable, false);
		ExecCloseResultRelations(ins->estate);
		ExecCloseRangeTableRelations(ins->estate);
		FreeExecutorState(ins->estate);
		ins->estate = NULL;
		return;
	}

	dlist_delete(&ins->node);
	if (ins->row_in_progress || !IsTransactionState())
	{
		drop_owner(ins, false, true);
		MemoryContextDelete(ins->estate->es_query_cxt);
		ins->estate = NULL;
		ins->row_in_progress = false;
		return;
	}

	CurrentResourceOwner = ins->owner;
	PG_TRY();
	{
		ExecResetTupleTable(ins->estate->es_tupleTable, false);
		ExecCloseResultRelations(ins->estate);
		ExecCloseRangeTableRelations(ins->estate);
		FreeExecutorState(ins->estate);
	}
	PG_FINALLY();
	{
		CurrentResourceOwner = save_owner;
	}
	PG_END_TRY();
	ins->estate = NULL;
	if (statement_end && CurrentResourceOwner != NULL)
		ResourceOwnerNewParent(ins->owner, CurrentResourceOwner);
	drop_owner(ins, true, true);
}

/*
 * Insert a timed or date-only entry directly (see the file comment) and
 * fill *out from the row as the audit trigger left it.  ins: the
 * statement's inserter, or NULL to open one for this row only.
 */
static void
direct_insert(const TeRequest *req, const TeTimes *t, const TeContext *cx,
			  TeInserter *kept, TeStored *out)
{
	TeInserter	local = {0};
	TeInserter *ins = kept ? kept : &local;
	EState	   *estate;
	ResultRelInfo *rri;
	Relation	rel;
	TupleTableSlot *slot;
	List	   *recheck;
	pg_uuid_t  *id;
	Datum	   *v;
	bool	   *n;
	bool		isnull;

	if (!OidIsValid(entries_relid))
		entries_relid = get_relname_relid(TE_TABLE, get_namespace_oid(TE_SCHEMA, false));
	if (!OidIsValid(entries_relid))
		elog(ERROR, "relation \"%s.%s\" does not exist", TE_SCHEMA, TE_TABLE);

	/* (a kept inserter of an earlier transaction was closed at its end) */
	if (ins->open && ins->row_in_progress)
		inserter_close(ins, false);	/* an error stopped its last row */
	if (!ins->open)
		inserter_open(ins);
	ins->row_in_progress = true;
	estate = ins->estate;
	rri = ins->rri;
	rel = rri->ri_RelationDesc;
	slot = ins->slot;
	ResetPerTupleExprContext(estate);
	if (entries_stale ||
		nchecks != (rel->rd_att->constr ? rel->rd_att->constr->num_check : 0))
		entries_rebuild(rel);

	ExecClearTuple(slot);
	v = slot->tts_values;
	n = slot->tts_isnull;
	for (int i = 0; i < slot->tts_tupleDescriptor->natts; i++)
		n[i] = true;

	id = palloc(sizeof(pg_uuid_t));
	te_uuid7(id);
#define SET(a, d)	(v[attnums[a] - 1] = (d), n[attnums[a] - 1] = false)
	SET(A_ID, UUIDPGetDatum(id));
	SET(A_USER_ID, UUIDPGetDatum((pg_uuid_t *) &req->user_id));
	SET(A_TYPE_OF_WORK_ID, UUIDPGetDatum((pg_uuid_t *) &req->type_of_work_id));
	if (cx->has_project)
		SET(A_PROJECT_ID, UUIDPGetDatum((pg_uuid_t *) &cx->project_id));
	if (req->has_task_id)
		SET(A_TASK_ID, UUIDPGetDatum((pg_uuid_t *) &req->task_id));
	if (req->has_note)
		SET(A_NOTE, PointerGetDatum(req->note));
	SET(A_TIMEZONE, CStringGetTextDatum(req->timezone));
	SET(A_DATE_LOCAL, DateADTGetDatum(t->date_local));
	if (t->kind != TE_KIND_DATE_ONLY)
		SET(A_START_AT, TimestampTzGetDatum(t->start_at));
	if (t->kind == TE_KIND_TIMED)
		SET(A_END_AT, TimestampTzGetDatum(t->end_at));
	SET(A_DURATION, Int32GetDatum(t->duration));
	SET(A_BREAK_DURATION, Int32GetDatum(0));
	SET(A_IS_BILLABLE, BoolGetDatum(cx->is_billable));
	SET(A_IS_BILLED, BoolGetDatum(cx->is_billed));
	SET(A_IS_EXTERNAL, BoolGetDatum(false));
#undef SET
	ExecStoreVirtualTuple(slot);

	AfterTriggerBeginQuery();
	if (rri->ri_TrigDesc && rri->ri_TrigDesc->trig_insert_before_row)
	{
		bool		keep = false;
		TeActorScope saved;

		te_actor_enter(&cx->actor, &saved);
		PG_TRY();
		{
			keep = ExecBRInsertTriggers(estate, rri, slot);
		}
		PG_FINALLY();
		{
			te_actor_leave(&saved);
		}
		PG_END_TRY();
		if (!keep)
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("a BEFORE INSERT trigger on \"%s.%s\" skipped the entry",
							TE_SCHEMA, TE_TABLE),
					 errdetail("The create functions cannot report an entry that was not written.")));
	}
	/* again: a nested insert (a trigger's) may have rebuilt the checks */
	if (entries_stale ||
		nchecks != (rel->rd_att->constr ? rel->rd_att->constr->num_check : 0))
		entries_rebuild(rel);
	rri->ri_ConstraintExprs = nchecks > 0 ? checks : NULL;
	if (rel->rd_att->constr)
		ExecConstraints(rri, slot, estate);
	table_tuple_insert(rel, slot, GetCurrentCommandId(true), 0, NULL);
	recheck = ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL);
	ExecARInsertTriggers(estate, rri, slot, recheck, NULL);
	AfterTriggerEndQuery(estate);

	out->id = *DatumGetUUIDP(slot_getattr(slot, attnums[A_ID], &isnull));
	out->created_by = *DatumGetUUIDP(slot_getattr(slot, attnums[A_CREATED_BY], &isnull));
	out->created_on = DatumGetTimestampTz(slot_getattr(slot, attnums[A_CREATED_ON], &isnull));
	out->updated_by = *DatumGetUUIDP(slot_getattr(slot, attnums[A_UPDATED_BY], &isnull));
	out->updated_on = DatumGetTimestampTz(slot_getattr(slot, attnums[A_UPDATED_ON], &isnull));
	out->resource_version = DatumGetInt64(slot_getattr(slot, attnums[A_RESOURCE_VERSION], &isnull));
	ExecClearTuple(slot);
	ResetPerTupleExprContext(estate);
	ins->row_in_progress = false;

	if (!kept)
		inserter_close(ins, true);

	/* later lookups of this transaction see the row */
	CommandCounterIncrement();
}

/*
 * Insert the entry; fill *out from the stored row.  Returns false, writing
 * nothing, when the entry is a timer and the user already has one.
 */
bool
te_store(const TeRequest *req, const TeTimes *t, const TeContext *cx,
		 TeInserter *ins, TeStored *out)
{
	Datum		values[12];
	char		nulls[12];
	SPIPlanPtr	plan;
	int			rc = 0;
	bool		isnull;
	HeapTuple	tup;
	TupleDesc	desc;
	TeActorScope saved;

	if (t->kind != TE_KIND_RUNNING)
	{
		direct_insert(req, t, cx, ins, out);
		return true;
	}

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

	if (insert_running_plan == NULL)
		insert_running_plan = prepare_insert(insert_running_sql);
	plan = insert_running_plan;

	te_actor_enter(&cx->actor, &saved);
	PG_TRY();
	{
		rc = te_execute(plan, values, nulls, false, false, 1);
	}
	PG_FINALLY();
	{
		te_actor_leave(&saved);
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
