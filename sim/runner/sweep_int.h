/* Internals of the sweep runner shared by sweep.c (the loop and ordered
 * commits), sweep_mpi.c (the transport between ranks) and sweep_stats.c
 * (the final statistics). Not part of the public face: see sweep.h. */
#ifndef FUELSIM_SWEEP_INT_H
#define FUELSIM_SWEEP_INT_H

#include "sweep.h"
#include "progress.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define SWP_NBINS (SWP_BAND_BINS + 1)

/* The transport's own state (MPI requests and buffers); opaque here. */
typedef struct SwpMpi SwpMpi;

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

    SwpMpi *mpi;                /* NULL until swp_mpi_open */
} SwpRun;

/* sweep.c: state shared with the transport. */
int swp_is_stopping(SwpRun *R);
void swp_set_stop(SwpRun *R);
/* Commit nothing more; failed: the sweep failed (else it only stopped). */
void swp_halt(SwpRun *R, int failed);
/* Rank 0: append replicate rep (which must be R->committed) to the rows. */
void swp_commit_row(SwpRun *R, uint64_t rep, const double *slot, int rc);
/* The replicate that local index i of this rank stands for. */
uint64_t swp_local_rep(const SwpRun *R, uint64_t i);

/* sweep_mpi.c: the transport. Without FUELSIM_MPI (or when MPI is not
 * initialised) there is one rank and every call below is a no-op. */
/* Set R->rank and R->nranks; lower R->threads if MPI cannot take calls from
 * any thread. */
void swp_mpi_init(SwpRun *R);
/* Rank 0's v[0..n-1] to every rank. */
void swp_mpi_bcast(SwpRun *R, int64_t *v, int n);
/* Allocate the buffers (R->chunk and R->rowlen are set). */
void swp_mpi_open(SwpRun *R);
/* Worker rank: a finished local replicate, in local order, to rank 0. */
void swp_mpi_send(SwpRun *R, uint64_t i, const double *slot, int rc);
/* Rank 0: receive and commit other ranks' rows until R->committed reaches
 * rep (or the sweep halts). */
void swp_mpi_recv_until(SwpRun *R, uint64_t rep);
/* After the local loop: rank 0 collects what remains and stops the
 * workers; a worker says it has ended. No message is left unmatched. */
void swp_mpi_end(SwpRun *R);
/* Free the buffers; NULL R->mpi is a no-op. */
void swp_mpi_close(SwpRun *R);

/* sweep_stats.c: rank 0, the rows file complete and closed: summary.json and
 * bands.csv; stats (may be NULL) filled as swp_run documents. 0 or -1. */
int swp_stats_write(SwpRun *R, SwpColStats *stats);

#endif
