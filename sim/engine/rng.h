/* Random streams. A replicate's numbers depend only on (seed, replicate,
 * stream), never on threads or scheduling: each (seed, rep, stream) triple
 * gets its own generator state, derived without touching any other stream.
 * Streams by purpose keep models apart, so that a change in one model does
 * not shift another model's draws (common random numbers across investment
 * options). An Rng is a plain value: one per replicate and purpose, no
 * shared state. */
#ifndef FUELSIM_RNG_H
#define FUELSIM_RNG_H

#include <stdint.h>

/* Sub-streams of a replicate, by purpose. Append new ones at the end only:
 * renumbering would change every existing result. */
enum {
    RNG_HAZARD,      /* between- and within-event residuals, liquefaction */
    RNG_DAMAGE,      /* damage states */
    RNG_RESTORE,     /* restoration times */
    RNG_LOGISTICS,   /* travel, loading and queueing variability */
    RNG_DEMAND,      /* demand variability */
    RNG_POLICY,      /* tie-breaking in dispatch and planning */
    RNG_CHAIN,       /* delays in the chain of requests, stockpile release */
    RNG_NETWORK,     /* road clearance and congestion, rail, fairways, grid */
    RNG_NSTREAMS
};

typedef struct Rng { uint64_t s[4]; } Rng;

/* Initialise r for (seed, rep, stream). */
void rng_init(Rng *r, uint64_t seed, uint64_t rep, uint32_t stream);

/* Next 64 random bits. */
uint64_t rng_next(Rng *r);

/* Uniform double in [0, 1), 53 bits. */
double rng_uniform(Rng *r);

/* Uniform double in (0, 1): never 0, for logs. */
double rng_uniform_pos(Rng *r);

/* Uniform integer in [0, n), unbiased; 0 when n == 0. */
uint64_t rng_below(Rng *r, uint64_t n);

#endif
