#!/bin/sh
# Fuzzing the create path (issue 6 item 1): random and mutated requests
# through every face, checked for crashes, internal errors, answers outside
# SPEC 7 and stored rows that break SPEC 1.2 and 4-6.
#
# The quick run, part of `make test`: 20 000 generated requests (some 36 000
# sent, since an import_entries call carries up to 12), about 30 s on an
# idle machine.  The long run, 100 000 generated requests:
#
#   make && make install && FUZZ_N=100000 FUZZ_MAX_CRASHES=1000 \
#       pg_virtualenv -t -v 15 sh test/fuzz.test.sh
#
# Settings (environment):
#   FUZZ_N      requests to generate (default 20000)
#   FUZZ_SEED   the seed (default 6); request i of seed s is always
#               generated the same way, fuzz.request(s, i), except for
#               times relative to the day and the clock of the run
#   FUZZ_CHUNK  requests per transaction (default 1000); every chunk after
#               the first runs under other workspace settings
#   FUZZ_KEEP   1 keeps the database te_fuzz afterwards
#   FUZZ_MAX_CRASHES  stop after this many crashes (default 5)
#
# Everything is generated and checked in the server (test/fuzz/fuzz.sql, in
# the workspace test/fuzz/workspace.sql); see the top of fuzz.sql for the
# checks.  When a chunk loses the server, its requests are sent again one
# at a time to find the one that crashed it, which is reported with its
# text; the run goes on after it.  At the end: zero crashes (the same
# postmaster and checkpointer as at the start: a crash restarts every
# process but the postmaster), zero failed checks, and every stored row
# keeps the invariants (fuzz.check_invariants).  Exits non-zero otherwise.
#
# Run by test/run.sh.
set -eu

cd "$(dirname "$0")/.."

n=${FUZZ_N:-20000}
seed=${FUZZ_SEED:-6}
chunk=${FUZZ_CHUNK:-1000}
max_crashes=${FUZZ_MAX_CRASHES:-5}
db=te_fuzz
work=$(mktemp -d)
failures=0
crashes=0

# Timestamps in UTC in every session; no NOTICEs.  (Commits wait for the
# disk: with synchronous_commit off a crash would take the records of the
# last requests with it.)
PGOPTIONS="-c TimeZone=UTC -c client_min_messages=warning"
export PGOPTIONS

cleanup()
{
	if [ "${FUZZ_KEEP:-0}" != 1 ]; then
		dropdb --if-exists "$db" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

. test/lib.sh

# After a crash: wait until the postmaster has reinitialised the server (a
# new checkpointer, test/lib.sh) and it accepts sessions; note the new
# checkpointer for the next crash.
wait_ready()
{
	wait_restarted "$ckpt"
	ckpt=$ckpt_now
}

# Wait until the server accepts sessions (still in recovery).
wait_sessions()
{
	tries=0
	until value -c 'SELECT 1' >/dev/null 2>&1; do
		tries=$((tries + 1))
		[ "$tries" -gt 240 ] && { echo "the server did not come back"; exit 1; }
		sleep 0.5
	done
}

# A client's output says its server process crashed.
lost()
{
	grep -q 'connection to server was lost\|server closed the connection' "$1"
}

# Send requests $2 .. $3-1 of chunk $1 one at a time, each its own
# transaction, to find the ones that crash the server.  Resumes after each
# crash.
one_by_one()
{
	c=$1
	from=$2
	to=$3
	retries=0
	while [ "$from" -lt "$to" ]; do
		{
			echo "SELECT fuzz.run_chunk($seed, $from, $from, $c);"
			i=$from
			while [ "$i" -lt "$to" ]; do
				printf '\\echo request %s\nSELECT fuzz.run_one(%s, %s, %s);\n' "$i" "$seed" "$i" "$c"
				i=$((i + 1))
			done
		} > "$work/one.sql"
		if psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -f "$work/one.sql" > "$work/one.out" 2>&1; then
			grep -v '^request \|^$\|^chunk ' "$work/one.out" || true
			return 0
		fi
		last=$(sed -n 's/^request //p' "$work/one.out" | tail -1)
		if [ -z "$last" ] && grep -q 'the database system is' "$work/one.out" && [ "$retries" -lt 5 ]; then
			retries=$((retries + 1))	# still in recovery from the last crash
			wait_sessions
			continue
		fi
		if ! lost "$work/one.out"; then
			cat "$work/one.out"
			fail "chunk $c: request ${last:-?} raised out of the fuzzer (a bug of the fuzzer or a FATAL)"
			return 0
		fi
		wait_ready
		crashes=$((crashes + 1))
		echo "CRASH: request $last of seed $seed (chunk $c settings: $(value -c "SELECT row(c.*) FROM fuzz.chunks c WHERE chunk = $c"))"
		echo "       $(value -c "SELECT fuzz.show(fuzz.request($seed, $last))")"
		echo "       regenerate it with: SELECT * FROM fuzz.request($seed, $last);"
		echo "$last" >> "$work/crashes"
		if [ "$crashes" -ge "$max_crashes" ]; then
			echo "$crashes crashes: stopping the run"
			return 1
		fi
		from=$((last + 1))
	done
}

echo "=== fuzzing: $n requests, seed $seed, chunks of $chunk"
dropdb --if-exists "$db"
createdb "$db"
value -c 'CREATE EXTENSION time_entry' -f test/fuzz/workspace.sql -f test/fuzz/fuzz.sql
# A crash restarts every server process but the postmaster (whose start
# time stays), so the checkpointer's pid tells a crash too.
up()
{
	value -c "SELECT format('postmaster started %s, checkpointer %s', pg_postmaster_start_time(),
	                        (SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'))"
}
started=$(up)
ckpt=$(checkpointer)
t0=$(date +%s)

c=0
lo=0
while [ "$lo" -lt "$n" ]; do
	hi=$((lo + chunk))
	[ "$hi" -gt "$n" ] && hi=$n
	if value -c "SELECT fuzz.run_chunk($seed, $lo, $hi, $c)" > "$work/chunk.out" 2>&1; then
		cat "$work/chunk.out"
	else
		cat "$work/chunk.out"
		if lost "$work/chunk.out"; then
			wait_ready
		else
			# a chunk catches every error of its requests: one that
			# escapes it is the fuzzer's own (the chunk's settings were
			# not applied either)
			fail "chunk $c: an error escaped the chunk without a crash"
		fi
		echo "chunk $c did not finish: sending its requests one at a time"
		one_by_one "$c" "$lo" "$hi" || break
	fi
	lo=$hi
	c=$((c + 1))
done
t1=$(date +%s)

echo
echo "=== results ($((t1 - t0)) s)"
value -c "
	SELECT format('%-20s %7s calls, %7s requests: %7s created, %7s refused', face, count(DISTINCT i), count(*),
				  count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created))
	  FROM fuzz.outcomes GROUP BY face ORDER BY face"
value -c "
	SELECT format('in all: %s requests in %s function calls', count(*), count(DISTINCT (i, face)))
	  FROM fuzz.outcomes"
value -c "
	SELECT 'answers: ' || string_agg(format('%s %s', coalesce(code || ' ' || sqlstate, 'created'), n), ', ' ORDER BY n DESC)
	  FROM (SELECT code, sqlstate, count(*) n FROM fuzz.outcomes GROUP BY code, sqlstate) x"
value -c "SELECT format('rows stored: %s', count(*)) FROM time_entry.time_entries"

# What ran ---------------------------------------------------------------------
# The requests were sent and reported (all but the import_entries calls whose
# array held no element, about one in twenty of that face, which report
# nothing: nine in ten at least), and every chunk ran under settings of its
# own that were recorded: over ten chunks or more, each setting took two
# values at least (a chunk whose settings failed to apply would not count).
ran=$(value -c "SELECT count(DISTINCT i) FROM fuzz.outcomes")
if [ "$ran" -ge $((n * 9 / 10)) ]; then
	echo "ok: $ran of $n requests reported (at least nine in ten)"
else
	fail "only $ran of $n requests were reported"
fi
recorded=$(value -c "SELECT count(*) FROM fuzz.chunks")
if [ "$recorded" != "$c" ]; then
	fail "settings recorded for $recorded of $c chunks"
elif [ "$c" -ge 10 ]; then
	varied=$(value -c "
		SELECT count(DISTINCT max_duration) >= 2 AND count(DISTINCT prevent_on_closed_projects) >= 2
		   AND count(DISTINCT prevent_in_future) >= 2 AND count(DISTINCT allow_on_past_days) >= 2
		   AND count(DISTINCT prevent_overlaps) >= 2
		  FROM fuzz.chunks")
	if [ "$varied" = t ]; then
		echo "ok: settings recorded for all $c chunks, each setting with two values or more"
	else
		fail "the $c chunks' settings did not vary: $(value -c 'SELECT * FROM fuzz.chunks ORDER BY 1' | tr '\n' ' ')"
	fi
else
	echo "ok: settings recorded for all $c chunks"
fi

# Crashes --------------------------------------------------------------------
now_started=$(up)
if [ "$crashes" -ne 0 ]; then
	fail "$crashes crash(es) of the server, at requests: $(tr '\n' ' ' < "$work/crashes")"
elif [ "$now_started" != "$started" ]; then
	fail "the server restarted during the run (before: $started; now: $now_started)"
else
	echo "ok: no crash ($now_started, as before the run)"
fi

# Failed checks --------------------------------------------------------------
nfail=$(value -c 'SELECT count(*) FROM fuzz.failures')
if [ "$nfail" -ne 0 ]; then
	fail "$nfail failed check(s); by kind:"
	value -c "SELECT format('  %-12s %-8s %s', what, face, count(*)) FROM fuzz.failures GROUP BY what, face ORDER BY what, face"
	echo "the first three of each kind, with the request:"
	value -c "
		SELECT format(E'  %s (request %s): %s\n    %s', what, i, detail, fuzz.show(fuzz.request(seed, i)))
		  FROM (SELECT *, row_number() OVER (PARTITION BY what ORDER BY i) AS k FROM fuzz.failures) f
		 WHERE k <= 3 ORDER BY what, i"
else
	echo "ok: no internal error, every error a SPEC 7.1 error, every error object and response well-formed"
fi
nexcused=$(value -c 'SELECT count(*) FROM fuzz.excused')
if [ "$nexcused" -ne 0 ]; then
	echo "excused: $nexcused pair(s) of answers to one input that differ in a 22008 while the clock passed a" \
		"quarter hour (a midnight somewhere) between the two calls:"
	value -c "SELECT format('  request %s (%s): %s', i, face, detail) FROM fuzz.excused ORDER BY i LIMIT 3"
fi

# Invariants of the stored rows ------------------------------------------------
value -c "SELECT broken, count(*) FROM fuzz.check_invariants() GROUP BY broken ORDER BY 1" > "$work/broken"
if [ -s "$work/broken" ]; then
	fail "stored rows break invariants:"
	cat "$work/broken"
	value -c "SELECT DISTINCT ON (broken) format('  %s: %s', broken, (SELECT row(e.*) FROM time_entry.time_entries e WHERE e.id = x.id))
	            FROM fuzz.check_invariants() x ORDER BY broken"
else
	echo "ok: every stored row keeps the invariants"
fi

# The lookups a statement keeps change no answer ------------------------------
# The same requests validated twice in one statement, against the workspace
# the run left: by validate_entry itself, whose lookups are kept from its
# second call on (src/lookup.c), and by a dynamic statement of its own for
# each request, which never keeps anything.  Both calls of a request run
# microseconds apart; where the clock may still have changed the verdict
# in between (fuzz.clock_may_tell: a midnight somewhere), a difference is
# counted apart, not as a failure.
value >"$work/differ" <<SQL
CREATE FUNCTION pg_temp.validate_alone(entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE plpgsql AS \$\$
DECLARE v jsonb;
BEGIN
	EXECUTE 'SELECT time_entry.validate_entry(\$1, \$2)' INTO v USING entry, actor;
	RETURN v;
END \$\$;
SELECT count(*) FILTER (WHERE kept IS DISTINCT FROM alone AND NOT fuzz.clock_may_tell(c0, c1, kept, alone)),
       count(*), count(*) FILTER (WHERE kept IS DISTINCT FROM alone AND fuzz.clock_may_tell(c0, c1, kept, alone))
  FROM (SELECT clock_timestamp() AS c0,
			   time_entry.validate_entry(q.entry, q.actor) AS kept,
			   pg_temp.validate_alone(q.entry, q.actor) AS alone,
			   clock_timestamp() AS c1
		  FROM generate_series(1, least($n, 5000)) i,
			   LATERAL fuzz.request($seed, i) q
		 WHERE q.face IN ('try', 'validate', 'create')) x;
SQL
read -r differ compared excused <<EOF_DIFF
$(tr '|' ' ' <"$work/differ")
EOF_DIFF
if [ "${differ:-x}" != 0 ] || [ "${compared:-0}" -lt 100 ]; then
	fail "validate_entry with kept lookups and alone: ${differ:-?} of ${compared:-?} answers differ"
else
	echo "ok: validate_entry answers the same with kept lookups as alone ($compared requests${excused:+, $excused excused})"
fi

echo
if [ "$failures" -ne 0 ]; then
	echo "fuzz: $failures check(s) FAILED"
	exit 1
fi
echo "fuzz: all checks passed"
