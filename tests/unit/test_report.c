/* Unit tests of the report: the escaping formatter and its helpers (svg.c),
 * GeoJSON written and read back (geojson.c), and the report of hand-written
 * output folders for tests/bad-input/base (report.c): one feature per
 * facility and link, every chart with its data points, hostile names shown
 * as text, and the exit codes for missing, broken and foreign inputs. */
#include "check.h"
#include "testutil.h"
#include "geojson.h"
#include "report.h"
#include "scenario.h"
#include "svg.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BASE "tests/bad-input/base"

/* ---- helpers ---------------------------------------------------------------- */

static char *tmpdir_new(void)
{
    char *t = xstrdup("/tmp/fuelsim-report-XXXXXX");
    if (!mkdtemp(t)) { perror("mkdtemp"); exit(2); }
    return t;
}

/* Remove a folder and the files in it (the tests make no subfolders). */
static void tmpdir_free(char *dir)
{
    DIR *dd = opendir(dir);
    struct dirent *e;
    while (dd && (e = readdir(dd))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = path_join(dir, e->d_name);
        unlink(p);
        free(p);
    }
    if (dd) closedir(dd);
    rmdir(dir);
    free(dir);
}

static void put(const char *dir, const char *name, const char *text)
{
    char *p = path_join(dir, name);
    if (out_write_string(p, text) != 0) { perror(p); exit(2); }
    free(p);
}

static char *get(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    FILE *f = fopen(p, "rb");
    free(p);
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *s = xmalloc(cap + 1);
    while ((got = fread(s + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap) s = xrealloc(s, (cap *= 2) + 1);
    fclose(f);
    s[n] = 0;
    return s;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)); p += k) n++;
    return n;
}

static World *load_base(void)
{
    return tu_load(BASE);
}

static RptOptions quiet(const char *lang)
{
    RptOptions o;
    rpt_options_default(&o);
    o.lang = lang;
    o.prog = "test_report";
    return o;
}

/* A sweep's three files for the base scenario (facility ref1 with berth
 * ref1_berth; waypoint mouth; links r1, s1), 5 replicates, 4 hours. */
static const char summary_json[] =
    "{\"run\": {\"scenario\": \"bad-input-base\", \"quake\": \"q1\", \"policy\": \"greedy\", \"seed\": 7, \"n\": 5},\n"
    " \"metrics\": {\"weighted_shortfall\": {\"n\": 5, \"mean\": 30, \"sd\": 10, \"ci95\": [17.6, 42.4],"
    " \"p5\": 12, \"p50\": 30, \"p90\": 44, \"p95\": 47, \"p99\": 49.4},\n"
    "  \"dry_hours_class1\": {\"n\": 5, \"mean\": 0, \"sd\": 0, \"ci95\": [0, 0], \"p5\": 0, \"p50\": 0,"
    " \"p90\": 0, \"p95\": 0, \"p99\": 0}},\n"
    " \"facilities\": {\"ref1\": {\"damage_state\": {\"p\": {\"none\": 0.2, \"slight\": 0.2, \"moderate\": 0.2,"
    " \"extensive\": 0.2, \"complete\": 0.2}}, \"restore_h\": {\"mean\": 300, \"p5\": 10, \"p50\": 240,"
    " \"p90\": 600, \"p95\": 900, \"p99\": 1000}}},\n"
    " \"berths\": {\"ref1_berth\": {\"damage_state\": {\"p\": {\"none\": 1, \"slight\": 0, \"moderate\": 0,"
    " \"extensive\": 0, \"complete\": 0}}, \"restore_h\": {\"mean\": 78, \"p5\": 78, \"p50\": 78, \"p90\": 78,"
    " \"p95\": 78, \"p99\": 78}}},\n"
    " \"links\": {\"s1\": {\"p_closed\": 0.6}}}\n";

static const char bands_csv[] =
    "hour,served_class1_p10,served_class1_p50,served_class1_p90,served_class2_p10,served_class2_p50,"
    "served_class2_p90,served_class3_p10,served_class3_p50,served_class3_p90,served_class4_p10,"
    "served_class4_p50,served_class4_p90,served_all_p10,served_all_p50,served_all_p90\n"
    "0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1\n"
    "1,0.5,0.8,1,1,1,1,1,1,1,1,1,1,0.6,0.8,1\n"
    "2,0.2,0.6,0.9,1,1,1,,,,1,1,1,0.3,0.6,0.9\n"
    "3,0.9,1,1,1,1,1,1,1,1,1,1,1,0.9,1,1\n";

static const char replicates_csv[] =
    "replicate,weighted_shortfall,dry_hours_class1\n0,10,0\n1,20,0\n2,30,0\n3,40,0\n4,50,0\n";

static void write_sweep(const char *dir)
{
    put(dir, "summary.json", summary_json);
    put(dir, "bands.csv", bands_csv);
    put(dir, "replicates.csv", replicates_csv);
}

/* ---- svg.c ------------------------------------------------------------------ */

TEST(esc_turns_markup_into_text)
{
    StrBuf b = {0};
    svg_esc(&b, "<script>alert(1)</script> & \"q\" 'a'\x01\x7f\tok");
    CHECK(strcmp(b.s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;\tok") == 0);
    free(sb_take(&b));
    svg_esc(&b, NULL);
    CHECK(b.s == NULL);
}

TEST(printf_escapes_every_string_and_formats_numbers)
{
    StrBuf b = {0};
    svg_printf(&b, "<t a=\"%s\">%r|%d|%u|%lu|%lld|%f|%.3f|%g|%g|%%</t>", "x\"><b>", "<i>", -3, 4u, 5ul, -6ll,
               2.25, 1.0 / 3, 1234567.0, NAN);
    CHECK(strcmp(b.s, "<t a=\"x&quot;&gt;&lt;b&gt;\"><i>|-3|4|5|-6|2.2|0.333|1.23457e+06|NaN|%</t>") == 0 ||
          strcmp(b.s, "<t a=\"x&quot;&gt;&lt;b&gt;\"><i>|-3|4|5|-6|2.3|0.333|1.23457e+06|NaN|%</t>") == 0);
    free(sb_take(&b));
    svg_printf(&b, "%f %.0f %s", -0.01, INFINITY, (const char *)NULL);
    CHECK(strcmp(b.s, "0.0 0 ") == 0);
    char *s = sb_take(&b);
    CHECK(b.s == NULL && b.n == 0);
    free(s);
    s = sb_take(&b);
    CHECK(strcmp(s, "") == 0);
    free(s);
}

TEST(ticks_are_round_and_cover_the_range)
{
    double t[16];
    int n = svg_ticks(0, 336, 9, t);
    CHECK(n >= 4 && n <= 9);
    CHECK(t[0] == 0);
    CHECK_NEAR(t[1] - t[0], 50, 1e-9);
    CHECK(t[n - 1] <= 336);
    n = svg_ticks(0.2, 0.2, 5, t);
    CHECK(n == 1 && t[0] == 0.2);
    n = svg_ticks(-1, 1, 5, t);
    CHECK(n == 5 && t[2] == 0);
    char s[32];
    CHECK(strcmp(svg_fmt_num(s, sizeof s, 1234567), "1,234,567") == 0);
    CHECK(strcmp(svg_fmt_num(s, sizeof s, -42056.4), "-42,056") == 0);
    CHECK(strcmp(svg_fmt_num(s, sizeof s, 0.25), "0.25") == 0);
    CHECK(strcmp(svg_fmt_num(s, sizeof s, 6.2), "6.2") == 0);
    CHECK(strcmp(svg_fmt_num(s, sizeof s, NAN), "-") == 0);
}

TEST(clip_cuts_at_a_character_and_marks_the_cut)
{
    char buf[64];
    CHECK(strcmp(svg_clip("short", 10, buf, sizeof buf), "short") == 0);
    CHECK(strcmp(svg_clip("abcdefghij", 5, buf, sizeof buf), "abcd\xe2\x80\xa6") == 0);
    /* 製油所 is 3 characters of 3 bytes, 2 units each */
    CHECK(strcmp(svg_clip("\xe8\xa3\xbd\xe6\xb2\xb9\xe6\x89\x80", 5, buf, sizeof buf), "\xe8\xa3\xbd\xe6\xb2\xb9\xe2\x80\xa6") == 0);
    CHECK(strcmp(svg_clip(NULL, 5, buf, sizeof buf), "") == 0);
    CHECK(strlen(svg_clip("abcdefghijklmnopqrstuvwxyz", 100, buf, 8)) < 8);
}

TEST(probability_colours_follow_the_classes)
{
    CHECK(strcmp(svg_pcolor(0), svg_pcolor_class(0)) == 0);
    CHECK(strcmp(svg_pcolor(0.3), svg_pcolor_class(2)) == 0);
    CHECK(strcmp(svg_pcolor(0.75), svg_pcolor_class(4)) == 0);
    CHECK(strcmp(svg_pcolor(1), svg_pcolor_class(4)) == 0);
    CHECK(strcmp(svg_pcolor(NAN), "#bbbbbb") == 0);
    CHECK(strcmp(svg_cat_color(0), svg_cat_color(12)) == 0);
}

/* ---- geojson.c ---------------------------------------------------------------- */

TEST(geojson_written_is_rfc7946_and_reads_back)
{
    char *dir = tmpdir_new();
    char *path = path_join(dir, "x.geojson");
    cJSON *fc = gj_collection_new();
    cJSON *p = gj_add_point(fc, 139.1234567, 35.5);
    cJSON_AddStringToObject(p, "name", "a \"b\" <c>");
    const double ll[6] = {139, 35, 139.5, 35.5, 140, 35.25};
    gj_add_line(fc, ll, 3);
    CHECK(gj_write(path, fc) == 0);
    cJSON_Delete(fc);
    char *text = get(dir, "x.geojson");
    cJSON *j = cJSON_Parse(text);
    CHECK(j != NULL);
    cJSON *fs = cJSON_GetObjectItem(j, "features");
    CHECK(cJSON_GetArraySize(fs) == 2);
    cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(fs, 0), "geometry"), "coordinates");
    CHECK_NEAR(cJSON_GetArrayItem(c, 0)->valuedouble, 139.123457, 1e-9);   /* lon first, 6 decimals */
    CHECK_NEAR(cJSON_GetArrayItem(c, 1)->valuedouble, 35.5, 1e-12);
    CHECK(strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(fs, 0), "properties"), "name")->valuestring,
                 "a \"b\" <c>") == 0);
    cJSON_Delete(j);
    free(text);

    GjLayer l;
    char err[256];
    CHECK(gj_layer_read(path, &l, err, sizeof err) == 0);
    CHECK(l.n == 1 && l.shape[0].fill == 0 && l.shape[0].nring == 1 && l.shape[0].start[1] == 3);
    CHECK(l.lon0 == 139 && l.lon1 == 140 && l.lat0 == 35 && l.lat1 == 35.5);
    gj_layer_free(&l);
    put(dir, "bad.geojson", "{\"type\": \"FeatureCollection\",\n \"features\": [\n}");
    char *bad = path_join(dir, "bad.geojson");
    CHECK(gj_layer_read(bad, &l, err, sizeof err) == -1);
    CHECK(strstr(err, "bad.geojson:3: not valid JSON") != NULL);
    CHECK(l.n == 0);
    free(bad);
    free(path);
    tmpdir_free(dir);
}

TEST(shipped_coastline_reads_as_land_and_coast)
{
    GjLayer l;
    char err[256];
    CHECK(gj_layer_read("scenarios/coastline_kanto.geojson", &l, err, sizeof err) == 0);
    int fill = 0, line = 0;
    for (int i = 0; i < l.n; i++) fill += l.shape[i].fill, line += !l.shape[i].fill;
    CHECK(fill == 2 && line == 3);
    CHECK(l.lon0 >= 138.9 && l.lon1 <= 141.0 && l.lat0 >= 34.8 && l.lat1 <= 36.6);
    gj_layer_free(&l);
}

/* ---- report.c --------------------------------------------------------------------- */

TEST(sweep_report_has_every_chart_with_its_data)
{
    TU_WORLD_OR_FAIL(w, load_base());
    char *dir = tmpdir_new();
    write_sweep(dir);
    RptOptions o = quiet("en");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h = get(dir, "report.html");
    CHECK(h != NULL);
    if (h) {
        CHECK(strncmp(h, "<!DOCTYPE html>", 15) == 0);
        CHECK(count(h, "<script") == 0);
        CHECK(count(h, " src=") == 0 && count(h, " href=") == 0);
        CHECK(strstr(h, "Content-Security-Policy") != NULL);
        CHECK(strstr(h, "@media print") != NULL);
        CHECK(count(h, "class=\"fac\"") == w->nfac);
        CHECK(count(h, "class=\"dem\"") == w->ndem);
        CHECK(count(h, "class=\"link\"") == w->nlink);
        CHECK(strstr(h, "class=\"link\" data-id=\"s1\" data-mode=\"sea\" data-p=\"0.600\"") != NULL);
        CHECK(strstr(h, "data-id=\"ref1\" data-kind=\"refinery\" data-p=\"0.400\"") != NULL);
        CHECK(count(h, "class=\"fan\" data-class=") == 4);
        /* class 3 has no value at hour 2: 3 points on its median */
        CHECK(count(h, "class=\"median\" data-n=\"4\"") == 3);
        CHECK(count(h, "class=\"median\" data-n=\"3\"") == 1);
        CHECK(count(h, "class=\"bar\"") >= 5);
        CHECK(strstr(h, "data-n=\"5\" data-bins=") != NULL);
        CHECK(strstr(h, "class=\"mean\" data-v=\"30\"") != NULL);
        CHECK(strstr(h, "class=\"p90\" data-v=\"44\"") != NULL);
        CHECK(strstr(h, "class=\"rst\" data-id=\"ref1\" data-berth=\"0\" data-p50=\"240\" data-p90=\"600\"") != NULL);
        CHECK(strstr(h, "class=\"rst\" data-id=\"ref1_berth\" data-berth=\"1\"") != NULL);
        CHECK(strstr(h, "5 replicates") != NULL && strstr(h, "seed 7") != NULL);
        CHECK(strstr(h, "Test quake") != NULL);
        CHECK(strstr(h, "class=\"rupture\"") == NULL);   /* q1 is a point source */
        CHECK(strstr(h, "class=\"epicentre\"") != NULL);
        CHECK(strstr(h, "id=\"gantt\"") == NULL && strstr(h, "id=\"msel\"") == NULL);
        int sum = 0;
        for (const char *p = h; (p = strstr(p, "data-count=\"")); p++) sum += atoi(p + 12);
        CHECK(sum == 5);
    }
    free(h);
    char *g = get(dir, "network.geojson");
    cJSON *j = g ? cJSON_Parse(g) : NULL;
    CHECK(j != NULL);
    int nf = 0, nd = 0, nl = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(j, "features")) {
        const cJSON *pr = cJSON_GetObjectItem(f, "properties");
        const char *layer = cJSON_GetStringValue(cJSON_GetObjectItem(pr, "layer"));
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "geometry"), "type"));
        CHECK(layer != NULL && type != NULL);
        if (!layer || !type) continue;
        if (!strcmp(layer, "facility")) {
            nf++;
            CHECK(!strcmp(type, "Point"));
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(pr, "id"));
            if (id && !strcmp(id, "ref1")) {
                CHECK_NEAR(cJSON_GetObjectItem(pr, "p_extensive_or_complete")->valuedouble, 0.4, 1e-12);
                CHECK_NEAR(cJSON_GetObjectItem(pr, "restore_h_p90")->valuedouble, 600, 1e-12);
                const cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(f, "geometry"), "coordinates");
                CHECK_NEAR(cJSON_GetArrayItem(c, 0)->valuedouble, 139.64, 1e-9);
                CHECK_NEAR(cJSON_GetArrayItem(c, 1)->valuedouble, 35.40, 1e-9);
            }
        } else if (!strcmp(layer, "demand")) {
            nd++;
        } else if (!strcmp(layer, "link")) {
            nl++;
            CHECK(!strcmp(type, "LineString"));
        }
    }
    CHECK(nf == w->nfac && nd == w->ndem && nl == w->nlink);
    const cJSON *meta = cJSON_GetObjectItem(j, "fuelsim");
    CHECK(cJSON_GetStringValue(cJSON_GetObjectItem(meta, "scenario")) &&
          !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(meta, "scenario")), "bad-input-base"));
    cJSON_Delete(j);
    free(g);

    /* the same inputs give the same bytes */
    char *h1 = get(dir, "report.html");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h2 = get(dir, "report.html");
    CHECK(h1 && h2 && strcmp(h1, h2) == 0);
    free(h1);
    free(h2);

    char *id = NULL, *sdir = NULL;
    CHECK(rpt_find_scenario(dir, "test_report", &id, &sdir) == 0);
    CHECK(id && !strcmp(id, "bad-input-base"));
    CHECK(sdir != NULL && strstr(sdir, "bad-input/base") != NULL);
    free(id);
    free(sdir);
    tmpdir_free(dir);
    world_free(w);
}

TEST(hostile_names_show_as_text)
{
    TU_WORLD_OR_FAIL(w, load_base());
    free(w->fac[0].name_en);
    w->fac[0].name_en = xstrdup("<script>alert(1)</script> & \"Refinery\"");
    free(w->name_en);
    w->name_en = xstrdup("</title><script>alert(2)</script>");
    free(w->dem[0].name_en);
    w->dem[0].name_en = xstrdup("<img src=x onerror=alert(3)>");
    char *dir = tmpdir_new();
    write_sweep(dir);
    RptOptions o = quiet("en");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h = get(dir, "report.html");
    CHECK(h && count(h, "<script") == 0 && count(h, "<img") == 0);
    CHECK(h && strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Refinery&quot;") != NULL);
    CHECK(h && strstr(h, "&lt;/title&gt;&lt;script&gt;alert(2)") != NULL);
    free(h);
    char *g = get(dir, "network.geojson");
    cJSON *j = g ? cJSON_Parse(g) : NULL;
    CHECK(j != NULL);
    const cJSON *pr = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "features"), 0), "properties");
    CHECK(cJSON_GetStringValue(cJSON_GetObjectItem(pr, "name_en")) &&
          !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(pr, "name_en")), "<script>alert(1)</script> & \"Refinery\""));
    cJSON_Delete(j);
    free(g);
    tmpdir_free(dir);
    world_free(w);
}

TEST(japanese_page_uses_japanese_names)
{
    TU_WORLD_OR_FAIL(w, load_base());
    char *dir = tmpdir_new();
    write_sweep(dir);
    RptOptions o = quiet("ja");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h = get(dir, "report.html");
    CHECK(h && strstr(h, "<html lang=\"ja\">") != NULL);
    CHECK(h && strstr(h, "\xe8\xa3\xbd\xe6\xb2\xb9\xe6\x89\x80\xe4\xb8\x80") != NULL);   /* 製油所一 */
    CHECK(h && strstr(h, "\xe8\xa9\xa6\xe9\xa8\x93\xe5\x9c\xb0\xe9\x9c\x87") != NULL);   /* 試験地震 */
    free(h);
    tmpdir_free(dir);
    world_free(w);
}

TEST(run_report_has_a_trip_per_dispatch)
{
    TU_WORLD_OR_FAIL(w, load_base());
    char *dir = tmpdir_new();
    put(dir, "metrics.json", "{\"scenario\": \"bad-input-base\", \"quake\": \"q1\", \"seed\": 3, \"rep\": 2,"
                             " \"horizon_h\": 48, \"weighted_shortfall\": 12.5, \"dry_hours_class1\": 0,"
                             " \"facility_restoration_h\": {\"ref1\": 30, \"mouth\": 0}}\n");
    put(dir, "timeseries.csv", "hour,served_class1,served_class2,served_class3,served_class4,served_all\n"
                               "0,1,1,1,1,1\n1,0.5,1,1,1,0.9\n2,1,1,1,1,1\n");
    put(dir, "trace.csv",
        "time_h,kind,asset,facility,product,kl,detail\n"
        "0.0000,earthquake,,,,,q1 Mw 7.3\n"
        "0.0000,damage,,ref1,,,ref1_berth berth extensive capacity 0.00\n"
        "0.0000,damage,,mouth,,,s1 sea closed (clearance)\n"
        "1.0000,dispatch,l1#1,ref1,diesel,10.000,h1\n"
        "2.5000,unload,l1#1,h1,diesel,10.000,\n"
        "3.5000,return,l1#1,ref1,,,\n"
        "4.0000,dispatch,l1#1,ref1,heavy_a,5.000,h1\n"
        "20.0000,restoration,,mouth,,,s1\n");
    RptOptions o = quiet("en");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h = get(dir, "report.html");
    CHECK(h && count(h, "class=\"trip\"") == 2);
    CHECK(h && strstr(h, "data-asset=\"l1#1\" data-t0=\"1\" data-t1=\"3.5\" data-product=\"diesel\"") != NULL);
    /* a trip still out at the end runs to the horizon */
    CHECK(h && strstr(h, "data-t0=\"4\" data-t1=\"48\" data-product=\"heavy_a\"") != NULL);
    CHECK(h && strstr(h, "data-id=\"ref1\" data-kind=\"refinery\" data-p=\"1.000\"") != NULL);
    CHECK(h && strstr(h, "data-id=\"s1\" data-mode=\"sea\" data-closed-h=\"20\"") != NULL);
    CHECK(h && strstr(h, "data-id=\"r1\" data-mode=\"road\" data-closed-h=\"0\"") != NULL);
    CHECK(h && count(h, "class=\"median series\" data-n=\"3\"") == 4);
    CHECK(h && strstr(h, "replicate 2") != NULL);
    CHECK(h && strstr(h, "class=\"rst\" data-id=\"ref1\"") != NULL && strstr(h, "data-id=\"mouth\" data-berth") == NULL);
    free(h);
    char *g = get(dir, "network.geojson");
    CHECK(g && strstr(g, "\"damage_state\":\"extensive\"") != NULL);
    CHECK(g && strstr(g, "\"reopen_h\":20") != NULL);
    free(g);
    tmpdir_free(dir);
    world_free(w);
}

/* The report of a run whose trace.csv is text: report.html (new), or NULL
 * when rpt_write fails. */
static char *run_report_with_trace(const World *w, const char *trace)
{
    char *dir = tmpdir_new();
    put(dir, "metrics.json", "{\"scenario\": \"bad-input-base\", \"quake\": \"q1\", \"seed\": 3, \"rep\": 2,"
                             " \"horizon_h\": 48, \"weighted_shortfall\": 12.5, \"dry_hours_class1\": 0}\n");
    put(dir, "timeseries.csv", "hour,served_class1,served_class2,served_class3,served_class4,served_all\n"
                               "0,1,1,1,1,1\n1,0.5,1,1,1,0.9\n");
    put(dir, "trace.csv", trace);
    RptOptions o = quiet("en");
    char *h = rpt_write(dir, w, &o) == 0 ? get(dir, "report.html") : NULL;
    tmpdir_free(dir);
    return h;
}

/* trace.csv as fuelsim writes it is read line by line, anything else as
 * CSV: every shape of the same rows gives the same page, and a row of the
 * wrong width fails as before. */
/* a trace as fuelsim writes it, up to its last row: one trip */
#define PLAIN_TRIP "time_h,kind,asset,facility,product,kl,detail\n" \
    "0.0000,earthquake,,,,,q1 Mw 7.3\n" \
    "0.0000,damage,,mouth,,,s1 sea closed (clearance)\n" \
    "1.0000,dispatch,l1#1,ref1,diesel,10.000,h1\n" \
    "1.5000,arrive,l1#1,ref1,,,at source\n" \
    "2.5000,unload,l1#1,h1,diesel,10.000,\n" \
    "3.5000,return,l1#1,ref1,,,\n"

TEST(a_trace_reads_the_same_in_every_csv_shape)
{
    TU_WORLD_OR_FAIL(w, load_base());
    static const char *const shapes[] = {
        /* blank lines, CRLF, no final newline */
        "time_h,kind,asset,facility,product,kl,detail\n\n"
        "0.0000,earthquake,,,,,q1 Mw 7.3\r\n"
        "0.0000,damage,,mouth,,,s1 sea closed (clearance)\n"
        "1.0000,dispatch,l1#1,ref1,diesel,10.000,h1\n\r\n"
        "1.5000,arrive,l1#1,ref1,,,at source\n"
        "2.5000,unload,l1#1,h1,diesel,10.000,\n"
        "3.5000,return,l1#1,ref1,,,\n"
        "20.0000,restoration,,mouth,,,s1",
        /* quoted fields */
        "time_h,kind,asset,facility,product,kl,detail\n"
        "0.0000,earthquake,,,,,\"q1 Mw 7.3\"\n"
        "0.0000,damage,,mouth,,,\"s1 sea closed (clearance)\"\n"
        "1.0000,\"dispatch\",l1#1,ref1,diesel,10.000,\"h1\"\n"
        "1.5000,arrive,l1#1,ref1,,,at source\n"
        "2.5000,unload,l1#1,h1,diesel,10.000,\n"
        "3.5000,return,l1#1,ref1,,,\n"
        "20.0000,restoration,,mouth,,,s1\n",
        /* spaces CSV trims, after plain rows (whose trip must not count twice) */
        PLAIN_TRIP "20.0000, restoration,,mouth,,,s1 \n",
        /* an older trace: no kl column, another order */
        "kind,time_h,asset,facility,product,detail\n"
        "earthquake,0.0000,,,,q1 Mw 7.3\n"
        "damage,0.0000,,mouth,,s1 sea closed (clearance)\n"
        "dispatch,1.0000,l1#1,ref1,diesel,h1\n"
        "arrive,1.5000,l1#1,ref1,,at source\n"
        "unload,2.5000,l1#1,h1,diesel,\n"
        "return,3.5000,l1#1,ref1,,\n"
        "restoration,20.0000,,mouth,,s1\n",
    };
    char *plain = run_report_with_trace(w, PLAIN_TRIP "20.0000,restoration,,mouth,,,s1\n");
    CHECK(plain && count(plain, "class=\"trip\"") == 1);
    CHECK(plain && strstr(plain, "data-asset=\"l1#1\" data-t0=\"1\" data-t1=\"3.5\" data-product=\"diesel\"") != NULL);
    CHECK(plain && strstr(plain, "data-id=\"s1\" data-mode=\"sea\" data-closed-h=\"20\"") != NULL);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        char *h = run_report_with_trace(w, shapes[i]);
        CHECK(h != NULL && plain != NULL && strcmp(h, plain) == 0);
        if (!h || !plain || strcmp(h, plain) != 0) fprintf(stderr, "    shape %zu differs\n", i);
        free(h);
    }
    fprintf(stderr, "    (two messages expected:)\n");
    /* a row of another width, before or after plain rows: not a trace */
    char *h = run_report_with_trace(w, "time_h,kind,asset,facility,product,kl,detail\n"
                                       "1.0000,dispatch,l1#1,ref1,diesel,10.000,h1\n"
                                       "3.5000,return,l1#1,ref1,,\n");
    CHECK(h == NULL);
    free(h);
    h = run_report_with_trace(w, "time_h,kind,asset,facility,product,kl,detail\n"
                                 "1.0000,dispatch,l1#1,ref1,diesel,10.000,h1,x\n");
    CHECK(h == NULL);
    free(h);
    free(plain);
    world_free(w);
}

TEST(drill_injects_are_drawn_and_tabled)
{
    TU_WORLD_OR_FAIL(w, load_base());
    char *dir = tmpdir_new();
    put(dir, "msel.csv", "inject_id,scenario_time_h,exercise_time,from,to,method,message,expected_action,objective\n"
                         "INJ-001,0.00,2026-09-01T09:00:00+09:00,JMA,HQ,Broadcast,\"Shock, <b>strong</b>\",Open HQ,obj\n"
                         "INJ-002,1.00,2026-09-01T10:00:00+09:00,Refinery,HQ,Phone,Damage,Log it,obj\n"
                         "INJ-003,5.50,2026-09-01T14:30:00+09:00,HQ,SDF,Phone,Request,Send trucks,obj2\n");
    RptOptions o = quiet("en");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h = get(dir, "report.html");
    CHECK(h && count(h, "class=\"inject\"") == 3);
    CHECK(h && strstr(h, "data-id=\"INJ-003\" data-t=\"5.5\"") != NULL);
    CHECK(h && strstr(h, "Shock, &lt;b&gt;strong&lt;/b&gt;") != NULL && count(h, "<b>") == 0);
    CHECK(h && strstr(h, "09-01 14:30") != NULL);
    free(h);
    tmpdir_free(dir);
    world_free(w);
}

TEST(compare_options_are_bars_with_cis_and_costs)
{
    TU_WORLD_OR_FAIL(w, load_base());
    char *dir = tmpdir_new();
    put(dir, "compare.json",
        "{\"meta\": {\"scenario\": \"bad-input-base\", \"quake\": \"q1\", \"n\": 8, \"seed\": 2},\n"
        " \"baseline\": {\"weighted_shortfall_mean\": 500},\n"
        " \"options\": [\n"
        "  {\"rank\": 2, \"option\": \"b\", \"name_en\": \"Second <i>\", \"cost_yen\": 1000,"
        "   \"weighted_shortfall_avoided\": {\"mean\": -5, \"ci95_lo\": -9, \"ci95_hi\": -1},"
        "   \"unserved_kl_avoided\": {\"mean\": 0, \"ci95_lo\": null, \"ci95_hi\": null},"
        "   \"dry_hours_class1_avoided\": {\"mean\": 0, \"ci95_lo\": 0, \"ci95_hi\": 0},"
        "   \"yen_per_kl_avoided\": null},\n"
        "  {\"rank\": 1, \"option\": \"a\", \"name_en\": \"First\", \"cost_yen\": 2500000,"
        "   \"weighted_shortfall_avoided\": {\"mean\": 40, \"ci95_lo\": 10, \"ci95_hi\": 70},"
        "   \"unserved_kl_avoided\": {\"mean\": 4, \"ci95_lo\": 1, \"ci95_hi\": 7},"
        "   \"dry_hours_class1_avoided\": {\"mean\": 2, \"ci95_lo\": 0, \"ci95_hi\": 4},"
        "   \"yen_per_kl_avoided\": 625000, \"yen_per_weighted_kl_avoided\": 62500}]}\n");
    RptOptions o = quiet("en");
    CHECK(rpt_write(dir, w, &o) == 0);
    char *h = get(dir, "report.html");
    CHECK(h && count(h, "class=\"opt\"") == 6);
    CHECK(h && count(h, "class=\"ci\"") == 5);   /* b's kL difference has no CI */
    CHECK(h && strstr(h, "data-id=\"a\" data-metric=\"weighted_shortfall\" data-mean=\"40\" data-lo=\"10\" data-hi=\"70\"") != NULL);
    /* rank 1 comes first */
    CHECK(h && strstr(h, "data-id=\"a\" data-metric") < strstr(h, "data-id=\"b\" data-metric"));
    CHECK(h && strstr(h, "<td>625,000</td>") != NULL && strstr(h, "<td>2,500,000</td>") != NULL);
    CHECK(h && strstr(h, "Second &lt;i&gt;") != NULL && count(h, "<i>") == 0);
    CHECK(h && strstr(h, "8 replicates") != NULL && strstr(h, "seed 2") != NULL);
    free(h);
    tmpdir_free(dir);
    world_free(w);
}

TEST(missing_or_broken_inputs_exit_1_and_foreign_ones_2)
{
    TU_WORLD_OR_FAIL(w, load_base());
    RptOptions o = quiet("en");
    char *dir = tmpdir_new();
    fprintf(stderr, "  (messages below are expected)\n");
    CHECK(rpt_write(dir, w, &o) == 1);                       /* nothing to report on */
    char *none = path_join(dir, "absent");
    CHECK(rpt_write(none, w, &o) == 1);                      /* no folder */
    free(none);
    put(dir, "summary.json", summary_json);
    CHECK(rpt_write(dir, w, &o) == 1);                       /* bands.csv missing */
    put(dir, "bands.csv", bands_csv);
    CHECK(rpt_write(dir, w, &o) == 1);                       /* replicates.csv missing */
    put(dir, "replicates.csv", "replicate,dry_hours_class1\n0,1\n");
    CHECK(rpt_write(dir, w, &o) == 1);                       /* no weighted_shortfall column */
    put(dir, "replicates.csv", "replicate,weighted_shortfall\n0,10\n1\n2,30\n");
    CHECK(rpt_write(dir, w, &o) == 1);                       /* a row of the wrong width */
    put(dir, "replicates.csv", replicates_csv);
    put(dir, "bands.csv", "hour,\"bad\n");
    CHECK(rpt_write(dir, w, &o) == 1);                       /* CSV syntax */
    put(dir, "bands.csv", bands_csv);
    put(dir, "summary.json", "{\"run\": {\"scenario\": \"bad-input-base\xff\"}}\n");
    CHECK(rpt_write(dir, w, &o) == 1);                       /* not UTF-8 */
    put(dir, "summary.json", "{\"run\": {\n");
    CHECK(rpt_write(dir, w, &o) == 1);                       /* not JSON */
    char *id = NULL, *sdir = NULL;
    CHECK(rpt_find_scenario(dir, "test_report", &id, &sdir) == 0 && id == NULL);
    free(id);
    free(sdir);
    put(dir, "summary.json", "{\"run\": {\"scenario\": \"tokyo-bay\", \"quake\": \"q1\", \"n\": 5}}\n");
    CHECK(rpt_write(dir, w, &o) == 2);                       /* another scenario */
    put(dir, "summary.json", "{\"run\": {\"scenario\": \"bad-input-base\", \"quake\": \"q9\", \"n\": 5}}\n");
    CHECK(rpt_write(dir, w, &o) == 2);                       /* an earthquake it does not have */
    char *p = path_join(dir, "report.html");
    struct stat st;
    CHECK(stat(p, &st) != 0);                                /* nothing written on failure */
    free(p);
    tmpdir_free(dir);
    world_free(w);
}

int main(void)
{
    RUN(esc_turns_markup_into_text);
    RUN(printf_escapes_every_string_and_formats_numbers);
    RUN(ticks_are_round_and_cover_the_range);
    RUN(clip_cuts_at_a_character_and_marks_the_cut);
    RUN(probability_colours_follow_the_classes);
    RUN(geojson_written_is_rfc7946_and_reads_back);
    RUN(shipped_coastline_reads_as_land_and_coast);
    RUN(sweep_report_has_every_chart_with_its_data);
    RUN(hostile_names_show_as_text);
    RUN(japanese_page_uses_japanese_names);
    RUN(run_report_has_a_trip_per_dispatch);
    RUN(a_trace_reads_the_same_in_every_csv_shape);
    RUN(drill_injects_are_drawn_and_tabled);
    RUN(compare_options_are_bars_with_cis_and_costs);
    RUN(missing_or_broken_inputs_exit_1_and_foreign_ones_2);
    return check_done();
}
