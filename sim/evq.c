/* Event queue: an indexed d-ary min-heap of (time, sequence) keys over a
 * pool of event slots, with a free list, so that steady state allocates
 * nothing. Slots give handles for cancel and reschedule (each slot knows
 * its heap position); a generation count per slot makes old handles stale.
 *
 * Structure chosen by measurement; the figures follow once taken. */
#include "evq.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Heap arity; see the figures above. -DEVQ_ARITY=2 builds the binary heap
 * for comparison. */
#ifndef EVQ_ARITY
#define EVQ_ARITY 4
#endif
#define D EVQ_ARITY

#define NIL UINT32_MAX
#define LINE 64

/* 16 bytes, so four siblings share one cache line. The time is kept as
 * an integer with the same order (time_key), so that a comparison is two
 * integer compares the compiler turns into flag arithmetic: the outcome of
 * comparing random times is a coin toss, and a branch on it would
 * mispredict half the time. */
typedef struct HeapEnt {
    uint64_t tk;      /* time_key(time) */
    uint64_t ss;      /* sequence number << 32 | slot */
} HeapEnt;

#define ENT_SLOT(e) ((uint32_t)(e).ss)

/* type and a packed in one word: written and read back as one 8-byte
 * access each, so that a pop soon after the push (the common case with few
 * pending events) reads them by store-to-load forwarding; an 8-byte load
 * that spans two 4-byte stores cannot forward and stalls. */
typedef struct EvData {
    uint64_t ta;      /* (uint32_t)type | (uint64_t)(uint32_t)a << 32 */
    int64_t b;
} EvData;

struct EvQueue {
    HeapEnt *h;        /* h[0] is the root */
    void *hmem;        /* allocation behind h, aligned to LINE */
    uint32_t n;        /* entries in h, counting a hole at the root */
    uint32_t hcap;
    int hole;          /* h[0] was popped and not refilled yet (see evq_pop) */
    uint32_t *pos;     /* per slot: heap index; on the free list, the next free slot */
    uint32_t *gen;     /* per slot: generation, part of the handle, never 0 */
    EvData *data;      /* per slot: payload */
    uint32_t nslot, scap, free_head;
    uint32_t seq;      /* next sequence number */
    double now;
    uint64_t npop;
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

/* Bitwise & and |, not && and ||, to keep it free of branches. */
static inline uint32_t key_less(uint64_t xt, uint64_t xs, uint64_t yt, uint64_t ys)
{
    return (uint32_t)((xt < yt) | ((xt == yt) & (xs < ys)));
}

static inline int ent_less(const HeapEnt *x, const HeapEnt *y)
{
    return (int)key_less(x->tk, x->ss, y->tk, y->ss);
}

/* Siblings D*i+1 .. D*i+D start at a multiple of D entries past the line
 * boundary when h sits D-1 entries into an aligned block. */
static void heap_grow(EvQueue *q)
{
    uint32_t cap = q->hcap ? q->hcap * 2 : 64;
    size_t bytes = ((size_t)cap + D - 1) * sizeof(HeapEnt);
    bytes = (bytes + LINE - 1) / LINE * LINE;
    void *mem = aligned_alloc(LINE, bytes);
    if (!mem) {
        fprintf(stderr, "fuelsim: out of memory (%zu bytes)\n", bytes);
        abort();
    }
    HeapEnt *h = (HeapEnt *)mem + (D - 1);
    if (q->n) memcpy(h, q->h, (size_t)q->n * sizeof *h);
    free(q->hmem);
    q->hmem = mem;
    q->h = h;
    q->hcap = cap;
}

static void slots_grow(EvQueue *q)
{
    uint32_t cap = q->scap ? q->scap * 2 : 64;
    q->pos = xrealloc(q->pos, (size_t)cap * sizeof *q->pos);
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

static inline void sift_up(EvQueue *q, uint32_t i, HeapEnt e)
{
    HeapEnt *h = q->h;
    while (i > 0) {
        uint32_t p = (i - 1) / D;
        if (!ent_less(&e, &h[p])) break;
        HeapEnt m = h[p];
        h[i] = m;
        q->pos[ENT_SLOT(m)] = i;
        i = p;
    }
    h[i] = e;
    q->pos[ENT_SLOT(e)] = i;
}

/* Place e at the hole i (i's old entry is gone) when e belongs at i or
 * below. Bottom-up (Floyd's trick, as in bottom-up heapsort): first move the
 * hole down to a leaf along the smallest children without looking at e,
 * then let e rise from there. The descent has no data-dependent branch, and
 * e, which is a pushed future time or the former last leaf, usually
 * belongs near the bottom, so the rise is short. */
static inline void sift_down(EvQueue *q, uint32_t i, HeapEnt e)
{
    HeapEnt *h = q->h;
    uint32_t *pos = q->pos;
    const uint32_t n = q->n, top = i;
    /* Entries are moved through a local copy and the slot read from it:
     * reading it back from the array just stored to (pos may alias h, as
     * far as the compiler knows) stalls on store-to-load forwarding. */
    for (;;) {
        uint64_t c = (uint64_t)D * i + 1;
        if (c >= n) break;
        uint32_t best = (uint32_t)c;
        if (c + D <= n && D == 4) {
            /* The grandchildren sit in four lines in a row: fetch them
             * while the children are compared. */
            uint64_t g = (uint64_t)D * c + 1;
            if (g < n) {
                __builtin_prefetch(&h[g]);
                __builtin_prefetch(&h[g + 4]);
                __builtin_prefetch(&h[g + 8]);
                __builtin_prefetch(&h[g + 12]);
            }
            /* A full group of four: a tournament, two rounds deep, on
             * keys held in registers; only the winner's index feeds the
             * next level's loads. */
            const HeapEnt *ch = &h[c];
            uint64_t k0 = ch[0].tk, k1 = ch[1].tk, k2 = ch[2].tk, k3 = ch[3].tk;
            uint64_t s0 = ch[0].ss, s1 = ch[1].ss, s2 = ch[2].ss, s3 = ch[3].ss;
            /* Selections by mask: GCC makes `x ? k1 : k0` a branch. */
            uint32_t x = key_less(k1, s1, k0, s0);
            uint32_t y = key_less(k3, s3, k2, s2);
            uint64_t mx = 0 - (uint64_t)x, my = 0 - (uint64_t)y;
            uint64_t ka = k0 ^ ((k0 ^ k1) & mx), kb = k2 ^ ((k2 ^ k3) & my);
            uint64_t sa = s0 ^ ((s0 ^ s1) & mx), sb = s2 ^ ((s2 ^ s3) & my);
            uint32_t w = key_less(kb, sb, ka, sa);
            best = (uint32_t)c + x + ((2 + y - x) & (0u - w));
        } else {
            uint32_t end = c + D < n ? (uint32_t)c + D : n;
            for (uint32_t j = (uint32_t)c + 1; j < end; j++)
                if (ent_less(&h[j], &h[best])) best = j;
        }
        HeapEnt m = h[best];
        h[i] = m;
        pos[ENT_SLOT(m)] = i;
        i = best;
    }
    while (i > top) {
        uint32_t p = (i - 1) / D;
        if (!ent_less(&e, &h[p])) break;
        HeapEnt m = h[p];
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

EvQueue *evq_new(double t0)
{
    EvQueue *q = xcalloc(1, sizeof *q);
    heap_grow(q);
    slots_grow(q);
    q->free_head = NIL;
    q->now = t0;
    return q;
}

void evq_free(EvQueue *q)
{
    if (!q) return;
    free(q->hmem);
    free(q->pos);
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

EvHandle evq_push(EvQueue *q, double time, int type, int a, int64_t b)
{
    assert(time >= q->now);   /* also rejects NaN */
    uint32_t s = slot_alloc(q);
    EvData *d = &q->data[s];
    d->ta = (uint32_t)type | (uint64_t)(uint32_t)a << 32;
    d->b = b;
    HeapEnt e = {time_key(time), (uint64_t)next_seq(q) << 32 | s};
    if (q->hole) {
        q->hole = 0;
        sift_down(q, 0, e);
    } else {
        if (q->n == q->hcap) heap_grow(q);
        sift_up(q, q->n++, e);
    }
    return make_handle(q, s);
}

int evq_pop(EvQueue *q, Event *ev)
{
    fill_hole(q);
    if (q->n == 0) return 0;
    const HeapEnt *top = &q->h[0];
    uint32_t s = ENT_SLOT(*top);
    const EvData *d = &q->data[s];
    uint64_t ta = d->ta;
    ev->time = key_time(top->tk);
    ev->type = (int)(uint32_t)ta;
    ev->a = (int)(uint32_t)(ta >> 32);
    ev->b = d->b;
    q->now = ev->time;
    slot_free(q, s);
    q->hole = 1;
    q->npop++;
    return 1;
}

int evq_pop_until(EvQueue *q, double until, Event *ev)
{
    fill_hole(q);
    if (q->n == 0 || key_time(q->h[0].tk) > until) {
        if (until > q->now) q->now = until;
        return 0;
    }
    return evq_pop(q, ev);
}

/* Put e at index i (whose old entry is gone) and restore heap order. */
static void place(EvQueue *q, uint32_t i, HeapEnt e)
{
    if (i > 0 && ent_less(&e, &q->h[(i - 1) / D])) sift_up(q, i, e);
    else sift_down(q, i, e);
}

int evq_cancel(EvQueue *q, EvHandle h)
{
    uint32_t s = handle_slot(q, h);
    if (s == NIL) return 0;
    fill_hole(q);
    uint32_t i = q->pos[s];
    q->n--;
    if (i != q->n) place(q, i, q->h[q->n]);
    slot_free(q, s);
    return 1;
}

int evq_reschedule(EvQueue *q, EvHandle h, double time)
{
    assert(time >= q->now);
    uint32_t s = handle_slot(q, h);
    if (s == NIL) return 0;
    fill_hole(q);
    HeapEnt e = {time_key(time), (uint64_t)next_seq(q) << 32 | s};
    place(q, q->pos[s], e);
    return 1;
}

int evq_get(const EvQueue *q, EvHandle h, Event *ev)
{
    uint32_t s = handle_slot(q, h);
    if (s == NIL) return 0;
    if (ev) {
        ev->time = key_time(q->h[q->pos[s]].tk);
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
    fill_hole(q);
    return q->n ? key_time(q->h[0].tk) : INFINITY;
}

size_t evq_size(const EvQueue *q)
{
    return q->n - (uint32_t)q->hole;
}

uint64_t evq_popped(const EvQueue *q)
{
    return q->npop;
}

size_t evq_mem_bytes(const EvQueue *q)
{
    return ((size_t)q->hcap + D - 1) * sizeof(HeapEnt)
           + (size_t)q->scap * (sizeof *q->pos + sizeof *q->gen + sizeof *q->data);
}

static int ent_cmp(const void *pa, const void *pb)
{
    const HeapEnt *a = pa, *b = pb;
    return ent_less(a, b) ? -1 : ent_less(b, a) ? 1 : 0;
}

void evq_renumber(EvQueue *q)
{
    fill_hole(q);
    /* A sorted array is a valid heap, so sorting by the current key and
     * numbering in that order keeps every comparison's outcome. */
    qsort(q->h, q->n, sizeof *q->h, ent_cmp);
    for (uint32_t i = 0; i < q->n; i++) {
        q->h[i].ss = (uint64_t)i << 32 | ENT_SLOT(q->h[i]);
        q->pos[ENT_SLOT(q->h[i])] = i;
    }
    q->seq = q->n;
}
