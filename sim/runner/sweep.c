/* Sweep runner (see sweep.h): an OpenMP loop over replicates with a bounded
 * reorder buffer, committing rows strictly in replicate order; checkpoint
 * and resume. The transport between MPI ranks is in sweep_mpi.c, the final
 * statistics in sweep_stats.c. */
#include "sweep_int.h"
#include "ckpt.h"
#include "progress.h"
#include "util.h"

#include <assert.h>
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

#define SWP_SLOTS_PER_THREAD 8


/* The signal that asked us to stop, or 0. The only mutable file-scope
 * state: a signal handler can reach nothing else. */
static volatile sig_atomic_t swp_signal;

static void swp_on_signal(int sig)
{
    swp_signal = sig;
}

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

int swp_is_stopping(SwpRun *R)
{
    int s;
#pragma omp atomic read seq_cst
    s = R->stop;
    return s || swp_signal;
}

void swp_set_stop(SwpRun *R)
{
#pragma omp atomic write seq_cst
    R->stop = 1;
}

/* Chunked assignment under MPI: chunk c (replicates start + c*C ..) belongs
 * to rank c % K. Which rank computes a replicate never changes its numbers,
 * so any K and any resume point give the same bytes. */
uint64_t swp_local_rep(const SwpRun *R, uint64_t i)
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

void swp_halt(SwpRun *R, int failed)
{
    R->halted = 1;
    if (failed) R->failed = 1;
    swp_set_stop(R);
}

void swp_commit_row(SwpRun *R, uint64_t rep, const double *slot, int rc)
{
    const SwpSpec *sp = R->spec;
    if (R->halted) return;
    if (rc != 0) {
        fprintf(stderr, "%s: replicate %" PRIu64 " failed\n", R->par->label, rep);
        swp_halt(R, 1);
        return;
    }
    assert(rep == R->committed);   /* the sink and the transport deliver in order */
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
        swp_halt(R, 1);
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
        swp_set_stop(R);
    if (R->committed < R->par->n && prog_now() - R->t_ckpt >= R->par->ckpt_interval_s) {
        if (write_ckpt(R) != 0) {
            fprintf(stderr, "%s: %s: %s\n", R->par->label, R->ckpt_path, strerror(errno));
            swp_halt(R, 1);
        }
    }
}

/* Receives finished local replicates in local order (with the commit lock
 * held). */
static void sink(SwpRun *R, uint64_t i, const double *slot, int rc)
{
    if (R->rank != 0) {
        swp_mpi_send(R, i, slot, rc);
        return;
    }
    uint64_t rep = swp_local_rep(R, i);
    swp_mpi_recv_until(R, rep);
    swp_commit_row(R, rep, slot, rc);
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
            if (swp_is_stopping(R)) continue;
            /* Wait while the slot still holds replicate i - W: this bounds
             * the buffer when one slow replicate holds up the commits. */
            int go = 1;
            for (;;) {
                uint64_t next;
#pragma omp atomic read seq_cst
                next = R->next_local;
                if (i < next + W) break;
                if (swp_is_stopping(R)) { go = 0; break; }
                nap();
            }
            if (!go) continue;
            double *slot = R->slots + (size_t)(i % W) * R->rowlen;
            int rc = sp->rep(sp->ctx, R->par->seed, swp_local_rep(R, i), slot, slot + sp->ncol);
            /* A POSIX mutex rather than omp critical: same effect, and thread
             * sanitizers understand it (GCC's libgomp is not instrumented). */
            pthread_mutex_lock(&R->commit_lock);
            /* The reorder buffer never overflows: i is uncommitted, within
             * the window, and its slot is free. */
            assert(i >= R->next_local && i < R->next_local + W && !R->ready[i % W]);
            R->ready[i % W] = 1;
            R->slot_rc[i % W] = rc;
            if (rc != 0) swp_set_stop(R);
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

static int finish(SwpRun *R, SwpColStats *stats)
{
    if (fflush(R->csv) != 0 || fsync(fileno(R->csv)) != 0 || fclose(R->csv) != 0) {
        R->csv = NULL;
        fprintf(stderr, "%s: %s: %s\n", R->par->label, R->csv_path, strerror(errno));
        return -1;
    }
    R->csv = NULL;
    if (swp_stats_write(R, stats) != 0) return -1;
    /* Checkpoint first: a crash between the two leaves a whole rows file
     * under its .part name and no checkpoint, and a resume starts over. */
    unlink(R->ckpt_path);
    int rc = 0;
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

/* The value of key in an ident ("k=v k=v ...", values without spaces)
 * into val, or "(none)". */
static void ident_value(const char *ident, const char *key, size_t klen, char *val, size_t n)
{
    snprintf(val, n, "(none)");
    for (const char *p = ident; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            snprintf(val, n, "%.*s", (int)(len - klen - 1), p + klen + 1);
            return;
        }
        p += len + (e ? 1 : 0);
    }
}

/* Write to out one line per key of now whose value differs in ck:
 * "  KEY differs: checkpoint V1, this command V2". */
static void ident_diff(const char *ck, const char *now, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (const char *p = now; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            size_t klen = (size_t)(eq - p);
            char old[256], cur[256];
            ident_value(ck, p, klen, old, sizeof old);
            snprintf(cur, sizeof cur, "%.*s", (int)(len - klen - 1), eq + 1);
            if (strcmp(old, cur) != 0 && used < n) {
                int w = snprintf(out + used, n - used, "  %.*s differs: checkpoint %s, this command %s\n",
                                 (int)klen, p, old, cur);
                if (w > 0) used += (size_t)w;
            }
        }
        p += len + (e ? 1 : 0);
    }
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
                char diff[1024];
                ident_diff(c.ident, R->ident, diff, sizeof diff);
                fputs(diff, stderr);
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

/* Rank 0: the rows file and checkpoint, fresh or resumed. Returns the
 * setup's result; R->start is the resume point. */
static int setup_root(SwpRun *R)
{
    const SwpSpec *spec = R->spec;
    const SwpParams *par = R->par;
    R->hist = xcalloc((size_t)spec->nseries * (size_t)spec->nhours * SWP_NBINS, sizeof *R->hist);
    R->csv_path = path_join(par->out_dir, "replicates.csv.part");
    R->ckpt_path = path_join(par->out_dir, "sweep.ckpt");
    if (out_mkdir(par->out_dir) != 0) {
        fprintf(stderr, "%s: %s: %s\n", par->label, par->out_dir, strerror(errno));
        return SWP_FAIL;
    }
    return open_rows(R);
}

/* The reorder buffer and the transport's buffers; then the loop. */
static void run_all(SwpRun *R)
{
    const SwpParams *par = R->par;
    R->nlocal = local_count(par->n - R->start, R->chunk, (uint64_t)R->nranks, (uint64_t)R->rank);
    uint64_t total = 0;   /* the ranks' shares add up to the replicates left */
    for (int k = 0; k < R->nranks; k++)
        total += local_count(par->n - R->start, R->chunk, (uint64_t)R->nranks, (uint64_t)k);
    assert(total == par->n - R->start);
    (void)total;
    R->window = (uint64_t)R->threads * SWP_SLOTS_PER_THREAD;
    if (R->window < 16) R->window = 16;
    R->slots = xmalloc((size_t)R->window * R->rowlen * sizeof(double));
    R->ready = xcalloc((size_t)R->window, 1);
    R->slot_rc = xcalloc((size_t)R->window, sizeof(int));
    swp_mpi_open(R);
    if (R->rank == 0) {
        R->t_ckpt = prog_now();
        prog_start(&R->prog, stderr, par->progress == 1 ? PROG_BAR : par->progress == 2 ? PROG_LINE : PROG_AUTO,
                   par->label, "replicates", par->n, R->start);
    }
    pthread_mutex_init(&R->commit_lock, NULL);
    run_local(R);
    pthread_mutex_destroy(&R->commit_lock);
    swp_mpi_end(R);
}

/* Rank 0 after the loop: write the outputs, or the checkpoint and why it
 * stopped. Returns the sweep's result. */
static int end_root(SwpRun *R, SwpColStats *stats)
{
    const SwpParams *par = R->par;
    assert(R->committed <= par->n);
    prog_break(&R->prog);
    if (R->committed == par->n && !R->failed) {
        int result = finish(R, stats) == 0 ? SWP_OK : SWP_FAIL;
        if (result == SWP_OK) prog_finish(&R->prog);
        return result;
    }
    if (write_ckpt(R) != 0) {
        fprintf(stderr, "%s: %s: %s\n", par->label, R->ckpt_path, strerror(errno));
        R->failed = 1;
    }
    if (R->failed) {
        fprintf(stderr, "%s: failed after %" PRIu64 " of %" PRIu64 " replicates\n",
                par->label, R->committed, par->n);
        return SWP_FAIL;
    }
    print_resume(R);
    return SWP_STOPPED;
}

int swp_run(const SwpSpec *spec, const SwpParams *par, SwpColStats *stats, SwpOutcome *out)
{
    SwpRun R0, *R = &R0;
    memset(R, 0, sizeof *R);
    R->spec = spec;
    R->par = par;
    R->nranks = 1;
    R->chunk = par->chunk > 0 ? (uint64_t)par->chunk : 16;
    R->threads = par->threads > 0 ? par->threads : omp_get_max_threads();
    swp_mpi_init(R);
    const int root = R->rank == 0;
    R->rowlen = (size_t)spec->ncol + (size_t)spec->nseries * (size_t)spec->nhours;
    R->ident = make_ident(par);
    R->hash = make_hash(spec, par, R->ident);
    double t0 = prog_now();
    swp_signal = 0;

    int64_t setup[2] = {SWP_OK, 0};   /* result, start */
    if (root) {
        setup[0] = setup_root(R);
        setup[1] = (int64_t)R->start;
    }
    swp_mpi_bcast(R, setup, 2);
    int result = (int)setup[0];
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
        run_all(R);
        if (root) result = end_root(R, stats);
        else result = R->failed ? SWP_FAIL : swp_is_stopping(R) ? SWP_STOPPED : SWP_OK;
    }
    int64_t r = result;
    swp_mpi_bcast(R, &r, 1);
    result = (int)r;
    swp_mpi_close(R);
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
