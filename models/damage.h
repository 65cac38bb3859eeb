/* Damage states from a replicate's ground motion: Hazus lognormal fragility
 * on PGA (g) or PGD (inches), shaking and ground failure combined as
 * independent events, one damage state sampled per component and per link
 * with a fragility class. Also the two hazard-triggered states that are not
 * damage: refineries tripped by strong shaking, and links shaken hard
 * enough to need inspection or channel clearance before reopening. */
#ifndef FUELSIM_DAMAGE_H
#define FUELSIM_DAMAGE_H

#include "hazard.h"
#include "rng.h"
#include "world.h"

/* Surface PGA (g) from which a link needs its clear_h of inspection or
 * channel clearance: about JMA intensity 5-lower, where railways stop for
 * inspection and ports suspend work. An assumption (no scenario field). */
#define DMG_INSPECT_PGA_G 0.08

/* One replicate's damage. Arrays are owned; values are DS_* codes. */
typedef struct DmgOutcome {
    int ncomp, nlink, nfac;
    unsigned char *comp_ds;       /* per component; a tank farm's equivalent state */
    double *comp_cap;             /* per component: capacity fraction left until repaired
                                   * (a tank farm: the mean over its tanks) */
    double *comp_share;           /* per component, NDS each: share of its units in
                                   * each state (one unit: 1 at comp_ds) */
    unsigned char *link_ds;       /* per link; DS_NONE without a fragility class */
    unsigned char *link_inspect;  /* 1: shaken >= DMG_INSPECT_PGA_G, needs clear_h */
    unsigned char *link_bridge;   /* 1: link_ds is its worst bridge's state (first_week.bridges) */
    unsigned char *fac_tripped;   /* 1: refinery shut down by PGA over its trip level */
    double *fac_trip_pga_g;       /* the trip level drawn for this site and event, g */
    unsigned char *fac_fire_ds;   /* damage state of the facility's fire class (DS_NONE without) */
    unsigned char *fac_fire;      /* 1: a fire broke out after the damage */
} DmgOutcome;

/* A tank component with count > 1 is a farm of like tanks sampled one by
 * one: its capacity is the mean of theirs, not one tank's curve applied
 * to the whole farm. */
static inline int dmg_is_population(const Component *c)
{
    return c->kind == COMP_TANK && c->count > 1;
}

/* An outcome sized for w, all undamaged; free with dmg_outcome_free (NULL ok). */
DmgOutcome *dmg_outcome_new(const World *w);
void dmg_outcome_free(DmgOutcome *o);

/* P(DS >= ds | im) = Phi(ln(im / median) / beta) for ds in DS_SLIGHT..
 * DS_COMPLETE; im in the class's unit (g, or inches when fc->on_pgd);
 * 0 for im <= 0; 1 for ds == DS_NONE. */
double dmg_p_exceed(const FragilityClass *fc, int ds, double im);

/* Exceedance probabilities p[0..NDS-1] (p[DS_NONE] = 1) of a component or a
 * link at surface PGA pga_g and ground displacement pgd_cm: each of its
 * classes is evaluated on its own measure and the two combined per state as
 * independent events, P = Pa + Pd - Pa Pd (Hazus). A class index of -1
 * contributes 0. Non-increasing in ds when the medians increase. */
void dmg_comp_exceed(const World *w, int comp, double pga_g, double pgd_cm, double p[NDS]);
void dmg_link_exceed(const World *w, int link, double pga_g, double pgd_cm, double p[NDS]);

/* Exceedance probabilities p[0..NDS-1] of the worst of link l's bridges at
 * surface PGA pga_g: 1 - (1 - P1)^n for n bridges of its bridge class,
 * taken as independent given the link's shaking (one site per link). All 0
 * above DS_NONE for a link without bridges. */
void dmg_bridge_exceed(const World *w, int link, double pga_g, double p[NDS]);

/* The damage state that uniform u in [0, 1) selects on the cumulative curve
 * p (as from dmg_comp_exceed): the highest ds with u < p[ds]. Feeding
 * uniform draws makes state frequencies match the curve exactly in
 * expectation. */
int dmg_state_from_uniform(const double p[NDS], double u);

/* Trip level (g) of a refinery for standard normal z: trip_pga_g x
 * exp(trip_pga_beta z). Around 180 gal (TMG 2022), varying between sites
 * (seismometer placement, shutdown logic) and events (frequency content). */
double dmg_trip_level_g(const HazardParams *hp, double z);

/* Probability of a fire at facility f when its site has surface PGA pga_g:
 * sum over damage states of P(fire class in ds) x fire_p[ds]; 0 without a
 * fire class. */
double dmg_fire_prob(const World *w, int f, double pga_g);

/* Sample a population of n like units whose one-unit exceedance curve is
 * p (p[DS_NONE] = 1): unit i has latent normal sqrt(rho) z_site +
 * sqrt(1 - rho) e_i (e_i from r, one normal per unit) and the state that
 * uniform Phi(latent) selects (dmg_state_from_uniform). Counts per state go
 * to counts[0..NDS-1]; returns the mean of cf[state] over the units
 * (cf[DS_NONE] is taken as 1). E[fraction in DS >= ds] = p[ds] whatever
 * rho; rho = 1 gives one state for all, rho = 0 independent units. */
double dmg_population(const double p[NDS], int n, double rho, double z_site, const double cf[NDS], Rng *r,
                      int counts[NDS]);

/* DS_NONE for mean >= 1 (no tank lost capacity), else the damaged state
 * whose capacity fraction cf[ds] is nearest mean (the lesser damage on a
 * tie): what a tank farm's repair is drawn for. */
int dmg_equivalent_state(const double cf[NDS], double mean);

/* Sample one replicate's damage from hazard sample hs (drawn from the field
 * of w) with the damage stream (rng_init(r, seed, rep, RNG_DAMAGE)): one
 * uniform per component (a tank farm: a normal for its site term and a
 * 64-bit seed of its own stream, from which its tanks are drawn), in
 * order, then one per link, then per facility a
 * normal (trip level), a uniform (fire-class damage) and a uniform (fire),
 * and last one uniform per link for its bridges (first_week.bridges: the
 * link's state is the worse of its ground failure and its worst bridge),
 * always drawn, so that changing one component's fragility (a retrofit)
 * leaves every other component's state unchanged. Writes out (from
 * dmg_outcome_new(w)); allocates nothing. */
void dmg_sample(const World *w, const HazSample *hs, Rng *r, DmgOutcome *out);

#endif
