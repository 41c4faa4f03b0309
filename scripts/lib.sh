#!/usr/bin/env bash
# Shared by the scripts in this folder: logging, failing, and the services with their container ports.
# shellcheck disable=SC2034 # used by the scripts that source this file

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=0.1.0
NAMESPACE="${NAMESPACE:-micro-canary}"
# The canary harness and the report CLI (the script tests point these at recorded fakes).
CANARY="${CANARY:-$ROOT/deployer/canary}"
REPORT="${REPORT:-$ROOT/report/report}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# module -> container port (the README's services table); the Deployments in k8s/base say the same
declare -A CONTAINER_PORT=([addressbook]=3000 [sava-product]=8080 [sava-cart]=3000 [adderservice]=8080
  [auditservice]=8081 [eventservice]=8082 [webapp]=3000)
SERVICES=(addressbook sava-product sava-cart adderservice auditservice eventservice webapp)

# The Deployments a module runs as (sava-cart runs once per locale).
deployments_of() {
  case "$1" in
    sava-cart) printf '%s\n' sava-cart-ie sava-cart-uk ;;
    *) printf '%s\n' "$1" ;;
  esac
}

# An explicit tag: the version and the commit, never "latest" (a canary needs to tell releases apart).
image_tag() { printf '%s-%s' "$VERSION" "$(git -C "$ROOT" rev-parse --short=7 HEAD)"; }

require() {
  local tool="$1" hint="$2"
  command -v "$tool" >/dev/null || die "$tool is not installed: $hint"
}

# The images' Java runtime, made once per machine with jlink from this JDK (nothing pulled): the modules the
# services use, a class-data-sharing base archive, and the C libraries the JRE links, laid out as an image's root
# filesystem in $JRE_RUNTIME. Used as the Jib images' base and for the local Docker base image.
JRE_RUNTIME="$ROOT/.run-local/jib-runtime"
JRE_MODULES=java.base,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http
JRE_MODULES+=,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa
JRE_MODULES+=,java.xml,jdk.crypto.ec,jdk.jfr,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported
JRE_MODULES+=,jdk.zipfs

jre_runtime() {
  local recipe="$JRE_MODULES --generate-cds-archive"
  [[ -x "$JRE_RUNTIME/opt/java/bin/java" && "$(cat "$JRE_RUNTIME/.recipe" 2>/dev/null)" == "$recipe" ]] && return 0
  require jlink "install a full JDK 17 (Debian: openjdk-17-jdk-headless)"
  log "making the images' JRE with jlink into $JRE_RUNTIME"
  rm -rf "$JRE_RUNTIME"
  mkdir -p "$JRE_RUNTIME/opt" "$JRE_RUNTIME/tmp"
  jlink --add-modules "$JRE_MODULES" --generate-cds-archive --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$JRE_RUNTIME/opt/java"
  local programs=()
  mapfile -t programs < <(find "$JRE_RUNTIME/opt/java" -type f \( -name java -o -name '*.so' \))
  copy_libraries "$JRE_RUNTIME" "${programs[@]}"
  printf '%s' "$recipe" >"$JRE_RUNTIME/.recipe"
}

# Copies into the root filesystem $1 the host's C libraries, and the loader, that the programs after it link.
copy_libraries() {
  local root="$1" library
  shift
  while read -r library; do
    cp --parents -L "$library" "$root"
  done < <(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' \
    | grep -v "^$root/" | sort -u)
}

# A static busybox gives the images made here a shell (Debian: busybox-static).
BUSYBOX="${BUSYBOX:-/bin/busybox}"
require_busybox() {
  [[ -x "$BUSYBOX" ]] || die "no static busybox at $BUSYBOX (Debian: apt-get install busybox-static)"
}
