/* Bridges and traffic control (issue 15): the bridge curves of a link with
 * n bridges, the bridges' draws after every other damage draw, bridge
 * repair and closure by the link's traffic control, and passage permits:
 * a lorry without one takes the streets beside a controlled road or waits
 * for its permit where there are none. */
#include "check.h"
#include "damage.h"
#include "optimise.h"
#include "restore.h"
#include "supply.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int link_id(const World *w, const char *id)
{
    for (int l = 0; l < w->nlink; l++)
        if (strcmp(w->link[l].id, id) == 0) return l;
    return -1;
}

/* Hand-checked: bridge_seismic_pga medians 1.2/1.8/2.2/3.4 g, beta 0.6, at
 * 0.8 g: Phi(ln(0.8/m)/0.6) = 0.24959, 0.08826, 0.04590, 0.00794; with two
 * bridges 1 - (1 - p)^2 = 0.43689, 0.16873, 0.08969, 0.01582. */
TEST(bridge_curves_of_one_and_of_two_bridges)
{
    World *w = tu_load("scenarios/tokyo-bay");
    if (!w) { CHECK(0); return; }
    int aq = link_id(w, "road_aqualine"), t12 = link_id(w, "road_hub_T01__hub_T02"), lm = link_id(w, "road_T01_evac");
    CHECK(aq >= 0 && t12 >= 0 && lm >= 0);
    if (aq < 0 || t12 < 0 || lm < 0) { world_free(w); return; }
    CHECK(w->link[aq].bridges == 1 && w->link[t12].bridges == 2 && w->link[lm].bridges == 0);
    CHECK(w->link[aq].control == CTL_CLOSED && w->link[t12].control == CTL_DETOUR && w->link[lm].control == CTL_NONE);
    double p[NDS];
    dmg_bridge_exceed(w, aq, 0.8, p);
    CHECK_NEAR(p[DS_NONE], 1.0, 0);
    CHECK_NEAR(p[DS_SLIGHT], 0.24959, 1e-5);
    CHECK_NEAR(p[DS_MODERATE], 0.08826, 1e-5);
    CHECK_NEAR(p[DS_EXTENSIVE], 0.04590, 1e-5);
    CHECK_NEAR(p[DS_COMPLETE], 0.00794, 1e-5);
    dmg_bridge_exceed(w, t12, 0.8, p);
    CHECK_NEAR(p[DS_SLIGHT], 0.43689, 1e-5);
    CHECK_NEAR(p[DS_MODERATE], 0.16873, 1e-5);
    CHECK_NEAR(p[DS_EXTENSIVE], 0.08969, 1e-5);
    CHECK_NEAR(p[DS_COMPLETE], 0.01582, 1e-5);
    dmg_bridge_exceed(w, lm, 0.8, p);
    CHECK(p[DS_SLIGHT] == 0 && p[DS_COMPLETE] == 0);
    world_free(w);
}

/* The bridges' draws come last: switching them on changes no component's
 * state and lowers no link's; some links take their bridge's state. */
TEST(bridges_leave_every_other_draw_alone)
{
    World *w = tu_load("scenarios/tokyo-bay");
    if (!w) { CHECK(0); return; }
    HazField *hf = haz_field_new(w, w->default_quake);
    HazSample *hs = haz_sample_new(hf);
    DmgOutcome *on = dmg_outcome_new(w), *off = dmg_outcome_new(w);
    int same = 1, not_lower = 1, some = 0, flag_ok = 1;
    for (uint64_t rep = 0; rep < 30; rep++) {
        Rng r;
        rng_init(&r, 3, rep, RNG_HAZARD);
        haz_sample(hf, &r, hs);
        w->wk.bridges = 1;
        rng_init(&r, 3, rep, RNG_DAMAGE);
        dmg_sample(w, hs, &r, on);
        w->wk.bridges = 0;
        rng_init(&r, 3, rep, RNG_DAMAGE);
        dmg_sample(w, hs, &r, off);
        for (int c = 0; c < w->ncomp; c++) same &= on->comp_ds[c] == off->comp_ds[c];
        for (int f = 0; f < w->nfac; f++)
            same &= on->fac_tripped[f] == off->fac_tripped[f] && on->fac_fire[f] == off->fac_fire[f];
        for (int l = 0; l < w->nlink; l++) {
            not_lower &= on->link_ds[l] >= off->link_ds[l];
            flag_ok &= on->link_bridge[l] == (on->link_ds[l] > off->link_ds[l]) && !off->link_bridge[l];
            flag_ok &= !on->link_bridge[l] || w->link[l].bridges > 0;
            some += on->link_bridge[l];
        }
    }
    CHECK(same);
    CHECK(not_lower);
    CHECK(flag_ok);
    CHECK(some > 0);
    dmg_outcome_free(on);
    dmg_outcome_free(off);
    haz_sample_free(hs);
    haz_field_free(hf);
    world_free(w);
}

/* Repair time = the class's mean days x 24 h, so the test can tell which
 * restoration class the schedule asked for. */
static double mean_repair(void *ctx, int is_link, int idx, const RestorationClass *rc, int ds)
{
    (void)ctx; (void)is_link; (void)idx;
    return rc && ds > DS_NONE ? 24.0 * rc->mean_days[ds] : 0.0;
}

/* A bridge-damaged link is repaired as a bridge (hazus_bridge: extensive 75
 * days); it keeps the state's capacity (0.2) where streets run beside it,
 * and is closed where none do (the Aqua-Line). */
TEST(bridge_repair_and_closure_follow_the_link)
{
    World *w = tu_load("scenarios/tokyo-bay");
    if (!w) { CHECK(0); return; }
    int aq = link_id(w, "road_aqualine"), t12 = link_id(w, "road_hub_T01__hub_T02");
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *s = rst_schedule_new(w);
    int ls[2] = {aq, t12};
    for (int i = 0; i < 2; i++) {
        dmg->link_ds[ls[i]] = DS_EXTENSIVE;
        dmg->link_bridge[ls[i]] = 1;
    }
    /* the schedule from the mean repair times, with no quake to gate it */
    RstSchedule *none = rst_schedule_new(w);
    rst_forecast(w, -1, dmg, mean_repair, NULL, none, 0, 0.5, s);
    CHECK_NEAR(s->link[aq].repair_h, 75 * 24.0, 1e-9);
    CHECK_NEAR(s->link[t12].repair_h, 75 * 24.0, 1e-9);
    CHECK(rst_link_capacity_at(s, aq, 100) == 0.0);
    CHECK_NEAR(rst_link_capacity_at(s, t12, 100), 0.2, 1e-12);
    CHECK(rst_link_capacity_at(s, aq, 75 * 24.0 + 1) == 1.0);
    /* the same state from the ground (no bridge): the road class, 21 days */
    dmg->link_bridge[t12] = 0;
    rst_forecast(w, -1, dmg, mean_repair, NULL, none, 0, 0.5, s);
    CHECK_NEAR(s->link[t12].repair_h, 21 * 24.0, 1e-9);
    rst_schedule_free(none);
    rst_schedule_free(s);
    dmg_outcome_free(dmg);
    world_free(w);
}

/* Time of the first row of kind k in a trace, HUGE_VAL if none. */
static double first_of(const char *tr, TrcKind k)
{
    char *text = xstrdup(tr);
    double t = HUGE_VAL;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        TrcRow r;
        char err[128];
        if (trc_parse_line(line, &r, err, sizeof err) == 0 && r.kind == k) { t = r.time_h; break; }
    }
    free(text);
    return t;
}

/* First unload at the hospital of the tiny scenario (one lorry, one road of
 * 1 h), with traffic control on that road for control_h hours. */
static double first_unload_by(World *w, int optimise, int permits, LinkControl ctl, double control_h,
                              double permit_h)
{
    FirstWeek *k = &w->wk;
    k->roads = 1;
    k->permits = permits;
    k->traffic_control_h = control_h;
    k->controlled_factor = 1;
    k->detour_factor = 3;
    k->congestion_factor = (WkRange){1, 1};
    k->congestion_days = (WkRange){1, 1};
    w->link[0].control = ctl;
    w->asset[0].permit_h = permit_h;
    SupResult r;
    char *tr = NULL;
    size_t len = 0;
    SupModel *m = sup_model_new(w, w->default_quake);
    if (!m) return -1;
    OptParams p;
    opt_params_default(&p);
    OptPlanner *pl = optimise ? opt_planner_new(w, &p, 0) : NULL;
    FILE *f = open_memstream(&tr, &len);
    SupOptions o = {optimise ? SUP_OPTIMISE : SUP_GREEDY, f, optimise ? opt_planner_tick : NULL, pl};
    int rc = sup_run(m, 1, 0, &o, &r);
    fclose(f);
    opt_planner_free(pl);
    sup_model_free(m);
    if (rc != 0) { free(tr); return -1; }
    double t = first_of(tr, TRC_UNLOAD);
    CHECK(fabs(tu_residual(&r.balance)) <= 1e-6 * r.balance.initial_inventory_kl);
    free(tr);
    sup_result_free(&r);
    return t;
}

static double first_unload(World *w, int permits, LinkControl ctl, double control_h, double permit_h)
{
    return first_unload_by(w, 0, permits, ctl, control_h, permit_h);
}

/* Tiny: the lorry loads 10 kL in 0.5 h, drives 1 h and unloads in 0.5 h,
 * so the unload row is at 2 h. Without a permit it drives the streets
 * beside the controlled road (3 h: 4 h), or where there are none waits for
 * its permit (10 h: 12 h) or the end of the control (5 h: 7 h). */
TEST(a_lorry_without_a_permit_detours_or_waits)
{
    World *w = tu_load("tests/scenarios/tiny");
    if (!w) { CHECK(0); return; }
    CHECK(w->nlink == 1 && w->nasset == 1 && w->link[0].control == CTL_DETOUR);
    double base = first_unload(w, 0, CTL_DETOUR, 48, 48);
    CHECK_NEAR(base, 2.0, 1e-9);
    CHECK_NEAR(first_unload(w, 1, CTL_DETOUR, 48, 0), base, 1e-9);          /* permit at once */
    CHECK_NEAR(first_unload(w, 1, CTL_NONE, 48, 48), base, 1e-9);           /* road not controlled */
    CHECK_NEAR(first_unload(w, 1, CTL_DETOUR, 48, 48), 4.0, 1e-9);          /* the streets beside */
    CHECK_NEAR(first_unload(w, 1, CTL_CLOSED, 48, 10), 12.0, 1e-9);         /* waits for the permit */
    CHECK_NEAR(first_unload(w, 1, CTL_CLOSED, 5, 48), 7.0, 1e-9);           /* control over at 5 h */
    world_free(w);
}

/* The planner reads the same rule: no unload before the permit where the
 * road is closed to the lorry, and one soon after it. */
TEST(the_planner_honours_permits_too)
{
    World *w = tu_load("tests/scenarios/tiny");
    if (!w) { CHECK(0); return; }
    double free_t = first_unload_by(w, 1, 0, CTL_CLOSED, 48, 10);
    double held_t = first_unload_by(w, 1, 1, CTL_CLOSED, 48, 10);
    CHECK(free_t > 0 && free_t < 10);
    CHECK(held_t >= 12.0 - 1e-9 && held_t < 24);
    world_free(w);
}

int main(void)
{
    RUN(bridge_curves_of_one_and_of_two_bridges);
    RUN(bridges_leave_every_other_draw_alone);
    RUN(bridge_repair_and_closure_follow_the_link);
    RUN(a_lorry_without_a_permit_detours_or_waits);
    RUN(the_planner_honours_permits_too);
    return check_done();
}
