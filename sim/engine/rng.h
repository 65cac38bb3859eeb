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

/* Keyed draws, for common random numbers: a number that is a function of
 * (seed, rep, stream, a, b) alone, not of how many numbers were drawn
 * before it. A model keys a draw by the entity and its own count (a unit
 * and its trip number, say), so that an event earlier or later elsewhere
 * shifts no other entity's numbers. About 3 ns a number. */
typedef struct RngKey { uint64_t k; } RngKey;

/* The key of (seed, rep, stream); independent of rng_init's states. */
void rng_key_init(RngKey *key, uint64_t seed, uint64_t rep, uint32_t stream);

/* Uniform double in (0, 1) for (key, a, b): never 0, for logs. */
double rng_keyed_uniform_pos(const RngKey *key, uint64_t a, uint64_t b);

#endif
