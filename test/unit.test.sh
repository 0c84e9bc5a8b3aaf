#!/bin/sh
# Unit tests of the pure C rules of src/ (test/unit/*.c), built against the
# server's headers and run here: rules whose cases a test through SQL could
# reach only by luck (the clock, for resource_version).  Each program prints
# TAP and exits non-zero on a failure.
set -u
cd "$(dirname "$0")/.." || exit 2
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
inc=$("$PG_CONFIG" --includedir-server)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
for f in test/unit/*.c; do
	name=$(basename "$f" .c)
	if ! gcc -Wall -Wextra -Werror -I"$inc" -Isrc -o "$work/$name" "$f"; then
		echo "FAIL: $f does not build"
		failures=$((failures + 1))
		continue
	fi
	if "$work/$name"; then
		echo "ok: unit $name"
	else
		echo "FAIL: unit $name"
		failures=$((failures + 1))
	fi
done
[ "$failures" -eq 0 ]
