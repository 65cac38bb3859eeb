/* `fuelsim sweep`: many replicates of the supply chain under one earthquake,
 * run by the generic sweep runner (sweep.h). This file is the glue: it
 * loads the World, builds the SupModel once, and maps each SupResult to the
 * runner's row of named numbers and hourly series (metrics.h). */
#include "cli_cmds.h"
#include "metrics.h"
#include "optimise.h"
#include "scenario.h"
#include "supply.h"
#include "sweep.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const CliOpt sweep_opts[] = {
    CLI_OPT_N,
    CLI_OPT_SEED,
    CLI_OPT_QUAKE,
    CLI_OPT_THREADS,
    CLI_OPTS_POLICY,
    CLI_OPT_OUT,
    {"--resume", NULL, "go on from the checkpoint in OUT after an interruption"},
    CLI_OPT_END};

/* Append s to buf, single-quoted for a POSIX shell when it needs quoting. */
static void shell_append(char **buf, size_t *len, size_t *cap, const char *s)
{
    int plain = *s != 0;
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p)) plain = 0;
    size_t need = *len + 4 * strlen(s) + 4;
    if (need > *cap) {
        *cap = need * 2;
        *buf = xrealloc(*buf, *cap);
    }
    char *o = *buf + *len;
    if (*len) *o++ = ' ';
    if (plain) {
        strcpy(o, s);
        o += strlen(s);
    } else {
        *o++ = '\'';
        for (const char *p = s; *p; p++) {
            if (*p == '\'') { memcpy(o, "'\\''", 4); o += 4; }
            else *o++ = *p;
        }
        *o++ = '\'';
    }
    *o = 0;
    *len = (size_t)(o - *buf);
}

/* The command to type to resume: this process's own command line (from
 * /proc on Linux) with --resume added; rebuilt from the options elsewhere. */
static char *resume_command(const CliArgs *a)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int has_resume = 0;
    FILE *f = fopen("/proc/self/cmdline", "rb");
    if (f) {
        char *arg = NULL;
        size_t acap = 0;
        ssize_t n;
        while ((n = getdelim(&arg, &acap, '\0', f)) > 0) {
            if (strcmp(arg, "--resume") == 0) has_resume = 1;
            shell_append(&buf, &len, &cap, arg);
        }
        free(arg);
        fclose(f);
    }
    if (!buf) {
        shell_append(&buf, &len, &cap, "fuelsim");
        shell_append(&buf, &len, &cap, "sweep");
        shell_append(&buf, &len, &cap, a->pos[0]);
        for (const CliOpt *o = a->cmd->opts; o->name; o++) {
            const char *v = cli_str(a, o->name, NULL);
            if (!v) continue;
            if (strcmp(o->name, "--resume") == 0) has_resume = 1;
            shell_append(&buf, &len, &cap, o->name);
            if (o->arg) shell_append(&buf, &len, &cap, v);
        }
    }
    if (!has_resume) shell_append(&buf, &len, &cap, "--resume");
    return buf;
}

int cli_policy_args(const CliArgs *a, int *optimise, OptParams *p)
{
    const char *pol = cli_policy_arg(a);
    if (!pol) return -1;
    *optimise = strcmp(pol, "optimise") == 0;
    if (cli_opt_params(a, p)) return -1;
    if (!*optimise && cli_str(a, "--forecast", NULL)) {
        cli_usage_error(a->cmd, "--forecast goes with --policy optimise");
        return -1;
    }
    return 0;
}

World *cli_sweep_args(const CliArgs *a, int allow_none, CliSweepArgs *s)
{
    if (cli_reps_out_args(a, &s->n, &s->seed, &s->threads, &s->out)) return NULL;
    if (cli_policy_args(a, &s->optimise, &s->op)) return NULL;
    s->policy = s->optimise ? "optimise" : "greedy";
    return cli_load_world_quake(a, allow_none, &s->quake);
}

int cli_opt_rep(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series)
{
    const CliOptRep *c = ctx;
    OptPlanner *pl = opt_planner_new(c->w, &c->p, rep);
    MetRun met = c->met;
    met.opt.policy = SUP_OPTIMISE;
    met.opt.planner = opt_planner_tick;
    met.opt.planner_ctx = pl;
    int rc = met_rep(&met, seed, rep, row, series);
    OptStats st;
    opt_planner_stats(pl, &st);
    if (c->ncol >= 0) row[c->ncol] = (double)st.failures;
    opt_planner_free(pl);
    opt_thread_done();
    return rc;
}

static void print_headline(const World *w, const char *quake, const SwpParams *p, const char *policy,
                           const SwpColStats *st)
{
    const SwpColStats *ws = &st[MET_COL_WS], *dry = &st[MET_COL_DRY1], *t90 = &st[MET_COL_T90];
    printf("scenario %s, earthquake %s: %llu replicates, seed %llu, %s dispatch\n", w->id, quake,
           (unsigned long long)p->n, (unsigned long long)p->seed, policy);
    printf("  weighted shortfall   mean %.1f (95%% CI %.1f to %.1f), P50 %.1f, P90 %.1f\n", ws->mean,
           ws->ci95_lo, ws->ci95_hi, ws->q[1], ws->q[2]);
    printf("  class-1 dry hours    mean %.1f (95%% CI %.1f to %.1f), P90 %.1f point-hours\n", dry->mean,
           dry->ci95_lo, dry->ci95_hi, dry->q[2]);
    printf("  t90 supply           mean %.1f h, P50 %.1f h, P90 %.1f h\n", t90->mean, t90->q[1], t90->q[2]);
    printf("  outputs              %s/replicates.csv, summary.json, bands.csv\n", p->out_dir);
}

void cli_swp_params(SwpParams *p, uint64_t n, uint64_t seed, int threads, const char *out_dir,
                    const char *const *info)
{
    swp_params_default(p);
    p->n = n;
    p->seed = seed;
    p->threads = threads;
    p->out_dir = out_dir;
    p->info = info;
}

void cli_swp_prov(SwpParams *p, const CliArgs *a, const World *w, uint64_t seed, char **json)
{
    RunProv rp;
    char *cmd;
    cli_prov(a, seed, &rp, &cmd);
    *json = json_take_text(scn_prov_json(w, &rp));
    p->prov_json = *json;
    free(cmd);
}

static int run_sweep(const CliArgs *a)
{
    CliSweepArgs s;
    World *w = cli_sweep_args(a, 1, &s);
    if (!w) return 2;
    SupModel *m = sup_model_new(w, s.quake);
    if (!m) { world_free(w); return 1; }

    MetCols *cols = met_cols_new(w, 0);
    MetRun c = {cols, m, {SUP_GREEDY, NULL, NULL, NULL}, NULL, "fuelsim sweep"};
    int ncol = cols->ncol;
    SwpSpec spec = {ncol, cols->col, MET_NSERIES, met_series_name, cols->nhours, met_rep, &c};
    CliOptRep oc = {c, w, s.op, ncol};
    SwpCol *ocol = NULL;
    if (s.optimise) {
        ocol = xmalloc(((size_t)ncol + 1) * sizeof *ocol);
        memcpy(ocol, cols->col, (size_t)ncol * sizeof *ocol);
        ocol[ncol] = (SwpCol){"plan_failures", 0, NULL, "planner/failed_plans"};
        spec.ncol = ncol + 1;
        spec.col = ocol;
        spec.rep = cli_opt_rep;
        spec.ctx = &oc;
    }

    const char *qid = s.quake >= 0 ? w->quake[s.quake].id : "none";
    const char *info[] = {"scenario", w->id, "quake", qid, "policy", s.policy, "forecast",
                          s.optimise ? opt_forecast_name[s.op.forecast] : "none",
                          "version", cli_build_id(), "scenario_sha256", w->fingerprint, NULL};
    char *resume = resume_command(a), *prov = NULL;
    SwpParams p;
    cli_swp_params(&p, s.n, s.seed, s.threads, s.out, info);
    cli_swp_prov(&p, a, w, s.seed, &prov);
    p.resume = cli_flag(a, "--resume");
    p.resume_cmd = resume;
    /* Checkpoint pacing is no part of the result, so it is an environment
     * knob (tests set it low to interrupt a short sweep after a checkpoint). */
    const char *ci = getenv("FUELSIM_CKPT_INTERVAL");
    if (ci && *ci) {
        char *end;
        double v = strtod(ci, &end);
        if (*end == 0 && v >= 0 && isfinite(v)) p.ckpt_interval_s = v;
    }
    SwpColStats *st = xcalloc((size_t)spec.ncol, sizeof *st);
    SwpOutcome o;
    int rc = swp_run(&spec, &p, st, &o);
    if (rc == SWP_OK && o.rank == 0) print_headline(w, qid, &p, s.policy, st);
    if (rc == SWP_OK && o.rank == 0 && cli_report_after("fuelsim sweep", s.out, w, NULL) != 0) rc = SWP_FAIL;
    free(st);
    free(ocol);
    free(resume);
    free(prov);
    met_cols_free(cols);
    sup_model_free(m);
    world_free(w);
    switch (rc) {
    case SWP_OK: return 0;
    case SWP_REFUSED: return 2;
    case SWP_STOPPED: return o.signal ? 128 + o.signal : 1;
    default: return 1;
    }
}

const CliCmd cli_cmd_sweep = {
    "sweep", "DIR -n N [--seed S] [--quake ID] [--threads T] [--policy P] --out OUT [--resume]",
    "run many replicates in parallel and aggregate them",
    "Runs replicates 0..N-1 of the earthquake in parallel (OpenMP; Open MPI ranks when\n"
    "built with `make MPI=1` and started with mpirun) and writes OUT/replicates.csv (one\n"
    "row per replicate), OUT/summary.json (mean, sd, 95% CI, P5..P99 of every metric;\n"
    "per facility and berth the probability of each damage state and restoration-time\n"
    "quantiles) and OUT/bands.csv (hourly P10/P50/P90 of served fraction by class).\n"
    "The files are the same bytes whatever the number of threads or ranks.\n"
    "Ctrl-C (or SIGTERM, a crash, kill -9) keeps the finished replicates in OUT; the same\n"
    "command with --resume finishes the sweep with the same result as an uninterrupted run.\n"
    "Environment: OMP_NUM_THREADS sets the default of --threads; FUELSIM_CKPT_INTERVAL the\n"
    "seconds between checkpoints (default 2).",
    1, 1, sweep_opts, run_sweep, 6};
