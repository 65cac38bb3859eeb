/* What limits a solved plan, from the dual values of its LP: the shadow
 * prices of requests for fleets not yet asked for and of the fleets, stocks,
 * racks, berths and sidings, and for each consumption row left short the
 * limit that prices the cheapest movement that could reach it. For a MIP
 * the duals are those of the LP with the whole trips fixed at the MIP's
 * values (the MIP itself has none). Limits that come with a time (a berth
 * back, a fleet ready) are valued by solving that LP again with their
 * capacity an hour earlier, where the duals say it may be worth anything.
 * Run on demand (fuelsim plan), not inside the re-planning loop, so it costs
 * the sweeps nothing. */
#include "optimise_int.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const opt_queue_name[OPT_NQ] = {"rack", "berth", "siding"};
const char *const opt_why_name[OPT_NWHY] = {"none", "no_source", "fleet", "queue", "stock", "other"};

/* The supply queues and ours are the same three, in the same order. */
_Static_assert((int)SUP_Q_RACK == (int)OPT_Q_RACK && (int)SUP_Q_BERTH == (int)OPT_Q_BERTH &&
                   (int)SUP_Q_SIDING == (int)OPT_Q_SIDING,
               "queue kinds");

/* Below this a dual is solver noise (objective units). */
#define DUAL_EPS 1e-7

static double row_value(glp_prob *P, int row) { return row ? fmax(0, -glp_get_row_dual(P, row)) : 0; }

/* The LP the duals are read from: the plan's own problem, or a copy of a
 * MIP with its integer columns fixed at their values (then owned: *own). */
static glp_prob *dual_lp(const OptPlan *pl, int *own)
{
    *own = 0;
    if (!pl->p.integer) return pl->P;
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, pl->P, GLP_OFF);
    int ncol = glp_get_num_cols(Q);
    for (int j = 1; j <= ncol; j++)
        if (glp_get_col_kind(Q, j) != GLP_CV) {
            double v = glp_mip_col_val(pl->P, j);
            glp_set_col_kind(Q, j, GLP_CV);
            glp_set_col_bnds(Q, j, GLP_FX, v, v);
        }
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_PRIMAL;
    sm.presolve = GLP_ON;
    glp_scale_prob(Q, GLP_SF_AUTO);
    if (glp_simplex(Q, &sm) != 0 || glp_get_status(Q) != GLP_OPT) {
        glp_delete_prob(Q);
        return NULL;
    }
    *own = 1;
    return Q;
}

/* Does arc a deliver to consumption row u (directly, or through u's hub)? */
static int arc_reaches(const OptPlan *pl, const OptArc *a, int u)
{
    return (a->dkind == OPT_D_USE && a->dest == u) || (a->dkind == OPT_D_HUB && a->dest == pl->use_hub[u]);
}

/* The price parts of moving one kL on arc a in period k: stock, queue, fleet. */
static void arc_price(const OptPlan *pl, glp_prob *P, const OptArc *a, int k, double part[3], int ref[3])
{
    part[0] = row_value(P, pl->srow[a->src_stock] ? pl->srow[a->src_stock] + k : 0);
    ref[0] = a->src_stock;
    part[1] = 0;
    ref[1] = -1;
    if (a->q != SUP_Q_NONE) {
        int row = pl->qrow[a->src * SUP_NQ + a->q];
        part[1] = row_value(P, row ? row + k : 0) * a->rq;
        ref[1] = a->src * OPT_NQ + a->q;
    }
    part[2] = 0;
    ref[2] = -1;
    for (int c = 0; c < pl->ncap; c++)
        if (pl->cap[c].mode == a->mode && (pl->cap[c].prods & (1u << a->product))) {
            double v = row_value(P, pl->crow[c] + k) * a->trip_h;
            if (ref[2] < 0 || v > part[2]) { part[2] = v; ref[2] = c; }
        }
}

/* Why u is short: see OPT_WHY_*. */
static void explain_use(const OptPlan *pl, glp_prob *P, OptExplain *e, int u)
{
    int K = pl->K, kmax = 0;
    double tot = 0, worst = -1;
    for (int k = 0; k < K; k++) {
        double x = fmax(0, pl->val[pl->ucol[u] + k]);
        tot += x;
        if (x > worst) { worst = x; kmax = k; }
    }
    e->unmet_kl[u] = tot;
    e->why[u] = OPT_WHY_NONE;
    e->why_ref[u] = -1;
    e->why_period[u] = kmax;
    if (tot <= OPT_FLOW_EPS * K) return;
    double best = INFINITY, bpart[3] = {0, 0, 0};
    int bref[3] = {-1, -1, -1};
    for (int i = 0; i < pl->narc; i++) {
        const OptArc *a = &pl->arc[i];
        if (!arc_reaches(pl, a, u)) continue;
        for (int k = 0; k < K; k++) {
            if (!pl->x_ok[(size_t)i * K + k]) continue;
            int kk = opt_arrival(pl, k, a->load_h + a->travel_h + a->unload_h);
            if (kk > kmax || (a->dkind == OPT_D_HUB && pl->ycol[u] && !pl->y_ok[u * K + kk])) continue;
            double part[3];
            int ref[3];
            arc_price(pl, P, a, k, part, ref);
            double sum = part[0] + part[1] + part[2];
            if (sum < best) {
                best = sum;
                for (int j = 0; j < 3; j++) { bpart[j] = part[j]; bref[j] = ref[j]; }
            }
        }
    }
    if (!isfinite(best)) { e->why[u] = OPT_WHY_NO_SOURCE; return; }
    int j = bpart[2] >= bpart[1] && bpart[2] >= bpart[0] ? 2 : bpart[1] >= bpart[0] ? 1 : 0;
    if (bpart[j] <= DUAL_EPS) { e->why[u] = OPT_WHY_OTHER; return; }
    e->why[u] = j == 2 ? OPT_WHY_FLEET : j == 1 ? OPT_WHY_QUEUE : OPT_WHY_STOCK;
    e->why_ref[u] = bref[j];
}

/* The period of the hour [t - 1, t) (t in h since the plan's start), -1 outside the horizon. */
static int period_of_hour(const OptPlan *pl, double t)
{
    if (t - OPT_EARLIER_H < -1e-9 || t > pl->ts[pl->K] + 1e-9) return -1;
    int k = 0;
    while (k + 1 < pl->K && pl->ts[k + 1] <= t - OPT_EARLIER_H + 1e-9) k++;
    return k;
}

/* Racks, berths and sidings coming back inside the horizon: the last period
 * with fewer server-hours than its full servers (the most it has in any
 * period) is the one it returns in; an hour earlier adds an hour of the
 * servers it lacks there (all of them when the hour before the return had
 * none, the model's periods keeping no finer profile). */
static void queue_openings(const OptPlan *pl, OptExplain *e, OptEarlier **out, int *n, int *cap)
{
    const World *w = pl->w;
    int K = pl->K;
    for (int f = 0; f < w->nfac; f++)
        for (int q = 0; q < OPT_NQ; q++) {
            size_t at = ((size_t)f * OPT_NQ + q) * K;
            const double *hrs = e->queue_hours + at;
            if (hrs[0] < 0) continue;
            double servers = 0;
            for (int k = 0; k < K; k++) servers = fmax(servers, hrs[k] / opt_len(pl, k));
            int kopen = -1;
            for (int k = K - 1; k >= 0; k--)
                if (hrs[k] < servers * opt_len(pl, k) - 1e-6) { kopen = k; break; }
            if (kopen < 0 || kopen + 1 >= K || servers <= 0) continue;
            double added = fmin(servers * OPT_EARLIER_H, servers * opt_len(pl, kopen) - hrs[kopen]);
            double bound = e->queue_dual[at + kopen] * added;
            if (!(bound > 1e-9)) continue;
            xgrow((void **)out, cap, *n + 1, sizeof **out);
            (*out)[(*n)++] = (OptEarlier){OPT_E_QUEUE, f, q, kopen,
                                          pl->t0 + pl->ts[kopen + 1] - hrs[kopen] / servers,
                                          OPT_EARLIER_H, added, bound, 0};
        }
}

/* Capacity set c counts fleet a: its mode and one of its products. */
static int cap_serves(const OptPlan *pl, int c, int a)
{
    const Asset *as = &pl->w->asset[a];
    return pl->cap[c].mode == (int)as->mode && (pl->cap[c].prods & as->products) != 0;
}

/* Fleets ready after the plan's start and inside the horizon: an hour
 * earlier adds the kL-hours they bring per hour once ready (their capacity
 * in the period they become ready, over the hours ready in it) to every
 * capacity set they belong to, as a request (not asked for yet) or on hand. */
static void fleet_openings(const OptPlan *pl, OptExplain *e, OptEarlier **out, int *n, int *cap)
{
    const World *w = pl->w;
    int K = pl->K;
    for (int a = 0; a < w->nasset; a++) {
        double t = pl->fleet_ready[a] - pl->t0;
        if (w->asset[a].count <= 0 || t < OPT_EARLIER_H - 1e-9) continue;
        int k1 = period_of_hour(pl, t), kr = k1;
        if (k1 < 0) continue;
        while (kr + 1 < K && pl->ts[kr + 1] <= t + 1e-9) kr++;
        double ready_h = pl->ts[kr + 1] - fmax(t, pl->ts[kr]);
        double rate = ready_h > 0 ? pl->fleet_kh[(size_t)a * K + kr] / ready_h : 0;
        if (!(rate > 0)) continue;
        double added = rate * OPT_EARLIER_H, bound = 0;
        for (int c = 0; c < pl->ncap; c++)
            if (cap_serves(pl, c, a))
                bound += added * (pl->fleet_unreq[a] ? e->request_dual[(size_t)c * K + k1] : e->fleet_dual[(size_t)c * K + k1]);
        if (!(bound > 1e-9)) continue;
        xgrow((void **)out, cap, *n + 1, sizeof **out);
        (*out)[(*n)++] = (OptEarlier){OPT_E_FLEET, a, -1, k1, pl->fleet_ready[a], OPT_EARLIER_H, added, bound, 0};
    }
}

/* Set the upper bound of a row (row > 0) or else of column col to ub. */
static void set_ub(glp_prob *Q, int row, int col, double ub)
{
    if (row) glp_set_row_bnds(Q, row, GLP_UP, 0, ub);
    else opt_col_bounds(Q, col, glp_get_col_lb(Q, col), ub);
}

/* Solve Q again from its basis (the dual simplex: a looser bound keeps it
 * dual feasible); the objective, or NAN. */
static double resolve(glp_prob *Q)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUALP;
    int rc = glp_simplex(Q, &sm);
    if (rc != 0) {
        sm.presolve = GLP_ON;
        rc = glp_simplex(Q, &sm);
    }
    return rc == 0 && glp_get_status(Q) == GLP_OPT ? glp_get_obj_val(Q) : NAN;
}

/* The savings of the earlier openings: each on a copy of the dual LP (the
 * plan's problem and basis are left alone for the planner). */
static void value_earlier(const OptPlan *pl, glp_prob *P, OptExplain *e)
{
    if (e->nearlier == 0) return;
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    double base = resolve(Q);
    for (int i = 0; i < e->nearlier; i++) {
        OptEarlier *x = &e->earlier[i];
        x->saved = NAN;
        if (!isfinite(base)) continue;
        int nb = 0, rows[NMODE * OPT_NSUB], cols[NMODE * OPT_NSUB];
        double ub[NMODE * OPT_NSUB];
        if (x->kind == OPT_E_QUEUE) {
            rows[nb] = pl->qrow[x->ref * SUP_NQ + x->queue] + x->period;
            cols[nb++] = 0;
        } else
            for (int c = 0; c < pl->ncap; c++)
                if (cap_serves(pl, c, x->ref)) {
                    rows[nb] = pl->fleet_unreq[x->ref] ? 0 : pl->crow[c] + x->period;
                    cols[nb++] = pl->fleet_unreq[x->ref] ? pl->ecol[c] + x->period : 0;
                }
        for (int j = 0; j < nb; j++) {
            ub[j] = rows[j] ? glp_get_row_ub(Q, rows[j]) : glp_get_col_ub(Q, cols[j]);
            set_ub(Q, rows[j], cols[j], ub[j] + x->added);
        }
        double obj = resolve(Q);
        for (int j = 0; j < nb; j++) set_ub(Q, rows[j], cols[j], ub[j]);
        /* the LP is convex in its bounds: a saving beyond the duals' bound, or
         * below zero, is the solver's tolerance */
        if (isfinite(obj)) x->saved = fmax(0, base - obj);
    }
    glp_delete_prob(Q);
}

OptExplain *opt_plan_explain(const OptPlan *pl)
{
    const World *w = pl->w;
    if (!pl->P || pl->sol.status == OPT_FAILED) return NULL;
    int own;
    glp_prob *P = dual_lp(pl, &own);
    if (!P) return NULL;
    int K = pl->K;
    OptExplain *e = xcalloc(1, sizeof *e);
    e->nperiod = K;
    e->nfac = w->nfac;
    e->nasset = w->nasset;
    e->ncapset = pl->ncap;
    e->nuse = w->nuse;
    e->nstock = w->nstock;
    e->fixed_mip = own;
    e->objective = glp_get_obj_val(P);
    e->fleet_unrequested = xcalloc((size_t)w->nasset + 1, 1);
    for (int a = 0; a < w->nasset; a++) e->fleet_unrequested[a] = pl->fleet_unreq[a];
    e->request_dual = xcalloc(((size_t)pl->ncap + 1) * K, sizeof(double));
    e->fleet_dual = xcalloc(((size_t)pl->ncap + 1) * K, sizeof(double));
    /* the value of raising a request column's upper bound: minus its reduced cost */
    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++) {
            e->request_dual[c * K + k] = fmax(0, -glp_get_col_dual(P, pl->ecol[c] + k));
            e->fleet_dual[c * K + k] = -glp_get_row_dual(P, pl->crow[c] + k);
        }
    e->stock_dual = xcalloc(((size_t)w->nstock + 1) * K, sizeof(double));
    for (int s = 0; s < w->nstock; s++)
        for (int k = 0; pl->srow[s] && k < K; k++) e->stock_dual[s * K + k] = -glp_get_row_dual(P, pl->srow[s] + k);
    size_t nq = (size_t)w->nfac * OPT_NQ * K + 1;
    e->queue_dual = xcalloc(nq, sizeof(double));
    e->queue_hours = xmalloc(nq * sizeof(double));
    for (int f = 0; f < w->nfac; f++)
        for (int q = 0; q < OPT_NQ; q++)
            for (int k = 0; k < K; k++) {
                int row = pl->qrow[f * SUP_NQ + q];
                size_t at = ((size_t)f * OPT_NQ + q) * K + k;
                e->queue_dual[at] = row_value(P, row ? row + k : 0);
                e->queue_hours[at] = row ? glp_get_row_ub(P, row + k) : -1;
            }
    size_t nu = (size_t)w->nuse + 1;
    e->unmet_kl = xcalloc(nu, sizeof(double));
    e->why = xcalloc(nu, sizeof(int));
    e->why_ref = xcalloc(nu, sizeof(int));
    e->why_period = xcalloc(nu, sizeof(int));
    for (int u = 0; u < w->nuse; u++) explain_use(pl, P, e, u);
    int cap = 0;
    queue_openings(pl, e, &e->earlier, &e->nearlier, &cap);
    fleet_openings(pl, e, &e->earlier, &e->nearlier, &cap);
    value_earlier(pl, P, e);
    e->nroad = pl->nroad;
    e->road_valued = pl->road_valued;
    e->road_closed = pl->road_closed;
    e->road_screened = pl->road_screened;
    e->road = xmalloc(((size_t)pl->nroad + 1) * sizeof *e->road);
    if (pl->nroad) memcpy(e->road, pl->road, (size_t)pl->nroad * sizeof *e->road);
    if (own) glp_delete_prob(P);
    return e;
}

void opt_explain_free(OptExplain *e)
{
    if (!e) return;
    free(e->fleet_unrequested); free(e->request_dual); free(e->queue_dual); free(e->queue_hours);
    free(e->fleet_dual); free(e->stock_dual); free(e->earlier); free(e->road);
    free(e->unmet_kl); free(e->why); free(e->why_ref); free(e->why_period);
    free(e);
}
