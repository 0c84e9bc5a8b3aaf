#!/bin/sh
# A partitioned time_entries (issue 11 item 2; README "Partitioning").
#
# In its own databases on the server of the environment (PGHOST, ...):
#
#   te_part_partman  SET time_entry.partitioned = on, CREATE EXTENSION, then
#                    monthly partitions made by pg_partman 4.7
#                    (partman.create_parent, with its default partition);
#   te_part_hand     the same with monthly partitions made by hand
#                    (CREATE TABLE ... PARTITION OF) and a DEFAULT partition.
#
# In each: entries through every face (create_entry jsonb and typed,
# validate_entry, try_create_entry over a staging table, import_entries
# with valid and invalid elements), timed, date-only and running, and then:
#   - every row is in the partition of its month (tableoid; found by the
#     partition's bounds, not its name), a month without a partition in the
#     default partition, and without a default the error the call gets;
#   - every response is the stored row, the typed face returns it;
#   - the errors of SPEC 7 still come back: a second running entry (23505),
#     overlaps under prevent_overlaps (23P01) also across two partitions,
#     a request id reused on another day (23505 conflict);
#   - the running-entry index is not unique: a plain INSERT by the owner is
#     not checked, the functions still refuse a second timer;
#   - each face writes the row a plain INSERT of the same values writes, in
#     the same partition, and the owner's statement and row triggers on the
#     parent fire as for that INSERT: once per create_entry call, once per
#     import_entries call;
#   - dump and restore: pg_dump -Fc, then pg_restore with the TOC reordered
#     (TABLE ATTACH and INDEX ATTACH last) into a new database whose session
#     has time_entry.partitioned = on (PGOPTIONS), or with pg_dump --create
#     carrying ALTER DATABASE ... SET time_entry.partitioned, or as a plain
#     script written by pg_restore -f; every column of every row, its
#     partition, and the partitions' indexes, constraints and triggers are
#     those of the source.  What a restore in pg_dump's own order does is
#     printed as a note;
#   - pg_partman's partition_data_time moves rows of the default partition
#     into a new partition of their month, every column kept;
#   - a plain installation converted to a partitioned one: data-only dump,
#     DROP EXTENSION, SET time_entry.partitioned = on, CREATE EXTENSION,
#     partitions, data-only restore; every row as it was.
#
# Needs pg_partman 4.7 installed (Debian: postgresql-15-partman); without
# it the pg_partman database is skipped and the suite fails.
#
# Run by test/run.sh; exits non-zero on any failure.  PART_KEEP=1 keeps the
# databases for a look afterwards.
set -eu

cd "${PART_ROOT:-$(dirname "$0")/..}"

# The entries lie on fixed days of two years, written 2024 and 2025 below.
# pg_partman makes a partition for every month from its first one to the
# clock, so those years follow the server's clock: this script runs again
# with them moved to the two years before the clock's (test/clock.sh runs
# it decades ahead).  Nothing else depends on the year.
if [ -z "${PART_YEAR:-}" ]; then
	PART_YEAR=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -d postgres \
		-c "SELECT extract(year FROM now())::int - 1")
	moved=$(mktemp)
	sed -e "s/2025-/$PART_YEAR-/g" -e "s/2024-/$((PART_YEAR - 1))-/g" test/partitioned.test.sh >"$moved"
	PART_YEAR=$PART_YEAR PART_ROOT=$(pwd) sh "$moved" && status=0 || status=$?
	rm -f "$moved"
	exit $status
fi
echo "the entries' years: $((PART_YEAR - 1)) and $PART_YEAR"

work=$(mktemp -d)
failures=0
started=$(date +%s)

# Same text form of every value in every session: timestamps in UTC, ISO.
base_options="-c TimeZone=UTC -c DateStyle=ISO,YMD -c client_min_messages=warning"
PGOPTIONS=$base_options
export PGOPTIONS

databases="te_part_partman te_part_hand te_part_hand_src te_part_convert te_part_ws
	te_part_r_partman te_part_r_hand te_part_r_script te_part_r_naive te_part_r_unset"

drop_databases()
{
	for d in $databases; do
		dropdb --if-exists "$d"
	done
}

cleanup()
{
	if [ -z "${PART_KEEP:-}" ]; then
		drop_databases
	fi
	rm -rf "$work"
}
trap cleanup EXIT

. test/lib.sh

# --- helpers ----------------------------------------------------------------

# The rows of every table registered with pg_extension_config_dump, sorted,
# in full text form; each entry with the partition that holds it.  Returns
# non-zero when a query fails or there are no such tables (the callers
# write to a file and check the status: set -e does not reach a function
# called in a pipeline or a condition).
rows_of()
{
	tables=$(value -c "SELECT c::regclass::text FROM pg_extension e, unnest(e.extconfig) c
	                   WHERE e.extname = 'time_entry' ORDER BY 1") || return 1
	if [ -z "$tables" ]; then
		echo "rows_of: no configuration tables of time_entry in $db" >&2
		return 1
	fi
	for t in $tables; do
		echo "== $t"
		if [ "$t" = time_entry.time_entries ]; then
			value -c "SELECT tableoid::regclass || ' ' || t::text FROM $t t ORDER BY t::text" || return 1
		else
			value -c "SELECT t::text FROM $t t ORDER BY 1" || return 1
		fi
	done
}

# rows_to FILE: rows_of into FILE, entries without their partition's name
# (for a comparison across a change of the partitions); a failure of
# rows_of is a failure of the suite.
rows_to()
{
	if rows_of >"$1.raw"; then
		sed 's/^time_entry\.time_entries[a-z0-9_]* //' "$1.raw" >"$1"
	else
		fail "the rows of $db could not be read"
		: >"$1"
	fi
}

# The partitions of time_entries with their bounds, indexes (and the
# parent index each is attached to), constraints and triggers.
structure_of()
{
	value <<'SQL'
SELECT 'bound', c.relname, coalesce(pg_get_expr(c.relpartbound, c.oid), 'root'), c.relkind::text, ''
  FROM pg_partition_tree('time_entry.time_entries') t JOIN pg_class c ON c.oid = t.relid
UNION ALL
SELECT 'index', c.relname, i.relname, pg_get_indexdef(i.oid), coalesce(pi.inhparent::regclass::text, '')
  FROM pg_partition_tree('time_entry.time_entries') t JOIN pg_class c ON c.oid = t.relid
  JOIN pg_index x ON x.indrelid = c.oid JOIN pg_class i ON i.oid = x.indexrelid
  LEFT JOIN pg_inherits pi ON pi.inhrelid = i.oid
UNION ALL
SELECT 'constraint', c.relname, k.conname, pg_get_constraintdef(k.oid),
       coalesce((SELECT p.conname FROM pg_constraint p WHERE p.oid = k.conparentid), '')
  FROM pg_partition_tree('time_entry.time_entries') t JOIN pg_class c ON c.oid = t.relid
  JOIN pg_constraint k ON k.conrelid = c.oid
UNION ALL
SELECT 'trigger', c.relname, g.tgname, pg_get_triggerdef(g.oid), CASE WHEN g.tgparentid <> 0 THEN 'cloned' ELSE '' END
  FROM pg_partition_tree('time_entry.time_entries') t JOIN pg_class c ON c.oid = t.relid
  JOIN pg_trigger g ON g.tgrelid = c.oid AND NOT g.tgisinternal
ORDER BY 1, 2, 3, 4;
SQL
}

# same_rows SOURCE_DB TARGET_DB WHAT: rows and structure of TARGET are
# SOURCE's; SOURCE must have entries (two empty or unreadable databases
# would compare equal)
same_rows()
{
	for d in "$1" "$2"; do
		db=$d
		if ! rows_of >"$work/$d.rows"; then
			fail "$3: the rows of $d could not be read"
			return
		fi
		if ! structure_of >"$work/$d.structure"; then
			fail "$3: the partitions of $d could not be read"
			return
		fi
	done
	if [ "$(grep -c '^time_entry\.time_entries' "$work/$1.rows")" -eq 0 ]; then
		fail "$3: $1 has no entries to compare"
	elif diff -u "$work/$1.rows" "$work/$2.rows" >"$work/diff"; then
		echo "ok: $3: every column of every row of the $(grep -c '^== ' "$work/$1.rows") tables," \
			"and each entry's partition, as in $1 ($(grep -vc '^== ' "$work/$1.rows") rows)"
	else
		fail "$3: the rows of $2 differ from those of $1:"
		head -n 40 "$work/diff"
	fi
	if diff -u "$work/$1.structure" "$work/$2.structure" >"$work/diff"; then
		echo "ok: $3: the same partitions, bounds, indexes (attached to the same parent indexes)," \
			"constraints and triggers ($(wc -l <"$work/$1.structure") items)"
	else
		fail "$3: the partitions of $2 differ from those of $1:"
		head -n 40 "$work/diff"
	fi
}

# The TOC of a custom-format archive with the data before the partitions
# are attached: every TABLE ATTACH and INDEX ATTACH entry moved to the end.
reordered_toc()
{
	pg_restore -l "$1" >"$work/toc.list"
	grep -v ' TABLE ATTACH \| INDEX ATTACH ' "$work/toc.list"
	grep ' TABLE ATTACH ' "$work/toc.list" || true
	grep ' INDEX ATTACH ' "$work/toc.list" || true
}

# --- the databases ---------------------------------------------------------

drop_databases

partman_version=$(db=postgres value -c "SELECT default_version FROM pg_available_extensions WHERE name = 'pg_partman'")
case "$partman_version" in
4.7.*)
	sources="te_part_partman te_part_hand" ;;
*)
	fail "pg_partman 4.7 is not available (found '${partman_version:-none}'): install postgresql-15-partman;" \
		"the pg_partman database is skipped"
	sources="te_part_hand" ;;
esac

for db in $sources; do
	echo
	echo "=== $db: a partitioned installation"
	createdb "$db"
	q -c 'SET time_entry.partitioned = on' -c 'CREATE EXTENSION time_entry' -f test/demo_workspace.sql
	if [ "$db" = te_part_partman ]; then
		# Monthly partitions from January 2025 to two months ahead, and
		# pg_partman's default partition time_entries_default.
		q <<'SQL' >/dev/null
CREATE SCHEMA partman;
CREATE EXTENSION pg_partman SCHEMA partman;
SELECT partman.create_parent('time_entry.time_entries', 'date_local', 'native', 'monthly',
                             p_premake := 2, p_start_partition := '2025-01-01');
SQL
		check "pg_partman $partman_version made monthly partitions and its default partition" \
			"SELECT count(*) >= 3 AND bool_or(pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT')
			   FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			  WHERE i.inhparent = 'time_entry.time_entries'::regclass"
	else
		# By hand: January to June 2025, and last, this and next month.
		q <<'SQL'
DO $$
DECLARE
	m date;
BEGIN
	FOR m IN SELECT DISTINCT d::date FROM (
			SELECT generate_series(date '2025-01-01', date '2025-06-01', interval '1 month')
			UNION
			SELECT generate_series(date_trunc('month', current_date) - interval '1 month',
								   date_trunc('month', current_date) + interval '1 month', interval '1 month')) s(d)
	LOOP
		EXECUTE format('CREATE TABLE time_entry.%I PARTITION OF time_entry.time_entries FOR VALUES FROM (%L) TO (%L)',
					   'time_entries_p' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
	END LOOP;
END
$$;
CREATE TABLE time_entry.time_entries_default PARTITION OF time_entry.time_entries DEFAULT;
SQL
	fi
	check "time_entries is partitioned by range of date_local" \
		"SELECT c.relkind = 'p' AND pg_get_partkeydef(c.oid) = 'RANGE (date_local)'
		   FROM pg_class c WHERE c.oid = 'time_entry.time_entries'::regclass"
	check "its primary key is (id, date_local); the running-entry index is not unique" \
		"SELECT pg_get_constraintdef(k.oid) = 'PRIMARY KEY (id, date_local)'
		        AND NOT (SELECT indisunique FROM pg_index WHERE indexrelid = 'time_entry.time_entries_one_running_per_user'::regclass)
		   FROM pg_constraint k WHERE k.conrelid = 'time_entry.time_entries'::regclass AND k.contype = 'p'"
	check "the functions insert through the executor" \
		"SELECT time_entry.insert_path() = 'executor: the table is partitioned'"

	# The faces ----------------------------------------------------------------
	q <<'SQL' >/dev/null
CREATE SCHEMA pt;

-- The partition that should hold a row of day d: the partition whose
-- bounds are exactly d's month, else the default partition.
CREATE FUNCTION pt.partition_for(d date) RETURNS regclass
LANGUAGE sql STABLE AS $$
	SELECT coalesce(
		(SELECT c.oid::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		  WHERE i.inhparent = 'time_entry.time_entries'::regclass
		    AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES FROM (%L) TO (%L)',
				date_trunc('month', d)::date, (date_trunc('month', d) + interval '1 month')::date)),
		(SELECT c.oid::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		  WHERE i.inhparent = 'time_entry.time_entries'::regclass
		    AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'))
$$;

-- The keys of a response object that do not show stored row r ('none').
CREATE FUNCTION pt.response_differs(resp jsonb, r time_entry.time_entries) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(k, ', ' ORDER BY k), 'none') FROM (VALUES
		('id', (resp->>'id')::uuid = r.id),
		('userId', (resp->>'userId')::uuid IS NOT DISTINCT FROM r.user_id),
		('typeOfWorkId', (resp->>'typeOfWorkId')::uuid = r.type_of_work_id),
		('projectId', (resp->>'projectId')::uuid IS NOT DISTINCT FROM r.project_id AND resp ? 'projectId'),
		('taskId', (resp->>'taskId')::uuid IS NOT DISTINCT FROM r.task_id AND resp ? 'taskId'),
		('note', resp->>'note' IS NOT DISTINCT FROM r.note AND resp ? 'note'),
		('timezone', resp->>'timezone' = r.timezone),
		('duration', (resp->>'duration')::integer = r.duration),
		('breakDuration', (resp->>'breakDuration')::integer = r.break_duration),
		('isBillable', (resp->>'isBillable')::boolean = r.is_billable),
		('isBilled', (resp->>'isBilled')::boolean = r.is_billed),
		('isExternal', (resp->>'isExternal')::boolean = r.is_external),
		('createdBy', (resp->>'createdBy')::uuid = r.created_by),
		('updatedBy', (resp->>'updatedBy')::uuid = r.updated_by),
		('createdOn', (resp->>'createdOn')::timestamptz = r.created_on),
		('updatedOn', (resp->>'updatedOn')::timestamptz = r.updated_on),
		('resourceVersion', (resp->>'resourceVersion')::bigint = r.resource_version),
		('startDateLocal', left(resp->>'startDateLocal', 10)::date = r.date_local),
		('start (UTC group)', CASE WHEN r.start_at IS NULL THEN resp->'startTimeUtc' = 'null'
			ELSE (left(resp->>'startDateUtc', 10) || ' ' || (resp->>'startTimeUtc') || '+00')::timestamptz = r.start_at END),
		('start (local group)', CASE WHEN r.start_at IS NULL THEN resp->'startTimeLocal' = 'null'
			ELSE (left(resp->>'startDateLocal', 10) || ' ' || (resp->>'startTimeLocal'))::timestamp
				 = (r.start_at AT TIME ZONE r.timezone) END),
		('end (UTC group)', CASE WHEN r.end_at IS NULL THEN resp->'endDateUtc' = 'null' AND resp->'endTimeUtc' = 'null'
			ELSE (left(resp->>'endDateUtc', 10) || ' ' || (resp->>'endTimeUtc') || '+00')::timestamptz = r.end_at END),
		('end (local group)', CASE WHEN r.end_at IS NULL THEN resp->'endDateLocal' = 'null' AND resp->'endTimeLocal' = 'null'
			ELSE (left(resp->>'endDateLocal', 10) || ' ' || (resp->>'endTimeLocal'))::timestamp
				 = (r.end_at AT TIME ZONE r.timezone) END)
	) v(k, ok) WHERE ok IS NOT TRUE
$$;

-- A request for user b<n> (Development) with the given properties.
CREATE FUNCTION pt.req(n text, props jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object('userId', '00000000-0000-4000-8000-0000000000b' || n,
							  'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1') || props
$$;
CREATE FUNCTION pt.actor(n text) RETURNS uuid
LANGUAGE sql IMMUTABLE RETURN ('00000000-0000-4000-8000-0000000000b' || n)::uuid;

-- What each call made: the id, the response (jsonb faces), the returned
-- row (typed face), the error object (try, import, validate).
CREATE TABLE pt.made (n serial, face text, line integer, id uuid, response jsonb, returned text, error jsonb);

-- Errors raised by calls, as a caller sees them.
CREATE TABLE pt.raised (n serial, what text, sqlstate text, code text, property text, message text, detail text);
CREATE FUNCTION pt.expect_error(what text, call text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	st text; cn text; col text; msg text; det text;
BEGIN
	BEGIN
		EXECUTE call;
		INSERT INTO pt.raised (what, sqlstate) VALUES (what, 'no error');
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME, col = COLUMN_NAME,
			msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
		INSERT INTO pt.raised (what, sqlstate, code, property, message, detail)
		VALUES (what, st, nullif(cn, ''), nullif(col, ''), msg, nullif(det, ''));
	END;
END
$$;

-- create_entry, jsonb face: timed in the local group; timed in a zone
-- where the local day is not the UTC day (2025-04-01 00:30 in Auckland is
-- 2025-03-31 in UTC: the April partition); date-only; running (now).
INSERT INTO pt.made (face, id, response)
SELECT 'create_entry ' || x.what, (r->>'id')::uuid, r
  FROM (VALUES
	('timed, local group', pt.req('3', '{"projectId": "00000000-0000-4000-8000-0000000000d2", "timezone": "europe/berlin",
		"startDateLocal": "2025-03-10", "startTimeLocal": "09:00", "endTimeLocal": "11:00", "note": "Berlin"}')),
	('timed, local day after the UTC day', pt.req('3', '{"timezone": "Pacific/Auckland",
		"startDateLocal": "2025-04-01", "startTimeLocal": "00:30", "endTimeLocal": "01:30"}')),
	('date-only', pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-05-15", "duration": 3600}')),
	('running', pt.req('3', jsonb_build_object('timezone', 'UTC',
		'startDateUtc', to_char(now() AT TIME ZONE 'UTC' - interval '10 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))))
	) x(what, req)
 CROSS JOIN LATERAL time_entry.create_entry(x.req, pt.actor('3')) r
 ORDER BY x.what;

-- The typed face: a timed and a date-only entry (FROM, so it runs once).
INSERT INTO pt.made (face, id, returned)
SELECT 'typed create_entry, timed', e.id, e::text
  FROM time_entry.create_entry(user_id => pt.actor('5'), type_of_work_id => '00000000-0000-4000-8000-0000000000f2',
		timezone => 'UTC', start_at => '2025-02-03 08:00+00', end_at => '2025-02-03 10:00+00',
		project_id => '00000000-0000-4000-8000-0000000000d2', actor => pt.actor('5')) e;
INSERT INTO pt.made (face, id, returned)
SELECT 'typed create_entry, date-only', e.id, e::text
  FROM time_entry.create_entry(user_id => pt.actor('5'), type_of_work_id => '00000000-0000-4000-8000-0000000000f1',
		timezone => 'Asia/Kolkata', entry_date => '2025-06-20', duration => 1800, actor => pt.actor('5')) e;

-- validate_entry: a valid and an invalid request; nothing is written.
CREATE TABLE pt.counts AS SELECT 'before validate'::text AS label, count(*) AS n FROM time_entry.time_entries;
INSERT INTO pt.made (face, line, error)
VALUES ('validate_entry', 1, time_entry.validate_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-20T08:00:00Z", "duration": 60}'), pt.actor('3'))),
	   ('validate_entry', 2, time_entry.validate_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-20T08:00:00Z", "endDateUtc": "2025-01-20T07:00:00Z"}'), pt.actor('3')));
INSERT INTO pt.counts SELECT 'after validate', count(*) FROM time_entry.time_entries;

-- try_create_entry over a staging table: valid rows in three months (one
-- on a local 30 June that is 1 July in UTC), two invalid ones.
CREATE TABLE pt.staging (line integer, entry jsonb, actor uuid);
INSERT INTO pt.staging VALUES
	(1, pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-07T08:00:00Z", "duration": 1800}'), pt.actor('3')),
	(2, pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-02-11T13:00:00Z", "endTimeUtc": "14:15"}'), pt.actor('2')),
	(3, pt.req('3', '{"timezone": "America/Los_Angeles", "startDateLocal": "2025-06-30", "startTimeLocal": "20:00", "endTimeLocal": "23:00"}'), pt.actor('3')),
	(4, pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-08", "duration": 60, "isbillable": true}'), pt.actor('3')),
	(5, pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-09T10:00:00Z", "endDateUtc": "2025-01-09T09:00:00Z"}'), pt.actor('3'));
INSERT INTO pt.made (face, line, id, response, error)
SELECT 'try_create_entry', s.line, t.id, t.response, t.error
  FROM pt.staging s CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) t
 ORDER BY s.line;

-- import_entries: valid elements in two months (one across midnight into
-- April, on the March day), a non-object, a missing timezone, a date-only.
INSERT INTO pt.made (face, line, id, error)
SELECT 'import_entries', i.ordinal, i.id, i.error
  FROM time_entry.import_entries(jsonb_build_array(
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-15T09:00:00Z", "duration": 5400, "note": "imported"}'),
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-03-31T23:30:00Z", "endDateUtc": "2025-04-01T00:30:00Z"}'),
		'"not an object"'::jsonb,
		pt.req('3', '{"startDateUtc": "2025-01-16T09:00:00Z", "duration": 60}'),
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-05-02", "duration": 7200}')), pt.actor('3')) i;

-- A month without a partition (June 2024): the default partition.
INSERT INTO pt.made (face, id, response)
SELECT 'create_entry, month without a partition', (r->>'id')::uuid, r
  FROM time_entry.create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2024-06-10T08:00:00Z", "duration": 600}'), pt.actor('3')) r;

-- A request id (SPEC 9.6): created, retried (the same entry), reused on
-- another day (a conflict).
INSERT INTO pt.made (face, id, response)
SELECT 'create_entry with a request id' || x.suffix, (r->>'id')::uuid, r
  FROM (VALUES (1, ''), (2, ', retried')) x(k, suffix)
 CROSS JOIN LATERAL time_entry.create_entry(pt.req('3', '{"id": "aaaaaaaa-0000-4000-8000-000000000001", "timezone": "UTC",
		"startDateUtc": "2025-02-10T08:00:00Z", "duration": 900}'), pt.actor('3')) r
 ORDER BY x.k;
SELECT pt.expect_error('request id reused on another day', $c$
	SELECT time_entry.create_entry(pt.req('3', '{"id": "aaaaaaaa-0000-4000-8000-000000000001", "timezone": "UTC",
		"startDateUtc": "2025-03-10T08:00:00Z", "duration": 900}'), pt.actor('3'))$c$);

-- The errors of SPEC 7 --------------------------------------------------------
SELECT pt.expect_error('second running entry', $c$
	SELECT time_entry.create_entry(pt.req('3', jsonb_build_object('timezone', 'UTC',
		'startDateUtc', to_char(now() AT TIME ZONE 'UTC' - interval '5 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))), pt.actor('3'))$c$);
SELECT pt.expect_error('unknown type of work', $c$
	SELECT time_entry.create_entry(pt.req('3', '{"typeOfWorkId": "00000000-0000-4000-8000-0000000000ff", "timezone": "UTC",
		"startDateUtc": "2025-01-20T08:00:00Z", "duration": 60}'), pt.actor('3'))$c$);
SELECT pt.expect_error('end before start', $c$
	SELECT time_entry.create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-20T08:00:00Z",
		"endDateUtc": "2025-01-20T07:00:00Z"}'), pt.actor('3'))$c$);

UPDATE time_entry.settings SET prevent_overlaps = true;
-- 08:00-10:00 UTC is 09:00-11:00 in Berlin, the first entry's time
SELECT pt.expect_error('overlap in one partition', $c$
	SELECT time_entry.create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-03-10T09:30:00Z",
		"duration": 600}'), pt.actor('3'))$c$);
-- on 1 April (the April partition), inside the imported entry that began
-- on 31 March (the March partition)
SELECT pt.expect_error('overlap across two partitions', $c$
	SELECT time_entry.create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-04-01T00:05:00Z",
		"duration": 900}'), pt.actor('3'))$c$);
SELECT pt.expect_error('overlap across two partitions, typed face', $c$
	SELECT * FROM time_entry.create_entry(user_id => pt.actor('3'), type_of_work_id => '00000000-0000-4000-8000-0000000000f1',
		timezone => 'UTC', start_at => '2025-04-01 00:10+00', end_at => '2025-04-01 00:20+00', actor => pt.actor('3'))$c$);
INSERT INTO pt.made (face, line, id, response, error)
SELECT 'try_create_entry, overlap across two partitions', 1, t.id, t.response, t.error
  FROM time_entry.try_create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-03-31T23:00:00Z",
		"duration": 3600}'), pt.actor('3')) t;
INSERT INTO pt.made (face, line, id, error)
SELECT 'import_entries, overlap across two partitions', i.ordinal, i.id, i.error
  FROM time_entry.import_entries(jsonb_build_array(
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-04-01T00:20:00Z", "duration": 60}'),
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-04-01T00:30:00Z", "duration": 1800, "note": "back to back"}')),
		pt.actor('3')) i;

-- Without a default partition, a month without a partition is an error
-- of the call.  The default partition is detached for these calls and
-- attached again.
BEGIN;
DO $$
BEGIN
	EXECUTE format('ALTER TABLE time_entry.time_entries DETACH PARTITION %s', pt.partition_for('1990-01-01'));
END
$$;
CREATE TABLE pt.nodefault AS
SELECT count(*) AS partitions, count(*) FILTER (WHERE pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT') AS defaults
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'time_entry.time_entries'::regclass;
SELECT pt.expect_error('no partition: create_entry', $c$
	SELECT time_entry.create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2024-06-11T08:00:00Z", "duration": 600}'), pt.actor('3'))$c$);
SELECT pt.expect_error('no partition: typed create_entry', $c$
	SELECT * FROM time_entry.create_entry(user_id => pt.actor('3'), type_of_work_id => '00000000-0000-4000-8000-0000000000f1',
		timezone => 'UTC', entry_date => '2024-06-12', duration => 60, actor => pt.actor('3'))$c$);
SELECT pt.expect_error('no partition: try_create_entry', $c$
	SELECT * FROM time_entry.try_create_entry(pt.req('3', '{"timezone": "UTC", "startDateUtc": "2024-06-13T08:00:00Z", "duration": 600}'), pt.actor('3'))$c$);
SELECT pt.expect_error('no partition: import_entries', $c$
	SELECT * FROM time_entry.import_entries(jsonb_build_array(
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2025-01-21T08:00:00Z", "duration": 600, "note": "lost with the call"}'),
		pt.req('3', '{"timezone": "UTC", "startDateUtc": "2024-06-14T08:00:00Z", "duration": 600}')), pt.actor('3'))$c$);
ALTER TABLE time_entry.time_entries ATTACH PARTITION time_entry.time_entries_default DEFAULT;
COMMIT;
SQL

	echo "made: $(value -c "SELECT count(*) FROM pt.made WHERE id IS NOT NULL") calls returned an entry," \
		"$(value -c "SELECT count(*) FROM time_entry.time_entries") rows in" \
		"$(value -c "SELECT count(DISTINCT tableoid) FROM time_entry.time_entries") partitions"
	q -c "SELECT tableoid::regclass AS partition, count(*) AS rows, min(date_local), max(date_local)
	        FROM time_entry.time_entries GROUP BY 1 ORDER BY 3"

	check "every row is in the partition of its month (the default partition for June 2024)" \
		"SELECT bool_and(tableoid = pt.partition_for(date_local)) AND count(*) = 15
		   FROM time_entry.time_entries"
	check "the rows are spread over 7 monthly partitions and the default one" \
		"SELECT count(DISTINCT e.tableoid) = 8
		        AND count(*) FILTER (WHERE pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT') = 1
		        AND bool_and(pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' OR e.date_local >= '2025-01-01')
		   FROM time_entry.time_entries e JOIN pg_class c ON c.oid = e.tableoid"
	check "the row of a local day after its UTC day is in that local day's month (April)" \
		"SELECT e.date_local = '2025-04-01' AND e.start_at < '2025-04-01 00:00+00'
		        AND pt.partition_for('2025-04-01') = e.tableoid AND pt.partition_for('2025-03-31') <> e.tableoid
		   FROM time_entry.time_entries e WHERE e.timezone = 'Pacific/Auckland'"
	check "every jsonb response is the stored row (create_entry, try_create_entry)" \
		"SELECT count(*) = 10 AND bool_and(pt.response_differs(m.response, e) = 'none')
		   FROM pt.made m JOIN time_entry.time_entries e ON e.id = m.id WHERE m.response IS NOT NULL"
	check "the typed face returns the stored row" \
		"SELECT count(*) = 2 AND bool_and(m.returned = e::text)
		   FROM pt.made m JOIN time_entry.time_entries e ON e.id = m.id WHERE m.face LIKE 'typed%'"
	check "kinds stored: running, date-only and timed" \
		"SELECT count(*) FILTER (WHERE start_at IS NOT NULL AND end_at IS NULL) = 1
		        AND count(*) FILTER (WHERE start_at IS NULL) = 3
		        AND count(*) FILTER (WHERE end_at IS NOT NULL) >= 10
		   FROM time_entry.time_entries"
	check "validate_entry: NULL for the valid request, an error object for the other; nothing written" \
		"SELECT (SELECT error IS NULL FROM pt.made WHERE face = 'validate_entry' AND line = 1)
		        AND (SELECT error->>'code' = 'date-dependency' AND error->>'sqlstate' = '23514'
		               FROM pt.made WHERE face = 'validate_entry' AND line = 2)
		        AND (SELECT count(DISTINCT n) = 1 FROM pt.counts)"
	check "try_create_entry: lines 1-3 created, 4 and 5 refused with their error objects" \
		"SELECT string_agg(line || ':' || coalesce(error->>'code', 'created'), ' ' ORDER BY line)
		        = '1:created 2:created 3:created 4:validation-failed 5:date-dependency'
		   FROM pt.made WHERE face = 'try_create_entry'"
	check "import_entries: elements 1, 2 and 5 created, 3 and 4 refused" \
		"SELECT string_agg(line || ':' || coalesce(error->>'code', 'created'), ' ' ORDER BY line)
		        = '1:created 2:created 3:invalid-model 4:validation-failed 5:created'
		   FROM pt.made WHERE face = 'import_entries'"
	check "a retried request id returns the entry it created, in its partition" \
		"SELECT count(DISTINCT m.id) = 1 AND count(DISTINCT m.response) = 1 AND count(*) = 2
		        AND (SELECT count(*) = 1 FROM time_entry.time_entries WHERE id = 'aaaaaaaa-0000-4000-8000-000000000001')
		   FROM pt.made m WHERE m.face LIKE 'create_entry with a request id%'"
	check "errors of SPEC 7 come back as before" \
		"SELECT string_agg(what || ': ' || sqlstate || ' ' || coalesce(code, '-') || ' ' || coalesce(property, '-'), '; ' ORDER BY n)
		        = 'request id reused on another day: 23505 conflict id; second running entry: 23505 invalid-operation userId; '
		          'unknown type of work: 23503 not-found typeOfWorkId; end before start: 23514 date-dependency endDateUtc; '
		          'overlap in one partition: 23P01 invalid-operation userId; overlap across two partitions: 23P01 invalid-operation userId; '
		          'overlap across two partitions, typed face: 23P01 invalid-operation user_id'
		   FROM pt.raised WHERE what NOT LIKE 'no partition:%'"
	check "try_create_entry and import_entries return the overlap across partitions; the back-to-back entry is created" \
		"SELECT (SELECT error->>'sqlstate' = '23P01' AND error->>'code' = 'invalid-operation' AND id IS NULL
		           FROM pt.made WHERE face = 'try_create_entry, overlap across two partitions')
		        AND (SELECT string_agg(line || ':' || coalesce(error->>'sqlstate', 'created'), ' ' ORDER BY line) = '1:23P01 2:created'
		               FROM pt.made WHERE face = 'import_entries, overlap across two partitions')
		        AND (SELECT tableoid = pt.partition_for('2025-04-01') FROM time_entry.time_entries WHERE note = 'back to back')"
	echo "without a default partition (a month without a partition, as each face reports it):"
	q -c "SELECT what, sqlstate, message, detail FROM pt.raised WHERE what LIKE 'no partition:%' ORDER BY n"
	check "without a default partition every face raises 23514 'no partition of relation' (not returned), nothing is written" \
		"SELECT count(*) = 4 AND bool_and(sqlstate = '23514' AND message = 'no partition of relation \"time_entries\" found for row'
		        AND detail LIKE 'Partition key of the failing row contains (date_local) = (2024-06-1_).')
		        AND (SELECT count(*) = 0 FROM time_entry.time_entries WHERE date_local BETWEEN '2024-06-11' AND '2024-06-14'
		                                                       OR note = 'lost with the call')
		        AND (SELECT defaults = 0 AND partitions + 1
		                    = (SELECT count(*) FROM pg_inherits WHERE inhparent = 'time_entry.time_entries'::regclass)
		               FROM pt.nodefault)
		   FROM pt.raised WHERE what LIKE 'no partition:%'"

	# The owner's own writes -------------------------------------------------
	check "an owner's plain INSERT of a second running entry is not checked (no unique index); the functions still refuse one" \
		"BEGIN;
		 SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
		 INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, start_at, duration, is_billable, is_billed)
		 SELECT '00000000-0000-4000-8000-0000000000b5', '00000000-0000-4000-8000-0000000000f1', 'UTC', current_date, now() - i * interval '1 minute', 0, false, false
		   FROM generate_series(1, 2) i;
		 DO \$d\$ BEGIN PERFORM pt.expect_error('owner inserted two timers', \$c\$
			SELECT time_entry.create_entry(pt.req('5', jsonb_build_object('timezone', 'UTC',
				'startDateUtc', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))), pt.actor('5'))\$c\$); END \$d\$;
		 SELECT (SELECT count(*) = 2 FROM time_entry.time_entries WHERE user_id = pt.actor('5') AND start_at IS NOT NULL AND end_at IS NULL)
		        AND (SELECT sqlstate = '23505' AND code = 'invalid-operation' FROM pt.raised WHERE what = 'owner inserted two timers');
		 ROLLBACK;"
	check "an owner's plain INSERT may reuse an id on another day: ids are unique per (id, date_local)" \
		"BEGIN;
		 SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
		 INSERT INTO time_entry.time_entries (id, user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
		 VALUES ('aaaaaaaa-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000b5', '00000000-0000-4000-8000-0000000000f1',
		         'UTC', '2025-05-20', 60, false, false);
		 SELECT count(*) = 2 AND count(DISTINCT tableoid) = 2 FROM time_entry.time_entries WHERE id = 'aaaaaaaa-0000-4000-8000-000000000001';
		 ROLLBACK;"

	# Each face against a plain INSERT: the row, its partition, the triggers --
	q <<'SQL'
CREATE TABLE pt.fired (n serial, tg text, level text, timing text, rows integer);
CREATE FUNCTION pt.log_firing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pt.fired (tg, level, timing) VALUES (TG_NAME, TG_LEVEL, TG_WHEN);
	RETURN CASE WHEN TG_LEVEL = 'ROW' AND TG_WHEN = 'BEFORE' THEN NEW END;
END
$$;
CREATE FUNCTION pt.log_new_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO pt.fired (tg, level, timing, rows) SELECT TG_NAME, TG_LEVEL, TG_WHEN, count(*) FROM new_rows;
	RETURN NULL;
END
$$;
-- The firings since the last call, as text ("bs br ar as(1)"), and forgotten.
CREATE FUNCTION pt.firings() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	f text;
BEGIN
	SELECT coalesce(string_agg(tg || coalesce('(' || rows || ')', ''), ' ' ORDER BY n), 'none') INTO f FROM pt.fired;
	DELETE FROM pt.fired;
	RETURN f;
END
$$;
-- The columns in which two rows differ, leaving out the id and the audit
-- columns; and whether they are in the same partition.
CREATE FUNCTION pt.differ(a time_entry.time_entries, b time_entry.time_entries) RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce(string_agg(x.key, ', ' ORDER BY x.key), 'none')
	  FROM jsonb_each(to_jsonb(a)) x JOIN jsonb_each(to_jsonb(b)) y USING (key)
	 WHERE x.value IS DISTINCT FROM y.value
	   AND x.key NOT IN ('id', 'created_by', 'created_on', 'updated_by', 'updated_on', 'resource_version')
$$;
CREATE FUNCTION pt.partition_of(entry uuid) RETURNS regclass
LANGUAGE sql VOLATILE AS $$ SELECT tableoid::regclass FROM time_entry.time_entries WHERE id = entry $$;

CREATE TABLE pt.compared (n serial, face text, differs text, same_partition boolean, firings text, plain_firings text);
-- Compare the stored row of entry (made by a face, whose firings are
-- given) with a plain INSERT of the same values by the owner.
CREATE FUNCTION pt.compare(face text, entry uuid, firings text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	r time_entry.time_entries;
	twin time_entry.time_entries;
BEGIN
	SELECT * INTO r FROM time_entry.time_entries e WHERE e.id = entry;
	PERFORM set_config('time_entry.actor', r.created_by::text, true);
	INSERT INTO time_entry.time_entries (user_id, type_of_work_id, project_id, task_id,
		note, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
	VALUES (r.user_id, r.type_of_work_id, r.project_id, r.task_id, r.note, r.timezone,
		r.date_local, r.start_at, r.end_at, r.duration, r.is_billable, r.is_billed)
	RETURNING * INTO twin;
	INSERT INTO pt.compared (face, differs, same_partition, firings, plain_firings)
	VALUES (face, pt.differ(r, twin), pt.partition_of(r.id) = pt.partition_of(twin.id), firings, pt.firings());
	PERFORM set_config('time_entry.actor', '', true);
END
$$;
SQL
	q <<'SQL' >/dev/null
BEGIN;
UPDATE time_entry.settings SET prevent_overlaps = false;
CREATE TRIGGER bs BEFORE INSERT ON time_entry.time_entries FOR EACH STATEMENT EXECUTE FUNCTION pt.log_firing();
CREATE TRIGGER br BEFORE INSERT ON time_entry.time_entries FOR EACH ROW EXECUTE FUNCTION pt.log_firing();
CREATE TRIGGER ar AFTER INSERT ON time_entry.time_entries FOR EACH ROW EXECUTE FUNCTION pt.log_firing();
CREATE TRIGGER as_ AFTER INSERT ON time_entry.time_entries REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pt.log_new_rows();

-- a plain INSERT of one row, and of three rows in two partitions
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (pt.actor('5'), '00000000-0000-4000-8000-0000000000f1', 'UTC', '2025-01-30', 60, false, false);
INSERT INTO pt.compared (face, plain_firings) VALUES ('plain INSERT, 1 row', pt.firings());
INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
SELECT pt.actor('5'), '00000000-0000-4000-8000-0000000000f1', 'UTC', d, 60, false, false
  FROM unnest(ARRAY[date '2025-01-30', '2025-02-27', '2025-02-28']) d;
INSERT INTO pt.compared (face, plain_firings) VALUES ('plain INSERT, 3 rows', pt.firings());
SET LOCAL time_entry.actor = '';

CREATE TEMP TABLE r AS
SELECT time_entry.create_entry(pt.req('5', '{"timezone": "Europe/Berlin", "startDateLocal": "2025-02-14",
		"startTimeLocal": "09:00", "endTimeLocal": "10:00", "note": "compared"}'), pt.actor('5')) AS resp;
SELECT pt.compare('create_entry', (SELECT (resp->>'id')::uuid FROM r), pt.firings());
DROP TABLE r;

CREATE TEMP TABLE r AS
SELECT e.id FROM time_entry.create_entry(user_id => pt.actor('5'), type_of_work_id => '00000000-0000-4000-8000-0000000000f1',
	timezone => 'UTC', entry_date => '2025-03-03', duration => 600, actor => pt.actor('5')) e;
SELECT pt.compare('typed create_entry', (SELECT id FROM r), pt.firings());
DROP TABLE r;

CREATE TEMP TABLE r AS
SELECT t.id FROM time_entry.try_create_entry(pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-05-05T10:00:00Z",
	"duration": 1200}'), pt.actor('5')) t;
SELECT pt.compare('try_create_entry', (SELECT id FROM r), pt.firings());
DROP TABLE r;

-- a timer, stopped before its twin is written
CREATE TEMP TABLE r AS
SELECT (time_entry.create_entry(pt.req('5', jsonb_build_object('timezone', 'UTC',
	'startDateUtc', to_char(now() AT TIME ZONE 'UTC' - interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))), pt.actor('5'))->>'id')::uuid AS id;
CREATE TEMP TABLE f AS SELECT pt.firings() AS firings;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b5';
UPDATE time_entry.time_entries e SET end_at = e.start_at WHERE e.id = (SELECT id FROM r);
SET LOCAL time_entry.actor = '';
SELECT pt.firings();
SELECT pt.compare('create_entry, running', (SELECT id FROM r), (SELECT firings FROM f));
DROP TABLE r, f;

-- import_entries of three valid elements in two partitions and an invalid
-- one: one statement; against the plain INSERT of three rows
CREATE TEMP TABLE r AS
SELECT i.ordinal, i.id FROM time_entry.import_entries(jsonb_build_array(
	pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-01-29", "duration": 60}'),
	pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-02-25", "duration": 60}'),
	pt.req('5', '{"timezone": "UTC"}'),
	pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-02-26", "duration": 60}')), pt.actor('5')) i;
INSERT INTO pt.compared (face, firings, plain_firings)
VALUES ('import_entries, 3 of 4 elements valid', pt.firings(), (SELECT plain_firings FROM pt.compared WHERE face = 'plain INSERT, 3 rows'));
SELECT pt.compare('import_entries, element ' || ordinal, id, NULL) FROM r WHERE id IS NOT NULL ORDER BY ordinal;
DROP TABLE r;

-- try_create_entry over three staged rows: three creates, three statements
CREATE TEMP TABLE r AS
SELECT t.id FROM (VALUES ('2025-01-02'), ('2025-02-02'), ('2025-03-02')) s(d)
 CROSS JOIN LATERAL time_entry.try_create_entry(pt.req('5', jsonb_build_object('timezone', 'UTC',
	'startDateUtc', s.d, 'duration', 60)), pt.actor('5')) t;
INSERT INTO pt.compared (face, firings, plain_firings)
SELECT 'try_create_entry over 3 staged rows', pt.firings(),
	   (SELECT string_agg(plain_firings, ' ') FROM pt.compared, generate_series(1, 3) WHERE face = 'plain INSERT, 1 row');
DROP TABLE r;

-- what writes nothing fires nothing: validate_entry, a refusal returned
-- by try_create_entry
SELECT time_entry.validate_entry(pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-01-03", "duration": 60}'), pt.actor('5'));
SELECT t.error->>'code' FROM time_entry.try_create_entry(pt.req('5', '{"timezone": "UTC", "startDateUtc": "2025-01-03",
	"duration": -1}'), pt.actor('5')) t;
INSERT INTO pt.compared (face, firings, plain_firings)
VALUES ('validate_entry and a refusal of try_create_entry', pt.firings(), 'none');
COMMIT;
SQL
	# keep the comparisons, not the rows and triggers of that transaction
	q <<'SQL' >/dev/null
BEGIN;
DROP TRIGGER bs ON time_entry.time_entries;
DROP TRIGGER br ON time_entry.time_entries;
DROP TRIGGER ar ON time_entry.time_entries;
DROP TRIGGER as_ ON time_entry.time_entries;
DELETE FROM time_entry.time_entries
 WHERE user_id = pt.actor('5') AND id NOT IN (SELECT id FROM pt.made WHERE id IS NOT NULL);
UPDATE time_entry.settings SET prevent_overlaps = true;
COMMIT;
SQL
	q -c "SELECT face, differs, same_partition, firings, plain_firings FROM pt.compared WHERE face NOT LIKE 'plain%' ORDER BY n"
	check "each face writes the row a plain INSERT of the same values writes, in the same partition" \
		"SELECT count(*) = 7 AND bool_and(differs = 'none' AND same_partition) FROM pt.compared WHERE differs IS NOT NULL"
	check "statement and row triggers on the parent fire as for a plain INSERT: once per create, once per import_entries call" \
		"SELECT bool_and(firings = plain_firings) AND count(*) = 7
		        AND bool_or(face = 'create_entry' AND firings = 'bs br ar as_(1)')
		        AND bool_or(face LIKE 'import_entries%' AND firings = 'bs br br br ar ar ar as_(3)')
		   FROM pt.compared WHERE firings IS NOT NULL"
	check "try_create_entry over three staged rows fires the statement triggers three times" \
		"SELECT firings = 'bs br ar as_(1) bs br ar as_(1) bs br ar as_(1)'
		   FROM pt.compared WHERE face = 'try_create_entry over 3 staged rows'"
	check "the comparison rows are gone, the entries made before are still there" \
		"SELECT count(*) = (SELECT count(*) FROM pt.made WHERE id IS NOT NULL AND face NOT LIKE '%retried')
		   FROM time_entry.time_entries"

	if [ "$db" = te_part_partman ]; then
		# A partition made later for a month whose rows wait in the default
		# partition: pg_partman moves them (no actor set: the audit trigger
		# keeps the values, as for a restore).
		q -c "CREATE TABLE pt.default_before AS SELECT t::text AS r FROM time_entry.time_entries_default t"
		moved=$(value -c "SELECT partman.partition_data_time('time_entry.time_entries', p_batch_count := 10)")
		check "partman.partition_data_time moved the default partition's row ($moved) into a new partition of its month, every column kept" \
			"SELECT (SELECT count(*) = 1 FROM pt.default_before)
			        AND (SELECT count(*) = 0 FROM time_entry.time_entries_default)
			        AND (SELECT count(*) = 0 FROM (SELECT r FROM pt.default_before
			                                        EXCEPT SELECT t::text FROM time_entry.time_entries t
			                                         WHERE tableoid = pt.partition_for(date_local)
			                                           AND tableoid <> 'time_entry.time_entries_default'::regclass) x)"
	fi
done

# --- dump and restore --------------------------------------------------------

for src in $sources; do
	dst=te_part_r_${src#te_part_}
	echo
	echo "=== dump $src, restore into $dst (TOC reordered, time_entry.partitioned = on in PGOPTIONS)"
	pg_dump -Fc -d "$src" -f "$work/$src.dump"
	reordered_toc "$work/$src.dump" >"$work/$src.toc"
	createdb "$dst"
	if PGOPTIONS="$base_options -c time_entry.partitioned=on" \
		pg_restore --exit-on-error -L "$work/$src.toc" -d "$dst" "$work/$src.dump" 2>"$work/err"; then
		echo "ok: pg_restore -L (reordered) succeeded"
	else
		fail "pg_restore -L (reordered) into $dst failed: $(cat "$work/err")"
	fi
	same_rows "$src" "$dst" "$dst"
	db=$dst
	check "$dst: the restored rows kept their audit values, the audit trigger works on a partition" \
		"BEGIN;
		 SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b2';
		 CREATE TEMP TABLE before ON COMMIT DROP AS SELECT id, resource_version FROM time_entry.time_entries;
		 WITH u AS (UPDATE time_entry.time_entries e SET note = 'after restore' RETURNING e.*)
		 SELECT bool_and(u.updated_by = '00000000-0000-4000-8000-0000000000b2' AND u.updated_on = now()
		                 AND u.resource_version > b.resource_version) AND count(*) = (SELECT count(*) FROM before)
		   FROM u JOIN before b USING (id);
		 ROLLBACK;"
	check "$dst: create_entry writes into the partition of its month" \
		"BEGIN;
		 SELECT pt.partition_of((time_entry.create_entry(pt.req('2', '{\"timezone\": \"UTC\", \"startDateUtc\": \"2025-02-20T08:00:00Z\",
		        \"duration\": 60}'), pt.actor('2'))->>'id')::uuid) = pt.partition_for('2025-02-20')
		        AND time_entry.insert_path() = 'executor: the table is partitioned';
		 ROLLBACK;"
	if [ "$src" = te_part_partman ]; then
		check "$dst: pg_partman's configuration came along and its maintenance runs" \
			"SELECT (SELECT count(*) = 1 FROM partman.part_config WHERE parent_table = 'time_entry.time_entries'
			                                                     AND partition_interval = '1 mon')
			        AND (SELECT count(*) = 1 FROM (SELECT partman.run_maintenance('time_entry.time_entries')) m)"
	fi
done

if echo "$sources" | grep -q te_part_hand; then
	echo
	echo "=== te_part_hand: pg_restore -f (reordered TOC) gives a plain script"
	db=te_part_r_script
	createdb "$db"
	pg_restore -L "$work/te_part_hand.toc" -f "$work/te_part_hand.sql" "$work/te_part_hand.dump"
	if PGOPTIONS="$base_options -c time_entry.partitioned=on" \
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/te_part_hand.sql" >/dev/null 2>"$work/err"; then
		echo "ok: psql -f of the script succeeded"
	else
		fail "psql -f of the reordered script failed: $(cat "$work/err")"
	fi
	same_rows te_part_hand "$db" "plain script"

	echo
	echo "=== te_part_hand: pg_dump --create with ALTER DATABASE ... SET time_entry.partitioned = on"
	db=postgres
	q -c "ALTER DATABASE te_part_hand SET time_entry.partitioned = on"
	pg_dump -Fc --create -d te_part_hand -f "$work/create.dump"
	reordered_toc "$work/create.dump" >"$work/create.toc"
	q -c "ALTER DATABASE te_part_hand RENAME TO te_part_hand_src"
	if pg_restore --exit-on-error --create -L "$work/create.toc" -d postgres "$work/create.dump" 2>"$work/err"; then
		echo "ok: pg_restore --create (reordered) succeeded without any setting in the restoring session"
	else
		fail "pg_restore --create into te_part_hand failed: $(cat "$work/err")"
	fi
	same_rows te_part_hand_src te_part_hand "pg_dump --create"
	db=te_part_hand
	check "the restored database carries the setting" \
		"SELECT current_setting('time_entry.partitioned') = 'on'
		        AND EXISTS (SELECT FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
		                     WHERE d.datname = current_database() AND 'time_entry.partitioned=on' = ANY (s.setconfig))"

	# What goes wrong otherwise: printed, not checked (pg_dump decides).
	echo
	echo "=== notes: restores that do not work"
	createdb te_part_r_naive
	if PGOPTIONS="$base_options -c time_entry.partitioned=on" \
		pg_restore --exit-on-error -d te_part_r_naive "$work/te_part_hand.dump" 2>"$work/err"; then
		echo "note: a restore in pg_dump's own order succeeded (it failed with pg_dump 15.x)"
	else
		echo "note: a restore in pg_dump's own order fails:" \
			"$(head -n 2 "$work/err" | tr '\n' ' ' | sed 's/^pg_restore: error: //')"
	fi
	createdb te_part_r_unset
	if pg_restore --exit-on-error -L "$work/te_part_hand.toc" -d te_part_r_unset "$work/te_part_hand.dump" 2>"$work/err"; then
		fail "a restore without time_entry.partitioned = on succeeded"
	else
		echo "ok: without time_entry.partitioned = on the restore stops:" \
			"$(head -n 2 "$work/err" | tr '\n' ' ' | sed 's/^pg_restore: error: //')"
	fi
fi

# --- from a plain installation to a partitioned one ------------------------

echo
echo "=== te_part_convert: a plain installation made partitioned (dump, drop, create, restore)"
db=te_part_convert
createdb "$db"
q -c 'CREATE EXTENSION time_entry' -f test/demo_workspace.sql
q <<'SQL' >/dev/null
-- entries of every kind by several actors, some updated later
SELECT count(*) FROM time_entry.import_entries((
	SELECT jsonb_agg(jsonb_build_object('userId', '00000000-0000-4000-8000-0000000000b3',
		'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1', 'timezone', 'Europe/Berlin',
		'startDateLocal', to_char(date '2025-01-01' + g * 3, 'YYYY-MM-DD'), 'startTimeLocal', '23:30', 'duration', 3600))
	  FROM generate_series(0, 60) g), '00000000-0000-4000-8000-0000000000b3');
SELECT time_entry.create_entry(jsonb_build_object('userId', '00000000-0000-4000-8000-0000000000b5',
	'typeOfWorkId', '00000000-0000-4000-8000-0000000000f2', 'timezone', 'UTC',
	'startDateUtc', to_char(now() AT TIME ZONE 'UTC' - interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
	'00000000-0000-4000-8000-0000000000b2');
SELECT time_entry.create_entry('{"userId": "00000000-0000-4000-8000-0000000000b5", "typeOfWorkId": "00000000-0000-4000-8000-0000000000f2",
	"timezone": "UTC", "startDateUtc": "2024-11-05", "duration": 7200, "note": "older than any partition"}',
	'00000000-0000-4000-8000-0000000000b1');
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b2';
UPDATE time_entry.time_entries SET note = 'reviewed' WHERE date_local < '2025-02-01';
COMMIT;
UPDATE time_entry.settings SET max_duration = 7200, prevent_overlaps = true;
SQL
check "the plain installation: a plain table, rows by three actors, some updated" \
	"SELECT (SELECT relkind = 'r' FROM pg_class WHERE oid = 'time_entry.time_entries'::regclass)
	        AND count(DISTINCT created_by) = 3 AND count(*) FILTER (WHERE updated_on > created_on) > 5
	   FROM time_entry.time_entries"
rows_to "$work/convert.before"
pg_dump --data-only --schema=time_entry -Fc -d "$db" -f "$work/convert.dump"
q <<'SQL' >/dev/null
DROP EXTENSION time_entry;
SET time_entry.partitioned = on;
CREATE EXTENSION time_entry;
-- a partition for every month the data has, and a default partition
DO $$
DECLARE
	m date;
BEGIN
	FOR m IN SELECT generate_series(date '2025-01-01', date_trunc('month', current_date) + interval '1 month', interval '1 month')
	LOOP
		EXECUTE format('CREATE TABLE time_entry.%I PARTITION OF time_entry.time_entries FOR VALUES FROM (%L) TO (%L)',
					   'time_entries_p' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
	END LOOP;
END
$$;
CREATE TABLE time_entry.time_entries_default PARTITION OF time_entry.time_entries DEFAULT;
SQL
if pg_restore --data-only --exit-on-error -d "$db" "$work/convert.dump" 2>"$work/err"; then
	echo "ok: pg_restore --data-only into the partitioned installation succeeded"
else
	fail "pg_restore --data-only into the partitioned installation failed: $(cat "$work/err")"
fi
rows_to "$work/convert.after"
if [ "$(grep -vc '^== ' "$work/convert.before")" -eq 0 ]; then
	fail "the plain installation had no rows to convert"
elif diff -u "$work/convert.before" "$work/convert.after" >"$work/diff"; then
	echo "ok: every column of every row is as it was in the plain table ($(grep -vc '^== ' "$work/convert.before") rows)"
else
	fail "the converted rows differ:"
	head -n 40 "$work/diff"
fi
check "the table is now partitioned; each row in the partition of its month, the older one in the default" \
	"SELECT (SELECT relkind = 'p' FROM pg_class WHERE oid = 'time_entry.time_entries'::regclass)
	        AND count(DISTINCT e.tableoid) > 2
	        AND bool_and((pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT') = (e.date_local < '2025-01-01'))
	        AND bool_and(pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
	                     OR c.relname = 'time_entries_p' || to_char(e.date_local, 'YYYY_MM'))
	   FROM time_entry.time_entries e JOIN pg_class c ON c.oid = e.tableoid"
check "the settings row came back" \
	"SELECT count(*) = 1 AND bool_and(max_duration = 7200 AND prevent_overlaps) FROM time_entry.settings"

# Ids are unique per (id, date_local) only: plain SQL may give a row of
# another workspace an id that workspace A uses.  The functions read,
# change and delete by id within the call's workspace, so that row is
# never touched (SPEC 10).
echo
echo "=== te_part_ws: one id in two workspaces"
db=te_part_ws
createdb "$db"
q >/dev/null <<'SQL'
SET client_min_messages = warning;
SET time_entry.partitioned = on;
CREATE EXTENSION time_entry;
CREATE TABLE time_entry.time_entries_default PARTITION OF time_entry.time_entries DEFAULT;
INSERT INTO time_entry.workspaces (id, name) VALUES ('5b000000-0000-4000-8000-000000000000', 'B');
INSERT INTO time_entry.roles (id, name, is_admin) VALUES ('5a000000-0000-4000-8000-0000000000a1', 'A admin', true);
INSERT INTO time_entry.users (id, first_name, role_id) VALUES
	('5a000000-0000-4000-8000-0000000000b1', 'Ann', '5a000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.types_of_work (id, name) VALUES ('5a000000-0000-4000-8000-0000000000f1', 'A work');
INSERT INTO time_entry.users (id, first_name, workspace_id) VALUES
	('5b000000-0000-4000-8000-0000000000b1', 'Bea', '5b000000-0000-4000-8000-000000000000');
INSERT INTO time_entry.types_of_work (id, name, workspace_id) VALUES
	('5b000000-0000-4000-8000-0000000000f1', 'B work', '5b000000-0000-4000-8000-000000000000');
SELECT time_entry.create_entry('{"id": "5a000000-0000-4000-8000-0000000000e7",
	"userId": "5a000000-0000-4000-8000-0000000000b1", "typeOfWorkId": "5a000000-0000-4000-8000-0000000000f1",
	"timezone": "UTC", "startDateUtc": "2025-03-12T09:00:00Z", "duration": 3600}',
	'5a000000-0000-4000-8000-0000000000b1');
SET time_entry.actor = '5b000000-0000-4000-8000-0000000000b1';
INSERT INTO time_entry.time_entries (id, user_id, type_of_work_id, timezone, date_local, duration,
	is_billable, is_billed, note, workspace_id)
VALUES ('5a000000-0000-4000-8000-0000000000e7', '5b000000-0000-4000-8000-0000000000b1',
	'5b000000-0000-4000-8000-0000000000f1', 'UTC', '2025-06-01', 60, false, false, 'B''s',
	'5b000000-0000-4000-8000-000000000000');
SQL
check "A's get_entry of the id reads A's entry" \
	"SELECT time_entry.get_entry('5a000000-0000-4000-8000-0000000000e7', '5a000000-0000-4000-8000-0000000000b1')->>'userId'
	        = '5a000000-0000-4000-8000-0000000000b1'"
# (each check: the call, then the table read by a statement of its own)
check "A's update_entry changes A's entry only" \
	"CREATE TEMP TABLE answer AS SELECT time_entry.update_entry('5a000000-0000-4000-8000-0000000000e7',
	        '{\"note\": \"A''s\"}', '5a000000-0000-4000-8000-0000000000b1')->>'note' AS note;
	 SELECT (SELECT note FROM answer) = 'A''s'
	    AND (SELECT array_agg(note ORDER BY date_local) FROM time_entry.time_entries) = ARRAY['A''s', 'B''s']"
check "A's delete_entry deletes A's entry only; B's row with the same id stays" \
	"CREATE TEMP TABLE answer AS SELECT time_entry.delete_entry('5a000000-0000-4000-8000-0000000000e7',
	        '5a000000-0000-4000-8000-0000000000b1')->>'note' AS note;
	 SELECT (SELECT note FROM answer) = 'A''s'
	    AND (SELECT array_agg(workspace_id::text || ' ' || note) FROM time_entry.time_entries)
	        = ARRAY['5b000000-0000-4000-8000-000000000000 B''s']"
dropdb "$db"

echo
echo "partitioned: $(($(date +%s) - started)) s"
if [ "$failures" -ne 0 ]; then
	echo "partitioned: $failures check(s) FAILED"
	exit 1
fi
echo "partitioned: all checks passed"
