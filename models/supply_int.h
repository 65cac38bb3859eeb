/* Internals of the supply-chain simulation shared with the optimiser
 * (optimise.c), which reads a replicate's state at a tick and dispatches
 * trips through the same functions greedy dispatch uses. Not for other
 * modules: the public face is supply.h. */
#ifndef FUELSIM_SUPPLY_INT_H
#define FUELSIM_SUPPLY_INT_H

#include "supply.h"
#include "damage.h"
#include "evq.h"
#include "hazard.h"
#include "res.h"
#include "restore.h"
#include "rng.h"

#include <math.h>

#define SUP_INF HUGE_VAL
#define SUP_DEPOT_REORDER 0.5        /* depots ask for a bulk delivery below this fill */
#define SUP_MAX_TRIPS_PER_REQ 64     /* per tick, keeps one huge request from starving others */
#define SUP_MIN_LOAD_KL 0.5          /* smaller deliveries are not worth a trip */
/* PAJ and SDF are asked once a class-1 or 2 request has waited this long:
 * a request only partly served in its first hours is normal business. */
#define SUP_MOBILISE_AFTER_H 6.0

enum { SUP_EV_TICK, SUP_EV_AT_SOURCE, SUP_EV_LOAD_END, SUP_EV_AT_DEST, SUP_EV_UNLOAD_END, SUP_EV_HOME,
       SUP_EV_MOBILISED, SUP_EV_RESTORED, SUP_EV_CHAIN, SUP_EV_DECISION };

/* What a SUP_EV_CHAIN event is (its a field); b is a use or direction. */
enum { SUP_CH_MINISTRY, SUP_CH_ROOM, SUP_CH_STOCKPILE, SUP_CH_RELAY, SUP_CH_ROUTE, SUP_CH_PERMIT,
       SUP_CH_CONTROL_END };

/* A link as the players left it (SupRun.link_force). */
enum { SUP_LINK_AS_IS, SUP_LINK_CLOSED, SUP_LINK_OPEN };

/* The steps of a trip that draw a factor (the keyed draw's step). */
enum { SUP_STEP_DEAD, SUP_STEP_LOAD, SUP_STEP_OUT, SUP_STEP_UNLOAD, SUP_STEP_BACK, SUP_TRIP_NSTEP };

/* Which queue a trip loads at. */
enum { SUP_Q_RACK, SUP_Q_BERTH, SUP_Q_SIDING, SUP_Q_NONE, SUP_NQ };

/* ---- the per-scenario model ---------------------------------------------- */

struct SupModel {
    const World *w;
    int quake;
    HazField *hf;           /* NULL in a model of sup_model_new_shaken */
    /* sup_model_new_shaken: its one replicate's shaking (owned) */
    HazSample *shaking;
    uint64_t shaken_seed, shaken_rep;
    int nplace;
    int *adj_off[NMODE], *adj_link[NMODE];   /* CSR adjacency over places, per mode */
    int *stock_of;          /* [fac * NPROD + p] -> stock index or -1 */
    int *comp_off, *comp_list;   /* components of facility f by kind: [f*NCOMPKIND + k] */
    int *use_off, *use_list;     /* consumption rows of demand point d */
    int nunit;              /* units over all fleets */
    int *unit_base;         /* first unit of fleet a */
    int *src_off, *src_list;     /* facilities holding product p: src_list[src_off[p]..] */
    unsigned char *designated;   /* per facility: a designated depot of the request chain */
    double *air_km;         /* great-circle km from facility f to place p: [f * nplace + p] */
};

/* ---- per-replicate state --------------------------------------------------- */

typedef struct SupTrip {
    int fleet, unit, product;
    double kl;
    int src_fac, src_stock;
    int dest_place, dest_use, dest_stock;   /* use or stock index, the other -1 */
    int q;                                  /* Q_* at the source */
    double t_dispatch, t_queue;
    int loaded;
    int active;                             /* dispatched and not yet home */
    int seq;                                /* the unit's own trip number, from 0 */
    int next_free;
} SupTrip;

typedef struct SupRun {
    const SupModel *m;
    const World *w;
    const SupOptions *opt;
    EvQueue *q;
    RngKey klog;            /* travel and loading times (first_week.variability), keyed by unit and trip */
    Rng rdem;               /* demand per point-day, the panic surge (drawn by the clock, not by events) */
    Rng rchain;             /* the chain's own dates, drawn at the start */
    RngKey kchain;          /* relay delays, keyed by consumption row and request */
    HazSample *hs;
    DmgOutcome *dmg;
    RstSchedule *rs;
    double horizon;
    double now;

    double *inv;            /* per stock row: facility inventory, kL */
    double *reserved;       /* promised to dispatched trips, not yet loaded */
    double *incoming;       /* per stock row: bulk deliveries on the way */
    double *tank;           /* per stock row: usable tank capacity now */
    double *ustock;         /* per consumption row */
    double *uincoming;
    double *ureq_t;         /* open request since, or -1 */
    unsigned char *udry;
    unsigned char *uactive;
    double *dreq_t;         /* depot (stock row) bulk request since, or -1 */

    Resource **res;         /* per facility and queue kind: [f * SUP_NQ + q], or NULL */
    double *qrate;          /* loading rate per server */

    /* units: where they are, whether idle; idle units of fleet a at place p
     * are chained from idle_head[a * nplace + p] */
    int *unit_place;
    unsigned char *unit_busy;
    int *unit_next;
    int *unit_trips;        /* trips dispatched per unit: the key of its next trip's draws */
    int *idle_head;
    int *idle_cnt;          /* per fleet and place */
    int **idle_places;      /* per fleet: places with idle units (compact list) */
    int *nidle_places;
    int **idle_pos;         /* per fleet: position of a place in idle_places, -1 */
    int *fleet_idle;        /* idle units per fleet */
    double *fleet_ready_h;  /* mobilised from (0 = on hand, SUP_INF = not requested) */
    double *fleet_busy_h;   /* unit-hours busy */
    int busy_units;
    int mobilise_requested;

    SupTrip *trip;
    int ntrip, captrip, free_trip;
    int *cand_a;            /* scratch: candidate fleets of one dispatch */
    int *cand_f;            /* scratch: candidate sources, by road time */
    double *cand_t;

    /* shortest paths from each facility per mode, recomputed lazily when
     * that mode's network changes (its epoch) */
    double *road_t, *sea_km, *rail_t;    /* [fac * nplace + place] */
    int *road_epoch, *sea_epoch, *rail_epoch;
    int epoch[NMODE + 1];   /* per mode; [NMODE]: roads for fleets without a permit */
    double *link_factor;    /* travel time multiplier, SUP_INF closed */
    double *link_factor_np; /* the same for a fleet without a passage permit */
    double *road_np_t;      /* road paths for fleets without a permit [fac * nplace + place] */
    int *road_np_epoch;
    double *heap_key;
    int *heap, *heap_pos;

    /* the first week (issue 15) */
    double *dem_mult;       /* per consumption row: today's demand factor */
    double panic_mult, panic_end_h;
    double t_ministry, t_room, t_stockpile;   /* SUP_INF: not in this run */
    double *room_t;         /* per consumption row: its request reaches the room */
    int *relay_n;           /* per consumption row: requests relayed so far (their draws' key) */
    double *locked;         /* per stock row: national stockpile not yet released */
    int paj_mobilised;
    double sdf_from;        /* SDF draws its own fuel from (SUP_INF: not asked) */
    double slow_t;          /* road factors last read at (quantised) */

    /* live drills (issue 18): what the players' decisions changed */
    const SupDecision *dec; /* borrowed, ndec of them */
    int ndec;
    SupPolicy policy;       /* dispatch policy now */
    int *prio;              /* per demand point: dispatch class (metrics keep the scenario's) */
    int *fleet_max_class;   /* per fleet: serves classes 1..this (NCLASS: all, and depots) */
    int ndecided;           /* decisions applied so far: the planner re-plans on a change */
    unsigned char *link_force;   /* per link: SUP_LINK_AS_IS, _CLOSED or _OPEN */

    SupResult *out;
    double in_transit;
    double need_h[NCLASS], served_h[NCLASS];
    long events;
    int stop;               /* set by a planner: end the replicate after this tick (its results
                             * cover the hours run; `fuelsim plan` wants only the state) */
    double wait_rack_sum, wait_berth_sum;
    long wait_rack_n, wait_berth_n;
} SupRun;

/* Demand point d's dispatch class now (a priority decision changes it;
 * the metrics keep the scenario's). */
static inline int sup_point_class(const SupRun *r, int d) { return r->prio[d]; }

/* Whether fleet a may carry to consumption row u (-1: a depot's bulk
 * stock) as far as a reserve decision goes: a reserved fleet serves its
 * classes only, and no depot. */
static inline int sup_fleet_reserve_ok(const SupRun *r, int a, int u)
{
    if (u < 0) return r->fleet_max_class[a] >= NCLASS;
    return sup_point_class(r, r->w->use[u].point) <= r->fleet_max_class[a];
}

typedef struct SupReq { int cls; double t; int idx; int depot; } SupReq;

/* Traffic control (first_week.permits), the one rule: fleet a's vehicles
 * may use controlled roads at t when permits are not modelled, when the
 * control is over, or once they hold their permit (permit_h). */
static inline int sup_fleet_permitted(const SupRun *r, int a, double t)
{
    const World *w = r->w;
    return !w->wk.permits || t >= w->wk.traffic_control_h || t >= w->asset[a].permit_h;
}

/* Travel-time factor of link l for fleet a now; SUP_INF where it may not
 * pass (closed, or controlled with no way beside it and a has no permit). */
static inline double sup_fleet_link_factor(const SupRun *r, int a, int l)
{
    return sup_fleet_permitted(r, a, r->now) ? r->link_factor[l] : r->link_factor_np[l];
}

/* Hours for fleet a between facility f and place p: road and rail by
 * shortest path over open links, sea by km / speed, air by great circle.
 * HUGE_VAL when unreachable. */
double sup_travel_h(SupRun *r, int a, int f, int p);
/* kL of product at facility f not yet promised to a dispatched trip. */
double sup_available_kl(SupRun *r, int f, int product);
/* 1 if fleet a has idle units and is mobilised. */
int    sup_fleet_ready(SupRun *r, int a);
/* Place of the idle unit of fleet a closest to facility f (deadhead hours
 * in *dead), or -1. */
int    sup_nearest_idle(SupRun *r, int a, int f, double *dead);
/* Servers (racks, berths, sidings: q = SUP_Q_RACK, SUP_Q_BERTH, SUP_Q_SIDING) at f at t. */
int    sup_q_servers(SupRun *r, int f, int q, double t);
/* Facility powered and accessible at t. */
int    sup_fac_working(SupRun *r, int f, double t);
/* Smallest capacity fraction of the components of kind k at f at t. */
double sup_comp_frac(SupRun *r, int f, int k, double t);
/* Send an idle unit of fleet a, now at unit_place (dead hours from f), to
 * load kl of product at f (queue q) for demand use dest_use or depot stock
 * row dest_stock (the other -1) at dest_place. */
void   sup_dispatch_trip(SupRun *r, int a, int unit_place, double dead, int f, int q,
                         int product, double kl, int dest_place, int dest_use, int dest_stock);
/* Ask PAJ and SDF fleets to mobilise (once). With the request chain, PAJ
 * fleets are asked by the joint operations room instead (sup_mobilise
 * asks the others). */
void   sup_mobilise(SupRun *r);
/* 1 if fleet a may carry to consumption row u now: with the request chain,
 * PAJ lorries serve only priority facilities whose request reached the
 * joint operations room. */
int    sup_fleet_may_serve(SupRun *r, int a, int u);
/* Greedy dispatch of every open request; reqs has room for nuse + nstock. */
void   sup_dispatch_greedy(SupRun *r, SupReq *reqs);

#endif
