/* nitrosetup-bench: benchmarks that time our code beside a reference
 * implementation (node + npm packages) in the same run.  Not part of the
 * product: the `nitrosetup` binary and library contain none of this. */
#ifndef NS_BENCH_H
#define NS_BENCH_H

#include <stddef.h>
#include <stdint.h>

int ns_bench_curve(int argc, char **argv); /* bench/curve.c */
int ns_bench_drand(int argc, char **argv); /* bench/drand.c */
int ns_bench_model(int argc, char **argv); /* bench/model.c: the memory model table, not a measurement */

/* Seeded inputs (also used by tests/compat/msm_driver.c). */
uint64_t bench_rng(uint64_t *state);                       /* splitmix64 step */
void bench_scalar(uint64_t k[4], uint64_t *state);         /* a value < r (top nibble clear) */
void bench_le32(uint8_t out[32], const uint64_t k[4]);     /* limbs -> 32 bytes little-endian */
int bench_save(const char *dir, const char *name, const void *p, size_t n); /* dir/name := p; 0 or -1 */

/* Monotonic clock in seconds. */
double bench_now(void);

/* The directory holding the npm oracles' node_modules: $NS_COMPAT, else
 * <source>/tests/compat; NULL if neither is known.  bench_source_dir gives
 * <source>: $NS_SOURCE, else the source tree this executable was built from. */
const char *bench_compat_dir(char *buf, size_t cap);
const char *bench_source_dir(void);

#endif
