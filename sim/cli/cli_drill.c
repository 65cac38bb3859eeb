/* `fuelsim drill`: pick a replicate of the default earthquake (by rank of
 * weighted shortfall, or by index), rerun it with its trace and write the
 * exercise timeline (MSEL) as OUT/msel.csv and OUT/msel.json, with the
 * trace it was made from as OUT/trace.csv. */
#include "cli_cmds.h"
#include "drill.h"
#include "supply.h"
#include "scenario.h"
#include "util.h"
#include "xlsx.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const CliOpt drill_opts[] = {
    {"--pick", "median|p90|worst", "replicate at this rank of weighted shortfall over N"},
    {"--rep", "R", "use replicate R instead of picking"},
    {"-n", "N", "replicates to pick from (default 100)"},
    CLI_OPT_SEED,
    CLI_OPTS_EXERCISE,
    {"--threads", "T", "threads for picking (default: all cores)"},
    CLI_OPTS_POLICY,
    CLI_OPT_OUT,
    CLI_OPT_END};

int cli_exercise_args(const CliArgs *a, DrlParams *par)
{
    const CliCmd *c = a->cmd;
    drl_params_default(par);
    if (cli_double(a, "--compress", 1.0, 1e-3, 1e6, &par->compress)) return -1;
    const char *start = cli_str(a, "--start", DRL_DEFAULT_START);
    if (drl_parse_iso(start, &par->start_s) != 0) {
        cli_usage_error(c, "--start: \"%s\" is not an ISO 8601 time like %s", start, DRL_DEFAULT_START);
        return -1;
    }
    const char *lang = cli_str(a, "--lang", "en");
    int li = world_enum_lookup(drl_lang_name, NDRLLANG, lang);
    if (li < 0) {
        cli_usage_error(c, "--lang: \"%s\" is not ja or en", lang);
        return -1;
    }
    par->lang = (DrlLang)li;
    return 0;
}

/* msel.json's meta object: how the replicate was picked and the exercise
 * parameters. Returns cJSON text (free with cJSON_free). */
static char *drill_meta(const World *w, int how, uint64_t n, uint64_t seed, uint64_t rep,
                        const SupResult *res, const DrlParams *par, const RunProv *prov,
                        const char *forecast)
{
    int quake = w->default_quake;
    char start_iso[40];
    drl_format_iso(par->start_s, start_iso, sizeof start_iso);
    cJSON *mj = cJSON_CreateObject();
    cJSON_AddStringToObject(mj, "pick", how >= 0 ? drl_pick_name[how] : "rep");
    if (how >= 0) {
        cJSON_AddNumberToObject(mj, "n", (double)n);
        cJSON_AddNumberToObject(mj, "rank", (double)drl_pick_rank(n, (DrlPickHow)how));
    }
    cJSON_AddStringToObject(mj, "scenario", w->id);
    cJSON_AddStringToObject(mj, "quake", quake >= 0 ? w->quake[quake].id : "none");
    cJSON_AddNumberToObject(mj, "seed", (double)seed);
    cJSON_AddNumberToObject(mj, "rep", (double)rep);
    /* the policy of the replicate (forecast NULL: greedy); a pick ranks by it too */
    cJSON_AddStringToObject(mj, "policy", forecast ? "optimise" : "greedy");
    if (forecast) cJSON_AddStringToObject(mj, "forecast", forecast);
    cJSON_AddNumberToObject(mj, "weighted_shortfall", res->weighted_shortfall);
    cJSON_AddNumberToObject(mj, "dry_hours_class1", res->dry_hours_class1);
    cJSON_AddNumberToObject(mj, "horizon_h", w->horizon_h);
    cJSON_AddStringToObject(mj, "start", start_iso);
    cJSON_AddNumberToObject(mj, "compress", par->compress);
    cJSON_AddStringToObject(mj, "lang", drl_lang_name[par->lang]);
    cJSON_AddNumberToObject(mj, "report_delay_h", par->report_delay_h);
    cJSON_AddNumberToObject(mj, "merge_h", par->merge_h);
    cJSON_AddStringToObject(mj, "trace", "trace.csv");
    cJSON_AddItemToObject(mj, "provenance", scn_prov_json(w, prov));
    char *meta = cJSON_PrintUnformatted(mj);
    cJSON_Delete(mj);
    return meta;
}

/* msel.csv, msel.json and trace.csv: the three go in together or the
 * command fails. Returns non-zero on a write error. */
int cli_drill_write_files(const char *p_csv, const char *p_json, const char *p_trace, const DrlMsel *msel,
                          const char *json, const char *trace, size_t tlen)
{
    OutFile *o = out_open(p_csv);
    int bad = !o;
    if (o) {
        bad = drl_msel_write_csv(msel, o->f) != 0;
        if (bad) out_abort(o);
        else bad = out_commit(o) != 0;
    }
    bad |= !bad && out_write_string(p_json, json) != 0;
    if (!bad) {
        o = out_open(p_trace);
        bad = !o;
        if (o) {
            fwrite(trace, 1, tlen, o->f);
            bad = out_commit(o) != 0;
        }
    }
    return bad;
}

/* A replicate for drl_pick_by with the optimiser: its own planner. */
typedef struct OptRun {
    const SupModel *m;
    const World *w;
    const OptParams *op;
    uint64_t seed;
} OptRun;

static int optimised_run(void *ctx, uint64_t rep, SupResult *r)
{
    const OptRun *o = ctx;
    OptPlanner *pl = opt_planner_new(o->w, o->op, rep);
    SupOptions opt = {SUP_OPTIMISE, NULL, opt_planner_tick, pl};
    int rc = sup_run(o->m, o->seed, rep, &opt, r);
    opt_planner_free(pl);
    opt_thread_done();
    return rc;
}

static int run_drill(const CliArgs *a)
{
    const CliCmd *c = a->cmd;
    const char *out = cli_str(a, "--out", NULL);
    if (!out) return cli_usage_error(c, "--out is required");
    const char *pick = cli_str(a, "--pick", NULL);
    int has_rep = cli_str(a, "--rep", NULL) != NULL;
    if (!pick == !has_rep) return cli_usage_error(c, "give one of --pick and --rep");
    int how = -1;
    if (pick) {
        how = world_enum_lookup(drl_pick_name, NDRLPICK, pick);
        if (how < 0) return cli_usage_error(c, "--pick: \"%s\" is not median, p90 or worst", pick);
    } else if (cli_str(a, "-n", NULL)) {
        return cli_usage_error(c, "-n goes with --pick, not --rep");
    }
    uint64_t seed, rep = 0, n;
    int threads;
    DrlParams par;
    if (cli_u64(a, "--seed", 1, &seed) || cli_u64(a, "--rep", 0, &rep) || cli_u64(a, "-n", 100, &n) ||
        cli_int(a, "--threads", 0, 0, 4096, &threads))
        return 2;
    if (n < 1) return cli_usage_error(c, "-n: must be at least 1");
    int optimise;
    OptParams op;
    if (cli_policy_args(a, &optimise, &op) || cli_exercise_args(a, &par)) return 2;
    OptPlanner *planner = NULL;

    World *w = cli_load_world(a->pos[0]);
    if (!w) return 2;
    int rc = 1;
    SupModel *m = NULL;
    char *p_trace = path_join(out, "trace.csv"), *p_csv = path_join(out, "msel.csv"),
         *p_json = path_join(out, "msel.json");
    char *trace = NULL, *json = NULL, *pcmd = NULL;
    size_t tlen = 0;
    DrlMsel *msel = NULL;
    SupResult res;
    memset(&res, 0, sizeof res);
    if (out_mkdir(out) != 0) {
        fprintf(stderr, "fuelsim drill: cannot create %s: %s\n", out, strerror(errno));
        goto done;
    }
    int quake = w->default_quake;
    m = sup_model_new(w, quake);
    if (!m) goto done;
    double ws_pick = 0;
    OptRun orun = {m, w, &op, seed};
    if (how >= 0 && (optimise ? drl_pick_by(optimised_run, &orun, n, (DrlPickHow)how, threads, &rep, &ws_pick)
                              : drl_pick(m, seed, n, (DrlPickHow)how, threads, &rep, &ws_pick)) != 0)
        goto done;

    FILE *tf = open_memstream(&trace, &tlen);
    if (!tf) { perror("fuelsim drill"); goto done; }
    if (optimise) planner = opt_planner_new(w, &op, rep);
    SupOptions opt = {planner ? SUP_OPTIMISE : SUP_GREEDY, tf, planner ? opt_planner_tick : NULL, planner};
    int src = sup_run(m, seed, rep, &opt, &res);
    if (fclose(tf) != 0 || src != 0) goto done;

    char err[256];
    msel = drl_msel_new(w, trace, tlen, &par, err, sizeof err);
    if (!msel) {
        fprintf(stderr, "fuelsim drill: %s\n", err);
        goto done;
    }
    RunProv rp;
    cli_prov(a, seed, &rp, &pcmd);
    char *meta = drill_meta(w, how, n, seed, rep, &res, &par, &rp,
                            optimise ? opt_forecast_name[op.forecast] : NULL);
    json = drl_msel_json(msel, meta);
    cJSON_free(meta);

    int bad = cli_drill_write_files(p_csv, p_json, p_trace, msel, json, trace, tlen);
    if (bad) {
        fprintf(stderr, "fuelsim drill: writing %s failed: %s\n", out, strerror(errno));
        goto done;
    }
    char sn[24], sr[24];
    snprintf(sn, sizeof sn, "%llu", (unsigned long long)n);
    snprintf(sr, sizeof sr, "%llu", (unsigned long long)rep);
    const char *extra[] = {"earthquake", quake >= 0 ? w->quake[quake].id : "none", "replicate", sr,
                           "picked", how >= 0 ? drl_pick_name[how] : "by --rep", "picked among", how >= 0 ? sn : "-",
                           "exercise start", cli_str(a, "--start", DRL_DEFAULT_START),
                           "language", drl_lang_name[par.lang], NULL};
    char *p_xlsx = path_join(out, "msel.xlsx");
    bad = xlsx_write_msel(p_xlsx, msel, w, &rp, extra, err, sizeof err) != 0;
    free(p_xlsx);
    if (bad) {
        fprintf(stderr, "fuelsim drill: %s\n", err);
        goto done;
    }
    double last = msel->n ? msel->inj[msel->n - 1].time_h : 0;
    printf("%s, %s, seed %llu: replicate %llu", w->id, quake >= 0 ? w->quake[quake].id : "none",
           (unsigned long long)seed, (unsigned long long)rep);
    if (how >= 0) printf(" (%s of %llu)", drl_pick_name[how], (unsigned long long)n);
    printf(", %s dispatch", optimise ? "optimise" : "greedy");
    printf(", weighted shortfall %.1f; %d injects over %.1f scenario h = %.1f exercise h\n",
           res.weighted_shortfall, msel->n, last, last / par.compress);
    if ((rc = cli_report_after("fuelsim drill", out, w, drl_lang_name[par.lang])) != 0) goto done;
    rc = 0;
done:
    drl_msel_free(msel);
    sup_result_free(&res);
    opt_planner_free(planner);
    opt_thread_done();
    sup_model_free(m);
    free(trace); free(json); free(pcmd);
    free(p_trace); free(p_csv); free(p_json);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_drill = {
    "drill", "DIR (--pick median|p90|worst | --rep R) [-n N] [--seed S] [--start ISO] [--compress X] [--lang ja|en] --out OUT",
    "exercise timeline (MSEL) from one replicate",
    "Runs N replicates of the scenario's default earthquake and picks the one at the median,\n"
    "the 90th percentile (nearest rank) or the worst of weighted shortfall (ties: the lower\n"
    "replicate index ranks first), or takes replicate R; reruns it with its trace and writes\n"
    "a Master Scenario Events List: OUT/msel.xlsx (for Excel: frozen header, filters, exercise\n"
    "clock as dates in Japan time, a sheet on what made it), OUT/msel.csv and OUT/msel.json\n"
    "(one inject per row, in time order), and OUT/trace.csv. Damage reports and closures reach the disaster HQ 1 h\n"
    "after the shock (inspection); rows of one kind within 6 scenario hours are merged into\n"
    "one inject, except outages and resupply of priority classes 1-2 (one inject each); only\n"
    "a user's first low-stock request is an inject (models/drill.h has the rules).\n"
    "Exercise time = start + scenario hours / X.",
    1, 1, drill_opts, run_drill, 8};
