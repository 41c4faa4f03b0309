#!/usr/bin/env bash
# Shared by the scripts in this folder: logging, failing, and the services with their container ports.
# shellcheck disable=SC2034 # used by the scripts that source this file

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The release version (the images' tags); pom.xml's <version> is it with -SNAPSHOT (ScriptsTest checks they agree).
VERSION=0.1.0
JAR_VERSION="$VERSION-SNAPSHOT"
NAMESPACE="${NAMESPACE:-micro-canary}"
# The canary harness and the report CLI (the script tests point these at recorded fakes).
CANARY="${CANARY:-$ROOT/deployer/canary}"
REPORT="${REPORT:-$ROOT/report/report}"

# A script that has always printed its own prefixes (run-local.sh, bench/) sets LOG_PREFIX and DIE_PREFIX first.
log() { printf '%s%s\n' "${LOG_PREFIX-==> }" "$*" >&2; }
die() { printf '%s%s\n' "${DIE_PREFIX-error: }" "$*" >&2; exit 1; }

# The table of services, one row per Deployment: service module local_port container_port service_port.
SERVICE_TABLE="$ROOT/scripts/services.txt"

# The table's rows, without its comments. Functions, not associative arrays: minikube.sh runs on macOS's bash 3.2,
# as everything it sources must.
service_rows() { awk '!/^#/ && NF' "$SERVICE_TABLE"; }

# The column (2 module, 3 local_port, 4 container_port, 5 service_port) of the rows whose column $1 is $2.
service_column() { awk -v key="$1" -v value="$2" -v column="$3" '!/^#/ && $key == value { print $column }' "$SERVICE_TABLE"; }

# The modules, in the table's order (sava-cart once).
SERVICES=()
while read -r _module; do
  SERVICES+=("$_module")
done < <(service_rows | awk '!seen[$2]++ { print $2 }')
unset _module

# service -> its local port (run-local.sh's default).
local_port() { service_column 1 "$1" 3; }

# module -> container port; fails for anything else.
container_port() {
  local port
  port="$(service_column 2 "$1" 4 | head -n 1)"
  [[ -n "$port" ]] && printf '%s' "$port"
}

# service -> the port of its Kubernetes Service.
service_port() { service_column 1 "$1" 5; }

# The jar ./mvnw package makes of a module.
jar_of() { printf '%s/%s/target/%s-%s.jar' "$ROOT" "$1" "$1" "$JAR_VERSION"; }

# The modules of this tree a module's jar is built from: the module and, in turn, every module of this tree its
# pom.xml depends on outside the test scope (service-support, local-stores, command-line).
modules_built_into() {
  local dependency
  printf '%s\n' "$1"
  while read -r dependency; do
    if [[ "$dependency" != "$1" && -f "$ROOT/$dependency/pom.xml" ]]; then
      modules_built_into "$dependency"
    fi
  done < <(awk -F'[<>]' '/<dependency>/ { id = ""; scope = "" } $2 == "artifactId" { id = $3 } $2 == "scope" { scope = $3 }
      /<\/dependency>/ && scope != "test" { print id }' "$ROOT/$1/pom.xml")
}

# A module's jar is stale when it is missing, or when a source, resource or POM it is built from is newer than it:
# the root pom.xml, and src/main and pom.xml of the module and of every module it depends on.
jar_is_stale() {
  local jar module sources=("$ROOT/pom.xml")
  jar="$(jar_of "$1")"
  [[ -f "$jar" ]] || return 0
  while read -r module; do
    sources+=("$ROOT/$module/src/main" "$ROOT/$module/pom.xml")
  done < <(modules_built_into "$1" | sort -u)
  [[ -n "$(find "${sources[@]}" -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

# Fails unless $1 is one of the services.
require_service() {
  container_port "$1" >/dev/null || die "unknown service '$1' (one of: ${SERVICES[*]})"
}

# How a command of addressbook's (ping, migrate) runs beside the server in its pod, in either image recipe (the
# Dockerfile's and Jib's share the launch files): a second JVM with a small heap (ImageCommandsIT measures it).
ADDRESSBOOK_COMMAND=(java -Xmx64m -XX:TieredStopAtLevel=1 -cp @/app/jib-classpath-file @/app/jib-main-class-file)

# The Deployments a module runs as (sava-cart runs once per locale).
deployments_of() { service_column 2 "$1" 1; }

# The harness (deployer/canary) once per Deployment of a module, for minikube.sh and <service>/build.sh:
#   harness <verb> <module> [options...]
harness() {
  local verb="$1" module="$2" deployment
  shift 2
  while read -r deployment; do
    "$CANARY" -n "$NAMESPACE" "$verb" "$deployment" "$@"
  done < <(deployments_of "$module")
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

# The images' Java runtime, made once per machine with jlink (nothing pulled): the modules the services use, a
# class-data-sharing base archive, and the C libraries the JRE links, laid out as an image's root filesystem in
# $JRE_RUNTIME. Used as the Jib images' base and for the local Docker base image. It comes from image_jdk's JDK.
JRE_RUNTIME="$ROOT/.run-local/jib-runtime"
JRE_MODULES=java.base,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http
JRE_MODULES+=,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa
JRE_MODULES+=,java.xml,jdk.crypto.ec,jdk.jfr,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported
JRE_MODULES+=,jdk.zipfs

# The JDK the images' runtime is linked from: $IMAGE_JDK when set, else the newest JDK with jlink among $JAVA_HOME's,
# the java on PATH's and those in /usr/lib/jvm. The newest, because from JDK 25 on the images start from an
# ahead-of-time cache rather than a CDS archive (docs/operations.md has the figures).
image_jdk() {
  if [[ -n "${IMAGE_JDK:-}" ]]; then
    [[ -x "$IMAGE_JDK/bin/jlink" ]] || die "IMAGE_JDK=$IMAGE_JDK has no bin/jlink: point it at a full JDK 17 or newer"
    printf '%s\n' "$IMAGE_JDK"
    return
  fi
  local on_path="" candidate best="" best_major=0 major
  if command -v java >/dev/null; then # its java.home, the JDK itself since Java 9
    on_path="$(java_property java.home)"
  fi
  for candidate in "${JAVA_HOME:-}" "$on_path" /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/jlink" ]] || continue
    major="$(java_major "$candidate")"
    if [[ -n "$major" ]] && ((major > best_major)); then
      best="$candidate" best_major="$major"
    fi
  done
  [[ -n "$best" ]] || die "no JDK with jlink found: install a full JDK 17 or newer (Debian: openjdk-17-jdk-headless) or set IMAGE_JDK"
  printf '%s\n' "$best"
}

# The system property $1 of the `java` on PATH, e.g. java.home.
java_property() { java -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$1 = //p"; }

# The feature release (17, 25, ...) of the `java` on PATH.
path_java_major() { local version; version="$(java_property java.specification.version)"; printf '%s\n' "${version%%.*}"; }

# The feature release (17, 25, ...) of the Java installation in directory $1, from its release file.
java_major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }

jre_runtime() {
  local jdk major recipe compress=2
  jdk="$(image_jdk)"
  major="$(java_major "$jdk")"
  recipe="$JRE_MODULES --generate-cds-archive from $jdk $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$jdk/release")"
  [[ -x "$JRE_RUNTIME/opt/java/bin/java" && "$(cat "$JRE_RUNTIME/.recipe" 2>/dev/null)" == "$recipe" ]] && return 0
  log "making the images' JRE with jlink from $jdk (Java $major) into $JRE_RUNTIME"
  ((major < 21)) || compress=zip-6 # the same compression; JDK 21 renamed the levels
  rm -rf "$JRE_RUNTIME"
  mkdir -p "$JRE_RUNTIME/opt" "$JRE_RUNTIME/tmp"
  "$jdk/bin/jlink" --add-modules "$JRE_MODULES" --generate-cds-archive --strip-debug --no-header-files --no-man-pages \
    --compress="$compress" --output "$JRE_RUNTIME/opt/java"
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
