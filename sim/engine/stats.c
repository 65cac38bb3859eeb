/* Output statistics: Welford accumulators, Student-t intervals, type-7
 * quantiles, time-weighted averages (see stats.h). The t distribution is
 * computed here from the regularised incomplete beta function so that
 * intervals over a handful of replicates use the right quantile, not 1.96. */
#include "stats.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

/* The external definitions of the inline functions in stats.h. */
extern inline void stats_welford_add(Welford *w, double x);
extern inline void stats_tavg_set(TimeAvg *a, double t, double value);

void stats_welford_init(Welford *w)
{
    w->n = 0;
    w->mean = 0;
    w->m2 = 0;
    w->min = INFINITY;
    w->max = -INFINITY;
}

void stats_welford_merge(Welford *into, const Welford *from)
{
    if (from->n == 0) return;
    if (into->n == 0) {
        *into = *from;
        return;
    }
    double na = (double)into->n, nb = (double)from->n, n = na + nb;
    double d = from->mean - into->mean;
    into->mean += d * (nb / n);
    into->m2 += from->m2 + d * d * (na * nb / n);
    into->n += from->n;
    if (from->min < into->min) into->min = from->min;
    if (from->max > into->max) into->max = from->max;
}

double stats_welford_var(const Welford *w)
{
    return w->n < 2 ? NAN : w->m2 / (double)(w->n - 1);
}

double stats_welford_sd(const Welford *w)
{
    return sqrt(stats_welford_var(w));
}

double stats_welford_ci(const Welford *w, double level)
{
    assert(level > 0 && level < 1);
    if (w->n < 2) return NAN;
    double t = stats_t_quantile(0.5 + 0.5 * level, (double)(w->n - 1));
    return t * stats_welford_sd(w) / sqrt((double)w->n);
}

/* lgamma_r rather than lgamma: lgamma writes the global signgam. */
static double log_gamma(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

/* Continued fraction for the incomplete beta function, evaluated by the
 * modified Lentz method; converges fast for x < (a + 1) / (a + b + 2). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-16) break;
    }
    return h;
}

/* Regularised incomplete beta I_x(a, b). */
static double beta_inc(double a, double b, double x)
{
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double lbt = log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return exp(lbt) * beta_cf(a, b, x) / a;
    return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

double stats_t_cdf(double t, double df)
{
    assert(df > 0);
    if (isnan(t)) return NAN;
    if (isinf(t)) return t > 0 ? 1 : 0;
    /* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
    double tail = 0.5 * beta_inc(0.5 * df, 0.5, df / (df + t * t));
    return t < 0 ? tail : 1 - tail;
}

static double t_pdf(double t, double df)
{
    double lc = log_gamma(0.5 * (df + 1)) - log_gamma(0.5 * df) - 0.5 * log(df * M_PI);
    return exp(lc - 0.5 * (df + 1) * log1p(t * t / df));
}

double stats_t_quantile(double p, double df)
{
    assert(df > 0);
    if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
    if (p == 0.5) return 0;
    /* Solve in the lower tail, where the CDF has relative accuracy. */
    if (p > 0.5) return -stats_t_quantile(1 - p, df);
    /* Bracket the root, then Newton steps kept inside the bracket (falling
     * back to bisection), which converges for every df including the
     * Cauchy case df = 1. */
    double hi = 0, lo = -1;
    while (stats_t_cdf(lo, df) > p) {
        hi = lo;
        lo *= 2;
        if (lo < -1e300) return -INFINITY;
    }
    double x = 0.5 * (lo + hi);
    for (int i = 0; i < 200; i++) {
        double f = stats_t_cdf(x, df) - p;
        if (f > 0) hi = x; else lo = x;
        double nx = x - f / t_pdf(x, df);
        if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
        if (fabs(nx - x) <= 1e-15 * fabs(x) || hi - lo <= 1e-15 * fabs(x)) return nx;
        x = nx;
    }
    return x;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    if (a < b) return -1;
    if (a > b) return 1;
    /* Equal, or at least one NaN: NaN goes last; two NaNs are equal. */
    int na = isnan(a), nb = isnan(b);
    return na - nb;
}

void stats_sort(double *x, size_t n)
{
    if (n > 1) qsort(x, n, sizeof *x, cmp_double);
}

double stats_quantile_sorted(const double *x, size_t n, double p)
{
    assert(p >= 0 && p <= 1);
    if (n == 0) return NAN;
    double h = (double)(n - 1) * p;
    size_t k = (size_t)floor(h);
    if (k >= n - 1) return x[n - 1];
    return x[k] + (h - (double)k) * (x[k + 1] - x[k]);
}

double stats_quantile(double *x, size_t n, double p)
{
    stats_sort(x, n);
    return stats_quantile_sorted(x, n, p);
}

void stats_tavg_init(TimeAvg *a, double t0, double value)
{
    a->t0 = t0;
    a->t = t0;
    a->value = value;
    a->area = 0;
    a->max = value;
}

double stats_tavg_area(const TimeAvg *a, double t)
{
    assert(t >= a->t);
    return a->area + a->value * (t - a->t);
}

double stats_tavg_mean(const TimeAvg *a, double t)
{
    double span = t - a->t0;
    return span > 0 ? stats_tavg_area(a, t) / span : a->value;
}

void stats_tavg_reset(TimeAvg *a, double t)
{
    stats_tavg_init(a, t, a->value);
}
