/* Unit tests of the sweep runner with synthetic replicates: identical bytes
 * for any thread count, interrupted-then-resumed equals uninterrupted (also
 * with rows written after the last checkpoint, as after kill -9), refusal
 * to resume with other arguments, and statistics checked by hand on a tiny
 * sweep. */
#include "check.h"
#include "rng.h"
#include "sweep.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NH 6

static const char *const series_names[] = {"served_a", "served_b"};

/* ---- a cheap random replicate ------------------------------------------- */

static const char *const ds_names[] = {"none", "slight", "moderate", "extensive", "complete"};
static const SwpCol rand_cols[] = {
    {"shortfall", 0, NULL, NULL},
    {"state", 5, ds_names, "facilities/f1/damage_state"},
    {"restore_h", 0, NULL, "facilities/f1/restore_h"},
    {"sometimes_nan", 0, NULL, NULL},
};

/* Work that varies from replicate to replicate (and is much longer for a few),
 * so that replicates finish out of order and the reorder buffer is used. */
static int rand_rep(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series)
{
    (void)ctx;
    Rng r;
    rng_init(&r, seed, rep, RNG_DAMAGE);
    double acc = 0;
    uint64_t spin = 200 + rng_below(&r, 4000) + (rep % 37 == 5 ? 200000 : 0);
    for (uint64_t i = 0; i < spin; i++) acc += rng_uniform(&r);
    row[0] = acc / (double)spin * 1000.0 + rng_uniform(&r);
    row[1] = (double)rng_below(&r, 5);
    row[2] = -48.0 * log(rng_uniform_pos(&r));
    row[3] = rep % 4 == 1 ? NAN : rng_uniform(&r);
    for (int s = 0; s < 2; s++)
        for (int h = 0; h < NH; h++)
            series[s * NH + h] = (s == 1 && h == 0) ? NAN : rng_uniform(&r) * (h + 1) / NH;
    return 0;
}

static const SwpSpec rand_spec = {4, rand_cols, 2, series_names, NH, rand_rep, NULL};

/* ---- helpers -------------------------------------------------------------- */

static char base[256];

static char *outdir(const char *name)
{
    return path_join(base, name);
}

static char *slurp(const char *dir, const char *file, size_t *len)
{
    char *p = path_join(dir, file);
    FILE *f = fopen(p, "rb");
    free(p);
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = xmalloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    fclose(f);
    if (len) *len = got;
    return b;
}

static int same_file(const char *d1, const char *d2, const char *file)
{
    size_t n1, n2;
    char *a = slurp(d1, file, &n1), *b = slurp(d2, file, &n2);
    int same = a && b && n1 == n2 && memcmp(a, b, n1) == 0;
    if (!same) fprintf(stderr, "    %s differs between %s and %s\n", file, d1, d2);
    free(a);
    free(b);
    return same;
}

static int same_outputs(const char *d1, const char *d2)
{
    int a = same_file(d1, d2, "replicates.csv");
    int b = same_file(d1, d2, "summary.json");
    int c = same_file(d1, d2, "bands.csv");
    return a && b && c;
}

static int exists(const char *dir, const char *file)
{
    char *p = path_join(dir, file);
    struct stat sb;
    int r = stat(p, &sb) == 0;
    free(p);
    return r;
}

static const char *const info[] = {"scenario", "synthetic", "policy", "greedy", NULL};

static void params(SwpParams *p, const char *dir, uint64_t n, int threads)
{
    swp_params_default(p);
    p->n = n;
    p->seed = 20240901;
    p->threads = threads;
    p->out_dir = dir;
    p->info = info;
    p->progress = 2;
    p->label = "test sweep";
}

static int run(const SwpSpec *sp, const char *dir, uint64_t n, int threads)
{
    SwpParams p;
    params(&p, dir, n, threads);
    return swp_run(sp, &p, NULL, NULL);
}

/* 1 when d holds what a plain one-thread sweep of n replicates writes
 * (into outdir(ref_name)). */
static int same_as_plain(const char *d, const char *ref_name, uint64_t n)
{
    char *ref = outdir(ref_name);
    int ok = run(&rand_spec, ref, n, 1) == SWP_OK && same_outputs(ref, d);
    free(ref);
    return ok;
}

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    if (!a || !b) {
        if (a) fclose(a);
        if (b) fclose(b);
        return -1;
    }
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, a)) > 0) fwrite(buf, 1, k, b);
    fclose(a);
    return fclose(b);
}

/* ---- tests ------------------------------------------------------------------ */

#define NREP 300

TEST(one_two_and_four_threads_write_identical_files)
{
    char *d1 = outdir("t1"), *d2 = outdir("t2"), *d4 = outdir("t4");
    CHECK(run(&rand_spec, d1, NREP, 1) == SWP_OK);
    CHECK(run(&rand_spec, d2, NREP, 2) == SWP_OK);
    CHECK(run(&rand_spec, d4, NREP, 4) == SWP_OK);
    CHECK(same_outputs(d1, d2));
    CHECK(same_outputs(d1, d4));
    CHECK(!exists(d1, "sweep.ckpt"));
    CHECK(!exists(d1, "replicates.csv.part"));
    free(d1); free(d2); free(d4);
}

TEST(stopped_then_resumed_equals_uninterrupted)
{
    char *ref = outdir("t1"), *d = outdir("stop");
    SwpParams p;
    params(&p, d, NREP, 3);
    p.stop_after = 40;
    SwpOutcome o;
    CHECK(swp_run(&rand_spec, &p, NULL, &o) == SWP_STOPPED);
    CHECK(o.done >= 40 && o.done < NREP);
    CHECK(exists(d, "sweep.ckpt"));
    CHECK(exists(d, "replicates.csv.part"));
    CHECK(!exists(d, "replicates.csv"));
    CHECK(!exists(d, "summary.json"));
    /* Twice more, on other thread counts. */
    p.resume = 1;
    p.stop_after = 150;
    p.threads = 1;
    CHECK(swp_run(&rand_spec, &p, NULL, &o) == SWP_STOPPED);
    CHECK(o.done >= 150 && o.done < NREP);
    p.stop_after = 0;
    p.threads = 2;
    CHECK(swp_run(&rand_spec, &p, NULL, &o) == SWP_OK);
    CHECK(o.done == NREP);
    CHECK(same_outputs(ref, d));
    CHECK(!exists(d, "sweep.ckpt"));
    free(ref); free(d);
}

/* As after kill -9: the rows file holds rows committed after the last
 * checkpoint, the last one cut in the middle. */
TEST(rows_after_the_checkpoint_are_dropped_on_resume)
{
    char *ref = outdir("t1"), *d = outdir("crash");
    char *ck = path_join(d, "sweep.ckpt"), *old = path_join(base, "old.ckpt");
    char *part = path_join(d, "replicates.csv.part");
    SwpParams p;
    params(&p, d, NREP, 2);
    p.stop_after = 30;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_STOPPED);
    CHECK(copy_file(ck, old) == 0);
    p.resume = 1;
    p.stop_after = 200;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_STOPPED);
    CHECK(copy_file(old, ck) == 0);         /* back to the older checkpoint */
    FILE *f = fopen(part, "a");
    CHECK(f != NULL);
    if (f) { fputs("201,12.5,3,7", f); fclose(f); }
    p.stop_after = 0;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_OK);
    CHECK(same_outputs(ref, d));
    free(ref); free(d); free(ck); free(old); free(part);
}

TEST(resume_with_other_arguments_is_refused)
{
    char *d = outdir("refuse");
    SwpParams p;
    params(&p, d, 100, 2);
    p.stop_after = 10;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_STOPPED);
    p.resume = 1;
    p.stop_after = 0;
    p.seed++;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_REFUSED);
    p.seed--;
    p.n = 101;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_REFUSED);
    p.n = 100;
    static const char *const other[] = {"scenario", "synthetic", "policy", "optimise", NULL};
    p.info = other;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_REFUSED);
    p.info = info;
    SwpSpec fewer = rand_spec;
    fewer.ncol = 3;
    CHECK(swp_run(&fewer, &p, NULL, NULL) == SWP_REFUSED);
    /* The refusals left the checkpoint alone: the right arguments still resume. */
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_OK);
    CHECK(same_as_plain(d, "refuse_ref", 100));
    free(d);
}

TEST(resume_without_a_checkpoint_starts_over)
{
    char *d = outdir("fresh");
    SwpParams p;
    params(&p, d, 50, 2);
    p.resume = 1;
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_OK);
    CHECK(same_as_plain(d, "fresh_ref", 50));
    free(d);
}

TEST(small_memory_budget_gives_the_same_summary)
{
    char *ref = outdir("t1"), *d = outdir("budget");
    SwpParams p;
    params(&p, d, NREP, 2);
    p.mem_budget = 1;   /* one column per pass over the rows */
    CHECK(swp_run(&rand_spec, &p, NULL, NULL) == SWP_OK);
    CHECK(same_outputs(ref, d));
    free(ref); free(d);
}

/* ---- a replicate whose numbers are known ---------------------------------- */

static const char *const cat3[] = {"a", "b", "c"};
static const SwpCol known_cols[] = {
    {"square", 0, NULL, NULL},
    {"mod3", 3, cat3, "groups/g/mod3"},
    {"odd_nan", 0, NULL, NULL},
};

static int known_rep(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series)
{
    (void)ctx; (void)seed;
    row[0] = (double)(rep * rep);
    row[1] = (double)(rep % 3);
    row[2] = rep % 2 ? NAN : (double)rep;
    for (int h = 0; h < NH; h++) {
        series[h] = (double)rep / 4.0;
        series[NH + h] = h == 0 ? NAN : 0.5;
    }
    return 0;
}

static const SwpSpec known_spec = {3, known_cols, 2, series_names, NH, known_rep, NULL};

static double jnum(const cJSON *o, const char *a, const char *b, const char *c)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (c) x = cJSON_GetObjectItemCaseSensitive(x, c);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

TEST(statistics_match_hand_computed_values)
{
    char *d = outdir("known");
    SwpParams p;
    params(&p, d, 5, 2);
    SwpColStats st[3];
    CHECK(swp_run(&known_spec, &p, st, NULL) == SWP_OK);
    /* squares 0 1 4 9 16: mean 6, variance 174/4 */
    CHECK(st[0].n == 5);
    CHECK_NEAR(st[0].mean, 6.0, 1e-12);
    CHECK_NEAR(st[0].sd, sqrt(43.5), 1e-12);
    CHECK_NEAR(st[0].ci95_half, 2.7764451051977987 * sqrt(43.5) / sqrt(5.0), 1e-9);
    /* 6 - 8.19 would be a negative mean of squares: the interval starts at 0 */
    CHECK_NEAR(st[0].ci95_lo, 0, 0);
    CHECK_NEAR(st[0].ci95_hi, 6.0 + 2.7764451051977987 * sqrt(43.5) / sqrt(5.0), 1e-9);
    CHECK_NEAR(st[0].min, 0, 0);
    CHECK_NEAR(st[0].max, 16, 0);
    /* type 7: h = 4p; x[k] + (h-k)(x[k+1]-x[k]) */
    CHECK_NEAR(st[0].q[0], 0.2, 1e-12);     /* p5:  h 0.2 */
    CHECK_NEAR(st[0].q[1], 4.0, 1e-12);     /* p50: h 2 */
    CHECK_NEAR(st[0].q[2], 13.2, 1e-12);    /* p90: h 3.6 -> 9 + 0.6*7 */
    CHECK_NEAR(st[0].q[3], 14.6, 1e-12);    /* p95: h 3.8 */
    CHECK_NEAR(st[0].q[4], 15.72, 1e-12);   /* p99: h 3.96 */
    /* NaN rows (1 and 3) are left out: 0 2 4 */
    CHECK(st[2].n == 3);
    CHECK_NEAR(st[2].mean, 2.0, 1e-12);
    CHECK_NEAR(st[2].q[1], 2.0, 1e-12);

    char *js = slurp(d, "summary.json", NULL);
    cJSON *root = js ? cJSON_Parse(js) : NULL;
    CHECK(root != NULL);
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "groups"), "g");
    /* rep % 3 over 0..4: 0 1 2 0 1 */
    CHECK_NEAR(jnum(g, "mod3", "p", "a"), 0.4, 1e-15);
    CHECK_NEAR(jnum(g, "mod3", "p", "b"), 0.4, 1e-15);
    CHECK_NEAR(jnum(g, "mod3", "p", "c"), 0.2, 1e-15);
    CHECK_NEAR(jnum(root, "metrics", "square", "p90"), 13.2, 1e-12);
    CHECK_NEAR(jnum(root, "metrics", "square", "mean"), 6.0, 1e-12);
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "metrics"), "square"), "ci95");
    CHECK(cJSON_GetArraySize(ci) == 2);
    CHECK_NEAR(cJSON_GetArrayItem(ci, 0)->valuedouble, 0, 0);
    CHECK_NEAR(cJSON_GetArrayItem(ci, 1)->valuedouble, 6.0 + 2.7764451051977987 * sqrt(43.5) / sqrt(5.0), 1e-9);
    CHECK_NEAR(jnum(root, "run", "seed", NULL), 20240901.0, 0);
    CHECK_NEAR(jnum(root, "run", "n", NULL), 5.0, 0);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "run"), "scenario");
    CHECK(cJSON_IsString(sc) && strcmp(sc->valuestring, "synthetic") == 0);
    cJSON_Delete(root);
    free(js);

    /* Series a: 0 .25 .5 .75 1 at every hour. Nearest rank: P10 is the 1st
     * value, P50 the 3rd, P90 the 5th. Series b: 0.5, no value at hour 0. */
    char *bands = slurp(d, "bands.csv", NULL);
    const char *want = "hour,served_a_p10,served_a_p50,served_a_p90,"
                       "served_b_p10,served_b_p50,served_b_p90\n"
                       "0,0.000,0.500,1.000,,,\n"
                       "1,0.000,0.500,1.000,0.500,0.500,0.500\n";
    CHECK(bands && strncmp(bands, want, strlen(want)) == 0);
    free(bands);

    char *rows = slurp(d, "replicates.csv", NULL);
    CHECK(rows && strcmp(rows, "replicate,square,mod3,odd_nan\n0,0,0,0\n1,1,1,nan\n"
                               "2,4,2,2\n3,9,0,nan\n4,16,1,4\n") == 0);
    free(rows);
    free(d);
}

static int fail_rep(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series)
{
    if (rep == 23) return -1;
    return known_rep(ctx, seed, rep, row, series);
}

TEST(a_failed_replicate_fails_the_sweep_after_the_rows_before_it)
{
    char *d = outdir("fail");
    SwpSpec sp = known_spec;
    sp.rep = fail_rep;
    SwpParams p;
    params(&p, d, 60, 3);
    SwpOutcome o;
    CHECK(swp_run(&sp, &p, NULL, &o) == SWP_FAIL);
    CHECK(o.done == 23);
    CHECK(!exists(d, "summary.json"));
    free(d);
}

TEST(column_lookup_by_name)
{
    CHECK(swp_col_find(&rand_spec, "restore_h") == 2);
    CHECK(swp_col_find(&rand_spec, "nope") == -1);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/fuelsim-test-sweep-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) { perror("mkdtemp"); return 2; }
    RUN(one_two_and_four_threads_write_identical_files);
    RUN(stopped_then_resumed_equals_uninterrupted);
    RUN(rows_after_the_checkpoint_are_dropped_on_resume);
    RUN(resume_with_other_arguments_is_refused);
    RUN(resume_without_a_checkpoint_starts_over);
    RUN(small_memory_budget_gives_the_same_summary);
    RUN(statistics_match_hand_computed_values);
    RUN(a_failed_replicate_fails_the_sweep_after_the_rows_before_it);
    RUN(column_lookup_by_name);
    if (check_fail_ == 0) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", base);
    }
    return check_done();
}
