/*
 * format.c
 *		The text forms of values: uuids, dates and times as the API writes
 *		them, and values quoted in messages.
 *
 * Written by hand, digit by digit, whatever DateStyle says: the response
 * of a bulk import writes a dozen of them per row.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/datetime.h"

#include "time_entry.h"

/* How many characters of a value a message quotes before "...". */
#define QUOTE_MAX_CHARS 60

/* Value of one hexadecimal digit, or -1. */
static inline int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parse a uuid in the canonical 8-4-4-4-12 form (either case) only; unlike
 * uuid_in, no braces, no missing hyphens.  Returns false when malformed.
 */
bool
te_parse_uuid(const char *s, size_t len, pg_uuid_t *out)
{
	int			byte = 0;

	if (len != 36)
		return false;
	for (size_t i = 0; i < 36;)
	{
		int			hi,
					lo;

		if (i == 8 || i == 13 || i == 18 || i == 23)
		{
			if (s[i] != '-')
				return false;
			i++;
			continue;
		}
		hi = hex_value(s[i]);
		lo = hex_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out->data[byte++] = (unsigned char) ((hi << 4) | lo);
		i += 2;
	}
	return true;
}

/* The canonical text of a uuid (lower case, 8-4-4-4-12), palloc'd. */
char *
te_uuid_text(const pg_uuid_t *id)
{
	static const char hex[] = "0123456789abcdef";
	char	   *buf = palloc(UUID_LEN * 2 + 5);
	int			pos = 0;

	for (int i = 0; i < UUID_LEN; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[pos++] = '-';
		buf[pos++] = hex[id->data[i] >> 4];
		buf[pos++] = hex[id->data[i] & 0xF];
	}
	buf[pos] = '\0';
	return buf;
}

/* Write n, 0 <= n < 10^width, as exactly width digits; returns the end. */
char *
te_write_digits(char *buf, int n, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		buf[i] = (char) ('0' + n % 10);
		n /= 10;
	}
	return buf + width;
}

/*
 * Write "YYYY-MM-DD" of a day, whatever DateStyle says, at buf (room for
 * TE_DATE_MAXLEN characters); returns the end, not terminated.  Entries lie
 * in the years 1900-9999 (SPEC 3); a year outside 0-9999 (an audit time a
 * user's trigger set) is written as printf writes it.
 */
char *
te_write_date(char *buf, DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	if (y < 0 || y > 9999)
		return buf + snprintf(buf, TE_DATE_MAXLEN + 1, "%d-%02d-%02d", y, m, day);
	buf = te_write_digits(buf, y, 4);
	*buf++ = '-';
	buf = te_write_digits(buf, m, 2);
	*buf++ = '-';
	return te_write_digits(buf, day, 2);
}

/* "YYYY-MM-DD" of a day, palloc'd. */
char *
te_format_date(DateADT d)
{
	char	   *buf = palloc(TE_DATE_MAXLEN + 1);

	*te_write_date(buf, d) = '\0';
	return buf;
}

/*
 * Write "HH:MM:SS", or "HH:MM:SS.fffffff" when there is a fraction, of
 * microseconds since midnight; returns the end, not terminated.
 */
char *
te_write_time(char *buf, int64 t)
{
	int			us = (int) (t % USECS_PER_SEC);

	buf = te_write_digits(buf, (int) (t / USECS_PER_HOUR), 2);
	*buf++ = ':';
	buf = te_write_digits(buf, (int) ((t / USECS_PER_MINUTE) % 60), 2);
	*buf++ = ':';
	buf = te_write_digits(buf, (int) ((t / USECS_PER_SEC) % 60), 2);
	if (us != 0)
	{
		*buf++ = '.';
		buf = te_write_digits(buf, us, 6);
		*buf++ = '0';			/* seven digits, the last always 0 */
	}
	return buf;
}

/*
 * A value as a message quotes it: in double quotes, cut after
 * QUOTE_MAX_CHARS characters (on a character boundary) with "...", so that
 * a huge value does not make a huge message.
 */
char *
te_quote_value(const char *s, int len)
{
	int			clip = pg_mbcharcliplen(s, len, QUOTE_MAX_CHARS);

	return psprintf("\"%.*s%s\"", clip, s, clip < len ? "..." : "");
}
