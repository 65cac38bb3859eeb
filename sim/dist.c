/* Distributions drawn from an Rng, and the standard normal CDF and quantile.
 * Continuous draws that can be made by inversion are (exponential, normal,
 * lognormal): each then consumes exactly one 64-bit number, so a change of
 * parameters never shifts the rest of a stream, which keeps common random
 * numbers aligned between compared runs. Nothing is cached between calls:
 * every draw is a function of the Rng state alone. */
#include "dist.h"
#include "rng_int.h"

#include <assert.h>
#include <float.h>
#include <math.h>

double dist_uniform(Rng *r, double a, double b)
{
    return a + (b - a) * rng_uniform_inline(r);
}

double dist_exponential(Rng *r, double rate)
{
    assert(rate > 0);
    /* Times the reciprocal rather than divided by the rate: the division
     * then runs alongside the log instead of after it, and the draw sits on
     * the event loop's critical path (about 4 ns per draw less in the M/M/1
     * benchmark). */
    double scale = 1.0 / rate;
    return -log(rng_uniform_pos_inline(r)) * scale;
}

double dist_normal(Rng *r)
{
    /* Inversion, not Box-Muller or the polar method: those use two numbers
     * (or a random count of them) per draw and would need a cached second
     * value, and the Rng is a plain value with no room for one. */
    return dist_phi_inv(rng_uniform_pos_inline(r));
}

double dist_normal_ms(Rng *r, double mean, double sd)
{
    return mean + sd * dist_normal(r);
}

double dist_lognormal(Rng *r, double mu, double sigma)
{
    return exp(mu + sigma * dist_normal(r));
}

/* Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables", for shape >= 1; unit scale. */
static double gamma_ge1(Rng *r, double shape)
{
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x = dist_normal(r);
        double v = 1.0 + c * x;
        if (v <= 0) continue;
        v = v * v * v;
        double u = rng_uniform_pos_inline(r);
        double x2 = x * x;
        /* The squeeze accepts about 98% without a log. */
        if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
        if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v))) return d * v;
    }
}

double dist_gamma(Rng *r, double shape, double scale)
{
    assert(shape > 0 && scale > 0);
    if (shape >= 1) return scale * gamma_ge1(r, shape);
    /* Boost for shape < 1: if G ~ Gamma(a + 1) and U ~ U(0,1) then
     * G U^(1/a) ~ Gamma(a) (Marsaglia and Tsang, section 6). */
    double g = gamma_ge1(r, shape + 1.0);
    return scale * g * pow(rng_uniform_pos_inline(r), 1.0 / shape);
}

double dist_erlang(Rng *r, int k, double rate)
{
    assert(k >= 1 && rate > 0);
    /* One log for a product of k uniforms; each factor is >= 2^-53, so up
     * to 16 of them stay a normal double. Beyond that, the gamma draw. */
    if (k <= 16) {
        double p = 1.0;
        for (int i = 0; i < k; i++) p *= rng_uniform_pos_inline(r);
        return -log(p) / rate;
    }
    return dist_gamma(r, (double)k, 1.0 / rate);
}

/* Hormann (1993), "The transformed rejection method for generating Poisson
 * random variables" (PTRS), for mean >= 10. */
static long poisson_ptrs(Rng *r, double mean)
{
    double slam = sqrt(mean);
    double loglam = log(mean);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = rng_uniform_inline(r) - 0.5;
        double v = rng_uniform_pos_inline(r);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= vr) return (long)k;
        if (k < 0 || (us < 0.013 && v > us)) continue;
        /* lgamma_r, not lgamma: lgamma writes the global signgam, a data
         * race when replicates run on several threads. */
        int sign;
        if (log(v) + log(invalpha) - log(a / (us * us) + b)
            <= -mean + k * loglam - lgamma_r(k + 1, &sign))
            return (long)k;
    }
}

long dist_poisson(Rng *r, double mean)
{
    assert(mean >= 0 && isfinite(mean));
    if (mean == 0) return 0;
    if (mean >= 10) return poisson_ptrs(r, mean);
    /* Inversion by sequential search: one number per draw, about mean + 1
     * steps. The cap ends the search when rounding keeps the running sum
     * below u; by then the remaining mass is far below 2^-53. */
    double u = rng_uniform_inline(r);
    double p = exp(-mean), f = p;
    long x = 0;
    while (u >= f && x < 1000) {
        x++;
        p *= mean / (double)x;
        f += p;
    }
    return x;
}

int dist_discrete(Rng *r, const double *p, int n)
{
    assert(n >= 1);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        assert(p[i] >= 0);
        sum += p[i];
    }
    assert(sum > 0);
    double x = rng_uniform_inline(r) * sum, c = 0;
    int last = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] <= 0) continue;
        /* Strict <: an entry of weight 0 can never be picked. */
        c += p[i];
        if (x < c) return i;
        last = i;
    }
    /* x rounded up to the final sum: the last entry of positive weight. */
    return last;
}

double dist_phi(double x)
{
    /* erfc keeps full relative accuracy in the lower tail, where 1 - erf
     * would cancel. */
    return 0.5 * erfc(-x * M_SQRT1_2);
}

/* Acklam's rational approximation (relative error < 1.15e-9), p <= 0.5. */
static double phi_inv_acklam(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                                2.445134137142996e+00, 3.754408661907416e+00};
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5, t = q * q;
    return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * q /
           (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
}

double dist_phi_inv(double p)
{
    if (!(p >= 0 && p <= 1)) return NAN;
    if (p == 0) return -INFINITY;
    if (p == 1) return INFINITY;
    /* Work in the lower half, where Phi(x) - p is computed with relative
     * accuracy; for p > 0.5, 1 - p is exact (Sterbenz), so symmetry loses
     * nothing. */
    if (p > 0.5) return -dist_phi_inv(1 - p);
    double x = phi_inv_acklam(p);
    /* One Halley step takes the 1e-9 error of the approximation to the
     * accuracy of erfc. Skipped for subnormal p, where exp(x^2/2)
     * overflows. */
    if (p >= DBL_MIN) {
        double e = dist_phi(x) - p;
        double u = e * sqrt(2 * M_PI) * exp(0.5 * x * x);
        x = x - u / (1 + 0.5 * x * u);
    }
    return x;
}
