/* The report's validation section: OUT/validation.csv as `fuelsim hindcast`
 * writes it (models/studies/validation.h), read whole and shown as a table
 * with each row's observed range beside the model's P5-P95 band on a small
 * strip, rows outside their band marked. Absent file, absent section. */
#include "report_int.h"

#include "textio.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const valid_cols[] = {"id", "event", "metric", "site", "observed", "obs_lo",
                                         "obs_hi", "p5", "p50", "p95", "inside", "source", NULL};

int rpt_valid_read(RptData *d, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = tio_read_file(path, TIO_MAX_BYTES, &len, err, errlen);
    if (!text) return -1;
    TioTable *t = xcalloc(1, sizeof *t);
    TioCsvSpec spec;
    memset(&spec, 0, sizeof spec);
    spec.file = "validation.csv";
    spec.required = valid_cols;
    spec.err = err;
    spec.errlen = errlen;
    int rc = tio_table_parse(t, text, len, &spec);
    free(text);
    if (rc != 0) {
        tio_table_free(t);
        free(t);
        return -1;
    }
    d->valid = t;
    return 0;
}

void rpt_valid_free(RptData *d)
{
    if (!d->valid) return;
    tio_table_free(d->valid);
    free(d->valid);
    d->valid = NULL;
}

static double cell_num(const TioRow *r, int k)
{
    if (k < 0 || k >= r->n || !r->f[k][0]) return NAN;
    char *end;
    double v = strtod(r->f[k], &end);
    return *end ? NAN : v;
}

/* A 160 x 14 strip: the model's P5-P95 band, its P50 tick, and the observed
 * range (a dark bar) on a common scale. */
static void strip(StrBuf *b, double lo, double hi, double p5, double p50, double p95, int inside)
{
    double a = fmin(lo, p5), z = fmax(hi, p95);
    if (!(z > a)) { a -= 0.5; z += 0.5; }
    double pad = (z - a) * 0.05, W = 160;
    a -= pad; z += pad;
#define X(v) (W * ((v) - a) / (z - a))
    svg_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"14\" class=\"vstrip\">"
                  "<rect x=\"%.1f\" y=\"3\" width=\"%.1f\" height=\"8\" fill=\"%r\" opacity=\"0.5\"/>"
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"1\" y2=\"13\" stroke=\"#333\"/>"
                  "<rect x=\"%.1f\" y=\"5\" width=\"%.1f\" height=\"4\" fill=\"#111\"/></svg>",
               X(p5), fmax(X(p95) - X(p5), 1.0), inside ? "#6a9f58" : "#d9534f", X(p50), X(p50),
               X(lo), fmax(X(hi) - X(lo), 2.0));
#undef X
}

void rpt_sec_valid(StrBuf *b, const RptData *d)
{
    const TioTable *t = d->valid;
    if (!t) return;
    int c[12];
    for (int i = 0; i < 12; i++) c[i] = tio_table_col(t, valid_cols[i]);
    int in = 0;
    for (int r = 0; r < t->nrow; r++) in += cell_num(&t->row[r], c[10]) == 1;
    svg_printf(b, "<section id=\"validation\"><h2>%s</h2>\n<p class=\"note\">",
               d->ja ? "検証:過去の地震と公式想定" : "Validation: past earthquakes and official estimates");
    if (d->ja)
        svg_printf(b, "%d 行中 %d 行でモデルの P5-P95 帯が観測値(公式想定値)の範囲と重なる。"
                      "帯(緑:重なる、赤:外れる)、縦線 P50、黒線が観測値の範囲。外れた行はモデルについての知見であり、"
                      "validation.md に理由を記す。</p>\n", t->nrow, in);
    else
        svg_printf(b, "%d of %d rows: the model's P5-P95 band meets the observed or official range. "
                      "Strip: the band (green inside, red outside), P50 tick, observed range in black. "
                      "Rows outside are findings about the model; validation.md says why.</p>\n", in, t->nrow);
    svg_printf(b, "<table class=\"validation\"><tr><th class=\"l\">id</th><th class=\"l\">%s</th>"
                  "<th class=\"l\">%s</th><th>%s</th><th>P5</th><th>P50</th><th>P95</th><th></th>"
                  "<th class=\"l\">%s</th></tr>\n",
               d->ja ? "地震" : "event", d->ja ? "指標" : "metric", d->ja ? "観測(範囲)" : "observed (range)",
               d->ja ? "出典" : "source");
    for (int r = 0; r < t->nrow; r++) {
        const TioRow *row = &t->row[r];
        double ob = cell_num(row, c[4]), lo = cell_num(row, c[5]), hi = cell_num(row, c[6]);
        double p5 = cell_num(row, c[7]), p50 = cell_num(row, c[8]), p95 = cell_num(row, c[9]);
        int inside = cell_num(row, c[10]) == 1;
        svg_printf(b, "<tr class=\"%r\"><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td>"
                      "<td>%g (%g..%g)</td><td>%g</td><td>%g</td><td>%g</td><td>",
                   inside ? "in" : "out", row->f[c[0]], row->f[c[1]], row->f[c[2]], ob, lo, hi, p5, p50, p95);
        if (isfinite(p5) && isfinite(p95) && isfinite(lo) && isfinite(hi)) strip(b, lo, hi, p5, p50, p95, inside);
        svg_printf(b, "</td><td class=\"l src\">%s</td></tr>\n", row->f[c[11]]);
    }
    sb_puts(b, "</table></section>\n");
}
