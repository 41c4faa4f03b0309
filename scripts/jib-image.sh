#!/usr/bin/env bash
# Builds service images without a Docker daemon, with Jib, into <service>/target/jib-image.tar (load it with
# `docker load -i` or `minikube image load`); with REGISTRY=host/path, pushes there instead (jib:build).
#   scripts/jib-image.sh <service> [<service>...]
# The base is an empty image plus, once per machine, a JRE made with jlink from this JDK and the C libraries it
# links (.run-local/jib-runtime), so nothing is pulled. The image runs as uid 10001 with the flags of jvm.options.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 1 ]] || die "usage: scripts/jib-image.sh <service> [<service>...]"
jre_runtime
mkdir -p "$JRE_RUNTIME/app"
cp "$ROOT/jvm.options" "$JRE_RUNTIME/app/jvm.options"
for service in "$@"; do
  require_service "$service"
done
goal=buildTar registry=""
if [[ -n "${REGISTRY:-}" ]]; then
  goal=build registry="$REGISTRY/"
fi
tag="$(image_tag)"
log "building $* with Jib ($goal), tag $tag"
# one reactor: -am builds what the services need; Jib itself runs on services only (jib.skip)
(cd "$ROOT" && ./mvnw -q -B package "com.google.cloud.tools:jib-maven-plugin:$goal" -DskipTests \
  -pl "$(IFS=,; printf '%s' "$*")" -am -Dimage.tag="$tag" -Dimage.registry="$registry") >&2
for service in "$@"; do
  record_image "$service" "${registry}micro-canary/$service:$tag"
  printf '%smicro-canary/%s:%s %s\n' "$registry" "$service" "$tag" "$ROOT/$service/target/jib-image.tar"
done
