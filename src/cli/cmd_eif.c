/* `nitrosetup eif measure <image.eif> [--json]`: the PCRs of an enclave image.
 * `nitrosetup eif build <out.eif> --rootfs DIR [--blobs DIR] -- CMD...`: writes one. */
#include <stdio.h>

#include <jansson.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "nitro/eif.h"
#include "util/hex.h"

static const ns_cmd_spec MEASURE = {
    "eif measure", "<image.eif>", 1, 1,
    "Computes the enclave measurements of an Enclave Image File offline, as\n"
    "'nitro-cli describe-eif' does: PCR0 (kernel, cmdline and every ramdisk),\n"
    "PCR1 (kernel, cmdline, first ramdisk), PCR2 (the other ramdisks) and, for a\n"
    "signed image, PCR8 (the signing certificate).  The metadata section is not\n"
    "measured.  The file is checked strictly (layout, section order, CRC32).\n"
    "Exit 0 on success, 2 when the file is not a valid EIF.\n",
};

static int cmd_measure(int argc, char **argv) {
    int json = 0, rc;
    const ns_opt OPTS[] = {
        OPT_BOOL(0, "json", &json, "print {\"Measurements\": {\"HashAlgorithm\", \"PCR0\", ...}, ...}"),
        OPT_END(),
    };
    if (ns_opt_parse(&MEASURE, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_eif_measurement m;
    ns_error err;
    if (ns_eif_measure_file(&m, path, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    char p[4][97];
    ns_hex_encode(p[0], m.pcr0, 48);
    ns_hex_encode(p[1], m.pcr1, 48);
    ns_hex_encode(p[2], m.pcr2, 48);
    ns_hex_encode(p[3], m.pcr8, 48);
    if (json) {
        json_t *o = json_object(), *meas = json_object();
        json_object_set_new(meas, "HashAlgorithm", json_string("Sha384 { ... }"));
        json_object_set_new(meas, "PCR0", json_string(p[0]));
        json_object_set_new(meas, "PCR1", json_string(p[1]));
        json_object_set_new(meas, "PCR2", json_string(p[2]));
        if (m.is_signed) json_object_set_new(meas, "PCR8", json_string(p[3]));
        json_object_set_new(o, "Measurements", meas);
        json_object_set_new(o, "EifVersion", json_integer(m.version));
        json_object_set_new(o, "Arch", json_string(m.flags & 1 ? "aarch64" : "x86_64"));
        json_object_set_new(o, "Sections", json_integer(m.num_sections));
        json_object_set_new(o, "Ramdisks", json_integer(m.nramdisks));
        json_object_set_new(o, "IsSigned", json_boolean(m.is_signed));
        if (m.is_signed) {
            json_object_set_new(o, "SignatureCheck", json_boolean(m.signature_valid));
            json_object_set_new(o, "SignedPCR0Matches", json_boolean(m.signature_pcr0_ok));
        }
        if (m.has_crc) {
            char c[9];
            snprintf(c, sizeof c, "%08x", m.crc32);
            json_object_set_new(o, "CRC32", json_string(c));
        }
        json_dumpf(o, stdout, JSON_INDENT(2));
        printf("\n");
        json_decref(o);
    } else {
        printf("PCR0 %s\nPCR1 %s\nPCR2 %s\n", p[0], p[1], p[2]);
        if (m.is_signed) printf("PCR8 %s\n", p[3]);
        printf("version %u, %s, %u sections (%u ramdisks)%s", m.version, m.flags & 1 ? "aarch64" : "x86_64",
               m.num_sections, m.nramdisks, m.is_signed ? ", signed" : ", unsigned");
        if (m.has_crc) printf(", CRC32 %08x OK", m.crc32);
        printf("\n");
        if (m.is_signed && !m.signature_valid)
            printf("warning: the image signature does not verify with its signing certificate\n");
        if (m.is_signed && !m.signature_pcr0_ok)
            printf("warning: the signature section does not sign this PCR0\n");
    }
    return 0;
}

static const ns_cli_subcommand SUBS[] = {
    {"measure", cmd_measure, "<image.eif>: PCR0/1/2/8 of an enclave image, offline"},
    {"build", ns_cmd_eif_build, "<out.eif> --rootfs DIR -- CMD...: write an enclave image reproducibly"},
};

int ns_cmd_eif(int argc, char **argv) {
    return ns_cli_dispatch("eif", "Enclave Image Files.\n", SUBS, sizeof SUBS / sizeof SUBS[0], argc, argv);
}
