#!/usr/bin/env bash
# Runs a composite GitHub Action's steps locally (tests only; see runner.js):
#   tests/action/run-action.sh ACTION_YML [name=value]... [--workdir DIR]
#       [--cancel-after STEP_ID] [--cancel-during STEP_ID:SECONDS] [--twin-dir DIR]
# The npm tools (js-yaml) come from tests/compat/node_modules, or from
# $NS_COMPAT/node_modules when NS_COMPAT is set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
modules=${NS_COMPAT:-$here/../compat}/node_modules
[ -d "$modules/js-yaml" ] || { echo "run-action: js-yaml not found in $modules (npm ci in tests/compat)" >&2; exit 2; }
NODE_PATH=$modules exec node "$here/runner.js" "$@"
