#!/bin/sh
# What another session changes between two calls of a warmed-up session
# (issue 11): the functions see the table as a plain INSERT would.
#
#   1. a GRANT on time_entries, or a NOT VALID CHECK added to it, by another
#      session while this one is inside a transaction that has used the
#      functions (a relcache invalidation processed when the table is
#      locked): the next create of the transaction works;
#   2. a function a CHECK constraint calls, replaced by another session
#      after this one created an entry: the next create applies the new
#      body, as a plain INSERT of the same session does;
#   3. the same for try_create_entry over a staging table in a later
#      statement.
#
# The other session is a psql started from this one's script (\!), which
# commits before the script goes on.  Each scenario runs once per write
# path (time_entry.write_path auto and executor, set in the session).
# Run by test/run.sh in the environment's server (PGHOST, ...).
set -eu

cd "$(dirname "$0")/.."

db=te_invalidation
failures=0
PGOPTIONS="-c client_min_messages=warning"
export PGOPTIONS
. test/lib.sh

trap 'dropdb --if-exists "$db" 2>/dev/null || true' EXIT

dropdb --if-exists "$db"
createdb "$db"
q <<'SQL'
CREATE EXTENSION time_entry;
CREATE ROLE regress_te_reader;
INSERT INTO time_entry.users (id, first_name) VALUES ('73000000-0000-4000-8000-0000000000b1', 'Wanda');
INSERT INTO time_entry.types_of_work (id, name) VALUES ('73000000-0000-4000-8000-0000000000f1', 'Warm-up');
CREATE FUNCTION public.note_ok(note text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT true $$;
-- a request on day d of January 2025, with a note
CREATE FUNCTION public.req(d int, note text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_object('userId', '73000000-0000-4000-8000-0000000000b1',
		'typeOfWorkId', '73000000-0000-4000-8000-0000000000f1', 'timezone', 'UTC',
		'startDateUtc', format('2025-01-%sT09:00:00Z', lpad(d::text, 2, '0')),
		'duration', 60, 'note', note)
$$;
SQL
trap 'dropdb --if-exists "$db" 2>/dev/null || true; psql -X -q -d postgres -c "DROP ROLE IF EXISTS regress_te_reader" 2>/dev/null || true' EXIT

other="psql -X -q -v ON_ERROR_STOP=1 -d $db"

for path in auto executor; do
	echo "=== write path $path"
	# 1. GRANT and NOT VALID CHECK by another session, mid-transaction
	got=$(value 2>&1 <<SQL || true
SET time_entry.write_path = '$path';
SELECT count(*) > 0 FROM time_entry.try_create_entry(public.req(1), '73000000-0000-4000-8000-0000000000b1');
SELECT (time_entry.create_entry(public.req(2), '73000000-0000-4000-8000-0000000000b1')) IS NOT NULL;
BEGIN;
SELECT time_entry.validate_entry(public.req(3), '73000000-0000-4000-8000-0000000000b1') IS NULL;
\! $other -c 'GRANT SELECT ON time_entry.time_entries TO regress_te_reader'
SELECT (time_entry.create_entry(public.req(3), '73000000-0000-4000-8000-0000000000b1')) IS NOT NULL;
COMMIT;
BEGIN;
SELECT time_entry.validate_entry(public.req(4), '73000000-0000-4000-8000-0000000000b1') IS NULL;
\! $other -c 'ALTER TABLE time_entry.time_entries ADD CONSTRAINT later_check CHECK (duration < 100000) NOT VALID'
SELECT (time_entry.create_entry(public.req(4), '73000000-0000-4000-8000-0000000000b1')) IS NOT NULL;
SELECT count(*) FROM time_entry.try_create_entry(public.req(5), '73000000-0000-4000-8000-0000000000b1') WHERE id IS NOT NULL;
COMMIT;
SQL
)
	if [ "$(echo "$got" | tr '\n' ' ')" = "t t t t t t 1 " ]; then
		echo "ok: $path: creates after a GRANT and a NOT VALID CHECK made by another session mid-transaction"
	else
		fail "$path: creates after another session's GRANT and CHECK (got: $got)"
	fi
	q -c 'ALTER TABLE time_entry.time_entries DROP CONSTRAINT IF EXISTS later_check' -c 'REVOKE ALL ON time_entry.time_entries FROM regress_te_reader'

	# 2, 3. a CHECK's function replaced by another session
	q -c 'CREATE OR REPLACE FUNCTION public.note_ok(note text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$' \
	  -c 'ALTER TABLE time_entry.time_entries ADD CONSTRAINT note_is_ok CHECK (public.note_ok(note))'
	got=$(value 2>&1 <<SQL || true
SET time_entry.write_path = '$path';
SELECT (time_entry.create_entry(public.req(10, 'fine'), '73000000-0000-4000-8000-0000000000b1')) IS NOT NULL;
SELECT count(*) FROM time_entry.try_create_entry(public.req(11, 'fine'), '73000000-0000-4000-8000-0000000000b1') WHERE id IS NOT NULL;
\! $other -c "CREATE OR REPLACE FUNCTION public.note_ok(note text) RETURNS boolean LANGUAGE sql IMMUTABLE AS \\\$\\\$ SELECT note IS DISTINCT FROM 'banned' \\\$\\\$"
DO \$\$
BEGIN
	PERFORM time_entry.create_entry(public.req(12, 'banned'), '73000000-0000-4000-8000-0000000000b1');
	RAISE WARNING 'stale: create_entry wrote a banned note';
EXCEPTION WHEN check_violation THEN
	RAISE WARNING 'fresh: create_entry refused';
END
\$\$;
DO \$\$
BEGIN
	PERFORM count(*) FROM (VALUES (1), (2)) v(n)
		CROSS JOIN LATERAL time_entry.try_create_entry(public.req(12 + v.n, 'banned'), '73000000-0000-4000-8000-0000000000b1');
	RAISE WARNING 'stale: try_create_entry wrote a banned note';
EXCEPTION WHEN check_violation THEN
	RAISE WARNING 'fresh: try_create_entry refused';
END
\$\$;
DO \$\$
BEGIN
	SET LOCAL time_entry.actor = '73000000-0000-4000-8000-0000000000b1';
	INSERT INTO time_entry.time_entries (user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed, note)
	VALUES ('73000000-0000-4000-8000-0000000000b1', '73000000-0000-4000-8000-0000000000f1', 'UTC', '2025-01-20', 60, false, false, 'banned');
	RAISE WARNING 'stale: INSERT wrote a banned note';
EXCEPTION WHEN check_violation THEN
	RAISE WARNING 'fresh: INSERT refused';
END
\$\$;
SELECT count(*) FROM time_entry.time_entries WHERE note = 'banned';
SQL
)
	if [ "$(echo "$got" | grep -c 'fresh:')" = 3 ] && ! echo "$got" | grep -q 'stale:' &&
	   [ "$(echo "$got" | tail -1)" = 0 ]; then
		echo "ok: $path: a replaced CHECK function applies at the next create, as for an INSERT"
	else
		fail "$path: a replaced CHECK function (got: $got)"
	fi
	q -c 'ALTER TABLE time_entry.time_entries DROP CONSTRAINT IF EXISTS note_is_ok' -c 'DELETE FROM time_entry.time_entries'
done

[ "$failures" -eq 0 ]
