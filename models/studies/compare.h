/* Investment comparison on common random numbers. An investments file lists
 * options, each a set of changes to the scenario and a cost in yen; each
 * option is a modified copy of the World (the shared World is never
 * changed); baseline and options run the same replicates (same seed and
 * replicate index), and since the hazard, damage and restoration streams are
 * per purpose and draw one number per item whatever its parameters, an
 * option changes the damage only of what it retrofits. Per option: the mean
 * reduction of weighted shortfall, of unserved kL and of class-1 dry hours
 * with 95% confidence intervals from the paired differences, cost per kL
 * avoided, and a rank. The file format is in scenarios/README.md. */
#ifndef FUELSIM_COMPARE_H
#define FUELSIM_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "stats.h"
#include "world.h"

/* What a row of the investments file changes (the `change` column). */
typedef enum CmpChangeKind {
    CMP_NONE,              /* nothing: a control option */
    CMP_RETROFIT,          /* component: fragility medians x value (> 0) */
    CMP_FLEET_ADD,         /* fleet: value more units (integer >= 1) */
    CMP_LEAD_TIME,         /* fleet: mobilisation lead time set to value h (>= 0) */
    CMP_STOCK_ADD,         /* facility + product: tank and initial stock + value kL */
    CMP_POINT_STORAGE_ADD, /* demand point + product: storage and initial stock + value kL */
    CMP_GENERATOR,         /* facility: own generation (runs without the grid) */
    CMP_COMPONENT_ADD,     /* component (rack, berth, siding): value more units */
    CMP_FRAGILITY_CLASS,   /* component: its class of the same measure becomes class `value` */
    NCMPCHANGE
} CmpChangeKind;
extern const char *const cmp_change_name[NCMPCHANGE];

typedef struct CmpChange {
    CmpChangeKind kind;
    int target;               /* component, fleet, facility, stock row or consumption row; -1 for none */
    double value;             /* CMP_FRAGILITY_CLASS: the class index */
    int line;                 /* in the investments file */
} CmpChange;

typedef struct CmpOption {
    char *id, *name_en, *name_ja, *source;
    double cost_yen;
    CmpChange *change;
    int nchange;
    int line;                 /* first row of the option */
    /* The optional columns `excludes` and `requires` (option ids, ';'-separated),
     * as indices into the CmpInvest; used by portfolios, ignored by compare. */
    int *excl, nexcl;         /* never together with this one (either way round) */
    int *req, nreq;           /* chosen only with these */
} CmpOption;

/* The options of a file, in the order of their first rows. Owns everything. */
typedef struct CmpInvest {
    CmpOption *opt;
    int nopt;
} CmpInvest;

/* Read an investments file (CSV) for World w. Every problem goes to d as
 * "file:line: message"; returns NULL when there was any (or the file cannot
 * be read), else a new CmpInvest (free with cmp_invest_free). file is the
 * name used in messages. */
CmpInvest *cmp_invest_parse(const char *file, const char *text, size_t len, const World *w, Diag *d);
CmpInvest *cmp_invest_load(const char *path, const World *w, Diag *d);
void cmp_invest_free(CmpInvest *inv);   /* NULL ok */

/* A copy of base with the option's changes: arrays that an option may
 * change are copied, everything else (names, links, demand, ...) is
 * borrowed from base, which must outlive the copy and is never written.
 * Free with cmp_world_free, never with world_free. */
World *cmp_world_new(const World *base, const CmpOption *opt);
/* The same with the changes of n options together, applied in the order
 * given: additions add up (kL, units), retrofit factors multiply, a lead
 * time is the shortest asked, and a later fragility_class wins over an
 * earlier one (a retrofit after it scales the new class). n = 0: a copy
 * of base. */
World *cmp_world_new_multi(const World *base, const CmpOption *const *opt, int n);
void cmp_world_free(World *w);   /* NULL ok */

/* Paired differences d = base - alt (positive: the option avoids that
 * much), accumulated in replicate order. */
typedef struct CmpPaired {
    Welford d;                /* the differences */
    double base_sum, alt_sum;
} CmpPaired;

/* The statistics of a CmpPaired: n, mean difference, its standard
 * deviation, the 95% confidence interval of the mean (Student t, n - 1
 * degrees of freedom; NaN when n < 2), and the two means. */
typedef struct CmpDiff {
    uint64_t n;
    double mean, sd, ci_lo, ci_hi;
    double base_mean, alt_mean;
} CmpDiff;

void cmp_paired_init(CmpPaired *p);
void cmp_paired_add(CmpPaired *p, double base, double alt);
void cmp_paired_result(const CmpPaired *p, CmpDiff *out);
/* The same over arrays of n values. */
void cmp_paired(const double *base, const double *alt, size_t n, CmpDiff *out);

/* One option's figures. */
typedef struct CmpResult {
    int opt;                  /* index in the CmpInvest */
    CmpDiff ws;               /* weighted shortfall (class-weighted kL) */
    CmpDiff kl;               /* unserved kL, all classes */
    CmpDiff dry1;             /* class-1 dry point-hours */
    double yen_per_kl;        /* cost / mean unserved kL avoided; NaN when none is avoided */
    double yen_per_wkl;       /* cost / mean weighted shortfall avoided; NaN likewise */
    int rank;                 /* 1 = best */
} CmpResult;

/* Fill the costs per kL and rank: options that avoid weighted shortfall on
 * average (mean > 0) first, by yen per weighted kL avoided, lower first;
 * then the others by mean weighted shortfall avoided, higher first; ties by
 * the order in the file. */
void cmp_rank(const CmpInvest *inv, CmpResult *res, int n);

/* compare.csv: one row per option in rank order. 0, or -1 on a write error. */
int cmp_write_csv(const CmpInvest *inv, const CmpResult *res, int n, FILE *f);

/* Output cells shared with the portfolio tables: a CSV field ",x" (empty when x
 * is NaN), the three fields ",mean,ci_lo,ci_hi" of a difference, and a JSON
 * number (null when NaN) added to object o under key. */
void cmp_csv_num(FILE *f, double x);
void cmp_csv_diff(FILE *f, const CmpDiff *d);
struct cJSON;
void cmp_json_num(struct cJSON *o, const char *key, double x);
/* compare.json text (new string): meta_json (a JSON object text or NULL)
 * as "meta", the baseline's means and the options in rank order. */
char *cmp_json(const CmpInvest *inv, const CmpResult *res, int n, const char *meta_json);

#endif
