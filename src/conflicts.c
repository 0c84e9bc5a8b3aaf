/*
 * conflicts.c
 *		An entry against the user's other entries: one running entry per
 *		user (SPEC 4.6) and no overlaps under prevent_overlaps (SPEC 6.5),
 *		and the per-user lock that makes both checks safe under concurrent
 *		calls.
 *
 * Checking and then inserting would race: two calls could both find
 * nothing and both write.  So a writer first locks the user's row
 * (te_lock_users), then checks against the latest committed state (not
 * its snapshot): every writer that held the lock before has committed, and
 * is seen, or rolled back.  The queries are prepared once per backend.
 * The caller is connected to SPI.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "compat.h"
#include "time_entry.h"

/*
 * The user's running entry, other than $2 (NULL: any).  The partial unique
 * index "one running entry per user" answers it, or (on a table without
 * it, a partitioned one) the index on (user_id, start_at).
 */
static const char *const running_sql =
"SELECT id FROM time_entry.time_entries"
" WHERE user_id = $1 AND start_at IS NOT NULL AND end_at IS NULL"
"   AND ($2::uuid IS NULL OR id <> $2)"
" LIMIT 1";

static SPIPlanPtr running_plan = NULL;

/*
 * Serialises the writers of one user's entries: a row lock on the user.
 * FOR NO KEY UPDATE conflicts with itself but not with the FOR KEY SHARE
 * locks of foreign-key checks, so plain inserts for the user go on.  Row
 * locks live in the tuple, not in the shared lock table, so an import over
 * any number of users cannot run out of lock slots.  Several users are
 * locked in the order of their ids, when $2 says the caller needs the locks
 * or prevent_overlaps is on in the user's workspace.
 */
static const char *const lock_users_sql =
"SELECT id FROM time_entry.users"
" WHERE id = ANY ($1)"
"   AND ($2 OR EXISTS (SELECT FROM time_entry.settings s"
"                      WHERE s.workspace_id = users.workspace_id AND s.prevent_overlaps))"
" ORDER BY id FOR NO KEY UPDATE OF users";

static SPIPlanPtr lock_users_plan = NULL;

/*
 * A timed entry of the user overlapping [$2, $3): starts before $3 and
 * ends after $2 (a running one never ends).  Ranges are half-open, so
 * back-to-back entries do not overlap and an entry of zero length (an
 * empty range) overlaps nothing.  Date-only entries have no start and never
 * overlap.  $4, when not NULL, is an entry to leave out (the one being
 * updated or stopped).
 */
static const char *const overlap_sql =
"SELECT id FROM time_entry.time_entries"
" WHERE user_id = $1 AND start_at IS NOT NULL AND start_at < $3"
"   AND (end_at IS NULL OR (end_at > $2 AND end_at > start_at))"
"   AND ($4::uuid IS NULL OR id <> $4)"
" LIMIT 1";

static SPIPlanPtr overlap_plan = NULL;

/*
 * Does the user have a running entry, other than except (or NULL)?  Sets
 * *found to its id.  Looks at the latest committed state rather than the
 * transaction's snapshot (see te_find_overlap).
 */
bool
te_find_running(const pg_uuid_t *user_id, const pg_uuid_t *except,
				pg_uuid_t *found)
{
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	int			rc;
	bool		isnull;
	bool		any;

	if (running_plan == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		running_plan = te_keep_plan(running_sql, 2, types);
	}
	values[0] = UUIDPGetDatum((pg_uuid_t *) user_id);
	values[1] = except ? UUIDPGetDatum((pg_uuid_t *) except) : (Datum) 0;
	if (except == NULL)
		nulls[1] = 'n';
	rc = te_execute_probe(running_plan, values, nulls, true, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	any = SPI_processed > 0;
	if (any && found)
		*found = *DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 1, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return any;
}

/*
 * Does a timed entry of the user overlap [start, end)?  (end is
 * DT_NOEND for a running entry.)  Looks at the latest committed state, so
 * that under REPEATABLE READ an entry committed after the snapshot, by a
 * writer that held the user's lock before us, is seen.  except: an entry
 * to leave out, or NULL.  Sets *other to the id of an overlapping entry.
 */
bool
te_find_overlap(const pg_uuid_t *user_id, TimestampTz start, TimestampTz end,
				const pg_uuid_t *except, pg_uuid_t *other)
{
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	int			rc;
	bool		found;

	if (overlap_plan == NULL)
	{
		Oid			types[4] = {UUIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID, UUIDOID};

		overlap_plan = te_keep_plan(overlap_sql, 4, types);
	}
	values[0] = UUIDPGetDatum((pg_uuid_t *) user_id);
	values[1] = TimestampTzGetDatum(start);
	values[2] = TimestampTzGetDatum(end);
	values[3] = except ? UUIDPGetDatum((pg_uuid_t *) except) : (Datum) 0;
	if (except == NULL)
		nulls[3] = 'n';
	rc = te_execute_probe(overlap_plan, values, nulls, true, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	found = SPI_processed > 0;
	if (found)
	{
		bool		isnull;

		memcpy(other, DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 1,
												  &isnull)),
			   sizeof(pg_uuid_t));
	}
	SPI_freetuptable(SPI_tuptable);
	return found;
}

/*
 * The users whose lock a statement holds already (see te_lock_users).  A
 * row lock lasts to the end of the transaction unless the subtransaction
 * that took it rolls back, so the memo holds for one transaction and
 * subtransaction and is emptied in any other; bounded like the lookups.
 */
#define TE_LOCK_MEMO_MAX 65536

struct TeUserLocks
{
	MemoryContext cxt;
	HTAB	   *held;			/* of pg_uuid_t; NULL: empty */
	LocalTransactionId lxid;
	SubTransactionId subxid;
};

TeUserLocks *
te_user_locks_create(MemoryContext parent)
{
	TeUserLocks *m = MemoryContextAllocZero(parent, sizeof(TeUserLocks));

	m->cxt = AllocSetContextCreate(parent, "time_entry user locks",
								   ALLOCSET_SMALL_SIZES);
	return m;
}

/* The memo, emptied unless it belongs to this (sub)transaction. */
static HTAB *
memo_table(TeUserLocks *m)
{
	HASHCTL		ctl;

	if (m->held != NULL && m->lxid == TE_MY_LXID &&
		m->subxid == GetCurrentSubTransactionId() &&
		hash_get_num_entries(m->held) < TE_LOCK_MEMO_MAX)
		return m->held;
	MemoryContextReset(m->cxt);
	ctl.keysize = sizeof(pg_uuid_t);
	ctl.entrysize = sizeof(pg_uuid_t);
	ctl.hcxt = m->cxt;
	m->held = hash_create("time_entry user locks", 64, &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	m->lxid = TE_MY_LXID;
	m->subxid = GetCurrentSubTransactionId();
	return m->held;
}

/*
 * Take the locks that serialise the writers of these users' entries, in the
 * order of the user ids, so that two batches over the same users cannot
 * deadlock: each waits for the other's first common user instead of
 * holding one and wanting the other.  Only when may_need (one user about to
 * be written for; a batch element that may be a timer) or prevent_overlaps
 * is on.  memo (or NULL): the users locked already in this statement,
 * which need no second trip; the users locked now are added to it.  The
 * caller is connected to SPI.
 */
void
te_lock_users(Datum *ids, int n, bool may_need, TeUserLocks *memo)
{
	Datum		values[2];
	int			rc;
	HTAB	   *held = memo ? memo_table(memo) : NULL;

	if (n == 0)
		return;
	if (held && n == 1 &&
		hash_search(held, DatumGetUUIDP(ids[0]), HASH_FIND, NULL) != NULL)
		return;
	if (n == 1 && may_need)
	{
		bool		locked;

		/* one user: locked without a query, as the query would */
		if (te_lock_user_directly(DatumGetUUIDP(ids[0]), &locked))
		{
			if (held && locked)
				hash_search(held, DatumGetUUIDP(ids[0]), HASH_ENTER, NULL);
			return;
		}
	}
	if (lock_users_plan == NULL)
	{
		Oid			types[2] = {UUIDARRAYOID, BOOLOID};

		lock_users_plan = te_keep_plan(lock_users_sql, 2, types);
	}
	values[0] = PointerGetDatum(construct_array(ids, n, UUIDOID, UUID_LEN,
												false, TYPALIGN_CHAR));
	values[1] = BoolGetDatum(may_need);
	/* every row: a locking query locks only the rows it fetches */
	rc = te_execute(lock_users_plan, values, NULL, false, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; held && i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		id = SPI_getbinval(SPI_tuptable->vals[i],
									   SPI_tuptable->tupdesc, 1, &isnull);

		hash_search(held, DatumGetUUIDP(id), HASH_ENTER, NULL);
	}
	SPI_freetuptable(SPI_tuptable);
}

/* Lock one user (see te_lock_users), about to be written for. */
void
te_lock_user(const pg_uuid_t *user_id, TeUserLocks *memo)
{
	Datum		id = UUIDPGetDatum((pg_uuid_t *) user_id);

	te_lock_users(&id, 1, true, memo);
}
