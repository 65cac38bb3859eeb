/* Statistics: Welford against hand-computed values and against a single
 * pass when merged, Student-t quantiles against 40-digit references
 * (mpmath), type-7 quantiles against hand-computed values (the same as R's
 * quantile() and numpy.quantile), time-weighted averages on a hand-made
 * timeline. */
#include "check.h"
#include "rng.h"
#include "stats.h"

#include <math.h>

TEST(welford_matches_hand_computed_values)
{
    const double x[8] = {2, 4, 4, 4, 5, 5, 7, 9};
    Welford w;
    stats_welford_init(&w);
    CHECK(isnan(stats_welford_var(&w)));
    for (int i = 0; i < 8; i++) stats_welford_add(&w, x[i]);
    CHECK(w.n == 8);
    CHECK_NEAR(w.mean, 5, 1e-15);
    CHECK_NEAR(stats_welford_var(&w), 32.0 / 7, 1e-14);
    CHECK_NEAR(stats_welford_sd(&w), sqrt(32.0 / 7), 1e-14);
    CHECK(w.min == 2 && w.max == 9);
}

TEST(welford_is_accurate_with_a_large_offset)
{
    /* The naive sum-of-squares formula loses everything here. */
    Welford w;
    stats_welford_init(&w);
    const double x[4] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    for (int i = 0; i < 4; i++) stats_welford_add(&w, x[i]);
    CHECK_NEAR(stats_welford_var(&w), 30, 1e-6);
}

TEST(welford_merge_equals_single_pass)
{
    Rng r;
    rng_init(&r, 5, 0, 0);
    Welford all, part[7], merged;
    stats_welford_init(&all);
    for (int k = 0; k < 7; k++) stats_welford_init(&part[k]);
    for (int i = 0; i < 100000; i++) {
        double x = 100 + 10 * rng_uniform(&r);
        stats_welford_add(&all, x);
        /* Uneven parts, one left empty. */
        int k = (int)rng_below(&r, 6);
        stats_welford_add(&part[k * k % 7], x);
    }
    stats_welford_init(&merged);
    for (int k = 0; k < 7; k++) stats_welford_merge(&merged, &part[k]);
    CHECK(merged.n == all.n);
    CHECK_NEAR(merged.mean, all.mean, 1e-12 * all.mean);
    CHECK_NEAR(stats_welford_var(&merged), stats_welford_var(&all), 1e-10 * stats_welford_var(&all));
    CHECK(merged.min == all.min && merged.max == all.max);
    /* Merging into an empty one copies; merging an empty one changes nothing. */
    Welford e, c = all;
    stats_welford_init(&e);
    stats_welford_merge(&c, &e);
    CHECK(c.n == all.n && c.mean == all.mean && c.m2 == all.m2);
}

TEST(t_quantiles_match_references)
{
    CHECK_NEAR(stats_t_quantile(0.975, 1), 12.706204736174693, 1e-9);
    CHECK_NEAR(stats_t_quantile(0.975, 2), 4.3026527297494618, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 3), 3.1824463052837084, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 5), 2.5705818356363148, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 10), 2.2281388519862742, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 30), 2.0422724563012379, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 100), 1.9839715185235519, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.995, 10), 3.1692726726169507, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.95, 4), 2.1318467863266495, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 2.5), 3.5746548420036818, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.025, 10), -2.2281388519862742, 1e-11);
    CHECK_NEAR(stats_t_quantile(0.975, 1e7), 1.959963984540054, 1e-6);
    CHECK(stats_t_quantile(0.5, 3) == 0);
}

TEST(t_cdf_is_symmetric_and_inverts_the_quantile)
{
    CHECK_NEAR(stats_t_cdf(0, 4), 0.5, 1e-15);
    CHECK_NEAR(stats_t_cdf(1.3, 4) + stats_t_cdf(-1.3, 4), 1, 1e-14);
    /* df = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi. */
    CHECK_NEAR(stats_t_cdf(2, 1), 0.5 + atan(2) / M_PI, 1e-13);
    for (double p = 0.01; p < 1; p += 0.07)
        CHECK_NEAR(stats_t_cdf(stats_t_quantile(p, 7), 7), p, 1e-12);
}

TEST(ci_is_t_times_standard_error)
{
    Welford w;
    stats_welford_init(&w);
    CHECK(isnan(stats_welford_ci(&w, 0.95)));
    const double x[5] = {10, 12, 9, 11, 13};
    for (int i = 0; i < 5; i++) stats_welford_add(&w, x[i]);
    /* sd = sqrt(2.5), n = 5, t_{0.975, 4} = 2.7764451051977944. */
    CHECK_NEAR(stats_welford_ci(&w, 0.95), 2.7764451051977944 * sqrt(2.5) / sqrt(5), 1e-10);
}

TEST(quantiles_are_type_7)
{
    double x[10] = {10, 3, 5, 1, 9, 2, 8, 4, 7, 6};
    CHECK_NEAR(stats_quantile(x, 10, 0.5), 5.5, 1e-15);
    /* Now sorted in place. */
    CHECK(x[0] == 1 && x[9] == 10);
    CHECK_NEAR(stats_quantile_sorted(x, 10, 0.0), 1, 0);
    CHECK_NEAR(stats_quantile_sorted(x, 10, 1.0), 10, 0);
    CHECK_NEAR(stats_quantile_sorted(x, 10, 0.25), 3.25, 1e-15);  /* h = 2.25 */
    CHECK_NEAR(stats_quantile_sorted(x, 10, 0.9), 9.1, 1e-14);    /* h = 8.1 */
    double y[4] = {1, 2, 3, 4};
    CHECK_NEAR(stats_quantile_sorted(y, 4, 0.4), 2.2, 1e-15);     /* numpy: 2.2 */
    double z[1] = {7};
    CHECK(stats_quantile_sorted(z, 1, 0.3) == 7);
    CHECK(isnan(stats_quantile_sorted(z, 0, 0.5)));
    double d[5] = {2, 2, 2, 5, 5};
    CHECK_NEAR(stats_quantile_sorted(d, 5, 0.5), 2, 0);
    CHECK_NEAR(stats_quantile_sorted(d, 5, 0.6), 3.2, 1e-15);      /* h = 2.4 */
}

TEST(sort_puts_nan_last)
{
    double x[5] = {3, NAN, -1, INFINITY, 0};
    stats_sort(x, 5);
    CHECK(x[0] == -1 && x[1] == 0 && x[2] == 3 && x[3] == INFINITY && isnan(x[4]));
}

TEST(time_average_of_a_step_function)
{
    /* 0 on [0, 2), 3 on [2, 5), 1 on [5, 10]: area 9 + 5 = 14 over 10. */
    TimeAvg a;
    stats_tavg_init(&a, 0, 0);
    CHECK(stats_tavg_mean(&a, 0) == 0);
    stats_tavg_set(&a, 2, 3);
    stats_tavg_set(&a, 5, 1);
    CHECK_NEAR(stats_tavg_area(&a, 10), 14, 1e-15);
    CHECK_NEAR(stats_tavg_mean(&a, 10), 1.4, 1e-15);
    CHECK(a.max == 3);
    /* Same-time changes count for nothing. */
    stats_tavg_set(&a, 10, 50);
    stats_tavg_set(&a, 10, 1);
    CHECK_NEAR(stats_tavg_mean(&a, 10), 1.4, 1e-15);
    /* A new window keeps the value. */
    stats_tavg_reset(&a, 10);
    CHECK_NEAR(stats_tavg_mean(&a, 14), 1, 1e-15);
    CHECK(a.max == 1);
}

int main(void)
{
    RUN(welford_matches_hand_computed_values);
    RUN(welford_is_accurate_with_a_large_offset);
    RUN(welford_merge_equals_single_pass);
    RUN(t_quantiles_match_references);
    RUN(t_cdf_is_symmetric_and_inverts_the_quantile);
    RUN(ci_is_t_times_standard_error);
    RUN(quantiles_are_type_7);
    RUN(sort_puts_nan_last);
    RUN(time_average_of_a_step_function);
    return check_done();
}
