\echo Use "CREATE EXTENSION time_entry_shard" to load this file. \quit

/*
 * time_entry_shard: what a shard database runs for the router
 * (extension time_entry_router; README "Scaling out").
 *
 * A shard is an ordinary time_entry database holding some workspaces.  The
 * router calls the faces below over PL/Proxy, with the workspace as first
 * argument.  Each face
 *
 *   1. refuses a workspace this database does not hold (held_workspaces:
 *      42704, code workspace-not-held), and a write to a workspace being
 *      moved away (frozen: 55006, code workspace-moving);
 *   2. checks that the actor is a user of that workspace: time_entry takes
 *      the workspace of a call from its actor, the router routed the call
 *      by the workspace argument, and the two must agree.  An actor of
 *      another workspace gets exactly the answer time_entry gives an
 *      unknown actor (SPEC 10: an id of another workspace answers as a
 *      missing id);
 *   3. calls the time_entry function and returns what it raised as data,
 *      in column "raised", instead of raising it.
 *
 * Step 3 is the reason for this extension.  PL/Proxy re-raises a remote
 * error with only its SQLSTATE, message, detail and hint, each prefixed
 * ("REMOTE ERROR: ..."); COLUMN_NAME and CONSTRAINT_NAME, which carry the
 * SPEC's property and code, are lost.  And it then drops its connection
 * to the shard, so the next call through that router backend pays for a
 * new shard backend and its session start-up.  As data an error costs
 * nothing more than a success, and the router re-raises it with every
 * field (time_entry_router.raise_error).
 *
 * A face runs in the one transaction of the router's remote call, the
 * time_entry call in a subtransaction (the EXCEPTION block): a refused call
 * leaves nothing behind on the shard.
 *
 * The operator functions at the end (hold, freeze, thaw, release, export,
 * import, digest) are what time_entry_router.move_workspace calls on the
 * two shards to move a workspace.
 *
 * Every function runs as the extension's owner (the time_entry tables are
 * not readable by PUBLIC) with a pinned search_path; none is granted to
 * PUBLIC: grant EXECUTE to the role the router logs in as.
 */

-- The workspaces this shard holds ------------------------------------------

CREATE TABLE held_workspaces (
	workspace_id uuid PRIMARY KEY
		CONSTRAINT held_workspaces_workspace_fkey REFERENCES time_entry.workspaces,
	frozen		boolean NOT NULL DEFAULT false,
	held_since	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE held_workspaces IS
'the workspaces this shard serves: the faces refuse every other workspace (workspace-not-held)';
COMMENT ON COLUMN held_workspaces.frozen IS
'true while the workspace is being moved away: reads are served, writes refused (workspace-moving)';
COMMENT ON COLUMN held_workspaces.held_since IS 'when this shard began to hold the workspace';
SELECT pg_catalog.pg_extension_config_dump('held_workspaces', '');

/*
 * The first key of the advisory locks that order writes against a move's
 * freeze (two-key form; the second key is the workspace's hashtext).  The
 * value spells "TESH"; time_entry's own locks use another lock class, so
 * they cannot collide with these.
 */
CREATE FUNCTION lock_class()
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS 'SELECT 1413829448';
COMMENT ON FUNCTION lock_class() IS
'first key of the advisory lock a write holds shared and a freeze takes exclusively';

-- Errors as data -----------------------------------------------------------

/*
 * The fields of a caught error as a JSON object, absent fields left out
 * (GET STACKED DIAGNOSTICS gives '' for them).  This is what the router's
 * raise_error reads back.
 */
CREATE FUNCTION error_object(sqlstate text, message text, detail text, hint text,
	column_name text, constraint_name text, table_name text, schema_name text,
	datatype_name text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
	'sqlstate', sqlstate, 'message', message,
	'detail', nullif(detail, ''), 'hint', nullif(hint, ''),
	'column', nullif(column_name, ''),
	'constraint', nullif(constraint_name, ''),
	'table', nullif(table_name, ''), 'schema', nullif(schema_name, ''),
	'datatype', nullif(datatype_name, '')))
$$;
COMMENT ON FUNCTION error_object(text, text, text, text, text, text, text, text, text) IS
'a caught error as {"sqlstate", "message", "detail", "hint", "column", "constraint", "table", "schema", "datatype"}, absent fields left out';

-- The guard of every face ------------------------------------------------------

/*
 * guard(workspace_id, actor, writes): refuses the call unless this shard
 * holds the workspace (and, for a write, the workspace is not frozen), and
 * returns the actor to hand to time_entry:
 *   - the actor itself (or NULL: time_entry then reads time_entry.actor);
 *   - when the actor (or the setting) names a user of ANOTHER workspace, a
 *     fresh uuid that is nobody ("stand-in"), so that time_entry answers
 *     exactly as for an unknown actor; the face then writes the real id
 *     back into that answer (unmask).
 * A write first takes the workspace's advisory lock in shared mode, held
 * to the end of the call's transaction: freeze_workspace takes it
 * exclusively, so it waits for the writes in flight, and every write after
 * it reads frozen = true (each statement of a VOLATILE PL/pgSQL function
 * takes a new snapshot in READ COMMITTED, the shards' isolation level).
 */
CREATE FUNCTION guard(workspace_id uuid, actor uuid, writes boolean)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	is_frozen	boolean;
	named		uuid := guard.actor;
	setting		text;
	home		uuid;
BEGIN
	IF guard.workspace_id IS NULL THEN
		RAISE EXCEPTION 'property "workspaceId" is required'
			USING ERRCODE = 'not_null_violation', DETAIL = 'The argument is NULL.',
				  COLUMN = 'workspaceId', CONSTRAINT = 'validation-failed',
				  SCHEMA = 'time_entry_shard', TABLE = 'held_workspaces';
	END IF;
	IF writes THEN
		PERFORM pg_advisory_xact_lock_shared(time_entry_shard.lock_class(),
											 hashtext(guard.workspace_id::text));
	END IF;
	SELECT h.frozen INTO is_frozen
	  FROM time_entry_shard.held_workspaces h
	 WHERE h.workspace_id = guard.workspace_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'workspace % is not held by this shard', guard.workspace_id
			USING ERRCODE = 'undefined_object',
				  DETAIL = format('Database "%s" does not serve this workspace: it was moved away, or never placed here.',
								  current_database()),
				  HINT = 'The router''s placement of the workspace is stale or wrong: see time_entry_router.placements.',
				  COLUMN = 'workspaceId', CONSTRAINT = 'workspace-not-held',
				  SCHEMA = 'time_entry_shard', TABLE = 'held_workspaces';
	END IF;
	IF is_frozen AND writes THEN
		RAISE EXCEPTION 'workspace % is being moved to another shard', guard.workspace_id
			USING ERRCODE = 'object_in_use',
				  DETAIL = 'Its entries cannot change until the move ends; they can be read.',
				  HINT = 'Retry in a moment: the router then sends the call to the new shard.  A create retried with the same request "id" is safe.',
				  COLUMN = 'workspaceId', CONSTRAINT = 'workspace-moving',
				  SCHEMA = 'time_entry_shard', TABLE = 'held_workspaces';
	END IF;

	IF named IS NULL THEN
		/* a malformed setting is left to time_entry, which reports it */
		setting := current_setting('time_entry.actor', true);
		IF setting ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
			named := setting::uuid;
		END IF;
	END IF;
	IF named IS NOT NULL THEN
		SELECT u.workspace_id INTO home FROM time_entry.users u WHERE u.id = named;
		IF FOUND AND home <> guard.workspace_id THEN
			RETURN gen_random_uuid();
		END IF;
	END IF;
	RETURN guard.actor;
END
$$;
COMMENT ON FUNCTION guard(uuid, uuid, boolean) IS
'refuses a workspace this shard does not hold (and a write to a frozen one); returns the actor to pass to time_entry, a stand-in when the actor belongs to another workspace';

/*
 * unmask(answer, stand_in, actor): the answer time_entry gave the stand-in
 * actor, with the stand-in's id replaced by the id the caller named (the
 * argument, else the setting).  The stand-in is a fresh random uuid, so
 * it occurs nowhere else in the answer.
 */
CREATE FUNCTION unmask(answer jsonb, stand_in uuid, actor uuid)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT pg_catalog.replace(answer::text, stand_in::text,
		coalesce(actor::text, pg_catalog.current_setting('time_entry.actor', true)))::jsonb
$$;
COMMENT ON FUNCTION unmask(jsonb, uuid, uuid) IS
'writes the real actor id back into an answer time_entry gave a stand-in actor';

-- The faces --------------------------------------------------------------------
--
-- Same arguments as time_entry's, after the workspace; the result columns
-- of time_entry's, plus "raised": what time_entry raised, as error_object.
-- Writes: create, try_create, import, update, start_timer, stop_timer,
-- delete.  Reads: validate, get, list.

/*
 * The ten faces differ only in names, arguments and results, so they are
 * made here from one template, by format() over the table of faces: what
 * a face does is written once, and a change to it reaches every face.
 * What this makes are ordinary PL/pgSQL functions, as if written out (\sf
 * shows them): nothing is built or EXECUTEd when a face is called.
 *
 * Each face runs the guard, then the time_entry function of its name with
 * its arguments, the actor replaced by the one the guard returns; in the
 * EXCEPTION block, the fields of what was raised go into "raised" (with
 * the real actor written back over a stand-in) and the other result
 * columns are NULL.  A face returning rows then returns that one row.
 * Rows of a failed RETURN QUERY may already be in its result; the router
 * raises whenever a row carries "raised", so they never reach a caller
 * (and the subtransaction took their entries back).
 *
 * A row of the table:
 *   face       the face's name, and that of the time_entry function it calls
 *   arguments  after "workspace_id uuid": "name type", separated by ", ";
 *              the time_entry function takes them in this order
 *   writes     whether the face writes (the guard's third argument)
 *   answer     the result columns but "raised": "name type", separated by
 *              ", "; time_entry's answer, or its columns, by name
 *   rows       NULL: the face answers one row, in OUT parameters; else it
 *              returns a set (RETURNS TABLE), and this is its ROWS estimate
 *              (import_entries: 1000, PostgreSQL's default)
 *   unmasked   the answer column in which time_entry may name the stand-in
 *              actor in a refusal it returns (validate_entry's result, the
 *              error column of try_create_entry and import_entries): the
 *              real actor is written back over it there too
 */
DO $make$
DECLARE
	f			record;
	columns		text[];		/* the names of the answer columns */
	call_args	text;		/* the time_entry call's arguments */
	selected	text;		/* RETURN QUERY's select list */
	selected_unmasked text;	/* the same, the real actor written back */
	source		text;		/* RETURN QUERY's FROM item */
	body		text;		/* the face's call of time_entry */
	out_args	text;		/* a face answering one row: its OUT arguments */
	returns_table text;	/* a face returning rows: its RETURNS TABLE */
	return_next	text;		/* a face returning rows: RETURN NEXT, for the error */
BEGIN
	FOR f IN
		SELECT * FROM (VALUES
			('create_entry', 'entry jsonb, actor uuid', true, 'response jsonb', NULL, NULL),
			('validate_entry', 'entry jsonb, actor uuid', false, 'result jsonb', NULL, 'result'),
			('try_create_entry', 'entry jsonb, actor uuid', true, 'id uuid, response jsonb, error jsonb', 1, 'error'),
			('import_entries', 'entries jsonb, actor uuid', true, 'ordinal integer, id uuid, error jsonb', 1000, 'error'),
			('get_entry', 'id uuid, actor uuid', false, 'response jsonb', NULL, NULL),
			('list_entries', 'actor uuid, user_id uuid, project_id uuid, from_date date, to_date date', false,
			 'entry jsonb', 100, NULL),
			('update_entry', 'id uuid, changes jsonb, actor uuid, expected_version bigint', true,
			 'response jsonb', NULL, NULL),
			('start_timer', 'entry jsonb, actor uuid', true, 'response jsonb', NULL, NULL),
			('stop_timer', 'user_id uuid, actor uuid, end_at timestamptz', true, 'response jsonb', NULL, NULL),
			('delete_entry', 'id uuid, actor uuid, expected_version bigint', true, 'response jsonb', NULL, NULL)
		) AS faces (face, arguments, writes, answer, rows, unmasked)
	LOOP
		SELECT string_agg(CASE split_part(a.arg, ' ', 1)
							  WHEN 'actor' THEN 'use_actor'
							  ELSE format('%I.%I', f.face, split_part(a.arg, ' ', 1)) END,
						  ', ' ORDER BY a.n)
		  INTO call_args
		  FROM unnest(string_to_array(f.arguments, ', ')) WITH ORDINALITY AS a (arg, n);
		SELECT array_agg(split_part(c.col, ' ', 1) ORDER BY c.n) INTO columns
		  FROM unnest(string_to_array(f.answer, ', ')) WITH ORDINALITY AS c (col, n);

		IF f.rows IS NULL THEN
			out_args := format(', OUT %s, OUT raised jsonb', replace(f.answer, ', ', ', OUT '));
			returns_table := '';
			return_next := '';
			body := format('%I := time_entry.%I(%s);', columns[1], f.face, call_args);
			IF f.unmasked IS NOT NULL THEN
				body := body || format($unmask$
	IF use_actor IS NOT NULL AND use_actor IS DISTINCT FROM %1$I.actor THEN
		%2$I := time_entry_shard.unmask(%2$I, use_actor, %1$I.actor);
	END IF;$unmask$,
					f.face, f.unmasked);
			END IF;
		ELSE
			out_args := '';
			returns_table := format(E'\nRETURNS TABLE (%s, raised jsonb)', f.answer);
			return_next := E'\n\tRETURN NEXT;';
			SELECT string_agg(format('t.%I', c.col), ', ' ORDER BY c.n),
				   string_agg(CASE WHEN c.col = f.unmasked
								   THEN format('time_entry_shard.unmask(t.%I, use_actor, %I.actor)', c.col, f.face)
								   ELSE format('t.%I', c.col) END, ', ' ORDER BY c.n)
			  INTO selected, selected_unmasked
			  FROM unnest(columns) WITH ORDINALITY AS c (col, n);
			/* the one column of a SETOF jsonb (list_entries) is named by an alias */
			source := format('time_entry.%I(%s) %s', f.face, call_args,
							 CASE WHEN cardinality(columns) = 1 THEN format('t (%I)', columns[1]) ELSE 't' END);
			IF f.unmasked IS NULL THEN
				body := format('RETURN QUERY SELECT %s, NULL::jsonb FROM %s;', selected, source);
			ELSE
				body := format($unmask$IF use_actor IS NOT DISTINCT FROM %1$I.actor THEN
		RETURN QUERY SELECT %2$s, NULL::jsonb FROM %4$s;
	ELSE
		RETURN QUERY SELECT %3$s, NULL::jsonb FROM %4$s;
	END IF;$unmask$,
					f.face, selected, selected_unmasked, source);
			END IF;
		END IF;

		EXECUTE format($face$
CREATE FUNCTION %1$I(workspace_id uuid, %2$s%3$s)%4$s
LANGUAGE plpgsql VOLATILE SECURITY DEFINER%5$s
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	use_actor	uuid;
	e_state text; e_message text; e_detail text; e_hint text; e_column text;
	e_constraint text; e_table text; e_schema text; e_type text;
BEGIN
	use_actor := time_entry_shard.guard(%1$I.workspace_id, %1$I.actor, %6$s);
	%7$s
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT,
		e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT, e_column = COLUMN_NAME,
		e_constraint = CONSTRAINT_NAME, e_table = TABLE_NAME, e_schema = SCHEMA_NAME,
		e_type = PG_DATATYPE_NAME;
	%8$s
	raised := time_entry_shard.error_object(e_state, e_message, e_detail, e_hint, e_column,
											 e_constraint, e_table, e_schema, e_type);
	IF use_actor IS NOT NULL AND use_actor IS DISTINCT FROM %1$I.actor THEN
		raised := time_entry_shard.unmask(raised, use_actor, %1$I.actor);
	END IF;%9$s
END
$$
$face$,
			f.face, f.arguments, out_args, returns_table, coalesce(' ROWS ' || f.rows, ''), f.writes::text, body,
			(SELECT string_agg(format('%I := NULL;', c), ' ') FROM unnest(columns) c),
			return_next);
	END LOOP;
END
$make$;

COMMENT ON FUNCTION create_entry(uuid, jsonb, uuid) IS
'time_entry.create_entry in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION validate_entry(uuid, jsonb, uuid) IS
'time_entry.validate_entry in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION try_create_entry(uuid, jsonb, uuid) IS
'time_entry.try_create_entry in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION import_entries(uuid, jsonb, uuid) IS
'time_entry.import_entries in a workspace this shard holds; what it raises comes back as one row with raised';
COMMENT ON FUNCTION get_entry(uuid, uuid, uuid) IS
'time_entry.get_entry in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION list_entries(uuid, uuid, uuid, uuid, date, date) IS
'time_entry.list_entries in a workspace this shard holds; what it raises comes back as one row with raised';
COMMENT ON FUNCTION update_entry(uuid, uuid, jsonb, uuid, bigint) IS
'time_entry.update_entry in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION start_timer(uuid, jsonb, uuid) IS
'time_entry.start_timer in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION stop_timer(uuid, uuid, uuid, timestamptz) IS
'time_entry.stop_timer in a workspace this shard holds; what it raises comes back in raised';
COMMENT ON FUNCTION delete_entry(uuid, uuid, uuid, bigint) IS
'time_entry.delete_entry in a workspace this shard holds; what it raises comes back in raised';

-- Holding and moving workspaces ----------------------------------------------

/*
 * The tables holding a workspace's rows, parents before children (the
 * order a copy inserts them in; a purge deletes in the reverse order), and
 * the key each is read in batches by: unique within the workspace, and
 * served by an index that leads with workspace_id.  A table of time_entry
 * with a workspace_id that is missing here would be left behind by a move,
 * so the list is checked against the catalog on every use.
 */
CREATE FUNCTION workspace_tables()
RETURNS TABLE (step integer, table_name text, batch_key text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	names		text[] := ARRAY['workspaces', 'settings', 'roles', 'role_permissions',
								'project_roles', 'project_role_permissions', 'projects',
								'users', 'project_members', 'tasks', 'task_assignees',
								'types_of_work', 'time_entries'];
	keys		text[] := ARRAY['id', 'workspace_id', 'id', 'role_id, feature, access_level',
								'id', 'project_role_id, feature, access_level', 'id',
								'id', 'project_id, user_id', 'id', 'task_id, user_id',
								'id', 'date_local, id'];
	missing		text;
BEGIN
	SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO missing
	  FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'time_entry' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
	   AND EXISTS (SELECT FROM pg_attribute a
				    WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)
	   AND c.relname <> ALL (names);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'time_entry_shard does not know the table(s) % of time_entry', missing
			USING ERRCODE = 'feature_not_supported',
				  DETAIL = 'A move copies and purges only the tables it knows; it would leave these rows behind.',
				  HINT = 'Install the version of time_entry_shard made for this version of time_entry.';
	END IF;
	RETURN QUERY SELECT i, names[i], keys[i] FROM generate_subscripts(names, 1) i ORDER BY i;
END
$$;
COMMENT ON FUNCTION workspace_tables() IS
'the tables of time_entry that hold a workspace''s rows, parents first, with the key they are copied in batches by';

/*
 * A batch of a workspace's rows of one table as a JSON array, in the
 * order of the table's batch key, starting after the row "after" (NULL:
 * from the first), at most max_rows; last_row is "after" for the next
 * batch.  Timestamps are written in UTC, whatever the shard's TimeZone.
 */
CREATE FUNCTION export_rows(workspace_id uuid, table_name text, after jsonb, max_rows integer,
	OUT rows jsonb, OUT last_row jsonb, OUT n integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
	key			text;
	keys_t		text;
	keys_a		text;
	keys_r		text;
BEGIN
	SELECT w.batch_key INTO key
	  FROM time_entry_shard.workspace_tables() w WHERE w.table_name = export_rows.table_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'time_entry_shard does not copy table "%"', export_rows.table_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT string_agg(format('t.%I', k), ', ' ORDER BY o), string_agg(format('a.%I', k), ', ' ORDER BY o),
		   string_agg(format('r.%I', k), ', ' ORDER BY o)
	  INTO keys_t, keys_a, keys_r
	  FROM unnest(string_to_array(key, ', ')) WITH ORDINALITY u (k, o);
	EXECUTE format($q$
		SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY %1$s), '[]'::jsonb), count(*)::integer
		  FROM (SELECT * FROM time_entry.%2$I t
				 WHERE t.%3$I = $1 %4$s
				 ORDER BY %5$s
				 LIMIT $3) r
		$q$, keys_r, export_rows.table_name,
		CASE export_rows.table_name WHEN 'workspaces' THEN 'id' ELSE 'workspace_id' END,
		CASE WHEN export_rows.after IS NULL THEN ''
			 ELSE format('AND (%s) > (SELECT %s FROM jsonb_populate_record(NULL::time_entry.%I, $2) a)',
						 keys_t, keys_a, export_rows.table_name) END,
		keys_t)
	   INTO rows, n
	  USING export_rows.workspace_id, export_rows.after, export_rows.max_rows;
	last_row := rows -> -1;
END
$$;
COMMENT ON FUNCTION export_rows(uuid, text, jsonb, integer) IS
'a batch of a workspace''s rows of one table, as a JSON array in batch-key order, after the row "after"';

/*
 * Inserts rows exported by export_rows on another shard, with every column
 * as exported: the audit trigger keeps the audit values of a row inserted
 * with all of them and no actor by the table's owner (SPEC 8, what a
 * restored dump relies on), so time_entry.actor is cleared for the call.
 * Only into a shard that does not hold the workspace, and only rows of that
 * workspace.  A workspace row gets its settings row from time_entry's
 * trigger; the exported settings row then updates it (settings_upsert), so
 * it counts 0 rows.
 */
CREATE FUNCTION import_rows(workspace_id uuid, table_name text, rows jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET time_entry.actor = ''
AS $$
DECLARE
	ws_column	text := CASE import_rows.table_name WHEN 'workspaces' THEN 'id' ELSE 'workspace_id' END;
	n			integer;
BEGIN
	IF NOT EXISTS (SELECT FROM time_entry_shard.workspace_tables() w
					WHERE w.table_name = import_rows.table_name) THEN
		RAISE EXCEPTION 'time_entry_shard does not copy table "%"', import_rows.table_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF EXISTS (SELECT FROM time_entry_shard.held_workspaces h
				WHERE h.workspace_id = import_rows.workspace_id) THEN
		RAISE EXCEPTION 'workspace % is held by this shard', import_rows.workspace_id
			USING ERRCODE = 'object_in_use',
				  DETAIL = 'Rows are copied only into a shard that does not hold the workspace yet.';
	END IF;
	IF jsonb_typeof(import_rows.rows) IS DISTINCT FROM 'array' OR
	   EXISTS (SELECT FROM jsonb_array_elements(import_rows.rows) e
				WHERE e.value ->> ws_column IS DISTINCT FROM import_rows.workspace_id::text) THEN
		RAISE EXCEPTION 'rows must be a JSON array of rows of workspace %', import_rows.workspace_id
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	EXECUTE format('INSERT INTO time_entry.%I SELECT * FROM jsonb_populate_recordset(NULL::time_entry.%I, $1)',
				   import_rows.table_name, import_rows.table_name)
	  USING import_rows.rows;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
COMMENT ON FUNCTION import_rows(uuid, text, jsonb) IS
'inserts rows exported from another shard, audit values kept, into a shard that does not hold the workspace';

/*
 * Per table, the number of the workspace's rows and the sum of a 64-bit
 * hash of each (as JSON, timestamps in UTC): equal on two shards when they
 * hold the same rows, whatever their physical order.  A move switches the
 * placement only when source and copy agree.
 */
CREATE FUNCTION workspace_digest(workspace_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
	t			record;
	n			bigint;
	h			numeric;
	digest		jsonb := '{}';
BEGIN
	FOR t IN SELECT * FROM time_entry_shard.workspace_tables() LOOP
		EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(to_jsonb(r)::text, 0)), 0)
						  FROM time_entry.%I r WHERE r.%I = $1',
					   t.table_name,
					   CASE t.table_name WHEN 'workspaces' THEN 'id' ELSE 'workspace_id' END)
		   INTO n, h
		  USING workspace_digest.workspace_id;
		digest := digest || jsonb_build_object(t.table_name, jsonb_build_array(n, h));
	END LOOP;
	RETURN digest;
END
$$;
COMMENT ON FUNCTION workspace_digest(uuid) IS
'per table: {"table": [rows, sum of row hashes]} of a workspace; equal on two shards holding the same rows';

/* Deletes every row of the workspace, children first; the number deleted. */
CREATE FUNCTION purge_workspace(workspace_id uuid)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t			record;
	n			bigint;
	total		bigint := 0;
BEGIN
	FOR t IN SELECT * FROM time_entry_shard.workspace_tables() ORDER BY step DESC LOOP
		/* the settings row goes with its workspace (ON DELETE CASCADE), not alone */
		CONTINUE WHEN t.table_name = 'settings';
		/* time_entry needs its default workspace: that one row stays */
		CONTINUE WHEN t.table_name = 'workspaces' AND
			EXISTS (SELECT FROM time_entry.default_workspace d WHERE d.id = purge_workspace.workspace_id);
		EXECUTE format('DELETE FROM time_entry.%I r WHERE r.%I = $1', t.table_name,
					   CASE t.table_name WHEN 'workspaces' THEN 'id' ELSE 'workspace_id' END)
		  USING purge_workspace.workspace_id;
		GET DIAGNOSTICS n = ROW_COUNT;
		total := total + n;
	END LOOP;
	RETURN total;
END
$$;
COMMENT ON FUNCTION purge_workspace(uuid) IS
'internal: deletes every row of a workspace (not the database''s default workspace row); the number of rows deleted';

CREATE FUNCTION hold_workspace(workspace_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM time_entry.workspaces w WHERE w.id = hold_workspace.workspace_id) THEN
		RAISE EXCEPTION 'workspace % does not exist in this database', hold_workspace.workspace_id
			USING ERRCODE = 'undefined_object',
				  HINT = 'Insert it into time_entry.workspaces first, or copy it here with time_entry_router.move_workspace.';
	END IF;
	INSERT INTO time_entry_shard.held_workspaces (workspace_id)
	VALUES (hold_workspace.workspace_id)
	ON CONFLICT ON CONSTRAINT held_workspaces_pkey DO NOTHING;
END
$$;
COMMENT ON FUNCTION hold_workspace(uuid) IS
'this shard serves the workspace from now on (its rows must be here); nothing happens if it already does';

/*
 * Freezing waits for the writes in flight (they hold the workspace's lock
 * shared, see guard) and refuses every write after it: what a copy then
 * reads is final.
 */
CREATE FUNCTION freeze_workspace(workspace_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(time_entry_shard.lock_class(),
								  hashtext(freeze_workspace.workspace_id::text));
	UPDATE time_entry_shard.held_workspaces h SET frozen = true
	 WHERE h.workspace_id = freeze_workspace.workspace_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'workspace % is not held by this shard', freeze_workspace.workspace_id
			USING ERRCODE = 'undefined_object', CONSTRAINT = 'workspace-not-held',
				  COLUMN = 'workspaceId', SCHEMA = 'time_entry_shard', TABLE = 'held_workspaces';
	END IF;
END
$$;
COMMENT ON FUNCTION freeze_workspace(uuid) IS
'waits for the writes in flight to the workspace, then refuses writes (workspace-moving) until thawed or released';

CREATE FUNCTION thaw_workspace(workspace_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE time_entry_shard.held_workspaces h SET frozen = false
	 WHERE h.workspace_id = thaw_workspace.workspace_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'workspace % is not held by this shard', thaw_workspace.workspace_id
			USING ERRCODE = 'undefined_object', CONSTRAINT = 'workspace-not-held',
				  COLUMN = 'workspaceId', SCHEMA = 'time_entry_shard', TABLE = 'held_workspaces';
	END IF;
END
$$;
COMMENT ON FUNCTION thaw_workspace(uuid) IS 'writes to a frozen workspace are accepted again (a move given up)';

/*
 * The end of a move on the shard it leaves: stop holding the workspace and
 * delete its rows, in one transaction.  Only a frozen workspace: its rows
 * are the ones the move copied.
 */
CREATE FUNCTION release_workspace(workspace_id uuid)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	DELETE FROM time_entry_shard.held_workspaces h
	 WHERE h.workspace_id = release_workspace.workspace_id AND h.frozen;
	IF NOT FOUND THEN
		IF EXISTS (SELECT FROM time_entry_shard.held_workspaces h
					WHERE h.workspace_id = release_workspace.workspace_id) THEN
			RAISE EXCEPTION 'workspace % is not frozen', release_workspace.workspace_id
				USING ERRCODE = 'object_not_in_prerequisite_state',
					  DETAIL = 'Releasing deletes the workspace''s rows here: only the rows a move copied may go.',
					  HINT = 'Move it with time_entry_router.move_workspace, which freezes it first.';
		END IF;
		RAISE EXCEPTION 'workspace % is not held by this shard', release_workspace.workspace_id
			USING ERRCODE = 'undefined_object', CONSTRAINT = 'workspace-not-held',
				  COLUMN = 'workspaceId', SCHEMA = 'time_entry_shard', TABLE = 'held_workspaces';
	END IF;
	RETURN time_entry_shard.purge_workspace(release_workspace.workspace_id);
END
$$;
COMMENT ON FUNCTION release_workspace(uuid) IS
'stops holding a frozen workspace and deletes its rows here (the end of a move); the number of rows deleted';

/* A copy left by a move that failed: delete it, never from a holding shard. */
CREATE FUNCTION discard_copy(workspace_id uuid)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT FROM time_entry_shard.held_workspaces h
				WHERE h.workspace_id = discard_copy.workspace_id) THEN
		RAISE EXCEPTION 'workspace % is held by this shard', discard_copy.workspace_id
			USING ERRCODE = 'object_in_use',
				  DETAIL = 'Only the rows of a workspace this shard does not hold are a leftover copy.';
	END IF;
	RETURN time_entry_shard.purge_workspace(discard_copy.workspace_id);
END
$$;
COMMENT ON FUNCTION discard_copy(uuid) IS
'deletes the rows of a workspace this shard does not hold (a move''s leftover copy); the number of rows deleted';

CREATE FUNCTION held()
RETURNS TABLE (workspace_id uuid, frozen boolean, held_since timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
SELECT h.workspace_id, h.frozen, h.held_since
  FROM time_entry_shard.held_workspaces h
 ORDER BY h.workspace_id
$$;
COMMENT ON FUNCTION held() IS 'the workspaces this shard holds';

-- Privileges -----------------------------------------------------------------

/*
 * Nothing for PUBLIC: the role the router logs in as gets USAGE on the
 * schema and EXECUTE on the functions (README "Scaling out").
 */
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA time_entry_shard FROM PUBLIC;
REVOKE ALL ON TABLE held_workspaces FROM PUBLIC;
