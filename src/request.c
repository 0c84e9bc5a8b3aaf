/*
 * request.c
 *		The jsonb request -> a TeRequest, every field with its presence.
 *
 * The entry is read straight from its Jsonb container: one pass over the
 * top-level object sorts the keys into a slot per known property (an
 * unknown key is reported at once), then each property is checked in the
 * order SPEC 3 lists them.  Nothing here runs SQL or reads a catalog; the
 * only per-backend state is the table of time zone names, built on first
 * use.
 *
 * The order of the checks, which decides the first problem that
 * create_entry raises:
 *
 *	1. the entry is not an object (nothing else is checked);
 *	2. unknown properties, in jsonb's key order (shorter names first, then
 *	   bytewise: jsonb keeps its keys sorted that way, whatever order they
 *	   were written in);
 *	3. for a patch (update_entry), nulls that clear what cannot be cleared;
 *	   for a timer (start_timer), an end or a duration;
 *	4. each known property, in SPEC 3 order: type, then format, then range;
 *	5. mixed UTC and local groups;
 *	6. required properties missing or null (timezone, typeOfWorkId,
 *	   userId), last because a property sent with a wrong value is a better
 *	   first message than "is required" for the one the user did not send.
 *	   A patch requires nothing.
 *
 * A patch is the same request read with JSON Merge Patch semantics (SPEC
 * 9.3): req->sent and req->nulled say what it names, with a value or with
 * null; what it does not name keeps its stored value.
 */
#include "postgres.h"

#include <ctype.h>

#include "access/xact.h"
#include "mb/pg_wchar.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "time_entry.h"

/*
 * The request properties (TeProp), in the order of SPEC 3, which is the
 * order they are checked in.  prop_names[] spells each as the JSON request
 * does.
 */
typedef struct PropName
{
	const char *name;
	int			len;
} PropName;

#define PROP(s) {s, sizeof(s) - 1}

static const PropName prop_names[TE_P__COUNT] = {
	[TE_P_TIMEZONE] = PROP("timezone"),
	[TE_P_TYPE_OF_WORK_ID] = PROP("typeOfWorkId"),
	[TE_P_USER_ID] = PROP("userId"),
	[TE_P_IS_BILLABLE] = PROP("isBillable"),
	[TE_P_IS_BILLED] = PROP("isBilled"),
	[TE_P_TASK_ID] = PROP("taskId"),
	[TE_P_PROJECT_ID] = PROP("projectId"),
	[TE_P_NOTE] = PROP("note"),
	[TE_P_START_DATE_UTC] = PROP("startDateUtc"),
	[TE_P_START_TIME_UTC] = PROP("startTimeUtc"),
	[TE_P_END_DATE_UTC] = PROP("endDateUtc"),
	[TE_P_END_TIME_UTC] = PROP("endTimeUtc"),
	[TE_P_START_DATE_LOCAL] = PROP("startDateLocal"),
	[TE_P_START_TIME_LOCAL] = PROP("startTimeLocal"),
	[TE_P_END_DATE_LOCAL] = PROP("endDateLocal"),
	[TE_P_END_TIME_LOCAL] = PROP("endTimeLocal"),
	[TE_P_DURATION] = PROP("duration"),
	[TE_P_BREAK_DURATION] = PROP("breakDuration"),
	[TE_P_ID] = PROP("id"),
};

/* The name of a property as the JSON request spells it. */
const char *
te_prop_name(TeProp prop)
{
	return prop_names[prop].name;
}

static const char *const uuid_detail =
"Ids are written as 32 hexadecimal digits in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.";
static const char *const time_detail =
"Times are written HH:MM, HH:MM:SS or HH:MM:SS.fffffff.";
static const char *const utc_date_detail =
"Dates are written YYYY-MM-DD, optionally followed by THH:MM, THH:MM:SS or THH:MM:SS.fffffff and then Z or +00:00.";
static const char *const local_date_detail =
"Dates are written YYYY-MM-DD, optionally followed by THH:MM, THH:MM:SS or THH:MM:SS.fffffff.";
static const char *const duration_detail =
"A duration is a whole number of seconds from 0 to 2147483647.";

/* ---- time zone names ---- */

/*
 * The time zone names of pg_timezone_names, by lower-cased name.  Built on
 * first use in TopMemoryContext and kept for the life of the backend: the
 * zone files do not change under a running server (pg_tzset caches them the
 * same way).  An entry is the key (tz_key_size bytes) followed, at
 * MAXALIGN(tz_key_size), by a TzZone.  The key size is the longest name
 * plus one, which keeps the table small (keys of TZ_STRLEN_MAX + 1 bytes
 * would be six times larger) and lets a longer name be rejected before any
 * lookup.
 */
typedef struct TzZone
{
	const char *canonical;		/* the name as pg_timezone_names spells it */
	pg_tz	   *tz;				/* from pg_tzset, on first use */
} TzZone;

static HTAB *tz_names = NULL;
static Size tz_key_size = 0;

#define TZ_ZONE(entry) ((TzZone *) ((char *) (entry) + MAXALIGN(tz_key_size)))

/*
 * Would pg_timezone_names list this zone?  It skips a zone whose
 * conversion of the current time fails, and one with an absurdly long
 * abbreviation (some packagers' "Factory" zone).  Same tests here, so the
 * two sets are the same.
 */
static bool
zone_is_listed(pg_tz *tz)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;
	const char *tzn = NULL;

	if (timestamp2tm(GetCurrentTransactionStartTimestamp(), &tzoff, &tm,
					 &fsec, &tzn, tz) != 0)
		return false;
	if (tzn && strlen(tzn) > 31)
		return false;
	return true;
}

/*
 * Enumerate the server's time zones (as pg_timezone_names does, ~30 ms) and
 * build tz_names.  Everything is built in a context under the current one
 * and moved under TopMemoryContext only when complete: an error on the way
 * frees it with the transaction, and the next call starts over.
 */
static void
build_tz_names(void)
{
	MemoryContext cxt;
	List	   *names = NIL;
	ListCell   *lc;
	pg_tzenum  *tzenum;
	pg_tz	   *tz;
	Size		longest = 0;
	HASHCTL		ctl;
	HTAB	   *htab;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "time_entry zone names",
								ALLOCSET_SMALL_SIZES);

	/* collect the canonical names first, to size the keys */
	tzenum = pg_tzenumerate_start();
	while ((tz = pg_tzenumerate_next(tzenum)) != NULL)
	{
		const char *name = pg_get_timezone_name(tz);

		if (!zone_is_listed(tz))
			continue;
		names = lappend(names, MemoryContextStrdup(cxt, name));
		longest = Max(longest, strlen(name));
	}
	pg_tzenumerate_end(tzenum);

	tz_key_size = longest + 1;
	ctl.keysize = tz_key_size;
	ctl.entrysize = MAXALIGN(tz_key_size) + sizeof(TzZone);
	ctl.hcxt = cxt;
	htab = hash_create("time_entry zone names", list_length(names) + 16,
					   &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	foreach(lc, names)
	{
		const char *name = lfirst(lc);
		size_t		len = strlen(name);
		char		key[TZ_STRLEN_MAX + 1];
		void	   *entry;
		bool		found;

		for (size_t i = 0; i <= len; i++)
			key[i] = pg_tolower((unsigned char) name[i]);
		entry = hash_search(htab, key, HASH_ENTER, &found);
		if (found)
			continue;			/* names equal but for case: keep the first */
		TZ_ZONE(entry)->canonical = name;
		TZ_ZONE(entry)->tz = NULL;
	}
	list_free(names);

	MemoryContextSetParent(cxt, TopMemoryContext);
	tz_names = htab;
}

/*
 * Find a time zone by its IANA name, matched case-insensitively against the
 * names of pg_timezone_names.  On success set *tz and *canonical (the name
 * as the server spells it, valid for the life of the backend) and return
 * true.  pg_tzset alone would not do: it also accepts POSIX specifications
 * such as "UTC+3", which are not zone names.
 */
bool
te_lookup_timezone(const char *name, int len, pg_tz **tz,
				   const char **canonical)
{
	char		key[TZ_STRLEN_MAX + 1];
	void	   *entry;
	TzZone	   *zone;
	bool		has_slash = false,
				has_lower = false,
				letters_only = true;

	if (len <= 0 || len > TZ_STRLEN_MAX)
		return false;

	/*
	 * The fast path, which spares a new session the enumeration below (tens
	 * of milliseconds).  pg_tzset loads a file of the time-zone database,
	 * or else parses a POSIX specification ("UTC+3"), which
	 * pg_timezone_names does not list.  A name it loads under that very
	 * name, up to case, is a file -- and so one of pg_timezone_names,
	 * unless the zone counts leap seconds -- when it is in a zone directory
	 * ("Europe/Berlin": a POSIX specification never spells a lower-case
	 * directory name) or is letters only ("UTC", "Zulu": a POSIX
	 * specification needs an offset).  Only letters, digits and "/_+-" are
	 * taken, so no "." can step between directories.  Everything else
	 * takes the slow path.  pg_tzset caches what it loads.
	 */
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) name[i];

		if (!(isalnum(c) || c == '/' || c == '_' || c == '+' || c == '-') ||
			!isascii(c))
			break;
		if (c == '/')
			has_slash = true;
		if (!isalpha(c))
			letters_only = false;
		if (i == len - 1 && (has_slash || letters_only))
		{
			pg_tz	   *found;
			const char *canon;

			memcpy(key, name, len);
			key[len] = '\0';
			found = pg_tzset(key);
			if (found == NULL || !pg_tz_acceptable(found))
				break;
			canon = pg_get_timezone_name(found);
			for (const char *q = canon; *q; q++)
				if (*q >= 'a' && *q <= 'z')
					has_lower = true;
			if (((has_lower && strchr(canon, '/') != NULL) || letters_only) &&
				pg_strcasecmp(canon, key) == 0)
			{
				*tz = found;
				*canonical = canon;
				return true;
			}
		}
	}

	if (tz_names == NULL)
		build_tz_names();

	if ((Size) len >= tz_key_size)
		return false;
	for (int i = 0; i < len; i++)
	{
		if (name[i] == '\0')
			return false;
		key[i] = pg_tolower((unsigned char) name[i]);
	}
	key[len] = '\0';

	entry = hash_search(tz_names, key, HASH_FIND, NULL);
	if (entry == NULL)
		return false;
	zone = TZ_ZONE(entry);
	if (zone->tz == NULL)
	{
		/* pg_tzset keeps what it loads for the life of the backend */
		zone->tz = pg_tzset(zone->canonical);
		if (zone->tz == NULL)
			return false;
	}
	*tz = zone->tz;
	*canonical = zone->canonical;
	return true;
}

/* ---- dates and times ---- */

/* Are s[0..n) all ASCII digits? */
static inline bool
all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The value of two ASCII digits. */
static inline int
two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * Parse a time of day at s[*pos..len): HH:MM, HH:MM:SS or HH:MM:SS.f with 1
 * to 7 fraction digits, two digits for each field.  Fractions are truncated
 * to the microsecond (the seventh digit, 100 ns, is dropped; *dropped, if
 * given, tells whether it was not 0).  Advances *pos past the time; returns
 * false if there is none or it is out of range.
 */
static bool
parse_clock(const char *s, int len, int *pos, int64 *time, bool *dropped)
{
	int			i = *pos;
	int			hour,
				minute,
				second = 0;
	int64		usec = 0;

	if (len - i < 5 || !all_digits(s + i, 2) || s[i + 2] != ':' ||
		!all_digits(s + i + 3, 2))
		return false;
	hour = two_digits(s + i);
	minute = two_digits(s + i + 3);
	i += 5;

	if (i < len && s[i] == ':')
	{
		if (len - i < 3 || !all_digits(s + i + 1, 2))
			return false;
		second = two_digits(s + i + 1);
		i += 3;

		if (i < len && s[i] == '.')
		{
			int			ndigits = 0;
			int64		scale = 100000;

			i++;
			while (i < len && s[i] >= '0' && s[i] <= '9')
			{
				if (++ndigits > 7)
					return false;
				if (ndigits <= 6)
				{
					usec += (s[i] - '0') * scale;
					scale /= 10;
				}
				else if (s[i] != '0' && dropped)
					*dropped = true;
				i++;
			}
			if (ndigits == 0)
				return false;
		}
	}

	if (hour > 23 || minute > 59 || second > 59)
		return false;

	*time = ((int64) (hour * MINS_PER_HOUR + minute) * SECS_PER_MINUTE + second)
		* USECS_PER_SEC + usec;
	*pos = i;
	return true;
}

/*
 * Parse a time property: HH:MM, HH:MM:SS or HH:MM:SS.f (1 to 7 fraction
 * digits) and nothing else, 00:00:00 to 23:59:59.9999999.  s need not be
 * NUL-terminated.  Returns false when malformed.
 */
bool
te_parse_time(const char *s, int len, int64 *time)
{
	int			pos = 0;
	int64		t;

	if (!parse_clock(s, len, &pos, &t, NULL) || pos != len)
		return false;
	*time = t;
	return true;
}

/*
 * Is s[0..n) a UTC offset of some form: Z, or a sign and HH, HHMM or HH:MM?
 * Recognizing them all lets a wrong offset be reported as such rather than
 * as a malformed date.
 */
static bool
is_offset(const char *s, int n)
{
	if (n == 1 && s[0] == 'Z')
		return true;
	if (n < 3 || (s[0] != '+' && s[0] != '-') || !all_digits(s + 1, 2))
		return false;
	if (n == 3)
		return true;
	if (n == 5)
		return all_digits(s + 3, 2);
	if (n == 6)
		return s[3] == ':' && all_digits(s + 4, 2);
	return false;
}

/*
 * Parse a date property: YYYY-MM-DD, optionally followed by THH:MM,
 * THH:MM:SS or THH:MM:SS.f (1 to 7 fraction digits, truncated to the
 * microsecond).  A UTC date (utc) may then end in Z or +00:00; a local one
 * carries no offset.  s need not be NUL-terminated.
 *
 * On success fill f (present, date, has_time, time) and return true.  Else
 * set *err and return false; when several apply, the first of:
 *	TE_R_MALFORMED_DATE	not that syntax, or no such day or time ("T" and
 *						"Z" upper-case only, as ISO 8601 writes them; an
 *						offset needs a time);
 *	TE_R_NON_UTC_OFFSET	an offset other than Z or +00:00 on a UTC date, any
 *						offset (Z too) on a local one;
 *	TE_R_DATE_RANGE		a year outside 1900-9999.  A year of more than four
 *						digits ("10000-01-01") is a well-formed date out of
 *						range, not a malformed one; fewer than four digits
 *						are malformed.
 */
bool
te_parse_date(const char *s, int len, bool utc, TeDateField *f,
			  TeRuleId *err)
{
	int			ydigits = 0;
	int			year = 0;
	int			month,
				day;
	int			pos;
	bool		has_time = false;
	int64		time = 0;
	bool		dropped = false;
	bool		year_in_range;

	*err = TE_R_MALFORMED_DATE;

	/* year: four digits, or more for a year out of range */
	while (ydigits < len && s[ydigits] >= '0' && s[ydigits] <= '9')
	{
		if (ydigits < 4)
			year = year * 10 + (s[ydigits] - '0');
		ydigits++;
	}
	if (ydigits < 4)
		return false;
	year_in_range = (ydigits == 4 && year >= TE_FIRST_YEAR && year <= TE_LAST_YEAR);

	pos = ydigits;
	if (len - pos < 6 || s[pos] != '-' || !all_digits(s + pos + 1, 2) ||
		s[pos + 3] != '-' || !all_digits(s + pos + 4, 2))
		return false;
	month = two_digits(s + pos + 1);
	day = two_digits(s + pos + 4);
	pos += 6;
	if (month < 1 || month > 12 || day < 1)
		return false;
	/* a year too long to know is checked against the longest month only */
	if (day > (ydigits == 4 ? day_tab[isleap(year)][month - 1]
			   : day_tab[1][month - 1]))
		return false;

	if (pos < len && s[pos] == 'T')
	{
		pos++;
		if (!parse_clock(s, len, &pos, &time, &dropped))
			return false;
		has_time = true;
	}

	if (pos < len)
	{
		/* only an offset may follow, and only after a time */
		if (!has_time || !is_offset(s + pos, len - pos))
			return false;
		if (!utc ||
			!((len - pos == 1) ||
			  (len - pos == 6 && memcmp(s + pos, "+00:00", 6) == 0)))
		{
			*err = TE_R_NON_UTC_OFFSET;
			return false;
		}
	}

	if (!year_in_range)
	{
		*err = TE_R_DATE_RANGE;
		return false;
	}

	f->present = true;
	f->date = date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
	f->has_time = has_time;
	f->time = time;
	f->after_midnight = has_time && (time != 0 || dropped);
	return true;
}

/* ---- the request ---- */

/*
 * Set up an empty request: nothing present, and the property names the
 * jsonb face reports (the typed face renames them afterwards).
 */
void
te_request_init(TeRequest *req, TeRequestKind kind)
{
	static const char *const date_names[2][2] = {
		[TE_GROUP_UTC] = {"startDateUtc", "endDateUtc"},
		[TE_GROUP_LOCAL] = {"startDateLocal", "endDateLocal"},
	};
	static const char *const time_names[2][2] = {
		[TE_GROUP_UTC] = {"startTimeUtc", "endTimeUtc"},
		[TE_GROUP_LOCAL] = {"startTimeLocal", "endTimeLocal"},
	};

	memset(req, 0, sizeof(TeRequest));

	req->kind = kind;
	req->p_id = "id";
	req->p_user_id = "userId";
	req->p_type_of_work_id = "typeOfWorkId";
	req->p_project_id = "projectId";
	req->p_task_id = "taskId";
	req->p_timezone = "timezone";
	req->p_is_billable = "isBillable";
	req->p_is_billed = "isBilled";
	req->p_note = "note";
	req->p_duration = "duration";

	for (int g = TE_GROUP_UTC; g <= TE_GROUP_LOCAL; g++)
	{
		req->start_date[g].property = date_names[g][0];
		req->end_date[g].property = date_names[g][1];
		req->start_time[g].property = time_names[g][0];
		req->end_time[g].property = time_names[g][1];
	}
}

/* "a JSON string" etc., for messages. */
static const char *
json_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "a JSON null";
		case jbvString:
			return "a JSON string";
		case jbvNumeric:
			return "a JSON number";
		case jbvBool:
			return "a JSON boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data)
				? "a JSON array" : "a JSON object";
		default:
			return "a JSON value";
	}
}

/*
 * Is this string a JSON boolean or number put in quotes ("true", "3600")?
 * Only a rough look, to decide on a hint.
 */
static bool
looks_unquotable(const char *s, int len)
{
	if ((len == 4 && memcmp(s, "true", 4) == 0) ||
		(len == 5 && memcmp(s, "false", 5) == 0))
		return true;
	if (len > 0 && s[0] == '-')
	{
		s++;
		len--;
	}
	if (len == 0 || len > 32 || s[0] < '0' || s[0] > '9')
		return false;
	for (int i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e' ||
			  s[i] == 'E' || s[i] == '+' || s[i] == '-'))
			return false;
	return true;
}

/*
 * Report a value of the wrong JSON type: expected is "a string", "a
 * boolean", "a number".  A quoted boolean or number gets a hint.
 */
static void
wrong_type(TeProblems *p, const char *property, const char *expected,
		   const JsonbValue *v)
{
	const char *hint = NULL;

	if (v->type == jbvString && strcmp(expected, "a string") != 0 &&
		looks_unquotable(v->val.string.val, v->val.string.len))
		hint = "Write the value without quotes.";
	te_problem(p, TE_R_WRONG_TYPE, property,
			   psprintf("The value is %s.", json_type_name(v)), hint,
			   "property \"%s\" must be %s", property, expected);
}

/* A uuid property: a string in the canonical 8-4-4-4-12 form. */
static void
parse_uuid_property(const JsonbValue *v, const char *property, bool *has,
					pg_uuid_t *out, TeProblems *p)
{
	if (v->type != jbvString)
	{
		wrong_type(p, property, "a string", v);
		return;
	}
	if (!te_parse_uuid(v->val.string.val, v->val.string.len, out))
	{
		te_problem(p, TE_R_MALFORMED_UUID, property, uuid_detail, NULL,
				   "invalid value for property \"%s\": %s", property,
				   te_quote_value(v->val.string.val, v->val.string.len));
		return;
	}
	*has = true;
}

static void
parse_bool_property(const JsonbValue *v, const char *property, bool *has,
					bool *out, TeProblems *p)
{
	if (v->type != jbvBool)
	{
		wrong_type(p, property, "a boolean", v);
		return;
	}
	*out = v->val.boolean;
	*has = true;
}

/*
 * Take a time zone name (the len bytes at name) into the request, or
 * report it as unknown.  Shared by every face.
 */
void
te_take_timezone(TeRequest *req, const char *name, int len, TeProblems *p)
{
	if (!te_lookup_timezone(name, len, &req->tz, &req->timezone))
	{
		te_problem(p, TE_R_UNKNOWN_TIMEZONE, req->p_timezone,
				   "The time zone is not one of the IANA names the server knows.",
				   "Use a name listed in pg_timezone_names, such as \"Europe/Berlin\".",
				   "property \"%s\" names an unknown time zone: %s",
				   req->p_timezone, te_quote_value(name, len));
		return;
	}
	req->has_timezone = true;
}

static void
parse_timezone(const JsonbValue *v, TeRequest *req, TeProblems *p)
{
	if (v->type != jbvString)
	{
		wrong_type(p, req->p_timezone, "a string", v);
		return;
	}
	te_take_timezone(req, v->val.string.val, v->val.string.len, p);
}

/*
 * Take a note (the len bytes at s) into the request: at most
 * TE_NOTE_MAX_CHARS characters, not bytes.  Shared by every face.
 */
void
te_take_note(TeRequest *req, const char *s, int len, TeProblems *p)
{
	/* no character is shorter than a byte: count only when it may matter */
	if (len > TE_NOTE_MAX_CHARS)
	{
		int			nchars = pg_mbstrlen_with_len(s, len);

		if (nchars > TE_NOTE_MAX_CHARS)
		{
			te_problem(p, TE_R_NOTE_TOO_LONG, req->p_note,
					   psprintf("The note has %d characters; at most %d are allowed.",
								nchars, TE_NOTE_MAX_CHARS),
					   NULL,
					   "property \"%s\" is too long", req->p_note);
			return;
		}
	}
	req->note = cstring_to_text_with_len(s, len);
	req->has_note = true;
}

static void
parse_note(const JsonbValue *v, TeRequest *req, TeProblems *p)
{
	if (v->type != jbvString)
	{
		wrong_type(p, req->p_note, "a string", v);
		return;
	}
	te_take_note(req, v->val.string.val, v->val.string.len, p);
}

typedef enum NumberKind
{
	NUM_INTEGER,				/* an integral value that fits int32 */
	NUM_NOT_INTEGER,			/* has a fractional part (or is NaN, Inf) */
	NUM_OUT_OF_RANGE			/* integral, but does not fit int32 */
} NumberKind;

/*
 * Classify a JSON number as an int32.  What counts is the value, not how it
 * was written: 3600, 3600.0 and 3.6e3 are all 3600 (jsonb keeps 3.6e3 as
 * 3600 anyway, so the written form could not be told apart reliably).
 * numeric_min_scale is 0 exactly for integral values.
 */
static NumberKind
number_to_int32(Numeric num, int32 *out)
{
	bool		error = false;
	int32		value;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		return NUM_NOT_INTEGER;
	if (DatumGetInt32(DirectFunctionCall1(numeric_min_scale,
										  NumericGetDatum(num))) != 0)
		return NUM_NOT_INTEGER;
	value = numeric_int4_opt_error(num, &error);
	if (error)
		return NUM_OUT_OF_RANGE;
	*out = value;
	return NUM_INTEGER;
}

/* The text of a number, for a message (only on the error path). */
static char *
number_text(Numeric num)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(num)));

	return te_quote_value(s, strlen(s));
}

/* duration: an integral JSON number of seconds, 0 to 2^31-1. */
static void
parse_duration(const JsonbValue *v, TeRequest *req, TeProblems *p)
{
	const char *property = req->p_duration;
	int32		value = 0;

	if (v->type != jbvNumeric)
	{
		wrong_type(p, property, "an integer", v);
		return;
	}
	switch (number_to_int32(v->val.numeric, &value))
	{
		case NUM_NOT_INTEGER:
			te_problem(p, TE_R_WRONG_TYPE, property, duration_detail, NULL,
					   "property \"%s\" must be an integer: %s", property,
					   number_text(v->val.numeric));
			return;
		case NUM_OUT_OF_RANGE:
			te_problem(p, TE_R_DURATION_RANGE, property, duration_detail, NULL,
					   "property \"%s\" is out of range: %s", property,
					   number_text(v->val.numeric));
			return;
		case NUM_INTEGER:
			break;
	}
	te_take_duration(req, value, p);
}

/* Take a duration of value seconds into the request.  Shared by every face. */
void
te_take_duration(TeRequest *req, int32 value, TeProblems *p)
{
	if (value < 0)
	{
		te_problem(p, TE_R_DURATION_RANGE, req->p_duration, duration_detail,
				   NULL, "property \"%s\" cannot be negative: %d",
				   req->p_duration, value);
		return;
	}
	req->duration = value;
	req->has_duration = true;
}

/* breakDuration: only 0 is accepted, and it changes nothing. */
static void
parse_break_duration(const JsonbValue *v, TeProblems *p)
{
	int32		value;

	if (v->type == jbvNumeric &&
		number_to_int32(v->val.numeric, &value) == NUM_INTEGER && value == 0)
		return;
	te_problem(p, TE_R_BREAK_DURATION, "breakDuration",
			   "Breaks are not part of the request; only 0 is accepted.",
			   NULL,
			   "property \"%s\" cannot be set", "breakDuration");
}

/*
 * Report a date outside the years TE_FIRST_YEAR to TE_LAST_YEAR, given as
 * the len bytes at value (the JSON string, or a typed argument's text).
 */
void
te_report_date_range(TeProblems *p, const char *property, const char *value,
					 int len)
{
	te_problem(p, TE_R_DATE_RANGE, property,
			   psprintf("Dates from the year %d to the year %d are allowed.",
						TE_FIRST_YEAR, TE_LAST_YEAR),
			   NULL,
			   "date of property \"%s\" is out of range: %s",
			   property, te_quote_value(value, len));
}

/* A date property of group g. */
static void
parse_date_property(const JsonbValue *v, TeDateField *f, TeGroup g,
					TeProblems *p)
{
	bool		utc = (g == TE_GROUP_UTC);
	TeRuleId	err;
	const char *s;
	int			len;

	if (v->type != jbvString)
	{
		wrong_type(p, f->property, "a string", v);
		return;
	}
	s = v->val.string.val;
	len = v->val.string.len;
	if (te_parse_date(s, len, utc, f, &err))
		return;

	switch (err)
	{
		case TE_R_NON_UTC_OFFSET:
			if (utc)
				te_problem(p, err, f->property,
						   "A UTC date may end in Z or +00:00 and in no other offset.",
						   "Convert the time to UTC, or send it as a local time with its time zone.",
						   "property \"%s\" must be in UTC: %s", f->property,
						   te_quote_value(s, len));
			else
				te_problem(p, err, f->property,
						   "A local date is read in the entry's time zone and carries no offset.",
						   "Leave the offset out, or send the time in UTC.",
						   "property \"%s\" cannot carry an offset: %s",
						   f->property, te_quote_value(s, len));
			break;
		case TE_R_DATE_RANGE:
			te_report_date_range(p, f->property, s, len);
			break;
		default:
			te_problem(p, TE_R_MALFORMED_DATE, f->property,
					   utc ? utc_date_detail : local_date_detail, NULL,
					   "invalid value for property \"%s\": %s", f->property,
					   te_quote_value(s, len));
			break;
	}
}

/* A time property. */
static void
parse_time_property(const JsonbValue *v, TeTimeField *f, TeProblems *p)
{
	if (v->type != jbvString)
	{
		wrong_type(p, f->property, "a string", v);
		return;
	}
	if (!te_parse_time(v->val.string.val, v->val.string.len, &f->time))
	{
		te_problem(p, TE_R_MALFORMED_TIME, f->property, time_detail, NULL,
				   "invalid value for property \"%s\": %s", f->property,
				   te_quote_value(v->val.string.val, v->val.string.len));
		return;
	}
	f->present = true;
}

/* Which known property is this key?  TE_P__COUNT if none. */
static TeProp
find_property(const char *key, int len)
{
	for (int i = 0; i < TE_P__COUNT; i++)
	{
		if (prop_names[i].len == len &&
			memcmp(prop_names[i].name, key, len) == 0)
			return (TeProp) i;
	}
	return TE_P__COUNT;
}

/* Report an unknown key, with the right spelling if only the case differs. */
static void
unknown_property(const TeRequest *req, const char *key, int len, TeProblems *p)
{
	const char *hint = NULL;
	const char *detail = req->kind == TE_REQ_PATCH
		? "The changes may have only the properties of the create request but id."
		: "The entry may have only the properties of the create request.";

	for (int i = 0; i < TE_P__COUNT; i++)
	{
		if (req->kind == TE_REQ_PATCH && i == TE_P_ID)
			continue;
		if (prop_names[i].len == len &&
			pg_strncasecmp(prop_names[i].name, key, len) == 0)
		{
			hint = psprintf("Did you mean \"%s\"?", prop_names[i].name);
			break;
		}
	}
	if (len == 10 && memcmp(key, "isExternal", 10) == 0)
		detail = "An entry is never external when it is created.";
	else if (len == 2 && memcmp(key, "id", 2) == 0)
		detail = "The id of an entry cannot change.";

	/* the property is the name as sent; the message quotes a bounded part */
	te_problem(p, TE_R_UNKNOWN_PROPERTY, pnstrdup(key, len), detail, hint,
			   "unknown property %s", te_quote_value(key, len));
}

/*
 * Sort the top-level keys of the object into values[], reporting unknown
 * keys, and note in req->sent and req->nulled which properties were named
 * with a value and with null (a null is otherwise left out, as if absent).
 * Strings in values[] point into the object.
 */
static void
collect_properties(Jsonb *entry, TeRequest *req, JsonbValue *values,
				   TeProblems *p)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	it = JsonbIteratorInit(&entry->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue	key;
		TeProp		id;

		if (tok != WJB_KEY)
			continue;			/* WJB_BEGIN_OBJECT, WJB_END_OBJECT */
		key = v;
		tok = JsonbIteratorNext(&it, &v, true);
		if (tok != WJB_VALUE)
			elog(ERROR, "unexpected jsonb token %d after a key", (int) tok);

		id = find_property(key.val.string.val, key.val.string.len);
		if (id == TE_P__COUNT || (id == TE_P_ID && req->kind == TE_REQ_PATCH))
		{
			unknown_property(req, key.val.string.val, key.val.string.len, p);
			continue;
		}
		if (v.type == jbvNull)
		{
			req->nulled |= TE_PROP_BIT(id);
			continue;
		}
		values[id] = v;
		req->sent |= TE_PROP_BIT(id);
	}
}

/*
 * In a patch (SPEC 9.3), null clears projectId, taskId and note and resets
 * isBillable and isBilled; the properties every entry has cannot be
 * cleared: timezone, typeOfWorkId and userId (23502), the times and the
 * duration (22023).
 */
static void
check_patch_nulls(const TeRequest *req, TeProblems *p)
{
	for (int i = 0; i < TE_P__COUNT && !te_stop(p); i++)
	{
		const char *name = prop_names[i].name;

		if (!(req->nulled & TE_PROP_BIT(i)))
			continue;
		switch ((TeProp) i)
		{
			case TE_P_TIMEZONE:
			case TE_P_TYPE_OF_WORK_ID:
			case TE_P_USER_ID:
				te_problem(p, TE_R_REQUIRED, name,
						   "Every entry has this property; null would clear it.",
						   "Leave the property out to keep its value.",
						   "property \"%s\" cannot be null", name);
				break;
			case TE_P_START_DATE_UTC:
			case TE_P_START_TIME_UTC:
			case TE_P_END_DATE_UTC:
			case TE_P_END_TIME_UTC:
			case TE_P_START_DATE_LOCAL:
			case TE_P_START_TIME_LOCAL:
			case TE_P_END_DATE_LOCAL:
			case TE_P_END_TIME_LOCAL:
			case TE_P_DURATION:
				te_problem(p, TE_R_CANNOT_CLEAR, name,
						   "The times of an entry are changed, not cleared.",
						   "Leave the property out to keep the time, or give a new value.",
						   "property \"%s\" cannot be null", name);
				break;
			default:
				break;
		}
	}
}

/* A timer (SPEC 9.4) takes no end and no duration. */
static void
check_timer_fields(const TeRequest *req, TeProblems *p)
{
	static const TeProp ends[] = {TE_P_END_DATE_UTC, TE_P_END_TIME_UTC,
	TE_P_END_DATE_LOCAL, TE_P_END_TIME_LOCAL, TE_P_DURATION};

	for (size_t i = 0; i < lengthof(ends) && !te_stop(p); i++)
	{
		const char *name = prop_names[ends[i]].name;

		if (req->sent & TE_PROP_BIT(ends[i]))
			te_problem(p, TE_R_NOT_FOR_TIMER, name,
					   "A timer runs from its start until it is stopped.",
					   "Leave the end and the duration out, and stop the timer with stop_timer.",
					   "property \"%s\" cannot be given for a timer", name);
	}
}

/* The first property of group g that was sent (valid or not), or NULL. */
static const char *
first_of_group(const TeRequest *req, TeGroup g)
{
	/* a group's four properties follow each other in TeProp order */
	TeProp		base = (g == TE_GROUP_UTC) ? TE_P_START_DATE_UTC : TE_P_START_DATE_LOCAL;
	const char *names[4] = {
		req->start_date[g].property, req->start_time[g].property,
		req->end_date[g].property, req->end_time[g].property
	};

	for (int i = 0; i < 4; i++)
	{
		if (req->sent & TE_PROP_BIT(base + i))
			return names[i];
	}
	return NULL;
}

/*
 * Report that an argument (property: "entry", "changes") is not a JSON
 * object; given says what it is instead ("a JSON array", "SQL NULL").
 */
void
te_report_not_object(TeProblems *p, const char *property, const char *given)
{
	te_problem(p, TE_R_NOT_OBJECT, property,
			   psprintf("The %s is a JSON object of the properties of an entry; %s was given.",
						strcmp(property, "changes") == 0 ? "patch" : "request", given),
			   NULL, "\"%s\" must be a JSON object", property);
}

/*
 * Parse the jsonb request into req (set up by te_request_init), reporting
 * every problem of shape and format (SPEC 3) to p, in the order given at
 * the top of this file.  Reached from every jsonb face, e.g.
 *	SELECT time_entry.create_entry('{"userId": ...}');
 * A property with a problem is left absent in req.
 */
void
te_parse_request(Jsonb *entry, TeRequest *req, TeProblems *p)
{
	JsonbValue	values[TE_P__COUNT];
	const char *utc_first;
	const char *local_first;
	const char *property = req->kind == TE_REQ_PATCH ? "changes" : "entry";

	if (!JB_ROOT_IS_OBJECT(entry))
	{
		const char *what = "a JSON array";
		JsonbValue	v;

		if (JB_ROOT_IS_SCALAR(entry) && JsonbExtractScalar(&entry->root, &v))
			what = json_type_name(&v);
		te_report_not_object(p, property, what);
		return;
	}

	collect_properties(entry, req, values, p);
	if (te_stop(p))
		return;
	if (req->kind == TE_REQ_PATCH)
		check_patch_nulls(req, p);
	else if (req->kind == TE_REQ_TIMER)
		check_timer_fields(req, p);
	if (te_stop(p))
		return;

	for (int i = 0; i < TE_P__COUNT; i++)
	{
		const JsonbValue *v = &values[i];

		if (!(req->sent & TE_PROP_BIT(i)))
			continue;
		switch ((TeProp) i)
		{
			case TE_P_TIMEZONE:
				parse_timezone(v, req, p);
				break;
			case TE_P_TYPE_OF_WORK_ID:
				parse_uuid_property(v, req->p_type_of_work_id,
									&req->has_type_of_work_id,
									&req->type_of_work_id, p);
				break;
			case TE_P_USER_ID:
				parse_uuid_property(v, req->p_user_id, &req->has_user_id,
									&req->user_id, p);
				break;
			case TE_P_IS_BILLABLE:
				parse_bool_property(v, req->p_is_billable,
									&req->has_is_billable, &req->is_billable, p);
				break;
			case TE_P_IS_BILLED:
				parse_bool_property(v, req->p_is_billed, &req->has_is_billed,
									&req->is_billed, p);
				break;
			case TE_P_TASK_ID:
				parse_uuid_property(v, req->p_task_id, &req->has_task_id,
									&req->task_id, p);
				break;
			case TE_P_PROJECT_ID:
				parse_uuid_property(v, req->p_project_id,
									&req->has_project_id, &req->project_id, p);
				break;
			case TE_P_NOTE:
				parse_note(v, req, p);
				break;
			case TE_P_START_DATE_UTC:
				parse_date_property(v, &req->start_date[TE_GROUP_UTC],
									TE_GROUP_UTC, p);
				break;
			case TE_P_START_TIME_UTC:
				parse_time_property(v, &req->start_time[TE_GROUP_UTC], p);
				break;
			case TE_P_END_DATE_UTC:
				parse_date_property(v, &req->end_date[TE_GROUP_UTC],
									TE_GROUP_UTC, p);
				break;
			case TE_P_END_TIME_UTC:
				parse_time_property(v, &req->end_time[TE_GROUP_UTC], p);
				break;
			case TE_P_START_DATE_LOCAL:
				parse_date_property(v, &req->start_date[TE_GROUP_LOCAL],
									TE_GROUP_LOCAL, p);
				break;
			case TE_P_START_TIME_LOCAL:
				parse_time_property(v, &req->start_time[TE_GROUP_LOCAL], p);
				break;
			case TE_P_END_DATE_LOCAL:
				parse_date_property(v, &req->end_date[TE_GROUP_LOCAL],
									TE_GROUP_LOCAL, p);
				break;
			case TE_P_END_TIME_LOCAL:
				parse_time_property(v, &req->end_time[TE_GROUP_LOCAL], p);
				break;
			case TE_P_DURATION:
				parse_duration(v, req, p);
				break;
			case TE_P_BREAK_DURATION:
				parse_break_duration(v, p);
				break;
			case TE_P_ID:
				parse_uuid_property(v, req->p_id, &req->has_id, &req->id, p);
				break;
			case TE_P__COUNT:
				break;
		}
		if (te_stop(p))
			return;
	}

	/* a group is used when any of its properties was sent, valid or not */
	utc_first = first_of_group(req, TE_GROUP_UTC);
	local_first = first_of_group(req, TE_GROUP_LOCAL);
	req->group_used[TE_GROUP_UTC] = (utc_first != NULL);
	req->group_used[TE_GROUP_LOCAL] = (local_first != NULL);
	if (utc_first && local_first)
	{
		te_problem(p, TE_R_MIXED_GROUPS, local_first,
				   "An entry gives its times either in UTC (the *Utc properties) or in its time zone (the *Local properties), not both.",
				   "Send only the *Utc or only the *Local properties.",
				   "property \"%s\" cannot be combined with \"%s\"",
				   local_first, utc_first);
		if (te_stop(p))
			return;
	}

	/*
	 * Required, in SPEC 3 order; a property sent with a problem was
	 * reported.  A patch keeps what it does not name.
	 */
	if (req->kind == TE_REQ_PATCH)
		return;
	if (!(req->sent & TE_PROP_BIT(TE_P_TIMEZONE)))
		te_problem(p, TE_R_REQUIRED, req->p_timezone,
				   "The property is missing or null.", NULL,
				   "property \"%s\" is required", req->p_timezone);
	if (!(req->sent & TE_PROP_BIT(TE_P_TYPE_OF_WORK_ID)))
		te_problem(p, TE_R_REQUIRED, req->p_type_of_work_id,
				   "The property is missing or null.", NULL,
				   "property \"%s\" is required", req->p_type_of_work_id);
	if (!(req->sent & TE_PROP_BIT(TE_P_USER_ID)))
		te_problem(p, TE_R_REQUIRED, req->p_user_id,
				   "The property is missing or null.", NULL,
				   "property \"%s\" is required", req->p_user_id);
}
