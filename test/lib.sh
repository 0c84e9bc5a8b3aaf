# Helpers the shell suites share.  Sourced (". test/lib.sh") from the root
# of the tree, by a suite that sets db (its database) and failures=0.

# psql against the suite's database: q prints as psql does, value prints
# bare values (one row a line, columns separated by |)
q()
{
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

value()
{
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"
}

fail()
{
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# check DESCRIPTION SQL: ok when the query returns t; an error is a failure
# like any other answer
check()
{
	got=$(value -c "$2" 2>&1) || true
	if [ "$got" = t ]; then
		echo "ok: $1"
	else
		fail "$1 (got '$got' from: $2)"
	fi
}

# The pid of the server's checkpointer, or nothing while the server does
# not accept sessions.  A crash of any server process makes the postmaster
# stop and restart every other one: a new checkpointer shows that the
# crash was noticed and the server reinitialised.
checkpointer()
{
	value -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" 2>/dev/null || true
}

# wait_restarted PID: after a crash, wait until the server accepts sessions
# again with a checkpointer other than PID (at most 120 s, else exit 1).
# No sleep to "give the postmaster time": it has restarted, or we wait.
wait_restarted()
{
	tries=0
	until ckpt_now=$(checkpointer) && [ -n "$ckpt_now" ] && [ "$ckpt_now" != "$1" ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 240 ]; then
			echo "the server did not come back with a new checkpointer within 120 s"
			exit 1
		fi
		sleep 0.5
	done
}
