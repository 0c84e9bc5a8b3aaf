--
-- The years 1900 to 9999 (SPEC 3), at both ends, through every face: the
-- jsonb faces (create_entry, validate_entry, try_create_entry,
-- import_entries) and the typed create_entry take exactly the same range,
-- in UTC and in the entry's time zone.
--
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

\set actor '61000000-0000-4000-8000-0000000000b1'
\set work '61000000-0000-4000-8000-0000000000f1'
INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('61000000-0000-4000-8000-0000000000a1', 'Admin', true);
INSERT INTO time_entry.users (id, first_name, role_id) VALUES
	(:'actor', 'Ranger', '61000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Range');
UPDATE time_entry.settings SET max_duration = NULL;

-- Each case: a request (jsonb) and the same entry as typed arguments.
CREATE TEMP TABLE cases (n int PRIMARY KEY, label text, entry jsonb, typed text);
INSERT INTO cases VALUES
	(1, 'first instant, UTC',
	 '{"timezone": "UTC", "startDateUtc": "1900-01-01T00:00:00Z", "duration": 60}',
	 'timezone => ''UTC'', start_at => ''1900-01-01 00:00:00+00'', duration => 60'),
	(2, 'one second before',
	 '{"timezone": "UTC", "startDateUtc": "1899-12-31T23:59:59Z", "duration": 60}',
	 'timezone => ''UTC'', start_at => ''1899-12-31 23:59:59+00'', duration => 60'),
	(3, 'last day, ending at the last instant',
	 '{"timezone": "UTC", "startDateUtc": "9999-12-31T23:00:00Z", "endDateUtc": "9999-12-31T23:59:59Z"}',
	 'timezone => ''UTC'', start_at => ''9999-12-31 23:00:00+00'', end_at => ''9999-12-31 23:59:59+00'''),
	(4, 'ending at 10000-01-01',
	 '{"timezone": "UTC", "startDateUtc": "9999-12-31T23:00:00Z", "duration": 3600}',
	 'timezone => ''UTC'', start_at => ''9999-12-31 23:00:00+00'', duration => 3600'),
	(5, 'June of 9999',
	 '{"timezone": "UTC", "startDateUtc": "9999-06-01T09:00:00Z", "duration": 3600}',
	 'timezone => ''UTC'', start_at => ''9999-06-01 09:00:00+00'', duration => 3600'),
	(6, 'date-only in 9990',
	 '{"timezone": "UTC", "startDateUtc": "9990-01-01", "duration": 3600}',
	 'timezone => ''UTC'', entry_date => ''9990-01-01'', duration => 3600'),
	(7, 'date-only on the last day',
	 '{"timezone": "UTC", "startDateUtc": "9999-12-31", "duration": 3600}',
	 'timezone => ''UTC'', entry_date => ''9999-12-31'', duration => 3600'),
	(8, 'date-only on the first day',
	 '{"timezone": "UTC", "startDateUtc": "1900-01-01", "duration": 3600}',
	 'timezone => ''UTC'', entry_date => ''1900-01-01'', duration => 3600'),
	(9, 'date-only the day before',
	 '{"timezone": "UTC", "startDateUtc": "1899-12-31", "duration": 3600}',
	 'timezone => ''UTC'', entry_date => ''1899-12-31'', duration => 3600'),
	(10, 'UTC in range, Berlin already in 10000',
	 '{"timezone": "Europe/Berlin", "startDateUtc": "9999-12-31T23:30:00Z", "duration": 60}',
	 'timezone => ''Europe/Berlin'', start_at => ''9999-12-31 23:30:00+00'', duration => 60'),
	(11, 'UTC in range, New York still in 1899',
	 '{"timezone": "America/New_York", "startDateUtc": "1900-01-01T01:00:00Z", "duration": 60}',
	 'timezone => ''America/New_York'', start_at => ''1900-01-01 01:00:00+00'', duration => 60'),
	(12, 'infinity (typed only)', NULL,
	 'timezone => ''UTC'', start_at => ''infinity'', duration => 60'),
	(13, 'date infinity (typed only)', NULL,
	 'timezone => ''UTC'', entry_date => ''-infinity'', duration => 60');

CREATE FUNCTION pg_temp.outcome(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text; msg text; col text; code text;
BEGIN
	EXECUTE sql;
	RETURN 'created';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		col = COLUMN_NAME, code = CONSTRAINT_NAME;
	RETURN format('%s %s %s: %s', state, code, col, msg);
END
$$;

-- Every face, each case in a subtransaction that is rolled back.
CREATE FUNCTION pg_temp.faces(c cases) RETURNS TABLE (face text, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
	full_entry jsonb := c.entry || jsonb_build_object(
		'userId', '61000000-0000-4000-8000-0000000000b1',
		'typeOfWorkId', '61000000-0000-4000-8000-0000000000f1');
	v jsonb;
	r record;
BEGIN
	IF c.entry IS NOT NULL THEN
		face := 'create_entry';
		outcome := pg_temp.outcome(format('SELECT time_entry.create_entry(%L, %L)',
			full_entry, '61000000-0000-4000-8000-0000000000b1'));
		RETURN NEXT;
		face := 'validate_entry';
		v := time_entry.validate_entry(full_entry, '61000000-0000-4000-8000-0000000000b1');
		outcome := coalesce(v->>'sqlstate' || ' ' || (v->>'code') || ' ' ||
			(v->'validationErrors'->0->>'property'), 'valid');
		RETURN NEXT;
		face := 'try_create_entry';
		SELECT * INTO r FROM time_entry.try_create_entry(full_entry, '61000000-0000-4000-8000-0000000000b1');
		outcome := coalesce(r.error->>'sqlstate' || ' ' || (r.error->>'code') || ' ' ||
			(r.error->'validationErrors'->0->>'property'), 'created');
		RETURN NEXT;
		face := 'import_entries';
		SELECT * INTO r FROM time_entry.import_entries(jsonb_build_array(full_entry),
			'61000000-0000-4000-8000-0000000000b1');
		outcome := coalesce(r.error->>'sqlstate' || ' ' || (r.error->>'code') || ' ' ||
			(r.error->'validationErrors'->0->>'property'), 'created');
		RETURN NEXT;
	END IF;
	face := 'typed create_entry';
	outcome := pg_temp.outcome(format(
		'SELECT time_entry.create_entry(user_id => %L, type_of_work_id => %L, actor => %L, %s)',
		'61000000-0000-4000-8000-0000000000b1', '61000000-0000-4000-8000-0000000000f1',
		'61000000-0000-4000-8000-0000000000b1', c.typed));
	RETURN NEXT;
	RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'undo';
EXCEPTION WHEN raise_exception THEN
	NULL;
END
$$;

-- (The rows RETURN NEXT has returned survive the rollback of the block:
-- the function's result is not transactional.)
SELECT c.n, c.label, f.face, f.outcome
  FROM cases c, LATERAL pg_temp.faces(c) f
 ORDER BY c.n, f.face;
SELECT count(*) AS rows_left FROM time_entry.time_entries WHERE type_of_work_id = :'work';
UPDATE time_entry.settings SET max_duration = DEFAULT;
