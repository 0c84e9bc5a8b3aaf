/*
 * audit.c
 *		The audit trigger of time_entries.
 *
 *	CREATE TRIGGER time_entries_audit BEFORE INSERT OR UPDATE ON time_entries
 *		FOR EACH ROW EXECUTE FUNCTION time_entry.audit_trigger();
 *
 * On INSERT it sets created_by/updated_by to the actor, created_on/updated_on
 * to the transaction's timestamp and resource_version to the clock in .NET
 * ticks.  On UPDATE it refuses a change of id, workspace_id, created_by or
 * created_on and sets updated_by, updated_on and a resource_version
 * strictly greater than the old one.  A write without an actor is refused (28000).
 *
 * Restoring a dump: pg_dump writes the rows with every audit column filled
 * and no actor set.  An INSERT with no actor whose audit columns are all
 * given, made by the table's owner or a superuser (nobody else may write the
 * table), keeps the given values.  With an actor set, SPEC 8 holds as for
 * any write: the actor and the clock replace what was given.
 *
 * Deleting a user: the foreign key sets user_id of the user's entries to
 * NULL.  That UPDATE, which changes nothing but user_id to NULL, is allowed
 * without an actor (the directory is synchronised by the host application,
 * not by a user); it keeps updated_by and moves updated_on and
 * resource_version on.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "time_entry.h"
#include "version.h"

PG_FUNCTION_INFO_V1(te_audit_trigger);

enum
{
	COL_ID,
	COL_WORKSPACE_ID,
	COL_CREATED_BY,
	COL_CREATED_ON,
	COL_UPDATED_BY,
	COL_UPDATED_ON,
	COL_RESOURCE_VERSION,
	NUM_AUDIT_COLS
};

static const char *const audit_col_names[NUM_AUDIT_COLS] = {
	"id", "workspace_id", "created_by", "created_on", "updated_by",
	"updated_on", "resource_version"
};

static const Oid audit_col_types[NUM_AUDIT_COLS] = {
	UUIDOID, UUIDOID, UUIDOID, TIMESTAMPTZOID, UUIDOID, TIMESTAMPTZOID, INT8OID
};

/*
 * Column numbers, cached for the last relation seen.  They are checked
 * against the tuple descriptor on every use (name and type), so a changed
 * table is simply looked up again.  workspace_id is optional (0 when
 * absent): the trigger serves any table with the other audit columns.
 */
static Oid	cached_relid = InvalidOid;
static int	cached_attnum[NUM_AUDIT_COLS];

/* Find (or confirm) the audit columns of rel; errors if one is missing. */
static void
audit_columns(Relation rel, int *attnum)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		valid = (cached_relid == RelationGetRelid(rel));

	for (int i = 0; valid && i < NUM_AUDIT_COLS; i++)
	{
		Form_pg_attribute att;

		if (i == COL_WORKSPACE_ID && cached_attnum[i] == 0)
		{
			valid = SPI_fnumber(desc, audit_col_names[i]) <= 0;
			continue;
		}
		if (cached_attnum[i] > desc->natts)
		{
			valid = false;
			break;
		}
		att = TupleDescAttr(desc, cached_attnum[i] - 1);
		valid = !att->attisdropped &&
			att->atttypid == audit_col_types[i] &&
			strcmp(NameStr(att->attname), audit_col_names[i]) == 0;
	}

	if (!valid)
	{
		for (int i = 0; i < NUM_AUDIT_COLS; i++)
		{
			int			n = SPI_fnumber(desc, audit_col_names[i]);

			if (n <= 0 && i == COL_WORKSPACE_ID)
			{
				cached_attnum[i] = 0;
				continue;
			}
			if (n <= 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_COLUMN),
						 errmsg("relation \"%s\" has no column \"%s\"",
								RelationGetRelationName(rel),
								audit_col_names[i])));
			if (TupleDescAttr(desc, n - 1)->atttypid != audit_col_types[i])
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("column \"%s\" of relation \"%s\" must be of type %s",
								audit_col_names[i],
								RelationGetRelationName(rel),
								format_type_be(audit_col_types[i]))));
			cached_attnum[i] = n;
		}
		cached_relid = RelationGetRelid(rel);
	}
	memcpy(attnum, cached_attnum, sizeof(cached_attnum));
}

static void
refuse_no_actor(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
			 errmsg("cannot write a time entry without an actor"),
			 errdetail("Neither the actor argument nor the setting \"time_entry.actor\" names a user."),
			 errhint("Pass the actor, or run SET LOCAL time_entry.actor = '<user id>' first."),
			 err_generic_string(PG_DIAG_COLUMN_NAME, "actor"),
			 err_generic_string(PG_DIAG_CONSTRAINT_NAME, "unauthorized"),
			 err_generic_string(PG_DIAG_SCHEMA_NAME, TE_SCHEMA),
			 err_generic_string(PG_DIAG_TABLE_NAME, TE_TABLE)));
}

/* Is this an INSERT of a restored row (see the file comment)? */
static bool
is_restored_row(Relation rel, HeapTuple tuple, const int *attnum)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = COL_CREATED_BY; i < NUM_AUDIT_COLS; i++)
	{
		if (heap_attisnull(tuple, attnum[i], desc))
			return false;
	}
	return superuser() || te_owns_relation(RelationGetRelid(rel), GetUserId());
}

/*
 * Is this UPDATE the foreign key's ON DELETE SET NULL of user_id: user_id
 * goes to NULL and no other column changes?
 */
static bool
is_user_detached(Relation rel, HeapTuple oldtup, HeapTuple newtup)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			user_col = SPI_fnumber(desc, "user_id");

	if (user_col <= 0 || !heap_attisnull(newtup, user_col, desc) ||
		heap_attisnull(oldtup, user_col, desc))
		return false;
	for (int i = 1; i <= desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i - 1);
		bool		oldnull,
					newnull;
		Datum		oldval,
					newval;

		if (i == user_col || att->attisdropped)
			continue;
		oldval = heap_getattr(oldtup, i, desc, &oldnull);
		newval = heap_getattr(newtup, i, desc, &newnull);
		if (oldnull != newnull ||
			(!oldnull && !datumIsEqual(oldval, newval, att->attbyval, att->attlen)))
			return false;
	}
	return true;
}

/* Refuse a change of an immutable column between old and new rows. */
static void
check_unchanged(Relation rel, HeapTuple oldtup, HeapTuple newtup, int col,
				const int *attnum)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Form_pg_attribute att;
	bool		oldnull,
				newnull;
	Datum		oldval,
				newval;

	if (attnum[col] == 0)
		return;					/* an optional column the table has not */
	att = TupleDescAttr(desc, attnum[col] - 1);
	oldval = heap_getattr(oldtup, attnum[col], desc, &oldnull);
	newval = heap_getattr(newtup, attnum[col], desc, &newnull);
	if (oldnull == newnull &&
		(oldnull || datumIsEqual(oldval, newval, att->attbyval, att->attlen)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_GENERATED_ALWAYS),
			 errmsg("cannot change column \"%s\" of a time entry",
					audit_col_names[col]),
			 errdetail("The columns id, workspace_id, created_by and created_on keep the values the entry was created with."),
			 err_generic_string(PG_DIAG_COLUMN_NAME, audit_col_names[col]),
			 err_generic_string(PG_DIAG_SCHEMA_NAME,
								get_namespace_name(RelationGetNamespace(rel))),
			 err_generic_string(PG_DIAG_TABLE_NAME, RelationGetRelationName(rel))));
}

Datum
te_audit_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	HeapTuple	tuple;
	int			attnum[NUM_AUDIT_COLS];
	int			cols[5];
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int			ncols;
	pg_uuid_t  *actor;
	TimestampTz now;
	int64		version;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager",
						"audit_trigger")));
	if (!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired BEFORE ROW",
						"audit_trigger")));
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) &&
		!TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired for INSERT or UPDATE",
						"audit_trigger")));

	rel = trigdata->tg_relation;
	audit_columns(rel, attnum);

	actor = palloc(sizeof(pg_uuid_t));
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		tuple = trigdata->tg_trigtuple;
		if (!te_current_actor(actor))
		{
			if (is_restored_row(rel, tuple, attnum))
				return PointerGetDatum(tuple);
			refuse_no_actor();
		}
	}
	else
	{
		HeapTuple	oldtup = trigdata->tg_trigtuple;

		tuple = trigdata->tg_newtuple;
		check_unchanged(rel, oldtup, tuple, COL_ID, attnum);
		check_unchanged(rel, oldtup, tuple, COL_WORKSPACE_ID, attnum);
		check_unchanged(rel, oldtup, tuple, COL_CREATED_BY, attnum);
		check_unchanged(rel, oldtup, tuple, COL_CREATED_ON, attnum);
		if (!te_current_actor(actor))
		{
			bool		isnull;

			if (!is_user_detached(rel, oldtup, tuple))
				refuse_no_actor();
			/* keep updated_by: no user made this change */
			*actor = *DatumGetUUIDP(heap_getattr(oldtup, attnum[COL_UPDATED_BY],
												 RelationGetDescr(rel), &isnull));
		}
	}

	now = GetCurrentTransactionStartTimestamp();
	version = te_ticks_from_timestamp(GetCurrentTimestamp());

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		bool		isnull;
		Datum		old = heap_getattr(trigdata->tg_trigtuple,
									   attnum[COL_RESOURCE_VERSION],
									   RelationGetDescr(rel), &isnull);

		if (!isnull && !te_next_version(DatumGetInt64(old), version, &version))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("resource_version of the time entry cannot grow past %lld",
							(long long) PG_INT64_MAX),
					 err_generic_string(PG_DIAG_COLUMN_NAME, "resource_version"),
					 err_generic_string(PG_DIAG_SCHEMA_NAME,
										get_namespace_name(RelationGetNamespace(rel))),
					 err_generic_string(PG_DIAG_TABLE_NAME, RelationGetRelationName(rel))));
		ncols = 0;
	}
	else
	{
		cols[0] = attnum[COL_CREATED_BY];
		values[0] = UUIDPGetDatum(actor);
		cols[1] = attnum[COL_CREATED_ON];
		values[1] = TimestampTzGetDatum(now);
		ncols = 2;
	}
	cols[ncols] = attnum[COL_UPDATED_BY];
	values[ncols++] = UUIDPGetDatum(actor);
	cols[ncols] = attnum[COL_UPDATED_ON];
	values[ncols++] = TimestampTzGetDatum(now);
	cols[ncols] = attnum[COL_RESOURCE_VERSION];
	values[ncols++] = Int64GetDatum(version);

	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, RelationGetDescr(rel),
													 ncols, cols, values, nulls));
}
