/* Final statistics of a sweep (see sweep.h): read back the committed rows a
 * block of columns at a time within the memory budget and write
 * summary.json (moments, CI, exact quantiles, category probabilities) and
 * bands.csv (p10/p50/p90 of each series per hour, from the histograms). */
#include "sweep_int.h"
#include "stats.h"
#include "util.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const int swp_quantile_pct[SWP_NQ] = {5, 50, 90, 95, 99};

typedef struct ColOut {
    SwpColStats st;
    double *p;      /* ncat probabilities, or NULL */
} ColOut;

/* Read the committed rows, a block of columns at a time, and compute each
 * column's statistics in replicate order. */
static int final_stats(SwpRun *R, ColOut *co)
{
    const SwpSpec *sp = R->spec;
    uint64_t n = R->par->n;
    size_t per = R->par->mem_budget / (sizeof(double) * (size_t)n);
    if (per < 1) per = 1;
    if (per > (size_t)sp->ncol) per = (size_t)sp->ncol;
    double *val = xmalloc(per * (size_t)n * sizeof *val);
    FILE *f = fopen(R->csv_path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", R->par->label, R->csv_path, strerror(errno));
        free(val);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t c0 = 0; c0 < (size_t)sp->ncol && rc == 0; c0 += per) {
        size_t c1 = c0 + per < (size_t)sp->ncol ? c0 + per : (size_t)sp->ncol;
        rewind(f);
        if (getline(&line, &cap, f) < 0) rc = -1;   /* header */
        for (uint64_t r = 0; r < n && rc == 0; r++) {
            if (getline(&line, &cap, f) < 0) { rc = -1; break; }
            char *s = line, *end;
            unsigned long long rep = strtoull(s, &end, 10);
            if (end == s || rep != r) { rc = -1; break; }
            s = end;
            for (size_t c = 0; c < c1; c++) {
                if (*s != ',') { rc = -1; break; }
                double v = strtod(s + 1, &end);
                if (end == s + 1) { rc = -1; break; }
                s = end;
                if (c >= c0) val[(c - c0) * n + r] = v;
            }
        }
        for (size_t c = c0; c < c1 && rc == 0; c++) {
            double *x = val + (c - c0) * n;
            const SwpCol *col = &sp->col[c];
            Welford w;
            stats_welford_init(&w);
            if (col->ncat > 0) co[c].p = xcalloc((size_t)col->ncat, sizeof(double));
            uint64_t ncat_ok = 0;
            for (uint64_t r = 0; r < n; r++) {
                if (isnan(x[r])) continue;
                stats_welford_add(&w, x[r]);
                if (col->ncat > 0 && x[r] >= 0 && x[r] < col->ncat && x[r] == floor(x[r])) {
                    co[c].p[(int)x[r]] += 1;
                    ncat_ok++;
                }
            }
            for (int k = 0; k < col->ncat; k++) co[c].p[k] = ncat_ok ? co[c].p[k] / (double)ncat_ok : NAN;
            SwpColStats *st = &co[c].st;
            st->n = col->ncat > 0 ? ncat_ok : w.n;
            st->mean = w.n ? w.mean : NAN;
            st->sd = stats_welford_sd(&w);
            st->ci95_half = stats_welford_ci(&w, 0.95);
            st->min = w.n ? w.min : NAN;
            st->max = w.n ? w.max : NAN;
            st->ci95_lo = st->mean - st->ci95_half;
            st->ci95_hi = st->mean + st->ci95_half;
            if (st->min >= 0 && st->ci95_lo < 0) st->ci95_lo = 0;
            stats_sort(x, (size_t)n);   /* NaN last: the first w.n are the values */
            for (int q = 0; q < SWP_NQ; q++)
                st->q[q] = stats_quantile_sorted(x, (size_t)w.n, swp_quantile_pct[q] / 100.0);
        }
    }
    if (rc != 0) fprintf(stderr, "%s: %s: cannot read back the rows\n", R->par->label, R->csv_path);
    free(line);
    free(val);
    fclose(f);
    return rc;
}

/* The object at path "a/b/c" under root, created as needed. */
static cJSON *json_at(cJSON *root, const char *path)
{
    cJSON *o = root;
    char *p = xstrdup(path), *save = NULL;
    for (char *tok = strtok_r(p, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        cJSON *child = cJSON_GetObjectItemCaseSensitive(o, tok);
        if (!child) child = cJSON_AddObjectToObject(o, tok);
        o = child;
    }
    free(p);
    return o;
}

static void json_raw_u64(cJSON *o, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRIu64, v);   /* exact, beyond the 2^53 of a double */
    cJSON_AddRawToObject(o, key, b);
}

static int write_summary(SwpRun *R, const ColOut *co)
{
    const SwpSpec *sp = R->spec;
    cJSON *root = cJSON_CreateObject();
    cJSON *run = cJSON_AddObjectToObject(root, "run");
    for (const char *const *kv = R->par->info; kv && kv[0] && kv[1]; kv += 2)
        cJSON_AddStringToObject(run, kv[0], kv[1]);
    json_raw_u64(run, "seed", R->par->seed);
    json_raw_u64(run, "n", R->par->n);
    cJSON_AddNumberToObject(run, "band_resolution", 1.0 / SWP_BAND_BINS);
    cJSON *prov = R->par->prov_json ? cJSON_Parse(R->par->prov_json) : NULL;
    if (prov) cJSON_AddItemToObject(root, "provenance", prov);
    for (int c = 0; c < sp->ncol; c++) {
        const SwpCol *col = &sp->col[c];
        char *path = col->json ? xstrdup(col->json) : path_join("metrics", col->name);
        cJSON *o = json_at(root, path);
        free(path);
        const SwpColStats *st = &co[c].st;
        json_raw_u64(o, "n", st->n);
        if (col->ncat > 0) {
            cJSON *p = cJSON_AddObjectToObject(o, "p");
            for (int k = 0; k < col->ncat; k++) {
                char kb[16];
                snprintf(kb, sizeof kb, "%d", k);
                cJSON_AddNumberToObject(p, col->cat_names ? col->cat_names[k] : kb, co[c].p[k]);
            }
            continue;
        }
        cJSON_AddNumberToObject(o, "mean", st->mean);
        cJSON_AddNumberToObject(o, "sd", st->sd);
        double ci[2] = {st->ci95_lo, st->ci95_hi};
        cJSON_AddItemToObject(o, "ci95", cJSON_CreateDoubleArray(ci, 2));
        cJSON_AddNumberToObject(o, "min", st->min);
        cJSON_AddNumberToObject(o, "max", st->max);
        for (int q = 0; q < SWP_NQ; q++) {
            char kb[8];
            snprintf(kb, sizeof kb, "p%d", swp_quantile_pct[q]);
            cJSON_AddNumberToObject(o, kb, st->q[q]);
        }
    }
    char *withnl = json_take_text(root);
    char *path = path_join(R->par->out_dir, "summary.json");
    int rc = out_write_string(path, withnl);
    if (rc != 0) fprintf(stderr, "%s: %s: %s\n", R->par->label, path, strerror(errno));
    free(path);
    free(withnl);
    return rc;
}

/* Nearest-rank quantile of a histogram cell: the smallest bin whose
 * cumulative count reaches ceil(pct/100 * total); integer arithmetic, so it
 * is exact and the same on every machine. -1 when the cell is empty. */
static int hist_quantile(const uint32_t *h, int pct)
{
    uint64_t total = 0;
    for (int b = 0; b < SWP_NBINS; b++) total += h[b];
    if (total == 0) return -1;
    uint64_t k = ((uint64_t)pct * total + 99) / 100, cum = 0;
    if (k < 1) k = 1;
    for (int b = 0; b < SWP_NBINS; b++) {
        cum += h[b];
        if (cum >= k) return b;
    }
    return SWP_NBINS - 1;
}

static int write_bands(SwpRun *R)
{
    static const int pct[3] = {10, 50, 90};
    const SwpSpec *sp = R->spec;
    char *path = path_join(R->par->out_dir, "bands.csv");
    OutFile *o = out_open(path);
    if (!o) {
        fprintf(stderr, "%s: %s: %s\n", R->par->label, path, strerror(errno));
        free(path);
        return -1;
    }
    fputs("hour", o->f);
    for (int s = 0; s < sp->nseries; s++)
        for (int q = 0; q < 3; q++) fprintf(o->f, ",%s_p%d", sp->series_name[s], pct[q]);
    fputc('\n', o->f);
    for (int h = 0; h < sp->nhours; h++) {
        fprintf(o->f, "%d", h);
        for (int s = 0; s < sp->nseries; s++) {
            const uint32_t *cell = R->hist + ((size_t)s * (size_t)sp->nhours + (size_t)h) * SWP_NBINS;
            for (int q = 0; q < 3; q++) {
                int b = hist_quantile(cell, pct[q]);
                if (b < 0) fputc(',', o->f);
                else fprintf(o->f, ",%.3f", (double)b / SWP_BAND_BINS);
            }
        }
        fputc('\n', o->f);
    }
    int rc = out_commit(o);
    if (rc != 0) fprintf(stderr, "%s: %s: %s\n", R->par->label, path, strerror(errno));
    free(path);
    return rc;
}

int swp_stats_write(SwpRun *R, SwpColStats *stats)
{
    const SwpSpec *sp = R->spec;
    assert(R->committed == R->par->n);   /* the statistics are of the whole sweep */
    ColOut *co = xcalloc((size_t)sp->ncol ? (size_t)sp->ncol : 1, sizeof *co);
    int rc = final_stats(R, co);
    if (rc == 0) rc = write_summary(R, co);
    if (rc == 0) rc = write_bands(R);
    if (rc == 0 && stats)
        for (int c = 0; c < sp->ncol; c++) stats[c] = co[c].st;
    for (int c = 0; c < sp->ncol; c++) free(co[c].p);
    free(co);
    return rc;
}
