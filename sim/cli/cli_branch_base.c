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
 * rebuilt program never reads a base an older one wrote.
 *
 * Beside the trace it keeps the replicate's shaking (its hazard sample), so
 * that a later call builds its model without the hazard field's
 * correlation factors (sup_model_new_shaken): they cost as much CPU as all
 * of the call's outputs together. */
#include "cli_branch_base.h"
#include "branch.h"
#include "hazard.h"

#include "textio.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BRB_FORMAT "fuelsim-branch-base 3"

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

/* The shaking as bytes, in this order: between_ln, then per site
 * within_pga_ln, within_pgv_ln, pga_g, pgv_cms, pgd_cm, liq_latent (doubles
 * as this machine holds them: the key names the binary) and liquefied; the
 * work array z is not kept. */
enum { NSHAKE = 6 };

static double *shake_arr(const HazSample *hs, int k)
{
    double *a[NSHAKE] = {hs->within_pga_ln, hs->within_pgv_ln, hs->pga_g, hs->pgv_cms, hs->pgd_cm,
                         hs->liq_latent};
    return a[k];
}

static size_t shake_len(int nsite)
{
    return (1 + NSHAKE * (size_t)nsite) * sizeof(double) + (size_t)nsite;
}

static char *shake_pack(const HazSample *hs, size_t *len)
{
    size_t n = (size_t)hs->nsite, off = 0;
    *len = shake_len(hs->nsite);
    char *b = xmalloc(*len);
    memcpy(b, &hs->between_ln, sizeof(double));
    off += sizeof(double);
    for (int k = 0; k < NSHAKE; k++, off += n * sizeof(double)) memcpy(b + off, shake_arr(hs, k), n * sizeof(double));
    memcpy(b + off, hs->liquefied, n);
    return b;
}

/* A new sample for w's sites from the bytes b, or NULL when their length
 * is not that of w's sites. */
static HazSample *shake_unpack(const World *w, const char *b, size_t len)
{
    /* a sample is sized by a field; the one of "no earthquake" builds no
     * correlation factors */
    HazField *f = haz_field_new(w, -1);
    HazSample *hs = f && len == shake_len(f->nsite) ? haz_sample_new(f) : NULL;
    haz_field_free(f);
    if (!hs) return NULL;
    size_t n = (size_t)hs->nsite, off = 0;
    memcpy(&hs->between_ln, b, sizeof(double));
    off += sizeof(double);
    for (int k = 0; k < NSHAKE; k++, off += n * sizeof(double)) memcpy(shake_arr(hs, k), b + off, n * sizeof(double));
    memcpy(hs->liquefied, b + off, n);
    return hs;
}

static int num(const cJSON *o, const char *k, double *v)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(x)) return -1;
    *v = x->valuedouble;
    return 0;
}

int brb_load(const char *out, const char *key, const World *w, SupResult *res, char **trace, size_t *tlen,
             HazSample **shaking)
{
    *trace = NULL;
    *tlen = 0;
    *shaking = NULL;
    if (!key[0]) return -1;
    char *jp = base_path(out, "cache.json"), *tp = base_path(out, "trace.csv"), *sp = base_path(out, "shaking.bin");
    size_t jlen = 0, slen = 0;
    char err[256];
    char *js = tio_read_file(jp, 1L << 20, &jlen, err, sizeof err);
    cJSON *j = js ? cJSON_Parse(js) : NULL;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "key");
    /* the trace (megabytes) is read and hashed only for a matching key */
    int same = cJSON_IsString(k) && !strcmp(k->valuestring, key);
    char *ts = same ? tio_read_file(tp, 1L << 30, tlen, err, sizeof err) : NULL;
    char *ss = same ? tio_read_file(sp, 1L << 30, &slen, err, sizeof err) : NULL;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "trace_sha256");
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(j, "shaking_sha256");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "figures");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(f, "unserved_kl_by_class");
    char th[65], sh[65];
    int ok = ts && cJSON_IsString(h) &&
             sha256_hex(ts, *tlen, th) == 0 && !strcmp(h->valuestring, th) && cJSON_IsArray(u) &&
             cJSON_GetArraySize(u) == NCLASS;
    ok = ok && ss && cJSON_IsString(hs) && sha256_hex(ss, slen, sh) == 0 && !strcmp(hs->valuestring, sh) &&
         (*shaking = shake_unpack(w, ss, slen)) != NULL;
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
    free(js); free(jp); free(tp); free(sp); free(ss);
    if (ok) { *trace = ts; return 0; }
    free(ts);
    haz_sample_free(*shaking);
    *shaking = NULL;
    *tlen = 0;
    memset(res, 0, sizeof *res);
    return -1;
}

int brb_save(const char *out, const char *key, const SupResult *res, const char *trace, size_t tlen,
             const HazSample *shaking)
{
    char th[65], sh[65];
    size_t slen = 0;
    char *sb = shaking ? shake_pack(shaking, &slen) : NULL;
    if (!key[0] || !sb || sha256_hex(trace, tlen, th) != 0 || sha256_hex(sb, slen, sh) != 0) {
        free(sb);
        return -1;
    }
    char *dir = path_join(out, "base"), *jp = base_path(out, "cache.json"), *tp = base_path(out, "trace.csv");
    char *sp = base_path(out, "shaking.bin");
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "format", BRB_FORMAT);
    cJSON_AddStringToObject(j, "key", key);
    cJSON_AddStringToObject(j, "trace_sha256", th);
    cJSON_AddStringToObject(j, "shaking_sha256", sh);
    cJSON_AddItemToObject(j, "figures", brn_figures_json(res));
    char *js = cJSON_Print(j);
    cJSON_Delete(j);
    /* the trace and shaking first: a cache.json is only ever beside its own */
    int rc = out_mkdir(dir) != 0 || write_bytes(tp, trace, tlen) != 0 || write_bytes(sp, sb, slen) != 0 ||
                     out_write_string(jp, js) != 0 ? -1 : 0;
    cJSON_free(js);
    free(dir); free(jp); free(tp); free(sp); free(sb);
    return rc;
}
