/*
 * lifecycle.c
 *		The life of an entry after its creation (SPEC 9): read it, list
 *		entries, correct it, stop a timer, delete it.
 *
 * Each operation runs the checks of SPEC 9 in order: the actor (6.1); the
 * arguments themselves; the entry exists and the actor may read it (else
 * not-found: an entry the actor may not read is never revealed);
 * expected_version; the actor may change (or delete) it; then the changes
 * and the rules.  The first problem is raised, with the fields of SPEC 7.1.
 * The same pieces as the create path do the work: request.c reads a patch,
 * timecalc.c derives its times, lookup.c and rules.c judge the new state,
 * store.c writes through the executor, response.c answers.
 *
 * Writes lock the entry (SELECT ... FOR UPDATE) before expected_version is
 * compared, so that of two updates from the same version exactly one wins
 * (the other waits, then sees the new version); timers and changes of the
 * user or the times take the user's lock as the create path does.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "time_entry.h"

/* One call of an operation: the problems (raised), the context, the cache. */
typedef struct Call
{
	MemoryContext outer;
	TeProblems	p;
	TeContext	cx;
	TeLookupCache *cache;
	TimestampTz now;
} Call;

/*
 * Start a call: connect to SPI, look up the actor and check it (6.1).  A
 * writing call (cmd) in a read-only transaction fails as that command
 * would.
 */
static void
begin_call(Call *call, bool has_actor_arg, const pg_uuid_t *actor_arg,
		   const char *cmd, TeLookupCache *cache)
{
	pg_uuid_t	actor;
	bool		has_actor = te_resolve_actor(has_actor_arg, actor_arg, &actor);
	int			rc;

	if (cmd)
		PreventCommandIfReadOnly(cmd);
	call->outer = CurrentMemoryContext;
	call->now = GetCurrentStatementStartTimestamp();
	te_problems_init(&call->p, TE_MODE_RAISE);
	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(call->outer);
	if (cache != NULL)
		call->cache = te_lookup_begin(cache);
	else
	{
		/* one for this backend's calls, which start it over one by one */
		static TeLookupCache *call_cache = NULL;

		if (call_cache == NULL)
			call_cache = te_lookup_cache_create(TopMemoryContext);
		call->cache = te_lookup_begin_call(call_cache);
	}
	te_lookup_actor(has_actor, &actor, &call->cx, call->cache);
	te_check_actor(&call->cx, &call->p);
}

static void
end_call(Call *call)
{
	int			rc;

	MemoryContextSwitchTo(call->outer);
	if ((rc = SPI_finish()) != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(call->outer);
}

/* An argument that may not be NULL (SPEC 9: 23502 on its property). */
static void
require(Call *call, const void *arg, const char *property)
{
	if (arg == NULL)
		te_problem(&call->p, TE_R_REQUIRED, property,
				   "The argument is NULL.", NULL,
				   "property \"%s\" is required", property);
}

static void
report_not_found(Call *call, const pg_uuid_t *id)
{
	te_problem(&call->p, TE_R_ENTRY_NOT_FOUND, "id",
			   "No entry has this id, or the actor may not read it.", NULL,
			   "entry %s of property \"id\" does not exist", te_uuid_text(id));
}

/*
 * The entry id, locked FOR UPDATE when lock, that the actor may read; else
 * not-found (an entry the actor may not read is not revealed).
 */
static void
readable_entry(Call *call, const pg_uuid_t *id, bool lock, TeRow *row)
{
	if (!te_read_entry(id, &call->cx.workspace, lock, false, row, NULL) ||
		!te_may(TE_ACCESS_READ, &call->cx, row, call->cache))
		report_not_found(call, id);
}

static void
check_version(Call *call, const TeRow *row, bool has_expected, int64 expected)
{
	if (has_expected && expected != row->resource_version)
		te_problem(&call->p, TE_R_VERSION_CONFLICT, "resourceVersion",
				   psprintf("The entry is at version " INT64_FORMAT ", not " INT64_FORMAT ".",
							row->resource_version, expected),
				   "Read the entry again, and apply the change to what it is now.",
				   "entry %s has changed since version " INT64_FORMAT,
				   te_uuid_text(&row->id), expected);
}

static void
check_may(Call *call, TeAccess what, const TeRow *row, const char *property)
{
	if (!te_may(what, &call->cx, row, call->cache))
		te_problem(&call->p, TE_R_PERMISSION, property,
				   what == TE_ACCESS_DELETE
				   ? "Deleting another user's entry needs delete access to project-timetracking in its project (or, without one, from the workspace role)."
				   : "Changing another user's entry needs write access to project-timetracking in its project (or, without one, from the workspace role).",
				   NULL,
				   "permission denied for property \"%s\": actor %s cannot %s entry %s",
				   property, te_uuid_text(&call->cx.actor),
				   what == TE_ACCESS_DELETE ? "delete" : "change",
				   te_uuid_text(&row->id));
}

/* The response of a stored row, its references looked up. */
static Jsonb *
response_of(Call *call, const TeRow *row)
{
	TeRefs		refs;

	te_lookup_refs(row, &refs, call->cache);
	return te_build_response(row, &refs);
}

/*
 * SELECT time_entry.get_entry(id, actor);		(SPEC 9.2)
 */
Jsonb *
te_get_entry(const pg_uuid_t *id, bool has_actor_arg, const pg_uuid_t *actor_arg)
{
	Call		call;
	TeRow		row;
	Jsonb	   *result;

	begin_call(&call, has_actor_arg, actor_arg, NULL, NULL);
	require(&call, id, "id");
	readable_entry(&call, id, false, &row);
	result = response_of(&call, &row);
	end_call(&call);
	return result;
}

/*
 * SELECT time_entry.delete_entry(id, actor, expected_version);	(SPEC 9.5)
 */
Jsonb *
te_delete_entry(const pg_uuid_t *id, bool has_actor_arg,
				const pg_uuid_t *actor_arg, bool has_expected, int64 expected)
{
	Call		call;
	TeRow		row;
	TeRow		deleted;
	TeRefs		refs;
	TeActorScope saved;
	Jsonb	   *result;

	begin_call(&call, has_actor_arg, actor_arg, "DELETE", NULL);
	require(&call, id, "id");
	readable_entry(&call, id, true, &row);
	check_version(&call, &row, has_expected, expected);
	check_may(&call, TE_ACCESS_DELETE, &row, "id");
	if (row.is_billed && !call.cx.actor_is_admin)
		te_problem(&call.p, TE_R_PERMISSION, "isBilled",
				   "The entry is billed: only an admin may delete it.", NULL,
				   "permission denied for property \"isBilled\": entry %s is billed",
				   te_uuid_text(&row.id));
	te_lookup_refs(&row, &refs, call.cache);
	te_check_stored_entry(&call.cx, &row, &refs, call.now, &call.p);
	te_check_snapshot_current();

	/* a DELETE trigger of the owner's sees the actor as the setting would */
	te_actor_enter(&call.cx.actor, &saved);
	PG_TRY();
	{
		te_delete(id, &row.workspace_id, &deleted);
	}
	PG_FINALLY();
	{
		te_actor_leave(&saved);
	}
	PG_END_TRY();
	result = te_build_response(&deleted, &refs);
	end_call(&call);
	return result;
}

/*
 * Stop running entry row (locked) at end, capped at start + max_duration
 * when that is set (a forgotten timer is capped, not refused); writes it
 * as the actor and fills *stored.
 */
static void
stop_entry(const TeContext *cx, const TeRow *row, TimestampTz end,
		   TeRow *stored)
{
	TeRow		values = *row;
	int64		seconds;

	if (cx->settings.has_max_duration &&
		end - row->start_at > (int64) cx->settings.max_duration * USECS_PER_SEC)
		end = row->start_at + (int64) cx->settings.max_duration * USECS_PER_SEC;
	seconds = (end - row->start_at) / USECS_PER_SEC - row->break_duration;
	values.has_end = true;
	values.end_at = end;
	values.duration = (int32) Max(Min(seconds, PG_INT32_MAX), 0);
	te_update(&values, &cx->actor, stored);
}

/*
 * The running entry of user, locked, that the actor may change (start_timer
 * and stop_timer).  Under the user's lock, taken first, so that timers of
 * one user queue.  False when there is none the actor may read; a running
 * entry it may read but not change is refused (42501 on userId).
 */
static bool
running_entry(const TeContext *cx, const pg_uuid_t *user_id, TeUserLocks *locks,
			  TeLookupCache *cache, TeProblems *p, TeRow *row)
{
	/* a user of another workspace is not locked, nor its entries read */
	if (!te_user_in_workspace(cx, user_id, cache))
		return false;
	te_lock_user(user_id, locks);
	if (!te_read_running(user_id, row))
	{
		/* committed after the snapshot (REPEATABLE READ): cannot be seen */
		if (te_find_running(user_id, NULL, NULL))
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to concurrent update"),
					 errdetail("The user's running entry was started by a transaction committed after this transaction's snapshot."),
					 errhint("Retry the transaction.")));
		return false;
	}
	if (!te_may(TE_ACCESS_READ, cx, row, cache))
		return false;
	if (!te_may(TE_ACCESS_CHANGE, cx, row, cache))
		te_problem(p, TE_R_PERMISSION, "userId",
				   "Stopping another user's timer needs write access to project-timetracking in its project (or, without one, from the workspace role).",
				   NULL,
				   "permission denied for property \"userId\": actor %s cannot stop the running entry of user %s",
				   te_uuid_text(&cx->actor), te_uuid_text(user_id));
	return true;
}

/*
 * start_timer (SPEC 9.4): the user's running entry, if any, is stopped at
 * the new entry's start before the new one is written, both in the same
 * transaction.  Called by the create path, with the request's checks
 * passed.  A new start before the running one's is refused.
 */
void
te_stop_for_timer(const TeRequest *req, TeTimes *t, TeContext *cx,
				  TeUserLocks *locks, TeLookupCache *cache, TeProblems *p)
{
	TeRow		running;
	TeRow		stopped;

	if (!running_entry(cx, &req->user_id, locks, cache, p, &running) ||
		te_stop(p))
		return;

	/*
	 * A timer that starts "now" met a running entry started later: another
	 * call for the user, whose statement began after this one's, won the
	 * user's lock first.  Starting "now" means no earlier than that entry
	 * (as stop_timer's default end is never before the start): the new timer
	 * starts where the running one does, which ends with no time.
	 */
	if (t->start_at < running.start_at && te_timer_starts_now(req) && req->tz != NULL)
	{
		t->start_at = running.start_at;
		t->date_local = te_local_date(t->start_at, req->tz, NULL);
	}
	if (t->start_at < running.start_at)
	{
		te_problem(p, TE_R_END_BEFORE_START, t->start_prop,
				   psprintf("The user's running entry %s started at %s; the new timer would stop it before its start.",
							te_uuid_text(&running.id), te_format_instant(running.start_at, NULL)),
				   "Start the new timer at or after the start of the running one.",
				   "property \"%s\" starts the timer before the running entry of the user",
				   t->start_prop);
		return;
	}
	stop_entry(cx, &running, t->start_at, &stopped);
}

/*
 * SELECT time_entry.stop_timer(user_id, actor, end_at);	(SPEC 9.4)
 */
Jsonb *
te_stop_timer(const pg_uuid_t *user_id, bool has_actor_arg,
			  const pg_uuid_t *actor_arg, bool has_end, TimestampTz end_at)
{
	Call		call;
	TeRow		running;
	TeRow		stopped;
	TimestampTz end;
	Jsonb	   *result;

	begin_call(&call, has_actor_arg, actor_arg, "UPDATE", NULL);
	require(&call, user_id, "userId");
	if (!running_entry(&call.cx, user_id, NULL, call.cache, &call.p, &running))
		te_problem(&call.p, TE_R_ENTRY_NOT_FOUND, "userId",
				   "The user has no running entry, or the actor may not read it.",
				   NULL,
				   "user %s of property \"userId\" has no running time entry",
				   te_uuid_text(user_id));
	/* the default end: now, but never before the start */
	end = Max(call.now, running.start_at);
	if (has_end)
	{
		if (end_at < running.start_at)
			te_problem(&call.p, TE_R_END_BEFORE_START, "endAt",
					   psprintf("The entry would end at %s, before its start at %s.",
								te_format_instant(end_at, NULL),
								te_format_instant(running.start_at, NULL)),
					   NULL,
					   "property \"endAt\" puts the end before the start");
		if (TIMESTAMP_NOT_FINITE(end_at) ||
			end_at >= (int64) te_end_day() * USECS_PER_DAY)
		{
			const char *text = TIMESTAMP_NOT_FINITE(end_at) ? "infinity"
				: te_format_instant(end_at, NULL);

			te_report_date_range(&call.p, "endAt", text, strlen(text));
		}
		end = end_at;
	}
	te_check_snapshot_current();
	stop_entry(&call.cx, &running, end, &stopped);
	result = response_of(&call, &stopped);
	end_call(&call);
	return result;
}

/*
 * Lock order.  The timers lock the user and then the user's running entry
 * (running_entry); a create locks its users in the order of their ids.  An
 * update that may need users' locks (its checks of the running entry and
 * of overlaps) takes them in the same way before it locks the entry: the
 * entry's user and, when the changes name one, the new user, in the order
 * of their ids.  Otherwise two updates moving entries between two users in
 * opposite directions, or an update and a timer, would each hold what the
 * other waits for: a deadlock, which PostgreSQL resolves by cancelling one
 * of the calls.
 *
 * The entry's user is read without a lock first.  If the entry is moved to
 * another user before this call locks it, the users locked are the wrong
 * ones; so the users and the entry are locked in a subtransaction, all let
 * go again when the entry's user is not among them (a lock kept from the
 * wrong try would be held out of order), and the users read again.  An update that needs
 * no user's lock (the entry not running, overlaps allowed or the actor an
 * admin) takes only the entry's lock, later, as a plain UPDATE would.
 */
static bool
entry_locked_for(const pg_uuid_t *id, const pg_uuid_t *ws, const Datum *users,
				 int n)
{
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	TeRow		row;
	bool		ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		te_lock_users((Datum *) users, n, true, NULL);
		ok = !te_read_entry(id, ws, true, false, &row, NULL) || !row.has_user_id;
		for (int i = 0; !ok && i < n; i++)
			ok = te_uuid_eq(&row.user_id, DatumGetUUIDP(users[i]));
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	if (ok)
		ReleaseCurrentSubTransaction();
	else
		RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(caller);
	CurrentResourceOwner = owner;
	return ok;
}

static void
lock_users_first(Call *call, const pg_uuid_t *id, Jsonb *changes)
{
	pg_uuid_t	new_user;
	bool		has_new_user = false;
	JsonbValue	v;

	if (id == NULL || !call->cx.actor_found)
		return;
	if (changes != NULL && JB_ROOT_IS_OBJECT(changes) &&
		getKeyJsonValueFromContainer(&changes->root, "userId", 6, &v) &&
		v.type == jbvString)
		has_new_user = te_parse_uuid(v.val.string.val, v.val.string.len, &new_user) &&
			te_user_in_workspace(&call->cx, &new_user, call->cache);

	for (int attempt = 0; attempt < 8; attempt++)
	{
		TeRow		peek;
		Datum		users[2];
		int			n = 0;

		if (!te_peek_entry(id, &peek) ||
			!te_uuid_eq(&peek.workspace_id, &call->cx.workspace))
			return;
		if (!(call->cx.settings.prevent_overlaps && !call->cx.actor_is_admin) &&
			te_row_kind(&peek) != TE_KIND_RUNNING)
			return;
		if (peek.has_user_id)
			users[n++] = UUIDPGetDatum(&peek.user_id);
		if (has_new_user && (!peek.has_user_id || !te_uuid_eq(&new_user, &peek.user_id)))
			users[n++] = UUIDPGetDatum(&new_user);
		if (n == 0)
			return;
		if (entry_locked_for(id, &call->cx.workspace, users, n))
			return;
	}
}

/*
 * The property an overlap is reported on: the change that moved the entry
 * there -- its start when a start property was sent, else its end or
 * duration, else (a new user) userId.
 */
static const char *
overlap_property(const TeRequest *patch, const TeTimes *t)
{
	const uint64 start_bits = TE_PROP_BIT(TE_P_START_DATE_UTC) |
		TE_PROP_BIT(TE_P_START_TIME_UTC) | TE_PROP_BIT(TE_P_START_DATE_LOCAL) |
		TE_PROP_BIT(TE_P_START_TIME_LOCAL);
	const uint64 length_bits = TE_PROP_BIT(TE_P_END_DATE_UTC) |
		TE_PROP_BIT(TE_P_END_TIME_UTC) | TE_PROP_BIT(TE_P_END_DATE_LOCAL) |
		TE_PROP_BIT(TE_P_END_TIME_LOCAL) | TE_PROP_BIT(TE_P_DURATION);

	if (patch->sent & start_bits)
		return t->start_prop;
	if (patch->sent & length_bits)
		return t->length_prop;
	return patch->p_user_id;
}

/* Do two optional uuids differ? */
static bool
differ(bool has_a, const pg_uuid_t *a, bool has_b, const pg_uuid_t *b)
{
	return has_a != has_b || (has_a && !te_uuid_eq(a, b));
}

/*
 * The entry's new state as a create request (for the rules), from the
 * stored row and the patch (SPEC 9.3): an absent property keeps its value;
 * null clears the project, the task or the note, and resets isBillable and
 * isBilled to their defaults (6.6).  A patch that names a task and not a
 * project lets the project follow the task (the task's, or none for a
 * private one), as a create request does.
 */
static void
merge_patch(const TeRequest *patch, const TeRow *stored, TeRequest *next)
{
	te_request_init(next, TE_REQ_CREATE);

	next->has_user_id = patch->has_user_id || stored->has_user_id;
	next->user_id = patch->has_user_id ? patch->user_id : stored->user_id;
	next->has_type_of_work_id = true;
	next->type_of_work_id = patch->has_type_of_work_id ? patch->type_of_work_id
		: stored->type_of_work_id;
	if (patch->has_timezone)
	{
		next->has_timezone = true;
		next->tz = patch->tz;
		next->timezone = patch->timezone;
	}
	else if (stored->timezone &&
			 te_lookup_timezone(stored->timezone, strlen(stored->timezone),
								&next->tz, &next->timezone))
		next->has_timezone = true;

	if (patch->has_note)
	{
		next->has_note = true;
		next->note = patch->note;
	}
	else if (!(patch->nulled & TE_PROP_BIT(TE_P_NOTE)) && stored->note)
	{
		next->has_note = true;
		next->note = stored->note;
	}

	if (patch->has_task_id)
	{
		next->has_task_id = true;
		next->task_id = patch->task_id;
	}
	else if (!(patch->nulled & TE_PROP_BIT(TE_P_TASK_ID)) && stored->has_task_id)
	{
		next->has_task_id = true;
		next->task_id = stored->task_id;
	}

	if (patch->has_project_id)
	{
		next->has_project_id = true;
		next->project_id = patch->project_id;
	}
	else if (!((patch->sent | patch->nulled) &
			   (TE_PROP_BIT(TE_P_PROJECT_ID) | TE_PROP_BIT(TE_P_TASK_ID))) &&
			 stored->has_project_id)
	{
		next->has_project_id = true;
		next->project_id = stored->project_id;
	}

	if (patch->has_is_billable)
	{
		next->has_is_billable = true;
		next->is_billable = patch->is_billable;
	}
	else if (!(patch->nulled & TE_PROP_BIT(TE_P_IS_BILLABLE)))
	{
		next->has_is_billable = true;
		next->is_billable = stored->is_billable;
	}
	if (patch->has_is_billed)
	{
		next->has_is_billed = true;
		next->is_billed = patch->is_billed;
	}
	else if (!(patch->nulled & TE_PROP_BIT(TE_P_IS_BILLED)))
	{
		next->has_is_billed = true;
		next->is_billed = stored->is_billed;
	}
}

/*
 * SELECT time_entry.update_entry(id, changes, actor, expected_version);
 *														(SPEC 9.3)
 */
Jsonb *
te_update_entry(const pg_uuid_t *id, Jsonb *changes, bool has_actor_arg,
				const pg_uuid_t *actor_arg, bool has_expected, int64 expected)
{
	Call		call;
	TeProblems *p = &call.p;
	TeContext  *cx = &call.cx;
	TeRow		stored;
	TeRefs		stored_refs;
	TeRequest	patch;
	TeRequest	next;
	TeTimes		t;
	TeRow		values;
	TeRow		result_row;
	TeRefs		refs;
	uint64		named;
	uint64		time_bits = 0;
	bool		touch_user,
				touch_project,
				touch_task,
				touch_time;
	Jsonb	   *result;

	begin_call(&call, has_actor_arg, actor_arg, "UPDATE", NULL);
	require(&call, id, "id");
	if (changes == NULL)
		te_report_not_object(p, "changes", "SQL NULL");
	else if (!JB_ROOT_IS_OBJECT(changes))
		te_report_not_object(p, "changes",
							 JB_ROOT_IS_SCALAR(changes) ? "a JSON scalar" : "a JSON array");
	lock_users_first(&call, id, changes);
	readable_entry(&call, id, true, &stored);
	check_version(&call, &stored, has_expected, expected);
	check_may(&call, TE_ACCESS_CHANGE, &stored, "id");

	/* the changes: shape and formats (SPEC 3), a patch's nulls */
	te_request_init(&patch, TE_REQ_PATCH);
	te_parse_request(changes, &patch, p);

	/* the stored entry is guarded (SPEC 9.3) */
	te_lookup_refs(&stored, &stored_refs, call.cache);
	te_check_stored_entry(cx, &stored, &stored_refs, call.now, p);

	/* the new state, and its times */
	merge_patch(&patch, &stored, &next);
	if (!next.has_timezone)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("time entry %s has an unknown time zone", te_uuid_text(&stored.id))));
	patch.tz = next.tz;
	patch.timezone = next.timezone;
	(void) te_derive_patch_times(&patch, &stored, call.now, &t, p);

	/* what the changes reach */
	named = patch.sent | patch.nulled;
	for (int i = TE_P_START_DATE_UTC; i <= TE_P_END_TIME_LOCAL; i++)
		time_bits |= TE_PROP_BIT(i);
	touch_user = named & TE_PROP_BIT(TE_P_USER_ID);
	touch_task = named & TE_PROP_BIT(TE_P_TASK_ID);
	touch_time = named & (time_bits | TE_PROP_BIT(TE_P_DURATION) | TE_PROP_BIT(TE_P_TIMEZONE));
	if (!(named & (time_bits | TE_PROP_BIT(TE_P_DURATION))))
		t.start_prop = touch_user ? patch.p_user_id
			: (named & TE_PROP_BIT(TE_P_PROJECT_ID)) ? patch.p_project_id
			: patch.p_timezone;

	/* references (6.3) of what the changes name, over the new state */
	te_lookup_request(&next, cx, call.cache);
	touch_project = (named & TE_PROP_BIT(TE_P_PROJECT_ID)) ||
		differ(cx->has_project, &cx->project_id, stored.has_project_id, &stored.project_id);
	te_check_references(&next, cx, named, p);

	/* permissions (6.4) on the new state */
	if ((touch_user || touch_project || touch_task) && !cx->actor_is_admin)
		te_check_permissions(&next, cx, p);

	/* settings (6.5) and max_duration (4.8) where the changes reach */
	te_check_settings(&next, &t, cx, call.now, touch_time,
					  touch_time || touch_user || touch_project,
					  touch_time || touch_user || touch_project, p);

	/* billing (9.3), then defaults (6.6) */
	te_default_billing(&next, cx);
	memset(&values, 0, sizeof(TeRow));
	values.id = stored.id;
	values.workspace_id = stored.workspace_id;
	values.has_user_id = next.has_user_id;
	values.user_id = next.user_id;
	values.type_of_work_id = next.type_of_work_id;
	values.has_project_id = cx->has_project;
	values.project_id = cx->project_id;
	values.has_task_id = next.has_task_id;
	values.task_id = next.task_id;
	values.note = next.has_note ? next.note : NULL;
	values.timezone = (char *) next.timezone;
	values.date_local = t.date_local;
	values.has_start = t.kind != TE_KIND_DATE_ONLY;
	values.start_at = t.start_at;
	values.has_end = t.kind == TE_KIND_TIMED;
	values.end_at = t.end_at;
	values.duration = t.duration;
	values.break_duration = stored.break_duration;
	values.is_billable = cx->is_billable;
	values.is_billed = cx->is_billed;
	te_check_billing(cx, &stored, &values, &patch, t.length_prop, p);
	te_check_billed_billable(&next, cx, p);

	/* conflicts with the user's other entries, under the user's lock */
	if (values.has_user_id && (touch_user || touch_time))
	{
		bool		running = t.kind == TE_KIND_RUNNING;
		bool		overlaps = cx->settings.prevent_overlaps &&
			t.kind != TE_KIND_DATE_ONLY && !cx->actor_is_admin;
		pg_uuid_t	other;

		if ((running && touch_user) || overlaps)
			te_lock_user(&values.user_id, NULL);
		if (running && touch_user && te_find_running(&values.user_id, &stored.id, NULL))
			te_problem(p, TE_R_ALREADY_RUNNING, patch.p_user_id,
					   "A user has at most one running entry.",
					   "Stop the user's running entry first.",
					   "user %s of property \"%s\" already has a running time entry",
					   te_uuid_text(&values.user_id), patch.p_user_id);
		if (overlaps && (running || t.end_at > t.start_at) &&
			te_find_overlap(&values.user_id, t.start_at,
							running ? DT_NOEND : t.end_at, &stored.id, &other))
			te_problem(p, TE_R_OVERLAP, overlap_property(&patch, &t),
					   psprintf("The entry would overlap entry %s of the same user.",
								te_uuid_text(&other)),
					   "The workspace setting prevent_overlaps is on; entries may touch but not overlap.",
					   "the time entry overlaps another time entry of the user");
	}

	te_check_snapshot_current();
	te_update(&values, &cx->actor, &result_row);
	te_refs_for_row(&result_row, &next, cx, &refs, call.cache);
	result = te_build_response(&result_row, &refs);
	end_call(&call);
	return result;
}

/*
 * The projects in which the actor holds project-timetracking through its
 * project role, at any level (SPEC 9.1): a uuid[] for the list query.
 */
static Datum
readable_projects(const TeContext *cx)
{
	static SPIPlanPtr plan = NULL;
	Datum		values[2];
	bool		isnull;
	int			rc;
	Datum		result;

	if (plan == NULL)
	{
		Oid			types[2] = {UUIDOID, UUIDOID};

		plan = te_keep_plan("SELECT coalesce(array_agg(m.project_id), '{}')"
							"  FROM time_entry.project_members m"
							" WHERE m.workspace_id = $2 AND m.user_id = $1"
							"   AND EXISTS (SELECT FROM time_entry.project_role_permissions r"
							"                WHERE r.project_role_id = m.project_role_id"
							"                  AND r.feature = 'project-timetracking')",
							2, types);
	}
	values[0] = UUIDPGetDatum((pg_uuid_t *) &cx->actor);
	values[1] = UUIDPGetDatum((pg_uuid_t *) &cx->workspace);
	rc = te_execute_probe(plan, values, NULL, true, false, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	result = datumCopy(result, false, -1);
	SPI_freetuptable(SPI_tuptable);
	return result;
}

/*
 * SELECT * FROM time_entry.list_entries(actor, user_id, project_id,
 *										  from_date, to_date);	(SPEC 9.7)
 *
 * The response objects of the entries of the actor's workspace that it may
 * read, filtered by user, project and local day (inclusive), ordered by
 * start (a date-only entry by its day's local midnight in its time zone),
 * then id.  An actor who may read the whole workspace (an admin, or a
 * workspace role with project-timetracking) is filtered by the arguments
 * alone; any other reads its own entries and those of the projects whose
 * project role lets it.  The query names only what is given, and is
 * planned with the values, so that it runs from the indexes on
 * (workspace_id, user_id, date_local), (workspace_id, project_id,
 * date_local) and (workspace_id, date_local): its cost grows with the rows
 * returned, not with the table.  Rows come from a cursor, a batch at a time, each
 * response built in memory reset for the next.
 */
void
te_list_entries(bool has_actor_arg, const pg_uuid_t *actor_arg,
				const pg_uuid_t *user_id, const pg_uuid_t *project_id,
				const DateADT *from_date, const DateADT *to_date,
				TeListSink sink, void *arg)
{
	Call		call;
	StringInfoData sql;
	Datum		values[7];
	Oid			types[7];
	int			n = 0;
	bool		whole;
	const char *and = " WHERE";
	Portal		portal;
	MemoryContext row_cxt;
	TeLookupCache *cache;
	TeTracking	ws;
	int			probe;

	cache = te_lookup_cache_create(CurrentMemoryContext);
	begin_call(&call, has_actor_arg, actor_arg, NULL, cache);
	te_lookup_tracking(&call.cx, false, NULL, &ws, call.cache);
	whole = call.cx.actor_is_admin || ws.any;

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT * FROM %s.%s e", TE_SCHEMA, TE_TABLE);
#define FILTER(cond, type, datum) \
	do { \
		values[n] = (datum); \
		types[n++] = (type); \
		appendStringInfo(&sql, "%s " cond, and, n); \
		and = " AND"; \
	} while (0)
	FILTER("e.workspace_id = $%d", UUIDOID, UUIDPGetDatum(&call.cx.workspace));
	if (user_id)
		FILTER("e.user_id = $%d", UUIDOID, UUIDPGetDatum((pg_uuid_t *) user_id));
	if (project_id)
		FILTER("e.project_id = $%d", UUIDOID, UUIDPGetDatum((pg_uuid_t *) project_id));
	if (from_date)
		FILTER("e.date_local >= $%d", DATEOID, DateADTGetDatum(*from_date));
	if (to_date)
		FILTER("e.date_local <= $%d", DATEOID, DateADTGetDatum(*to_date));
	if (!whole)
	{
		values[n] = UUIDPGetDatum(&call.cx.actor);
		types[n++] = UUIDOID;
		values[n] = readable_projects(&call.cx);
		types[n++] = UUIDARRAYOID;
		appendStringInfo(&sql, "%s (e.user_id = $%d OR e.project_id = ANY ($%d))",
						 and, n - 1, n);
	}
#undef FILTER
	appendStringInfoString(&sql, " ORDER BY coalesce(e.start_at,"
						   " e.date_local::timestamp AT TIME ZONE e.timezone), e.id");

	probe = te_probe_begin();	/* planned from the indexes, whatever the statistics */
	portal = SPI_cursor_open_with_args(NULL, sql.data, n, types, values, NULL,
									   true, CURSOR_OPT_NO_SCROLL);
	te_probe_end(probe);
	MemoryContextSwitchTo(call.outer);
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "time_entry list row",
									ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, 256);
		MemoryContextSwitchTo(call.outer);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(row_cxt);
			TeRow		row;
			TeRefs		refs;

			CHECK_FOR_INTERRUPTS();
			te_row_from_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &row);
			te_lookup_refs(&row, &refs, call.cache);
			sink(arg, te_build_response(&row, &refs));
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(row_cxt);
	end_call(&call);
}
