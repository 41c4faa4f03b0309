#!/usr/bin/env bash
# Time from `java -jar` to a 200 from /health/readiness, and resident memory once idle, for each service alone,
# started exactly as run-local.sh starts it (same JVM flags as the images, class-data sharing from an archive
# written by a first, uncounted training run; CDS=off to measure without). Prints each run and the medians.
#
#   bench/startup.sh [service...]        default: every service;  RUNS=5 bench/startup.sh addressbook
#
# Results: bench/results/<date>-<commit>-startup.md and a copy as bench/results/latest-startup.md.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${RUNS:-5}"
IDLE_SECONDS=5
ALL_SERVICES=(adderservice addressbook auditservice eventservice sava-product sava-cart-ie webapp)
state="$(mktemp -d)"
trap 'stop_system; rm -rf "$state"' EXIT

# measure SERVICE -> "median-ready-ms median-idle-rss-mb", each run logged
measure() {
  local service="$1" run ready_ms=() rss=()
  export CDS_DIR="$state/$service/cds"
  if [[ "${CDS:-on}" != off ]]; then
    log "$service: training run (writes the class-data-sharing archive) ..."
    start_system "$state/$service/training" "$service"
    stop_system
  fi
  for ((run = 1; run <= RUNS; run++)); do
    start_system "$state/$service/$run" "$service"
    sleep "$IDLE_SECONDS" # the measurement itself: memory after this long idle
    ready_ms+=("$(cat "$state/$service/$run/$service.ready-ms")")
    rss+=("$(rss_mb "$(cat "$state/$service/$run/$service.pid")")")
    stop_system
    log "$service run $run: ready in ${ready_ms[-1]} ms, idle RSS ${rss[-1]} MB"
  done
  printf '%s %s\n' "$(median "${ready_ms[@]}")" "$(median "${rss[@]}")"
}

main() {
  local -a services=("$@")
  [[ ${#services[@]} -gt 0 ]] || services=("${ALL_SERVICES[@]}")
  local flags="${JAVA_OPTS:--XX:MaxRAM=256m $(tr '\n' ' ' <"$ROOT/jvm.options")}"
  local cds="on (an archive from one training run, as the images carry one)"
  [[ "${CDS:-on}" != off ]] || cds="off"
  local table="| service | ready ms (median) | idle RSS MB (median) |
|---|---|---|" service ready rss
  for service in "${services[@]}"; do
    read -r ready rss < <(measure "$service")
    table+="
| $service | $ready | $rss |"
  done

  local commit date report
  commit="$(git -C "$ROOT" rev-parse --short HEAD)"
  date="$(date -u +%Y-%m-%d)"
  report="$BENCH_DIR/results/$date-$commit-startup.md"
  mkdir -p "$BENCH_DIR/results"
  # shellcheck disable=SC2016 # the backquotes are Markdown code, not command substitution
  {
    printf '# Start-up %s (commit %s)\n\n' "$date" "$commit"
    printf 'Machine: %s cores, %s. Each service alone (its stores embedded, as run-local.sh starts them), %s runs;\n' \
      "$(nproc)" "$(java -version 2>&1 | head -1)" "$RUNS"
    printf 'ready = `java -jar` to the first 200 from /health/readiness (polled every 20 ms); RSS after %s s idle.\n' \
      "$IDLE_SECONDS"
    printf 'Class-data sharing: %s. JVM flags: `%s`. Command: `bench/startup.sh %s`\n\n%s\n' \
      "$cds" "$flags" "${services[*]}" "$table"
  } >"$report"
  cp "$report" "$BENCH_DIR/results/latest-startup.md"
  cat "$report"
  log "written $report and bench/results/latest-startup.md"
}

main "$@"
