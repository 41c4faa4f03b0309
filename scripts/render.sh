#!/usr/bin/env bash
# Prints a kustomization rendered with the images that were built here, so that nothing deploys a tag nothing built:
#   scripts/render.sh [--overlay k8s/overlays/<name>] [<service>...]
# Each service's image is the one scripts/build-image.sh (or jib-image.sh) last built and recorded for it; the
# services named (default: all) must have one, or this fails and says how to build it. It sets kustomize's
# `images:` in a kustomization of its own beside the overlay (a temporary directory, removed however this ends)
# rather than editing any manifest: applied raw, the overlays carry the placeholder tag 0.1.0, which nothing builds.
# Everything lands in the namespace $NAMESPACE (default micro-canary; the Namespace object is renamed with it), set
# by the same generated kustomization, so that NAMESPACE=team-a ./minikube.sh up applies where it then waits.
# Writes the secrets' files first (scripts/k8s-secrets.sh).
#   scripts/render.sh | kubectl apply -f -
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

overlay=k8s/overlays/minikube
if [[ "${1:-}" == --overlay ]]; then
  overlay="${2:?usage: scripts/render.sh [--overlay k8s/overlays/<name>] [<service>...]}"
  shift 2
fi
overlay="${overlay%/}"
[[ -f "$ROOT/$overlay/kustomization.yaml" ]] || die "no kustomization in $ROOT/$overlay"
[[ "$NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] \
  || die "NAMESPACE '$NAMESPACE' is not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63)"
required=("$@")
[[ ${#required[@]} -gt 0 ]] || required=("${SERVICES[@]}")
for service in "${required[@]}"; do
  require_service "$service"
  [[ -n "$(built_image "$service")" ]] || die "no image of $service has been built here: run $service/build.sh container (or ./minikube.sh up)"
done

# the secret generators' files (random, written once)
"$ROOT/scripts/k8s-secrets.sh"
# inside the checkout (in the git-ignored .run-local), so that the overlay's relative path is known without realpath
mkdir -p "$ROOT/.run-local"
dir="$(mktemp -d "$ROOT/.run-local/render.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
{
  printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: %s\nresources:\n  - ../../%s\nimages:\n' \
    "$NAMESPACE" "$overlay"
  for service in "${SERVICES[@]}"; do
    image="$(built_image "$service")"
    [[ -n "$image" ]] || continue
    printf '  - name: micro-canary/%s\n    newName: %s\n    newTag: "%s"\n' "$service" "${image%:*}" "${image##*:}"
    # an overlay that already names the registry's image (k8s/components/private-registry): its tag too
    if [[ "${image%:*}" != "micro-canary/$service" ]]; then
      printf '  - name: %s\n    newTag: "%s"\n' "${image%:*}" "${image##*:}"
    fi
  done
} >"$dir/kustomization.yaml"
manifests="$(kubectl kustomize "$dir")"
for service in "${required[@]}"; do
  image="$(built_image "$service")"
  grep -qF "image: $image" <<<"$manifests" \
    || die "the overlay $overlay does not name $service's image as it was built ($image): build with the REGISTRY its images: name"
done
printf '%s\n' "$manifests"
