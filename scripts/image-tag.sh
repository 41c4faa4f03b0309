#!/usr/bin/env bash
# Prints the tag this tree's images are built and deployed with (the one source of it: image_tag in lib.sh):
# <version>-<commit>, plus -dirty-<hash of the changes> when the tree has uncommitted changes.
#   scripts/image-tag.sh
set -euo pipefail
[[ "${DEBUG:-0}" == 1 ]] && set -x
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
printf '%s\n' "$(image_tag)"
