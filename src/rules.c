/*
 * rules.c
 *		References, permissions and workspace settings (SPEC 6.1, 6.3-6.6).
 *
 * Everything the rules need about the actor, the user, the type of work,
 * the project, the task, the actor's permissions and the settings is looked
 * up by lookup.c (te_lookup_context) from the primary-key indexes; the
 * checks here are plain C over the looked-up values.  The conflict checks
 * (running entry, overlap) and the user's lock are queries, prepared once
 * per backend.
 *
 * The caller is connected to SPI and runs with the owner's rights and the
 * search_path pinned by the SQL function (SECURITY DEFINER ... SET
 * search_path); the queries name every table with its schema anyway.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "jit/jit.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "time_entry.h"

static const char *const running_sql =
"SELECT FROM time_entry.time_entries"
" WHERE user_id = $1 AND start_at IS NOT NULL AND end_at IS NULL";

static SPIPlanPtr running_plan = NULL;

/*
 * Serialises the writers of one user's entries: a row lock on the user.
 * FOR NO KEY UPDATE conflicts with itself but not with the FOR KEY SHARE
 * locks of foreign-key checks, so plain inserts for the user go on.  Row
 * locks live in the tuple, not in the shared lock table, so an import over
 * any number of users cannot run out of lock slots.  Several users are
 * locked in the order of their ids, when $2 says the caller needs the locks
 * or prevent_overlaps is on.
 */
static const char *const lock_users_sql =
"SELECT id FROM time_entry.users"
" WHERE id = ANY ($1)"
"   AND ($2 OR (SELECT s.prevent_overlaps FROM time_entry.settings s))"
" ORDER BY id FOR NO KEY UPDATE OF users";

static SPIPlanPtr lock_users_plan = NULL;

/*
 * A timed entry of the user overlapping [$2, $3): starts before $3 and
 * ends after $2 (a running one never ends).  Ranges are half-open, so
 * back-to-back entries do not overlap and an entry of zero length (an
 * empty range) overlaps nothing.  Date-only entries have no start and never
 * overlap.
 */
static const char *const overlap_sql =
"SELECT id FROM time_entry.time_entries"
" WHERE user_id = $1 AND start_at IS NOT NULL AND start_at < $3"
"   AND (end_at IS NULL OR (end_at > $2 AND end_at > start_at))"
" LIMIT 1";

static SPIPlanPtr overlap_plan = NULL;

/* Prepare and keep a plan for the life of the backend. */
SPIPlanPtr
te_keep_plan(const char *sql, int nargs, Oid *argtypes)
{
	MemoryContext caller = CurrentMemoryContext;
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

	MemoryContextSwitchTo(caller);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	return plan;
}

/*
 * Run a kept plan and return SPI's result code.  SPI leaves its own
 * procedure context current after a call; the caller's context is restored
 * so that what the create path allocates survives SPI_finish.  With latest,
 * the query sees the latest committed state instead of the transaction's
 * snapshot (for REPEATABLE READ).  tcount: the rows to fetch, 0 for all (a
 * locking query locks only the rows it fetches).
 */
int
te_execute(SPIPlanPtr plan, Datum *values, const char *nulls, bool read_only,
		   bool latest, uint64 tcount)
{
	MemoryContext caller = CurrentMemoryContext;
	bool		jit = jit_enabled;
	int			rc = 0;

	/*
	 * These are index probes of a few rows; JIT compiling them costs tens of
	 * milliseconds and never pays.  A plan's JIT decision is made when it is
	 * (re)planned, which happens inside this call, and an estimate over
	 * tables never analysed (a one-row settings table is never
	 * auto-analysed) can exceed jit_above_cost.  So planning and running
	 * happen with JIT off; the flag is restored on every exit.
	 */
	jit_enabled = false;
	PG_TRY();
	{
		if (latest)
			rc = SPI_execute_snapshot(plan, values, nulls, GetLatestSnapshot(),
									  InvalidSnapshot, read_only, false, tcount);
		else
			rc = SPI_execute_plan(plan, values, nulls, read_only, tcount);
	}
	PG_FINALLY();
	{
		jit_enabled = jit;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(caller);
	return rc;
}

/* SPEC 6.1: the actor is given, an existing user, not deactivated. */
void
te_check_actor(const TeContext *cx, TeProblems *p)
{
	if (!cx->has_actor)
		te_problem(p, TE_R_NO_ACTOR, "actor",
				   "Neither the actor argument nor the setting \"time_entry.actor\" names a user.",
				   "Pass the actor, or run SET LOCAL time_entry.actor = '<user id>' first.",
				   "no actor is given");
	else if (!cx->actor_found)
		te_problem(p, TE_R_UNKNOWN_ACTOR, "actor",
				   "No user of the workspace has this id.", NULL,
				   "actor %s is not a user of the workspace",
				   te_uuid_text(&cx->actor));
	else if (cx->actor_is_deactivated)
		te_problem(p, TE_R_DEACTIVATED_ACTOR, "actor",
				   "A deactivated user cannot create time entries.", NULL,
				   "actor %s is deactivated",
				   te_uuid_text(&cx->actor));
}


/* SPEC 6.3: the referenced objects exist and may be used. */
static void
check_references(const TeRequest *req, TeContext *cx, TeProblems *p)
{
	if (req->has_user_id)
	{
		if (!cx->user_found)
			te_problem(p, TE_R_NOT_FOUND, req->p_user_id,
					   "No user of the workspace has this id.", NULL,
					   "user %s of property \"%s\" does not exist",
					   te_uuid_text(&req->user_id), req->p_user_id);
		else if (cx->user_is_deactivated)
			te_problem(p, TE_R_DEACTIVATED_USER, req->p_user_id,
					   "Time cannot be booked for a deactivated user.", NULL,
					   "user %s of property \"%s\" is deactivated",
					   te_uuid_text(&req->user_id), req->p_user_id);
	}
	if (req->has_type_of_work_id)
	{
		if (!cx->type_found)
			te_problem(p, TE_R_NOT_FOUND, req->p_type_of_work_id,
					   "No type of work has this id.", NULL,
					   "type of work %s of property \"%s\" does not exist",
					   te_uuid_text(&req->type_of_work_id), req->p_type_of_work_id);
		else if (cx->type_is_archived)
			te_problem(p, TE_R_ARCHIVED, req->p_type_of_work_id,
					   "An archived type of work cannot be used for new entries.", NULL,
					   "type of work %s of property \"%s\" is archived",
					   te_uuid_text(&req->type_of_work_id), req->p_type_of_work_id);
	}
	if (req->has_project_id && !cx->project_found)
		te_problem(p, TE_R_NOT_FOUND, req->p_project_id,
				   "No project has this id.", NULL,
				   "project %s of property \"%s\" does not exist",
				   te_uuid_text(&req->project_id), req->p_project_id);
	if (req->has_task_id && !cx->task_found)
		te_problem(p, TE_R_NOT_FOUND, req->p_task_id,
				   "No task has this id.", NULL,
				   "task %s of property \"%s\" does not exist",
				   te_uuid_text(&req->task_id), req->p_task_id);
	if (req->has_task_id && cx->task_found && req->has_project_id)
	{
		if (!cx->task_has_project)
			te_problem(p, TE_R_INVALID_OPERATION, req->p_project_id,
					   "A private task belongs to no project.",
					   "Leave the project out when booking on a private task.",
					   "private task %s cannot be booked with property \"%s\"",
					   te_uuid_text(&req->task_id), req->p_project_id);
		else if (memcmp(&cx->task_project_id, &req->project_id, sizeof(pg_uuid_t)) != 0)
			te_problem(p, TE_R_INVALID_OPERATION, req->p_project_id,
					   psprintf("Task %s belongs to project %s.",
								te_uuid_text(&req->task_id),
								te_uuid_text(&cx->task_project_id)),
					   "Leave the project out to use the task's project.",
					   "task %s does not belong to project %s of property \"%s\"",
					   te_uuid_text(&req->task_id), te_uuid_text(&req->project_id),
					   req->p_project_id);
	}
}

/*
 * SPEC 6.4.  "A holds level L of feature F in project P": A's workspace role
 * grants (F, L), or A is a member of P whose project role grants (F, L).
 */
static void
check_permissions(const TeRequest *req, const TeContext *cx, TeProblems *p)
{
	bool		owner;

	if (cx->actor_is_admin)
		return;
	owner = memcmp(&cx->actor, &req->user_id, sizeof(pg_uuid_t)) == 0;

	if (!owner)
	{
		bool		allowed = cx->ws_track_write ||
			(cx->has_project && cx->project_track_write);

		if (!allowed)
			te_problem(p, TE_R_PERMISSION, req->p_user_id,
					   cx->has_project
					   ? "Booking time for another user on a project needs write access to project-timetracking, from the workspace role or from a project role in that project."
					   : "Booking time for another user without a project needs write access to project-timetracking from the workspace role.",
					   NULL,
					   "permission denied for property \"%s\": actor %s cannot book time for user %s",
					   req->p_user_id, te_uuid_text(&cx->actor), te_uuid_text(&req->user_id));
	}
	if (req->has_task_id)
	{
		bool		allowed = cx->task_assignee ||
			(cx->task_has_project && (cx->ws_planning || cx->task_project_planning));

		if (!allowed)
			te_problem(p, TE_R_PERMISSION, req->p_task_id,
					   cx->task_has_project
					   ? "Booking on a task needs the actor to be assigned to it, or to hold access to project-planning-data in the task's project."
					   : "Booking on a private task needs the actor to be assigned to it.",
					   NULL,
					   "permission denied for property \"%s\": actor %s cannot book time on task %s",
					   req->p_task_id, te_uuid_text(&cx->actor), te_uuid_text(&req->task_id));
	}
}

/* The property that names the end of a timed entry, for messages. */
static const char *
end_property(const TeRequest *req)
{
	TeGroup		g = req->group_used[TE_GROUP_LOCAL] ? TE_GROUP_LOCAL : TE_GROUP_UTC;

	if (req->end_time[g].present)
		return req->end_time[g].property;
	return req->end_date[g].property;
}

/* The property that names the start of the entry, for messages. */
static const char *
start_property(const TeRequest *req)
{
	TeGroup		g = req->group_used[TE_GROUP_LOCAL] ? TE_GROUP_LOCAL : TE_GROUP_UTC;

	if (req->start_time[g].present)
		return req->start_time[g].property;
	return req->start_date[g].property;
}

/* SPEC 6.5 (and the max_duration of 4.8); admins are exempt. */
static void
check_settings(const TeRequest *req, const TeTimes *t, const TeContext *cx,
			   TimestampTz now, TeProblems *p)
{
	if (cx->actor_is_admin)
		return;

	if (cx->has_max_duration && t->duration > cx->max_duration)
	{
		/* the property that set the length: the end, else duration */
		bool		by_end = t->kind == TE_KIND_TIMED &&
			(req->end_time[TE_GROUP_UTC].present || req->end_date[TE_GROUP_UTC].present ||
			 req->end_time[TE_GROUP_LOCAL].present || req->end_date[TE_GROUP_LOCAL].present);
		const char *prop = by_end ? end_property(req) : req->p_duration;

		te_problem(p, TE_R_DURATION_RANGE, prop,
				   psprintf("The workspace allows at most %d seconds for one entry.",
							cx->max_duration),
				   NULL,
				   "property \"%s\" makes the entry %d seconds long, more than the workspace's maximum of %d",
				   prop, t->duration, cx->max_duration);
	}

	if (cx->prevent_on_closed_projects && cx->has_project &&
		cx->project_found && cx->project_is_closed)
		te_problem(p, TE_R_INVALID_OPERATION,
				   req->has_project_id ? req->p_project_id : req->p_task_id,
				   "The workspace does not allow time on closed projects.", NULL,
				   "project %s of property \"%s\" is closed",
				   te_uuid_text(&cx->project_id),
				   req->has_project_id ? req->p_project_id : req->p_task_id);

	/* the day rules need the entry's time zone ("today" is local) */
	if (req->tz != NULL && (cx->prevent_in_future || cx->has_allow_on_past_days))
	{
		DateADT		today = te_local_date(now, req->tz, NULL);
		const char *prop = start_property(req);

		if (cx->prevent_in_future && t->date_local > today)
			te_problem(p, TE_R_FUTURE_OR_PAST, prop,
					   psprintf("Today is %s in time zone \"%s\"; the workspace does not allow entries on later days.",
								te_format_date(today), req->timezone),
					   NULL,
					   "property \"%s\" puts the entry on %s, a day in the future",
					   prop, te_format_date(t->date_local));
		if (cx->has_allow_on_past_days &&
			(int64) t->date_local < (int64) today - cx->allow_on_past_days)
			te_problem(p, TE_R_FUTURE_OR_PAST, prop,
					   psprintf("Today is %s in time zone \"%s\"; the workspace allows entries at most %d days before today.",
								te_format_date(today), req->timezone, cx->allow_on_past_days),
					   NULL,
					   "property \"%s\" puts the entry on %s, too far in the past",
					   prop, te_format_date(t->date_local));
	}
}

/* SPEC 6.6: isBillable from the project, isBilled false; billed => billable. */
static void
apply_defaults(const TeRequest *req, TeContext *cx, TeProblems *p)
{
	cx->is_billable = req->has_is_billable ? req->is_billable
		: (cx->has_project && cx->project_billable_by_default);
	cx->is_billed = req->has_is_billed ? req->is_billed : false;
	if (cx->is_billed && !cx->is_billable)
		te_problem(p, TE_R_INVALID_OPERATION, req->p_is_billed,
				   "Only a billable entry can be billed.",
				   req->has_is_billable ? NULL : "Set \"isBillable\" to true as well.",
				   "property \"%s\" cannot be true for an entry that is not billable",
				   req->p_is_billed);
}

/*
 * SPEC 6.3 to 6.6 over a parsed request with derived times.  References
 * come first; permissions and settings are only judged over references that
 * exist.
 */
void
te_check_rules(const TeRequest *req, const TeTimes *t, TeContext *cx,
			   TimestampTz now, TeProblems *p)
{
	bool		refs_ok;

	check_references(req, cx, p);
	if (te_stop(p))
		return;

	/*
	 * Permissions are judged over the objects that exist and agree: a user,
	 * task or project that is missing, or a task that does not belong to
	 * the project, leaves nothing to judge.  (An archived type of work or a
	 * deactivated user does not stop validate_entry from judging them.)
	 */
	refs_ok = req->has_user_id && cx->user_found &&
		(!req->has_task_id || cx->task_found) &&
		(!req->has_project_id || cx->project_found) &&
		!(req->has_task_id && req->has_project_id && cx->task_found &&
		  (!cx->task_has_project ||
		   memcmp(&cx->task_project_id, &req->project_id, sizeof(pg_uuid_t)) != 0));
	if (refs_ok && cx->has_actor && cx->actor_found && !cx->actor_is_deactivated)
		check_permissions(req, cx, p);
	if (te_stop(p))
		return;
	if (t != NULL)
		check_settings(req, t, cx, now, p);
	if (te_stop(p))
		return;
	apply_defaults(req, cx, p);
}

/*
 * Does the user have a running entry?  Looks at the latest committed state
 * rather than the transaction's snapshot (see te_find_overlap).
 */
bool
te_has_running_entry(const pg_uuid_t *user_id)
{
	Datum		values[1];
	int			rc;

	if (running_plan == NULL)
	{
		Oid			types[1] = {UUIDOID};

		running_plan = te_keep_plan(running_sql, 1, types);
	}
	values[0] = UUIDPGetDatum((pg_uuid_t *) user_id);
	rc = te_execute(running_plan, values, NULL, true, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	return SPI_processed > 0;
}

/*
 * Does a timed entry of the user overlap [start, end)?  (end is
 * DT_NOEND for a running entry.)  Looks at the latest committed state, so
 * that under REPEATABLE READ an entry committed after the snapshot, by a
 * writer that held the user's lock before us, is seen.  Sets *other to
 * the id of an overlapping entry.
 */
bool
te_find_overlap(const pg_uuid_t *user_id, TimestampTz start, TimestampTz end,
				pg_uuid_t *other)
{
	Datum		values[3];
	int			rc;
	bool		found;

	if (overlap_plan == NULL)
	{
		Oid			types[3] = {UUIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID};

		overlap_plan = te_keep_plan(overlap_sql, 3, types);
	}
	values[0] = UUIDPGetDatum((pg_uuid_t *) user_id);
	values[1] = TimestampTzGetDatum(start);
	values[2] = TimestampTzGetDatum(end);
	rc = te_execute(overlap_plan, values, NULL, true, true, 1);
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

	if (m->held != NULL && m->lxid == MyProc->lxid &&
		m->subxid == GetCurrentSubTransactionId() &&
		hash_get_num_entries(m->held) < TE_LOCK_MEMO_MAX)
		return m->held;
	MemoryContextReset(m->cxt);
	ctl.keysize = sizeof(pg_uuid_t);
	ctl.entrysize = sizeof(pg_uuid_t);
	ctl.hcxt = m->cxt;
	m->held = hash_create("time_entry user locks", 64, &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	m->lxid = MyProc->lxid;
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
