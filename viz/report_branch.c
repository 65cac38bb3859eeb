/* The report's live-drill section: OUT/branch.json as `fuelsim branch`
 * writes it (models/studies/branch.h): the players' decisions, the branch
 * beside its base run (weighted shortfall, class-1 dry hours, unserved kL
 * by class) and the first trace rows where the two part. Absent file,
 * absent section. */
#include "report_int.h"

#include "util.h"

#include <cjson/cJSON.h>
#include <math.h>

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* One figure: base, branch, branch - base. */
static void fig_row(StrBuf *b, const char *label, double base, double br)
{
    double dx = br - base;
    svg_printf(b, "<tr><td class=\"l\">%s</td><td>%.1f</td><td>%.1f</td><td>%r%.1f</td></tr>\n", label, base, br,
               dx > 0 ? "+" : dx < 0 ? "&minus;" : "", fabs(dx));
}

static void figures(StrBuf *b, const RptData *d, const cJSON *base, const cJSON *br)
{
    svg_printf(b, "<table class=\"branch\"><tr><th class=\"l\"></th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
               d->ja ? "基本(決定なし)" : "base (no decisions)", d->ja ? "分岐" : "branch",
               d->ja ? "差" : "difference");
    fig_row(b, d->ja ? "重み付き供給不足" : "weighted shortfall", num(base, "weighted_shortfall"),
            num(br, "weighted_shortfall"));
    fig_row(b, d->ja ? "優先度1の燃料切れ時間" : "class-1 dry hours", num(base, "dry_hours_class1"),
            num(br, "dry_hours_class1"));
    const cJSON *ub = cJSON_GetObjectItemCaseSensitive(base, "unserved_kl_by_class");
    const cJSON *ur = cJSON_GetObjectItemCaseSensitive(br, "unserved_kl_by_class");
    for (int k = 0; k < NCLASS; k++) {
        const cJSON *x = cJSON_GetArrayItem(ub, k), *y = cJSON_GetArrayItem(ur, k);
        char label[64];
        snprintf(label, sizeof label, d->ja ? "未供給 kL 優先度%d" : "unserved kL, class %d", k + 1);
        fig_row(b, label, cJSON_IsNumber(x) ? x->valuedouble : NAN, cJSON_IsNumber(y) ? y->valuedouble : NAN);
    }
    sb_puts(b, "</table>\n");
}

static void decisions(StrBuf *b, const RptData *d, const cJSON *arr)
{
    svg_printf(b, "<table class=\"branch\"><tr><th>#</th><th>%s</th><th class=\"l\">%s</th><th class=\"l\">%s</th></tr>\n",
               d->ja ? "時刻 h" : "at h", d->ja ? "決定" : "action", d->ja ? "メモ" : "note");
    const cJSON *o;
    cJSON_ArrayForEach(o, arr)
        svg_printf(b, "<tr><td>%g</td><td>%g</td><td class=\"l\">%s</td><td class=\"l\">%s</td></tr>\n",
                   num(o, "no"), num(o, "at_h"), str(o, "action"), str(o, "note"));
    sb_puts(b, "</table>\n");
}

/* The first rows where the traces part, side by side. */
static void divergence(StrBuf *b, const RptData *d, const cJSON *dv)
{
    double line = num(dv, "trace_line");
    if (isnan(line)) {
        svg_printf(b, "<p class=\"note\">%s</p>\n",
                   d->ja ? "分岐の記録は基本と同一(決定は何も変えなかった)。"
                         : "The branch's trace equals the base's: the decisions changed nothing.");
        return;
    }
    svg_printf(b, "<p class=\"note\">%s %g, %g h.</p>\n",
               d->ja ? "最初に分かれた記録の行(trace.csv)と時刻:" : "First divergent trace line and time:", line,
               num(dv, "time_h"));
    const cJSON *ba = cJSON_GetObjectItemCaseSensitive(dv, "base"), *ra = cJSON_GetObjectItemCaseSensitive(dv, "branch");
    int n = cJSON_GetArraySize(ba) > cJSON_GetArraySize(ra) ? cJSON_GetArraySize(ba) : cJSON_GetArraySize(ra);
    svg_printf(b, "<table class=\"branch trace\"><tr><th class=\"l\">%s</th><th class=\"l\">%s</th></tr>\n",
               d->ja ? "基本" : "base", d->ja ? "分岐" : "branch");
    for (int i = 0; i < n; i++) {
        const cJSON *x = cJSON_GetArrayItem(ba, i), *y = cJSON_GetArrayItem(ra, i);
        svg_printf(b, "<tr><td class=\"l\"><code>%s</code></td><td class=\"l\"><code>%s</code></td></tr>\n",
                   cJSON_IsString(x) ? x->valuestring : "", cJSON_IsString(y) ? y->valuestring : "");
    }
    sb_puts(b, "</table>\n");
}

void rpt_sec_branch(StrBuf *b, const RptData *d)
{
    const cJSON *j = d->branch;
    if (!j) return;
    svg_printf(b, "<section id=\"branch\"><h2>%s</h2>\n<p class=\"note\">%s</p>\n",
               d->ja ? "訓練の分岐:プレーヤーの決定とその効果" : "Live drill: the players' decisions and their effect",
               d->ja ? "同じ被害の試行を決定なし(基本)と決定あり(分岐)で比べる。最初の決定までは同一。"
                     : "The same sampled outcome without the decisions (base) and with them (branch); "
                       "identical up to the first decision.");
    decisions(b, d, cJSON_GetObjectItemCaseSensitive(j, "decisions"));
    figures(b, d, cJSON_GetObjectItemCaseSensitive(j, "base"), cJSON_GetObjectItemCaseSensitive(j, "branch"));
    divergence(b, d, cJSON_GetObjectItemCaseSensitive(j, "first_divergence"));
    sb_puts(b, "</section>\n");
}
