/* Supply-chain simulation of one replicate, on the discrete-event engine.
 *
 * Continuous flows (refinery output, consumption at demand points) advance
 * in hourly ticks; everything that moves fuel is a discrete trip: an asset
 * unit is dispatched, drives (or sails, or flies) to a source, queues for a
 * rack, berth or siding (engine Resources), loads, travels to its
 * destination, unloads and returns. Link, component, power and access
 * states come from the replicate's restoration schedule (restore.h) and are
 * re-read at every tick; dispatch decisions are taken at ticks, highest
 * priority first (greedy), which is the baseline the optimiser must beat. */
#include "supply.h"
#include "supply_int.h"
#include "trace.h"

#include "dist.h"
#include "evq.h"
#include "hazard.h"
#include "damage.h"
#include "res.h"
#include "restore.h"
#include "rng.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void build_adjacency(SupModel *m)
{
    const World *w = m->w;
    for (int mode = 0; mode < NMODE; mode++) {
        int *deg = xcalloc((size_t)m->nplace + 1, sizeof *deg);
        for (int l = 0; l < w->nlink; l++)
            if ((int)w->link[l].mode == mode) { deg[w->link[l].from]++; deg[w->link[l].to]++; }
        int *off = xmalloc(((size_t)m->nplace + 1) * sizeof *off);
        off[0] = 0;
        for (int p = 0; p < m->nplace; p++) off[p + 1] = off[p] + deg[p];
        int *adj = xmalloc((size_t)(off[m->nplace] ? off[m->nplace] : 1) * sizeof *adj);
        int *fill = xcalloc((size_t)m->nplace + 1, sizeof *fill);
        for (int l = 0; l < w->nlink; l++) {
            if ((int)w->link[l].mode != mode) continue;
            int a = w->link[l].from, b = w->link[l].to;
            adj[off[a] + fill[a]++] = l;
            adj[off[b] + fill[b]++] = l;
        }
        free(deg);
        free(fill);
        m->adj_off[mode] = off;
        m->adj_link[mode] = adj;
    }
}

/* The tables of a model (everything but its hazard). */
static void model_tables(SupModel *m)
{
    const World *w = m->w;
    m->nplace = world_nplace(w);
    build_adjacency(m);
    m->stock_of = xmalloc((size_t)(w->nfac ? w->nfac : 1) * NPROD * sizeof *m->stock_of);
    for (int i = 0; i < w->nfac * NPROD; i++) m->stock_of[i] = -1;
    for (int s = 0; s < w->nstock; s++) m->stock_of[w->stock[s].facility * NPROD + w->stock[s].product] = s;

    int nk = w->nfac * NCOMPKIND;
    m->comp_off = xcalloc((size_t)nk + 1, sizeof *m->comp_off);
    for (int c = 0; c < w->ncomp; c++) m->comp_off[w->comp[c].facility * NCOMPKIND + w->comp[c].kind + 1]++;
    for (int i = 0; i < nk; i++) m->comp_off[i + 1] += m->comp_off[i];
    m->comp_list = xmalloc((size_t)(w->ncomp ? w->ncomp : 1) * sizeof *m->comp_list);
    int *fill = xcalloc((size_t)nk + 1, sizeof *fill);
    for (int c = 0; c < w->ncomp; c++) {
        int k = w->comp[c].facility * NCOMPKIND + w->comp[c].kind;
        m->comp_list[m->comp_off[k] + fill[k]++] = c;
    }
    free(fill);

    m->use_off = xcalloc((size_t)w->ndem + 1, sizeof *m->use_off);
    for (int u = 0; u < w->nuse; u++) m->use_off[w->use[u].point + 1]++;
    for (int d = 0; d < w->ndem; d++) m->use_off[d + 1] += m->use_off[d];
    m->use_list = xmalloc((size_t)(w->nuse ? w->nuse : 1) * sizeof *m->use_list);
    fill = xcalloc((size_t)w->ndem + 1, sizeof *fill);
    for (int u = 0; u < w->nuse; u++) {
        int d = w->use[u].point;
        m->use_list[m->use_off[d] + fill[d]++] = u;
    }
    free(fill);

    /* facilities holding each product, in facility order */
    m->src_off = xcalloc(NPROD + 1, sizeof *m->src_off);
    m->src_list = xmalloc(((size_t)w->nstock + 1) * sizeof *m->src_list);
    for (int p = 0, n = 0; p < NPROD; p++) {
        m->src_off[p] = n;
        for (int f = 0; f < w->nfac; f++)
            if (m->stock_of[f * NPROD + p] >= 0) m->src_list[n++] = f;
        m->src_off[p + 1] = n;
    }

    m->unit_base = xmalloc(((size_t)w->nasset + 1) * sizeof *m->unit_base);
    m->unit_base[0] = 0;
    for (int a = 0; a < w->nasset; a++) m->unit_base[a + 1] = m->unit_base[a] + w->asset[a].count;
    m->nunit = m->unit_base[w->nasset];
    m->designated = xcalloc((size_t)w->nfac + 1, 1);
    for (int i = 0; i < w->wk.ndesignated; i++) m->designated[w->wk.designated[i]] = 1;
    /* flights: asked for every use and source at every re-plan */
    m->air_km = xmalloc(((size_t)w->nfac * m->nplace + 1) * sizeof *m->air_km);
    for (int f = 0; f < w->nfac; f++)
        for (int p = 0; p < m->nplace; p++) {
            double la, lo, lb, lob;
            world_place_latlon(w, f, &la, &lo);
            world_place_latlon(w, p, &lb, &lob);
            m->air_km[(size_t)f * m->nplace + p] = world_dist_km(la, lo, lb, lob);
        }
}

SupModel *sup_model_new(const World *w, int quake)
{
    SupModel *m = xcalloc(1, sizeof *m);
    m->w = w;
    m->quake = quake;
    m->hf = haz_field_new(w, quake);
    if (!m->hf) {
        free(m);
        return NULL;
    }
    model_tables(m);
    return m;
}

SupModel *sup_model_new_shaken(const World *w, int quake, uint64_t seed, uint64_t rep, HazSample *hs)
{
    if (!hs || hs->nsite != w->nfac + w->ndem + w->nlink) {
        haz_sample_free(hs);
        fprintf(stderr, "fuelsim: a replicate's shaking of another size than the scenario's sites\n");
        return NULL;
    }
    SupModel *m = xcalloc(1, sizeof *m);
    m->w = w;
    m->quake = quake;
    m->shaking = hs;
    m->shaken_seed = seed;
    m->shaken_rep = rep;
    model_tables(m);
    return m;
}

HazSample *sup_shaking_new(const SupModel *m, uint64_t seed, uint64_t rep)
{
    if (!m->hf) return NULL;
    HazSample *hs = haz_sample_new(m->hf);
    Rng r;
    rng_init(&r, seed, rep, RNG_HAZARD);   /* as rst_replicate draws it */
    haz_sample(m->hf, &r, hs);
    return hs;
}

void sup_model_free(SupModel *m)
{
    if (!m) return;
    haz_field_free(m->hf);
    haz_sample_free(m->shaking);
    for (int i = 0; i < NMODE; i++) { free(m->adj_off[i]); free(m->adj_link[i]); }
    free(m->stock_of);
    free(m->comp_off);
    free(m->comp_list);
    free(m->use_off);
    free(m->use_list);
    free(m->unit_base);
    free(m->src_off);
    free(m->src_list);
    free(m->designated);
    free(m->air_km);
    free(m);
}

/* ---- invariants ------------------------------------------------------------ */

/* Trips reserve stock at dispatch and take it at the end of loading: a
 * stock never has more reserved than it holds (to rounding). */
static void assert_reserved(const SupRun *r, int s)
{
    (void)r; (void)s;
    assert(r->reserved[s] <= r->inv[s] + 1e-6 * fmax(1.0, r->inv[s]));
}

/* The idle lists agree with the per-fleet idle counts. */
static void assert_idle(const SupRun *r)
{
#ifndef NDEBUG
    int np = r->m->nplace;
    for (int a = 0; a < r->w->nasset; a++) {
        int n = 0;
        for (int p = 0; p < np; p++) n += r->idle_cnt[a * np + p];
        assert(n == r->fleet_idle[a]);
    }
#else
    (void)r;
#endif
}

/* ---- trace ---------------------------------------------------------------- */

static void trace(SupRun *r, const TrcRow *row)
{
    if (r->opt->trace) trc_write(r->opt->trace, row);
}

/* A row about a trip's unit at place, with its load when load is set. */
static void trace_trip(SupRun *r, TrcKind kind, const SupTrip *tp, const char *place, int load,
                       const char *item, int flag)
{
    if (!r->opt->trace) return;
    TrcRow row = trc_row(r->now, kind, place);
    row.asset = r->w->asset[tp->fleet].id;
    row.unit = tp->unit - r->m->unit_base[tp->fleet] + 1;
    if (load) { row.product = tp->product; row.kl = tp->kl; }
    row.item = item;
    row.flag = flag;
    trace(r, &row);
}

/* A row with a product and kL but no unit. */
static void trace_stock(SupRun *r, double t, TrcKind kind, const char *place, int product, double kl,
                        int flag)
{
    TrcRow row = trc_row(t, kind, place);
    row.product = product;
    row.kl = kl;
    row.flag = flag;
    trace(r, &row);
}

/* A row naming one item (fleet, component, link) at a place. */
static void trace_item(SupRun *r, TrcKind kind, const char *place, const char *item)
{
    TrcRow row = trc_row(r->now, kind, place);
    row.item = item;
    trace(r, &row);
}

/* ---- first-week variability ------------------------------------------------ */

/* The factors of a trip are keyed draws (common random numbers): by the
 * unit, its own trip number and the step, so that a decision that adds,
 * drops or moves one unit's trips leaves every other unit's factors, and
 * this unit's other trips, as they were. */
static double trip_draw(SupRun *r, const SupTrip *tp, int step)
{
    uint64_t n = (uint64_t)tp->seq * SUP_TRIP_NSTEP + (uint64_t)step;
    return rng_keyed_uniform_pos(&r->klog, (uint64_t)tp->unit, n);
}

/* Travel-time factor of one trip leg (1 without variability). */
static double leg_factor(SupRun *r, const SupTrip *tp, int step)
{
    if (!r->w->wk.variability) return 1.0;
    return rst_range_draw(&r->w->wk.travel_factor, trip_draw(r, tp, step));
}

/* Loading or unloading time factor of one trip. */
static double load_factor(SupRun *r, const SupTrip *tp, int step)
{
    if (!r->w->wk.variability) return 1.0;
    return rst_range_draw(&r->w->wk.load_factor, trip_draw(r, tp, step));
}

/* ---- idle units ----------------------------------------------------------- */

static void idle_push(SupRun *r, int fleet, int unit, int place)
{
    int np = r->m->nplace;
    int k = fleet * np + place;
    r->unit_next[unit] = r->idle_head[k];
    r->idle_head[k] = unit;
    r->unit_place[unit] = place;
    r->unit_busy[unit] = 0;
    if (r->idle_cnt[k]++ == 0) {
        r->idle_pos[fleet][place] = r->nidle_places[fleet];
        r->idle_places[fleet][r->nidle_places[fleet]++] = place;
    }
    r->fleet_idle[fleet]++;
}

static int idle_pop(SupRun *r, int fleet, int place)
{
    int np = r->m->nplace;
    int k = fleet * np + place;
    int unit = r->idle_head[k];
    r->idle_head[k] = r->unit_next[unit];
    if (--r->idle_cnt[k] == 0) {
        int pos = r->idle_pos[fleet][place];
        int last = r->idle_places[fleet][--r->nidle_places[fleet]];
        r->idle_places[fleet][pos] = last;
        r->idle_pos[fleet][last] = pos;
        r->idle_pos[fleet][place] = -1;
    }
    r->fleet_idle[fleet]--;
    r->unit_busy[unit] = 1;
    return unit;
}

/* ---- network -------------------------------------------------------------- */

static void heap_up(SupRun *r, int i)
{
    int *h = r->heap;
    double *key = r->heap_key;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (key[h[p]] <= key[h[i]]) break;
        int t = h[p]; h[p] = h[i]; h[i] = t;
        r->heap_pos[h[p]] = p;
        r->heap_pos[h[i]] = i;
        i = p;
    }
}

static void heap_down(SupRun *r, int n, int i)
{
    int *h = r->heap;
    double *key = r->heap_key;
    for (;;) {
        int l = 2 * i + 1, s = i;
        if (l < n && key[h[l]] < key[h[s]]) s = l;
        if (l + 1 < n && key[h[l + 1]] < key[h[s]]) s = l + 1;
        if (s == i) break;
        int t = h[s]; h[s] = h[i]; h[i] = t;
        r->heap_pos[h[s]] = s;
        r->heap_pos[h[i]] = i;
        i = s;
    }
}

/* Dijkstra from place src over links of one mode; weight of a link is
 * length (time_h, or distance_km when by_km) times its factor (fac). */
static void shortest(SupRun *r, int mode, int src, int by_km, const double *fac, double *dist)
{
    const SupModel *m = r->m;
    const World *w = r->w;
    int np = m->nplace;
    for (int p = 0; p < np; p++) { dist[p] = SUP_INF; r->heap_pos[p] = -1; }
    double *key = r->heap_key;
    for (int p = 0; p < np; p++) key[p] = SUP_INF;
    int n = 0;
    key[src] = 0;
    r->heap[n] = src; r->heap_pos[src] = n++;
    while (n > 0) {
        int u = r->heap[0];
        r->heap_pos[u] = -2;
        dist[u] = key[u];
        r->heap[0] = r->heap[--n];
        if (n > 0) { r->heap_pos[r->heap[0]] = 0; heap_down(r, n, 0); }
        for (int i = m->adj_off[mode][u]; i < m->adj_off[mode][u + 1]; i++) {
            int l = m->adj_link[mode][i];
            double f = fac[l];
            if (!isfinite(f)) continue;
            int v = w->link[l].from == u ? w->link[l].to : w->link[l].from;
            if (r->heap_pos[v] == -2) continue;
            double len = by_km ? w->link[l].distance_km : w->link[l].time_h;
            double nd = key[u] + len * f;
            if (nd < key[v]) {
                key[v] = nd;
                if (r->heap_pos[v] < 0) { r->heap[n] = v; r->heap_pos[v] = n++; }
                heap_up(r, r->heap_pos[v]);
            }
        }
    }
}

/* Travel from facility f to every place: road or rail hours, sea km; road
 * for fleets with a passage permit, or without one (no_permit). */
static const double *paths_mode(SupRun *r, int mode, int no_permit, int f)
{
    int np = r->m->nplace;
    double *base; int *ep; int by_km = 0;
    const double *fac = r->link_factor;
    if (mode == MODE_ROAD && no_permit) { base = r->road_np_t; ep = r->road_np_epoch; fac = r->link_factor_np; }
    else if (mode == MODE_ROAD) { base = r->road_t; ep = r->road_epoch; }
    else if (mode == MODE_RAIL) { base = r->rail_t; ep = r->rail_epoch; }
    else { base = r->sea_km; ep = r->sea_epoch; by_km = 1; }
    double *d = base + (size_t)f * np;
    int e = r->epoch[mode == MODE_ROAD && no_permit ? NMODE : mode];
    if (ep[f] != e) {
        shortest(r, mode, f, by_km, fac, d);
        ep[f] = e;
    }
    return d;
}

/* The same for fleet a now (its mode, its permit). */
static const double *paths_from(SupRun *r, int a, int f)
{
    return paths_mode(r, r->w->asset[a].mode, !sup_fleet_permitted(r, a, r->now), f);
}

/* Hours for fleet a to go from facility f to place p (either direction). */
double sup_travel_h(SupRun *r, int a, int f, int p)
{
    const Asset *as = &r->w->asset[a];
    if (as->mode == MODE_AIR) return r->m->air_km[(size_t)f * r->m->nplace + p] / as->speed_kmh;
    const double *d = paths_from(r, a, f);
    return as->mode == MODE_SEA ? d[p] / as->speed_kmh : d[p];
}

/* ---- state from the restoration schedule ------------------------------------ */

/* Capacity fraction of the components of kind k at facility f at time t:
 * the smallest over them (1 when there is none). */
double sup_comp_frac(SupRun *r, int f, int k, double t)
{
    const SupModel *m = r->m;
    double x = 1.0;
    int key = f * NCOMPKIND + k;
    for (int i = m->comp_off[key]; i < m->comp_off[key + 1]; i++)
        x = fmin(x, rst_capacity_at(r->rs, m->comp_list[i], t));
    return x;
}

/* Facility can work: powered and reachable. */
int sup_fac_working(SupRun *r, int f, double t)
{
    return rst_facility_has_power(r->rs, f, t) && rst_place_accessible(r->rs, f, t);
}

static const int q_comp_kind[SUP_NQ] = {COMP_RACK, COMP_BERTH, COMP_SIDING, -1};

/* Servers of queue q at facility f at time t. */
int sup_q_servers(SupRun *r, int f, int q, double t)
{
    const SupModel *m = r->m;
    int key = f * NCOMPKIND + q_comp_kind[q];
    int n = 0;
    if (!sup_fac_working(r, f, t)) return 0;
    for (int i = m->comp_off[key]; i < m->comp_off[key + 1]; i++) {
        int c = m->comp_list[i];
        n += (int)floor(r->w->comp[c].count * rst_capacity_at(r->rs, c, t) + 1e-9);
    }
    return n;
}

static void start_loading(SupRun *r, int ti);

static void update_resources(SupRun *r, double t)
{
    const World *w = r->w;
    for (int f = 0; f < w->nfac; f++)
        for (int q = 0; q < SUP_Q_NONE; q++) {
            Resource *res = r->res[f * SUP_NQ + q];
            if (!res) continue;
            int s = sup_q_servers(r, f, q, t);
            if (s == res_servers(res)) continue;
            res_set_servers(res, t, s);
            int who;
            while ((who = res_grant_next(res, t)) >= 0) start_loading(r, who);
        }
}

/* Congestion factors of link l at slow_t (congestion and control read once:
 * this runs for every link at every tick). *slow: for vehicles allowed on
 * it (rst_link_slow_at). *np: for vehicles without a passage permit: off a
 * controlled road (SUP_INF), or on the streets beside it, at least
 * detour_factor slower than normal and without the controlled road's
 * relief (the general traffic is there too). */
static void link_slow_factors(const SupRun *r, int l, double *slow, double *np)
{
    const World *w = r->w;
    double cong = rst_link_congestion_at(r->rs, l, r->slow_t);
    int ctl = rst_link_controlled(r->rs, l, r->slow_t);
    *slow = ctl ? fmin(cong, w->wk.controlled_factor) : cong;
    *np = !w->wk.permits || !ctl ? *slow : w->link[l].control == CTL_CLOSED ? SUP_INF : fmax(cong, w->wk.detour_factor);
}

/* Re-read links; a change starts a new epoch of its mode's network (its
 * paths recomputed; a road's congestion leaves sea and rail paths be). */
static void update_links(SupRun *r, double t)
{
    const World *w = r->w;
    int changed[NMODE + 1] = {0};
    /* congestion changes every hour; paths are recomputed only every 6 h
     * of it (each change is a new epoch) */
    r->slow_t = 6.0 * floor(t / 6.0);
    for (int l = 0; l < w->nlink; l++) {
        double c = rst_link_capacity_at(r->rs, l, t);
        int ends_ok = rst_place_accessible(r->rs, w->link[l].from, t) &&
                      rst_place_accessible(r->rs, w->link[l].to, t);
        /* a damaged but open link is slower: half capacity, twice the time */
        double f = (c <= 0 || !ends_ok) ? SUP_INF : 1.0 / fmax(c, 0.25);
        if (r->link_force[l] == SUP_LINK_CLOSED) f = SUP_INF;
        else if (r->link_force[l] == SUP_LINK_OPEN && ends_ok) f = 1.0;
        double fnp = f;
        if (isfinite(f)) {
            double slow, np;
            link_slow_factors(r, l, &slow, &np);
            fnp = f * np;
            f *= slow;
        }
        int mode = w->link[l].mode;
        if (f != r->link_factor[l]) changed[mode] = 1;
        if (fnp != r->link_factor_np[l]) changed[mode == MODE_ROAD ? NMODE : mode] = 1;
        r->link_factor[l] = f;
        r->link_factor_np[l] = fnp;
    }
    for (int m = 0; m <= NMODE; m++) r->epoch[m] += changed[m];
}

void sup_refresh_links(SupRun *r) { update_links(r, r->now); }

/* Product lost at stock s when the quake strikes: extensive or complete
 * tank damage (rupture, fire) loses what the damaged tanks can no longer
 * hold; lighter damage only limits refilling until repaired. A tank farm
 * loses only in its tanks at those states, each holding the farm's fill. */
static double tank_spill_kl(SupRun *r, int s)
{
    const World *w = r->w;
    const SupModel *m = r->m;
    double over = r->inv[s] - r->tank[s], lost = 0.0;
    if (!(over > 0)) return 0.0;
    int key = w->stock[s].facility * NCOMPKIND + COMP_TANK;
    for (int i = m->comp_off[key]; i < m->comp_off[key + 1]; i++) {
        int c = m->comp_list[i];
        double x = 0.0;
        if (dmg_is_population(&w->comp[c])) {
            for (int k = DS_EXTENSIVE; k < NDS; k++) {
                x += r->dmg->comp_share[(size_t)c * NDS + k] *
                     fmax(0.0, r->inv[s] - w->stock[s].tank_kl * world_cap_fraction(w, k));
            }
        } else if (r->rs->comp[c].ds >= DS_EXTENSIVE) {
            x = over;
        }
        lost = fmax(lost, x);
    }
    return fmin(lost, over);
}

static void update_tanks(SupRun *r, double t)
{
    const World *w = r->w;
    for (int s = 0; s < w->nstock; s++)
        r->tank[s] = w->stock[s].tank_kl * sup_comp_frac(r, w->stock[s].facility, COMP_TANK, t);
}

/* ---- trips ---------------------------------------------------------------- */

static int trip_new(SupRun *r)
{
    if (r->free_trip >= 0) {
        int i = r->free_trip;
        r->free_trip = r->trip[i].next_free;
        return i;
    }
    xgrow((void **)&r->trip, &r->captrip, r->ntrip + 1, sizeof *r->trip);
    return r->ntrip++;
}

static void trip_free(SupRun *r, int i)
{
    r->trip[i].next_free = r->free_trip;
    r->free_trip = i;
}

static double load_rate(SupRun *r, const SupTrip *tp)
{
    double rate = r->w->asset[tp->fleet].load_rate_kl_h;
    if (tp->q != SUP_Q_NONE) rate = fmin(rate, r->qrate[tp->src_fac * SUP_NQ + tp->q]);
    return rate;
}

static void start_loading(SupRun *r, int ti)
{
    SupTrip *tp = &r->trip[ti];
    double wait = r->now - tp->t_queue;
    if (tp->q == SUP_Q_RACK) { r->wait_rack_sum += wait; r->wait_rack_n++; }
    else if (tp->q == SUP_Q_BERTH || tp->q == SUP_Q_SIDING) { r->wait_berth_sum += wait; r->wait_berth_n++; }
    trace_trip(r, TRC_LOAD_START, tp, r->w->fac[tp->src_fac].id, 1, NULL, 0);
    evq_push(r->q, r->now + tp->kl / load_rate(r, tp) * load_factor(r, tp, SUP_STEP_LOAD), SUP_EV_LOAD_END, 0, ti);
}

static void on_at_source(SupRun *r, int ti)
{
    SupTrip *tp = &r->trip[ti];
    tp->t_queue = r->now;
    trace_trip(r, TRC_ARRIVE, tp, r->w->fac[tp->src_fac].id, 0, NULL, 1);
    if (tp->q == SUP_Q_NONE) { start_loading(r, ti); return; }
    int prio = 5;
    if (tp->dest_use >= 0) prio = r->prio[r->w->use[tp->dest_use].point];
    Resource *res = r->res[tp->src_fac * SUP_NQ + tp->q];
    if (res_request(res, r->now, ti, prio)) start_loading(r, ti);
}

static void on_load_end(SupRun *r, int ti)
{
    SupTrip *tp = &r->trip[ti];
    const World *w = r->w;
    r->inv[tp->src_stock] -= tp->kl;
    r->reserved[tp->src_stock] -= tp->kl;
    if (r->inv[tp->src_stock] < 0) r->inv[tp->src_stock] = 0;   /* rounding */
    assert_reserved(r, tp->src_stock);
    r->in_transit += tp->kl;
    tp->loaded = 1;
    trace_trip(r, TRC_LOAD_END, tp, w->fac[tp->src_fac].id, 1, NULL, 0);
    if (tp->q != SUP_Q_NONE) {
        int who = res_release(r->res[tp->src_fac * SUP_NQ + tp->q], r->now);
        if (who >= 0) start_loading(r, who);
    }
    const char *to = world_place_id(w, tp->dest_place);
    trace_trip(r, TRC_DEPART, tp, w->fac[tp->src_fac].id, 1, to, 0);
    /* a route closed since dispatch (a flooded end) strands the load for
     * the rest of the horizon: it stays in transit */
    double t = sup_travel_h(r, tp->fleet, tp->src_fac, tp->dest_place);
    double drive = isfinite(t) ? t * leg_factor(r, tp, SUP_STEP_OUT) : r->horizon + 1;
    evq_push(r->q, r->now + drive, SUP_EV_AT_DEST, 0, ti);
}

static void on_at_dest(SupRun *r, int ti)
{
    SupTrip *tp = &r->trip[ti];
    trace_trip(r, TRC_ARRIVE, tp, world_place_id(r->w, tp->dest_place), 1, NULL, 0);
    evq_push(r->q, r->now + tp->kl / r->w->asset[tp->fleet].load_rate_kl_h * load_factor(r, tp, SUP_STEP_UNLOAD),
             SUP_EV_UNLOAD_END, 0, ti);
}

static void on_unload_end(SupRun *r, int ti)
{
    SupTrip *tp = &r->trip[ti];
    const World *w = r->w;
    const char *at = world_place_id(w, tp->dest_place);
    r->in_transit -= tp->kl;
    if (tp->dest_use >= 0) {
        int u = tp->dest_use;
        r->ustock[u] += tp->kl;
        r->uincoming[u] -= tp->kl;
        trace_trip(r, TRC_UNLOAD, tp, at, 1, NULL, 0);
        if (r->udry[u]) {
            r->udry[u] = 0;
            trace_stock(r, r->now, TRC_REFILL, at, tp->product, r->ustock[u], 0);
        }
    } else {
        int s = tp->dest_stock;
        r->inv[s] += tp->kl;
        r->incoming[s] -= tp->kl;
        trace_trip(r, TRC_UNLOAD, tp, at, 1, NULL, 0);
    }
    r->out->trips++;
    double t = sup_travel_h(r, tp->fleet, tp->src_fac, tp->dest_place);
    evq_push(r->q, r->now + (isfinite(t) ? t * leg_factor(r, tp, SUP_STEP_BACK) : 0), SUP_EV_HOME, 0, ti);
}

static void on_home(SupRun *r, int ti)
{
    SupTrip *tp = &r->trip[ti];
    /* the unit stays at the source it loaded at: that is where the next
     * load is likely to be */
    trace_trip(r, TRC_RETURN, tp, r->w->fac[tp->src_fac].id, 0, NULL, 0);
    r->fleet_busy_h[tp->fleet] += r->now - tp->t_dispatch;
    r->busy_units--;
    tp->active = 0;
    idle_push(r, tp->fleet, tp->unit, tp->src_fac);
    trip_free(r, ti);
}

/* ---- dispatch ----------------------------------------------------------------- */

int sup_fleet_ready(SupRun *r, int a)
{
    return r->fleet_idle[a] > 0 && r->now >= r->fleet_ready_h[a];
}

/* Best idle unit of fleet a to load at facility f: the least deadhead.
 * Returns the unit's place or -1, and its deadhead hours. */
int sup_nearest_idle(SupRun *r, int a, int f, double *dead)
{
    int best = -1;
    double bt = SUP_INF;
    const Asset *as = &r->w->asset[a];
    if (r->idle_cnt[a * r->m->nplace + f] > 0) { *dead = 0; return f; }   /* none nearer */
    /* one path table for all idle places (air has none) */
    const double *d = as->mode == MODE_AIR ? NULL : paths_from(r, a, f);
    double scale = as->mode == MODE_SEA ? 1.0 / as->speed_kmh : 1.0;
    for (int i = 0; i < r->nidle_places[a]; i++) {
        int p = r->idle_places[a][i];
        double t = p == f ? 0 : d ? d[p] * scale : sup_travel_h(r, a, f, p);
        if (t < bt || (t == bt && p < best)) { bt = t; best = p; }
    }
    *dead = bt;
    return isfinite(bt) ? best : -1;
}

void sup_dispatch_trip(SupRun *r, int a, int unit_place, double dead, int f, int q,
                          int product, double kl, int dest_place, int dest_use, int dest_stock)
{
    const World *w = r->w;
    int unit = idle_pop(r, a, unit_place);
    int ti = trip_new(r);
    SupTrip *tp = &r->trip[ti];
    memset(tp, 0, sizeof *tp);
    tp->fleet = a; tp->unit = unit; tp->product = product; tp->kl = kl;
    tp->src_fac = f; tp->src_stock = r->m->stock_of[f * NPROD + product];
    tp->dest_place = dest_place; tp->dest_use = dest_use; tp->dest_stock = dest_stock;
    tp->q = q;
    tp->t_dispatch = r->now;
    tp->next_free = -1;
    tp->active = 1;
    tp->seq = r->unit_trips[unit]++;
    r->reserved[tp->src_stock] += kl;
    assert_reserved(r, tp->src_stock);
    if (dest_use >= 0) r->uincoming[dest_use] += kl;
    else r->incoming[dest_stock] += kl;
    r->busy_units++;
    trace_trip(r, TRC_DISPATCH, tp, w->fac[f].id, 1, world_place_id(w, dest_place), 0);
    evq_push(r->q, r->now + dead * leg_factor(r, tp, SUP_STEP_DEAD), SUP_EV_AT_SOURCE, 0, ti);
}

double sup_available_kl(SupRun *r, int f, int product)
{
    int s = r->m->stock_of[f * NPROD + product];
    return s < 0 ? 0 : r->inv[s] - r->reserved[s];
}

/* Request fleet a: ready after its lead time, unless it was asked already
 * (by the chain or a player's decision) or needs no asking. */
static void request_fleet(SupRun *r, int a)
{
    const Asset *as = &r->w->asset[a];
    if (as->lead_time_h <= 0 || as->count == 0 || isfinite(r->fleet_ready_h[a])) return;
    r->fleet_ready_h[a] = r->now + as->lead_time_h;
    trace_item(r, TRC_MOBILISE, world_place_id(r->w, as->home), as->id);
    evq_push(r->q, r->fleet_ready_h[a], SUP_EV_MOBILISED, a, 0);
}

/* Ask PAJ and SDF to mobilise: their units become available after their
 * lead times. Done once, the first time a priority request goes unserved. */
static void mobilise_fleets(SupRun *r, int paj)
{
    const World *w = r->w;
    for (int a = 0; a < w->nasset; a++)
        if (!w->wk.chain || paj == (w->asset[a].type == ASSET_LORRY_PAJ)) request_fleet(r, a);
}

void sup_mobilise(SupRun *r)
{
    if (r->mobilise_requested) return;
    r->mobilise_requested = 1;
    if (r->sdf_from > r->now) r->sdf_from = r->now;
    mobilise_fleets(r, 0);
}

int sup_fleet_may_serve(SupRun *r, int a, int u)
{
    const World *w = r->w;
    if (!sup_fleet_reserve_ok(r, a, u)) return 0;
    if (!w->wk.chain || w->asset[a].type != ASSET_LORRY_PAJ) return 1;
    return w->dem[w->use[u].point].priority <= w->wk.chain_max_class && r->now >= r->room_t[u];
}

/* Serve one delivery to demand use u (greedy): the nearest working source
 * by road that holds the product, with the closest idle lorry; helicopters
 * for class 1-2 when no road source is reachable. Returns kL sent or 0. */
static double serve_use(SupRun *r, int u, double want)
{
    const World *w = r->w;
    const SupModel *m = r->m;
    const Consumption *c = &w->use[u];
    int dest = w->nfac + c->point;
    int prio = r->prio[c->point];
    unsigned bit = 1u << c->product;
    if (!rst_place_accessible(r->rs, dest, r->now)) return 0;

    /* road fleets that could go now; none: skip the source search. (Keeping
     * SDF trucks for classes 1-2 only was tried: it raised the mean weighted
     * shortfall of the embedded scenario by 1,339 +- 258 over 200 paired
     * replicates, so every fleet serves every class.) */
    int nfl = 0;
    for (int a = 0; a < w->nasset; a++)
        if (w->asset[a].mode == MODE_ROAD && (w->asset[a].products & bit) && sup_fleet_ready(r, a) &&
            sup_fleet_may_serve(r, a, u))
            r->cand_a[nfl++] = a;

    /* The nearest working source by road holding the product; there, the
     * fleet whose unit spends the fewest hours per kL delivered (deadhead,
     * both ways, loading and unloading); remaining ties go to the lower
     * facility, then fleet index. */
    int best_f = -1, best_a = -1, best_p = -1;
    double best_t = SUP_INF, best_dead = 0, best_score = SUP_INF;
    /* candidate sources sorted by (road time, index): the search stops at
     * the first source farther than the best found */
    int ns = 0;
    for (int i = m->src_off[c->product]; nfl && i < m->src_off[c->product + 1]; i++) {
        int f = m->src_list[i];
        if (sup_available_kl(r, f, c->product) < fmin(want, SUP_MIN_LOAD_KL)) continue;
        if (!r->res[f * SUP_NQ + SUP_Q_RACK] || res_servers(r->res[f * SUP_NQ + SUP_Q_RACK]) == 0) continue;
        /* with a permit: no fleet is faster (the search's lower bound) */
        double t = paths_mode(r, MODE_ROAD, 0, f)[dest];
        if (!isfinite(t)) continue;
        int j = ns++;
        while (j > 0 && r->cand_t[j - 1] > t) {
            r->cand_t[j] = r->cand_t[j - 1];
            r->cand_f[j] = r->cand_f[j - 1];
            j--;
        }
        r->cand_t[j] = t;
        r->cand_f[j] = f;
    }
    for (int i = 0; i < ns; i++) {
        int f = r->cand_f[i];
        double t = r->cand_t[i];
        if (t > best_t) break;
        for (int k = 0; k < nfl; k++) {
            int a = r->cand_a[k];
            double dead;
            /* PAJ lorries load at the plan's designated depots */
            if (w->wk.chain && w->asset[a].type == ASSET_LORRY_PAJ && !m->designated[f]) continue;
            double ta = sup_fleet_permitted(r, a, r->now) ? t : sup_travel_h(r, a, f, dest);
            if (!isfinite(ta)) continue;
            int p = sup_nearest_idle(r, a, f, &dead);
            if (p < 0) continue;
            /* at one source, the unit that delivers most per hour of its
             * time: small trucks would hold racks for little fuel */
            double cap = fmin(w->asset[a].capacity_kl, want);
            double score = (dead + 2 * ta + 2 * cap / w->asset[a].load_rate_kl_h) / cap;
            if (ta < best_t || score < best_score) {
                best_t = ta; best_f = f; best_a = a; best_p = p; best_dead = dead; best_score = score;
            }
        }
    }
    int q = SUP_Q_RACK;
    if (best_f < 0 && prio <= 2) {
        /* by air: any working source, the straight line */
        for (int i = m->src_off[c->product]; i < m->src_off[c->product + 1]; i++) {
            int f = m->src_list[i];
            if (!sup_fac_working(r, f, r->now)) continue;
            if (sup_available_kl(r, f, c->product) < fmin(want, SUP_MIN_LOAD_KL)) continue;
            for (int a = 0; a < w->nasset; a++) {
                const Asset *as = &w->asset[a];
                if (as->mode != MODE_AIR || !(as->products & bit) || !sup_fleet_ready(r, a) ||
                    !sup_fleet_reserve_ok(r, a, u))
                    continue;
                double t = sup_travel_h(r, a, f, dest), dead;
                int p = sup_nearest_idle(r, a, f, &dead);
                if (p >= 0 && t + dead < best_t) { best_t = t + dead; best_f = f; best_a = a; best_p = p; best_dead = dead; }
            }
        }
        q = SUP_Q_NONE;
    }
    if (best_f < 0) return 0;
    double kl = fmin(want, w->asset[best_a].capacity_kl);
    kl = fmin(kl, sup_available_kl(r, best_f, c->product));
    if (kl < SUP_MIN_LOAD_KL && kl < want) return 0;
    sup_dispatch_trip(r, best_a, best_p, best_dead, best_f, q, c->product, kl, dest, u, -1);
    return kl;
}

/* Bulk resupply of depot stock row s by ship (berths) or train (sidings),
 * from the nearest refinery or terminal with the product. */
static double serve_depot(SupRun *r, int s, double want)
{
    const World *w = r->w;
    const SupModel *m = r->m;
    int dest = w->stock[s].facility, product = w->stock[s].product;
    if (!sup_fac_working(r, dest, r->now)) return 0;
    int best_f = -1, best_a = -1, best_p = -1, best_q = 0;
    double best_t = SUP_INF, best_dead = 0;
    for (int a = 0; a < w->nasset; a++) {
        const Asset *as = &w->asset[a];
        if ((as->mode != MODE_SEA && as->mode != MODE_RAIL) || !(as->products & (1u << product)) || !sup_fleet_ready(r, a) ||
            !sup_fleet_reserve_ok(r, a, -1))
            continue;
        int q = as->mode == MODE_SEA ? SUP_Q_BERTH : SUP_Q_SIDING;
        /* the depot must be able to receive by this mode */
        if (sup_q_servers(r, dest, q, r->now) == 0) continue;
        for (int f = 0; f < w->nfac; f++) {
            if (f == dest || m->stock_of[f * NPROD + product] < 0) continue;
            if (!r->res[f * SUP_NQ + q] || res_servers(r->res[f * SUP_NQ + q]) == 0) continue;
            if (sup_available_kl(r, f, product) < fmin(want, as->capacity_kl)) continue;
            double t = sup_travel_h(r, a, f, dest);
            if (!isfinite(t) || t > best_t) continue;
            double dead;
            int p = sup_nearest_idle(r, a, f, &dead);
            if (p < 0) continue;
            if (t < best_t || dead < best_dead) {
                best_t = t; best_f = f; best_a = a; best_p = p; best_dead = dead; best_q = q;
            }
        }
    }
    if (best_f < 0) return 0;
    double kl = fmin(fmin(want, w->asset[best_a].capacity_kl), sup_available_kl(r, best_f, product));
    if (kl < SUP_MIN_LOAD_KL) return 0;
    sup_dispatch_trip(r, best_a, best_p, best_dead, best_f, best_q, product, kl, dest, -1, s);
    return kl;
}

static int req_cmp(const void *x, const void *y)
{
    const SupReq *a = x, *b = y;
    if (a->cls != b->cls) return a->cls - b->cls;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    if (a->depot != b->depot) return a->depot - b->depot;
    return a->idx - b->idx;
}

void sup_dispatch_greedy(SupRun *r, SupReq *reqs)
{
    const World *w = r->w;
    int n = 0;
    for (int u = 0; u < w->nuse; u++)
        if (r->ureq_t[u] >= 0) reqs[n++] = (SupReq){r->prio[w->use[u].point], r->ureq_t[u], u, 0};
    for (int s = 0; s < w->nstock; s++)
        if (r->dreq_t[s] >= 0) reqs[n++] = (SupReq){NCLASS + 1, r->dreq_t[s], s, 1};
    qsort(reqs, (size_t)n, sizeof *reqs, req_cmp);
    for (int i = 0; i < n; i++) {
        const SupReq *q = &reqs[i];
        if (!q->depot) {
            int u = q->idx;
            double want = w->use[u].storage_kl - r->ustock[u] - r->uincoming[u];
            int k = 0;
            while (want >= SUP_MIN_LOAD_KL && k++ < SUP_MAX_TRIPS_PER_REQ) {
                double kl = serve_use(r, u, want);
                if (kl <= 0) break;
                want -= kl;
            }
            double thr = w->request_threshold_d * w->use[u].use_kl_d;
            if (r->ustock[u] + r->uincoming[u] >= thr - 1e-9) r->ureq_t[u] = -1;
            else if (q->cls <= 2 && r->now - q->t >= SUP_MOBILISE_AFTER_H) sup_mobilise(r);
        } else {
            int s = q->idx;
            double want = r->tank[s] - r->inv[s] - r->incoming[s];
            int k = 0;
            while (want >= SUP_MIN_LOAD_KL && k++ < SUP_MAX_TRIPS_PER_REQ) {
                double kl = serve_depot(r, s, want);
                if (kl <= 0) break;
                want -= kl;
            }
            if (r->inv[s] + r->incoming[s] >= SUP_DEPOT_REORDER * r->tank[s]) r->dreq_t[s] = -1;
        }
    }
}

/* ---- the first week: demand, the chain of requests, the SDF ---------------- */

/* Demand of row u at t as a multiple of its normal use: the day's factor,
 * and the panic surge at service stations (class 4 gasoline) from the
 * morning after the quake (2011: queues from 12-13 Mar). */
static double demand_factor(SupRun *r, int u, double t)
{
    const World *w = r->w;
    if (!w->wk.variability) return 1.0;
    double f = r->dem_mult[u];
    const Consumption *c = &w->use[u];
    if (c->product == PROD_GASOLINE && w->dem[c->point].priority == NCLASS && t >= 12.0 && t < r->panic_end_h)
        f *= r->panic_mult;
    return f;
}

/* A priority request travels prefecture -> agency -> joint operations
 * room; PAJ lorries take it from there. */
static void relay_request(SupRun *r, int u, double t)
{
    const World *w = r->w;
    if (!w->wk.chain || r->m->quake < 0) return;
    if (w->dem[w->use[u].point].priority > w->wk.chain_max_class) { r->room_t[u] = SUP_INF; return; }
    /* keyed by the row and its request number: a request raised earlier,
     * later or not at all elsewhere shifts no other request's delays */
    uint64_t n = (uint64_t)r->relay_n[u]++;
    double u1 = rng_keyed_uniform_pos(&r->kchain, (uint64_t)u, 2 * n);
    double u2 = rng_keyed_uniform_pos(&r->kchain, (uint64_t)u, 2 * n + 1);
    double d = rst_range_draw(&w->wk.prefecture_to_agency_h, u1) + rst_range_draw(&w->wk.agency_to_room_h, u2);
    r->room_t[u] = fmax(t + d, r->t_room);
    if (r->room_t[u] <= r->horizon) evq_push(r->q, r->room_t[u], SUP_EV_CHAIN, SUP_CH_RELAY, u);
}

/* The SDF's own vehicles draw fuel at the designated depots (in list
 * order) once the SDF is asked; what is not there is not drawn. */
static void sdf_draw(SupRun *r, double t)
{
    const World *w = r->w;
    if (!w->wk.chain || t < r->sdf_from) return;
    for (int p = 0; p < NPROD; p++) {
        double want = w->wk.sdf_draw_kl_d[p] / 24.0;
        for (int i = 0; i < w->wk.ndesignated && want > 1e-12; i++) {
            int f = w->wk.designated[i], s = r->m->stock_of[f * NPROD + p];
            if (s < 0 || !sup_fac_working(r, f, t)) continue;
            double take = fmin(want, fmax(0.0, r->inv[s] - r->reserved[s]));
            r->inv[s] -= take;
            want -= take;
            r->out->balance.consumed_kl += take;
            r->out->wk_sdf_drawn_kl += take;
            assert_reserved(r, s);
        }
    }
}

/* A chain event: the ministry's request, the room opening, the stockpile
 * released, a request relayed, a direction's first route open, a fleet's
 * passage permits, the end of traffic control. Permits and the end of
 * control change nothing here (sup_fleet_permitted reads the clock): the
 * rows tell the drill and the reader when they happen. */
static void on_chain(SupRun *r, int what, int b)
{
    const World *w = r->w;
    SupResult *o = r->out;
    TrcRow row = trc_row(r->now, TRC_MINISTRY_REQUEST, "");
    switch (what) {
    case SUP_CH_MINISTRY: o->wk_ministry_h = r->now; trace(r, &row); break;
    case SUP_CH_ROOM: o->wk_room_h = r->now; row.kind = TRC_JOINT_ROOM; trace(r, &row); break;
    case SUP_CH_STOCKPILE:
        o->wk_stockpile_h = r->now;
        for (int s = 0; s < w->nstock; s++) {
            if (r->locked[s] <= 0) continue;
            r->inv[s] += r->locked[s];
            o->wk_stockpile_kl += r->locked[s];
            trace_stock(r, r->now, TRC_STOCKPILE, w->fac[w->stock[s].facility].id, w->stock[s].product,
                        r->locked[s], 0);
            r->locked[s] = 0;
        }
        break;
    case SUP_CH_RELAY:
        /* a stale relay: the request was served or raised again since */
        if (r->ureq_t[b] < 0 || r->room_t[b] != r->now) break;
        if (o->wk_first_relay_h >= SUP_NEVER_H) o->wk_first_relay_h = r->now;
        trace_stock(r, r->now, TRC_RELAY, w->dem[w->use[b].point].id, w->use[b].product,
                    fmax(0.0, w->use[b].storage_kl - r->ustock[b] - r->uincoming[b]), 0);
        if (!r->paj_mobilised) { r->paj_mobilised = 1; mobilise_fleets(r, 1); }
        break;
    case SUP_CH_ROUTE: trace_item(r, TRC_ROUTE_OPEN, "", rst_dir_name[b]); break;
    case SUP_CH_PERMIT: trace_item(r, TRC_PERMIT, "", w->asset[b].id); break;
    case SUP_CH_CONTROL_END: row.kind = TRC_CONTROL_END; trace(r, &row); break;
    default: break;
    }
}

static double finite_or_never(double t);

/* The national product stockpile: stockpile_days of the normal demand of
 * each product, held at the designated depots that stock it (split evenly,
 * outside their working tanks) until its release. */
static void stockpile_lock(SupRun *r)
{
    const World *w = r->w;
    for (int p = 0; p < NPROD; p++) {
        double need = 0;
        for (int u = 0; u < w->nuse; u++)
            if (w->use[u].product == p && w->use[u].when == USE_ALWAYS) need += w->use[u].use_kl_d;
        int n = 0;
        for (int i = 0; i < w->wk.ndesignated; i++) n += r->m->stock_of[w->wk.designated[i] * NPROD + p] >= 0;
        for (int i = 0; i < w->wk.ndesignated && n > 0; i++) {
            int s = r->m->stock_of[w->wk.designated[i] * NPROD + p];
            if (s < 0) continue;
            r->locked[s] = w->wk.stockpile_days * need / n;
            r->out->balance.initial_inventory_kl += r->locked[s];
        }
    }
}

/* Draws and events of the first week at the start of a run. */
static void first_week_start(SupRun *r, uint64_t seed, uint64_t rep)
{
    const World *w = r->w;
    const FirstWeek *k = &w->wk;
    SupResult *o = r->out;
    rng_init(&r->rdem, seed, rep, RNG_DEMAND);
    rng_init(&r->rchain, seed, rep, RNG_CHAIN);
    rng_key_init(&r->kchain, seed, rep, RNG_CHAIN);
    for (int u = 0; u < w->nuse; u++) { r->dem_mult[u] = 1.0; r->room_t[u] = SUP_INF; }
    r->panic_mult = rst_range_draw(&k->panic_multiplier, rng_uniform_pos(&r->rdem));
    r->panic_end_h = 12.0 + 24.0 * rst_range_draw(&k->panic_days, rng_uniform_pos(&r->rdem));
    if (r->m->quake < 0) r->panic_end_h = 0;   /* no quake, no panic */
    double u1 = rng_uniform_pos(&r->rchain), u2 = rng_uniform_pos(&r->rchain), u3 = rng_uniform_pos(&r->rchain);
    r->t_ministry = r->t_room = r->t_stockpile = SUP_INF;
    r->sdf_from = SUP_INF;
    o->wk_ministry_h = o->wk_room_h = o->wk_first_relay_h = o->wk_stockpile_h = SUP_NEVER_H;
    for (int d = 0; d < SUP_NDIR; d++) o->wk_dir_open_h[d] = finite_or_never(r->rs->dir_open_h[d]);
    if (k->roads && r->m->quake >= 0)
        for (int d = 0; d < SUP_NDIR; d++)
            if (r->rs->dir_open_h[d] > 0 && r->rs->dir_open_h[d] <= r->horizon)
                evq_push(r->q, r->rs->dir_open_h[d], SUP_EV_CHAIN, SUP_CH_ROUTE, d);
    if (k->permits && r->m->quake >= 0) {
        double end = w->wk.traffic_control_h;
        for (int a = 0; a < w->nasset; a++)
            if (w->asset[a].mode == MODE_ROAD && w->asset[a].permit_h > 0 && w->asset[a].permit_h < end &&
                w->asset[a].permit_h <= r->horizon)
                evq_push(r->q, w->asset[a].permit_h, SUP_EV_CHAIN, SUP_CH_PERMIT, a);
        if (end > 0 && end <= r->horizon) evq_push(r->q, end, SUP_EV_CHAIN, SUP_CH_CONTROL_END, 0);
    }
    if (!k->chain || r->m->quake < 0) return;
    r->t_ministry = rst_range_draw(&k->ministry_request_h, u1);
    r->t_room = r->t_ministry + rst_range_draw(&k->joint_room_after_h, u2);
    r->t_stockpile = rst_range_draw(&k->stockpile_release_h, u3);
    if (r->t_ministry <= r->horizon) evq_push(r->q, r->t_ministry, SUP_EV_CHAIN, SUP_CH_MINISTRY, 0);
    if (r->t_room <= r->horizon) evq_push(r->q, r->t_room, SUP_EV_CHAIN, SUP_CH_ROOM, 0);
    if (r->t_stockpile <= r->horizon) evq_push(r->q, r->t_stockpile, SUP_EV_CHAIN, SUP_CH_STOCKPILE, 0);
    stockpile_lock(r);
}

/* ---- the hourly tick ----------------------------------------------------------- */

static void tick(SupRun *r, int h, SupReq *reqs)
{
    const World *w = r->w;
    const SupModel *m = r->m;
    double t = h;
    SupResult *o = r->out;

    update_links(r, t);
    update_tanks(r, t);
    update_resources(r, t);
    if (w->wk.variability && h % 24 == 0)
        for (int u = 0; u < w->nuse; u++)
            r->dem_mult[u] = rst_range_draw(&w->wk.demand_factor, rng_uniform_pos(&r->rdem));

    /* production for [t, t+1) */
    for (int s = 0; s < w->nstock; s++) {
        const Stock *st = &w->stock[s];
        if (st->output_kl_d <= 0) continue;
        int f = st->facility;
        double x = sup_fac_working(r, f, t) ? sup_comp_frac(r, f, COMP_PROCESS, t) : 0;
        double add = fmin(st->output_kl_d / 24.0 * x, fmax(0, r->tank[s] - r->inv[s]));
        r->inv[s] += add;
        o->balance.produced_kl += add;
    }

    /* consumption for [t, t+1) */
    double need[NCLASS] = {0}, served[NCLASS] = {0};
    for (int d = 0; d < w->ndem; d++) {
        int cls = w->dem[d].priority - 1;
        int dry_point = 0;
        int grid_down = !rst_area_has_power(r->rs, w->dem[d].area, t);
        for (int i = m->use_off[d]; i < m->use_off[d + 1]; i++) {
            int u = m->use_list[i];
            const Consumption *c = &w->use[u];
            int active = c->when == USE_ALWAYS || grid_down;
            r->uactive[u] = (unsigned char)active;
            if (!active) {
                r->udry[u] = 0;
                if (r->ureq_t[u] >= 0 && r->uincoming[u] <= 0) r->ureq_t[u] = -1;
                continue;
            }
            double want = c->use_kl_d / 24.0 * demand_factor(r, u, t);
            double got = fmin(want, r->ustock[u]);
            r->ustock[u] -= got;
            o->balance.consumed_kl += got;
            need[cls] += want;
            served[cls] += got;
            double short_kl = want - got;
            if (short_kl > 1e-12) {
                o->unserved_kl[c->product][cls] += short_kl;
                dry_point = 1;
                if (!r->udry[u]) {
                    r->udry[u] = 1;
                    trace_stock(r, t, TRC_DRY, w->dem[d].id, c->product, 0, 0);
                }
            }
            double thr = w->request_threshold_d * c->use_kl_d;
            if (r->ureq_t[u] < 0 && r->ustock[u] + r->uincoming[u] < thr - 1e-9) {
                r->ureq_t[u] = t;
                trace_stock(r, t, TRC_REQUEST, w->dem[d].id, c->product,
                            c->storage_kl - r->ustock[u] - r->uincoming[u], 0);
                relay_request(r, u, t);
            }
        }
        if (cls == 0 && dry_point) o->dry_hours_class1 += 1;
    }

    sdf_draw(r, t);

    /* depots below their reorder level ask for bulk deliveries */
    for (int s = 0; s < w->nstock; s++) {
        const Stock *st = &w->stock[s];
        FacKind k = w->fac[st->facility].kind;
        if (k != FAC_OIL_TERMINAL && k != FAC_INLAND_DEPOT) continue;
        if (r->dreq_t[s] < 0 && r->inv[s] + r->incoming[s] < SUP_DEPOT_REORDER * r->tank[s]) {
            r->dreq_t[s] = t;
            trace_stock(r, t, TRC_REQUEST, w->fac[st->facility].id, st->product,
                        r->tank[s] - r->inv[s] - r->incoming[s], 1);
        }
    }

    if (r->policy == SUP_OPTIMISE && r->opt->planner)
        r->opt->planner(r->opt->planner_ctx, r);
    sup_dispatch_greedy(r, reqs);

    /* hourly series */
    double nall = 0, sall = 0;
    for (int k = 0; k < NCLASS; k++) {
        o->served[k][h] = need[k] > 0 ? served[k] / need[k] : 1.0;
        nall += need[k];
        sall += served[k];
    }
    o->served_all[h] = nall > 0 ? sall / nall : 1.0;
    for (int s = 0; s < w->nstock; s++) o->inv_by_kind[w->fac[w->stock[s].facility].kind][h] += r->inv[s];
    o->assets_busy[h] = r->busy_units;
}

/* ---- players' decisions (live drills, issue 18) ------------------------------------ */

/* Release kl of the national stockpile held at stock row s (or of what is
 * held there); with no stockpile there, the kL come from reserves outside
 * the scenario, up to the free tank space. Returns the kL released. */
static double release_stock(SupRun *r, int s, double kl)
{
    double take = fmin(kl, r->locked[s]);
    r->locked[s] -= take;
    if (take <= 0) {
        take = fmax(0.0, fmin(kl, r->tank[s] - r->inv[s]));
        r->out->balance.produced_kl += take;   /* enters the chain as production does */
    } else {
        r->out->wk_stockpile_kl += take;
    }
    r->inv[s] += take;
    return take;
}

/* The whole national stockpile: kl over its depots, pro rata to what each holds. */
static double release_stockpile(SupRun *r, double kl)
{
    double held = 0, got = 0;
    for (int s = 0; s < r->w->nstock; s++) held += r->locked[s];
    if (held <= 0) return 0;
    double frac = fmin(1.0, kl / held);
    for (int s = 0; s < r->w->nstock; s++)
        if (r->locked[s] > 0) got += release_stock(r, s, r->locked[s] * frac);
    return got;
}

/* Apply decision i now and record it in the trace, before the request of
 * a fleet it causes. */
static void apply_decision(SupRun *r, int i)
{
    const World *w = r->w;
    const SupDecision *d = &r->dec[i];
    TrcRow row = trc_row(r->now, TRC_DECISION, "");
    row.dec_no = i + 1;
    row.action = d->action;
    r->ndecided++;
    char target[256];
    target[0] = 0;
    switch (d->action) {
    case TRC_ACT_MOBILISE:
    case TRC_ACT_RESERVE:
        snprintf(target, sizeof target, "%s", w->asset[d->target].id);
        row.place = world_place_id(w, w->asset[d->target].home);
        if (d->action == TRC_ACT_RESERVE) r->fleet_max_class[d->target] = d->cls;
        row.value = d->cls;
        break;
    case TRC_ACT_PRIORITY:
        snprintf(target, sizeof target, "%s", w->dem[d->target].id);
        row.place = w->dem[d->target].id;
        r->prio[d->target] = d->cls;
        row.value = d->cls;
        break;
    case TRC_ACT_CLOSE:
    case TRC_ACT_OPEN:
        snprintf(target, sizeof target, "%s", w->link[d->target].id);
        row.place = world_place_id(w, w->link[d->target].from);
        r->link_force[d->target] = d->action == TRC_ACT_CLOSE ? SUP_LINK_CLOSED : SUP_LINK_OPEN;
        update_links(r, r->now);
        break;
    case TRC_ACT_RELEASE:
        row.value = d->kl;
        if (d->target < 0) {
            snprintf(target, sizeof target, "stockpile");
            row.kl = release_stockpile(r, d->kl);
        } else {
            const Stock *st = &w->stock[d->target];
            snprintf(target, sizeof target, "%s:%s", w->fac[st->facility].id, world_product_name[st->product]);
            row.place = w->fac[st->facility].id;
            row.product = st->product;
            row.kl = release_stock(r, d->target, d->kl);
        }
        break;
    case TRC_ACT_POLICY:
        /* optimise without a planner stays greedy: the caller gives one */
        r->policy = d->policy;
        row.value = d->policy;
        break;
    default: break;
    }
    row.item = target;
    trace(r, &row);
    if (d->action == TRC_ACT_MOBILISE) request_fleet(r, d->target);
}

/* ---- the run --------------------------------------------------------------------- */

static void result_alloc(SupResult *o, const World *w, int nh)
{
    memset(o, 0, sizeof *o);
    o->nhours = nh;
    for (int k = 0; k < NCLASS; k++) o->served[k] = xcalloc((size_t)nh, sizeof(double));
    o->served_all = xcalloc((size_t)nh, sizeof(double));
    for (int k = 0; k < NFACKIND; k++) o->inv_by_kind[k] = xcalloc((size_t)nh, sizeof(double));
    o->assets_busy = xcalloc((size_t)nh, sizeof(double));
    o->comp_ds = xcalloc((size_t)w->ncomp + 1, 1);
    o->comp_restore_h = xcalloc((size_t)w->ncomp + 1, sizeof(double));
    o->fac_restore_h = xcalloc((size_t)w->nfac + 1, sizeof(double));
    o->asset_util = xcalloc((size_t)w->nasset + 1, sizeof(double));
}

void sup_result_free(SupResult *o)
{
    if (!o) return;
    for (int k = 0; k < NCLASS; k++) free(o->served[k]);
    free(o->served_all);
    for (int k = 0; k < NFACKIND; k++) free(o->inv_by_kind[k]);
    free(o->assets_busy);
    free(o->comp_ds);
    free(o->comp_restore_h);
    free(o->fac_restore_h);
    free(o->asset_util);
    memset(o, 0, sizeof *o);
}

static double finite_or_never(double t)
{
    return isfinite(t) ? fmin(t, SUP_NEVER_H) : SUP_NEVER_H;
}

/* The quake's own trace rows: the shock, damage, and when things come back. */
static void trace_outcome(SupRun *r)
{
    const World *w = r->w;
    const RstSchedule *rs = r->rs;
    if (r->m->quake < 0) return;
    const Earthquake *q = &w->quake[r->m->quake];
    TrcRow row = trc_row(0, TRC_EARTHQUAKE, "");
    row.item = q->id;
    row.mw = q->mw;
    trace(r, &row);
    for (int c = 0; c < w->ncomp; c++) {
        const RstItem *it = &rs->comp[c];
        if (it->ds == DS_NONE && it->gate == RST_GATE_NONE) continue;
        row = trc_row(0, TRC_DAMAGE, w->fac[w->comp[c].facility].id);
        row.item = w->comp[c].id;
        row.comp_kind = (int)w->comp[c].kind;
        row.ds = (int)it->ds;
        row.cap = rst_step_at(&it->cap, 0);
        row.gate = (int)it->gate;
        trace(r, &row);
        if (it->full_h > 0 && it->full_h <= r->horizon)
            evq_push(r->q, it->full_h, SUP_EV_RESTORED, 0, c);
    }
    for (int l = 0; l < w->nlink; l++) {
        const RstItem *it = &rs->link[l];
        if (it->usable_h <= 0) continue;
        row = trc_row(0, TRC_DAMAGE, world_place_id(w, w->link[l].from));
        row.item = w->link[l].id;
        row.is_link = 1;
        row.mode = (int)w->link[l].mode;
        row.gate = (int)it->gate;
        trace(r, &row);
        if (it->usable_h <= r->horizon) evq_push(r->q, it->usable_h, SUP_EV_RESTORED, 1, l);
    }
    /* Fires break out with the damage (issue 14): the site is shut until
     * the regulator lets it restart (restore.h fac_fire_back_h). */
    for (int f = 0; f < w->nfac; f++) {
        if (!(rs->fac_fire_back_h[f] > 0)) continue;
        row = trc_row(0, TRC_FIRE, w->fac[f].id);
        row.out_h = rs->fac_fire_out_h[f];
        row.back_h = rs->fac_fire_back_h[f];
        trace(r, &row);
    }
}

static void run_events(SupRun *r, SupReq *reqs)
{
    Event ev;
    const World *w = r->w;
    while (evq_pop_until(r->q, r->horizon, &ev)) {
        assert(ev.time >= r->now);   /* the queue never goes back in time */
        r->now = ev.time;
        /* not counted: an empty decisions file and a plain run agree */
        if (ev.type == SUP_EV_DECISION) { apply_decision(r, (int)ev.b); continue; }
        r->events++;
        switch (ev.type) {
        case SUP_EV_TICK:
            assert_idle(r);
            tick(r, ev.a, reqs);
            if (r->stop) return;
            if (ev.a + 1 < r->out->nhours) evq_push(r->q, ev.a + 1, SUP_EV_TICK, ev.a + 1, 0);
            break;
        case SUP_EV_AT_SOURCE:  on_at_source(r, (int)ev.b); break;
        case SUP_EV_LOAD_END:   on_load_end(r, (int)ev.b); break;
        case SUP_EV_AT_DEST:    on_at_dest(r, (int)ev.b); break;
        case SUP_EV_UNLOAD_END: on_unload_end(r, (int)ev.b); break;
        case SUP_EV_HOME:       on_home(r, (int)ev.b); break;
        case SUP_EV_MOBILISED: {
            const Asset *as = &w->asset[ev.a];
            trace_item(r, TRC_MOBILISED, world_place_id(w, as->home), as->id);
            break;
        }
        case SUP_EV_CHAIN: on_chain(r, ev.a, (int)ev.b); break;
        case SUP_EV_RESTORED:
            if (ev.a == 0)
                trace_item(r, TRC_RESTORATION, w->fac[w->comp[ev.b].facility].id, w->comp[ev.b].id);
            else
                trace_item(r, TRC_RESTORATION, world_place_id(w, w->link[ev.b].from), w->link[ev.b].id);
            break;
        default: break;
        }
    }
}

static void run_free(SupRun *r)
{
    const World *w = r->w;
    evq_free(r->q);
    if (r->hs != r->m->shaking) haz_sample_free(r->hs);
    dmg_outcome_free(r->dmg);
    rst_schedule_free(r->rs);
    free(r->inv); free(r->reserved); free(r->incoming); free(r->tank);
    free(r->dem_mult); free(r->room_t); free(r->locked);
    free(r->ustock); free(r->uincoming); free(r->ureq_t); free(r->udry); free(r->uactive); free(r->dreq_t);
    if (r->res) for (int i = 0; i < w->nfac * SUP_NQ; i++) res_free(r->res[i]);
    free(r->res); free(r->qrate);
    free(r->unit_place); free(r->unit_busy); free(r->unit_next); free(r->unit_trips); free(r->relay_n); free(r->idle_head); free(r->idle_cnt);
    for (int a = 0; a < w->nasset; a++) { free(r->idle_places[a]); free(r->idle_pos[a]); }
    free(r->idle_places); free(r->idle_pos); free(r->nidle_places); free(r->fleet_idle);
    free(r->fleet_ready_h); free(r->fleet_busy_h);
    free(r->trip);
    free(r->cand_a);
    free(r->cand_f);
    free(r->cand_t);
    free(r->road_t); free(r->sea_km); free(r->rail_t);
    free(r->road_epoch); free(r->sea_epoch); free(r->rail_epoch);
    free(r->link_factor); free(r->link_factor_np); free(r->road_np_t); free(r->road_np_epoch);
    free(r->heap_key); free(r->heap); free(r->heap_pos);
    free(r->prio); free(r->fleet_max_class); free(r->link_force);
}

/* Queues at racks, berths and sidings; idle units at their home bases; the
 * path tables. */
static void run_alloc(SupRun *r)
{
    const World *w = r->w;
    const SupModel *m = r->m;
    int np = m->nplace;
    r->res = xcalloc((size_t)w->nfac * SUP_NQ + 1, sizeof *r->res);
    r->qrate = xcalloc((size_t)w->nfac * SUP_NQ + 1, sizeof *r->qrate);
    for (int f = 0; f < w->nfac; f++)
        for (int q = 0; q < SUP_Q_NONE; q++) {
            int key = f * NCOMPKIND + q_comp_kind[q];
            if (m->comp_off[key] == m->comp_off[key + 1]) continue;
            double rate = 0;
            for (int i = m->comp_off[key]; i < m->comp_off[key + 1]; i++)
                rate = fmax(rate, w->comp[m->comp_list[i]].rate_kl_h);
            r->qrate[f * SUP_NQ + q] = rate > 0 ? rate : SUP_INF;
            r->res[f * SUP_NQ + q] = res_new(0, RES_PRIORITY, 0);
        }

    int nun = m->nunit + 1;
    r->unit_place = xcalloc((size_t)nun, sizeof(int)); r->unit_busy = xcalloc((size_t)nun, 1);
    r->unit_next = xcalloc((size_t)nun, sizeof(int)); r->unit_trips = xcalloc((size_t)nun, sizeof(int));
    r->relay_n = xcalloc((size_t)w->nuse + 1, sizeof(int));
    size_t nap = (size_t)w->nasset * np + 1;
    r->idle_head = xmalloc(nap * sizeof(int));
    for (size_t i = 0; i < nap; i++) r->idle_head[i] = -1;
    r->idle_cnt = xcalloc(nap, sizeof(int));
    r->idle_places = xcalloc((size_t)w->nasset + 1, sizeof *r->idle_places);
    r->idle_pos = xcalloc((size_t)w->nasset + 1, sizeof *r->idle_pos);
    r->nidle_places = xcalloc((size_t)w->nasset + 1, sizeof(int));
    r->fleet_idle = xcalloc((size_t)w->nasset + 1, sizeof(int));
    r->fleet_ready_h = xcalloc((size_t)w->nasset + 1, sizeof(double));
    r->fleet_busy_h = xcalloc((size_t)w->nasset + 1, sizeof(double));
    for (int a = 0; a < w->nasset; a++) {
        r->idle_places[a] = xmalloc((size_t)np * sizeof(int));
        r->idle_pos[a] = xmalloc((size_t)np * sizeof(int));
        for (int p = 0; p < np; p++) r->idle_pos[a][p] = -1;
        r->fleet_ready_h[a] = w->asset[a].lead_time_h > 0 ? SUP_INF : 0;
        for (int k = 0; k < w->asset[a].count; k++) idle_push(r, a, m->unit_base[a] + k, w->asset[a].home);
    }
    r->free_trip = -1;
    r->cand_a = xmalloc(((size_t)w->nasset + 1) * sizeof *r->cand_a);
    r->cand_f = xmalloc(((size_t)w->nstock + 1) * sizeof *r->cand_f);
    r->cand_t = xmalloc(((size_t)w->nstock + 1) * sizeof *r->cand_t);

    size_t npp = (size_t)(w->nfac ? w->nfac : 1) * np;
    r->road_t = xmalloc(npp * sizeof(double)); r->sea_km = xmalloc(npp * sizeof(double));
    r->rail_t = xmalloc(npp * sizeof(double));
    r->road_epoch = xmalloc((size_t)(w->nfac + 1) * sizeof(int));
    r->sea_epoch = xmalloc((size_t)(w->nfac + 1) * sizeof(int));
    r->rail_epoch = xmalloc((size_t)(w->nfac + 1) * sizeof(int));
    for (int f = 0; f <= w->nfac; f++) r->road_epoch[f] = r->sea_epoch[f] = r->rail_epoch[f] = -1;
    r->link_factor = xmalloc((size_t)(w->nlink + 1) * sizeof(double));
    r->link_factor_np = xmalloc((size_t)(w->nlink + 1) * sizeof(double));
    for (int l = 0; l < w->nlink; l++) r->link_factor[l] = r->link_factor_np[l] = -1;   /* forces the first epoch */
    r->road_np_t = xmalloc(npp * sizeof(double));
    r->road_np_epoch = xmalloc((size_t)(w->nfac + 1) * sizeof(int));
    for (int f = 0; f <= w->nfac; f++) r->road_np_epoch[f] = -1;
    r->heap_key = xmalloc((size_t)(np + 1) * sizeof(double));
    r->heap = xmalloc((size_t)(np + 1) * sizeof(int));
    r->heap_pos = xmalloc((size_t)(np + 1) * sizeof(int));
    r->policy = r->opt->policy;
    r->prio = xmalloc(((size_t)w->ndem + 1) * sizeof(int));
    for (int d = 0; d < w->ndem; d++) r->prio[d] = w->dem[d].priority;
    r->fleet_max_class = xmalloc(((size_t)w->nasset + 1) * sizeof(int));
    for (int a = 0; a < w->nasset; a++) r->fleet_max_class[a] = NCLASS;
    r->link_force = xcalloc((size_t)w->nlink + 1, 1);
}

/* The replicate's figures, from its final state. */
static void run_results(SupRun *r)
{
    const World *w = r->w;
    SupResult *out = r->out;
    SupBalance *b = &out->balance;
    int nh = out->nhours;
    for (int s = 0; s < w->nstock; s++) b->final_inventory_kl += r->inv[s];
    for (int u = 0; u < w->nuse; u++) b->final_inventory_kl += r->ustock[u];
    for (int s = 0; s < w->nstock; s++) b->final_inventory_kl += r->locked[s];
    b->in_transit_kl = r->in_transit;
    for (int p = 0; p < NPROD; p++)
        for (int k = 0; k < NCLASS; k++) out->unserved_class_kl[k] += out->unserved_kl[p][k];
    for (int k = 0; k < NCLASS; k++) out->weighted_shortfall += w->class_weight[k] * out->unserved_class_kl[k];
    out->t90_supply_h = 0;
    for (int h = 0; h < nh; h++) {
        double sf = out->served_all[h];
        out->resilience_loss += (1.0 - sf) * fmin(1.0, w->horizon_h - h);
        if (sf < 0.9) out->t90_supply_h = h + 1;
    }
    for (int c = 0; c < w->ncomp; c++) {
        out->comp_ds[c] = (unsigned char)r->rs->comp[c].ds;
        out->comp_restore_h[c] = finite_or_never(r->rs->comp[c].full_h);
    }
    for (int f = 0; f < w->nfac; f++) out->fac_restore_h[f] = finite_or_never(r->rs->fac_full_h[f]);
    for (int a = 0; a < w->nasset; a++) {
        /* trips still out at the horizon count up to it */
        double busy = r->fleet_busy_h[a];
        for (int i = 0; i < r->ntrip; i++)
            if (r->trip[i].active && r->trip[i].fleet == a) busy += r->horizon - r->trip[i].t_dispatch;
        double cap = w->asset[a].count * w->horizon_h;
        out->asset_util[a] = cap > 0 ? busy / cap : 0;
    }
    out->rack_wait_mean_h = r->wait_rack_n ? r->wait_rack_sum / r->wait_rack_n : 0;
    out->berth_wait_mean_h = r->wait_berth_n ? r->wait_berth_sum / r->wait_berth_n : 0;
    out->events = r->events;
}

int sup_run(const SupModel *m, uint64_t seed, uint64_t rep, const SupOptions *opt, SupResult *out)
{
    return sup_run_decided(m, seed, rep, opt, NULL, 0, out);
}

int sup_run_decided(const SupModel *m, uint64_t seed, uint64_t rep, const SupOptions *opt,
                    const SupDecision *dec, int ndec, SupResult *out)
{
    const World *w = m->w;
    if (m->shaking && (seed != m->shaken_seed || rep != m->shaken_rep)) {
        fprintf(stderr, "fuelsim: a model shaken for one replicate asked to run another\n");
        return -1;
    }
    SupRun run, *r = &run;
    memset(r, 0, sizeof *r);
    r->m = m; r->w = w; r->opt = opt;
    r->dec = dec; r->ndec = ndec;
    r->horizon = w->horizon_h;
    int nh = (int)ceil(w->horizon_h - 1e-9);
    result_alloc(out, w, nh);
    r->out = out;

    /* damage outcome and restoration schedule on their own streams */
    r->dmg = dmg_outcome_new(w);
    r->rs = rst_schedule_new(w);
    if (m->shaking) {
        /* rst_replicate without its hazard draw, which the model holds:
         * damage and restoration on their own streams as it draws them */
        Rng g;
        r->hs = m->shaking;
        rng_init(&g, seed, rep, RNG_DAMAGE);
        dmg_sample(w, r->hs, &g, r->dmg);
        rng_init(&g, seed, rep, RNG_RESTORE);
        r->rs->hs = r->hs;
        rst_build(w, m->quake >= 0 && m->quake < w->nquake ? m->quake : -1, r->dmg, &g, r->rs);
    } else {
        r->hs = haz_sample_new(m->hf);
        rst_replicate(m->hf, seed, rep, r->hs, r->dmg, r->rs);
    }
    rng_key_init(&r->klog, seed, rep, RNG_LOGISTICS);

    size_t ns = (size_t)w->nstock + 1, nu = (size_t)w->nuse + 1;
    r->inv = xcalloc(ns, sizeof(double)); r->reserved = xcalloc(ns, sizeof(double));
    r->incoming = xcalloc(ns, sizeof(double)); r->tank = xcalloc(ns, sizeof(double));
    r->dreq_t = xmalloc(ns * sizeof(double));
    r->ustock = xcalloc(nu, sizeof(double)); r->uincoming = xcalloc(nu, sizeof(double));
    r->ureq_t = xmalloc(nu * sizeof(double)); r->udry = xcalloc(nu, 1); r->uactive = xcalloc(nu, 1);
    r->dem_mult = xcalloc(nu, sizeof(double)); r->room_t = xcalloc(nu, sizeof(double));
    r->locked = xcalloc(ns, sizeof(double));

    SupBalance *b = &out->balance;
    update_tanks(r, 0);
    for (int s = 0; s < w->nstock; s++) {
        r->dreq_t[s] = -1;
        r->inv[s] = w->stock[s].initial_kl;
        b->initial_inventory_kl += r->inv[s];
        double spill = tank_spill_kl(r, s);
        if (spill > 0) {
            b->lost_kl += spill;
            /* the whole excess (a single tank): exactly down to the tank */
            r->inv[s] = spill < r->inv[s] - r->tank[s] ? r->inv[s] - spill : r->tank[s];
        }
    }
    for (int u = 0; u < w->nuse; u++) {
        r->ureq_t[u] = -1;
        r->ustock[u] = w->use[u].initial_kl;
        b->initial_inventory_kl += r->ustock[u];
    }

    run_alloc(r);

    r->q = evq_new(0);
    SupReq *reqs = xmalloc(((size_t)w->nuse + w->nstock + 1) * sizeof *reqs);
    if (opt->trace) trc_write_header(opt->trace);
    trace_outcome(r);
    first_week_start(r, seed, rep);
    /* pushed before the first tick: a decision at hour h comes before the
     * tick of hour h, and the sequence numbers of all other events keep
     * their order (so nothing before the first decision changes) */
    for (int i = 0; i < r->ndec; i++)
        if (r->dec[i].at_h <= r->horizon) evq_push(r->q, r->dec[i].at_h, SUP_EV_DECISION, 0, i);
    if (nh > 0) evq_push(r->q, 0, SUP_EV_TICK, 0, 0);
    run_events(r, reqs);
    free(reqs);

    run_results(r);
    run_free(r);
    return 0;
}
