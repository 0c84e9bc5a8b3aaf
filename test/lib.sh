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
