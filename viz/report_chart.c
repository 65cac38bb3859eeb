/* The charts of the report, each an inline SVG inside its own <section>:
 * fan chart, histogram, restoration intervals, Gantt chart of trips,
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
static void ax_draw(StrBuf *b, const Ax *a, const char *xlabel, const char *ylabel, int pct,
                    int nx, const double *xtick, const char *const *xtl)
{
    double t[16];
    int n = svg_ticks(a->y0, a->y1, 6, t);
    sb_puts(b, "<g class=\"axes\">");
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
    sb_puts(b, "</g>\n");
}

/* The hours axis of the Gantt chart and the drill timeline: grid lines
 * and labels from 0 to a->x1, the axis lines and the x label; the caller
 * closes the <g>. */
static void time_axis(StrBuf *b, const Ax *a, const char *xlabel)
{
    double t[16];
    int nt = svg_ticks(0, a->x1, 9, t);
    sb_puts(b, "<g class=\"axes\">");
    for (int i = 0; i < nt; i++) {
        double x = ax_x(a, t[i]);
        char s[32];
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%s</text>", x, a->y, x, a->y + a->h, x, a->y + a->h + 14,
                   svg_fmt_num(s, sizeof s, t[i]));
    }
    svg_printf(b, "<path d=\"M%f %fV%fH%f\" fill=\"none\" stroke=\"#555\"/><text x=\"%f\" y=\"%f\" "
                  "text-anchor=\"middle\">%s</text>", a->x, a->y, a->y + a->h, a->x + a->w, a->x + a->w / 2,
               a->y + a->h + 30, xlabel);
}

const char *const rpt_class_color[NCLASS] = {"#54278f", "#756bb1", "#9e9ac8", "#cbc9e2"};
static const char *const product_color[NPROD] = {"#e69f00", "#0072b2", "#009e73", "#cc79a7"};
const RptStr rpt_class_str[NCLASS] = {S_CLASS1, S_CLASS2, S_CLASS3, S_CLASS4};

/* ---- fan chart ------------------------------------------------------------------- */

/* A path through the finite values of v[0..n-1] against hours 0..n-1; a
 * NaN breaks the line. Returns the number of points drawn. */
static int series_path(StrBuf *b, const Ax *a, const double *v, int n)
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

void rpt_sec_fan(StrBuf *b, const RptData *d)
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
                   a.x, a.y - 8, rpt_str(d, rpt_class_str[c]));
        ax_draw(b, &a, rpt_str(d, S_HOURS), rpt_str(d, S_SERVED), 1, 0, NULL, NULL);
        if (sweep) {
            const double *lo = d->band[c][0], *mid = d->band[c][1], *hi = d->band[c][2];
            /* the band: upper edge forward, lower edge back, per run of finite hours */
            sb_puts(b, "<path class=\"band\" d=\"");
            int nb = 0;
            for (int h0 = 0; h0 < n;) {
                while (h0 < n && (isnan(lo[h0]) || isnan(hi[h0]))) h0++;
                int h1 = h0;
                while (h1 < n && !isnan(lo[h1]) && !isnan(hi[h1])) h1++;
                if (h1 > h0) {
                    for (int h = h0; h < h1; h++) svg_printf(b, "%r%f %f", h == h0 ? "M" : "L", ax_x(&a, h), ax_y(&a, hi[h]));
                    for (int h = h1 - 1; h >= h0; h--) svg_printf(b, "L%f %f", ax_x(&a, h), ax_y(&a, lo[h]));
                    sb_puts(b, "Z");
                    nb += h1 - h0;
                }
                h0 = h1;
            }
            svg_printf(b, "\" data-n=\"%d\" fill=\"#9ecae1\" fill-opacity=\"0.7\" stroke=\"none\"/>\n", nb);
            StrBuf line = {0};
            int np = series_path(&line, &a, mid, n);
            svg_printf(b, "<path class=\"median\" data-n=\"%d\" d=\"%r\" fill=\"none\" stroke=\"#08519c\" "
                          "stroke-width=\"1.6\"/>\n", np, line.s ? line.s : "");
            free(line.s);
        } else {
            StrBuf line = {0};
            int np = series_path(&line, &a, d->ts[c], n);
            svg_printf(b, "<path class=\"median series\" data-n=\"%d\" d=\"%r\" fill=\"none\" stroke=\"#08519c\" "
                          "stroke-width=\"1.6\"/>\n", np, line.s ? line.s : "");
            free(line.s);
        }
        sb_puts(b, "</g>\n");
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
    sb_puts(b, "</svg></section>\n");
}

/* ---- histogram ---------------------------------------------------------------------- */

/* The replicates' weighted shortfall: range, sum and count (NaN left out). */
static int ws_range(const RptData *d, double *lo, double *hi, double *sum)
{
    int n = 0;
    *lo = INFINITY; *hi = -INFINITY; *sum = 0;
    for (int i = 0; i < d->nws; i++) {
        double v = d->ws[i];
        if (isnan(v)) continue;
        *lo = fmin(*lo, v);
        *hi = fmax(*hi, v);
        *sum += v;
        n++;
    }
    return n;
}

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* A long tail (the maximum more than 4 times as far from the minimum as the
 * P95 of the values drawn, type 7) would squeeze the bulk into a few bars:
 * the axis then stops after the P95's bin and one overflow bar holds the
 * last few percent, labelled with their count and maximum. Returns the cut,
 * or NaN. */
static double hist_cut(const RptData *d, double lo, double hi)
{
    double *v = xmalloc((size_t)d->nws * sizeof *v);
    int n = 0;
    for (int i = 0; i < d->nws; i++) if (!isnan(d->ws[i])) v[n++] = d->ws[i];
    double cut = NAN;
    if (n >= 2) {
        qsort(v, (size_t)n, sizeof *v, dbl_cmp);
        double h = 0.95 * (n - 1);
        int k = (int)floor(h);
        double p95 = k + 1 < n ? v[k] + (h - k) * (v[k + 1] - v[k]) : v[n - 1];
        if (p95 > lo && hi - lo > 4 * (p95 - lo)) cut = p95;
    }
    free(v);
    return cut;
}

/* The overflow bar, its break mark on the axis and its label. */
static void hist_overflow(StrBuf *b, const RptData *d, const Ax *a, double from, double step, int nb,
                          int count, double hi)
{
    double x0 = ax_x(a, from + (nb + 0.5) * step), x1 = ax_x(a, from + (nb + 2) * step), y = ax_y(a, count);
    double xb = ax_x(a, from + (nb + 0.25) * step), yb = a->y + a->h;
    char sc[32], sh[32];
    svg_fmt_num(sc, sizeof sc, from + nb * step);
    svg_fmt_num(sh, sizeof sh, hi);
    svg_printf(b, "<path class=\"axis-break\" d=\"M%f %fl6 -10M%f %fl6 -10\" stroke=\"#555\" stroke-width=\"1.5\"/>\n",
               xb - 6, yb + 5, xb, yb + 5);
    svg_printf(b, "<rect class=\"bar overflow\" data-lo=\"%g\" data-hi=\"%g\" data-count=\"%d\" x=\"%f\" y=\"%f\" "
                  "width=\"%f\" height=\"%f\" fill=\"#fd8d3c\" stroke=\"#fff\" stroke-width=\"0.5\">"
                  "<title>&gt; %s: %d</title></rect>\n",
               from + nb * step, hi, count, x0, y, x1 - x0, a->y + a->h - y, sc, count);
    svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\">&gt; %s</text>", (x0 + x1) / 2,
               a->y + a->h + 14, sc);
    if (d->ja)
        svg_printf(b, "<text class=\"overflow-label\" x=\"%f\" y=\"%f\" text-anchor=\"end\">%d 件 &gt; %s(最大 %s)</text>\n",
                   x1, y - 4, count, sc, sh);
    else
        svg_printf(b, "<text class=\"overflow-label\" x=\"%f\" y=\"%f\" text-anchor=\"end\">%d above %s (max %s)</text>\n",
                   x1, y - 4, count, sc, sh);
}

void rpt_sec_hist(StrBuf *b, const RptData *d)
{
    if (!d->sweep || d->nws == 0) return;
    double lo, hi, sum;
    int n = ws_range(d, &lo, &hi, &sum);
    if (n == 0) return;
    double cut = hist_cut(d, lo, hi), top = isnan(cut) ? hi : cut;
    /* bins of a round width, about 1.5 sqrt(n) of them (5 to 40) */
    int want = (int)ceil(1.5 * sqrt((double)n));
    want = want < 5 ? 5 : want > 40 ? 40 : want;
    double t[16], step;
    int constant = hi - lo <= 1e-9 * (fabs(hi) + 1);
    if (constant) {
        /* one narrow bar in a wider axis, so that it reads as a single value */
        step = fabs(hi) > 0 ? pow(10, floor(log10(fabs(hi)))) / 10 : 1;
        lo = floor(lo / step) * step;
    } else {
        int nt = svg_ticks(0, (top - lo) / want, 2, t);
        step = nt > 1 ? t[1] : (top - lo) / want;
        lo = floor(lo / step) * step;
    }
    int nb = (int)floor((top - lo) / step) + 1;
    if (nb < 1) nb = 1;
    int *cnt = xcalloc((size_t)nb, sizeof *cnt), over = 0;
    double end = lo + nb * step;
    for (int i = 0; i < d->nws; i++) {
        double v = d->ws[i];
        if (isnan(v)) continue;
        if (!isnan(cut) && v >= end) { over++; continue; }
        int k = (int)floor((v - lo) / step);
        cnt[k < 0 ? 0 : k >= nb ? nb - 1 : k]++;
    }
    if (!over) cut = NAN;
    int cmax = over > 1 ? over : 1;
    for (int k = 0; k < nb; k++) if (cnt[k] > cmax) cmax = cnt[k];
    const RptStat *s = &d->metric[RM_WS];
    double mean = s->have && !isnan(s->mean) ? s->mean : sum / n;
    double p90 = s->have ? s->p90 : NAN;
    double W = 960, H = 330;
    Ax a = {80, 30, 840, 240, lo, lo + (constant ? 10 : isnan(cut) ? nb : nb + 2) * step, 0, cmax * 1.08, 0};
    double ty[8];
    int nty = svg_ticks(0, cmax * 1.08, 6, ty);
    a.y1 = fmax(a.y1, nty ? ty[nty - 1] : 1);
    svg_printf(b, "<section id=\"hist\"><h2>%s</h2>\n", rpt_str(d, S_HIST));
    if (!isnan(cut))
        svg_printf(b, "<p class=\"note\">%s</p>\n", d->ja ? "横軸は P95 の先で切断: それより大きい試行は右端の橙色の棒にまとめた。"
                                                      : "The axis is broken after the P95: the replicates beyond it are the orange bar at the right.");
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart hist\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-n=\"%d\" data-bins=\"%d\">\n", W, H, W, H, n, nb + (over > 0));
    /* x ticks only over the bins, not over the overflow bar */
    int nxt = svg_ticks(lo, end, 9, t), k2 = 0;
    for (int i = 0; i < nxt; i++) if (isnan(cut) || t[i] <= end + 1e-9) t[k2++] = t[i];
    ax_draw(b, &a, rpt_str(d, S_HIST_X), rpt_str(d, S_HIST_Y), 0, k2, t, NULL);
    for (int k = 0; k < nb; k++) {
        double x0 = ax_x(&a, lo + k * step), x1 = ax_x(&a, lo + (k + 1) * step), y = ax_y(&a, cnt[k]);
        svg_printf(b, "<rect class=\"bar\" data-lo=\"%g\" data-hi=\"%g\" data-count=\"%d\" x=\"%f\" y=\"%f\" "
                      "width=\"%f\" height=\"%f\" fill=\"#6baed6\" stroke=\"#fff\" stroke-width=\"0.5\">"
                      "<title>%g – %g: %d</title></rect>\n",
                   lo + k * step, lo + (k + 1) * step, cnt[k], x0, y, fmax(x1 - x0, 0.5), a.y + a.h - y,
                   lo + k * step, lo + (k + 1) * step, cnt[k]);
    }
    if (!isnan(cut)) hist_overflow(b, d, &a, lo, step, nb, over, hi);
    /* a marker beyond the cut stands over the overflow bar */
    double xmax = isnan(cut) ? INFINITY : lo + (nb + 1.25) * step;
    char sv[32];
    double xm = ax_x(&a, fmin(mean, xmax));
    svg_printf(b, "<line class=\"mean\" data-v=\"%g\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#d7301f\" "
                  "stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"%f\" y=\"%f\" fill=\"#d7301f\">%s %s</text>\n",
               mean, xm, a.y, xm, a.y + a.h, xm + 4, a.y + 10, rpt_str(d, S_MEAN), svg_fmt_num(sv, sizeof sv, mean));
    if (!isnan(p90)) {
        double xp = ax_x(&a, fmin(p90, xmax));
        svg_printf(b, "<line class=\"p90\" data-v=\"%g\" x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#54278f\" "
                      "stroke-width=\"2\"/><text x=\"%f\" y=\"%f\" fill=\"#54278f\">%s %s</text>\n",
                   p90, xp, a.y, xp, a.y + a.h, xp + 4, a.y + 24, rpt_str(d, S_P90), svg_fmt_num(sv, sizeof sv, p90));
    }
    sb_puts(b, "</svg></section>\n");
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

void rpt_sec_restore(StrBuf *b, const RptData *d)
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
    sb_puts(b, "<g class=\"axes\">");
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
    sb_puts(b, "</svg>\n");
    if (skipped) svg_printf(b, "<p class=\"note\">%d: %s</p>\n", skipped, rpt_str(d, S_NOT_RESTORED));
    sb_puts(b, "</section>\n");
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

void rpt_sec_gantt(StrBuf *b, const RptData *d)
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
    time_axis(b, &a, rpt_str(d, S_HOURS));
    svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"end\">%s</text></g>\n", a.x - 6, a.y - 10,
               rpt_str(d, S_GANTT_Y));
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
        sb_puts(b, "\n");
    }
    double ly = H - 12, lx = left;
    sb_puts(b, "<g class=\"legend\">");
    for (int p = 0; p < NPROD; p++, lx += 90)
        svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"18\" height=\"9\" fill=\"%r\"/><text x=\"%f\" y=\"%f\">%r</text>",
                   lx, ly - 9, product_color[p], lx + 24, ly, world_product_name[p]);
    svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#000\"/><text x=\"%f\" y=\"%f\">%s</text>",
               lx + 8, ly - 10, lx + 8, ly, lx + 16, ly, rpt_str(d, S_UNLOAD));
    svg_printf(b, "<rect x=\"%f\" y=\"%f\" width=\"18\" height=\"9\" fill=\"#d9d9d9\"/><text x=\"%f\" y=\"%f\">%s</text>",
               lx + 140, ly - 9, lx + 164, ly, rpt_str(d, S_MOBILISING));
    sb_puts(b, "</g>\n</svg></section>\n");
    free(row_of);
    free(u);
}

/* ---- drill timeline ---------------------------------------------------------------------------- */

void rpt_sec_msel(StrBuf *b, const RptData *d)
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
    time_axis(b, &a, rpt_str(d, S_MSEL_T));
    sb_puts(b, "</g>\n");
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
    sb_puts(b, "</svg>\n<p class=\"note\">");
    for (int k = 0; k < nk; k++)
        svg_printf(b, "<span class=\"kind\"><span style=\"color:%r\">●</span> %s</span> ", svg_cat_color(k), kind[k]);
    sb_puts(b, "</p>\n");
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
    sb_puts(b, "</table></section>\n");
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

static void cmp_panel(StrBuf *b, const RptData *d, const int *order, double y0, int which, const char *title)
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
    sb_puts(b, "<g class=\"axes\">");
    for (int i = 0; i < nt; i++) {
        double x = ax_x(&a, t[i]);
        char s[32];
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%r\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%s</text>", x, a.y, x, a.y + a.h, t[i] == 0 ? "#555" : "#e3e3e3", x,
                   a.y + a.h + 14, svg_fmt_num(s, sizeof s, t[i]));
    }
    sb_puts(b, "</g>\n");
    for (int r = 0; r < d->nopt; r++) {
        const RptOption *o = &d->opt[order[r]];
        double v[3];
        opt_diff(o, which, v);
        double y = a.y + r * rh;
        char lab[256];
        svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"end\">%d. %s</text>", a.x - 6, y + rh - 6, o->rank,
                   svg_clip(o->name ? o->name : o->id, 42, lab, sizeof lab));
        if (!isfinite(v[0])) { sb_puts(b, "\n"); continue; }
        double x0 = ax_x(&a, fmin(0, v[0])), x1 = ax_x(&a, fmax(0, v[0]));
        svg_printf(b, "<rect class=\"opt\" data-id=\"%s\" data-metric=\"%r\" data-mean=\"%g\" data-lo=\"%g\" "
                      "data-hi=\"%g\" x=\"%f\" y=\"%f\" width=\"%f\" height=\"%f\" fill=\"%r\"><title>%s: %g (%g – %g)"
                      "</title></rect>", o->id, cmp_metric[which], v[0], v[1], v[2], x0, y + 3, fmax(x1 - x0, 0.5),
                   rh - 6, v[0] >= 0 ? "#41ab5d" : "#d7301f", o->id, v[0], v[1], v[2]);
        if (isfinite(v[1]) && isfinite(v[2]))
            svg_printf(b, "<path class=\"ci\" d=\"M%f %fV%fM%f %fH%fM%f %fV%f\" stroke=\"#222\" fill=\"none\"/>",
                       ax_x(&a, v[1]), y + 5, y + rh - 5, ax_x(&a, v[1]), y + rh / 2, ax_x(&a, v[2]), ax_x(&a, v[2]),
                       y + 5, y + rh - 5);
        sb_puts(b, "\n");
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

void rpt_sec_compare(StrBuf *b, const RptData *d)
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
    sb_puts(b, "</svg>\n");
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
    sb_puts(b, "</table></section>\n");
    free(order);
}
