/* Small helpers for writing HTML with inline SVG into the project's growing
 * string (StrBuf, util.h; sb_puts appends markup the program wrote): a
 * formatter that escapes every string by default (text taken from a
 * scenario or a file can never become markup), nice axis ticks, and the
 * colour scales the report shares between its charts and legends. */
#ifndef FUELSIM_SVG_H
#define FUELSIM_SVG_H

#include "util.h"

#include <stddef.h>

/* Append s escaped for HTML text and for quoted attribute values: & < > " '
 * become entities; C0 control characters other than tab and newline are
 * dropped (they are not allowed in HTML). NULL appends nothing. */
void svg_esc(StrBuf *b, const char *s);

/* Formatted append. Conversions:
 *   %s   a string, escaped as by svg_esc (NULL: nothing)
 *   %r   a string appended raw (markup the program wrote)
 *   %d   int;  %u  unsigned;  %lu  unsigned long;  %lld  long long
 *   %f   double with 1 decimal (pixel coordinates); %.Nf with N (0..9) decimals
 *   %g   double, shortest of up to 6 significant digits (data values)
 *   %%   a percent sign
 * Non-finite doubles print as 0 under %f and as "NaN"/"Inf" under %g.
 * There is deliberately no way to append a data string unescaped except %r. */
void svg_printf(StrBuf *b, const char *fmt, ...);

/* Up to max "nice" tick values (1, 2 or 5 times a power of ten) covering
 * [lo, hi]; returns how many were written to out. lo == hi gives one tick. */
int svg_ticks(double lo, double hi, int max, double *out);

/* A value formatted for an axis label with a thousands separator when
 * large ("12,500", "0.25", "3"): writes at most n bytes into s, returns s. */
char *svg_fmt_num(char *s, size_t n, double v);

/* s cut to at most max width units for a label (an ASCII character is one
 * unit, any other character two, as CJK glyphs are about twice as wide),
 * ending in "…" when cut; never splits a UTF-8 sequence. Writes into buf (n
 * bytes) and returns it; NULL s gives "". */
char *svg_clip(const char *s, int max, char *buf, size_t n);

/* Colour of a probability p in [0, 1] on the report's five-class
 * sequential scale (yellow to dark red); NaN gives grey. The classes start at
 * svg_pclass_lo[i]; the colours are static strings "#rrggbb". */
#define SVG_NPCLASS 5
extern const double svg_pclass_lo[SVG_NPCLASS];
const char *svg_pcolor(double p);
const char *svg_pcolor_class(int i);

/* A categorical colour (12 distinguishable colours, repeating). */
const char *svg_cat_color(int i);

#endif
