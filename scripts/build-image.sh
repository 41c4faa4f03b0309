#!/usr/bin/env bash
# Builds one service's image from the root Dockerfile and tags it micro-canary/<service>:<tag> (scripts/image-tag.sh:
# <version>-<commit>, with -dirty-<hash> for uncommitted changes), and records it as the service's image to deploy
# (scripts/render.sh).
#   scripts/build-image.sh <service>
# MINIKUBE=1 loads it into minikube; REGISTRY=host/path also tags and pushes it there; BASE_IMAGE picks the Java
# runtime image (default eclipse-temurin:25-jre); SKIP_JAR_BUILD=1 uses the jar as it is. Prints the image
# reference on stdout.
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

service="${1:?usage: scripts/build-image.sh <service>}"
require_service "$service"
require docker "install Docker (https://docs.docker.com/engine/install/)"

if [[ "${SKIP_JAR_BUILD:-0}" != 1 ]] && jar_is_stale "$service"; then
  log "building $service's jar"
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests -pl "$service" -am)
fi

image="micro-canary/$service:$(image_tag)"
main_class="$(sed -n 's:.*<exec.mainClass>\(.*\)</exec.mainClass>.*:\1:p' "$ROOT/$service/pom.xml")"
[[ -n "$main_class" ]] || die "no exec.mainClass in $service/pom.xml"
log "building $image"
docker build --file "$ROOT/Dockerfile" --build-arg SERVICE="$service" --build-arg PORT="$(container_port "$service")" \
  --build-arg MAIN_CLASS="$main_class" --build-arg BASE_IMAGE="${BASE_IMAGE:-eclipse-temurin:25-jre}" --tag "$image" \
  "$ROOT" >&2

if [[ "${MINIKUBE:-0}" == 1 ]]; then
  require minikube "see https://minikube.sigs.k8s.io/docs/start/"
  log "loading $image into minikube"
  minikube image load "$image" >&2
fi
if [[ -n "${REGISTRY:-}" ]]; then
  log "pushing $REGISTRY/$image"
  docker tag "$image" "$REGISTRY/$image"
  docker push "$REGISTRY/$image" >&2
  image="$REGISTRY/$image"
fi
record_image "$service" "$image"
printf '%s\n' "$image"
