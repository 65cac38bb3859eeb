/* The restoration laws' inverses and the forecast's conditional quantile:
 * rst_law_after (quantile at F(now) + q (1 - F(now))) answers as the
 * bisection on the quantile it replaced, written here as the independent
 * check, over ranges, lognormals, the observed trip restarts (with repeated
 * observations: flat parts and atoms) and restoration classes, at times
 * before the offset, at and between the laws' values, past the last, for
 * several q. */
#include "check.h"
#include "restore.h"

#include <math.h>
#include <string.h>

/* The forecast as it was: bisection on u for the largest u whose time is
 * not later than now (repairs: earlier than now, 40 steps; the network
 * laws 50), then the quantile at lo + q (1 - lo). *lo_out and *hi_out get
 * the bracket the bisection ends with. */
static double bisect_after(const RstLaw *L, double seen, double now, double q, double *lo_out, double *hi_out)
{
    *lo_out = *hi_out = -1;
    if (seen <= now) return seen;
    int strict = L->kind == RST_LAW_REPAIR, steps = strict ? 40 : 50;
    double lo = 0, hi = 1;
    for (int i = 0; i < steps; i++) {
        double mid = 0.5 * (lo + hi), v = rst_law_at(L, mid);
        if (strict ? v < now : v <= now) lo = mid;
        else hi = mid;
    }
    *lo_out = lo;
    *hi_out = hi;
    double t = rst_law_at(L, lo + q * (1 - lo));
    return t > now ? t : now + 1;
}

static int nchecked, nbracket;
static double worst;

/* Both answers for one law, time and q: equal to 1e-9 relative (returns
 * 0). Where the law is so steep that the bisection's last step (2^-40 or
 * 2^-50 of u) spans more than that (the far upper tail, and the atom of the
 * repair law's top clamp at 1 - 1e-15, which it cannot reach), the closed
 * form must lie within what the two ends of the bisection's bracket give,
 * and after now (returns 1); that happens only past the law's 0.9999
 * quantile. */
static int compare_at(const RstLaw *L, double now, double q)
{
    double lo, hi;
    double ref = bisect_after(L, HUGE_VAL, now, q, &lo, &hi);
    double got = rst_law_after(L, HUGE_VAL, now, q);
    double rel = fabs(got - ref) / fmax(fabs(ref), 1e-300);
    nchecked++;
    CHECK(got > now);
    if (rel <= 1e-9) {
        if (rel > worst) worst = rel;
        return 0;
    }
    double a = rst_law_at(L, lo + q * (1 - lo)), b = rst_law_at(L, hi + q * (1 - hi));
    double below = a > now ? a : now, above = b > now ? b : now + 1;
    int inside = got >= below * (1 - 1e-12) && got <= above * (1 + 1e-12);
    if (!inside)
        fprintf(stderr, "kind %d off %g now %.17g q %g: closed %.17g bisection %.17g (bracket %.17g %.17g)\n",
                (int)L->kind, L->off, now, q, got, ref, a, b);
    CHECK(inside);
    /* only there: past the law's 0.9999 quantile */
    CHECK(rst_law_cdf(L, now) > 0.9999);
    nbracket++;
    return 1;
}

/* Times around the law: before its offset, at its ends and at its values
 * for a grid of u (each exactly, and one ulp either side), between, after. */
static void compare_law(const RstLaw *L)
{
    static const double qs[] = {0, 0.1, 0.5, 0.9, 1};
    double lo_v = rst_law_at(L, 0), hi_v = rst_law_at(L, 1);
    double times[400];
    int nt = 0;
    times[nt++] = L->off - 1;
    times[nt++] = L->off;
    times[nt++] = 0.5 * (L->off + lo_v);
    times[nt++] = hi_v;
    times[nt++] = hi_v * 1.5 + 1;
    for (int i = 0; i <= 64; i++) {
        double u = i / 64.0, v = rst_law_at(L, u);
        times[nt++] = v;
        times[nt++] = nextafter(v, -INFINITY);
        times[nt++] = nextafter(v, INFINITY);
        times[nt++] = v + 0.37 * (rst_law_at(L, (i + 1) / 64.0) - v);
    }
    /* the far tails */
    static const double us[] = {1e-13, 1e-9, 1e-6, 1 - 1e-6, 1 - 1e-9, 1 - 1e-13};
    for (int i = 0; i < 6; i++) times[nt++] = rst_law_at(L, us[i]);
    for (int i = 0; i < nt; i++)
        for (int j = 0; j < 5; j++) compare_at(L, times[i], qs[j]);
}

TEST(after_equals_bisection_ranges_and_lognormals)
{
    static const WkRange g[] = {{2, 10}, {0.5, 200}, {24, 72}, {1, 1.0001}, {5, 5}, {0, 3}, {7, 2}};
    static const double offs[] = {0, 13.25, 301.5};
    for (int i = 0; i < 7; i++)
        for (int k = 0; k < 3; k++) {
            RstLaw L = rst_law_range(&g[i], offs[k], k == 1 ? 24.0 : 1.0);
            compare_law(&L);
        }
    static const double mb[][2] = {{72, 0.8}, {365, 0.5}, {3, 2.5}, {10, 0}, {0, 0.7}};
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < 3; k++) {
            RstLaw L = rst_law_lognormal(mb[i][0], mb[i][1], offs[k], k ? 24.0 : 1.0);
            compare_law(&L);
        }
}

/* The embedded scenario's list (24 twice, 240 twice): at now = 24 the
 * bisection sees the flat part's computed value exp(log 24) = 24 + 2^-48
 * later than now and starts from u = 0; so must the closed form. */
TEST(after_equals_bisection_trip_restarts)
{
    static const double lists[][7] = {
        {24, 24, 60, 240, 240}, {12, 48, 72}, {30}, {5, 5, 5}, {1, 2, 2, 3, 10, 10, 11}, {60, 60}, {7, 100}};
    static const int ns[] = {5, 3, 1, 3, 7, 2, 2, 0};
    HazardParams hp;
    for (int i = 0; i < 8; i++) {
        memset(&hp, 0, sizeof hp);
        hp.trip_inspection_h = 36;
        hp.ntrip_restart = ns[i];
        for (int j = 0; j < ns[i]; j++) hp.trip_restart_h[j] = lists[i][j];
        RstLaw L = rst_law_trip(&hp);
        compare_law(&L);
        for (int j = 0; j < ns[i]; j++)
            for (int k = 0; k < 5; k++) {
                double t = lists[i][j];
                /* at an observation, at its computed value and either side */
                double at[4] = {t, exp(log(t)), nextafter(t, 0), nextafter(t, 1e9)};
                /* the same answer, not just within the bracket; but at the
                 * longest one the last segment's computed values may end an
                 * ulp above it (exp(log 10 + (1 - 2^-52) log 1.1) > 11), a
                 * bisection artefact only the bracket covers */
                for (int m = 0; m < 4; m++) {
                    int br = compare_at(&L, at[m], k * 0.25);
                    CHECK(br == 0 || j == ns[i] - 1);
                }
            }
    }
    memset(&hp, 0, sizeof hp);
    hp.ntrip_restart = 5;
    memcpy(hp.trip_restart_h, lists[0], 5 * sizeof(double));
    RstLaw L = rst_law_trip(&hp);
    CHECK(rst_law_cdf(&L, 24.0) == 0.0);
    CHECK(rst_law_cdf(&L, nextafter(24.0, 25.0)) >= 0.25);
    CHECK_NEAR(rst_law_after(&L, 1e9, 24.0, 0.5), 60.0, 1e-9);
    /* by hand: 30 h is a quarter plus log(30/24)/log(60/24) of a quarter in;
     * the median of the rest lies on the 60-240 segment */
    double F = (1 + log(30.0 / 24.0) / log(60.0 / 24.0)) / 4, u = F + 0.5 * (1 - F);
    CHECK_NEAR(rst_law_cdf(&L, 30.0), F, 1e-12);
    CHECK_NEAR(rst_law_after(&L, 1e9, 30.0, 0.5), 60.0 * pow(4.0, 4 * u - 2), 1e-9);
    CHECK(fabs(rst_law_after(&L, 1e9, 30.0, 0.5) - 142.07) < 0.01);
    CHECK(rst_law_after(&L, 1e9, 240.0, 0.5) == 241.0);
}

TEST(after_equals_bisection_repairs)
{
    static RestorationClass rc[] = {
        {(char *)"refinery", {0, 0.4, 3.0, 14.0, 190.0}, {0, 0.1, 2.2, 12.0, 80.0}},
        {(char *)"port", {0, 0.6, 3.5, 22.0, 85.0}, {0, 0.2, 3.5, 22.0, 73.0}},
        {(char *)"fixed", {0, 1.0, 2.0, 0.0, -3.0}, {0, 0, 0, 0, 0}},
        {(char *)"wide", {0, 0.5, 1.0, 2.0, 4.0}, {0, 5.0, 10.0, 20.0, 40.0}},
    };
    for (int c = 0; c < 4; c++)
        for (int ds = DS_SLIGHT; ds < NDS; ds++) {
            RstLaw L = rst_law_repair(&rc[c], ds);
            compare_law(&L);
        }
    RstLaw none = rst_law_repair(&rc[0], DS_NONE);
    compare_law(&none);
}

/* The rules around it: a time seen by now is kept; an event the law says
 * is overdue is due in an hour; the inverse undoes the quantile. */
TEST(after_keeps_seen_times_and_inverts_the_quantile)
{
    WkRange g = {24, 72};
    RstLaw L = rst_law_range(&g, 10, 1);
    CHECK(rst_law_after(&L, 20.0, 30.0, 0.5) == 20.0);
    CHECK(rst_law_after(&L, 30.0, 30.0, 0.5) == 30.0);
    CHECK(rst_law_after(&L, 1e9, 500.0, 0.5) == 501.0);
    CHECK(rst_law_after(&L, 1e9, 0.0, 0.5) == rst_law_at(&L, 0.5));
    CHECK_NEAR(rst_law_at(&L, 0.5), 10 + sqrt(24.0 * 72.0), 1e-9);
    for (int i = 1; i < 100; i++) {
        double u = i / 100.0;
        CHECK_NEAR(rst_law_cdf(&L, rst_law_at(&L, u)), u, 1e-12);
    }
    RestorationClass rc = {(char *)"r", {0, 1, 3, 14, 190}, {0, 0.5, 2.2, 12, 80}};
    RstLaw R = rst_law_repair(&rc, DS_EXTENSIVE);
    for (int i = 1; i < 100; i++) {
        double u = i / 100.0;
        CHECK_NEAR(rst_law_cdf(&R, rst_law_at(&R, u)), u, 1e-12);
    }
}

int main(void)
{
    RUN(after_equals_bisection_ranges_and_lognormals);
    RUN(after_equals_bisection_trip_restarts);
    RUN(after_equals_bisection_repairs);
    RUN(after_keeps_seen_times_and_inverts_the_quantile);
    fprintf(stderr, "  %d comparisons, %d by the bracket, worst relative difference %.3g\n", nchecked, nbracket,
            worst);
    CHECK(nchecked > 20000);
    return check_done();
}
