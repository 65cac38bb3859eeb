/* Hindcasts: the scenario's validation rows (observed values from past
 * earthquakes and official estimates, world.h ValObs) replayed through the
 * model. For each row a named metric is evaluated on every replicate of the
 * row's earthquake (hazard sample, damage, restoration and, when the metric
 * needs it, the greedy supply simulation); the row gets the replicates' P5,
 * P50 and P95 and whether the observed range meets that band. Metrics are a
 * table of named functions: a new quantity is one function and one line in
 * validation.c, a new observation one row of the scenario's table.
 * Units: as each metric says (h, g, JMA intensity, counts, fractions). */
#ifndef FUELSIM_VALIDATION_H
#define FUELSIM_VALIDATION_H

#include <stdint.h>

#include "damage.h"
#include "hazard.h"
#include "restore.h"
#include "supply.h"
#include "world.h"

/* What a metric sees of one replicate; sup is NULL unless the metric asked
 * for the supply simulation. */
typedef struct ValRep {
    const World *w;
    const HazSample *hs;
    const DmgOutcome *dmg;
    const RstSchedule *rs;
    const SupResult *sup;
} ValRep;

/* A metric: the value of row o on replicate r. Returns 0, or -1 when the
 * row's site cannot be read (never happens after val_check). */
typedef int (*ValMetricFn)(const ValRep *r, const ValObs *o, double *out);

typedef struct ValMetric {
    const char *name;
    const char *unit;
    const char *what;         /* one line for validation.md */
    int needs_supply;
    ValMetricFn fn;
} ValMetric;

extern const ValMetric val_metrics[];
extern const int val_nmetrics;

/* Index of a metric by name, or -1. */
int val_find_metric(const char *name);

/* Check every validation row of w: a known metric, and a site list whose
 * ids the metric can read. Messages as "file:line: message" into err (all of
 * them, one per line); returns the number of problems. */
int val_check(const World *w, char *err, size_t errlen);

/* One row's result. */
typedef struct ValResult {
    double p5, p50, p95;
    int inside;               /* [p5, p95] meets [obs_lo, obs_hi] */
    int n;                    /* replicates */
} ValResult;

/* Replay every row with nrep replicates of seed (replicate r uses streams
 * (seed, r), as sweeps do, on threads threads; 0 = all). out has w->nobs
 * entries. Same bytes whatever the thread count. Returns 0, or -1 with a
 * message in err on a runtime failure. */
int val_run(const World *w, uint64_t nrep, uint64_t seed, int threads, ValResult *out,
            char *err, size_t errlen);

/* Write OUTDIR/validation.csv and OUTDIR/validation.md (whole files, via
 * OutFile). Returns 0, or -1 with a message in err. */
int val_write(const World *w, const ValResult *res, uint64_t nrep, uint64_t seed,
              const char *outdir, char *err, size_t errlen);

#endif
