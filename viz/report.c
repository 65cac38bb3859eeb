/* The report of an output folder: reads what the commands wrote into OUT
 * (sweep, run, drill and compare files), checks it belongs to the World it
 * is given, and writes OUT/report.html (the page; the charts are in
 * report_chart.c) and OUT/network.geojson. Reading is streaming for the
 * large CSV files so that a 10,000-replicate sweep or a long trace does not
 * need their text in memory. */
#include "report.h"

#include "report_int.h"
#include "trace.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const rpt_metric_key[NRM] = {
    "weighted_shortfall", "dry_hours_class1", "t90_supply_h", "resilience_loss",
    "unserved_kl_class1", "unserved_kl_class2", "unserved_kl_class3", "unserved_kl_class4"};

/* ---- strings ------------------------------------------------------------- */

static const char *const str_en[NSTR] = {
    [S_TITLE] = "Fuel supply after the earthquake",
    [S_EARTHQUAKE] = "Earthquake", [S_NO_QUAKE] = "no earthquake (normal times)",
    [S_REPLICATES] = "replicates", [S_REPLICATE] = "replicate", [S_SEED] = "seed",
    [S_POLICY] = "dispatch", [S_HORIZON] = "horizon",
    [S_HEADLINE] = "Headline figures", [S_METRIC] = "metric", [S_MEAN] = "mean",
    [S_CI95] = "95% CI of the mean", [S_VALUE] = "value", [S_UNIT] = "unit",
    [S_M_WS] = "weighted shortfall", [S_M_DRY1] = "class-1 dry hours",
    [S_M_T90] = "time to 90% supply", [S_M_RLOSS] = "resilience loss",
    [S_M_UNSERVED] = "unserved, class",
    [S_U_WS] = "weight × kL", [S_U_POINTH] = "point-h", [S_U_H] = "h", [S_U_KL] = "kL",
    [S_MAP] = "Map",
    [S_MAP_NOTE_SWEEP] = "Facilities coloured by the probability that their worst component is "
                         "extensively or completely damaged, over the replicates.",
    [S_MAP_NOTE_RUN] = "Facilities coloured by the worst damage state of their components in this replicate.",
    [S_P_EXT] = "P(extensive or complete damage)", [S_DS_RUN] = "damage state (worst component)",
    [S_NO_COMP] = "no components / no data", [S_DEMAND] = "demand point, priority class",
    [S_WAYPOINT] = "waypoint / hub",
    [S_ROAD] = "road", [S_SEA] = "sea lane", [S_RAIL] = "rail", [S_AIR] = "air",
    [S_LINK_P] = "links: P(closure)", [S_LINK_CLOSED] = "links closed after the shock, for",
    [S_LINK_NODATA] = "(closure probability not in the outputs)",
    [S_RUPTURE] = "fault rupture (surface projection)", [S_EPICENTRE] = "epicentre",
    [S_OUTSIDE] = "beyond the map edge (drawn at the edge)",
    [S_QUAKE_OUTSIDE] = "Earthquake source outside the map",
    [S_NO_COAST] = "No coastline file was found: the map shows the network only.",
    [S_COAST_CREDIT] = "Coastline: Made with Natural Earth (public domain).",
    [S_LON] = "longitude (°E)", [S_LAT] = "latitude (°N)", [S_KM] = "km",
    [S_FAN] = "Served fraction by priority class",
    [S_FAN_RUN] = "Served fraction by priority class (this replicate)",
    [S_HOURS] = "hours after the main shock (h)", [S_SERVED] = "served fraction (%)",
    [S_BAND] = "P10–P90 over replicates", [S_MEDIAN] = "median (P50)", [S_THIS_REP] = "this replicate",
    [S_CLASS] = "class", [S_ALL] = "all demand",
    [S_HIST] = "Weighted shortfall over the replicates",
    [S_HIST_X] = "weighted shortfall (weight × kL)", [S_HIST_Y] = "replicates", [S_P90] = "P90",
    [S_RST] = "Restoration time by facility and berth",
    [S_RST_RUN] = "Restoration time by facility (this replicate)",
    [S_RST_X] = "time until back at full capacity (h, log scale)",
    [S_RST_P5P95] = "P5–P95", [S_RST_P50P90] = "P50–P90", [S_RST_P50] = "P50",
    [S_RST_VALUE] = "restoration time", [S_BERTH] = "berth",
    [S_NOT_RESTORED] = "no damage, or back at once: not shown",
    [S_GANTT] = "Asset trips", [S_GANTT_Y] = "unit (fleet #unit)",
    [S_GANTT_SHOWN] = "units shown", [S_MOBILISING] = "mobilising (request to ready)",
    [S_UNLOAD] = "delivery (unload)",
    [S_MSEL] = "Drill inject timeline", [S_MSEL_T] = "scenario time (h after the main shock)",
    [S_INJECT] = "inject", [S_FROM_TO] = "from → to", [S_MESSAGE] = "message",
    [S_EXPECTED] = "expected action", [S_EX_TIME] = "exercise time (+09:00)",
    [S_COMPARE] = "Investment options", [S_CMP_WS] = "weighted shortfall avoided (weight × kL, mean, 95% CI)",
    [S_CMP_KL] = "unserved fuel avoided (kL, mean, 95% CI)",
    [S_CMP_DRY] = "class-1 dry hours avoided (point-h, mean, 95% CI)",
    [S_CMP_YEN_WKL] = "yen per weighted kL avoided",
    [S_CMP_COST] = "cost", [S_CMP_RANK] = "rank", [S_CMP_OPTION] = "option",
    [S_CMP_YEN_KL] = "yen per kL avoided", [S_CMP_NOTE] = "Paired on common random numbers against the baseline.",
    [S_FILES] = "Drawn from", [S_NOTHING] = "nothing to show",
    [S_CLASS1] = "class 1 (life-critical)", [S_CLASS2] = "class 2", [S_CLASS3] = "class 3",
    [S_CLASS4] = "class 4 (public service stations)",
};

static const char *const str_ja[NSTR] = {
    [S_TITLE] = "地震後の燃料供給",
    [S_EARTHQUAKE] = "地震", [S_NO_QUAKE] = "地震なし(平常時)",
    [S_REPLICATES] = "試行", [S_REPLICATE] = "試行番号", [S_SEED] = "乱数シード",
    [S_POLICY] = "配車方式", [S_HORIZON] = "期間",
    [S_HEADLINE] = "主要指標", [S_METRIC] = "指標", [S_MEAN] = "平均",
    [S_CI95] = "平均の95%信頼区間", [S_VALUE] = "値", [S_UNIT] = "単位",
    [S_M_WS] = "加重供給不足量", [S_M_DRY1] = "優先区分1の欠乏時間",
    [S_M_T90] = "供給90%回復までの時間", [S_M_RLOSS] = "レジリエンス損失",
    [S_M_UNSERVED] = "供給不足量 区分",
    [S_U_WS] = "重み × kL", [S_U_POINTH] = "地点・時間", [S_U_H] = "時間", [S_U_KL] = "kL",
    [S_MAP] = "地図",
    [S_MAP_NOTE_SWEEP] = "施設の色は、最も被害の大きい構成要素が大破以上(extensive または complete)となる確率(全試行)。",
    [S_MAP_NOTE_RUN] = "施設の色は、この試行での構成要素の最大被害状態。",
    [S_P_EXT] = "大破以上の確率", [S_DS_RUN] = "被害状態(最大の構成要素)",
    [S_NO_COMP] = "構成要素なし・データなし", [S_DEMAND] = "需要点(優先区分)",
    [S_WAYPOINT] = "経由点・結節点",
    [S_ROAD] = "道路", [S_SEA] = "航路", [S_RAIL] = "鉄道", [S_AIR] = "航空",
    [S_LINK_P] = "経路: 閉塞の確率", [S_LINK_CLOSED] = "地震後の経路閉塞の期間",
    [S_LINK_NODATA] = "(閉塞確率は出力にない)",
    [S_RUPTURE] = "断層面(地表投影)", [S_EPICENTRE] = "震央",
    [S_OUTSIDE] = "地図の範囲外(縁に表示)",
    [S_QUAKE_OUTSIDE] = "震源は地図の範囲外",
    [S_NO_COAST] = "海岸線のファイルが見つからないため、ネットワークのみを表示。",
    [S_COAST_CREDIT] = "海岸線: Made with Natural Earth(パブリックドメイン)。",
    [S_LON] = "経度 (°E)", [S_LAT] = "緯度 (°N)", [S_KM] = "km",
    [S_FAN] = "優先区分別の供給充足率",
    [S_FAN_RUN] = "優先区分別の供給充足率(この試行)",
    [S_HOURS] = "本震からの経過時間 (h)", [S_SERVED] = "供給充足率 (%)",
    [S_BAND] = "全試行の P10–P90", [S_MEDIAN] = "中央値 (P50)", [S_THIS_REP] = "この試行",
    [S_CLASS] = "区分", [S_ALL] = "全需要",
    [S_HIST] = "加重供給不足量の分布(全試行)",
    [S_HIST_X] = "加重供給不足量 (重み × kL)", [S_HIST_Y] = "試行数", [S_P90] = "P90",
    [S_RST] = "施設・バース別の復旧時間",
    [S_RST_RUN] = "施設別の復旧時間(この試行)",
    [S_RST_X] = "全能力に戻るまでの時間 (h, 対数目盛)",
    [S_RST_P5P95] = "P5–P95", [S_RST_P50P90] = "P50–P90", [S_RST_P50] = "P50",
    [S_RST_VALUE] = "復旧時間", [S_BERTH] = "バース",
    [S_NOT_RESTORED] = "被害なし・即時復旧の施設は省略",
    [S_GANTT] = "輸送手段の運行", [S_GANTT_Y] = "車両・船舶(フリート #番号)",
    [S_GANTT_SHOWN] = "表示した単位", [S_MOBILISING] = "動員中(要請から準備完了まで)",
    [S_UNLOAD] = "荷下ろし(配送)",
    [S_MSEL] = "訓練インジェクトの時系列", [S_MSEL_T] = "シナリオ時間(本震からの時間 h)",
    [S_INJECT] = "インジェクト", [S_FROM_TO] = "発信 → 受信", [S_MESSAGE] = "内容",
    [S_EXPECTED] = "期待される対応", [S_EX_TIME] = "訓練時刻 (日本時間)",
    [S_COMPARE] = "投資案の比較", [S_CMP_WS] = "回避された加重供給不足量 (重み × kL, 平均, 95%信頼区間)",
    [S_CMP_KL] = "回避された供給不足量 (kL, 平均, 95%信頼区間)",
    [S_CMP_DRY] = "回避された区分1欠乏時間 (地点・時間, 平均, 95%信頼区間)",
    [S_CMP_YEN_WKL] = "回避した加重1kLあたりの費用 (円)",
    [S_CMP_COST] = "費用", [S_CMP_RANK] = "順位", [S_CMP_OPTION] = "投資案",
    [S_CMP_YEN_KL] = "回避1kLあたりの費用 (円)", [S_CMP_NOTE] = "共通乱数による基準ケースとの対比較。",
    [S_FILES] = "出典ファイル", [S_NOTHING] = "表示するデータなし",
    [S_CLASS1] = "区分1(人命に直結)", [S_CLASS2] = "区分2", [S_CLASS3] = "区分3",
    [S_CLASS4] = "区分4(一般向け給油所)",
};

const char *rpt_str(const RptData *d, RptStr s)
{
    const char *t = d->ja ? str_ja[s] : str_en[s];
    return t ? t : str_en[s] ? str_en[s] : "";
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

/* ---- reading files ---------------------------------------------------------- */

typedef struct Ctx {
    const char *prog;
    const char *out_dir;
    RptData *d;
    char *files;            /* names read, for the footer */
} Ctx;

static void note_file(Ctx *c, const char *name)
{
    size_t n = c->files ? strlen(c->files) : 0;
    c->files = xrealloc(c->files, n + strlen(name) + 3);
    if (n) strcpy(c->files + n, ", "), n += 2;
    strcpy(c->files + n, name);
}

static int exists(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return ok;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 14, n = 0, got;
    char *s = xmalloc(cap + 1);
    while ((got = fread(s + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) s = xrealloc(s, (cap *= 2) + 1);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(s); errno = EIO; return NULL; }
    s[n] = 0;
    *len = n;
    return s;
}

/* Parse OUT/name as JSON; NULL after a message "prog: OUT/name[:line]: ...". */
static cJSON *read_json(const Ctx *c, const char *name)
{
    char *path = path_join(c->out_dir, name);
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
        free(path);
        return NULL;
    }
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!j || !cJSON_IsObject(j)) {
        int line = 1;
        size_t off = end && end >= text ? (size_t)(end - text) : len;
        for (size_t i = 0; i < off && i < len; i++) line += text[i] == '\n';
        fprintf(stderr, "%s: %s:%d: %s\n", c->prog, path, line,
                j ? "not a JSON object" : "not valid JSON");
        cJSON_Delete(j);
        j = NULL;
    }
    free(text);
    free(path);
    return j;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static char *dupz(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static double parse_num(const char *s)
{
    if (!s || !*s) return NAN;
    char *end;
    double v = strtod(s, &end);
    return end == s ? NAN : v;
}

/* Streaming CSV: fn is called for every row (the header is row 0) with its
 * fields, NUL-terminated; a non-zero return stops reading with that code. */
typedef int (*RowFn)(void *ctx, int nf, char **f, long row);

typedef struct CsvRd {
    RowFn fn;
    void *ctx;
    char **f;
    int nf, cap;
    long row;
    int stop;
} CsvRd;

static void csv_field_cb(void *s, size_t len, void *data)
{
    CsvRd *r = data;
    if (r->stop) return;
    xgrow((void **)&r->f, &r->cap, r->nf + 1, sizeof *r->f);
    char *v = xmalloc(len + 1);
    if (len) memcpy(v, s, len);
    v[len] = 0;
    r->f[r->nf++] = v;
}

static void csv_row_cb(int ch, void *data)
{
    (void)ch;
    CsvRd *r = data;
    if (!r->stop) r->stop = r->fn(r->ctx, r->nf, r->f, r->row++);
    for (int i = 0; i < r->nf; i++) free(r->f[i]);
    r->nf = 0;
}

/* Returns 0, -1 after an I/O or syntax message, or the callback's code. */
static int read_csv(const Ctx *c, const char *name, RowFn fn, void *ctx)
{
    char *path = path_join(c->out_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
        free(path);
        return -1;
    }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    CsvRd r = {fn, ctx, NULL, 0, 0, 0, 0};
    char buf[1 << 16];
    size_t got;
    int rc = 0;
    while (!r.stop && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, got, csv_field_cb, csv_row_cb, &r) != got) {
            fprintf(stderr, "%s: %s:%ld: CSV syntax: %s\n", c->prog, path, r.row + 1,
                    csv_strerror(csv_error(&p)));
            rc = -1;
            break;
        }
    }
    if (rc == 0 && !r.stop && ferror(f)) {
        fprintf(stderr, "%s: %s: read error\n", c->prog, path);
        rc = -1;
    }
    if (rc == 0 && !r.stop && csv_fini(&p, csv_field_cb, csv_row_cb, &r) != 0) {
        fprintf(stderr, "%s: %s:%ld: CSV syntax: %s\n", c->prog, path, r.row + 1,
                csv_strerror(csv_error(&p)));
        rc = -1;
    }
    if (rc == 0 && r.stop) rc = r.stop;
    if (rc == 0 && r.row == 0) {
        fprintf(stderr, "%s: %s: empty file\n", c->prog, path);
        rc = -1;
    }
    for (int i = 0; i < r.nf; i++) free(r.f[i]);
    free(r.f);
    csv_free(&p);
    fclose(f);
    free(path);
    return rc;
}

static int col_of(int nf, char **f, const char *name)
{
    for (int i = 0; i < nf; i++)
        if (strcmp(f[i], name) == 0) return i;
    return -1;
}

static void bad_column(const Ctx *c, const char *file, const char *col)
{
    fprintf(stderr, "%s: %s/%s: no column \"%s\"\n", c->prog, c->out_dir, file, col);
}

/* ---- identity ---------------------------------------------------------------- */

static void set_identity(RptData *d, const cJSON *o)
{
    const char *s;
    if (!d->scenario_id && (s = str(o, "scenario"))) d->scenario_id = xstrdup(s);
    if (!d->quake_id && (s = str(o, "quake"))) d->quake_id = xstrdup(s);
    if (!d->policy && (s = str(o, "policy"))) d->policy = xstrdup(s);
    if (!d->have_seed && !isnan(num(o, "seed"))) { d->seed = num(o, "seed"); d->have_seed = 1; }
    if (isnan(d->horizon_h) && !isnan(num(o, "horizon_h"))) d->horizon_h = num(o, "horizon_h");
}

/* ---- sweep: summary.json, bands.csv, replicates.csv ---------------------------- */

static void stat_from(RptStat *s, const cJSON *o)
{
    memset(s, 0, sizeof *s);
    if (!cJSON_IsObject(o)) return;
    s->mean = num(o, "mean");
    s->p5 = num(o, "p5");
    s->p50 = num(o, "p50");
    s->p90 = num(o, "p90");
    s->p95 = num(o, "p95");
    s->p99 = num(o, "p99");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(o, "ci95");
    s->ci_lo = s->ci_hi = NAN;
    if (cJSON_GetArraySize(ci) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(ci, 0)) &&
        cJSON_IsNumber(cJSON_GetArrayItem(ci, 1))) {
        s->ci_lo = cJSON_GetArrayItem(ci, 0)->valuedouble;
        s->ci_hi = cJSON_GetArrayItem(ci, 1)->valuedouble;
    }
    s->have = !isnan(s->mean) || !isnan(s->p50);
}

static void pds_from(double *pds, const cJSON *o)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "damage_state"), "p");
    for (int k = 0; k < NDS; k++) pds[k] = cJSON_IsObject(p) ? num(p, world_ds_name[k]) : NAN;
}

static int comp_find(const World *w, const char *id)
{
    for (int k = 0; k < w->ncomp; k++)
        if (strcmp(w->comp[k].id, id) == 0) return k;
    return -1;
}

static int link_find(const World *w, const char *id)
{
    for (int k = 0; k < w->nlink; k++)
        if (strcmp(w->link[k].id, id) == 0) return k;
    return -1;
}

static int read_summary(Ctx *c)
{
    RptData *d = c->d;
    const World *w = d->w;
    cJSON *j = read_json(c, "summary.json");
    if (!j) return -1;
    note_file(c, "summary.json");
    const cJSON *run = cJSON_GetObjectItemCaseSensitive(j, "run");
    set_identity(d, run);
    d->sweep = 1;
    d->nrep = num(run, "n");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
    for (int k = 0; k < NRM; k++) stat_from(&d->metric[k], cJSON_GetObjectItemCaseSensitive(m, rpt_metric_key[k]));
    d->fac_pds = xmalloc((size_t)(w->nfac + 1) * NDS * sizeof(double));
    d->fac_rst = xcalloc((size_t)w->nfac + 1, sizeof(RptStat));
    d->comp_pds = xmalloc((size_t)(w->ncomp + 1) * NDS * sizeof(double));
    d->comp_rst = xcalloc((size_t)w->ncomp + 1, sizeof(RptStat));
    d->link_p = xmalloc(((size_t)w->nlink + 1) * sizeof(double));
    for (int i = 0; i < w->nfac * NDS; i++) d->fac_pds[i] = NAN;
    for (int i = 0; i < w->ncomp * NDS; i++) d->comp_pds[i] = NAN;
    for (int i = 0; i < w->nlink; i++) d->link_p[i] = NAN;
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "facilities")) {
        int f = world_find_facility(w, x->string);
        if (f < 0) continue;
        pds_from(d->fac_pds + f * NDS, x);
        stat_from(&d->fac_rst[f], cJSON_GetObjectItemCaseSensitive(x, "restore_h"));
    }
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "berths")) {
        int k = comp_find(w, x->string);
        if (k < 0) continue;
        pds_from(d->comp_pds + k * NDS, x);
        stat_from(&d->comp_rst[k], cJSON_GetObjectItemCaseSensitive(x, "restore_h"));
    }
    /* Links are optional in a summary: a closure probability, or the
     * probability of each damage state (closed = extensive or worse). */
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "links")) {
        int l = link_find(w, x->string);
        if (l < 0) continue;
        double p = num(x, "p_closed");
        if (isnan(p)) {
            double pds[NDS];
            pds_from(pds, x);
            p = pds[DS_EXTENSIVE] + pds[DS_COMPLETE];
        }
        d->link_p[l] = p;
    }
    cJSON_Delete(j);
    return 0;
}

typedef struct BandRd {
    Ctx *c;
    int col[RPT_NSER][3];
    int cap;
} BandRd;

static int band_row(void *vctx, int nf, char **f, long row)
{
    BandRd *b = vctx;
    RptData *d = b->c->d;
    static const char *const q[3] = {"p10", "p50", "p90"};
    if (row == 0) {
        for (int s = 0; s < RPT_NSER; s++)
            for (int k = 0; k < 3; k++) {
                char name[64];
                if (s < NCLASS) snprintf(name, sizeof name, "served_class%d_%s", s + 1, q[k]);
                else snprintf(name, sizeof name, "served_all_%s", q[k]);
                b->col[s][k] = col_of(nf, f, name);
                if (b->col[s][k] < 0 && s < NCLASS) {
                    bad_column(b->c, "bands.csv", name);
                    return -1;
                }
            }
        return 0;
    }
    if (d->nh >= b->cap) {
        b->cap = b->cap ? 2 * b->cap : 512;
        for (int s = 0; s < RPT_NSER; s++)
            for (int k = 0; k < 3; k++) d->band[s][k] = xrealloc(d->band[s][k], (size_t)b->cap * sizeof(double));
    }
    for (int s = 0; s < RPT_NSER; s++)
        for (int k = 0; k < 3; k++) {
            int i = b->col[s][k];
            d->band[s][k][d->nh] = i >= 0 && i < nf ? parse_num(f[i]) : NAN;
        }
    d->nh++;
    return 0;
}

typedef struct RepRd {
    Ctx *c;
    int col;
    int cap;
} RepRd;

static int rep_row(void *vctx, int nf, char **f, long row)
{
    RepRd *r = vctx;
    RptData *d = r->c->d;
    if (row == 0) {
        r->col = col_of(nf, f, "weighted_shortfall");
        if (r->col < 0) { bad_column(r->c, "replicates.csv", "weighted_shortfall"); return -1; }
        return 0;
    }
    xgrow((void **)&d->ws, &r->cap, d->nws + 1, sizeof(double));
    d->ws[d->nws++] = r->col < nf ? parse_num(f[r->col]) : NAN;
    return 0;
}

static int read_sweep(Ctx *c)
{
    if (read_summary(c) != 0) return -1;
    BandRd b;
    memset(&b, 0, sizeof b);
    b.c = c;
    if (read_csv(c, "bands.csv", band_row, &b) != 0) return -1;
    note_file(c, "bands.csv");
    RepRd r = {c, -1, 0};
    if (read_csv(c, "replicates.csv", rep_row, &r) != 0) return -1;
    note_file(c, "replicates.csv");
    return 0;
}

/* ---- run: metrics.json, timeseries.csv, trace.csv ------------------------------ */

static int read_metrics(Ctx *c)
{
    RptData *d = c->d;
    const World *w = d->w;
    cJSON *j = read_json(c, "metrics.json");
    if (!j) return -1;
    note_file(c, "metrics.json");
    set_identity(d, j);
    d->run = 1;
    d->rep = num(j, "rep");
    for (int k = 0; k < RM_UNSERVED1; k++) d->run_metric[k] = num(j, rpt_metric_key[k]);
    const cJSON *uc = cJSON_GetObjectItemCaseSensitive(j, "unserved_kl_by_class");
    for (int k = 0; k < NCLASS; k++) {
        char key[32];
        snprintf(key, sizeof key, "class%d", k + 1);
        d->run_metric[RM_UNSERVED1 + k] = num(uc, key);
    }
    d->fac_rst_h = xmalloc(((size_t)w->nfac + 1) * sizeof(double));
    for (int f = 0; f < w->nfac; f++) d->fac_rst_h[f] = NAN;
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(j, "facility_restoration_h")) {
        int f = world_find_facility(w, x->string);
        if (f >= 0 && cJSON_IsNumber(x)) d->fac_rst_h[f] = x->valuedouble;
    }
    cJSON_Delete(j);
    return 0;
}

typedef struct TsRd {
    Ctx *c;
    int col[RPT_NSER];
    int cap;
} TsRd;

static int ts_row(void *vctx, int nf, char **f, long row)
{
    TsRd *t = vctx;
    RptData *d = t->c->d;
    if (row == 0) {
        for (int s = 0; s < RPT_NSER; s++) {
            char name[48];
            if (s < NCLASS) snprintf(name, sizeof name, "served_class%d", s + 1);
            else snprintf(name, sizeof name, "served_all");
            t->col[s] = col_of(nf, f, name);
            if (t->col[s] < 0 && s < NCLASS) { bad_column(t->c, "timeseries.csv", name); return -1; }
        }
        return 0;
    }
    if (d->nts >= t->cap) {
        t->cap = t->cap ? 2 * t->cap : 512;
        for (int s = 0; s < RPT_NSER; s++) d->ts[s] = xrealloc(d->ts[s], (size_t)t->cap * sizeof(double));
    }
    for (int s = 0; s < RPT_NSER; s++)
        d->ts[s][d->nts] = t->col[s] >= 0 && t->col[s] < nf ? parse_num(f[t->col[s]]) : NAN;
    d->nts++;
    return 0;
}

/* Units by name: open addressing over FNV-1a, grown at half load. */
typedef struct UnitIdx {
    int *slot;          /* unit index + 1; 0 empty */
    int cap;
    int *open;          /* per unit: open trip index or -1 */
    int open_cap;
    int unit_cap, trip_cap;
} UnitIdx;

static unsigned long fnv(const char *s)
{
    unsigned long h = 2166136261ul;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619ul;
    return h;
}

static int unit_get(RptData *d, UnitIdx *ix, const char *name)
{
    if (2 * (d->nunit + 1) > ix->cap) {
        int cap = ix->cap ? 2 * ix->cap : 256;
        int *slot = xcalloc((size_t)cap, sizeof *slot);
        for (int u = 0; u < d->nunit; u++) {
            unsigned long h = fnv(d->unit[u].name) & (unsigned long)(cap - 1);
            while (slot[h]) h = (h + 1) & (unsigned long)(cap - 1);
            slot[h] = u + 1;
        }
        free(ix->slot);
        ix->slot = slot;
        ix->cap = cap;
    }
    unsigned long h = fnv(name) & (unsigned long)(ix->cap - 1);
    while (ix->slot[h]) {
        if (strcmp(d->unit[ix->slot[h] - 1].name, name) == 0) return ix->slot[h] - 1;
        h = (h + 1) & (unsigned long)(ix->cap - 1);
    }
    xgrow((void **)&d->unit, &ix->unit_cap, d->nunit + 1, sizeof *d->unit);
    xgrow((void **)&ix->open, &ix->open_cap, d->nunit + 1, sizeof *ix->open);
    RptUnit *u = &d->unit[d->nunit];
    memset(u, 0, sizeof *u);
    u->name = xstrdup(name);
    const char *hash = strrchr(name, '#');
    size_t flen = hash ? (size_t)(hash - name) : strlen(name);
    u->fleet = -1;
    for (int a = 0; a < d->w->nasset; a++)
        if (strlen(d->w->asset[a].id) == flen && strncmp(d->w->asset[a].id, name, flen) == 0) u->fleet = a;
    u->num = hash ? atoi(hash + 1) : 0;
    ix->open[d->nunit] = -1;
    ix->slot[h] = d->nunit + 1;
    return d->nunit++;
}

typedef struct TraceRd {
    Ctx *c;
    UnitIdx ix;
    int col[TRC_NFIELD];   /* column of each trace field; kl may be missing (-1) */
} TraceRd;

static void close_trip(RptData *d, UnitIdx *ix, int u, double t)
{
    int ti = ix->open[u];
    if (ti < 0) return;
    d->trip[ti].t1 = t;
    ix->open[u] = -1;
}

static int trace_row(void *vctx, int nf, char **f, long row)
{
    TraceRd *r = vctx;
    RptData *d = r->c->d;
    const World *w = d->w;
    if (row == 0) {
        for (int i = 0; i < TRC_NFIELD; i++) {
            r->col[i] = col_of(nf, f, trc_field_name[i]);
            if (r->col[i] < 0 && i != TRC_F_KL) { bad_column(r->c, "trace.csv", trc_field_name[i]); return -1; }
        }
        return 0;
    }
    char empty[1] = "", *tf[TRC_NFIELD];
    for (int i = 0; i < TRC_NFIELD; i++) {
        if (r->col[i] >= nf) return 0;   /* a short row carries nothing we draw */
        tf[i] = r->col[i] < 0 ? empty : f[r->col[i]];
    }
    TrcRow tr;
    char err[160];
    if (trc_parse_fields(tf, &tr, err, sizeof err) != 0) return 0;   /* nor does one we cannot read */
    double t = tr.time_h;
    char unit[160];
    snprintf(unit, sizeof unit, "%s#%d", tr.asset, tr.unit);
    if (tr.kind == TRC_DISPATCH && tr.asset[0]) {
        int u = unit_get(d, &r->ix, unit);
        close_trip(d, &r->ix, u, t);
        xgrow((void **)&d->trip, &r->ix.trip_cap, d->ntrip + 1, sizeof *d->trip);
        RptTrip *tp = &d->trip[d->ntrip];
        tp->unit = u;
        tp->t0 = t;
        tp->t1 = NAN;
        tp->t_unload = NAN;
        tp->product = tr.product;
        tp->dest = xstrdup(tr.item);
        r->ix.open[u] = d->ntrip++;
        d->unit[u].ntrip++;
    } else if (tr.kind == TRC_UNLOAD && tr.asset[0]) {
        int u = unit_get(d, &r->ix, unit);
        if (r->ix.open[u] >= 0) d->trip[r->ix.open[u]].t_unload = t;
    } else if (tr.kind == TRC_RETURN && tr.asset[0]) {
        close_trip(d, &r->ix, unit_get(d, &r->ix, unit), t);
    } else if (tr.kind == TRC_MOBILISE || tr.kind == TRC_MOBILISED) {
        for (int a = 0; a < w->nasset; a++)
            if (strcmp(w->asset[a].id, tr.item) == 0) {
                if (tr.kind == TRC_MOBILISED) d->mob_t1[a] = t;
                else d->mob_t0[a] = t;
            }
    } else if (tr.kind == TRC_DAMAGE || tr.kind == TRC_RESTORATION) {
        int k = comp_find(w, tr.item), l = k < 0 ? link_find(w, tr.item) : -1;
        if (tr.kind == TRC_DAMAGE && k >= 0) {
            if (!tr.is_link) {
                int fac = w->comp[k].facility;
                if (tr.ds > d->fac_ds[fac]) d->fac_ds[fac] = tr.ds;
            }
        } else if (tr.kind == TRC_DAMAGE && l >= 0) {
            d->link_closed_h[l] = INFINITY;
        } else if (tr.kind == TRC_RESTORATION && l >= 0) {
            d->link_closed_h[l] = t;
        }
    }
    return 0;
}

static int read_trace(Ctx *c)
{
    RptData *d = c->d;
    const World *w = d->w;
    d->fac_ds = xmalloc(((size_t)w->nfac + 1) * sizeof(int));
    /* facilities with components start undamaged; the trace lists the rest */
    for (int f = 0; f < w->nfac; f++) d->fac_ds[f] = -1;
    for (int k = 0; k < w->ncomp; k++) d->fac_ds[w->comp[k].facility] = DS_NONE;
    d->link_closed_h = xcalloc((size_t)w->nlink + 1, sizeof(double));
    d->mob_t0 = xmalloc(((size_t)w->nasset + 1) * sizeof(double));
    d->mob_t1 = xmalloc(((size_t)w->nasset + 1) * sizeof(double));
    for (int a = 0; a < w->nasset; a++) d->mob_t0[a] = d->mob_t1[a] = NAN;
    TraceRd r;
    memset(&r, 0, sizeof r);
    r.c = c;
    int rc = read_csv(c, "trace.csv", trace_row, &r);
    double end = isnan(d->horizon_h) ? w->horizon_h : d->horizon_h;
    for (int u = 0; u < d->nunit; u++) close_trip(d, &r.ix, u, end);
    free(r.ix.slot);
    free(r.ix.open);
    if (rc != 0) return -1;
    note_file(c, "trace.csv");
    return 0;
}

static int read_run(Ctx *c)
{
    if (read_metrics(c) != 0) return -1;
    TsRd t;
    memset(&t, 0, sizeof t);
    t.c = c;
    if (read_csv(c, "timeseries.csv", ts_row, &t) != 0) return -1;
    note_file(c, "timeseries.csv");
    return read_trace(c);
}

/* ---- drill: msel.json or msel.csv ------------------------------------------------ */

static void inject_free(RptInject *in)
{
    free(in->id); free(in->exercise_time); free(in->from); free(in->to); free(in->method);
    free(in->message); free(in->expected); free(in->objective);
}

static int read_msel_json(Ctx *c)
{
    RptData *d = c->d;
    cJSON *j = read_json(c, "msel.json");
    if (!j) return -1;
    note_file(c, "msel.json");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "meta");
    set_identity(d, meta);
    if (!d->run && !d->sweep && !isnan(num(meta, "rep"))) d->rep = num(meta, "rep");
    const char *pk = str(meta, "pick");
    if (pk && strcmp(pk, "rep") != 0) {
        d->pick = xstrdup(pk);
        d->npick = num(meta, "n");
    }
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "injects"), *x;
    d->inj = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *d->inj);
    cJSON_ArrayForEach(x, arr) {
        RptInject *in = &d->inj[d->ninj++];
        in->id = dupz(str(x, "inject_id"));
        in->t_h = num(x, "scenario_time_h");
        in->exercise_time = dupz(str(x, "exercise_time"));
        in->from = dupz(str(x, "from"));
        in->to = dupz(str(x, "to"));
        in->method = dupz(str(x, "method"));
        in->message = dupz(str(x, "message"));
        in->expected = dupz(str(x, "expected_action"));
        in->objective = dupz(str(x, "kind"));
        if (!in->objective) in->objective = dupz(str(x, "objective"));
    }
    cJSON_Delete(j);
    return 0;
}

typedef struct MselRd {
    Ctx *c;
    int col[9];
    int cap;
} MselRd;

static int msel_row(void *vctx, int nf, char **f, long row)
{
    MselRd *m = vctx;
    RptData *d = m->c->d;
    static const char *const names[9] = {"inject_id", "scenario_time_h", "exercise_time", "from", "to",
                                         "method", "message", "expected_action", "objective"};
    if (row == 0) {
        for (int i = 0; i < 9; i++) m->col[i] = col_of(nf, f, names[i]);
        if (m->col[1] < 0) { bad_column(m->c, "msel.csv", names[1]); return -1; }
        return 0;
    }
    const char *v[9];
    for (int i = 0; i < 9; i++) v[i] = m->col[i] >= 0 && m->col[i] < nf ? f[m->col[i]] : NULL;
    xgrow((void **)&d->inj, &m->cap, d->ninj + 1, sizeof *d->inj);
    RptInject *in = &d->inj[d->ninj++];
    memset(in, 0, sizeof *in);
    in->id = dupz(v[0]);
    in->t_h = parse_num(v[1]);
    in->exercise_time = dupz(v[2]);
    in->from = dupz(v[3]);
    in->to = dupz(v[4]);
    in->method = dupz(v[5]);
    in->message = dupz(v[6]);
    in->expected = dupz(v[7]);
    in->objective = dupz(v[8]);
    return 0;
}

static int read_drill(Ctx *c)
{
    if (exists(c->out_dir, "msel.json")) return read_msel_json(c);
    MselRd m;
    memset(&m, 0, sizeof m);
    m.c = c;
    if (read_csv(c, "msel.csv", msel_row, &m) != 0) return -1;
    note_file(c, "msel.csv");
    return 0;
}

/* ---- compare: compare.json or compare.csv ------------------------------------------ */

static void diff_from(const cJSON *o, double *mean, double *lo, double *hi)
{
    *mean = num(o, "mean");
    *lo = num(o, "ci95_lo");
    *hi = num(o, "ci95_hi");
}

static int read_compare_json(Ctx *c)
{
    RptData *d = c->d;
    cJSON *j = read_json(c, "compare.json");
    if (!j) return -1;
    note_file(c, "compare.json");
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "meta");
    set_identity(d, meta);
    if (isnan(d->nrep)) d->nrep = num(meta, "n");
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(j, "baseline");
    d->base_ws = num(base, "weighted_shortfall_mean");
    d->base_kl = num(base, "unserved_kl_mean");
    d->base_dry = num(base, "dry_hours_class1_mean");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "options"), *x;
    d->opt = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *d->opt);
    cJSON_ArrayForEach(x, arr) {
        RptOption *o = &d->opt[d->nopt++];
        o->id = dupz(str(x, "option"));
        o->name = dupz(rpt_name(d, str(x, "name_en"), str(x, "name_ja"), str(x, "option")));
        diff_from(cJSON_GetObjectItemCaseSensitive(x, "weighted_shortfall_avoided"), &o->ws_mean, &o->ws_lo, &o->ws_hi);
        diff_from(cJSON_GetObjectItemCaseSensitive(x, "unserved_kl_avoided"), &o->kl_mean, &o->kl_lo, &o->kl_hi);
        diff_from(cJSON_GetObjectItemCaseSensitive(x, "dry_hours_class1_avoided"), &o->dry_mean, &o->dry_lo,
                  &o->dry_hi);
        o->cost_yen = num(x, "cost_yen");
        o->yen_per_kl = num(x, "yen_per_kl_avoided");
        o->yen_per_wkl = num(x, "yen_per_weighted_kl_avoided");
        double r = num(x, "rank");
        o->rank = isnan(r) ? 0 : (int)r;
    }
    cJSON_Delete(j);
    return 0;
}

enum { CC_RANK, CC_OPTION, CC_NAME_EN, CC_NAME_JA, CC_COST, CC_BASE_WS, CC_WS, CC_WS_LO, CC_WS_HI, CC_KL, CC_KL_LO,
       CC_KL_HI, CC_DRY, CC_DRY_LO, CC_DRY_HI, CC_YEN_KL, CC_YEN_WKL, NCC };

typedef struct CmpRd {
    Ctx *c;
    int col[NCC];
    int cap;
} CmpRd;

static int cmp_row(void *vctx, int nf, char **f, long row)
{
    static const char *const names[NCC] = {
        "rank", "option", "name_en", "name_ja", "cost_yen", "baseline_ws_mean", "ws_avoided_mean",
        "ws_avoided_ci_lo", "ws_avoided_ci_hi", "unserved_kl_avoided_mean", "unserved_kl_avoided_ci_lo",
        "unserved_kl_avoided_ci_hi", "dry_hours_class1_avoided_mean", "dry_hours_class1_avoided_ci_lo",
        "dry_hours_class1_avoided_ci_hi", "yen_per_kl_avoided", "yen_per_weighted_kl_avoided"};
    CmpRd *m = vctx;
    RptData *d = m->c->d;
    if (row == 0) {
        for (int i = 0; i < NCC; i++) m->col[i] = col_of(nf, f, names[i]);
        if (m->col[CC_OPTION] < 0) { bad_column(m->c, "compare.csv", "option"); return -1; }
        return 0;
    }
    const char *v[NCC];
    for (int i = 0; i < NCC; i++) v[i] = m->col[i] >= 0 && m->col[i] < nf ? f[m->col[i]] : NULL;
    xgrow((void **)&d->opt, &m->cap, d->nopt + 1, sizeof *d->opt);
    RptOption *o = &d->opt[d->nopt++];
    memset(o, 0, sizeof *o);
    o->id = dupz(v[CC_OPTION]);
    o->name = dupz(rpt_name(d, v[CC_NAME_EN], v[CC_NAME_JA], v[CC_OPTION]));
    double r = parse_num(v[CC_RANK]);
    o->rank = isnan(r) ? 0 : (int)r;
    o->cost_yen = parse_num(v[CC_COST]);
    d->base_ws = parse_num(v[CC_BASE_WS]);
    double *dst[9] = {&o->ws_mean, &o->ws_lo, &o->ws_hi, &o->kl_mean, &o->kl_lo, &o->kl_hi,
                      &o->dry_mean, &o->dry_lo, &o->dry_hi};
    for (int i = 0; i < 9; i++) *dst[i] = parse_num(v[CC_WS + i]);
    o->yen_per_kl = parse_num(v[CC_YEN_KL]);
    o->yen_per_wkl = parse_num(v[CC_YEN_WKL]);
    return 0;
}

static int read_compare(Ctx *c)
{
    c->d->base_ws = c->d->base_kl = c->d->base_dry = NAN;
    if (exists(c->out_dir, "compare.json")) return read_compare_json(c);
    CmpRd m;
    memset(&m, 0, sizeof m);
    m.c = c;
    if (read_csv(c, "compare.csv", cmp_row, &m) != 0) return -1;
    note_file(c, "compare.csv");
    return 0;
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
    ".note{font-size:12px;color:#555;margin:4px 0}footer{font-size:11px;color:#666;"
    "border-top:1px solid #ccc;margin-top:32px;padding-top:6px}\n"
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{margin:0;max-width:none;padding:0}section{break-inside:avoid;"
    "page-break-inside:avoid}section.long{break-inside:auto;page-break-inside:auto}"
    "h2{break-after:avoid}tr{break-inside:avoid}}\n";

static const char *quake_name(const RptData *d)
{
    if (d->quake >= 0) {
        const Earthquake *q = &d->w->quake[d->quake];
        return rpt_name(d, q->name_en, q->name_ja, q->id);
    }
    return d->quake_id && strcmp(d->quake_id, "none") != 0 ? d->quake_id : rpt_str(d, S_NO_QUAKE);
}

static void headline(SvgBuf *b, const RptData *d)
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
    svg_raw(b, "</table></section>\n");
}

static char *page(const RptData *d, const char *files)
{
    const World *w = d->w;
    SvgBuf b = {0};
    const char *scen = rpt_name(d, w->name_en, w->name_ja, w->id);
    svg_printf(&b, "<!DOCTYPE html>\n<html lang=\"%r\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; img-src data:\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>%s: %s</title>\n<style>\n%r</style>\n</head>\n<body>\n",
               d->ja ? "ja" : "en", rpt_str(d, S_TITLE), scen, page_css);
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
    rpt_sec_map(&b, d);
    rpt_sec_fan(&b, d);
    rpt_sec_hist(&b, d);
    rpt_sec_restore(&b, d);
    rpt_sec_gantt(&b, d);
    rpt_sec_msel(&b, d);
    rpt_sec_compare(&b, d);
    svg_printf(&b, "<footer>%s: %s. fuelsim report, %s.", rpt_str(d, S_FILES), files,
               d->ja ? "オフラインで閲覧可能な単一ファイル" : "one self-contained file, readable offline");
    if (d->have_coast) svg_printf(&b, " %s", rpt_str(d, S_COAST_CREDIT));
    svg_raw(&b, "</footer>\n</body>\n</html>\n");
    return svg_take(&b);
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
        cJSON *p = gj_add_point(fc, x->lon, x->lat);
        cJSON_AddStringToObject(p, "layer", "facility");
        cJSON_AddStringToObject(p, "id", x->id);
        add_str(p, "name_en", x->name_en);
        add_str(p, "name_ja", x->name_ja);
        cJSON_AddStringToObject(p, "kind", world_fac_kind_name[x->kind]);
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
        cJSON *p = gj_add_point(fc, x->lon, x->lat);
        cJSON_AddStringToObject(p, "layer", "demand");
        cJSON_AddStringToObject(p, "id", x->id);
        add_str(p, "name_en", x->name_en);
        add_str(p, "name_ja", x->name_ja);
        cJSON_AddStringToObject(p, "kind", world_dem_kind_name[x->kind]);
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

/* ---- entry points -------------------------------------------------------------------- */

void rpt_options_default(RptOptions *o)
{
    o->lang = "en";
    o->prog = "fuelsim report";
    o->coastline = NULL;
}

static void data_free(RptData *d)
{
    free(d->scenario_id); free(d->quake_id); free(d->policy); free(d->pick);
    free(d->fac_pds); free(d->fac_rst); free(d->comp_pds); free(d->comp_rst); free(d->link_p);
    for (int s = 0; s < RPT_NSER; s++) {
        for (int k = 0; k < 3; k++) free(d->band[s][k]);
        free(d->ts[s]);
    }
    free(d->ws);
    free(d->fac_ds); free(d->fac_rst_h); free(d->link_closed_h);
    for (int u = 0; u < d->nunit; u++) free(d->unit[u].name);
    free(d->unit);
    for (int t = 0; t < d->ntrip; t++) free(d->trip[t].dest);
    free(d->trip);
    free(d->mob_t0); free(d->mob_t1);
    for (int i = 0; i < d->ninj; i++) inject_free(&d->inj[i]);
    free(d->inj);
    for (int i = 0; i < d->nopt; i++) { free(d->opt[i].id); free(d->opt[i].name); }
    free(d->opt);
    gj_layer_free(&d->coast);
}

static void load_coast(RptData *d, const RptOptions *o)
{
    char err[512];
    if (o->coastline) {
        if (gj_layer_read(o->coastline, &d->coast, err, (int)sizeof err) == 0) d->have_coast = 1;
        else fprintf(stderr, "%s: warning: %s; the map has no coastline\n", o->prog, err);
        return;
    }
    char *cand[3];
    cand[0] = path_join(d->w->dir, "coastline.geojson");
    char *up = path_join(d->w->dir, "..");
    cand[1] = path_join(up, "coastline_kanto.geojson");
    free(up);
    cand[2] = xstrdup("scenarios/coastline_kanto.geojson");
    for (int i = 0; i < 3 && !d->have_coast; i++) {
        struct stat st;
        if (stat(cand[i], &st) != 0) continue;
        if (gj_layer_read(cand[i], &d->coast, err, (int)sizeof err) == 0) d->have_coast = 1;
        else fprintf(stderr, "%s: warning: %s; the map has no coastline\n", o->prog, err);
        break;
    }
    for (int i = 0; i < 3; i++) free(cand[i]);
}

int rpt_write(const char *out_dir, const World *w, const RptOptions *opt)
{
    RptOptions def;
    rpt_options_default(&def);
    const RptOptions *o = opt ? opt : &def;
    if (!o->prog) def.prog = "fuelsim report";
    const char *prog = o->prog ? o->prog : def.prog;
    RptData d;
    memset(&d, 0, sizeof d);
    d.w = w;
    d.ja = o->lang && strcmp(o->lang, "ja") == 0;
    d.quake = -1;
    d.horizon_h = NAN;
    d.rep = NAN;
    d.nrep = NAN;
    d.npick = NAN;
    for (int k = 0; k < NRM; k++) d.run_metric[k] = NAN;
    Ctx c = {prog, out_dir, &d, NULL};
    int rc = 1;

    struct stat st;
    if (stat(out_dir, &st) != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, out_dir, strerror(errno));
        goto done;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: not a folder\n", prog, out_dir);
        goto done;
    }
    int has_sweep = exists(out_dir, "summary.json"), has_run = exists(out_dir, "metrics.json");
    int has_drill = exists(out_dir, "msel.json") || exists(out_dir, "msel.csv");
    int has_cmp = exists(out_dir, "compare.json") || exists(out_dir, "compare.csv");
    int has_trace = exists(out_dir, "trace.csv");
    if (!has_sweep && !has_run && !has_drill && !has_cmp) {
        fprintf(stderr, "%s: %s holds no fuelsim outputs to report on (summary.json, metrics.json, "
                        "msel.json or compare.json)\n", prog, out_dir);
        goto done;
    }
    if (has_sweep && read_sweep(&c) != 0) goto done;
    /* a comparison keeps its baseline sweep in sweeps/baseline: its map and
     * charts belong in the comparison's report */
    char *base = path_join(out_dir, "sweeps/baseline");
    if (!has_sweep && has_cmp && exists(base, "summary.json")) {
        Ctx cb = {prog, base, &d, NULL};
        int brc = read_sweep(&cb);
        if (brc == 0) note_file(&c, "sweeps/baseline/{summary.json, bands.csv, replicates.csv}");
        free(cb.files);
        if (brc != 0) { free(base); goto done; }
    }
    free(base);
    if (has_run && read_run(&c) != 0) goto done;
    if (has_drill && read_drill(&c) != 0) goto done;
    if (!has_run && has_trace && (has_drill || !has_sweep) && read_trace(&c) != 0) goto done;
    if (has_cmp && read_compare(&c) != 0) goto done;

    if (d.scenario_id && strcmp(d.scenario_id, w->id) != 0) {
        fprintf(stderr, "%s: %s was made from scenario \"%s\", but %s is scenario \"%s\"\n", prog, out_dir,
                d.scenario_id, w->dir ? w->dir : "the scenario given", w->id);
        rc = 2;
        goto done;
    }
    if (d.quake_id && strcmp(d.quake_id, "none") != 0) {
        d.quake = world_find_quake(w, d.quake_id);
        if (d.quake < 0) {
            fprintf(stderr, "%s: %s names earthquake \"%s\", which scenario \"%s\" does not have\n", prog,
                    out_dir, d.quake_id, w->id);
            rc = 2;
            goto done;
        }
    }
    if (isnan(d.horizon_h)) d.horizon_h = d.nh > 0 ? d.nh : w->horizon_h;
    load_coast(&d, o);

    char *html = page(&d, c.files ? c.files : "");
    char *p_html = path_join(out_dir, "report.html"), *p_gj = path_join(out_dir, "network.geojson");
    char *real = w->dir ? realpath(w->dir, NULL) : NULL;
    int bad = out_write_string(p_html, html) != 0;
    const char *failed = p_html;
    if (!bad) {
        bad = write_geojson(p_gj, &d, real ? real : w->dir) != 0;
        failed = p_gj;
    }
    if (bad) fprintf(stderr, "%s: cannot write %s: %s\n", prog, failed, strerror(errno));
    else rc = 0;
    free(real);
    free(html);
    free(p_html);
    free(p_gj);
done:
    free(c.files);
    data_free(&d);
    return rc;
}

int rpt_find_scenario(const char *out_dir, const char *prog, char **id, char **dir)
{
    static const char *const files[] = {"summary.json", "metrics.json", "msel.json", "compare.json"};
    *id = *dir = NULL;
    int found = 0;
    RptData d;
    memset(&d, 0, sizeof d);
    Ctx c = {prog, out_dir, &d, NULL};
    for (int i = 0; i < 4; i++) {
        if (!exists(out_dir, files[i])) continue;
        found = 1;
        cJSON *j = read_json(&c, files[i]);
        if (!j) continue;
        /* the identity is at the top, or under "run" (sweep) or "meta" (drill) */
        const cJSON *where[3] = {j, cJSON_GetObjectItemCaseSensitive(j, "run"),
                                 cJSON_GetObjectItemCaseSensitive(j, "meta")};
        for (int k = 0; k < 3; k++) {
            const char *s;
            if (!*id && (s = str(where[k], "scenario"))) *id = xstrdup(s);
            if (!*dir && (s = str(where[k], "scenario_dir"))) *dir = xstrdup(s);
        }
        cJSON_Delete(j);
    }
    if (!*dir && exists(out_dir, "network.geojson")) {
        cJSON *j = read_json(&c, "network.geojson");
        const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "fuelsim");
        const char *s = str(meta, "scenario");
        /* only a folder recorded for the same scenario */
        if (s && (!*id || strcmp(s, *id) == 0)) {
            if (!*id) *id = xstrdup(s);
            if ((s = str(meta, "scenario_dir"))) *dir = xstrdup(s);
        }
        cJSON_Delete(j);
    }
    free(c.files);
    if (!found) {
        struct stat st;
        if (stat(out_dir, &st) != 0)
            fprintf(stderr, "%s: %s: %s\n", prog, out_dir, strerror(errno));
        else
            fprintf(stderr, "%s: %s holds no fuelsim outputs to report on (summary.json, metrics.json, "
                            "msel.json or compare.json)\n", prog, out_dir);
        return -1;
    }
    return 0;
}
