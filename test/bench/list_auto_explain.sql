-- list_entries' own plan, for test/bench.sh: the same calls as
-- test/bench/list.sql times, under auto_explain with
-- log_nested_statements, so that the query the function runs through SPI
-- is explained as planned there; the plans come back as NOTICEs (stderr),
-- which test/bench.sh reads.  Needs the psql variable year.

\set ON_ERROR_STOP 1
\set lead 'b0000000-0000-4000-8000-000000000001'
\set listed 'b0000000-0000-4000-8000-000000000042'
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_timing = off;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
SELECT count(*) AS month_rows
  FROM time_entry.list_entries(:'lead', user_id => :'listed',
							   from_date => '2023-06-01', to_date => '2023-06-30');
\if :year
SELECT count(*) AS year_rows
  FROM time_entry.list_entries(:'lead', user_id => :'listed',
							   from_date => '2023-01-01', to_date => '2023-12-31');
\endif
