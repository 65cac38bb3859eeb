/* Restoration schedule of one replicate: from damage states to capacity over
 * time for every component and link, with the dependencies between them
 * (grid power by area, fairway clearance before berths, rail inspection
 * before sidings, power and a crude berth before refinery production,
 * post-trip inspection, tsunami flooding). This is what the supply-chain
 * simulation queries, so the queries are O(1) and allocate nothing.
 * Times in hours since the main shock; capacity as a fraction of normal. */
#ifndef FUELSIM_RESTORE_H
#define FUELSIM_RESTORE_H

#include <math.h>
#include <stdint.h>

#include "damage.h"
#include "hazard.h"
#include "rng.h"
#include "world.h"

/* Ordinary (non-emergency) roads take this many times their clear_h: the
 * road administrators clear the designated emergency transport roads first
 * (an assumption; the scenario's clear_h is read as the emergency-road
 * pace). */
#define RST_ORDINARY_ROAD_FACTOR 2.0

/* Area grid power is on once the share-weighted availability of the
 * facilities feeding it reaches this fraction (an assumption: below half
 * the supply the area is load-shed). */
#define RST_AREA_POWER_MIN 0.5

/* Directions of the road-clearance plan: octants of the bearing from the
 * scenario's centre (first_week.roads), north first, clockwise. */
#define RST_NDIR 8
extern const char *const rst_dir_name[RST_NDIR];

/* A draw from a 5-95% lognormal range for uniform u in (0, 1): one uniform
 * per draw, monotone in u (common random numbers). */
double rst_range_draw(const WkRange *g, double u);

/* What holds an item back: the constraint that sets its usable time. */
typedef enum RstGate {
    RST_GATE_NONE,       /* usable from the main shock */
    RST_GATE_REPAIR,     /* its own repair (capacity 0 in its damage state) */
    RST_GATE_TSUNAMI,    /* its site is flooded until the water recedes */
    RST_GATE_POWER,      /* no power: grid area down, power intake damaged */
    RST_GATE_FAIRWAY,    /* berth: the fairway is not cleared */
    RST_GATE_RAIL,       /* siding: the rail line is not inspected or repaired */
    RST_GATE_BERTH,      /* refinery production: no usable crude berth */
    RST_GATE_TRIP,       /* refinery production: safety inspection after a trip */
    RST_GATE_CLEARANCE,  /* link: inspection or channel clearance */
    RST_GATE_FIRE,       /* the site burned: out until the fire is out and the
                          * regulator allows a restart */
    NRSTGATE
} RstGate;

extern const char *const rst_gate_name[NRSTGATE];

/* Capacity fraction as a step function: frac[i] holds from t_h[i] (inclusive)
 * until t_h[i+1]; t_h[0] = 0; the last value holds for ever (it is 1). */
#define RST_MAXSTEP 5
typedef struct RstStep {
    int n;
    double t_h[RST_MAXSTEP];
    double frac[RST_MAXSTEP];
} RstStep;

static inline double rst_step_at(const RstStep *s, double t_h)
{
    int i = s->n - 1;
    while (i > 0 && t_h < s->t_h[i]) i--;
    return s->frac[i];
}

/* One component or link. */
typedef struct RstItem {
    int ds;              /* damage state, DS_* */
    double repair_h;     /* drawn restoration time of that state; 0 for DS_NONE */
    double usable_h;     /* first time with capacity > 0, after dependencies */
    double full_h;       /* first time back at full capacity */
    RstGate gate;        /* what sets usable_h */
    RstStep cap;         /* capacity over time, after dependencies */
    double cf;           /* capacity fraction until repaired (a tank farm: the
                          * mean over its tanks; 1 undamaged) */
} RstItem;

/* A replicate's schedule. Every array is owned and sized for the World it
 * was made for; fields are read-only for users. "Never" is HUGE_VAL. */
typedef struct RstSchedule {
    const World *w;          /* borrowed */
    int quake;               /* earthquake index, -1: none */
    RstItem *comp;           /* per component */
    RstItem *link;           /* per link */
    double *fac_power_h;     /* facility has power (own generation or grid) from */
    double *fac_usable_h;    /* every component of the facility has capacity > 0 */
    double *fac_full_h;      /* every component back at full capacity */
    double *area_power_h;    /* grid area has power from (0: never lost) */
    double *place_access_h;  /* place accessible from (tsunami recession; 0: never lost) */
    /* first_week.roads: per link, travel-time factor when it reopens and the
     * time it is back to 1 (1 and 0 when unaffected); per direction, the
     * time its first emergency route is open (0: none needed) */
    double *link_slow0, *link_slow_end_h;
    double *link_clear_h;    /* per link: clearance (with flood recession) done at; 0: none needed */
    const HazSample *hs;     /* borrowed, set by rst_replicate; NULL: links read as severely shaken */
    double dir_open_h[RST_NDIR];
    unsigned char *link_dir; /* per link: its direction of the clearance plan (rst_dir_name) */
    int *send_off, *send_comp; /* per facility f: its process, tank and power components,
                                * send_comp[send_off[f] .. send_off[f + 1]) */
    /* first_week.power: per area and day, the supply fraction and the share
     * of hours dark under rolling outages (ndays = days of the horizon + 1) */
    int ndays;
    double *area_supply, *area_dark;
    double *fac_trip_restart_h; /* refinery: restart after a trip without damage, h (drawn) */
    double *fac_grid_restart_h; /* first_week.power: its generation back after a trip, h; 0: no trip */
    double *fac_fire_out_h;  /* fire extinguished at, h; 0 without a fire */
    double *fac_fire_back_h; /* site may restart after the fire from, h; 0 without a fire */
    /* scratch, per facility: earliest fairway, rail line and crude berth */
    double *fairway_h, *rail_h, *berth_h;
} RstSchedule;

/* A schedule sized for w (every item undamaged and usable from 0); free
 * with rst_schedule_free (NULL is a no-op). */
RstSchedule *rst_schedule_new(const World *w);
void rst_schedule_free(RstSchedule *s);

/* Restoration time (h) in state ds of class rc for uniform u in (0, 1):
 * the u-quantile of Normal(mean_days, sd_days) truncated to [0, inf),
 * times 24. Monotone in u, one draw per item. 0 for DS_NONE. */
double rst_repair_time_h(const RestorationClass *rc, int ds, double u);

/* Restart time (h) after a trip without damage for uniform u in (0, 1):
 * the u-quantile of the observed times hp->trip_restart_h, log-linear
 * between the order statistics (an empirical distribution, not a fitted
 * one: the list is short). */
double rst_trip_restart_h(const HazardParams *hp, double u);

/* u-quantile of a lognormal with this median and log standard deviation. */
double rst_lognormal_q(double median, double beta, double u);

/* A time law of the restoration model: off + scale * x, x from a 5-95%
 * range, a lognormal (median, beta), the observed trip restarts or a
 * restoration class's repair time in one damage state; x is the quantile
 * of one uniform u, monotone in it. Borrows g, hp and rc. */
typedef enum RstLawKind { RST_LAW_RANGE, RST_LAW_LOGNORMAL, RST_LAW_TRIP, RST_LAW_REPAIR } RstLawKind;
typedef struct RstLaw {
    RstLawKind kind;
    const WkRange *g;
    const HazardParams *hp;
    const RestorationClass *rc;
    int ds;
    double median, beta, off, scale;
} RstLaw;

RstLaw rst_law_range(const WkRange *g, double off, double scale);
RstLaw rst_law_lognormal(double median, double beta, double off, double scale);
RstLaw rst_law_trip(const HazardParams *hp);                 /* off 0, scale 1 */
RstLaw rst_law_repair(const RestorationClass *rc, int ds);   /* off 0, scale 1 */

/* The law's time for uniform u in [0, 1]. */
double rst_law_at(const RstLaw *L, double u);
/* Its inverse: the largest u with rst_law_at(L, u) <= t (0 when none, 1
 * when every u), as a bisection on rst_law_at would find it. */
double rst_law_cdf(const RstLaw *L, double t);
/* What a forecast at now_h says of an event of law L: the time seen_h the
 * replicate has shown when it is <= now_h, else the q-quantile of the law
 * given it is later than now_h, now_h + 1 when that is not later ("due any
 * moment"). */
double rst_law_after(const RstLaw *L, double seen_h, double now_h, double q);

/* Build the schedule of one replicate from its damage outcome (from
 * dmg_sample for the same World and earthquake) with the restoration
 * stream (rng_init(r, seed, rep, RNG_RESTORE)): one uniform per component,
 * then one per link, then the event's normal for trip restarts and three
 * per facility (its own restart normal, burn time, regulatory restart),
 * always drawn; a refinery's restart quantile is Phi(sqrt(rho) z_event +
 * sqrt(1 - rho) z_site), rho = hazard.trip_restart_rho. quake is the earthquake index (for
 * tsunami flooding), or -1. Allocates nothing. */
void rst_build(const World *w, int quake, const DmgOutcome *dmg, Rng *r, RstSchedule *out);

/* Repair time (h) of component idx (is_link 0) or link idx (is_link 1) in
 * damage state ds of restoration class rc (NULL: the item has none, 0 h). */
typedef double (*RstRepairFn)(void *ctx, int is_link, int idx, const RestorationClass *rc, int ds);

/* A forecast of a replicate's schedule as a planner knows it at now_h:
 * repair times from fn (called once per component in order, then once per
 * link), and for the first week's roads, rail, fairways, grid, trip
 * restarts and fires: an event the replicate `seen` has already shown
 * (its time <= now_h) keeps that time; one still to come gets the
 * q-quantile of its law given it is later than now_h (never a time in the
 * past). It reads `seen` for nothing else, so two replicates with the same
 * damage and the same events up to now_h give the same forecast. The
 * shaking is seen's. Draws nothing, allocates nothing. */
void rst_forecast(const World *w, int quake, const DmgOutcome *dmg, RstRepairFn fn, void *ctx,
                  const RstSchedule *seen, double now_h, double q, RstSchedule *out);

/* The whole chain for replicate rep of seed: hazard, damage and restoration
 * on their own streams (RNG_HAZARD, RNG_DAMAGE, RNG_RESTORE), into the
 * caller's hs, dmg and out (made for hf and its World). Depends only on
 * (hf, seed, rep). */
void rst_replicate(const HazField *hf, uint64_t seed, uint64_t rep,
                   HazSample *hs, DmgOutcome *dmg, RstSchedule *out);

/* Capacity fraction of a component or link at time t_h (0..1). */
static inline double rst_capacity_at(const RstSchedule *s, int comp, double t_h)
{
    return rst_step_at(&s->comp[comp].cap, t_h);
}
static inline double rst_link_capacity_at(const RstSchedule *s, int link, double t_h)
{
    return rst_step_at(&s->link[link].cap, t_h);
}

/* 1 if the grid area / facility has power, or the place is accessible, at t_h. */
static inline int rst_area_has_power(const RstSchedule *s, int area, double t_h)
{
    if (t_h < s->area_power_h[area]) return 0;
    if (!s->w->wk.power || t_h < 0) return 1;
    int d = (int)(t_h / 24.0);
    if (d >= s->ndays) d = s->ndays - 1;
    double x = s->area_dark[area * s->ndays + d];
    /* rolling outages: each area dark for its share of the day, the areas'
     * blocks staggered over the day */
    double ph = fmod(t_h + 24.0 * area / (s->w->narea > 0 ? s->w->narea : 1), 24.0);
    return ph >= 24.0 * x;
}

/* Travel-time factor of road link l at t from congestion after the quake
 * (debris, abandoned vehicles) and traffic control; 1 when unaffected. */
double rst_link_slow_at(const RstSchedule *s, int l, double t_h);
/* The same without traffic control: congestion alone, as general traffic
 * meets it. */
double rst_link_congestion_at(const RstSchedule *s, int l, double t_h);
/* 1 while road link l is under traffic control (first_week.roads: its
 * control is not none, a quake that shook it at control_pga_g or more,
 * before traffic_control_h). */
int rst_link_controlled(const RstSchedule *s, int l, double t_h);
static inline int rst_facility_has_power(const RstSchedule *s, int fac, double t_h)
{
    return t_h >= s->fac_power_h[fac];
}
static inline int rst_place_accessible(const RstSchedule *s, int place, double t_h)
{
    return t_h >= s->place_access_h[place];
}

#endif
