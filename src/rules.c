/*
 * rules.c
 *		The rules of SPEC 6 over looked-up values: the actor (6.1),
 *		references (6.3), permissions (6.4), workspace settings (6.5 and
 *		the max_duration of 4.8) and defaults (6.6).
 *
 * Everything the rules need is looked up by lookup.c from the primary-key
 * indexes; the checks here are plain C over those values.  Each check
 * reports through te_problem, so every face reports a rule the same way.
 * The update path (lifecycle.c) runs the same checks over the entry's new
 * state, only where its changes reach.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "time_entry.h"

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


/*
 * SPEC 6.3: the referenced objects exist and may be used: each id the
 * request holds whose property is in which (TE_PROP_BIT bits).
 */
void
te_check_references(const TeRequest *req, const TeContext *cx, uint64 which,
					TeProblems *p)
{
	if (req->has_user_id && (which & TE_PROP_BIT(TE_P_USER_ID)))
	{
		if (!cx->refs.user_found)
			te_problem(p, TE_R_NOT_FOUND, req->p_user_id,
					   "No user of the workspace has this id.", NULL,
					   "user %s of property \"%s\" does not exist",
					   te_uuid_text(&req->user_id), req->p_user_id);
		else if (cx->refs.user_is_deactivated)
			te_problem(p, TE_R_DEACTIVATED_USER, req->p_user_id,
					   "Time cannot be booked for a deactivated user.", NULL,
					   "user %s of property \"%s\" is deactivated",
					   te_uuid_text(&req->user_id), req->p_user_id);
	}
	if (req->has_type_of_work_id && (which & TE_PROP_BIT(TE_P_TYPE_OF_WORK_ID)))
	{
		if (!cx->refs.type_found)
			te_problem(p, TE_R_NOT_FOUND, req->p_type_of_work_id,
					   "No type of work has this id.", NULL,
					   "type of work %s of property \"%s\" does not exist",
					   te_uuid_text(&req->type_of_work_id), req->p_type_of_work_id);
		else if (cx->refs.type_is_archived)
			te_problem(p, TE_R_ARCHIVED, req->p_type_of_work_id,
					   "An archived type of work cannot be used for new entries.", NULL,
					   "type of work %s of property \"%s\" is archived",
					   te_uuid_text(&req->type_of_work_id), req->p_type_of_work_id);
	}
	if (req->has_project_id && (which & TE_PROP_BIT(TE_P_PROJECT_ID)) &&
		!cx->refs.project_found)
		te_problem(p, TE_R_NOT_FOUND, req->p_project_id,
				   "No project has this id.", NULL,
				   "project %s of property \"%s\" does not exist",
				   te_uuid_text(&req->project_id), req->p_project_id);
	if (req->has_task_id && (which & TE_PROP_BIT(TE_P_TASK_ID)) &&
		!cx->refs.task_found)
		te_problem(p, TE_R_NOT_FOUND, req->p_task_id,
				   "No task has this id.", NULL,
				   "task %s of property \"%s\" does not exist",
				   te_uuid_text(&req->task_id), req->p_task_id);
	if (req->has_task_id && cx->refs.task_found && req->has_project_id &&
		(which & (TE_PROP_BIT(TE_P_TASK_ID) | TE_PROP_BIT(TE_P_PROJECT_ID))))
	{
		if (!cx->refs.task_has_project)
			te_problem(p, TE_R_INVALID_OPERATION, req->p_project_id,
					   "A private task belongs to no project.",
					   "Leave the project out when booking on a private task.",
					   "private task %s cannot be booked with property \"%s\"",
					   te_uuid_text(&req->task_id), req->p_project_id);
		else if (!te_uuid_eq(&cx->refs.task_project_id, &req->project_id))
			te_problem(p, TE_R_INVALID_OPERATION, req->p_project_id,
					   psprintf("Task %s belongs to project %s.",
								te_uuid_text(&req->task_id),
								te_uuid_text(&cx->refs.task_project_id)),
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
void
te_check_permissions(const TeRequest *req, const TeContext *cx, TeProblems *p)
{
	if (cx->actor_is_admin)
		return;
	if (!te_uuid_eq(&cx->actor, &req->user_id))
	{
		bool		allowed = cx->ws_track_write || cx->project_track_write;

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
			(cx->refs.task_has_project &&
			 (cx->ws_planning || cx->task_project_planning));

		if (!allowed)
			te_problem(p, TE_R_PERMISSION, req->p_task_id,
					   cx->refs.task_has_project
					   ? "Booking on a task needs the actor to be assigned to it, or to hold access to project-planning-data in the task's project."
					   : "Booking on a private task needs the actor to be assigned to it.",
					   NULL,
					   "permission denied for property \"%s\": actor %s cannot book time on task %s",
					   req->p_task_id, te_uuid_text(&cx->actor), te_uuid_text(&req->task_id));
	}
}

/*
 * SPEC 6.5 and the max_duration of 4.8, each when asked for (an update
 * checks only what its changes reach); admins are exempt.  The overlap
 * rule needs the user's lock and is checked by the caller (conflicts.c).
 */
void
te_check_settings(const TeRequest *req, const TeTimes *t, const TeContext *cx,
				  TimestampTz now, bool max_duration, bool days, bool closed,
				  TeProblems *p)
{
	if (cx->actor_is_admin)
		return;

	if (max_duration && cx->settings.has_max_duration &&
		t->duration > cx->settings.max_duration)
		te_problem(p, TE_R_DURATION_RANGE, t->length_prop,
				   psprintf("The workspace allows at most %d seconds for one entry.",
							cx->settings.max_duration),
				   NULL,
				   "property \"%s\" makes the entry %d seconds long, more than the workspace's maximum of %d",
				   t->length_prop, t->duration, cx->settings.max_duration);

	if (closed && cx->settings.prevent_on_closed_projects && cx->has_project &&
		cx->refs.project_found && cx->refs.project_is_closed)
		te_problem(p, TE_R_INVALID_OPERATION,
				   req->has_project_id ? req->p_project_id : req->p_task_id,
				   "The workspace does not allow time on closed projects.", NULL,
				   "project %s of property \"%s\" is closed",
				   te_uuid_text(&cx->project_id),
				   req->has_project_id ? req->p_project_id : req->p_task_id);

	/* the day rules need the entry's time zone ("today" is local) */
	if (days && req->tz != NULL &&
		(cx->settings.prevent_in_future || cx->settings.has_allow_on_past_days))
	{
		DateADT		today = te_local_date(now, req->tz, NULL);
		const char *prop = t->start_prop;

		if (cx->settings.prevent_in_future && t->date_local > today)
			te_problem(p, TE_R_FUTURE_OR_PAST, prop,
					   psprintf("Today is %s in time zone \"%s\"; the workspace does not allow entries on later days.",
								te_format_date(today), req->timezone),
					   NULL,
					   "property \"%s\" puts the entry on %s, a day in the future",
					   prop, te_format_date(t->date_local));
		if (cx->settings.has_allow_on_past_days &&
			(int64) t->date_local < (int64) today - cx->settings.allow_on_past_days)
			te_problem(p, TE_R_FUTURE_OR_PAST, prop,
					   psprintf("Today is %s in time zone \"%s\"; the workspace allows entries at most %d days before today.",
								te_format_date(today), req->timezone, cx->settings.allow_on_past_days),
					   NULL,
					   "property \"%s\" puts the entry on %s, too far in the past",
					   prop, te_format_date(t->date_local));
	}
}

/* SPEC 6.6: isBillable from the project, isBilled false. */
void
te_default_billing(const TeRequest *req, TeContext *cx)
{
	cx->is_billable = req->has_is_billable ? req->is_billable
		: (cx->has_project && cx->refs.project_found &&
		   cx->refs.project_billable_by_default);
	cx->is_billed = req->has_is_billed ? req->is_billed : false;
}

/* SPEC 6.6: a billed entry is billable. */
void
te_check_billed_billable(const TeRequest *req, const TeContext *cx,
						 TeProblems *p)
{
	if (cx->is_billed && !cx->is_billable)
		te_problem(p, TE_R_INVALID_OPERATION, req->p_is_billed,
				   "Only a billable entry can be billed.",
				   req->has_is_billable ? NULL : "Set \"isBillable\" to true as well.",
				   "property \"%s\" cannot be true for an entry that is not billable",
				   req->p_is_billed);
}

/* SPEC 6.6, both. */
void
te_apply_defaults(const TeRequest *req, TeContext *cx, TeProblems *p)
{
	te_default_billing(req, cx);
	te_check_billed_billable(req, cx, p);
}

/*
 * Do the objects the request names exist and agree, so that permissions
 * can be judged over them?  A user, task or project that is missing, or a
 * task that does not belong to the project, leaves nothing to judge.  (An
 * archived type of work or a deactivated user does not stop
 * validate_entry from judging them.)
 */
bool
te_references_agree(const TeRequest *req, const TeContext *cx)
{
	return req->has_user_id && cx->refs.user_found &&
		(!req->has_task_id || cx->refs.task_found) &&
		(!req->has_project_id || cx->refs.project_found) &&
		!(req->has_task_id && req->has_project_id && cx->refs.task_found &&
		  (!cx->refs.task_has_project ||
		   !te_uuid_eq(&cx->refs.task_project_id, &req->project_id)));
}

/*
 * SPEC 9.1: may the actor read, change or delete a stored entry?  Only one
 * of its own workspace (SPEC 10); then its user, an admin, or one who
 * holds project-timetracking in the entry's project (the workspace role
 * alone when it has none): any level to read, write to change, delete to
 * delete.
 */
bool
te_may(TeAccess what, const TeContext *cx, const TeRow *row,
	   TeLookupCache *cache)
{
	TeTracking	tracking;

	if (!cx->actor_found || cx->actor_is_deactivated ||
		!te_uuid_eq(&row->workspace_id, &cx->workspace))
		return false;
	if (cx->actor_is_admin ||
		(row->has_user_id && te_uuid_eq(&row->user_id, &cx->actor)))
		return true;
	te_lookup_tracking(cx, row->has_project_id, &row->project_id, &tracking,
					   cache);
	switch (what)
	{
		case TE_ACCESS_READ:
			return tracking.any;
		case TE_ACCESS_CHANGE:
			return tracking.write;
		case TE_ACCESS_DELETE:
			return tracking.delete;
	}
	return false;
}

/*
 * SPEC 9.3: the stored entry is guarded too.  A non-admin cannot change or
 * delete an entry whose local day (today taken in its time zone) is before
 * the allow_on_past_days window, or that is on a closed project under
 * prevent_on_closed_projects.  refs: the row's (te_lookup_refs).
 */
void
te_check_stored_entry(const TeContext *cx, const TeRow *row, const TeRefs *refs,
					  TimestampTz now, TeProblems *p)
{
	pg_tz	   *tz;
	const char *canonical;

	if (cx->actor_is_admin)
		return;
	if (cx->settings.has_allow_on_past_days && row->timezone != NULL &&
		te_lookup_timezone(row->timezone, strlen(row->timezone), &tz, &canonical))
	{
		DateADT		today = te_local_date(now, tz, NULL);

		if ((int64) row->date_local < (int64) today - cx->settings.allow_on_past_days)
			te_problem(p, TE_R_FUTURE_OR_PAST, "id",
					   psprintf("Today is %s in time zone \"%s\"; the workspace allows changes to entries at most %d days before today.",
								te_format_date(today), canonical,
								cx->settings.allow_on_past_days),
					   NULL,
					   "entry %s of property \"id\" is on %s, too far in the past to change",
					   te_uuid_text(&row->id), te_format_date(row->date_local));
	}
	if (cx->settings.prevent_on_closed_projects && row->has_project_id &&
		refs->project_found && refs->project_is_closed)
		te_problem(p, TE_R_INVALID_OPERATION, "id",
				   "The workspace does not allow changes to time on closed projects.",
				   NULL,
				   "entry %s of property \"id\" is on closed project %s",
				   te_uuid_text(&row->id), te_uuid_text(&row->project_id));
}

/*
 * SPEC 9.3 billing, for an update from stored to next (what the patch
 * names in patch; length_prop: the property that set the new duration).
 * A billed entry cannot be made unbillable, by anyone; only an admin may
 * unbill it, or change its user, project, task or duration.
 */
void
te_check_billing(const TeContext *cx, const TeRow *stored, const TeRow *next,
				 const TeRequest *patch, const char *length_prop,
				 TeProblems *p)
{
	const char *changed = NULL;

	if (!stored->is_billed)
		return;
	if (!next->is_billable)
		te_problem(p, TE_R_INVALID_OPERATION, patch->p_is_billable,
				   "The entry is billed; a billed entry stays billable.",
				   NULL,
				   "property \"%s\" cannot make billed entry %s unbillable",
				   patch->p_is_billable, te_uuid_text(&stored->id));
	if (cx->actor_is_admin || te_stop(p))
		return;
	if (!next->is_billed)
		changed = patch->p_is_billed;
	else if (next->has_user_id != stored->has_user_id ||
			 (next->has_user_id && !te_uuid_eq(&next->user_id, &stored->user_id)))
		changed = patch->p_user_id;
	else if (next->has_project_id != stored->has_project_id ||
			 (next->has_project_id && !te_uuid_eq(&next->project_id, &stored->project_id)))
		changed = patch->p_project_id;
	else if (next->has_task_id != stored->has_task_id ||
			 (next->has_task_id && !te_uuid_eq(&next->task_id, &stored->task_id)))
		changed = patch->p_task_id;
	else if (next->duration != stored->duration)
		changed = length_prop;
	if (changed)
		te_problem(p, TE_R_PERMISSION, changed,
				   "The entry is billed: only an admin may unbill it or change its user, project, task or duration.",
				   NULL,
				   "permission denied for property \"%s\": entry %s is billed",
				   changed, te_uuid_text(&stored->id));
}
