/* Emergency transport optimiser (see optimise.h): the time-expanded model,
 * built and updated through the GLPK C API, its solution turned into
 * per-fleet flows, and the planner that re-plans inside a replicate.
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
 * basic. So the basis of the last solve stays valid and every re-plan after
 * the first is warm. */
#include "optimise.h"
#include "supply_int.h"

#include "util.h"

#include <assert.h>
#include <errno.h>
#include <glpk.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const opt_status_name[3] = {"optimal", "feasible", "failed"};

#define NSUB 15                /* non-empty subsets of the four products */
#define FLOW_EPS 1e-6          /* kL below which a planned flow is noise */
#define AIR_MAX_CLASS 3        /* helicopters carry drums for classes 1-3, not service stations */
/* Classes 1-2 keep a safety stock (OptParams.buffer_weight): the stock below
 * which the scenario's users ask for fuel (request_threshold_days), and at
 * least the next period's use. Without it the plan times deliveries to the
 * period, and trips (with their deadhead and queues) arrive after the point
 * has run dry. */
#define BUFFER_MAX_CLASS 2

void opt_params_default(OptParams *p)
{
    memset(p, 0, sizeof *p);
    p->horizon_h = 72;
    p->step_h = 6;
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
    if (p->k_road < 1 || p->k_road > 50 || p->k_air < 0 || p->k_air > 50 || p->k_bulk < 0 || p->k_bulk > 50)
        return "k_road must be in [1, 50], k_air and k_bulk in [0, 50]";
    if (p->it_lim < 0 || p->node_lim < 0 || p->int_periods < 0) return "it_lim, node_lim and int_periods must be >= 0";
    if (!(p->mip_gap >= 0 && p->mip_gap < 1)) return "mip_gap must be in [0, 1)";
    if (!(p->cost_weight >= 0 && p->cost_weight <= 1e6)) return "cost_weight must be in [0, 1e6]";
    if (!(p->buffer_weight >= 0 && p->buffer_weight <= 1)) return "buffer_weight must be in [0, 1]";
    if (!(p->inspect_h >= 0 && p->inspect_h <= 720)) return "inspect_h must be in [0, 720]";
    return NULL;
}

/* ---- the model's pieces ------------------------------------------------------ */

/* Demand rows of one product reached through one road node. */
typedef struct Hub {
    int place;          /* the shared road node, or the demand point itself */
    int product;
    int first, n;       /* members in hub_use[first .. first+n), by class */
} Hub;

enum { D_HUB, D_USE, D_STOCK };

/* A movement: product from a source facility to a hub, a demand row (by
 * air) or a depot stock row (bulk). */
typedef struct Arc {
    int mode, src, src_stock, product;
    int dkind, dest;    /* D_* and the hub, use or stock row */
    int q;              /* queue at the source (Q_*) */
    int ref;            /* reference fleet: its trip times and cost */
    int live;           /* reachable in the current network */
    int current;        /* among the nearest sources of its destination now */
    double travel_h, load_h, unload_h;
    double trip_h;      /* kL-hours of fleet capacity per kL: the round trip */
    double rq;          /* server hours per kL at the source queue */
    double cost;        /* normalised cost per kL */
    int lag;            /* periods from departure to arrival */
    int xcol, ncol, lrow;   /* first of K columns / rows; ncol, lrow for a MIP */
    int next;           /* next arc of the same destination, -1 */
} Arc;

/* One capacity row family: fleets of a mode, products in a closed set. */
typedef struct CapSet {
    int mode;
    unsigned prods;
} CapSet;

struct OptPlan {
    const World *w;
    OptParams p;
    int K;              /* periods */
    double dt;          /* hours per period */

    /* fixed for the world */
    Hub *hub; int nhub, maxhub;
    int *hub_use;       /* members of the hubs */
    int *use_hub;       /* per consumption row */
    int *lastmile;      /* per demand point: its one road link to the hub node, or -1 */
    CapSet cap[NMODE * NSUB]; int ncap;
    int ref[NMODE][NPROD];
    unsigned char *depot;          /* per stock row: receives bulk deliveries */
    double eps;         /* weight of one unit of the second term */
    double cost_unit;   /* yen per kL that normalises transport cost */

    /* the problem, grown as movements appear */
    glp_prob *P;
    int have_basis;
    Arc *arc; int narc, caparc;
    int *dest_head;     /* per destination (hubs, uses, stock rows): first arc, -1 */
    int *srow, *icol, *pcol;       /* per stock row: first row / column, 0 = none yet */
    int *urow, *scol, *ucol, *ycol;/* per use */
    int *bcol;                     /* per use of a buffered class: the part of the stock up to
                                    * the safety stock (the rest is in scol) */
    double *target;                /* [use * K + k]: that safety stock */
    int *hrow;                     /* per hub with more than one member */
    int *qrow;                     /* per facility x SUP_NQ */
    int *crow, *ecol;              /* per capacity set */
    int onecol;                    /* fixed at 1: carries the objective's constant (an LP
                                    * file has no constant term) */
    int grew;

    /* data of the current solve */
    double t0;
    double *fleet_kh, *fleet_ready; unsigned char *fleet_unreq;
    double *s_start, *s_in, *s_cap, *s_pmax;
    double *u_s0, *u_dem, *u_smax;
    unsigned char *y_ok;           /* [use * K + k] member reachable by road */
    double *cap_on, *cap_un;       /* [c * K + k] */
    unsigned char *x_ok;           /* [arc * K + k] */
    double *val;                   /* column values, 1-based */
    double *yleft;                 /* scratch for the hub split */

    OptSolution sol;
    int capflow;
    int wants_mobilise;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int mode_queue(int mode)
{
    return mode == MODE_ROAD ? SUP_Q_RACK : mode == MODE_SEA ? SUP_Q_BERTH : mode == MODE_RAIL ? SUP_Q_SIDING : SUP_Q_NONE;
}

static int has_comp(const SupModel *m, int f, int kind)
{
    int key = f * NCOMPKIND + kind;
    return m->comp_off[key + 1] > m->comp_off[key];
}

static int use_class(const World *w, int u) { return w->dem[w->use[u].point].priority; }

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
        Hub *h = &pl->hub[nh];
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
        for (unsigned s = 1; s <= NSUB; s++) {
            if ((s & carried) != s) continue;
            int closed = 1;
            for (unsigned t = 1; t <= NSUB && closed; t++) {
                if (t == s || (t & s) != s || (t & carried) != t) continue;
                int same = 1;
                for (int a = 0; a < w->nasset && same; a++) {
                    if ((int)w->asset[a].mode != m || w->asset[a].count <= 0) continue;
                    same = ((w->asset[a].products & s) != 0) == ((w->asset[a].products & t) != 0);
                }
                if (same) closed = 0;
            }
            if (closed) pl->cap[pl->ncap++] = (CapSet){m, s};
        }
    }
}

OptPlan *opt_plan_new(const World *w, const OptParams *p)
{
    if (opt_params_check(p)) return NULL;
    glp_term_out(GLP_OFF);
    OptPlan *pl = xcalloc(1, sizeof *pl);
    pl->w = w;
    pl->p = *p;
    pl->dt = p->step_h;
    pl->K = (int)ceil(p->horizon_h / p->step_h - 1e-9);
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
    pl->target = xcalloc(nu * K, sizeof(double));
    pl->hrow = xcalloc((size_t)pl->nhub + 1, sizeof(int));
    pl->qrow = xcalloc((size_t)w->nfac * SUP_NQ + 1, sizeof(int));
    pl->crow = xcalloc((size_t)pl->ncap + 1, sizeof(int));
    pl->ecol = xcalloc((size_t)pl->ncap + 1, sizeof(int));
    size_t na = (size_t)w->nasset + 1;
    pl->fleet_kh = xcalloc(na * K, sizeof(double));
    pl->fleet_ready = xcalloc(na, sizeof(double));
    pl->fleet_unreq = xcalloc(na, 1);
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
    pl->sol.status = OPT_FAILED;
    pl->sol.why = "not solved yet";
    pl->sol.step_h = pl->dt;
    pl->sol.nperiod = pl->K;
    pl->sol.integer = p->integer;
    return pl;
}

void opt_plan_free(OptPlan *pl)
{
    if (!pl) return;
    if (pl->P) glp_delete_prob(pl->P);
    free(pl->hub); free(pl->hub_use); free(pl->use_hub); free(pl->lastmile);
    free(pl->depot);
    free(pl->arc); free(pl->dest_head);
    free(pl->srow); free(pl->icol); free(pl->pcol);
    free(pl->urow); free(pl->scol); free(pl->ucol); free(pl->ycol);
    free(pl->bcol); free(pl->target);
    free(pl->hrow); free(pl->qrow); free(pl->crow); free(pl->ecol);
    free(pl->fleet_kh); free(pl->fleet_ready); free(pl->fleet_unreq);
    free(pl->s_start); free(pl->s_in); free(pl->s_cap); free(pl->s_pmax);
    free(pl->u_s0); free(pl->u_dem); free(pl->u_smax); free(pl->y_ok);
    free(pl->cap_on); free(pl->cap_un);
    free(pl->x_ok); free(pl->val); free(pl->yleft);
    free(pl->sol.flow); free(pl->sol.stock_prod); free(pl->sol.stock_inv);
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
static void first_build(OptPlan *pl)
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
        if (use_class(w, u) <= BUFFER_MAX_CLASS && pl->p.buffer_weight > 0) pl->bcol[u] = new_cols(pl, K);
        const char *did = w->dem[w->use[u].point].id, *p = pname[w->use[u].product];
        for (int k = 0; k < K; k++) {
            int ind[4];
            double val[4];
            int n = 0;
            ind[++n] = pl->urow[u] + k; val[n] = 1;
            if (k + 1 < K) { ind[++n] = pl->urow[u] + k + 1; val[n] = -1; }
            set_col(pl, pl->scol[u] + k, n, ind, val);
            if (pl->bcol[u]) {
                /* stock up to the safety stock: rewarded, the shortfall's
                 * cost comes back as the objective's constant */
                set_col(pl, pl->bcol[u] + k, n, ind, val);
                set_name(pl, 0, pl->bcol[u] + k, "safe%d_%d_%s_%s", u, k, did, p);
            }
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
    const Arc *a = &pl->arc[i];
    int K = pl->K, n = 0;
    ind[++n] = pl->srow[a->src_stock] + k; val[n] = 1;
    int kk = k + a->lag;
    if (kk < K) {
        if (a->dkind == D_STOCK) { ind[++n] = pl->srow[a->dest] + kk; val[n] = -1; }
        else if (a->dkind == D_USE) { ind[++n] = pl->urow[a->dest] + kk; val[n] = -1; }
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
static int n_column(const OptPlan *pl, int i, int k, int *ind, double *val)
{
    const Arc *a = &pl->arc[i];
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
    int ind[NSUB * NMODE + 8];
    double val[NSUB * NMODE + 8];
    for (int k = 0; k < pl->K; k++) {
        int n = x_column(pl, i, k, ind, val);
        set_col(pl, pl->arc[i].xcol + k, n, ind, val);
        if (pl->p.integer) {
            n = n_column(pl, i, k, ind, val);
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
static double hub_road_h(OptPlan *pl, SupRun *r, int a, int f, const Hub *h)
{
    const World *w = pl->w;
    double t = sup_travel_h(r, a, f, h->place);
    if (h->n == 1 || !isfinite(t)) return t;
    double last = -1;
    for (int i = 0; i < h->n; i++) {
        int l = pl->lastmile[w->use[pl->hub_use[h->first + i]].point];
        if (l < 0 || !isfinite(r->link_factor[l])) continue;
        last = fmax(last, w->link[l].time_h * r->link_factor[l]);
    }
    return last < 0 ? SUP_INF : t + last;
}

static double arc_travel(OptPlan *pl, SupRun *r, const Arc *a)
{
    const World *w = pl->w;
    if (a->dkind == D_HUB) return hub_road_h(pl, r, a->ref, a->src, &pl->hub[a->dest]);
    if (a->dkind == D_USE) return sup_travel_h(r, a->ref, a->src, w->nfac + w->use[a->dest].point);
    return sup_travel_h(r, a->ref, a->src, w->stock[a->dest].facility);
}

static int dest_id(const OptPlan *pl, int dkind, int dest)
{
    return dkind == D_HUB ? dest : dkind == D_USE ? pl->nhub + dest : pl->nhub + pl->w->nuse + dest;
}

/* SupTrip times, loads, cost of an arc from its travel time. */
static void arc_times(OptPlan *pl, SupRun *r, Arc *a, double travel)
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
    a->lag = (int)floor((a->load_h + travel + a->unload_h) / pl->dt + 1e-9);
}

/* The arc, appended with its rows and columns if new. */
static void need_arc(OptPlan *pl, SupRun *r, int mode, int f, int p, int dkind, int dest, double travel)
{
    int id = dest_id(pl, dkind, dest);
    for (int i = pl->dest_head[id]; i >= 0; i = pl->arc[i].next)
        if (pl->arc[i].mode == mode && pl->arc[i].src == f) { pl->arc[i].current = 1; return; }
    xgrow((void **)&pl->arc, &pl->caparc, pl->narc + 1, sizeof *pl->arc);
    int i = pl->narc++;
    Arc *a = &pl->arc[i];
    memset(a, 0, sizeof *a);
    a->mode = mode; a->src = f; a->product = p; a->dkind = dkind; a->dest = dest;
    a->src_stock = r->m->stock_of[f * NPROD + p];
    a->q = mode_queue(mode);
    a->ref = pl->ref[mode][p];
    a->live = 1;
    a->current = 1;
    arc_times(pl, r, a, travel);
    a->next = pl->dest_head[id];
    pl->dest_head[id] = i;

    need_stock(pl, a->src_stock);
    if (dkind == D_STOCK) need_stock(pl, dest);
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
        const char *to = dkind == D_STOCK ? w->fac[w->stock[dest].facility].id
                       : dkind == D_USE ? w->dem[w->use[dest].point].id : world_place_id(w, pl->hub[dest].place);
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
static void find_arcs(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    const SupModel *m = r->m;
    double tend = pl->t0 + pl->K * pl->dt;
    unsigned char *ok = xmalloc((size_t)w->nstock + 1);
    for (int s = 0; s < w->nstock; s++) ok[s] = has_supply(r, s, known(pl, r, tend));
    for (int i = 0; i < pl->narc; i++) pl->arc[i].current = 0;
    int kmax = pl->p.k_road;
    if (pl->p.k_air > kmax) kmax = pl->p.k_air;
    if (pl->p.k_bulk > kmax) kmax = pl->p.k_bulk;
    Cand *c = xmalloc(((size_t)kmax + 1) * sizeof *c);
    for (int hi = 0; hi < pl->nhub; hi++) {
        const Hub *h = &pl->hub[hi];
        int p = h->product, a = pl->ref[MODE_ROAD][p], n = 0;
        if (a < 0) continue;
        for (int f = 0; f < w->nfac; f++) {
            int s = m->stock_of[f * NPROD + p];
            if (s < 0 || !ok[s] || !has_comp(m, f, COMP_RACK) || sup_q_servers(r, f, SUP_Q_RACK, known(pl, r, tend)) == 0)
                continue;
            double t = hub_road_h(pl, r, a, f, h);
            if (isfinite(t)) cand_insert(c, &n, pl->p.k_road, t, f);
        }
        for (int i = 0; i < n; i++) need_arc(pl, r, MODE_ROAD, c[i].f, p, D_HUB, hi, c[i].t);
    }
    for (int u = 0; u < w->nuse && pl->p.k_air > 0; u++) {
        int p = w->use[u].product, a = pl->ref[MODE_AIR][p], n = 0;
        if (a < 0 || use_class(w, u) > AIR_MAX_CLASS) continue;
        for (int f = 0; f < w->nfac; f++) {
            int s = m->stock_of[f * NPROD + p];
            if (s < 0 || !ok[s] || !sup_fac_working(r, f, known(pl, r, tend))) continue;
            cand_insert(c, &n, pl->p.k_air, sup_travel_h(r, a, f, w->nfac + w->use[u].point), f);
        }
        for (int i = 0; i < n; i++) need_arc(pl, r, MODE_AIR, c[i].f, p, D_USE, u, c[i].t);
    }
    for (int s = 0; s < w->nstock && pl->p.k_bulk > 0; s++) {
        if (!pl->depot[s]) continue;
        int dest = w->stock[s].facility, p = w->stock[s].product;
        for (int mode = MODE_SEA; mode <= MODE_RAIL; mode++) {
            int a = pl->ref[mode][p], q = mode_queue(mode), n = 0;
            if (a < 0 || sup_q_servers(r, dest, q, known(pl, r, tend)) == 0) continue;
            for (int f = 0; f < w->nfac; f++) {
                int ss = m->stock_of[f * NPROD + p];
                if (f == dest || ss < 0 || !ok[ss] || sup_q_servers(r, f, q, known(pl, r, tend)) == 0) continue;
                double t = sup_travel_h(r, a, f, dest);
                if (isfinite(t)) cand_insert(c, &n, pl->p.k_bulk, t, f);
            }
            for (int i = 0; i < n; i++) need_arc(pl, r, mode, c[i].f, p, D_STOCK, s, c[i].t);
        }
    }
    free(c);
    free(ok);
    /* every arc's times in the current network; a changed one gets new coefficients */
    for (int i = 0; i < pl->narc; i++) {
        Arc *a = &pl->arc[i];
        double t = arc_travel(pl, r, a);
        a->live = isfinite(t);
        if (!a->live || t == a->travel_h) continue;
        Arc old = *a;
        arc_times(pl, r, a, t);
        if (a->lag != old.lag || a->trip_h != old.trip_h || a->rq != old.rq) set_arc_columns(pl, i);
    }
}

/* ---- data of the current state ------------------------------------------------------ */

static double overlap(double from, double a, double b)
{
    double x = b - fmax(a, from);
    return x > 0 ? x : 0;
}

static void state_data(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    int K = pl->K;
    double t0 = pl->t0, dt = pl->dt;
    int nh = (int)dt;

    /* fleets: kL-hours per period from the units idle now and those due back */
    for (int a = 0; a < w->nasset; a++) {
        double ready = r->fleet_ready_h[a];
        pl->fleet_unreq[a] = !isfinite(ready);
        if (!isfinite(ready)) ready = t0 + w->asset[a].lead_time_h;
        pl->fleet_ready[a] = ready;
        double *kh = pl->fleet_kh + (size_t)a * K;
        double from = fmax(t0, ready);
        for (int k = 0; k < K; k++) kh[k] = r->fleet_idle[a] * overlap(from, t0 + k * dt, t0 + (k + 1) * dt);
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
        for (int k = 0; k < K; k++) kh[k] += overlap(from, t0 + k * dt, t0 + (k + 1) * dt);
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

    /* sources: free stock now, bulk loads on the way (due in the second
     * period), tank room and restored output over time */
    for (int s = 0; s < w->nstock; s++) {
        const Stock *st = &w->stock[s];
        int f = st->facility;
        pl->s_start[s] = fmax(0, r->inv[s] - r->reserved[s]);
        double in_all = r->incoming[s] > 0 ? r->incoming[s] : 0;
        for (int k = 0; k < K; k++) {
            pl->s_in[s * K + k] = (k == (K > 1 ? 1 : 0)) ? in_all : 0;
            double tank = st->tank_kl * sup_comp_frac(r, f, COMP_TANK, known(pl, r, t0 + (k + 1) * dt));
            pl->s_cap[s * K + k] = fmax(tank, pl->s_start[s] + in_all);
            double prod = 0;
            for (int j = 1; j <= nh && st->output_kl_d > 0; j++) {
                double t = t0 + k * dt + j;
                if (sup_fac_working(r, f, known(pl, r, t))) prod += st->output_kl_d / 24.0 * sup_comp_frac(r, f, COMP_PROCESS, known(pl, r, t));
            }
            pl->s_pmax[s * K + k] = prod;
        }
    }
    /* sinks: stock and deliveries on the way, use while active */
    for (int u = 0; u < w->nuse; u++) {
        const Consumption *c = &w->use[u];
        int d = c->point;
        pl->u_s0[u] = r->ustock[u] + r->uincoming[u];
        pl->u_smax[u] = fmax(c->storage_kl, pl->u_s0[u]);
        int l = pl->lastmile[d];
        for (int k = 0; k < K; k++) {
            double dem = 0;
            for (int j = 1; j <= nh; j++) {
                double t = t0 + k * dt + j;
                if (c->when == USE_ALWAYS || !rst_area_has_power(r->rs, w->dem[d].area, known(pl, r, t))) dem += c->use_kl_d / 24.0;
            }
            pl->u_dem[u * K + k] = dem;
            int ok = rst_place_accessible(r->rs, w->nfac + d, known(pl, r, t0 + (k + 1) * dt));
            if (pl->ycol[u] && (l < 0 || !isfinite(r->link_factor[l]))) ok = 0;
            pl->y_ok[u * K + k] = (unsigned char)ok;
        }
    }
    /* which arc may move in which period */
    pl->x_ok = xrealloc(pl->x_ok, ((size_t)pl->narc * K + 1) * sizeof *pl->x_ok);
    for (int i = 0; i < pl->narc; i++) {
        const Arc *a = &pl->arc[i];
        for (int k = 0; k < K; k++) {
            double td = t0 + k * dt, ta = td + a->load_h + a->travel_h + a->unload_h;
            /* an arc no longer among the nearest is fixed at zero: GLPK
             * leaves fixed columns out of its working problem */
            int ok = a->live && a->current && k + a->lag < K;
            if (ok && a->q == SUP_Q_NONE) ok = sup_fac_working(r, a->src, known(pl, r, td + dt - 1));
            if (ok && a->dkind == D_USE) ok = rst_place_accessible(r->rs, w->nfac + w->use[a->dest].point, known(pl, r, ta));
            if (ok && a->dkind == D_HUB && pl->hub[a->dest].n == 1)
                ok = rst_place_accessible(r->rs, pl->hub[a->dest].place, known(pl, r, ta));
            if (ok && a->dkind == D_STOCK) ok = sup_q_servers(r, w->stock[a->dest].facility, a->q, known(pl, r, ta)) > 0;
            pl->x_ok[(size_t)i * K + k] = (unsigned char)ok;
        }
    }
}

/* ---- bounds and objective ----------------------------------------------------------- */

static void col_bounds(glp_prob *P, int j, double lo, double up)
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

static void set_data(OptPlan *pl, SupRun *r)
{
    const World *w = pl->w;
    glp_prob *P = pl->P;
    int K = pl->K, nh = (int)pl->dt;
    for (int s = 0; s < w->nstock; s++) {
        if (!pl->srow[s]) continue;
        for (int k = 0; k < K; k++) {
            row_fx(P, pl->srow[s] + k, (k == 0 ? pl->s_start[s] : 0) + pl->s_in[s * K + k]);
            col_bounds(P, pl->icol[s] + k, 0, pl->s_cap[s * K + k]);
            if (pl->pcol[s]) col_bounds(P, pl->pcol[s] + k, 0, pl->s_pmax[s * K + k]);
        }
    }
    double c0 = 0;
    for (int u = 0; u < w->nuse; u++) {
        double wgt = w->class_weight[use_class(w, u) - 1];
        for (int k = 0; k < K; k++) {
            double dem = pl->u_dem[u * K + k];
            double target = 0;
            if (pl->bcol[u]) {
                double next = pl->u_dem[u * K + (k + 1 < K ? k + 1 : k)];
                if (next > 0) next = fmax(next, w->request_threshold_d * w->use[u].use_kl_d);
                target = fmin(w->use[u].storage_kl, next);
                col_bounds(P, pl->bcol[u] + k, 0, target);
                glp_set_obj_coef(P, pl->bcol[u] + k, -pl->p.buffer_weight * wgt);
                c0 += pl->p.buffer_weight * wgt * target;
            }
            pl->target[u * K + k] = target;
            row_fx(P, pl->urow[u] + k, (k == 0 ? pl->u_s0[u] : 0) - dem);
            col_bounds(P, pl->scol[u] + k, 0, pl->u_smax[u] - target);
            col_bounds(P, pl->ucol[u] + k, 0, dem);
            glp_set_obj_coef(P, pl->ucol[u] + k, wgt);
            if (pl->ycol[u]) col_bounds(P, pl->ycol[u] + k, 0, pl->y_ok[u * K + k] ? SUP_INF : 0);
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
                for (int j = 0; j < nh; j++) hours += sup_q_servers(r, f, q, known(pl, r, pl->t0 + k * pl->dt + j));
                row_up(P, pl->qrow[f * SUP_NQ + q] + k, hours);
            }
    for (int c = 0; c < pl->ncap; c++)
        for (int k = 0; k < K; k++) {
            row_up(P, pl->crow[c] + k, pl->cap_on[c * K + k]);
            col_bounds(P, pl->ecol[c] + k, 0, pl->cap_un[c * K + k]);
            /* asking PAJ and SDF costs a little more than using what is on hand */
            glp_set_obj_coef(P, pl->ecol[c] + k, 0.1 * pl->eps);
        }
    for (int i = 0; i < pl->narc; i++) {
        const Arc *a = &pl->arc[i];
        for (int k = 0; k < K; k++) {
            int ok = pl->x_ok[(size_t)i * K + k];
            col_bounds(P, a->xcol + k, 0, ok ? SUP_INF : 0);
            /* later is dearer: among equal plans, move fuel early */
            glp_set_obj_coef(P, a->xcol + k, pl->eps * (a->cost + 0.1) * (1.0 + (double)k / K));
            if (pl->p.integer) {
                col_bounds(P, a->ncol + k, 0, ok ? SUP_INF : 0);
                row_up(P, a->lrow + k, 0);
            }
        }
    }
}

/* ---- solving ---------------------------------------------------------------------- */

typedef struct MipInfo {
    int node_lim, nodes, stopped;
    double gap;
    const double *start;    /* a whole-trip solution to begin with, or NULL */
} MipInfo;

/* Node limit (a count, not a clock: the same plan on any machine) and the
 * starting solution, offered at the first heuristic call. */
static void mip_callback(glp_tree *T, void *info)
{
    MipInfo *mi = info;
    if (glp_ios_reason(T) == GLP_IHEUR && mi->start) {
        glp_ios_heur_sol(T, mi->start);
        mi->start = NULL;
    }
    int a, n, t;
    glp_ios_tree_size(T, &a, &n, &t);
    if (t > mi->nodes) mi->nodes = t;
    double g = glp_ios_mip_gap(T);
    if (g < 1e300) mi->gap = g;
    if (mi->node_lim > 0 && t >= mi->node_lim && !mi->stopped) {
        mi->stopped = 1;
        glp_ios_terminate(T);
    }
}

static const char *simplex_why(int rc)
{
    switch (rc) {
    case GLP_EITLIM: return "simplex iteration limit reached";
    case GLP_EBADB: return "invalid initial basis";
    case GLP_ESING: return "singular basis";
    case GLP_ECOND: return "ill-conditioned basis";
    case GLP_EBOUND: return "incorrect bounds";
    case GLP_EFAIL: return "solver failure";
    case GLP_ENOPFS: return "no primal feasible solution";
    case GLP_ENODFS: return "no dual feasible solution";
    default: return "solver error";
    }
}

/* Primal simplex: on these models the dual simplex from scratch wanders for
 * tens of thousands of iterations. The first solve presolves; later ones
 * start from the last basis. */
static int lp_solve(OptPlan *pl)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_PRIMAL;
    if (pl->p.it_lim > 0) sm.it_lim = pl->p.it_lim;
    int warm = pl->have_basis && pl->p.warm;
    if (pl->grew || !warm) glp_scale_prob(pl->P, GLP_SF_AUTO);
    pl->grew = 0;
    sm.presolve = warm ? GLP_OFF : GLP_ON;
    int it0 = glp_get_it_cnt(pl->P);
    int rc = glp_simplex(pl->P, &sm);
    if (warm && (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND)) {
        warm = 0;
        sm.presolve = GLP_ON;
        rc = glp_simplex(pl->P, &sm);
    }
    pl->sol.warm = warm;
    pl->sol.iterations = glp_get_it_cnt(pl->P) - it0;
    if (rc != 0) {
        pl->sol.why = simplex_why(rc);
        /* a presolved run that stopped leaves no basis worth keeping */
        if (!warm) pl->have_basis = 0;
        return -1;
    }
    pl->have_basis = 1;
    int st = glp_get_status(pl->P);
    if (st != GLP_OPT) {
        pl->sol.why = st == GLP_NOFEAS ? "infeasible" : st == GLP_UNBND ? "unbounded" : "no optimal solution";
        return -1;
    }
    return 0;
}

static int int_periods(const OptPlan *pl)
{
    return pl->p.int_periods > 0 && pl->p.int_periods < pl->K ? pl->p.int_periods : pl->K;
}

typedef struct Frac { int j, arc, k; double frac; } Frac;

static int frac_cmp(const void *x, const void *y)
{
    const Frac *a = x, *b = y;
    if (a->frac != b->frac) return a->frac > b->frac ? -1 : 1;
    return a->j - b->j;
}

/* A whole-trip solution near the LP's, for branch and bound to start from
 * (GLPK's own heuristics find none on these models in thousands of nodes):
 * trips rounded down, then up where the fleet rows allow it, largest
 * fractions first; the rest of the plan re-solved around them. Leaves the
 * relaxation solved again. vals[1..ncol]; 0, or -1 when it fails. */
static int round_trips(OptPlan *pl, double *vals)
{
    glp_prob *P = pl->P;
    int K = pl->K, ki = int_periods(pl), ncol = glp_get_num_cols(P);
    double *n = xcalloc((size_t)ncol + 1, sizeof *n);
    double *used = xcalloc((size_t)pl->ncap * K + 1, sizeof *used);
    Frac *fr = xmalloc(((size_t)pl->narc * ki + 1) * sizeof *fr);
    int nf = 0;
    int ind[NSUB * NMODE + 8];
    double val[NSUB * NMODE + 8];
    for (int i = 0; i < pl->narc; i++)
        for (int k = 0; k < ki; k++) {
            int j = pl->arc[i].ncol + k;
            double v = fmax(0, glp_get_col_prim(P, j)), fl = floor(v + 1e-9);
            n[j] = fl;
            int len = n_column(pl, i, k, ind, val);
            for (int t = 2; t <= len; t++) used[ind[t] - pl->crow[0]] += fl * val[t];
            if (v - fl > 1e-9) fr[nf++] = (Frac){j, i, k, v - fl};
        }
    qsort(fr, (size_t)nf, sizeof *fr, frac_cmp);
    for (int f = 0; f < nf; f++) {
        int len = n_column(pl, fr[f].arc, fr[f].k, ind, val), fits = 1;
        for (int t = 2; t <= len && fits; t++) {
            int c = (ind[t] - pl->crow[0]) / K, k = (ind[t] - pl->crow[0]) % K;
            fits = used[ind[t] - pl->crow[0]] + val[t] <= pl->cap_on[c * K + k] + pl->cap_un[c * K + k] + 1e-9;
        }
        if (!fits) continue;
        n[fr[f].j] += 1;
        for (int t = 2; t <= len; t++) used[ind[t] - pl->crow[0]] += val[t];
    }
    for (int i = 0; i < pl->narc; i++)
        for (int k = 0; k < ki; k++) glp_set_col_bnds(P, pl->arc[i].ncol + k, GLP_FX, n[pl->arc[i].ncol + k], n[pl->arc[i].ncol + k]);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_PRIMAL;
    int ok = glp_simplex(P, &sm) == 0 && glp_get_status(P) == GLP_OPT;
    for (int j = 1; ok && j <= ncol; j++) vals[j] = glp_get_col_prim(P, j);
    for (int i = 0; i < pl->narc; i++)
        for (int k = 0; k < ki; k++) {
            int j = pl->arc[i].ncol + k;
            vals[j] = n[j];
            col_bounds(P, j, 0, pl->x_ok[(size_t)i * K + k] ? SUP_INF : 0);
        }
    ok = ok && glp_simplex(P, &sm) == 0 && glp_get_status(P) == GLP_OPT;
    free(n);
    free(used);
    free(fr);
    return ok ? 0 : -1;
}

static int mip_solve(OptPlan *pl)
{
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.presolve = GLP_OFF;
    io.mip_gap = pl->p.mip_gap;
    int ncol = glp_get_num_cols(pl->P);
    double *start = xmalloc(((size_t)ncol + 1) * sizeof *start);
    MipInfo mi = {pl->p.node_lim, 0, 0, 0, NULL};
    if (round_trips(pl, start) == 0) mi.start = start;
    io.cb_func = mip_callback;
    io.cb_info = &mi;
    int rc = glp_intopt(pl->P, &io);
    free(start);
    pl->sol.nodes = mi.nodes;
    if (rc != 0 && rc != GLP_EMIPGAP && rc != GLP_ESTOP) {
        pl->sol.why = rc == GLP_ENOPFS ? "infeasible" : "branch and bound failed";
        return -1;
    }
    int st = glp_mip_status(pl->P);
    if (st != GLP_OPT && st != GLP_FEAS) {
        pl->sol.why = mi.stopped ? "node limit reached without an integer solution" : "no integer solution";
        return -1;
    }
    int proved = rc == 0 && st == GLP_OPT;
    pl->sol.mip_gap = proved ? 0 : mi.gap;
    return proved ? OPT_OPTIMAL : OPT_FEASIBLE;
}

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

static void push_flow(OptPlan *pl, const Arc *a, int fleet, int k, int use, double kl)
{
    const World *w = pl->w;
    OptSolution *so = &pl->sol;
    xgrow((void **)&so->flow, &pl->capflow, so->nflow + 1, sizeof *so->flow);
    OptFlow *f = &so->flow[so->nflow++];
    f->fleet = fleet;
    f->mode = a->mode;
    f->src = a->src;
    f->dest_use = use;
    f->dest_stock = a->dkind == D_STOCK ? a->dest : -1;
    f->dest_place = a->dkind == D_STOCK ? w->stock[a->dest].facility : w->nfac + w->use[use].point;
    f->product = a->product;
    f->period = k;
    f->kl = kl;
    f->depart_h = pl->t0 + k * pl->dt;
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

static void read_solution(OptPlan *pl)
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
        int cls = use_class(w, u) - 1;
        for (int k = 0; k < K; k++) {
            double x = fmax(0, v[pl->ucol[u] + k]);
            so->unmet_class_kl[cls] += x;
            so->unmet_weighted += w->class_weight[cls] * x;
        }
    }
    so->buffer_term = 0;
    for (int u = 0; u < w->nuse; u++)
        for (int k = 0; pl->bcol[u] && k < K; k++)
            so->buffer_term += pl->p.buffer_weight * w->class_weight[use_class(w, u) - 1] *
                               fmax(0, pl->target[u * K + k] - v[pl->bcol[u] + k]);
    so->transport_cost = so->objective - so->unmet_weighted - so->buffer_term;
    for (int s = 0; s < w->nstock; s++)
        for (int k = 0; k < K; k++) {
            so->stock_prod[s * K + k] = pl->pcol[s] ? v[pl->pcol[s] + k] : 0;
            so->stock_inv[s * K + k] = pl->srow[s] ? v[pl->icol[s] + k] : 0;
        }
    for (int s = 0; s < w->nstock; s++)
        if (!pl->srow[s]) pl->s_start[s] = -1;

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
    for (int k = 0; k < K; k++)
        for (int mode = 0; mode < NMODE; mode++) {
            double need[NPROD] = {0};
            nit = 0;
            for (int i = 0; i < pl->narc; i++) {
                const Arc *a = &pl->arc[i];
                if (a->mode != mode) continue;
                double x = v[a->xcol + k];
                if (x <= FLOW_EPS) continue;
                need[a->product] += mip ? v[a->ncol + k] * w->asset[a->ref].capacity_kl * a->trip_h : x * a->trip_h;
                xgrow((void **)&it, &capit, nit + pl->maxhub + 1, sizeof *it);
                if (a->dkind == D_STOCK) it[nit++] = (Item){i, -1, x};
                else if (a->dkind == D_USE) it[nit++] = (Item){i, a->dest, x};
                else if (pl->hub[a->dest].n == 1) it[nit++] = (Item){i, pl->hub_use[pl->hub[a->dest].first], x};
                else {
                    const Hub *h = &pl->hub[a->dest];
                    int kk = k + a->lag;
                    for (int m = 0; m < h->n && x > FLOW_EPS && kk < K; m++) {
                        int u = pl->hub_use[h->first + m];
                        double take = fmin(x, pl->yleft[u * K + kk]);
                        if (take <= FLOW_EPS) continue;
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
                const Arc *a = &pl->arc[it[t].arc];
                double kh = it[t].kl * a->trip_h;
                double *b = budget + (size_t)a->product * w->nasset;
                while (kh > FLOW_EPS * a->trip_h) {
                    int best = -1;
                    for (int fa = 0; fa < w->nasset; fa++)
                        if (b[fa] > FLOW_EPS && (best < 0 || b[fa] > b[best])) best = fa;
                    /* rounding: what no budget holds goes to the reference fleet */
                    double take = best < 0 ? kh : fmin(kh, b[best]);
                    if (best < 0) best = a->ref;
                    else b[best] -= take;
                    push_flow(pl, a, best, k, it[t].use, take / a->trip_h);
                    kh -= take;
                }
            }
        }
    free(it);
    free(budget);
}

int opt_plan_solve(OptPlan *pl, SupRun *r)
{
    OptSolution *so = &pl->sol;
    double t_start = now_ms();
    glp_term_out(GLP_OFF);
    pl->t0 = r->now;
    so->t0_h = r->now;
    so->nflow = 0;
    so->iterations = so->nodes = 0;
    so->mip_gap = 0;
    so->warm = 0;
    so->why = "";

    if (!pl->P) first_build(pl);
    find_arcs(pl, r);
    state_data(pl, r);
    set_data(pl, r);
    so->rows = glp_get_num_rows(pl->P);
    so->cols = glp_get_num_cols(pl->P);
    so->nonzeros = glp_get_num_nz(pl->P);
    double t_solve = now_ms();
    so->build_ms = t_solve - t_start;
    if (so->rows == 0 || so->cols == 0) {
        /* nothing to decide; GLPK refuses an empty problem */
        so->status = OPT_OPTIMAL;
        so->objective = so->unmet_weighted = so->buffer_term = so->transport_cost = 0;
        so->solve_ms = now_ms() - t_solve;
        return 0;
    }
    int rc = lp_solve(pl);
    if (rc == 0 && pl->p.integer) {
        rc = mip_solve(pl);
        if (rc >= 0) so->status = rc;
        rc = rc >= 0 ? 0 : -1;
    } else if (rc == 0) {
        so->status = OPT_OPTIMAL;
    }
    so->solve_ms = now_ms() - t_solve;
    if (rc != 0) {
        so->status = OPT_FAILED;
        return -1;
    }
    read_solution(pl);
    return 0;
}

int opt_plan_write_lp(const OptPlan *pl, const char *path)
{
    if (!pl->P) { errno = EINVAL; return -1; }
    OutFile *o = out_open(path);
    if (!o) return -1;
    glp_term_out(GLP_OFF);
    if (glp_write_lp(pl->P, NULL, o->tmp) != 0) {
        int e = errno ? errno : EIO;
        out_abort(o);
        errno = e;
        return -1;
    }
    return out_commit(o);
}

/* ---- the planner inside a replicate ----------------------------------------------------- */

/* A movement of the plan's first period still to dispatch. */
typedef struct Pending {
    int fleet, mode, src, product, dest_place, dest_use, dest_stock;
    int order;          /* class (depots after class 4), then position */
    double kl;
} Pending;

struct OptPlanner {
    const World *w;
    OptPlan *plan;
    OptParams p;
    uint64_t rep;
    double next_h;
    uint64_t sig;
    int have_sig;
    Pending *pend; int npend, cappend;
    double pend_until;
    double capture_at;
    int probe_every;
    OptStats st;
    int warned;
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

void opt_planner_probe_cold(OptPlanner *pl, int every) { pl->probe_every = every; }

const OptPlan *opt_planner_plan(const OptPlanner *pl) { return pl->plan; }

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
 * restoration, power back, a fleet mobilised) calls for a new plan. */
static uint64_t state_sig(SupRun *r)
{
    const World *w = r->w;
    double t = r->now;
    uint64_t h = mix(0, (uint64_t)r->epoch);
    for (int f = 0; f < w->nfac; f++) {
        h = mix(h, (uint64_t)sup_fac_working(r, f, t));
        for (int q = 0; q < SUP_Q_NONE; q++) h = mix(h, (uint64_t)sup_q_servers(r, f, q, t));
        h = mix(h, dbits(sup_comp_frac(r, f, COMP_PROCESS, t)));
        h = mix(h, dbits(sup_comp_frac(r, f, COMP_TANK, t)));
    }
    for (int a = 0; a < w->narea; a++) h = mix(h, (uint64_t)rst_area_has_power(r->rs, a, t));
    for (int d = 0; d < w->ndem; d++) h = mix(h, (uint64_t)rst_place_accessible(r->rs, w->nfac + d, t));
    for (int a = 0; a < w->nasset; a++) h = mix(h, (uint64_t)(t >= r->fleet_ready_h[a]));
    return h;
}

static int pend_cmp(const void *x, const void *y)
{
    const Pending *a = x, *b = y;
    return (a->order > b->order) - (a->order < b->order);
}

/* The first period's movements, one entry per source, destination and
 * product (the fleets' parts merged), highest class first. */
static void take_plan(OptPlanner *pl, SupRun *r)
{
    const World *w = pl->w;
    const OptSolution *so = opt_plan_solution(pl->plan);
    pl->npend = 0;
    for (int i = 0; i < so->nflow; i++) {
        const OptFlow *f = &so->flow[i];
        if (f->period != 0) continue;
        int j;
        for (j = 0; j < pl->npend; j++) {
            Pending *e = &pl->pend[j];
            if (e->mode == f->mode && e->src == f->src && e->product == f->product &&
                e->dest_use == f->dest_use && e->dest_stock == f->dest_stock)
                break;
        }
        if (j < pl->npend) { pl->pend[j].kl += f->kl; continue; }
        xgrow((void **)&pl->pend, &pl->cappend, pl->npend + 1, sizeof *pl->pend);
        Pending *e = &pl->pend[pl->npend++];
        e->fleet = f->fleet; e->mode = f->mode; e->src = f->src; e->product = f->product;
        e->dest_place = f->dest_place; e->dest_use = f->dest_use; e->dest_stock = f->dest_stock;
        e->kl = f->kl;
        int cls = f->dest_use >= 0 ? use_class(w, f->dest_use) : NCLASS + 1;
        e->order = cls * 1000000 + pl->npend;
    }
    if (pl->npend > 1) qsort(pl->pend, (size_t)pl->npend, sizeof *pl->pend, pend_cmp);
    pl->pend_until = r->now + pl->p.step_h;
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
            if (!sup_fleet_ready(r, a)) continue;
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
        int q = mode_queue(e->mode);
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

static void note_solve(OptPlanner *pl, const OptSolution *so)
{
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
}

void opt_planner_tick(void *ctx, SupRun *r)
{
    OptPlanner *pl = ctx;
    if (pl->capture_at >= 0) {
        if (!pl->st.captured && r->now >= pl->capture_at - 1e-9) {
            pl->st.captured = 1;
            if (opt_plan_solve(pl->plan, r) != 0) pl->st.failures++;
            note_solve(pl, opt_plan_solution(pl->plan));
        }
        return;
    }
    uint64_t sig = state_sig(r);
    if (r->now >= pl->next_h - 1e-9 || !pl->have_sig || sig != pl->sig) {
        pl->sig = sig;
        pl->have_sig = 1;
        pl->next_h = r->now + pl->p.step_h;
        int rc = opt_plan_solve(pl->plan, r);
        const OptSolution *so = opt_plan_solution(pl->plan);
        note_solve(pl, so);
        if (rc != 0) {
            pl->st.failures++;
            pl->npend = 0;
            if (!pl->warned) {
                pl->warned = 1;
                fprintf(stderr, "fuelsim: warning: replicate %llu: plan at hour %.0f failed (%s); "
                        "greedy dispatch until the next plan (later failures are counted, not shown)\n",
                        (unsigned long long)pl->rep, r->now, so->why);
            }
            return;
        }
        if (pl->probe_every > 0 && so->warm && pl->st.warm_solves % pl->probe_every == 0) {
            /* the same state from scratch, in a plan of its own: timed, then dropped */
            OptPlan *cold = opt_plan_new(pl->w, &pl->p);
            if (opt_plan_solve(cold, r) == 0) {
                pl->st.probes++;
                pl->st.probe_ms += cold->sol.solve_ms;
                pl->st.probe_warm_ms += so->solve_ms;
            }
            opt_plan_free(cold);
        }
        take_plan(pl, r);
        if (pl->plan->wants_mobilise && !r->mobilise_requested) {
            sup_mobilise(r);
            pl->st.mobilisations++;
        }
    }
    if (r->now < pl->pend_until - 1e-9) execute(pl, r);
}
