#include "ceremony/engine.h"

#include <stdlib.h>
#include <string.h>

void ns_doc_info_free(ns_doc_info *d) {
    for (int i = 0; i < d->ncerts; i++) free(d->certs[i]);
    d->ncerts = 0;
}

uint64_t ns_chain_next_round(const ns_chain_ref *c, uint64_t t) {
    if (c->period == 0) return 0;
    if (t < c->genesis_time) return 1;
    return (t - c->genesis_time) / c->period + 2;
}

uint64_t ns_chain_round_time(const ns_chain_ref *c, uint64_t round) {
    if (round == 0) return c->genesis_time;
    return c->genesis_time + (round - 1) * c->period;
}
