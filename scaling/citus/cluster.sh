#!/bin/sh
# A throwaway 3-node Citus cluster on this machine: coordinator and two workers, three PostgreSQL 15
# clusters (initdb), trust authentication on 127.0.0.1, citus preloaded, and extension_destdir set to
# a private install of time_entry (made by run.sh from the working tree; the system directories are
# not touched).  Used by run.sh; can be used by hand:
#
#   WORK=/tmp/somewhere DEST=/tmp/somewhere/dest sh cluster.sh up      # initdb, start, CREATE EXTENSION citus, add the workers
#   WORK=... sh cluster.sh down                                        # stop all three, remove the data directories
#
# NOADD=1 leaves the workers unregistered (cluster.sh addnodes does it later).  Ports: COORD_PORT (9700),
# W1_PORT (9701), W2_PORT (9702).  As root the servers run as user postgres; otherwise as the caller.
set -eu
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bindir=$("$PG_CONFIG" --bindir)
: "${WORK:?WORK: the directory for the data directories}"
run=$WORK/run
dest=${DEST:-$WORK/dest}
COORD_PORT=${COORD_PORT:-9700}
W1_PORT=${W1_PORT:-9701}
W2_PORT=${W2_PORT:-9702}
nodes="coord:$COORD_PORT w1:$W1_PORT w2:$W2_PORT"

as_owner() {
	if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
psqlc() { port=$1; shift; as_owner "$bindir/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U postgres -d postgres -c \"$*\""; }

case "${1:-}" in
up)
	for n in $nodes; do
		port=${n#*:}
		if ss -ltn | grep -q ":$port "; then echo "port $port is in use" >&2; exit 1; fi
	done
	mkdir -p "$run"
	[ "$(id -u)" != 0 ] || chown postgres "$run"
	for n in $nodes; do
		name=${n%%:*}; port=${n#*:}
		as_owner "$bindir/initdb -D $run/$name -A trust -U postgres --no-sync" >/dev/null
		cat >>"$run/$name/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$run'
shared_preload_libraries = 'citus'
extension_destdir = '$dest'
fsync = off
max_connections = 100
max_prepared_transactions = 100
log_min_messages = warning
CONF
		as_owner "$bindir/pg_ctl -D $run/$name -l $run/$name.log -w -t 60 start" >/dev/null
	done
	for n in $nodes; do psqlc "${n#*:}" 'CREATE EXTENSION citus'; done
	[ -n "${NOADD:-}" ] || sh "$0" addnodes
	;;
addnodes)
	psqlc "$COORD_PORT" "SELECT citus_set_coordinator_host('127.0.0.1', $COORD_PORT)" >/dev/null
	psqlc "$COORD_PORT" "SELECT citus_add_node('127.0.0.1', $W1_PORT)" >/dev/null
	psqlc "$COORD_PORT" "SELECT citus_add_node('127.0.0.1', $W2_PORT)" >/dev/null
	;;
down)
	for n in $nodes; do
		name=${n%%:*}
		if [ -f "$run/$name/postmaster.pid" ]; then
			as_owner "$bindir/pg_ctl -D $run/$name -m fast -w -t 60 stop" >/dev/null || true
		fi
	done
	rm -rf "$run"
	;;
*)
	echo "usage: WORK=DIR [DEST=DIR] sh cluster.sh up|addnodes|down" >&2; exit 2 ;;
esac
