/* `fuelsim portfolio`: the sets of investment options to fund under one or
 * more budgets (models/studies/portfolio.h). This file runs the replicates
 * of a set (its options applied together, cmp_world_new_multi) on OpenMP
 * threads, each replicate into its own slot, so the values do not depend on
 * the number of threads; and caches every evaluated set's per-replicate
 * values in OUT/sets/, written whole, so that --resume re-uses them: the
 * search is deterministic, and given the same values it takes the same path. */
#include "ckpt.h"
#include "cli_cmds.h"
#include "compare.h"
#include "optimise.h"
#include "portfolio.h"
#include "progress.h"
#include "scenario.h"
#include "supply.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const CliOpt portfolio_opts[] = {
    {"--invest", "FILE", "investments file (CSV; format in scenarios/README.md) (required)"},
    {"--budget", "YEN", "budgets: Y, Y1,Y2,... or LO:HI:STEP (yen) (required)"},
    CLI_OPT_N,
    CLI_OPT_SEED,
    {"--risk", "R", "what a set minimises: mean (default), p90 or cvar90 of weighted shortfall"},
    {"--search", "M", "local (default: pairs, then add/drop/swap moves) or exhaustive"},
    CLI_OPTS_POLICY,
    CLI_OPT_THREADS,
    CLI_OPT_OUT,
    {"--resume", NULL, "re-use the sets already evaluated in OUT/sets"},
    CLI_OPT_END};

/* What evaluating a set needs; read-only during the parallel loop except
 * the per-replicate slots. */
typedef struct PfRun {
    const World *w;
    const CmpInvest *inv;
    int quake;
    int optimise;
    OptParams op;             /* the planner's parameters when optimise */
    uint64_t seed, n;
    int threads;
    int resume;
    char *sets_dir;
    char ident[512];          /* first line of every cache file */
    Progress prog;
    uint64_t done;            /* replicates done or re-used, for the bar */
    int cached, simulated;    /* sets */
    int refused;              /* a cache file of other arguments: exit 2 */
} PfRun;

/* One replicate of a model into ws, dry1, kl (the greedy or optimised policy). */
static int pf_rep(const PfRun *c, const World *w, const SupModel *m, uint64_t rep, double *out3)
{
    SupOptions so = {SUP_GREEDY, NULL, NULL, NULL};
    OptPlanner *pl = NULL;
    if (c->optimise) {
        pl = opt_planner_new(w, &c->op, rep);
        so.policy = SUP_OPTIMISE;
        so.planner = opt_planner_tick;
        so.planner_ctx = pl;
    }
    SupResult r;
    memset(&r, 0, sizeof r);
    int rc = sup_run(m, c->seed, rep, &so, &r);
    if (rc == 0) {
        double kl = 0;
        for (int k = 0; k < NCLASS; k++) kl += r.unserved_class_kl[k];
        out3[0] = r.weighted_shortfall;
        out3[1] = r.dry_hours_class1;
        out3[2] = kl;
    }
    sup_result_free(&r);
    if (pl) {
        opt_planner_free(pl);
        opt_thread_done();
    }
    return rc;
}

/* Replicates first..first+n-1 of set s into v. 0 or -1 (message printed). */
static int simulate(PfRun *c, PfSet s, uint64_t first, PfVals *v)
{
    const CmpOption *opts[PF_MAXOPT];
    int k = 0;
    for (int i = 0; i < c->inv->nopt; i++)
        if (s >> i & 1) opts[k++] = &c->inv->opt[i];
    World *w = cmp_world_new_multi(c->w, opts, k);
    SupModel *m = sup_model_new(w, c->quake);
    if (!m) {
        cmp_world_free(w);
        return -1;
    }
    int failed = 0;
    int64_t n = (int64_t)c->n;
    int threads = c->threads > 0 ? c->threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int64_t i = 0; i < n; i++) {
        double x[3];
        int rc = pf_rep(c, w, m, first + (uint64_t)i, x);
        v->ws[i] = x[0];
        v->dry1[i] = x[1];
        v->kl[i] = x[2];
#pragma omp critical(pf_progress)
        {
            if (rc != 0) failed = 1;
            c->done++;
            if (c->done > c->prog.total) c->prog.total = c->done;
            prog_update(&c->prog, c->done);
        }
    }
    sup_model_free(m);
    cmp_world_free(w);
    if (failed) fprintf(stderr, "fuelsim portfolio: a replicate failed\n");
    return failed ? -1 : 0;
}

static char *cache_path(const PfRun *c, PfSet s, int fresh)
{
    char name[64];
    snprintf(name, sizeof name, "%s-%016" PRIx64 ".csv", fresh ? "fresh" : "search", s);
    return path_join(c->sets_dir, name);
}

/* A cache file into v: 1 when read, 0 when absent, -1 when it is of other
 * arguments or damaged (message printed). */
static int cache_read(PfRun *c, const char *path, uint64_t first, PfVals *v)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char *line = NULL;
    size_t cap = 0;
    int rc = -1;
    if (getline(&line, &cap, f) < 0 || strncmp(line, c->ident, strlen(c->ident)) != 0 ||
        line[strlen(c->ident)] != '\n') {
        fprintf(stderr, "fuelsim portfolio: cannot resume: %s was made with other arguments or options\n"
                        "  run without --resume to start over\n", path);
        c->refused = 1;
        goto done;
    }
    if (getline(&line, &cap, f) < 0) goto bad;
    for (uint64_t i = 0; i < c->n; i++) {
        uint64_t rep;
        if (getline(&line, &cap, f) < 0 ||
            sscanf(line, "%" SCNu64 ",%lf,%lf,%lf", &rep, &v->ws[i], &v->dry1[i], &v->kl[i]) != 4 ||
            rep != first + i)
            goto bad;
    }
    rc = 1;
    goto done;
bad:
    fprintf(stderr, "fuelsim portfolio: cannot resume: %s is damaged; run without --resume\n", path);
    c->refused = 1;
done:
    free(line);
    fclose(f);
    return rc;
}

static int cache_write(const PfRun *c, const char *path, uint64_t first, const PfVals *v)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    fprintf(o->f, "%s\nreplicate,weighted_shortfall,dry_hours_class1,unserved_kl\n", c->ident);
    /* %.17g: a resumed run reads back the very same doubles */
    for (uint64_t i = 0; i < c->n; i++)
        fprintf(o->f, "%" PRIu64 ",%.17g,%.17g,%.17g\n", first + i, v->ws[i], v->dry1[i], v->kl[i]);
    if (ferror(o->f)) {
        out_abort(o);
        return -1;
    }
    return out_commit(o);
}

/* The PfEvalFn: the cache when resuming, else the simulation (then cached). */
static int pf_eval(void *ctx, PfSet s, int fresh, PfVals *v)
{
    PfRun *c = ctx;
    uint64_t first = fresh ? c->n : 0;
    char *path = cache_path(c, s, fresh);
    int rc = c->resume ? cache_read(c, path, first, v) : 0;
    if (rc == 1) {
        c->cached++;
        c->done += c->n;
        if (c->done > c->prog.total) c->prog.total = c->done;
        prog_update(&c->prog, c->done);
        rc = 0;
    } else if (rc == 0) {
        c->simulated++;
        rc = simulate(c, s, first, v);
        if (rc == 0 && cache_write(c, path, first, v) != 0) {
            fprintf(stderr, "fuelsim portfolio: writing %s failed: %s\n", path, strerror(errno));
            rc = -1;
        }
    }
    free(path);
    return rc;
}

/* What a cache file must have been made with: the run's arguments and a
 * hash of every option's cost and changes. */
static void make_ident(PfRun *c, const char *policy)
{
    uint64_t h = CKPT_HASH_INIT;
    for (int i = 0; i < c->inv->nopt; i++) {
        const CmpOption *o = &c->inv->opt[i];
        h = ckpt_hash_str(h, o->id);
        h = ckpt_hash_u64(h, (uint64_t)llround(o->cost_yen));
        for (int k = 0; k < o->nchange; k++) {
            uint64_t bits;
            memcpy(&bits, &o->change[k].value, sizeof bits);
            h = ckpt_hash_u64(ckpt_hash_u64(ckpt_hash_u64(h, (uint64_t)o->change[k].kind),
                                            (uint64_t)(int64_t)o->change[k].target), bits);
        }
    }
    snprintf(c->ident, sizeof c->ident,
             "# fuelsim portfolio: scenario=%s quake=%s policy=%s%s%s seed=%" PRIu64 " n=%" PRIu64 " options=%d/%016" PRIx64,
             c->w->id, c->w->quake[c->quake].id, policy, c->optimise ? " forecast=" : "",
             c->optimise ? opt_forecast_name[c->op.forecast] : "", c->seed, c->n, c->inv->nopt, h);
}

/* The cache files name the arguments, not the program or the scenario's
 * files: before re-using them, the baseline's first search replicate is
 * simulated again and must give the cached numbers bit for bit. Returns 0
 * (nothing cached yet, or the same), or -1 after a message. */
static int cache_probe(PfRun *c)
{
    PfVals v;
    v.ws = xmalloc(c->n * sizeof *v.ws);
    v.dry1 = xmalloc(c->n * sizeof *v.dry1);
    v.kl = xmalloc(c->n * sizeof *v.kl);
    char *path = cache_path(c, 0, 0);
    int rc = cache_read(c, path, 0, &v);
    if (rc == 1) {
        World *w = cmp_world_new_multi(c->w, NULL, 0);
        SupModel *m = sup_model_new(w, c->quake);
        double x[3];
        rc = m && pf_rep(c, w, m, 0, x) == 0 ? 0 : -1;
        if (rc == 0 && (x[0] != v.ws[0] || x[1] != v.dry1[0] || x[2] != v.kl[0])) {
            fprintf(stderr, "fuelsim portfolio: cannot resume: %s no longer matches this program and scenario\n"
                            "  (replicate 0 of the baseline gives other numbers); run without --resume\n", path);
            c->refused = 1;
            rc = -1;
        }
        sup_model_free(m);
        cmp_world_free(w);
    }
    free(path);
    free(v.ws);
    free(v.dry1);
    free(v.kl);
    return rc < 0 ? -1 : 0;
}

/* A fresh start: the previous run's cache files go. */
static void clear_cache(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if ((strncmp(e->d_name, "search-", 7) && strncmp(e->d_name, "fresh-", 6)) || len < 4 ||
            strcmp(e->d_name + len - 4, ".csv"))
            continue;
        char *p = path_join(dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
}

static void print_frontier(const PfRun *c, const PfResult *r, const char *out, const char *risk)
{
    char ids[4096];
    printf("scenario %s, earthquake %s: %" PRIu64 " search replicates (0..%" PRIu64 "), %" PRIu64
           " fresh (%" PRIu64 "..%" PRIu64 "), seed %" PRIu64 ", risk %s\n",
           c->w->id, c->w->quake[c->quake].id, c->n, c->n - 1, c->n, c->n, 2 * c->n - 1, c->seed, risk);
    printf("  sets evaluated %d (search) + %d (fresh); %d simulated in this run, %d re-used\n", r->evaluated,
           r->evaluated_fresh, c->simulated, c->cached);
    printf("  baseline weighted shortfall mean %.1f (fresh replicates)\n", r->base_ws_mean);
    printf("  %14s %12s %26s %26s  %s\n", "budget (M yen)", "cost (M yen)", "shortfall avoided (95% CI)",
           "interaction (95% CI)", "options");
    for (int k = 0; k < r->nbudget; k++) {
        const PfBudget *b = &r->b[k];
        char ci[64], in[64];
        snprintf(ci, sizeof ci, "%.1f (%.1f, %.1f)", b->ws.mean, b->ws.ci_lo, b->ws.ci_hi);
        snprintf(in, sizeof in, "%.1f (%.1f, %.1f)", b->inter.mean, b->inter.ci_lo, b->inter.ci_hi);
        const char *s = pf_set_ids(c->inv, b->chosen, ids, sizeof ids);
        printf("  %14.6g %12.6g %26s %26s  %s\n", b->budget / 1e6, b->cost / 1e6, ci, in, *s ? s : "(none)");
    }
    printf("  outputs              %s/frontier.csv, portfolio.json, sets/\n", out);
}

static char *meta_text(const PfRun *c, const char *policy, const char *risk, const char *search,
                       const RunProv *rp)
{
    cJSON *mj = cJSON_CreateObject();
    cJSON_AddStringToObject(mj, "scenario", c->w->id);
    cJSON_AddStringToObject(mj, "quake", c->w->quake[c->quake].id);
    cJSON_AddNumberToObject(mj, "n", (double)c->n);
    cJSON_AddNumberToObject(mj, "seed", (double)c->seed);
    cJSON_AddStringToObject(mj, "policy", policy);
    cJSON_AddStringToObject(mj, "risk", risk);
    cJSON_AddStringToObject(mj, "search", search);
    cJSON_AddStringToObject(mj, "search_replicates", "0..n-1");
    cJSON_AddStringToObject(mj, "fresh_replicates", "n..2n-1 (every figure below)");
    cJSON_AddStringToObject(mj, "difference", "baseline minus set, paired by replicate; 95% CI Student t");
    cJSON_AddItemToObject(mj, "provenance", scn_prov_json(c->w, rp));
    char *meta = cJSON_PrintUnformatted(mj);
    cJSON_Delete(mj);
    return meta;
}

static int write_outputs(const PfRun *c, const PfResult *r, const char *out, const char *meta)
{
    char *p_csv = path_join(out, "frontier.csv"), *p_json = path_join(out, "portfolio.json");
    char *json = pf_json(c->inv, r, meta);
    OutFile *f = out_open(p_csv);
    int bad = !f;
    if (f) {
        if (pf_write_csv(c->inv, r, f->f) != 0) { out_abort(f); bad = 1; }
        else bad = out_commit(f) != 0;
    }
    bad |= !bad && out_write_string(p_json, json) != 0;
    if (bad) fprintf(stderr, "fuelsim portfolio: writing %s failed: %s\n", out, strerror(errno));
    free(json);
    free(p_csv);
    free(p_json);
    return bad ? -1 : 0;
}

/* The options other than -n, --seed, --threads, --out. 0 or 2. */
static int pf_args(const CliArgs *a, PfParams *pp, double **budget, int *nb, int *optimise, OptParams *op)
{
    const char *risk = cli_str(a, "--risk", "mean"), *search = cli_str(a, "--search", "local");
    const char *bs = cli_str(a, "--budget", NULL);
    if (!cli_str(a, "--invest", NULL)) return cli_usage_error(a->cmd, "--invest is required");
    if (!bs) return cli_usage_error(a->cmd, "--budget is required");
    int k;
    for (k = 0; k < NPFRISK && strcmp(risk, pf_risk_name[k]); k++) {}
    if (k == NPFRISK) return cli_usage_error(a->cmd, "--risk: \"%s\" is not mean, p90 or cvar90", risk);
    pp->risk = (PfRisk)k;
    if (strcmp(search, "local") && strcmp(search, "exhaustive"))
        return cli_usage_error(a->cmd, "--search: \"%s\" is not local or exhaustive", search);
    pp->exhaustive = strcmp(search, "exhaustive") == 0;
    if (cli_policy_args(a, optimise, op)) return 2;
    char err[256];
    if (!(*budget = pf_budgets_parse(bs, nb, err, sizeof err))) return cli_usage_error(a->cmd, "--budget: %s", err);
    return 0;
}

static int run_portfolio(const CliArgs *a)
{
    uint64_t n, seed;
    int threads, nb = 0;
    const char *out = NULL;
    PfParams pp = {PF_MEAN, 0, 0};
    double *budget = NULL;
    int optimise = 0;
    OptParams op;
    opt_params_default(&op);
    if (cli_reps_out_args(a, &n, &seed, &threads, &out) || pf_args(a, &pp, &budget, &nb, &optimise, &op)) return 2;
    const char *policy = optimise ? "optimise" : "greedy";
    World *w = cli_load_world(a->pos[0]);
    if (!w) { free(budget); return 2; }
    Diag d;
    diag_init(&d);
    const char *invest = cli_str(a, "--invest", NULL);
    CmpInvest *inv = cmp_invest_load(invest, w, &d);
    if (inv && inv->nopt > PF_MAXOPT)
        diag_add(&d, invest, inv->opt[PF_MAXOPT].line, "a portfolio takes at most %d options", PF_MAXOPT);
    if (!inv || d.total) {
        diag_print(&d, stderr);
        diag_free(&d);
        cmp_invest_free(inv);
        world_free(w);
        free(budget);
        return 2;
    }
    diag_free(&d);
    pp.n = n;
    PfRun c = {w, inv, w->default_quake, optimise, op, seed, n, threads, cli_flag(a, "--resume"),
               NULL, {0}, {0}, 0, 0, 0, 0};
    c.sets_dir = path_join(out, "sets");
    make_ident(&c, policy);
    int rc = 1;
    PfResult *r = NULL;
    char *meta = NULL, *pcmd = NULL;
    if (out_mkdir(c.sets_dir) != 0) {
        fprintf(stderr, "fuelsim portfolio: cannot create %s: %s\n", c.sets_dir, strerror(errno));
        goto done;
    }
    if (!c.resume) clear_cache(c.sets_dir);
    else if (cache_probe(&c) != 0) {
        rc = c.refused ? 2 : 1;
        goto done;
    }
    /* a first guess of the work: baseline, singles and pairs, on both ranges */
    uint64_t guess = 2 * (1 + (uint64_t)inv->nopt + (uint64_t)inv->nopt * (uint64_t)(inv->nopt - 1) / 2);
    prog_start(&c.prog, stderr, PROG_AUTO, "fuelsim portfolio", "replicates", guess * n, 0);
    r = pf_search(inv, budget, nb, &pp, pf_eval, &c);
    prog_break(&c.prog);
    if (!r) {
        rc = c.refused ? 2 : 1;
        goto done;
    }
    c.prog.total = c.done;
    prog_finish(&c.prog);
    RunProv rp;
    cli_prov(a, seed, &rp, &pcmd);
    rp.policy = policy;
    meta = meta_text(&c, policy, pf_risk_name[pp.risk], pp.exhaustive ? "exhaustive" : "local", &rp);
    if (write_outputs(&c, r, out, meta) != 0) goto done;
    print_frontier(&c, r, out, pf_risk_name[pp.risk]);
    if ((rc = cli_report_after("fuelsim portfolio", out, w, NULL)) != 0) goto done;
    rc = 0;
done:
    free(meta);
    free(pcmd);
    pf_result_free(r);
    free(c.sets_dir);
    free(budget);
    cmp_invest_free(inv);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_portfolio = {
    "portfolio",
    "DIR --invest FILE --budget YEN[,YEN...] -n N [--seed S] [--risk mean|p90|cvar90] [--search local|exhaustive] "
    "[--policy P] [--threads T] --out OUT [--resume]",
    "choose sets of investments under budgets, simulated together",
    "Per budget, searches the sets of options of the investments file that cost at most the\n"
    "budget and keep its excludes / requires columns, for the one with the lowest mean (or P90,\n"
    "or mean of the worst 10%) weighted shortfall over replicates 0..N-1; each set is simulated\n"
    "with its options applied together, on the same replicates as the scenario as it is. The\n"
    "search evaluates every single option and pair, then moves by adding one or two options,\n"
    "dropping or swapping one while that helps (--search exhaustive: every set); control\n"
    "options (every change none) are left out. The chosen set, its\n"
    "runners-up, the best single option and the chosen options alone are run again on fresh\n"
    "replicates N..2N-1, which give every figure: OUT/frontier.csv and OUT/portfolio.json (per\n"
    "budget the set, its cost, the shortfall and class-1 dry hours avoided, the gain over the\n"
    "best single option and the interaction term, with paired 95% CIs; and every pair's\n"
    "interaction). Evaluated sets are kept\n"
    "in OUT/sets/; --resume re-uses them after an interruption (after checking that the\n"
    "baseline's replicate 0 still gives the cached numbers). The same bytes on any number\n"
    "of threads. A bad investments file gives file:line: messages and exit code 2.",
    1, 1, portfolio_opts, run_portfolio, 19};
