#!/usr/bin/env bash
# What the canary analysis sees of JIT warm-up: a fresh "canary" instance beside a warm "stable" one, each given the
# same steady traffic (not saturation: CONNECTIONS connections, each pausing PAUSE_MS between requests) for WINDOWS
# windows of WINDOW, with p50/p99 per track and window, as the harness compares them over its analysis window. Run
# once per JIT mode: C1 only (-XX:TieredStopAtLevel=1, the images' flag) and tiered C1+C2 (the JVM's default).
#
#   bench/canary-warmup.sh [service]        default: sava-product;  WINDOWS=4 WINDOW=30s bench/canary-warmup.sh
#
# Results: bench/results/<date>-<commit>-canary-warmup.md and a copy as bench/results/latest-canary-warmup.md.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WINDOWS="${WINDOWS:-4}"
WINDOW="${WINDOW:-30s}"
STABLE_WARMUP="${STABLE_WARMUP:-60s}"
CONNECTIONS="${CONNECTIONS:-4}"
PAUSE_MS="${PAUSE_MS:-2}"
declare -A ROUTE=([adderservice]=/add/2/3 [sava-product]=/products/ie)

# wrk_window URL DURATION -> "requests p50_ms p99_ms"
wrk_window() {
  local script
  script="$(mktemp --suffix=.lua)"
  printf 'function delay() return %s end\n' "$PAUSE_MS" >"$script"
  wrk -t1 -c"$CONNECTIONS" -d"$2" --latency -s "$script" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } / requests in / { n = $1 }
    END { printf "%d %.2f %.2f\n", n, p50, p99 }'
  rm -f "$script"
}

# one_mode LABEL JAVA_OPTS -> table rows, one per window
one_mode() {
  local label="$1" opts="$2" service="$3" work="$4"
  JAVA_OPTS="$opts" start_system "$work/$label-stable" "$service"
  local stable_pid=$SYSTEM_PID stable_url
  stable_url="$(service_url "$work/$label-stable" "$service")${ROUTE[$service]}"
  log "$label: warming stable for $STABLE_WARMUP ..."
  wrk_window "$stable_url" "$STABLE_WARMUP" >/dev/null
  SYSTEM_PID=""
  JAVA_OPTS="$opts" start_system "$work/$label-canary" "$service"
  local canary_url window s c
  canary_url="$(service_url "$work/$label-canary" "$service")${ROUTE[$service]}"
  for ((window = 1; window <= WINDOWS; window++)); do
    wrk_window "$stable_url" "$WINDOW" >"$work/stable.out" &
    wrk_window "$canary_url" "$WINDOW" >"$work/canary.out"
    wait $!
    read -r -a s <"$work/stable.out"; read -r -a c <"$work/canary.out"
    log "$label window $window: stable p99 ${s[2]} ms, canary p99 ${c[2]} ms"
    printf '| %s | %s | %s | %s / %s | %s / %s | %s |\n' "$label" "$window" "$WINDOW" "${s[1]}" "${s[2]}" \
      "${c[1]}" "${c[2]}" "$(awk -v a="${c[2]}" -v b="${s[2]}" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')"
  done
  stop_system
  SYSTEM_PID=$stable_pid
  stop_system
}

main() {
  ensure_tools wrk:wrk
  local service="${1:-sava-product}"
  [[ -n "${ROUTE[$service]:-}" ]] || die "no route for $service; one of: ${!ROUTE[*]}"
  WORK="$(mktemp -d)"
  trap 'stop_system; rm -rf "$WORK"' EXIT
  local base rows
  base="-XX:MaxRAM=256m $(grep -v TieredStopAtLevel "$ROOT/jvm.options" | tr '\n' ' ')"
  rows="$(one_mode "C1 only" "$base -XX:TieredStopAtLevel=1" "$service" "$WORK")
$(one_mode "tiered C1+C2" "$base" "$service" "$WORK")"

  local commit date report
  commit="$(git -C "$ROOT" rev-parse --short HEAD)"
  date="$(date -u +%Y-%m-%d)"
  report="$BENCH_DIR/results/$date-$commit-canary-warmup.md"
  # shellcheck disable=SC2016 # the backquotes are Markdown code, not command substitution
  {
    printf '# A fresh canary beside a warm stable: %s %s (commit %s)\n\n' "$service" "${ROUTE[$service]}" "$commit"
    printf 'Machine: %s cores, %s. Stable warmed for %s first; then both get %s connections, each pausing %s ms\n' \
      "$(nproc)" "$(java -version 2>&1 | head -1)" "$STABLE_WARMUP" "$CONNECTIONS" "$PAUSE_MS"
    printf 'between requests, for %s windows of %s. Flags besides the JIT: `%s`. Command: `bench/canary-warmup.sh %s`\n\n' \
      "$WINDOWS" "$WINDOW" "$base" "$service"
    printf '| JIT | window | length | stable p50 / p99 ms | canary p50 / p99 ms | canary p99 / stable p99 |\n'
    printf '|---|---|---|---|---|---|\n%s\n' "$rows"
  } >"$report"
  cp "$report" "$BENCH_DIR/results/latest-canary-warmup.md"
  cat "$report"
  log "written $report and bench/results/latest-canary-warmup.md"
}

main "$@"
