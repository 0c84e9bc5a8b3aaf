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

/* Write n, 0 <= n < 10^width, as exactly width digits; returns the end. */
char *
te_write_digits(char *buf, int n, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		buf[i] = (char) ('0' + n % 10);
		n /= 10;
	}
	return buf + width;
}

/*
 * Write "YYYY-MM-DD" of a day, whatever DateStyle says, at buf (room for
 * TE_DATE_MAXLEN characters); returns the end, not terminated.  Entries lie
 * in the years 1900-9999 (SPEC 3); a year outside 0-9999 (an audit time a
 * user's trigger set) is written as printf writes it.
 */
char *
te_write_date(char *buf, DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y < 0 || y > 9999)
		return buf + snprintf(buf, TE_DATE_MAXLEN + 1, "%d-%02d-%02d", y, m, day);
	buf = te_write_digits(buf, y, 4);
	*buf++ = '-';
	buf = te_write_digits(buf, m, 2);
	*buf++ = '-';
	return te_write_digits(buf, day, 2);
}

/* "YYYY-MM-DD" of a day, palloc'd. */
char *
te_format_date(DateADT d)
{
	char	   *buf = palloc(TE_DATE_MAXLEN + 1);

	*te_write_date(buf, d) = '\0';
	return buf;
}

/* An instant for a message: in UTC (tz NULL) or as the clocks of tz show it. */
static char *
format_instant(TimestampTz t, pg_tz *tz)
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
 * Was a problem already reported on this property?  Then its value is not
 * known, and deriving times without it would only report the same mistake
 * again in other words.
 */
static bool
already_reported(const TeProblems *p, const char *property)
{
	for (int i = 0; i < p->count; i++)
	{
		if (p->items[i].property && strcmp(p->items[i].property, property) == 0)
			return true;
	}
	return false;
}

/*
 * The entry needs its time zone (detail says why).  The parser reported a
 * missing or unknown one already, unless a face skipped the check.
 */
static void
require_timezone(const TeRequest *req, const char *detail, TeProblems *p)
{
	if (!already_reported(p, req->p_timezone))
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
						what, format_instant(t, shown_in),
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

/*
 * SPEC 4.7: a date-only entry, on day date of the start date, needs a
 * positive duration and takes no end.
 */
static bool
derive_date_only(const TeRequest *req, TeGroup g, TeTimes *t, TeProblems *p)
{
	bool		ok = true;
	const char *end_props[2] = {NULL, NULL};

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
	else if (req->duration == 0)
	{
		te_problem(p, TE_R_DURATION_RANGE, req->p_duration,
				   "A date-only entry records time worked on a day and cannot be empty.",
				   NULL,
				   "property \"%s\" must be greater than zero for a date-only entry",
				   req->p_duration);
		ok = false;
	}
	if (!ok)
		return false;

	t->kind = TE_KIND_DATE_ONLY;
	t->date_local = req->start_date[g].date;
	t->duration = req->duration;
	return true;
}

/*
 * Derive the times of the entry from the request (SPEC 4): kind, start,
 * end, duration and the local day.  now is the current time, for the check
 * of a running entry's start.  Returns true when t is complete; otherwise
 * the problems were reported to p, or had been reported before (a time
 * property, the duration or the time zone that could not be read, mixed
 * groups: then nothing more is said).  The check of settings.max_duration
 * is left to the rules.
 */
bool
te_derive_times(const TeRequest *req, TimestampTz now, TeTimes *t,
				TeProblems *p)
{
	TeGroup		g;
	const TeDateField *sd,
			   *ed;
	const TeTimeField *st,
			   *et;
	pg_tz	   *wall_tz;		/* zone of the written times; NULL for UTC */
	DateADT		start_day;
	int64		start_tod;
	const char *start_prop;
	TimestampTz start;
	TimestampTz end;
	const char *end_prop = NULL;
	bool		has_end = false;

	memset(t, 0, sizeof(TeTimes));
	if (te_stop(p))
		return false;
	if (req->group_used[TE_GROUP_UTC] && req->group_used[TE_GROUP_LOCAL])
		return false;			/* mixed groups, reported by the parser */
	if (already_reported(p, "entry"))
		return false;			/* not an object: there is nothing to read */

	/* 4.1: the group used; with neither, UTC is the one asked for */
	g = req->group_used[TE_GROUP_LOCAL] ? TE_GROUP_LOCAL : TE_GROUP_UTC;
	sd = &req->start_date[g];
	st = &req->start_time[g];
	ed = &req->end_date[g];
	et = &req->end_time[g];

	if (already_reported(p, sd->property) || already_reported(p, st->property) ||
		already_reported(p, ed->property) || already_reported(p, et->property) ||
		already_reported(p, req->p_duration))
		return false;

	/* 4.2 */
	if (!sd->present)
	{
		te_problem(p, TE_R_REQUIRED, sd->property,
				   "An entry needs a start date, in UTC or in its time zone.",
				   NULL,
				   "property \"%s\" is required", sd->property);
		return false;
	}

	wall_tz = NULL;
	if (g == TE_GROUP_LOCAL)
	{
		if (req->tz == NULL)
		{
			require_timezone(req, "Local times are read in the entry's time zone.", p);
			return false;
		}
		wall_tz = req->tz;
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
		start_prop = st->property;
	}
	else if (sd->after_midnight)
	{
		start_day = sd->date;
		start_tod = sd->time;
		start_prop = sd->property;
	}
	else
		return derive_date_only(req, g, t, p);

	/* 4.4 */
	if (!wall_to_instant(start_day, start_tod, wall_tz, &start))
	{
		report_gap(req, start_day, start_tod, start_prop, p);
		return false;
	}
	if (!check_range(req, start, start_prop, "start", p))
		return false;

	/* 4.5: the end, if written */
	if (et->present)
	{
		DateADT		day = ed->present ? ed->date : start_day;

		/* without an end date, an end time before the start is overnight */
		if (!ed->present && et->time < start_tod)
			day++;
		end_prop = et->property;
		if (!wall_to_instant(day, et->time, wall_tz, &end))
		{
			report_gap(req, day, et->time, end_prop, p);
			return false;
		}
		has_end = true;
	}
	else if (ed->present)
	{
		int64		tod = ed->has_time ? ed->time : 0;

		end_prop = ed->property;
		if (!wall_to_instant(ed->date, tod, wall_tz, &end))
		{
			report_gap(req, ed->date, tod, end_prop, p);
			return false;
		}
		has_end = true;
	}

	/* 4.6 */
	if (has_end)
	{
		int64		seconds;

		if (end < start)
		{
			te_problem(p, TE_R_END_BEFORE_START, end_prop,
					   psprintf("The entry would end at %s, before its start at %s.",
								format_instant(end, wall_tz),
								format_instant(start, wall_tz)),
					   NULL,
					   "property \"%s\" puts the end before the start",
					   end_prop);
			return false;
		}
		if (!check_range(req, end, end_prop, "end", p))
			return false;
		/* end >= start, so the division rounds down */
		seconds = (end - start) / USECS_PER_SEC;
		if (seconds > PG_INT32_MAX)
		{
			te_problem(p, TE_R_DURATION_RANGE, end_prop,
					   psprintf("The entry would last " INT64_FORMAT " seconds; at most %d are allowed.",
								seconds, PG_INT32_MAX),
					   NULL,
					   "property \"%s\" makes the entry too long", end_prop);
			return false;
		}
		/* a duration given as well is ignored: the end takes precedence */
		t->kind = TE_KIND_TIMED;
		t->start_at = start;
		t->end_at = end;
		t->duration = (int32) seconds;
	}
	else if (req->has_duration)
	{
		if (pg_add_s64_overflow(start, (int64) req->duration * USECS_PER_SEC,
								&end))
			end = DT_NOEND;		/* out of range, reported just below */
		if (!check_range(req, end, req->p_duration, "end", p))
			return false;
		t->kind = TE_KIND_TIMED;
		t->start_at = start;
		t->end_at = end;
		t->duration = req->duration;
	}
	else
	{
		TimestampTz latest;

		/* a running entry (a timer) may not start in the future */
		if (pg_add_s64_overflow(now, TE_RUNNING_FUTURE_SLACK_USECS, &latest))
			latest = DT_NOEND;
		if (start > latest)
		{
			te_problem(p, TE_R_FUTURE_OR_PAST, start_prop,
					   psprintf("A running entry may start at most 60 seconds from now; this one would start at %s.",
								format_instant(start, NULL)),
					   "Give an end or a duration for time that is not running now.",
					   "property \"%s\" starts a running entry in the future",
					   start_prop);
			return false;
		}
		t->kind = TE_KIND_RUNNING;
		t->start_at = start;
		t->duration = 0;
	}

	/* the local day; for a UTC entry without a known time zone there is none */
	if (req->tz == NULL)
	{
		require_timezone(req, "The entry's day is the day of its start in its time zone.", p);
		return false;
	}
	t->date_local = te_local_date(start, req->tz, NULL);
	return true;
}
