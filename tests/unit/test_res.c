/* Resources and stores: the grant protocol on small hand-made cases, the
 * built-in statistics on a hand-made timeline, and whole queues against
 * queueing theory. Theory checks run R independent replications on fixed
 * seeds (warm-up deleted) and require |mean - theory| <= 5 standard errors
 * of the replication mean; Little's law is an identity per run. */
#include "bench.h"
#include "check.h"
#include "dist.h"
#include "evq.h"
#include "res.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

/* A FIFO resource of `servers` with requests from 1..n at times t[0..n-1]
 * (class 0). */
static Resource *fifo_requested(int servers, const double *t, int n)
{
    Resource *r = res_new(servers, RES_FIFO, 0);
    for (int i = 0; i < n; i++) res_request(r, t[i], i + 1, 0);
    return r;
}

TEST(fifo_grants_in_arrival_order)
{
    Resource *r = res_new(1, RES_FIFO, 0);
    CHECK(res_request(r, 0, 10, 0) == 1);
    CHECK(res_request(r, 1, 11, 0) == 0);
    CHECK(res_request(r, 2, 12, 0) == 0);
    CHECK(res_busy(r) == 1 && res_queue_len(r) == 2);
    CHECK(res_release(r, 3) == 11);
    CHECK(res_release(r, 4) == 12);
    CHECK(res_release(r, 5) == -1);
    CHECK(res_busy(r) == 0 && res_queue_len(r) == 0);
    res_free(r);
    res_free(NULL);
}

TEST(priority_serves_lowest_class_first_then_fifo)
{
    Resource *r = res_new(1, RES_PRIORITY, 0);
    CHECK(res_request(r, 0, 0, 4) == 1);
    const int who[6] = {1, 2, 3, 4, 5, 6}, prio[6] = {3, 1, 2, 1, 3, 2};
    for (int i = 0; i < 6; i++) CHECK(res_request(r, 1, who[i], prio[i]) == 0);
    int order = 0;
    for (int i = 0; i < 6; i++) order = order * 10 + res_release(r, 2 + i);
    CHECK(order == 243615);
    res_free(r);
}

TEST(more_servers_grant_waiters_and_fewer_do_not_preempt)
{
    Resource *r = fifo_requested(1, (const double[]){0, 0, 0, 0}, 4);
    res_set_servers(r, 1, 3);
    CHECK(res_grant_next(r, 1) == 2);
    CHECK(res_grant_next(r, 1) == 3);
    CHECK(res_grant_next(r, 1) == -1);
    CHECK(res_busy(r) == 3 && res_queue_len(r) == 1);
    /* Down to one server: the three holders keep theirs; 4 waits until
     * busy is below one. */
    res_set_servers(r, 2, 1);
    CHECK(res_release(r, 3) == -1);
    CHECK(res_release(r, 4) == -1);
    CHECK(res_release(r, 5) == 4);
    CHECK(res_busy(r) == 1);
    res_free(r);
}

TEST(withdraw_takes_a_waiter_out)
{
    const int disc[2] = {RES_FIFO, RES_PRIORITY};
    for (int d = 0; d < 2; d++) {
        Resource *r = res_new(1, disc[d], 0);
        res_request(r, 0, 1, 1);
        for (int w = 2; w <= 6; w++) res_request(r, 0, w, w % 2);
        CHECK(res_withdraw(r, 1, 4) == 1);
        CHECK(res_withdraw(r, 1, 4) == 0);
        CHECK(res_withdraw(r, 1, 1) == 0);   /* holds a server, not waiting */
        int seen4 = 0, n = 0, w;
        while ((w = res_release(r, 2)) >= 0) {
            seen4 |= w == 4;
            n++;
        }
        CHECK(!seen4 && n == 4);
        res_free(r);
    }
}

TEST(statistics_on_a_hand_made_timeline)
{
    /* Two servers. A at 0, B at 1, C at 2 (waits), release at 4 (C gets
     * it after waiting 2), releases at 6 and 8, look at 10.
     * Busy: 1 on [0,1), 2 on [1,6), 1 on [6,8), 0 on [8,10] -> 13 / 20.
     * Queue: 1 on [2,4) -> 2 / 10. Waits 0, 0, 2. */
    Resource *r = fifo_requested(2, (const double[]){0, 1, 2}, 3);
    CHECK(res_release(r, 4) == 3);
    res_release(r, 6);
    res_release(r, 8);
    ResStats s;
    res_stats(r, 10, &s);
    CHECK_NEAR(s.utilisation, 0.65, 1e-15);
    CHECK_NEAR(s.mean_busy, 1.3, 1e-15);
    CHECK_NEAR(s.mean_queue, 0.2, 1e-15);
    CHECK(s.max_queue == 1);
    CHECK(s.wait.n == 3);
    CHECK_NEAR(s.wait.mean, 2.0 / 3, 1e-15);
    CHECK(s.span == 10);
    /* A new window from 10: nothing busy, nothing counted. */
    res_reset_stats(r, 10);
    res_stats(r, 12, &s);
    CHECK(s.utilisation == 0 && s.wait.n == 0 && s.span == 2);
    res_free(r);
}

TEST(store_takers_wait_for_puts_in_order)
{
    Store *s = store_new(100, 10, 0);
    StoreGrant g;
    CHECK(store_take(s, 0, 1, 4) == 1);
    CHECK(store_level(s) == 6);
    CHECK(store_take(s, 1, 2, 8) == 0);    /* not enough */
    CHECK(store_take(s, 1, 3, 1) == 0);    /* enough, but no overtaking */
    CHECK(store_queue_len(s, STORE_TAKE) == 2);
    CHECK(store_granted(s, &g) == 0);
    CHECK(store_put(s, 3, 9, 5) == 1);     /* 11: both go through */
    CHECK(store_granted(s, &g) == 1 && g.who == 2 && g.kind == STORE_TAKE && g.amount == 8);
    CHECK(store_granted(s, &g) == 1 && g.who == 3);
    CHECK(store_granted(s, &g) == 0);
    CHECK_NEAR(store_level(s), 2, 1e-12);
    StoreStats st;
    store_stats(s, 4, &st);
    /* Takes: 4 at once, 8 and 1 after 2 h each. */
    CHECK(st.take_wait.n == 3);
    CHECK_NEAR(st.take_wait.mean, 4.0 / 3, 1e-15);
    CHECK_NEAR(st.taken, 13, 1e-12);
    CHECK_NEAR(st.put, 5, 1e-12);
    /* Level: 10 on [0,0), 6 on [0,3), 2 on [3,4] -> (18 + 2) / 4. */
    CHECK_NEAR(st.mean_level, 5, 1e-12);
    CHECK_NEAR(st.mean_takers, 2.0 * 2 / 4, 1e-12);
    CHECK_NEAR(st.min_level, 2, 1e-12);
    store_free(s);
    store_free(NULL);
}

TEST(store_putters_wait_for_room)
{
    Store *s = store_new(10, 8, 0);
    StoreGrant g;
    CHECK(store_put(s, 0, 1, 5) == 0);
    CHECK(store_put(s, 0, 2, 1) == 0);     /* would fit, but waits its turn */
    CHECK(store_take(s, 1, 3, 4) == 1);    /* 4 left: both puts fit now */
    CHECK(store_granted(s, &g) && g.who == 1 && g.kind == STORE_PUT);
    CHECK(store_granted(s, &g) && g.who == 2);
    CHECK_NEAR(store_level(s), 10, 1e-12);
    /* Withdrawing the head lets the next one through. */
    CHECK(store_put(s, 2, 4, 6) == 0);
    CHECK(store_put(s, 2, 5, 2) == 0);
    CHECK(store_take(s, 3, 6, 3) == 1);    /* 7: 6 does not fit, so 2 waits too */
    CHECK(store_granted(s, &g) == 0);
    CHECK(store_withdraw(s, 4, 4, STORE_PUT) == 1);
    CHECK(store_granted(s, &g) && g.who == 5);
    CHECK(store_withdraw(s, 4, 4, STORE_PUT) == 0);
    store_free(s);
}

TEST(store_tolerates_rounding_in_levels)
{
    /* 0.3 - 0.1 - 0.1 is a hair below 0.1 in binary. */
    Store *s = store_new(1, 0.3, 0);
    CHECK(store_take(s, 0, 1, 0.1) == 1);
    CHECK(store_take(s, 0, 2, 0.1) == 1);
    CHECK(store_take(s, 0, 3, 0.1) == 1);
    CHECK(store_level(s) >= 0 && store_level(s) < 1e-12);
    for (int i = 0; i < 10; i++) store_put(s, 1, i, 0.1);
    CHECK(store_queue_len(s, STORE_PUT) == 0);
    CHECK(store_level(s) <= 1);
    store_free(s);
}

TEST(store_capacity_loss_spills_contents)
{
    Store *s = store_new(100, 80, 0);
    CHECK_NEAR(store_set_capacity(s, 1, 50), 30, 1e-12);
    CHECK(store_level(s) == 50 && store_capacity(s) == 50);
    CHECK(store_take(s, 2, 1, 50) == 1);
    CHECK(store_put(s, 3, 2, 40) == 1);
    CHECK(store_put(s, 3, 3, 20) == 0);
    CHECK_NEAR(store_set_capacity(s, 4, 100), 0, 0);   /* repaired: the put fits */
    StoreGrant g;
    CHECK(store_granted(s, &g) && g.who == 3);
    store_free(s);
}

/* R replications of one queue; means of the replication means. */
typedef struct Rep {
    Welford wait, util;
    double worst_little;   /* largest |Lq - lambda Wq| / Lq over replications */
} Rep;

static void replicate(const BenchMmcParams *base, int reps, Rep *out)
{
    stats_welford_init(&out->wait);
    stats_welford_init(&out->util);
    out->worst_little = 0;
    for (int k = 0; k < reps; k++) {
        BenchMmcParams p = *base;
        p.rep = (uint64_t)k;
        BenchMmcResult r;
        bench_mmc(&p, &r);
        stats_welford_add(&out->wait, r.mean_wait);
        stats_welford_add(&out->util, r.utilisation);
        double little = fabs(r.mean_queue - r.arrival_rate * r.mean_wait) / r.mean_queue;
        if (little > out->worst_little) out->worst_little = little;
    }
}

/* |mean - theory| within 5 standard errors of the replication mean. */
static int within_5se(const Welford *w, double theory, const char *what)
{
    double se = stats_welford_sd(w) / sqrt((double)w->n);
    int ok = fabs(w->mean - theory) <= 5 * se;
    if (!ok) fprintf(stderr, "  %s: %.6g, theory %.6g, se %.3g\n", what, w->mean, theory, se);
    return ok;
}

/* 12 replications of a queue with service rate 1, arrival rate lambda, the
 * given servers (deterministic service when deterministic is 1) and
 * customers arrivals, the first 5% left out as warm-up, on seed. */
static void queue_reps(double lambda, int servers, int deterministic, uint64_t customers, uint64_t seed, Rep *r)
{
    BenchMmcParams p;
    bench_mmc_default(&p);
    p.lambda = lambda;
    p.servers = servers;
    p.deterministic = deterministic;
    p.customers = customers;
    p.warmup = customers / 20;
    p.seed = seed;
    replicate(&p, 12, r);
}

TEST(mm1_wait_matches_erlang_c_and_littles_law_holds)
{
    Rep r;
    queue_reps(0.8, 1, 0, 60000, 11, &r);
    CHECK_NEAR(bench_mmc_wait(0.8, 1, 1), 4, 1e-12);  /* rho / (mu - lambda) */
    CHECK(within_5se(&r.wait, 4.0, "M/M/1 wait"));
    CHECK(within_5se(&r.util, 0.8, "M/M/1 utilisation"));
    CHECK(r.worst_little < 0.005);
}

TEST(mmc_wait_matches_erlang_c)
{
    /* Erlang C for c = 3, a = 2.4: C = 0.6472, Wq = C / (3 - 2.4). */
    CHECK_NEAR(bench_erlang_c(3, 2.4), 0.647191011235955, 1e-12);
    Rep r;
    queue_reps(2.4, 3, 0, 80000, 12, &r);
    CHECK(within_5se(&r.wait, bench_mmc_wait(2.4, 1, 3), "M/M/3 wait"));
    CHECK(within_5se(&r.util, 0.8, "M/M/3 utilisation"));
    CHECK(r.worst_little < 0.005);
    /* Lighter load, more servers. */
    queue_reps(6, 8, 0, 80000, 13, &r);
    CHECK(within_5se(&r.wait, bench_mmc_wait(6, 1, 8), "M/M/8 wait"));
}

TEST(md1_wait_matches_pollaczek_khinchine)
{
    Rep r;
    queue_reps(0.7, 1, 1, 60000, 14, &r);
    CHECK_NEAR(bench_md1_wait(0.7, 1), 0.7 / 0.6, 1e-12);
    CHECK(within_5se(&r.wait, bench_md1_wait(0.7, 1), "M/D/1 wait"));
    CHECK(r.worst_little < 0.005);
}

/* M/M/1 with two priority classes, non-preemptive, written as a model
 * would write it: arrival and departure events, the Resource deciding who
 * goes next, the model keeping its customers' arrival times. */
TEST(priority_classes_match_cobham)
{
    enum { N = 60000, WARM = 3000, REPS = 10 };
    const double lam1 = 0.3, lam2 = 0.5, mu = 1;
    /* W0 = sum lambda_i E[S^2] / 2 = 0.8; W1 = W0 / (1 - rho1);
     * W2 = W0 / ((1 - rho1)(1 - rho1 - rho2)). */
    const double w0 = (lam1 + lam2) * (2 / (mu * mu)) / 2;
    const double w1 = w0 / (1 - lam1 / mu), w2 = w0 / ((1 - lam1 / mu) * (1 - (lam1 + lam2) / mu));
    static double arrive[N];
    static int cls[N];
    Welford m1, m2;
    stats_welford_init(&m1);
    stats_welford_init(&m2);
    for (int rep = 0; rep < REPS; rep++) {
        EvQueue *q = evq_new(0);
        Resource *res = res_new(1, RES_PRIORITY, 0);
        Rng ra, rs, rc;
        rng_init(&ra, 21, (uint64_t)rep, 0);
        rng_init(&rs, 21, (uint64_t)rep, 1);
        rng_init(&rc, 21, (uint64_t)rep, 2);
        Welford c1, c2;
        stats_welford_init(&c1);
        stats_welford_init(&c2);
        int n = 0;
        evq_push(q, dist_exponential(&ra, lam1 + lam2), 0, 0, 0);
        Event ev;
        while (evq_pop(q, &ev)) {
            int who = -1;
            if (ev.type == 0) {
                int id = n++;
                arrive[id] = ev.time;
                cls[id] = rng_uniform(&rc) < lam1 / (lam1 + lam2) ? 1 : 2;
                if (n < N) evq_push(q, ev.time + dist_exponential(&ra, lam1 + lam2), 0, 0, 0);
                if (res_request(res, ev.time, id, cls[id])) who = id;
            } else {
                who = res_release(res, ev.time);
            }
            if (who >= 0) {
                if (who >= WARM) stats_welford_add(cls[who] == 1 ? &c1 : &c2, ev.time - arrive[who]);
                evq_push(q, ev.time + dist_exponential(&rs, mu), 1, who, 0);
            }
        }
        stats_welford_add(&m1, c1.mean);
        stats_welford_add(&m2, c2.mean);
        res_free(res);
        evq_free(q);
    }
    CHECK(within_5se(&m1, w1, "class 1 wait"));
    CHECK(within_5se(&m2, w2, "class 2 wait"));
    /* And the classes differ by far more than noise. */
    CHECK(m2.mean > 3 * m1.mean);
}

/* Replicate k of the M/M/c bench p: mean wait and mean queue into out. */
static void mmc_rep(const BenchMmcParams *p, int k, double out[2])
{
    BenchMmcParams pk = *p;
    pk.rep = (uint64_t)k;
    BenchMmcResult r;
    bench_mmc(&pk, &r);
    out[0] = r.mean_wait;
    out[1] = r.mean_queue;
}

TEST(same_replicates_on_one_thread_and_two)
{
    enum { NREP = 8 };
    double serial[NREP][2], parallel[NREP][2];
    BenchMmcParams p;
    bench_mmc_default(&p);
    p.servers = 2;
    p.lambda = 1.5;
    p.customers = 20000;
    for (int k = 0; k < NREP; k++) mmc_rep(&p, k, serial[k]);
#pragma omp parallel for num_threads(2) schedule(dynamic, 1)
    for (int k = 0; k < NREP; k++) mmc_rep(&p, k, parallel[k]);
    int same = 1;
    for (int k = 0; k < NREP; k++)
        same &= serial[k][0] == parallel[k][0] && serial[k][1] == parallel[k][1];
    CHECK(same);
    CHECK(serial[0][0] != serial[1][0]);   /* and replicates do differ */
}

int main(void)
{
    RUN(fifo_grants_in_arrival_order);
    RUN(priority_serves_lowest_class_first_then_fifo);
    RUN(more_servers_grant_waiters_and_fewer_do_not_preempt);
    RUN(withdraw_takes_a_waiter_out);
    RUN(statistics_on_a_hand_made_timeline);
    RUN(store_takers_wait_for_puts_in_order);
    RUN(store_putters_wait_for_room);
    RUN(store_tolerates_rounding_in_levels);
    RUN(store_capacity_loss_spills_contents);
    RUN(mm1_wait_matches_erlang_c_and_littles_law_holds);
    RUN(mmc_wait_matches_erlang_c);
    RUN(md1_wait_matches_pollaczek_khinchine);
    RUN(priority_classes_match_cobham);
    RUN(same_replicates_on_one_thread_and_two);
    return check_done();
}
