#!/usr/bin/env bash
# Load benchmark: starts the services as run-local.sh does, warms each route up, then drives it with wrk from a
# separate process and prints req/s, p50, p99, errors and server RSS. This machine is noisy, so every route is
# measured RUNS times, interleaved with a reference measured the same way (nginx answering a static 20-byte 200 on
# loopback, the practical limit here), and reported as medians plus the ratio to the reference.
#
#   bench/run.sh [service...]          default: every service with routes below
#   RUNS=3 DURATION=10s CONNECTIONS=32 bench/run.sh addressbook
#   ROUTE='PUT /person' bench/run.sh addressbook      only the routes whose label matches the glob
#
# Besides req/s it reports the service process's CPU time per request (user + system, from /proc/<pid>/stat over
# each measured run, divided by the requests wrk completed): the figure the machine's noise moves least.
#
# Results: bench/results/<date>-<commit>.md, a copy as bench/results/latest.md, and bench/results/latest.svg (req/s
# per route against the reference).
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-15s}" # long enough for C2 to compile the route's hot path
CONNECTIONS="${CONNECTIONS:-32}"
ROUTE="${ROUTE:-*}"

# service | route label | method | path | form body ('' for none) | set-up function run once before the route
ROUTES=(
  'adderservice|GET /add/2/3|GET|/add/2/3||'
  'sava-product|GET /products/ie (v1)|GET|/products/ie||'
  'addressbook|GET /all (100 rows)|GET|/all||seed_people'
  'addressbook|PUT /person|PUT|/person|firstName=bench&lastName=mark|'
  'sava-cart-ie|GET / (store page)|GET|/||'
  'webapp|POST /add/calculate|POST|/add/calculate|first=2&second=3|'
  'webapp|GET /add (form page)|GET|/add||'
)

# services a route's service needs running beside it
declare -A NEEDS=([sava-cart-ie]="sava-product" [webapp]="adderservice auditservice eventservice")

seed_people() {
  local url="$1" i
  for ((i = 1; i <= 100; i++)); do
    curl -fsS -o /dev/null -X PUT -d "firstName=person$i&lastName=bench" "$url/person" || die "seeding failed"
  done
}

NGINX_PID=""
start_reference() {
  local dir="$1" port
  port=$(free_port)
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/plain;
  server {
    listen 127.0.0.1:$port;
    location / { return 200 "micro-canary bench!\n"; }
  }
}
NGINX
  nginx -p "$dir" -c "$dir/nginx.conf" &
  NGINX_PID=$!
  local deadline=$((SECONDS + 10))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/"; do
    (( SECONDS < deadline )) || die "nginx did not start: $(cat "$dir/error.log")"
    sleep 0.05 # poll interval, bounded by the deadline above
  done
  REFERENCE_URL="http://127.0.0.1:$port/"
}

# wrk_run URL METHOD BODY DURATION -> "req/s p50_ms p99_ms errors requests"
wrk_run() {
  local url="$1" method="$2" body="$3" duration="$4" script
  script="$(mktemp --suffix=.lua)"
  {
    printf 'wrk.method = "%s"\n' "$method"
    if [[ -n "$body" ]]; then
      printf 'wrk.body = "%s"\n' "$body"
      printf 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    fi
    [[ "$url" == *"/products/"* ]] && printf 'wrk.headers["Accept"] = "application/vnd.sava.v1+json"\n'
  } >"$script"
  wrk -t1 -c"$CONNECTIONS" -d"$duration" --latency -s "$script" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx or 3xx responses/ { errors += $NF }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    / requests in / { requests = $1 }
    END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, errors, requests }'
  rm -f "$script"
}

main() {
  ensure_tools wrk:wrk nginx:nginx-light
  local -a services
  if [[ $# -gt 0 ]]; then services=("$@"); else mapfile -t services < <(printf '%s\n' "${ROUTES[@]}" | cut -d'|' -f1 | sort -u); fi
  WORK="$(mktemp -d)"
  local work="$WORK"
  trap 'stop_system; [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

  start_reference "$work/nginx"
  local -a to_start=("${services[@]}") service
  for service in "${services[@]}"; do
    # shellcheck disable=SC2206 # a space-separated list of names
    to_start+=(${NEEDS[$service]:-})
  done
  mapfile -t to_start < <(printf '%s\n' "${to_start[@]}" | sort -u)
  log "reference: nginx at $REFERENCE_URL; starting ${to_start[*]} ..."
  start_system "$work/system" "${to_start[@]}"

  local commit date machine
  commit="$(git -C "$ROOT" rev-parse --short HEAD)"
  date="$(date -u +%Y-%m-%d)"
  machine="$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
  local flags="${JAVA_OPTS:--XX:MaxRAM=256m $(tr '\n' ' ' <"$ROOT/jvm.options")}"
  local table="| route | c | req/s | p50 ms | p99 ms | errors | ratio to nginx | server CPU µs/request | RSS before → after MB | ready ms* |
|---|---|---|---|---|---|---|---|---|---|"
  local chart=() entry
  for entry in "${ROUTES[@]}"; do
    local service label method path body setup
    IFS='|' read -r service label method path body setup <<<"$entry"
    [[ " ${services[*]} " == *" $service "* ]] || continue
    # shellcheck disable=SC2053 # ROUTE is a glob on purpose
    [[ "$label" == $ROUTE ]] || continue
    local url
    url="$(service_url "$work/system" "$service")"
    [[ -z "$setup" ]] || "$setup" "$url"
    local pid rss_before
    pid="$(cat "$work/system/$service.pid")"
    log "$label: warm-up $WARMUP ..."
    wrk_run "$url$path" "$method" "$body" "$WARMUP" >/dev/null
    wrk_run "$REFERENCE_URL" GET "" "$WARMUP" >/dev/null
    rss_before="$(rss_mb "$pid")"
    local rps=() p50=() p99=() errors=() ref=() cpu=() run
    for ((run = 1; run <= RUNS; run++)); do
      local r s ticks_before ticks_after
      read -r r _ _ _ _ < <(wrk_run "$REFERENCE_URL" GET "" "$DURATION")
      ticks_before="$(cpu_ticks "$pid")"
      read -r -a s < <(wrk_run "$url$path" "$method" "$body" "$DURATION")
      ticks_after="$(cpu_ticks "$pid")"
      ref+=("$r"); rps+=("${s[0]}"); p50+=("${s[1]}"); p99+=("${s[2]}"); errors+=("${s[3]}")
      cpu+=("$(cpu_us_per_request "$ticks_before" "$ticks_after" "${s[4]}")")
      log "$label run $run: ${s[0]} req/s, p50 ${s[1]} ms, p99 ${s[2]} ms, errors ${s[3]}, ${cpu[-1]} µs CPU/request (nginx $r req/s)"
    done
    local m_rps m_ref ratio
    m_rps="$(median "${rps[@]}")"; m_ref="$(median "${ref[@]}")"
    ratio="$(awk -v a="$m_rps" -v b="$m_ref" 'BEGIN { printf "%.1f%%", 100 * a / b }')"
    table+="
| $service \`$label\` | $CONNECTIONS | $m_rps | $(median "${p50[@]}") | $(median "${p99[@]}") | $(median "${errors[@]}") | $ratio | $(median "${cpu[@]}") | $rss_before → $(rss_mb "$pid") | $(cat "$work/system/$service.ready-ms") |"
    chart+=("$service $label|$m_rps|$m_ref")
  done

  mkdir -p "$BENCH_DIR/results"
  local report="$BENCH_DIR/results/$date-$commit.md"
  # shellcheck disable=SC2016 # the backquotes are Markdown code, not command substitution
  {
    printf '# Benchmark %s (commit %s)\n\n' "$date" "$commit"
    printf 'Machine: %s. Load: `wrk -t1 -c%s -d%s --latency`, %s runs per route interleaved with the reference\n' \
      "$machine" "$CONNECTIONS" "$DURATION" "$RUNS"
    printf '(nginx, static 20-byte 200 on loopback, median %s req/s); medians shown. wrk shares the 2 cores with the\n' \
      "$(median "$(printf '%s\n' "${chart[@]}" | cut -d'|' -f3)")"
    printf 'server. JVM flags (run-local.sh'"'"'s, the images'"'"'): `%s`. Command: `bench/run.sh %s`\n\n%s\n\n' \
      "$flags" "${services[*]}" "$table"
    printf '%s\n' "*ready: from launch to ready with all ${#to_start[@]} JVMs (${to_start[*]}) starting at once on these" \
      'cores, as run-local.sh starts them; one service alone: [latest-startup.md](latest-startup.md) (`bench/startup.sh`).'
  } >"$report"
  write_chart "$BENCH_DIR/results/latest.svg" "${chart[@]}"
  cp "$report" "$BENCH_DIR/results/latest.md"
  printf '\n![req/s per route against the reference](latest.svg)\n' >>"$BENCH_DIR/results/latest.md"
  cat "$report"
  log "written $report, bench/results/latest.md and latest.svg"
}

# write_chart FILE "label|req/s|reference req/s"... — horizontal bars, the reference as a grey bar beneath each.
write_chart() {
  local file="$1"; shift
  printf '%s\n' "$@" | awk -F'|' '
    { label[NR] = $1; rps[NR] = $2; ref[NR] = $3; if ($3 > max) max = $3; if ($2 > max) max = $2 }
    END {
      h = 40 + NR * 50
      printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", h
      print "<text x=\"10\" y=\"20\" font-size=\"14\">req/s per route (blue) against nginx static 200 (grey)</text>"
      for (i = 1; i <= NR; i++) {
        y = 40 + (i - 1) * 50; w = 480 * rps[i] / max; wr = 480 * ref[i] / max
        printf "<text x=\"10\" y=\"%d\">%s</text>\n", y + 14, label[i]
        printf "<rect x=\"260\" y=\"%d\" width=\"%.0f\" height=\"16\" fill=\"#2b6cb0\"/><text x=\"%.0f\" y=\"%d\">%d</text>\n", y, w, 265 + w, y + 13, rps[i]
        printf "<rect x=\"260\" y=\"%d\" width=\"%.0f\" height=\"10\" fill=\"#a0aec0\"/><text x=\"%.0f\" y=\"%d\">%d</text>\n", y + 20, wr, 265 + wr, y + 29, ref[i]
      }
      print "</svg>"
    }' >"$file"
}

main "$@"
