/* Text input: whole files, UTF-8 checks, line numbers and CSV tables (libcsv,
 * strict mode). libcsv is fed one physical line at a time so that each row
 * knows the line it starts on, even when a quoted field spans lines. */
#include "textio.h"
#include "util.h"

#include <assert.h>
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- whole files --------------------------------------------------------- */

char *tio_read_file(const char *path, long max, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;
    if (!f) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
    } else if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file");
    } else if (st.st_size > max) {
        if (max % (1L << 20) == 0) snprintf(err, errlen, "larger than %ld MiB", max >> 20);
        else snprintf(err, errlen, "larger than %ld bytes", max);
    } else {
        size_t n = (size_t)st.st_size;
        buf = xmalloc(n + 1);
        size_t got = fread(buf, 1, n, f);
        /* a file that grew since fstat is read to the size it had */
        if (got != n || ferror(f)) {
            snprintf(err, errlen, "read error");
            free(buf);
            buf = NULL;
        } else {
            buf[n] = 0;
            *len = n;
        }
    }
    if (f) fclose(f);
    return buf;
}

int tio_line_of(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        if (text[i] == '\n') line++;
    return line;
}

long tio_utf8_bad(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c == 0) return (long)i;
        if (c < 0x80) { i++; continue; }
        int k;
        unsigned min;
        if ((c & 0xE0) == 0xC0) { k = 1; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 2; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { k = 3; min = 0x10000; c &= 0x07; }
        else return (long)i;
        for (int j = 1; j <= k; j++) {
            if (i + (size_t)j >= n || (s[i + j] & 0xC0) != 0x80) return (long)i;
            c = (c << 6) | (s[i + j] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return (long)i;
        i += (size_t)k + 1;
    }
    return -1;
}

static int has_bom(const char *s, size_t n)
{
    return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
           (unsigned char)s[2] == 0xBF;
}

long tio_text_start(const char *buf, size_t len, int *line, char *err, size_t errlen)
{
    long start = has_bom(buf, len) ? 3 : 0;
    const char *t = buf + start;
    long bad = tio_utf8_bad(t, len - (size_t)start);
    if (bad < 0) return start;
    *line = tio_line_of(t, (size_t)bad);
    snprintf(err, errlen, "%s", t[bad] ? "not valid UTF-8" : "contains a NUL byte");
    return -1;
}

/* ---- the streaming CSV reader ---------------------------------------------- */

struct TioCsv {
    const TioCsvSpec *spec;
    struct csv_parser p;
    int raw;            /* deliver every non-blank row, header included, unchecked */
    TioRow cur;
    int capf;
    TioRow hdr;         /* n == -1 before the header */
    int line;           /* physical line of the next byte fed */
    int row_line;       /* line the row in progress started on */
    int between;        /* no row in progress */
    int stop;           /* callback's code */
    int problems;
    int hdr_bad;        /* the header lacks a required column or repeats one */
    int failed;         /* a syntax error was reported */
    char lead[3];       /* first bytes, held back until the BOM question is settled */
    int nlead, lead_done;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void problem(TioCsv *c, int line, const char *fmt, ...)
{
    const TioCsvSpec *s = c->spec;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->d) diag_add(s->d, s->file, line, "%s", msg);
    else if (s->err && s->errlen && c->problems == 0) {
        if (line > 0) snprintf(s->err, s->errlen, "%s:%d: %s", s->file, line, msg);
        else snprintf(s->err, s->errlen, "%s: %s", s->file, msg);
    }
    c->problems++;
}

static void row_clear(TioRow *r)
{
    if (r->f)
        for (int i = 0; i < r->n; i++) free(r->f[i]);
    free(r->f);
    memset(r, 0, sizeof *r);
}

static int row_blank(const TioRow *r)
{
    return r->n == 0 || (r->n == 1 && r->f[0][0] == 0);
}

static void on_field(void *s, size_t n, void *ud)
{
    TioCsv *c = ud;
    xgrow((void **)&c->cur.f, &c->capf, c->cur.n + 1, sizeof *c->cur.f);
    char *v = xmalloc(n + 1);
    if (n) memcpy(v, s, n);
    v[n] = 0;
    c->cur.f[c->cur.n++] = v;
}

/* Trim the header's names, then report repeated and missing columns. */
static void hdr_check(TioCsv *c)
{
    TioRow *h = &c->hdr;
    int before = c->problems;
    for (int i = 0; i < h->n; i++) {
        char *name = h->f[i];
        size_t n = strlen(name);
        while (n && (name[n - 1] == ' ' || name[n - 1] == '\r')) name[--n] = 0;
        for (int j = 0; j < i; j++)
            if (strcmp(h->f[j], name) == 0) problem(c, h->line, "column '%s' appears twice", name);
    }
    const char *const *req = c->spec->required;
    for (; req && *req; req++)
        if (tio_csv_col(c, *req) < 0) problem(c, h->line, "missing column '%s'", *req);
    c->hdr_bad = c->problems > before;
}

static void on_row(int ch, void *ud)
{
    (void)ch;
    TioCsv *c = ud;
    TioRow r = c->cur;
    r.line = c->row_line;
    memset(&c->cur, 0, sizeof c->cur);
    c->capf = 0;
    c->between = 1;
    if (c->stop || row_blank(&r)) { row_clear(&r); return; }
    if (!c->raw && c->hdr.n < 0) {
        c->hdr = r;
        hdr_check(c);
        return;
    }
    if (!c->raw && r.n != c->hdr.n) {
        problem(c, r.line, "row has %d fields, the header has %d", r.n, c->hdr.n);
        row_clear(&r);
        return;
    }
    if (c->spec->row && !c->hdr_bad) c->stop = c->spec->row(c->spec->ctx, &r);
    row_clear(&r);
}

TioCsv *tio_csv_new(const TioCsvSpec *spec)
{
    TioCsv *c = xcalloc(1, sizeof *c);
    c->spec = spec;
    c->hdr.n = -1;
    c->line = 1;
    c->between = 1;
    /* csv_init fails only when out of memory: abort, as xmalloc does */
    if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fprintf(stderr, "fuelsim: out of memory (CSV parser)\n");
        abort();
    }
    return c;
}

/* Feed bytes split at line ends, noting where each row starts. */
static int feed_lines(TioCsv *c, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && !c->stop) {
        size_t j = i;
        while (j < len && text[j] != '\n') j++;
        int ends = j < len;
        if (ends) j++;
        if (c->between) {
            for (size_t k = i; k < j; k++)
                if (text[k] != '\r' && text[k] != '\n') { c->row_line = c->line; c->between = 0; break; }
        }
        if (csv_parse(&c->p, text + i, j - i, on_field, on_row, c) != j - i) {
            problem(c, c->line, "CSV syntax: %s", csv_strerror(csv_error(&c->p)));
            c->failed = 1;
            return -1;
        }
        i = j;
        if (ends) c->line++;
    }
    return c->stop;
}

int tio_csv_feed(TioCsv *c, const char *buf, size_t len)
{
    if (c->failed) return -1;
    if (c->stop) return c->stop;
    if (!c->lead_done) {
        while (len && c->nlead < 3) {
            c->lead[c->nlead++] = *buf++;
            len--;
        }
        if (c->nlead < 3) return 0;
        c->lead_done = 1;
        if (!has_bom(c->lead, 3)) {
            int rc = feed_lines(c, c->lead, 3);
            if (rc) return rc;
        }
    }
    return feed_lines(c, buf, len);
}

int tio_csv_finish(TioCsv *c)
{
    if (c->failed) return -1;
    if (!c->lead_done) {
        c->lead_done = 1;
        int rc = feed_lines(c, c->lead, (size_t)c->nlead);
        if (rc) return rc;
    }
    if (c->stop) return c->stop;
    if (csv_fini(&c->p, on_field, on_row, c) != 0) {
        problem(c, c->row_line, "CSV syntax: %s", csv_strerror(csv_error(&c->p)));
        c->failed = 1;
        return -1;
    }
    if (c->stop) return c->stop;
    if (!c->raw && c->hdr.n < 0) {
        problem(c, 1, "%s", c->spec->empty_msg ? c->spec->empty_msg
                                               : "empty file: a header row is required");
        return -1;
    }
    return 0;
}

void tio_csv_free(TioCsv *c)
{
    if (!c) return;
    row_clear(&c->cur);
    if (c->hdr.n > 0) row_clear(&c->hdr);
    csv_free(&c->p);
    free(c);
}

const char *const *tio_csv_header(const TioCsv *c, int *ncol, int *line)
{
    if (ncol) *ncol = c->hdr.n;
    if (line) *line = c->hdr.line;
    return (const char *const *)c->hdr.f;
}

int tio_csv_col(const TioCsv *c, const char *name)
{
    for (int i = 0; i < c->hdr.n; i++)
        if (strcmp(c->hdr.f[i], name) == 0) return i;
    return -1;
}

const char **tio_csv_required(const char *const *names, int n, uint64_t mask, const char **out)
{
    assert(n >= 0 && n <= 64);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (mask >> i & 1) out[k++] = names[i];
    out[k] = NULL;
    return out;
}

int tio_csv_problems(const TioCsv *c)
{
    return c->problems;
}

int tio_csv_stream(const char *path, const TioCsvSpec *spec)
{
    TioCsv *c = tio_csv_new(spec);
    FILE *f = fopen(path, "rb");
    if (!f) {
        problem(c, 0, "%s", strerror(errno));
        tio_csv_free(c);
        return -1;
    }
    char buf[1 << 16];
    size_t got;
    int rc = 0;
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0) rc = tio_csv_feed(c, buf, got);
    if (rc == 0 && ferror(f)) {
        problem(c, 0, "read error");
        rc = -1;
    }
    if (rc == 0) rc = tio_csv_finish(c);
    fclose(f);
    tio_csv_free(c);
    return rc;
}

/* ---- a whole table ------------------------------------------------------------- */

static int table_take(void *ctx, TioRow *r)
{
    TioTable *t = ctx;
    xgrow((void **)&t->row, &t->caprow, t->nrow + 1, sizeof *t->row);
    t->row[t->nrow++] = *r;
    r->f = NULL;
    r->n = 0;
    return 0;
}

/* Every row is read first and checked after, so that a syntax error is the
 * only message of a file that has one. */
int tio_table_parse(TioTable *t, const char *text, size_t len, const TioCsvSpec *spec)
{
    memset(t, 0, sizeof *t);
    t->ncol = -1;
    t->file = xstrdup(spec->file);
    TioCsvSpec s = *spec;
    s.row = table_take;
    s.ctx = t;
    int line = 0;
    char err[64];
    long start = tio_text_start(text, len, &line, err, sizeof err);
    TioCsv *c = tio_csv_new(&s);
    if (start < 0) {
        problem(c, line, "%s", err);
        tio_csv_free(c);
        return -1;
    }
    c->raw = 1;
    c->lead_done = 1;   /* the BOM is skipped already */
    int rc = tio_csv_feed(c, text + start, len - (size_t)start);
    if (rc == 0) rc = tio_csv_finish(c);
    if (rc == 0 && t->nrow == 0) {
        problem(c, 1, "%s", spec->empty_msg ? spec->empty_msg : "empty file: a header row is required");
        rc = -1;
    }
    if (rc != 0) {
        tio_csv_free(c);
        return -1;
    }
    c->hdr = t->row[0];
    memmove(t->row, t->row + 1, (size_t)(t->nrow - 1) * sizeof *t->row);
    t->nrow--;
    hdr_check(c);
    t->hdr = c->hdr.f;
    t->ncol = c->hdr.n;
    t->hdr_line = c->hdr.line;
    c->hdr.n = -1;     /* the table owns the header now */
    int k = 0;
    for (int i = 0; i < t->nrow; i++) {
        if (t->row[i].n == t->ncol) { t->row[k++] = t->row[i]; continue; }
        problem(c, t->row[i].line, "row has %d fields, the header has %d", t->row[i].n, t->ncol);
        row_clear(&t->row[i]);
    }
    t->nrow = k;
    t->ok = c->problems == 0;
    tio_csv_free(c);
    return t->ok ? 0 : -1;
}

int tio_table_col(const TioTable *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (strcmp(t->hdr[i], name) == 0) return i;
    return -1;
}

void tio_table_free(TioTable *t)
{
    for (int i = 0; i < t->nrow; i++) row_clear(&t->row[i]);
    free(t->row);
    for (int i = 0; i < t->ncol; i++) free(t->hdr[i]);
    free(t->hdr);
    free(t->file);
    memset(t, 0, sizeof *t);
    t->ncol = -1;
}
