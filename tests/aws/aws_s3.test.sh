#!/usr/bin/env bash
# src/aws/s3.c through the real AWS CLI v2 against the AWS twin (with the
# test command ns_s3_tool): uploads (metadata, storage class, a multipart
# one above 8 MiB), head, the resumable download in pieces (a resume from a
# .part fetches only the rest, a .part longer than the object starts over),
# requester pays against a mirror owned by another account (403 without the
# header, nothing left behind), a missing key, multipart listing and abort
# under a prefix, and deleting a prefix.
source "$NS_COMPAT/lib.sh"
ns_workdir
cd "$W"
[ -x "${NS_S3_TOOL:-}" ] || ns_fail "NS_S3_TOOL (ns_s3_tool) is not built"
T=$NS_S3_TOOL
TW=$W/twin
"$NS_TWIN" up "$TW" > twin-up.log 2>&1 || { cat twin-up.log; ns_fail "twin up"; }
trap '"$NS_TWIN" down "$TW" > /dev/null 2>&1 || true' EXIT # (ns_pass removes $W: down first)
# shellcheck disable=SC1091
. "$TW/env"
A=$NITROSETUP_AWS
B=nitrosetup-jobs-111122223333-us-east-1
"$A" s3api create-bucket --bucket $B > /dev/null
head -c 3000000 /dev/urandom > obj.bin

# --- put, head ---
ns_check "put" "$T" put $B jobs/j1/in/obj.bin obj.bin --storage-class ONEZONE_IA --metadata blake2b=abcd0123
[ "$("$T" head $B jobs/j1/in/obj.bin)" = "3000000 abcd0123" ] || ns_fail "head: size and metadata"
[ "$("$A" s3api head-object --bucket $B --key jobs/j1/in/obj.bin --query StorageClass --output text)" = ONEZONE_IA ] ||
    ns_fail "the storage class was not sent"
ns_check "put a buffer" "$T" putbuf $B jobs/j1/out/status.json '{"seq": 2}'
[ "$("$A" s3 cp s3://$B/jobs/j1/out/status.json -)" = '{"seq": 2}' ] || ns_fail "the buffer did not arrive"
ns_check_fails "a missing key" "$T" head $B jobs/j1/in/nope
grep -q "s3://$B/jobs/j1/in/nope: .*\[not-found 404\]" "$W/last.log" || { cat "$W/last.log"; ns_fail "missing key not classified"; }

# --- the download in pieces ---
"$T" get $B jobs/j1/in/obj.bin d1 --chunk 1048576 > d1.log || { cat d1.log; ns_fail "get"; }
cmp -s d1 obj.bin || ns_fail "the download differs"
[ "$(grep -c '^progress ' d1.log)" = 4 ] || { cat d1.log; ns_fail "not 3 pieces"; }
[ -e d1.part ] && ns_fail "d1.part left behind"
# a .part holding 1000000 bytes resumes there: its (wrong) bytes stay, the rest comes
head -c 1000000 /dev/zero > d2.part
"$T" get $B jobs/j1/in/obj.bin d2 --chunk 1048576 > d2.log || { cat d2.log; ns_fail "resumed get"; }
head -1 d2.log | grep -q "^progress 1000000/3000000$" || { cat d2.log; ns_fail "did not resume at 1000000"; }
cmp -s d2 <(head -c 1000000 /dev/zero; tail -c +1000001 obj.bin) || ns_fail "the resume fetched more than the rest"
# a .part longer than the object is not this object's: started over
head -c 4000000 /dev/zero > d3.part
ns_check "get over a longer .part" "$T" get $B jobs/j1/in/obj.bin d3 --chunk 2000000
cmp -s d3 obj.bin || ns_fail "a longer .part was not started over"

# --- requester pays: a mirror owned by another account ---
owner() { AWS_ACCESS_KEY_ID=$TWIN_MIRROR_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$TWIN_MIRROR_SECRET_ACCESS_KEY "$@"; }
M=twin-ptau-mirror
owner "$A" s3api head-bucket --bucket $M > /dev/null 2>&1 || owner "$A" s3api create-bucket --bucket $M > /dev/null
owner "$A" s3api put-bucket-request-payment --bucket $M --request-payment-configuration Payer=Requester
owner "$A" s3api put-bucket-policy --bucket $M --policy \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::twin-ptau-mirror/ptau/*"}]}'
owner "$A" s3 cp obj.bin s3://$M/ptau/x.ptau --only-show-errors
ns_check_fails "the mirror without --request-payer" "$T" get $M ptau/x.ptau m1 --chunk 1048576
grep -q "\[service 403\]" "$W/last.log" || { cat "$W/last.log"; ns_fail "no 403 without the request-payer header"; }
[ -e m1 ] && ns_fail "a refused download left its file"
ns_check "the mirror with --request-payer requester" "$T" get $M ptau/x.ptau m2 --requester-pays --chunk 1048576
cmp -s m2 obj.bin || ns_fail "the requester-pays download differs"
"$NS_TWIN" fault "$TW" ptau-mirror-403
ns_check_fails "the mirror answering 403" "$T" get $M ptau/x.ptau m3 --requester-pays
grep -q "AccessDenied\|403" "$W/last.log" || { cat "$W/last.log"; ns_fail "fault ptau-mirror-403 not seen"; }
"$NS_TWIN" fault "$TW" clear

# --- multipart: a put above 8 MiB, then open uploads listed and aborted under a prefix ---
head -c $((9 * 1048576)) /dev/urandom > big.bin
ns_check "multipart put" "$T" put $B jobs/j1/out/bundle/big.bin big.bin
[ "$("$T" head $B jobs/j1/out/bundle/big.bin)" = "$((9 * 1048576)) -" ] || ns_fail "the multipart upload's size"
for k in out/bundle/a out/bundle/b in/c; do
    "$A" s3api create-multipart-upload --bucket $B --key "jobs/j1/$k" > /dev/null
done
"$T" uploads $B jobs/j1/out/ > ups.txt || ns_fail "uploads"
[ "$(wc -l < ups.txt)" = 2 ] && grep -q "^jobs/j1/out/bundle/a " ups.txt && grep -q "^jobs/j1/out/bundle/b " ups.txt ||
    { cat ups.txt; ns_fail "the open uploads under out/ are not listed"; }
[ "$("$T" abort $B jobs/j1/out/)" = "aborted 2" ] || ns_fail "abort under out/"
[ -z "$("$T" uploads $B jobs/j1/out/)" ] || ns_fail "uploads left under out/"
[ "$("$T" uploads $B jobs/j1/in/ | wc -l)" = 1 ] || ns_fail "the abort reached outside its prefix"
"$NS_TWIN" state "$TW" | grep -c "\"type\": \"s3-multipart-upload\"" | grep -qx 1 || ns_fail "the twin does not list the one open upload"
[ "$("$T" abort $B jobs/j1/)" = "aborted 1" ] || ns_fail "abort of the last upload"
"$NS_TWIN" state "$TW" | grep -q "\"type\": \"s3-multipart-upload\"" && ns_fail "an open upload is still live"

# --- delete a prefix ---
ns_check_fails "rm with an empty prefix" "$T" rm $B ""
ns_check "rm jobs/j1/" "$T" rm $B jobs/j1/
[ -z "$("$A" s3 ls --recursive s3://$B/jobs/j1/)" ] || ns_fail "objects left under jobs/j1/"
"$NS_TWIN" down "$TW" > /dev/null 2>&1 || true
ns_pass
