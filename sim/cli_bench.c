/* `fuelsim bench mmc|hold|plan`: speed of the engine on its reference
 * models, one line of figures per run (tests/bench/run.sh collects them).
 * `plan` belongs to the optimiser (issue #7). */
#include "bench.h"
#include "cli.h"
#include "cli_cmds.h"

#include <stdio.h>
#include <string.h>

static const CliOpt bench_opts[] = {
    {"--lambda", "L", "mmc: arrival rate (default 0.8)"},
    {"--mu", "M", "mmc: service rate of one server (default 1)"},
    {"--servers", "C", "mmc: number of servers (default 1)"},
    {"--customers", "N", "mmc: customers to simulate (default 1000000)"},
    {"--pending", "P", "hold: events kept pending (default 10000)"},
    {"--events", "N", "hold: hold operations to time (default 10000000)"},
    {"--seed", "S", "random seed (default 1)"},
    {"--repeat", "K", "run K times, report the fastest (default 1)"},
    {NULL, NULL, NULL}};

static const char bench_help[] =
    "mmc: an M/M/c queue on the engine's event queue and Resource; prints\n"
    "mean_wait (with theory=, the Erlang C value), customers_per_s and\n"
    "events_per_s. hold: the hold model of Vaucher and Duval (pop the earliest\n"
    "event, push it back Exp(1) later) with P events pending; prints\n"
    "ns_per_event. Simulated figures depend on the seed only; speeds are\n"
    "wall-clock, on one core. plan DIR: one replicate of the scenario's default\n"
    "earthquake with re-planning (optimise policy), warm and cold; prints the\n"
    "model size and the mean re-plan times.";

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
    if (a->npos > 1) return cli_usage_error(a->cmd, "unexpected argument '%s'", a->pos[1]);
    uint64_t seed;
    int repeat;
    if (strcmp(sub, "mmc") && strcmp(sub, "hold"))
        return cli_usage_error(a->cmd, "unknown benchmark '%s' (mmc, hold or plan)", sub);
    if (cli_u64(a, "--seed", 1, &seed) || cli_int(a, "--repeat", 1, 1, 1000, &repeat)) return 2;
    return !strcmp(sub, "mmc") ? run_mmc(a, seed, repeat) : run_hold(a, seed, repeat);
}

const CliCmd cli_cmd_bench = {"bench", "mmc|hold|plan [DIR] [options]",
    "engine and optimiser benchmarks", bench_help, 1, 2, bench_opts, run_bench, 3};
