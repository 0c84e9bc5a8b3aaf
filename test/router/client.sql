-- The clients of test/router.test.sh, in the router database (schema rt):
-- the workspaces of the test, the requests the load sends, the calls with
-- their retries, and the log of what every client was told.
--
-- A call that cannot reach its shard (shard-unavailable) or meets a
-- workspace being moved (workspace-moving) is retried with the same request
-- (so the same request "id") every 100 ms, for up to 30 s; each failed
-- attempt is logged in rt.attempts.  What the client was finally told is
-- logged in rt.calls, in the same router transaction as the call.

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS rt CASCADE;
CREATE SCHEMA rt;

-- n = 1..16 are in the load; n = 17 is nowhere (for the not-held check)
CREATE TABLE rt.workspaces (
	n			integer PRIMARY KEY,
	id			uuid NOT NULL UNIQUE,
	in_load		boolean NOT NULL
);
INSERT INTO rt.workspaces
SELECT n, ('a0000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, n <= 16
  FROM generate_series(1, 17) n;

-- The directory of a workspace, as test/router/fixtures.sql makes it.
CREATE FUNCTION rt.user_of(ws uuid, k integer) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$ SELECT md5(ws::text || ':user:' || k)::uuid $$;
CREATE FUNCTION rt.type_of(ws uuid) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$ SELECT md5(ws::text || ':type')::uuid $$;

CREATE TABLE rt.calls (
	request_id	uuid NOT NULL,
	face		text NOT NULL,		-- try, create, import, dup
	ws			uuid NOT NULL,
	shard		text NOT NULL,		-- the workspace's shard when the call ended
	kind		text NOT NULL,		-- valid, or the invalid kind sent
	outcome		text NOT NULL,		-- created, refused (as data), raised
	entry_id	uuid,
	response	jsonb,				-- audit values the client was told
	sqlstate	text,
	code		text,
	property	text,
	attempts	integer NOT NULL,
	ended		timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE rt.attempts (
	request_id	uuid NOT NULL,
	face		text NOT NULL,
	ws			uuid NOT NULL,
	shard		text NOT NULL,		-- the workspace's shard then
	attempt		integer NOT NULL,
	sqlstate	text,
	code		text,
	message		text,
	at			timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE rt.events (
	name		text PRIMARY KEY,
	at			timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- every entry of every shard, copied here after the load
CREATE TABLE rt.shard_rows (
	shard		text NOT NULL,
	id			uuid NOT NULL,
	workspace_id uuid NOT NULL,
	created_by	uuid NOT NULL,
	created_on	timestamptz NOT NULL,
	updated_on	timestamptz NOT NULL,
	resource_version bigint NOT NULL
);

-- A request of kind valid, or of an invalid kind, with request id rid.
CREATE FUNCTION rt.request(ws uuid, actor uuid, rid uuid, kind text) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	start_at	timestamp := timestamp '2024-01-01' + floor(random() * 360 * 24 * 60) * interval '1 minute';
	req			jsonb;
BEGIN
	req := jsonb_build_object(
		'id', rid, 'userId', actor, 'typeOfWorkId', rt.type_of(ws), 'timezone', 'Europe/Berlin',
		'startDateUtc', to_char(start_at, 'YYYY-MM-DD'), 'startTimeUtc', to_char(start_at, 'HH24:MI'),
		'duration', 60 + floor(random() * 7200)::integer, 'note', 'router load');
	RETURN CASE kind
		WHEN 'valid' THEN req
		WHEN 'no-type' THEN req - 'typeOfWorkId'
		WHEN 'bad-zone' THEN req || '{"timezone": "Mars/Olympus"}'
		WHEN 'unknown-type' THEN req || jsonb_build_object('typeOfWorkId', gen_random_uuid())
		-- the type of work of another workspace: answered as a missing one
		WHEN 'foreign-type' THEN req || jsonb_build_object('typeOfWorkId',
			rt.type_of(CASE WHEN ws = rt.ws(1) THEN rt.ws(2) ELSE rt.ws(1) END))
	END;
END
$$;

CREATE FUNCTION rt.ws(n integer) RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT id FROM rt.workspaces WHERE workspaces.n = $1 $$;

-- What each invalid kind must be refused with (SPEC 7).
CREATE FUNCTION rt.expected(kind text, OUT sqlstate text, OUT code text, OUT property text)
LANGUAGE sql IMMUTABLE AS $$
SELECT e.s, e.c, e.p FROM (VALUES ('no-type', '23502', 'validation-failed', 'typeOfWorkId'),
					  ('bad-zone', '22023', 'validation-failed', 'timezone'),
					  ('unknown-type', '23503', 'not-found', 'typeOfWorkId'),
					  ('foreign-type', '23503', 'not-found', 'typeOfWorkId')) e (kind, s, c, p)
 WHERE e.kind = $1
$$;

CREATE FUNCTION rt.random_kind() RETURNS text
LANGUAGE sql VOLATILE AS $$
SELECT CASE WHEN r < 0.70 THEN 'valid' WHEN r < 0.78 THEN 'no-type' WHEN r < 0.86 THEN 'bad-zone'
			WHEN r < 0.93 THEN 'unknown-type' ELSE 'foreign-type' END
  FROM (SELECT random() r) x
$$;

-- A workspace of the load: any (scope 0), or one on cluster 1 (scope 1).
CREATE FUNCTION rt.pick_workspace(scope integer) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
SELECT w.id FROM rt.workspaces w
 WHERE w.in_load AND (scope = 0 OR time_entry_router.shard_of(w.id) IN ('shard_1', 'shard_2'))
 ORDER BY random() LIMIT 1
$$;

-- Whether a failed call is to be retried as it is.
CREATE FUNCTION rt.retryable(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT code IN ('shard-unavailable', 'workspace-moving') $$;

CREATE FUNCTION rt.audit(response jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_build_object('createdBy', response -> 'createdBy', 'createdOn', response -> 'createdOn',
						  'updatedOn', response -> 'updatedOn', 'resourceVersion', response -> 'resourceVersion')
$$;

-- try_create_entry through the router, with retries.
CREATE FUNCTION rt.try_with_retries(ws uuid, req jsonb, actor uuid, face text,
	OUT id uuid, OUT response jsonb, OUT error jsonb, OUT state text, OUT code text,
	OUT property text, OUT attempts integer)
LANGUAGE plpgsql AS $$
DECLARE
	message		text;
BEGIN
	attempts := 0;
	LOOP
		attempts := attempts + 1;
		BEGIN
			SELECT t.id, t.response, t.error INTO id, response, error
			  FROM time_entry_router.try_create_entry(ws, req, actor) t;
			state := error ->> 'sqlstate';
			code := error ->> 'code';
			property := error -> 'validationErrors' -> 0 ->> 'property';
			RETURN;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
				property = COLUMN_NAME, message = MESSAGE_TEXT;
			INSERT INTO rt.attempts (request_id, face, ws, shard, attempt, sqlstate, code, message)
			VALUES ((req ->> 'id')::uuid, face, ws, time_entry_router.shard_of(ws), attempts, state, code, message);
			IF NOT rt.retryable(code) OR attempts >= 300 THEN
				RETURN;
			END IF;
			PERFORM pg_sleep(0.1);
		END;
	END LOOP;
END
$$;

CREATE FUNCTION rt.load_try(scope integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	ws			uuid := rt.pick_workspace(scope);
	actor		uuid := rt.user_of(ws, 1 + floor(random() * 3)::integer);
	rid			uuid := gen_random_uuid();
	kind		text := rt.random_kind();
	r			record;
BEGIN
	r := rt.try_with_retries(ws, rt.request(ws, actor, rid, kind), actor, 'try');
	INSERT INTO rt.calls (request_id, face, ws, shard, kind, outcome, entry_id, response, sqlstate, code, property, attempts)
	VALUES (rid, 'try', ws, time_entry_router.shard_of(ws), kind,
			CASE WHEN r.id IS NOT NULL THEN 'created' WHEN r.error IS NOT NULL THEN 'refused' ELSE 'raised' END,
			r.id, rt.audit(r.response), r.state, r.code, r.property, r.attempts);
END
$$;

-- The same request sent twice, as a client does when the first response
-- was lost: both answers must name one entry.
CREATE FUNCTION rt.load_dup(scope integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	ws			uuid := rt.pick_workspace(scope);
	actor		uuid := rt.user_of(ws, 1 + floor(random() * 3)::integer);
	rid			uuid := gen_random_uuid();
	req			jsonb := rt.request(ws, actor, rid, 'valid');
	r			record;
BEGIN
	FOR i IN 1 .. 2 LOOP
		r := rt.try_with_retries(ws, req, actor, 'dup');
		INSERT INTO rt.calls (request_id, face, ws, shard, kind, outcome, entry_id, response, sqlstate, code, property, attempts)
		VALUES (rid, 'dup', ws, time_entry_router.shard_of(ws), 'valid',
				CASE WHEN r.id IS NOT NULL THEN 'created' WHEN r.error IS NOT NULL THEN 'refused' ELSE 'raised' END,
				r.id, rt.audit(r.response), r.state, r.code, r.property, r.attempts);
	END LOOP;
END
$$;

-- create_entry, the raising face: a refusal must come back with its
-- SQLSTATE, code and property as fields of the error.
CREATE FUNCTION rt.load_create(scope integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	ws			uuid := rt.pick_workspace(scope);
	actor		uuid := rt.user_of(ws, 1 + floor(random() * 3)::integer);
	rid			uuid := gen_random_uuid();
	kind		text := rt.random_kind();
	req			jsonb := rt.request(ws, actor, rid, kind);
	response	jsonb;
	attempts	integer := 0;
	state		text;
	code		text;
	property	text;
	message		text;
BEGIN
	LOOP
		attempts := attempts + 1;
		BEGIN
			response := time_entry_router.create_entry(ws, req, actor);
			INSERT INTO rt.calls (request_id, face, ws, shard, kind, outcome, entry_id, response, attempts)
			VALUES (rid, 'create', ws, time_entry_router.shard_of(ws), kind, 'created', (response ->> 'id')::uuid, rt.audit(response), attempts);
			RETURN;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
				property = COLUMN_NAME, message = MESSAGE_TEXT;
			IF NOT rt.retryable(code) OR attempts >= 300 THEN
				INSERT INTO rt.calls (request_id, face, ws, shard, kind, outcome, sqlstate, code, property, attempts)
				VALUES (rid, 'create', ws, time_entry_router.shard_of(ws), kind, 'raised', state, code, property, attempts);
				RETURN;
			END IF;
			INSERT INTO rt.attempts (request_id, face, ws, shard, attempt, sqlstate, code, message)
			VALUES (rid, 'create', ws, time_entry_router.shard_of(ws), attempts, state, code, message);
			PERFORM pg_sleep(0.1);
		END;
	END LOOP;
END
$$;

-- import_entries of three requests of random kinds, each with its own
-- request id; the whole call is retried as it is.
CREATE FUNCTION rt.load_import(scope integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	ws			uuid := rt.pick_workspace(scope);
	actor		uuid := rt.user_of(ws, 1 + floor(random() * 3)::integer);
	kinds		text[] := ARRAY[rt.random_kind(), rt.random_kind(), rt.random_kind()];
	rids		uuid[] := ARRAY[gen_random_uuid(), gen_random_uuid(), gen_random_uuid()];
	reqs		jsonb;
	got			jsonb;
	attempts	integer := 0;
	state		text;
	code		text;
	property	text;
	message		text;
BEGIN
	SELECT jsonb_agg(rt.request(ws, actor, rids[i], kinds[i]) ORDER BY i) INTO reqs
	  FROM generate_series(1, 3) i;
	LOOP
		attempts := attempts + 1;
		BEGIN
			SELECT jsonb_agg(to_jsonb(i) ORDER BY i.ordinal) INTO got
			  FROM time_entry_router.import_entries(ws, reqs, actor) i;
			EXIT;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, code = CONSTRAINT_NAME,
				property = COLUMN_NAME, message = MESSAGE_TEXT;
			IF NOT rt.retryable(code) OR attempts >= 300 THEN
				INSERT INTO rt.calls (request_id, face, ws, shard, kind, outcome, sqlstate, code, property, attempts)
				SELECT rids[i], 'import', ws, time_entry_router.shard_of(ws), kinds[i], 'raised', state, code, property, attempts
				  FROM generate_series(1, 3) i;
				RETURN;
			END IF;
			INSERT INTO rt.attempts (request_id, face, ws, shard, attempt, sqlstate, code, message)
			SELECT rids[i], 'import', ws, time_entry_router.shard_of(ws), attempts, state, code, message FROM generate_series(1, 3) i;
			PERFORM pg_sleep(0.1);
		END;
	END LOOP;
	INSERT INTO rt.calls (request_id, face, ws, shard, kind, outcome, entry_id, sqlstate, code, property, attempts)
	SELECT rids[i], 'import', ws, time_entry_router.shard_of(ws), kinds[i],
		   CASE WHEN g -> (i - 1) ->> 'id' IS NOT NULL THEN 'created' ELSE 'refused' END,
		   (g -> (i - 1) ->> 'id')::uuid, g -> (i - 1) -> 'error' ->> 'sqlstate',
		   g -> (i - 1) -> 'error' ->> 'code', g -> (i - 1) -> 'error' -> 'validationErrors' -> 0 ->> 'property',
		   attempts
	  FROM generate_series(1, 3) i, (SELECT got g) x;
END
$$;

\ir error_of.sql

-- The backend serving partition p's shard for this session.
CREATE FUNCTION rt.shard_pid(p integer) RETURNS integer
LANGUAGE plproxy AS $$
	CLUSTER 'time_entry_shards';
	RUN ON p;
	SELECT pg_backend_pid();
$$;

-- time_entry.create_entry called over PL/Proxy with no shard face in
-- between: what it raises is raised through PL/Proxy (the negative control
-- of the connection check, and the "before" of the error-cost figures).
CREATE FUNCTION rt.raw_create_entry(ws uuid, entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE plproxy AS $$
	CLUSTER 'time_entry_shards';
	RUN ON time_entry_router.partition_of(ws);
	SELECT time_entry.create_entry(entry, actor);
$$;
