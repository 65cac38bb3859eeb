/* Engine benchmarks, also used by the tests as reference models: an M/M/c
 * (or M/D/c) queue built from the engine's own EvQueue and Resource, and
 * the hold model of Vaucher and Duval (1975) on the bare EvQueue; plus the
 * queueing-theory values they are checked against. Wall-clock time is read
 * here only to report speed; it never reaches the simulated results, which
 * depend on the parameters and seed alone. */
#ifndef FUELSIM_BENCH_H
#define FUELSIM_BENCH_H

#include <stdint.h>

typedef struct BenchMmcParams {
    double lambda;         /* arrival rate */
    double mu;             /* service rate of one server */
    int servers;
    uint64_t customers;    /* arrivals simulated; the run ends when all have left */
    uint64_t warmup;       /* first customers left out of the statistics */
    uint64_t seed, rep;    /* arrivals use stream 0 of (seed, rep), services stream 1 */
    int deterministic;     /* 1: every service takes exactly 1/mu (M/D/c) */
} BenchMmcParams;

typedef struct BenchMmcResult {
    double mean_wait;      /* mean time in queue over the counted customers */
    double mean_queue;     /* time-weighted number waiting, same window */
    double mean_busy;      /* time-weighted busy servers */
    double utilisation;    /* mean_busy / servers */
    double arrival_rate;   /* counted customers / window length */
    double span;           /* window length (time units of 1/lambda) */
    uint64_t counted;      /* customers in the statistics */
    uint64_t events;       /* events popped */
    double seconds;        /* wall-clock time of the event loop */
} BenchMmcResult;

/* lambda 0.8, mu 1, 1 server, 1,000,000 customers, no warm-up, seed 1. */
void bench_mmc_default(BenchMmcParams *p);
/* Run one M/M/c (or M/D/c) simulation. */
void bench_mmc(const BenchMmcParams *p, BenchMmcResult *out);

typedef struct BenchHoldResult {
    double seconds;        /* wall-clock time of the timed hold operations */
    double ns_per_event;   /* per hold: pop the minimum, push it back later */
    double draw_ns;        /* of which: one exponential draw, timed alone */
    double final_time;     /* simulated clock at the end (a checksum) */
} BenchHoldResult;

/* Hold model: `pending` events with Exp(1) times, then `events` holds, each
 * popping the earliest event and pushing it again at its time + Exp(1). */
void bench_hold(uint64_t pending, uint64_t events, uint64_t seed, BenchHoldResult *out);

/* Erlang C: probability that an arrival waits in M/M/c with offered load
 * a = lambda / mu < c. */
double bench_erlang_c(int c, double a);
/* Mean wait in queue: M/M/c (Erlang C) and M/D/1 (Pollaczek-Khinchine).
 * +inf when lambda >= c mu. */
double bench_mmc_wait(double lambda, double mu, int c);
double bench_md1_wait(double lambda, double mu);

#endif
