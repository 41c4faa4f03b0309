#!/usr/bin/env bash
# From nothing to the whole system on minikube, and back:
#   ./minikube.sh up        start minikube (--cpus 2 --memory 4g) if needed, build every image into it, deploy the
#                           stores and every service (stable), wait for each, print the URLs
#   ./minikube.sh canary <service> [--bad]
#                           build this commit's image of <service> and release it as a canary beside stable, with
#                           smoke checks (--bad: sava-product with FAULT_ERROR_RATE=0.3 in the canary, analysed
#                           under store traffic and aborted by the harness)
#   ./minikube.sh promote <service>    the canary becomes the new stable
#   ./minikube.sh rollback <service>   delete the canary; stable back at full strength
#   ./minikube.sh status    pods, services, and each service's stable/canary split
#   ./minikube.sh report    URL counts of the micro system (the report CLI through a port-forward to Redis)
#   ./minikube.sh down      delete the micro-canary namespace (minikube keeps running)
#   ./minikube.sh destroy   delete the minikube cluster
# Every step is announced and safe to repeat. DEBUG=1 traces every command.
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
  else
    log "starting minikube (--cpus $MINIKUBE_CPUS --memory $MINIKUBE_MEMORY)"
    minikube start --cpus "$MINIKUBE_CPUS" --memory "$MINIKUBE_MEMORY"
  fi
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
  # a second JVM inside the service's 256Mi pod: keep its heap small
  kubectl -n "$NAMESPACE" exec deployment/addressbook -- java -Xmx64m -XX:TieredStopAtLevel=1 -jar /app/app.jar migrate
  local deployment
  for service in "${SERVICES[@]}"; do
    while read -r deployment; do
      log "waiting for $deployment (up to $ROLLOUT_TIMEOUT)"
      kubectl -n "$NAMESPACE" rollout status "deployment/$deployment" --timeout="$ROLLOUT_TIMEOUT"
    done < <(deployments_of "$service")
  done
  urls
}

urls() {
  log "the system is up:"
  local service
  for service in webapp sava-cart-ie sava-cart-uk; do
    printf '  %-13s %s\n' "$service" "$(minikube service "$service" -n "$NAMESPACE" --url | head -1)"
  done
}

# The harness once per Deployment of a module (sava-cart runs one per locale).
harness() {
  local verb="$1" service="$2" deployment
  shift 2
  while read -r deployment; do
    "$CANARY" -n "$NAMESPACE" "$verb" "$deployment" "$@"
  done < <(deployments_of "$service")
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

# Store pages for the analysis window, so that the canary catalogue gets requests to judge: bounded in count.
store_traffic() {
  local url i
  url="$(minikube service sava-cart-ie -n "$NAMESPACE" --url | head -1)"
  for ((i = 0; i < ${TRAFFIC_REQUESTS:-1500}; i++)); do
    curl -s -o /dev/null --max-time 2 "$url/" || true
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
  local port="${REPORT_PORT:-16379}" i
  kubectl -n "$NAMESPACE" port-forward svc/redis "$port:6379" >/dev/null &
  local forward=$!
  for ((i = 0; i < 50; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.2
  done
  local outcome=0
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    "$REPORT" --redis-url "redis://127.0.0.1:$port" "$@" || outcome=$?
  else
    printf 'error: could not reach Redis through kubectl port-forward on 127.0.0.1:%s\n' "$port" >&2
    outcome=1
  fi
  kill "$forward" 2>/dev/null || true
  return "$outcome"
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
  printf 'usage: ./minikube.sh up | canary <service> [--bad] | promote <service> | rollback <service> | status | report | down | destroy\n' >&2
  exit 2
}

command="${1:-}"
[[ $# -gt 0 ]] && shift
case "$command" in
  up) up ;;
  canary) [[ $# -ge 1 ]] || usage; canary "$@" ;;
  promote) [[ $# -eq 1 ]] || usage; harness promote "$1" ;;
  rollback) [[ $# -eq 1 ]] || usage; harness abort "$1" ;;
  status) status ;;
  report) report "$@" ;;
  down) down ;;
  destroy) destroy ;;
  *) usage ;;
esac
