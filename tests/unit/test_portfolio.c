/* Portfolios: several options' changes compose on one World copy (additions
 * add, retrofit factors multiply, the shortest lead time holds); the
 * excludes / requires columns and their problems with lines; budgets; the
 * risk measures against hand values; feasibility; and the search on a
 * made-up evaluator whose best set is known by hand: the best single option
 * is not part of the best pair, and a budget of 0 gives the empty set. */
#include "check.h"
#include "testutil.h"
#include "compare.h"
#include "portfolio.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

TEST(two_options_on_the_same_items_compose)
{
    TuInv t = tu_inv_read("tests/bad-input/base",
                          "option,cost_yen,change,target,product,value\n"
                          "a,1,retrofit,ref1_berth,,2\n"
                          "a,,fleet_add,l1,,3\n"
                          "a,,lead_time,l1,,5\n"
                          "a,,stock_add,ref1,diesel,100\n"
                          "b,1,retrofit,ref1_berth,,3\n"
                          "b,,fleet_add,l1,,2\n"
                          "b,,lead_time,l1,,2\n"
                          "b,,stock_add,ref1,diesel,50\n");
    CHECK(t.inv != NULL && t.d.total == 0);
    if (!t.inv) { tu_inv_free(&t); return; }
    int berth = world_find_component(t.w, "ref1_berth"), lorry = world_find_asset(t.w, "l1");
    int fc = t.w->comp[berth].fragility_pgd;   /* the berth has a ground-failure class only */
    const CmpOption *both[2] = {&t.inv->opt[0], &t.inv->opt[1]}, *rev[2] = {&t.inv->opt[1], &t.inv->opt[0]};
    World *m = cmp_world_new_multi(t.w, both, 2), *r = cmp_world_new_multi(t.w, rev, 2);
    World *none = cmp_world_new_multi(t.w, NULL, 0);
    CHECK(m->asset[lorry].count == t.w->asset[lorry].count + 5);
    CHECK(m->asset[lorry].lead_time_h == 2 && r->asset[lorry].lead_time_h == 2);
    double med = t.w->frag[fc].median[DS_COMPLETE];
    CHECK_NEAR(m->frag[m->comp[berth].fragility_pgd].median[DS_COMPLETE], 6 * med, 1e-9 * med);
    CHECK_NEAR(r->frag[r->comp[berth].fragility_pgd].median[DS_COMPLETE], 6 * med, 1e-9 * med);
    int s = world_find_stock(t.w, world_find_facility(t.w, "ref1"), PROD_DIESEL);
    CHECK(s >= 0 && m->stock[s].tank_kl == t.w->stock[s].tank_kl + 150);
    CHECK(none->asset[lorry].count == t.w->asset[lorry].count && none->comp[berth].fragility_pgd == fc && fc >= 0);
    CHECK(t.w->comp[berth].fragility_pgd == fc && t.w->asset[lorry].lead_time_h == 0);   /* base untouched */
    cmp_world_free(m);
    cmp_world_free(r);
    cmp_world_free(none);
    tu_inv_free(&t);
}

TEST(excludes_and_requires_are_read)
{
    TuInv t = tu_inv_read("tests/bad-input/base",
                          "option,cost_yen,change,target,product,value,excludes,requires\n"
                          "survey,5,none,,,,,\n"
                          "retro,10,retrofit,ref1_berth,,2,,survey\n"
                          "retro,,fleet_add,l1,,1,,survey\n"
                          "alt,8,fleet_add,l1,,2,retro;survey,\n");
    CHECK(t.inv != NULL && t.d.total == 0);
    if (t.inv) {
        CHECK(t.inv->opt[1].nreq == 1 && t.inv->opt[1].req[0] == 0 && t.inv->opt[1].nexcl == 0);
        CHECK(t.inv->opt[2].nexcl == 2 && t.inv->opt[2].excl[0] == 1 && t.inv->opt[2].excl[1] == 0);
        CHECK(pf_set_feasible(t.inv, 0x3, 15) && !pf_set_feasible(t.inv, 0x2, 100));   /* retro needs survey */
        CHECK(!pf_set_feasible(t.inv, 0x3, 14.99));                                  /* over budget */
        CHECK(!pf_set_feasible(t.inv, 0x5, 100) && !pf_set_feasible(t.inv, 0x6, 100)); /* alt excludes both */
        CHECK(pf_set_feasible(t.inv, 0x4, 8) && pf_set_feasible(t.inv, 0, 0));
        char ids[64];
        CHECK(strcmp(pf_set_ids(t.inv, 0x5, ids, sizeof ids), "survey;alt") == 0);
    }
    tu_inv_free(&t);
}

TEST(bad_excludes_and_requires_give_their_lines)
{
    TuInv t = tu_inv_read("tests/bad-input/base",
                          "option,cost_yen,change,target,product,value,excludes,requires\n"
                          "a,1,none,,,,nosuch,\n"
                          "b,1,none,,,,,b\n"
                          "c,1,none,,,,a;;b,\n"
                          "d,1,none,,,,a,a\n"
                          "e,1,fleet_add,l1,,1,a,\n"
                          "e,,fleet_add,l1,,1,b,\n");
    CHECK(t.inv == NULL);
    CHECK(tu_has_msg(&t.d, "inv.csv:2: excludes: \"nosuch\" is not an option of this file"));
    CHECK(tu_has_msg(&t.d, "inv.csv:3: requires: option b names itself"));
    CHECK(tu_has_msg(&t.d, "inv.csv:4: excludes: \"a;;b\" has an empty item (ids are separated by one ';')"));
    CHECK(tu_has_msg(&t.d, "inv.csv:5: requires: a is also in excludes"));
    CHECK(tu_has_msg(&t.d, "inv.csv:7: excludes: \"b\" differs from the option's row 6"));
    tu_inv_free(&t);
}

TEST(budgets_are_parsed_as_lists_and_ranges)
{
    char err[256];
    int n;
    double *b = pf_budgets_parse("3e9,1e9,1e10,1e9", &n, err, sizeof err);
    CHECK(b && n == 3 && b[0] == 1e9 && b[1] == 3e9 && b[2] == 1e10);
    free(b);
    b = pf_budgets_parse("0:1e10:2e9", &n, err, sizeof err);
    CHECK(b && n == 6 && b[0] == 0 && b[5] == 1e10);
    free(b);
    b = pf_budgets_parse("0", &n, err, sizeof err);
    CHECK(b && n == 1 && b[0] == 0);
    free(b);
    CHECK(pf_budgets_parse("1e9,,2e9", &n, err, sizeof err) == NULL);
    CHECK(pf_budgets_parse("-1", &n, err, sizeof err) == NULL);
    CHECK(pf_budgets_parse("5:1:1", &n, err, sizeof err) == NULL);
    CHECK(pf_budgets_parse("0:10:0", &n, err, sizeof err) == NULL);
    CHECK(pf_budgets_parse("lots", &n, err, sizeof err) == NULL && strstr(err, "lots") != NULL);
}

TEST(risk_measures_match_hand_values)
{
    /* sorted: 1..20; P90 type 7: h = 19 x 0.9 = 17.1 -> 18 + 0.1 x 1 = 18.1;
     * worst 10%: the top 2, (19 + 20) / 2 = 19.5; mean 10.5 */
    double x[20];
    for (int i = 0; i < 20; i++) x[i] = (double)((i * 7) % 20 + 1);
    CHECK_NEAR(pf_risk(PF_MEAN, x, 20), 10.5, 1e-12);
    CHECK_NEAR(pf_risk(PF_P90, x, 20), 18.1, 1e-12);
    CHECK_NEAR(pf_risk(PF_CVAR90, x, 20), 19.5, 1e-12);
    double y[3] = {5, 1, 3};   /* worst ceil(3/10) = 1 value */
    CHECK(pf_risk(PF_CVAR90, y, 3) == 5 && x[0] == 1);   /* input left as it was */
}

/* A made-up evaluator: options s (storage, 100), l (lorry, 100), p
 * (precontract, 100), c (control, 0). Baseline 3600 on every replicate;
 * s avoids 1800; l and p alone nothing; l and p together 3600; replicate r
 * adds r to every set's shortfall (the same on both ranges: pairs stay exact).
 * c has no changes: a control, never evaluated. */
static double toy_ws(PfSet s, uint64_t r)
{
    int S = s & 1, L = s >> 1 & 1, P = s >> 2 & 1;
    double ws = (L && P) ? 0 : S ? 1800 : 3600;
    return ws + (double)r;
}

typedef struct Toy { uint64_t n; int calls[2]; } Toy;

static int toy_eval(void *ctx, PfSet s, int fresh, PfVals *v)
{
    Toy *t = ctx;
    t->calls[fresh]++;
    for (uint64_t r = 0; r < t->n; r++) {
        v->ws[r] = toy_ws(s, r + (fresh ? t->n : 0));
        v->dry1[r] = v->ws[r] / 100;
        v->kl[r] = v->ws[r] / 100;
    }
    return 0;
}

static CmpInvest *toy_invest(void)
{
    static const char *const id[4] = {"s", "l", "p", "c"};
    static const double cost[4] = {100, 100, 100, 0};
    CmpInvest *inv = xcalloc(1, sizeof *inv);
    inv->opt = xcalloc(4, sizeof *inv->opt);
    inv->nopt = 4;
    for (int i = 0; i < 4; i++) {
        inv->opt[i].id = xstrdup(id[i]);
        inv->opt[i].name_en = xstrdup(id[i]);
        inv->opt[i].name_ja = xstrdup(id[i]);
        inv->opt[i].source = xstrdup("");
        inv->opt[i].cost_yen = cost[i];
        /* a change the evaluator never reads: what makes s, l, p no controls */
        inv->opt[i].change = xcalloc(1, sizeof *inv->opt[i].change);
        inv->opt[i].change[0].kind = i < 3 ? CMP_FLEET_ADD : CMP_NONE;
        inv->opt[i].nchange = 1;
    }
    return inv;
}

TEST(search_finds_the_pair_that_beats_the_best_single_option)
{
    CmpInvest *inv = toy_invest();
    double budget[4] = {0, 100, 200, 300};
    for (int ex = 0; ex < 2; ex++) {
        Toy t = {5, {0, 0}};
        PfParams p = {PF_MEAN, ex, 5};
        PfResult *r = pf_search(inv, budget, 4, &p, toy_eval, &t);
        CHECK(r != NULL);
        if (!r) continue;
        CHECK(r->b[0].chosen == 0 && r->b[0].cost == 0 && r->b[0].ws.mean == 0);
        CHECK(r->b[1].chosen == 0x1 && r->b[1].best_single == 0);
        CHECK(r->b[2].chosen == 0x6 && r->b[2].best_single == 0);   /* {l, p}: s is not in it */
        CHECK(r->b[3].chosen == 0x6 && r->b[3].cost == 200);        /* adding s gains nothing */
        for (int k = 0; k < 4; k++) CHECK(r->b[k].cost <= budget[k]);
        CHECK(r->b[2].ws.mean == 3600 && r->b[2].ws.ci_lo == 3600);
        CHECK(r->b[2].vs_single.mean == 1800);
        CHECK(r->b[2].inter.mean == 3600 && r->b[2].inter.ci_lo == 3600);
        CHECK(r->b[1].inter.mean == 0);
        /* every pair but the control's: (s,l) and (s,p) add up, (l,p) does not */
        CHECK(r->npair == 3 && r->pair[2].a == 1 && r->pair[2].b == 2 && r->pair[2].inter.mean == 3600);
        CHECK(r->pair[0].inter.mean == 0 && r->pair[1].inter.mean == 0 && r->pair[0].inter.ci_hi == 0);
        CHECK(r->b[2].nrunner == PF_NRUNNER && r->b[2].runner_obj[0] >= r->b[2].obj);
        /* each set is evaluated once per range */
        CHECK(t.calls[0] == r->evaluated && t.calls[1] == r->evaluated_fresh);
        if (ex) CHECK(r->evaluated == 8);   /* the control is left out */
        pf_result_free(r);
    }
    cmp_invest_free(inv);
}

int main(void)
{
    RUN(two_options_on_the_same_items_compose);
    RUN(excludes_and_requires_are_read);
    RUN(bad_excludes_and_requires_give_their_lines);
    RUN(budgets_are_parsed_as_lists_and_ranges);
    RUN(risk_measures_match_hand_values);
    RUN(search_finds_the_pair_that_beats_the_best_single_option);
    return check_done();
}
