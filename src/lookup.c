/*
 * lookup.c
 *		What the rules need to know, read straight from the primary-key
 *		indexes of the directory tables.
 *
 * One request needs a handful of rows: the actor and its role, the user,
 * the type of work, the task, the project, memberships, assignees, a few
 * permission rows and the settings row.  Running a query for them costs an
 * executor start-up per call, which dominates a bulk import; probing the
 * indexes directly costs a few microseconds each.  The probes read with
 * the statement's active snapshot, exactly what a query in this statement
 * would see, and nothing is kept across calls except the tables' OIDs and
 * column numbers (dropped on any relcache invalidation of those tables).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "executor/tuptable.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "time_entry.h"

/* The relations probed, each a table and its primary-key index. */
typedef enum
{
	R_USERS,
	R_ROLES,
	R_ROLE_PERMISSIONS,
	R_PROJECTS,
	R_PROJECT_MEMBERS,
	R_PROJECT_ROLE_PERMISSIONS,
	R_TASKS,
	R_TASK_ASSIGNEES,
	R_TYPES_OF_WORK,
	R_SETTINGS,
	R__COUNT
} RelId;

static const char *const rel_names[R__COUNT] = {
	"users", "roles", "role_permissions", "projects", "project_members",
	"project_role_permissions", "tasks", "task_assignees", "types_of_work",
	"settings"
};

/* Columns read, by table; resolved by name. */
typedef enum
{
	C_USERS_FIRST_NAME, C_USERS_LAST_NAME, C_USERS_ROLE_ID, C_USERS_DEACTIVATED,
	C_ROLES_IS_ADMIN,
	C_PROJECTS_NAME, C_PROJECTS_BILLABLE, C_PROJECTS_CLOSED,
	C_MEMBERS_PROJECT_ROLE_ID,
	C_TASKS_NAME, C_TASKS_PROJECT_ID,
	C_TYPES_NAME, C_TYPES_ICON, C_TYPES_ARCHIVED,
	C_SETTINGS_MAX_DURATION, C_SETTINGS_CLOSED, C_SETTINGS_FUTURE,
	C_SETTINGS_PAST_DAYS, C_SETTINGS_OVERLAPS,
	C__COUNT
} ColId;

static const struct
{
	RelId		rel;
	const char *name;
}			col_defs[C__COUNT] = {
	{R_USERS, "first_name"}, {R_USERS, "last_name"}, {R_USERS, "role_id"},
	{R_USERS, "is_deactivated"},
	{R_ROLES, "is_admin"},
	{R_PROJECTS, "name"}, {R_PROJECTS, "is_billable_by_default"},
	{R_PROJECTS, "is_closed"},
	{R_PROJECT_MEMBERS, "project_role_id"},
	{R_TASKS, "name"}, {R_TASKS, "project_id"},
	{R_TYPES_OF_WORK, "name"}, {R_TYPES_OF_WORK, "icon"},
	{R_TYPES_OF_WORK, "is_archived"},
	{R_SETTINGS, "max_duration"}, {R_SETTINGS, "prevent_on_closed_projects"},
	{R_SETTINGS, "prevent_in_future"}, {R_SETTINGS, "allow_on_past_days"},
	{R_SETTINGS, "prevent_overlaps"},
};

static bool cache_valid = false;
static bool callback_registered = false;
static Oid	rel_oid[R__COUNT];
static Oid	index_oid[R__COUNT];
static AttrNumber col_attnum[C__COUNT];

/* Forget everything when one of our tables (or everything) changes. */
static void
invalidate(Datum arg, Oid relid)
{
	if (!cache_valid)
		return;
	if (relid == InvalidOid)
	{
		cache_valid = false;
		return;
	}
	for (int i = 0; i < R__COUNT; i++)
		if (rel_oid[i] == relid || index_oid[i] == relid)
			cache_valid = false;
}

/* Resolve the OIDs of the tables, their primary keys and the columns. */
static void
fill_cache(void)
{
	Oid			nsp = get_namespace_oid(TE_SCHEMA, false);

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(invalidate, (Datum) 0);
		callback_registered = true;
	}
	for (int i = 0; i < R__COUNT; i++)
	{
		char	   *pkey = psprintf("%s_pkey", rel_names[i]);

		rel_oid[i] = get_relname_relid(rel_names[i], nsp);
		if (!OidIsValid(rel_oid[i]))
			elog(ERROR, "relation \"%s.%s\" does not exist", TE_SCHEMA, rel_names[i]);
		index_oid[i] = (i == R_SETTINGS) ? InvalidOid : get_relname_relid(pkey, nsp);
		if (i != R_SETTINGS && !OidIsValid(index_oid[i]))
			elog(ERROR, "index \"%s.%s\" does not exist", TE_SCHEMA, pkey);
		pfree(pkey);
	}
	for (int c = 0; c < C__COUNT; c++)
	{
		col_attnum[c] = get_attnum(rel_oid[col_defs[c].rel], col_defs[c].name);
		if (col_attnum[c] == InvalidAttrNumber)
			elog(ERROR, "column \"%s\" of relation \"%s.%s\" does not exist",
				 col_defs[c].name, TE_SCHEMA, rel_names[col_defs[c].rel]);
	}
	cache_valid = true;
}

/* One index probe: the relations and a slot holding the row found. */
typedef struct Probe
{
	Relation	heap;
	Relation	index;
	TupleTableSlot *slot;
	IndexScanDesc scan;
} Probe;

/*
 * Look up the first row of rel whose leading primary-key columns equal
 * keys[0..nkeys) (uuids, then a text for the feature).  Returns whether
 * one exists; its values are read with get_*() before probe_end().
 */
static bool
probe_begin(Probe *pr, RelId rel, int nkeys, const Datum *keys,
			const bool *is_text)
{
	ScanKeyData sk[3];

	Assert(nkeys <= 3);
	pr->heap = table_open(rel_oid[rel], AccessShareLock);
	pr->index = index_open(index_oid[rel], AccessShareLock);
	pr->slot = table_slot_create(pr->heap, NULL);
	for (int i = 0; i < nkeys; i++)
		ScanKeyEntryInitialize(&sk[i], 0, i + 1, BTEqualStrategyNumber,
							   InvalidOid,
							   is_text && is_text[i] ? DEFAULT_COLLATION_OID : InvalidOid,
							   is_text && is_text[i] ? F_TEXTEQ : F_UUID_EQ,
							   keys[i]);
	pr->scan = index_beginscan(pr->heap, pr->index, GetActiveSnapshot(), nkeys, 0);
	index_rescan(pr->scan, sk, nkeys, NULL, 0);
	return index_getnext_slot(pr->scan, ForwardScanDirection, pr->slot);
}

static void
probe_end(Probe *pr)
{
	index_endscan(pr->scan);
	ExecDropSingleTupleTableSlot(pr->slot);
	index_close(pr->index, NoLock);
	table_close(pr->heap, NoLock);
}

static bool
get_bool(TupleTableSlot *slot, ColId c)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, col_attnum[c], &isnull);

	return !isnull && DatumGetBool(d);
}

static text *
get_text(TupleTableSlot *slot, ColId c)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, col_attnum[c], &isnull);

	return isnull ? NULL : DatumGetTextPCopy(d);
}

static bool
get_uuid(TupleTableSlot *slot, ColId c, pg_uuid_t *out)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, col_attnum[c], &isnull);

	if (isnull)
		return false;
	*out = *DatumGetUUIDP(d);
	return true;
}

static bool
get_int4(TupleTableSlot *slot, ColId c, int32 *out)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, col_attnum[c], &isnull);

	if (isnull)
		return false;
	*out = DatumGetInt32(d);
	return true;
}

/* Does a row with these key values exist? */
static bool
exists(RelId rel, int nkeys, const Datum *keys, const bool *is_text)
{
	Probe		pr;
	bool		found = probe_begin(&pr, rel, nkeys, keys, is_text);

	probe_end(&pr);
	return found;
}

/* Does role_id (of roles or of project_roles) grant feature, at level? */
static bool
grants(RelId rel, const pg_uuid_t *role_id, const char *feature,
	   const char *level)
{
	static const bool is_text[3] = {false, true, true};
	Datum		keys[3];

	keys[0] = UUIDPGetDatum((pg_uuid_t *) role_id);
	keys[1] = CStringGetTextDatum(feature);
	if (level)
		keys[2] = CStringGetTextDatum(level);
	return exists(rel, level ? 3 : 2, keys, is_text);
}

/*
 * The project role of the actor in project, if a member.
 */
static bool
membership(const pg_uuid_t *project, const pg_uuid_t *user, pg_uuid_t *prole)
{
	Probe		pr;
	Datum		keys[2];
	bool		found;

	keys[0] = UUIDPGetDatum((pg_uuid_t *) project);
	keys[1] = UUIDPGetDatum((pg_uuid_t *) user);
	found = probe_begin(&pr, R_PROJECT_MEMBERS, 2, keys, NULL) &&
		get_uuid(pr.slot, C_MEMBERS_PROJECT_ROLE_ID, prole);
	probe_end(&pr);
	return found;
}

/* Read the one settings row into cx. */
static void
read_settings(TeContext *cx)
{
	Relation	rel = table_open(rel_oid[R_SETTINGS], AccessShareLock);
	TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	TupleTableSlot *slot = table_slot_create(rel, NULL);

	if (!table_scan_getnextslot(scan, ForwardScanDirection, slot))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the table \"time_entry.settings\" holds no row"),
				 errdetail("The create rules read the workspace settings from its one row."),
				 errhint("Reinstall the extension, or insert the row with INSERT INTO time_entry.settings DEFAULT VALUES.")));
	cx->has_max_duration = get_int4(slot, C_SETTINGS_MAX_DURATION, &cx->max_duration);
	cx->prevent_on_closed_projects = get_bool(slot, C_SETTINGS_CLOSED);
	cx->prevent_in_future = get_bool(slot, C_SETTINGS_FUTURE);
	cx->has_allow_on_past_days = get_int4(slot, C_SETTINGS_PAST_DAYS, &cx->allow_on_past_days);
	cx->prevent_overlaps = get_bool(slot, C_SETTINGS_OVERLAPS);
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, NoLock);
}

/*
 * Look up everything the rules need.  Ids that are absent (or did not
 * parse) find nothing.  Permissions are looked up only where a rule of
 * SPEC 6.4 can ask for them.
 */
void
te_lookup_context(const TeRequest *req, bool has_actor, const pg_uuid_t *actor,
				  TeContext *cx)
{
	Probe		pr;
	Datum		key;
	bool		actor_has_role = false;
	pg_uuid_t	actor_role;
	pg_uuid_t	prole;

	if (!cache_valid)
		fill_cache();

	memset(cx, 0, sizeof(TeContext));
	cx->has_actor = has_actor;
	if (has_actor)
		cx->actor = *actor;

	read_settings(cx);

	if (has_actor)
	{
		key = UUIDPGetDatum((pg_uuid_t *) actor);
		if ((cx->actor_found = probe_begin(&pr, R_USERS, 1, &key, NULL)))
		{
			cx->actor_is_deactivated = get_bool(pr.slot, C_USERS_DEACTIVATED);
			actor_has_role = get_uuid(pr.slot, C_USERS_ROLE_ID, &actor_role);
		}
		probe_end(&pr);
		if (actor_has_role)
		{
			key = UUIDPGetDatum(&actor_role);
			if (probe_begin(&pr, R_ROLES, 1, &key, NULL))
				cx->actor_is_admin = get_bool(pr.slot, C_ROLES_IS_ADMIN);
			probe_end(&pr);
		}
	}

	if (req->has_user_id)
	{
		key = UUIDPGetDatum((pg_uuid_t *) &req->user_id);
		if ((cx->user_found = probe_begin(&pr, R_USERS, 1, &key, NULL)))
		{
			cx->user_is_deactivated = get_bool(pr.slot, C_USERS_DEACTIVATED);
			cx->user_first_name = get_text(pr.slot, C_USERS_FIRST_NAME);
			cx->user_last_name = get_text(pr.slot, C_USERS_LAST_NAME);
		}
		probe_end(&pr);
	}

	if (req->has_type_of_work_id)
	{
		key = UUIDPGetDatum((pg_uuid_t *) &req->type_of_work_id);
		if ((cx->type_found = probe_begin(&pr, R_TYPES_OF_WORK, 1, &key, NULL)))
		{
			cx->type_name = get_text(pr.slot, C_TYPES_NAME);
			cx->type_icon = get_text(pr.slot, C_TYPES_ICON);
			cx->type_is_archived = get_bool(pr.slot, C_TYPES_ARCHIVED);
		}
		probe_end(&pr);
	}

	if (req->has_task_id)
	{
		key = UUIDPGetDatum((pg_uuid_t *) &req->task_id);
		if ((cx->task_found = probe_begin(&pr, R_TASKS, 1, &key, NULL)))
		{
			cx->task_name = get_text(pr.slot, C_TASKS_NAME);
			cx->task_has_project = get_uuid(pr.slot, C_TASKS_PROJECT_ID,
											&cx->task_project_id);
		}
		probe_end(&pr);
	}

	/* the entry's project: the one given, else a project task's */
	if (req->has_project_id)
	{
		cx->has_project = true;
		cx->project_id = req->project_id;
	}
	else if (cx->task_found && cx->task_has_project)
	{
		cx->has_project = true;
		cx->project_id = cx->task_project_id;
	}
	if (cx->has_project)
	{
		key = UUIDPGetDatum(&cx->project_id);
		if ((cx->project_found = probe_begin(&pr, R_PROJECTS, 1, &key, NULL)))
		{
			cx->project_name = get_text(pr.slot, C_PROJECTS_NAME);
			cx->project_billable_by_default = get_bool(pr.slot, C_PROJECTS_BILLABLE);
			cx->project_is_closed = get_bool(pr.slot, C_PROJECTS_CLOSED);
		}
		probe_end(&pr);
	}

	/* permissions (SPEC 6.4): only those a rule can ask for */
	if (!cx->actor_found || cx->actor_is_admin)
		return;
	if (!req->has_user_id ||
		memcmp(&cx->actor, &req->user_id, sizeof(pg_uuid_t)) != 0)
	{
		cx->ws_track_write = actor_has_role &&
			grants(R_ROLE_PERMISSIONS, &actor_role, "project-timetracking", "write");
		if (!cx->ws_track_write && cx->has_project &&
			membership(&cx->project_id, &cx->actor, &prole))
			cx->project_track_write =
				grants(R_PROJECT_ROLE_PERMISSIONS, &prole, "project-timetracking", "write");
	}
	if (req->has_task_id && cx->task_found)
	{
		Datum		keys[2];

		keys[0] = UUIDPGetDatum((pg_uuid_t *) &req->task_id);
		keys[1] = UUIDPGetDatum(&cx->actor);
		cx->task_assignee = exists(R_TASK_ASSIGNEES, 2, keys, NULL);
		if (!cx->task_assignee && cx->task_has_project)
		{
			cx->ws_planning = actor_has_role &&
				grants(R_ROLE_PERMISSIONS, &actor_role, "project-planning-data", NULL);
			if (!cx->ws_planning &&
				membership(&cx->task_project_id, &cx->actor, &prole))
				cx->task_project_planning =
					grants(R_PROJECT_ROLE_PERMISSIONS, &prole, "project-planning-data", NULL);
		}
	}
}
