-- te_route: Citus as a router in front of unmodified time_entry installations.  Nothing of time_entry is
-- distributed: every node keeps its own, local time_entry tables (CREATE EXTENSION, propagated), and a
-- workspace's rows live only on the worker its placement names.  A one-column table, te_route.placement,
-- hash-distributed by workspace_id, only gives the workspaces a place; functions taking the workspace as
-- first argument, distributed and co-located with it, are pushed down to that worker, where they call
-- time_entry's own C functions on its local tables.  Like the PL/Proxy router's shard faces, each
-- refuses a workspace its node does not hold, and an actor of another workspace.
-- Used by r1 (then distributed) and d0 (the same, local, for the baselines).
CREATE SCHEMA te_route;
CREATE TABLE te_route.placement (workspace_id uuid PRIMARY KEY);

-- the node holds the workspace, and the actor is a user of it (time_entry takes the workspace from the actor)
CREATE FUNCTION te_route.authorize(ws uuid, actor uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT FROM time_entry.workspaces w WHERE w.id = ws) THEN
		RAISE EXCEPTION 'workspace % is not held on this node (port %)', ws, current_setting('port')
			USING ERRCODE = '42704', CONSTRAINT = 'workspace-not-held';
	END IF;
	IF NOT EXISTS (SELECT FROM time_entry.users u WHERE u.id = actor AND u.workspace_id = ws) THEN
		RAISE EXCEPTION 'actor % is not a user of the workspace', actor
			USING ERRCODE = '28000', COLUMN = 'actor', CONSTRAINT = 'unauthorized';
	END IF;
END $$;

-- makes a workspace on the node that holds it: an admin role aa..NN, an admin bb..NN, a member cc..NN,
-- a type of work ff..NN (the settings row comes from time_entry's own trigger)
CREATE FUNCTION te_route.add_workspace(workspace_id uuid, nn int) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO time_entry.workspaces (id, name) VALUES (workspace_id, 'workspace ' || nn);
	INSERT INTO time_entry.roles (workspace_id, id, name, is_admin) VALUES (workspace_id, ('000000aa-0000-4000-8000-0000000000' || nn)::uuid, 'Administrator', true);
	INSERT INTO time_entry.users (workspace_id, id, first_name, last_name, role_id) VALUES
		(workspace_id, ('000000bb-0000-4000-8000-0000000000' || nn)::uuid, 'Admin', nn::text, ('000000aa-0000-4000-8000-0000000000' || nn)::uuid),
		(workspace_id, ('000000cc-0000-4000-8000-0000000000' || nn)::uuid, 'Member', nn::text, NULL);
	INSERT INTO time_entry.types_of_work (workspace_id, id, name) VALUES (workspace_id, ('000000ff-0000-4000-8000-0000000000' || nn)::uuid, 'Development');
	RETURN current_setting('port');
END $$;

CREATE FUNCTION te_route.create_entry(workspace_id uuid, entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM te_route.authorize(workspace_id, actor);
	RETURN time_entry.create_entry(entry, actor);
END $$;

-- errors as data (time_entry's try_create_entry): nothing raised crosses the network
CREATE FUNCTION te_route.try_create_entry(workspace_id uuid, entry jsonb, actor uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	PERFORM te_route.authorize(workspace_id, actor);
	SELECT * INTO r FROM time_entry.try_create_entry(entry, actor);
	RETURN to_jsonb(r);
END $$;

-- where a call ran: the node's port and backend
CREATE FUNCTION te_route.whoami(workspace_id uuid) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN RETURN current_setting('port') || ' pid ' || pg_backend_pid(); END $$;

REVOKE ALL ON FUNCTION te_route.authorize(uuid, uuid), te_route.add_workspace(uuid, int), te_route.create_entry(uuid, jsonb, uuid),
	te_route.try_create_entry(uuid, jsonb, uuid) FROM PUBLIC;
