-- A small example workspace for time_entry: the directory tables a host
-- application would fill.  Used by `make demo` (test/demo.sh) and by the
-- dump/restore suite.  Load it into a database with the extension:
--
--   psql -d DB -f test/demo_workspace.sql
--
-- The ids are fixed and readable: the last two hex digits tell the kind
-- (a = workspace role, b = user, c = project role, d = project, e = task,
-- f = type of work) and the number.

BEGIN;

-- Workspace roles and what they grant
INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('00000000-0000-4000-8000-0000000000a1', 'Administrator', true),
	('00000000-0000-4000-8000-0000000000a2', 'Team lead', false),
	('00000000-0000-4000-8000-0000000000a3', 'Member', false);

INSERT INTO time_entry.role_permissions (role_id, feature, access_level) VALUES
	('00000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'read'),
	('00000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'write'),
	('00000000-0000-4000-8000-0000000000a2', 'project-planning-data', 'read'),
	('00000000-0000-4000-8000-0000000000a3', 'project-timetracking', 'read');

-- Users: an admin, a team lead, two members (one deactivated) and a user
-- without a workspace role
INSERT INTO time_entry.users (id, first_name, last_name, role_id, is_deactivated) VALUES
	('00000000-0000-4000-8000-0000000000b1', 'Ada', 'Lovelace', '00000000-0000-4000-8000-0000000000a1', false),
	('00000000-0000-4000-8000-0000000000b2', 'Grace', 'Hopper', '00000000-0000-4000-8000-0000000000a2', false),
	('00000000-0000-4000-8000-0000000000b3', 'Alan', 'Turing', '00000000-0000-4000-8000-0000000000a3', false),
	('00000000-0000-4000-8000-0000000000b4', 'Edsger', 'Dijkstra', '00000000-0000-4000-8000-0000000000a3', true),
	('00000000-0000-4000-8000-0000000000b5', 'Barbara', 'Liskov', NULL, false);

-- Project roles and what they grant within their project
INSERT INTO time_entry.project_roles (id, name) VALUES
	('00000000-0000-4000-8000-0000000000c1', 'Project manager'),
	('00000000-0000-4000-8000-0000000000c2', 'Contributor');

INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level) VALUES
	('00000000-0000-4000-8000-0000000000c1', 'project-timetracking', 'read'),
	('00000000-0000-4000-8000-0000000000c1', 'project-timetracking', 'write'),
	('00000000-0000-4000-8000-0000000000c1', 'project-planning-data', 'read'),
	('00000000-0000-4000-8000-0000000000c1', 'project-planning-data', 'write'),
	('00000000-0000-4000-8000-0000000000c2', 'project-planning-data', 'read');

-- Projects: one billable by default, one internal, one closed
INSERT INTO time_entry.projects (id, name, is_billable_by_default, is_closed) VALUES
	('00000000-0000-4000-8000-0000000000d1', 'Website relaunch', true, false),
	('00000000-0000-4000-8000-0000000000d2', 'Internal tools', false, false),
	('00000000-0000-4000-8000-0000000000d3', 'Legacy migration', false, true);

INSERT INTO time_entry.project_members (project_id, user_id, project_role_id) VALUES
	('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000c1'),
	('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000c2'),
	('00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000c1'),
	('00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-0000000000b5', '00000000-0000-4000-8000-0000000000c2'),
	('00000000-0000-4000-8000-0000000000d3', '00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000c2');

-- Tasks: project tasks and a private task (no project)
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	('00000000-0000-4000-8000-0000000000e1', 'Design the landing page', '00000000-0000-4000-8000-0000000000d1'),
	('00000000-0000-4000-8000-0000000000e2', 'Write the release notes', '00000000-0000-4000-8000-0000000000d2'),
	('00000000-0000-4000-8000-0000000000e3', 'Inbox zero', NULL),
	('00000000-0000-4000-8000-0000000000e4', 'Archive the old data', '00000000-0000-4000-8000-0000000000d3');

INSERT INTO time_entry.task_assignees (task_id, user_id) VALUES
	('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000b3'),
	('00000000-0000-4000-8000-0000000000e2', '00000000-0000-4000-8000-0000000000b5'),
	('00000000-0000-4000-8000-0000000000e3', '00000000-0000-4000-8000-0000000000b3'),
	('00000000-0000-4000-8000-0000000000e4', '00000000-0000-4000-8000-0000000000b3');

-- Types of work, one archived
INSERT INTO time_entry.types_of_work (id, name, icon, is_archived) VALUES
	('00000000-0000-4000-8000-0000000000f1', 'Development', 'code', false),
	('00000000-0000-4000-8000-0000000000f2', 'Meetings', 'people', false),
	('00000000-0000-4000-8000-0000000000f3', 'Consulting (old rates)', NULL, true);

COMMIT;
