/*
 * uuid7.c
 *		UUID version 7 (RFC 9562), the default of time_entries.id.
 *
 * Layout: 48 bits of Unix time in milliseconds, 4 version bits (0111),
 * 12 bits of sub-millisecond time ("method 3" of RFC 9562 section 6.2),
 * 2 variant bits (10), 62 random bits.  Within a backend the 60-bit
 * time value is strictly increasing: when the clock has not moved past the
 * last value (or went back), the last value plus one is used, so ids made
 * by one backend sort in the order they were made.
 */
#include "postgres.h"

#include <time.h>

#include "fmgr.h"
#include "utils/uuid.h"

#include "time_entry.h"

PG_FUNCTION_INFO_V1(te_uuid_generate_v7);

/* The last 60-bit time value used by this backend (ms << 12 | sub-ms). */
static uint64 last_time_value = 0;

/* Random bytes, drawn 512 at a time: one system call per 64 ids. */
static unsigned char random_pool[512];
static int	random_left = 0;

static void
random_bytes(unsigned char *out, int n)
{
	if (random_left < n)
	{
		if (!pg_strong_random(random_pool, sizeof(random_pool)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random values")));
		random_left = sizeof(random_pool);
	}
	memcpy(out, random_pool + sizeof(random_pool) - random_left, n);
	/* never hand out the same bytes twice */
	memset(random_pool + sizeof(random_pool) - random_left, 0, n);
	random_left -= n;
}

/*
 * SELECT time_entry.uuid_generate_v7();
 */
Datum
te_uuid_generate_v7(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *uuid = palloc(sizeof(pg_uuid_t));

	te_uuid7(uuid);
	PG_RETURN_UUID_P(uuid);
}

/* Fill *uuid with a new UUID version 7 (see the file comment). */
void
te_uuid7(pg_uuid_t *uuid)
{
	struct timespec ts;
	uint64		ms;
	uint64		sub;
	uint64		value;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		elog(ERROR, "could not read the clock: %m");
	ms = (uint64) ts.tv_sec * 1000 + (uint64) ts.tv_nsec / 1000000;
	/* the rest of the millisecond scaled to 12 bits */
	sub = ((uint64) (ts.tv_nsec % 1000000) << 12) / 1000000;
	value = (ms << 12) | sub;
	if (value <= last_time_value)
		value = last_time_value + 1;
	last_time_value = value;

	random_bytes(&uuid->data[8], 8);

	ms = value >> 12;
	sub = value & 0xFFF;
	uuid->data[0] = (unsigned char) (ms >> 40);
	uuid->data[1] = (unsigned char) (ms >> 32);
	uuid->data[2] = (unsigned char) (ms >> 24);
	uuid->data[3] = (unsigned char) (ms >> 16);
	uuid->data[4] = (unsigned char) (ms >> 8);
	uuid->data[5] = (unsigned char) ms;
	uuid->data[6] = (unsigned char) (0x70 | (sub >> 8));
	uuid->data[7] = (unsigned char) (sub & 0xFF);
	uuid->data[8] = (unsigned char) (0x80 | (uuid->data[8] & 0x3F));
}
