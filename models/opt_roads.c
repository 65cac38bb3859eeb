/* The value of a closed road opened at the plan's start. The model plans on
 * the road network of its start (it plans again when a road opens), so a
 * road has no row and no dual: its value is a finite difference, the plan
 * solved again with the road forced open, as a player's `open` decision
 * would. A screen keeps the probes few: only closed roads that lie on a
 * shortest road path, in the network with all of them open, from a loading
 * source (a working rack) to one of their ends and shorten that path; the
 * largest time gains first (then the plan's weighted shortfall at their
 * ends), at most max of them. */
#include "optimise_int.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Cand {
    int link;
    double gain;    /* the largest cut in a source's road hours to one of its ends */
    double short_w; /* weighted unmet in the plan at its ends (demand points) */
} Cand;

static int cand_cmp(const void *x, const void *y)
{
    const Cand *a = x, *b = y;
    if (a->gain != b->gain) return a->gain > b->gain ? -1 : 1;
    if (a->short_w != b->short_w) return a->short_w > b->short_w ? -1 : 1;
    return a->link - b->link;
}

/* A closed road the players have not opened whose ends can be reached now:
 * forcing it open changes the network. */
static int closed_road(const SupRun *r, int l)
{
    const Link *k = &r->w->link[l];
    return k->mode == MODE_ROAD && !isfinite(r->link_factor[l]) && r->link_force[l] != SUP_LINK_OPEN &&
           rst_place_accessible(r->rs, k->from, r->now) && rst_place_accessible(r->rs, k->to, r->now);
}

/* When the plan's view of restoration has road l back (open, ends
 * reachable), in whole hours after now; -1 when not before tend, or before
 * the inspection delay (the plan then takes the network as it is). */
static double reopen_h(const OptPlan *pl, const SupRun *r, int l, double tend)
{
    const RstSchedule *s = pl->p.forecast == OPT_FC_PERFECT ? r->rs : pl->fc;
    if (r->link_force[l] == SUP_LINK_CLOSED || !s) return -1;
    if (pl->p.forecast != OPT_FC_PERFECT && r->now < pl->p.inspect_h) return -1;
    const Link *k = &pl->w->link[l];
    for (double t = floor(r->now) + 1; t <= tend + 1e-9; t++)
        if (rst_link_capacity_at(s, l, t) > 0 && rst_place_accessible(s, k->from, t) &&
            rst_place_accessible(s, k->to, t))
            return t;
    return -1;
}

/* The plan's weighted unmet at place x (0 unless a demand point). */
static double short_at(const OptPlan *pl, int x)
{
    const World *w = pl->w;
    double s = 0;
    for (int u = 0; u < w->nuse && x >= w->nfac; u++)
        if (w->use[u].point == x - w->nfac)
            for (int k = 0; k < pl->K; k++)
                s += w->class_weight[opt_use_class(pl, u) - 1] * fmax(0, pl->val[pl->ucol[u] + k]);
    return s;
}

/* The screen (see the top): candidates in c, largest gain first; their number. */
static int screen(OptPlan *pl, SupRun *r, Cand *c)
{
    const World *w = pl->w;
    int np = world_nplace(w), a = -1;
    for (int p = 0; p < NPROD && a < 0; p++) a = pl->ref[MODE_ROAD][p];
    int nsrc = 0, *src = xmalloc(((size_t)w->nfac + 1) * sizeof *src);
    for (int f = 0; f < w->nfac; f++)
        if (sup_q_servers(r, f, SUP_Q_RACK, r->now) > 0) src[nsrc++] = f;
    unsigned char *old = xmalloc((size_t)w->nlink + 1);
    memcpy(old, r->link_force, (size_t)w->nlink);
    int n = 0;
    for (int l = 0; l < w->nlink; l++)
        if (closed_road(r, l)) c[n++] = (Cand){l, 0, short_at(pl, w->link[l].from) + short_at(pl, w->link[l].to)};
    pl->road_closed = n;
    if (n == 0 || a < 0 || nsrc == 0) {
        free(src); free(old);
        return 0;
    }
    double *dnow = xmalloc((size_t)nsrc * np * sizeof *dnow);
    for (int i = 0; i < nsrc; i++)
        for (int x = 0; x < np; x++) dnow[(size_t)i * np + x] = sup_travel_h(r, a, src[i], x);
    for (int i = 0; i < n; i++) r->link_force[c[i].link] = SUP_LINK_OPEN;
    sup_refresh_links(r);
    double *dopen = xmalloc((size_t)np * sizeof *dopen);
    for (int i = 0; i < nsrc; i++) {
        const double *dn = dnow + (size_t)i * np;
        for (int x = 0; x < np; x++) dopen[x] = sup_travel_h(r, a, src[i], x);
        for (int j = 0; j < n; j++) {
            const Link *k = &w->link[c[j].link];
            double t = k->time_h * r->link_factor[c[j].link];
            for (int dir = 0; dir < 2; dir++) {
                int u = dir ? k->to : k->from, v = dir ? k->from : k->to;
                if (!isfinite(dopen[u]) || fabs(dopen[u] + t - dopen[v]) > 1e-9 * fmax(1, dopen[v])) continue;
                if (!(dn[v] > dopen[v] + 1e-9)) continue;
                /* a place cut off entirely counts as a week's gain */
                double g = isfinite(dn[v]) ? dn[v] - dopen[v] : 168.0;
                if (g > c[j].gain) c[j].gain = g;
            }
        }
    }
    free(dopen);
    memcpy(r->link_force, old, (size_t)w->nlink);
    sup_refresh_links(r);
    int m = 0;
    for (int j = 0; j < n; j++)
        if (c[j].gain > 0) c[m++] = c[j];
    if (m > 1) qsort(c, (size_t)m, sizeof *c, cand_cmp);
    free(dnow); free(src); free(old);
    return m;
}

static int road_cmp(const void *x, const void *y)
{
    const OptRoad *a = x, *b = y;
    return a->link - b->link;
}

void opt_value_roads(OptPlan *pl, SupRun *r, int max)
{
    const World *w = pl->w;
    pl->nroad = pl->road_closed = pl->road_screened = 0;
    pl->road_valued = pl->sol.status != OPT_FAILED;
    if (!pl->road_valued) return;
    Cand *c = xmalloc(((size_t)w->nlink + 1) * sizeof *c);
    int n = screen(pl, r, c);
    pl->road_screened = n;
    if (n > max) n = max;
    if (n == 0) { free(c); return; }
    /* the probes' plan: the LP of the same parameters (a MIP's objective
     * moves with its search, not only with the road), its probe units and
     * early fleets as the plan's; warm from one probe to the next */
    OptParams q = pl->p;
    q.integer = 0;
    q.names = 0;
    OptPlan *Q = opt_plan_new(w, &q);
    if (!Q) { free(c); return; }
    memcpy(Q->extra_units, pl->extra_units, (size_t)w->nasset * sizeof *Q->extra_units);
    memcpy(Q->ready_earlier, pl->ready_earlier, (size_t)w->nasset * sizeof *Q->ready_earlier);
    double base = pl->sol.objective;
    if (pl->p.integer) base = opt_plan_solve(Q, r) == 0 ? Q->sol.objective : NAN;
    double tend = pl->t0 + pl->ts[pl->K];
    pl->road = xrealloc(pl->road, ((size_t)n + 1) * sizeof *pl->road);
    for (int i = 0; i < n && isfinite(base); i++) {
        int l = c[i].link;
        unsigned char was = r->link_force[l];
        r->link_force[l] = SUP_LINK_OPEN;
        sup_refresh_links(r);
        int rc = opt_plan_solve(Q, r);
        r->link_force[l] = was;
        sup_refresh_links(r);
        if (rc != 0) continue;
        OptRoad *x = &pl->road[pl->nroad++];
        x->link = l;
        x->at_h = reopen_h(pl, r, l, tend);
        x->hours = (x->at_h >= 0 ? x->at_h : tend) - pl->t0;
        x->saved = base - Q->sol.objective;
    }
    opt_plan_free(Q);
    free(c);
    if (pl->nroad > 1) qsort(pl->road, (size_t)pl->nroad, sizeof *pl->road, road_cmp);
}
