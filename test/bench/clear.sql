-- Between two runs of test/bench.sh: the entries the last run made go
-- (bench.made: the benchmark's workspace, outside the pool), the pool and
-- the other workspace's entries stay, and VACUUM leaves the table as the
-- next run should find it (no dead rows, no index entries of them), as a
-- TRUNCATE did when the table held nothing else.  Then a CHECKPOINT, so that
-- no run pays for the writes of the one before.

DELETE FROM bench.made;
VACUUM time_entry.time_entries;
CHECKPOINT;
