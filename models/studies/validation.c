/* Hindcasts of past earthquakes and official estimates: the metric table,
 * the replay over replicates (threads write their replicate's values into
 * its own slot, so the result does not depend on the thread count) and the
 * two output files. */
#include "validation.h"

#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define VAL_MAXIDS 64

/* ---- sites: a ';'-separated list of ids ------------------------------------ */

typedef enum ValSiteKind { VAL_PLACES, VAL_AREAS } ValSiteKind;

/* Resolve o->site into indices of places or grid areas. Returns the count,
 * or -1 when an id is unknown (*bad points at it, up to 63 characters). */
static int site_ids(const World *w, const char *site, ValSiteKind kind, int *idx, char bad[64])
{
    int n = 0;
    const char *p = site;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char id[64];
        if (len >= sizeof id) len = sizeof id - 1;
        memcpy(id, p, len);
        id[len] = 0;
        if (id[0]) {
            int k = kind == VAL_AREAS ? world_find_area(w, id) : world_find_place(w, id);
            if (k < 0 || n >= VAL_MAXIDS) {
                snprintf(bad, 64, "%s", id);
                return -1;
            }
            idx[n++] = k;
        }
        p = e ? e + 1 : p + strlen(p);
    }
    if (n == 0) snprintf(bad, 64, "(empty)");
    return n > 0 ? n : -1;
}

#define IDS(kind)                                                          \
    int idx[VAL_MAXIDS];                                                   \
    char bad_[64];                                                         \
    int n = site_ids(r->w, o->site, kind, idx, bad_);                      \
    if (n < 0) return -1

/* ---- metrics ----------------------------------------------------------------- */

static int m_jma(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    double s = 0;
    for (int i = 0; i < n; i++) s += haz_jma_intensity(r->hs->pgv_cms[haz_site_of_place(r->w, idx[i])]);
    *out = s / n;
    return 0;
}

static int m_frac_jma_ge(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    int k = 0;
    for (int i = 0; i < n; i++)
        k += haz_jma_intensity(r->hs->pgv_cms[haz_site_of_place(r->w, idx[i])]) >= o->param;
    *out = (double)k / n;
    return 0;
}

static int m_pga(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    double s = 0;
    for (int i = 0; i < n; i++) s += r->hs->pga_g[haz_site_of_place(r->w, idx[i])];
    *out = s / n;
    return 0;
}

static int m_liquefied(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    int k = 0;
    for (int i = 0; i < n; i++) k += r->hs->liquefied[haz_site_of_place(r->w, idx[i])];
    *out = (double)k / n;
    return 0;
}

/* Latest time at which a facility's production (its process components)
 * has capacity again; 0 without process components. */
static double production_back_h(const ValRep *r, int f)
{
    double t = 0;
    for (int c = 0; c < r->w->ncomp; c++)
        if (r->w->comp[c].facility == f && r->w->comp[c].kind == COMP_PROCESS)
            t = fmax(t, r->rs->comp[c].usable_h);
    return fmin(t, SUP_NEVER_H);
}

/* Production has no capacity at t: not back yet, or out of crude until
 * its berth serves again. */
static int production_stopped(const ValRep *r, int f, double t)
{
    for (int c = 0; c < r->w->ncomp; c++)
        if (r->w->comp[c].facility == f && r->w->comp[c].kind == COMP_PROCESS && rst_capacity_at(r->rs, c, t) <= 0)
            return 1;
    return 0;
}

static int m_stopped(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    int k = 0;
    for (int i = 0; i < n; i++) k += idx[i] < r->w->nfac && production_stopped(r, idx[i], o->time_h);
    *out = k;
    return 0;
}

static int m_tripped(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    int k = 0;
    for (int i = 0; i < n; i++) k += idx[i] < r->w->nfac && r->dmg->fac_tripped[idx[i]];
    *out = (double)k / n;
    return 0;
}

static int m_fires(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    int k = 0;
    for (int i = 0; i < n; i++) k += idx[i] < r->w->nfac && r->dmg->fac_fire[idx[i]];
    *out = k;
    return 0;
}

static int m_restart(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    double t = 0;
    for (int i = 0; i < n; i++)
        if (idx[i] < r->w->nfac) t = fmax(t, production_back_h(r, idx[i]));
    *out = t;
    return 0;
}

static int m_ext_damage(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    int k = 0;
    for (int i = 0; i < n; i++) {
        int hit = 0;
        for (int c = 0; c < r->w->ncomp; c++)
            hit |= r->w->comp[c].facility == idx[i] && r->dmg->comp_ds[c] >= DS_EXTENSIVE;
        k += hit;
    }
    *out = k;
    return 0;
}

/* Berth units (weighted by count) at the sites in damage state >= param. */
static int m_berths(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_PLACES);
    double all = 0, hit = 0;
    for (int c = 0; c < r->w->ncomp; c++) {
        const Component *cp = &r->w->comp[c];
        if (cp->kind != COMP_BERTH) continue;
        for (int i = 0; i < n; i++)
            if (cp->facility == idx[i]) {
                all += cp->count;
                if (r->dmg->comp_ds[c] >= o->param) hit += cp->count;
            }
    }
    *out = all > 0 ? hit / all : 0;
    return 0;
}

static int m_areas_dark(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_AREAS);
    int k = 0;
    for (int i = 0; i < n; i++) k += !rst_area_has_power(r->rs, idx[i], o->time_h);
    *out = k;
    return 0;
}

static int m_area_power_on(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_AREAS);
    double t = 0;
    for (int i = 0; i < n; i++) t = fmax(t, r->rs->area_power_h[idx[i]]);
    *out = fmin(t, SUP_NEVER_H);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Links of a mode touching one of the places; emergency roads only when
 * emerg. Median (mode road) or latest (rail) first usable time. */
static int links_open(const ValRep *r, const ValObs *o, LinkMode mode, int median, double *out)
{
    IDS(VAL_PLACES);
    double t[512];
    int m = 0;
    for (int l = 0; l < r->w->nlink && m < 512; l++) {
        const Link *lk = &r->w->link[l];
        if (lk->mode != mode || (mode == MODE_ROAD && !lk->emergency_road)) continue;
        for (int i = 0; i < n; i++)
            if (lk->from == idx[i] || lk->to == idx[i]) {
                t[m++] = fmin(r->rs->link[l].usable_h, SUP_NEVER_H);
                break;
            }
    }
    if (m == 0) return -1;
    qsort(t, (size_t)m, sizeof *t, cmp_double);
    *out = median ? (m % 2 ? t[m / 2] : (t[m / 2 - 1] + t[m / 2]) / 2) : t[m - 1];
    return 0;
}

static int m_road(const ValRep *r, const ValObs *o, double *out)
{
    return links_open(r, o, MODE_ROAD, 1, out);
}

static int m_rail(const ValRep *r, const ValObs *o, double *out)
{
    return links_open(r, o, MODE_RAIL, 0, out);
}

/* Mean hourly served fraction of class param (1..4; 0: all demand) over
 * the first time_h hours. The site is not used. */
static int m_served(const ValRep *r, const ValObs *o, double *out)
{
    const SupResult *s = r->sup;
    int k = (int)o->param;
    if (!s || k < 0 || k > NCLASS) return -1;
    const double *v = k == 0 ? s->served_all : s->served[k - 1];
    int h = (int)ceil(o->time_h);
    if (h > s->nhours) h = s->nhours;
    if (h < 1) return -1;
    double sum = 0;
    for (int i = 0; i < h; i++) sum += v[i];
    *out = sum / h;
    return 0;
}

/* ---- first week (issue 15) ---------------------------------------------------- */

/* Time the first emergency route of direction param (1 north .. 8
 * northwest, clockwise) is open; 0: the latest over the directions. The
 * site is not used. */
static int m_route(const ValRep *r, const ValObs *o, double *out)
{
    int d = (int)o->param;
    if (d < 0 || d > RST_NDIR) return -1;
    double t = 0;
    for (int i = 0; i < RST_NDIR; i++)
        if (d == 0 || i == d - 1) t = fmax(t, r->rs->dir_open_h[i]);
    *out = fmin(t, SUP_NEVER_H);
    return 0;
}

/* Power supply of the areas as a fraction of normal on the day of time_h
 * (first_week.power; 1 without it). */
static int m_area_supply(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_AREAS);
    const RstSchedule *s = r->rs;
    int d = (int)fmin(o->time_h / 24.0, s->ndays - 1);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += r->w->wk.power ? s->area_supply[idx[i] * s->ndays + d] : 1.0;
    *out = sum / n;
    return 0;
}

/* Share of the 24 hours from time_h that the areas are without power
 * (outage and rolling outages), averaged over the areas. */
static int m_area_dark(const ValRep *r, const ValObs *o, double *out)
{
    IDS(VAL_AREAS);
    int k = 0;
    for (int i = 0; i < n; i++)
        for (int h = 0; h < 24; h++) k += !rst_area_has_power(r->rs, idx[i], o->time_h + h);
    *out = k / (24.0 * n);
    return 0;
}

/* Hours until the served fraction of class param (0: all) stays at or
 * above 0.9: the length of the fuel shortage. The site is not used. */
static int m_shortage(const ValRep *r, const ValObs *o, double *out)
{
    const SupResult *s = r->sup;
    int k = (int)o->param;
    if (!s || k < 0 || k > NCLASS) return -1;
    const double *v = k == 0 ? s->served_all : s->served[k - 1];
    int last = 0;
    for (int h = 0; h < s->nhours; h++)
        if (v[h] < 0.9) last = h + 1;
    *out = last;
    return 0;
}

const ValMetric val_metrics[] = {
    {"jma_intensity", "JMA", "mean JMA instrumental intensity at the sites, from sampled PGV (Midorikawa et al. 1999)", 0, m_jma},
    {"frac_jma_ge", "fraction", "fraction of the sites with JMA intensity >= param", 0, m_frac_jma_ge},
    {"pga_g", "g", "mean sampled surface PGA at the sites", 0, m_pga},
    {"liquefied_frac", "fraction", "fraction of the sites that liquefied", 0, m_liquefied},
    {"stopped_count", "count", "facilities whose production is still stopped at time_h", 0, m_stopped},
    {"tripped_frac", "fraction", "fraction of the sites tripped by shaking", 0, m_tripped},
    {"fire_count", "count", "facilities with a fire after damage", 0, m_fires},
    {"restart_h", "h", "latest time production is back at the sites", 0, m_restart},
    {"ext_damage_count", "count", "facilities with a component in extensive or complete damage", 0, m_ext_damage},
    {"berth_damaged_frac", "fraction", "berth units at the sites in damage state >= param (1 slight .. 4 complete)", 0, m_berths},
    {"areas_without_power", "count", "grid areas without power at time_h", 0, m_areas_dark},
    {"area_power_on_h", "h", "latest time grid power is back in the areas", 0, m_area_power_on},
    {"road_open_h", "h", "median time emergency roads at the sites open", 0, m_road},
    {"rail_open_h", "h", "latest time rail lines at the sites open", 0, m_rail},
    {"served_frac", "fraction", "mean served fraction of class param (0: all) over the first time_h hours (supply simulation)", 1, m_served},
    {"route_open_h", "h", "first emergency route of direction param (1 north .. 8 northwest; 0 the latest) open (first_week.roads)", 0, m_route},
    {"area_supply_frac", "fraction", "power supply of the areas as a fraction of normal on the day of time_h (first_week.power)", 0, m_area_supply},
    {"area_dark_share", "fraction", "share of the 24 h from time_h the areas are without power, outages and rolling outages", 0, m_area_dark},
    {"shortage_h", "h", "hours until the served fraction of class param (0: all) stays >= 0.9 (supply simulation)", 1, m_shortage},
};
const int val_nmetrics = (int)(sizeof val_metrics / sizeof val_metrics[0]);

int val_find_metric(const char *name)
{
    for (int i = 0; i < val_nmetrics; i++)
        if (!strcmp(val_metrics[i].name, name)) return i;
    return -1;
}

static ValSiteKind metric_site_kind(int m)
{
    ValMetricFn f = val_metrics[m].fn;
    return f == m_areas_dark || f == m_area_power_on || f == m_area_supply || f == m_area_dark ? VAL_AREAS : VAL_PLACES;
}

int val_check(const World *w, char *err, size_t errlen)
{
    int bad = 0;
    size_t used = 0;
    if (errlen) err[0] = 0;
    for (int i = 0; i < w->nobs; i++) {
        const ValObs *o = &w->obs[i];
        char msg[256] = "";
        int m = val_find_metric(o->metric);
        int idx[VAL_MAXIDS];
        char id[64];
        if (m < 0)
            snprintf(msg, sizeof msg, "metric: \"%s\" is not a known metric", o->metric);
        else if (val_metrics[m].fn == m_route && !(o->param >= 0 && o->param <= RST_NDIR && o->param == floor(o->param)))
            snprintf(msg, sizeof msg, "param: %g is not a direction 0..%d", o->param, RST_NDIR);
        else if (val_metrics[m].fn == m_route) continue;
        else if (val_metrics[m].fn == m_shortage && !(o->param >= 0 && o->param <= NCLASS && o->param == floor(o->param)))
            snprintf(msg, sizeof msg, "param: %g is not a priority class 0..%d", o->param, NCLASS);
        else if (val_metrics[m].fn == m_shortage) continue;
        else if (val_metrics[m].fn != m_served && site_ids(w, o->site, metric_site_kind(m), idx, id) < 0)
            snprintf(msg, sizeof msg, "site: \"%s\" is not %s", id,
                     metric_site_kind(m) == VAL_AREAS ? "a grid area id" : "a facility or demand-point id");
        else if (val_metrics[m].fn == m_served && !(o->param >= 0 && o->param <= NCLASS && o->param == floor(o->param)))
            snprintf(msg, sizeof msg, "param: %g is not a priority class 0..%d", o->param, NCLASS);
        if (!msg[0]) continue;
        bad++;
        if (used < errlen)
            used += (size_t)snprintf(err + used, errlen - used, "%s%s:%d: %s", used ? "\n" : "",
                                     w->obs_file ? w->obs_file : "validation", o->line, msg);
    }
    return bad;
}

/* ---- replay -------------------------------------------------------------------- */

static double quantile(double *v, int n, double p)
{
    if (n <= 0) return NAN;
    double x = p * (n - 1);
    int i = (int)x;
    if (i >= n - 1) return v[n - 1];
    return v[i] + (x - i) * (v[i + 1] - v[i]);
}

/* The rows of one earthquake on replicates [0, nrep): vals[row * nrep + rep]. */
static int run_quake(const World *w, int q, uint64_t nrep, uint64_t seed, int threads,
                     double *vals, char *err, size_t errlen)
{
    int need_sup = 0;
    for (int i = 0; i < w->nobs; i++)
        if (w->obs[i].quake == q) need_sup |= val_metrics[val_find_metric(w->obs[i].metric)].needs_supply;
    HazField *hf = haz_field_new(w, q);
    SupModel *sm = need_sup ? sup_model_new(w, q) : NULL;
    int failed = need_sup && !sm;
#ifdef _OPENMP
    if (threads > 0) omp_set_num_threads(threads);
#else
    (void)threads;
#endif
#pragma omp parallel if (!failed)
    {
        HazSample *hs = haz_sample_new(hf);
        DmgOutcome *dmg = dmg_outcome_new(w);
        RstSchedule *rs = rst_schedule_new(w);
#pragma omp for schedule(dynamic)
        for (long rep = 0; rep < (long)nrep; rep++) {
            rst_replicate(hf, seed, (uint64_t)rep, hs, dmg, rs);
            SupResult sup;
            memset(&sup, 0, sizeof sup);
            int have_sup = 0;
            if (sm) {
                SupOptions opt = {SUP_GREEDY, NULL, NULL, NULL};
                if (sup_run(sm, seed, (uint64_t)rep, &opt, &sup) == 0) have_sup = 1;
                else {
#pragma omp atomic write
                    failed = 1;
                }
            }
            ValRep r = {w, hs, dmg, rs, have_sup ? &sup : NULL};
            for (int i = 0; i < w->nobs; i++) {
                if (w->obs[i].quake != q) continue;
                double v = NAN;
                const ValMetric *m = &val_metrics[val_find_metric(w->obs[i].metric)];
                if (m->fn(&r, &w->obs[i], &v) != 0) v = NAN;
                vals[(size_t)i * nrep + (size_t)rep] = v;
            }
            if (have_sup) sup_result_free(&sup);
        }
        rst_schedule_free(rs);
        dmg_outcome_free(dmg);
        haz_sample_free(hs);
    }
    sup_model_free(sm);
    haz_field_free(hf);
    if (failed) snprintf(err, errlen, "the supply simulation failed for %s", w->quake[q].id);
    return failed ? -1 : 0;
}

int val_run(const World *w, uint64_t nrep, uint64_t seed, int threads, ValResult *out,
            char *err, size_t errlen)
{
    if (val_check(w, err, errlen) > 0) return -1;
    double *vals = xcalloc((size_t)w->nobs * (nrep > 0 ? nrep : 1), sizeof *vals);
    int rc = 0;
    for (int q = 0; q < w->nquake && rc == 0; q++) {
        int used = 0;
        for (int i = 0; i < w->nobs; i++) used |= w->obs[i].quake == q;
        if (used) rc = run_quake(w, q, nrep, seed, threads, vals, err, errlen);
    }
    for (int i = 0; i < w->nobs && rc == 0; i++) {
        double *v = vals + (size_t)i * nrep;
        int n = 0;
        for (uint64_t k = 0; k < nrep; k++)
            if (!isnan(v[k])) v[n++] = v[k];
        qsort(v, (size_t)n, sizeof *v, cmp_double);
        ValResult *r = &out[i];
        r->n = n;
        r->p5 = quantile(v, n, 0.05);
        r->p50 = quantile(v, n, 0.50);
        r->p95 = quantile(v, n, 0.95);
        r->inside = n > 0 && r->p5 <= w->obs[i].obs_hi && w->obs[i].obs_lo <= r->p95;
    }
    free(vals);
    return rc;
}

/* ---- output -------------------------------------------------------------------- */

static void put_num(FILE *f, double v)
{
    if (isnan(v)) return;
    fprintf(f, "%.4g", v);
}

static int write_csv(const World *w, const ValResult *res, const char *path)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    FILE *f = o->f;
    fprintf(f, "id,event,metric,site,param,time_h,observed,obs_lo,obs_hi,p5,p50,p95,inside,n,source,note\n");
    for (int i = 0; i < w->nobs; i++) {
        const ValObs *ob = &w->obs[i];
        const ValResult *r = &res[i];
        fprintf(f, "%s,%s,%s,", ob->id, w->quake[ob->quake].id, ob->metric);
        csv_put_field(f, ob->site);
        fprintf(f, ",%g,%g,%g,%g,%g,", ob->param, ob->time_h, ob->observed, ob->obs_lo, ob->obs_hi);
        put_num(f, r->p5); fputc(',', f);
        put_num(f, r->p50); fputc(',', f);
        put_num(f, r->p95);
        fprintf(f, ",%d,%d,", r->inside, r->n);
        csv_put_field(f, ob->source);
        fputc(',', f);
        csv_put_field(f, ob->note);
        fputc('\n', f);
    }
    return out_commit(o);
}

/* Markdown cell text: pipes would split the cell, line ends the row. */
static void md_cell(StrBuf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') sb_printf(b, "\\|");
        else if (*s == '\n' || *s == '\r') sb_printf(b, " ");
        else sb_printf(b, "%c", *s);
    }
}

static char *md_text(const World *w, const ValResult *res, uint64_t nrep, uint64_t seed)
{
    StrBuf b = {0};
    int in = 0;
    for (int i = 0; i < w->nobs; i++) in += res[i].inside;
    sb_printf(&b, "# Validation: hindcasts and official estimates\n\n");
    sb_printf(&b, "Scenario `%s`, %llu replicates per earthquake, seed %llu. A row is *inside* when the "
                  "model's P5-P95 band meets the observed or official range (obs_lo..obs_hi). "
                  "Rows outside are findings about the model, listed again at the end.\n\n",
              w->id, (unsigned long long)nrep, (unsigned long long)seed);
    sb_printf(&b, "**%d of %d rows inside (%.0f%%).**\n\n", in, w->nobs, w->nobs ? 100.0 * in / w->nobs : 0.0);
    sb_printf(&b, "| id | event | metric | site | t (h) | observed (range) | P5 | P50 | P95 | inside | source |\n");
    sb_printf(&b, "|---|---|---|---|---:|---|---:|---:|---:|---|---|\n");
    for (int i = 0; i < w->nobs; i++) {
        const ValObs *o = &w->obs[i];
        const ValResult *r = &res[i];
        sb_printf(&b, "| %s | %s | %s | ", o->id, w->quake[o->quake].id, o->metric);
        md_cell(&b, o->site);
        sb_printf(&b, " | %g | %g (%g..%g) | %.3g | %.3g | %.3g | %s | ", o->time_h, o->observed,
                  o->obs_lo, o->obs_hi, r->p5, r->p50, r->p95, r->inside ? "yes" : "**no**");
        md_cell(&b, o->source);
        sb_printf(&b, " |\n");
    }
    sb_printf(&b, "\n## Rows outside their band\n\n");
    int any = 0;
    for (int i = 0; i < w->nobs; i++) {
        if (res[i].inside) continue;
        any = 1;
        sb_printf(&b, "- `%s` (%s, %s): observed %g, model P5-P95 %.3g-%.3g. ", w->obs[i].id,
                  w->quake[w->obs[i].quake].id, w->obs[i].metric, w->obs[i].observed, res[i].p5, res[i].p95);
        md_cell(&b, w->obs[i].note && w->obs[i].note[0] ? w->obs[i].note : "(no note in the table)");
        sb_printf(&b, "\n");
    }
    if (!any) sb_printf(&b, "None.\n");
    sb_printf(&b, "\n## Metrics\n\n");
    for (int m = 0; m < val_nmetrics; m++)
        sb_printf(&b, "- `%s` (%s): %s\n", val_metrics[m].name, val_metrics[m].unit, val_metrics[m].what);
    return sb_take(&b);
}

int val_write(const World *w, const ValResult *res, uint64_t nrep, uint64_t seed,
              const char *outdir, char *err, size_t errlen)
{
    if (out_mkdir(outdir) != 0) {
        snprintf(err, errlen, "cannot create %s", outdir);
        return -1;
    }
    char *csv = path_join(outdir, "validation.csv");
    char *md = path_join(outdir, "validation.md");
    char *text = md_text(w, res, nrep, seed);
    const char *which = csv;
    int rc = write_csv(w, res, csv);
    if (rc == 0) {
        which = md;
        rc = out_write_string(md, text);
    }
    if (rc != 0) snprintf(err, errlen, "cannot write %s", which);
    free(text);
    free(csv);
    free(md);
    return rc;
}
