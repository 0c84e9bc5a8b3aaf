-- The database of the lifecycle concurrency suite
-- (test/lifecycle_concurrency.test.sh): a small workspace, and the schema
-- "lc" that holds the load's helpers, its outcome log and (checks.sql) the
-- checks.  Loaded into a fresh database holding the extension, as the owner.
--
-- Users: 0 is the admin; 1 to 23 hold the non-admin role "Member", which
-- grants read, write and delete of project-timetracking, so a member may
-- read, change and delete any entry (SPEC 9.1).  Each scenario has users of
-- its own, so that the phases do not meet:
--
--   1-2    scenario 1: the entries that concurrent update_entry calls change
--   3-6    scenario 2: start_timer races (3, 4: starts at fixed past times;
--          5, 6: starts at the statement's time)
--   7-9    scenario 3: stop_timer, update_entry and delete_entry on the
--          same running entries
--   10-16  scenario 4: request ids (10-13 timed entries, 14-15 timers at
--          fixed past times, 16 timers at the statement's time)
--   17-20  scenario 5: update_entry moving entries under prevent_overlaps
--   21     a member who acts on the others' entries
--   22-23  scenario 5's mutant (a mechanism without the user's lock)
--
-- Every time written here is a fixed day of 2025 (or, for timers of users
-- 5, 6 and 16, the statement's time): nothing depends on today's date, the
-- hour or the time zone.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

BEGIN;

INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('00000000-0000-4000-8000-00000000a000', 'Administrator', true),
	('00000000-0000-4000-8000-00000000a001', 'Member', false);
INSERT INTO time_entry.role_permissions (role_id, feature, access_level)
SELECT '00000000-0000-4000-8000-00000000a001', 'project-timetracking', l
  FROM unnest(ARRAY['read', 'write', 'delete']) l;
INSERT INTO time_entry.users (id, first_name, last_name, role_id)
SELECT ('00000000-0000-4000-8000-00000000b' || lpad(n::text, 3, '0'))::uuid, 'User', n::text,
	   CASE WHEN n = 0 THEN '00000000-0000-4000-8000-00000000a000'::uuid
			ELSE '00000000-0000-4000-8000-00000000a001'::uuid END
  FROM generate_series(0, 23) n;
INSERT INTO time_entry.types_of_work (id, name) VALUES
	('00000000-0000-4000-8000-00000000f001', 'Development');

CREATE SCHEMA lc;

-- User n (0 = the admin).
CREATE FUNCTION lc.uid(n integer) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT
RETURN ('00000000-0000-4000-8000-00000000b' || lpad(n::text, 3, '0'))::uuid;

CREATE FUNCTION lc.user_no(id uuid) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT
RETURN right(id::text, 3)::integer;

CREATE FUNCTION lc.tow() RETURNS uuid
LANGUAGE sql IMMUTABLE
RETURN '00000000-0000-4000-8000-00000000f001'::uuid;

-- A user's virtual clock (scenarios 2 to 4): ticks that only grow.
DO $$
BEGIN
	FOR n IN 1..23 LOOP
		EXECUTE format('CREATE SEQUENCE lc.clock_%s', n);
	END LOOP;
END
$$;

CREATE FUNCTION lc.tick(n integer) RETURNS bigint
LANGUAGE sql VOLATILE
RETURN nextval(format('lc.clock_%s', n)::regclass);

-- The last tick drawn (0 before any), without drawing one.
CREATE FUNCTION lc.clock_now(n integer) RETURNS bigint
LANGUAGE sql STABLE
RETURN coalesce((SELECT s.last_value FROM pg_sequences s
				  WHERE s.schemaname = 'lc' AND s.sequencename = 'clock_' || n), 0);

CREATE SEQUENCE lc.seq;
CREATE SEQUENCE lc.s4_counter;

-- The UTC date and time properties of an instant.
CREATE FUNCTION lc.utc_date(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD');

CREATE FUNCTION lc.utc_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN to_char(t AT TIME ZONE 'UTC', 'HH24:MI:SS');

-- The start and end of a response object (SPEC 5), as instants.
CREATE FUNCTION lc.resp_start(r jsonb) RETURNS timestamptz
LANGUAGE sql IMMUTABLE
RETURN (left(r->>'startDateUtc', 10) || ' ' || (r->>'startTimeUtc') || '+00')::timestamptz;

CREATE FUNCTION lc.resp_end(r jsonb) RETURNS timestamptz
LANGUAGE sql IMMUTABLE
RETURN (left(r->>'endDateUtc', 10) || ' ' || (r->>'endTimeUtc') || '+00')::timestamptz;

/*
 * One outcome per call.  phase: the scenario's phase (s1, s1rr, s1mutant,
 * s2, s3, s3o, s4, s5, s5mutant); path: pgbench (the call in a PL/pgSQL
 * block that catches its error), raw (psql calling the function, the error
 * reaching the client) or mutant; op: the function, or what the call did
 * (stopped-by-start: the entry a start_timer stopped, read in its
 * transaction); variant: what the call asked (the patch, the request's
 * variant, the face).  A success has ok, the response (resp) and its
 * resourceVersion (version); row: the row as stored right after the call,
 * in its transaction.  A refusal has sqlstate, code (CONSTRAINT_NAME or the
 * error object's code) and property (COLUMN_NAME or the first property).
 * t_start/t_end: clock time around the call; xact_ts: the transaction's
 * timestamp.  The log is written in the call's transaction.
 */
CREATE UNLOGGED TABLE lc.outcome (
	seq			bigserial PRIMARY KEY,
	phase		text NOT NULL,
	path		text NOT NULL,
	op			text NOT NULL,
	variant		text,
	user_no		integer,
	entry_id	uuid,
	expected	bigint,
	with_expected boolean NOT NULL DEFAULT false,
	ok			boolean NOT NULL,
	resp		jsonb,
	version		bigint,
	row_after	jsonb,
	sqlstate	text,
	code		text,
	property	text,
	message		text,
	t_start		timestamptz,
	t_end		timestamptz,
	xact_ts		timestamptz NOT NULL DEFAULT now(),
	isolation	text NOT NULL DEFAULT current_setting('transaction_isolation'),
	extra		jsonb
);
CREATE INDEX ON lc.outcome (phase, entry_id);

-- The phases run so far, with their settings (for the checks).
CREATE TABLE lc.phase (
	phase		text PRIMARY KEY,
	max_duration integer,
	prevent_overlaps boolean NOT NULL
);

-- Set the workspace's settings for a phase, and note them.
CREATE FUNCTION lc.begin_phase(ph text, no_overlaps boolean, max_duration integer) RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
	UPDATE time_entry.settings SET prevent_overlaps = no_overlaps, max_duration = begin_phase.max_duration;
	INSERT INTO lc.phase VALUES (ph, begin_phase.max_duration, no_overlaps)
	ON CONFLICT (phase) DO UPDATE SET max_duration = excluded.max_duration,
									  prevent_overlaps = excluded.prevent_overlaps;
END;

-- Log a refusal caught in PL/pgSQL.
CREATE FUNCTION lc.log_error(ph text, pth text, op text, variant text, user_no integer, entry_id uuid,
							 expected bigint, with_expected boolean, st text, cn text, col text,
							 msg text, t_start timestamptz, extra jsonb DEFAULT NULL) RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, expected, with_expected, ok,
							sqlstate, code, property, message, t_start, t_end, extra)
	VALUES (ph, pth, op, variant, user_no, entry_id, expected, with_expected, false,
			st, nullif(cn, ''), nullif(col, ''), msg, t_start, clock_timestamp(), extra);
END;

-- Log a success; the row as stored now is read in the call's transaction.
CREATE FUNCTION lc.log_ok(ph text, pth text, op text, variant text, user_no integer, entry_id uuid,
						  expected bigint, with_expected boolean, resp jsonb, t_start timestamptz,
						  extra jsonb DEFAULT NULL) RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, expected, with_expected, ok,
							resp, version, row_after, t_start, t_end, extra)
	VALUES (ph, pth, op, variant, user_no, coalesce((resp->>'id')::uuid, entry_id), expected,
			with_expected, true, resp, coalesce(resp->>'resourceVersion', resp->>'resource_version')::bigint,
			(SELECT to_jsonb(e) FROM time_entry.time_entries e WHERE e.id = (resp->>'id')::uuid),
			t_start, clock_timestamp(), extra);
END;

/*
 * For the given seconds, every 20 ms, the sessions of this database waiting
 * for a lock (a row lock of an entry or a user, in this load): "samples
 * with a waiting session, samples, most waiting at once".
 */
CREATE FUNCTION lc.sample_lock_waits(seconds double precision) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	deadline timestamptz := clock_timestamp() + seconds * interval '1 second';
	n		integer;
	samples integer := 0;
	waiting integer := 0;
	most	integer := 0;
BEGIN
	WHILE clock_timestamp() < deadline LOOP
		PERFORM pg_stat_clear_snapshot();
		SELECT count(*) INTO n FROM pg_stat_activity
		 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid();
		samples := samples + 1;
		waiting := waiting + (n > 0)::integer;
		most := greatest(most, n);
		PERFORM pg_sleep(0.02);
	END LOOP;
	RETURN format('%s %s %s', waiting, samples, most);
END
$$;

/* ---- scenario 1: update_entry from one expected_version ---------------- */

-- The entries of scenario 1, by phase: k = 1..4, two for each of users 1, 2.
CREATE TABLE lc.s1_entries (
	phase		text NOT NULL,
	k			integer NOT NULL,
	id			uuid NOT NULL,
	user_no		integer NOT NULL,
	initial_version bigint NOT NULL,
	PRIMARY KEY (phase, k)
);

CREATE FUNCTION lc.s1_make_entries(ph text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	r jsonb;
BEGIN
	FOR k IN 1..4 LOOP
		r := time_entry.create_entry(jsonb_build_object(
				'userId', lc.uid(1 + (k - 1) / 2), 'typeOfWorkId', lc.tow(), 'timezone', 'UTC',
				'startDateUtc', format('2025-01-0%s', 3 + (k - 1) / 2),
				'startTimeUtc', CASE WHEN k % 2 = 1 THEN '09:00' ELSE '15:00' END,
				'duration', 1800, 'note', ph || ' initial'),
			lc.uid(1 + (k - 1) / 2));
		INSERT INTO lc.s1_entries VALUES (ph, k, (r->>'id')::uuid, 1 + (k - 1) / 2,
										  (r->>'resourceVersion')::bigint);
	END LOOP;
END
$$;

-- A patch for scenario 1: always a new note, now and then a new duration
-- or start (the end follows).
CREATE FUNCTION lc.s1_patch(ph text, OUT patch jsonb, OUT kind text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	r double precision := random();
BEGIN
	patch := jsonb_build_object('note', format('%s %s', ph, nextval('lc.seq')));
	kind := 'note';
	IF r < 0.3 THEN
		patch := patch || jsonb_build_object('duration', 600 + 60 * floor(random() * 30)::integer);
		kind := 'note+duration';
	ELSIF r < 0.5 THEN
		patch := patch || jsonb_build_object('startTimeUtc',
			to_char(time '06:00' + floor(random() * 600) * interval '1 minute', 'HH24:MI'));
		kind := 'note+start';
	END IF;
END
$$;

-- The actor of a call on user n's entry: n, the member 21, or the admin.
CREATE FUNCTION lc.some_actor(n integer) RETURNS uuid
LANGUAGE sql VOLATILE
RETURN CASE WHEN random() < 0.6 THEN lc.uid(n) WHEN random() < 0.6 THEN lc.uid(21) ELSE lc.uid(0) END;

/*
 * The mechanism without its lock (the mutant of scenario 1): compare the
 * version read without a lock, then update.  Two calls from one version
 * both pass the comparison and both write: the checks must catch it.
 */
CREATE FUNCTION lc.mutant_update(id uuid, patch jsonb, actor uuid, expected bigint) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	IF (SELECT e.resource_version FROM time_entry.time_entries e WHERE e.id = mutant_update.id) <> expected THEN
		RAISE EXCEPTION 'entry % has changed since version %', id, expected
			USING ERRCODE = '40001', COLUMN = 'resourceVersion', CONSTRAINT = 'version-conflict';
	END IF;
	PERFORM pg_sleep(0.001);
	RETURN time_entry.update_entry(id, patch, actor);
END
$$;

/*
 * One call of scenario 1: read entry k's version, then update it from that
 * version.  A success holds its row lock 2 ms longer (until its commit), so
 * that the calls that read the same version meet it locked.
 */
CREATE FUNCTION lc.s1_update(ph text, pth text, k integer) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	e		record;
	v		bigint;
	p		record;
	actor	uuid;
	resp	jsonb;
	t0		timestamptz;
	st		text;
	cn		text;
	col		text;
	msg		text;
BEGIN
	SELECT s.id, s.user_no INTO STRICT e FROM lc.s1_entries s WHERE s.phase = ph AND s.k = s1_update.k;
	SELECT x.resource_version INTO STRICT v FROM time_entry.time_entries x WHERE x.id = e.id;
	SELECT * INTO p FROM lc.s1_patch(ph);
	actor := lc.some_actor(e.user_no);
	t0 := clock_timestamp();
	BEGIN
		IF pth = 'mutant' THEN
			resp := lc.mutant_update(e.id, p.patch, actor, v);
		ELSE
			resp := time_entry.update_entry(e.id, p.patch, actor, v);
		END IF;
		PERFORM lc.log_ok(ph, pth, 'update_entry', p.kind, e.user_no, e.id, v, true, resp, t0,
						  jsonb_build_object('k', k, 'actor', actor));
		PERFORM pg_sleep(0.002);
		-- the row lock is held from the update until the commit, just after
		UPDATE lc.outcome SET extra = extra || jsonb_build_object('held_until', clock_timestamp())
		 WHERE seq = currval('lc.outcome_seq_seq');
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME, msg = MESSAGE_TEXT;
		PERFORM lc.log_error(ph, pth, 'update_entry', p.kind, e.user_no, e.id, v, true, st, cn, col, msg, t0,
							 jsonb_build_object('k', k, 'actor', actor));
	END;
END
$$;

-- What a psql client of scenario 1 sends: entry k, its version now, a patch.
CREATE FUNCTION lc.s1_pick(ph text, OUT k integer, OUT id uuid, OUT v bigint, OUT patch jsonb,
						   OUT kind text, OUT actor uuid)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	p record;
	n integer;
BEGIN
	k := 1 + floor(random() * 4)::integer;
	SELECT s.id, s.user_no INTO id, n FROM lc.s1_entries s WHERE s.phase = ph AND s.k = s1_pick.k;
	SELECT e.resource_version INTO v FROM time_entry.time_entries e WHERE e.id = s1_pick.id;
	SELECT * INTO p FROM lc.s1_patch(ph);
	patch := p.patch;
	kind := p.kind;
	actor := lc.some_actor(n);
END
$$;

/* ---- scenario 2: start_timer racing for one user ---------------------- */

/*
 * A timer for user n (3 to 6), started with start_timer; then, in the same
 * transaction (the user's lock still held), the user's running entries are
 * counted and the entry this call stopped (the row the same subtransaction
 * wrote, its xmin the new row's) is read: what every commit leaves.  Users 3 and 4 start at their virtual clock (fixed past times, a
 * minute a tick, two hours' jump every 20 ticks: over max_duration, so the
 * stop is capped); users 5 and 6 at the statement's time, or a moment
 * before it.  A call that drew its time earlier may reach the lock later
 * than one that drew a later time: it is refused (23514, SPEC 9.4).
 */
CREATE FUNCTION lc.s2_start(n integer) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	req		jsonb;
	variant text;
	tick	bigint;
	s		timestamptz;
	actor	uuid := CASE WHEN random() < 0.8 THEN lc.uid(n) ELSE lc.uid(21) END;
	resp	jsonb;
	running integer;
	stopped jsonb;
	t0		timestamptz;
	st		text;
	cn		text;
	col		text;
	msg		text;
BEGIN
	req := jsonb_build_object('userId', lc.uid(n), 'typeOfWorkId', lc.tow(), 'timezone', 'UTC', 'note', 's2');
	IF n IN (3, 4) THEN
		tick := lc.tick(n);
		s := timestamptz '2025-01-10 00:00:00+00' + (tick + 120 * (tick / 20)) * interval '1 minute';
		req := req || jsonb_build_object('startDateUtc', lc.utc_date(s), 'startTimeUtc', lc.utc_time(s));
		variant := 'past';
	ELSIF random() < 0.5 THEN
		variant := 'now';
	ELSE
		s := statement_timestamp() - random() * interval '2 seconds';
		req := req || jsonb_build_object('startDateUtc',
			to_char(s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
		variant := 'now-jitter';
	END IF;
	t0 := clock_timestamp();
	BEGIN
		resp := time_entry.start_timer(req, actor);
		SELECT count(*) INTO running FROM time_entry.time_entries e
		 WHERE e.user_id = lc.uid(n) AND e.start_at IS NOT NULL AND e.end_at IS NULL;
		-- the entry this call stopped: written by the same (sub)transaction
		SELECT to_jsonb(e) INTO stopped FROM time_entry.time_entries e, time_entry.time_entries w
		 WHERE w.id = (resp->>'id')::uuid AND e.user_id = lc.uid(n) AND e.id <> w.id AND e.xmin = w.xmin;
		PERFORM lc.log_ok('s2', 'pgbench', 'start_timer', variant, n, NULL, NULL, false, resp, t0,
						  jsonb_build_object('running_after', running, 'stopped', stopped,
											 'start', s, 'actor', actor));
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME, msg = MESSAGE_TEXT;
		PERFORM lc.log_error('s2', 'pgbench', 'start_timer', variant, n, NULL, NULL, false, st, cn, col, msg, t0,
							 jsonb_build_object('start', s, 'actor', actor));
	END;
END
$$;

/* ---- scenario 3: stop_timer, update_entry, delete_entry ---------------- */

-- User n's running entry as it is now (unlocked): the target of a call.
CREATE FUNCTION lc.running_of(n integer) RETURNS time_entry.time_entries
LANGUAGE sql STABLE
RETURN (SELECT e FROM time_entry.time_entries e
		 WHERE e.user_id = lc.uid(n) AND e.start_at IS NOT NULL AND e.end_at IS NULL);

/*
 * One call of scenario 3 (phase s3 or s3o) on a random user of 7 to 9:
 *   start   start_timer at the user's virtual clock (2 minutes a tick, fixed
 *           past times); the entry it stopped is logged too;
 *   stop    stop_timer, at the default end (now: capped at max_duration) or
 *           at the user's clock (read before the call: a newer timer may
 *           start before it, and the end is then before its start);
 * With max_duration at one tick (120 s), a stop ends at the latest where
 * the next timer starts, so that under prevent_overlaps (s3o) timers are
 * not refused for an entry a stop left too long.
 *   update  update_entry of the user's running entry as read a moment
 *           before: its note, its start (a minute earlier), or its end or
 *           duration (a minute; refused while it runs: 55000); half the
 *           time with the version read;
 *   delete  delete_entry of the same, half the time with the version read.
 */
CREATE FUNCTION lc.s3_call(ph text, op text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	n		integer := 7 + floor(random() * 3)::integer;
	actor	uuid := CASE WHEN random() < 0.7 THEN lc.uid(n) ELSE lc.uid(21) END;
	target	time_entry.time_entries;
	with_v	boolean := random() < 0.5;
	variant text;
	req		jsonb;
	s		timestamptz;
	endat	timestamptz;
	resp	jsonb;
	stopped jsonb;
	r		double precision := random();
	t0		timestamptz;
	st		text;
	cn		text;
	col		text;
	msg		text;
BEGIN
	IF op IN ('update_entry', 'delete_entry') THEN
		target := lc.running_of(n);
		IF target.id IS NULL THEN
			RETURN;
		END IF;
	END IF;
	IF op = 'start_timer' THEN
		s := timestamptz '2025-01-15 00:00:00+00' + lc.tick(n) * interval '2 minutes';
		req := jsonb_build_object('userId', lc.uid(n), 'typeOfWorkId', lc.tow(), 'timezone', 'UTC',
								  'note', ph, 'startDateUtc', lc.utc_date(s), 'startTimeUtc', lc.utc_time(s));
		variant := 'clock';
	ELSIF op = 'stop_timer' THEN
		IF r < 0.5 THEN
			variant := 'default end';
		ELSE
			endat := timestamptz '2025-01-15 00:00:00+00' + (lc.clock_now(n) + 1) * interval '2 minutes';
			variant := 'end at clock';
		END IF;
	ELSIF op = 'update_entry' THEN
		IF r < 0.4 THEN
			req := jsonb_build_object('note', format('%s update %s', ph, nextval('lc.seq')));
			variant := 'note';
		ELSIF r < 0.65 THEN
			s := target.start_at - interval '1 minute';
			req := jsonb_build_object('startDateUtc', lc.utc_date(s), 'startTimeUtc', lc.utc_time(s));
			variant := 'start';
		ELSIF r < 0.85 THEN
			req := jsonb_build_object('duration', 60);
			variant := 'duration';
		ELSE
			s := target.start_at + interval '1 minute';
			req := jsonb_build_object('endDateUtc', lc.utc_date(s), 'endTimeUtc', lc.utc_time(s));
			variant := 'end';
		END IF;
	ELSE
		variant := 'delete';
	END IF;
	t0 := clock_timestamp();
	BEGIN
		CASE op
		WHEN 'start_timer' THEN
			resp := time_entry.start_timer(req, actor);
			-- the entry this call stopped: written by the same (sub)transaction
			SELECT to_jsonb(e) INTO stopped FROM time_entry.time_entries e, time_entry.time_entries w
			 WHERE w.id = (resp->>'id')::uuid AND e.user_id = lc.uid(n) AND e.id <> w.id AND e.xmin = w.xmin;
		WHEN 'stop_timer' THEN
			resp := time_entry.stop_timer(lc.uid(n), actor, endat);
		WHEN 'update_entry' THEN
			resp := time_entry.update_entry(target.id, req, actor,
											CASE WHEN with_v THEN target.resource_version END);
		ELSE
			resp := time_entry.delete_entry(target.id, actor,
											CASE WHEN with_v THEN target.resource_version END);
		END CASE;
		PERFORM lc.log_ok(ph, 'pgbench', op, variant, n, target.id,
						  CASE WHEN with_v THEN target.resource_version END,
						  with_v AND target.id IS NOT NULL, resp, t0,
						  jsonb_build_object('actor', actor, 'end_at', endat, 'read', to_jsonb(target)));
		IF stopped IS NOT NULL THEN
			INSERT INTO lc.outcome (phase, path, op, variant, user_no, entry_id, ok, version, row_after,
									t_start, t_end)
			VALUES (ph, 'pgbench', 'stopped-by-start', NULL, n, (stopped->>'id')::uuid, true,
					(stopped->>'resource_version')::bigint, stopped, t0, clock_timestamp());
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME, msg = MESSAGE_TEXT;
		PERFORM lc.log_error(ph, 'pgbench', op, variant, n, target.id,
							 CASE WHEN with_v THEN target.resource_version END,
							 with_v AND target.id IS NOT NULL, st, cn, col, msg, t0,
							 jsonb_build_object('actor', actor, 'end_at', endat, 'read', to_jsonb(target)));
	END;
END
$$;

/* ---- scenario 4: the same request id from several clients -------------- */

-- The request id of request n.
CREATE FUNCTION lc.s4_id(n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE
RETURN md5('lc s4 ' || n)::uuid;

/*
 * Request n of scenario 4, as a variant sends it: canonical (the request
 * itself, by its user), or another request with the same id: another note
 * (note), another user (user: another user's lock), another actor
 * (actor).  Kinds, by n: timed (n mod 5 in 0..2: users 10 to 13, each n at
 * a time of its own on fixed days of 2025, so that no two overlap), timer
 * (3: users 14, 15, at fixed past times that grow with n) and timer-now (4:
 * user 16, at the statement's time).
 */
CREATE FUNCTION lc.s4_request(n bigint, variant text, OUT req jsonb, OUT actor uuid, OUT kind text,
							  OUT user_no integer, OUT start_at timestamptz, OUT end_at timestamptz)
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	kind := CASE n % 5 WHEN 3 THEN 'timer' WHEN 4 THEN 'timer-now' ELSE 'timed' END;
	CASE kind
	WHEN 'timed' THEN
		user_no := 10 + (n % 4)::integer;
		start_at := timestamptz '2025-02-01 00:00:00+00' + n * interval '10 minutes';
		end_at := start_at + interval '5 minutes';
	WHEN 'timer' THEN
		user_no := 14 + ((n / 5) % 2)::integer;
		start_at := timestamptz '2025-03-01 00:00:00+00' + n * interval '1 minute';
	ELSE
		user_no := 16;
	END CASE;
	actor := lc.uid(user_no);
	IF variant = 'user' THEN
		user_no := CASE WHEN user_no = 13 THEN 10 ELSE user_no + 1 END;
	ELSIF variant = 'actor' THEN
		actor := lc.uid(21);
	END IF;
	req := jsonb_build_object('id', lc.s4_id(n), 'userId', lc.uid(user_no), 'typeOfWorkId', lc.tow(),
							  'timezone', 'UTC',
							  'note', CASE WHEN variant = 'note' THEN format('s4 %s other', n)
										   ELSE format('s4 %s', n) END);
	IF start_at IS NOT NULL THEN
		req := req || jsonb_build_object('startDateUtc', lc.utc_date(start_at),
										 'startTimeUtc', lc.utc_time(start_at));
	END IF;
	IF kind = 'timed' THEN
		req := req || jsonb_build_object('duration', 300);
	END IF;
END
$$;

-- The next request of the load: about six calls for each n, so that the
-- clients send each id at about the same moment; mostly canonical.
CREATE FUNCTION lc.s4_draw(timed_only boolean, OUT n bigint, OUT variant text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	r double precision := random();
BEGIN
	LOOP
		n := nextval('lc.s4_counter') / 6;
		EXIT WHEN NOT timed_only OR n % 5 NOT IN (3, 4);
	END LOOP;
	variant := CASE WHEN r < 0.85 THEN 'canonical' WHEN r < 0.92 THEN 'note'
					WHEN r < 0.96 AND n % 5 NOT IN (3, 4) THEN 'user' WHEN r < 0.96 THEN 'note'
					ELSE 'actor' END;
END
$$;

-- Log one result row of try_create_entry or import_entries (scenario 4).
CREATE FUNCTION lc.s4_log(face text, d record, q record, t record, t0 timestamptz) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	IF t.error IS NULL THEN
		PERFORM lc.log_ok('s4', 'pgbench', face, d.variant, q.user_no, lc.s4_id(d.n), NULL, false,
						  jsonb_build_object('id', t.id), t0,
						  jsonb_build_object('n', d.n, 'kind', q.kind, 'element', t.ord));
	ELSE
		PERFORM lc.log_error('s4', 'pgbench', face, d.variant, q.user_no, lc.s4_id(d.n), NULL, false,
							 t.error->>'sqlstate', t.error->>'code',
							 t.error->'validationErrors'->0->>'property', t.error->>'description', t0,
							 jsonb_build_object('n', d.n, 'kind', q.kind, 'element', t.ord));
	END IF;
END
$$;

/*
 * One call of scenario 4 by a face drawn at random: timed requests through
 * create_entry (jsonb), try_create_entry, import_entries (one element, or
 * the request twice in one call), the typed create_entry; timers through
 * start_timer.
 */
CREATE FUNCTION lc.s4_call() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	d		record;
	q		record;
	face	text;
	r		double precision := random();
	resp	jsonb;
	t		record;
	t0		timestamptz;
	st		text;
	cn		text;
	col		text;
	msg		text;
BEGIN
	SELECT * INTO d FROM lc.s4_draw(false);
	SELECT * INTO q FROM lc.s4_request(d.n, d.variant);
	face := CASE WHEN q.kind <> 'timed' THEN 'start_timer'
				 WHEN r < 0.25 THEN 'create_entry' WHEN r < 0.5 THEN 'try_create_entry'
				 WHEN r < 0.65 THEN 'import_entries' WHEN r < 0.8 THEN 'import_entries x2'
				 ELSE 'create_entry typed' END;
	t0 := clock_timestamp();
	IF face IN ('try_create_entry', 'import_entries', 'import_entries x2') THEN
		-- the error comes back as an object: nothing to catch but the unexpected
		BEGIN
			IF face = 'try_create_entry' THEN
				FOR t IN SELECT c.id, c.error, 1 AS ord FROM time_entry.try_create_entry(q.req, q.actor) c LOOP
					PERFORM lc.s4_log(face, d, q, t, t0);
				END LOOP;
			ELSE
				FOR t IN SELECT i.id, i.error, i.ordinal AS ord
						   FROM time_entry.import_entries(CASE WHEN face = 'import_entries' THEN jsonb_build_array(q.req)
															   ELSE jsonb_build_array(q.req, q.req) END, q.actor) i LOOP
					PERFORM lc.s4_log(face, d, q, t, t0);
				END LOOP;
			END IF;
		EXCEPTION WHEN OTHERS THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME, msg = MESSAGE_TEXT;
			PERFORM lc.log_error('s4', 'pgbench', face, d.variant, q.user_no, lc.s4_id(d.n), NULL, false,
								 st, cn, col, msg, t0, jsonb_build_object('n', d.n, 'kind', q.kind, 'raised', true));
		END;
		RETURN;
	END IF;
	BEGIN
		IF face = 'start_timer' THEN
			resp := time_entry.start_timer(q.req, q.actor);
		ELSIF face = 'create_entry' THEN
			resp := time_entry.create_entry(q.req, q.actor);
		ELSE
			resp := to_jsonb(time_entry.create_entry(
					user_id => lc.uid(q.user_no), type_of_work_id => lc.tow(), timezone => 'UTC',
					start_at => q.start_at, end_at => q.end_at, note => q.req->>'note',
					actor => q.actor, id => lc.s4_id(d.n)));
		END IF;
		PERFORM lc.log_ok('s4', 'pgbench', face, d.variant, q.user_no, lc.s4_id(d.n), NULL, false, resp, t0,
						  jsonb_build_object('n', d.n, 'kind', q.kind));
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME, msg = MESSAGE_TEXT;
		PERFORM lc.log_error('s4', 'pgbench', face, d.variant, q.user_no, lc.s4_id(d.n), NULL, false,
							 st, cn, col, msg, t0, jsonb_build_object('n', d.n, 'kind', q.kind));
	END;
END
$$;

/* ---- scenario 5: update_entry moving entries under prevent_overlaps ---- */

-- Eight entries of 20 minutes for each user 17-20 (three for the mutant's
-- 22, 23) on 2025-01-20 between 08:00 and 14:00, apart.
CREATE FUNCTION lc.s5_make_entries() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s timestamptz;
BEGIN
	FOR n IN 17..23 LOOP
		CONTINUE WHEN n = 21;
		FOR i IN 0..CASE WHEN n >= 22 THEN 2 ELSE 7 END LOOP
			s := timestamptz '2025-01-20 08:00:00+00' + i * interval '45 minutes';
			PERFORM time_entry.create_entry(jsonb_build_object(
				'userId', lc.uid(n), 'typeOfWorkId', lc.tow(), 'timezone', 'UTC',
				'startDateUtc', lc.utc_date(s), 'startTimeUtc', lc.utc_time(s),
				'duration', 1200, 'note', 's5 initial'), lc.uid(n));
		END LOOP;
	END LOOP;
END
$$;

/*
 * The mutant of scenario 5: the overlap check without the user's lock, on
 * the snapshot, then the write as the admin (exempt, so the extension
 * checks nothing).  Two moves into one free slot both pass: the checker
 * must find the overlap.
 */
CREATE FUNCTION lc.mutant_move(id uuid, patch jsonb, start_at timestamptz, end_at timestamptz,
							   user_id uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	IF EXISTS (SELECT FROM time_entry.time_entries e
				WHERE e.user_id = mutant_move.user_id AND e.id <> mutant_move.id AND e.start_at IS NOT NULL
				  AND tstzrange(e.start_at, coalesce(e.end_at, 'infinity')) && tstzrange(mutant_move.start_at, mutant_move.end_at)) THEN
		RAISE EXCEPTION 'the time entry overlaps another time entry of the user'
			USING ERRCODE = '23P01', COLUMN = 'startTimeUtc', CONSTRAINT = 'invalid-operation';
	END IF;
	PERFORM pg_sleep(0.005);
	RETURN time_entry.update_entry(id, patch, lc.uid(0));
END
$$;

/*
 * One call of scenario 5: a random entry of a random user (17-20; the
 * mutant: 22, 23) moved within 08:00-14:00 of its day in 10-minute steps,
 * resized (10 to 40 minutes), both, given another end, or given to another
 * user of the group; a third of the calls with the version read.  A success
 * counts, in its transaction (the user's lock held), the entries the one
 * it wrote overlaps, and holds the lock 2 ms longer, until its commit.
 */
CREATE FUNCTION lc.s5_move(ph text, pth text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	mutant	boolean := pth = 'mutant';
	n		integer := CASE WHEN mutant THEN 22 + floor(random() * 2)::integer
							ELSE 17 + floor(random() * 4)::integer END;
	e		time_entry.time_entries;
	actor	uuid := CASE WHEN random() < 0.7 THEN lc.uid(n) ELSE lc.uid(21) END;
	with_v	boolean := NOT mutant AND random() < 0.33;
	r		double precision := CASE WHEN mutant THEN 0 ELSE random() END;
	s		timestamptz;
	len		interval;
	patch	jsonb;
	variant text;
	other	integer;
	overlapping integer;
	resp	jsonb;
	t0		timestamptz;
	st		text;
	cn		text;
	col		text;
	msg		text;
BEGIN
	SELECT * INTO e FROM time_entry.time_entries x WHERE x.user_id = lc.uid(n) ORDER BY random() LIMIT 1;
	IF e.id IS NULL THEN
		RETURN;
	END IF;
	-- the mutant aims at 6 slots only (its three entries of 20 minutes
	-- leave room in them), so that its moves meet
	s := date_trunc('day', e.start_at) + interval '8 hours'
		 + floor(random() * CASE WHEN mutant THEN 6 ELSE 36 END) * interval '10 minutes';
	len := (1 + floor(random() * 4)) * interval '10 minutes';
	IF r < 0.4 THEN
		patch := jsonb_build_object('startTimeUtc', lc.utc_time(s));
		variant := 'move';
	ELSIF r < 0.6 THEN
		patch := jsonb_build_object('duration', extract(epoch FROM len)::integer);
		variant := 'resize';
	ELSIF r < 0.8 THEN
		patch := jsonb_build_object('startDateUtc', lc.utc_date(s), 'startTimeUtc', lc.utc_time(s),
									'duration', extract(epoch FROM len)::integer);
		variant := 'move+resize';
	ELSIF r < 0.9 THEN
		patch := jsonb_build_object('endTimeUtc', lc.utc_time(e.start_at + len));
		variant := 'end';
	ELSE
		other := 17 + ((n - 17 + 1 + floor(random() * 3)::integer) % 4);
		patch := jsonb_build_object('userId', lc.uid(other));
		variant := 'reassign';
	END IF;
	t0 := clock_timestamp();
	BEGIN
		IF mutant THEN
			resp := lc.mutant_move(e.id, patch, s, s + (e.end_at - e.start_at), e.user_id);
		ELSE
			resp := time_entry.update_entry(e.id, patch, actor, CASE WHEN with_v THEN e.resource_version END);
		END IF;
		-- the entry as written, against the user's others as committed now
		SELECT count(*) INTO overlapping FROM time_entry.time_entries x, time_entry.time_entries w
		 WHERE w.id = e.id AND x.user_id = w.user_id AND x.id <> w.id AND x.start_at IS NOT NULL
		   AND tstzrange(x.start_at, coalesce(x.end_at, 'infinity')) && tstzrange(w.start_at, w.end_at);
		PERFORM lc.log_ok(ph, pth, 'update_entry', variant, n, e.id,
						  CASE WHEN with_v THEN e.resource_version END, with_v, resp, t0,
						  jsonb_build_object('actor', actor, 'read', to_jsonb(e), 'overlaps_at_commit', overlapping));
		PERFORM pg_sleep(0.002);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME, msg = MESSAGE_TEXT;
		PERFORM lc.log_error(ph, pth, 'update_entry', variant, n, e.id,
							 CASE WHEN with_v THEN e.resource_version END, with_v, st, cn, col, msg, t0,
							 jsonb_build_object('actor', actor, 'read', to_jsonb(e)));
	END;
END
$$;

COMMIT;

ANALYZE;
