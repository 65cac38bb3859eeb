/* Investment comparison: paired confidence intervals against hand values,
 * the investments file (good rows, every problem with its line), World
 * copies that leave the shared World untouched, a do-nothing option that
 * reproduces the baseline bit for bit, a retrofit that changes the damage
 * of its own component only (and never for the worse), and the ranking. */
#include "check.h"
#include "testutil.h"
#include "compare.h"
#include "damage.h"
#include "hazard.h"
#include "restore.h"
#include "scenario.h"
#include "supply.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

TEST(paired_ci_matches_hand_computation)
{
    /* d = 2 1 0 3 1: mean 1.4, s^2 = 5.2 / 4 = 1.3, t(0.975, 4) = 2.7764451052,
     * half width = 2.7764451052 x sqrt(1.3) / sqrt(5) = 1.4157147770 */
    double base[5] = {10, 12, 9, 15, 11}, alt[5] = {8, 11, 9, 12, 10};
    CmpDiff r;
    cmp_paired(base, alt, 5, &r);
    CHECK(r.n == 5);
    CHECK_NEAR(r.mean, 1.4, 1e-12);
    CHECK_NEAR(r.sd, 1.140175425099138, 1e-12);
    CHECK_NEAR(r.ci_lo, -0.01571477698227497, 1e-9);
    CHECK_NEAR(r.ci_hi, 2.815714776982275, 1e-9);
    CHECK_NEAR(r.base_mean, 11.4, 1e-12);
    CHECK_NEAR(r.alt_mean, 10.0, 1e-12);
    /* the unpaired spread would be much wider: pairing is what the CI uses */
    double same[3] = {5, 7, 9};
    cmp_paired(same, same, 3, &r);
    CHECK(r.mean == 0 && r.sd == 0 && r.ci_lo == 0 && r.ci_hi == 0);
    double one_b[1] = {3}, one_a[1] = {1};
    cmp_paired(one_b, one_a, 1, &r);
    CHECK(r.mean == 2 && isnan(r.ci_lo) && isnan(r.ci_hi));
    /* streaming equals the array form */
    CmpPaired p;
    cmp_paired_init(&p);
    for (int i = 0; i < 5; i++) cmp_paired_add(&p, base[i], alt[i]);
    CmpDiff s;
    cmp_paired_result(&p, &s);
    cmp_paired(base, alt, 5, &r);
    CHECK(s.mean == r.mean && s.ci_lo == r.ci_lo && s.ci_hi == r.ci_hi);
}

static const char *good_file =
    "option,name_en,name_ja,cost_yen,change,target,product,value,source\n"
    "nothing,Control,対照,0,none,,,,control\n"
    "retro,Berth retrofit,桟橋補強,3e9,retrofit,ref1_berth,,2,assumption\n"
    "lorries,More lorries,増車,4.5e8,fleet_add,l1,,3,\n"
    "mixed,Storage and lead time,備蓄,1000,stock_add,ref1,diesel,250,\n"
    "\n"
    "mixed,,,1000,lead_time,l1,,0.5,\n"
    "mixed,,,,point_storage_add,h1,heavy_a,11,\n"
    "mixed,,,,generator,mouth,,,\n"
    "mixed,,,,component_add,ref1_rack,,2,\n"
    "mixed,,,,fragility_class,ref1_rack,,ref_f,\n";

TEST(investments_file_is_read)
{
    TuInv t = tu_inv_read("tests/bad-input/base", good_file);
    if (!t.w) { CHECK(0); return; }
    CHECK(t.inv != NULL);
    CHECK(t.d.total == 0);
    if (t.inv) {
        CHECK(t.inv->nopt == 4);
        CHECK(strcmp(t.inv->opt[0].id, "nothing") == 0 && t.inv->opt[0].nchange == 1);
        CHECK(t.inv->opt[0].change[0].kind == CMP_NONE);
        CHECK(t.inv->opt[1].cost_yen == 3e9);
        CHECK(t.inv->opt[1].change[0].kind == CMP_RETROFIT && t.inv->opt[1].change[0].value == 2);
        CHECK(strcmp(t.w->comp[t.inv->opt[1].change[0].target].id, "ref1_berth") == 0);
        CHECK(t.inv->opt[2].change[0].kind == CMP_FLEET_ADD && t.inv->opt[2].change[0].value == 3);
        CHECK(t.inv->opt[3].nchange == 6);
        CHECK(t.inv->opt[3].line == 5);
        CHECK(t.inv->opt[3].change[1].line == 7);   /* the blank line counts */
        CHECK(strcmp(t.inv->opt[3].name_ja, "備蓄") == 0);
    }
    tu_inv_free(&t);
}

/* 1 when text does not read against w and a message starts with msg (and,
 * when total > 0, there are exactly total of them). */
static int refused_with(const World *w, const char *text, int total, const char *msg)
{
    Diag d;
    diag_init(&d);
    int ok = tu_inv_parse(w, text, &d) == NULL && (total <= 0 || d.total == total);
    int found = 0;
    for (int i = 0; i < d.n; i++) found |= strncmp(d.msg[i], msg, strlen(msg)) == 0;
    if (!found) fprintf(stderr, "  missing message: %s\n", msg);
    diag_free(&d);
    return ok && found;
}

TEST(investments_file_problems_give_their_lines)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/bad-input/base"));
    Diag d;
    diag_init(&d);
    const char *bad =
        "option,cost_yen,change,target,product,value\n"
        "a,100,fleet_add,no_such_fleet,,1\n"
        "b,-5,none,,,\n"
        "c,10,retrofit,ref1_berth,,zero\n"
        "d,10,stock_add,ref1,gasoline,10\n"
        "e,10,paint,ref1,,1\n"
        "a,200,fleet_add,l1,,1\n"
        "baseline,0,none,,,\n"
        "f,10,component_add,ref1_proc,,1\n"
        "g,10,fleet_add,l1,,1.5\n"
        "h,10,point_storage_add,h1,kerosene,5\n"
        "i,10,generator,h1,,\n"
        "j,10,lead_time,l1,diesel,3\n"
        "k,10,none,,\n"
        "l,10,fragility_class,ref1_berth,,ref_f\n"
        "m,10,fragility_class,ref1_berth,,no_class\n";
    CHECK(tu_inv_parse(w, bad, &d) == NULL);
    CHECK(tu_has_msg(&d, "inv.csv:2: target: \"no_such_fleet\" is not a fleet id in assets.csv"));
    CHECK(tu_has_msg(&d, "inv.csv:3: cost_yen: \"-5\" is not a number of yen >= 0 (required on an option's first row)"));
    CHECK(tu_has_msg(&d, "inv.csv:4: value: \"zero\" is not a positive factor for the fragility medians"));
    CHECK(tu_has_msg(&d, "inv.csv:5: target: ref1 holds no gasoline in stock.csv"));
    CHECK(tu_has_msg(&d, "inv.csv:6: change: \"paint\" is not one of none, retrofit, fleet_add, lead_time, "
                      "stock_add, point_storage_add, generator, component_add, fragility_class"));
    CHECK(tu_has_msg(&d, "inv.csv:7: cost_yen: \"200\" differs from the option's first row (line 2)"));
    CHECK(tu_has_msg(&d, "inv.csv:8: option: \"baseline\" is reserved for the scenario as it is"));
    CHECK(tu_has_msg(&d, "inv.csv:9: target: ref1_proc is a process; component_add adds racks, berths or sidings"));
    CHECK(tu_has_msg(&d, "inv.csv:10: value: \"1.5\" is not a whole number of units >= 1"));
    CHECK(tu_has_msg(&d, "inv.csv:11: target: h1 uses no kerosene in consumption.csv"));
    CHECK(tu_has_msg(&d, "inv.csv:12: target: \"h1\" is not a facility id"));
    CHECK(tu_has_msg(&d, "inv.csv:13: product: change lead_time takes no product"));
    CHECK(tu_has_msg(&d, "inv.csv:14: row has 5 fields, the header has 6"));
    CHECK(tu_has_msg(&d, "inv.csv:15: value: ref_f is a shaking (pga_g) class and ref1_berth has none to replace"));
    CHECK(tu_has_msg(&d, "inv.csv:16: value: \"no_class\" is not a class in fragility.csv"));
    CHECK(d.total == 15);
    diag_free(&d);

    CHECK(refused_with(w, "option,cost_yen,change,value\n", 1, "inv.csv:1: missing column 'target'"));
    CHECK(refused_with(w, "option,cost_yen,change,target,value\n", 0,
                       "inv.csv:1: no options: the file has only a header"));
    CHECK(refused_with(w, "option,cost_yen,change,target,value\nx,1,none,\"open,,\n", 1, "inv.csv:2: CSV syntax"));
    CHECK(refused_with(w, "option,cost_yen,change,target,value\nx,1,none,,\xff\n", 1, "inv.csv:2: not valid UTF-8"));
    diag_init(&d);
    CHECK(cmp_invest_load("tests/no/such/file.csv", w, &d) == NULL);
    CHECK(d.total == 1 && strncmp(d.msg[0], "tests/no/such/file.csv: cannot open", 35) == 0);
    diag_free(&d);
    world_free(w);
}

TEST(embedded_example_file_is_valid)
{
    World *w = tu_load("scenarios/tokyo-bay");
    if (!w) return;   /* the embedded scenario may be absent */
    Diag d;
    diag_init(&d);
    CmpInvest *inv = cmp_invest_load("scenarios/tokyo-bay/investments.csv", w, &d);
    diag_print(&d, stderr);
    CHECK(inv != NULL && d.total == 0);
    CHECK(inv && inv->nopt >= 5);
    /* every option changes something except the control, and costs are given */
    for (int i = 0; inv && i < inv->nopt; i++) {
        CHECK(inv->opt[i].nchange >= 1);
        CHECK((inv->opt[i].change[0].kind == CMP_NONE) == (inv->opt[i].cost_yen == 0));
    }
    cmp_invest_free(inv);
    diag_free(&d);
    world_free(w);
}

TEST(world_copy_changes_the_copy_only)
{
    TuInv t = tu_inv_read("tests/bad-input/base", good_file);
    if (!t.inv) { CHECK(0); tu_inv_free(&t); return; }
    int berth = 1, rack = 2, lorry = 0, stock_diesel = 0, use_heavy = 0, mouth = 1;
    CHECK(strcmp(t.w->comp[berth].id, "ref1_berth") == 0 && strcmp(t.w->comp[rack].id, "ref1_rack") == 0);
    CHECK(t.w->stock[stock_diesel].product == PROD_DIESEL && t.w->use[use_heavy].product == PROD_HEAVY_A);
    int nfrag = t.w->nfrag, pgd = t.w->comp[berth].fragility_pgd;
    double med = t.w->frag[pgd].median[DS_MODERATE];

    World *r = cmp_world_new(t.w, &t.inv->opt[1]);       /* retrofit x2 */
    CHECK(r->nfrag == nfrag + 1);                    /* the berth has a PGD class only */
    CHECK(r->comp[berth].fragility_pgd == nfrag);
    CHECK(r->frag[nfrag].median[DS_MODERATE] == 2 * med);
    CHECK(r->frag[nfrag].beta[DS_MODERATE] == t.w->frag[pgd].beta[DS_MODERATE]);
    CHECK(t.w->nfrag == nfrag && t.w->comp[berth].fragility_pgd == pgd && t.w->frag[pgd].median[DS_MODERATE] == med);
    cmp_world_free(r);

    World *m = cmp_world_new(t.w, &t.inv->opt[3]);       /* stock, lead time, storage, generator, racks */
    CHECK(m->stock[stock_diesel].tank_kl == t.w->stock[stock_diesel].tank_kl + 250);
    CHECK(m->stock[stock_diesel].initial_kl == t.w->stock[stock_diesel].initial_kl + 250);
    CHECK(m->asset[lorry].lead_time_h == 0.5 && t.w->asset[lorry].lead_time_h == 0);
    CHECK(m->use[use_heavy].storage_kl == t.w->use[use_heavy].storage_kl + 11);
    CHECK(m->use[use_heavy].initial_kl == t.w->use[use_heavy].initial_kl + 11);
    CHECK(m->fac[mouth].has_generator == 1 && t.w->fac[mouth].has_generator == 0);
    CHECK(m->comp[rack].count == t.w->comp[rack].count + 2);
    CHECK(m->comp[rack].fragility == world_find_fragility(t.w, "ref_f"));
    CHECK(t.w->stock[stock_diesel].tank_kl == 1000 && t.w->comp[rack].count == 4 &&
          t.w->use[use_heavy].storage_kl == 33);
    cmp_world_free(m);

    World *l = cmp_world_new(t.w, &t.inv->opt[2]);
    CHECK(l->asset[lorry].count == t.w->asset[lorry].count + 3 && t.w->asset[lorry].count == 1);
    /* names and other tables are shared, not copied */
    CHECK(l->asset[lorry].id == t.w->asset[lorry].id && l->link == t.w->link && l->dem == t.w->dem);
    cmp_world_free(l);
    cmp_world_free(NULL);
    tu_inv_free(&t);
}

static int same_result(const SupResult *a, const SupResult *b, int ncomp)
{
    int same = a->weighted_shortfall == b->weighted_shortfall && a->dry_hours_class1 == b->dry_hours_class1 &&
               a->t90_supply_h == b->t90_supply_h && a->trips == b->trips && a->nhours == b->nhours &&
               memcmp(a->unserved_kl, b->unserved_kl, sizeof a->unserved_kl) == 0 &&
               memcmp(a->comp_ds, b->comp_ds, (size_t)ncomp) == 0;
    for (int h = 0; same && h < a->nhours; h++) same = a->served_all[h] == b->served_all[h];
    return same;
}

TEST(do_nothing_option_reproduces_the_baseline_exactly)
{
    const char *dirs[] = {"tests/bad-input/base", "tests/supply/sdf_lorry"};
    for (int k = 0; k < 2; k++) {
        World *w = tu_load(dirs[k]);
        if (!w) { CHECK(0); continue; }
        CmpOption none = {0};
        CmpChange ch = {CMP_NONE, -1, 0, 1};
        none.change = &ch;
        none.nchange = 1;
        World *c = cmp_world_new(w, &none);
        SupModel *mb = sup_model_new(w, w->default_quake), *mc = sup_model_new(c, c->default_quake);
        SupOptions opt = {SUP_GREEDY, NULL, NULL, NULL};
        for (uint64_t rep = 0; rep < 6; rep++) {
            SupResult a, b;
            sup_run(mb, 11, rep, &opt, &a);
            sup_run(mc, 11, rep, &opt, &b);
            CHECK(same_result(&a, &b, w->ncomp));
            sup_result_free(&a);
            sup_result_free(&b);
        }
        sup_model_free(mb);
        sup_model_free(mc);
        cmp_world_free(c);
        world_free(w);
    }
}

TEST(retrofit_changes_only_its_own_component_and_never_for_the_worse)
{
    World *w = tu_load("scenarios/tokyo-bay");
    if (!w) w = tu_load("tests/bad-input/base");
    if (!w) { CHECK(0); return; }
    int target = -1;
    for (int c = 0; c < w->ncomp && target < 0; c++)
        if (w->comp[c].kind == COMP_BERTH) target = c;
    CHECK(target >= 0);
    CmpChange ch = {CMP_RETROFIT, target, 3.0, 1};
    CmpOption opt = {0};
    opt.change = &ch;
    opt.nchange = 1;
    World *r = cmp_world_new(w, &opt);
    HazField *fb = haz_field_new(w, w->default_quake), *fr = haz_field_new(r, r->default_quake);
    HazSample *hb = haz_sample_new(fb), *hr = haz_sample_new(fr);
    DmgOutcome *db = dmg_outcome_new(w), *dr = dmg_outcome_new(r);
    RstSchedule *sb = rst_schedule_new(w), *sr = rst_schedule_new(r);
    int better = 0, others_same = 1, links_same = 1, worse = 0;
    for (uint64_t rep = 0; rep < 200; rep++) {
        rst_replicate(fb, 4, rep, hb, db, sb);
        rst_replicate(fr, 4, rep, hr, dr, sr);
        for (int c = 0; c < w->ncomp; c++) {
            if (c == target) {
                better += dr->comp_ds[c] < db->comp_ds[c];
                worse += dr->comp_ds[c] > db->comp_ds[c];
            } else {
                others_same &= dr->comp_ds[c] == db->comp_ds[c];
                /* restoration draws are per item too */
                others_same &= sr->comp[c].repair_h == sb->comp[c].repair_h || sr->comp[c].ds != sb->comp[c].ds;
            }
        }
        for (int l = 0; l < w->nlink; l++) links_same &= dr->link_ds[l] == db->link_ds[l];
    }
    CHECK(others_same);
    CHECK(links_same);
    CHECK(worse == 0);
    CHECK(better > 0);
    rst_schedule_free(sb); rst_schedule_free(sr);
    dmg_outcome_free(db); dmg_outcome_free(dr);
    haz_sample_free(hb); haz_sample_free(hr);
    haz_field_free(fb); haz_field_free(fr);
    cmp_world_free(r);
    world_free(w);
}

TEST(rank_puts_cost_effective_options_first)
{
    CmpOption o[4];
    memset(o, 0, sizeof o);
    o[0].cost_yen = 100;   /* avoids 10 weighted kL: 10 yen each */
    o[1].cost_yen = 30;    /* avoids 10: 3 yen each */
    o[2].cost_yen = 0;     /* avoids nothing */
    o[3].cost_yen = 5;     /* makes it worse */
    CmpInvest inv = {o, 4};
    CmpResult r[4];
    memset(r, 0, sizeof r);
    double ws[4] = {10, 10, 0, -2}, kl[4] = {4, 5, 0, -1};
    for (int i = 0; i < 4; i++) { r[i].opt = i; r[i].ws.mean = ws[i]; r[i].kl.mean = kl[i]; }
    cmp_rank(&inv, r, 4);
    CHECK(r[0].opt == 1 && r[0].rank == 1);
    CHECK(r[1].opt == 0 && r[1].rank == 2);
    CHECK(r[2].opt == 2 && r[3].opt == 3 && r[3].rank == 4);
    CHECK(r[0].yen_per_wkl == 3 && r[0].yen_per_kl == 6);
    CHECK(r[1].yen_per_wkl == 10 && r[1].yen_per_kl == 25);
    CHECK(isnan(r[2].yen_per_wkl) && isnan(r[3].yen_per_kl));
}

int main(void)
{
    RUN(paired_ci_matches_hand_computation);
    RUN(investments_file_is_read);
    RUN(investments_file_problems_give_their_lines);
    RUN(embedded_example_file_is_valid);
    RUN(world_copy_changes_the_copy_only);
    RUN(do_nothing_option_reproduces_the_baseline_exactly);
    RUN(retrofit_changes_only_its_own_component_and_never_for_the_worse);
    RUN(rank_puts_cost_effective_options_first);
    return check_done();
}
