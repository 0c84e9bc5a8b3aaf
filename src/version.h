/*
 * version.h
 *		The rule of resource_version (SPEC 8), as a pure function.
 *
 * Kept apart from the trigger so that the rule can be tested on its own,
 * for every case, without waiting for the clock to do something (see
 * test/unit/next_version.c): a test that counts on two updates landing in
 * the same microsecond only sometimes reaches the case it is about.
 */
#ifndef TE_VERSION_H
#define TE_VERSION_H

#include "common/int.h"

/*
 * The resource_version an UPDATE gives a row whose version is old, when the
 * clock (in .NET ticks) reads clock: the clock when it is past old, else
 * old + 1, so that every UPDATE strictly increases it.  Returns false, and
 * leaves *next alone, when that would pass the largest int64.
 */
static inline bool
te_next_version(int64 old, int64 clock, int64 *next)
{
	int64		bumped;

	if (clock > old)
	{
		*next = clock;
		return true;
	}
	if (pg_add_s64_overflow(old, 1, &bumped))
		return false;
	*next = bumped;
	return true;
}

#endif							/* TE_VERSION_H */
