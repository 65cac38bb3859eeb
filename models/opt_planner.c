/* The optimiser inside a replicate (SUP_OPTIMISE): re-plans when the state
 * the plan depends on changes or its period runs out, turns the first
 * period's flows into trips, asks PAJ and SDF to mobilise when the plan
 * wants their fleets, and falls back to greedy for a tick whose solve
 * fails. */
#include "optimise_int.h"

#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the planner inside a replicate ----------------------------------------------------- */

/* A planned movement still to dispatch, within its period. */
typedef struct Pending {
    int fleet, mode, src, product, dest_place, dest_use, dest_stock, period;
    int order;          /* period, class (depots after class 4), then position */
    double kl;
    double from_h, until_h;   /* its period */
} Pending;

struct OptPlanner {
    const World *w;
    OptPlan *plan;
    OptParams p;
    uint64_t rep;
    double next_h;      /* the next plan by the clock */
    double last_h;      /* the last plan */
    int dry;            /* class-1 and 2 rows dry at the last tick */
    int ndecided;       /* the run's decisions applied at the last tick */
    uint64_t sig;
    int have_sig;
    Pending *pend; int npend, cappend;
    double capture_at;
    OptStats st;
    int warned;
    int road_probes;    /* capture mode: roads to value (opt_value_roads) */
};

OptPlanner *opt_planner_new(const World *w, const OptParams *p, uint64_t rep)
{
    OptPlan *plan = opt_plan_new(w, p);
    if (!plan) return NULL;
    OptPlanner *pl = xcalloc(1, sizeof *pl);
    pl->w = w;
    pl->plan = plan;
    pl->p = *p;
    pl->rep = rep;
    pl->next_h = -SUP_INF;
    pl->capture_at = -1;
    return pl;
}

void opt_planner_free(OptPlanner *pl)
{
    if (!pl) return;
    opt_plan_free(pl->plan);
    free(pl->pend);
    free(pl);
}

void opt_planner_capture(OptPlanner *pl, double at_h) { pl->capture_at = at_h; }

void opt_planner_value_roads(OptPlanner *pl, int max) { pl->road_probes = max > 0 ? max : 0; }

const OptPlan *opt_planner_plan(const OptPlanner *pl) { return pl->plan; }

void opt_planner_extra_units(OptPlanner *pl, int asset, int n)
{
    assert(asset >= 0 && asset < pl->w->nasset && n >= 0);
    pl->plan->extra_units[asset] = n;
}

void opt_planner_ready_earlier(OptPlanner *pl, int asset, double dh)
{
    assert(asset >= 0 && asset < pl->w->nasset && dh >= 0);
    pl->plan->ready_earlier[asset] = dh;
}

void opt_planner_stats(const OptPlanner *pl, OptStats *st) { *st = pl->st; }

void opt_thread_done(void) { glp_free_env(); }

static uint64_t mix(uint64_t h, uint64_t x)
{
    return h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

static uint64_t dbits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* What the model depends on besides stocks and fleets at work: a change (a
 * restoration, power back, a fleet mobilised, a link opened or closed) calls
 * for a new plan. Congestion easing on open roads changes travel times every
 * few hours for weeks; the clock re-plan follows it, or re-planning on it
 * alone would triple the solves for little gain. */
static uint64_t state_sig(SupRun *r)
{
    const World *w = r->w;
    double t = r->now;
    uint64_t h = 0;
    for (int l = 0; l < w->nlink; l++) h = mix(h, (uint64_t)isfinite(r->link_factor[l]));
    /* a fleet's passage permit opens the controlled roads to it */
    for (int a = 0; w->wk.permits && a < w->nasset; a++) h = mix(h, (uint64_t)sup_fleet_permitted(r, a, t));
    for (int f = 0; f < w->nfac; f++) {
        h = mix(h, (uint64_t)sup_fac_working(r, f, t));
        for (int q = 0; q < SUP_Q_NONE; q++) h = mix(h, (uint64_t)sup_q_servers(r, f, q, t));
        h = mix(h, dbits(sup_comp_frac(r, f, COMP_PROCESS, t)));
        h = mix(h, dbits(sup_comp_frac(r, f, COMP_TANK, t)));
    }
    /* the grid back in an area, not the rolling outages' daily blocks: the
     * model already counts those hour by hour, and following them would
     * re-plan a dozen times a day */
    for (int a = 0; a < w->narea; a++) h = mix(h, (uint64_t)(t >= r->rs->area_power_h[a]));
    for (int d = 0; d < w->ndem; d++) h = mix(h, (uint64_t)rst_place_accessible(r->rs, w->nfac + d, t));
    for (int a = 0; a < w->nasset; a++) h = mix(h, (uint64_t)(t >= r->fleet_ready_h[a]));
    if (r->ndecided > 0) h = mix(h, (uint64_t)r->ndecided);
    return h;
}

static int pend_cmp(const void *x, const void *y)
{
    const Pending *a = x, *b = y;
    return (a->order > b->order) - (a->order < b->order);
}

/* The movements of the periods that start before the next scheduled
 * re-plan, one entry per period, source, destination and product (the
 * fleets' parts merged), by period and then highest class first. */
static void take_plan(OptPlanner *pl, SupRun *r)
{
    const OptSolution *so = opt_plan_solution(pl->plan);
    pl->npend = 0;
    for (int i = 0; i < so->nflow; i++) {
        const OptFlow *f = &so->flow[i];
        if (so->period_start_h[f->period] >= pl->p.replan_h - 1e-9) continue;
        int j;
        for (j = 0; j < pl->npend; j++) {
            Pending *e = &pl->pend[j];
            if (e->period == f->period && e->mode == f->mode && e->src == f->src && e->product == f->product &&
                e->dest_use == f->dest_use && e->dest_stock == f->dest_stock)
                break;
        }
        if (j < pl->npend) { pl->pend[j].kl += f->kl; continue; }
        xgrow((void **)&pl->pend, &pl->cappend, pl->npend + 1, sizeof *pl->pend);
        Pending *e = &pl->pend[pl->npend++];
        e->fleet = f->fleet; e->mode = f->mode; e->src = f->src; e->product = f->product;
        e->dest_place = f->dest_place; e->dest_use = f->dest_use; e->dest_stock = f->dest_stock;
        e->kl = f->kl;
        e->period = f->period;
        e->from_h = r->now + so->period_start_h[f->period];
        e->until_h = r->now + so->period_start_h[f->period + 1];
        int cls = f->dest_use >= 0 ? opt_use_class(pl->plan, f->dest_use) : NCLASS + 1;
        e->order = (f->period * (NCLASS + 2) + cls) * 1000000 + pl->npend;
    }
    if (pl->npend > 1) qsort(pl->pend, (size_t)pl->npend, sizeof *pl->pend, pend_cmp);
}

/* An idle, mobilised unit that may carry the entry, nearest its source:
 * from the fleet the plan chose if it has one, else any such fleet. */
static int pick_fleet(SupRun *r, const Pending *e, int *place, double *dead)
{
    const World *w = r->w;
    int best = -1, bp = -1;
    double bd = SUP_INF;
    for (int pass = 0; pass < 2 && best < 0; pass++)
        for (int a = 0; a < w->nasset; a++) {
            if (pass == 0 && a != e->fleet) continue;
            if ((int)w->asset[a].mode != e->mode || !(w->asset[a].products & (1u << e->product))) continue;
            if (!sup_fleet_ready(r, a) || !sup_fleet_reserve_ok(r, a, e->dest_use)) continue;
            double d;
            int p = sup_nearest_idle(r, a, e->src, &d);
            if (p < 0 || !isfinite(sup_travel_h(r, a, e->src, e->dest_place))) continue;
            if (d < bd) { bd = d; best = a; bp = p; }
        }
    *place = bp;
    *dead = bd;
    return best;
}

/* Dispatch what can go now. The plan's kL are continuous, trips are not: a
 * trip takes a full load when the destination has room for it, and none
 * goes for less than half a load. */
static void execute(OptPlanner *pl, SupRun *r)
{
    const World *w = pl->w;
    for (int i = 0; i < pl->npend; i++) {
        Pending *e = &pl->pend[i];
        if (r->now < e->from_h - 1e-9 || r->now >= e->until_h - 1e-9) continue;
        int q = opt_mode_queue(e->mode);
        while (e->kl >= SUP_MIN_LOAD_KL) {
            if (q != SUP_Q_NONE ? sup_q_servers(r, e->src, q, r->now) == 0 : !sup_fac_working(r, e->src, r->now)) break;
            double room;
            if (e->dest_use >= 0) {
                if (!rst_place_accessible(r->rs, e->dest_place, r->now)) break;
                room = w->use[e->dest_use].storage_kl - r->ustock[e->dest_use] - r->uincoming[e->dest_use];
            } else {
                if (sup_q_servers(r, e->dest_place, q, r->now) == 0) break;
                room = r->tank[e->dest_stock] - r->inv[e->dest_stock] - r->incoming[e->dest_stock];
            }
            int place;
            double dead;
            int a = pick_fleet(r, e, &place, &dead);
            if (a < 0) break;
            /* wait for a worthwhile load: half a vehicle, or half the
             * destination's tank when that is smaller */
            double cap = w->asset[a].capacity_kl;
            double tank = e->dest_use >= 0 ? w->use[e->dest_use].storage_kl : r->tank[e->dest_stock];
            double kl = fmin(cap, fmin(room, sup_available_kl(r, e->src, e->product)));
            if (kl < SUP_MIN_LOAD_KL || kl < 0.5 * fmin(cap, tank)) break;
            sup_dispatch_trip(r, a, place, dead, e->src, q, e->product, kl, e->dest_place, e->dest_use, e->dest_stock);
            e->kl -= kl;
            pl->st.trips++;
            pl->st.dispatched_kl += kl;
        }
    }
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Solve from r's state; counts and times it. 0 or -1 as opt_plan_solve. */
static int solve(OptPlanner *pl, SupRun *r)
{
    double c0 = cpu_ms();
    int rc = opt_plan_solve(pl->plan, r);
    double c = cpu_ms() - c0;
    const OptSolution *so = opt_plan_solution(pl->plan);
    if (pl->st.solves == 0) pl->st.first_cpu_ms = c;
    pl->st.cpu_ms += c;
    pl->st.solves++;
    if (so->warm) {
        pl->st.warm_solves++;
        pl->st.warm_ms += so->solve_ms;
        if (so->solve_ms > pl->st.warm_ms_max) pl->st.warm_ms_max = so->solve_ms;
    } else {
        pl->st.cold_ms += so->solve_ms;
    }
    pl->st.iterations += so->iterations;
    pl->st.rows = so->rows;
    pl->st.cols = so->cols;
    pl->st.nonzeros = so->nonzeros;
    if (rc != 0) pl->st.failures++;
    return rc;
}

/* Re-plan: the first tick, when replan_h has passed since the last plan, or
 * when what the plan rests on has changed (a restoration, power back, a
 * place reachable again, a fleet mobilised, the road network). */
static int replan_due(OptPlanner *pl, SupRun *r)
{
    uint64_t sig = state_sig(r);
    /* a class-1 or 2 point run dry: the plan has failed it, whatever the gap */
    int dry = 0;
    for (int u = 0; u < pl->w->nuse; u++)
        dry += r->udry[u] && sup_point_class(r, pl->w->use[u].point) <= OPT_BUFFER_MAX_CLASS;
    int clock = !pl->have_sig || r->now >= pl->next_h - 1e-9;
    /* a player's decision (reserve, priority, ...) is acted on at once, not after the gap */
    int event = !clock && ((sig != pl->sig && r->now >= pl->last_h + pl->p.event_gap_h - 1e-9) || dry > pl->dry ||
                           r->ndecided != pl->ndecided);
    pl->dry = dry;
    pl->ndecided = r->ndecided;
    if (!clock && !event) return 0;
    pl->sig = sig;
    pl->have_sig = 1;
    pl->last_h = r->now;
    if (clock) pl->st.replans_clock++;
    if (event) pl->st.replans_event++;
    return clock || event;
}

void opt_planner_tick(void *ctx, SupRun *r)
{
    OptPlanner *pl = ctx;
    if (pl->capture_at >= 0) {
        if (!pl->st.captured && r->now >= pl->capture_at - 1e-9) {
            pl->st.captured = 1;
            if (solve(pl, r) == 0 && pl->road_probes > 0) opt_value_roads(pl->plan, r, pl->road_probes);
            /* the plan is all that is wanted: the rest of the replicate is not run */
            r->stop = 1;
        }
        return;
    }
    if (replan_due(pl, r)) {
        pl->next_h = r->now + pl->p.replan_h;
        pl->npend = 0;
        if (solve(pl, r) != 0) {
            if (!pl->warned) {
                pl->warned = 1;
                fprintf(stderr, "fuelsim: warning: replicate %llu: plan at hour %.0f failed (%s); "
                        "greedy dispatch until the next plan (later failures are counted, not shown)\n",
                        (unsigned long long)pl->rep, r->now, opt_plan_solution(pl->plan)->why);
            }
            return;
        }
        take_plan(pl, r);
        if (pl->plan->wants_mobilise && !r->mobilise_requested) {
            sup_mobilise(r);
            pl->st.mobilisations++;
        }
    }
    execute(pl, r);
}
