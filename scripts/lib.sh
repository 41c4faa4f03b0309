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

SERVICES=(addressbook sava-product sava-cart adderservice auditservice eventservice webapp)

# module -> container port (the README's services table; the Deployments in k8s/base say the same); fails for anything else. A
# function, not an associative array: minikube.sh runs on macOS's bash 3.2, as everything it sources must.
container_port() {
  case "$1" in
    addressbook | sava-cart | webapp) printf '3000' ;;
    sava-product | adderservice) printf '8080' ;;
    auditservice) printf '8081' ;;
    eventservice) printf '8082' ;;
    *) return 1 ;;
  esac
}

# Fails unless $1 is one of the services.
require_service() {
  container_port "$1" >/dev/null || die "unknown service '$1' (one of: ${SERVICES[*]})"
}

# How a command of addressbook's (ping, migrate) runs beside the server in its pod, in either image recipe (the
# Dockerfile's and Jib's share the launch files): a second JVM with a small heap (ImageCommandsIT measures it).
ADDRESSBOOK_COMMAND=(java -Xmx64m -XX:TieredStopAtLevel=1 -cp @/app/jib-classpath-file @/app/jib-main-class-file)

# The Deployments a module runs as (sava-cart runs once per locale).
deployments_of() {
  case "$1" in
    sava-cart) printf '%s\n' sava-cart-ie sava-cart-uk ;;
    *) printf '%s\n' "$1" ;;
  esac
}

# What the scripts made on this machine (git-ignored): the JRE of the images and, in images/<service>, the image
# each service was last built as, which scripts/render.sh deploys.
STATE_DIR="${MICRO_CANARY_STATE:-$ROOT/.run-local}"

# The one tag of this tree's images, used by every script, the workflow (scripts/image-tag.sh) and, through
# scripts/render.sh, every deployment: micro-canary/<service>:<version>-<commit>, never "latest" (a canary needs to
# tell releases apart). A tree with uncommitted changes (edited or new files) gets "-dirty-" and a hash of those
# changes, so each edit builds a new tag that rolls, and never overwrites the commit's image. IMAGE_TAG overrides it.
image_tag() {
  if [[ -n "${IMAGE_TAG:-}" ]]; then
    printf '%s' "$IMAGE_TAG"
    return
  fi
  local commit changes
  commit="$(git -C "$ROOT" rev-parse --short=7 HEAD)"
  changes="$(tree_changes)"
  if [[ -z "$changes" ]]; then
    printf '%s-%s' "$VERSION" "$commit"
  else
    printf '%s-%s-dirty-%s' "$VERSION" "$commit" "$(printf '%s' "$changes" | git hash-object --stdin | cut -c1-8)"
  fi
}

# The uncommitted changes of the tree: the diff against HEAD, and each untracked (not ignored) file's content hash.
tree_changes() {
  git -C "$ROOT" diff HEAD --binary --no-ext-diff
  local file
  while IFS= read -r -d '' file; do
    printf '%s %s\n' "$(git -C "$ROOT" hash-object -- "$file")" "$file"
  done < <(git -C "$ROOT" ls-files --others --exclude-standard -z)
}

# Remembers the image a service was built as (scripts/render.sh deploys it):  record_image <service> <image>
record_image() {
  mkdir -p "$STATE_DIR/images"
  printf '%s\n' "$2" >"$STATE_DIR/images/$1.tmp"
  mv "$STATE_DIR/images/$1.tmp" "$STATE_DIR/images/$1"
}

# The image a service was last built as, or nothing.
built_image() {
  [[ -f "$STATE_DIR/images/$1" ]] && cat "$STATE_DIR/images/$1"
  return 0
}

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
  local programs=() program
  while IFS= read -r program; do
    programs+=("$program")
  done < <(find "$JRE_RUNTIME/opt/java" -type f \( -name java -o -name '*.so' \))
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
