/* The report's map: the scenario's facilities, demand points and links on a
 * coastline base map, in an equirectangular projection scaled at the mid
 * latitude, coloured by damage (sweep: probability; run: sampled state),
 * with the earthquake's rupture and a key table. Every drawn item carries
 * data-* attributes with its values for the browser test. */
#include "report_int.h"

#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEG 111.195   /* great-circle km per degree of latitude (R = 6371 km) */

typedef RptProj Proj;

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

static void map_coast(StrBuf *b, const RptData *d, const Proj *p)
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
                if (s->fill) sb_puts(b, "Z");
            }
            if (s->fill) sb_puts(b, "\" fill=\"#f3efe4\" stroke=\"none\" fill-rule=\"evenodd\"/>\n");
            else sb_puts(b, "\" fill=\"none\" stroke=\"#6f8fa8\" stroke-width=\"1\"/>\n");
        }
    }
}

static void map_graticule(StrBuf *b, const Proj *p)
{
    double t[16];
    int n = svg_ticks(p->lon0, p->lon1, 6, t);
    sb_puts(b, "<g class=\"graticule\">");
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
    sb_puts(b, "</g>\n");
}

static void map_scalebar(StrBuf *b, const Proj *p)
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

static void map_links(StrBuf *b, const RptData *d, const Proj *p)
{
    const World *w = d->w;
    sb_puts(b, "<g class=\"links\">\n");
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
    sb_puts(b, "</g>\n");
}

static void map_quake(StrBuf *b, const RptData *d, const Proj *p, int *outside)
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

static void map_places(StrBuf *b, const RptData *d, const Proj *p, int *nout)
{
    const World *w = d->w;
    sb_puts(b, "<g class=\"demand\">\n");
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
                   x->id, c + 1, out ? " data-outside=\"1\"" : "", px - r, py - r, 2 * r, 2 * r, rpt_class_color[c],
                   rpt_name(d, x->name_en, x->name_ja, x->id), x->id);
    }
    sb_puts(b, "</g>\n<g class=\"facilities\">\n");
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
        if (out) sb_puts(b, " data-outside=\"1\"");
        svg_printf(b, " cx=\"%f\" cy=\"%f\" r=\"%.1f\" fill=\"%r\" stroke=\"%r\" stroke-width=\"%r\"%r>"
                      "<title>%s (%s)",
                   px, py, r, comp ? fill : "#9a9a9a", comp ? "#222" : "#666", comp ? "1" : "0.5",
                   out ? " stroke-dasharray=\"2 1.5\"" : "", rpt_name(d, x->name_en, x->name_ja, x->id), x->id);
        if (!isnan(pe) && d->sweep) svg_printf(b, ": %.0f%%", pe * 100);
        else if (d->fac_ds && d->fac_ds[f] >= 0) svg_printf(b, ": %r", world_ds_name[d->fac_ds[f]]);
        sb_puts(b, "</title></circle>\n");
        if (comp) {
            key++;
            svg_printf(b, "<text class=\"key\" x=\"%f\" y=\"%f\" font-size=\"9\" stroke=\"#fff\" stroke-width=\"2.5\" "
                          "paint-order=\"stroke\">%d</text>\n", px + r + 1, py - r / 2, key);
        }
    }
    sb_puts(b, "</g>\n");
}

/* Legend lines at baseline y: a swatch, then the text; each returns the
 * next line's baseline. */
static double legend_swatch_rect(StrBuf *b, double x, double y, const char *fill, const char *text)
{
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"14\" height=\"10\" fill=\"%r\" stroke=\"#333\" stroke-width=\"0.5\"/>"
                  "<text x=\"%f\" y=\"%f\">%s</text>", x, y - 9, fill, x + 20, y, text);
    return y + 16;
}

static double legend_line(StrBuf *b, double x, double y, const char *color, double width, const char *dash,
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

static void map_legend(StrBuf *b, const RptData *d, double x, double y, int quake_outside, int nout)
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
    for (int c = 0; c < NCLASS; c++) y = legend_swatch_rect(b, x, y, rpt_class_color[c], rpt_str(d, rpt_class_str[c]));
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
    sb_puts(b, "</g>\n");
}

void rpt_map_xy(const RptProj *p, double lat, double lon, double *x, double *y, int *out)
{
    place_xy(p, lat, lon, x, y, out);
}

void rpt_map_begin(StrBuf *b, const RptData *d, RptProj *p, double legend_w)
{
    memset(p, 0, sizeof *p);
    map_extent(d, p, 640, 760);
    p->x = 46;
    p->y = 10;
    double W = p->x + p->w + legend_w, H = fmax(p->y + p->h + 24, 560);
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart map\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-lon0=\"%.4f\" data-lon1=\"%.4f\" data-lat0=\"%.4f\" data-lat1=\"%.4f\">\n",
               W, H, W, H, p->lon0, p->lon1, p->lat0, p->lat1);
    svg_printf(b, "<defs><clipPath id=\"mapclip\"><rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\"/></clipPath></defs>\n",
               p->x, p->y, p->w, p->h);
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"%r\"/>\n", p->x, p->y, p->w, p->h,
               d->have_coast ? "#e6eff5" : "#fafafa");
    sb_puts(b, "<g clip-path=\"url(#mapclip)\">\n");
    map_coast(b, d, p);
    sb_puts(b, "</g>\n");
    map_graticule(b, p);
}

void rpt_map_end(StrBuf *b, const RptProj *p)
{
    map_scalebar(b, p);
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"none\" stroke=\"#555\"/>\n", p->x, p->y, p->w, p->h);
}

void rpt_sec_map(StrBuf *b, const RptData *d)
{
    const World *w = d->w;
    Proj p;
    svg_printf(b, "<section id=\"map\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n", rpt_str(d, S_MAP),
               d->sweep ? rpt_str(d, S_MAP_NOTE_SWEEP) : rpt_str(d, S_MAP_NOTE_RUN));
    rpt_map_begin(b, d, &p, 290);
    map_links(b, d, &p);
    int nout, qout;
    map_places(b, d, &p, &nout);
    map_quake(b, d, &p, &qout);
    rpt_map_end(b, &p);
    map_legend(b, d, p.x + p.w + 20, p.y + 12, qout, nout);
    sb_puts(b, "</svg>\n");
    if (!d->have_coast) svg_printf(b, "<p class=\"note\">%s</p>\n", rpt_str(d, S_NO_COAST));
    /* the key to the numbers on the map */
    sb_puts(b, "<table class=\"mapkey\"><tr><th>#</th><th class=\"l\">id</th><th class=\"l\">");
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
            else sb_puts(b, "–");
        } else if (d->fac_ds && d->fac_ds[f] >= 0) {
            svg_printf(b, "%r", world_ds_name[d->fac_ds[f]]);
        } else {
            sb_puts(b, "–");
        }
        sb_puts(b, "</td></tr>\n");
    }
    sb_puts(b, "</table></section>\n");
}
