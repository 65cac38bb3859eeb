/* Portfolio search (see portfolio.h): budgets, feasibility of a set under
 * excludes and requires, the risk measures, a memo of evaluated sets, the
 * local search with swaps (or enumeration), the fresh-replicate figures and
 * the output files. */
#include "portfolio.h"

#include "util.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const pf_risk_name[NPFRISK] = {"mean", "p90", "cvar90"};

/* ---- budgets and sets ---------------------------------------------------------------- */

static int parse_yen(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < 0 || v > 1e18) return -1;
    *out = v;
    return 0;
}

static int dbl_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double *budgets_range(const char *s, int *n, char *err, size_t errlen)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    char *c1 = strchr(buf, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    double lo, hi, step;
    if (!c2 || strchr(c2 + 1, ':')) {
        snprintf(err, errlen, "\"%s\" is not LO:HI:STEP", s);
        return NULL;
    }
    *c1 = *c2 = 0;
    if (parse_yen(buf, &lo) || parse_yen(c1 + 1, &hi) || parse_yen(c2 + 1, &step) || step <= 0 || hi < lo) {
        snprintf(err, errlen, "\"%s\" is not LO:HI:STEP with 0 <= LO <= HI and STEP > 0 (yen)", s);
        return NULL;
    }
    double k = floor((hi - lo) / step + 1e-9);
    if (k > 1000) {
        snprintf(err, errlen, "\"%s\" gives more than 1001 budgets", s);
        return NULL;
    }
    *n = (int)k + 1;
    double *b = xmalloc((size_t)*n * sizeof *b);
    for (int i = 0; i < *n; i++) b[i] = lo + step * i;
    return b;
}

double *pf_budgets_parse(const char *s, int *n, char *err, size_t errlen)
{
    double *b;
    if (strchr(s, ':')) {
        if (!(b = budgets_range(s, n, err, errlen))) return NULL;
    } else {
        char *copy = xstrdup(s), *save = NULL;
        int cap = 0;
        b = NULL;
        *n = 0;
        size_t len = strlen(copy);
        int bad = len == 0 || copy[0] == ',' || copy[len - 1] == ',' || strstr(copy, ",,");
        for (char *t = strtok_r(copy, ",", &save); t && !bad; t = strtok_r(NULL, ",", &save)) {
            xgrow((void **)&b, &cap, *n + 1, sizeof *b);
            if (parse_yen(t, &b[*n])) bad = 1;
            else (*n)++;
        }
        free(copy);
        if (bad || *n == 0) {
            snprintf(err, errlen, "\"%s\" is not a list of yen >= 0 (Y1,Y2,...) or a range LO:HI:STEP", s);
            free(b);
            return NULL;
        }
    }
    qsort(b, (size_t)*n, sizeof *b, dbl_cmp);
    int k = 0;
    for (int i = 0; i < *n; i++)
        if (k == 0 || b[i] != b[k - 1]) b[k++] = b[i];
    *n = k;
    return b;
}

double pf_set_cost(const CmpInvest *inv, PfSet s)
{
    double c = 0;
    for (int i = 0; i < inv->nopt; i++)
        if (s >> i & 1) c += inv->opt[i].cost_yen;
    return c;
}

int pf_set_count(PfSet s)
{
    int k = 0;
    for (; s; s &= s - 1) k++;
    return k;
}

static int fits(double cost, double budget)
{
    return cost <= budget * (1 + 1e-12) + 1e-6;
}

int pf_set_feasible(const CmpInvest *inv, PfSet s, double budget)
{
    if (!fits(pf_set_cost(inv, s), budget)) return 0;
    for (int i = 0; i < inv->nopt; i++) {
        if (!(s >> i & 1)) continue;
        const CmpOption *o = &inv->opt[i];
        for (int k = 0; k < o->nexcl; k++)
            if (s >> o->excl[k] & 1) return 0;
        for (int k = 0; k < o->nreq; k++)
            if (!(s >> o->req[k] & 1)) return 0;
    }
    return 1;
}

char *pf_set_ids(const CmpInvest *inv, PfSet s, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < inv->nopt && at < len; i++)
        if (s >> i & 1) at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ";" : "", inv->opt[i].id);
    return buf;
}

double pf_risk(PfRisk r, const double *x, uint64_t n)
{
    if (n == 0) return NAN;
    double sum = 0;
    if (r == PF_MEAN) {
        for (uint64_t i = 0; i < n; i++) sum += x[i];
        return sum / (double)n;
    }
    double *y = xmalloc(n * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    qsort(y, n, sizeof *y, dbl_cmp);
    double v;
    if (r == PF_P90) {
        double h = (double)(n - 1) * 0.9;
        uint64_t lo = (uint64_t)floor(h);
        v = lo + 1 < n ? y[lo] + (h - (double)lo) * (y[lo + 1] - y[lo]) : y[lo];
    } else {
        uint64_t k = (n + 9) / 10;
        for (uint64_t i = n - k; i < n; i++) sum += y[i];
        v = sum / (double)k;
    }
    free(y);
    return v;
}

/* ---- the memo of evaluated sets ------------------------------------------------------------ */

typedef struct PfEntry {
    PfSet s;
    double obj, cost;
    PfVals v[2];              /* search, fresh */
    int have[2];
} PfEntry;

typedef struct PfMemo {
    const CmpInvest *inv;
    const PfParams *p;
    PfEvalFn eval;
    void *ctx;
    PfEntry *e;
    int n, cap;
    int nfresh;
    int failed;
} PfMemo;

static PfEntry *memo_find(PfMemo *m, PfSet s)
{
    for (int i = 0; i < m->n; i++)
        if (m->e[i].s == s) return &m->e[i];
    return NULL;
}

/* The set's values on one replicate range, evaluated once. NULL on failure. */
static PfEntry *memo_get(PfMemo *m, PfSet s, int fresh)
{
    if (m->failed) return NULL;
    PfEntry *e = memo_find(m, s);
    if (!e) {
        xgrow((void **)&m->e, &m->cap, m->n + 1, sizeof *m->e);
        e = &m->e[m->n++];
        memset(e, 0, sizeof *e);
        e->s = s;
        e->cost = pf_set_cost(m->inv, s);
    }
    if (!e->have[fresh]) {
        PfVals *v = &e->v[fresh];
        size_t n = (size_t)m->p->n;
        v->ws = xmalloc(n * sizeof *v->ws);
        v->dry1 = xmalloc(n * sizeof *v->dry1);
        v->kl = xmalloc(n * sizeof *v->kl);
        if (m->eval(m->ctx, s, fresh, v) != 0) {
            m->failed = 1;
            return NULL;
        }
        e->have[fresh] = 1;
        if (fresh) m->nfresh++;
        else e->obj = pf_risk(m->p->risk, v->ws, m->p->n);
    }
    return e;
}

static void memo_free(PfMemo *m)
{
    for (int i = 0; i < m->n; i++)
        for (int k = 0; k < 2; k++) {
            free(m->e[i].v[k].ws);
            free(m->e[i].v[k].dry1);
            free(m->e[i].v[k].kl);
        }
    free(m->e);
}

/* Order of sets: lower risk, then cheaper, then lower mask. */
static int better(const PfEntry *a, const PfEntry *b)
{
    if (a->obj != b->obj) return a->obj < b->obj;
    if (a->cost != b->cost) return a->cost < b->cost;
    return a->s < b->s;
}

/* ---- search ---------------------------------------------------------------------------- */

/* A control option (every change `none`) changes nothing: the search leaves it out. */
static int is_control(const CmpOption *o)
{
    for (int k = 0; k < o->nchange; k++)
        if (o->change[k].kind != CMP_NONE) return 0;
    return 1;
}

static PfSet control_mask(const CmpInvest *inv)
{
    PfSet m = 0;
    for (int i = 0; i < inv->nopt; i++)
        if (is_control(&inv->opt[i])) m |= (PfSet)1 << i;
    return m;
}

/* s with option i and, transitively, what it requires. */
static PfSet add_closure(const CmpInvest *inv, PfSet s, int i)
{
    if (s >> i & 1) return s;
    s |= (PfSet)1 << i;
    for (int k = 0; k < inv->opt[i].nreq; k++) s = add_closure(inv, s, inv->opt[i].req[k]);
    return s;
}

/* s without option i and, transitively, what requires it. */
static PfSet drop_closure(const CmpInvest *inv, PfSet s, int i)
{
    if (!(s >> i & 1)) return s;
    s &= ~((PfSet)1 << i);
    for (int j = 0; j < inv->nopt; j++)
        for (int k = 0; k < inv->opt[j].nreq; k++)
            if (inv->opt[j].req[k] == i) s = drop_closure(inv, s, j);
    return s;
}

/* Evaluate s when it is a feasible candidate; *best becomes it when better. */
static void consider(PfMemo *m, PfSet s, double budget, PfEntry **best)
{
    if (!pf_set_feasible(m->inv, s, budget)) return;
    /* memo_get may move the array: remember the best by its set, not its address */
    int had = *best != NULL;
    PfSet bs = had ? (*best)->s : 0;
    PfEntry *e = memo_get(m, s, 0);
    if (!e) return;
    PfEntry *b = had ? memo_find(m, bs) : NULL;
    *best = !b || better(e, b) ? e : b;
}

/* The best feasible set already evaluated (the empty set at least). */
static PfSet best_known(PfMemo *m, double budget)
{
    PfEntry *best = NULL;
    consider(m, 0, budget, &best);
    for (int i = 0; i < m->n && best; i++)
        if (pf_set_feasible(m->inv, m->e[i].s, budget) && better(&m->e[i], best)) best = &m->e[i];
    return best ? best->s : 0;
}

/* Singles and pairs within the budget, then best-improvement moves: add
 * one or two options, drop one, swap one for another. */
static PfSet local_search(PfMemo *m, double budget)
{
    const CmpInvest *inv = m->inv;
    int no = inv->nopt;
    PfSet ctl = control_mask(inv);
    PfEntry *best = NULL;
    for (int i = 0; i < no && !m->failed; i++) {
        if (ctl >> i & 1) continue;
        consider(m, add_closure(inv, 0, i), budget, &best);
        for (int j = i + 1; j < no && !m->failed; j++)
            if (!(ctl >> j & 1)) consider(m, add_closure(inv, add_closure(inv, 0, i), j), budget, &best);
    }
    PfSet cur = best_known(m, budget);
    for (;;) {
        PfEntry *nb = memo_find(m, cur);
        PfSet from = cur;
        for (int i = 0; i < no && !m->failed; i++) {
            if (ctl >> i & 1) continue;
            if (!(cur >> i & 1)) {
                /* one option, or two that may help only together */
                PfSet one = add_closure(inv, cur, i);
                consider(m, one, budget, &nb);
                for (int j = i + 1; j < no && !m->failed; j++)
                    if (!(ctl >> j & 1) && !(one >> j & 1)) consider(m, add_closure(inv, one, j), budget, &nb);
                continue;
            }
            PfSet dropped = drop_closure(inv, cur, i);
            consider(m, dropped, budget, &nb);
            for (int j = 0; j < no && !m->failed; j++)
                if (j != i && !(dropped >> j & 1) && !(ctl >> j & 1))
                    consider(m, add_closure(inv, dropped, j), budget, &nb);
        }
        if (m->failed || !nb || nb->s == from) break;
        cur = nb->s;
    }
    return cur;
}

static PfSet exhaustive(PfMemo *m, double budget)
{
    PfEntry *best = NULL;
    PfSet all = m->inv->nopt >= 64 ? ~(PfSet)0 : ((PfSet)1 << m->inv->nopt) - 1, ctl = control_mask(m->inv);
    for (PfSet s = 0;; s++) {
        if (!(s & ctl)) consider(m, s, budget, &best);
        if (s == all || m->failed) break;
    }
    return best ? best->s : 0;
}

/* ---- fresh figures --------------------------------------------------------------------------- */

static void paired_ws(const PfVals *a, const PfVals *b, uint64_t n, CmpDiff *out)
{
    cmp_paired(a->ws, b->ws, (size_t)n, out);
}

/* Interaction of set s per fresh replicate: (base - s) - sum_i (base - s_i).
 * base is a copy: evaluating a single may move the memo's entries. */
static int interaction(PfMemo *m, PfSet s, PfVals base, CmpDiff *out)
{
    size_t n = (size_t)m->p->n;
    double *x = xcalloc(n, sizeof *x), *zero = xcalloc(n, sizeof *zero);
    const PfEntry *es = memo_get(m, s, 1);
    int rc = es ? 0 : -1;
    for (size_t r = 0; es && r < n; r++) x[r] = base.ws[r] - es->v[1].ws[r];
    for (int i = 0; i < m->inv->nopt && rc == 0; i++) {
        if (!(s >> i & 1)) continue;
        const PfEntry *e = memo_get(m, (PfSet)1 << i, 1);
        if (!e) { rc = -1; break; }
        for (size_t r = 0; r < n; r++) x[r] -= base.ws[r] - e->v[1].ws[r];
    }
    if (rc == 0) cmp_paired(x, zero, n, out);
    free(x);
    free(zero);
    return rc;
}

static int runner_cmp_idx(PfMemo *m, int a, int b)
{
    return better(&m->e[a], &m->e[b]) ? -1 : 1;
}

/* The runners-up: the best other feasible sets evaluated so far. */
static void pick_runners(PfMemo *m, PfBudget *b)
{
    int idx[PF_NRUNNER];
    int k = 0;
    for (int i = 0; i < m->n; i++) {
        const PfEntry *e = &m->e[i];
        if (!e->have[0] || e->s == b->chosen || !pf_set_feasible(m->inv, e->s, b->budget)) continue;
        int at = k;
        while (at > 0 && runner_cmp_idx(m, i, idx[at - 1]) < 0) at--;
        if (at >= PF_NRUNNER) continue;
        if (k < PF_NRUNNER) k++;
        memmove(&idx[at + 1], &idx[at], (size_t)(k - 1 - at) * sizeof *idx);
        idx[at] = i;
    }
    b->nrunner = k;
    for (int i = 0; i < k; i++) {
        b->runner[i] = m->e[idx[i]].s;
        b->runner_obj[i] = m->e[idx[i]].obj;
    }
}

/* Every fresh figure of budget b, whose chosen set is known. */
static int fresh_figures(PfMemo *m, PfBudget *b)
{
    uint64_t n = m->p->n;
    const PfEntry *e = memo_get(m, b->chosen, 0);
    if (!e) return -1;
    b->obj = e->obj;
    b->cost = e->cost;
    b->best_single = -1;
    PfEntry *bs = NULL;
    for (int i = 0; i < m->inv->nopt; i++) {
        PfEntry *si = memo_find(m, (PfSet)1 << i);
        if (si && si->have[0] && pf_set_feasible(m->inv, si->s, b->budget) && (!bs || better(si, bs))) bs = si;
    }
    if (bs) for (int i = 0; i < m->inv->nopt; i++) if (bs->s == (PfSet)1 << i) b->best_single = i;
    pick_runners(m, b);
    PfSet need[2 + PF_NRUNNER] = {0, b->chosen};
    int nneed = 2;
    if (b->best_single >= 0) need[nneed++] = (PfSet)1 << b->best_single;
    for (int i = 0; i < nneed; i++)
        if (!memo_get(m, need[i], 1)) return -1;
    /* copies: the entries may move when the singles are evaluated below */
    PfVals bv = memo_find(m, 0)->v[1], sv = memo_find(m, b->chosen)->v[1];
    const PfVals *base = &bv, *set = &sv;
    cmp_paired(base->ws, set->ws, (size_t)n, &b->ws);
    cmp_paired(base->dry1, set->dry1, (size_t)n, &b->dry1);
    cmp_paired(base->kl, set->kl, (size_t)n, &b->kl);
    b->risk_base = pf_risk(m->p->risk, base->ws, n);
    b->risk_set = pf_risk(m->p->risk, set->ws, n);
    if (b->best_single >= 0) {
        PfVals one = memo_find(m, (PfSet)1 << b->best_single)->v[1];
        paired_ws(&one, set, n, &b->vs_single);
    }
    else paired_ws(base, set, n, &b->vs_single);
    for (int i = 0; i < b->nrunner; i++) {
        const PfEntry *r = memo_get(m, b->runner[i], 1);
        if (!r) return -1;
        paired_ws(base, &r->v[1], n, &b->runner_ws[i]);
    }
    return interaction(m, b->chosen, bv, &b->inter);
}

/* Interactions of every pair of options that may go together (controls
 * left out), or with more than PF_PAIRS_ALL options only of the pairs
 * inside the chosen sets. */
static int pair_figures(PfMemo *m, PfResult *r)
{
    int no = m->inv->nopt, nreal = 0;
    PfSet ctl = control_mask(m->inv);
    for (int i = 0; i < no; i++) nreal += !(ctl >> i & 1);
    for (int a = 0; a < no; a++)
        for (int bb = a + 1; bb < no; bb++) {
            PfSet s = ((PfSet)1 << a) | ((PfSet)1 << bb);
            int inside = 0;
            for (int k = 0; k < r->nbudget; k++) inside |= (r->b[k].chosen & s) == s;
            if ((s & ctl) || !(inside || (nreal <= PF_PAIRS_ALL && pf_set_feasible(m->inv, s, HUGE_VAL)))) continue;
            r->pair = xrealloc(r->pair, ((size_t)r->npair + 1) * sizeof *r->pair);
            PfPair *p = &r->pair[r->npair++];
            p->a = a;
            p->b = bb;
            if (interaction(m, s, memo_find(m, 0)->v[1], &p->inter) != 0) return -1;
        }
    return 0;
}

PfResult *pf_search(const CmpInvest *inv, const double *budget, int nbudget, const PfParams *p, PfEvalFn eval,
                    void *ctx)
{
    assert(inv->nopt <= PF_MAXOPT && p->n >= 1);
    PfMemo m = {inv, p, eval, ctx, NULL, 0, 0, 0, 0};
    PfResult *r = xcalloc(1, sizeof *r);
    r->nbudget = nbudget;
    r->b = xcalloc((size_t)nbudget + 1, sizeof *r->b);
    int rc = memo_get(&m, 0, 0) && memo_get(&m, 0, 1) ? 0 : -1;
    for (int k = 0; k < nbudget && rc == 0; k++) {
        PfBudget *b = &r->b[k];
        b->budget = budget[k];
        b->chosen = p->exhaustive ? exhaustive(&m, b->budget) : local_search(&m, b->budget);
        if (m.failed) { rc = -1; break; }
        assert(pf_set_feasible(inv, b->chosen, b->budget));
        b->evaluated = m.n;
        rc = fresh_figures(&m, b);
    }
    if (rc == 0) rc = pair_figures(&m, r);
    if (rc == 0) {
        r->base_ws_mean = pf_risk(PF_MEAN, memo_find(&m, 0)->v[1].ws, p->n);
        r->base_dry1_mean = pf_risk(PF_MEAN, memo_find(&m, 0)->v[1].dry1, p->n);
        r->evaluated = 0;
        for (int i = 0; i < m.n; i++) r->evaluated += m.e[i].have[0];
        r->evaluated_fresh = m.nfresh;
    }
    memo_free(&m);
    if (rc != 0) {
        pf_result_free(r);
        return NULL;
    }
    return r;
}

void pf_result_free(PfResult *r)
{
    if (!r) return;
    free(r->b);
    free(r->pair);
    free(r);
}

/* ---- outputs ------------------------------------------------------------------------------------ */

int pf_write_csv(const CmpInvest *inv, const PfResult *r, FILE *f)
{
    fprintf(f, "budget_yen,options,cost_yen,n,baseline_ws_mean,set_ws_mean,"
               "ws_avoided_mean,ws_avoided_ci_lo,ws_avoided_ci_hi,"
               "dry_hours_class1_avoided_mean,dry_hours_class1_avoided_ci_lo,dry_hours_class1_avoided_ci_hi,"
               "best_single,vs_best_single_mean,vs_best_single_ci_lo,vs_best_single_ci_hi,"
               "interaction_mean,interaction_ci_lo,interaction_ci_hi,risk_baseline,risk_set,sets_evaluated\n");
    char ids[4096];
    for (int k = 0; k < r->nbudget; k++) {
        const PfBudget *b = &r->b[k];
        fprintf(f, "%.0f,", b->budget);
        csv_put_field(f, pf_set_ids(inv, b->chosen, ids, sizeof ids));
        fprintf(f, ",%.0f,%llu", b->cost, (unsigned long long)b->ws.n);
        cmp_csv_num(f, b->ws.base_mean);
        cmp_csv_num(f, b->ws.alt_mean);
        cmp_csv_diff(f, &b->ws);
        cmp_csv_diff(f, &b->dry1);
        fprintf(f, ",%s", b->best_single >= 0 ? inv->opt[b->best_single].id : "");
        cmp_csv_diff(f, &b->vs_single);
        cmp_csv_diff(f, &b->inter);
        cmp_csv_num(f, b->risk_base);
        cmp_csv_num(f, b->risk_set);
        fprintf(f, ",%d\n", b->evaluated);
    }
    return ferror(f) ? -1 : 0;
}

static cJSON *json_diff(const CmpDiff *d)
{
    cJSON *o = cJSON_CreateObject();
    cmp_json_num(o, "mean", d->mean);
    cmp_json_num(o, "ci95_lo", d->ci_lo);
    cmp_json_num(o, "ci95_hi", d->ci_hi);
    return o;
}

static cJSON *json_set(const CmpInvest *inv, PfSet s)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < inv->nopt; i++)
        if (s >> i & 1) cJSON_AddItemToArray(a, cJSON_CreateString(inv->opt[i].id));
    return a;
}

static cJSON *json_budget(const CmpInvest *inv, const PfBudget *b)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "budget_yen", b->budget);
    cJSON_AddItemToObject(j, "options", json_set(inv, b->chosen));
    cJSON_AddNumberToObject(j, "cost_yen", b->cost);
    cmp_json_num(j, "risk_search", b->obj);
    cmp_json_num(j, "risk_baseline", b->risk_base);
    cmp_json_num(j, "risk_set", b->risk_set);
    cJSON_AddItemToObject(j, "weighted_shortfall_avoided", json_diff(&b->ws));
    cJSON_AddItemToObject(j, "unserved_kl_avoided", json_diff(&b->kl));
    cJSON_AddItemToObject(j, "dry_hours_class1_avoided", json_diff(&b->dry1));
    cJSON_AddItemToObject(j, "interaction", json_diff(&b->inter));
    if (b->best_single >= 0) cJSON_AddStringToObject(j, "best_single", inv->opt[b->best_single].id);
    else cJSON_AddNullToObject(j, "best_single");
    cJSON_AddItemToObject(j, "vs_best_single", json_diff(&b->vs_single));
    cJSON *ru = cJSON_AddArrayToObject(j, "runners_up");
    for (int i = 0; i < b->nrunner; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "options", json_set(inv, b->runner[i]));
        cJSON_AddNumberToObject(o, "cost_yen", pf_set_cost(inv, b->runner[i]));
        cmp_json_num(o, "risk_search", b->runner_obj[i]);
        cJSON_AddItemToObject(o, "weighted_shortfall_avoided", json_diff(&b->runner_ws[i]));
        cJSON_AddItemToArray(ru, o);
    }
    cJSON_AddNumberToObject(j, "sets_evaluated", b->evaluated);
    return j;
}

char *pf_json(const CmpInvest *inv, const PfResult *r, const char *meta_json)
{
    cJSON *root = json_new_with_meta(meta_json);
    cJSON *bl = cJSON_AddObjectToObject(root, "baseline");
    cmp_json_num(bl, "weighted_shortfall_mean", r->base_ws_mean);
    cmp_json_num(bl, "dry_hours_class1_mean", r->base_dry1_mean);
    cJSON_AddNumberToObject(root, "sets_evaluated", r->evaluated);
    cJSON_AddNumberToObject(root, "sets_evaluated_fresh", r->evaluated_fresh);
    cJSON *fr = cJSON_AddArrayToObject(root, "frontier");
    for (int k = 0; k < r->nbudget; k++) cJSON_AddItemToArray(fr, json_budget(inv, &r->b[k]));
    cJSON *pa = cJSON_AddArrayToObject(root, "pairs");
    for (int i = 0; i < r->npair; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "a", inv->opt[r->pair[i].a].id);
        cJSON_AddStringToObject(o, "b", inv->opt[r->pair[i].b].id);
        cJSON_AddItemToObject(o, "interaction", json_diff(&r->pair[i].inter));
        cJSON_AddItemToArray(pa, o);
    }
    return json_take_text(root);
}
