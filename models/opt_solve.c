/* Solving the optimiser's model with GLPK: primal simplex, warm from the
 * last basis when there is one; for a MIP, branch and bound from trips
 * rounded to fit the fleets, under a node limit (never a clock). Also
 * opt_plan_solve, which runs build, solve and read in turn. */
#include "optimise_int.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

const char *const opt_status_name[3] = {"optimal", "feasible", "failed"};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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

/* A re-plan changes stocks and capacities (the right-hand side) far more
 * than costs, so the last basis usually stays dual feasible but not primal
 * feasible: the dual simplex repairs it in a few dozen pivots where the
 * primal's phase 1 takes a few hundred. When a few columns' costs or new
 * arcs make it dual infeasible, those columns are held at their bounds for
 * the dual pass and freed for a primal pass that starts feasible and only
 * has them to price in. A pass that fails leaves the primal simplex to
 * finish from wherever it stopped. Returns glp_simplex's code, or
 * OPT_WARM_STALLED for a dual pass that ran out of pivots. */
static int warm_solve(OptPlan *pl, glp_smcp *sm)
{
    glp_prob *P = pl->P;
    if (glp_warm_up(P) != 0) return glp_simplex(P, sm);
    int n = glp_get_num_cols(P), nheld = 0;
    int *held = xmalloc(((size_t)n + 1) * sizeof *held);
    for (int j = 1; j <= n; j++) {
        int st = glp_get_col_stat(P, j);
        double d = glp_get_col_dual(P, j);
        if ((st == GLP_NL && d < -OPT_DJ_TOL) || (st == GLP_NU && d > OPT_DJ_TOL) || (st == GLP_NF && fabs(d) > OPT_DJ_TOL))
            held[nheld++] = j;
    }
    double *lb = xmalloc(((size_t)nheld + 1) * sizeof *lb), *ub = xmalloc(((size_t)nheld + 1) * sizeof *ub);
    int *type = xmalloc(((size_t)nheld + 1) * sizeof *type), *stat = xmalloc(((size_t)nheld + 1) * sizeof *stat);
    for (int i = 0; i < nheld; i++) {
        int j = held[i];
        type[i] = glp_get_col_type(P, j);
        lb[i] = glp_get_col_lb(P, j);
        ub[i] = glp_get_col_ub(P, j);
        stat[i] = glp_get_col_stat(P, j);
        double at = stat[i] == GLP_NL ? lb[i] : stat[i] == GLP_NU ? ub[i] : 0;
        glp_set_col_bnds(P, j, GLP_FX, at, at);
    }
    glp_smcp dual = *sm;
    dual.meth = GLP_DUALP;
    /* GLPK's dual simplex can stall on these degenerate models (seen once:
     * no progress for minutes); after a cold solve's worth of pivots (a
     * count, never a clock) the model is solved from scratch instead */
    int capped = dual.it_lim <= 0 || dual.it_lim > OPT_DUAL_IT_LIM;
    if (capped) dual.it_lim = OPT_DUAL_IT_LIM;
    int rc = glp_simplex(P, &dual);
    for (int i = 0; i < nheld; i++) {
        glp_set_col_bnds(P, held[i], type[i], lb[i], ub[i]);
        /* a held column was nonbasic throughout the dual pass: back to its bound */
        if (glp_get_col_stat(P, held[i]) != GLP_BS) glp_set_col_stat(P, held[i], stat[i]);
    }
    free(held); free(lb); free(ub); free(type); free(stat);
    if (capped && rc == GLP_EITLIM) return OPT_WARM_STALLED;
    if (rc == 0 && nheld == 0 && glp_get_status(P) == GLP_OPT) return 0;
    return glp_simplex(P, sm);
}

/* Primal simplex: on these models the dual simplex from scratch wanders for
 * tens of thousands of iterations. The first solve presolves; later ones
 * start from the last basis (warm_solve). */
static int lp_solve(OptPlan *pl)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_PRIMAL;
    if (pl->p.it_lim > 0) sm.it_lim = pl->p.it_lim;
    int warm = pl->have_basis && pl->p.warm;
    /* scale factors from the cold solve only: rows and columns added later
     * keep a factor of 1 (their coefficients are of the same kinds), and
     * rescaling the whole problem at each growth cost more than the simplex */
    if (!warm) glp_scale_prob(pl->P, GLP_SF_AUTO);
    pl->grew = 0;
    sm.presolve = warm ? GLP_OFF : GLP_ON;
    int it0 = glp_get_it_cnt(pl->P);
    int rc = warm ? warm_solve(pl, &sm) : glp_simplex(pl->P, &sm);
    if (warm && (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND || rc == OPT_WARM_STALLED)) {
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
    int ind[OPT_NSUB * NMODE + 8];
    double val[OPT_NSUB * NMODE + 8];
    for (int i = 0; i < pl->narc; i++)
        for (int k = 0; k < ki; k++) {
            int j = pl->arc[i].ncol + k;
            double v = fmax(0, glp_get_col_prim(P, j)), fl = floor(v + 1e-9);
            n[j] = fl;
            int len = opt_n_column(pl, i, k, ind, val);
            for (int t = 2; t <= len; t++) used[ind[t] - pl->crow[0]] += fl * val[t];
            if (v - fl > 1e-9) fr[nf++] = (Frac){j, i, k, v - fl};
        }
    qsort(fr, (size_t)nf, sizeof *fr, frac_cmp);
    for (int f = 0; f < nf; f++) {
        int len = opt_n_column(pl, fr[f].arc, fr[f].k, ind, val), fits = 1;
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
            opt_col_bounds(P, j, 0, pl->x_ok[(size_t)i * K + k] ? SUP_INF : 0);
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

    if (!pl->P) opt_first_build(pl);
    /* The model reads restoration through r->rs; after the inspection delay
     * it sees the forecast instead of the replicate's draws, for the build
     * only (the schedules agree up to now). */
    RstSchedule *drawn = r->rs;
    if (pl->p.forecast != OPT_FC_PERFECT && r->now >= pl->p.inspect_h) r->rs = opt_forecast(pl, r);
    opt_find_arcs(pl, r);
    opt_state_data(pl, r);
    opt_set_data(pl, r);
    r->rs = drawn;
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
    opt_read_solution(pl);
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
