# time_entry: PGXS build.  The version is written once, in time_entry.control.
EXTENSION   = time_entry
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big  = time_entry
OBJS        = $(patsubst %.c,%.o,$(wildcard src/*.c))
DATA        = $(wildcard src/$(EXTENSION)--*.sql)
PG_CPPFLAGS = -I$(srcdir)/src

REGRESS     = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

src/*.o: src/time_entry.h

.PHONY: demo test bench prove deps sanitize clock

# Installs what a fresh Debian 12 machine lacks (as root), then builds.
deps:
	@sh test/deps.sh

demo: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 sh test/demo.sh

# pg_regress suite and pgTAP suites in one throwaway cluster.
test: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 sh test/run.sh

# Benchmark against the bare INSERT, in a throwaway cluster; prints a table
# (BENCH_N, BENCH_ROUNDS, BENCH_SECONDS, ...: see test/bench.sh).
bench: deps
	$(MAKE) all
	$(MAKE) install
	pg_virtualenv -t -v 15 sh test/bench.sh

# pgTAP suites against the server in the environment (PGHOST, PGPORT, ...).
prove:
	pg_prove --ext .sql -v test/pgtap/

# The whole suite against an ASan+UBSan build in a server with the
# runtimes preloaded; fails on any report (test/sanitize.sh).
sanitize: deps
	sh test/sanitize.sh

# The suites again in servers whose clock starts at other instants (years
# ahead, the end of a UTC day, Berlin's daylight-saving changes, UTC+14),
# under libfaketime (test/clock.sh).
clock: deps
	sh test/clock.sh
