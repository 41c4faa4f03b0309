#!/usr/bin/env bash
# Runs a command-line module's jar, building it first when its sources are newer (report, deployer):
#   scripts/run-jar.sh <module> [args...]
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
module="${1:?usage: scripts/run-jar.sh <module> [args...]}"
shift
if jar_is_stale "$module"; then
  printf 'building %s (./mvnw package) ...\n' "$module" >&2
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests -pl "$module" -am) >&2
fi
# short-lived tools: the C1 compiler alone starts fastest
exec java -XX:TieredStopAtLevel=1 -jar "$(jar_of "$module")" "$@"
