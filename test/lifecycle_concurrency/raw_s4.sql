-- One call of create_entry with a request id straight from psql (scenario
-- 4), the error (if any) reaching the client; repeated by the driver.  A
-- success prints ok|n|variant|id|resourceVersion|its transaction's
-- timestamp|the time it returned on stdout.
SELECT d.n, d.variant, q.req, q.actor
  FROM lc.s4_draw(true) d CROSS JOIN LATERAL lc.s4_request(d.n, d.variant) q \gset
\warn call :n :variant
SELECT 'ok', :n, :'variant', r->>'id', r->>'resourceVersion', now(), clock_timestamp()
  FROM (SELECT time_entry.create_entry(:'req', :'actor') AS r) x;
