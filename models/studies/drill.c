/* Drill timeline (MSEL) from one replicate's trace: which replicate to use
 * (a rank of weighted shortfall over replicates run in parallel), how the
 * trace rows become injects (the rules are in drill.h), the Japanese and
 * English wording, and the exercise clock (ISO 8601, Japan time). */
#include "drill.h"

#include "restore.h"
#include "trace.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const drl_pick_name[NDRLPICK] = {"median", "p90", "worst"};
const char *const drl_lang_name[NDRLLANG] = {"ja", "en"};

/* ---- picking a replicate --------------------------------------------------- */

uint64_t drl_pick_rank(uint64_t n, DrlPickHow how)
{
    if (n == 0) return 0;
    if (how == DRL_PICK_WORST) return n;
    /* nearest rank ceil(p n) in integers: p = 1/2 or 9/10 */
    uint64_t k = how == DRL_PICK_MEDIAN ? (n + 1) / 2 : (9 * n + 9) / 10;
    return k < 1 ? 1 : k;
}

typedef struct WsRep { double ws; uint64_t rep; } WsRep;

static int wsrep_cmp(const void *x, const void *y)
{
    const WsRep *a = x, *b = y;
    if (a->ws != b->ws) return a->ws < b->ws ? -1 : 1;
    return a->rep < b->rep ? -1 : a->rep > b->rep;
}

uint64_t drl_pick_from(const double *ws, uint64_t n, DrlPickHow how)
{
    WsRep *v = xmalloc((size_t)n * sizeof *v);
    for (uint64_t i = 0; i < n; i++) v[i] = (WsRep){ws[i], i};
    qsort(v, (size_t)n, sizeof *v, wsrep_cmp);
    uint64_t rep = v[drl_pick_rank(n, how) - 1].rep;
    free(v);
    return rep;
}

typedef struct GreedyRun {
    const SupModel *m;
    uint64_t seed;
} GreedyRun;

static int greedy_run(void *ctx, uint64_t rep, SupResult *r)
{
    const GreedyRun *g = ctx;
    SupOptions opt = {SUP_GREEDY, NULL, NULL, NULL};
    return sup_run(g->m, g->seed, rep, &opt, r);
}

int drl_pick(const SupModel *m, uint64_t seed, uint64_t n, DrlPickHow how, int threads,
             uint64_t *rep, double *ws_out)
{
    GreedyRun g = {m, seed};
    return drl_pick_by(greedy_run, &g, n, how, threads, rep, ws_out);
}

int drl_pick_by(DrlRunFn fn, void *ctx, uint64_t n, DrlPickHow how, int threads, uint64_t *rep, double *ws_out)
{
    double *ws = xmalloc((size_t)n * sizeof *ws);
    int fail = 0;
    int nt = threads > 0 ? threads : omp_get_max_threads();
    /* each replicate writes only its own slot: the picked one is the same
     * whatever the threads and their schedule */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
    for (int64_t i = 0; i < (int64_t)n; i++) {
        SupResult r;
        memset(&r, 0, sizeof r);
        if (fn(ctx, (uint64_t)i, &r) != 0) {
#pragma omp atomic write
            fail = 1;
        }
        ws[i] = r.weighted_shortfall;
        sup_result_free(&r);
    }
    if (fail) { free(ws); return -1; }
    *rep = drl_pick_from(ws, n, how);
    *ws_out = ws[*rep];
    free(ws);
    return 0;
}

/* ---- exercise clock ----------------------------------------------------------- */

void drl_params_default(DrlParams *p)
{
    memset(p, 0, sizeof *p);
    p->lang = DRL_EN;
    drl_parse_iso(DRL_DEFAULT_START, &p->start_s);
    p->compress = 1.0;
    p->report_delay_h = DRL_REPORT_DELAY_H;
    p->merge_h = DRL_MERGE_H;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return 0;
}

int drl_parse_iso(const char *s, int64_t *t)
{
    int y, mo, d, h, mi, sec = 0, off = 9 * 60;
    if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' || digits(&s, 2, &d))
        return -1;
    if (*s != 'T' && *s != ' ') return -1;
    s++;
    if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi)) return -1;
    if (*s == ':') { s++; if (digits(&s, 2, &sec)) return -1; }
    if (*s == 'Z') { off = 0; s++; }
    else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om;
        if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) || oh > 14 || om > 59) return -1;
        off = sign * (oh * 60 + om);
    }
    if (*s) return -1;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) ||
        h > 23 || mi > 59 || sec > 59)
        return -1;
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - (int64_t)off * 60;
    return 0;
}

void drl_format_iso(int64_t t, char *buf, size_t n)
{
    int64_t jst = t + 9 * 3600;
    int64_t days = jst >= 0 ? jst / 86400 : -((-jst + 86399) / 86400);
    int64_t sod = jst - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02d+09:00", (long long)y, m, d,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

int64_t drl_exercise_s(const DrlParams *p, double time_h)
{
    return p->start_s + (int64_t)llround(time_h * 3600.0 / p->compress);
}

/* ---- wording ----------------------------------------------------------------- */

typedef enum Kind {
    K_SHOCK, K_DAMAGE, K_CLOSURE, K_REOPEN, K_RESTART, K_SERVICE, K_LOW, K_DRY, K_REFILL,
    K_BULK, K_MOBILISE, K_MOBILISED, K_FIRE, K_PLAN, K_ROOM, K_RELAY, K_STOCKPILE, K_ROUTE, K_DECISION,
    K_PERMIT, K_CONTROL_END, NKIND
} Kind;

static const char *const kind_key[NKIND] = {
    "main_shock", "damage_report", "closure", "reopening", "refinery_restart", "back_in_service",
    "low_stock", "dry", "resupplied", "bulk_request", "mobilise_request", "mobilised", "fire",
    "plan_request", "joint_room_open", "priority_relay", "stockpile_release", "route_open", "player_action",
    "passage_permits", "traffic_control_end"};

/* Organisations that send and receive injects (besides named facilities
 * and demand points). */
enum { ORG_CONTROL, ORG_PREF, ORG_PORT, ORG_ROAD, ORG_RAIL, ORG_PAJ, ORG_SDF, ORG_MUNI,
       ORG_TERMINALS, ORG_HOSPITALS, ORG_OPERATORS, ORG_ANRE, ORG_ROOM, ORG_PLAYERS, ORG_POLICE, NORG };
enum { M_BROADCAST, M_PHONE, M_FAX, M_RADIO, M_EMAIL, M_LIAISON, M_WRITTEN, NMETHOD };
enum { OBJ_INITIAL, OBJ_ROUTES, OBJ_PRIORITY, OBJ_SDF_PAJ, OBJ_CAPACITY, NOBJ };
enum { A_SHOCK, A_DAMAGE, A_CLOSE_SEA, A_CLOSE_ROAD, A_CLOSE_RAIL, A_REOPEN, A_RESTART,
       A_SERVICE, A_LOW, A_LOW_GROUP, A_DRY, A_DRY_GROUP, A_REFILL, A_BULK, A_MOB_SDF,
       A_MOB_PAJ, A_READY, A_FIRE, A_PLAN, A_ROOM, A_RELAY, A_STOCKPILE, A_ROUTE, A_DECISION,
       A_PERMIT, A_CONTROL_END, NACT };

/* Every fixed string in both languages. Message formats take their
 * arguments in the same order in both. */
typedef struct Lang {
    const char *ds[NDS];
    const char *comp[NCOMPKIND];
    const char *prod[NPROD];
    const char *mode[NMODE];        /* as the subject of a closure */
    const char *gate_clear, *gate_repair, *gate_tsunami;
    const char *org[NORG];
    const char *pref_hq;            /* "%s" prefecture name */
    const char *method[NMETHOD];
    const char *objective[NOBJ];
    const char *action[NACT];
    const char *sep, *more;         /* list separator; "and %d more" */
    const char *out_of_service, *capacity;  /* capacity: "%.0f" percent */
    const char *out_because;                /* out of service, "%s": why (gate_why) */
    const char *shock;              /* quake name (with Mw) */
    const char *quake_mw;           /* quake name, Mw: when the name does not give it */
    const char *damage, *damage_item, *damage_item_id;  /* fac, list; kind, ds, cap; kind, id, ds, cap */
    const char *closure, *reopen;   /* mode, count, list */
    const char *link_item, *link_reason;   /* from, to, id; (+ reason) */
    const char *restart;            /* facility */
    const char *fire;               /* facility, days until the site may restart */
    const char *service;            /* list */
    const char *service_item, *service_item_id;   /* facility, kind; facility, kind, id */
    const char *low;                /* point, product, hours, kL */
    const char *low_group;          /* class, count, hours, list */
    const char *dry;                /* point, product */
    const char *dry_group;          /* class, count, list */
    const char *refill;             /* point, product, kL */
    const char *refill_group;       /* class, count, list */
    const char *point_item;         /* point, product */
    const char *bulk, *bulk_item;   /* count, list; facility, product, kL */
    const char *mob_sdf, *mob_paj, *mob_item;   /* list; fleet, units */
    const char *ready, *ready_item; /* list; fleet, units, home */
    const char *plan, *room;        /* no arguments */
    const char *relay;              /* class, count, list */
    const char *stockpile;          /* count, list (bulk_item) */
    const char *route;              /* count, list of directions */
    const char *permit;             /* list (mob_item): fleets now holding passage permits */
    const char *control_end;        /* no arguments */
    const char *dir[RST_NDIR];
    const char *decision, *dec_note;        /* number, what; note */
    const char *controller;                 /* who logs the players' decisions */
    const char *dec[NTRCACT];               /* what was decided, by TrcAction */
    const char *dec_stockpile;              /* kL */
    const char *policy[2];                  /* by SupPolicy */
} Lang;

const char *const drl_gate_why[NDRLLANG][NRSTGATE] = {
    [DRL_JA] = {[RST_GATE_TSUNAMI] = "津波浸水、排水待ち", [RST_GATE_POWER] = "停電・受電なし",
                [RST_GATE_FAIRWAY] = "航路啓開待ち", [RST_GATE_RAIL] = "鉄道の点検・復旧待ち",
                [RST_GATE_BERTH] = "原油受入桟橋が使用不可", [RST_GATE_TRIP] = "自動停止後の安全点検中",
                [RST_GATE_CLEARANCE] = "点検・啓開待ち"},
    [DRL_EN] = {[RST_GATE_TSUNAMI] = "flooded by the tsunami, awaiting drainage",
                [RST_GATE_POWER] = "no power", [RST_GATE_FAIRWAY] = "fairway not yet cleared",
                [RST_GATE_RAIL] = "rail line not yet inspected or repaired",
                [RST_GATE_BERTH] = "no usable crude berth",
                [RST_GATE_TRIP] = "safety inspection after the automatic shutdown",
                [RST_GATE_CLEARANCE] = "awaiting inspection or clearance"},
};

static const Lang lang_tab[NDRLLANG] = {
    [DRL_JA] = {
        .ds = {"被害なし", "軽微", "中破", "大破", "全壊"},
        .comp = {"製造装置", "タンク", "桟橋", "出荷設備(ローリー)", "鉄道出荷設備", "受電設備"},
        .prod = {"ガソリン", "軽油", "灯油", "A重油"},
        .mode = {"道路", "航路", "鉄道", "航空路"},
        .gate_clear = "点検・啓開待ち", .gate_repair = "被災、復旧作業中", .gate_tsunami = "津波浸水",
        .org = {"統制部(気象庁情報)", "都県災害対策本部", "港湾管理者", "道路管理者",
                "鉄道事業者(JR貨物)", "石油連盟", "自衛隊連絡員", "市区町村", "油槽所運営会社",
                "災害拠点病院", "エネルギー施設事業者", "資源エネルギー庁", "石油連盟 共同オペレーションルーム",
                "訓練プレーヤー", "都県警察(交通規制)"},
        .pref_hq = "%s災害対策本部",
        .method = {"テレビ・緊急地震速報", "電話", "FAX", "防災行政無線", "電子メール",
                   "連絡員(対面)", "電話の後、文書で要請"},
        .objective = {"1 初動対応と被害情報の共有", "2 輸送路の確保(航路・道路啓開)",
                      "3 重要施設への優先供給", "4 自衛隊・石油連盟との連携", "5 供給能力の回復"},
        .action = {
            [A_SHOCK] = "災害対策本部を設置し、エネルギー施設・港湾管理者・石油連盟・自衛隊連絡員との連絡体制を確立、被害情報の収集を開始する。",
            [A_DAMAGE] = "報告を記録し、再開見込みと出荷可能な在庫量を確認、石油連盟・港湾管理者と共有する。",
            [A_CLOSE_SEA] = "製油所・油槽所に至る航路の優先啓開を要請し、再開までは陸上輸送で計画する。",
            [A_CLOSE_ROAD] = "通行可能な緊急輸送道路でローリーの経路を選び、優先啓開を要請、石油連盟に通知する。",
            [A_CLOSE_RAIL] = "鉄道輸送の代替(ローリー・内航船)を石油連盟と調整する。",
            [A_REOPEN] = "輸送経路計画を更新し、通行可能な経路を石油連盟・自衛隊連絡員に通知する。",
            [A_RESTART] = "石油連盟:この製油所からの出荷計画を立てる。災害対策本部:供給計画を更新する。",
            [A_FIRE] = "消防・事業者:消火と周辺の避難。石油連盟:この拠点の出荷分を他の製油所・油槽所に振り替える。",
            [A_SERVICE] = "稼働可能な供給拠点の一覧を更新し、石油連盟が出荷計画を調整する。",
            [A_LOW] = "在庫と消費量を確認し、石油連盟の優先供給で配送を手配する。間に合わない場合は自衛隊への要請を検討する。",
            [A_LOW_GROUP] = "優先順位に従って配送を割り当て、住民・利用者に供給見込みを周知する。",
            [A_DRY] = "緊急配送(自衛隊・石油連盟)を手配し、非常用発電の負荷を絞り、患者・機能の移転を準備する。",
            [A_DRY_GROUP] = "住民に周知し、緊急車両を中核給油所へ誘導する。重要施設への配送を優先する。",
            [A_REFILL] = "受領と次回配送を確認し、燃料切れの時間を記録する。",
            [A_BULK] = "石油連盟:内航タンカーまたは鉄道での補給を手配し、桟橋・航路の状態を確認する。",
            [A_MOB_SDF] = "自衛隊連絡員:任務、積込地点、配送の優先順位を確認し、到着見込みを報告する。",
            [A_MOB_PAJ] = "石油連盟:協定に基づきローリー・内航船を手配し、使用可能時刻を報告する。",
            [A_READY] = "優先順位表に従って部隊・車両に任務を割り当て、積込地点を確認する。",
            [A_PLAN] = "石油連盟:災害時石油供給連携計画を発動し、共同オペレーションルームを立ち上げ、各社の出荷可能量と稼働拠点を集約する。",
            [A_ROOM] = "都県:重要施設の優先供給要請を資源エネルギー庁経由で共同オペレーションルームへ送る。要請書式と連絡先を確認する。",
            [A_RELAY] = "共同オペレーションルーム:要請を指定油槽所・製油所に割り当て、ローリーを手配し、配送見込みを都県に返す。",
            [A_STOCKPILE] = "石油連盟:放出された国家備蓄製品の出荷計画を立て、指定油槽所の出荷設備と配送先を確認する。",
            [A_ROUTE] = "啓開済みルートを石油連盟・自衛隊連絡員に通知し、ローリーの経路と緊急通行車両の確認標章を手配する。",
            [A_DECISION] = "統制部:決定とその時刻を記録する。以後の状況付与はこの決定を反映したものとなる。",
            [A_PERMIT] = "石油連盟・各社:標章を受けたローリーを緊急交通路経由の配送に切り替え、迂回中の配車を見直す。",
            [A_CONTROL_END] = "全ローリーの配送経路を見直し、迂回をやめて最短経路で配車する。"},
        .sep = "、", .more = "ほか%d件",
        .out_of_service = "使用不可", .capacity = "能力%.0f%%",
        .out_because = "使用不可:%s",
        .shock = "本震発生:%s。東京湾岸で強い揺れ。エネルギー施設は被害を確認中。",
        .quake_mw = "%s(Mw %.1f)",
        .damage = "%sより被害報告:%s。",
        .damage_item = "%s:%s(%s)", .damage_item_id = "%s(%s):%s(%s)",
        .closure = "%sの閉鎖 %d区間:%s。", .reopen = "%sの再開 %d区間:%s。",
        .link_item = "%s–%s(%s)", .link_reason = "%s–%s(%s)、%s",
        .restart = "%s:製造装置が復旧、生産を再開できる。",
        .fire = "%s:地震後に火災発生。全設備停止、鎮火後も規制当局の再開許可まで約%.0f日出荷不能。",
        .service = "復旧:%s。", .service_item = "%s %s", .service_item_id = "%s %s(%s)",
        .low = "%s:%sの在庫が%.0f時間分を下回る。%.1f kLの補給を要請。",
        .low_group = "優先度%dの施設 %d件が在庫%.0f時間分を下回る:%s。",
        .dry = "%s:%sが枯渇。",
        .dry_group = "優先度%dの施設 %d件で燃料枯渇:%s。",
        .refill = "%s:%sが到着、在庫%.1f kL。",
        .refill_group = "優先度%dの施設 %d件に補給到着:%s。",
        .point_item = "%s(%s)",
        .bulk = "油槽所からの大量補給要請(%d件):%s。", .bulk_item = "%s %s %.0f kL",
        .mob_sdf = "災害派遣要請:%sによる燃料輸送。",
        .mob_paj = "災害時石油供給協定に基づく出動要請:%s。",
        .mob_item = "%s ×%d",
        .ready = "出動準備完了:%s。", .ready_item = "%s ×%d(%s)",
        .plan = "資源エネルギー庁より石油連盟へ:災害時石油供給連携計画の発動を要請。",
        .room = "石油連盟:共同オペレーションルームを開設。優先供給要請の受付を開始。",
        .relay = "優先度%dの施設の供給要請 %d件が共同オペレーションルームに到達:%s。",
        .stockpile = "国家備蓄石油製品の放出(%d件):%s。",
        .route = "道路啓開:優先啓開ルートが開通した方向 %d:%s。",
        .permit = "緊急交通路の通行標章を交付:%s。", .control_end = "緊急交通路の交通規制を解除。全車両が通行可能。",
        .dir = {"北", "北東", "東", "南東", "南", "南西", "西", "北西"},
        .decision = "プレーヤーの決定%d:%s。", .dec_note = "(%s)", .controller = "統制部",
        .dec = {"%sの出動を要請", "%sを優先度1〜%dの施設専用とする", "%sを優先度%dとする",
                "%sを通行止めとする", "%sを通行可能とする", "%sの%sを%.0f kL放出", "以後の配車を%sで行う"},
        .dec_stockpile = "国家備蓄石油製品を%.0f kL放出",
        .policy = {"優先順ルール", "最適化計画"},
    },
    [DRL_EN] = {
        .ds = {"no damage", "slight damage", "moderate damage", "extensive damage", "complete damage"},
        .comp = {"process units", "tanks", "berth", "lorry loading racks", "rail siding", "power intake"},
        .prod = {"gasoline", "diesel", "kerosene", "A-heavy oil"},
        .mode = {"Roads", "Fairways", "Rail lines", "Air routes"},
        .gate_clear = "awaiting inspection or clearance", .gate_repair = "damaged, under repair",
        .gate_tsunami = "flooded by the tsunami",
        .org = {"Exercise control (JMA bulletin)", "Prefecture disaster HQ", "Port authority",
                "Road administrator", "Rail operator (JR Freight)", "Petroleum Association of Japan (PAJ)",
                "SDF liaison", "Municipalities", "Terminal operators", "Disaster base hospitals",
                "Energy facility operators", "Agency for Natural Resources and Energy (ANRE)",
                "PAJ joint operations room", "Exercise players",
                "Prefectural police (traffic control)"},
        .pref_hq = "%s disaster HQ",
        .method = {"Broadcast (earthquake early warning)", "Phone", "Fax", "Disaster radio", "Email",
                   "Liaison in person", "Phone, then written request"},
        .objective = {"1 Initial response and a shared damage picture",
                      "2 Transport routes (fairway and road clearance)",
                      "3 Priority supply to critical users", "4 Coordination with the SDF and PAJ",
                      "5 Restoring supply capacity"},
        .action = {
            [A_SHOCK] = "Open the disaster HQ; establish contact with the energy facilities, the port authority, PAJ and the SDF liaison; start collecting damage reports.",
            [A_DAMAGE] = "Log the report; ask for the expected restart time and the stock that can be shipped; share with PAJ and the port authority.",
            [A_CLOSE_SEA] = "Ask for priority channel clearance of the fairways to refineries and terminals; plan deliveries by road until they reopen.",
            [A_CLOSE_ROAD] = "Route lorries over open emergency transport roads; ask for priority clearance; inform PAJ.",
            [A_CLOSE_RAIL] = "Agree replacements for rail deliveries (lorries, coastal tankers) with PAJ.",
            [A_REOPEN] = "Update the route plan; tell PAJ and the SDF liaison which routes are open.",
            [A_RESTART] = "PAJ: plan loading from this refinery. Disaster HQ: update the supply plan.",
            [A_FIRE] = "Fire service and operator: fight the fire, evacuate the surroundings. PAJ: move this site's loadings to other refineries and terminals.",
            [A_SERVICE] = "Update the list of working sources; PAJ adjusts its loading plans.",
            [A_LOW] = "Confirm stock and use; arrange a delivery through PAJ's priority supply; if none can arrive in time, consider a request to the SDF.",
            [A_LOW_GROUP] = "Allocate deliveries by priority; tell users when supply is expected.",
            [A_DRY] = "Arrange an emergency delivery (SDF or PAJ); cut generator load to essentials; prepare to move patients or functions.",
            [A_DRY_GROUP] = "Inform the public; direct emergency vehicles to the designated emergency fuel stations; keep priority deliveries first.",
            [A_REFILL] = "Confirm receipt and the next delivery; record how long the site was without fuel.",
            [A_BULK] = "PAJ: arrange a coastal tanker or rail delivery to the terminal; check berth and fairway status.",
            [A_MOB_SDF] = "SDF liaison: confirm the task, loading points and delivery priorities; report the expected arrival.",
            [A_MOB_PAJ] = "PAJ: arrange lorries and tankers under the agreement; report when they are available.",
            [A_READY] = "Assign the units to the priority list; confirm their loading points.",
            [A_PLAN] = "PAJ: activate the disaster supply cooperation plan; set up the joint operations room; collect each company's working sites and stock that can be shipped.",
            [A_ROOM] = "Prefectures: send priority supply requests through ANRE to the joint operations room; confirm the request form and contacts.",
            [A_RELAY] = "Joint operations room: assign the requests to designated depots and refineries, arrange lorries, report the expected deliveries to the prefectures.",
            [A_STOCKPILE] = "PAJ: plan loadings of the released national stockpile; check the designated depots' racks and the destinations.",
            [A_ROUTE] = "Tell PAJ and the SDF liaison which routes are open; route lorries over them and arrange emergency-vehicle passes.",
            [A_DECISION] = "Control: log the decision and its time; the injects after it follow from it.",
            [A_PERMIT] = "PAJ and the companies: send the permitted lorries over the emergency routes and re-plan those on detours.",
            [A_CONTROL_END] = "Re-plan every lorry's route: no more detours, shortest routes again."},
        .sep = "; ", .more = "and %d more",
        .out_of_service = "out of service", .capacity = "%.0f%% capacity",
        .out_because = "out of service: %s",
        .shock = "Main shock: %s. Strong shaking around Tokyo Bay; energy facilities are checking for damage.",
        .quake_mw = "%s, Mw %.1f",
        .damage = "%s reports: %s.",
        .damage_item = "%s: %s, %s", .damage_item_id = "%s (%s): %s, %s",
        .closure = "%s closed: %d (%s).", .reopen = "%s reopened: %d (%s).",
        .link_item = "%s–%s (%s)", .link_reason = "%s–%s (%s), %s",
        .restart = "%s: process units restored; production can restart.",
        .fire = "%s: fire broke out after the quake. The whole site is shut; no shipments for about %.0f days, until the regulator allows a restart.",
        .service = "Back in service: %s.", .service_item = "%s: %s", .service_item_id = "%s: %s (%s)",
        .low = "%s: %s stock below %.0f h of use; asks for %.1f kL.",
        .low_group = "Class %d users: %d below %.0f h of stock: %s.",
        .dry = "%s: %s has run out.",
        .dry_group = "Class %d users: %d ran out of fuel: %s.",
        .refill = "%s: %s delivered, stock now %.1f kL.",
        .refill_group = "Class %d users: %d resupplied: %s.",
        .point_item = "%s (%s)",
        .bulk = "Terminals asking for bulk resupply (%d): %s.", .bulk_item = "%s %s %.0f kL",
        .mob_sdf = "Request for disaster dispatch: fuel transport by %s.",
        .mob_paj = "Request under the disaster supply agreement: %s.",
        .mob_item = "%s ×%d",
        .ready = "Ready for tasking: %s.", .ready_item = "%s ×%d at %s",
        .plan = "ANRE to PAJ: activate the disaster supply cooperation plan.",
        .room = "PAJ: the joint operations room is open and takes priority supply requests.",
        .relay = "Class %d users: %d priority requests reached the joint operations room: %s.",
        .stockpile = "National product stockpile released (%d): %s.",
        .route = "Road clearance: first emergency route open in %d direction(s): %s.",
        .permit = "Passage permits for the emergency routes issued to %s.",
        .control_end = "Traffic control on the emergency routes lifted: every vehicle may use them.",
        .dir = {"north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"},
        .decision = "Player decision %d: %s.", .dec_note = " (%s)", .controller = "Exercise control",
        .dec = {"request %s now", "keep %s for priority classes 1-%d", "set %s to priority class %d",
                "close %s", "open %s", "release %3$.0f kL of %2$s at %1$s", "dispatch by %s from now"},
        .dec_stockpile = "release %.0f kL of the national product stockpile",
        .policy = {"greedy rules", "the optimiser"},
    },
};

/* Prefecture names as they may appear in demand.csv, for the receiving HQ. */
static const char *const pref_names[][2] = {
    {"Tokyo", "東京都"}, {"Kanagawa", "神奈川県"}, {"Chiba", "千葉県"}, {"Saitama", "埼玉県"},
    {"Ibaraki", "茨城県"}, {"Tochigi", "栃木県"}, {"Gunma", "群馬県"}, {"Yamanashi", "山梨県"},
    {"Shizuoka", "静岡県"}};

/* ---- trace rows ------------------------------------------------------------------ */

typedef struct Row {
    int line;                 /* line in the trace file */
    double t;
    Kind kind;
    int key;                  /* group within the kind; -1: never merged */
    int fac, comp, link, point, use, asset;   /* indices or -1 */
    int ds, product;
    double cap, kl;
    int gate;                 /* what holds it back, RstGate (link closures; components besides repair); -1 none */
    int action, dec_no;       /* decision: TrcAction, its number 1.. */
    double value;             /* decision: class or SupPolicy */
} Row;

typedef struct Group {
    Kind kind;
    int key;
    double t0;
    int *rows;
    int nrows, cap;
} Group;

/* The component id at facility fac, or -1. */
static int find_comp(const World *w, const char *id, int fac)
{
    int c = world_find_component(w, id);
    return c >= 0 && w->comp[c].facility == fac ? c : -1;
}

/* SDF fleets answer to the SDF liaison; every other fleet with a lead time
 * is arranged through PAJ (lorries, tankers, rail tank trains). */
static int asset_org(const World *w, int a)
{
    AssetType t = w->asset[a].type;
    return (t == ASSET_SDF_TRUCK || t == ASSET_SDF_HELICOPTER || t == ASSET_SDF_SHIP) ? ORG_SDF : ORG_PAJ;
}

/* Damage and restoration of a component (at its facility) or a link. */
static int read_outcome(const World *w, const TrcRow *t, int line, Row *r, char *err, size_t errlen)
{
    int damage = t->kind == TRC_DAMAGE;
    int fac = world_find_facility(w, t->place);
    int c = fac >= 0 && !(damage && t->is_link) ? find_comp(w, t->item, fac) : -1;
    if (c >= 0) {
        r->comp = c;
        r->fac = fac;
        if (damage) {
            r->ds = t->ds;
            r->cap = t->cap;
            r->gate = t->gate > RST_GATE_REPAIR ? t->gate : -1;
            r->kind = K_DAMAGE;
            r->key = fac;
        } else if (w->comp[c].kind == COMP_PROCESS && w->fac[fac].kind == FAC_REFINERY) {
            r->kind = K_RESTART;
        } else {
            r->kind = K_SERVICE;
            r->key = 0;
        }
        return 1;
    }
    int l = world_find_link(w, t->item);
    if (l < 0) {
        snprintf(err, errlen, "trace line %d: \"%s\" is neither a component of %s nor a link",
                 line, t->item, t->place);
        return -1;
    }
    r->link = l;
    r->kind = damage ? K_CLOSURE : K_REOPEN;
    r->key = (int)w->link[l].mode;
    r->gate = damage ? t->gate : -1;
    return 1;
}

/* Requests, outages and refills of demand points; bulk requests of depots. */
static int read_supply(const World *w, const TrcRow *t, int line, Row *r, char *err, size_t errlen)
{
    if (t->kind == TRC_REQUEST && t->flag) {
        r->fac = world_find_facility(w, t->place);
        if (r->fac < 0 || r->product < 0) goto unknown_place;
        r->kind = K_BULK;
        r->key = 0;
        return 1;
    }
    r->point = world_find_demand(w, t->place);
    if (r->point < 0 || r->product < 0) goto unknown_place;
    r->use = world_find_use(w, r->point, r->product);
    r->kind = t->kind == TRC_REQUEST ? K_LOW : t->kind == TRC_REFILL ? K_REFILL : K_DRY;
    int prio = w->dem[r->point].priority;
    /* outages of life-critical users are followed one by one; low stock
     * and the other classes' outages by class */
    r->key = prio <= 2 && r->kind != K_LOW ? -1 : prio;
    return 1;

unknown_place:
    snprintf(err, errlen, "trace line %d: unknown place \"%s\" or no product", line, t->place);
    return -1;
}

/* A priority request relayed to the joint operations room (per class), or
 * the stockpile released at a depot. */
static int read_chain(const World *w, const TrcRow *t, int line, Row *r, char *err, size_t errlen)
{
    if (t->kind == TRC_STOCKPILE) {
        r->fac = world_find_facility(w, t->place);
        r->kind = K_STOCKPILE;
        r->key = 0;
        if (r->fac >= 0 && r->product >= 0) return 1;
    } else {
        r->point = world_find_demand(w, t->place);
        r->kind = K_RELAY;
        if (r->point >= 0 && r->product >= 0) {
            r->use = world_find_use(w, r->point, r->product);
            r->key = w->dem[r->point].priority;
            return 1;
        }
    }
    snprintf(err, errlen, "trace line %d: unknown place \"%s\" or no product", line, t->place);
    return -1;
}

/* A player's decision (live drills): what it is about. */
static int read_decision(const World *w, const TrcRow *t, int line, Row *r, char *err, size_t errlen)
{
    r->kind = K_DECISION;
    r->action = t->action;
    r->dec_no = t->dec_no;
    r->value = t->value;
    int ok = 1;
    switch ((TrcAction)t->action) {
    case TRC_ACT_MOBILISE:
    case TRC_ACT_RESERVE: ok = (r->asset = world_find_asset(w, t->item)) >= 0; break;
    case TRC_ACT_PRIORITY: ok = (r->point = world_find_demand(w, t->item)) >= 0; break;
    case TRC_ACT_CLOSE:
    case TRC_ACT_OPEN: ok = (r->link = world_find_link(w, t->item)) >= 0; break;
    case TRC_ACT_RELEASE:
        if (strcmp(t->item, "stockpile") != 0) ok = (r->fac = world_find_facility(w, t->place)) >= 0 && r->product >= 0;
        break;
    default: break;
    }
    if (ok) return 1;
    snprintf(err, errlen, "trace line %d: unknown target \"%s\" of a decision", line, t->item);
    return -1;
}

/* Read one row into r; returns 1 if it makes an inject, 0 if ignored, -1
 * on an unreadable row (message in err). */
static int read_row(const World *w, char *text, int line, Row *r, char *err, size_t errlen)
{
    TrcRow t;
    char msg[256];
    if (trc_parse_line(text, &t, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "trace line %d: %s", line, msg);
        return -1;
    }
    memset(r, 0, sizeof *r);
    r->line = line;
    r->fac = r->comp = r->link = r->point = r->use = r->asset = -1;
    r->gate = -1;
    r->key = -1;
    r->t = t.time_h;
    r->product = t.product;
    r->kl = t.kl;
    switch (t.kind) {
    case TRC_EARTHQUAKE:
        r->kind = K_SHOCK;
        r->comp = world_find_quake(w, t.item);   /* the quake, kept in comp */
        return 1;
    case TRC_DAMAGE:
    case TRC_RESTORATION:
        return read_outcome(w, &t, line, r, err, errlen);
    case TRC_REQUEST:
    case TRC_DRY:
    case TRC_REFILL:
        return read_supply(w, &t, line, r, err, errlen);
    case TRC_MOBILISE:
    case TRC_MOBILISED:
    case TRC_PERMIT:
        r->asset = world_find_asset(w, t.item);
        if (r->asset < 0) {
            snprintf(err, errlen, "trace line %d: unknown fleet \"%s\"", line, t.item);
            return -1;
        }
        r->kind = t.kind == TRC_MOBILISED ? K_MOBILISED : t.kind == TRC_PERMIT ? K_PERMIT : K_MOBILISE;
        /* permits of every fleet at one hour make one inject */
        r->key = t.kind == TRC_PERMIT ? 0 : asset_org(w, r->asset);
        return 1;
    case TRC_FIRE:
        r->fac = world_find_facility(w, t.place);
        if (r->fac < 0) {
            snprintf(err, errlen, "trace line %d: unknown facility \"%s\"", line, t.place);
            return -1;
        }
        r->kind = K_FIRE;
        r->key = r->fac;
        r->kl = t.back_h;   /* kept for the message: when the site may restart */
        return 1;
    case TRC_MINISTRY_REQUEST:
    case TRC_JOINT_ROOM:
        r->kind = t.kind == TRC_MINISTRY_REQUEST ? K_PLAN : K_ROOM;
        return 1;
    case TRC_RELAY:
    case TRC_STOCKPILE:
        return read_chain(w, &t, line, r, err, errlen);
    case TRC_ROUTE_OPEN:
        r->kind = K_ROUTE;
        r->key = 0;
        for (int d = 0; d < RST_NDIR; d++)
            if (!strcmp(t.item, rst_dir_name[d])) r->comp = d;   /* the direction, kept in comp */
        if (r->comp < 0) {
            snprintf(err, errlen, "trace line %d: unknown direction \"%s\"", line, t.item);
            return -1;
        }
        return 1;
    case TRC_DECISION:
        return read_decision(w, &t, line, r, err, errlen);
    case TRC_CONTROL_END:
        r->kind = K_CONTROL_END;
        return 1;
    default:
        return 0;   /* trips: not injects */
    }
}

/* ---- rendering -------------------------------------------------------------------- */

typedef struct Render {
    const World *w;
    const Lang *L;
    DrlLang lang;
    const Row *rows;
    const DrlParams *par;
} Render;

static const char *fac_name(const Render *R, int f)
{
    return R->lang == DRL_JA ? R->w->fac[f].name_ja : R->w->fac[f].name_en;
}

static const char *dem_name(const Render *R, int d)
{
    return R->lang == DRL_JA ? R->w->dem[d].name_ja : R->w->dem[d].name_en;
}

static const char *place_name(const Render *R, int p)
{
    return p < R->w->nfac ? fac_name(R, p) : dem_name(R, p - R->w->nfac);
}

static const char *asset_name(const Render *R, int a)
{
    return R->lang == DRL_JA ? R->w->asset[a].name_ja : R->w->asset[a].name_en;
}

static char *pref_hq(const Render *R, int point)
{
    const char *p = R->w->dem[point].prefecture;
    const char *name = p;
    for (size_t i = 0; i < sizeof pref_names / sizeof pref_names[0]; i++)
        if (!strcmp(p, pref_names[i][0]) || !strcmp(p, pref_names[i][1]))
            name = pref_names[i][R->lang == DRL_JA ? 1 : 0];
    StrBuf b = {0};
    if (!name[0]) sb_printf(&b, "%s", R->L->org[ORG_PREF]);
    else sb_printf(&b, R->L->pref_hq, name);
    return sb_take(&b);
}

static const char *gate_text(const Render *R, int gate)
{
    switch (gate) {
    case RST_GATE_CLEARANCE: return R->L->gate_clear;
    case RST_GATE_REPAIR: return R->L->gate_repair;
    case RST_GATE_TSUNAMI: return R->L->gate_tsunami;
    default: return drl_gate_why[R->lang][gate] ? drl_gate_why[R->lang][gate] : rst_gate_name[gate];
    }
}

/* Append the items of a group (each through item()), at most DRL_MAX_LIST. */
typedef void (*ItemFn)(const Render *R, const Row *r, const Group *g, StrBuf *b);

static char *list_items(const Render *R, const Group *g, ItemFn item)
{
    StrBuf b = {0};
    int shown = g->nrows < DRL_MAX_LIST ? g->nrows : DRL_MAX_LIST;
    /* a group whose last slot would only hide one item shows it instead */
    if (g->nrows == DRL_MAX_LIST + 1) shown = g->nrows;
    for (int i = 0; i < shown; i++) {
        if (i) sb_printf(&b, "%s", R->L->sep);
        item(R, &R->rows[g->rows[i]], g, &b);
    }
    if (shown < g->nrows) {
        sb_printf(&b, "%s", R->L->sep);
        sb_printf(&b, R->L->more, g->nrows - shown);
    }
    return sb_take(&b);
}

static int comps_of_kind(const World *w, int fac, CompKind k)
{
    int n = 0;
    for (int c = 0; c < w->ncomp; c++) n += w->comp[c].facility == fac && w->comp[c].kind == k;
    return n;
}

static void item_damage(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    const Component *c = &R->w->comp[r->comp];
    char cap[160];
    /* undamaged (or lightly) but unusable: say what holds it back */
    if (r->cap <= 0 && r->gate > RST_GATE_REPAIR && drl_gate_why[R->lang][r->gate])
        snprintf(cap, sizeof cap, R->L->out_because, drl_gate_why[R->lang][r->gate]);
    else if (r->cap <= 0) snprintf(cap, sizeof cap, "%s", R->L->out_of_service);
    else snprintf(cap, sizeof cap, R->L->capacity, 100.0 * r->cap);
    /* name the component only where its kind alone is ambiguous */
    if (comps_of_kind(R->w, c->facility, c->kind) > 1)
        sb_printf(b, R->L->damage_item_id, R->L->comp[c->kind], c->id, R->L->ds[r->ds], cap);
    else
        sb_printf(b, R->L->damage_item, R->L->comp[c->kind], R->L->ds[r->ds], cap);
}

static void item_service(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    const Component *c = &R->w->comp[r->comp];
    if (comps_of_kind(R->w, c->facility, c->kind) > 1)
        sb_printf(b, R->L->service_item_id, fac_name(R, c->facility), R->L->comp[c->kind], c->id);
    else
        sb_printf(b, R->L->service_item, fac_name(R, c->facility), R->L->comp[c->kind]);
}

static void item_link(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    const Link *l = &R->w->link[r->link];
    if (g->kind == K_CLOSURE && r->gate >= 0)
        sb_printf(b, R->L->link_reason, place_name(R, l->from), place_name(R, l->to), l->id,
                  gate_text(R, r->gate));
    else
        sb_printf(b, R->L->link_item, place_name(R, l->from), place_name(R, l->to), l->id);
}

static void item_point(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    sb_printf(b, R->L->point_item, dem_name(R, r->point), R->L->prod[r->product]);
}

static void item_bulk(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    sb_printf(b, R->L->bulk_item, fac_name(R, r->fac), R->L->prod[r->product], r->kl);
}

static void item_dir(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    sb_printf(b, "%s", R->L->dir[r->comp]);
}

static void item_mobilise(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    sb_printf(b, R->L->mob_item, asset_name(R, r->asset), R->w->asset[r->asset].count);
}

static void item_ready(const Render *R, const Row *r, const Group *g, StrBuf *b)
{
    (void)g;
    const Asset *a = &R->w->asset[r->asset];
    sb_printf(b, R->L->ready_item, asset_name(R, r->asset), a->count, place_name(R, a->home));
}

/* The main shock's message: the quake's name, with its Mw unless the name
 * already gives a magnitude. */
static void shock_message(const Render *R, const Row *r0, StrBuf *msg)
{
    const World *w = R->w;
    const Earthquake *q = r0->comp >= 0 ? &w->quake[r0->comp] : NULL;
    const char *qname = q ? (R->lang == DRL_JA ? q->name_ja : q->name_en) : "?";
    StrBuf qn = {0};
    if (q && !strstr(qname, "Mw") && !strstr(qname, "M7") && !strstr(qname, "M8"))
        sb_printf(&qn, R->L->quake_mw, qname, q->mw);
    else
        sb_printf(&qn, "%s", qname);
    sb_printf(msg, R->L->shock, qn.s);
    free(qn.s);
}

/* Low stock, outage and refill of demand points: one point, or a class
 * (list of its items). Writes the message; returns the expected action. */
static int point_message(const Render *R, const Group *g, const char *list, StrBuf *msg)
{
    const Lang *L = R->L;
    const Row *r0 = &R->rows[g->rows[0]];
    double thr_h = R->w->request_threshold_d * 24.0;
    if (g->nrows == 1) {
        const char *pn = dem_name(R, r0->point), *prod = L->prod[r0->product];
        if (g->kind == K_LOW) sb_printf(msg, L->low, pn, prod, thr_h, r0->kl);
        else if (g->kind == K_DRY) sb_printf(msg, L->dry, pn, prod);
        else sb_printf(msg, L->refill, pn, prod, r0->kl);
        return g->kind == K_LOW ? A_LOW : g->kind == K_DRY ? A_DRY : A_REFILL;
    }
    if (g->kind == K_LOW) sb_printf(msg, L->low_group, g->key, g->nrows, thr_h, list);
    else if (g->kind == K_DRY) sb_printf(msg, L->dry_group, g->key, g->nrows, list);
    else sb_printf(msg, L->refill_group, g->key, g->nrows, list);
    return g->kind == K_LOW ? (g->key <= 2 ? A_LOW : A_LOW_GROUP) : g->kind == K_DRY ? A_DRY_GROUP : A_REFILL;
}

/* The chain of requests, the road-clearance plan and traffic control (first week): the
 * message, sender, receiver and the rest; returns the list it made, or NULL. */
static char *render_chain(const Render *R, const Group *g, StrBuf *mp, const char **fromp,
                          const char **top, int *methodp, int *objp, int *actp)
{
    const Lang *L = R->L;
    char *list = NULL;
    StrBuf msg = *mp;
    const char *from = NULL, *to = NULL;
    int method = M_PHONE, obj = OBJ_INITIAL, act = A_DAMAGE;
    switch (g->kind) {
    case K_PLAN:
    case K_ROOM:
        sb_printf(&msg, "%s", g->kind == K_PLAN ? L->plan : L->room);
        from = L->org[g->kind == K_PLAN ? ORG_ANRE : ORG_PAJ];
        to = L->org[g->kind == K_PLAN ? ORG_PAJ : ORG_PREF];
        method = M_WRITTEN; obj = OBJ_SDF_PAJ; act = g->kind == K_PLAN ? A_PLAN : A_ROOM;
        break;
    case K_RELAY:
        list = list_items(R, g, item_point);
        sb_printf(&msg, L->relay, g->key, g->nrows, list);
        from = L->org[ORG_ANRE]; to = L->org[ORG_ROOM];
        method = M_EMAIL; obj = OBJ_PRIORITY; act = A_RELAY;
        break;
    case K_STOCKPILE:
        list = list_items(R, g, item_bulk);
        sb_printf(&msg, L->stockpile, g->nrows, list);
        from = L->org[ORG_ANRE]; to = L->org[ORG_PAJ];
        method = M_WRITTEN; obj = OBJ_CAPACITY; act = A_STOCKPILE;
        break;
    case K_ROUTE:
        list = list_items(R, g, item_dir);
        sb_printf(&msg, L->route, g->nrows, list);
        from = L->org[ORG_ROAD]; to = L->org[ORG_PREF];
        method = M_FAX; obj = OBJ_ROUTES; act = A_ROUTE;
        break;
    case K_PERMIT:
        list = list_items(R, g, item_mobilise);
        sb_printf(&msg, L->permit, list);
        from = L->org[ORG_POLICE]; to = L->org[ORG_PAJ];
        method = M_FAX; obj = OBJ_ROUTES; act = A_PERMIT;
        break;
    case K_CONTROL_END:
        sb_printf(&msg, "%s", L->control_end);
        from = L->org[ORG_POLICE]; to = L->org[ORG_PREF];
        method = M_FAX; obj = OBJ_ROUTES; act = A_CONTROL_END;
        break;
    default:
        break;
    }
    *mp = msg;
    *fromp = from; *top = to; *methodp = method; *objp = obj; *actp = act;
    return list;
}

/* A player's decision: what was decided, and the player's note. */
static void decision_message(const Render *R, const Row *r0, StrBuf *msg)
{
    const Lang *L = R->L;
    StrBuf what = {0}, link = {0};
    int cls = (int)r0->value;
    switch ((TrcAction)r0->action) {
    case TRC_ACT_MOBILISE: sb_printf(&what, L->dec[r0->action], asset_name(R, r0->asset)); break;
    case TRC_ACT_RESERVE: sb_printf(&what, L->dec[r0->action], asset_name(R, r0->asset), cls); break;
    case TRC_ACT_PRIORITY: sb_printf(&what, L->dec[r0->action], dem_name(R, r0->point), cls); break;
    case TRC_ACT_CLOSE:
    case TRC_ACT_OPEN: {
        const Link *l = &R->w->link[r0->link];
        sb_printf(&link, L->link_item, place_name(R, l->from), place_name(R, l->to), l->id);
        sb_printf(&what, L->dec[r0->action], link.s);
        break;
    }
    case TRC_ACT_RELEASE:
        if (r0->fac >= 0) sb_printf(&what, L->dec[r0->action], fac_name(R, r0->fac), L->prod[r0->product], r0->kl);
        else sb_printf(&what, L->dec_stockpile, r0->kl);
        break;
    case TRC_ACT_POLICY: sb_printf(&what, L->dec[r0->action], L->policy[cls != 0]); break;
    default: break;
    }
    sb_printf(msg, L->decision, r0->dec_no, what.s ? what.s : "");
    const DrlParams *p = R->par;
    if (p->notes && r0->dec_no <= p->nnotes && p->notes[r0->dec_no - 1][0])
        sb_printf(msg, L->dec_note, p->notes[r0->dec_no - 1]);
    free(what.s);
    free(link.s);
}

/* The objective a decision serves. */
static int decision_objective(int action)
{
    switch ((TrcAction)action) {
    case TRC_ACT_CLOSE: case TRC_ACT_OPEN: return OBJ_ROUTES;
    case TRC_ACT_PRIORITY: return OBJ_PRIORITY;
    case TRC_ACT_RELEASE: return OBJ_CAPACITY;
    default: return OBJ_SDF_PAJ;
    }
}

/* Fill the text fields of an inject from its group. */
static void render(const Render *R, const Group *g, DrlInject *in)
{
    const Lang *L = R->L;
    const World *w = R->w;
    const Row *r0 = &R->rows[g->rows[0]];
    StrBuf msg = {0};
    char *list = NULL;
    const char *from = NULL, *to = L->org[ORG_PREF];
    char *from_own = NULL, *to_own = NULL;
    int method = M_PHONE, obj = OBJ_INITIAL, act = A_DAMAGE;

    switch (g->kind) {
    case K_SHOCK: {
        shock_message(R, r0, &msg);
        from = L->org[ORG_CONTROL]; method = M_BROADCAST; obj = OBJ_INITIAL; act = A_SHOCK;
        break;
    }
    case K_DAMAGE:
        list = list_items(R, g, item_damage);
        sb_printf(&msg, L->damage, fac_name(R, r0->fac), list);
        from = fac_name(R, r0->fac); method = M_PHONE; obj = OBJ_INITIAL; act = A_DAMAGE;
        break;
    case K_CLOSURE:
    case K_REOPEN: {
        int mode = w->link[r0->link].mode;
        list = list_items(R, g, item_link);
        sb_printf(&msg, g->kind == K_CLOSURE ? L->closure : L->reopen, L->mode[mode], g->nrows, list);
        from = L->org[mode == MODE_SEA ? ORG_PORT : mode == MODE_RAIL ? ORG_RAIL : ORG_ROAD];
        method = M_FAX; obj = OBJ_ROUTES;
        act = g->kind == K_REOPEN ? A_REOPEN
            : mode == MODE_SEA ? A_CLOSE_SEA : mode == MODE_RAIL ? A_CLOSE_RAIL : A_CLOSE_ROAD;
        break;
    }
    case K_FIRE:
        sb_printf(&msg, L->fire, fac_name(R, r0->fac), (r0->kl - r0->t) / 24.0);
        from = fac_name(R, r0->fac); to = L->org[ORG_PREF];
        method = M_PHONE; obj = OBJ_CAPACITY; act = A_FIRE;
        break;
    case K_RESTART:
        sb_printf(&msg, L->restart, fac_name(R, r0->fac));
        from = fac_name(R, r0->fac); to = L->org[ORG_PAJ];
        method = M_EMAIL; obj = OBJ_CAPACITY; act = A_RESTART;
        break;
    case K_SERVICE: {
        list = list_items(R, g, item_service);
        sb_printf(&msg, L->service, list);
        int one = 1;
        for (int i = 1; i < g->nrows; i++) one &= R->rows[g->rows[i]].fac == r0->fac;
        from = one ? fac_name(R, r0->fac) : L->org[ORG_OPERATORS];
        to = L->org[ORG_PAJ];
        method = M_EMAIL; obj = OBJ_CAPACITY; act = A_SERVICE;
        break;
    }
    case K_LOW:
    case K_DRY:
    case K_REFILL:
        obj = OBJ_PRIORITY;
        if (g->nrows == 1) {
            from = dem_name(R, r0->point);
            to = to_own = pref_hq(R, r0->point);
            method = g->kind == K_DRY ? M_RADIO : M_PHONE;
        } else {
            list = list_items(R, g, item_point);
            int hosp = 1;
            for (int i = 0; i < g->nrows; i++) hosp &= w->dem[R->rows[g->rows[i]].point].kind == DEM_HOSPITAL;
            from = L->org[hosp ? ORG_HOSPITALS : ORG_MUNI];
            method = M_PHONE;
        }
        act = point_message(R, g, list, &msg);
        break;
    case K_BULK: {
        list = list_items(R, g, item_bulk);
        sb_printf(&msg, L->bulk, g->nrows, list);
        int one = 1;
        for (int i = 1; i < g->nrows; i++) one &= R->rows[g->rows[i]].fac == r0->fac;
        from = one ? fac_name(R, r0->fac) : L->org[ORG_TERMINALS];
        to = L->org[ORG_PAJ];
        method = M_EMAIL; obj = OBJ_CAPACITY; act = A_BULK;
        break;
    }
    case K_MOBILISE:
        list = list_items(R, g, item_mobilise);
        sb_printf(&msg, g->key == ORG_SDF ? L->mob_sdf : L->mob_paj, list);
        from = L->org[ORG_PREF]; to = L->org[g->key];
        method = M_WRITTEN; obj = OBJ_SDF_PAJ; act = g->key == ORG_SDF ? A_MOB_SDF : A_MOB_PAJ;
        break;
    case K_PLAN:
    case K_ROOM:
    case K_RELAY:
    case K_STOCKPILE:
    case K_ROUTE:
    case K_PERMIT:
    case K_CONTROL_END:
        list = render_chain(R, g, &msg, &from, &to, &method, &obj, &act);
        break;
    case K_DECISION:
        decision_message(R, r0, &msg);
        from = L->org[ORG_PLAYERS]; to = L->controller;
        method = M_LIAISON; obj = decision_objective(r0->action); act = A_DECISION;
        break;
    case K_MOBILISED:
        list = list_items(R, g, item_ready);
        sb_printf(&msg, L->ready, list);
        from = L->org[g->key]; to = L->org[ORG_PREF];
        method = M_LIAISON; obj = OBJ_SDF_PAJ; act = A_READY;
        break;
    default:
        break;
    }
    in->message = sb_take(&msg);
    in->from = from_own ? from_own : xstrdup(from ? from : "");
    in->to = to_own ? to_own : xstrdup(to);
    in->method = xstrdup(L->method[method]);
    in->objective = xstrdup(L->objective[obj]);
    in->action = xstrdup(L->action[act]);
    free(list);
}

/* ---- building the list -------------------------------------------------------------- */

static int inject_cmp(const void *x, const void *y)
{
    const DrlInject *a = x, *b = y;
    if (a->time_h != b->time_h) return a->time_h < b->time_h ? -1 : 1;
    return a->lines[0] - b->lines[0];
}

DrlMsel *drl_msel_new(const World *w, const char *trace, size_t len, const DrlParams *p,
                      char *err, size_t errlen)
{
    Row *rows = NULL;
    int nrows = 0, caprows = 0;
    Group *g = NULL;
    int ng = 0, capg = 0;
    char *text = xmalloc(len + 1);
    memcpy(text, trace, len);
    text[len] = 0;

    /* rows, in trace order */
    int line = 0, bad = 0;
    char *s = text;
    while (*s && !bad) {
        char *nl = strchr(s, '\n');
        if (nl) *nl = 0;
        size_t n = strlen(s);
        if (n && s[n - 1] == '\r') s[n - 1] = 0;
        line++;
        if (line > 1 && s[0]) {
            xgrow((void **)&rows, &caprows, nrows + 1, sizeof *rows);
            int k = read_row(w, s, line, &rows[nrows], err, errlen);
            if (k < 0) bad = 1;
            else if (k > 0) nrows++;
        }
        if (!nl) break;
        s = nl + 1;
    }
    free(text);
    if (bad) { free(rows); return NULL; }

    /* a user's later requests are routine resupply: only the first one of
     * each user and product is an inject */
    unsigned char *asked = xcalloc((size_t)w->nuse + 1, 1);
    unsigned char *relayed = xcalloc((size_t)w->nuse + 1, 1);
    int kept = 0;
    for (int i = 0; i < nrows; i++) {
        if ((rows[i].kind == K_LOW || rows[i].kind == K_RELAY) && rows[i].use >= 0) {
            unsigned char *seen = rows[i].kind == K_LOW ? asked : relayed;
            if (seen[rows[i].use]) continue;
            seen[rows[i].use] = 1;
        }
        rows[kept++] = rows[i];
    }
    nrows = kept;
    free(asked);
    free(relayed);

    /* groups: a row joins the latest group of its kind and key that started
     * at most merge_h earlier */
    for (int i = 0; i < nrows; i++) {
        Row *r = &rows[i];
        int gi = -1;
        if (r->key >= 0)
            for (int j = ng - 1; j >= 0; j--)
                if (g[j].kind == r->kind && g[j].key == r->key) {
                    if (r->t <= g[j].t0 + p->merge_h + 1e-9) gi = j;
                    break;
                }
        if (gi < 0) {
            xgrow((void **)&g, &capg, ng + 1, sizeof *g);
            gi = ng++;
            memset(&g[gi], 0, sizeof g[gi]);
            g[gi].kind = r->kind;
            g[gi].key = r->key;
            g[gi].t0 = r->t;
        }
        xgrow((void **)&g[gi].rows, &g[gi].cap, g[gi].nrows + 1, sizeof *g[gi].rows);
        g[gi].rows[g[gi].nrows++] = i;
    }

    DrlMsel *m = xcalloc(1, sizeof *m);
    m->par = *p;
    m->n = ng;
    m->inj = xcalloc((size_t)ng + 1, sizeof *m->inj);
    Render R = {w, &lang_tab[p->lang], p->lang, rows, p};
    for (int j = 0; j < ng; j++) {
        DrlInject *in = &m->inj[j];
        in->kind = kind_key[g[j].kind];
        in->trace_time_h = g[j].t0;
        /* damage and closures are known once inspected and reported */
        int delayed = g[j].kind == K_DAMAGE || g[j].kind == K_CLOSURE;
        in->time_h = g[j].t0 + (delayed ? p->report_delay_h : 0);
        in->nlines = g[j].nrows;
        in->lines = xmalloc((size_t)g[j].nrows * sizeof *in->lines);
        for (int i = 0; i < g[j].nrows; i++) in->lines[i] = rows[g[j].rows[i]].line;
        render(&R, &g[j], in);
        free(g[j].rows);
    }
    free(g);
    free(rows);
    qsort(m->inj, (size_t)m->n, sizeof *m->inj, inject_cmp);
    for (int j = 0; j < m->n; j++) m->inj[j].id = j + 1;
    return m;
}

void drl_msel_free(DrlMsel *m)
{
    if (!m) return;
    for (int j = 0; j < m->n; j++) {
        DrlInject *in = &m->inj[j];
        free(in->from); free(in->to); free(in->method);
        free(in->message); free(in->action); free(in->objective);
        free(in->lines);
    }
    free(m->inj);
    free(m);
}

/* ---- output ------------------------------------------------------------------------ */

void drl_inject_id(const DrlInject *in, char *buf, size_t n)
{
    snprintf(buf, n, "INJ-%03d", in->id);
}

/* An inject's texts, the columns of msel.csv and keys of msel.json after
 * its id and times, in that order. */
enum { NTEXT = 6 };
static const char *const text_key[NTEXT] = {"from", "to", "method", "message", "expected_action",
                                            "objective"};

static void inject_texts(const DrlInject *in, const char *t[NTEXT])
{
    t[0] = in->from;
    t[1] = in->to;
    t[2] = in->method;
    t[3] = in->message;
    t[4] = in->action;
    t[5] = in->objective;
}

int drl_msel_write_csv(const DrlMsel *m, FILE *f)
{
    fprintf(f, "inject_id,scenario_time_h,exercise_time");
    for (int k = 0; k < NTEXT; k++) fprintf(f, ",%s", text_key[k]);
    fputc('\n', f);
    for (int j = 0; j < m->n; j++) {
        const DrlInject *in = &m->inj[j];
        char id[32], iso[40];
        drl_inject_id(in, id, sizeof id);
        drl_format_iso(drl_exercise_s(&m->par, in->time_h), iso, sizeof iso);
        fprintf(f, "%s,%.2f,%s,", id, in->time_h, iso);
        const char *t[NTEXT];
        inject_texts(in, t);
        for (int k = 0; k < NTEXT; k++) {
            csv_put_field(f, t[k]);
            fputc(k == NTEXT - 1 ? '\n' : ',', f);
        }
    }
    return ferror(f) ? -1 : 0;
}

char *drl_msel_json(const DrlMsel *m, const char *meta_json)
{
    cJSON *root = json_new_with_meta(meta_json);
    cJSON *arr = cJSON_AddArrayToObject(root, "injects");
    for (int j = 0; j < m->n; j++) {
        const DrlInject *in = &m->inj[j];
        char id[32], iso[40];
        drl_inject_id(in, id, sizeof id);
        drl_format_iso(drl_exercise_s(&m->par, in->time_h), iso, sizeof iso);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "inject_id", id);
        cJSON_AddNumberToObject(o, "scenario_time_h", in->time_h);
        cJSON_AddStringToObject(o, "exercise_time", iso);
        const char *t[NTEXT];
        inject_texts(in, t);
        for (int k = 0; k < NTEXT; k++) cJSON_AddStringToObject(o, text_key[k], t[k]);
        cJSON_AddStringToObject(o, "kind", in->kind);
        cJSON_AddNumberToObject(o, "trace_time_h", in->trace_time_h);
        cJSON *lines = cJSON_AddArrayToObject(o, "trace_lines");
        for (int i = 0; i < in->nlines; i++) cJSON_AddItemToArray(lines, cJSON_CreateNumber(in->lines[i]));
        cJSON_AddItemToArray(arr, o);
    }
    char *out = json_take_text(root);
    return out;
}
