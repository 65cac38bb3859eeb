/* The plan sheet written out (plansheet.h): plan.csv, its part of
 * plan.json and plan.md, in English or Japanese. */
#include "plansheet.h"

#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const queue_word[2][OPT_NQ] = {{"loading racks", "berths", "rail sidings"},
                                                  {"出荷ラック", "桟橋", "貨車積み側線"}};
static const char *const mode_word[2][NMODE] = {{"road", "sea", "rail", "air"}, {"陸上", "海上", "鉄道", "航空"}};

/* "diesel, kerosene" of a product bit set. */
static void products_text(unsigned set, char *buf, size_t n)
{
    buf[0] = 0;
    for (int p = 0; p < NPROD; p++)
        if (set & (1u << p)) {
            size_t l = strlen(buf);
            snprintf(buf + l, n - l, "%s%s", l ? ", " : "", world_product_name[p]);
        }
}

const char *psh_why_text(const PlanSheet *ps, const OptSolution *so, const PshUnmet *u, char *buf, size_t n)
{
    const World *w = ps->w;
    int ja = ps->ja;
    char prods[64];
    switch (u->why) {
    case OPT_WHY_NO_SOURCE:
        snprintf(buf, n, "%s", ja ? "期限内に到達できる供給源なし(道路途絶・在庫なし)"
                                  : "no source reachable in time (roads closed, or no stock within reach)");
        break;
    case OPT_WHY_FLEET:
        products_text(so->capset_products[u->why_ref], prods, sizeof prods);
        snprintf(buf, n, ja ? "輸送力(%s、%s)" : "fleet: %s vehicles carrying %s", mode_word[ja][so->capset_mode[u->why_ref]],
                 prods);
        break;
    case OPT_WHY_QUEUE:
        snprintf(buf, n, ja ? "%sの%s" : "%s at %s", ja ? psh_place_name(ps, u->why_ref / OPT_NQ) : queue_word[0][u->why_ref % OPT_NQ],
                 ja ? queue_word[1][u->why_ref % OPT_NQ] : psh_place_name(ps, u->why_ref / OPT_NQ));
        break;
    case OPT_WHY_STOCK:
        snprintf(buf, n, ja ? "%sの%s在庫" : "stock of %2$s at %1$s", psh_place_name(ps, w->stock[u->why_ref].facility),
                 world_product_name[w->stock[u->why_ref].product]);
        break;
    case OPT_WHY_OTHER:
        snprintf(buf, n, "%s", ja ? "需要地のタンク容量・末端輸送" : "tank room or last-mile access at the point");
        break;
    default:
        snprintf(buf, n, "-");
    }
    return buf;
}

const char *psh_bottleneck_name(const PlanSheet *ps, const PshBottleneck *b, char *buf, size_t n)
{
    const World *w = ps->w;
    int ja = ps->ja;
    if (b->kind == PSH_B_FLEET || b->kind == PSH_B_MOBILISE) snprintf(buf, n, "%s", psh_fleet_name(ps, b->ref));
    else if (b->kind == PSH_B_STOCK)
        snprintf(buf, n, ja ? "%s:%s在庫" : "%s: %s stock", psh_place_name(ps, w->stock[b->ref].facility),
                 world_product_name[w->stock[b->ref].product]);
    else if (b->kind == PSH_B_ROAD)
        snprintf(buf, n, ja ? "%s〜%s間の道路" : "road from %s to %s", psh_place_name(ps, w->link[b->ref].from),
                 psh_place_name(ps, w->link[b->ref].to));
    else snprintf(buf, n, ja ? "%s:%s" : "%s: %s", psh_place_name(ps, b->ref), queue_word[ja][b->queue]);
    return buf;
}

/* ---- plan.csv ---------------------------------------------------------------------------- */

int psh_write_csv(const char *path, const PlanSheet *ps)
{
    const World *w = ps->w;
    OutFile *o = out_open(path);
    if (!o) return -1;
    fprintf(o->f, "group,asset_type,asset,asset_name,day,period,from,from_name,to,to_name,dest_class,product,kl,loads,"
                  "depart_h,arrive_h%s\n", ps->have_start ? ",depart,arrive" : "");
    for (int i = 0; i < ps->ntask; i++) {
        const PshTask *t = &ps->task[i];
        const Asset *as = &w->asset[t->fleet];
        fprintf(o->f, "%s,%s,%s,", psh_group_id[t->group], world_asset_type_name[as->type], as->id);
        csv_put_field(o->f, psh_fleet_name(ps, t->fleet));
        fprintf(o->f, ",%d,%d,%s,", t->day, t->period, w->fac[t->src].id);
        csv_put_field(o->f, psh_place_name(ps, t->src));
        fprintf(o->f, ",%s,", world_place_id(w, t->dest_place));
        csv_put_field(o->f, psh_place_name(ps, t->dest_place));
        if (t->dest == PSH_DEST_DEPOT) fputs(",depot", o->f);
        else fprintf(o->f, ",%d", t->dest + 1);
        fprintf(o->f, ",%s,%.3f,%.0f,%.2f,%.2f", world_product_name[t->product], t->kl, t->loads, t->depart_h, t->arrive_h);
        if (ps->have_start) {
            char a[40], b[40];
            fprintf(o->f, ",%s,%s", psh_time(ps, t->depart_h, a, sizeof a), psh_time(ps, t->arrive_h, b, sizeof b));
        }
        fputc('\n', o->f);
    }
    return out_commit(o);
}

/* ---- plan.json ---------------------------------------------------------------------------- */

void psh_json_add(cJSON *j, const PlanSheet *ps, const OptSolution *so)
{
    const World *w = ps->w;
    char buf[200];
    cJSON *tot = cJSON_AddObjectToObject(j, "totals");
    cJSON_AddNumberToObject(tot, "kl", ps->total_kl);
    for (int g = 0; g < PSH_NGROUP; g++) {
        cJSON *o = cJSON_AddObjectToObject(tot, psh_group_id[g]);
        cJSON_AddNumberToObject(o, "kl", ps->group_kl[g]);
        cJSON_AddNumberToObject(o, "loads", ps->group_loads[g]);
        for (int d = 0; d < PSH_NDEST; d++) cJSON_AddNumberToObject(o, psh_dest_key[d], ps->dest_kl[g][d]);
    }
    cJSON *bn = cJSON_AddArrayToObject(j, "bottlenecks");
    for (int i = 0; i < ps->nbn; i++) {
        const PshBottleneck *b = &ps->bn[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", psh_bkind_name[b->kind]);
        cJSON_AddStringToObject(o, "id", psh_bottleneck_id(ps, b, buf, sizeof buf));
        cJSON_AddNumberToObject(o, "value", b->value);
        cJSON_AddStringToObject(o, "unit", psh_bkind_unit[b->kind]);
        if (b->period >= 0) cJSON_AddNumberToObject(o, "from_h", so->t0_h + so->period_start_h[b->period]);
        if (b->at_h >= 0) cJSON_AddNumberToObject(o, "at_h", b->at_h);
        if (b->kind == PSH_B_ROAD) {
            /* opened now instead of at at_h (or the plan's end): hours gained and the value per hour */
            cJSON_AddNumberToObject(o, "hours", b->hours);
            cJSON_AddNumberToObject(o, "per_hour", b->hours > 0 ? b->value / b->hours : 0);
            cJSON_AddStringToObject(o, "per_hour_unit", "weighted kL per hour earlier");
        }
        cJSON_AddItemToArray(bn, o);
    }
    cJSON *um = cJSON_AddArrayToObject(j, "unmet_points");
    for (int i = 0; i < ps->nunmet; i++) {
        const PshUnmet *u = &ps->unmet[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "point", w->dem[u->point].id);
        cJSON_AddNumberToObject(o, "class", w->dem[u->point].priority);
        cJSON_AddNumberToObject(o, "kl", u->kl);
        if (u->product >= 0) cJSON_AddStringToObject(o, "product", world_product_name[u->product]);
        cJSON_AddStringToObject(o, "limit", opt_why_name[u->why]);
        cJSON_AddStringToObject(o, "limit_text", psh_why_text(ps, so, u, buf, sizeof buf));
        cJSON_AddItemToArray(um, o);
    }
    cJSON *ts = cJSON_AddArrayToObject(j, "tasking");
    for (int i = 0; i < ps->ntask; i++) {
        const PshTask *t = &ps->task[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "group", psh_group_id[t->group]);
        cJSON_AddStringToObject(o, "fleet", w->asset[t->fleet].id);
        cJSON_AddStringToObject(o, "mode", world_mode_name[w->asset[t->fleet].mode]);
        cJSON_AddNumberToObject(o, "day", t->day);
        cJSON_AddNumberToObject(o, "period", t->period);
        cJSON_AddStringToObject(o, "from", w->fac[t->src].id);
        cJSON_AddStringToObject(o, "to", world_place_id(w, t->dest_place));
        cJSON_AddStringToObject(o, "dest_class", psh_dest_key[t->dest]);
        cJSON_AddStringToObject(o, "product", world_product_name[t->product]);
        cJSON_AddNumberToObject(o, "kl", t->kl);
        cJSON_AddNumberToObject(o, "loads", t->loads);
        cJSON_AddNumberToObject(o, "depart_h", t->depart_h);
        cJSON_AddNumberToObject(o, "arrive_h", t->arrive_h);
        cJSON_AddItemToArray(ts, o);
    }
}

/* ---- plan.md ------------------------------------------------------------------------------- */

enum { W_TITLE, W_TASKING, W_HEAD, W_TOTAL, W_TOTALS, W_THEAD, W_SHORT, W_SHORT_NOTE, W_NOTMODEL, W_UNMET,
       W_UHEAD, W_NONE, W_MIP, W_LOADS, W_WHYRULE, W_FIXED, NW };
static const char *const words[2][NW] = {
    {"Transport plan", "Tasking sheets",
     "| day | period | from | to | product | kL | loads | depart | arrive |\n|---:|---:|---|---|---|---:|---:|---|---|\n",
     "Total", "Totals by destination class (kL)", "| group | class 1 | class 2 | class 3 | class 4 | depots | total | loads |\n"
     "|---|---:|---:|---:|---:|---:|---:|---:|\n", "What is short",
     "From the LP's dual values: what one more unit of each limit would save at most, in weighted kL (class "
     "weight x kL), largest first. A vehicle counts for the hours it would be free in each period. A rack, berth "
     "or siding back an hour earlier, and a fleet ready an hour earlier (mobilising, or its lead time when not "
     "asked for yet), are valued by solving the LP again with that hour's capacity added (only where the duals "
     "say the hour may be worth anything).",
     "Not valued: the number of lorries a rack can hold at once.",
     "Why demand stays unmet", "| point | class | product | unmet kL | what stops it |\n|---|---:|---|---:|---|\n",
     "No movement planned.", "The plan could not be explained: its LP has no dual solution.", "loads",
     "How the limit is decided: of the movements that could still reach the point before its largest shortfall, "
     "the one whose price in the same duals is lowest (stock at its source, loading queue there, and fleet "
     "hours of its trip); the limit is the largest part of that price. No such movement: no source reachable. "
     "All parts zero: tank room or last-mile access at the point.",
     "Whole trips (--integer): the duals are those of the LP with the MIP's trips fixed at their whole numbers "
     "and the rest solved again."},
    {"輸送計画", "任務割当表",
     "| 日 | 期 | 発 | 着 | 油種 | kL | 車両・便数 | 出発 | 到着 |\n|---:|---:|---|---|---|---:|---:|---|---|\n", "計",
     "仕向先の優先区分別の合計(kL)", "| 区分 | 優先1 | 優先2 | 優先3 | 優先4 | 油槽所 | 計 | 車両・便数 |\n"
     "|---|---:|---:|---:|---:|---:|---:|---:|\n", "不足している制約",
     "LPの双対価格から、各制約を1単位緩めたときに減らせる重み付き不足量(優先度の重み×kL)の上限。大きい順。"
     "車両は各期に使える時間で数える。出荷ラック・桟橋・側線の復旧と車両の到着(動員中、または未要請の出動所要時間)が"
     "1時間早い場合の価値は、その1時間分の能力を加えてLPを解き直して求める(双対価格が正のものに限る)。",
     "評価しないもの:ラックの同時積込台数。",
     "需要が満たされない理由", "| 需要地 | 優先 | 油種 | 不足 kL | 制約 |\n|---|---:|---|---:|---|\n",
     "計画された輸送はない。", "計画の双対解が得られず、制約の分析はできない。", "便",
     "制約の決め方:最大の不足の期までに需要地へ届きうる輸送のうち、同じ双対価格による価格(出荷元の在庫、出荷ラック・桟橋等、"
     "輸送の車両時間)が最も低いものを選び、その価格の最大の部分を制約とする。届く輸送がなければ「到達できる供給源なし」、"
     "すべて0なら需要地のタンク容量・末端輸送。",
     "整数計画(--integer):双対価格は、MIPの便数を整数値に固定し残りを解き直したLPのもの。"}};

static void md_group(StrBuf *b, const PlanSheet *ps, int g)
{
    int ja = ps->ja;
    sb_printf(b, "\n### %s\n\n", psh_group_name(ps, g));
    if (ps->group_kl[g] <= 0) { sb_printf(b, "%s\n", words[ja][W_NONE]); return; }
    sb_puts(b, words[ja][W_HEAD]);
    for (int i = 0; i < ps->ntask; i++) {
        const PshTask *t = &ps->task[i];
        if (t->group != g) continue;
        char d[40], a[40];
        sb_printf(b, "| %d | %d | %s | %s | %s | %.1f | %.0f | %s | %s |\n", t->day, t->period, psh_place_name(ps, t->src),
                  psh_place_name(ps, t->dest_place), world_product_name[t->product], t->kl, t->loads,
                  psh_time(ps, t->depart_h, d, sizeof d), psh_time(ps, t->arrive_h, a, sizeof a));
    }
    sb_printf(b, "\n%s: %.1f kL, %.0f %s\n", words[ja][W_TOTAL], ps->group_kl[g], ps->group_loads[g], words[ja][W_LOADS]);
}

static void md_bottlenecks(StrBuf *b, const PlanSheet *ps, const OptSolution *so)
{
    int ja = ps->ja;
    const World *w = ps->w;
    sb_printf(b, "\n## %s\n\n%s\n\n", words[ja][W_SHORT], words[ja][W_SHORT_NOTE]);
    if (ps->fixed_mip) sb_printf(b, "%s\n\n", words[ja][W_FIXED]);
    for (int i = 0; i < ps->nbn && i < 10; i++) {
        const PshBottleneck *x = &ps->bn[i];
        char id[200], t[40];
        psh_bottleneck_id(ps, x, id, sizeof id);
        double from = x->period >= 0 ? so->t0_h + so->period_start_h[x->period] : 0;
        psh_time(ps, from, t, sizeof t);
        sb_printf(b, "%d. ", i + 1);
        switch (x->kind) {
        case PSH_B_FLEET:
            sb_printf(b, ja ? "%s(%s)をもう1台(1隻・1機)増やすと、最大 %.2f 重み付きkL 減る。\n"
                            : "One more vehicle of %s (%s) saves up to %.2f weighted kL.\n",
                      psh_fleet_name(ps, x->ref), id, x->value);
            break;
        case PSH_B_STOCK:
            sb_printf(b, ja ? "%sの%s在庫が今1kL多ければ、最大 %.2f 重み付きkL 減る。\n"
                            : "One more kL of %2$s in stock at %1$s now saves up to %3$.2f weighted kL.\n",
                      psh_place_name(ps, w->stock[x->ref].facility), world_product_name[w->stock[x->ref].product], x->value);
            break;
        case PSH_B_QUEUE:
            sb_printf(b, ja ? "%sの%sの稼働が1時間多ければ(%s 以降の期)、最大 %.2f 重み付きkL 減る。\n"
                            : "One more server-hour of the %2$s at %1$s (period from %3$s) saves up to %4$.2f weighted kL.\n",
                      psh_place_name(ps, x->ref), queue_word[ja][x->queue], t, x->value);
            break;
        case PSH_B_MOBILISE:
            psh_time(ps, x->at_h, t, sizeof t);
            sb_printf(b, ja ? "%s(%s)が %s より1時間早く使えれば、%.2f 重み付きkL 減る(LPの再計算)。\n"
                            : "%s (%s) ready one hour before %s saves %.2f weighted kL (LP solved again).\n",
                      psh_fleet_name(ps, x->ref), id, t, x->value);
            break;
        case PSH_B_ROAD: {
            char name[400];
            psh_bottleneck_name(ps, x, name, sizeof name);
            double when = x->at_h >= 0 ? x->at_h : so->t0_h + so->period_start_h[so->nperiod];
            psh_time(ps, when, t, sizeof t);
            double per = x->hours > 0 ? x->value / x->hours : 0;
            if (x->at_h >= 0)
                sb_printf(b, ja ? "%s(%s)を %s でなく今開ければ、%.2f 重み付きkL 減る(1時間早めるごとに %.3f)。\n"
                                : "Opening the %s (%s) now instead of at %s avoids %.2f weighted kL (%.3f per hour earlier).\n",
                          name, id, t, x->value, per);
            else
                sb_printf(b, ja ? "%s(%s)は計画期間の終わり(%s)までに開かない見込み。今開ければ、%.2f 重み付きkL 減る(1時間あたり %.3f)。\n"
                                : "Opening the %s (%s) now instead of after the plan's end (%s) avoids %.2f weighted kL (%.3f per hour earlier).\n",
                          name, id, t, x->value, per);
            break;
        }
        default:
            psh_time(ps, x->at_h, t, sizeof t);
            sb_printf(b, ja ? "%sの%sの復旧が %s より1時間早ければ、%.2f 重み付きkL 減る(LPの再計算)。\n"
                            : "The %2$s at %1$s back one hour before %3$s saves %4$.2f weighted kL (LP solved again).\n",
                      psh_place_name(ps, x->ref), queue_word[ja][x->queue], t, x->value);
        }
    }
    if (ps->nbn == 0) sb_printf(b, "%s\n", ja ? "拘束されている制約はない。" : "No limit binds.");
    /* a fleet that comes only when the horizon ends has no hour in the plan:
     * zero here says nothing of its worth later (plan again further out) */
    double end = so->t0_h + so->period_start_h[so->nperiod];
    int nlate = 0;
    for (int a = 0; a < w->nasset; a++) {
        if (w->asset[a].count <= 0 || so->fleet_ready_h[a] < end - 1e-9) continue;
        char t[40];
        if (nlate++ == 0)
            sb_printf(b, ja ? "\n計画期間の終わり(%s)以降に使えるため、ここでは価値0となるもの(計画期間を延ばせば評価できる):"
                            : "\nReady only at or after the plan's end (%s), so worth nothing here (a longer horizon "
                              "would value them):",
                      psh_time(ps, end, t, sizeof t));
        sb_printf(b, ja ? "%s%s(%s)" : "%s %s (ready %s)", nlate > 1 ? (ja ? "、" : ",") : "", psh_fleet_name(ps, a),
                  psh_time(ps, so->fleet_ready_h[a], t, sizeof t));
    }
    if (nlate) sb_puts(b, ja ? "。\n" : ".\n");
    if (ps->road_valued)
        sb_printf(b, ja ? "\n道路:計画開始時に閉じていて今開けられる道路 %d 本のうち、全部を開けた道路網で出荷ラックのある供給源から"
                          "その端点までの最短経路上にあり、経路を短くするもの %d 本を選び、短縮時間の大きい順に最大 %d 本について、"
                          "その道路を計画開始時から開けて計画を解き直した(%d 本)。価値は目的関数の差(重み付きkL)で、"
                          "1時間あたりの値は見込みの開通時刻(または計画期間の終わり)までの時間で割ったもの。"
                          "計画は閉じた道路を計画期間中ずっと閉じたものとして扱うため、期間内に開通する道路の価値は開通後の時間も含む"
                          "(早期啓開の価値の上限)。\n"
                        : "\nRoads: of the %d roads closed at the plan's start whose ends can be reached, the %d on a "
                          "shortest road path (in the network with all of them open) from a source with a working rack "
                          "to one of their ends, and shortening it, were kept; the plan was solved again with each "
                          "open from its start, largest time gain first, at most %d (%d solved). The value is the "
                          "objective's difference in weighted kL; per hour earlier divides it by the hours to the "
                          "forecast reopening (or to the plan's end). The plan keeps a closed road closed for its "
                          "whole horizon, so for a road back inside it the value also counts the hours after its "
                          "return: an upper bound on what opening it early is worth.\n",
                  ps->road_closed, ps->road_screened, OPT_ROAD_PROBES, ps->road_probed);
    sb_printf(b, "\n%s\n", words[ja][W_NOTMODEL]);
}

static void md_unmet(StrBuf *b, const PlanSheet *ps, const OptSolution *so)
{
    const World *w = ps->w;
    int ja = ps->ja;
    sb_printf(b, "\n## %s\n\n", words[ja][W_UNMET]);
    if (ps->nunmet == 0) { sb_printf(b, "%s\n", ja ? "不足はない。" : "None: the plan meets all demand."); return; }
    sb_printf(b, "%s\n\n", words[ja][W_WHYRULE]);
    sb_puts(b, words[ja][W_UHEAD]);
    for (int i = 0; i < ps->nunmet; i++) {
        const PshUnmet *u = &ps->unmet[i];
        char why[256];
        sb_printf(b, "| %s | %d | %s | %.1f | %s |\n", psh_place_name(ps, w->nfac + u->point), w->dem[u->point].priority,
                  u->product >= 0 ? world_product_name[u->product] : "-", u->kl, psh_why_text(ps, so, u, why, sizeof why));
    }
}

char *psh_markdown(const PlanSheet *ps, const OptSolution *so, const char *head)
{
    int ja = ps->ja;
    StrBuf b = {0};
    sb_printf(&b, "# %s\n\n", words[ja][W_TITLE]);
    if (head) sb_printf(&b, "%s\n", head);
    sb_printf(&b, "\n## %s\n", words[ja][W_TASKING]);
    for (int g = 0; g < PSH_NGROUP; g++) md_group(&b, ps, g);
    sb_printf(&b, "\n## %s\n\n%s", words[ja][W_TOTALS], words[ja][W_THEAD]);
    for (int g = 0; g < PSH_NGROUP; g++) {
        sb_printf(&b, "| %s |", psh_group_name(ps, g));
        for (int d = 0; d < PSH_NDEST; d++) sb_printf(&b, " %.1f |", ps->dest_kl[g][d]);
        sb_printf(&b, " %.1f | %.0f |\n", ps->group_kl[g], ps->group_loads[g]);
    }
    sb_printf(&b, "| %s |", words[ja][W_TOTAL]);
    double loads = 0;
    for (int d = 0; d < PSH_NDEST; d++) {
        double s = 0;
        for (int g = 0; g < PSH_NGROUP; g++) s += ps->dest_kl[g][d];
        sb_printf(&b, " %.1f |", s);
    }
    for (int g = 0; g < PSH_NGROUP; g++) loads += ps->group_loads[g];
    sb_printf(&b, " %.1f | %.0f |\n", ps->total_kl, loads);
    if (!ps->explained) sb_printf(&b, "\n%s\n", words[ja][W_MIP]);
    else {
        md_bottlenecks(&b, ps, so);
        md_unmet(&b, ps, so);
    }
    return sb_take(&b);
}
