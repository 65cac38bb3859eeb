/* Damage model tests: fragility values against hand computation from the
 * published Hazus medians and betas, the shaking/ground-failure combination,
 * damage-state frequencies over many replicates against the curve, trips,
 * and that a retrofit of one component leaves the others' states alone. */
#include "check.h"
#include "damage.h"
#include "dist.h"
#include "restore.h"
#include "rng.h"
#include "scenario.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* hazus_refinery_medium_large_anchored (Hazus 2.1 via R3) and
 * hazus_port_waterfront_structure, as in the reference fragility table. */
static FragilityClass refinery = {
    (char *)"hazus_refinery_medium_large_anchored", 0,
    {0, 0.38, 0.60, 0.98, 1.26}, {0, 0.45, 0.45, 0.50, 0.45}};
static FragilityClass wharf = {
    (char *)"hazus_port_waterfront_structure", 1,
    {0, 5, 12, 17, 43}, {0, 0.5, 0.5, 0.5, 0.5}};

TEST(refinery_fragility_at_half_g_matches_hand_values)
{
    /* ln(0.5 / 0.38) / 0.45 = 0.609860 -> Phi = 0.729023
     * ln(0.5 / 0.60) / 0.45 = -0.405159 -> 0.342680
     * ln(0.5 / 0.98) / 0.50 = -1.345889 -> 0.089169
     * ln(0.5 / 1.26) / 0.45 = -2.053909 -> 0.019992 */
    CHECK_NEAR(dmg_p_exceed(&refinery, DS_SLIGHT, 0.5), 0.729023, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&refinery, DS_MODERATE, 0.5), 0.342680, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&refinery, DS_EXTENSIVE, 0.5), 0.089169, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&refinery, DS_COMPLETE, 0.5), 0.019992, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&refinery, DS_MODERATE, 0.60), 0.5, 1e-12);   /* at the median */
    CHECK(dmg_p_exceed(&refinery, DS_SLIGHT, 0.0) == 0.0);
    CHECK(dmg_p_exceed(&refinery, DS_NONE, 0.0) == 1.0);
}

TEST(wharf_fragility_on_pgd_in_inches_matches_hand_values)
{
    /* 30 cm = 11.8110 in; beta 0.5:
     * ln(11.811 / 5) / 0.5 = 1.719 -> 0.957210;  / 12 -> 0.487337;
     * / 17 -> 0.233197;  / 43 -> 0.004878 */
    double in = 30 / 2.54;
    CHECK_NEAR(dmg_p_exceed(&wharf, DS_SLIGHT, in), 0.957210, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&wharf, DS_MODERATE, in), 0.487337, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&wharf, DS_EXTENSIVE, in), 0.233197, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&wharf, DS_COMPLETE, in), 0.004878, 2e-6);
}

/* A world of two facilities (a refinery and a terminal), three components
 * and one link, with the two classes above. */
typedef struct DW {
    World w;
    Facility fac[2];
    Component comp[3];
    Link link[1];
    FragilityClass frag[3];
} DW;

static void dw_init(DW *t)
{
    memset(t, 0, sizeof *t);
    t->frag[0] = refinery;
    t->frag[1] = wharf;
    t->frag[2] = refinery;
    t->fac[0].id = (char *)"ref"; t->fac[0].kind = FAC_REFINERY;
    t->fac[1].id = (char *)"term"; t->fac[1].kind = FAC_OIL_TERMINAL;
    Component c = {(char *)"c", 0, COMP_PROCESS, 0, -1, -1, 1, 0, 0};
    t->comp[0] = c;                                          /* refinery process: PGA only */
    c.kind = COMP_BERTH; c.fragility = 0; c.fragility_pgd = 1;
    t->comp[1] = c;                                          /* berth: both */
    c.facility = 1; c.kind = COMP_TANK; c.fragility = 2; c.fragility_pgd = -1;
    t->comp[2] = c;                                          /* terminal tank */
    t->link[0].id = (char *)"l"; t->link[0].from = 0; t->link[0].to = 1;
    t->link[0].fragility = 1; t->link[0].restoration = -1;
    t->w.fac = t->fac; t->w.nfac = 2;
    t->w.comp = t->comp; t->w.ncomp = 3;
    t->w.link = t->link; t->w.nlink = 1;
    t->w.frag = t->frag; t->w.nfrag = 3;
    t->w.hazard.trip_pga_g = 0.18;
}

/* A hazard sample by hand: the same PGA and PGD at every site. */
typedef struct HS {
    HazSample s;
    double pga[3], pgv[3], pgd[3], wa[3], wv[3], z[3];
    unsigned char liq[3];
} HS;

static void hs_fill(HS *h, double pga, double pgd_cm)
{
    memset(h, 0, sizeof *h);
    h->s.nsite = 3;   /* 2 facilities + 1 link */
    h->s.pga_g = h->pga; h->s.pgv_cms = h->pgv; h->s.pgd_cm = h->pgd;
    h->s.within_pga_ln = h->wa; h->s.within_pgv_ln = h->wv; h->s.z = h->z;
    h->s.liquefied = h->liq;
    for (int i = 0; i < 3; i++) { h->pga[i] = pga; h->pgd[i] = pgd_cm; }
}

TEST(shaking_and_ground_failure_combine_as_independent_events)
{
    DW t;
    dw_init(&t);
    double p[NDS], in = 30 / 2.54;
    dmg_comp_exceed(&t.w, 1, 0.5, 30, p);
    CHECK(p[DS_NONE] == 1.0);
    for (int ds = DS_SLIGHT; ds < NDS; ds++) {
        double a = dmg_p_exceed(&refinery, ds, 0.5), d = dmg_p_exceed(&wharf, ds, in);
        CHECK_NEAR(p[ds], a + d - a * d, 1e-15);
    }
    /* slight: 0.729023 + 0.957210 - 0.697828 = 0.988405 */
    CHECK_NEAR(p[DS_SLIGHT], 0.988405, 3e-6);
    /* A PGA-only component ignores PGD, and vice versa. */
    dmg_comp_exceed(&t.w, 0, 0.5, 1000, p);
    CHECK_NEAR(p[DS_MODERATE], 0.342680, 2e-6);
    dmg_link_exceed(&t.w, 0, 3.0, 30, p);
    CHECK_NEAR(p[DS_MODERATE], 0.487337, 2e-6);
    /* Monotone in the state. */
    dmg_comp_exceed(&t.w, 1, 0.7, 20, p);
    for (int ds = DS_SLIGHT; ds < NDS; ds++) CHECK(p[ds] <= p[ds - 1]);
}

TEST(state_from_uniform_reads_the_cumulative_curve)
{
    const double p[NDS] = {1, 0.7, 0.3, 0.1, 0.02};
    CHECK(dmg_state_from_uniform(p, 0.80) == DS_NONE);
    CHECK(dmg_state_from_uniform(p, 0.50) == DS_SLIGHT);
    CHECK(dmg_state_from_uniform(p, 0.20) == DS_MODERATE);
    CHECK(dmg_state_from_uniform(p, 0.05) == DS_EXTENSIVE);
    CHECK(dmg_state_from_uniform(p, 0.01) == DS_COMPLETE);
    CHECK(dmg_state_from_uniform(p, 0.0) == DS_COMPLETE);
}

TEST(state_frequencies_over_replicates_match_the_fragility_curve)
{
    /* 100000 replicates at PGA 0.5 g, PGD 30 cm. Each frequency is binomial:
     * standard error <= sqrt(0.25 / 1e5) = 0.0016, so 0.007 is over 4 standard
     * errors. Expected P(DS = ds) = P(>= ds) - P(>= ds + 1). */
    enum { N = 100000 };
    DW t;
    dw_init(&t);
    HS h;
    hs_fill(&h, 0.5, 30);
    DmgOutcome *o = dmg_outcome_new(&t.w);
    long cnt[3][NDS] = {{0}};
    for (int r = 0; r < N; r++) {
        Rng rng;
        rng_init(&rng, 2024, (uint64_t)r, RNG_DAMAGE);
        dmg_sample(&t.w, &h.s, &rng, o);
        cnt[0][o->comp_ds[0]]++;
        cnt[1][o->comp_ds[1]]++;
        cnt[2][o->link_ds[0]]++;
    }
    double pc[NDS], pb[NDS], pl[NDS];
    dmg_comp_exceed(&t.w, 0, 0.5, 30, pc);
    dmg_comp_exceed(&t.w, 1, 0.5, 30, pb);
    dmg_link_exceed(&t.w, 0, 0.5, 30, pl);
    for (int ds = DS_NONE; ds < NDS; ds++) {
        int last = ds == NDS - 1;
        CHECK_NEAR((double)cnt[0][ds] / N, pc[ds] - (last ? 0 : pc[ds + 1]), 0.007);
        CHECK_NEAR((double)cnt[1][ds] / N, pb[ds] - (last ? 0 : pb[ds + 1]), 0.007);
        CHECK_NEAR((double)cnt[2][ds] / N, pl[ds] - (last ? 0 : pl[ds + 1]), 0.007);
    }
    /* The hand values for the process unit: none 0.270977, complete 0.019992. */
    CHECK_NEAR((double)cnt[0][DS_NONE] / N, 0.270977, 0.007);
    CHECK_NEAR((double)cnt[0][DS_COMPLETE] / N, 0.019992, 0.0025);   /* SE 0.00044 */
    dmg_outcome_free(o);
}

TEST(refineries_trip_above_the_threshold_and_links_need_inspection)
{
    DW t;
    dw_init(&t);
    HS h;
    DmgOutcome *o = dmg_outcome_new(&t.w);
    Rng r;
    hs_fill(&h, 0.2, 0);
    rng_init(&r, 1, 0, RNG_DAMAGE);
    dmg_sample(&t.w, &h.s, &r, o);
    CHECK(o->fac_tripped[0] == 1 && o->fac_tripped[1] == 0);   /* terminals do not trip */
    CHECK(o->link_inspect[0] == 1);
    hs_fill(&h, 0.05, 0);
    rng_init(&r, 1, 0, RNG_DAMAGE);
    dmg_sample(&t.w, &h.s, &r, o);
    CHECK(o->fac_tripped[0] == 0 && o->link_inspect[0] == 0);
    hs_fill(&h, 0, 0);
    rng_init(&r, 1, 0, RNG_DAMAGE);
    dmg_sample(&t.w, &h.s, &r, o);
    for (int c = 0; c < 3; c++) CHECK(o->comp_ds[c] == DS_NONE);
    CHECK(o->link_ds[0] == DS_NONE);
    dmg_outcome_free(o);
}

TEST(retrofit_of_one_component_leaves_the_others_unchanged)
{
    /* Common random numbers: doubling the medians of the tank's class
     * changes only the tank; same seed and rep give the same states. */
    DW a, b;
    dw_init(&a);
    dw_init(&b);
    for (int ds = DS_SLIGHT; ds < NDS; ds++) b.frag[2].median[ds] *= 2;
    HS h;
    hs_fill(&h, 0.6, 40);
    DmgOutcome *oa = dmg_outcome_new(&a.w), *ob = dmg_outcome_new(&b.w), *oc = dmg_outcome_new(&a.w);
    int same_others = 1, tank_differs = 0, tank_worse = 0, reps_differ = 0;
    for (int r = 0; r < 2000; r++) {
        Rng ra, rb;
        rng_init(&ra, 9, (uint64_t)r, RNG_DAMAGE);
        rng_init(&rb, 9, (uint64_t)r, RNG_DAMAGE);
        dmg_sample(&a.w, &h.s, &ra, oa);
        dmg_sample(&b.w, &h.s, &rb, ob);
        same_others &= oa->comp_ds[0] == ob->comp_ds[0] && oa->comp_ds[1] == ob->comp_ds[1] &&
                       oa->link_ds[0] == ob->link_ds[0];
        tank_differs |= oa->comp_ds[2] != ob->comp_ds[2];
        tank_worse |= ob->comp_ds[2] > oa->comp_ds[2];
        rng_init(&ra, 9, (uint64_t)r + 1, RNG_DAMAGE);
        dmg_sample(&a.w, &h.s, &ra, oc);
        reps_differ |= memcmp(oa->comp_ds, oc->comp_ds, 3) != 0;
    }
    CHECK(same_others);
    CHECK(tank_differs);
    CHECK(!tank_worse);     /* one uniform per item: a stronger tank is never worse */
    CHECK(reps_differ);
    dmg_outcome_free(oa); dmg_outcome_free(ob); dmg_outcome_free(oc);
}

/* The structure-specific classes of the embedded scenario, read from its
 * fragility table, against hand computation (Phi of ln(IM/median)/beta). */
TEST(quay_wall_floating_roof_and_lpg_sphere_curves_match_hand_values)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    int q = world_find_fragility(w, "quay_wall_gravity");
    int r = world_find_fragility(w, "quay_wall_reinforced");
    int t = world_find_fragility(w, "tank_floating_roof_unanchored");
    CHECK(q >= 0 && r >= 0 && t >= 0);
    if (q < 0 || r < 0 || t < 0) { world_free(w); return; }
    /* quay wall at 0.3 g, beta 0.5: ln(0.3/0.15)/0.5 = 1.386294 -> 0.917171;
     * ln(0.3/0.27)/0.5 = 0.210721 -> 0.583448; ln(0.3/0.42)/0.5 -> 0.250491;
     * ln(0.3/0.65)/0.5 -> 0.061006 */
    CHECK_NEAR(dmg_p_exceed(&w->frag[q], DS_SLIGHT, 0.3), 0.917171, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[q], DS_MODERATE, 0.3), 0.583448, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[q], DS_EXTENSIVE, 0.3), 0.250491, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[q], DS_COMPLETE, 0.3), 0.061006, 2e-6);
    /* reinforced quays: the same curve at twice the motion */
    for (int ds = DS_SLIGHT; ds < NDS; ds++)
        CHECK_NEAR(dmg_p_exceed(&w->frag[r], ds, 0.6), dmg_p_exceed(&w->frag[q], ds, 0.3), 1e-12);
    /* floating-roof tank at 0.3 g: ln(0.3/0.15)/0.7 -> 0.838964; ln(0.3/0.35)/0.75
     * -> 0.418577; ln(0.3/0.68)/0.75 -> 0.137619; ln(0.3/0.95)/0.7 -> 0.049811 */
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_SLIGHT, 0.3), 0.838964, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_MODERATE, 0.3), 0.418577, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_EXTENSIVE, 0.3), 0.137619, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_COMPLETE, 0.3), 0.049811, 2e-6);
    world_free(w);
}

TEST(fire_probability_sums_states_of_the_fire_class_times_fire_p)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    int f = world_find_facility(w, "ref_cosmo_chiba");
    int lpg = world_find_fragility(w, "lpg_sphere_braced");
    CHECK(f >= 0 && lpg >= 0 && w->fac[f].fire_class == lpg);
    /* LPG sphere at 0.7 g (its moderate median): P(>=ds) = 0.921049, 0.5,
     * 0.186189, 0.084133; states 0.421049, 0.313811, 0.102056, 0.084133;
     * x fire_p 0.005, 0.03, 0.1, 0.3 = 0.046965. */
    CHECK_NEAR(dmg_fire_prob(w, f, 0.7), 0.046965, 2e-6);
    CHECK(dmg_fire_prob(w, f, 0.0) == 0.0);
    CHECK(dmg_fire_prob(w, world_find_facility(w, "lng_futtsu"), 0.7) == 0.0);   /* no fire class */
    /* trip level: 0.18 g x exp(0.3 z); z = 1 -> 0.242975 g; z = 0 -> the median */
    CHECK_NEAR(dmg_trip_level_g(&w->hazard, 1.0), 0.242975, 1e-6);
    CHECK_NEAR(dmg_trip_level_g(&w->hazard, 0.0), 0.18, 1e-12);
    world_free(w);
}

TEST(fires_break_out_at_the_rate_the_model_gives)
{
    /* Over replicates of the default quake the fire count at each facility
     * matches the sum of its per-replicate probability at the sampled PGA
     * (within 4 standard errors of a Poisson-binomial count). */
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    enum { N = 3000 };
    HazField *hf = haz_field_new(w, w->default_quake);
    HazSample *hs = haz_sample_new(hf);
    DmgOutcome *o = dmg_outcome_new(w);
    double *expect = calloc((size_t)w->nfac, sizeof *expect), *var = calloc((size_t)w->nfac, sizeof *var);
    int *seen = calloc((size_t)w->nfac, sizeof *seen);
    for (int rep = 0; rep < N; rep++) {
        Rng r;
        rng_init(&r, 7, (uint64_t)rep, RNG_HAZARD);
        haz_sample(hf, &r, hs);
        rng_init(&r, 7, (uint64_t)rep, RNG_DAMAGE);
        dmg_sample(w, hs, &r, o);
        for (int f = 0; f < w->nfac; f++) {
            double p = dmg_fire_prob(w, f, hs->pga_g[haz_site_of_place(w, f)]);
            expect[f] += p;
            var[f] += p * (1 - p);
            seen[f] += o->fac_fire[f];
            if (w->fac[f].fire_class < 0) CHECK(o->fac_fire[f] == 0);
        }
    }
    int ok = 1, any = 0;
    for (int f = 0; f < w->nfac; f++) {
        any += seen[f];
        if (fabs(seen[f] - expect[f]) > 4 * sqrt(var[f]) + 1) {
            ok = 0;
            fprintf(stderr, "  %s: %d fires, %.1f expected\n", w->fac[f].id, seen[f], expect[f]);
        }
    }
    CHECK(ok);
    CHECK(any > 0);
    free(expect); free(var); free(seen);
    dmg_outcome_free(o);
    haz_sample_free(hs);
    haz_field_free(hf);
    world_free(w);
}

TEST(ala_steel_tank_curve_matches_hand_values)
{
    /* tank_steel_onground_ala_fill60 at 0.5 g (ALA 2001 after O'Rourke &
     * So 2000, fill >= 60%): ln(0.5/0.22)/0.8 = 1.026226 -> 0.847607;
     * ln(0.5/0.70)/0.8 = -0.420590 -> 0.337027; ln(0.5/1.09)/0.8 =
     * -0.974156 -> 0.164990; ln(0.5/1.16)/0.41 = -2.052603 -> 0.020056 */
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    int t = world_find_fragility(w, "tank_steel_onground_ala_fill60");
    CHECK(t >= 0);
    if (t < 0) { world_free(w); return; }
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_SLIGHT, 0.5), 0.847607, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_MODERATE, 0.5), 0.337027, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_EXTENSIVE, 0.5), 0.164990, 2e-6);
    CHECK_NEAR(dmg_p_exceed(&w->frag[t], DS_COMPLETE, 0.5), 0.020056, 2e-6);
    /* the refinery tank farms use it, one tank per unit: Fuji Oil's 119
     * product tanks plus ~11 crude tanks */
    int c = world_find_component(w, "ref_fuji_sodegaura_tank");
    CHECK(c >= 0 && w->comp[c].fragility == t && w->comp[c].count == 130 && dmg_is_population(&w->comp[c]));
    world_free(w);
}

/* P(Z1 < a, Z2 < a) for standard normals of correlation rho, by Simpson's
 * rule over the shared term: the integral of phi(s) Phi((a - sqrt(rho) s) /
 * sqrt(1 - rho))^2. */
static double phi2_same(double a, double rho)
{
    const int n = 4000;
    double lo = -9, h = 18.0 / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double z = lo + i * h, wt = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        double q = dist_phi((a - sqrt(rho) * z) / sqrt(1 - rho));
        sum += wt * exp(-0.5 * z * z) / sqrt(2 * M_PI) * q * q;
    }
    return sum * h / 3;
}

TEST(tank_population_matches_its_expectation_and_correlation)
{
    const double p[NDS] = {1, 0.3, 0.1, 0.05, 0.01};
    const double cf[NDS] = {1, 0.8, 0.5, 0.2, 0};
    int counts[NDS];
    Rng r;
    rng_init(&r, 11, 0, RNG_DAMAGE);
    /* rho = 1: one state for the whole farm; the shared term alone decides */
    double m = dmg_population(p, 50, 1.0, -3.0, cf, &r, counts);   /* Phi(-3) = 0.00135 < 0.01 */
    CHECK(counts[DS_COMPLETE] == 50 && m == 0.0);
    m = dmg_population(p, 50, 1.0, 0.0, cf, &r, counts);           /* Phi(0) = 0.5 > 0.3 */
    CHECK(counts[DS_NONE] == 50 && m == 1.0);
    /* Mean fraction in each state and mean capacity over farms of 50, rho
     * 0.5: E[fraction >= ds] = p[ds]; E[capacity] = 1 - (0.2 x 0.3 + 0.3 x
     * 0.1 + 0.3 x 0.05 + 0.2 x 0.01) = 0.893. */
    enum { R = 4000, N = 50 };
    double ge[NDS] = {0}, cap = 0, f1 = 0, f1sq = 0;
    for (int k = 0; k < R; k++) {
        double z = dist_normal(&r);
        cap += dmg_population(p, N, 0.5, z, cf, &r, counts);
        int cum = 0;
        for (int ds = NDS - 1; ds >= DS_SLIGHT; ds--) {
            cum += counts[ds];
            ge[ds] += (double)cum / N;
        }
        double fr = (double)(N - counts[DS_NONE]) / N;
        f1 += fr;
        f1sq += fr * fr;
    }
    for (int ds = DS_SLIGHT; ds < NDS; ds++) CHECK_NEAR(ge[ds] / R, p[ds], 0.02);
    CHECK_NEAR(cap / R, 0.893, 0.01);
    /* Variance of the damaged fraction: p(1-p)/N + (N-1)/N (Phi2 - p^2),
     * Phi2 = P(two tanks damaged) = 0.156767 at p = 0.3, rho = 0.5 (Simpson,
     * checked by hand): 0.0042 + 0.98 x 0.066767 = 0.069632. Independent
     * tanks would give 0.0042. */
    double a = dist_phi_inv(0.3), ph2 = phi2_same(a, 0.5);
    CHECK_NEAR(ph2, 0.156767, 2e-6);
    double var_model = 0.3 * 0.7 / N + (N - 1.0) / N * (ph2 - 0.09);
    double var = f1sq / R - (f1 / R) * (f1 / R);
    CHECK_NEAR(var, var_model, 0.1 * var_model);
    /* Correlation between two tanks of one farm: (Phi2 - p^2) / (p (1 - p))
     * = 0.317940 in the model; sampled over pairs. */
    enum { RP = 20000 };
    int both = 0, one = 0;
    for (int k = 0; k < RP; k++) {
        double z = dist_normal(&r);
        dmg_population(p, 2, 0.5, z, cf, &r, counts);
        int dmg = 2 - counts[DS_NONE];
        both += dmg == 2;
        one += dmg;
    }
    double pm = one / (2.0 * RP), corr = (both / (double)RP - pm * pm) / (pm * (1 - pm));
    CHECK_NEAR((ph2 - 0.09) / 0.21, 0.317940, 2e-6);
    CHECK_NEAR(corr, 0.317940, 0.04);
    /* the equivalent state a farm's repair is drawn for */
    CHECK(dmg_equivalent_state(cf, 1.0) == DS_NONE);
    CHECK(dmg_equivalent_state(cf, 0.95) == DS_SLIGHT);
    CHECK(dmg_equivalent_state(cf, 0.64) == DS_MODERATE);
    CHECK(dmg_equivalent_state(cf, 0.3) == DS_EXTENSIVE);
    CHECK(dmg_equivalent_state(cf, 0.09) == DS_COMPLETE);
}

TEST(tank_farms_in_the_bay_carry_their_mean_capacity_into_restoration)
{
    TU_WORLD_OR_FAIL(w, tu_load("scenarios/tokyo-bay"));
    HazField *hf = haz_field_new(w, w->default_quake);
    HazSample *hs = haz_sample_new(hf);
    DmgOutcome *o = dmg_outcome_new(w);
    RstSchedule *s = rst_schedule_new(w);
    double cf[NDS] = {1};
    for (int k = DS_SLIGHT; k < NDS; k++) cf[k] = w->capacity_fraction[k];
    int farms = 0, partial = 0;
    for (int rep = 0; rep < 20; rep++) {
        rst_replicate(hf, 5, (uint64_t)rep, hs, o, s);
        for (int c = 0; c < w->ncomp; c++) {
            if (!dmg_is_population(&w->comp[c])) {
                CHECK(s->comp[c].cf == (o->comp_ds[c] ? cf[o->comp_ds[c]] : 1.0));
                continue;
            }
            farms++;
            CHECK(o->comp_cap[c] >= 0 && o->comp_cap[c] <= 1);
            CHECK(o->comp_ds[c] == dmg_equivalent_state(cf, o->comp_cap[c]));
            CHECK(s->comp[c].cf == (o->comp_ds[c] ? o->comp_cap[c] : 1.0));
            /* capacity is the farm's mean until its repair, then full */
            CHECK(rst_capacity_at(s, c, s->comp[c].full_h) == 1.0);
            partial += o->comp_cap[c] > 0 && o->comp_cap[c] < 1;
        }
    }
    CHECK(farms > 0 && partial > farms / 2);
    rst_schedule_free(s);
    dmg_outcome_free(o);
    haz_sample_free(hs);
    haz_field_free(hf);
    world_free(w);
}

int main(void)
{
    RUN(refinery_fragility_at_half_g_matches_hand_values);
    RUN(wharf_fragility_on_pgd_in_inches_matches_hand_values);
    RUN(shaking_and_ground_failure_combine_as_independent_events);
    RUN(state_from_uniform_reads_the_cumulative_curve);
    RUN(state_frequencies_over_replicates_match_the_fragility_curve);
    RUN(refineries_trip_above_the_threshold_and_links_need_inspection);
    RUN(retrofit_of_one_component_leaves_the_others_unchanged);
    RUN(quay_wall_floating_roof_and_lpg_sphere_curves_match_hand_values);
    RUN(fire_probability_sums_states_of_the_fire_class_times_fire_p);
    RUN(fires_break_out_at_the_rate_the_model_gives);
    RUN(ala_steel_tank_curve_matches_hand_values);
    RUN(tank_population_matches_its_expectation_and_correlation);
    RUN(tank_farms_in_the_bay_carry_their_mean_capacity_into_restoration);
    return check_done();
}
