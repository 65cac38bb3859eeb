/* Building the optimiser's model (see optimise.h, optimise_int.h): the fixed
 * structure of the world (hubs, capacity sets), rows and columns added as
 * movements appear, and the bounds and objective from a replicate's state.
 *
 * Size is kept down two ways. Demand rows that hang off the same road node
 * (a cluster's hospital, HQ, shelters and service stations) share a hub per
 * product: road movements go to the hub and split variables share it out
 * (helicopters fly to each demand row, past a closed last mile). Fleets of
 * one mode share their capacity in kL-hours (a kL carried uses its trip
 * time whatever unit carries it), with one row per set of products closed
 * under "which fleets can carry one of them" (Hall's condition), so the flows
 * can always be handed out to fleets that may carry them.
 *
 * The problem only grows within a replicate: a movement that stops being
 * among the nearest stays, fixed at zero (GLPK leaves fixed columns out of
 * its working problem); new ones are appended as columns, new rows come in
 * basic; a movement whose new trip time would move a basic column to
 * another arrival period is replaced by a new one (the old one kept at
 * zero). So the basis of the last solve stays valid and regular, and every
 * re-plan after the first is warm. */
#include "optimise_int.h"

#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const opt_forecast_name[OPT_NFC] = {"median", "p90", "perfect"};

void opt_params_default(OptParams *p)
{
    memset(p, 0, sizeof *p);
    p->horizon_h = 72;
    p->step_h = 6;
    p->growth = 3;
    p->replan_h = 12;
    p->event_gap_h = 0;
    p->forecast = OPT_FC_MEDIAN;
    p->k_road = 5;
    p->k_air = 2;
    p->k_bulk = 5;
    p->integer = 0;
    p->int_periods = 1;
    p->it_lim = 0;
    p->node_lim = 2000;
    p->mip_gap = 0.01;
    p->cost_weight = 1;
    p->buffer_weight = 0.25;
    p->warm = 1;
    p->names = 0;
    p->inspect_h = 6;
}

const char *opt_params_check(const OptParams *p)
{
    if (!(p->step_h >= 1 && p->step_h <= 168) || p->step_h != floor(p->step_h))
        return "step_h must be a whole number of hours in [1, 168]";
    if (!(p->horizon_h >= p->step_h && p->horizon_h <= 720))
        return "horizon_h must be in [step_h, 720]";
    if (ceil(p->horizon_h / p->step_h - 1e-9) > 240) return "horizon_h / step_h gives more than 240 periods";
    if (!(p->growth >= 1 && p->growth <= 4)) return "growth must be in [1, 4]";
    if (!(p->replan_h >= 1 && p->replan_h <= 720)) return "replan_h must be in [1, 720]";
    if (!(p->event_gap_h >= 0 && p->event_gap_h <= p->replan_h)) return "event_gap_h must be in [0, replan_h]";
    if (p->forecast < 0 || p->forecast >= OPT_NFC) return "forecast must be median, p90 or perfect";
    if (p->k_road < 1 || p->k_road > 50 || p->k_air < 0 || p->k_air > 50 || p->k_bulk < 0 || p->k_bulk > 50)
        return "k_road must be in [1, 50], k_air and k_bulk in [0, 50]";
    if (p->it_lim < 0 || p->node_lim < 0 || p->int_periods < 0) return "it_lim, node_lim and int_periods must be >= 0";
    if (!(p->mip_gap >= 0 && p->mip_gap < 1)) return "mip_gap must be in [0, 1)";
    if (!(p->cost_weight >= 0 && p->cost_weight <= 1e6)) return "cost_weight must be in [0, 1e6]";
    if (!(p->buffer_weight >= 0 && p->buffer_weight <= 1)) return "buffer_weight must be in [0, 1]";
    if (!(p->inspect_h >= 0 && p->inspect_h <= 720)) return "inspect_h must be in [0, 720]";
    return NULL;
}

static int has_comp(const SupModel *m, int f, int kind)
{
    int key = f * NCOMPKIND + kind;
    return m->comp_off[key + 1] > m->comp_off[key];
}

/* ---- fixed structure of the world --------------------------------------------- */

static void build_hubs(OptPlan *pl)
{
    const World *w = pl->w;
    pl->lastmile = xmalloc(((size_t)w->ndem + 1) * sizeof *pl->lastmile);
    int *node = xmalloc(((size_t)w->ndem + 1) * sizeof *node);
    for (int d = 0; d < w->ndem; d++) {
        int n = 0, l1 = -1;
        for (int l = 0; l < w->nlink; l++) {
            if (w->link[l].mode != MODE_ROAD) continue;
            if (w->link[l].from == w->nfac + d || w->link[l].to == w->nfac + d) { n++; l1 = l; }
        }
        node[d] = w->nfac + d;
        pl->lastmile[d] = -1;
        if (n == 1) {
            int other = w->link[l1].from == w->nfac + d ? w->link[l1].to : w->link[l1].from;
            if (!world_place_is_demand(w, other)) { node[d] = other; pl->lastmile[d] = l1; }
        }
    }
    pl->use_hub = xmalloc(((size_t)w->nuse + 1) * sizeof *pl->use_hub);
    pl->hub = xmalloc(((size_t)w->nuse + 1) * sizeof *pl->hub);
    pl->hub_use = xmalloc(((size_t)w->nuse + 1) * sizeof *pl->hub_use);
    for (int u = 0; u < w->nuse; u++) pl->use_hub[u] = -1;
    int nh = 0, nm = 0;
    /* hubs in order of their first member; members by class, then row */
    for (int u = 0; u < w->nuse; u++) {
        if (pl->use_hub[u] >= 0) continue;
        int d = w->use[u].point, p = w->use[u].product;
        OptHub *h = &pl->hub[nh];
        h->place = node[d];
        h->product = p;
        h->first = nm;
        h->n = 0;
        for (int cls = 1; cls <= NCLASS; cls++)
            for (int v = u; v < w->nuse; v++) {
                int dv = w->use[v].point;
                if (pl->use_hub[v] >= 0 || w->use[v].product != p || w->dem[dv].priority != cls) continue;
                if (node[dv] != node[d] || (node[d] == w->nfac + d && dv != d)) continue;
                pl->use_hub[v] = nh;
                pl->hub_use[nm++] = v;
                h->n++;
            }
        if (h->n == 1) h->place = w->nfac + d;
        if (h->n > pl->maxhub) pl->maxhub = h->n;
        nh++;
    }
    pl->nhub = nh;
    free(node);
}

static void build_caps(OptPlan *pl)
{
    const World *w = pl->w;
    for (int m = 0; m < NMODE; m++)
        for (int p = 0; p < NPROD; p++) {
            int best = -1;
            double bv = 0;
            for (int a = 0; a < w->nasset; a++) {
                const Asset *as = &w->asset[a];
                if ((int)as->mode != m || as->count <= 0 || !(as->products & (1u << p))) continue;
                double v = as->count * as->capacity_kl;
                if (v > bv) { bv = v; best = a; }
            }
            pl->ref[m][p] = best;
        }
    /* closed product sets: no larger set reaches the same fleets */
    pl->ncap = 0;
    for (int m = 0; m < NMODE; m++) {
        unsigned carried = 0;
        for (int a = 0; a < w->nasset; a++)
            if ((int)w->asset[a].mode == m && w->asset[a].count > 0) carried |= w->asset[a].products;
        carried &= (1u << NPROD) - 1;
        for (unsigned s = 1; s <= OPT_NSUB; s++) {
            if ((s & carried) != s) continue;
            int closed = 1;
            for (unsigned t = 1; t <= OPT_NSUB && closed; t++) {
                if (t == s || (t & s) != s || (t & carried) != t) continue;
                int same = 1;
                for (int a = 0; a < w->nasset && same; a++) {
                    if ((int)w->asset[a].mode != m || w->asset[a].count <= 0) continue;
                    same = ((w->asset[a].products & s) != 0) == ((w->asset[a].products & t) != 0);
                }
                if (same) closed = 0;
            }
            if (closed) pl->cap[pl->ncap++] = (OptCapSet){m, s};
        }
    }
}

/* Period starts in whole hours from t0: step_h, then each growth times the
 * one before (rounded), the last cut at the horizon. */
static void set_periods(OptPlan *pl)
{
    const OptParams *p = &pl->p;
    double len = p->step_h, t = 0;
    int K = 0;
    pl->ts[0] = 0;
    while (t < p->horizon_h - 1e-9 && K < OPT_MAXPERIOD) {
        double l = fmin(floor(len + 0.5), p->horizon_h - t);
        t += l;
        pl->ts[++K] = t;
        len *= p->growth;
    }
    pl->K = K;
}

OptPlan *opt_plan_new(const World *w, const OptParams *p)
{
    if (opt_params_check(p)) return NULL;
    glp_term_out(GLP_OFF);
    OptPlan *pl = xcalloc(1, sizeof *pl);
    pl->w = w;
    pl->p = *p;
    set_periods(pl);
    build_hubs(pl);
    build_caps(pl);
    size_t ns = (size_t)w->nstock + 1, nu = (size_t)w->nuse + 1, K = (size_t)pl->K;
    pl->depot = xcalloc(ns, 1);
    for (int s = 0; s < w->nstock; s++) {
        const Stock *st = &w->stock[s];
        int f = st->facility;
        pl->depot[s] = w->fac[f].kind == FAC_OIL_TERMINAL || w->fac[f].kind == FAC_INLAND_DEPOT;
    }
    double wmin = SUP_INF;
    for (int k = 0; k < NCLASS; k++)
        if (w->class_weight[k] > 0) wmin = fmin(wmin, w->class_weight[k]);
    pl->eps = 1e-3 * (isfinite(wmin) ? wmin : 1) * p->cost_weight;
    pl->cost_unit = 0;
    for (int a = 0; a < w->nasset; a++)
        pl->cost_unit = fmax(pl->cost_unit, w->asset[a].cost_per_km / w->asset[a].capacity_kl * 200);
    if (pl->cost_unit <= 0) pl->cost_unit = 1;

    size_t ndest = (size_t)pl->nhub + w->nuse + w->nstock + 1;
    pl->dest_head = xmalloc(ndest * sizeof(int));
    for (size_t i = 0; i < ndest; i++) pl->dest_head[i] = -1;
    pl->srow = xcalloc(ns, sizeof(int)); pl->icol = xcalloc(ns, sizeof(int)); pl->pcol = xcalloc(ns, sizeof(int));
    pl->urow = xcalloc(nu, sizeof(int)); pl->scol = xcalloc(nu, sizeof(int));
    pl->ucol = xcalloc(nu, sizeof(int)); pl->ycol = xcalloc(nu, sizeof(int));
    pl->bcol = xcalloc(nu, sizeof(int));
    pl->ucls = xmalloc(nu * sizeof(int));
    for (int u = 0; u < w->nuse; u++) pl->ucls[u] = w->dem[w->use[u].point].priority;
    pl->target = xcalloc(nu * K, sizeof(double));
    pl->hrow = xcalloc((size_t)pl->nhub + 1, sizeof(int));
    pl->qrow = xcalloc((size_t)w->nfac * SUP_NQ + 1, sizeof(int));
    pl->crow = xcalloc((size_t)pl->ncap + 1, sizeof(int));
    pl->ecol = xcalloc((size_t)pl->ncap + 1, sizeof(int));
    size_t na = (size_t)w->nasset + 1;
    pl->fleet_kh = xcalloc(na * K, sizeof(double));
    pl->fleet_ready = xcalloc(na, sizeof(double));
    pl->fleet_unreq = xcalloc(na, 1);
    pl->extra_units = xcalloc(na, sizeof(int));
    pl->ready_earlier = xcalloc(na, sizeof(double));
    pl->s_start = xcalloc(ns, sizeof(double));
    pl->s_in = xcalloc(ns * K, sizeof(double));
    pl->s_cap = xcalloc(ns * K, sizeof(double));
    pl->s_pmax = xcalloc(ns * K, sizeof(double));
    pl->u_s0 = xcalloc(nu, sizeof(double));
    pl->u_dem = xcalloc(nu * K, sizeof(double));
    pl->u_smax = xcalloc(nu, sizeof(double));
    pl->y_ok = xcalloc(nu * K, 1);
    pl->cap_on = xcalloc(((size_t)pl->ncap + 1) * K, sizeof(double));
    pl->cap_un = xcalloc(((size_t)pl->ncap + 1) * K, sizeof(double));
    pl->yleft = xcalloc(nu * K, sizeof(double));
    pl->sol.nfleet = w->nasset;
    pl->sol.nstock = w->nstock;
    pl->sol.fleet_kh = pl->fleet_kh;
    pl->sol.fleet_ready_h = pl->fleet_ready;
    pl->sol.stock_start = pl->s_start;
    pl->sol.stock_in = pl->s_in;
    pl->sol.stock_cap = pl->s_cap;
    pl->sol.stock_prod = xcalloc(ns * K, sizeof(double));
    pl->sol.stock_inv = xcalloc(ns * K, sizeof(double));
    pl->sol.stock_dual = xcalloc(ns * K, sizeof(double));
    pl->sol.fleet_dual = xcalloc(((size_t)pl->ncap + 1) * K, sizeof(double));
    pl->sol.ncapset = pl->ncap;
    for (int c = 0; c < pl->ncap; c++) {
        pl->cap_mode[c] = pl->cap[c].mode;
        pl->cap_prods[c] = pl->cap[c].prods;
    }
    pl->sol.capset_mode = pl->cap_mode;
    pl->sol.capset_products = pl->cap_prods;
    pl->sol.status = OPT_FAILED;
    pl->sol.why = "not solved yet";
    pl->sol.step_h = p->step_h;
    pl->sol.period_start_h = pl->ts;
    pl->sol.nperiod = pl->K;
    pl->sol.integer = p->integer;
    return pl;
}

void opt_plan_free(OptPlan *pl)
{
    if (!pl) return;
    if (pl->P) glp_delete_prob(pl->P);
    rst_schedule_free(pl->fc);
    free(pl->hub); free(pl->hub_use); free(pl->use_hub); free(pl->lastmile);
    free(pl->depot);
    free(pl->arc); free(pl->dest_head);
    free(pl->srow); free(pl->icol); free(pl->pcol);
    free(pl->urow); free(pl->scol); free(pl->ucol); free(pl->ycol);
    free(pl->bcol); free(pl->target); free(pl->ucls);
    free(pl->hrow); free(pl->qrow); free(pl->crow); free(pl->ecol);
    free(pl->fleet_kh); free(pl->fleet_ready); free(pl->fleet_unreq); free(pl->extra_units); free(pl->ready_earlier);
    free(pl->s_start); free(pl->s_in); free(pl->s_cap); free(pl->s_pmax);
    free(pl->u_s0); free(pl->u_dem); free(pl->u_smax); free(pl->y_ok);
    free(pl->cap_on); free(pl->cap_un);
    free(pl->x_ok); free(pl->val); free(pl->yleft);
    free(pl->sol.flow); free(pl->sol.stock_prod); free(pl->sol.stock_inv);
    free(pl->sol.stock_dual); free(pl->sol.fleet_dual);
    free(pl->road);
    free(pl);
}

const OptSolution *opt_plan_solution(const OptPlan *pl) { return &pl->sol; }

/* ---- rows and columns, added as needed ---------------------------------------------- */

/* Row and column names, only for an LP file: [A-Za-z0-9_]; the indices that
 * make them unique come first, so GLPK's 255-character limit cannot merge two. */
static void set_name(OptPlan *pl, int row, int idx, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void set_name(OptPlan *pl, int row, int idx, const char *fmt, ...)
{
    if (!pl->p.names) return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (char *s = buf; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) *s = '_';
    if (row) glp_set_row_name(pl->P, idx, buf);
    else glp_set_col_name(pl->P, idx, buf);
}

static const char *const pname[NPROD] = {"gas", "dsl", "ker", "hva"};

static int new_rows(OptPlan *pl, int n) { pl->grew = 1; return glp_add_rows(pl->P, n); }
static int new_cols(OptPlan *pl, int n) { pl->grew = 1; return glp_add_cols(pl->P, n); }

static void set_col(OptPlan *pl, int j, int n, const int *ind, const double *val)
{
    for (int t = 1; t <= n; t++) assert(ind[t] >= 1 && ind[t] <= glp_get_num_rows(pl->P) && isfinite(val[t]));
    glp_set_mat_col(pl->P, j, n, ind, val);
}

/* Inventory balance of a stock row: I[k] - I[k-1] - P[k] + out - in = start + arriving. */
static void need_stock(OptPlan *pl, int s)
{
    if (pl->srow[s]) return;
    const World *w = pl->w;
    int K = pl->K;
    pl->srow[s] = new_rows(pl, K);
    pl->icol[s] = new_cols(pl, K);
    if (w->stock[s].output_kl_d > 0) pl->pcol[s] = new_cols(pl, K);
    const char *fid = w->fac[w->stock[s].facility].id, *p = pname[w->stock[s].product];
    for (int k = 0; k < K; k++) {
        int ind[3];
        double val[3];
        int n = 0;
        ind[++n] = pl->srow[s] + k; val[n] = 1;
        if (k + 1 < K) { ind[++n] = pl->srow[s] + k + 1; val[n] = -1; }
        set_col(pl, pl->icol[s] + k, n, ind, val);
        if (pl->pcol[s]) {
            ind[1] = pl->srow[s] + k; val[1] = -1;
            set_col(pl, pl->pcol[s] + k, 1, ind, val);
            set_name(pl, 0, pl->pcol[s] + k, "prod%d_%d_%s_%s", s, k, fid, p);
        }
        set_name(pl, 1, pl->srow[s] + k, "bal%d_%d_%s_%s", s, k, fid, p);
        set_name(pl, 0, pl->icol[s] + k, "inv%d_%d_%s_%s", s, k, fid, p);
    }
}

static void need_queue(OptPlan *pl, int f, int q)
{
    static const char *const qn[SUP_NQ] = {"rack", "berth", "siding", "none"};
    if (pl->qrow[f * SUP_NQ + q]) return;
    pl->qrow[f * SUP_NQ + q] = new_rows(pl, pl->K);
    for (int k = 0; k < pl->K; k++)
        set_name(pl, 1, pl->qrow[f * SUP_NQ + q] + k, "%s%d_%d_%s", qn[q], f, k, pl->w->fac[f].id);
}

/* Demand rows, hubs and fleet capacity: there from the first solve. */
/* The safety-stock columns of use u (its class keeps a buffer): made at the
 * first build, or when a priority decision raises the point to such a class. */
static void need_buffer(OptPlan *pl, int u)
{
    if (pl->bcol[u] || opt_use_class(pl, u) > OPT_BUFFER_MAX_CLASS || pl->p.buffer_weight <= 0) return;
    const World *w = pl->w;
    int K = pl->K;
    const char *did = w->dem[w->use[u].point].id, *p = pname[w->use[u].product];
    pl->bcol[u] = new_cols(pl, K);
    for (int k = 0; k < K; k++) {
        int ind[3] = {0, pl->urow[u] + k, pl->urow[u] + k + 1};
        double val[3] = {0, 1, -1};
        /* stock up to the safety stock: rewarded, the shortfall's cost
         * comes back as the objective's constant */
        set_col(pl, pl->bcol[u] + k, k + 1 < K ? 2 : 1, ind, val);
        set_name(pl, 0, pl->bcol[u] + k, "safe%d_%d_%s_%s", u, k, did, p);
    }
}

void opt_first_build(OptPlan *pl)
{
    const World *w = pl->w;
    int K = pl->K;
    pl->P = glp_create_prob();
    glp_set_obj_dir(pl->P, GLP_MIN);
    if (pl->p.names) glp_set_obj_name(pl->P, "weighted_unmet_then_cost");
    for (int u = 0; u < w->nuse; u++) {
        pl->urow[u] = new_rows(pl, K);
        const char *did = w->dem[w->use[u].point].id, *p = pname[w->use[u].product];
        for (int k = 0; k < K; k++) set_name(pl, 1, pl->urow[u] + k, "use%d_%d_%s_%s", u, k, did, p);
    }
    for (int h = 0; h < pl->nhub; h++) {
        if (pl->hub[h].n < 2) continue;
        pl->hrow[h] = new_rows(pl, K);
        for (int k = 0; k < K; k++)
            set_name(pl, 1, pl->hrow[h] + k, "hub%d_%d_%s_%s", h, k, world_place_id(w, pl->hub[h].place),
                     pname[pl->hub[h].product]);
    }
    pl->onecol = new_cols(pl, 1);
    glp_set_col_bnds(pl->P, pl->onecol, GLP_FX, 1, 1);
    set_name(pl, 0, pl->onecol, "constant");
    for (int c = 0; c < pl->ncap; c++) {
        pl->crow[c] = new_rows(pl, K);
        pl->ecol[c] = new_cols(pl, K);
        for (int k = 0; k < K; k++) {
            int ind[2] = {0, pl->crow[c] + k};
            double val[2] = {0, -1};
            set_col(pl, pl->ecol[c] + k, 1, ind, val);
            set_name(pl, 1, pl->crow[c] + k, "fleet%d_%d_%s_p%u", c, k, world_mode_name[pl->cap[c].mode], pl->cap[c].prods);
            set_name(pl, 0, pl->ecol[c] + k, "request%d_%d_%s_p%u", c, k, world_mode_name[pl->cap[c].mode], pl->cap[c].prods);
        }
    }
    /* demand: S[k] - S[k-1] - y[k] - in - U[k] = S0 - use */
    for (int u = 0; u < w->nuse; u++) {
        int hub = pl->use_hub[u];
        pl->scol[u] = new_cols(pl, K);
        pl->ucol[u] = new_cols(pl, K);
        if (pl->hub[hub].n > 1) pl->ycol[u] = new_cols(pl, K);
        need_buffer(pl, u);
        const char *did = w->dem[w->use[u].point].id, *p = pname[w->use[u].product];
        for (int k = 0; k < K; k++) {
            int ind[4];
            double val[4];
            int n = 0;
            ind[++n] = pl->urow[u] + k; val[n] = 1;
            if (k + 1 < K) { ind[++n] = pl->urow[u] + k + 1; val[n] = -1; }
            set_col(pl, pl->scol[u] + k, n, ind, val);
            ind[1] = pl->urow[u] + k; val[1] = -1;
            set_col(pl, pl->ucol[u] + k, 1, ind, val);
            set_name(pl, 0, pl->scol[u] + k, "stock%d_%d_%s_%s", u, k, did, p);
            set_name(pl, 0, pl->ucol[u] + k, "unmet%d_%d_%s_%s", u, k, did, p);
            if (pl->ycol[u]) {
                ind[1] = pl->urow[u] + k; val[1] = -1;
                ind[2] = pl->hrow[hub] + k; val[2] = -1;
                set_col(pl, pl->ycol[u] + k, 2, ind, val);
                set_name(pl, 0, pl->ycol[u] + k, "share%d_%d_%s_%s", u, k, did, p);
            }
        }
    }
}

/* The column of x (arc i, period k): its rows and coefficients. */
static int x_column(const OptPlan *pl, int i, int k, int *ind, double *val)
{
    const OptArc *a = &pl->arc[i];
    int K = pl->K, n = 0;
    ind[++n] = pl->srow[a->src_stock] + k; val[n] = 1;
    int kk = opt_arrival(pl, k, a->load_h + a->travel_h + a->unload_h);
    if (kk < K) {
        if (a->dkind == OPT_D_STOCK) { ind[++n] = pl->srow[a->dest] + kk; val[n] = -1; }
        else if (a->dkind == OPT_D_USE) { ind[++n] = pl->urow[a->dest] + kk; val[n] = -1; }
        else if (pl->hub[a->dest].n > 1) { ind[++n] = pl->hrow[a->dest] + kk; val[n] = 1; }
        else { ind[++n] = pl->urow[pl->hub_use[pl->hub[a->dest].first]] + kk; val[n] = -1; }
    }
    if (a->q != SUP_Q_NONE) { ind[++n] = pl->qrow[a->src * SUP_NQ + a->q] + k; val[n] = a->rq; }
    if (pl->p.integer) { ind[++n] = a->lrow + k; val[n] = 1; }
    else
        for (int c = 0; c < pl->ncap; c++)
            if (pl->cap[c].mode == a->mode && (pl->cap[c].prods & (1u << a->product))) {
                ind[++n] = pl->crow[c] + k; val[n] = a->trip_h;
            }
    return n;
}

/* The trip-count column of a MIP: x <= capacity x trips; trips use the fleet. */
int opt_n_column(const OptPlan *pl, int i, int k, int *ind, double *val)
{
    const OptArc *a = &pl->arc[i];
    double cap = pl->w->asset[a->ref].capacity_kl;
    int n = 0;
    ind[++n] = a->lrow + k; val[n] = -cap;
    for (int c = 0; c < pl->ncap; c++)
        if (pl->cap[c].mode == a->mode && (pl->cap[c].prods & (1u << a->product))) {
            ind[++n] = pl->crow[c] + k; val[n] = cap * a->trip_h;
        }
    return n;
}

static void set_arc_columns(OptPlan *pl, int i)
{
    int ind[OPT_NSUB * NMODE + 8];
    double val[OPT_NSUB * NMODE + 8];
    for (int k = 0; k < pl->K; k++) {
        int n = x_column(pl, i, k, ind, val);
        set_col(pl, pl->arc[i].xcol + k, n, ind, val);
        if (pl->p.integer) {
            n = opt_n_column(pl, i, k, ind, val);
            set_col(pl, pl->arc[i].ncol + k, n, ind, val);
        }
    }
}

/* ---- movements from the current state ----------------------------------------------- */

typedef struct Cand { double t; int f; } Cand;

static int cand_less(double t, int f, const Cand *c)
{
    return t < c->t || (t == c->t && f < c->f);
}

/* Keep the k nearest (t, f) in c[0..*n), sorted. */
static void cand_insert(Cand *c, int *n, int k, double t, int f)
{
    int i = *n;
    if (i == k) {
        if (!cand_less(t, f, &c[k - 1])) return;
        i = k - 1;
    } else {
        (*n)++;
    }
    while (i > 0 && cand_less(t, f, &c[i - 1])) { c[i] = c[i - 1]; i--; }
    c[i] = (Cand){t, f};
}

/* Road hours from f to a hub: to its node, then the slowest open last mile. */
static double hub_road_h(OptPlan *pl, SupRun *r, int a, int f, const OptHub *h)
{
    const World *w = pl->w;
    double t = sup_travel_h(r, a, f, h->place);
    if (h->n == 1 || !isfinite(t)) return t;
    double last = -1;
    for (int i = 0; i < h->n; i++) {
        int l = pl->lastmile[w->use[pl->hub_use[h->first + i]].point];
        double fl = l < 0 ? SUP_INF : sup_fleet_link_factor(r, a, l);
        if (!isfinite(fl)) continue;
        last = fmax(last, w->link[l].time_h * fl);
    }
    return last < 0 ? SUP_INF : t + last;
}

static double arc_travel(OptPlan *pl, SupRun *r, const OptArc *a)
{
    const World *w = pl->w;
    if (a->dkind == OPT_D_HUB) return hub_road_h(pl, r, a->ref, a->src, &pl->hub[a->dest]);
    if (a->dkind == OPT_D_USE) return sup_travel_h(r, a->ref, a->src, w->nfac + w->use[a->dest].point);
    return sup_travel_h(r, a->ref, a->src, w->stock[a->dest].facility);
}

static int dest_id(const OptPlan *pl, int dkind, int dest)
{
    return dkind == OPT_D_HUB ? dest : dkind == OPT_D_USE ? pl->nhub + dest : pl->nhub + pl->w->nuse + dest;
}

/* SupTrip times, loads, cost of an arc from its travel time. */
static void arc_times(OptPlan *pl, SupRun *r, OptArc *a, double travel)
{
    const Asset *as = &pl->w->asset[a->ref];
    double rate = as->load_rate_kl_h;
    if (a->q != SUP_Q_NONE) rate = fmin(rate, r->qrate[a->src * SUP_NQ + a->q]);
    a->travel_h = travel;
    a->load_h = as->capacity_kl / rate;
    a->unload_h = as->capacity_kl / as->load_rate_kl_h;
    a->trip_h = 2 * travel + a->load_h + a->unload_h;
    a->rq = 1.0 / rate;
    a->cost = as->cost_per_km * 2 * travel * as->speed_kmh / as->capacity_kl / pl->cost_unit;
}

/* A basic column of arc i (its times now new, old its times before) would
 * arrive in another period. */
static int arc_moves_basic(const OptPlan *pl, const OptArc *old, int i)
{
    const OptArc *a = &pl->arc[i];
    for (int k = 0; k < pl->K; k++) {
        if (glp_get_col_stat(pl->P, a->xcol + k) != GLP_BS) continue;
        if (opt_arrival(pl, k, a->load_h + a->travel_h + a->unload_h) !=
            opt_arrival(pl, k, old->load_h + old->travel_h + old->unload_h)) return 1;
    }
    return 0;
}

/* The arc, appended with its rows and columns if new. */
static void need_arc(OptPlan *pl, SupRun *r, int mode, int f, int p, int dkind, int dest, double travel)
{
    int id = dest_id(pl, dkind, dest);
    for (int i = pl->dest_head[id]; i >= 0; i = pl->arc[i].next)
        if (pl->arc[i].mode == mode && pl->arc[i].src == f && !pl->arc[i].retired) { pl->arc[i].current = 1; return; }
    xgrow((void **)&pl->arc, &pl->caparc, pl->narc + 1, sizeof *pl->arc);
    int i = pl->narc++;
    OptArc *a = &pl->arc[i];
    memset(a, 0, sizeof *a);
    a->mode = mode; a->src = f; a->product = p; a->dkind = dkind; a->dest = dest;
    a->src_stock = r->m->stock_of[f * NPROD + p];
    a->q = opt_mode_queue(mode);
    a->ref = pl->ref[mode][p];
    a->live = 1;
    a->current = 1;
    arc_times(pl, r, a, travel);
    a->next = pl->dest_head[id];
    pl->dest_head[id] = i;

    need_stock(pl, a->src_stock);
    if (dkind == OPT_D_STOCK) need_stock(pl, dest);
    if (a->q != SUP_Q_NONE) need_queue(pl, f, a->q);
    int K = pl->K;
    if (pl->p.integer) a->lrow = new_rows(pl, K);
    a->xcol = new_cols(pl, K);
    if (pl->p.integer) {
        a->ncol = new_cols(pl, K);
        int ki = pl->p.int_periods > 0 && pl->p.int_periods < K ? pl->p.int_periods : K;
        for (int k = 0; k < ki; k++) glp_set_col_kind(pl->P, a->ncol + k, GLP_IV);
    }
    if (pl->p.names) {
        const World *w = pl->w;
        const char *to = dkind == OPT_D_STOCK ? w->fac[w->stock[dest].facility].id
                       : dkind == OPT_D_USE ? w->dem[w->use[dest].point].id : world_place_id(w, pl->hub[dest].place);
        for (int k = 0; k < K; k++) {
            set_name(pl, 0, a->xcol + k, "x%d_%d_%s_%s_%s_%s", i, k, world_mode_name[mode], w->fac[f].id, to, pname[p]);
            if (pl->p.integer) {
                set_name(pl, 0, a->ncol + k, "trips%d_%d", i, k);
                set_name(pl, 1, a->lrow + k, "load%d_%d", i, k);
            }
        }
    }
    set_arc_columns(pl, i);
}

/* A source worth an arc now: free stock or a load on the way, or output
 * restored before the horizon ends. */
/* What the planner may assume about time t: before the inspection delay has
 * passed since the main shock, damage and its restoration are not known yet,
 * so the state seen now is taken to persist; afterwards the restoration
 * forecast is known. */
static double known(const OptPlan *pl, const SupRun *r, double t)
{
    return r->now < pl->p.inspect_h ? fmin(t, r->now) : t;
}

static int has_supply(SupRun *r, int s, double tend)
{
    const Stock *st = &r->w->stock[s];
    if (r->inv[s] - r->reserved[s] + r->incoming[s] >= SUP_MIN_LOAD_KL) return 1;
    return st->output_kl_d > 0 && sup_fac_working(r, st->facility, tend) &&
           sup_comp_frac(r, st->facility, COMP_PROCESS, tend) > 0;
}

/* Sources for each destination: the k nearest that hold the product (or
 * will produce it) and can load it by the mode before the horizon ends. New
 * ones join the model; old ones stay as columns, fixed at zero. */
void opt_find_arcs(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    const SupModel *m = r->m;
    double tend = pl->t0 + pl->ts[pl->K];
    /* the run's dispatch classes (priority decisions), read by all that follows */
    for (int u = 0; u < w->nuse; u++) pl->ucls[u] = sup_point_class(r, w->use[u].point);
    unsigned char *ok = xmalloc((size_t)w->nstock + 1);
    for (int s = 0; s < w->nstock; s++) ok[s] = has_supply(r, s, known(pl, r, tend));
    for (int i = 0; i < pl->narc; i++) pl->arc[i].current = 0;
    int kmax = pl->p.k_road;
    if (pl->p.k_air > kmax) kmax = pl->p.k_air;
    if (pl->p.k_bulk > kmax) kmax = pl->p.k_bulk;
    Cand *c = xmalloc(((size_t)kmax + 1) * sizeof *c);
    /* per facility, whether it works and has racks, sidings and berths at
     * the horizon's end: asked once here, not for every destination */
    unsigned char *works = xmalloc((size_t)w->nfac + 1), *serves = xmalloc((size_t)w->nfac * SUP_NQ + 1);
    for (int f = 0; f < w->nfac; f++) {
        works[f] = (unsigned char)sup_fac_working(r, f, known(pl, r, tend));
        for (int q = 0; q < SUP_Q_NONE; q++)
            serves[f * SUP_NQ + q] = sup_q_servers(r, f, q, known(pl, r, tend)) > 0;
    }
    for (int hi = 0; hi < pl->nhub; hi++) {
        const OptHub *h = &pl->hub[hi];
        int p = h->product, a = pl->ref[MODE_ROAD][p], n = 0;
        if (a < 0) continue;
        for (int f = 0; f < w->nfac; f++) {
            int s = m->stock_of[f * NPROD + p];
            if (s < 0 || !ok[s] || !has_comp(m, f, COMP_RACK) || !serves[f * SUP_NQ + SUP_Q_RACK]) continue;
            double t = hub_road_h(pl, r, a, f, h);
            if (isfinite(t)) cand_insert(c, &n, pl->p.k_road, t, f);
        }
        for (int i = 0; i < n; i++) need_arc(pl, r, MODE_ROAD, c[i].f, p, OPT_D_HUB, hi, c[i].t);
    }
    for (int u = 0; u < w->nuse && pl->p.k_air > 0; u++) {
        int p = w->use[u].product, a = pl->ref[MODE_AIR][p], n = 0;
        if (a < 0 || opt_use_class(pl, u) > OPT_AIR_MAX_CLASS) continue;
        for (int f = 0; f < w->nfac; f++) {
            int s = m->stock_of[f * NPROD + p];
            if (s < 0 || !ok[s] || !works[f]) continue;
            cand_insert(c, &n, pl->p.k_air, sup_travel_h(r, a, f, w->nfac + w->use[u].point), f);
        }
        for (int i = 0; i < n; i++) need_arc(pl, r, MODE_AIR, c[i].f, p, OPT_D_USE, u, c[i].t);
    }
    for (int s = 0; s < w->nstock && pl->p.k_bulk > 0; s++) {
        if (!pl->depot[s]) continue;
        int dest = w->stock[s].facility, p = w->stock[s].product;
        for (int mode = MODE_SEA; mode <= MODE_RAIL; mode++) {
            int a = pl->ref[mode][p], q = opt_mode_queue(mode), n = 0;
            if (a < 0 || !serves[dest * SUP_NQ + q]) continue;
            for (int f = 0; f < w->nfac; f++) {
                int ss = m->stock_of[f * NPROD + p];
                if (f == dest || ss < 0 || !ok[ss] || !serves[f * SUP_NQ + q]) continue;
                double t = sup_travel_h(r, a, f, dest);
                if (isfinite(t)) cand_insert(c, &n, pl->p.k_bulk, t, f);
            }
            for (int i = 0; i < n; i++) need_arc(pl, r, mode, c[i].f, p, OPT_D_STOCK, s, c[i].t);
        }
    }
    free(c);
    free(ok);
    free(works);
    free(serves);
    /* every arc's times in the current network; a changed one gets new
     * coefficients, or, when it would arrive in another period while one of
     * its columns is in the basis, a new arc beside it: moving a basic
     * column to other rows can make the basis singular, and a cold solve
     * costs five times a warm one */
    int narc = pl->narc;
    for (int i = 0; i < narc; i++) {
        OptArc *a = &pl->arc[i];
        if (a->retired) continue;
        double t = arc_travel(pl, r, a);
        a->live = isfinite(t);
        if (!a->live || t == a->travel_h) continue;
        OptArc old = *a;
        arc_times(pl, r, a, t);
        if (a->travel_h == old.travel_h && a->trip_h == old.trip_h && a->rq == old.rq) continue;
        if (!pl->have_basis || !arc_moves_basic(pl, &old, i)) { set_arc_columns(pl, i); continue; }
        *a = old;
        a->retired = 1;
        a->current = 0;
        need_arc(pl, r, old.mode, old.src, old.product, old.dkind, old.dest, t);
        pl->arc[pl->narc - 1].current = old.current;
    }
}

/* ---- data of the current state ------------------------------------------------------ */

/* Some fleet reserved by the players (a reserved fleet never serves a
 * depot): without one, no movement needs the check below. */
static int any_reserve(const SupRun *r)
{
    for (int a = 0; a < r->w->nasset; a++)
        if (!sup_fleet_reserve_ok(r, a, -1)) return 1;
    return 0;
}

/* Whether the players' reserve decisions leave some fleet of the mode that
 * carries product p free to go to use u (-1: a depot); 1 when the mode has
 * no such fleet at all, as nothing was taken away. */
static int mode_may_serve(const SupRun *r, int mode, int p, int u)
{
    const World *w = r->w;
    int any = 0;
    for (int a = 0; a < w->nasset; a++) {
        if ((int)w->asset[a].mode != mode || w->asset[a].count <= 0 || !(w->asset[a].products & (1u << p))) continue;
        if (sup_fleet_reserve_ok(r, a, u)) return 1;
        any = 1;
    }
    return !any;
}

/* The destination use of arc i, -1 for a depot or a hub of several members
 * (their shares are held by y_ok). */
static int arc_use(const OptPlan *pl, const OptArc *a)
{
    if (a->dkind == OPT_D_USE) return a->dest;
    if (a->dkind == OPT_D_HUB && pl->hub[a->dest].n == 1) return pl->hub_use[pl->hub[a->dest].first];
    return -1;
}

static double overlap(double from, double a, double b)
{
    double x = b - fmax(a, from);
    return x > 0 ? x : 0;
}

/* Per facility with output and hour of the horizon (as horizon_dark), the
 * fraction of its process capacity working as the planner knows it, -1 when
 * the site is not working: asked once per facility, not once per product. */
static double *horizon_output(const OptPlan *pl, SupRun *r, int nh)
{
    const World *w = pl->w;
    double *out = xmalloc(((size_t)w->nfac * nh + 1) * sizeof *out);
    unsigned char *has = xcalloc((size_t)w->nfac + 1, 1);
    for (int s = 0; s < w->nstock; s++) has[w->stock[s].facility] |= w->stock[s].output_kl_d > 0;
    for (int f = 0; f < w->nfac; f++)
        for (int k = 0, h = 0; has[f] && k < pl->K; k++)
            for (int j = 1; j <= (int)opt_len(pl, k); j++, h++) {
                double t = known(pl, r, pl->t0 + pl->ts[k] + j);
                out[(size_t)f * nh + h] = sup_fac_working(r, f, t) ? sup_comp_frac(r, f, COMP_PROCESS, t) : -1;
            }
    free(has);
    return out;
}

/* Sources: free stock now, bulk loads on the way (due in the second
 * period), tank room and restored output over time. */
static void state_sources(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    int K = pl->K, nh = 0;
    for (int k = 0; k < K; k++) nh += (int)opt_len(pl, k);
    double *outf = horizon_output(pl, r, nh);
    for (int s = 0; s < w->nstock; s++) {
        const Stock *st = &w->stock[s];
        int f = st->facility;
        const double *of = outf + (size_t)f * nh;
        pl->s_start[s] = fmax(0, r->inv[s] - r->reserved[s]);
        double in_all = r->incoming[s] > 0 ? r->incoming[s] : 0;
        for (int k = 0, h = 0; k < K; k++) {
            pl->s_in[s * K + k] = (k == (K > 1 ? 1 : 0)) ? in_all : 0;
            double tank = st->tank_kl * sup_comp_frac(r, f, COMP_TANK, known(pl, r, pl->t0 + pl->ts[k + 1]));
            pl->s_cap[s * K + k] = fmax(tank, pl->s_start[s] + in_all);
            double prod = 0;
            for (int j = 1; j <= (int)opt_len(pl, k) && st->output_kl_d > 0; j++, h++)
                if (of[h] >= 0) prod += st->output_kl_d / 24.0 * of[h];
            pl->s_pmax[s * K + k] = prod;
        }
    }
    free(outf);
}

/* Per grid area and hour of the horizon (periods in order, hours 1..len
 * of each), 1 while it is dark as the planner knows it: asked once per
 * area, not once per use in it. */
static unsigned char *horizon_dark(const OptPlan *pl, SupRun *r, int *nh)
{
    const World *w = pl->w;
    int n = 0;
    for (int k = 0; k < pl->K; k++) n += (int)opt_len(pl, k);
    unsigned char *dark = xmalloc((size_t)w->narea * n + 1);
    for (int a = 0; a < w->narea; a++)
        for (int k = 0, h = 0; k < pl->K; k++)
            for (int j = 1; j <= (int)opt_len(pl, k); j++)
                dark[(size_t)a * n + h++] = !rst_area_has_power(r->rs, a, known(pl, r, pl->t0 + pl->ts[k] + j));
    *nh = n;
    return dark;
}

/* Sinks: stock and deliveries on the way, use while active, and whether
 * each may be served in each period. */
static void state_uses(OptPlan *pl, SupRun *r, int reserved)
{
    const World *w = pl->w;
    int K = pl->K, nh;
    unsigned char *dark = horizon_dark(pl, r, &nh);
    for (int u = 0; u < w->nuse; u++) {
        const Consumption *c = &w->use[u];
        int d = c->point;
        const unsigned char *dk = dark + (size_t)w->dem[d].area * nh;
        pl->u_s0[u] = r->ustock[u] + r->uincoming[u];
        pl->u_smax[u] = fmax(c->storage_kl, pl->u_s0[u]);
        int l = pl->lastmile[d];
        /* a reserve decision: may a road fleet still serve it (the same in every period) */
        int served = !pl->ycol[u] || !reserved || mode_may_serve(r, MODE_ROAD, c->product, u);
        for (int k = 0, h = 0; k < K; k++) {
            double dem = 0;
            for (int j = 1; j <= (int)opt_len(pl, k); j++, h++)
                if (c->when == USE_ALWAYS || dk[h]) dem += c->use_kl_d / 24.0;
            pl->u_dem[u * K + k] = dem;
            int ok = rst_place_accessible(r->rs, w->nfac + d, known(pl, r, pl->t0 + pl->ts[k + 1]));
            if (pl->ycol[u] && (l < 0 || !isfinite(r->link_factor[l]))) ok = 0;
            ok = ok && served;
            pl->y_ok[u * K + k] = (unsigned char)ok;
        }
    }
    free(dark);
}

void opt_state_data(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    int K = pl->K;
    double t0 = pl->t0;
    const double *ts = pl->ts;
    int reserved = any_reserve(r);

    /* fleets: kL-hours per period from the units idle now and those due back */
    for (int a = 0; a < w->nasset; a++) {
        double ready = r->fleet_ready_h[a];
        pl->fleet_unreq[a] = !isfinite(ready);
        if (!isfinite(ready)) ready = t0 + w->asset[a].lead_time_h;
        ready -= pl->ready_earlier[a];
        pl->fleet_ready[a] = ready;
        double *kh = pl->fleet_kh + (size_t)a * K;
        double from = fmax(t0, ready);
        for (int k = 0; k < K; k++) kh[k] = (r->fleet_idle[a] + pl->extra_units[a]) * overlap(from, t0 + ts[k], t0 + ts[k + 1]);
    }
    for (int i = 0; i < r->ntrip; i++) {
        const SupTrip *tp = &r->trip[i];
        if (!tp->active) continue;
        const Asset *as = &w->asset[tp->fleet];
        double t = sup_travel_h(r, tp->fleet, tp->src_fac, tp->dest_place);
        if (!isfinite(t)) continue;   /* stranded */
        double rate = as->load_rate_kl_h;
        if (tp->q != SUP_Q_NONE) rate = fmin(rate, r->qrate[tp->src_fac * SUP_NQ + tp->q]);
        double back = tp->t_dispatch + tp->kl / rate + 2 * t + tp->kl / as->load_rate_kl_h;
        double from = fmax(fmax(t0, back), pl->fleet_ready[tp->fleet]);
        double *kh = pl->fleet_kh + (size_t)tp->fleet * K;
        for (int k = 0; k < K; k++) kh[k] += overlap(from, t0 + ts[k], t0 + ts[k + 1]);
    }
    for (int a = 0; a < w->nasset; a++)
        for (int k = 0; k < K; k++) pl->fleet_kh[(size_t)a * K + k] *= w->asset[a].capacity_kl;

    /* capacity rows: what is on hand or requested, and what a request would add */
    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++) {
            double on = 0, un = 0;
            for (int a = 0; a < w->nasset; a++) {
                if ((int)w->asset[a].mode != pl->cap[c].mode || !(w->asset[a].products & pl->cap[c].prods)) continue;
                if (pl->fleet_unreq[a]) un += pl->fleet_kh[(size_t)a * K + k];
                else on += pl->fleet_kh[(size_t)a * K + k];
            }
            pl->cap_on[c * K + k] = on;
            pl->cap_un[c * K + k] = un;
        }

    state_sources(pl, r);
    state_uses(pl, r, reserved);
    /* which arc may move in which period */
    pl->x_ok = xrealloc(pl->x_ok, ((size_t)pl->narc * K + 1) * sizeof *pl->x_ok);
    for (int i = 0; i < pl->narc; i++) {
        const OptArc *a = &pl->arc[i];
        int u = arc_use(pl, a);
        /* a reserve decision: no fleet of the mode may go there any more */
        int served = !reserved || (u < 0 && a->dkind != OPT_D_STOCK) || mode_may_serve(r, a->mode, a->product, u);
        for (int k = 0; k < K; k++) {
            double td = t0 + ts[k], ta = td + a->load_h + a->travel_h + a->unload_h;
            /* an arc no longer among the nearest is fixed at zero: GLPK
             * leaves fixed columns out of its working problem */
            int ok = served && a->live && a->current && opt_arrival(pl, k, ta - td) < K;
            if (ok && a->q == SUP_Q_NONE) ok = sup_fac_working(r, a->src, known(pl, r, t0 + ts[k + 1] - 1));
            if (ok && a->dkind == OPT_D_USE) ok = rst_place_accessible(r->rs, w->nfac + w->use[a->dest].point, known(pl, r, ta));
            if (ok && a->dkind == OPT_D_HUB && pl->hub[a->dest].n == 1)
                ok = rst_place_accessible(r->rs, pl->hub[a->dest].place, known(pl, r, ta));
            if (ok && a->dkind == OPT_D_STOCK) ok = sup_q_servers(r, w->stock[a->dest].facility, a->q, known(pl, r, ta)) > 0;
            pl->x_ok[(size_t)i * K + k] = (unsigned char)ok;
        }
    }
}

/* ---- bounds and objective ----------------------------------------------------------- */

void opt_col_bounds(glp_prob *P, int j, double lo, double up)
{
    assert(isfinite(lo) && !isnan(up));
    if (!isfinite(up)) glp_set_col_bnds(P, j, GLP_LO, lo, 0);
    else if (up <= lo) glp_set_col_bnds(P, j, GLP_FX, lo, lo);
    else glp_set_col_bnds(P, j, GLP_DB, lo, up);
}

static void row_fx(glp_prob *P, int i, double v)
{
    assert(isfinite(v));
    glp_set_row_bnds(P, i, GLP_FX, v, v);
}

static void row_up(glp_prob *P, int i, double v)
{
    assert(isfinite(v));
    glp_set_row_bnds(P, i, GLP_UP, 0, v);
}

void opt_set_data(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    glp_prob *P = pl->P;
    int K = pl->K;
    for (int s = 0; s < w->nstock; s++) {
        if (!pl->srow[s]) continue;
        for (int k = 0; k < K; k++) {
            row_fx(P, pl->srow[s] + k, (k == 0 ? pl->s_start[s] : 0) + pl->s_in[s * K + k]);
            opt_col_bounds(P, pl->icol[s] + k, 0, pl->s_cap[s * K + k]);
            if (pl->pcol[s]) opt_col_bounds(P, pl->pcol[s] + k, 0, pl->s_pmax[s * K + k]);
        }
    }
    double c0 = 0;
    for (int u = 0; u < w->nuse; u++) {
        need_buffer(pl, u);
        double wgt = w->class_weight[opt_use_class(pl, u) - 1];
        /* a point lowered below the buffered classes keeps its columns, at zero */
        int buffered = pl->bcol[u] && opt_use_class(pl, u) <= OPT_BUFFER_MAX_CLASS;
        for (int k = 0; k < K; k++) {
            double dem = pl->u_dem[u * K + k];
            double target = 0;
            if (pl->bcol[u] && !buffered) opt_col_bounds(P, pl->bcol[u] + k, 0, 0);
            if (buffered) {
                double next = pl->u_dem[u * K + (k + 1 < K ? k + 1 : k)];
                if (next > 0) next = fmax(next, w->request_threshold_d * w->use[u].use_kl_d);
                target = fmin(w->use[u].storage_kl, next);
                opt_col_bounds(P, pl->bcol[u] + k, 0, target);
                glp_set_obj_coef(P, pl->bcol[u] + k, -pl->p.buffer_weight * wgt);
                c0 += pl->p.buffer_weight * wgt * target;
            }
            pl->target[u * K + k] = target;
            row_fx(P, pl->urow[u] + k, (k == 0 ? pl->u_s0[u] : 0) - dem);
            opt_col_bounds(P, pl->scol[u] + k, 0, pl->u_smax[u] - target);
            opt_col_bounds(P, pl->ucol[u] + k, 0, dem);
            glp_set_obj_coef(P, pl->ucol[u] + k, wgt);
            if (pl->ycol[u]) opt_col_bounds(P, pl->ycol[u] + k, 0, pl->y_ok[u * K + k] ? SUP_INF : 0);
        }
    }
    glp_set_obj_coef(P, pl->onecol, c0);
    for (int h = 0; h < pl->nhub; h++)
        for (int k = 0; pl->hrow[h] && k < K; k++) row_fx(P, pl->hrow[h] + k, 0);
    /* server hours of racks, berths and sidings */
    for (int f = 0; f < w->nfac; f++)
        for (int q = 0; q < SUP_Q_NONE; q++)
            for (int k = 0; pl->qrow[f * SUP_NQ + q] && k < K; k++) {
                double hours = 0;
                for (int j = 0; j < (int)opt_len(pl, k); j++)
                    hours += sup_q_servers(r, f, q, known(pl, r, pl->t0 + pl->ts[k] + j));
                row_up(P, pl->qrow[f * SUP_NQ + q] + k, hours);
            }
    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++) {
            row_up(P, pl->crow[c] + k, pl->cap_on[c * K + k]);
            opt_col_bounds(P, pl->ecol[c] + k, 0, pl->cap_un[c * K + k]);
            /* asking PAJ and SDF costs a little more than using what is on hand */
            glp_set_obj_coef(P, pl->ecol[c] + k, 0.1 * pl->eps);
        }
    for (int i = 0; i < pl->narc; i++) {
        const OptArc *a = &pl->arc[i];
        for (int k = 0; k < K; k++) {
            int ok = pl->x_ok[(size_t)i * K + k];
            opt_col_bounds(P, a->xcol + k, 0, ok ? SUP_INF : 0);
            /* later is dearer: among equal plans, move fuel early */
            glp_set_obj_coef(P, a->xcol + k, pl->eps * (a->cost + 0.1) * (1.0 + (double)k / K));
            if (pl->p.integer) {
                opt_col_bounds(P, a->ncol + k, 0, ok ? SUP_INF : 0);
                row_up(P, a->lrow + k, 0);
            }
        }
    }
}

/* ---- what the planner knows of restoration ------------------------------------------------ */

typedef struct FcCtx {
    const RstSchedule *drawn;
    double now, q;
} FcCtx;

/* An item seen back keeps its time; one not back yet, the q-quantile of its
 * restoration time given it is later than now (rst_law_after). */
static double forecast_repair(void *ctx, int is_link, int idx, const RestorationClass *rc, int ds)
{
    const FcCtx *c = ctx;
    const RstItem *it = is_link ? &c->drawn->link[idx] : &c->drawn->comp[idx];
    if (!rc || ds <= DS_NONE) return it->repair_h;
    RstLaw L = rst_law_repair(rc, ds);
    return rst_law_after(&L, it->repair_h, c->now, c->q);
}

RstSchedule *opt_forecast(OptPlan *pl, SupRun *r)
{
    if (!pl->fc) pl->fc = rst_schedule_new(pl->w);
    FcCtx c = {r->rs, r->now, pl->p.forecast == OPT_FC_P90 ? 0.9 : 0.5};
    rst_forecast(pl->w, r->rs->quake, r->dmg, forecast_repair, &c, r->rs, c.now, c.q, pl->fc);
    return pl->fc;
}
