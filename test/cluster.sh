# A private build and throwaway clusters of our own, shared by
# test/sanitize.sh and test/clock.sh.  Sourced (". test/cluster.sh") from
# the root of the tree, as root, by a script that runs under `set -eu`.
#
# The normal installation is not touched: the tree is copied into a scratch
# directory, built and installed there (DESTDIR), and each cluster loads
# extensions from there (Debian's extension_destdir).  A cluster listens on
# a Unix socket in the scratch directory only.  On exit every cluster still
# running is stopped and the scratch directory removed.
#
#	cluster_prepare NAME KEEP   make the scratch directory $work
#	                            (te_NAME.XXXXXX); KEEP=1 keeps it on exit
#	cluster_build MAKE-ARGS...  copy the tree to $work/src, build it with
#	                            these arguments, install into $work/dest
#	cluster_start DIR PORT ENV OPTIONS...
#	                            initdb $work/DIR/data and start it with the
#	                            environment ENV (assignments, shell-quoted)
#	                            and server options; log in $work/DIR/server.log;
#	                            export PGHOST, PGPORT, ... for it
#	cluster_maps                print /proc/self/maps of a backend that has
#	                            loaded $libdir/time_entry; fail unless it
#	                            maps $work/dest's module
#	cluster_wait_ready          wait until the server accepts sessions
#	cluster_stop DIR            fast shutdown
#
# Settings (environment): PG_CONFIG (default PostgreSQL 15's).

PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
bindir=$("$PG_CONFIG" --bindir)
export PG_CONFIG

as_postgres()
{
	su postgres -s /bin/sh -c "$1"
}

cluster_cleanup()
{
	for pidfile in "$work"/*/data/postmaster.pid; do
		[ -f "$pidfile" ] || continue
		data=$(dirname "$pidfile")
		pm=$(head -1 "$pidfile")
		as_postgres "$bindir/pg_ctl -D $data -m immediate -w -t 30 stop" >/dev/null 2>&1 ||
			kill -KILL "$pm" 2>/dev/null || true
	done
	if [ "$cluster_keep" = 1 ]; then
		echo "kept $work"
	else
		rm -rf "$work"
	fi
}

cluster_prepare()
{
	[ "$(id -u)" -eq 0 ] || { echo "run as root (the server runs as postgres)" >&2; exit 2; }
	cluster_keep=${2:-0}
	work=$(mktemp -d -t "te_$1.XXXXXX")
	chown postgres:postgres "$work"
	chmod 755 "$work"
	trap cluster_cleanup EXIT
	trap 'exit 130' HUP INT TERM
}

cluster_build()
{
	mkdir "$work/src" "$work/dest"
	tar -cf - --exclude='./.git' --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
		--exclude='./results' --exclude='./regression.*' . |
		tar -xf - -C "$work/src"
	make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" "$@"
	make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" DESTDIR="$work/dest" install
	chmod -R a+rX "$work/dest"
}

cluster_start()
{
	dir=$work/$1
	port=$2
	env=$3
	shift 3
	mkdir -p "$dir"
	chown postgres:postgres "$dir"
	as_postgres "$bindir/initdb -D $dir/data -A trust -U postgres --no-sync" >/dev/null
	as_postgres "env $env $bindir/pg_ctl -D $dir/data -l $dir/server.log -w -t 120 \
		-o '-p $port -k $work -c fsync=off -c listen_addresses= -c extension_destdir=$work/dest $*' \
		start" >/dev/null || {
		echo "the server did not start:" >&2
		cat "$dir/server.log" >&2
		exit 1
	}
	export PGHOST="$work" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
}

# extension_destdir applies to '$libdir/...' paths, as in the control file's
# module_pathname, not to a bare LOAD 'time_entry'.
cluster_maps()
{
	maps=$(psql -X -At -v ON_ERROR_STOP=1 -c "LOAD '\$libdir/time_entry'" \
		-c "SELECT pg_read_file('/proc/self/maps')") || exit 1
	if ! echo "$maps" | grep -q "$work/dest/.*/time_entry\.so"; then
		echo "the backends do not load $work/dest's time_entry.so:" >&2
		echo "$maps" | grep 'time_entry' >&2
		exit 1
	fi
	echo "$maps"
}

# After a crash the server reinitialises and replays WAL; PostgreSQL 15 can
# miss a fast shutdown requested during that replay and wait forever, so
# let it get back up first.
cluster_wait_ready()
{
	i=0
	while ! pg_isready -q && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
}

cluster_stop()
{
	[ -f "$work/$1/data/postmaster.pid" ] || return 0
	cluster_wait_ready
	as_postgres "$bindir/pg_ctl -D $work/$1/data -m fast -w -t 60 stop" >/dev/null
}
