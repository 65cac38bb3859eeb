/* The report's sections for a transport plan (plan.json of `fuelsim
 * plan`): the map of planned flows (an arrow per source, destination and
 * mode, its width by kL) with the unmet demand by point and class, what
 * limits the plan and why points stay short, and the tasking tables per
 * asset group. Every arrow and circle carries data-* attributes with its
 * figures, for the tests. */
#include "report_int.h"

#include "drill.h"
#include "plansheet.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_color[NMODE] = {"#c0392b", "#1f5fa8", "#7b4f2c", "#2e8b3e"};
static const char *const mode_dash[NMODE] = {"", "", "6 3", "2 3"};
static const char *const mode_label[2][NMODE] = {{"road", "sea", "rail", "air (drums)"},
                                                 {"陸上", "海上", "鉄道", "航空(ドラム缶)"}};

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(x) ? x->valuestring : "";
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *place_name(const RptData *d, const char *id)
{
    const World *w = d->w;
    int p = world_find_place(w, id);
    if (p < 0) return id;
    if (world_place_is_demand(w, p)) return rpt_name(d, w->dem[p - w->nfac].name_en, w->dem[p - w->nfac].name_ja, id);
    return rpt_name(d, w->fac[p].name_en, w->fac[p].name_ja, id);
}

/* One arrow of the map: all planned kL from one place to another by one mode. */
typedef struct Arrow { int from, to, mode; double kl; } Arrow;

static int arrows_of(const RptData *d, const cJSON *tasks, Arrow **out)
{
    const World *w = d->w;
    Arrow *a = NULL;
    int n = 0, cap = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tasks) {
        int from = world_find_place(w, jstr(t, "from")), to = world_find_place(w, jstr(t, "to"));
        int mode = world_enum_lookup(world_mode_name, NMODE, jstr(t, "mode"));
        double kl = jnum(t, "kl");
        if (from < 0 || to < 0 || mode < 0 || !(kl > 0)) continue;
        int i = 0;
        while (i < n && !(a[i].from == from && a[i].to == to && a[i].mode == mode)) i++;
        if (i == n) {
            xgrow((void **)&a, &cap, n + 1, sizeof *a);
            a[n++] = (Arrow){from, to, mode, 0};
        }
        a[i].kl += kl;
    }
    *out = a;
    return n;
}

static void map_arrows(StrBuf *b, const RptData *d, const RptProj *p, const Arrow *a, int n)
{
    const World *w = d->w;
    double maxkl = 0;
    for (int i = 0; i < n; i++) maxkl = fmax(maxkl, a[i].kl);
    sb_puts(b, "<defs>");
    for (int m = 0; m < NMODE; m++)
        svg_printf(b, "<marker id=\"head%d\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"4\" "
                      "markerHeight=\"4\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"%r\"/></marker>",
                   m, mode_color[m]);
    sb_puts(b, "</defs>\n<g class=\"flows\">\n");
    /* widest first, so thin arrows stay visible on top */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            if ((a[i].kl >= maxkl / 4) != (pass == 0)) continue;
            double lat0, lon0, lat1, lon1, x0, y0, x1, y1;
            int o0, o1;
            world_place_latlon(w, a[i].from, &lat0, &lon0);
            world_place_latlon(w, a[i].to, &lat1, &lon1);
            rpt_map_xy(p, lat0, lon0, &x0, &y0, &o0);
            rpt_map_xy(p, lat1, lon1, &x1, &y1, &o1);
            double width = 1 + 7 * sqrt(a[i].kl / maxkl);
            /* a slight bend tells a flow from its way back and from other modes */
            double mx = (x0 + x1) / 2 - (y1 - y0) * 0.12, my = (y0 + y1) / 2 + (x1 - x0) * 0.12;
            svg_printf(b, "<path class=\"flow\" data-from=\"%s\" data-to=\"%s\" data-mode=\"%s\" data-kl=\"%.3f\" "
                          "d=\"M%f %fQ%f %f %f %f\" fill=\"none\" stroke=\"%r\" stroke-width=\"%.2f\" stroke-opacity=\"0.7\"",
                       world_place_id(w, a[i].from), world_place_id(w, a[i].to), world_mode_name[a[i].mode], a[i].kl,
                       x0, y0, mx, my, x1, y1, mode_color[a[i].mode], width);
            if (*mode_dash[a[i].mode]) svg_printf(b, " stroke-dasharray=\"%r\"", mode_dash[a[i].mode]);
            svg_printf(b, " marker-end=\"url(#head%d)\"><title>", a[i].mode);
            svg_esc(b, place_name(d, world_place_id(w, a[i].from)));
            sb_puts(b, " → ");
            svg_esc(b, place_name(d, world_place_id(w, a[i].to)));
            svg_printf(b, ": %.1f kL</title></path>\n", a[i].kl);
        }
    sb_puts(b, "</g>\n");
}

static void map_unmet(StrBuf *b, const RptData *d, const RptProj *p, const cJSON *um)
{
    const World *w = d->w;
    double maxkl = 0;
    const cJSON *u;
    cJSON_ArrayForEach(u, um) maxkl = fmax(maxkl, jnum(u, "kl"));
    sb_puts(b, "<g class=\"unmet\">\n");
    cJSON_ArrayForEach(u, um) {
        int pl = world_find_place(w, jstr(u, "point"));
        double kl = jnum(u, "kl");
        int cls = (int)jnum(u, "class");
        if (pl < 0 || !(kl > 0) || cls < 1 || cls > NCLASS) continue;
        double lat, lon, x, y;
        int out;
        world_place_latlon(w, pl, &lat, &lon);
        rpt_map_xy(p, lat, lon, &x, &y, &out);
        svg_printf(b, "<circle class=\"unmet\" data-point=\"%s\" data-class=\"%d\" data-kl=\"%.3f\" cx=\"%f\" cy=\"%f\" "
                      "r=\"%.2f\" fill=\"%r\" fill-opacity=\"0.45\" stroke=\"#333\" stroke-width=\"0.6\"><title>",
                   jstr(u, "point"), cls, kl, x, y, 3 + 14 * sqrt(kl / maxkl), svg_pcolor_class(cls - 1));
        svg_esc(b, place_name(d, jstr(u, "point")));
        svg_printf(b, ": %.1f kL</title></circle>\n", kl);
    }
    sb_puts(b, "</g>\n");
}

static void map_key(StrBuf *b, const RptData *d, double x, double y)
{
    int ja = d->ja;
    svg_printf(b, "<g class=\"legend\"><text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>\n", x, y,
               ja ? "計画輸送(幅は kL)" : "Planned flows (width: kL)");
    for (int m = 0; m < NMODE; m++) {
        double yy = y + 18 + 16 * m;
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%r\" stroke-width=\"3\"%s%r%s/>"
                      "<text x=\"%f\" y=\"%f\">%r</text>\n",
                   x, yy, x + 26, yy, mode_color[m], *mode_dash[m] ? " stroke-dasharray=\"" : "", mode_dash[m],
                   *mode_dash[m] ? "\"" : "", x + 32, yy + 4, mode_label[ja][m]);
    }
    double yc = y + 18 + 16 * NMODE + 12;
    svg_printf(b, "<text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>\n", x, yc, ja ? "計画上の不足(優先区分)" : "Unmet in the plan (class)");
    for (int c = 0; c < NCLASS; c++)
        svg_printf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"6\" fill=\"%r\" fill-opacity=\"0.45\" stroke=\"#333\"/>"
                      "<text x=\"%f\" y=\"%f\">%d</text>\n",
                   x + 8 + 28 * c, yc + 16, svg_pcolor_class(c), x + 16 + 28 * c, yc + 20, c + 1);
    sb_puts(b, "</g>\n");
}

static void sec_flowmap(StrBuf *b, const RptData *d, const cJSON *tasks, const cJSON *um)
{
    Arrow *a = NULL;
    int n = arrows_of(d, tasks, &a);
    double kl = jnum(d->plan, "planned_kl"), at = jnum(d->plan, "at_h");
    svg_printf(b, "<section id=\"planmap\"><h2>%s</h2>\n<p class=\"note\">", d->ja ? "計画輸送の地図" : "Map of the planned flows");
    if (d->ja) svg_printf(b, "発災後 %.0f 時間からの計画: %d 本の流れ、計 %.1f kL。円は計画上満たせない需要。", at, n, kl);
    else svg_printf(b, "Planned from hour %.0f: %d flows, %.1f kL in all; circles: demand the plan leaves unmet.", at, n, kl);
    sb_puts(b, "</p>\n");
    RptProj p;
    rpt_map_begin(b, d, &p, 230);
    map_arrows(b, d, &p, a, n);
    map_unmet(b, d, &p, um);
    rpt_map_end(b, &p);
    map_key(b, d, p.x + p.w + 20, p.y + 12);
    sb_puts(b, "</svg>\n");
    if (!d->have_coast) svg_printf(b, "<p class=\"note\">%s</p>\n", rpt_str(d, S_NO_COAST));
    sb_puts(b, "</section>\n");
    free(a);
}

static void sec_short(StrBuf *b, const RptData *d, const cJSON *bn, const cJSON *um)
{
    int ja = d->ja;
    svg_printf(b, "<section id=\"planshort\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n", ja ? "不足している制約" : "What is short",
               ja ? "LPの双対価格: 各制約を1単位緩めたときに減らせる重み付き不足量(kL)の上限。上位10件。"
                  : "From the LP's dual values: what one more unit of each limit saves at most, in weighted kL. Top ten.");
    svg_printf(b, "<table class=\"bottlenecks\"><tr><th>#</th><th class=\"l\">%s</th><th class=\"l\">id</th><th>%s</th>"
                  "<th class=\"l\">%s</th></tr>\n", ja ? "種類" : "limit", ja ? "限界価値" : "marginal value", ja ? "単位" : "unit");
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, bn) {
        if (++i > 10) break;
        svg_printf(b, "<tr><td>%d</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%.3f</td><td class=\"l\">%s</td></tr>\n",
                   i, jstr(x, "kind"), jstr(x, "id"), jnum(x, "value"), jstr(x, "unit"));
    }
    sb_puts(b, "</table>\n");
    svg_printf(b, "<h3>%s</h3>\n<table class=\"unmet\"><tr><th class=\"l\">%s</th><th>%s</th><th class=\"l\">%s</th>"
                  "<th>kL</th><th class=\"l\">%s</th></tr>\n", ja ? "需要が満たされない理由" : "Why demand stays unmet",
               ja ? "需要地" : "point", ja ? "優先" : "class", ja ? "油種" : "product", ja ? "制約" : "what stops it");
    cJSON_ArrayForEach(x, um) {
        sb_puts(b, "<tr><td class=\"l\">");
        svg_esc(b, place_name(d, jstr(x, "point")));
        svg_printf(b, "</td><td>%.0f</td><td class=\"l\">%s</td><td>%.1f</td><td class=\"l\">", jnum(x, "class"),
                   jstr(x, "product"), jnum(x, "kl"));
        svg_esc(b, jstr(x, "limit_text"));
        sb_puts(b, "</td></tr>\n");
    }
    sb_puts(b, "</table></section>\n");
}

/* clock: plan.json's "start" parsed once per section, NULL without one */
static void task_time(StrBuf *b, const DrlParams *clock, double h)
{
    if (clock) {
        char buf[40];
        drl_format_iso(drl_exercise_s(clock, h), buf, sizeof buf);
        svg_printf(b, "<td class=\"nw\">%s</td>", buf);
    } else {
        svg_printf(b, "<td>%.1f</td>", h);
    }
}

static void sec_tasks(StrBuf *b, const RptData *d, const cJSON *tasks)
{
    int ja = d->ja;
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(d->plan, "totals");
    const char *start = jstr(d->plan, "start");
    DrlParams clk = {.compress = 1};
    const DrlParams *clock = *start && drl_parse_iso(start, &clk.start_s) == 0 ? &clk : NULL;
    svg_printf(b, "<section id=\"plantasks\" class=\"long\"><h2>%s</h2>\n", ja ? "任務割当表" : "Tasking sheets");
    svg_printf(b, "<table class=\"totals\"><tr><th class=\"l\">%s</th><th>%s 1</th><th>%s 2</th><th>%s 3</th><th>%s 4</th>"
                  "<th>%s</th><th>%s</th><th>%s</th></tr>\n", ja ? "区分" : "group", ja ? "優先" : "class", ja ? "優先" : "class",
               ja ? "優先" : "class", ja ? "優先" : "class", ja ? "油槽所" : "depots", ja ? "計 kL" : "total kL",
               ja ? "車両・便数" : "loads");
    for (int g = 0; g < PSH_NGROUP; g++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(tot, psh_group_id[g]);
        svg_printf(b, "<tr data-group=\"%s\"><td class=\"l\">%s</td>", psh_group_id[g], psh_group_label[ja][g]);
        for (int k = 0; k < PSH_NDEST; k++) svg_printf(b, "<td>%.1f</td>", jnum(o, psh_dest_key[k]));
        svg_printf(b, "<td>%.1f</td><td>%.0f</td></tr>\n", jnum(o, "kl"), jnum(o, "loads"));
    }
    sb_puts(b, "</table>\n");
    for (int g = 0; g < PSH_NGROUP; g++) {
        int any = 0;
        const cJSON *t;
        cJSON_ArrayForEach(t, tasks) {
            if (strcmp(jstr(t, "group"), psh_group_id[g]) != 0) continue;
            if (!any++)
                svg_printf(b, "<h3>%s</h3>\n<table class=\"tasking\" data-group=\"%s\"><tr><th>%s</th><th>%s</th>"
                              "<th class=\"l\">%s</th><th class=\"l\">%s</th><th class=\"l\">%s</th><th>kL</th><th>%s</th>"
                              "<th>%s</th><th>%s</th></tr>\n", psh_group_label[ja][g], psh_group_id[g], ja ? "日" : "day",
                           ja ? "期" : "period", ja ? "発" : "from", ja ? "着" : "to", ja ? "油種" : "product",
                           ja ? "車両・便数" : "loads", ja ? "出発" : "depart", ja ? "到着" : "arrive");
            svg_printf(b, "<tr><td>%.0f</td><td>%.0f</td><td class=\"l\">", jnum(t, "day"), jnum(t, "period"));
            svg_esc(b, place_name(d, jstr(t, "from")));
            sb_puts(b, "</td><td class=\"l\">");
            svg_esc(b, place_name(d, jstr(t, "to")));
            svg_printf(b, "</td><td class=\"l\">%s</td><td class=\"kl\">%.1f</td><td>%.0f</td>", jstr(t, "product"),
                       jnum(t, "kl"), jnum(t, "loads"));
            task_time(b, clock, jnum(t, "depart_h"));
            task_time(b, clock, jnum(t, "arrive_h"));
            sb_puts(b, "</tr>\n");
        }
        if (any) sb_puts(b, "</table>\n");
    }
    sb_puts(b, "</section>\n");
}

void rpt_sec_plan(StrBuf *b, const RptData *d)
{
    if (!d->plan) return;
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(d->plan, "tasking");
    const cJSON *um = cJSON_GetObjectItemCaseSensitive(d->plan, "unmet_points");
    const cJSON *bn = cJSON_GetObjectItemCaseSensitive(d->plan, "bottlenecks");
    sec_flowmap(b, d, tasks, um);
    if (bn) sec_short(b, d, bn, um);
    sec_tasks(b, d, tasks);
}
