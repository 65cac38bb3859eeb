/* Port BCP annex from a sweep: reads the sweep's rows back once (damage
 * state counts, targets met, first dry hours, grid outages), takes the
 * quantiles from the sweep's own statistics (so that they match
 * summary.json), and writes the table and the document. */
#include "bcp.h"
#include "drill.h"

#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the annex ------------------------------------------------------------------ */

static char *col_name(const char *prefix, const char *id)
{
    size_t n = strlen(prefix) + strlen(id) + 1;
    char *s = xmalloc(n);
    snprintf(s, n, "%s%s", prefix, id);
    return s;
}

/* Index of column "prefix id" in both the rows file and the column list,
 * or -1 with a message when they disagree. */
static int find_col(const MetRows *rows, const MetCols *cols, const char *prefix, const char *id,
                    char *err, size_t errlen)
{
    char *name = col_name(prefix, id);
    int k = met_rows_col(rows, name);
    if (k < 0 || k >= cols->ncol || strcmp(cols->col[k].name, name) != 0) {
        snprintf(err, errlen, "the sweep's rows have no column %s where expected", name);
        k = -1;
    }
    free(name);
    return k;
}

static int short_cmp(const void *x, const void *y)
{
    const BcpShort *a = x, *b = y;
    if (a->hours != b->hours) return a->hours < b->hours ? -1 : 1;
    return a->use - b->use;
}

/* The annex's working state while it reads the replicates. */
typedef struct BcpRead {
    BcpAnnex *a;
    const MetCols *cols;
    int *ds_col, *rs_col;     /* per table line: its damage-state and restoration columns */
    int *gate_col;            /* per table line: its gate column, -1 for a facility line */
    double *within;           /* per table line: replicates back within the target */
} BcpRead;

/* The table's lines: each port facility, then its components. 0, or -1
 * with err set when the sweep lacks a column. */
static int annex_lines(BcpRead *x, MetRows *rows, char *err, size_t errlen)
{
    BcpAnnex *a = x->a;
    const World *w = a->w;
    const MetCols *cols = x->cols;
    int *ds_col = x->ds_col, *rs_col = x->rs_col;
    int bad = 0;
    for (int f = 0; f < w->nfac && !bad; f++) {
        if (!met_is_port_facility(w, f)) continue;
        BcpRow *r = &a->row[a->nrow];
        r->fac = f;
        r->comp = -1;
        ds_col[a->nrow] = find_col(rows, cols, "ds_", w->fac[f].id, err, errlen);
        rs_col[a->nrow] = find_col(rows, cols, "restore_h_", w->fac[f].id, err, errlen);
        x->gate_col[a->nrow] = -1;
        bad |= ds_col[a->nrow] < 0 || rs_col[a->nrow] < 0;
        a->nrow++;
        for (int c = 0; c < w->ncomp && !bad; c++) {
            if (w->comp[c].facility != f) continue;
            r = &a->row[a->nrow];
            r->fac = f;
            r->comp = c;
            r->target_h = w->bcp_target_h[w->comp[c].kind];
            int berth = w->comp[c].kind == COMP_BERTH;
            ds_col[a->nrow] = find_col(rows, cols, berth ? "berth_ds_" : "comp_ds_", w->comp[c].id, err, errlen);
            rs_col[a->nrow] = find_col(rows, cols, berth ? "berth_restore_h_" : "comp_restore_h_",
                                       w->comp[c].id, err, errlen);
            x->gate_col[a->nrow] = find_col(rows, cols, "gate_", w->comp[c].id, err, errlen);
            bad |= ds_col[a->nrow] < 0 || rs_col[a->nrow] < 0 || x->gate_col[a->nrow] < 0;
            a->nrow++;
        }
    }
    return bad ? -1 : 0;
}

/* One line of a replicate row into the counts. */
static void annex_count_row(BcpRead *x, const double *v)
{
    BcpAnnex *a = x->a;
    const World *w = a->w;
    const MetCols *cols = x->cols;
    int fac_row = -1, fac_ok = 1, fac_any = 0;
    for (int i = 0; i <= a->nrow; i++) {
        /* close the facility line when the next facility starts */
        if (i == a->nrow || a->row[i].comp < 0) {
            if (fac_row >= 0 && fac_any) x->within[fac_row] += fac_ok;
            if (i == a->nrow) break;
            fac_row = i;
            fac_ok = 1;
            fac_any = 0;
        }
        BcpRow *r = &a->row[i];
        int ds = (int)v[x->ds_col[i]];
        if (ds >= 0 && ds < NDS) r->p_ds[ds] += 1;
        if (r->comp >= 0 && ds == DS_NONE) {
            int g = (int)v[x->gate_col[i]];
            if (g > RST_GATE_REPAIR && g < NRSTGATE) r->p_held[g] += 1;
        }
        if (r->comp >= 0 && r->target_h > 0) {
            int ok = v[x->rs_col[i]] <= r->target_h;
            x->within[i] += ok;
            fac_ok &= ok;
            fac_any = 1;
        }
    }
    double first = v[cols->col_first_dry];
    a->p_dry_any += first < SUP_NEVER_H;
    a->p_dry_24 += first < 24;
    a->p_dry_72 += first < 72;
    for (int ar = 0; ar < w->narea; ar++) {
        double h = v[cols->col_grid + ar];
        a->area_p_down_72[ar] += h >= MET_BCP_WINDOW_H;
        a->area_mean_down_h[ar] += h;
    }
}

/* One pass over the replicates: counts. 0, or -1 with err set. */
static int annex_count(BcpRead *x, MetRows *rows, const char *rows_path, uint64_t n, char *err, size_t errlen)
{
    double *v = xmalloc(((size_t)x->cols->ncol + 1) * sizeof *v);
    uint64_t nread = 0, rep;
    int k, bad = 0;
    while ((k = met_rows_next(rows, &rep, v)) != 0) {
        if (k < 0 || rep != nread) {
            snprintf(err, errlen, "%s: row %llu is not a replicate row", rows_path, (unsigned long long)nread + 2);
            bad = 1;
            break;
        }
        nread++;
        annex_count_row(x, v);
    }
    free(v);
    if (!bad && nread != n) {
        snprintf(err, errlen, "%s has %llu replicates, expected %llu", rows_path,
                 (unsigned long long)nread, (unsigned long long)n);
        bad = 1;
    }
    return bad ? -1 : 0;
}

/* Counts into probabilities, and the quantiles from the sweep's statistics. */
static void annex_scale(BcpRead *x, uint64_t n, const SwpColStats *st)
{
    BcpAnnex *a = x->a;
    const World *w = a->w;
    const MetCols *cols = x->cols;
    int *rs_col = x->rs_col;
    double *within = x->within;
    double dn = (double)n;
    for (int i = 0; i < a->nrow; i++) {
        BcpRow *r = &a->row[i];
        for (int d = 0; d < NDS; d++) r->p_ds[d] /= dn;
        for (int g = 0; g < NRSTGATE; g++) r->p_held[g] /= dn;
        r->restore_p50_h = st[rs_col[i]].q[1];
        r->restore_p90_h = st[rs_col[i]].q[2];
        r->p_within = NAN;
        if (r->comp >= 0 && r->target_h > 0) r->p_within = within[i] / dn;
        if (r->comp < 0) {
            int any = 0;
            for (int j = i + 1; j < a->nrow && a->row[j].comp >= 0; j++) any |= a->row[j].target_h > 0;
            if (any) r->p_within = within[i] / dn;
        }
    }
    a->p_dry_any /= dn;
    a->p_dry_24 /= dn;
    a->p_dry_72 /= dn;
    for (int q = 0; q < 3; q++) a->first_dry_q[q] = st[cols->col_first_dry].q[q];
    a->dry_hours_mean = st[MET_COL_DRY1].mean;
    a->dry_hours_p50 = st[MET_COL_DRY1].q[1];
    a->dry_hours_p90 = st[MET_COL_DRY1].q[2];
    for (int k = 0; k < MET_NWK; k++) {
        a->wk_p50[k] = st[cols->col_wk + k].q[1];
        a->wk_p90[k] = st[cols->col_wk + k].q[2];
    }
    for (int ar = 0; ar < w->narea; ar++) {
        a->area_p_down_72[ar] /= dn;
        a->area_mean_down_h[ar] /= dn;
    }

}

/* Generator fuel: the scenario's figures, and the sweep's. */
static void annex_generators(BcpAnnex *a, const MetCols *cols, const SwpColStats *st)
{
    const World *w = a->w;
    unsigned char *seen = xcalloc((size_t)w->ndem + 1, 1);
    a->shortfall = xcalloc((size_t)w->nuse + 1, sizeof *a->shortfall);
    for (int u = 0; u < w->nuse; u++) {
        const Consumption *c = &w->use[u];
        if (c->when != USE_GRID_DOWN) continue;
        BcpGen *g = &a->gen[w->dem[c->point].priority - 1];
        if (!seen[c->point]) { seen[c->point] = 1; g->npoints++; }
        g->use_kl_d += c->use_kl_d;
        g->onsite_kl += c->initial_kl;
        g->need_72h_kl += c->use_kl_d * MET_BCP_WINDOW_H / 24.0;
        if (c->use_kl_d > 0) {
            double hours = c->initial_kl / (c->use_kl_d / 24.0);
            if (hours < MET_BCP_WINDOW_H) a->shortfall[a->nshort++] = (BcpShort){u, hours};
        }
    }
    qsort(a->shortfall, (size_t)a->nshort, sizeof *a->shortfall, short_cmp);
    for (int c = 0; c < NCLASS; c++) {
        const SwpColStats *s = &st[cols->col_gen + c];
        a->gen[c].mean_kl = s->mean;
        a->gen[c].p50_kl = s->q[1];
        a->gen[c].p90_kl = s->q[2];
    }
    free(seen);
}

BcpAnnex *bcp_annex_new(const World *w, int quake, uint64_t n, uint64_t seed, const MetCols *cols,
                        const SwpColStats *st, const char *rows_path, char *err, size_t errlen)
{
    if (!(cols->flags & MET_BCP)) {
        snprintf(err, errlen, "the sweep was run without the BCP columns");
        return NULL;
    }
    MetRows *rows = met_rows_open(rows_path);
    if (!rows) {
        snprintf(err, errlen, "cannot read %s", rows_path);
        return NULL;
    }
    if (met_rows_ncol(rows) != cols->ncol) {
        snprintf(err, errlen, "%s has %d columns, expected %d", rows_path, met_rows_ncol(rows), cols->ncol);
        met_rows_close(rows);
        return NULL;
    }
    BcpAnnex *a = xcalloc(1, sizeof *a);
    a->w = w;
    a->quake = quake;
    a->n = n;
    a->seed = seed;
    size_t nline = (size_t)(w->nfac + w->ncomp) + 1;
    a->row = xcalloc(nline, sizeof *a->row);
    a->area_p_down_72 = xcalloc((size_t)w->narea + 1, sizeof(double));
    a->area_mean_down_h = xcalloc((size_t)w->narea + 1, sizeof(double));
    BcpRead x = {a, cols, xmalloc(nline * sizeof(int)), xmalloc(nline * sizeof(int)), xmalloc(nline * sizeof(int)),
                 NULL};
    int bad = annex_lines(&x, rows, err, errlen) != 0;
    x.within = xcalloc((size_t)a->nrow + 1, sizeof *x.within);
    bad = bad || annex_count(&x, rows, rows_path, n, err, errlen) != 0;
    met_rows_close(rows);
    if (!bad) {
        annex_scale(&x, n, st);
        annex_generators(a, cols, st);
    }
    free(x.within); free(x.ds_col); free(x.rs_col); free(x.gate_col);
    if (bad) {
        bcp_annex_free(a);
        return NULL;
    }
    return a;
}

void bcp_annex_free(BcpAnnex *a)
{
    if (!a) return;
    free(a->row);
    free(a->shortfall);
    free(a->area_p_down_72);
    free(a->area_mean_down_h);
    free(a);
}

/* ---- bcp.csv --------------------------------------------------------------------- */

int bcp_write_csv(const BcpAnnex *a, FILE *f)
{
    const World *w = a->w;
    fprintf(f, "level,facility,component,kind,name_en,name_ja,p_none,p_slight,p_moderate,p_extensive,"
               "p_complete,restore_p50_h,restore_p90_h,target_h,p_within_target\n");
    for (int i = 0; i < a->nrow; i++) {
        const BcpRow *r = &a->row[i];
        const Facility *fa = &w->fac[r->fac];
        fprintf(f, "%s,%s,%s,%s,", r->comp < 0 ? "facility" : "component", fa->id,
                r->comp < 0 ? "" : w->comp[r->comp].id,
                r->comp < 0 ? world_fac_kind_name[fa->kind] : world_comp_kind_name[w->comp[r->comp].kind]);
        csv_put_field(f, fa->name_en);
        fputc(',', f);
        csv_put_field(f, fa->name_ja);
        for (int d = 0; d < NDS; d++) fprintf(f, ",%.6g", r->p_ds[d]);
        fprintf(f, ",%.6g,%.6g,", r->restore_p50_h, r->restore_p90_h);
        if (r->target_h > 0) fprintf(f, "%g", r->target_h);
        fputc(',', f);
        if (!isnan(r->p_within)) fprintf(f, "%.6g", r->p_within);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- bcp.md ---------------------------------------------------------------------- */

/* Text for a table cell: '|' and line breaks would break the table. */
static void md_cell(StrBuf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') sb_printf(b, "\\|");
        else if (*s == '\n' || *s == '\r') sb_printf(b, " ");
        else sb_printf(b, "%c", *s);
    }
}

static void md_hours(StrBuf *b, double h, double horizon)
{
    if (h >= SUP_NEVER_H) sb_printf(b, "never");
    else if (h > horizon) sb_printf(b, "%.0f h (%.1f d)*", h, h / 24.0);
    else sb_printf(b, "%.0f h (%.1f d)", h, h / 24.0);
}

static void md_prob(StrBuf *b, double p)
{
    if (isnan(p)) sb_printf(b, "no target");
    else sb_printf(b, "%.2f", p);
}

char *bcp_notes_caveats(const char *notes)
{
    if (!notes) return NULL;
    const char *p = notes;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        int level = 0;
        while ((size_t)level < len && p[level] == '#') level++;
        if (level > 0 && level < (int)len && p[level] == ' ') {
            int found = 0;
            for (size_t i = (size_t)level; i + 6 <= len && !found; i++)
                found = strncasecmp(p + i, "caveat", 6) == 0;
            if (found) {
                const char *body = eol ? eol + 1 : p + len;
                const char *q = body;
                /* up to the next heading of this level or higher */
                while (*q) {
                    int l2 = 0;
                    while (q[l2] == '#') l2++;
                    if (l2 > 0 && l2 <= level && q[l2] == ' ') break;
                    const char *nl = strchr(q, '\n');
                    if (!nl) { q += strlen(q); break; }
                    q = nl + 1;
                }
                while (q > body && (q[-1] == '\n' || q[-1] == '\r')) q--;
                while (*body == '\n' || *body == '\r') body++;
                if (q < body) q = body;
                StrBuf b = {0};
                sb_printf(&b, "%.*s", (int)(q - body), body);
                return b.s ? b.s : xstrdup("");
            }
        }
        if (!eol) break;
        p = eol + 1;
    }
    return NULL;
}

/* A table row's damage-state probabilities, then when it is back (P50, P90)
 * and the probability of meeting its target. */
static void md_ds_back(StrBuf *b, const BcpRow *r, double hz)
{
    for (int d = 0; d < NDS; d++) sb_printf(b, " | %.2f", r->p_ds[d]);
    sb_printf(b, " | ");
    md_hours(b, r->restore_p50_h, hz);
    sb_printf(b, " | ");
    md_hours(b, r->restore_p90_h, hz);
    sb_printf(b, " | ");
    md_prob(b, r->p_within);
    sb_printf(b, " |\n");
}

/* Title, the run's particulars and how to read the figures. */
static void md_intro(StrBuf *b, const BcpAnnex *a, const RunProv *prov)
{
    const World *w = a->w;
    const Earthquake *q = a->quake >= 0 ? &w->quake[a->quake] : NULL;
    double hz = w->horizon_h;
    sb_printf(b, "# Port BCP annex: fuel supply after %s\n\n", q ? q->name_en : "no earthquake");
    sb_printf(b, "| | |\n|---|---|\n");
    sb_printf(b, "| Scenario | ");
    md_cell(b, w->name_en);
    sb_printf(b, " / ");
    md_cell(b, w->name_ja);
    sb_printf(b, " (`%s`) |\n", w->id);
    if (q) {
        sb_printf(b, "| Earthquake | ");
        md_cell(b, q->name_en);
        sb_printf(b, " / ");
        md_cell(b, q->name_ja);
        sb_printf(b, ", Mw %.1f (`%s`) |\n", q->mw, q->id);
    } else {
        sb_printf(b, "| Earthquake | none |\n");
    }
    sb_printf(b, "| Replicates | %llu sampled damage outcomes, seed %llu |\n", (unsigned long long)a->n,
              (unsigned long long)a->seed);
    sb_printf(b, "| Horizon | %g h (%.1f days) after the main shock; greedy dispatch |\n", hz, hz / 24.0);
    if (prov) {
        sb_printf(b, "| Made with | `%s` |\n", prov->command ? prov->command : "");
        sb_printf(b, "| Program | fuelsim %s, commit `%s` |\n", prov->version, prov->commit);
        if (prov->policy) sb_printf(b, "| Dispatch policy | %s |\n", prov->policy);
    }
    sb_printf(b, "| Scenario files | SHA-256 `%s` (%d files read; `sha256sum FILES \\| sha256sum` in the "
                 "scenario folder gives it again: bcp.xlsx, sheet About, lists them) |\n",
              w->fingerprint, w->nfile);
    sb_printf(b, "\nA port facility is one with a berth. \"Back\" means at full capacity again, after its\n"
                 "own repair and what it depends on (grid power, a cleared fairway, a crude berth for\n"
                 "refinery production, the safety inspection after an automatic shutdown). Times are\n"
                 "hours after the main shock; \"never\" means a dependency is not met at all, and\n"
                 "times marked * lie beyond the simulated horizon (restoration curves extrapolated).\n"
                 "Probabilities come from %llu replicates: a probability p has a standard error of\n"
                 "sqrt(p(1-p)/%llu), at most %.3f.\n\n",
              (unsigned long long)a->n, (unsigned long long)a->n, 0.5 / sqrt((double)a->n));
}

/* 1: port facilities. */
static void md_facilities(StrBuf *b, const BcpAnnex *a)
{
    const World *w = a->w;
    double hz = w->horizon_h;
    sb_printf(b, "## 1. Port facilities: damage and restoration\n\n"
                 "Damage state of a facility = its worst component. Targets met = every component\n"
                 "with a BCP target is back within it.\n\n");
    sb_printf(b, "| Facility | Kind | P(none) | P(slight) | P(moderate) | P(extensive) | P(complete) "
                 "| Back, P50 | Back, P90 | P(targets met) |\n"
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < a->nrow; i++) {
        const BcpRow *r = &a->row[i];
        if (r->comp >= 0) continue;
        const Facility *fa = &w->fac[r->fac];
        sb_printf(b, "| ");
        md_cell(b, fa->name_en);
        sb_printf(b, " / ");
        md_cell(b, fa->name_ja);
        sb_printf(b, " | %s", world_fac_kind_name[fa->kind]);
        md_ds_back(b, r, hz);
    }
}

/* 2: berths. */
static void md_berths(StrBuf *b, const BcpAnnex *a)
{
    const World *w = a->w;
    double hz = w->horizon_h;
    double bt = w->bcp_target_h[COMP_BERTH];
    sb_printf(b, "\n## 2. Berths\n\n");
    if (bt > 0) sb_printf(b, "BCP target for berths: %g h.\n\n", bt);
    else sb_printf(b, "No BCP target is set for berths in this scenario.\n\n");
    sb_printf(b, "| Facility | Berth | P(none) | P(slight) | P(moderate) | P(extensive) | P(complete) "
                 "| Back, P50 | Back, P90 | P(back within target) |\n"
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < a->nrow; i++) {
        const BcpRow *r = &a->row[i];
        if (r->comp < 0 || w->comp[r->comp].kind != COMP_BERTH) continue;
        sb_printf(b, "| ");
        md_cell(b, w->fac[r->fac].name_en);
        sb_printf(b, " | `%s` (%d)", w->comp[r->comp].id, w->comp[r->comp].count);
        md_ds_back(b, r, hz);
    }
}

/* 3: other components against the BCP targets. */
static void md_components(StrBuf *b, const BcpAnnex *a)
{
    const World *w = a->w;
    double hz = w->horizon_h;
    sb_printf(b, "\n## 3. Other components against the BCP targets\n\nTargets:");
    int nt = 0;
    for (int k = 0; k < NCOMPKIND; k++)
        if (k != COMP_BERTH && w->bcp_target_h[k] > 0)
            sb_printf(b, "%s %s %g h", nt++ ? "," : "", world_comp_kind_name[k], w->bcp_target_h[k]);
    if (!nt) sb_printf(b, " none set");
    sb_printf(b, ".\n\n| Facility | Component | Kind | P(extensive or complete) | Back, P50 | Back, P90 "
                 "| Target | P(back within target) |\n|---|---|---|---:|---:|---:|---:|---:|\n");
    int notarget[NCOMPKIND] = {0};
    for (int i = 0; i < a->nrow; i++) {
        const BcpRow *r = &a->row[i];
        if (r->comp < 0 || w->comp[r->comp].kind == COMP_BERTH) continue;
        const Component *c = &w->comp[r->comp];
        if (r->target_h <= 0) { notarget[c->kind]++; continue; }
        sb_printf(b, "| ");
        md_cell(b, w->fac[r->fac].name_en);
        sb_printf(b, " | `%s` | %s | %.2f | ", c->id, world_comp_kind_name[c->kind],
                  r->p_ds[DS_EXTENSIVE] + r->p_ds[DS_COMPLETE]);
        md_hours(b, r->restore_p50_h, hz);
        sb_printf(b, " | ");
        md_hours(b, r->restore_p90_h, hz);
        sb_printf(b, " | %g h | ", r->target_h);
        md_prob(b, r->p_within);
        sb_printf(b, " |\n");
    }
    int first = 1;
    for (int k = 0; k < NCOMPKIND; k++) {
        if (!notarget[k]) continue;
        sb_printf(b, "%s%s (%d component%s)", first ? "\nNo BCP target is set for: " : ", ",
                  world_comp_kind_name[k], notarget[k], notarget[k] > 1 ? "s" : "");
        first = 0;
    }
    if (!first) sb_printf(b, "; their figures are in bcp.csv.\n");
}

int bcp_held_reason(const BcpRow *r, double *p_any)
{
    int best = -1;
    *p_any = 0;
    for (int g = RST_GATE_REPAIR + 1; g < NRSTGATE; g++) {
        *p_any += r->p_held[g];
        if (r->p_held[g] > 0 && (best < 0 || r->p_held[g] > r->p_held[best])) best = g;
    }
    return best;
}

/* 3b: berths and components that come through undamaged but cannot be used
 * at first, and why (the same reasons as the drill's injects). */
static void md_held(StrBuf *b, const BcpAnnex *a)
{
    const World *w = a->w;
    int any = 0;
    for (int i = 0; i < a->nrow; i++) {
        const BcpRow *r = &a->row[i];
        double p;
        int g = r->comp >= 0 ? bcp_held_reason(r, &p) : -1;
        if (g < 0) continue;
        if (!any)
            sb_printf(b, "\n### Undamaged but out of service: why\n\n"
                         "An undamaged berth or component still waits for what it depends on. *P(undamaged,\n"
                         "held back)* is the probability of that; the reason is the most frequent one.\n\n"
                         "| Facility | Component | Kind | P(undamaged, held back) | Reason | 理由 |\n"
                         "|---|---|---|---:|---|---|\n");
        any = 1;
        sb_printf(b, "| ");
        md_cell(b, w->fac[r->fac].name_en);
        sb_printf(b, " | `%s` | %s | %.2f | %s | %s |\n", w->comp[r->comp].id,
                  world_comp_kind_name[w->comp[r->comp].kind], p, drl_gate_why[DRL_EN][g], drl_gate_why[DRL_JA][g]);
    }
}

/* 4: generator fuel for the first 72 hours. */
static void md_generators(StrBuf *b, const BcpAnnex *a)
{
    const World *w = a->w;
    sb_printf(b, "\n## 4. Generator fuel for the first 72 hours\n\n"
                 "Demand points burn generator fuel (their `grid_down` consumption) while their grid area\n"
                 "has no power. *Need, grid down throughout* is 72 h of that use: the planning figure.\n"
                 "*In the replicates* is the use over each replicate's actual outage within the first\n"
                 "72 h (mean, P50, P90). *On site* is the points' stock of those products at the shock.\n"
                 "Port facilities themselves have no generator consumption in the scenario: those with\n"
                 "their own generation keep working without the grid, the others stop until it returns.\n\n");
    sb_printf(b, "| Class | Points | Generator use (kL/day) | Need, grid down throughout (kL) | On site (kL) "
                 "| In the replicates: mean (kL) | P50 | P90 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int c = 0; c < NCLASS; c++) {
        const BcpGen *g = &a->gen[c];
        if (!g->npoints) continue;
        sb_printf(b, "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", c + 1, g->npoints, g->use_kl_d,
                  g->need_72h_kl, g->onsite_kl, g->mean_kl, g->p50_kl, g->p90_kl);
    }
    sb_printf(b, "\n| Grid area | P(no grid power at 72 h) | Mean hours without power in the first 72 h |\n"
                 "|---|---:|---:|\n");
    for (int ar = 0; ar < w->narea; ar++) {
        sb_printf(b, "| ");
        md_cell(b, w->area[ar].name_en);
        sb_printf(b, " / ");
        md_cell(b, w->area[ar].name_ja);
        sb_printf(b, " | %.2f | %.1f |\n", a->area_p_down_72[ar], a->area_mean_down_h[ar]);
    }
    if (a->nshort) {
        sb_printf(b, "\nPoints whose on-site generator fuel lasts less than 72 h of generator use:\n\n"
                      "| Point | Class | Product | Use (kL/day) | On site (kL) | Lasts |\n"
                      "|---|---:|---|---:|---:|---:|\n");
        for (int i = 0; i < a->nshort; i++) {
            const Consumption *c = &w->use[a->shortfall[i].use];
            const DemandPoint *d = &w->dem[c->point];
            sb_printf(b, "| ");
            md_cell(b, d->name_en);
            sb_printf(b, " | %d | %s | %.1f | %.1f | %.0f h |\n", d->priority, world_product_name[c->product],
                      c->use_kl_d, c->initial_kl, a->shortfall[i].hours);
        }
    } else {
        sb_printf(b, "\nEvery point holds at least 72 h of generator fuel on site.\n");
    }
}

/* 5: when class-1 users run dry. */
static void md_class1(StrBuf *b, const BcpAnnex *a)
{
    const World *w = a->w;
    double hz = w->horizon_h;
    sb_printf(b, "\n## 5. When class-1 users run dry\n\n"
                 "Class 1 are the life-critical users (disaster base hospitals and the like). The first dry\n"
                 "hour is the first hour in which some class-1 user is short of some product.\n\n");
    sb_printf(b, "| | |\n|---|---:|\n");
    sb_printf(b, "| P(a class-1 user runs short within 24 h) | %.2f |\n", a->p_dry_24);
    sb_printf(b, "| P(... within 72 h) | %.2f |\n", a->p_dry_72);
    sb_printf(b, "| P(... within the horizon, %g h) | %.2f |\n", hz, a->p_dry_any);
    static const char *const qname[3] = {"P5", "P50", "P90"};
    for (int i = 0; i < 3; i++) {
        sb_printf(b, "| First dry hour, %s | ", qname[i]);
        if (a->first_dry_q[i] >= SUP_NEVER_H) sb_printf(b, "not within the horizon");
        else sb_printf(b, "%.1f h", a->first_dry_q[i]);
        sb_printf(b, " |\n");
    }
    sb_printf(b, "| Class-1 dry point-hours: mean / P50 / P90 | %.1f / %.1f / %.1f |\n", a->dry_hours_mean,
              a->dry_hours_p50, a->dry_hours_p90);
}

static void md_wk_hours(StrBuf *b, double h)
{
    if (h >= SUP_NEVER_H) sb_printf(b, "not within the horizon");
    else sb_printf(b, "%.1f h", h);
}

/* 6: the first week: when joint operations start, when the stockpile is
 * released, when each direction's first emergency route is open. */
static void md_first_week(StrBuf *b, const BcpAnnex *a)
{
    const FirstWeek *k = &a->w->wk;
    sb_printf(b, "\n## 6. The first week: requests, stockpile and roads\n\n");
    if (!k->chain && !k->roads) {
        sb_printf(b, "The scenario does not model the chain of requests or the road-clearance plan\n"
                     "(first_week switches off).\n");
        return;
    }
    static const char *const what[MET_WK_ROUTE] = {
        "Ministry (ANRE) asks PAJ to start its supply cooperation plan",
        "PAJ joint operations room opens (joint operations start)",
        "First priority request reaches the joint operations room",
        "National product stockpile released", "Stockpile released within the horizon (kL)",
        "Fuel drawn by the SDF for its own vehicles (kL)"};
    sb_printf(b, "| | P50 | P90 |\n|---|---:|---:|\n");
    for (int i = 0; i < MET_WK_ROUTE && k->chain; i++) {
        sb_printf(b, "| %s | ", what[i]);
        if (i == MET_WK_STOCKPILE_KL || i == MET_WK_SDF_KL) {
            sb_printf(b, "%.0f | %.0f |\n", a->wk_p50[i], a->wk_p90[i]);
            continue;
        }
        md_wk_hours(b, a->wk_p50[i]);
        sb_printf(b, " | ");
        md_wk_hours(b, a->wk_p90[i]);
        sb_printf(b, " |\n");
    }
    for (int d = 0; d < SUP_NDIR && k->roads; d++) {
        sb_printf(b, "| First emergency route open, %s (0: no clearance needed) | ", rst_dir_name[d]);
        md_wk_hours(b, a->wk_p50[MET_WK_ROUTE + d]);
        sb_printf(b, " | ");
        md_wk_hours(b, a->wk_p90[MET_WK_ROUTE + d]);
        sb_printf(b, " |\n");
    }
}

/* 7: caveats, from the scenario notes when they have some, and the files. */
static void md_caveats(StrBuf *b, const BcpAnnex *a, const char *notes)
{
    const World *w = a->w;
    sb_printf(b, "\n## 7. Caveats\n\n"
                 "- These are model results for one earthquake scenario, not forecasts; every figure\n"
                 "  depends on the scenario's data and assumptions (see its notes).\n"
                 "- Restoration times come from Hazus-style restoration curves per damage state; crews,\n"
                 "  spare parts and aftershocks are not modelled.\n"
                 "- Transport follows a greedy priority dispatch; a better plan may do better.\n");
    char *cav = bcp_notes_caveats(notes);
    if (cav) {
        sb_printf(b, "\nFrom the scenario notes (`%s`):\n\n%s\n", w->notes ? w->notes : "notes", cav);
        free(cav);
    } else if (w->notes) {
        sb_printf(b, "\nThe scenario notes (`%s`) have no caveats section; read them before use.\n", w->notes);
    } else {
        sb_printf(b, "\nThe scenario has no notes file: the provenance of its figures is not documented.\n");
    }
    sb_printf(b, "\n## Files\n\n- `bcp.csv`: the facility and component table (all components, with every damage-state\n"
                 "  probability).\n- `sweep/replicates.csv`, `sweep/summary.json`, `sweep/bands.csv`: the sweep these\n"
                 "  figures come from.\n");
}

char *bcp_markdown(const BcpAnnex *a, const RunProv *prov, const char *notes)
{
    StrBuf b = {0};
    md_intro(&b, a, prov);
    md_facilities(&b, a);
    md_berths(&b, a);
    md_components(&b, a);
    md_held(&b, a);
    md_generators(&b, a);
    md_class1(&b, a);
    md_first_week(&b, a);
    md_caveats(&b, a, notes);
    return b.s;
}
