/* Small helpers every module needs: allocation that aborts on out-of-memory
 * (programmer-visible, not a recoverable error), and outputs written whole:
 * a file is written under a temporary name and renamed into place on commit,
 * so a reader never sees half a file and a failure leaves the old one intact. */
#ifndef FUELSIM_UTIL_H
#define FUELSIM_UTIL_H

#include <stddef.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Grow *arr (element size `size`) so that it holds at least `need` elements;
 * *cap is updated. Doubling, so amortised O(1) per push. */
void xgrow(void **arr, int *cap, int need, size_t size);

/* An output file in progress. out_open returns NULL (and errno set) when the
 * temporary cannot be created. out_commit flushes, fsyncs and renames; it
 * returns 0, or -1 on any write error (the target is then left untouched and
 * the temporary removed). out_abort discards. Both free the handle. */
typedef struct OutFile {
    FILE *f;
    char *path;
    char *tmp;          /* where the text goes until commit */
    int device;         /* path is a device or pipe: copied into, not renamed over */
} OutFile;

OutFile *out_open(const char *path);
int      out_commit(OutFile *o);
void     out_abort(OutFile *o);

/* Write a whole string to path atomically; 0 or -1. */
int out_write_string(const char *path, const char *text);

/* mkdir -p for an output directory; 0 or -1 (errno set). */
int out_mkdir(const char *dir);

/* A string that grows as text is appended; zero-initialise to start. */
typedef struct StrBuf {
    char *s;             /* NUL-terminated once anything was written; NULL before */
    size_t n, cap;
} StrBuf;

/* Append printf-style text. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void sb_printf(StrBuf *b, const char *fmt, ...);
/* Append n bytes of s (which need not be NUL-terminated). */
void sb_append(StrBuf *b, const char *s, size_t n);
/* Append the string s; NULL appends nothing. */
void sb_puts(StrBuf *b, const char *s);
/* The text so far ("" if none), handed to the caller to free; b is reset. */
char *sb_take(StrBuf *b);

struct cJSON;
/* The JSON text of j (cJSON_Print, tab-indented) with a final newline, as a
 * new string the caller frees. Adopts j: it is deleted. */
char *json_take_text(struct cJSON *j);
/* A new JSON object whose first member "meta" is meta_json parsed (the run's
 * provenance), or an empty object when meta_json is NULL or does not parse:
 * how every study's JSON output begins. */
struct cJSON *json_new_with_meta(const char *meta_json);

/* Write s as one CSV field (RFC 4180): quoted, with inner quotes doubled,
 * when it holds a comma, a quote or a line end. */
void csv_put_field(FILE *f, const char *s);

/* printf's "%.*f" of v with prec (0..6) digits into buf (n bytes), byte for
 * byte, and its length. Exact in 128-bit integers (v as mantissa x 2^e,
 * rounded to nearest, ties to even, as glibc rounds the exact binary
 * value); printf itself for what that does not cover (|v| >= 1e15, NaN,
 * infinities). For writers of long tables, where printf's multiple
 * precision is most of the time. */
int fmt_fixed(char *buf, size_t n, double v, int prec);

/* Join dir and name into a new string (caller frees). */
char *path_join(const char *dir, const char *name);

/* A 32-byte digest as 64 lowercase hex digits and a NUL. */
void hex32(const unsigned char md[32], char hex[65]);

/* SHA-256 of len bytes as hex (OpenSSL's EVP digest); -1 if it failed. */
int sha256_hex(const void *data, size_t len, char hex[65]);

#endif
