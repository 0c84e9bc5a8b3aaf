-- The application role of the README's trust model: it may log in and
-- execute the functions, nothing else (it can neither read nor write any
-- table).
-- psql variables: app_role, app_password.

SELECT format('CREATE ROLE %I', :'app_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
ALTER ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';

GRANT USAGE ON SCHEMA time_entry TO :"app_role";
GRANT EXECUTE ON FUNCTION
    time_entry.create_entry(jsonb, uuid), time_entry.validate_entry(jsonb, uuid),
    time_entry.try_create_entry(jsonb, uuid), time_entry.import_entries(jsonb, uuid),
    time_entry.create_entry(uuid, uuid, text, timestamptz, timestamptz, integer, uuid, uuid, text,
                            boolean, boolean, date, uuid, uuid),
    time_entry.get_entry(uuid, uuid), time_entry.list_entries(uuid, uuid, uuid, date, date),
    time_entry.update_entry(uuid, jsonb, uuid, bigint), time_entry.start_timer(jsonb, uuid),
    time_entry.stop_timer(uuid, uuid, timestamptz), time_entry.delete_entry(uuid, uuid, bigint)
  TO :"app_role";
