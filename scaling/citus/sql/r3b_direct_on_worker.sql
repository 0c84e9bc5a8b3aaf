-- r3b (worker 9701 directly, as postgres): the refusal of r2 step 2, called on the worker itself: every field
\set VERBOSITY verbose
\ir r_vars.sql
SELECT time_entry.create_entry(:'foreign_user1', :'admin1');
