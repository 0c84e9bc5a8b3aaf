/*
 * response.c
 *		The response object of SPEC 5, built from a row as stored.
 *
 * Every key is always present; absent values are JSON null.  Both time
 * groups are filled whatever the request used.  Dates print as
 * "YYYY-MM-DDT00:00:00Z" (UTC group) or "YYYY-MM-DDT00:00:00" (local
 * group), times as "HH:MM:SS" with ".fffffff" only when there is a
 * fraction.  The values come from the row as the table holds it (what
 * RETURNING shows), so a value a BEFORE trigger changed is reported as
 * stored; the nested objects from the rows it references.
 */
#include "postgres.h"

#include "utils/jsonb.h"

#include "time_entry.h"

typedef JsonbParseState *State;

/* ISO 8601 in UTC ending in Z, fraction as for times. */
static void
put_instant(State *st, const char *k, TimestampTz t)
{
	char	   *buf = palloc(TE_DATE_MAXLEN + 1 + TE_TIME_MAXLEN + 2);
	char	   *p;
	int64		time;
	DateADT		d = te_utc_date(t, &time);

	p = te_write_date(buf, d);
	*p++ = 'T';
	p = te_write_time(p, time);
	*p++ = 'Z';
	*p = '\0';
	te_json_string(st, k, buf);
}

/* The values of the time keys of both groups; NULL where JSON null. */
typedef struct Times
{
	char	   *start_date[2];	/* indexed by TeGroup */
	char	   *start_time[2];
	char	   *end_date[2];
	char	   *end_time[2];
} Times;

/* "YYYY-MM-DDT00:00:00", with Z in the UTC group. */
static char *
date_text(DateADT d, bool utc)
{
	static const char midnight[] = "T00:00:00";
	char	   *buf = palloc(TE_DATE_MAXLEN + sizeof(midnight) + 1);
	char	   *p = te_write_date(buf, d);

	memcpy(p, midnight, sizeof(midnight) - 1);
	p += sizeof(midnight) - 1;
	if (utc)
		*p++ = 'Z';
	*p = '\0';
	return buf;
}

static char *
time_text(int64 t)
{
	char	   *buf = palloc(TE_TIME_MAXLEN + 1);

	*te_write_time(buf, t) = '\0';
	return buf;
}

/* The day and time of an instant in a group: UTC, or the entry's zone. */
static DateADT
in_group(TimestampTz t, int g, pg_tz *tz, int64 *time)
{
	return g == TE_GROUP_UTC ? te_utc_date(t, time) : te_local_date(t, tz, time);
}

/* Fill both groups: date-only entries have dates only, timers no end. */
static void
group_values(const TeRow *row, pg_tz *tz, Times *out)
{
	TeKind		kind = te_row_kind(row);

	memset(out, 0, sizeof(Times));
	for (int g = 0; g < 2; g++)
	{
		bool		utc = (g == TE_GROUP_UTC);
		int64		time;
		DateADT		d;

		if (kind == TE_KIND_DATE_ONLY)
		{
			out->start_date[g] = date_text(row->date_local, utc);
			continue;
		}
		d = in_group(row->start_at, g, tz, &time);
		out->start_date[g] = date_text(d, utc);
		out->start_time[g] = time_text(time);
		if (kind == TE_KIND_RUNNING)
			continue;
		d = in_group(row->end_at, g, tz, &time);
		out->end_date[g] = date_text(d, utc);
		out->end_time[g] = time_text(time);
	}
}

/* The row's time zone; a name nobody could have sent is an error. */
static pg_tz *
row_zone(const TeRow *row)
{
	pg_tz	   *tz;
	const char *canonical;

	if (row->timezone == NULL ||
		!te_lookup_timezone(row->timezone, strlen(row->timezone), &tz, &canonical))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("time entry %s has an unknown time zone: %s",
						te_uuid_text(&row->id),
						row->timezone ? te_quote_value(row->timezone, strlen(row->timezone)) : "NULL"),
				 errdetail("Its local times cannot be shown."),
				 errhint("Set its timezone column to a name listed in pg_timezone_names.")));
	return tz;
}

/*
 * Build the response object of a stored row, with refs the objects it
 * references (te_lookup_refs).  pushJsonbValue keeps pointers to the
 * strings it is given, so every string built here is palloc'd and lives
 * until the Jsonb is made.
 */
Jsonb *
te_build_response(const TeRow *row, const TeRefs *refs)
{
	State		st = NULL;
	JsonbValue *res;
	Times		tv;
	bool		user = row->has_user_id && refs->user_found;
	bool		task = row->has_task_id && refs->task_found;
	bool		project = row->has_project_id && refs->project_found;

	group_values(row, row_zone(row), &tv);

	/*
	 * Keys are pushed in jsonb's own order (shorter first, then bytewise),
	 * so that the sort of the finished object finds them sorted: building
	 * the response was a sixth of a bulk import, most of it that sort.
	 */
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	te_json_uuid(&st, "id", true, &row->id);
	te_json_text(&st, "note", row->note);
	if (task)
	{
		te_json_key(&st, "task");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		te_json_uuid(&st, "id", true, &row->task_id);
		te_json_text(&st, "name", refs->task_name);
		te_json_string(&st, "baseType", refs->task_has_project ? "projecttask" : "private");
		te_json_uuid(&st, "projectId", refs->task_has_project, &refs->task_project_id);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	else
		te_json_null(&st, "task");
	if (user)
	{
		te_json_key(&st, "user");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		te_json_uuid(&st, "id", true, &row->user_id);
		te_json_text(&st, "lastName", refs->user_last_name);
		te_json_text(&st, "firstName", refs->user_first_name);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	else
		te_json_null(&st, "user");
	te_json_key(&st, "breaks");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	te_json_uuid(&st, "taskId", row->has_task_id, &row->task_id);
	te_json_uuid(&st, "userId", row->has_user_id, &row->user_id);
	if (project)
	{
		te_json_key(&st, "project");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		te_json_uuid(&st, "id", true, &row->project_id);
		te_json_text(&st, "name", refs->project_name);
		te_json_bool(&st, "isBillableByDefault", refs->project_billable_by_default);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	else
		te_json_null(&st, "project");
	te_json_int(&st, "duration", row->duration);
	te_json_bool(&st, "isBilled", row->is_billed);
	te_json_string(&st, "timezone", row->timezone);
	te_json_uuid(&st, "createdBy", true, &row->created_by);
	put_instant(&st, "createdOn", row->created_on);
	te_json_uuid(&st, "projectId", row->has_project_id, &row->project_id);
	te_json_uuid(&st, "updatedBy", true, &row->updated_by);
	put_instant(&st, "updatedOn", row->updated_on);
	te_json_string(&st, "endDateUtc", tv.end_date[TE_GROUP_UTC]);
	te_json_string(&st, "endTimeUtc", tv.end_time[TE_GROUP_UTC]);
	te_json_bool(&st, "isBillable", row->is_billable);
	te_json_bool(&st, "isExternal", row->is_external);
	te_json_key(&st, "typeOfWork");
	if (refs->type_found)
	{
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		te_json_uuid(&st, "id", true, &row->type_of_work_id);
		te_json_text(&st, "icon", refs->type_icon);
		te_json_text(&st, "name", refs->type_name);
		te_json_bool(&st, "isArchived", refs->type_is_archived);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	else
	{
		JsonbValue	null = {.type = jbvNull};

		pushJsonbValue(&st, WJB_VALUE, &null);
	}
	te_json_string(&st, "endDateLocal", tv.end_date[TE_GROUP_LOCAL]);
	te_json_string(&st, "endTimeLocal", tv.end_time[TE_GROUP_LOCAL]);
	te_json_string(&st, "startDateUtc", tv.start_date[TE_GROUP_UTC]);
	te_json_string(&st, "startTimeUtc", tv.start_time[TE_GROUP_UTC]);
	te_json_uuid(&st, "typeOfWorkId", true, &row->type_of_work_id);
	te_json_int(&st, "breakDuration", row->break_duration);
	te_json_string(&st, "startDateLocal", tv.start_date[TE_GROUP_LOCAL]);
	te_json_string(&st, "startTimeLocal", tv.start_time[TE_GROUP_LOCAL]);
	te_json_int(&st, "resourceVersion", row->resource_version);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}
