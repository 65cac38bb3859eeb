/* Random streams: xoshiro256** generators, one per (seed, rep, stream),
 * seeded by hashing the triple.
 *
 * Why hashing and not jumps: xoshiro256** has a jump() of 2^128 steps, but
 * reaching replicate r that way costs r jumps (each 1,024 steps), and the
 * stream of replicate r should be found in O(1) by whichever thread runs it.
 * Counter-based Philox4x32-10 also gives O(1) access but costs about 10
 * multiply rounds per 128 bits; xoshiro256** costs about 1 ns per 64 bits,
 * which the event loop needs. So each triple is hashed to a 256-bit starting
 * state (the approach of numpy's SeedSequence): the state is a deterministic
 * function of (seed, rep, stream) alone.
 *
 * The hash: two chains of the SplitMix64 finaliser (Stafford's Mix13, a
 * bijection of 64-bit words with full avalanche), one per salt. In each chain
 * every step is a bijection of the new input for fixed earlier inputs, so two
 * triples that differ only in rep, or only in stream, never share a chain
 * value; arbitrary triples collide in both chains with probability about
 * 2^-128. Starting points are then effectively random in a period of
 * 2^256 - 1: n streams of L draws overlap with probability below
 * n^2 L / 2^256. */
#include "rng.h"
#include "rng_int.h"

/* 64x64 -> 128-bit product; GCC and Clang have it on every 64-bit target. */
__extension__ typedef unsigned __int128 RngU128;

#define RNG_GOLDEN 0x9e3779b97f4a7c15ULL   /* 2^64 / golden ratio, odd */
#define RNG_GOLDEN2 0xd1b54a32d192ed03ULL  /* another odd constant (R2 sequence) */

static uint64_t rng_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* One chain: multiplying by an odd constant and xor-ing are bijections, so
 * for a fixed prefix the map from the next input to the chain value is one. */
static uint64_t rng_chain(uint64_t salt, uint64_t seed, uint64_t rep, uint64_t stream)
{
    uint64_t h = rng_mix64(salt ^ (seed * RNG_GOLDEN));
    h = rng_mix64(h ^ (rep * RNG_GOLDEN2));
    h = rng_mix64(h ^ (stream * RNG_GOLDEN));
    return rng_mix64(h + RNG_GOLDEN2);
}

void rng_init(Rng *r, uint64_t seed, uint64_t rep, uint32_t stream)
{
    uint64_t a = rng_chain(0x243f6a8885a308d3ULL, seed, rep, stream);  /* pi */
    uint64_t b = rng_chain(0x13198a2e03707344ULL, seed, rep, stream);  /* pi, next word */
    r->s[0] = a;
    r->s[1] = b;
    /* All zero is the one state xoshiro must avoid; the hash reaches it
     * with probability 2^-256, but a guard costs nothing. */
    r->s[2] = rng_mix64(a + RNG_GOLDEN);
    r->s[3] = rng_mix64(b + RNG_GOLDEN2);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = RNG_GOLDEN;
}

uint64_t rng_next(Rng *r)
{
    return rng_next_inline(r);
}

double rng_uniform(Rng *r)
{
    return rng_uniform_inline(r);
}

double rng_uniform_pos(Rng *r)
{
    return rng_uniform_pos_inline(r);
}

uint64_t rng_below(Rng *r, uint64_t n)
{
    /* Lemire's multiply-and-reject: unbiased, usually one draw and no
     * division. */
    if (n == 0) return 0;
    RngU128 m = (RngU128)rng_next_inline(r) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t thresh = (0 - n) % n;
        while (lo < thresh) {
            m = (RngU128)rng_next_inline(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* The key is a third chain with its own salt, so keyed numbers share no
 * state with any rng_init stream. A keyed number is one more chain over
 * (key, a, b): for fixed (key, a) distinct b give distinct 64-bit words
 * (each step a bijection); other pairs collide with probability 2^-64,
 * far below anything a uniform of 52 bits can show. */
void rng_key_init(RngKey *key, uint64_t seed, uint64_t rep, uint32_t stream)
{
    key->k = rng_chain(0xa4093822299f31d0ULL, seed, rep, stream);   /* pi, third word */
}

double rng_keyed_uniform_pos(const RngKey *key, uint64_t a, uint64_t b)
{
    uint64_t h = rng_mix64(key->k ^ (a * RNG_GOLDEN));
    h = rng_mix64(h ^ (b * RNG_GOLDEN2));
    h = rng_mix64(h + RNG_GOLDEN);
    return ((double)(h >> 12) + 0.5) * 0x1.0p-52;
}
