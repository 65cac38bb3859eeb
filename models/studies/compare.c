/* Investment comparison: the investments file (CSV, read through textio so
 * that each row knows its line), the World
 * modification helpers (a shallow copy that owns only what it changes),
 * paired statistics and the ranking. Running the sweeps is the command's
 * job (sim/cli_compare.c). */
#include "compare.h"

#include "textio.h"
#include "util.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const cmp_change_name[NCMPCHANGE] = {
    "none", "retrofit", "fleet_add", "lead_time", "stock_add", "point_storage_add", "generator",
    "component_add", "fragility_class"};

/* ---- the investments file -------------------------------------------------------- */

enum { C_OPTION, C_NAME_EN, C_NAME_JA, C_COST, C_CHANGE, C_TARGET, C_PRODUCT, C_VALUE, C_SOURCE, C_EXCLUDES,
       C_REQUIRES, NCOLS };
static const char *const col_names[NCOLS] = {"option", "name_en", "name_ja", "cost_yen", "change", "target",
                                             "product", "value", "source", "excludes", "requires"};
static const uint64_t col_required =
    1u << C_OPTION | 1u << C_COST | 1u << C_CHANGE | 1u << C_TARGET | 1u << C_VALUE;

static int valid_id(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* A finite number in [lo, hi], integer when asked. */
static int parse_num(const char *s, double lo, double hi, int integer, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi) return -1;
    if (integer && v != floor(v)) return -1;
    *out = v;
    return 0;
}

/* Where a change row is, for its messages. */
typedef struct ChgAt { const char *file; int line; Diag *d; } ChgAt;

/* find's index of target in w, or -1 after "target: "T" is not WHAT". */
static int find_target(const World *w, const ChgAt *at, int (*find)(const World *, const char *),
                       const char *target, const char *what)
{
    int k = find(w, target);
    if (k < 0) diag_add(at->d, at->file, at->line, "target: \"%s\" is not %s", target, what);
    return k;
}

/* retrofit (a factor on the fragility medians) and component_add (units). */
static int change_component(const World *w, const ChgAt *at, const char *target, const char *value,
                            CmpChange *ch)
{
    if ((ch->target = find_target(w, at, world_find_component, target, "a component id")) < 0) return -1;
    if (ch->kind == CMP_RETROFIT) {
        if (parse_num(value, 1e-6, 1e6, 0, &ch->value)) {
            diag_add(at->d, at->file, at->line, "value: \"%s\" is not a positive factor for the fragility medians",
                     value);
            return -1;
        }
        return 0;
    }
    CompKind ck = w->comp[ch->target].kind;
    if (ck != COMP_RACK && ck != COMP_BERTH && ck != COMP_SIDING) {
        diag_add(at->d, at->file, at->line, "target: %s is a %s; component_add adds racks, berths or sidings",
                 target, world_comp_kind_name[ck]);
        return -1;
    }
    if (parse_num(value, 1, 1e6, 1, &ch->value)) {
        diag_add(at->d, at->file, at->line, "value: \"%s\" is not a whole number of units >= 1", value);
        return -1;
    }
    return 0;
}

/* fragility_class: the component's class of the same measure is replaced. */
static int change_fragility(const World *w, const ChgAt *at, const char *target, const char *value,
                            CmpChange *ch)
{
    if ((ch->target = find_target(w, at, world_find_component, target, "a component id")) < 0) return -1;
    int fc = world_find_fragility(w, value);
    if (fc < 0) {
        diag_add(at->d, at->file, at->line, "value: \"%s\" is not a class in fragility.csv", value);
        return -1;
    }
    const Component *c = &w->comp[ch->target];
    if ((w->frag[fc].on_pgd ? c->fragility_pgd : c->fragility) < 0) {
        diag_add(at->d, at->file, at->line, "value: %s is a %s class and %s has none to replace", value,
                 w->frag[fc].on_pgd ? "ground-failure (pgd_in)" : "shaking (pga_g)", target);
        return -1;
    }
    ch->value = fc;
    return 0;
}

/* fleet_add (units) and lead_time (hours) on a fleet of assets.csv. */
static int change_fleet(const World *w, const ChgAt *at, const char *target, const char *value, CmpChange *ch)
{
    if ((ch->target = find_target(w, at, world_find_asset, target, "a fleet id in assets.csv")) < 0) return -1;
    int add = ch->kind == CMP_FLEET_ADD;
    if (add ? parse_num(value, 1, 1e6, 1, &ch->value) : parse_num(value, 0, 1e5, 0, &ch->value)) {
        diag_add(at->d, at->file, at->line, add ? "value: \"%s\" is not a whole number of units >= 1"
                                                : "value: \"%s\" is not a lead time in hours >= 0",
                 value);
        return -1;
    }
    return 0;
}

/* A positive number of kL, for stock_add and point_storage_add. */
static int change_kl(const ChgAt *at, const char *value, CmpChange *ch)
{
    if (parse_num(value, 1e-9, 1e9, 0, &ch->value)) {
        diag_add(at->d, at->file, at->line, "value: \"%s\" is not a positive number of kL", value);
        return -1;
    }
    return 0;
}

/* stock_add (a facility's stock row of the product) and generator. */
static int change_facility(const World *w, const ChgAt *at, const char *target, const char *product, int prod,
                           const char *value, CmpChange *ch)
{
    int f = find_target(w, at, world_find_facility, target, "a facility id");
    if (f < 0) return -1;
    if (ch->kind == CMP_GENERATOR) {
        ch->target = f;
        if (value[0] && strcmp(value, "1") != 0) {
            diag_add(at->d, at->file, at->line, "value: generator takes no value (or 1)");
            return -1;
        }
        ch->value = 1;
        return 0;
    }
    if ((ch->target = world_find_stock(w, f, prod)) < 0) {
        diag_add(at->d, at->file, at->line, "target: %s holds no %s in stock.csv", target, product);
        return -1;
    }
    return change_kl(at, value, ch);
}

/* point_storage_add: a demand point's consumption row of the product. */
static int change_point(const World *w, const ChgAt *at, const char *target, const char *product, int prod,
                        const char *value, CmpChange *ch)
{
    int p = find_target(w, at, world_find_demand, target, "a demand point id");
    if (p < 0) return -1;
    if ((ch->target = world_find_use(w, p, prod)) < 0) {
        diag_add(at->d, at->file, at->line, "target: %s uses no %s in consumption.csv", target, product);
        return -1;
    }
    return change_kl(at, value, ch);
}

/* One change row into ch; problems go to d. Returns 0 when it is good. */
static int parse_change(const World *w, const char *file, int line, const char *change, const char *target,
                        const char *product, const char *value, Diag *d, CmpChange *ch)
{
    memset(ch, 0, sizeof *ch);
    ch->line = line;
    ch->target = -1;
    ChgAt at = {file, line, d};
    char list[256];
    int k = world_enum_lookup(cmp_change_name, NCMPCHANGE, change);
    if (k < 0) {
        diag_add(d, file, line, "change: \"%s\" is not one of %s", change,
                 world_enum_list(cmp_change_name, NCMPCHANGE, list, sizeof list));
        return -1;
    }
    ch->kind = (CmpChangeKind)k;
    int prod = -1;
    if (k == CMP_STOCK_ADD || k == CMP_POINT_STORAGE_ADD) {
        prod = world_enum_lookup(world_product_name, NPROD, product);
        if (prod < 0) {
            diag_add(d, file, line, "product: \"%s\" is not a product (%s)", product,
                     world_enum_list(world_product_name, NPROD, list, sizeof list));
            return -1;
        }
    } else if (product[0]) {
        diag_add(d, file, line, "product: change %s takes no product", change);
        return -1;
    }
    switch (ch->kind) {
    case CMP_NONE:
        if (target[0] || value[0]) {
            diag_add(d, file, line, "change none takes no target and no value");
            return -1;
        }
        return 0;
    case CMP_RETROFIT:
    case CMP_COMPONENT_ADD:
        return change_component(w, &at, target, value, ch);
    case CMP_FRAGILITY_CLASS:
        return change_fragility(w, &at, target, value, ch);
    case CMP_FLEET_ADD:
    case CMP_LEAD_TIME:
        return change_fleet(w, &at, target, value, ch);
    case CMP_STOCK_ADD:
    case CMP_GENERATOR:
        return change_facility(w, &at, target, product, prod, value, ch);
    case CMP_POINT_STORAGE_ADD:
        return change_point(w, &at, target, product, prod, value, ch);
    default:
        return -1;
    }
}

static int find_option(const CmpInvest *inv, const char *id)
{
    for (int i = 0; i < inv->nopt; i++)
        if (strcmp(inv->opt[i].id, id) == 0) return i;
    return -1;
}

/* An option's `excludes` and `requires` as written, until every option is known. */
typedef struct InvDeps {
    char *txt[2];         /* excludes, requires; NULL when not given */
    int line[2];
} InvDeps;

/* What reading the investments file needs in its row callback. */
typedef struct InvRead {
    const World *w;
    const char *file;
    Diag *d;
    TioCsv *csv;
    int col[NCOLS];
    int have_cols;        /* col[] is set */
    CmpInvest *inv;
    int capopt;
    InvDeps *deps;        /* per option */
    int capdeps;
} InvRead;

/* The excludes / requires cells of a row: kept from the first row that has
 * them; a later row leaves them empty or repeats them. -1 after a message. */
static int inv_deps_row(InvRead *x, int oi, int line, const char *const *v)
{
    xgrow((void **)&x->deps, &x->capdeps, x->inv->nopt, sizeof *x->deps);
    InvDeps *dp = &x->deps[oi];
    if (oi == x->inv->nopt - 1 && x->inv->opt[oi].line == line) memset(dp, 0, sizeof *dp);
    for (int k = 0; k < 2; k++) {
        const char *cell = v[k ? C_REQUIRES : C_EXCLUDES];
        if (!cell[0]) continue;
        if (!dp->txt[k]) {
            dp->txt[k] = xstrdup(cell);
            dp->line[k] = line;
        } else if (strcmp(dp->txt[k], cell) != 0) {
            diag_add(x->d, x->file, line, "%s: \"%s\" differs from the option's row %d", col_names[k ? C_REQUIRES
                                                                                                  : C_EXCLUDES],
                     cell, dp->line[k]);
            return -1;
        }
    }
    return 0;
}

/* One excludes / requires list into option indices (*out, *n). */
static void inv_deps_resolve(InvRead *x, int oi, int k)
{
    const InvDeps *dp = &x->deps[oi];
    CmpOption *o = &x->inv->opt[oi];
    const char *col = col_names[k ? C_REQUIRES : C_EXCLUDES];
    int **out = k ? &o->req : &o->excl, *n = k ? &o->nreq : &o->nexcl;
    char *copy = xstrdup(dp->txt[k]), *save = NULL;
    size_t len = strlen(copy);
    if (copy[0] == ';' || copy[len - 1] == ';' || strstr(copy, ";;"))
        diag_add(x->d, x->file, dp->line[k], "%s: \"%s\" has an empty item (ids are separated by one ';')", col,
                 dp->txt[k]);
    for (char *id = strtok_r(copy, ";", &save); id; id = strtok_r(NULL, ";", &save)) {
        int j = find_option(x->inv, id);
        if (j < 0) {
            diag_add(x->d, x->file, dp->line[k], "%s: \"%s\" is not an option of this file", col, id);
            continue;
        }
        if (j == oi) {
            diag_add(x->d, x->file, dp->line[k], "%s: option %s names itself", col, id);
            continue;
        }
        *out = xrealloc(*out, ((size_t)*n + 1) * sizeof **out);
        (*out)[(*n)++] = j;
    }
    free(copy);
}

/* After the last row: ids into indices; an option that requires what it
 * excludes could never be chosen. */
static void inv_deps_finish(InvRead *x)
{
    for (int oi = 0; oi < x->inv->nopt && x->deps; oi++) {
        for (int k = 0; k < 2; k++)
            if (x->deps[oi].txt[k]) inv_deps_resolve(x, oi, k);
        const CmpOption *o = &x->inv->opt[oi];
        for (int a = 0; a < o->nreq; a++)
            for (int b = 0; b < o->nexcl; b++)
                if (o->req[a] == o->excl[b])
                    diag_add(x->d, x->file, x->deps[oi].line[1], "requires: %s is also in excludes",
                             x->inv->opt[o->req[a]].id);
    }
    for (int oi = 0; x->deps && oi < x->inv->nopt; oi++) {
        free(x->deps[oi].txt[0]);
        free(x->deps[oi].txt[1]);
    }
    free(x->deps);
}

/* The option a row belongs to: found, or added on its first row. -1 after a message. */
static int inv_option(InvRead *x, int line, const char *const *v)
{
    CmpInvest *inv = x->inv;
    int oi = find_option(inv, v[C_OPTION]);
    double cost;
    if (oi < 0) {
        if (parse_num(v[C_COST], 0, 1e18, 0, &cost)) {
            diag_add(x->d, x->file, line, "cost_yen: \"%s\" is not a number of yen >= 0 (required on an "
                                          "option's first row)", v[C_COST]);
            return -1;
        }
        xgrow((void **)&inv->opt, &x->capopt, inv->nopt + 1, sizeof *inv->opt);
        oi = inv->nopt++;
        CmpOption *o = &inv->opt[oi];
        memset(o, 0, sizeof *o);
        o->id = xstrdup(v[C_OPTION]);
        o->name_en = xstrdup(v[C_NAME_EN][0] ? v[C_NAME_EN] : v[C_OPTION]);
        o->name_ja = xstrdup(v[C_NAME_JA][0] ? v[C_NAME_JA] : o->name_en);
        o->source = xstrdup(v[C_SOURCE]);
        o->cost_yen = cost;
        o->line = line;
        return oi;
    }
    /* later rows of an option leave its cost and names empty or repeat them */
    const CmpOption *o = &inv->opt[oi];
    if (v[C_COST][0] && (parse_num(v[C_COST], 0, 1e18, 0, &cost) || cost != o->cost_yen)) {
        diag_add(x->d, x->file, line, "cost_yen: \"%s\" differs from the option's first row (line %d)",
                 v[C_COST], o->line);
        return -1;
    }
    if ((v[C_NAME_EN][0] && strcmp(v[C_NAME_EN], o->name_en)) ||
        (v[C_NAME_JA][0] && strcmp(v[C_NAME_JA], o->name_ja))) {
        diag_add(x->d, x->file, line, "name: differs from the option's first row (line %d)", o->line);
        return -1;
    }
    return oi;
}

/* One row of the investments file (the header is checked by textio). */
static int inv_row(void *ctx, TioRow *row)
{
    InvRead *x = ctx;
    if (!x->have_cols) {   /* the header is read and has the required columns */
        for (int c = 0; c < NCOLS; c++) x->col[c] = tio_csv_col(x->csv, col_names[c]);
        x->have_cols = 1;
    }
    const char *v[NCOLS];
    for (int c = 0; c < NCOLS; c++) v[c] = x->col[c] >= 0 ? row->f[x->col[c]] : "";
    if (!valid_id(v[C_OPTION])) {
        diag_add(x->d, x->file, row->line, "option: \"%s\" is not an id (letters, digits, _ and -)", v[C_OPTION]);
        return 0;
    }
    if (strcmp(v[C_OPTION], "baseline") == 0) {
        diag_add(x->d, x->file, row->line, "option: \"baseline\" is reserved for the scenario as it is");
        return 0;
    }
    int oi = inv_option(x, row->line, v);
    if (oi < 0 || inv_deps_row(x, oi, row->line, v) != 0) return 0;
    CmpChange ch;
    if (parse_change(x->w, x->file, row->line, v[C_CHANGE], v[C_TARGET], v[C_PRODUCT], v[C_VALUE], x->d, &ch) != 0)
        return 0;
    CmpOption *o = &x->inv->opt[oi];
    o->change = xrealloc(o->change, ((size_t)o->nchange + 1) * sizeof *o->change);
    o->change[o->nchange++] = ch;
    return 0;
}

CmpInvest *cmp_invest_parse(const char *file, const char *text, size_t len, const World *w, Diag *d)
{
    int errors0 = d->total;
    int line = 0;
    char err[64];
    if (tio_text_start(text, len, &line, err, sizeof err) < 0) {
        diag_add(d, file, line, "%s", err);
        return NULL;
    }
    const char *required[NCOLS + 1];
    InvRead x = {w, file, d, NULL, {0}, 0, xcalloc(1, sizeof *x.inv), 0, NULL, 0};
    TioCsvSpec spec = {0};
    spec.file = file;
    spec.required = tio_csv_required(col_names, NCOLS, col_required, required);
    spec.empty_msg = "empty file: expected a header row and at least one option";
    spec.row = inv_row;
    spec.ctx = &x;
    spec.d = d;
    x.csv = tio_csv_new(&spec);
    int rc = tio_csv_feed(x.csv, text, len);   /* the reader skips a byte-order mark */
    if (rc == 0) rc = tio_csv_finish(x.csv);
    int hdr_line = 0;
    tio_csv_header(x.csv, NULL, &hdr_line);
    if (rc == 0 && x.inv->nopt == 0 && d->total == errors0)
        diag_add(d, file, hdr_line, "no options: the file has only a header");
    inv_deps_finish(&x);
    tio_csv_free(x.csv);
    if (rc != 0 || d->total > errors0) {
        cmp_invest_free(x.inv);
        return NULL;
    }
    return x.inv;
}

CmpInvest *cmp_invest_load(const char *path, const World *w, Diag *d)
{
    size_t len = 0;
    char err[256];
    char *buf = tio_read_file(path, TIO_MAX_BYTES, &len, err, sizeof err);
    if (!buf) {
        diag_add(d, path, 0, "%s", err);
        return NULL;
    }
    CmpInvest *inv = cmp_invest_parse(path, buf, len, w, d);
    free(buf);
    return inv;
}

void cmp_invest_free(CmpInvest *inv)
{
    if (!inv) return;
    for (int i = 0; i < inv->nopt; i++) {
        CmpOption *o = &inv->opt[i];
        free(o->id); free(o->name_en); free(o->name_ja); free(o->source);
        free(o->change);
        free(o->excl);
        free(o->req);
    }
    free(inv->opt);
    free(inv);
}

/* ---- modified worlds ------------------------------------------------------------ */

/* The World is the first member, so a World * from cmp_world_new is also
 * a CmpWorld *. The copied arrays are owned here; their elements' strings
 * are still base's, except the ids of the fragility classes added here. */
typedef struct CmpWorld {
    World w;
    int base_nfrag;
} CmpWorld;

static void *dup_array(const void *src, int n, size_t size, int extra)
{
    void *p = xcalloc((size_t)(n + extra) + 1, size);
    if (n > 0) memcpy(p, src, (size_t)n * size);
    return p;
}

/* A new fragility class: class k with every median times factor. */
static int frag_scaled(World *w, int k, double factor)
{
    FragilityClass *fc = &w->frag[w->nfrag];
    *fc = w->frag[k];
    char id[256];
    snprintf(id, sizeof id, "%s*%g", w->frag[k].id, factor);
    fc->id = xstrdup(id);
    for (int ds = DS_SLIGHT; ds < NDS; ds++) fc->median[ds] *= factor;
    return w->nfrag++;
}

/* One change onto w (whose fragility array has room for its new classes). */
static void apply_change(World *w, const CmpChange *ch, int *lead_set)
{
    switch (ch->kind) {
    case CMP_RETROFIT: {
        Component *c = &w->comp[ch->target];
        if (c->fragility >= 0) c->fragility = frag_scaled(w, c->fragility, ch->value);
        if (c->fragility_pgd >= 0) c->fragility_pgd = frag_scaled(w, c->fragility_pgd, ch->value);
        break;
    }
    case CMP_FLEET_ADD:
        w->asset[ch->target].count += (int)ch->value;
        break;
    case CMP_LEAD_TIME:
        /* two options shortening the same fleet's lead time: the shorter holds */
        if (!lead_set[ch->target] || ch->value < w->asset[ch->target].lead_time_h)
            w->asset[ch->target].lead_time_h = ch->value;
        lead_set[ch->target] = 1;
        break;
    case CMP_STOCK_ADD:
        w->stock[ch->target].tank_kl += ch->value;
        w->stock[ch->target].initial_kl += ch->value;
        break;
    case CMP_POINT_STORAGE_ADD:
        w->use[ch->target].storage_kl += ch->value;
        w->use[ch->target].initial_kl += ch->value;
        break;
    case CMP_GENERATOR:
        w->fac[ch->target].has_generator = 1;
        break;
    case CMP_COMPONENT_ADD:
        w->comp[ch->target].count += (int)ch->value;
        break;
    case CMP_FRAGILITY_CLASS:
        if (w->frag[(int)ch->value].on_pgd) w->comp[ch->target].fragility_pgd = (int)ch->value;
        else w->comp[ch->target].fragility = (int)ch->value;
        break;
    default:
        break;
    }
}

World *cmp_world_new_multi(const World *base, const CmpOption *const *opt, int n)
{
    CmpWorld *cw = xcalloc(1, sizeof *cw);
    World *w = &cw->w;
    *w = *base;
    cw->base_nfrag = base->nfrag;
    int nretro = 0;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < opt[k]->nchange; i++) nretro += opt[k]->change[i].kind == CMP_RETROFIT;
    w->fac = dup_array(base->fac, base->nfac, sizeof *base->fac, 0);
    w->comp = dup_array(base->comp, base->ncomp, sizeof *base->comp, 0);
    w->stock = dup_array(base->stock, base->nstock, sizeof *base->stock, 0);
    w->asset = dup_array(base->asset, base->nasset, sizeof *base->asset, 0);
    w->use = dup_array(base->use, base->nuse, sizeof *base->use, 0);
    w->frag = dup_array(base->frag, base->nfrag, sizeof *base->frag, 2 * nretro);
    int *lead_set = xcalloc((size_t)base->nasset + 1, sizeof *lead_set);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < opt[k]->nchange; i++) apply_change(w, &opt[k]->change[i], lead_set);
    assert(w->nfrag <= base->nfrag + 2 * nretro);
    free(lead_set);
    return w;
}

World *cmp_world_new(const World *base, const CmpOption *opt)
{
    return cmp_world_new_multi(base, &opt, opt ? 1 : 0);
}

void cmp_world_free(World *w)
{
    if (!w) return;
    CmpWorld *cw = (CmpWorld *)w;
    for (int k = cw->base_nfrag; k < w->nfrag; k++) free(w->frag[k].id);
    free(w->fac); free(w->comp); free(w->stock); free(w->asset); free(w->use); free(w->frag);
    free(cw);
}

/* ---- paired statistics -------------------------------------------------------------- */

void cmp_paired_init(CmpPaired *p)
{
    memset(p, 0, sizeof *p);
    stats_welford_init(&p->d);
}

void cmp_paired_add(CmpPaired *p, double base, double alt)
{
    stats_welford_add(&p->d, base - alt);
    p->base_sum += base;
    p->alt_sum += alt;
}

void cmp_paired_result(const CmpPaired *p, CmpDiff *o)
{
    memset(o, 0, sizeof *o);
    o->n = p->d.n;
    if (o->n == 0) {
        o->mean = o->sd = o->ci_lo = o->ci_hi = o->base_mean = o->alt_mean = NAN;
        return;
    }
    o->mean = p->d.mean;
    o->sd = stats_welford_sd(&p->d);
    double half = stats_welford_ci(&p->d, 0.95);
    /* identical pairs: no spread, the interval is the point (t x 0, not NaN) */
    if (o->n >= 2 && o->sd == 0) half = 0;
    o->ci_lo = o->mean - half;
    o->ci_hi = o->mean + half;
    o->base_mean = p->base_sum / (double)o->n;
    o->alt_mean = p->alt_sum / (double)o->n;
}

void cmp_paired(const double *base, const double *alt, size_t n, CmpDiff *out)
{
    CmpPaired p;
    cmp_paired_init(&p);
    for (size_t i = 0; i < n; i++) cmp_paired_add(&p, base[i], alt[i]);
    cmp_paired_result(&p, out);
}

/* ---- ranking and output ---------------------------------------------------------------- */

static int rank_cmp(const void *x, const void *y)
{
    const CmpResult *a = x, *b = y;
    int pa = a->ws.mean > 0, pb = b->ws.mean > 0;
    if (pa != pb) return pb - pa;
    if (pa) {
        if (a->yen_per_wkl != b->yen_per_wkl) return a->yen_per_wkl < b->yen_per_wkl ? -1 : 1;
    } else {
        double ma = isnan(a->ws.mean) ? -HUGE_VAL : a->ws.mean, mb = isnan(b->ws.mean) ? -HUGE_VAL : b->ws.mean;
        if (ma != mb) return ma > mb ? -1 : 1;
    }
    return a->opt - b->opt;
}

void cmp_rank(const CmpInvest *inv, CmpResult *res, int n)
{
    for (int i = 0; i < n; i++) {
        CmpResult *r = &res[i];
        double cost = inv->opt[r->opt].cost_yen;
        r->yen_per_kl = r->kl.mean > 0 ? cost / r->kl.mean : NAN;
        r->yen_per_wkl = r->ws.mean > 0 ? cost / r->ws.mean : NAN;
    }
    /* the order needs nothing beyond the results (ties: file order) */
    qsort(res, (size_t)n, sizeof *res, rank_cmp);
    for (int i = 0; i < n; i++) res[i].rank = i + 1;
}

void cmp_csv_num(FILE *f, double x)
{
    fputc(',', f);
    if (!isnan(x)) fprintf(f, "%.10g", x);
}

void cmp_csv_diff(FILE *f, const CmpDiff *d)
{
    cmp_csv_num(f, d->mean);
    cmp_csv_num(f, d->ci_lo);
    cmp_csv_num(f, d->ci_hi);
}

int cmp_write_csv(const CmpInvest *inv, const CmpResult *res, int n, FILE *f)
{
    fprintf(f, "rank,option,name_en,name_ja,cost_yen,n,baseline_ws_mean,option_ws_mean,"
               "ws_avoided_mean,ws_avoided_ci_lo,ws_avoided_ci_hi,"
               "unserved_kl_avoided_mean,unserved_kl_avoided_ci_lo,unserved_kl_avoided_ci_hi,"
               "dry_hours_class1_avoided_mean,dry_hours_class1_avoided_ci_lo,dry_hours_class1_avoided_ci_hi,"
               "yen_per_kl_avoided,yen_per_weighted_kl_avoided\n");
    for (int i = 0; i < n; i++) {
        const CmpResult *r = &res[i];
        const CmpOption *o = &inv->opt[r->opt];
        fprintf(f, "%d,%s,", r->rank, o->id);
        csv_put_field(f, o->name_en);
        fputc(',', f);
        csv_put_field(f, o->name_ja);
        fprintf(f, ",%.0f,%llu", o->cost_yen, (unsigned long long)r->ws.n);
        cmp_csv_num(f, r->ws.base_mean);
        cmp_csv_num(f, r->ws.alt_mean);
        cmp_csv_diff(f, &r->ws);
        cmp_csv_diff(f, &r->kl);
        cmp_csv_diff(f, &r->dry1);
        cmp_csv_num(f, r->yen_per_kl);
        cmp_csv_num(f, r->yen_per_wkl);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

void cmp_json_num(cJSON *o, const char *key, double x)
{
    if (isnan(x)) cJSON_AddNullToObject(o, key);
    else cJSON_AddNumberToObject(o, key, x);
}

static cJSON *json_diff(const CmpDiff *d)
{
    cJSON *o = cJSON_CreateObject();
    cmp_json_num(o, "mean", d->mean);
    cmp_json_num(o, "sd", d->sd);
    cmp_json_num(o, "ci95_lo", d->ci_lo);
    cmp_json_num(o, "ci95_hi", d->ci_hi);
    cmp_json_num(o, "baseline_mean", d->base_mean);
    cmp_json_num(o, "option_mean", d->alt_mean);
    return o;
}

char *cmp_json(const CmpInvest *inv, const CmpResult *res, int n, const char *meta_json)
{
    cJSON *root = json_new_with_meta(meta_json);
    if (n > 0) {
        cJSON *b = cJSON_AddObjectToObject(root, "baseline");
        cmp_json_num(b, "weighted_shortfall_mean", res[0].ws.base_mean);
        cmp_json_num(b, "unserved_kl_mean", res[0].kl.base_mean);
        cmp_json_num(b, "dry_hours_class1_mean", res[0].dry1.base_mean);
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "options");
    for (int i = 0; i < n; i++) {
        const CmpResult *r = &res[i];
        const CmpOption *o = &inv->opt[r->opt];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "rank", r->rank);
        cJSON_AddStringToObject(j, "option", o->id);
        cJSON_AddStringToObject(j, "name_en", o->name_en);
        cJSON_AddStringToObject(j, "name_ja", o->name_ja);
        cJSON_AddStringToObject(j, "source", o->source);
        cJSON_AddNumberToObject(j, "cost_yen", o->cost_yen);
        cJSON_AddNumberToObject(j, "n", (double)r->ws.n);
        cJSON *ch = cJSON_AddArrayToObject(j, "changes");
        for (int k = 0; k < o->nchange; k++)
            cJSON_AddItemToArray(ch, cJSON_CreateString(cmp_change_name[o->change[k].kind]));
        cJSON_AddItemToObject(j, "weighted_shortfall_avoided", json_diff(&r->ws));
        cJSON_AddItemToObject(j, "unserved_kl_avoided", json_diff(&r->kl));
        cJSON_AddItemToObject(j, "dry_hours_class1_avoided", json_diff(&r->dry1));
        cmp_json_num(j, "yen_per_kl_avoided", r->yen_per_kl);
        cmp_json_num(j, "yen_per_weighted_kl_avoided", r->yen_per_wkl);
        cJSON_AddItemToArray(arr, j);
    }
    char *out = json_take_text(root);
    return out;
}
