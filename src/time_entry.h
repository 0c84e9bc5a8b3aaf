/*
 * time_entry.h
 *		Shared declarations of the time_entry extension.
 *
 * Every operation reads as a pipeline, one file a stage:
 *
 *	request.c	jsonb or typed arguments -> TeRequest (every property with
 *				its presence); a patch (update_entry) is the same request
 *				with merge-patch semantics
 *	timecalc.c	TeRequest (and, for a patch, the stored row) -> TeTimes
 *				(UTC/local, DST, end/duration)
 *	lookup.c	the directory rows the rules need, from the primary-key
 *				indexes -> TeContext
 *	rules.c		references, permissions, workspace settings, who may
 *				read/change/delete an entry -> problems
 *	conflicts.c	the user's lock, one running entry, overlaps
 *	store.c		the row written through PostgreSQL's own insert, update
 *				and delete (direct.c: the fast insert for the table shape
 *				the extension created)
 *	row.c		a row of time_entries <-> TeRow
 *	response.c	TeRow -> the camelCase jsonb response
 *	create.c	the create path every create face runs (SPEC 6, 9.6)
 *	lifecycle.c	read, update, timers, delete (SPEC 9)
 *	faces.c		the SQL-callable functions, thin layers over the above
 *
 * Shared by all: problems.c (the table of rules and how each face reports
 * them), format.c (text forms of values), jsonout.c (building jsonb),
 * time_entry.c (module set-up, the actor), audit.c (the trigger), uuid7.c.
 */
#ifndef TIME_ENTRY_H
#define TIME_ENTRY_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "datatype/timestamp.h"
#include "executor/tuptable.h"
#include "pgtime.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"
#include "utils/uuid.h"

#define TE_SCHEMA		"time_entry"
/* what to do when the installed schema is older than this library */
#define TE_OLD_SCHEMA_HINT \
	"If an earlier release of the extension is installed in this database, run ALTER EXTENSION time_entry UPDATE."
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

static inline bool
te_uuid_eq(const pg_uuid_t *a, const pg_uuid_t *b)
{
	return memcmp(a, b, sizeof(pg_uuid_t)) == 0;
}

/* ---- module settings and the actor (time_entry.c) ---- */

extern char *te_actor_setting;

/* time_entry.write_path: how rows get into time_entries (see store.c). */
typedef enum TeWritePath
{
	TE_WRITE_AUTO,				/* direct where the table's shape allows */
	TE_WRITE_EXECUTOR			/* always through the executor */
} TeWritePath;

extern int	te_write_path;

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
extern bool te_resolve_actor(bool has_arg, const pg_uuid_t *arg,
							 pg_uuid_t *actor);
extern int64 te_ticks_from_timestamp(TimestampTz t);

/* ---- text forms of values (format.c) and building jsonb (jsonout.c) ---- */

#define TE_DATE_MAXLEN 16		/* YYYY-MM-DD, or a longer year */
#define TE_TIME_MAXLEN 16		/* HH:MM:SS.fffffff */

extern bool te_parse_uuid(const char *s, size_t len, pg_uuid_t *out);
extern char *te_uuid_text(const pg_uuid_t *id);
extern char *te_write_digits(char *buf, int n, int width);
extern char *te_write_date(char *buf, DateADT d);
extern char *te_write_time(char *buf, int64 t);
extern char *te_format_date(DateADT d);
extern char *te_quote_value(const char *s, int len);

extern void te_json_key(JsonbParseState **st, const char *k);
extern void te_json_stringn(JsonbParseState **st, const char *k,
							const char *s, int len);
extern void te_json_string(JsonbParseState **st, const char *k, const char *s);
extern void te_json_null(JsonbParseState **st, const char *k);
extern void te_json_text(JsonbParseState **st, const char *k, const text *t);
extern void te_json_bool(JsonbParseState **st, const char *k, bool b);
extern void te_json_int(JsonbParseState **st, const char *k, int64 n);
extern void te_json_uuid(JsonbParseState **st, const char *k, bool present,
						 const pg_uuid_t *id);

/* ---- the rules and how they are reported (problems.c) ---- */

/*
 * Every problem the extension reports.  te_rules[] in problems.c gives each
 * its code and SQLSTATE; the order here is the order of SPEC 7.1, then 9.
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
	/* SPEC 9 */
	TE_R_CANNOT_CLEAR,
	TE_R_NOT_FOR_TIMER,
	TE_R_ENTRY_NOT_FOUND,
	TE_R_VERSION_CONFLICT,
	TE_R_RUNNING_CHANGE,
	TE_R_ID_CONFLICT,
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
extern bool te_reported(const TeProblems *p, const char *property);
extern void te_raise(const TeProblem *problem) pg_attribute_noreturn();
extern Jsonb *te_problems_to_jsonb(const TeProblems *p);

/* ---- the request (request.c) ---- */

typedef enum TeGroup
{
	TE_GROUP_UTC = 0,
	TE_GROUP_LOCAL = 1
} TeGroup;

/* The request properties (SPEC 3, and id of 9.6), in the order checked. */
typedef enum TeProp
{
	TE_P_TIMEZONE,
	TE_P_TYPE_OF_WORK_ID,
	TE_P_USER_ID,
	TE_P_IS_BILLABLE,
	TE_P_IS_BILLED,
	TE_P_TASK_ID,
	TE_P_PROJECT_ID,
	TE_P_NOTE,
	TE_P_START_DATE_UTC,
	TE_P_START_TIME_UTC,
	TE_P_END_DATE_UTC,
	TE_P_END_TIME_UTC,
	TE_P_START_DATE_LOCAL,
	TE_P_START_TIME_LOCAL,
	TE_P_END_DATE_LOCAL,
	TE_P_END_TIME_LOCAL,
	TE_P_DURATION,
	TE_P_BREAK_DURATION,
	TE_P_ID,
	TE_P__COUNT
} TeProp;

#define TE_PROP_BIT(p)	(UINT64CONST(1) << (p))

/* How a request is read. */
typedef enum TeRequestKind
{
	TE_REQ_CREATE,				/* create faces: null = absent */
	TE_REQ_TIMER,				/* start_timer: no end, no duration */
	TE_REQ_PATCH				/* update_entry: a JSON Merge Patch */
} TeRequestKind;

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
 * A parsed request.  Each optional field has a presence flag; in a create
 * request a JSON null counts as absent.  sent and nulled record, per
 * TeProp bit, which properties the JSON named with a value and with null
 * (what a patch needs).  Property names are kept with the fields so that
 * the typed face can report its argument names instead.
 */
typedef struct TeRequest
{
	TeRequestKind kind;
	uint64		sent;			/* named with a value (valid or not) */
	uint64		nulled;			/* named with null */

	bool		has_id;
	bool		has_user_id;
	bool		has_type_of_work_id;
	bool		has_project_id;
	bool		has_task_id;
	bool		has_timezone;
	bool		has_is_billable;
	bool		has_is_billed;
	bool		has_note;
	bool		has_duration;

	pg_uuid_t	id;				/* the request id (SPEC 9.6) */
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
	const char *p_id;
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

extern void te_request_init(TeRequest *req, TeRequestKind kind);
extern void te_parse_request(Jsonb *entry, TeRequest *req, TeProblems *p);
extern const char *te_prop_name(TeProp prop);
extern bool te_lookup_timezone(const char *name, int len, pg_tz **tz,
							   const char **canonical);
extern bool te_parse_date(const char *s, int len, bool utc, TeDateField *f,
						  TeRuleId *err);
extern bool te_parse_time(const char *s, int len, int64 *time);
extern void te_take_timezone(TeRequest *req, const char *name, int len,
							 TeProblems *p);
extern void te_take_note(TeRequest *req, const char *s, int len,
						 TeProblems *p);
extern void te_take_duration(TeRequest *req, int32 value, TeProblems *p);
extern void te_report_date_range(TeProblems *p, const char *property,
								 const char *value, int len);
extern void te_report_not_object(TeProblems *p, const char *property,
								 const char *given);

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
	int32		duration;		/* seconds, net of breaks */
	const char *start_prop;		/* the property that set the start */
	const char *length_prop;	/* ... and the length (end or duration) */
} TeTimes;

struct TeRow;

extern bool te_derive_times(const TeRequest *req, TimestampTz now,
							TeTimes *t, TeProblems *p);
extern bool te_derive_patch_times(const TeRequest *req,
								  const struct TeRow *stored, TimestampTz now,
								  TeTimes *t, TeProblems *p);
extern bool te_local_to_utc(DateADT date, int64 time, pg_tz *tz,
							TimestampTz *result);
extern DateADT te_local_date(TimestampTz t, pg_tz *tz, int64 *time_of_day);
extern DateADT te_utc_date(TimestampTz t, int64 *time_of_day);
extern char *te_format_instant(TimestampTz t, pg_tz *tz);
extern void te_report_running_future(TeProblems *p, const char *property,
									 TimestampTz start);

/* ---- a row of time_entries (row.c) ---- */

/*
 * The columns the extension reads and writes, by name.  The written ones
 * come first after id: an INSERT's column list is TE_C_USER_ID to
 * TE_C_WORKSPACE_ID, an UPDATE's SET list stops before TE_C_WORKSPACE_ID
 * (an entry never leaves its workspace).
 */
typedef enum TeColumn
{
	TE_C_ID,
	TE_C_USER_ID,
	TE_C_TYPE_OF_WORK_ID,
	TE_C_PROJECT_ID,
	TE_C_TASK_ID,
	TE_C_NOTE,
	TE_C_TIMEZONE,
	TE_C_DATE_LOCAL,
	TE_C_START_AT,
	TE_C_END_AT,
	TE_C_DURATION,
	TE_C_IS_BILLABLE,
	TE_C_IS_BILLED,
	TE_C_WORKSPACE_ID,
	TE_C_BREAK_DURATION,
	TE_C_IS_EXTERNAL,
	TE_C_CREATED_BY,
	TE_C_CREATED_ON,
	TE_C_UPDATED_BY,
	TE_C_UPDATED_ON,
	TE_C_RESOURCE_VERSION,
	TE_C__COUNT
} TeColumn;

#define TE_C_LAST_WRITTEN	TE_C_WORKSPACE_ID
#define TE_C_LAST_UPDATED	TE_C_IS_BILLED
#define TE_NWRITTEN	(TE_C_LAST_WRITTEN - TE_C_USER_ID + 1)
#define TE_NUPDATED	(TE_C_LAST_UPDATED - TE_C_USER_ID + 1)

/* A row of time_entries as stored (what RETURNING * shows of it). */
typedef struct TeRow
{
	pg_uuid_t	id;
	bool		has_user_id;	/* NULL once the user was deleted */
	pg_uuid_t	user_id;
	pg_uuid_t	type_of_work_id;
	bool		has_project_id;
	pg_uuid_t	project_id;
	bool		has_task_id;
	pg_uuid_t	task_id;
	text	   *note;			/* or NULL */
	char	   *timezone;
	DateADT		date_local;
	bool		has_start;
	TimestampTz start_at;
	bool		has_end;
	TimestampTz end_at;
	int32		duration;
	int32		break_duration;
	bool		is_billable;
	bool		is_billed;
	pg_uuid_t	workspace_id;
	bool		is_external;
	pg_uuid_t	created_by;
	TimestampTz created_on;
	pg_uuid_t	updated_by;
	TimestampTz updated_on;
	int64		resource_version;
} TeRow;

extern const char *te_column_name(TeColumn c);
extern Oid	te_column_type(TeColumn c);
extern void te_column_map(TupleDesc desc, AttrNumber *map);
extern void te_row_from_slot(TupleTableSlot *slot, TeRow *row);
extern void te_row_from_tuple(HeapTuple tuple, TupleDesc desc, TeRow *row);
extern TeKind te_row_kind(const TeRow *row);
extern void te_row_values(const TeRow *row, Datum *values, char *nulls);

/* ---- what the rules know (lookup.c) ---- */

/*
 * The objects an entry references, for the rules and the response's nested
 * objects.  Strings are copied into the caller's memory context.
 */
typedef struct TeRefs
{
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

	bool		project_found;
	text	   *project_name;
	bool		project_billable_by_default;
	bool		project_is_closed;
} TeRefs;

/* The workspace settings (SPEC 1.1). */
typedef struct TeSettings
{
	bool		has_max_duration;
	int32		max_duration;
	bool		prevent_on_closed_projects;
	bool		prevent_in_future;
	bool		has_allow_on_past_days;
	int32		allow_on_past_days;
	bool		prevent_overlaps;
} TeSettings;

/* An actor's access to project-timetracking (SPEC 6.4, 9.1). */
typedef struct TeTracking
{
	bool		any;			/* read, write or delete */
	bool		write;
	bool		delete;
} TeTracking;

/*
 * Everything the rules looked up about one request: the actor, the
 * references, the actor's permissions where a rule asks for them, and the
 * settings.
 */
typedef struct TeContext
{
	bool		has_actor;
	pg_uuid_t	actor;
	bool		actor_found;	/* a user: then the call has a workspace */
	pg_uuid_t	workspace;		/* the actor's (SPEC 10) */
	bool		actor_is_deactivated;
	bool		actor_is_admin;
	bool		actor_has_role;
	pg_uuid_t	actor_role;

	TeRefs		refs;
	bool		has_project;	/* given, or derived from a project task */
	pg_uuid_t	project_id;

	/* permissions of the actor (SPEC 6.4) */
	bool		ws_track_write; /* workspace role: project-timetracking write */
	bool		project_track_write;	/* ... or through membership of the
										 * entry's project */
	bool		task_assignee;
	bool		ws_planning;	/* workspace role: any project-planning-data */
	bool		task_project_planning;	/* ... or through membership of the
										 * task's project */

	TeSettings	settings;

	bool		is_billable;	/* after defaults */
	bool		is_billed;
} TeContext;

/* The rows one statement has looked up (lookup.c). */
typedef struct TeLookupCache TeLookupCache;

extern TeLookupCache *te_lookup_cache_create(MemoryContext parent);
extern TeLookupCache *te_lookup_begin(TeLookupCache *cache);
extern TeLookupCache *te_lookup_begin_call(TeLookupCache *cache);
extern void te_lookup_actor(bool has_actor, const pg_uuid_t *actor,
							TeContext *cx, TeLookupCache *cache);
extern void te_lookup_request(const TeRequest *req, TeContext *cx,
							  TeLookupCache *cache);
extern void te_lookup_refs(const TeRow *row, TeRefs *refs,
						   TeLookupCache *cache);
extern void te_lookup_tracking(const TeContext *cx, bool has_project,
							   const pg_uuid_t *project_id, TeTracking *out,
							   TeLookupCache *cache);
extern bool te_lock_user_directly(const pg_uuid_t *user, bool *locked);
extern bool te_user_in_workspace(const TeContext *cx, const pg_uuid_t *user,
								 TeLookupCache *cache);
extern bool te_lookups_changed(void);

/* ---- the rules (rules.c) ---- */

extern void te_check_actor(const TeContext *cx, TeProblems *p);
extern void te_check_references(const TeRequest *req, const TeContext *cx,
								uint64 which, TeProblems *p);
extern bool te_references_agree(const TeRequest *req, const TeContext *cx);
extern void te_check_permissions(const TeRequest *req, const TeContext *cx,
								 TeProblems *p);
extern void te_check_settings(const TeRequest *req, const TeTimes *t,
							  const TeContext *cx, TimestampTz now,
							  bool max_duration, bool days, bool closed,
							  TeProblems *p);
extern void te_apply_defaults(const TeRequest *req, TeContext *cx,
							  TeProblems *p);
extern void te_default_billing(const TeRequest *req, TeContext *cx);
extern void te_check_billed_billable(const TeRequest *req, const TeContext *cx,
									 TeProblems *p);

typedef enum TeAccess
{
	TE_ACCESS_READ,
	TE_ACCESS_CHANGE,
	TE_ACCESS_DELETE
} TeAccess;

extern bool te_may(TeAccess what, const TeContext *cx, const TeRow *row,
				   TeLookupCache *cache);
extern void te_check_stored_entry(const TeContext *cx, const TeRow *row,
								  const TeRefs *refs, TimestampTz now,
								  TeProblems *p);
extern void te_check_billing(const TeContext *cx, const TeRow *stored,
							 const TeRow *next, const TeRequest *patch,
							 const char *length_prop, TeProblems *p);

/* ---- conflicts with the user's other entries (conflicts.c) ---- */

/* The users whose lock one statement holds. */
typedef struct TeUserLocks TeUserLocks;

extern TeUserLocks *te_user_locks_create(MemoryContext parent);
extern void te_lock_users(Datum *ids, int n, bool may_need, TeUserLocks *memo);
extern void te_lock_user(const pg_uuid_t *user_id, TeUserLocks *memo);
extern bool te_find_running(const pg_uuid_t *user_id, const pg_uuid_t *except,
							pg_uuid_t *found);
extern bool te_find_overlap(const pg_uuid_t *user_id, TimestampTz start,
							TimestampTz end, const pg_uuid_t *except,
							pg_uuid_t *other);

/* ---- writing rows (store.c, direct.c) ---- */

/* time_entries open for inserting, kept across one statement. */
typedef struct TeInserter TeInserter;

typedef enum TeInsertResult
{
	TE_INSERTED,
	TE_CONFLICT_RUNNING,		/* the user has a running entry already */
	TE_CONFLICT_ID				/* an entry has the request's id already */
} TeInsertResult;

struct ReturnSetInfo;
extern TeInserter *te_inserter_create(MemoryContext cxt,
									  struct ReturnSetInfo *rsinfo);
extern void te_inserter_close(TeInserter *ins);
extern bool te_inserter_direct(TeInserter *ins);
extern TeInsertResult te_insert(const TeRow *values, bool has_id,
								const pg_uuid_t *actor, TeInserter *ins,
								TeRow *stored, HeapTuple *tuple);
extern void te_update(const TeRow *values, const pg_uuid_t *actor,
					  TeRow *stored);
extern void te_delete(const pg_uuid_t *id, const pg_uuid_t *ws, TeRow *stored);
extern bool te_direct_lock_allowed(Relation rel);
extern bool te_peek_entry(const pg_uuid_t *id, TeRow *row);
extern bool te_read_entry(const pg_uuid_t *id, const pg_uuid_t *ws, bool lock,
						  bool latest, TeRow *row, HeapTuple *tuple);
extern bool te_read_running(const pg_uuid_t *user_id, TeRow *row);

/*
 * The rows of one import_entries call on the executor path, as one INSERT
 * statement (te_insert_all): next fills the next row to insert (false when
 * there is none left), done is told each stored row, in order.
 */
typedef bool (*TeNextRow) (void *arg, TeRow *values, bool *has_id);
typedef void (*TeStoredRow) (void *arg, int k, const TeRow *stored);

extern void te_insert_all(TeNextRow next, TeStoredRow done, void *arg,
						  const pg_uuid_t *actor);
extern const char *te_insert_path(void);
extern void te_lock_request_id(const pg_uuid_t *id);

struct _SPI_plan;
extern struct _SPI_plan *te_keep_plan(const char *sql, int nargs,
									  Oid *argtypes);
extern int	te_execute(struct _SPI_plan *plan, Datum *values,
					   const char *nulls, bool read_only, bool latest,
					   uint64 tcount);
extern int	te_execute_probe(struct _SPI_plan *plan, Datum *values,
							 const char *nulls, bool read_only, bool latest,
							 uint64 tcount);
extern int	te_probe_begin(void);
extern void te_probe_end(int nest);

/* The direct insert and update (direct.c): see store.c for when. */
typedef struct TeDirect TeDirect;

extern TeDirect *te_direct_open(Oid relid, MemoryContext cxt, CmdType op);
extern void te_direct_insert(TeDirect *d, const TeRow *values, bool has_id,
							 TeRow *stored, HeapTuple *tuple);
extern int	te_direct_update(TeDirect *d, ItemPointer tid, const TeRow *values,
							 TeRow *stored);
extern void te_direct_close(TeDirect *d);

/* ---- the response (response.c) ---- */

extern Jsonb *te_build_response(const TeRow *row, const TeRefs *refs);

/* ---- the create path (create.c) ---- */

/* What a run of the create path does once the entry is approved. */
typedef enum TeWrite
{
	TE_WRITE_NONE,				/* nothing (validate_entry) */
	TE_WRITE_INSERT,			/* insert it */
	TE_WRITE_DEFER				/* give back the row to insert (the import
								 * statement of te_insert_all inserts it) */
} TeWrite;

/* What one run of the create path produced. */
typedef struct TeOutcome
{
	TeProblems	problems;		/* empty when the entry was accepted */
	bool		stored;			/* a row is there: inserted, or the entry
								 * a retry of the request id names */
	bool		retry;			/* ... the latter */
	bool		approved;		/* TE_WRITE_DEFER: values is to be inserted */
	TeRow		values;			/* the written columns of the new row */
	TeRow		row;			/* the row as stored */
	HeapTuple	tuple;			/* ... as a tuple of time_entries, when asked */
	TeRefs		refs;			/* the row's references, for the response */
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

extern void te_run_create(TeRequest *req, TeProblems *parse_problems,
						  bool has_actor, const pg_uuid_t *actor, TeMode mode,
						  TeWrite write, bool want_tuple, TeStatement *stmt,
						  TeOutcome *out);
extern void te_run_json(Jsonb *entry, TeRequestKind kind, bool has_actor_arg,
						const pg_uuid_t *actor_arg, TeMode mode, TeWrite write,
						TeStatement *stmt, TeRequest *req, TeOutcome *out);
extern void te_check_snapshot_current(void);
extern void te_refs_for_row(const TeRow *row, const TeRequest *req,
							const TeContext *cx, TeRefs *refs,
							TeLookupCache *cache);
extern bool te_same_request(const TeRow *stored, const TeRow *values,
							bool timer_now);

/* ---- the life of an entry (lifecycle.c) ---- */

extern Jsonb *te_get_entry(const pg_uuid_t *id, bool has_actor_arg,
						   const pg_uuid_t *actor_arg);
extern Jsonb *te_update_entry(const pg_uuid_t *id, Jsonb *changes,
							  bool has_actor_arg, const pg_uuid_t *actor_arg,
							  bool has_expected, int64 expected);
extern Jsonb *te_delete_entry(const pg_uuid_t *id, bool has_actor_arg,
							  const pg_uuid_t *actor_arg, bool has_expected,
							  int64 expected);
extern Jsonb *te_stop_timer(const pg_uuid_t *user_id, bool has_actor_arg,
							const pg_uuid_t *actor_arg, bool has_end,
							TimestampTz end_at);
typedef void (*TeListSink) (void *arg, Jsonb *response);
extern void te_list_entries(bool has_actor_arg, const pg_uuid_t *actor_arg,
							const pg_uuid_t *user_id, const pg_uuid_t *project_id,
							const DateADT *from_date, const DateADT *to_date,
							TeListSink sink, void *arg);
extern bool te_timer_starts_now(const TeRequest *req);
extern void te_stop_for_timer(const TeRequest *req, TeTimes *t,
							  TeContext *cx, TeUserLocks *locks,
							  TeLookupCache *cache, TeProblems *p);

/* ---- misc ---- */

extern void te_uuid7(pg_uuid_t *uuid);

#endif							/* TIME_ENTRY_H */
