/* `fuelsim run`: one replicate of the supply chain with its full trace,
 * metrics and hourly time series, each written whole into OUT. */
#include "cli_cmds.h"
#include "optimise.h"
#include "supply.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const CliOpt run_opts[] = {
    CLI_OPT_SEED_REQ,
    CLI_OPT_REP,
    CLI_OPT_QUAKE,
    CLI_OPTS_POLICY,
    CLI_OPT_OUT,
    CLI_OPT_END};

/* Resolve --quake: an index, -1 for none, or -2 after a usage error. */
int cli_quake_arg(const CliArgs *a, const World *w, int allow_none)
{
    const char *q = cli_str(a, "--quake", NULL);
    if (!q) return w->default_quake;
    if (allow_none && strcmp(q, "none") == 0) return -1;
    int k = world_find_quake(w, q);
    if (k < 0) {
        StrBuf known = {0};
        for (int i = 0; i < w->nquake; i++) sb_printf(&known, "%s%s", i ? ", " : "", w->quake[i].id);
        if (allow_none) sb_printf(&known, "%snone", w->nquake ? ", " : "");
        char *list = sb_take(&known);
        cli_usage_error(a->cmd, "--quake: \"%s\" is not an earthquake of %s (known: %s)", q, w->dir, list);
        free(list);
        return -2;
    }
    return k;
}

World *cli_load_world_quake(const CliArgs *a, int allow_none, int *quake)
{
    World *w = cli_load_world(a->pos[0]);
    if (!w) return NULL;
    *quake = cli_quake_arg(a, w, allow_none);
    if (*quake == -2) { world_free(w); return NULL; }
    return w;
}

cJSON *cli_json_replicate(const World *w, int quake, uint64_t seed, uint64_t rep)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "scenario", w->id);
    cJSON_AddStringToObject(j, "quake", quake >= 0 ? w->quake[quake].id : "none");
    cJSON_AddNumberToObject(j, "seed", (double)seed);
    cJSON_AddNumberToObject(j, "rep", (double)rep);
    return j;
}

cJSON *cli_run_metrics_json(const World *w, int quake, uint64_t seed, uint64_t rep, const SupResult *r)
{
    cJSON *j = cli_json_replicate(w, quake, seed, rep);
    cJSON_AddNumberToObject(j, "horizon_h", w->horizon_h);
    cJSON *un = cJSON_AddObjectToObject(j, "unserved_kl");
    for (int p = 0; p < NPROD; p++) {
        cJSON *o = cJSON_AddObjectToObject(un, world_product_name[p]);
        for (int k = 0; k < NCLASS; k++) {
            char key[32];
            snprintf(key, sizeof key, "class%d", k + 1);
            cJSON_AddNumberToObject(o, key, r->unserved_kl[p][k]);
        }
    }
    cJSON *uc = cJSON_AddObjectToObject(j, "unserved_kl_by_class");
    for (int k = 0; k < NCLASS; k++) {
        char key[32];
        snprintf(key, sizeof key, "class%d", k + 1);
        cJSON_AddNumberToObject(uc, key, r->unserved_class_kl[k]);
    }
    cJSON_AddNumberToObject(j, "weighted_shortfall", r->weighted_shortfall);
    cJSON_AddNumberToObject(j, "dry_hours_class1", r->dry_hours_class1);
    cJSON_AddNumberToObject(j, "t90_supply_h", r->t90_supply_h);
    cJSON_AddNumberToObject(j, "resilience_loss", r->resilience_loss);
    cJSON *fr = cJSON_AddObjectToObject(j, "facility_restoration_h");
    for (int f = 0; f < w->nfac; f++) cJSON_AddNumberToObject(fr, w->fac[f].id, r->fac_restore_h[f]);
    cJSON *au = cJSON_AddObjectToObject(j, "asset_utilisation");
    for (int a = 0; a < w->nasset; a++) cJSON_AddNumberToObject(au, w->asset[a].id, r->asset_util[a]);
    cJSON_AddNumberToObject(j, "rack_wait_mean_h", r->rack_wait_mean_h);
    cJSON_AddNumberToObject(j, "berth_wait_mean_h", r->berth_wait_mean_h);
    cJSON_AddNumberToObject(j, "trips", (double)r->trips);
    cJSON_AddNumberToObject(j, "events", (double)r->events);
    cJSON *b = cJSON_AddObjectToObject(j, "balance");
    const SupBalance *s = &r->balance;
    cJSON_AddNumberToObject(b, "initial_inventory_kl", s->initial_inventory_kl);
    cJSON_AddNumberToObject(b, "produced_kl", s->produced_kl);
    cJSON_AddNumberToObject(b, "consumed_kl", s->consumed_kl);
    cJSON_AddNumberToObject(b, "final_inventory_kl", s->final_inventory_kl);
    cJSON_AddNumberToObject(b, "in_transit_kl", s->in_transit_kl);
    cJSON_AddNumberToObject(b, "lost_kl", s->lost_kl);
    cJSON_AddNumberToObject(b, "residual_kl", s->initial_inventory_kl + s->produced_kl - s->consumed_kl -
                            s->final_inventory_kl - s->in_transit_kl - s->lost_kl);
    return j;
}

int cli_run_write_timeseries(const char *path, const SupResult *r)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    fprintf(o->f, "hour,served_class1,served_class2,served_class3,served_class4,served_all");
    for (int k = 0; k < NFACKIND; k++) fprintf(o->f, ",inv_%s_kl", world_fac_kind_name[k]);
    fprintf(o->f, ",assets_in_use\n");
    for (int h = 0; h < r->nhours; h++) {
        fprintf(o->f, "%d", h);
        for (int k = 0; k < NCLASS; k++) fprintf(o->f, ",%.6f", r->served[k][h]);
        fprintf(o->f, ",%.6f", r->served_all[h]);
        for (int k = 0; k < NFACKIND; k++) fprintf(o->f, ",%.3f", r->inv_by_kind[k][h]);
        fprintf(o->f, ",%.0f\n", r->assets_busy[h]);
    }
    return out_commit(o);
}

static int run_run(const CliArgs *a)
{
    uint64_t seed, rep;
    const char *out;
    int quake, optimise;
    OptParams op;
    if (cli_seed_rep_out_args(a, &seed, &rep, &out)) return 2;
    if (cli_policy_args(a, &optimise, &op)) return 2;
    World *w = cli_load_world_quake(a, 1, &quake);
    if (!w) return 2;
    if (out_mkdir(out) != 0) {
        fprintf(stderr, "fuelsim run: cannot create %s: %s\n", out, strerror(errno));
        world_free(w);
        return 1;
    }
    SupModel *m = sup_model_new(w, quake);
    if (!m) { world_free(w); return 1; }
    char *p_trace = path_join(out, "trace.csv"), *p_metrics = path_join(out, "metrics.json"),
         *p_ts = path_join(out, "timeseries.csv");
    int rc = 1;
    OptPlanner *planner = NULL;
    if (optimise) planner = opt_planner_new(w, &op, rep);
    OutFile *tr = out_open(p_trace);
    SupResult res;
    memset(&res, 0, sizeof res);
    if (!tr) {
        fprintf(stderr, "fuelsim run: cannot write %s: %s\n", p_trace, strerror(errno));
        goto done;
    }
    SupOptions opt = {planner ? SUP_OPTIMISE : SUP_GREEDY, tr->f, planner ? opt_planner_tick : NULL, planner};
    if (sup_run(m, seed, rep, &opt, &res) != 0) { out_abort(tr); goto done; }
    cJSON *j = cli_run_metrics_json(w, quake, seed, rep, &res);
    OptStats ps = {0};
    if (!planner) cJSON_AddStringToObject(j, "policy", "greedy");
    if (planner) {
        opt_planner_stats(planner, &ps);
        cJSON_AddStringToObject(j, "policy", "optimise");
        cJSON_AddStringToObject(j, "forecast", opt_forecast_name[op.forecast]);
        cJSON *pj = cJSON_AddObjectToObject(j, "planner");
        cJSON_AddNumberToObject(pj, "plans", (double)ps.solves);
        cJSON_AddNumberToObject(pj, "warm_plans", (double)ps.warm_solves);
        cJSON_AddNumberToObject(pj, "failed_plans", (double)ps.failures);
        cJSON_AddNumberToObject(pj, "replans_clock", (double)ps.replans_clock);
        cJSON_AddNumberToObject(pj, "replans_event", (double)ps.replans_event);
        cJSON_AddNumberToObject(pj, "planned_trips", (double)ps.trips);
        cJSON_AddNumberToObject(pj, "planned_kl", ps.dispatched_kl);
    }
    char *withnl = json_take_text(j);
    /* the three files go in together or the run fails */
    int bad = out_commit(tr) != 0;
    bad |= !bad && out_write_string(p_metrics, withnl) != 0;
    bad |= !bad && cli_run_write_timeseries(p_ts, &res) != 0;
    free(withnl);
    if (bad) {
        fprintf(stderr, "fuelsim run: writing %s failed: %s\n", out, strerror(errno));
        goto done;
    }
    printf("%s, %s, seed %llu rep %llu: weighted shortfall %.1f, class-1 dry hours %.0f, "
           "t90 %.0f h, resilience loss %.2f h, %ld trips\n",
           w->id, quake >= 0 ? w->quake[quake].id : "no earthquake", (unsigned long long)seed,
           (unsigned long long)rep, res.weighted_shortfall, res.dry_hours_class1, res.t90_supply_h,
           res.resilience_loss, res.trips);
    if (!planner) printf("greedy dispatch\n");
    else
        printf("optimise (%s forecast): %ld plans (%ld warm), %ld failed, %ld planned trips\n", opt_forecast_name[op.forecast],
               ps.solves, ps.warm_solves, ps.failures, ps.trips);
    if ((rc = cli_report_after("fuelsim run", out, w, NULL)) != 0) goto done;
    rc = 0;
done:
    sup_result_free(&res);
    opt_planner_free(planner);
    opt_thread_done();
    sup_model_free(m);
    free(p_trace); free(p_metrics); free(p_ts);
    world_free(w);
    return rc;
}

const CliCmd cli_cmd_run = {
    "run", "DIR --seed S [--rep R] [--quake ID|none] [--policy greedy|optimise] --out OUT",
    "simulate one replicate of the supply chain",
    "Samples one damage outcome (seed, replicate) and simulates the fuel supply chain over\n"
    "the scenario's horizon. Writes OUT/trace.csv (every event), OUT/metrics.json\n"
    "(shortfall, dry hours, recovery, fuel balance) and OUT/timeseries.csv (hourly).",
    1, 1, run_opts, run_run, 5};
