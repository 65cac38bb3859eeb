/* HTML and SVG writing helpers: the escaping formatter the whole report goes
 * through, axis ticks and colour scales. Numbers are printed with the C
 * locale's snprintf, so the page is the same bytes for the same inputs. */
#include "svg.h"

#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void svg_esc(StrBuf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *ent = NULL;
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n') ent = "";
            else if (c == 0x7f) ent = "";
        }
        if (!ent) continue;
        sb_append(b, run, (size_t)(p - run));
        sb_append(b, ent, strlen(ent));
        run = p + 1;
    }
    sb_puts(b, run);
}

/* Fixed-point with nd decimals; "-0.0" is printed as "0.0" so that a value
 * that rounds to zero does not change sign between platforms. */
static void put_fixed(StrBuf *b, double v, int nd)
{
    char tmp[64];
    if (!isfinite(v)) v = 0;
    snprintf(tmp, sizeof tmp, "%.*f", nd, v);
    const char *t = tmp;
    if (tmp[0] == '-') {
        int zero = 1;
        for (const char *p = tmp + 1; *p; p++)
            if (*p != '0' && *p != '.') zero = 0;
        if (zero) t = tmp + 1;
    }
    sb_puts(b, t);
}

void svg_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        sb_append(b, run, (size_t)(p - run));
        char tmp[64];
        p++;
        switch (*p) {
        case 's': svg_esc(b, va_arg(ap, const char *)); break;
        case 'r': sb_puts(b, va_arg(ap, const char *)); break;
        case 'd': snprintf(tmp, sizeof tmp, "%d", va_arg(ap, int)); sb_puts(b, tmp); break;
        case 'u': snprintf(tmp, sizeof tmp, "%u", va_arg(ap, unsigned)); sb_puts(b, tmp); break;
        case 'l':
            if (p[1] == 'u') {
                p++;
                snprintf(tmp, sizeof tmp, "%lu", va_arg(ap, unsigned long));
            } else {
                p += 2;   /* "lld" */
                snprintf(tmp, sizeof tmp, "%lld", va_arg(ap, long long));
            }
            sb_puts(b, tmp);
            break;
        case 'f': put_fixed(b, va_arg(ap, double), 1); break;
        case '.': {
            int nd = p[1] - '0';
            p += 2;   /* digit and 'f' */
            put_fixed(b, va_arg(ap, double), nd);
            break;
        }
        case 'g': {
            double v = va_arg(ap, double);
            if (isnan(v)) sb_puts(b, "NaN");
            else if (isinf(v)) sb_puts(b, v > 0 ? "Inf" : "-Inf");
            else {
                snprintf(tmp, sizeof tmp, "%.6g", v == 0 ? 0.0 : v);
                sb_puts(b, tmp);
            }
            break;
        }
        case '%': sb_append(b, "%", 1); break;
        default:
            /* a format the program got wrong; show it rather than guess */
            sb_append(b, p - 1, 2);
            break;
        }
        run = p + 1;
    }
    sb_puts(b, run);
    va_end(ap);
}

int svg_ticks(double lo, double hi, int max, double *out)
{
    if (max < 1 || !isfinite(lo) || !isfinite(hi)) return 0;
    if (hi < lo) { double t = lo; lo = hi; hi = t; }
    if (hi - lo < 1e-12 * (fabs(hi) + 1)) { out[0] = lo; return 1; }
    double raw = (hi - lo) / (max > 1 ? max - 1 : 1);
    double mag = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 5, 10};
    double step = 10 * mag;
    for (int i = 0; i < 4; i++)
        if (mult[i] * mag >= raw) { step = mult[i] * mag; break; }
    /* multiples of step, computed afresh each time so errors do not add up */
    double first = ceil(lo / step - 1e-9);
    int n = 0;
    for (int i = 0; n < max; i++) {
        double v = (first + i) * step;
        if (v > hi + step * 1e-9) break;
        out[n++] = fabs(v) < step * 1e-9 ? 0 : v;
    }
    return n;
}

char *svg_fmt_num(char *s, size_t n, double v)
{
    char tmp[64];
    double a = fabs(v);
    if (!isfinite(v)) snprintf(tmp, sizeof tmp, "%s", "-");
    else if (a >= 10 || a == 0 || fabs(v - round(v)) < 1e-9) snprintf(tmp, sizeof tmp, "%.0f", v);
    else if (a >= 1) snprintf(tmp, sizeof tmp, "%.1f", v);
    else snprintf(tmp, sizeof tmp, "%.2g", v);
    if (strcmp(tmp, "-0") == 0) strcpy(tmp, "0");
    /* thousands separators on the integer part */
    const char *dot = strchr(tmp, '.');
    size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    size_t lead = tmp[0] == '-' ? 1 : 0;
    size_t o = 0;
    for (size_t i = 0; tmp[i] && o + 1 < n; i++) {
        if (i > lead && i < ilen && (ilen - i) % 3 == 0) {
            s[o++] = ',';
            if (o + 1 >= n) break;
        }
        s[o++] = tmp[i];
    }
    if (n) s[o < n ? o : n - 1] = 0;
    return s;
}

char *svg_clip(const char *s, int max, char *buf, size_t n)
{
    if (n == 0) return buf;
    buf[0] = 0;
    if (!s) return buf;
    size_t len = strlen(s), o = 0;
    int units = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        int u = c < 0x80 ? 1 : 2;
        if (i + k > len) k = len - i;
        /* room for this character, and for the ellipsis if more follows */
        int rest = i + k < len;
        if (units + u + (rest ? 1 : 0) > max || o + k + 4 > n) {
            if (o + 4 <= n) memcpy(buf + o, "\xe2\x80\xa6", 3), o += 3;
            break;
        }
        memcpy(buf + o, s + i, k);
        o += k;
        i += k;
        units += u;
    }
    buf[o] = 0;
    return buf;
}

/* ColorBrewer YlOrRd, five classes: readable on screen and in greyscale print. */
const double svg_pclass_lo[SVG_NPCLASS] = {0, 0.1, 0.25, 0.5, 0.75};
static const char *const pcolors[SVG_NPCLASS] = {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"};

const char *svg_pcolor_class(int i)
{
    return i >= 0 && i < SVG_NPCLASS ? pcolors[i] : "#bbbbbb";
}

const char *svg_pcolor(double p)
{
    if (!(p >= 0)) return "#bbbbbb";
    int k = 0;
    for (int i = 0; i < SVG_NPCLASS; i++)
        if (p >= svg_pclass_lo[i]) k = i;
    return pcolors[k];
}

/* Okabe-Ito (distinguishable with the common colour-vision deficiencies),
 * then four of Paul Tol's muted colours for longer lists. */
#define NCAT 12
static const char *const catcolors[NCAT] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
                                            "#f0e442", "#000000", "#999999", "#882255", "#44aa99", "#117733"};

const char *svg_cat_color(int i)
{
    return catcolors[((i % NCAT) + NCAT) % NCAT];
}
