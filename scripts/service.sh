#!/usr/bin/env bash
# The verbs of every <service>/build.sh, in one place:
#   container  build and tag the image (MINIKUBE=1: load into minikube; REGISTRY: push)
#   deploy     apply the service's manifests (the minikube overlay, only this service's objects)
#   canary | promote | rollback   release through the canary harness (deployer/canary)
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  printf 'usage: %s/build.sh container|deploy|canary|promote|rollback\n' "$1" >&2
  exit 1
}

service="${1:?usage: scripts/service.sh <service> <verb>}"
verb="${2:-}"

canary_harness() {
  local deployment
  while read -r deployment; do
    "$CANARY" -n "$NAMESPACE" "$@" "$deployment"
  done < <(deployments_of "$service")
}

case "$verb" in
  container) "$ROOT/scripts/build-image.sh" "$service" ;;
  deploy)
    require kubectl "see https://kubernetes.io/docs/tasks/tools/"
    "$ROOT/scripts/k8s-secrets.sh"
    selector="app in ($(deployments_of "$service" | paste -sd, -))"
    log "applying $service ($selector) from k8s/overlays/minikube"
    kubectl apply -k "$ROOT/k8s/overlays/minikube" -l "$selector"
    ;;
  canary)
    "$ROOT/scripts/build-image.sh" "$service" >/dev/null
    canary_harness start --image "micro-canary/$service:$(image_tag)"
    ;;
  promote) canary_harness promote ;;
  rollback) canary_harness abort ;;
  *) usage "$service" ;;
esac
