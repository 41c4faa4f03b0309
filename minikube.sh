#!/usr/bin/env bash
# From nothing to the whole system on minikube, and back:
#   ./minikube.sh up        start minikube (--cpus 2 --memory 4g) if needed, build every image into it, deploy the
#                           stores and every service (stable), wait for each, print the URLs
#   ./minikube.sh status    pods, services and the URLs
#   ./minikube.sh down      delete the micro-canary namespace (minikube keeps running)
#   ./minikube.sh destroy   delete the minikube cluster
# Canary releases: see deployer/ (./minikube.sh canary|promote|rollback <service> once the harness is built).
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

# Renders the minikube overlay with this commit's image tags: a kustomization of its own that sets `images:`
# (kustomize's field for tags), rather than editing any manifest text.
render() {
  local tag="$1" dir
  dir="$(mktemp -d)"
  {
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - %s\nimages:\n' \
      "$(realpath --relative-to="$dir" "$ROOT/k8s/overlays/minikube")"
    local service
    for service in "${SERVICES[@]}"; do
      printf '  - name: micro-canary/%s\n    newTag: "%s"\n' "$service" "$tag"
    done
  } >"$dir/kustomization.yaml"
  kubectl kustomize --load-restrictor LoadRestrictionsNone "$dir"
  rm -rf "$dir"
}

up() {
  check_prerequisites
  ensure_minikube
  local service tag
  tag="$(image_tag)"
  for service in "${SERVICES[@]}"; do
    log "image $service:$tag"
    MINIKUBE=1 "$ROOT/scripts/build-image.sh" "$service" >/dev/null
  done
  "$ROOT/scripts/k8s-secrets.sh"
  log "applying the stores and every service (namespace $NAMESPACE)"
  render "$tag" | kubectl apply -f -
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

status() {
  require kubectl "install it: https://kubernetes.io/docs/tasks/tools/"
  kubectl -n "$NAMESPACE" get deployments,statefulsets,pods,services
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

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  destroy) destroy ;;
  *)
    printf 'usage: ./minikube.sh up|status|down|destroy\n' >&2
    exit 2
    ;;
esac
