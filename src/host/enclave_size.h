/* How many vCPUs `host --eif` gives the enclave when the user gives no
 * --cpu-count: the CPUs the Nitro Enclaves allocator set aside for enclaves
 * (the list in /sys/module/nitro_enclaves/parameters/ne_cpus, e.g.
 * "2-7,10"), all of them, since every long step uses all cores; the
 * fallback when the list cannot be read.  (Memory comes from the one
 * model, protocol/sizing.h.) */
#ifndef NS_HOST_ENCLAVE_SIZE_H
#define NS_HOST_ENCLAVE_SIZE_H

#define NS_NE_CPUS_PATH "/sys/module/nitro_enclaves/parameters/ne_cpus"

/* Number of CPUs in a list such as "2-7,10" (Linux cpulist format); -1 when
 * malformed or empty. */
int ns_cpulist_count(const char *list);

/* ns_cpulist_count of the file's first line, or fallback when unreadable. */
int ns_enclave_cpu_count(const char *ne_cpus_path, int fallback);

#endif
