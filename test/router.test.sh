#!/bin/sh
# The scale-out router (router/, README "Scaling out"; issue 13, items 4-6),
# for real on one machine.
#
# Cluster 1 is the server of the environment (a pg_virtualenv cluster:
# PGHOST, PGPORT, ...); cluster 2 is made here with initdb and pg_ctl on a
# free port, in a scratch directory removed on exit
# (test/router/env.sh).  Four shard databases, te_shard_1 and te_shard_2 on
# cluster 1, te_shard_3 and te_shard_4 on cluster 2, each with
# time_entry_shard; a router database te_router on cluster 1 with
# time_entry_router: eight partitions, partition p on shard (p mod 4) + 1.
# 17 workspaces: 1-12 placed on partition (n - 1) mod 8, 13 and 14 placed
# on their default (hash) partition, 15 and 16 not placed (routed by the
# hash), 17 on no shard at all; 1-16 get their directory on the shard their
# placement names (test/router/fixtures.sql).
#
#   1. Placement and the faces: the hash default, every face through the
#      router on a shard of each cluster, the router session's
#      time_entry.actor, an application role granted one face (and
#      nothing else), and the refusals: a NULL workspace, a workspace
#      the shard does not hold (42704 workspace-not-held), an actor of
#      another workspace on the same shard (exactly time_entry's answer to
#      an unknown actor).
#   2. Errors: a table of failing calls, each made through the router and
#      directly on the shard: the same SQLSTATE, message, detail, hint,
#      column (property), constraint (code), table and schema.  And the
#      router keeps its shard connection across a refused call, where a
#      plain PL/Proxy call of time_entry (the negative control) loses it
#      and loses the property and the code.
#   3. Load with a shard stopped: pgbench through the router for
#      ROUTER_LOAD_SECONDS (default 12), 4 clients over all workspaces and
#      2 over those of cluster 1, mixing try_create_entry, create_entry,
#      import_entries of three requests and one request sent twice, 30 %
#      of the requests invalid in four ways, every request with its own
#      request id (test/router/client.sql logs what each client was told).
#      Cluster 2 is stopped (immediate: a crash) at 3 s and started at 6 s;
#      calls that cannot reach it are retried with the same request.
#   4. Load while workspace 1 moves from shard_1 (cluster 1) to shard_3
#      (cluster 2): its rows on shard_1 are snapshotted first.
#   5. The books: every entry on the shard its placement names; what the
#      clients were told created equals what the shards hold, one row per
#      request id, with the audit values the client was told; no request
#      sent twice made two entries; every refusal had its SQLSTATE, code and
#      property; the stop failed only calls of cluster 2's workspaces,
#      while cluster 1 went on, and lost nothing committed; the moved
#      workspace kept every row as it was, and the old shard refuses it.
#
# No pgbouncer in front of the shards: router/bench.sh measures that it
# costs the router a fifth of its throughput here and saves nothing once
# errors come back as data (README "Scaling out").
#
# Runs on a pg_virtualenv cluster only (cluster 2 must load the same
# time_entry build as cluster 1, which test/cluster.sh's clusters load from
# a scratch directory).  Installs postgresql-15-plproxy when missing (as
# root) and the router's extensions (make -C router install).  RE_KEEP=1
# keeps the scratch directory (cluster 2's log).  Exits non-zero on any
# failure.
set -eu

cd "$(dirname "$0")/.."

datadir=$(psql -X -A -t -d postgres -c 'SHOW data_directory')
case "$datadir" in
*/pg_virtualenv.*/*) ;;
*)
	echo "skipped: $datadir is not a pg_virtualenv cluster (see the head of $0)"
	exit 77 ;;	# skipped (test/run.sh)
esac

. test/lib.sh
. test/router/env.sh

db=te_router
failures=0
load_seconds=${ROUTER_LOAD_SECONDS:-12}
started=$(date +%s)
PGOPTIONS="-c client_min_messages=warning"
export PGOPTIONS
pids=""

cleanup()
{
	for pid in $pids; do
		kill "$pid" 2>/dev/null || true
	done
	re_cleanup
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS te_shard_1 WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS te_shard_2 WITH (FORCE)" \
		-c "DROP ROLE IF EXISTS te_router" -c "DROP ROLE IF EXISTS te_app" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

step()
{
	echo "--- $(date +%H:%M:%S) $1"
}

# same DESCRIPTION EXPECTED GOT
same()
{
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		fail "$1 (expected '$2', got '$3')"
	fi
}

step "PL/Proxy and the router's extensions; cluster 2; four shards; the router"
re_prepare router
re_install
re_c2_start
re_shards
re_router "$db"
q -f test/router/client.sql
echo "cluster 1: $PGHOST:$PGPORT; cluster 2: 127.0.0.1:$re_c2_port ($re_work/c2)"

# 1. Placement and the faces -------------------------------------------------

step "placement"
q -c "SELECT time_entry_router.place_workspace(id, (n - 1) % 8) FROM rt.workspaces WHERE n <= 12" \
  -c "SELECT time_entry_router.place_workspace(id) FROM rt.workspaces WHERE n IN (13, 14)" >/dev/null
check "14 placements: 1-12 on partition (n - 1) mod 8, 13 and 14 on their hash partition" \
	"SELECT count(*) = 14 AND bool_and(p.partition = CASE WHEN w.n <= 12 THEN (w.n - 1) % 8
	                                                      ELSE hashtext(w.id::text) & 7 END)
	   FROM time_entry_router.placements p JOIN rt.workspaces w ON w.id = p.workspace_id"
check "an unplaced workspace is routed to its hash partition" \
	"SELECT bool_and(time_entry_router.partition_of(id) = hashtext(id::text) & 7)
	   FROM rt.workspaces WHERE n >= 15"
check "the PL/Proxy cluster has partition p on shard (p mod 4) + 1" \
	"SELECT array_agg(o ORDER BY o) = (SELECT array_agg(format('p%s=dbname=te_shard_%s %s', p, p % 4 + 1,
	                                        CASE WHEN p % 4 < 2 THEN 'host=$PGHOST port=$PGPORT'
	                                             ELSE 'host=127.0.0.1 port=$re_c2_port' END) ORDER BY 1)
	                                     FROM generate_series(0, 7) p)
	   FROM pg_foreign_server s, unnest(s.srvoptions) o
	  WHERE s.srvname = 'time_entry_shards' AND o LIKE 'p%'"
check "remapping a partition with placed workspaces is refused" \
	"SELECT rt.error_of(\$\$SELECT time_entry_router.map_partition(0, 'shard_2')\$\$) ->> 'sqlstate' = '55006'"
check "placing a placed workspace elsewhere is refused" \
	"SELECT rt.error_of(\$\$SELECT time_entry_router.place_workspace(rt.ws(1), 3)\$\$) ->> 'sqlstate' = '55006'"

for n in 1 2 3 4; do
	list=$(value -c "SELECT coalesce('{' || string_agg(id::text, ',') || '}', '{}') FROM rt.workspaces
	                  WHERE in_load AND time_entry_router.shard_of(id) = 'shard_$n'")
	re_shard_psql "$n" -v workspaces="$list" -f test/router/fixtures.sql >/dev/null
	echo "shard_$n holds $list"
done
for n in 1 2 3 4; do
	re_shard_psql "$n" -f test/router/error_of.sql >/dev/null
done
# for the negative control (rt.raw_create_entry): time_entry itself, over PL/Proxy
re_shard_psql 1 -c 'GRANT EXECUTE ON FUNCTION time_entry.create_entry(jsonb, uuid) TO te_router'
for n in 1 2 3 4; do
	check "shard_$n holds exactly the workspaces placed on its partitions" \
		"SELECT array(SELECT workspace_id FROM time_entry_router.shard_held($((n - 1))) ORDER BY 1)
		      = array(SELECT id FROM rt.workspaces WHERE in_load AND time_entry_router.shard_of(id) = 'shard_$n' ORDER BY 1)"
done

step "the faces, on a shard of each cluster"
for n in 1 3; do
	ws=$(value -c "SELECT rt.ws($n)")
	u1=$(value -c "SELECT rt.user_of(rt.ws($n), 1)")
	shard=$(value -c "SELECT time_entry_router.shard_of(rt.ws($n))")
	shard_n=${shard#shard_}
	id=$(value -c "SELECT gen_random_uuid()")
	req="{\"id\": \"$id\", \"userId\": \"$u1\", \"typeOfWorkId\": \"$(value -c "SELECT rt.type_of(rt.ws($n))")\",
	      \"timezone\": \"Europe/Berlin\", \"startDateLocal\": \"2024-10-27\", \"startTimeLocal\": \"01:00\",
	      \"endTimeLocal\": \"04:00\"}"
	check "$shard: validate_entry finds the request valid" \
		"SELECT time_entry_router.validate_entry('$ws', '$req', '$u1') IS NULL"
	check "$shard: create_entry creates it with the request id, across the end of summer time (14400 s)" \
		"SELECT e ->> 'id' = '$id' AND (e ->> 'duration')::int = 14400
		   FROM time_entry_router.create_entry('$ws', '$req', '$u1') e"
	same "$shard: the entry is on $shard and on no other shard" "1 0" \
		"$(re_shard_psql "$shard_n" -A -t -c "SELECT count(*) FROM time_entry.time_entries WHERE id = '$id'") $(
		   for m in 1 2 3 4; do [ "$m" = "$shard_n" ] || re_shard_psql "$m" -A -t -c "SELECT count(*) FROM time_entry.time_entries WHERE id = '$id'"; done | sort -u)"
	check "$shard: create_entry again with the same request id returns the same entry" \
		"SELECT e ->> 'id' = '$id' FROM time_entry_router.create_entry('$ws', '$req', '$u1') e"
	check "$shard: get_entry reads it" \
		"SELECT e ->> 'id' = '$id' AND e ->> 'timezone' = 'Europe/Berlin'
		   FROM time_entry_router.get_entry('$ws', '$id', '$u1') e"
	check "$shard: list_entries lists it" \
		"SELECT count(*) = 1 FROM time_entry_router.list_entries('$ws', '$u1', '$u1', NULL, '2024-10-27', '2024-10-27') e
		  WHERE e ->> 'id' = '$id'"
	check "$shard: update_entry with the current version changes it" \
		"SELECT e ->> 'note' = 'changed'
		   FROM time_entry_router.update_entry('$ws', '$id', '{\"note\": \"changed\"}', '$u1',
		        (time_entry_router.get_entry('$ws', '$id', '$u1') ->> 'resourceVersion')::bigint) e"
	check "$shard: update_entry with a stale version is a version-conflict (40001) on resourceVersion" \
		"SELECT e ->> 'sqlstate' = '40001' AND e ->> 'constraint' = 'version-conflict' AND e ->> 'column' = 'resourceVersion'
		   FROM rt.error_of(\$\$SELECT time_entry_router.update_entry('$ws', '$id', '{\"note\": \"x\"}', '$u1', 1)\$\$) e"
	check "$shard: start_timer starts a running entry, stop_timer stops it" \
		"SELECT (time_entry_router.start_timer('$ws', '{\"userId\": \"$u1\", \"typeOfWorkId\": \"$(value -c "SELECT rt.type_of(rt.ws($n))")\",
		                                               \"timezone\": \"UTC\"}', '$u1') ->> 'endDateUtc') IS NULL
		    AND (time_entry_router.stop_timer('$ws', '$u1', '$u1') ->> 'endDateUtc') IS NOT NULL"
	check "$shard: import_entries creates the valid element and reports the other" \
		"SELECT array_agg(i.id IS NOT NULL ORDER BY i.ordinal) = '{t,f}' AND max(i.error ->> 'code') = 'validation-failed'
		   FROM time_entry_router.import_entries('$ws', '[$req, {}]'::jsonb #- '{0,id}', '$u1') i"
	check "$shard: delete_entry deletes it" \
		"SELECT time_entry_router.delete_entry('$ws', '$id', '$u1') ->> 'id' = '$id'
		    AND rt.error_of(\$\$SELECT time_entry_router.get_entry('$ws', '$id', '$u1')\$\$) ->> 'sqlstate' = 'P0002'"
	check "$shard: the router session's time_entry.actor is the actor of a call without one" \
		"SELECT set_config('time_entry.actor', '$u1', true) IS NOT NULL
		    AND time_entry_router.create_entry('$ws', '$req'::jsonb - 'id', NULL) ->> 'createdBy' = '$u1'"
done

step "privileges: an application role granted the faces it calls, and nothing else"
psql -X -q -d postgres -c "DROP ROLE IF EXISTS te_app" -c "CREATE ROLE te_app"
q -c "GRANT EXECUTE ON FUNCTION time_entry_router.create_entry(uuid, jsonb, uuid) TO te_app" \
  -c "GRANT USAGE ON SCHEMA rt TO te_app" -c "GRANT SELECT ON rt.workspaces TO te_app"
check "it creates an entry through the face (the face connects as the extension's owner's mapping)" \
	"SET ROLE te_app;
	 SELECT time_entry_router.create_entry(rt.ws(3), jsonb_build_object('userId', rt.user_of(rt.ws(3), 2),
	        'typeOfWorkId', rt.type_of(rt.ws(3)), 'timezone', 'UTC', 'startDateUtc', '2024-03-01', 'duration', 60),
	        rt.user_of(rt.ws(3), 2)) ->> 'duration' = '60'"
check "it may not call a face it was not granted" \
	"SET ROLE te_app;
	 SELECT rt.error_of(\$\$SELECT * FROM time_entry_router.try_create_entry(rt.ws(3), '{}')\$\$) ->> 'sqlstate' = '42501'"
check "it may not read the placement, nor call PL/Proxy's remote functions" \
	"SET ROLE te_app;
	 SELECT rt.error_of(\$\$SELECT * FROM time_entry_router.placements\$\$) ->> 'sqlstate' = '42501'
	    AND rt.error_of(\$\$SELECT * FROM time_entry_router.remote_create_entry(rt.ws(3), '{}', NULL)\$\$) ->> 'sqlstate' = '42501'"

step "refusals"
ws1=$(value -c "SELECT rt.ws(1)")
u1=$(value -c "SELECT rt.user_of(rt.ws(1), 1)")
t1=$(value -c "SELECT rt.type_of(rt.ws(1))")
# workspace 9 is on partition 0 too: shard_1 holds both
u9=$(value -c "SELECT rt.user_of(rt.ws(9), 1)")
req1="{\"userId\": \"$u1\", \"typeOfWorkId\": \"$t1\", \"timezone\": \"UTC\", \"startDateUtc\": \"2024-05-02T10:00:00Z\", \"duration\": 600}"
check "a NULL workspace is validation-failed (23502) on workspaceId, on every face" \
	"SELECT bool_and(e ->> 'sqlstate' = '23502' AND e ->> 'constraint' = 'validation-failed' AND e ->> 'column' = 'workspaceId')
	   FROM unnest(ARRAY[
	        rt.error_of(\$\$SELECT time_entry_router.create_entry(NULL, '{}', NULL)\$\$),
	        rt.error_of(\$\$SELECT * FROM time_entry_router.try_create_entry(NULL, '{}', NULL)\$\$),
	        rt.error_of(\$\$SELECT * FROM time_entry_router.import_entries(NULL, '[]', NULL)\$\$),
	        rt.error_of(\$\$SELECT time_entry_router.validate_entry(NULL, '{}', NULL)\$\$),
	        rt.error_of(\$\$SELECT time_entry_router.get_entry(NULL, NULL, NULL)\$\$),
	        rt.error_of(\$\$SELECT * FROM time_entry_router.list_entries(NULL)\$\$),
	        rt.error_of(\$\$SELECT time_entry_router.update_entry(NULL, NULL, '{}')\$\$),
	        rt.error_of(\$\$SELECT time_entry_router.start_timer(NULL, '{}')\$\$),
	        rt.error_of(\$\$SELECT time_entry_router.stop_timer(NULL, NULL)\$\$),
	        rt.error_of(\$\$SELECT time_entry_router.delete_entry(NULL, NULL)\$\$)]) e"
check "a workspace its shard does not hold is refused: 42704 workspace-not-held on workspaceId" \
	"SELECT e ->> 'sqlstate' = '42704' AND e ->> 'constraint' = 'workspace-not-held' AND e ->> 'column' = 'workspaceId'
	        AND e ->> 'message' = format('workspace %s is not held by this shard', rt.ws(17))
	   FROM rt.error_of(\$\$SELECT * FROM time_entry_router.try_create_entry(rt.ws(17), '{}', NULL)\$\$) e"
# the answer time_entry gives an actor it does not know, on shard_2, which
# has no user $u9
unknown_create=$(psql -X -A -t -d te_shard_2 -c "SELECT jsonb_build_object('e', rt.error_of(\$\$SELECT time_entry.create_entry('$req1', '$u9')\$\$))")
unknown_try=$(psql -X -A -t -d te_shard_2 -c "SELECT error FROM time_entry.try_create_entry('$req1', '$u9')")
unknown_validate=$(psql -X -A -t -d te_shard_2 -c "SELECT time_entry.validate_entry('$req1', '$u9')")
same "an actor of another workspace on the same shard: create_entry raises what time_entry raises for an unknown actor" \
	"$unknown_create" \
	"$(value -c "SELECT jsonb_build_object('e', rt.error_of(\$\$SELECT time_entry_router.create_entry('$ws1', '$req1', '$u9')\$\$))")"
same "... try_create_entry returns its error object" "$unknown_try" \
	"$(value -c "SELECT error FROM time_entry_router.try_create_entry('$ws1', '$req1', '$u9')")"
same "... validate_entry returns its error object" "$unknown_validate" \
	"$(value -c "SELECT time_entry_router.validate_entry('$ws1', '$req1', '$u9')")"
same "... and nothing was created" "0" \
	"$(psql -X -A -t -d te_shard_1 -c "SELECT count(*) FROM time_entry.time_entries
	                                    WHERE workspace_id = '$(value -c "SELECT rt.ws(9)")'
	                                       OR start_at = '2024-05-02 10:00:00+00'")"

# 2. Errors through the router ---------------------------------------------------

step "errors through the router: every field as on the shard"
e1=$(value -c "SELECT gen_random_uuid()")
q -c "SELECT time_entry_router.create_entry('$ws1', '{\"id\": \"$e1\", \"userId\": \"$u1\", \"typeOfWorkId\": \"$t1\",
      \"timezone\": \"UTC\", \"startDateUtc\": \"2024-05-01T09:00:00Z\", \"duration\": 600}', '$u1')" >/dev/null
nobody=0badc0de-0000-4000-8000-000000000000
while IFS='|' read -r name router shard; do
	[ -n "$name" ] || continue
	r=$(value -c "SELECT rt.error_of(\$q\$$router\$q\$)")
	s=$(psql -X -A -t -d te_shard_1 -c "SELECT rt.error_of(\$q\$$shard\$q\$)")
	if [ -n "$r" ] && [ "$r" = "$s" ] && echo "$r" | grep -q '"constraint": "[a-z-]*"' &&
	   echo "$r" | grep -q '"column": "[A-Za-z]*"'; then
		echo "ok: $name: $(echo "$r" | sed 's/.*"sqlstate": "\([^"]*\)".*/\1/') $(echo "$r" | sed 's/.*"constraint": "\([^"]*\)".*/\1/') on $(echo "$r" | sed 's/.*"column": "\([^"]*\)".*/\1/')"
	else
		fail "$name: through the router $r, on the shard $s"
	fi
done <<EOF
create_entry, no typeOfWorkId|SELECT time_entry_router.create_entry('$ws1', '{"userId": "$u1", "timezone": "UTC", "startDateUtc": "2024-05-02"}', '$u1')|SELECT time_entry.create_entry('{"userId": "$u1", "timezone": "UTC", "startDateUtc": "2024-05-02"}', '$u1')
create_entry, unknown time zone|SELECT time_entry_router.create_entry('$ws1', '{"userId": "$u1", "typeOfWorkId": "$t1", "timezone": "Mars/Olympus", "startDateUtc": "2024-05-02", "duration": 60}', '$u1')|SELECT time_entry.create_entry('{"userId": "$u1", "typeOfWorkId": "$t1", "timezone": "Mars/Olympus", "startDateUtc": "2024-05-02", "duration": 60}', '$u1')
create_entry, a property in the wrong case (a hint)|SELECT time_entry_router.create_entry('$ws1', '{"userId": "$u1", "typeOfWorkId": "$t1", "timezone": "UTC", "startDateUtc": "2024-05-02", "duration": 60, "IsBillable": true}', '$u1')|SELECT time_entry.create_entry('{"userId": "$u1", "typeOfWorkId": "$t1", "timezone": "UTC", "startDateUtc": "2024-05-02", "duration": 60, "IsBillable": true}', '$u1')
create_entry, not an object|SELECT time_entry_router.create_entry('$ws1', '[]', '$u1')|SELECT time_entry.create_entry('[]', '$u1')
create_entry, an unknown actor|SELECT time_entry_router.create_entry('$ws1', '{}', '$nobody')|SELECT time_entry.create_entry('{}', '$nobody')
create_entry, a type of work of another workspace|SELECT time_entry_router.create_entry('$ws1', '{"userId": "$u1", "typeOfWorkId": "$(value -c "SELECT rt.type_of(rt.ws(9))")", "timezone": "UTC", "startDateUtc": "2024-05-02", "duration": 60}', '$u1')|SELECT time_entry.create_entry('{"userId": "$u1", "typeOfWorkId": "$(value -c "SELECT rt.type_of(rt.ws(9))")", "timezone": "UTC", "startDateUtc": "2024-05-02", "duration": 60}', '$u1')
create_entry, a request id used with other values|SELECT time_entry_router.create_entry('$ws1', '{"id": "$e1", "userId": "$u1", "typeOfWorkId": "$t1", "timezone": "UTC", "startDateUtc": "2024-05-01T09:00:00Z", "duration": 900}', '$u1')|SELECT time_entry.create_entry('{"id": "$e1", "userId": "$u1", "typeOfWorkId": "$t1", "timezone": "UTC", "startDateUtc": "2024-05-01T09:00:00Z", "duration": 900}', '$u1')
get_entry, no such entry|SELECT time_entry_router.get_entry('$ws1', '$nobody', '$u1')|SELECT time_entry.get_entry('$nobody', '$u1')
update_entry, a stale version|SELECT time_entry_router.update_entry('$ws1', '$e1', '{"note": "x"}', '$u1', 1)|SELECT time_entry.update_entry('$e1', '{"note": "x"}', '$u1', 1)
update_entry, changes not an object|SELECT time_entry_router.update_entry('$ws1', '$e1', '[]', '$u1')|SELECT time_entry.update_entry('$e1', '[]', '$u1')
delete_entry, no such entry|SELECT time_entry_router.delete_entry('$ws1', '$nobody', '$u1')|SELECT time_entry.delete_entry('$nobody', '$u1')
start_timer, with a duration|SELECT time_entry_router.start_timer('$ws1', '{"userId": "$u1", "typeOfWorkId": "$t1", "timezone": "UTC", "duration": 60}', '$u1')|SELECT time_entry.start_timer('{"userId": "$u1", "typeOfWorkId": "$t1", "timezone": "UTC", "duration": 60}', '$u1')
stop_timer, nothing running|SELECT time_entry_router.stop_timer('$ws1', '$u1', '$u1')|SELECT time_entry.stop_timer('$u1', '$u1')
import_entries, not an array|SELECT * FROM time_entry_router.import_entries('$ws1', '{}', '$u1')|SELECT * FROM time_entry.import_entries('{}', '$u1')
list_entries, an unknown actor|SELECT * FROM time_entry_router.list_entries('$ws1', '$nobody')|SELECT * FROM time_entry.list_entries('$nobody')
EOF

step "a refused call keeps the router's shard connection"
pids_seen=$(value <<EOF
SELECT rt.shard_pid(0);
SELECT rt.error_of(\$\$SELECT time_entry_router.create_entry('$ws1', '{}', '$u1')\$\$) ->> 'constraint';
SELECT rt.shard_pid(0);
SELECT coalesce(nullif(rt.error_of(\$\$SELECT rt.raw_create_entry('$ws1', '{}', '$u1')\$\$) ->> 'constraint', ''), 'lost');
SELECT rt.shard_pid(0);
EOF
)
set -- $pids_seen
same "through the router the refusal keeps its code, and the shard backend stays" "validation-failed $1" "$2 $3"
if [ "$4" = lost ] && [ "$5" != "$3" ]; then
	echo "ok: the negative control: raised through plain PL/Proxy, the code is lost and the connection dropped"
else
	fail "the negative control: plain PL/Proxy should lose the code and the connection (code $4, backend $3 then $5)"
fi

# 3. Load, with cluster 2 stopped for 3 s ------------------------------------------------

# load SCOPE CLIENTS SECONDS OUT: the load mix through the router in the
# background; its pid in $load_pid (and $pids, for the cleanup).
load()
{
	pgbench -n -c "$2" -j "$(( $2 < 2 ? 1 : 2 ))" -T "$3" -D scope="$1" \
		-f test/router/try.pgbench@4 -f test/router/create.pgbench@3 \
		-f test/router/import.pgbench@2 -f test/router/dup.pgbench@1 \
		"$db" >"$4" 2>&1 &
	load_pid=$!
	pids="$pids $load_pid"
}

# The exit status of a background pgbench, and no client aborted.
load_ok()
{
	rc=0
	wait "$1" || rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q 'aborted' "$2"; then
		echo "ok: $3: $(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$2") calls"
	else
		fail "$3: pgbench exit $rc:"
		cat "$2"
	fi
}

step "load: $load_seconds s through the router; cluster 2 stopped (immediate) at 3 s, started at 6 s"
load 0 4 "$load_seconds" "$re_work/load1.all"
all=$load_pid
load 1 2 "$load_seconds" "$re_work/load1.c1"
c1=$load_pid
sleep 3
q -c "INSERT INTO rt.events (name) VALUES ('c2 stopping')"
re_c2_stop immediate
q -c "INSERT INTO rt.events (name) VALUES ('c2 stopped')"
sleep 3
re_c2_start
q -c "INSERT INTO rt.events (name) VALUES ('c2 started')"
load_ok "$all" "$re_work/load1.all" "pgbench, 4 clients, all workspaces"
load_ok "$c1" "$re_work/load1.c1" "pgbench, 2 clients, the workspaces of cluster 1"
q -c "INSERT INTO rt.events (name) VALUES ('load 1 done')"
pids=""

check "calls for cluster 2's workspaces failed with shard-unavailable while it was down" \
	"SELECT count(*) > 0 FROM rt.attempts WHERE code = 'shard-unavailable'"
check "... only those: no call for a workspace of cluster 1 failed to reach its shard" \
	"SELECT count(*) = 0 FROM rt.attempts WHERE code = 'shard-unavailable' AND shard NOT IN ('shard_3', 'shard_4')"
check "... only from the stop until shortly after the restart (each router backend's first call on a broken connection)" \
	"SELECT bool_and(a.at BETWEEN (SELECT at FROM rt.events WHERE name = 'c2 stopping')
	                         AND (SELECT at FROM rt.events WHERE name = 'c2 started') + interval '15 s')
	   FROM rt.attempts a WHERE a.code = 'shard-unavailable'"
check "cluster 1 went on creating entries while cluster 2 was down" \
	"SELECT count(*) > 0 FROM rt.calls
	  WHERE outcome = 'created' AND shard IN ('shard_1', 'shard_2')
	    AND ended BETWEEN (SELECT at FROM rt.events WHERE name = 'c2 stopped')
	                  AND (SELECT at FROM rt.events WHERE name = 'c2 started')"
check "cluster 2 created entries again after its restart" \
	"SELECT count(*) > 0 FROM rt.calls
	  WHERE outcome = 'created' AND shard IN ('shard_3', 'shard_4') AND attempts = 1
	    AND ended > (SELECT at FROM rt.events WHERE name = 'c2 started') + interval '1 s'"
value -c "SELECT 'outage: ' || count(*) || ' failed attempts of ' || count(DISTINCT request_id) || ' requests, all retried with their request id'
            FROM rt.attempts WHERE code = 'shard-unavailable'"

# 4. Load while workspace 1 moves from shard_1 to shard_3 ----------------------------------

step "load: 8 s through the router; workspace 1 moves from partition 0 (shard_1) to partition 2 (shard_3) at 2 s"
load 0 4 8 "$re_work/load2.all"
all=$load_pid
sleep 2
snapshot_sql="COPY (SELECT to_jsonb(t)::text FROM time_entry.time_entries t WHERE t.workspace_id = '$ws1' ORDER BY t.id) TO STDOUT"
psql -X -q -d te_shard_1 -c "SET TimeZone = 'UTC'" -c "$snapshot_sql" | sort >"$re_work/moved.before"
q -c "INSERT INTO rt.events (name) VALUES ('move started')"
PGOPTIONS="-c client_min_messages=notice" psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
	-c "CALL time_entry_router.move_workspace('$ws1', 2)" 2>&1 || fail "move_workspace failed"
q -c "INSERT INTO rt.events (name) VALUES ('move done')"
load_ok "$all" "$re_work/load2.all" "pgbench during the move, 4 clients, all workspaces"
pids=""
value -c "SELECT format('the move took %s ms; calls for workspace 1 refused meanwhile (workspace-moving), then retried: %s',
                        (SELECT round(extract(epoch FROM max(at) - min(at)) * 1000) FROM rt.events
                          WHERE name IN ('move started', 'move done')), count(*))
            FROM rt.attempts WHERE code = 'workspace-moving'"
# The source refuses writes from the freeze until the placement switches,
# for the whole of the move (~0.5 s here) while 4 clients call for 16
# workspaces without pause: some call for workspace 1 meets it, else the
# move was not tested under load.
check "calls for workspace 1 met the move: at least one attempt was refused with workspace-moving" \
	"SELECT count(*) >= 1 FROM rt.attempts WHERE code = 'workspace-moving' AND ws = rt.ws(1)"

re_shard_psql 3 -c "SET TimeZone = 'UTC'" -c "$snapshot_sql" | sort >"$re_work/moved.after"
same "the moved workspace had entries before the move" yes \
	"$([ -s "$re_work/moved.before" ] && echo yes || echo no)"
same "every entry of the workspace before the move is on shard_3, every column as it was (audit values included)" "0" \
	"$(comm -23 "$re_work/moved.before" "$re_work/moved.after" | wc -l)"
check "the workspace is placed on partition 2 and shard_3 holds it" \
	"SELECT time_entry_router.partition_of(rt.ws(1)) = 2
	    AND EXISTS (SELECT FROM time_entry_router.shard_held(2) WHERE workspace_id = rt.ws(1) AND NOT frozen)
	    AND NOT EXISTS (SELECT FROM time_entry_router.shard_held(0) WHERE workspace_id = rt.ws(1))"
check "shard_1 has no row of it left, in any table" \
	"SELECT bool_and((d.value ->> 0)::bigint = 0) FROM jsonb_each(time_entry_router.shard_digest(0, rt.ws(1))) d"
same "shard_1 refuses it (workspace-not-held)" "workspace-not-held" \
	"$(psql -X -A -t -d te_shard_1 -c "SELECT raised ->> 'constraint' FROM time_entry_shard.create_entry('$ws1', '{}', '$u1')")"
check "its directory came along: the rows the fixtures made in every table" \
	"SELECT bool_and((d.value ->> 0)::int = 1) AND (time_entry_router.shard_digest(2, rt.ws(1)) -> 'users' ->> 0)::int = 3
	   FROM jsonb_each(time_entry_router.shard_digest(2, rt.ws(1))) d
	  WHERE d.key NOT IN ('users', 'time_entries')"
check "its settings came along" \
	"SELECT time_entry_router.shard_digest(2, rt.ws(1)) -> 'settings' ->> 0 = '1'"
same "the moved settings row kept its values" "43200" \
	"$(re_shard_psql 3 -A -t -c "SELECT max_duration FROM time_entry.settings WHERE workspace_id = '$ws1'")"

# 5. The books ----------------------------------------------------------------------------

step "the books: what the clients were told against what the shards hold"
for n in 1 2 3 4; do
	re_shard_psql "$n" -c "COPY (SELECT 'shard_$n', id, workspace_id, created_by, created_on, updated_on, resource_version
	                               FROM time_entry.time_entries) TO STDOUT" |
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "COPY rt.shard_rows FROM STDIN"
done
# the entries of steps 1 and 2, made outside the load
q -c "DELETE FROM rt.shard_rows r WHERE NOT EXISTS (SELECT FROM rt.calls c WHERE c.request_id = r.id)
        AND r.created_on < (SELECT min(ended) FROM rt.calls)" >/dev/null
value -c "SELECT format('%s calls: %s created, %s refused as data, %s raised; %s entries on the shards',
                 count(*), count(*) FILTER (WHERE outcome = 'created'), count(*) FILTER (WHERE outcome = 'refused'),
                 count(*) FILTER (WHERE outcome = 'raised'), (SELECT count(*) FROM rt.shard_rows))
            FROM rt.calls"
check "every face was called with valid and invalid requests" \
	"SELECT count(*) = 7 FROM (SELECT DISTINCT face, kind = 'valid' FROM rt.calls) x"
check "every call ended with an answer: no retry gave up" \
	"SELECT count(*) = 0 FROM rt.calls WHERE outcome = 'raised' AND (code IS NULL OR rt.retryable(code))"
check "every valid request was created" \
	"SELECT count(*) = 0 FROM rt.calls WHERE kind = 'valid' AND outcome <> 'created'"
check "every invalid request was refused with its SQLSTATE, code and property (as data, or raised with the fields)" \
	"SELECT count(*) = 0 FROM rt.calls c, rt.expected(c.kind) e
	  WHERE c.kind <> 'valid'
	    AND (c.outcome NOT IN ('refused', 'raised') OR (c.sqlstate, c.code, c.property) IS DISTINCT FROM (e.sqlstate, e.code, e.property))"
check "create_entry raised refusals, try_create_entry and import_entries returned them" \
	"SELECT bool_and(n > 0) FROM (SELECT count(*) FILTER (WHERE face = 'create' AND outcome = 'raised') n FROM rt.calls
	                              UNION ALL SELECT count(*) FILTER (WHERE face = 'try' AND outcome = 'refused') FROM rt.calls
	                              UNION ALL SELECT count(*) FILTER (WHERE face = 'import' AND outcome = 'refused') FROM rt.calls) x"
check "every entry is on the shard its placement names" \
	"SELECT count(*) = 0 FROM rt.shard_rows r WHERE r.shard <> time_entry_router.shard_of(r.workspace_id)"
check "every request the clients were told was created is on the shards, under its request id" \
	"SELECT count(*) = 0 FROM rt.calls c
	  WHERE c.outcome = 'created'
	    AND (c.entry_id IS DISTINCT FROM c.request_id OR NOT EXISTS (SELECT FROM rt.shard_rows r WHERE r.id = c.entry_id))"
check "every entry on the shards is a request a client was told was created" \
	"SELECT count(*) = 0 FROM rt.shard_rows r
	  WHERE NOT EXISTS (SELECT FROM rt.calls c WHERE c.outcome = 'created' AND c.entry_id = r.id)"
check "the totals are equal: requests told created = entries on the shards" \
	"SELECT (SELECT count(DISTINCT request_id) FROM rt.calls WHERE outcome = 'created') = (SELECT count(*) FROM rt.shard_rows)"
check "no entry twice: ids unique across the four shards" \
	"SELECT count(*) = count(DISTINCT id) FROM rt.shard_rows"
check "a request sent twice (and every retried one) made one entry, and both answers named it" \
	"SELECT count(*) > 0 AND bool_and(n = 2 AND ids = 1 AND created)
	   FROM (SELECT count(*) n, count(DISTINCT entry_id) ids, bool_and(outcome = 'created') created
	           FROM rt.calls WHERE face = 'dup' GROUP BY request_id) x"
check "the audit values the clients were told are the shards' (createdBy, createdOn, updatedOn, resourceVersion)" \
	"SELECT count(*) = 0 FROM rt.calls c JOIN rt.shard_rows r ON r.id = c.entry_id
	  WHERE c.response IS NOT NULL AND c.outcome = 'created'
	    AND ((c.response ->> 'createdBy')::uuid, (c.response ->> 'createdOn')::timestamptz,
	         (c.response ->> 'updatedOn')::timestamptz, (c.response ->> 'resourceVersion')::bigint)
	        IS DISTINCT FROM (r.created_by, r.created_on, r.updated_on, r.resource_version)"
check "... for the moved workspace too, before the move (the rows copied to shard_3)" \
	"SELECT count(*) > 0 FROM rt.calls c JOIN rt.shard_rows r ON r.id = c.entry_id
	  WHERE c.ws = rt.ws(1) AND c.response IS NOT NULL AND r.shard = 'shard_3'
	    AND c.ended < (SELECT at FROM rt.events WHERE name = 'move started')"
# During the move: a call of workspace 1 that ended between 'move started'
# and 'move done' was made on shard_1 before the freeze (and copied) or on
# shard_3 after the switch; either way its entry is on shard_3 now.  A call
# refused with workspace-moving was retried until it got through, which it
# could only after the switch (shard_1 refuses the workspace from the
# freeze on): it ended with the workspace on shard_3, and its entry was
# written after its first refusal, so by shard_3, not copied (unless an
# earlier send of the same request had made it: the dup face).
check "... and during it: every call of workspace 1 that met the move (at least one) or ended while it ran has its entry on shard_3 with the audit values it was told; one that met it ended after the switch, its entry written by shard_3" \
	"WITH d AS (
	   SELECT c.*, (SELECT min(a.at) FROM rt.attempts a
	                 WHERE a.request_id = c.request_id AND a.code = 'workspace-moving' AND a.at < c.ended) AS refused
	     FROM rt.calls c WHERE c.ws = rt.ws(1))
	 SELECT count(*) FILTER (WHERE d.refused IS NOT NULL) > 0
	        AND bool_and(((d.refused IS NULL OR d.shard = 'shard_3')
	                      AND (d.outcome <> 'created'
	                           OR (r.shard = 'shard_3'
	                               AND (d.response IS NULL
	                                    OR ((d.response ->> 'createdBy')::uuid, (d.response ->> 'createdOn')::timestamptz,
	                                        (d.response ->> 'updatedOn')::timestamptz, (d.response ->> 'resourceVersion')::bigint)
	                                       = (r.created_by, r.created_on, r.updated_on, r.resource_version))
	                               AND (d.refused IS NULL OR r.created_on > d.refused
	                                    OR EXISTS (SELECT FROM rt.calls e WHERE e.request_id = d.request_id
	                                                  AND e.outcome = 'created' AND e.ended < d.refused))))) IS TRUE)
	   FROM d LEFT JOIN rt.shard_rows r ON r.id = d.entry_id
	  WHERE d.refused IS NOT NULL
	     OR d.ended BETWEEN (SELECT at FROM rt.events WHERE name = 'move started')
	                    AND (SELECT at FROM rt.events WHERE name = 'move done')"
value -c "SELECT format('during the move: %s calls of workspace 1 met it, %s ended while it ran (%s created, %s on shard_1 before the freeze)',
                        count(*) FILTER (WHERE EXISTS (SELECT FROM rt.attempts a WHERE a.request_id = c.request_id
                                                          AND a.code = 'workspace-moving' AND a.at < c.ended)),
                        count(*) FILTER (WHERE c.ended BETWEEN s.at AND e.at),
                        count(*) FILTER (WHERE c.ended BETWEEN s.at AND e.at AND c.outcome = 'created'),
                        count(*) FILTER (WHERE c.ended BETWEEN s.at AND e.at AND c.shard = 'shard_1'))
            FROM rt.calls c, rt.events s, rt.events e
           WHERE c.ws = rt.ws(1) AND s.name = 'move started' AND e.name = 'move done'"
check "nothing committed on cluster 2 before its crash was lost" \
	"SELECT count(*) > 0 AND bool_and(EXISTS (SELECT FROM rt.shard_rows r WHERE r.id = c.entry_id))
	   FROM rt.calls c
	  WHERE c.outcome = 'created' AND c.shard IN ('shard_3', 'shard_4')
	    AND c.ended < (SELECT at FROM rt.events WHERE name = 'c2 stopping')"

echo
echo "router: $(($(date +%s) - started)) s, $failures failure(s)"
[ "$failures" -eq 0 ]
