/* Event queue: time order, ties in insertion order, cancel and reschedule
 * through handles, stale handles, the clock and horizons, renumbering, and
 * a long random mix of operations checked step by step against a plain
 * reference list, with the queue growing and shrinking through the sizes
 * where it changes form (heap below a few hundred, radix heap above a
 * thousand); plus no growth of memory in steady state in either form. */
#include "check.h"
#include "evq.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

/* Pop every event; their a fields as the decimal digits of one number, in
 * pop order (a < 10). */
static int pop_order(EvQueue *q)
{
    Event ev;
    int order = 0;
    while (evq_pop(q, &ev)) order = order * 10 + ev.a;
    return order;
}

TEST(pops_in_time_order_and_moves_the_clock)
{
    EvQueue *q = evq_new(0);
    const double t[6] = {5, 1, 4, 2.5, 3, 0};
    for (int i = 0; i < 6; i++) evq_push(q, t[i], 7, i, 100 + i);
    CHECK(evq_size(q) == 6);
    CHECK(evq_next_time(q) == 0);
    Event ev;
    double last = -1;
    int ok = 1, n = 0;
    while (evq_pop(q, &ev)) {
        ok &= ev.time >= last && evq_now(q) == ev.time && ev.type == 7 && ev.b == 100 + ev.a
              && t[ev.a] == ev.time;
        last = ev.time;
        n++;
    }
    CHECK(ok && n == 6);
    CHECK(evq_size(q) == 0 && evq_next_time(q) == INFINITY);
    CHECK(evq_popped(q) == 6);
    evq_free(q);
}

TEST(equal_times_pop_in_insertion_order)
{
    EvQueue *q = evq_new(0);
    /* 3,000 events on three distinct times, pushed interleaved. */
    for (int i = 0; i < 3000; i++) evq_push(q, (double)((i * 7) % 3), 0, i, 0);
    Event ev;
    int ok = 1, prev_a = -1;
    double prev_t = -1;
    while (evq_pop(q, &ev)) {
        if (ev.time == prev_t) ok &= ev.a > prev_a;
        prev_t = ev.time;
        prev_a = ev.a;
    }
    CHECK(ok);
    /* -0.0 and 0.0 are equal times: insertion order again. */
    evq_clear(q, -1);
    evq_push(q, 0.0, 0, 1, 0);
    evq_push(q, -0.0, 0, 2, 0);
    evq_push(q, 0.0, 0, 3, 0);
    CHECK(pop_order(q) == 123);
    evq_free(q);
}

TEST(negative_and_infinite_times_order_correctly)
{
    EvQueue *q = evq_new(-10);
    evq_push(q, INFINITY, 0, 4, 0);
    evq_push(q, -3.5, 0, 2, 0);
    evq_push(q, 1e-300, 0, 3, 0);
    evq_push(q, -9.25, 0, 1, 0);
    CHECK(pop_order(q) == 1234);
    evq_free(q);
}

TEST(cancel_removes_only_that_event)
{
    EvQueue *q = evq_new(0);
    EvHandle h[10];
    for (int i = 0; i < 10; i++) h[i] = evq_push(q, 10 - i, 0, i, 0);
    CHECK(evq_cancel(q, h[3]) == 1);
    CHECK(evq_cancel(q, h[3]) == 0);       /* already cancelled */
    CHECK(evq_cancel(q, h[9]) == 1);       /* the earliest */
    CHECK(evq_cancel(q, EVQ_NONE) == 0);
    CHECK(evq_size(q) == 8);
    Event ev;
    int seen = 0, ok = 1;
    while (evq_pop(q, &ev)) {
        ok &= ev.a != 3 && ev.a != 9;
        seen++;
    }
    CHECK(ok && seen == 8);
    CHECK(evq_cancel(q, h[0]) == 0);       /* already popped */
    evq_free(q);
}

TEST(handles_go_stale_when_their_slot_is_reused)
{
    EvQueue *q = evq_new(0);
    EvHandle a = evq_push(q, 1, 0, 1, 0);
    Event ev;
    evq_pop(q, &ev);
    EvHandle b = evq_push(q, 2, 0, 2, 0);   /* reuses a's slot */
    CHECK(a != b);
    CHECK(evq_get(q, a, NULL) == 0);
    CHECK(evq_cancel(q, a) == 0);
    CHECK(evq_reschedule(q, a, 5) == 0);
    CHECK(evq_get(q, b, &ev) == 1 && ev.a == 2 && ev.time == 2);
    evq_free(q);
}

TEST(reschedule_moves_an_event_both_ways)
{
    EvQueue *q = evq_new(0);
    EvHandle h[5];
    for (int i = 0; i < 5; i++) h[i] = evq_push(q, i + 1, 0, i, 0);   /* times 1..5 */
    CHECK(evq_reschedule(q, h[4], 0.5) == 1);   /* last becomes first */
    CHECK(evq_reschedule(q, h[0], 9) == 1);     /* first becomes last */
    /* To a time already taken: after the event already there. */
    CHECK(evq_reschedule(q, h[1], 3) == 1);
    Event ev;
    CHECK(evq_get(q, h[1], &ev) && ev.time == 3);
    CHECK(pop_order(q) == 42130);
    evq_free(q);
}

TEST(pop_until_stops_at_the_horizon)
{
    EvQueue *q = evq_new(0);
    evq_push(q, 1, 0, 1, 0);
    evq_push(q, 2, 0, 2, 0);
    evq_push(q, 7, 0, 3, 0);
    Event ev;
    int n = 0;
    while (evq_pop_until(q, 5, &ev)) n++;
    CHECK(n == 2);
    CHECK(evq_now(q) == 5);
    CHECK(evq_size(q) == 1);
    /* A horizon in the past does not move the clock back. */
    CHECK(evq_pop_until(q, 4, &ev) == 0 && evq_now(q) == 5);
    CHECK(evq_pop_until(q, 7, &ev) == 1 && ev.a == 3 && evq_now(q) == 7);
    evq_free(q);
}

TEST(clear_empties_and_resets)
{
    EvQueue *q = evq_new(0);
    EvHandle h = evq_push(q, 3, 0, 0, 0);
    evq_push(q, 4, 0, 0, 0);
    Event ev;
    evq_pop(q, &ev);
    evq_clear(q, 100);
    CHECK(evq_size(q) == 0 && evq_now(q) == 100 && evq_popped(q) == 0);
    CHECK(evq_get(q, h, NULL) == 0);
    evq_push(q, 101, 0, 9, 0);
    CHECK(evq_pop(q, &ev) && ev.a == 9 && ev.time == 101);
    evq_free(q);
    evq_free(NULL);
}

/* The reference: pending events in a plain array, minimum found by a scan
 * on (time, insertion number). */
typedef struct Ref {
    double t;
    long seq;
    int id;
    EvHandle h;
} Ref;

static int ref_min(const Ref *r, int n)
{
    int m = 0;
    for (int i = 1; i < n; i++)
        if (r[i].t < r[m].t || (r[i].t == r[m].t && r[i].seq < r[m].seq)) m = i;
    return m;
}

TEST(random_operations_agree_with_a_reference)
{
    enum { MAXREF = 4096 };
    static Ref ref[MAXREF];
    int n = 0, ok = 1, ops = 0;
    long seq = 0;
    int next_id = 0;
    EvQueue *q = evq_new(0);
    Rng r;
    rng_init(&r, 31, 0, 0);
    Event ev;
    for (int step = 0; step < 200000 && ok; step++) {
        double u = rng_uniform(&r);
        /* Up to about 3,000 pending and down to about 100, four times over;
         * times on a coarse grid so that ties are common. */
        int target = (step / 25000) % 2 ? 100 : 3000;
        double grow = n < target ? 0.62 : 0.38;
        if (u < grow && n < MAXREF) {
            double t = evq_now(q) + floor(rng_uniform(&r) * 20) * 0.5;
            int id = next_id++;
            EvHandle h = evq_push(q, t, id % 5, id, (int64_t)id * 7);
            ref[n++] = (Ref){t, seq++, id, h};
        } else if (u < 0.85) {
            int got = evq_pop(q, &ev);
            if (n == 0) {
                ok &= !got;
            } else {
                int m = ref_min(ref, n);
                ok &= got && ev.a == ref[m].id && ev.time == ref[m].t && ev.type == ref[m].id % 5
                      && ev.b == (int64_t)ref[m].id * 7 && evq_now(q) == ref[m].t;
                ref[m] = ref[--n];
            }
        } else if (u < 0.93 && n > 0) {
            int k = (int)rng_below(&r, (uint64_t)n);
            ok &= evq_cancel(q, ref[k].h) == 1;
            ref[k] = ref[--n];
        } else if (n > 0) {
            int k = (int)rng_below(&r, (uint64_t)n);
            double t = evq_now(q) + floor(rng_uniform(&r) * 20) * 0.5;
            ok &= evq_reschedule(q, ref[k].h, t) == 1;
            ref[k].t = t;
            ref[k].seq = seq++;
        }
        ok &= evq_size(q) == (size_t)n;
        ops++;
    }
    CHECK(ok);
    CHECK(ops == 200000);
    /* Drain what is left. */
    while (n > 0 && ok) {
        int m = ref_min(ref, n);
        ok &= evq_pop(q, &ev) && ev.a == ref[m].id;
        ref[m] = ref[--n];
    }
    CHECK(ok && evq_size(q) == 0);
    evq_free(q);
}

TEST(renumbering_keeps_the_order)
{
    EvQueue *q = evq_new(0);
    EvHandle h[500];
    for (int i = 0; i < 500; i++) h[i] = evq_push(q, (double)(i % 10), 0, i, 0);
    for (int i = 0; i < 500; i += 7) evq_cancel(q, h[i]);
    Event ev;
    for (int i = 0; i < 20; i++) evq_pop(q, &ev);
    evq_renumber(q);
    /* Pushed after renumbering, at a time already pending: goes last among
     * its equals. */
    evq_push(q, 5, 0, 1000, 0);
    double pt = -1;
    int pa = -1, ok = 1, last_at_5 = -1;
    while (evq_pop(q, &ev)) {
        if (ev.time == pt) ok &= ev.a > pa;
        else ok &= ev.time > pt;
        pt = ev.time;
        pa = ev.a;
        if (ev.time == 5) last_at_5 = ev.a;
        ok &= ev.a == 1000 || ev.a % 7 != 0;
    }
    CHECK(ok);
    CHECK(last_at_5 == 1000);
    evq_free(q);
}

/* Hold model with `pending` events (pop, push back later, and reschedule a
 * third of them): memory after a warm-up equals memory after 500,000 more
 * operations. */
static int hold_memory_is_flat(int pending)
{
    EvQueue *q = evq_new(0);
    Rng r;
    rng_init(&r, 2, (uint64_t)pending, 0);
    for (int i = 0; i < pending; i++) evq_push(q, rng_uniform(&r), 0, i, 0);
    Event ev;
    size_t mem = 0;
    for (int i = 0; i < 505000; i++) {
        if (i == 5000) mem = evq_mem_bytes(q);
        evq_pop(q, &ev);
        EvHandle h = evq_push(q, ev.time + rng_uniform(&r), 0, ev.a, 0);
        if (i % 3 == 0) evq_reschedule(q, h, ev.time + 2 * rng_uniform(&r));
    }
    int ok = evq_mem_bytes(q) == mem && evq_size(q) == (size_t)pending;
    evq_free(q);
    return ok;
}

TEST(steady_state_allocates_nothing)
{
    CHECK(hold_memory_is_flat(200));    /* heap form */
    CHECK(hold_memory_is_flat(5000));   /* radix form */
}

int main(void)
{
    RUN(pops_in_time_order_and_moves_the_clock);
    RUN(equal_times_pop_in_insertion_order);
    RUN(negative_and_infinite_times_order_correctly);
    RUN(cancel_removes_only_that_event);
    RUN(handles_go_stale_when_their_slot_is_reused);
    RUN(reschedule_moves_an_event_both_ways);
    RUN(pop_until_stops_at_the_horizon);
    RUN(clear_empties_and_resets);
    RUN(random_operations_agree_with_a_reference);
    RUN(renumbering_keeps_the_order);
    RUN(steady_state_allocates_nothing);
    return check_done();
}
