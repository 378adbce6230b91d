/* Enclave sizing: how much memory a ceremony's enclave needs and which
 * instance holds it (docs/scale.md, fitted to bench/ceremony-scale).
 *
 * An enclave has no disk: every file it keeps is RAM.  It keeps only the
 * ptau sections of the circuit's domain, contribute / beacon free their
 * input as they read it, and it compiles the circuit before the host sends
 * 0000.zkey and the ptau (protocol READY), so its peak is the larger of
 *
 *   compile = circom's heap + r1cs + circuit bundle
 *   engine  = files + the phase-2 engine's scratch, where
 *   files   = 0000.zkey (one key at a time) + r1cs + circuit bundle
 *             + reduced ptau (576 bytes per domain point)
 *   M       = peak * 1.10 + base (kernel, init) + the image (its unpacked
 *             root file system stays in RAM), and at least 4 x the image
 *
 * in whole 2 MiB pages (whole 1 GiB pages above 4 GiB).  host --eif,
 * `aws pack` and `ceremony` size the enclave with this one function. */
#ifndef NS_PROTOCOL_SIZING_H
#define NS_PROTOCOL_SIZING_H

#include <stdint.h>

typedef struct {
    uint32_t power;         /* the key's domain is 2^power (1..28) */
    uint64_t constraints;   /* r1cs constraints (0: the domain, 2^power) */
    uint64_t wires;         /* r1cs wires (0: = constraints) */
    uint64_t ab_terms;      /* A and B terms of all constraints (0: 2 per constraint) */
    uint64_t r1cs_bytes;    /* the r1cs's size when known, else 0 (estimated) */
    uint64_t zkey_bytes;    /* 0000.zkey's size when known, else 0 (estimated) */
    uint64_t cbundle_bytes; /* circuit.tar */
    uint64_t eif_bytes;     /* the enclave image (nitro-cli needs >= 4x), 0: unknown */
} ns_sizing_in;

typedef struct {
    uint64_t ptau_kept, zkey, r1cs, files; /* bytes */
    uint64_t circom, engine, work;         /* bytes: heaps; work = max(circom, engine) */
    uint64_t peak;                         /* bytes: max(circom + r1cs + bundle, files + engine) */
    uint64_t memory_mib;                   /* what to give nitro-cli --memory */
} ns_sizing;

/* Bytes of the reduced ptau the enclave keeps for a domain of 2^power. */
uint64_t ns_sizing_ptau_kept(uint32_t power);
/* Size of a Groth16 zkey of snarkjs's layout for these circuit numbers. */
uint64_t ns_sizing_zkey_bytes(uint32_t power, uint64_t wires, uint64_t npublic, uint64_t ab_terms);

/* The model.  Returns 0, or -1 when the power is out of range. */
int ns_sizing_enclave(ns_sizing *out, const ns_sizing_in *in);
/* Shorthand: memory in MiB for a circuit of that power and constraint count
 * (everything else estimated), 0 when out of range. */
uint64_t ns_sizing_memory_mib(uint32_t power, uint64_t constraints);
/* The model for a prepared ceremony: the power and the sizes of the r1cs and
 * 0000.zkey files themselves (circuit numbers from the key's header), the
 * circuit bundle and the image (either may be NULL: not counted).  0 when a
 * file cannot be read. */
uint64_t ns_sizing_memory_mib_files(const char *r1cs, const char *zkey0, const char *cbundle, const char *eif);
/* The least enclave memory nitro-cli accepts for an image: 4x its size, in
 * MiB, rounded up. */
uint64_t ns_sizing_memory_for_eif(uint64_t eif_bytes);

/* One instance type a one-NUMA-node enclave can run on (prices: on-demand
 * us-east-1 from docs/scale.md, not live; check before quoting a cost). */
typedef struct {
    const char *name;
    uint32_t vcpus, ram_gib;
    uint32_t enclave_vcpus;   /* vcpus - 2 (the parent keeps a core) */
    uint32_t enclave_mib;     /* RAM - max(4 GiB, RAM / 8) for the parent */
    double usd_per_hour;
} ns_instance;

/* The cheapest listed instance whose enclave share holds memory_mib, or NULL
 * when none does (larger than one NUMA node of the listed types). */
const ns_instance *ns_sizing_instance_for(uint64_t memory_mib);
/* The table, smallest first. */
const ns_instance *ns_sizing_instance_table(int *n);

#endif
