/* Bottlenecks over many replicates (plansheet.h): each replicate of a
 * sample planned once, its binding limits counted, for the BCP annex's
 * section on what most often limits emergency transport. */
#include "plansheet.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Count one replicate's bottlenecks into s. */
static void add_binds(PshBindStats *s, int *cap, const PlanSheet *ps)
{
    for (int i = 0; i < ps->nbn; i++) {
        const PshBottleneck *b = &ps->bn[i];
        int k = 0;
        while (k < s->nitem && !(s->item[k].kind == b->kind && s->item[k].ref == b->ref && s->item[k].queue == b->queue)) k++;
        if (k == s->nitem) {
            xgrow((void **)&s->item, cap, s->nitem + 1, sizeof *s->item);
            s->item[s->nitem++] = (PshBind){b->kind, b->ref, b->queue, 0, 0};
        }
        s->item[k].nbind++;
        s->item[k].sum += b->value;
    }
}

static int bind_cmp(const void *x, const void *y)
{
    const PshBind *a = x, *b = y;
    if (a->nbind != b->nbind) return b->nbind - a->nbind;
    double ma = a->sum / a->nbind, mb = b->sum / b->nbind;
    if (ma != mb) return ma > mb ? -1 : 1;
    if (a->kind != b->kind) return a->kind - b->kind;
    if (a->ref != b->ref) return a->ref - b->ref;
    return a->queue - b->queue;
}

int psh_bind_stats(const SupModel *m, const World *w, uint64_t seed, uint64_t nrep, double at_h, PshBindStats *out,
                   char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->nrep = nrep;
    out->at_h = at_h;
    OptParams p;
    opt_params_default(&p);
    int cap = 0, rc = 0;
    for (uint64_t rep = 0; rep < nrep && rc == 0; rep++) {
        OptPlanner *pl = opt_planner_new(w, &p, rep);
        opt_planner_capture(pl, at_h);
        SupOptions o = {SUP_OPTIMISE, NULL, opt_planner_tick, pl};
        SupResult res;
        memset(&res, 0, sizeof res);
        if (sup_run(m, seed, rep, &o, &res) != 0) {
            snprintf(err, errlen, "replicate %llu could not be simulated for its plan", (unsigned long long)rep);
            rc = -1;
        } else {
            OptExplain *e = opt_plan_explain(opt_planner_plan(pl));
            if (!e) out->nfail++;
            else {
                PlanSheet *ps = psh_build(w, opt_plan_solution(opt_planner_plan(pl)), e, 0, 0, 0);
                add_binds(out, &cap, ps);
                psh_free(ps);
            }
            opt_explain_free(e);
        }
        sup_result_free(&res);
        opt_planner_free(pl);
    }
    if (out->nitem > 0) qsort(out->item, (size_t)out->nitem, sizeof *out->item, bind_cmp);
    return rc;
}

void psh_bind_stats_free(PshBindStats *s)
{
    if (!s) return;
    free(s->item);
    s->item = NULL;
    s->nitem = 0;
}

char *psh_bind_markdown(const PshBindStats *s, const World *w, uint64_t nswept)
{
    StrBuf b = {0};
    PlanSheet names = {0};
    names.w = w;
    sb_printf(&b, "\n## What limits emergency transport (transport plan bottlenecks)\n\n");
    sb_printf(&b, "A sample, not the whole sweep: replicates 0 to %llu of the %llu above, each planned once at hour "
                  "%.0f with the optimiser's LP from the state that greedy dispatch reaches by then (as `fuelsim plan "
                  "--at %.0f`). The sweep's own replicates re-plan dozens of times and keep no plan, so their duals are "
                  "not captured. A limit binds when one more unit of it is worth at least 0.01 weighted kL; the mean "
                  "marginal value is over the replicates in which it binds. Closed roads are valued in `fuelsim plan` "
                  "only (each is the plan solved again with the road open, up to %d per plan, which would multiply "
                  "this sample's time): run it on a replicate to see them.",
              (unsigned long long)(s->nrep ? s->nrep - 1 : 0), (unsigned long long)nswept, s->at_h, s->at_h,
              OPT_ROAD_PROBES);
    if (s->nfail) sb_printf(&b, " %d plans failed and are not counted.", s->nfail);
    sb_puts(&b, "\n\n");
    if (s->nitem == 0) {
        sb_puts(&b, "No limit binds in the sample.\n");
        return sb_take(&b);
    }
    sb_puts(&b, "| limit | id | binds in | mean marginal value | unit |\n|---|---|---:|---:|---|\n");
    for (int i = 0; i < s->nitem; i++) {
        const PshBind *x = &s->item[i];
        PshBottleneck bn = {x->kind, x->ref, x->queue, -1, 0, -1, 0};
        char id[200];
        sb_printf(&b, "| %s | %s | %d of %llu | %.3f | %s |\n", psh_bkind_name[x->kind],
                  psh_bottleneck_id(&names, &bn, id, sizeof id), x->nbind, (unsigned long long)s->nrep,
                  x->sum / x->nbind, psh_bkind_unit[x->kind]);
    }
    return sb_take(&b);
}

int psh_bind_write_csv(const char *path, const PshBindStats *s, const World *w)
{
    OutFile *o = out_open(path);
    if (!o) return -1;
    PlanSheet en = {0}, ja = {0};
    en.w = ja.w = w;
    ja.ja = 1;
    fprintf(o->f, "kind,id,name_en,name_ja,binds_in,sampled,at_h,mean_value,unit\n");
    for (int i = 0; i < s->nitem; i++) {
        const PshBind *x = &s->item[i];
        PshBottleneck bn = {x->kind, x->ref, x->queue, -1, 0, -1, 0};
        char id[200], name[256];
        fprintf(o->f, "%s,", psh_bkind_name[x->kind]);
        csv_put_field(o->f, psh_bottleneck_id(&en, &bn, id, sizeof id));
        fputc(',', o->f);
        csv_put_field(o->f, psh_bottleneck_name(&en, &bn, name, sizeof name));
        fputc(',', o->f);
        csv_put_field(o->f, psh_bottleneck_name(&ja, &bn, name, sizeof name));
        fprintf(o->f, ",%d,%llu,%g,%.6f,%s\n", x->nbind, (unsigned long long)s->nrep, s->at_h, x->sum / x->nbind,
                psh_bkind_unit[x->kind]);
    }
    return out_commit(o);
}
