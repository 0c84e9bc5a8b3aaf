-- One call of update_entry straight from psql (scenario 1), the error (if
-- any) reaching the client; repeated by the driver, with :phase set.  The
-- \warn line tells the error parser which call an error belongs to; a
-- success prints ok|k|expected|new version|note|patch kind on stdout.
SELECT k, id, v, patch, kind, actor FROM lc.s1_pick(:'phase') \gset
\warn call :k :v :kind
SELECT 'ok', :k, :v, r->>'resourceVersion', r->>'note', :'kind'
  FROM (SELECT time_entry.update_entry(:'id', :'patch', :'actor', :v) AS r) x;
