/* The restoration model's time laws: each as a quantile of one uniform (a
 * replicate's draw) and as its inverse, the share of draws not later than a
 * time. A forecast asks the q-quantile of a time given it is later than
 * now, which is quantile(F(now) + q (1 - F(now))): two evaluations where a
 * bisection on the quantile took fifty. The inverses read the quantile
 * functions' own rounding where that decides a side (constant laws, and
 * repeated observations of the trip restarts), so that they answer as a
 * bisection on the quantile would. */
#include "restore.h"

#include "dist.h"

#include <assert.h>
#include <math.h>

/* z of the 5% and 95% points of a normal */
#define Z95 1.6448536269514722

double rst_range_draw(const WkRange *g, double u)
{
    if (!(g->lo > 0) || g->hi <= g->lo) return g->lo;
    double mu = 0.5 * log(g->lo * g->hi), beta = log(g->hi / g->lo) / (2.0 * Z95);
    if (u < 1e-12) u = 1e-12;
    if (u > 1.0 - 1e-12) u = 1.0 - 1e-12;
    return exp(mu + beta * dist_phi_inv(u));
}

double rst_repair_time_h(const RestorationClass *rc, int ds, double u)
{
    if (ds <= DS_NONE || ds >= NDS) return 0.0;
    double m = rc->mean_days[ds], sd = rc->sd_days[ds];
    if (!(sd > 0)) return 24.0 * (m > 0 ? m : 0.0);
    /* Inverse CDF of the normal truncated at 0 days: one uniform per item
     * whatever the parameters (rejection would make the number of draws,
     * and so every later item's draw, depend on this one). */
    double lo = dist_phi(-m / sd);
    double p = lo + u * (1.0 - lo);
    if (p > 1.0 - 1e-15) p = 1.0 - 1e-15;
    if (p < 1e-300) p = 1e-300;
    double t = m + sd * dist_phi_inv(p);
    assert(isfinite(t));
    return 24.0 * (t > 0 ? t : 0.0);
}

double rst_trip_restart_h(const HazardParams *hp, double u)
{
    int n = hp->ntrip_restart;
    if (n <= 0) return hp->trip_inspection_h;
    if (n == 1) return hp->trip_restart_h[0];
    /* Plotting positions i / (n - 1): u = 0 gives the shortest restart seen,
     * u = 1 the longest; nothing outside what was observed. */
    double x = u * (n - 1);
    int i = (int)x;
    if (i >= n - 1) return hp->trip_restart_h[n - 1];
    double t = x - i, a = log(hp->trip_restart_h[i]), b = log(hp->trip_restart_h[i + 1]);
    return exp(a + t * (b - a));
}

double rst_lognormal_q(double median, double beta, double u)
{
    if (!(median > 0)) return 0.0;
    if (!(beta > 0)) return median;
    double p = u < 1e-12 ? 1e-12 : u > 1 - 1e-12 ? 1 - 1e-12 : u;
    return median * exp(beta * dist_phi_inv(p));
}

RstLaw rst_law_range(const WkRange *g, double off, double scale)
{
    return (RstLaw){RST_LAW_RANGE, g, NULL, NULL, 0, 0, 0, off, scale};
}

RstLaw rst_law_lognormal(double median, double beta, double off, double scale)
{
    return (RstLaw){RST_LAW_LOGNORMAL, NULL, NULL, NULL, 0, median, beta, off, scale};
}

RstLaw rst_law_trip(const HazardParams *hp)
{
    return (RstLaw){RST_LAW_TRIP, NULL, hp, NULL, 0, 0, 0, 0, 1};
}

RstLaw rst_law_repair(const RestorationClass *rc, int ds)
{
    return (RstLaw){RST_LAW_REPAIR, NULL, NULL, rc, ds, 0, 0, 0, 1};
}

double rst_law_at(const RstLaw *L, double u)
{
    double x;
    switch (L->kind) {
    case RST_LAW_RANGE: x = rst_range_draw(L->g, u); break;
    case RST_LAW_TRIP: x = rst_trip_restart_h(L->hp, u); break;
    case RST_LAW_REPAIR: x = rst_repair_time_h(L->rc, L->ds, u); break;
    default: x = rst_lognormal_q(L->median, L->beta, u); break;
    }
    return L->off + L->scale * x;
}

/* 1 when the law gives one value whatever u (its quantile function's
 * early returns). */
static int law_constant(const RstLaw *L)
{
    switch (L->kind) {
    case RST_LAW_RANGE: return !(L->g->lo > 0) || L->g->hi <= L->g->lo;
    case RST_LAW_TRIP: return L->hp->ntrip_restart <= 1;
    case RST_LAW_REPAIR:
        return L->ds <= DS_NONE || L->ds >= NDS || !(L->rc->sd_days[L->ds] > 0);
    default: return !(L->median > 0) || !(L->beta > 0);
    }
}

/* The trip restarts segment by segment as rst_trip_restart_h computes them:
 * a segment between two equal observations is one computed value, wholly on
 * one side of t (exp(log(24)) is 24 + 2^-48: a bisection finds t = 24 below
 * it, and so does this). */
static double trip_cdf(const RstLaw *L, double t)
{
    const HazardParams *hp = L->hp;
    int n = hp->ntrip_restart;
    double x = (t - L->off) / L->scale, lx = x > 0 ? log(x) : -INFINITY;
    for (int i = 0; i < n - 1; i++) {
        double a = log(hp->trip_restart_h[i]), b = log(hp->trip_restart_h[i + 1]);
        if (L->off + L->scale * exp(a) > t) return (double)i / (n - 1);
        double s = b > a ? (lx - a) / (b - a) : 1.0;
        if (s < 1.0) return (i + fmax(s, 0.0)) / (n - 1);
    }
    /* u = 1 alone gives the longest observation itself; below it the last
     * segment's computed values are all <= t: a step below 1 that
     * u + q (1 - u) keeps below 1 for q < 1, as a bisection's last step does */
    return L->off + L->scale * hp->trip_restart_h[n - 1] <= t ? 1.0 : 1.0 - 0x1p-50;
}

/* The truncated normal of rst_repair_time_h: back to u from the normal's
 * share below t days. */
static double repair_cdf(const RestorationClass *rc, int ds, double t_h)
{
    double m = rc->mean_days[ds], sd = rc->sd_days[ds];
    if (!(t_h > 0)) return 0.0;
    double lo = dist_phi(-m / sd), p = dist_phi((t_h / 24.0 - m) / sd);
    double u = (p - lo) / (1.0 - lo);
    return u < 0 ? 0.0 : u > 1 ? 1.0 : u;
}

double rst_law_cdf(const RstLaw *L, double t)
{
    if (law_constant(L)) return rst_law_at(L, 0.5) <= t ? 1.0 : 0.0;
    if (L->kind == RST_LAW_TRIP) return trip_cdf(L, t);
    double x = (t - L->off) / L->scale;
    if (!(x > 0)) return 0.0;
    switch (L->kind) {
    case RST_LAW_RANGE: {
        const WkRange *g = L->g;
        double mu = 0.5 * log(g->lo * g->hi), beta = log(g->hi / g->lo) / (2.0 * Z95);
        return dist_phi((log(x) - mu) / beta);
    }
    case RST_LAW_REPAIR: return repair_cdf(L->rc, L->ds, x);
    default: return dist_phi(log(x / L->median) / L->beta);
    }
}

double rst_law_after(const RstLaw *L, double seen_h, double now_h, double q)
{
    if (seen_h <= now_h) return seen_h;
    /* q = 0: the earliest time the law allows after now, which is now
     * itself (due any moment) once its first value has passed */
    if (!(q > 0)) {
        double t0 = rst_law_at(L, 0);
        return t0 > now_h ? t0 : now_h + 1;
    }
    double u0 = rst_law_cdf(L, now_h);
    double t = rst_law_at(L, u0 + q * (1 - u0));
    /* due any moment when the law says it should have happened already */
    return t > now_h ? t : now_h + 1;
}
