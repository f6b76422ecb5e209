#!/usr/bin/env bash
# bootstrap.sh - the quick start: installs the dependencies, builds mrspc,
# and runs its main job on a bundled policy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "\$ build/mrspc check policies/*.mrsp"
build/mrspc check policies/*.mrsp && echo "policies check clean"
