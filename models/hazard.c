/* Ground motion and liquefaction at every site, for one earthquake.
 * haz_field_new does the expensive, replicate-independent part once (medians,
 * correlation matrices and their Cholesky factors); haz_sample draws one
 * replicate's field in O(nsite^2) without allocating. Formulas and sources:
 * the reference notes on hazard models (Si & Midorikawa 1999, Fujimoto &
 * Midorikawa 2006, Jayaram & Baker 2009, Hazus MR5 chapter 4). */
#include "hazard.h"

#include "dist.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Si & Midorikawa (1999) ---------------------------------------------
 * log10 Y = a Mw + h D + d + e - log10(X + c) - k X,  c = c0 10^(0.5 Mw).
 * Coefficients as in NIED (2009) and OpenQuake's si_midorikawa_1999.py;
 * d is indexed by FaultType (crustal, interplate, intraslab). */
typedef struct Sm99 { double a, h, e, k, c0, d[NFAULT]; } Sm99;
static const Sm99 sm99_pga = {0.50, 0.0043, 0.61, 0.003, 0.0055, {0.00, 0.01, 0.22}};
static const Sm99 sm99_pgv = {0.58, 0.0038, -1.29, 0.002, 0.0028, {0.00, -0.02, 0.12}};

#define GAL_PER_G 980.665

static double sm99_log10(const Sm99 *m, double mw, FaultType ft, double depth_km, double x_km)
{
    if (mw > HAZ_MW_CAP) mw = HAZ_MW_CAP;
    if (x_km < 0) x_km = 0;
    if (depth_km < 0) depth_km = 0;
    double c = m->c0 * pow(10.0, 0.5 * mw);
    double d = ((int)ft >= 0 && (int)ft < NFAULT) ? m->d[ft] : 0.0;
    return m->a * mw + m->h * depth_km + d + m->e - log10(x_km + c) - m->k * x_km;
}

double haz_sm99_pga_g(double mw, FaultType ft, double depth_km, double x_km)
{
    return pow(10.0, sm99_log10(&sm99_pga, mw, ft, depth_km, x_km)) / GAL_PER_G;
}

double haz_sm99_pgv_cms(double mw, FaultType ft, double depth_km, double x_km)
{
    return pow(10.0, sm99_log10(&sm99_pgv, mw, ft, depth_km, x_km));
}

/* ---- Site amplification --------------------------------------------------
 * PGV: Fujimoto & Midorikawa (2006) rather than Midorikawa et al. (1994):
 * it is the version behind the national hazard maps, and it is exactly 1 at
 * the 600 m/s bedrock that the PGV attenuation refers to (1994 gives 0.99),
 * so no re-referencing is needed. On Tokyo Bay fill (AVS30 120-200 m/s) it
 * gives 20-35% more than the 1994 formula. */
double haz_arv(double avs30)
{
    if (!(avs30 >= 100.0)) avs30 = 100.0;
    if (avs30 > 1500.0) avs30 = 1500.0;
    return pow(10.0, 2.367 - 0.852 * log10(avs30));
}

/* PGA: no AVS30 amplification of this attenuation's PGA was found, and
 * deriving PGA from surface PGV through JMA intensity gives well above 1 g on
 * soft fill for an M7.3 at 40 km, which the soft soils cannot transmit. So,
 * as an assumption, the attenuation's PGA is taken as that of a stiff site
 * (NEHRP class C, as OpenQuake treats it: Vs30 400 m/s) and scaled by the
 * ratio of ASCE 7-10 Table 11.8-1 site coefficients F_PGA, site class over
 * class C at the same PGA. It amplifies weak motion on soft ground (2.5/1.2 on
 * class E at 0.1 g) and de-amplifies strong motion (0.9 at 0.5 g), as soft
 * soils do. Columns: PGA <= 0.1, 0.2, 0.3, 0.4, >= 0.5 g. */
static const double fpga[5][5] = {
    {0.8, 0.8, 0.8, 0.8, 0.8},   /* A: Vs30 > 1500 m/s */
    {1.0, 1.0, 1.0, 1.0, 1.0},   /* B: 760 < Vs30 <= 1500 */
    {1.2, 1.2, 1.1, 1.0, 1.0},   /* C: 360 < Vs30 <= 760 */
    {1.6, 1.4, 1.2, 1.1, 1.0},   /* D: 180 <= Vs30 <= 360 */
    {2.5, 1.7, 1.2, 0.9, 0.9},   /* E: Vs30 < 180 */
};

static int nehrp_class(double vs30)
{
    if (vs30 > 1500.0) return 0;
    if (vs30 > 760.0) return 1;
    if (vs30 > 360.0) return 2;
    if (vs30 >= 180.0) return 3;
    return 4;
}

static double fpga_at(int cls, double pga_g)
{
    if (!(pga_g > 0.1)) return fpga[cls][0];
    if (pga_g >= 0.5) return fpga[cls][4];
    double x = (pga_g - 0.1) / 0.1;
    int i = (int)x;
    if (i > 3) i = 3;
    double t = x - i;
    return fpga[cls][i] + t * (fpga[cls][i + 1] - fpga[cls][i]);
}

double haz_pga_factor(double avs30, double pga_ref_g)
{
    return fpga_at(nehrp_class(avs30), pga_ref_g) / fpga_at(2, pga_ref_g);
}

/* ---- Distance to the rupture ---------------------------------------------- */

/* Site position in km east and north of the quake's reference point, by the
 * azimuthal equidistant projection: exact in distance from that point, so a
 * site 1000 km away is still placed sensibly. */
static void local_xy(const Earthquake *q, double lat, double lon, double *x, double *y)
{
    const double k = M_PI / 180.0;
    double r = world_dist_km(q->lat, q->lon, lat, lon);
    double p1 = q->lat * k, p2 = lat * k, dl = (lon - q->lon) * k;
    double az = atan2(sin(dl) * cos(p2), cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl));
    *x = r * sin(az);
    *y = r * cos(az);
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

double haz_rupture_dist_km(const Earthquake *q, double lat, double lon)
{
    if (!(q->length_km > 0)) {
        double epi = world_dist_km(q->lat, q->lon, lat, lon);
        return sqrt(epi * epi + q->depth_km * q->depth_km);
    }
    const double k = M_PI / 180.0;
    double x, y;
    local_xy(q, lat, lon, &x, &y);
    /* The plane through the top edge's centre (0, 0, top) spanned by the
     * strike direction s and the down-dip direction d (right-hand rule: dip
     * to the right of strike); z positive downwards. The closest point of a
     * rectangle in an orthonormal frame is found by clamping the projection. */
    double phi = q->strike_deg * k, del = q->dip_deg * k;
    double sx = sin(phi), sy = cos(phi);
    double dx = cos(del) * cos(phi), dy = -cos(del) * sin(phi), dz = sin(del);
    double top = q->top_km > 0 ? q->top_km : 0.0;
    double rx = x, ry = y, rz = -top;
    double u = clampd(rx * sx + ry * sy, -q->length_km / 2, q->length_km / 2);
    double v = clampd(rx * dx + ry * dy + rz * dz, 0.0, q->width_km > 0 ? q->width_km : 0.0);
    double px = u * sx + v * dx, py = u * sy + v * dy, pz = top + v * dz;
    return sqrt((x - px) * (x - px) + (y - py) * (y - py) + pz * pz);
}

/* ---- Hazus liquefaction (MR5 technical manual, section 4.2.2) ---------------
 * Indexed by LiqClass: none, very low, low, moderate, high, very high. */
static const double liq_a[NLIQ] = {0, 4.16, 5.57, 6.67, 7.67, 9.09};
static const double liq_b[NLIQ] = {0, 1.08, 1.18, 1.00, 0.92, 0.82};
static const double liq_pml[NLIQ] = {0, 0.02, 0.05, 0.10, 0.20, 0.25};
static const double liq_pga_t[NLIQ] = {0, 0.26, 0.21, 0.15, 0.12, 0.09};
static const double liq_settle_in[NLIQ] = {0, 0, 1, 2, 6, 12};

#define CM_PER_IN 2.54
#define M_PER_FT 0.3048

/* The magnitude polynomials K_M and K_delta are fitted over about M 5-8.5;
 * outside it the cubics run away (K_delta turns negative below M 5), so the
 * magnitude is held to that range: an Mw 9.5 counts as 8.5. */
static double liq_mag(double mw)
{
    return clampd(mw, 5.0, 8.5);
}

double haz_liq_prob(LiqClass liq, double pga_g, double mw, double gw_depth_m)
{
    if ((int)liq <= LIQ_NONE || (int)liq >= NLIQ || !(pga_g > 0)) return 0.0;
    double p = clampd(liq_a[liq] * pga_g - liq_b[liq], 0.0, 1.0);
    double m = liq_mag(mw);
    double km = 0.0027 * m * m * m - 0.0267 * m * m - 0.2055 * m + 2.9188;
    double dw_ft = (gw_depth_m > 0 ? gw_depth_m : 0.0) / M_PER_FT;
    double kw = 0.022 * dw_ft + 0.93;
    assert(km > 0 && kw > 0);                   /* positive over the held magnitude range */
    double prob = clampd(p * liq_pml[liq] / (km * kw), 0.0, 1.0);
    assert(prob >= 0.0 && prob <= 1.0);
    return prob;
}

double haz_liq_settle_cm(LiqClass liq, double pga_g)
{
    if ((int)liq <= LIQ_NONE || (int)liq >= NLIQ || !(pga_g > 0)) return 0.0;
    /* Below the triggering level the site cannot liquefy: no settlement. */
    if (liq_a[liq] * pga_g - liq_b[liq] <= 0) return 0.0;
    return liq_settle_in[liq] * CM_PER_IN;
}

/* Lateral spread needs a free face (a quay wall, a canal bank) for the
 * liquefied ground to move towards; Hazus's curve assumes one. Away from one
 * the ground only settles, which is what most of a reclaimed site does. */
double haz_liq_pgd_cm(LiqClass liq, double pga_g, double mw, int free_face)
{
    double lat = free_face ? haz_liq_lateral_cm(liq, pga_g, mw) : 0.0;
    return lat + haz_liq_settle_cm(liq, pga_g);
}

double haz_liq_lateral_cm(LiqClass liq, double pga_g, double mw)
{
    if ((int)liq <= LIQ_NONE || (int)liq >= NLIQ || !(pga_g > 0)) return 0.0;
    if (liq_a[liq] * pga_g - liq_b[liq] <= 0) return 0.0;
    double m = liq_mag(mw);
    double kd = 0.0086 * m * m * m - 0.0914 * m * m + 0.4698 * m - 0.9835;
    double x = pga_g / liq_pga_t[liq];
    if (x > 4.0) x = 4.0;                       /* as R3: the Hazus curve ends at 4 */
    double lat;
    if (x < 1.0) lat = 0.0;
    else if (x < 2.0) lat = 12.0 * x - 12.0;
    else if (x < 3.0) lat = 18.0 * x - 24.0;
    else lat = 70.0 * x - 180.0;
    assert(kd > 0 && lat >= 0);                 /* K_delta > 0 over the held magnitude range */
    return kd * lat * CM_PER_IN;
}

double haz_liq_corr(double h_km, double b_km, double regional)
{
    if (h_km <= 0) return 1.0;
    double r0 = clampd(regional, 0.0, 1.0);
    double rho = r0 + (1.0 - r0) * (b_km > 0 ? exp(-3.0 * h_km / b_km) : 0.0);
    assert(rho >= 0 && rho <= 1);
    return rho;
}

double haz_jma_intensity(double pgv_cms)
{
    if (!(pgv_cms > 0)) return 0.0;
    return 2.68 + 1.72 * log10(pgv_cms);
}

double haz_corr(double h_km, double b_km)
{
    assert(h_km >= 0);
    if (!(b_km > 0)) return h_km <= 0 ? 1.0 : 0.0;
    double rho = exp(-3.0 * h_km / b_km);
    assert(rho >= 0.0 && rho <= 1.0);
    return rho;
}

/* ---- The field ----------------------------------------------------------- */

static void site_from_place(const World *w, int place, HazSite *s)
{
    if (place < w->nfac) {
        const Facility *f = &w->fac[place];
        s->kind = HAZ_SITE_FACILITY; s->index = place;
        s->lat = f->lat; s->lon = f->lon; s->avs30 = f->avs30;
        s->liq = f->liq; s->gw_depth_m = f->gw_depth_m; s->free_face = f->free_face;
    } else {
        const DemandPoint *d = &w->dem[place - w->nfac];
        s->kind = HAZ_SITE_DEMAND; s->index = place - w->nfac;
        s->lat = d->lat; s->lon = d->lon; s->avs30 = d->avs30;
        s->liq = d->liq; s->gw_depth_m = d->gw_depth_m;
    }
}

static void site_from_link(const World *w, int l, HazSite *s)
{
    HazSite a, b;
    site_from_place(w, w->link[l].from, &a);
    site_from_place(w, w->link[l].to, &b);
    s->kind = HAZ_SITE_LINK; s->index = l;
    s->lat = (a.lat + b.lat) / 2;
    s->lon = (a.lon + b.lon) / 2;
    s->avs30 = fmin(a.avs30, b.avs30);
    s->liq = a.liq > b.liq ? a.liq : b.liq;
    s->gw_depth_m = fmin(a.gw_depth_m, b.gw_depth_m);
    /* A link spreads laterally only where both ends sit on a free face (a
     * quay road); a road inland from a wharf only settles. */
    s->free_face = a.free_face && b.free_face;
}

/* Great-circle km between sites i and j <= i, packed by rows like the
 * factors: the three factors share it. */
static double *site_dist_new(const HazField *f)
{
    int n = f->nsite;
    double *h = xmalloc((size_t)n * (n + 1) / 2 * sizeof *h);
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++)
            h[(size_t)i * (i + 1) / 2 + j] =
                i == j ? 0.0 : world_dist_km(f->site[i].lat, f->site[i].lon, f->site[j].lat, f->site[j].lon);
    return h;
}

/* Entry j of row i from its correlation s, given rows j and i filled to
 * column j - 1. */
static void chol_entry(double *li, const double *lj, int i, int j, double s)
{
    for (int k = 0; k < j; k++) s -= li[k] * lj[k];
    if (j < i) li[j] = lj[j] > 0 ? s / lj[j] : 0.0;
    else li[i] = s > 1e-12 ? sqrt(s) : 0.0;
}

#define CHOL_ROWS 4

/* Lower Cholesky factor, packed by rows, of the correlation matrix over the
 * sites for range b (dist from site_dist_new). Co-located sites make the
 * matrix only semi-definite: a pivot that vanishes (to rounding) gets a zero
 * column, so that site's residual is a copy of its twin's, which is exactly
 * right for rho = 1. Rows go CHOL_ROWS at a time: their sums against each
 * earlier row are independent, so they run side by side, each in the order
 * of one row alone (the same bits as row by row). */
static double *chol_new(const HazField *f, const double *dist, double b_km)
{
    int n = f->nsite;
    double *L = xmalloc((size_t)n * (n + 1) / 2 * sizeof *L);
    for (size_t e = 0; e < (size_t)n * (n + 1) / 2; e++) L[e] = haz_corr(dist[e], b_km);
    int i0 = 0;
    for (; i0 + CHOL_ROWS <= n; i0 += CHOL_ROWS) {
        double *l[CHOL_ROWS];
        for (int r = 0; r < CHOL_ROWS; r++) l[r] = L + (size_t)(i0 + r) * (i0 + r + 1) / 2;
        for (int j = 0; j < i0; j++) {
            const double *lj = L + (size_t)j * (j + 1) / 2;
            double s0 = l[0][j], s1 = l[1][j], s2 = l[2][j], s3 = l[3][j];
            for (int k = 0; k < j; k++) {
                double x = lj[k];
                s0 -= l[0][k] * x;
                s1 -= l[1][k] * x;
                s2 -= l[2][k] * x;
                s3 -= l[3][k] * x;
            }
            double d = lj[j];
            l[0][j] = d > 0 ? s0 / d : 0.0;
            l[1][j] = d > 0 ? s1 / d : 0.0;
            l[2][j] = d > 0 ? s2 / d : 0.0;
            l[3][j] = d > 0 ? s3 / d : 0.0;
        }
        /* the block's own triangle, row by row */
        for (int r = 0; r < CHOL_ROWS; r++)
            for (int j = i0; j <= i0 + r; j++)
                chol_entry(l[r], L + (size_t)j * (j + 1) / 2, i0 + r, j, l[r][j]);
    }
    for (int i = i0; i < n; i++) {
        double *li = L + (size_t)i * (i + 1) / 2;
        for (int j = 0; j <= i; j++) chol_entry(li, L + (size_t)j * (j + 1) / 2, i, j, li[j]);
    }
    return L;
}

HazField *haz_field_new(const World *w, int quake)
{
    HazField *f = xcalloc(1, sizeof *f);
    f->w = w;
    f->quake = (quake >= 0 && quake < w->nquake) ? quake : -1;
    f->nsite = w->nfac + w->ndem + w->nlink;
    f->site = xcalloc((size_t)f->nsite > 0 ? (size_t)f->nsite : 1, sizeof *f->site);
    for (int p = 0; p < w->nfac + w->ndem; p++) site_from_place(w, p, &f->site[p]);
    for (int l = 0; l < w->nlink; l++) site_from_link(w, l, &f->site[w->nfac + w->ndem + l]);
    if (f->quake < 0) return f;

    const Earthquake *q = &w->quake[f->quake];
    f->mw = q->mw;
    f->mw_gm = q->mw > HAZ_MW_CAP ? HAZ_MW_CAP : q->mw;
    for (int i = 0; i < f->nsite; i++) {
        HazSite *s = &f->site[i];
        s->dist_km = haz_rupture_dist_km(q, s->lat, s->lon);
        s->pga_rock_g = haz_sm99_pga_g(q->mw, q->fault, q->depth_km, s->dist_km);
        s->pgv_rock_cms = haz_sm99_pgv_cms(q->mw, q->fault, q->depth_km, s->dist_km);
        s->arv = haz_arv(s->avs30);
        s->pga_g = s->pga_rock_g * haz_pga_factor(s->avs30, s->pga_rock_g);
        s->pgv_cms = s->pgv_rock_cms * s->arv;
        s->p_liq = haz_liq_prob(s->liq, s->pga_g, q->mw, s->gw_depth_m);
        s->pgd_cm = haz_liq_pgd_cm(s->liq, s->pga_g, q->mw, s->free_face);
        s->jma = haz_jma_intensity(s->pgv_cms);
    }
    /* Tsunami inundation is not modelled, only looked up: the table gives
     * depth and recession per place and earthquake. */
    for (int k = 0; k < w->ntsunami; k++) {
        const Tsunami *ts = &w->tsunami[k];
        if (ts->quake != f->quake || ts->place < 0 || ts->place >= w->nfac + w->ndem) continue;
        HazSite *s = &f->site[ts->place];
        s->tsunami_m = fmax(s->tsunami_m, ts->depth_m);
        if (ts->depth_m > 0) s->recede_h = fmax(s->recede_h, ts->recede_h);
    }
    if (f->nsite > 0) {
        const HazardParams *hp = &w->hazard;
        double *dist = site_dist_new(f);
        f->chol_pga = chol_new(f, dist, hp->corr_range_km);
        f->chol_pgv = hp->corr_range_pgv_km == hp->corr_range_km
                          ? f->chol_pga : chol_new(f, dist, hp->corr_range_pgv_km);
        if (hp->liq_corr_range_km > 0) f->chol_liq = chol_new(f, dist, hp->liq_corr_range_km);
        free(dist);
    }
    return f;
}

void haz_field_free(HazField *f)
{
    if (!f) return;
    if (f->chol_pgv != f->chol_pga) free(f->chol_pgv);
    free(f->chol_pga);
    free(f->chol_liq);
    free(f->site);
    free(f);
}

HazSample *haz_sample_new(const HazField *f)
{
    HazSample *s = xcalloc(1, sizeof *s);
    size_t n = f->nsite > 0 ? (size_t)f->nsite : 1;
    s->nsite = f->nsite;
    s->within_pga_ln = xcalloc(n, sizeof(double));
    s->within_pgv_ln = xcalloc(n, sizeof(double));
    s->pga_g = xcalloc(n, sizeof(double));
    s->pgv_cms = xcalloc(n, sizeof(double));
    s->pgd_cm = xcalloc(n, sizeof(double));
    s->liquefied = xcalloc(n, 1);
    s->liq_latent = xcalloc(n, sizeof(double));
    s->z = xcalloc(n, sizeof(double));
    return s;
}

void haz_sample_free(HazSample *s)
{
    if (!s) return;
    free(s->within_pga_ln); free(s->within_pgv_ln);
    free(s->pga_g); free(s->pgv_cms); free(s->pgd_cm);
    free(s->liquefied); free(s->liq_latent); free(s->z);
    free(s);
}

/* y = sigma * L z over the packed lower factor L. */
static void chol_apply(const double *L, const double *z, int n, double sigma, double *y)
{
    for (int i = 0; i < n; i++) {
        const double *li = L + (size_t)i * (i + 1) / 2;
        double acc = 0.0;
        for (int j = 0; j <= i; j++) acc += li[j] * z[j];
        y[i] = sigma * acc;
    }
}

/* Liquefaction as a Gaussian copula: latent_i = sqrt(r0) Z + sqrt(1 - r0)
 * (L z)_i, with Z the regional normal shared by every site and L the factor
 * of exp(-3 h / b). Given the sampled PGA each site keeps its own Hazus
 * probability; the latents only make neighbours fail together. */
static void liq_sample(const HazField *f, Rng *r, HazSample *out)
{
    const HazardParams *hp = &f->w->hazard;
    int n = f->nsite;
    double mw = f->w->quake[f->quake].mw;
    double r0 = clampd(hp->liq_regional, 0.0, 1.0);
    double zr = dist_normal(r);
    for (int i = 0; i < n; i++) out->z[i] = dist_normal(r);
    if (f->chol_liq) chol_apply(f->chol_liq, out->z, n, 1.0, out->liq_latent);
    else memcpy(out->liq_latent, out->z, (size_t)n * sizeof(double));
    for (int i = 0; i < n; i++) {
        const HazSite *s = &f->site[i];
        out->liq_latent[i] = sqrt(r0) * zr + sqrt(1.0 - r0) * out->liq_latent[i];
        double p = haz_liq_prob(s->liq, out->pga_g[i], mw, s->gw_depth_m);
        out->liquefied[i] = p > 0 && dist_phi(out->liq_latent[i]) < p;
        out->pgd_cm[i] = out->liquefied[i] ? haz_liq_pgd_cm(s->liq, out->pga_g[i], mw, s->free_face) : 0.0;
        assert(out->pga_g[i] >= 0 && out->pgv_cms[i] >= 0 && out->pgd_cm[i] >= 0);
    }
}

void haz_sample(const HazField *f, Rng *r, HazSample *out)
{
    int n = f->nsite;
    out->between_ln = 0.0;
    if (f->quake < 0) {
        for (int i = 0; i < n; i++) {
            out->within_pga_ln[i] = out->within_pgv_ln[i] = 0.0;
            out->pga_g[i] = out->pgv_cms[i] = out->pgd_cm[i] = 0.0;
            out->liquefied[i] = 0;
            out->liq_latent[i] = 0.0;
        }
        return;
    }
    const HazardParams *hp = &f->w->hazard;
    out->between_ln = hp->sigma_between_ln * dist_normal(r);
    for (int i = 0; i < n; i++) out->z[i] = dist_normal(r);
    /* One z drives both fields: PGA and PGV residuals at a site are strongly
     * but not perfectly correlated when their ranges differ. JB2009 gives no
     * cross-IM model; this keeps shaking and velocity maps coherent. */
    chol_apply(f->chol_pga, out->z, n, hp->sigma_within_ln, out->within_pga_ln);
    if (f->chol_pgv == f->chol_pga)
        memcpy(out->within_pgv_ln, out->within_pga_ln, (size_t)n * sizeof(double));
    else
        chol_apply(f->chol_pgv, out->z, n, hp->sigma_within_ln, out->within_pgv_ln);
    for (int i = 0; i < n; i++) {
        const HazSite *s = &f->site[i];
        /* Residuals act on the reference-site motion; the PGA site factor is
         * then taken at the sampled level, so strong draws on soft ground
         * are de-amplified as the medians are. */
        double rock = s->pga_rock_g * exp(out->between_ln + out->within_pga_ln[i]);
        out->pga_g[i] = rock * haz_pga_factor(s->avs30, rock);
        out->pgv_cms[i] = s->pgv_rock_cms * exp(out->between_ln + out->within_pgv_ln[i]) * s->arv;
    }
    liq_sample(f, r, out);
}
