/* Fragility evaluation and damage-state sampling. The damage stream is used
 * with a fixed number of draws per item, whatever the intensity, so that
 * outcomes of unchanged items stay put across investment options (common
 * random numbers). */
#include "damage.h"

#include "dist.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

#define CM_PER_IN 2.54

DmgOutcome *dmg_outcome_new(const World *w)
{
    DmgOutcome *o = xcalloc(1, sizeof *o);
    o->ncomp = w->ncomp;
    o->nlink = w->nlink;
    o->nfac = w->nfac;
    o->comp_ds = xcalloc(w->ncomp > 0 ? (size_t)w->ncomp : 1, 1);
    o->comp_cap = xcalloc(w->ncomp > 0 ? (size_t)w->ncomp : 1, sizeof(double));
    o->comp_share = xcalloc((w->ncomp > 0 ? (size_t)w->ncomp : 1) * NDS, sizeof(double));
    for (int c = 0; c < w->ncomp; c++) {
        o->comp_cap[c] = 1.0;
        o->comp_share[(size_t)c * NDS + DS_NONE] = 1.0;
    }
    o->link_ds = xcalloc(w->nlink > 0 ? (size_t)w->nlink : 1, 1);
    o->link_inspect = xcalloc(w->nlink > 0 ? (size_t)w->nlink : 1, 1);
    o->link_bridge = xcalloc(w->nlink > 0 ? (size_t)w->nlink : 1, 1);
    size_t nf = w->nfac > 0 ? (size_t)w->nfac : 1;
    o->fac_tripped = xcalloc(nf, 1);
    o->fac_trip_pga_g = xcalloc(nf, sizeof(double));
    o->fac_fire_ds = xcalloc(nf, 1);
    o->fac_fire = xcalloc(nf, 1);
    return o;
}

void dmg_outcome_free(DmgOutcome *o)
{
    if (!o) return;
    free(o->comp_ds); free(o->comp_cap); free(o->comp_share); free(o->link_ds); free(o->link_inspect); free(o->link_bridge);
    free(o->fac_tripped);
    free(o->fac_trip_pga_g); free(o->fac_fire_ds); free(o->fac_fire);
    free(o);
}

double dmg_p_exceed(const FragilityClass *fc, int ds, double im)
{
    if (ds <= DS_NONE) return 1.0;
    if (!(im > 0) || !(fc->median[ds] > 0)) return 0.0;
    if (!(fc->beta[ds] > 0)) return im >= fc->median[ds] ? 1.0 : 0.0;
    return dist_phi(log(im / fc->median[ds]) / fc->beta[ds]);
}

/* P(DS >= ds) of one class at the site's intensities, or 0 for no class. */
static double class_exceed(const World *w, int cls, int ds, double pga_g, double pgd_cm)
{
    if (cls < 0 || cls >= w->nfrag) return 0.0;
    const FragilityClass *fc = &w->frag[cls];
    return dmg_p_exceed(fc, ds, fc->on_pgd ? pgd_cm / CM_PER_IN : pga_g);
}

static void exceed2(const World *w, int c1, int c2, double pga_g, double pgd_cm, double p[NDS])
{
    p[DS_NONE] = 1.0;
    for (int ds = DS_SLIGHT; ds < NDS; ds++) {
        double a = class_exceed(w, c1, ds, pga_g, pgd_cm);
        double d = class_exceed(w, c2, ds, pga_g, pgd_cm);
        p[ds] = a + d - a * d;
    }
}

void dmg_comp_exceed(const World *w, int comp, double pga_g, double pgd_cm, double p[NDS])
{
    const Component *c = &w->comp[comp];
    exceed2(w, c->fragility, c->fragility_pgd, pga_g, pgd_cm, p);
}

void dmg_link_exceed(const World *w, int link, double pga_g, double pgd_cm, double p[NDS])
{
    exceed2(w, w->link[link].fragility, -1, pga_g, pgd_cm, p);
}

void dmg_bridge_exceed(const World *w, int link, double pga_g, double p[NDS])
{
    const Link *lk = &w->link[link];
    p[DS_NONE] = 1.0;
    for (int ds = DS_SLIGHT; ds < NDS; ds++) {
        double one = lk->bridges > 0 ? class_exceed(w, lk->bridge_fragility, ds, pga_g, 0.0) : 0.0;
        p[ds] = 1.0 - pow(1.0 - one, lk->bridges);
    }
}

int dmg_state_from_uniform(const double p[NDS], double u)
{
    int ds = DS_NONE;
    for (int k = DS_SLIGHT; k < NDS; k++)
        if (u < p[k]) ds = k;
    return ds;
}

double dmg_population(const double p[NDS], int n, double rho, double z_site, const double cf[NDS], Rng *r,
                      int counts[NDS])
{
    double a = sqrt(rho < 0 ? 0 : rho > 1 ? 1 : rho), b = sqrt(1.0 - a * a), sum = 0.0;
    for (int k = 0; k < NDS; k++) counts[k] = 0;
    for (int i = 0; i < n; i++) {
        double z = a * z_site + b * dist_normal(r);
        int ds = dmg_state_from_uniform(p, dist_phi(z));
        counts[ds]++;
        sum += ds == DS_NONE ? 1.0 : cf[ds];
    }
    return n > 0 ? sum / n : 1.0;
}

int dmg_equivalent_state(const double cf[NDS], double mean)
{
    if (!(mean < 1.0)) return DS_NONE;
    int best = DS_SLIGHT;
    for (int k = DS_SLIGHT + 1; k < NDS; k++)
        if (fabs(cf[k] - mean) < fabs(cf[best] - mean)) best = k;
    return best;
}

/* Capacity fraction of each damage state, clamped to [0, 1]. */
static void state_caps(const World *w, double cf[NDS])
{
    for (int k = 0; k < NDS; k++) cf[k] = world_cap_fraction(w, k);
}

void dmg_sample(const World *w, const HazSample *hs, Rng *r, DmgOutcome *out)
{
    double p[NDS], cf[NDS];
    state_caps(w, cf);
    for (int c = 0; c < w->ncomp; c++) {
        int s = haz_site_of_comp(w, c);
        dmg_comp_exceed(w, c, hs->pga_g[s], hs->pgd_cm[s], p);
        if (dmg_is_population(&w->comp[c])) {
            /* the farm's own stream: its size takes no draws from the
             * others, so a retrofit of one farm leaves the rest alone */
            double z_site = dist_normal(r);
            Rng sub;
            rng_init(&sub, rng_next(r), (uint64_t)c, RNG_DAMAGE);
            int counts[NDS];
            out->comp_cap[c] = dmg_population(p, w->comp[c].count, w->hazard.tank_site_rho, z_site, cf, &sub, counts);
            out->comp_ds[c] = (unsigned char)dmg_equivalent_state(cf, out->comp_cap[c]);
            for (int k = 0; k < NDS; k++) out->comp_share[(size_t)c * NDS + k] = (double)counts[k] / w->comp[c].count;
            continue;
        }
        out->comp_ds[c] = (unsigned char)dmg_state_from_uniform(p, rng_uniform(r));
        out->comp_cap[c] = cf[out->comp_ds[c]];
        for (int k = 0; k < NDS; k++) out->comp_share[(size_t)c * NDS + k] = k == out->comp_ds[c];
    }
    for (int l = 0; l < w->nlink; l++) {
        int s = haz_site_of_link(w, l);
        dmg_link_exceed(w, l, hs->pga_g[s], hs->pgd_cm[s], p);
        out->link_ds[l] = (unsigned char)dmg_state_from_uniform(p, rng_uniform(r));
        out->link_inspect[l] = hs->pga_g[s] >= DMG_INSPECT_PGA_G;
    }
    for (int f = 0; f < w->nfac; f++) {
        double pga = hs->pga_g[haz_site_of_place(w, f)];
        double z = dist_normal(r);
        double u_ds = rng_uniform(r), u_fire = rng_uniform(r);
        out->fac_trip_pga_g[f] = dmg_trip_level_g(&w->hazard, z);
        out->fac_tripped[f] = w->fac[f].kind == FAC_REFINERY && pga > out->fac_trip_pga_g[f];
        int fc = w->fac[f].fire_class;
        int ds = DS_NONE;
        if (fc >= 0 && fc < w->nfrag) {
            p[DS_NONE] = 1.0;
            for (int k = DS_SLIGHT; k < NDS; k++) p[k] = class_exceed(w, fc, k, pga, 0.0);
            ds = dmg_state_from_uniform(p, u_ds);
        }
        out->fac_fire_ds[f] = (unsigned char)ds;
        out->fac_fire[f] = ds > DS_NONE && u_fire < w->hazard.fire_p[ds];
    }
    /* bridges last, so that the draws above are those of a scenario without them */
    for (int l = 0; l < w->nlink; l++) {
        double u = rng_uniform(r);
        out->link_bridge[l] = 0;
        if (!w->wk.bridges || w->link[l].bridges <= 0) continue;
        dmg_bridge_exceed(w, l, hs->pga_g[haz_site_of_link(w, l)], p);
        int ds = dmg_state_from_uniform(p, u);
        if (ds > out->link_ds[l]) {
            out->link_ds[l] = (unsigned char)ds;
            out->link_bridge[l] = 1;
        }
    }
}

double dmg_trip_level_g(const HazardParams *hp, double z)
{
    return hp->trip_pga_g * exp(hp->trip_pga_beta * z);
}

double dmg_fire_prob(const World *w, int f, double pga_g)
{
    int fc = w->fac[f].fire_class;
    if (fc < 0 || fc >= w->nfrag) return 0.0;
    double p = 0.0;
    for (int ds = DS_SLIGHT; ds < NDS; ds++) {
        double here = class_exceed(w, fc, ds, pga_g, 0.0) -
                      (ds + 1 < NDS ? class_exceed(w, fc, ds + 1, pga_g, 0.0) : 0.0);
        p += (here > 0 ? here : 0.0) * w->hazard.fire_p[ds];
    }
    return p;
}
