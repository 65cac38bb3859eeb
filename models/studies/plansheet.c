/* Tasking sheets, bottlenecks and reasons for shortfall of one solved plan
 * (plansheet.h): grouping the optimiser's flows for the people who task the
 * fleets, and turning its duals into "one more X is worth Y". */
#include "plansheet.h"

#include "drill.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const psh_group_id[PSH_NGROUP] = {"sdf_helicopter", "sdf_truck", "lorry_paj", "lorry_commercial",
                                              "coastal_tanker", "rail_train", "sdf_ship"};
const char *const psh_group_label[2][PSH_NGROUP] = {
    {"SDF helicopters", "SDF fuel trucks", "Association (PAJ) lorries", "Commercial lorries", "Coastal tankers",
     "Oil trains", "SDF ship"},
    {"自衛隊ヘリコプター", "自衛隊燃料車", "石油連盟手配ローリー", "元売系ローリー", "内航タンカー", "石油列車",
     "自衛隊輸送艦"}};
const char *const psh_dest_key[PSH_NDEST] = {"class1", "class2", "class3", "class4", "depot"};
const char *const psh_bkind_name[PSH_NBKIND] = {"fleet", "stock", "queue", "opening", "mobilisation", "road"};
const char *const psh_bkind_unit[PSH_NBKIND] = {"weighted kL per vehicle", "weighted kL per kL",
                                                "weighted kL per server-hour", "weighted kL per hour earlier",
                                                "weighted kL per hour earlier", "weighted kL opened now"};

/* Below this a marginal value is solver noise (weighted kL). */
#define VALUE_EPS 1e-6
/* A limit binds when one more unit is worth at least this (weighted kL): less
 * is the transport-cost tie-break (1e-3 of the smallest class weight per kL). */
#define BIND_MIN 0.01

int psh_group_of(int t)
{
    switch (t) {
    case ASSET_SDF_HELICOPTER: return PSH_G_SDF_HELICOPTER;
    case ASSET_SDF_TRUCK: return PSH_G_SDF_TRUCK;
    case ASSET_LORRY_PAJ: return PSH_G_LORRY_PAJ;
    case ASSET_COASTAL_TANKER: return PSH_G_COASTAL_TANKER;
    case ASSET_RAIL_TRAIN: return PSH_G_RAIL_TRAIN;
    case ASSET_SDF_SHIP: return PSH_G_SDF_SHIP;
    default: return PSH_G_LORRY_COMMERCIAL;
    }
}

double psh_fleet_value(const World *w, const OptSolution *so, const OptExplain *e, int a)
{
    if (!e) return 0;
    const Asset *as = &w->asset[a];
    int K = so->nperiod;
    double from = fmax(so->t0_h, so->fleet_ready_h[a]), v = 0;
    for (int c = 0; c < so->ncapset; c++) {
        if (so->capset_mode[c] != (int)as->mode || !(so->capset_products[c] & as->products)) continue;
        const double *dual = e->fleet_unrequested[a] ? e->request_dual + (size_t)c * K : e->fleet_dual + (size_t)c * K;
        for (int k = 0; k < K; k++)
            v += fmax(0, dual[k]) * as->capacity_kl *
                 opt_hours_from(from, so->t0_h + so->period_start_h[k], so->t0_h + so->period_start_h[k + 1]);
    }
    return v;
}

/* ---- names ----------------------------------------------------------------------------- */

const char *psh_place_name(const PlanSheet *ps, int place)
{
    const World *w = ps->w;
    const char *en, *ja;
    if (world_place_is_demand(w, place)) { en = w->dem[place - w->nfac].name_en; ja = w->dem[place - w->nfac].name_ja; }
    else { en = w->fac[place].name_en; ja = w->fac[place].name_ja; }
    const char *s = ps->ja ? ja : en;
    return s && *s ? s : world_place_id(w, place);
}

const char *psh_group_name(const PlanSheet *ps, int g) { return psh_group_label[ps->ja][g]; }

const char *psh_fleet_name(const PlanSheet *ps, int a)
{
    const Asset *as = &ps->w->asset[a];
    const char *s = ps->ja ? as->name_ja : as->name_en;
    return s && *s ? s : as->id;
}

int64_t psh_clock_s(const PlanSheet *ps, double h)
{
    DrlParams clock = {.start_s = ps->start_s, .compress = 1};
    return drl_exercise_s(&clock, h);
}

const char *psh_time(const PlanSheet *ps, double h, char *buf, size_t n)
{
    if (ps->have_start) drl_format_iso(psh_clock_s(ps, h), buf, n);
    else snprintf(buf, n, "%.1f", h);
    return buf;
}

const char *psh_bottleneck_id(const PlanSheet *ps, const PshBottleneck *b, char *buf, size_t n)
{
    const World *w = ps->w;
    if (b->kind == PSH_B_FLEET || b->kind == PSH_B_MOBILISE) snprintf(buf, n, "%s", w->asset[b->ref].id);
    else if (b->kind == PSH_B_STOCK)
        snprintf(buf, n, "%s/%s", w->fac[w->stock[b->ref].facility].id, world_product_name[w->stock[b->ref].product]);
    else if (b->kind == PSH_B_ROAD) snprintf(buf, n, "%s", w->link[b->ref].id);
    else snprintf(buf, n, "%s/%s", w->fac[b->ref].id, opt_queue_name[b->queue]);
    return buf;
}

/* ---- building ------------------------------------------------------------------------ */

static int task_cmp(const void *x, const void *y)
{
    const PshTask *a = x, *b = y;
    if (a->group != b->group) return a->group - b->group;
    if (a->day != b->day) return a->day - b->day;
    if (a->period != b->period) return a->period - b->period;
    if (a->depart_h != b->depart_h) return a->depart_h < b->depart_h ? -1 : 1;
    return a->flow - b->flow;
}

static void build_tasks(PlanSheet *ps, const OptSolution *so)
{
    const World *w = ps->w;
    ps->task = xcalloc((size_t)so->nflow + 1, sizeof *ps->task);
    for (int i = 0; i < so->nflow; i++) {
        const OptFlow *f = &so->flow[i];
        const Asset *as = &w->asset[f->fleet];
        PshTask *t = &ps->task[ps->ntask++];
        t->group = psh_group_of(as->type);
        t->fleet = f->fleet;
        t->flow = i;
        t->day = (int)floor(f->depart_h / 24.0 + 1e-9) + 1;
        t->period = f->period + 1;
        t->src = f->src;
        t->dest_place = f->dest_place;
        t->product = f->product;
        t->dest = f->dest_use >= 0 ? w->dem[w->use[f->dest_use].point].priority - 1 : PSH_DEST_DEPOT;
        t->kl = f->kl;
        /* a flow of 2.0000001 loads is two loads: the LP's rounding noise */
        t->loads = as->capacity_kl > 0 ? ceil(f->kl / as->capacity_kl - 1e-6) : 0;
        t->depart_h = f->depart_h;
        t->arrive_h = f->arrive_h;
        ps->group_kl[t->group] += t->kl;
        ps->group_loads[t->group] += t->loads;
        ps->dest_kl[t->group][t->dest] += t->kl;
        ps->total_kl += t->kl;
    }
    qsort(ps->task, (size_t)ps->ntask, sizeof *ps->task, task_cmp);
}

static int bn_cmp(const void *x, const void *y)
{
    const PshBottleneck *a = x, *b = y;
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    if (a->kind != b->kind) return a->kind - b->kind;
    if (a->ref != b->ref) return a->ref - b->ref;
    return a->queue - b->queue;
}

static void push_bn(PlanSheet *ps, int *cap, int kind, int ref, int queue, int period, double value)
{
    if (!(value >= BIND_MIN)) return;
    xgrow((void **)&ps->bn, cap, ps->nbn + 1, sizeof *ps->bn);
    ps->bn[ps->nbn++] = (PshBottleneck){kind, ref, queue, period, value, -1, 0};
}

/* Racks, berths and sidings: the best period's value per server-hour. */
static void queue_bottlenecks(PlanSheet *ps, const OptSolution *so, const OptExplain *e, int *cap)
{
    const World *w = ps->w;
    int K = so->nperiod;
    for (int f = 0; f < w->nfac; f++)
        for (int q = 0; q < OPT_NQ; q++) {
            const double *d = e->queue_dual + ((size_t)f * OPT_NQ + q) * K;
            if (e->queue_hours[((size_t)f * OPT_NQ + q) * K] < 0) continue;
            int kb = 0;
            for (int k = 0; k < K; k++)
                if (d[k] > d[kb]) kb = k;
            push_bn(ps, cap, PSH_B_QUEUE, f, q, kb, d[kb]);
        }
}

/* A queue back, or a fleet ready, an hour earlier: the LP solved again
 * (OptEarlier), per hour. */
static void earlier_bottlenecks(PlanSheet *ps, const OptExplain *e, int *cap)
{
    for (int i = 0; i < e->nearlier; i++) {
        const OptEarlier *x = &e->earlier[i];
        int kind = x->kind == OPT_E_QUEUE ? PSH_B_OPENING : PSH_B_MOBILISE;
        int n = ps->nbn;
        if (isfinite(x->saved)) push_bn(ps, cap, kind, x->ref, x->queue, x->period, x->saved / x->dh);
        if (ps->nbn > n) ps->bn[n].at_h = x->at_h;
    }
}

/* Closed roads opened at the plan's start (OptRoad): the whole saving. */
static void road_bottlenecks(PlanSheet *ps, const OptExplain *e, int *cap)
{
    for (int i = 0; i < e->nroad; i++) {
        const OptRoad *x = &e->road[i];
        int n = ps->nbn;
        push_bn(ps, cap, PSH_B_ROAD, x->link, -1, 0, x->saved);
        if (ps->nbn > n) {
            ps->bn[n].at_h = x->at_h;
            ps->bn[n].hours = x->hours;
        }
    }
}

static void build_bottlenecks(PlanSheet *ps, const OptSolution *so, const OptExplain *e)
{
    const World *w = ps->w;
    int cap = 0;
    for (int a = 0; a < w->nasset; a++)
        if (w->asset[a].count > 0) push_bn(ps, &cap, PSH_B_FLEET, a, -1, -1, psh_fleet_value(w, so, e, a));
    /* one more kL free at the site now */
    for (int s = 0; s < w->nstock; s++)
        if (so->stock_start[s] >= 0) push_bn(ps, &cap, PSH_B_STOCK, s, -1, -1, e->stock_dual[(size_t)s * so->nperiod]);
    queue_bottlenecks(ps, so, e, &cap);
    earlier_bottlenecks(ps, e, &cap);
    road_bottlenecks(ps, e, &cap);
    if (ps->nbn > 0) qsort(ps->bn, (size_t)ps->nbn, sizeof *ps->bn, bn_cmp);
}

static int unmet_cmp(const void *x, const void *y)
{
    const PshUnmet *a = x, *b = y;
    if (a->kl != b->kl) return a->kl > b->kl ? -1 : 1;
    return a->point - b->point;
}

static void build_unmet(PlanSheet *ps, const OptExplain *e)
{
    const World *w = ps->w;
    ps->unmet = xcalloc((size_t)w->ndem + 1, sizeof *ps->unmet);
    for (int d = 0; d < w->ndem; d++) {
        PshUnmet m = {d, 0, -1, OPT_WHY_NONE, -1};
        double worst = 0;
        for (int u = 0; u < w->nuse; u++) {
            if (w->use[u].point != d || e->unmet_kl[u] <= VALUE_EPS) continue;
            m.kl += e->unmet_kl[u];
            if (e->unmet_kl[u] > worst) {
                worst = e->unmet_kl[u];
                m.product = w->use[u].product;
                m.why = e->why[u];
                m.why_ref = e->why_ref[u];
            }
        }
        /* below 1 L is rounding, not a shortfall to explain */
        if (m.kl > 1e-3) ps->unmet[ps->nunmet++] = m;
    }
    qsort(ps->unmet, (size_t)ps->nunmet, sizeof *ps->unmet, unmet_cmp);
}

PlanSheet *psh_build(const World *w, const OptSolution *so, const OptExplain *e, int ja, int have_start,
                     int64_t start_s)
{
    PlanSheet *ps = xcalloc(1, sizeof *ps);
    ps->w = w;
    ps->ja = ja != 0;
    ps->have_start = have_start;
    ps->start_s = start_s;
    ps->t0_h = so->t0_h;
    build_tasks(ps, so);
    if (e) {
        ps->explained = 1;
        ps->fixed_mip = e->fixed_mip;
        ps->road_valued = e->road_valued;
        ps->road_closed = e->road_closed;
        ps->road_screened = e->road_screened;
        ps->road_probed = e->nroad;
        build_bottlenecks(ps, so, e);
        build_unmet(ps, e);
    }
    return ps;
}

void psh_free(PlanSheet *ps)
{
    if (!ps) return;
    free(ps->task);
    free(ps->bn);
    free(ps->unmet);
    free(ps);
}
