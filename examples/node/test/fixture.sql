-- The directory a host application would sync into time_entry: what the
-- tests of this example need.  Loaded by run-tests.sh as the superuser (the
-- application role only calls the create functions).  Ids are readable: the
-- last two hex digits tell the kind (a = workspace role, b = user,
-- c = project role, d = project, f = type of work) and the number.

BEGIN;

INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('00000000-0000-4000-8000-0000000000a1', 'Administrator', true),
	('00000000-0000-4000-8000-0000000000a2', 'Team lead', false),
	('00000000-0000-4000-8000-0000000000a3', 'Member', false);

-- a team lead may book time for others; a member may only read
INSERT INTO time_entry.role_permissions (role_id, feature, access_level) VALUES
	('00000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'read'),
	('00000000-0000-4000-8000-0000000000a2', 'project-timetracking', 'write'),
	('00000000-0000-4000-8000-0000000000a3', 'project-timetracking', 'read');

INSERT INTO time_entry.users (id, first_name, last_name, role_id, is_deactivated) VALUES
	('00000000-0000-4000-8000-0000000000b1', 'Ada', 'Lovelace', '00000000-0000-4000-8000-0000000000a1', false),
	('00000000-0000-4000-8000-0000000000b2', 'Grace', 'Hopper', '00000000-0000-4000-8000-0000000000a2', false),
	('00000000-0000-4000-8000-0000000000b3', 'Alan', 'Turing', '00000000-0000-4000-8000-0000000000a3', false),
	('00000000-0000-4000-8000-0000000000b4', 'Edsger', 'Dijkstra', '00000000-0000-4000-8000-0000000000a3', true),
	('00000000-0000-4000-8000-0000000000b5', 'Barbara', 'Liskov', '00000000-0000-4000-8000-0000000000a3', false),
	('00000000-0000-4000-8000-0000000000b6', 'Donald', 'Knuth', '00000000-0000-4000-8000-0000000000a3', false);

INSERT INTO time_entry.project_roles (id, name) VALUES
	('00000000-0000-4000-8000-0000000000c1', 'Contributor');

INSERT INTO time_entry.projects (id, name, is_billable_by_default, is_closed) VALUES
	('00000000-0000-4000-8000-0000000000d1', 'Website relaunch', true, false),
	('00000000-0000-4000-8000-0000000000d2', 'Internal tools', false, false);

INSERT INTO time_entry.project_members (project_id, user_id, project_role_id) VALUES
	('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000c1'),
	('00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-0000000000b3', '00000000-0000-4000-8000-0000000000c1');

INSERT INTO time_entry.types_of_work (id, name, icon, is_archived) VALUES
	('00000000-0000-4000-8000-0000000000f1', 'Development', 'code', false),
	('00000000-0000-4000-8000-0000000000f2', 'Consulting (old rates)', NULL, true);

COMMIT;
