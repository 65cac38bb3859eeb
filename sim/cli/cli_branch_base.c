/* The base run of `fuelsim branch`, kept in OUT between calls. During an
 * exercise the controller calls branch again and again with one more
 * decision; the base (the replicate without decisions) is the same every
 * time, and with the optimiser it costs as much as the branch. So its trace
 * and headline figures are stored in OUT/base/ with a key, and reused when
 * the key matches and the stored trace is the one the key was written with.
 *
 * The key is the SHA-256 of everything the base depends on: the scenario's
 * fingerprint (its files), the earthquake, seed and replicate, every option
 * given except those that only shape the outputs (decisions, out, the
 * exercise clock and language), the version and commit, and the running
 * binary itself where the system shows it (/proc/self/exe), so that a
 * rebuilt program never reads a base an older one wrote. */
#include "cli_branch_base.h"
#include "branch.h"

#include "textio.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BRB_FORMAT "fuelsim-branch-base 2"

/* SHA-256 of the running binary, or "" where it cannot be read. */
static void exe_digest(char hex[65])
{
    hex[0] = 0;
    FILE *f = fopen("/proc/self/exe", "rb");
    if (!f) return;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    char buf[65536];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) ok = EVP_DigestUpdate(c, buf, n);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(c, md, &len) && len == 32;
    if (ok) hex32(md, hex);
    EVP_MD_CTX_free(c);
    fclose(f);
}

/* Options that shape only the outputs, not the base run. */
static int output_only(const char *o)
{
    static const char *const skip[] = {"--decisions", "--out", "--lang", "--start", "--compress",
                                       "--from-exercise-time", NULL};
    for (int i = 0; skip[i]; i++)
        if (!strcmp(o, skip[i])) return 1;
    return 0;
}

void brb_key(const CliArgs *a, const World *w, uint64_t seed, uint64_t rep, const char *policy,
             char key[65])
{
    StrBuf b = {0};
    char exe[65];
    exe_digest(exe);
    sb_printf(&b, "%s\nversion %s\ncommit %s\nexe %s\nscenario %s\nquake %d\nseed %llu\nrep %llu\npolicy %s\n",
              BRB_FORMAT, cli_version(), cli_commit(), exe, w->fingerprint, w->default_quake,
              (unsigned long long)seed, (unsigned long long)rep, policy);
    for (int k = 0; a->cmd->opts[k].name; k++) {
        const char *o = a->cmd->opts[k].name;
        if (a->val[k] && !output_only(o)) sb_printf(&b, "option %s=%s\n", o, a->val[k]);
    }
    size_t n = b.n;
    char *text = sb_take(&b);
    if (sha256_hex(text, n, key) != 0) key[0] = 0;   /* no key: never a hit */
    free(text);
}

static int write_bytes(const char *path, const char *s, size_t n)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    if (fwrite(s, 1, n, o->f) != n) { out_abort(o); return -1; }
    return out_commit(o);
}

/* OUT/base/NAME, new string. */
static char *base_path(const char *out, const char *name)
{
    char *dir = path_join(out, "base"), *p = path_join(dir, name);
    free(dir);
    return p;
}

static int num(const cJSON *o, const char *k, double *v)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(x)) return -1;
    *v = x->valuedouble;
    return 0;
}

int brb_load(const char *out, const char *key, SupResult *res, char **trace, size_t *tlen)
{
    *trace = NULL;
    *tlen = 0;
    if (!key[0]) return -1;
    char *jp = base_path(out, "cache.json"), *tp = base_path(out, "trace.csv");
    size_t jlen = 0;
    char err[256];
    char *js = tio_read_file(jp, 1L << 20, &jlen, err, sizeof err);
    cJSON *j = js ? cJSON_Parse(js) : NULL;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "key");
    /* the trace (megabytes) is read and hashed only for a matching key */
    int same = cJSON_IsString(k) && !strcmp(k->valuestring, key);
    char *ts = same ? tio_read_file(tp, 1L << 30, tlen, err, sizeof err) : NULL;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "trace_sha256");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "figures");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(f, "unserved_kl_by_class");
    char th[65];
    int ok = ts && cJSON_IsString(h) &&
             sha256_hex(ts, *tlen, th) == 0 && !strcmp(h->valuestring, th) && cJSON_IsArray(u) &&
             cJSON_GetArraySize(u) == NCLASS;
    double trips = 0;
    memset(res, 0, sizeof *res);
    ok = ok && !num(f, "weighted_shortfall", &res->weighted_shortfall) &&
         !num(f, "dry_hours_class1", &res->dry_hours_class1) && !num(f, "t90_supply_h", &res->t90_supply_h) &&
         !num(f, "trips", &trips);
    res->trips = (long)trips;
    for (int c = 0; ok && c < NCLASS; c++) {
        const cJSON *x = cJSON_GetArrayItem(u, c);
        ok = cJSON_IsNumber(x);
        if (ok) res->unserved_class_kl[c] = x->valuedouble;
    }
    cJSON_Delete(j);
    free(js); free(jp); free(tp);
    if (ok) { *trace = ts; return 0; }
    free(ts);
    *tlen = 0;
    memset(res, 0, sizeof *res);
    return -1;
}

int brb_save(const char *out, const char *key, const SupResult *res, const char *trace, size_t tlen)
{
    char th[65];
    if (!key[0] || sha256_hex(trace, tlen, th) != 0) return -1;
    char *dir = path_join(out, "base"), *jp = base_path(out, "cache.json"), *tp = base_path(out, "trace.csv");
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "format", BRB_FORMAT);
    cJSON_AddStringToObject(j, "key", key);
    cJSON_AddStringToObject(j, "trace_sha256", th);
    cJSON_AddItemToObject(j, "figures", brn_figures_json(res));
    char *js = cJSON_Print(j);
    cJSON_Delete(j);
    /* the trace first: a cache.json is only ever beside its own trace */
    int rc = out_mkdir(dir) != 0 || write_bytes(tp, trace, tlen) != 0 || out_write_string(jp, js) != 0 ? -1 : 0;
    cJSON_free(js);
    free(dir); free(jp); free(tp);
    return rc;
}
