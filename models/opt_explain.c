/* What limits a solved plan, from the LP's dual values: the shadow prices
 * of requests for fleets not yet asked for and of the racks, berths and
 * sidings, and for each consumption row left short the limit that prices
 * the cheapest movement that could reach it. Run on demand (fuelsim plan),
 * not inside the re-planning loop, so it costs the sweeps nothing. */
#include "optimise_int.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>

const char *const opt_queue_name[OPT_NQ] = {"rack", "berth", "siding"};
const char *const opt_why_name[OPT_NWHY] = {"none", "no_source", "fleet", "queue", "stock", "other"};

/* The supply queues and ours are the same three, in the same order. */
_Static_assert((int)SUP_Q_RACK == (int)OPT_Q_RACK && (int)SUP_Q_BERTH == (int)OPT_Q_BERTH &&
                   (int)SUP_Q_SIDING == (int)OPT_Q_SIDING,
               "queue kinds");

/* Below this a dual is solver noise (objective units). */
#define DUAL_EPS 1e-7

static double row_value(glp_prob *P, int row) { return row ? fmax(0, -glp_get_row_dual(P, row)) : 0; }

/* Does arc a deliver to consumption row u (directly, or through u's hub)? */
static int arc_reaches(const OptPlan *pl, const OptArc *a, int u)
{
    return (a->dkind == OPT_D_USE && a->dest == u) || (a->dkind == OPT_D_HUB && a->dest == pl->use_hub[u]);
}

/* The price parts of moving one kL on arc a in period k: stock, queue, fleet. */
static void arc_price(const OptPlan *pl, const OptArc *a, int k, double part[3], int ref[3])
{
    glp_prob *P = pl->P;
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
static void explain_use(const OptPlan *pl, OptExplain *e, int u)
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
            arc_price(pl, a, k, part, ref);
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

OptExplain *opt_plan_explain(const OptPlan *pl)
{
    const World *w = pl->w;
    if (!pl->P || pl->p.integer || pl->sol.status != OPT_OPTIMAL) return NULL;
    int K = pl->K;
    glp_prob *P = pl->P;
    OptExplain *e = xcalloc(1, sizeof *e);
    e->nperiod = K;
    e->nfac = w->nfac;
    e->nasset = w->nasset;
    e->ncapset = pl->ncap;
    e->nuse = w->nuse;
    e->fleet_unrequested = xcalloc((size_t)w->nasset + 1, 1);
    for (int a = 0; a < w->nasset; a++) e->fleet_unrequested[a] = pl->fleet_unreq[a];
    e->request_dual = xcalloc(((size_t)pl->ncap + 1) * K, sizeof(double));
    /* the value of raising a request column's upper bound: minus its reduced cost */
    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++) e->request_dual[c * K + k] = fmax(0, -glp_get_col_dual(P, pl->ecol[c] + k));
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
    for (int u = 0; u < w->nuse; u++) explain_use(pl, e, u);
    return e;
}

void opt_explain_free(OptExplain *e)
{
    if (!e) return;
    free(e->fleet_unrequested); free(e->request_dual); free(e->queue_dual); free(e->queue_hours);
    free(e->unmet_kl); free(e->why); free(e->why_ref); free(e->why_period);
    free(e);
}
