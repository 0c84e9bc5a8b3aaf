/*
 * time_entry.h
 *		Shared declarations of the time_entry extension.
 *
 * The create path reads as a pipeline, one file a stage:
 *
 *	request.c	jsonb or typed arguments -> TeRequest (every field with its
 *				presence flag)
 *	timecalc.c	TeRequest -> TeEntry times (UTC/local, DST, end/duration)
 *	rules.c		references, permissions, workspace settings -> problems
 *	store.c		TeEntry -> a row of time_entries (the audit trigger fills the
 *				audit fields)
 *	response.c	the row -> the camelCase jsonb response
 *	problems.c	the table of rules and how each face reports them
 *	faces.c		the SQL-callable functions, thin layers over the above
 *	audit.c		the audit trigger;  uuid7.c  the id generator
 */
#ifndef TIME_ENTRY_H
#define TIME_ENTRY_H

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#define TE_SCHEMA		"time_entry"
#define TE_TABLE		"time_entries"
#define TE_NOTE_MAX_CHARS	10000
#define TE_RUNNING_FUTURE_SLACK_USECS	(60 * USECS_PER_SEC)

/*
 * Entries lie in the years TE_FIRST_YEAR to TE_LAST_YEAR (SPEC 3), in UTC
 * and in their time zone.  The one definition of that range: the days
 * te_first_day() to te_end_day() (exclusive), and the instants from the
 * start of the first to the start of the other.
 */
#define TE_FIRST_YEAR	1900
#define TE_LAST_YEAR	9999

static inline DateADT
te_first_day(void)
{
	return date2j(TE_FIRST_YEAR, 1, 1) - POSTGRES_EPOCH_JDATE;
}

static inline DateADT
te_end_day(void)
{
	return date2j(TE_LAST_YEAR + 1, 1, 1) - POSTGRES_EPOCH_JDATE;
}

/* ---- actor (time_entry.c) ---- */

extern char *te_actor_setting;

/*
 * The actor of the call in progress, which the audit trigger records in
 * the rows the call writes (rather than the setting).  Calls nest -- a
 * trigger fired by one call may make another -- so a call saves the actor
 * it replaces and puts it back when it ends, however it ends:
 *
 *		TeActorScope saved;
 *
 *		te_actor_enter(&actor, &saved);
 *		PG_TRY(); { ...write... } PG_FINALLY(); { te_actor_leave(&saved); }
 *		PG_END_TRY();
 */
typedef struct TeActorScope
{
	bool		set;
	pg_uuid_t	actor;
} TeActorScope;

extern void te_actor_enter(const pg_uuid_t *actor, TeActorScope *saved);
extern void te_actor_leave(const TeActorScope *saved);
extern bool te_current_actor(pg_uuid_t *actor);
extern bool te_actor_from_setting(pg_uuid_t *actor);
extern bool te_parse_uuid(const char *s, size_t len, pg_uuid_t *out);
extern char *te_uuid_text(const pg_uuid_t *id);

/* ---- the rules and how they are reported (problems.c) ---- */

/*
 * Every problem the create path can report.  te_rules[] in problems.c gives
 * each its code and SQLSTATE; the order here is the order of SPEC 7.1.
 */
typedef enum TeRuleId
{
	TE_R_NO_ACTOR,
	TE_R_UNKNOWN_ACTOR,
	TE_R_DEACTIVATED_ACTOR,
	TE_R_PERMISSION,
	TE_R_NOT_OBJECT,
	TE_R_REQUIRED,
	TE_R_UNKNOWN_PROPERTY,
	TE_R_WRONG_TYPE,
	TE_R_MIXED_GROUPS,
	TE_R_BREAK_DURATION,
	TE_R_END_ON_DATE_ONLY,
	TE_R_UNKNOWN_TIMEZONE,
	TE_R_DATE_ONLY_NEEDS_DURATION,
	TE_R_MALFORMED_UUID,
	TE_R_MALFORMED_DATE,
	TE_R_MALFORMED_TIME,
	TE_R_NON_UTC_OFFSET,
	TE_R_LOCAL_TIME_GAP,
	TE_R_DATE_RANGE,
	TE_R_END_BEFORE_START,
	TE_R_DURATION_RANGE,
	TE_R_NOTE_TOO_LONG,
	TE_R_NOT_FOUND,
	TE_R_ARCHIVED,
	TE_R_DEACTIVATED_USER,
	TE_R_INVALID_OPERATION,
	TE_R_FUTURE_OR_PAST,
	TE_R_ALREADY_RUNNING,
	TE_R_OVERLAP,
	TE_R__COUNT
} TeRuleId;

typedef struct TeRule
{
	const char *code;			/* the API's error code, e.g. "not-found" */
	int			sqlstate;		/* MAKE_SQLSTATE value */
	const char *description;	/* a sentence describing the kind */
} TeRule;

extern const TeRule te_rules[TE_R__COUNT];

typedef struct TeProblem
{
	TeRuleId	rule;
	const char *property;		/* camelCase property (or argument) name */
	char	   *message;		/* primary message, PostgreSQL style */
	char	   *detail;			/* a sentence, or NULL */
	char	   *hint;			/* a sentence, or NULL */
} TeProblem;

typedef enum TeMode
{
	TE_MODE_RAISE,				/* ereport the first problem (create_entry) */
	TE_MODE_FIRST,				/* stop at the first, return it (try_create) */
	TE_MODE_ALL					/* collect every problem (validate_entry) */
} TeMode;

typedef struct TeProblems
{
	TeMode		mode;
	bool		arguments;		/* the typed face: messages say "argument"
								 * where they say "property" */
	int			count;
	int			capacity;
	TeProblem  *items;
} TeProblems;

extern void te_problems_init(TeProblems *p, TeMode mode);
extern void te_problems_add(TeProblems *p, const TeProblem *problem);
extern void te_problem(TeProblems *p, TeRuleId rule, const char *property,
					   const char *detail, const char *hint,
					   const char *fmt,...) pg_attribute_printf(6, 7);
extern bool te_stop(const TeProblems *p);
extern void te_raise(const TeProblem *problem) pg_attribute_noreturn();
extern Jsonb *te_problems_to_jsonb(const TeProblems *p);

/* ---- the request (request.c) ---- */

typedef enum TeGroup
{
	TE_GROUP_UTC = 0,
	TE_GROUP_LOCAL = 1
} TeGroup;

/* A date property: a calendar day, maybe with a time of day. */
typedef struct TeDateField
{
	bool		present;
	const char *property;		/* its name, for messages */
	DateADT		date;
	bool		has_time;		/* a time of day was written with it */
	int64		time;			/* microseconds since midnight */
	bool		after_midnight; /* that time is not exactly 00:00:00, even
								 * by a 7th fraction digit dropped from time */
} TeDateField;

/* A time property: a time of day. */
typedef struct TeTimeField
{
	bool		present;
	const char *property;
	int64		time;			/* microseconds since midnight */
} TeTimeField;

/*
 * A parsed request.  Each optional field has a presence flag; a JSON null
 * counts as absent.  Property names are kept with the fields so that the
 * typed face can report its argument names instead.
 */
typedef struct TeRequest
{
	bool		has_user_id;
	bool		has_type_of_work_id;
	bool		has_project_id;
	bool		has_task_id;
	bool		has_timezone;
	bool		has_is_billable;
	bool		has_is_billed;
	bool		has_note;
	bool		has_duration;

	pg_uuid_t	user_id;
	pg_uuid_t	type_of_work_id;
	pg_uuid_t	project_id;
	pg_uuid_t	task_id;
	pg_tz	   *tz;				/* resolved time zone */
	const char *timezone;		/* its canonical name */
	bool		is_billable;
	bool		is_billed;
	text	   *note;
	int32		duration;

	/* which time group was used; both arrays indexed by TeGroup */
	bool		group_used[2];
	TeDateField start_date[2];
	TeTimeField start_time[2];
	TeDateField end_date[2];
	TeTimeField end_time[2];

	/* property names, for messages (the typed face renames them) */
	const char *p_user_id;
	const char *p_type_of_work_id;
	const char *p_project_id;
	const char *p_task_id;
	const char *p_timezone;
	const char *p_is_billable;
	const char *p_is_billed;
	const char *p_note;
	const char *p_duration;
} TeRequest;

extern void te_request_init(TeRequest *req);
extern void te_parse_request(Jsonb *entry, TeRequest *req, TeProblems *p);
extern bool te_lookup_timezone(const char *name, int len, pg_tz **tz,
							   const char **canonical);
extern bool te_parse_date(const char *s, int len, bool utc, TeDateField *f,
						  TeRuleId *err);
extern bool te_parse_time(const char *s, int len, int64 *time);
extern char *te_quote_value(const char *s, int len);
extern void te_take_timezone(TeRequest *req, const char *name, int len,
							 TeProblems *p);
extern void te_take_note(TeRequest *req, const char *s, int len,
						 TeProblems *p);
extern void te_take_duration(TeRequest *req, int32 value, TeProblems *p);
extern void te_report_date_range(TeProblems *p, const char *property,
								 const char *value, int len);

/* ---- time derivation (timecalc.c) ---- */

typedef enum TeKind
{
	TE_KIND_TIMED,				/* start and end */
	TE_KIND_RUNNING,			/* start, no end yet */
	TE_KIND_DATE_ONLY			/* a calendar day and a duration */
} TeKind;

typedef struct TeTimes
{
	TeKind		kind;
	DateADT		date_local;		/* the calendar day in the time zone */
	TimestampTz start_at;		/* not for date-only */
	TimestampTz end_at;			/* timed only */
	int32		duration;		/* seconds */
} TeTimes;

extern bool te_derive_times(const TeRequest *req, TimestampTz now,
							TeTimes *t, TeProblems *p);
extern bool te_local_to_utc(DateADT date, int64 time, pg_tz *tz,
							TimestampTz *result);
extern DateADT te_local_date(TimestampTz t, pg_tz *tz, int64 *time_of_day);
extern DateADT te_utc_date(TimestampTz t, int64 *time_of_day);
#define TE_DATE_MAXLEN 16		/* YYYY-MM-DD, or a longer year */
extern char *te_write_digits(char *buf, int n, int width);
extern char *te_write_date(char *buf, DateADT d);
extern char *te_format_date(DateADT d);

/* ---- rules, store, response (rules.c, store.c, response.c) ---- */

/*
 * What the rules looked up in one query (rules.c), reused by the response.
 * Strings are copied into the caller's memory context.
 */
typedef struct TeContext
{
	bool		has_actor;
	pg_uuid_t	actor;
	bool		actor_found;
	bool		actor_is_deactivated;
	bool		actor_is_admin;

	bool		user_found;
	bool		user_is_deactivated;
	text	   *user_first_name;
	text	   *user_last_name;

	bool		type_found;
	text	   *type_name;
	text	   *type_icon;
	bool		type_is_archived;

	bool		task_found;
	text	   *task_name;
	bool		task_has_project;
	pg_uuid_t	task_project_id;

	bool		has_project;	/* given, or derived from a project task */
	pg_uuid_t	project_id;
	bool		project_found;
	text	   *project_name;
	bool		project_billable_by_default;
	bool		project_is_closed;

	/* permissions of the actor (SPEC 6.4) */
	bool		ws_track_write; /* workspace role: project-timetracking write */
	bool		project_track_write;	/* ... or through membership of the
										 * entry's project */
	bool		task_assignee;
	bool		ws_planning;	/* workspace role: any project-planning-data */
	bool		task_project_planning;	/* ... or through membership of the
										 * task's project */

	/* the settings row (SPEC 1.1) */
	bool		has_max_duration;
	int32		max_duration;
	bool		prevent_on_closed_projects;
	bool		prevent_in_future;
	bool		has_allow_on_past_days;
	int32		allow_on_past_days;
	bool		prevent_overlaps;

	bool		is_billable;	/* after defaults */
	bool		is_billed;
} TeContext;

typedef struct TeStored
{
	pg_uuid_t	id;
	pg_uuid_t	created_by;
	TimestampTz created_on;
	pg_uuid_t	updated_by;
	TimestampTz updated_on;
	int64		resource_version;
} TeStored;

/* The rows one statement has looked up (lookup.c). */
typedef struct TeLookupCache TeLookupCache;

extern TeLookupCache *te_lookup_cache_create(MemoryContext parent);
extern void te_lookup_context(const TeRequest *req, bool has_actor,
							  const pg_uuid_t *actor, TeContext *cx,
							  TeLookupCache *cache);
extern void te_check_actor(const TeContext *cx, TeProblems *p);
extern void te_check_rules(const TeRequest *req, const TeTimes *t,
						   TeContext *cx, TimestampTz now, TeProblems *p);
extern bool te_has_running_entry(const pg_uuid_t *user_id);
/* The users whose lock one statement holds (rules.c). */
typedef struct TeUserLocks TeUserLocks;

extern TeUserLocks *te_user_locks_create(MemoryContext parent);
extern void te_lock_users(Datum *ids, int n, bool may_need, TeUserLocks *memo);
extern bool te_find_overlap(const pg_uuid_t *user_id, TimestampTz start,
							TimestampTz end, pg_uuid_t *other);
/* time_entries open for inserting, kept across one statement (store.c) */
typedef struct TeInserter TeInserter;

extern TeInserter *te_inserter_create(MemoryContext cxt);
extern bool te_store(const TeRequest *req, const TeTimes *t,
					 const TeContext *cx, TeInserter *ins, TeStored *out);
extern void te_jsonb_key(JsonbParseState **st, const char *k);
extern void te_jsonb_string(JsonbParseState **st, const char *k, const char *s);
extern Jsonb *te_build_response(const TeRequest *req, const TeTimes *t,
								const TeContext *cx, const TeStored *st);

/* ---- the core every face runs (core.c) ---- */

/* What one run of the create path produced. */
typedef struct TeOutcome
{
	TeProblems	problems;		/* empty when the entry was accepted */
	bool		stored;			/* a row was inserted */
	TeStored	row;
	TeTimes		times;
	TeContext	cx;
} TeOutcome;

/*
 * What a face keeps across its calls in one statement: a call site's
 * fn_extra, or one import_entries call.  A face called once passes NULL.
 */
typedef struct TeStatement
{
	TeLookupCache *lookups;		/* or NULL */
	TeInserter *inserter;		/* or NULL */
	TeUserLocks *locks;			/* or NULL */
} TeStatement;

extern void te_run(TeRequest *req, TeProblems *parse_problems,
				   bool has_actor, const pg_uuid_t *actor, TeMode mode,
				   bool insert, TeStatement *stmt, TeOutcome *out);
extern bool te_resolve_actor(bool has_arg, const pg_uuid_t *arg,
							 pg_uuid_t *actor);

/* ---- misc ---- */

struct _SPI_plan;
extern struct _SPI_plan *te_keep_plan(const char *sql, int nargs, Oid *argtypes);
extern int	te_execute(struct _SPI_plan *plan, Datum *values, const char *nulls,
					   bool read_only, bool latest, uint64 tcount);

extern int64 te_ticks_from_timestamp(TimestampTz t);
extern void te_uuid7(pg_uuid_t *uuid);

#endif							/* TIME_ENTRY_H */
