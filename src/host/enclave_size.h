/* How large an enclave `host --eif` asks nitro-cli for, when the user gives
 * no --memory / --cpu-count.
 *
 * Memory.  Everything the enclave holds lives in RAM: the unpacked root
 * file system (about the EIF's size), and in its work directory under
 * /tmp (a tmpfs AWS's init mounts, capped at half the RAM) the ptau, the
 * r1cs and at most three keys at a time (0000, 0001 and final; each the
 * size of 0000.zkey); and the enclave compiles the circuit with circom2
 * (WASM under node), whose peak grows with the r1cs.  With E the EIF size,
 * P the ptau, Z the 0000.zkey and R the r1cs size:
 *     files  = P + 3 Z + R
 *     circom = 256 MiB + 8 R    (measured peak RSS: 153 MB for a 4.4 MB
 *                                r1cs, 292 MB for 35 MB)
 *     memory = max(4 E,                            nitro-cli's rule (E26)
 *                  2 files,                        /tmp holds at most half
 *                  E + files + circom + 512 MiB)   + kernel, program, buffers
 * rounded up to whole 2 MiB hugepages, and at least 64 MiB.
 *
 * vCPUs.  The CPUs the Nitro Enclaves allocator set aside for enclaves
 * (the list in /sys/module/nitro_enclaves/parameters/ne_cpus, e.g.
 * "2-7,10"), all of them, since every long step uses all cores; 2 when the
 * list cannot be read. */
#ifndef NS_HOST_ENCLAVE_SIZE_H
#define NS_HOST_ENCLAVE_SIZE_H

#include <stdint.h>

#include "util/error.h"

#define NS_NE_CPUS_PATH "/sys/module/nitro_enclaves/parameters/ne_cpus"

uint64_t ns_enclave_memory_mib(uint64_t eif_size, uint64_t ptau_size, uint64_t zkey_size, uint64_t r1cs_size);

/* The same from the files' sizes; fails when one cannot be read or the
 * result exceeds 2^30 MiB. */
int ns_enclave_memory_for(int *mib, const char *eif, const char *ptau, const char *zkey, const char *r1cs,
                          ns_error *err);

/* Number of CPUs in a list such as "2-7,10" (Linux cpulist format); -1 when
 * malformed or empty. */
int ns_cpulist_count(const char *list);

/* ns_cpulist_count of the file's first line, or fallback when unreadable. */
int ns_enclave_cpu_count(const char *ne_cpus_path, int fallback);

#endif
