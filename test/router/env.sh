# The router's playground on one machine, shared by test/router.test.sh and
# router/bench.sh.  Sourced (". test/router/env.sh") from the root of the
# tree, under `set -eu`, in a pg_virtualenv cluster: PGHOST, PGPORT, PGUSER
# (a superuser) and PGPASSWORD name it.  That cluster is cluster 1; this
# file makes cluster 2 with initdb and pg_ctl in a scratch directory.
#
#	re_prepare NAME         scratch directory $re_work; re_cleanup removes
#	                        it, stopping cluster 2 and pgbouncer
#	re_install              PL/Proxy (apt, only when missing) and the router
#	                        extensions (make -C router install)
#	re_c2_start / re_c2_stop MODE / re_c2_psql ARGS...
#	                        cluster 2: a port of its own on 127.0.0.1, a
#	                        Unix socket in $re_work/c2
#	re_shards               role te_router on both clusters; shard databases
#	                        te_shard_1 and te_shard_2 on cluster 1,
#	                        te_shard_3 and te_shard_4 on cluster 2, each with
#	                        time_entry_shard
#	re_router DB [via]      a router database on cluster 1: the four shards,
#	                        partition p on shard (p mod 4) + 1, a user
#	                        mapping for te_router; via=pgbouncer reaches the
#	                        shards through re_pgbouncer_start's pgbouncer
#	re_shard_psql N ARGS... psql on shard database te_shard_N
#	re_pgbouncer_start      pgbouncer in front of the four shards
#	                        (transaction pooling)
#
# The servers and pgbouncer run as the OS user postgres (initdb and
# pgbouncer refuse root); so does everything in $re_work.

re_bindir=$(${PG_CONFIG:-pg_config} --bindir)

re_as_postgres()
{
	if [ "$(id -u)" -eq 0 ]; then
		su postgres -s /bin/sh -c "$1"
	else
		sh -c "$1"
	fi
}

# A TCP port on 127.0.0.1 that nothing answers on, from $1 upwards.
re_free_port()
{
	p=$1
	while :; do
		rc=0
		pg_isready -q -h 127.0.0.1 -p "$p" -t 1 || rc=$?
		if [ "$rc" -eq 2 ] && ! [ -e "/var/run/postgresql/.s.PGSQL.$p" ]; then
			echo "$p"
			return
		fi
		p=$((p + 1))
	done
}

re_prepare()
{
	re_work=$(mktemp -d -t "te_$1.XXXXXX")
	chmod 755 "$re_work"
	[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$re_work"
	re_pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	re_c2_port=""
	re_pb_port=""
}

re_cleanup()
{
	[ -n "${re_work:-}" ] || return 0
	if [ -f "$re_work/pgbouncer.pid" ]; then
		kill "$(cat "$re_work/pgbouncer.pid")" 2>/dev/null || true
	fi
	if [ -f "$re_work/c2/data/postmaster.pid" ]; then
		re_as_postgres "$re_bindir/pg_ctl -D $re_work/c2/data -m immediate -w -t 30 stop" >/dev/null 2>&1 ||
			kill -KILL "$(head -1 "$re_work/c2/data/postmaster.pid")" 2>/dev/null || true
	fi
	if [ -n "${RE_KEEP:-}" ]; then
		echo "kept $re_work"
	else
		rm -rf "$re_work"
	fi
}

# PL/Proxy from Debian when it is missing (as root), and the router's
# extensions from this tree.
re_install()
{
	if ! [ -f "$(${PG_CONFIG:-pg_config} --sharedir)/extension/plproxy.control" ]; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "PL/Proxy is missing: install postgresql-15-plproxy (as root)" >&2
			exit 2
		fi
		echo "installing postgresql-15-plproxy"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			postgresql-15-plproxy >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends postgresql-15-plproxy >/dev/null; }
	fi
	make -s -C router PG_CONFIG="${PG_CONFIG:-pg_config}" install >/dev/null
}

re_c2_psql()
{
	psql -X -q -v ON_ERROR_STOP=1 -h "$re_work/c2" -p "$re_c2_port" -U postgres "$@"
}

# Cluster 2 takes cluster 1's encoding, fsync and time_entry.write_path
# (test/run.sh sets the latter cluster-wide), so that both shards' halves
# behave alike.
re_c2_start()
{
	if ! [ -d "$re_work/c2/data" ]; then
		mkdir -p "$re_work/c2"
		[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$re_work/c2"
		encoding=$(psql -X -A -t -d postgres -c 'SHOW server_encoding')
		re_as_postgres "$re_bindir/initdb -D $re_work/c2/data -A trust -U postgres -E $encoding \
			--no-locale --no-sync" >/dev/null
		printf '%s\n' 'local all all trust' \
			'host all all 127.0.0.1/32 scram-sha-256' >"$re_work/c2/data/pg_hba.conf"
		[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$re_work/c2/data/pg_hba.conf"
		re_c2_port=$(re_free_port $((20000 + $$ % 20000)))
		fsync=$(psql -X -A -t -d postgres -c 'SHOW fsync')
		write_path=$(psql -X -q -A -t -d postgres -c "LOAD '\$libdir/time_entry'" \
			-c 'SHOW time_entry.write_path')
		re_c2_options="-p $re_c2_port -k $re_work/c2 -c listen_addresses=127.0.0.1 \
-c fsync=$fsync -c max_connections=100 -c time_entry.write_path=$write_path"
	fi
	re_as_postgres "$re_bindir/pg_ctl -D $re_work/c2/data -l $re_work/c2/server.log -w -t 120 \
		-o '$re_c2_options' start" >/dev/null || {
		echo "cluster 2 did not start:" >&2
		cat "$re_work/c2/server.log" >&2
		exit 1
	}
}

re_c2_stop()
{
	re_as_postgres "$re_bindir/pg_ctl -D $re_work/c2/data -m $1 -w -t 60 stop" >/dev/null
}

re_shard_psql()
{
	case $1 in
	1 | 2) n=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -d "te_shard_$n" "$@" ;;
	3 | 4) n=$1; shift; re_c2_psql -d "te_shard_$n" "$@" ;;
	esac
}

# The role the router logs in as on the shards: EXECUTE on the shard faces,
# nothing else.
re_shards()
{
	for cluster in 1 2; do
		if [ $cluster = 1 ]; then run="psql -X -q -v ON_ERROR_STOP=1 -d postgres"; else run="re_c2_psql -d postgres"; fi
		$run -c "SET client_min_messages = warning" \
			-c "DROP DATABASE IF EXISTS te_shard_$((cluster * 2 - 1))" \
			-c "DROP DATABASE IF EXISTS te_shard_$((cluster * 2))" \
			-c "DROP ROLE IF EXISTS te_router" \
			-c "CREATE ROLE te_router LOGIN PASSWORD '$re_pw'"
	done
	for n in 1 2 3 4; do
		if [ $n -le 2 ]; then run="psql -X -q -v ON_ERROR_STOP=1 -d postgres"; else run="re_c2_psql -d postgres"; fi
		$run -c "CREATE DATABASE te_shard_$n"
		re_shard_psql $n -c 'SET client_min_messages = warning' \
			-c 'CREATE EXTENSION time_entry_shard CASCADE' \
			-c 'GRANT USAGE ON SCHEMA time_entry_shard TO te_router' \
			-c 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA time_entry_shard TO te_router'
	done
}

re_pgbouncer_start()
{
	re_pb_port=$(re_free_port $((re_c2_port + 1)))
	printf '"te_router" "%s"\n' "$re_pw" >"$re_work/pgbouncer.users"
	cat >"$re_work/pgbouncer.ini" <<EOF
[databases]
te_shard_1 = host=$PGHOST port=$PGPORT dbname=te_shard_1
te_shard_2 = host=$PGHOST port=$PGPORT dbname=te_shard_2
te_shard_3 = host=127.0.0.1 port=$re_c2_port dbname=te_shard_3
te_shard_4 = host=127.0.0.1 port=$re_c2_port dbname=te_shard_4

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $re_pb_port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $re_work/pgbouncer.users
pool_mode = transaction
default_pool_size = 8
max_client_conn = 400
logfile = $re_work/pgbouncer.log
pidfile = $re_work/pgbouncer.pid
EOF
	[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$re_work/pgbouncer.ini" "$re_work/pgbouncer.users"
	chmod 600 "$re_work/pgbouncer.users"
	re_as_postgres "pgbouncer -d -q $re_work/pgbouncer.ini"
	i=0
	until pg_isready -q -h 127.0.0.1 -p "$re_pb_port" -d te_shard_1 || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# re_router DB [pgbouncer]
re_router()
{
	if [ "${2:-}" = pgbouncer ]; then
		c1="host=127.0.0.1 port=$re_pb_port"
		c2="host=127.0.0.1 port=$re_pb_port"
	else
		c1="host=$PGHOST port=$PGPORT"
		c2="host=127.0.0.1 port=$re_c2_port"
	fi
	PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$1"
	createdb "$1"
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<EOF
SET client_min_messages = warning;
CREATE EXTENSION time_entry_router CASCADE;
SELECT time_entry_router.add_shard('shard_1', 'dbname=te_shard_1 $c1');
SELECT time_entry_router.add_shard('shard_2', 'dbname=te_shard_2 $c1');
SELECT time_entry_router.add_shard('shard_3', 'dbname=te_shard_3 $c2');
SELECT time_entry_router.add_shard('shard_4', 'dbname=te_shard_4 $c2');
SELECT time_entry_router.map_partition(p, 'shard_' || (p % 4 + 1)) FROM generate_series(0, 7) p;
CREATE USER MAPPING FOR PUBLIC SERVER time_entry_shards
	OPTIONS (user 'te_router', password '$re_pw');
EOF
}
