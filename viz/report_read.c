/* Reading an output folder for the report: the sweep (summary.json,
 * bands.csv, replicates.csv), run (metrics.json, timeseries.csv, trace.csv),
 * drill (msel.json or msel.csv) and compare (compare.json or compare.csv)
 * files into an RptData, checked against the World. The large CSV files are
 * streamed so that a 10,000-replicate sweep or a long trace does not need
 * their text in memory. */
#include "report.h"

#include "report_int.h"
#include "textio.h"
#include "trace.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const rpt_metric_key[NRM] = {
    "weighted_shortfall", "dry_hours_class1", "t90_supply_h", "resilience_loss",
    "unserved_kl_class1", "unserved_kl_class2", "unserved_kl_class3", "unserved_kl_class4"};

/* ---- reading files ---------------------------------------------------------- */

typedef struct Ctx {
    const char *prog;
    const char *out_dir;
    RptData *d;
    StrBuf files;           /* names read, for the footer */
} Ctx;

static void note_file(Ctx *c, const char *name)
{
    sb_printf(&c->files, "%s%s", c->files.n ? ", " : "", name);
}

static int exists(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return ok;
}

/* Parse OUT/name as JSON and note it for the footer; NULL after a message
 * "prog: OUT/name[:line]: ...". */
static cJSON *read_json(Ctx *c, const char *name)
{
    char *path = path_join(c->out_dir, name);
    char err[256];
    size_t len = 0;
    int line = 0;
    cJSON *j = NULL;
    char *text = tio_read_file(path, TIO_MAX_BYTES, &len, err, sizeof err);
    long start = text ? tio_text_start(text, len, &line, err, sizeof err) : -1;
    if (!text) {
        fprintf(stderr, "%s: %s: %s\n", c->prog, path, err);
    } else if (start < 0) {
        fprintf(stderr, "%s: %s:%d: %s\n", c->prog, path, line, err);
    } else {
        const char *end = NULL;
        j = cJSON_ParseWithLengthOpts(text + start, len - (size_t)start, &end, 0);
        if (!j || !cJSON_IsObject(j)) {
            size_t off = end && end >= text ? (size_t)(end - text) : len;
            fprintf(stderr, "%s: %s:%d: %s\n", c->prog, path, tio_line_of(text, off),
                    j ? "not a JSON object" : "not valid JSON");
            cJSON_Delete(j);
            j = NULL;
        }
    }
    free(text);
    free(path);
    if (j) note_file(c, name);
    return j;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static char *dupz(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static double parse_num(const char *s)
{
    if (!s || !*s) return NAN;
    char *end;
    double v = strtod(s, &end);
    return end == s ? NAN : v;
}

/* A CSV file of OUT, streamed through textio: the columns its reader takes
 * (those whose bit is set in required must be there; the others may be
 * missing) and a function that takes each data row's cells of them. */
typedef struct CsvUse {
    const char *name;
    const char *const *cols;
    int ncol;                 /* at most 64 */
    uint64_t required;        /* bit i: the file must have cols[i] */
    /* v[i]: the row's cell of cols[i], NULL where the file has no such
     * column; non-zero stops reading with that code */
    int (*row)(void *ctx, char *const *v);
    void *ctx;
} CsvUse;

typedef struct CsvRd {
    const CsvUse *u;
    TioCsv *t;
    int *col;           /* column of each of u->cols, -1 absent; NULL before the first row */
    char **v;
} CsvRd;

static int csv_row(void *vctx, TioRow *r)
{
    CsvRd *rd = vctx;
    const CsvUse *u = rd->u;
    if (tio_csv_problems(rd->t)) return -1;   /* a row of the wrong width: the file is not ours */
    if (!rd->col) {
        rd->col = xmalloc(((size_t)u->ncol + 1) * sizeof *rd->col);
        rd->v = xmalloc(((size_t)u->ncol + 1) * sizeof *rd->v);
        for (int i = 0; i < u->ncol; i++) rd->col[i] = tio_csv_col(rd->t, u->cols[i]);
    }
    for (int i = 0; i < u->ncol; i++) rd->v[i] = rd->col[i] >= 0 ? r->f[rd->col[i]] : NULL;
    return u->row(u->ctx, rd->v);
}

/* Returns 0, or -1 after a message "prog: OUT/name[:line]: ..." (cannot
 * open, read error, syntax, empty, a missing column, a row of the wrong
 * width), or the row function's code. */
static int read_csv(Ctx *c, const CsvUse *u)
{
    char *path = path_join(c->out_dir, u->name);
    char err[512] = "";
    CsvRd rd = {u, NULL, NULL, NULL};
    const char *need[65];
    TioCsvSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.file = path;
    spec.required = tio_csv_required(u->cols, u->ncol, u->required, need);
    spec.empty_msg = "empty file";
    spec.row = csv_row;
    spec.ctx = &rd;
    spec.err = err;
    spec.errlen = sizeof err;
    int rc = -1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
    } else {
        rd.t = tio_csv_new(&spec);
        char buf[1 << 16];
        size_t got;
        rc = 0;
        while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0) rc = tio_csv_feed(rd.t, buf, got);
        if (rc == 0 && ferror(f)) snprintf(err, sizeof err, "%s: read error", path);
        if (rc == 0 && !err[0]) rc = tio_csv_finish(rd.t);
        if (err[0]) {
            fprintf(stderr, "%s: %s\n", c->prog, err);
            if (rc == 0) rc = -1;
        }
        tio_csv_free(rd.t);
        fclose(f);
    }
    free(rd.col);
    free(rd.v);
    free(path);
    if (rc == 0) note_file(c, u->name);
    return rc;
}

/* The row readers that append to one of RptData's arrays: its capacity. */
typedef struct Grow {
    RptData *d;
    int cap;
} Grow;

/* A new zeroed element at the end of *arr, which holds *n of size bytes. */
static void *grow_add(Grow *g, void **arr, int *n, size_t size)
{
    xgrow(arr, &g->cap, *n + 1, size);
    void *e = (char *)*arr + (size_t)(*n)++ * size;
    memset(e, 0, size);
    return e;
}

/* ---- identity ---------------------------------------------------------------- */

/* The first provenance found in OUT (see sweep.h, drill and compare). */
static void set_prov(RptData *d, const cJSON *p)
{
    const char *s;
    if (!p || d->made_cmd) return;
    if ((s = str(p, "command"))) d->made_cmd = xstrdup(s);
    if ((s = str(p, "version"))) d->made_version = xstrdup(s);
    if ((s = str(p, "commit"))) d->made_commit = xstrdup(s);
    if ((s = str(p, "scenario_sha256"))) d->made_sha = xstrdup(s);
}

static void set_identity(RptData *d, const cJSON *o)
{
    const char *s;
    set_prov(d, cJSON_GetObjectItemCaseSensitive(o, "provenance"));
    if (!d->scenario_id && (s = str(o, "scenario"))) d->scenario_id = xstrdup(s);
    if (!d->quake_id && (s = str(o, "quake"))) d->quake_id = xstrdup(s);
    if (!d->policy && (s = str(o, "policy"))) d->policy = xstrdup(s);
    if (!d->have_seed && !isnan(num(o, "seed"))) { d->seed = num(o, "seed"); d->have_seed = 1; }
    if (isnan(d->horizon_h) && !isnan(num(o, "horizon_h"))) d->horizon_h = num(o, "horizon_h");
}

/* ---- sweep: summary.json, bands.csv, replicates.csv ---------------------------- */

/* OUT/name as read_json, with the identity of its
 * "meta" object (*meta, borrowed from the result) taken into the data. */
static cJSON *read_json_meta(Ctx *c, const char *name, const cJSON **meta)
{
    cJSON *j = read_json(c, name);
    if (!j) return NULL;
    *meta = cJSON_GetObjectItemCaseSensitive(j, "meta");
    set_identity(c->d, *meta);
    return j;
}

static void stat_from(RptStat *s, const cJSON *o)
{
    memset(s, 0, sizeof *s);
    if (!cJSON_IsObject(o)) return;
    s->mean = num(o, "mean");
    s->p5 = num(o, "p5");
    s->p50 = num(o, "p50");
    s->p90 = num(o, "p90");
    s->p95 = num(o, "p95");
    s->p99 = num(o, "p99");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(o, "ci95");
    s->ci_lo = s->ci_hi = NAN;
    if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(ci, 0)) &&
        cJSON_IsNumber(cJSON_GetArrayItem(ci, 1))) {
        s->ci_lo = cJSON_GetArrayItem(ci, 0)->valuedouble;
        s->ci_hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
    }
    s->have = !isnan(s->mean) || !isnan(s->p50);
}

static void pds_from(double *pds, const cJSON *o)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "damage_state"), "p");
    for (int k = 0; k < NDS; k++) pds[k] = cJSON_IsObject(p) ? num(p, world_ds_name[k]) : NAN;
}

static int comp_find(const World *w, const char *id)
{
    for (int k = 0; k < w->ncomp; k++)
        if (strcmp(w->comp[k].id, id) == 0) return k;
    return -1;
}

static int link_find(const World *w, const char *id)
{
    for (int k = 0; k < w->nlink; k++)
        if (strcmp(w->link[k].id, id) == 0) return k;
    return -1;
}

static int read_summary(Ctx *c)
{
    RptData *d = c->d;
    const World *w = d->w;
    cJSON *j = read_json(c, "summary.json");
    if (!j) return -1;
    const cJSON *run = cJSON_GetObjectItemCaseSensitive(j, "run");
    set_prov(d, cJSON_GetObjectItemCaseSensitive(j, "provenance"));
    set_identity(d, run);
    d->sweep = 1;
    d->nrep = num(run, "n");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
    for (int k = 0; k < NRM; k++) stat_from(&d->metric[k], cJSON_GetObjectItemCaseSensitive(m, rpt_metric_key[k]));
    d->fac_pds = xmalloc((size_t)(w->nfac + 1) * NDS * sizeof(double));
    d->fac_rst = xcalloc((size_t)w->nfac + 1, sizeof(RptStat));
    d->comp_pds = xmalloc((size_t)(w->ncomp + 1) * NDS * sizeof(double));
    d->comp_rst = xcalloc((size_t)w->ncomp + 1, sizeof(RptStat));
    d->link_p = xmalloc(((size_t)w->nlink + 1) * sizeof(double));
    for (int i = 0; i < w->nfac * NDS; i++) d->fac_pds[i] = NAN;
    for (int i = 0; i < w->ncomp * NDS; i++) d->comp_pds[i] = NAN;
    for (int i = 0; i < w->nlink; i++) d->link_p[i] = NAN;
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "facilities")) {
        int f = world_find_facility(w, x->string);
        if (f < 0) continue;
        pds_from(d->fac_pds + f * NDS, x);
        stat_from(&d->fac_rst[f], cJSON_GetObjectItemCaseSensitive(x, "restore_h"));
    }
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "berths")) {
        int k = comp_find(w, x->string);
        if (k < 0) continue;
        pds_from(d->comp_pds + k * NDS, x);
        stat_from(&d->comp_rst[k], cJSON_GetObjectItemCaseSensitive(x, "restore_h"));
    }
    /* Links are optional in a summary: a closure probability, or the
     * probability of each damage state (closed = extensive or worse). */
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "links")) {
        int l = link_find(w, x->string);
        if (l < 0) continue;
        double p = num(x, "p_closed");
        if (isnan(p)) {
            double pds[NDS];
            pds_from(pds, x);
            p = pds[DS_EXTENSIVE] + pds[DS_COMPLETE];
        }
        d->link_p[l] = p;
    }
    cJSON_Delete(j);
    return 0;
}

/* bands.csv: per hour the P10, P50, P90 of served fraction by class, then
 * of all (which older sweeps lack). */
static int band_row(void *vctx, char *const *v)
{
    Grow *g = vctx;
    RptData *d = g->d;
    if (d->nh >= g->cap) {
        g->cap = g->cap ? 2 * g->cap : 512;
        for (int s = 0; s < RPT_NSER; s++)
            for (int k = 0; k < 3; k++) d->band[s][k] = xrealloc(d->band[s][k], (size_t)g->cap * sizeof(double));
    }
    for (int s = 0; s < RPT_NSER; s++)
        for (int k = 0; k < 3; k++) d->band[s][k][d->nh] = parse_num(v[3 * s + k]);
    d->nh++;
    return 0;
}

static int rep_row(void *vctx, char *const *v)
{
    Grow *g = vctx;
    RptData *d = g->d;
    xgrow((void **)&d->ws, &g->cap, d->nws + 1, sizeof(double));
    d->ws[d->nws++] = parse_num(v[0]);
    return 0;
}

static int read_sweep(Ctx *c)
{
    if (read_summary(c) != 0) return -1;
    static const char *const q[3] = {"p10", "p50", "p90"};
    char name[RPT_NSER * 3][32];
    const char *cols[RPT_NSER * 3];
    for (int i = 0; i < RPT_NSER * 3; i++) {
        int s = i / 3;
        if (s < NCLASS) snprintf(name[i], sizeof name[i], "served_class%d_%s", s + 1, q[i % 3]);
        else snprintf(name[i], sizeof name[i], "served_all_%s", q[i % 3]);
        cols[i] = name[i];
    }
    Grow b = {c->d, 0};
    CsvUse ub = {"bands.csv", cols, RPT_NSER * 3, (1ull << 3 * NCLASS) - 1, band_row, &b};
    if (read_csv(c, &ub) != 0) return -1;
    static const char *const rep_cols[] = {"weighted_shortfall"};
    Grow r = {c->d, 0};
    CsvUse ur = {"replicates.csv", rep_cols, 1, 1, rep_row, &r};
    return read_csv(c, &ur);
}

/* ---- run: metrics.json, timeseries.csv, trace.csv ------------------------------ */

static int read_metrics(Ctx *c)
{
    RptData *d = c->d;
    const World *w = d->w;
    cJSON *j = read_json(c, "metrics.json");
    if (!j) return -1;
    set_identity(d, j);
    d->run = 1;
    d->rep = num(j, "rep");
    for (int k = 0; k < RM_UNSERVED1; k++) d->run_metric[k] = num(j, rpt_metric_key[k]);
    const cJSON *uc = cJSON_GetObjectItemCaseSensitive(j, "unserved_kl_by_class");
    for (int k = 0; k < NCLASS; k++) {
        char key[32];
        snprintf(key, sizeof key, "class%d", k + 1);
        d->run_metric[RM_UNSERVED1 + k] = num(uc, key);
    }
    d->fac_rst_h = xmalloc(((size_t)w->nfac + 1) * sizeof(double));
    for (int f = 0; f < w->nfac; f++) d->fac_rst_h[f] = NAN;
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "facility_restoration_h")) {
        int f = world_find_facility(w, x->string);
        if (f >= 0 && cJSON_IsNumber(x)) d->fac_rst_h[f] = x->valuedouble;
    }
    cJSON_Delete(j);
    return 0;
}

/* timeseries.csv: per hour the served fraction by class, then of all
 * (which older runs lack). */
static const char *const ts_cols[RPT_NSER] = {"served_class1", "served_class2", "served_class3", "served_class4",
                                              "served_all"};

static int ts_row(void *vctx, char *const *v)
{
    Grow *g = vctx;
    RptData *d = g->d;
    if (d->nts >= g->cap) {
        g->cap = g->cap ? 2 * g->cap : 512;
        for (int s = 0; s < RPT_NSER; s++) d->ts[s] = xrealloc(d->ts[s], (size_t)g->cap * sizeof(double));
    }
    for (int s = 0; s < RPT_NSER; s++) d->ts[s][d->nts] = parse_num(v[s]);
    d->nts++;
    return 0;
}

/* Units by name: open addressing over FNV-1a, grown at half load. */
typedef struct UnitIdx {
    int *slot;          /* unit index + 1; 0 empty */
    int cap;
    int *open;          /* per unit: open trip index or -1 */
    int open_cap;
    int unit_cap, trip_cap;
} UnitIdx;

static unsigned long fnv(const char *s)
{
    unsigned long h = 2166136261ul;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619ul;
    return h;
}

static int unit_get(RptData *d, UnitIdx *ix, const char *name)
{
    if (2 * (d->nunit + 1) > ix->cap) {
        int cap = ix->cap ? 2 * ix->cap : 256;
        int *slot = xcalloc((size_t)cap, sizeof *slot);
        for (int u = 0; u < d->nunit; u++) {
            unsigned long h = fnv(d->unit[u].name) & (unsigned long)(cap - 1);
            while (slot[h]) h = (h + 1) & (unsigned long)(cap - 1);
            slot[h] = u + 1;
        }
        free(ix->slot);
        ix->slot = slot;
        ix->cap = cap;
    }
    unsigned long h = fnv(name) & (unsigned long)(ix->cap - 1);
    while (ix->slot[h]) {
        if (strcmp(d->unit[ix->slot[h] - 1].name, name) == 0) return ix->slot[h] - 1;
        h = (h + 1) & (unsigned long)(ix->cap - 1);
    }
    xgrow((void **)&d->unit, &ix->unit_cap, d->nunit + 1, sizeof *d->unit);
    xgrow((void **)&ix->open, &ix->open_cap, d->nunit + 1, sizeof *ix->open);
    RptUnit *u = &d->unit[d->nunit];
    memset(u, 0, sizeof *u);
    u->name = xstrdup(name);
    const char *hash = strrchr(name, '#');
    size_t flen = hash ? (size_t)(hash - name) : strlen(name);
    u->fleet = -1;
    for (int a = 0; a < d->w->nasset; a++)
        if (strlen(d->w->asset[a].id) == flen && strncmp(d->w->asset[a].id, name, flen) == 0) u->fleet = a;
    u->num = hash ? atoi(hash + 1) : 0;
    ix->open[d->nunit] = -1;
    ix->slot[h] = d->nunit + 1;
    return d->nunit++;
}

typedef struct TraceRd {
    Ctx *c;
    UnitIdx ix;
} TraceRd;

static void close_trip(RptData *d, UnitIdx *ix, int u, double t)
{
    int ti = ix->open[u];
    if (ti < 0) return;
    d->trip[ti].t1 = t;
    ix->open[u] = -1;
}

static int trace_row(void *vctx, char *const *v)
{
    TraceRd *r = vctx;
    RptData *d = r->c->d;
    const World *w = d->w;
    /* most rows (arrivals, loading, requests...) are of kinds drawn from
     * nowhere here: passed over before the whole row is parsed */
    switch (trc_kind_find(v[TRC_F_KIND])) {
    case TRC_DISPATCH: case TRC_UNLOAD: case TRC_RETURN: case TRC_MOBILISE: case TRC_MOBILISED:
    case TRC_DAMAGE: case TRC_RESTORATION: break;
    default: return 0;
    }
    char empty[1] = "", *tf[TRC_NFIELD];
    for (int i = 0; i < TRC_NFIELD; i++) tf[i] = v[i] ? v[i] : empty;
    TrcRow tr;
    char err[160];
    if (trc_parse_fields(tf, &tr, err, sizeof err) != 0) return 0;   /* nor does one we cannot read */
    double t = tr.time_h;
    char unit[160];
    if (tr.asset[0]) snprintf(unit, sizeof unit, "%s#%d", tr.asset, tr.unit);
    if (tr.kind == TRC_DISPATCH && tr.asset[0]) {
        int u = unit_get(d, &r->ix, unit);
        close_trip(d, &r->ix, u, t);
        xgrow((void **)&d->trip, &r->ix.trip_cap, d->ntrip + 1, sizeof *d->trip);
        RptTrip *tp = &d->trip[d->ntrip];
        tp->unit = u;
        tp->t0 = t;
        tp->t1 = NAN;
        tp->t_unload = NAN;
        tp->product = tr.product;
        tp->dest = xstrdup(tr.item);
        r->ix.open[u] = d->ntrip++;
        d->unit[u].ntrip++;
    } else if (tr.kind == TRC_UNLOAD && tr.asset[0]) {
        int u = unit_get(d, &r->ix, unit);
        if (r->ix.open[u] >= 0) d->trip[r->ix.open[u]].t_unload = t;
    } else if (tr.kind == TRC_RETURN && tr.asset[0]) {
        close_trip(d, &r->ix, unit_get(d, &r->ix, unit), t);
    } else if (tr.kind == TRC_MOBILISE || tr.kind == TRC_MOBILISED) {
        for (int a = 0; a < w->nasset; a++)
            if (strcmp(w->asset[a].id, tr.item) == 0) {
                if (tr.kind == TRC_MOBILISED) d->mob_t1[a] = t;
                else d->mob_t0[a] = t;
            }
    } else if (tr.kind == TRC_DAMAGE || tr.kind == TRC_RESTORATION) {
        int k = comp_find(w, tr.item), l = k < 0 ? link_find(w, tr.item) : -1;
        if (tr.kind == TRC_DAMAGE && k >= 0) {
            if (!tr.is_link) {
                int fac = w->comp[k].facility;
                if (tr.ds > d->fac_ds[fac]) d->fac_ds[fac] = tr.ds;
            }
        } else if (tr.kind == TRC_DAMAGE && l >= 0) {
            d->link_closed_h[l] = INFINITY;
        } else if (tr.kind == TRC_RESTORATION && l >= 0) {
            d->link_closed_h[l] = t;
        }
    }
    return 0;
}

/* What the trace's rows fill: facilities undamaged where they have
 * components, links open, no mobilisation, no unit nor trip. */
static void trace_start(RptData *d, TraceRd *r, Ctx *c)
{
    const World *w = d->w;
    d->fac_ds = xmalloc(((size_t)w->nfac + 1) * sizeof(int));
    /* facilities with components start undamaged; the trace lists the rest */
    for (int f = 0; f < w->nfac; f++) d->fac_ds[f] = -1;
    for (int k = 0; k < w->ncomp; k++) d->fac_ds[w->comp[k].facility] = DS_NONE;
    d->link_closed_h = xcalloc((size_t)w->nlink + 1, sizeof(double));
    d->mob_t0 = xmalloc(((size_t)w->nasset + 1) * sizeof(double));
    d->mob_t1 = xmalloc(((size_t)w->nasset + 1) * sizeof(double));
    for (int a = 0; a < w->nasset; a++) d->mob_t0[a] = d->mob_t1[a] = NAN;
    memset(r, 0, sizeof *r);
    r->c = c;
}

/* Undo trace_start and every row since. */
static void trace_undo(RptData *d, TraceRd *r)
{
    free(d->fac_ds); free(d->link_closed_h); free(d->mob_t0); free(d->mob_t1);
    d->fac_ds = NULL; d->link_closed_h = d->mob_t0 = d->mob_t1 = NULL;
    for (int u = 0; u < d->nunit; u++) free(d->unit[u].name);
    for (int t = 0; t < d->ntrip; t++) free(d->trip[t].dest);
    free(d->unit); free(d->trip);
    d->unit = NULL; d->trip = NULL;
    d->nunit = d->ntrip = 0;
    free(r->ix.slot); free(r->ix.open);
}

/* A line of trace.csv as fuelsim writes it (trace.h: seven fields, never
 * quoted) split in place into v; 0 for anything else, which the CSV reader
 * may read otherwise: a quote, a field that CSV trims (leading or trailing
 * space or tab), a carriage return inside, another number of fields. */
static int plain_fields(char *line, size_t n, char **v)
{
    if (n && line[n - 1] == '\r') line[--n] = 0;
    int k = 0;
    v[k++] = line;
    for (size_t i = 0; i < n; i++) {
        char ch = line[i];
        if (ch == '"' || ch == '\r' || ch == 0) return 0;
        if (ch == ',') {
            if (k == TRC_NFIELD) return 0;
            line[i] = 0;
            v[k++] = line + i + 1;
        }
    }
    if (k != TRC_NFIELD) return 0;
    for (int i = 0; i < k; i++) {
        size_t len = strlen(v[i]);
        if (len && (v[i][0] == ' ' || v[i][0] == '\t' || v[i][len - 1] == ' ' || v[i][len - 1] == '\t')) return 0;
    }
    return 1;
}

/* trace.csv read line by line when it is as fuelsim writes it: the current
 * header, then plain rows (blank lines skipped, as CSV skips them). This is
 * the CSV reader's outcome without its per-field copies, which cost the
 * report most of its time on a run's trace. 1 when read, 0 when the file
 * is not of that shape or cannot be read (the caller undoes the rows and
 * reads it as CSV, which says what is wrong), or a row reader's code. */
static int read_trace_plain(Ctx *c, TraceRd *r)
{
    char *path = path_join(c->out_dir, "trace.csv");
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f) return 0;
    char hdr[128];
    size_t hn = 0;
    for (int i = 0; i < TRC_NFIELD; i++)
        hn += (size_t)snprintf(hdr + hn, sizeof hdr - hn, "%s%s", i ? "," : "", trc_field_name[i]);
    size_t cap = 1 << 16, have = 0;
    char *buf = xmalloc(cap + 1), *v[TRC_NFIELD];
    int rc = 1, header = 1, eof = 0;
    while (rc == 1 && !eof) {
        if (have == cap) buf = xrealloc(buf, (cap *= 2) + 1);
        size_t got = fread(buf + have, 1, cap - have, f);
        if (got == 0) {
            if (ferror(f)) { rc = 0; break; }
            eof = 1;
            if (have == 0) break;
            buf[have++] = '\n';   /* the last line without its newline */
        } else {
            have += got;
        }
        size_t start = 0;
        char *nl;
        while (rc == 1 && (nl = memchr(buf + start, '\n', have - start)) != NULL) {
            char *line = buf + start;
            size_t n = (size_t)(nl - line);
            *nl = 0;
            start += n + 1;
            if (header) {
                if (n && line[n - 1] == '\r') line[--n] = 0;
                if (n != hn || memcmp(line, hdr, hn) != 0) rc = 0;
                header = 0;
            } else if (n == 0 || (n == 1 && line[0] == '\r')) {
                continue;
            } else if (!plain_fields(line, n, v)) {
                rc = 0;
            } else {
                int s = trace_row(r, v);
                if (s) rc = s;
            }
        }
        memmove(buf, buf + start, have - start);
        have -= start;
    }
    if (header) rc = 0;   /* empty: the CSV reader says so */
    free(buf);
    fclose(f);
    if (rc == 1) note_file(c, "trace.csv");
    return rc;
}

static int read_trace(Ctx *c)
{
    RptData *d = c->d;
    const World *w = d->w;
    TraceRd r;
    trace_start(d, &r, c);
    int rc = read_trace_plain(c, &r);
    if (rc == 0) {
        trace_undo(d, &r);
        trace_start(d, &r, c);
        /* every field but kl, which older traces lack */
        uint64_t need = ((1ull << TRC_NFIELD) - 1) & ~(1ull << TRC_F_KL);
        CsvUse use = {"trace.csv", trc_field_name, TRC_NFIELD, need, trace_row, &r};
        rc = read_csv(c, &use);
    } else {
        rc = rc == 1 ? 0 : rc;
    }
    double end = isnan(d->horizon_h) ? w->horizon_h : d->horizon_h;
    for (int u = 0; u < d->nunit; u++) close_trip(d, &r.ix, u, end);
    free(r.ix.slot);
    free(r.ix.open);
    return rc != 0 ? -1 : 0;
}

static int read_run(Ctx *c)
{
    if (read_metrics(c) != 0) return -1;
    Grow t = {c->d, 0};
    CsvUse u = {"timeseries.csv", ts_cols, RPT_NSER, (1ull << NCLASS) - 1, ts_row, &t};
    if (read_csv(c, &u) != 0) return -1;
    return read_trace(c);
}

/* ---- drill: msel.json or msel.csv ------------------------------------------------ */

static void inject_free(RptInject *in)
{
    free(in->id); free(in->exercise_time); free(in->from); free(in->to); free(in->method);
    free(in->message); free(in->expected); free(in->objective);
}

/* The fields of an inject, as msel.csv names its columns. */
enum { MC_ID, MC_TIME, MC_EXTIME, MC_FROM, MC_TO, MC_METHOD, MC_MESSAGE, MC_EXPECTED, MC_OBJECTIVE, NMC };
static const char *const msel_cols[NMC] = {"inject_id", "scenario_time_h", "exercise_time", "from", "to",
                                           "method", "message", "expected_action", "objective"};

/* Copies of the text fields v (NULL: absent); the time is the caller's. */
static void inject_set(RptInject *in, const char *const *v)
{
    in->id = dupz(v[MC_ID]);
    in->exercise_time = dupz(v[MC_EXTIME]);
    in->from = dupz(v[MC_FROM]);
    in->to = dupz(v[MC_TO]);
    in->method = dupz(v[MC_METHOD]);
    in->message = dupz(v[MC_MESSAGE]);
    in->expected = dupz(v[MC_EXPECTED]);
    in->objective = dupz(v[MC_OBJECTIVE]);
}

static int read_msel_json(Ctx *c)
{
    RptData *d = c->d;
    const cJSON *meta;
    cJSON *j = read_json_meta(c, "msel.json", &meta);
    if (!j) return -1;
    if (!d->run && !d->sweep && !isnan(num(meta, "rep"))) d->rep = num(meta, "rep");
    const char *pk = str(meta, "pick");
    if (pk && strcmp(pk, "rep") != 0) {
        d->pick = xstrdup(pk);
        d->npick = num(meta, "n");
    }
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "injects"), *x;
    d->inj = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *d->inj);
    cJSON_ArrayForEach(x, arr) {
        RptInject *in = &d->inj[d->ninj++];
        const char *v[NMC];
        for (int i = 0; i < NMC; i++) v[i] = str(x, msel_cols[i]);
        /* the JSON's kind is what the CSV's objective column says */
        if (str(x, "kind")) v[MC_OBJECTIVE] = str(x, "kind");
        inject_set(in, v);
        in->t_h = num(x, msel_cols[MC_TIME]);
    }
    cJSON_Delete(j);
    return 0;
}

static int msel_row(void *vctx, char *const *v)
{
    Grow *g = vctx;
    RptInject *in = grow_add(g, (void **)&g->d->inj, &g->d->ninj, sizeof *in);
    inject_set(in, (const char *const *)v);
    in->t_h = parse_num(v[MC_TIME]);
    return 0;
}

static int read_drill(Ctx *c)
{
    if (exists(c->out_dir, "msel.json")) return read_msel_json(c);
    Grow m = {c->d, 0};
    CsvUse u = {"msel.csv", msel_cols, NMC, 1ull << MC_TIME, msel_row, &m};
    return read_csv(c, &u);
}

/* ---- compare: compare.json or compare.csv ------------------------------------------ */

static void diff_from(const cJSON *o, double *mean, double *lo, double *hi)
{
    *mean = num(o, "mean");
    *lo = num(o, "ci95_lo");
    *hi = num(o, "ci95_hi");
}

static int read_compare_json(Ctx *c)
{
    RptData *d = c->d;
    const cJSON *meta;
    cJSON *j = read_json_meta(c, "compare.json", &meta);
    if (!j) return -1;
    if (isnan(d->nrep)) d->nrep = num(meta, "n");
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(j, "baseline");
    d->base_ws = num(base, "weighted_shortfall_mean");
    d->base_kl = num(base, "unserved_kl_mean");
    d->base_dry = num(base, "dry_hours_class1_mean");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "options"), *x;
    d->opt = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *d->opt);
    cJSON_ArrayForEach(x, arr) {
        RptOption *o = &d->opt[d->nopt++];
        o->id = dupz(str(x, "option"));
        o->name = dupz(rpt_name(d, str(x, "name_en"), str(x, "name_ja"), str(x, "option")));
        diff_from(cJSON_GetObjectItemCaseSensitive(x, "weighted_shortfall_avoided"), &o->ws_mean, &o->ws_lo, &o->ws_hi);
        diff_from(cJSON_GetObjectItemCaseSensitive(x, "unserved_kl_avoided"), &o->kl_mean, &o->kl_lo, &o->kl_hi);
        diff_from(cJSON_GetObjectItemCaseSensitive(x, "dry_hours_class1_avoided"), &o->dry_mean, &o->dry_lo,
                  &o->dry_hi);
        o->cost_yen = num(x, "cost_yen");
        o->yen_per_kl = num(x, "yen_per_kl_avoided");
        o->yen_per_wkl = num(x, "yen_per_weighted_kl_avoided");
        double r = num(x, "rank");
        o->rank = isnan(r) ? 0 : (int)r;
    }
    cJSON_Delete(j);
    return 0;
}

enum { CC_RANK, CC_OPTION, CC_NAME_EN, CC_NAME_JA, CC_COST, CC_BASE_WS, CC_WS, CC_WS_LO, CC_WS_HI, CC_KL, CC_KL_LO,
       CC_KL_HI, CC_DRY, CC_DRY_LO, CC_DRY_HI, CC_YEN_KL, CC_YEN_WKL, NCC };

static const char *const cmp_cols[NCC] = {
    "rank", "option", "name_en", "name_ja", "cost_yen", "baseline_ws_mean", "ws_avoided_mean",
    "ws_avoided_ci_lo", "ws_avoided_ci_hi", "unserved_kl_avoided_mean", "unserved_kl_avoided_ci_lo",
    "unserved_kl_avoided_ci_hi", "dry_hours_class1_avoided_mean", "dry_hours_class1_avoided_ci_lo",
    "dry_hours_class1_avoided_ci_hi", "yen_per_kl_avoided", "yen_per_weighted_kl_avoided"};

static int cmp_row(void *vctx, char *const *v)
{
    Grow *g = vctx;
    RptData *d = g->d;
    RptOption *o = grow_add(g, (void **)&d->opt, &d->nopt, sizeof *o);
    o->id = dupz(v[CC_OPTION]);
    o->name = dupz(rpt_name(d, v[CC_NAME_EN], v[CC_NAME_JA], v[CC_OPTION]));
    double r = parse_num(v[CC_RANK]);
    o->rank = isnan(r) ? 0 : (int)r;
    o->cost_yen = parse_num(v[CC_COST]);
    d->base_ws = parse_num(v[CC_BASE_WS]);
    double *dst[9] = {&o->ws_mean, &o->ws_lo, &o->ws_hi, &o->kl_mean, &o->kl_lo, &o->kl_hi,
                      &o->dry_mean, &o->dry_lo, &o->dry_hi};
    for (int i = 0; i < 9; i++) *dst[i] = parse_num(v[CC_WS + i]);
    o->yen_per_kl = parse_num(v[CC_YEN_KL]);
    o->yen_per_wkl = parse_num(v[CC_YEN_WKL]);
    return 0;
}

static int read_compare(Ctx *c)
{
    c->d->base_ws = c->d->base_kl = c->d->base_dry = NAN;
    if (exists(c->out_dir, "compare.json")) return read_compare_json(c);
    Grow m = {c->d, 0};
    CsvUse u = {"compare.csv", cmp_cols, NCC, 1ull << CC_OPTION, cmp_row, &m};
    return read_csv(c, &u);
}

/* ---- portfolio: frontier.csv (and portfolio.json's meta) --------------------------- */

enum { FC_BUDGET, FC_OPTIONS, FC_COST, FC_WS, FC_WS_LO, FC_WS_HI, FC_DRY, FC_DRY_LO, FC_DRY_HI, FC_INT, FC_INT_LO,
       FC_INT_HI, NFC };
static const char *const front_cols[NFC] = {
    "budget_yen", "options", "cost_yen", "ws_avoided_mean", "ws_avoided_ci_lo", "ws_avoided_ci_hi",
    "dry_hours_class1_avoided_mean", "dry_hours_class1_avoided_ci_lo", "dry_hours_class1_avoided_ci_hi",
    "interaction_mean", "interaction_ci_lo", "interaction_ci_hi"};

static int front_row(void *vctx, char *const *v)
{
    Grow *g = vctx;
    RptFrontier *f = grow_add(g, (void **)&g->d->front, &g->d->nfront, sizeof *f);
    double *dst[NFC] = {&f->budget, NULL, &f->cost, &f->ws_mean, &f->ws_lo, &f->ws_hi, &f->dry_mean, &f->dry_lo,
                        &f->dry_hi, &f->int_mean, &f->int_lo, &f->int_hi};
    for (int i = 0; i < NFC; i++)
        if (dst[i]) *dst[i] = parse_num(v[i]);
    f->options = dupz(v[FC_OPTIONS]);
    return 0;
}

static int read_frontier(Ctx *c)
{
    if (exists(c->out_dir, "portfolio.json")) {
        const cJSON *meta;
        cJSON *j = read_json_meta(c, "portfolio.json", &meta);
        if (!j) return -1;
        if (isnan(c->d->nrep)) c->d->nrep = num(meta, "n");
        cJSON_Delete(j);
    }
    Grow m = {c->d, 0};
    uint64_t need = 1ull << FC_BUDGET | 1ull << FC_OPTIONS | 1ull << FC_COST | 1ull << FC_WS;
    CsvUse u = {"frontier.csv", front_cols, NFC, need, front_row, &m};
    return read_csv(c, &u);
}

/* ---- the whole folder ---------------------------------------------------------------- */

void rpt_data_free(RptData *d)
{
    free(d->made_cmd); free(d->made_version); free(d->made_commit); free(d->made_sha);
    cJSON_Delete(d->plan);
    free(d->scenario_id); free(d->quake_id); free(d->policy); free(d->pick);
    free(d->fac_pds); free(d->fac_rst); free(d->comp_pds); free(d->comp_rst); free(d->link_p);
    for (int s = 0; s < RPT_NSER; s++) {
        for (int k = 0; k < 3; k++) free(d->band[s][k]);
        free(d->ts[s]);
    }
    free(d->ws);
    free(d->fac_ds); free(d->fac_rst_h); free(d->link_closed_h);
    for (int u = 0; u < d->nunit; u++) free(d->unit[u].name);
    free(d->unit);
    for (int t = 0; t < d->ntrip; t++) free(d->trip[t].dest);
    free(d->trip);
    free(d->mob_t0); free(d->mob_t1);
    for (int i = 0; i < d->ninj; i++) inject_free(&d->inj[i]);
    free(d->inj);
    for (int i = 0; i < d->nopt; i++) { free(d->opt[i].id); free(d->opt[i].name); }
    free(d->opt);
    for (int i = 0; i < d->nfront; i++) free(d->front[i].options);
    free(d->front);
    rpt_valid_free(d);
    cJSON_Delete(d->branch);
    gj_layer_free(&d->coast);
}

void rpt_read_coast(RptData *d, const char *coastline, const char *prog)
{
    char err[512];
    if (coastline) {
        if (gj_layer_read(coastline, &d->coast, err, (int)sizeof err) == 0) d->have_coast = 1;
        else fprintf(stderr, "%s: warning: %s; the map has no coastline\n", prog, err);
        return;
    }
    char *cand[3];
    cand[0] = path_join(d->w->dir, "coastline.geojson");
    char *up = path_join(d->w->dir, "..");
    cand[1] = path_join(up, "coastline_kanto.geojson");
    free(up);
    cand[2] = xstrdup("scenarios/coastline_kanto.geojson");
    for (int i = 0; i < 3 && !d->have_coast; i++) {
        struct stat st;
        if (stat(cand[i], &st) != 0) continue;
        if (gj_layer_read(cand[i], &d->coast, err, (int)sizeof err) == 0) d->have_coast = 1;
        else fprintf(stderr, "%s: warning: %s; the map has no coastline\n", prog, err);
        break;
    }
    for (int i = 0; i < 3; i++) free(cand[i]);
}

void rpt_data_init(RptData *d, const World *w, int ja)
{
    memset(d, 0, sizeof *d);
    d->w = w;
    d->ja = ja;
    d->quake = -1;
    d->horizon_h = NAN;
    d->rep = NAN;
    d->nrep = NAN;
    d->npick = NAN;
    for (int k = 0; k < NRM; k++) d->run_metric[k] = NAN;
}

/* A comparison keeps its baseline sweep in sweeps/baseline: its map and
 * charts belong in the comparison's report. */
static int read_baseline(Ctx *c)
{
    char *base = path_join(c->out_dir, "sweeps/baseline");
    int rc = 0;
    if (exists(base, "summary.json")) {
        Ctx cb = {c->prog, base, c->d, {0}};
        rc = read_sweep(&cb);
        if (rc == 0) note_file(c, "sweeps/baseline/{summary.json, bands.csv, replicates.csv}");
        free(sb_take(&cb.files));
    }
    free(base);
    return rc;
}

/* ---- plan: plan.json, kept whole for report_plan.c ------------------------------- */

static int read_plan(Ctx *c)
{
    RptData *d = c->d;
    cJSON *j = read_json(c, "plan.json");
    if (!j) return -1;
    set_identity(d, j);
    if (isnan(d->rep) && !isnan(num(j, "rep"))) d->rep = num(j, "rep");
    d->plan = j;
    return 0;
}

/* The identity OUT names must be the World's: its scenario and earthquake. */
static int check_identity(RptData *d, const char *out_dir, const char *prog)
{
    const World *w = d->w;
    if (d->scenario_id && strcmp(d->scenario_id, w->id) != 0) {
        fprintf(stderr, "%s: %s was made from scenario \"%s\", but %s is scenario \"%s\"\n", prog, out_dir,
                d->scenario_id, w->dir ? w->dir : "the scenario given", w->id);
        return 2;
    }
    if (d->quake_id && strcmp(d->quake_id, "none") != 0) {
        d->quake = world_find_quake(w, d->quake_id);
        if (d->quake < 0) {
            fprintf(stderr, "%s: %s names earthquake \"%s\", which scenario \"%s\" does not have\n", prog,
                    out_dir, d->quake_id, w->id);
            return 2;
        }
    }
    if (isnan(d->horizon_h)) d->horizon_h = d->nh > 0 ? d->nh : w->horizon_h;
    return 0;
}

static int read_all(Ctx *c)
{
    const char *out_dir = c->out_dir, *prog = c->prog;
    struct stat st;
    if (stat(out_dir, &st) != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, out_dir, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: not a folder\n", prog, out_dir);
        return 1;
    }
    int has_sweep = exists(out_dir, "summary.json"), has_run = exists(out_dir, "metrics.json");
    int has_drill = exists(out_dir, "msel.json") || exists(out_dir, "msel.csv");
    int has_cmp = exists(out_dir, "compare.json") || exists(out_dir, "compare.csv");
    int has_trace = exists(out_dir, "trace.csv"), has_front = exists(out_dir, "frontier.csv");
    int has_valid = exists(out_dir, "validation.csv"), has_plan = exists(out_dir, "plan.json");
    if (!has_sweep && !has_run && !has_drill && !has_cmp && !has_valid && !has_front && !has_plan) {
        fprintf(stderr, "%s: %s holds no fuelsim outputs to report on (summary.json, metrics.json, "
                        "msel.json, compare.json, plan.json or validation.csv)\n", prog, out_dir);
        return 1;
    }
    if (has_plan && read_plan(c) != 0) return 1;
    if (has_sweep && read_sweep(c) != 0) return 1;
    if (!has_sweep && has_cmp && read_baseline(c) != 0) return 1;
    if (has_run && read_run(c) != 0) return 1;
    if (has_drill && read_drill(c) != 0) return 1;
    if (!has_run && has_trace && (has_drill || !has_sweep) && read_trace(c) != 0) return 1;
    if (has_cmp && read_compare(c) != 0) return 1;
    if (has_front && read_frontier(c) != 0) return 1;
    if (has_valid) {
        char verr[256], *vp = path_join(out_dir, "validation.csv");
        int vrc = rpt_valid_read(c->d, vp, verr, sizeof verr);
        free(vp);
        if (vrc != 0) {
            fprintf(stderr, "%s: %s/validation.csv: %s\n", prog, out_dir, verr);
            return 1;
        }
        note_file(c, "validation.csv");
    }
    if (exists(out_dir, "branch.json")) {
        if (!(c->d->branch = read_json(c, "branch.json"))) return 1;
    }
    return check_identity(c->d, out_dir, prog);
}

int rpt_read(RptData *d, const char *out_dir, const char *prog, char **files)
{
    Ctx c = {prog, out_dir, d, {0}};
    int rc = read_all(&c);
    char *names = sb_take(&c.files);
    if (rc == 0) *files = names;
    else free(names);
    return rc;
}

int rpt_find_scenario(const char *out_dir, const char *prog, char **id, char **dir)
{
    static const char *const files[] = {"summary.json", "metrics.json", "msel.json", "compare.json",
                                        "portfolio.json", "plan.json"};
    *id = *dir = NULL;
    int found = 0;
    RptData d;
    memset(&d, 0, sizeof d);
    Ctx c = {prog, out_dir, &d, {0}};
    for (int i = 0; i < 6; i++) {
        if (!exists(out_dir, files[i])) continue;
        found = 1;
        cJSON *j = read_json(&c, files[i]);
        if (!j) continue;
        /* the identity is at the top, or under "run" (sweep) or "meta" (drill) */
        const cJSON *where[3] = {j, cJSON_GetObjectItemCaseSensitive(j, "run"),
                                 cJSON_GetObjectItemCaseSensitive(j, "meta")};
        for (int k = 0; k < 3; k++) {
            const char *s;
            if (!*id && (s = str(where[k], "scenario"))) *id = xstrdup(s);
            if (!*dir && (s = str(where[k], "scenario_dir"))) *dir = xstrdup(s);
        }
        cJSON_Delete(j);
    }
    if (!*dir && exists(out_dir, "network.geojson")) {
        cJSON *j = read_json(&c, "network.geojson");
        const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "fuelsim");
        const char *s = str(meta, "scenario");
        /* only a folder recorded for the same scenario */
        if (s && (!*id || strcmp(s, *id) == 0)) {
            if (!*id) *id = xstrdup(s);
            if ((s = str(meta, "scenario_dir"))) *dir = xstrdup(s);
        }
        cJSON_Delete(j);
    }
    free(sb_take(&c.files));
    if (!found) {
        struct stat st;
        if (stat(out_dir, &st) != 0)
            fprintf(stderr, "%s: %s: %s\n", prog, out_dir, strerror(errno));
        else
            fprintf(stderr, "%s: %s holds no fuelsim outputs to report on (summary.json, metrics.json, "
                            "msel.json, compare.json or plan.json)\n", prog, out_dir);
        return -1;
    }
    return 0;
}
