#!/usr/bin/env bash
# webapp's build verbs (container, deploy, canary, promote, rollback); the work is in scripts/service.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/../scripts/service.sh" webapp "$@"
