/* Text input, one way for every module: whole files read with a size limit
 * and an optional UTF-8 check, the line of a byte offset (for JSON errors),
 * and CSV tables on libcsv (strict mode) whose rows know the physical line
 * they start on, with the header checked for required columns and every row
 * for its width. Messages go to a Diag ("file:line: message") or, for
 * callers without one, to a buffer (the first problem only). */
#ifndef FUELSIM_TEXTIO_H
#define FUELSIM_TEXTIO_H

#include "diag.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TIO_MAX_BYTES (64L << 20)   /* the default size limit: 64 MiB */

/* ---- whole files --------------------------------------------------------- */

/* Read the whole regular file path, of at most max bytes. Returns a
 * NUL-terminated buffer the caller frees (an empty file gives ""), with its
 * length in *len; or NULL with the problem in err, without the path:
 * "cannot open: <strerror>", "not a regular file", "larger than 64 MiB",
 * "read error". */
char *tio_read_file(const char *path, long max, size_t *len, char *err, size_t errlen);

/* Line (1-based) of byte offset off in text; counting stops at a NUL. */
int tio_line_of(const char *text, size_t off);

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong
 * forms and surrogates included) or is a NUL; -1 when all is well. */
long tio_utf8_bad(const char *s, size_t n);

/* Skip a UTF-8 byte-order mark and check that the rest is UTF-8 without NUL
 * bytes. Returns the offset where the text starts (0 or 3), or -1 with
 * *line set (counted from that start) and err "not valid UTF-8" or
 * "contains a NUL byte". */
long tio_text_start(const char *buf, size_t len, int *line, char *err, size_t errlen);

/* ---- CSV ------------------------------------------------------------------- */

/* A row: n NUL-terminated fields and the physical line it starts on (a
 * quoted field may span lines; the row's line is still its first). */
typedef struct TioRow {
    char **f;
    int n;
    int line;
} TioRow;

/* Called for every data row (the header excluded, blank rows skipped, rows
 * of the wrong width reported and skipped; none at all when the header
 * lacks a required column or repeats one: widths are still checked). The row is borrowed: it is freed
 * after the call, unless the callback takes the fields, setting r->f to
 * NULL and r->n to 0. A non-zero return stops reading with that code. */
typedef int (*TioRowFn)(void *ctx, TioRow *r);

/* How to read a table. Zero-initialise, then set what applies. */
typedef struct TioCsvSpec {
    const char *file;                 /* display name in messages */
    const char *const *required;      /* NULL-terminated column names, or NULL */
    const char *empty_msg;            /* for a file without a header; NULL: the default */
    TioRowFn row;                     /* may be NULL */
    void *ctx;
    Diag *d;                          /* where messages go, or NULL ... */
    char *err;                        /* ... then the first one goes here */
    size_t errlen;
} TioCsvSpec;

/* A streaming reader: feed it bytes in any pieces; rows are delivered to
 * spec->row as they end. Line ends may be LF or CRLF; a UTF-8 byte-order
 * mark at the very start is skipped (no UTF-8 check here: see
 * tio_text_start). The spec is borrowed and must outlive the reader. */
typedef struct TioCsv TioCsv;

TioCsv *tio_csv_new(const TioCsvSpec *spec);   /* never NULL (aborts when out of memory) */
/* 0; -1 after a syntax message (reading must stop); or the callback's code. */
int tio_csv_feed(TioCsv *c, const char *buf, size_t len);
/* End of input: 0; -1 after a syntax message or an empty-file message; or
 * the callback's code. */
int tio_csv_finish(TioCsv *c);
void tio_csv_free(TioCsv *c);             /* NULL is a no-op */

/* The header, once read: column names (trailing blanks and CR trimmed),
 * their count, its line; ncol is -1 before the header. */
const char *const *tio_csv_header(const TioCsv *c, int *ncol, int *line);
/* Index of column name, or -1. */
int tio_csv_col(const TioCsv *c, const char *name);
/* A spec's required list from a table's column names: into out (room for
 * n + 1) the names[i] (i < n <= 64) whose bit i is set in mask, then NULL.
 * Returns out. */
const char **tio_csv_required(const char *const *names, int n, uint64_t mask, const char **out);
/* Problems recorded so far: header (missing or repeated columns), widths. */
int tio_csv_problems(const TioCsv *c);

/* Stream the file path through a reader: 0, -1 after a message (cannot
 * open, read error, syntax, empty) or the callback's code. */
int tio_csv_stream(const char *path, const TioCsvSpec *spec);

/* ---- a whole table in memory --------------------------------------------- */

typedef struct TioTable {
    char *file;        /* display name, an owned copy of the spec's */
    char **hdr;        /* column names, owned */
    int ncol;
    int hdr_line;
    TioRow *row;       /* data rows, owned */
    int nrow, caprow;
    int ok;            /* read, required columns present, every row the header's width */
} TioTable;

/* Check the text (BOM, UTF-8) and read it as a table: 0 when t->ok, else -1
 * with the problems recorded. Rows of the wrong width are kept out. Free the
 * table with tio_table_free in both cases. */
int tio_table_parse(TioTable *t, const char *text, size_t len, const TioCsvSpec *spec);
int tio_table_col(const TioTable *t, const char *name);
void tio_table_free(TioTable *t);

#endif
