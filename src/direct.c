/*
 * direct.c
 *		The direct insert: a row into time_entries the way COPY FROM puts
 *		one there, without starting an executor for a one-row INSERT.
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
 */
#include "postgres.h"

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
#include "utils/memutils.h"
#include "utils/rel.h"

#include "compat.h"
#include "time_entry.h"

struct TeDirect
{
	EState	   *estate;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	AttrNumber	map[TE_C__COUNT];
	int			natts;
	ExprState **defaults;		/* by attribute: its default, or NULL */
};

/*
 * Open time_entries (relid, locked RowExclusive by the caller) for direct
 * inserts, in memory context cxt.
 */
TeDirect *
te_direct_open(Oid relid, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	TeDirect   *d = palloc0(sizeof(TeDirect));
	RangeTblEntry *rte;
	Relation	rel;
	TupleDesc	desc;

	d->estate = CreateExecutorState();
	MemoryContextSwitchTo(d->estate->es_query_cxt);

	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = relid;
	rte->relkind = RELKIND_RELATION;
	rte->rellockmode = RowExclusiveLock;
	te_init_range_table(d->estate, rte);
	d->rri = makeNode(ResultRelInfo);
	ExecInitResultRelation(d->estate, d->rri, 1);
	te_check_valid_insert(d->rri);
	ExecOpenIndices(d->rri, false);

	rel = d->rri->ri_RelationDesc;
	desc = RelationGetDescr(rel);
	d->slot = ExecInitExtraTupleSlot(d->estate, desc, table_slot_callbacks(rel));
	te_column_map(desc, d->map);

	/* the defaults, as COPY prepares them (BeginCopyFrom) */
	d->natts = desc->natts;
	d->defaults = palloc0(sizeof(ExprState *) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		Expr	   *defexpr;

		if (TupleDescAttr(desc, i)->attisdropped)
			continue;
		defexpr = (Expr *) build_column_default(rel, i + 1);
		if (defexpr != NULL)
			d->defaults[i] = ExecInitExpr(expression_planner(defexpr), NULL);
	}

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
	bool		given[MaxTupleAttributeNumber];
	List	   *recheck = NIL;

	MemoryContextSwitchTo(estate->es_query_cxt);
	ResetPerTupleExprContext(estate);
	econtext = GetPerTupleExprContext(estate);

	/* the values the request gives */
	ExecClearTuple(slot);
	memset(given, 0, sizeof(bool) * d->natts);
	MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
	te_row_values(values, written, nulls);
	MemoryContextSwitchTo(estate->es_query_cxt);
	for (int c = 0; c < TE_NWRITTEN; c++)
	{
		AttrNumber	att = d->map[TE_C_USER_ID + c];

		slot->tts_values[att - 1] = written[c];
		slot->tts_isnull[att - 1] = nulls[c] == 'n';
		given[att - 1] = true;
	}
	if (has_id)
	{
		AttrNumber	att = d->map[TE_C_ID];

		slot->tts_values[att - 1] = UUIDPGetDatum((pg_uuid_t *) &values->id);
		slot->tts_isnull[att - 1] = false;
		given[att - 1] = true;
	}

	/* 1. the defaults of the others */
	for (int i = 0; i < d->natts; i++)
	{
		if (given[i])
			continue;
		if (d->defaults[i] != NULL)
			slot->tts_values[i] = ExecEvalExprSwitchContext(d->defaults[i], econtext,
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

	/* 3. constraints; 4. heap and indexes */
	slot->tts_tableOid = RelationGetRelid(rel);
	if (rel->rd_att->constr)
		ExecConstraints(rri, slot, estate);
	table_tuple_insert(rel, slot, GetCurrentCommandId(true), 0, NULL);
	if (rri->ri_NumIndices > 0)
		recheck = te_insert_index_tuples(rri, slot, estate);

	/* 5. AFTER ROW triggers, run at the end of the row's statement */
	ExecARInsertTriggers(estate, rri, slot, recheck, NULL);
	list_free(recheck);
	AfterTriggerEndQuery(estate);

	MemoryContextSwitchTo(caller);
	te_row_from_slot(slot, stored);
	if (tuple)
		*tuple = ExecCopySlotHeapTuple(slot);
	ExecClearTuple(slot);
	ResetPerTupleExprContext(estate);
}
