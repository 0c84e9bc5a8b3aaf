--
-- The table constraints of SPEC 1: every CHECK of time_entries refusing a
-- row that breaks only that invariant, one running entry per user, the
-- access levels of the permission tables, the foreign keys and their
-- ON DELETE rules, and the single settings row.
--
-- Errors are shown terse (message only): a refused time entry's DETAIL
-- lists the row, whose id and audit values change from run to run.  The
-- SQLSTATE follows each refusal.
--
SET client_min_messages = warning;
\set VERBOSITY terse

\set actor '20000000-0000-4000-8000-0000000000b1'
\set other '20000000-0000-4000-8000-0000000000b2'
\set work '20000000-0000-4000-8000-0000000000f1'
\set project '20000000-0000-4000-8000-0000000000d1'
INSERT INTO time_entry.users (id, first_name) VALUES (:'actor', 'Constraint A'), (:'other', 'Constraint B');
INSERT INTO time_entry.types_of_work (id, name) VALUES (:'work', 'Constraint tests');
INSERT INTO time_entry.projects (id, name) VALUES (:'project', 'Constraint project');

-- The writes below are made by this actor.
SET time_entry.actor = :'actor';

-- A template: a valid timed entry of one hour.
CREATE TEMP VIEW valid_entry AS
SELECT :'actor'::uuid AS user_id, :'work'::uuid AS type_of_work_id, 'UTC'::text AS timezone,
       '2025-01-06'::date AS date_local,
       '2025-01-06 09:00+00'::timestamptz AS start_at, '2025-01-06 10:00+00'::timestamptz AS end_at,
       3600 AS duration, 0 AS break_duration, false AS is_billable, false AS is_billed;

-- The four shapes of a valid row: timed, timed with a break, running,
-- date-only.  A fraction of a second is dropped from the duration.
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
SELECT * FROM valid_entry;
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-01-06', '2025-01-06 11:00+00', '2025-01-06 12:00:59.999+00', 3059, 600, true, true);
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-01-06', '2025-01-06 13:00+00', NULL, 0, true, false);
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-01-07', NULL, NULL, 28800, false, false);
SELECT start_at IS NOT NULL AS has_start, end_at IS NOT NULL AS has_end, duration, break_duration
  FROM time_entry.time_entries WHERE type_of_work_id = :'work' ORDER BY date_local, start_at;

--
-- Each CHECK of time_entries, with a row that breaks only it.
--
-- time_entries_duration_check: duration >= 0 (a break longer than the entry)
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00+00', '2025-01-06 09:01+00', -60, 120, false, false);
\echo :LAST_ERROR_SQLSTATE
-- time_entries_break_duration_check: break_duration >= 0
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00+00', '2025-01-06 09:01+00', 120, -60, false, false);
\echo :LAST_ERROR_SQLSTATE
-- time_entries_duration_matches_end: duration is the whole seconds from
-- start to end less the break
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00+00', '2025-01-06 10:00+00', 3000, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00:00.5+00', '2025-01-06 10:00+00', 3600, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
-- ... which is also what refuses an end before the start, whatever the
-- duration: a non-negative duration and break cannot match a negative span
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 10:00+00', '2025-01-06 09:00+00', 0, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
-- time_entries_end_after_start: end_at >= start_at, on its own (the
-- constraint that reports first is set aside for this one statement)
BEGIN;
ALTER TABLE time_entry.time_entries DROP CONSTRAINT time_entries_duration_matches_end;
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 10:00+00', '2025-01-06 09:00+00', 0, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- time_entries_end_needs_start: an end without a start
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', NULL, '2025-01-06 10:00+00', 3600, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
-- time_entries_running_duration: a running entry has duration 0
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00+00', NULL, 60, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
-- time_entries_date_only_duration: a date-only entry has duration > 0
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', NULL, NULL, 0, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
-- time_entries_billed_is_billable: billed implies billable
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, break_duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 09:00+00', '2025-01-06 10:00+00', 3600, 0, false, true);
\echo :LAST_ERROR_SQLSTATE
-- The same invariants hold for UPDATEs.
UPDATE time_entry.time_entries SET is_billable = false WHERE type_of_work_id = :'work' AND is_billed;
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.time_entries SET end_at = end_at + interval '1 minute' WHERE type_of_work_id = :'work' AND duration = 3600;
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.time_entries SET duration = 60 WHERE type_of_work_id = :'work' AND end_at IS NULL AND start_at IS NOT NULL;
\echo :LAST_ERROR_SQLSTATE
-- None of the refused rows is there.
SELECT count(*) AS rows_of_other_user FROM time_entry.time_entries WHERE user_id = :'other';

--
-- NOT NULL columns and foreign keys.
--
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'other', :'work', NULL, '2025-01-06', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'other', NULL, 'UTC', '2025-01-06', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable)
VALUES (:'other', :'work', 'UTC', '2025-01-06', 60, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'other', '20000000-0000-4000-8000-0000000000f9', 'UTC', '2025-01-06', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'other', :'work', '20000000-0000-4000-8000-0000000000d9', 'UTC', '2025-01-06', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, task_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'other', :'work', '20000000-0000-4000-8000-0000000000e9', 'UTC', '2025-01-06', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, duration, is_billable, is_billed)
VALUES ('20000000-0000-4000-8000-0000000000b9', :'work', 'UTC', '2025-01-06', 60, false, false);
\echo :LAST_ERROR_SQLSTATE
-- the defaults: break_duration 0, is_external false
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, timezone, date_local, duration, is_billable, is_billed)
VALUES (:'other', :'work', :'project', 'UTC', '2025-01-08', 60, false, false)
RETURNING break_duration, is_external;

--
-- At most one running entry per user (the partial unique index).
--
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-01-06', '2025-01-06 14:00+00', NULL, 0, false, false);
\echo :LAST_ERROR_SQLSTATE
-- another user may run a timer at the same time
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
VALUES (:'other', :'work', 'UTC', '2025-01-06', '2025-01-06 14:00+00', NULL, 0, false, false);
-- stopping the running entry allows the next one
UPDATE time_entry.time_entries SET end_at = start_at + interval '30 minutes', duration = 1800
 WHERE user_id = :'actor' AND start_at IS NOT NULL AND end_at IS NULL;
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, timezone, date_local, start_at, end_at, duration, is_billable, is_billed)
VALUES (:'actor', :'work', 'UTC', '2025-01-06', '2025-01-06 14:00+00', NULL, 0, false, false);
-- restarting a stopped entry while another one runs is refused too
UPDATE time_entry.time_entries SET end_at = NULL, duration = 0
 WHERE user_id = :'actor' AND start_at = '2025-01-06 13:00+00';
\echo :LAST_ERROR_SQLSTATE
-- any number of stopped and date-only entries
SELECT count(*) FILTER (WHERE start_at IS NOT NULL AND end_at IS NULL) AS running,
       count(*) FILTER (WHERE end_at IS NOT NULL) AS stopped,
       count(*) FILTER (WHERE start_at IS NULL) AS date_only
  FROM time_entry.time_entries WHERE user_id = :'actor';

--
-- Access levels of role_permissions and project_role_permissions.
--
INSERT INTO time_entry.roles (id, name) VALUES ('20000000-0000-4000-8000-0000000000a1', 'Constraint role');
INSERT INTO time_entry.project_roles (id, name) VALUES ('20000000-0000-4000-8000-0000000000c1', 'Constraint project role');
INSERT INTO time_entry.role_permissions VALUES
	('20000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'read'),
	('20000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'write'),
	('20000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'delete');
INSERT INTO time_entry.role_permissions VALUES
	('20000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'admin');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.role_permissions VALUES
	('20000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'Write');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.role_permissions VALUES
	('20000000-0000-4000-8000-0000000000a1', 'project-timetracking', 'write');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.project_role_permissions VALUES
	('20000000-0000-4000-8000-0000000000c1', 'project-planning-data', 'read'),
	('20000000-0000-4000-8000-0000000000c1', 'project-planning-data', 'write'),
	('20000000-0000-4000-8000-0000000000c1', 'project-planning-data', 'delete');
INSERT INTO time_entry.project_role_permissions VALUES
	('20000000-0000-4000-8000-0000000000c1', 'project-planning-data', 'owner');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO time_entry.project_role_permissions VALUES
	('20000000-0000-4000-8000-0000000000c1', 'project-planning-data', NULL);
\echo :LAST_ERROR_SQLSTATE

--
-- ON DELETE rules.
--
INSERT INTO time_entry.users (id, first_name, role_id)
VALUES ('20000000-0000-4000-8000-0000000000b3', 'Constraint C', '20000000-0000-4000-8000-0000000000a1');
INSERT INTO time_entry.project_members VALUES
	(:'project', '20000000-0000-4000-8000-0000000000b3', '20000000-0000-4000-8000-0000000000c1');
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	('20000000-0000-4000-8000-0000000000e1', 'Constraint task', :'project');
INSERT INTO time_entry.task_assignees VALUES
	('20000000-0000-4000-8000-0000000000e1', '20000000-0000-4000-8000-0000000000b3');
INSERT INTO time_entry.time_entries
	(user_id, type_of_work_id, project_id, task_id, timezone, date_local, duration, is_billable, is_billed)
VALUES ('20000000-0000-4000-8000-0000000000b3', :'work', :'project', '20000000-0000-4000-8000-0000000000e1',
	'UTC', '2025-01-09', 60, false, false);
-- NO ACTION: a role, project role, project, task or type of work still in use
DELETE FROM time_entry.roles WHERE id = '20000000-0000-4000-8000-0000000000a1';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.project_roles WHERE id = '20000000-0000-4000-8000-0000000000c1';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.projects WHERE id = :'project';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.tasks WHERE id = '20000000-0000-4000-8000-0000000000e1';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM time_entry.types_of_work WHERE id = :'work';
\echo :LAST_ERROR_SQLSTATE
-- SET NULL and CASCADE: deleting a user keeps the entries (user_id NULL,
-- a change the audit trigger records for the actor) and drops the user's
-- memberships and assignments
DELETE FROM time_entry.users WHERE id = '20000000-0000-4000-8000-0000000000b3';
SELECT count(*) AS entries_left, count(user_id) AS with_user,
       bool_and(updated_by = :'actor') AS updated_by_actor
  FROM time_entry.time_entries WHERE task_id = '20000000-0000-4000-8000-0000000000e1';
SELECT (SELECT count(*) FROM time_entry.project_members WHERE user_id = '20000000-0000-4000-8000-0000000000b3') AS memberships,
       (SELECT count(*) FROM time_entry.task_assignees WHERE user_id = '20000000-0000-4000-8000-0000000000b3') AS assignments;
-- CASCADE: a role's permissions go with it, and so do a project role's,
-- a project's members and a task's assignees
INSERT INTO time_entry.users (id, first_name) VALUES ('20000000-0000-4000-8000-0000000000b4', 'Constraint D');
INSERT INTO time_entry.projects (id, name) VALUES ('20000000-0000-4000-8000-0000000000d2', 'Constraint project 2');
INSERT INTO time_entry.project_members VALUES
	('20000000-0000-4000-8000-0000000000d2', '20000000-0000-4000-8000-0000000000b4', '20000000-0000-4000-8000-0000000000c1');
INSERT INTO time_entry.tasks (id, name) VALUES ('20000000-0000-4000-8000-0000000000e2', 'Constraint private task');
INSERT INTO time_entry.task_assignees VALUES
	('20000000-0000-4000-8000-0000000000e2', '20000000-0000-4000-8000-0000000000b4');
DELETE FROM time_entry.roles WHERE id = '20000000-0000-4000-8000-0000000000a1';
DELETE FROM time_entry.projects WHERE id = '20000000-0000-4000-8000-0000000000d2';
DELETE FROM time_entry.project_roles WHERE id = '20000000-0000-4000-8000-0000000000c1';
DELETE FROM time_entry.tasks WHERE id = '20000000-0000-4000-8000-0000000000e2';
SELECT (SELECT count(*) FROM time_entry.role_permissions WHERE role_id = '20000000-0000-4000-8000-0000000000a1') AS role_permissions,
       (SELECT count(*) FROM time_entry.project_role_permissions WHERE project_role_id = '20000000-0000-4000-8000-0000000000c1') AS project_role_permissions,
       (SELECT count(*) FROM time_entry.project_members WHERE user_id = '20000000-0000-4000-8000-0000000000b4') AS memberships,
       (SELECT count(*) FROM time_entry.task_assignees WHERE user_id = '20000000-0000-4000-8000-0000000000b4') AS assignments;

--
-- settings: one row per workspace (here only the default one), valid
-- values, cannot be deleted.
--
SELECT count(*) AS settings_rows FROM time_entry.settings;
UPDATE time_entry.settings SET max_duration = 0;
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.settings SET max_duration = -1;
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.settings SET allow_on_past_days = -1;
\echo :LAST_ERROR_SQLSTATE
UPDATE time_entry.settings SET prevent_overlaps = NULL;
\echo :LAST_ERROR_SQLSTATE
-- the limits may be NULL (no limit), allow_on_past_days 0 (today only)
UPDATE time_entry.settings SET max_duration = NULL, allow_on_past_days = 0;
UPDATE time_entry.settings SET max_duration = 1;
SELECT max_duration, allow_on_past_days FROM time_entry.settings;
-- a second row for the workspace is an update of its row (this is what a
-- restore does)
INSERT INTO time_entry.settings (max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps)
VALUES (7200, true, true, 30, true);
SELECT count(*) AS settings_rows FROM time_entry.settings;
SELECT max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps
  FROM time_entry.settings;
INSERT INTO time_entry.settings DEFAULT VALUES;
SELECT max_duration, prevent_on_closed_projects, prevent_in_future, allow_on_past_days, prevent_overlaps
  FROM time_entry.settings;
INSERT INTO time_entry.settings (max_duration) VALUES (0);
\echo :LAST_ERROR_SQLSTATE
-- and even with the triggers off, the primary key allows no second row
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO time_entry.settings DEFAULT VALUES;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
\set VERBOSITY default
DELETE FROM time_entry.settings;
\echo :LAST_ERROR_SQLSTATE
TRUNCATE time_entry.settings;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS settings_rows FROM time_entry.settings;

-- Clean up: the defaults again, and none of this test's rows.
UPDATE time_entry.settings
   SET max_duration = 86400, prevent_on_closed_projects = false, prevent_in_future = false,
       allow_on_past_days = NULL, prevent_overlaps = false;
DELETE FROM time_entry.time_entries WHERE type_of_work_id = :'work';
DELETE FROM time_entry.tasks WHERE id = '20000000-0000-4000-8000-0000000000e1';
DELETE FROM time_entry.projects WHERE id = :'project';
DELETE FROM time_entry.types_of_work WHERE id = :'work';
DELETE FROM time_entry.users WHERE id IN (:'actor', :'other', '20000000-0000-4000-8000-0000000000b4');
RESET time_entry.actor;
