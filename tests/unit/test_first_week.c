/* The first-week mechanisms (issue 15) on the embedded scenario: the range
 * draws hit their 5% and 95% points, the road plan opens one route per
 * direction before the roads behind it, rolling outages darken each area
 * for its day's share, the chain of requests runs in order and PAJ lorries
 * wait for it, the stockpile is released and conserved, variability makes
 * outcomes with the same damage differ, and switching a mechanism off
 * leaves the others' draws alone. */
#include "check.h"
#include "restore.h"
#include "supply.h"
#include "testutil.h"
#include "trace.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

TEST(range_draw_hits_its_5_and_95_percent_points)
{
    WkRange g = {2, 24};
    CHECK_NEAR(rst_range_draw(&g, 0.05), 2, 1e-6);
    CHECK_NEAR(rst_range_draw(&g, 0.95), 24, 1e-5);
    CHECK_NEAR(rst_range_draw(&g, 0.5), sqrt(48.0), 1e-9);
    CHECK(rst_range_draw(&g, 0.3) < rst_range_draw(&g, 0.31));   /* monotone: common random numbers */
    WkRange c = {4, 4};
    CHECK(rst_range_draw(&c, 0.99) == 4);
}

/* Schedules of the default quake: emergency roads open with their
 * direction's first route, ordinary roads after it; rolling outages darken
 * the day's share of hours; supply within [import_share, 1]. */
TEST(road_plan_and_rolling_outages_follow_their_rules)
{
    World *w = tu_load("scenarios/tokyo-bay");
    CHECK(w != NULL && w->wk.roads && w->wk.power);
    if (!w) return;
    HazField *hf = haz_field_new(w, w->default_quake);
    HazSample *hs = haz_sample_new(hf);
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *s = rst_schedule_new(w);
    int order_ok = 1, dark_ok = 1, supply_ok = 1, some_rolling = 0, some_order = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        rst_replicate(hf, 11, rep, hs, dmg, s);
        double latest = 0;
        for (int d = 0; d < RST_NDIR; d++) latest = fmax(latest, s->dir_open_h[d]);
        for (int l = 0; l < w->nlink; l++) {
            const Link *lk = &w->link[l];
            if (lk->mode != MODE_ROAD || s->link[l].gate != RST_GATE_CLEARANCE) continue;
            /* a cleared road is never open before some direction's first route */
            int before = 1;
            for (int d = 0; d < RST_NDIR; d++) before &= s->link[l].usable_h < s->dir_open_h[d] - 1e-9;
            order_ok &= !before;
            if (!lk->emergency_road && s->link[l].usable_h > latest) some_order = 1;
        }
        for (int a = 0; a < w->narea; a++)
            for (int day = 0; day < 14; day++) {
                double x = s->area_dark[a * s->ndays + day], sup = s->area_supply[a * s->ndays + day];
                supply_ok &= sup >= w->wk.import_share - 1e-9 && sup <= 1 + 1e-9;
                if (24.0 * day < s->area_power_h[a]) continue;
                int dark = 0;
                for (int h = 0; h < 24; h++) dark += !rst_area_has_power(s, a, 24.0 * day + h);
                dark_ok &= abs(dark - (int)ceil(24.0 * x - 1e-9)) <= 1;
                some_rolling |= dark > 0;
            }
    }
    CHECK(order_ok);
    CHECK(some_order);     /* ordinary roads after the plan's routes, in some outcome */
    CHECK(dark_ok);
    CHECK(supply_ok);
    CHECK(some_rolling);   /* the default quake does bring rolling outages */
    rst_schedule_free(s);
    dmg_outcome_free(dmg);
    haz_sample_free(hs);
    haz_field_free(hf);
    world_free(w);
}

/* The planner's forecast knows the damage states and the laws, not the
 * replicate's draws: a repair time from the class alone. */
static double median_repair(void *ctx, int is_link, int idx, const RestorationClass *rc, int ds)
{
    (void)ctx; (void)is_link; (void)idx;
    return rc ? rst_repair_time_h(rc, ds, 0.5) : 0.0;
}

/* The first week's events of a schedule, in one order: directions, areas,
 * links (clearance, slowdown), facilities (trip, fire, generation). */
static int fw_events(const World *w, const RstSchedule *s, double *t)
{
    int n = 0;
    for (int d = 0; d < RST_NDIR; d++) t[n++] = s->dir_open_h[d];
    for (int a = 0; a < w->narea; a++) t[n++] = s->area_power_h[a];
    for (int l = 0; l < w->nlink; l++) {
        t[n++] = s->link_clear_h[l];
        t[n++] = s->link_slow_end_h[l];
    }
    for (int f = 0; f < w->nfac; f++) {
        t[n++] = s->fac_trip_restart_h[f];
        t[n++] = s->fac_fire_out_h[f];
        t[n++] = s->fac_fire_back_h[f];
        t[n++] = s->fac_grid_restart_h[f];
    }
    return n;
}

/* Two replicates with the same damage but their own restoration draws get
 * the same forecast before anything has happened (roads, rail, fairways,
 * grid, trip restarts, fires alike); later each forecast keeps what its
 * replicate has shown, forecasts the rest after now, and so they differ. */
TEST(forecast_of_the_first_week_does_not_read_the_draws)
{
    World *w = tu_load("scenarios/tokyo-bay");
    CHECK(w != NULL);
    if (!w) return;
    HazField *hf = haz_field_new(w, w->default_quake);
    HazSample *hs = haz_sample_new(hf);
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *a = rst_schedule_new(w), *b = rst_schedule_new(w);
    RstSchedule *fa = rst_schedule_new(w), *fb = rst_schedule_new(w);
    int nmax = RST_NDIR + w->narea + 2 * w->nlink + 4 * w->nfac;
    double *ta = xcalloc((size_t)nmax, sizeof(double)), *tb = xcalloc((size_t)nmax, sizeof(double));
    double *xa = xcalloc((size_t)nmax, sizeof(double)), *xb = xcalloc((size_t)nmax, sizeof(double));
    int draws_differ = 0, same_before = 1, kept = 1, ahead = 1, differ_after = 0, dark_same = 1, usable_same = 1;
    for (uint64_t rep = 0; rep < 6; rep++) {
        rst_replicate(hf, 3, rep, hs, dmg, a);
        Rng r;
        rng_init(&r, 4, rep, RNG_RESTORE);
        b->hs = hs;
        rst_build(w, w->default_quake, dmg, &r, b);
        int n = fw_events(w, a, ta);
        fw_events(w, b, tb);
        for (int i = 0; i < n; i++) draws_differ |= ta[i] != tb[i];
        /* just after the shock: nothing seen yet */
        rst_forecast(w, w->default_quake, dmg, median_repair, NULL, a, 0.01, 0.5, fa);
        rst_forecast(w, w->default_quake, dmg, median_repair, NULL, b, 0.01, 0.5, fb);
        fw_events(w, fa, xa);
        fw_events(w, fb, xb);
        for (int i = 0; i < n; i++) same_before &= xa[i] == xb[i];
        for (int i = 0; i < w->narea * fa->ndays; i++) dark_same &= fa->area_dark[i] == fb->area_dark[i];
        for (int c = 0; c < w->ncomp; c++) usable_same &= fa->comp[c].usable_h == fb->comp[c].usable_h;
        /* two days on: what has happened is known, the rest lies ahead */
        double now = 48;
        rst_forecast(w, w->default_quake, dmg, median_repair, NULL, a, now, 0.5, fa);
        rst_forecast(w, w->default_quake, dmg, median_repair, NULL, b, now, 0.5, fb);
        fw_events(w, fa, xa);
        fw_events(w, fb, xb);
        for (int i = 0; i < n; i++) {
            kept &= ta[i] > now || xa[i] == ta[i];
            ahead &= ta[i] <= now || xa[i] > now;
            differ_after |= xa[i] != xb[i];
        }
    }
    CHECK(draws_differ);   /* the replicates' own draws do differ */
    CHECK(same_before);
    CHECK(dark_same);
    CHECK(usable_same);
    CHECK(kept);
    CHECK(ahead);          /* never a forecast in the past */
    CHECK(differ_after);
    free(ta); free(tb); free(xa); free(xb);
    rst_schedule_free(a); rst_schedule_free(b); rst_schedule_free(fa); rst_schedule_free(fb);
    dmg_outcome_free(dmg);
    haz_sample_free(hs);
    haz_field_free(hf);
    world_free(w);
}

/* Time of the first row of kind k in a trace (HUGE_VAL if none); with
 * fleet_prefix, of a row naming a fleet with that prefix. */
static double first_row(const char *tr, TrcKind k, const char *fleet_prefix)
{
    char *text = xstrdup(tr);
    double t = HUGE_VAL;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        TrcRow r;
        char err[128];
        if (trc_parse_line(line, &r, err, sizeof err) != 0 || r.kind != k) continue;
        if (fleet_prefix && strncmp(r.item ? r.item : "", fleet_prefix, strlen(fleet_prefix)) != 0) continue;
        t = r.time_h;
        break;
    }
    free(text);
    return t;
}

TEST(chain_of_requests_runs_in_order_and_paj_waits_for_it)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    w->horizon_h = 240;
    for (uint64_t rep = 0; rep < 3; rep++) {
        SupResult r;
        char *tr = NULL;
        size_t len = 0;
        CHECK(tu_run_greedy(w, w->default_quake, 5, rep, &r, &tr, &len) == 0);
        double tm = first_row(tr, TRC_MINISTRY_REQUEST, NULL), troom = first_row(tr, TRC_JOINT_ROOM, NULL);
        double trelay = first_row(tr, TRC_RELAY, NULL), tpaj = first_row(tr, TRC_MOBILISE, "lorry_paj");
        CHECK(tm < troom && troom <= trelay && trelay <= tpaj + 1e-9);
        CHECK_NEAR(r.wk_ministry_h, tm, 1e-3);
        CHECK_NEAR(r.wk_room_h, troom, 1e-3);
        CHECK(r.wk_sdf_drawn_kl > 0);
        if (r.wk_stockpile_h < w->horizon_h) CHECK(first_row(tr, TRC_STOCKPILE, NULL) < HUGE_VAL && r.wk_stockpile_kl > 0);
        CHECK(fabs(tu_residual(&r.balance)) <= 1e-6 * r.balance.initial_inventory_kl);
        free(tr);
        sup_result_free(&r);
    }
    world_free(w);
}

/* With the same seed and replicate the damage is the same; variability
 * alone changes the outcome; switching variability off leaves the chain's
 * and the roads' draws as they were. */
TEST(variability_makes_the_same_damage_differ)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    w->horizon_h = 168;
    SupResult on, off;
    CHECK(tu_run_greedy(w, w->default_quake, 9, 2, &on, NULL, NULL) == 0);
    w->wk.variability = 0;
    CHECK(tu_run_greedy(w, w->default_quake, 9, 2, &off, NULL, NULL) == 0);
    int same_damage = 1;
    for (int c = 0; c < w->ncomp; c++) same_damage &= on.comp_ds[c] == off.comp_ds[c];
    CHECK(same_damage);
    CHECK(on.weighted_shortfall != off.weighted_shortfall);
    CHECK(on.wk_ministry_h == off.wk_ministry_h && on.wk_room_h == off.wk_room_h);
    for (int d = 0; d < SUP_NDIR; d++) CHECK(on.wk_dir_open_h[d] == off.wk_dir_open_h[d]);
    /* the panic surge weighs on class 4 */
    CHECK(on.unserved_class_kl[3] > off.unserved_class_kl[3]);
    sup_result_free(&on);
    sup_result_free(&off);
    world_free(w);
}

int main(void)
{
    RUN(range_draw_hits_its_5_and_95_percent_points);
    RUN(road_plan_and_rolling_outages_follow_their_rules);
    RUN(chain_of_requests_runs_in_order_and_paj_waits_for_it);
    RUN(variability_makes_the_same_damage_differ);
    RUN(forecast_of_the_first_week_does_not_read_the_draws);
    return check_done();
}
