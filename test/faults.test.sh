#!/bin/sh
# Faults (issue 6 item 4): a server killed in the middle of a large import
# keeps all or none of it, and loses nothing committed.
#
# In its own database on the throwaway cluster of `make test`
# (pg_virtualenv; the script refuses to run on any other server, since it
# kills server processes):
#
#   1. 1 000 entries imported and committed: the baseline.
#   2. 200 000 staged requests in one statement,
#        INSERT INTO sink SELECT ... CROSS JOIN LATERAL time_entry.try_create_entry(...)
#      in a background psql; once it has run for a while and written rows,
#      kill -9 of its backend.  The postmaster reinitialises every backend
#      (crash recovery); afterwards time_entries holds the baseline only
#      and sink is empty: none of the statement.
#   3. The same with one import_entries call over an array of 200 000.
#   4. 10 000 entries imported through import_entries in one statement that
#      commits, then kill -9 of the postmaster itself (no shutdown
#      checkpoint) and a restart (pg_ctlcluster): every committed row is
#      there, every column as before (a checksum of all rows).
#
# After each crash: the heap and every index of time_entries pass amcheck
# (verify_heapam, bt_index_check with heapallindexed), and every row keeps
# the invariants of SPEC 1.2.  Takes about a minute.  Run by test/run.sh;
# exits non-zero on any failure.
set -eu

cd "$(dirname "$0")/.."

db=te_faults
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PGOPTIONS="-c TimeZone=UTC -c client_min_messages=warning -c jit=off"
export PGOPTIONS

. test/lib.sh

# Only the throwaway cluster of pg_virtualenv may be killed.
datadir=$(psql -X -A -t -d postgres -c 'SHOW data_directory')
case "$datadir" in
*/pg_virtualenv.*/*) ;;
*)
	echo "skipped: $datadir is not a pg_virtualenv cluster, and this suite kills the server"
	exit 77 ;;	# skipped (test/run.sh)
esac
cluster_version=$(psql -X -A -t -d postgres -c 'SHOW server_version_num' | cut -c1-2)
cluster_name=$(basename "$datadir")

postmaster_pid()
{
	head -1 "$datadir/postmaster.pid"
}

# Wait until the server accepts sessions again.
wait_ready()
{
	tries=0
	until psql -X -A -t -d postgres -c 'SELECT 1' >/dev/null 2>&1; do
		tries=$((tries + 1))
		if [ "$tries" -gt 120 ]; then
			fail "the server did not come back within 60 s"
			exit 1
		fi
		sleep 0.5
	done
}

# Wait until the backend of application_name $1 has run its statement for
# 3 s and written rows (it has a transaction id); print its pid.  Fails if
# the client, process $2, ends first.
wait_running()
{
	tries=0
	while :; do
		if ! kill -0 "$2" 2>/dev/null; then
			return 1
		fi
		pid=$(value -c "SELECT pid FROM pg_stat_activity
		                 WHERE application_name = '$1' AND state = 'active'
		                   AND backend_xid IS NOT NULL AND now() - query_start > interval '3 s'")
		if [ -n "$pid" ]; then
			echo "$pid"
			return 0
		fi
		tries=$((tries + 1))
		if [ "$tries" -gt 120 ]; then
			return 1
		fi
		sleep 0.25
	done
}

# The storage of time_entries is sound and every row keeps the invariants.
check_table()
{
	check "$1: the heap of time_entries passes verify_heapam" \
		"SELECT count(*) = 0 FROM verify_heapam('time_entry.time_entries')"
	for index in $(value -c "SELECT indexrelid::regclass FROM pg_index
	                          WHERE indrelid = 'time_entry.time_entries'::regclass ORDER BY 1"); do
		check "$1: index $index passes bt_index_check (heapallindexed)" \
			"SELECT bt_index_check('$index'::regclass, true) IS NOT NULL OR true"
	done
	check "$1: every row keeps the invariants" \
		"SELECT count(*) = 0 FROM time_entry.time_entries e
		  WHERE NOT (
			(e.end_at IS NULL OR e.duration = floor(extract(epoch FROM e.end_at) - extract(epoch FROM e.start_at)))
			AND (e.start_at IS NULL OR e.end_at IS NOT NULL OR e.duration = 0)
			AND (e.start_at IS NOT NULL OR (e.duration > 0 AND e.end_at IS NULL))
			AND (NOT e.is_billed OR e.is_billable)
			AND EXISTS (SELECT FROM pg_timezone_names z WHERE z.name = e.timezone)
			AND (e.start_at IS NULL OR e.date_local = (e.start_at AT TIME ZONE e.timezone)::date)
			AND extract(year FROM e.date_local) BETWEEN 1900 AND 9999)"
	check "$1: no id twice, the primary key index agrees with the heap" \
		"SELECT count(*) = count(DISTINCT id) FROM time_entry.time_entries"
}

echo "=== faults: database $db on $datadir"
dropdb --if-exists "$db"
createdb "$db"
value <<'SQL'
CREATE EXTENSION time_entry;
CREATE EXTENSION amcheck;

-- 100 users who book their own time, an admin who imports for them all,
-- one type of work.
INSERT INTO time_entry.users (id, first_name)
SELECT format('fa000000-0000-4000-8000-%s', lpad(to_hex(n), 12, '0'))::uuid, 'User ' || n
  FROM generate_series(1, 100) n;
INSERT INTO time_entry.roles (id, name, is_admin) VALUES ('fa000000-0000-4000-8000-0000000000a1', 'Admin', true);
INSERT INTO time_entry.users (id, first_name, role_id)
VALUES ('fa000000-0000-4000-8000-0000000000b1', 'Importer', 'fa000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.types_of_work (id, name) VALUES ('fa000000-0000-4000-8000-0000000000f1', 'Import');

-- Request n: user n % 100 books one hour, each request its own hour, so
-- that none conflicts with another.
CREATE FUNCTION request(n int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_build_object(
	'userId', format('fa000000-0000-4000-8000-%s', lpad(to_hex(n % 100 + 1), 12, '0')),
	'typeOfWorkId', 'fa000000-0000-4000-8000-0000000000f1',
	'timezone', 'Europe/Berlin',
	'startDateUtc', to_char(timestamp '2001-01-01' + n * interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	'duration', 3600,
	'note', 'request ' || n)
$$;
CREATE FUNCTION actor(n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
SELECT format('fa000000-0000-4000-8000-%s', lpad(to_hex(n % 100 + 1), 12, '0'))::uuid
$$;

CREATE TABLE stage (n int PRIMARY KEY, entry jsonb, actor uuid);
INSERT INTO stage SELECT n, request(n), actor(n) FROM generate_series(1001, 201000) n;
CREATE TABLE sink (n int, id uuid, response jsonb, error jsonb);
SQL

# 1. The baseline ------------------------------------------------------------
value -c "SELECT count(*) FILTER (WHERE error IS NULL) || ' created, ' || count(*) FILTER (WHERE error IS NOT NULL) || ' refused'
            FROM (SELECT (time_entry.try_create_entry(request(n), actor(n))).* FROM generate_series(1, 1000) n) r"
baseline=$(value -c 'SELECT count(*) FROM time_entry.time_entries')
check "the baseline holds 1000 entries" "SELECT $baseline = 1000"

# 2. and 3. A backend killed in the middle of a statement ------------------------
kill_backend()
{
	name=$1
	sql=$2
	echo
	echo "=== kill -9 of the backend running $name"
	PGAPPNAME=$name psql -X -q -d "$db" -c "$sql" > "$work/$name.out" 2>&1 &
	psql_pid=$!
	if ! pid=$(wait_running "$name" "$psql_pid"); then
		fail "$name did not run 3 s and write within 30 s, or ended before (then make it larger)"
		cat "$work/$name.out"
		kill "$psql_pid" 2>/dev/null || true
		return
	fi
	# only a backend of this cluster, and of this test's database
	if ! grep -q "$db" "/proc/$pid/cmdline" 2>/dev/null; then
		fail "process $pid is not a backend of $db"
		return
	fi
	echo "backend $pid has been running '$name' for $(value -c "SELECT round(extract(epoch FROM now() - query_start)::numeric, 1) FROM pg_stat_activity WHERE pid = $pid") s"
	ckpt=$(checkpointer)
	kill -9 "$pid"
	wait "$psql_pid" || true
	# the postmaster notices, stops every server process and recovers: a
	# new checkpointer (test/lib.sh)
	wait_restarted "$ckpt"
	echo "the server restarted (checkpointer $ckpt, now $ckpt_now)"
	check "after the crash of $name: time_entries holds the baseline only (none of the statement)" \
		"SELECT count(*) = $baseline FROM time_entry.time_entries"
	check "after the crash of $name: sink is empty" "SELECT count(*) = 0 FROM sink"
	check_table "after the crash of $name"
}

kill_backend te_faults_lateral \
	"INSERT INTO sink SELECT s.n, r.* FROM stage s CROSS JOIN LATERAL time_entry.try_create_entry(s.entry, s.actor) r"
kill_backend te_faults_import \
	"INSERT INTO sink (n, id, error) SELECT ordinal, id, error
	   FROM time_entry.import_entries((SELECT jsonb_agg(entry ORDER BY n) FROM stage), 'fa000000-0000-4000-8000-0000000000b1')"

# 4. The postmaster killed after a commit -------------------------------------
echo
echo "=== kill -9 of the postmaster after a committed import"
value -c "BEGIN; SET LOCAL time_entry.actor = 'fa000000-0000-4000-8000-0000000000b1';
          INSERT INTO sink (n, id, error) SELECT ordinal, id, error
            FROM time_entry.import_entries((SELECT jsonb_agg(entry ORDER BY n) FROM stage WHERE n <= 11000));
          COMMIT;"
check "the committed import created 10 000 entries" \
	"SELECT count(*) = 10000 AND count(*) FILTER (WHERE id IS NOT NULL) = 10000 FROM sink"
rows_before=$(value -c 'SELECT count(*) FROM time_entry.time_entries')
sum_before=$(value -c 'SELECT md5(string_agg(t::text, E'"'"'\n'"'"' ORDER BY id)) FROM time_entry.time_entries t')
pm=$(postmaster_pid)
if ! grep -q "$datadir" "/proc/$pm/cmdline" 2>/dev/null; then
	fail "process $pm is not the postmaster of $datadir"
else
	children=$(ps -o pid= --ppid "$pm" | tr '\n' ' ')
	kill -9 "$pm"
	# the children notice that the postmaster is gone and exit
	tries=0
	for child in $children; do
		while kill -0 "$child" 2>/dev/null; do
			tries=$((tries + 1))
			[ "$tries" -gt 100 ] && break
			sleep 0.1
		done
	done
	echo "postmaster $pm killed; restarting cluster $cluster_version/$cluster_name"
	pg_ctlcluster "$cluster_version" "$cluster_name" start
	wait_ready
	check "after the restart: every committed entry is there ($rows_before)" \
		"SELECT count(*) = $rows_before FROM time_entry.time_entries"
	check "after the restart: every column of every row is as before" \
		"SELECT md5(string_agg(t::text, E'\n' ORDER BY id)) = '$sum_before' FROM time_entry.time_entries t"
	check_table "after the restart"
	check "after the restart: the create path works" \
		"SELECT id IS NOT NULL FROM time_entry.try_create_entry(request(300000), actor(300000))"
fi

dropdb --if-exists "$db"
echo
if [ "$failures" -ne 0 ]; then
	echo "faults: $failures check(s) FAILED"
	exit 1
fi
echo "faults: all checks passed"
