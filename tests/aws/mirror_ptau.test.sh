#!/usr/bin/env bash
# `nitrosetup aws mirror-ptau` against the AWS twin, as the mirror's owner
# (another account than the user's):
#   - a file in --from whose hash is not Hermez's is refused, named, and not
#     uploaded; the bucket is created and configured anyway: request payment
#     Requester, public-access block (ACLs blocked, policies allowed), the
#     policy (GetObject on ptau/* for any AWS principal), the tag, all read
#     back with the CLI
#   - a downloaded file with the wrong hash (the twin's plain-HTTP ptau
#     server) is refused too and its download removed
#   - an object already there with the table's blake2b metadata is skipped
#     without any download (the URL base is unreachable); B2SUMS lists it;
#     the user's account reads it only with --request-payer requester
#   - a second run is idempotent; a run over another power keeps B2SUMS
# Not covered here: a real Hermez file going up (none can be fetched on this
# machine, and the table's hashes are of the real files).
source "$NS_COMPAT/lib.sh"
ns_workdir
cd "$W"
TW=$W/twin
"$NS_TWIN" up "$TW" > twin-up.log 2>&1 || { cat twin-up.log; ns_fail "twin up"; }
trap '"$NS_TWIN" down "$TW" > /dev/null 2>&1 || true' EXIT # (ns_pass removes $W: down first)
# shellcheck disable=SC1091
. "$TW/env"
A=$NITROSETUP_AWS
owner() { AWS_ACCESS_KEY_ID=$TWIN_MIRROR_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$TWIN_MIRROR_SECRET_ACCESS_KEY "$@"; }
MB=nitrosetup-ptau-test
F8=powersOfTau28_hez_final_08.ptau
F9=powersOfTau28_hez_final_09.ptau
H9=$(grep -A1 "\"$F9\"" "$NS_SOURCE/src/formats/hermez.c" | grep -o '[0-9a-f]\{128\}')
[ ${#H9} = 128 ] || ns_fail "cannot read power 9's hash from src/formats/hermez.c"
mkdir from
cp "$(ns_ptau 8)" "from/$F8" # the test ptau, not Hermez's file
export TMPDIR=$W/tmp
mkdir "$TMPDIR"

# --- 1: refused from --from; the bucket made and configured ---
ns_check_fails "a wrong file in --from" owner "$NS_BIN" aws mirror-ptau --bucket $MB --min-power 8 --max-power 8 \
    --from from --url-base http://127.0.0.1:1/
grep -q "power 8: REFUSED: from/$F8: BLAKE2b-512 .* is not the Hermez table's .* refused, not uploaded" "$W/last.log" ||
    { cat "$W/last.log"; ns_fail "the wrong file is not named"; }
grep -q "bucket $MB: created in us-east-1" "$W/last.log" || ns_fail "the bucket was not created"
grep -q "1 refused" "$W/last.log" || ns_fail "the summary does not count the refusal"
owner "$A" s3api head-object --bucket $MB --key "ptau/$F8" > /dev/null 2>&1 && ns_fail "the wrong file was uploaded"
[ "$(owner "$A" s3api get-bucket-request-payment --bucket $MB --query Payer --output text)" = Requester ] ||
    ns_fail "request payment is not Requester"
owner "$A" s3api get-public-access-block --bucket $MB --output json > pab.json
for kv in BlockPublicAcls.true IgnorePublicAcls.true BlockPublicPolicy.false RestrictPublicBuckets.false; do
    grep -q "\"${kv%.*}\": ${kv#*.}" pab.json || { cat pab.json; ns_fail "public-access block: ${kv%.*} is not ${kv#*.}"; }
done
owner "$A" s3api get-bucket-policy --bucket $MB --query Policy --output text > policy.json
node -e '
const p = JSON.parse(require("fs").readFileSync("policy.json", "utf8"));
const s = p.Statement;
if (s.length !== 1 || s[0].Effect !== "Allow" || s[0].Principal.AWS !== "*" || s[0].Action !== "s3:GetObject" ||
    s[0].Resource !== "arn:aws:s3:::'$MB'/ptau/*") { console.error(JSON.stringify(p)); process.exit(1); }' ||
    ns_fail "the bucket policy is not GetObject on ptau/* for any AWS principal"
owner "$A" s3api get-bucket-tagging --bucket $MB --output json | grep -q '"Value": "ptau-mirror"' ||
    ns_fail "the bucket lacks its tag"
ns_log "refused from --from; bucket configured"

# --- 2: refused after a download (the twin's HTTP ptau server serves the test file) ---
owner "$A" s3api head-bucket --bucket twin-ptau-mirror > /dev/null 2>&1 ||
    owner "$A" s3api create-bucket --bucket twin-ptau-mirror > /dev/null
owner "$A" s3 cp "from/$F8" "s3://twin-ptau-mirror/ptau/$F8" --only-show-errors
ns_check_fails "a wrong downloaded file" owner "$NS_BIN" aws mirror-ptau --bucket $MB --min-power 8 --max-power 8 \
    --url-base "$NITROSETUP_PTAU_URL_BASE"
grep -q "power 8: downloading ${NITROSETUP_PTAU_URL_BASE}$F8" "$W/last.log" || { cat "$W/last.log"; ns_fail "no download"; }
grep -q "power 8: REFUSED: .*/$F8: BLAKE2b-512 .*not uploaded" "$W/last.log" || { cat "$W/last.log"; ns_fail "not refused"; }
grep -q "bucket $MB: exists" "$W/last.log" || ns_fail "the second run did not find the bucket"
[ -z "$(ls -A "$TMPDIR")" ] || { ls -lR "$TMPDIR"; ns_fail "the refused download was left behind"; }
owner "$A" s3api head-object --bucket $MB --key "ptau/$F8" > /dev/null 2>&1 && ns_fail "the downloaded wrong file was uploaded"
ns_log "refused after a download"

# --- 3: an object already there is skipped; B2SUMS; requester pays ---
head -c 4096 /dev/urandom > nine.bin
owner "$A" s3 cp nine.bin "s3://$MB/ptau/$F9" --metadata "blake2b=$H9" --only-show-errors
for run in 1 2; do
    ns_check "mirror-ptau power 9 (run $run)" owner "$NS_BIN" aws mirror-ptau --bucket $MB --min-power 9 --max-power 9 \
        --url-base http://127.0.0.1:1/
    grep -q "power 9: s3://$MB/ptau/$F9 is there (4096 bytes, blake2b metadata matches the Hermez table): skipped" \
        "$W/check.log" || { cat "$W/check.log"; ns_fail "run $run: power 9 not skipped"; }
    grep -q "0 uploaded, 1 already there, 0 refused, 0 failed" "$W/check.log" || ns_fail "run $run: summary"
    grep -q "downloading" "$W/check.log" && ns_fail "run $run: downloaded what is there"
    owner "$A" s3 cp "s3://$MB/ptau/B2SUMS" - > b2sums
    [ "$(cat b2sums)" = "$H9  $F9" ] || { cat b2sums; ns_fail "run $run: B2SUMS"; }
done
"$A" s3api head-object --bucket $MB --key "ptau/$F9" > /dev/null 2>&1 &&
    ns_fail "the user read the mirror without --request-payer"
"$A" s3api head-object --bucket $MB --key "ptau/$F9" --request-payer requester > /dev/null ||
    ns_fail "the user cannot read the mirror with --request-payer requester"
ns_log "skipped, idempotent, B2SUMS, requester pays"

# --- 4: a run over power 8 keeps power 9 in B2SUMS ---
ns_check_fails "power 8 again" owner "$NS_BIN" aws mirror-ptau --bucket $MB --min-power 8 --max-power 8 --from from \
    --url-base http://127.0.0.1:1/
owner "$A" s3 cp "s3://$MB/ptau/B2SUMS" - > b2sums
[ "$(cat b2sums)" = "$H9  $F9" ] || { cat b2sums; ns_fail "B2SUMS lost power 9"; }

# --- usage ---
ns_check_fails "no --bucket" "$NS_BIN" aws mirror-ptau
ns_check_fails "power out of range" "$NS_BIN" aws mirror-ptau --bucket $MB --max-power 29
ns_check_fails "min above max" "$NS_BIN" aws mirror-ptau --bucket $MB --min-power 12 --max-power 10
"$NS_TWIN" down "$TW" > /dev/null 2>&1 || true
ns_pass
