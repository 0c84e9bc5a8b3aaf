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
 * One relation as the range table of an executor state, as an INSERT's
 * (permissions are checked by the caller).  From 16 on, permissions live
 * in a list of their own.
 */
static inline void
te_init_range_table(EState *estate, RangeTblEntry *rte)
{
#if PG_VERSION_NUM >= 160000
	RTEPermissionInfo *perminfo = makeNode(RTEPermissionInfo);

	perminfo->relid = rte->relid;
	perminfo->requiredPerms = ACL_INSERT;
	rte->perminfoindex = 1;
	ExecInitRangeTable(estate, list_make1(rte), list_make1(perminfo));
#else
	rte->requiredPerms = ACL_INSERT;
	ExecInitRangeTable(estate, list_make1(rte));
#endif
}

/* Check that a result relation can take an INSERT. */
#if PG_VERSION_NUM >= 170000
#define te_check_valid_insert(rri)	CheckValidResultRel((rri), CMD_INSERT, NIL)
#else
#define te_check_valid_insert(rri)	CheckValidResultRel((rri), CMD_INSERT)
#endif

#endif							/* TE_COMPAT_H */
