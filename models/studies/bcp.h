/* Port BCP annex: from a sweep with the MET_BCP columns (metrics.h), the
 * figures a port business continuity plan asks for, per port facility (a
 * facility with a berth) and per component of those facilities: the
 * probability of each damage state, restoration-time P50 and P90, the
 * probability of being back within the scenario's BCP target recovery time
 * (World.bcp_target_h by component kind); the generator fuel that demand
 * points need over the first 72 h; and when class-1 users first run short.
 * Written as bcp.csv (the facility and component table) and bcp.md (a
 * document to paste into a plan).
 *
 * Definitions (also in bcp.md):
 *   back            at full capacity again: the sweep's restore_h, after
 *                   the restoration dependencies (power, fairway, ...)
 *   within target   restore_h <= bcp_target_h of the component's kind; a
 *                   facility is within target when each of its components
 *                   that has a target is
 *   generator fuel  per replicate, the grid_down consumption of each demand
 *                   point times the hours its grid area is without power
 *                   within the first MET_BCP_WINDOW_H (72 h); the planning
 *                   figure is the same with the grid down throughout
 *   first dry hour  the first hour in which some class-1 user is short of
 *                   some product (SUP_NEVER_H: not within the horizon)
 * Times in h, volumes in kL, probabilities as fractions. */
#ifndef FUELSIM_BCP_H
#define FUELSIM_BCP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "restore.h"
#include "sweep.h"
#include "world.h"

/* One line of the facility and component table. */
typedef struct BcpRow {
    int fac;                  /* facility index */
    int comp;                 /* component index, or -1 for the facility as a whole */
    double p_ds[NDS];         /* probability of each damage state (facility: its worst component) */
    double restore_p50_h, restore_p90_h;   /* type-7 quantiles, as summary.json */
    double target_h;          /* BCP target; 0 = none set */
    double p_within;          /* P(back within target); NaN when no target applies */
    double p_held[NRSTGATE];  /* component: P(undamaged yet out of service at first, held
                               * back by each gate: power, fairway, inspection...) */
} BcpRow;

/* Per priority class: generator (grid_down) consumption. */
typedef struct BcpGen {
    int npoints;              /* demand points with grid_down consumption */
    double use_kl_d;          /* their generator use, kL/day */
    double onsite_kl;         /* their initial stock of those products, kL */
    double need_72h_kl;       /* use over 72 h with the grid down throughout */
    double mean_kl, p50_kl, p90_kl;   /* over replicates: use over their actual outage in 72 h */
} BcpGen;

/* A demand point whose on-site stock of a generator fuel lasts less than
 * 72 h of generator use. */
typedef struct BcpShort {
    int use;                  /* consumption row */
    double hours;             /* initial_kl / (use_kl_d / 24) */
} BcpShort;

typedef struct BcpAnnex {
    const World *w;           /* borrowed */
    int quake;
    uint64_t n, seed;
    int nrow;
    BcpRow *row;
    BcpGen gen[NCLASS];
    int nshort;
    BcpShort *shortfall;      /* points below 72 h of generator fuel, by hours then row */
    double *area_p_down_72;   /* per grid area: P(still without grid power at 72 h) */
    double *area_mean_down_h; /* per grid area: mean hours without power in the first 72 h */
    /* class 1 */
    double p_dry_any, p_dry_24, p_dry_72;   /* P(first dry hour < horizon, < 24, < 72) */
    double first_dry_q[3];    /* P5, P50, P90 of the first dry hour (type 7; SUP_NEVER_H = never) */
    double dry_hours_mean, dry_hours_p50, dry_hours_p90;   /* class-1 dry point-hours */
    /* the first week (metrics.h MET_WK_*): P50 and P90 of each column */
    double wk_p50[MET_NWK], wk_p90[MET_NWK];
} BcpAnnex;

/* Build the annex from a finished sweep: cols are the columns it ran with
 * (met_cols_new(w, MET_BCP)), stats its statistics (from swp_run), rows_path
 * its replicates.csv. Returns a new annex (free with bcp_annex_free), or
 * NULL with a message in err when the rows file does not match. */
BcpAnnex *bcp_annex_new(const World *w, int quake, uint64_t n, uint64_t seed, const MetCols *cols,
                        const SwpColStats *stats, const char *rows_path, char *err, size_t errlen);
void bcp_annex_free(BcpAnnex *a);   /* NULL ok */

/* The gate that most often holds a component line back while it is
 * undamaged (an RstGate beyond repair), or -1 when none does; *p_any is
 * P(undamaged, held back) by any gate. */
int bcp_held_reason(const BcpRow *r, double *p_any);

/* bcp.csv: level,facility,component,kind,name_en,name_ja,p_none,p_slight,
 * p_moderate,p_extensive,p_complete,restore_p50_h,restore_p90_h,target_h,
 * p_within_target (empty target and probability where none is set).
 * Returns 0, or -1 on a write error. */
int bcp_write_csv(const BcpAnnex *a, FILE *f);

/* bcp.md text (new string, caller frees). prov is what made it (command,
 * version, commit; may be NULL); the scenario's fingerprint is quoted too; notes is the text of the scenario's notes file or NULL: its
 * section whose heading mentions caveats is copied in. */
char *bcp_markdown(const BcpAnnex *a, const RunProv *prov, const char *notes);

/* The section of a Markdown text whose heading contains "caveat" (any
 * case): a new string with its body up to the next heading of the same or
 * a higher level, or NULL when there is none. */
char *bcp_notes_caveats(const char *notes);

#endif
