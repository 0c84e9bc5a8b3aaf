/*
 * next_version.c
 *		The resource_version rule (src/version.h), case by case.
 *
 * The audit trigger calls te_next_version(old, clock) on every UPDATE.
 * Whether the clock has moved past a row's version is up to the machine,
 * so a test through SQL reaches "clock equal to old" only by luck; here
 * every case is reached on purpose.  Built and run by test/unit.test.sh.
 */
#include "postgres_fe.h"

#include "version.h"

/* the C library's own: no need to link libpgport for a test program */
#undef printf

static int	failures = 0;
static int	count = 0;

static void
expect(const char *what, int64 old, int64 clock, bool ok, int64 want)
{
	int64		next = -42;
	bool		got_ok = te_next_version(old, clock, &next);

	count++;
	if (got_ok != ok || (ok && next != want) || (!ok && next != -42))
	{
		failures++;
		printf("not ok %d - %s: old " INT64_FORMAT ", clock " INT64_FORMAT
			   ": got %s " INT64_FORMAT "\n", count, what, old, clock,
			   got_ok ? "version" : "refusal, next", next);
	}
	else
		printf("ok %d - %s\n", count, what);
}

int
main(void)
{
	const int64 v = INT64CONST(639315656353359700);

	expect("the clock past the old version is the new version", v, v + 7, true, v + 7);
	expect("the clock one tick past the old version", v, v + 1, true, v + 1);
	expect("the clock equal to the old version gives old + 1", v, v, true, v + 1);
	expect("the clock behind the old version gives old + 1", v, v - 1000, true, v + 1);
	expect("a restored version from the far future still grows", PG_INT64_MAX - 1, v, true, PG_INT64_MAX);
	expect("no version past the largest int64", PG_INT64_MAX, v, false, 0);
	expect("no version past the largest int64, clock equal", PG_INT64_MAX, PG_INT64_MAX, false, 0);
	expect("a version of 0 (written by hand) grows to the clock", 0, v, true, v);
	expect("a negative version (written by hand) grows to the clock", -5, v, true, v);
	printf("1..%d\n", count);
	return failures == 0 ? 0 : 1;
}
