#!/usr/bin/env bash
# Builds stand-ins for the official postgres, redis and mongo images, for machines that cannot pull them (the
# servers the tests and the dev stack run, taken from the infrastructure jar, plus this machine's C libraries):
#   micro-canary/postgres-stand-in:16   PostgreSQL 16; honours POSTGRES_PASSWORD and POSTGRES_DB as the official image
#   micro-canary/redis-stand-in:6       Redis 6.2
#   micro-canary/mongo-stand-in:1       the in-memory MongoDB wire server (no mongod can be had here)
# docker-compose.yml takes them through POSTGRES_IMAGE, REDIS_IMAGE and MONGO_IMAGE.
#   scripts/stand-in-store-images.sh     (needs Docker, Debian's busybox-static and a built infrastructure jar)
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAR="$ROOT/infrastructure/target/infrastructure-0.1.0-SNAPSHOT.jar"
require docker "install Docker (Debian: docker.io)"
require unzip "install unzip"
require_busybox
[[ -f "$JAR" ]] || die "no $JAR: build it first (./mvnw package -DskipTests -pl infrastructure -am)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A root filesystem with a shell, a /tmp anyone may write and a passwd entry for uid 10001 (initdb looks it up).
new_root() {
  local root="$work/$1"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0::/:/bin/sh\napp:x:10001:10001::/tmp:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:10001:\n' >"$root/etc/group"
  printf '%s' "$root"
}

import() {
  local root="$1" image="$2"
  shift 2
  log "importing $image"
  tar -C "$root" -c . | docker import --change 'USER 10001:10001' --change 'ENV PATH=/bin:/opt/java/bin' \
    "${@/#/--change=}" - "$image" >/dev/null
  printf '%s\n' "$image"
}

postgres_image() {
  local root
  root="$(new_root postgres)"
  mkdir -p "$root/opt/postgres"
  unzip -p "$JAR" postgres-linux-x86_64.txz | tar -C "$root/opt/postgres" -xJ
  copy_libraries "$root" "$root"/opt/postgres/bin/*
  cat >"$root/bin/postgres-stand-in" <<'SCRIPT'
#!/bin/sh
# First start: a cluster with the official image's settings (POSTGRES_PASSWORD for user postgres, POSTGRES_DB).
set -eu
PATH=/opt/postgres/bin:/bin
PGDATA="${PGDATA:-/tmp/pgdata}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}" >/tmp/pwfile
  initdb -U postgres --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 -E UTF8 -D "$PGDATA" >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\";" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
fi
echo "PostgreSQL stand-in starting"
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp
SCRIPT
  chmod 755 "$root/bin/postgres-stand-in"
  import "$root" micro-canary/postgres-stand-in:16 'EXPOSE 5432' 'ENV LANG=C' 'ENTRYPOINT ["/bin/postgres-stand-in"]'
}

redis_image() {
  local root
  root="$(new_root redis)"
  mkdir -p "$root/opt/redis"
  unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 >"$root/opt/redis/redis-server"
  chmod 755 "$root/opt/redis/redis-server"
  copy_libraries "$root" "$root/opt/redis/redis-server"
  import "$root" micro-canary/redis-stand-in:6 'EXPOSE 6379' \
    'ENTRYPOINT ["/opt/redis/redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/tmp"]'
}

mongo_image() {
  local root
  jre_runtime
  root="$(new_root mongo)"
  cp -a "$JRE_RUNTIME/." "$root/"
  rm -rf "$root/.recipe"
  chmod 1777 "$root/tmp"
  mkdir -p "$root/app"
  cp "$JAR" "$root/app/infrastructure.jar"
  import "$root" micro-canary/mongo-stand-in:1 'EXPOSE 27017' 'ENV JAVA_HOME=/opt/java' \
    'ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-cp", "/app/infrastructure.jar", "io.microcanary.infrastructure.MongoWireServer"]'
}

postgres_image
redis_image
mongo_image
