/* `fuelsim plan`: the emergency transport plan (GLPK) for one sampled
 * outcome as seen at hour H: the replicate is simulated with greedy
 * dispatch up to H, then planned. Also `fuelsim bench plan`: cold and warm
 * re-plan times of the optimiser inside a replicate. */
#include "cli_cmds.h"
#include "drill.h"
#include "optimise.h"
#include "plansheet.h"
#include "scenario.h"
#include "supply.h"
#include "util.h"
#include "xlsx.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const CliOpt plan_opts[] = {
    CLI_OPT_SEED_REQ,
    CLI_OPT_REP,
    {"--at", "H", "plan from the state at this hour, after greedy dispatch up to it (default 0)"},
    {"--horizon", "H", "planning horizon in hours (default 72)"},
    {"--step", "H", "first period in whole hours (default 6)"},
    {"--growth", "G", "each period G times the one before, the last cut at the horizon (default 3: 6, 18, 48 h); 1: equal periods"},
    {"--forecast", "F", "restoration known as median (default), p90 or perfect (the replicate's draws)"},
    {"--inspect", "H", "damage becomes known H hours after the shock (default 6); before, the plan assumes today's state persists"},
    {"--integer", NULL, "whole trips in the first period, the ones dispatched (MIP with a gap and a node limit)"},
    {"--lang", "ja|en", "names and words of the tasking sheets and the report (default en)"},
    {"--start", "ISO", "exercise clock: hour 0 of the scenario at this time; departures and arrivals as dates"},
    CLI_OPT_OUT,
    {"--write-lp", "FILE", "also write the model in CPLEX LP format"},
    CLI_OPT_END};

static char *plan_json(const World *w, int quake, uint64_t seed, uint64_t rep, const OptParams *p,
                       const OptSolution *so, const PlanSheet *ps, const RunProv *rp, const char *start)
{
    cJSON *j = cli_json_replicate(w, quake, seed, rep);
    cJSON_AddItemToObject(j, "provenance", scn_prov_json(w, rp));
    if (start) cJSON_AddStringToObject(j, "start", start);
    cJSON_AddNumberToObject(j, "at_h", so->t0_h);
    cJSON_AddNumberToObject(j, "horizon_h", p->horizon_h);
    cJSON_AddNumberToObject(j, "step_h", p->step_h);
    cJSON_AddNumberToObject(j, "periods", so->nperiod);
    cJSON_AddNumberToObject(j, "growth", p->growth);
    cJSON_AddStringToObject(j, "forecast", opt_forecast_name[p->forecast]);
    cJSON_AddBoolToObject(j, "integer", p->integer);
    cJSON_AddStringToObject(j, "status", opt_status_name[so->status]);
    if (so->status == OPT_FAILED) cJSON_AddStringToObject(j, "reason", so->why);
    if (so->status != OPT_FAILED) {
        cJSON_AddNumberToObject(j, "objective", so->objective);
        cJSON_AddNumberToObject(j, "unmet_weighted", so->unmet_weighted);
        cJSON_AddNumberToObject(j, "safety_stock_term", so->buffer_term);
        cJSON_AddNumberToObject(j, "transport_cost_term", so->transport_cost);
        cJSON *uc = cJSON_AddObjectToObject(j, "unmet_kl_by_class");
        for (int k = 0; k < NCLASS; k++) {
            char key[24];
            snprintf(key, sizeof key, "class%d", k + 1);
            cJSON_AddNumberToObject(uc, key, so->unmet_class_kl[k]);
        }
        double kl = 0;
        for (int i = 0; i < so->nflow; i++) kl += so->flow[i].kl;
        cJSON_AddNumberToObject(j, "flows", so->nflow);
        cJSON_AddNumberToObject(j, "planned_kl", kl);
    }
    cJSON *m = cJSON_AddObjectToObject(j, "model");
    cJSON_AddNumberToObject(m, "rows", so->rows);
    cJSON_AddNumberToObject(m, "cols", so->cols);
    cJSON_AddNumberToObject(m, "nonzeros", so->nonzeros);
    cJSON *s = cJSON_AddObjectToObject(j, "solve");
    /* no wall times here: the same seed writes the same bytes (stdout says how long) */
    cJSON_AddNumberToObject(s, "simplex_iterations", so->iterations);
    if (p->integer) {
        cJSON_AddNumberToObject(s, "mip_gap", so->mip_gap);
        cJSON_AddNumberToObject(s, "mip_gap_target", p->mip_gap);
        cJSON_AddNumberToObject(s, "nodes", so->nodes);
        cJSON_AddNumberToObject(s, "node_limit", p->node_lim);
        cJSON_AddNumberToObject(s, "integer_periods", p->int_periods > 0 ? p->int_periods : so->nperiod);
    }
    if (so->status != OPT_FAILED) psh_json_add(j, ps, so);
    char *out = json_take_text(j);
    return out;
}

int cli_opt_params(const CliArgs *a, OptParams *p)
{
    opt_params_default(p);
    if (cli_double(a, "--horizon", p->horizon_h, 1, 720, &p->horizon_h) ||
        cli_double(a, "--step", p->step_h, 1, 168, &p->step_h) ||
        cli_double(a, "--growth", p->growth, 1, 4, &p->growth) ||
        cli_double(a, "--replan", p->replan_h, 1, 720, &p->replan_h) ||
        cli_double(a, "--event-gap", p->event_gap_h, 0, 720, &p->event_gap_h) ||
        cli_double(a, "--inspect", p->inspect_h, 0, 720, &p->inspect_h))
        return -1;
    const char *fc = cli_str(a, "--forecast", NULL);
    if (fc) {
        int k = 0;
        while (k < OPT_NFC && strcmp(fc, opt_forecast_name[k])) k++;
        if (k == OPT_NFC) {
            cli_usage_error(a->cmd, "--forecast: \"%s\" is not median, p90 or perfect", fc);
            return -1;
        }
        p->forecast = k;
    }
    const char *why = opt_params_check(p);
    if (why) {
        cli_usage_error(a->cmd, "planner options: %s", why);
        return -1;
    }
    return 0;
}

/* The first paragraph of plan.md: what was planned, and its result. */
static char *md_head(const World *w, uint64_t seed, uint64_t rep, const OptParams *p, const OptSolution *so,
                     const RunProv *rp, int ja)
{
    StrBuf b = {0};
    const char *scen = ja && w->name_ja ? w->name_ja : w->name_en ? w->name_en : w->id;
    sb_printf(&b,
              ja ? "%s(%s)、シード %llu 反復 %llu、発災後 %.0f 時間の状態から %g 時間の計画(%s)。"
                   "目的関数 %.3f(重み付き不足 %.3f)、計画不足 kL 優先1-4: %.1f %.1f %.1f %.1f。\n"
                 : "%s (%s), seed %llu replicate %llu: planned from the state at hour %.0f over %g h (%s). "
                   "Objective %.3f weighted kL (unmet demand %.3f); planned unmet kL by class 1-4: %.1f %.1f %.1f %.1f.\n",
              scen, w->id, (unsigned long long)seed, (unsigned long long)rep, so->t0_h, p->horizon_h,
              opt_status_name[so->status], so->objective, so->unmet_weighted, so->unmet_class_kl[0],
              so->unmet_class_kl[1], so->unmet_class_kl[2], so->unmet_class_kl[3]);
    sb_printf(&b, "\nfuelsim %s (%s): `%s`\n", rp->version, rp->commit, rp->command);
    return sb_take(&b);
}

/* plan.csv, plan.json, plan.md, plan.xlsx and the report; an exit code. */
static int write_plan(const CliArgs *a, const char *out, const World *w, int quake, uint64_t seed, uint64_t rep,
                      const OptParams *p, const OptSolution *so, const PlanSheet *ps, const char *lang)
{
    RunProv rp;
    char *pcmd = NULL;
    cli_prov(a, seed, &rp, &pcmd);
    char *p_csv = path_join(out, "plan.csv"), *p_json = path_join(out, "plan.json");
    char *p_md = path_join(out, "plan.md"), *p_xlsx = path_join(out, "plan.xlsx");
    char *text = plan_json(w, quake, seed, rep, p, so, ps, &rp, cli_str(a, "--start", NULL)), *md = NULL;
    int rc = 1;
    int bad = psh_write_csv(p_csv, ps) != 0 || out_write_string(p_json, text) != 0;
    if (!bad && so->status != OPT_FAILED) {
        char *head = md_head(w, seed, rep, p, so, &rp, ps->ja);
        md = psh_markdown(ps, so, head);
        free(head);
        bad = out_write_string(p_md, md) != 0;
    }
    if (bad) {
        fprintf(stderr, "fuelsim plan: writing %s failed: %s\n", out, strerror(errno));
        goto done;
    }
    if (so->status != OPT_FAILED) {
        char err[512], at[32];
        snprintf(at, sizeof at, "%g", so->t0_h);
        const char *extra[] = {"plan at hour", at, "language", lang, NULL};
        if (xlsx_write_plan(p_xlsx, ps, so, &rp, extra, err, sizeof err) != 0) {
            fprintf(stderr, "fuelsim plan: %s\n", err);
            goto done;
        }
        if (cli_report_after("fuelsim plan", out, w, lang) != 0) goto done;
    }
    rc = 0;
done:
    free(text); free(md); free(pcmd);
    free(p_csv); free(p_json); free(p_md); free(p_xlsx);
    return rc;
}

/* --lang and --start; -1 after a usage message. */
static int sheet_args(const CliArgs *a, const char **lang, int *have_start, int64_t *start_s)
{
    *lang = cli_str(a, "--lang", "en");
    if (strcmp(*lang, "en") != 0 && strcmp(*lang, "ja") != 0) {
        cli_usage_error(a->cmd, "--lang: \"%s\" is not ja or en", *lang);
        return -1;
    }
    const char *start = cli_str(a, "--start", NULL);
    *have_start = start != NULL;
    if (start && drl_parse_iso(start, start_s) != 0) {
        cli_usage_error(a->cmd, "--start: \"%s\" is not an ISO 8601 time like %s", start, DRL_DEFAULT_START);
        return -1;
    }
    return 0;
}

static int run_plan(const CliArgs *a)
{
    uint64_t seed, rep;
    const char *out, *lang;
    if (cli_seed_rep_out_args(a, &seed, &rep, &out)) return 2;
    double at;
    if (cli_double(a, "--at", 0, 0, 1e6, &at)) return 2;
    OptParams p;
    if (cli_opt_params(a, &p)) return 2;
    p.integer = cli_flag(a, "--integer");
    const char *lp = cli_str(a, "--write-lp", NULL);
    if (lp && !*lp) return cli_usage_error(a->cmd, "--write-lp: empty file name");
    p.names = lp != NULL;
    int have_start;
    int64_t start_s = 0;
    if (sheet_args(a, &lang, &have_start, &start_s)) return 2;

    World *w = cli_load_world(a->pos[0]);
    if (!w) return 2;
    int nh = (int)ceil(w->horizon_h - 1e-9);
    if (at > nh - 1) {
        int rc = cli_usage_error(a->cmd, "--at: %g is past the last hour simulated (%d)", at, nh - 1);
        world_free(w);
        return rc;
    }
    if (out_mkdir(out) != 0) {
        fprintf(stderr, "fuelsim plan: cannot create %s: %s\n", out, strerror(errno));
        world_free(w);
        return 1;
    }
    int quake = w->default_quake;
    SupModel *m = sup_model_new(w, quake);
    if (!m) { world_free(w); return 1; }
    OptPlanner *pl = opt_planner_new(w, &p, rep);
    opt_planner_capture(pl, ceil(at - 1e-9));
    opt_planner_value_roads(pl, OPT_ROAD_PROBES);
    SupOptions opt = {SUP_OPTIMISE, NULL, opt_planner_tick, pl};
    SupResult res;
    memset(&res, 0, sizeof res);
    int rc = 1;
    OptExplain *ex = NULL;
    PlanSheet *ps = NULL;
    if (sup_run(m, seed, rep, &opt, &res) != 0) goto done;
    OptStats st;
    opt_planner_stats(pl, &st);
    const OptSolution *so = opt_plan_solution(opt_planner_plan(pl));
    if (!st.captured) {
        fprintf(stderr, "fuelsim plan: the simulation never reached hour %g\n", at);
        goto done;
    }
    ex = opt_plan_explain(opt_planner_plan(pl));
    ps = psh_build(w, so, ex, strcmp(lang, "ja") == 0, have_start, start_s);
    if (write_plan(a, out, w, quake, seed, rep, &p, so, ps, lang) != 0) goto done;
    if (lp && opt_plan_write_lp(opt_planner_plan(pl), lp) != 0) {
        fprintf(stderr, "fuelsim plan: writing %s failed: %s\n", lp, strerror(errno));
        goto done;
    }
    if (so->status == OPT_FAILED) {
        fprintf(stderr, "fuelsim plan: the solve failed: %s\n", so->why);
        goto done;
    }
    printf("%s, seed %llu rep %llu, plan at hour %.0f over %g h: %s, objective %.6g, unmet kL by class "
           "%.1f %.1f %.1f %.1f, %d flows (%.1f kL); model %d rows, %d columns, %d nonzeros; solved in %.1f ms\n",
           w->id, (unsigned long long)seed, (unsigned long long)rep, so->t0_h, p.horizon_h,
           opt_status_name[so->status], so->objective, so->unmet_class_kl[0], so->unmet_class_kl[1],
           so->unmet_class_kl[2], so->unmet_class_kl[3], so->nflow, ps->total_kl, so->rows, so->cols, so->nonzeros,
           so->solve_ms);
    rc = 0;
done:
    psh_free(ps);
    opt_explain_free(ex);
    sup_result_free(&res);
    opt_planner_free(pl);
    opt_thread_done();
    sup_model_free(m);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_plan = {
    "plan", "DIR --seed S [--rep R] [--at H] [--horizon H] [--step H] [--integer] [--lang ja|en] [--start ISO] --out OUT [--write-lp FILE]",
    "emergency transport plan (GLPK) for one sampled outcome",
    "Samples one damage outcome (seed, replicate) of the scenario's default earthquake,\n"
    "simulates it with greedy dispatch up to hour H and plans from that state: a\n"
    "time-expanded LP over the horizon in periods of --step hours, each next one\n"
    "--growth times longer (sources with their stock and forecast restored output,\n"
    "demand with priority weights, lorry, tanker, rail and SDF movements within\n"
    "fleet, rack, berth and siding capacity). Minimises\n"
    "priority-weighted unmet demand, then a shortfall of safety stock at classes 1-2\n"
    "(a quarter of their weight), then transport cost. Writes the tasking sheets per\n"
    "asset group by day and period (place names in --lang, times on the exercise clock\n"
    "with --start) as OUT/plan.md, OUT/plan.xlsx and OUT/plan.csv (one row per flow, names\n"
    "beside the ids); OUT/plan.json (objective and its terms, unmet by class, status,\n"
    "model size, simplex iterations; gap and nodes with --integer; the tasking, totals, the\n"
    "bottlenecks ranked by their marginal value from the LP's duals (with --integer, of the\n"
    "LP with the whole trips fixed), what a berth, rack or siding back or a fleet ready an\n"
    "hour earlier saves (the LP solved again), what a closed road opened now instead of at\n"
    "its forecast return saves and per hour earlier (the plan solved again with the road open;\n"
    "screened: roads on a shortest path from a loading source, at most 64), and why each\n"
    "short point is short);\n"
    "OUT/report.html (map of the planned flows and unmet demand; `fuelsim\n"
    "report OUT --pdf` prints it). --write-lp writes the same model for any other LP solver.",
    1, 1, plan_opts, run_plan, 7};

/* ---- fuelsim bench plan ------------------------------------------------------------ */

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One replicate with the given planner parameters (NULL: greedy): CPU
 * seconds and weighted shortfall; the planner's counts added to *st. */
static int bench_one(const SupModel *m, const World *w, uint64_t seed, uint64_t rep, const OptParams *p,
                     OptStats *st, double *cpu, double *shortfall)
{
    OptPlanner *pl = p ? opt_planner_new(w, p, rep) : NULL;
    SupOptions opt = {pl ? SUP_OPTIMISE : SUP_GREEDY, NULL, pl ? opt_planner_tick : NULL, pl};
    SupResult res;
    memset(&res, 0, sizeof res);
    double c0 = thread_cpu_s();
    int rc = sup_run(m, seed, rep, &opt, &res);
    *cpu += thread_cpu_s() - c0;
    if (rc == 0) *shortfall += res.weighted_shortfall;
    if (pl) {
        OptStats s;
        opt_planner_stats(pl, &s);
        st->solves += s.solves; st->warm_solves += s.warm_solves; st->failures += s.failures;
        st->replans_clock += s.replans_clock; st->replans_event += s.replans_event;
        st->cpu_ms += s.cpu_ms; st->first_cpu_ms += s.first_cpu_ms; st->iterations += s.iterations;
        st->rows += s.rows; st->cols += s.cols; st->nonzeros += s.nonzeros;
    }
    sup_result_free(&res);
    opt_planner_free(pl);
    return rc;
}

int cli_bench_plan(const CliArgs *a)
{
    static const char *const other[] = {"--lambda", "--mu", "--servers", "--customers", "--pending", "--events",
                                        "--repeat", NULL};
    for (int i = 0; other[i]; i++)
        if (cli_str(a, other[i], NULL)) return cli_usage_error(a->cmd, "%s is not an option of bench plan", other[i]);
    uint64_t seed, n;
    if (cli_u64(a, "--seed", 1, &seed) || cli_u64(a, "--reps", 10, &n)) return 2;
    if (n == 0) return cli_usage_error(a->cmd, "--reps must be at least 1");
    if (a->npos < 2) return cli_usage_error(a->cmd, "bench plan needs a scenario folder: bench plan DIR");
    OptParams p;
    if (cli_opt_params(a, &p)) return 2;
    World *w = cli_load_world(a->pos[1]);
    if (!w) return 2;
    SupModel *m = sup_model_new(w, w->default_quake);
    if (!m) { world_free(w); return 1; }
    OptStats st;
    memset(&st, 0, sizeof st);
    double cpu_o = 0, cpu_g = 0, ws_o = 0, ws_g = 0;
    int rc = 0;
    for (uint64_t rep = 0; rep < n && rc == 0; rep++) {
        rc = bench_one(m, w, seed, rep, &p, &st, &cpu_o, &ws_o);
        if (rc == 0) rc = bench_one(m, w, seed, rep, NULL, &st, &cpu_g, &ws_g);
    }
    opt_thread_done();
    if (rc == 0) {
        double nn = (double)n, ns = st.solves ? (double)st.solves : 1;
        printf("plan scenario=%s quake=%s seed=%llu replicates=%llu horizon_h=%g step_h=%g growth=%g replan_h=%g event_gap_h=%g "
               "forecast=%s rows=%.0f cols=%.0f nonzeros=%.0f cpu_ms_per_replicate=%.1f "
               "greedy_cpu_ms_per_replicate=%.1f replans_per_replicate=%.1f (clock %.1f, event %.1f) "
               "replan_cpu_ms_mean=%.2f first_solve_cpu_ms=%.1f iterations_per_replan=%.0f failures=%ld "
               "weighted_shortfall=%.1f greedy_weighted_shortfall=%.1f\n",
               w->id, w->default_quake >= 0 ? w->quake[w->default_quake].id : "none", (unsigned long long)seed,
               (unsigned long long)n, p.horizon_h, p.step_h, p.growth, p.replan_h, p.event_gap_h, opt_forecast_name[p.forecast],
               st.rows / nn, st.cols / nn, st.nonzeros / nn, 1e3 * cpu_o / nn, 1e3 * cpu_g / nn, st.solves / nn,
               st.replans_clock / nn, st.replans_event / nn, st.cpu_ms / ns, st.first_cpu_ms / nn,
               st.iterations / ns, st.failures, ws_o / nn, ws_g / nn);
    }
    sup_model_free(m);
    world_free(w);
    return rc ? 1 : 0;
}
