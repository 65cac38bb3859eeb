/* `fuelsim compare`: one sweep per variant (the scenario as it is, then each
 * investment option on its modified copy of the World) over the same
 * replicates, into OUT/sweeps/ID; then the paired differences from the
 * sweeps' rows, ranked, into OUT/compare.csv and OUT/compare.json. */
#include "cli_cmds.h"
#include "compare.h"
#include "metrics.h"
#include "supply.h"
#include "sweep.h"
#include "scenario.h"
#include "util.h"
#include "xlsx.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const CliOpt compare_opts[] = {
    {"--invest", "FILE", "investments file (CSV; format in scenarios/README.md) (required)"},
    CLI_OPT_N,
    CLI_OPT_SEED,
    CLI_OPT_THREADS,
    CLI_OPTS_POLICY,
    CLI_OPT_OUT,
    CLI_OPT_END};

/* One variant's sweep into dir: the standard sweep columns. */
static int sweep_variant(const World *w, int quake, const char *id, uint64_t n, uint64_t seed, int threads,
                         const OptParams *op, const char *dir)
{
    SupModel *m = sup_model_new(w, quake);
    if (!m) return SWP_FAIL;
    MetCols *cols = met_cols_new(w, 0);
    char label[160];
    snprintf(label, sizeof label, "fuelsim compare %s", id);
    MetRun run = {cols, m, {SUP_GREEDY, NULL, NULL, NULL}, NULL, label};
    SwpSpec spec = {cols->ncol, cols->col, MET_NSERIES, met_series_name, cols->nhours, met_rep, &run};
    CliOptRep oc = {run, w, op ? *op : (OptParams){0}, -1};
    if (op) {
        spec.rep = cli_opt_rep;
        spec.ctx = &oc;
    }
    const char *info[] = {"scenario", w->id, "quake", w->quake[quake].id, "policy", op ? "optimise" : "greedy",
                          "forecast", op ? opt_forecast_name[op->forecast] : "none", "option", id,
                          "version", cli_build_id(), "scenario_sha256", w->fingerprint, NULL};
    SwpParams p;
    cli_swp_params(&p, n, seed, threads, dir, info);
    p.label = label;
    SwpOutcome o;
    int rc = swp_run(&spec, &p, NULL, &o);
    met_cols_free(cols);
    sup_model_free(m);
    return rc;
}

/* The paired differences of one option against the baseline, read from the
 * two sweeps' rows in replicate order. Returns 0, or -1 with a message. */
static int pair_rows(const char *base_path, const char *opt_path, uint64_t n, CmpResult *r)
{
    MetRows *b = met_rows_open(base_path), *o = met_rows_open(opt_path);
    int rc = -1;
    double *xb = NULL, *xo = NULL;
    if (!b || !o) {
        fprintf(stderr, "fuelsim compare: cannot read %s\n", b ? opt_path : base_path);
        goto done;
    }
    int ncol = met_rows_ncol(b);
    int ws = met_rows_col(b, "weighted_shortfall"), dry = met_rows_col(b, "dry_hours_class1");
    int cls[NCLASS];
    int ok = ncol == met_rows_ncol(o) && ws >= 0 && dry >= 0 && ws == met_rows_col(o, "weighted_shortfall") &&
             dry == met_rows_col(o, "dry_hours_class1");
    for (int k = 0; k < NCLASS; k++) {
        char name[32];
        snprintf(name, sizeof name, "unserved_kl_class%d", k + 1);
        cls[k] = met_rows_col(b, name);
        ok &= cls[k] >= 0 && cls[k] == met_rows_col(o, name);
    }
    if (!ok) {
        fprintf(stderr, "fuelsim compare: %s and %s do not have the same columns\n", base_path, opt_path);
        goto done;
    }
    xb = xmalloc(((size_t)ncol + 1) * sizeof *xb);
    xo = xmalloc(((size_t)ncol + 1) * sizeof *xo);
    CmpPaired pws, pkl, pdry;
    cmp_paired_init(&pws);
    cmp_paired_init(&pkl);
    cmp_paired_init(&pdry);
    uint64_t rb, ro, k = 0;
    int kb, ko;
    while ((kb = met_rows_next(b, &rb, xb)) == 1 && (ko = met_rows_next(o, &ro, xo)) == 1) {
        if (rb != k || ro != k) break;
        cmp_paired_add(&pws, xb[ws], xo[ws]);
        cmp_paired_add(&pdry, xb[dry], xo[dry]);
        double ub = 0, uo = 0;
        for (int c = 0; c < NCLASS; c++) { ub += xb[cls[c]]; uo += xo[cls[c]]; }
        cmp_paired_add(&pkl, ub, uo);
        k++;
    }
    if (k != n) {
        fprintf(stderr, "fuelsim compare: %s and %s do not hold replicates 0..%llu in order\n", base_path,
                opt_path, (unsigned long long)n - 1);
        goto done;
    }
    cmp_paired_result(&pws, &r->ws);
    cmp_paired_result(&pkl, &r->kl);
    cmp_paired_result(&pdry, &r->dry1);
    rc = 0;
done:
    free(xb);
    free(xo);
    met_rows_close(b);
    met_rows_close(o);
    return rc;
}

static char *variant_dir(const char *out, const char *id)
{
    char *sw = path_join(out, "sweeps"), *d = path_join(sw, id);
    free(sw);
    return d;
}

/* The baseline's sweep into base_dir, then each option's on its copy of
 * the World into OUT/sweeps/ID. Returns SWP_OK or the first other status. */
static int sweep_variants(const World *w, const CmpInvest *inv, uint64_t n, uint64_t seed, int threads,
                          const OptParams *op, const char *out, const char *base_dir)
{
    int quake = w->default_quake;
    int src = sweep_variant(w, quake, "baseline", n, seed, threads, op, base_dir);
    for (int i = 0; i < inv->nopt && src == SWP_OK; i++) {
        World *wo = cmp_world_new(w, &inv->opt[i]);
        char *dir = variant_dir(out, inv->opt[i].id);
        src = sweep_variant(wo, quake, inv->opt[i].id, n, seed, threads, op, dir);
        free(dir);
        cmp_world_free(wo);
    }
    return src;
}

/* Each option's paired differences against the baseline's rows into res.
 * Returns 0, or -1 after a message. */
static int pair_variants(const CmpInvest *inv, CmpResult *res, const char *out, const char *base_rows, uint64_t n)
{
    for (int i = 0; i < inv->nopt; i++) {
        char *dir = variant_dir(out, inv->opt[i].id), *rows = path_join(dir, "replicates.csv");
        res[i].opt = i;
        int prc = pair_rows(base_rows, rows, n, &res[i]);
        free(dir);
        free(rows);
        if (prc != 0) return -1;
    }
    return 0;
}

/* OUT/compare.csv, OUT/compare.json (with what made them) and
 * OUT/compare.xlsx; op is NULL for greedy dispatch. Returns 0, or -1 after
 * a message. */
static int write_compare(const CliArgs *a, const World *w, const CmpInvest *inv, const CmpResult *res,
                         uint64_t n, uint64_t seed, const OptParams *op, const char *invest, const char *out)
{
    const char *qid = w->quake[w->default_quake].id;
    cJSON *mj = cJSON_CreateObject();
    cJSON_AddStringToObject(mj, "scenario", w->id);
    cJSON_AddStringToObject(mj, "quake", qid);
    cJSON_AddNumberToObject(mj, "n", (double)n);
    cJSON_AddNumberToObject(mj, "seed", (double)seed);
    cJSON_AddStringToObject(mj, "policy", op ? "optimise" : "greedy");
    if (op) cJSON_AddStringToObject(mj, "forecast", opt_forecast_name[op->forecast]);
    cJSON_AddStringToObject(mj, "difference", "baseline minus option, paired by replicate; 95% CI Student t");
    cJSON_AddStringToObject(mj, "sweeps", "sweeps/ID/replicates.csv");
    RunProv rp;
    char *pcmd = NULL;
    cli_prov(a, seed, &rp, &pcmd);
    cJSON_AddItemToObject(mj, "provenance", scn_prov_json(w, &rp));
    char *meta = cJSON_PrintUnformatted(mj);
    cJSON_Delete(mj);
    char *json = cmp_json(inv, res, inv->nopt, meta);
    cJSON_free(meta);
    char *p_csv = path_join(out, "compare.csv"), *p_json = path_join(out, "compare.json");
    OutFile *f = out_open(p_csv);
    int bad = !f;
    if (f) {
        if (cmp_write_csv(inv, res, inv->nopt, f->f) != 0) { out_abort(f); bad = 1; }
        else bad = out_commit(f) != 0;
    }
    bad |= !bad && out_write_string(p_json, json) != 0;
    free(p_csv);
    free(p_json);
    free(json);
    if (bad) {
        fprintf(stderr, "fuelsim compare: writing %s failed: %s\n", out, strerror(errno));
        free(pcmd);
        return -1;
    }
    char sn[24], err[512];
    snprintf(sn, sizeof sn, "%llu", (unsigned long long)n);
    const char *extra[] = {"earthquake", qid, "replicates", sn, "investments file", invest,
                           "difference", "baseline minus option, paired by replicate; 95% CI Student t", NULL};
    char *p_xlsx = path_join(out, "compare.xlsx");
    bad = xlsx_write_compare(p_xlsx, inv, res, inv->nopt, w, &rp, extra, err, sizeof err) != 0;
    free(p_xlsx);
    free(pcmd);
    if (bad) fprintf(stderr, "fuelsim compare: %s\n", err);
    return bad ? -1 : 0;
}

/* The ranking on stdout, for the person at the terminal. */
static void print_ranking(const World *w, const CmpInvest *inv, const CmpResult *res, uint64_t n, uint64_t seed,
                          int optimise, const char *out)
{
    printf("scenario %s, earthquake %s: %llu replicates, seed %llu, %s dispatch, %d options on common random "
           "numbers\n", w->id, w->quake[w->default_quake].id, (unsigned long long)n, (unsigned long long)seed,
           optimise ? "optimise" : "greedy", inv->nopt);
    printf("  baseline weighted shortfall mean %.1f\n", inv->nopt ? res[0].ws.base_mean : 0.0);
    printf("  %-4s %-28s %14s %24s %16s\n", "rank", "option", "cost (M yen)", "shortfall avoided (95% CI)",
           "yen/weighted kL");
    for (int i = 0; i < inv->nopt; i++) {
        const CmpResult *r = &res[i];
        char ci[64], per[32];
        snprintf(ci, sizeof ci, "%.1f (%.1f, %.1f)", r->ws.mean, r->ws.ci_lo, r->ws.ci_hi);
        if (isnan(r->yen_per_wkl)) snprintf(per, sizeof per, "-");
        else snprintf(per, sizeof per, "%.0f", r->yen_per_wkl);
        printf("  %-4d %-28s %14.1f %24s %16s\n", r->rank, inv->opt[r->opt].id, inv->opt[r->opt].cost_yen / 1e6, ci,
               per);
    }
    printf("  outputs              %s/compare.xlsx (for Excel), compare.csv, compare.json, sweeps/\n", out);
}

static int run_compare(const CliArgs *a)
{
    const char *invest = cli_str(a, "--invest", NULL);
    if (!invest) return cli_usage_error(a->cmd, "--invest is required");
    CliSweepArgs s;
    World *w = cli_sweep_args(a, 0, &s);   /* compare has no --quake: the default earthquake */
    if (!w) return 2;
    Diag d;
    diag_init(&d);
    CmpInvest *inv = cmp_invest_load(invest, w, &d);
    if (!inv) {
        diag_print(&d, stderr);
        diag_free(&d);
        world_free(w);
        return 2;
    }
    diag_free(&d);
    int rc = 1;
    CmpResult *res = xcalloc((size_t)inv->nopt + 1, sizeof *res);
    char *base_dir = variant_dir(s.out, "baseline"), *base_rows = path_join(base_dir, "replicates.csv");
    if (out_mkdir(s.out) != 0) {
        fprintf(stderr, "fuelsim compare: cannot create %s: %s\n", s.out, strerror(errno));
        goto done;
    }
    const OptParams *opp = s.optimise ? &s.op : NULL;
    int src = sweep_variants(w, inv, s.n, s.seed, s.threads, opp, s.out, base_dir);
    if (src != SWP_OK) {
        rc = src == SWP_REFUSED ? 2 : 1;
        goto done;
    }
    if (pair_variants(inv, res, s.out, base_rows, s.n) != 0) goto done;
    cmp_rank(inv, res, inv->nopt);
    if (write_compare(a, w, inv, res, s.n, s.seed, opp, invest, s.out) != 0) goto done;
    print_ranking(w, inv, res, s.n, s.seed, s.optimise, s.out);
    if ((rc = cli_report_after("fuelsim compare", s.out, w, NULL)) != 0) goto done;
    rc = 0;
done:
    free(base_dir);
    free(base_rows);
    free(res);
    cmp_invest_free(inv);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_compare = {
    "compare", "DIR --invest FILE -n N [--seed S] --out OUT",
    "compare investments on common random numbers",
    "Runs the scenario's default earthquake as it is (OUT/sweeps/baseline) and with each\n"
    "option of the investments file (OUT/sweeps/ID), replicates 0..N-1 of the same seed:\n"
    "an option changes the damage only of what it retrofits. Writes OUT/compare.xlsx (for\n"
    "Excel), OUT/compare.csv and OUT/compare.json: per option the mean weighted shortfall, unserved kL and class-1 dry\n"
    "hours avoided with 95% confidence intervals from the paired differences, cost per kL\n"
    "avoided and the rank (options that avoid shortfall first, by yen per weighted kL).\n"
    "A bad investments file gives file:line: messages and exit code 2.",
    1, 1, compare_opts, run_compare, 8};
