#!/usr/bin/env bash
# Time from `java -jar` to a 200 from /health/readiness, and resident memory once idle, for one service, started
# exactly as run-local.sh starts it (same JVM flags as the images, class-data sharing from an archive written by
# a first, uncounted training run; CDS=off to measure without). Prints each run and the medians.
#
#   bench/startup.sh addressbook [runs=5]
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICE="${1:?usage: bench/startup.sh <service> [runs]}"
RUNS="${2:-5}"
IDLE_SECONDS=5
state="$(mktemp -d)"
trap 'stop_system; rm -rf "$state"' EXIT

export CDS_DIR="$state/cds"
if [[ "${CDS:-on}" != off ]]; then
  log "training run (writes the class-data-sharing archive) ..."
  start_system "$state/training" "$SERVICE"
  stop_system
fi

ready_ms=()
rss=()
for ((run = 1; run <= RUNS; run++)); do
  start_system "$state/$run" "$SERVICE"
  sleep "$IDLE_SECONDS" # the measurement itself: memory after this long idle
  ready_ms+=("$(cat "$state/$run/$SERVICE.ready-ms")")
  rss+=("$(rss_mb "$(cat "$state/$run/$SERVICE.pid")")")
  stop_system
  printf 'run %d: ready in %d ms, idle RSS %d MB\n' "$run" "${ready_ms[-1]}" "${rss[-1]}"
done
printf '%s: median ready %s ms, median idle RSS %s MB over %d runs (%s; CDS %s; flags: %s)\n' "$SERVICE" \
  "$(median "${ready_ms[@]}")" "$(median "${rss[@]}")" "$RUNS" "$(java -version 2>&1 | head -1)" "${CDS:-on}" \
  "-XX:MaxRAM=256m $(tr '\n' ' ' <"$ROOT/jvm.options")"
