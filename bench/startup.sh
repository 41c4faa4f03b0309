#!/usr/bin/env bash
# Time from `java -jar` to a 200 from /health/readiness, the first request after that, and resident memory once
# idle, for each service alone, with the images' JVM flags, and on the start path the cluster takes
# (k8s/base/*/deployment.yaml and the images):
#   - the stores are already running, as a cluster's are when a pod starts: one set (embedded PostgreSQL and Redis,
#     the in-memory MongoDB stand-in) is started before the timed runs and shared by them, so a run is not charged
#     with a store's own first requests (the MongoDB stand-in is a JVM of its own, cold when just started); each
#     service is started once, uncounted, before its timed runs, so the stores have answered it before;
#   - addressbook does not migrate at start (the Deployment's MIGRATE_ON_START=false): its database is migrated once,
#     before the timed runs, by the `migrate` command, as a release does. The local start (run-local.sh's default:
#     Flyway at every start, against a fresh dev stack each run) is measured too, as one more row;
#   - the JVM's locale is en_US, as in both images (the Jib image sets no LANG, which Java takes as en_US; the
#     Dockerfile's base sets en_US.UTF-8): LANG and LC_* are unset;
#   - sava-cart's catalogue, sava-product, is not running: its first page takes the fallback path to the stub list.
# Class data comes from a first, uncounted training run made as the image build makes it
# (MICRO_CANARY_EXIT_AFTER_START=true: the service answers its own training requests for a few seconds, then exits):
# on JDK 25 or newer an ahead-of-time cache (-XX:AOTCacheOutput), before that a class-data-sharing archive
# (-XX:ArchiveClassesAtExit); CDS=off measures without. The JDK is $JAVA_HOME's when set (for this script and the
# run-local.sh it starts), else the `java` on PATH:
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
JAVA_MAJOR="$(path_java_major)"
# the services' JVM flags: JAVA_OPTS, else the images' (jvm.options, with MaxRAM for the Deployment's 256Mi limit)
JVM_FLAGS="${JAVA_OPTS:--XX:MaxRAM=256m $(tr '\n' ' ' <"$ROOT/jvm.options")}"
JSTAT="$(dirname "$(readlink -f "$(command -v java)")")/jstat"
[[ -x "$JSTAT" ]] || die "no jstat beside $(command -v java): the benchmark needs a JDK, not only a JRE"
state="$(mktemp -d)"
STORES_PID=""
STORE_URLS=()
trap 'stop_system; stop_stores; rm -rf "$state"' EXIT
# the images' locale, en_US (see above)
unset LANG LANGUAGE LC_ALL LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY LC_MESSAGES

# train SERVICE — writes the archive run-local.sh then uses ($CDS_DIR/<service>.aot or .jsa), as the images do
train() {
  local service="$1" module="${1%-ie}" archive write
  if (( JAVA_MAJOR >= 25 )); then
    archive="$CDS_DIR/$service.aot" write=-XX:AOTCacheOutput
  else
    archive="$CDS_DIR/$service.jsa" write=-XX:ArchiveClassesAtExit
  fi
  mkdir -p "$CDS_DIR"
  [[ ! -s "$archive" ]] || return 0
  log "$service: training run (writes $(basename "$archive")) ..."
  local -a java_flags
  read -r -a java_flags <<<"$JVM_FLAGS"
  MICRO_CANARY_EXIT_AFTER_START=true MIGRATE_ON_START=false PORT=0 LOCALE=ie \
    java "${java_flags[@]}" "$write=$archive" \
    -jar "$(jar_of "$module")" >"$state/$service-training.log" 2>&1 \
    || die "$service: the training run failed; see its log: $(tail -5 "$state/$service-training.log")"
  [[ -s "$archive" ]] || die "$service: the training run wrote no $archive"
}

# start_stores — the stores the timed runs share (STORE_URLS: each run's dev stack uses them instead of starting its
# own), with addressbook's database migrated once as a release migrates it (`migrate`, as the schema's owner)
start_stores() {
  local env_file="$state/stores.env" deadline=$((SECONDS + 120))
  log "the stores, started once, and addressbook's database migrated as a release does ..."
  java -jar "$(jar_of infrastructure)" --postgres-port 0 --redis-port 0 --mongo-port 0 --databases addressbook \
    --env-file "$env_file" >"$state/stores.log" 2>&1 &
  STORES_PID=$!
  until [[ -s "$env_file" ]]; do
    kill -0 "$STORES_PID" 2>/dev/null || die "the stores did not start: $(tail -5 "$state/stores.log")"
    (( SECONDS < deadline )) || die "the stores did not start within 120 s"
    sleep 0.2 # poll interval, bounded by the deadline above
  done
  # shellcheck source=/dev/null
  source "$env_file"
  DB_HOST="$POSTGRES_HOST" DB_PORT="$POSTGRES_PORT" DB_SCHEMA=addressbook DB_USER="$ADDRESSBOOK_DB_APP_USER" \
    DB_PASSWORD="$ADDRESSBOOK_DB_APP_PASSWORD" DB_OWNER_USER="$ADDRESSBOOK_DB_OWNER_USER" \
    DB_OWNER_PASSWORD="$ADDRESSBOOK_DB_OWNER_PASSWORD" java -jar "$(jar_of addressbook)" migrate \
    >"$state/migrate.log" 2>&1 || die "addressbook migrate failed: $(tail -3 "$state/migrate.log")"
  STORE_URLS=("POSTGRES_URL=postgresql://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT/postgres"
    "REDIS_URL=$REDIS_URI" "MONGO_URL=$MONGODB_URI")
}

stop_stores() {
  [[ -n "$STORES_PID" ]] || return 0
  kill -TERM "$STORES_PID" 2>/dev/null || true
  wait "$STORES_PID" 2>/dev/null || true
  STORES_PID=""
}

# first_request_ms URL -> milliseconds for one request, as curl times it
first_request_ms() { curl -s -o /dev/null -w '%{time_total}' "$1" | awk '{ printf "%d", $1 * 1000 }'; }

# jvm_start_ms FILE -> the JVM's own start before main ("Create VM" in -Xlog:startuptime's FILE), in ms
jvm_start_ms() { awk '/Create VM/ { sub(/.*Create VM, /, ""); printf "%d", $1 * 1000 }' "$1"; }

# micronaut_start_ms LOG -> what Micronaut reports for its own start ("Startup completed in ...ms")
micronaut_start_ms() { grep -o 'Startup completed in [0-9]*ms' "$1" | head -1 | tr -dc '0-9'; }

# memory_by_kind PID -> "class-data JDK-files anonymous" resident MB: the ahead-of-time cache or CDS archive the
# JVM maps (*.aot, *.jsa), the JDK's libraries and modules file, and anonymous memory (heap, metaspace, thread
# stacks, compiled code, malloc); what is left of RSS is the other libraries
memory_by_kind() {
  local java_home
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  awk -v jdk="$java_home/" '
    /^[0-9a-f]+-[0-9a-f]+ / { path = $6 }
    /^Rss:/ {
      if (path ~ /\.(aot|jsa)$/) data += $2
      else if (index(path, jdk) == 1) files += $2
      else if (path == "" || path ~ /^\[/) anonymous += $2
    }
    END { printf "%d %d %d\n", data / 1024, files / 1024, anonymous / 1024 }' "/proc/$1/smaps"
}

# heap_mb PID -> "committed used" MB of the Java heap, as jstat reads them from the JVM's perf data (no attach, so
# the idle service is left as it was)
heap_mb() {
  "$JSTAT" -gc "$1" | awk 'NR == 2 { printf "%d %d\n", ($1 + $2 + $5 + $7) / 1024, ($3 + $4 + $6 + $8) / 1024 }'
}

# measure SERVICE [VARIABLE=value...] -> the medians of: ready ms, first request ms, idle RSS MB, then where the
# time to ready went (JVM start, Micronaut start, the rest: ms) and what the idle RSS holds (class data, JDK files,
# anonymous, heap committed, heap used: MB); each run logged. The assignments are the services' environment (and
# run-local.sh's, e.g. POSTGRES_URL)
measure() {
  local service="$1" run runs
  local ready_ms=() first_ms=() rss=() jvm_ms=() micronaut_ms=() rest_ms=() data=() files=() anonymous=() heap=() used=()
  runs="$(mktemp -d "$state/$service-runs.XXXX")"
  trap stop_system EXIT # measure runs in a subshell (see main), whose exit the script's own trap does not see
  shift
  [[ $# -eq 0 ]] || local -x "$@" # for this function and the processes it starts
  export CDS_DIR="$state/$service/cds"
  [[ "${CDS:-on}" == off ]] || train "$service"
  # one start first, not counted: the shared stores have then answered this service's first requests, as a
  # cluster's long-running stores have before a pod starts (the MongoDB stand-in, a JVM, is slow while it is cold)
  start_system "$runs/uncounted" "$service"
  stop_system
  for ((run = 1; run <= RUNS; run++)); do
    local -x JAVA_OPTS="$JVM_FLAGS -Xlog:startuptime:file=$runs/$run.startuptime"
    start_system "$runs/$run" "$service"
    local pid
    pid="$(cat "$runs/$run/$service.pid")"
    ready_ms+=("$(cat "$runs/$run/$service.ready-ms")")
    first_ms+=("$(first_request_ms "$(service_url "$runs/$run" "$service")${FIRST_REQUEST[$service]}")")
    sleep "$IDLE_SECONDS" # the measurement itself: memory after this long idle
    rss+=("$(rss_mb "$pid")")
    read -r "data[run]" "files[run]" "anonymous[run]" < <(memory_by_kind "$pid") \
      || die "$service run $run: cannot read /proc/$pid/smaps (did the service exit? see $runs/$run/logs)"
    read -r "heap[run]" "used[run]" < <(heap_mb "$pid") || die "$service run $run: jstat cannot read the heap of $pid"
    stop_system
    jvm_ms+=("$(jvm_start_ms "$runs/$run.startuptime")")
    micronaut_ms+=("$(micronaut_start_ms "$runs/$run/logs/$service.log")")
    rest_ms+=("$((ready_ms[-1] - jvm_ms[-1] - micronaut_ms[-1]))")
    log "$service run $run: ready in ${ready_ms[-1]} ms (JVM ${jvm_ms[-1]}, Micronaut ${micronaut_ms[-1]}, rest ${rest_ms[-1]})," \
      "first request ${first_ms[-1]} ms, idle RSS ${rss[-1]} MB (class data ${data[run]}, JDK files ${files[run]}," \
      "anonymous ${anonymous[run]}, heap ${heap[run]} committed / ${used[run]} used)"
  done
  local column
  for column in ready_ms first_ms rss jvm_ms micronaut_ms rest_ms data files anonymous heap used; do
    local -n values="$column"
    printf '%s ' "$(median "${values[@]}")"
    unset -n values
  done
  printf '\n'
}

main() {
  local -a services=("$@")
  [[ ${#services[@]} -gt 0 ]] || services=("${ALL_SERVICES[@]}")
  local cds="a class-data-sharing archive (-XX:SharedArchiveFile) from one training run, as the images carry one"
  (( JAVA_MAJOR < 25 )) || cds="an ahead-of-time cache (-XX:AOTCache) from one training run, as images built on JDK 25 carry one"
  [[ "${CDS:-on}" != off ]] || cds="none (CDS=off)"
  local table="| service | ready ms (median) | first request ms (median) | idle RSS MB (median) |
|---|---|---|---|"
  local breakdown="| service | ready ms | JVM's start ms | Micronaut's start ms | the rest ms | idle RSS MB | class data MB | JDK files MB | anonymous MB | heap committed / used MB |
|---|---|---|---|---|---|---|---|---|---|"
  local service
  # add_rows LABEL -> the measure line on stdin, as a row of each table (main's table and breakdown)
  add_rows() {
    local ready first rss jvm micronaut rest data files anonymous heap used
    read -r ready first rss jvm micronaut rest data files anonymous heap used
    table+="
| $1 | $ready | $first | $rss |"
    breakdown+="
| $1 | $ready | $jvm | $micronaut | $rest | $rss | $data | $files | $anonymous | $heap / $used |"
  }
  start_stores
  for service in "${services[@]}"; do
    if [[ "$service" != addressbook ]]; then
      add_rows "$service" < <(measure "$service" "${STORE_URLS[@]}")
      continue
    fi
    add_rows addressbook < <(measure addressbook MIGRATE_ON_START=false "${STORE_URLS[@]}")
    add_rows "addressbook, as run locally (Flyway at start, a fresh database each run)" \
      < <(measure addressbook MIGRATE_ON_START=true)
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
    printf 'Machine: %s cores, %s. Each service alone, %s runs, on the start path the cluster takes: the stores\n' \
      "$(nproc)" "$(java -version 2>&1 | head -1)" "$RUNS"
    printf "already running, as a cluster's are (one set, embedded PostgreSQL and Redis and the in-memory MongoDB stand-in,\n"
    printf 'started before the runs and shared by them, and one uncounted start of each service before its runs);\n'
    printf 'addressbook with MIGRATE_ON_START=false, as its Deployment sets\n'
    printf 'it, on a database migrated once before the runs (`migrate`, as a release does; the local start, which migrates\n'
    printf 'against a fresh dev stack each run, is its own row); locale en_US, as in the images (no LANG); sava-cart\n'
    printf 'without its catalogue (the stub list).\n'
    printf 'ready = `java -jar` to the first 200 from /health/readiness (polled every 20 ms by bash itself: a curl per poll took\n'
    printf '~20 ms of CPU from the start it timed); first request = the\n'
    printf 'first route a user calls, sent once ready (within 100 ms); RSS after %s s idle.\n' \
      "$IDLE_SECONDS"
    printf 'Class data: %s. JVM flags: `%s`. Command: `bench/startup.sh %s`\n\n%s\n' \
      "$cds" "$JVM_FLAGS" "${services[*]}" "$table"
    printf '\n## Where the time to ready and the idle memory go\n\n'
    printf "Medians of each column on its own, so the parts need not add up exactly. JVM's start: \"Create VM\" from\n"
    printf "\`-Xlog:startuptime\` (mapping the class data, the JVM's own classes, before \`main\`). Micronaut's start: its\n"
    printf '"Startup completed in" (the application context and the HTTP server, from `main`). The rest: `java -jar` to\n'
    printf 'ready less the two, mostly the first request through the server (the readiness check) and the poll interval.\n'
    printf 'Memory from /proc/PID/smaps: class data = the mapped cache or archive (*.aot, *.jsa); JDK files = libjvm and\n'
    printf 'the other JDK libraries and modules file; anonymous = the heap, metaspace, thread stacks, compiled code and\n'
    printf 'malloc; heap = the Java heap committed and in use, read by `jstat -gc` (part of the anonymous memory).\n\n%s\n' \
      "$breakdown"
  } >"$report"
  cp "$report" "$BENCH_DIR/results/latest-startup$suffix.md"
  cat "$report"
  log "written $report and bench/results/latest-startup$suffix.md"
}

main "$@"
