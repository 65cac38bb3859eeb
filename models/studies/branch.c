/* Live drills (branch.h): the decisions file into typed decisions, checked
 * column by column against the World, and the branch-against-base summary
 * (branch.json). The simulation itself never sees the file. */
#include "branch.h"

#include "textio.h"
#include "trace.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const dec_cols[] = {"at_h", "action", "target", "value", "note", NULL};

typedef struct Ctx {
    const World *w;
    Diag *d;
    const char *file;
    const TioTable *t;
    const TioRow *row;
} Ctx;

static const char *fld(const Ctx *c, const char *col)
{
    return c->row->f[tio_table_col(c->t, col)];
}

/* The stock row FACILITY:PRODUCT, -1 for "stockpile", or -2 after a message. */
static int stock_target(const Ctx *c, const char *s)
{
    const World *w = c->w;
    if (!strcmp(s, "stockpile")) return -1;
    const char *colon = strchr(s, ':');
    char fac[256];
    if (colon && (size_t)(colon - s) < sizeof fac) {
        memcpy(fac, s, (size_t)(colon - s));
        fac[colon - s] = 0;
        int f = world_find_facility(w, fac);
        int p = world_enum_lookup(world_product_name, NPROD, colon + 1);
        for (int i = 0; f >= 0 && p >= 0 && i < w->nstock; i++)
            if (w->stock[i].facility == f && (int)w->stock[i].product == p) return i;
    }
    diag_add(c->d, c->file, c->row->line,
             "target: \"%s\" is not FACILITY:PRODUCT of a stock row, nor \"stockpile\"", s);
    return -2;
}

/* The target of action a: an index, -1 (stockpile, or none for policy), or
 * -2 after a message. */
static int read_target(const Ctx *c, TrcAction a, const char *s)
{
    const World *w = c->w;
    int k = -2;
    const char *what = NULL;
    switch (a) {
    case TRC_ACT_MOBILISE:
    case TRC_ACT_RESERVE: k = world_find_asset(w, s); what = "a fleet (assets.csv)"; break;
    case TRC_ACT_PRIORITY: k = world_find_demand(w, s); what = "a demand point (demand.csv)"; break;
    case TRC_ACT_CLOSE:
    case TRC_ACT_OPEN: k = world_find_link(w, s); what = "a link (links.csv)"; break;
    case TRC_ACT_RELEASE: return stock_target(c, s);
    case TRC_ACT_POLICY:
        if (!*s) return -1;
        diag_add(c->d, c->file, c->row->line, "target: policy takes no target, found \"%s\"", s);
        return -2;
    default: break;
    }
    if (k >= 0) return k;
    diag_add(c->d, c->file, c->row->line, "target: \"%s\" is not %s", s, what);
    return -2;
}

/* The value of action a into dc; 0, or -1 after a message. */
static int read_value(const Ctx *c, TrcAction a, const char *s, SupDecision *dc)
{
    char *end;
    switch (a) {
    case TRC_ACT_RESERVE:
    case TRC_ACT_PRIORITY: {
        long k = strtol(s, &end, 10);
        if (end != s && !*end && k >= 1 && k <= NCLASS) { dc->cls = (int)k; return 0; }
        diag_add(c->d, c->file, c->row->line, "value: \"%s\" is not a priority class 1..%d", s, NCLASS);
        return -1;
    }
    case TRC_ACT_RELEASE:
        dc->kl = strtod(s, &end);
        if (end != s && !*end && isfinite(dc->kl) && dc->kl > 0) return 0;
        diag_add(c->d, c->file, c->row->line, "value: \"%s\" is not a positive number of kL", s);
        return -1;
    case TRC_ACT_POLICY: {
        int p = world_enum_lookup(trc_policy_name, 2, s);
        if (p >= 0) { dc->policy = (SupPolicy)p; return 0; }
        diag_add(c->d, c->file, c->row->line, "value: \"%s\" is not greedy or optimise", s);
        return -1;
    }
    default:
        if (!*s) return 0;
        diag_add(c->d, c->file, c->row->line, "value: %s takes no value, found \"%s\"", trc_action_name[a], s);
        return -1;
    }
}

/* One row into out (appended when good). */
static void read_row(Ctx *c, BrnDecisions *out)
{
    SupDecision dc;
    memset(&dc, 0, sizeof dc);
    dc.cls = NCLASS;
    int bad = 0;
    const char *s = fld(c, "at_h");
    char *end;
    dc.at_h = strtod(s, &end);
    if (end == s || *end || !isfinite(dc.at_h) || dc.at_h < 0 || dc.at_h > c->w->horizon_h) {
        diag_add(c->d, c->file, c->row->line, "at_h: \"%s\" is not a time in [0, %g] h", s,
                 c->w->horizon_h);
        bad = 1;
    }
    s = fld(c, "action");
    int a = world_enum_lookup(trc_action_name, NTRCACT, s);
    if (a < 0) {
        diag_add(c->d, c->file, c->row->line,
                 "action: \"%s\" is not mobilise, reserve, priority, close, open, release or policy", s);
        return;
    }
    dc.action = (TrcAction)a;
    dc.target = read_target(c, dc.action, fld(c, "target"));
    bad |= dc.target == -2;
    bad |= read_value(c, dc.action, fld(c, "value"), &dc) != 0;
    if (bad) return;
    int i = out->n++;
    out->dec = xrealloc(out->dec, (size_t)out->n * sizeof *out->dec);
    out->note = xrealloc(out->note, (size_t)out->n * sizeof *out->note);
    out->line = xrealloc(out->line, (size_t)out->n * sizeof *out->line);
    out->dec[i] = dc;
    out->note[i] = xstrdup(fld(c, "note"));
    out->line[i] = c->row->line;
}

int brn_decisions_read(const World *w, const char *path, Diag *d, BrnDecisions *out)
{
    memset(out, 0, sizeof *out);
    int before = d->total;
    char err[256];
    size_t len = 0;
    char *buf = tio_read_file(path, TIO_MAX_BYTES, &len, err, sizeof err);
    if (!buf) {
        diag_add(d, path, 0, "%s", err);
        return -1;
    }
    if (len == 0) { free(buf); return 0; }   /* no decisions at all: the base run */
    TioTable t;
    memset(&t, 0, sizeof t);
    TioCsvSpec spec = {0};
    spec.file = path;
    spec.required = dec_cols;
    spec.d = d;
    tio_table_parse(&t, buf, len, &spec);
    /* rows of the right width are checked even when others are not */
    int cols = t.hdr != NULL;
    for (int i = 0; cols && dec_cols[i]; i++) cols = tio_table_col(&t, dec_cols[i]) >= 0;
    if (cols) {
        Ctx c = {w, d, path, &t, NULL};
        for (int i = 0; i < t.nrow; i++) {
            c.row = &t.row[i];
            read_row(&c, out);
        }
    }
    tio_table_free(&t);
    free(buf);
    return d->total > before ? -1 : 0;
}

void brn_decisions_free(BrnDecisions *b)
{
    if (!b) return;
    for (int i = 0; i < b->n; i++) free(b->note[i]);
    free(b->note);
    free(b->dec);
    free(b->line);
    memset(b, 0, sizeof *b);
}

/* ---- branch against base ------------------------------------------------------------ */

/* Start of line k (0-based) of text, or NULL past the end. */
static const char *line_at(const char *s, size_t len, long k)
{
    const char *e = s + len;
    for (long i = 0; i < k && s < e; i++) {
        const char *nl = memchr(s, '\n', (size_t)(e - s));
        if (!nl) return NULL;
        s = nl + 1;
    }
    return s < e ? s : NULL;
}

static size_t line_len(const char *s, const char *e)
{
    const char *nl = memchr(s, '\n', (size_t)(e - s));
    return nl ? (size_t)(nl - s) : (size_t)(e - s);
}

/* Line s (up to e) is a decision row of the trace. */
static int is_decision(const char *s, size_t n)
{
    char buf[512], err[64];
    if (n >= sizeof buf) return 0;
    memcpy(buf, s, n);
    buf[n] = 0;
    TrcRow r;
    return trc_parse_line(buf, &r, err, sizeof err) == 0 && r.kind == TRC_DECISION;
}

long brn_first_divergence(const char *base, size_t blen, const char *branch, size_t rlen, long *kbase,
                          double *t_h)
{
    const char *a = base, *ae = base + blen, *b = branch, *be = branch + rlen;
    long ka = 0, kb = 0;
    for (;; ka++, kb++) {
        size_t lb = b < be ? line_len(b, be) : 0;
        /* the decisions themselves are not a difference: what they cause is */
        while (b < be && is_decision(b, lb)) {
            b += lb + 1;
            kb++;
            lb = b < be ? line_len(b, be) : 0;
        }
        if (a >= ae && b >= be) return -1;
        size_t la = a < ae ? line_len(a, ae) : 0;
        if (a >= ae || b >= be || la != lb || memcmp(a, b, la) != 0) {
            *kbase = ka;
            *t_h = strtod(b < be ? b : a, NULL);
            return kb;
        }
        a += la + 1;
        b += lb + 1;
    }
}

cJSON *brn_figures_json(const SupResult *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "weighted_shortfall", r->weighted_shortfall);
    cJSON_AddNumberToObject(o, "dry_hours_class1", r->dry_hours_class1);
    cJSON *u = cJSON_AddArrayToObject(o, "unserved_kl_by_class");
    for (int k = 0; k < NCLASS; k++) cJSON_AddItemToArray(u, cJSON_CreateNumber(r->unserved_class_kl[k]));
    cJSON_AddNumberToObject(o, "t90_supply_h", r->t90_supply_h);
    cJSON_AddNumberToObject(o, "trips", (double)r->trips);
    return o;
}

/* Up to nmax lines of text from line k on, as strings. */
static cJSON *rows_from(const char *s, size_t len, long k, int nmax)
{
    cJSON *arr = cJSON_CreateArray();
    const char *e = s + len, *p = k >= 0 ? line_at(s, len, k) : NULL;
    for (int i = 0; p && p < e && i < nmax; i++) {
        size_t n = line_len(p, e);
        char *t = xmalloc(n + 1);
        memcpy(t, p, n);
        t[n] = 0;
        cJSON_AddItemToArray(arr, cJSON_CreateString(t));
        free(t);
        p += n + 1;
    }
    return arr;
}

static cJSON *decisions_json(const BrnDecisions *b)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < b->n; i++) {
        const SupDecision *d = &b->dec[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "no", i + 1);
        cJSON_AddNumberToObject(o, "line", b->line[i]);
        cJSON_AddNumberToObject(o, "at_h", d->at_h);
        cJSON_AddStringToObject(o, "action", trc_action_name[d->action]);
        cJSON_AddStringToObject(o, "note", b->note[i]);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

char *brn_json(const World *w, const char *meta_json, const BrnDecisions *b, const SupResult *base,
               const SupResult *branch, const char *tbase, size_t blen, const char *tbranch, size_t rlen,
               int nmax)
{
    (void)w;
    cJSON *root = json_new_with_meta(meta_json);
    cJSON_AddItemToObject(root, "decisions", decisions_json(b));
    cJSON_AddItemToObject(root, "base", brn_figures_json(base));
    cJSON_AddItemToObject(root, "branch", brn_figures_json(branch));
    cJSON *d = cJSON_AddObjectToObject(root, "effect");
    cJSON_AddNumberToObject(d, "weighted_shortfall", branch->weighted_shortfall - base->weighted_shortfall);
    cJSON_AddNumberToObject(d, "dry_hours_class1", branch->dry_hours_class1 - base->dry_hours_class1);
    cJSON *u = cJSON_AddArrayToObject(d, "unserved_kl_by_class");
    for (int k = 0; k < NCLASS; k++)
        cJSON_AddItemToArray(u, cJSON_CreateNumber(branch->unserved_class_kl[k] - base->unserved_class_kl[k]));
    double t = 0;
    long kb = -1, k = brn_first_divergence(tbase, blen, tbranch, rlen, &kb, &t);
    cJSON *dv = cJSON_AddObjectToObject(root, "first_divergence");
    if (k < 0) {
        cJSON_AddNullToObject(dv, "trace_line");
    } else {
        /* lines of trace.csv, the header is line 1 */
        cJSON_AddNumberToObject(dv, "trace_line", (double)k + 1);
        cJSON_AddNumberToObject(dv, "base_trace_line", (double)kb + 1);
        cJSON_AddNumberToObject(dv, "time_h", t);
    }
    cJSON_AddItemToObject(dv, "base", rows_from(tbase, blen, kb, nmax));
    cJSON_AddItemToObject(dv, "branch", rows_from(tbranch, rlen, k, nmax));
    return json_take_text(root);
}
