/* nitrosetup-bench model: the memory model's table (docs/scale.md), from
 * protocol/sizing.h for a circuit that fills its domain like
 * bench/ceremony-scale's (m = w = n, 2 A/B terms per constraint), so the
 * page's table is what the code computes.  Not a measurement. */
#include <stdio.h>

#include "bench.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "protocol/sizing.h"

static double gib(uint64_t b) { return (double)b / (double)(1ull << 30); }

int ns_bench_model(int argc, char **argv) {
    long long from = 10, to = 28;
    static const ns_cmd_spec spec = {"model", "", 0, 0,
                                     "Prints the enclave memory model's table (docs/scale.md) for powers FROM..TO.\n"};
    const ns_opt opts[] = {
        OPT_INT(0, "from", &from, "K", 1, 28, "first power (default 10)"),
        OPT_INT(0, "to", &to, "K", 1, 28, "last power (default 28)"),
        OPT_END(),
    };
    int code;
    if (ns_opt_parse(&spec, opts, &argc, argv, &code) != 0) return code;
    if (from > to) return ns_cli_usage_error("model", "--from %lld is above --to %lld", from, to);
    printf("| power | reduced ptau | key | r1cs | circom | engine | peak | enclave memory (`--memory`) | instance "
           "(enclave vCPUs, $/h) |\n|---|---|---|---|---|---|---|---|---|\n");
    for (long long k = from; k <= to; k++) {
        ns_sizing_in in = {.power = (uint32_t)k};
        ns_sizing s;
        if (ns_sizing_enclave(&s, &in) != 0) continue;
        const ns_instance *i = ns_sizing_instance_for(s.memory_mib);
        char inst[96];
        if (i != NULL) snprintf(inst, sizeof inst, "%s (%u, %.3f)", i->name, i->enclave_vcpus, i->usd_per_hour);
        else snprintf(inst, sizeof inst, "none listed (> one 512 GiB node)");
        printf("| %lld | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.1f GiB (%llu MiB) | %s |\n", k, gib(s.ptau_kept),
               gib(s.zkey), gib(s.r1cs), gib(s.circom), gib(s.engine),
               s.peak == s.circom + s.r1cs ? "compile" : "engine", (double)s.memory_mib / 1024.0,
               (unsigned long long)s.memory_mib, inst);
    }
    return 0;
}
