/* Live drills (issue 18): the players' decisions file, read into the typed
 * decisions the supply simulation applies (supply.h SupDecision), and the
 * comparison of a branch (the replicate with the decisions) with its base
 * (the same replicate without them): headline figures and the first events
 * where the two traces part.
 *
 * decisions.csv: one decision a row, columns at_h,action,target,value,note
 * (others ignored), any order of rows:
 *   at_h    scenario hours, 0..horizon
 *   action  mobilise | reserve | priority | close | open | release | policy
 *   target  mobilise, reserve: a fleet id; priority: a demand point id;
 *           close, open: a link id; release: FACILITY:PRODUCT (a stock row)
 *           or "stockpile" (the national stockpile); policy: empty
 *   value   reserve, priority: a class 1..4; release: kL > 0; policy:
 *           greedy | optimise; the others: empty
 *   note    free text, shown in the player-action inject */
#ifndef FUELSIM_BRANCH_H
#define FUELSIM_BRANCH_H

#include <stddef.h>

#include "diag.h"
#include "supply.h"
#include "world.h"

typedef struct BrnDecisions {
    int n;
    SupDecision *dec;    /* n, in file order */
    char **note;         /* n, owned ("" when none) */
    int *line;           /* n: physical line in the file */
} BrnDecisions;

/* Read path for w: every bad row is recorded in d as "path:line: message"
 * (a missing file or column too). Returns 0, or -1 when d holds problems.
 * out is filled either way; free with brn_decisions_free. */
int  brn_decisions_read(const World *w, const char *path, Diag *d, BrnDecisions *out);
void brn_decisions_free(BrnDecisions *b);

/* Where two traces part, decision rows of the branch aside: the line of the
 * branch (0-based, header = 0), or -1 when they agree; the base's line in
 * *kbase and the time of the branch's row (the base's when the branch
 * ended) in *t_h. */
long brn_first_divergence(const char *base, size_t blen, const char *branch, size_t rlen, long *kbase,
                          double *t_h);

/* A run's headline figures as a JSON object (weighted_shortfall,
 * dry_hours_class1, unserved_kl_by_class, t90_supply_h, trips): branch.json
 * writes one per run, the command's kept base one for its run. */
struct cJSON *brn_figures_json(const SupResult *r);

/* branch.json text: meta (a JSON object text or NULL), the decisions, the
 * base's and the branch's weighted shortfall, class-1 dry hours, unserved
 * kL by class and the differences (branch - base), and the first nmax trace
 * rows of each from the first divergent line. Returns a new string (free). */
char *brn_json(const World *w, const char *meta_json, const BrnDecisions *b, const SupResult *base,
               const SupResult *branch, const char *tbase, size_t blen, const char *tbranch, size_t rlen,
               int nmax);

#endif
