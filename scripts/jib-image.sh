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
RUNTIME="$ROOT/.run-local/jib-runtime"
# what the services use at run time (Netty, Micrometer's JFR metrics, JDBC, JMX, locale data for the stores' prices)
MODULES=java.base,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs
MODULES+=,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec
MODULES+=,jdk.jfr,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

runtime() {
  if [[ ! -x "$RUNTIME/opt/java/bin/java" ]]; then
    require jlink "install a full JDK 17 (Debian: openjdk-17-jdk-headless)"
    log "making the images' JRE with jlink (once) into $RUNTIME"
    rm -rf "$RUNTIME"
    mkdir -p "$RUNTIME/opt" "$RUNTIME/tmp"
    jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
      --output "$RUNTIME/opt/java"
    local library
    while read -r library; do
      cp --parents -L "$library" "$RUNTIME"
    done < <(find "$RUNTIME/opt/java" -type f \( -name java -o -name '*.so' \) -exec ldd {} + 2>/dev/null \
      | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | grep -v "^$RUNTIME/" | sort -u)
  fi
  mkdir -p "$RUNTIME/app"
  cp "$ROOT/jvm.options" "$RUNTIME/app/jvm.options"
}

runtime
for service in "$@"; do
  [[ -n "${CONTAINER_PORT[$service]:-}" ]] || die "unknown service '$service' (one of: ${SERVICES[*]})"
done
goal=buildTar registry=""
if [[ -n "${REGISTRY:-}" ]]; then
  goal=build registry="$REGISTRY/"
fi
log "building $* with Jib ($goal)"
# one reactor: -am builds what the services need; Jib itself runs on services only (jib.skip)
(cd "$ROOT" && ./mvnw -q -B package "com.google.cloud.tools:jib-maven-plugin:$goal" -DskipTests \
  -pl "$(IFS=,; printf '%s' "$*")" -am -Dimage.tag="$(image_tag)" -Dimage.registry="$registry") >&2
for service in "$@"; do
  printf '%smicro-canary/%s:%s %s\n' "$registry" "$service" "$(image_tag)" "$ROOT/$service/target/jib-image.tar"
done
