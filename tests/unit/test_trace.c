/* The trace contract: every kind written through trc_write reads back
 * through trc_parse_line with the same typed fields, the text is the
 * trace.csv wording the drill and report were built on, and rows that do
 * not follow the grammar give -1 with a message. */
#include "check.h"
#include "restore.h"
#include "trace.h"
#include "util.h"
#include "world.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row of kind k with every field its grammar carries set. */
static TrcRow sample(TrcKind k)
{
    TrcRow r = trc_row(12.5 + k, k, "ref_a");
    switch (trc_kind[k].detail) {
    case TRC_DETAIL_NONE: break;
    case TRC_DETAIL_ID: r.item = "item_x"; break;
    case TRC_DETAIL_FLAG: r.flag = 1; break;
    case TRC_DETAIL_QUAKE: r.item = "quake_q"; r.mw = 7.3; break;
    case TRC_DETAIL_DAMAGE:
        r.item = "comp_c"; r.comp_kind = COMP_BERTH; r.ds = DS_EXTENSIVE; r.cap = 0.25;
        break;
    case TRC_DETAIL_FIRE: r.out_h = 72.5; r.back_h = 8832.5; break;
    case TRC_DETAIL_DECISION: r.dec_no = 2; r.action = TRC_ACT_RELEASE; r.item = "ref_a:diesel"; r.value = 250; break;
    }
    if (k != TRC_EARTHQUAKE && k != TRC_DAMAGE) {
        r.asset = "lorry_pool"; r.unit = 3; r.product = PROD_DIESEL; r.kl = 16.5;
    }
    return r;
}

static char *written(const TrcRow *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    trc_write(f, r);
    fclose(f);
    return text;
}

static int same_row(const TrcRow *a, const TrcRow *b);

/* 1 when r is written as line (newline included) and that reads back as r. */
static int writes_and_reads_back(const TrcRow *r, const char *line)
{
    char *text = written(r), err[200] = "";
    TrcRow back;
    int ok = strcmp(text, line) == 0;
    if (ok) {
        text[strlen(text) - 1] = 0;
        ok = trc_parse_line(text, &back, err, sizeof err) == 0 && same_row(r, &back);
    }
    if (!ok) fprintf(stderr, "    %s: %s", err, text);
    free(text);
    return ok;
}

static int same_row(const TrcRow *a, const TrcRow *b)
{
    const char *ai = a->item ? a->item : "", *aa = a->asset ? a->asset : "";
    return a->kind == b->kind && fabs(a->time_h - b->time_h) < 1e-9 && !strcmp(aa, b->asset) &&
           a->unit == b->unit && !strcmp(a->place, b->place) && a->product == b->product &&
           fabs(a->kl - b->kl) < 1e-9 && !strcmp(ai, b->item) && a->flag == b->flag &&
           fabs(a->mw - b->mw) < 1e-9 && a->is_link == b->is_link && a->comp_kind == b->comp_kind &&
           a->ds == b->ds && fabs(a->cap - b->cap) < 1e-9 && a->mode == b->mode && a->gate == b->gate &&
           fabs(a->out_h - b->out_h) < 1e-9 && fabs(a->back_h - b->back_h) < 1e-9 &&
           a->dec_no == b->dec_no && a->action == b->action && fabs(a->value - b->value) < 1e-9;
}

TEST(every_kind_reads_back_as_written)
{
    for (int k = 0; k < NTRCKIND; k++) {
        TrcRow r = sample((TrcKind)k), back;
        char *text = written(&r), err[200] = "";
        size_t n = strlen(text);
        CHECK(n > 0 && text[n - 1] == '\n');
        text[n - 1] = 0;
        CHECK(trc_parse_line(text, &back, err, sizeof err) == 0);
        if (!same_row(&r, &back)) fprintf(stderr, "    kind %s: %s\n", trc_kind[k].name, err);
        CHECK(same_row(&r, &back));
        free(text);
    }
}

TEST(kinds_are_found_by_their_name_only)
{
    for (int k = 0; k < NTRCKIND; k++) CHECK(trc_kind_find(trc_kind[k].name) == k);
    CHECK(trc_kind_find("dispatch") == TRC_DISPATCH);
    CHECK(trc_kind_find("") == -1);
    CHECK(trc_kind_find("Dispatch") == -1);
    CHECK(trc_kind_find("dispatch ") == -1);
    CHECK(trc_kind_find("kind") == -1);
}

/* A deterministic stream of 64-bit numbers for the cases below. */
static uint64_t mix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int same_as_printf(double v, int prec)
{
    char a[512], b[512];
    int ka = fmt_fixed(a, sizeof a, v, prec), kb = snprintf(b, sizeof b, "%.*f", prec, v);
    if (ka == kb && strcmp(a, b) == 0) return 1;
    fprintf(stderr, "    %.17g at %d: \"%s\", printf \"%s\"\n", v, prec, a, b);
    return 0;
}

/* fmt_fixed is printf's %.Nf: random values of every scale, exact ties
 * (k / 2^m) which round to even, signs, zeros, the edges of its own range. */
TEST(fixed_point_numbers_are_printfs)
{
    uint64_t x = 42;
    int bad = 0;
    for (int i = 0; i < 300000 && bad < 5; i++) {
        uint64_t u = mix(&x);
        int prec = (int)(u % 7);
        double unit = (double)(mix(&x) >> 11) / 9007199254740992.0;   /* [0, 1) */
        double scale = pow(10.0, (double)(int)(mix(&x) % 21) - 6);    /* 1e-6 .. 1e14 */
        double v = unit * scale * ((u >> 8) & 1 ? -1 : 1);
        double tie = (double)(mix(&x) % 4000000) / (double)(1u << (1 + mix(&x) % 20));
        bad += !same_as_printf(v, prec);
        bad += !same_as_printf(tie, prec);
        bad += !same_as_printf(-tie, prec);
        bad += !same_as_printf(ldexp((double)(u >> 11), -(int)(mix(&x) % 80)), prec);
    }
    CHECK(bad == 0);
    static const double edge[] = {0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 0.03125, 1e-300, -1e-300, 5e-324,
                                  0.99995, 0.00005, 336.00005, 1e15 - 1, 999999999999999.9, 1e15, 1e300,
                                  -1e15, 123456.0005, 4503599627370495.5, 0.1, 0.2, 0.3};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
        for (int p = 0; p <= 6; p++) CHECK(same_as_printf(edge[i], p));
    CHECK(same_as_printf(NAN, 4) && same_as_printf(INFINITY, 3) && same_as_printf(-INFINITY, 0));
    char small[4];
    CHECK(fmt_fixed(small, sizeof small, 12.5, 2) == 5 && strcmp(small, "12.") == 0);   /* as snprintf cuts */
}

/* The general writer, printf for every field: what trace.csv was before
 * the line of a trip, a request or a refill was put together by hand. */
static void write_by_printf(FILE *f, const TrcRow *r)
{
    fprintf(f, "%.4f,%s,", r->time_h, trc_kind[r->kind].name);
    if (r->asset && r->asset[0]) fprintf(f, "%s#%d", r->asset, r->unit);
    fprintf(f, ",%s,%s,", r->place ? r->place : "", r->product >= 0 ? world_product_name[r->product] : "");
    if (r->kl > 0) fprintf(f, "%.3f", r->kl);
    fputc(',', f);
    const char *item = r->item ? r->item : "";
    if (trc_kind[r->kind].detail == TRC_DETAIL_ID) fputs(item, f);
    if (trc_kind[r->kind].detail == TRC_DETAIL_FLAG && r->flag) fputs(trc_kind[r->kind].word, f);
    fputc('\n', f);
}

TEST(trip_and_request_rows_are_the_printf_bytes)
{
    static const char *const ids[] = {"", "ref_a", "lorry_pool", "hub_T01", NULL};
    char longid[700];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    uint64_t x = 7;
    int bad = 0, n = 0;
    for (int i = 0; i < 40000 && bad < 5; i++) {
        TrcKind k = (TrcKind)(mix(&x) % NTRCKIND);
        TrcDetail d = trc_kind[k].detail;
        if (d != TRC_DETAIL_NONE && d != TRC_DETAIL_ID && d != TRC_DETAIL_FLAG) continue;
        n++;
        TrcRow r = trc_row((double)(mix(&x) % 3360000) / 10000.0 + (double)(mix(&x) % 1000) * 1e-9, k,
                           ids[mix(&x) % 5]);
        r.asset = i % 97 == 0 ? longid : ids[mix(&x) % 5];
        r.unit = (int)(mix(&x) % 300);
        r.product = (int)(mix(&x) % (NPROD + 1)) - 1;
        uint64_t kk = mix(&x) % 4;
        r.kl = kk == 0 ? 0 : kk == 1 ? -3 : kk == 2 ? (double)(mix(&x) % 100000000) / 1000.0
                                                     : (double)(mix(&x) % 1000000) / 64.0;
        r.item = i % 89 == 0 ? longid : ids[mix(&x) % 5];
        r.flag = (int)(mix(&x) & 1);
        char *a = NULL, *b = NULL;
        size_t la = 0, lb = 0;
        FILE *fa = open_memstream(&a, &la), *fb = open_memstream(&b, &lb);
        trc_write(fa, &r);
        write_by_printf(fb, &r);
        fclose(fa);
        fclose(fb);
        if (la != lb || memcmp(a, b, la) != 0) {
            bad++;
            fprintf(stderr, "    %s    %s", a, b);
        }
        free(a);
        free(b);
    }
    CHECK(bad == 0);
    CHECK(n > 10000);
}

/* The reader's numbers are strtod's: plain decimals of every length (its
 * own fast path up to 15 digits), signs, and what only strtod reads. */
TEST(times_read_as_strtod_reads_them)
{
    uint64_t x = 99;
    int bad = 0;
    char num[64], line[256], err[200];
    for (int i = 0; i < 200000 && bad < 5; i++) {
        uint64_t u = mix(&x);
        int nd = 1 + (int)(u % 19), dot = (int)((u >> 8) % (nd + 2)), k = 0;
        if ((u >> 16) & 1) num[k++] = '-';
        for (int j = 0; j < nd; j++) {
            if (j == dot) num[k++] = '.';
            num[k++] = (char)('0' + mix(&x) % 10);
        }
        if (dot == nd) num[k++] = '.';
        num[k] = 0;
        snprintf(line, sizeof line, "%s,dispatch,lorry_a#1,ref_a,diesel,%s,stn_s", num, num);
        TrcRow r;
        double want = strtod(num, NULL);
        if (trc_parse_line(line, &r, err, sizeof err) != 0 || memcmp(&r.time_h, &want, sizeof want) != 0 ||
            memcmp(&r.kl, &want, sizeof want) != 0) {
            bad++;
            fprintf(stderr, "    %s: %.17g, strtod %.17g\n", num, r.time_h, want);
        }
    }
    CHECK(bad == 0);
    static const char *const odd[] = {"1e3", "+4.5", " 7", "0x10", "-0.0000", ".5", "5.", "inf", "336.0000",
                                      "0.00005", "99999999999999.99"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        snprintf(line, sizeof line, "%s,dry,,stn_s,diesel,,", odd[i]);
        TrcRow r;
        double want = strtod(odd[i], NULL);
        CHECK(trc_parse_line(line, &r, err, sizeof err) == 0 && memcmp(&r.time_h, &want, sizeof want) == 0);
    }
    static const char *const notnum[] = {"", "-", ".", "-.", "1.2.3", "12a", "1 5"};
    for (size_t i = 0; i < sizeof notnum / sizeof *notnum; i++) {
        snprintf(line, sizeof line, "%s,dry,,stn_s,diesel,,", notnum[i]);
        TrcRow r;
        CHECK(trc_parse_line(line, &r, err, sizeof err) == -1);
    }
}

TEST(link_damage_reads_back_as_written)
{
    TrcRow r = trc_row(0, TRC_DAMAGE, "ter_b");
    r.item = "sea_x"; r.is_link = 1; r.mode = MODE_SEA; r.gate = RST_GATE_CLEARANCE;
    CHECK(writes_and_reads_back(&r, "0.0000,damage,,ter_b,,,sea_x sea closed (clearance)\n"));
}

TEST(component_held_back_by_another_gate_reads_back_with_its_reason)
{
    TrcRow r = trc_row(0, TRC_DAMAGE, "ref_a");
    r.item = "proc_a"; r.comp_kind = COMP_PROCESS; r.ds = DS_NONE; r.cap = 0; r.gate = RST_GATE_TRIP;
    CHECK(writes_and_reads_back(&r, "0.0000,damage,,ref_a,,,proc_a process none capacity 0.00 (trip)\n"));
    /* its own repair is no extra reason: not written */
    r.gate = RST_GATE_REPAIR; r.ds = DS_MODERATE;
    char *text = written(&r);
    CHECK(!strcmp(text, "0.0000,damage,,ref_a,,,proc_a process moderate capacity 0.00\n"));
    free(text);
}

TEST(rows_keep_the_trace_csv_wording)
{
    TrcRow r = sample(TRC_DAMAGE);
    char *t = written(&r);
    CHECK(!strcmp(t, "13.5000,damage,,ref_a,,,comp_c berth extensive capacity 0.25\n"));
    free(t);
    r = sample(TRC_ARRIVE);
    t = written(&r);
    CHECK(!strcmp(t, "18.5000,arrive,lorry_pool#3,ref_a,diesel,16.500,at source\n"));
    free(t);
    r = sample(TRC_REQUEST);
    r.asset = NULL; r.flag = 0; r.kl = 0;
    t = written(&r);
    CHECK(!strcmp(t, "26.5000,request,,ref_a,diesel,,\n"));
    free(t);
    r = sample(TRC_EARTHQUAKE);
    r.place = "";
    t = written(&r);
    CHECK(!strcmp(t, "12.5000,earthquake,,,,,quake_q Mw 7.3\n"));
    free(t);
    r = sample(TRC_FIRE);
    r.asset = NULL; r.product = -1; r.kl = 0;
    t = written(&r);
    CHECK(!strcmp(t, "27.5000,fire,,ref_a,,,out 72.5 restart 8832.5\n"));
    free(t);
    char *h = NULL;
    size_t len;
    FILE *f = open_memstream(&h, &len);
    trc_write_header(f);
    fclose(f);
    CHECK(!strcmp(h, "time_h,kind,asset,facility,product,kl,detail\n"));
    free(h);
}

TEST(decisions_read_back_with_their_number_action_target_and_value)
{
    static const struct { TrcAction a; const char *item; double v; const char *text; } cases[] = {
        {TRC_ACT_MOBILISE, "sdf_truck", 0, "1.0000,decision,,ref_a,,,#7 mobilise sdf_truck -\n"},
        {TRC_ACT_RESERVE, "lorry_a", 2, "1.0000,decision,,ref_a,,,#7 reserve lorry_a 2\n"},
        {TRC_ACT_PRIORITY, "stn_s", 1, "1.0000,decision,,ref_a,,,#7 priority stn_s 1\n"},
        {TRC_ACT_CLOSE, "road_x", 0, "1.0000,decision,,ref_a,,,#7 close road_x -\n"},
        {TRC_ACT_OPEN, "road_x", 0, "1.0000,decision,,ref_a,,,#7 open road_x -\n"},
        {TRC_ACT_RELEASE, "stockpile", 12.5, "1.0000,decision,,ref_a,,,#7 release stockpile 12.500\n"},
        {TRC_ACT_POLICY, "", 1, "1.0000,decision,,ref_a,,,#7 policy - optimise\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TrcRow r = trc_row(1, TRC_DECISION, "ref_a"), back;
        r.dec_no = 7; r.action = cases[i].a; r.item = cases[i].item; r.value = cases[i].v;
        char *text = written(&r), err[200] = "";
        CHECK(!strcmp(text, cases[i].text));
        text[strlen(text) - 1] = 0;
        CHECK(trc_parse_line(text, &back, err, sizeof err) == 0);
        CHECK(same_row(&r, &back));
        free(text);
    }
}

TEST(kind_names_are_unique)
{
    for (int i = 0; i < NTRCKIND; i++) {
        CHECK(trc_kind[i].name != NULL);
        CHECK(trc_kind[i].detail != TRC_DETAIL_FLAG || trc_kind[i].word != NULL);
        for (int j = 0; j < i; j++) CHECK(strcmp(trc_kind[i].name, trc_kind[j].name) != 0);
    }
}

static int bad(const char *line)
{
    char buf[256], err[200] = "";
    TrcRow r;
    snprintf(buf, sizeof buf, "%s", line);
    int rc = trc_parse_line(buf, &r, err, sizeof err);
    if (rc == 0 || !err[0]) fprintf(stderr, "    accepted: %s\n", line);
    return rc == -1 && err[0] != 0;
}

TEST(malformed_rows_give_minus_one_and_a_message)
{
    CHECK(bad("1.0,dispatch,lorry#1,ref_a,diesel,10"));                 /* 6 fields */
    CHECK(bad("x,dry,,dem_a,diesel,,"));                                /* time */
    CHECK(bad("0.0,fire,,ref_a,,,out 72.5"));                           /* fire detail */
    CHECK(bad("0.0,fire,,ref_a,,,out x restart 9"));
    CHECK(bad("1.0,explode,,dem_a,diesel,,"));                          /* kind */
    CHECK(bad("1.0,dispatch,lorry,ref_a,diesel,10.000,dem_a"));        /* no #N */
    CHECK(bad("1.0,dispatch,lorry#0,ref_a,diesel,10.000,dem_a"));      /* unit 0 */
    CHECK(bad("1.0,dry,,dem_a,petrol,,"));                              /* product */
    CHECK(bad("1.0,unload,lorry#1,dem_a,diesel,ten,"));                 /* kl */
    CHECK(bad("1.0,dry,,dem_a,diesel,,bulk"));                          /* detail where none */
    CHECK(bad("1.0,request,,dep_a,diesel,5.000,urgent"));               /* not the word */
    CHECK(bad("1.0,restoration,,ref_a,,,"));                            /* no id */
    CHECK(bad("0.0,earthquake,,,,,quake Mw"));
    CHECK(bad("0.0,damage,,ref_a,,,c1 berth broken capacity 0.25"));    /* state */
    CHECK(bad("0.0,damage,,ref_a,,,c1 berth slight capacity x"));
    CHECK(bad("0.0,damage,,ref_a,,,l1 sea closed (flood)"));            /* gate */
    CHECK(bad("0.0,damage,,ref_a,,,c1 berth none capacity 0.00 (flood)"));
    CHECK(bad("0.0,damage,,ref_a,,,c1 berth none capacity 0.00 (repair)"));
    CHECK(bad("0.0,damage,,ref_a,,,l1 sea closed"));
    CHECK(bad("1.0,decision,,ref_a,,,7 close road_x -"));              /* no # */
    CHECK(bad("1.0,decision,,ref_a,,,#0 close road_x -"));             /* number 0 */
    CHECK(bad("1.0,decision,,ref_a,,,#1 evacuate road_x -"));          /* action */
    CHECK(bad("1.0,decision,,ref_a,,,#1 policy - fastest"));           /* policy */
    CHECK(bad("1.0,decision,,ref_a,,,#1 reserve lorry_a two"));        /* value */
    CHECK(bad("1.0,decision,,ref_a,,,#1 close road_x"));               /* 3 words */
}

int main(void)
{
    RUN(every_kind_reads_back_as_written);
    RUN(kinds_are_found_by_their_name_only);
    RUN(fixed_point_numbers_are_printfs);
    RUN(trip_and_request_rows_are_the_printf_bytes);
    RUN(times_read_as_strtod_reads_them);
    RUN(link_damage_reads_back_as_written);
    RUN(component_held_back_by_another_gate_reads_back_with_its_reason);
    RUN(rows_keep_the_trace_csv_wording);
    RUN(decisions_read_back_with_their_number_action_target_and_value);
    RUN(kind_names_are_unique);
    RUN(malformed_rows_give_minus_one_and_a_message);
    return check_done();
}
