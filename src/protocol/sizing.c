#include "protocol/sizing.h"

#include <stddef.h>
#include <sys/stat.h>

#include "formats/zkey.h"
#include "util/mapfile.h"

#define MIB ((uint64_t)1 << 20)

/* Fitted to bench/ceremony-scale (docs/scale.md): the enclave's own memory
 * (heap, stacks, not files) while compiling and while verifying. */
#define CIRCOM_BASE (64 * MIB)        /* circom with a tiny circuit */
#define CIRCOM_PER_CONSTRAINT 2100    /* bytes per constraint (circom2 WASM: 96 MiB at 2^14, 192 at 2^16) */
#define ENGINE_BASE (32 * MIB)        /* the engine's fixed buffers, MSM chunks */
#define ENGINE_PER_POINT 360          /* bytes per domain point (verify: 31, 44, 111 MiB at 2^14, 2^16, 2^18) */
#define BASE_MIB 512                  /* kernel, init, page tables */
#define MARGIN_PERCENT 10

uint64_t ns_sizing_ptau_kept(uint32_t power) {
    if (power > 28) return 0;
    /* tauG1[0, 2n) 128 n, Lagrange G1 blocks 2^k and 2^(k+1) 192 n, G2 block
     * 128 n, alpha and beta blocks 128 n; headers, section 7 (the Hermez
     * files carry ~100 KiB of contributions) and the window table */
    return 576ull * ((uint64_t)1 << power) + 256 * 1024;
}

uint64_t ns_sizing_zkey_bytes(uint32_t power, uint64_t wires, uint64_t npublic, uint64_t ab_terms) {
    uint64_t n = (uint64_t)1 << power;
    if (npublic + 1 > wires) wires = npublic + 1;
    return 12 + 10 * 12 + 4 + 660 + (npublic + 1) * 64 + 4 + 44 * (ab_terms + npublic + 1) + wires * (64 + 64 + 128) +
           (wires - npublic - 1) * 64 + n * 64 + 68 + 2 * 512;
}

int ns_sizing_enclave(ns_sizing *out, const ns_sizing_in *in) {
    if (in->power < 1 || in->power > 28) return -1;
    uint64_t n = (uint64_t)1 << in->power;
    uint64_t m = in->constraints ? in->constraints : n;
    uint64_t wires = in->wires ? in->wires : m;
    uint64_t ab = in->ab_terms ? in->ab_terms : 2 * m;
    out->ptau_kept = ns_sizing_ptau_kept(in->power);
    out->zkey = in->zkey_bytes ? in->zkey_bytes : ns_sizing_zkey_bytes(in->power, wires, 1, ab);
    /* r1cs: per constraint 3 counts, 36 bytes per term (C: one per constraint assumed), labels 8 per wire */
    out->r1cs = in->r1cs_bytes ? in->r1cs_bytes : 64 + 12 * m + 36 * (ab + m) + 8 * wires;
    out->files = out->ptau_kept + out->zkey + out->r1cs + in->cbundle_bytes;
    out->circom = CIRCOM_BASE + CIRCOM_PER_CONSTRAINT * m;
    out->engine = ENGINE_BASE + ENGINE_PER_POINT * n;
    out->work = out->circom > out->engine ? out->circom : out->engine;
    /* compile first (protocol READY): circom never meets the key and the ptau */
    uint64_t compile = out->circom + out->r1cs + in->cbundle_bytes, engine = out->files + out->engine;
    out->peak = compile > engine ? compile : engine;
    uint64_t total = out->peak / 100 * (100 + MARGIN_PERCENT);
    uint64_t mib = (total + MIB - 1) / MIB + BASE_MIB + (in->eif_bytes + MIB - 1) / MIB;
    if (mib > 4096) mib = (mib + 1023) / 1024 * 1024; /* whole 1 GiB hugepages */
    else mib += mib & 1;                              /* whole 2 MiB pages */
    uint64_t eif = ns_sizing_memory_for_eif(in->eif_bytes);
    out->memory_mib = mib > eif ? mib : eif;
    return 0;
}

uint64_t ns_sizing_memory_mib(uint32_t power, uint64_t constraints) {
    ns_sizing_in in = {.power = power, .constraints = constraints};
    ns_sizing s;
    return ns_sizing_enclave(&s, &in) == 0 ? s.memory_mib : 0;
}

static int file_size(uint64_t *out, const char *path) {
    struct stat st;
    *out = 0;
    if (path == NULL) return 0;
    if (stat(path, &st) != 0) return -1;
    *out = (uint64_t)st.st_size;
    return 0;
}

uint64_t ns_sizing_memory_mib_files(const char *r1cs, const char *zkey0, const char *cbundle, const char *eif) {
    uint64_t r1cs_b, cb, eif_b;
    ns_mapfile m;
    ns_zkey z;
    ns_error err;
    if (file_size(&r1cs_b, r1cs) || r1cs == NULL || file_size(&cb, cbundle) || file_size(&eif_b, eif) ||
        ns_zkey_open(&z, &m, zkey0, 2, &err) != 0)
        return 0;
    ns_sizing_in in = {.power = z.h.power, .constraints = z.h.domain_size, .wires = z.h.nvars,
                       .r1cs_bytes = r1cs_b, .zkey_bytes = m.size, .cbundle_bytes = cb, .eif_bytes = eif_b};
    ns_mapfile_close(&m);
    ns_sizing s;
    return ns_sizing_enclave(&s, &in) == 0 ? s.memory_mib : 0;
}

uint64_t ns_sizing_memory_for_eif(uint64_t eif_bytes) { return (4 * eif_bytes + MIB - 1) / MIB; }

/* r6i (Ice Lake): one NUMA node up to 16xlarge; prices linear from
 * $0.126/h for .large (docs/scale.md: on-demand us-east-1 list prices).  The
 * parent keeps 2 vCPUs (a core) and max(4 GiB, RAM/8). */
#define INST(nm, v, g, usd) {nm, v, g, (v) - 2, (uint32_t)((g) * 1024 - ((g) / 8 > 4 ? (g) / 8 : 4) * 1024), usd}
static const ns_instance TABLE[] = {
    INST("r6i.xlarge", 4, 32, 0.252),    INST("r6i.2xlarge", 8, 64, 0.504),   INST("r6i.4xlarge", 16, 128, 1.008),
    INST("r6i.8xlarge", 32, 256, 2.016), INST("r6i.16xlarge", 64, 512, 4.032),
};

const ns_instance *ns_sizing_instance_table(int *n) {
    *n = (int)(sizeof TABLE / sizeof TABLE[0]);
    return TABLE;
}

const ns_instance *ns_sizing_instance_for(uint64_t memory_mib) {
    for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
        if (memory_mib <= TABLE[i].enclave_mib) return &TABLE[i];
    return NULL;
}
