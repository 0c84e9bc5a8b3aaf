-- The checkers of the lifecycle concurrency suite, as functions of schema
-- lc over any table shaped like time_entries (so that each is shown to find
-- what it looks for on a control table of broken rows, lc.control), and the
-- outcomes the SPEC allows in each phase.  Loaded after setup.sql;
-- test/lifecycle_concurrency.test.sh asserts on them.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

BEGIN;

/*
 * Rows of tab whose invariants (SPEC 1.2, 8) do not hold, with the broken
 * one.  The load writes only timed and running entries in UTC.
 */
CREATE FUNCTION lc.bad_rows(tab regclass)
RETURNS TABLE (id uuid, broken text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY EXECUTE format($q$
	SELECT e.id, c.broken
	  FROM %s e
	 CROSS JOIN LATERAL (VALUES
		('user_id set', e.user_id IS NOT NULL),
		('start set (no date-only entry in this load)', e.start_at IS NOT NULL),
		('duration >= 0', e.duration >= 0),
		('break_duration = 0', e.break_duration = 0),
		('end >= start', e.end_at IS NULL OR e.end_at >= e.start_at),
		('stopped: duration = floor(end - start) - break',
		 e.end_at IS NULL OR e.duration = floor(extract(epoch FROM e.end_at) - extract(epoch FROM e.start_at)) - e.break_duration),
		('running: duration 0', e.end_at IS NOT NULL OR e.duration = 0),
		('date_local is the day of the start in timezone', e.date_local = (e.start_at AT TIME ZONE e.timezone)::date),
		('timezone UTC', e.timezone = 'UTC'),
		('is_billed implies is_billable', NOT e.is_billed OR e.is_billable),
		('not external', NOT e.is_external),
		('audit fields set', e.created_by IS NOT NULL AND e.updated_by IS NOT NULL
			AND e.created_on IS NOT NULL AND e.updated_on IS NOT NULL AND e.resource_version > 0)
	 ) AS c(broken, holds)
	 WHERE c.holds IS NOT TRUE$q$, tab);
END
$$;

/*
 * Timed entries of tab (of the users given) that overlap an entry of the
 * same user that starts before them (or at the same instant, ordered by
 * id): [start, end), [start, infinity) while running; touching entries and
 * empty ranges do not overlap.  A running maximum of the ends so far, in
 * order of start: linear in the rows, not quadratic.
 */
CREATE FUNCTION lc.overlaps(tab regclass, users uuid[])
RETURNS TABLE (user_id uuid, id uuid, start_at timestamptz, end_at timestamptz, ends_before timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY EXECUTE format($q$
	SELECT x.user_id, x.id, x.start_at, x.end_at, x.ends_before
	  FROM (SELECT e.user_id, e.id, e.start_at, e.end_at,
				   max(coalesce(e.end_at, 'infinity')) OVER (PARTITION BY e.user_id ORDER BY e.start_at, e.id
					   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ends_before
			  FROM %s e
			 WHERE e.user_id = ANY ($1) AND e.start_at IS NOT NULL
			   AND coalesce(e.end_at, 'infinity') > e.start_at) x
	 WHERE x.start_at < x.ends_before$q$, tab) USING users;
END
$$;

-- Users of tab with more than one running entry.
CREATE FUNCTION lc.running_twice(tab regclass)
RETURNS TABLE (user_id uuid, running bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY EXECUTE format($q$
	SELECT e.user_id, count(*) FROM %s e
	 WHERE e.start_at IS NOT NULL AND e.end_at IS NULL
	 GROUP BY 1 HAVING count(*) > 1$q$, tab);
END
$$;

/*
 * The timers of users that only start_timer wrote (scenario 2): in order
 * of start, every entry but the last is stopped, at the next one's start,
 * or capped at its start + max_duration before it; the last one runs.
 */
CREATE FUNCTION lc.timer_chain(tab regclass, users uuid[], max_duration integer)
RETURNS TABLE (user_id uuid, id uuid, problem text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY EXECUTE format($q$
	SELECT x.user_id, x.id, p.problem
	  FROM (SELECT e.*, lead(e.start_at) OVER w AS next_start,
				   row_number() OVER w = count(*) OVER (PARTITION BY e.user_id) AS last
			  FROM %s e
			 WHERE e.user_id = ANY ($1)
			WINDOW w AS (PARTITION BY e.user_id ORDER BY e.start_at, e.id)) x
	 CROSS JOIN LATERAL (VALUES
		('the latest timer does not run', x.last AND x.end_at IS NOT NULL),
		('an earlier timer still runs', NOT x.last AND x.end_at IS NULL),
		('ends after the next timer starts', NOT x.last AND x.end_at > x.next_start),
		('stopped neither at the next start nor capped at max_duration',
		 NOT x.last AND x.end_at <> x.next_start
		 AND x.end_at IS DISTINCT FROM x.start_at + $2 * interval '1 second'),
		('longer than max_duration', x.end_at - x.start_at > $2 * interval '1 second')
	 ) AS p(problem, found)
	 WHERE p.found IS TRUE$q$, tab) USING users, max_duration;
END
$$;

/*
 * Does the SPEC allow this outcome in its phase?  A success always; a
 * refusal only with the SQLSTATE, code and property of a rule the call can
 * meet (SPEC 7.1, 9).  Anything else -- a deadlock (40P01), a serialization
 * failure without the version-conflict code, a raw constraint violation,
 * an internal error -- is unexpected.  The raw serialization failure of a
 * row changed after the snapshot is allowed in REPEATABLE READ (s1rr) only,
 * and counted apart.
 */
CREATE FUNCTION lc.allowed(o lc.outcome) RETURNS boolean
LANGUAGE sql STABLE AS $$
SELECT o.ok OR CASE
	WHEN o.phase IN ('s1', 's1mutant') THEN
		(o.sqlstate, o.code, o.property) = ('40001', 'version-conflict', 'resourceVersion')
	WHEN o.phase = 's1rr' THEN
		(o.sqlstate, o.code, o.property) = ('40001', 'version-conflict', 'resourceVersion')
		OR (o.sqlstate = '40001' AND o.code IS NULL AND o.message LIKE 'could not serialize access%')
	WHEN o.phase = 's2' THEN
		(o.sqlstate, o.code) = ('23514', 'date-dependency') AND o.property IN ('startDateUtc', 'startTimeUtc')
	WHEN o.phase IN ('s3', 's3o') THEN
		CASE o.op
		WHEN 'start_timer' THEN
			((o.sqlstate, o.code) = ('23514', 'date-dependency') AND o.property IN ('startDateUtc', 'startTimeUtc'))
			OR (o.phase = 's3o' AND (o.sqlstate, o.code) = ('23P01', 'invalid-operation')
				AND o.property IN ('userId', 'startDateUtc', 'startTimeUtc'))
		WHEN 'stop_timer' THEN
			(o.sqlstate, o.code, o.property) = ('P0002', 'not-found', 'userId')
			-- the end read from the clock before a newer timer started
			OR (o.variant = 'end at clock' AND (o.sqlstate, o.code, o.property) = ('23514', 'date-dependency', 'endAt'))
		WHEN 'update_entry' THEN
			(o.sqlstate, o.code, o.property) = ('P0002', 'not-found', 'id')
			OR (o.with_expected AND (o.sqlstate, o.code, o.property) = ('40001', 'version-conflict', 'resourceVersion'))
			OR (o.variant IN ('duration', 'end') AND (o.sqlstate, o.code) = ('55000', 'invalid-operation')
				AND o.property IN ('duration', 'endDateUtc', 'endTimeUtc'))
			-- an end a minute after the start as read, which other calls
			-- moved earlier meanwhile: longer than max_duration
			OR (o.variant = 'end' AND (o.sqlstate, o.code) = ('22003', 'value-out-of-range')
				AND o.property IN ('endDateUtc', 'endTimeUtc'))
			OR (o.phase = 's3o' AND o.variant = 'start' AND (o.sqlstate, o.code) = ('23P01', 'invalid-operation')
				AND o.property IN ('startDateUtc', 'startTimeUtc'))
			-- a stopped entry made longer than it was (its start moved
			-- meanwhile) now overlaps the next: reported on what changed
			OR (o.phase = 's3o' AND o.variant IN ('duration', 'end') AND (o.sqlstate, o.code) = ('23P01', 'invalid-operation')
				AND o.property IN ('duration', 'endDateUtc', 'endTimeUtc', 'userId'))
		WHEN 'delete_entry' THEN
			(o.sqlstate, o.code, o.property) = ('P0002', 'not-found', 'id')
			OR (o.with_expected AND (o.sqlstate, o.code, o.property) = ('40001', 'version-conflict', 'resourceVersion'))
		ELSE false
		END
	WHEN o.phase = 's4' THEN
		(o.sqlstate, o.code, o.property) = ('23505', 'conflict', 'id')
		OR (o.extra->>'kind' IN ('timer', 'timer-now') AND (o.sqlstate, o.code) = ('23514', 'date-dependency')
			AND o.property IN ('startDateUtc', 'startTimeUtc'))
	WHEN o.phase IN ('s5', 's5mutant') THEN
		((o.sqlstate, o.code) = ('23P01', 'invalid-operation')
		 AND o.property IN ('startDateUtc', 'startTimeUtc', 'endTimeUtc', 'duration', 'userId'))
		OR (o.with_expected AND (o.sqlstate, o.code, o.property) = ('40001', 'version-conflict', 'resourceVersion'))
	ELSE false
END
$$;

-- The outcomes the SPEC does not allow where they happened.
CREATE VIEW lc.unexpected AS
SELECT o.* FROM lc.outcome o WHERE NOT lc.allowed(o);

/*
 * Scenario 1: the (entry, expected version) groups of a phase, with their
 * calls, successes and refusals, and the refusals that raced the winner:
 * their call started before the winner committed (while it held the row's
 * lock, or was about to take it), so they read the version before the
 * winner's update and met it on the row.
 */
CREATE FUNCTION lc.s1_groups(ph text)
RETURNS TABLE (entry_id uuid, expected bigint, calls bigint, successes bigint, conflicts bigint,
			   raced bigint)
LANGUAGE sql STABLE AS $$
WITH o AS (
	SELECT o.*, min((o.extra->>'held_until')::timestamptz) FILTER (WHERE o.ok)
					OVER (PARTITION BY o.entry_id, o.expected) AS won_at
	  FROM lc.outcome o
	 WHERE o.phase = ph AND o.op = 'update_entry'
)
SELECT o.entry_id, o.expected, count(*), count(*) FILTER (WHERE o.ok),
	   count(*) FILTER (WHERE o.code = 'version-conflict'),
	   count(*) FILTER (WHERE NOT o.ok AND o.t_start < o.won_at)
  FROM o
 GROUP BY 1, 2
$$;

/*
 * The successes of a phase (by op, or all when op is NULL) whose call ran
 * while another success for the same user (the user of the response) ran:
 * calls that contended for the user, and were serialised.
 */
CREATE FUNCTION lc.concurrent_successes(ph text, op text DEFAULT NULL)
RETURNS bigint
LANGUAGE sql STABLE AS $$
SELECT count(*) FROM (
	SELECT o.t_start, o.t_end,
		   max(o.t_end) OVER w AS earlier_end,
		   lead(o.t_start) OVER (PARTITION BY o.resp->>'userId' ORDER BY o.t_start, o.seq) AS next_start
	  FROM lc.outcome o
	 WHERE o.phase = ph AND o.ok AND o.resp IS NOT NULL AND (concurrent_successes.op IS NULL OR o.op = concurrent_successes.op)
	WINDOW w AS (PARTITION BY o.resp->>'userId' ORDER BY o.t_start, o.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
) x
 WHERE x.earlier_end > x.t_start OR x.next_start < x.t_end
$$;

/*
 * Scenario 1: the successes of a phase that do not chain -- each must start
 * from the entry's initial version or from another success's result, and
 * produce a greater version -- and the entries whose stored state is not
 * the last success's (a lost update).
 */
CREATE FUNCTION lc.s1_broken_chain(ph text)
RETURNS TABLE (entry_id uuid, problem text)
LANGUAGE sql STABLE AS $$
SELECT o.entry_id, 'starts from a version no success produced: ' || o.expected
  FROM lc.outcome o JOIN lc.s1_entries s ON s.phase = o.phase AND s.id = o.entry_id
 WHERE o.phase = ph AND o.ok AND o.expected <> s.initial_version
   AND NOT EXISTS (SELECT FROM lc.outcome p WHERE p.phase = ph AND p.ok AND p.entry_id = o.entry_id
												AND p.version = o.expected)
UNION ALL
SELECT o.entry_id, 'the version did not grow: ' || o.expected || ' -> ' || o.version
  FROM lc.outcome o WHERE o.phase = ph AND o.ok AND NOT o.version > o.expected
UNION ALL
SELECT s.id, 'stored version ' || e.resource_version || ', note ' || e.note
		|| ' are not those of the last success: ' || coalesce(l.version::text, 'none') || ', ' || coalesce(l.resp->>'note', '')
  FROM lc.s1_entries s
  JOIN time_entry.time_entries e ON e.id = s.id
  LEFT JOIN LATERAL (SELECT o.version, o.resp FROM lc.outcome o
					  WHERE o.phase = ph AND o.ok AND o.entry_id = s.id
					  ORDER BY o.version DESC LIMIT 1) l ON true
 WHERE s.phase = ph
   AND (l.version IS NULL OR e.resource_version <> l.version OR e.note IS DISTINCT FROM l.resp->>'note')
$$;

/*
 * Scenarios 3 and 5: every write of the phase's users was logged with the
 * row it left (or, for a delete, the row it returned); the entries whose
 * stored state is not that of their last logged write (a lost or half
 * write), and the deleted entries still there or written after their
 * delete.
 */
CREATE FUNCTION lc.lost_writes(phases text[], users integer[])
RETURNS TABLE (entry_id uuid, problem text)
LANGUAGE sql STABLE AS $$
WITH w AS (
	SELECT o.entry_id, o.op, coalesce(o.version, (o.row_after->>'resource_version')::bigint) AS version,
		   o.row_after, o.resp
	  FROM lc.outcome o
	 WHERE o.phase = ANY (phases) AND o.ok
), last AS (
	SELECT DISTINCT ON (w.entry_id) w.* FROM w ORDER BY w.entry_id, w.version DESC
)
SELECT e.id, format('stored version %s, end %s, duration %s, note %s; the last write (%s) left %s',
					e.resource_version, e.end_at, e.duration, e.note, l.op,
					coalesce(l.row_after, l.resp)::text)
  FROM time_entry.time_entries e
  JOIN last l ON l.entry_id = e.id
 WHERE e.user_id = ANY (SELECT lc.uid(u) FROM unnest(users) u)
   AND (l.op = 'delete_entry'
		OR e.resource_version <> l.version
		OR to_jsonb(e) IS DISTINCT FROM l.row_after)
UNION ALL
SELECT d.entry_id, format('deleted at version %s, but a write produced version %s', d.version, w.version)
  FROM w d JOIN w ON w.entry_id = d.entry_id AND w.version > d.version
 WHERE d.op = 'delete_entry'
UNION ALL
SELECT d.entry_id, format('deleted, but the response of the delete (version %s) is not the last state (version %s)',
						  d.version, (SELECT max(x.version) FROM w x WHERE x.entry_id = d.entry_id AND x.op <> 'delete_entry'))
  FROM w d
 WHERE d.op = 'delete_entry'
   AND d.version <> (SELECT max(x.version) FROM w x WHERE x.entry_id = d.entry_id AND x.op <> 'delete_entry')
UNION ALL
SELECT w.entry_id, format('two writes produced version %s', w.version)
  FROM w WHERE w.op <> 'delete_entry' GROUP BY w.entry_id, w.version HAVING count(*) > 1
$$;

-- A table of broken rows and shapes, for the negative controls.
CREATE TABLE lc.control AS SELECT * FROM time_entry.time_entries WITH NO DATA;

COMMIT;
