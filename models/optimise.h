/* Emergency transport optimiser: a time-expanded LP (or MIP) over a planning
 * horizon, built with the GLPK C API from a replicate's state at a tick:
 * sources (refineries, terminals, depots) with inventory and the restoration
 * forecast of their output, tanks, racks, berths and sidings; sinks (demand
 * rows) with consumption, storage and priority weights; road, sea, rail and
 * air movements with trip times from the current network and fleet capacity
 * from the units available in each period (mobilisation lead times kept).
 * Objective: priority-weighted unmet demand; then a safety stock of one
 * period's use at classes 1-2, at a fraction of their weight; then a small
 * transport cost.
 *
 * Periods grow with the horizon (6, 18, 48 h by default). After the
 * inspection delay the planner knows each component's damage state and a
 * quantile of its restoration time (OptParams.forecast), not the draw; so
 * too for the first week's road clearance, rail and fairway reopening,
 * congestion, grid outages, trip restarts and fires (a quantile of each
 * law given it has not happened yet). It learns an event when it happens.
 *
 * Inside the simulation (SUP_OPTIMISE) an OptPlanner re-plans every replan_h
 * hours, whenever a facility, berth, road or rail line, grid area or fleet
 * changes state, and when a class-1 or 2 point runs dry; keeps its GLPK
 * problem and basis between re-plans (warm start), and turns each period's
 * flows into trips while the period lasts; greedy dispatch serves what is
 * left.
 * A failed solve is counted, reported once per replicate on stderr, and that
 * tick falls back to greedy: it never stops a run.
 *
 * Threads: everything hangs off the OptPlan / OptPlanner; GLPK keeps one
 * environment per thread. A thread that used this module calls
 * opt_thread_done() when none of its OptPlan / OptPlanner objects is alive.
 * No wall-clock limit is ever set: plans depend on the state only.
 * Units: hours (h), kilolitres (kL). */
#ifndef FUELSIM_OPTIMISE_H
#define FUELSIM_OPTIMISE_H

#include <stdint.h>

#include "supply.h"
#include "world.h"

struct SupRun;

/* What the planner knows of the damage it cannot see yet: the median or the
 * 90th percentile of the restoration time of each component's damage state
 * (given it is not back yet), or the replicate's own draws (perfect
 * information, to measure what better information is worth). */
enum { OPT_FC_MEDIAN, OPT_FC_P90, OPT_FC_PERFECT, OPT_NFC };
extern const char *const opt_forecast_name[OPT_NFC];   /* "median", "p90", "perfect" */

typedef struct OptParams {
    double horizon_h;   /* planning horizon, h (default 72) */
    double step_h;      /* length of the first period, h (default 6) */
    double growth;      /* each period this many times the one before, whole hours, the
                         * last cut at the horizon; 1: all step_h long (default 3: 6, 18
                         * and 48 h: later periods are planned coarsely, as they will be
                         * planned again before they come) */
    double replan_h;    /* in a replicate: re-plan at least this often, h, and when the
                         * state the plan rests on changes (default 12) */
    double event_gap_h; /* a change re-plans no sooner than this after the last plan;
                         * changes in between wait for it (default 0) */
    int forecast;       /* OPT_FC_*: what the planner knows of restoration after the
                         * inspection delay (default OPT_FC_MEDIAN) */
    int k_road;         /* road arcs to each sink from its k nearest sources per product (5) */
    int k_air;          /* air arcs from the k nearest sources (2) */
    int k_bulk;         /* sea and rail arcs to each depot from its k nearest sources (5) */
    int integer;        /* 1: trips are integer (MIP); 0: LP (default) */
    int int_periods;    /* MIP: trips whole in the first int_periods periods (those are
                         * the ones dispatched), continuous after them as a look-ahead;
                         * 0: whole in every period (default 1) */
    int it_lim;         /* simplex iteration limit per solve; 0: none (default) */
    int node_lim;       /* MIP branch-and-bound node limit; 0: none (default 2000). The
                         * search starts from trips rounded to fit the fleets */
    double mip_gap;     /* MIP relative gap at which to stop (default 0.01) */
    double cost_weight; /* scale of the transport-cost term; 0: none (default 1) */
    double buffer_weight;   /* classes 1-2: cost of a kL short of one period's use in stock,
                             * as a fraction of the class weight; 0: none (default 0.25) */
    int warm;           /* 1: re-solve from the previous basis when the structure allows (default) */
    int names;          /* 1: name rows and columns (for an LP file that reads well) */
    double inspect_h;   /* damage and restoration become known this long after the main
                         * shock; before, the planner assumes the state it sees persists
                         * (default 6 h, an assumption; 0: known at once) */
} OptParams;

/* Defaults as documented above (like glp_init_smcp). */
void opt_params_default(OptParams *p);

/* Checks p; returns NULL when valid, else a message naming the bad field. */
const char *opt_params_check(const OptParams *p);

enum { OPT_OPTIMAL, OPT_FEASIBLE, OPT_FAILED };
extern const char *const opt_status_name[3];   /* "optimal", "feasible", "failed" */

/* One planned movement of one fleet: kl of product from facility src to
 * dest_place (a demand row dest_use, or a depot stock row dest_stock; the
 * other is -1), departing in period `period`. trip_h is the model's fleet
 * time per kL carried, in kL-hours per kL (the round trip of a full load). */
typedef struct OptFlow {
    int fleet, mode, src, dest_place, dest_use, dest_stock, product, period;
    double kl, depart_h, arrive_h, trip_h;
} OptFlow;

/* The last solve of a plan. Arrays are owned by the plan and valid until the
 * next solve or opt_plan_free; [i * nperiod + k] for period k. */
typedef struct OptSolution {
    int status;               /* OPT_* */
    const char *why;          /* failure reason ("" when solved) */
    double objective;         /* the solver's objective value: the three terms below */
    double unmet_weighted;    /* sum of class weight x planned unmet kL */
    double buffer_term;       /* buffer_weight x class weight x kL short of safety stock */
    double transport_cost;    /* the small transport-cost term */
    double unmet_class_kl[NCLASS];
    double build_ms, solve_ms;     /* wall clock, for reports only */
    int rows, cols, nonzeros, iterations, nodes;
    double mip_gap;           /* relative gap of a MIP solution; 0 for an LP */
    int integer, warm;        /* MIP; solved from the previous basis */
    double t0_h;              /* time of the state the plan starts from */
    double step_h;            /* length of the first period */
    int nperiod;
    const double *period_start_h;  /* [0..nperiod]: period k is [t0 + [k], t0 + [k+1]) */
    OptFlow *flow; int nflow; /* by fleet, in period then arc order */
    /* what the plan assumed, for checks: per fleet, kL-hours of capacity in
     * each period and the hour it may be used from; per stock row, kL free
     * at t0 (-1 when not in the model), bulk arrivals, planned production
     * and end-of-period inventory */
    int nfleet, nstock;
    double *fleet_kh;         /* [a * nperiod + k] */
    double *fleet_ready_h;    /* [a] */
    double *stock_start;      /* [s] */
    double *stock_in;         /* [s * nperiod + k] */
    double *stock_prod;       /* [s * nperiod + k] */
    double *stock_inv;        /* [s * nperiod + k] */
    double *stock_cap;        /* [s * nperiod + k] upper bound of the inventory */
    /* dual values of an LP solve (0 for a MIP, and for rows not in the model),
     * in objective units (class weight x kL): what one more unit would save.
     * Fleet capacity by mode and product set (the sets closed under "which
     * fleets carry one of them"), per kL-hour; stock balance per kL. */
    int ncapset;
    const int *capset_mode;            /* [c]: MODE_* */
    const unsigned *capset_products;   /* [c]: bit p for product p */
    double *fleet_dual;       /* [c * nperiod + k] */
    double *stock_dual;       /* [s * nperiod + k] */
} OptSolution;

/* ---- a plan: the model and its GLPK problem ----------------------------- */

typedef struct OptPlan OptPlan;

/* A plan for w (borrowed; must outlive it); p is copied. Returns NULL when
 * p is invalid (see opt_params_check). Free with opt_plan_free. */
OptPlan *opt_plan_new(const World *w, const OptParams *p);
void     opt_plan_free(OptPlan *pl);   /* NULL is a no-op */

/* Build (or update in place) the model from the replicate's state at its
 * current tick and solve it. Returns 0 when a solution is available
 * (OPT_OPTIMAL, or OPT_FEASIBLE for a MIP stopped at its gap or node limit),
 * -1 when not (reason in the solution's why). Reads r only. */
int opt_plan_solve(OptPlan *pl, struct SupRun *r);

const OptSolution *opt_plan_solution(const OptPlan *pl);

/* Write the current model in CPLEX LP format (glp_write_lp) to path, through
 * a temporary name and a rename. 0 or -1 (errno set). */
int opt_plan_write_lp(const OptPlan *pl, const char *path);

/* ---- what limits a solved LP (for `fuelsim plan`) ------------------------ */

/* Hours of the period [a, b) at or after `from`: what a fleet ready at
 * `from` has of it (the rule of the model's fleet capacity rows). */
static inline double opt_hours_from(double from, double a, double b)
{
    double x = b - (a > from ? a : from);
    return x > 0 ? x : 0;
}

/* Queues a source has, in the order of the model's queue rows. */
enum { OPT_Q_RACK, OPT_Q_BERTH, OPT_Q_SIDING, OPT_NQ };
extern const char *const opt_queue_name[OPT_NQ];   /* "rack", "berth", "siding" */

/* What stops more fuel reaching a consumption row that the plan leaves
 * short: no movement reaches it in time (no reachable source, or no road
 * access), or, on the cheapest movement that could, the largest part of
 * its price in the duals: the fleet, the loading queue at the source, or
 * the stock there; OTHER when all are zero (tank room at the point). */
enum { OPT_WHY_NONE, OPT_WHY_NO_SOURCE, OPT_WHY_FLEET, OPT_WHY_QUEUE, OPT_WHY_STOCK, OPT_WHY_OTHER, OPT_NWHY };
extern const char *const opt_why_name[OPT_NWHY];   /* "none", "no_source", "fleet", "queue", "stock", "other" */

/* Limits with a time: a berth, rack or siding coming back (to its full
 * servers) inside the horizon, or a fleet available only after the plan's
 * start (mobilising, or not asked for yet: its lead time). */
enum { OPT_E_QUEUE, OPT_E_FLEET };

/* What having one of them dh hours earlier saves: the dual LP solved again
 * with the capacity of those hours added (a finite difference, not a dual:
 * an opening is a step in time, not a row). */
typedef struct OptEarlier {
    int kind;                 /* OPT_E_* */
    int ref, queue;           /* queue: facility and OPT_Q_*; fleet: asset and -1 */
    int period;               /* the period the added hours fall in */
    double at_h;              /* when it opens or is ready in the model (h since the shock) */
    double dh;                /* hours earlier (OPT_EARLIER_H) */
    double added;             /* capacity added: server-hours, or kL-hours of the fleet */
    double bound;             /* the duals' bound on the saving: dual x added */
    double saved;             /* objective of the dual LP minus that of the re-solve, >= 0 */
} OptEarlier;

/* The finite difference's step: one hour, the unit the values are given in
 * (a period would mix six to forty-eight hours of a restoration's timing). */
#define OPT_EARLIER_H 1.0

/* A road closed at the plan's start, opened then instead: the plan solved
 * again with it open from the start (a finite difference: the model plans
 * on the network of its start, so a road has no row and no dual). */
typedef struct OptRoad {
    int link;                 /* World link index (a road) */
    double at_h;              /* when the plan's restoration view has it back (h since the
                               * shock), or -1: not before the horizon ends */
    double hours;             /* hours gained: to at_h, or to the horizon's end */
    double saved;             /* objective now minus that with the road open, weighted kL */
} OptRoad;

/* The most roads probed per plan (the screen's largest gains first): a
 * probe is a warm re-solve, some ten milliseconds on the embedded scenario. */
#define OPT_ROAD_PROBES 64

/* Duals of the last solve beyond those in OptSolution, all in objective
 * units (class weight x kL) per unit more, >= 0; [.. * nperiod + k]. They
 * come from "the dual LP": the plan's LP itself, or for a MIP the LP with
 * the trip counts fixed at the MIP's values (fixed_mip). */
typedef struct OptExplain {
    int nperiod, nfac, nasset, ncapset, nuse, nstock;
    int fixed_mip;            /* duals of the LP with the MIP's whole trips fixed */
    double objective;         /* of the dual LP (for a MIP: <= the MIP's, continuous flows re-optimised) */
    double *fleet_dual;       /* [c * nperiod + k]: per kL-hour of fleet capacity */
    double *stock_dual;       /* [s * nperiod + k]: per kL at the stock row */
    OptEarlier *earlier; int nearlier;   /* those whose duals say an earlier hour may be worth
                                          * something (dual x added > 0); the rest save nothing */
    unsigned char *fleet_unrequested;  /* [a]: not asked for yet: one more unit adds to what
                                        * a request brings, not to what is on hand */
    double *request_dual;     /* [c * nperiod + k]: per kL-hour more that a request brings */
    double *queue_dual;       /* [(f * OPT_NQ + q) * nperiod + k]: per server-hour */
    double *queue_hours;      /* the same index: server-hours in the model; -1 no such row */
    double *unmet_kl;         /* [u]: planned unmet over the horizon, kL */
    OptRoad *road; int nroad; /* probed roads (opt_planner_value_roads), by link */
    int road_valued;          /* roads were probed (opt_planner_value_roads); else none listed */
    int road_closed, road_screened;   /* closed roads that could open now; kept by the screen */
    int *why, *why_ref, *why_period;   /* [u]: OPT_WHY_*; the capacity set (fleet),
                                        * f * OPT_NQ + q (queue) or stock row (stock), else -1;
                                        * the period of the largest shortfall */
} OptExplain;

/* The explanation of pl's last solve: NULL unless it was solved (an LP to
 * optimality, or a MIP with an integer solution) and the dual LP solves.
 * Reads the GLPK problem (left as it was), so call it before the next solve.
 * Free with opt_explain_free. */
OptExplain *opt_plan_explain(const OptPlan *pl);
void opt_explain_free(OptExplain *e);   /* NULL is a no-op */

/* ---- re-planning inside the simulation ---------------------------------- */

typedef struct OptPlanner OptPlanner;

/* Per replicate: make one, pass opt_planner_tick and it in SupOptions
 * (planner, planner_ctx) with policy SUP_OPTIMISE, free it after sup_run.
 * rep only labels the warning. NULL when p is invalid. */
OptPlanner *opt_planner_new(const World *w, const OptParams *p, uint64_t rep);
void        opt_planner_free(OptPlanner *pl);   /* NULL is a no-op */

/* The SupPlanner: ctx is an OptPlanner. */
void opt_planner_tick(void *ctx, struct SupRun *r);

/* Capture mode, for `fuelsim plan`: do nothing (greedy runs) until the tick
 * at hour at_h, solve once there, dispatch nothing, and end the replicate
 * (sup_run's results then cover the hours up to at_h only). */
void opt_planner_capture(OptPlanner *pl, double at_h);

/* Capture mode: after the solve, value closed roads opened at the plan's
 * start (OptRoad, at most max of them, screened: see opt_roads.c); the
 * explanation then lists them. max 0: none (the default). */
void opt_planner_value_roads(OptPlanner *pl, int max);

/* The planner's plan (its last solve), for reports. */
const OptPlan *opt_planner_plan(const OptPlanner *pl);

/* Capture mode: plan as if fleet asset had n more idle units (a probe of
 * what one more vehicle is worth; the simulation itself is unchanged). */
void opt_planner_extra_units(OptPlanner *pl, int asset, int n);
/* Capture mode: plan as if fleet asset were ready dh hours earlier than it
 * is (mobilising, or its lead time when not asked for): the probe that
 * checks OptEarlier's values. */
void opt_planner_ready_earlier(OptPlanner *pl, int asset, double dh);

typedef struct OptStats {
    long solves, warm_solves, failures;
    long replans_clock;            /* solves because replan_h had passed (the first included) */
    long replans_event;            /* solves because the state changed (opt_planner_tick) */
    long trips, mobilisations;     /* trips dispatched from plans; mobilisation requests */
    double dispatched_kl;
    double cold_ms, warm_ms, warm_ms_max;   /* total wall clock of cold / warm solves */
    double cpu_ms, first_cpu_ms;   /* thread CPU time of all solves (build, solve, read)
                                    * and of the first; for benchmarks only */
    long iterations;
    int rows, cols, nonzeros;      /* of the last model */
    int captured;                  /* capture mode: the solve happened */
} OptStats;

void opt_planner_stats(const OptPlanner *pl, OptStats *st);

/* Hand GLPK's per-thread memory back (glp_free_env). Only when the calling
 * thread holds no OptPlan / OptPlanner. */
void opt_thread_done(void);

#endif
