#!/usr/bin/env bash
# Smoke test for `nitrosetup-bench curve --json --quick`, so the benchmark
# does not rot: it must exit 0 (which includes its own cross-checks of the
# MSM, batch multiply and scalar multiplication against ffjavascript) and
# print a JSON array of {op, ours, reference, unit, ratio} for the six ops.
set -euo pipefail
: "${NS_BENCH_BIN:?}" "${NS_COMPAT:?}" "${NS_SOURCE:?}"
out="$("$NS_BENCH_BIN" curve --json --quick --threads 2)"
printf '%s\n' "$out"
printf '%s' "$out" | node -e '
let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
  const a = JSON.parse(s);
  const want = ["fq_mul", "g1_mul_ct", "g1_batch_mul", "g1_msm", "pairing", "g1_batch_mul_var"];
  if (!Array.isArray(a) || a.length !== want.length) throw new Error("not an array of " + want.length);
  a.forEach((r, i) => {
    if (r.op !== want[i]) throw new Error("op " + i + " is " + r.op);
    for (const k of ["ours", "reference", "ratio"])
      if (typeof r[k] !== "number" || !(r[k] > 0)) throw new Error(r.op + ": bad " + k);
    if (typeof r.unit !== "string") throw new Error(r.op + ": bad unit");
  });
  console.log("msm_bench_smoke: OK");
});'
"$NS_BENCH_BIN" curve --help | grep "usage: nitrosetup-bench curve" >/dev/null
if "$NS_BENCH_BIN" curve --bogus 2>/dev/null; then echo "msm_bench_smoke: FAIL: bad option accepted" >&2; exit 1; fi
# the product carries no benchmark and no build path
if "${NS_BIN:?}" bench --help >/dev/null 2>&1; then echo "msm_bench_smoke: FAIL: nitrosetup still has bench" >&2; exit 1; fi
if grep -qF "$NS_SOURCE" "$NS_BIN"; then echo "msm_bench_smoke: FAIL: nitrosetup contains the source path" >&2; exit 1; fi
