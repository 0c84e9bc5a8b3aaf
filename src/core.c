/*
 * core.c
 *		The create path every face runs: SPEC 6 in order.
 *
 *	1. actor			(6.1)
 *	2. shape, formats	(3), then time (4)	-- already parsed by the face
 *	3. references		(6.3)
 *	4. permissions		(6.4)
 *	5. settings			(6.5, and max_duration of 4.8)
 *	6. defaults			(6.6)
 *	7. conflicts		one running entry per user (4.6), overlaps (6.5)
 *	then the INSERT.
 *
 * The face parses the request first (the actor check needs no request, but
 * the single lookup query needs the ids), so parse problems are held back
 * and reported after the actor's.
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
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

/*
 * Step 7: conflicts with the user's other entries -- one running entry per
 * user (SPEC 4.6) and, when settings.prevent_overlaps is on, no overlap of
 * timed entries (SPEC 6.5; admins are exempt from the check).
 *
 * When the entry is about to be written, the user's lock is taken first
 * (te_lock_users) and the checks read the latest committed state: every
 * writer that could conflict has then either committed, and is seen, or
 * waits for us.  This holds under READ COMMITTED and REPEATABLE READ alike.
 * Admins take the lock too, so that others' checks see their entries.
 */
static void
check_conflicts(const TeRequest *req, TeOutcome *out, bool will_insert,
				TeUserLocks *locks, TeProblems *p)
{
	const TeTimes *t = &out->times;
	bool		running = t->kind == TE_KIND_RUNNING;
	bool		overlaps = out->cx.prevent_overlaps && t->kind != TE_KIND_DATE_ONLY;
	pg_uuid_t	other;

	if (!running && !overlaps)
		return;
	if (will_insert)
	{
		Datum		id = UUIDPGetDatum((pg_uuid_t *) &req->user_id);

		te_lock_users(&id, 1, true, locks);
	}

	if (running && te_has_running_entry(&req->user_id))
		report_running(req, p);

	/* an entry of zero length is an empty range: it overlaps nothing */
	if (overlaps && !out->cx.actor_is_admin && !te_stop(p) &&
		(running || t->end_at > t->start_at) &&
		te_find_overlap(&req->user_id, t->start_at,
						running ? DT_NOEND : t->end_at, &other))
		te_problem(p, TE_R_OVERLAP, req->p_user_id,
				   psprintf("The entry overlaps entry %s of the same user.",
							te_uuid_text(&other)),
				   "The workspace setting prevent_overlaps is on; entries may touch but not overlap.",
				   "the time entry overlaps another time entry of the user of property \"%s\"",
				   req->p_user_id);
}

/*
 * Run the create path over a parsed request.  parse_problems holds what the
 * face found while parsing (collected in TE_MODE_FIRST for a raising face,
 * so that the actor's problem still comes first).  With insert false
 * (validate_entry) nothing is written.  stmt: what the face keeps across
 * its calls in this statement, or NULL.  The caller must not be connected to
 * SPI; all results are allocated in the caller's memory context.
 */
void
te_run(TeRequest *req, TeProblems *parse_problems, bool has_actor,
	   const pg_uuid_t *actor, TeMode mode, bool insert, TeStatement *stmt,
	   TeOutcome *out)
{
	MemoryContext outer = CurrentMemoryContext;
	TeProblems *p = &out->problems;
	TimestampTz now = GetCurrentTimestamp();
	bool		times_ok = false;
	int			rc;

	te_problems_init(p, mode);
	p->arguments = parse_problems->arguments;
	out->stored = false;

	/* time (SPEC 4) belongs to step 2, over a request that parsed */
	if (parse_problems->count == 0 || mode == TE_MODE_ALL)
		times_ok = te_derive_times(req, now, &out->times, parse_problems);

	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(outer);

	te_lookup_context(req, has_actor, actor, &out->cx,
					  stmt ? stmt->lookups : NULL);

	te_check_actor(&out->cx, p);
	append_problems(p, parse_problems);
	if (!te_stop(p))
		te_check_rules(req, times_ok ? &out->times : NULL, &out->cx, now, p);

	if (!te_stop(p) && times_ok && req->has_user_id)
		check_conflicts(req, out, insert && p->count == 0,
						stmt ? stmt->locks : NULL, p);

	if (insert && p->count == 0 && times_ok)
	{
		out->stored = te_store(req, &out->times, &out->cx,
							   stmt ? stmt->inserter : NULL, &out->row);
		if (!out->stored)
			report_running(req, p);
	}

	MemoryContextSwitchTo(outer);
	if ((rc = SPI_finish()) != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(outer);
}
