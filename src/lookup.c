/*
 * lookup.c
 *		What the rules need to know, read straight from the primary-key
 *		indexes of the directory tables.
 *
 * One request needs a handful of rows: the actor and its role, the user,
 * the type of work, the task, the project, memberships, assignees, a few
 * permission rows and the settings row.  Running a query for them costs an
 * executor start-up per call, which dominates a bulk import; probing the
 * indexes directly costs a few microseconds each.  The probes read with
 * the statement's active snapshot, exactly what a query in this statement
 * would see.
 *
 * Across calls a backend keeps the tables' OIDs, column numbers and
 * descriptors (dropped on any relcache invalidation of those tables).  A
 * face called many times in one statement also keeps the rows it found, in
 * a TeLookupCache tied to that statement's snapshot (see below).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "compat.h"
#include "time_entry.h"

/* The relations probed, each a table and its primary-key index. */
typedef enum
{
	R_USERS,
	R_ROLES,
	R_ROLE_PERMISSIONS,
	R_PROJECTS,
	R_PROJECT_MEMBERS,
	R_PROJECT_ROLE_PERMISSIONS,
	R_TASKS,
	R_TASK_ASSIGNEES,
	R_TYPES_OF_WORK,
	R_SETTINGS,
	R__COUNT
} RelId;

static const char *const rel_names[R__COUNT] = {
	"users", "roles", "role_permissions", "projects", "project_members",
	"project_role_permissions", "tasks", "task_assignees", "types_of_work",
	"settings"
};

/* Columns read, by table; resolved by name. */
typedef enum
{
	C_USERS_FIRST_NAME, C_USERS_LAST_NAME, C_USERS_ROLE_ID, C_USERS_DEACTIVATED,
	C_USERS_WORKSPACE,
	C_ROLES_IS_ADMIN,
	C_PROJECTS_NAME, C_PROJECTS_BILLABLE, C_PROJECTS_CLOSED, C_PROJECTS_WORKSPACE,
	C_MEMBERS_PROJECT_ROLE_ID,
	C_TASKS_NAME, C_TASKS_PROJECT_ID, C_TASKS_WORKSPACE,
	C_TYPES_NAME, C_TYPES_ICON, C_TYPES_ARCHIVED, C_TYPES_WORKSPACE,
	C_SETTINGS_MAX_DURATION, C_SETTINGS_CLOSED, C_SETTINGS_FUTURE,
	C_SETTINGS_PAST_DAYS, C_SETTINGS_OVERLAPS,
	C__COUNT
} ColId;

static const struct
{
	RelId		rel;
	const char *name;
}			col_defs[C__COUNT] = {
	{R_USERS, "first_name"}, {R_USERS, "last_name"}, {R_USERS, "role_id"},
	{R_USERS, "is_deactivated"}, {R_USERS, "workspace_id"},
	{R_ROLES, "is_admin"},
	{R_PROJECTS, "name"}, {R_PROJECTS, "is_billable_by_default"},
	{R_PROJECTS, "is_closed"}, {R_PROJECTS, "workspace_id"},
	{R_PROJECT_MEMBERS, "project_role_id"},
	{R_TASKS, "name"}, {R_TASKS, "project_id"}, {R_TASKS, "workspace_id"},
	{R_TYPES_OF_WORK, "name"}, {R_TYPES_OF_WORK, "icon"},
	{R_TYPES_OF_WORK, "is_archived"}, {R_TYPES_OF_WORK, "workspace_id"},
	{R_SETTINGS, "max_duration"}, {R_SETTINGS, "prevent_on_closed_projects"},
	{R_SETTINGS, "prevent_in_future"}, {R_SETTINGS, "allow_on_past_days"},
	{R_SETTINGS, "prevent_overlaps"},
};

static bool cache_valid = false;
static bool callback_registered = false;
static Oid	rel_oid[R__COUNT];
static Oid	index_oid[R__COUNT];
static AttrNumber col_attnum[C__COUNT];
static int16 col_len[C__COUNT];
static bool col_byval[C__COUNT];

/* Bumped whenever one of our tables changes: statement caches are dropped. */
static uint64 generation = 0;

/* Forget everything when one of our tables (or everything) changes. */
static void
invalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid)
	{
		cache_valid = false;
		generation++;
		return;
	}
	for (int i = 0; i < R__COUNT; i++)
		if (rel_oid[i] == relid || index_oid[i] == relid)
		{
			cache_valid = false;
			generation++;
		}
}

/*
 * Resolve the OIDs of the tables, their primary keys and the columns, from
 * the catalog caches (no table is opened or locked here).
 */
static void
fill_cache(void)
{
	Oid			nsp = get_namespace_oid(TE_SCHEMA, false);
	uint64		seen;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(invalidate, (Datum) 0);
		callback_registered = true;
	}

	/* resolved again when an invalidation arrives meanwhile */
	do
	{
		seen = generation;
		for (int i = 0; i < R__COUNT; i++)
		{
			char	   *pkey = psprintf("%s_pkey", rel_names[i]);

			rel_oid[i] = get_relname_relid(rel_names[i], nsp);
			if (!OidIsValid(rel_oid[i]))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("relation \"%s.%s\" does not exist", TE_SCHEMA, rel_names[i]),
						 errhint("%s", TE_OLD_SCHEMA_HINT)));
			index_oid[i] = get_relname_relid(pkey, nsp);
			if (!OidIsValid(index_oid[i]))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("index \"%s.%s\" does not exist", TE_SCHEMA, pkey),
						 errhint("%s", TE_OLD_SCHEMA_HINT)));
			pfree(pkey);
		}
		for (int c = 0; c < C__COUNT; c++)
		{
			col_attnum[c] = get_attnum(rel_oid[col_defs[c].rel], col_defs[c].name);
			if (col_attnum[c] == InvalidAttrNumber)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("column \"%s\" of relation \"%s.%s\" does not exist",
								col_defs[c].name, TE_SCHEMA, rel_names[col_defs[c].rel]),
						 errhint("%s", TE_OLD_SCHEMA_HINT)));
			get_typlenbyval(get_atttype(rel_oid[col_defs[c].rel], col_attnum[c]),
							&col_len[c], &col_byval[c]);
		}
	} while (seen != generation);
	cache_valid = true;
}

/* The permissions asked for: a feature, and a level or any level. */
typedef enum
{
	G_NONE,
	G_TRACK_ANY,				/* project-timetracking, any level */
	G_TRACK_WRITE,				/* project-timetracking, write */
	G_TRACK_DELETE,				/* project-timetracking, delete */
	G_PLANNING					/* project-planning-data, any level */
} Grant;

static const struct
{
	const char *feature;
	const char *level;
}			grant_defs[] = {
	[G_TRACK_ANY] = {"project-timetracking", NULL},
	[G_TRACK_WRITE] = {"project-timetracking", "write"},
	[G_TRACK_DELETE] = {"project-timetracking", "delete"},
	[G_PLANNING] = {"project-planning-data", NULL},
};

/*
 * One probe: a table, one or two uuids of its primary key, and for the
 * permission tables the feature (and level).  Zeroed before it is filled,
 * so that it hashes and compares as bytes.
 */
typedef struct ProbeKey
{
	int32		rel;
	int32		grant;
	pg_uuid_t	a;
	pg_uuid_t	b;
	bool		has_b;
} ProbeKey;

/*
 * What a probe found: whether the row exists, and the values of the
 * columns the rules read from its table (col_defs), copied when the row is
 * read, through the table's descriptor of that moment.  Nothing is decoded
 * later, so a cached row does not depend on the table's definition.
 */
typedef struct ProbeRow
{
	bool		found;
	Datum		values[C__COUNT];
	bool		isnull[C__COUNT];
} ProbeRow;

typedef struct ProbeEntry
{
	ProbeKey	key;
	ProbeRow	row;
} ProbeEntry;

/*
 * What one statement has looked up already.  Every probe reads with the
 * active snapshot, and the directory tables are not written by the create
 * path, so the same probe finds the same row for as long as the snapshot
 * shows the same data: a bulk import asks for the same handful of users,
 * projects and roles again and again.
 *
 * An MVCC snapshot shows the same data as another when its contents are
 * the same (xmin, xmax, the in-progress xids, the command id) and it is
 * taken in the same transaction and subtransaction: a subtransaction that
 * wrote a directory row and rolled back makes the row vanish under equal
 * contents.  The cache keeps a copy of those contents, compares them on
 * every call, and is emptied when they differ, when one of the tables
 * changed (a relcache invalidation), and when it holds
 * TE_LOOKUP_CACHE_MAX rows, so that its memory stays bounded whatever the
 * input.  Pointers are not compared: PL/pgSQL keeps the state of a simple
 * expression for a whole transaction, and two of its snapshots can share
 * an address.
 */
#define TE_LOOKUP_CACHE_MAX 4096

struct TeLookupCache
{
	MemoryContext cxt;			/* the hash table and the rows; reset to empty */
	HTAB	   *hash;			/* NULL: empty */
	long		entries;
	uint64		generation;
	LocalTransactionId lxid;	/* the transaction and subtransaction */
	SubTransactionId subxid;
	bool		valid;			/* the fields below describe a snapshot */
	SnapshotData snap;			/* a copy; xip and subxip in cxt */
};

TeLookupCache *
te_lookup_cache_create(MemoryContext parent)
{
	TeLookupCache *c = MemoryContextAllocZero(parent, sizeof(TeLookupCache));

	c->cxt = AllocSetContextCreate(parent, "time_entry lookups",
								   ALLOCSET_DEFAULT_SIZES);
	return c;
}

/* Do two MVCC snapshots show the same rows to the same transaction? */
static bool
same_contents(const SnapshotData *a, const SnapshotData *b)
{
	return a->xmin == b->xmin && a->xmax == b->xmax &&
		a->curcid == b->curcid &&
		a->takenDuringRecovery == b->takenDuringRecovery &&
		a->suboverflowed == b->suboverflowed &&
		a->xcnt == b->xcnt && a->subxcnt == b->subxcnt &&
		(a->xcnt == 0 ||
		 memcmp(a->xip, b->xip, sizeof(TransactionId) * a->xcnt) == 0) &&
		(a->subxcnt == 0 ||
		 memcmp(a->subxip, b->subxip, sizeof(TransactionId) * a->subxcnt) == 0);
}

static void
cache_make_table(TeLookupCache *c)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(ProbeKey);
	ctl.entrysize = sizeof(ProbeEntry);
	ctl.hcxt = c->cxt;
	c->hash = hash_create("time_entry lookups", 256, &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	c->entries = 0;
}

/*
 * Make the cache usable under the active snapshot.  Returns whether this
 * call may use it: when the data it was filled under is the same, or (the
 * table made empty) at the second call under the same data -- so that a
 * call site that never sees the same data twice, a PL/pgSQL loop whose
 * every call writes, pays a comparison per call and no table -- or, with
 * now, at once.  Nothing is cached under a snapshot that is not an MVCC
 * one.
 */
static bool
cache_check(TeLookupCache *c, bool now)
{
	Snapshot	snap = GetActiveSnapshot();

	if (snap->snapshot_type != SNAPSHOT_MVCC)
		return false;
	if (c->lxid == TE_MY_LXID && c->subxid == GetCurrentSubTransactionId() &&
		c->valid && c->generation == generation && same_contents(&c->snap, snap))
	{
		if (c->hash != NULL && c->entries < TE_LOOKUP_CACHE_MAX)
			return true;
		if (c->hash == NULL)
		{
			cache_make_table(c);
			return true;
		}
	}

	/* other data, or full: start over, and remember what this call sees */
	MemoryContextReset(c->cxt);
	c->hash = NULL;
	c->entries = 0;
	c->generation = generation;
	c->lxid = TE_MY_LXID;
	c->subxid = GetCurrentSubTransactionId();
	c->snap = *snap;
	c->snap.xip = c->snap.xcnt == 0 ? NULL :
		MemoryContextAlloc(c->cxt, sizeof(TransactionId) * snap->xcnt);
	if (c->snap.xcnt > 0)
		memcpy(c->snap.xip, snap->xip, sizeof(TransactionId) * snap->xcnt);
	c->snap.subxip = c->snap.subxcnt == 0 ? NULL :
		MemoryContextAlloc(c->cxt, sizeof(TransactionId) * snap->subxcnt);
	if (c->snap.subxcnt > 0)
		memcpy(c->snap.subxip, snap->subxip, sizeof(TransactionId) * snap->subxcnt);
	c->valid = true;
	if (now)
	{
		cache_make_table(c);
		return true;
	}
	return false;
}

/* Copy the values the rules read from the row in slot (of table rel). */
static void
copy_values(RelId rel, TupleTableSlot *slot, ProbeRow *out)
{
	TupleDesc	desc = slot->tts_tupleDescriptor;

	out->found = true;
	for (int c = 0; c < C__COUNT; c++)
	{
		Form_pg_attribute att;
		Datum		d;

		if (col_defs[c].rel != rel)
			continue;
		d = slot_getattr(slot, col_attnum[c], &out->isnull[c]);
		att = TupleDescAttr(desc, col_attnum[c] - 1);
		out->values[c] = out->isnull[c] ? (Datum) 0 :
			datumCopy(d, att->attbyval, att->attlen);
	}
}

/*
 * Lock relation *oid (of our table or index i, in rel_oid or index_oid)
 * and make sure that it is still the one of that name: taking the lock
 * processes invalidations, which may tell that the name now means another
 * relation (the extension dropped and created again, an index rebuilt
 * concurrently).  Then resolve the names again and lock the new one; the
 * lock on the old one stays, harmless, until the end of the transaction.
 * The OID is used to open the relation only once it is locked and known
 * to be current.
 */
static Oid
lock_current(Oid *cached)
{
	for (;;)
	{
		Oid			oid;

		if (!cache_valid)
			fill_cache();
		oid = *cached;
		LockRelationOid(oid, AccessShareLock);
		if (cache_valid && *cached == oid)
			return oid;
		/* invalidated while locking: resolve the names again and retry */
		fill_cache();
		if (*cached == oid)
			return oid;
	}
}

/*
 * Read the row of a probe from the table, with snapshot: the first row
 * whose leading primary-key columns equal the key.  The values are copied
 * into the current memory context.
 */
static void
read_row(const ProbeKey *k, Snapshot snapshot, ProbeRow *out)
{
	RelId		rel = k->rel;
	Relation	heap = table_open(lock_current(&rel_oid[rel]), NoLock);
	Relation	index = index_open(lock_current(&index_oid[rel]), NoLock);
	TupleTableSlot *slot;
	IndexScanDesc scan;
	ScanKeyData sk[3];
	int			nkeys = 0;

	memset(out, 0, sizeof(ProbeRow));
	slot = table_slot_create(heap, NULL);

#define UUID_KEY(u) \
	ScanKeyEntryInitialize(&sk[nkeys], 0, nkeys + 1, BTEqualStrategyNumber, \
						   InvalidOid, InvalidOid, F_UUID_EQ, \
						   UUIDPGetDatum((pg_uuid_t *) (u))), nkeys++
#define TEXT_KEY(s) \
	ScanKeyEntryInitialize(&sk[nkeys], 0, nkeys + 1, BTEqualStrategyNumber, \
						   InvalidOid, DEFAULT_COLLATION_OID, F_TEXTEQ, \
						   CStringGetTextDatum(s)), nkeys++

	UUID_KEY(&k->a);
	if (k->has_b)
		UUID_KEY(&k->b);
	if (k->grant != G_NONE)
	{
		TEXT_KEY(grant_defs[k->grant].feature);
		if (grant_defs[k->grant].level)
			TEXT_KEY(grant_defs[k->grant].level);
	}
#undef UUID_KEY
#undef TEXT_KEY
	scan = index_beginscan(heap, index, snapshot, nkeys, 0);
	index_rescan(scan, sk, nkeys, NULL, 0);
	if (index_getnext_slot(scan, ForwardScanDirection, slot))
		copy_values(rel, slot, out);
	index_endscan(scan);
	index_close(index, NoLock);
	ExecDropSingleTupleTableSlot(slot);
	table_close(heap, NoLock);
}

/*
 * The probes of the current call and what they found, for
 * te_lookups_changed.  Reset by te_lookup_begin; a call makes a dozen at
 * most, and a longer log is simply not kept (see there).
 */
#define PROBE_LOG_MAX 32

static ProbeKey probe_log_keys[PROBE_LOG_MAX];
static const ProbeRow *probe_log_rows[PROBE_LOG_MAX];
static int	probe_log_len = 0;
static bool probe_log_overflow = false;

/*
 * The row of a probe, from the statement's cache when there is one.  The
 * result is read-only and lives until the next te_lookup_begin.
 */
static const ProbeRow *
probe(TeLookupCache *c, RelId rel, const pg_uuid_t *a, const pg_uuid_t *b,
	  Grant grant)
{
	ProbeKey	k;
	ProbeEntry *e;
	ProbeRow   *row;
	bool		found;
	MemoryContext old;

	memset(&k, 0, sizeof(k));
	k.rel = rel;
	k.grant = grant;
	if (a)
		k.a = *a;
	if (b)
	{
		k.b = *b;
		k.has_b = true;
	}
	if (c == NULL)
	{
		row = palloc(sizeof(ProbeRow));
		read_row(&k, GetActiveSnapshot(), row);
	}
	else
	{
		e = hash_search(c->hash, &k, HASH_ENTER, &found);
		row = &e->row;
		if (!found)
		{
			old = MemoryContextSwitchTo(c->cxt);
			PG_TRY();
			{
				read_row(&k, GetActiveSnapshot(), row);
			}
			PG_CATCH();
			{
				hash_search(c->hash, &k, HASH_REMOVE, NULL);
				PG_RE_THROW();
			}
			PG_END_TRY();
			MemoryContextSwitchTo(old);
			c->entries++;
		}
	}
	if (probe_log_len < PROBE_LOG_MAX)
	{
		probe_log_keys[probe_log_len] = k;
		probe_log_rows[probe_log_len++] = row;
	}
	else
		probe_log_overflow = true;
	return row;
}

/*
 * Has any row the current call looked up changed since the snapshot it
 * was read with?  Under REPEATABLE READ and SERIALIZABLE the rules read the
 * transaction's snapshot, like every query of the transaction; before a
 * write, the call asks this, and fails as a foreign-key check does when
 * what it relied on was changed by a transaction committed since (see
 * create.c).  Each probe is read again with the latest snapshot and
 * compared.  A log that overflowed counts as changed, so the answer errs
 * on the safe side.
 */
bool
te_lookups_changed(void)
{
	Snapshot	latest = GetLatestSnapshot();

	if (probe_log_overflow)
		return true;
	for (int i = 0; i < probe_log_len; i++)
	{
		const ProbeRow *was = probe_log_rows[i];
		ProbeRow	now;

		read_row(&probe_log_keys[i], latest, &now);
		if (now.found != was->found)
			return true;
		for (int c = 0; now.found && c < C__COUNT; c++)
		{
			if ((int32) col_defs[c].rel != probe_log_keys[i].rel)
				continue;
			if (now.isnull[c] != was->isnull[c] ||
				(!now.isnull[c] &&
				 !datumIsEqual(now.values[c], was->values[c],
							   col_byval[c], col_len[c])))
				return true;
		}
	}
	return false;
}

static bool
get_bool(const ProbeRow *r, ColId c)
{
	return !r->isnull[c] && DatumGetBool(r->values[c]);
}

static text *
get_text(const ProbeRow *r, ColId c)
{
	return r->isnull[c] ? NULL : DatumGetTextPCopy(r->values[c]);
}

static bool
get_uuid(const ProbeRow *r, ColId c, pg_uuid_t *out)
{
	if (r->isnull[c])
		return false;
	*out = *DatumGetUUIDP(r->values[c]);
	return true;
}

static bool
get_int4(const ProbeRow *r, ColId c, int32 *out)
{
	if (r->isnull[c])
		return false;
	*out = DatumGetInt32(r->values[c]);
	return true;
}

/* Does role_id (of roles or of project_roles) grant the permission? */
static bool
grants(TeLookupCache *c, RelId rel, const pg_uuid_t *role_id, Grant grant)
{
	return probe(c, rel, role_id, NULL, grant)->found;
}

/* The project role of user in project, if a member. */
static bool
membership(TeLookupCache *c, const pg_uuid_t *project, const pg_uuid_t *user,
		   pg_uuid_t *prole)
{
	const ProbeRow *tup = probe(c, R_PROJECT_MEMBERS, project, user, G_NONE);

	return tup->found && get_uuid(tup, C_MEMBERS_PROJECT_ROLE_ID, prole);
}

/* Does the actor's workspace role grant the permission? */
static bool
role_grants(TeLookupCache *c, const TeContext *cx, Grant grant)
{
	return cx->actor_has_role &&
		grants(c, R_ROLE_PERMISSIONS, &cx->actor_role, grant);
}

/* Does the actor's project role in project grant the permission? */
static bool
member_grants(TeLookupCache *c, const TeContext *cx, const pg_uuid_t *project,
			  Grant grant)
{
	pg_uuid_t	prole;

	return membership(c, project, &cx->actor, &prole) &&
		grants(c, R_PROJECT_ROLE_PERMISSIONS, &prole, grant);
}

/*
 * Does the actor hold grant in project (or, without one, in the workspace):
 * through its workspace role, or its project role there (SPEC 6.4)?
 */
static bool
holds(TeLookupCache *c, const TeContext *cx, bool has_project,
	  const pg_uuid_t *project, Grant grant)
{
	return role_grants(c, cx, grant) ||
		(has_project && member_grants(c, cx, project, grant));
}

/*
 * Start the lookups of one call.  Returns the statement's cache if this
 * call may use it (see cache_check), else NULL: pass that to the lookups.
 */
TeLookupCache *
te_lookup_begin(TeLookupCache *cache)
{
	if (!cache_valid)
		fill_cache();
	probe_log_len = 0;
	probe_log_overflow = false;
	if (cache && !cache_check(cache, false))
		return NULL;
	return cache;
}

/*
 * The same for one call that asks for the same rows several times (the
 * operations of SPEC 9 read the actor, the stored entry's references and
 * the changes' references): the cache is used from this call's first
 * lookup on, and starts over for the next call, whose snapshot differs.
 */
TeLookupCache *
te_lookup_begin_call(TeLookupCache *cache)
{
	if (!cache_valid)
		fill_cache();
	probe_log_len = 0;
	probe_log_overflow = false;
	return cache_check(cache, true) ? cache : NULL;
}

/* The settings row of a workspace (SPEC 1.1, 10). */
static void
lookup_settings(TeSettings *s, const pg_uuid_t *workspace, TeLookupCache *c)
{
	const ProbeRow *tup = probe(c, R_SETTINGS, workspace, NULL, G_NONE);

	if (!tup->found)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("workspace %s has no row in table \"time_entry.settings\"",
						te_uuid_text(workspace)),
				 errdetail("The rules read the settings of the actor's workspace from its row."),
				 errhint("Insert the row: INSERT INTO time_entry.settings (workspace_id) VALUES ('%s').",
						 te_uuid_text(workspace))));
	memset(s, 0, sizeof(TeSettings));
	s->has_max_duration = get_int4(tup, C_SETTINGS_MAX_DURATION, &s->max_duration);
	s->prevent_on_closed_projects = get_bool(tup, C_SETTINGS_CLOSED);
	s->prevent_in_future = get_bool(tup, C_SETTINGS_FUTURE);
	s->has_allow_on_past_days = get_int4(tup, C_SETTINGS_PAST_DAYS, &s->allow_on_past_days);
	s->prevent_overlaps = get_bool(tup, C_SETTINGS_OVERLAPS);
}

/*
 * Start a context: the actor (SPEC 6.1) and its role, and the workspace
 * of the call (the actor's, SPEC 10) with its settings.  An actor that is
 * no user gives the call no workspace: it is refused (28000), and nothing
 * else is looked up for it.  cx is cleared first.
 */
void
te_lookup_actor(bool has_actor, const pg_uuid_t *actor, TeContext *cx,
				TeLookupCache *c)
{
	const ProbeRow *tup;

	memset(cx, 0, sizeof(TeContext));
	cx->has_actor = has_actor;
	if (!has_actor)
		return;
	cx->actor = *actor;
	tup = probe(c, R_USERS, actor, NULL, G_NONE);
	if (!tup->found || !get_uuid(tup, C_USERS_WORKSPACE, &cx->workspace))
		return;
	cx->actor_found = true;
	cx->actor_is_deactivated = get_bool(tup, C_USERS_DEACTIVATED);
	cx->actor_has_role = get_uuid(tup, C_USERS_ROLE_ID, &cx->actor_role);
	/* the role is of the actor's workspace: the foreign key says so */
	if (cx->actor_has_role &&
		(tup = probe(c, R_ROLES, &cx->actor_role, NULL, G_NONE))->found)
		cx->actor_is_admin = get_bool(tup, C_ROLES_IS_ADMIN);
	lookup_settings(&cx->settings, &cx->workspace, c);
}

/*
 * Is a row found by a probe in workspace ws (its workspace column c)?  A
 * row of another workspace is as good as missing (SPEC 10).
 */
static bool
in_workspace(const ProbeRow *tup, ColId c, const pg_uuid_t *ws)
{
	pg_uuid_t	its;

	return tup->found && get_uuid(tup, c, &its) && te_uuid_eq(&its, ws);
}

/*
 * The directory rows a request or an entry names, each found only in
 * workspace ws.  Memberships, assignments and permissions need no such
 * check: their foreign keys keep them in the workspace of the project,
 * task, user or role they hang off, which is checked.
 */
static void
lookup_user(TeLookupCache *c, const pg_uuid_t *ws, const pg_uuid_t *id,
			TeRefs *refs)
{
	const ProbeRow *tup = probe(c, R_USERS, id, NULL, G_NONE);

	if ((refs->user_found = in_workspace(tup, C_USERS_WORKSPACE, ws)))
	{
		refs->user_is_deactivated = get_bool(tup, C_USERS_DEACTIVATED);
		refs->user_first_name = get_text(tup, C_USERS_FIRST_NAME);
		refs->user_last_name = get_text(tup, C_USERS_LAST_NAME);
	}
}

static void
lookup_type(TeLookupCache *c, const pg_uuid_t *ws, const pg_uuid_t *id,
			TeRefs *refs)
{
	const ProbeRow *tup = probe(c, R_TYPES_OF_WORK, id, NULL, G_NONE);

	if ((refs->type_found = in_workspace(tup, C_TYPES_WORKSPACE, ws)))
	{
		refs->type_name = get_text(tup, C_TYPES_NAME);
		refs->type_icon = get_text(tup, C_TYPES_ICON);
		refs->type_is_archived = get_bool(tup, C_TYPES_ARCHIVED);
	}
}

static void
lookup_task(TeLookupCache *c, const pg_uuid_t *ws, const pg_uuid_t *id,
			TeRefs *refs)
{
	const ProbeRow *tup = probe(c, R_TASKS, id, NULL, G_NONE);

	if ((refs->task_found = in_workspace(tup, C_TASKS_WORKSPACE, ws)))
	{
		refs->task_name = get_text(tup, C_TASKS_NAME);
		refs->task_has_project = get_uuid(tup, C_TASKS_PROJECT_ID,
										  &refs->task_project_id);
	}
}

static void
lookup_project(TeLookupCache *c, const pg_uuid_t *ws, const pg_uuid_t *id,
			   TeRefs *refs)
{
	const ProbeRow *tup = probe(c, R_PROJECTS, id, NULL, G_NONE);

	if ((refs->project_found = in_workspace(tup, C_PROJECTS_WORKSPACE, ws)))
	{
		refs->project_name = get_text(tup, C_PROJECTS_NAME);
		refs->project_billable_by_default = get_bool(tup, C_PROJECTS_BILLABLE);
		refs->project_is_closed = get_bool(tup, C_PROJECTS_CLOSED);
	}
}

/*
 * Look up what the rules need about a request, after te_lookup_actor: the
 * objects it names, in the call's workspace, and the entry's project
 * (given, else a project task's), and the actor's permissions where a rule
 * of SPEC 6.4 can ask for them.  Ids that are absent (or did not parse),
 * or of another workspace, find nothing; so does everything when the call
 * has no workspace (no actor that is a user).
 */
void
te_lookup_request(const TeRequest *req, TeContext *cx, TeLookupCache *c)
{
	TeRefs	   *refs = &cx->refs;
	const pg_uuid_t *ws = &cx->workspace;

	if (!cx->actor_found)
		return;
	if (req->has_user_id)
		lookup_user(c, ws, &req->user_id, refs);
	if (req->has_type_of_work_id)
		lookup_type(c, ws, &req->type_of_work_id, refs);
	if (req->has_task_id)
		lookup_task(c, ws, &req->task_id, refs);

	if (req->has_project_id)
	{
		cx->has_project = true;
		cx->project_id = req->project_id;
	}
	else if (refs->task_found && refs->task_has_project)
	{
		cx->has_project = true;
		cx->project_id = refs->task_project_id;
	}
	if (cx->has_project)
		lookup_project(c, ws, &cx->project_id, refs);

	/* permissions (SPEC 6.4): only those a rule can ask for */
	if (cx->actor_is_admin)
		return;
	if (!req->has_user_id || !te_uuid_eq(&cx->actor, &req->user_id))
	{
		cx->ws_track_write = role_grants(c, cx, G_TRACK_WRITE);
		cx->project_track_write = !cx->ws_track_write && cx->has_project &&
			member_grants(c, cx, &cx->project_id, G_TRACK_WRITE);
	}
	if (req->has_task_id && refs->task_found)
	{
		cx->task_assignee = probe(c, R_TASK_ASSIGNEES, &req->task_id,
								  &cx->actor, G_NONE)->found;
		if (!cx->task_assignee && refs->task_has_project)
		{
			cx->ws_planning = role_grants(c, cx, G_PLANNING);
			cx->task_project_planning = !cx->ws_planning &&
				member_grants(c, cx, &refs->task_project_id, G_PLANNING);
		}
	}
}

/*
 * SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE, without a query
 * (see te_lock_users): the user's row found by its primary key with the
 * snapshot the query would take and locked (LockTupleNoKeyExclusive,
 * waiting for a concurrent writer; in READ COMMITTED its latest version,
 * in REPEATABLE READ a row changed since the snapshot is a serialization
 * failure), as the executor's LockRows node does.  Returns false when
 * this is left to the query: where te_direct_lock_allowed says no (child
 * tables, row-level security, a privilege missing), or under
 * time_entry.write_path = executor (the general path, which the test suite
 * runs too).  *locked: whether a row with that id was there to lock.
 */
bool
te_lock_user_directly(const pg_uuid_t *user, bool *locked)
{
	Relation	heap;
	Relation	index;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	ScanKeyData key;
	Snapshot	snapshot;
	TM_FailureData tmfd;
	TM_Result	result;
	ItemPointerData tid;
	bool		found;

	if (te_write_path == TE_WRITE_EXECUTOR)
		return false;
	if (!cache_valid)
		fill_cache();
	heap = table_open(lock_current(&rel_oid[R_USERS]), NoLock);
	if (!te_direct_lock_allowed(heap))
	{
		table_close(heap, NoLock);
		return false;
	}
	/* what FOR NO KEY UPDATE takes on the table */
	LockRelationOid(RelationGetRelid(heap), RowShareLock);
	index = index_open(lock_current(&index_oid[R_USERS]), NoLock);
	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	slot = table_slot_create(heap, NULL);
	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   InvalidOid, F_UUID_EQ, UUIDPGetDatum((pg_uuid_t *) user));
	scan = index_beginscan(heap, index, snapshot, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	if (found)
		tid = slot->tts_tid;
	index_endscan(scan);
	*locked = false;
	if (found)
	{
		result = table_tuple_lock(heap, &tid, snapshot, slot,
								  GetCurrentCommandId(true), LockTupleNoKeyExclusive,
								  LockWaitBlock,
								  TUPLE_LOCK_FLAG_LOCK_UPDATE_IN_PROGRESS |
								  (IsolationUsesXactSnapshot() ? 0 :
								   TUPLE_LOCK_FLAG_FIND_LAST_VERSION),
								  &tmfd);
		switch (result)
		{
			case TM_Ok:

				/*
				 * the version locked must still have the id, as the
				 * executor rechecks the query's condition (an owner may
				 * change the id of a user no entry references)
				 */
				{
					bool		isnull;
					Datum		id = slot_getattr(slot, index->rd_index->indkey.values[0],
												  &isnull);

					*locked = !isnull && te_uuid_eq(DatumGetUUIDP(id), user);
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
				break;			/* deleted meanwhile: nothing to lock */
			default:
				break;			/* changed by this transaction: as the query skips it */
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	index_close(index, NoLock);
	table_close(heap, NoLock);
	return true;
}

/* Is user a user of the call's workspace? */
bool
te_user_in_workspace(const TeContext *cx, const pg_uuid_t *user,
					 TeLookupCache *c)
{
	TeRefs		refs;

	if (!cx->actor_found)
		return false;
	memset(&refs, 0, sizeof(refs));
	lookup_user(c, &cx->workspace, user, &refs);
	return refs.user_found;
}

/*
 * The objects a stored row references, for its response: the user (none
 * once deleted), the type of work, the project and the task, all of the
 * row's workspace.
 */
void
te_lookup_refs(const TeRow *row, TeRefs *refs, TeLookupCache *c)
{
	const pg_uuid_t *ws = &row->workspace_id;

	memset(refs, 0, sizeof(TeRefs));
	if (row->has_user_id)
		lookup_user(c, ws, &row->user_id, refs);
	lookup_type(c, ws, &row->type_of_work_id, refs);
	if (row->has_task_id)
		lookup_task(c, ws, &row->task_id, refs);
	if (row->has_project_id)
		lookup_project(c, ws, &row->project_id, refs);
}

/*
 * The actor's access to project-timetracking in a project (or, without
 * one, from the workspace role alone): the levels SPEC 9.1 asks about.
 */
void
te_lookup_tracking(const TeContext *cx, bool has_project,
				   const pg_uuid_t *project_id, TeTracking *out,
				   TeLookupCache *c)
{
	memset(out, 0, sizeof(TeTracking));
	if (!cx->actor_found)
		return;
	out->write = holds(c, cx, has_project, project_id, G_TRACK_WRITE);
	out->delete = holds(c, cx, has_project, project_id, G_TRACK_DELETE);
	out->any = out->write || out->delete ||
		holds(c, cx, has_project, project_id, G_TRACK_ANY);
}
