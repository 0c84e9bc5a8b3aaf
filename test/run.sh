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
#      and exits non-zero on a failure.
#
# A new suite is picked up by its file name; nothing here needs changing.
# Exits non-zero when any suite fails, after a summary of all of them.
set -u

cd "$(dirname "$0")/.." || exit 2

passed=0
failed=0
failures=""

pass()
{
	passed=$((passed + 1))
	echo "ok: $1"
}

fail()
{
	failed=$((failed + 1))
	failures="$failures
    $1"
	echo "FAILED: $1"
}

section()
{
	echo
	echo "=== $1"
}

# 1. pg_regress ------------------------------------------------------------

section "pg_regress: $(ls sql/*.sql 2>/dev/null | wc -l) files in sql/"
if ls sql/*.sql >/dev/null 2>&1; then
	if make --no-print-directory installcheck; then
		pass "pg_regress"
	else
		if [ -f regression.diffs ]; then
			echo "--- regression.diffs"
			cat regression.diffs
		fi
		fail "pg_regress (see regression.diffs above)"
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
		fail "pgTAP $name (cannot prepare database $db)"
		continue
	fi
	if pg_prove --ext .sql -d "$db" "$f"; then
		pass "pgTAP $name"
	else
		fail "pgTAP $name"
	fi
	PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
done

# 3. shell suites ----------------------------------------------------------

for f in test/*.test.sh; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .test.sh)
	section "shell: $f"
	if sh "$f"; then
		pass "shell $name"
	else
		fail "shell $name"
	fi
done

# Summary ------------------------------------------------------------------

echo
echo "=== summary"
echo "suites: $passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
	echo "failed suites:$failures"
	exit 1
fi
echo "all time_entry tests passed"
exit 0
