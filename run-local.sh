#!/usr/bin/env bash
# Runs the whole system on this machine: the dev stack (embedded PostgreSQL, Redis and MongoDB, or the real
# servers named by POSTGRES_URL / REDIS_URL / MONGO_URL) and every service on its local port (DESIGN.md §2).
# Builds what is stale first, waits for each service to be ready, prints the URLs, and on Ctrl-C stops exactly
# the processes it started.
#
#   ./run-local.sh                 everything
#   ./run-local.sh addressbook     only these services (plus the dev stack)
#
# Ports can be moved with <SERVICE>_PORT (e.g. ADDRESSBOOK_PORT=4001) and the stores' with POSTGRES_PORT,
# REDIS_PORT, MONGO_PORT (0 = any free port). JAVA_OPTS replaces the services' JVM flags. DEBUG=1 traces every
# command. For benchmarks, each service's PID and milliseconds from launch to ready are written to
# $RUN_LOCAL_DIR/<service>.pid and <service>.ready-ms.
#
# Class-data sharing: the first run of a jar records the classes it loaded when it exits (in $CDS_DIR); later
# runs map that archive and start about twice as fast. CDS=off disables it.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${RUN_LOCAL_DIR:-$SCRIPT_DIR/.run-local}"
VERSION=0.1.0-SNAPSHOT
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-90}"
# The images' JVM flags (jvm.options, one file for both), with MaxRAM standing in for the Deployment's 256Mi
# limit, so local figures match the cluster's.
JAVA_OPTS="${JAVA_OPTS:--XX:MaxRAM=256m @$SCRIPT_DIR/jvm.options}"
CDS_DIR="${CDS_DIR:-$STATE_DIR/cds}"

log() { printf '%s\n' "$*" >&2; }
die() { log "run-local: $*"; exit 1; }

# name | module | default local port | environment (evaluated once the dev stack has written its addresses)
# shellcheck disable=SC2016 # the $VARIABLES are expanded later, in start_service
SERVICES=(
  'addressbook|addressbook|3001|DB_HOST=$POSTGRES_HOST DB_PORT=$POSTGRES_PORT DB_SCHEMA=addressbook DB_USER=$POSTGRES_USER DB_PASSWORD=$POSTGRES_PASSWORD'
  'sava-product|sava-product|9070|'
  'sava-cart-ie|sava-cart|3002|LOCALE=ie PRODUCT_SERVICE_ADDR=http://localhost:$SAVA_PRODUCT_PORT CART_SIGNING_KEY=$CART_SIGNING_KEY'
  'sava-cart-uk|sava-cart|3003|LOCALE=uk PRODUCT_SERVICE_ADDR=http://localhost:$SAVA_PRODUCT_PORT CART_SIGNING_KEY=$CART_SIGNING_KEY'
  'adderservice|adderservice|8080|'
  'auditservice|auditservice|8081|MONGODB_URI=$MONGODB_URI'
  'eventservice|eventservice|8082|REDIS_URI=$REDIS_URI MONGODB_URI=$MONGODB_URI'
  'webapp|webapp|3000|REDIS_URI=$REDIS_URI ADDERSERVICE_URL=http://localhost:$ADDERSERVICE_PORT AUDITSERVICE_URL=http://localhost:$AUDITSERVICE_PORT EVENTSERVICE_URL=http://localhost:$EVENTSERVICE_PORT'
)

field() { local IFS='|'; read -r -a parts <<<"$1"; printf '%s' "${parts[$2]:-}"; }
port_variable() { local name="${1^^}"; printf '%s_PORT' "${name//-/_}"; }

selected_services() {
  local entry wanted
  for entry in "${SERVICES[@]}"; do
    if [[ $# -eq 0 ]]; then printf '%s\n' "$entry"; continue; fi
    for wanted in "$@"; do
      [[ "$(field "$entry" 0)" == "$wanted" ]] && printf '%s\n' "$entry"
    done
  done
}

check_prerequisites() {
  command -v java >/dev/null || die "java not found: install a JDK 17 or newer (apt-get install -y openjdk-17-jdk-headless)"
  command -v curl >/dev/null || die "curl not found: apt-get install -y curl"
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  [[ "${major%%.*}" -ge 17 ]] || die "java $major found; Java 17 or newer is needed"
}

# A jar is stale when any source, resource or POM it is built from is newer than it.
is_stale() {
  local module="$1" jar="$SCRIPT_DIR/$1/target/$1-$VERSION.jar"
  [[ -f "$jar" ]] || return 0
  [[ -n "$(find "$SCRIPT_DIR/$module/src/main" "$SCRIPT_DIR/$module/pom.xml" "$SCRIPT_DIR/pom.xml" \
      "$SCRIPT_DIR/service-support/src/main" "$SCRIPT_DIR/test-support/src/main" \
      -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

build_stale() {
  local modules=() module entry
  for module in infrastructure $(for entry in "$@"; do field "$entry" 1; printf '\n'; done | sort -u); do
    is_stale "$module" && modules+=("$module")
  done
  if [[ ${#modules[@]} -gt 0 ]]; then
    log "building ${modules[*]} (./mvnw package -DskipTests) ..."
    (cd "$SCRIPT_DIR" && ./mvnw -q -B package -DskipTests -pl "$(IFS=,; printf '%s' "${modules[*]}")" -am) \
      || die "build failed"
  fi
}

PIDS=()
# shellcheck disable=SC2317 # invoked by the traps
stop_all() {
  trap - INT TERM EXIT
  if [[ ${#PIDS[@]} -gt 0 ]]; then
    log "stopping ${#PIDS[@]} processes ..."
    local pid
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    log "stopped"
  fi
}

now_ms() { date +%s%3N; }

wait_until_ready() {
  local what="$1" url="$2" pid="$3" launched_ms="$4" started=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "$what exited while starting; see $STATE_DIR/logs/$what.log"
    (( SECONDS - started < READY_TIMEOUT_SECONDS )) \
      || die "$what not ready after ${READY_TIMEOUT_SECONDS}s ($url); see $STATE_DIR/logs/$what.log"
    sleep 0.02 # poll interval of a loop bounded by the deadline above
  done
  local ready_ms=$(( $(now_ms) - launched_ms ))
  printf '%s\n' "$ready_ms" >"$STATE_DIR/$what.ready-ms"
  log "$what ready ($(awk -v ms="$ready_ms" 'BEGIN { printf "%.1f", ms / 1000 }')s)"
}

start_dev_stack() {
  local env_file="$STATE_DIR/dev-stack.env" started=$SECONDS
  rm -f "$env_file" "$STATE_DIR"/*.pid "$STATE_DIR"/*.ready-ms
  log "starting the dev stack ..."
  java -jar "$SCRIPT_DIR/infrastructure/target/infrastructure-$VERSION.jar" \
    --postgres-port "${POSTGRES_PORT:-5432}" --redis-port "${REDIS_PORT:-6379}" --mongo-port "${MONGO_PORT:-27017}" \
    --databases addressbook --env-file "$env_file" >"$STATE_DIR/logs/dev-stack.log" 2>&1 &
  PIDS+=("$!")
  until [[ -f "$env_file" ]]; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$STATE_DIR/logs/dev-stack.log" >&2; die "the dev stack did not start"; }
    (( SECONDS - started < READY_TIMEOUT_SECONDS )) || die "the dev stack was not ready after ${READY_TIMEOUT_SECONDS}s"
    sleep 0.2 # poll interval of a loop bounded by the deadline above
  done
  # shellcheck source=/dev/null
  source "$env_file"
  grep -E '^(postgres|redis|mongo) ' "$STATE_DIR/logs/dev-stack.log" >&2 || true
}

# Prints the class-data-sharing flag for a service: use its archive if it is newer than the jar, else write one.
cds_flag() {
  local name="$1" jar="$2" archive="$CDS_DIR/$1.jsa"
  [[ "${CDS:-on}" == off ]] && return 0
  mkdir -p "$CDS_DIR"
  if [[ -f "$archive" && "$archive" -nt "$jar" ]]; then
    printf -- '-XX:SharedArchiveFile=%s' "$archive"
  else
    printf -- '-XX:ArchiveClassesAtExit=%s' "$archive"
  fi
}

start_service() {
  local entry="$1" name module port_var port environment
  name="$(field "$entry" 0)"; module="$(field "$entry" 1)"
  port_var="$(port_variable "$name")"; port="${!port_var:-$(field "$entry" 2)}"
  environment="$(eval "printf '%s' \"$(field "$entry" 3)\"")"
  local -a env_args java_opts
  local jar="$SCRIPT_DIR/$module/target/$module-$VERSION.jar" launched_ms
  read -r -a env_args <<<"$environment"
  read -r -a java_opts <<<"$JAVA_OPTS $(cds_flag "$name" "$jar")"
  launched_ms="$(now_ms)"
  env "${env_args[@]}" PORT="$port" java "${java_opts[@]}" -jar "$jar" >"$STATE_DIR/logs/$name.log" 2>&1 &
  PIDS+=("$!")
  printf '%s\n' "$!" >"$STATE_DIR/$name.pid"
  STARTED+=("$name|$port|$!|$launched_ms")
}

main() {
  check_prerequisites
  # ports other services' environments refer to
  SAVA_PRODUCT_PORT="${SAVA_PRODUCT_PORT:-9070}"
  ADDERSERVICE_PORT="${ADDERSERVICE_PORT:-8080}"
  AUDITSERVICE_PORT="${AUDITSERVICE_PORT:-8081}"
  EVENTSERVICE_PORT="${EVENTSERVICE_PORT:-8082}"
  # both stores sign carts with one key, as replicas must; local only, so a fresh random one per run
  CART_SIGNING_KEY="${CART_SIGNING_KEY:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
  mkdir -p "$STATE_DIR/logs"
  local -a entries
  mapfile -t entries < <(selected_services "$@")
  [[ ${#entries[@]} -gt 0 ]] || die "no such service: $*"
  build_stale "${entries[@]}"

  trap stop_all EXIT
  trap 'stop_all; exit 0' INT TERM
  start_dev_stack
  STARTED=()
  local entry
  for entry in "${entries[@]}"; do start_service "$entry"; done
  for entry in "${STARTED[@]}"; do
    wait_until_ready "$(field "$entry" 0)" "http://localhost:$(field "$entry" 1)/health/readiness" \
      "$(field "$entry" 2)" "$(field "$entry" 3)"
  done

  log ""
  log "micro-canary is running (logs in ${STATE_DIR#"$SCRIPT_DIR"/}/logs; Ctrl-C stops everything):"
  for entry in "${STARTED[@]}"; do
    printf '  %-14s http://localhost:%s\n' "$(field "$entry" 0)" "$(field "$entry" 1)"
  done
  wait -n "${PIDS[@]}" || true
  die "a process exited unexpectedly; see $STATE_DIR/logs"
}

main "$@"
