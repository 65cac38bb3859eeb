/* Benchmark models on the engine (see bench.h). They use only the public
 * interfaces a model would use (evq, res, dist), so their speed is what a
 * model gets, and their answers are checked against queueing theory. */
#include "bench.h"
#include "dist.h"
#include "evq.h"
#include "res.h"
#include "rng.h"

#include <math.h>
#include <time.h>

enum { EV_ARRIVE, EV_DEPART };

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bench_mmc_default(BenchMmcParams *p)
{
    p->lambda = 0.8;
    p->mu = 1.0;
    p->servers = 1;
    p->customers = 1000000;
    p->warmup = 0;
    p->seed = 1;
    p->rep = 0;
    p->deterministic = 0;
}

void bench_mmc(const BenchMmcParams *p, BenchMmcResult *out)
{
    EvQueue *q = evq_new(0);
    Resource *res = res_new(p->servers, RES_FIFO, 0);
    Rng arr, svc;
    rng_init(&arr, p->seed, p->rep, 0);
    rng_init(&svc, p->seed, p->rep, 1);
    const double d_service = 1.0 / p->mu;
    const int det = p->deterministic;

    double t0 = wall_seconds();
    uint64_t arrived = 0;
    if (p->customers > 0) evq_push(q, dist_exponential(&arr, p->lambda), EV_ARRIVE, 0, 0);
    Event ev;
    while (evq_pop(q, &ev)) {
        double now = ev.time;
        if (ev.type == EV_ARRIVE) {
            arrived++;
            if (arrived == p->warmup + 1 && p->warmup > 0) res_reset_stats(res, now);
            if (arrived < p->customers)
                evq_push(q, now + dist_exponential(&arr, p->lambda), EV_ARRIVE, 0, 0);
            if (res_request(res, now, 0, 0))
                evq_push(q, now + (det ? d_service : dist_exponential(&svc, p->mu)), EV_DEPART, 0, 0);
        } else if (res_release(res, now) >= 0) {
            evq_push(q, now + (det ? d_service : dist_exponential(&svc, p->mu)), EV_DEPART, 0, 0);
        }
    }
    out->seconds = wall_seconds() - t0;

    ResStats st;
    res_stats(res, evq_now(q), &st);
    out->mean_wait = st.wait.mean;
    out->mean_queue = st.mean_queue;
    out->mean_busy = st.mean_busy;
    out->utilisation = st.utilisation;
    out->span = st.span;
    out->counted = st.wait.n;
    out->arrival_rate = st.span > 0 ? (double)st.wait.n / st.span : 0;
    out->events = evq_popped(q);
    res_free(res);
    evq_free(q);
}

void bench_hold(uint64_t pending, uint64_t events, uint64_t seed, BenchHoldResult *out)
{
    EvQueue *q = evq_new(0);
    Rng r;
    rng_init(&r, seed, 0, 0);
    for (uint64_t i = 0; i < pending; i++) evq_push(q, dist_exponential(&r, 1.0), 0, 0, 0);

    Event ev;
    double t0 = wall_seconds();
    for (uint64_t i = 0; i < events; i++) {
        evq_pop(q, &ev);
        evq_push(q, ev.time + dist_exponential(&r, 1.0), 0, 0, 0);
    }
    out->seconds = wall_seconds() - t0;
    out->ns_per_event = events ? 1e9 * out->seconds / (double)events : 0;
    out->final_time = evq_now(q);
    evq_free(q);

    /* The draw alone, on a copy of the stream, so the heap's share of the
     * hold time can be told apart. The sum keeps the loop from being
     * optimised away. */
    uint64_t nd = events < 10000000 ? events : 10000000;
    double sum = 0;
    t0 = wall_seconds();
    for (uint64_t i = 0; i < nd; i++) sum += dist_exponential(&r, 1.0);
    double dt = wall_seconds() - t0;
    out->draw_ns = nd && sum > 0 ? 1e9 * dt / (double)nd : 0;
}

double bench_erlang_c(int c, double a)
{
    /* Erlang B by its recurrence (stable for large c), then C from B. */
    double b = 1;
    for (int k = 1; k <= c; k++) b = a * b / (k + a * b);
    double rho = a / c;
    return b / (1 - rho + rho * b);
}

double bench_mmc_wait(double lambda, double mu, int c)
{
    if (lambda >= c * mu) return INFINITY;
    return bench_erlang_c(c, lambda / mu) / (c * mu - lambda);
}

double bench_md1_wait(double lambda, double mu)
{
    /* Pollaczek-Khinchine: W = lambda E[S^2] / (2 (1 - rho)), E[S^2] = 1/mu^2. */
    double rho = lambda / mu;
    if (rho >= 1) return INFINITY;
    return rho / (2 * mu * (1 - rho));
}
