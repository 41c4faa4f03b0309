#!/usr/bin/env bash
# The verbs of every <service>/build.sh, in one place:
#   container  build and tag the image (MINIKUBE=1: load into minikube; REGISTRY: push)
#   deploy     apply the service's manifests with the image last built for it (scripts/render.sh: the minikube
#              overlay, only this service's objects)
#   canary     build this tree's image (loaded into minikube when kubectl's context is minikube, as ./minikube.sh
#              up does) and start it as a canary through the harness (deployer/canary)
#   promote | rollback   finish the release through the harness
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

case "$verb" in
  container) "$ROOT/scripts/build-image.sh" "$service" ;;
  deploy)
    require kubectl "see https://kubernetes.io/docs/tasks/tools/"
    "$ROOT/scripts/k8s-secrets.sh"
    selector="app in ($(deployments_of "$service" | paste -sd, -))"
    manifests="$("$ROOT/scripts/render.sh" "$service")"
    log "applying $service ($selector) from k8s/overlays/minikube with $(built_image "$service")"
    printf '%s\n' "$manifests" | kubectl apply -f - -l "$selector"
    ;;
  canary)
    if [[ -z "${MINIKUBE:-}" ]] && [[ "$(kubectl config current-context 2>/dev/null || true)" == minikube ]]; then
      export MINIKUBE=1
    fi
    image="$("$ROOT/scripts/build-image.sh" "$service" | tail -1)"
    harness start "$service" --image "$image"
    ;;
  promote) harness promote "$service" ;;
  rollback) harness abort "$service" ;;
  *) usage "$service" ;;
esac
