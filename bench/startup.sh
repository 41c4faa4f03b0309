#!/usr/bin/env bash
# Time from `java -jar` to a 200 from /health/readiness, the first request after that, and resident memory once
# idle, for each service alone, started exactly as run-local.sh starts it (same JVM flags as the images). Class data
# comes from a first, uncounted training run made as the image build makes it (MICRO_CANARY_EXIT_AFTER_START=true:
# the service answers its own training requests for a few seconds, then exits): on JDK 25 or newer an ahead-of-time
# cache (-XX:AOTCacheOutput), before that a class-data-sharing archive (-XX:ArchiveClassesAtExit); CDS=off measures
# without. The JDK is $JAVA_HOME's when set (for this script and the run-local.sh it starts), else the `java` on PATH:
#
#   bench/startup.sh [service...]        default: every service;  RUNS=5 bench/startup.sh addressbook
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/startup.sh
#
# Results: bench/results/<date>-<commit>-startup[-jdk<N>].md and a copy as bench/results/latest-startup[-jdk<N>].md.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -z "${JAVA_HOME:-}" ]] || export PATH="$JAVA_HOME/bin:$PATH"

RUNS="${RUNS:-5}"
IDLE_SECONDS=5
ALL_SERVICES=(adderservice addressbook auditservice eventservice sava-product sava-cart-ie webapp)
# the request a user would send first
declare -A FIRST_REQUEST=([adderservice]=/add/2/3 [addressbook]=/all [auditservice]=/list [eventservice]=/summary
  [sava-product]=/products/ie [sava-cart-ie]=/ [webapp]=/)
JAVA_MAJOR="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
JAVA_MAJOR="${JAVA_MAJOR%%.*}"
state="$(mktemp -d)"
trap 'stop_system; rm -rf "$state"' EXIT

# train SERVICE — writes the archive run-local.sh then uses ($CDS_DIR/<service>.aot or .jsa), as the images do
train() {
  local service="$1" module="${1%-ie}" archive write
  if (( JAVA_MAJOR >= 25 )); then
    archive="$CDS_DIR/$service.aot" write=-XX:AOTCacheOutput
  else
    archive="$CDS_DIR/$service.jsa" write=-XX:ArchiveClassesAtExit
  fi
  mkdir -p "$CDS_DIR"
  log "$service: training run (writes $(basename "$archive")) ..."
  local -a java_flags
  read -r -a java_flags <<<"${JAVA_OPTS:--XX:MaxRAM=256m $(tr '\n' ' ' <"$ROOT/jvm.options")}"
  MICRO_CANARY_EXIT_AFTER_START=true MIGRATE_ON_START=false PORT=0 LOCALE=ie \
    java "${java_flags[@]}" "$write=$archive" \
    -jar "$(jar_of "$module")" >"$state/$service-training.log" 2>&1 \
    || die "$service: the training run failed; see its log: $(tail -5 "$state/$service-training.log")"
  [[ -s "$archive" ]] || die "$service: the training run wrote no $archive"
}

# first_request_ms URL -> milliseconds for one request, as curl times it
first_request_ms() { curl -s -o /dev/null -w '%{time_total}' "$1" | awk '{ printf "%d", $1 * 1000 }'; }

# measure SERVICE -> "median-ready-ms median-first-request-ms median-idle-rss-mb", each run logged
measure() {
  local service="$1" run ready_ms=() first_ms=() rss=()
  export CDS_DIR="$state/$service/cds"
  [[ "${CDS:-on}" == off ]] || train "$service"
  for ((run = 1; run <= RUNS; run++)); do
    start_system "$state/$service/$run" "$service"
    first_ms+=("$(first_request_ms "$(service_url "$state/$service/$run" "$service")${FIRST_REQUEST[$service]}")")
    sleep "$IDLE_SECONDS" # the measurement itself: memory after this long idle
    ready_ms+=("$(cat "$state/$service/$run/$service.ready-ms")")
    rss+=("$(rss_mb "$(cat "$state/$service/$run/$service.pid")")")
    stop_system
    log "$service run $run: ready in ${ready_ms[-1]} ms, first request ${first_ms[-1]} ms, idle RSS ${rss[-1]} MB"
  done
  printf '%s %s %s\n' "$(median "${ready_ms[@]}")" "$(median "${first_ms[@]}")" "$(median "${rss[@]}")"
}

main() {
  local -a services=("$@")
  [[ ${#services[@]} -gt 0 ]] || services=("${ALL_SERVICES[@]}")
  local flags="${JAVA_OPTS:--XX:MaxRAM=256m $(tr '\n' ' ' <"$ROOT/jvm.options")}"
  local cds="a class-data-sharing archive (-XX:SharedArchiveFile) from one training run, as the images carry one"
  (( JAVA_MAJOR < 25 )) || cds="an ahead-of-time cache (-XX:AOTCache) from one training run, as images built on JDK 25 carry one"
  [[ "${CDS:-on}" != off ]] || cds="none (CDS=off)"
  local table="| service | ready ms (median) | first request ms (median) | idle RSS MB (median) |
|---|---|---|---|" service ready first rss
  for service in "${services[@]}"; do
    read -r ready first rss < <(measure "$service")
    table+="
| $service | $ready | $first | $rss |"
  done

  local commit date report
  commit="$(git -C "$ROOT" rev-parse --short HEAD)"
  date="$(date -u +%Y-%m-%d)"
  local suffix=""
  (( JAVA_MAJOR == 17 )) || suffix="-jdk$JAVA_MAJOR"
  report="$BENCH_DIR/results/$date-$commit-startup$suffix.md"
  mkdir -p "$BENCH_DIR/results"
  # shellcheck disable=SC2016 # the backquotes are Markdown code, not command substitution
  {
    printf '# Start-up %s (commit %s)\n\n' "$date" "$commit"
    printf 'Machine: %s cores, %s. Each service alone (its stores embedded, as run-local.sh starts them), %s runs;\n' \
      "$(nproc)" "$(java -version 2>&1 | head -1)" "$RUNS"
    printf 'ready = `java -jar` to the first 200 from /health/readiness (polled every 20 ms); first request = the\n'
    printf 'first route a user calls, sent once ready (within 100 ms); RSS after %s s idle.\n' \
      "$IDLE_SECONDS"
    printf 'Class data: %s. JVM flags: `%s`. Command: `bench/startup.sh %s`\n\n%s\n' \
      "$cds" "$flags" "${services[*]}" "$table"
  } >"$report"
  cp "$report" "$BENCH_DIR/results/latest-startup$suffix.md"
  cat "$report"
  log "written $report and bench/results/latest-startup$suffix.md"
}

main "$@"
