/* Sweep checkpoint file (see ckpt.h). Text, one "key value" per line, then
 * the non-zero histogram counts of each cell on one line:
 *   fuelsim-sweep-checkpoint 1
 *   hash 9f0c...  seed S  n N  done D  csv_bytes B  ident ...  hist CELLS BINS
 *   c CELL BIN:COUNT BIN:COUNT ...
 *   end
 * Sparse because a served fraction clusters in a few of its 1001 bins; the
 * closing "end" line tells a whole file from a cut one. */
#include "ckpt.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CKPT_MAGIC "fuelsim-sweep-checkpoint 1"

uint64_t ckpt_hash_str(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    /* A separator, so that ("ab","c") and ("a","bc") differ. */
    h ^= 0xff;
    h *= 0x100000001b3ULL;
    return h;
}

uint64_t ckpt_hash_u64(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

int ckpt_write(const char *path, const Ckpt *c)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    FILE *f = o->f;
    fprintf(f, "%s\nhash %016" PRIx64 "\nseed %" PRIu64 "\nn %" PRIu64 "\ndone %" PRIu64
               "\ncsv_bytes %" PRIu64 "\nident ",
            CKPT_MAGIC, c->hash, c->seed, c->n, c->done, c->csv_bytes);
    for (const char *s = c->ident ? c->ident : ""; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    fprintf(f, "\nhist %d %d\n", c->ncell, c->nbins);
    for (int cell = 0; cell < c->ncell; cell++) {
        const uint32_t *h = c->hist + (size_t)cell * (size_t)c->nbins;
        int any = 0;
        for (int b = 0; b < c->nbins; b++) {
            if (!h[b]) continue;
            if (!any) fprintf(f, "c %d", cell);
            any = 1;
            fprintf(f, " %d:%" PRIu32, b, h[b]);
        }
        if (any) fputc('\n', f);
    }
    fputs("end\n", f);
    return out_commit(o);
}

static int get_u64(const char *line, const char *key, uint64_t *v, int hex)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ' ') return -1;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(line + k + 1, &end, hex ? 16 : 10);
    if (errno || end == line + k + 1 || (*end && *end != '\n')) return -1;
    *v = x;
    return 0;
}

int ckpt_read(const char *path, Ckpt *c, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = NULL;
    size_t cap = 0;
    int rc = -2, lineno = 0;
    c->ident = NULL;
    memset(c->hist, 0, (size_t)c->ncell * (size_t)c->nbins * sizeof *c->hist);
    snprintf(err, errlen, "%s: not a sweep checkpoint", path);

    const char *keys[] = {"hash", "seed", "n", "done", "csv_bytes"};
    uint64_t *vals[] = {&c->hash, &c->seed, &c->n, &c->done, &c->csv_bytes};
    if (getline(&line, &cap, f) < 0 || strcmp(line, CKPT_MAGIC "\n") != 0) goto out;
    lineno = 1;
    for (int i = 0; i < 5; i++) {
        lineno++;
        if (getline(&line, &cap, f) < 0 || get_u64(line, keys[i], vals[i], i == 0) != 0) {
            snprintf(err, errlen, "%s:%d: expected \"%s\"", path, lineno, keys[i]);
            goto out;
        }
    }
    lineno++;
    if (getline(&line, &cap, f) < 0 || strncmp(line, "ident ", 6) != 0) {
        snprintf(err, errlen, "%s:%d: expected \"ident\"", path, lineno);
        goto out;
    }
    line[strcspn(line, "\n")] = 0;
    c->ident = xstrdup(line + 6);
    lineno++;
    int ncell, nbins;
    if (getline(&line, &cap, f) < 0 || sscanf(line, "hist %d %d", &ncell, &nbins) != 2) {
        snprintf(err, errlen, "%s:%d: expected \"hist\"", path, lineno);
        goto out;
    }
    if (ncell != c->ncell || nbins != c->nbins) {
        snprintf(err, errlen, "%s: series of %d cells x %d bins, this run has %d x %d",
                 path, ncell, nbins, c->ncell, c->nbins);
        goto out;
    }
    for (;;) {
        lineno++;
        if (getline(&line, &cap, f) < 0) {
            snprintf(err, errlen, "%s: cut short (no \"end\" line)", path);
            goto out;
        }
        if (strcmp(line, "end\n") == 0) break;
        char *s = line, *end;
        if (s[0] != 'c' || s[1] != ' ') goto bad_line;
        long cell = strtol(s + 2, &end, 10);
        if (end == s + 2 || cell < 0 || cell >= ncell) goto bad_line;
        s = end;
        while (*s == ' ') {
            long b = strtol(s + 1, &end, 10);
            if (end == s + 1 || *end != ':' || b < 0 || b >= nbins) goto bad_line;
            s = end + 1;
            unsigned long long k = strtoull(s, &end, 10);
            if (end == s || k > UINT32_MAX) goto bad_line;
            c->hist[(size_t)cell * (size_t)nbins + (size_t)b] = (uint32_t)k;
            s = end;
        }
        if (*s != '\n') goto bad_line;
    }
    rc = 0;
    goto out;
bad_line:
    snprintf(err, errlen, "%s:%d: bad histogram line", path, lineno);
out:
    if (rc != 0) { free((char *)c->ident); c->ident = NULL; }
    free(line);
    fclose(f);
    return rc;
}
