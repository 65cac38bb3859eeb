/* `fuelsim hindcast`: replay the scenario's validation rows (past
 * earthquakes and official estimates) through the model and write
 * OUT/validation.csv and OUT/validation.md (models/studies/validation.h). */
#include "cli_cmds.h"
#include "util.h"
#include "validation.h"

#include <stdio.h>
#include <stdlib.h>

static const CliOpt hindcast_opts[] = {
    {"-n", "N", "replicates per earthquake (default 200)"},
    {"--seed", "S", "random seed (default 1)"},
    {"--threads", "T", "OpenMP threads (default: all cores)"},
    {"--out", "OUT", "output folder (required)"},
    {NULL, NULL, NULL}};

static int run_hindcast(const CliArgs *a)
{
    uint64_t n = 200, seed = 1;
    int threads = 0;
    const char *out = cli_str(a, "--out", NULL);
    if (!out) return cli_usage_error(a->cmd, "--out is required");
    if (cli_u64(a, "-n", 200, &n) || cli_u64(a, "--seed", 1, &seed) ||
        cli_int(a, "--threads", 0, 1, 4096, &threads))
        return 2;
    if (n < 1 || n > 1000000)
        return cli_usage_error(a->cmd, "-n: %llu is not in [1, 1000000]", (unsigned long long)n);
    World *w = cli_load_world(a->pos[0]);
    if (!w) return 2;
    char err[4096];
    if (w->nobs == 0) {
        fprintf(stderr, "fuelsim hindcast: %s has no validation table (scenario.json tables.validation)\n",
                a->pos[0]);
        world_free(w);
        return 2;
    }
    if (val_check(w, err, sizeof err) > 0) {
        fprintf(stderr, "%s\n", err);
        world_free(w);
        return 2;
    }
    ValResult *res = xcalloc((size_t)w->nobs, sizeof *res);
    int rc = val_run(w, n, seed, threads, res, err, sizeof err);
    if (rc == 0) rc = val_write(w, res, n, seed, out, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "fuelsim hindcast: %s\n", err);
        rc = 1;
    } else {
        int in = 0;
        for (int i = 0; i < w->nobs; i++) in += res[i].inside;
        fprintf(stderr, "fuelsim hindcast: %d of %d rows inside their band; %s/validation.md\n", in,
                w->nobs, out);
        rc = cli_report_after("fuelsim hindcast", out, w, NULL);
    }
    free(res);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_hindcast = {
    "hindcast", "DIR [-n N] [--seed S] [--threads T] --out OUT",
    "replay past earthquakes and official estimates against the model",
    "Reads the scenario's validation table (scenario.json tables.validation: one row per\n"
    "observed or official value, with its earthquake, metric, sites, time, value, range and\n"
    "source), runs N replicates of each earthquake in it (hazard, damage, restoration and,\n"
    "for supply metrics, the greedy supply simulation) and writes OUT/validation.csv (per row:\n"
    "the observed value and range, the model's P5, P50 and P95, inside = the band meets the\n"
    "range) and OUT/validation.md (the same as a table, every row outside listed, the metrics),\n"
    "and OUT/report.html with the validation section.\n"
    "A row outside its band is a finding, not a failure: the exit code is 0 whenever the\n"
    "table was written. `make validate` runs it on the embedded scenario.",
    1, 1, hindcast_opts, run_hindcast, 0};
