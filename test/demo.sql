-- What time_entry does, shown the way an application uses it, in a
-- database holding the extension and the example workspace of
-- test/demo_workspace.sql.  Run by test/demo.sh (`make demo`).  Each
-- statement is echoed before its result; the ids of the example workspace
-- end in a letter telling their kind (a = workspace role, b = user,
-- c = project role, d = project, e = task, f = type of work).
--
-- Every refusal shown is checked.  A call that must be refused is written
--
--   :expect_error 42501
--   SELECT ... ;
--   \set ON_ERROR_STOP 1
--   :check_error
--
-- :expect_error lets psql go on after the error of the call; :check_error
-- stops the demo (and `make demo` fails) unless that call failed with
-- exactly that SQLSTATE.  (ON_ERROR_STOP takes effect from the next line
-- on, hence its own line.)  The outcomes the headings promise are checked
-- the same way (pg_temp.check).  Nothing depends on the day the demo runs:
-- every entry is on a fixed day in the past, and no workspace setting
-- limits the days.

\set ON_ERROR_STOP 1
\pset null '(null)'
\set VERBOSITY verbose
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- The checks, hidden from the output.
CREATE FUNCTION pg_temp.check_error(got text, expected text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF got IS DISTINCT FROM expected THEN
		RAISE EXCEPTION 'demo: the call above must be refused with SQLSTATE %, but %', expected,
			CASE WHEN got = '00000' THEN 'it succeeded' ELSE 'it failed with SQLSTATE ' || got END;
	END IF;
END
$$;
CREATE FUNCTION pg_temp.check(ok boolean, what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF ok IS NOT TRUE THEN
		RAISE EXCEPTION 'demo: expected %, but it is not so', what;
	END IF;
END
$$;
\set expect_error '\\set ON_ERROR_STOP 0\\set expected_sqlstate'
\set check_error '\\set ECHO none\\\\SELECT pg_temp.check_error(:''SQLSTATE'', :''expected_sqlstate'') AS checked \\gset\\set ECHO queries'

-- The people of the example workspace (test/demo_workspace.sql).
\set ada    '00000000-0000-4000-8000-0000000000b1'
\set grace  '00000000-0000-4000-8000-0000000000b2'
\set alan   '00000000-0000-4000-8000-0000000000b3'
\set barbara '00000000-0000-4000-8000-0000000000b5'

\set ECHO queries

\echo
\echo '=== 1. The schema: fourteen tables in schema time_entry'
\echo '    (the directory the host application fills, the settings,'
\echo '    the workspaces, and the time entries themselves)'
\echo
\dt time_entry.*

\echo
\echo '=== The example workspace: who is who, and what each role grants'
\echo
SELECT u.first_name || ' ' || u.last_name AS "user", r.name AS "workspace role",
       r.is_admin AS admin, u.is_deactivated AS deactivated, u.id
  FROM time_entry.users u LEFT JOIN time_entry.roles r ON r.id = u.role_id
 ORDER BY u.id;
SELECT 'workspace role' AS kind, r.name AS role,
       string_agg(p.feature || ': ' || p.access_level, ', ' ORDER BY p.feature, p.access_level) AS grants
  FROM time_entry.roles r LEFT JOIN time_entry.role_permissions p ON p.role_id = r.id
 GROUP BY r.id
UNION ALL
SELECT 'project role', r.name,
       string_agg(p.feature || ': ' || p.access_level, ', ' ORDER BY p.feature, p.access_level)
  FROM time_entry.project_roles r
  LEFT JOIN time_entry.project_role_permissions p ON p.project_role_id = r.id
 GROUP BY r.id
 ORDER BY 1 DESC, 2;

\echo
\echo '=== Projects with their members (and project roles), tasks with their assignees'
\echo
SELECT p.name AS project, p.is_billable_by_default AS billable, p.is_closed AS closed,
       string_agg(u.first_name || ' (' || pr.name || ')', ', ' ORDER BY u.id) AS members, p.id
  FROM time_entry.projects p
  LEFT JOIN time_entry.project_members m ON m.project_id = p.id
  LEFT JOIN time_entry.users u ON u.id = m.user_id
  LEFT JOIN time_entry.project_roles pr ON pr.id = m.project_role_id
 GROUP BY p.id ORDER BY p.id;
SELECT t.name AS task, coalesce(p.name, '(private task)') AS project,
       string_agg(u.first_name, ', ' ORDER BY u.id) AS assignees, t.id
  FROM time_entry.tasks t
  LEFT JOIN time_entry.projects p ON p.id = t.project_id
  LEFT JOIN time_entry.task_assignees a ON a.task_id = t.id
  LEFT JOIN time_entry.users u ON u.id = a.user_id
 GROUP BY t.id, p.name ORDER BY t.id;
SELECT name AS "type of work", icon, is_archived AS archived, id
  FROM time_entry.types_of_work ORDER BY id;

\echo
\echo '=== The settings of the default workspace (where all of the above lives):'
\echo '    the defaults, no limit on past or future days'
\echo
SELECT w.name AS workspace, s.max_duration, s.prevent_on_closed_projects,
       s.prevent_in_future, s.allow_on_past_days, s.prevent_overlaps
  FROM time_entry.settings s JOIN time_entry.workspaces w ON w.id = s.workspace_id
 WHERE s.workspace_id = time_entry.default_workspace_id();

\echo
\echo '=== 2. create_entry: Alan books 4.5 hours on his task, the times given in UTC;'
\echo '    the response fills both the UTC and the local (Berlin) group'
\echo
SELECT jsonb_pretty(time_entry.create_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
    "projectId": "00000000-0000-4000-8000-0000000000d1",
    "taskId": "00000000-0000-4000-8000-0000000000e1",
    "timezone": "Europe/Berlin",
    "startDateUtc": "2025-03-11",
    "startTimeUtc": "08:00",
    "endTimeUtc": "12:30",
    "note": "Landing page layout"
}$$, :'alan'))\g (format=unaligned tuples_only=on)
\set ECHO none
SELECT id AS alan_entry FROM time_entry.time_entries WHERE note = 'Landing page layout' \gset
\set ECHO queries

\echo
\echo '=== create_entry in local time across the daylight-saving change in New York:'
\echo '    01:00 to 04:00 on 2025-03-09 lasts two hours ("duration": 7200), and'
\echo '    "america/new_york" comes back in its canonical spelling'
\echo
SELECT jsonb_pretty(time_entry.create_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f2",
    "projectId": "00000000-0000-4000-8000-0000000000d2",
    "timezone": "america/new_york",
    "startDateLocal": "2025-03-09",
    "startTimeLocal": "01:00",
    "endTimeLocal": "04:00",
    "note": "Release planning call"
}$$, :'alan'))\g (format=unaligned tuples_only=on)
\set ECHO none
SELECT pg_temp.check(duration = 7200 AND timezone = 'America/New_York',
                     'the New York entry to last 7200 s in America/New_York') AS checked
  FROM time_entry.time_entries WHERE note = 'Release planning call' \gset
\set ECHO queries

\echo
\echo '=== 3. A refused request: Barbara (no workspace role; on "Internal tools" a'
\echo '    contributor, who may not book time for others) books time for Alan there.'
\echo '    Look at SQLSTATE 42501, COLUMN NAME (the property) and CONSTRAINT NAME (the code)'
\echo
:expect_error 42501
SELECT time_entry.create_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
    "projectId": "00000000-0000-4000-8000-0000000000d2",
    "timezone": "Europe/Berlin",
    "startDateUtc": "2025-03-12",
    "startTimeUtc": "13:00",
    "endTimeUtc": "14:00"
}$$, :'barbara');
\set ON_ERROR_STOP 1
:check_error

\echo
\echo '=== validate_entry lists every problem of a request, and inserts nothing'
\echo
SELECT jsonb_pretty(time_entry.validate_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f3",
    "timezone": "Mars/Olympus_Mons",
    "startDateUtc": "2025-02-30",
    "isBillable": "yes"
}$$, :'alan'))\g (format=unaligned tuples_only=on)
\set ECHO none
\gset validation_
SELECT pg_temp.check(jsonb_array_length((:'validation_jsonb_pretty')::jsonb->'validationErrors') = 4,
                     'validate_entry to list four problems') AS checked \gset
\set ECHO queries

\echo
\echo '=== 4. Timers: Grace starts one at 09:00 UTC on 2025-03-12 ...'
\echo
SELECT r->>'id' AS id, r->>'startDateUtc' AS "startDateUtc", r->>'startTimeUtc' AS "startTimeUtc",
       r->>'endTimeUtc' AS "endTimeUtc", r->'duration' AS duration
  FROM time_entry.start_timer($${
    "userId": "00000000-0000-4000-8000-0000000000b2",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
    "projectId": "00000000-0000-4000-8000-0000000000d1",
    "timezone": "Europe/Berlin",
    "startDateUtc": "2025-03-12",
    "startTimeUtc": "09:00",
    "note": "Review the landing page"
}$$, :'grace') AS r;

\echo
\echo '=== ... and another at 11:30 for a meeting: the first one stops at 11:30 ...'
\echo
SELECT r->>'id' AS id, r->>'startDateUtc' AS "startDateUtc", r->>'startTimeUtc' AS "startTimeUtc",
       r->>'endTimeUtc' AS "endTimeUtc", r->'duration' AS duration
  FROM time_entry.start_timer($${
    "userId": "00000000-0000-4000-8000-0000000000b2",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f2",
    "projectId": "00000000-0000-4000-8000-0000000000d1",
    "timezone": "Europe/Berlin",
    "startDateUtc": "2025-03-12",
    "startTimeUtc": "11:30",
    "note": "Launch meeting"
}$$, :'grace') AS r;

\echo
\echo '=== ... which stop_timer ends at 12:15 (without end_at: now)'
\echo
SELECT r->>'id' AS id, r->>'startTimeUtc' AS "startTimeUtc", r->>'endTimeUtc' AS "endTimeUtc",
       r->'duration' AS duration
  FROM time_entry.stop_timer(:'grace', :'grace', end_at => '2025-03-12 12:15Z') AS r;

\echo
\echo '=== Grace''s two entries: 2.5 hours of review, 45 minutes of meeting'
\echo
SELECT w.name AS "type of work", e.note, e.start_at, e.end_at, e.duration
  FROM time_entry.time_entries e JOIN time_entry.types_of_work w ON w.id = e.type_of_work_id
 WHERE e.user_id = :'grace' ORDER BY e.start_at;
\set ECHO none
SELECT pg_temp.check(array_agg(duration ORDER BY start_at) = '{9000,2700}'
                     AND bool_and(end_at IS NOT NULL),
                     'Grace''s timers to last 9000 s and 2700 s') AS checked
  FROM time_entry.time_entries WHERE user_id = :'grace' \gset
\set ECHO queries

\echo
\echo '=== 5. Reading: get_entry gives the response object of create_entry (here a few'
\echo '    of its keys); Grace, a team lead, may read everybody''s time ...'
\echo
SELECT e->'user'->>'firstName' AS "user", e->'task'->>'name' AS task,
       e->>'startDateLocal' AS "startDateLocal", e->>'startTimeLocal' AS "startTimeLocal",
       e->>'endTimeLocal' AS "endTimeLocal", e->'duration' AS duration, e->>'note' AS note
  FROM time_entry.get_entry(:'alan_entry', :'grace') AS e;

\echo
\echo '=== ... and list_entries with a filter: Alan''s entries in March 2025,'
\echo '    ordered by their start'
\echo
SELECT e->>'startDateLocal' AS "startDateLocal", e->>'startTimeLocal' AS "startTimeLocal",
       e->>'endTimeLocal' AS "endTimeLocal", e->>'timezone' AS timezone,
       e->'duration' AS duration, e->'project'->>'name' AS project, e->>'note' AS note
  FROM time_entry.list_entries(:'grace', user_id => :'alan',
                               from_date => '2025-03-01', to_date => '2025-03-31') AS e;

\echo
\echo '=== An actor lists only what it may read: Barbara sees none of Alan''s entries.'
\echo '    PUBLIC may read no table directly: applications read through these functions'
\echo
SELECT count(*) AS "Alan's entries Barbara sees"
  FROM time_entry.list_entries(:'barbara', user_id => :'alan');
SELECT has_table_privilege('public', 'time_entry.time_entries', 'SELECT') AS "PUBLIC may read time_entries";

\echo
\echo '=== 6. Correcting: Alan reads his entry''s resourceVersion ...'
\echo
SELECT time_entry.get_entry(:'alan_entry', :'alan')->'resourceVersion' AS version_read;
\set ECHO none
\gset
\set ECHO queries

\echo
\echo '=== ... and update_entry changes the note of that version: the version grows'
\echo
SELECT r->>'note' AS note, r->'resourceVersion' AS "resourceVersion", r->>'updatedOn' AS "updatedOn"
  FROM time_entry.update_entry(:'alan_entry', '{"note": "Landing page: layout and copy"}', :'alan',
                               expected_version => :version_read) AS r;

\echo
\echo '=== The same change again, from the version read before, is refused:'
\echo '    somebody changed the entry since (40001 version-conflict on resourceVersion)'
\echo
:expect_error 40001
SELECT time_entry.update_entry(:'alan_entry', '{"note": "Landing page: layout and copy"}', :'alan',
                               expected_version => :version_read);
\set ON_ERROR_STOP 1
:check_error

\echo
\echo '=== 7. A safe retry: the request carries an "id" made up by the client;'
\echo '    sent twice (a lost response), it gives the same entry, created once'
\echo
SELECT r->>'id' AS id, r->'resourceVersion' AS "resourceVersion", r->>'note' AS note
  FROM time_entry.create_entry($${
    "id": "3f6c1a52-7b0e-4c1d-9a57-2f1e0d4c8b90",
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
    "taskId": "00000000-0000-4000-8000-0000000000e3",
    "timezone": "Europe/London",
    "startDateLocal": "2025-03-13",
    "startTimeLocal": "16:00",
    "duration": 1800,
    "note": "Inbox"
}$$, :'alan') AS r;
\g
\set ECHO none
\gset retry_
SELECT pg_temp.check(count(*) = 1 AND min(resource_version) = :retry_resourceVersion,
                     'a retry to return the one stored entry') AS checked
  FROM time_entry.time_entries WHERE id = :'retry_id' \gset
\set ECHO queries
SELECT count(*) AS "rows with this id"
  FROM time_entry.time_entries WHERE id = '3f6c1a52-7b0e-4c1d-9a57-2f1e0d4c8b90';

\echo
\echo '=== 8. delete_entry returns the last response of the entry ...'
\echo
SELECT r->>'id' AS id, r->>'startDateLocal' AS "startDateLocal", r->'duration' AS duration,
       r->>'note' AS note
  FROM time_entry.delete_entry('3f6c1a52-7b0e-4c1d-9a57-2f1e0d4c8b90', :'alan') AS r;

\echo
\echo '=== ... after which it is not found (P0002 not-found on id)'
\echo
:expect_error P0002
SELECT time_entry.get_entry('3f6c1a52-7b0e-4c1d-9a57-2f1e0d4c8b90', :'alan');
\set ON_ERROR_STOP 1
:check_error

\echo
\echo '=== 9. import_entries: Grace imports a JSON array; each element gives its id'
\echo '    or its first problem (code, SQLSTATE, property), and the good ones are kept'
\echo
SELECT i.ordinal, i.id, i.error->>'code' AS code, i.error->>'sqlstate' AS sqlstate,
       i.error->'validationErrors'->0->>'property' AS property,
       i.error->'validationErrors'->0->>'message' AS message
  FROM time_entry.import_entries($$[
    {"userId": "00000000-0000-4000-8000-0000000000b3", "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
     "projectId": "00000000-0000-4000-8000-0000000000d1", "timezone": "Europe/Berlin",
     "startDateLocal": "2025-03-14", "duration": 14400, "note": "Imported: a day's work, date only"},
    {"userId": "00000000-0000-4000-8000-0000000000b4", "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
     "timezone": "Europe/Berlin", "startDateUtc": "2025-03-14T09:00:00Z", "duration": 3600},
    {"userId": "00000000-0000-4000-8000-0000000000b5", "typeOfWorkId": "00000000-0000-4000-8000-0000000000f2",
     "projectId": "00000000-0000-4000-8000-0000000000d2", "timezone": "UTC",
     "startDateUtc": "2025-03-14", "startTimeUtc": "10:00", "endTimeUtc": "10:30"},
    {"userId": "00000000-0000-4000-8000-0000000000b3", "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
     "timezone": "UTC", "startDateUtc": "2025-03-14", "startTimeUtc": "12:00", "endTimeUtc": "25:00"},
    {"userId": "00000000-0000-4000-8000-0000000000b3", "typeOfWorkId": "00000000-0000-4000-8000-0000000000f3",
     "timezone": "UTC", "startDateUtc": "2025-03-14", "duration": 3600},
    "not an object"
]$$, :'grace') AS i;
\set ECHO none
SELECT pg_temp.check(count(*) = 2, 'the two good elements to be kept, and only them') AS checked
  FROM time_entry.time_entries WHERE date_local = '2025-03-14' \gset
\set ECHO queries

\echo
\echo '=== 10. Workspaces: one database holds many.  A second one gets its own settings row'
\echo
INSERT INTO time_entry.workspaces (id, name)
VALUES ('00000000-0000-4000-8000-000000000200', 'Second workspace');
INSERT INTO time_entry.users (workspace_id, id, first_name, last_name)
VALUES ('00000000-0000-4000-8000-000000000200', '00000000-0000-4000-8000-0000000002b1', 'Katherine', 'Johnson');
INSERT INTO time_entry.types_of_work (workspace_id, id, name)
VALUES ('00000000-0000-4000-8000-000000000200', '00000000-0000-4000-8000-0000000002f1', 'Research');
SELECT w.name AS workspace, s.max_duration, s.prevent_on_closed_projects,
       s.prevent_in_future, s.allow_on_past_days, s.prevent_overlaps
  FROM time_entry.workspaces w JOIN time_entry.settings s ON s.workspace_id = w.id
 ORDER BY w.name;

\echo
\echo '=== Katherine books time in her workspace ...'
\echo
SELECT r->>'id' AS id, r->'user'->>'firstName' AS "user", r->'typeOfWork'->>'name' AS "type of work",
       r->>'startDateUtc' AS "startDateUtc", r->'duration' AS duration
  FROM time_entry.create_entry($${
    "userId": "00000000-0000-4000-8000-0000000002b1",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000002f1",
    "timezone": "America/New_York",
    "startDateUtc": "2025-03-12T14:00:00Z",
    "duration": 5400
}$$, '00000000-0000-4000-8000-0000000002b1') AS r;

\echo
\echo '=== ... but an id of the default workspace answers exactly as an id no row has:'
\echo '    the type of work "Development" and a made-up id give the same problem'
\echo
SELECT v.type_of_work, r->>'code' AS code, r->>'sqlstate' AS sqlstate,
       r->'validationErrors'->0->>'property' AS property,
       r->'validationErrors'->0->>'message' AS message
  FROM (VALUES ('Development (default workspace)', '00000000-0000-4000-8000-0000000000f1'),
               ('an id no row has', '00000000-0000-4000-8000-0000000000f9')) AS v(type_of_work, id),
       time_entry.validate_entry(jsonb_build_object(
           'userId', '00000000-0000-4000-8000-0000000002b1', 'typeOfWorkId', v.id,
           'timezone', 'UTC', 'startDateUtc', '2025-03-12', 'duration', 3600),
         '00000000-0000-4000-8000-0000000002b1') AS r;
\set ECHO none
SELECT pg_temp.check(count(DISTINCT (r->>'sqlstate', r->>'code',
                                     r->'validationErrors'->0->>'property')) = 1
                     AND min(r->>'sqlstate') = '23503',
                     'the same not-found problem for both ids') AS checked
  FROM (VALUES ('00000000-0000-4000-8000-0000000000f1'), ('00000000-0000-4000-8000-0000000000f9')) AS v(id),
       time_entry.validate_entry(jsonb_build_object(
           'userId', '00000000-0000-4000-8000-0000000002b1', 'typeOfWorkId', v.id,
           'timezone', 'UTC', 'startDateUtc', '2025-03-12', 'duration', 3600),
         '00000000-0000-4000-8000-0000000002b1') AS r \gset
\set ECHO queries

\echo
\echo '=== Alan''s entry is not found from Katherine''s workspace, as the deleted one above'
\echo
:expect_error P0002
SELECT time_entry.get_entry(:'alan_entry', '00000000-0000-4000-8000-0000000002b1');
\set ON_ERROR_STOP 1
:check_error

\echo
\echo '=== Even with plain SQL, no row may point into another workspace (23503):'
\echo '    Katherine cannot become a member of a project of the default workspace'
\echo
:expect_error 23503
INSERT INTO time_entry.project_members (workspace_id, project_id, user_id, project_role_id)
VALUES ('00000000-0000-4000-8000-000000000200', '00000000-0000-4000-8000-0000000000d1',
        '00000000-0000-4000-8000-0000000002b1', '00000000-0000-4000-8000-0000000000c2');
\set ON_ERROR_STOP 1
:check_error

\echo
\echo '=== 11. The audit trail: even the table''s owner (this session) cannot write'
\echo '    time_entries with plain SQL without naming an actor (28000) ...'
\echo
:expect_error 28000
UPDATE time_entry.time_entries SET is_billed = true WHERE id = :'alan_entry';
\set ON_ERROR_STOP 1
:check_error

\echo
\echo '=== ... with SET LOCAL time_entry.actor the write is Ada''s (she marks the entry'
\echo '    billed): updated_by and updated_on change, resource_version grows,'
\echo '    created_by and created_on stay'
\echo
\set ECHO none
SELECT resource_version AS version_before FROM time_entry.time_entries WHERE id = :'alan_entry' \gset
\set ECHO queries
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b1';
UPDATE time_entry.time_entries SET is_billed = true WHERE id = :'alan_entry'
RETURNING (SELECT first_name FROM time_entry.users WHERE id = created_by) AS created_by, created_on,
          (SELECT first_name FROM time_entry.users WHERE id = updated_by) AS updated_by, updated_on,
          resource_version, resource_version > :version_before AS "version grew";
COMMIT;
\set ECHO none
SELECT pg_temp.check(updated_by = :'ada' AND created_by = :'alan' AND resource_version > :version_before,
                     'the update to be recorded as Ada''s, with a greater resource_version') AS checked
  FROM time_entry.time_entries WHERE id = :'alan_entry' \gset
\set ECHO queries

\echo
\echo '=== All entries now, read as the owner: the six that were kept in the default'
\echo '    workspace (one was deleted) and Katherine''s in hers'
\echo
SELECT w.name AS workspace, u.first_name AS "user", e.date_local, e.start_at, e.end_at,
       e.duration, e.is_billable AS billable, e.is_billed AS billed, e.note,
       c.first_name AS created_by, m.first_name AS updated_by
  FROM time_entry.time_entries e
  JOIN time_entry.workspaces w ON w.id = e.workspace_id
  LEFT JOIN time_entry.users u ON u.id = e.user_id
  LEFT JOIN time_entry.users c ON c.id = e.created_by
  LEFT JOIN time_entry.users m ON m.id = e.updated_by
 ORDER BY w.name, e.date_local, e.start_at;
