/*
 * compat.h
 *		The few server interfaces time_entry uses that changed between
 *		PostgreSQL 15 and 17, each behind one name.
 *
 * Everything else the extension calls has kept its signature over these
 * releases; the build checks against PostgreSQL 17's headers as well as
 * 15's (see the README, "Development").
 */
#ifndef TE_COMPAT_H
#define TE_COMPAT_H

#include "access/tableam.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "storage/proc.h"
#include "utils/acl.h"

/* The local id of this backend's current top-level transaction. */
#if PG_VERSION_NUM >= 170000
#define TE_MY_LXID	(MyProc->vxid.lxid)
#else
#define TE_MY_LXID	(MyProc->lxid)
#endif

/* Does role own relation relid?  (pg_class_ownercheck before 16.) */
#if PG_VERSION_NUM >= 160000
#define te_owns_relation(relid, role) \
	object_ownercheck(RelationRelationId, (relid), (role))
#else
#define te_owns_relation(relid, role)	pg_class_ownercheck((relid), (role))
#endif

/* Insert the index entries of a new row (no summarizing-only mode). */
#if PG_VERSION_NUM >= 160000
#define te_insert_index_tuples(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL, false)
#else
#define te_insert_index_tuples(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL)
#endif

/*
 * One relation as the range table of an executor state: an INSERT's
 * (perms ACL_INSERT) or an UPDATE's (ACL_UPDATE | ACL_SELECT, updated the
 * columns it sets, offset by FirstLowInvalidHeapAttributeNumber as in
 * the planner's).  Permissions are checked by the caller.  From 16 on,
 * they live in a list of their own.
 */
static inline void
te_init_range_table(EState *estate, RangeTblEntry *rte, AclMode perms,
					Bitmapset *updated)
{
#if PG_VERSION_NUM >= 160000
	RTEPermissionInfo *perminfo = makeNode(RTEPermissionInfo);

	perminfo->relid = rte->relid;
	perminfo->requiredPerms = perms;
	perminfo->updatedCols = updated;
	rte->perminfoindex = 1;
	ExecInitRangeTable(estate, list_make1(rte), list_make1(perminfo));
#else
	rte->requiredPerms = perms;
	rte->updatedCols = updated;
	ExecInitRangeTable(estate, list_make1(rte));
#endif
}

/* Check that a result relation can take an INSERT (an UPDATE). */
#if PG_VERSION_NUM >= 170000
#define te_check_valid_result(rri, op)	CheckValidResultRel((rri), (op), NIL)
#else
#define te_check_valid_result(rri, op)	CheckValidResultRel((rri), (op))
#endif

/*
 * The BEFORE ROW UPDATE triggers of the row at tid, the new row in slot;
 * false when one skipped it.  From 17 on, the lock's result is reported
 * too.
 */
static inline bool
te_br_update_triggers(EState *estate, EPQState *epq, ResultRelInfo *rri,
					  ItemPointer tid, TupleTableSlot *slot, TM_FailureData *tmfd)
{
#if PG_VERSION_NUM >= 170000
	TM_Result	result;

	return ExecBRUpdateTriggers(estate, epq, rri, tid, NULL, slot, &result, tmfd);
#else
	return ExecBRUpdateTriggers(estate, epq, rri, tid, NULL, slot, tmfd);
#endif
}

/*
 * Replace the row at tid by slot's, waiting for a concurrent writer;
 * *indexes says which index entries the new version needs: TE_INDEXES_NONE
 * (a heap-only update), _ALL, or _SUMMARIZING (16 on: only the
 * summarizing indexes').
 */
#define TE_INDEXES_NONE 0
#define TE_INDEXES_ALL 1
#define TE_INDEXES_SUMMARIZING 2

static inline TM_Result
te_tuple_update(Relation rel, ItemPointer tid, TupleTableSlot *slot,
				CommandId cid, Snapshot snapshot, TM_FailureData *tmfd,
				int *indexes)
{
	LockTupleMode lockmode;
	TM_Result	result;
#if PG_VERSION_NUM >= 160000
	TU_UpdateIndexes update;

	result = table_tuple_update(rel, tid, slot, cid, snapshot, InvalidSnapshot,
								true, tmfd, &lockmode, &update);
	*indexes = update == TU_None ? TE_INDEXES_NONE :
		update == TU_Summarizing ? TE_INDEXES_SUMMARIZING : TE_INDEXES_ALL;
#else
	bool		update;

	result = table_tuple_update(rel, tid, slot, cid, snapshot, InvalidSnapshot,
								true, tmfd, &lockmode, &update);
	*indexes = update ? TE_INDEXES_ALL : TE_INDEXES_NONE;
#endif
	return result;
}

/* Insert the index entries of a row's new version. */
#if PG_VERSION_NUM >= 160000
#define te_update_index_tuples(rri, slot, estate, indexes) \
	ExecInsertIndexTuples((rri), (slot), (estate), true, false, NULL, NIL, \
						  (indexes) == TE_INDEXES_SUMMARIZING)
#else
#define te_update_index_tuples(rri, slot, estate, indexes) \
	ExecInsertIndexTuples((rri), (slot), (estate), true, false, NULL, NIL)
#endif

#endif							/* TE_COMPAT_H */
