/* `fuelsim branch`: a live drill. Replays one replicate of the default
 * earthquake with the players' decisions (models/studies/branch.h) and
 * writes what `run` writes for it, its MSEL with the decisions as player
 * actions, and branch.json setting it beside the same replicate without
 * them (the base). */
#include "branch.h"
#include "cli_branch_base.h"
#include "cli_cmds.h"
#include "drill.h"
#include "hazard.h"
#include "optimise.h"
#include "scenario.h"
#include "supply.h"
#include "util.h"
#include "xlsx.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const CliOpt branch_opts[] = {
    CLI_OPT_SEED_REQ,
    {"--rep", "R", "replicate index (required)"},
    {"--decisions", "FILE", "the players' decisions, CSV at_h,action,target,value,note (required)"},
    CLI_OPTS_POLICY,
    CLI_OPTS_EXERCISE,
    {"--from-exercise-time", "ISO", "print the injects from this exercise time on (msel.csv rows)"},
    CLI_OPT_OUT,
    CLI_OPT_END};

/* The runs of a branch: the base and the branch, each with its trace text. */
typedef struct Runs {
    SupResult res[2];
    char *trace[2];
    size_t tlen[2];
} Runs;

/* One replicate with decisions dec (ndec 0: the base) and its trace. With
 * the optimiser (or a decision to switch to it) a planner of its own. */
static int run_one(const SupModel *m, const World *w, const OptParams *op, int optimise, int need_planner,
                   uint64_t seed, uint64_t rep, const SupDecision *dec, int ndec, Runs *R, int k)
{
    FILE *tf = open_memstream(&R->trace[k], &R->tlen[k]);
    if (!tf) { perror("fuelsim branch"); return -1; }
    OptPlanner *pl = optimise || need_planner ? opt_planner_new(w, op, rep) : NULL;
    SupOptions opt = {optimise ? SUP_OPTIMISE : SUP_GREEDY, tf, pl ? opt_planner_tick : NULL, pl};
    int rc = sup_run_decided(m, seed, rep, &opt, dec, ndec, &R->res[k]);
    opt_planner_free(pl);
    if (fclose(tf) != 0) rc = -1;
    return rc;
}

/* The exercise parameters from the options; -1 after a usage error. */
static int drill_params(const CliArgs *a, DrlParams *par, int64_t *from_s)
{
    const CliCmd *c = a->cmd;
    if (cli_exercise_args(a, par)) return -1;
    const char *from = cli_str(a, "--from-exercise-time", NULL);
    *from_s = INT64_MIN;
    if (from && drl_parse_iso(from, from_s) != 0) {
        cli_usage_error(c, "--from-exercise-time: \"%s\" is not an ISO 8601 time like %s", from, DRL_DEFAULT_START);
        return -1;
    }
    return 0;
}

/* branch.json's meta: what was replayed, with which decisions file. */
static char *branch_meta(const World *w, const CliArgs *a, uint64_t seed, uint64_t rep, int optimise,
                         const RunProv *prov)
{
    int quake = w->default_quake;
    cJSON *mj = cli_json_replicate(w, quake, seed, rep);
    cJSON_AddStringToObject(mj, "policy", optimise ? "optimise" : "greedy");
    cJSON_AddStringToObject(mj, "decisions_file", cli_str(a, "--decisions", ""));
    cJSON_AddNumberToObject(mj, "horizon_h", w->horizon_h);
    cJSON_AddItemToObject(mj, "provenance", scn_prov_json(w, prov));
    char *meta = cJSON_PrintUnformatted(mj);
    cJSON_Delete(mj);
    return meta;
}

/* Everything into out: run's three files, the MSEL (csv, json, xlsx) and
 * branch.json. Returns 0, or 1 after a message. */
static int write_all(const CliArgs *a, const World *w, const char *out, uint64_t seed, uint64_t rep,
                     int optimise, const BrnDecisions *b, const Runs *R, const DrlMsel *msel)
{
    RunProv rp;
    char *pcmd = NULL, err[256];
    cli_prov(a, seed, &rp, &pcmd);
    char *meta = branch_meta(w, a, seed, rep, optimise, &rp);
    char *mjson = drl_msel_json(msel, meta);
    char *bjson = brn_json(w, meta, b, &R->res[0], &R->res[1], R->trace[0], R->tlen[0], R->trace[1], R->tlen[1], 12);
    cJSON *mj = cli_run_metrics_json(w, w->default_quake, seed, rep, &R->res[1]);
    cJSON_AddStringToObject(mj, "policy", optimise ? "optimise" : "greedy");
    char *metrics = json_take_text(mj);
    char *p[7] = {path_join(out, "msel.csv"), path_join(out, "msel.json"), path_join(out, "trace.csv"),
                  path_join(out, "metrics.json"), path_join(out, "timeseries.csv"),
                  path_join(out, "branch.json"), path_join(out, "msel.xlsx")};
    int bad = cli_drill_write_files(p[0], p[1], p[2], msel, mjson, R->trace[1], R->tlen[1]);
    bad |= !bad && out_write_string(p[3], metrics) != 0;
    bad |= !bad && cli_run_write_timeseries(p[4], &R->res[1]) != 0;
    bad |= !bad && out_write_string(p[5], bjson) != 0;
    if (bad) fprintf(stderr, "fuelsim branch: writing %s failed: %s\n", out, strerror(errno));
    const char *extra[] = {"replicate", "", "decisions", cli_str(a, "--decisions", ""), NULL};
    char sr[24];
    snprintf(sr, sizeof sr, "%llu", (unsigned long long)rep);
    extra[1] = sr;
    if (!bad && xlsx_write_msel(p[6], msel, w, &rp, extra, err, sizeof err) != 0) {
        fprintf(stderr, "fuelsim branch: %s\n", err);
        bad = 1;
    }
    for (int i = 0; i < 7; i++) free(p[i]);
    cJSON_free(meta);
    free(mjson); free(bjson); free(metrics); free(pcmd);
    return bad;
}

/* What the controller sees: the injects from the exercise time on (as
 * msel.csv rows), or the branch beside the base. */
static void print_summary(const World *w, const Runs *R, const DrlMsel *msel, int64_t from_s, int cached)
{
    if (from_s != INT64_MIN) {
        DrlMsel tail = *msel;
        int j = 0;
        while (j < msel->n && drl_exercise_s(&msel->par, msel->inj[j].time_h) < from_s) j++;
        tail.inj = msel->inj + j;
        tail.n = msel->n - j;
        drl_msel_write_csv(&tail, stdout);
        return;
    }
    const SupResult *b = &R->res[0], *r = &R->res[1];
    printf("%s: base -> branch: weighted shortfall %.1f -> %.1f, class-1 dry hours %.0f -> %.0f\n", w->id,
           b->weighted_shortfall, r->weighted_shortfall, b->dry_hours_class1, r->dry_hours_class1);
    printf("unserved kL by class:");
    for (int k = 0; k < NCLASS; k++) printf(" %d: %.1f -> %.1f%s", k + 1, b->unserved_class_kl[k],
                                              r->unserved_class_kl[k], k + 1 < NCLASS ? ";" : "\n");
    printf("%d injects in msel.csv; base run %s\n", msel->n, cached ? "reused from OUT/base" : "computed");
}

static int run_branch(const CliArgs *a)
{
    const CliCmd *c = a->cmd;
    uint64_t seed, rep;
    const char *out, *dfile = cli_str(a, "--decisions", NULL);
    if (cli_seed_rep_out_args(a, &seed, &rep, &out)) return 2;
    if (!cli_str(a, "--rep", NULL)) return cli_usage_error(c, "--rep is required");
    if (!dfile) return cli_usage_error(c, "--decisions is required");
    int optimise;
    OptParams op;
    DrlParams par;
    int64_t from_s;
    if (cli_policy_args(a, &optimise, &op) || drill_params(a, &par, &from_s)) return 2;
    World *w = cli_load_world(a->pos[0]);
    if (!w) return 2;
    BrnDecisions b;
    Diag d;
    diag_init(&d);
    int bad = brn_decisions_read(w, dfile, &d, &b);
    diag_print(&d, stderr);
    diag_free(&d);
    if (bad) { brn_decisions_free(&b); world_free(w); return 2; }
    int rc = 1, need_planner = 0;
    for (int i = 0; i < b.n; i++) need_planner |= b.dec[i].action == TRC_ACT_POLICY && b.dec[i].policy == SUP_OPTIMISE;
    Runs R;
    memset(&R, 0, sizeof R);
    DrlMsel *msel = NULL;
    SupModel *m = NULL;
    char err[256];
    if (out_mkdir(out) != 0) {
        fprintf(stderr, "fuelsim branch: cannot create %s: %s\n", out, strerror(errno));
        goto done;
    }
    /* the base is the same on every call of an exercise: computed once, and
     * with it the replicate's shaking, so that a later call's model needs no
     * hazard field */
    char key[65];
    brb_key(a, w, seed, rep, optimise ? "optimise" : "greedy", key);
    HazSample *shaking = NULL;
    int cached = brb_load(out, key, w, &R.res[0], &R.trace[0], &R.tlen[0], &shaking) == 0;
    m = cached ? sup_model_new_shaken(w, w->default_quake, seed, rep, shaking) : sup_model_new(w, w->default_quake);
    if (!m) goto done;
    if (!cached) {
        if (run_one(m, w, &op, optimise, 0, seed, rep, NULL, 0, &R, 0) != 0) goto done;
        shaking = sup_shaking_new(m, seed, rep);
        if (brb_save(out, key, &R.res[0], R.trace[0], R.tlen[0], shaking) != 0)
            fprintf(stderr, "fuelsim branch: cannot keep the base run in %s/base: %s\n", out, strerror(errno));
        haz_sample_free(shaking);
    }
    if (run_one(m, w, &op, optimise, need_planner, seed, rep, b.dec, b.n, &R, 1) != 0) goto done;
    par.notes = (const char *const *)b.note;
    par.nnotes = b.n;
    if (!(msel = drl_msel_new(w, R.trace[1], R.tlen[1], &par, err, sizeof err))) {
        fprintf(stderr, "fuelsim branch: %s\n", err);
        goto done;
    }
    if (write_all(a, w, out, seed, rep, optimise, &b, &R, msel)) goto done;
    print_summary(w, &R, msel, from_s, cached);
    rc = cli_report_after("fuelsim branch", out, w, drl_lang_name[par.lang]);
done:
    drl_msel_free(msel);
    for (int k = 0; k < 2; k++) { sup_result_free(&R.res[k]); free(R.trace[k]); }
    opt_thread_done();
    sup_model_free(m);
    brn_decisions_free(&b);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_branch = {
    "branch", "DIR --seed S --rep R --decisions FILE --out OUT [--policy P] [--lang ja|en] [--start ISO] "
    "[--compress X] [--from-exercise-time ISO]",
    "live drill: replay a replicate with the players' decisions",
    "Replays replicate R of the scenario's default earthquake with the players' decisions\n"
    "(FILE: CSV with columns at_h,action,target,value,note; actions mobilise FLEET, reserve\n"
    "FLEET CLASS, priority POINT CLASS, close LINK, open LINK, release FACILITY:PRODUCT|stockpile\n"
    "KL, policy greedy|optimise; bad rows: file:line: message, exit 2). Up to the first\n"
    "decision the branch is byte for byte `fuelsim run`; after it each mechanism keeps its\n"
    "own random stream. Writes OUT/trace.csv, metrics.json, timeseries.csv (as run), the MSEL\n"
    "(msel.csv, msel.json, msel.xlsx) with each decision as a player_action inject, and\n"
    "branch.json: the branch beside the same replicate without decisions (weighted shortfall,\n"
    "class-1 dry hours, unserved kL by class, the first divergent trace rows); `fuelsim report\n"
    "OUT` shows it. --from-exercise-time prints the injects from that exercise time on. Under\n"
    "--policy optimise a decision re-plans at once, and the plan and its dispatch follow\n"
    "reserve and priority as greedy dispatch does. The base run is kept in OUT/base/ and\n"
    "reused by the next call into the same OUT while scenario, seed, replicate, policy,\n"
    "options and binary are the same, so a call during the exercise runs the branch only:\n"
    "well under a second with --policy greedy, about a second with optimise.",
    1, 1, branch_opts, run_branch, 18};
