/* The charts of the report, each an inline SVG inside its own <section>:
 * map, fan chart, histogram, restoration intervals, Gantt chart of trips,
 * drill timeline and investment comparison. Every drawn data item carries
 * data-* attributes with its values, so that a browser test (and a reader
 * of the source) can check the picture against the files it came from.
 * All text from a scenario or a file goes through svg_printf's %s. */
#include "report_int.h"

#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEG 111.195   /* great-circle km per degree of latitude (R = 6371 km) */

/* ---- axes ------------------------------------------------------------------ */

/* A plot area in pixels and the data range it shows. */
typedef struct Ax {
    double x, y, w, h;
    double x0, x1, y0, y1;
    int logx;
} Ax;

static double ax_x(const Ax *a, double v)
{
    if (a->logx) {
        double lv = log10(v > a->x0 ? v : a->x0);
        return a->x + (lv - log10(a->x0)) / (log10(a->x1) - log10(a->x0)) * a->w;
    }
    return a->x + (v - a->x0) / (a->x1 - a->x0) * a->w;
}

static double ax_y(const Ax *a, double v)
{
    return a->y + a->h - (v - a->y0) / (a->y1 - a->y0) * a->h;
}

/* Left and bottom axes with ticks, grid lines and labels; y as percent
 * when pct. xtick NULL: nice ticks; else nx given ticks with labels. */
static void ax_draw(SvgBuf *b, const Ax *a, const char *xlabel, const char *ylabel, int pct,
                    int nx, const double *xtick, const char *const *xtl)
{
    double t[16];
    int n = svg_ticks(a->y0, a->y1, 6, t);
    svg_raw(b, "<g class=\"axes\">");
    for (int i = 0; i < n; i++) {
        char s[32];
        double y = ax_y(a, t[i]);
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/>", a->x, y, a->x + a->w, y);
        if (pct) snprintf(s, sizeof s, "%.0f", t[i] * 100);
        else svg_fmt_num(s, sizeof s, t[i]);
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"end\">%s</text>", a->x - 4, y + 4, s);
    }
    if (!xtick) {
        n = svg_ticks(a->x0, a->x1, 9, t);
        xtick = t;
        nx = n;
    }
    for (int i = 0; i < nx; i++) {
        char s[32];
        double x = ax_x(a, xtick[i]);
        if (x < a->x - 0.5 || x > a->x + a->w + 0.5) continue;
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/>", x, a->y, x, a->y + a->h);
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\">%s</text>", x, a->y + a->h + 14,
                   xtl ? xtl[i] : svg_fmt_num(s, sizeof s, xtick[i]));
    }
    svg_printf(b, "<path d=\"M%f %fV%fH%f\" fill=\"none\" stroke=\"#555\"/>", a->x, a->y, a->y + a->h, a->x + a->w);
    if (xlabel)
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\">%s</text>", a->x + a->w / 2,
                   a->y + a->h + 30, xlabel);
    if (ylabel)
        svg_printf(b, "<text transform=\"translate(%f %f) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                   a->x - 38, a->y + a->h / 2, ylabel);
    svg_raw(b, "</g>\n");
}

static const char *const class_color[NCLASS] = {"#54278f", "#756bb1", "#9e9ac8", "#cbc9e2"};
static const char *const product_color[NPROD] = {"#e69f00", "#0072b2", "#009e73", "#cc79a7"};
static const RptStr class_str[NCLASS] = {S_CLASS1, S_CLASS2, S_CLASS3, S_CLASS4};

/* ---- map ----------------------------------------------------------------------- */

typedef struct Proj {
    double lon0, lon1, lat0, lat1;
    double kx, s;          /* cos(mid latitude); px per degree of latitude */
    double x, y, w, h;     /* map frame in px */
} Proj;

static double pj_x(const Proj *p, double lon) { return p->x + (lon - p->lon0) * p->kx * p->s; }
static double pj_y(const Proj *p, double lat) { return p->y + (p->lat1 - lat) * p->s; }

static int pj_inside(const Proj *p, double lat, double lon)
{
    return lon >= p->lon0 && lon <= p->lon1 && lat >= p->lat0 && lat <= p->lat1;
}

/* The fault rectangle at the surface: 4 corners (lat, lon), top edge first
 * (corners 0 and 1). The frame is the one of haz_rupture_dist_km: (lat, lon)
 * is the top edge's centre, strike clockwise from north, dip to the right. */
static void rupture_corners(const Earthquake *q, double lat[4], double lon[4])
{
    const double k = M_PI / 180.0;
    double sx = sin(q->strike_deg * k), sy = cos(q->strike_deg * k);
    double horiz = q->width_km * cos(q->dip_deg * k);
    double dx = cos(q->strike_deg * k) * horiz, dy = -sin(q->strike_deg * k) * horiz;
    double L = q->length_km / 2;
    double ex[4] = {-L * sx, L * sx, L * sx + dx, -L * sx + dx};
    double ny[4] = {-L * sy, L * sy, L * sy + dy, -L * sy + dy};
    for (int i = 0; i < 4; i++) {
        lat[i] = q->lat + ny[i] / KM_PER_DEG;
        lon[i] = q->lon + ex[i] / (KM_PER_DEG * cos(q->lat * k));
    }
}

static void grow_box(double *b, double lat, double lon)
{
    if (lat < b[0]) b[0] = lat;
    if (lat > b[1]) b[1] = lat;
    if (lon < b[2]) b[2] = lon;
    if (lon > b[3]) b[3] = lon;
}

/* Map extent: the places that lie on the base map (all places when there
 * is none or none lie on it), and the earthquake source when it is near;
 * padded and at least MIN_SPAN degrees of latitude tall. */
#define MIN_SPAN 0.3
static void map_extent(const RptData *d, Proj *p, double maxw, double maxh)
{
    const World *w = d->w;
    double box[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    int np = world_nplace(w);
    for (int pass = 0; pass < 2 && !(box[0] <= box[1]); pass++)
        for (int i = 0; i < np; i++) {
            double lat, lon;
            world_place_latlon(w, i, &lat, &lon);
            if (pass == 0 && d->have_coast &&
                !(lon >= d->coast.lon0 && lon <= d->coast.lon1 && lat >= d->coast.lat0 && lat <= d->coast.lat1))
                continue;
            grow_box(box, lat, lon);
        }
    if (!(box[0] <= box[1])) {   /* no places at all */
        box[0] = 34.8; box[1] = 36.6; box[2] = 138.9; box[3] = 141.0;
    }
    if (d->quake >= 0) {
        const Earthquake *q = &w->quake[d->quake];
        double span = fmax(box[1] - box[0], box[3] - box[2]);
        if (q->lat > box[0] - span / 2 && q->lat < box[1] + span / 2 && q->lon > box[2] - span / 2 &&
            q->lon < box[3] + span / 2)
            grow_box(box, q->lat, q->lon);
    }
    double pad_lat = (box[1] - box[0]) * 0.06 + 0.02, pad_lon = (box[3] - box[2]) * 0.06 + 0.02;
    box[0] -= pad_lat; box[1] += pad_lat; box[2] -= pad_lon; box[3] += pad_lon;
    if (box[1] - box[0] < MIN_SPAN) {
        double m = (box[0] + box[1]) / 2;
        box[0] = m - MIN_SPAN / 2; box[1] = m + MIN_SPAN / 2;
    }
    p->kx = cos((box[0] + box[1]) / 2 * M_PI / 180.0);
    if ((box[3] - box[2]) * p->kx < MIN_SPAN) {
        double m = (box[2] + box[3]) / 2;
        box[2] = m - MIN_SPAN / 2 / p->kx; box[3] = m + MIN_SPAN / 2 / p->kx;
    }
    p->lat0 = box[0]; p->lat1 = box[1]; p->lon0 = box[2]; p->lon1 = box[3];
    p->s = fmin(maxw / ((p->lon1 - p->lon0) * p->kx), maxh / (p->lat1 - p->lat0));
    p->w = (p->lon1 - p->lon0) * p->kx * p->s;
    p->h = (p->lat1 - p->lat0) * p->s;
}

/* The marker's position: on the map, or clamped to its edge (*out = 1). */
static void place_xy(const Proj *p, double lat, double lon, double *x, double *y, int *out)
{
    *out = !pj_inside(p, lat, lon);
    *x = pj_x(p, lon < p->lon0 ? p->lon0 : lon > p->lon1 ? p->lon1 : lon);
    *y = pj_y(p, lat < p->lat0 ? p->lat0 : lat > p->lat1 ? p->lat1 : lat);
}

static void map_coast(SvgBuf *b, const RptData *d, const Proj *p)
{
    /* land first, then the coast over it, as the layer's order intends */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < d->coast.n; i++) {
            const GjShape *s = &d->coast.shape[i];
            if (s->fill != (pass == 0)) continue;
            svg_printf(b, "<path class=\"%r\" d=\"", s->fill ? "land" : "coast");
            for (int r = 0; r < s->nring; r++) {
                for (int k = s->start[r]; k < s->start[r + 1]; k++)
                    svg_printf(b, "%r%f %f", k == s->start[r] ? "M" : "L", pj_x(p, s->pt[2 * k]),
                               pj_y(p, s->pt[2 * k + 1]));
                if (s->fill) svg_raw(b, "Z");
            }
            if (s->fill) svg_raw(b, "\" fill=\"#f3efe4\" stroke=\"none\" fill-rule=\"evenodd\"/>\n");
            else svg_raw(b, "\" fill=\"none\" stroke=\"#6f8fa8\" stroke-width=\"1\"/>\n");
        }
    }
}

static void map_graticule(SvgBuf *b, const Proj *p)
{
    double t[16];
    int n = svg_ticks(p->lon0, p->lon1, 6, t);
    svg_raw(b, "<g class=\"graticule\">");
    for (int i = 0; i < n; i++) {
        double x = pj_x(p, t[i]);
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#c9d6df\" stroke-width=\"0.5\"/>"
                      "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\">%g°E</text>",
                   x, p->y, x, p->y + p->h, x, p->y + p->h + 13, t[i]);
    }
    n = svg_ticks(p->lat0, p->lat1, 6, t);
    for (int i = 0; i < n; i++) {
        double y = pj_y(p, t[i]);
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#c9d6df\" stroke-width=\"0.5\"/>"
                      "<text x=\"%f\" y=\"%f\" text-anchor=\"end\">%g°N</text>",
                   p->x, y, p->x + p->w, y, p->x - 3, y + 4, t[i]);
    }
    svg_raw(b, "</g>\n");
}

static void map_scalebar(SvgBuf *b, const Proj *p)
{
    double km_px = KM_PER_DEG / p->s;
    double t[16];
    /* a round length near a fifth of the map */
    int n = svg_ticks(0, p->w * km_px / 5, 3, t);
    double km = n > 1 ? t[1] : 1;
    double len = km / km_px, x = p->x + 12, y = p->y + p->h - 14;
    svg_printf(b, "<g class=\"scalebar\"><rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"22\" fill=\"#fff\" "
                  "fill-opacity=\"0.8\"/><path d=\"M%f %fv5h%fv-5\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\"/>"
                  "<text x=\"%f\" y=\"%f\">%g km</text></g>\n",
               x - 6, y - 14, len + 60, x, y, len, x + len + 6, y + 4, km);
    svg_printf(b, "<g class=\"north\"><path d=\"M%f %fl6 14l-6 -4l-6 4z\" fill=\"#222\"/>"
                  "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\">N</text></g>\n",
               p->x + p->w - 20, p->y + 22, p->x + p->w - 20, p->y + 18);
}

static const char *link_dash(int mode)
{
    switch (mode) {
    case MODE_SEA: return "6 4";
    case MODE_RAIL: return "8 3 2 3";
    case MODE_AIR: return "2 3";
    default: return "none";
    }
}

/* Classes of how long a link stayed closed in a run, on the probability
 * scale's colours: up to 24 h, 72 h, a week, longer, never reopened. */
static const double closed_lim[SVG_NPCLASS - 1] = {24, 72, 168, INFINITY};

static int closed_class(double h)
{
    int k = 0;
    while (k < SVG_NPCLASS - 1 && h > closed_lim[k]) k++;
    return k;
}

static const char *const link_base_color[NMODE] = {"#7a7a7a", "#3b78b0", "#5b8c3a", "#999999"};

static void map_links(SvgBuf *b, const RptData *d, const Proj *p)
{
    const World *w = d->w;
    svg_raw(b, "<g class=\"links\">\n");
    for (int l = 0; l < w->nlink; l++) {
        const Link *k = &w->link[l];
        double la0, lo0, la1, lo1, x0, y0, x1, y1;
        int o0, o1;
        world_place_latlon(w, k->from, &la0, &lo0);
        world_place_latlon(w, k->to, &la1, &lo1);
        place_xy(p, la0, lo0, &x0, &y0, &o0);
        place_xy(p, la1, lo1, &x1, &y1, &o1);
        const char *color = link_base_color[k->mode];
        double width = k->mode == MODE_ROAD && k->emergency_road ? 1.6 : 1.0;
        double pcl = d->link_p ? d->link_p[l] : NAN;
        double closed = d->link_closed_h ? d->link_closed_h[l] : NAN;
        if (!isnan(pcl)) { color = svg_pcolor(pcl); width = 2.2; }
        else if (!d->sweep && closed > 0) { color = svg_pcolor_class(closed_class(closed)); width = 2.2; }
        /* a dark casing keeps the pale classes visible on land */
        if (width > 2)
            svg_printf(b, "<line class=\"casing\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#555\" "
                          "stroke-width=\"%.1f\" stroke-dasharray=\"%r\" opacity=\"0.8\"/>",
                       x0, y0, x1, y1, width + 1.4, link_dash(k->mode));
        svg_printf(b, "<line class=\"link\" data-id=\"%s\" data-mode=\"%r\"", k->id, world_mode_name[k->mode]);
        if (!isnan(pcl)) svg_printf(b, " data-p=\"%.3f\"", pcl);
        if (!isnan(closed)) svg_printf(b, " data-closed-h=\"%g\"", closed);
        svg_printf(b, " x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%r\" stroke-width=\"%.1f\" "
                      "stroke-dasharray=\"%r\" opacity=\"0.8\"><title>%s (%r) %s – %s</title></line>\n",
                   x0, y0, x1, y1, color, width, link_dash(k->mode), k->id, world_mode_name[k->mode],
                   world_place_id(w, k->from), world_place_id(w, k->to));
    }
    svg_raw(b, "</g>\n");
}

static void map_quake(SvgBuf *b, const RptData *d, const Proj *p, int *outside)
{
    *outside = 0;
    if (d->quake < 0) return;
    const Earthquake *q = &d->w->quake[d->quake];
    double lat[4], lon[4];
    int n = 1, any_in = pj_inside(p, q->lat, q->lon);
    if (q->length_km > 0) {
        rupture_corners(q, lat, lon);
        n = 4;
        /* visible when a corner or an edge midpoint is on the map */
        for (int i = 0; i < 4; i++)
            any_in |= pj_inside(p, lat[i], lon[i]) ||
                      pj_inside(p, (lat[i] + lat[(i + 1) % 4]) / 2, (lon[i] + lon[(i + 1) % 4]) / 2);
    }
    if (!any_in) { *outside = 1; return; }
    svg_printf(b, "<g class=\"quake\" data-id=\"%s\" clip-path=\"url(#mapclip)\">", q->id);
    if (n == 4) {
        svg_printf(b, "<polygon class=\"rupture\" data-strike=\"%g\" data-dip=\"%g\" data-length-km=\"%g\" "
                      "data-width-km=\"%g\" points=\"", q->strike_deg, q->dip_deg, q->length_km, q->width_km);
        for (int i = 0; i < 4; i++) svg_printf(b, "%f,%f ", pj_x(p, lon[i]), pj_y(p, lat[i]));
        svg_printf(b, "\" fill=\"#d7301f\" fill-opacity=\"0.12\" stroke=\"#b30000\" stroke-dasharray=\"5 3\"/>"
                      "<line class=\"rupture-top\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#b30000\" "
                      "stroke-width=\"2.5\"/>",
                   pj_x(p, lon[0]), pj_y(p, lat[0]), pj_x(p, lon[1]), pj_y(p, lat[1]));
    }
    double x = pj_x(p, q->lon), y = pj_y(p, q->lat);
    svg_printf(b, "<path class=\"epicentre\" d=\"M%f %fl2.4 7.2h7.6l-6.1 4.5l2.3 7.3l-6.2 -4.5l-6.2 4.5l2.3 -7.3"
                  "l-6.1 -4.5h7.6z\" fill=\"#b30000\" stroke=\"#fff\" stroke-width=\"0.8\"><title>%s</title></path></g>\n",
               x, y - 10, rpt_name(d, q->name_en, q->name_ja, q->id));
}

/* Facilities with components are the numbered ones on the map (numbered in
 * World order, from 1) and in its key. */
static int fac_has_comp(const World *w, int f)
{
    for (int k = 0; k < w->ncomp; k++)
        if (w->comp[k].facility == f) return 1;
    return 0;
}

static const char *ds_color(int ds)
{
    return ds < 0 ? "#bbbbbb" : svg_pcolor_class(ds);
}

static void map_places(SvgBuf *b, const RptData *d, const Proj *p, int *nout)
{
    const World *w = d->w;
    svg_raw(b, "<g class=\"demand\">\n");
    for (int i = 0; i < w->ndem; i++) {
        const DemandPoint *x = &w->dem[i];
        double px, py;
        int out;
        place_xy(p, x->lat, x->lon, &px, &py, &out);
        /* points of one cluster share a centroid: set them round it */
        int same = 0, before = 0;
        for (int j = 0; j < w->ndem; j++)
            if (w->dem[j].lat == x->lat && w->dem[j].lon == x->lon) {
                same++;
                before += j < i;
            }
        if (same > 1) {
            double ang = 2 * M_PI * before / same;
            px += 7 * sin(ang);
            py -= 7 * cos(ang);
        }
        *nout += out;
        int c = x->priority >= 1 && x->priority <= NCLASS ? x->priority - 1 : NCLASS - 1;
        double r = 4.2 - 0.5 * c;
        svg_printf(b, "<rect class=\"dem\" data-id=\"%s\" data-class=\"%d\"%r x=\"%f\" y=\"%f\" width=\"%f\" "
                      "height=\"%f\" fill=\"%r\" stroke=\"#333\" stroke-width=\"0.5\"><title>%s (%s)</title></rect>\n",
                   x->id, c + 1, out ? " data-outside=\"1\"" : "", px - r, py - r, 2 * r, 2 * r, class_color[c],
                   rpt_name(d, x->name_en, x->name_ja, x->id), x->id);
    }
    svg_raw(b, "</g>\n<g class=\"facilities\">\n");
    int key = 0;
    *nout = 0;
    for (int f = 0; f < w->nfac; f++) {
        const Facility *x = &w->fac[f];
        double px, py;
        int out;
        place_xy(p, x->lat, x->lon, &px, &py, &out);
        *nout += out;
        int comp = fac_has_comp(w, f);
        double pe = rpt_fac_pext(d, f);
        const char *fill = d->sweep ? svg_pcolor(pe) : ds_color(d->fac_ds ? d->fac_ds[f] : -1);
        double r = !comp ? 2.5 : x->kind == FAC_REFINERY ? 7.5 : 6;
        svg_printf(b, "<circle class=\"fac\" data-id=\"%s\" data-kind=\"%r\"", x->id, world_fac_kind_name[x->kind]);
        if (!isnan(pe)) svg_printf(b, " data-p=\"%.3f\"", pe);
        if (out) svg_raw(b, " data-outside=\"1\"");
        svg_printf(b, " cx=\"%f\" cy=\"%f\" r=\"%.1f\" fill=\"%r\" stroke=\"%r\" stroke-width=\"%r\"%r>"
                      "<title>%s (%s)",
                   px, py, r, comp ? fill : "#9a9a9a", comp ? "#222" : "#666", comp ? "1" : "0.5",
                   out ? " stroke-dasharray=\"2 1.5\"" : "", rpt_name(d, x->name_en, x->name_ja, x->id), x->id);
        if (!isnan(pe) && d->sweep) svg_printf(b, ": %.0f%%", pe * 100);
        else if (d->fac_ds && d->fac_ds[f] >= 0) svg_printf(b, ": %r", world_ds_name[d->fac_ds[f]]);
        svg_raw(b, "</title></circle>\n");
        if (comp) {
            key++;
            svg_printf(b, "<text class=\"key\" x=\"%f\" y=\"%f\" font-size=\"9\" stroke=\"#fff\" stroke-width=\"2.5\" "
                          "paint-order=\"stroke\">%d</text>\n", px + r + 1, py - r / 2, key);
        }
    }
    svg_raw(b, "</g>\n");
}

/* Legend lines at baseline y: a swatch, then the text; each returns the
 * next line's baseline. */
static double legend_swatch_rect(SvgBuf *b, double x, double y, const char *fill, const char *text)
{
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"14\" height=\"10\" fill=\"%r\" stroke=\"#333\" stroke-width=\"0.5\"/>"
                  "<text x=\"%f\" y=\"%f\">%s</text>", x, y - 9, fill, x + 20, y, text);
    return y + 16;
}

static double legend_line(SvgBuf *b, double x, double y, const char *color, double width, const char *dash,
                          const char *text)
{
    if (width > 2)
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#555\" stroke-width=\"%.1f\"/>",
                   x, y - 4, x + 14, y - 4, width + 1.4);
    svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%r\" stroke-width=\"%.1f\" "
                  "stroke-dasharray=\"%r\"/><text x=\"%f\" y=\"%f\">%s</text>",
               x, y - 4, x + 14, y - 4, color, width, dash, x + 20, y, text);
    return y + 16;
}

static void map_legend(SvgBuf *b, const RptData *d, double x, double y, int quake_outside, int nout)
{
    const World *w = d->w;
    svg_printf(b, "<g class=\"legend\"><text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>", x, y,
               d->sweep ? rpt_str(d, S_P_EXT) : rpt_str(d, S_DS_RUN));
    y += 18;
    static const char *const plabel[SVG_NPCLASS] = {"0–10%", "10–25%", "25–50%", "50–75%", "75–100%"};
    for (int i = 0; i < SVG_NPCLASS; i++) {
        svg_printf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"6\" fill=\"%r\" stroke=\"#222\"/><text x=\"%f\" y=\"%f\">%r</text>",
                   x + 7, y - 4, svg_pcolor_class(i), x + 20, y, d->sweep ? plabel[i] : world_ds_name[i]);
        y += 16;
    }
    svg_printf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"2.5\" fill=\"#9a9a9a\"/><text x=\"%f\" y=\"%f\">%s</text>",
               x + 7, y - 4, x + 20, y, rpt_str(d, S_WAYPOINT));
    y += 16;
    svg_printf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"6\" fill=\"#bbbbbb\" stroke=\"#222\"/><text x=\"%f\" y=\"%f\">%s</text>",
               x + 7, y - 4, x + 20, y, rpt_str(d, S_NO_COMP));
    y += 24;
    svg_printf(b, "<text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>", x, y, rpt_str(d, S_DEMAND));
    y += 18;
    for (int c = 0; c < NCLASS; c++) y = legend_swatch_rect(b, x, y, class_color[c], rpt_str(d, class_str[c]));
    y += 8;
    int has_mode[NMODE] = {0};
    for (int l = 0; l < w->nlink; l++) has_mode[w->link[l].mode] = 1;
    int have_p = 0;
    for (int l = 0; d->link_p && l < w->nlink; l++) have_p |= !isnan(d->link_p[l]);
    svg_printf(b, "<text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>", x, y,
               have_p ? rpt_str(d, S_LINK_P) : d->ja ? "経路" : "links");
    if (!have_p && d->sweep) {
        y += 14;
        svg_printf(b, "<text x=\"%f\" y=\"%f\" font-size=\"10\">%s</text>", x, y, rpt_str(d, S_LINK_NODATA));
    }
    y += 18;
    static const RptStr mode_str[NMODE] = {S_ROAD, S_SEA, S_RAIL, S_AIR};
    for (int m = 0; m < NMODE; m++)
        if (has_mode[m]) y = legend_line(b, x, y, link_base_color[m], 1.2, link_dash(m), rpt_str(d, mode_str[m]));
    if (!d->sweep && d->link_closed_h) {
        svg_printf(b, "<text x=\"%f\" y=\"%f\">%s:</text>", x, y, rpt_str(d, S_LINK_CLOSED));
        y += 16;
        static const char *const cl_en[SVG_NPCLASS] = {"≤ 24 h", "24–72 h", "72–168 h", "> 168 h", "not reopened"};
        static const char *const cl_ja[SVG_NPCLASS] = {"24時間以内", "24–72時間", "72–168時間", "168時間超",
                                                       "期間内に再開せず"};
        for (int k = 0; k < SVG_NPCLASS; k++)
            y = legend_line(b, x + 10, y, svg_pcolor_class(k), 2.2, "none", d->ja ? cl_ja[k] : cl_en[k]);
    }
    y += 8;
    if (d->quake >= 0) {
        const Earthquake *q = &w->quake[d->quake];
        if (q->length_km > 0) {
            svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"14\" height=\"10\" fill=\"#d7301f\" fill-opacity=\"0.12\" "
                          "stroke=\"#b30000\" stroke-dasharray=\"3 2\"/><line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" "
                          "stroke=\"#b30000\" stroke-width=\"2.5\"/><text x=\"%f\" y=\"%f\">%s</text>",
                       x, y - 9, x, y - 9, x + 14, y - 9, x + 20, y, rpt_str(d, S_RUPTURE));
            y += 16;
        }
        svg_printf(b, "<path d=\"M%f %fl2.4 7.2h7.6l-6.1 4.5l2.3 7.3l-6.2 -4.5l-6.2 4.5l2.3 -7.3l-6.1 -4.5h7.6z\" "
                      "fill=\"#b30000\" transform=\"scale(0.7)\" transform-origin=\"%f %f\"/><text x=\"%f\" y=\"%f\">%s</text>",
                   x + 7, y - 14, x + 7, y - 4, x + 20, y,
                   q->length_km > 0 ? (d->ja ? "断層上端の中央" : "centre of the fault's top edge") : rpt_str(d, S_EPICENTRE));
        y += 16;
        if (quake_outside) {
            svg_printf(b, "<text x=\"%f\" y=\"%f\" class=\"quake-outside\">%s:</text><text x=\"%f\" y=\"%f\">"
                          "%.2f°N %.2f°E</text>", x, y, rpt_str(d, S_QUAKE_OUTSIDE), x + 20, y + 14, q->lat, q->lon);
            y += 30;
        }
    }
    if (nout)
        svg_printf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"5\" fill=\"#fff\" stroke=\"#222\" stroke-dasharray=\"2 1.5\"/>"
                      "<text x=\"%f\" y=\"%f\">%s (%d)</text>", x + 7, y - 4, x + 20, y, rpt_str(d, S_OUTSIDE), nout);
    svg_raw(b, "</g>\n");
}

void rpt_sec_map(SvgBuf *b, const RptData *d)
{
    const World *w = d->w;
    Proj p;
    memset(&p, 0, sizeof p);
    map_extent(d, &p, 640, 760);
    p.x = 46;
    p.y = 10;
    double W = p.x + p.w + 290, H = fmax(p.y + p.h + 24, 560);
    svg_printf(b, "<section id=\"map\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n", rpt_str(d, S_MAP),
               d->sweep ? rpt_str(d, S_MAP_NOTE_SWEEP) : rpt_str(d, S_MAP_NOTE_RUN));
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart map\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-lon0=\"%.4f\" data-lon1=\"%.4f\" data-lat0=\"%.4f\" data-lat1=\"%.4f\">\n",
               W, H, W, H, p.lon0, p.lon1, p.lat0, p.lat1);
    svg_printf(b, "<defs><clipPath id=\"mapclip\"><rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\"/></clipPath></defs>\n",
               p.x, p.y, p.w, p.h);
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"%r\"/>\n", p.x, p.y, p.w, p.h,
               d->have_coast ? "#e6eff5" : "#fafafa");
    svg_raw(b, "<g clip-path=\"url(#mapclip)\">\n");
    map_coast(b, d, &p);
    svg_raw(b, "</g>\n");
    map_graticule(b, &p);
    map_links(b, d, &p);
    int nout, qout;
    map_places(b, d, &p, &nout);
    map_quake(b, d, &p, &qout);
    map_scalebar(b, &p);
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"none\" stroke=\"#555\"/>\n", p.x, p.y, p.w, p.h);
    map_legend(b, d, p.x + p.w + 20, p.y + 12, qout, nout);
    svg_raw(b, "</svg>\n");
    if (!d->have_coast) svg_printf(b, "<p class=\"note\">%s</p>\n", rpt_str(d, S_NO_COAST));
    /* the key to the numbers on the map */
    svg_raw(b, "<table class=\"mapkey\"><tr><th>#</th><th class=\"l\">id</th><th class=\"l\">");
    svg_printf(b, "%s</th><th>%s</th></tr>\n", d->ja ? "施設" : "facility",
               d->sweep ? rpt_str(d, S_P_EXT) : rpt_str(d, S_DS_RUN));
    int key = 0;
    for (int f = 0; f < w->nfac; f++) {
        if (!fac_has_comp(w, f)) continue;
        key++;
        const Facility *x = &w->fac[f];
        svg_printf(b, "<tr><td>%d</td><td class=\"l\">%s</td><td class=\"l\">%s</td><td>", key, x->id,
                   rpt_name(d, x->name_en, x->name_ja, x->id));
        double pe = rpt_fac_pext(d, f);
        if (d->sweep) {
            if (!isnan(pe)) svg_printf(b, "%.0f%%", pe * 100);
            else svg_raw(b, "–");
        } else if (d->fac_ds && d->fac_ds[f] >= 0) {
            svg_printf(b, "%r", world_ds_name[d->fac_ds[f]]);
        } else {
            svg_raw(b, "–");
        }
        svg_raw(b, "</td></tr>\n");
    }
    svg_raw(b, "</table></section>\n");
}

/* ---- fan chart ------------------------------------------------------------------- */

/* A path through the finite values of v[0..n-1] against hours 0..n-1; a
 * NaN breaks the line. Returns the number of points drawn. */
static int series_path(SvgBuf *b, const Ax *a, const double *v, int n)
{
    int pts = 0, pen = 0;
    for (int h = 0; h < n; h++) {
        if (isnan(v[h])) { pen = 0; continue; }
        svg_printf(b, "%r%f %f", pen ? "L" : "M", ax_x(a, h), ax_y(a, v[h]));
        pen = 1;
        pts++;
    }
    return pts;
}

void rpt_sec_fan(SvgBuf *b, const RptData *d)
{
    int sweep = d->sweep && d->nh > 0;
    int n = sweep ? d->nh : d->nts;
    if (!sweep && !(d->run && d->nts > 0)) return;
    double pw = 400, ph = 170, W = 960, H = 2 * (ph + 74) + 30;
    svg_printf(b, "<section id=\"fan\"><h2>%s</h2>\n", sweep ? rpt_str(d, S_FAN) : rpt_str(d, S_FAN_RUN));
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart fan\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-hours=\"%d\">\n", W, H, W, H, n);
    double xmax = n > 1 ? n - 1 : 1;
    for (int c = 0; c < NCLASS; c++) {
        Ax a = {60 + (c % 2) * (pw + 80), 30 + (c / 2) * (ph + 74), pw, ph, 0, xmax, 0, 1, 0};
        svg_printf(b, "<g class=\"fan\" data-class=\"%d\">\n<text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>\n", c + 1,
                   a.x, a.y - 8, rpt_str(d, class_str[c]));
        ax_draw(b, &a, rpt_str(d, S_HOURS), rpt_str(d, S_SERVED), 1, 0, NULL, NULL);
        if (sweep) {
            const double *lo = d->band[c][0], *mid = d->band[c][1], *hi = d->band[c][2];
            /* the band: upper edge forward, lower edge back, per run of finite hours */
            svg_raw(b, "<path class=\"band\" d=\"");
            int nb = 0;
            for (int h0 = 0; h0 < n;) {
                while (h0 < n && (isnan(lo[h0]) || isnan(hi[h0]))) h0++;
                int h1 = h0;
                while (h1 < n && !isnan(lo[h1]) && !isnan(hi[h1])) h1++;
                if (h1 > h0) {
                    for (int h = h0; h < h1; h++) svg_printf(b, "%r%f %f", h == h0 ? "M" : "L", ax_x(&a, h), ax_y(&a, hi[h]));
                    for (int h = h1 - 1; h >= h0; h--) svg_printf(b, "L%f %f", ax_x(&a, h), ax_y(&a, lo[h]));
                    svg_raw(b, "Z");
                    nb += h1 - h0;
                }
                h0 = h1;
            }
            svg_printf(b, "\" data-n=\"%d\" fill=\"#9ecae1\" fill-opacity=\"0.7\" stroke=\"none\"/>\n", nb);
            SvgBuf line = {0};
            int np = series_path(&line, &a, mid, n);
            svg_printf(b, "<path class=\"median\" data-n=\"%d\" d=\"%r\" fill=\"none\" stroke=\"#08519c\" "
                          "stroke-width=\"1.6\"/>\n", np, line.s ? line.s : "");
            svg_free(&line);
        } else {
            SvgBuf line = {0};
            int np = series_path(&line, &a, d->ts[c], n);
            svg_printf(b, "<path class=\"median series\" data-n=\"%d\" d=\"%r\" fill=\"none\" stroke=\"#08519c\" "
                          "stroke-width=\"1.6\"/>\n", np, line.s ? line.s : "");
            svg_free(&line);
        }
        svg_raw(b, "</g>\n");
    }
    double ly = H - 12;
    if (sweep) {
        svg_printf(b, "<g class=\"legend\"><rect x=\"60\" y=\"%f\" width=\"18\" height=\"10\" fill=\"#9ecae1\"/>"
                      "<text x=\"84\" y=\"%f\">%s</text><line x1=\"300\" y1=\"%f\" x2=\"318\" y2=\"%f\" stroke=\"#08519c\" "
                      "stroke-width=\"1.6\"/><text x=\"324\" y=\"%f\">%s</text></g>\n",
                   ly - 9, ly, rpt_str(d, S_BAND), ly - 4, ly - 4, ly, rpt_str(d, S_MEDIAN));
    } else {
        svg_printf(b, "<g class=\"legend\"><line x1=\"60\" y1=\"%f\" x2=\"78\" y2=\"%f\" stroke=\"#08519c\" "
                      "stroke-width=\"1.6\"/><text x=\"84\" y=\"%f\">%s</text></g>\n",
                   ly - 4, ly - 4, ly, rpt_str(d, S_THIS_REP));
    }
    svg_raw(b, "</svg></section>\n");
}

/* ---- histogram ---------------------------------------------------------------------- */

void rpt_sec_hist(SvgBuf *b, const RptData *d)
{
    if (!d->sweep || d->nws == 0) return;
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    int n = 0;
    for (int i = 0; i < d->nws; i++) {
        double v = d->ws[i];
        if (isnan(v)) continue;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
        sum += v;
        n++;
    }
    if (n == 0) return;
    /* bins of a round width, about 1.5 sqrt(n) of them (5 to 40) */
    int want = (int)ceil(1.5 * sqrt((double)n));
    want = want < 5 ? 5 : want > 40 ? 40 : want;
    double t[4], step;
    int constant = hi - lo <= 1e-9 * (fabs(hi) + 1);
    if (constant) {
        /* one narrow bar in a wider axis, so that it reads as a single value */
        step = fabs(hi) > 0 ? pow(10, floor(log10(fabs(hi)))) / 10 : 1;
        lo = floor(lo / step) * step;
    } else {
        int nt = svg_ticks(0, (hi - lo) / want, 2, t);
        step = nt > 1 ? t[1] : (hi - lo) / want;
        lo = floor(lo / step) * step;
    }
    int nb = (int)floor((hi - lo) / step) + 1;
    if (nb < 1) nb = 1;
    int *cnt = xcalloc((size_t)nb, sizeof *cnt);
    for (int i = 0; i < d->nws; i++) {
        double v = d->ws[i];
        if (isnan(v)) continue;
        int k = (int)floor((v - lo) / step);
        cnt[k < 0 ? 0 : k >= nb ? nb - 1 : k]++;
    }
    int cmax = 1;
    for (int k = 0; k < nb; k++) if (cnt[k] > cmax) cmax = cnt[k];
    const RptStat *s = &d->metric[RM_WS];
    double mean = s->have && !isnan(s->mean) ? s->mean : sum / n;
    double p90 = s->have ? s->p90 : NAN;
    double W = 960, H = 330;
    Ax a = {80, 30, 840, 240, lo, lo + (constant ? 10 : nb) * step, 0, cmax * 1.08, 0};
    double ty[8];
    int nty = svg_ticks(0, cmax * 1.08, 6, ty);
    a.y1 = fmax(a.y1, nty ? ty[nty - 1] : 1);
    svg_printf(b, "<section id=\"hist\"><h2>%s</h2>\n", rpt_str(d, S_HIST));
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart hist\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-n=\"%d\" data-bins=\"%d\">\n", W, H, W, H, n, nb);
    ax_draw(b, &a, rpt_str(d, S_HIST_X), rpt_str(d, S_HIST_Y), 0, 0, NULL, NULL);
    for (int k = 0; k < nb; k++) {
        double x0 = ax_x(&a, lo + k * step), x1 = ax_x(&a, lo + (k + 1) * step), y = ax_y(&a, cnt[k]);
        svg_printf(b, "<rect class=\"bar\" data-lo=\"%g\" data-hi=\"%g\" data-count=\"%d\" x=\"%f\" y=\"%f\" "
                      "width=\"%f\" height=\"%f\" fill=\"#6baed6\" stroke=\"#fff\" stroke-width=\"0.5\">"
                      "<title>%g – %g: %d</title></rect>\n",
                   lo + k * step, lo + (k + 1) * step, cnt[k], x0, y, fmax(x1 - x0, 0.5), a.y + a.h - y,
                   lo + k * step, lo + (k + 1) * step, cnt[k]);
    }
    char sv[32];
    double xm = ax_x(&a, mean);
    svg_printf(b, "<line class=\"mean\" data-v=\"%g\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#d7301f\" "
                  "stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"%f\" y=\"%f\" fill=\"#d7301f\">%s %s</text>\n",
               mean, xm, a.y, xm, a.y + a.h, xm + 4, a.y + 10, rpt_str(d, S_MEAN), svg_fmt_num(sv, sizeof sv, mean));
    if (!isnan(p90)) {
        double xp = ax_x(&a, p90);
        svg_printf(b, "<line class=\"p90\" data-v=\"%g\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#54278f\" "
                      "stroke-width=\"2\"/><text x=\"%f\" y=\"%f\" fill=\"#54278f\">%s %s</text>\n",
                   p90, xp, a.y, xp, a.y + a.h, xp + 4, a.y + 24, rpt_str(d, S_P90), svg_fmt_num(sv, sizeof sv, p90));
    }
    svg_raw(b, "</svg></section>\n");
    free(cnt);
}

/* ---- restoration intervals ------------------------------------------------------------ */

typedef struct RstRow {
    const char *id, *label;
    int berth;
    RptStat s;
} RstRow;

static int rst_cmp(const void *pa, const void *pb)
{
    const RstRow *a = pa, *b = pb;
    if (a->s.p50 != b->s.p50) return a->s.p50 < b->s.p50 ? 1 : -1;
    if (a->s.p90 != b->s.p90) return a->s.p90 < b->s.p90 ? 1 : -1;
    return strcmp(a->id, b->id);
}

static double nz(double v)
{
    return isnan(v) ? 0 : v;
}

void rpt_sec_restore(SvgBuf *b, const RptData *d)
{
    const World *w = d->w;
    int sweep = d->sweep && d->fac_rst;
    if (!sweep && !d->fac_rst_h) return;
    RstRow *row = xcalloc((size_t)(w->nfac + w->ncomp) + 1, sizeof *row);
    int n = 0, skipped = 0;
    double xmax = 48;
    for (int f = 0; f < w->nfac; f++) {
        RptStat s;
        memset(&s, 0, sizeof s);
        if (sweep) s = d->fac_rst[f];
        else if (!isnan(d->fac_rst_h[f])) {
            s.have = 1;
            s.mean = s.p5 = s.p50 = s.p90 = s.p95 = s.p99 = d->fac_rst_h[f];
        }
        if (!s.have) continue;
        if (!(nz(s.p95) > 0 || nz(s.p50) > 0)) { skipped++; continue; }
        row[n].id = w->fac[f].id;
        row[n].label = rpt_name(d, w->fac[f].name_en, w->fac[f].name_ja, w->fac[f].id);
        row[n].s = s;
        n++;
    }
    for (int k = 0; sweep && d->comp_rst && k < w->ncomp; k++) {
        const RptStat *s = &d->comp_rst[k];
        if (!s->have) continue;
        if (!(nz(s->p95) > 0 || nz(s->p50) > 0)) { skipped++; continue; }
        const Facility *fa = &w->fac[w->comp[k].facility];
        row[n].id = w->comp[k].id;
        row[n].label = rpt_name(d, fa->name_en, fa->name_ja, fa->id);
        row[n].berth = 1;
        row[n].s = *s;
        n++;
    }
    for (int i = 0; i < n; i++) xmax = fmax(xmax, fmax(nz(row[i].s.p95), nz(row[i].s.p90)));
    qsort(row, (size_t)n, sizeof *row, rst_cmp);
    svg_printf(b, "<section id=\"restore\"><h2>%s</h2>\n", sweep ? rpt_str(d, S_RST) : rpt_str(d, S_RST_RUN));
    if (n == 0) {
        svg_printf(b, "<p class=\"note\">%s (%s)</p></section>\n", rpt_str(d, S_NOTHING), rpt_str(d, S_NOT_RESTORED));
        free(row);
        return;
    }
    double rh = 17, top = 40, left = 330, pw = 560;
    double W = 960, H = top + n * rh + 64;
    Ax a = {left, top, pw, n * rh, 1, xmax * 1.3, 0, n, 1};
    static const double tick[] = {1, 6, 24, 72, 168, 720, 2160, 8760, 87600};
    static const char *const tl_en[] = {"1 h", "6 h", "1 d", "3 d", "1 wk", "30 d", "90 d", "1 yr", "10 yr"};
    static const char *const tl_ja[] = {"1時間", "6時間", "1日", "3日", "1週", "30日", "90日", "1年", "10年"};
    int nt = 0;
    while (nt < 9 && tick[nt] <= a.x1) nt++;
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart restore\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-rows=\"%d\">\n", W, H, W, H, n);
    /* no y ticks: the rows are labelled */
    svg_raw(b, "<g class=\"axes\">");
    for (int i = 0; i < nt; i++) {
        double x = ax_x(&a, tick[i]);
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%r</text>", x, a.y, x, a.y + a.h, x, a.y + a.h + 14,
                   d->ja ? tl_ja[i] : tl_en[i]);
    }
    svg_printf(b, "<path d=\"M%f %fV%fH%f\" fill=\"none\" stroke=\"#555\"/><text x=\"%f\" y=\"%f\" "
                  "text-anchor=\"middle\">%s</text></g>\n", a.x, a.y, a.y + a.h, a.x + a.w, a.x + a.w / 2,
               a.y + a.h + 30, rpt_str(d, S_RST_X));
    double xh = ax_x(&a, d->horizon_h);
    if (d->horizon_h >= a.x0 && d->horizon_h <= a.x1)
        svg_printf(b, "<line class=\"horizon\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#888\" "
                      "stroke-dasharray=\"4 3\"/><text x=\"%f\" y=\"%f\" text-anchor=\"middle\">%s %g h</text>\n",
                   xh, a.y - 4, xh, a.y + a.h, xh, a.y - 8, rpt_str(d, S_HORIZON), d->horizon_h);
    for (int i = 0; i < n; i++) {
        const RstRow *r = &row[i];
        double y = a.y + (i + 0.5) * rh;
        svg_printf(b, "<g class=\"rst\" data-id=\"%s\" data-berth=\"%d\" data-p50=\"%g\" data-p90=\"%g\">", r->id,
                   r->berth, r->s.p50, r->s.p90);
        char lab[256];
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"end\">%s%r%s</text>", a.x - 6, y + 4,
                   svg_clip(r->label, r->berth ? 44 : 54, lab, sizeof lab), r->berth ? " – " : "",
                   r->berth ? rpt_str(d, S_BERTH) : "");
        if (sweep) {
            svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#777\"/>", ax_x(&a, nz(r->s.p5)), y,
                       ax_x(&a, nz(r->s.p95)), y);
            double x0 = ax_x(&a, nz(r->s.p50)), x1 = ax_x(&a, nz(r->s.p90));
            svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"8\" fill=\"%r\" stroke=\"#7f2704\" "
                          "stroke-width=\"0.5\"/>", x0, y - 4, fmax(x1 - x0, 1), r->berth ? "#9ecae1" : "#fd8d3c");
        }
        svg_printf(b, "<circle cx=\"%f\" cy=\"%f\" r=\"3\" fill=\"#222\"/><title>%s: P50 %.0f h, P90 %.0f h</title></g>\n",
                   ax_x(&a, nz(r->s.p50)), y, r->id, nz(r->s.p50), nz(r->s.p90));
    }
    double ly = H - 12;
    if (sweep)
        svg_printf(b, "<g class=\"legend\"><line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#777\"/>"
                      "<text x=\"%f\" y=\"%f\">%s</text><rect x=\"%f\" y=\"%f\" width=\"18\" height=\"8\" fill=\"#fd8d3c\"/>"
                      "<text x=\"%f\" y=\"%f\">%s (%s)</text><rect x=\"%f\" y=\"%f\" width=\"18\" height=\"8\" fill=\"#9ecae1\"/>"
                      "<text x=\"%f\" y=\"%f\">%s</text><circle cx=\"%f\" cy=\"%f\" r=\"3\" fill=\"#222\"/>"
                      "<text x=\"%f\" y=\"%f\">%s</text></g>\n",
                   left, ly - 4, left + 18, ly - 4, left + 24, ly, rpt_str(d, S_RST_P5P95),
                   left + 100, ly - 8, left + 124, ly, rpt_str(d, S_RST_P50P90), d->ja ? "施設" : "facility",
                   left + 300, ly - 8, left + 324, ly, rpt_str(d, S_BERTH), left + 420, ly - 4, left + 428, ly,
                   rpt_str(d, S_RST_P50));
    else
        svg_printf(b, "<g class=\"legend\"><circle cx=\"%f\" cy=\"%f\" r=\"3\" fill=\"#222\"/><text x=\"%f\" y=\"%f\">"
                      "%s</text></g>\n", left + 4, ly - 4, left + 12, ly, rpt_str(d, S_RST_VALUE));
    svg_raw(b, "</svg>\n");
    if (skipped) svg_printf(b, "<p class=\"note\">%d: %s</p>\n", skipped, rpt_str(d, S_NOT_RESTORED));
    svg_raw(b, "</section>\n");
    free(row);
}

/* ---- Gantt chart of trips ------------------------------------------------------------------ */

#define GANTT_MAX_ROWS 80

typedef struct URow {
    int unit;
    int fleet, num;
    const char *name;
} URow;

static int urow_cmp(const void *pa, const void *pb)
{
    const URow *a = pa, *b = pb;
    int fa = a->fleet < 0 ? 1 << 30 : a->fleet, fb = b->fleet < 0 ? 1 << 30 : b->fleet;
    if (fa != fb) return fa < fb ? -1 : 1;
    if (a->fleet < 0) {
        int c = strcmp(a->name, b->name);
        if (c) return c;
    }
    return a->num < b->num ? -1 : a->num > b->num;
}

void rpt_sec_gantt(SvgBuf *b, const RptData *d)
{
    const World *w = d->w;
    if (d->nunit == 0) return;
    URow *u = xcalloc((size_t)d->nunit, sizeof *u);
    for (int i = 0; i < d->nunit; i++) {
        u[i].unit = i;
        u[i].fleet = d->unit[i].fleet;
        u[i].num = d->unit[i].num;
        u[i].name = d->unit[i].name;
    }
    qsort(u, (size_t)d->nunit, sizeof *u, urow_cmp);
    /* as many units of every fleet as fit in GANTT_MAX_ROWS, at least one each */
    int nfleet = 0;
    for (int i = 0; i < d->nunit; i++)
        if (i == 0 || u[i].fleet != u[i - 1].fleet || u[i].fleet < 0) nfleet++;
    int per = GANTT_MAX_ROWS / (nfleet ? nfleet : 1);
    if (per < 1) per = 1;
    int *row_of = xmalloc((size_t)d->nunit * sizeof *row_of);
    int nrow = 0, k = 0;
    for (int i = 0; i < d->nunit; i++) {
        k = (i > 0 && u[i].fleet == u[i - 1].fleet && u[i].fleet >= 0) ? k + 1 : 0;
        row_of[u[i].unit] = k < per ? nrow : -1;
        if (k < per) u[nrow++] = u[i];
    }
    double rh = 13, top = 30, left = 210, pw = 700, W = 960, H = top + nrow * rh + 70;
    double xmax = d->horizon_h > 0 ? d->horizon_h : 1;
    Ax a = {left, top, pw, nrow * rh, 0, xmax, 0, nrow, 0};
    int shown = 0;
    for (int t = 0; t < d->ntrip; t++) shown += row_of[d->trip[t].unit] >= 0;
    svg_printf(b, "<section id=\"gantt\" class=\"long\"><h2>%s</h2>\n<p class=\"note\">%s: %d / %d; %s: %d / %d</p>\n",
               rpt_str(d, S_GANTT), rpt_str(d, S_GANTT_SHOWN), nrow, d->nunit, d->ja ? "運行" : "trips", shown,
               d->ntrip);
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart gantt\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-units=\"%d\" data-rows=\"%d\" data-trips=\"%d\" data-shown=\"%d\">\n",
               W, H, W, H, d->nunit, nrow, d->ntrip, shown);
    double t[16];
    int nt = svg_ticks(0, xmax, 9, t);
    svg_raw(b, "<g class=\"axes\">");
    for (int i = 0; i < nt; i++) {
        double x = ax_x(&a, t[i]);
        char s[32];
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%s</text>", x, a.y, x, a.y + a.h, x, a.y + a.h + 14,
                   svg_fmt_num(s, sizeof s, t[i]));
    }
    svg_printf(b, "<path d=\"M%f %fV%fH%f\" fill=\"none\" stroke=\"#555\"/><text x=\"%f\" y=\"%f\" "
                  "text-anchor=\"middle\">%s</text><text x=\"%f\" y=\"%f\" text-anchor=\"end\">%s</text></g>\n",
               a.x, a.y, a.y + a.h, a.x + a.w, a.x + a.w / 2, a.y + a.h + 30, rpt_str(d, S_HOURS), a.x - 6,
               a.y - 10, rpt_str(d, S_GANTT_Y));
    for (int r = 0; r < nrow; r++) {
        double y = a.y + r * rh;
        if (r % 2) svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"#f6f6f6\"/>", a.x, y, a.w, rh);
        char lab[256];
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"end\" font-size=\"10\">%s</text>\n", a.x - 6, y + rh - 3,
                   svg_clip(u[r].name, 34, lab, sizeof lab));
        int f = u[r].fleet;
        if (f >= 0 && d->mob_t0 && !isnan(d->mob_t0[f])) {
            double t1 = isnan(d->mob_t1[f]) ? xmax : d->mob_t1[f];
            svg_printf(b, "<rect class=\"mob\" data-asset=\"%s\" data-t0=\"%g\" data-t1=\"%g\" x=\"%f\" y=\"%f\" "
                          "width=\"%f\" height=\"%f\" fill=\"#d9d9d9\"/>\n", w->asset[f].id, d->mob_t0[f], t1,
                       ax_x(&a, d->mob_t0[f]), y + 5, fmax(ax_x(&a, t1) - ax_x(&a, d->mob_t0[f]), 0.5), rh - 10);
        }
    }
    for (int i = 0; i < d->ntrip; i++) {
        const RptTrip *tp = &d->trip[i];
        int r = row_of[tp->unit];
        if (r < 0) continue;
        double y = a.y + r * rh + 2, x0 = ax_x(&a, tp->t0), x1 = ax_x(&a, tp->t1);
        svg_printf(b, "<rect class=\"trip\" data-asset=\"%s\" data-t0=\"%g\" data-t1=\"%g\" data-product=\"%r\" "
                      "x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"%r\" stroke=\"#333\" stroke-width=\"0.3\">"
                      "<title>%s → %s, %.1f–%.1f h</title></rect>",
                   d->unit[tp->unit].name, tp->t0, tp->t1, tp->product >= 0 ? world_product_name[tp->product] : "",
                   x0, y, fmax(x1 - x0, 0.6), rh - 4, tp->product >= 0 ? product_color[tp->product] : "#999",
                   d->unit[tp->unit].name, tp->dest, tp->t0, tp->t1);
        if (!isnan(tp->t_unload)) {
            double xu = ax_x(&a, tp->t_unload);
            svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#000\" stroke-width=\"1\"/>", xu, y,
                       xu, y + rh - 4);
        }
        svg_raw(b, "\n");
    }
    double ly = H - 12, lx = left;
    svg_raw(b, "<g class=\"legend\">");
    for (int p = 0; p < NPROD; p++, lx += 90)
        svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"18\" height=\"9\" fill=\"%r\"/><text x=\"%f\" y=\"%f\">%r</text>",
                   lx, ly - 9, product_color[p], lx + 24, ly, world_product_name[p]);
    svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#000\"/><text x=\"%f\" y=\"%f\">%s</text>",
               lx + 8, ly - 10, lx + 8, ly, lx + 16, ly, rpt_str(d, S_UNLOAD));
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"18\" height=\"9\" fill=\"#d9d9d9\"/><text x=\"%f\" y=\"%f\">%s</text>",
               lx + 140, ly - 9, lx + 164, ly, rpt_str(d, S_MOBILISING));
    svg_raw(b, "</g>\n</svg></section>\n");
    free(row_of);
    free(u);
}

/* ---- drill timeline ---------------------------------------------------------------------------- */

void rpt_sec_msel(SvgBuf *b, const RptData *d)
{
    if (d->ninj == 0) return;
    /* lanes: receivers in order of first appearance; colours: kinds likewise */
    const char **lane = xcalloc((size_t)d->ninj, sizeof *lane);
    const char **kind = xcalloc((size_t)d->ninj, sizeof *kind);
    int *lane_of = xmalloc((size_t)d->ninj * sizeof *lane_of), *kind_of = xmalloc((size_t)d->ninj * sizeof *kind_of);
    int nl = 0, nk = 0;
    double tmax = 1;
    for (int i = 0; i < d->ninj; i++) {
        const RptInject *in = &d->inj[i];
        const char *to = in->to ? in->to : "";
        const char *kd = in->objective ? in->objective : "";
        int l = 0, k = 0;
        while (l < nl && strcmp(lane[l], to) != 0) l++;
        if (l == nl) lane[nl++] = to;
        while (k < nk && strcmp(kind[k], kd) != 0) k++;
        if (k == nk) kind[nk++] = kd;
        lane_of[i] = l;
        kind_of[i] = k;
        if (!isnan(in->t_h)) tmax = fmax(tmax, in->t_h);
    }
    double rh = 24, top = 30, left = 240, pw = 680, W = 960, H = top + nl * rh + 50;
    Ax a = {left, top, pw, nl * rh, 0, tmax * 1.03, 0, nl, 0};
    svg_printf(b, "<section id=\"msel\" class=\"long\"><h2>%s</h2>\n", rpt_str(d, S_MSEL));
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart msel\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-injects=\"%d\">\n", W, H, W, H, d->ninj);
    double t[16];
    int nt = svg_ticks(0, a.x1, 9, t);
    svg_raw(b, "<g class=\"axes\">");
    for (int i = 0; i < nt; i++) {
        double x = ax_x(&a, t[i]);
        char s[32];
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%s</text>", x, a.y, x, a.y + a.h, x, a.y + a.h + 14,
                   svg_fmt_num(s, sizeof s, t[i]));
    }
    svg_printf(b, "<path d=\"M%f %fV%fH%f\" fill=\"none\" stroke=\"#555\"/><text x=\"%f\" y=\"%f\" "
                  "text-anchor=\"middle\">%s</text></g>\n", a.x, a.y, a.y + a.h, a.x + a.w, a.x + a.w / 2,
               a.y + a.h + 30, rpt_str(d, S_MSEL_T));
    char lab[256];
    for (int l = 0; l < nl; l++) {
        double y = a.y + (l + 0.5) * rh;
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#ddd\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"end\">%s</text>\n", a.x, y, a.x + a.w, y, a.x - 6, y + 4,
                   svg_clip(lane[l], 38, lab, sizeof lab));
    }
    for (int i = 0; i < d->ninj; i++) {
        const RptInject *in = &d->inj[i];
        if (isnan(in->t_h)) continue;
        /* stagger markers of one lane a little so that bursts stay countable */
        double x = ax_x(&a, in->t_h), y = a.y + (lane_of[i] + 0.5) * rh + ((i % 3) - 1) * 4;
        svg_printf(b, "<circle class=\"inject\" data-id=\"%s\" data-t=\"%g\" data-kind=\"%s\" cx=\"%f\" cy=\"%f\" r=\"4.5\" "
                      "fill=\"%r\" fill-opacity=\"0.85\" stroke=\"#222\" stroke-width=\"0.6\"><title>%s %.1f h: %s</title>"
                      "</circle>\n", in->id, in->t_h, in->objective, x, y, svg_cat_color(kind_of[i]), in->id, in->t_h,
                   in->message);
    }
    svg_raw(b, "</svg>\n<p class=\"note\">");
    for (int k = 0; k < nk; k++)
        svg_printf(b, "<span class=\"kind\"><span style=\"color:%r\">●</span> %s</span> ", svg_cat_color(k), kind[k]);
    svg_raw(b, "</p>\n");
    svg_printf(b, "<table class=\"msel\"><tr><th class=\"l\">%s</th><th>h</th><th class=\"l\">%s</th><th class=\"l\">%s</th>"
                  "<th class=\"l\">%s</th><th class=\"l\">%s</th></tr>\n",
               rpt_str(d, S_INJECT), rpt_str(d, S_EX_TIME), rpt_str(d, S_FROM_TO), rpt_str(d, S_MESSAGE),
               rpt_str(d, S_EXPECTED));
    for (int i = 0; i < d->ninj; i++) {
        const RptInject *in = &d->inj[i];
        /* "2026-09-01T10:00:00+09:00" reads as "09-01 10:00" in the table; the
         * full stamp is in msel.csv */
        char ex[64] = "";
        const char *e = in->exercise_time ? in->exercise_time : "";
        if (strlen(e) >= 16 && e[10] == 'T') snprintf(ex, sizeof ex, "%.5s %.5s", e + 5, e + 11);
        else snprintf(ex, sizeof ex, "%s", e);
        svg_printf(b, "<tr><td class=\"l nw\">%s</td><td>%.1f</td><td class=\"l nw\" title=\"%s\">%s</td>"
                      "<td class=\"l\">%s → %s", in->id, in->t_h, e, ex, in->from, in->to);
        if (in->method && *in->method) svg_printf(b, " (%s)", in->method);
        svg_printf(b, "</td><td class=\"l\">%s</td><td class=\"l\">%s</td></tr>\n", in->message, in->expected);
    }
    svg_raw(b, "</table></section>\n");
    free(lane);
    free(kind);
    free(lane_of);
    free(kind_of);
}

/* ---- investment comparison --------------------------------------------------------------------- */

/* The three differences of an option: weighted shortfall, unserved kL and
 * class-1 dry hours avoided (mean, CI low, CI high). */
static void opt_diff(const RptOption *o, int which, double v[3])
{
    const double *src[3][3] = {{&o->ws_mean, &o->ws_lo, &o->ws_hi},
                               {&o->kl_mean, &o->kl_lo, &o->kl_hi},
                               {&o->dry_mean, &o->dry_lo, &o->dry_hi}};
    for (int k = 0; k < 3; k++) v[k] = *src[which][k];
}

static const char *const cmp_metric[3] = {"weighted_shortfall", "unserved_kl", "dry_hours_class1"};

static void cmp_panel(SvgBuf *b, const RptData *d, const int *order, double y0, int which, const char *title)
{
    double lo = 0, hi = 0;
    for (int i = 0; i < d->nopt; i++) {
        double v[3];
        opt_diff(&d->opt[i], which, v);
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k])) { lo = fmin(lo, v[k]); hi = fmax(hi, v[k]); }
    }
    if (hi - lo <= 0) hi = lo + 1;
    double rh = 20;
    Ax a = {300, y0 + 22, 600, d->nopt * rh, lo - (hi - lo) * 0.03, hi + (hi - lo) * 0.05, 0, d->nopt, 0};
    svg_printf(b, "<text class=\"ttl\" x=\"%f\" y=\"%f\">%s</text>\n", 20.0, y0 + 12, title);
    double t[16];
    int nt = svg_ticks(a.x0, a.x1, 8, t);
    svg_raw(b, "<g class=\"axes\">");
    for (int i = 0; i < nt; i++) {
        double x = ax_x(&a, t[i]);
        char s[32];
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%r\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%s</text>", x, a.y, x, a.y + a.h, t[i] == 0 ? "#555" : "#e3e3e3", x,
                   a.y + a.h + 14, svg_fmt_num(s, sizeof s, t[i]));
    }
    svg_raw(b, "</g>\n");
    for (int r = 0; r < d->nopt; r++) {
        const RptOption *o = &d->opt[order[r]];
        double v[3];
        opt_diff(o, which, v);
        double y = a.y + r * rh;
        char lab[256];
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"end\">%d. %s</text>", a.x - 6, y + rh - 6, o->rank,
                   svg_clip(o->name ? o->name : o->id, 42, lab, sizeof lab));
        if (!isfinite(v[0])) { svg_raw(b, "\n"); continue; }
        double x0 = ax_x(&a, fmin(0, v[0])), x1 = ax_x(&a, fmax(0, v[0]));
        svg_printf(b, "<rect class=\"opt\" data-id=\"%s\" data-metric=\"%r\" data-mean=\"%g\" data-lo=\"%g\" "
                      "data-hi=\"%g\" x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"%r\"><title>%s: %g (%g – %g)"
                      "</title></rect>", o->id, cmp_metric[which], v[0], v[1], v[2], x0, y + 3, fmax(x1 - x0, 0.5),
                   rh - 6, v[0] >= 0 ? "#41ab5d" : "#d7301f", o->id, v[0], v[1], v[2]);
        if (isfinite(v[1]) && isfinite(v[2]))
            svg_printf(b, "<path class=\"ci\" d=\"M%f %fV%fM%f %fH%fM%f %fV%f\" stroke=\"#222\" fill=\"none\"/>",
                       ax_x(&a, v[1]), y + 5, y + rh - 5, ax_x(&a, v[1]), y + rh / 2, ax_x(&a, v[2]), ax_x(&a, v[2]),
                       y + 5, y + rh - 5);
        svg_raw(b, "\n");
    }
}

typedef struct OptRank {
    int idx, rank;
} OptRank;

/* by rank (options without one last), then in file order */
static int opt_rank_cmp(const void *pa, const void *pb)
{
    const OptRank *a = pa, *b = pb;
    int ra = a->rank > 0 ? a->rank : 1 << 30, rb = b->rank > 0 ? b->rank : 1 << 30;
    if (ra != rb) return ra < rb ? -1 : 1;
    return a->idx - b->idx;
}

void rpt_sec_compare(SvgBuf *b, const RptData *d)
{
    if (d->nopt == 0) return;
    OptRank *rk = xmalloc((size_t)d->nopt * sizeof *rk);
    for (int i = 0; i < d->nopt; i++) rk[i] = (OptRank){i, d->opt[i].rank};
    qsort(rk, (size_t)d->nopt, sizeof *rk, opt_rank_cmp);
    int *order = xmalloc((size_t)d->nopt * sizeof *order);
    for (int i = 0; i < d->nopt; i++) order[i] = rk[i].idx;
    free(rk);
    double panel = d->nopt * 20 + 62, W = 960, H = 3 * panel + 10;
    svg_printf(b, "<section id=\"compare\"><h2>%s</h2>\n<p class=\"note\">%s", rpt_str(d, S_COMPARE),
               rpt_str(d, S_CMP_NOTE));
    char s1[32];
    if (!isnan(d->base_ws))
        svg_printf(b, " %s: %s %s.", d->ja ? "基準ケースの加重供給不足量(平均)" : "Baseline weighted shortfall (mean)",
                   svg_fmt_num(s1, sizeof s1, d->base_ws), rpt_str(d, S_U_WS));
    svg_printf(b, "</p>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart compare\" width=\"%.0f\" "
                  "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" data-options=\"%d\">\n", W, H, W, H, d->nopt);
    cmp_panel(b, d, order, 0, 0, rpt_str(d, S_CMP_WS));
    cmp_panel(b, d, order, panel, 1, rpt_str(d, S_CMP_KL));
    cmp_panel(b, d, order, 2 * panel, 2, rpt_str(d, S_CMP_DRY));
    svg_raw(b, "</svg>\n");
    svg_printf(b, "<table class=\"compare\"><tr><th>%s</th><th class=\"l\">%s</th><th>%s (%s)</th><th>%s</th>"
                  "<th>%s</th></tr>\n", rpt_str(d, S_CMP_RANK), rpt_str(d, S_CMP_OPTION), rpt_str(d, S_CMP_COST),
               d->ja ? "円" : "yen", rpt_str(d, S_CMP_YEN_KL), rpt_str(d, S_CMP_YEN_WKL));
    for (int r = 0; r < d->nopt; r++) {
        const RptOption *o = &d->opt[order[r]];
        char c1[32], c2[32], c3[32];
        svg_printf(b, "<tr data-id=\"%s\"><td>%d</td><td class=\"l\">%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                   o->id, o->rank, o->name ? o->name : o->id, svg_fmt_num(c1, sizeof c1, o->cost_yen),
                   svg_fmt_num(c2, sizeof c2, o->yen_per_kl), svg_fmt_num(c3, sizeof c3, o->yen_per_wkl));
    }
    svg_raw(b, "</table></section>\n");
    free(order);
}
