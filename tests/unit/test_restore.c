/* Restoration tests: repair-time draws follow the truncated normal, the
 * schedule's dependency rules hold in every one of many sampled outcomes
 * (and each rule is seen to bind), step functions answer queries as built,
 * no earthquake means an undamaged schedule, and the outcome is a function
 * of (seed, rep) alone. The world is built by hand. */
#include "check.h"
#include "testutil.h"
#include "dist.h"
#include "restore.h"
#include "rng.h"
#include "scenario.h"

#include <math.h>
#include <string.h>

static FragilityClass frag[] = {
    {(char *)"ref", 0, {0, 0.38, 0.60, 0.98, 1.26}, {0, 0.45, 0.45, 0.50, 0.45}},
    {(char *)"wharf", 1, {0, 5, 12, 17, 43}, {0, 0.5, 0.5, 0.5, 0.5}},
    {(char *)"sub", 0, {0, 0.15, 0.29, 0.45, 0.90}, {0, 0.7, 0.55, 0.45, 0.45}},
};
static RestorationClass rest[] = {
    {(char *)"refinery", {0, 0.4, 3.0, 14.0, 190.0}, {0, 0.1, 2.2, 12.0, 80.0}},
    {(char *)"port", {0, 0.6, 3.5, 22.0, 85.0}, {0, 0.2, 3.5, 22.0, 73.0}},
    {(char *)"substation", {0, 1.0, 3.0, 7.0, 30.0}, {0, 0.5, 1.5, 3.5, 15.0}},
};

enum { F_REF, F_LNG, F_DEPOT, F_MOUTH, F_TERM, NF };
enum { C_REF_PROC, C_REF_BERTH, C_REF_POWER, C_REF_RACK, C_LNG_PROC, C_LNG_TANK,
       C_DEPOT_SIDING, C_DEPOT_RACK, C_TERM_BERTH, C_TERM_TANK, NC };
enum { L_SEA_REF, L_RAIL, L_ROAD_EMERG, L_ROAD_ORD, L_SEA_TERM, NL };

typedef struct RW {
    World w;
    Facility fac[NF];
    DemandPoint dem[1];
    Component comp[NC];
    Link link[NL];
    FragilityClass frag[3];
    RestorationClass rest[3];
    Earthquake quake[1];
    Tsunami ts[1];
    GridArea area[1];
    GridFeed feed[1];
} RW;

static void fac(RW *t, int i, const char *id, FacKind k, double lat, double lon, int gen)
{
    Facility *f = &t->fac[i];
    f->id = (char *)id; f->kind = k; f->lat = lat; f->lon = lon; f->area = 0;
    f->avs30 = 150; f->liq = LIQ_HIGH; f->gw_depth_m = 1.5; f->has_generator = gen;
}

static void comp(RW *t, int i, int f, CompKind k, int pga, int pgd, int rc)
{
    Component c = {(char *)"c", f, k, pga, pgd, rc, 1, 100, 0};
    t->comp[i] = c;
}

static void link(RW *t, int i, LinkMode m, int from, int to, int emerg, int fr, int rc, double clear)
{
    Link *l = &t->link[i];
    l->id = (char *)"l"; l->mode = m; l->from = from; l->to = to; l->emergency_road = emerg;
    l->fragility = fr; l->restoration = rc; l->clear_h = clear;
    l->distance_km = 10; l->time_h = 0.5;
}

/* A refinery without own generation, fed by sea (fairway to the bay mouth)
 * and powered by the LNG terminal's area; a rail-fed inland depot; a coastal
 * terminal flooded for 30 h; an emergency and an ordinary road with the same
 * clear_h. Strong shaking (Mw 7.3 at 40 km depth under the bay). */
static void rw_init(RW *t)
{
    memset(t, 0, sizeof *t);
    memcpy(t->frag, frag, sizeof frag);
    memcpy(t->rest, rest, sizeof rest);
    fac(t, F_REF, "ref", FAC_REFINERY, 35.45, 139.70, 0);
    fac(t, F_LNG, "lng", FAC_LNG_TERMINAL, 35.40, 139.85, 1);
    fac(t, F_DEPOT, "depot", FAC_INLAND_DEPOT, 35.80, 139.60, 0);
    fac(t, F_MOUTH, "mouth", FAC_WAYPOINT, 35.20, 139.75, 0);
    fac(t, F_TERM, "term", FAC_OIL_TERMINAL, 35.50, 139.95, 1);
    t->fac[F_DEPOT].avs30 = 300; t->fac[F_DEPOT].liq = LIQ_LOW;
    t->dem[0].id = (char *)"hosp"; t->dem[0].lat = 35.65; t->dem[0].lon = 139.70;
    t->dem[0].avs30 = 300; t->dem[0].liq = LIQ_LOW; t->dem[0].gw_depth_m = 3;
    comp(t, C_REF_PROC, F_REF, COMP_PROCESS, 0, -1, 0);
    comp(t, C_REF_BERTH, F_REF, COMP_BERTH, -1, 1, 1);
    comp(t, C_REF_POWER, F_REF, COMP_POWER, 2, -1, 2);
    comp(t, C_REF_RACK, F_REF, COMP_RACK, 0, -1, 0);
    comp(t, C_LNG_PROC, F_LNG, COMP_PROCESS, 2, -1, 2);
    comp(t, C_LNG_TANK, F_LNG, COMP_TANK, 0, 1, 0);
    comp(t, C_DEPOT_SIDING, F_DEPOT, COMP_SIDING, 0, -1, 0);
    comp(t, C_DEPOT_RACK, F_DEPOT, COMP_RACK, 0, -1, 0);
    comp(t, C_TERM_BERTH, F_TERM, COMP_BERTH, -1, 1, 1);
    comp(t, C_TERM_TANK, F_TERM, COMP_TANK, 0, -1, 0);
    link(t, L_SEA_REF, MODE_SEA, F_MOUTH, F_REF, 0, 1, 1, 72);
    link(t, L_RAIL, MODE_RAIL, F_REF, F_DEPOT, 0, 0, 0, 24);
    link(t, L_ROAD_EMERG, MODE_ROAD, F_REF, NF + 0, 1, -1, -1, 6);
    link(t, L_ROAD_ORD, MODE_ROAD, F_DEPOT, NF + 0, 0, -1, -1, 6);
    link(t, L_SEA_TERM, MODE_SEA, F_MOUTH, F_TERM, 0, -1, -1, 48);
    t->quake[0].id = (char *)"q"; t->quake[0].mw = 7.3; t->quake[0].lat = 35.55;
    t->quake[0].lon = 139.80; t->quake[0].depth_km = 40; t->quake[0].fault = FAULT_INTRASLAB;
    t->ts[0].quake = 0; t->ts[0].place = F_TERM; t->ts[0].depth_m = 1.2; t->ts[0].recede_h = 30;
    t->area[0].id = (char *)"a";
    t->feed[0].area = 0; t->feed[0].facility = F_LNG; t->feed[0].share = 1.0;

    World *w = &t->w;
    w->fac = t->fac; w->nfac = NF;
    w->dem = t->dem; w->ndem = 1;
    w->comp = t->comp; w->ncomp = NC;
    w->link = t->link; w->nlink = NL;
    w->frag = t->frag; w->nfrag = 3;
    w->rest = t->rest; w->nrest = 3;
    w->quake = t->quake; w->nquake = 1;
    w->tsunami = t->ts; w->ntsunami = 1;
    w->area = t->area; w->narea = 1;
    w->feed = t->feed; w->nfeed = 1;
    const double cf[NDS] = {1, 0.8, 0.5, 0.1, 0};
    memcpy(w->capacity_fraction, cf, sizeof cf);
    w->hazard.sigma_between_ln = 0.3;
    w->hazard.sigma_within_ln = 0.5;
    w->hazard.corr_range_km = 40.7;
    w->hazard.corr_range_pgv_km = 26;
    w->hazard.trip_pga_g = 0.18;
    w->hazard.trip_inspection_h = 100;
}

TEST(repair_times_follow_the_truncated_normal)
{
    /* Hazus refinery, moderate: Normal(3.0, 2.2) days truncated at 0.
     * alpha = -3 / 2.2 = -1.3636; truncated mean = 3 + 2.2 phi(alpha) /
     * (1 - Phi(alpha)) = 3 + 2.2 * 0.15746 / 0.91363 = 3.3792 days = 81.10 h.
     * N = 100000: the standard error of the mean is about 2.0 / 316 days
     * = 0.15 h, so 0.75 h is 5 standard errors. */
    const RestorationClass *rc = &rest[0];
    double a = -3.0 / 2.2;
    double tmean = 24 * (3.0 + 2.2 * exp(-a * a / 2) / sqrt(2 * M_PI) / (1 - dist_phi(a)));
    CHECK_NEAR(tmean, 81.10, 0.01);
    enum { N = 100000 };
    Rng r;
    rng_init(&r, 11, 0, RNG_RESTORE);
    double sum = 0, mn = 1e9;
    for (int i = 0; i < N; i++) {
        double t = rst_repair_time_h(rc, DS_MODERATE, rng_uniform_pos(&r));
        sum += t;
        if (t < mn) mn = t;
    }
    CHECK_NEAR(sum / N, tmean, 0.75);
    CHECK(mn >= 0);
    /* Quantiles by hand: slight, Normal(0.4, 0.1): truncation is negligible
     * (Phi(-4) = 3.2e-5), so u = 0.5 gives 0.4 days = 9.6 h, and u = 0.975
     * about 0.4 + 1.96 * 0.1 = 0.596 days = 14.30 h. */
    CHECK_NEAR(rst_repair_time_h(rc, DS_SLIGHT, 0.5), 9.6, 0.001);
    CHECK_NEAR(rst_repair_time_h(rc, DS_SLIGHT, 0.975), 14.304, 0.002);
    CHECK(rst_repair_time_h(rc, DS_NONE, 0.9) == 0);
    CHECK(rst_repair_time_h(rc, DS_COMPLETE, 0.2) < rst_repair_time_h(rc, DS_COMPLETE, 0.8));
    CHECK(isfinite(rst_repair_time_h(rc, DS_COMPLETE, 1.0 - 1e-17)));
}

/* Earliest usable time of links of `mode` touching facility f. */
static double earliest_link(const World *w, const RstSchedule *s, LinkMode mode, int f)
{
    double t = HUGE_VAL;
    for (int l = 0; l < w->nlink; l++)
        if (w->link[l].mode == mode && (w->link[l].from == f || w->link[l].to == f))
            t = fmin(t, s->link[l].usable_h);
    return t;
}

static int step_consistent(const RstItem *it)
{
    const RstStep *st = &it->cap;
    if (st->n < 1 || st->n > RST_MAXSTEP || st->t_h[0] != 0) return 0;
    for (int i = 1; i < st->n; i++)
        if (!(st->t_h[i] > st->t_h[i - 1]) || !(st->frac[i] > st->frac[i - 1])) return 0;
    if (st->frac[st->n - 1] != 1.0) return 0;
    if (rst_step_at(st, it->usable_h) <= 0) return 0;
    if (it->usable_h > 0 && rst_step_at(st, it->usable_h * (1 - 1e-9) - 1e-9) != 0) return 0;
    if (rst_step_at(st, it->full_h) != 1.0) return 0;
    if (it->full_h > 0 && rst_step_at(st, it->full_h * (1 - 1e-9) - 1e-9) == 1.0) return 0;
    return 1;
}

/* What rst_replicate fills for a World and earthquake: the field, a
 * sample, an outcome and a schedule, made and freed together. */
typedef struct Draw {
    HazField *hf;
    HazSample *hs;
    DmgOutcome *dmg;
    RstSchedule *s;
} Draw;

static Draw draw_new(const World *w, int quake)
{
    Draw d;
    d.hf = haz_field_new(w, quake);
    d.hs = haz_sample_new(d.hf);
    d.dmg = dmg_outcome_new(w);
    d.s = rst_schedule_new(w);
    return d;
}

static void draw_free(Draw *d)
{
    rst_schedule_free(d->s);
    dmg_outcome_free(d->dmg);
    haz_sample_free(d->hs);
    haz_field_free(d->hf);
}

/* Replicate (seed, rep) of d's field into the schedule into (d->s or another). */
static void draw_rep(Draw *d, uint64_t seed, uint64_t rep, RstSchedule *into)
{
    rst_replicate(d->hf, seed, rep, d->hs, d->dmg, into);
}

TEST(dependency_rules_hold_in_every_sampled_outcome)
{
    enum { N = 3000 };
    RW t;
    rw_init(&t);
    const World *w = &t.w;
    Draw dr = draw_new(w, 0);
    const DmgOutcome *dmg = dr.dmg;
    const RstSchedule *s = dr.s;
    int ok_ref = 1, ok_berth = 1, ok_siding = 1, ok_flood = 1, ok_roads = 1, ok_area = 1,
        ok_steps = 1, ok_fac = 1, ok_lngproc = 1;
    int bind[NRSTGATE] = {0}, bind_berth_fairway = 0, bind_siding_rail = 0;
    for (int rep = 0; rep < N; rep++) {
        draw_rep(&dr, 77, (uint64_t)rep, dr.s);
        const RstItem *proc = &s->comp[C_REF_PROC], *berth = &s->comp[C_REF_BERTH];
        /* A refinery never produces before its power, its crude berth, and
         * (when tripped) the safety inspection. */
        ok_ref &= proc->usable_h >= s->fac_power_h[F_REF] && proc->usable_h >= berth->usable_h;
        if (dmg->fac_tripped[F_REF]) ok_ref &= proc->usable_h >= w->hazard.trip_inspection_h;
        bind[proc->gate]++;
        /* A berth never serves before its fairway is cleared, nor without power. */
        ok_berth &= berth->usable_h >= earliest_link(w, s, MODE_SEA, F_REF) &&
                    berth->usable_h >= s->fac_power_h[F_REF];
        bind_berth_fairway += berth->gate == RST_GATE_FAIRWAY;
        /* The rail-fed depot's siding waits for its line. */
        ok_siding &= s->comp[C_DEPOT_SIDING].usable_h >= s->link[L_RAIL].usable_h;
        bind_siding_rail += s->comp[C_DEPOT_SIDING].gate == RST_GATE_RAIL;
        /* The flooded terminal is unusable until the water recedes, and its
         * fairway clearance only starts then. */
        ok_flood &= s->place_access_h[F_TERM] == 30 && s->comp[C_TERM_TANK].usable_h >= 30 &&
                    s->comp[C_TERM_BERTH].usable_h >= 30 + 48 &&
                    s->link[L_SEA_TERM].usable_h >= 30 + 48 &&
                    rst_capacity_at(s, C_TERM_TANK, 29.9) == 0;
        /* Emergency roads first: same clear_h, undamaged, both inspected. */
        if (dmg->link_inspect[L_ROAD_EMERG] && dmg->link_inspect[L_ROAD_ORD])
            ok_roads &= s->link[L_ROAD_EMERG].usable_h == 6 &&
                        s->link[L_ROAD_ORD].usable_h == 6 * RST_ORDINARY_ROAD_FACTOR;
        /* Area power comes on exactly when the LNG terminal's send-out
         * (weakest of process and tank) first reaches half. */
        double ton = s->area_power_h[0];
        double lng_at = fmin(rst_capacity_at(s, C_LNG_PROC, ton), rst_capacity_at(s, C_LNG_TANK, ton));
        ok_area &= lng_at >= RST_AREA_POWER_MIN;
        if (ton > 0) {
            double before = fmin(rst_capacity_at(s, C_LNG_PROC, ton - 1e-6),
                                 rst_capacity_at(s, C_LNG_TANK, ton - 1e-6));
            ok_area &= before < RST_AREA_POWER_MIN;
        }
        ok_area &= s->fac_power_h[F_REF] >= ton && s->fac_power_h[F_REF] >= s->comp[C_REF_POWER].usable_h;
        ok_area &= s->fac_power_h[F_LNG] == 0;        /* own generation, no intake, not flooded */
        /* LNG production is not held back by the grid it feeds. */
        ok_lngproc &= s->comp[C_LNG_PROC].gate == RST_GATE_NONE || s->comp[C_LNG_PROC].gate == RST_GATE_REPAIR;
        for (int c = 0; c < NC; c++) ok_steps &= step_consistent(&s->comp[c]);
        for (int l = 0; l < NL; l++) ok_steps &= step_consistent(&s->link[l]);
        for (int f = 0; f < NF; f++)
            for (int c = 0; c < NC; c++)
                if (t.comp[c].facility == f)
                    ok_fac &= s->fac_usable_h[f] >= s->comp[c].usable_h && s->fac_full_h[f] >= s->comp[c].full_h;
    }
    CHECK(ok_ref);
    CHECK(ok_berth);
    CHECK(ok_siding);
    CHECK(ok_flood);
    CHECK(ok_roads);
    CHECK(ok_area);
    CHECK(ok_lngproc);
    CHECK(ok_steps);
    CHECK(ok_fac);
    /* Each rule binds in some outcomes, so the checks above are not vacuous. */
    fprintf(stderr, "    process gates: trip %d berth %d power %d repair %d; berth by fairway %d;"
                    " siding by rail %d (of %d)\n", bind[RST_GATE_TRIP], bind[RST_GATE_BERTH],
            bind[RST_GATE_POWER], bind[RST_GATE_REPAIR], bind_berth_fairway, bind_siding_rail, N);
    CHECK(bind[RST_GATE_TRIP] > 0);
    CHECK(bind[RST_GATE_BERTH] > 0);
    CHECK(bind[RST_GATE_POWER] > 0);
    CHECK(bind[RST_GATE_REPAIR] > 0);
    CHECK(bind_berth_fairway > 0);
    CHECK(bind_siding_rail > 0);
    draw_free(&dr);
}

TEST(tripped_undamaged_refinery_waits_for_inspection_then_runs_full)
{
    /* Damage set by hand: nothing damaged, refinery tripped, no shaking
     * strong enough to close links. Refinery has own generation here. */
    RW t;
    rw_init(&t);
    t.fac[F_REF].has_generator = 1;
    const World *w = &t.w;
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *s = rst_schedule_new(w);
    dmg->fac_tripped[F_REF] = 1;
    Rng r;
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    const RstItem *p = &s->comp[C_REF_PROC];
    CHECK(p->gate == RST_GATE_TRIP && p->usable_h == 100 && p->full_h == 100);
    CHECK(p->cap.n == 2 && p->cap.t_h[1] == 100);
    CHECK(rst_capacity_at(s, C_REF_PROC, 99.99) == 0 && rst_capacity_at(s, C_REF_PROC, 100) == 1);
    CHECK(rst_capacity_at(s, C_REF_RACK, 0) == 1);            /* loading goes on */
    CHECK(s->link[L_SEA_REF].usable_h == 0);                  /* not inspected: open */

    /* Now the berth is extensively damaged (capacity 0.1 until repaired)
     * and the fairway needs clearance: the berth serves at 10% from 72 h;
     * production still waits for the trip inspection (100 h). With the
     * inspection cut to 50 h, production waits for the berth instead. */
    dmg->comp_ds[C_REF_BERTH] = DS_EXTENSIVE;
    dmg->link_inspect[L_SEA_REF] = 1;
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    const RstItem *b = &s->comp[C_REF_BERTH];
    CHECK(b->gate == RST_GATE_FAIRWAY && b->usable_h == 72);
    CHECK(rst_capacity_at(s, C_REF_BERTH, 71.9) == 0);
    if (b->repair_h > 72) {
        CHECK(rst_capacity_at(s, C_REF_BERTH, 72) == 0.1);
        CHECK(b->full_h == b->repair_h && rst_capacity_at(s, C_REF_BERTH, b->repair_h) == 1);
    }
    CHECK(p->gate == RST_GATE_TRIP && p->usable_h == 100);
    t.w.hazard.trip_inspection_h = 50;
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    CHECK(p->gate == RST_GATE_BERTH && p->usable_h == 72);

    /* Complete damage of the LNG terminal's send-out: the area and the
     * refinery (now without own generation) wait for its repair. */
    t.fac[F_REF].has_generator = 0;
    dmg->comp_ds[C_LNG_PROC] = DS_COMPLETE;
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    double lng = s->comp[C_LNG_PROC].repair_h;
    CHECK(lng > 0 && s->comp[C_LNG_PROC].usable_h == lng);
    CHECK(s->area_power_h[0] == lng && !rst_area_has_power(s, 0, lng - 1) && rst_area_has_power(s, 0, lng));
    CHECK(s->fac_power_h[F_REF] == lng && s->fac_power_h[F_LNG] == 0);
    CHECK(p->usable_h == fmax(lng, 72) && p->usable_h >= 50);
    CHECK(s->comp[C_REF_RACK].usable_h == lng && s->comp[C_REF_RACK].gate == RST_GATE_POWER);
    rst_schedule_free(s);
    dmg_outcome_free(dmg);
}

TEST(refinery_runs_on_its_crude_until_the_berth_is_back)
{
    /* Tripped and undamaged, own generation, inspection 50 h; the crude
     * berth is extensively damaged and its fairway cleared at 72 h. */
    RW t;
    rw_init(&t);
    t.fac[F_REF].has_generator = 1;
    t.w.hazard.trip_inspection_h = 50;
    const World *w = &t.w;
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *s = rst_schedule_new(w);
    dmg->fac_tripped[F_REF] = 1;
    dmg->comp_ds[C_REF_BERTH] = DS_EXTENSIVE;
    dmg->link_inspect[L_SEA_REF] = 1;
    Rng r;
    const RstItem *p = &s->comp[C_REF_PROC];
    /* No crude on hand: production waits for the berth, as before. */
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    CHECK(s->comp[C_REF_BERTH].usable_h == 72);
    CHECK(p->gate == RST_GATE_BERTH && p->usable_h == 72 && rst_capacity_at(s, C_REF_PROC, 71.9) == 0);
    /* Two days of crude: it restarts after the inspection and the berth is
     * back before the crude runs out, so it never stops again. */
    t.fac[F_REF].crude_days = 2;
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    CHECK(p->gate == RST_GATE_TRIP && p->usable_h == 50 && p->full_h == 50);
    CHECK(rst_capacity_at(s, C_REF_PROC, 49.9) == 0 && rst_capacity_at(s, C_REF_PROC, 50) == 1);
    CHECK(rst_capacity_at(s, C_REF_PROC, 70) == 1 && rst_capacity_at(s, C_REF_PROC, 1000) == 1);
    /* Half a day: it runs 50-62 h, stops without crude, and starts again
     * when the berth serves at 72 h. */
    t.fac[F_REF].crude_days = 0.5;
    rng_init(&r, 1, 0, RNG_RESTORE);
    rst_build(w, 0, dmg, &r, s);
    CHECK(p->usable_h == 50 && p->full_h == 72);
    CHECK(rst_capacity_at(s, C_REF_PROC, 61.9) == 1 && rst_capacity_at(s, C_REF_PROC, 62) == 0);
    CHECK(rst_capacity_at(s, C_REF_PROC, 71.9) == 0 && rst_capacity_at(s, C_REF_PROC, 72) == 1);
    rst_schedule_free(s);
    dmg_outcome_free(dmg);
}

TEST(no_quake_gives_an_undamaged_schedule)
{
    RW t;
    rw_init(&t);
    Draw dr = draw_new(&t.w, -1);
    RstSchedule *s = dr.s;
    draw_rep(&dr, 5, 5, dr.s);
    int ok = 1;
    for (int c = 0; c < NC; c++)
        ok &= s->comp[c].ds == DS_NONE && s->comp[c].usable_h == 0 && s->comp[c].full_h == 0 &&
              rst_capacity_at(s, c, 0) == 1 && s->comp[c].cap.n == 1;
    for (int l = 0; l < NL; l++) ok &= s->link[l].usable_h == 0 && rst_link_capacity_at(s, l, 0) == 1;
    for (int f = 0; f < NF; f++) ok &= s->fac_power_h[f] == 0 && s->fac_usable_h[f] == 0;
    ok &= s->area_power_h[0] == 0 && s->place_access_h[F_TERM] == 0;   /* no tsunami either */
    CHECK(ok);
    draw_free(&dr);
}

static int same_item(const RstItem *a, const RstItem *b)
{
    if (a->ds != b->ds || a->repair_h != b->repair_h || a->usable_h != b->usable_h ||
        a->full_h != b->full_h || a->gate != b->gate || a->cap.n != b->cap.n) return 0;
    for (int i = 0; i < a->cap.n; i++)
        if (a->cap.t_h[i] != b->cap.t_h[i] || a->cap.frac[i] != b->cap.frac[i]) return 0;
    return 1;
}

static int same_schedule(const RstSchedule *a, const RstSchedule *b, const World *w)
{
    int same = 1;
    for (int c = 0; c < w->ncomp; c++) same &= same_item(&a->comp[c], &b->comp[c]);
    for (int l = 0; l < w->nlink; l++) same &= same_item(&a->link[l], &b->link[l]);
    for (int f = 0; f < w->nfac; f++) same &= a->fac_power_h[f] == b->fac_power_h[f];
    for (int r = 0; r < w->narea; r++) same &= a->area_power_h[r] == b->area_power_h[r];
    return same;
}

TEST(outcome_depends_only_on_seed_and_rep)
{
    RW t;
    rw_init(&t);
    const World *w = &t.w;
    Draw dr = draw_new(w, 0);
    RstSchedule *a = dr.s, *b = rst_schedule_new(w);
    draw_rep(&dr, 123, 4, a);
    draw_rep(&dr, 123, 9, b);      /* something else in between */
    CHECK(!same_schedule(a, b, w));
    draw_rep(&dr, 123, 4, b);
    CHECK(same_schedule(a, b, w));
    draw_rep(&dr, 124, 4, b);
    CHECK(!same_schedule(a, b, w));
    /* A second field for the same world and quake gives the same outcome. */
    HazField *hf2 = haz_field_new(w, 0);
    rst_replicate(hf2, 123, 4, dr.hs, dr.dmg, b);
    CHECK(same_schedule(a, b, w));
    haz_field_free(hf2);
    rst_schedule_free(b);
    draw_free(&dr);
}

TEST(trip_restart_is_drawn_from_the_observed_restarts)
{
    /* Observed 24, 24, 60, 240, 240 h: u = 0 -> 24, u = 1 -> 240, u = 0.5 ->
     * the middle one, 60; u = 0.625 -> half-way in log between 60 and 240 =
     * sqrt(60 x 240) = 120. */
    HazardParams hp;
    memset(&hp, 0, sizeof hp);
    const double obs[5] = {24, 24, 60, 240, 240};
    hp.ntrip_restart = 5;
    memcpy(hp.trip_restart_h, obs, sizeof obs);
    CHECK_NEAR(rst_trip_restart_h(&hp, 0.0), 24, 1e-12);
    CHECK_NEAR(rst_trip_restart_h(&hp, 1.0), 240, 1e-12);
    CHECK_NEAR(rst_trip_restart_h(&hp, 0.5), 60, 1e-9);
    CHECK_NEAR(rst_trip_restart_h(&hp, 0.625), 120, 1e-9);
    double prev = 0;
    int mono = 1;
    for (int i = 0; i <= 100; i++) {
        double v = rst_trip_restart_h(&hp, i / 100.0);
        mono &= v >= prev && v >= 24 && v <= 240;
        prev = v;
    }
    CHECK(mono);
    hp.ntrip_restart = 1;
    hp.trip_restart_h[0] = 240;
    CHECK(rst_trip_restart_h(&hp, 0.3) == 240);
    /* lognormal quantile: median 365 d, beta 0.5; u = Phi(1) -> 365 e^0.5 */
    CHECK_NEAR(rst_lognormal_q(365, 0.5, 0.5), 365, 1e-9);
    CHECK_NEAR(rst_lognormal_q(365, 0.5, 0.8413447460685429), 601.783264, 1e-5);
    CHECK(rst_lognormal_q(365, 0, 0.9) == 365);
}

TEST(a_fire_shuts_the_whole_site_until_its_restart)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    Draw dr = draw_new(w, w->default_quake);
    const DmgOutcome *dmg = dr.dmg;
    const RstSchedule *rs = dr.s;
    int fires = 0, held = 1, restart_ok = 1;
    for (uint64_t rep = 0; rep < 200; rep++) {
        draw_rep(&dr, 1, rep, dr.s);
        for (int f = 0; f < w->nfac; f++) {
            if (!dmg->fac_fire[f]) { held &= rs->fac_fire_back_h[f] == 0; continue; }
            fires++;
            restart_ok &= rs->fac_fire_back_h[f] > rs->fac_fire_out_h[f] && rs->fac_fire_out_h[f] > 0;
            for (int c = 0; c < w->ncomp; c++)
                if (w->comp[c].facility == f)
                    held &= rs->comp[c].usable_h >= rs->fac_fire_back_h[f] &&
                            rst_capacity_at(rs, c, rs->fac_fire_back_h[f] - 1e-6) == 0.0;
            held &= rs->fac_usable_h[f] >= rs->fac_fire_back_h[f];
        }
    }
    CHECK(fires > 0);
    CHECK(held);
    CHECK(restart_ok);
    draw_free(&dr);
    world_free(w);
}

TEST(trip_restarts_of_one_event_move_together)
{
    /* Restart quantile Phi(sqrt(rho) z_event + sqrt(1 - rho) z_site): with
     * rho = 1 every refinery of a replicate restarts at the same time; with
     * the scenario's rho = 0.8 each is still drawn from the observed list
     * (P(> 168 h) = 1 - u0, u0 = (2 + ln(168/60)/ln 4)/4 = 0.685678, so
     * 0.314322), and two refineries are both out past 168 h with
     * probability Phi2 = 0.223591 (Simpson, by hand), an indicator
     * correlation of 0.579024 instead of 0 for independent draws. */
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    CHECK_NEAR(w->hazard.trip_restart_rho, 0.8, 1e-12);
    int a = world_find_facility(w, "ref_negishi"), b = world_find_facility(w, "ref_fuji_sodegaura");
    CHECK(a >= 0 && b >= 0);
    if (a < 0 || b < 0) { world_free(w); return; }
    enum { R = 3000 };
    Draw dr = draw_new(w, w->default_quake);
    int na = 0, nb = 0, both = 0;
    for (uint64_t rep = 0; rep < R; rep++) {
        draw_rep(&dr, 3, rep, dr.s);
        int la = dr.s->fac_trip_restart_h[a] > 168, lb = dr.s->fac_trip_restart_h[b] > 168;
        na += la; nb += lb; both += la && lb;
    }
    double pa = (double)na / R, pb = (double)nb / R;
    CHECK_NEAR(pa, 0.314322, 0.035);
    CHECK_NEAR(pb, 0.314322, 0.035);
    CHECK_NEAR((double)both / R, 0.223591, 0.03);
    w->hazard.trip_restart_rho = 1.0;
    int same = 1;
    for (uint64_t rep = 0; rep < 50; rep++) {
        draw_rep(&dr, 3, rep, dr.s);
        for (int f = 0; f < w->nfac; f++) same &= dr.s->fac_trip_restart_h[f] == dr.s->fac_trip_restart_h[a];
    }
    CHECK(same);
    draw_free(&dr);
    world_free(w);
}

int main(void)
{
    RUN(repair_times_follow_the_truncated_normal);
    RUN(dependency_rules_hold_in_every_sampled_outcome);
    RUN(tripped_undamaged_refinery_waits_for_inspection_then_runs_full);
    RUN(refinery_runs_on_its_crude_until_the_berth_is_back);
    RUN(no_quake_gives_an_undamaged_schedule);
    RUN(outcome_depends_only_on_seed_and_rep);
    RUN(trip_restart_is_drawn_from_the_observed_restarts);
    RUN(a_fire_shuts_the_whole_site_until_its_restart);
    RUN(trip_restarts_of_one_event_move_together);
    return check_done();
}
