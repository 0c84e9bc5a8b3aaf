#!/bin/sh
# What the router costs: create_entry's throughput through the router
# against calling a shard directly, and the cost of a refused call, raised
# through plain PL/Proxy against returned as data and re-raised by the
# router's faces; each with and without pgbouncer in front of the shards.
# It measures and prints; it is not a test, but it fails loudly when a run
# does not create exactly as many entries as pgbench says it called.
#
#	make install && make -C router install
#	pg_virtualenv -t -v 15 sh router/bench.sh
#
# The playground of test/router.test.sh (test/router/env.sh): cluster 1 is
# the pg_virtualenv cluster, cluster 2 is made here; shards te_shard_1..4
# (1 and 2 on cluster 1), router databases te_router (straight to the
# shards) and te_router_pb (through pgbouncer, transaction pooling).  Four
# workspaces b0..b3 of 200 users each, on partitions 0..3 (shard_1..4).
#
# 1. Throughput: BENCH_ROUNDS rounds (default 5) of, in turn, pgbench
#    -M prepared -c BENCH_CLIENTS (4) -j 2 -T BENCH_SECONDS (5) over the
#    same script, one timed create_entry per transaction for a random user
#    of workspace b0 (its shard is shard_1 on cluster 1), called
#      direct      time_entry.create_entry on te_shard_1
#      shard face  time_entry_shard.create_entry on te_shard_1 (the guard
#                  and the error-as-data block the router's calls run)
#      router      time_entry_router.create_entry on te_router
#      router+pgb  the same on te_router_pb
#      router, 4   on te_router, a random workspace of b0..b3: the four
#                  shards, on both clusters
#    The table shows each mode's median tps and its ratio to direct.
# 2. A refused create_entry (an unknown type of work: refused after its
#    time zone is read), BENCH_CALLS (200) times in one
#    session, in ms per call: directly on the shard; through plain PL/Proxy
#    (time_entry.create_entry called over PL/Proxy, which raises it: the
#    connection is dropped); through the router's face; each through the
#    router with and without pgbouncer; and a created entry through the
#    face for comparison.
#
# The router and the shards share this machine's cores: see the README
# section "Scaling out" for what the figures mean on separate machines.
set -eu

cd "$(dirname "$0")/.."

clients=${BENCH_CLIENTS:-4}
seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-5}
calls=${BENCH_CALLS:-200}
for v in "$clients" "$seconds" "$rounds" "$calls"; do
	case "$v" in
	'' | *[!0-9]* | 0) echo "bench: BENCH_CLIENTS, BENCH_SECONDS, BENCH_ROUNDS and BENCH_CALLS are whole numbers > 0" >&2
		exit 2 ;;
	esac
done

. test/router/env.sh

if ! command -v pgbouncer >/dev/null; then
	echo "bench: pgbouncer is missing (Debian package pgbouncer)" >&2
	exit 2
fi

PGOPTIONS="-c client_min_messages=warning"
export PGOPTIONS

cleanup()
{
	re_cleanup
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS te_router WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS te_router_pb WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS te_shard_1 WITH (FORCE)" \
		-c "DROP DATABASE IF EXISTS te_shard_2 WITH (FORCE)" \
		-c "DROP ROLE IF EXISTS te_router" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

step()
{
	echo "--- $(date +%H:%M:%S) $1"
}

step "setup: cluster 2, four shards, pgbouncer, two routers"
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
re_prepare bench
re_install
re_c2_start
re_shards
re_pgbouncer_start
re_router te_router
re_router te_router_pb pgbouncer

for n in 0 1 2 3; do
	re_shard_psql $((n + 1)) -v users=200 -v workspaces="{b0000000-0000-4000-8000-00000000000$n}" \
		-f test/router/fixtures.sql >/dev/null
	re_shard_psql $((n + 1)) -c 'ANALYZE'
done
re_shard_psql 1 -c 'GRANT EXECUTE ON FUNCTION time_entry.create_entry(jsonb, uuid) TO te_router'

# ms_per_call(statement, n): runs it n times in this session, each in its
# own subtransaction; the mean ms per call and how many were refused.
helpers="
CREATE SCHEMA bench;
CREATE FUNCTION bench.ms_per_call(statement text, n integer, OUT ms numeric, OUT refused integer)
LANGUAGE plpgsql AS \$\$
DECLARE
	t0	timestamptz;
BEGIN
	refused := 0;
	BEGIN EXECUTE statement; EXCEPTION WHEN OTHERS THEN NULL; END;	-- warm-up
	t0 := clock_timestamp();
	FOR i IN 1 .. n LOOP
		BEGIN
			EXECUTE statement;
		EXCEPTION WHEN OTHERS THEN
			refused := refused + 1;
		END;
	END LOOP;
	ms := round((extract(epoch FROM clock_timestamp() - t0) * 1000 / n)::numeric, 2);
END
\$\$;"
requests="
CREATE FUNCTION bench.ws(w integer) RETURNS uuid
LANGUAGE sql IMMUTABLE AS \$\$ SELECT ('b0000000-0000-4000-8000-00000000000' || w)::uuid \$\$;
CREATE FUNCTION bench.user_of(w integer, u integer) RETURNS uuid
LANGUAGE sql IMMUTABLE AS \$\$ SELECT md5(bench.ws(w)::text || ':user:' || u)::uuid \$\$;
CREATE FUNCTION bench.request(w integer, u integer, d integer, m integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS \$\$
SELECT jsonb_build_object('userId', bench.user_of(w, u), 'typeOfWorkId', md5(bench.ws(w)::text || ':type')::uuid,
	'timezone', 'UTC', 'startDateUtc', (date '2015-01-01' + d)::text,
	'startTimeUtc', lpad((m / 60)::text, 2, '0') || ':' || lpad((m % 60)::text, 2, '0'), 'duration', 600)
\$\$;"
raw="
CREATE FUNCTION bench.raw_create_entry(entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE plproxy AS \$\$
	CLUSTER 'time_entry_shards';
	RUN ON 0;
	SELECT time_entry.create_entry(entry, actor);
\$\$;"
for d in te_router te_router_pb; do
	psql -X -q -v ON_ERROR_STOP=1 -d $d -c "$helpers" -c "$requests" -c "$raw"
	for n in 0 1 2 3; do
		psql -X -q -v ON_ERROR_STOP=1 -d $d \
			-c "SELECT time_entry_router.place_workspace('b0000000-0000-4000-8000-00000000000$n', $n)" >/dev/null
	done
done
re_shard_psql 1 -c "$helpers" -c "$requests"

# One script, five calls: the same rows whichever way they go, built by
# the same helpers (bench.request) on the router and on the shard.
script()
{
	cat <<EOF
\set w random(0, :wmax)
\set u random(1, 200)
\set d random(0, 3000)
\set m random(0, 1379)
SELECT $1(bench.ws(:w), bench.request(:w, :u, :d, :m), bench.user_of(:w, :u));
EOF
}
# time_entry.create_entry has no workspace argument: a wrapper of the
# same shape that drops it (LANGUAGE sql, inlined: it costs nothing)
re_shard_psql 1 -c "CREATE FUNCTION bench.direct(ws uuid, entry jsonb, actor uuid) RETURNS jsonb
                    LANGUAGE sql AS 'SELECT time_entry.create_entry(entry, actor)'"
script bench.direct >"$re_work/direct.pgbench"
# a refusal it returns as data would show as an entry missing from the count
script time_entry_shard.create_entry >"$re_work/face.pgbench"
script time_entry_router.create_entry >"$re_work/router.pgbench"

# The entries on all four shards.
entries()
{
	total=0
	for n in 1 2 3 4; do
		total=$((total + $(re_shard_psql $n -A -t -c 'SELECT count(*) FROM time_entry.time_entries')))
	done
	echo $total
}

# run MODE DB SCRIPT WMAX: one pgbench run; appends "MODE TPS" to results
run()
{
	before=$(entries)
	pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -D wmax="$4" -f "$re_work/$3.pgbench" "$2" \
		>"$re_work/pgbench.out" 2>&1 || { cat "$re_work/pgbench.out"; exit 1; }
	processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$re_work/pgbench.out")
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$re_work/pgbench.out")
	made=$(($(entries) - before))
	if [ "$made" != "$processed" ]; then
		echo "bench: $1 made $made entries for $processed transactions" >&2
		cat "$re_work/pgbench.out" >&2
		exit 1
	fi
	echo "$1|$tps" >>"$re_work/results"
	printf '  %-12s %6.0f tps\n' "$1" "$tps"
}

: >"$re_work/results"
for r in $(seq 1 "$rounds"); do
	step "round $r of $rounds: $clients clients, $seconds s each"
	run direct te_shard_1 direct 0
	run "shard face" te_shard_1 face 0
	run router te_router router 0
	run router+pgb te_router_pb router 0
	run "router, 4" te_router router 3
done

step "a refused create_entry, $calls calls in one session"
b0=b0000000-0000-4000-8000-000000000000
u=$(psql -X -A -t -d te_router -c "SELECT bench.user_of(0, 1)")
# refused after its time zone is read: a new session pays for the list of
# zones then (README "The request"), as most refusals would
bad="{\"userId\": \"$u\", \"typeOfWorkId\": \"$b0\", \"timezone\": \"Europe/Berlin\", \"startDateUtc\": \"2014-06-01T08:00:00Z\", \"duration\": 600}"
ms()
{
	got=$($1 -X -A -t -F ' ' -c "SELECT * FROM bench.ms_per_call(\$q\$$2\$q\$, $calls)")
	set -- $got "$3"
	if [ "$2" != "$3" ]; then
		echo "bench: $2 of $calls calls refused, expected $3" >&2
		exit 1
	fi
	echo "$1"
}
direct_err=$(ms "re_shard_psql 1" "SELECT time_entry.create_entry('$bad', '$u')" "$calls")
raw_err=$(ms "psql -d te_router" "SELECT bench.raw_create_entry('$bad', '$u')" "$calls")
raw_pb_err=$(ms "psql -d te_router_pb" "SELECT bench.raw_create_entry('$bad', '$u')" "$calls")
face_err=$(ms "psql -d te_router" "SELECT time_entry_router.create_entry('$b0', '$bad', '$u')" "$calls")
face_pb_err=$(ms "psql -d te_router_pb" "SELECT time_entry_router.create_entry('$b0', '$bad', '$u')" "$calls")
valid=$(psql -X -A -t -d te_router -c "SELECT bench.request(0, 1, 0, 0)")
face_ok=$(ms "psql -d te_router" "SELECT time_entry_router.create_entry('$b0', '$valid', '$u')" 0)
direct_ok=$(ms "re_shard_psql 1" "SELECT time_entry.create_entry('$valid', '$u')" 0)

median()
{
	grep "^$1|" "$re_work/results" | cut -d'|' -f2 | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
d=$(median direct)

echo
echo "create_entry, $clients clients, median of $rounds runs of $seconds s (tps; ratio to direct)"
for mode in direct "shard face" router router+pgb "router, 4"; do
	m=$(median "$mode")
	printf '  %-50s %6.0f  %5s\n' "$(case $mode in
		direct) echo 'direct on the shard' ;;
		'shard face') echo 'shard face on the shard (guard, errors as data)' ;;
		router) echo 'through the router' ;;
		router+pgb) echo 'through the router and pgbouncer' ;;
		'router, 4') echo 'through the router, 4 shards on 2 clusters' ;;
		esac)" "$m" "$(echo "$m $d" | awk '{ printf "%.2f", $1 / $2 }')"
done
echo
echo "a refused create_entry (23503, unknown type of work), one session, $calls calls (ms per call)"
printf '  %-56s %6s\n' "directly on the shard" "$direct_err" \
	"through plain PL/Proxy (raised; the connection drops)" "$raw_err" \
	"through plain PL/Proxy and pgbouncer" "$raw_pb_err" \
	"through the router's face (as data, re-raised)" "$face_err" \
	"through the router's face and pgbouncer" "$face_pb_err" \
	"for comparison: a created entry, the router's face" "$face_ok" \
	"for comparison: a created entry, directly on the shard" "$direct_ok"
echo
echo "cores: $(nproc); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
