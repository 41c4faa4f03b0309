#!/usr/bin/env bash
# adderservice's build verbs (container, deploy, canary, promote, rollback); the work is in scripts/service.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/../scripts/service.sh" adderservice "$@"
