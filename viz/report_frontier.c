/* The report's portfolio section (frontier.csv of `fuelsim portfolio`): the
 * efficient frontier, weighted shortfall avoided by each budget's chosen
 * set (with its 95% CI) against the set's cost, as a step line; and a table
 * of the sets with their class-1 dry hours avoided and interaction terms. */
#include "report_int.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>

static double fx(double v, double lo, double hi, double x0, double w)
{
    return x0 + (v - lo) / (hi - lo) * w;
}

static double fy(double v, double lo, double hi, double y0, double h)
{
    return y0 + h - (v - lo) / (hi - lo) * h;
}

/* Axes with ticks: x cost in million yen, y weighted shortfall avoided. */
static void frontier_axes(StrBuf *b, const RptData *d, const double *r, double X, double Y, double W, double H)
{
    double t[16];
    char s[32];
    sb_puts(b, "<g class=\"axes\">");
    int nt = svg_ticks(r[0], r[1], 8, t);
    for (int i = 0; i < nt; i++) {
        double x = fx(t[i], r[0], r[1], X, W);
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"#e3e3e3\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"middle\">%s</text>", x, Y, x, Y + H, x, Y + H + 14,
                   svg_fmt_num(s, sizeof s, t[i] / 1e6));
    }
    nt = svg_ticks(r[2], r[3], 6, t);
    for (int i = 0; i < nt; i++) {
        double y = fy(t[i], r[2], r[3], Y, H);
        svg_printf(b, "<line x1=\"%f\" y1=\"%f\" x2=\"%f\" y2=\"%f\" stroke=\"%r\"/><text x=\"%f\" y=\"%f\" "
                      "text-anchor=\"end\">%s</text>", X, y, X + W, y, t[i] == 0 ? "#555" : "#e3e3e3", X - 6, y + 4,
                   svg_fmt_num(s, sizeof s, t[i]));
    }
    svg_printf(b, "<text x=\"%f\" y=\"%f\" text-anchor=\"middle\">%s</text>", X + W / 2, Y + H + 32,
               d->ja ? "費用(百万円)" : "cost (million yen)");
    svg_printf(b, "<text x=\"%f\" y=\"%f\" transform=\"rotate(-90 %f %f)\" text-anchor=\"middle\">%s</text>",
               X - 52, Y + H / 2, X - 52, Y + H / 2,
               d->ja ? "回避した加重供給不足量" : "weighted shortfall avoided");
    sb_puts(b, "</g>\n");
}

static void frontier_chart(StrBuf *b, const RptData *d)
{
    double r[4] = {0, 1, 0, 1};   /* x lo, hi; y lo, hi */
    for (int i = 0; i < d->nfront; i++) {
        const RptFrontier *f = &d->front[i];
        double v[4] = {f->cost, f->ws_mean, f->ws_lo, f->ws_hi};
        if (isfinite(v[0])) r[1] = fmax(r[1], v[0]);
        for (int k = 1; k < 4; k++)
            if (isfinite(v[k])) { r[2] = fmin(r[2], v[k]); r[3] = fmax(r[3], v[k]); }
    }
    r[1] *= 1.05;
    r[3] += (r[3] - r[2]) * 0.05;
    double Wt = 960, Ht = 380, X = 90, Y = 20, W = 820, H = 300;
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart frontier\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" data-budgets=\"%d\">\n", Wt, Ht, Wt, Ht, d->nfront);
    frontier_axes(b, d, r, X, Y, W, H);
    /* the frontier: the best avoided so far never falls as the budget grows */
    sb_puts(b, "<path class=\"frontier\" fill=\"none\" stroke=\"#2171b5\" stroke-width=\"2\" d=\"");
    int started = 0;
    for (int i = 0; i < d->nfront; i++) {
        const RptFrontier *f = &d->front[i];
        if (!isfinite(f->cost) || !isfinite(f->ws_mean)) continue;
        svg_printf(b, "%s%f %f", started ? "L" : "M", fx(f->cost, r[0], r[1], X, W), fy(f->ws_mean, r[2], r[3], Y, H));
        started = 1;
    }
    sb_puts(b, "\"/>\n");
    for (int i = 0; i < d->nfront; i++) {
        const RptFrontier *f = &d->front[i];
        if (!isfinite(f->cost) || !isfinite(f->ws_mean)) continue;
        double x = fx(f->cost, r[0], r[1], X, W), y = fy(f->ws_mean, r[2], r[3], Y, H);
        if (isfinite(f->ws_lo) && isfinite(f->ws_hi))
            svg_printf(b, "<path class=\"ci\" d=\"M%f %fV%f\" stroke=\"#222\" fill=\"none\"/>", x,
                       fy(f->ws_lo, r[2], r[3], Y, H), fy(f->ws_hi, r[2], r[3], Y, H));
        svg_printf(b, "<circle class=\"set\" data-budget=\"%g\" data-cost=\"%g\" data-mean=\"%g\" cx=\"%f\" cy=\"%f\" "
                      "r=\"4\" fill=\"#2171b5\"><title>%s</title></circle>\n", f->budget, f->cost, f->ws_mean, x, y,
                   f->options && f->options[0] ? f->options : "-");
    }
    sb_puts(b, "</svg>\n");
}

static void ci_cell(StrBuf *b, double m, double lo, double hi)
{
    char s1[32], s2[32], s3[32];
    svg_printf(b, "<td>%s (%s – %s)</td>", svg_fmt_num(s1, sizeof s1, m), svg_fmt_num(s2, sizeof s2, lo),
               svg_fmt_num(s3, sizeof s3, hi));
}

void rpt_sec_frontier(StrBuf *b, const RptData *d)
{
    if (d->nfront == 0) return;
    int ja = d->ja;
    svg_printf(b, "<section id=\"frontier\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n",
               ja ? "予算別の投資ポートフォリオ(効率的フロンティア)" : "Investment portfolios by budget (efficient frontier)",
               ja ? "各予算で選ばれた施策の組み合わせを同時に適用し、探索に使わなかった新しい試行で評価した値(基準との対応差、95%信頼区間)。"
                     "相互作用項は組み合わせの効果から各施策単独の効果の和を引いたもの。"
                  : "The set chosen at each budget, its options applied together, measured on fresh replicates not used "
                    "in the search (paired differences against the baseline, 95% CI). The interaction term is the set's "
                    "effect minus the sum of its options' single effects.");
    frontier_chart(b, d);
    svg_printf(b, "<table class=\"frontier\"><tr><th>%s</th><th class=\"l\">%s</th><th>%s</th><th>%s</th><th>%s</th>"
                  "<th>%s</th></tr>\n", ja ? "予算(円)" : "budget (yen)", ja ? "施策" : "options",
               ja ? "費用(円)" : "cost (yen)", ja ? "回避した加重供給不足量" : "weighted shortfall avoided",
               ja ? "回避した優先度1の途絶時間" : "class-1 dry hours avoided", ja ? "相互作用" : "interaction");
    for (int i = 0; i < d->nfront; i++) {
        const RptFrontier *f = &d->front[i];
        char s1[32], s2[32];
        svg_printf(b, "<tr><td>%s</td><td class=\"l\">%s</td><td>%s</td>", svg_fmt_num(s1, sizeof s1, f->budget),
                   f->options && f->options[0] ? f->options : "-", svg_fmt_num(s2, sizeof s2, f->cost));
        ci_cell(b, f->ws_mean, f->ws_lo, f->ws_hi);
        ci_cell(b, f->dry_mean, f->dry_lo, f->dry_hi);
        ci_cell(b, f->int_mean, f->int_lo, f->int_hi);
        sb_puts(b, "</tr>\n");
    }
    sb_puts(b, "</table></section>\n");
}
