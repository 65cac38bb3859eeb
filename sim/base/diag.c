/* Diagnostics collector (see diag.h). */
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

void diag_init(Diag *d)
{
    d->msg = NULL;
    d->n = d->cap = d->total = 0;
}

void diag_free(Diag *d)
{
    for (int i = 0; i < d->n; i++) free(d->msg[i]);
    free(d->msg);
    diag_init(d);
}

void diag_add(Diag *d, const char *file, int line, const char *fmt, ...)
{
    d->total++;
    if (d->n >= DIAG_LIMIT) return;
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    char full[1400];
    if (line > 0) snprintf(full, sizeof full, "%s:%d: %s", file, line, body);
    else          snprintf(full, sizeof full, "%s: %s", file, body);
    xgrow((void **)&d->msg, &d->cap, d->n + 1, sizeof *d->msg);
    d->msg[d->n++] = xstrdup(full);
}

void diag_print(const Diag *d, FILE *f)
{
    for (int i = 0; i < d->n; i++) fprintf(f, "%s\n", d->msg[i]);
    if (d->total > d->n)
        fprintf(f, "(%d more problems not shown)\n", d->total - d->n);
}
