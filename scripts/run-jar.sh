#!/usr/bin/env bash
# Runs a command-line module's jar, building it first when its sources are newer (report, deployer):
#   scripts/run-jar.sh <module> [args...]
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${1:?usage: scripts/run-jar.sh <module> [args...]}"
shift
jar="$ROOT/$module/target/$module-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || -n "$(find "$ROOT/$module/src/main" "$ROOT/$module/pom.xml" -newer "$jar" -type f -print -quit)" ]]; then
  printf 'building %s (./mvnw package) ...\n' "$module" >&2
  (cd "$ROOT" && ./mvnw -q -B package -DskipTests -pl "$module" -am) >&2
fi
# short-lived tools: the C1 compiler alone starts fastest
exec java -XX:TieredStopAtLevel=1 -jar "$jar" "$@"
