/* Restoration schedules. Each item's own repair gives a raw step function
 * (its damage state's capacity until the drawn repair time, then full);
 * dependencies then hold it at zero until a gate time: the largest of the
 * times at which what it needs is back. Dependencies only point one way
 * (links and grid power first, then berths and sidings, then refinery
 * production), so one pass in that order settles them. */
#include "restore.h"

#include "dist.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

const char *const rst_gate_name[NRSTGATE] = {
    "none", "repair", "tsunami", "power", "fairway", "rail", "berth", "trip", "clearance", "fire"};

const char *const rst_dir_name[RST_NDIR] = {
    "north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"};

static size_t nz(int n) { return n > 0 ? (size_t)n : 1; }

static int link_direction(const World *w, int l);

/* What an LNG terminal's send-out needs: process units, tanks, power. */
static int comp_sends(const Component *cp)
{
    return cp->kind == COMP_PROCESS || cp->kind == COMP_TANK || cp->kind == COMP_POWER;
}

/* What a schedule reads of the world alone, made once with it: per
 * facility its process units, tanks and power intake in order (feed_avail,
 * asked per area and day of every forecast), and each link's bearing. */
static void world_tables(const World *w, RstSchedule *s)
{
    s->send_off = xcalloc((size_t)w->nfac + 2, sizeof(int));
    s->send_comp = xcalloc(nz(w->ncomp), sizeof(int));
    for (int c = 0; c < w->ncomp; c++)
        if (comp_sends(&w->comp[c])) s->send_off[w->comp[c].facility + 1]++;
    for (int f = 0; f < w->nfac; f++) s->send_off[f + 1] += s->send_off[f];
    int *fill = xcalloc((size_t)w->nfac + 1, sizeof(int));
    for (int c = 0; c < w->ncomp; c++) {
        int f = w->comp[c].facility;
        if (comp_sends(&w->comp[c])) s->send_comp[s->send_off[f] + fill[f]++] = c;
    }
    free(fill);
    s->link_dir = xcalloc(nz(w->nlink), 1);
    for (int l = 0; l < w->nlink; l++) s->link_dir[l] = (unsigned char)link_direction(w, l);
}

RstSchedule *rst_schedule_new(const World *w)
{
    RstSchedule *s = xcalloc(1, sizeof *s);
    s->w = w;
    s->quake = -1;
    s->comp = xcalloc(nz(w->ncomp), sizeof *s->comp);
    s->link = xcalloc(nz(w->nlink), sizeof *s->link);
    s->fac_power_h = xcalloc(nz(w->nfac), sizeof(double));
    s->fac_usable_h = xcalloc(nz(w->nfac), sizeof(double));
    s->fac_full_h = xcalloc(nz(w->nfac), sizeof(double));
    s->area_power_h = xcalloc(nz(w->narea), sizeof(double));
    s->place_access_h = xcalloc(nz(world_nplace(w)), sizeof(double));
    s->fairway_h = xcalloc(nz(w->nfac), sizeof(double));
    s->rail_h = xcalloc(nz(w->nfac), sizeof(double));
    s->berth_h = xcalloc(nz(w->nfac), sizeof(double));
    s->link_slow0 = xcalloc(nz(w->nlink), sizeof(double));
    s->link_slow_end_h = xcalloc(nz(w->nlink), sizeof(double));
    s->link_clear_h = xcalloc(nz(w->nlink), sizeof(double));
    world_tables(w, s);
    s->fac_grid_restart_h = xcalloc(nz(w->nfac), sizeof(double));
    for (int l = 0; l < w->nlink; l++) s->link_slow0[l] = 1.0;
    /* a month at least: the official estimates speak of the first month */
    s->ndays = (int)ceil(fmax(w->horizon_h, 720.0) / 24.0) + 1;
    s->area_supply = xcalloc(nz(w->narea * s->ndays), sizeof(double));
    s->area_dark = xcalloc(nz(w->narea * s->ndays), sizeof(double));
    s->fac_trip_restart_h = xcalloc(nz(w->nfac), sizeof(double));
    s->fac_fire_out_h = xcalloc(nz(w->nfac), sizeof(double));
    s->fac_fire_back_h = xcalloc(nz(w->nfac), sizeof(double));
    RstItem undamaged = {DS_NONE, 0, 0, 0, RST_GATE_NONE, {1, {0}, {1}}, 1.0};
    for (int c = 0; c < w->ncomp; c++) s->comp[c] = undamaged;
    for (int l = 0; l < w->nlink; l++) s->link[l] = undamaged;
    return s;
}

void rst_schedule_free(RstSchedule *s)
{
    if (!s) return;
    free(s->comp); free(s->link);
    free(s->fac_power_h); free(s->fac_usable_h); free(s->fac_full_h);
    free(s->area_power_h); free(s->place_access_h);
    free(s->fairway_h); free(s->rail_h); free(s->berth_h);
    free(s->link_slow0); free(s->link_slow_end_h); free(s->link_clear_h); free(s->link_dir);
    free(s->send_off); free(s->send_comp);
    free(s->fac_grid_restart_h); free(s->area_supply); free(s->area_dark);
    free(s->fac_trip_restart_h); free(s->fac_fire_out_h); free(s->fac_fire_back_h);
    free(s);
}

/* Where the first week's random times come from: the replicate's network
 * stream, or in a forecast what a planner knows at `now`. */
typedef struct NetSrc {
    Rng *rng;                 /* the replicate's stream; NULL in a forecast */
    const RstSchedule *seen;  /* forecast: the replicate, read for events up to now only */
    double now, q;
    Rng store;                /* the stream rng points to */
} NetSrc;

/* The time of an event: from the drawn uniform u, or in a forecast what a
 * planner knows at now (rst_law_after). */
static double net_time(const NetSrc *n, double seen_t, RstLaw L, double u)
{
    return n->rng ? rst_law_at(&L, u) : rst_law_after(&L, seen_t, n->now, n->q);
}

/* Per facility: the trip restart, and for a fire when it is out and when
 * the site may restart. One normal for the event, then three numbers per
 * facility, always drawn. */
static void fac_draws(const World *w, const DmgOutcome *dmg, Rng *r, RstSchedule *s)
{
    const HazardParams *hp = &w->hazard;
    double rho = hp->trip_restart_rho < 0 ? 0 : hp->trip_restart_rho > 1 ? 1 : hp->trip_restart_rho;
    double a = sqrt(rho), b = sqrt(1.0 - rho), z_event = dist_normal(r);
    for (int f = 0; f < w->nfac; f++) {
        double z_site = dist_normal(r), u_burn = rng_uniform_pos(r), u_back = rng_uniform_pos(r);
        s->fac_trip_restart_h[f] = rst_trip_restart_h(hp, dist_phi(a * z_event + b * z_site));
        s->fac_fire_out_h[f] = s->fac_fire_back_h[f] = 0.0;
        if (!dmg->fac_fire[f]) continue;
        s->fac_fire_out_h[f] = rst_lognormal_q(hp->fire_burn_h, hp->fire_burn_beta, u_burn);
        s->fac_fire_back_h[f] = s->fac_fire_out_h[f] +
                                24.0 * rst_lognormal_q(hp->fire_restart_d, hp->fire_restart_beta, u_back);
    }
}

/* fac_draws as a planner knows them at n->now: restarts and fires seen or
 * forecast one by one (the event's common normal only correlates them). */
static void fac_forecast(const World *w, const DmgOutcome *dmg, const NetSrc *n, RstSchedule *s)
{
    const HazardParams *hp = &w->hazard;
    const RstSchedule *o = n->seen;
    for (int f = 0; f < w->nfac; f++) {
        s->fac_trip_restart_h[f] = net_time(n, o->fac_trip_restart_h[f], rst_law_trip(hp), 0);
        s->fac_fire_out_h[f] = s->fac_fire_back_h[f] = 0.0;
        if (!dmg->fac_fire[f]) continue;
        double out = net_time(n, o->fac_fire_out_h[f], rst_law_lognormal(hp->fire_burn_h, hp->fire_burn_beta, 0, 1), 0);
        s->fac_fire_out_h[f] = out;
        s->fac_fire_back_h[f] =
            net_time(n, o->fac_fire_back_h[f], rst_law_lognormal(hp->fire_restart_d, hp->fire_restart_beta, out, 24.0), 0);
    }
}

/* Capacity fraction in state ds until repaired. Undamaged is full whatever
 * the table says. */
/* Set an item's usable/full times and step function from its damage state,
 * repair time and gate: zero until gate_h, then the damaged capacity until
 * the repair is done, then full. `why` names the gate. */
static void item_finish(RstItem *it, double cf, double gate_h, RstGate why)
{
    assert(cf >= 0.0 && cf <= 1.0 && it->repair_h >= 0.0 && gate_h >= 0.0);
    double rep = cf < 1.0 ? it->repair_h : 0.0;
    double raw_usable = cf > 0 ? 0.0 : rep;
    if (gate_h > raw_usable) {
        it->usable_h = gate_h;
        it->gate = why;
    } else {
        it->usable_h = raw_usable;
        it->gate = raw_usable > 0 ? RST_GATE_REPAIR : RST_GATE_NONE;
    }
    it->full_h = gate_h > rep ? gate_h : rep;
    RstStep *st = &it->cap;
    st->n = 0;
    double t[RST_MAXSTEP + 1], f[RST_MAXSTEP + 1];
    int n = 0;
    if (gate_h > 0) { t[n] = 0; f[n] = 0; n++; }
    t[n] = gate_h > 0 ? gate_h : 0; f[n] = rep > t[n] ? cf : 1.0; n++;
    if (rep > t[n - 1]) { t[n] = rep; f[n] = 1.0; n++; }
    for (int i = 0; i < n; i++) {
        if (st->n > 0 && st->frac[st->n - 1] == f[i]) continue;
        st->t_h[st->n] = t[i];
        st->frac[st->n] = f[i];
        st->n++;
    }
    /* a step function from 0 that ends at full capacity, never before it is usable */
    assert(st->n >= 1 && st->n <= RST_MAXSTEP && st->t_h[0] == 0.0 && st->frac[st->n - 1] == 1.0);
    assert(it->usable_h >= gate_h && it->full_h >= it->usable_h);
}

/* Capacity fraction left in a facility's tanks by their damage (1 without
 * tank components). */
static double tank_fraction(const World *w, const RstSchedule *s, int f)
{
    double x = 1.0;
    for (int c = 0; c < w->ncomp; c++)
        if (w->comp[c].facility == f && w->comp[c].kind == COMP_TANK) x = fmin(x, s->comp[c].cf);
    return x;
}

/* Take capacity away over [from_h, to_h) (a refinery out of crude until its
 * berth is back); usable_h moves past the gap when it falls inside it. */
static void item_gap(RstItem *it, double from_h, double to_h, RstGate why)
{
    RstStep *st = &it->cap, old = *st;
    double t[RST_MAXSTEP + 2];
    int n = 0;
    for (int i = 0; i < old.n; i++)
        if (old.t_h[i] < from_h) t[n++] = old.t_h[i];
    t[n++] = from_h;
    t[n++] = to_h;
    for (int i = 0; i < old.n; i++)
        if (old.t_h[i] > to_h) t[n++] = old.t_h[i];
    st->n = 0;
    for (int i = 0; i < n; i++) {
        double f = t[i] >= from_h && t[i] < to_h ? 0.0 : rst_step_at(&old, t[i]);
        if (st->n > 0 && st->frac[st->n - 1] == f) continue;
        assert(st->n < RST_MAXSTEP);
        st->t_h[st->n] = t[i];
        st->frac[st->n] = f;
        st->n++;
    }
    if (it->usable_h >= from_h && it->usable_h < to_h) { it->usable_h = to_h; it->gate = why; }
    if (it->full_h < to_h) it->full_h = to_h;
    assert(st->t_h[0] == 0.0 && st->frac[st->n - 1] == 1.0 && rst_step_at(st, from_h) == 0.0);
}

/* Keep the largest gate and remember which it was. */
static void gate_max(double *g, RstGate *why, double t, RstGate reason)
{
    if (t > *g) { *g = t; *why = reason; }
}

/* Share-weighted availability of the facilities feeding `area` at t: a
 * feeding facility (an LNG terminal) is as available as the weakest of its
 * process units, tanks and power intake (send-out needs all three; berths
 * are left out, as stored LNG carries it through unloading outages). */
static double feed_avail(const RstSchedule *s, int fac, double t)
{
    double a = 1.0;
    for (int i = s->send_off[fac]; i < s->send_off[fac + 1]; i++) {
        double v = rst_step_at(&s->comp[s->send_comp[i]].cap, t);
        if (v < a) a = v;
    }
    return a;
}

static double area_supply_at(const World *w, const RstSchedule *s, int area, double t)
{
    double sum = 0.0;
    for (int k = 0; k < w->nfeed; k++) {
        const GridFeed *fd = &w->feed[k];
        if (fd->area == area) sum += fd->share * feed_avail(s, fd->facility, t);
    }
    return sum;
}

/* First time the area's supply reaches RST_AREA_POWER_MIN: the supply is a
 * non-decreasing step function, so only its breakpoints need checking. An
 * area that no facility feeds is never cut. */
static double area_power_from(const World *w, const RstSchedule *s, int area)
{
    int fed = 0;
    for (int k = 0; k < w->nfeed; k++) fed |= w->feed[k].area == area;
    if (!fed) return 0.0;
    const double need = RST_AREA_POWER_MIN - 1e-9;
    if (area_supply_at(w, s, area, 0.0) >= need) return 0.0;
    double best = HUGE_VAL;
    for (int k = 0; k < w->nfeed; k++) {
        if (w->feed[k].area != area) continue;
        for (int c = 0; c < w->ncomp; c++) {
            if (w->comp[c].facility != w->feed[k].facility) continue;
            const RstStep *st = &s->comp[c].cap;
            for (int i = 1; i < st->n; i++)
                if (st->t_h[i] < best && area_supply_at(w, s, area, st->t_h[i]) >= need)
                    best = st->t_h[i];
        }
    }
    return best;
}

/* Octant of the bearing from the roads' centre to the middle of link l. */
static int link_direction(const World *w, int l)
{
    double la1, lo1, la2, lo2;
    world_place_latlon(w, w->link[l].from, &la1, &lo1);
    world_place_latlon(w, w->link[l].to, &la2, &lo2);
    double dy = 0.5 * (la1 + la2) - w->wk.centre_lat;
    double dx = (0.5 * (lo1 + lo2) - w->wk.centre_lon) * cos(w->wk.centre_lat * M_PI / 180.0);
    double deg = atan2(dx, dy) * 180.0 / M_PI;   /* 0 north, 90 east */
    if (deg < 0) deg += 360.0;
    return (int)floor((deg + 22.5) / 45.0) % RST_NDIR;
}

/* When a link that needs clearance is cleared, from flood recession at
 * flood_h: the scenario's clear_h, or with the first-week mechanisms the
 * clearance plan (roads: its direction's first route, then the rest), the
 * rail operators' reopening by line, the fairway clearance of the port
 * plan. u is the link's own uniform of the network stream. */
static double link_clear_at(const World *w, const RstSchedule *s, const NetSrc *n, int l, double flood_h, double u)
{
    const Link *lk = &w->link[l];
    const FirstWeek *k = &w->wk;
    double seen = n->seen ? n->seen->link_clear_h[l] : 0;
    if (lk->mode == MODE_ROAD && k->roads) {
        double t = flood_h + s->dir_open_h[s->link_dir[l]];
        return lk->emergency_road ? t : net_time(n, seen, rst_law_range(&k->ordinary_clear_h, t, 1), u);
    }
    /* lines and fairways shaken below severe_pga_g only need their
     * inspection (2011 in Tokyo: trains back at +16 h) */
    int severe = !s->hs || s->hs->pga_g[haz_site_of_link(w, l)] >= k->severe_pga_g;
    if (lk->mode == MODE_RAIL && k->rail_sea && severe)
        return net_time(n, seen, rst_law_range(&k->rail_reopen_h, flood_h, 1), u);
    if (lk->mode == MODE_SEA && k->rail_sea && severe)
        return net_time(n, seen, rst_law_range(&k->fairway_clear_h, flood_h, 1), u);
    double clear = lk->clear_h;
    if (lk->mode == MODE_ROAD && !lk->emergency_road) clear *= RST_ORDINARY_ROAD_FACTOR;
    return flood_h + clear;
}

static void link_pass(const World *w, int quake, const DmgOutcome *dmg, RstRepairFn fn, void *ctx, const NetSrc *n,
                      RstSchedule *s)
{
    /* the plan's first route per direction where an emergency road needs
     * clearance, drawn whether used or not */
    int need[RST_NDIR] = {0};
    for (int l = 0; l < w->nlink && w->wk.roads && quake >= 0; l++) {
        const Link *lk = &w->link[l];
        if (lk->mode == MODE_ROAD && lk->emergency_road &&
            (dmg->link_inspect[l] || s->place_access_h[lk->from] > 0 || s->place_access_h[lk->to] > 0))
            need[s->link_dir[l]] = 1;
    }
    for (int d = 0; d < RST_NDIR; d++) {
        double u = n->rng ? rng_uniform_pos(n->rng) : 0;
        s->dir_open_h[d] = need[d] ? net_time(n, n->seen ? n->seen->dir_open_h[d] : 0,
                                              rst_law_range(&w->wk.direction_open_h, 0, 1), u) : 0.0;
    }
    for (int l = 0; l < w->nlink; l++) {
        const Link *lk = &w->link[l];
        RstItem *it = &s->link[l];
        double un[3] = {0, 0, 0};
        for (int i = 0; i < 3 && n->rng; i++) un[i] = rng_uniform_pos(n->rng);
        it->ds = dmg->link_ds[l];
        /* A damaged bridge is repaired as a bridge. A link is a corridor
         * with streets beside its expressway, so it keeps the damage
         * state's capacity; a link with no street beside it (traffic
         * control "closed": a sea crossing) is closed from extensive damage. */
        int bridge = dmg->link_bridge[l];
        int rc = bridge ? lk->bridge_restoration : lk->restoration;
        double cf = bridge && lk->control == CTL_CLOSED && it->ds >= DS_EXTENSIVE ? 0.0 : world_cap_fraction(w, it->ds);
        it->repair_h = fn(ctx, 1, l, (it->ds > DS_NONE && rc >= 0 && rc < w->nrest) ? &w->rest[rc] : NULL, it->ds);
        /* Clearance starts once the water has receded: a flooded end brings
         * debris (and for fairways, drifting wreckage) even without strong
         * shaking. */
        double flood = fmax(s->place_access_h[lk->from], s->place_access_h[lk->to]);
        double gate = 0.0;
        RstGate why = RST_GATE_NONE;
        int hit = quake >= 0 && (dmg->link_inspect[l] || flood > 0);
        s->link_clear_h[l] = 0.0;
        if (hit) {
            s->link_clear_h[l] = link_clear_at(w, s, n, l, flood, un[0]);
            gate_max(&gate, &why, flood, RST_GATE_TSUNAMI);
            gate_max(&gate, &why, s->link_clear_h[l], RST_GATE_CLEARANCE);
        }
        item_finish(it, cf, gate, why);
        s->link_slow0[l] = 1.0;
        s->link_slow_end_h[l] = 0.0;
        if (hit && lk->mode == MODE_ROAD && w->wk.roads) {
            /* debris, collapsed buildings and abandoned vehicles: slow when
             * it reopens, back to normal speed over days */
            const RstSchedule *o = n->seen;
            /* a forecast sees the slowdown once the road is open */
            double f0 = n->rng ? rst_range_draw(&w->wk.congestion_factor, un[1])
                        : o->link[l].usable_h <= n->now ? o->link_slow0[l]
                        : rst_range_draw(&w->wk.congestion_factor, n->q);
            s->link_slow0[l] = fmax(1.0, f0);
            s->link_slow_end_h[l] = net_time(n, o ? o->link_slow_end_h[l] : 0,
                                             rst_law_range(&w->wk.congestion_days, it->usable_h, 24.0), un[2]);
        }
        /* The earliest open link of each mode at each end: a berth needs one
         * cleared fairway, a siding one inspected line. */
        if (lk->mode == MODE_SEA || lk->mode == MODE_RAIL) {
            double *best = lk->mode == MODE_SEA ? s->fairway_h : s->rail_h;
            int ends[2] = {lk->from, lk->to};
            for (int e = 0; e < 2; e++)
                if (ends[e] < w->nfac && it->usable_h < best[ends[e]]) best[ends[e]] = it->usable_h;
        }
    }
}

double rst_link_congestion_at(const RstSchedule *s, int l, double t_h)
{
    const FirstWeek *k = &s->w->wk;
    if (!k->roads || s->w->link[l].mode != MODE_ROAD) return 1.0;
    double f = 1.0, end = s->link_slow_end_h[l], start = s->link[l].usable_h;
    if (t_h < end && end > start)
        f = 1.0 + (s->link_slow0[l] - 1.0) * fmin(1.0, (end - t_h) / (end - start));
    assert(f >= 1.0 - 1e-12);
    return f;
}

int rst_link_controlled(const RstSchedule *s, int l, double t_h)
{
    const FirstWeek *k = &s->w->wk;
    if (!k->roads || s->quake < 0 || t_h >= k->traffic_control_h || s->w->link[l].control == CTL_NONE) return 0;
    /* the police control the roads where the quake was strong (Tokyo: from
     * intensity 6-lower in the wards); without a sample, as strong */
    return !s->hs || s->hs->pga_g[haz_site_of_link(s->w, l)] >= k->control_pga_g;
}

double rst_link_slow_at(const RstSchedule *s, int l, double t_h)
{
    double f = rst_link_congestion_at(s, l, t_h);
    /* traffic control keeps general traffic off the emergency routes */
    if (rst_link_controlled(s, l, t_h)) f = fmin(f, s->w->wk.controlled_factor);
    return f;
}

/* Place p shaken hard enough for its roads to need inspection. */
static void mark_shaken(const World *w, const DmgOutcome *dmg, unsigned char *fac_hit,
                        unsigned char *area_hit)
{
    for (int l = 0; l < w->nlink; l++) {
        if (!dmg->link_inspect[l]) continue;
        int ends[2] = {w->link[l].from, w->link[l].to};
        for (int e = 0; e < 2; e++) {
            int p = ends[e], a;
            if (p < w->nfac) { fac_hit[p] = 1; a = w->fac[p].area; }
            else a = w->dem[p - w->nfac].area;
            if (a >= 0 && a < w->narea) area_hit[a] = 1;
        }
    }
}

/* Grid power with the first-week power model (official estimates for the
 * Toshin-nanbu quake and TEPCO 2011): a shaken area loses distribution for
 * a drawn outage; generation feeding it trips and restarts after a drawn
 * time (and only as far as its feeding facility works); transfers from
 * outside the bay make up import_share; while supply is below the demand
 * left after restraint, the area takes rolling outages for the shortfall's
 * share of the day. Draws: one per area, then one per facility. */
static void power_pass(const World *w, int quake, const DmgOutcome *dmg, const NetSrc *n, RstSchedule *s)
{
    const FirstWeek *k = &w->wk;
    unsigned char *fac_hit = xcalloc(nz(w->nfac), 1), *area_hit = xcalloc(nz(w->narea), 1);
    double *restart = s->fac_grid_restart_h;
    if (quake >= 0) mark_shaken(w, dmg, fac_hit, area_hit);
    /* the strongest shaking in each area, over its facilities and demand points */
    double *apga = xcalloc(nz(w->narea), sizeof(double));
    for (int p = 0; s->hs && quake >= 0 && p < world_nplace(w); p++) {
        int a = p < w->nfac ? w->fac[p].area : w->dem[p - w->nfac].area;
        if (a >= 0 && a < w->narea) apga[a] = fmax(apga[a], s->hs->pga_g[haz_site_of_place(w, p)]);
    }
    for (int a = 0; a < w->narea; a++) {
        double u = n->rng ? rng_uniform_pos(n->rng) : 0;
        int severe = !s->hs || apga[a] >= k->severe_pga_g;
        RstLaw law = rst_law_range(severe ? &k->outage_h : &k->light_outage_h, 0, 1);
        s->area_power_h[a] = !area_hit[a] ? 0.0 : net_time(n, n->seen ? n->seen->area_power_h[a] : 0, law, u);
    }
    free(apga);
    /* generation trips where a refinery would (trip_pga_g) */
    for (int f = 0; f < w->nfac; f++) {
        double u = n->rng ? rng_uniform_pos(n->rng) : 0;
        int trip = s->hs ? quake >= 0 && s->hs->pga_g[haz_site_of_place(w, f)] >= w->hazard.trip_pga_g : fac_hit[f];
        double seen = n->seen ? n->seen->fac_grid_restart_h[f] : 0;
        restart[f] = trip ? net_time(n, seen, rst_law_range(&k->plant_restart_h, 0, 1), u) : 0.0;
    }
    for (int a = 0; a < w->narea; a++) {
        int fed = 0;
        for (int j = 0; j < w->nfeed; j++) fed |= w->feed[j].area == a;
        for (int d = 0; d < s->ndays; d++) {
            double t = 24.0 * d, sup = 1.0;
            if (fed) {
                double own = 0.0;
                for (int j = 0; j < w->nfeed; j++) {
                    const GridFeed *fd = &w->feed[j];
                    if (fd->area != a || t < restart[fd->facility]) continue;
                    /* fuel from the pipeline loop and other terminals for
                     * lng_backup of the plant's needs */
                    own += fd->share * (k->lng_backup + (1.0 - k->lng_backup) * feed_avail(s, fd->facility, t));
                }
                sup = k->import_share + (1.0 - k->import_share) * own;
            }
            double dark = sup >= k->restraint ? 0.0 : 1.0 - sup / k->restraint;
            s->area_supply[a * s->ndays + d] = sup;
            s->area_dark[a * s->ndays + d] = fmin(1.0, fmax(0.0, dark));
            assert(sup >= 0.0 && sup <= 1.0 + 1e-9);
        }
    }
    free(fac_hit); free(area_hit);
}

/* A fire shuts the whole site: every component waits for the restart. */
static void fire_pass(const World *w, RstSchedule *s)
{
    for (int c = 0; c < w->ncomp; c++) {
        int f = w->comp[c].facility;
        RstItem *it = &s->comp[c];
        if (s->fac_fire_back_h[f] > it->usable_h)
            item_finish(it, it->cf, s->fac_fire_back_h[f], RST_GATE_FIRE);
    }
}

/* How long the tsunami keeps each place out of reach (0 where none). */
static void tsunami_access(const World *w, int quake, RstSchedule *s)
{
    int nplace = world_nplace(w);
    for (int p = 0; p < nplace; p++) s->place_access_h[p] = 0.0;
    if (quake >= 0)
        for (int k = 0; k < w->ntsunami; k++) {
            const Tsunami *ts = &w->tsunami[k];
            if (ts->quake == quake && ts->depth_m > 0 && ts->place >= 0 && ts->place < nplace &&
                ts->recede_h > s->place_access_h[ts->place])
                s->place_access_h[ts->place] = ts->recede_h;
        }
}

/* Raw component schedules gated only by flooding: what the grid and every
 * later gate build on. All draws for components come first, in component
 * order, then links. */
static void raw_components(const World *w, const DmgOutcome *dmg, RstRepairFn fn, void *ctx, RstSchedule *s)
{
    for (int c = 0; c < w->ncomp; c++) {
        const Component *cp = &w->comp[c];
        RstItem *it = &s->comp[c];
        it->ds = dmg->comp_ds[c];
        it->repair_h = fn(ctx, 0, c, (cp->restoration >= 0 && cp->restoration < w->nrest)
                                         ? &w->rest[cp->restoration] : NULL, it->ds);
        /* a tank farm holds the mean of its tanks until its equivalent
         * state's repair is done */
        it->cf = dmg_is_population(cp) ? fmin(1.0, fmax(0.0, dmg->comp_cap[c])) : world_cap_fraction(w, it->ds);
        if (it->ds <= DS_NONE) it->cf = 1.0;
        double acc = s->place_access_h[cp->facility];
        item_finish(it, it->cf, acc, acc > 0 ? RST_GATE_TSUNAMI : RST_GATE_NONE);
    }
}

/* The areas' grid, then when each facility has power: from the grid unless
 * it generates its own, never before its power intake or its access. */
static void facility_power(const World *w, int quake, const DmgOutcome *dmg, const NetSrc *n, RstSchedule *s)
{
    for (int f = 0; f < w->nfac; f++) s->fac_grid_restart_h[f] = 0.0;
    if (w->wk.power) power_pass(w, quake, dmg, n, s);
    else
        for (int a = 0; a < w->narea; a++) s->area_power_h[a] = area_power_from(w, s, a);
    for (int f = 0; f < w->nfac; f++) {
        const Facility *fa = &w->fac[f];
        double t = fa->has_generator || fa->area < 0 || fa->area >= w->narea
                       ? 0.0 : s->area_power_h[fa->area];
        /* Grid power and own generation both reach the plant through its
         * power intake: a damaged intake cuts either. */
        for (int c = 0; c < w->ncomp; c++)
            if (w->comp[c].facility == f && w->comp[c].kind == COMP_POWER && s->comp[c].usable_h > t)
                t = s->comp[c].usable_h;
        if (s->place_access_h[f] > t) t = s->place_access_h[f];
        s->fac_power_h[f] = t;
    }
}

/* Loading equipment needs power (a facility without it stops unless it
 * generates its own); berths a cleared fairway, sidings an inspected line.
 * Tanks and power intakes keep their raw schedules. */
static void loading_gates(const World *w, RstSchedule *s)
{
    for (int c = 0; c < w->ncomp; c++) {
        const Component *cp = &w->comp[c];
        if (cp->kind != COMP_BERTH && cp->kind != COMP_SIDING && cp->kind != COMP_RACK) continue;
        int f = cp->facility;
        RstItem *it = &s->comp[c];
        double gate = s->place_access_h[f];
        RstGate why = gate > 0 ? RST_GATE_TSUNAMI : RST_GATE_NONE;
        gate_max(&gate, &why, s->fac_power_h[f], RST_GATE_POWER);
        if (cp->kind == COMP_BERTH && s->fairway_h[f] < HUGE_VAL)
            gate_max(&gate, &why, s->fairway_h[f], RST_GATE_FAIRWAY);
        if (cp->kind == COMP_SIDING && s->rail_h[f] < HUGE_VAL)
            gate_max(&gate, &why, s->rail_h[f], RST_GATE_RAIL);
        item_finish(it, it->cf, gate, why);
        /* loading equipment is never back before its power, a berth before
         * its fairway, a siding before its line */
        assert(it->usable_h >= s->fac_power_h[f]);
        assert(cp->kind != COMP_BERTH || it->usable_h >= s->fairway_h[f] || s->fairway_h[f] == HUGE_VAL);
        assert(cp->kind != COMP_SIDING || it->usable_h >= s->rail_h[f] || s->rail_h[f] == HUGE_VAL);
        if (cp->kind == COMP_BERTH && it->usable_h < s->berth_h[f]) s->berth_h[f] = it->usable_h;
    }
}

/* Production, once berths are settled. At an LNG terminal production is
 * what powers the grid, so it is not gated on the grid. */
static void production_gates(const World *w, const DmgOutcome *dmg, RstSchedule *s)
{
    for (int c = 0; c < w->ncomp; c++) {
        const Component *cp = &w->comp[c];
        if (cp->kind != COMP_PROCESS) continue;
        int f = cp->facility;
        RstItem *it = &s->comp[c];
        double gate = s->place_access_h[f];
        RstGate why = gate > 0 ? RST_GATE_TSUNAMI : RST_GATE_NONE;
        if (w->fac[f].kind != FAC_LNG_TERMINAL)
            gate_max(&gate, &why, s->fac_power_h[f], RST_GATE_POWER);
        if (w->fac[f].kind == FAC_REFINERY && dmg->fac_tripped[f])
            gate_max(&gate, &why, s->fac_trip_restart_h[f], RST_GATE_TRIP);
        item_finish(it, it->cf, gate, why);
        /* Once running, a refinery lives on the crude in its tanks (what
         * damaged tanks still hold) and stops when that is used up until its
         * crude berth is back; with no crude on hand it waits for the berth.
         * One without a berth component is taken as fed by pipeline. */
        double dry_h = it->usable_h + 24.0 * w->fac[f].crude_days * tank_fraction(w, s, f);
        int gap = w->fac[f].kind == FAC_REFINERY && s->berth_h[f] < HUGE_VAL && s->berth_h[f] > dry_h;
        if (gap) item_gap(it, dry_h, s->berth_h[f], RST_GATE_BERTH);
        /* a refinery never produces before its power and its inspection,
         * nor once its crude is gone before its berth is back */
        assert(w->fac[f].kind == FAC_LNG_TERMINAL || it->usable_h >= s->fac_power_h[f]);
        assert(!gap || rst_step_at(&it->cap, dry_h) == 0.0);
        assert(w->fac[f].kind != FAC_REFINERY || !dmg->fac_tripped[f] ||
               it->usable_h >= s->fac_trip_restart_h[f]);
    }
}

/* A facility is usable when its last component is, full when all are. */
static void facility_times(const World *w, RstSchedule *s)
{
    for (int f = 0; f < w->nfac; f++) {
        s->fac_usable_h[f] = s->fac_full_h[f] = s->place_access_h[f];
    }
    for (int c = 0; c < w->ncomp; c++) {
        int f = w->comp[c].facility;
        if (s->comp[c].usable_h > s->fac_usable_h[f]) s->fac_usable_h[f] = s->comp[c].usable_h;
        if (s->comp[c].full_h > s->fac_full_h[f]) s->fac_full_h[f] = s->comp[c].full_h;
    }
}

/* Both the replicate's schedule and a forecast: components, then the
 * first week's network (links, grid) and facility events from n, then the
 * gates in dependency order. */
static void build(const World *w, int quake, const DmgOutcome *dmg, RstRepairFn fn, void *ctx,
                  Rng *fac_rng, NetSrc *n, RstSchedule *s)
{
    s->quake = quake;
    tsunami_access(w, quake, s);
    for (int f = 0; f < w->nfac; f++)
        s->fairway_h[f] = s->rail_h[f] = s->berth_h[f] = HUGE_VAL;
    raw_components(w, dmg, fn, ctx, s);
    if (fac_rng) {
        /* The first week's draws come from a stream derived from the
         * restore stream's state here, so that they take no draw from it. */
        rng_init(&n->store, fac_rng->s[0] ^ (fac_rng->s[3] << 1), fac_rng->s[1] ^ fac_rng->s[2], RNG_NETWORK);
        n->rng = &n->store;
    }
    link_pass(w, quake, dmg, fn, ctx, n, s);
    if (fac_rng) fac_draws(w, dmg, fac_rng, s);
    else fac_forecast(w, dmg, n, s);
    facility_power(w, quake, dmg, n, s);
    loading_gates(w, s);
    production_gates(w, dmg, s);
    fire_pass(w, s);
    facility_times(w, s);
}

/* The replicate's own draw: one uniform per item whatever its state. */
static double draw_repair(void *ctx, int is_link, int idx, const RestorationClass *rc, int ds)
{
    (void)is_link;
    (void)idx;
    double u = rng_uniform_pos(ctx);
    return rc ? rst_repair_time_h(rc, ds, u) : 0.0;
}

void rst_build(const World *w, int quake, const DmgOutcome *dmg, Rng *r, RstSchedule *s)
{
    NetSrc n = {NULL, NULL, 0, 0.5, {{0}}};
    build(w, quake, dmg, draw_repair, r, r, &n, s);
}

void rst_forecast(const World *w, int quake, const DmgOutcome *dmg, RstRepairFn fn, void *ctx,
                  const RstSchedule *seen, double now_h, double q, RstSchedule *s)
{
    NetSrc n = {NULL, seen, now_h, q, {{0}}};
    s->hs = seen->hs;
    build(w, quake, dmg, fn, ctx, NULL, &n, s);
}

void rst_replicate(const HazField *hf, uint64_t seed, uint64_t rep,
                   HazSample *hs, DmgOutcome *dmg, RstSchedule *out)
{
    Rng r;
    rng_init(&r, seed, rep, RNG_HAZARD);
    haz_sample(hf, &r, hs);
    rng_init(&r, seed, rep, RNG_DAMAGE);
    dmg_sample(hf->w, hs, &r, dmg);
    rng_init(&r, seed, rep, RNG_RESTORE);
    out->hs = hs;
    rst_build(hf->w, hf->quake, dmg, &r, out);
}
