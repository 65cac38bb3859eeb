/* Drill timeline: pick ranks and tie-breaking, the exercise clock (ISO 8601,
 * compression), and the MSEL against the trace it comes from: every inject
 * reports trace rows at its own time (plus the stated report delay), every
 * row of an inject-making kind is reported exactly once, both languages
 * carry the same injects, and the same input gives the same bytes. */
#include "check.h"
#include "testutil.h"
#include "drill.h"
#include "scenario.h"
#include "supply.h"
#include "trace.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The trace of one greedy replicate of the default earthquake, as text. */
static char *trace_of(const World *w, uint64_t seed, uint64_t rep, size_t *len)
{
    char *text = NULL;
    SupResult r;
    int rc = tu_run_greedy(w, w->default_quake, seed, rep, &r, &text, len);
    CHECK(rc == 0);
    if (rc != -1) sup_result_free(&r);
    return text;
}

/* The MSEL of a trace, or NULL after printing why. */
static DrlMsel *msel_of(const World *w, const char *tr, size_t len, const DrlParams *p)
{
    char err[200];
    DrlMsel *m = drl_msel_new(w, tr, len, p, err, sizeof err);
    if (!m) fprintf(stderr, "  drl_msel_new: %s\n", err);
    return m;
}

static char *csv_of(const DrlMsel *m, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    drl_msel_write_csv(m, f);
    fclose(f);
    return text;
}

TEST(pick_rank_is_nearest_rank)
{
    CHECK(drl_pick_rank(1, DRL_PICK_MEDIAN) == 1);
    CHECK(drl_pick_rank(1, DRL_PICK_P90) == 1);
    CHECK(drl_pick_rank(1, DRL_PICK_WORST) == 1);
    CHECK(drl_pick_rank(10, DRL_PICK_MEDIAN) == 5);
    CHECK(drl_pick_rank(10, DRL_PICK_P90) == 9);
    CHECK(drl_pick_rank(10, DRL_PICK_WORST) == 10);
    CHECK(drl_pick_rank(7, DRL_PICK_MEDIAN) == 4);   /* ceil(3.5) */
    CHECK(drl_pick_rank(7, DRL_PICK_P90) == 7);      /* ceil(6.3) */
    CHECK(drl_pick_rank(41, DRL_PICK_P90) == 37);    /* ceil(36.9) */
    CHECK(drl_pick_rank(100, DRL_PICK_P90) == 90);
}

TEST(pick_breaks_ties_by_replicate_index)
{
    /* sorted: (1, r1) (2, r3) (3, r0) (3, r2) (3, r4) */
    double ws[5] = {3, 1, 3, 2, 3};
    CHECK(drl_pick_from(ws, 5, DRL_PICK_MEDIAN) == 0);   /* rank 3 */
    CHECK(drl_pick_from(ws, 5, DRL_PICK_P90) == 4);      /* rank 5 */
    CHECK(drl_pick_from(ws, 5, DRL_PICK_WORST) == 4);
    double same[4] = {7, 7, 7, 7};
    CHECK(drl_pick_from(same, 4, DRL_PICK_MEDIAN) == 1);
    CHECK(drl_pick_from(same, 4, DRL_PICK_WORST) == 3);
}

TEST(pick_is_the_same_on_one_and_three_threads)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/bad-input/base"));
    SupModel *m = sup_model_new(w, w->default_quake);
    for (int how = 0; how < NDRLPICK; how++) {
        uint64_t r1 = 99, r3 = 98;
        double ws1 = -1, ws3 = -2;
        CHECK(drl_pick(m, 5, 24, (DrlPickHow)how, 1, &r1, &ws1) == 0);
        CHECK(drl_pick(m, 5, 24, (DrlPickHow)how, 3, &r3, &ws3) == 0);
        CHECK(r1 == r3);
        CHECK(ws1 == ws3);
        /* the picked value is the one its replicate gives when rerun */
        SupOptions opt = {SUP_GREEDY, NULL, NULL, NULL};
        SupResult r;
        sup_run(m, 5, r1, &opt, &r);
        CHECK(r.weighted_shortfall == ws1);
        sup_result_free(&r);
    }
    sup_model_free(m);
    world_free(w);
}

TEST(iso_times_parse_and_format_in_japan_time)
{
    int64_t t;
    char buf[40];
    CHECK(drl_parse_iso("2026-09-01T09:00:00+09:00", &t) == 0);
    CHECK(t == 1788220800 + 9 * 3600 - 9 * 3600);
    CHECK(drl_parse_iso("2026-09-01T00:00:00Z", &t) == 0);
    CHECK(t == 1788220800);
    drl_format_iso(t, buf, sizeof buf);
    CHECK(strcmp(buf, "2026-09-01T09:00:00+09:00") == 0);
    CHECK(drl_parse_iso("2026-09-01 09:00", &t) == 0);       /* no offset: Japan time */
    CHECK(t == 1788220800);
    CHECK(drl_parse_iso("2026-08-31T20:00:00-04:00", &t) == 0);
    CHECK(t == 1788220800);
    CHECK(drl_parse_iso("2024-02-29T23:59:59Z", &t) == 0);
    CHECK(t == 1709251199);
    drl_format_iso(t, buf, sizeof buf);
    CHECK(strcmp(buf, "2024-03-01T08:59:59+09:00") == 0);
    drl_format_iso(0, buf, sizeof buf);
    CHECK(strcmp(buf, "1970-01-01T09:00:00+09:00") == 0);
    CHECK(drl_parse_iso("2025-02-29T00:00:00Z", &t) == -1);   /* not a leap year */
    CHECK(drl_parse_iso("2026-13-01T00:00:00Z", &t) == -1);
    CHECK(drl_parse_iso("2026-09-01T24:00:00Z", &t) == -1);
    CHECK(drl_parse_iso("2026-09-01", &t) == -1);
    CHECK(drl_parse_iso("2026-09-01T09:00:00+09:00x", &t) == -1);
    CHECK(drl_parse_iso("yesterday", &t) == -1);
}

TEST(compress_maps_scenario_hours_to_exercise_seconds)
{
    DrlParams p;
    drl_params_default(&p);
    CHECK(p.start_s == 1788220800);   /* 2026-09-01T09:00:00+09:00 */
    CHECK(drl_exercise_s(&p, 0) == p.start_s);
    CHECK(drl_exercise_s(&p, 1.5) == p.start_s + 5400);
    p.compress = 12;
    CHECK(drl_exercise_s(&p, 12) == p.start_s + 3600);
    CHECK(drl_exercise_s(&p, 1) == p.start_s + 300);
    CHECK(drl_exercise_s(&p, 336) == p.start_s + 28 * 3600);
    CHECK(drl_exercise_s(&p, 0.0001) == p.start_s);            /* 0.03 s rounds to 0 */
    p.compress = 7;
    CHECK(drl_exercise_s(&p, 1) == p.start_s + 514);           /* 514.29 s */
    char buf[40];
    drl_format_iso(drl_exercise_s(&p, 35), buf, sizeof buf);
    CHECK(strcmp(buf, "2026-09-01T14:00:00+09:00") == 0);
}

/* The hand-checked SDF scenario (tests/supply/README.md): request at 0,
 * SDF asked at 6 (the request has waited 6 h), dry at 12, SDF ready at 26,
 * first delivery at 28. */
TEST(sdf_scenario_gives_the_hand_checked_injects)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/sdf_lorry"));
    size_t len;
    char *tr = trace_of(w, 1, 0, &len);
    DrlParams p;
    drl_params_default(&p);
    p.compress = 4;
    DrlMsel *m = msel_of(w, tr, len, &p);
    CHECK(m != NULL);
    if (m) {
        static const char *const kinds[] = {"main_shock", "low_stock", "mobilise_request", "dry",
                                            "mobilised", "resupplied"};
        static const double times[] = {0, 0, 6, 12, 26, 28};
        CHECK(m->n >= 6);
        for (int i = 0; i < 6 && i < m->n; i++) {
            CHECK(strcmp(m->inj[i].kind, kinds[i]) == 0);
            CHECK_NEAR(m->inj[i].time_h, times[i], 1e-9);
            CHECK(m->inj[i].id == i + 1);
        }
        /* later requests of the same user are routine: none after the first */
        for (int i = 6; i < m->n; i++) CHECK(strcmp(m->inj[i].kind, "low_stock") != 0);
        size_t clen;
        char *csv = csv_of(m, &clen);
        CHECK(strstr(csv, "INJ-003,6.00,2026-09-01T10:30:00+09:00,Prefecture disaster HQ,SDF liaison,") != NULL);
        CHECK(strstr(csv, "INJ-004,12.00,2026-09-01T12:00:00+09:00,Hospital,Tokyo disaster HQ,") != NULL);
        CHECK(strstr(csv, "INJ-005,26.00,2026-09-01T15:30:00+09:00,SDF liaison,") != NULL);
        CHECK(strstr(csv, "INJ-006,28.00,2026-09-01T16:00:00+09:00,") != NULL);
        CHECK(strstr(csv, "Hospital: diesel has run out.") != NULL);
        CHECK(strstr(csv, "Request for disaster dispatch: fuel transport by SDF truck ×1.") != NULL);
        free(csv);
        drl_msel_free(m);
    }
    p.lang = DRL_JA;
    m = msel_of(w, tr, len, &p);
    if (m) {
        size_t clen;
        char *csv = csv_of(m, &clen);
        CHECK(strstr(csv, "病院:軽油が枯渇。") != NULL);
        CHECK(strstr(csv, "東京都災害対策本部") != NULL);
        CHECK(strstr(csv, "自衛隊タンク車 ×1") != NULL);
        free(csv);
        drl_msel_free(m);
    }
    free(tr);
    world_free(w);
}

/* One trace row, for the cross-check. */
/* kind -1: the header or an unreadable line. */
typedef struct TRow { double t; int kind, product, flag; char place[64]; } TRow;

static int read_trace(const char *text, TRow **out)
{
    int n = 0, cap = 0, line = 0;
    TRow *rows = NULL;
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)len, s);
        line++;
        xgrow((void **)&rows, &cap, line + 1, sizeof *rows);
        memset(&rows[line], 0, sizeof rows[line]);
        rows[line].kind = -1;
        TrcRow tr;
        char err[200];
        if (line > 1 && trc_parse_line(buf, &tr, err, sizeof err) == 0) {
            rows[line].t = tr.time_h;
            rows[line].kind = (int)tr.kind;
            rows[line].product = tr.product;
            rows[line].flag = tr.flag;
            snprintf(rows[line].place, sizeof rows[line].place, "%s", tr.place);
        }
        n = line;
        if (!nl) break;
        s = nl + 1;
    }
    *out = rows;
    return n;
}

/* 1 when row i of the trace is one the rules turn into (part of) an inject. */
static int makes_inject(const TRow *rows, int i)
{
    int k = rows[i].kind;
    if (k == TRC_EARTHQUAKE || k == TRC_DAMAGE || k == TRC_RESTORATION || k == TRC_DRY ||
        k == TRC_REFILL || k == TRC_MOBILISE || k == TRC_MOBILISED || k == TRC_FIRE ||
        k == TRC_MINISTRY_REQUEST || k == TRC_JOINT_ROOM || k == TRC_STOCKPILE || k == TRC_ROUTE_OPEN ||
        k == TRC_PERMIT || k == TRC_CONTROL_END)
        return 1;
    if (k != TRC_REQUEST && k != TRC_RELAY) return 0;
    if (rows[i].flag) return 1;   /* bulk */
    for (int j = 2; j < i; j++)   /* only a user's first request */
        if (rows[j].kind == k && !strcmp(rows[j].place, rows[i].place) &&
            rows[j].product == rows[i].product)
            return 0;
    return 1;
}

static void check_follows_trace(const World *w, const char *tr, const DrlMsel *m)
{
    TRow *rows;
    int nl = read_trace(tr, &rows);
    int *cover = xcalloc((size_t)nl + 2, sizeof *cover);
    int ndry_rows = 0, ndry_lines = 0;
    /* one CHECK per claim over all injects, so that a failure names the claim */
    int ids = 1, ordered = 1, some_lines = 1, timed = 1, in_range = 1, first_at_time = 1, in_window = 1;
    int dry_kind = 1, report_kind = 1, report_sender = 1, covered_once = 1;
    for (int i = 0; i < m->n; i++) {
        const DrlInject *in = &m->inj[i];
        ids &= in->id == i + 1;
        some_lines &= in->nlines >= 1;
        if (i > 0) ordered &= in->time_h >= m->inj[i - 1].time_h;
        int delayed = !strcmp(in->kind, "damage_report") || !strcmp(in->kind, "closure");
        timed &= fabs(in->time_h - (in->trace_time_h + (delayed ? m->par.report_delay_h : 0))) < 1e-9;
        for (int j = 0; j < in->nlines; j++) {
            int l = in->lines[j];
            if (l < 2 || l > nl) { in_range = 0; continue; }
            cover[l]++;
            /* the first row is at the inject's time; merged rows within merge_h */
            if (j == 0) first_at_time &= rows[l].t == in->trace_time_h;
            in_window &= rows[l].t >= in->trace_time_h && rows[l].t <= in->trace_time_h + m->par.merge_h + 1e-9;
            if (!strcmp(in->kind, "dry")) { dry_kind &= rows[l].kind == TRC_DRY; ndry_lines++; }
            if (!strcmp(in->kind, "damage_report")) {
                report_kind &= rows[l].kind == TRC_DAMAGE;
                /* the sender is the facility, by its name in the language */
                int f = world_find_facility(w, rows[l].place);
                if (f < 0) { report_sender = 0; continue; }
                const char *name = m->par.lang == DRL_JA ? w->fac[f].name_ja : w->fac[f].name_en;
                report_sender &= !strcmp(in->from, name) && strstr(in->message, name) != NULL;
            }
        }
    }
    for (int l = 2; l <= nl; l++) {
        CHECK(rows[l].kind >= 0);   /* every row follows the trace grammar */
        if (rows[l].kind < 0) continue;
        if (cover[l] != makes_inject(rows, l)) {
            covered_once = 0;
            fprintf(stderr, "  line %d (%s %s) covered %d times\n", l, trc_kind[rows[l].kind].name, rows[l].place,
                    cover[l]);
        }
        ndry_rows += rows[l].kind == TRC_DRY;
    }
    CHECK(ids);
    CHECK(ordered);
    CHECK(some_lines);
    CHECK(timed);
    CHECK(in_range);
    CHECK(first_at_time);
    CHECK(in_window);
    CHECK(dry_kind);
    CHECK(report_kind);
    CHECK(report_sender);
    CHECK(covered_once);
    CHECK(ndry_rows == ndry_lines);
    free(cover);
    free(rows);
}

TEST(injects_follow_the_trace_in_both_languages)
{
    const char *dirs[] = {"scenarios/tokyo-bay", "tests/bad-input/base"};
    for (int d = 0; d < 2; d++) {
        World *w = tu_load(dirs[d]);
        if (!w) { CHECK(d == 0); continue; }   /* the embedded scenario may be absent */
        size_t len;
        char *tr = trace_of(w, 3, 1, &len);
        DrlParams p;
        drl_params_default(&p);
        DrlMsel *en = msel_of(w, tr, len, &p);
        p.lang = DRL_JA;
        DrlMsel *ja = msel_of(w, tr, len, &p);
        CHECK(en && ja);
        if (en && ja) {
            check_follows_trace(w, tr, en);
            check_follows_trace(w, tr, ja);
            CHECK(en->n == ja->n);
            int same = 1, translated = 1;
            for (int i = 0; i < en->n && i < ja->n; i++) {
                same &= !strcmp(en->inj[i].kind, ja->inj[i].kind) && en->inj[i].time_h == ja->inj[i].time_h &&
                        en->inj[i].nlines == ja->inj[i].nlines && en->inj[i].lines[0] == ja->inj[i].lines[0];
                translated &= strcmp(en->inj[i].message, ja->inj[i].message) != 0 &&
                              strcmp(en->inj[i].action, ja->inj[i].action) != 0;
            }
            CHECK(same);
            CHECK(translated);
            /* the same input gives the same bytes */
            DrlMsel *again = msel_of(w, tr, len, &p);
            size_t l1, l2;
            char *c1 = csv_of(ja, &l1), *c2 = csv_of(again, &l2);
            CHECK(l1 == l2 && memcmp(c1, c2, l1) == 0);
            char *j1 = drl_msel_json(ja, "{\"x\":1}"), *j2 = drl_msel_json(again, "{\"x\":1}");
            CHECK(strcmp(j1, j2) == 0);
            CHECK(strstr(j1, "\"trace_lines\"") != NULL);
            free(c1); free(c2); free(j1); free(j2);
            drl_msel_free(again);
        }
        drl_msel_free(en);
        drl_msel_free(ja);
        free(tr);
        world_free(w);
    }
}

TEST(merge_window_bounds_the_size)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/bad-input/base"));
    size_t len;
    char *tr = trace_of(w, 3, 1, &len);
    DrlParams p;
    drl_params_default(&p);
    p.merge_h = 0;
    DrlMsel *fine = msel_of(w, tr, len, &p);
    p.merge_h = 1e6;
    DrlMsel *coarse = msel_of(w, tr, len, &p);
    CHECK(fine && coarse);
    if (fine && coarse) {
        CHECK(coarse->n <= fine->n);
        /* one window: at most one inject per kind and group, so one closure per mode */
        int closures = 0;
        for (int i = 0; i < coarse->n; i++) closures += !strcmp(coarse->inj[i].kind, "closure");
        CHECK(closures <= NMODE);
    }
    drl_msel_free(fine);
    drl_msel_free(coarse);
    free(tr);
    world_free(w);
}

TEST(unreadable_trace_is_reported_with_its_line)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/sdf_lorry"));
    DrlParams p;
    drl_params_default(&p);
    char err[200] = "";
    const char *bad = "time_h,kind,asset,facility,product,kl,detail\n0.0000,earthquake,,,,,far Mw 6.0\n"
                      "1.0,dry,,nowhere,diesel,,\n";
    CHECK(drl_msel_new(w, bad, strlen(bad), &p, err, sizeof err) == NULL);
    CHECK(strncmp(err, "trace line 3:", 13) == 0);
    const char *shortrow = "time_h,kind\n0,earthquake\n";
    CHECK(drl_msel_new(w, shortrow, strlen(shortrow), &p, err, sizeof err) == NULL);
    CHECK(strncmp(err, "trace line 2:", 13) == 0);
    world_free(w);
}

int main(void)
{
    RUN(pick_rank_is_nearest_rank);
    RUN(pick_breaks_ties_by_replicate_index);
    RUN(pick_is_the_same_on_one_and_three_threads);
    RUN(iso_times_parse_and_format_in_japan_time);
    RUN(compress_maps_scenario_hours_to_exercise_seconds);
    RUN(sdf_scenario_gives_the_hand_checked_injects);
    RUN(injects_follow_the_trace_in_both_languages);
    RUN(merge_window_bounds_the_size);
    RUN(unreadable_trace_is_reported_with_its_line);
    return check_done();
}
