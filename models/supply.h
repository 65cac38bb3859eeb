/* Supply-chain simulation of one replicate: refineries and depots produce,
 * store and load fuel; lorries, tankers, trains and SDF assets carry it over
 * links whose state follows the sampled damage; demand points consume, run
 * dry and ask for more; a dispatch policy decides who is served first.
 * Everything a replicate needs is in its own SupRun, so replicates run in
 * parallel threads on one shared const World. */
#ifndef FUELSIM_SUPPLY_H
#define FUELSIM_SUPPLY_H

#include <stdint.h>
#include <stdio.h>

#include "trace.h"
#include "world.h"

/* Stands for "not within any horizon" in results (first dry hour, restoration
 * times): a finite number, so that means and CSV columns stay numbers. */
#define SUP_NEVER_H 99999.0

/* Directions of the road-clearance plan (RST_NDIR, rst_dir_name). */
#define SUP_NDIR 8

typedef enum SupPolicy { SUP_GREEDY, SUP_OPTIMISE } SupPolicy;

/* Per scenario and earthquake, built once and shared read-only by all
 * replicates: the hazard model (with its correlation factor), the network. */
typedef struct SupModel SupModel;

/* quake: earthquake index, or -1 for no earthquake. Returns NULL and prints
 * a message on a runtime failure. The World must outlive the model. */
SupModel *sup_model_new(const World *w, int quake);
void      sup_model_free(SupModel *m);   /* NULL ok */

struct HazSample;

/* The shaking of replicate rep of seed as a run of m draws it (hazard.h:
 * the RNG_HAZARD stream through m's correlation factors): a new sample
 * (haz_sample_free), or NULL for a model made by sup_model_new_shaken. */
struct HazSample *sup_shaking_new(const SupModel *m, uint64_t seed, uint64_t rep);

/* A model for replicate rep of seed only, whose shaking hs (adopted, freed
 * with the model, also on failure) was drawn by sup_shaking_new before:
 * the hazard field and its correlation factors, the costly part of
 * sup_model_new, are not built. Its runs of (seed, rep) are those of
 * sup_model_new's bit for bit; a run of another replicate returns -1.
 * What `fuelsim branch` builds from the base it keeps between calls. */
SupModel *sup_model_new_shaken(const World *w, int quake, uint64_t seed, uint64_t rep,
                               struct HazSample *hs);

struct SupRun;

/* A planner called at every hourly tick before greedy dispatch when the
 * policy is SUP_OPTIMISE: it reads the replicate's state and dispatches
 * trips (supply_int.h); greedy dispatch then serves what it left. */
typedef void (*SupPlanner)(void *ctx, struct SupRun *r);

/* A player's decision in a live drill (issue 18), applied to the run at
 * at_h, before anything else that happens at that time (the hourly tick of
 * an hour included). Targets are indices into the World:
 *   TRC_ACT_MOBILISE  fleet: requested now (if not yet), ready after its lead time
 *   TRC_ACT_RESERVE   fleet; cls: from now it serves classes 1..cls only
 *                     (no depot resupply)
 *   TRC_ACT_PRIORITY  demand point; cls: its dispatch class from now (the
 *                     metrics keep the scenario's class, so that a branch
 *                     compares with its base)
 *   TRC_ACT_CLOSE     link: closed from now, whatever its repair
 *   TRC_ACT_OPEN      link: usable from now at its undamaged time (an
 *                     emergency clearance or the end of a closure)
 *   TRC_ACT_RELEASE   stock row (or -1: the whole national stockpile); kl:
 *                     that much of the national stockpile held there is
 *                     released now (pro rata over the depots for -1); a
 *                     stock row without one receives it from reserves
 *                     outside the scenario, up to its free tank space
 *   TRC_ACT_POLICY    policy: greedy or optimise dispatch from now (optimise
 *                     needs a planner in SupOptions)
 * Greedy dispatch and the optimiser both follow reserve and priority (the
 * planner reads sup_point_class and sup_fleet_reserve_ok, supply_int.h), and
 * every decision makes the planner re-plan. */
typedef struct SupDecision {
    double at_h;
    TrcAction action;
    int target;
    int cls;              /* 1..NCLASS */
    double kl;
    SupPolicy policy;
} SupDecision;

typedef struct SupOptions {
    SupPolicy policy;
    FILE *trace;          /* trace.csv rows (trace.h) are written here when not NULL */
    SupPlanner planner;   /* SUP_OPTIMISE only (or a policy decision); NULL = greedy */
    void *planner_ctx;
} SupOptions;

/* Read the links again at the run's current time after a planner changed
 * r->link_force (supply_int.h: SUP_LINK_AS_IS, _CLOSED or _OPEN): a probe
 * of a road opened now, undone by restoring the force and calling it again.
 * A changed network starts a new epoch (shortest paths recomputed). */
void sup_refresh_links(struct SupRun *r);

/* Fuel balance of a replicate; closes to rounding:
 * initial + produced = consumed + final + in_transit + lost. */
typedef struct SupBalance {
    double initial_inventory_kl, produced_kl, consumed_kl;
    double final_inventory_kl, in_transit_kl, lost_kl;
} SupBalance;

/* What a replicate reports. Arrays are owned; free with sup_result_free. */
typedef struct SupResult {
    double unserved_kl[NPROD][NCLASS];
    double unserved_class_kl[NCLASS];
    double weighted_shortfall;   /* sum over classes of weight x unserved kL */
    double dry_hours_class1;     /* point-hours with a class-1 point out of some fuel */
    double t90_supply_h;         /* time after which served fraction stays >= 0.9 */
    double resilience_loss;      /* integral of (1 - served fraction) dt, h */
    SupBalance balance;

    int nhours;                  /* ceil(horizon) */
    double *served[NCLASS];      /* hourly served fraction by class, nhours each */
    double *served_all;          /* hourly served fraction, all classes, kL-weighted */
    double *inv_by_kind[NFACKIND]; /* hourly inventory by facility kind, kL */
    double *assets_busy;         /* hourly units in use */

    unsigned char *comp_ds;      /* per component: sampled damage state */
    double *comp_restore_h;      /* per component: time back at full capacity, h */
    double *fac_restore_h;       /* per facility: time all its components are back, h */

    double *asset_util;          /* per asset fleet: busy unit-hours / (count x horizon) */
    double rack_wait_mean_h, berth_wait_mean_h;
    long trips, events;

    /* the first week (issue 15); SUP_NEVER_H when it did not happen */
    double wk_ministry_h;        /* ministry asks PAJ to start its plan */
    double wk_room_h;            /* joint operations room opens */
    double wk_first_relay_h;     /* first priority request reaches the room */
    double wk_stockpile_h;       /* national product stockpile released */
    double wk_stockpile_kl;      /* released within the horizon */
    double wk_sdf_drawn_kl;      /* SDF's own vehicles, drawn at designated depots */
    double wk_dir_open_h[SUP_NDIR];   /* first emergency route per direction (0: none needed) */
} SupResult;

/* Simulate replicate rep of seed. The damage outcome comes from the hazard,
 * damage and restoration models with streams (seed, rep); the same arguments
 * give the same result bit for bit, whatever thread runs it. Returns 0, or -1
 * on a runtime failure (message on stderr). out is filled; free with
 * sup_result_free. Thread-safe: m is only read. */
int  sup_run(const SupModel *m, uint64_t seed, uint64_t rep, const SupOptions *opt, SupResult *out);
/* The same with the players' decisions dec[0..ndec) (borrowed; any order,
 * ties in array order; numbered 1.. in the trace by their index): a live
 * drill's branch. Up to the first decision's time everything (trace rows,
 * hourly series) is as sup_run's; ndec 0 is sup_run. After it the random
 * numbers of what a decision does not touch stay the same (common random
 * numbers): damage, restoration, demand factors and the chain's fixed times
 * are drawn before the run or by the clock, a trip's travel and loading
 * factors are keyed by (unit, its trip number, step) and a request's relay
 * delays by (consumption row, its request number). */
int  sup_run_decided(const SupModel *m, uint64_t seed, uint64_t rep, const SupOptions *opt,
                     const SupDecision *dec, int ndec, SupResult *out);
void sup_result_free(SupResult *r);

#endif
