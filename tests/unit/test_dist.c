/* Distributions: mean and variance of many draws on fixed seeds, within 5
 * standard errors (SE of the mean: sigma / sqrt(n); SE of the sample
 * variance: sqrt((m4 - sigma^4) / n), with the fourth central moment m4
 * estimated from the same sample), a tail frequency for the normal, table
 * frequencies for the discrete draw, and the normal CDF and quantile
 * against reference values computed with 40-digit arithmetic (mpmath). */
#include "check.h"
#include "dist.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

#define NDRAW 400000

typedef double (*Draw)(Rng *r, const double *par);

static double d_uniform(Rng *r, const double *p) { return dist_uniform(r, p[0], p[1]); }
static double d_exp(Rng *r, const double *p) { return dist_exponential(r, p[0]); }
static double d_normal(Rng *r, const double *p) { (void)p; return dist_normal(r); }
static double d_normal_ms(Rng *r, const double *p) { return dist_normal_ms(r, p[0], p[1]); }
static double d_lognormal(Rng *r, const double *p) { return dist_lognormal(r, p[0], p[1]); }
static double d_gamma(Rng *r, const double *p) { return dist_gamma(r, p[0], p[1]); }
static double d_erlang(Rng *r, const double *p) { return dist_erlang(r, (int)p[0], p[1]); }
static double d_poisson(Rng *r, const double *p) { return (double)dist_poisson(r, p[0]); }

/* Draw NDRAW values and compare sample mean and variance with the truth. */
static void check_moments(const char *name, Draw f, const double *par, double mean, double var,
                          uint32_t stream)
{
    static double x[NDRAW];
    Rng r;
    rng_init(&r, 12345, 0, stream);
    double s = 0;
    for (int i = 0; i < NDRAW; i++) s += x[i] = f(&r, par);
    double m = s / NDRAW, m2 = 0, m4 = 0;
    for (int i = 0; i < NDRAW; i++) {
        double d = (x[i] - m) * (x[i] - m);
        m2 += d;
        m4 += d * d;
    }
    double v = m2 / (NDRAW - 1);
    m4 /= NDRAW;
    double se_mean = sqrt(var / NDRAW), se_var = sqrt((m4 - v * v) / NDRAW);
    int ok_mean = fabs(m - mean) <= 5 * se_mean, ok_var = fabs(v - var) <= 5 * se_var;
    if (!ok_mean || !ok_var)
        fprintf(stderr, "  %s: mean %.6g (want %.6g, se %.2g), var %.6g (want %.6g, se %.2g)\n",
                name, m, mean, se_mean, v, var, se_var);
    CHECK(ok_mean);
    CHECK(ok_var);
}

TEST(uniform_mean_and_variance)
{
    double p[2] = {2, 5};
    check_moments("uniform", d_uniform, p, 3.5, 9.0 / 12, 0);
}

TEST(exponential_mean_and_variance)
{
    double p[1] = {2};
    check_moments("exponential", d_exp, p, 0.5, 0.25, 1);
}

TEST(normal_mean_variance_and_tails)
{
    check_moments("normal", d_normal, NULL, 0, 1, 2);
    double p[2] = {3, 2};
    check_moments("normal_ms", d_normal_ms, p, 3, 4, 3);
    /* Shape beyond two moments: P(|Z| > 3) = 0.0026997960632601891. */
    Rng r;
    rng_init(&r, 99, 0, 0);
    const int n = 1000000;
    int k = 0;
    for (int i = 0; i < n; i++) k += fabs(dist_normal(&r)) > 3;
    double p3 = 0.0026997960632601891;
    CHECK_NEAR(k / (double)n, p3, 5 * sqrt(p3 * (1 - p3) / n));
}

TEST(lognormal_mean_and_variance)
{
    double p[2] = {0.5, 0.4}, s2 = 0.16;
    double mean = exp(0.5 + s2 / 2), var = (exp(s2) - 1) * exp(1 + s2);
    check_moments("lognormal", d_lognormal, p, mean, var, 4);
}

TEST(gamma_mean_and_variance)
{
    double a[2] = {2.5, 1.5};
    check_moments("gamma(2.5)", d_gamma, a, 3.75, 2.5 * 2.25, 5);
    double b[2] = {0.4, 2};   /* shape < 1: the boosted branch */
    check_moments("gamma(0.4)", d_gamma, b, 0.8, 1.6, 6);
    double c[2] = {1, 3};     /* shape 1 is Exp with mean 3 */
    check_moments("gamma(1)", d_gamma, c, 3, 9, 7);
}

TEST(erlang_mean_and_variance)
{
    double a[2] = {3, 2};     /* product-of-uniforms branch */
    check_moments("erlang(3)", d_erlang, a, 1.5, 0.75, 8);
    double b[2] = {20, 4};    /* gamma branch */
    check_moments("erlang(20)", d_erlang, b, 5, 1.25, 9);
}

TEST(poisson_mean_and_variance)
{
    const double means[] = {0.2, 3.5, 9.99, 10, 50, 1000};
    for (int i = 0; i < 6; i++) {
        double p[1] = {means[i]};
        check_moments("poisson", d_poisson, p, means[i], means[i], 10 + (uint32_t)i);
    }
    Rng r;
    rng_init(&r, 1, 0, 0);
    CHECK(dist_poisson(&r, 0) == 0);
}

TEST(discrete_follows_the_table_and_skips_zero_weights)
{
    const double w[5] = {1, 0, 6, 3, 0};
    const int n = 1000000;
    int count[5] = {0};
    Rng r;
    rng_init(&r, 3, 0, 0);
    for (int i = 0; i < n; i++) count[dist_discrete(&r, w, 5)]++;
    CHECK(count[1] == 0 && count[4] == 0);
    for (int i = 0; i < 5; i++) {
        double p = w[i] / 10;
        CHECK_NEAR(count[i] / (double)n, p, 5 * sqrt(p * (1 - p) / n) + 1e-12);
    }
    const double one[1] = {0.3};
    CHECK(dist_discrete(&r, one, 1) == 0);
}

static int same_state(const Rng *a, const Rng *b)
{
    return a->s[0] == b->s[0] && a->s[1] == b->s[1] && a->s[2] == b->s[2] && a->s[3] == b->s[3];
}

TEST(draw_counts_do_not_depend_on_parameters)
{
    /* Common random numbers: two runs that differ only in a rate or a mean
     * must stay on the same numbers. Normal and lognormal use exactly one
     * number each; exponential a data-dependent count, the same whatever
     * the rate. */
    Rng a, b;
    rng_init(&a, 4, 4, 4);
    b = a;
    int ok = 1;
    for (int i = 0; i < 100000; i++) {
        dist_exponential(&a, 0.001);
        dist_exponential(&b, 250);
        ok &= same_state(&a, &b);
    }
    CHECK(ok);
    b = a;
    dist_normal(&a);
    dist_lognormal(&a, 1, 2);
    dist_normal_ms(&a, 5, 0.1);
    for (int i = 0; i < 3; i++) rng_next(&b);
    CHECK(same_state(&a, &b));
}

TEST(exponential_and_normal_have_the_right_shape)
{
    /* Chi-square over 100 equiprobable bins (edges from the exact inverse
     * CDFs): with 99 degrees of freedom the statistic exceeds 99 + 5 sd
     * (sd = sqrt(198)) with probability below 1e-5. Catches a wrong layer
     * in the ziggurat, which moments alone might not. */
    enum { NB = 100 };
    const int n = 1000000;
    int ce[NB] = {0}, cn[NB] = {0};
    Rng r;
    rng_init(&r, 17, 0, 0);
    for (int i = 0; i < n; i++) {
        double x = dist_exponential(&r, 1);
        int k = (int)floor(-expm1(-x) * NB);   /* F(x) = 1 - e^-x */
        ce[k < NB ? k : NB - 1]++;
        double z = dist_normal(&r);
        int m = (int)floor(dist_phi(z) * NB);
        cn[m < NB ? m : NB - 1]++;
    }
    double xe = 0, xn = 0, e = n / (double)NB;
    for (int k = 0; k < NB; k++) {
        xe += (ce[k] - e) * (ce[k] - e) / e;
        xn += (cn[k] - e) * (cn[k] - e) / e;
    }
    double limit = 99 + 5 * sqrt(198.0);
    if (xe > limit || xn > limit) fprintf(stderr, "  chi2: exponential %.1f, normal %.1f\n", xe, xn);
    CHECK(xe <= limit);
    CHECK(xn <= limit);
    /* The exponential tail beyond the ziggurat's base (r = 7.697): P(X > 7)
     * = e^-7, from 4 million draws. */
    const int nt = 4000000;
    int tail = 0;
    for (int i = 0; i < nt; i++) tail += dist_exponential(&r, 1) > 7;
    double pt = exp(-7);
    CHECK_NEAR(tail / (double)nt, pt, 5 * sqrt(pt * (1 - pt) / nt));
}

TEST(same_stream_gives_same_draws)
{
    Rng a, b;
    rng_init(&a, 77, 1, RNG_RESTORE);
    rng_init(&b, 77, 1, RNG_RESTORE);
    int same = 1;
    for (int i = 0; i < 10000; i++) {
        same &= dist_gamma(&a, 0.7, 2) == dist_gamma(&b, 0.7, 2);
        same &= dist_poisson(&a, 25) == dist_poisson(&b, 25);
    }
    CHECK(same);
}

TEST(phi_matches_reference_values)
{
    CHECK_NEAR(dist_phi(0), 0.5, 1e-16);
    CHECK_NEAR(dist_phi(1.96), 0.97500210485177956, 1e-15);
    CHECK_NEAR(dist_phi(-1), 0.15865525393145705, 1e-15);
    /* Lower tail: relative accuracy. */
    CHECK_NEAR(dist_phi(-8) / 6.2209605742717841e-16, 1, 1e-13);
    CHECK_NEAR(dist_phi(-37) / 5.7255712225245768e-300, 1, 1e-12);
    CHECK(dist_phi(INFINITY) == 1 && dist_phi(-INFINITY) == 0);
}

TEST(phi_inv_matches_reference_values)
{
    CHECK(dist_phi_inv(0.5) == 0);
    CHECK_NEAR(dist_phi_inv(0.975), 1.9599639845400536, 1e-13);
    CHECK_NEAR(dist_phi_inv(0.025), -1.9599639845400536, 1e-13);
    CHECK_NEAR(dist_phi_inv(0.3), -0.5244005127080407, 1e-13);
    CHECK_NEAR(dist_phi_inv(0.001), -3.090232306167813, 1e-12);
    CHECK_NEAR(dist_phi_inv(1e-10), -6.361340902404056, 1e-12);
    CHECK_NEAR(dist_phi_inv(1e-20), -9.2623400897984076, 1e-12);
    CHECK_NEAR(dist_phi_inv(1 - 1e-10), 6.361340902404056, 1e-6);  /* 1 - 1e-10 itself is inexact */
    CHECK(dist_phi_inv(0) == -INFINITY && dist_phi_inv(1) == INFINITY);
    CHECK(isnan(dist_phi_inv(-0.1)) && isnan(dist_phi_inv(1.1)) && isnan(dist_phi_inv(NAN)));
}

TEST(phi_inv_inverts_phi_to_1e_12)
{
    /* Relative error of Phi(Phi^-1(p)) in the lower half (and, by the
     * symmetry the code uses, the upper), over p from 1e-300 to 0.5. */
    double worst = 0;
    for (double lp = -300; lp <= log10(0.5); lp += 0.01) {
        double p = pow(10, lp);
        double e = fabs(dist_phi(dist_phi_inv(p)) - p) / p;
        if (e > worst) worst = e;
        double q = 1 - p;
        if (q < 1) {
            /* Upper half: compare the complements, which the CDF holds. */
            double x = dist_phi_inv(q);
            double e2 = fabs(dist_phi(-x) - (1 - q)) / (1 - q);
            if (e2 > worst) worst = e2;
        }
    }
    if (worst > 1e-12) fprintf(stderr, "  worst relative error %.3g\n", worst);
    CHECK(worst <= 1e-12);
}

int main(void)
{
    RUN(uniform_mean_and_variance);
    RUN(exponential_mean_and_variance);
    RUN(normal_mean_variance_and_tails);
    RUN(lognormal_mean_and_variance);
    RUN(gamma_mean_and_variance);
    RUN(erlang_mean_and_variance);
    RUN(poisson_mean_and_variance);
    RUN(discrete_follows_the_table_and_skips_zero_weights);
    RUN(draw_counts_do_not_depend_on_parameters);
    RUN(exponential_and_normal_have_the_right_shape);
    RUN(same_stream_gives_same_draws);
    RUN(phi_matches_reference_values);
    RUN(phi_inv_matches_reference_values);
    RUN(phi_inv_inverts_phi_to_1e_12);
    return check_done();
}
