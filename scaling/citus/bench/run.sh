#!/bin/sh
# The latency comparison of README.md, on a running g3 cluster (run.sh calls it): pgbench, simple protocol,
# over 127.0.0.1, R rounds (default 3) of T seconds (default 5) per scenario, 1 client then 2 clients
# (-j = clients), the scenarios interleaved round by round so that background load spreads over all of
# them.  Then the cost of a raised error through Citus: N calls (default 200) in one psql session.
#
#   sh bench/run.sh OUT_DIR W1       (W1: a workspace 10..41 held by worker 9701)
#
# Output: OUT_DIR/bench/results.txt (median tps, min-max, median latency), results.long.txt (every run),
# raw/<scenario>.c<clients>.r<round>.txt (pgbench's output), errors.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1/bench
w1=$2
T=${T:-5}
R=${R:-3}
N=${N:-200}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bindir=$("$PG_CONFIG" --bindir)
as_owner() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
rm -rf "$out"; mkdir -p "$out/raw"
long=$out/results.long.txt
: >"$long"
run() {	# scenario port db script round
	for c in 1 2; do
		raw="$out/raw/$1.c$c.r$5.txt"
		as_owner "$bindir/pgbench -n -h 127.0.0.1 -p $2 -U postgres -T $T -c $c -j $c -D w1=$w1 -f $here/$4 $3" >"$raw" 2>&1 || true
		tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$raw")
		lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$raw")
		failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$raw")
		aborted=$(grep -c 'aborted' "$raw" || true)
		echo "$1 $2 $3 $c $5 ${tps:-NA} ${lat:-NA} ${failed:-NA} $aborted" >>"$long"
	done
}
r=1
while [ "$r" -le "$R" ]; do
	run select1_local              9700 plain    select1.sql $r
	run te_create_local            9700 plain    te_create.sql $r
	run te_create_on_worker        9701 postgres te_create_held.sql $r
	run te_route_create_pushed     9700 postgres te_route_create.sql $r
	run tw_create_local            9700 plain    tw_create.sql $r
	run tw_create_pushed           9700 postgres tw_create.sql $r
	r=$((r + 1))
done
python3 - "$long" >"$out/results.txt" <<'PY'
import sys, statistics, collections
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, port, db, c, r, tps, lat, failed, aborted = line.split()
    if tps == 'NA':
        rows.setdefault((name, port, db, c), []).append(None); continue
    rows.setdefault((name, port, db, c), []).append((float(tps), float(lat), int(failed) if failed != 'NA' else 0, int(aborted)))
print("%-26s %-5s %-9s %-3s %8s %8s %8s %11s %7s" % ("scenario", "port", "db", "c", "tps_med", "tps_min", "tps_max", "lat_med_ms", "failed"))
for (name, port, db, c), v in rows.items():
    ok = [x for x in v if x is not None]
    if not ok:
        print("%-26s %-5s %-9s %-3s  no result (see raw/)" % (name, port, db, c)); continue
    t = [x[0] for x in ok]; l = [x[1] for x in ok]
    print("%-26s %-5s %-9s %-3s %8.0f %8.0f %8.0f %11.3f %7d" % (name, port, db, c, statistics.median(t), min(t), max(t), statistics.median(l), sum(x[2] + x[3] for x in ok) + (len(v) - len(ok))))
PY

# The cost of an error: N calls in one session, each pushed down (te_route) or local (plain), valid,
# raising, or returning the error as data (try_create_entry).  Milliseconds per call.
gen() {	# function workspace type-of-work-suffix -> N lines (type of work 99 does not exist: refused, 23503)
	i=0
	while [ "$i" -lt "$N" ]; do
		case $1 in
		te_route.*) echo "SELECT $1('00000000-0000-4000-8000-0000000000$2', '{\"userId\":\"000000bb-0000-4000-8000-0000000000$2\",\"typeOfWorkId\":\"000000ff-0000-4000-8000-0000000000$3\",\"timezone\":\"UTC\",\"startDateLocal\":\"2025-03-20\",\"duration\":600}', '000000bb-0000-4000-8000-0000000000$2');" ;;
		*) echo "SELECT $1('{\"userId\":\"000000bb-0000-4000-8000-0000000000$2\",\"typeOfWorkId\":\"000000ff-0000-4000-8000-0000000000$3\",\"timezone\":\"UTC\",\"startDateLocal\":\"2025-03-20\",\"duration\":600}', '000000bb-0000-4000-8000-0000000000$2');" ;;
		esac
		i=$((i + 1))
	done
}
edir=${WORK:-$here}/errors	# the sessions' SQL files (the servers' user must read them)
mkdir -p "$edir" "$out/errors"
gen te_route.create_entry "$w1" "$w1" >"$edir/pushed_valid.sql"
gen te_route.create_entry "$w1" 99 >"$edir/pushed_raising.sql"
gen te_route.try_create_entry "$w1" 99 >"$edir/pushed_as_data.sql"
gen time_entry.create_entry "$w1" "$w1" >"$edir/local_valid.sql"
gen time_entry.create_entry "$w1" 99 >"$edir/local_raising.sql"
chmod -R a+rX "$edir"
echo "calls per session: $N; microseconds per call, rounds: $R" >"$out/errors.txt"
r=1
while [ "$r" -le "$R" ]; do
	for s in local_valid:plain local_raising:plain pushed_valid:postgres pushed_raising:postgres pushed_as_data:postgres; do
		name=${s%%:*}; db=${s#*:}
		t0=$(date +%s%N)
		as_owner "$bindir/psql -X -q -h 127.0.0.1 -p 9700 -U postgres -d $db -f $edir/$name.sql" >/dev/null 2>"$out/errors/$name.r$r.stderr" || true
		t1=$(date +%s%N)
		errs=$(grep -c 'ERROR' "$out/errors/$name.r$r.stderr" || true)
		echo "$name round $r: $(( (t1 - t0) / N / 1000 )) us per call, $errs errors raised" >>"$out/errors.txt"
	done
	r=$((r + 1))
done
cat "$out/results.txt" "$out/errors.txt"
