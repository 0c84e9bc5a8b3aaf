/*
 * response.c
 *		The response object of SPEC 5, built straight into a Jsonb.
 *
 * Every key is always present; absent values are JSON null.  Both time
 * groups are filled whatever the request used.  Dates print as
 * "YYYY-MM-DDT00:00:00Z" (UTC group) or "YYYY-MM-DDT00:00:00" (local group),
 * times as "HH:MM:SS" with ".fffffff" only when there is a fraction.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "time_entry.h"

typedef JsonbParseState *State;

/* Push an object key. */
void
te_jsonb_key(JsonbParseState **st, const char *k)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) k;
	v.val.string.len = strlen(k);
	pushJsonbValue(st, WJB_KEY, &v);
}

/* Push key: the len bytes at s as a JSON string, or null when s is NULL. */
static void
put_string(State *st, const char *k, const char *s, int len)
{
	JsonbValue	v;

	te_jsonb_key(st, k);
	if (s == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) s;
		v.val.string.len = len;
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* Push key: a C string, or null when s is NULL. */
void
te_jsonb_string(JsonbParseState **st, const char *k, const char *s)
{
	put_string(st, k, s, s ? strlen(s) : 0);
}

static void
put_null(State *st, const char *k)
{
	put_string(st, k, NULL, 0);
}

static void
put_text(State *st, const char *k, const text *t)
{
	if (t == NULL)
		put_null(st, k);
	else
		put_string(st, k, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

static void
put_bool(State *st, const char *k, bool b)
{
	JsonbValue	v;

	te_jsonb_key(st, k);
	v.type = jbvBool;
	v.val.boolean = b;
	pushJsonbValue(st, WJB_VALUE, &v);
}

static void
put_int(State *st, const char *k, int64 n)
{
	JsonbValue	v;

	te_jsonb_key(st, k);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	pushJsonbValue(st, WJB_VALUE, &v);
}

static void
put_uuid(State *st, const char *k, bool present, const pg_uuid_t *id)
{
	te_jsonb_string(st, k, present ? te_uuid_text(id) : NULL);
}

/*
 * Write "HH:MM:SS", or "HH:MM:SS.fffffff" when there is a fraction, of
 * microseconds since midnight; returns the end, not terminated.
 */
#define TE_TIME_MAXLEN 16

static char *
write_time(char *buf, int64 t)
{
	int			us = (int) (t % USECS_PER_SEC);

	buf = te_write_digits(buf, (int) (t / USECS_PER_HOUR), 2);
	*buf++ = ':';
	buf = te_write_digits(buf, (int) ((t / USECS_PER_MINUTE) % 60), 2);
	*buf++ = ':';
	buf = te_write_digits(buf, (int) ((t / USECS_PER_SEC) % 60), 2);
	if (us != 0)
	{
		*buf++ = '.';
		buf = te_write_digits(buf, us, 6);
		*buf++ = '0';			/* seven digits, the last always 0 */
	}
	return buf;
}

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
	p = write_time(p, time);
	*p++ = 'Z';
	*p = '\0';
	te_jsonb_string(st, k, buf);
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

	*write_time(buf, t) = '\0';
	return buf;
}

/* Fill both groups: date-only entries have dates only, timers no end. */
static void
group_values(const TeTimes *t, pg_tz *tz, Times *out)
{
	memset(out, 0, sizeof(Times));
	for (int g = 0; g < 2; g++)
	{
		bool		utc = (g == TE_GROUP_UTC);
		int64		time;
		DateADT		d;

		if (t->kind == TE_KIND_DATE_ONLY)
		{
			out->start_date[g] = date_text(t->date_local, utc);
			continue;
		}
		d = utc ? te_utc_date(t->start_at, &time) : te_local_date(t->start_at, tz, &time);
		out->start_date[g] = date_text(d, utc);
		out->start_time[g] = time_text(time);
		if (t->kind == TE_KIND_RUNNING)
			continue;
		d = utc ? te_utc_date(t->end_at, &time) : te_local_date(t->end_at, tz, &time);
		out->end_date[g] = date_text(d, utc);
		out->end_time[g] = time_text(time);
	}
}

/*
 * Build the response object of a stored entry.  pushJsonbValue keeps
 * pointers to the strings it is given, so every string built here is
 * palloc'd and lives until the Jsonb is made.
 */
Jsonb *
te_build_response(const TeRequest *req, const TeTimes *t, const TeContext *cx,
				  const TeStored *stored)
{
	State		st = NULL;
	JsonbValue *res;
	Times		tv;

	group_values(t, req->tz, &tv);

	/*
	 * Keys are pushed in jsonb's own order (shorter first, then bytewise),
	 * so that the sort of the finished object finds them sorted: building
	 * the response was a sixth of a bulk import, most of it that sort.
	 */
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	put_uuid(&st, "id", true, &stored->id);
	put_text(&st, "note", req->has_note ? req->note : NULL);
	if (req->has_task_id)
	{
		te_jsonb_key(&st, "task");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		put_uuid(&st, "id", true, &req->task_id);
		put_text(&st, "name", cx->task_name);
		te_jsonb_string(&st, "baseType", cx->task_has_project ? "projecttask" : "private");
		put_uuid(&st, "projectId", cx->task_has_project, &cx->task_project_id);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	else
		put_null(&st, "task");
	te_jsonb_key(&st, "user");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	put_uuid(&st, "id", true, &req->user_id);
	put_text(&st, "lastName", cx->user_last_name);
	put_text(&st, "firstName", cx->user_first_name);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	te_jsonb_key(&st, "breaks");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	put_uuid(&st, "taskId", req->has_task_id, &req->task_id);
	put_uuid(&st, "userId", true, &req->user_id);
	if (cx->has_project)
	{
		te_jsonb_key(&st, "project");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		put_uuid(&st, "id", true, &cx->project_id);
		put_text(&st, "name", cx->project_name);
		put_bool(&st, "isBillableByDefault", cx->project_billable_by_default);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	else
		put_null(&st, "project");
	put_int(&st, "duration", t->duration);
	put_bool(&st, "isBilled", cx->is_billed);
	te_jsonb_string(&st, "timezone", req->timezone);
	put_uuid(&st, "createdBy", true, &stored->created_by);
	put_instant(&st, "createdOn", stored->created_on);
	put_uuid(&st, "projectId", cx->has_project, &cx->project_id);
	put_uuid(&st, "updatedBy", true, &stored->updated_by);
	put_instant(&st, "updatedOn", stored->updated_on);
	te_jsonb_string(&st, "endDateUtc", tv.end_date[TE_GROUP_UTC]);
	te_jsonb_string(&st, "endTimeUtc", tv.end_time[TE_GROUP_UTC]);
	put_bool(&st, "isBillable", cx->is_billable);
	put_bool(&st, "isExternal", false);
	te_jsonb_key(&st, "typeOfWork");
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	put_uuid(&st, "id", true, &req->type_of_work_id);
	put_text(&st, "icon", cx->type_icon);
	put_text(&st, "name", cx->type_name);
	put_bool(&st, "isArchived", cx->type_is_archived);
	pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	te_jsonb_string(&st, "endDateLocal", tv.end_date[TE_GROUP_LOCAL]);
	te_jsonb_string(&st, "endTimeLocal", tv.end_time[TE_GROUP_LOCAL]);
	te_jsonb_string(&st, "startDateUtc", tv.start_date[TE_GROUP_UTC]);
	te_jsonb_string(&st, "startTimeUtc", tv.start_time[TE_GROUP_UTC]);
	put_uuid(&st, "typeOfWorkId", true, &req->type_of_work_id);
	put_int(&st, "breakDuration", 0);
	te_jsonb_string(&st, "startDateLocal", tv.start_date[TE_GROUP_LOCAL]);
	te_jsonb_string(&st, "startTimeLocal", tv.start_time[TE_GROUP_LOCAL]);
	put_int(&st, "resourceVersion", stored->resource_version);
	res = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(res);
}
