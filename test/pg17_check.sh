#!/bin/sh
# Compiles every C file of src/ and router/ against the server headers of PostgreSQL 17
# (syntax and types only: no PostgreSQL 17 server runs here), so that the
# version guards of src/compat.h stay right.  The headers come from Debian's
# postgresql-server-dev-17 of the next Debian release (trixie), fetched from
# the archive this machine's apt already uses and unpacked into a scratch
# directory; nothing is installed.  PG17_HEADERS=DIR (the directory holding
# server/postgres.h's parent, .../include/postgresql/17) skips the download.
#
# Usage: sh test/pg17_check.sh     (as root when it downloads; ~15 s)
set -eu

cd "$(dirname "$0")/.."

dir=${PG17_HEADERS:-}
scratch=""
trap '[ -z "$scratch" ] || rm -rf "$scratch"' EXIT
if [ -z "$dir" ]; then
	scratch=$(mktemp -d)
	archive=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
		grep -v security | head -1)
	[ -n "$archive" ] || archive=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
	if [ -z "$archive" ]; then
		echo "pg17_check: no Debian archive in this machine's apt sources" >&2
		exit 1
	fi
	mkdir -p "$scratch/state/lists/partial" "$scratch/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive trixie main" \
		>"$scratch/trixie.list"
	apt_opts="-o Dir::Etc::SourceList=$scratch/trixie.list -o Dir::Etc::SourceParts=/dev/null
		-o Dir::State::Lists=$scratch/state/lists -o Dir::Cache=$scratch/cache
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	apt-get $apt_opts -qq update
	(cd "$scratch" && apt-get $apt_opts -qq download postgresql-server-dev-17)
	dpkg-deb -x "$scratch"/postgresql-server-dev-17_*.deb "$scratch/root"
	dir="$scratch/root/usr/include/postgresql/17"
fi

server="$dir/server"
[ -f "$server/postgres.h" ] || { echo "pg17_check: no $server/postgres.h" >&2; exit 1; }
version=$(sed -n 's/^#define PG_VERSION_NUM \([0-9]*\)/\1/p' "$server/pg_config.h")
failed=0
for f in src/*.c router/*.c; do
	if ! gcc -fsyntax-only -std=gnu99 -Wall -Werror -Wno-unused-function \
		-Werror=implicit-function-declaration -D_GNU_SOURCE \
		-I"$server" -I"$dir/internal" -Isrc "$f"; then
		echo "pg17_check: $f does not compile against PostgreSQL $version" >&2
		failed=1
	fi
done
[ "$failed" -eq 0 ] || exit 1
echo "pg17_check: src/*.c and router/*.c compile against the server headers of PostgreSQL $version"
