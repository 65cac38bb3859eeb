/* Hazard model tests: the published formulas against values worked out by
 * hand (the arithmetic is in the comments), finite-fault geometry, the
 * correlation structure of sampled residuals over many replicates, and
 * sensible numbers far outside the usual range. Worlds are built by hand. */
#include "check.h"
#include "hazard.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEG (6371.0 * M_PI / 180.0)   /* 111.19 km per degree of a great circle */

TEST(sm99_pga_pgv_match_hand_computation)
{
    /* Mw 7.3 intraslab, D = 40 km, X = 40 km.
     * PGA: c = 0.0055 * 10^3.65 = 24.5676; log Y = 3.65 + 0.172 + 0.22 + 0.61
     *      - log10(64.5676) - 0.12 = 4.652 - 1.810015 - 0.12 = 2.721985;
     *      Y = 527.212 gal = 0.537607 g.
     * PGV: c = 0.0028 * 10^3.65 = 12.5071; log Y = 4.234 + 0.152 + 0.12 - 1.29
     *      - log10(52.5071) - 0.08 = 1.415782; Y = 26.0484 cm/s. */
    CHECK_NEAR(haz_sm99_pga_g(7.3, FAULT_INTRASLAB, 40, 40), 0.537607, 2e-6);
    CHECK_NEAR(haz_sm99_pgv_cms(7.3, FAULT_INTRASLAB, 40, 40), 26.0484, 2e-4);
    /* Mw 6.8 crustal, D = 10, X = 10: c = 0.0055 * 10^3.4 = 13.8154;
     * log Y = 3.4 + 0.043 + 0 + 0.61 - log10(23.8154) - 0.03 = 2.646143;
     * Y = 442.736 gal = 0.451463 g. */
    CHECK_NEAR(haz_sm99_pga_g(6.8, FAULT_CRUSTAL, 10, 10), 0.451463, 2e-6);
    /* Mw 9.5 is capped at 8.3. Interplate, D = 20, X = 100: c = 0.0055 * 10^4.15
     * = 77.6896; log Y = 4.15 + 0.086 + 0.01 + 0.61 - log10(177.6896) - 0.3
     * = 2.306338; 0.206451 g. PGV: c = 39.5511; log Y = 4.814 + 0.076 - 0.02
     * - 1.29 - log10(139.5511) - 0.2 = 1.235267; 17.1896 cm/s. */
    CHECK_NEAR(haz_sm99_pga_g(9.5, FAULT_INTERPLATE, 20, 100), 0.206451, 2e-6);
    CHECK_NEAR(haz_sm99_pga_g(8.3, FAULT_INTERPLATE, 20, 100), 0.206451, 2e-6);
    CHECK_NEAR(haz_sm99_pgv_cms(9.5, FAULT_INTERPLATE, 20, 100), 17.1896, 2e-4);
    /* The fault-type term: intraslab - crustal = 0.22 in log10 for PGA. */
    CHECK_NEAR(log10(haz_sm99_pga_g(7, FAULT_INTRASLAB, 30, 50) / haz_sm99_pga_g(7, FAULT_CRUSTAL, 30, 50)),
               0.22, 1e-12);
}

TEST(pgv_amplification_is_fujimoto_midorikawa_2006)
{
    /* log10 ARV = 2.367 - 0.852 log10 AVS30:
     * 600: 2.367 - 0.852 * 2.778151 = 0.000015 -> 1.0000
     * 400: 2.367 - 0.852 * 2.602060 = 0.150045 -> 1.4127 (OpenQuake's AMP_F 1.41)
     * 150: 2.367 - 0.852 * 2.176091 = 0.512970 -> 3.2581
     * 120: 2.367 - 0.852 * 2.079181 = 0.595487 -> 3.9404
     * 1500 (top of the fitted range, also used for 3000): -0.339008 -> 0.45811
     * 100 (bottom, also used for 50): 2.367 - 1.704 = 0.663 -> 4.60257 */
    CHECK_NEAR(haz_arv(600), 1.0000, 1e-4);
    CHECK_NEAR(haz_arv(400), 1.41268, 1e-4);
    CHECK_NEAR(haz_arv(150), 3.25814, 1e-4);
    CHECK_NEAR(haz_arv(120), 3.94038, 1e-4);
    CHECK_NEAR(haz_arv(3000), 0.458111, 1e-5);
    CHECK_NEAR(haz_arv(50), 4.60257, 1e-4);
}

TEST(pga_site_factor_follows_asce_fpga_ratio_to_class_c)
{
    /* Class C is the reference: factor 1 at every level. */
    CHECK_NEAR(haz_pga_factor(400, 0.05), 1.0, 1e-12);
    CHECK_NEAR(haz_pga_factor(700, 0.35), 1.0, 1e-12);
    /* Class E (150 m/s): 2.5 / 1.2 at <= 0.1 g; 0.9 / 1.0 at >= 0.5 g;
     * at 0.25 g both interpolate halfway: (1.7 + 1.2) / 2 over (1.2 + 1.1) / 2. */
    CHECK_NEAR(haz_pga_factor(150, 0.05), 2.5 / 1.2, 1e-12);
    CHECK_NEAR(haz_pga_factor(150, 0.8), 0.9, 1e-12);
    CHECK_NEAR(haz_pga_factor(150, 0.25), 1.45 / 1.15, 1e-12);
    /* Class D (250 m/s) at 0.15 g: (1.6 + 1.4) / 2 over 1.2. */
    CHECK_NEAR(haz_pga_factor(250, 0.15), 1.5 / 1.2, 1e-12);
    /* Class A (2000 m/s) at 0.3 g: 0.8 / 1.1; class B (1000 m/s) at 0.1 g: 1 / 1.2. */
    CHECK_NEAR(haz_pga_factor(2000, 0.3), 0.8 / 1.1, 1e-12);
    CHECK_NEAR(haz_pga_factor(1000, 0.1), 1.0 / 1.2, 1e-12);
}

static Earthquake quake_at(double lat, double lon, double depth, double strike, double dip,
                           double len, double wid, double top)
{
    Earthquake q;
    memset(&q, 0, sizeof q);
    q.id = (char *)"q";
    q.mw = 7.3; q.lat = lat; q.lon = lon; q.depth_km = depth; q.fault = FAULT_INTRASLAB;
    q.strike_deg = strike; q.dip_deg = dip; q.length_km = len; q.width_km = wid; q.top_km = top;
    return q;
}

TEST(rupture_distance_point_and_finite_fault_geometry)
{
    /* On the equator, east and north are great circles: d km east is
     * d / KM_PER_DEG degrees of longitude exactly. */
    double deg = 1.0 / KM_PER_DEG;
    Earthquake p = quake_at(0, 0, 40, 0, 0, 0, 0, 0);
    CHECK_NEAR(haz_rupture_dist_km(&p, 0, 0), 40.0, 1e-9);           /* hypocentre below */
    CHECK_NEAR(haz_rupture_dist_km(&p, 30 * deg, 0), 50.0, 1e-6);    /* 30-40-50 */

    /* Vertical fault striking north, 20 km long, 10 wide, top at 5 km,
     * top-edge centre at the origin. */
    Earthquake v = quake_at(0, 0, 10, 0, 90, 20, 10, 5);
    CHECK_NEAR(haz_rupture_dist_km(&v, 0, 0), 5.0, 1e-6);            /* above the top edge */
    CHECK_NEAR(haz_rupture_dist_km(&v, 5 * deg, 0), 5.0, 1e-6);      /* still above it */
    CHECK_NEAR(haz_rupture_dist_km(&v, 30 * deg, 0), sqrt(20 * 20 + 5 * 5), 1e-6); /* past the end */
    CHECK_NEAR(haz_rupture_dist_km(&v, 0, 7 * deg), sqrt(7 * 7 + 5 * 5), 1e-6);    /* beside it */

    /* 45-degree dip, strike north: dips east (to the right of strike).
     * Site 10 km east: distance to the plane = 10 sin 45 = 7.0711, foot of
     * the perpendicular at 7.07 km down-dip, inside the 10 km width.
     * Site 10 km west: nearest is the top edge at the surface, 10 km. */
    Earthquake d = quake_at(0, 0, 10, 0, 45, 20, 10, 0);
    CHECK_NEAR(haz_rupture_dist_km(&d, 0, 10 * deg), 10 * sin(M_PI / 4), 1e-6);
    CHECK_NEAR(haz_rupture_dist_km(&d, 0, -10 * deg), 10.0, 1e-6);
    /* Far east, 30 km: nearest is the bottom edge (7.071 km east, 7.071 deep). */
    CHECK_NEAR(haz_rupture_dist_km(&d, 0, 30 * deg), hypot(30 - 10 * cos(M_PI / 4), 10 * sin(M_PI / 4)), 1e-6);
    /* Strike east: dips south. Site 10 km south: 7.0711 again. */
    Earthquake e = quake_at(0, 0, 10, 90, 45, 20, 10, 0);
    CHECK_NEAR(haz_rupture_dist_km(&e, -10 * deg, 0), 10 * sin(M_PI / 4), 1e-6);
    CHECK_NEAR(haz_rupture_dist_km(&e, 10 * deg, 0), 10.0, 1e-6);
}

TEST(liquefaction_probability_and_pgd_match_hazus_by_hand)
{
    /* Moderate susceptibility, PGA 0.2 g, M 7.5, groundwater 5 ft (1.524 m):
     * P[L|PGA] = 6.67 * 0.2 - 1.00 = 0.334; K_M = 0.0027 * 421.875
     * - 0.0267 * 56.25 - 0.2055 * 7.5 + 2.9188 = 1.0147375; K_w = 0.022 * 5
     * + 0.93 = 1.04; P = 0.334 * 0.10 / (1.0147375 * 1.04) = 0.0316490.
     * PGD: x = 0.2 / 0.15 = 1.3333, 12x - 12 = 4 in; K_delta = 0.0086 * 421.875
     * - 0.0914 * 56.25 + 0.4698 * 7.5 - 0.9835 = 1.026875; lateral 4.1075 in
     * + settlement 2 in = 6.1075 in = 15.51305 cm. */
    CHECK_NEAR(haz_liq_prob(LIQ_MODERATE, 0.2, 7.5, 1.524), 0.0316490, 1e-6);
    CHECK_NEAR(haz_liq_pgd_cm(LIQ_MODERATE, 0.2, 7.5, 1), 15.51305, 1e-4);
    /* Very high, PGA 0.4 g, M 7.3, groundwater 1 m (3.2808 ft):
     * P[L|PGA] = 9.09 * 0.4 - 0.82 = 2.816 -> clipped to 1; K_M = 1.0461529;
     * K_w = 0.022 * 3.2808 + 0.93 = 1.0021785; P = 0.25 / (1.0461529 * 1.0021785)
     * = 0.238451. x = 0.4 / 0.09 = 4.44 -> capped at 4: 70 * 4 - 180 = 100 in;
     * K_delta = 0.9208802; 92.088 in + 12 in settlement = 104.088 in = 264.3836 cm. */
    CHECK_NEAR(haz_liq_prob(LIQ_VERY_HIGH, 0.4, 7.3, 1.0), 0.238451, 1e-6);
    CHECK_NEAR(haz_liq_pgd_cm(LIQ_VERY_HIGH, 0.4, 7.3, 1), 264.3836, 1e-3);
    /* Below the threshold nothing happens; no susceptibility, never. */
    CHECK(haz_liq_prob(LIQ_MODERATE, 0.1, 7.5, 1.5) == 0.0);
    CHECK(haz_liq_pgd_cm(LIQ_MODERATE, 0.1, 7.5, 1) == 0.0);
    CHECK(haz_liq_prob(LIQ_NONE, 1.0, 8.0, 0.0) == 0.0);
    CHECK(haz_liq_pgd_cm(LIQ_NONE, 1.0, 8.0, 1) == 0.0);
    /* Magnitude polynomials are held to M 5..8.5: Mw 9.5 counts as 8.5. */
    CHECK_NEAR(haz_liq_prob(LIQ_HIGH, 0.3, 9.5, 2), haz_liq_prob(LIQ_HIGH, 0.3, 8.5, 2), 1e-15);
    CHECK_NEAR(haz_liq_pgd_cm(LIQ_HIGH, 0.3, 9.5, 1), haz_liq_pgd_cm(LIQ_HIGH, 0.3, 8.5, 1), 1e-12);
    CHECK(haz_liq_pgd_cm(LIQ_HIGH, 0.3, 4.0, 1) > 0);   /* K_delta would be negative at M 4 */
    /* Without a free face only the settlement is left: moderate 2 in =
     * 5.08 cm, very high 12 in = 30.48 cm; lateral = total - settlement. */
    CHECK_NEAR(haz_liq_pgd_cm(LIQ_MODERATE, 0.2, 7.5, 0), 5.08, 1e-9);
    CHECK_NEAR(haz_liq_pgd_cm(LIQ_VERY_HIGH, 0.4, 7.3, 0), 30.48, 1e-9);
    CHECK_NEAR(haz_liq_lateral_cm(LIQ_VERY_HIGH, 0.4, 7.3), 264.3836 - 30.48, 1e-3);
    CHECK(haz_liq_settle_cm(LIQ_MODERATE, 0.1) == 0.0);
}

/* ---- Hand-built worlds ---------------------------------------------------- */

#define MAXF 16
typedef struct TW {
    World w;
    Facility fac[MAXF];
    Earthquake quake[1];
} TW;

/* nf facilities on a meridian at the given km north of 35 N, 139.8 E. */
static void tw_init(TW *t, int nf, const double *km_north, double b_pga, double b_pgv)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < nf; i++) {
        Facility *f = &t->fac[i];
        f->id = (char *)"f";
        f->kind = FAC_OIL_TERMINAL;
        f->lat = 35.0 + km_north[i] / KM_PER_DEG;
        f->lon = 139.8;
        f->avs30 = 400;
        f->liq = LIQ_NONE;
        f->gw_depth_m = 2;
    }
    t->quake[0] = quake_at(35.0, 139.5, 40, 0, 0, 0, 0, 0);
    t->w.fac = t->fac; t->w.nfac = nf;
    t->w.quake = t->quake; t->w.nquake = 1;
    t->w.hazard.sigma_between_ln = 0.3;
    t->w.hazard.sigma_within_ln = 0.5;
    t->w.hazard.corr_range_km = b_pga;
    t->w.hazard.corr_range_pgv_km = b_pgv;
    t->w.hazard.trip_pga_g = 0.18;
    t->w.hazard.trip_inspection_h = 240;
}

TEST(cholesky_factor_reproduces_the_correlation_matrix)
{
    /* Two co-located sites make the matrix singular: the factor must still
     * reproduce it (semi-definite case). */
    const double km[6] = {0, 0, 5, 20, 40, 300};
    TW t;
    tw_init(&t, 6, km, 40.7, 26.0);
    HazField *f = haz_field_new(&t.w, 0);
    CHECK(f->nsite == 6 && f->chol_pga != f->chol_pgv);
    double worst = 0;
    for (int i = 0; i < 6; i++)
        for (int j = 0; j <= i; j++) {
            const double *li = f->chol_pga + i * (i + 1) / 2, *lj = f->chol_pga + j * (j + 1) / 2;
            double s = 0;
            for (int k = 0; k <= j; k++) s += li[k] * lj[k];
            double h = fabs(km[i] - km[j]);
            worst = fmax(worst, fabs(s - exp(-3 * h / 40.7)));
        }
    CHECK(worst < 1e-9);
    for (int i = 0; i < 6 * 7 / 2; i++) CHECK(isfinite(f->chol_pga[i]) && isfinite(f->chol_pgv[i]));
    haz_field_free(f);

    /* Equal ranges share one factor. */
    tw_init(&t, 3, km, 30, 30);
    f = haz_field_new(&t.w, 0);
    CHECK(f->chol_pga == f->chol_pgv);
    haz_field_free(f);
}

/* The factor of many sites (rows go four at a time, then the rest one by
 * one; co-located twins across those blocks) has the bits of the plain
 * row-by-row Cholesky, written here, and reproduces the matrix. */
TEST(cholesky_in_blocks_of_rows_equals_row_by_row)
{
    const double km[13] = {0, 3, 7, 12, 12, 18, 25, 25, 33, 40, 52, 70, 40};
    TW t;
    tw_init(&t, 13, km, 40.7, 25.7);
    HazField *f = haz_field_new(&t.w, 0);
    int n = f->nsite;
    CHECK(n == 13);
    double *L = malloc((size_t)n * (n + 1) / 2 * sizeof *L);
    for (int i = 0; i < n; i++) {
        double *li = L + i * (i + 1) / 2;
        for (int j = 0; j <= i; j++) {
            const double *lj = L + j * (j + 1) / 2;
            double h = i == j ? 0.0 : world_dist_km(f->site[i].lat, f->site[i].lon, f->site[j].lat, f->site[j].lon);
            double s = haz_corr(h, 25.7);
            for (int k = 0; k < j; k++) s -= li[k] * lj[k];
            if (j < i) li[j] = lj[j] > 0 ? s / lj[j] : 0.0;
            else li[i] = s > 1e-12 ? sqrt(s) : 0.0;
        }
    }
    CHECK(memcmp(L, f->chol_pgv, (size_t)n * (n + 1) / 2 * sizeof *L) == 0);
    double worst = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            const double *li = f->chol_pga + i * (i + 1) / 2, *lj = f->chol_pga + j * (j + 1) / 2;
            double s = 0;
            for (int k = 0; k <= j; k++) s += li[k] * lj[k];
            worst = fmax(worst, fabs(s - exp(-3 * fabs(km[i] - km[j]) / 40.7)));
        }
    CHECK(worst < 1e-9);
    free(L);
    haz_field_free(f);
}

/* The hazard draw of replicate rep of seed into s (its own stream). */
static void sample_rep(const HazField *f, uint64_t seed, uint64_t rep, HazSample *s)
{
    Rng r;
    rng_init(&r, seed, rep, RNG_HAZARD);
    haz_sample(f, &r, s);
}

static double corr(const double *x, const double *y, int n)
{
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= n; my /= n;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

TEST(sampled_residuals_reproduce_jayaram_baker_correlation_and_variance)
{
    /* Sites 0, 5, 20 and 40 km from site 0 along a meridian; b = 40 km for
     * PGA and 26 km for PGV. N = 20000 replicates. The standard error of a
     * sample correlation is about (1 - rho^2) / sqrt(N) <= 0.0071, so 0.03
     * is over 4 standard errors; that of a sample variance is
     * sigma^2 sqrt(2 / N) = 1% of it, so 5% is 5 standard errors. */
    const double km[4] = {0, 5, 20, 40};
    enum { N = 20000 };
    TW t;
    tw_init(&t, 4, km, 40.0, 26.0);
    HazField *f = haz_field_new(&t.w, 0);
    HazSample *s = haz_sample_new(f);
    double *a = malloc(sizeof(double) * N * 4), *v = malloc(sizeof(double) * N * 4);
    double *b = malloc(sizeof(double) * N);
    for (int r = 0; r < N; r++) {
        sample_rep(f, 42, (uint64_t)r, s);
        b[r] = s->between_ln;
        for (int i = 0; i < 4; i++) {
            a[i * N + r] = s->within_pga_ln[i];
            v[i * N + r] = s->within_pgv_ln[i];
        }
    }
    for (int i = 1; i < 4; i++) {
        CHECK_NEAR(corr(a, a + i * N, N), exp(-3 * km[i] / 40.0), 0.03);
        CHECK_NEAR(corr(v, v + i * N, N), exp(-3 * km[i] / 26.0), 0.03);
    }
    for (int i = 0; i < 4; i++) {
        double m = 0, q = 0;
        for (int r = 0; r < N; r++) { m += a[i * N + r]; q += a[i * N + r] * a[i * N + r]; }
        m /= N;
        CHECK_NEAR(m, 0.0, 0.015);                    /* 4 standard errors of 0.5/sqrt(N) */
        CHECK_NEAR(q / N - m * m, 0.25, 0.0125);      /* sigma_within^2 */
    }
    double m = 0, q = 0;
    for (int r = 0; r < N; r++) { m += b[r]; q += b[r] * b[r]; }
    m /= N;
    CHECK_NEAR(q / N - m * m, 0.09, 0.0045);          /* sigma_between^2 */
    free(a); free(v); free(b);
    haz_sample_free(s);
    haz_field_free(f);
}

TEST(sample_is_a_function_of_the_stream_only)
{
    const double km[3] = {0, 10, 30};
    TW t;
    tw_init(&t, 3, km, 40.7, 26);
    HazField *f = haz_field_new(&t.w, 0);
    HazSample *s1 = haz_sample_new(f), *s2 = haz_sample_new(f);
    sample_rep(f, 7, 3, s1);
    sample_rep(f, 7, 3, s2);
    CHECK(memcmp(s1->pga_g, s2->pga_g, 3 * sizeof(double)) == 0);
    CHECK(memcmp(s1->pgv_cms, s2->pgv_cms, 3 * sizeof(double)) == 0);
    sample_rep(f, 7, 4, s2);
    CHECK(s1->pga_g[0] != s2->pga_g[0]);
    /* Medians: the sample's PGA over the median is exp of the residuals
     * (class C site, factor 1). */
    CHECK_NEAR(log(s1->pga_g[1] / f->site[1].pga_g), s1->between_ln + s1->within_pga_ln[1], 1e-9);
    haz_sample_free(s1); haz_sample_free(s2);
    haz_field_free(f);
}

TEST(no_quake_gives_zero_motion)
{
    const double km[2] = {0, 10};
    TW t;
    tw_init(&t, 2, km, 40.7, 26);
    HazField *f = haz_field_new(&t.w, -1);
    HazSample *s = haz_sample_new(f);
    sample_rep(f, 1, 1, s);
    CHECK(f->chol_pga == NULL);
    for (int i = 0; i < 2; i++)
        CHECK(s->pga_g[i] == 0 && s->pgv_cms[i] == 0 && s->pgd_cm[i] == 0 && !s->liquefied[i]);
    haz_sample_free(s);
    haz_field_free(f);
}

TEST(far_and_huge_quakes_give_finite_small_motion)
{
    /* An Mw 9.5 interplate quake 1000 km away on a 500 x 200 km fault, and a
     * 700 km deep one: all numbers finite, PGA tiny; liquefied soft ground
     * included. */
    const double km[3] = {0, 10, 30};
    TW t;
    tw_init(&t, 3, km, 40.7, 26);
    t.fac[0].avs30 = 120; t.fac[0].liq = LIQ_VERY_HIGH; t.fac[0].gw_depth_m = 0;
    t.quake[0] = quake_at(35.0 - 1000 / KM_PER_DEG, 139.5, 20, 45, 15, 500, 200, 5);
    t.quake[0].mw = 9.5; t.quake[0].fault = FAULT_INTERPLATE;
    HazField *f = haz_field_new(&t.w, 0);
    HazSample *s = haz_sample_new(f);
    CHECK(f->site[1].dist_km > 700 && f->site[1].dist_km < 1001);
    for (int i = 0; i < 3; i++) {
        const HazSite *h = &f->site[i];
        CHECK(isfinite(h->pga_g) && isfinite(h->pgv_cms) && isfinite(h->pgd_cm) && isfinite(h->p_liq));
        CHECK(h->pga_g > 0 && h->pga_g < 0.02);
    }
    for (int r = 0; r < 200; r++) {
        sample_rep(f, 5, (uint64_t)r, s);
        for (int i = 0; i < 3; i++) CHECK(isfinite(s->pga_g[i]) && isfinite(s->pgd_cm[i]) && s->pga_g[i] >= 0);
    }
    haz_sample_free(s);
    haz_field_free(f);

    t.quake[0] = quake_at(35.0, 139.8, 700, 0, 0, 0, 0, 0);
    t.quake[0].mw = 9.6;
    f = haz_field_new(&t.w, 0);
    for (int i = 0; i < 3; i++) CHECK(isfinite(f->site[i].pga_g) && f->site[i].pga_g > 0);
    haz_field_free(f);
}

TEST(link_sites_sit_midway_on_the_softer_ground)
{
    TW t;
    const double km[2] = {0, 20};
    tw_init(&t, 2, km, 40.7, 26);
    t.fac[0].avs30 = 150; t.fac[0].liq = LIQ_HIGH; t.fac[0].gw_depth_m = 3;
    t.fac[1].avs30 = 500; t.fac[1].liq = LIQ_LOW; t.fac[1].gw_depth_m = 1;
    Link lk;
    memset(&lk, 0, sizeof lk);
    lk.id = (char *)"l"; lk.mode = MODE_ROAD; lk.from = 0; lk.to = 1;
    t.w.link = &lk; t.w.nlink = 1;
    HazField *f = haz_field_new(&t.w, 0);
    const HazSite *s = &f->site[haz_site_of_link(&t.w, 0)];
    CHECK(f->nsite == 3 && s->kind == HAZ_SITE_LINK && s->index == 0);
    CHECK_NEAR(s->lat, 35.0 + 10 / KM_PER_DEG, 1e-12);
    CHECK(s->avs30 == 150 && s->liq == LIQ_HIGH && s->gw_depth_m == 1);
    haz_field_free(f);
}

TEST(liquefaction_latents_reproduce_the_model_correlation)
{
    /* Sites 0, 0, 5, 20 and 40 km along a meridian on high-susceptibility
     * fill; liq_corr_range_km 10, liq_regional 0.3: the latents of sites h
     * apart correlate 0.3 + 0.7 exp(-3 h / 10) (5 km: 0.456191 by hand;
     * 40 km: 0.304303). N = 20000, tolerance 0.03 (> 4 standard errors).
     * Each site still liquefies with its own Hazus probability: over the
     * replicates the frequency matches the mean of P(liq | sampled PGA). */
    const double km[5] = {0, 0, 5, 20, 40};
    enum { N = 20000 };
    TW t;
    tw_init(&t, 5, km, 40.0, 26.0);
    for (int i = 0; i < 5; i++) { t.fac[i].liq = LIQ_HIGH; t.fac[i].avs30 = 150; t.fac[i].gw_depth_m = 1.5; }
    t.quake[0] = quake_at(35.0, 139.7, 30, 0, 0, 0, 0, 0);
    t.w.hazard.liq_corr_range_km = 10;
    t.w.hazard.liq_regional = 0.3;
    CHECK_NEAR(haz_liq_corr(5, 10, 0.3), 0.456191, 1e-6);
    CHECK_NEAR(haz_liq_corr(40, 10, 0.3), 0.3 + 0.7 * exp(-12.0), 1e-12);
    CHECK(haz_liq_corr(0, 10, 0.3) == 1.0);
    CHECK(haz_liq_corr(5, 0, 0.0) == 0.0);   /* no range, no regional part: independent */
    HazField *f = haz_field_new(&t.w, 0);
    CHECK(f->chol_liq != NULL);
    HazSample *s = haz_sample_new(f);
    double *z = malloc(sizeof(double) * N * 5);
    double freq[5] = {0}, pbar[5] = {0}, both = 0, both_indep = 0;
    for (int r = 0; r < N; r++) {
        sample_rep(f, 11, (uint64_t)r, s);
        for (int i = 0; i < 5; i++) {
            z[i * N + r] = s->liq_latent[i];
            freq[i] += s->liquefied[i];
            pbar[i] += haz_liq_prob(LIQ_HIGH, s->pga_g[i], 7.3, 1.5);
        }
        both += s->liquefied[0] && s->liquefied[2];
        both_indep += haz_liq_prob(LIQ_HIGH, s->pga_g[0], 7.3, 1.5) * haz_liq_prob(LIQ_HIGH, s->pga_g[2], 7.3, 1.5);
    }
    for (int i = 1; i < 5; i++) CHECK_NEAR(corr(z, z + i * N, N), haz_liq_corr(km[i], 10, 0.3), 0.03);
    for (int i = 0; i < 5; i++) CHECK_NEAR(freq[i] / N, pbar[i] / N, 0.015);
    /* neighbours 5 km apart liquefy together more often than independent
     * draws would make them */
    CHECK(both > 1.5 * both_indep);
    free(z);
    haz_sample_free(s);
    haz_field_free(f);
}

TEST(jma_intensity_from_pgv_is_midorikawa_1999)
{
    /* I = 2.68 + 1.72 log10 PGV: 100 cm/s -> 6.12; 10 -> 4.40 */
    CHECK_NEAR(haz_jma_intensity(100), 6.12, 1e-12);
    CHECK_NEAR(haz_jma_intensity(10), 4.40, 1e-12);
    CHECK(haz_jma_intensity(0) == 0.0);
}

int main(void)
{
    RUN(sm99_pga_pgv_match_hand_computation);
    RUN(pgv_amplification_is_fujimoto_midorikawa_2006);
    RUN(pga_site_factor_follows_asce_fpga_ratio_to_class_c);
    RUN(rupture_distance_point_and_finite_fault_geometry);
    RUN(liquefaction_probability_and_pgd_match_hazus_by_hand);
    RUN(cholesky_factor_reproduces_the_correlation_matrix);
    RUN(cholesky_in_blocks_of_rows_equals_row_by_row);
    RUN(sampled_residuals_reproduce_jayaram_baker_correlation_and_variance);
    RUN(sample_is_a_function_of_the_stream_only);
    RUN(no_quake_gives_zero_motion);
    RUN(far_and_huge_quakes_give_finite_small_motion);
    RUN(link_sites_sit_midway_on_the_softer_ground);
    RUN(liquefaction_latents_reproduce_the_model_correlation);
    RUN(jma_intensity_from_pgv_is_midorikawa_1999);
    return check_done();
}
