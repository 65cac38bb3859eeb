/* Event queue: pending events over a pool of slots with a free list, kept
 * in one of two structures by size. Below EVQ_RADIX_AT events, an indexed
 * 4-ary min-heap; from there on a radix heap, until the queue shrinks below
 * EVQ_HEAP_AT (the gap keeps a queue near the limit from switching to and
 * fro; a switch costs O(n)). Keys are (time, sequence number), so equal
 * times come out in push order. Slots give handles for cancel and
 * reschedule (each slot knows where its entry is); a generation count per
 * slot makes old handles stale. No allocation per event: arrays grow by
 * doubling, are kept, and reused.
 *
 * Why, by measurement: ns per hold (pop, push back later, one Exp(1) draw
 * of about 4 ns) and ns per M/M/1 customer (two events), -O2, one core of
 * the shared 2-vCPU AMD EPYC VM this was written on; CPU time, the best of
 * 5 runs in each of 6 to 12 rounds (single runs vary by 10-50% there):
 *
 *                               M/M/1  pending:  2   100   1000  10000  100000
 *   binary heap                  47.5          20.3  58.2  82.9  112.6  194.5
 *   4-ary heap                   48.7          20.9  46.3  60.7   79.4  123.0
 *   radix, 1-bit digits, arrays  68.9          29.5  49.9  56.8   64.6   96.8
 *   radix, 4-bit digits, arrays  68.3          28.4  39.8  42.8   48.9   78.9
 *   radix, 4-bit digits, chunks  79.8          34.4  46.1  50.1   55.1   72.3
 *   this hybrid (heap, chunks)   50.9          22.1  45.9  49.6   54.5   69.5
 *
 * A 4-ary heap of bare doubles with nothing else (no slots, no ties) takes
 * 72 ns at 10,000 on this machine: a heap pop is a chain of about seven
 * dependent loads and compares, each waiting on the last, so no heap gets
 * near 50 ns there. The radix heap does O(1) work per push and moves an
 * entry about seven times in its life, but loses to the heap on small
 * queues, the usual case (M/M/1 has two events pending). Radix buckets as
 * separate arrays are fastest but each keeps the most it ever held, and the
 * sum creeps up without bound in practice (0.8 MB after 5,000 holds with
 * 5,000 pending, 7 MB after 20 million); chunks from one pool hold memory
 * to the live size for about 6 ns more per hold. The binary heap is no
 * faster than the 4-ary one even on tiny queues. */
#include "evq.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Size limits of the two forms; compile-time so that the figures above can
 * be reproduced: -DEVQ_RADIX_AT=4294967295 keeps the heap throughout,
 * -DEVQ_RADIX_AT=1 -DEVQ_HEAP_AT=0 the radix heap. The binary heap is
 * commit e3b3851's evq.c built with -DEVQ_ARITY=2; the radix heaps with
 * bucket arrays were throwaway variants. */
#ifndef EVQ_RADIX_AT
#define EVQ_RADIX_AT 512
#endif
#ifndef EVQ_HEAP_AT
#define EVQ_HEAP_AT 128
#endif

#define D 4             /* heap arity */
#define NIL UINT32_MAX
#define LINE 64

/* A key and its slot, 16 bytes, so that four heap siblings share a cache
 * line. The time is kept as an integer with the same order (time_key); the
 * sequence number sits above the slot, so comparing ss compares sequence
 * numbers (unique) first. */
typedef struct Ent {
    uint64_t tk;      /* time_key(time) */
    uint64_t ss;      /* sequence number << 32 | slot */
} Ent;

#define ENT_SLOT(e) ((uint32_t)(e).ss)
#define ENT_SEQ(e) ((uint32_t)((e).ss >> 32))

/* type and a packed in one word: written and read back as one 8-byte
 * access each, so that a pop soon after the push (the common case with few
 * pending events) reads them by store-to-load forwarding; an 8-byte load
 * that spans two 4-byte stores cannot forward and stalls. */
typedef struct EvData {
    uint64_t ta;      /* (uint32_t)type | (uint64_t)(uint32_t)a << 32 */
    int64_t b;
} EvData;

/* Radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990), on 96-bit keys
 * (time_key above the sequence number) read as 24 hexadecimal digits.
 * `last` is the key of the last event popped. Bucket 0 holds a key equal to
 * last; bucket 15 d + v (v = 1..15) holds keys whose highest digit that
 * differs from last is digit d, with value v there. Bucket order is then
 * key order, so the lowest non-empty bucket holds the minimum. A discrete-
 * event queue only ever receives keys >= last (nothing is scheduled in the
 * past, and sequence numbers grow), which is all this needs. When the
 * minimum is popped, the rest of its bucket share one more digit with the
 * new last and move down; an entry moves at most 24 times (measured:
 * about 7 in the hold model at 10,000 pending). */
#define NBUCKET 361
#define NWORD 6          /* words of a bit per bucket */

/* Buckets are lists of chunks of CHUNK entries from one pool. Arrays per
 * bucket would each grow to the most that bucket ever held, and the sum of
 * those maxima creeps up over a long run (measured: 0.8 MB after 5,000
 * holds with 5,000 pending, 7 MB after 20 million); the pool never holds
 * more than size / CHUNK + NBUCKET + 1 chunks in use. An entry's place is
 * its index in the pool. Each bucket also keeps its minimum as entries
 * arrive, so a pop needs no scan; taking the minimum out by cancel or
 * reschedule marks it stale, and the next look rescans. */
#define CHUNK 64

typedef struct Bucket {
    uint32_t head, tail;   /* first and last chunk, NIL when empty */
    uint32_t n;
    uint32_t wr;           /* pool index of the next entry; a multiple of CHUNK when the tail is full or there is none */
} Bucket;

/* An empty bucket's minimum, above every key (time_key(+inf) is below). */
#define NOKEY UINT64_MAX

struct EvQueue {
    /* What every push and pop touches first, in one or two cache lines. */
    int radix;              /* which form holds the events */
    int hole;               /* heap: h[0] was popped and not refilled (fill_hole) */
    uint32_t size;          /* pending events */
    uint32_t n;             /* heap: entries in h, counting a hole at the root */
    uint32_t hcap;
    uint32_t seq;           /* next sequence number */
    uint32_t nslot, scap, free_head;
    double now;
    uint64_t npop;
    Ent *h;                 /* heap: h[0] is the root */
    uint32_t *pos;     /* per slot: heap index or pool index; on the free list, the next free slot */
    uint32_t *gen;     /* per slot: generation, part of the handle, never 0 */
    EvData *data;      /* per slot: payload */
    uint16_t *bkt;     /* per slot, radix form: the slot's bucket */
    void *hmem;             /* allocation behind h, aligned to LINE */

    /* radix form */
    uint64_t last_tk;       /* key of the last popped event */
    uint32_t last_seq;
    uint64_t nonempty_words;   /* bit w set when nonempty[w] is not 0 */
    uint64_t nonempty[NWORD];
    uint64_t stale[NWORD];
    /* The pool holds keys in two arrays, not an array of Ent: the radix
     * form stores an entry's halves as two 8-byte words and reads them back
     * soon after, and GCC would sometimes copy an Ent through a 16-byte
     * vector register; a wide load over two narrow stores still in the
     * store buffer cannot be forwarded and stalls (measured: a third of the
     * time of a pop and push at two pending). */
    uint64_t *pool_tk, *pool_ss;   /* CHUNK entries per chunk */
    uint32_t *cnext, *cprev;   /* per chunk: list links; cnext links the free list */
    uint32_t ccap, cused, cfree;   /* chunks allocated, ever used, free list head */
    Bucket b[NBUCKET];
    uint64_t min_tk[NBUCKET], min_ss[NBUCKET];   /* each bucket's minimum */
};

/* An IEEE double, read as an unsigned integer after flipping the sign bit
 * of non-negatives and every bit of negatives, orders like the double
 * (Herf's radix-sort trick). -0.0 is made +0.0 first so that it ties with
 * 0.0 as == says it should. */
static inline uint64_t time_key(double t)
{
    uint64_t u;
    t += 0.0;
    memcpy(&u, &t, sizeof u);
    return u ^ ((uint64_t)((int64_t)u >> 63) | 0x8000000000000000ULL);
}

static inline double key_time(uint64_t k)
{
    uint64_t u = k ^ ((k >> 63) ? 0x8000000000000000ULL : ~0ULL);
    double t;
    memcpy(&t, &u, sizeof t);
    return t;
}

/* Bitwise & and |, not && and ||: the outcome of comparing random times is
 * a coin toss, and a branch on it mispredicts half the time. */
static inline uint32_t key_less(uint64_t xt, uint64_t xs, uint64_t yt, uint64_t ys)
{
    return (uint32_t)((xt < yt) | ((xt == yt) & (xs < ys)));
}

static inline int ent_less(const Ent *x, const Ent *y)
{
    return (int)key_less(x->tk, x->ss, y->tk, y->ss);
}

/* ---- slots ---- */

static void slots_grow(EvQueue *q)
{
    uint32_t cap = q->scap ? q->scap * 2 : 64;
    q->pos = xrealloc(q->pos, (size_t)cap * sizeof *q->pos);
    q->bkt = xrealloc(q->bkt, (size_t)cap * sizeof *q->bkt);
    q->gen = xrealloc(q->gen, (size_t)cap * sizeof *q->gen);
    q->data = xrealloc(q->data, (size_t)cap * sizeof *q->data);
    q->scap = cap;
}

static inline uint32_t slot_alloc(EvQueue *q)
{
    uint32_t s = q->free_head;
    if (s != NIL) {
        q->free_head = q->pos[s];
        return s;
    }
    if (q->nslot == q->scap) slots_grow(q);
    s = q->nslot++;
    q->gen[s] = 1;
    return s;
}

static inline void slot_free(EvQueue *q, uint32_t s)
{
    uint32_t g = q->gen[s] + 1;
    q->gen[s] = g ? g : 1;
    q->pos[s] = q->free_head;
    q->free_head = s;
}

/* ---- heap form ---- */

/* Siblings D*i+1 .. D*i+D start at a multiple of D entries past the line
 * boundary when h sits D-1 entries into an aligned block. */
static void heap_reserve(EvQueue *q, uint32_t need)
{
    if (need <= q->hcap) return;
    uint32_t cap = q->hcap ? q->hcap : 64;
    while (cap < need) cap *= 2;
    size_t bytes = ((size_t)cap + D - 1) * sizeof(Ent);
    bytes = (bytes + LINE - 1) / LINE * LINE;
    void *mem = aligned_alloc(LINE, bytes);
    if (!mem) {
        fprintf(stderr, "fuelsim: out of memory (%zu bytes)\n", bytes);
        abort();
    }
    Ent *h = (Ent *)mem + (D - 1);
    if (q->n) memcpy(h, q->h, (size_t)q->n * sizeof *h);
    free(q->hmem);
    q->hmem = mem;
    q->h = h;
    q->hcap = cap;
}

static inline void sift_up(EvQueue *q, uint32_t i, Ent e)
{
    Ent *h = q->h;
    while (i > 0) {
        uint32_t p = (i - 1) / D;
        if (!ent_less(&e, &h[p])) break;
        Ent m = h[p];
        h[i] = m;
        q->pos[ENT_SLOT(m)] = i;
        i = p;
    }
    h[i] = e;
    q->pos[ENT_SLOT(e)] = i;
}

/* Place e at the hole i (i's old entry is gone) when e belongs at i or
 * below. Bottom-up (as in bottom-up heapsort): first move the hole down to
 * a leaf along the smallest children without looking at e, then let e rise
 * from there. The descent has no data-dependent branch, and e, a pushed
 * future time or the former last leaf, usually belongs near the bottom.
 * Entries move through a local copy and the slot is read from it: reading
 * it back from the array just stored to stalls on store forwarding. */
static inline void sift_down(EvQueue *q, uint32_t i, Ent e)
{
    Ent *h = q->h;
    uint32_t *pos = q->pos;
    const uint32_t n = q->n, top = i;
    for (;;) {
        uint64_t c = (uint64_t)D * i + 1;
        if (c >= n) break;
        uint32_t best;
        if (c + D <= n) {
            /* A full group: a tournament, two rounds deep, on keys held
             * in registers, selecting by mask (GCC turns `x ? k1 : k0`
             * into a branch); only the winner's index feeds the next
             * level's loads. */
            const Ent *ch = &h[c];
            uint64_t k0 = ch[0].tk, k1 = ch[1].tk, k2 = ch[2].tk, k3 = ch[3].tk;
            uint64_t s0 = ch[0].ss, s1 = ch[1].ss, s2 = ch[2].ss, s3 = ch[3].ss;
            uint32_t x = key_less(k1, s1, k0, s0);
            uint32_t y = key_less(k3, s3, k2, s2);
            uint64_t mx = 0 - (uint64_t)x, my = 0 - (uint64_t)y;
            uint64_t ka = k0 ^ ((k0 ^ k1) & mx), kb = k2 ^ ((k2 ^ k3) & my);
            uint64_t sa = s0 ^ ((s0 ^ s1) & mx), sb = s2 ^ ((s2 ^ s3) & my);
            uint32_t w = key_less(kb, sb, ka, sa);
            best = (uint32_t)c + x + ((2 + y - x) & (0u - w));
        } else {
            best = (uint32_t)c;
            for (uint32_t j = (uint32_t)c + 1; j < n; j++)
                if (ent_less(&h[j], &h[best])) best = j;
        }
        Ent m = h[best];
        h[i] = m;
        pos[ENT_SLOT(m)] = i;
        i = best;
    }
    while (i > top) {
        uint32_t p = (i - 1) / D;
        if (!ent_less(&e, &h[p])) break;
        Ent m = h[p];
        h[i] = m;
        pos[ENT_SLOT(m)] = i;
        i = p;
    }
    h[i] = e;
    pos[ENT_SLOT(e)] = i;
}

/* Pop leaves the root empty instead of moving the last entry up at once:
 * a handler usually pushes next, and the push then drops straight into the
 * root and needs one sift-down instead of a sift-down plus a sift-up. Any
 * other operation fills the hole first. */
static inline void fill_hole(EvQueue *q)
{
    if (!q->hole) return;
    q->hole = 0;
    q->n--;
    if (q->n > 0) sift_down(q, 0, q->h[q->n]);
}

/* Put e at index i (whose old entry is gone) and restore heap order. */
static void heap_place(EvQueue *q, uint32_t i, Ent e)
{
    if (i > 0 && ent_less(&e, &q->h[(i - 1) / D])) sift_up(q, i, e);
    else sift_down(q, i, e);
}

static void heap_remove(EvQueue *q, uint32_t s)
{
    fill_hole(q);
    uint32_t i = q->pos[s];
    q->n--;
    if (i != q->n) heap_place(q, i, q->h[q->n]);
}

/* Make h[0..n) a heap (Floyd), setting every slot's position. */
static void heap_build(EvQueue *q)
{
    for (uint32_t i = 0; i < q->n; i++) q->pos[ENT_SLOT(q->h[i])] = i;
    if (q->n < 2) return;
    for (uint32_t i = (q->n - 2) / D + 1; i-- > 0;) sift_down(q, i, q->h[i]);
}

/* ---- radix form ---- */

static inline unsigned bucket_of(const EvQueue *q, uint64_t tk, uint64_t ss)
{
    uint64_t x = tk ^ q->last_tk;
    if (x) {
        unsigned j = (63 - (unsigned)__builtin_clzll(x)) >> 2;
        return (j + 8) * 15 + (unsigned)((tk >> (4 * j)) & 15);
    }
    uint32_t sq = (uint32_t)(ss >> 32), y = sq ^ q->last_seq;
    if (!y) return 0;
    unsigned j = (31 - (unsigned)__builtin_clz(y)) >> 2;
    return j * 15 + ((sq >> (4 * j)) & 15);
}

static uint32_t chunk_alloc(EvQueue *q)
{
    uint32_t c = q->cfree;
    if (c != NIL) {
        q->cfree = q->cnext[c];
        return c;
    }
    if (q->cused == q->ccap) {
        uint32_t cap = q->ccap ? q->ccap * 2 : 64;
        q->pool_tk = xrealloc(q->pool_tk, (size_t)cap * CHUNK * sizeof *q->pool_tk);
        q->pool_ss = xrealloc(q->pool_ss, (size_t)cap * CHUNK * sizeof *q->pool_ss);
        q->cnext = xrealloc(q->cnext, (size_t)cap * sizeof *q->cnext);
        q->cprev = xrealloc(q->cprev, (size_t)cap * sizeof *q->cprev);
        q->ccap = cap;
    }
    return q->cused++;
}

static inline void chunk_free(EvQueue *q, uint32_t c)
{
    q->cnext[c] = q->cfree;
    q->cfree = c;
}

/* Pool index just past the entries of chunk c of bucket b (as it was). */
static inline uint32_t chunk_end(uint32_t c, const Bucket *b)
{
    return c == b->tail ? b->wr : c * CHUNK + CHUNK;
}

static inline void mark_nonempty(EvQueue *q, unsigned bi)
{
    q->nonempty[bi >> 6] |= 1ULL << (bi & 63);
    q->nonempty_words |= 1ULL << (bi >> 6);
}

/* Bucket bi has just become empty. */
static inline void mark_empty(EvQueue *q, unsigned bi)
{
    Bucket *b = &q->b[bi];
    b->head = b->tail = NIL;
    b->n = 0;
    b->wr = 0;
    q->min_tk[bi] = q->min_ss[bi] = NOKEY;
    uint64_t m = q->nonempty[bi >> 6] &= ~(1ULL << (bi & 63));
    if (!m) q->nonempty_words &= ~(1ULL << (bi >> 6));
}

/* Out of line: the rare path of radix_add. */
static __attribute__((noinline)) void bucket_new_chunk(EvQueue *q, Bucket *b)
{
    uint32_t c = chunk_alloc(q);
    q->cnext[c] = NIL;
    q->cprev[c] = b->tail;
    if (b->n == 0) b->head = c;
    else q->cnext[b->tail] = c;
    b->tail = c;
    b->wr = c * CHUNK;
}

/* always_inline: GCC keeps it out of line otherwise, and the call in the
 * redistribution loop costs about a third of a hold at 10,000 pending. */
static inline __attribute__((always_inline)) void radix_add(EvQueue *q, uint64_t tk, uint64_t ss)
{
    unsigned bi = bucket_of(q, tk, ss);
    Bucket *b = &q->b[bi];
    if (!(b->wr & (CHUNK - 1))) bucket_new_chunk(q, b);
    uint32_t k = b->wr++, s = (uint32_t)ss;
    q->pool_tk[k] = tk;
    q->pool_ss[k] = ss;
    q->pos[s] = k;
    q->bkt[s] = (uint16_t)bi;
    if (key_less(tk, ss, q->min_tk[bi], q->min_ss[bi])) {
        q->min_tk[bi] = tk;
        q->min_ss[bi] = ss;
    }
    b->n++;
    mark_nonempty(q, bi);
}

/* Cancel or reschedule takes slot s out of its bucket; the bucket's last
 * entry fills the gap. */
static void radix_remove(EvQueue *q, uint32_t s)
{
    unsigned bi = q->bkt[s];
    Bucket *b = &q->b[bi];
    if ((uint32_t)q->min_ss[bi] == s) q->stale[bi >> 6] |= 1ULL << (bi & 63);
    uint32_t k = q->pos[s], last = --b->wr;
    if (k != last) {
        uint64_t ss = q->pool_ss[last];
        q->pool_tk[k] = q->pool_tk[last];
        q->pool_ss[k] = ss;
        q->pos[(uint32_t)ss] = k;
    }
    b->n--;
    if (!(b->wr & (CHUNK - 1))) {
        /* The tail chunk is empty now. */
        uint32_t t = b->tail;
        chunk_free(q, t);
        if (b->n == 0) {
            mark_empty(q, bi);
        } else {
            b->tail = q->cprev[t];
            q->cnext[b->tail] = NIL;
            b->wr = b->tail * CHUNK + CHUNK;
        }
    }
}

/* The lowest non-empty bucket, with its minimum up to date. */
static inline unsigned radix_min_bucket(EvQueue *q)
{
    unsigned w = (unsigned)__builtin_ctzll(q->nonempty_words);
    unsigned i = 64 * w + (unsigned)__builtin_ctzll(q->nonempty[w]);
    uint64_t bit = 1ULL << (i & 63);
    if (q->stale[w] & bit) {
        const Bucket *b = &q->b[i];
        uint64_t mt = UINT64_MAX, ms = UINT64_MAX;
        for (uint32_t c = b->head; c != NIL; c = q->cnext[c]) {
            for (uint32_t j = c * CHUNK, e = chunk_end(c, b); j < e; j++) {
                if (key_less(q->pool_tk[j], q->pool_ss[j], mt, ms)) {
                    mt = q->pool_tk[j];
                    ms = q->pool_ss[j];
                }
            }
        }
        q->min_tk[i] = mt;
        q->min_ss[i] = ms;
        q->stale[w] &= ~bit;
    }
    return i;
}

/* Take the minimum out of bucket bi, the lowest: it becomes `last`, and
 * the rest of the bucket moves to lower buckets, chunk by chunk, each chunk
 * freed as soon as it is emptied. */
static void radix_take_min(EvQueue *q, unsigned bi)
{
    uint64_t tk = q->min_tk[bi], ss = q->min_ss[bi];
    q->last_tk = tk;
    q->last_seq = (uint32_t)(ss >> 32);
    q->stale[bi >> 6] &= ~(1ULL << (bi & 63));
    Bucket old = q->b[bi];
    mark_empty(q, bi);
    /* The bucket's first entry takes the minimum's place, so the loop
     * below starts after it and never meets the minimum. */
    uint32_t k = q->pos[(uint32_t)ss], first = old.head * CHUNK;
    q->pool_tk[k] = q->pool_tk[first];
    q->pool_ss[k] = q->pool_ss[first];
    uint32_t c = old.head, j = first + 1;
    for (;;) {
        uint32_t next = q->cnext[c], end = chunk_end(c, &old);
        for (; j < end; j++) radix_add(q, q->pool_tk[j], q->pool_ss[j]);
        chunk_free(q, c);
        if (next == NIL) break;
        c = next;
        j = c * CHUNK;
    }
}

/* ---- switching form ---- */

static void to_radix(EvQueue *q)
{
    fill_hole(q);
    /* Every pending key has time >= now, and every future one too. */
    q->last_tk = time_key(q->now);
    q->last_seq = 0;
    for (uint32_t i = 0; i < q->n; i++) radix_add(q, q->h[i].tk, q->h[i].ss);
    q->n = 0;
    q->radix = 1;
}

static void radix_reset(EvQueue *q);

static void to_heap(EvQueue *q)
{
    heap_reserve(q, q->size);
    uint32_t n = 0;
    for (unsigned w = 0; w < NWORD; w++) {
        for (uint64_t m = q->nonempty[w]; m; m &= m - 1) {
            const Bucket *b = &q->b[64 * w + (unsigned)__builtin_ctzll(m)];
            for (uint32_t c = b->head; c != NIL; c = q->cnext[c]) {
                for (uint32_t j = c * CHUNK, e = chunk_end(c, b); j < e; j++) {
                    q->h[n].tk = q->pool_tk[j];
                    q->h[n].ss = q->pool_ss[j];
                    n++;
                }
            }
        }
    }
    radix_reset(q);
    q->n = n;
    q->hole = 0;
    q->radix = 0;
    heap_build(q);
}

/* ---- the interface ---- */

/* Every bucket empty, every chunk free. */
static void radix_reset(EvQueue *q)
{
    for (unsigned i = 0; i < NBUCKET; i++) {
        q->b[i] = (Bucket){NIL, NIL, 0, 0};
        q->min_tk[i] = q->min_ss[i] = NOKEY;
    }
    q->cfree = NIL;
    for (uint32_t c = q->cused; c-- > 0;) chunk_free(q, c);
    memset(q->nonempty, 0, sizeof q->nonempty);
    memset(q->stale, 0, sizeof q->stale);
    q->nonempty_words = 0;
}

EvQueue *evq_new(double t0)
{
    EvQueue *q = xcalloc(1, sizeof *q);
    heap_reserve(q, 64);
    slots_grow(q);
    q->free_head = NIL;
    radix_reset(q);
    q->now = t0;
    return q;
}

void evq_free(EvQueue *q)
{
    if (!q) return;
    free(q->pool_tk);
    free(q->pool_ss);
    free(q->cnext);
    free(q->cprev);
    free(q->hmem);
    free(q->pos);
    free(q->bkt);
    free(q->gen);
    free(q->data);
    free(q);
}

void evq_clear(EvQueue *q, double t0)
{
    /* Every slot in use goes stale: bump its generation and rebuild the
     * free list, keeping the arrays. */
    q->free_head = NIL;
    for (uint32_t s = q->nslot; s-- > 0;) slot_free(q, s);
    radix_reset(q);
    q->radix = 0;
    q->size = 0;
    q->n = 0;
    q->hole = 0;
    q->seq = 0;
    q->now = t0;
    q->npop = 0;
}

static inline EvHandle make_handle(const EvQueue *q, uint32_t s)
{
    return ((uint64_t)q->gen[s] << 32) | s;
}

/* The slot of a pending event, or NIL when h is stale. */
static inline uint32_t handle_slot(const EvQueue *q, EvHandle h)
{
    uint32_t s = (uint32_t)h, g = (uint32_t)(h >> 32);
    if (g == 0 || s >= q->nslot || q->gen[s] != g) return NIL;
    return s;
}

static inline uint32_t next_seq(EvQueue *q)
{
    if (q->seq == UINT32_MAX) evq_renumber(q);
    return q->seq++;
}

/* The radix form's side of insert, out of line so that the heap's side,
 * the common case, stays small enough to inline into evq_push. */
static __attribute__((noinline)) void radix_insert(EvQueue *q, uint64_t tk, uint64_t ss)
{
    radix_add(q, tk, ss);
}

/* File an entry whose slot is not in the structure. */
static inline void insert(EvQueue *q, Ent e)
{
    if (q->radix) {
        radix_insert(q, e.tk, e.ss);
    } else if (q->hole) {
        q->hole = 0;
        sift_down(q, 0, e);
    } else {
        heap_reserve(q, q->n + 1);
        sift_up(q, q->n++, e);
        if (q->n >= EVQ_RADIX_AT) to_radix(q);
    }
}

EvHandle evq_push(EvQueue *q, double time, int type, int a, int64_t b)
{
    assert(time >= q->now);   /* also rejects NaN */
    uint32_t s = slot_alloc(q);
    EvData *d = &q->data[s];
    d->ta = (uint32_t)type | (uint64_t)(uint32_t)a << 32;
    d->b = b;
    Ent e = {time_key(time), (uint64_t)next_seq(q) << 32 | s};
    insert(q, e);
    q->size++;
    return make_handle(q, s);
}

/* The earliest entry, still in place, and in radix form its bucket; the
 * queue is not empty. */
static inline Ent peek(EvQueue *q, unsigned *bi)
{
    if (q->radix) {
        *bi = radix_min_bucket(q);
        Ent e = {q->min_tk[*bi], q->min_ss[*bi]};
        return e;
    }
    fill_hole(q);
    return q->h[0];
}

/* Out of line, as radix_insert. */
static __attribute__((noinline)) void radix_take_peeked(EvQueue *q, unsigned bi)
{
    radix_take_min(q, bi);
    if (q->size - 1 < EVQ_HEAP_AT) to_heap(q);
}

/* Take the entry peek returned out of the structure. */
static inline void take_peeked(EvQueue *q, unsigned bi)
{
    if (q->radix) radix_take_peeked(q, bi);
    else q->hole = 1;
}

static inline void deliver(EvQueue *q, Ent top, Event *ev)
{
    uint32_t s = ENT_SLOT(top);
    const EvData *d = &q->data[s];
    uint64_t ta = d->ta;
    ev->time = key_time(top.tk);
    ev->type = (int)(uint32_t)ta;
    ev->a = (int)(uint32_t)(ta >> 32);
    ev->b = d->b;
    q->now = ev->time;
    slot_free(q, s);
    q->size--;
    q->npop++;
}

int evq_pop(EvQueue *q, Event *ev)
{
    if (!q->size) return 0;
    unsigned bi = 0;
    Ent top = peek(q, &bi);
    take_peeked(q, bi);
    deliver(q, top, ev);
    return 1;
}

int evq_pop_until(EvQueue *q, double until, Event *ev)
{
    if (q->size) {
        unsigned bi = 0;
        Ent top = peek(q, &bi);
        if (key_time(top.tk) <= until) {
            take_peeked(q, bi);
            deliver(q, top, ev);
            return 1;
        }
    }
    if (until > q->now) q->now = until;
    return 0;
}

static void remove_slot(EvQueue *q, uint32_t s)
{
    if (q->radix) radix_remove(q, s);
    else heap_remove(q, s);
}

int evq_cancel(EvQueue *q, EvHandle h)
{
    uint32_t s = handle_slot(q, h);
    if (s == NIL) return 0;
    remove_slot(q, s);
    slot_free(q, s);
    q->size--;
    if (q->radix && q->size < EVQ_HEAP_AT) to_heap(q);
    return 1;
}

int evq_reschedule(EvQueue *q, EvHandle h, double time)
{
    assert(time >= q->now);
    uint32_t s = handle_slot(q, h);
    if (s == NIL) return 0;
    uint32_t seq = next_seq(q);
    remove_slot(q, s);
    Ent e = {time_key(time), (uint64_t)seq << 32 | s};
    insert(q, e);
    return 1;
}

int evq_get(const EvQueue *q, EvHandle h, Event *ev)
{
    uint32_t s = handle_slot(q, h);
    if (s == NIL) return 0;
    if (ev) {
        ev->time = key_time(q->radix ? q->pool_tk[q->pos[s]] : q->h[q->pos[s]].tk);
        ev->type = (int)(uint32_t)q->data[s].ta;
        ev->a = (int)(uint32_t)(q->data[s].ta >> 32);
        ev->b = q->data[s].b;
    }
    return 1;
}

double evq_now(const EvQueue *q)
{
    return q->now;
}

double evq_next_time(EvQueue *q)
{
    unsigned bi;
    return q->size ? key_time(peek(q, &bi).tk) : INFINITY;
}

size_t evq_size(const EvQueue *q)
{
    return q->size;
}

uint64_t evq_popped(const EvQueue *q)
{
    return q->npop;
}

size_t evq_mem_bytes(const EvQueue *q)
{
    return ((size_t)q->hcap + D - 1) * sizeof(Ent)
           + (size_t)q->scap * (sizeof *q->pos + sizeof *q->bkt + sizeof *q->gen + sizeof *q->data)
           + (size_t)q->ccap * (CHUNK * 2 * sizeof(uint64_t) + sizeof *q->cnext + sizeof *q->cprev);
}

static int ent_cmp(const void *pa, const void *pb)
{
    const Ent *a = pa, *b = pb;
    return ent_less(a, b) ? -1 : ent_less(b, a) ? 1 : 0;
}

void evq_renumber(EvQueue *q)
{
    /* Gather the pending entries in the heap array, sort them by key and
     * number them 1, 2, ... in that order, which keeps every comparison's
     * outcome; 0 stays below all, so a radix last of (its time, 0) is too.
     * A sorted array is a heap. */
    int radix = q->radix;
    if (radix) to_heap(q);
    fill_hole(q);
    qsort(q->h, q->n, sizeof *q->h, ent_cmp);
    for (uint32_t i = 0; i < q->n; i++) {
        q->h[i].ss = (uint64_t)(i + 1) << 32 | ENT_SLOT(q->h[i]);
        q->pos[ENT_SLOT(q->h[i])] = i;
    }
    q->seq = q->n + 1;
    if (radix) to_radix(q);
}
