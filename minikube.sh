#!/usr/bin/env bash
# From nothing to the whole system on minikube, and back:
#   ./minikube.sh up        start minikube (--cpus 2 --memory 4g) if needed (a running one must have the CPUs and
#                           memory a promote needs), build every image into it, deploy the stores and every service
#                           (stable), wait for each, print the URLs
#   ./minikube.sh forward   reach the front end from this machine: kubectl port-forward on 127.0.0.1 (webapp 3000,
#                           sava-cart-ie 3002, sava-cart-uk 3003; WEBAPP_PORT... move them) until Ctrl-C
#   ./minikube.sh canary <service> [--bad]
#                           build this commit's image of <service> and release it as a canary beside stable, with
#                           smoke checks (--bad: sava-product with FAULT_ERROR_RATE=0.3 in the canary, analysed
#                           under store traffic and aborted by the harness)
#   ./minikube.sh promote <service>    the canary becomes the new stable
#   ./minikube.sh rollback <service>   delete the canary; stable back at full strength
#   ./minikube.sh status    pods, services, and each service's stable/canary split
#   ./minikube.sh report    URL counts of the micro system (the report CLI through a port-forward to Redis)
#   ./minikube.sh down      delete the namespace (minikube keeps running)
#   ./minikube.sh destroy   delete the minikube cluster
# NAMESPACE (default micro-canary) is where every command works: up renders the manifests into it
# (scripts/render.sh), and every kubectl and harness call names it.
# Every step is announced and safe to repeat. DEBUG=1 traces every command. Runs with macOS's bash 3.2 and BSD tools.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scripts/lib.sh"

MINIKUBE_CPUS="${MINIKUBE_CPUS:-2}"
MINIKUBE_MEMORY="${MINIKUBE_MEMORY:-4g}"
ROLLOUT_TIMEOUT="${ROLLOUT_TIMEOUT:-300s}"

check_prerequisites() {
  require minikube "install it: https://minikube.sigs.k8s.io/docs/start/"
  require kubectl "install it: https://kubernetes.io/docs/tasks/tools/"
  require docker "install Docker: images are built on the host, then loaded into minikube"
  require java "install a JDK 17+: the services' jars are built with ./mvnw"
}

ensure_minikube() {
  if minikube status >/dev/null 2>&1; then
    log "minikube is running"
    [[ "${SKIP_CAPACITY_CHECK:-0}" == 1 ]] || check_capacity
  else
    log "starting minikube (--cpus $MINIKUBE_CPUS --memory $MINIKUBE_MEMORY)"
    minikube start --cpus "$MINIKUBE_CPUS" --memory "$MINIKUBE_MEMORY"
  fi
}

# What the system requests during a promote: every pod of the minikube overlay, plus a surge pod and a canary pod
# (RenderingTest keeps these figures at least what the rendered manifests request), plus what Kubernetes' own pods
# on minikube request (API server, controller manager, scheduler, etcd, CoreDNS).
SYSTEM_MILLICPU=800
SYSTEM_MEMORY_MI=3328
KUBERNETES_MILLICPU=750
KUBERNETES_MEMORY_MI=170

# A running minikube keeps the CPUs and memory it was started with: say so now, rather than leave pods Pending.
check_capacity() {
  local cpu memory millicpu=0 memory_mi=0
  while read -r cpu memory; do
    [[ -n "$cpu" ]] || continue
    case "$cpu" in
      *m) millicpu=$((millicpu + ${cpu%m})) ;;
      *) millicpu=$((millicpu + cpu * 1000)) ;;
    esac
    case "$memory" in
      *Ki) memory_mi=$((memory_mi + ${memory%Ki} / 1024)) ;;
      *Mi) memory_mi=$((memory_mi + ${memory%Mi})) ;;
      *Gi) memory_mi=$((memory_mi + ${memory%Gi} * 1024)) ;;
      *) memory_mi=$((memory_mi + memory / 1048576)) ;;
    esac
  done < <(kubectl get nodes -o jsonpath='{range .items[*]}{.status.allocatable.cpu} {.status.allocatable.memory}{"\n"}{end}')
  local need_cpu=$((SYSTEM_MILLICPU + KUBERNETES_MILLICPU)) need_memory=$((SYSTEM_MEMORY_MI + KUBERNETES_MEMORY_MI))
  if ((millicpu < need_cpu || memory_mi < need_memory)); then
    die "the running minikube has ${millicpu}m CPU and ${memory_mi}Mi memory allocatable; a promote needs ${need_cpu}m and ${need_memory}Mi (surge and canary included): recreate it with 'minikube delete && ./minikube.sh up' (MINIKUBE_CPUS=$MINIKUBE_CPUS MINIKUBE_MEMORY=$MINIKUBE_MEMORY), or SKIP_CAPACITY_CHECK=1 to try anyway"
  fi
  log "minikube has ${millicpu}m CPU and ${memory_mi}Mi memory allocatable (a promote needs ${need_cpu}m, ${need_memory}Mi)"
}

up() {
  check_prerequisites
  ensure_minikube
  local service image manifests
  log "building every image, tagged $(image_tag), into minikube"
  for service in "${SERVICES[@]}"; do
    image="$(MINIKUBE=1 "$ROOT/scripts/build-image.sh" "$service" | tail -1)"
    log "image $image"
  done
  "$ROOT/scripts/k8s-secrets.sh"
  log "applying the stores and every service (namespace $NAMESPACE)"
  # rendered first, so that a failed render applies nothing; with the images just built (scripts/render.sh)
  manifests="$("$ROOT/scripts/render.sh")"
  printf '%s\n' "$manifests" | kubectl apply -f -
  local store
  for store in postgres mongo redis; do
    log "waiting for $store (up to $ROLLOUT_TIMEOUT)"
    kubectl -n "$NAMESPACE" rollout status "statefulset/$store" --timeout="$ROLLOUT_TIMEOUT"
  done
  log "migrating the addressbook schema"
  kubectl -n "$NAMESPACE" rollout status deployment/addressbook --timeout="$ROLLOUT_TIMEOUT"
  # a second JVM inside the service's pod, launched as both image recipes launch the service: keep its heap small
  kubectl -n "$NAMESPACE" exec deployment/addressbook -- "${ADDRESSBOOK_COMMAND[@]}" migrate
  local deployment
  for service in "${SERVICES[@]}"; do
    while read -r deployment; do
      log "waiting for $deployment (up to $ROLLOUT_TIMEOUT)"
      kubectl -n "$NAMESPACE" rollout status "deployment/$deployment" --timeout="$ROLLOUT_TIMEOUT"
    done < <(deployments_of "$service")
  done
  urls
}

# The front end from this machine: kubectl port-forward on 127.0.0.1, which works with every minikube driver
# (`minikube service --url` holds a tunnel in the foreground with the Docker driver on macOS and Windows).
front_ends() {
  printf '%s\n' "webapp ${WEBAPP_PORT:-$(local_port webapp)} $(service_port webapp)" \
    "sava-cart-ie ${SAVA_CART_IE_PORT:-$(local_port sava-cart-ie)} $(service_port sava-cart-ie)" \
    "sava-cart-uk ${SAVA_CART_UK_PORT:-$(local_port sava-cart-uk)} $(service_port sava-cart-uk)"
}

urls() {
  log "the system is up:"
  local service port target
  while read -r service port target; do
    printf '  %-13s http://127.0.0.1:%s   (while ./minikube.sh forward runs)\n' "$service" "$port"
  done < <(front_ends)
}

# The port-forwards this script started, stopped however it ends.
FORWARDS=""
stop_forwards() {
  local pid
  for pid in $FORWARDS; do
    kill "$pid" 2>/dev/null || true
  done
  FORWARDS=""
}
trap stop_forwards EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_forward <service> <local port> <service port>: starts kubectl port-forward and waits until it answers (10 s).
port_forward() {
  local service="$1" port="$2" target="$3" i
  kubectl -n "$NAMESPACE" port-forward "svc/$service" "$port:$target" </dev/null >/dev/null &
  FORWARDS="$FORWARDS $!"
  for ((i = 0; i < 50; i++)); do
    answers "$port" && return 0
    sleep 0.2
  done
  answers "$port"
}

forward() {
  require kubectl "install it: https://kubernetes.io/docs/tasks/tools/"
  local service port target
  while read -r service port target; do
    port_forward "$service" "$port" "$target" \
      || die "could not reach $service through kubectl port-forward on 127.0.0.1:$port"
    printf '  %-13s http://127.0.0.1:%s\n' "$service" "$port"
  done < <(front_ends)
  log "forwarding until Ctrl-C"
  wait
}

canary() {
  local service="$1" bad="${2:-}" image
  check_prerequisites
  require_service "$service"
  image="$(MINIKUBE=1 "$ROOT/scripts/build-image.sh" "$service" | tail -1)"
  log "image $image"
  if [[ -z "$bad" ]]; then
    harness start "$service" --image "$image"
    return
  fi
  [[ "$bad" == --bad && "$service" == sava-product ]] || die "--bad releases sava-product only"
  log "releasing sava-product with FAULT_ERROR_RATE=0.3 in the canary; analysis should abort it"
  store_traffic &
  local traffic=$!
  local outcome=0
  "$CANARY" -n "$NAMESPACE" start sava-product --image "$image" --env FAULT_ERROR_RATE=0.3 --auto --window "${ANALYSIS_WINDOW:-60s}" \
    || outcome=$?
  kill "$traffic" 2>/dev/null || true
  [[ $outcome -eq 1 ]] || die "the bad release was not aborted (canary exit code $outcome)"
  log "as expected: the analysis caught the bad release and the canary was aborted; stable kept serving"
}

# Store pages for the analysis window, so that the canary catalogue gets requests to judge: bounded in count, through
# a port-forward of its own (stopped when this ends).
store_traffic() {
  # run in the background: its own traps, so that its port-forward stops with it
  trap stop_forwards EXIT
  trap 'exit 143' TERM
  local port="${TRAFFIC_PORT:-13002}" i
  port_forward sava-cart-ie "$port" 80 || log "no answer through the port-forward to sava-cart-ie yet; sending anyway"
  for ((i = 0; i < ${TRAFFIC_REQUESTS:-1500}; i++)); do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" || true
    sleep 0.05
  done
}

status() {
  require kubectl "install it: https://kubernetes.io/docs/tasks/tools/"
  kubectl -n "$NAMESPACE" get deployments,statefulsets,pods,services
  "$CANARY" -n "$NAMESPACE" status
}

report() {
  require kubectl "install it: https://kubernetes.io/docs/tasks/tools/"
  local port="${REPORT_PORT:-16379}"
  if ! port_forward redis "$port" 6379; then
    printf 'error: could not reach Redis through kubectl port-forward on 127.0.0.1:%s\n' "$port" >&2
    return 1
  fi
  # Redis requires the password of the Secret redis: the one scripts/k8s-secrets.sh wrote for up (REDIS_SECRET_FILE
  # moves it; a REDIS_PASSWORD already set wins). Handed over in the environment, never on a command line.
  local secret="${REDIS_SECRET_FILE:-$ROOT/infrastructure/k8s/secrets/redis.env}" password="${REDIS_PASSWORD:-}"
  if [[ -z "$password" ]]; then
    [[ -r "$secret" ]] || die "no $secret: Redis requires the password ./minikube.sh up wrote there (or set REDIS_PASSWORD)"
    password="$(sed -n 's/^password=//p' "$secret")"
    [[ -n "$password" ]] || die "$secret has no password= line (scripts/k8s-secrets.sh writes it)"
  fi
  REDIS_PASSWORD="$password" "$REPORT" --redis-url "redis://127.0.0.1:$port" "$@"
}

down() {
  require kubectl "install it: https://kubernetes.io/docs/tasks/tools/"
  log "deleting namespace $NAMESPACE"
  kubectl delete namespace "$NAMESPACE" --ignore-not-found --wait=true
}

destroy() {
  require minikube "install it: https://minikube.sigs.k8s.io/docs/start/"
  log "deleting the minikube cluster"
  minikube delete
}

usage() {
  printf 'usage: ./minikube.sh up | forward | canary <service> [--bad] | promote <service> | rollback <service> | status | report | down | destroy\n' >&2
  exit 2
}

command="${1:-}"
[[ $# -gt 0 ]] && shift
case "$command" in
  up) up ;;
  forward) forward ;;
  canary) [[ $# -ge 1 ]] || usage; canary "$@" ;;
  promote) [[ $# -eq 1 ]] || usage; harness promote "$1" ;;
  rollback) [[ $# -eq 1 ]] || usage; harness abort "$1" ;;
  status) status ;;
  report) report "$@" ;;
  down) down ;;
  destroy) destroy ;;
  *) usage ;;
esac
