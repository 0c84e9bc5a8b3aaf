--
-- time_entry.uuid_generate_v7(): RFC 9562 version 7 layout, time embedded,
-- strictly increasing within a backend.
--
SET client_min_messages = warning;

-- The 48-bit Unix millisecond timestamp in the first six bytes of a uuid.
CREATE FUNCTION pg_temp.uuid_ms(u uuid) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT
AS $$ SELECT ('x' || substr(replace(u::text, '-', ''), 1, 12))::bit(48)::bigint $$;

-- Shape: version nibble 7 (byte 6, high half; the 13th hex digit),
-- variant bits 10 (byte 8, top two bits).
SELECT get_byte(uuid_send(u), 6) >> 4 AS version,
       (get_byte(uuid_send(u), 8) >> 6)::bit(2) AS variant,
       substr(u::text, 15, 1) AS version_digit,
       substr(u::text, 20, 1) IN ('8', '9', 'a', 'b') AS variant_digit_ok,
       length(u::text) AS text_length
  FROM (SELECT time_entry.uuid_generate_v7() AS u) s;

-- The embedded time is the clock's, to the millisecond (allow one second).
SELECT abs(pg_temp.uuid_ms(u) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint) < 1000
       AS time_is_now
  FROM (SELECT time_entry.uuid_generate_v7() AS u) s;

-- Volatile: two calls in one statement give two ids.
SELECT time_entry.uuid_generate_v7() <> time_entry.uuid_generate_v7() AS two_ids;

-- 10 000 ids in generation order: every one of them version 7 with the
-- right variant, all distinct, and strictly increasing both as uuid and as
-- text (so they sort in creation order wherever they go).
CREATE TEMP TABLE ids AS
SELECT n, time_entry.uuid_generate_v7() AS id
  FROM generate_series(1, 10000) AS n;

SELECT count(*) AS ids,
       count(DISTINCT id) AS distinct_ids,
       bool_and(get_byte(uuid_send(id), 6) >> 4 = 7) AS all_version_7,
       bool_and(get_byte(uuid_send(id), 8) >> 6 = 2) AS all_variant_10
  FROM ids;

SELECT count(*) FILTER (WHERE NOT id > prev_id) AS not_increasing_as_uuid,
       count(*) FILTER (WHERE NOT id::text > prev_id::text) AS not_increasing_as_text,
       count(prev_id) AS pairs_compared
  FROM (SELECT id, lag(id) OVER (ORDER BY n) AS prev_id FROM ids) s;

-- The order of the ids is the order of generation: sorting by id gives
-- back n in order.
SELECT bool_and(n = rn) AS sorted_by_id_is_generation_order
  FROM (SELECT n, row_number() OVER (ORDER BY id) AS rn FROM ids) s;

-- The embedded milliseconds never go down, and lie within the run.
SELECT bool_and(pg_temp.uuid_ms(id) >= pg_temp.uuid_ms(prev_id)) AS ms_never_decrease,
       max(pg_temp.uuid_ms(id)) - min(pg_temp.uuid_ms(id)) < 60000 AS within_a_minute
  FROM (SELECT id, lag(id) OVER (ORDER BY n) AS prev_id FROM ids) s;

-- Across statements of one backend, too.
SELECT time_entry.uuid_generate_v7() AS first_id \gset
SELECT time_entry.uuid_generate_v7() > :'first_id'::uuid AS later_statement_is_greater;

-- The random part (the last 62 bits) is not shared between ids of the
-- same millisecond.
SELECT count(DISTINCT substr(replace(id::text, '-', ''), 17)) = 10000 AS random_parts_distinct
  FROM ids;

DROP TABLE ids;
