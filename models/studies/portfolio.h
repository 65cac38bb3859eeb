/* Investment portfolios under a budget: which set of options of an
 * investments file (compare.h) to fund. A set is judged by simulating its
 * options together (cmp_world_new_multi) on common random numbers; this
 * module holds the search, the statistics and the output files, and reaches
 * the simulation only through an evaluation callback (the command runs the
 * replicates and caches them on disk).
 *
 * Control options (every change `none`) change nothing and are left out.
 * Search, per budget (ascending): every single option and every pair within
 * the budget is evaluated (once for the whole frontier); from the best set
 * so far, a local search moves to the best of all sets one step away (add
 * one or two options, drop one, swap one for another; requires and excludes are
 * kept by adding what an option requires and dropping what requires a
 * dropped one) while that lowers the risk measure. With `exhaustive`, every
 * set within the budget is evaluated instead. Ties go to the cheaper set,
 * then the lower bit mask.
 *
 * Honest figures: the chosen set, its runners-up, the best single option
 * within the budget and the chosen options one at a time are re-run on
 * fresh replicates (the command uses n..2n-1); every CI in the outputs is of
 * those. Units: yen, weighted kL, point-hours. */
#ifndef FUELSIM_PORTFOLIO_H
#define FUELSIM_PORTFOLIO_H

#include <stdint.h>
#include <stdio.h>

#include "compare.h"

/* Bit i: option i of the CmpInvest. */
typedef uint64_t PfSet;
#define PF_MAXOPT 64
/* Runners-up kept per budget. */
#define PF_NRUNNER 3
/* Up to this many options (controls not counted), every pair's interaction
 * is measured on the fresh replicates; beyond, only pairs inside chosen sets. */
#define PF_PAIRS_ALL 20

typedef enum PfRisk { PF_MEAN, PF_P90, PF_CVAR90, NPFRISK } PfRisk;
extern const char *const pf_risk_name[NPFRISK];   /* "mean", "p90", "cvar90" */

/* Budgets from "Y", "Y1,Y2,..." or "LO:HI:STEP" (yen, >= 0; a range counts
 * from LO by STEP up to HI, with HI itself when it is a step away within
 * 1e-9 of a step); sorted ascending, duplicates dropped. Returns a new
 * array (*n entries), or NULL with a message in err. */
double *pf_budgets_parse(const char *s, int *n, char *err, size_t errlen);

double pf_set_cost(const CmpInvest *inv, PfSet s);
int pf_set_count(PfSet s);
/* 1 when s costs at most budget (yen, 1e-6 relative slack for rounding)
 * and keeps every excludes and requires. */
int pf_set_feasible(const CmpInvest *inv, PfSet s, double budget);
/* Option ids of s joined by ';' into buf ("" for the empty set). */
char *pf_set_ids(const CmpInvest *inv, PfSet s, char *buf, size_t len);

/* The risk measure of n values (weighted shortfall per replicate): mean,
 * 90th percentile (type 7) or mean of the worst ceil(n / 10). */
double pf_risk(PfRisk r, const double *x, uint64_t n);

/* Per-replicate values of one set on one replicate range, n each. */
typedef struct PfVals {
    double *ws, *dry1, *kl;
} PfVals;

/* Evaluate set s on the search replicates (fresh = 0) or the fresh ones
 * (fresh = 1) into v (arrays of n, allocated by the caller). Returns 0, or
 * -1 after a message (the search then stops with -1). */
typedef int (*PfEvalFn)(void *ctx, PfSet s, int fresh, PfVals *v);

typedef struct PfParams {
    PfRisk risk;
    int exhaustive;           /* evaluate every set within the budget */
    uint64_t n;               /* replicates per evaluation (search and fresh alike) */
} PfParams;

/* One budget's answer; differences are paired per fresh replicate. */
typedef struct PfBudget {
    double budget;
    PfSet chosen;
    double cost;
    double obj;               /* risk measure of the chosen set, search replicates */
    PfSet runner[PF_NRUNNER]; /* next best sets within the budget, by obj */
    double runner_obj[PF_NRUNNER];
    CmpDiff runner_ws[PF_NRUNNER];   /* their shortfall avoided, fresh */
    int nrunner;
    int best_single;          /* option index, -1 when none fits */
    CmpDiff ws, dry1, kl;     /* baseline minus chosen set */
    CmpDiff vs_single;        /* best single option minus chosen set (ws) */
    CmpDiff inter;            /* set's effect minus the sum of its options' single effects (ws) */
    double risk_base, risk_set;      /* risk measure on the fresh replicates */
    int evaluated;            /* distinct sets evaluated so far (search replicates) */
} PfBudget;

/* A pair of options' interaction on the fresh replicates. */
typedef struct PfPair {
    int a, b;
    CmpDiff inter;            /* effect of {a, b} minus effect of a minus effect of b */
} PfPair;

typedef struct PfResult {
    int nbudget;
    PfBudget *b;
    int npair;
    PfPair *pair;             /* by (a, b): see PF_PAIRS_ALL */
    int evaluated;            /* distinct sets evaluated on search replicates */
    int evaluated_fresh;      /* and on fresh replicates */
    double base_ws_mean, base_dry1_mean;   /* fresh */
} PfResult;

/* Search every budget (ascending) and fill a new PfResult (free with
 * pf_result_free). inv has at most PF_MAXOPT options. Returns NULL when an
 * evaluation failed. */
PfResult *pf_search(const CmpInvest *inv, const double *budget, int nbudget, const PfParams *p, PfEvalFn eval,
                    void *ctx);
void pf_result_free(PfResult *r);   /* NULL ok */

/* frontier.csv: one row per budget. 0, or -1 on a write error. */
int pf_write_csv(const CmpInvest *inv, const PfResult *r, FILE *f);
/* portfolio.json text (new string); meta_json (object text or NULL) as "meta". */
char *pf_json(const CmpInvest *inv, const PfResult *r, const char *meta_json);

#endif
