#!/usr/bin/env bash
# Shared by the bench scripts: start services exactly as run-local.sh does, stop them, and small statistics.
# shellcheck disable=SC2034 # variables here are used by the scripts that source this file

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
SYSTEM_PID=""

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

# start_system STATE_DIR SERVICE... — runs run-local.sh for the services on their usual ports and waits until
# every one has written its ready time (run-local.sh itself enforces the readiness deadline).
start_system() {
  local state="$1"; shift
  mkdir -p "$state"
  # class-data-sharing archives are kept across runs (as a developer's run-local.sh keeps them)
  CDS_DIR="${CDS_DIR:-$ROOT/.run-local/cds}" RUN_LOCAL_DIR="$state" POSTGRES_PORT=0 REDIS_PORT=0 MONGO_PORT=0 \
    "$ROOT/run-local.sh" "$@" >"$state/run-local.out" 2>"$state/run-local.err" &
  SYSTEM_PID=$!
  local service deadline=$((SECONDS + 300))
  for service in "$@"; do
    until [[ -s "$state/$service.ready-ms" ]]; do
      kill -0 "$SYSTEM_PID" 2>/dev/null || { cat "$state/run-local.err" >&2; die "run-local.sh exited"; }
      (( SECONDS < deadline )) || die "$service not ready within 300s"
      sleep 0.1 # poll interval, bounded by the deadline above
    done
  done
}

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

rss_mb() { awk '{ printf "%d", $1 / 1024 }' < <(ps -o rss= -p "$1"); }

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
