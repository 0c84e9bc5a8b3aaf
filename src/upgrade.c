/*
 * upgrade.c
 *		What an upgrade script needs that SQL cannot say.
 *
 * A function that gains an argument (the typed create_entry gains id in
 * 0.3.0) is dropped and created again, and loses the EXECUTE grants its
 * owner made on it.  The upgrade script makes them again -- but a GRANT run
 * by an extension script counts as one of the extension's own initial
 * privileges (pg_init_privs), which pg_dump leaves out: the grant would be
 * lost by the next dump and restore.  So the grants are made again here,
 * as the owner's own, outside the script's recording.
 */
#include "postgres.h"

#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "time_entry.h"

PG_FUNCTION_INFO_V1(te_upgrade_regrant);

/*
 * SELECT time_entry.upgrade_regrant(new regprocedure, old_acl aclitem[]);
 *
 * Grant EXECUTE on function new to every role the old ACL granted it to
 * (but its owner), with the grant option where it had it, as a GRANT made
 * after the update would.  Only while ALTER EXTENSION runs.
 */
Datum
te_upgrade_regrant(PG_FUNCTION_ARGS)
{
	Oid			proc = PG_GETARG_OID(0);
	Acl		   *acl = PG_ARGISNULL(1) ? NULL : DatumGetAclP(PG_GETARG_DATUM(1));
	AclItem    *items;
	bool		saved = creating_extension;
	int			rc;

	if (!creating_extension)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function \"%s\" runs only in the extension's upgrade script",
						"time_entry.upgrade_regrant")));
	if (acl == NULL)
		PG_RETURN_VOID();
	if ((rc = SPI_connect()) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	/* core's ARR_DATA_OFFSET mixes signed and unsigned (-Wsign-compare) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
	items = ACL_DAT(acl);
#pragma GCC diagnostic pop
	PG_TRY();
	{
		creating_extension = false;
		for (int i = 0; i < ACL_NUM(acl); i++)
		{
			AclItem    *item = &items[i];
			AclMode		privs = ACLITEM_GET_PRIVS(*item);
			AclMode		goptions = ACLITEM_GET_GOPTIONS(*item);
			const char *grantee;
			char	   *sql;

			if (!(privs & ACL_EXECUTE) || item->ai_grantee == item->ai_grantor)
				continue;
			grantee = item->ai_grantee == ACL_ID_PUBLIC ? "PUBLIC"
				: quote_identifier(GetUserNameFromId(item->ai_grantee, false));
			sql = psprintf("GRANT EXECUTE ON FUNCTION %s TO %s%s",
						   format_procedure_qualified(proc), grantee,
						   (goptions & ACL_EXECUTE) ? " WITH GRANT OPTION" : "");
			if ((rc = SPI_execute(sql, false, 0)) != SPI_OK_UTILITY)
				elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
		}
	}
	PG_FINALLY();
	{
		creating_extension = saved;
	}
	PG_END_TRY();
	if ((rc = SPI_finish()) != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
	PG_RETURN_VOID();
}
