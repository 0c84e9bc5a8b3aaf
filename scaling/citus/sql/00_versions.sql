-- 00: versions, and where time_entry is loaded from (the private install named by extension_destdir)
SELECT version();
SELECT citus_version();
SHOW extension_destdir;
SELECT name, default_version, installed_version FROM pg_available_extensions WHERE name IN ('citus', 'time_entry') ORDER BY 1;
SELECT nodeid, nodename, nodeport, groupid, noderole, shouldhaveshards FROM pg_dist_node ORDER BY nodeid;
