#!/usr/bin/env bash
# Builds micro-canary/jre-base:<Java feature release>, a Java runtime image made on this machine with nothing pulled:
# the jlink-ed JRE that the Jib images use (from the newest JDK here, or IMAGE_JDK's: scripts/lib.sh), plus a static
# busybox for the shell the Dockerfile's training stage runs. Prints the image's name. For machines without registry
# access:  BASE_IMAGE=micro-canary/jre-base:25 scripts/build-image.sh <service>
#   scripts/local-base-image.sh        (needs Docker and Debian's busybox-static)
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require docker "install Docker (Debian: docker.io)"
require_busybox

jre_runtime
BASE="micro-canary/jre-base:$(java_major "$JRE_RUNTIME/opt/java")"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
cp -a "$JRE_RUNTIME/." "$root/"
rm -rf "$root/app" "$root/.recipe"
mkdir -p "$root/bin"
cp "$BUSYBOX" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
chmod 1777 "$root/tmp"
log "importing $BASE"
tar -C "$root" -c . | docker import --change 'ENV PATH=/opt/java/bin:/bin' --change 'ENV JAVA_HOME=/opt/java' - "$BASE" >/dev/null
printf '%s\n' "$BASE"
