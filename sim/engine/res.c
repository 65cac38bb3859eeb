/* Resources and stores (see res.h). Waiting lines are ring buffers (FIFO)
 * or a binary heap on (priority, arrival number) (RES_PRIORITY); both grow
 * by doubling and are reused, so steady state allocates nothing. */
#include "res.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Waiter {
    double since;     /* time it joined the queue */
    double amount;    /* Store only */
    uint64_t seq;     /* arrival number, the tie-break under RES_PRIORITY */
    int who;
    int prio;
} Waiter;

/* A queue of waiters: a ring buffer (cap a power of two) when FIFO, a heap
 * in w[0..n) when ordered by priority. */
typedef struct WaitQ {
    Waiter *w;
    uint32_t head, n, cap;
} WaitQ;

static void wq_free(WaitQ *q)
{
    free(q->w);
}

/* Double a ring of n elements of size sz (cap a power of two, or 0),
 * unrolling it so that head is 0 again; returns the new buffer. The waiting
 * lines and the store's grants grow by this one rule. */
static void *ring_grow(void *buf, size_t sz, uint32_t *head, uint32_t n, uint32_t *cap)
{
    uint32_t c = *cap ? *cap * 2 : 16;
    char *b = xmalloc((size_t)c * sz);
    for (uint32_t i = 0; i < n; i++) memcpy(b + i * sz, (char *)buf + ((*head + i) & (*cap - 1)) * sz, sz);
    free(buf);
    *head = 0;
    *cap = c;
    return b;
}

static void wq_grow(WaitQ *q)
{
    q->w = ring_grow(q->w, sizeof *q->w, &q->head, q->n, &q->cap);
}

static inline Waiter *wq_at(WaitQ *q, uint32_t i)
{
    return &q->w[(q->head + i) & (q->cap - 1)];
}

static inline void wq_push_back(WaitQ *q, Waiter x)
{
    if (q->n == q->cap) wq_grow(q);
    *wq_at(q, q->n) = x;
    q->n++;
}

static inline Waiter wq_pop_front(WaitQ *q)
{
    Waiter x = q->w[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->n--;
    return x;
}

/* Index of the waiter who in q (a ring, or a heap in w[0..n)), or -1. */
static int64_t wq_find(WaitQ *q, int who, int ring)
{
    for (uint32_t i = 0; i < q->n; i++)
        if ((ring ? wq_at(q, i) : &q->w[i])->who == who) return i;
    return -1;
}

/* Remove ring element i, closing the gap. */
static void wq_remove_at(WaitQ *q, uint32_t i)
{
    for (uint32_t k = i; k + 1 < q->n; k++) *wq_at(q, k) = *wq_at(q, k + 1);
    q->n--;
}

static inline int prio_less(const Waiter *x, const Waiter *y)
{
    return x->prio < y->prio || (x->prio == y->prio && x->seq < y->seq);
}

/* The heap form keeps head == 0, so w[i] is element i. */
static void heap_up(WaitQ *q, uint32_t i)
{
    Waiter x = q->w[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!prio_less(&x, &q->w[p])) break;
        q->w[i] = q->w[p];
        i = p;
    }
    q->w[i] = x;
}

static void heap_down(WaitQ *q, uint32_t i)
{
    Waiter x = q->w[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= q->n) break;
        if (c + 1 < q->n && prio_less(&q->w[c + 1], &q->w[c])) c++;
        if (!prio_less(&q->w[c], &x)) break;
        q->w[i] = q->w[c];
        i = c;
    }
    q->w[i] = x;
}

static void heap_push(WaitQ *q, Waiter x)
{
    if (q->n == q->cap) wq_grow(q);
    q->w[q->n] = x;
    heap_up(q, q->n++);
}

static void heap_remove_at(WaitQ *q, uint32_t i)
{
    q->n--;
    if (i == q->n) return;
    q->w[i] = q->w[q->n];
    if (i > 0 && prio_less(&q->w[i], &q->w[(i - 1) / 2])) heap_up(q, i);
    else heap_down(q, i);
}

/* ---- Resource ---- */

struct Resource {
    int servers, busy, disc;
    WaitQ q;
    uint64_t seq;
    TimeAvg busy_ta, servers_ta, queue_ta;
    Welford wait;
};

Resource *res_new(int servers, int discipline, double t0)
{
    assert(servers >= 0);
    assert(discipline == RES_FIFO || discipline == RES_PRIORITY);
    Resource *r = xcalloc(1, sizeof *r);
    r->servers = servers;
    r->disc = discipline;
    wq_grow(&r->q);
    stats_tavg_init(&r->busy_ta, t0, 0);
    stats_tavg_init(&r->servers_ta, t0, servers);
    stats_tavg_init(&r->queue_ta, t0, 0);
    stats_welford_init(&r->wait);
    return r;
}

void res_free(Resource *r)
{
    if (!r) return;
    wq_free(&r->q);
    free(r);
}

int res_request(Resource *r, double now, int who, int priority)
{
    assert(who >= 0);
    if (r->busy < r->servers && r->q.n == 0) {
        r->busy++;
        stats_tavg_set(&r->busy_ta, now, r->busy);
        stats_welford_add(&r->wait, 0);
        return 1;
    }
    Waiter x = {now, 0, r->seq++, who, priority};
    if (r->disc == RES_FIFO) wq_push_back(&r->q, x);
    else heap_push(&r->q, x);
    stats_tavg_set(&r->queue_ta, now, r->q.n);
    return 0;
}

/* Remove and return the next waiter; the queue is not empty. */
static Waiter take_next(Resource *r)
{
    if (r->disc == RES_FIFO) return wq_pop_front(&r->q);
    Waiter x = r->q.w[0];
    heap_remove_at(&r->q, 0);
    return x;
}

int res_release(Resource *r, double now)
{
    assert(r->busy > 0);
    if (r->q.n && r->busy <= r->servers) {
        /* The server passes straight to the next waiter: busy is unchanged. */
        Waiter x = take_next(r);
        stats_tavg_set(&r->queue_ta, now, r->q.n);
        stats_welford_add(&r->wait, now - x.since);
        return x.who;
    }
    r->busy--;
    stats_tavg_set(&r->busy_ta, now, r->busy);
    return -1;
}

int res_grant_next(Resource *r, double now)
{
    if (r->busy >= r->servers || r->q.n == 0) return -1;
    Waiter x = take_next(r);
    stats_tavg_set(&r->queue_ta, now, r->q.n);
    r->busy++;
    stats_tavg_set(&r->busy_ta, now, r->busy);
    stats_welford_add(&r->wait, now - x.since);
    return x.who;
}

void res_set_servers(Resource *r, double now, int servers)
{
    assert(servers >= 0);
    r->servers = servers;
    stats_tavg_set(&r->servers_ta, now, servers);
}

int res_withdraw(Resource *r, double now, int who)
{
    int64_t i = wq_find(&r->q, who, r->disc == RES_FIFO);
    if (i < 0) return 0;
    if (r->disc == RES_FIFO) wq_remove_at(&r->q, (uint32_t)i);
    else heap_remove_at(&r->q, (uint32_t)i);
    stats_tavg_set(&r->queue_ta, now, r->q.n);
    return 1;
}

int res_servers(const Resource *r)
{
    return r->servers;
}

int res_busy(const Resource *r)
{
    return r->busy;
}

int res_queue_len(const Resource *r)
{
    return (int)r->q.n;
}

void res_stats(const Resource *r, double now, ResStats *out)
{
    double cap = stats_tavg_area(&r->servers_ta, now);
    double busy = stats_tavg_area(&r->busy_ta, now);
    out->utilisation = cap > 0 ? busy / cap : 0;
    out->mean_busy = stats_tavg_mean(&r->busy_ta, now);
    out->mean_queue = stats_tavg_mean(&r->queue_ta, now);
    out->max_queue = r->queue_ta.max;
    out->wait = r->wait;
    out->span = now - r->busy_ta.t0;
}

void res_reset_stats(Resource *r, double now)
{
    stats_tavg_set(&r->busy_ta, now, r->busy);
    stats_tavg_set(&r->servers_ta, now, r->servers);
    stats_tavg_set(&r->queue_ta, now, r->q.n);
    stats_tavg_reset(&r->busy_ta, now);
    stats_tavg_reset(&r->servers_ta, now);
    stats_tavg_reset(&r->queue_ta, now);
    stats_welford_init(&r->wait);
}

/* ---- Store ---- */

/* One direction of a store, indexed by STORE_TAKE or STORE_PUT: takes and
 * puts queue, wait and count alike; only what fits differs (store_fits). */
typedef struct StoreSide {
    WaitQ q;                 /* waiters, strictly in arrival order */
    TimeAvg q_ta;            /* time-weighted queue length */
    Welford wait;            /* waiting time per grant, 0 if immediate */
    double moved;            /* total taken or put */
} StoreSide;

struct Store {
    double capacity, level;
    double eps;              /* tolerance for "fits" and "enough" */
    StoreSide side[2];
    /* Granted waiters not yet collected by store_granted: a ring of
     * StoreGrant, same growth rule as WaitQ. */
    StoreGrant *g;
    uint32_t ghead, gn, gcap;
    TimeAvg level_ta;
    double min_level;
};

/* Quantities come from sums of doubles: 0.3 - 0.1 - 0.1 leaves slightly
 * less than 0.1, and an exact comparison would keep a taker of 0.1 waiting
 * for ever. A relative slack of 1e-12 of the capacity absorbs that. */
static double store_eps(double capacity)
{
    return 1e-12 * (capacity > 1 ? capacity : 1);
}

Store *store_new(double capacity, double level, double t0)
{
    assert(capacity >= 0 && level >= 0 && level <= capacity);
    Store *s = xcalloc(1, sizeof *s);
    s->capacity = capacity;
    s->level = level;
    s->eps = store_eps(capacity);
    stats_tavg_init(&s->level_ta, t0, level);
    s->min_level = level;
    for (int k = STORE_TAKE; k <= STORE_PUT; k++) {
        wq_grow(&s->side[k].q);
        stats_tavg_init(&s->side[k].q_ta, t0, 0);
        stats_welford_init(&s->side[k].wait);
    }
    return s;
}

void store_free(Store *s)
{
    if (!s) return;
    wq_free(&s->side[STORE_TAKE].q);
    wq_free(&s->side[STORE_PUT].q);
    free(s->g);
    free(s);
}

static void set_level(Store *s, double now, double level)
{
    if (level < 0) level = 0;
    if (level > s->capacity) level = s->capacity;
    s->level = level;
    stats_tavg_set(&s->level_ta, now, level);
    if (level < s->min_level) s->min_level = level;
}

static void grant_push(Store *s, int who, int kind, double amount)
{
    if (s->gn == s->gcap) s->g = ring_grow(s->g, sizeof *s->g, &s->ghead, s->gn, &s->gcap);
    StoreGrant *x = &s->g[(s->ghead + s->gn) & (s->gcap - 1)];
    x->who = who;
    x->kind = kind;
    x->amount = amount;
    s->gn++;
}

/* Whether a take (of the level) or a put (into the room left) of amount
 * can go through now. */
static int store_fits(const Store *s, int kind, double amount)
{
    if (kind == STORE_TAKE) return amount <= s->level + s->eps;
    return s->level + amount <= s->capacity + s->eps;
}

/* A take or put of amount goes through after waiting `waited`. */
static void store_move(Store *s, double now, int kind, double amount, double waited)
{
    StoreSide *d = &s->side[kind];
    set_level(s, now, kind == STORE_TAKE ? s->level - amount : s->level + amount);
    stats_welford_add(&d->wait, waited);
    d->moved += amount;
}

/* Let waiting takers and putters through while the heads fit: a put can
 * unblock takers and a take can unblock putters, so repeat until neither
 * head moves. */
static void settle(Store *s, double now)
{
    int moved;
    do {
        moved = 0;
        for (int k = STORE_TAKE; k <= STORE_PUT; k++) {
            WaitQ *q = &s->side[k].q;
            while (q->n && store_fits(s, k, wq_at(q, 0)->amount)) {
                Waiter x = wq_pop_front(q);
                store_move(s, now, k, x.amount, now - x.since);
                grant_push(s, x.who, k, x.amount);
                moved = 1;
            }
        }
    } while (moved);
    for (int k = STORE_TAKE; k <= STORE_PUT; k++) stats_tavg_set(&s->side[k].q_ta, now, s->side[k].q.n);
}

/* store_take and store_put: through at once when nobody of the same kind
 * waits and it fits, else queued behind them. */
static int store_ask(Store *s, double now, int who, double amount, int kind)
{
    assert(amount >= 0 && amount <= s->capacity + s->eps);
    StoreSide *d = &s->side[kind];
    if (d->q.n == 0 && store_fits(s, kind, amount)) {
        store_move(s, now, kind, amount, 0);
        settle(s, now);
        return 1;
    }
    Waiter x = {now, amount, 0, who, 0};
    wq_push_back(&d->q, x);
    stats_tavg_set(&d->q_ta, now, d->q.n);
    return 0;
}

int store_take(Store *s, double now, int who, double amount)
{
    return store_ask(s, now, who, amount, STORE_TAKE);
}

int store_put(Store *s, double now, int who, double amount)
{
    return store_ask(s, now, who, amount, STORE_PUT);
}

int store_granted(Store *s, StoreGrant *g)
{
    if (s->gn == 0) return 0;
    *g = s->g[s->ghead];
    s->ghead = (s->ghead + 1) & (s->gcap - 1);
    s->gn--;
    return 1;
}

double store_set_capacity(Store *s, double now, double capacity)
{
    assert(capacity >= 0);
    double lost = s->level > capacity ? s->level - capacity : 0;
    s->capacity = capacity;
    s->eps = store_eps(capacity);
    set_level(s, now, s->level);
    settle(s, now);
    return lost;
}

int store_withdraw(Store *s, double now, int who, int kind)
{
    WaitQ *q = &s->side[kind].q;
    int64_t i = wq_find(q, who, 1);
    if (i < 0) return 0;
    wq_remove_at(q, (uint32_t)i);
    /* The new head may fit where the one removed did not. */
    settle(s, now);
    return 1;
}

double store_level(const Store *s)
{
    return s->level;
}

double store_capacity(const Store *s)
{
    return s->capacity;
}

int store_queue_len(const Store *s, int kind)
{
    return (int)s->side[kind].q.n;
}

void store_stats(const Store *s, double now, StoreStats *out)
{
    out->mean_level = stats_tavg_mean(&s->level_ta, now);
    out->min_level = s->min_level;
    out->mean_takers = stats_tavg_mean(&s->side[STORE_TAKE].q_ta, now);
    out->mean_putters = stats_tavg_mean(&s->side[STORE_PUT].q_ta, now);
    out->take_wait = s->side[STORE_TAKE].wait;
    out->put_wait = s->side[STORE_PUT].wait;
    out->taken = s->side[STORE_TAKE].moved;
    out->put = s->side[STORE_PUT].moved;
    out->span = now - s->level_ta.t0;
}

void store_reset_stats(Store *s, double now)
{
    stats_tavg_set(&s->level_ta, now, s->level);
    stats_tavg_reset(&s->level_ta, now);
    s->min_level = s->level;
    for (int k = STORE_TAKE; k <= STORE_PUT; k++) {
        StoreSide *d = &s->side[k];
        stats_tavg_set(&d->q_ta, now, d->q.n);
        stats_tavg_reset(&d->q_ta, now);
        stats_welford_init(&d->wait);
        d->moved = 0;
    }
}
