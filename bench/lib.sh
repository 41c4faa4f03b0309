#!/usr/bin/env bash
# Shared by the bench scripts: start services exactly as run-local.sh does, stop them, and small statistics.
# shellcheck disable=SC2034 # variables here are used by the scripts that source this file

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
SYSTEM_PID=""

LOG_PREFIX='' DIE_PREFIX='bench: '
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_system STATE_DIR SERVICE... — runs run-local.sh for the services, each on a free port (a developer's own
# services may hold the README's; service_url reads it back), and waits until every one has written its ready time
# (run-local.sh itself enforces the readiness deadline).
start_system() {
  local state="$1"; shift
  mkdir -p "$state"
  local service variable ports=()
  while read -r service _; do
    variable="${service^^}_PORT"
    ports+=("${variable//-/_}=$(free_port | tee "$state/$service.port")")
  done < <(service_rows)
  # class-data-sharing archives are kept across runs (as a developer's run-local.sh keeps them)
  env "${ports[@]}" CDS_DIR="${CDS_DIR:-$ROOT/.run-local/cds}" RUN_LOCAL_DIR="$state" POSTGRES_PORT=0 REDIS_PORT=0 \
    MONGO_PORT=0 "$ROOT/run-local.sh" "$@" >"$state/run-local.out" 2>"$state/run-local.err" &
  SYSTEM_PID=$!
  local service deadline=$((SECONDS + 300))
  for service in "$@"; do
    until [[ -s "$state/$service.ready-ms" ]]; do
      kill -0 "$SYSTEM_PID" 2>/dev/null || { cat "$state/run-local.err" >&2; tail -n 20 "$state"/logs/*.log >&2; die "run-local.sh exited"; }
      (( SECONDS < deadline )) || die "$service not ready within 300s"
      sleep 0.1 # poll interval, bounded by the deadline above
    done
  done
}

# service_url STATE_DIR SERVICE -> where start_system started it
service_url() { printf 'http://127.0.0.1:%s' "$(cat "$1/$2.port")"; }

stop_system() {
  [[ -n "$SYSTEM_PID" ]] || return 0
  kill -TERM "$SYSTEM_PID" 2>/dev/null || true
  wait "$SYSTEM_PID" 2>/dev/null || true
  SYSTEM_PID=""
}

# ensure_tools COMMAND:DEBIAN_PACKAGE... — installs the packages whose command is missing (the load tools).
ensure_tools() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing ${missing[*]} (Debian packages) ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

# cpu_ticks PID -> user + system CPU time of the process so far, in clock ticks (/proc/PID/stat fields 14 and 15)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# cpu_us_per_request TICKS_BEFORE TICKS_AFTER REQUESTS -> microseconds of CPU per request
cpu_us_per_request() {
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }'
}

rss_mb() { awk '{ printf "%d", $1 / 1024 }' < <(ps -o rss= -p "$1"); }

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
