#!/usr/bin/env bash
# Runs the whole system on this machine: the dev stack (embedded PostgreSQL, Redis and MongoDB, or the real
# servers named by POSTGRES_URL / REDIS_URL / MONGO_URL) and every service on its local port (the README's
# services table). Builds what is stale first, waits for each service to be ready, prints the URLs, and on Ctrl-C
# stops exactly the processes it started. A service that exits leaves the others running.
#
#   ./run-local.sh                      everything
#   ./run-local.sh addressbook          only these services (plus the dev stack)
#   ./run-local.sh stop sava-product    while it runs (from another terminal): stop one service
#   ./run-local.sh start sava-product   ... and start it again (or one that was not started)
#   ./run-local.sh stop postgres        the same for a store of the dev stack (postgres, redis, mongo): its data is
#                                       kept, and the services see an outage (addressbook turns unready)
#
# Stores take their standard ports (5432, 6379, 27017) when free, else free ones (printed in one line);
# POSTGRES_PORT, REDIS_PORT, MONGO_PORT choose (0 = any free port). Services take the README's ports, moved with
# <SERVICE>_PORT (e.g. ADDRESSBOOK_PORT=4001); a taken one stops run-local with a line naming the variable.
# JAVA_OPTS replaces the services' JVM flags. DEBUG=1 traces every command. Each service's PID and milliseconds
# from launch to ready are written to $RUN_LOCAL_DIR/<service>.pid and <service>.ready-ms (the benchmarks read
# them); $RUN_LOCAL_DIR/run-local.pid is the running instance that stop and start talk to.
#
# Class-data sharing: the first run of a jar records the classes it loaded when it exits (in $CDS_DIR); later
# runs map that archive and start about twice as fast. CDS=off disables it.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034 # read by log and die in scripts/lib.sh
LOG_PREFIX='' DIE_PREFIX='run-local: '
# shellcheck source=scripts/lib.sh
source "$SCRIPT_DIR/scripts/lib.sh"
STATE_DIR="${RUN_LOCAL_DIR:-$SCRIPT_DIR/.run-local}"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-90}"
# The images' JVM flags (jvm.options, one file for both), with MaxRAM standing in for the Deployment's 256Mi
# limit, so local figures match the cluster's.
JAVA_OPTS="${JAVA_OPTS:--XX:MaxRAM=256m @$SCRIPT_DIR/jvm.options}"
CDS_DIR="${CDS_DIR:-$STATE_DIR/cds}"

# What a service is given besides its port (evaluated once the dev stack has written its addresses).
# shellcheck disable=SC2016 # the $VARIABLES are expanded later, in start_service
environment_of() {
  case "$1" in
    addressbook) printf '%s' 'DB_HOST=$POSTGRES_HOST DB_PORT=$POSTGRES_PORT DB_SCHEMA=addressbook DB_USER=$ADDRESSBOOK_DB_APP_USER DB_PASSWORD=$ADDRESSBOOK_DB_APP_PASSWORD DB_OWNER_USER=$ADDRESSBOOK_DB_OWNER_USER DB_OWNER_PASSWORD=$ADDRESSBOOK_DB_OWNER_PASSWORD' ;;
    sava-cart-ie) printf '%s' 'LOCALE=ie PRODUCT_SERVICE_ADDR=http://localhost:$SAVA_PRODUCT_PORT CART_SIGNING_KEY=$CART_SIGNING_KEY' ;;
    sava-cart-uk) printf '%s' 'LOCALE=uk PRODUCT_SERVICE_ADDR=http://localhost:$SAVA_PRODUCT_PORT CART_SIGNING_KEY=$CART_SIGNING_KEY' ;;
    auditservice) printf '%s' 'MONGODB_URI=$MONGODB_URI' ;;
    eventservice) printf '%s' 'REDIS_URI=$REDIS_URI MONGODB_URI=$MONGODB_URI' ;;
    webapp) printf '%s' 'REDIS_URI=$REDIS_URI ADDERSERVICE_URL=http://localhost:$ADDERSERVICE_PORT AUDITSERVICE_URL=http://localhost:$AUDITSERVICE_PORT EVENTSERVICE_URL=http://localhost:$EVENTSERVICE_PORT' ;;
  esac
}

# name | module | default local port | environment: the services' table (scripts/services.txt) with the environment
# of each (replacing lib.sh's list of modules in this script)
SERVICES=()
while read -r name module port _; do
  SERVICES+=("$name|$module|$port|$(environment_of "$name")")
done < <(service_rows)
unset name module port

field() { local IFS='|'; read -r -a parts <<<"$1"; printf '%s' "${parts[$2]:-}"; }
port_variable() { local name="${1^^}"; printf '%s_PORT' "${name//-/_}"; }
entry_of() { selected_services "$1"; }
port_of() { local variable; variable="$(port_variable "$1")"; printf '%s' "${!variable:-$(field "$(entry_of "$1")" 2)}"; }
# Something accepts connections on the port (bash opens the TCP connection itself).
port_in_use() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

selected_services() {
  local entry wanted
  for entry in "${SERVICES[@]}"; do
    if [[ $# -eq 0 ]]; then printf '%s\n' "$entry"; continue; fi
    for wanted in "$@"; do
      if [[ "$(field "$entry" 0)" == "$wanted" ]]; then printf '%s\n' "$entry"; fi
    done
  done
}

check_prerequisites() {
  command -v java >/dev/null || die "java not found: install a JDK 17 or newer (apt-get install -y openjdk-17-jdk-headless)"
  JAVA_MAJOR="$(path_java_major)"
  [[ "$JAVA_MAJOR" -ge 17 ]] || die "java $JAVA_MAJOR found; Java 17 or newer is needed"
}

# The variable of every service whose port is taken, with the port, e.g. "ADDRESSBOOK_PORT (3001)"; or nothing.
taken_ports() {
  local name separator=''
  for name in "$@"; do
    if port_in_use "$(port_of "$name")"; then
      printf '%s%s (%s)' "$separator" "$(port_variable "$name")" "$(port_of "$name")"
      separator=', '
    fi
  done
}

build_stale() {
  local modules=() module entry
  for module in infrastructure $(for entry in "$@"; do field "$entry" 1; printf '\n'; done | sort -u); do
    jar_is_stale "$module" && modules+=("$module")
  done
  if [[ ${#modules[@]} -gt 0 ]]; then
    log "building ${modules[*]} (./mvnw package -DskipTests) ..."
    (cd "$SCRIPT_DIR" && ./mvnw -q -B package -DskipTests -pl "$(IFS=,; printf '%s' "${modules[*]}")" -am) \
      || die "build failed"
  fi
}

DEV_STACK_PID=''
declare -A PID_OF=() LAUNCHED_MS=()

# shellcheck disable=SC2317 # invoked by the traps
stop_all() {
  trap - INT TERM EXIT
  rm -f "$STATE_DIR/run-local.pid"
  local pids=("${PID_OF[@]}") pid
  [[ -n "$DEV_STACK_PID" ]] && pids+=("$DEV_STACK_PID")
  if [[ ${#pids[@]} -gt 0 ]]; then
    log "stopping ${#pids[@]} processes ..."
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do await_exit "$pid"; done
    log "stopped"
  fi
}

now_ms() { date +%s%3N; }

# Waits for a child to exit; a signal (a stop|start request is SIGUSR1) ends a wait early, so wait again.
await_exit() {
  while kill -0 "$1" 2>/dev/null; do wait "$1" 2>/dev/null || true; done
}

# Asks a service's /health/readiness once; true on a 200. Bash opens the connection itself: a curl per poll costs
# ~20 ms of CPU, which on two cores slowed the very start being waited for (adderservice ~0.3 s).
answers_ready() {
  local port="$1" fd status=""
  { exec {fd}<>"/dev/tcp/localhost/$port"; } 2>/dev/null || return 1
  printf 'GET /health/readiness HTTP/1.1\r\nHost: localhost:%s\r\nConnection: close\r\n\r\n' "$port" >&"$fd"
  IFS=' ' read -r -t 2 _ status _ <&"$fd" || true
  exec {fd}>&-
  [[ "$status" == 200 ]]
}

# Waits until the service answers its readiness endpoint; says why not and fails otherwise.
wait_until_ready() {
  local name="$1" port pid="${PID_OF[$1]}" started=$SECONDS
  port="$(port_of "$name")"
  until answers_ready "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      unset "PID_OF[$name]"
      log "run-local: $name exited while starting; see $STATE_DIR/logs/$name.log"
      return 1
    fi
    if (( SECONDS - started >= READY_TIMEOUT_SECONDS )); then
      log "run-local: $name not ready after ${READY_TIMEOUT_SECONDS}s (http://localhost:$port/health/readiness); see $STATE_DIR/logs/$name.log"
      return 1
    fi
    sleep 0.02 # poll interval of a loop bounded by the deadline above
  done
  local ready_ms=$(( $(now_ms) - LAUNCHED_MS[$name] ))
  printf '%s\n' "$ready_ms" >"$STATE_DIR/$name.ready-ms"
  log "$name ready ($(awk -v ms="$ready_ms" 'BEGIN { printf "%.1f", ms / 1000 }')s)"
}

start_dev_stack() {
  local env_file="$STATE_DIR/dev-stack.env" started=$SECONDS ports=()
  rm -f "$env_file" "$STATE_DIR"/*.pid "$STATE_DIR"/*.ready-ms
  [[ -n "${POSTGRES_PORT:-}" ]] && ports+=(--postgres-port "$POSTGRES_PORT")
  [[ -n "${REDIS_PORT:-}" ]] && ports+=(--redis-port "$REDIS_PORT")
  [[ -n "${MONGO_PORT:-}" ]] && ports+=(--mongo-port "$MONGO_PORT")
  log "starting the dev stack ..."
  java -jar "$(jar_of infrastructure)" "${ports[@]}" \
    --databases addressbook --env-file "$env_file" --control-dir "$STATE_DIR/dev-stack-requests" \
    >"$STATE_DIR/logs/dev-stack.log" 2>&1 &
  DEV_STACK_PID=$!
  until [[ -f "$env_file" ]]; do
    kill -0 "$DEV_STACK_PID" 2>/dev/null || { cat "$STATE_DIR/logs/dev-stack.log" >&2; die "the dev stack did not start"; }
    (( SECONDS - started < READY_TIMEOUT_SECONDS )) || die "the dev stack was not ready after ${READY_TIMEOUT_SECONDS}s"
    sleep 0.2 # poll interval of a loop bounded by the deadline above
  done
  # shellcheck source=/dev/null
  source "$env_file"
  sed -n -E -e '/^(postgres|redis|mongo) /p' -e 's/^(standard ports in use, .*)/\1; the services use them/p' \
    "$STATE_DIR/logs/dev-stack.log" >&2
}

# Prints the class-data flag for a service: use its archive if it is newer than the jar, else write one at exit.
# On JDK 25 or newer the archive is an ahead-of-time cache (classes loaded and linked, method profiles), before that
# a class-data-sharing archive; bench/startup.sh measures what each gives.
cds_flag() {
  local name="$1" jar="$2" archive use write
  [[ "${CDS:-on}" == off ]] && return 0
  mkdir -p "$CDS_DIR"
  if (( ${JAVA_MAJOR:-17} >= 25 )); then
    archive="$CDS_DIR/$name.aot" use=-XX:AOTCache write=-XX:AOTCacheOutput
  else
    archive="$CDS_DIR/$name.jsa" use=-XX:SharedArchiveFile write=-XX:ArchiveClassesAtExit
  fi
  if [[ -f "$archive" && "$archive" -nt "$jar" ]]; then
    printf -- '%s=%s' "$use" "$archive"
  else
    printf -- '%s=%s' "$write" "$archive"
  fi
}

start_service() {
  local name="$1" entry module environment
  entry="$(entry_of "$name")"; module="$(field "$entry" 1)"
  environment="$(eval "printf '%s' \"$(field "$entry" 3)\"")"
  local -a env_args java_opts
  local jar; jar="$(jar_of "$module")"
  read -r -a env_args <<<"$environment"
  read -r -a java_opts <<<"$JAVA_OPTS $(cds_flag "$name" "$jar")"
  LAUNCHED_MS[$name]="$(now_ms)"
  env "${env_args[@]}" PORT="$(port_of "$name")" java "${java_opts[@]}" -jar "$jar" >"$STATE_DIR/logs/$name.log" 2>&1 &
  PID_OF[$name]=$!
  printf '%s\n' "$!" >"$STATE_DIR/$name.pid"
}

# The verbs of `./run-local.sh stop|start <service>`, run by the running instance; they print what happened.
control_stop() {
  local name="$1" pid="${PID_OF[$1]:-}"
  [[ -n "$pid" ]] || { log "$name is not running"; return 1; }
  unset "PID_OF[$name]"
  kill "$pid" 2>/dev/null || true
  await_exit "$pid"
  rm -f "$STATE_DIR/$name.pid"
  log "$name stopped; the others keep running"
}

control_start() {
  local name="$1" taken
  [[ -z "${PID_OF[$name]:-}" ]] || { log "$name is already running"; return 1; }
  taken="$(taken_ports "$name")"
  # the running instance's ports are fixed: the variable only helps when run-local.sh starts again
  [[ -z "$taken" ]] || { log "port in use: $taken; free it, or start run-local.sh again with that variable set"; return 1; }
  start_service "$name"
  wait_until_ready "$name" && return 0
  [[ -z "${PID_OF[$name]:-}" ]] || control_stop "$name" >/dev/null 2>&1
  return 1
}

# Requests are files in $STATE_DIR/requests ("stop sava-product"); each gets a reply file: status, then output.
handle_requests() {
  local request verb name reply
  for request in "$STATE_DIR"/requests/*; do
    [[ -f "$request" ]] || continue
    read -r verb name <"$request" || true
    reply="$STATE_DIR/replies/$(basename "$request")"
    rm -f "$request"
    if "control_$verb" "$name" >"$reply.out" 2>&1; then printf '0\n' >"$reply.tmp"; else printf '1\n' >"$reply.tmp"; fi
    cat "$reply.out" >>"$reply.tmp"
    cat "$reply.out" >&2
    rm -f "$reply.out"
    mv "$reply.tmp" "$reply"
  done
}

# Until Ctrl-C: a service that exits is reported and left stopped; requests arrive as SIGUSR1, which ends a wait.
watch() {
  local exited status name
  while true; do
    exited='' status=0
    wait -n -p exited "$DEV_STACK_PID" "${PID_OF[@]}" 2>/dev/null || status=$?
    handle_requests
    [[ -n "${exited:-}" ]] || continue
    [[ "$exited" != "$DEV_STACK_PID" ]] || die "the dev stack exited (status $status), so every store is gone; see $STATE_DIR/logs/dev-stack.log"
    for name in "${!PID_OF[@]}"; do
      [[ "${PID_OF[$name]}" == "$exited" ]] || continue
      unset "PID_OF[$name]"
      rm -f "$STATE_DIR/$name.pid"
      log "run-local: $name exited (status $status); the others keep running (./run-local.sh start $name starts it again; log: $STATE_DIR/logs/$name.log)"
    done
  done
}

# Prints the PID of the run-local.sh that uses $STATE_DIR, if one runs.
running_instance() {
  local pid
  pid="$(cat "$STATE_DIR/run-local.pid" 2>/dev/null)" || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

STORES=(postgres redis mongo)

# `./run-local.sh stop|start postgres`: the dev stack stops or starts that store itself (it polls for requests).
control_store() {
  local verb="$1" name="$2" request reply started=$SECONDS
  request="$(mktemp "$STATE_DIR/dev-stack-requests/.new.XXXXXX")"
  printf '%s %s\n' "$verb" "$name" >"$request"
  reply="$STATE_DIR/dev-stack-requests/${request##*/.new.}.reply"
  mv "$request" "$STATE_DIR/dev-stack-requests/${request##*/.new.}.request"
  until [[ -f "$reply" ]]; do
    (( SECONDS - started < READY_TIMEOUT_SECONDS )) || die "no answer from the dev stack; see $STATE_DIR/logs/dev-stack.log"
    sleep 0.1 # poll interval of a loop bounded by the deadline above
  done
  tail -n +2 "$reply" >&2
  local status; status="$(head -n 1 "$reply")"
  rm -f "$reply"
  return "$status"
}

# `./run-local.sh stop|start <service|store>`: asks the running instance (or its dev stack) and prints its answer.
control() {
  local verb="$1" name="${2:-}" main_pid request reply started=$SECONDS store
  main_pid="$(running_instance)" || die "no ./run-local.sh is running with state in $STATE_DIR; start one first"
  for store in "${STORES[@]}"; do
    [[ "$name" != "$store" ]] || { control_store "$verb" "$name"; return; }
  done
  [[ -n "$name" && -n "$(entry_of "$name")" ]] \
    || die "usage: ./run-local.sh $verb <service or store>, one of: $(for e in "${SERVICES[@]}"; do printf '%s ' "$(field "$e" 0)"; done)${STORES[*]}"
  mkdir -p "$STATE_DIR/requests" "$STATE_DIR/replies"
  request="$(mktemp "$STATE_DIR/requests/.new.XXXXXX")"
  printf '%s %s\n' "$verb" "$name" >"$request"
  reply="$STATE_DIR/replies/${request##*/.new.}"
  mv "$request" "$STATE_DIR/requests/${request##*/.new.}"
  until [[ -f "$reply" ]]; do
    kill -USR1 "$main_pid" 2>/dev/null || die "./run-local.sh (pid $main_pid) stopped before answering"
    (( SECONDS - started < READY_TIMEOUT_SECONDS + 10 )) || die "no answer from ./run-local.sh (pid $main_pid)"
    sleep 0.1 # poll interval of a loop bounded by the deadline above; the signal is resent in case one was missed
  done
  tail -n +2 "$reply" >&2
  local status; status="$(head -n 1 "$reply")"
  rm -f "$reply"
  return "$status"
}

main() {
  case "${1:-}" in
    stop | start) control "$@"; return ;;
  esac
  check_prerequisites
  local main_pid
  if main_pid="$(running_instance)"; then
    die "already running (pid $main_pid, state in $STATE_DIR): ./run-local.sh stop|start <service> controls it"
  fi
  # ports other services' environments refer to
  : "${SAVA_PRODUCT_PORT:=$(port_of sava-product)}" "${ADDERSERVICE_PORT:=$(port_of adderservice)}"
  : "${AUDITSERVICE_PORT:=$(port_of auditservice)}" "${EVENTSERVICE_PORT:=$(port_of eventservice)}"
  # both stores sign carts with one key, as replicas must; local only, so a fresh random one per run
  CART_SIGNING_KEY="${CART_SIGNING_KEY:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
  mkdir -p "$STATE_DIR/logs"
  rm -rf "$STATE_DIR/requests" "$STATE_DIR/replies" "$STATE_DIR/dev-stack-requests"
  local -a entries names
  mapfile -t entries < <(selected_services "$@")
  [[ ${#entries[@]} -gt 0 ]] || die "no such service: $*"
  mapfile -t names < <(for entry in "${entries[@]}"; do field "$entry" 0; printf '\n'; done)
  local taken; taken="$(taken_ports "${names[@]}")"
  [[ -z "$taken" ]] || { log "run-local: ports in use here; set these variables to free ports: $taken"; exit 1; }
  build_stale "${entries[@]}"

  trap stop_all EXIT
  trap 'stop_all; exit 0' INT TERM
  trap ':' USR1 # a request from `./run-local.sh stop|start`; receiving it ends the wait in watch
  start_dev_stack
  local name
  for name in "${names[@]}"; do start_service "$name"; done
  for name in "${names[@]}"; do wait_until_ready "$name" || exit 1; done

  printf '%s\n' "$$" >"$STATE_DIR/run-local.pid"
  log ""
  log "micro-canary is running (logs in ${STATE_DIR#"$SCRIPT_DIR"/}/logs; Ctrl-C stops everything;"
  log "./run-local.sh stop|start <service or store> stops or starts one while the rest run):"
  for name in "${names[@]}"; do
    printf '  %-14s http://localhost:%s\n' "$name" "$(port_of "$name")"
  done
  watch
}

main "$@"
