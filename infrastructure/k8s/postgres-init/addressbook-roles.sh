#!/bin/sh
# Least privilege for addressbook's database, run once by the official image's entrypoint when it initialises an
# empty data directory (it runs /docker-entrypoint-initdb.d/*.sh as the superuser, against POSTGRES_DB, while the
# server listens on its Unix socket only). Two login roles, names and passwords from the Secrets
# addressbook-db-owner and addressbook-db-app:
#   owner  owns the database and its public schema; addressbook's migrations connect as it (DB_OWNER_USER);
#   app    the service's pool (DB_USER): reads and writes the owner's tables and uses its sequences (UPDATE for
#          setval), through default privileges for every table a later migration adds too; cannot change the schema.
# local-stores' PostgresRoles does the same for the dev stack and the tests; PostgresRolesScriptTest runs this
# file against a real server and checks that both grant exactly the same.
set -eu

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner="$ADDRESSBOOK_OWNER_USER" -v owner_password="$ADDRESSBOOK_OWNER_PASSWORD" \
  -v app="$ADDRESSBOOK_APP_USER" -v app_password="$ADDRESSBOOK_APP_PASSWORD" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
SQL
