/* `fuelsim bcp`: a sweep with the BCP columns into OUT/sweep, then the port
 * BCP annex from it: OUT/bcp.csv and OUT/bcp.md. */
#include "bcp.h"
#include "cli_cmds.h"
#include "hazard.h"
#include "metrics.h"
#include "plansheet.h"
#include "supply.h"
#include "sweep.h"
#include "textio.h"
#include "util.h"
#include "xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const CliOpt bcp_opts[] = {
    CLI_OPT_N,
    CLI_OPT_SEED,
    {"--quake", "ID", "earthquake id (default: the scenario's)"},
    CLI_OPT_THREADS,
    CLI_OPTS_POLICY,
    {"--out", "OUT", "output folder (required); the sweep goes to OUT/sweep"},
    {"--resume", NULL, "go on with an interrupted sweep in OUT/sweep"},
    CLI_OPT_END};

/* The transport bottlenecks, planned again for a sample of the replicates
 * (plansheet.h says why a sample): into *bs, and their section appended to
 * *md. 0, or -1 after a message. bs->nrep is 0 when the horizon leaves no
 * hour to plan at. */
static int bottlenecks(char **md, PshBindStats *bs, const SupModel *m, const World *w, uint64_t seed, uint64_t n)
{
    memset(bs, 0, sizeof *bs);
    double at = fmin(PSH_BCP_AT_H, ceil(w->horizon_h - 1e-9) - 1);
    if (at < 0) return 0;
    char err[256];
    uint64_t ns = n < PSH_BCP_SAMPLE ? n : PSH_BCP_SAMPLE;
    int rc = psh_bind_stats(m, w, seed, ns, at, bs, err, sizeof err);
    opt_thread_done();
    if (rc != 0) {
        fprintf(stderr, "fuelsim bcp: %s\n", err);
        return -1;
    }
    char *sec = psh_bind_markdown(bs, w, n);
    StrBuf b = {0};
    sb_puts(&b, *md);
    sb_puts(&b, sec);
    free(sec);
    free(*md);
    *md = sb_take(&b);
    return 0;
}

static int run_bcp(const CliArgs *a)
{
    CliSweepArgs s;
    World *w = cli_sweep_args(a, 0, &s);
    if (!w) return 2;

    int rc = 1;
    char *sweep_dir = path_join(s.out, "sweep"), *rows = path_join(sweep_dir, "replicates.csv");
    char *p_csv = path_join(s.out, "bcp.csv"), *p_md = path_join(s.out, "bcp.md");
    char *p_xlsx = path_join(s.out, "bcp.xlsx"), *p_bn = path_join(s.out, "bcp_bottlenecks.csv");
    PshBindStats bs;
    memset(&bs, 0, sizeof bs);
    char *notes = NULL, *md = NULL, *prov = NULL, *pcmd = NULL;
    SwpColStats *st = NULL;
    BcpAnnex *annex = NULL;
    SupModel *m = sup_model_new(w, s.quake);
    HazField *hf = haz_field_new(w, s.quake);
    MetCols *cols = met_cols_new(w, MET_BCP);
    if (!m || !hf) goto done;
    if (out_mkdir(s.out) != 0) {
        fprintf(stderr, "fuelsim bcp: cannot create %s: %s\n", s.out, strerror(errno));
        goto done;
    }

    MetRun run = {cols, m, {SUP_GREEDY, NULL, NULL, NULL}, hf, "fuelsim bcp"};
    SwpSpec spec = {cols->ncol, cols->col, MET_NSERIES, met_series_name, cols->nhours, met_rep, &run};
    CliOptRep oc = {run, w, s.op, -1};
    if (s.optimise) {
        spec.rep = cli_opt_rep;
        spec.ctx = &oc;
    }
    const char *qid = w->quake[s.quake].id;
    const char *fc = s.optimise ? opt_forecast_name[s.op.forecast] : "none";
    const char *info[] = {"scenario", w->id, "quake", qid, "policy", s.policy, "forecast", fc, "columns", "bcp",
                          "version", cli_build_id(), "scenario_sha256", w->fingerprint, NULL};
    /* the resume command: the policy is part of it */
    char cmd[1024], resume[1100], fcopt[40] = "";
    if (s.optimise && s.op.forecast != OPT_FC_MEDIAN) snprintf(fcopt, sizeof fcopt, " --forecast %s", fc);
    snprintf(cmd, sizeof cmd, "fuelsim bcp %s -n %llu --seed %llu --quake %s --policy %s%s --out %s", a->pos[0],
             (unsigned long long)s.n, (unsigned long long)s.seed, qid, s.policy, fcopt, s.out);
    snprintf(resume, sizeof resume, "%s --resume", cmd);
    SwpParams p;
    cli_swp_params(&p, s.n, s.seed, s.threads, sweep_dir, info);
    p.resume = cli_flag(a, "--resume");
    p.label = "fuelsim bcp";
    p.resume_cmd = resume;
    cli_swp_prov(&p, a, w, s.seed, &prov);
    st = xcalloc((size_t)cols->ncol, sizeof *st);
    SwpOutcome o;
    int src = swp_run(&spec, &p, st, &o);
    if (src != SWP_OK) {
        rc = src == SWP_REFUSED ? 2 : src == SWP_STOPPED && o.signal ? 128 + o.signal : 1;
        goto done;
    }
    if (o.rank != 0) { rc = 0; goto done; }

    char err[512];
    annex = bcp_annex_new(w, s.quake, s.n, s.seed, cols, st, rows, err, sizeof err);
    if (!annex) {
        fprintf(stderr, "fuelsim bcp: %s\n", err);
        goto done;
    }
    if (w->notes) {
        char *np = path_join(w->dir, w->notes);
        size_t len = 0;
        char why[256];
        notes = tio_read_file(np, TIO_MAX_BYTES, &len, why, sizeof why);   /* no notes when unreadable */
        free(np);
    }
    RunProv rp;
    cli_prov(a, s.seed, &rp, &pcmd);
    char polname[64];
    snprintf(polname, sizeof polname, "%s%s%s", s.policy, s.optimise ? ", forecast " : "", s.optimise ? fc : "");
    rp.policy = polname;
    md = bcp_markdown(annex, &rp, notes);
    if (bottlenecks(&md, &bs, m, w, s.seed, s.n) != 0) goto done;
    OutFile *f = out_open(p_csv);
    int bad = !f;
    if (f) {
        if (bcp_write_csv(annex, f->f) != 0) { out_abort(f); bad = 1; }
        else bad = out_commit(f) != 0;
    }
    bad |= !bad && out_write_string(p_md, md) != 0;
    bad |= !bad && bs.nrep > 0 && psh_bind_write_csv(p_bn, &bs, w) != 0;
    if (bad) {
        fprintf(stderr, "fuelsim bcp: writing %s failed: %s\n", s.out, strerror(errno));
        goto done;
    }
    if (xlsx_write_bcp(p_xlsx, annex, bs.nrep > 0 ? &bs : NULL, &rp, err, sizeof err) != 0) {
        fprintf(stderr, "fuelsim bcp: %s\n", err);
        goto done;
    }
    int nfac = 0;
    for (int i = 0; i < annex->nrow; i++) nfac += annex->row[i].comp < 0;
    printf("scenario %s, earthquake %s: %llu replicates, seed %llu, %s dispatch\n", w->id, qid,
           (unsigned long long)s.n, (unsigned long long)s.seed, s.policy);
    printf("  port facilities      %d (%d facility and component lines in bcp.csv)\n", nfac, annex->nrow);
    printf("  class 1 short        P(within 24 h) %.2f, P(within 72 h) %.2f, P(within %g h) %.2f\n",
           annex->p_dry_24, annex->p_dry_72, w->horizon_h, annex->p_dry_any);
    printf("  outputs              %s/bcp.md, bcp.xlsx (for Excel), bcp.csv, %ssweep/\n", s.out,
           bs.nrep > 0 ? "bcp_bottlenecks.csv, " : "");
    rc = 0;
done:
    free(md);
    free(prov);
    free(pcmd);
    free(notes);
    bcp_annex_free(annex);
    free(st);
    met_cols_free(cols);
    haz_field_free(hf);
    sup_model_free(m);
    psh_bind_stats_free(&bs);
    free(sweep_dir); free(rows); free(p_csv); free(p_md); free(p_xlsx); free(p_bn);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_bcp = {
    "bcp", "DIR -n N [--seed S] [--quake ID] --out OUT",
    "port BCP annex from a sweep",
    "Runs a sweep of N replicates (into OUT/sweep, with the per-component, grid and\n"
    "generator-fuel columns the annex needs) and writes OUT/bcp.xlsx (the tables, one sheet\n"
    "each, for Excel), OUT/bcp.csv (per port facility and\n"
    "component: probability of each damage state, restoration P50 and P90, BCP target and\n"
    "the probability of being back within it) and OUT/bcp.md (a document to paste into a\n"
    "port BCP: those tables, generator fuel for the first 72 h, when class-1 users run\n"
    "dry, and the caveats of the scenario's notes). A port facility is one with a berth.\n"
    "The transport bottlenecks (replicates 0-19 planned at hour 24: how often each limit\n"
    "binds and its mean marginal value) are a section of bcp.md, a sheet of bcp.xlsx and\n"
    "OUT/bcp_bottlenecks.csv.",
    1, 1, bcp_opts, run_bcp, 8};
