/* The trace contract (trace.h): the table of row kinds, the one writer of
 * trace.csv rows and the one reader of them. The grammar of every detail
 * field is written and read here only. */
#include "trace.h"

#include "restore.h"
#include "util.h"
#include "world.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const trc_field_name[TRC_NFIELD] = {
    "time_h", "kind", "asset", "facility", "product", "kl", "detail"};

const TrcKindInfo trc_kind[NTRCKIND] = {
    [TRC_EARTHQUAKE]  = {"earthquake", TRC_DETAIL_QUAKE, NULL},
    [TRC_DAMAGE]      = {"damage", TRC_DETAIL_DAMAGE, NULL},
    [TRC_RESTORATION] = {"restoration", TRC_DETAIL_ID, NULL},
    [TRC_MOBILISE]    = {"mobilise", TRC_DETAIL_ID, NULL},
    [TRC_MOBILISED]   = {"mobilised", TRC_DETAIL_ID, NULL},
    [TRC_DISPATCH]    = {"dispatch", TRC_DETAIL_ID, NULL},
    [TRC_ARRIVE]      = {"arrive", TRC_DETAIL_FLAG, "at source"},
    [TRC_LOAD_START]  = {"load_start", TRC_DETAIL_NONE, NULL},
    [TRC_LOAD_END]    = {"load_end", TRC_DETAIL_NONE, NULL},
    [TRC_DEPART]      = {"depart", TRC_DETAIL_ID, NULL},
    [TRC_UNLOAD]      = {"unload", TRC_DETAIL_NONE, NULL},
    [TRC_REFILL]      = {"refill", TRC_DETAIL_NONE, NULL},
    [TRC_RETURN]      = {"return", TRC_DETAIL_NONE, NULL},
    [TRC_DRY]         = {"dry", TRC_DETAIL_NONE, NULL},
    [TRC_REQUEST]     = {"request", TRC_DETAIL_FLAG, "bulk"},
    [TRC_MINISTRY_REQUEST] = {"ministry_request", TRC_DETAIL_NONE, NULL},
    [TRC_JOINT_ROOM]  = {"joint_room", TRC_DETAIL_NONE, NULL},
    [TRC_RELAY]       = {"relay", TRC_DETAIL_NONE, NULL},
    [TRC_STOCKPILE]   = {"stockpile", TRC_DETAIL_NONE, NULL},
    [TRC_ROUTE_OPEN]  = {"route_open", TRC_DETAIL_ID, NULL},
    [TRC_FIRE]        = {"fire", TRC_DETAIL_FIRE, NULL},
    [TRC_DECISION]    = {"decision", TRC_DETAIL_DECISION, NULL},
    [TRC_PERMIT]      = {"permit", TRC_DETAIL_ID, NULL},
    [TRC_CONTROL_END] = {"control_end", TRC_DETAIL_NONE, NULL},
};

const char *const trc_action_name[NTRCACT] = {
    "mobilise", "reserve", "priority", "close", "open", "release", "policy"};
const char *const trc_policy_name[2] = {"greedy", "optimise"};

TrcRow trc_row(double t, TrcKind kind, const char *place)
{
    TrcRow r;
    memset(&r, 0, sizeof r);
    r.time_h = t;
    r.kind = kind;
    r.place = place;
    r.product = -1;
    return r;
}

/* ---- writer ------------------------------------------------------------------ */

void trc_write_header(FILE *f)
{
    for (int i = 0; i < TRC_NFIELD; i++) fprintf(f, "%s%c", trc_field_name[i], i + 1 < TRC_NFIELD ? ',' : '\n');
}

static void write_detail(FILE *f, const TrcRow *r)
{
    const char *item = r->item ? r->item : "";
    switch (trc_kind[r->kind].detail) {
    case TRC_DETAIL_NONE: break;
    case TRC_DETAIL_ID: fputs(item, f); break;
    case TRC_DETAIL_FLAG: if (r->flag) fputs(trc_kind[r->kind].word, f); break;
    case TRC_DETAIL_QUAKE: fprintf(f, "%s Mw %.1f", item, r->mw); break;
    case TRC_DETAIL_DAMAGE:
        if (r->is_link)
            fprintf(f, "%s %s closed (%s)", item, world_mode_name[r->mode], rst_gate_name[r->gate]);
        else
            fprintf(f, "%s %s %s capacity %.2f", item, world_comp_kind_name[r->comp_kind],
                    world_ds_name[r->ds], r->cap);
        /* what else holds it back (power, fairway, inspection...): the reason
         * an undamaged component is unusable */
        if (!r->is_link && r->gate > RST_GATE_REPAIR && r->gate < NRSTGATE)
            fprintf(f, " (%s)", rst_gate_name[r->gate]);
        break;
    case TRC_DETAIL_FIRE: fprintf(f, "out %.1f restart %.1f", r->out_h, r->back_h); break;
    case TRC_DETAIL_DECISION:
        fprintf(f, "#%d %s %s ", r->dec_no, trc_action_name[r->action], item[0] ? item : "-");
        if (r->action == TRC_ACT_RESERVE || r->action == TRC_ACT_PRIORITY) fprintf(f, "%d", (int)r->value);
        else if (r->action == TRC_ACT_RELEASE) fprintf(f, "%.3f", r->value);
        else if (r->action == TRC_ACT_POLICY) fputs(trc_policy_name[(int)r->value != 0], f);
        else fputc('-', f);
        break;
    }
}

/* A line being put together in a fixed buffer; full when it did not fit. */
typedef struct Line {
    char s[512];
    size_t n;
    int full;
} Line;

static void put(Line *l, const char *s, size_t k)
{
    if (l->n + k >= sizeof l->s) { l->full = 1; return; }
    memcpy(l->s + l->n, s, k);
    l->n += k;
}

static void put_str(Line *l, const char *s) { put(l, s, strlen(s)); }

static void put_fixed(Line *l, double v, int prec)
{
    char b[64];
    int k = fmt_fixed(b, sizeof b, v, prec);
    if (k < 0 || (size_t)k >= sizeof b) l->full = 1;
    else put(l, b, (size_t)k);
}

/* The rows of a trip, a request or a refill, which are all but a few
 * hundred of a run's tens of thousands: the line put together here and
 * written at once, the bytes of the general writer below without printf's
 * cost. 0 when written, -1 for a row the general writer takes. */
static int write_plain(FILE *f, const TrcRow *r)
{
    TrcDetail d = trc_kind[r->kind].detail;
    if (d != TRC_DETAIL_NONE && d != TRC_DETAIL_ID && d != TRC_DETAIL_FLAG) return -1;
    Line l;
    l.n = 0;
    l.full = 0;
    put_fixed(&l, r->time_h, 4);
    put(&l, ",", 1);
    put_str(&l, trc_kind[r->kind].name);
    put(&l, ",", 1);
    if (r->asset && r->asset[0]) {
        char u[16];
        put_str(&l, r->asset);
        put(&l, u, (size_t)snprintf(u, sizeof u, "#%d", r->unit));
    }
    put(&l, ",", 1);
    put_str(&l, r->place ? r->place : "");
    put(&l, ",", 1);
    put_str(&l, r->product >= 0 ? world_product_name[r->product] : "");
    put(&l, ",", 1);
    if (r->kl > 0) put_fixed(&l, r->kl, 3);
    put(&l, ",", 1);
    if (d == TRC_DETAIL_ID) put_str(&l, r->item ? r->item : "");
    else if (d == TRC_DETAIL_FLAG && r->flag) put_str(&l, trc_kind[r->kind].word);
    put(&l, "\n", 1);
    if (l.full) return -1;
    fwrite(l.s, 1, l.n, f);
    return 0;
}

void trc_write(FILE *f, const TrcRow *r)
{
    assert(r->kind >= 0 && r->kind < NTRCKIND);
    assert(r->product >= -1 && r->product < NPROD);
    if (write_plain(f, r) == 0) return;
    fprintf(f, "%.4f,%s,", r->time_h, trc_kind[r->kind].name);
    if (r->asset && r->asset[0]) fprintf(f, "%s#%d", r->asset, r->unit);
    fprintf(f, ",%s,%s,", r->place ? r->place : "", r->product >= 0 ? world_product_name[r->product] : "");
    if (r->kl > 0) fprintf(f, "%.3f", r->kl);
    fputc(',', f);
    write_detail(f, r);
    fputc('\n', f);
}

/* ---- reader ------------------------------------------------------------------ */

static int fail(char *err, size_t errlen, const char *what, const char *text)
{
    snprintf(err, errlen, "%s \"%s\"", what, text);
    return -1;
}

/* A whole field as a number. Plain decimals ("336.0000", "-16.500"), all
 * the writer prints, are read without strtod: up to 15 digits are an
 * integer a double holds exactly, and one division by an exact power of
 * ten rounds as strtod does (Clinger's fast path). Anything else is
 * strtod's. */
static int number(const char *s, double *v)
{
    static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                   1e13, 1e14, 1e15};
    const char *p = s + (*s == '-');
    uint64_t m = 0;
    int nd = 0, frac = 0, dot = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++nd > 15) break;
            m = m * 10 + (uint64_t)(*p - '0');
            frac += dot;
        } else if (*p == '.' && !dot) {
            dot = 1;
        } else {
            break;
        }
    }
    if (!*p && nd > 0) {
        double x = (double)m / p10[frac];
        *v = *s == '-' ? -x : x;
        return 0;
    }
    char *end;
    *v = strtod(s, &end);
    return end == s || *end ? -1 : 0;
}

/* Split s at single spaces in place; returns the number of words (at most max). */
static int words(char *s, char **w, int max)
{
    int n = 0;
    if (!*s) return 0;
    w[n++] = s;
    for (char *p = s; *p; p++)
        if (*p == ' ') {
            if (n == max) return max + 1;
            *p = 0;
            w[n++] = p + 1;
        }
    return n;
}

static int parse_damage(char *d, TrcRow *r, char *err, size_t errlen)
{
    char *w[6];
    char copy[160];
    snprintf(copy, sizeof copy, "%s", d);
    int n = words(d, w, 6);
    if ((n == 5 || n == 6) && !strcmp(w[3], "capacity")) {
        r->comp_kind = world_enum_lookup(world_comp_kind_name, NCOMPKIND, w[1]);
        r->ds = world_enum_lookup(world_ds_name, NDS, w[2]);
        r->gate = RST_GATE_NONE;
        if (n == 6) {
            size_t gl = strlen(w[5]);
            int g = -1;
            if (gl > 2 && w[5][0] == '(' && w[5][gl - 1] == ')') {
                w[5][gl - 1] = 0;
                g = world_enum_lookup(rst_gate_name, NRSTGATE, w[5] + 1);
            }
            if (g <= RST_GATE_REPAIR) r->comp_kind = -1;   /* not a reason: reject the row */
            else r->gate = g;
        }
        if (r->comp_kind >= 0 && r->ds >= 0 && number(w[4], &r->cap) == 0) {
            r->item = w[0];
            return 0;
        }
    } else if (n == 4 && !strcmp(w[2], "closed")) {
        size_t gl = strlen(w[3]);
        r->mode = world_enum_lookup(world_mode_name, NMODE, w[1]);
        if (gl > 2 && w[3][0] == '(' && w[3][gl - 1] == ')') {
            w[3][gl - 1] = 0;
            r->gate = world_enum_lookup(rst_gate_name, NRSTGATE, w[3] + 1);
        } else r->gate = -1;
        if (r->mode >= 0 && r->gate >= 0) {
            r->is_link = 1;
            r->item = w[0];
            return 0;
        }
    }
    return fail(err, errlen, "damage detail is neither \"COMP KIND STATE capacity X\" nor \"LINK MODE closed (GATE)\":", copy);
}

/* "#N ACTION TARGET VALUE" (trace.h). */
static int parse_decision(char *d, TrcRow *r, char *err, size_t errlen)
{
    char copy[160], *w[5], *end;
    snprintf(copy, sizeof copy, "%s", d);
    if (words(d, w, 4) != 4 || w[0][0] != '#') goto bad;
    long no = strtol(w[0] + 1, &end, 10);
    r->action = world_enum_lookup(trc_action_name, NTRCACT, w[1]);
    if (end == w[0] + 1 || *end || no < 1 || no > 1000000 || r->action < 0) goto bad;
    r->dec_no = (int)no;
    r->item = strcmp(w[2], "-") ? w[2] : "";
    r->value = 0;
    if (r->action == TRC_ACT_POLICY) {
        int p = world_enum_lookup(trc_policy_name, 2, w[3]);
        if (p < 0) goto bad;
        r->value = p;
    } else if (strcmp(w[3], "-") && number(w[3], &r->value) != 0) {
        goto bad;
    }
    return 0;
bad:
    return fail(err, errlen, "decision detail is not \"#N ACTION TARGET VALUE\":", copy);
}

static int parse_detail(char *d, TrcRow *r, char *err, size_t errlen)
{
    const TrcKindInfo *k = &trc_kind[r->kind];
    char *w[3];
    switch (k->detail) {
    case TRC_DETAIL_NONE:
        if (*d) return fail(err, errlen, "unexpected detail", d);
        return 0;
    case TRC_DETAIL_ID:
        if (!*d || strchr(d, ' ')) return fail(err, errlen, "detail is not one id:", d);
        r->item = d;
        return 0;
    case TRC_DETAIL_FLAG:
        if (*d && strcmp(d, k->word) != 0) return fail(err, errlen, "unexpected detail", d);
        r->flag = *d != 0;
        return 0;
    case TRC_DETAIL_QUAKE: {
        char copy[160];
        snprintf(copy, sizeof copy, "%s", d);
        if (words(d, w, 3) != 3 || strcmp(w[1], "Mw") != 0 || number(w[2], &r->mw) != 0)
            return fail(err, errlen, "earthquake detail is not \"QUAKE Mw M\":", copy);
        r->item = w[0];
        return 0;
    }
    case TRC_DETAIL_DAMAGE:
        return parse_damage(d, r, err, errlen);
    case TRC_DETAIL_FIRE: {
        char copy[160], *f[5];
        snprintf(copy, sizeof copy, "%s", d);
        if (words(d, f, 4) != 4 || strcmp(f[0], "out") != 0 || strcmp(f[2], "restart") != 0 ||
            number(f[1], &r->out_h) != 0 || number(f[3], &r->back_h) != 0)
            return fail(err, errlen, "fire detail is not \"out H restart H\":", copy);
        return 0;
    }
    case TRC_DETAIL_DECISION:
        return parse_decision(d, r, err, errlen);
    }
    return fail(err, errlen, "unknown detail grammar for", k->name);
}

int trc_kind_find(const char *name)
{
    for (int k = 0; k < NTRCKIND; k++)
        if (trc_kind[k].name[0] == name[0] && strcmp(trc_kind[k].name, name) == 0) return k;
    return -1;
}

int trc_parse_fields(char *const f[TRC_NFIELD], TrcRow *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->product = -1;
    r->asset = r->place = r->item = "";
    if (number(f[TRC_F_TIME], &r->time_h) != 0) return fail(err, errlen, "time is not a number:", f[TRC_F_TIME]);
    int k = trc_kind_find(f[TRC_F_KIND]);
    if (k < 0) return fail(err, errlen, "unknown kind", f[TRC_F_KIND]);
    r->kind = (TrcKind)k;
    char *a = f[TRC_F_ASSET];
    if (*a) {
        char *hash = strrchr(a, '#'), *end;
        long u = hash ? strtol(hash + 1, &end, 10) : 0;
        if (!hash || hash == a || end == hash + 1 || *end || u < 1 || u > 1000000)
            return fail(err, errlen, "asset is not FLEET#N:", a);
        *hash = 0;
        r->asset = a;
        r->unit = (int)u;
    }
    r->place = f[TRC_F_FACILITY];
    if (f[TRC_F_PRODUCT][0]) {
        r->product = world_enum_lookup(world_product_name, NPROD, f[TRC_F_PRODUCT]);
        if (r->product < 0) return fail(err, errlen, "unknown product", f[TRC_F_PRODUCT]);
    }
    if (f[TRC_F_KL][0] && number(f[TRC_F_KL], &r->kl) != 0)
        return fail(err, errlen, "kl is not a number:", f[TRC_F_KL]);
    return parse_detail(f[TRC_F_DETAIL], r, err, errlen);
}

int trc_parse_line(char *line, TrcRow *r, char *err, size_t errlen)
{
    char *f[TRC_NFIELD];
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r') line[len - 1] = 0;
    int n = 0;
    f[n++] = line;
    /* the detail, last, keeps any commas */
    for (char *p = line; *p && n < TRC_NFIELD; p++)
        if (*p == ',') { *p = 0; f[n++] = p + 1; }
    if (n != TRC_NFIELD) {
        snprintf(err, errlen, "expected %d fields, found %d", TRC_NFIELD, n);
        return -1;
    }
    return trc_parse_fields(f, r, err, errlen);
}
