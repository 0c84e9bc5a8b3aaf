/*
 * direct.c
 *		The direct insert: a row into time_entries the way COPY FROM puts
 *		one there, without starting an executor for a one-row INSERT; and
 *		the direct update of a row the call has locked (te_direct_update,
 *		which says how it follows the executor's UPDATE).
 *
 * Used only for the table shape the extension created (store.c decides,
 * and says what that shape is); for that shape it does exactly what the
 * executor's INSERT does (ExecInsert in nodeModifyTable.c), step by step:
 *
 *	1. the defaults of the columns the request does not give (the id, the
 *	   break and is_external, the audit columns: whatever their defaults
 *	   are now), as the rewriter would put them in the INSERT;
 *	2. the BEFORE ROW triggers (the audit trigger), which may change the
 *	   row;
 *	3. the constraints as they are now: NOT NULL and every CHECK,
 *	   compiled from the relation once per open, as ExecConstraints does
 *	   for each INSERT statement;
 *	4. the heap insert with the current command id, then every index
 *	   (unique and exclusion constraints checked there);
 *	5. the AFTER ROW triggers (the foreign-key checks), queued and run at
 *	   the end of the row's "statement" (AfterTriggerEndQuery), as at the
 *	   end of an INSERT.
 *
 * The shape has no statement triggers and no transition tables, so there
 * is nothing else to fire.  The read-only and privilege checks are made by
 * store.c before the table is opened here.
 *
 * The executor state is opened once per statement (or call) and kept in
 * the memory context given; the rows run in its per-query memory, as the
 * executor runs them, with the per-tuple memory reset each row.
 *
 * What an INSERT compiles at every execution -- the CHECK constraints
 * (ExecRelCheck) and the defaults of the columns not given (planned with
 * the statement) -- is compiled once per backend here, and compiled again
 * whenever it may have changed: the relcache entry of time_entries
 * invalidated (a constraint or default added, dropped, altered), or any
 * function, operator or type changed (a CHECK that calls a function whose
 * body another session has replaced; an inlined SQL function).  That was
 * a tenth of a single create_entry call.  A compiled set is marked stale by
 * the invalidation callbacks, never freed there: an insert in progress --
 * a CHECK function that itself creates an entry -- may be using it, so a
 * stale set is freed when the last insert using it ends.
 */
#include "postgres.h"

#include "access/sysattr.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lockdefs.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "compat.h"
#include "time_entry.h"

/* The compiled CHECK constraints and defaults of one definition. */
typedef struct Compiled
{
	MemoryContext cxt;			/* everything below */
	Oid			relid;
	bool		stale;			/* an invalidation came since it was built */
	int			users;			/* inserts using it now */
	int			nchecks;		/* in the relcache's order */
	ExprState **checks;
	int			natts;
	ExprState **defaults;		/* by attribute: its default, or NULL */
} Compiled;

static Compiled *current = NULL;
static uint64 invalidations = 0;	/* how many came, ever */
static bool callbacks_registered = false;

struct TeDirect
{
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;		/* the new row */
	TupleTableSlot *old;		/* an update's row as it is */
	AttrNumber	map[TE_C__COUNT];
	bool		written[MaxTupleAttributeNumber];	/* by attribute: one
														 * the request gives */
};

static void
mark_stale(void)
{
	invalidations++;
	if (current)
	{
		current->stale = true;
		if (current->users == 0)
			MemoryContextDelete(current->cxt);
		current = NULL;
	}
}

static void
relcache_changed(Datum arg, Oid relid)
{
	if (current && (relid == InvalidOid || relid == current->relid))
		mark_stale();
}

static void
catalog_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	mark_stale();
}

/*
 * The compiled checks and defaults of rel (locked, just opened: the
 * invalidations that came with the lock are processed), built now if
 * there are none or they are stale.
 */
static Compiled *
compiled_for(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	TupleConstr *constr = desc->constr;
	MemoryContext cxt;
	MemoryContext old;
	Compiled   *c;
	AttrNumber	map[TE_C__COUNT];
	uint64		seen;

	if (!callbacks_registered)
	{
		CacheRegisterRelcacheCallback(relcache_changed, (Datum) 0);
		CacheRegisterSyscacheCallback(PROCOID, catalog_changed, (Datum) 0);
		CacheRegisterSyscacheCallback(OPEROID, catalog_changed, (Datum) 0);
		CacheRegisterSyscacheCallback(TYPEOID, catalog_changed, (Datum) 0);
		callbacks_registered = true;
	}
	if (current && current->relid == RelationGetRelid(rel) &&
		current->nchecks == (constr ? constr->num_check : 0) &&
		current->natts == desc->natts)
		return current;
	mark_stale();
	seen = invalidations;

	cxt = AllocSetContextCreate(CacheMemoryContext, "time_entry compiled constraints",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	c = palloc0(sizeof(Compiled));
	c->cxt = cxt;
	c->relid = RelationGetRelid(rel);
	c->nchecks = constr ? constr->num_check : 0;
	c->checks = palloc0(sizeof(ExprState *) * Max(c->nchecks, 1));
	for (int i = 0; i < c->nchecks; i++)
		c->checks[i] = ExecInitExpr(expression_planner(stringToNode(constr->check[i].ccbin)),
									NULL);

	/* the defaults of the columns a request does not give */
	te_column_map(desc, map);
	c->natts = desc->natts;
	c->defaults = palloc0(sizeof(ExprState *) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		Expr	   *defexpr;
		bool		written = false;

		for (int col = TE_C_USER_ID; col <= TE_C_LAST_WRITTEN && !written; col++)
			written = map[col] == i + 1;
		if (written || TupleDescAttr(desc, i)->attisdropped)
			continue;
		defexpr = (Expr *) build_column_default(rel, i + 1);
		if (defexpr != NULL)
			c->defaults[i] = ExecInitExpr(expression_planner(defexpr), NULL);
	}
	MemoryContextSwitchTo(old);

	/*
	 * An invalidation that came while building (a lock taken by the
	 * planner) may concern what was just read: use this set for the row at
	 * hand, then build again.
	 */
	if (invalidations != seen)
		c->stale = true;
	else
		current = c;
	return c;
}

/*
 * The compiled set for a row about to be written to rel, held (not freed by
 * an invalidation) until compiled_release.
 */
static Compiled *
compiled_hold(Relation rel)
{
	Compiled   *c = compiled_for(rel);

	c->users++;
	return c;
}

/* Let go of a set compiled_hold gave; a stale one is freed by its last user. */
static void
compiled_release(Compiled *c, ResultRelInfo *rri)
{
	rri->ri_ConstraintExprs = NULL;
	if (--c->users == 0 && c->stale)
		MemoryContextDelete(c->cxt);
}

/*
 * NOT NULL and every CHECK constraint of the row in slot, with the CHECKs
 * of c (ExecConstraints compiles them for each statement otherwise).
 */
static void
check_constraints(Compiled *c, ResultRelInfo *rri, TupleTableSlot *slot,
				  EState *estate)
{
	if (rri->ri_RelationDesc->rd_att->constr == NULL)
		return;
	rri->ri_ConstraintExprs = c->nchecks > 0 ? c->checks : NULL;
	ExecConstraints(rri, slot, estate);
}

/*
 * Open time_entries (relid, locked RowExclusive by the caller) for direct
 * inserts (op CMD_INSERT) or updates (CMD_UPDATE), in memory context cxt.
 */
TeDirect *
te_direct_open(Oid relid, MemoryContext cxt, CmdType op)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	TeDirect   *d = palloc0(sizeof(TeDirect));
	RangeTblEntry *rte;
	Relation	rel;
	TupleDesc	desc;
	Bitmapset  *updated = NULL;
	Relation	r;

	Assert(op == CMD_INSERT || op == CMD_UPDATE);
	d->estate = CreateExecutorState();
	MemoryContextSwitchTo(d->estate->es_query_cxt);

	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = relid;
	rte->relkind = RELKIND_RELATION;
	rte->rellockmode = RowExclusiveLock;

	/* the column numbers; for an update, those its SET list names */
	r = RelationIdGetRelation(relid);
	te_column_map(RelationGetDescr(r), d->map);
	RelationClose(r);
	if (op == CMD_UPDATE)
		for (int col = TE_C_USER_ID; col <= TE_C_LAST_UPDATED; col++)
			updated = bms_add_member(updated,
									 d->map[col] - FirstLowInvalidHeapAttributeNumber);
	te_init_range_table(d->estate, rte,
						op == CMD_INSERT ? ACL_INSERT : ACL_UPDATE | ACL_SELECT,
						updated);
	d->rri = makeNode(ResultRelInfo);
	ExecInitResultRelation(d->estate, d->rri, 1);
	te_check_valid_result(d->rri, op);
	ExecOpenIndices(d->rri, false);

	rel = d->rri->ri_RelationDesc;
	desc = RelationGetDescr(rel);
	d->slot = ExecInitExtraTupleSlot(d->estate, desc, table_slot_callbacks(rel));
	if (op == CMD_UPDATE)
		d->old = ExecInitExtraTupleSlot(d->estate, desc, table_slot_callbacks(rel));
	for (int col = TE_C_USER_ID; col <= TE_C_LAST_WRITTEN; col++)
		d->written[d->map[col] - 1] = true;

	MemoryContextSwitchTo(old);
	return d;
}

/* Close what te_direct_open opened; the locks stay, as after an INSERT. */
void
te_direct_close(TeDirect *d)
{
	ExecResetTupleTable(d->estate->es_tupleTable, false);
	ExecCloseResultRelations(d->estate);
	ExecCloseRangeTableRelations(d->estate);
	FreeExecutorState(d->estate);
}

/*
 * Insert one row: values holds the written columns (and the id when
 * has_id).  Fills *stored from the row as stored, and *tuple (if not NULL)
 * with a copy, in the caller's memory context.
 */
void
te_direct_insert(TeDirect *d, const TeRow *values, bool has_id,
				 TeRow *stored, HeapTuple *tuple)
{
	MemoryContext caller = CurrentMemoryContext;
	EState	   *estate = d->estate;
	ResultRelInfo *rri = d->rri;
	Relation	rel = rri->ri_RelationDesc;
	TupleTableSlot *slot = d->slot;
	ExprContext *econtext;
	Datum		written[TE_NWRITTEN];
	char		nulls[TE_NWRITTEN];
	Compiled   *volatile c;		/* read in PG_FINALLY */
	int			id_att = d->map[TE_C_ID] - 1;

	MemoryContextSwitchTo(estate->es_query_cxt);
	ResetPerTupleExprContext(estate);
	econtext = GetPerTupleExprContext(estate);
	c = compiled_hold(rel);
	PG_TRY();
	{
		List	   *recheck = NIL;

		/* the values the request gives */
		ExecClearTuple(slot);
		MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
		te_row_values(values, written, nulls);
		MemoryContextSwitchTo(estate->es_query_cxt);
		for (int col = 0; col < TE_NWRITTEN; col++)
		{
			AttrNumber	att = d->map[TE_C_USER_ID + col];

			slot->tts_values[att - 1] = written[col];
			slot->tts_isnull[att - 1] = nulls[col] == 'n';
		}

		/* 1. the defaults of the others (the id's, unless it is given) */
		for (int i = 0; i < c->natts; i++)
		{
			if (d->written[i])
				continue;
			if (i == id_att && has_id)
			{
				slot->tts_values[i] = UUIDPGetDatum((pg_uuid_t *) &values->id);
				slot->tts_isnull[i] = false;
			}
			else if (c->defaults[i] != NULL)
				slot->tts_values[i] = ExecEvalExprSwitchContext(c->defaults[i], econtext,
																&slot->tts_isnull[i]);
			else
			{
				slot->tts_values[i] = (Datum) 0;
				slot->tts_isnull[i] = true;
			}
		}
		ExecStoreVirtualTuple(slot);

		AfterTriggerBeginQuery();

		/* 2. BEFORE ROW triggers */
		if (rri->ri_TrigDesc && rri->ri_TrigDesc->trig_insert_before_row &&
			!ExecBRInsertTriggers(estate, rri, slot))
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("a BEFORE INSERT trigger on \"%s.%s\" skipped the entry",
							TE_SCHEMA, TE_TABLE),
					 errdetail("The time_entry functions cannot report an entry that was not written.")));

		/* 3. constraints, with the checks compiled as they are now */
		slot->tts_tableOid = RelationGetRelid(rel);
		check_constraints(c, rri, slot, estate);

		/* 4. heap and indexes */
		table_tuple_insert(rel, slot, GetCurrentCommandId(true), 0, NULL);
		if (rri->ri_NumIndices > 0)
			recheck = te_insert_index_tuples(rri, slot, estate);

		/* 5. AFTER ROW triggers, run at the end of the row's statement */
		ExecARInsertTriggers(estate, rri, slot, recheck, NULL);
		list_free(recheck);
		AfterTriggerEndQuery(estate);
	}
	PG_FINALLY();
	{
		compiled_release(c, rri);
	}
	PG_END_TRY();

	MemoryContextSwitchTo(caller);
	te_row_from_slot(slot, stored);
	if (tuple)
		*tuple = ExecCopySlotHeapTuple(slot);
	ExecClearTuple(slot);
	ResetPerTupleExprContext(estate);
}

/* Is column att of the row in slot the uuid want? */
static bool
slot_uuid_is(TupleTableSlot *slot, AttrNumber att, const pg_uuid_t *want)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);

	return !isnull && te_uuid_eq(DatumGetUUIDP(d), want);
}

/*
 * Update the row at tid: the version this transaction has locked (FOR
 * UPDATE, in its current subtransaction), which must be the one the
 * active snapshot -- the UPDATE's, taken by the caller after advancing
 * the command counter -- shows as entry values->id of workspace
 * values->workspace_id.  Its columns user_id .. is_billed become values';
 * the others keep theirs.  What the executor's UPDATE of that row does
 * (ExecUpdate in nodeModifyTable.c), step by step:
 *
 *	1. the BEFORE ROW triggers (the audit trigger), which may change the
 *	   new row or skip it; they lock the row again, as they do under an
 *	   UPDATE, and since this transaction holds the lock already and the
 *	   version is the latest, there is no newer version to follow (the
 *	   executor's EvalPlanQual is never needed, so none is set up);
 *	2. the constraints as they are now (NOT NULL and every CHECK,
 *	   compiled once as for the direct insert);
 *	3. the heap update with the current command id, then the index
 *	   entries of the new version unless it is a heap-only one;
 *	4. the AFTER ROW triggers (the foreign keys' checks, queued only where
 *	   a key changed), run at the end of the row's "statement".
 *
 * Returns 1 (updated, *stored filled from the row as stored), 0 (a BEFORE
 * trigger skipped it, or a function run by it already updated it in this
 * command, where the executor's UPDATE returns no row too), or -1 when
 * the version at tid is not the one the UPDATE would find (not visible,
 * or not that entry): then nothing has been done, and the caller runs the
 * UPDATE query instead.
 */
int
te_direct_update(TeDirect *d, ItemPointer tid, const TeRow *values, TeRow *stored)
{
	MemoryContext caller = CurrentMemoryContext;
	EState	   *estate = d->estate;
	ResultRelInfo *rri = d->rri;
	Relation	rel = rri->ri_RelationDesc;
	TupleDesc	desc = RelationGetDescr(rel);
	TupleTableSlot *slot = d->slot;
	TupleTableSlot *old = d->old;
	ItemPointerData otid = *tid;
	Compiled   *volatile c;		/* read in PG_FINALLY */
	volatile int answer = 1;

	estate->es_snapshot = GetActiveSnapshot();
	estate->es_output_cid = GetCurrentCommandId(true);
	if (!table_tuple_fetch_row_version(rel, &otid, estate->es_snapshot, old))
		return -1;
	if (!slot_uuid_is(old, d->map[TE_C_ID], &values->id) ||
		!slot_uuid_is(old, d->map[TE_C_WORKSPACE_ID], &values->workspace_id))
	{
		ExecClearTuple(old);
		return -1;
	}

	MemoryContextSwitchTo(estate->es_query_cxt);
	ResetPerTupleExprContext(estate);
	c = compiled_hold(rel);
	PG_TRY();
	{
		ExprContext *econtext = GetPerTupleExprContext(estate);
		Datum		written[TE_NWRITTEN];
		char		nulls[TE_NWRITTEN];
		EPQState	epq;
		TM_FailureData tmfd;
		TM_Result	result;
		int			indexes = TE_INDEXES_NONE;
		List	   *recheck = NIL;

		/* the row as it is, with the SET list's columns replaced */
		slot_getallattrs(old);
		ExecClearTuple(slot);
		memcpy(slot->tts_values, old->tts_values, sizeof(Datum) * desc->natts);
		memcpy(slot->tts_isnull, old->tts_isnull, sizeof(bool) * desc->natts);
		MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
		te_row_values(values, written, nulls);
		MemoryContextSwitchTo(estate->es_query_cxt);
		for (int col = 0; col < TE_NUPDATED; col++)
		{
			AttrNumber	att = d->map[TE_C_USER_ID + col];

			slot->tts_values[att - 1] = written[col];
			slot->tts_isnull[att - 1] = nulls[col] == 'n';
		}
		ExecStoreVirtualTuple(slot);
		ExecMaterializeSlot(slot);
		ExecClearTuple(old);

		AfterTriggerBeginQuery();

		/* 1. BEFORE ROW triggers */
		memset(&epq, 0, sizeof(epq));
		memset(&tmfd, 0, sizeof(tmfd));
		if (rri->ri_TrigDesc && rri->ri_TrigDesc->trig_update_before_row &&
			!te_br_update_triggers(estate, &epq, rri, &otid, slot, &tmfd))
			answer = 0;
		else
		{
			/* 2. constraints, with the checks compiled as they are now */
			slot->tts_tableOid = RelationGetRelid(rel);
			ExecMaterializeSlot(slot);
			check_constraints(c, rri, slot, estate);

			/* 3. heap and indexes */
			result = te_tuple_update(rel, &otid, slot, estate->es_output_cid,
									 estate->es_snapshot, &tmfd, &indexes);
			switch (result)
			{
				case TM_Ok:
					break;
				case TM_SelfModified:
					/* as ExecUpdate answers */
					if (tmfd.cmax != estate->es_output_cid)
						ereport(ERROR,
								(errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
								 errmsg("tuple to be updated was already modified by an operation triggered by the current command"),
								 errhint("Consider using an AFTER trigger instead of a BEFORE trigger to propagate changes to other rows.")));
					answer = 0;
					break;
				default:
					/* the lock this transaction holds excludes the rest */
					elog(ERROR, "unexpected table_tuple_update status %u for a locked row",
						 result);
			}
			if (answer == 1)
			{
				if (rri->ri_NumIndices > 0 && indexes != TE_INDEXES_NONE)
					recheck = te_update_index_tuples(rri, slot, estate, indexes);

				/* 4. AFTER ROW triggers, run at the end of the row's statement */
				ExecARUpdateTriggers(estate, rri, NULL, NULL, &otid, NULL, slot,
									 recheck, NULL, false);
				list_free(recheck);
			}
		}
		AfterTriggerEndQuery(estate);
	}
	PG_FINALLY();
	{
		compiled_release(c, rri);
	}
	PG_END_TRY();

	MemoryContextSwitchTo(caller);
	if (answer == 1)
		te_row_from_slot(slot, stored);
	ExecClearTuple(slot);
	ResetPerTupleExprContext(estate);
	return answer;
}
