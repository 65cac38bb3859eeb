/* The report of an output folder: the page's strings in English and
 * Japanese, OUT/report.html (header, headline table and footer; the map is
 * in report_map.c, the charts in report_chart.c) and OUT/network.geojson,
 * drawn from what report_read.c read from OUT. */
#include "report.h"

#include "report_int.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings ------------------------------------------------------------- */

/* Each string in English, then Japanese. */
static const char *const strs[NSTR][2] = {
    [S_TITLE] = {"Fuel supply after the earthquake", "地震後の燃料供給"},
    [S_EARTHQUAKE] = {"Earthquake", "地震"},
    [S_NO_QUAKE] = {"no earthquake (normal times)", "地震なし(平常時)"},
    [S_REPLICATES] = {"replicates", "試行"},
    [S_REPLICATE] = {"replicate", "試行番号"},
    [S_SEED] = {"seed", "乱数シード"},
    [S_POLICY] = {"dispatch", "配車方式"},
    [S_HORIZON] = {"horizon", "期間"},
    [S_HEADLINE] = {"Headline figures", "主要指標"},
    [S_METRIC] = {"metric", "指標"},
    [S_MEAN] = {"mean", "平均"},
    [S_CI95] = {"95% CI of the mean", "平均の95%信頼区間"},
    [S_VALUE] = {"value", "値"},
    [S_UNIT] = {"unit", "単位"},
    [S_M_WS] = {"weighted shortfall", "加重供給不足量"},
    [S_M_DRY1] = {"class-1 dry hours", "優先区分1の欠乏時間"},
    [S_M_T90] = {"time to 90% supply", "供給90%回復までの時間"},
    [S_M_RLOSS] = {"resilience loss", "レジリエンス損失"},
    [S_M_UNSERVED] = {"unserved, class", "供給不足量 区分"},
    [S_U_WS] = {"weight × kL", "重み × kL"},
    [S_U_POINTH] = {"point-h", "地点・時間"},
    [S_U_H] = {"h", "時間"},
    [S_U_KL] = {"kL", "kL"},
    [S_MAP] = {"Map", "地図"},
    [S_MAP_NOTE_SWEEP] = {"Facilities coloured by the probability that their worst component is "
        "extensively or completely damaged, over the replicates.",
        "施設の色は、最も被害の大きい構成要素が大破以上(extensive または complete)となる確率(全試行)。"},
    [S_MAP_NOTE_RUN] = {"Facilities coloured by the worst damage state of their components in this replicate.",
        "施設の色は、この試行での構成要素の最大被害状態。"},
    [S_P_EXT] = {"P(extensive or complete damage)", "大破以上の確率"},
    [S_DS_RUN] = {"damage state (worst component)", "被害状態(最大の構成要素)"},
    [S_NO_COMP] = {"no components / no data", "構成要素なし・データなし"},
    [S_DEMAND] = {"demand point, priority class", "需要点(優先区分)"},
    [S_WAYPOINT] = {"waypoint / hub", "経由点・結節点"},
    [S_ROAD] = {"road", "道路"},
    [S_SEA] = {"sea lane", "航路"},
    [S_RAIL] = {"rail", "鉄道"},
    [S_AIR] = {"air", "航空"},
    [S_LINK_P] = {"links: P(closure)", "経路: 閉塞の確率"},
    [S_LINK_CLOSED] = {"links closed after the shock, for", "地震後の経路閉塞の期間"},
    [S_LINK_NODATA] = {"(closure probability not in the outputs)", "(閉塞確率は出力にない)"},
    [S_RUPTURE] = {"fault rupture (surface projection)", "断層面(地表投影)"},
    [S_EPICENTRE] = {"epicentre", "震央"},
    [S_OUTSIDE] = {"beyond the map edge (drawn at the edge)", "地図の範囲外(縁に表示)"},
    [S_QUAKE_OUTSIDE] = {"Earthquake source outside the map", "震源は地図の範囲外"},
    [S_NO_COAST] = {"No coastline file was found: the map shows the network only.", "海岸線のファイルが見つからないため、ネットワークのみを表示。"},
    [S_COAST_CREDIT] = {"Coastline: Made with Natural Earth (public domain).",
        "海岸線: Made with Natural Earth(パブリックドメイン)。"},
    [S_LON] = {"longitude (°E)", "経度 (°E)"},
    [S_LAT] = {"latitude (°N)", "緯度 (°N)"},
    [S_KM] = {"km", "km"},
    [S_FAN] = {"Served fraction by priority class", "優先区分別の供給充足率"},
    [S_FAN_RUN] = {"Served fraction by priority class (this replicate)", "優先区分別の供給充足率(この試行)"},
    [S_HOURS] = {"hours after the main shock (h)", "本震からの経過時間 (h)"},
    [S_SERVED] = {"served fraction (%)", "供給充足率 (%)"},
    [S_BAND] = {"P10–P90 over replicates", "全試行の P10–P90"},
    [S_MEDIAN] = {"median (P50)", "中央値 (P50)"},
    [S_THIS_REP] = {"this replicate", "この試行"},
    [S_CLASS] = {"class", "区分"},
    [S_ALL] = {"all demand", "全需要"},
    [S_HIST] = {"Weighted shortfall over the replicates", "加重供給不足量の分布(全試行)"},
    [S_HIST_X] = {"weighted shortfall (weight × kL)", "加重供給不足量 (重み × kL)"},
    [S_HIST_Y] = {"replicates (count)", "試行数 (件)"},
    [S_P90] = {"P90", "P90"},
    [S_RST] = {"Restoration time by facility and berth", "施設・バース別の復旧時間"},
    [S_RST_RUN] = {"Restoration time by facility (this replicate)", "施設別の復旧時間(この試行)"},
    [S_RST_X] = {"time until back at full capacity (h, log scale)", "全能力に戻るまでの時間 (h, 対数目盛)"},
    [S_RST_P5P95] = {"P5–P95", "P5–P95"},
    [S_RST_P50P90] = {"P50–P90", "P50–P90"},
    [S_RST_P50] = {"P50", "P50"},
    [S_RST_VALUE] = {"restoration time", "復旧時間"},
    [S_BERTH] = {"berth", "バース"},
    [S_NOT_RESTORED] = {"no damage, or back at once: not shown", "被害なし・即時復旧の施設は省略"},
    [S_GANTT] = {"Asset trips", "輸送手段の運行"},
    [S_GANTT_Y] = {"unit (fleet #unit)", "車両・船舶(フリート #番号)"},
    [S_GANTT_SHOWN] = {"units shown", "表示した単位"},
    [S_MOBILISING] = {"mobilising (request to ready)", "動員中(要請から準備完了まで)"},
    [S_UNLOAD] = {"delivery (unload)", "荷下ろし(配送)"},
    [S_MSEL] = {"Drill inject timeline", "訓練インジェクトの時系列"},
    [S_MSEL_T] = {"scenario time (h after the main shock)", "シナリオ時間(本震からの時間 h)"},
    [S_INJECT] = {"inject", "インジェクト"},
    [S_FROM_TO] = {"from → to", "発信 → 受信"},
    [S_MESSAGE] = {"message", "内容"},
    [S_EXPECTED] = {"expected action", "期待される対応"},
    [S_EX_TIME] = {"exercise time (+09:00)", "訓練時刻 (日本時間)"},
    [S_COMPARE] = {"Investment options", "投資案の比較"},
    [S_CMP_WS] = {"weighted shortfall avoided (weight × kL, mean, 95% CI)", "回避された加重供給不足量 (重み × kL, 平均, 95%信頼区間)"},
    [S_CMP_KL] = {"unserved fuel avoided (kL, mean, 95% CI)", "回避された供給不足量 (kL, 平均, 95%信頼区間)"},
    [S_CMP_DRY] = {"class-1 dry hours avoided (point-h, mean, 95% CI)", "回避された区分1欠乏時間 (地点・時間, 平均, 95%信頼区間)"},
    [S_CMP_YEN_WKL] = {"yen per weighted kL avoided", "回避した加重1kLあたりの費用 (円)"},
    [S_CMP_COST] = {"cost", "費用"},
    [S_CMP_RANK] = {"rank", "順位"},
    [S_CMP_OPTION] = {"option", "投資案"},
    [S_CMP_YEN_KL] = {"yen per kL avoided", "回避1kLあたりの費用 (円)"},
    [S_CMP_NOTE] = {"Paired on common random numbers against the baseline.", "共通乱数による基準ケースとの対比較。"},
    [S_FILES] = {"Drawn from", "出典ファイル"},
    [S_NOTHING] = {"nothing to show", "表示するデータなし"},
    [S_CLASS1] = {"class 1 (life-critical)", "区分1(人命に直結)"},
    [S_CLASS2] = {"class 2", "区分2"},
    [S_CLASS3] = {"class 3", "区分3"},
    [S_CLASS4] = {"class 4 (public service stations)", "区分4(一般向け給油所)"},
};

const char *rpt_str(const RptData *d, RptStr s)
{
    const char *t = strs[s][d->ja ? 1 : 0];
    return t ? t : strs[s][0] ? strs[s][0] : "";
}

const char *rpt_name(const RptData *d, const char *en, const char *ja, const char *id)
{
    const char *a = d->ja ? ja : en, *b = d->ja ? en : ja;
    if (a && *a) return a;
    if (b && *b) return b;
    return id ? id : "";
}

double rpt_fac_pext(const RptData *d, int f)
{
    if (d->sweep && d->fac_pds) {
        double a = d->fac_pds[f * NDS + DS_EXTENSIVE], b = d->fac_pds[f * NDS + DS_COMPLETE];
        if (!isnan(a) && !isnan(b)) return a + b;
    }
    if (d->fac_ds && d->fac_ds[f] >= 0) return d->fac_ds[f] >= DS_EXTENSIVE ? 1.0 : 0.0;
    return NAN;
}

/* ---- the page -------------------------------------------------------------------- */

static const char page_css[] =
    "body{font-family:\"Noto Sans CJK JP\",\"Hiragino Sans\",\"Yu Gothic\",Meiryo,\"DejaVu Sans\","
    "Arial,sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#222;background:#fff}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 8px;border-bottom:1px solid #ccc}\n"
    ".sub{color:#444;margin:0 0 16px;font-size:14px}section{margin:28px 0}\n"
    "svg{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#333}\n"
    "svg .ttl{font-size:12px;font-weight:bold}\n"
    "table{border-collapse:collapse;font-size:13px;margin:4px 0}"
    "td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}"
    "th{background:#f4f4f4}td.l,th.l{text-align:left}\n"
    "table.msel{width:100%;font-size:11px}table.msel td:nth-child(4){width:20%}td.nw{white-space:nowrap}"
    ".kind{white-space:nowrap;margin-right:10px}\n"
    "table.validation{font-size:11px}table.validation td.src{font-size:10px;color:#555;max-width:260px}"
    "table.validation tr.out td:first-child{color:#b52b27;font-weight:bold}.vstrip{display:inline}\n"
    ".note{font-size:12px;color:#555;margin:4px 0}footer{font-size:11px;color:#666;"
    "border-top:1px solid #ccc;margin-top:32px;padding-top:6px}\n"
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{margin:0;max-width:none;padding:0}section{break-inside:avoid;"
    "page-break-inside:avoid}section.long{break-inside:auto;page-break-inside:auto}"
    "h2{break-after:avoid}tr{break-inside:avoid}section+section:not(#map){break-before:page}"
    "footer{break-before:avoid}}\n";

static const char *quake_name(const RptData *d)
{
    if (d->quake >= 0) {
        const Earthquake *q = &d->w->quake[d->quake];
        return rpt_name(d, q->name_en, q->name_ja, q->id);
    }
    return d->quake_id && strcmp(d->quake_id, "none") != 0 ? d->quake_id : rpt_str(d, S_NO_QUAKE);
}

static void headline(StrBuf *b, const RptData *d)
{
    static const RptStr name[NRM] = {S_M_WS, S_M_DRY1, S_M_T90, S_M_RLOSS,
                                     S_M_UNSERVED, S_M_UNSERVED, S_M_UNSERVED, S_M_UNSERVED};
    static const RptStr unit[NRM] = {S_U_WS, S_U_POINTH, S_U_H, S_U_H, S_U_KL, S_U_KL, S_U_KL, S_U_KL};
    int any = 0;
    for (int k = 0; k < NRM; k++) any |= d->sweep ? d->metric[k].have : !isnan(d->run_metric[k]);
    if (!any || (!d->sweep && !d->run)) return;
    svg_printf(b, "<section id=\"headline\"><h2>%s</h2>\n<table class=\"headline\"><tr><th class=\"l\">%s</th>"
                  "<th class=\"l\">%s</th>", rpt_str(d, S_HEADLINE), rpt_str(d, S_METRIC), rpt_str(d, S_UNIT));
    if (d->sweep)
        svg_printf(b, "<th>%s</th><th>%s</th><th>P50</th><th>P90</th><th>P99</th></tr>\n",
                   rpt_str(d, S_MEAN), rpt_str(d, S_CI95));
    else
        svg_printf(b, "<th>%s</th></tr>\n", rpt_str(d, S_VALUE));
    for (int k = 0; k < NRM; k++) {
        char label[96];
        if (k >= RM_UNSERVED1) snprintf(label, sizeof label, "%s %d", rpt_str(d, name[k]), k - RM_UNSERVED1 + 1);
        else snprintf(label, sizeof label, "%s", rpt_str(d, name[k]));
        char a[32], lo[32], hi[32], p50[32], p90[32], p99[32];
        if (d->sweep) {
            const RptStat *s = &d->metric[k];
            if (!s->have) continue;
            svg_printf(b, "<tr data-metric=\"%s\"><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s</td>"
                          "<td>%s – %s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                       rpt_metric_key[k], label, rpt_str(d, unit[k]), svg_fmt_num(a, sizeof a, s->mean),
                       svg_fmt_num(lo, sizeof lo, s->ci_lo), svg_fmt_num(hi, sizeof hi, s->ci_hi),
                       svg_fmt_num(p50, sizeof p50, s->p50), svg_fmt_num(p90, sizeof p90, s->p90),
                       svg_fmt_num(p99, sizeof p99, s->p99));
        } else {
            if (isnan(d->run_metric[k])) continue;
            svg_printf(b, "<tr data-metric=\"%s\"><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%s</td></tr>\n",
                       rpt_metric_key[k], label, rpt_str(d, unit[k]), svg_fmt_num(a, sizeof a, d->run_metric[k]));
        }
    }
    sb_puts(b, "</table></section>\n");
}

/* What made the outputs (their recorded provenance, else this program) and
 * the scenario read now; a note when its files differ from those OUT was
 * made from. */
static void provenance(StrBuf *b, const RptData *d)
{
    const RptOptions *o = d->ropt;
    const char *ver = d->made_version ? d->made_version : o && o->version ? o->version : "unknown";
    const char *com = d->made_commit ? d->made_commit : o && o->commit ? o->commit : "unknown";
    svg_printf(b, "<p id=\"provenance\">%s: fuelsim %s (commit %s)", d->ja ? "作成" : "Made by", ver, com);
    if (d->made_cmd) svg_printf(b, " · %s: <code>%s</code>", d->ja ? "コマンド" : "command", d->made_cmd);
    if (d->have_seed) svg_printf(b, " · %s %.0f", rpt_str(d, S_SEED), d->seed);
    svg_printf(b, " · %s SHA-256 <code>%s</code>", d->ja ? "シナリオファイル" : "scenario files",
               d->made_sha ? d->made_sha : d->w->fingerprint);
    if (d->made_sha && strcmp(d->made_sha, d->w->fingerprint) != 0)
        svg_printf(b, " · %s <code>%s</code>",
                   d->ja ? "注意: 現在のシナリオファイルは異なる:" : "note: the scenario files read now differ:",
                   d->w->fingerprint);
    sb_puts(b, "</p>");
}

static char *page(const RptData *d, const char *files)
{
    const World *w = d->w;
    StrBuf b = {0};
    const char *scen = rpt_name(d, w->name_en, w->name_ja, w->id);
    svg_printf(&b, "<!DOCTYPE html>\n<html lang=\"%r\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; img-src data:\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>%s: %s</title>\n<style>\n%r</style>\n</head>\n<body>\n",
               d->ja ? "ja" : "en", rpt_str(d, S_TITLE), scen, page_css);
    /* a hindcast folder holds only the validation table: no map of "no earthquake" */
    int only_valid = d->valid && !d->sweep && !d->run && d->ninj == 0 && d->nopt == 0;
    if (only_valid) {
        svg_printf(&b, "<header><h1 id=\"title\">%s: %s</h1></header>\n", rpt_str(d, S_TITLE), scen);
        rpt_sec_valid(&b, d);
        svg_printf(&b, "<footer>%s: %s.</footer>\n</body>\n</html>\n", rpt_str(d, S_FILES), files);
        return sb_take(&b);
    }
    svg_printf(&b, "<header><h1 id=\"title\">%s: %s</h1>\n<p class=\"sub\" id=\"subtitle\">%s: %s",
               rpt_str(d, S_TITLE), scen, rpt_str(d, S_EARTHQUAKE), quake_name(d));
    if (d->quake >= 0) svg_printf(&b, " (Mw %.1f, %s)", w->quake[d->quake].mw, w->quake[d->quake].id);
    if (!isnan(d->nrep)) svg_printf(&b, " · %.0f %s", d->nrep, rpt_str(d, S_REPLICATES));
    else if (!isnan(d->rep)) svg_printf(&b, " · %s %.0f", rpt_str(d, S_REPLICATE), d->rep);
    if (isnan(d->nrep) && d->pick && !isnan(d->npick)) {
        if (d->ja) svg_printf(&b, " (%.0f 試行の %s)", d->npick, d->pick);
        else svg_printf(&b, " (%s of %.0f)", d->pick, d->npick);
    }
    if (d->have_seed) svg_printf(&b, " · %s %.0f", rpt_str(d, S_SEED), d->seed);
    if (d->policy) svg_printf(&b, " · %s: %s", rpt_str(d, S_POLICY), d->policy);
    svg_printf(&b, " · %s %g h · %s: %s</p></header>\n", rpt_str(d, S_HORIZON), d->horizon_h,
               d->ja ? "シナリオ" : "scenario", w->id);
    headline(&b, d);
    /* a plan folder alone has no damage to map: its flows are its map */
    if (!d->plan || d->sweep || d->run) rpt_sec_map(&b, d);
    rpt_sec_plan(&b, d);
    rpt_sec_fan(&b, d);
    rpt_sec_hist(&b, d);
    rpt_sec_restore(&b, d);
    rpt_sec_gantt(&b, d);
    rpt_sec_branch(&b, d);
    rpt_sec_msel(&b, d);
    rpt_sec_compare(&b, d);
    rpt_sec_frontier(&b, d);
    rpt_sec_valid(&b, d);
    svg_printf(&b, "<footer>%s: %s. fuelsim report, %s.", rpt_str(d, S_FILES), files,
               d->ja ? "オフラインで閲覧可能な単一ファイル" : "one self-contained file, readable offline");
    if (d->have_coast) svg_printf(&b, " %s", rpt_str(d, S_COAST_CREDIT));
    provenance(&b, d);
    sb_puts(&b, "</footer>\n</body>\n</html>\n");
    return sb_take(&b);
}

/* ---- network.geojson ---------------------------------------------------------------- */

static void add_pds(cJSON *p, const double *pds)
{
    for (int k = 0; k < NDS; k++) {
        char key[32];
        snprintf(key, sizeof key, "p_%s", world_ds_name[k]);
        if (!isnan(pds[k])) cJSON_AddNumberToObject(p, key, pds[k]);
    }
}

static void add_stat(cJSON *p, const char *pre, const RptStat *s)
{
    if (!s->have) return;
    const double v[6] = {s->mean, s->p5, s->p50, s->p90, s->p95, s->p99};
    static const char *const suf[6] = {"mean", "p5", "p50", "p90", "p95", "p99"};
    for (int i = 0; i < 6; i++) {
        char key[64];
        snprintf(key, sizeof key, "%s_%s", pre, suf[i]);
        if (!isnan(v[i])) cJSON_AddNumberToObject(p, key, v[i]);
    }
}

static void add_str(cJSON *p, const char *key, const char *v)
{
    if (v) cJSON_AddStringToObject(p, key, v);
}

/* A point feature with the properties every facility and demand point has; returns its
   properties object (owned by FC). */
static cJSON *add_place(cJSON *fc, double lon, double lat, const char *layer, const char *id,
                        const char *name_en, const char *name_ja, const char *kind)
{
    cJSON *p = gj_add_point(fc, lon, lat);
    cJSON_AddStringToObject(p, "layer", layer);
    cJSON_AddStringToObject(p, "id", id);
    add_str(p, "name_en", name_en);
    add_str(p, "name_ja", name_ja);
    cJSON_AddStringToObject(p, "kind", kind);
    return p;
}

static int write_geojson(const char *path, const RptData *d, const char *scen_dir)
{
    const World *w = d->w;
    cJSON *fc = gj_collection_new();
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddStringToObject(meta, "scenario", w->id);
    if (scen_dir) cJSON_AddStringToObject(meta, "scenario_dir", scen_dir);
    if (d->quake_id) cJSON_AddStringToObject(meta, "quake", d->quake_id);
    if (d->have_seed) cJSON_AddNumberToObject(meta, "seed", d->seed);
    if (d->sweep && !isnan(d->nrep)) cJSON_AddNumberToObject(meta, "replicates", d->nrep);
    if (!isnan(d->rep)) cJSON_AddNumberToObject(meta, "rep", d->rep);
    cJSON_AddItemToObject(fc, "fuelsim", meta);
    for (int f = 0; f < w->nfac; f++) {
        const Facility *x = &w->fac[f];
        cJSON *p = add_place(fc, x->lon, x->lat, "facility", x->id, x->name_en, x->name_ja,
                             world_fac_kind_name[x->kind]);
        add_str(p, "operator", x->operator_);
        double pe = rpt_fac_pext(d, f);
        if (d->sweep && d->fac_pds) {
            add_pds(p, d->fac_pds + f * NDS);
            if (!isnan(pe)) cJSON_AddNumberToObject(p, "p_extensive_or_complete", pe);
            add_stat(p, "restore_h", &d->fac_rst[f]);
        }
        if (d->fac_ds && d->fac_ds[f] >= 0) cJSON_AddStringToObject(p, "damage_state", world_ds_name[d->fac_ds[f]]);
        if (d->fac_rst_h && !isnan(d->fac_rst_h[f])) cJSON_AddNumberToObject(p, "restore_h", d->fac_rst_h[f]);
        if (d->sweep && d->comp_rst) {
            /* berths of the facility, as nested properties */
            cJSON *berths = NULL;
            for (int k = 0; k < w->ncomp; k++) {
                if (w->comp[k].facility != f || w->comp[k].kind != COMP_BERTH || !d->comp_rst[k].have) continue;
                if (!berths) berths = cJSON_AddObjectToObject(p, "berths");
                cJSON *bo = cJSON_AddObjectToObject(berths, w->comp[k].id);
                add_pds(bo, d->comp_pds + k * NDS);
                add_stat(bo, "restore_h", &d->comp_rst[k]);
            }
        }
    }
    for (int i = 0; i < w->ndem; i++) {
        const DemandPoint *x = &w->dem[i];
        cJSON *p = add_place(fc, x->lon, x->lat, "demand", x->id, x->name_en, x->name_ja,
                             world_dem_kind_name[x->kind]);
        cJSON_AddNumberToObject(p, "priority", x->priority);
        add_str(p, "prefecture", x->prefecture);
    }
    for (int l = 0; l < w->nlink; l++) {
        const Link *x = &w->link[l];
        double ll[4];
        world_place_latlon(w, x->from, &ll[1], &ll[0]);
        world_place_latlon(w, x->to, &ll[3], &ll[2]);
        cJSON *p = gj_add_line(fc, ll, 2);
        cJSON_AddStringToObject(p, "layer", "link");
        cJSON_AddStringToObject(p, "id", x->id);
        cJSON_AddStringToObject(p, "mode", world_mode_name[x->mode]);
        cJSON_AddStringToObject(p, "from", world_place_id(w, x->from));
        cJSON_AddStringToObject(p, "to", world_place_id(w, x->to));
        cJSON_AddNumberToObject(p, "distance_km", x->distance_km);
        cJSON_AddNumberToObject(p, "time_h", x->time_h);
        if (x->mode == MODE_ROAD) cJSON_AddBoolToObject(p, "emergency_road", x->emergency_road != 0);
        cJSON_AddNumberToObject(p, "clear_h", x->clear_h);
        if (d->link_p && !isnan(d->link_p[l])) cJSON_AddNumberToObject(p, "p_closed", d->link_p[l]);
        if (d->link_closed_h) {
            double t = d->link_closed_h[l];
            cJSON_AddBoolToObject(p, "closed", t > 0);
            /* JSON has no infinity: a link still closed at the horizon has no reopen time */
            if (t > 0 && isfinite(t)) cJSON_AddNumberToObject(p, "reopen_h", t);
        }
    }
    int rc = gj_write(path, fc);
    cJSON_Delete(fc);
    return rc;
}

/* Both files; an exit code after any message. */
static int write_outputs(const char *out_dir, const RptData *d, const char *files, const char *prog)
{
    const World *w = d->w;
    char *html = page(d, files);
    char *p_html = path_join(out_dir, "report.html"), *p_gj = path_join(out_dir, "network.geojson");
    int bad = out_write_string(p_html, html) != 0;
    const char *failed = p_html;
    if (!bad) {
        /* as given on the command line: no path of this machine leaves it */
        bad = write_geojson(p_gj, d, w->dir && w->dir[0] ? w->dir : NULL) != 0;
        failed = p_gj;
    }
    if (bad) fprintf(stderr, "%s: cannot write %s: %s\n", prog, failed, strerror(errno));
    free(html);
    free(p_html);
    free(p_gj);
    return bad ? 1 : 0;
}

/* ---- entry points -------------------------------------------------------------------- */

void rpt_options_default(RptOptions *o)
{
    o->lang = "en";
    o->prog = "fuelsim report";
    o->coastline = NULL;
    o->version = o->commit = NULL;
}

int rpt_write(const char *out_dir, const World *w, const RptOptions *opt)
{
    RptOptions def;
    rpt_options_default(&def);
    const RptOptions *o = opt ? opt : &def;
    const char *prog = o->prog ? o->prog : def.prog;
    RptData d;
    rpt_data_init(&d, w, o->lang && strcmp(o->lang, "ja") == 0);
    d.ropt = o;
    char *files = NULL;
    int rc = rpt_read(&d, out_dir, prog, &files);
    if (rc == 0) {
        rpt_read_coast(&d, o->coastline, prog);
        rc = write_outputs(out_dir, &d, files, prog);
    }
    free(files);
    rpt_data_free(&d);
    return rc;
}
