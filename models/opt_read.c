/* Reading a solved model: the objective's terms, stock levels, and the
 * first periods' movements handed out to fleets that may carry them
 * (OptFlow), within each fleet's kL-hours. */
#include "optimise_int.h"

#include "util.h"

#include <math.h>
#include <stdlib.h>

/* ---- reading the solution ----------------------------------------------------------- */

/* Budgets of kL-hours of each product per fleet that may carry it: a max
 * flow from products to fleets (Edmonds-Karp on a graph of a few dozen
 * nodes). Hall's condition in the capacity rows makes it place everything,
 * up to rounding. budget[p * nasset + a]. */
static void fleet_budgets(const OptPlan *pl, int mode, int k, const double *need, double *budget)
{
    const World *w = pl->w;
    int nf = 0;
    int *fl = xmalloc(((size_t)w->nasset + 1) * sizeof *fl);
    for (int a = 0; a < w->nasset; a++)
        if ((int)w->asset[a].mode == mode && w->asset[a].count > 0) fl[nf++] = a;
    int n = 2 + NPROD + nf, S = 0, T = n - 1;
    double *cap = xcalloc((size_t)n * n, sizeof *cap), *flow = xcalloc((size_t)n * n, sizeof *flow);
    for (int p = 0; p < NPROD; p++) cap[S * n + 1 + p] = need[p];
    for (int i = 0; i < nf; i++) {
        int a = fl[i];
        for (int p = 0; p < NPROD; p++)
            if (w->asset[a].products & (1u << p)) cap[(1 + p) * n + 1 + NPROD + i] = SUP_INF;
        cap[(1 + NPROD + i) * n + T] = pl->fleet_kh[(size_t)a * pl->K + k];
    }
    int *prev = xmalloc((size_t)n * sizeof *prev), *queue = xmalloc((size_t)n * sizeof *queue);
    for (int iter = 0; iter < 4 * n * n; iter++) {
        for (int i = 0; i < n; i++) prev[i] = -1;
        prev[S] = S;
        int qh = 0, qt = 0;
        queue[qt++] = S;
        while (qh < qt && prev[T] < 0) {
            int u = queue[qh++];
            for (int v = 0; v < n; v++)
                if (prev[v] < 0 && cap[u * n + v] - flow[u * n + v] + flow[v * n + u] > 1e-9) {
                    prev[v] = u;
                    queue[qt++] = v;
                }
        }
        if (prev[T] < 0) break;
        double b = SUP_INF;
        for (int v = T; v != S; v = prev[v]) {
            int u = prev[v];
            b = fmin(b, cap[u * n + v] - flow[u * n + v] + flow[v * n + u]);
        }
        for (int v = T; v != S; v = prev[v]) {
            int u = prev[v];
            double back = fmin(b, flow[v * n + u]);
            flow[v * n + u] -= back;
            flow[u * n + v] += b - back;
        }
    }
    for (int p = 0; p < NPROD; p++)
        for (int a = 0; a < w->nasset; a++) budget[p * w->nasset + a] = 0;
    for (int p = 0; p < NPROD; p++)
        for (int i = 0; i < nf; i++) budget[p * w->nasset + fl[i]] = flow[(1 + p) * n + 1 + NPROD + i];
    free(fl); free(cap); free(flow); free(prev); free(queue);
}

static void push_flow(OptPlan *pl, const OptArc *a, int fleet, int k, int use, double kl)
{
    const World *w = pl->w;
    OptSolution *so = &pl->sol;
    xgrow((void **)&so->flow, &pl->capflow, so->nflow + 1, sizeof *so->flow);
    OptFlow *f = &so->flow[so->nflow++];
    f->fleet = fleet;
    f->mode = a->mode;
    f->src = a->src;
    f->dest_use = use;
    f->dest_stock = a->dkind == OPT_D_STOCK ? a->dest : -1;
    f->dest_place = a->dkind == OPT_D_STOCK ? w->stock[a->dest].facility : w->nfac + w->use[use].point;
    f->product = a->product;
    f->period = k;
    f->kl = kl;
    f->depart_h = pl->t0 + pl->ts[k];
    f->arrive_h = f->depart_h + a->load_h + a->travel_h + a->unload_h;
    f->trip_h = a->trip_h;
}

typedef struct Item { int arc, use; double kl; } Item;

static int item_cmp_ctx_product(const OptPlan *pl, const Item *x, const Item *y)
{
    int px = pl->arc[x->arc].product, py = pl->arc[y->arc].product;
    if (px != py) return px - py;
    if (x->kl != y->kl) return x->kl > y->kl ? -1 : 1;
    if (x->arc != y->arc) return x->arc - y->arc;
    return x->use - y->use;
}

/* Insertion sort: the lists are short, and qsort has no context pointer. */
static void sort_items(const OptPlan *pl, Item *it, int n)
{
    for (int i = 1; i < n; i++) {
        Item x = it[i];
        int j = i;
        while (j > 0 && item_cmp_ctx_product(pl, &x, &it[j - 1]) < 0) { it[j] = it[j - 1]; j--; }
        it[j] = x;
    }
}

void opt_read_solution(OptPlan *pl)
{
    const World *w = pl->w;
    OptSolution *so = &pl->sol;
    int K = pl->K, mip = pl->p.integer, ncol = glp_get_num_cols(pl->P);
    glp_prob *P = pl->P;
    pl->val = xrealloc(pl->val, ((size_t)ncol + 1) * sizeof *pl->val);
    for (int j = 1; j <= ncol; j++) pl->val[j] = mip ? glp_mip_col_val(P, j) : glp_get_col_prim(P, j);
    const double *v = pl->val;
    so->objective = mip ? glp_mip_obj_val(P) : glp_get_obj_val(P);
    so->unmet_weighted = 0;
    for (int c = 0; c < NCLASS; c++) so->unmet_class_kl[c] = 0;
    for (int u = 0; u < w->nuse; u++) {
        int cls = opt_use_class(pl, u) - 1;
        for (int k = 0; k < K; k++) {
            double x = fmax(0, v[pl->ucol[u] + k]);
            so->unmet_class_kl[cls] += x;
            so->unmet_weighted += w->class_weight[cls] * x;
        }
    }
    so->buffer_term = 0;
    for (int u = 0; u < w->nuse; u++)
        for (int k = 0; pl->bcol[u] && k < K; k++)
            so->buffer_term += pl->p.buffer_weight * w->class_weight[opt_use_class(pl, u) - 1] *
                               fmax(0, pl->target[u * K + k] - v[pl->bcol[u] + k]);
    so->transport_cost = so->objective - so->unmet_weighted - so->buffer_term;
    for (int s = 0; s < w->nstock; s++)
        for (int k = 0; k < K; k++) {
            so->stock_prod[s * K + k] = pl->pcol[s] ? v[pl->pcol[s] + k] : 0;
            so->stock_inv[s * K + k] = pl->srow[s] ? v[pl->icol[s] + k] : 0;
            so->stock_dual[s * K + k] = pl->srow[s] && !mip ? -glp_get_row_dual(P, pl->srow[s] + k) : 0;
        }
    for (int s = 0; s < w->nstock; s++)
        if (!pl->srow[s]) pl->s_start[s] = -1;

    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++) so->fleet_dual[c * K + k] = mip ? 0 : -glp_get_row_dual(P, pl->crow[c] + k);
    pl->wants_mobilise = 0;
    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++)
            if (v[pl->ecol[c] + k] > 1e-6) pl->wants_mobilise = 1;

    /* hub shares still to hand out, per member and period */
    for (int u = 0; u < w->nuse; u++)
        for (int k = 0; k < K; k++) pl->yleft[u * K + k] = pl->ycol[u] ? fmax(0, v[pl->ycol[u] + k]) : 0;

    /* per period and mode: each movement to its demand rows (a hub's shares
     * at arrival, highest class first), then whole movements to fleets
     * within their budgets, largest first */
    so->nflow = 0;
    double *budget = xmalloc((size_t)NPROD * (w->nasset + 1) * sizeof *budget);
    int capit = 0, nit;
    Item *it = NULL;
    /* the arcs that move something in period k, in order: read once, not
     * once per mode */
    int *moving = xmalloc(((size_t)pl->narc + 1) * sizeof *moving), nmov;
    for (int k = 0; k < K; k++) {
        nmov = 0;
        for (int i = 0; i < pl->narc; i++)
            if (v[pl->arc[i].xcol + k] > OPT_FLOW_EPS) moving[nmov++] = i;
        for (int mode = 0; mode < NMODE; mode++) {
            double need[NPROD] = {0};
            nit = 0;
            for (int mi = 0; mi < nmov; mi++) {
                int i = moving[mi];
                const OptArc *a = &pl->arc[i];
                if (a->mode != mode) continue;
                double x = v[a->xcol + k];
                need[a->product] += mip ? v[a->ncol + k] * w->asset[a->ref].capacity_kl * a->trip_h : x * a->trip_h;
                xgrow((void **)&it, &capit, nit + pl->maxhub + 1, sizeof *it);
                if (a->dkind == OPT_D_STOCK) it[nit++] = (Item){i, -1, x};
                else if (a->dkind == OPT_D_USE) it[nit++] = (Item){i, a->dest, x};
                else if (pl->hub[a->dest].n == 1) it[nit++] = (Item){i, pl->hub_use[pl->hub[a->dest].first], x};
                else {
                    const OptHub *h = &pl->hub[a->dest];
                    int kk = opt_arrival(pl, k, a->load_h + a->travel_h + a->unload_h);
                    for (int m = 0; m < h->n && x > OPT_FLOW_EPS && kk < K; m++) {
                        int u = pl->hub_use[h->first + m];
                        double take = fmin(x, pl->yleft[u * K + kk]);
                        if (take <= OPT_FLOW_EPS) continue;
                        pl->yleft[u * K + kk] -= take;
                        x -= take;
                        it[nit++] = (Item){i, u, take};
                    }
                }
            }
            if (nit == 0) continue;
            fleet_budgets(pl, mode, k, need, budget);
            sort_items(pl, it, nit);
            for (int t = 0; t < nit; t++) {
                const OptArc *a = &pl->arc[it[t].arc];
                double kh = it[t].kl * a->trip_h;
                double *b = budget + (size_t)a->product * w->nasset;
                while (kh > OPT_FLOW_EPS * a->trip_h) {
                    int best = -1;
                    for (int fa = 0; fa < w->nasset; fa++)
                        if (b[fa] > OPT_FLOW_EPS && (best < 0 || b[fa] > b[best])) best = fa;
                    /* rounding: what no budget holds goes to the reference fleet */
                    double take = best < 0 ? kh : fmin(kh, b[best]);
                    if (best < 0) best = a->ref;
                    else b[best] -= take;
                    push_flow(pl, a, best, k, it[t].use, take / a->trip_h);
                    kh -= take;
                }
            }
        }
    }
    free(moving);
    free(it);
    free(budget);
}
