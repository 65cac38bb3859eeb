/* Supply-chain simulation: hand-computed delivery times and shortfalls on
 * tests/supply/, fuel conservation, trace invariants (no unit in two places,
 * no forbidden product, no negative stock) on several seeds and scenarios,
 * and byte-identical repeats. */
#include "check.h"
#include "testutil.h"
#include "scenario.h"
#include "supply.h"
#include "hazard.h"
#include "damage.h"
#include "restore.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Out {
    SupResult r;
    char *trace;
    size_t len;
} Out;

static int run(const World *w, int quake, uint64_t seed, uint64_t rep, Out *o)
{
    return tu_run_greedy(w, quake, seed, rep, &o->r, &o->trace, &o->len);
}

static void out_free(Out *o)
{
    sup_result_free(&o->r);
    free(o->trace);
}

static int has_line(const char *trace, const char *line)
{
    const char *p = trace;
    size_t n = strlen(line);
    while ((p = strstr(p, line)) != NULL) {
        if ((p == trace || p[-1] == '\n') && (p[n] == '\n' || p[n] == 0)) return 1;
        p += n;
    }
    return 0;
}

/* Walk the trace: every unit goes dispatch -> arrive -> load_start -> load_end
 * -> depart -> arrive -> unload -> return, in time order, never starting a
 * trip while on one; what it carries is allowed for its fleet; kL >= 0. */
static int trace_consistent(const World *w, const char *trace)
{
    enum { IDLE, TO_SRC, AT_SRC, LOADING, LOADED, EN_ROUTE, AT_DEST, UNLOADED };
    int nunit = 0;
    for (int a = 0; a < w->nasset; a++) nunit += w->asset[a].count;
    int *st = xcalloc((size_t)nunit + 1, sizeof *st);
    int *base = xcalloc((size_t)w->nasset + 1, sizeof *base);
    for (int a = 1; a <= w->nasset; a++) base[a] = base[a - 1] + w->asset[a - 1].count;
    char *copy = xstrdup(trace), *save = NULL;
    int ok = 1;
    double last_t = 0;
    for (char *line = strtok_r(copy, "\n", &save); line && ok; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "time_h", 6) == 0) continue;
        char *f[7] = {0};
        char *p = line;
        for (int i = 0; i < 7; i++) {
            f[i] = p;
            char *c = strchr(p, ',');
            if (!c) { p += strlen(p); if (i < 6) { ok = 0; break; } continue; }
            *c = 0;
            p = c + 1;
        }
        if (!ok) break;
        double t = atof(f[0]);
        if (t + 1e-9 < last_t) { fprintf(stderr, "time goes back at %s\n", f[0]); ok = 0; break; }
        last_t = t;
        if (f[5][0] && atof(f[5]) < 0) { fprintf(stderr, "negative kL at %s\n", f[0]); ok = 0; }
        if (!f[2][0]) continue;
        char *hash = strchr(f[2], '#');
        if (!hash) { ok = 0; break; }
        *hash = 0;
        int a = -1;
        for (int k = 0; k < w->nasset; k++) if (strcmp(w->asset[k].id, f[2]) == 0) a = k;
        int u = atoi(hash + 1) - 1;
        if (a < 0 || u < 0 || u >= w->asset[a].count) { ok = 0; break; }
        int *s = &st[base[a] + u];
        const char *k = f[1];
        if (f[4][0]) {
            int prod = world_enum_lookup(world_product_name, NPROD, f[4]);
            if (prod < 0 || !(w->asset[a].products & (1u << prod))) {
                fprintf(stderr, "%s carries %s\n", w->asset[a].id, f[4]);
                ok = 0;
            }
        }
        int want, next;
        if (!strcmp(k, "dispatch")) { want = IDLE; next = TO_SRC; }
        else if (!strcmp(k, "arrive") && *s == TO_SRC) { want = TO_SRC; next = AT_SRC; }
        else if (!strcmp(k, "load_start")) { want = AT_SRC; next = LOADING; }
        else if (!strcmp(k, "load_end")) { want = LOADING; next = LOADED; }
        else if (!strcmp(k, "depart")) { want = LOADED; next = EN_ROUTE; }
        else if (!strcmp(k, "arrive")) { want = EN_ROUTE; next = AT_DEST; }
        else if (!strcmp(k, "unload")) { want = AT_DEST; next = UNLOADED; }
        else if (!strcmp(k, "return")) { want = UNLOADED; next = IDLE; }
        else { want = *s; next = *s; }
        if (*s != want) {
            fprintf(stderr, "%s#%d: %s at %s in state %d\n", w->asset[a].id, u + 1, k, f[0], *s);
            ok = 0;
        }
        *s = next;
    }
    free(copy);
    free(st);
    free(base);
    return ok;
}

/* one_lorry: request at hour 0 with 11 kL left (below 12); want 30 - 11 = 19,
 * one 10 kL lorry: load 0.5 h, unload complete at 0.5 + 1 + 0.5 = 2.0. The
 * next request comes when stock drops below 12 again: 19 after hour 2,
 * 11 at hour 10; deliveries at 2, 12, 22, 32, 42: five trips, no shortfall;
 * final stock 12 + 50 - 48 = 14, refinery 500 - 50 = 450. */
TEST(one_lorry_delivers_on_the_hand_computed_schedule)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/one_lorry"));
    Out o = {0};
    CHECK(run(w, -1, 1, 0, &o) == 0);
    CHECK(has_line(o.trace, "0.0000,request,,hosp,diesel,19.000,"));
    CHECK(has_line(o.trace, "0.0000,dispatch,lorry#1,ref,diesel,10.000,hosp"));
    CHECK(has_line(o.trace, "0.5000,load_end,lorry#1,ref,diesel,10.000,"));
    CHECK(has_line(o.trace, "2.0000,unload,lorry#1,hosp,diesel,10.000,"));
    CHECK(has_line(o.trace, "3.0000,return,lorry#1,ref,,,"));
    CHECK(has_line(o.trace, "10.0000,request,,hosp,diesel,19.000,"));
    CHECK(has_line(o.trace, "12.0000,unload,lorry#1,hosp,diesel,10.000,"));
    CHECK(has_line(o.trace, "42.0000,unload,lorry#1,hosp,diesel,10.000,"));
    CHECK(o.r.trips == 5);
    CHECK(o.r.weighted_shortfall == 0 && o.r.dry_hours_class1 == 0);
    CHECK(o.r.t90_supply_h == 0 && o.r.resilience_loss == 0);
    CHECK_NEAR(o.r.balance.consumed_kl, 48, 1e-9);
    CHECK_NEAR(o.r.balance.final_inventory_kl, 450 + 14, 1e-9);
    CHECK_NEAR(tu_residual(&o.r.balance), 0, 1e-6);
    CHECK(trace_consistent(w, o.trace));
    out_free(&o);
    world_free(w);
}

/* no_lorry: 12 kL at 1 kL/h lasts 12 h; 36 of the 48 kL go unserved, in 36
 * dry hours; weight 100 gives 3,600; served fraction is 0 at the end, so
 * t90 is the horizon and the resilience loss 36 h. */
TEST(no_lorry_runs_dry_after_twelve_hours)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/no_lorry"));
    Out o = {0};
    CHECK(run(w, -1, 1, 0, &o) == 0);
    CHECK_NEAR(o.r.unserved_kl[PROD_DIESEL][0], 36, 1e-9);
    CHECK_NEAR(o.r.weighted_shortfall, 3600, 1e-6);
    CHECK(o.r.dry_hours_class1 == 36);
    CHECK(o.r.t90_supply_h == 48);
    CHECK_NEAR(o.r.resilience_loss, 36, 1e-9);
    CHECK(has_line(o.trace, "12.0000,dry,,hosp,diesel,,"));
    CHECK(o.r.served[0][11] == 1.0 && o.r.served[0][12] == 0.0);
    CHECK_NEAR(tu_residual(&o.r.balance), 0, 1e-6);
    out_free(&o);
    world_free(w);
}

/* sdf_lorry: the class-1 request at hour 0 cannot be served; after it has
 * waited 6 h SDF is asked (hour 6) and ready at 26. Dry from hour 12; at
 * hour 26 the truck loads (0.5 h), drives (1 h) and unloads (0.5 h): fuel in
 * at 28.0, after the hour-28 consumption. Dry hours 12..28 = 17, 17 kL
 * unserved; served fraction last below 0.9 at hour 28, so t90 = 29. */
TEST(sdf_truck_arrives_after_its_lead_time)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/sdf_lorry"));
    Out o = {0};
    CHECK(run(w, 0, 7, 3, &o) == 0);
    CHECK(has_line(o.trace, "6.0000,mobilise,,ref,,,sdf"));
    CHECK(has_line(o.trace, "26.0000,mobilised,,ref,,,sdf"));
    CHECK(has_line(o.trace, "26.0000,dispatch,sdf#1,ref,diesel,10.000,hosp"));
    CHECK(has_line(o.trace, "28.0000,unload,sdf#1,hosp,diesel,10.000,"));
    CHECK(has_line(o.trace, "28.0000,refill,,hosp,diesel,10.000,"));
    CHECK_NEAR(o.r.unserved_class_kl[0], 17, 1e-9);
    CHECK(o.r.dry_hours_class1 == 17);
    CHECK(o.r.t90_supply_h == 29);
    CHECK_NEAR(tu_residual(&o.r.balance), 0, 1e-6);
    CHECK(trace_consistent(w, o.trace));
    out_free(&o);
    world_free(w);
}

/* Conservation, invariants and repeatability on damaging earthquakes. */
static void check_scenario(const char *dir, int nseeds)
{
    TU_WORLD_OR_FAIL(w, tu_load(dir));
    for (int s = 0; s < nseeds; s++) {
        Out a = {0}, b = {0};
        CHECK(run(w, w->default_quake, 1000 + s, (uint64_t)s, &a) == 0);
        CHECK(run(w, w->default_quake, 1000 + s, (uint64_t)s, &b) == 0);
        CHECK(fabs(tu_residual(&a.r.balance)) < 1e-6);
        CHECK(a.len == b.len && memcmp(a.trace, b.trace, a.len) == 0);
        CHECK(a.r.weighted_shortfall == b.r.weighted_shortfall);
        CHECK(trace_consistent(w, a.trace));
        CHECK(a.r.balance.final_inventory_kl >= 0 && a.r.balance.in_transit_kl >= -1e-9);
        for (int h = 0; h < a.r.nhours; h++)
            for (int k = 0; k < NCLASS; k++) CHECK(a.r.served[k][h] >= 0 && a.r.served[k][h] <= 1);
        out_free(&a);
        out_free(&b);
    }
    world_free(w);
}

TEST(fuel_is_conserved_and_traces_are_consistent)
{
    check_scenario("tests/bad-input/base", 4);
    check_scenario("tests/supply/one_lorry", 2);
    check_scenario("scenarios/tokyo-bay", 3);
    check_scenario("tests/scenarios/tiny", 2);
    check_scenario("tests/scenarios/two_depots", 2);
    check_scenario("tests/scenarios/grid_outage", 2);
}

/* A model given one replicate's shaking (as `fuelsim branch` keeps it)
 * runs that replicate exactly as the full model does, trace and figures,
 * and refuses any other. */
static void check_shaken(const char *dir, uint64_t seed, uint64_t rep)
{
    TU_WORLD_OR_FAIL(w, tu_load(dir));
    int q = w->default_quake;
    Out a = {0}, b = {0};
    CHECK(run(w, q, seed, rep, &a) == 0);
    SupModel *full = sup_model_new(w, q);
    HazSample *hs = full ? sup_shaking_new(full, seed, rep) : NULL;
    CHECK(hs != NULL);
    sup_model_free(full);
    SupModel *m = sup_model_new_shaken(w, q, seed, rep, hs);
    CHECK(m != NULL);
    if (m) {
        FILE *f = open_memstream(&b.trace, &b.len);
        SupOptions opt = {SUP_GREEDY, f, NULL, NULL};
        CHECK(sup_run(m, seed, rep, &opt, &b.r) == 0);
        fclose(f);
        CHECK(a.len == b.len && memcmp(a.trace, b.trace, a.len) == 0);
        CHECK(a.r.weighted_shortfall == b.r.weighted_shortfall && a.r.trips == b.r.trips);
        for (int c = 0; c < w->ncomp; c++) CHECK(a.r.comp_ds[c] == b.r.comp_ds[c]);
        CHECK(sup_shaking_new(m, seed, rep) == NULL);   /* it has no field to draw from */
        SupResult other;
        memset(&other, 0, sizeof other);
        SupOptions quiet = {SUP_GREEDY, NULL, NULL, NULL};
        fprintf(stderr, "    (a message expected:)\n");
        CHECK(sup_run(m, seed, rep + 1, &quiet, &other) == -1);
        CHECK(sup_run(m, seed + 1, rep, &quiet, &other) == -1);
        sup_result_free(&other);
    }
    sup_model_free(m);
    out_free(&a);
    out_free(&b);
    world_free(w);
}

TEST(a_model_given_the_replicates_shaking_runs_it_as_the_full_model)
{
    check_shaken("scenarios/tokyo-bay", 1, 0);
    check_shaken("scenarios/tokyo-bay", 7, 3);
    check_shaken("tests/scenarios/grid_outage", 2, 1);
}

TEST(a_shaking_of_another_size_is_refused)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/scenarios/tiny"));
    TU_WORLD_OR_FAIL(big, tu_load("scenarios/tokyo-bay"));
    SupModel *mb = sup_model_new(big, big->default_quake);
    HazSample *hs = mb ? sup_shaking_new(mb, 1, 0) : NULL;
    CHECK(hs != NULL);
    fprintf(stderr, "    (a message expected:)\n");
    CHECK(sup_model_new_shaken(w, w->default_quake, 1, 0, hs) == NULL);   /* and hs freed */
    sup_model_free(mb);
    world_free(big);
    world_free(w);
}

TEST(normal_times_meet_every_demand_in_the_embedded_scenario)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    Out o = {0};
    CHECK(run(w, -1, 1, 0, &o) == 0);
    CHECK(o.r.weighted_shortfall == 0);
    CHECK(strstr(o.trace, ",mobilise,") == NULL);   /* normal business needs no SDF */
    if (o.r.weighted_shortfall != 0)
        fprintf(stderr, "unserved by class: %g %g %g %g\n", o.r.unserved_class_kl[0],
                o.r.unserved_class_kl[1], o.r.unserved_class_kl[2], o.r.unserved_class_kl[3]);
    CHECK(fabs(tu_residual(&o.r.balance)) < 1e-6);
    out_free(&o);
    world_free(w);
}

/* A tank farm spills only from its ruptured tanks: stock s at a farm whose
 * share q_k of tanks is at state k >= extensive loses sum_k q_k max(0,
 * inv - tank_kl cf_k) (each tank at the farm's fill), never more than the
 * excess over what the damaged farm holds. E.g. a farm 80% full with a
 * quarter of its tanks at complete (cf 0) loses 0.25 * 0.8 = 20% of its
 * capacity, not everything above its mean capacity. Checked against the
 * run's lost kL on the embedded earthquake, and the rule must matter: some
 * farm spills although its equivalent state (one tank's rule) would not. */
TEST(tank_farms_spill_only_from_their_ruptured_tanks)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    int q = w->default_quake, partial = 0;
    HazField *hf = haz_field_new(w, q);
    HazSample *hs = haz_sample_new(hf);
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *rs = rst_schedule_new(w);
    for (uint64_t rep = 0; rep < 6; rep++) {
        rst_replicate(hf, 1, rep, hs, dmg, rs);
        double want = 0;
        for (int s = 0; s < w->nstock; s++) {
            double inv = w->stock[s].initial_kl, cap = 1.0, lost = 0.0;
            for (int c = 0; c < w->ncomp; c++)
                if (w->comp[c].facility == w->stock[s].facility && w->comp[c].kind == COMP_TANK)
                    cap = fmin(cap, rst_capacity_at(rs, c, 0));
            double over = inv - w->stock[s].tank_kl * cap;
            if (!(over > 0)) continue;
            for (int c = 0; c < w->ncomp; c++) {
                if (w->comp[c].facility != w->stock[s].facility || w->comp[c].kind != COMP_TANK) continue;
                double x = 0;
                for (int k = DS_EXTENSIVE; k < NDS; k++)
                    x += dmg->comp_share[(size_t)c * NDS + k] *
                         fmax(0, inv - w->stock[s].tank_kl * fmin(1, fmax(0, w->capacity_fraction[k])));
                if (x > 0 && dmg->comp_ds[c] < DS_EXTENSIVE) partial++;
                lost = fmax(lost, x);
            }
            want += fmin(lost, over);
        }
        Out o = {0};
        CHECK(run(w, q, 1, rep, &o) == 0);
        CHECK_NEAR(o.r.balance.lost_kl, want, 1e-6 * (1 + want));
        CHECK(fabs(tu_residual(&o.r.balance)) < 1e-6);
        out_free(&o);
    }
    CHECK(partial > 0);
    rst_schedule_free(rs);
    dmg_outcome_free(dmg);
    haz_sample_free(hs);
    haz_field_free(hf);
    world_free(w);
}

int main(void)
{
    RUN(one_lorry_delivers_on_the_hand_computed_schedule);
    RUN(no_lorry_runs_dry_after_twelve_hours);
    RUN(sdf_truck_arrives_after_its_lead_time);
    RUN(fuel_is_conserved_and_traces_are_consistent);
    RUN(a_model_given_the_replicates_shaking_runs_it_as_the_full_model);
    RUN(a_shaking_of_another_size_is_refused);
    RUN(normal_times_meet_every_demand_in_the_embedded_scenario);
    RUN(tank_farms_spill_only_from_their_ruptured_tanks);
    return check_done();
}
