/* Sweep runner (see sweep.h): an OpenMP loop over replicates with a bounded
 * reorder buffer, committing rows strictly in replicate order; optional MPI
 * ranks that compute chunks of replicates and send them to rank 0, which
 * commits them in the same order; checkpoint and resume; final statistics
 * from the committed rows. */
#include "sweep.h"
#include "ckpt.h"
#include "progress.h"
#include "stats.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef FUELSIM_MPI
#include <mpi.h>
#endif

const int swp_quantile_pct[SWP_NQ] = {5, 50, 90, 95, 99};

#define SWP_NBINS (SWP_BAND_BINS + 1)
#define SWP_SLOTS_PER_THREAD 8

/* The signal that asked us to stop, or 0. The only mutable file-scope
 * state: a signal handler can reach nothing else. */
static volatile sig_atomic_t swp_signal;

static void swp_on_signal(int sig)
{
    swp_signal = sig;
}

#ifdef FUELSIM_MPI
/* Message from a rank to rank 0: a header, then count slots. */
enum { MSG_DATA = 1, MSG_END = 2 };
enum { TAG_DATA = 61, TAG_CTL = 62 };
typedef struct MsgHead {
    int64_t kind;       /* MSG_DATA or MSG_END */
    int64_t chunk;      /* chunk index (relative to start) */
    int64_t count;      /* slots that follow */
    int64_t status;     /* in MSG_END: 0 finished or stopped, -1 a replicate failed */
} MsgHead;
#endif

typedef struct SwpRun {
    const SwpSpec *spec;
    const SwpParams *par;
    int rank, nranks;
    int threads;
    uint64_t start;             /* first replicate of this run (resume point) */
    uint64_t chunk;             /* MPI chunk size */
    uint64_t nlocal;            /* replicates this rank computes in this run */
    size_t rowlen;              /* doubles per slot: ncol + nseries * nhours */

    /* Reorder buffer: local replicate i lives in slot i % window until committed. */
    uint64_t window;
    double *slots;
    unsigned char *ready;
    int *slot_rc;
    pthread_mutex_t commit_lock; /* held while committing: one thread at a time */
    uint64_t next_local;        /* next local index to pass to the sink; atomic reads */
    int stop;                   /* hand out no more replicates; atomic */
    int failed;                 /* a replicate or a write failed */

    /* Rank 0: committing. */
    char *csv_path, *ckpt_path;
    FILE *csv;
    uint64_t csv_bytes;
    uint64_t committed;         /* replicates 0..committed-1 are in the rows file */
    int halted;                 /* a gap can no longer be filled: commit nothing more */
    uint32_t *hist;             /* nseries * nhours * SWP_NBINS */
    uint64_t hash;
    char *ident;
    double t_ckpt;
    Progress prog;
    char *line;
    size_t linecap;

#ifdef FUELSIM_MPI
    char *msgbuf[2];            /* worker: double-buffered outgoing chunks; rank 0: [0] receives */
    size_t msgbytes;
    MPI_Request req[2];
    int cur;                    /* worker: buffer being filled */
    int got_ctl;                /* worker: rank 0's control message received */
    unsigned char *ended;       /* rank 0: per rank, its MSG_END received */
#endif
} SwpRun;

void swp_params_default(SwpParams *p)
{
    memset(p, 0, sizeof *p);
    p->label = "fuelsim sweep";
    p->ckpt_interval_s = 2.0;
    p->chunk = 16;
    p->mem_budget = (size_t)64 << 20;
}

int swp_col_find(const SwpSpec *spec, const char *name)
{
    for (int i = 0; i < spec->ncol; i++)
        if (strcmp(spec->col[i].name, name) == 0) return i;
    return -1;
}

static int is_stopping(SwpRun *R)
{
    int s;
#pragma omp atomic read seq_cst
    s = R->stop;
    return s || swp_signal;
}

static void set_stop(SwpRun *R)
{
#pragma omp atomic write seq_cst
    R->stop = 1;
}

/* Chunked assignment under MPI: chunk c (replicates start + c*C ..) belongs
 * to rank c % K. Which rank computes a replicate never changes its numbers,
 * so any K and any resume point give the same bytes. */
static uint64_t local_rep(const SwpRun *R, uint64_t i)
{
    if (R->nranks == 1) return R->start + i;
    uint64_t C = R->chunk, K = (uint64_t)R->nranks;
    return R->start + ((i / C) * K + (uint64_t)R->rank) * C + i % C;
}

static uint64_t local_count(uint64_t m, uint64_t C, uint64_t K, uint64_t r)
{
    if (K == 1) return m;
    uint64_t nchunks = (m + C - 1) / C;
    if (nchunks <= r) return 0;
    uint64_t mine = (nchunks - 1 - r) / K + 1;
    uint64_t cnt = mine * C;
    if ((nchunks - 1) % K == r) cnt -= nchunks * C - m;   /* the last chunk is short */
    return cnt;
}

#ifdef FUELSIM_MPI
static int owner_of(const SwpRun *R, uint64_t rep)
{
    return (int)(((rep - R->start) / R->chunk) % (uint64_t)R->nranks);
}
#endif

/* ---- committing (rank 0) ---------------------------------------------- */

/* Numbers in the rows file: a fixed format, so the bytes are deterministic;
 * 12 significant digits are far below the models' own precision. NaN is
 * written as "nan" whatever its sign bit. */
static int fmt_num(char *buf, size_t n, double v)
{
    if (isnan(v)) return snprintf(buf, n, "nan");
    return snprintf(buf, n, "%.12g", v);
}

static int write_ckpt(SwpRun *R)
{
    if (fflush(R->csv) != 0 || fsync(fileno(R->csv)) != 0) return -1;
    Ckpt c = {R->par->seed, R->par->n, R->committed, R->csv_bytes, R->hash, R->ident,
              R->spec->nseries * R->spec->nhours, SWP_NBINS, R->hist};
    if (ckpt_write(R->ckpt_path, &c) != 0) return -1;
    R->t_ckpt = prog_now();
    return 0;
}

static void halt(SwpRun *R, int failed)
{
    R->halted = 1;
    if (failed) R->failed = 1;
    set_stop(R);
}

static void commit_row(SwpRun *R, uint64_t rep, const double *slot, int rc)
{
    const SwpSpec *sp = R->spec;
    if (R->halted) return;
    if (rc != 0) {
        fprintf(stderr, "%s: replicate %" PRIu64 " failed\n", R->par->label, rep);
        halt(R, 1);
        return;
    }
    if (rep != R->committed) {   /* cannot happen: the sink delivers in order */
        fprintf(stderr, "%s: internal error: replicate %" PRIu64 " committed out of order\n",
                R->par->label, rep);
        halt(R, 1);
        return;
    }
    size_t need = 24 + (size_t)sp->ncol * 32, len;
    if (R->linecap < need) {
        R->line = xrealloc(R->line, need);
        R->linecap = need;
    }
    len = (size_t)snprintf(R->line, R->linecap, "%" PRIu64, rep);
    for (int c = 0; c < sp->ncol; c++) {
        R->line[len++] = ',';
        len += (size_t)fmt_num(R->line + len, R->linecap - len, slot[c]);
    }
    R->line[len++] = '\n';
    if (fwrite(R->line, 1, len, R->csv) != len) {
        fprintf(stderr, "%s: %s: %s\n", R->par->label, R->csv_path, strerror(errno));
        halt(R, 1);
        return;
    }
    R->csv_bytes += len;

    const double *ser = slot + sp->ncol;
    size_t ncell = (size_t)sp->nseries * (size_t)sp->nhours;
    for (size_t cell = 0; cell < ncell; cell++) {
        double v = ser[cell];
        if (isnan(v)) continue;
        if (v < 0) v = 0;
        if (v > 1) v = 1;
        R->hist[cell * SWP_NBINS + (size_t)lround(v * SWP_BAND_BINS)]++;
    }
    R->committed++;
    prog_update(&R->prog, R->committed);

    if (R->par->stop_after && R->committed >= R->par->stop_after && R->committed < R->par->n)
        set_stop(R);
    if (R->committed < R->par->n && prog_now() - R->t_ckpt >= R->par->ckpt_interval_s) {
        if (write_ckpt(R) != 0) {
            fprintf(stderr, "%s: %s: %s\n", R->par->label, R->ckpt_path, strerror(errno));
            halt(R, 1);
        }
    }
}

#ifdef FUELSIM_MPI
/* Rank 0: receive the next chunk from its owner and commit its rows. */
static void recv_chunk(SwpRun *R)
{
    uint64_t rel = R->committed - R->start;
    int from = owner_of(R, R->committed);
    MPI_Status st;
    MPI_Recv(R->msgbuf[0], (int)R->msgbytes, MPI_BYTE, from, TAG_DATA, MPI_COMM_WORLD, &st);
    MsgHead h;
    memcpy(&h, R->msgbuf[0], sizeof h);
    if (h.kind == MSG_END) {
        R->ended[from] = 1;
        halt(R, h.status != 0);
        return;
    }
    if ((uint64_t)h.chunk != rel / R->chunk) {
        fprintf(stderr, "%s: internal error: rank %d sent chunk %" PRId64 ", expected %" PRIu64 "\n",
                R->par->label, from, h.chunk, rel / R->chunk);
        halt(R, 1);
        return;
    }
    const double *slots = (const double *)(R->msgbuf[0] + sizeof h);
    for (int64_t j = 0; j < h.count && !R->halted; j++)
        commit_row(R, R->committed, slots + (size_t)j * R->rowlen, 0);
}

/* Worker: the control message from rank 0 means "stop". */
static void poll_ctl(SwpRun *R)
{
    if (R->got_ctl) return;
    int flag = 0;
    MPI_Iprobe(0, TAG_CTL, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (flag) {
        int64_t v;
        MPI_Recv(&v, 1, MPI_INT64_T, 0, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        R->got_ctl = 1;
        set_stop(R);
    }
}

/* Worker: append a finished replicate to the outgoing chunk; send the chunk
 * when it is whole. */
static void worker_sink(SwpRun *R, uint64_t i, const double *slot, int rc)
{
    if (R->failed) return;
    if (rc != 0) {
        R->failed = 1;
        set_stop(R);
        return;
    }
    uint64_t rep = local_rep(R, i), rel = rep - R->start;
    uint64_t chunk = rel / R->chunk, j = rel % R->chunk;
    uint64_t remaining = R->par->n - R->start;
    uint64_t size = (chunk + 1) * R->chunk <= remaining ? R->chunk : remaining - chunk * R->chunk;
    if (j == 0) MPI_Wait(&R->req[R->cur], MPI_STATUS_IGNORE);   /* buffer free again */
    char *buf = R->msgbuf[R->cur];
    memcpy(buf + sizeof(MsgHead) + j * R->rowlen * sizeof(double), slot, R->rowlen * sizeof(double));
    if (j + 1 == size) {
        MsgHead h = {MSG_DATA, (int64_t)chunk, (int64_t)size, 0};
        memcpy(buf, &h, sizeof h);
        MPI_Isend(buf, (int)(sizeof h + size * R->rowlen * sizeof(double)), MPI_BYTE, 0, TAG_DATA,
                  MPI_COMM_WORLD, &R->req[R->cur]);
        R->cur ^= 1;
    }
    poll_ctl(R);
}
#endif

/* Receives finished local replicates in local order (with the commit lock
 * held). */
static void sink(SwpRun *R, uint64_t i, const double *slot, int rc)
{
#ifdef FUELSIM_MPI
    if (R->rank != 0) { worker_sink(R, i, slot, rc); return; }
    uint64_t rep = local_rep(R, i);
    while (R->nranks > 1 && !R->halted && R->committed < rep) recv_chunk(R);
    commit_row(R, rep, slot, rc);
#else
    commit_row(R, local_rep(R, i), slot, rc);
#endif
}

/* ---- the parallel loop -------------------------------------------------- */

static void nap(void)
{
    struct timespec ts = {0, 50 * 1000};
    nanosleep(&ts, NULL);
}

static void run_local(SwpRun *R)
{
    const SwpSpec *sp = R->spec;
    const uint64_t m = R->nlocal, W = R->window;
#pragma omp parallel num_threads(R->threads)
    {
#pragma omp for schedule(dynamic, 1)
        for (uint64_t i = 0; i < m; i++) {
            if (is_stopping(R)) continue;
            /* Wait while the slot still holds replicate i - W: this bounds
             * the buffer when one slow replicate holds up the commits. */
            int go = 1;
            for (;;) {
                uint64_t next;
#pragma omp atomic read seq_cst
                next = R->next_local;
                if (i < next + W) break;
                if (is_stopping(R)) { go = 0; break; }
                nap();
            }
            if (!go) continue;
            double *slot = R->slots + (size_t)(i % W) * R->rowlen;
            int rc = sp->rep(sp->ctx, R->par->seed, local_rep(R, i), slot, slot + sp->ncol);
            /* A POSIX mutex rather than omp critical: same effect, and thread
             * sanitizers understand it (GCC's libgomp is not instrumented). */
            pthread_mutex_lock(&R->commit_lock);
            R->ready[i % W] = 1;
            R->slot_rc[i % W] = rc;
            if (rc != 0) set_stop(R);
            uint64_t k = R->next_local;
            while (k < m && R->ready[k % W]) {
                sink(R, k, R->slots + (size_t)(k % W) * R->rowlen, R->slot_rc[k % W]);
                R->ready[k % W] = 0;
                k++;
                /* seq_cst: the slot's reads above happen before a waiting
                 * thread sees the new value and reuses the slot. */
#pragma omp atomic write seq_cst
                R->next_local = k;
            }
            pthread_mutex_unlock(&R->commit_lock);
        }
    }
}

/* ---- final statistics ----------------------------------------------------- */

typedef struct ColOut {
    SwpColStats st;
    double *p;      /* ncat probabilities, or NULL */
} ColOut;

/* Read the committed rows, a block of columns at a time, and compute each
 * column's statistics in replicate order. */
static int final_stats(SwpRun *R, ColOut *co)
{
    const SwpSpec *sp = R->spec;
    uint64_t n = R->par->n;
    size_t per = R->par->mem_budget / (sizeof(double) * (size_t)n);
    if (per < 1) per = 1;
    if (per > (size_t)sp->ncol) per = (size_t)sp->ncol;
    double *val = xmalloc(per * (size_t)n * sizeof *val);
    FILE *f = fopen(R->csv_path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", R->par->label, R->csv_path, strerror(errno));
        free(val);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t c0 = 0; c0 < (size_t)sp->ncol && rc == 0; c0 += per) {
        size_t c1 = c0 + per < (size_t)sp->ncol ? c0 + per : (size_t)sp->ncol;
        rewind(f);
        if (getline(&line, &cap, f) < 0) rc = -1;   /* header */
        for (uint64_t r = 0; r < n && rc == 0; r++) {
            if (getline(&line, &cap, f) < 0) { rc = -1; break; }
            char *s = line, *end;
            unsigned long long rep = strtoull(s, &end, 10);
            if (end == s || rep != r) { rc = -1; break; }
            s = end;
            for (size_t c = 0; c < c1; c++) {
                if (*s != ',') { rc = -1; break; }
                double v = strtod(s + 1, &end);
                if (end == s + 1) { rc = -1; break; }
                s = end;
                if (c >= c0) val[(c - c0) * n + r] = v;
            }
        }
        for (size_t c = c0; c < c1 && rc == 0; c++) {
            double *x = val + (c - c0) * n;
            const SwpCol *col = &sp->col[c];
            Welford w;
            stats_welford_init(&w);
            if (col->ncat > 0) co[c].p = xcalloc((size_t)col->ncat, sizeof(double));
            uint64_t ncat_ok = 0;
            for (uint64_t r = 0; r < n; r++) {
                if (isnan(x[r])) continue;
                stats_welford_add(&w, x[r]);
                if (col->ncat > 0 && x[r] >= 0 && x[r] < col->ncat && x[r] == floor(x[r])) {
                    co[c].p[(int)x[r]] += 1;
                    ncat_ok++;
                }
            }
            for (int k = 0; k < col->ncat; k++) co[c].p[k] = ncat_ok ? co[c].p[k] / (double)ncat_ok : NAN;
            SwpColStats *st = &co[c].st;
            st->n = col->ncat > 0 ? ncat_ok : w.n;
            st->mean = w.n ? w.mean : NAN;
            st->sd = stats_welford_sd(&w);
            st->ci95_half = stats_welford_ci(&w, 0.95);
            st->min = w.n ? w.min : NAN;
            st->max = w.n ? w.max : NAN;
            stats_sort(x, (size_t)n);   /* NaN last: the first w.n are the values */
            for (int q = 0; q < SWP_NQ; q++)
                st->q[q] = stats_quantile_sorted(x, (size_t)w.n, swp_quantile_pct[q] / 100.0);
        }
    }
    if (rc != 0) fprintf(stderr, "%s: %s: cannot read back the rows\n", R->par->label, R->csv_path);
    free(line);
    free(val);
    fclose(f);
    return rc;
}

/* The object at path "a/b/c" under root, created as needed. */
static cJSON *json_at(cJSON *root, const char *path)
{
    cJSON *o = root;
    char *p = xstrdup(path), *save = NULL;
    for (char *tok = strtok_r(p, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        cJSON *child = cJSON_GetObjectItemCaseSensitive(o, tok);
        if (!child) child = cJSON_AddObjectToObject(o, tok);
        o = child;
    }
    free(p);
    return o;
}

static void json_raw_u64(cJSON *o, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRIu64, v);   /* exact, beyond the 2^53 of a double */
    cJSON_AddRawToObject(o, key, b);
}

static int write_summary(SwpRun *R, const ColOut *co)
{
    const SwpSpec *sp = R->spec;
    cJSON *root = cJSON_CreateObject();
    cJSON *run = cJSON_AddObjectToObject(root, "run");
    for (const char *const *kv = R->par->info; kv && kv[0] && kv[1]; kv += 2)
        cJSON_AddStringToObject(run, kv[0], kv[1]);
    json_raw_u64(run, "seed", R->par->seed);
    json_raw_u64(run, "n", R->par->n);
    cJSON_AddNumberToObject(run, "band_resolution", 1.0 / SWP_BAND_BINS);
    for (int c = 0; c < sp->ncol; c++) {
        const SwpCol *col = &sp->col[c];
        char *path = col->json ? xstrdup(col->json) : path_join("metrics", col->name);
        cJSON *o = json_at(root, path);
        free(path);
        const SwpColStats *st = &co[c].st;
        json_raw_u64(o, "n", st->n);
        if (col->ncat > 0) {
            cJSON *p = cJSON_AddObjectToObject(o, "p");
            for (int k = 0; k < col->ncat; k++) {
                char kb[16];
                snprintf(kb, sizeof kb, "%d", k);
                cJSON_AddNumberToObject(p, col->cat_names ? col->cat_names[k] : kb, co[c].p[k]);
            }
            continue;
        }
        cJSON_AddNumberToObject(o, "mean", st->mean);
        cJSON_AddNumberToObject(o, "sd", st->sd);
        double ci[2] = {st->mean - st->ci95_half, st->mean + st->ci95_half};
        cJSON_AddItemToObject(o, "ci95", cJSON_CreateDoubleArray(ci, 2));
        cJSON_AddNumberToObject(o, "min", st->min);
        cJSON_AddNumberToObject(o, "max", st->max);
        for (int q = 0; q < SWP_NQ; q++) {
            char kb[8];
            snprintf(kb, sizeof kb, "p%d", swp_quantile_pct[q]);
            cJSON_AddNumberToObject(o, kb, st->q[q]);
        }
    }
    char *withnl = json_take_text(root);
    char *path = path_join(R->par->out_dir, "summary.json");
    int rc = out_write_string(path, withnl);
    if (rc != 0) fprintf(stderr, "%s: %s: %s\n", R->par->label, path, strerror(errno));
    free(path);
    free(withnl);
    return rc;
}

/* Nearest-rank quantile of a histogram cell: the smallest bin whose
 * cumulative count reaches ceil(pct/100 * total); integer arithmetic, so it
 * is exact and the same on every machine. -1 when the cell is empty. */
static int hist_quantile(const uint32_t *h, int pct)
{
    uint64_t total = 0;
    for (int b = 0; b < SWP_NBINS; b++) total += h[b];
    if (total == 0) return -1;
    uint64_t k = ((uint64_t)pct * total + 99) / 100, cum = 0;
    if (k < 1) k = 1;
    for (int b = 0; b < SWP_NBINS; b++) {
        cum += h[b];
        if (cum >= k) return b;
    }
    return SWP_NBINS - 1;
}

static int write_bands(SwpRun *R)
{
    static const int pct[3] = {10, 50, 90};
    const SwpSpec *sp = R->spec;
    char *path = path_join(R->par->out_dir, "bands.csv");
    OutFile *o = out_open(path);
    if (!o) {
        fprintf(stderr, "%s: %s: %s\n", R->par->label, path, strerror(errno));
        free(path);
        return -1;
    }
    fputs("hour", o->f);
    for (int s = 0; s < sp->nseries; s++)
        for (int q = 0; q < 3; q++) fprintf(o->f, ",%s_p%d", sp->series_name[s], pct[q]);
    fputc('\n', o->f);
    for (int h = 0; h < sp->nhours; h++) {
        fprintf(o->f, "%d", h);
        for (int s = 0; s < sp->nseries; s++) {
            const uint32_t *cell = R->hist + ((size_t)s * (size_t)sp->nhours + (size_t)h) * SWP_NBINS;
            for (int q = 0; q < 3; q++) {
                int b = hist_quantile(cell, pct[q]);
                if (b < 0) fputc(',', o->f);
                else fprintf(o->f, ",%.3f", (double)b / SWP_BAND_BINS);
            }
        }
        fputc('\n', o->f);
    }
    int rc = out_commit(o);
    if (rc != 0) fprintf(stderr, "%s: %s: %s\n", R->par->label, path, strerror(errno));
    free(path);
    return rc;
}

static int finish(SwpRun *R, SwpColStats *stats)
{
    const SwpSpec *sp = R->spec;
    if (fflush(R->csv) != 0 || fsync(fileno(R->csv)) != 0 || fclose(R->csv) != 0) {
        R->csv = NULL;
        fprintf(stderr, "%s: %s: %s\n", R->par->label, R->csv_path, strerror(errno));
        return -1;
    }
    R->csv = NULL;
    ColOut *co = xcalloc((size_t)sp->ncol ? (size_t)sp->ncol : 1, sizeof *co);
    int rc = final_stats(R, co);
    if (rc == 0) rc = write_summary(R, co);
    if (rc == 0) rc = write_bands(R);
    if (rc == 0 && stats)
        for (int c = 0; c < sp->ncol; c++) stats[c] = co[c].st;
    for (int c = 0; c < sp->ncol; c++) free(co[c].p);
    free(co);
    if (rc != 0) return -1;
    /* Checkpoint first: a crash between the two leaves a whole rows file
     * under its .part name and no checkpoint, and a resume starts over. */
    unlink(R->ckpt_path);
    char *final = path_join(R->par->out_dir, "replicates.csv");
    if (rename(R->csv_path, final) != 0) {
        fprintf(stderr, "%s: %s: %s\n", R->par->label, final, strerror(errno));
        rc = -1;
    }
    free(final);
    return rc;
}

/* ---- setup ---------------------------------------------------------------- */

static char *make_ident(const SwpParams *p)
{
    size_t len = 1;
    for (const char *const *kv = p->info; kv && kv[0] && kv[1]; kv += 2)
        len += strlen(kv[0]) + strlen(kv[1]) + 2;
    char *s = xmalloc(len);
    s[0] = 0;
    for (const char *const *kv = p->info; kv && kv[0] && kv[1]; kv += 2) {
        if (s[0]) strcat(s, " ");
        strcat(s, kv[0]);
        strcat(s, "=");
        strcat(s, kv[1]);
    }
    return s;
}

static uint64_t make_hash(const SwpSpec *sp, const SwpParams *p, const char *ident)
{
    uint64_t h = ckpt_hash_str(CKPT_HASH_INIT, ident);
    h = ckpt_hash_u64(h, p->seed);
    h = ckpt_hash_u64(h, p->n);
    for (int c = 0; c < sp->ncol; c++) {
        h = ckpt_hash_str(h, sp->col[c].name);
        h = ckpt_hash_u64(h, (uint64_t)sp->col[c].ncat);
    }
    for (int s = 0; s < sp->nseries; s++) h = ckpt_hash_str(h, sp->series_name[s]);
    return ckpt_hash_u64(h, (uint64_t)sp->nhours);
}

static int write_header(SwpRun *R)
{
    const SwpSpec *sp = R->spec;
    int len = fprintf(R->csv, "replicate");
    for (int c = 0; c < sp->ncol; c++) len += fprintf(R->csv, ",%s", sp->col[c].name);
    len += fprintf(R->csv, "\n");
    R->csv_bytes = (uint64_t)len;
    return ferror(R->csv) ? -1 : 0;
}

/* Rank 0: open the rows file, fresh or from the checkpoint. Returns SWP_OK,
 * SWP_FAIL or SWP_REFUSED. */
static int open_rows(SwpRun *R)
{
    const SwpParams *p = R->par;
    const char *lab = p->label;
    if (p->resume) {
        Ckpt c = {0};
        char err[512];
        c.ncell = R->spec->nseries * R->spec->nhours;
        c.nbins = SWP_NBINS;
        c.hist = R->hist;
        int rc = ckpt_read(R->ckpt_path, &c, err, sizeof err);
        if (rc == -1 && errno == ENOENT) {
            fprintf(stderr, "%s: no checkpoint in %s: starting from the beginning\n", lab, p->out_dir);
        } else if (rc == -1) {
            fprintf(stderr, "%s: %s: %s\n", lab, R->ckpt_path, strerror(errno));
            return SWP_FAIL;
        } else if (rc == -2) {
            fprintf(stderr, "%s: cannot resume: %s\n", lab, err);
            return SWP_REFUSED;
        } else {
            int same = c.seed == p->seed && c.n == p->n && strcmp(c.ident, R->ident) == 0;
            if (!same || c.hash != R->hash) {
                fprintf(stderr, "%s: cannot resume: %s was made with other arguments\n"
                                "  checkpoint:   seed=%" PRIu64 " n=%" PRIu64 " %s\n"
                                "  this command: seed=%" PRIu64 " n=%" PRIu64 " %s\n",
                        lab, R->ckpt_path, c.seed, c.n, c.ident, p->seed, p->n, R->ident);
                if (same) fprintf(stderr, "  (same arguments, but the columns differ: the scenario changed)\n");
                fprintf(stderr, "  run without --resume to start this sweep over\n");
                free((char *)c.ident);
                return SWP_REFUSED;
            }
            free((char *)c.ident);
            struct stat sb;
            if (stat(R->csv_path, &sb) != 0 || (uint64_t)sb.st_size < c.csv_bytes) {
                fprintf(stderr, "%s: cannot resume: %s is missing or shorter than the checkpoint "
                                "says (%" PRIu64 " bytes); run without --resume to start over\n",
                        lab, R->csv_path, c.csv_bytes);
                return SWP_REFUSED;
            }
            /* Rows after the checkpoint may be cut short by the crash: drop them
             * and compute those replicates again. */
            if (truncate(R->csv_path, (off_t)c.csv_bytes) != 0 || !(R->csv = fopen(R->csv_path, "a"))) {
                fprintf(stderr, "%s: %s: %s\n", lab, R->csv_path, strerror(errno));
                return SWP_FAIL;
            }
            R->csv_bytes = c.csv_bytes;
            R->committed = R->start = c.done;
            return SWP_OK;
        }
    }
    memset(R->hist, 0, (size_t)R->spec->nseries * (size_t)R->spec->nhours * SWP_NBINS * sizeof *R->hist);
    if (!(R->csv = fopen(R->csv_path, "w")) || write_header(R) != 0 || write_ckpt(R) != 0) {
        fprintf(stderr, "%s: %s: %s\n", lab, R->csv_path, strerror(errno));
        return SWP_FAIL;
    }
    return SWP_OK;
}

static void print_resume(const SwpRun *R)
{
    const SwpParams *p = R->par;
    fprintf(stderr, "%s: stopped after %" PRIu64 " of %" PRIu64 " replicates; they are saved in %s\n",
            p->label, R->committed, p->n, p->out_dir);
    if (p->resume_cmd) fprintf(stderr, "to resume: %s\n", p->resume_cmd);
    else fprintf(stderr, "to resume: run the same command with --resume\n");
    if (R->nranks > 1)
        fprintf(stderr, "(under mpirun: the same mpirun command line, with --resume added)\n");
}

#ifdef FUELSIM_MPI
/* Rank 0 after its loop: collect the remaining chunks, tell every worker
 * to stop, and drain each one up to its MSG_END so that no message is left
 * unmatched at MPI_Finalize. */
static void mpi_root_end(SwpRun *R)
{
    while (!R->halted && R->committed < R->par->n && !is_stopping(R)) recv_chunk(R);
    int64_t v = 0;
    MPI_Request *rq = xmalloc((size_t)R->nranks * sizeof *rq);
    for (int k = 1; k < R->nranks; k++)
        MPI_Isend(&v, 1, MPI_INT64_T, k, TAG_CTL, MPI_COMM_WORLD, &rq[k]);
    for (int k = 1; k < R->nranks; k++) {
        while (!R->ended[k]) {
            MPI_Recv(R->msgbuf[0], (int)R->msgbytes, MPI_BYTE, k, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MsgHead h;
            memcpy(&h, R->msgbuf[0], sizeof h);
            if (h.kind == MSG_END) {
                R->ended[k] = 1;
                if (h.status != 0 && R->committed < R->par->n) R->failed = 1;
            }
        }
    }
    MPI_Waitall(R->nranks - 1, rq + 1, MPI_STATUSES_IGNORE);
    free(rq);
}

static void mpi_worker_end(SwpRun *R)
{
    MPI_Waitall(2, R->req, MPI_STATUSES_IGNORE);
    MsgHead h = {MSG_END, 0, 0, R->failed ? -1 : 0};
    MPI_Send(&h, (int)sizeof h, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD);
    if (!R->got_ctl) {
        int64_t v;
        MPI_Recv(&v, 1, MPI_INT64_T, 0, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
}
#endif

int swp_run(const SwpSpec *spec, const SwpParams *par, SwpColStats *stats, SwpOutcome *out)
{
    SwpRun R0, *R = &R0;
    memset(R, 0, sizeof *R);
    R->spec = spec;
    R->par = par;
    R->nranks = 1;
    R->chunk = par->chunk > 0 ? (uint64_t)par->chunk : 16;
    R->threads = par->threads > 0 ? par->threads : omp_get_max_threads();
#ifdef FUELSIM_MPI
    int inited = 0;
    MPI_Initialized(&inited);
    if (inited) {
        int lvl;
        MPI_Comm_rank(MPI_COMM_WORLD, &R->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &R->nranks);
        MPI_Query_thread(&lvl);
        /* The commit section may run on any thread: it needs SERIALIZED. */
        if (lvl < MPI_THREAD_SERIALIZED) R->threads = 1;
    }
#endif
    const int root = R->rank == 0;
    R->rowlen = (size_t)spec->ncol + (size_t)spec->nseries * (size_t)spec->nhours;
    R->ident = make_ident(par);
    R->hash = make_hash(spec, par, R->ident);
    double t0 = prog_now();
    int result = SWP_OK;
    swp_signal = 0;

    int64_t setup[2] = {SWP_OK, 0};   /* result, start */
    if (root) {
        R->hist = xcalloc((size_t)spec->nseries * (size_t)spec->nhours * SWP_NBINS, sizeof *R->hist);
        R->csv_path = path_join(par->out_dir, "replicates.csv.part");
        R->ckpt_path = path_join(par->out_dir, "sweep.ckpt");
        if (out_mkdir(par->out_dir) != 0) {
            fprintf(stderr, "%s: %s: %s\n", par->label, par->out_dir, strerror(errno));
            setup[0] = SWP_FAIL;
        } else {
            setup[0] = open_rows(R);
        }
        setup[1] = (int64_t)R->start;
    }
#ifdef FUELSIM_MPI
    if (R->nranks > 1) MPI_Bcast(setup, 2, MPI_INT64_T, 0, MPI_COMM_WORLD);
#endif
    result = (int)setup[0];
    R->start = (uint64_t)setup[1];

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = swp_on_signal;
    sigemptyset(&sa.sa_mask);
    /* A second Ctrl-C kills at once: the checkpoint on disk is still valid. */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    if (result == SWP_OK) {
        R->nlocal = local_count(par->n - R->start, R->chunk, (uint64_t)R->nranks, (uint64_t)R->rank);
        R->window = (uint64_t)R->threads * SWP_SLOTS_PER_THREAD;
        if (R->window < 16) R->window = 16;
        R->slots = xmalloc((size_t)R->window * R->rowlen * sizeof(double));
        R->ready = xcalloc((size_t)R->window, 1);
        R->slot_rc = xcalloc((size_t)R->window, sizeof(int));
#ifdef FUELSIM_MPI
        R->msgbytes = sizeof(MsgHead) + (size_t)R->chunk * R->rowlen * sizeof(double);
        R->msgbuf[0] = xmalloc(R->msgbytes);
        R->msgbuf[1] = xmalloc(R->msgbytes);
        R->req[0] = R->req[1] = MPI_REQUEST_NULL;
        R->ended = xcalloc((size_t)R->nranks, 1);
#endif
        if (root) {
            R->t_ckpt = prog_now();
            prog_start(&R->prog, stderr, par->progress == 1 ? PROG_BAR : par->progress == 2 ? PROG_LINE : PROG_AUTO,
                       par->label, "replicates", par->n, R->start);
        }
        pthread_mutex_init(&R->commit_lock, NULL);
        run_local(R);
        pthread_mutex_destroy(&R->commit_lock);
#ifdef FUELSIM_MPI
        if (R->nranks > 1) {
            if (root) mpi_root_end(R);
            else mpi_worker_end(R);
        }
#endif
        if (root) {
            prog_break(&R->prog);
            if (R->committed == par->n && !R->failed) {
                result = finish(R, stats) == 0 ? SWP_OK : SWP_FAIL;
                if (result == SWP_OK) prog_finish(&R->prog);
            } else {
                if (write_ckpt(R) != 0) {
                    fprintf(stderr, "%s: %s: %s\n", par->label, R->ckpt_path, strerror(errno));
                    R->failed = 1;
                }
                if (R->failed) {
                    fprintf(stderr, "%s: failed after %" PRIu64 " of %" PRIu64 " replicates\n",
                            par->label, R->committed, par->n);
                    result = SWP_FAIL;
                } else {
                    print_resume(R);
                    result = SWP_STOPPED;
                }
            }
        } else {
            result = R->failed ? SWP_FAIL : is_stopping(R) ? SWP_STOPPED : SWP_OK;
        }
    }
#ifdef FUELSIM_MPI
    if (R->nranks > 1) {
        int64_t r = result;
        MPI_Bcast(&r, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
        result = (int)r;
    }
    free(R->msgbuf[0]);
    free(R->msgbuf[1]);
    free(R->ended);
#endif
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    if (out) {
        out->done = R->committed;
        out->signal = (int)swp_signal;
        out->rank = R->rank;
        out->nranks = R->nranks;
        out->seconds = prog_now() - t0;
    }
    if (R->csv) fclose(R->csv);
    free(R->slots);
    free(R->ready);
    free(R->slot_rc);
    free(R->hist);
    free(R->csv_path);
    free(R->ckpt_path);
    free(R->ident);
    free(R->line);
    return result;
}
