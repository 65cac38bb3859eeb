/* Optimiser: LP and MIP optima worked out by hand on tiny scenarios built in
 * memory; plans that respect fleet capacity, mobilisation, products and
 * stock (recomputed here from the flows); re-planning inside the simulation
 * against greedy dispatch on the embedded scenario, byte-identical repeats,
 * fuel conservation; a forced solver failure falls back to greedy. */
#include "check.h"
#include "testutil.h"
#include "optimise.h"
#include "scenario.h"
#include "supply.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a tiny scenario -------------------------------------------------------------
 * One refinery `ref` with a rack (1 x 100 kL/h) and `stock_kl` of diesel, no
 * production; a class-1 hospital H1 using 48 kL/day (2 kL/h) and a class-4
 * service station S4 using 24 kL/day (1 kL/h), both empty with 100 kL tanks,
 * each 1 h from ref by road; one fleet given by `asset`. Weights 100 / 1. */

static const char *const tiny_names[] = {
    "scenario.json", "areas.csv", "assets.csv", "components.csv", "consumption.csv", "demand.csv",
    "earthquakes.csv", "facilities.csv", "fragility.csv", "grid.csv", "links.csv", "restoration.csv",
    "stock.csv"};
#define TINY_NF 13

/* The fleets of the tests, as assets.csv rows: one commercial lorry (10 kL,
 * at hand, no transport cost), and one SDF truck (10 kL, 6 h lead time). */
#define TINY_LORRY "lorry,Lorry,ローリー,lorry_commercial,road,1,10,diesel,40,ref,0,10,0,test"
#define TINY_SDF "sdf,SDF truck,自衛隊,sdf_truck,road,1,10,diesel,40,ref,6,10,0,test"

static World *tiny_world(double stock_kl, const char *asset)
{
    char stock[256], assets[512];
    snprintf(stock, sizeof stock, "facility,product,tank_kl,initial_kl,output_kl_d,source\nref,diesel,1000,%g,0,test\n", stock_kl);
    snprintf(assets, sizeof assets,
             "id,name_en,name_ja,type,mode,count,capacity_kl,products,speed_kmh,home,lead_time_h,load_rate_kl_h,cost_per_km,source\n%s\n",
             asset);
    const char *data[TINY_NF] = {
        "{\"id\": \"tiny\", \"name_en\": \"Tiny\", \"name_ja\": \"小\", \"horizon_h\": 48,\n"
        " \"default_quake\": \"far\", \"class_weights\": {\"1\": 100, \"2\": 30, \"3\": 10, \"4\": 1},\n"
        " \"capacity_fraction\": {\"none\": 1, \"slight\": 0.8, \"moderate\": 0.5, \"extensive\": 0.1, \"complete\": 0},\n"
        " \"request_threshold_days\": 0.5,\n"
        " \"hazard\": {\"sigma_between_ln\": 0.3, \"sigma_within_ln\": 0.5, \"corr_range_km\": 40,\n"
        "            \"corr_range_pgv_km\": 26, \"trip_pga_g\": 0.18, \"trip_inspection_h\": 240},\n"
        " \"tables\": {\"areas\": \"areas.csv\", \"fragility\": \"fragility.csv\", \"restoration\": \"restoration.csv\",\n"
        "  \"earthquakes\": \"earthquakes.csv\", \"facilities\": \"facilities.csv\", \"demand\": \"demand.csv\",\n"
        "  \"components\": \"components.csv\", \"stock\": \"stock.csv\", \"links\": \"links.csv\",\n"
        "  \"assets\": \"assets.csv\", \"consumption\": \"consumption.csv\", \"grid\": \"grid.csv\"}}\n",
        "id,name_en,name_ja,source\na1,Area,地区,test\n",
        assets,
        "id,facility,kind,fragility_class,pgd_fragility_class,restoration_class,count,rate_kl_h,source\n"
        "ref_rack,ref,rack,rack_f,,rack_r,1,100,test\n",
        "point,product,when,use_kl_d,storage_kl,initial_kl,source\n"
        "H1,diesel,always,48,100,0,test\nS4,diesel,always,24,100,0,test\n",
        "id,name_en,name_ja,prefecture,kind,priority,lat,lon,area,avs30_ms,liq_susceptibility,gw_depth_m,source\n"
        "H1,Hospital,病院,Tokyo,hospital,1,35.50,139.70,a1,400,none,5,test\n"
        "S4,Station,給油所,Tokyo,service_station,4,35.45,139.75,a1,400,none,5,test\n",
        "id,name_en,name_ja,mw,lat,lon,depth_km,fault_type,strike_deg,dip_deg,length_km,width_km,top_km,source\n"
        "far,Far,遠地,6,45,150,50,crustal,0,90,0,0,50,test\n",
        "id,name_en,name_ja,kind,operator,lat,lon,area,avs30_ms,liq_susceptibility,gw_depth_m,has_generator,source\n"
        "ref,Refinery,製油所,refinery,Op,35.40,139.64,a1,400,none,5,1,test\n",
        "class,ds,param,median,beta,source\nrack_f,slight,pga_g,0.38,0.45,test\nrack_f,moderate,pga_g,0.6,0.45,test\n"
        "rack_f,extensive,pga_g,0.98,0.5,test\nrack_f,complete,pga_g,1.26,0.45,test\n",
        "area,facility,share,source\na1,ref,1,test\n",
        "id,mode,from,to,distance_km,time_h,emergency_road,fragility_class,restoration_class,clear_h,source\n"
        "r1,road,ref,H1,40,1,1,,,0,test\nr2,road,ref,S4,40,1,1,,,0,test\n",
        "class,ds,mean_days,sd_days,source\nrack_r,slight,0.4,0.1,test\nrack_r,moderate,3,2.2,test\n"
        "rack_r,extensive,14,12,test\nrack_r,complete,190,80,test\n",
        stock};
    size_t len[TINY_NF];
    for (int i = 0; i < TINY_NF; i++) len[i] = strlen(data[i]);
    Diag d;
    diag_init(&d);
    World *w = scn_load_mem(tiny_names, data, len, TINY_NF, &d);
    if (!w) diag_print(&d, stderr);
    diag_free(&d);
    return w;
}

/* ---- planning at an hour of a replicate --------------------------------------------- */

typedef struct Planned {
    SupModel *m;
    OptPlanner *pl;
    SupResult res;
    OptStats st;
} Planned;

/* Simulate greedily to hour at, plan there; NULL when it did not happen. */
static const OptSolution *plan_at(Planned *x, const World *w, int quake, uint64_t seed, double at,
                                  const OptParams *p)
{
    memset(x, 0, sizeof *x);
    x->m = sup_model_new(w, quake);
    x->pl = opt_planner_new(w, p, 0);
    if (!x->m || !x->pl) return NULL;
    opt_planner_capture(x->pl, at);
    SupOptions o = {SUP_OPTIMISE, NULL, opt_planner_tick, x->pl};
    if (sup_run(x->m, seed, 0, &o, &x->res) != 0) return NULL;
    opt_planner_stats(x->pl, &x->st);
    return x->st.captured ? opt_plan_solution(opt_planner_plan(x->pl)) : NULL;
}

static void planned_free(Planned *x)
{
    sup_result_free(&x->res);
    opt_planner_free(x->pl);
    sup_model_free(x->m);
}

/* The tiny world's plan at hour 0 (no earthquake, seed 1), checked to be
 * optimal; NULL when it is not. */
static const OptSolution *plan_optimal(Planned *x, const World *w, const OptParams *p)
{
    const OptSolution *so = plan_at(x, w, -1, 1, 0, p);
    CHECK(so != NULL && so->status == OPT_OPTIMAL);
    return so && so->status == OPT_OPTIMAL ? so : NULL;
}

static void tiny_params(OptParams *p)
{
    opt_params_default(p);
    p->horizon_h = 12;
    p->step_h = 6;
    p->cost_weight = 0;     /* the objective is the weighted unmet demand alone */
    p->buffer_weight = 0;
}

/* Periods of 6 h starting at the hour-0 tick (hour 0 is consumed before the
 * plan, so the periods hold hours 1-6 and 7-12): H1 needs 12 kL per period,
 * S4 6 kL. A lorry trip is 1 h loading (10 kL at 10 kL/h), 1 h out, 1 h
 * unloading, 1 h back: 4 h for 10 kL, i.e. 4 kL-hours of fleet per kL; one
 * unit has 6 h x 10 kL = 60 kL-hours per period, so it moves 15 kL. */
TEST(lp_optimum_equals_the_hand_computed_objective)
{
    OptParams p;
    tiny_params(&p);
    Planned x;

    /* Stock-bound: 20 kL for 24 + 12 kL of demand. All 20 kL go to H1 (15 in
     * period 1, 5 in period 2), H1 misses 4 kL, S4 all 12:
     * 100 x 4 + 1 x 12 = 412. */
    TU_WORLD_OR_FAIL(w, tiny_world(20, TINY_LORRY));
    const OptSolution *so = plan_optimal(&x, w, &p);
    if (so) {
        CHECK_NEAR(so->objective, 412, 1e-6);
        CHECK_NEAR(so->unmet_class_kl[0], 4, 1e-6);
        CHECK_NEAR(so->unmet_class_kl[3], 12, 1e-6);
        /* the dual of the first period's stock: one more kL would reach H1 */
        double best = 0;
        for (int st = 0; st < so->nstock; st++) best = fmax(best, so->stock_dual[st * so->nperiod]);
        CHECK_NEAR(best, 100, 1e-6);
    }
    planned_free(&x);
    world_free(w);

    /* Fleet-bound: 100 kL in stock, 15 kL moved per period for 18 kL of
     * demand: H1 gets its 12, S4 3 of 6, twice: 1 x (3 + 3) = 6. */
    w = tiny_world(100, TINY_LORRY);
    so = plan_optimal(&x, w, &p);
    if (so) {
        CHECK_NEAR(so->objective, 6, 1e-6);
        CHECK_NEAR(so->unmet_class_kl[0], 0, 1e-6);
        /* a kL-hour more of lorry carries 1/4 kL more to S4 (weight 1) */
        int road = -1;
        for (int c = 0; c < so->ncapset; c++)
            if (so->capset_mode[c] == MODE_ROAD) road = c;
        CHECK(road >= 0);
        if (road >= 0) CHECK_NEAR(so->fleet_dual[road * so->nperiod], 0.25, 1e-6);
    }
    planned_free(&x);

    /* With a safety stock (buffer weight 0.25): H1's target is its request
     * level, 0.5 day x 48 kL/day = 24 kL (more than a period's 12), and each
     * kL short of it at a period's end costs 0.25 x 100 = 25. A kL kept at
     * H1 is worth 25, at S4 only 1, so H1 takes all 15 kL of each period: it
     * ends period 1 with 3 kL (21 short), period 2 with 6 (18 short), S4
     * misses 12 kL: 25 x (21 + 18) + 1 x 12 = 975 + 12 = 987. (Missing
     * demand on purpose to hold stock does not pay: 100 per kL against 2 x 25.) */
    p.buffer_weight = 0.25;
    so = plan_optimal(&x, w, &p);
    if (so) {
        CHECK_NEAR(so->objective, 987, 1e-6);
        CHECK_NEAR(so->buffer_term, 975, 1e-6);
        CHECK_NEAR(so->unmet_weighted, 12, 1e-6);
    }
    planned_free(&x);
    p.buffer_weight = 0;

    /* Whole trips in both periods (MIP): a trip holds the fleet for its
     * full 4 h x 10 kL = 40 kL-hours, so one trip (10 kL) per 60 kL-hour
     * period. H1 gets 10 of 12 twice, S4 nothing: 100 x 4 + 1 x 12 = 412. */
    p.integer = 1;
    p.int_periods = 0;
    so = plan_optimal(&x, w, &p);
    if (so) {
        CHECK_NEAR(so->objective, 412, 1e-6);
        CHECK_NEAR(so->mip_gap, 0, 1e-9);
        for (int i = 0; i < so->nflow; i++) CHECK_NEAR(so->flow[i].kl, 10, 1e-6);
    }
    planned_free(&x);
    /* Whole trips in the first period only (the default): one trip there
     * (H1 misses 2 kL), 15 kL in the second (H1 12, S4 3 of 6), S4 misses
     * 6 + 3: 100 x 2 + 1 x 9 = 209. */
    p.int_periods = 1;
    so = plan_optimal(&x, w, &p);
    if (so) CHECK_NEAR(so->objective, 209, 1e-6);
    planned_free(&x);
    world_free(w);

    /* Mobilisation: the only truck is SDF's, 6 h lead time, not yet asked
     * for at hour 0: nothing moves in period 1 (H1 misses 12, S4 6), then 15
     * kL as above (S4 misses 3): 100 x 12 + 1 x (6 + 3) = 1209. */
    p.integer = 0;
    w = tiny_world(100, TINY_SDF);
    so = plan_optimal(&x, w, &p);
    if (so) {
        CHECK_NEAR(so->objective, 1209, 1e-6);
        CHECK_NEAR(so->fleet_kh[0], 0, 1e-12);
        CHECK_NEAR(so->fleet_kh[1], 60, 1e-9);
        for (int i = 0; i < so->nflow; i++) CHECK(so->flow[i].period == 1);
    }
    planned_free(&x);
    world_free(w);
}

/* With a small transport cost, the unmet part is unchanged and the second
 * term stays small. */
TEST(transport_cost_is_a_small_second_term)
{
    OptParams p;
    tiny_params(&p);
    p.cost_weight = 1;
    Planned x;
    TU_WORLD_OR_FAIL(w, tiny_world(20, "lorry,Lorry,ローリー,lorry_commercial,road,1,10,diesel,40,ref,0,10,400,test"));
    const OptSolution *so = plan_optimal(&x, w, &p);
    if (so) {
        CHECK_NEAR(so->unmet_weighted, 412, 1e-6);
        CHECK(so->transport_cost > 0 && so->transport_cost < 1);
    }
    planned_free(&x);
    world_free(w);
}

/* ---- constraints, recomputed from the flows ------------------------------------------ */

/* Every flow: a fleet that may carry the product on its own mode, departing
 * at its period's start, not before the fleet is available; per fleet and
 * period, kL x trip hours within the fleet's kL-hours; per source, the
 * inventory rebuilt from the flows never negative and equal to the plan's. */
static void check_plan(const World *w, const OptSolution *so)
{
    int K = so->nperiod;
    double *used = xcalloc((size_t)w->nasset * K + 1, sizeof *used);
    double *out = xcalloc((size_t)w->nstock * K + 1, sizeof *out);
    double *in = xcalloc((size_t)w->nstock * K + 1, sizeof *in);
    int bad_product = 0, bad_mode = 0, bad_time = 0, early = 0;
    for (int i = 0; i < so->nflow; i++) {
        const OptFlow *f = &so->flow[i];
        const Asset *as = &w->asset[f->fleet];
        if (!(as->products & (1u << f->product))) bad_product++;
        if ((int)as->mode != f->mode) bad_mode++;
        if (f->kl <= 0 || f->period < 0 || f->period >= K ||
            fabs(f->depart_h - (so->t0_h + so->period_start_h[f->period])) > 1e-9 || f->arrive_h < f->depart_h)
            bad_time++;
        if (so->t0_h + so->period_start_h[f->period + 1] <= so->fleet_ready_h[f->fleet] + 1e-9) early++;
        used[f->fleet * K + f->period] += f->kl * f->trip_h;
        int s = world_find_stock(w, f->src, f->product);
        if (s >= 0) out[s * K + f->period] += f->kl;
        if (f->dest_stock >= 0) {
            int ka = f->period;
            while (ka < K && so->t0_h + so->period_start_h[ka + 1] <= f->arrive_h + 1e-9) ka++;
            if (ka < K) in[f->dest_stock * K + ka] += f->kl;
        }
    }
    CHECK(bad_product == 0);
    CHECK(bad_mode == 0);
    CHECK(bad_time == 0);
    CHECK(early == 0);
    int over = 0;
    for (int a = 0; a < w->nasset; a++)
        for (int k = 0; k < K; k++) {
            double cap = so->fleet_kh[a * K + k];
            if (used[a * K + k] > cap + 1e-6 * (1 + cap)) {
                over++;
                fprintf(stderr, "fleet %s period %d: %.6f kL-h used of %.6f\n", w->asset[a].id, k, used[a * K + k], cap);
            }
        }
    CHECK(over == 0);
    int negative = 0, differs = 0, above = 0;
    for (int s = 0; s < w->nstock; s++) {
        if (so->stock_start[s] < 0) continue;
        double inv = so->stock_start[s];
        for (int k = 0; k < K; k++) {
            inv += so->stock_in[s * K + k] + so->stock_prod[s * K + k] - out[s * K + k] + in[s * K + k];
            double tol = 1e-6 * (1 + fabs(inv));
            if (inv < -tol) negative++;
            if (fabs(inv - so->stock_inv[s * K + k]) > 1e-5 * (1 + fabs(inv))) differs++;
            if (inv > so->stock_cap[s * K + k] + tol) above++;
        }
    }
    CHECK(negative == 0);
    CHECK(differs == 0);
    CHECK(above == 0);
    free(used);
    free(out);
    free(in);
}

TEST(plans_respect_fleets_products_mobilisation_and_stock)
{
    OptParams p;
    tiny_params(&p);
    Planned x;
    /* the lorry on 20 kL, the SDF truck on 100 kL */
    static const char *const fleet[] = {TINY_LORRY, TINY_SDF};
    static const double stock_kl[] = {20, 100};
    for (int i = 0; i < 2; i++) {
        World *tw = tiny_world(stock_kl[i], fleet[i]);
        CHECK(tw != NULL);
        if (!tw) continue;
        const OptSolution *so = plan_at(&x, tw, -1, 1, 0, &p);
        CHECK(so != NULL && so->nflow > 0);
        if (so) check_plan(tw, so);
        planned_free(&x);
        world_free(tw);
    }
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    /* at the shock with the default horizon; at hour 30 (roads open, SDF
     * mobilised) over 24 h, which keeps the cold solve short */
    static const double hours[] = {0, 30}, horizons[] = {72, 24};
    for (int i = 0; i < 2; i++) {
        opt_params_default(&p);
        p.horizon_h = horizons[i];
        const OptSolution *so = plan_at(&x, w, w->default_quake, 7, hours[i], &p);
        CHECK(so != NULL && so->status == OPT_OPTIMAL && so->nflow > 0);
        if (so) check_plan(w, so);
        planned_free(&x);
    }
    world_free(w);
}

/* ---- inside the simulation ------------------------------------------------------------ */

typedef struct Sim {
    SupResult r;
    OptStats st;
    char *trace;
    size_t len;
} Sim;

static int simulate(const World *w, int quake, uint64_t seed, int optimise, const OptParams *p, Sim *s)
{
    memset(s, 0, sizeof *s);
    SupModel *m = sup_model_new(w, quake);
    if (!m) return -1;
    OptPlanner *pl = optimise ? opt_planner_new(w, p, seed) : NULL;
    FILE *f = open_memstream(&s->trace, &s->len);
    SupOptions o = {optimise ? SUP_OPTIMISE : SUP_GREEDY, f, optimise ? opt_planner_tick : NULL, pl};
    int rc = sup_run(m, seed, 0, &o, &s->r);
    fclose(f);
    if (pl) opt_planner_stats(pl, &s->st);
    opt_planner_free(pl);
    sup_model_free(m);
    return rc;
}

static void sim_free(Sim *s)
{
    sup_result_free(&s->r);
    free(s->trace);
}

/* The embedded scenario cut to its first days: the crisis (roads closed for
 * clearance, SDF arriving) is in them, and the tests stay short. The World
 * is the test's own; nothing else reads it. NULL when it does not load
 * (open the test with TU_WORLD_OR_FAIL); p gets the planner's defaults. */
static World *bay_days(double hours, OptParams *p)
{
    opt_params_default(p);
    World *w = tu_load("scenarios/tokyo-bay");
    if (w && w->horizon_h > hours) w->horizon_h = hours;
    /* the first week's road congestion stays on: paths change every few
     * hours, and every re-plan must still start warm (an arc whose arrival
     * period moves while basic is replaced, not changed) */
    return w;
}

/* Paired seeds of the default quake over its first three days (roads
 * closed for clearance, then reopening; SDF arriving): the optimised
 * replicate's weighted shortfall is below greedy's on each, fuel is
 * conserved, and the same seed gives the same trace bytes (warm starts and
 * all). */
TEST(optimised_dispatch_beats_greedy_and_repeats_bit_for_bit)
{
    OptParams p;
    TU_WORLD_OR_FAIL(w, bay_days(72, &p));
    static const uint64_t seeds[] = {11, 13};
    for (int i = 0; i < 2; i++) {
        Sim g, o;
        CHECK(simulate(w, w->default_quake, seeds[i], 0, &p, &g) == 0);
        CHECK(simulate(w, w->default_quake, seeds[i], 1, &p, &o) == 0);
        fprintf(stderr, "  seed %llu: weighted shortfall greedy %.1f optimise %.1f; class-1 dry hours %.0f / %.0f; "
                "%ld plans (%ld warm), %ld failed, %ld trips\n",
                (unsigned long long)seeds[i], g.r.weighted_shortfall, o.r.weighted_shortfall,
                g.r.dry_hours_class1, o.r.dry_hours_class1, o.st.solves, o.st.warm_solves, o.st.failures, o.st.trips);
        CHECK(o.r.weighted_shortfall < g.r.weighted_shortfall);
        CHECK(o.r.dry_hours_class1 <= g.r.dry_hours_class1);
        CHECK(o.st.failures == 0 && o.st.solves > 0 && o.st.warm_solves == o.st.solves - 1 && o.st.trips > 0);
        CHECK(fabs(tu_residual(&o.r.balance)) <= 1e-6);
        if (i == 0) {
            Sim o2;
            CHECK(simulate(w, w->default_quake, seeds[i], 1, &p, &o2) == 0);
            CHECK(o2.len == o.len && memcmp(o2.trace, o.trace, o.len) == 0);
            CHECK(memcmp(&o2.r.balance, &o.r.balance, sizeof o.r.balance) == 0);
            CHECK(o2.r.weighted_shortfall == o.r.weighted_shortfall);
            sim_free(&o2);
        }
        sim_free(&g);
        sim_free(&o);
    }
    world_free(w);
}

/* Ten days of one replicate, roads reopening and congestion easing all
 * along: the arcs' trip times keep changing under the basis, and still
 * every re-plan after the first starts from the last basis (a singular one
 * would re-solve cold, five times the iterations). */
TEST(every_replan_stays_warm_over_ten_days)
{
    OptParams p;
    World *w = bay_days(240, &p);
    if (!w) return;
    Sim o;
    CHECK(simulate(w, w->default_quake, 11, 1, &p, &o) == 0);
    fprintf(stderr, "  %ld plans (%ld warm), %ld failed\n", o.st.solves, o.st.warm_solves, o.st.failures);
    CHECK(o.st.solves > 40 && o.st.failures == 0);
    CHECK(o.st.warm_solves == o.st.solves - 1);
    sim_free(&o);
    world_free(w);
}

/* Beside the planner, a plan made from scratch (no basis kept) at every
 * state the planner solves: the warm re-solve (dual pass, columns held,
 * primal clean-up) must reach the same optimum. */
typedef struct ColdCheck {
    OptPlanner *pl;
    OptPlan *cold;
    long solves, compared, differ;
    double worst;
} ColdCheck;

static void tick_and_check(void *ctx, struct SupRun *r)
{
    ColdCheck *c = ctx;
    /* the cold plan first: the planner's tick dispatches what it plans */
    int cold_ok = opt_plan_solve(c->cold, r) == 0;
    double cold = opt_plan_solution(c->cold)->objective;
    opt_planner_tick(c->pl, r);
    OptStats st;
    opt_planner_stats(c->pl, &st);
    if (st.solves == c->solves) return;
    c->solves = st.solves;
    const OptSolution *so = opt_plan_solution(opt_planner_plan(c->pl));
    if (so->status != OPT_OPTIMAL || !so->warm) return;
    if (!cold_ok) { c->differ++; return; }
    double rel = fabs(so->objective - cold) / fmax(1.0, fabs(cold));
    if (rel > c->worst) c->worst = rel;
    c->differ += rel > 1e-6;
    c->compared++;
}

TEST(warm_replans_reach_the_cold_optimum)
{
    OptParams p;
    TU_WORLD_OR_FAIL(w, bay_days(48, &p));
    OptParams pc = p;
    pc.warm = 0;
    SupModel *m = sup_model_new(w, w->default_quake);
    CHECK(m != NULL);
    if (!m) { world_free(w); return; }
    ColdCheck c = {opt_planner_new(w, &p, 5), opt_plan_new(w, &pc), 0, 0, 0, 0};
    SupOptions o = {SUP_OPTIMISE, NULL, tick_and_check, &c};
    SupResult res;
    CHECK(sup_run(m, 5, 0, &o, &res) == 0);
    fprintf(stderr, "  %ld warm re-plans against a cold solve, %ld differ, worst relative gap %.2e\n",
            c.compared, c.differ, c.worst);
    CHECK(c.compared > 15);
    CHECK(c.differ == 0);
    sup_result_free(&res);
    opt_plan_free(c.cold);
    opt_planner_free(c.pl);
    sup_model_free(m);
    world_free(w);
}

/* Iteration limit 1: every solve fails, each replicate warns once, and the
 * run is exactly the greedy one. */
TEST(failed_solve_falls_back_to_greedy_with_one_warning)
{
    OptParams p;
    TU_WORLD_OR_FAIL(w, bay_days(36, &p));
    p.it_lim = 1;
    char path[] = "/tmp/fuelsim_opt_stderrXXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) { world_free(w); return; }
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    Sim g, o;
    int rg = simulate(w, w->default_quake, 21, 0, &p, &g);
    int ro = simulate(w, w->default_quake, 21, 1, &p, &o);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK(rg == 0 && ro == 0);
    CHECK(o.st.solves > 1 && o.st.failures == o.st.solves);
    CHECK(o.r.weighted_shortfall == g.r.weighted_shortfall);
    CHECK(o.len == g.len && memcmp(o.trace, g.trace, g.len) == 0);
    char buf[4096] = {0};
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unlink(path);
    int warnings = 0;
    for (const char *s = buf; n > 0 && (s = strstr(s, "warning: replicate 21: plan at hour")) != NULL; s++) warnings++;
    CHECK(warnings == 1);
    CHECK(strstr(buf, "iteration limit") != NULL);
    sim_free(&g);
    sim_free(&o);
    world_free(w);
}

/* Default periods: 6 h, then three times the one before, the last cut at
 * the 72-h horizon; growth 1 gives equal periods. */
TEST(periods_grow_from_the_step_to_the_horizon)
{
    TU_WORLD_OR_FAIL(w, tiny_world(20, TINY_LORRY));
    OptParams p;
    opt_params_default(&p);
    Planned x;
    const OptSolution *so = plan_at(&x, w, -1, 1, 0, &p);
    CHECK(so != NULL && so->nperiod == 3);
    if (so && so->nperiod == 3)
        CHECK(so->period_start_h[0] == 0 && so->period_start_h[1] == 6 && so->period_start_h[2] == 24 &&
              so->period_start_h[3] == 72);
    planned_free(&x);
    p.growth = 1;
    so = plan_at(&x, w, -1, 1, 0, &p);
    CHECK(so != NULL && so->nperiod == 12 && so->period_start_h[12] == 72);
    planned_free(&x);
    world_free(w);
}

/* Before the inspection delay the planner sees only today's state, whatever
 * it may know later; after it, a plan on forecast restoration times differs
 * from one on the replicate's own draws (perfect information) for some seed
 * (with the first week's road closures many seeds' 72-h plans do not depend
 * on when the components come back). */
TEST(forecast_replaces_the_draws_after_inspection)
{
    OptParams p;
    TU_WORLD_OR_FAIL(w, bay_days(96, &p));
    double obj[2][2];
    int differ = 0;
    for (uint64_t seed = 1; seed <= 12 && !differ; seed++) {
        for (int at = 0; at < 2; at++)
            for (int fc = 0; fc < 2; fc++) {
                Planned x;
                p.forecast = fc ? OPT_FC_PERFECT : OPT_FC_MEDIAN;
                const OptSolution *so = plan_at(&x, w, w->default_quake, seed, at ? 24 : 0, &p);
                CHECK(so != NULL && so->status != OPT_FAILED);
                obj[at][fc] = so ? so->objective : -1;
                planned_free(&x);
            }
        CHECK(obj[0][0] == obj[0][1]);
        differ = fabs(obj[1][0] - obj[1][1]) > 1e-6 * (1 + fabs(obj[1][1]));
    }
    CHECK(differ);
    world_free(w);
}

TEST(bad_parameters_are_refused_before_glpk_sees_them)
{
    OptParams p;
    opt_params_default(&p);
    CHECK(opt_params_check(&p) == NULL);
    p.step_h = 2.5;
    CHECK(opt_params_check(&p) != NULL);
    opt_params_default(&p);
    p.horizon_h = 3;
    CHECK(opt_params_check(&p) != NULL);
    opt_params_default(&p);
    p.mip_gap = -1;
    CHECK(opt_params_check(&p) != NULL);
    opt_params_default(&p);
    p.growth = 0.5;
    CHECK(opt_params_check(&p) != NULL);
    opt_params_default(&p);
    p.event_gap_h = p.replan_h + 1;
    CHECK(opt_params_check(&p) != NULL);
    opt_params_default(&p);
    p.forecast = OPT_NFC;
    CHECK(opt_params_check(&p) != NULL);
    CHECK(opt_plan_new(NULL, &p) == NULL);
}

int main(void)
{
    RUN(lp_optimum_equals_the_hand_computed_objective);
    RUN(transport_cost_is_a_small_second_term);
    RUN(plans_respect_fleets_products_mobilisation_and_stock);
    RUN(optimised_dispatch_beats_greedy_and_repeats_bit_for_bit);
    RUN(every_replan_stays_warm_over_ten_days);
    RUN(warm_replans_reach_the_cold_optimum);
    RUN(failed_solve_falls_back_to_greedy_with_one_warning);
    RUN(periods_grow_from_the_step_to_the_horizon);
    RUN(forecast_replaces_the_draws_after_inspection);
    RUN(bad_parameters_are_refused_before_glpk_sees_them);
    opt_thread_done();
    return check_done();
}
