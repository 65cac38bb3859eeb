/* Statistics for simulation output: streaming mean and variance (Welford)
 * with merge, Student-t confidence intervals, exact sample quantiles over
 * per-replicate values, and time-weighted averages of piecewise-constant
 * quantities (queue lengths, busy servers, tank levels). All are plain
 * values owned by the caller; nothing allocates. */
#ifndef FUELSIM_STATS_H
#define FUELSIM_STATS_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* Running mean and sum of squared deviations (Welford 1962). */
typedef struct Welford {
    uint64_t n;
    double mean;
    double m2;          /* sum of (x - mean)^2 */
    double min, max;    /* +inf, -inf while n == 0 */
} Welford;

void   stats_welford_init(Welford *w);
/* Inline (C99 inline, with the external definition in stats.c): it is
 * called per event in resources, where a call costs a few percent. */
inline void stats_welford_add(Welford *w, double x)
{
    w->n++;
    double d = x - w->mean;
    w->mean += d / (double)w->n;
    w->m2 += d * (x - w->mean);
    if (x < w->min) w->min = x;
    if (x > w->max) w->max = x;
}
/* Fold `from` into `into` (Chan, Golub and LeVeque): the result equals one
 * pass over both samples up to rounding. Merge in a fixed order (replicate
 * order) when bit-identical results are wanted, as rounding differs. */
void   stats_welford_merge(Welford *into, const Welford *from);
/* Sample variance with divisor n - 1; NaN when n < 2. */
double stats_welford_var(const Welford *w);
double stats_welford_sd(const Welford *w);
/* Half-width of the two-sided confidence interval for the mean at `level`
 * (0.95 for 95%), Student t with n - 1 degrees of freedom:
 * t_{(1+level)/2, n-1} * sd / sqrt(n). NaN when n < 2. */
double stats_welford_ci(const Welford *w, double level);

/* Student t distribution with df > 0 degrees of freedom (df may be
 * fractional): CDF, and quantile for 0 < p < 1 (accurate to about 1e-12). */
double stats_t_cdf(double t, double df);
double stats_t_quantile(double p, double df);

/* Sort ascending in place (NaN compares above everything, so it sorts last). */
void   stats_sort(double *x, size_t n);
/* Sample quantile of sorted x[0..n-1], 0 <= p <= 1, by linear interpolation
 * between order statistics: Hyndman and Fan type 7, the default of R's
 * quantile() and of numpy.quantile. With h = (n - 1) p and k = floor(h):
 * x[k] + (h - k) (x[k+1] - x[k]). NaN when n == 0. */
double stats_quantile_sorted(const double *x, size_t n, double p);
/* Same on unsorted data: sorts x in place first. */
double stats_quantile(double *x, size_t n, double p);

/* Time-weighted average of a piecewise-constant value, in the time unit of
 * the caller (h). */
typedef struct TimeAvg {
    double t0;      /* start of the averaging window */
    double t;       /* time of the last change */
    double value;   /* current value */
    double area;    /* integral of value over [t0, t] */
    double max;     /* largest value held since t0 */
} TimeAvg;

void   stats_tavg_init(TimeAvg *a, double t0, double value);
/* The value becomes `value` at time t (t >= the last change). Inline, as
 * stats_welford_add. */
inline void stats_tavg_set(TimeAvg *a, double t, double value)
{
    assert(t >= a->t);
    a->area += a->value * (t - a->t);
    a->t = t;
    a->value = value;
    if (value > a->max) a->max = value;
}
/* Integral of the value over [t0, t], t >= the last change. */
double stats_tavg_area(const TimeAvg *a, double t);
/* Average over [t0, t]; the current value when t == t0. */
double stats_tavg_mean(const TimeAvg *a, double t);
/* Start a new window at t keeping the current value (warm-up deletion). */
void   stats_tavg_reset(TimeAvg *a, double t);

#endif
