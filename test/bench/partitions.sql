-- The partitions of a partitioned time_entries, for the second database of
-- test/bench.sh (made with SET time_entry.partitioned = on before CREATE
-- EXTENSION): monthly range partitions on date_local made by hand, from the
-- first month of the noise workspace's entries (2022) or of the staged ones,
-- whichever is earlier, to the last month of either, plus a default
-- partition.  After test/bench/workspace.sql (the staged days), before
-- test/bench/noise.sql.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DO $$
DECLARE
	first_month date;
	last_month	date;
	m			date;
BEGIN
	IF (SELECT relkind FROM pg_class WHERE oid = 'time_entry.time_entries'::regclass) <> 'p' THEN
		RAISE EXCEPTION 'BENCHMARK FAILED: time_entries is not partitioned (time_entry.partitioned was not on at CREATE EXTENSION)';
	END IF;
	SELECT date_trunc('month', least(date '2022-01-01', min(date_local)))::date,
		   date_trunc('month', greatest(date '2024-12-31', max(date_local)))::date
	  INTO first_month, last_month
	  FROM bench.staging;
	m := first_month;
	WHILE m <= last_month LOOP
		EXECUTE format('CREATE TABLE time_entry.%I PARTITION OF time_entry.time_entries'
					   ' FOR VALUES FROM (%L) TO (%L)',
					   'time_entries_' || to_char(m, 'YYYY_MM'), m, (m + interval '1 month')::date);
		m := (m + interval '1 month')::date;
	END LOOP;
	CREATE TABLE time_entry.time_entries_default PARTITION OF time_entry.time_entries DEFAULT;
END
$$;
