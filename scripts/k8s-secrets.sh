#!/usr/bin/env bash
# Writes the secrets the manifests' secretGenerators read, with random values, once: an existing file is kept (so
# a redeploy does not rotate passwords under a running database). The files are git-ignored; nothing secret is
# ever committed.
#
#   scripts/k8s-secrets.sh
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '%s\n' "$*" >&2; }
random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

write_once() {
  local file="$1" key="$2"
  if [[ -s "$file" ]]; then
    log "keeping $file"
    return
  fi
  mkdir -p "$(dirname "$file")"
  (umask 077 && printf '%s=%s\n' "$key" "$(random)" >"$file")
  log "wrote $file"
}

write_once "$ROOT/infrastructure/k8s/secrets/postgres.env" POSTGRES_PASSWORD
# least privilege: addressbook's roles (owner for migrations, app for the service), Redis's and MongoDB's logins
write_once "$ROOT/infrastructure/k8s/secrets/addressbook-db-owner.env" password
write_once "$ROOT/infrastructure/k8s/secrets/addressbook-db-app.env" password
write_once "$ROOT/infrastructure/k8s/secrets/redis.env" password
write_once "$ROOT/infrastructure/k8s/secrets/mongo.env" password
write_once "$ROOT/k8s/base/secrets/sava-cart.env" CART_SIGNING_KEY
