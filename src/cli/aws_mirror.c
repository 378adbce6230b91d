/* `nitrosetup aws mirror-ptau`: the requester-pays ptau mirror
 * (app/ptau_mirror.h, docs/aws-mirror.md). */
#include <stdio.h>

#include "app/ptau_mirror.h"
#include "cli/aws_commands.h"
#include "cli/commands.h"
#include "cli/opt.h"

static const ns_cmd_spec SPEC = {
    "aws mirror-ptau", "--bucket NAME", 0, 0,
    "Makes or refreshes the requester-pays ptau mirror (docs/aws-mirror.md): the\n"
    "bucket (created when missing; public-access block, requester pays, a policy\n"
    "letting any AWS principal read ptau/*, a tag), then for each power the Hermez\n"
    "file under ptau/, One Zone-IA, with its BLAKE2b-512 as metadata: skipped when\n"
    "already there, else taken from --from DIR or downloaded, and checked against\n"
    "the Hermez table first (a wrong file is refused and not uploaded); ptau/B2SUMS\n"
    "at the end.  Idempotent.  Run it with the mirror owner's credentials.\n",
};

int ns_aws_cmd_mirror_ptau(int argc, char **argv) {
    ns_mirror_opts o = {0};
    long long min_p = 8, max_p = 26;
    int rc;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "bucket", &o.bucket, "NAME", "the mirror bucket"),
        OPT_STRING(0, "region", &o.region, "R", "its region (default us-east-1)"),
        OPT_INT(0, "min-power", &min_p, "N", 8, 28, "the smallest power (default 8)"),
        OPT_INT(0, "max-power", &max_p, "N", 8, 28, "the largest power (default 26)"),
        OPT_STRING(0, "from", &o.from_dir, "DIR", "take the Hermez files from here when present"),
        OPT_STRING(0, "url-base", &o.url_base, "URL", "where to download the others (default: Hermez's)"),
        OPT_STRING(0, "scratch", &o.scratch, "DIR", "where downloads go (default $TMPDIR; a 2^26 file is 72 GiB)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if (o.bucket == NULL) return ns_cli_usage_error("aws mirror-ptau", "--bucket is required");
    if (min_p > max_p) return ns_cli_usage_error("aws mirror-ptau", "--min-power is above --max-power");
    o.min_power = (uint32_t)min_p;
    o.max_power = (uint32_t)max_p;
    ns_mirror_report rep;
    ns_error err;
    rc = ns_ptau_mirror(&o, &rep, &err);
    printf("mirror s3://%s/ptau/: %d uploaded, %d already there, %d refused, %d failed\n", o.bucket, rep.uploaded,
           rep.skipped, rep.refused, rep.failed);
    if (rc != 0) {
        ns_error_print(&err);
        return 1;
    }
    return 0;
}
