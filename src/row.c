/*
 * row.c
 *		A row of time_entries as C values (TeRow), read from a tuple by
 *		column name.
 *
 * The columns are found by name in whatever descriptor the tuple comes
 * with: the table's own (a row just inserted, or read), or the result of
 * an INSERT ... RETURNING * (the same row type).  An owner may add columns
 * to the table or drop and re-add ours, so positions are never assumed:
 * the map of the last descriptor seen is kept and checked, name and type,
 * on every use, and built again when it does not fit.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "utils/builtins.h"

#include "time_entry.h"

/* Name and type of each column, in TeColumn order. */
static const struct
{
	const char *name;
	Oid			type;
}			columns[TE_C__COUNT] = {
	[TE_C_ID] = {"id", UUIDOID},
	[TE_C_USER_ID] = {"user_id", UUIDOID},
	[TE_C_TYPE_OF_WORK_ID] = {"type_of_work_id", UUIDOID},
	[TE_C_PROJECT_ID] = {"project_id", UUIDOID},
	[TE_C_TASK_ID] = {"task_id", UUIDOID},
	[TE_C_NOTE] = {"note", TEXTOID},
	[TE_C_TIMEZONE] = {"timezone", TEXTOID},
	[TE_C_DATE_LOCAL] = {"date_local", DATEOID},
	[TE_C_START_AT] = {"start_at", TIMESTAMPTZOID},
	[TE_C_END_AT] = {"end_at", TIMESTAMPTZOID},
	[TE_C_DURATION] = {"duration", INT4OID},
	[TE_C_BREAK_DURATION] = {"break_duration", INT4OID},
	[TE_C_IS_BILLABLE] = {"is_billable", BOOLOID},
	[TE_C_IS_BILLED] = {"is_billed", BOOLOID},
	[TE_C_WORKSPACE_ID] = {"workspace_id", UUIDOID},
	[TE_C_IS_EXTERNAL] = {"is_external", BOOLOID},
	[TE_C_CREATED_BY] = {"created_by", UUIDOID},
	[TE_C_CREATED_ON] = {"created_on", TIMESTAMPTZOID},
	[TE_C_UPDATED_BY] = {"updated_by", UUIDOID},
	[TE_C_UPDATED_ON] = {"updated_on", TIMESTAMPTZOID},
	[TE_C_RESOURCE_VERSION] = {"resource_version", INT8OID},
};

const char *
te_column_name(TeColumn c)
{
	return columns[c].name;
}

Oid
te_column_type(TeColumn c)
{
	return columns[c].type;
}

/* The map of the last descriptor seen (see the file comment). */
static AttrNumber last_map[TE_C__COUNT];
static bool last_map_valid = false;

/* Does map fit desc: each column's name and type where the map says? */
static bool
map_fits(const AttrNumber *map, TupleDesc desc)
{
	for (int c = 0; c < TE_C__COUNT; c++)
	{
		Form_pg_attribute att;

		if (map[c] < 1 || map[c] > desc->natts)
			return false;
		att = TupleDescAttr(desc, map[c] - 1);
		if (att->attisdropped || att->atttypid != columns[c].type ||
			strcmp(NameStr(att->attname), columns[c].name) != 0)
			return false;
	}
	return true;
}

/*
 * Fill map (TE_C__COUNT attribute numbers) for desc.  A column that is
 * missing or of another type is refused: the extension cannot work on
 * such a table.
 */
void
te_column_map(TupleDesc desc, AttrNumber *map)
{
	if (last_map_valid && map_fits(last_map, desc))
	{
		memcpy(map, last_map, sizeof(last_map));
		return;
	}
	for (int c = 0; c < TE_C__COUNT; c++)
	{
		AttrNumber	found = InvalidAttrNumber;

		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped &&
				strcmp(NameStr(att->attname), columns[c].name) == 0)
			{
				found = i + 1;
				break;
			}
		}
		if (found == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" of relation \"%s.%s\" does not exist",
							columns[c].name, TE_SCHEMA, TE_TABLE),
					 errdetail("The time_entry functions read and write every column the extension created."),
					 errhint("%s", TE_OLD_SCHEMA_HINT)));
		if (TupleDescAttr(desc, found - 1)->atttypid != columns[c].type)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" of relation \"%s.%s\" must be of type %s",
							columns[c].name, TE_SCHEMA, TE_TABLE,
							format_type_be(columns[c].type))));
		map[c] = found;
	}
	memcpy(last_map, map, sizeof(last_map));
	last_map_valid = true;
}

/* A uuid column into *out; false when NULL. */
static bool
get_uuid(Datum *values, bool *nulls, AttrNumber att, pg_uuid_t *out)
{
	if (nulls[att - 1])
		return false;
	*out = *DatumGetUUIDP(values[att - 1]);
	return true;
}

/*
 * The row in slot as a TeRow.  Variable-length values (note, timezone) are
 * copied into the current memory context, so that the row outlives the
 * slot.
 */
void
te_row_from_slot(TupleTableSlot *slot, TeRow *row)
{
	AttrNumber	map[TE_C__COUNT];
	Datum	   *v;
	bool	   *n;

	te_column_map(slot->tts_tupleDescriptor, map);
	slot_getallattrs(slot);
	v = slot->tts_values;
	n = slot->tts_isnull;

	memset(row, 0, sizeof(TeRow));
	(void) get_uuid(v, n, map[TE_C_ID], &row->id);
	row->has_user_id = get_uuid(v, n, map[TE_C_USER_ID], &row->user_id);
	(void) get_uuid(v, n, map[TE_C_TYPE_OF_WORK_ID], &row->type_of_work_id);
	row->has_project_id = get_uuid(v, n, map[TE_C_PROJECT_ID], &row->project_id);
	row->has_task_id = get_uuid(v, n, map[TE_C_TASK_ID], &row->task_id);
	if (!n[map[TE_C_NOTE] - 1])
		row->note = DatumGetTextPCopy(v[map[TE_C_NOTE] - 1]);
	if (!n[map[TE_C_TIMEZONE] - 1])
		row->timezone = TextDatumGetCString(v[map[TE_C_TIMEZONE] - 1]);
	if (!n[map[TE_C_DATE_LOCAL] - 1])
		row->date_local = DatumGetDateADT(v[map[TE_C_DATE_LOCAL] - 1]);
	if ((row->has_start = !n[map[TE_C_START_AT] - 1]))
		row->start_at = DatumGetTimestampTz(v[map[TE_C_START_AT] - 1]);
	if ((row->has_end = !n[map[TE_C_END_AT] - 1]))
		row->end_at = DatumGetTimestampTz(v[map[TE_C_END_AT] - 1]);
	if (!n[map[TE_C_DURATION] - 1])
		row->duration = DatumGetInt32(v[map[TE_C_DURATION] - 1]);
	if (!n[map[TE_C_BREAK_DURATION] - 1])
		row->break_duration = DatumGetInt32(v[map[TE_C_BREAK_DURATION] - 1]);
	row->is_billable = !n[map[TE_C_IS_BILLABLE] - 1] &&
		DatumGetBool(v[map[TE_C_IS_BILLABLE] - 1]);
	row->is_billed = !n[map[TE_C_IS_BILLED] - 1] &&
		DatumGetBool(v[map[TE_C_IS_BILLED] - 1]);
	(void) get_uuid(v, n, map[TE_C_WORKSPACE_ID], &row->workspace_id);
	row->is_external = !n[map[TE_C_IS_EXTERNAL] - 1] &&
		DatumGetBool(v[map[TE_C_IS_EXTERNAL] - 1]);
	(void) get_uuid(v, n, map[TE_C_CREATED_BY], &row->created_by);
	if (!n[map[TE_C_CREATED_ON] - 1])
		row->created_on = DatumGetTimestampTz(v[map[TE_C_CREATED_ON] - 1]);
	(void) get_uuid(v, n, map[TE_C_UPDATED_BY], &row->updated_by);
	if (!n[map[TE_C_UPDATED_ON] - 1])
		row->updated_on = DatumGetTimestampTz(v[map[TE_C_UPDATED_ON] - 1]);
	if (!n[map[TE_C_RESOURCE_VERSION] - 1])
		row->resource_version = DatumGetInt64(v[map[TE_C_RESOURCE_VERSION] - 1]);
}

/* The same for a heap tuple with its descriptor (an SPI result row). */
void
te_row_from_tuple(HeapTuple tuple, TupleDesc desc, TeRow *row)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);

	ExecStoreHeapTuple(tuple, slot, false);
	te_row_from_slot(slot, row);
	ExecDropSingleTupleTableSlot(slot);
}

/* What kind of entry a row is (SPEC 1.2): by which times it has. */
TeKind
te_row_kind(const TeRow *row)
{
	if (!row->has_start)
		return TE_KIND_DATE_ONLY;
	return row->has_end ? TE_KIND_TIMED : TE_KIND_RUNNING;
}

/*
 * The values of the TE_NWRITTEN columns an insert sets, as Datums and
 * nulls (' ' or 'n', as SPI takes them), in TeColumn order from
 * TE_C_USER_ID (an update takes the first TE_NUPDATED of them); the
 * strings are made in the current memory context.
 */
void
te_row_values(const TeRow *row, Datum *values, char *nulls)
{
#define SET(c, has, d)	\
	(values[(c) - TE_C_USER_ID] = (has) ? (d) : (Datum) 0, \
	 nulls[(c) - TE_C_USER_ID] = (has) ? ' ' : 'n')
	SET(TE_C_USER_ID, row->has_user_id, UUIDPGetDatum((pg_uuid_t *) &row->user_id));
	SET(TE_C_TYPE_OF_WORK_ID, true, UUIDPGetDatum((pg_uuid_t *) &row->type_of_work_id));
	SET(TE_C_PROJECT_ID, row->has_project_id, UUIDPGetDatum((pg_uuid_t *) &row->project_id));
	SET(TE_C_TASK_ID, row->has_task_id, UUIDPGetDatum((pg_uuid_t *) &row->task_id));
	SET(TE_C_NOTE, row->note != NULL, PointerGetDatum(row->note));
	SET(TE_C_TIMEZONE, true, CStringGetTextDatum(row->timezone));
	SET(TE_C_DATE_LOCAL, true, DateADTGetDatum(row->date_local));
	SET(TE_C_START_AT, row->has_start, TimestampTzGetDatum(row->start_at));
	SET(TE_C_END_AT, row->has_end, TimestampTzGetDatum(row->end_at));
	SET(TE_C_DURATION, true, Int32GetDatum(row->duration));
	SET(TE_C_IS_BILLABLE, true, BoolGetDatum(row->is_billable));
	SET(TE_C_IS_BILLED, true, BoolGetDatum(row->is_billed));
	SET(TE_C_WORKSPACE_ID, true, UUIDPGetDatum((pg_uuid_t *) &row->workspace_id));
#undef SET
}
