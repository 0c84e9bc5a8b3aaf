#!/bin/sh
# `make demo`: shows time_entry at work in the throwaway cluster that
# `pg_virtualenv -t -v 15` made (PGHOST, PGPORT, PGUSER, ...).  The extension
# must be installed already.  Creates a database, loads the example
# workspace of test/demo_workspace.sql and runs test/demo.sql.
set -eu

cd "$(dirname "$0")/.."

db=time_entry_demo
psql="psql -X -q -v ON_ERROR_STOP=1 -d $db"

PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
$psql -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION time_entry'
$psql -f test/demo_workspace.sql
$psql -f test/demo.sql

echo
echo "Demo finished; its throwaway cluster is removed now.  To explore the demo"
echo "database yourself afterwards, run:"
echo "  pg_virtualenv -v 15 sh -c 'sh test/demo.sh && psql -d $db'"
