#!/bin/bash
# The AWS twin's S3 (tests/aws/twin/s3.js), driven by the real AWS CLI v2
# (Debian's /usr/bin/aws 2.9.19) through tests/aws/s3_harness.js, which
# serves the module alone with four identities: the user and an instance
# role of account 111122223333, the ptau mirror's owner 444455556666, and a
# third party 777788889999.  Every operation the project uses, requester
# pays enforced, policies, multipart listing, the public ptau path, each S3
# fault, and the state surviving a restart.
# shellcheck source=../compat/lib.sh
source "$NS_COMPAT/lib.sh"

AWS_CLI=/usr/bin/aws
[ -x "$AWS_CLI" ] || ns_fail "the AWS CLI v2 is not installed at $AWS_CLI (Debian package awscli)"
"$AWS_CLI" --version 2>&1 | grep -q '^aws-cli/2\.' || ns_fail "$AWS_CLI is not the AWS CLI v2"

ns_workdir
cd "$W" || ns_fail "cannot enter $W"
HARNESS="$NS_SOURCE/tests/aws/s3_harness.js"
H="$W/harness"
HPID=

start_harness() {
    rm -f "$H/port"
    node "$HARNESS" "$H" >>"$W/harness.log" 2>&1 &
    HPID=$!
    for _ in $(seq 100); do
        [ -s "$H/port" ] && break
        kill -0 "$HPID" 2>/dev/null || { cat "$W/harness.log" >&2; ns_fail "the S3 harness died"; }
        sleep 0.1
    done
    [ -s "$H/port" ] || ns_fail "the S3 harness did not start"
    PORT=$(cat "$H/port")
    URL="http://127.0.0.1:$PORT"
}
stop_harness() {
    if [ -n "$HPID" ]; then
        kill "$HPID" 2>/dev/null || true
        wait "$HPID" 2>/dev/null || true
        HPID=
    fi
}
trap stop_harness EXIT
start_harness

export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
export AWS_SECRET_ACCESS_KEY=twin AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION AWS_ENDPOINT_URL 2>/dev/null || true
USER_KEY=AKIATWINUSER ROLE_KEY=ASIATWINROLE OWNER_KEY=AKIAMIRROROWNER OTHER_KEY=AKIATHIRDPARTY

# as KEY ARGS...: the CLI as that identity.
as() {
    local key=$1
    shift
    AWS_ACCESS_KEY_ID=$key "$AWS_CLI" --endpoint-url "$URL" "$@"
}
u() { as "$USER_KEY" "$@"; }

CHECKS=0
ok() { CHECKS=$((CHECKS + 1)); }

# run DESC CMD...: must exit 0; its stdout is in $W/out.
run() {
    local desc=$1
    shift
    if ! "$@" >"$W/out" 2>"$W/err"; then
        cat "$W/out" "$W/err" >&2
        ns_fail "$desc: failed: $*"
    fi
    ok
}
# refused RC CODE DESC CMD...: must exit RC with CODE in its message.
refused() {
    local want=$1 code=$2 desc=$3 rc=0
    shift 3
    "$@" >"$W/out" 2>"$W/err" || rc=$?
    if [ "$rc" -ne "$want" ] || ! grep -q -- "$code" "$W/err"; then
        cat "$W/out" "$W/err" >&2
        ns_fail "$desc: want exit $want with '$code', got exit $rc: $*"
    fi
    ok
}
# same A B DESC
same() { cmp -s "$1" "$2" || ns_fail "$3: $1 and $2 differ"; ok; }
# is WANT GOT DESC
is() { [ "$1" = "$2" ] || ns_fail "$3: want '$1', got '$2'"; ok; }

fault() { curl -sf -X POST -d "$1" "$URL/_harness/fault" >/dev/null || ns_fail "cannot arm fault $1"; }
live() { curl -sf "$URL/_harness/live"; }

head -c 20000000 /dev/urandom >big.bin
head -c 3000000 /dev/urandom >pot.ptau
printf 'hello twin\n' >small.txt
seq 1 2000 >bootstrap.sh

ns_log "buckets"
run "create-bucket" u s3api create-bucket --bucket jobs
run "create-bucket again in us-east-1 (200, legacy)" u s3api create-bucket --bucket jobs
refused 254 BucketAlreadyExists "another account's bucket name" as "$OTHER_KEY" s3api create-bucket --bucket jobs
refused 254 InvalidBucketName "bad bucket name" u s3api create-bucket --bucket Bad_Name
run "create-bucket eu-west-1" env AWS_DEFAULT_REGION=eu-west-1 AWS_ACCESS_KEY_ID=$USER_KEY "$AWS_CLI" --endpoint-url "$URL" s3api create-bucket \
    --bucket jobs-eu --create-bucket-configuration LocationConstraint=eu-west-1
refused 254 BucketAlreadyOwnedByYou "create again outside us-east-1" env AWS_DEFAULT_REGION=eu-west-1 AWS_ACCESS_KEY_ID=$USER_KEY \
    "$AWS_CLI" --endpoint-url "$URL" s3api create-bucket --bucket jobs-eu --create-bucket-configuration LocationConstraint=eu-west-1
refused 254 IllegalLocationConstraintException "constraint of another region" u s3api create-bucket \
    --bucket jobs-x --create-bucket-configuration LocationConstraint=eu-west-1
run "get-bucket-location" u s3api get-bucket-location --bucket jobs-eu --query LocationConstraint --output text
is eu-west-1 "$(cat "$W/out")" "eu bucket location"
run "get-bucket-location us-east-1" u s3api get-bucket-location --bucket jobs --output json
grep -q '"LocationConstraint": null' "$W/out" || ns_fail "us-east-1 location is not null: $(cat "$W/out")"
run "list-buckets" u s3api list-buckets --query 'Buckets[].Name' --output text
is "jobs	jobs-eu" "$(cat "$W/out")" "the user's buckets (not the mirror)"
run "s3 ls" u s3 ls
grep -q ' jobs$' "$W/out" || ns_fail "s3 ls does not list jobs"
run "head-bucket" u s3api head-bucket --bucket jobs
refused 254 '(404)' "head-bucket of a missing bucket" u s3api head-bucket --bucket no-such-bucket
refused 254 NoSuchBucket "list a missing bucket" u s3 ls s3://no-such-bucket
refused 254 AccessDenied "another account lists the bucket" as "$OTHER_KEY" s3api list-objects-v2 --bucket jobs
run "delete-bucket" u s3api delete-bucket --bucket jobs-eu
refused 254 NoSuchBucket "deleted bucket" u s3api list-objects-v2 --bucket jobs-eu

ns_log "objects"
run "put-object with metadata and storage class" u s3api put-object --bucket jobs --key a/small.txt --body small.txt \
    --metadata sha256=abc123 --storage-class ONEZONE_IA --content-type text/plain
run "head-object" u s3api head-object --bucket jobs --key a/small.txt --output json
grep -q '"StorageClass": "ONEZONE_IA"' "$W/out" || ns_fail "storage class not kept: $(cat "$W/out")"
grep -q '"sha256": "abc123"' "$W/out" || ns_fail "metadata not kept: $(cat "$W/out")"
grep -q '"ContentType": "text/plain"' "$W/out" || ns_fail "content type not kept"
grep -q "\"ETag\": \"\\\\\"$(md5sum small.txt | cut -c1-32)\\\\\"\"" "$W/out" || ns_fail "ETag is not the MD5: $(cat "$W/out")"
refused 254 BadDigest "wrong Content-MD5" u s3api put-object --bucket jobs --key a/bad --body small.txt \
    --content-md5 AAAAAAAAAAAAAAAAAAAAAA==
refused 254 InvalidStorageClass "unknown storage class" u s3api put-object --bucket jobs --key a/bad --body small.txt \
    --storage-class NOPE
refused 254 '(404)' "head-object of a missing key" u s3api head-object --bucket jobs --key a/none
refused 254 NoSuchKey "get-object of a missing key" u s3api get-object --bucket jobs --key a/none none.out
refused 1 '404' "s3 cp of a missing key" u s3 cp s3://jobs/a/none none.out
run "get-object" u s3api get-object --bucket jobs --key a/small.txt got.txt
same small.txt got.txt "get-object"
run "get-object If-Match" u s3api get-object --bucket jobs --key a/small.txt --if-match "\"$(md5sum small.txt | cut -c1-32)\"" got.txt
refused 254 PreconditionFailed "If-Match of another ETag" u s3api get-object --bucket jobs --key a/small.txt \
    --if-match '"0123"' got.txt
run "put 20 MB in one piece" u s3api put-object --bucket jobs --key a/big.bin --body big.bin
run "get-object --range bytes=100-" u s3api get-object --bucket jobs --key a/big.bin --range bytes=100- tail.bin --query ContentRange --output text
is "bytes 100-19999999/20000000" "$(cat "$W/out")" "Content-Range"
tail -c +101 big.bin >tail.want
same tail.want tail.bin "range bytes=100-"
run "get-object --range bytes=10-19" u s3api get-object --bucket jobs --key a/big.bin --range bytes=10-19 mid.bin
is 10 "$(stat -c %s mid.bin)" "a 10-byte range"
refused 254 InvalidRange "range past the end" u s3api get-object --bucket jobs --key a/big.bin --range bytes=20000000- x.bin
run "copy-object" u s3api copy-object --bucket jobs --key b/copy.txt --copy-source jobs/a/small.txt
run "copied bytes" u s3 cp s3://jobs/b/copy.txt copy.txt --no-progress
same small.txt copy.txt "copy-object"
run "copy keeps metadata" u s3api head-object --bucket jobs --key b/copy.txt --query Metadata.sha256 --output text
is abc123 "$(cat "$W/out")" "copied metadata"
run "delete-object" u s3api delete-object --bucket jobs --key b/copy.txt
refused 254 '(404)' "deleted object" u s3api head-object --bucket jobs --key b/copy.txt
run "delete-object of a missing key (204)" u s3api delete-object --bucket jobs --key b/never

ns_log "listing"
for k in d/1 d/2 d/3 d/4 d/5 d/sub/x d/sub/y e/1; do
    printf '%s' "$k" | u s3 cp - "s3://jobs/$k" --no-progress || ns_fail "upload $k"
done
ok
run "list-objects-v2 prefix+delimiter" u s3api list-objects-v2 --bucket jobs --prefix d/ --delimiter / --no-paginate --output json
grep -q '"KeyCount": 6' "$W/out" || ns_fail "KeyCount of d/ with / is not 6: $(cat "$W/out")"
grep -q '"Prefix": "d/sub/"' "$W/out" || ns_fail "no common prefix d/sub/"
run "list-objects-v2 one page" u s3api list-objects-v2 --bucket jobs --prefix d/ --max-keys 2 --no-paginate --output json
grep -q '"IsTruncated": true' "$W/out" || ns_fail "max-keys 2 not truncated"
grep -q '"KeyCount": 2' "$W/out" || ns_fail "max-keys 2: KeyCount not 2"
TOKEN=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).NextContinuationToken)' "$W/out")
run "list-objects-v2 continuation" u s3api list-objects-v2 --bucket jobs --prefix d/ --max-keys 2 --no-paginate \
    --continuation-token "$TOKEN" --query 'Contents[].Key' --output text
is "d/3	d/4" "$(cat "$W/out")" "second page"
run "list-objects-v2 paginated by the CLI" u s3api list-objects-v2 --bucket jobs --prefix d/ --page-size 2 \
    --query 'Contents[].Key' --output text
is "d/1	d/2	d/3	d/4	d/5	d/sub/x	d/sub/y" "$(tr '\n' '\t' <"$W/out" | sed 's/\t$//')" "all pages v2"
run "list-objects (v1) paginated" u s3api list-objects --bucket jobs --prefix d/ --page-size 3 \
    --query 'Contents[].Key' --output text
is "d/1	d/2	d/3	d/4	d/5	d/sub/x	d/sub/y" "$(tr '\n' '\t' <"$W/out" | sed 's/\t$//')" "all pages v1"
run "list-objects (v1) delimiter paginated" u s3api list-objects --bucket jobs --delimiter / --prefix d/ --page-size 2 --output json
is "d/1 d/2 d/3 d/4 d/5 | d/sub/" "$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
    console.log(r.Contents.map((c) => c.Key).join(" ") + " | " + r.CommonPrefixes.map((c) => c.Prefix).join(" "))' "$W/out")" \
    "v1 pages with a delimiter"
run "s3 ls prefix" u s3 ls s3://jobs/d/
grep -q 'PRE sub/' "$W/out" || ns_fail "s3 ls shows no PRE sub/"
run "s3 ls --recursive" u s3 ls --recursive s3://jobs/d/
is 7 "$(wc -l <"$W/out")" "recursive listing of d/"
printf 'x' | u s3 cp - 's3://jobs/odd key+plus&amp/é.txt' --no-progress || ns_fail "upload an odd key"
run "odd key listed back" u s3api list-objects-v2 --bucket jobs --prefix 'odd ' --query 'Contents[0].Key' --output text
is 'odd key+plus&amp/é.txt' "$(cat "$W/out")" "a key with space, plus, ampersand and UTF-8"
run "odd key read back" u s3 cp 's3://jobs/odd key+plus&amp/é.txt' odd.txt --no-progress
is x "$(cat odd.txt)" "odd key bytes"

ns_log "s3 cp / sync / mv / rm"
run "s3 cp 20 MB (multipart)" u s3 cp big.bin s3://jobs/m/big.bin --storage-class ONEZONE_IA --no-progress
run "multipart ETag" u s3api head-object --bucket jobs --key m/big.bin --query '[ETag,StorageClass,ContentLength]' --output text
case "$(cat "$W/out")" in
*'-3"'*ONEZONE_IA*20000000) ok ;;
*) ns_fail "multipart object: $(cat "$W/out")" ;;
esac
run "s3 cp down" u s3 cp s3://jobs/m/big.bin big.got --no-progress
same big.bin big.got "20 MB multipart round trip"
run "s3 cp - (stdin) with --expected-size" bash -c "cat big.bin | AWS_ACCESS_KEY_ID=$USER_KEY $AWS_CLI --endpoint-url $URL s3 cp - s3://jobs/m/stream.bin --expected-size 20000000"
run "s3 cp to stdout" bash -c "AWS_ACCESS_KEY_ID=$USER_KEY $AWS_CLI --endpoint-url $URL s3 cp s3://jobs/m/stream.bin - >stream.got"
same big.bin stream.got "stdin multipart round trip"
mkdir -p tree/sub && echo one >tree/one && echo two >tree/sub/two
run "s3 sync" u s3 sync tree s3://jobs/tree/ --no-progress
grep -q 'upload: tree/sub/two' "$W/out" || ns_fail "sync did not upload sub/two"
run "s3 sync again" u s3 sync tree s3://jobs/tree/ --no-progress
is "" "$(cat "$W/out")" "a second sync uploads nothing"
run "s3 sync down" u s3 sync s3://jobs/tree/ tree.got --no-progress
same tree/sub/two tree.got/sub/two "sync down"
run "s3 mv" u s3 mv s3://jobs/tree/one s3://jobs/moved/one --no-progress
refused 254 '(404)' "moved source gone" u s3api head-object --bucket jobs --key tree/one
run "s3 rm --recursive" u s3 rm --recursive s3://jobs/d/
run "after rm" u s3api list-objects-v2 --bucket jobs --prefix d/ --no-paginate --query KeyCount
is 0 "$(cat "$W/out")" "d/ empty after rm --recursive"
run "delete-objects" u s3api delete-objects --bucket jobs --delete 'Objects=[{Key=moved/one},{Key=tree/sub/two},{Key=never}]' \
    --query 'length(Deleted)'
is 3 "$(cat "$W/out")" "delete-objects answers every key"
refused 254 '(404)' "deleted by delete-objects" u s3api head-object --bucket jobs --key moved/one

ns_log "multipart uploads"
K=jobs/J1/out/bundle/part.bin
UP=$(u s3api create-multipart-upload --bucket jobs --key "$K" --storage-class ONEZONE_IA --query UploadId --output text) ||
    ns_fail "create-multipart-upload"
ok
run "list-multipart-uploads" u s3api list-multipart-uploads --bucket jobs --prefix jobs/J1/ --query 'Uploads[].[Key,UploadId,StorageClass]' --output text
is "$K	$UP	ONEZONE_IA" "$(cat "$W/out")" "the open upload is listed"
run "list-multipart-uploads other prefix" u s3api list-multipart-uploads --bucket jobs --prefix jobs/J2/ --query 'length(Uploads || `[]`)'
is 0 "$(cat "$W/out")" "prefix filter"
is "[{\"type\":\"s3-multipart-upload\",\"id\":\"$UP\",\"bucket\":\"jobs\",\"key\":\"$K\"}]" "$(live)" "live() lists the open upload"
head -c 6000000 big.bin >p1.bin
run "upload-part 1" u s3api upload-part --bucket jobs --key "$K" --upload-id "$UP" --part-number 1 --body p1.bin --query ETag --output text
E1=$(cat "$W/out")
run "upload-part 2" u s3api upload-part --bucket jobs --key "$K" --upload-id "$UP" --part-number 2 --body small.txt --query ETag --output text
E2=$(cat "$W/out")
run "list-parts" u s3api list-parts --bucket jobs --key "$K" --upload-id "$UP" --query 'Parts[].[PartNumber,Size]' --output text
is "1	6000000 2	11" "$(tr '\n' ' ' <"$W/out" | sed 's/ $//')" "parts listed"
refused 254 InvalidPartOrder "parts out of order" u s3api complete-multipart-upload --bucket jobs --key "$K" --upload-id "$UP" \
    --multipart-upload "{\"Parts\":[{\"PartNumber\":2,\"ETag\":$E2},{\"PartNumber\":1,\"ETag\":$E1}]}"
refused 254 InvalidPart "wrong part ETag" u s3api complete-multipart-upload --bucket jobs --key "$K" --upload-id "$UP" \
    --multipart-upload "{\"Parts\":[{\"PartNumber\":1,\"ETag\":$E2}]}"
refused 254 EntityTooSmall "small part before the last" u s3api complete-multipart-upload --bucket jobs --key "$K" --upload-id "$UP" \
    --multipart-upload "{\"Parts\":[{\"PartNumber\":2,\"ETag\":$E2},{\"PartNumber\":3,\"ETag\":$E2}]}"
run "abort-multipart-upload" u s3api abort-multipart-upload --bucket jobs --key "$K" --upload-id "$UP"
run "list after abort" u s3api list-multipart-uploads --bucket jobs --query 'length(Uploads || `[]`)'
is 0 "$(cat "$W/out")" "no upload after abort"
is "[]" "$(live)" "live() empty after abort"
refused 254 NoSuchUpload "upload-part after abort" u s3api upload-part --bucket jobs --key "$K" --upload-id "$UP" \
    --part-number 3 --body small.txt
UP=$(u s3api create-multipart-upload --bucket jobs --key "$K" --query UploadId --output text) || ns_fail "create-multipart-upload 2"
E1=$(u s3api upload-part --bucket jobs --key "$K" --upload-id "$UP" --part-number 1 --body p1.bin --query ETag --output text)
E2=$(u s3api upload-part --bucket jobs --key "$K" --upload-id "$UP" --part-number 2 --body small.txt --query ETag --output text)
run "complete-multipart-upload" u s3api complete-multipart-upload --bucket jobs --key "$K" --upload-id "$UP" \
    --multipart-upload "{\"Parts\":[{\"PartNumber\":1,\"ETag\":$E1},{\"PartNumber\":2,\"ETag\":$E2}]}" --query ETag --output text
WANT=$( (printf '%s' "${E1//\"/}"; printf '%s' "${E2//\"/}") | xxd -r -p | md5sum | cut -c1-32)
is "\"$WANT-2\"" "$(cat "$W/out")" "multipart ETag = MD5 of the part MD5s, -N"
run "completed object" u s3 cp "s3://jobs/$K" part.got --no-progress
cat p1.bin small.txt >part.want
same part.want part.got "completed multipart object"
is "[]" "$(live)" "live() empty after complete"

ns_log "bucket settings"
run "get-bucket-request-payment default" u s3api get-bucket-request-payment --bucket jobs --query Payer --output text
is BucketOwner "$(cat "$W/out")" "default payer"
run "get-bucket-versioning" u s3api get-bucket-versioning --bucket jobs
is "" "$(cat "$W/out")" "versioning never enabled"
run "put-public-access-block" u s3api put-public-access-block --bucket jobs --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
run "get-public-access-block" u s3api get-public-access-block --bucket jobs \
    --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' --output text
is "True	True	True	True" "$(cat "$W/out")" "public access block kept"
PUBLIC='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::jobs/pub/*"}]}'
refused 254 AccessDenied "BlockPublicPolicy refuses a public policy" u s3api put-bucket-policy --bucket jobs --policy "$PUBLIC"
run "put-public-access-block (policy allowed)" u s3api put-public-access-block --bucket jobs --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false
refused 254 MalformedPolicy "policy not JSON" u s3api put-bucket-policy --bucket jobs --policy 'not json'
refused 254 NoSuchBucketPolicy "no policy yet" u s3api get-bucket-policy --bucket jobs
run "put-bucket-policy" u s3api put-bucket-policy --bucket jobs --policy "$PUBLIC"
run "get-bucket-policy" u s3api get-bucket-policy --bucket jobs --query Policy --output text
is "$PUBLIC" "$(cat "$W/out")" "policy stored verbatim"
run "put an object under pub/" u s3 cp small.txt s3://jobs/pub/small.txt --no-progress
run "another account reads what the policy allows" as "$OTHER_KEY" s3api get-object --bucket jobs --key pub/small.txt pub.got
same small.txt pub.got "cross-account read"
refused 254 AccessDenied "another account outside the policy" as "$OTHER_KEY" s3api get-object --bucket jobs --key "$K" x.got
refused 254 AccessDenied "another account writes" as "$OTHER_KEY" s3api put-object --bucket jobs --key pub/w --body small.txt
refused 254 AccessDenied "another account reads the policy" as "$OTHER_KEY" s3api get-bucket-policy --bucket jobs
run "RestrictPublicBuckets on" u s3api put-public-access-block --bucket jobs --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=true
refused 254 AccessDenied "RestrictPublicBuckets ignores the public grant" as "$OTHER_KEY" s3api get-object --bucket jobs --key pub/small.txt x.got
run "delete-bucket-policy" u s3api delete-bucket-policy --bucket jobs
refused 254 NoSuchBucketPolicy "policy deleted" u s3api get-bucket-policy --bucket jobs
run "delete-public-access-block" u s3api delete-public-access-block --bucket jobs
refused 254 NoSuchPublicAccessBlockConfiguration "public access block deleted" u s3api get-public-access-block --bucket jobs
refused 254 NoSuchLifecycleConfiguration "no lifecycle yet" u s3api get-bucket-lifecycle-configuration --bucket jobs
run "put-bucket-lifecycle-configuration" u s3api put-bucket-lifecycle-configuration --bucket jobs --lifecycle-configuration \
    '{"Rules":[{"ID":"jobs-expire","Status":"Enabled","Filter":{"Prefix":"jobs/"},"Expiration":{"Days":7},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}}]}'
run "get-bucket-lifecycle-configuration" u s3api get-bucket-lifecycle-configuration --bucket jobs \
    --query 'Rules[0].[ID,Status,Filter.Prefix,Expiration.Days,AbortIncompleteMultipartUpload.DaysAfterInitiation]' --output text
is "jobs-expire	Enabled	jobs/	7	1" "$(cat "$W/out")" "lifecycle kept"
refused 254 NoSuchTagSet "no tags yet" u s3api get-bucket-tagging --bucket jobs
run "put-bucket-tagging" u s3api put-bucket-tagging --bucket jobs --tagging '{"TagSet":[{"Key":"nitrosetup","Value":"jobs"},{"Key":"b","Value":""}]}'
run "get-bucket-tagging" u s3api get-bucket-tagging --bucket jobs --query 'TagSet[].[Key,Value]' --output text
is "nitrosetup	jobs b	" "$(tr '\n' ' ' <"$W/out" | sed 's/ $//')" "tags kept"
refused 254 InvalidTag "duplicate tag keys" u s3api put-bucket-tagging --bucket jobs --tagging 'TagSet=[{Key=a,Value=1},{Key=a,Value=2}]'
refused 254 AccessDenied "another account changes a setting" as "$OTHER_KEY" s3api put-bucket-request-payment --bucket jobs \
    --request-payment-configuration Payer=Requester

ns_log "requester pays (the ptau mirror, owned by 444455556666)"
MB=twin-ptau-mirror
run "mirror: payer" as "$OWNER_KEY" s3api get-bucket-request-payment --bucket $MB --query Payer --output text
is Requester "$(cat "$W/out")" "the mirror is requester pays"
run "owner uploads without the header" as "$OWNER_KEY" s3 cp pot.ptau s3://$MB/ptau/pot.ptau --storage-class ONEZONE_IA --no-progress
run "owner uploads a file outside ptau/" as "$OWNER_KEY" s3 cp small.txt s3://$MB/private/small.txt --no-progress
refused 254 AccessDenied "no x-amz-request-payer: get-object" u s3api get-object --bucket $MB --key ptau/pot.ptau x.got
refused 254 '(403)' "no x-amz-request-payer: head-object" u s3api head-object --bucket $MB --key ptau/pot.ptau
refused 1 '403' "no x-amz-request-payer: s3 cp" u s3 cp s3://$MB/ptau/pot.ptau x.got --no-progress
refused 254 AccessDenied "no x-amz-request-payer: list" u s3 ls s3://$MB/ptau/
refused 254 AccessDenied "the instance role without the header" as "$ROLE_KEY" s3api get-object --bucket $MB --key ptau/pot.ptau x.got
run "with --request-payer requester" u s3 cp s3://$MB/ptau/pot.ptau pot.got --request-payer requester --no-progress
same pot.ptau pot.got "requester-pays download"
run "role with --request-payer requester" as "$ROLE_KEY" s3api get-object --bucket $MB --key ptau/pot.ptau pot.role \
    --request-payer requester --query RequestCharged --output text
is requester "$(cat "$W/out")" "x-amz-request-charged on a charged answer"
same pot.ptau pot.role "role's requester-pays download"
run "third party with the header" as "$OTHER_KEY" s3api head-object --bucket $MB --key ptau/pot.ptau --request-payer requester \
    --query '[RequestCharged,StorageClass]' --output text
is "requester	ONEZONE_IA" "$(cat "$W/out")" "third party head-object"
run "resume: --range bytes=100- with the header" u s3api get-object --bucket $MB --key ptau/pot.ptau --range bytes=100- \
    --request-payer requester pot.tail
tail -c +101 pot.ptau >pot.tail.want
same pot.tail.want pot.tail "requester-pays range"
run "list ptau/ with the header" u s3 ls s3://$MB/ptau/ --request-payer requester
grep -q 'pot.ptau' "$W/out" || ns_fail "ptau/ listing lacks pot.ptau"
refused 254 AccessDenied "outside ptau/ even with the header" u s3api get-object --bucket $MB --key private/small.txt x.got \
    --request-payer requester
refused 254 AccessDenied "listing outside ptau/" u s3api list-objects-v2 --bucket $MB --prefix private/ --request-payer requester
refused 254 '(403)' "a missing key is 403 without s3:ListBucket" as "$OTHER_KEY" s3api head-object --bucket $MB --key ptau/none.ptau \
    --request-payer requester
refused 254 NoSuchKey "a missing key is 404 to the owner" as "$OWNER_KEY" s3api get-object --bucket $MB --key ptau/none.ptau x.got
refused 254 AccessDenied "upload to the mirror" u s3api put-object --bucket $MB --key ptau/x --body small.txt --request-payer requester
run "owner reads without the header" as "$OWNER_KEY" s3api head-object --bucket $MB --key ptau/pot.ptau --query RequestCharged --output text
is None "$(cat "$W/out")" "the owner is not charged"

ns_log "public ptau path"
curl -sf -o pub.ptau "$URL/zkevm/ptau/pot.ptau" || ns_fail "public GET"
same pot.ptau pub.ptau "public GET"
is 200 "$(curl -s -o /dev/null -I -w '%{http_code}' "$URL/zkevm/ptau/pot.ptau")" "public HEAD"
curl -sf -D pub.hdr -o pub.part -H 'Range: bytes=1000-' "$URL/zkevm/ptau/pot.ptau" || ns_fail "public ranged GET"
grep -qi '^HTTP/1.1 206' pub.hdr || ns_fail "ranged GET is not 206"
grep -qi '^Content-Range: bytes 1000-2999999/3000000' pub.hdr || ns_fail "Content-Range: $(cat pub.hdr)"
tail -c +1001 pot.ptau >pub.part.want
same pub.part.want pub.part "public range"
head -c 1234567 pot.ptau >resume.ptau
curl -sf -C - -o resume.ptau "$URL/zkevm/ptau/pot.ptau" || ns_fail "curl -C - resume"
same pot.ptau resume.ptau "resumed public download"
is 416 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=3000000-' "$URL/zkevm/ptau/pot.ptau")" "range past the end"
is 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/zkevm/ptau/none.ptau")" "missing public file"
is 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/zkevm/ptau/../private/small.txt")" "outside ptau/"

ns_log "faults"
fault '{"name":"throttle","args":["PutObject","2"]}'
run "throttle PutObject 2: the CLI retries" u s3api put-object --bucket jobs --key t/1 --body small.txt
grep -c '"code":"SlowDown"' "$H/calls.log" | grep -qx 2 || ns_fail "want two SlowDown answers in the calls log"
ok
fault '{"name":"throttle","args":["PutObject","1"]}'
refused 254 SlowDown "throttle with AWS_MAX_ATTEMPTS=1" env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=$USER_KEY \
    "$AWS_CLI" --endpoint-url "$URL" s3api put-object --bucket jobs --key t/2 --body small.txt
fault '{"name":"throttle","args":["GetObject","1"]}'
run "throttle GetObject leaves PutObject alone" env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=$USER_KEY \
    "$AWS_CLI" --endpoint-url "$URL" s3api put-object --bucket jobs --key t/3 --body small.txt
refused 254 SlowDown "throttled GetObject" env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=$USER_KEY \
    "$AWS_CLI" --endpoint-url "$URL" s3api get-object --bucket jobs --key t/3 x.got

run "upload bootstrap.sh" u s3 cp bootstrap.sh s3://jobs/jobs/J1/in/bootstrap.sh --no-progress
fault '{"name":"bootstrap-hash","args":[]}'
run "bootstrap-hash: fetch" as "$ROLE_KEY" s3 cp s3://jobs/jobs/J1/in/bootstrap.sh boot.1 --no-progress
is 1 "$(cmp -l bootstrap.sh boot.1 | wc -l)" "bootstrap-hash changes exactly one byte"
is "$(stat -c %s bootstrap.sh)" "$(stat -c %s boot.1)" "bootstrap-hash keeps the length"
run "bootstrap-hash is one-shot" as "$ROLE_KEY" s3 cp s3://jobs/jobs/J1/in/bootstrap.sh boot.2 --no-progress
same bootstrap.sh boot.2 "second fetch after bootstrap-hash"

echo '{"seq":1}' >status.json
fault '{"name":"heartbeat-loss","args":[]}'
run "heartbeat-loss: the role's PUT answers 200" as "$ROLE_KEY" s3 cp status.json s3://jobs/jobs/J1/out/status.json --no-progress
refused 254 '(404)' "heartbeat-loss: not stored" u s3api head-object --bucket jobs --key jobs/J1/out/status.json
run "heartbeat-loss: other keys of the role are stored" as "$ROLE_KEY" s3 cp status.json s3://jobs/jobs/J1/out/host.log --no-progress
run "heartbeat-loss: stored" u s3api head-object --bucket jobs --key jobs/J1/out/host.log

fault '{"name":"ptau-mirror-403","args":[]}'
refused 254 AccessDenied "ptau-mirror-403 with the header" u s3api get-object --bucket $MB --key ptau/pot.ptau x.got \
    --request-payer requester
refused 254 AccessDenied "ptau-mirror-403 for the owner too" as "$OWNER_KEY" s3api get-object --bucket $MB --key ptau/pot.ptau x.got
curl -sf -o pub2.ptau "$URL/zkevm/ptau/pot.ptau" || ns_fail "the public path is not the mirror"
same pot.ptau pub2.ptau "public path during ptau-mirror-403"
run "the job bucket during ptau-mirror-403" u s3api head-object --bucket jobs --key a/small.txt

# upload-network-loss with a 30 s window instead of 60 (the fault's
# argument), long enough for the checks below on a busy machine.
fault '{"name":"upload-network-loss","args":["30"]}'
run "upload-network-loss: other keys still upload" as "$ROLE_KEY" s3 cp small.txt s3://jobs/jobs/J1/out/other.txt --no-progress
UPB=$(as "$ROLE_KEY" s3api create-multipart-upload --bucket jobs --key jobs/J1/out/bundle/big.zkey --query UploadId --output text) ||
    ns_fail "create-multipart-upload during upload-network-loss"
LOSS_START=$(date +%s)
refused 255 'Connection was closed' "upload-network-loss: UploadPart" env AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=$ROLE_KEY \
    "$AWS_CLI" --endpoint-url "$URL" s3api upload-part --bucket jobs --key jobs/J1/out/bundle/big.zkey --upload-id "$UPB" \
    --part-number 1 --body small.txt
refused 1 'Connection was closed' "upload-network-loss: a bundle file" env AWS_MAX_ATTEMPTS=2 AWS_ACCESS_KEY_ID=$ROLE_KEY \
    "$AWS_CLI" --endpoint-url "$URL" s3 cp small.txt s3://jobs/jobs/J1/out/bundle/a.txt --no-progress
[ $(($(date +%s) - LOSS_START)) -lt 29 ] || ns_fail "the upload-network-loss checks took longer than the window"
refused 254 '(404)' "nothing stored during the loss" u s3api head-object --bucket jobs --key jobs/J1/out/bundle/a.txt
is "[{\"type\":\"s3-multipart-upload\",\"id\":\"$UPB\",\"bucket\":\"jobs\",\"key\":\"jobs/J1/out/bundle/big.zkey\"}]" "$(live)" \
    "the upload left open by the loss is live"
# The window opened when the UploadPart reached the twin, a little after LOSS_START.
while [ $(($(date +%s) - LOSS_START)) -le 40 ]; do sleep 1; done
run "after the window" as "$ROLE_KEY" s3 cp small.txt s3://jobs/jobs/J1/out/bundle/a.txt --no-progress
run "abort the open upload" as "$ROLE_KEY" s3api abort-multipart-upload --bucket jobs --key jobs/J1/out/bundle/big.zkey --upload-id "$UPB"

ns_log "state survives a restart"
UPR=$(u s3api create-multipart-upload --bucket jobs --key r/open --query UploadId --output text) || ns_fail "create upload before restart"
stop_harness
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$H/state.json" || ns_fail "state.json is not JSON"
start_harness
run "object after restart" u s3 cp s3://jobs/m/big.bin big.again --no-progress
same big.bin big.again "20 MB object after restart"
is "[{\"type\":\"s3-multipart-upload\",\"id\":\"$UPR\",\"bucket\":\"jobs\",\"key\":\"r/open\"}]" "$(live)" "open upload after restart"
run "abort after restart" u s3api abort-multipart-upload --bucket jobs --key r/open --upload-id "$UPR"
refused 254 AccessDenied "requester pays still enforced after restart" u s3api get-object --bucket $MB --key ptau/pot.ptau x.got
run "empty the bucket" u s3 rm --recursive s3://jobs/
refused 254 BucketNotEmpty "bucket with an open upload" bash -c "
    AWS_ACCESS_KEY_ID=$USER_KEY $AWS_CLI --endpoint-url $URL s3api create-multipart-upload --bucket jobs --key z >/dev/null &&
    AWS_ACCESS_KEY_ID=$USER_KEY $AWS_CLI --endpoint-url $URL s3api delete-bucket --bucket jobs"
ZUP=$(u s3api list-multipart-uploads --bucket jobs --query 'Uploads[0].UploadId' --output text)
run "abort z" u s3api abort-multipart-upload --bucket jobs --key z --upload-id "$ZUP"
run "delete the empty bucket" u s3api delete-bucket --bucket jobs
refused 254 NoSuchBucket "bucket gone" u s3api list-objects-v2 --bucket jobs
[ -z "$(find "$H/s3/parts" -type f)" ] || ns_fail "part files left behind: $(find "$H/s3/parts" -type f)"
ok

ns_log "$CHECKS checks"
ns_pass
