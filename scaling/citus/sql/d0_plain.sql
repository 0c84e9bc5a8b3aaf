-- d0 (coordinator's server, a new database "plain" without the citus extension): the local baselines:
-- time_entry with workspaces 10..41 made by te_route.add_workspace, and the tw schema, not distributed
\set VERBOSITY verbose
CREATE EXTENSION time_entry;
\i :teroute
SELECT count(te_route.add_workspace(('00000000-0000-4000-8000-0000000000' || n)::uuid, n)) AS workspaces FROM generate_series(10, 41) n;
\i :twschema
SELECT time_entry.create_entry('{"userId":"000000bb-0000-4000-8000-000000000012","typeOfWorkId":"000000ff-0000-4000-8000-000000000012","timezone":"UTC","startDateLocal":"2025-03-10","duration":600}', '000000bb-0000-4000-8000-000000000012') ->> 'duration' AS time_entry_create_entry;
SELECT tw.create_entry('00000000-0000-4000-8000-000000000012', '{"userId":"000000bb-0000-4000-8000-000000000012","typeOfWorkId":"000000ff-0000-4000-8000-000000000012","timezone":"UTC","startDateLocal":"2025-03-10","duration":600}', '000000bb-0000-4000-8000-000000000012') IS NOT NULL AS tw_create_entry;
