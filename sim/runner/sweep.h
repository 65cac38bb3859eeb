/* Sweep runner: runs replicates 0..n-1 of a model in parallel (OpenMP
 * threads, and Open MPI ranks when built with FUELSIM_MPI) and aggregates
 * them so that the output files are the same bytes whatever the number of
 * threads or ranks. The model is reached only through a function pointer:
 * this module knows rows of named numbers and hourly series, not fuel.
 *
 * Output files in OUT:
 *   replicates.csv  one row per replicate, in replicate order: "replicate"
 *                   then the columns, numbers as "%.12g". During the run the
 *                   rows are appended to replicates.csv.part, which is
 *                   renamed to replicates.csv when the sweep is complete, so
 *                   that replicates.csv is always a whole sweep.
 *   summary.json    "run": the run's identity (seed, n, the caller's info);
 *                   "provenance": the caller's prov_json, as given;
 *                   per column at its JSON path: n, mean, sd, 95% CI of the
 *                   mean (Student t), min, max, p5 p50 p90 p95 p99 (exact,
 *                   type 7); for a categorical column the probability of
 *                   each value instead.
 *   bands.csv       hour, then p10, p50, p90 of each series at that hour.
 *   sweep.ckpt      checkpoint while the sweep is unfinished (see ckpt.h);
 *                   removed at the end.
 *
 * Determinism: a replicate's numbers depend on (seed, rep) only; rows are
 * committed strictly in replicate order through a bounded reorder buffer,
 * and the statistics are computed from the committed rows, in that order.
 *
 * Memory is flat in n: the reorder buffer holds 8 slots per thread; series
 * quantiles come from fixed histograms (resolution 1/SWP_BAND_BINS per
 * hour and series); metric quantiles are exact, from the finished rows file
 * re-read a block of columns at a time within SwpParams.mem_budget.
 *
 * Interruption: SIGINT and SIGTERM stop the handing out of replicates; what
 * is done is committed, a checkpoint is written and swp_run returns
 * SWP_STOPPED. Rows and checkpoint are on disk at all times (the checkpoint
 * every ckpt_interval_s), so after a crash or kill -9 the same call with
 * resume = 1 goes on from the last checkpoint and ends with the same bytes as
 * an uninterrupted run.
 *
 * MPI (built with FUELSIM_MPI, MPI initialised with MPI_THREAD_SERIALIZED):
 * replicates go to ranks in chunks of SwpParams.chunk, chunk c to rank
 * c % K; each rank runs its chunks on its OpenMP threads and sends them to
 * rank 0, which commits in replicate order and alone writes the files. Only
 * rank 0 reads and writes the checkpoint, so a resume may use any number of
 * ranks (the same K, or another, or none). mpirun turns Ctrl-C into SIGTERM
 * to every rank: rank 0 commits, checkpoints and tells the others to stop. */
#ifndef FUELSIM_SWEEP_H
#define FUELSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

/* One replicate: fill row[0..ncol-1] and series[s * nhours + h] for
 * s < nseries, h < nhours (series values in [0, 1]; NaN means "no value"
 * and is left out of that hour's band). Must depend only on (ctx, seed, rep)
 * and be safe to call from several threads at once with the same ctx.
 * Returns 0, or -1 on a runtime failure (after a message on stderr). */
typedef int (*SwpRepFn)(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series);

/* A column of the rows. Strings are borrowed and must outlive swp_run. */
typedef struct SwpCol {
    const char *name;               /* CSV header; snake_case */
    int ncat;                       /* 0: continuous; k > 0: categorical, values 0..k-1 */
    const char *const *cat_names;   /* k names used as keys in summary.json; NULL: "0".."k-1" */
    const char *json;               /* path in summary.json, parts joined by '/',
                                     * e.g. "facilities/keihin/restore_h";
                                     * NULL: "metrics/NAME" */
} SwpCol;

typedef struct SwpSpec {
    int ncol;
    const SwpCol *col;              /* ncol columns */
    int nseries;
    const char *const *series_name; /* nseries names, headers of bands.csv */
    int nhours;                     /* length of every series */
    SwpRepFn rep;
    void *ctx;                      /* passed to rep; shared by all threads */
} SwpSpec;

/* Band histograms: bin k holds values rounding to k / SWP_BAND_BINS. */
#define SWP_BAND_BINS 1000
/* Quantiles of each metric in summary.json, in percent. */
#define SWP_NQ 5
extern const int swp_quantile_pct[SWP_NQ];   /* 5, 50, 90, 95, 99 */

typedef struct SwpParams {
    uint64_t n;                 /* replicates 0..n-1; >= 1 */
    uint64_t seed;
    int threads;                /* OpenMP threads per process; 0: omp_get_max_threads() */
    int resume;                 /* go on from OUT's checkpoint */
    const char *out_dir;        /* created if absent */
    const char *const *info;    /* NULL-terminated key, value, key, value, ...: what
                                 * identifies the run besides seed and n (scenario,
                                 * quake, policy); written to "run" in summary.json
                                 * and compared when resuming. May be NULL. */
    const char *prov_json;      /* a JSON object text written as "provenance" in
                                 * summary.json (what made it: version, command,
                                 * scenario files); not compared when resuming.
                                 * May be NULL. */
    const char *label;          /* message prefix; default "fuelsim sweep" */
    const char *resume_cmd;     /* shown after an interruption; may be NULL */
    int progress;               /* 0 auto (bar when stderr is a terminal), 1 bar,
                                 * 2 only the line at the end */
    double ckpt_interval_s;     /* seconds between checkpoints, default 2; 0: at every commit */
    uint64_t stop_after;        /* test hook: stop as on SIGINT once this many replicates
                                 * are committed; 0: never */
    int chunk;                  /* MPI: replicates per chunk handed to a rank, default 16 */
    size_t mem_budget;          /* bytes for the final quantile pass, default 64 MiB */
} SwpParams;

/* Defaults as documented above; n, out_dir and the rest left zero. */
void swp_params_default(SwpParams *p);

/* Statistics of one continuous column, as in summary.json. */
typedef struct SwpColStats {
    uint64_t n;
    double mean, sd, ci95_half;     /* NaN when n < 2 (sd, ci) */
    double ci95_lo, ci95_hi;        /* mean -+ ci95_half; the lower end no less than 0
                                     * when no value is negative (a shortfall or dry
                                     * hours cannot average below 0) */
    double min, max;
    double q[SWP_NQ];               /* at swp_quantile_pct */
} SwpColStats;

/* How a sweep ended. */
typedef struct SwpOutcome {
    uint64_t done;          /* replicates committed (on rank 0) */
    int signal;             /* the signal that stopped it, or 0 */
    int rank, nranks;       /* this process under MPI; 0 and 1 otherwise */
    double seconds;         /* wall time of this run, for display */
} SwpOutcome;

enum {
    SWP_OK = 0,             /* all n replicates done, files written */
    SWP_FAIL = -1,          /* runtime failure (I/O, a replicate failed); message printed */
    SWP_STOPPED = 1,        /* interrupted; checkpoint written, resume message printed */
    SWP_REFUSED = 2         /* --resume with other arguments, or a bad checkpoint */
};

/* Run the sweep. stats, when not NULL, has spec->ncol entries and is filled
 * on rank 0 when the result is SWP_OK (entries of categorical columns hold
 * the mean of the value). out may be NULL. Under MPI every rank calls it with
 * the same arguments; only rank 0 writes files and prints. Installs SIGINT
 * and SIGTERM handlers for its duration and restores the previous ones. */
int swp_run(const SwpSpec *spec, const SwpParams *par, SwpColStats *stats, SwpOutcome *out);

/* Index of the column called name, or -1. */
int swp_col_find(const SwpSpec *spec, const char *name);

#endif
