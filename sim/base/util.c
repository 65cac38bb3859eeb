/* Allocation wrappers and atomic output files (see util.h). */
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(size_t n)
{
    fprintf(stderr, "fuelsim: out of memory (%zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

void xgrow(void **arr, int *cap, int need, size_t size)
{
    if (need <= *cap) return;
    int c = *cap ? *cap : 8;
    while (c < need) c *= 2;
    *arr = xrealloc(*arr, (size_t)c * size);
    *cap = c;
}

void sb_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->n;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, room, fmt, ap);
        va_end(ap);
        if (k < 0) return;
        if ((size_t)k < room) { b->n += (size_t)k; return; }
        b->cap = b->cap * 2 + (size_t)k + 64;
        b->s = xrealloc(b->s, b->cap);
    }
}

void sb_append(StrBuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = b->cap * 2 + n + 64;
        b->s = xrealloc(b->s, b->cap);
    }
    if (n) memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

void sb_puts(StrBuf *b, const char *s)
{
    if (s) sb_append(b, s, strlen(s));
}

char *sb_take(StrBuf *b)
{
    if (!b->s) return xstrdup("");
    char *s = b->s;
    memset(b, 0, sizeof *b);
    return s;
}

cJSON *json_new_with_meta(const char *meta_json)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *meta = meta_json ? cJSON_Parse(meta_json) : NULL;
    cJSON_AddItemToObject(root, "meta", meta ? meta : cJSON_CreateObject());
    return root;
}

char *json_take_text(cJSON *j)
{
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text) {
        fprintf(stderr, "fuelsim: out of memory printing JSON\n");
        abort();
    }
    size_t n = strlen(text);
    char *out = xmalloc(n + 2);
    memcpy(out, text, n);
    out[n] = '\n';
    out[n + 1] = 0;
    cJSON_free(text);
    return out;
}

void csv_put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = xmalloc(a + b + 2);
    memcpy(p, dir, a);
    size_t k = a;
    if (a && dir[a - 1] != '/') p[k++] = '/';
    memcpy(p + k, name, b + 1);
    return p;
}

/* A device or pipe (/dev/null, /dev/stdout, a FIFO) cannot be replaced by a
 * rename: that would turn it into a regular file. Its temporary lives in the
 * temporary-file folder and is copied into it on commit. */
static int is_device(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

OutFile *out_open(const char *path)
{
    OutFile *o = xcalloc(1, sizeof *o);
    o->path = xstrdup(path);
    o->device = is_device(path);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = P_tmpdir;
    size_t n = strlen(o->device ? dir : path) + 32;
    o->tmp = xmalloc(n);
    if (o->device) snprintf(o->tmp, n, "%s/fuelsim-out.XXXXXX", dir);
    else snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0) { close(fd); unlink(o->tmp); }
        free(o->path); free(o->tmp); free(o);
        errno = e;
        return NULL;
    }
    fchmod(fd, 0644);
    return o;
}

/* Copy the finished temporary into the device; 0 or -1 (errno set). */
static int copy_to_device(const char *tmp, const char *path)
{
    FILE *in = fopen(tmp, "r"), *out = in ? fopen(path, "w") : NULL;
    int bad = !in || !out;
    char buf[65536];
    size_t k;
    while (!bad && (k = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, k, out) != k) bad = 1;
    if (in && ferror(in)) bad = 1;
    int e = errno;
    if (in) fclose(in);
    if (out && fclose(out) != 0) bad = 1, e = errno;
    errno = e;
    return bad ? -1 : 0;
}

int out_commit(OutFile *o)
{
    int bad = ferror(o->f) != 0;
    if (fflush(o->f) != 0) bad = 1;
    if (!bad && !o->device && fsync(fileno(o->f)) != 0) bad = 1;
    if (fclose(o->f) != 0) bad = 1;
    if (!bad && o->device) {
        bad = copy_to_device(o->tmp, o->path) != 0;
        int e = errno;
        unlink(o->tmp);
        errno = e;
    } else if (!bad && rename(o->tmp, o->path) != 0) bad = 1;
    if (bad) {
        int e = errno;
        unlink(o->tmp);
        errno = e;
    }
    free(o->path); free(o->tmp); free(o);
    return bad ? -1 : 0;
}

void out_abort(OutFile *o)
{
    if (!o) return;
    fclose(o->f);
    unlink(o->tmp);
    free(o->path); free(o->tmp); free(o);
}

int out_write_string(const char *path, const char *text)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    fputs(text, o->f);
    return out_commit(o);
}

int out_mkdir(const char *dir)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) { free(p); return -1; }
        *s = '/';
    }
    int r = mkdir(p, 0755);
    free(p);
    if (r != 0 && errno != EEXIST) return -1;
    return 0;
}

void hex32(const unsigned char md[32], char hex[65])
{
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) return -1;
    hex32(md, hex);
    return 0;
}

int fmt_fixed(char *buf, size_t n, double v, int prec)
{
#ifndef __SIZEOF_INT128__
    return snprintf(buf, n, "%.*f", prec, v);      /* no 128-bit integers: printf itself */
#else
    static const uint64_t p10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (prec < 0 || prec > 6 || !(fabs(v) < 1e15)) return snprintf(buf, n, "%.*f", prec, v);
    int e;
    double m = frexp(fabs(v), &e);                 /* |v| = m 2^e, m in [0.5, 1) or 0 */
    uint64_t mant = (uint64_t)ldexp(m, 53);        /* exact: |v| = mant 2^(e - 53) */
    int s = 53 - e;                                /* > 0: |v| < 1e15 < 2^50 */
    unsigned __int128 x = (unsigned __int128)mant * p10[prec], q = 0;
    if (s <= 126) {                                /* else x < 2^73 is below half a unit */
        q = x >> s;
        unsigned __int128 rem = x - (q << s), half = (unsigned __int128)1 << (s - 1);
        if (rem > half || (rem == half && (q & 1))) q++;   /* to nearest, ties to even */
    }
    char tmp[48];
    int k = 0;
    uint64_t ip = (uint64_t)(q / p10[prec]), fr = (uint64_t)(q % p10[prec]);
    for (int i = 0; i < prec; i++, fr /= 10) tmp[k++] = (char)('0' + fr % 10);
    if (prec > 0) tmp[k++] = '.';
    do { tmp[k++] = (char)('0' + ip % 10); ip /= 10; } while (ip);
    if (signbit(v)) tmp[k++] = '-';                /* printf keeps the sign of -0.0001 at %.2f */
    if (n == 0) return k;
    int w = 0;
    for (; w < k && (size_t)w + 1 < n; w++) buf[w] = tmp[k - 1 - w];
    buf[w] = 0;
    return k;
#endif
}
