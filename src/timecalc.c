/*
 * timecalc.c
 *		TeRequest -> TeTimes: start, end, duration and local day (SPEC 4).
 *
 * Moments are PostgreSQL TimestampTz values (microseconds since
 * 2000-01-01 00:00 UTC).  A wall-clock moment is a DateADT day and a time
 * of day in microseconds; a local one is turned into an instant with the
 * server's own time zone code (DetermineTimeZoneOffset, pg_localtime), so an
 * entry reads its local times exactly as timestamptz input in that zone
 * would.  Nothing here runs SQL or allocates on the success path.
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "time_entry.h"

/* a / b rounded towards minus infinity (b > 0) */
static inline int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

/*
 * The calendar day (the result) and time of day (*time_of_day, in
 * microseconds, if not NULL) of instant t in time zone tz.
 */
DateADT
te_local_date(TimestampTz t, pg_tz *tz, int64 *time_of_day)
{
	pg_time_t	unix_secs;
	struct pg_tm *tm;
	int64		local;
	int64		day;

	unix_secs = floor_div(t, USECS_PER_SEC) +
		(pg_time_t) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
	tm = pg_localtime(&unix_secs, tz);
	if (tm == NULL)
		elog(ERROR, "could not convert timestamp to local time in time zone \"%s\"",
			 pg_get_timezone_name(tz));
	local = t + (int64) tm->tm_gmtoff * USECS_PER_SEC;
	day = floor_div(local, USECS_PER_DAY);
	if (time_of_day)
		*time_of_day = local - day * USECS_PER_DAY;
	return (DateADT) day;
}

/*
 * The instant at which the clocks of time zone tz show day date, time of
 * day time (microseconds).  Returns false if they never do: the time is
 * skipped by a change of offset (2024-03-31 02:30 in Europe/Berlin).  A
 * time they show twice (2024-10-27 02:30 in Europe/Berlin) is the later
 * instant, after the change (standard time, 01:30 UTC), which is what
 * DetermineTimeZoneOffset picks, as timestamptz input does.  A skipped time
 * is found by converting the result back: it then shows another time.
 */
bool
te_local_to_utc(DateADT date, int64 time, pg_tz *tz, TimestampTz *result)
{
	struct pg_tm tm;
	int			offset;
	TimestampTz t;
	int64		back_time;

	memset(&tm, 0, sizeof(tm));
	j2date(date + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_hour = (int) (time / USECS_PER_HOUR);
	tm.tm_min = (int) (time / USECS_PER_MINUTE % MINS_PER_HOUR);
	tm.tm_sec = (int) (time / USECS_PER_SEC % SECS_PER_MINUTE);

	/* seconds to add to the local time to get UTC (west of Greenwich > 0) */
	offset = DetermineTimeZoneOffset(&tm, tz);
	t = (int64) date * USECS_PER_DAY + time + (int64) offset * USECS_PER_SEC;

	if (te_local_date(t, tz, &back_time) != date || back_time != time)
		return false;
	*result = t;
	return true;
}

/*
 * A wall-clock moment as an instant: in UTC when tz is NULL (the UTC
 * group), else in tz.  False for a local time that does not exist.
 */
static bool
wall_to_instant(DateADT date, int64 time, pg_tz *tz, TimestampTz *result)
{
	if (tz == NULL)
	{
		*result = (int64) date * USECS_PER_DAY + time;
		return true;
	}
	return te_local_to_utc(date, time, tz, result);
}

/*
 * A wall-clock moment for a message: YYYY-MM-DDTHH:MM:SS, then .ffffff
 * when there is a fraction, then Z when utc.
 */
static char *
format_wall(DateADT date, int64 time, bool utc)
{
	int			year,
				month,
				day;
	int64		secs = time / USECS_PER_SEC;
	int			usec = (int) (time % USECS_PER_SEC);
	char		frac[8] = "";

	j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	if (usec != 0)
		snprintf(frac, sizeof(frac), ".%06d", usec);
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02d%s%s", year, month, day,
					(int) (secs / SECS_PER_HOUR),
					(int) (secs / SECS_PER_MINUTE % MINS_PER_HOUR),
					(int) (secs % SECS_PER_MINUTE), frac, utc ? "Z" : "");
}

/* The UTC calendar day and time of day (microseconds) of instant t. */
DateADT
te_utc_date(TimestampTz t, int64 *time_of_day)
{
	int64		day = floor_div(t, USECS_PER_DAY);

	if (time_of_day)
		*time_of_day = t - day * USECS_PER_DAY;
	return (DateADT) day;
}

/* An instant for a message: in UTC (tz NULL) or as the clocks of tz show it. */
char *
te_format_instant(TimestampTz t, pg_tz *tz)
{
	int64		time;
	DateADT		date;

	if (tz == NULL)
	{
		date = te_utc_date(t, &time);
		return format_wall(date, time, true);
	}
	date = te_local_date(t, tz, &time);
	return format_wall(date, time, false);
}

/*
 * The entry needs its time zone (detail says why).  The parser reported a
 * missing or unknown one already, unless a face skipped the check.
 */
static void
require_timezone(const TeRequest *req, const char *detail, TeProblems *p)
{
	if (!te_reported(p, req->p_timezone))
		te_problem(p, TE_R_REQUIRED, req->p_timezone, detail, NULL,
				   "property \"%s\" is required", req->p_timezone);
}

/*
 * Does instant t lie within the years TE_FIRST_YEAR to TE_LAST_YEAR, read
 * in UTC and, when the time zone is known, in it?  Both are checked because
 * the response shows the entry in both groups.  Reports TE_R_DATE_RANGE on
 * property if not; what is "start" or "end".
 */
static bool
check_range(const TeRequest *req, TimestampTz t, const char *property,
			const char *what, TeProblems *p)
{
	pg_tz	   *shown_in = NULL;	/* the zone it is out of range in */

	if (t >= (int64) te_first_day() * USECS_PER_DAY &&
		t < (int64) te_end_day() * USECS_PER_DAY)
	{
		DateADT		day;

		if (req->tz == NULL)
			return true;
		day = te_local_date(t, req->tz, NULL);
		if (day >= te_first_day() && day < te_end_day())
			return true;
		shown_in = req->tz;
	}
	te_problem(p, TE_R_DATE_RANGE, property,
			   psprintf("The %s would be %s%s%s%s; dates from the year %d to the year %d are allowed.",
						what, te_format_instant(t, shown_in),
						shown_in ? " in time zone \"" : "",
						shown_in ? req->timezone : "",
						shown_in ? "\"" : "",
						TE_FIRST_YEAR, TE_LAST_YEAR),
			   NULL,
			   "%s of the entry given by property \"%s\" is out of range",
			   what, property);
	return false;
}

static void
report_gap(const TeRequest *req, DateADT date, int64 time,
		   const char *property, TeProblems *p)
{
	te_problem(p, TE_R_LOCAL_TIME_GAP, property,
			   psprintf("The clocks of time zone \"%s\" skip this time, as when daylight-saving time begins.",
						req->timezone),
			   "Give a time that exists on that day, or give the time in UTC.",
			   "property \"%s\" names a local time that does not exist: \"%s\"",
			   property, format_wall(date, time, false));
}

/* A date-only entry's duration must be positive (SPEC 4.7). */
static bool
check_date_only_duration(const TeRequest *req, int32 duration, TeProblems *p)
{
	if (duration > 0)
		return true;
	te_problem(p, TE_R_DURATION_RANGE, req->p_duration,
			   "A date-only entry records time worked on a day and cannot be empty.",
			   NULL,
			   "property \"%s\" must be greater than zero for a date-only entry",
			   req->p_duration);
	return false;
}

/*
 * SPEC 4.7: a date-only entry, on day date of the start date, needs a
 * positive duration and takes no end.
 */
static bool
derive_date_only(const TeRequest *req, TeGroup g, TeTimes *t, TeProblems *p)
{
	bool		ok = true;
	const char *end_props[2] = {NULL, NULL};

	if (req->kind == TE_REQ_TIMER)
	{
		te_problem(p, TE_R_NOT_FOR_TIMER, req->start_date[g].property,
				   "A timer starts at a moment; a date without a time of day would make a date-only entry.",
				   "Give a start time, or leave the start out to start now.",
				   "property \"%s\" needs a time of day for a timer",
				   req->start_date[g].property);
		return false;
	}
	if (req->end_date[g].present)
		end_props[0] = req->end_date[g].property;
	if (req->end_time[g].present)
		end_props[1] = req->end_time[g].property;
	for (int i = 0; i < 2; i++)
	{
		if (end_props[i] == NULL)
			continue;
		te_problem(p, TE_R_END_ON_DATE_ONLY, end_props[i],
				   "An entry without a start time is a date-only entry: a day and a duration, with no end.",
				   "Give a start time, or leave out the end.",
				   "property \"%s\" cannot be given for a date-only entry",
				   end_props[i]);
		ok = false;
	}

	if (!req->has_duration)
	{
		te_problem(p, TE_R_DATE_ONLY_NEEDS_DURATION, req->p_duration,
				   "An entry without a start time is a date-only entry: a day and a duration.",
				   "Give a duration in seconds, or a start time.",
				   "property \"%s\" is required for a date-only entry",
				   req->p_duration);
		ok = false;
	}
	else if (!check_date_only_duration(req, req->duration, p))
		ok = false;
	if (!ok)
		return false;

	t->kind = TE_KIND_DATE_ONLY;
	t->date_local = req->start_date[g].date;
	t->duration = req->duration;
	t->start_prop = req->start_date[g].property;
	t->length_prop = req->p_duration;
	return true;
}

/*
 * SPEC 4.4: the instant of a wall-clock moment of the group (UTC when
 * wall_tz is NULL), within the years allowed; reports a local time that
 * does not exist, or one out of range, on property.
 */
static bool
wall_moment(const TeRequest *req, DateADT day, int64 tod, pg_tz *wall_tz,
			const char *property, const char *what, TimestampTz *result,
			TeProblems *p)
{
	if (!wall_to_instant(day, tod, wall_tz, result))
	{
		report_gap(req, day, tod, property, p);
		return false;
	}
	return check_range(req, *result, property, what, p);
}

/*
 * SPEC 4.5: the end the request writes, read against a start on wall day
 * start_day at time of day start_tod: (end date, else the start's day) +
 * end time, the next day when no end date is given and that is before the
 * start; else the end date as written.  *has_end false when there is none.
 */
static bool
written_end(const TeRequest *req, TeGroup g, pg_tz *wall_tz, DateADT start_day,
			int64 start_tod, bool *has_end, TimestampTz *end,
			const char **end_prop, TeProblems *p)
{
	const TeDateField *ed = &req->end_date[g];
	const TeTimeField *et = &req->end_time[g];
	DateADT		day;
	int64		tod;

	*has_end = false;
	if (et->present)
	{
		day = ed->present ? ed->date : start_day;
		if (!ed->present && et->time < start_tod)
			day++;				/* overnight */
		tod = et->time;
		*end_prop = et->property;
	}
	else if (ed->present)
	{
		day = ed->date;
		tod = ed->has_time ? ed->time : 0;
		*end_prop = ed->property;
	}
	else
		return true;
	if (!wall_to_instant(day, tod, wall_tz, end))
	{
		report_gap(req, day, tod, *end_prop, p);
		return false;
	}
	*has_end = true;
	return true;
}

/*
 * SPEC 4.6: a timed entry from start to end (end_prop named it): the end
 * not before the start, within the years allowed, and at most 2^31-1
 * seconds long.  breaks: the entry's break, which the duration is net of.
 */
static bool
timed_by_end(const TeRequest *req, TimestampTz start, TimestampTz end,
			 const char *end_prop, int32 breaks, pg_tz *wall_tz, TeTimes *t,
			 TeProblems *p)
{
	int64		seconds;

	if (end < start)
	{
		te_problem(p, TE_R_END_BEFORE_START, end_prop,
				   psprintf("The entry would end at %s, before its start at %s.",
							te_format_instant(end, wall_tz),
							te_format_instant(start, wall_tz)),
				   NULL,
				   "property \"%s\" puts the end before the start",
				   end_prop);
		return false;
	}
	if (!check_range(req, end, end_prop, "end", p))
		return false;
	/* end >= start, so the division rounds down */
	seconds = (end - start) / USECS_PER_SEC - breaks;
	if (seconds < 0)
	{
		te_problem(p, TE_R_DURATION_RANGE, end_prop,
				   psprintf("The entry has a break of %d seconds, longer than the time from its start to this end.",
							breaks),
				   NULL,
				   "property \"%s\" makes the entry shorter than its break", end_prop);
		return false;
	}
	if (seconds > PG_INT32_MAX)
	{
		te_problem(p, TE_R_DURATION_RANGE, end_prop,
				   psprintf("The entry would last " INT64_FORMAT " seconds; at most %d are allowed.",
							seconds, PG_INT32_MAX),
				   NULL,
				   "property \"%s\" makes the entry too long", end_prop);
		return false;
	}
	t->kind = TE_KIND_TIMED;
	t->start_at = start;
	t->end_at = end;
	t->duration = (int32) seconds;
	t->length_prop = end_prop;
	return true;
}

/* SPEC 4.6: a timed entry of duration seconds (and breaks) from start. */
static bool
timed_by_duration(const TeRequest *req, TimestampTz start, int32 duration,
				  int32 breaks, const char *duration_prop, TeTimes *t,
				  TeProblems *p)
{
	TimestampTz end;

	if (pg_add_s64_overflow(start, ((int64) duration + breaks) * USECS_PER_SEC,
							&end))
		end = DT_NOEND;			/* out of range, reported just below */
	if (!check_range(req, end, duration_prop, "end", p))
		return false;
	t->kind = TE_KIND_TIMED;
	t->start_at = start;
	t->end_at = end;
	t->duration = duration;
	t->length_prop = duration_prop;
	return true;
}

/* Report a running entry that would start in the future (SPEC 4.6). */
void
te_report_running_future(TeProblems *p, const char *property, TimestampTz start)
{
	te_problem(p, TE_R_FUTURE_OR_PAST, property,
			   psprintf("A running entry may start at most 60 seconds from now; this one would start at %s.",
						te_format_instant(start, NULL)),
			   "Give an end or a duration for time that is not running now.",
			   "property \"%s\" starts a running entry in the future",
			   property);
}

/* SPEC 4.6: a running entry from start, at most 60 s after now. */
static bool
running_from(TimestampTz start, TimestampTz now, const char *start_prop,
			 TeTimes *t, TeProblems *p)
{
	TimestampTz latest;

	if (pg_add_s64_overflow(now, TE_RUNNING_FUTURE_SLACK_USECS, &latest))
		latest = DT_NOEND;
	if (start > latest)
	{
		te_report_running_future(p, start_prop, start);
		return false;
	}
	t->kind = TE_KIND_RUNNING;
	t->start_at = start;
	t->duration = 0;
	t->length_prop = start_prop;
	return true;
}

/*
 * The local day of a derived entry: its start's day in its time zone.
 * For a UTC entry without a known time zone there is none.
 */
static bool
local_day(const TeRequest *req, TeTimes *t, TeProblems *p)
{
	if (req->tz == NULL)
	{
		require_timezone(req, "The entry's day is the day of its start in its time zone.", p);
		return false;
	}
	t->date_local = te_local_date(t->start_at, req->tz, NULL);
	return true;
}

/*
 * The group of the request's time properties (SPEC 4.1; with neither,
 * UTC), and the zone its wall-clock times are read in (NULL for UTC).
 * False when nothing can be derived: the groups are mixed, the entry is
 * not an object, or a time property or the duration could not be read
 * (each reported already), or a local time has no known zone.
 */
static bool
time_group(const TeRequest *req, TeGroup *g, pg_tz **wall_tz, TeProblems *p)
{
	if (te_stop(p))
		return false;
	if (req->group_used[TE_GROUP_UTC] && req->group_used[TE_GROUP_LOCAL])
		return false;			/* mixed groups, reported by the parser */
	if (te_reported(p, "entry") || te_reported(p, "changes"))
		return false;			/* not an object: there is nothing to read */
	*g = req->group_used[TE_GROUP_LOCAL] ? TE_GROUP_LOCAL : TE_GROUP_UTC;
	if (te_reported(p, req->start_date[*g].property) ||
		te_reported(p, req->start_time[*g].property) ||
		te_reported(p, req->end_date[*g].property) ||
		te_reported(p, req->end_time[*g].property) ||
		te_reported(p, req->p_duration))
		return false;
	*wall_tz = NULL;
	if (*g == TE_GROUP_LOCAL)
	{
		if (req->tz == NULL)
		{
			require_timezone(req, "Local times are read in the entry's time zone.", p);
			return false;
		}
		*wall_tz = req->tz;
	}
	return true;
}

/*
 * Derive the times of a new entry from the request (SPEC 4): kind, start,
 * end, duration and the local day.  now is the statement's time, for the
 * start of a timer without one and the check of a running entry's start.
 * Returns true when t is complete; otherwise the problems were reported to
 * p, or had been reported before.  The check of settings.max_duration is
 * left to the rules.
 */
bool
te_derive_times(const TeRequest *req, TimestampTz now, TeTimes *t,
				TeProblems *p)
{
	TeGroup		g;
	pg_tz	   *wall_tz;
	const TeDateField *sd;
	const TeTimeField *st;
	DateADT		start_day;
	int64		start_tod;
	TimestampTz start;
	TimestampTz end;
	const char *end_prop = NULL;
	bool		has_end;

	memset(t, 0, sizeof(TeTimes));
	if (!time_group(req, &g, &wall_tz, p))
		return false;
	sd = &req->start_date[g];
	st = &req->start_time[g];

	/* 4.2 (a timer without a start starts now: SPEC 9.4) */
	if (!sd->present)
	{
		if (req->kind == TE_REQ_TIMER && !st->present)
		{
			t->start_prop = sd->property;
			return running_from(now, now, sd->property, t, p) &&
				local_day(req, t, p);
		}
		te_problem(p, TE_R_REQUIRED, sd->property,
				   "An entry needs a start date, in UTC or in its time zone.",
				   NULL,
				   "property \"%s\" is required", sd->property);
		return false;
	}

	/*
	 * 4.3: the start.  A start time replaces the time of day of the start
	 * date; without one, a start date at exactly midnight is a date-only
	 * entry.
	 */
	if (st->present)
	{
		start_day = sd->date;
		start_tod = st->time;
		t->start_prop = st->property;
	}
	else if (sd->after_midnight)
	{
		start_day = sd->date;
		start_tod = sd->time;
		t->start_prop = sd->property;
	}
	else
		return derive_date_only(req, g, t, p);

	/* 4.4, 4.5 */
	if (!wall_moment(req, start_day, start_tod, wall_tz, t->start_prop, "start",
					 &start, p) ||
		!written_end(req, g, wall_tz, start_day, start_tod, &has_end, &end,
					 &end_prop, p))
		return false;

	/* 4.6: the end wins over a duration given as well */
	if (has_end)
	{
		if (!timed_by_end(req, start, end, end_prop, 0, wall_tz, t, p))
			return false;
	}
	else if (req->has_duration)
	{
		if (!timed_by_duration(req, start, req->duration, 0, req->p_duration, t, p))
			return false;
	}
	else if (!running_from(start, now, t->start_prop, t, p))
		return false;
	return local_day(req, t, p);
}

/*
 * The day and time of day of an instant as group g writes it: in UTC, or
 * as the clocks of tz show it.
 */
static DateADT
wall_of(TimestampTz t, TeGroup g, pg_tz *tz, int64 *tod)
{
	return g == TE_GROUP_UTC ? te_utc_date(t, tod) : te_local_date(t, tz, tod);
}

/*
 * Derive the times of an entry after a patch (SPEC 9.3): the stored row
 * with the time properties of the changes merged in.  req is the parsed
 * patch (req->tz the new time zone if the patch names one, else that of
 * the stored row, set by the caller); now is the statement's time.
 *
 * The changes' time properties use one group (UTC or local); the stored
 * times are read in that group (the local one in the new time zone).  A
 * start property replaces the stored start, the part it leaves out taken
 * from the stored start.  An end property or a duration replaces the
 * stored end and duration (the end wins); a duration with an end but no
 * start gives start = end - duration, an end time without an end date
 * ending on the stored start's day, or the next day when that is before
 * the stored start; with neither, the stored duration is kept and the end
 * follows the start.  A date-only entry becomes timed when a start time is
 * given (a start time, or a start date with a time of day); nothing else
 * changes the kind.  Without time properties a new time zone only moves
 * the local day of a timed or running entry.  Durations are net of the
 * stored break.
 */
bool
te_derive_patch_times(const TeRequest *req, const TeRow *stored, TimestampTz now,
					  TeTimes *t, TeProblems *p)
{
	TeKind		kind = te_row_kind(stored);
	uint64		time_props = 0;
	TeGroup		g;
	pg_tz	   *wall_tz;
	const TeDateField *sd,
			   *ed;
	const TeTimeField *st,
			   *et;
	bool		start_named;
	bool		end_named;
	bool		duration_named = req->sent & TE_PROP_BIT(TE_P_DURATION);
	DateADT		sday = 0;
	int64		stod = 0;
	DateADT		day;
	int64		tod;
	TimestampTz start;
	TimestampTz end;
	bool		has_end;
	const char *end_prop = NULL;
	int32		breaks = stored->break_duration;

	memset(t, 0, sizeof(TeTimes));
	for (int i = TE_P_START_DATE_UTC; i <= TE_P_END_TIME_LOCAL; i++)
		time_props |= TE_PROP_BIT(i);
	if (!time_group(req, &g, &wall_tz, p))
		return false;
	sd = &req->start_date[g];
	st = &req->start_time[g];
	ed = &req->end_date[g];
	et = &req->end_time[g];
	start_named = sd->present || st->present;
	end_named = ed->present || et->present;

	/* what the patch does not touch stays */
	t->kind = kind;
	t->start_at = stored->start_at;
	t->end_at = stored->end_at;
	t->duration = stored->duration;
	t->date_local = stored->date_local;
	t->start_prop = start_named ? (st->present ? st->property : sd->property) : req->p_timezone;
	t->length_prop = req->p_duration;

	if (!(req->sent & (time_props | TE_PROP_BIT(TE_P_DURATION))))
	{
		/* a new time zone moves the local day of an entry with a start */
		if (kind != TE_KIND_DATE_ONLY)
			t->date_local = te_local_date(stored->start_at, req->tz, NULL);
		return true;
	}

	/* a running entry: only its start may change, and it stays running */
	if (kind == TE_KIND_RUNNING && (end_named || duration_named))
	{
		const char *prop = et->present ? et->property
			: ed->present ? ed->property : req->p_duration;

		te_problem(p, TE_R_RUNNING_CHANGE, prop,
				   "A running entry has no end yet; of its times only the start may change.",
				   "Stop it with stop_timer, then change its end.",
				   "property \"%s\" cannot be changed on a running entry", prop);
		return false;
	}

	if (kind != TE_KIND_DATE_ONLY)
		sday = wall_of(stored->start_at, g, wall_tz, &stod);
	else
		sday = stored->date_local;

	/* the start: 4.3 over the stored one */
	if (st->present)
	{
		day = sd->present ? sd->date : sday;
		tod = st->time;
	}
	else if (sd->present && sd->after_midnight)
	{
		day = sd->date;
		tod = sd->time;
	}
	else if (sd->present && kind != TE_KIND_DATE_ONLY)
	{
		day = sd->date;
		tod = stod;
	}
	else if (kind == TE_KIND_DATE_ONLY)
	{
		/* no start time: the kind stays, on the day given or the stored one */
		if (end_named)
		{
			const char *prop = et->present ? et->property : ed->property;

			te_problem(p, TE_R_END_ON_DATE_ONLY, prop,
					   "A date-only entry has a day and a duration, with no end.",
					   "Give a start time as well to make it a timed entry.",
					   "property \"%s\" cannot be given for a date-only entry", prop);
			return false;
		}
		if (sd->present)
			t->date_local = sd->date;
		if (duration_named)
		{
			if (!check_date_only_duration(req, req->duration, p))
				return false;
			t->duration = req->duration;
		}
		return true;
	}
	else
	{
		day = sday;
		tod = stod;
	}

	if (start_named)
	{
		if (!wall_moment(req, day, tod, wall_tz, t->start_prop, "start", &start, p))
			return false;
	}
	else
		start = stored->start_at;

	if (kind == TE_KIND_RUNNING)
	{
		if (!running_from(start, now, t->start_prop, t, p))
			return false;
		t->date_local = te_local_date(start, req->tz, NULL);
		return true;
	}

	/* the end, written against the new start, or the stored one */
	if (!written_end(req, g, wall_tz, day, tod, &has_end, &end, &end_prop, p))
		return false;
	if (has_end && !start_named && duration_named)
	{
		/* start = end - duration */
		TimestampTz new_start;

		if (pg_sub_s64_overflow(end, ((int64) req->duration + breaks) * USECS_PER_SEC,
								&new_start))
			new_start = DT_NOBEGIN;
		if (!check_range(req, new_start, req->p_duration, "start", p))
			return false;
		start = new_start;
		t->start_prop = req->p_duration;
	}
	if (has_end)
	{
		if (!timed_by_end(req, start, end, end_prop, breaks, wall_tz, t, p))
			return false;
	}
	else if (!timed_by_duration(req, start, duration_named ? req->duration : stored->duration,
								breaks, req->p_duration, t, p))
		return false;
	t->date_local = te_local_date(t->start_at, req->tz, NULL);
	return true;
}
