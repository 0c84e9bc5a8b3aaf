/*
 * store.c
 *		Rows into and out of time_entries, through PostgreSQL's own
 *		machinery.
 *
 * A row the functions write must be exactly the row an INSERT (UPDATE,
 * DELETE) of the same values would write, with the same effects, whatever
 * the owner has done to the table: columns added with defaults, generated
 * columns, CHECK constraints, triggers of every kind, row-level security,
 * partitioning.  So every write goes through the executor, as a kept plan
 * run through SPI:
 *
 *	INSERT INTO time_entry.time_entries (user_id, ...) VALUES ($1, ...)
 *		RETURNING *
 *	UPDATE time_entry.time_entries SET (user_id, ...) = ($2, ...)
 *		WHERE id = $1 RETURNING *
 *	DELETE FROM time_entry.time_entries WHERE id = $1 RETURNING *
 *
 * One call of a create face is one INSERT statement (its statement
 * triggers fire once); one call of import_entries is one INSERT statement
 * for all its rows, which pulls them one by one from te_import_rows (see
 * te_insert_all).  The response is built from what RETURNING shows, so a
 * value a BEFORE trigger changed is reported as stored.
 *
 * One shortcut, for speed: an INSERT of an entry that is not running and
 * names no id, into the table exactly as the extension created it, is made
 * directly (direct.c), the way COPY inserts a row, without starting an
 * executor.  That shape is decided from the relation itself (shape_of):
 * a plain table, not a partition, without rules, its own columns only
 * (none generated or identity, none with a type modifier), no triggers
 * but the audit trigger and the internal ones of foreign keys (so no
 * statement triggers, no transition tables), and no
 * row-level security for the current user, who holds INSERT on it.  For
 * that shape the direct insert does everything the executor would: the
 * defaults of the columns not given, the BEFORE ROW trigger, every CHECK
 * and NOT NULL constraint as it is now, the heap, every index (also ones
 * the owner added: unique, exclusion, partial, expression), the AFTER ROW
 * triggers of the foreign keys, the read-only check.  Likewise the UPDATE
 * of update_entry and stop_timer, of a row the call has locked directly
 * (lock_entry_directly) on that shape: the row's BEFORE trigger, the
 * constraints, the heap and the index entries of the new version, the
 * AFTER triggers (update_directly).  Every other shape,
 * and every row when time_entry.write_path = 'executor', takes the
 * executor; the test suite runs on both (test/run.sh).  The decision is
 * remade when the relcache entry of time_entries is invalidated, and is
 * taken with the table locked: the OID used is the one the name resolved
 * to under the lock, never a cached one.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "compat.h"
#include "time_entry.h"

/* ---- SPI ---- */

/* Prepare and keep a plan for the life of the backend. */
SPIPlanPtr
te_keep_plan(const char *sql, int nargs, Oid *argtypes)
{
	MemoryContext caller = CurrentMemoryContext;
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

	MemoryContextSwitchTo(caller);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	return plan;
}

/*
 * Run a kept plan and return SPI's result code.  SPI leaves its own
 * procedure context current after a call; the caller's context is restored
 * so that what the caller allocates survives SPI_finish.  With latest, the
 * query sees the latest committed state instead of the transaction's
 * snapshot (for the conflict checks under REPEATABLE READ).  tcount: the
 * rows to fetch, 0 for all (a locking query locks only the rows it
 * fetches; a writing one fires its AFTER STATEMENT triggers only when run
 * to the end).
 *
 * The functions that run these are declared SET jit = off: the queries are
 * index probes of a few rows, and JIT compiling one (an estimate over a
 * never-analysed table can exceed jit_above_cost) costs tens of
 * milliseconds and never pays.
 */
int
te_execute(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
		   bool latest, uint64 tcount)
{
	MemoryContext caller = CurrentMemoryContext;
	int			rc;

	if (latest)
		rc = SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(),
								  InvalidSnapshot, read_only, false, tcount);
	else
		rc = SPI_execute_plan(plan, values, nulls, read_only, tcount);
	MemoryContextSwitchTo(caller);
	return rc;
}

/*
 * The functions' own reads of time_entries and the directory (an entry by
 * id, a user's running entry, a user's entries around an instant, a list
 * by user, project and day) are index probes, and must stay so whatever
 * the statistics say: planned over a table that was last analysed or
 * vacuumed empty, and filled since by a bulk import, each probe would be a
 * sequential scan, and an import with prevent_overlaps on quadratic.  So
 * they are planned and run with enable_seqscan = off, set the way a
 * function's SET clause sets it (a GUC nest level, undone when the probe
 * ends or by the abort of an error), for the probe only: the writes and
 * the triggers they fire plan as any statement would.
 */
int
te_probe_begin(void)
{
	int			nest = NewGUCNestLevel();

	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

void
te_probe_end(int nest)
{
	AtEOXact_GUC(true, nest);
}

/* te_execute of a probe (see te_probe_begin). */
int
te_execute_probe(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
				 bool latest, uint64 tcount)
{
	int			nest = te_probe_begin();
	int			rc = te_execute(plan, values, nulls, read_only, latest, tcount);

	te_probe_end(nest);
	return rc;
}

/* ---- the shape of time_entries ---- */

/*
 * What the shape of time_entries allows, decided from its relcache entry
 * and kept until that entry is invalidated.
 */
typedef struct Shape
{
	bool		valid;
	Oid			relid;
	bool		direct;			/* the direct insert may serve it */
	char	   *why_not;		/* else why not, for time_entry.insert_path() */
	bool		running_index;	/* "one running entry per user" is there */
	Oid			running_index_oid;	/* ... which is this one */
	bool		id_index;		/* a unique index on (id) alone */
	Oid			id_index_oid;	/* ... which is this one */
	AttrNumber	workspace_att;	/* the column workspace_id */
} Shape;

static Shape shape = {false};
static bool shape_callback = false;

static void
shape_invalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == shape.relid)
		shape.valid = false;
}

/* Is this trigger the extension's audit trigger? */
static bool
is_audit_trigger(const Trigger *tg, Oid nsp)
{
	char	   *name = get_func_name(tg->tgfoid);

	return name != NULL && strcmp(name, "audit_trigger") == 0 &&
		get_func_namespace(tg->tgfoid) == nsp &&
		TRIGGER_FOR_ROW(tg->tgtype) && TRIGGER_FOR_BEFORE(tg->tgtype) &&
		tg->tgqual == NULL && tg->tgnattr == 0;
}

/* Decide the shape of rel (locked); the result in shape. */
static void
shape_compute(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	TriggerDesc *td = rel->trigdesc;
	Oid			nsp = RelationGetNamespace(rel);
	int			ncols = 0;
	List	   *indexes;
	ListCell   *lc;
	char	   *why_not = NULL;

	if (!shape_callback)
	{
		CacheRegisterRelcacheCallback(shape_invalidate, (Datum) 0);
		shape_callback = true;
	}

	if (rel->rd_rel->relkind != RELKIND_RELATION)
		why_not = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE
			? "the table is partitioned" : "it is not a plain table";
	else if (rel->rd_rel->relispartition)
		why_not = "the table is a partition of another";
	else if (rel->rd_rel->relhasrules)
		why_not = "the table has rules";

	for (int i = 0; why_not == NULL && i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		known = false;

		if (att->attisdropped)
			continue;
		if (att->attgenerated)
			why_not = psprintf("column \"%s\" is generated", NameStr(att->attname));
		else if (att->attidentity)
			why_not = psprintf("column \"%s\" is an identity column", NameStr(att->attname));
		else if (att->atttypmod != -1)
			why_not = psprintf("column \"%s\" has a type modifier", NameStr(att->attname));
		for (int c = 0; c < TE_C__COUNT && !known; c++)
			known = strcmp(NameStr(att->attname), te_column_name(c)) == 0 &&
				att->atttypid == te_column_type(c);
		if (!known && why_not == NULL)
			why_not = psprintf("column \"%s\" is not one the extension created",
							   NameStr(att->attname));
		ncols++;
	}
	if (why_not == NULL && ncols != TE_C__COUNT)
		why_not = "columns of the extension are missing";

	for (int i = 0; why_not == NULL && td != NULL && i < td->numtriggers; i++)
	{
		Trigger    *tg = &td->triggers[i];

		if (!tg->tgisinternal && !is_audit_trigger(tg, nsp))
			why_not = psprintf("the table has a trigger \"%s\" of its own", tg->tgname);
	}

	shape.running_index = false;
	shape.id_index = false;
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Oid			index = lfirst_oid(lc);
		char	   *name = get_rel_name(index);
		Relation	ir = index_open(index, AccessShareLock);

		if (ir->rd_index->indisunique && ir->rd_index->indisvalid)
		{
			if (name && strcmp(name, "time_entries_one_running_per_user") == 0)
			{
				shape.running_index = true;
				shape.running_index_oid = index;
			}
			if (ir->rd_index->indnkeyatts == 1 &&
				ir->rd_index->indkey.values[0] > 0 &&
				strcmp(NameStr(TupleDescAttr(desc, ir->rd_index->indkey.values[0] - 1)->attname),
					   "id") == 0 &&
				RelationGetIndexPredicate(ir) == NIL &&
				RelationGetIndexExpressions(ir) == NIL)
			{
				shape.id_index = true;
				shape.id_index_oid = index;
			}
		}
		index_close(ir, AccessShareLock);
	}
	list_free(indexes);

	shape.workspace_att = get_attnum(RelationGetRelid(rel), "workspace_id");
	shape.relid = RelationGetRelid(rel);
	shape.direct = (why_not == NULL);
	if (shape.why_not)
		pfree(shape.why_not);
	shape.why_not = why_not ? MemoryContextStrdup(TopMemoryContext, why_not) : NULL;
	shape.valid = true;
}

/*
 * Lock time_entries (for writing: RowExclusiveLock) and open it; the shape
 * is current when this returns.  The relation is resolved by name under
 * the lock.
 */
static Relation
open_entries(LOCKMODE lockmode)
{
	RangeVar   *rv = makeRangeVar(TE_SCHEMA, TE_TABLE, -1);
	Relation	rel = table_open(RangeVarGetRelidExtended(rv, lockmode,
														  0, NULL, NULL),
								 NoLock);

	if (!shape.valid || shape.relid != RelationGetRelid(rel))
		shape_compute(rel);
	return rel;
}

/*
 * May this backend insert into rel directly now?  The shape allows it,
 * the setting does not forbid it, and what depends on the current user
 * (it runs as the functions' owner) holds: INSERT and SELECT privileges
 * on the table (the executor's INSERT ... RETURNING * needs both), and no
 * row-level security.  Else *why (if given) says why not.
 */
static bool
may_insert_directly(Relation rel, const char **why)
{
	Oid			relid = RelationGetRelid(rel);
	const char *reason = NULL;

	if (!shape.direct)
		reason = shape.why_not;
	else if (te_write_path == TE_WRITE_EXECUTOR)
		reason = "time_entry.write_path is \"executor\"";
	else if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
		reason = "row-level security applies";
	else if (pg_class_aclmask(relid, GetUserId(), ACL_INSERT | ACL_SELECT,
							  ACLMASK_ALL) != (ACL_INSERT | ACL_SELECT))
		reason = "the current user lacks INSERT or SELECT on the table";
	if (why)
		*why = reason;
	return reason == NULL;
}

/*
 * SELECT time_entry.insert_path();
 *
 * How an entry is inserted now, and why: "direct", or "executor: <why>".
 * For an owner who wonders why an import slowed down after a change to
 * the table.
 */
const char *
te_insert_path(void)
{
	Relation	rel = open_entries(AccessShareLock);
	const char *why;
	const char *result;

	result = may_insert_directly(rel, &why) ? "direct"
		: psprintf("executor: %s", why);
	table_close(rel, NoLock);
	return result;
}

/*
 * Serialise the requests that name one request id (SPEC 9.6), before the
 * one that comes second looks for the entry the first may be making.  Two
 * first requests with the same id for different users (whose locks do not
 * serialise them) would otherwise both find no entry and both insert: on
 * a table without a unique index on (id) alone (a partitioned one, whose
 * primary key is (id, date_local)) two entries with one id, and on any
 * table a raw unique violation for an insert that has no ON CONFLICT (id)
 * (the rows of import_entries on the executor path, which all go into one
 * INSERT ... SELECT).  The lock is an advisory one of the extension's own
 * (not one SQL can take: its last key field is neither 1 nor 2, the classes
 * of pg_advisory_xact_lock), held to the end of the transaction, so the
 * second request waits until the first has committed or rolled back and
 * then finds its entry, or none.
 */
#define TE_ADVISORY_CLASS 0x5445

void
te_lock_request_id(const pg_uuid_t *id)
{
	LOCKTAG		tag;
	uint32		key1,
				key2;

	memcpy(&key1, id->data, 4);
	memcpy(&key2, id->data + 4, 4);
	key1 ^= ((uint32) id->data[8] << 24) | ((uint32) id->data[9] << 16) |
		((uint32) id->data[10] << 8) | id->data[11];
	key2 ^= ((uint32) id->data[12] << 24) | ((uint32) id->data[13] << 16) |
		((uint32) id->data[14] << 8) | id->data[15];
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, key1, key2, TE_ADVISORY_CLASS);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/* ---- inserting ---- */

/*
 * The INSERT statements, by whether the id is given and what a conflict on
 * a unique index does: nothing else (PLAIN), or nothing at all, on the
 * running-entry index (RUNNING) or on the id (ID), so that the caller
 * reports the rule of SPEC 4.6 or 9.6 instead of a unique violation.
 */
typedef enum
{
	INS_PLAIN,
	INS_RUNNING,
	INS_ID,
	INS__COUNT
} InsertKind;

static const char *const insert_conflict[INS__COUNT] = {
	[INS_PLAIN] = "",
	[INS_RUNNING] = " ON CONFLICT (user_id) WHERE start_at IS NOT NULL AND end_at IS NULL DO NOTHING",
	[INS_ID] = " ON CONFLICT (id) DO NOTHING",
};

static SPIPlanPtr insert_plans[2][INS__COUNT];

/*
 * The column list of the written columns up to last (TE_C_LAST_WRITTEN for
 * an insert, TE_C_LAST_UPDATED for an update), with id first when given.
 */
static char *
column_list(bool with_id, TeColumn last)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (with_id)
		appendStringInfoString(&buf, "id, ");
	for (int c = TE_C_USER_ID; c <= (int) last; c++)
		appendStringInfo(&buf, "%s%s", te_column_name(c), c < (int) last ? ", " : "");
	return buf.data;
}

static SPIPlanPtr
insert_plan(bool with_id, InsertKind kind)
{
	if (insert_plans[with_id][kind] == NULL)
	{
		Oid			types[TE_NWRITTEN + 1];
		StringInfoData sql;
		int			n = 0;

		initStringInfo(&sql);
		appendStringInfo(&sql, "INSERT INTO %s.%s (%s) VALUES (", TE_SCHEMA,
						 TE_TABLE, column_list(with_id, TE_C_LAST_WRITTEN));
		if (with_id)
			types[n++] = UUIDOID;
		for (int c = TE_C_USER_ID; c <= TE_C_LAST_WRITTEN; c++)
			types[n++] = te_column_type(c);
		for (int i = 1; i <= n; i++)
			appendStringInfo(&sql, "$%d%s", i, i < n ? ", " : ")");
		appendStringInfo(&sql, "%s RETURNING *", insert_conflict[kind]);
		insert_plans[with_id][kind] = te_keep_plan(sql.data, n, types);
	}
	return insert_plans[with_id][kind];
}

/*
 * An INSERT through the executor (see the file comment).  Fills *stored
 * (and *tuple, a copy) from the returned row; returns false when ON
 * CONFLICT DO NOTHING left the row out.
 */
static bool
insert_by_executor(const TeRow *values, bool has_id, InsertKind kind,
				   TeRow *stored, HeapTuple *tuple)
{
	Datum		datums[TE_NWRITTEN + 1];
	char		nulls[TE_NWRITTEN + 1];
	int			rc;

	if (has_id)
	{
		datums[0] = UUIDPGetDatum((pg_uuid_t *) &values->id);
		nulls[0] = ' ';
	}
	te_row_values(values, datums + has_id, nulls + has_id);
	rc = te_execute(insert_plan(has_id, kind), datums, nulls, false, false, 0);
	if (rc != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
	{
		if (kind == INS_PLAIN)
			ereport(ERROR,
					(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
					 errmsg("a BEFORE INSERT trigger on \"%s.%s\" skipped the entry",
							TE_SCHEMA, TE_TABLE),
					 errdetail("The time_entry functions cannot report an entry that was not written.")));
		return false;
	}
	te_row_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, stored);
	if (tuple)
		*tuple = heap_copytuple(SPI_tuptable->vals[0]);
	SPI_freetuptable(SPI_tuptable);
	return true;
}

/*
 * time_entries open for inserting across the calls of one statement:
 * try_create_entry over a staging table, the rows of one import_entries.
 * The path is decided at the first row and kept for the statement; a
 * direct one keeps the table open, as an INSERT statement does, until the
 * statement's executor ends (a shutdown callback on an expression context
 * of the statement's executor state, which core calls at ExecutorEnd, and
 * never on an error: then the transaction's abort releases the relation
 * and the memory, as for any INSERT cut short).
 */
struct TeInserter
{
	MemoryContext cxt;			/* the statement's memory */
	bool		decided;
	bool		direct;
	bool		running_index;
	bool		id_index;
	TeDirect   *d;				/* direct: the open table */
};

static void
inserter_shutdown(Datum arg)
{
	TeInserter *ins = (TeInserter *) DatumGetPointer(arg);

	if (ins->d)
		te_direct_close(ins->d);
	ins->d = NULL;
	ins->decided = false;
}

/*
 * An inserter for the calls of one statement, in cxt.  rsinfo: a
 * set-returning call's, whose executor state tells when the statement
 * ends (the inserter then closes itself); NULL: the caller closes it with
 * te_inserter_close (import_entries, at the end of its call).  An error
 * needs neither: the abort releases what it holds.
 */
TeInserter *
te_inserter_create(MemoryContext cxt, ReturnSetInfo *rsinfo)
{
	TeInserter *ins = MemoryContextAllocZero(cxt, sizeof(TeInserter));

	ins->cxt = cxt;
	if (rsinfo && rsinfo->econtext && rsinfo->econtext->ecxt_estate)
	{
		ExprContext *own = CreateExprContext(rsinfo->econtext->ecxt_estate);

		RegisterExprContextCallback(own, inserter_shutdown, PointerGetDatum(ins));
	}
	return ins;
}

/* Close an inserter made without rsinfo. */
void
te_inserter_close(TeInserter *ins)
{
	inserter_shutdown(PointerGetDatum(ins));
}

/* Decide the path of an inserter, opening the table directly if it may. */
static void
inserter_decide(TeInserter *ins)
{
	Relation	rel = open_entries(RowExclusiveLock);

	ins->direct = may_insert_directly(rel, NULL);
	ins->running_index = shape.running_index;
	ins->id_index = shape.id_index;
	if (ins->direct)
	{
		/* what the executor checks before any INSERT */
		if (!isTempNamespace(RelationGetNamespace(rel)))
			PreventCommandIfReadOnly("INSERT");
		PreventCommandIfParallelMode("INSERT");
		ins->d = te_direct_open(RelationGetRelid(rel), ins->cxt, CMD_INSERT);
	}
	table_close(rel, NoLock);
	ins->decided = true;
}

/*
 * Insert one approved entry written by actor: values holds the written
 * columns (and the id, when has_id).  Fills *stored from the row as
 * stored, and *tuple (if not NULL) with a copy of it.  Returns
 * TE_CONFLICT_RUNNING or TE_CONFLICT_ID, writing nothing, when a unique
 * index on those refused it.  ins: the statement's inserter, or NULL for a
 * single call.  The caller is connected to SPI.
 */
TeInsertResult
te_insert(const TeRow *values, bool has_id, const pg_uuid_t *actor,
		  TeInserter *ins, TeRow *stored, HeapTuple *tuple)
{
	TeInserter	local = {0};
	TeActorScope saved;
	volatile TeInsertResult result = TE_INSERTED;
	bool		running = values->has_start && !values->has_end;
	TeInserter *volatile use = ins ? ins : &local;	/* read after PG_TRY */

	local.cxt = CurrentMemoryContext;
	if (!use->decided)
		inserter_decide(use);

	te_actor_enter(actor, &saved);
	PG_TRY();
	{
		if (use->direct && !running && !has_id)
		{
			te_direct_insert(use->d, values, has_id, stored, tuple);
			elog(DEBUG1, "time_entry: entry inserted directly");
		}
		else
		{
			InsertKind	kind = INS_PLAIN;

			if (has_id && use->id_index)
				kind = INS_ID;
			else if (running && use->running_index)
				kind = INS_RUNNING;
			if (!insert_by_executor(values, has_id, kind, stored, tuple))
				result = kind == INS_ID ? TE_CONFLICT_ID : TE_CONFLICT_RUNNING;
		}
	}
	PG_FINALLY();
	{
		te_actor_leave(&saved);
	}
	PG_END_TRY();

	if (use == &local && local.d)
		te_direct_close(local.d);

	/* later checks of this statement see the row */
	CommandCounterIncrement();
	return result;
}

/* Will this inserter insert directly (deciding now if it has not yet)? */
bool
te_inserter_direct(TeInserter *ins)
{
	if (!ins->decided)
		inserter_decide(ins);
	return ins->direct;
}

/*
 * All the rows of one import_entries call as one INSERT statement, on the
 * executor path: next() is asked for the rows one at a time, as the
 * executor pulls them (through te_import_rows), so that each is checked
 * after the rows before it are in the table; done() is then told each
 * stored row, in order.  The id of a row that gives none is the column's
 * default, evaluated as the INSERT would.  actor: the rows' actor, or NULL
 * for the setting's.
 */
typedef struct ImportSource
{
	TeNextRow	next;
	void	   *arg;
	ExprState  *id_default;		/* NULL: the column has none */
	EState	   *estate;
	int			pulled;
} ImportSource;

static ImportSource *import_source = NULL;

static SPIPlanPtr import_plan = NULL;

void
te_insert_all(TeNextRow next, TeStoredRow done, void *arg,
			  const pg_uuid_t *actor)
{
	ImportSource src = {0};
	ImportSource *outer = import_source;
	TeActorScope saved;
	Relation	rel = open_entries(RowExclusiveLock);
	AttrNumber	map[TE_C__COUNT];
	Expr	   *defexpr;
	volatile int rc = 0;

	te_column_map(RelationGetDescr(rel), map);
	src.next = next;
	src.arg = arg;
	src.estate = CreateExecutorState();
	defexpr = (Expr *) build_column_default(rel, map[TE_C_ID]);
	if (defexpr)
		src.id_default = ExecPrepareExpr(defexpr, src.estate);
	table_close(rel, NoLock);

	if (import_plan == NULL)
	{
		StringInfoData sql;

		initStringInfo(&sql);
		appendStringInfo(&sql, "INSERT INTO %s.%s (%s) SELECT (s.r).id",
						 TE_SCHEMA, TE_TABLE, column_list(true, TE_C_LAST_WRITTEN));
		for (int c = TE_C_USER_ID; c <= TE_C_LAST_WRITTEN; c++)
			appendStringInfo(&sql, ", (s.r).%s", te_column_name(c));
		appendStringInfo(&sql, " FROM (SELECT %s.import_rows() AS r OFFSET 0) AS s"
						 " RETURNING *", TE_SCHEMA);
		import_plan = te_keep_plan(sql.data, 0, NULL);
	}

	import_source = &src;
	if (actor)
		te_actor_enter(actor, &saved);
	PG_TRY();
	{
		rc = te_execute(import_plan, NULL, NULL, false, false, 0);
	}
	PG_FINALLY();
	{
		if (actor)
			te_actor_leave(&saved);
		import_source = outer;
	}
	PG_END_TRY();
	if (rc != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed != (uint64) src.pulled)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("a BEFORE INSERT trigger on \"%s.%s\" skipped an entry",
						TE_SCHEMA, TE_TABLE),
				 errdetail("The time_entry functions cannot report an entry that was not written.")));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		TeRow		row;

		te_row_from_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &row);
		done(arg, (int) i, &row);
	}
	SPI_freetuptable(SPI_tuptable);
	FreeExecutorState(src.estate);
	CommandCounterIncrement();
}

PG_FUNCTION_INFO_V1(te_import_rows);

/*
 * INSERT INTO time_entry.time_entries (...)
 *	 SELECT (s.r).id, ... FROM (SELECT time_entry.import_rows() AS r OFFSET 0) s
 *
 * The rows of the import in progress (te_insert_all), one per call, asked
 * for as the executor inserts the ones before: value-per-call, so that
 * nothing is read ahead.  Not for direct use.
 */
Datum
te_import_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ImportSource *src = import_source;
	TupleDesc	desc;
	TeRow		row;
	bool		has_id = false;
	AttrNumber	map[TE_C__COUNT];
	Datum	   *values;
	bool	   *nulls;
	Datum		written[TE_NWRITTEN];
	char		cnulls[TE_NWRITTEN];

	if (src == NULL || rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function \"%s\" is internal to import_entries",
						"time_entry.import_rows")));
	/* the rows inserted so far are seen by the checks of the next */
	CommandCounterIncrement();
	if (!src->next(src->arg, &row, &has_id))
	{
		rsinfo->isDone = ExprEndResult;
		PG_RETURN_NULL();
	}
	src->pulled++;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	te_column_map(desc, map);
	values = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
		nulls[i] = true;
	te_row_values(&row, written, cnulls);
	for (int c = 0; c < TE_NWRITTEN; c++)
	{
		values[map[TE_C_USER_ID + c] - 1] = written[c];
		nulls[map[TE_C_USER_ID + c] - 1] = cnulls[c] == 'n';
	}
	if (has_id)
	{
		values[map[TE_C_ID] - 1] = UUIDPGetDatum(&row.id);
		nulls[map[TE_C_ID] - 1] = false;
	}
	else if (src->id_default)
	{
		ExprContext *econtext = GetPerTupleExprContext(src->estate);
		bool		isnull;
		Datum		d = ExecEvalExprSwitchContext(src->id_default, econtext, &isnull);

		if (!isnull)
		{
			pg_uuid_t  *id = palloc(sizeof(pg_uuid_t));

			*id = *DatumGetUUIDP(d);
			values[map[TE_C_ID] - 1] = UUIDPGetDatum(id);
			nulls[map[TE_C_ID] - 1] = false;
		}
		ResetExprContext(econtext);
	}
	rsinfo->isDone = ExprMultipleResult;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc),
													  values, nulls)));
}

/* ---- updating, deleting and reading ---- */

static SPIPlanPtr update_plan = NULL;
static SPIPlanPtr delete_plan = NULL;
static SPIPlanPtr read_plans[2][2][2];	/* [lock][latest][in a workspace] */
static SPIPlanPtr running_plan = NULL;

/*
 * The row lock_entry_directly locked last: the version, and the
 * (sub)transaction whose lock it is.  te_update updates that version
 * directly when it is still the one its UPDATE would find.
 */
static struct
{
	Oid			relid;
	ItemPointerData tid;
	TransactionId xid;
}			locked;

static bool update_by_executor(const TeRow *values, const pg_uuid_t *actor,
							   TeRow *stored);

/*
 * The UPDATE of te_update without the query, where it may be done
 * directly (direct.c): the table as the extension made it (the shape of
 * the direct insert, with its unique index on id, so that the one row
 * locked is the only row the UPDATE's WHERE id = $1 could reach),
 * time_entry.write_path not "executor", the row locked directly by this
 * (sub)transaction (lock_entry_directly, so the
 * conditions of te_direct_lock_allowed held), and those conditions still
 * holding: no inheritance children, no row-level security, SELECT and
 * UPDATE on the table -- what the executor's UPDATE ... RETURNING * needs.
 * As the query would, it runs after advancing the command counter, with a
 * new snapshot; the row it updates is the locked version only if that
 * snapshot shows it as the entry asked for, as the query would find it
 * (else the query runs).  True when done, *found telling whether the row
 * was changed (not skipped by a trigger).
 */
static bool
update_directly(const TeRow *values, const pg_uuid_t *actor, TeRow *stored,
				bool *found)
{
	Relation	rel = open_entries(RowExclusiveLock);
	TeActorScope saved;
	TeDirect   *d;
	volatile int answer = -1;
	bool		may;

	may = shape.direct && shape.id_index && te_write_path != TE_WRITE_EXECUTOR &&
		locked.relid == RelationGetRelid(rel) &&
		TransactionIdIsValid(locked.xid) &&
		TransactionIdEquals(locked.xid, GetCurrentTransactionIdIfAny()) &&
		te_direct_lock_allowed(rel);
	table_close(rel, NoLock);
	if (!may)
		return false;

	CommandCounterIncrement();
	PushCopiedSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	d = te_direct_open(locked.relid, CurrentMemoryContext, CMD_UPDATE);
	te_actor_enter(actor, &saved);
	PG_TRY();
	{
		answer = te_direct_update(d, &locked.tid, values, stored);
	}
	PG_FINALLY();
	{
		te_actor_leave(&saved);
	}
	PG_END_TRY();
	te_direct_close(d);
	PopActiveSnapshot();
	if (answer < 0)
		return false;
	CommandCounterIncrement();
	*found = answer == 1;
	elog(DEBUG1, "time_entry: entry %s updated directly", te_uuid_text(&values->id));
	return true;
}

/*
 * UPDATE the written columns of entry values->id of workspace
 * values->workspace_id (locked by the caller) to values, as actor; fills
 * *stored from the row as stored.  The workspace keeps the UPDATE to that
 * workspace's row where ids are not unique by themselves (a partitioned
 * table's key includes date_local).  A row the UPDATE does not change
 * (skipped by a BEFORE trigger of the owner's) is an error, as for an
 * insert: there is no change to report.
 */
void
te_update(const TeRow *values, const pg_uuid_t *actor, TeRow *stored)
{
	bool		found;

	if (!update_directly(values, actor, stored, &found))
		found = update_by_executor(values, actor, stored);
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("a BEFORE UPDATE trigger on \"%s.%s\" skipped the change",
						TE_SCHEMA, TE_TABLE),
				 errdetail("Entry %s was not changed; the time_entry functions cannot report a change that was not written.",
						   te_uuid_text(&values->id))));
}

/* te_update through its kept UPDATE ... RETURNING *; false: no row changed */
static bool
update_by_executor(const TeRow *values, const pg_uuid_t *actor, TeRow *stored)
{
	Datum		datums[TE_NWRITTEN + 1];
	char		nulls[TE_NWRITTEN + 1];
	TeActorScope saved;
	volatile int rc = 0;
	bool		found;

	if (update_plan == NULL)
	{
		Oid			types[TE_NUPDATED + 2];
		StringInfoData sql;

		initStringInfo(&sql);
		appendStringInfo(&sql, "UPDATE %s.%s SET (%s) = (", TE_SCHEMA, TE_TABLE,
						 column_list(false, TE_C_LAST_UPDATED));
		types[0] = UUIDOID;
		for (int c = TE_C_USER_ID; c <= TE_C_LAST_UPDATED; c++)
		{
			types[c - TE_C_USER_ID + 1] = te_column_type(c);
			appendStringInfo(&sql, "$%d%s", c - TE_C_USER_ID + 2,
							 c < TE_C_LAST_UPDATED ? ", " : ")");
		}
		types[TE_NUPDATED + 1] = UUIDOID;
		appendStringInfo(&sql, " WHERE id = $1 AND workspace_id = $%d RETURNING *",
						 TE_NUPDATED + 2);
		update_plan = te_keep_plan(sql.data, TE_NUPDATED + 2, types);
	}
	datums[0] = UUIDPGetDatum((pg_uuid_t *) &values->id);
	nulls[0] = ' ';
	/* $2 ... the updated columns, then the workspace (TE_C_WORKSPACE_ID) */
	te_row_values(values, datums + 1, nulls + 1);

	te_actor_enter(actor, &saved);
	PG_TRY();
	{
		rc = te_execute(update_plan, datums, nulls, false, false, 0);
	}
	PG_FINALLY();
	{
		te_actor_leave(&saved);
	}
	PG_END_TRY();
	if (rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	found = SPI_processed > 0;
	if (found)
		te_row_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, stored);
	SPI_freetuptable(SPI_tuptable);
	CommandCounterIncrement();
	return found;
}

/*
 * DELETE entry id of workspace ws; fills *stored from the row as it was.
 */
void
te_delete(const pg_uuid_t *id, const pg_uuid_t *ws, TeRow *stored)
{
	Datum		datums[2];
	int			rc;

	if (delete_plan == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		delete_plan = te_keep_plan(psprintf("DELETE FROM %s.%s WHERE id = $1 AND workspace_id = $2"
											" RETURNING *", TE_SCHEMA, TE_TABLE), 2, types);
	}
	datums[0] = UUIDPGetDatum((pg_uuid_t *) id);
	datums[1] = UUIDPGetDatum((pg_uuid_t *) ws);
	rc = te_execute(delete_plan, datums, NULL, false, false, 0);
	if (rc != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("a BEFORE DELETE trigger on \"%s.%s\" skipped the deletion",
						TE_SCHEMA, TE_TABLE)));
	te_row_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, stored);
	SPI_freetuptable(SPI_tuptable);
	CommandCounterIncrement();
}

/*
 * Fetch one row of a query's result into *row (and a copy into *tuple, if
 * not NULL); false when none.
 */
static bool
fetch_row(int rc, TeRow *row, HeapTuple *tuple)
{
	bool		found;

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	found = SPI_processed > 0;
	if (found)
	{
		te_row_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, row);
		if (tuple)
			*tuple = heap_copytuple(SPI_tuptable->vals[0]);
	}
	SPI_freetuptable(SPI_tuptable);
	return found;
}

/*
 * Find the row of rel (a plain table, locked) whose key in the one-column
 * uuid index index_oid (the unique index on (id), or the running entries'
 * on (user_id)) is key, as snapshot shows it; the row into slot.
 *
 * These reads serve the calls that go on to write the row (update, stop,
 * delete), so the table and its index are locked in the mode the write
 * will take anyway, RowExclusiveLock, rather than first in a weaker one:
 * each mode of each relation is one more lock a transaction holds, and
 * past 16 of them PostgreSQL keeps them in its shared lock table instead
 * of the backend's fast-path slots, where concurrent calls contend.
 */
static bool
find_by_index(Relation rel, Oid index_oid, const pg_uuid_t *id,
			  Snapshot snapshot, TupleTableSlot *slot)
{
	Relation	index = index_open(index_oid, RowExclusiveLock);
	IndexScanDesc scan;
	ScanKeyData key;
	bool		found;

	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   InvalidOid, F_UUID_EQ, UUIDPGetDatum((pg_uuid_t *) id));
	scan = index_beginscan(rel, index, snapshot, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	index_endscan(scan);
	index_close(index, NoLock);
	return found;
}

/* Is the row in slot (of time_entries) one of workspace ws? */
static bool
slot_in_workspace(TupleTableSlot *slot, const pg_uuid_t *ws)
{
	bool		isnull;
	Datum		d;

	if (shape.workspace_att == InvalidAttrNumber)
		return false;
	d = slot_getattr(slot, shape.workspace_att, &isnull);
	return !isnull && te_uuid_eq(DatumGetUUIDP(d), ws);
}

/*
 * Does rel have inheritance children?  A query on it (and the UPDATE or
 * DELETE after it) reads them too, an index of rel does not.  A flag left
 * set after the last child went only sends the call to the query.
 */
static bool
has_children(Relation rel)
{
	return rel->rd_rel->relhassubclass;
}

/*
 * May a row of rel (a plain table, opened and locked) be found by its
 * index and locked without the query that would do it (SELECT ... FOR
 * UPDATE or FOR NO KEY UPDATE)?  Only where the query would read exactly
 * that table as the current user: no inheritance children, no row-level
 * security, and both the SELECT and the UPDATE privileges the query's
 * lock clause needs (pg_class_aclcheck would accept either one).
 */
bool
te_direct_lock_allowed(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);

	return rel->rd_rel->relkind == RELKIND_RELATION &&
		!has_children(rel) &&
		check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED &&
		pg_class_aclmask(relid, GetUserId(), ACL_SELECT | ACL_UPDATE,
						 ACLMASK_ALL) == (ACL_SELECT | ACL_UPDATE);
}

/*
 * SELECT * FROM time_entries WHERE id = $1 FOR UPDATE (or, running, WHERE
 * user_id = $1 AND start_at IS NOT NULL AND end_at IS NULL LIMIT 1 FOR
 * UPDATE; with ws, AND workspace_id = ws, whose row of another workspace
 * is filtered out before it is locked) without a query, for a table with a
 * unique index on (id) (on running entries' user_id) that
 * te_direct_lock_allowed: what the executor's LockRows node does for
 * that query, step by step.  time_entry.write_path = executor leaves it to
 * the query (the general path, which the test suite runs too).  The row is found by
 * the index with the snapshot the query would take, and locked
 * (LockTupleExclusive, waiting for a concurrent writer); in READ COMMITTED
 * the lock follows the row's update chain to its latest version, as the
 * executor's does, and that version must still meet the query's condition
 * (a running entry stopped or given to another user meanwhile no longer
 * does); in REPEATABLE READ a row changed or deleted since the snapshot is
 * a serialization failure.  Returns 1 (locked, *row filled), 0 (no such row,
 * or deleted or stopped meanwhile in READ COMMITTED) or -1: this shape or
 * case is left to the query.
 */
static int
lock_entry_directly(const pg_uuid_t *key, const pg_uuid_t *ws, bool running,
					TeRow *row)
{
	Relation	rel = open_entries(RowExclusiveLock);
	TupleTableSlot *slot;
	Snapshot	snapshot;
	ItemPointerData tid;
	TM_FailureData tmfd;
	TM_Result	result;
	int			answer = 0;

	if (te_write_path == TE_WRITE_EXECUTOR ||
		!(running ? shape.running_index : shape.id_index) ||
		!te_direct_lock_allowed(rel))
	{
		table_close(rel, NoLock);
		return -1;
	}
	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	slot = table_slot_create(rel, NULL);
	if (find_by_index(rel, running ? shape.running_index_oid : shape.id_index_oid,
					  key, snapshot, slot) &&
		(ws == NULL || slot_in_workspace(slot, ws)))
	{
		tid = slot->tts_tid;
		result = table_tuple_lock(rel, &tid, snapshot, slot,
								  GetCurrentCommandId(true), LockTupleExclusive,
								  LockWaitBlock,
								  TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS |
								  (IsolationUsesXactSnapshot() ? 0 :
								   TUPLE_LOCK_FLAG_FIND_LAST_VERSION),
								  &tmfd);
		switch (result)
		{
			case TM_Ok:
				te_row_from_slot(slot, row);

				/*
				 * The version locked (the latest one, in READ COMMITTED)
				 * must still satisfy the query's whole condition, as the
				 * executor rechecks it: the same id, or a running entry of
				 * the same user (a plain UPDATE may have given it to
				 * another).
				 */
				if (running)
					answer = (row->has_user_id && te_uuid_eq(&row->user_id, key) &&
							  te_row_kind(row) == TE_KIND_RUNNING) ? 1 : 0;
				else
					answer = te_uuid_eq(&row->id, key) &&
						(ws == NULL || te_uuid_eq(&row->workspace_id, ws)) ? 1 : 0;
				if (answer == 1)
				{
					locked.relid = RelationGetRelid(rel);
					locked.tid = slot->tts_tid;
					locked.xid = GetCurrentTransactionIdIfAny();
				}
				break;
			case TM_Updated:
			case TM_Deleted:
				if (IsolationUsesXactSnapshot())
					ereport(ERROR,
							(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
							 errmsg("could not serialize access due to concurrent update")));
				if (result == TM_Updated)
					elog(ERROR, "unexpected table_tuple_lock status: %u", result);
				break;			/* deleted meanwhile: no such row */
			default:
				answer = -1;	/* changed by this transaction: the query decides */
				break;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	table_close(rel, NoLock);
	return answer;
}

/*
 * Read entry id into *row (and *tuple, if not NULL); false when there is
 * none.  ws: only an entry of that workspace (an entry of another is as
 * good as missing, and is not locked), or NULL.  lock: FOR UPDATE
 * (in READ COMMITTED, a row changed concurrently is read as it is after
 * the change; in REPEATABLE READ that is a serialization failure).
 * latest: with the latest committed state rather than the snapshot.
 */
bool
te_read_entry(const pg_uuid_t *id, const pg_uuid_t *ws, bool lock, bool latest,
			  TeRow *row, HeapTuple *tuple)
{
	Datum		datums[2];
	bool		in_ws = ws != NULL;

	if (lock)
		locked.relid = InvalidOid;	/* until this lock is taken directly */
	if (lock && !latest && tuple == NULL)
	{
		int			direct = lock_entry_directly(id, ws, false, row);

		if (direct >= 0)
			return direct == 1;
	}

	if (read_plans[lock][latest][in_ws] == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		read_plans[lock][latest][in_ws] =
			te_keep_plan(psprintf("SELECT * FROM %s.%s WHERE id = $1%s%s",
								  TE_SCHEMA, TE_TABLE,
								  in_ws ? " AND workspace_id = $2" : "",
								  lock ? " FOR UPDATE" : ""),
						 in_ws ? 2 : 1, types);
	}
	datums[0] = UUIDPGetDatum((pg_uuid_t *) id);
	if (in_ws)
		datums[1] = UUIDPGetDatum((pg_uuid_t *) ws);
	return fetch_row(te_execute_probe(read_plans[lock][latest][in_ws], datums, NULL,
									  !lock, latest, 1), row, tuple);
}

/*
 * Peek at entry id as the latest committed state shows it, without a lock
 * and without a query: from the unique index on (id) of a plain table,
 * else (a partitioned table) through te_read_entry.  For decisions that
 * come before the row is locked and read again (which locks to take
 * first), by a call that goes on to write it (see find_by_index);
 * row-level security, which applies to what the functions read and
 * return, does not apply here, since nothing peeked at is returned.
 */
bool
te_peek_entry(const pg_uuid_t *id, TeRow *row)
{
	Relation	rel = open_entries(RowExclusiveLock);
	TupleTableSlot *slot;
	Snapshot	snapshot;
	bool		found;

	if (!shape.id_index || rel->rd_rel->relkind != RELKIND_RELATION ||
		has_children(rel))
	{
		table_close(rel, NoLock);
		return te_read_entry(id, NULL, false, true, row, NULL);
	}
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	slot = table_slot_create(rel, NULL);
	found = find_by_index(rel, shape.id_index_oid, id, snapshot, slot);
	if (found)
		te_row_from_slot(slot, row);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	table_close(rel, NoLock);
	return found;
}

/* Read (and lock, FOR UPDATE) the running entry of a user; false if none. */
bool
te_read_running(const pg_uuid_t *user_id, TeRow *row)
{
	Datum		datums[1];
	int			direct;

	locked.relid = InvalidOid;	/* until this lock is taken directly */
	direct = lock_entry_directly(user_id, NULL, true, row);

	if (direct >= 0)
		return direct == 1;

	if (running_plan == NULL)
	{
		Oid			types[1] = {UUIDOID};

		running_plan =
			te_keep_plan(psprintf("SELECT * FROM %s.%s WHERE user_id = $1"
								  " AND start_at IS NOT NULL AND end_at IS NULL"
								  " LIMIT 1 FOR UPDATE", TE_SCHEMA, TE_TABLE),
						 1, types);
	}
	datums[0] = UUIDPGetDatum((pg_uuid_t *) user_id);
	return fetch_row(te_execute_probe(running_plan, datums, NULL, false, false, 1), row, NULL);
}

PG_FUNCTION_INFO_V1(te_insert_path_sql);

/*
 * SELECT time_entry.insert_path();
 */
Datum
te_insert_path_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(te_insert_path()));
}
