-- The directory of the workspaces a shard holds, for test/router.test.sh
-- and router/bench.sh: psql variable "workspaces" is a text array literal
-- of their ids.  Each gets "users" users (default 3; ids as rt.user_of
-- makes them on the router), a type of work (rt.type_of), and a small
-- directory of roles, a project and a task, so that moving it copies every
-- table.  Then the shard holds them.
SET client_min_messages = warning;
\if :{?users}
\else
\set users 3
\endif

CREATE TEMP TABLE fixture_workspaces AS
SELECT w AS id, w::uuid AS ws FROM unnest(:'workspaces'::text[]) w;

INSERT INTO time_entry.workspaces (id, name)
SELECT ws, 'workspace ' || id FROM fixture_workspaces;
UPDATE time_entry.settings s SET max_duration = 43200
  FROM fixture_workspaces f WHERE s.workspace_id = f.ws;
INSERT INTO time_entry.roles (id, name, is_admin, workspace_id)
SELECT md5(id || ':role')::uuid, 'Member', false, ws FROM fixture_workspaces;
INSERT INTO time_entry.role_permissions (role_id, feature, access_level, workspace_id)
SELECT md5(id || ':role')::uuid, 'project-timetracking', 'read', ws FROM fixture_workspaces;
INSERT INTO time_entry.project_roles (id, name, workspace_id)
SELECT md5(id || ':project_role')::uuid, 'Planner', ws FROM fixture_workspaces;
INSERT INTO time_entry.project_role_permissions (project_role_id, feature, access_level, workspace_id)
SELECT md5(id || ':project_role')::uuid, 'project-planning-data', 'read', ws FROM fixture_workspaces;
INSERT INTO time_entry.projects (id, name, workspace_id)
SELECT md5(id || ':project')::uuid, 'Project', ws FROM fixture_workspaces;
INSERT INTO time_entry.users (id, first_name, last_name, role_id, workspace_id)
SELECT md5(id || ':user:' || k)::uuid, 'User', k::text, md5(id || ':role')::uuid, ws
  FROM fixture_workspaces, generate_series(1, :users) k;
INSERT INTO time_entry.project_members (project_id, user_id, project_role_id, workspace_id)
SELECT md5(id || ':project')::uuid, md5(id || ':user:1')::uuid, md5(id || ':project_role')::uuid, ws
  FROM fixture_workspaces;
INSERT INTO time_entry.tasks (id, name, project_id, workspace_id)
SELECT md5(id || ':task')::uuid, 'Task', md5(id || ':project')::uuid, ws FROM fixture_workspaces;
INSERT INTO time_entry.task_assignees (task_id, user_id, workspace_id)
SELECT md5(id || ':task')::uuid, md5(id || ':user:2')::uuid, ws FROM fixture_workspaces;
INSERT INTO time_entry.types_of_work (id, name, workspace_id)
SELECT md5(id || ':type')::uuid, 'Development', ws FROM fixture_workspaces;

SELECT time_entry_shard.hold_workspace(ws) FROM fixture_workspaces;
