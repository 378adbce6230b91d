/* The two ramdisks of an enclave image, as nitro-cli lays them out.
 *
 * Ramdisk 1 (bootstrap) is what nitro-cli's linuxkit run writes for the
 * AWS blobs: "dev" (directory), "init" and "nsm.ko" (0755), in that order,
 * root-owned, at linuxkit's default time; so its PCR1 is AWS's for the
 * same blobs.
 *
 * Ramdisk 2 (the application) is canonical: "cmd" and "env" (one line per
 * argv element / KEY=VALUE, mode 0644, read and deleted by AWS's init),
 * "rootfs" and every file, directory and symbolic link under the given
 * root directory as "rootfs/<path>", plus the mount points init needs
 * (rootfs/dev, proc, run, sys, tmp, var) when absent.  Paths sorted
 * bytewise, uid/gid 0, one time (linuxkit's) for all, modes fixed:
 * directories 0755, files 0755 when any execute bit is set and 0644
 * otherwise, symbolic links 0777 with their target as data.  Hard links
 * are stored as separate files; sockets, devices and FIFOs are refused.
 * Nothing of the build machine (owners, times, umask, directory order)
 * reaches the bytes. */
#ifndef NS_NITRO_RAMDISK_H
#define NS_NITRO_RAMDISK_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/cpio.h"
#include "util/error.h"

int ns_ramdisk_bootstrap(ns_cpio *out, const uint8_t *init, size_t init_len, const uint8_t *nsm_ko, size_t nsm_len,
                         ns_error *err);

/* cmd: ncmd >= 1 argv elements; env: KEY=VALUE strings.  No element may
 * contain a newline (init reads one per line). */
int ns_ramdisk_application(ns_cpio *out, const char *rootfs_dir, const char *const *cmd, int ncmd,
                           const char *const *env, int nenv, ns_error *err);

#endif
