/* The transport plan as planners read it: tasking sheets per asset group
 * (SDF helicopters, SDF trucks, association lorries, commercial lorries,
 * coastal tankers, oil trains, the SDF ship) by day and period with the
 * names of places, whole loads or sorties, and totals per group and per
 * destination class; what limits the plan (the binding limits ranked by
 * their marginal value, from the LP's duals) and why each short demand
 * point is short. Written as plan.md, plan.csv and into plan.json; the
 * views (plan.xlsx, the report's flow map) read the same PlanSheet.
 *
 * Marginal values are in the objective's units, weighted kL (class weight
 * x kL; the safety-stock term counts at its weight): what one more unit of
 * the limit would save at most, the LP objective being convex in its
 * limits. Times in h since the main shock, volumes in kL. */
#ifndef FUELSIM_PLANSHEET_H
#define FUELSIM_PLANSHEET_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "optimise.h"
#include "supply.h"
#include "world.h"

enum {
    PSH_G_SDF_HELICOPTER, PSH_G_SDF_TRUCK, PSH_G_LORRY_PAJ, PSH_G_LORRY_COMMERCIAL,
    PSH_G_COASTAL_TANKER, PSH_G_RAIL_TRAIN, PSH_G_SDF_SHIP, PSH_NGROUP
};
extern const char *const psh_group_id[PSH_NGROUP];   /* "sdf_helicopter", ... */
extern const char *const psh_group_label[2][PSH_NGROUP];   /* [0] English, [1] Japanese */
/* Group of an asset type (AssetType). */
int psh_group_of(int asset_type);

/* Destination classes of the totals: demand classes 1..4, then depots. */
#define PSH_NDEST (NCLASS + 1)
#define PSH_DEST_DEPOT NCLASS
/* Their keys in plan.json: "class1" .. "class4", "depot". */
extern const char *const psh_dest_key[PSH_NDEST];

/* One line of a tasking sheet: one planned flow (OptFlow). */
typedef struct PshTask {
    int group, fleet, flow;   /* flow: index in OptSolution.flow */
    int day, period;          /* day since the shock of the departure (1 = first 24 h); plan period, 1.. */
    int src, dest_place, product;
    int dest;                 /* 0..NCLASS-1 demand class, PSH_DEST_DEPOT */
    double kl, loads;         /* kL; whole loads or sorties: kL over unit capacity, rounded up */
    double depart_h, arrive_h;
} PshTask;

/* Kinds of limits: with a dual in the model (fleet, stock, queue), or
 * valued by solving the LP again with them an hour earlier (a rack, berth
 * or siding back: opening; a fleet ready: mobilisation; OptEarlier), or
 * with a closed road open from the plan's start (road; OptRoad: the model
 * plans on the network of its start, so a road has no dual). */
enum { PSH_B_FLEET, PSH_B_STOCK, PSH_B_QUEUE, PSH_B_OPENING, PSH_B_MOBILISE, PSH_B_ROAD, PSH_NBKIND };
extern const char *const psh_bkind_name[PSH_NBKIND];   /* "fleet", "stock", "queue", "opening", "mobilisation", "road" */
extern const char *const psh_bkind_unit[PSH_NBKIND];   /* "weighted kL per vehicle", ... */

typedef struct PshBottleneck {
    int kind;                 /* PSH_B_* */
    int ref;                  /* fleet and mobilisation: asset; stock: stock row; queue and
                               * opening: facility; road: link */
    int queue;                /* queue and opening: OPT_Q_*; else -1 */
    int period;               /* queue: the period it is worth most in; opening and
                               * mobilisation: the period of the hour gained; else -1 */
    double value;             /* weighted kL per unit (psh_bkind_unit) */
    double at_h;              /* opening and mobilisation: when it opens or is ready in the
                               * plan (h since the shock); road: when the plan has it back,
                               * -1 not before the plan's end; else -1 */
    double hours;             /* road: hours gained opening it now (to at_h or the plan's
                               * end); value / hours is per hour earlier; else 0 */
} PshBottleneck;

/* A demand point short in the plan. */
typedef struct PshUnmet {
    int point;
    double kl;                /* over the horizon, all products */
    int product;              /* of its largest short consumption row */
    int why, why_ref;         /* OPT_WHY_* and OptExplain.why_ref of that row */
} PshUnmet;

typedef struct PlanSheet {
    const World *w;           /* borrowed */
    int ja;                   /* names and words in Japanese */
    int have_start;
    int64_t start_s;          /* exercise clock: hour 0 (seconds since the epoch) */
    double t0_h;
    PshTask *task; int ntask; /* by group, day, period, departure, then flow order */
    double group_kl[PSH_NGROUP], group_loads[PSH_NGROUP];
    double dest_kl[PSH_NGROUP][PSH_NDEST];
    double total_kl;
    PshBottleneck *bn; int nbn;   /* value > 0, largest first */
    PshUnmet *unmet; int nunmet;  /* largest first */
    int explained;            /* bottlenecks and reasons available (the dual LP solved) */
    int fixed_mip;            /* they are from the LP with the MIP's whole trips fixed */
    int road_valued;          /* roads were probed (OptExplain.road_valued) */
    int road_closed, road_screened, road_probed;   /* OptExplain: roads closed, kept, solved */
} PlanSheet;

/* The sheet of solution so of World w (both borrowed; w must outlive it).
 * e may be NULL (no duals): then no bottlenecks and no reasons.
 * ja: Japanese names; start_s, when have_start, sets the exercise clock.
 * Free with psh_free. */
PlanSheet *psh_build(const World *w, const OptSolution *so, const OptExplain *e, int ja, int have_start,
                     int64_t start_s);
void psh_free(PlanSheet *ps);   /* NULL is a no-op */

/* What one more vehicle of fleet a is worth to the plan, at most: the
 * capacity it adds in each period (unit capacity x hours free from its ready
 * time) priced at the capacity rows' duals (or, for a fleet not asked for
 * yet, the request's). Weighted kL per vehicle. */
double psh_fleet_value(const World *w, const OptSolution *so, const OptExplain *e, int a);

/* Name of place in the sheet's language (id when it has none). */
const char *psh_place_name(const PlanSheet *ps, int place);
/* Name of the group, of a fleet. */
const char *psh_group_name(const PlanSheet *ps, int g);
const char *psh_fleet_name(const PlanSheet *ps, int a);
/* "2026-09-02T09:00:00+09:00" on the exercise clock, or "33.0" h; buf >= 40 bytes. */
const char *psh_time(const PlanSheet *ps, double h, char *buf, size_t n);
/* Hour h on the exercise clock, seconds since the epoch (have_start only):
 * drl_exercise_s uncompressed. */
int64_t psh_clock_s(const PlanSheet *ps, double h);
/* Id of the limit (fleet id, "FACILITY/product", "FACILITY/rack"): buf >= 160 bytes. */
const char *psh_bottleneck_id(const PlanSheet *ps, const PshBottleneck *b, char *buf, size_t n);
/* The limit's name in the sheet's language ("Negishi refinery: berths",
 * a fleet's name, "... : diesel stock"); buf >= 200 bytes. */
const char *psh_bottleneck_name(const PlanSheet *ps, const PshBottleneck *b, char *buf, size_t n);
/* The limit that stops a short point, in words (fleet, queue, stock named). */
const char *psh_why_text(const PlanSheet *ps, const OptSolution *so, const PshUnmet *u, char *buf, size_t n);

/* plan.csv: one row per task, names beside the ids. 0 or -1 (errno). */
int psh_write_csv(const char *path, const PlanSheet *ps);
/* The sheet into plan.json: "tasking", "totals", "bottlenecks" (kind, id,
 * value, unit), "unmet_points" (point, class, kL, limit). */
void psh_json_add(cJSON *j, const PlanSheet *ps, const OptSolution *so);
/* plan.md: the plan in words and tables; head is a first paragraph
 * (scenario, seed, hour; may be NULL). A new string, caller frees. */
char *psh_markdown(const PlanSheet *ps, const OptSolution *so, const char *head);

/* ---- bottlenecks over a sweep's replicates (the BCP annex) ---------------- */

/* The annex plans a sample of the sweep's replicates again, each at one
 * hour, rather than capturing the duals inside the sweep (whose replicates
 * re-plan dozens of times and keep no plan): replicates 0..n-1. */
#define PSH_BCP_SAMPLE 20
#define PSH_BCP_AT_H 24.0

typedef struct PshBind {
    int kind, ref, queue;     /* as PshBottleneck */
    int nbind;                /* replicates in which it binds */
    double sum;               /* of its marginal values there */
} PshBind;

typedef struct PshBindStats {
    uint64_t nrep;            /* replicates planned */
    int nfail;                /* of them, plans that failed (not counted) */
    double at_h;
    PshBind *item; int nitem; /* most often binding first, then by mean value */
} PshBindStats;

/* Plan replicates 0..nrep-1 of seed under m's earthquake at hour at_h with
 * the default LP (greedy dispatch up to it, as `fuelsim plan --at`) and
 * count the binding limits. Returns 0, or -1 with a message in err when a
 * replicate cannot be simulated. Free with psh_bind_stats_free. */
int psh_bind_stats(const SupModel *m, const World *w, uint64_t seed, uint64_t nrep, double at_h, PshBindStats *out,
                   char *err, size_t errlen);
void psh_bind_stats_free(PshBindStats *s);

/* The annex's section on them (Markdown): nswept is the sweep's size. A new
 * string, caller frees. */
char *psh_bind_markdown(const PshBindStats *s, const World *w, uint64_t nswept);
/* The same table as CSV (bcp_bottlenecks.csv): kind, id, names in English
 * and Japanese, replicates in which it binds, replicates sampled, the hour
 * planned at, mean marginal value, unit. 0 or -1 (errno). */
int psh_bind_write_csv(const char *path, const PshBindStats *s, const World *w);

#endif
