/* Diagnostics for bad input: every problem is recorded as "file:line: message"
 * and loading goes on, so that a user sees all problems at once (up to a
 * limit). The caller prints them and exits 2. Not thread-safe: one Diag per
 * loader. */
#ifndef FUELSIM_DIAG_H
#define FUELSIM_DIAG_H

#include <stdio.h>

#define DIAG_LIMIT 100

typedef struct Diag {
    char **msg;     /* first DIAG_LIMIT messages, owned */
    int n, cap;
    int total;      /* all problems, including those past the limit */
} Diag;

void diag_init(Diag *d);
void diag_free(Diag *d);

/* Record a problem. line <= 0 means "no line" ("file: message"). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void diag_add(Diag *d, const char *file, int line, const char *fmt, ...);

/* Print every recorded message, one per line, and a count if some were dropped. */
void diag_print(const Diag *d, FILE *f);

#endif
