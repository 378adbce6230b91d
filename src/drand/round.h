/* drand round arithmetic (integer UNIX seconds, drand common/time.go).
 *
 *   time_of(r)        = genesis + (r - 1) * period          (r >= 1)
 *   round_at(t)       = floor((t - genesis) / period) + 1   (t >= genesis), else 0
 *   next_round_after(t, margin): the first round whose time is strictly
 *                       after t + margin. */
#ifndef NS_DRAND_ROUND_H
#define NS_DRAND_ROUND_H

#include <stddef.h>
#include <stdint.h>

#include "drand/chains.h"
#include "util/error.h"

/* The round current at time t: the latest round scheduled at or before t;
 * 0 when t is before genesis (no beacon yet). */
uint64_t ns_drand_round_at(const ns_drand_chain *c, int64_t t);

/* Scheduled time of round r (r >= 1).  Fails for r = 0 and for rounds whose
 * time does not fit in int64. */
int ns_drand_time_of(int64_t *out, const ns_drand_chain *c, uint64_t round, ns_error *err);

/* The first round whose time is strictly after t + margin (margin >= 0),
 * and that time.  Use it to commit to a round nobody knows yet. */
int ns_drand_next_round_after(uint64_t *round, int64_t *time_out, const ns_drand_chain *c,
                              int64_t t, int64_t margin, ns_error *err);



/* Parses a time: decimal UNIX seconds ("1700000000"), "now", or RFC 3339
 * ("2023-11-14T22:13:20Z", "...+01:00", fractional seconds are floored). */
int ns_drand_parse_time(int64_t *out, const char *s, ns_error *err);

/* Formats UNIX seconds as "YYYY-MM-DDTHH:MM:SSZ" (buf >= 32 bytes). */
void ns_drand_format_time(char *buf, size_t cap, int64_t t);
#endif
