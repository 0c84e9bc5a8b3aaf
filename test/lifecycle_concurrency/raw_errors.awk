# Reads the stderr of the psql clients of the lifecycle concurrency suite
# (raw_*.sql, VERBOSITY verbose) and prints one tab-separated line per call
# that failed: the fields of its "call" line, then SQLSTATE,
# CONSTRAINT_NAME, COLUMN_NAME and the message (COPY text format, \N for a
# missing field).  Lines it does not know (a lost connection, a FATAL) go
# to the file named by -v unknown=.
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
		print call "\t" field(st) "\t" field(cn) "\t" field(col) "\t" field(msg)
	failed = 0
	st = cn = col = msg = ""
}
/^call / {
	flush()
	call = ""
	for (i = 2; i <= NF; i++)
		call = call (i > 2 ? "\t" : "") field($i)
	next
}
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
