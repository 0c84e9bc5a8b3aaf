# Reads the stderr of the psql clients that call create_entry directly
# (raw_call.sql, VERBOSITY verbose) and prints one tab-separated line per
# call that failed: user, kind, SQLSTATE, CONSTRAINT_NAME, COLUMN_NAME,
# message (COPY text format, \N for a missing field).  Lines it does not
# know (a lost connection, a FATAL) go to the file named by -v unknown=.
function field(s)
{
	if (s == "")
		return "\\N"
	gsub(/\\/, "\\\\", s)
	gsub(/\t/, "\\t", s)
	return s
}
function flush()
{
	if (failed)
		print field(n) "\t" field(kind) "\t" field(st) "\t" field(cn) "\t" field(col) "\t" field(msg)
	failed = 0
	st = cn = col = msg = ""
}
/^call [0-9]+ / { flush(); n = $2; kind = $3; next }
/^psql:[^ ]*: ERROR:  / {
	flush()
	sub(/^psql:[^ ]*: ERROR:  /, "")
	st = substr($0, 1, 5)
	msg = substr($0, 8)
	failed = 1
	next
}
/^COLUMN NAME:  / { col = substr($0, 15); next }
/^CONSTRAINT NAME:  / { cn = substr($0, 19); next }
/^(DETAIL|HINT|CONTEXT|SCHEMA NAME|TABLE NAME|DATATYPE NAME|LOCATION):/ { next }
{ print > unknown }
END { flush() }
