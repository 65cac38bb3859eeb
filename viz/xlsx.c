/* Workbooks through libxlsxwriter (see xlsx.h): a small sheet helper that
 * tracks the display width of each column (a CJK character is two columns
 * wide) so that the widths fit the text, then one writer per workbook. */
#include "xlsx.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define WB_MAXCOL 24
#define WB_MAXWIDTH 60.0      /* wider text wraps at this width (characters) */
#define WB_JST_S (9 * 3600)   /* Japan time: UTC+9, no daylight saving */

typedef struct Wb {
    lxw_workbook *wb;
    char *path, *tmp;
    lxw_format *head, *wrap, *date, *n0, *n1, *n2, *n3;
} Wb;

typedef struct Sheet {
    lxw_worksheet *ws;
    int ncol, nrow;           /* nrow: rows written after the header */
    double width[WB_MAXCOL];
    int wrap[WB_MAXCOL];      /* a column of long text: wraps */
} Sheet;

/* Display width of UTF-8 text: its widest line, CJK and full-width forms
 * counting two. */
static double text_width(const char *s)
{
    double w = 0, best = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp = *p;
        int len = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;
        if (len == 3) cp = ((cp & 0x0f) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
        if (cp == '\n') { best = fmax(best, w); w = 0; }
        else w += (cp >= 0x1100 && len >= 3) ? 2 : 1;
        for (int i = 0; i < len && *p; i++) p++;
    }
    return fmax(best, w);
}

static int wb_open(Wb *b, const char *path)
{
    memset(b, 0, sizeof *b);
    b->path = xstrdup(path);
    StrBuf t = {0};
    sb_printf(&t, "%s.tmp-%ld", path, (long)getpid());
    b->tmp = sb_take(&t);
    b->wb = workbook_new(b->tmp);
    if (!b->wb) return -1;
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_text_wrap(b->head);
    format_set_align(b->head, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(b->head, 0xDDE6F0);
    format_set_bottom(b->head, LXW_BORDER_THIN);
    b->wrap = workbook_add_format(b->wb);
    format_set_text_wrap(b->wrap);
    format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
    b->date = workbook_add_format(b->wb);
    format_set_num_format(b->date, "yyyy-mm-dd hh:mm");
    format_set_align(b->date, LXW_ALIGN_VERTICAL_TOP);
    const char *nf[] = {"#,##0", "#,##0.0", "0.00", "0.000"};
    lxw_format **f[] = {&b->n0, &b->n1, &b->n2, &b->n3};
    for (int i = 0; i < 4; i++) {
        *f[i] = workbook_add_format(b->wb);
        format_set_num_format(*f[i], nf[i]);
        format_set_align(*f[i], LXW_ALIGN_VERTICAL_TOP);
    }
    return 0;
}

/* Close the workbook and rename it into place; -1 with err on failure. */
static int wb_close(Wb *b, int rc, char *err, size_t errlen)
{
    if (b->wb) {
        lxw_error e = workbook_close(b->wb);
        if (e != LXW_NO_ERROR && rc == 0) {
            snprintf(err, errlen, "%s: %s", b->path, lxw_strerror(e));
            rc = -1;
        }
    } else if (rc == 0) {
        snprintf(err, errlen, "%s: cannot start the workbook", b->path);
        rc = -1;
    }
    if (rc == 0 && rename(b->tmp, b->path) != 0) {
        snprintf(err, errlen, "%s: %s", b->path, strerror(errno));
        rc = -1;
    }
    if (rc != 0) unlink(b->tmp);
    free(b->path);
    free(b->tmp);
    return rc;
}

/* The workbook could not be started (libxlsxwriter cannot create the file). */
static int wb_fail(Wb *b, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: cannot create %s: %s", b->path, b->tmp, strerror(errno ? errno : EIO));
    free(b->path);
    free(b->tmp);
    return -1;
}

/* A new sheet with a header row. */
static void sh_new(Sheet *s, Wb *b, const char *name, const char *const *head)
{
    memset(s, 0, sizeof *s);
    s->ws = workbook_add_worksheet(b->wb, name);
    for (int c = 0; head[c] && c < WB_MAXCOL; c++) {
        worksheet_write_string(s->ws, 0, (lxw_col_t)c, head[c], b->head);
        /* a header may wrap onto two lines: half its width is enough */
        s->width[c] = fmax(8, fmin(text_width(head[c]), fmax(12, text_width(head[c]) / 2 + 2)));
        s->ncol = c + 1;
    }
}

static void sh_str(Sheet *s, Wb *b, int row, int col, const char *text)
{
    if (!text) text = "";
    int wrap = s->wrap[col] || strchr(text, '\n') != NULL;
    worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, text, wrap ? b->wrap : NULL);
    double w = text_width(text) + 1;
    if (w > s->width[col]) s->width[col] = w;
    if (row > s->nrow) s->nrow = row;
}

/* A number with format f; NaN leaves the cell empty (no figure applies). */
static void sh_num(Sheet *s, int row, int col, double v, lxw_format *f)
{
    if (!isnan(v)) worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
    if (s->width[col] < 10) s->width[col] = 10;
    if (row > s->nrow) s->nrow = row;
}

/* Widths, frozen header, filters, A4 landscape pages that repeat the header. */
static void sh_finish(Sheet *s, Wb *b)
{
    for (int c = 0; c < s->ncol; c++) {
        double w = fmin(s->width[c], WB_MAXWIDTH);
        worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w,
                             s->width[c] > WB_MAXWIDTH || s->wrap[c] ? b->wrap : NULL);
    }
    worksheet_freeze_panes(s->ws, 1, 0);
    if (s->ncol > 0) worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)s->nrow, (lxw_col_t)(s->ncol - 1));
    worksheet_set_paper(s->ws, 9);   /* A4 */
    worksheet_set_landscape(s->ws);
    worksheet_repeat_rows(s->ws, 0, 0);
    worksheet_fit_to_pages(s->ws, 1, 0);
}

/* The "About" sheet: what made the workbook, one item per row. */
static void sheet_about(Wb *b, const World *w, const RunProv *p, const char *const *extra)
{
    static const char *const head[] = {"item", "value", NULL};
    Sheet s;
    sh_new(&s, b, "About", head);
    int r = 1;
    char num[32];
    const char *kv[] = {"scenario", w->id, "scenario name", w->name_en, "シナリオ名", w->name_ja, NULL};
    for (int i = 0; kv[i]; i += 2, r++) {
        sh_str(&s, b, r, 0, kv[i]);
        sh_str(&s, b, r, 1, kv[i + 1]);
    }
    for (const char *const *e = extra; e && e[0] && e[1]; e += 2, r++) {
        sh_str(&s, b, r, 0, e[0]);
        sh_str(&s, b, r, 1, e[1]);
    }
    snprintf(num, sizeof num, "%llu", (unsigned long long)p->seed);
    const char *pv[] = {"seed", num, "command", p->command, "fuelsim version", p->version,
                        "commit", p->commit, "scenario SHA-256", w->fingerprint, NULL};
    for (int i = 0; pv[i]; i += 2, r++) {
        sh_str(&s, b, r, 0, pv[i]);
        sh_str(&s, b, r, 1, pv[i + 1]);
    }
    sh_str(&s, b, r++, 0, "scenario files read (SHA-256 of each; the scenario SHA-256 is that of this list as sha256sum prints it)");
    for (int i = 0; i < w->nfile; i++, r++) {
        sh_str(&s, b, r, 0, w->file[i].name);
        sh_str(&s, b, r, 1, w->file[i].sha256);
    }
    s.width[0] = fmin(s.width[0], 40);
    sh_finish(&s, b);
}

/* ---- MSEL ---------------------------------------------------------------- */

static const char *const msel_head[NDRLLANG][12] = {
    {"番号", "想定時刻(発災後h)", "演習時刻(JST)", "発信者", "受信者", "伝達手段", "状況付与(メッセージ)",
     "期待される対応", "演習目標", "種別", "トレース行", NULL},
    {"Inject #", "Scenario time (h after the shock)", "Exercise time (JST)", "From", "To", "Method",
     "Message", "Expected player action", "Objective", "Kind", "Trace lines", NULL},
};

int xlsx_write_msel(const char *path, const DrlMsel *m, const World *w, const RunProv *p,
                    const char *const *extra, char *err, size_t errlen)
{
    Wb b;
    if (wb_open(&b, path) != 0) return wb_fail(&b, err, errlen);
    Sheet s;
    sh_new(&s, &b, "MSEL", msel_head[m->par.lang]);
    s.wrap[6] = s.wrap[7] = 1;
    s.width[2] = 17;
    for (int i = 0; i < m->n; i++) {
        const DrlInject *in = &m->inj[i];
        int r = i + 1;
        char id[32];
        drl_inject_id(in, id, sizeof id);
        sh_str(&s, &b, r, 0, id);
        sh_num(&s, r, 1, in->time_h, b.n1);
        worksheet_write_unixtime(s.ws, (lxw_row_t)r, 2, drl_exercise_s(&m->par, in->time_h) + WB_JST_S, b.date);
        sh_str(&s, &b, r, 3, in->from);
        sh_str(&s, &b, r, 4, in->to);
        sh_str(&s, &b, r, 5, in->method);
        sh_str(&s, &b, r, 6, in->message);
        sh_str(&s, &b, r, 7, in->action);
        sh_str(&s, &b, r, 8, in->objective);
        sh_str(&s, &b, r, 9, in->kind);
        StrBuf lines = {0};
        for (int k = 0; k < in->nlines; k++) sb_printf(&lines, "%s%d", k ? " " : "", in->lines[k]);
        char *t = sb_take(&lines);
        sh_str(&s, &b, r, 10, t);
        free(t);
    }
    sh_finish(&s, &b);
    sheet_about(&b, w, p, extra);
    return wb_close(&b, 0, err, errlen);
}

/* ---- BCP annex ------------------------------------------------------------ */

static void bcp_ds_cells(Sheet *s, Wb *b, int r, int col, const BcpRow *row)
{
    for (int d = 0; d < NDS; d++) sh_num(s, r, col + d, row->p_ds[d], b->n2);
}

static void bcp_sheet_rows(Wb *b, const BcpAnnex *a, int which)
{
    static const char *const head[3][17] = {
        {"facility", "name (en)", "名称", "kind", "P(none)", "P(slight)", "P(moderate)", "P(extensive)",
         "P(complete)", "back, P50 (h)", "back, P90 (h)", "P(all targets met)", NULL},
        {"facility", "name (en)", "名称", "berth", "P(none)", "P(slight)", "P(moderate)", "P(extensive)",
         "P(complete)", "back, P50 (h)", "back, P90 (h)", "BCP target (h)", "P(back within target)",
         "P(undamaged, held back)", "why (most often)", "理由"},
        {"facility", "name (en)", "名称", "component", "kind", "P(none)", "P(slight)", "P(moderate)",
         "P(extensive)", "P(complete)", "back, P50 (h)", "back, P90 (h)", "BCP target (h)",
         "P(back within target)", "P(undamaged, held back)", "why (most often)", "理由"},
    };
    static const char *const names[3] = {"Facilities", "Berths", "Components"};
    const World *w = a->w;
    const char *hd[18];
    memcpy(hd, head[which], sizeof head[which]);
    hd[17] = NULL;
    Sheet s;
    sh_new(&s, b, names[which], hd);
    int r = 1;
    for (int i = 0; i < a->nrow; i++) {
        const BcpRow *row = &a->row[i];
        int berth = row->comp >= 0 && w->comp[row->comp].kind == COMP_BERTH;
        if ((which == 0) != (row->comp < 0) || (which == 1 && !berth) || (which == 2 && berth)) continue;
        const Facility *f = &w->fac[row->fac];
        sh_str(&s, b, r, 0, f->id);
        sh_str(&s, b, r, 1, f->name_en);
        sh_str(&s, b, r, 2, f->name_ja);
        int c = 3;
        if (which == 0) sh_str(&s, b, r, c++, world_fac_kind_name[f->kind]);
        else sh_str(&s, b, r, c++, w->comp[row->comp].id);
        if (which == 2) sh_str(&s, b, r, c++, world_comp_kind_name[w->comp[row->comp].kind]);
        bcp_ds_cells(&s, b, r, c, row);
        c += NDS;
        sh_num(&s, r, c++, row->restore_p50_h, b->n1);
        sh_num(&s, r, c++, row->restore_p90_h, b->n1);
        if (which != 0) sh_num(&s, r, c++, row->target_h > 0 ? row->target_h : NAN, b->n0);
        sh_num(&s, r, c++, row->p_within, b->n2);
        if (which != 0) {
            double p;
            int g = bcp_held_reason(row, &p);
            sh_num(&s, r, c++, p, b->n2);
            sh_str(&s, b, r, c++, g >= 0 ? drl_gate_why[DRL_EN][g] : "");
            sh_str(&s, b, r, c++, g >= 0 ? drl_gate_why[DRL_JA][g] : "");
        }
        r++;
    }
    sh_finish(&s, b);
}

static void bcp_sheet_gen(Wb *b, const BcpAnnex *a)
{
    static const char *const head[] = {"priority class", "points", "generator use (kL/day)",
                                       "need, grid down 72 h (kL)", "on site (kL)", "mean, replicates (kL)",
                                       "P50 (kL)", "P90 (kL)", NULL};
    Sheet s;
    sh_new(&s, b, "Generator fuel", head);
    for (int c = 0; c < NCLASS; c++) {
        const BcpGen *g = &a->gen[c];
        sh_num(&s, c + 1, 0, c + 1, b->n0);
        sh_num(&s, c + 1, 1, g->npoints, b->n0);
        sh_num(&s, c + 1, 2, g->use_kl_d, b->n1);
        sh_num(&s, c + 1, 3, g->need_72h_kl, b->n1);
        sh_num(&s, c + 1, 4, g->onsite_kl, b->n1);
        sh_num(&s, c + 1, 5, g->mean_kl, b->n1);
        sh_num(&s, c + 1, 6, g->p50_kl, b->n1);
        sh_num(&s, c + 1, 7, g->p90_kl, b->n1);
    }
    sh_finish(&s, b);

    static const char *const ahead[] = {"grid area", "name (en)", "名称", "P(no grid power at 72 h)",
                                        "mean hours without power, first 72 h (h)", NULL};
    const World *w = a->w;
    sh_new(&s, b, "Grid areas", ahead);
    for (int i = 0; i < w->narea; i++) {
        sh_str(&s, b, i + 1, 0, w->area[i].id);
        sh_str(&s, b, i + 1, 1, w->area[i].name_en);
        sh_str(&s, b, i + 1, 2, w->area[i].name_ja);
        sh_num(&s, i + 1, 3, a->area_p_down_72[i], b->n2);
        sh_num(&s, i + 1, 4, a->area_mean_down_h[i], b->n1);
    }
    sh_finish(&s, b);
}

static void bcp_sheet_class1(Wb *b, const BcpAnnex *a)
{
    static const char *const head[] = {"figure (class 1: disaster base hospitals, life-critical)",
                                       "value", "unit", NULL};
    Sheet s;
    sh_new(&s, b, "Class 1", head);
    struct { const char *name; double v; const char *unit; } f[] = {
        {"P(some class-1 user short within 24 h)", a->p_dry_24, "probability"},
        {"P(some class-1 user short within 72 h)", a->p_dry_72, "probability"},
        {"P(some class-1 user short within the horizon)", a->p_dry_any, "probability"},
        {"first short hour, P5", a->first_dry_q[0], "h after the shock"},
        {"first short hour, P50", a->first_dry_q[1], "h after the shock"},
        {"first short hour, P90", a->first_dry_q[2], "h after the shock"},
        {"class-1 dry point-hours, mean", a->dry_hours_mean, "point-h"},
        {"class-1 dry point-hours, P50", a->dry_hours_p50, "point-h"},
        {"class-1 dry point-hours, P90", a->dry_hours_p90, "point-h"},
    };
    for (int i = 0; i < (int)(sizeof f / sizeof f[0]); i++) {
        sh_str(&s, b, i + 1, 0, f[i].name);
        /* "never within the horizon" is an empty cell, not a huge number */
        sh_num(&s, i + 1, 1, f[i].v >= SUP_NEVER_H ? NAN : f[i].v, b->n2);
        sh_str(&s, b, i + 1, 2, f[i].unit);
    }
    sh_finish(&s, b);
}

/* The plan's bottlenecks over the annex's sample (psh_bind_stats). */
static void bcp_sheet_binds(Wb *b, const PshBindStats *bs, const World *w)
{
    static const char *const head[] = {"limit", "id", "name (en)", "名称", "binds in (replicates)",
                                       "replicates planned", "share binding", "mean marginal value", "unit",
                                       NULL};
    Sheet s;
    sh_new(&s, b, "Transport bottlenecks", head);
    PlanSheet en = {0}, ja = {0};
    en.w = ja.w = w;
    ja.ja = 1;
    for (int i = 0; i < bs->nitem; i++) {
        const PshBind *x = &bs->item[i];
        PshBottleneck bn = {x->kind, x->ref, x->queue, -1, 0, -1, 0};
        char buf[256];
        int r = i + 1;
        sh_str(&s, b, r, 0, psh_bkind_name[x->kind]);
        sh_str(&s, b, r, 1, psh_bottleneck_id(&en, &bn, buf, sizeof buf));
        sh_str(&s, b, r, 2, psh_bottleneck_name(&en, &bn, buf, sizeof buf));
        sh_str(&s, b, r, 3, psh_bottleneck_name(&ja, &bn, buf, sizeof buf));
        sh_num(&s, r, 4, x->nbind, b->n0);
        sh_num(&s, r, 5, (double)bs->nrep, b->n0);
        sh_num(&s, r, 6, bs->nrep ? (double)x->nbind / (double)bs->nrep : NAN, b->n2);
        sh_num(&s, r, 7, x->sum / x->nbind, b->n3);
        sh_str(&s, b, r, 8, psh_bkind_unit[x->kind]);
    }
    sh_finish(&s, b);
}

int xlsx_write_bcp(const char *path, const BcpAnnex *a, const PshBindStats *bs, const RunProv *p, char *err,
                   size_t errlen)
{
    Wb b;
    if (wb_open(&b, path) != 0) return wb_fail(&b, err, errlen);
    for (int k = 0; k < 3; k++) bcp_sheet_rows(&b, a, k);
    bcp_sheet_gen(&b, a);
    bcp_sheet_class1(&b, a);
    if (bs) bcp_sheet_binds(&b, bs, a->w);
    char n[32], ns[96];
    snprintf(n, sizeof n, "%llu", (unsigned long long)a->n);
    snprintf(ns, sizeof ns, "replicates 0-%llu, each planned at hour %g",
             (unsigned long long)(bs && bs->nrep ? bs->nrep - 1 : 0), bs ? bs->at_h : 0.0);
    const char *extra[] = {"earthquake", a->quake >= 0 ? a->w->quake[a->quake].id : "none", "replicates", n,
                           bs ? "bottleneck sample" : NULL, ns, NULL};
    sheet_about(&b, a->w, p, extra);
    return wb_close(&b, 0, err, errlen);
}

/* ---- comparison ----------------------------------------------------------- */

int xlsx_write_compare(const char *path, const CmpInvest *inv, const CmpResult *res, int nres,
                       const World *w, const RunProv *p, const char *const *extra, char *err,
                       size_t errlen)
{
    static const char *const head[] = {
        "rank", "option", "name (en)", "名称", "cost (yen)", "weighted shortfall avoided, mean (kL)",
        "95% CI low (kL)", "95% CI high (kL)", "unserved avoided, mean (kL)", "95% CI low (kL)",
        "95% CI high (kL)", "class-1 dry hours avoided, mean (point-h)", "yen per kL avoided",
        "yen per weighted kL avoided", "baseline weighted shortfall, mean (kL)", NULL};
    Wb b;
    if (wb_open(&b, path) != 0) return wb_fail(&b, err, errlen);
    Sheet s;
    sh_new(&s, &b, "Options", head);
    for (int i = 0; i < nres; i++) {
        const CmpResult *r = &res[i];
        const CmpOption *o = &inv->opt[r->opt];
        int row = i + 1;
        sh_num(&s, row, 0, r->rank, b.n0);
        sh_str(&s, &b, row, 1, o->id);
        sh_str(&s, &b, row, 2, o->name_en);
        sh_str(&s, &b, row, 3, o->name_ja);
        sh_num(&s, row, 4, o->cost_yen, b.n0);
        const double v[] = {r->ws.mean, r->ws.ci_lo, r->ws.ci_hi, r->kl.mean, r->kl.ci_lo, r->kl.ci_hi,
                            r->dry1.mean, r->yen_per_kl, r->yen_per_wkl, r->ws.base_mean};
        for (int k = 0; k < 10; k++) sh_num(&s, row, 5 + k, v[k], k >= 7 && k <= 8 ? b.n0 : b.n1);
    }
    sh_finish(&s, &b);
    sheet_about(&b, w, p, extra);
    return wb_close(&b, 0, err, errlen);
}

/* ---- transport plan ---------------------------------------------------------- */

static const char *const plan_head[2][10] = {
    {"Day", "Period", "From", "To", "Product", "kL", "Loads or sorties", "Departure", "Arrival", NULL},
    {"日", "期", "発", "着", "油種", "kL", "車両・便数", "出発", "到着", NULL}};

/* A time on the exercise clock as an Excel date, else hours after the shock. */
static void plan_time(Sheet *s, Wb *b, const PlanSheet *ps, int row, int col, double h)
{
    if (ps->have_start)
        worksheet_write_unixtime(s->ws, (lxw_row_t)row, (lxw_col_t)col, psh_clock_s(ps, h) + WB_JST_S, b->date);
    else sh_num(s, row, col, h, b->n1);
    if (s->width[col] < 17) s->width[col] = 17;
}

static void plan_sheet_group(Wb *b, const PlanSheet *ps, int g)
{
    Sheet s;
    /* sheet names: at most 31 characters, the group's id fits */
    sh_new(&s, b, psh_group_id[g], plan_head[ps->ja]);
    int r = 0;
    for (int i = 0; i < ps->ntask; i++) {
        const PshTask *t = &ps->task[i];
        if (t->group != g) continue;
        r++;
        sh_num(&s, r, 0, t->day, b->n0);
        sh_num(&s, r, 1, t->period, b->n0);
        sh_str(&s, b, r, 2, psh_place_name(ps, t->src));
        sh_str(&s, b, r, 3, psh_place_name(ps, t->dest_place));
        sh_str(&s, b, r, 4, world_product_name[t->product]);
        sh_num(&s, r, 5, t->kl, b->n1);
        sh_num(&s, r, 6, t->loads, b->n0);
        plan_time(&s, b, ps, r, 7, t->depart_h);
        plan_time(&s, b, ps, r, 8, t->arrive_h);
    }
    sh_finish(&s, b);
}

static void plan_sheet_totals(Wb *b, const PlanSheet *ps)
{
    static const char *const head[] = {"group", "class 1 (kL)", "class 2 (kL)", "class 3 (kL)", "class 4 (kL)",
                                       "depots (kL)", "total (kL)", "loads or sorties", NULL};
    Sheet s;
    sh_new(&s, b, "Totals", head);
    for (int g = 0; g < PSH_NGROUP; g++) {
        sh_str(&s, b, g + 1, 0, psh_group_name(ps, g));
        for (int d = 0; d < PSH_NDEST; d++) sh_num(&s, g + 1, 1 + d, ps->dest_kl[g][d], b->n1);
        sh_num(&s, g + 1, 6, ps->group_kl[g], b->n1);
        sh_num(&s, g + 1, 7, ps->group_loads[g], b->n0);
    }
    sh_finish(&s, b);
}

static void plan_sheet_short(Wb *b, const PlanSheet *ps, const OptSolution *so)
{
    static const char *const bh[] = {"rank", "kind", "id", "marginal value", "unit", "hours earlier (road)",
                                     "per hour earlier (road)", NULL};
    static const char *const uh[] = {"point", "class", "product", "unmet (kL)", "limit", "what stops it", NULL};
    Sheet s;
    sh_new(&s, b, "Bottlenecks", bh);
    for (int i = 0; i < ps->nbn; i++) {
        const PshBottleneck *x = &ps->bn[i];
        char id[200];
        sh_num(&s, i + 1, 0, i + 1, b->n0);
        sh_str(&s, b, i + 1, 1, psh_bkind_name[x->kind]);
        sh_str(&s, b, i + 1, 2, psh_bottleneck_id(ps, x, id, sizeof id));
        sh_num(&s, i + 1, 3, x->value, b->n3);
        sh_str(&s, b, i + 1, 4, psh_bkind_unit[x->kind]);
        if (x->kind == PSH_B_ROAD && x->hours > 0) {
            sh_num(&s, i + 1, 5, x->hours, b->n0);
            sh_num(&s, i + 1, 6, x->value / x->hours, b->n3);
        }
    }
    sh_finish(&s, b);
    sh_new(&s, b, "Unmet", uh);
    for (int i = 0; i < ps->nunmet; i++) {
        const PshUnmet *u = &ps->unmet[i];
        char why[256];
        sh_str(&s, b, i + 1, 0, psh_place_name(ps, ps->w->nfac + u->point));
        sh_num(&s, i + 1, 1, ps->w->dem[u->point].priority, b->n0);
        sh_str(&s, b, i + 1, 2, u->product >= 0 ? world_product_name[u->product] : "");
        sh_num(&s, i + 1, 3, u->kl, b->n1);
        sh_str(&s, b, i + 1, 4, opt_why_name[u->why]);
        sh_str(&s, b, i + 1, 5, psh_why_text(ps, so, u, why, sizeof why));
    }
    sh_finish(&s, b);
}

int xlsx_write_plan(const char *path, const PlanSheet *ps, const OptSolution *so, const RunProv *p,
                    const char *const *extra, char *err, size_t errlen)
{
    Wb b;
    if (wb_open(&b, path) != 0) return wb_fail(&b, err, errlen);
    for (int g = 0; g < PSH_NGROUP; g++) plan_sheet_group(&b, ps, g);
    plan_sheet_totals(&b, ps);
    if (ps->explained) plan_sheet_short(&b, ps, so);
    sheet_about(&b, ps->w, p, extra);
    return wb_close(&b, 0, err, errlen);
}
