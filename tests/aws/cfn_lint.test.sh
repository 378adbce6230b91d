#!/bin/bash
# The job stack's template (deploy/aws/job.yaml), offline:
#   1. npm cfn-lint 1.9.7 with the @aws-cdk/cfnspec 2.72.1 specification
#      (spec 117; cfn-lint's own 2019 data does not know EnclaveOptions or
#      the launch template's MetadataOptions and Throughput) passes the
#      template and the bytes `nitrosetup aws template` prints, and fails
#      three broken copies (a misspelled property, a dangling !Ref,
#      Throughput on the instance's Ebs);
#   2. tests/aws/template_checks.js checks what the linter cannot
#      (deletion policies, no ingress, IMDSv2, encrypted root, terminate on
#      power-off, least privilege, the user data's kill switches, order,
#      size, no --debug-mode) and fails a broken copy for each;
#   3. the user data with the longest parameter values, and bootstrap.sh,
#      parse with bash -n (and pass shellcheck where it is installed).
# cfn-lint's node_modules copy is never modified: the linter is copied to
# a scratch directory and the copy gets the newer specification.
source "$NS_COMPAT/lib.sh"

T=$NS_SOURCE/deploy/aws/job.yaml
B=$NS_SOURCE/deploy/aws/bootstrap.sh
[ -f "$T" ] || ns_fail "missing $T"
ns_workdir
cd "$W" || ns_fail "cannot enter $W"

NM=$NS_COMPAT/node_modules
SPEC=$NM/@aws-cdk/cfnspec/spec/specification.json
[ -f "$NM/cfn-lint/lib/index.js" ] || ns_fail "npm cfn-lint missing under $NM"
[ -f "$SPEC" ] || ns_fail "npm @aws-cdk/cfnspec missing under $NM"
cp -r "$NM/cfn-lint" "$W/cfn-lint"
cp "$SPEC" "$W/cfn-lint/data/aws_resources_specification.json"
grep -q '"ResourceSpecificationVersion": *"117.0.0"' "$W/cfn-lint/data/aws_resources_specification.json" ||
    ns_fail "the copied specification is not version 117.0.0"

# lint LINTER_DIR FILE: cfn-lint's report without colours in $W/lint.log.
lint() {
    local rc=0
    NODE_PATH=$NM node "$1/lib/index.js" validate "$2" >"$W/lint.raw" 2>&1 || rc=$?
    sed 's/\x1b\[[0-9;]*m//g' "$W/lint.raw" >"$W/lint.log"
    return "$rc"
}
checks() { NODE_PATH=$NM node "$NS_SOURCE/tests/aws/template_checks.js" "$@" >"$W/checks.log" 2>&1; }

ns_log "cfn-lint (spec 117) passes deploy/aws/job.yaml"
lint "$W/cfn-lint" "$T" || { cat "$W/lint.log" >&2; ns_fail "cfn-lint rejects $T"; }
grep -q "0 crit" "$W/lint.log" && grep -q "Template valid!" "$W/lint.log" ||
    { cat "$W/lint.log" >&2; ns_fail "cfn-lint did not say 0 crit, Template valid!"; }

ns_log "the template nitrosetup carries is the same bytes and passes too"
"$NS_BIN" aws template >"$W/printed.yaml" || ns_fail "nitrosetup aws template failed"
ns_same "$W/printed.yaml" "$T" "nitrosetup aws template vs deploy/aws/job.yaml"
lint "$W/cfn-lint" "$W/printed.yaml" || { cat "$W/lint.log" >&2; ns_fail "cfn-lint rejects the printed template"; }
"$NS_BIN" aws template --bootstrap >"$W/printed.sh" || ns_fail "nitrosetup aws template --bootstrap failed"
ns_same "$W/printed.sh" "$B" "nitrosetup aws template --bootstrap vs deploy/aws/bootstrap.sh"

ns_log "the linter's own 2019 data would reject the template (so the copy's specification is the one in use)"
if lint "$NM/cfn-lint" "$T"; then ns_fail "cfn-lint with its bundled data accepts EnclaveOptions: is the spec swap still needed?"; fi
grep -q "EnclaveOptions is not a valid property" "$W/lint.log" ||
    { cat "$W/lint.log" >&2; ns_fail "cfn-lint's bundled data failed for another reason"; }

# broken NAME EXPECTED-MESSAGE PYTHON-EXPR: $W/NAME.yaml is the template
# after s = <PYTHON-EXPR on s>; it must differ from the template.
broken() {
    python3 -c 'import sys; s = open(sys.argv[1]).read(); t = eval(sys.argv[2]); open(sys.argv[3], "w").write(t)' \
        "$T" "$3" "$W/$1.yaml" || ns_fail "cannot write the broken copy $1"
    cmp -s "$T" "$W/$1.yaml" && ns_fail "broken copy $1 is the template itself"
    return 0
}
lint_rejects() {
    if lint "$W/cfn-lint" "$W/$1.yaml"; then ns_fail "cfn-lint accepts the broken copy $1"; fi
    grep -qF "$2" "$W/lint.log" || { cat "$W/lint.log" >&2; ns_fail "cfn-lint on $1 did not report: $2"; }
}

ns_log "cfn-lint rejects a misspelled property, a dangling !Ref, Throughput on the instance's Ebs"
broken misspelled "" 's.replace("      EnclaveOptions:", "      EnclaveOption:", 1)'
lint_rejects misspelled "EnclaveOption is not a valid property of AWS::EC2::Instance"
broken dangling "" 's.replace("IamInstanceProfile: !Ref HostProfile", "IamInstanceProfile: !Ref HostProfil", 1)'
lint_rejects dangling "Referenced value HostProfil does not exist"
broken throughput "" 's.replace("      InstanceInitiatedShutdownBehavior: terminate\n", "      InstanceInitiatedShutdownBehavior: terminate\n      BlockDeviceMappings:\n        - DeviceName: /dev/xvda\n          Ebs:\n            VolumeType: gp3\n            Throughput: 500\n", 1)'
lint_rejects throughput "Throughput is not a valid property"

ns_log "the checks the linter cannot do pass on the template"
checks "$T" "$W/userdata.sh" || { cat "$W/checks.log" >&2; ns_fail "template_checks.js rejects $T"; }
grep -q "^ok: " "$W/checks.log" || ns_fail "template_checks.js printed no verdict"
cat "$W/checks.log"

# checks_reject NAME CHECK: template_checks.js fails $W/NAME.yaml on CHECK.
checks_reject() {
    if checks "$W/$1.yaml"; then ns_fail "template_checks.js accepts the broken copy $1"; fi
    grep -q "^FAIL: $2: " "$W/checks.log" || { cat "$W/checks.log" >&2; ns_fail "template_checks.js on $1 did not fail $2"; }
}
ns_log "and fail a broken copy for each"
broken retain "" 's.replace("DeletionPolicy: Delete", "DeletionPolicy: Retain", 1)'
checks_reject retain deletion-policy
broken snapshot "" 's.replace("UpdateReplacePolicy: Delete", "UpdateReplacePolicy: Snapshot", 1)'
checks_reject snapshot no-retain
broken ingress "" 's.replace("      SecurityGroupEgress:", "      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n      SecurityGroupEgress:", 1)'
checks_reject ingress no-ingress
broken imdsv1 "" 's.replace("HttpTokens: required", "HttpTokens: optional", 1)'
checks_reject imdsv1 imdsv2
broken unencrypted "" 's.replace("Encrypted: true", "Encrypted: false", 1)'
checks_reject unencrypted encrypted-root
broken keepvolume "" 's.replace("DeleteOnTermination: true", "DeleteOnTermination: false", 1)'
checks_reject keepvolume root-deleted
broken stop "" 's.replace("InstanceInitiatedShutdownBehavior: terminate", "InstanceInitiatedShutdownBehavior: stop", 1)'
checks_reject stop shutdown-terminates
broken nokill "" '"\n".join(l for l in s.split("\n") if not l.strip().startswith("shutdown -h"))'
checks_reject nokill kill-switch-1
broken latekill "" 's.replace("          set -Eeuo pipefail\n", "", 1).replace("#!/bin/bash\n", "#!/bin/bash\n          set -Eeuo pipefail\n", 1)'
checks_reject latekill kill-switch-1
broken debug "" 's.replace("          exec bash $D/bootstrap.sh", "          export X=--debug-mode\n          exec bash $D/bootstrap.sh", 1)'
checks_reject debug no-debug-mode
broken big "" 's.replace("#!/bin/bash\n", "#!/bin/bash\n          #" + "x" * 17000 + "\n", 1)'
checks_reject big user-data-size
broken order "" 's.replace("          dnf install -y aws-nitro-enclaves-cli-${NitroCliVersion}\n", "", 1).replace("          cd $D\n", "          cd $D\n          dnf install -y aws-nitro-enclaves-cli-${NitroCliVersion}\n", 1)'
checks_reject order user-data-order
broken unpinned "" 's.replace("dnf install -y aws-nitro-enclaves-cli-${NitroCliVersion}", "dnf install -y aws-nitro-enclaves-cli", 1)'
checks_reject unpinned user-data-order
broken nocheck "" 's.replace("echo \"${JobSha256}  job.json\" | sha256sum -c --status - ||", "true ||", 1)'
checks_reject nocheck user-data-order
broken wildcard "" 's.replace("Action: s3:GetObject", "Action: s3:*", 1)'
checks_reject wildcard iam-no-wildcard
broken anyinstance "" 's.replace(":instance/${Host}", ":instance/*", 1)'
checks_reject anyinstance reaper-one-instance
broken notag "" 's.replace("          - ResourceType: volume\n", "          - ResourceType: snapshot\n", 1)'
checks_reject notag launch-tags
broken badsub "" 's.replace("P=s3://${JobBucket}/jobs/${JobId}", "P=s3://${JobBucket}/jobs/${JobID}", 1)'
checks_reject badsub sub-names

ns_log "bash parses the substituted user data and bootstrap.sh"
bash -n "$W/userdata.sh" || ns_fail "the user data does not parse (bash -n $W/userdata.sh)"
bash -n "$B" || ns_fail "$B does not parse"
printf 'if then\n' >"$W/bad.sh"
if bash -n "$W/bad.sh" 2>/dev/null; then ns_fail "bash -n accepts a broken script"; fi
if command -v shellcheck >/dev/null; then
    shellcheck -s bash -S warning "$B" "$W/userdata.sh" "$NS_SOURCE/scripts/build-host-bundle.sh" ||
        ns_fail "shellcheck warns on the user data or the scripts"
else
    ns_log "shellcheck not installed: skipped"
fi

ns_pass
