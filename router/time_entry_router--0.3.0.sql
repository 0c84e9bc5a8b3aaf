\echo Use "CREATE EXTENSION time_entry_router" to load this file. \quit

/*
 * time_entry_router: the router of a time_entry deployment spread over
 * several shard databases (README "Scaling out").
 *
 * Workspaces are the unit of placement: all rows of a workspace live in one
 * shard database, which runs time_entry and time_entry_shard.  The router
 * database holds no entries; it knows
 *
 *   shards      the shard databases (a name and a libpq connection string);
 *   partitions  8 logical partitions, each mapped onto one shard.  They are
 *               PL/Proxy's cluster partitions (the count must be a power
 *               of 2); several partitions may share a shard, so shards can
 *               be added up to 8 without re-placing workspaces;
 *   placements  the partition of a workspace.  A workspace without a row
 *               is on its default partition, a hash of its id.
 *
 * The faces are time_entry's, with the workspace as first argument.  Each
 * sends one call over PL/Proxy (cluster time_entry_shards, a foreign server
 * of the plproxy wrapper that this extension keeps in step with the tables
 * above) to the shard holding the workspace, where time_entry_shard runs
 * it in one transaction and returns a failure as data; the face re-raises
 * it with every field (raise_error, in C), so a caller reads the SPEC's
 * SQLSTATE, code (CONSTRAINT_NAME) and property (COLUMN_NAME) as on a
 * single database, and the router keeps its connection to the shard.
 *
 * Atomicity: a call is one transaction on one shard.  Two calls, even in
 * one transaction of the router and even on the same shard, are two
 * separate shard transactions: a rollback on the router takes nothing back
 * on the shards.  A failure to reach the shard is raised as
 * shard-unavailable (08006 or the connection's own 08/57P0x SQLSTATE): the
 * call may or may not have taken effect, and a retry with the same request
 * "id" (SPEC 9.6), or with expected_version, is safe.
 *
 * move_workspace copies a workspace to another shard, switches its
 * placement and lets the old shard release it.
 *
 * The faces run as the extension's owner (SECURITY DEFINER, pinned
 * search_path): PL/Proxy then connects with the user mapping of the owner
 * (or PUBLIC) for server time_entry_shards.  Nothing is granted to PUBLIC.
 */

-- Placement -------------------------------------------------------------------

CREATE FUNCTION partition_count()
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT 8';
COMMENT ON FUNCTION partition_count() IS
'the number of logical partitions (PL/Proxy cluster partitions; a power of 2)';

CREATE TABLE shards (
	name		text PRIMARY KEY,
	connstr		text NOT NULL
);
COMMENT ON TABLE shards IS 'the shard databases: each runs time_entry and time_entry_shard';
COMMENT ON COLUMN shards.connstr IS
'libpq connection string of the shard, without user and password (those come from the user mapping of server time_entry_shards)';

CREATE TABLE partitions (
	partition	integer PRIMARY KEY
		CONSTRAINT partitions_partition_check CHECK (partition >= 0 AND partition < 8),
	shard		text NOT NULL
		CONSTRAINT partitions_shard_fkey REFERENCES shards ON UPDATE CASCADE
);
COMMENT ON TABLE partitions IS
'the 8 logical partitions, each on one shard; PL/Proxy partition N connects to the shard of partition N';

CREATE TABLE placements (
	workspace_id uuid PRIMARY KEY,
	partition	integer NOT NULL
		CONSTRAINT placements_partition_fkey REFERENCES partitions,
	placed_on	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX placements_partition_idx ON placements (partition);
COMMENT ON TABLE placements IS
'the partition of each placed workspace; a workspace without a row is on default_partition(id)';
COMMENT ON COLUMN placements.placed_on IS 'when the workspace was placed, or last moved';
COMMENT ON INDEX placements_partition_idx IS 'the workspaces of a partition; backs the foreign key';

SELECT pg_catalog.pg_extension_config_dump('shards', '');
SELECT pg_catalog.pg_extension_config_dump('partitions', '');
SELECT pg_catalog.pg_extension_config_dump('placements', '');

CREATE FUNCTION default_partition(workspace_id uuid)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT pg_catalog.hashtext(workspace_id::text) & 7 $$;
COMMENT ON FUNCTION default_partition(uuid) IS
'the partition of a workspace that has no placement: hashtext of its id, modulo the 8 partitions';

/*
 * What PL/Proxy's RUN ON calls for every call of a face: kept to one index
 * probe, inlinable (LANGUAGE sql, no SET), so that routing costs next to
 * nothing.
 */
CREATE FUNCTION partition_of(workspace_id uuid)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT coalesce(
	(SELECT p.partition FROM time_entry_router.placements p WHERE p.workspace_id = $1),
	time_entry_router.default_partition($1))
$$;
COMMENT ON FUNCTION partition_of(uuid) IS 'the partition a workspace''s calls go to: its placement, else its default partition';

CREATE FUNCTION shard_of(workspace_id uuid)
RETURNS text
LANGUAGE sql STABLE
AS $$
SELECT p.shard FROM time_entry_router.partitions p
 WHERE p.partition = time_entry_router.partition_of($1)
$$;
COMMENT ON FUNCTION shard_of(uuid) IS 'the name of the shard a workspace''s calls go to';

/*
 * Keeps the foreign server time_entry_shards (the PL/Proxy cluster) in
 * step with shards and partitions: option pN is the connection string of
 * partition N's shard.  PL/Proxy refuses a cluster whose partition count is
 * not a power of 2, so the server is created once all 8 partitions are
 * mapped (until then there is nothing to route to), and a partition is
 * never unmapped (partitions_keep).  A change of the server makes every
 * router backend reconnect to the shards (PL/Proxy watches the server's
 * options).  The server is not a member of the extension: pg_dump keeps it
 * with its user mappings, and restoring the tables' rows syncs it again.
 */
CREATE FUNCTION sync_cluster()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	exists_now	boolean;
	options		text;
BEGIN
	IF (SELECT count(*) FROM time_entry_router.partitions) < time_entry_router.partition_count() THEN
		RETURN NULL;
	END IF;
	SELECT true INTO exists_now FROM pg_foreign_server WHERE srvname = 'time_entry_shards';
	SELECT string_agg(format('%s p%s %L', CASE WHEN exists_now THEN 'SET' ELSE '' END,
							 p.partition, s.connstr), ', ' ORDER BY p.partition)
	  INTO options
	  FROM time_entry_router.partitions p
	  JOIN time_entry_router.shards s ON s.name = p.shard;
	IF exists_now THEN
		EXECUTE 'ALTER SERVER time_entry_shards OPTIONS (' || options || ')';
	ELSE
		/* connections are recycled every 30 minutes: a shard's backends do not live forever */
		EXECUTE 'CREATE SERVER time_entry_shards FOREIGN DATA WRAPPER plproxy OPTIONS ('
				|| 'connection_lifetime ''1800'', ' || options || ')';
		RAISE NOTICE 'created server time_entry_shards: create its user mapping, e.g. CREATE USER MAPPING FOR PUBLIC SERVER time_entry_shards OPTIONS (user ''...'', password ''...'')';
	END IF;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION sync_cluster() IS
'keeps the PL/Proxy cluster (server time_entry_shards) in step with tables shards and partitions';

CREATE TRIGGER shards_sync_cluster
	AFTER INSERT OR UPDATE ON shards
	FOR EACH STATEMENT EXECUTE FUNCTION sync_cluster();
COMMENT ON TRIGGER shards_sync_cluster ON shards IS 'a new connection string reaches the PL/Proxy cluster';
CREATE TRIGGER partitions_sync_cluster
	AFTER INSERT OR UPDATE ON partitions
	FOR EACH STATEMENT EXECUTE FUNCTION sync_cluster();
COMMENT ON TRIGGER partitions_sync_cluster ON partitions IS 'a new mapping reaches the PL/Proxy cluster';

/* PL/Proxy needs all 8 partitions: a partition is remapped, never unmapped. */
CREATE FUNCTION partitions_keep()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION 'a partition cannot be unmapped'
		USING ERRCODE = 'object_not_in_prerequisite_state',
			  DETAIL = 'The PL/Proxy cluster has all 8 partitions, each on a shard.',
			  HINT = 'Map the partition to another shard with time_entry_router.map_partition.';
END
$$;
COMMENT ON FUNCTION partitions_keep() IS 'refuses to unmap a partition';
CREATE TRIGGER partitions_keep
	BEFORE DELETE ON partitions
	FOR EACH ROW EXECUTE FUNCTION partitions_keep();
COMMENT ON TRIGGER partitions_keep ON partitions IS 'a partition is remapped, never unmapped';
CREATE TRIGGER partitions_keep_truncate
	BEFORE TRUNCATE ON partitions
	FOR EACH STATEMENT EXECUTE FUNCTION partitions_keep();
COMMENT ON TRIGGER partitions_keep_truncate ON partitions IS 'a partition is remapped, never unmapped';

CREATE FUNCTION add_shard(name text, connstr text)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
INSERT INTO time_entry_router.shards (name, connstr) VALUES ($1, $2)
$$;
COMMENT ON FUNCTION add_shard(text, text) IS
'registers a shard database: a name and a libpq connection string without user or password';

CREATE FUNCTION alter_shard(name text, connstr text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE time_entry_router.shards s SET connstr = alter_shard.connstr WHERE s.name = alter_shard.name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'shard "%" does not exist', alter_shard.name
			USING ERRCODE = 'undefined_object', HINT = 'Add it with time_entry_router.add_shard.';
	END IF;
END
$$;
COMMENT ON FUNCTION alter_shard(text, text) IS
'changes how a shard is reached (another host, a pooler in front of it); its workspaces stay where they are';

/*
 * Maps a partition onto a shard.  Remapping a partition that has placed
 * workspaces would send them to a database that does not hold them, so it
 * is refused: move the workspaces, or, when the database itself moved
 * (dump and restore, a promoted replica), change its connection string
 * with alter_shard.
 */
CREATE FUNCTION map_partition(partition integer, shard text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	current		text;
BEGIN
	IF map_partition.partition IS NULL OR map_partition.partition < 0 OR
	   map_partition.partition >= time_entry_router.partition_count() THEN
		RAISE EXCEPTION 'partition % does not exist', map_partition.partition
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('The partitions are numbered 0 to %s.', time_entry_router.partition_count() - 1);
	END IF;
	IF NOT EXISTS (SELECT FROM time_entry_router.shards s WHERE s.name = map_partition.shard) THEN
		RAISE EXCEPTION 'shard "%" does not exist', map_partition.shard
			USING ERRCODE = 'undefined_object', HINT = 'Add it with time_entry_router.add_shard.';
	END IF;
	SELECT p.shard INTO current FROM time_entry_router.partitions p
	 WHERE p.partition = map_partition.partition FOR UPDATE;
	IF current = map_partition.shard THEN
		RETURN;
	END IF;
	IF current IS NOT NULL AND
	   EXISTS (SELECT FROM time_entry_router.placements pl WHERE pl.partition = map_partition.partition) THEN
		RAISE EXCEPTION 'partition % has placed workspaces on shard "%"', map_partition.partition, current
			USING ERRCODE = 'object_in_use',
				  DETAIL = 'Mapping it to another shard would send them to a database that does not hold them.',
				  HINT = 'Move them with time_entry_router.move_workspace, or, if the database itself moved, change its connection string with time_entry_router.alter_shard.';
	END IF;
	INSERT INTO time_entry_router.partitions (partition, shard)
	VALUES (map_partition.partition, map_partition.shard)
	ON CONFLICT ON CONSTRAINT partitions_pkey DO UPDATE SET shard = EXCLUDED.shard;
END
$$;
COMMENT ON FUNCTION map_partition(integer, text) IS
'maps a logical partition onto a shard; refused for a partition with placed workspaces';

-- Remote calls (PL/Proxy) ------------------------------------------------------
--
-- One function per shard face, remote_<face>, with the shard face's
-- arguments; RUN ON the workspace's partition.  They are made with the
-- faces, from the table of faces below.  The result types of the
-- set-returning ones are named so that a face can collect them into an
-- array.

CREATE TYPE remote_try_row AS (id uuid, response jsonb, error jsonb, raised jsonb);
COMMENT ON TYPE remote_try_row IS 'a row of time_entry_shard.try_create_entry';
CREATE TYPE remote_import_row AS (ordinal integer, id uuid, error jsonb, raised jsonb);
COMMENT ON TYPE remote_import_row IS 'a row of time_entry_shard.import_entries';
CREATE TYPE remote_list_row AS (entry jsonb, raised jsonb);
COMMENT ON TYPE remote_list_row IS 'a row of time_entry_shard.list_entries';

-- Errors ------------------------------------------------------------------------

CREATE FUNCTION raise_error(error jsonb)
RETURNS void
AS 'MODULE_PATHNAME', 'te_router_raise_error'
LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION raise_error(jsonb) IS
'raises the error a shard returned as data, with its SQLSTATE, message, detail, hint, column, constraint, table and schema';

/* SPEC 9's answer to a NULL id, for the workspace argument. */
CREATE FUNCTION workspace_required()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION 'property "workspaceId" is required'
		USING ERRCODE = 'not_null_violation', DETAIL = 'The argument is NULL.',
			  COLUMN = 'workspaceId', CONSTRAINT = 'validation-failed',
			  SCHEMA = 'time_entry_router', TABLE = 'placements';
END
$$;
COMMENT ON FUNCTION workspace_required() IS 'internal: raises validation-failed (23502) on workspaceId';

/*
 * The actor when the argument is NULL: the router session's own setting
 * time_entry.actor, as time_entry would read it (the shards' sessions are
 * the router's, and know nothing of it).  A malformed value is refused as
 * time_entry refuses it.
 */
CREATE FUNCTION setting_actor()
RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	setting		text := current_setting('time_entry.actor', true);
BEGIN
	IF setting IS NULL OR setting = '' THEN
		RETURN NULL;
	END IF;
	IF setting !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
		RAISE EXCEPTION 'invalid value for parameter "time_entry.actor": "%"', setting
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The actor must be a user id in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.',
				  HINT = 'Set it to the id of the user on whose behalf entries are written, or to the empty string for none.',
				  COLUMN = 'actor', SCHEMA = 'time_entry', TABLE = 'time_entries';
	END IF;
	RETURN setting::uuid;
END
$$;
COMMENT ON FUNCTION setting_actor() IS 'internal: the router session''s time_entry.actor, for a call whose actor argument is NULL';

/*
 * Whether an error raised by a remote call is PL/Proxy failing to reach the
 * shard or losing it (connect, send, receive, its timeouts), or the shard
 * ending the session (57P01-57P03), rather than anything the call did.
 */
CREATE FUNCTION unreachable(sqlstate text, message text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT sqlstate LIKE '08%' OR sqlstate IN ('57P01', '57P02', '57P03')
	OR (sqlstate = 'XX000' AND
		(message ~ '\] (PQconnectStart|PQconnectPoll|PQsendQuery|PQsendQueryParams|PQflush|PQconsumeInput): '
		 OR message ~ 'connect timeout to: ' OR message ~ ': query timeout'))
$$;
COMMENT ON FUNCTION unreachable(text, text) IS
'internal: whether a remote call''s error is the shard being unreachable';

CREATE FUNCTION shard_unavailable(workspace_id uuid, sqlstate text, message text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'cannot reach shard "%" of workspace %',
			coalesce(time_entry_router.shard_of(shard_unavailable.workspace_id), '?'),
			shard_unavailable.workspace_id
		USING ERRCODE = CASE WHEN sqlstate LIKE '08%' OR sqlstate LIKE '57P0_' THEN sqlstate
							 ELSE 'connection_failure' END,
			  DETAIL = 'PL/Proxy: ' || btrim(message, E' \t\n'),
			  HINT = 'A call whose connection broke may have taken effect on the shard: retry it, a create with the same request "id", an update or a delete with expected_version.',
			  COLUMN = 'workspaceId', CONSTRAINT = 'shard-unavailable',
			  SCHEMA = 'time_entry_router', TABLE = 'placements';
END
$$;
COMMENT ON FUNCTION shard_unavailable(uuid, text, text) IS
'internal: raises shard-unavailable for a remote call that could not reach the shard';

-- The faces ---------------------------------------------------------------------
--
-- time_entry's faces with the workspace first.  Each makes one remote call
-- in a block that turns an unreachable shard into shard-unavailable (any
-- other error of the call itself is re-raised as it is), then re-raises a
-- failure the shard returned as data, outside that block, with its fields.

/*
 * The ten faces and their remote_<face> functions differ only in names,
 * arguments and results, so both are made here from one template each,
 * by format() over the table of faces: what a face does is written once,
 * and a change to it reaches every face.  What this makes are ordinary
 * PL/pgSQL and PL/Proxy functions, as if written out (\sf shows them):
 * nothing is built or EXECUTEd when a face is called.
 *
 * A row of the table:
 *   face       the face's name, which is also that of the time_entry_shard
 *              face its remote_<face> function calls
 *   arguments  after "workspace_id uuid", with their defaults: "name type
 *              [DEFAULT NULL]", separated by ", ".  The remote call passes
 *              them in this order, the actor coalesced with this session's
 *              time_entry.actor (setting_actor)
 *   returns    the face's result type
 *   rows       the face's ROWS estimate; NULL: none given
 *   answer     for a face answering one value: the OUT column of the shard
 *              face that holds it (the other one is "raised")
 *   row_type   for a face returning rows: the type of the shard face's
 *              rows; the face returns their columns but "raised", in the
 *              shard's order
 *   description  the face's COMMENT
 */
DO $make$
DECLARE
	f			record;
	call_args	text;		/* the remote call's arguments */
	in_args		text;		/* the arguments without their defaults */
	remote_args	text;		/* remote_<face>'s arguments, OUT ones included */
	remote_returns text;	/* remote_<face>'s RETURNS clause, if any */
	variables	text;		/* the face's DECLARE section */
	call_remote	text;		/* the face's remote call */
	after_call	text;		/* what the face does with the answer */
BEGIN
	FOR f IN
		SELECT * FROM (VALUES
			('create_entry', 'entry jsonb, actor uuid DEFAULT NULL', 'jsonb', NULL, 'response', NULL,
			 'time_entry.create_entry on the shard of the workspace; raises the first problem with its SQLSTATE, code and property'),
			('validate_entry', 'entry jsonb, actor uuid DEFAULT NULL', 'jsonb', NULL, 'result', NULL,
			 'time_entry.validate_entry on the shard of the workspace: NULL when valid, else an error object'),
			('try_create_entry', 'entry jsonb, actor uuid DEFAULT NULL',
			 'TABLE (id uuid, response jsonb, error jsonb)', 1, NULL, 'remote_try_row',
			 'time_entry.try_create_entry on the shard of the workspace: a broken rule comes back in error'),
			('import_entries', 'entries jsonb, actor uuid DEFAULT NULL',
			 'TABLE (ordinal integer, id uuid, error jsonb)', NULL, NULL, 'remote_import_row',
			 'time_entry.import_entries on the shard of the workspace, in one shard transaction: one row per element with its id or its error'),
			('get_entry', 'id uuid, actor uuid DEFAULT NULL', 'jsonb', NULL, 'response', NULL,
			 'time_entry.get_entry on the shard of the workspace'),
			('list_entries', 'actor uuid DEFAULT NULL, user_id uuid DEFAULT NULL, project_id uuid DEFAULT NULL, '
							 'from_date date DEFAULT NULL, to_date date DEFAULT NULL',
			 'SETOF jsonb', 100, NULL, 'remote_list_row',
			 'time_entry.list_entries on the shard of the workspace, in its order'),
			('update_entry', 'id uuid, changes jsonb, actor uuid DEFAULT NULL, expected_version bigint DEFAULT NULL',
			 'jsonb', NULL, 'response', NULL,
			 'time_entry.update_entry on the shard of the workspace'),
			('start_timer', 'entry jsonb, actor uuid DEFAULT NULL', 'jsonb', NULL, 'response', NULL,
			 'time_entry.start_timer on the shard of the workspace'),
			('stop_timer', 'user_id uuid, actor uuid DEFAULT NULL, end_at timestamptz DEFAULT NULL',
			 'jsonb', NULL, 'response', NULL,
			 'time_entry.stop_timer on the shard of the workspace'),
			('delete_entry', 'id uuid, actor uuid DEFAULT NULL, expected_version bigint DEFAULT NULL',
			 'jsonb', NULL, 'response', NULL,
			 'time_entry.delete_entry on the shard of the workspace')
		) AS faces (face, arguments, returns, rows, answer, row_type, description)
	LOOP
		SELECT string_agg(CASE split_part(a.arg, ' ', 1)
							  WHEN 'actor' THEN format('coalesce(%I.actor, time_entry_router.setting_actor())', f.face)
							  ELSE format('%I.%I', f.face, split_part(a.arg, ' ', 1)) END,
						  ', ' ORDER BY a.n)
		  INTO call_args
		  FROM unnest(string_to_array('workspace_id uuid, ' || f.arguments, ', ')) WITH ORDINALITY AS a (arg, n);

		in_args := regexp_replace(f.arguments, ' DEFAULT NULL', '', 'g');
		IF f.row_type IS NULL THEN
			remote_args := format('%s, OUT %I jsonb, OUT raised jsonb', in_args, f.answer);
			remote_returns := '';
			variables := E'\tr\t\t\trecord;';
			call_remote := format('SELECT * INTO r FROM time_entry_router.remote_%s(%s);', f.face, call_args);
			after_call := format($one$
	IF r.raised IS NOT NULL THEN
		PERFORM time_entry_router.raise_error(r.raised);
	END IF;
	RETURN r.%I;$one$,
				f.answer);
		ELSE
			remote_args := in_args;
			remote_returns := format(E'\nRETURNS SETOF %I', f.row_type);
			variables := format(E'\tgot\t\t\ttime_entry_router.%I[];\n\traised\t\tjsonb;', f.row_type);
			call_remote := format('SELECT array_agg(x) INTO got FROM time_entry_router.remote_%s(%s) x;', f.face, call_args);
			after_call := format($rows$
	SELECT g.raised INTO raised FROM unnest(got) g WHERE g.raised IS NOT NULL LIMIT 1;
	IF raised IS NOT NULL THEN
		PERFORM time_entry_router.raise_error(raised);
	END IF;
	/* unnest keeps the array's order, which is the shard's */
	RETURN QUERY SELECT %s FROM unnest(got) g;$rows$,
				(SELECT string_agg(format('g.%I', c.attname), ', ' ORDER BY c.attnum)
				   FROM pg_attribute c
				  WHERE c.attrelid = (SELECT t.typrelid FROM pg_type t WHERE t.oid = f.row_type::regtype)
					AND c.attnum > 0 AND NOT c.attisdropped AND c.attname <> 'raised'));
		END IF;

		EXECUTE format($remote$
CREATE FUNCTION remote_%1$s(workspace_id uuid, %2$s)%3$s
LANGUAGE plproxy AS $$
	CLUSTER 'time_entry_shards';
	RUN ON time_entry_router.partition_of(workspace_id);
	TARGET time_entry_shard.%1$s;
$$
$remote$,
			f.face, remote_args, remote_returns);
		EXECUTE format('COMMENT ON FUNCTION remote_%s(workspace_id uuid, %s) IS %L', f.face, in_args,
					   format('internal: time_entry_shard.%s on the workspace''s shard', f.face));

		EXECUTE format($face$
CREATE FUNCTION %1$I(workspace_id uuid, %2$s)
RETURNS %3$s
LANGUAGE plpgsql VOLATILE SECURITY DEFINER%4$s
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
%5$s
BEGIN
	IF %1$I.workspace_id IS NULL THEN
		PERFORM time_entry_router.workspace_required();
	END IF;
	BEGIN
		%6$s
	EXCEPTION WHEN OTHERS THEN
		IF time_entry_router.unreachable(SQLSTATE, SQLERRM) THEN
			PERFORM time_entry_router.shard_unavailable(%1$I.workspace_id, SQLSTATE, SQLERRM);
		END IF;
		RAISE;
	END;%7$s
END
$$
$face$,
			f.face, f.arguments, f.returns, coalesce(' ROWS ' || f.rows, ''), variables, call_remote,
			after_call);
		EXECUTE format('COMMENT ON FUNCTION %I(workspace_id uuid, %s) IS %L', f.face, in_args, f.description);
	END LOOP;
END
$make$;

-- Operating the shards -------------------------------------------------------------
--
-- time_entry_shard's operator functions on the shard of a given partition
-- (RUN ON the partition number), for move_workspace and for operators.

/*
 * Each is a PL/Proxy function with the same two lines, so they are made
 * from one template over the table below, as the faces are: name, the
 * arguments after "on_partition integer" (OUT ones included), the result
 * type (NULL when OUT arguments give it), the query run on the shard, and
 * the function's COMMENT.
 */
DO $make$
DECLARE
	f			record;
BEGIN
	FOR f IN
		SELECT * FROM (VALUES
			('shard_held', '', 'TABLE (workspace_id uuid, frozen boolean, held_since timestamptz)',
			 'SELECT h.workspace_id, h.frozen, h.held_since FROM time_entry_shard.held() h',
			 'the workspaces the shard of a partition holds'),
			('shard_hold', 'workspace_id uuid', 'void', 'SELECT time_entry_shard.hold_workspace(workspace_id)',
			 'the shard of a partition holds the workspace (its rows must be there)'),
			('shard_freeze', 'workspace_id uuid', 'void', 'SELECT time_entry_shard.freeze_workspace(workspace_id)',
			 'the shard of a partition refuses writes to the workspace, after those in flight'),
			('shard_thaw', 'workspace_id uuid', 'void', 'SELECT time_entry_shard.thaw_workspace(workspace_id)',
			 'the shard of a partition accepts writes to a frozen workspace again'),
			('shard_release', 'workspace_id uuid', 'bigint', 'SELECT time_entry_shard.release_workspace(workspace_id)',
			 'the shard of a partition stops holding a frozen workspace and deletes its rows; the number deleted'),
			('shard_discard', 'workspace_id uuid', 'bigint', 'SELECT time_entry_shard.discard_copy(workspace_id)',
			 'deletes the rows of a workspace the shard of a partition does not hold (a failed move''s copy)'),
			('shard_tables', '', 'TABLE (step integer, table_name text, batch_key text)',
			 'SELECT t.step, t.table_name, t.batch_key FROM time_entry_shard.workspace_tables() t',
			 'the tables a move copies, parents first, on the shard of a partition'),
			('shard_export', 'workspace_id uuid, table_name text, after jsonb, max_rows integer, '
							 'OUT rows jsonb, OUT last_row jsonb, OUT n integer', NULL,
			 'SELECT e.rows, e.last_row, e.n FROM time_entry_shard.export_rows(workspace_id, table_name, after, max_rows) e',
			 'a batch of a workspace''s rows of one table on the shard of a partition'),
			('shard_import', 'workspace_id uuid, table_name text, rows jsonb', 'integer',
			 'SELECT time_entry_shard.import_rows(workspace_id, table_name, rows)',
			 'inserts exported rows, audit values kept, on the shard of a partition'),
			('shard_digest', 'workspace_id uuid', 'jsonb', 'SELECT time_entry_shard.workspace_digest(workspace_id)',
			 'rows and a hash per table of a workspace on the shard of a partition')
		) AS operators (name, arguments, returns, query, description)
	LOOP
		EXECUTE format($op$
CREATE FUNCTION %1$I(on_partition integer%2$s)%3$s
LANGUAGE plproxy AS $$
	CLUSTER 'time_entry_shards';
	RUN ON on_partition;
	%4$s;
$$
$op$,
			f.name, CASE WHEN f.arguments <> '' THEN ', ' || f.arguments ELSE '' END,
			CASE WHEN f.returns IS NOT NULL THEN E'\nRETURNS ' || f.returns ELSE '' END, f.query);
		/* COMMENT ON FUNCTION passes over the OUT arguments */
		EXECUTE format('COMMENT ON FUNCTION %I(on_partition integer%s) IS %L', f.name,
					   CASE WHEN f.arguments <> '' THEN ', ' || f.arguments ELSE '' END, f.description);
	END LOOP;
END
$make$;

-- Placing and moving workspaces -------------------------------------------------------

/*
 * Records the partition of a workspace (default: its hash partition).
 * Place a workspace before its rows are made on its shard.  A workspace
 * that has a placement is never moved by this (move_workspace does that),
 * nor one that its default partition's shard already serves.
 */
CREATE FUNCTION place_workspace(workspace_id uuid, partition integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	target		integer;
	current		integer;
	home		integer;
BEGIN
	IF place_workspace.workspace_id IS NULL THEN
		PERFORM time_entry_router.workspace_required();
	END IF;
	home := time_entry_router.default_partition(place_workspace.workspace_id);
	target := coalesce(place_workspace.partition, home);
	IF NOT EXISTS (SELECT FROM time_entry_router.partitions p WHERE p.partition = target) THEN
		RAISE EXCEPTION 'partition % is not mapped to a shard', target
			USING ERRCODE = 'undefined_object', HINT = 'Map it with time_entry_router.map_partition.';
	END IF;
	SELECT pl.partition INTO current FROM time_entry_router.placements pl
	 WHERE pl.workspace_id = place_workspace.workspace_id FOR UPDATE;
	IF FOUND THEN
		IF current <> target THEN
			RAISE EXCEPTION 'workspace % is placed on partition %', place_workspace.workspace_id, current
				USING ERRCODE = 'object_in_use',
					  HINT = format('Move it with CALL time_entry_router.move_workspace(%L, %s).',
									place_workspace.workspace_id, target);
		END IF;
		RETURN current;
	END IF;
	IF target <> home AND
	   (SELECT p.shard FROM time_entry_router.partitions p WHERE p.partition = target) IS DISTINCT FROM
	   (SELECT p.shard FROM time_entry_router.partitions p WHERE p.partition = home) AND
	   EXISTS (SELECT FROM time_entry_router.shard_held(home) h
				WHERE h.workspace_id = place_workspace.workspace_id) THEN
		RAISE EXCEPTION 'workspace % is already served by the shard of its default partition %',
				place_workspace.workspace_id, home
			USING ERRCODE = 'object_in_use',
				  HINT = format('Place it there, then move it with CALL time_entry_router.move_workspace(%L, %s).',
								place_workspace.workspace_id, target);
	END IF;
	INSERT INTO time_entry_router.placements (workspace_id, partition)
	VALUES (place_workspace.workspace_id, target);
	RETURN target;
END
$$;
COMMENT ON FUNCTION place_workspace(uuid, integer) IS
'records the partition of a new workspace (default: its hash partition); never moves one';

/*
 * Moves a workspace to another partition.  When both partitions are on one
 * shard only the placement changes.  Otherwise, on the two shards:
 *
 *   1. the target must hold none of the workspace's rows;
 *   2. the source freezes it: the writes in flight end, later ones are
 *      refused (workspace-moving, 55006) until the move ends; reads go on;
 *   3. every row is copied in batches, audit values as they are;
 *   4. rows and per-table hashes must agree on both shards;
 *   5. the target holds the workspace;
 *   6. the placement switches (COMMIT): calls go to the target from now on;
 *   7. the source releases it: stops holding it and deletes its rows, and
 *      refuses it from then on (workspace-not-held, 42704).
 * A failure in 1-5 thaws the source and deletes the partial copy: the
 * workspace stays where it was.  A failure in 7 leaves the old copy
 * frozen on the source (nobody routes to it) with a WARNING saying how to
 * release it later.
 *
 * A procedure, for the COMMIT of step 6: CALL it outside a transaction
 * block.  It is not SECURITY DEFINER (a procedure that commits cannot be),
 * so it runs with the caller's rights, as the owner should.
 */
CREATE PROCEDURE move_workspace(workspace_id uuid, to_partition integer, batch_rows integer DEFAULT 1000)
LANGUAGE plpgsql
AS $$
DECLARE
	ws			uuid := move_workspace.workspace_id;
	to_p		integer := move_workspace.to_partition;
	from_p		integer;
	from_shard	text;
	to_shard	text;
	t			record;
	batch		record;
	resume_after jsonb;
	source_digest jsonb;
	target_digest jsonb;
	copied		bigint := 0;
	deleted		bigint;
BEGIN
	IF ws IS NULL THEN
		PERFORM time_entry_router.workspace_required();
	END IF;
	IF coalesce(batch_rows, 0) < 1 THEN
		RAISE EXCEPTION 'batch_rows must be at least 1' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	/* one move of a workspace at a time */
	PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('time_entry_router.move_workspace'),
											 pg_catalog.hashtext(ws::text));
	SELECT p.shard INTO to_shard FROM time_entry_router.partitions p WHERE p.partition = to_p;
	IF to_shard IS NULL THEN
		RAISE EXCEPTION 'partition % is not mapped to a shard', to_p
			USING ERRCODE = 'undefined_object', HINT = 'Map it with time_entry_router.map_partition.';
	END IF;
	from_p := time_entry_router.partition_of(ws);
	SELECT p.shard INTO from_shard FROM time_entry_router.partitions p WHERE p.partition = from_p;
	IF from_p = to_p THEN
		RAISE NOTICE 'workspace % is on partition % already', ws, to_p;
		RETURN;
	END IF;
	IF from_shard = to_shard THEN
		/* one database serves both partitions: the rows stay where they are */
		INSERT INTO time_entry_router.placements AS pl (workspace_id, partition) VALUES (ws, to_p)
		ON CONFLICT ON CONSTRAINT placements_pkey
		DO UPDATE SET partition = EXCLUDED.partition, placed_on = pg_catalog.now();
		RAISE NOTICE 'workspace % moved from partition % to partition %, both on shard "%"', ws, from_p, to_p, to_shard;
		RETURN;
	END IF;

	target_digest := time_entry_router.shard_digest(to_p, ws);
	IF EXISTS (SELECT FROM pg_catalog.jsonb_each(target_digest) d WHERE (d.value ->> 0)::bigint > 0) THEN
		RAISE EXCEPTION 'shard "%" has rows of workspace % already', to_shard, ws
			USING ERRCODE = 'object_in_use',
				  DETAIL = format('Rows per table: %s.', target_digest),
				  HINT = format('If they are what a failed move left, delete them with SELECT time_entry_router.shard_discard(%s, %L).',
								to_p, ws);
	END IF;

	PERFORM time_entry_router.shard_freeze(from_p, ws);
	BEGIN
		FOR t IN SELECT * FROM time_entry_router.shard_tables(from_p) s ORDER BY s.step LOOP
			resume_after := NULL;
			LOOP
				SELECT * INTO batch
				  FROM time_entry_router.shard_export(from_p, ws, t.table_name, resume_after, batch_rows);
				EXIT WHEN batch.n = 0;
				PERFORM time_entry_router.shard_import(to_p, ws, t.table_name, batch.rows);
				copied := copied + batch.n;
				EXIT WHEN batch.n < batch_rows;
				resume_after := batch.last_row;
			END LOOP;
		END LOOP;
		source_digest := time_entry_router.shard_digest(from_p, ws);
		target_digest := time_entry_router.shard_digest(to_p, ws);
		IF source_digest IS DISTINCT FROM target_digest THEN
			RAISE EXCEPTION 'the copy of workspace % on shard "%" differs from its rows on shard "%"',
					ws, to_shard, from_shard
				USING ERRCODE = 'data_corrupted',
					  DETAIL = format('Rows and hashes per table: source %s, copy %s.', source_digest, target_digest);
		END IF;
		PERFORM time_entry_router.shard_hold(to_p, ws);
	EXCEPTION WHEN OTHERS THEN
		/* the workspace stays where it was, writable; the partial copy goes */
		BEGIN
			PERFORM time_entry_router.shard_discard(to_p, ws);
		EXCEPTION WHEN OTHERS THEN
			RAISE WARNING 'could not delete the partial copy of workspace % on shard "%": %', ws, to_shard, SQLERRM
				USING HINT = format('Delete it with SELECT time_entry_router.shard_discard(%s, %L).', to_p, ws);
		END;
		BEGIN
			PERFORM time_entry_router.shard_thaw(from_p, ws);
		EXCEPTION WHEN OTHERS THEN
			RAISE WARNING 'workspace % stays frozen on shard "%": %', ws, from_shard, SQLERRM
				USING HINT = format('Thaw it with SELECT time_entry_router.shard_thaw(%s, %L).', from_p, ws);
		END;
		RAISE;
	END;

	INSERT INTO time_entry_router.placements AS pl (workspace_id, partition) VALUES (ws, to_p)
	ON CONFLICT ON CONSTRAINT placements_pkey
	DO UPDATE SET partition = EXCLUDED.partition, placed_on = pg_catalog.now();
	COMMIT;

	BEGIN
		deleted := time_entry_router.shard_release(from_p, ws);
	EXCEPTION WHEN OTHERS THEN
		RAISE WARNING 'workspace % is on shard "%" now, but shard "%" did not release its old copy: %',
				ws, to_shard, from_shard, SQLERRM
			USING HINT = format('Release it with SELECT time_entry_router.shard_release(%s, %L).', from_p, ws);
		RETURN;
	END;
	RAISE NOTICE 'workspace % moved from partition % (shard "%") to partition % (shard "%"): % rows copied, % deleted on shard "%"',
		ws, from_p, from_shard, to_p, to_shard, copied, deleted, from_shard;
END
$$;
COMMENT ON PROCEDURE move_workspace(uuid, integer, integer) IS
'moves a workspace to another partition: freeze, copy, verify, hold, switch the placement, release; CALL outside a transaction block';

-- Privileges -------------------------------------------------------------------------

/*
 * Nothing for PUBLIC: grant EXECUTE on the faces to the application role
 * (README "Scaling out"); the rest is the owner's.
 */
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA time_entry_router FROM PUBLIC;
REVOKE ALL ON PROCEDURE move_workspace(uuid, integer, integer) FROM PUBLIC;
REVOKE ALL ON TABLE shards, partitions, placements FROM PUBLIC;
GRANT USAGE ON SCHEMA time_entry_router TO PUBLIC;
