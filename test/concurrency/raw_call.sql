-- One call of create_entry straight from psql, the error (if any) reaching
-- the client; repeated by the driver.  The \warn line tells the error
-- parser which call an error belongs to; a success prints
-- user|kind|id|returned on stdout.
SELECT s.n, q.kind_out AS kind, q.req, q.actor
  FROM (SELECT 1 + floor(random() * 4)::integer AS n) s CROSS JOIN LATERAL conc.request(s.n) q \gset
\warn call :n :kind
SELECT :n, :'kind', time_entry.create_entry(:'req'::jsonb, :'actor'::uuid)->>'id', nextval('conc.returned');
