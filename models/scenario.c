/* Scenario loader: scenario.json (cJSON) names CSV tables (libcsv, strict
 * mode); every value is checked for type, unit range and reference, and each
 * problem is reported as "file:line: message" without stopping, so a user
 * fixes everything in one pass. The World is built only when no problem was
 * found. Files are read through a Src so that the fuzzer can feed memory. */
#include "scenario.h"
#include "textio.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


/* ---- where files come from ---------------------------------------------- */

typedef struct Src {
    const char *dir;                 /* folder, or NULL for memory */
    char *realdir;                   /* resolved folder */
    const char *const *names;        /* memory files */
    const char *const *data;
    const size_t *len;
    int nfiles;
    World *w;                        /* records each file read (provenance) */
} Src;

/* Display name of a file of the scenario: "DIR/name". */
static char *src_path(const Src *s, const char *name)
{
    return s->dir ? path_join(s->dir, name) : xstrdup(name);
}

/* A table path must stay inside the folder: relative, no "..", and (on disk)
 * no symbolic link that resolves outside. Returns an error text or NULL. */
static const char *src_check_name(const Src *s, const char *name)
{
    if (!name[0]) return "is empty";
    if (name[0] == '/') return "is an absolute path; paths are relative to the scenario folder";
    const char *p = name;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') return "leaves the scenario folder";
        p += n;
        if (*p == '/') p++;
    }
    if (s->dir && s->realdir) {
        char *full = path_join(s->dir, name);
        char *real = realpath(full, NULL);
        free(full);
        if (real) {
            size_t k = strlen(s->realdir);
            int inside = strncmp(real, s->realdir, k) == 0 && real[k] == '/';
            free(real);
            if (!inside) return "leaves the scenario folder (symbolic link)";
        }
    }
    return NULL;
}

/* Report a problem reading file disp, against the file and line that named
 * it (from, from_line), or against disp itself when from is NULL. */
static void read_problem(Diag *d, const char *from, int from_line, const char *disp,
                         const char *what)
{
    if (from) diag_add(d, from, from_line, "%s: %s", disp, what);
    else diag_add(d, disp, 0, "%s", what);
}

/* SHA-256 as hex; a digest that fails is a broken OpenSSL, not bad input. */
static void digest(const void *data, size_t len, char hex[65])
{
    if (sha256_hex(data, len, hex) != 0) {
        fprintf(stderr, "fuelsim: SHA-256 failed (OpenSSL)\n");
        abort();
    }
}

/* Record a file read into the World: name and digest of its bytes. */
static void src_record(const Src *s, const char *name, const char *buf, size_t len)
{
    World *w = s->w;
    if (!w) return;
    w->file = xrealloc(w->file, ((size_t)w->nfile + 1) * sizeof *w->file);
    ScnFile *f = &w->file[w->nfile++];
    f->name = xstrdup(name);
    digest(buf, len, f->sha256);
}

/* The fingerprint of the files read: the digest of sha256sum's listing of
 * them, so `sha256sum FILES | sha256sum` in the folder gives it again. */
static void world_set_fingerprint(World *w)
{
    StrBuf b = {0};
    for (int i = 0; i < w->nfile; i++) sb_printf(&b, "%s  %s\n", w->file[i].sha256, w->file[i].name);
    char *list = sb_take(&b);
    digest(list, strlen(list), w->fingerprint);
    free(list);
}

cJSON *scn_prov_json(const World *w, const RunProv *p)
{
    cJSON *o = cJSON_CreateObject();
    char seed[24];
    snprintf(seed, sizeof seed, "%" PRIu64, p->seed);
    cJSON_AddStringToObject(o, "version", p->version ? p->version : "unknown");
    cJSON_AddStringToObject(o, "commit", p->commit ? p->commit : "unknown");
    cJSON_AddStringToObject(o, "command", p->command ? p->command : "");
    cJSON_AddRawToObject(o, "seed", seed);
    if (p->policy) cJSON_AddStringToObject(o, "policy", p->policy);
    cJSON_AddStringToObject(o, "scenario_sha256", w->fingerprint);
    cJSON *files = cJSON_AddArrayToObject(o, "files");
    for (int i = 0; i < w->nfile; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", w->file[i].name);
        cJSON_AddStringToObject(f, "sha256", w->file[i].sha256);
        cJSON_AddItemToArray(files, f);
    }
    return o;
}

/* Read a whole file. Returns 0 and a NUL-terminated buffer, or -1 with the
 * problem recorded (see read_problem). */
static int src_read(const Src *s, const char *name, char **buf, size_t *len,
                    Diag *d, const char *from, int from_line)
{
    char *disp = src_path(s, name);
    int rc = -1;
    if (!s->dir) {
        for (int i = 0; i < s->nfiles; i++) {
            if (strcmp(s->names[i], name) != 0) continue;
            *buf = xmalloc(s->len[i] + 1);
            memcpy(*buf, s->data[i], s->len[i]);
            (*buf)[s->len[i]] = 0;
            *len = s->len[i];
            src_record(s, name, *buf, *len);
            free(disp);
            return 0;
        }
        read_problem(d, from, from_line, disp, "file not found");
        free(disp);
        return -1;
    }
    char err[256];
    *buf = tio_read_file(disp, TIO_MAX_BYTES, len, err, sizeof err);
    if (*buf) {
        rc = 0;
        src_record(s, name, *buf, *len);
    } else read_problem(d, from, from_line, disp, err);
    free(disp);
    return rc;
}

/* ---- text checks and CSV tables (textio) ------------------------------ */

/* Check UTF-8 and skip a byte-order mark; returns the text start or NULL. */
static char *text_start(char *buf, size_t *len, const char *file, Diag *d)
{
    int line = 0;
    char err[64];
    long start = tio_text_start(buf, *len, &line, err, sizeof err);
    if (start < 0) {
        diag_add(d, file, line, "%s", err);
        return NULL;
    }
    *len -= (size_t)start;
    return buf + start;
}

typedef TioTable Table;
typedef TioRow Row;

/* Load a table and check its header. required is a NULL-terminated list. */
static void tab_load(Table *t, const Src *s, const char *name, const char *const *required,
                     Diag *d, const char *from, int from_line)
{
    char *file = src_path(s, name);
    char *buf = NULL;
    size_t len = 0;
    memset(t, 0, sizeof *t);
    if (src_read(s, name, &buf, &len, d, from, from_line) == 0) {
        TioCsvSpec spec = {0};
        spec.file = file;
        spec.required = required;
        spec.d = d;
        tio_table_parse(t, buf, len, &spec);
    }
    free(buf);
    free(file);
}

/* ---- field parsing: each returns 0, or -1 after recording the problem ---- */

typedef struct Ctx {
    Diag *d;
    const Table *t;
    const Row *r;
} Ctx;

static const char *fld(const Ctx *c, const char *col)
{
    int k = tio_table_col(c->t, col);
    return (k >= 0 && k < c->r->n) ? c->r->f[k] : "";
}

static int get_num(const Ctx *c, const char *col, double lo, double hi, double *out)
{
    const char *s = fld(c, col);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ') end++;
    if (!s[0] || end == s || *end) {
        diag_add(c->d, c->t->file, c->r->line, "%s: \"%s\" is not a number", col, s);
        return -1;
    }
    if (!isfinite(v)) {
        diag_add(c->d, c->t->file, c->r->line, "%s: \"%s\" is not a finite number", col, s);
        return -1;
    }
    if (v < lo || v > hi) {
        if (hi >= 1e300)
            diag_add(c->d, c->t->file, c->r->line, "%s: %s must be >= %g", col, s, lo);
        else
            diag_add(c->d, c->t->file, c->r->line, "%s: %s must be in [%g, %g]", col, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int get_pos(const Ctx *c, const char *col, double *out)
{
    const char *s = fld(c, col);
    double v;
    if (get_num(c, col, 0, INFINITY, &v) != 0) return -1;
    if (v <= 0) {
        diag_add(c->d, c->t->file, c->r->line, "%s: %s must be > 0", col, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int get_int(const Ctx *c, const char *col, int lo, int hi, int *out)
{
    const char *s = fld(c, col);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!s[0] || end == s || *end || errno) {
        diag_add(c->d, c->t->file, c->r->line, "%s: \"%s\" is not an integer", col, s);
        return -1;
    }
    if (v < lo || v > hi) {
        diag_add(c->d, c->t->file, c->r->line, "%s: %s must be in [%d, %d]", col, s, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int valid_id(const char *s)
{
    if (!s[0] || strlen(s) > 64) return 0;
    for (const char *p = s; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-'))
            return 0;
    }
    return 1;
}

static int get_id(const Ctx *c, const char *col, char **out)
{
    const char *s = fld(c, col);
    if (!valid_id(s)) {
        diag_add(c->d, c->t->file, c->r->line,
                 "%s: \"%s\" is not an id (ASCII letters, digits, '_' or '-', at most 64)", col, s);
        return -1;
    }
    *out = xstrdup(s);
    return 0;
}

static char *get_text(const Ctx *c, const char *col)
{
    return xstrdup(fld(c, col));
}

static int get_enum(const Ctx *c, const char *col, const char *const *names, int n, int *out)
{
    const char *s = fld(c, col);
    int k = world_enum_lookup(names, n, s);
    if (k < 0) {
        char list[512];
        diag_add(c->d, c->t->file, c->r->line, "%s: \"%s\" is not one of %s", col, s,
                 world_enum_list(names, n, list, sizeof list));
        return -1;
    }
    *out = k;
    return 0;
}

/* A reference to another table: look up with find(); empty allowed if opt. */
static int get_ref(const Ctx *c, const char *col, const World *w,
                   int (*find)(const World *, const char *), const char *what, int opt, int *out)
{
    const char *s = fld(c, col);
    if (!s[0] && opt) { *out = -1; return 0; }
    int k = find(w, s);
    if (k < 0) {
        diag_add(c->d, c->t->file, c->r->line, "%s: \"%s\" is not %s", col, s, what);
        return -1;
    }
    *out = k;
    return 0;
}

/* Report an id already used in rows [0, i) of the same table. */
static int dup_id(const Ctx *c, const char *col, int i)
{
    const char *s = fld(c, col);
    int k = tio_table_col(c->t, col);
    for (int j = 0; j < i; j++)
        if (k < c->t->row[j].n && strcmp(c->t->row[j].f[k], s) == 0) {
            diag_add(c->d, c->t->file, c->r->line, "%s: duplicate \"%s\" (first on line %d)",
                     col, s, c->t->row[j].line);
            return 1;
        }
    return 0;
}

#define ROWS(t, c, i) for (int i = 0; i < (t)->nrow; i++) \
    if (((c).r = &(t)->row[i]), (t)->row[i].n == (t)->ncol)

/* ---- tables --------------------------------------------------------------- */

static void load_areas(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->area = xcalloc((size_t)t->nrow, sizeof *w->area);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        GridArea a = {0};
        if (get_id(&c, "id", &a.id) != 0) continue;
        a.name_en = get_text(&c, "name_en");
        a.name_ja = get_text(&c, "name_ja");
        w->area[w->narea++] = a;
    }
}

static void load_fragility(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->frag = xcalloc((size_t)t->nrow, sizeof *w->frag);
    int *first = xcalloc((size_t)t->nrow, sizeof *first);
    int *seen = xcalloc((size_t)t->nrow, sizeof *seen);  /* bit mask of states per class */
    ROWS(t, c, i) {
        const char *cls = fld(&c, "class");
        if (!valid_id(cls)) {
            diag_add(d, t->file, c.r->line, "class: \"%s\" is not an id", cls);
            continue;
        }
        int ds, param;
        double med, beta;
        static const char *const params[] = {"pga_g", "pgd_in"};
        int bad = get_enum(&c, "ds", world_ds_name + 1, NDS - 1, &ds);
        bad |= get_enum(&c, "param", params, 2, &param);
        bad |= get_pos(&c, "median", &med);
        bad |= get_pos(&c, "beta", &beta);
        if (bad) continue;
        ds += 1;
        int k = world_find_fragility(w, cls);
        if (k < 0) {
            k = w->nfrag++;
            w->frag[k].id = xstrdup(cls);
            w->frag[k].on_pgd = param;
            first[k] = c.r->line;
        } else if (w->frag[k].on_pgd != param) {
            diag_add(d, t->file, c.r->line, "param: class \"%s\" mixes pga_g and pgd_in (first on line %d)",
                     cls, first[k]);
            continue;
        }
        if (seen[k] & (1 << ds)) {
            diag_add(d, t->file, c.r->line, "ds: \"%s\" given twice for class \"%s\"", world_ds_name[ds], cls);
            continue;
        }
        seen[k] |= 1 << ds;
        w->frag[k].median[ds] = med;
        w->frag[k].beta[ds] = beta;
    }
    for (int k = 0; k < w->nfrag; k++) {
        for (int ds = DS_SLIGHT; ds < NDS; ds++)
            if (!(seen[k] & (1 << ds)))
                diag_add(d, t->file, first[k], "class \"%s\" has no row for ds \"%s\"",
                         w->frag[k].id, world_ds_name[ds]);
        for (int ds = DS_MODERATE; ds < NDS; ds++)
            if ((seen[k] & (1 << ds)) && (seen[k] & (1 << (ds - 1))) &&
                w->frag[k].median[ds] < w->frag[k].median[ds - 1])
                diag_add(d, t->file, first[k], "class \"%s\": median of \"%s\" is below that of \"%s\"",
                         w->frag[k].id, world_ds_name[ds], world_ds_name[ds - 1]);
    }
    free(first);
    free(seen);
}

static void load_restoration(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->rest = xcalloc((size_t)t->nrow, sizeof *w->rest);
    int *first = xcalloc((size_t)t->nrow, sizeof *first);
    int *seen = xcalloc((size_t)t->nrow, sizeof *seen);
    ROWS(t, c, i) {
        const char *cls = fld(&c, "class");
        if (!valid_id(cls)) {
            diag_add(d, t->file, c.r->line, "class: \"%s\" is not an id", cls);
            continue;
        }
        int ds;
        double mean, sd;
        int bad = get_enum(&c, "ds", world_ds_name + 1, NDS - 1, &ds);
        bad |= get_num(&c, "mean_days", 0, 3650, &mean);
        bad |= get_pos(&c, "sd_days", &sd);
        if (bad) continue;
        ds += 1;
        int k = world_find_restoration(w, cls);
        if (k < 0) {
            k = w->nrest++;
            w->rest[k].id = xstrdup(cls);
            first[k] = c.r->line;
        }
        if (seen[k] & (1 << ds)) {
            diag_add(d, t->file, c.r->line, "ds: \"%s\" given twice for class \"%s\"", world_ds_name[ds], cls);
            continue;
        }
        seen[k] |= 1 << ds;
        w->rest[k].mean_days[ds] = mean;
        w->rest[k].sd_days[ds] = sd;
    }
    for (int k = 0; k < w->nrest; k++)
        for (int ds = DS_SLIGHT; ds < NDS; ds++)
            if (!(seen[k] & (1 << ds)))
                diag_add(d, t->file, first[k], "class \"%s\" has no row for ds \"%s\"",
                         w->rest[k].id, world_ds_name[ds]);
    free(first);
    free(seen);
}

static void load_quakes(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->quake = xcalloc((size_t)t->nrow, sizeof *w->quake);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        Earthquake q = {0};
        int f = 0;
        int bad = get_num(&c, "mw", 4, 9.6, &q.mw);
        bad |= get_num(&c, "lat", -90, 90, &q.lat);
        bad |= get_num(&c, "lon", -180, 180, &q.lon);
        bad |= get_num(&c, "depth_km", 0, 700, &q.depth_km);
        bad |= get_enum(&c, "fault_type", world_fault_name, NFAULT, &f);
        bad |= get_num(&c, "strike_deg", 0, 360, &q.strike_deg);
        bad |= get_num(&c, "dip_deg", 0, 90, &q.dip_deg);
        bad |= get_num(&c, "length_km", 0, 2000, &q.length_km);
        bad |= get_num(&c, "width_km", 0, 500, &q.width_km);
        bad |= get_num(&c, "top_km", 0, 700, &q.top_km);
        if (bad || get_id(&c, "id", &q.id) != 0) continue;
        q.fault = (FaultType)f;
        q.name_en = get_text(&c, "name_en");
        q.name_ja = get_text(&c, "name_ja");
        q.line = c.r->line;
        w->quake[w->nquake++] = q;
    }
}

static int get_frag(const Ctx *c, const World *w, const char *col, int on_pgd, int *out);

static void load_facilities(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->fac = xcalloc((size_t)t->nrow, sizeof *w->fac);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        Facility f = {0};
        int kind = 0, liq = 0;
        int bad = get_enum(&c, "kind", world_fac_kind_name, NFACKIND, &kind);
        bad |= get_num(&c, "lat", -90, 90, &f.lat);
        bad |= get_num(&c, "lon", -180, 180, &f.lon);
        bad |= get_ref(&c, "area", w, world_find_area, "an area id (areas.csv)", 0, &f.area);
        bad |= get_num(&c, "avs30_ms", 50, 3000, &f.avs30);
        bad |= get_enum(&c, "liq_susceptibility", world_liq_name, NLIQ, &liq);
        bad |= get_num(&c, "gw_depth_m", 0, 100, &f.gw_depth_m);
        bad |= get_int(&c, "has_generator", 0, 1, &f.has_generator);
        /* Optional columns (issue 14): absent or empty means no free face
         * and no fire model, as before them. */
        if (fld(&c, "free_face")[0]) bad |= get_int(&c, "free_face", 0, 1, &f.free_face);
        bad |= get_frag(&c, w, "fire_class", 0, &f.fire_class);
        if (fld(&c, "crude_days")[0]) bad |= get_num(&c, "crude_days", 0, 365, &f.crude_days);
        if (bad || get_id(&c, "id", &f.id) != 0) continue;
        f.kind = (FacKind)kind;
        f.liq = (LiqClass)liq;
        f.name_en = get_text(&c, "name_en");
        f.name_ja = get_text(&c, "name_ja");
        f.operator_ = get_text(&c, "operator");
        f.line = c.r->line;
        w->fac[w->nfac++] = f;
    }
}

static void load_demand(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->dem = xcalloc((size_t)t->nrow, sizeof *w->dem);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        const char *id = fld(&c, "id");
        if (world_find_facility(w, id) >= 0) {
            diag_add(d, t->file, c.r->line, "id: \"%s\" is already a facility id", id);
            continue;
        }
        DemandPoint p = {0};
        int kind = 0, liq = 0;
        int bad = get_enum(&c, "kind", world_dem_kind_name, NDEMKIND, &kind);
        bad |= get_int(&c, "priority", 1, NCLASS, &p.priority);
        bad |= get_num(&c, "lat", -90, 90, &p.lat);
        bad |= get_num(&c, "lon", -180, 180, &p.lon);
        bad |= get_ref(&c, "area", w, world_find_area, "an area id (areas.csv)", 0, &p.area);
        bad |= get_num(&c, "avs30_ms", 50, 3000, &p.avs30);
        bad |= get_enum(&c, "liq_susceptibility", world_liq_name, NLIQ, &liq);
        bad |= get_num(&c, "gw_depth_m", 0, 100, &p.gw_depth_m);
        if (bad || get_id(&c, "id", &p.id) != 0) continue;
        p.kind = (DemandKind)kind;
        p.liq = (LiqClass)liq;
        p.name_en = get_text(&c, "name_en");
        p.name_ja = get_text(&c, "name_ja");
        p.prefecture = get_text(&c, "prefecture");
        p.line = c.r->line;
        w->dem[w->ndem++] = p;
    }
}

/* A fragility class reference that must use the given intensity measure. */
static int get_frag(const Ctx *c, const World *w, const char *col, int on_pgd, int *out)
{
    if (get_ref(c, col, w, world_find_fragility, "a class in fragility.csv", 1, out) != 0) return -1;
    if (*out >= 0 && w->frag[*out].on_pgd != on_pgd) {
        diag_add(c->d, c->t->file, c->r->line, "%s: class \"%s\" is on %s, this column needs %s",
                 col, fld(c, col), on_pgd ? "pga_g" : "pgd_in", on_pgd ? "pgd_in" : "pga_g");
        return -1;
    }
    return 0;
}

static void load_components(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->comp = xcalloc((size_t)t->nrow, sizeof *w->comp);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        Component m = {0};
        int kind = 0;
        int bad = get_ref(&c, "facility", w, world_find_facility, "a facility id", 0, &m.facility);
        bad |= get_enum(&c, "kind", world_comp_kind_name, NCOMPKIND, &kind);
        bad |= get_frag(&c, w, "fragility_class", 0, &m.fragility);
        bad |= get_frag(&c, w, "pgd_fragility_class", 1, &m.fragility_pgd);
        bad |= get_ref(&c, "restoration_class", w, world_find_restoration,
                       "a class in restoration.csv", 0, &m.restoration);
        bad |= get_int(&c, "count", 1, 100000, &m.count);
        bad |= get_num(&c, "rate_kl_h", 0, 1e6, &m.rate_kl_h);
        if (!bad && m.fragility < 0 && m.fragility_pgd < 0) {
            diag_add(d, t->file, c.r->line, "fragility_class: a component needs a shaking or a ground-failure class");
            bad = 1;
        }
        if (bad || get_id(&c, "id", &m.id) != 0) continue;
        m.kind = (CompKind)kind;
        m.line = c.r->line;
        w->comp[w->ncomp++] = m;
    }
}

static void load_stock(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->stock = xcalloc((size_t)t->nrow, sizeof *w->stock);
    ROWS(t, c, i) {
        Stock s = {0};
        int bad = get_ref(&c, "facility", w, world_find_facility, "a facility id", 0, &s.facility);
        bad |= get_enum(&c, "product", world_product_name, NPROD, &s.product);
        bad |= get_num(&c, "tank_kl", 0, 1e8, &s.tank_kl);
        bad |= get_num(&c, "initial_kl", 0, 1e8, &s.initial_kl);
        bad |= get_num(&c, "output_kl_d", 0, 1e7, &s.output_kl_d);
        if (bad) continue;
        if (s.initial_kl > s.tank_kl) {
            diag_add(d, t->file, c.r->line, "initial_kl: %g exceeds tank_kl %g", s.initial_kl, s.tank_kl);
            continue;
        }
        int j = world_find_stock(w, s.facility, s.product);
        if (j >= 0) {
            diag_add(d, t->file, c.r->line, "product: \"%s\" at \"%s\" already on line %d",
                     world_product_name[s.product], w->fac[s.facility].id, w->stock[j].line);
            continue;
        }
        s.line = c.r->line;
        w->stock[w->nstock++] = s;
    }
}

/* The optional columns of links.csv for the first week: traffic_control
 * (none, detour, closed; empty: detour on an emergency road), and bridges
 * with their bridge_class (a PGA fragility class) and bridge_restoration. */
static int link_first_week(const Ctx *c, const World *w, int mode, Link *l)
{
    int bad = 0, ctl = l->emergency_road ? CTL_DETOUR : CTL_NONE;
    l->bridge_fragility = l->bridge_restoration = -1;
    if (fld(c, "traffic_control")[0]) bad |= get_enum(c, "traffic_control", world_control_name, NCTL, &ctl);
    if (!bad && ctl != CTL_NONE && mode != MODE_ROAD) {
        diag_add(c->d, c->t->file, c->r->line, "traffic_control: %s on a link that is not a road",
                 world_control_name[ctl]);
        bad = 1;
    }
    l->control = (LinkControl)ctl;
    if (fld(c, "bridges")[0]) bad |= get_int(c, "bridges", 0, 10000, &l->bridges);
    bad |= get_ref(c, "bridge_class", w, world_find_fragility, "a class in fragility.csv", 1, &l->bridge_fragility);
    bad |= get_ref(c, "bridge_restoration", w, world_find_restoration, "a class in restoration.csv", 1,
                   &l->bridge_restoration);
    if (bad) return 1;
    if (l->bridges > 0 && (l->bridge_fragility < 0 || l->bridge_restoration < 0)) {
        diag_add(c->d, c->t->file, c->r->line, "%s: needed when bridges is given",
                 l->bridge_fragility < 0 ? "bridge_class" : "bridge_restoration");
        return 1;
    }
    if (l->bridges == 0 && (l->bridge_fragility >= 0 || l->bridge_restoration >= 0)) {
        diag_add(c->d, c->t->file, c->r->line, "bridges: a count of at least 1 is needed with a bridge class");
        return 1;
    }
    if (l->bridge_fragility >= 0 && w->frag[l->bridge_fragility].on_pgd) {
        diag_add(c->d, c->t->file, c->r->line, "bridge_class: \"%s\" is on PGD; bridges need a class on PGA",
                 w->frag[l->bridge_fragility].id);
        return 1;
    }
    return 0;
}

static void load_links(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->link = xcalloc((size_t)t->nrow, sizeof *w->link);
    static const char *const modes[] = {"road", "sea", "rail"};
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        Link l = {0};
        int mode = 0;
        int bad = get_enum(&c, "mode", modes, 3, &mode);
        bad |= get_ref(&c, "from", w, world_find_place, "a facility or demand-point id", 0, &l.from);
        bad |= get_ref(&c, "to", w, world_find_place, "a facility or demand-point id", 0, &l.to);
        bad |= get_pos(&c, "distance_km", &l.distance_km);
        bad |= get_pos(&c, "time_h", &l.time_h);
        bad |= get_int(&c, "emergency_road", 0, 1, &l.emergency_road);
        bad |= get_ref(&c, "fragility_class", w, world_find_fragility,
                       "a class in fragility.csv", 1, &l.fragility);
        bad |= get_ref(&c, "restoration_class", w, world_find_restoration,
                       "a class in restoration.csv", 1, &l.restoration);
        bad |= get_num(&c, "clear_h", 0, 8760, &l.clear_h);
        if (!bad && l.from == l.to) {
            diag_add(d, t->file, c.r->line, "to: a link cannot join \"%s\" to itself", fld(&c, "to"));
            bad = 1;
        }
        if (!bad && l.fragility >= 0 && l.restoration < 0) {
            diag_add(d, t->file, c.r->line, "restoration_class: needed when fragility_class is given");
            bad = 1;
        }
        bad |= link_first_week(&c, w, mode, &l);
        if (bad || get_id(&c, "id", &l.id) != 0) continue;
        l.mode = (LinkMode)mode;
        l.line = c.r->line;
        w->link[w->nlink++] = l;
    }
}

/* products: "gasoline;diesel" -> bit mask; 0 on error (recorded). */
static unsigned get_products(const Ctx *c, const char *col)
{
    const char *s = fld(c, col);
    unsigned mask = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        while (*tok == ' ') tok++;
        int k = world_enum_lookup(world_product_name, NPROD, tok);
        if (k < 0) {
            char list[128];
            diag_add(c->d, c->t->file, c->r->line, "%s: \"%s\" is not a product (%s)", col, tok,
                     world_enum_list(world_product_name, NPROD, list, sizeof list));
            return 0;
        }
        mask |= 1u << k;
    }
    if (!mask) diag_add(c->d, c->t->file, c->r->line, "%s: at least one product is needed", col);
    return mask;
}

static void load_assets(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->asset = xcalloc((size_t)t->nrow, sizeof *w->asset);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        Asset a = {0};
        int type = 0, mode = 0;
        int bad = get_enum(&c, "type", world_asset_type_name, NASSETTYPE, &type);
        bad |= get_enum(&c, "mode", world_mode_name, NMODE, &mode);
        bad |= get_int(&c, "count", 0, 100000, &a.count);
        bad |= get_pos(&c, "capacity_kl", &a.capacity_kl);
        bad |= get_pos(&c, "speed_kmh", &a.speed_kmh);
        bad |= get_ref(&c, "home", w, world_find_place, "a facility or demand-point id", 0, &a.home);
        bad |= get_num(&c, "lead_time_h", 0, 8760, &a.lead_time_h);
        bad |= get_pos(&c, "load_rate_kl_h", &a.load_rate_kl_h);
        bad |= get_num(&c, "cost_per_km", 0, 1e7, &a.cost_per_km);
        if (fld(&c, "permit_h")[0]) bad |= get_num(&c, "permit_h", 0, 8760, &a.permit_h);
        a.products = get_products(&c, "products");
        if (!a.products) bad = 1;
        if (bad || get_id(&c, "id", &a.id) != 0) continue;
        a.type = (AssetType)type;
        a.mode = (LinkMode)mode;
        a.name_en = get_text(&c, "name_en");
        a.name_ja = get_text(&c, "name_ja");
        a.line = c.r->line;
        w->asset[w->nasset++] = a;
    }
}

static void load_consumption(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->use = xcalloc((size_t)t->nrow, sizeof *w->use);
    static const char *const whens[] = {"always", "grid_down"};
    ROWS(t, c, i) {
        Consumption u = {0};
        int when = 0;
        int bad = get_ref(&c, "point", w, world_find_demand, "a demand-point id", 0, &u.point);
        bad |= get_enum(&c, "product", world_product_name, NPROD, &u.product);
        bad |= get_enum(&c, "when", whens, 2, &when);
        bad |= get_num(&c, "use_kl_d", 0, 1e6, &u.use_kl_d);
        bad |= get_num(&c, "storage_kl", 0, 1e7, &u.storage_kl);
        bad |= get_num(&c, "initial_kl", 0, 1e7, &u.initial_kl);
        if (bad) continue;
        if (u.initial_kl > u.storage_kl) {
            diag_add(d, t->file, c.r->line, "initial_kl: %g exceeds storage_kl %g", u.initial_kl, u.storage_kl);
            continue;
        }
        int j = world_find_use(w, u.point, u.product);
        if (j >= 0) {
            diag_add(d, t->file, c.r->line, "product: \"%s\" at \"%s\" already on line %d",
                     world_product_name[u.product], w->dem[u.point].id, w->use[j].line);
            continue;
        }
        u.when = (UseWhen)when;
        u.line = c.r->line;
        w->use[w->nuse++] = u;
    }
}

/* Validation rows: what `fuelsim hindcast` replays. The metric names are
 * checked by the study that knows them; here only ids, the earthquake and
 * the numbers (obs_lo <= observed <= obs_hi). */
static void load_validation(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->obs = xcalloc((size_t)t->nrow, sizeof *w->obs);
    w->obs_file = xstrdup(t->file);
    ROWS(t, c, i) {
        if (dup_id(&c, "id", i)) continue;
        ValObs o = {0};
        int bad = get_ref(&c, "quake", w, world_find_quake, "an earthquake id", 0, &o.quake);
        if (fld(&c, "param")[0]) bad |= get_num(&c, "param", -1e9, 1e9, &o.param);
        bad |= get_num(&c, "time_h", 0, 8760, &o.time_h);
        bad |= get_num(&c, "observed", -1e12, 1e12, &o.observed);
        bad |= get_num(&c, "obs_lo", -1e12, 1e12, &o.obs_lo);
        bad |= get_num(&c, "obs_hi", -1e12, 1e12, &o.obs_hi);
        if (!bad && !(o.obs_lo <= o.observed && o.observed <= o.obs_hi)) {
            diag_add(d, t->file, c.r->line, "observed: %g is not within obs_lo %g .. obs_hi %g",
                     o.observed, o.obs_lo, o.obs_hi);
            bad = 1;
        }
        if (!valid_id(fld(&c, "metric"))) {
            diag_add(d, t->file, c.r->line, "metric: \"%s\" is not a name", fld(&c, "metric"));
            bad = 1;
        }
        if (bad || get_id(&c, "id", &o.id) != 0) continue;
        o.metric = get_text(&c, "metric");
        o.site = get_text(&c, "site");
        o.source = get_text(&c, "source");
        o.note = get_text(&c, "note");
        o.line = c.r->line;
        w->obs[w->nobs++] = o;
    }
}

static void load_tsunami(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->tsunami = xcalloc((size_t)t->nrow, sizeof *w->tsunami);
    ROWS(t, c, i) {
        Tsunami s = {0};
        int bad = get_ref(&c, "quake", w, world_find_quake, "an earthquake id", 0, &s.quake);
        bad |= get_ref(&c, "place", w, world_find_place, "a facility or demand-point id", 0, &s.place);
        bad |= get_num(&c, "depth_m", 0, 100, &s.depth_m);
        bad |= get_num(&c, "recede_h", 0, 8760, &s.recede_h);
        if (bad) continue;
        s.line = c.r->line;
        w->tsunami[w->ntsunami++] = s;
    }
}

static void load_grid(World *w, const Table *t, Diag *d)
{
    Ctx c = {d, t, NULL};
    w->feed = xcalloc((size_t)t->nrow, sizeof *w->feed);
    ROWS(t, c, i) {
        GridFeed g = {0};
        int bad = get_ref(&c, "area", w, world_find_area, "an area id (areas.csv)", 0, &g.area);
        bad |= get_ref(&c, "facility", w, world_find_facility, "a facility id", 0, &g.facility);
        bad |= get_num(&c, "share", 0, 1, &g.share);
        if (bad) continue;
        g.line = c.r->line;
        w->feed[w->nfeed++] = g;
    }
    for (int a = 0; a < w->narea; a++) {
        double sum = 0;
        int n = 0, last = 0;
        for (int j = 0; j < w->nfeed; j++)
            if (w->feed[j].area == a) { sum += w->feed[j].share; n++; last = w->feed[j].line; }
        if (n && fabs(sum - 1.0) > 0.01)
            diag_add(d, t->file, last, "share: the shares of area \"%s\" sum to %g, not 1",
                     w->area[a].id, sum);
    }
}

/* ---- scenario.json -------------------------------------------------------- */

typedef struct Json {
    const char *file;
    const char *text;
    Diag *d;
} Json;

/* Line of the first occurrence of "key" in the text, for value messages. */
static int json_line(const Json *j, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(j->text, pat);
    return p ? tio_line_of(j->text, (size_t)(p - j->text)) : 1;
}

static int json_num(const Json *j, const cJSON *obj, const char *key, const char *path,
                    double lo, double hi, int required, double def, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required) {
            diag_add(j->d, j->file, obj == NULL ? 1 : json_line(j, path[0] ? path : key),
                     "missing key \"%s%s%s\"", path, path[0] ? "." : "", key);
            return -1;
        }
        *out = def;
        return 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        diag_add(j->d, j->file, json_line(j, key), "%s%s%s: expected a number",
                 path, path[0] ? "." : "", key);
        return -1;
    }
    if (v->valuedouble < lo || v->valuedouble > hi) {
        diag_add(j->d, j->file, json_line(j, key), "%s%s%s: %g must be in [%g, %g]",
                 path, path[0] ? "." : "", key, v->valuedouble, lo, hi);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

static const char *json_str(const Json *j, const cJSON *obj, const char *key, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required) diag_add(j->d, j->file, 1, "missing key \"%s\"", key);
        return NULL;
    }
    if (!cJSON_IsString(v) || !v->valuestring) {
        diag_add(j->d, j->file, json_line(j, key), "%s: expected a string", key);
        return NULL;
    }
    return v->valuestring;
}

static const cJSON *json_obj(const Json *j, const cJSON *obj, const char *key, int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required) diag_add(j->d, j->file, 1, "missing key \"%s\"", key);
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        diag_add(j->d, j->file, json_line(j, key), "%s: expected an object", key);
        return NULL;
    }
    return v;
}

enum { T_AREAS, T_FRAGILITY, T_RESTORATION, T_EARTHQUAKES, T_FACILITIES, T_DEMAND,
       T_COMPONENTS, T_STOCK, T_LINKS, T_ASSETS, T_CONSUMPTION, T_TSUNAMI, T_GRID, T_VALIDATION,
       NTABLE };

static const char *const table_key[NTABLE] = {
    "areas", "fragility", "restoration", "earthquakes", "facilities", "demand",
    "components", "stock", "links", "assets", "consumption", "tsunami", "grid", "validation"};

static const char *const *table_required(int t)
{
    static const char *const areas[] = {"id", "name_en", "name_ja", "source", NULL};
    static const char *const frag[] = {"class", "ds", "param", "median", "beta", "source", NULL};
    static const char *const rest[] = {"class", "ds", "mean_days", "sd_days", "source", NULL};
    static const char *const quakes[] = {"id", "name_en", "name_ja", "mw", "lat", "lon", "depth_km",
        "fault_type", "strike_deg", "dip_deg", "length_km", "width_km", "top_km", "source", NULL};
    static const char *const fac[] = {"id", "name_en", "name_ja", "kind", "operator", "lat", "lon",
        "area", "avs30_ms", "liq_susceptibility", "gw_depth_m", "has_generator", "source", NULL};
    static const char *const dem[] = {"id", "name_en", "name_ja", "prefecture", "kind", "priority",
        "lat", "lon", "area", "avs30_ms", "liq_susceptibility", "gw_depth_m", "source", NULL};
    static const char *const comp[] = {"id", "facility", "kind", "fragility_class",
        "pgd_fragility_class", "restoration_class", "count", "rate_kl_h", "source", NULL};
    static const char *const stock[] = {"facility", "product", "tank_kl", "initial_kl",
        "output_kl_d", "source", NULL};
    static const char *const links[] = {"id", "mode", "from", "to", "distance_km", "time_h",
        "emergency_road", "fragility_class", "restoration_class", "clear_h", "source", NULL};
    static const char *const assets[] = {"id", "name_en", "name_ja", "type", "mode", "count",
        "capacity_kl", "products", "speed_kmh", "home", "lead_time_h", "load_rate_kl_h",
        "cost_per_km", "source", NULL};
    static const char *const use[] = {"point", "product", "when", "use_kl_d", "storage_kl",
        "initial_kl", "source", NULL};
    static const char *const tsu[] = {"quake", "place", "depth_m", "recede_h", "source", NULL};
    static const char *const grid[] = {"area", "facility", "share", "source", NULL};
    static const char *const val[] = {"id", "quake", "metric", "site", "param", "time_h",
        "observed", "obs_lo", "obs_hi", "source", NULL};
    static const char *const *const req[NTABLE] = {areas, frag, rest, quakes, fac, dem, comp,
        stock, links, assets, use, tsu, grid, val};
    return req[t];
}

/* Tables each table refers to: it is checked only when they loaded, so that
 * one broken table does not bury its own message under dangling references. */
static const unsigned table_needs[NTABLE] = {
    [T_FACILITIES] = 1u << T_AREAS | 1u << T_FRAGILITY,
    [T_DEMAND] = 1u << T_AREAS | 1u << T_FACILITIES,
    [T_COMPONENTS] = 1u << T_FACILITIES | 1u << T_FRAGILITY | 1u << T_RESTORATION,
    [T_STOCK] = 1u << T_FACILITIES,
    [T_LINKS] = 1u << T_FACILITIES | 1u << T_DEMAND | 1u << T_FRAGILITY | 1u << T_RESTORATION,
    [T_ASSETS] = 1u << T_FACILITIES | 1u << T_DEMAND,
    [T_CONSUMPTION] = 1u << T_DEMAND,
    [T_TSUNAMI] = 1u << T_EARTHQUAKES | 1u << T_FACILITIES | 1u << T_DEMAND,
    [T_GRID] = 1u << T_AREAS | 1u << T_FACILITIES,
    [T_VALIDATION] = 1u << T_EARTHQUAKES,
};

typedef void (*TableLoader)(World *, const Table *, Diag *);
static const TableLoader table_loader[NTABLE] = {
    load_areas, load_fragility, load_restoration, load_quakes, load_facilities, load_demand,
    load_components, load_stock, load_links, load_assets, load_consumption, load_tsunami,
    load_grid, load_validation};

/* hazard.trip_restart_h: a list of observed restart times (h), sorted here;
 * absent means the one value trip_inspection_h. */
static void load_restart_list(const Json *j, const cJSON *hz, HazardParams *h)
{
    h->ntrip_restart = 1;
    h->trip_restart_h[0] = h->trip_inspection_h;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(hz, "trip_restart_h");
    if (!a) return;
    int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
    if (n < 1 || n > HAZ_MAX_RESTART) {
        diag_add(j->d, j->file, json_line(j, "trip_restart_h"),
                 "hazard.trip_restart_h: expected a list of 1 to %d numbers", HAZ_MAX_RESTART);
        return;
    }
    int k = 0;
    for (const cJSON *e = a->child; e; e = e->next) {
        if (!cJSON_IsNumber(e) || !(e->valuedouble > 0 && e->valuedouble <= 8760)) {
            diag_add(j->d, j->file, json_line(j, "trip_restart_h"),
                     "hazard.trip_restart_h: every entry must be a number in (0, 8760]");
            return;
        }
        double v = e->valuedouble;
        int i = k++;
        while (i > 0 && h->trip_restart_h[i - 1] > v) { h->trip_restart_h[i] = h->trip_restart_h[i - 1]; i--; }
        h->trip_restart_h[i] = v;
    }
    h->ntrip_restart = k;
}

/* The hazard keys added for issue 14; all optional, and their defaults give
 * the model as it was before them (fixed trip level and restart, no fire,
 * liquefaction uncorrelated between sites). */
static void load_hazard_extra(const Json *j, const cJSON *hz, HazardParams *h)
{
    json_num(j, hz, "trip_pga_beta", "hazard", 0, 3, 0, 0, &h->trip_pga_beta);
    load_restart_list(j, hz, h);
    json_num(j, hz, "trip_restart_rho", "hazard", 0, 1, 0, 0, &h->trip_restart_rho);
    json_num(j, hz, "liq_corr_range_km", "hazard", 0, 1000, 0, 0, &h->liq_corr_range_km);
    json_num(j, hz, "liq_regional", "hazard", 0, 1, 0, 0, &h->liq_regional);
    json_num(j, hz, "tank_site_rho", "hazard", 0, 1, 0, 0, &h->tank_site_rho);
    /* fire_p's keys are damage-state names that appear elsewhere in the
     * file too: messages point at the fire_p line. */
    const cJSON *fp = json_obj(j, hz, "fire_p", 0);
    for (int k = DS_SLIGHT; k < NDS && fp; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(fp, world_ds_name[k]);
        if (!v) continue;
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 1))
            diag_add(j->d, j->file, json_line(j, "fire_p"), "hazard.fire_p.%s: expected a probability in [0, 1]",
                     world_ds_name[k]);
        else h->fire_p[k] = v->valuedouble;
    }
    json_num(j, hz, "fire_burn_h", "hazard", 0, 8760, 0, 72, &h->fire_burn_h);
    json_num(j, hz, "fire_burn_beta", "hazard", 0, 3, 0, 0, &h->fire_burn_beta);
    json_num(j, hz, "fire_restart_d", "hazard", 0, 3650, 0, 365, &h->fire_restart_d);
    json_num(j, hz, "fire_restart_beta", "hazard", 0, 3, 0, 0, &h->fire_restart_beta);
}

static void load_settings(World *w, const Json *j, const cJSON *root)
{
    Diag *d = j->d;
    const char *s;
    w->id = xstrdup((s = json_str(j, root, "id", 1)) ? s : "");
    w->name_en = xstrdup((s = json_str(j, root, "name_en", 0)) ? s : w->id);
    w->name_ja = xstrdup((s = json_str(j, root, "name_ja", 0)) ? s : w->name_en);
    if ((s = json_str(j, root, "notes", 0))) w->notes = xstrdup(s);
    json_num(j, root, "horizon_h", "", 1, 2160, 1, 0, &w->horizon_h);
    json_num(j, root, "request_threshold_days", "", 1e-3, 365, 1, 0, &w->request_threshold_d);

    const cJSON *cw = json_obj(j, root, "class_weights", 1);
    for (int k = 0; k < NCLASS && cw; k++) {
        char key[16];
        snprintf(key, sizeof key, "%d", k + 1);
        json_num(j, cw, key, "class_weights", 0, 1e9, 1, 0, &w->class_weight[k]);
    }
    const cJSON *cf = json_obj(j, root, "capacity_fraction", 1);
    for (int k = 0; k < NDS && cf; k++)
        json_num(j, cf, world_ds_name[k], "capacity_fraction", 0, 1, 1, 0, &w->capacity_fraction[k]);
    const cJSON *hz = json_obj(j, root, "hazard", 1);
    if (hz) {
        HazardParams *h = &w->hazard;
        json_num(j, hz, "sigma_between_ln", "hazard", 0, 3, 1, 0, &h->sigma_between_ln);
        json_num(j, hz, "sigma_within_ln", "hazard", 0, 3, 1, 0, &h->sigma_within_ln);
        json_num(j, hz, "corr_range_km", "hazard", 0.1, 1000, 1, 0, &h->corr_range_km);
        json_num(j, hz, "corr_range_pgv_km", "hazard", 0.1, 1000, 1, 0, &h->corr_range_pgv_km);
        json_num(j, hz, "trip_pga_g", "hazard", 0, 10, 1, 0, &h->trip_pga_g);
        json_num(j, hz, "trip_inspection_h", "hazard", 0, 8760, 1, 0, &h->trip_inspection_h);
        load_hazard_extra(j, hz, h);
    }
    const cJSON *bt = json_obj(j, root, "bcp_target_h", 0);
    for (const cJSON *e = bt ? bt->child : NULL; e; e = e->next) {
        int k = world_enum_lookup(world_comp_kind_name, NCOMPKIND, e->string);
        if (k < 0) {
            diag_add(d, j->file, json_line(j, e->string),
                     "bcp_target_h: \"%s\" is not a component kind", e->string);
            continue;
        }
        json_num(j, bt, e->string, "bcp_target_h", 0, 8760, 1, 0, &w->bcp_target_h[k]);
    }
}

/* ---- the first week (issue 15): first_week in scenario.json ---------------- */

static int wk_sec_line(const Json *j, const char *sec);

/* A [lo, hi] pair, 5% and 95% of a lognormal draw, 0 < lo <= hi <= max. */
static void json_range(const Json *j, const cJSON *obj, const char *key, double max, WkRange *out)
{
    const char *sec = obj->string ? obj->string : "";
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        diag_add(j->d, j->file, wk_sec_line(j, sec), "missing key \"first_week.%s.%s\"", sec, key);
        return;
    }
    const cJSON *a = cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 ? v->child : NULL;
    const cJSON *b = a ? a->next : NULL;
    if (!a || !cJSON_IsNumber(a) || !cJSON_IsNumber(b)) {
        diag_add(j->d, j->file, json_line(j, key), "first_week.%s.%s: expected [low, high]", sec, key);
        return;
    }
    double lo = a->valuedouble, hi = b->valuedouble;
    if (!(lo > 0 && lo <= hi && hi <= max)) {
        diag_add(j->d, j->file, json_line(j, key),
                 "first_week.%s.%s: [%g, %g] needs 0 < low <= high <= %g", sec, key, lo, hi, max);
        return;
    }
    out->lo = lo;
    out->hi = hi;
}

/* Line of section sec of first_week: where "sec" opens an object (the
 * switches use the same names). */
static int wk_sec_line(const Json *j, const char *sec)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\"", sec);
    for (const char *p = strstr(j->text, pat); p; p = strstr(p + 1, pat)) {
        const char *q = p + strlen(pat);
        while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n' || *q == ':') q++;
        if (*q == '{') return tio_line_of(j->text, (size_t)(p - j->text));
    }
    return json_line(j, sec);
}

/* A number of a first_week section; a missing key is reported at the
 * section's line. */
static void wk_num(const Json *j, const cJSON *o, const char *key, double lo, double hi, double *out)
{
    char path[64];
    snprintf(path, sizeof path, "first_week.%s", o->string ? o->string : "");
    if (!cJSON_GetObjectItemCaseSensitive(o, key)) {
        diag_add(j->d, j->file, wk_sec_line(j, o->string ? o->string : "first_week"),
                 "missing key \"%s.%s\"", path, key);
        return;
    }
    json_num(j, o, key, path, lo, hi, 1, 0, out);
}

/* A section of first_week: an object, or a message at first_week's line. */
static const cJSON *wk_section(const Json *j, const cJSON *fw, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(fw, key);
    if (!v) {
        diag_add(j->d, j->file, json_line(j, "first_week"), "missing key \"first_week.%s\"", key);
        return NULL;
    }
    if (!cJSON_IsObject(v)) {
        diag_add(j->d, j->file, json_line(j, key), "first_week.%s: expected an object", key);
        return NULL;
    }
    return v;
}

/* The switches: each mechanism of the first week is on (true) or off. */
static void wk_switches(const Json *j, const cJSON *sw, FirstWeek *k)
{
    /* permits and bridges came later and may be left out (off) */
    static const char *const name[] = {"variability", "request_chain", "roads", "rail_sea", "power",
                                       "permits", "bridges"};
    int *flag[] = {&k->variability, &k->chain, &k->roads, &k->rail_sea, &k->power, &k->permits, &k->bridges};
    for (int i = 0; i < 7; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(sw, name[i]);
        if (!v && i >= 5) continue;
        if (!v) {
            diag_add(j->d, j->file, json_line(j, "switches"), "missing key \"first_week.switches.%s\"", name[i]);
            continue;
        }
        if (!cJSON_IsBool(v)) {
            diag_add(j->d, j->file, json_line(j, name[i]), "first_week.switches.%s: expected true or false", name[i]);
            continue;
        }
        *flag[i] = cJSON_IsTrue(v);
    }
    for (const cJSON *e = sw->child; e; e = e->next)
        if (world_enum_lookup(name, 7, e->string) < 0)
            diag_add(j->d, j->file, json_line(j, e->string), "first_week.switches: \"%s\" is not a mechanism", e->string);
}

static void wk_chain(const Json *j, const cJSON *o, World *w)
{
    FirstWeek *k = &w->wk;
    json_range(j, o, "ministry_request_h", 720, &k->ministry_request_h);
    json_range(j, o, "joint_room_after_h", 720, &k->joint_room_after_h);
    json_range(j, o, "prefecture_to_agency_h", 240, &k->prefecture_to_agency_h);
    json_range(j, o, "agency_to_room_h", 240, &k->agency_to_room_h);
    json_range(j, o, "stockpile_release_h", 2160, &k->stockpile_release_h);
    double cls = 0;
    wk_num(j, o, "priority_max_class", 1, NCLASS, &cls);
    k->chain_max_class = (int)cls;
    if (cls != floor(cls))
        diag_add(j->d, j->file, json_line(j, "priority_max_class"),
                 "first_week.request_chain.priority_max_class: %g is not a whole number", cls);
    wk_num(j, o, "stockpile_days", 0, 365, &k->stockpile_days);
    const cJSON *sdf = wk_section(j, o, "sdf_draw_kl_d");
    for (const cJSON *e = sdf ? sdf->child : NULL; e; e = e->next) {
        int p = world_enum_lookup(world_product_name, NPROD, e->string);
        if (p < 0) {
            diag_add(j->d, j->file, json_line(j, e->string),
                     "first_week.request_chain.sdf_draw_kl_d: \"%s\" is not a product", e->string);
            continue;
        }
        json_num(j, sdf, e->string, "first_week.request_chain.sdf_draw_kl_d", 0, 1e6, 1, 0, &k->sdf_draw_kl_d[p]);
    }
    const cJSON *dl = cJSON_GetObjectItemCaseSensitive(o, "designated_depots");
    if (!cJSON_IsArray(dl) || cJSON_GetArraySize(dl) == 0) {
        diag_add(j->d, j->file, json_line(j, dl ? "designated_depots" : "request_chain"),
                 "first_week.request_chain.designated_depots: expected a list of facility ids");
        return;
    }
    k->designated = xcalloc((size_t)cJSON_GetArraySize(dl), sizeof(int));
    for (const cJSON *e = dl->child; e; e = e->next) {
        int f = cJSON_IsString(e) ? world_find_facility(w, e->valuestring) : -1;
        if (f < 0 || w->fac[f].kind == FAC_WAYPOINT || w->fac[f].kind == FAC_LNG_TERMINAL) {
            diag_add(j->d, j->file, json_line(j, cJSON_IsString(e) ? e->valuestring : "designated_depots"),
                     "first_week.request_chain.designated_depots: \"%s\" is not a refinery or depot id",
                     cJSON_IsString(e) ? e->valuestring : "?");
            continue;
        }
        k->designated[k->ndesignated++] = f;
    }
}

static void wk_sections(const Json *j, const cJSON *fw, World *w)
{
    FirstWeek *k = &w->wk;
    const cJSON *o;
    if ((o = wk_section(j, fw, "variability"))) {
        json_range(j, o, "travel_factor", 20, &k->travel_factor);
        json_range(j, o, "load_factor", 20, &k->load_factor);
        json_range(j, o, "demand_factor", 20, &k->demand_factor);
        json_range(j, o, "panic_multiplier", 20, &k->panic_multiplier);
        json_range(j, o, "panic_days", 90, &k->panic_days);
    }
    if ((o = wk_section(j, fw, "request_chain"))) wk_chain(j, o, w);
    if ((o = wk_section(j, fw, "roads"))) {
        wk_num(j, o, "centre_lat", -90, 90, &k->centre_lat);
        wk_num(j, o, "centre_lon", -180, 180, &k->centre_lon);
        json_range(j, o, "direction_open_h", 2160, &k->direction_open_h);
        json_range(j, o, "ordinary_clear_h", 2160, &k->ordinary_clear_h);
        json_range(j, o, "congestion_factor", 50, &k->congestion_factor);
        json_range(j, o, "congestion_days", 90, &k->congestion_days);
        wk_num(j, o, "traffic_control_h", 0, 2160, &k->traffic_control_h);
        wk_num(j, o, "controlled_factor", 1, 50, &k->controlled_factor);
        if (k->permits) wk_num(j, o, "detour_factor", 1, 50, &k->detour_factor);
        if (cJSON_GetObjectItemCaseSensitive(o, "control_pga_g"))
            wk_num(j, o, "control_pga_g", 0, 10, &k->control_pga_g);
    }
    if ((o = wk_section(j, fw, "rail_sea"))) {
        json_range(j, o, "rail_reopen_h", 2160, &k->rail_reopen_h);
        json_range(j, o, "fairway_clear_h", 2160, &k->fairway_clear_h);
        wk_num(j, o, "severe_pga_g", 0, 10, &k->severe_pga_g);
    }
    if ((o = wk_section(j, fw, "power"))) {
        json_range(j, o, "outage_h", 2160, &k->outage_h);
        json_range(j, o, "light_outage_h", 2160, &k->light_outage_h);
        wk_num(j, o, "lng_backup", 0, 1, &k->lng_backup);
        json_range(j, o, "plant_restart_h", 8760, &k->plant_restart_h);
        wk_num(j, o, "import_share", 0, 1, &k->import_share);
        wk_num(j, o, "restraint", 0.1, 1, &k->restraint);
    }
}

/* The optional first_week object; read after the tables (designated depots
 * are facility ids). */
static void load_first_week(World *w, const Json *j, const cJSON *root, int have_facilities)
{
    const cJSON *fw = json_obj(j, root, "first_week", 0);
    if (!fw) return;
    const cJSON *sw = wk_section(j, fw, "switches");
    if (sw) wk_switches(j, sw, &w->wk);
    if (w->wk.permits && !w->wk.roads)
        diag_add(j->d, j->file, json_line(j, "permits"),
                 "first_week.switches.permits: needs roads (the traffic control window is there)");
    if (have_facilities) wk_sections(j, fw, w);
}

static World *load(const Src *s0, Diag *d)
{
    int errors0 = d->total;
    World *w = xcalloc(1, sizeof *w);
    Src src = *s0;
    src.w = w;
    const Src *s = &src;
    char *jfile = src_path(s, "scenario.json");
    char *buf = NULL;
    size_t len = 0;
    w->dir = xstrdup(s->dir ? s->dir : "");
    w->default_quake = -1;
    if (src_read(s, "scenario.json", &buf, &len, d, NULL, 0) != 0) goto done;
    char *text = text_start(buf, &len, jfile, d);
    if (!text) goto done;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        diag_add(d, jfile, tio_line_of(text, off), "JSON syntax error");
        goto done;
    }
    Json j = {jfile, text, d};
    if (!cJSON_IsObject(root)) {
        diag_add(d, jfile, 1, "expected a JSON object");
        cJSON_Delete(root);
        goto done;
    }
    load_settings(w, &j, root);

    const cJSON *tabs = json_obj(&j, root, "tables", 1);
    Table tab[NTABLE];
    memset(tab, 0, sizeof tab);
    unsigned loaded = 0;
    for (int t = 0; t < NTABLE; t++) {
        const char *name = tabs ? json_str(&j, tabs, table_key[t], 0) : NULL;
        if (!name) {
            if (tabs && t != T_TSUNAMI && t != T_VALIDATION &&
                !cJSON_GetObjectItemCaseSensitive(tabs, table_key[t]))
                diag_add(d, jfile, json_line(&j, "tables"), "tables: missing key \"%s\"", table_key[t]);
            continue;
        }
        const char *why = src_check_name(s, name);
        if (why) {
            diag_add(d, jfile, json_line(&j, table_key[t]), "tables.%s: \"%s\" %s", table_key[t], name, why);
            continue;
        }
        tab_load(&tab[t], s, name, table_required(t), d, jfile, json_line(&j, table_key[t]));
        if (tab[t].ok && (loaded & table_needs[t]) == table_needs[t]) {
            table_loader[t](w, &tab[t], d);
            loaded |= 1u << t;
        }
    }
    load_first_week(w, &j, root, (loaded >> T_FACILITIES) & 1u);
    if (w->notes) {
        const char *why = src_check_name(s, w->notes);
        if (why) diag_add(d, jfile, json_line(&j, "notes"), "notes: \"%s\" %s", w->notes, why);
    }
    const char *dq = json_str(&j, root, "default_quake", 1);
    if (dq && tab[T_EARTHQUAKES].ok) {
        w->default_quake = world_find_quake(w, dq);
        if (w->default_quake < 0)
            diag_add(d, jfile, json_line(&j, "default_quake"),
                     "default_quake: \"%s\" is not an earthquake id", dq);
    }
    for (int t = 0; t < NTABLE; t++) tio_table_free(&tab[t]);
    cJSON_Delete(root);
done:
    free(buf);
    free(jfile);
    if (d->total > errors0) {
        world_free(w);
        return NULL;
    }
    world_set_fingerprint(w);
    return w;
}

World *scn_load(const char *dir, Diag *d)
{
    Src s = {0};
    s.dir = dir;
    s.realdir = realpath(dir, NULL);
    if (!s.realdir) {
        diag_add(d, dir, 0, "cannot open scenario folder: %s", strerror(errno));
        return NULL;
    }
    World *w = load(&s, d);
    free(s.realdir);
    return w;
}

World *scn_load_mem(const char *const *names, const char *const *data,
                    const size_t *len, int nfiles, Diag *d)
{
    Src s = {0};
    s.names = names;
    s.data = data;
    s.len = len;
    s.nfiles = nfiles;
    return load(&s, d);
}
