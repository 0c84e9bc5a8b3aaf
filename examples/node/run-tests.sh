#!/bin/sh
# Runs the example's tests against the PostgreSQL server of the environment
# (PGHOST, PGPORT, PGUSER, ... of a superuser), normally a throwaway cluster:
#
#   pg_virtualenv -t -v 15 sh examples/node/run-tests.sh
#
# The time_entry extension must be installed on that server.  Creates (or
# re-creates) the database $EXAMPLE_DB, CREATE EXTENSION time_entry, the
# application role $EXAMPLE_ROLE with EXECUTE on the create functions (as the
# README's trust model shows), loads test/fixture.sql, runs `npm ci` when
# node_modules is missing, then `node --test` connected as the application
# role.  Exits non-zero when a test fails.
set -eu

cd "$(dirname "$0")"

db=${EXAMPLE_DB:-time_entry_node_example}
role=${EXAMPLE_ROLE:-time_entry_node_app}
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
psql="psql -X -q -v ON_ERROR_STOP=1"

PGOPTIONS='-c client_min_messages=warning' dropdb --if-exists "$db"
createdb "$db"
$psql -d "$db" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION time_entry'
$psql -d "$db" -v app_role="$role" -v app_password="$password" -f test/app-role.sql
$psql -d "$db" -f test/fixture.sql

if [ ! -d node_modules ]; then
	npm ci --no-audit --no-fund
fi

# node-postgres reads the same PG* variables; the tests log in as the
# application role, with a password over TCP (PGHOST of pg_virtualenv is
# localhost, where the cluster asks for scram-sha-256).  The superuser is
# passed along only for one check that reads time_entries (what was stored).
EXAMPLE_CHECK_USER=${PGUSER:-$(id -un)} EXAMPLE_CHECK_PASSWORD=${PGPASSWORD:-} \
PGUSER=$role PGPASSWORD=$password PGDATABASE=$db node --test test/*.test.js
