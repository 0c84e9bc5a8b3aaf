-- The checks of the concurrency suite over the stored rows and the outcome
-- log, as views and functions of schema conc; loaded after the load ran.
-- test/concurrency.test.sh asserts on them.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

/*
 * Overlapping pairs that break the rule.  An entry by a non-admin actor may
 * not overlap an entry that was stored before it; an admin's entry may
 * overlap anything.  So a pair breaks the rule when both entries are by
 * non-admins, or when the non-admin's entry returned after the admin's, or
 * in an unknown order (returned is drawn while the user's lock is held, so
 * it orders the writers of one user).  exempt lists the actors counted as
 * admins: the negative control passes an empty list, so that its pair,
 * made by the admin, must show up.  Pairs come from the stored rows and
 * from what conc.stop saw just before it ended a timer.
 */
CREATE FUNCTION conc.violations(exempt uuid[])
RETURNS TABLE (user_id uuid, a_id uuid, b_id uuid, a_by uuid, b_by uuid,
			   a_returned bigint, b_returned bigint, a_range tstzrange, b_range tstzrange,
			   seen text)
LANGUAGE sql STABLE AS $$
WITH pairs AS (
	SELECT p.a_id, p.b_id, 'stored' AS seen FROM conc.overlapping_pairs p
	UNION
	SELECT least(s.running_id, s.other_id), greatest(s.running_id, s.other_id), 'at stop'
	  FROM conc.seen_at_stop s
), x AS (
	SELECT a.user_id, a.id AS a_id, b.id AS b_id, a.created_by AS a_by, b.created_by AS b_by,
		   oa.returned AS a_returned, ob.returned AS b_returned,
		   tstzrange(a.start_at, coalesce(a.end_at, 'infinity')) AS a_range,
		   tstzrange(b.start_at, coalesce(b.end_at, 'infinity')) AS b_range,
		   string_agg(p.seen, ', ') AS seen
	  FROM pairs p
	  JOIN time_entry.time_entries a ON a.id = p.a_id
	  JOIN time_entry.time_entries b ON b.id = p.b_id
	  LEFT JOIN conc.outcome oa ON oa.entry_id = a.id
	  LEFT JOIN conc.outcome ob ON ob.entry_id = b.id
	 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
)
SELECT * FROM x
 WHERE NOT (x.a_by = ANY (exempt) AND x.b_by = ANY (exempt))
   AND NOT (x.a_by = ANY (exempt) AND coalesce(x.b_returned < x.a_returned, false))
   AND NOT (x.b_by = ANY (exempt) AND coalesce(x.a_returned < x.b_returned, false))
$$;

-- Rows whose invariants (SPEC 1.2) do not hold, with the broken one.
CREATE VIEW conc.bad_rows AS
SELECT e.id, c.broken
  FROM time_entry.time_entries e
 CROSS JOIN LATERAL (VALUES
	('user_id set', e.user_id IS NOT NULL),
	('duration >= 0', e.duration >= 0),
	('break_duration = 0', e.break_duration = 0),
	('timed: end >= start, duration = floor(end - start) - break',
	 e.end_at IS NULL OR (e.start_at IS NOT NULL AND e.end_at >= e.start_at
		AND e.duration = floor(extract(epoch FROM e.end_at) - extract(epoch FROM e.start_at)) - e.break_duration)),
	('running: duration 0', e.start_at IS NULL OR e.end_at IS NOT NULL OR e.duration = 0),
	('date-only: duration > 0, no end', e.start_at IS NOT NULL OR (e.duration > 0 AND e.end_at IS NULL)),
	('date_local is the day of the start in timezone',
	 e.start_at IS NULL OR e.date_local = (e.start_at AT TIME ZONE e.timezone)::date),
	('timezone canonical', e.timezone IN ('UTC', 'Asia/Kolkata')),
	('is_billed implies is_billable', NOT e.is_billed OR e.is_billable),
	('not external', NOT e.is_external),
	('audit fields set', e.created_by IS NOT NULL AND e.updated_by IS NOT NULL
		AND e.created_on IS NOT NULL AND e.updated_on IS NOT NULL AND e.resource_version > 0),
	-- A stopped timer was updated by the admin; its updated_on may even be
	-- before created_on (the stop's transaction began first and waited for
	-- the user's lock): both are transaction timestamps (SPEC 8).
	('created by the create path: updated = created unless stopped',
	 (e.created_by = e.updated_by AND e.created_on = e.updated_on)
		OR (e.updated_by = conc.user_id(0) AND e.end_at IS NOT NULL AND e.note LIKE 'running%'))
 ) AS c(broken, holds)
 WHERE c.holds IS NOT TRUE;

-- Refusals whose (sqlstate, code, property) is not one of the SPEC's for
-- this load, or does not fit the kind of entry or the actor.
CREATE VIEW conc.unexpected_refusals AS
SELECT o.*
  FROM conc.outcome o
 WHERE o.entry_id IS NULL
   AND NOT (
		o.code = 'invalid-operation' AND o.property IN ('userId', 'user_id')
		AND ((o.sqlstate = '23505' AND o.kind = 'running')
			 OR (o.sqlstate = '23P01' AND o.kind LIKE ANY (ARRAY['timed%', 'running']) AND o.path <> 'admin')));
