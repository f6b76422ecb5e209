#!/usr/bin/env bash
# bootstrap.sh - the quick start: installs the dependencies, builds mrspc,
# and runs its main job: deciding a bundled case with a bundled policy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "\$ build/mrspc eval policies/cohere.mrsp examples/cases/glioma_recurrence.json"
build/mrspc eval policies/cohere.mrsp examples/cases/glioma_recurrence.json
