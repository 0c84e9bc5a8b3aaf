/*
 * time_entry.c
 *		Module entry: the time_entry.actor setting and small shared helpers.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "time_entry.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* The value of time_entry.actor: empty, or the text form of a uuid. */
char	   *te_actor_setting = NULL;

/* time_entry.partitioned: read by CREATE EXTENSION (the install script). */
static bool te_partitioned = false;

/* The value of time_entry.write_path (see store.c). */
int			te_write_path = TE_WRITE_AUTO;

static const struct config_enum_entry write_path_options[] = {
	{"auto", TE_WRITE_AUTO, false},
	{"executor", TE_WRITE_EXECUTOR, false},
	{NULL, 0, false}
};

/* The actor of the call in progress (see TeActorScope). */
static TeActorScope current_call = {false};

/*
 * The actor named by the setting time_entry.actor, if it names one.  The
 * value is checked here, when it is used, and not when it is set: before
 * the library is loaded into a backend PostgreSQL keeps any value of a
 * custom setting without asking us, so a check at SET time would refuse a
 * malformed value in one backend and let it through (dropped with a
 * WARNING when the library loads) in another.  Checked at use, a
 * malformed value always ends in this error, whatever the backend did
 * before.
 */
bool
te_actor_from_setting(pg_uuid_t *actor)
{
	const char *v = te_actor_setting;

	if (v == NULL || v[0] == '\0')
		return false;
	if (!te_parse_uuid(v, strlen(v), actor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for parameter \"time_entry.actor\": \"%s\"", v),
				 errdetail("The actor must be a user id in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx."),
				 errhint("Set it to the id of the user on whose behalf entries are written, or to the empty string for none."),
				 err_generic_string(PG_DIAG_COLUMN_NAME, "actor"),
				 err_generic_string(PG_DIAG_SCHEMA_NAME, TE_SCHEMA),
				 err_generic_string(PG_DIAG_TABLE_NAME, TE_TABLE)));
	return true;
}

/* Make actor the actor of the call now starting; *saved is the one before. */
void
te_actor_enter(const pg_uuid_t *actor, TeActorScope *saved)
{
	*saved = current_call;
	current_call.set = true;
	current_call.actor = *actor;
}

/* The call ends: the actor before it is the current one again. */
void
te_actor_leave(const TeActorScope *saved)
{
	current_call = *saved;
}

/*
 * The actor of a write: the innermost call's, else the setting's (for
 * plain SQL).
 */
bool
te_current_actor(pg_uuid_t *actor)
{
	if (current_call.set)
	{
		*actor = current_call.actor;
		return true;
	}
	return te_actor_from_setting(actor);
}

/*
 * .NET ticks (100 ns units since 0001-01-01T00:00:00Z) of a timestamp:
 * Unix microseconds * 10 + 621355968000000000.
 */
int64
te_ticks_from_timestamp(TimestampTz t)
{
	int64		unix_us = t + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

	return unix_us * 10 + INT64CONST(621355968000000000);
}

void
_PG_init(void)
{
	DefineCustomStringVariable("time_entry.actor",
							   "The user on whose behalf time entries are written.",
							   "The text form of a user id; the actor argument of the create functions takes precedence.",
							   &te_actor_setting,
							   "",
							   PGC_USERSET,
							   0,
							   NULL,
							   NULL,
							   NULL);
	DefineCustomEnumVariable("time_entry.write_path",
							 "How the functions insert and lock rows of time_entries.",
							 "auto inserts and locks directly when the table has the shape the extension created, else through the executor; executor always goes through the executor (slower, the same rows and locks).",
							 &te_write_path,
							 TE_WRITE_AUTO,
							 write_path_options,
							 PGC_USERSET,
							 0,
							 NULL,
							 NULL,
							 NULL);
	DefineCustomBoolVariable("time_entry.partitioned",
							 "Whether CREATE EXTENSION time_entry makes time_entries partitioned by date_local.",
							 "Read only when the extension is created; see the README, \"Partitioning\".",
							 &te_partitioned,
							 false,
							 PGC_USERSET,
							 0,
							 NULL,
							 NULL,
							 NULL);
	MarkGUCPrefixReserved("time_entry");
}
