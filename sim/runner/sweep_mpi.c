/* The sweep's transport between Open MPI ranks (see sweep.h and
 * sweep_int.h): replicates go to ranks in chunks, chunk c to rank c % K;
 * workers send whole chunks to rank 0, which commits them in replicate
 * order. Built without FUELSIM_MPI, there is one rank and every call is a
 * no-op: the only place in the runner that knows whether MPI exists. */
#include "sweep_int.h"
#include "util.h"

#include <stdlib.h>

#ifdef FUELSIM_MPI
#include <inttypes.h>
#include <mpi.h>
#include <string.h>

/* Message from a rank to rank 0: a header, then count slots. */
enum { MSG_DATA = 1, MSG_END = 2 };
enum { TAG_DATA = 61, TAG_CTL = 62 };
typedef struct MsgHead {
    int64_t kind;       /* MSG_DATA or MSG_END */
    int64_t chunk;      /* chunk index (relative to start) */
    int64_t count;      /* slots that follow */
    int64_t status;     /* in MSG_END: 0 finished or stopped, -1 a replicate failed */
} MsgHead;

struct SwpMpi {
    char *msgbuf[2];            /* worker: double-buffered outgoing chunks; rank 0: [0] receives */
    size_t msgbytes;
    MPI_Request req[2];
    int cur;                    /* worker: buffer being filled */
    int got_ctl;                /* worker: rank 0's control message received */
    unsigned char *ended;       /* rank 0: per rank, its MSG_END received */
};

void swp_mpi_init(SwpRun *R)
{
    int inited = 0;
    MPI_Initialized(&inited);
    if (!inited) return;
    int lvl;
    MPI_Comm_rank(MPI_COMM_WORLD, &R->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &R->nranks);
    MPI_Query_thread(&lvl);
    /* The commit section may run on any thread: it needs SERIALIZED. */
    if (lvl < MPI_THREAD_SERIALIZED) R->threads = 1;
}

void swp_mpi_bcast(SwpRun *R, int64_t *v, int n)
{
    if (R->nranks > 1) MPI_Bcast(v, n, MPI_INT64_T, 0, MPI_COMM_WORLD);
}

void swp_mpi_open(SwpRun *R)
{
    SwpMpi *M = xcalloc(1, sizeof *M);
    M->msgbytes = sizeof(MsgHead) + (size_t)R->chunk * R->rowlen * sizeof(double);
    M->msgbuf[0] = xmalloc(M->msgbytes);
    M->msgbuf[1] = xmalloc(M->msgbytes);
    M->req[0] = M->req[1] = MPI_REQUEST_NULL;
    M->ended = xcalloc((size_t)R->nranks, 1);
    R->mpi = M;
}

void swp_mpi_close(SwpRun *R)
{
    if (!R->mpi) return;
    free(R->mpi->msgbuf[0]);
    free(R->mpi->msgbuf[1]);
    free(R->mpi->ended);
    free(R->mpi);
    R->mpi = NULL;
}

static int owner_of(const SwpRun *R, uint64_t rep)
{
    return (int)(((rep - R->start) / R->chunk) % (uint64_t)R->nranks);
}

/* Rank 0: receive the next chunk from its owner and commit its rows. */
static void recv_chunk(SwpRun *R)
{
    SwpMpi *M = R->mpi;
    uint64_t rel = R->committed - R->start;
    int from = owner_of(R, R->committed);
    MPI_Status st;
    MPI_Recv(M->msgbuf[0], (int)M->msgbytes, MPI_BYTE, from, TAG_DATA, MPI_COMM_WORLD, &st);
    MsgHead h;
    memcpy(&h, M->msgbuf[0], sizeof h);
    if (h.kind == MSG_END) {
        M->ended[from] = 1;
        swp_halt(R, h.status != 0);
        return;
    }
    if ((uint64_t)h.chunk != rel / R->chunk) {
        fprintf(stderr, "%s: internal error: rank %d sent chunk %" PRId64 ", expected %" PRIu64 "\n",
                R->par->label, from, h.chunk, rel / R->chunk);
        swp_halt(R, 1);
        return;
    }
    const double *slots = (const double *)(M->msgbuf[0] + sizeof h);
    for (int64_t j = 0; j < h.count && !R->halted; j++)
        swp_commit_row(R, R->committed, slots + (size_t)j * R->rowlen, 0);
}

void swp_mpi_recv_until(SwpRun *R, uint64_t rep)
{
    while (R->nranks > 1 && !R->halted && R->committed < rep) recv_chunk(R);
}

/* Worker: the control message from rank 0 means "stop". */
static void poll_ctl(SwpRun *R)
{
    if (R->mpi->got_ctl) return;
    int flag = 0;
    MPI_Iprobe(0, TAG_CTL, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
    if (flag) {
        int64_t v;
        MPI_Recv(&v, 1, MPI_INT64_T, 0, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        R->mpi->got_ctl = 1;
        swp_set_stop(R);
    }
}

/* Worker: append a finished replicate to the outgoing chunk; send the chunk
 * when it is whole. */
void swp_mpi_send(SwpRun *R, uint64_t i, const double *slot, int rc)
{
    SwpMpi *M = R->mpi;
    if (R->failed) return;
    if (rc != 0) {
        R->failed = 1;
        swp_set_stop(R);
        return;
    }
    uint64_t rep = swp_local_rep(R, i), rel = rep - R->start;
    uint64_t chunk = rel / R->chunk, j = rel % R->chunk;
    uint64_t remaining = R->par->n - R->start;
    uint64_t size = (chunk + 1) * R->chunk <= remaining ? R->chunk : remaining - chunk * R->chunk;
    if (j == 0) MPI_Wait(&M->req[M->cur], MPI_STATUS_IGNORE);   /* buffer free again */
    char *buf = M->msgbuf[M->cur];
    memcpy(buf + sizeof(MsgHead) + j * R->rowlen * sizeof(double), slot, R->rowlen * sizeof(double));
    if (j + 1 == size) {
        MsgHead h = {MSG_DATA, (int64_t)chunk, (int64_t)size, 0};
        memcpy(buf, &h, sizeof h);
        MPI_Isend(buf, (int)(sizeof h + size * R->rowlen * sizeof(double)), MPI_BYTE, 0, TAG_DATA,
                  MPI_COMM_WORLD, &M->req[M->cur]);
        M->cur ^= 1;
    }
    poll_ctl(R);
}

/* Rank 0 after its loop: collect the remaining chunks, tell every worker
 * to stop, and drain each one up to its MSG_END so that no message is left
 * unmatched at MPI_Finalize. */
static void root_end(SwpRun *R)
{
    SwpMpi *M = R->mpi;
    while (!R->halted && R->committed < R->par->n && !swp_is_stopping(R)) recv_chunk(R);
    int64_t v = 0;
    MPI_Request *rq = xmalloc((size_t)R->nranks * sizeof *rq);
    for (int k = 1; k < R->nranks; k++)
        MPI_Isend(&v, 1, MPI_INT64_T, k, TAG_CTL, MPI_COMM_WORLD, &rq[k]);
    for (int k = 1; k < R->nranks; k++) {
        while (!M->ended[k]) {
            MPI_Recv(M->msgbuf[0], (int)M->msgbytes, MPI_BYTE, k, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MsgHead h;
            memcpy(&h, M->msgbuf[0], sizeof h);
            if (h.kind == MSG_END) {
                M->ended[k] = 1;
                if (h.status != 0 && R->committed < R->par->n) R->failed = 1;
            }
        }
    }
    MPI_Waitall(R->nranks - 1, rq + 1, MPI_STATUSES_IGNORE);
    free(rq);
}

static void worker_end(SwpRun *R)
{
    SwpMpi *M = R->mpi;
    MPI_Waitall(2, M->req, MPI_STATUSES_IGNORE);
    MsgHead h = {MSG_END, 0, 0, R->failed ? -1 : 0};
    MPI_Send(&h, (int)sizeof h, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD);
    if (!M->got_ctl) {
        int64_t v;
        MPI_Recv(&v, 1, MPI_INT64_T, 0, TAG_CTL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
}

void swp_mpi_end(SwpRun *R)
{
    if (R->nranks == 1) return;
    if (R->rank == 0) root_end(R);
    else worker_end(R);
}

#else /* one process: rank 0 of 1 */

void swp_mpi_init(SwpRun *R) { (void)R; }
void swp_mpi_bcast(SwpRun *R, int64_t *v, int n) { (void)R; (void)v; (void)n; }
void swp_mpi_open(SwpRun *R) { (void)R; }
void swp_mpi_recv_until(SwpRun *R, uint64_t rep) { (void)R; (void)rep; }
void swp_mpi_end(SwpRun *R) { (void)R; }
void swp_mpi_close(SwpRun *R) { (void)R; }

/* Only worker ranks send; without MPI there are none. */
void swp_mpi_send(SwpRun *R, uint64_t i, const double *slot, int rc)
{
    (void)R; (void)i; (void)slot; (void)rc;
    abort();
}

#endif
