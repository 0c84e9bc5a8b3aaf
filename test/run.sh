#!/bin/sh
# Runs every test suite of time_entry against the server of the environment
# (PGHOST, PGPORT, PGUSER, ...), which `make test` creates with
# `pg_virtualenv -t -v 15`.  The extension must be installed already.
#
#   1. the pg_regress suite: sql/*.sql compared with expected/*.out
#      (make installcheck);
#   2. the pgTAP suites: each test/pgtap/*.sql in a fresh database holding
#      the extensions pgtap and time_entry (pg_prove);
#   3. the shell suites: each test/*.test.sh, which makes its own databases
#      and exits non-zero on a failure, or 77 when it skipped itself (as
#      automake counts it: not passed, listed in the summary as skipped);
#      RUN_SKIP names shell suites not to
#      run (e.g. "concurrency", or "concurrency,router"), which the summary
#      lists; RUN_ONCE names
#      shell suites whose subject does not depend on the write path (default
#      "router node_example unit"), run on the first write path only.
#
# A new suite is picked up by its file name; nothing here needs changing.
# Each section shows the server's clock (test/clock.sh moves it), each
# result the seconds the suite took.  Exits non-zero when any suite fails,
# after a summary of all of them.
#
# Everything runs once per write path (TE_WRITE_PATHS, default "auto
# executor"): with time_entry.write_path = auto the functions insert
# directly into the table the extension created; with executor every row
# goes through the executor.  The two must give the same results, so the
# same expected files serve both (set cluster-wide with ALTER SYSTEM, so
# that every database and session of the suites takes it).
set -u

cd "$(dirname "$0")/.." || exit 2

passed=0
failed=0
failures=""
skipped=""
self_skipped=""

pass()
{
	passed=$((passed + 1))
	echo "ok: $1 ($(($(date +%s) - section_start)) s)"
}

fail()
{
	failed=$((failed + 1))
	failures="$failures
    $1"
	echo "FAILED: $1 ($(($(date +%s) - section_start)) s)"
}

section()
{
	section_start=$(date +%s)
	clock=$(psql -X -A -t -d postgres \
		-c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'" 2>/dev/null) ||
		clock='?'
	echo
	echo "=== $1 (server clock $clock)"
}

# set_write_path VALUE (or DEFAULT): ALTER SYSTEM knows the setting only in
# a session that has loaded the library; and the postmaster rereads the
# configuration when it gets to it, so wait (at most 30 s) until a new
# session has the value.  Exits if it cannot be set: the suites would run
# on the wrong path.
set_write_path()
{
	if [ "$1" = DEFAULT ]; then
		alter="ALTER SYSTEM RESET time_entry.write_path"
		want=$(psql -X -q -A -t -d postgres -c "LOAD '\$libdir/time_entry'" \
			-c "SELECT boot_val FROM pg_settings WHERE name = 'time_entry.write_path'")
	else
		alter="ALTER SYSTEM SET time_entry.write_path = '$1'"
		want=$1
	fi
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "LOAD '\$libdir/time_entry'" -c "$alter" \
		-c "SELECT pg_reload_conf()" >/dev/null || exit 2
	tries=0
	until [ "$(psql -X -q -A -t -d postgres -c "LOAD '\$libdir/time_entry'" \
	             -c "SHOW time_entry.write_path" 2>/dev/null)" = "$want" ]; do
		tries=$((tries + 1))
		if [ $tries -gt 300 ]; then
			echo "time_entry.write_path did not become $want" >&2
			exit 2
		fi
		sleep 0.1
	done
}

first_path=""
for write_path in ${TE_WRITE_PATHS:-auto executor}; do
[ -n "$first_path" ] || first_path=$write_path
set_write_path "$write_path"
echo
echo "##### time_entry.write_path = $write_path"

# 1. pg_regress ------------------------------------------------------------

section "pg_regress: $(ls sql/*.sql 2>/dev/null | wc -l) files in sql/"
if ls sql/*.sql >/dev/null 2>&1; then
	if make --no-print-directory installcheck; then
		pass "pg_regress, write path $write_path"
	else
		if [ -f regression.diffs ]; then
			echo "--- regression.diffs"
			cat regression.diffs
		fi
		fail "pg_regress, write path $write_path (see regression.diffs above)"
	fi
fi

# 2. pgTAP -----------------------------------------------------------------

for f in test/pgtap/*.sql; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .sql)
	db="te_tap_$name"
	section "pgTAP: $f (database $db)"
	if ! { PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db" &&
		   createdb "$db" &&
		   psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
				-c 'SET client_min_messages = warning' \
				-c 'CREATE EXTENSION pgtap' \
				-c 'CREATE EXTENSION time_entry'; }; then
		fail "pgTAP $name, write path $write_path (cannot prepare database $db)"
		continue
	fi
	if pg_prove --ext .sql -d "$db" "$f"; then
		pass "pgTAP $name, write path $write_path"
	else
		fail "pgTAP $name, write path $write_path"
	fi
	PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
done

# 3. shell suites ----------------------------------------------------------

for f in test/*.test.sh; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .test.sh)
	case " $(echo "${RUN_SKIP:-}" | tr ',' ' ') " in
	*" $name "*)
		case "$skipped " in *" $name "*) ;; *) skipped="$skipped $name" ;; esac
		continue ;;
	esac
	if [ "$write_path" != "$first_path" ]; then
		case " ${RUN_ONCE-router node_example unit} " in
		*" $name "*) continue ;;
		esac
	fi
	section "shell: $f"
	rc=0
	sh "$f" || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "shell $name, write path $write_path"
	elif [ "$rc" -eq 77 ]; then
		case "$self_skipped " in *" $name "*) ;; *) self_skipped="$self_skipped $name" ;; esac
		echo "skipped: shell $name, write path $write_path ($(($(date +%s) - section_start)) s)"
	else
		fail "shell $name, write path $write_path"
	fi
done

done
set_write_path DEFAULT

# Summary ------------------------------------------------------------------

section summary
[ -z "$skipped" ] || echo "skipped (RUN_SKIP):$skipped"
[ -z "$self_skipped" ] || echo "skipped (exit 77):$self_skipped"
echo "suites: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
	echo "failed suites:$failures"
	exit 1
fi
echo "all time_entry tests passed"
exit 0
