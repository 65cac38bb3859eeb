/* Private to rng.c and dist.c: the xoshiro256** step as an inline function,
 * so that the distributions draw without a call per number (the M/M/1
 * benchmark draws two numbers per customer and is bound by that path). */
#ifndef FUELSIM_RNG_INT_H
#define FUELSIM_RNG_INT_H

#include "rng.h"

static inline uint64_t rng_rotl_(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Blackman and Vigna, 2018). */
static inline uint64_t rng_next_inline(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rng_rotl_(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl_(s[3], 45);
    return out;
}

/* Top 53 bits as a double in [0, 1). */
static inline double rng_uniform_inline(Rng *r)
{
    return (double)(rng_next_inline(r) >> 11) * 0x1.0p-53;
}

/* Top 52 bits, centred in their cell: (k + 0.5) / 2^52 lies in (0, 1), so
 * log() never sees 0 and 1 - u never rounds to 0 either. */
static inline double rng_uniform_pos_inline(Rng *r)
{
    return ((double)(rng_next_inline(r) >> 12) + 0.5) * 0x1.0p-52;
}

#endif
