/*
 * cprobe.c -- a stand-in for time_entry's C access pattern, for the Citus experiments.
 *
 * tw_c_probe(workspace_id uuid, user_id uuid, write boolean) RETURNS text
 *
 * Does what time_entry's lookup.c and store.c do, twice:
 *   1. by name, as time_entry does: get_relname_relid("users") and its "users_pkey" in schema tw,
 *      an index probe (workspace_id, id) with the active snapshot; with write, a direct
 *      table_tuple_insert into tw.c_notes (no SQL, no executor);
 *   2. through the shard relation of the row's workspace: the shard id comes from Citus'
 *      get_shard_id_for_distribution_column() (through SPI), then users_<shardid>,
 *      users_pkey_<shardid> and c_notes_<shardid> are opened by name.
 * Returns the port of the node it ran on and what each probe found.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "postmaster/postmaster.h"
#include "storage/bufmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

PG_MODULE_MAGIC;

static void
probe(StringInfo out, const char *rel, const char *idx, pg_uuid_t *ws, pg_uuid_t *id)
{
	Oid			nsp = get_namespace_oid("tw", false);
	Oid			relid = get_relname_relid(rel, nsp);
	Oid			idxid = get_relname_relid(idx, nsp);
	Relation	heap,
				index;
	ScanKeyData key[2];
	IndexScanDesc scan;
	TupleTableSlot *slot;
	int			n = 0;

	if (!OidIsValid(relid) || !OidIsValid(idxid))
	{
		appendStringInfo(out, "%s/%s: not found", rel, idx);
		return;
	}
	heap = table_open(relid, AccessShareLock);
	index = index_open(idxid, AccessShareLock);
	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_UUID_EQ, UUIDPGetDatum(ws));
	ScanKeyInit(&key[1], 2, BTEqualStrategyNumber, F_UUID_EQ, UUIDPGetDatum(id));
	scan = index_beginscan(heap, index, GetActiveSnapshot(), 2, 0);
	index_rescan(scan, key, 2, NULL, 0);
	slot = table_slot_create(heap, NULL);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
		n++;
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	appendStringInfo(out, "%s (%u blocks) via %s: %d row(s)", rel,
					 RelationGetNumberOfBlocks(heap), idx, n);
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
}

static void
insert_note(StringInfo out, const char *rel, pg_uuid_t *ws, pg_uuid_t *id)
{
	Oid			relid = get_relname_relid(rel, get_namespace_oid("tw", false));
	Relation	heap;
	TupleTableSlot *slot;

	if (!OidIsValid(relid))
	{
		appendStringInfo(out, "; insert into %s: not found", rel);
		return;
	}
	heap = table_open(relid, RowExclusiveLock);
	slot = table_slot_create(heap, NULL);
	ExecClearTuple(slot);
	slot->tts_values[0] = UUIDPGetDatum(ws);
	slot->tts_isnull[0] = false;
	slot->tts_values[1] = UUIDPGetDatum(id);
	slot->tts_isnull[1] = false;
	slot->tts_values[2] = CStringGetTextDatum(rel);
	slot->tts_isnull[2] = false;
	ExecStoreVirtualTuple(slot);
	table_tuple_insert(heap, slot, GetCurrentCommandId(true), 0, NULL);
	ExecDropSingleTupleTableSlot(slot);
	table_close(heap, RowExclusiveLock);
	appendStringInfo(out, "; inserted into %s", rel);
}

PG_FUNCTION_INFO_V1(tw_c_probe);
Datum
tw_c_probe(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *ws = PG_GETARG_UUID_P(0);
	pg_uuid_t  *id = PG_GETARG_UUID_P(1);
	bool		write = PG_GETARG_BOOL(2);
	StringInfoData out;
	Datum		arg[1];
	Oid			argtype[1] = {UUIDOID};
	int64		shardid = -1;
	bool		isnull = true;

	initStringInfo(&out);
	appendStringInfo(&out, "port %d, user %s | by name: ", PostPortNumber, GetUserNameFromId(GetUserId(), false));
	probe(&out, "users", "users_pkey", ws, id);
	if (write)
		insert_note(&out, "c_notes", ws, id);

	/* the shard of this workspace, from Citus' metadata */
	SPI_connect();
	arg[0] = UUIDPGetDatum(ws);
	if (SPI_execute_with_args("SELECT get_shard_id_for_distribution_column('tw.users', $1)",
							  1, argtype, arg, NULL, true, 1) == SPI_OK_SELECT && SPI_processed == 1)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			shardid = DatumGetInt64(d);
	}
	SPI_finish();
	if (shardid < 0)
		appendStringInfoString(&out, " | no shard id");
	else
	{
		char	   *rel = psprintf("users_" INT64_FORMAT, shardid);
		char	   *idx = psprintf("users_pkey_" INT64_FORMAT, shardid);
		int64		notes_shard = -1;

		appendStringInfoString(&out, " | by shard: ");
		probe(&out, rel, idx, ws, id);
		if (write)
		{
			/* c_notes is co-located with users: the same shard index, its own shard id */
			SPI_connect();
			if (SPI_execute_with_args("SELECT get_shard_id_for_distribution_column('tw.c_notes', $1)",
									  1, argtype, arg, NULL, true, 1) == SPI_OK_SELECT && SPI_processed == 1)
				notes_shard = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
			SPI_finish();
			insert_note(&out, psprintf("c_notes_" INT64_FORMAT, notes_shard), ws, id);
		}
	}
	PG_RETURN_TEXT_P(cstring_to_text(out.data));
}
