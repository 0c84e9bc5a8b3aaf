-- What time_entry does, shown in a database holding the extension and the
-- example workspace of test/demo_workspace.sql.  Run by test/demo.sh
-- (`make demo`).  Statements are echoed before their results.
--
-- Every refusal shown here is checked: if a write that must be refused
-- succeeds, the demo stops with an error (and `make demo` fails).

\set ON_ERROR_STOP 1
\pset null '(null)'
SET client_min_messages = warning;

\echo
\echo '=== The schema: twelve tables in schema time_entry'
\echo
\dt time_entry.*

\echo
\echo '=== The example workspace (test/demo_workspace.sql)'
\echo
SELECT u.first_name || ' ' || u.last_name AS "user", r.name AS "workspace role",
       r.is_admin AS admin, u.is_deactivated AS deactivated, u.id
  FROM time_entry.users u LEFT JOIN time_entry.roles r ON r.id = u.role_id
 ORDER BY u.id;
SELECT p.name AS project, p.is_billable_by_default AS billable, p.is_closed AS closed,
       string_agg(u.first_name || ' (' || pr.name || ')', ', ' ORDER BY u.id) AS members, p.id
  FROM time_entry.projects p
  LEFT JOIN time_entry.project_members m ON m.project_id = p.id
  LEFT JOIN time_entry.users u ON u.id = m.user_id
  LEFT JOIN time_entry.project_roles pr ON pr.id = m.project_role_id
 GROUP BY p.id ORDER BY p.id;
SELECT t.name AS task, coalesce(p.name, '(private)') AS project,
       string_agg(u.first_name, ', ' ORDER BY u.id) AS assignees, t.id
  FROM time_entry.tasks t
  LEFT JOIN time_entry.projects p ON p.id = t.project_id
  LEFT JOIN time_entry.task_assignees a ON a.task_id = t.id
  LEFT JOIN time_entry.users u ON u.id = a.user_id
 GROUP BY t.id, p.name ORDER BY t.id;
SELECT name AS "type of work", icon, is_archived AS archived, id
  FROM time_entry.types_of_work ORDER BY id;
SELECT * FROM time_entry.settings;

\echo
\echo '=== The audit trigger keeps the audit fields of every row'
\echo '    (here a row written with plain SQL by the table owner; the actor is'
\echo '    the setting time_entry.actor)'
\echo
\set ECHO queries
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b3';
INSERT INTO time_entry.time_entries
       (user_id, type_of_work_id, project_id, timezone, date_local,
        start_at, end_at, duration, is_billable, is_billed, note)
VALUES ('00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000f1',
        '00000000-0000-4000-8000-0000000000d2', 'Europe/Berlin', '2025-03-10',
        '2025-03-10 09:00+01', '2025-03-10 11:30+01', 9000, false, false,
        'Written with plain SQL')
RETURNING id, created_by, created_on, updated_by, updated_on, resource_version;
COMMIT;
\set ECHO none
SELECT id AS entry_id, resource_version AS first_version
  FROM time_entry.time_entries WHERE note = 'Written with plain SQL' \gset

\echo
\echo '=== An UPDATE by another actor: updated_by/updated_on change,'
\echo '    resource_version grows, created_by/created_on stay'
\echo
\set ECHO queries
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b2';
UPDATE time_entry.time_entries SET note = 'Reviewed by Grace'
 WHERE id = :'entry_id'
RETURNING created_by, created_on, updated_by, updated_on, resource_version,
          resource_version > :first_version AS version_grew;
COMMIT;
\set ECHO none

\echo
\echo '=== A write without an actor is refused (SQLSTATE 28000)'
\echo
\set VERBOSITY verbose
\set ON_ERROR_STOP 0
\set ECHO queries
UPDATE time_entry.time_entries SET note = 'Nobody wrote this' WHERE id = :'entry_id';
\set ECHO none
\set ON_ERROR_STOP 1
\set VERBOSITY default
SELECT :'LAST_ERROR_SQLSTATE' = '28000' AS refused \gset
\if :refused
\else
DO $$ BEGIN RAISE EXCEPTION 'demo: the write without an actor was not refused'; END $$;
\endif

\echo
\echo '=== Writing time_entries directly is for the owner only: PUBLIC may read'
\echo
SELECT grantee, string_agg(privilege_type, ', ' ORDER BY privilege_type) AS privileges
  FROM information_schema.role_table_grants
 WHERE table_schema = 'time_entry' AND table_name = 'time_entries'
 GROUP BY grantee ORDER BY grantee;

SELECT to_regprocedure('time_entry.create_entry(jsonb,uuid)') IS NOT NULL AS has_create_entry,
       to_regprocedure('time_entry.validate_entry(jsonb,uuid)') IS NOT NULL AS has_validate_entry \gset

\if :has_create_entry

\echo
\echo '=== create_entry: a UTC entry, booked by Alan on his task'
\echo
\set ECHO queries
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
}$$, '00000000-0000-4000-8000-0000000000b3'));
\set ECHO none

\echo
\echo '=== create_entry: a local-time entry across the daylight-saving change'
\echo '    in New York (01:00 to 04:00 local on 2025-03-09 lasts two hours;'
\echo '    the time zone comes back in its canonical spelling)'
\echo
\set ECHO queries
SELECT jsonb_pretty(time_entry.create_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f2",
    "projectId": "00000000-0000-4000-8000-0000000000d2",
    "timezone": "america/new_york",
    "startDateLocal": "2025-03-09",
    "startTimeLocal": "01:00",
    "endTimeLocal": "04:00"
}$$, '00000000-0000-4000-8000-0000000000b3'));
\set ECHO none

\echo
\echo '=== create_entry: a running timer, started 15 minutes ago by Grace'
\echo '    (the actor taken from SET LOCAL time_entry.actor)'
\echo
\set ECHO queries
BEGIN;
SET LOCAL time_entry.actor = '00000000-0000-4000-8000-0000000000b2';
SELECT jsonb_pretty(time_entry.create_entry(jsonb_build_object(
    'userId', '00000000-0000-4000-8000-0000000000b2',
    'typeOfWorkId', '00000000-0000-4000-8000-0000000000f1',
    'projectId', '00000000-0000-4000-8000-0000000000d1',
    'timezone', 'UTC',
    'startDateUtc', to_char(now() AT TIME ZONE 'UTC' - interval '15 minutes', 'YYYY-MM-DD'),
    'startTimeUtc', to_char(now() AT TIME ZONE 'UTC' - interval '15 minutes', 'HH24:MI:SS'))));
COMMIT;
\set ECHO none

\echo
\echo '=== A refused request: Barbara (no workspace role, contributor on'
\echo '    "Internal tools") books time for Alan on that project'
\echo
\set VERBOSITY verbose
\set ON_ERROR_STOP 0
\set ECHO queries
SELECT time_entry.create_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f1",
    "projectId": "00000000-0000-4000-8000-0000000000d2",
    "timezone": "Europe/Berlin",
    "startDateUtc": "2025-03-12",
    "startTimeUtc": "13:00",
    "endTimeUtc": "14:00"
}$$, '00000000-0000-4000-8000-0000000000b5');
\set ECHO none
\set ON_ERROR_STOP 1
\set VERBOSITY default
SELECT :'LAST_ERROR_SQLSTATE' = '42501' AS refused \gset
\if :refused
\else
DO $$ BEGIN RAISE EXCEPTION 'demo: the request without permission was not refused with 42501'; END $$;
\endif

\if :has_validate_entry
\echo
\echo '=== validate_entry lists every problem of a request and inserts nothing'
\echo
\set ECHO queries
SELECT jsonb_pretty(time_entry.validate_entry($${
    "userId": "00000000-0000-4000-8000-0000000000b3",
    "typeOfWorkId": "00000000-0000-4000-8000-0000000000f3",
    "timezone": "Mars/Olympus_Mons",
    "startDateUtc": "2025-02-30",
    "isBillable": "yes"
}$$, '00000000-0000-4000-8000-0000000000b3'));
\set ECHO none
\endif

\echo
\echo '=== All entries now in time_entry.time_entries'
\echo
SELECT u.first_name AS "user", e.timezone, e.date_local, e.start_at, e.end_at,
       e.duration, e.is_billable AS billable, e.note, c.first_name AS created_by
  FROM time_entry.time_entries e
  LEFT JOIN time_entry.users u ON u.id = e.user_id
  LEFT JOIN time_entry.users c ON c.id = e.created_by
 ORDER BY e.id;

\else

\echo
\echo '(time_entry.create_entry(jsonb, uuid) is not installed yet: created'
\echo ' entries and a refused request will be shown here once it is.)'

\endif
