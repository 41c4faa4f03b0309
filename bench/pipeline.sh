#!/usr/bin/env bash
# Event pipeline benchmark: eventservice (started as run-local.sh does) moving events from the Redis queue into the
# store. Two figures:
#   throughput  EVENTS record messages pushed at once; events/s until the store has them all
#   lag         RATE events/s pushed steadily for DURATION_S seconds (a batch every 100 ms); for each event, the
#               time from its push to the store counting it (micro_canary_events_stored_total, sampled every 20 ms);
#               p50 and p99 of that lag
#
#   bench/pipeline.sh                       EVENTS=100000 RATE=1000 DURATION_S=20
# Results: bench/results/<date>-<commit>-pipeline.md and a copy as bench/results/latest-pipeline.md.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EVENTS="${EVENTS:-100000}"
RATE="${RATE:-1000}"
DURATION_S="${DURATION_S:-20}"
EVENTSERVICE_URL="http://127.0.0.1:${EVENTSERVICE_PORT:-$(local_port eventservice)}"

ensure_tools redis-cli:redis-tools

work="$(mktemp -d)"
trap 'stop_system; rm -rf "$work"' EXIT
log "starting eventservice and the dev stack ..."
start_system "$work/system" eventservice
redis_port="$(sed -n "s/^REDIS_URI='redis:\/\/[^:]*:\([0-9]*\)'$/\1/p" "$work/system/dev-stack.env")"
[[ -n "$redis_port" ]] || die "no Redis port in dev-stack.env"

now_ms() { date +%s%3N; }
stored() { curl -fsS "$EVENTSERVICE_URL/prometheus" | awk '/^micro_canary_events_stored_total/ { printf "%d", $2 }'; }

# RPUSH commands in Redis's wire protocol for redis-cli --pipe: COUNT record messages with ids PREFIX-n.
messages() {
  local count="$1" prefix="$2" ts
  ts="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
  awk -v n="$count" -v prefix="$prefix" -v ts="$ts" 'BEGIN {
    for (i = 0; i < n; i++) {
      m = sprintf("{\"action\":\"record\",\"type\":\"page\",\"url\":\"/bench/%d\",\"id\":\"%s-%d\",\"ts\":\"%s\"}", i % 10, prefix, i, ts)
      printf "*3\r\n$5\r\nRPUSH\r\n$12\r\neventservice\r\n$%d\r\n%s\r\n", length(m), m
    }
  }'
}
push() { redis-cli -p "$redis_port" --pipe >/dev/null; }

wait_for_stored() {
  local target="$1" deadline=$((SECONDS + 300))
  while (( $(stored) < target )); do
    (( SECONDS < deadline )) || die "the store did not reach $target events within 300 s"
    sleep 0.02 # sampling interval, bounded by the deadline above
  done
}

# --- lag at a steady rate ---
base="$(stored)"
batch=$((RATE / 10)) batches=$((DURATION_S * 10))
log "lag: $RATE events/s for ${DURATION_S}s ($batches batches of $batch) ..."
: >"$work/stored.log"
( while :; do printf '%s %s\n' "$(now_ms)" "$(( $(stored) - base ))" >>"$work/stored.log"; sleep 0.02; done ) &
sampler=$!
start="$(now_ms)"
: >"$work/published.log"
for ((i = 1; i <= batches; i++)); do
  messages "$batch" "lag-$i" | push
  printf '%s %s\n' "$(now_ms)" "$((i * batch))" >>"$work/published.log"
  pause=$(( start + i * 100 - $(now_ms) ))
  (( pause > 0 )) && sleep "$(awk -v ms="$pause" 'BEGIN { printf "%.3f", ms / 1000 }')" # pacing the load
done
wait_for_stored $((base + batches * batch))
sleep 0.1 # one more sample after the last event was counted
kill "$sampler" 2>/dev/null || true
# for every 10th event: when it was pushed (published.log) and when the store had counted it (stored.log)
read -r lag_p50 lag_p99 < <(awk '
  FNR == NR { pt[++np] = $1; pc[np] = $2; next }
  { st[++ns] = $1; sc[ns] = $2 }
  END {
    total = pc[np]; i = 1; j = 1
    for (k = 1; k <= total; k += 10) {
      while (pc[i] < k) i++
      while (j < ns && sc[j] < k) j++
      lag = st[j] - pt[i]; print (lag < 0 ? 0 : lag)
    }
  }' "$work/published.log" "$work/stored.log" | sort -n \
  | awk '{ a[NR] = $1 } END { printf "%d %d\n", a[int(NR * 0.5) + 1], a[int(NR * 0.99) + 1] }')
log "lag: p50 ${lag_p50} ms, p99 ${lag_p99} ms"

# --- throughput ---
log "throughput: $EVENTS events pushed at once ..."
messages "$EVENTS" "burst" >"$work/burst.resp"
base="$(stored)"
t0="$(now_ms)"
push <"$work/burst.resp"
t_pushed="$(now_ms)"
wait_for_stored $((base + EVENTS))
t1="$(now_ms)"
rate=$(( EVENTS * 1000 / (t1 - t0) ))
log "throughput: $rate events/s ($EVENTS in $((t1 - t0)) ms; pushing took $((t_pushed - t0)) ms)"

date="$(date -u +%Y-%m-%d)" commit="$(git -C "$ROOT" rev-parse --short=7 HEAD)"
report="$BENCH_DIR/results/$date-$commit-pipeline.md"
mkdir -p "$BENCH_DIR/results"
# shellcheck disable=SC2016 # the backquotes are Markdown code
{
  printf '# Event pipeline %s (commit %s)\n\n' "$date" "$commit"
  printf 'Machine: %s cores, %s. eventservice as run-local.sh starts it (embedded Redis, in-process MongoDB wire\n' \
    "$(nproc)" "$(java -version 2>&1 | head -1)"
  printf 'server), default batch size. Command: `bench/pipeline.sh` (EVENTS=%s RATE=%s DURATION_S=%s).\n\n' \
    "$EVENTS" "$RATE" "$DURATION_S"
  printf '| measure | figure |\n|---|---|\n'
  printf '| throughput, %s events queued at once | %s events/s |\n' "$EVENTS" "$rate"
  printf '| queue-to-store lag at %s events/s for %s s, p50 | %s ms |\n' "$RATE" "$DURATION_S" "$lag_p50"
  printf '| queue-to-store lag at %s events/s for %s s, p99 | %s ms |\n' "$RATE" "$DURATION_S" "$lag_p99"
} >"$report"
cp "$report" "$BENCH_DIR/results/latest-pipeline.md"
cat "$report"
