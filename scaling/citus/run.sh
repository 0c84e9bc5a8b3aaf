#!/bin/sh
# Runs every experiment of README.md on throwaway local Citus clusters, from the working tree:
#
#   sh scaling/citus/run.sh [OUT_DIR]        # default OUT_DIR: scaling/citus/out
#
# 1. builds time_entry from this working tree (src/, Makefile, time_entry.control copied to a temporary
#    directory) and installs it there with DESTDIR; builds the C probe (cprobe/);
# 2. for each group of experiments, starts a coordinator (127.0.0.1:9700) and two workers (:9701, :9702)
#    with cluster.sh: initdb, citus preloaded (the Citus installed in PostgreSQL 15's lib dir), and
#    extension_destdir pointing at the private install, so the servers load this tree's time_entry and
#    nothing is installed into the system directories;
# 3. runs the SQL files of sql/ with psql -a (statements and results together) into OUT_DIR/<file>.<port>.out,
#    keeps the server logs in OUT_DIR/logs/, and with BENCH=1 (default) runs bench/run.sh;
# 4. stops every server and removes the temporary directory, also on failure or interruption.
#
# Needs: PostgreSQL 15 (Debian packages, with server headers: postgresql-server-dev-15), Citus 13.2.2 built
# into it (../../../shared/tools/build-citus.sh, or any build of Citus 13.x for PostgreSQL 15), free ports
# 9700-9702.  As root the servers run as user postgres.  About 1 minute without the benchmark, 4-5 with it
# (BENCH=0 skips it; T=seconds per run, R=rounds, N=calls of the error measurement).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG
bindir=$("$PG_CONFIG" --bindir)
out=${1:-$here/out}
BENCH=${BENCH:-1}

if [ ! -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
	echo "Citus is not installed for $("$PG_CONFIG" --version); build it first (e.g. with the build-citus.sh script of the workplace tools, or from the Citus sources)" >&2
	exit 1
fi
for port in 9700 9701 9702; do
	if ss -ltn | grep -q ":$port "; then echo "port $port is in use" >&2; exit 1; fi
done

work=$(mktemp -d /tmp/te-citus.XXXXXX)
chmod 755 "$work"
export WORK="$work" DEST="$work/dest"
cleanup() {
	sh "$here/cluster.sh" down >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_owner() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

echo "building time_entry from $repo into $DEST"
mkdir -p "$work/src" "$work/sql"
cp -r "$repo/src" "$repo/Makefile" "$repo/time_entry.control" "$work/src/"
make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" clean >/dev/null
make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" install DESTDIR="$DEST" >>"$work/build.log" 2>&1
cp -r "$here/cprobe" "$here/bench" "$work/"
make -s -C "$work/cprobe" PG_CONFIG="$PG_CONFIG" >>"$work/build.log" 2>&1
cp "$here"/sql/*.sql "$work/sql/"
cp "$repo/test/demo_workspace.sql" "$work/sql/"
chmod -R a+rX "$work"

rm -rf "$out"
mkdir -p "$out/logs"
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "time_entry: working tree of $repo at $(git -C "$repo" rev-parse HEAD 2>/dev/null || echo '?'), $(git -C "$repo" status --short -- src Makefile time_entry.control 2>/dev/null | wc -l) uncommitted change(s) in src/, Makefile, time_entry.control"
	echo "time_entry sources (sha256 of src/*.c, *.h, *.sql, control): $(cat "$repo"/src/*.c "$repo"/src/*.h "$repo"/src/*.sql "$repo/time_entry.control" | sha256sum | cut -c1-16)"
	echo "PostgreSQL: $("$PG_CONFIG" --version)"
	echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/env.txt"

# q PORT FILE [psql options...]: one SQL file, statements echoed, errors shown, no stop on error
q() {
	port=$1; f=$2; shift 2
	name=$(basename "$f" .sql)
	as_owner "$bindir/psql -X -a -h 127.0.0.1 -p $port -U postgres -d postgres \
		-v demo=$work/sql/demo_workspace.sql -v twschema=$work/sql/tw_schema.sql \
		-v teroute=$work/sql/te_route.sql -v cprobe=$work/cprobe/cprobe.so $* -f $work/sql/$f" \
		>"$out/$name.$port.out" 2>&1 || true
}
sqlq() { as_owner "$bindir/psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 9700 -U postgres -d postgres -c \"$1\""; }
# a workspace (10..41) whose shard of TABLE is on 9701, and one on 9702
placement() {
	sqlq "SELECT min(n) FILTER (WHERE nodeport = 9701) || ' ' || min(n) FILTER (WHERE nodeport = 9702) FROM generate_series(10, 41) n CROSS JOIN LATERAL (SELECT get_shard_id_for_distribution_column('$1', ('00000000-0000-4000-8000-0000000000' || n)::uuid) AS shardid) s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node nd USING (groupid)"
}
up() { sh "$here/cluster.sh" up >/dev/null; }
down() {	# keep the server logs of group $1
	for n in coord w1 w2; do cp "$work/run/$n.log" "$out/logs/$1-$n.log" 2>/dev/null || true; done
	sh "$here/cluster.sh" down
}

echo "g1: CREATE EXTENSION time_entry on the coordinator; distributing its tables"
up
q 9700 00_versions.sql
q 9700 a1_create_extension.sql
q 9700 a2_distribute.sql
q 9700 a3_forced.sql
down g1

echo "g2: the extension's tables distributed by force; time_entry's C functions on that cluster"
up
sqlq 'CREATE EXTENSION time_entry'
q 9700 b1_demo.sql
q 9700 b2_force_distribute.sql
q 9700 b3_coordinator_calls.sql
q 9700 b4_executor_path.sql
q 9700 b5_pushed_down.sql
q 9700 b6_truncate_local.sql
q 9701 b7_on_worker.sql
down g2

echo "g3: the workspace-sharded prototype (tw), Citus as a router (te_route), local baselines"
up
sqlq 'CREATE EXTENSION time_entry'
q 9700 c1_tw_distribute.sql
q 9700 c2_tw_functions.sql
set -- $(placement tw.users)
q 9700 c3_tw_pushdown.sql -U app -v w1=$1 -v w2=$2
q 9700 c4_tw_check.sql
q 9700 r1_router_setup.sql
set -- $(placement te_route.placement)
q 9700 r2_router_calls.sql -U app_router -v w1=$1 -v w2=$2
q 9700 r3_router_check.sql -v w1=$1 -v w2=$2
q 9701 r3b_direct_on_worker.sql -v w1=$1 -v w2=$2
sqlq 'CREATE DATABASE plain' 2>/dev/null	# (a NOTICE: Citus does not propagate CREATE DATABASE)
as_owner "$bindir/psql -X -a -h 127.0.0.1 -p 9700 -U postgres -d plain -v twschema=$work/sql/tw_schema.sql \
	-v teroute=$work/sql/te_route.sql -f $work/sql/d0_plain.sql" >"$out/d0_plain.9700.out" 2>&1 || true
if [ "$BENCH" = 1 ]; then
	echo "g3: benchmark (pgbench; T=${T:-5} s, R=${R:-3} rounds)"
	sh "$work/bench/run.sh" "$out" "$1"
fi
down g3

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/env.txt"
echo "done: transcripts in $out"
