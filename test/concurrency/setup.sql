-- The database of the concurrency suite (test/concurrency.test.sh): a small
-- workspace with settings.prevent_overlaps on, and the schema "conc" that
-- holds the load's helpers, its outcome log and the checks.  Loaded into a
-- fresh database holding the extension, as the owner.
--
-- Users 1 to 4 hold the non-admin role "Member", which grants the write
-- level of project-timetracking, so they create entries for themselves and
-- for each other; user 0 is the admin, whose entries are exempt from the
-- overlap rule (SPEC 6.5) but not from the one-timer rule (SPEC 4.6).

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

BEGIN;

INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('00000000-0000-4000-8000-00000000a000', 'Administrator', true),
	('00000000-0000-4000-8000-00000000a001', 'Member', false);
INSERT INTO time_entry.role_permissions (role_id, feature, access_level) VALUES
	('00000000-0000-4000-8000-00000000a001', 'project-timetracking', 'read'),
	('00000000-0000-4000-8000-00000000a001', 'project-timetracking', 'write');
INSERT INTO time_entry.users (id, first_name, last_name, role_id)
SELECT ('00000000-0000-4000-8000-00000000b00' || n)::uuid, 'User', n::text,
	   CASE WHEN n = 0 THEN '00000000-0000-4000-8000-00000000a000'::uuid
			ELSE '00000000-0000-4000-8000-00000000a001'::uuid END
  FROM generate_series(0, 4) n;
INSERT INTO time_entry.types_of_work (id, name) VALUES
	('00000000-0000-4000-8000-00000000f001', 'Development');
UPDATE time_entry.settings SET prevent_overlaps = true;

CREATE SCHEMA conc;

-- User n of the load (0 = the admin).
CREATE FUNCTION conc.user_id(n integer) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT
RETURN ('00000000-0000-4000-8000-00000000b00' || n)::uuid;

CREATE FUNCTION conc.is_admin(actor uuid) RETURNS boolean
LANGUAGE sql STABLE STRICT
RETURN coalesce((SELECT r.is_admin FROM time_entry.users u JOIN time_entry.roles r ON r.id = u.role_id
				  WHERE u.id = actor), false);

/*
 * The virtual clock of each user: every request for user n draws the next
 * value of conc.clock_n and lies around base + that many minutes.  So the
 * clients that work on a user at the same moment aim at the same hour of
 * his time (conflicts are frequent), while the clock moves on and leaves
 * room for new entries whatever the speed of the machine.  Sequences take
 * no lock that could serialise the clients behind the extension's back.
 * base lies a year back: a running entry may not start in the future.
 */
CREATE TABLE conc.params (base timestamptz NOT NULL);
INSERT INTO conc.params VALUES (date_trunc('day', now()) - interval '365 days');
CREATE SEQUENCE conc.clock_1;
CREATE SEQUENCE conc.clock_2;
CREATE SEQUENCE conc.clock_3;
CREATE SEQUENCE conc.clock_4;

-- The order in which calls returned (taken while the user's lock is held).
CREATE SEQUENCE conc.returned;

/*
 * One outcome per call of a create function.  phase is the isolation level
 * of the call's transaction (or the name of a phase of its own); path is
 * how it was called (try: try_create_entry from pgbench; caught:
 * create_entry in a PL/pgSQL block that catches the error; batch: the
 * same, several calls in one transaction; import: an element of
 * import_entries; raw: create_entry called by psql, the error reaching the
 * client; admin: try_create_entry by the admin).  A success has entry_id; a refusal sqlstate, code (the error
 * object's code or CONSTRAINT_NAME) and property (its first property or
 * COLUMN_NAME).  The log is written in the transaction of the call, so a
 * rolled-back transaction leaves neither entries nor outcomes.
 */
CREATE UNLOGGED TABLE conc.outcome (
	phase		text NOT NULL DEFAULT current_setting('transaction_isolation'),
	path		text NOT NULL,
	kind		text,
	user_no		integer,
	entry_id	uuid,
	sqlstate	text,
	code		text,
	property	text,
	message		text,
	returned	bigint NOT NULL DEFAULT nextval('conc.returned')
);

-- Pairs of overlapping entries seen when a timer was stopped (see stop).
CREATE UNLOGGED TABLE conc.seen_at_stop (
	running_id	uuid NOT NULL,
	other_id	uuid NOT NULL
);

/*
 * A random request for user n: kind is timed (end given as a duration, as
 * an end time of the UTC group, or in the local group of Asia/Kolkata,
 * which has no daylight-saving change), running or date-only, drawn by
 * weight when NULL.  Starts and ends fall on whole minutes, so entries
 * often touch (back-to-back) without overlapping.  actor is the user
 * himself, or now and then another non-admin user (actor_no forces one).
 */
CREATE FUNCTION conc.request(n integer, kind text DEFAULT NULL, actor_no integer DEFAULT NULL,
							 OUT req jsonb, OUT actor uuid, OUT kind_out text,
							 OUT start_at timestamptz, OUT end_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	vt		timestamptz;
	r		double precision := random();
	minutes integer := 1 + floor(random() * 10)::integer;
	f		text := 'YYYY-MM-DD"T"HH24:MI:SS"Z"';
	local	timestamp;
	base	jsonb;
BEGIN
	vt := (SELECT p.base FROM conc.params p)
		  + nextval(('conc.clock_' || n)::regclass) * interval '1 minute';
	kind_out := coalesce(kind,
		CASE WHEN r < 0.30 THEN 'timed'
			 WHEN r < 0.50 THEN 'timed-utc-times'
			 WHEN r < 0.70 THEN 'timed-local'
			 WHEN r < 0.90 THEN 'running'
			 ELSE 'date-only' END);
	actor := conc.user_id(coalesce(actor_no,
		CASE WHEN random() < 0.8 THEN n ELSE 1 + floor(random() * 4)::integer END));
	base := jsonb_build_object('userId', conc.user_id(n),
							   'typeOfWorkId', '00000000-0000-4000-8000-00000000f001',
							   'note', kind_out);
	IF kind_out = 'running' THEN
		-- mostly after the user's entries so far: the next timer meets it
		start_at := vt + floor(random() * 46) * interval '1 minute';
	ELSE
		start_at := vt + (floor(random() * 61) - 30) * interval '1 minute';
		end_at := start_at + minutes * interval '1 minute';
	END IF;

	IF kind_out IN ('timed', 'running') THEN
		-- the start as one date-time; at midnight, that would make a
		-- date-only entry (SPEC 4.3), so the time is given apart then
		req := base || jsonb_build_object('timezone', 'UTC',
			'startDateUtc', to_char(start_at AT TIME ZONE 'UTC', f));
		IF to_char(start_at AT TIME ZONE 'UTC', 'HH24:MI') = '00:00' THEN
			req := req || jsonb_build_object('startTimeUtc', '00:00');
		END IF;
		IF kind_out = 'timed' THEN
			req := req || jsonb_build_object('duration', minutes * 60);
		END IF;
	ELSIF kind_out = 'timed-utc-times' THEN
		req := base || jsonb_build_object('timezone', 'UTC',
			'startDateUtc', to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
			'startTimeUtc', to_char(start_at AT TIME ZONE 'UTC', 'HH24:MI'),
			'endTimeUtc', to_char(end_at AT TIME ZONE 'UTC', 'HH24:MI'));
	ELSIF kind_out = 'timed-local' THEN
		local := start_at AT TIME ZONE 'Asia/Kolkata';
		req := base || jsonb_build_object('timezone', 'asia/kolkata',
			'startDateLocal', to_char(local, 'YYYY-MM-DD'),
			'startTimeLocal', to_char(local, 'HH24:MI'),
			'endDateLocal', to_char(end_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD'),
			'endTimeLocal', to_char(end_at AT TIME ZONE 'Asia/Kolkata', 'HH24:MI:SS'));
	ELSE
		start_at := NULL;
		end_at := NULL;
		req := base || jsonb_build_object('timezone', 'UTC',
			'startDateUtc', to_char(vt AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'duration', minutes * 60);
	END IF;
END
$$;

/*
 * create_entry (the jsonb face, or now and then the typed face) for a
 * random request, the error caught and logged with its SQLSTATE,
 * CONSTRAINT_NAME and COLUMN_NAME.  Any error is caught, so that an
 * unexpected one (a deadlock, a raw constraint violation) is logged and
 * reported by the checks rather than lost with an aborted client.
 */
CREATE FUNCTION conc.create_caught(path text, n integer, kind text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	q		record;
	typed	boolean := random() < 0.25;
	id		uuid;
	st		text;
	cn		text;
	col		text;
	msg		text;
BEGIN
	SELECT * INTO q FROM conc.request(n, kind);
	BEGIN
		IF typed AND q.kind_out <> 'date-only' THEN
			id := (time_entry.create_entry(
					user_id => conc.user_id(n),
					type_of_work_id => '00000000-0000-4000-8000-00000000f001',
					timezone => 'UTC', start_at => q.start_at, end_at => q.end_at,
					note => q.kind_out || ' (typed)', actor => q.actor)).id;
		ELSE
			id := (time_entry.create_entry(q.req, q.actor)->>'id')::uuid;
		END IF;
		INSERT INTO conc.outcome (path, kind, user_no, entry_id)
		VALUES (path, q.kind_out, n, id);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME,
			col = COLUMN_NAME, msg = MESSAGE_TEXT;
		INSERT INTO conc.outcome (path, kind, user_no, sqlstate, code, property, message)
		VALUES (path, q.kind_out, n, st, nullif(cn, ''), nullif(col, ''), msg);
	END;
END
$$;

/*
 * Stop user n's timer, as the host application would: end it at the
 * user's current virtual time (at least a minute after its start).  Takes
 * the user's lock, as the create path does, so it runs between creates.
 * Stopping shrinks [start, infinity) and could hide an overlap created by a
 * race, so every entry then overlapping the running one is recorded first.
 * Runs as the owner, writing the table directly; the admin is the actor.
 */
CREATE FUNCTION conc.stop(n integer) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	vt	timestamptz;
	r	time_entry.time_entries;
BEGIN
	PERFORM FROM time_entry.users WHERE id = conc.user_id(n) FOR NO KEY UPDATE;
	SELECT * INTO r FROM time_entry.time_entries e
	 WHERE e.user_id = conc.user_id(n) AND e.start_at IS NOT NULL AND e.end_at IS NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO conc.seen_at_stop
	SELECT r.id, e.id FROM time_entry.time_entries e
	 WHERE e.user_id = r.user_id AND e.id <> r.id AND e.start_at IS NOT NULL
	   AND tstzrange(e.start_at, coalesce(e.end_at, 'infinity')) && tstzrange(r.start_at, 'infinity');
	vt := (SELECT p.base FROM conc.params p)
		  + (SELECT last_value FROM pg_sequences
			  WHERE schemaname = 'conc' AND sequencename = 'clock_' || n) * interval '1 minute';
	vt := greatest(vt, r.start_at + interval '1 minute');
	PERFORM set_config('time_entry.actor', conc.user_id(0)::text, true);
	UPDATE time_entry.time_entries e
	   SET end_at = vt,
		   duration = floor(extract(epoch FROM vt) - extract(epoch FROM e.start_at))::integer - e.break_duration
	 WHERE e.id = r.id;
END
$$;

/*
 * The checker: pairs of timed entries of the same user whose [start, end)
 * -- [start, infinity) while running -- overlap, with who created each.
 * Touching entries do not overlap (ranges are half-open).
 */
CREATE VIEW conc.overlapping_pairs AS
SELECT a.user_id, a.id AS a_id, b.id AS b_id,
	   conc.is_admin(a.created_by) AS a_by_admin, conc.is_admin(b.created_by) AS b_by_admin,
	   a.note AS a_note, b.note AS b_note
  FROM time_entry.time_entries a
  JOIN time_entry.time_entries b ON b.user_id = a.user_id AND a.id < b.id
 WHERE a.start_at IS NOT NULL AND b.start_at IS NOT NULL
   AND tstzrange(a.start_at, coalesce(a.end_at, 'infinity'))
	   && tstzrange(b.start_at, coalesce(b.end_at, 'infinity'));

/*
 * Proof that a load phase contended: every 10 ms, the number of other
 * sessions of this database waiting for a lock (a user's row lock, in this
 * load), until the phase is noted in conc.load_done (at most 10 minutes).
 * Returns "samples waiting most": how many samples, how many of them saw a
 * waiting session, and the most seen at once.  Must run in READ COMMITTED,
 * so that each loop sees conc.load_done anew.
 */
CREATE TABLE conc.load_done (phase text PRIMARY KEY);

CREATE FUNCTION conc.sample_locks(phase text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	samples integer := 0;
	waiting integer := 0;
	most	integer := 0;
	n		integer;
BEGIN
	LOOP
		PERFORM pg_stat_clear_snapshot();
		SELECT count(*) INTO n FROM pg_stat_activity
		 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid();
		samples := samples + 1;
		waiting := waiting + (n > 0)::integer;
		most := greatest(most, n);
		EXIT WHEN samples >= 60000 OR EXISTS (SELECT FROM conc.load_done d WHERE d.phase = sample_locks.phase);
		PERFORM pg_sleep(0.01);
	END LOOP;
	RETURN format('%s %s %s', samples, waiting, most);
END
$$;

COMMIT;

-- Statistics, as autovacuum would gather them on a live database.
ANALYZE;
