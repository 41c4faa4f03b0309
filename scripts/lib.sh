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

# module -> container port (DESIGN.md §2); the Deployments in k8s/base say the same
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
