#!/usr/bin/env bash
# action.yml against GitHub's published action metadata schema, and the
# example workflows against the workflow schema (SchemaStore's, kept in
# tests/action/schema with their provenance), with ajv; negative cases (no
# runs.using, a misspelled key, a bad branding colour, a misspelled workflow
# key) must fail.  Then the checks no schema makes (lint_action.js: no
# expression in shell code, scripts present, uses: pinned by commit SHA,
# references declared) with their own negative cases, and shellcheck on the
# step scripts when it is installed.
source "$NS_COMPAT/lib.sh"
ns_workdir
A=$NS_SOURCE/tests/action
export NODE_PATH=$NS_COMPAT/node_modules
validate() { node "$A/validate.js" "$@"; }
lint() { node "$A/lint_action.js" "$@"; }

# the schemas are the ones the README names
(cd "$A/schema" && sed -n '/^```$/,/^```$/p' README.md | grep -E '^[0-9a-f]{64}  ' | sha256sum -c --quiet -) ||
    ns_fail "tests/action/schema: a schema differs from the hash its README records"

ns_check "action.yml against github-action.json" validate "$A/schema/github-action.json" "$NS_SOURCE/action.yml"
for wf in "$NS_SOURCE"/.github/workflows/examples/*.yml; do
    ns_check "$(basename "$wf") against github-workflow.json" validate "$A/schema/github-workflow.json" "$wf"
done

# negative cases: each edit must make the schema check fail, naming the problem
neg() { # NAME SCHEMA SED-SCRIPT EXPECTED-TEXT SOURCE
    sed "$3" "$5" >"$W/$1.yml"
    cmp -s "$5" "$W/$1.yml" && ns_fail "$1: the edit changed nothing"
    ns_check_fails "$1" validate "$A/schema/$2" "$W/$1.yml"
    grep -q -- "$4" "$W/last.log" || { cat "$W/last.log"; ns_fail "$1: no '$4' in the report"; }
    echo "   $1: $(grep -m1 -- "$4" "$W/last.log" | sed "s|$W/||")"
}
neg no-using github-action.json '/^  using: composite$/d' "must have required property 'using'" "$NS_SOURCE/action.yml"
neg misspelled-key github-action.json 's/^description:/descripton:/' "additional properties 'descripton'" "$NS_SOURCE/action.yml"
neg misspelled-step-key github-action.json '0,/      shell: bash/s//      shel: bash/' "must have required property 'shell'" "$NS_SOURCE/action.yml"
neg bad-color github-action.json 's/^  color: purple$/  color: pink/' "/branding/color must be equal to one of the allowed values" "$NS_SOURCE/action.yml"
neg bad-icon github-action.json 's/^  icon: shield$/  icon: no-such-icon/' "/branding/icon must be equal to one of the allowed values" "$NS_SOURCE/action.yml"
neg workflow-key github-workflow.json '0,/runs-on:/s//run-on:/' "must have required property 'runs-on'" "$NS_SOURCE/.github/workflows/examples/trusted-setup.yml"
neg workflow-permission github-workflow.json 's/^  id-token: write/  id-token: writ/' "/permissions" "$NS_SOURCE/.github/workflows/examples/trusted-setup.yml"
ns_check_fails "a file that is not YAML" validate "$A/schema/github-action.json" "$A/runner.js"

# what the schema does not check
ns_check "lint action.yml" lint "$NS_SOURCE/action.yml"
mkdir -p "$W/l" && cp "$NS_SOURCE/action.yml" "$W/l/" && cp -r "$NS_SOURCE/deploy" "$W/l/"
lneg() { # NAME SED-SCRIPT EXPECTED-TEXT
    sed "$2" "$NS_SOURCE/action.yml" >"$W/l/action.yml"
    ns_check_fails "lint: $1" lint "$W/l/action.yml"
    grep -q -- "$3" "$W/last.log" || { cat "$W/last.log"; ns_fail "lint $1: no '$3'"; }
    echo "   lint $1: $(head -1 "$W/last.log" | sed "s|$W/||")"
}
lneg unpinned 's/@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3/@v6/' "not pinned by a full commit SHA"
lneg no-tag-comment 's/ # v7.0.0$//' "has no '# vX.Y.Z' comment"
lneg expression-in-run 's|run: exec "$GITHUB_ACTION_PATH/deploy/action/plan.sh"|run: echo ${{ inputs.circuit }}|' "run: contains an expression"
lneg no-exec 's|run: exec "$GITHUB_ACTION_PATH/deploy/action/wait.sh"|run: "$GITHUB_ACTION_PATH/deploy/action/wait.sh"|' "does not exec a script"
lneg undeclared-input 's/inputs.release != /inputs.relase != /' "inputs.relase is not declared"
lneg later-step 's/steps.create.outputs.job-id }}$/steps.verify.outputs.job-id }}/' "steps.verify is not an earlier step"
lneg teardown-not-always 's/if: always() \&\& inputs.verify-only/if: inputs.verify-only/' "does not run on always()"
lneg missing-script 's|deploy/action/wait.sh|deploy/action/nowhere.sh|' "nowhere.sh is missing"
cp "$NS_SOURCE/action.yml" "$W/l/action.yml"
chmod -x "$W/l/deploy/action/verify.sh"
ns_check_fails "lint: a script that is not executable" lint "$W/l/action.yml"
grep -q "verify.sh is missing or not executable" "$W/last.log" || { cat "$W/last.log"; ns_fail "non-executable script not caught"; }

if command -v shellcheck >/dev/null; then
    (cd "$NS_SOURCE" && ns_check "shellcheck deploy/action" shellcheck -x -S warning deploy/action/*.sh tests/action/*.sh tests/action/data/fake-nitrosetup)
else
    echo "   (shellcheck not installed: scripts/setup.sh installs it; skipped here)"
fi
ns_pass
