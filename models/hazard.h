/* Earthquake hazard at every site of a scenario: median ground motion by
 * Si & Midorikawa (1999) with AVS30 site amplification and Hazus
 * liquefaction (a HazField, built once per scenario and earthquake), and one
 * sampled realisation per replicate (a HazSample) with a between-event
 * residual and spatially correlated within-event residuals (Jayaram & Baker
 * 2009) drawn through a Cholesky factor that the HazField computes once.
 * Units: PGA in g, PGV in cm/s, PGD in cm, distances in km, depths in m. */
#ifndef FUELSIM_HAZARD_H
#define FUELSIM_HAZARD_H

#include "rng.h"
#include "world.h"

/* Sites: one per place (facility i is site i, demand point j is site
 * nfac + j, the same numbering as world places), then one per link
 * (site nplace + k), at the link's midpoint. A link's ground is taken as the
 * softer of its two ends (lower AVS30, higher liquefaction susceptibility,
 * shallower groundwater): roads and quays fail where the ground is worst. */
typedef enum HazSiteKind { HAZ_SITE_FACILITY, HAZ_SITE_DEMAND, HAZ_SITE_LINK } HazSiteKind;

/* Median hazard at one site; medians are exp(mean ln). */
typedef struct HazSite {
    HazSiteKind kind;
    int index;                /* into w->fac, w->dem or w->link */
    double lat, lon;          /* degrees */
    double avs30;             /* m/s */
    LiqClass liq;
    double gw_depth_m;
    int free_face;            /* 1: lateral spread possible (quay wall, canal bank) */
    double dist_km;           /* X: shortest distance to the rupture */
    double pga_rock_g;        /* Si & Midorikawa PGA (reference site, NEHRP class C) */
    double pgv_rock_cms;      /* Si & Midorikawa PGV on engineering bedrock, Vs 600 m/s */
    double arv;               /* PGV amplification, Fujimoto & Midorikawa (2006) */
    double pga_g, pgv_cms;    /* surface medians */
    double p_liq;             /* Hazus probability of liquefaction at the median PGA */
    double pgd_cm;            /* ground displacement if the site liquefies, at the median PGA:
                               * lateral spread where there is a free face, else settlement */
    double jma;               /* JMA instrumental intensity from the median PGV */
    double tsunami_m;         /* inundation depth from the scenario's tsunami table (places only) */
    double recede_h;          /* flooded until then, h; 0 when not flooded */
} HazSite;

/* The per-scenario, per-earthquake precomputation. Read-only once built, so
 * one HazField may be shared by all threads of a sweep. */
typedef struct HazField {
    const World *w;           /* borrowed; must outlive the field */
    int quake;                /* index in w->quake, or -1: no earthquake */
    double mw;                /* magnitude as given */
    double mw_gm;             /* magnitude used by the attenuation (capped at HAZ_MW_CAP) */
    int nsite;
    HazSite *site;
    /* Lower Cholesky factors of the within-event correlation matrices,
     * packed by rows (row i holds i + 1 entries from offset i(i+1)/2).
     * chol_pgv may equal chol_pga (same range); both NULL without a quake. */
    double *chol_pga, *chol_pgv;
    /* Factor of the liquefaction correlation exp(-3 h / liq_corr_range_km)
     * (the spatial part; the regional part is one shared normal). NULL when
     * the range is 0: liquefaction independent between sites. */
    double *chol_liq;
} HazField;

/* One sampled realisation (a replicate's ground motion), per site. */
typedef struct HazSample {
    int nsite;
    double between_ln;        /* sigma_between * eta, shared by every site (ln units) */
    double *within_pga_ln;    /* correlated within-event residual of ln PGA */
    double *within_pgv_ln;    /* of ln PGV */
    double *pga_g;            /* surface PGA */
    double *pgv_cms;          /* surface PGV */
    double *pgd_cm;           /* 0 unless the site liquefied */
    unsigned char *liquefied; /* 0 or 1 */
    double *liq_latent;       /* standard normal per site; liquefied when Phi(latent) < P(liq) */
    double *z;                /* work: standard normals */
} HazSample;

#define HAZ_MW_CAP 8.3        /* NIED's cap on Mw in the attenuation */

/* Precompute medians and Cholesky factors for earthquake `quake` (index in
 * w->quake, or -1 for no earthquake: all motion zero). O(nsite^3) once.
 * Returns a new field; free with haz_field_free (NULL is a no-op). */
HazField *haz_field_new(const World *w, int quake);
void haz_field_free(HazField *f);

/* Site index of a place, of a link, and of a component (its facility). */
static inline int haz_site_of_place(const World *w, int place) { (void)w; return place; }
static inline int haz_site_of_link(const World *w, int link) { return w->nfac + w->ndem + link; }
static inline int haz_site_of_comp(const World *w, int comp) { return w->comp[comp].facility; }

/* A sample sized for f; free with haz_sample_free (NULL is a no-op). */
HazSample *haz_sample_new(const HazField *f);
void haz_sample_free(HazSample *s);

/* Draw one realisation from the hazard stream (rng_init(r, seed, rep,
 * RNG_HAZARD)) into out, which must come from haz_sample_new(f). Draws, in
 * order: one between-event normal, nsite within-event normals (shared by
 * PGA and PGV, whose fields differ only by their correlation range), then
 * one regional and nsite site normals for liquefaction: a site liquefies
 * when Phi(latent) < P(liq | sampled PGA), and the latents of two sites h km
 * apart correlate by haz_liq_corr, so that neighbours on the same fill
 * liquefy together. No draws when f has no earthquake. Allocates nothing. */
void haz_sample(const HazField *f, Rng *r, HazSample *out);

/* ---- The published formulas, exposed for tests and the CLI. ---- */

/* Si & Midorikawa (1999) medians for magnitude mw (capped here at
 * HAZ_MW_CAP), fault type, depth D (km) and distance X (km): PGA in g on the
 * reference site, PGV in cm/s on Vs 600 m/s bedrock. */
double haz_sm99_pga_g(double mw, FaultType ft, double depth_km, double x_km);
double haz_sm99_pgv_cms(double mw, FaultType ft, double depth_km, double x_km);

/* Fujimoto & Midorikawa (2006) PGV amplification from Vs 600 m/s bedrock to
 * the surface: log10 ARV = 2.367 - 0.852 log10 AVS30, AVS30 clamped to the
 * fitted range 100..1500 m/s. */
double haz_arv(double avs30);

/* Surface over reference PGA for a site of this AVS30 when the reference
 * PGA is pga_ref_g: the NEHRP/ASCE 7-10 F_PGA factor of the site's class
 * divided by that of class C (the reference of the attenuation), with
 * ASCE's linear interpolation in PGA. An assumption; see hazard.c. */
double haz_pga_factor(double avs30, double pga_ref_g);

/* Shortest distance (km) from the ground-surface point (lat, lon) to the
 * earthquake's rupture: the finite rectangle when length_km > 0, else the
 * hypocentre at depth_km below (lat, lon) of the quake. */
double haz_rupture_dist_km(const Earthquake *q, double lat, double lon);

/* Hazus liquefaction: probability that a site of class liq with
 * groundwater at gw_depth_m liquefies under surface PGA pga_g in an event
 * of magnitude mw; and the ground displacement (cm) if it does: lateral
 * spread plus settlement (0 where the PGA cannot trigger liquefaction). */
double haz_liq_prob(LiqClass liq, double pga_g, double mw, double gw_depth_m);
double haz_liq_pgd_cm(LiqClass liq, double pga_g, double mw, int free_face);

/* The two parts of haz_liq_pgd_cm: Hazus lateral spread (cm; only where a
 * free face lets the ground move) and settlement (cm; everywhere). */
double haz_liq_lateral_cm(LiqClass liq, double pga_g, double mw);
double haz_liq_settle_cm(LiqClass liq, double pga_g);

/* Correlation of the liquefaction latents of two sites h_km apart:
 * regional + (1 - regional) exp(-3 h / b_km); 1 at h = 0; b <= 0 leaves
 * only the regional part between distinct sites. */
double haz_liq_corr(double h_km, double b_km, double regional);

/* JMA instrumental intensity from surface PGV (cm/s), Midorikawa et al.
 * (1999): I = 2.68 + 1.72 log10 PGV (fitted for I 4-7); 0 for PGV <= 0. */
double haz_jma_intensity(double pgv_cms);

/* Jayaram & Baker (2009) correlation at separation h_km for range b_km:
 * exp(-3 h / b); b <= 0 means uncorrelated (1 at h = 0, else 0). */
double haz_corr(double h_km, double b_km);

#endif
