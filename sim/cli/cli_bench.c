/* `fuelsim bench mmc|hold|supply|plan`: speed of the engine on its
 * reference models and of the supply-chain replicate, one line of figures
 * per run (tests/bench/run.sh collects them). `plan` belongs to the
 * optimiser (cli_plan.c). */
#include "bench.h"
#include "cli.h"
#include "cli_cmds.h"
#include "supply.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const CliOpt bench_opts[] = {
    {"--lambda", "L", "mmc: arrival rate (default 0.8)"},
    {"--mu", "M", "mmc: service rate of one server (default 1)"},
    {"--servers", "C", "mmc: number of servers (default 1)"},
    {"--customers", "N", "mmc: customers to simulate (default 1000000)"},
    {"--pending", "P", "hold: events kept pending (default 10000)"},
    {"--events", "N", "hold: hold operations to time (default 10000000)"},
    CLI_OPT_SEED,
    {"--repeat", "K", "run K times, report the fastest (default 1)"},
    {"--reps", "N", "supply, plan: replicates to run on one thread (default 200, plan 10)"},
    {"--horizon", "H", "plan: planning horizon, h (default 72)"},
    {"--step", "H", "plan: first period, whole hours (default 6)"},
    {"--growth", "G", "plan: each period G times the one before (default 3)"},
    {"--replan", "H", "plan: re-plan at least every H hours and on events (default 12)"},
    {"--event-gap", "H", "plan: a change re-plans no sooner than H hours after the last plan (default 0)"},
    {"--inspect", "H", "plan: damage known H hours after the shock (default 6)"},
    {"--forecast", "F", "plan: median, p90 or perfect restoration times (default median)"},
    CLI_OPT_END};

static const char bench_help[] =
    "mmc: an M/M/c queue on the engine's event queue and Resource; prints\n"
    "mean_wait (with theory=, the Erlang C value), customers_per_s and\n"
    "events_per_s. hold: the hold model of Vaucher and Duval (pop the earliest\n"
    "event, push it back Exp(1) later) with P events pending; prints\n"
    "ns_per_event. Simulated figures depend on the seed only; speeds are\n"
    "wall-clock, on one core. plan DIR: N replicates (--reps, default 10) of the\n"
    "scenario's default earthquake with the optimise policy and the same ones\n"
    "greedy, on one thread; prints CPU per replicate of both, re-plans per replicate\n"
    "(by the clock and on events), mean CPU per re-plan and of the first solve, the\n"
    "model's size and both mean weighted shortfalls (--horizon, --step, --growth,\n"
    "--replan, --event-gap, --inspect, --forecast set the planner). supply DIR: N greedy replicates of the\n"
    "default earthquake on one thread (scenario loading and the hazard model's\n"
    "set-up left out); prints replicates_per_s and events_per_s.";

/* Replicates and events per second of the supply-chain simulation. */
static int run_supply(const CliArgs *a, uint64_t seed)
{
    uint64_t n;
    if (a->npos < 2) return cli_usage_error(a->cmd, "bench supply needs a scenario folder: bench supply DIR");
    if (cli_u64(a, "--reps", 200, &n)) return 2;
    if (n == 0) return cli_usage_error(a->cmd, "--reps must be at least 1");
    World *w = cli_load_world(a->pos[1]);
    if (!w) return 2;
    SupModel *m = sup_model_new(w, w->default_quake);
    if (!m) { world_free(w); return 1; }
    SupOptions opt = {SUP_GREEDY, NULL, NULL, NULL};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long events = 0, trips = 0;
    int rc = 0;
    for (uint64_t rep = 0; rep < n && rc == 0; rep++) {
        SupResult r;
        rc = sup_run(m, seed, rep, &opt, &r);
        if (rc == 0) { events += r.events; trips += r.trips; sup_result_free(&r); }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (rc == 0)
        printf("supply scenario=%s quake=%s replicates=%llu seed=%llu events_per_replicate=%.0f "
               "trips_per_replicate=%.0f seconds=%.3f replicates_per_s=%.1f events_per_s=%.0f\n",
               w->id, w->quake[w->default_quake].id, (unsigned long long)n, (unsigned long long)seed,
               (double)events / (double)n, (double)trips / (double)n, secs, (double)n / secs,
               (double)events / secs);
    sup_model_free(m);
    world_free(w);
    return rc ? 1 : 0;
}

/* Options that belong to the other subcommand are usage errors, not
 * silently ignored. */
static int reject(const CliArgs *a, const char *const *names, const char *sub)
{
    for (int i = 0; names[i]; i++)
        if (cli_str(a, names[i], NULL))
            return cli_usage_error(a->cmd, "%s is not an option of bench %s", names[i], sub);
    return 0;
}

static int run_mmc(const CliArgs *a, uint64_t seed, int repeat)
{
    static const char *const other[] = {"--pending", "--events", NULL};
    if (reject(a, other, "mmc")) return 2;
    BenchMmcParams p;
    bench_mmc_default(&p);
    p.seed = seed;
    if (cli_double(a, "--lambda", p.lambda, 0, 1e12, &p.lambda)
        || cli_double(a, "--mu", p.mu, 0, 1e12, &p.mu)
        || cli_int(a, "--servers", p.servers, 1, 1000000, &p.servers)
        || cli_u64(a, "--customers", p.customers, &p.customers))
        return 2;
    if (p.lambda <= 0) return cli_usage_error(a->cmd, "--lambda: must be positive");
    if (p.mu <= 0) return cli_usage_error(a->cmd, "--mu: must be positive");
    if (p.customers < 1) return cli_usage_error(a->cmd, "--customers: must be at least 1");
    if (p.lambda >= p.servers * p.mu)
        return cli_usage_error(a->cmd, "--lambda %g >= servers x mu = %g: the queue would grow without bound",
                               p.lambda, p.servers * p.mu);

    BenchMmcResult best = {0}, r;
    for (int k = 0; k < repeat; k++) {
        bench_mmc(&p, &r);
        if (k == 0 || r.seconds < best.seconds) best = r;
    }
    double secs = best.seconds > 0 ? best.seconds : 1e-9;
    printf("mmc lambda=%g mu=%g servers=%d customers=%llu seed=%llu mean_wait=%.6g theory=%.6g "
           "utilisation=%.4f mean_queue=%.6g seconds=%.4f customers_per_s=%.0f events_per_s=%.0f\n",
           p.lambda, p.mu, p.servers, (unsigned long long)p.customers, (unsigned long long)p.seed,
           best.mean_wait, bench_mmc_wait(p.lambda, p.mu, p.servers), best.utilisation,
           best.mean_queue, best.seconds, (double)p.customers / secs, (double)best.events / secs);
    return 0;
}

static int run_hold(const CliArgs *a, uint64_t seed, int repeat)
{
    static const char *const other[] = {"--lambda", "--mu", "--servers", "--customers", NULL};
    if (reject(a, other, "hold")) return 2;
    uint64_t pending, events;
    if (cli_u64(a, "--pending", 10000, &pending) || cli_u64(a, "--events", 10000000, &events))
        return 2;
    /* The queue indexes slots with 32 bits; far below that, memory runs out. */
    if (pending < 1 || pending > 1000000000)
        return cli_usage_error(a->cmd, "--pending: must be in [1, 1000000000]");
    if (events < 1) return cli_usage_error(a->cmd, "--events: must be at least 1");

    BenchHoldResult best = {0}, r;
    for (int k = 0; k < repeat; k++) {
        bench_hold(pending, events, seed, &r);
        if (k == 0 || r.seconds < best.seconds) best = r;
    }
    double secs = best.seconds > 0 ? best.seconds : 1e-9;
    printf("hold pending=%llu events=%llu seed=%llu ns_per_event=%.2f events_per_s=%.0f "
           "draw_ns=%.2f seconds=%.4f final_time=%.6g\n",
           (unsigned long long)pending, (unsigned long long)events, (unsigned long long)seed,
           best.ns_per_event, (double)events / secs, best.draw_ns, best.seconds, best.final_time);
    return 0;
}

static int run_bench(const CliArgs *a)
{
    const char *sub = a->pos[0];
    if (!strcmp(sub, "plan")) return cli_bench_plan(a);
    uint64_t seed;
    if (!strcmp(sub, "supply")) return cli_u64(a, "--seed", 1, &seed) ? 2 : run_supply(a, seed);
    if (a->npos > 1) return cli_usage_error(a->cmd, "unexpected argument '%s'", a->pos[1]);
    int repeat;
    if (strcmp(sub, "mmc") && strcmp(sub, "hold"))
        return cli_usage_error(a->cmd, "unknown benchmark '%s' (mmc, hold, supply or plan)", sub);
    if (cli_u64(a, "--seed", 1, &seed) || cli_int(a, "--repeat", 1, 1, 1000, &repeat)) return 2;
    return !strcmp(sub, "mmc") ? run_mmc(a, seed, repeat) : run_hold(a, seed, repeat);
}

const CliCmd cli_cmd_bench = {"bench", "mmc|hold|supply|plan [DIR] [options]",
    "engine and optimiser benchmarks", bench_help, 1, 2, bench_opts, run_bench, 3};
