#!/bin/sh
# The example service of examples/node (node-postgres, node --test) against
# the server of the environment: a created entry, a 400 naming the
# property, a 403, a batch import with bad rows, resourceVersion kept
# exact (issue 10 item 6).  See examples/node/README.md.
#
# Needs node 20 and npm (test/deps.sh installs them when missing); `npm ci`
# fetches node-postgres from the npm registry the first time.  Run by
# test/run.sh; exits non-zero when a test fails.
set -eu

cd "$(dirname "$0")/.."
exec sh examples/node/run-tests.sh
