/*
 * create.c
 *		The create path every create face runs: SPEC 6 in order, with the
 *		request id of 9.6.
 *
 *	1. actor			(6.1)
 *	2. shape, formats	(3), then time (4)	-- parsed by the face already
 *	3. references		(6.3)
 *	   a request id that names an entry already there: the same request
 *	   again (a retry) returns that entry, anything else is a conflict
 *	   (9.6) -- nothing below is checked again for a retry
 *	4. permissions		(6.4)
 *	5. settings			(6.5, and max_duration of 4.8)
 *	6. defaults			(6.6)
 *	7. conflicts		one running entry per user (4.6), overlaps (6.5),
 *						under the user's lock
 *	then the INSERT (store.c).
 *
 * The face parses the request first (the actor check needs no request, but
 * the lookups need the ids), so parse problems are held back and reported
 * after the actor's.
 *
 * "Now" is the statement's time: every call of one statement reads the
 * same day as today, and a timer without a start starts then (SPEC 9.4).
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "time_entry.h"

/* The actor: the argument when given, else the setting time_entry.actor. */
bool
te_resolve_actor(bool has_arg, const pg_uuid_t *arg, pg_uuid_t *actor)
{
	if (has_arg)
	{
		*actor = *arg;
		return true;
	}
	return te_actor_from_setting(actor);
}

/* Report the problems of one list through another (in order). */
static void
append_problems(TeProblems *to, const TeProblems *from)
{
	for (int i = 0; i < from->count; i++)
		te_problems_add(to, &from->items[i]);
}

static void
report_running(const TeRequest *req, TeProblems *p)
{
	te_problem(p, TE_R_ALREADY_RUNNING, req->p_user_id,
			   "A user has at most one running entry.",
			   "Stop the running entry first, or give an end or a duration.",
			   "user %s of property \"%s\" already has a running time entry",
			   te_uuid_text(&req->user_id), req->p_user_id);
}

static void
report_id_conflict(const TeRequest *req, TeProblems *p)
{
	te_problem(p, TE_R_ID_CONFLICT, req->p_id,
			   "An entry with this id exists, made by another request: other values, another actor, or another workspace.",
			   "Give every new request an id of its own; send the same id again only to retry the same request.",
			   "entry %s of property \"%s\" exists already",
			   te_uuid_text(&req->id), req->p_id);
}

/* The written columns (and the id) of the new row. */
static void
new_row_values(const TeRequest *req, const TeTimes *t, const TeContext *cx,
			   TeRow *v)
{
	memset(v, 0, sizeof(TeRow));
	v->id = req->id;
	v->has_user_id = true;
	v->user_id = req->user_id;
	v->type_of_work_id = req->type_of_work_id;
	v->has_project_id = cx->has_project;
	v->project_id = cx->project_id;
	v->has_task_id = req->has_task_id;
	v->task_id = req->task_id;
	v->note = req->has_note ? req->note : NULL;
	v->timezone = (char *) req->timezone;
	v->date_local = t->date_local;
	v->has_start = t->kind != TE_KIND_DATE_ONLY;
	v->start_at = t->start_at;
	v->has_end = t->kind == TE_KIND_TIMED;
	v->end_at = t->end_at;
	v->duration = t->duration;
	v->is_billable = cx->is_billable;
	v->is_billed = cx->is_billed;
	v->workspace_id = cx->workspace;
}

static bool
same_text(const text *a, const text *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/*
 * Does a stored entry hold the values a request derives (SPEC 9.6)?
 * Workspace, user, type of work, project, task, note, time zone, day,
 * kind, start, duration and, for a timed entry, the end; billable and
 * billed.  timer_now: the
 * request is a timer without a start (its start would be "now"), so the
 * stored start stands.
 */
bool
te_same_request(const TeRow *stored, const TeRow *values, bool timer_now)
{
	return te_uuid_eq(&stored->workspace_id, &values->workspace_id) &&
		stored->has_user_id && te_uuid_eq(&stored->user_id, &values->user_id) &&
		te_uuid_eq(&stored->type_of_work_id, &values->type_of_work_id) &&
		stored->has_project_id == values->has_project_id &&
		(!values->has_project_id || te_uuid_eq(&stored->project_id, &values->project_id)) &&
		stored->has_task_id == values->has_task_id &&
		(!values->has_task_id || te_uuid_eq(&stored->task_id, &values->task_id)) &&
		same_text(stored->note, values->note) &&
		stored->timezone != NULL && strcmp(stored->timezone, values->timezone) == 0 &&
		(timer_now || stored->date_local == values->date_local) &&
		stored->has_start == values->has_start &&
		(timer_now || !values->has_start || stored->start_at == values->start_at) &&
		stored->has_end == values->has_end &&
		(!values->has_end || stored->end_at == values->end_at) &&
		stored->duration == values->duration &&
		stored->is_billable == values->is_billable &&
		stored->is_billed == values->is_billed;
}

/*
 * The objects a stored row references, for its response: those the rules
 * looked up for req when the row holds what req named (a BEFORE trigger
 * may have changed it), else looked up again.
 */
void
te_refs_for_row(const TeRow *row, const TeRequest *req, const TeContext *cx,
				TeRefs *refs, TeLookupCache *cache)
{
	const TeRefs *r = &cx->refs;

	if (row->has_user_id && req->has_user_id && r->user_found &&
		te_uuid_eq(&row->user_id, &req->user_id) &&
		req->has_type_of_work_id && r->type_found &&
		te_uuid_eq(&row->type_of_work_id, &req->type_of_work_id) &&
		row->has_project_id == cx->has_project &&
		(!cx->has_project || te_uuid_eq(&row->project_id, &cx->project_id)) &&
		row->has_task_id == req->has_task_id &&
		(!row->has_task_id || (r->task_found && te_uuid_eq(&row->task_id, &req->task_id))))
	{
		*refs = *r;
		return;
	}
	te_lookup_refs(row, refs, cache);
}

/* Is the request a timer without a start, one that starts "now"? */
bool
te_timer_starts_now(const TeRequest *req)
{
	return req->kind == TE_REQ_TIMER &&
		!req->start_date[TE_GROUP_UTC].present &&
		!req->start_date[TE_GROUP_LOCAL].present &&
		!req->start_time[TE_GROUP_UTC].present &&
		!req->start_time[TE_GROUP_LOCAL].present;
}

/*
 * SPEC 9.6: does the request id name an entry already there (seen in the
 * latest committed state, so that a retry waiting on the user's lock sees
 * the entry the first request has just committed)?  If it holds what this
 * request derives and was created by the same actor, it is the result
 * (out->stored, out->retry); any other entry is a conflict.
 */
static bool
existing_entry(const TeRequest *req, TeOutcome *out, bool want_tuple)
{
	TeRow		values;
	TeRow		stored;
	HeapTuple	tuple = NULL;
	TeContext  *cx = &out->cx;

	if (!te_read_entry(&req->id, NULL, false, true, &stored, want_tuple ? &tuple : NULL))
		return false;
	new_row_values(req, &out->times, cx, &values);
	values.is_billable = req->has_is_billable ? req->is_billable
		: (cx->has_project && cx->refs.project_found &&
		   cx->refs.project_billable_by_default);
	values.is_billed = req->has_is_billed && req->is_billed;
	if (te_uuid_eq(&stored.created_by, &cx->actor) &&
		te_same_request(&stored, &values, te_timer_starts_now(req)))
	{
		out->stored = true;
		out->retry = true;
		out->row = stored;
		out->tuple = tuple;
	}
	else
		report_id_conflict(req, &out->problems);
	return true;
}

/*
 * Step 7: conflicts with the user's other entries -- one running entry per
 * user (SPEC 4.6) and, when settings.prevent_overlaps is on, no overlap of
 * timed entries (SPEC 6.5; admins are exempt from the check).
 *
 * When the entry is about to be written, the user's lock is taken first
 * and the checks read the latest committed state: every writer that could
 * conflict has then either committed, and is seen, or waits for us.  This
 * holds under READ COMMITTED and REPEATABLE READ alike.  Admins take the
 * lock too, so that others' checks see their entries.
 */
static void
check_conflicts(const TeRequest *req, TeOutcome *out, bool will_write,
				TeUserLocks *locks, TeProblems *p)
{
	const TeTimes *t = &out->times;
	bool		running = t->kind == TE_KIND_RUNNING;
	bool		overlaps = out->cx.settings.prevent_overlaps &&
		t->kind != TE_KIND_DATE_ONLY;
	pg_uuid_t	other;

	if (!running && !overlaps)
		return;
	if (will_write)
		te_lock_user(&req->user_id, locks);

	if (running && te_find_running(&req->user_id, NULL, NULL))
		report_running(req, p);

	/* an entry of zero length is an empty range: it overlaps nothing */
	if (overlaps && !out->cx.actor_is_admin && !te_stop(p) &&
		(running || t->end_at > t->start_at) &&
		te_find_overlap(&req->user_id, t->start_at,
						running ? DT_NOEND : t->end_at, NULL, &other))
		te_problem(p, TE_R_OVERLAP, req->p_user_id,
				   psprintf("The entry overlaps entry %s of the same user.",
							te_uuid_text(&other)),
				   "The workspace setting prevent_overlaps is on; entries may touch but not overlap.",
				   "the time entry overlaps another time entry of the user of property \"%s\"",
				   req->p_user_id);
}

/*
 * Under REPEATABLE READ and SERIALIZABLE the rules read the transaction's
 * snapshot, like every query of the transaction.  Before writing, make
 * sure that nothing they read was changed by a transaction committed since
 * the snapshot (a project closed, a permission revoked): if it was, fail
 * as a foreign-key check does when the row it relies on changed, with a
 * serialization failure, so that the caller retries the transaction.
 */
void
te_check_snapshot_current(void)
{
	if (IsolationUsesXactSnapshot() && te_lookups_changed())
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to concurrent update"),
				 errdetail("A row of the time_entry directory the rules read was changed by a transaction committed after this transaction's snapshot."),
				 errhint("Retry the transaction.")));
}

/*
 * Run the create path over a parsed request.  parse_problems holds what the
 * face found while parsing (collected in TE_MODE_FIRST for a raising face,
 * so that the actor's problem still comes first).  write: what to do with
 * an approved entry.  want_tuple: fill out->tuple too.  stmt: what the face
 * keeps across its calls in this statement, or NULL.  The caller must not
 * be connected to SPI; all results are allocated in the caller's memory
 * context.
 */
void
te_run_create(TeRequest *req, TeProblems *parse_problems, bool has_actor,
			  const pg_uuid_t *actor, TeMode mode, TeWrite write,
			  bool want_tuple, TeStatement *stmt, TeOutcome *out)
{
	MemoryContext outer = CurrentMemoryContext;
	TeProblems *p = &out->problems;
	TeContext  *cx = &out->cx;
	TimestampTz now = GetCurrentStatementStartTimestamp();
	TeUserLocks *locks = stmt ? stmt->locks : NULL;
	bool		times_ok = false;
	bool		locked = false;
	TeLookupCache *cache;
	int			rc;

	/* a write in a read-only transaction fails as an INSERT would */
	if (write != TE_WRITE_NONE)
		PreventCommandIfReadOnly("INSERT");
	te_problems_init(p, mode);
	p->arguments = parse_problems->arguments;
	out->stored = out->retry = out->approved = false;
	out->tuple = NULL;

	/* time (SPEC 4) belongs to step 2, over a request that parsed */
	if (parse_problems->count == 0 || mode == TE_MODE_ALL)
		times_ok = te_derive_times(req, now, &out->times, parse_problems);

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(outer);

	cache = te_lookup_begin(stmt ? stmt->lookups : NULL);
	te_lookup_actor(has_actor, actor, cx, cache);
	te_check_actor(cx, p);
	append_problems(p, parse_problems);
	/* references are judged in the actor's workspace: none without one */
	if (!te_stop(p) && cx->actor_found)
	{
		te_lookup_request(req, cx, cache);
		te_check_references(req, cx, ~UINT64CONST(0), p);
	}

	/* 9.6: an entry with the request's id; its user's lock taken first */
	if (req->has_id && p->count == 0 && times_ok)
	{
		te_check_settings(req, &out->times, cx, now, true, false, false, p);
		if (p->count == 0)
		{
			if (write != TE_WRITE_NONE)
			{
				te_lock_user(&req->user_id, locks);
				te_lock_request_id(&req->id);
				locked = true;
			}
			(void) existing_entry(req, out, want_tuple);
		}
	}

	if (!out->retry)
	{
		if (!te_stop(p) && te_references_agree(req, cx) && cx->has_actor &&
			cx->actor_found && !cx->actor_is_deactivated)
			te_check_permissions(req, cx, p);
		if (!te_stop(p) && times_ok)
			te_check_settings(req, &out->times, cx, now, !req->has_id, true, true, p);
		if (!te_stop(p))
			te_apply_defaults(req, cx, p);
		/* start_timer: the user's running entry is stopped first (9.4) */
		if (req->kind == TE_REQ_TIMER && write != TE_WRITE_NONE &&
			p->count == 0 && times_ok)
		{
			te_stop_for_timer(req, &out->times, cx, locks, cache, p);
			locked = true;
		}
		/*
		 * only for a user of the call's workspace: another workspace's
		 * user is a missing one, whose entries say nothing (SPEC 10),
		 * even to validate_entry, which goes on after a problem
		 */
		if (!te_stop(p) && times_ok && req->has_user_id && cx->refs.user_found)
			check_conflicts(req, out, write != TE_WRITE_NONE && p->count == 0 && !locked,
							locks, p);
	}

	if (write != TE_WRITE_NONE && !out->retry && p->count == 0 && times_ok)
	{
		te_check_snapshot_current();
		new_row_values(req, &out->times, cx, &out->values);
		if (write == TE_WRITE_DEFER)
			out->approved = true;
		else
		{
			switch (te_insert(&out->values, req->has_id, &cx->actor,
							  stmt ? stmt->inserter : NULL, &out->row,
							  want_tuple ? &out->tuple : NULL))
			{
				case TE_INSERTED:
					out->stored = true;
					break;
				case TE_CONFLICT_RUNNING:
					report_running(req, p);
					break;
				case TE_CONFLICT_ID:
					/* written meanwhile by a request of another user */
					if (!existing_entry(req, out, want_tuple))
						report_id_conflict(req, p);
					break;
			}
		}
	}

	if (out->stored)
		te_refs_for_row(&out->row, req, cx, &out->refs, cache);

	MemoryContextSwitchTo(outer);
	if ((rc = SPI_finish()) != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(outer);
}

/*
 * Parse a jsonb request (NULL allowed: SQL NULL) of the given kind and run
 * the create path over it.
 */
void
te_run_json(Jsonb *entry, TeRequestKind kind, bool has_actor_arg,
			const pg_uuid_t *actor_arg, TeMode mode, TeWrite write,
			TeStatement *stmt, TeRequest *req, TeOutcome *out)
{
	TeProblems	parse;
	pg_uuid_t	actor;
	bool		has_actor = te_resolve_actor(has_actor_arg, actor_arg, &actor);

	te_request_init(req, kind);
	/* a raising face collects the parse's first problem: the actor's is first */
	te_problems_init(&parse, mode == TE_MODE_RAISE ? TE_MODE_FIRST : mode);
	if (entry == NULL)
		te_report_not_object(&parse, "entry", "SQL NULL");
	else
		te_parse_request(entry, req, &parse);
	te_run_create(req, &parse, has_actor, &actor, mode, write, false, stmt, out);
}
