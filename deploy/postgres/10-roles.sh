#!/bin/sh
# The database's two roles, made once, when PostgreSQL initializes an empty volume
# (docker-compose mounts this folder on /docker-entrypoint-initdb.d; by hand on another
# server: run it with the same variables, as a superuser).
#
#   DB_OWNER_USER  owns the database, its schema and every table: `manage.py migrate`
#                  runs as it (the one-off `migrate` service). Not a superuser.
#   DB_APP_USER    the web app, the workers and beat. Owns nothing: it can read and write
#                  rows (SELECT, INSERT, UPDATE, DELETE on the tables, USAGE on the
#                  sequences) and nothing else: no TRUNCATE anywhere, no ALTER TABLE (so
#                  it cannot disable a trigger), no session_replication_role (a
#                  superuser's setting). Migration audit 0006 also takes UPDATE and
#                  DELETE on the audit trail away from it.
#
# ALTER DEFAULT PRIVILEGES grants the app role its rights on every table the owner
# creates later, so a new migration needs no grant of its own.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner="$DB_OWNER_USER" -v owner_password="$DB_OWNER_PASSWORD" \
  -v app="$DB_APP_USER" -v app_password="$DB_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;

ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app";
-- Functions are executable by PUBLIC by default (the triggers' functions need nothing).
SQL
