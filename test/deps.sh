#!/bin/sh
# Install what building and testing time_entry needs on Debian 12, if missing.
# Runs as root (CI and the quick start do); prints nothing when all is there.
set -e
need=""
for pkg in postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap \
	libtap-parser-sourcehandler-pgtap-perl postgresql-15-partman postgresql-15-plproxy \
	postgresql-common make gcc faketime; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		need="$need $pkg"
done
# node and npm for the example service (examples/node): any packaging will
# do (this machine's image has node 20); Debian's own when there is none.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages:$need (run as root, or install them first)" >&2
	exit 1
fi
echo "installing:$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $need >/dev/null
