#include "protocol/engine.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "drand/round.h"

void ns_doc_info_free(ns_doc_info *d) {
    for (int i = 0; i < d->ncerts; i++) free(d->certs[i]);
    d->ncerts = 0;
}

static void as_drand(ns_drand_chain *d, const ns_chain_ref *c) {
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", c->name);
    d->period = c->period > UINT32_MAX ? 0 : (uint32_t)c->period;
    d->genesis_time = c->genesis_time > (uint64_t)INT64_MAX ? -1 : (int64_t)c->genesis_time;
}

int ns_chain_commit_round(uint64_t *round, int64_t *due, const ns_chain_ref *c, uint64_t t, uint32_t margin,
                          ns_error *err) {
    ns_drand_chain d;
    as_drand(&d, c);
    if (d.period == 0 || d.genesis_time < 0 || t > (uint64_t)INT64_MAX)
        return ns_error_set(err, "drand chain %s: period or genesis out of range", c->name);
    return ns_drand_next_round_after(round, due, &d, (int64_t)t, (int64_t)margin, err);
}

int ns_chain_round_time(int64_t *out, const ns_chain_ref *c, uint64_t round, ns_error *err) {
    ns_drand_chain d;
    as_drand(&d, c);
    if (d.period == 0 || d.genesis_time < 0)
        return ns_error_set(err, "drand chain %s: period or genesis out of range", c->name);
    return ns_drand_time_of(out, &d, round, err);
}
