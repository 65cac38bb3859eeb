/* Replicate metrics as the sweep runner's rows of named numbers and hourly
 * series: which columns a World gives (headline metrics, unserved kL,
 * per-facility and per-berth damage and restoration, and with MET_BCP the
 * extra columns of the port BCP annex), how a SupResult fills a row, a
 * ready-made replicate function for swp_run, and a reader for the
 * replicates.csv that swp_run writes. Shared by `fuelsim sweep`, `bcp` and
 * `compare`, so that their files have the same columns.
 * Units: h, kL; damage states as DS_* codes. */
#ifndef FUELSIM_METRICS_H
#define FUELSIM_METRICS_H

#include <stdint.h>

#include "hazard.h"
#include "restore.h"
#include "supply.h"
#include "sweep.h"
#include "world.h"

/* The BCP annex's window for generator fuel and grid outage, h. */
#define MET_BCP_WINDOW_H 72.0

/* The first week's MET_BCP columns: 6, then one per direction. */
enum { MET_WK_MINISTRY, MET_WK_ROOM, MET_WK_RELAY, MET_WK_STOCKPILE_H, MET_WK_STOCKPILE_KL,
       MET_WK_SDF_KL, MET_WK_ROUTE, MET_NWK = MET_WK_ROUTE + SUP_NDIR };
extern const char *const met_wk_name[MET_NWK];

/* Flags of met_cols_new. */
enum {
    /* After the standard columns: per component of each port facility (a
     * facility with a berth) other than its berths, damage state and
     * restoration time (comp_ds_ID, comp_restore_h_ID); first hour in which
     * a class-1 user is short (first_dry_h_class1, SUP_NEVER_H if never);
     * per grid area, hours without grid power in the first
     * MET_BCP_WINDOW_H (grid_down_72h_ID); per priority class, the generator
     * fuel its grid_down consumption needs over those hours
     * (gen_fuel_72h_kl_classK, kL); the first week's times (MET_NWK
     * columns from col_wk: ministry request, joint room, first relayed
     * priority request, stockpile release in h, SUP_NEVER_H when not within
     * the horizon; stockpile released and SDF's own fuel in kL; the first
     * emergency route per direction in h, 0 where none needed clearing). */
    MET_BCP = 1
};

/* The fixed columns, in this order; then per facility with components its
 * worst component damage state (ds_ID) and restoration time (restore_h_ID),
 * then per berth component the same (berth_ds_ID, berth_restore_h_ID), then
 * the MET_BCP columns. */
enum {
    MET_COL_WS, MET_COL_DRY1, MET_COL_T90, MET_COL_RLOSS,
    MET_COL_UNSERVED_CLASS,                                 /* NCLASS: unserved kL by class */
    MET_COL_UNSERVED_PROD = MET_COL_UNSERVED_CLASS + NCLASS, /* NPROD: by product */
    MET_COL_RACK_WAIT = MET_COL_UNSERVED_PROD + NPROD,
    MET_COL_BERTH_WAIT,
    MET_COL_FIXED
};

/* Series: hourly served fraction of classes 1..4, then of all demand. */
#define MET_NSERIES (NCLASS + 1)
extern const char *const met_series_name[MET_NSERIES];

/* The columns of a World. Owns its arrays and names; borrows w. */
typedef struct MetCols {
    const World *w;
    unsigned flags;
    int ncol;
    SwpCol *col;
    int nhours;               /* ceil(horizon), as sup_run counts hours */
    int nfac_cols, *fac_of;   /* facilities with components */
    int nberth, *berth_of;    /* berth components */
    /* MET_BCP */
    int col_bcp;              /* first MET_BCP column */
    int ncomp_bcp, *comp_of;  /* non-berth components of port facilities */
    int col_first_dry, col_grid, col_gen;   /* narea grid columns, NCLASS gen columns */
    int col_wk;               /* MET_NWK first-week columns */
    int col_gate;             /* MET_BCP: per berth, then per comp_of, the RstGate that set
                               * its usable time (categorical "gate_ID"): why an undamaged
                               * component is out of service */
    char **names;
    int nnames;
} MetCols;

/* Columns for w with flags (0 or MET_BCP); free with met_cols_free (NULL ok). */
MetCols *met_cols_new(const World *w, unsigned flags);
void met_cols_free(MetCols *c);

/* 1 if facility f is a port facility: it has a berth component. */
int met_is_port_facility(const World *w, int f);

/* Fill row[0..ncol-1] and, when series is not NULL, series[s * nhours + h]
 * from a replicate's result. rs is its restoration schedule, read only for
 * the MET_BCP columns (may be NULL otherwise). */
void met_fill(const MetCols *c, const SupResult *r, const RstSchedule *rs, double *row, double *series);

/* Context of met_rep; everything borrowed and read-only, so one MetRun
 * serves all threads. */
typedef struct MetRun {
    const MetCols *cols;
    const SupModel *m;
    SupOptions opt;           /* trace must be NULL */
    const HazField *hf;       /* MET_BCP: hazard field of the same World and earthquake */
    const char *label;        /* message prefix, e.g. "fuelsim sweep" */
} MetRun;

/* A SwpRepFn: sup_run of (seed, rep) mapped by met_fill; with MET_BCP the
 * restoration schedule is rebuilt from the same streams (rst_replicate on
 * hf), which gives the one sup_run used. */
int met_rep(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series);

/* ---- reading replicates.csv back ---- */

typedef struct MetRows MetRows;

/* Open a replicates.csv as swp_run writes it (header "replicate,NAME,...",
 * numbers). Returns NULL with errno set when it cannot be read. */
MetRows *met_rows_open(const char *path);
/* Columns after "replicate", and the index of a column by name (-1). */
int met_rows_ncol(const MetRows *r);
int met_rows_col(const MetRows *r, const char *name);
/* Next row into *rep and x[0..ncol-1]: 1, or 0 at the end, or -1 on a row
 * that is not ncol + 1 numbers. */
int met_rows_next(MetRows *r, uint64_t *rep, double *x);
void met_rows_close(MetRows *r);   /* NULL ok */

#endif
