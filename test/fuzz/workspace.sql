-- The workspace the fuzzer books time in (test/fuzz.test.sh): the directory
-- tables with every kind of user, role, project, task and type of work the
-- rules tell apart, some names in non-ASCII text.  The last group of an id
-- is the kind (a role, b user, c project role, d project, e task, f type of
-- work) and a number: f0000000-0000-4000-8000-000000000b07 is user 7.

BEGIN;

INSERT INTO time_entry.roles (id, name, is_admin) VALUES
	('f0000000-0000-4000-8000-000000000a01', 'Administrator', true),
	('f0000000-0000-4000-8000-000000000a02', 'Team lead', false),
	('f0000000-0000-4000-8000-000000000a03', 'Member', false),
	('f0000000-0000-4000-8000-000000000a04', 'Planner', false),
	('f0000000-0000-4000-8000-000000000a05', 'Rôle 🎉 sans droits', false);

INSERT INTO time_entry.role_permissions (role_id, feature, access_level) VALUES
	('f0000000-0000-4000-8000-000000000a02', 'project-timetracking', 'read'),
	('f0000000-0000-4000-8000-000000000a02', 'project-timetracking', 'write'),
	('f0000000-0000-4000-8000-000000000a02', 'project-planning-data', 'read'),
	('f0000000-0000-4000-8000-000000000a03', 'project-timetracking', 'read'),
	('f0000000-0000-4000-8000-000000000a04', 'project-planning-data', 'write'),
	('f0000000-0000-4000-8000-000000000a05', 'project-timetracking', 'delete');

-- b01 admin, b02 lead, b03-b12 members, b13 a deactivated member, b14 no
-- role, b15 planner, b16 a deactivated admin, b17 a member with a
-- non-ASCII name, b18-b20 the role without rights.
INSERT INTO time_entry.users (id, first_name, last_name, role_id, is_deactivated)
SELECT format('f0000000-0000-4000-8000-000000000b%s', lpad(n::text, 2, '0'))::uuid,
	   CASE n WHEN 17 THEN 'Zoë 🧑‍💻' ELSE 'User' END,
	   CASE n WHEN 17 THEN E'Ñu\u0301n\u0303ez' ELSE n::text END,
	   format('f0000000-0000-4000-8000-000000000a%s',
			  CASE WHEN n IN (1, 16) THEN '01'
				   WHEN n = 2 THEN '02'
				   WHEN n = 15 THEN '04'
				   WHEN n >= 18 THEN '05'
				   ELSE '03' END)::uuid,
	   n IN (13, 16)
  FROM generate_series(1, 20) n;
UPDATE time_entry.users SET role_id = NULL WHERE id = 'f0000000-0000-4000-8000-000000000b14';

INSERT INTO time_entry.project_roles (id, name) VALUES
	('f0000000-0000-4000-8000-000000000c01', 'Manager'),
	('f0000000-0000-4000-8000-000000000c02', 'Contributor'),
	('f0000000-0000-4000-8000-000000000c03', 'Viewer');

INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level) VALUES
	('f0000000-0000-4000-8000-000000000c01', 'project-timetracking', 'read'),
	('f0000000-0000-4000-8000-000000000c01', 'project-timetracking', 'write'),
	('f0000000-0000-4000-8000-000000000c01', 'project-planning-data', 'read'),
	('f0000000-0000-4000-8000-000000000c01', 'project-planning-data', 'write'),
	('f0000000-0000-4000-8000-000000000c02', 'project-planning-data', 'read'),
	('f0000000-0000-4000-8000-000000000c03', 'project-timetracking', 'read');

-- d01 billable by default, d02 not, d03 closed, d04 a non-ASCII name
INSERT INTO time_entry.projects (id, name, is_billable_by_default, is_closed) VALUES
	('f0000000-0000-4000-8000-000000000d01', 'Website', true, false),
	('f0000000-0000-4000-8000-000000000d02', 'Internal', false, false),
	('f0000000-0000-4000-8000-000000000d03', 'Closed', false, true),
	('f0000000-0000-4000-8000-000000000d04', 'Проект 🚀 e' || U&'\0301', true, false);

INSERT INTO time_entry.project_members (project_id, user_id, project_role_id) VALUES
	('f0000000-0000-4000-8000-000000000d01', 'f0000000-0000-4000-8000-000000000b03', 'f0000000-0000-4000-8000-000000000c01'),
	('f0000000-0000-4000-8000-000000000d01', 'f0000000-0000-4000-8000-000000000b04', 'f0000000-0000-4000-8000-000000000c02'),
	('f0000000-0000-4000-8000-000000000d01', 'f0000000-0000-4000-8000-000000000b05', 'f0000000-0000-4000-8000-000000000c03'),
	('f0000000-0000-4000-8000-000000000d02', 'f0000000-0000-4000-8000-000000000b05', 'f0000000-0000-4000-8000-000000000c01'),
	('f0000000-0000-4000-8000-000000000d02', 'f0000000-0000-4000-8000-000000000b06', 'f0000000-0000-4000-8000-000000000c02'),
	('f0000000-0000-4000-8000-000000000d03', 'f0000000-0000-4000-8000-000000000b03', 'f0000000-0000-4000-8000-000000000c01'),
	('f0000000-0000-4000-8000-000000000d04', 'f0000000-0000-4000-8000-000000000b17', 'f0000000-0000-4000-8000-000000000c01'),
	('f0000000-0000-4000-8000-000000000d04', 'f0000000-0000-4000-8000-000000000b14', 'f0000000-0000-4000-8000-000000000c02'),
	('f0000000-0000-4000-8000-000000000d04', 'f0000000-0000-4000-8000-000000000b13', 'f0000000-0000-4000-8000-000000000c01');

-- e01-e02, e04-e05 project tasks (e04 on the closed project), e03 and e06
-- private
INSERT INTO time_entry.tasks (id, name, project_id) VALUES
	('f0000000-0000-4000-8000-000000000e01', 'Landing page', 'f0000000-0000-4000-8000-000000000d01'),
	('f0000000-0000-4000-8000-000000000e02', 'Release notes', 'f0000000-0000-4000-8000-000000000d02'),
	('f0000000-0000-4000-8000-000000000e03', 'Inbox', NULL),
	('f0000000-0000-4000-8000-000000000e04', 'Archive', 'f0000000-0000-4000-8000-000000000d03'),
	('f0000000-0000-4000-8000-000000000e05', 'Задача ✓', 'f0000000-0000-4000-8000-000000000d04'),
	('f0000000-0000-4000-8000-000000000e06', 'Notizen', NULL);

INSERT INTO time_entry.task_assignees (task_id, user_id) VALUES
	('f0000000-0000-4000-8000-000000000e01', 'f0000000-0000-4000-8000-000000000b03'),
	('f0000000-0000-4000-8000-000000000e01', 'f0000000-0000-4000-8000-000000000b07'),
	('f0000000-0000-4000-8000-000000000e02', 'f0000000-0000-4000-8000-000000000b06'),
	('f0000000-0000-4000-8000-000000000e03', 'f0000000-0000-4000-8000-000000000b03'),
	('f0000000-0000-4000-8000-000000000e04', 'f0000000-0000-4000-8000-000000000b03'),
	('f0000000-0000-4000-8000-000000000e05', 'f0000000-0000-4000-8000-000000000b17'),
	('f0000000-0000-4000-8000-000000000e06', 'f0000000-0000-4000-8000-000000000b14'),
	('f0000000-0000-4000-8000-000000000e06', 'f0000000-0000-4000-8000-000000000b13');

INSERT INTO time_entry.types_of_work (id, name, icon, is_archived) VALUES
	('f0000000-0000-4000-8000-000000000f01', 'Development', 'code', false),
	('f0000000-0000-4000-8000-000000000f02', 'Meetings', 'people', false),
	('f0000000-0000-4000-8000-000000000f03', 'Old rates', NULL, true),
	('f0000000-0000-4000-8000-000000000f04', 'Réunion 📅', NULL, false);

COMMIT;
