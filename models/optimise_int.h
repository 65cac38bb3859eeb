/* Internals of the optimiser shared by its four files: the model's pieces
 * (hubs, movements, capacity sets), the plan object with its GLPK problem,
 * and the steps opt_plan_solve runs (build in opt_build.c, solve in
 * opt_solve.c, read in opt_read.c). The planner (opt_planner.c) reads the
 * plan's solution and its mobilisation flag. Not for other modules: the
 * public face is optimise.h. */
#ifndef FUELSIM_OPTIMISE_INT_H
#define FUELSIM_OPTIMISE_INT_H

#include "optimise.h"
#include "supply_int.h"

#include <glpk.h>

#define OPT_DUAL_IT_LIM 2000  /* pivots of warm_solve's dual pass before the primal takes over */
#define OPT_WARM_STALLED (-1) /* warm_solve: start again from scratch (glp_simplex's codes are > 0) */
#define OPT_DJ_TOL 1e-7       /* a reduced cost beyond this has the wrong sign (warm_solve) */
#define OPT_MAXPERIOD 240      /* opt_params_check holds the horizon to this many periods */
#define OPT_NSUB 15                /* non-empty subsets of the four products */
#define OPT_FLOW_EPS 1e-6          /* kL below which a planned flow is noise */
#define OPT_AIR_MAX_CLASS 3        /* helicopters carry drums for classes 1-3, not service stations */
/* Classes 1-2 keep a safety stock (OptParams.buffer_weight): the stock below
 * which the scenario's users ask for fuel (request_threshold_days), and at
 * least the next period's use. Without it the plan times deliveries to the
 * period, and trips (with their deadhead and queues) arrive after the point
 * has run dry. */
#define OPT_BUFFER_MAX_CLASS 2


/* Demand rows of one product reached through one road node. */
typedef struct OptHub {
    int place;          /* the shared road node, or the demand point itself */
    int product;
    int first, n;       /* members in hub_use[first .. first+n), by class */
} OptHub;

enum { OPT_D_HUB, OPT_D_USE, OPT_D_STOCK };

/* A movement: product from a source facility to a hub, a demand row (by
 * air) or a depot stock row (bulk). */
typedef struct OptArc {
    int mode, src, src_stock, product;
    int dkind, dest;    /* D_* and the hub, use or stock row */
    int q;              /* queue at the source (Q_*) */
    int ref;            /* reference fleet: its trip times and cost */
    int live;           /* reachable in the current network */
    int current;        /* among the nearest sources of its destination now */
    int retired;        /* replaced by a later arc (its times moved a basic column to
                         * another period): kept, fixed at zero, so the basis stays regular */
    double travel_h, load_h, unload_h;
    double trip_h;      /* kL-hours of fleet capacity per kL: the round trip */
    double rq;          /* server hours per kL at the source queue */
    double cost;        /* normalised cost per kL */
    int xcol, ncol, lrow;   /* first of K columns / rows; ncol, lrow for a MIP */
    int next;           /* next arc of the same destination, -1 */
} OptArc;

/* One capacity row family: fleets of a mode, products in a closed set. */
typedef struct OptCapSet {
    int mode;
    unsigned prods;
} OptCapSet;

struct OptPlan {
    const World *w;
    OptParams p;
    int K;              /* periods */
    double ts[OPT_MAXPERIOD + 1];   /* period k is [t0 + ts[k], t0 + ts[k+1]), whole hours */

    /* fixed for the world */
    OptHub *hub; int nhub, maxhub;
    int *hub_use;       /* members of the hubs */
    int *use_hub;       /* per consumption row */
    int *lastmile;      /* per demand point: its one road link to the hub node, or -1 */
    OptCapSet cap[NMODE * OPT_NSUB]; int ncap;
    int cap_mode[NMODE * OPT_NSUB];        /* the same, for OptSolution */
    unsigned cap_prods[NMODE * OPT_NSUB];
    int ref[NMODE][NPROD];
    unsigned char *depot;          /* per stock row: receives bulk deliveries */
    double eps;         /* weight of one unit of the second term */
    double cost_unit;   /* yen per kL that normalises transport cost */

    /* the problem, grown as movements appear */
    glp_prob *P;
    int have_basis;
    OptArc *arc; int narc, caparc;
    int *dest_head;     /* per destination (hubs, uses, stock rows): first arc, -1 */
    int *srow, *icol, *pcol;       /* per stock row: first row / column, 0 = none yet */
    int *urow, *scol, *ucol, *ycol;/* per use */
    int *bcol;                     /* per use of a buffered class: the part of the stock up to
                                    * the safety stock (the rest is in scol) */
    double *target;                /* [use * K + k]: that safety stock */
    int *ucls;                     /* per use: its point's dispatch class in the run now
                                    * (a priority decision changes it) */
    int *hrow;                     /* per hub with more than one member */
    int *qrow;                     /* per facility x SUP_NQ */
    int *crow, *ecol;              /* per capacity set */
    int onecol;                    /* fixed at 1: carries the objective's constant (an LP
                                    * file has no constant term) */
    int grew;

    /* data of the current solve */
    double t0;
    double *fleet_kh, *fleet_ready; unsigned char *fleet_unreq;
    int *extra_units;              /* [a]: probe units planned as idle (opt_planner_extra_units) */
    double *ready_earlier;         /* [a]: probe hours the fleet is planned as ready earlier */
    double *s_start, *s_in, *s_cap, *s_pmax;
    double *u_s0, *u_dem, *u_smax;
    unsigned char *y_ok;           /* [use * K + k] member reachable by road */
    double *cap_on, *cap_un;       /* [c * K + k] */
    unsigned char *x_ok;           /* [arc * K + k] */
    double *val;                   /* column values, 1-based */
    double *yleft;                 /* scratch for the hub split */

    RstSchedule *fc;               /* opt_forecast's schedule, made at its first call */

    OptSolution sol;
    int capflow;
    int wants_mobilise;

    /* closed roads opened now (opt_value_roads), copied by opt_plan_explain */
    OptRoad *road; int nroad;
    int road_valued;               /* opt_value_roads ran on the last solve */
    int road_closed, road_screened;   /* closed roads that could open now; those the screen kept */
};

/* Value the closed roads at r's time, after pl was solved there (capture
 * mode): at most max probes, each a solve of a second plan with one road
 * forced open; r's links are left as they were. */
void opt_value_roads(OptPlan *pl, SupRun *r, int max);

static inline int opt_mode_queue(int mode)
{
    return mode == MODE_ROAD ? SUP_Q_RACK : mode == MODE_SEA ? SUP_Q_BERTH : mode == MODE_RAIL ? SUP_Q_SIDING : SUP_Q_NONE;
}

static inline double opt_len(const OptPlan *pl, int k) { return pl->ts[k + 1] - pl->ts[k]; }

/* The period in which a movement of T hours leaving at the start of period k
 * arrives; K when after the horizon. */
static inline int opt_arrival(const OptPlan *pl, int k, double T)
{
    double t = pl->ts[k] + T + 1e-9;
    int kk = k;
    while (kk < pl->K && pl->ts[kk + 1] <= t) kk++;
    return kk;
}

/* Consumption row u's dispatch class as of the last opt_find_arcs. */
static inline int opt_use_class(const OptPlan *pl, int u) { return pl->ucls[u]; }

/* ---- opt_build.c ---- */

/* Demand rows, hubs and fleet capacity: made at the first solve. */
void opt_first_build(OptPlan *pl);
/* Movements for the current state: new ones appended, old ones kept. */
void opt_find_arcs(OptPlan *pl, SupRun *r);
/* Fleets, stocks, demand and open movements of the state at pl->t0. */
void opt_state_data(OptPlan *pl, SupRun *r);
/* Row and column bounds and objective from the state data. */
void opt_set_data(OptPlan *pl, SupRun *r);
/* The trip-count column (MIP) of arc i in period k into ind/val[1..]; returns its length. */
int  opt_n_column(const OptPlan *pl, int i, int k, int *ind, double *val);
/* Bounds [lo, up] of column j (up infinite: no upper bound; up <= lo: fixed). */
void opt_col_bounds(glp_prob *P, int j, double lo, double up);

/* The restoration schedule as the planner may know it at r->now (params
 * forecast, not OPT_FC_PERFECT): items seen back keep their time, the others
 * come back at the forecast quantile of their state's restoration time given
 * they are not back yet; the first week's events likewise (rst_forecast).
 * Owned by pl, valid until the next call. */
RstSchedule *opt_forecast(OptPlan *pl, SupRun *r);

/* ---- opt_read.c ---- */

/* The solution's terms, stock levels and per-fleet flows, from the solved problem. */
void opt_read_solution(OptPlan *pl);

#endif
