/* Replicate metrics as sweep rows (columns built from the World, a row
 * filled from a SupResult) and a reader of the rows file, so that sweep,
 * bcp and compare write and read the same columns. */
#include "metrics.h"

#include "damage.h"
#include "restore.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const met_series_name[MET_NSERIES] = {
    "served_class1", "served_class2", "served_class3", "served_class4", "served_all"};

static char *fmt_str(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
    char *s = xmalloc(n);
    snprintf(s, n, fmt, a, b);
    return s;
}

static const char *keep(MetCols *c, char *s)
{
    c->names[c->nnames++] = s;
    return s;
}

/* The two columns of a facility, berth or component id: its damage state
 * (a category) and its restoration time, named PREFIXds_ID and
 * PREFIXrestore_h_ID, under GROUP/ID/ in the summary. Returns the column
 * after them. */
static SwpCol *ds_restore_cols(MetCols *c, SwpCol *col, const char *prefix, const char *group, const char *id)
{
    col[0].name = keep(c, fmt_str("%sds_%s", prefix, id));
    col[0].ncat = NDS;
    col[0].cat_names = world_ds_name;
    col[0].json = keep(c, fmt_str("%s/%s/damage_state", group, id));
    col[1].name = keep(c, fmt_str("%srestore_h_%s", prefix, id));
    col[1].json = keep(c, fmt_str("%s/%s/restore_h", group, id));
    return col + 2;
}

int met_is_port_facility(const World *w, int f)
{
    for (int k = 0; k < w->ncomp; k++)
        if (w->comp[k].facility == f && w->comp[k].kind == COMP_BERTH) return 1;
    return 0;
}

const char *const met_wk_name[MET_NWK] = {
    "ministry_request_h", "joint_room_h", "first_relay_h", "stockpile_release_h", "stockpile_kl",
    "sdf_drawn_kl", "route_open_h_north", "route_open_h_northeast", "route_open_h_east",
    "route_open_h_southeast", "route_open_h_south", "route_open_h_southwest", "route_open_h_west",
    "route_open_h_northwest"};

MetCols *met_cols_new(const World *w, unsigned flags)
{
    MetCols *c = xcalloc(1, sizeof *c);
    c->w = w;
    c->flags = flags;
    c->nhours = (int)ceil(w->horizon_h - 1e-9);
    c->fac_of = xmalloc(((size_t)w->nfac + 1) * sizeof(int));
    c->berth_of = xmalloc(((size_t)w->ncomp + 1) * sizeof(int));
    c->comp_of = xmalloc(((size_t)w->ncomp + 1) * sizeof(int));
    for (int f = 0; f < w->nfac; f++) {
        int has = 0;
        for (int k = 0; k < w->ncomp; k++) has |= w->comp[k].facility == f;
        if (has) c->fac_of[c->nfac_cols++] = f;
    }
    for (int k = 0; k < w->ncomp; k++)
        if (w->comp[k].kind == COMP_BERTH) c->berth_of[c->nberth++] = k;
    if (flags & MET_BCP)
        for (int k = 0; k < w->ncomp; k++)
            if (w->comp[k].kind != COMP_BERTH && met_is_port_facility(w, w->comp[k].facility))
                c->comp_of[c->ncomp_bcp++] = k;
    int nbcp = (flags & MET_BCP) ? 2 * c->ncomp_bcp + 1 + w->narea + NCLASS + c->nberth + c->ncomp_bcp + MET_NWK : 0;
    c->ncol = MET_COL_FIXED + 2 * c->nfac_cols + 2 * c->nberth + nbcp;
    c->col = xcalloc((size_t)c->ncol, sizeof *c->col);
    c->names = xcalloc((size_t)c->ncol * 2 + 16, sizeof *c->names);

    static const char *const fixed[] = {"weighted_shortfall", "dry_hours_class1", "t90_supply_h",
                                        "resilience_loss"};
    for (int i = 0; i < 4; i++) c->col[i].name = fixed[i];
    for (int k = 0; k < NCLASS; k++) {
        char num[16];
        snprintf(num, sizeof num, "%d", k + 1);
        c->col[MET_COL_UNSERVED_CLASS + k].name = keep(c, fmt_str("unserved_kl_class%s", num, NULL));
    }
    for (int p = 0; p < NPROD; p++)
        c->col[MET_COL_UNSERVED_PROD + p].name = keep(c, fmt_str("unserved_kl_%s", world_product_name[p], NULL));
    c->col[MET_COL_RACK_WAIT].name = "rack_wait_mean_h";
    c->col[MET_COL_BERTH_WAIT].name = "berth_wait_mean_h";
    SwpCol *col = c->col + MET_COL_FIXED;
    for (int i = 0; i < c->nfac_cols; i++) col = ds_restore_cols(c, col, "", "facilities", w->fac[c->fac_of[i]].id);
    for (int i = 0; i < c->nberth; i++) col = ds_restore_cols(c, col, "berth_", "berths", w->comp[c->berth_of[i]].id);
    c->col_bcp = (int)(col - c->col);
    if (!(flags & MET_BCP)) return c;
    for (int i = 0; i < c->ncomp_bcp; i++)
        col = ds_restore_cols(c, col, "comp_", "components", w->comp[c->comp_of[i]].id);
    c->col_first_dry = (int)(col - c->col);
    (col++)->name = "first_dry_h_class1";
    c->col_grid = (int)(col - c->col);
    for (int a = 0; a < w->narea; a++, col++) {
        col->name = keep(c, fmt_str("grid_down_72h_%s", w->area[a].id, NULL));
        col->json = keep(c, fmt_str("areas/%s/grid_down_72h_h", w->area[a].id, NULL));
    }
    c->col_gen = (int)(col - c->col);
    for (int k = 0; k < NCLASS; k++, col++) {
        char num[16];
        snprintf(num, sizeof num, "%d", k + 1);
        col->name = keep(c, fmt_str("gen_fuel_72h_kl_class%s", num, NULL));
    }
    c->col_wk = (int)(col - c->col);
    for (int k = 0; k < MET_NWK; k++, col++) col->name = met_wk_name[k];
    c->col_gate = (int)(col - c->col);
    for (int i = 0; i < c->nberth + c->ncomp_bcp; i++, col++) {
        int berth = i < c->nberth;
        const char *id = w->comp[berth ? c->berth_of[i] : c->comp_of[i - c->nberth]].id;
        col->name = keep(c, fmt_str("gate_%s", id, NULL));
        col->ncat = NRSTGATE;
        col->cat_names = rst_gate_name;
        col->json = keep(c, fmt_str(berth ? "berths/%s/held_by" : "components/%s/held_by", id, NULL));
    }
    return c;
}

void met_cols_free(MetCols *c)
{
    if (!c) return;
    for (int i = 0; i < c->nnames; i++) free(c->names[i]);
    free(c->names);
    free(c->col);
    free(c->fac_of);
    free(c->berth_of);
    free(c->comp_of);
    free(c);
}

void met_fill(const MetCols *c, const SupResult *r, const RstSchedule *rs, double *row, double *series)
{
    const World *w = c->w;
    row[MET_COL_WS] = r->weighted_shortfall;
    row[MET_COL_DRY1] = r->dry_hours_class1;
    row[MET_COL_T90] = r->t90_supply_h;
    row[MET_COL_RLOSS] = r->resilience_loss;
    for (int k = 0; k < NCLASS; k++) row[MET_COL_UNSERVED_CLASS + k] = r->unserved_class_kl[k];
    for (int p = 0; p < NPROD; p++) {
        double s = 0;
        for (int k = 0; k < NCLASS; k++) s += r->unserved_kl[p][k];
        row[MET_COL_UNSERVED_PROD + p] = s;
    }
    row[MET_COL_RACK_WAIT] = r->rack_wait_mean_h;
    row[MET_COL_BERTH_WAIT] = r->berth_wait_mean_h;
    double *x = row + MET_COL_FIXED;
    for (int i = 0; i < c->nfac_cols; i++, x += 2) {
        int f = c->fac_of[i], worst = DS_NONE;
        for (int k = 0; k < w->ncomp; k++)
            if (w->comp[k].facility == f && r->comp_ds[k] > worst) worst = r->comp_ds[k];
        x[0] = worst;
        x[1] = r->fac_restore_h[f];
    }
    for (int i = 0; i < c->nberth; i++, x += 2) {
        x[0] = r->comp_ds[c->berth_of[i]];
        x[1] = r->comp_restore_h[c->berth_of[i]];
    }
    if (c->flags & MET_BCP) {
        for (int i = 0; i < c->ncomp_bcp; i++, x += 2) {
            x[0] = r->comp_ds[c->comp_of[i]];
            x[1] = r->comp_restore_h[c->comp_of[i]];
        }
        /* hour h is short for class 1 when its served fraction is below 1:
         * the same test as the dry rows of the trace (some shortfall) */
        double first = SUP_NEVER_H;
        for (int h = 0; h < r->nhours; h++)
            if (r->served[0][h] < 1.0 - 1e-12) { first = h; break; }
        row[c->col_first_dry] = first;
        for (int a = 0; a < w->narea; a++) {
            row[c->col_grid + a] = fmin(MET_BCP_WINDOW_H, fmax(0.0, rs->area_power_h[a]));
            /* with rolling outages: the dark hours of the window */
            if (w->wk.power) {
                int dark = 0;
                for (int h = 0; h < (int)MET_BCP_WINDOW_H; h++) dark += !rst_area_has_power(rs, a, h);
                row[c->col_grid + a] = dark;
            }
        }
        for (int k = 0; k < NCLASS; k++) row[c->col_gen + k] = 0;
        for (int u = 0; u < w->nuse; u++) {
            const Consumption *cu = &w->use[u];
            if (cu->when != USE_GRID_DOWN) continue;
            const DemandPoint *d = &w->dem[cu->point];
            row[c->col_gen + d->priority - 1] += cu->use_kl_d / 24.0 * row[c->col_grid + d->area];
        }
        double *k = row + c->col_wk;
        k[MET_WK_MINISTRY] = r->wk_ministry_h;
        k[MET_WK_ROOM] = r->wk_room_h;
        k[MET_WK_RELAY] = r->wk_first_relay_h;
        k[MET_WK_STOCKPILE_H] = r->wk_stockpile_h;
        k[MET_WK_STOCKPILE_KL] = r->wk_stockpile_kl;
        k[MET_WK_SDF_KL] = r->wk_sdf_drawn_kl;
        for (int d = 0; d < SUP_NDIR; d++) k[MET_WK_ROUTE + d] = r->wk_dir_open_h[d];
        for (int i = 0; i < c->nberth + c->ncomp_bcp; i++)
            row[c->col_gate + i] = rs->comp[i < c->nberth ? c->berth_of[i] : c->comp_of[i - c->nberth]].gate;
    }
    if (!series) return;
    for (int k = 0; k < NCLASS; k++)
        memcpy(series + (size_t)k * (size_t)c->nhours, r->served[k], (size_t)c->nhours * sizeof(double));
    memcpy(series + (size_t)NCLASS * (size_t)c->nhours, r->served_all, (size_t)c->nhours * sizeof(double));
}

int met_rep(void *vctx, uint64_t seed, uint64_t rep, double *row, double *series)
{
    const MetRun *c = vctx;
    SupResult r;
    memset(&r, 0, sizeof r);
    if (sup_run(c->m, seed, rep, &c->opt, &r) != 0) {
        sup_result_free(&r);
        return -1;
    }
    if (r.nhours != c->cols->nhours) {
        fprintf(stderr, "%s: replicate %llu has %d hours, expected %d\n", c->label ? c->label : "fuelsim",
                (unsigned long long)rep, r.nhours, c->cols->nhours);
        sup_result_free(&r);
        return -1;
    }
    RstSchedule *rs = NULL;
    HazSample *hs = NULL;
    DmgOutcome *dmg = NULL;
    if (c->cols->flags & MET_BCP) {
        const World *w = c->cols->w;
        hs = haz_sample_new(c->hf);
        dmg = dmg_outcome_new(w);
        rs = rst_schedule_new(w);
        rst_replicate(c->hf, seed, rep, hs, dmg, rs);
    }
    met_fill(c->cols, &r, rs, row, series);
    rst_schedule_free(rs);
    dmg_outcome_free(dmg);
    haz_sample_free(hs);
    sup_result_free(&r);
    return 0;
}

/* ---- reading replicates.csv ---------------------------------------------------- */

struct MetRows {
    FILE *f;
    char *line;
    size_t cap;
    int ncol;
    char **name;
};

MetRows *met_rows_open(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    MetRows *r = xcalloc(1, sizeof *r);
    r->f = f;
    ssize_t n = getline(&r->line, &r->cap, f);
    if (n <= 0 || strncmp(r->line, "replicate", 9) != 0) {
        met_rows_close(r);
        errno = EINVAL;
        return NULL;
    }
    r->line[strcspn(r->line, "\r\n")] = 0;
    for (char *p = r->line; *p; p++) r->ncol += *p == ',';
    r->name = xcalloc((size_t)r->ncol + 1, sizeof *r->name);
    char *save = NULL, *tok = strtok_r(r->line, ",", &save);
    for (int i = 0; i < r->ncol && (tok = strtok_r(NULL, ",", &save)); i++) r->name[i] = xstrdup(tok);
    for (int i = 0; i < r->ncol; i++)
        if (!r->name[i]) r->name[i] = xstrdup("");
    return r;
}

int met_rows_ncol(const MetRows *r) { return r->ncol; }

int met_rows_col(const MetRows *r, const char *name)
{
    for (int i = 0; i < r->ncol; i++)
        if (strcmp(r->name[i], name) == 0) return i;
    return -1;
}

int met_rows_next(MetRows *r, uint64_t *rep, double *x)
{
    ssize_t n = getline(&r->line, &r->cap, r->f);
    if (n <= 0) return 0;
    char *p = r->line, *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 10);
    if (end == p || *end != ',' || errno) return -1;
    *rep = v;
    for (int i = 0; i < r->ncol; i++) {
        if (*end != ',') return -1;
        p = end + 1;
        x[i] = strtod(p, &end);
        if (end == p) return -1;
    }
    return (*end == '\n' || *end == '\r' || *end == 0) ? 1 : -1;
}

void met_rows_close(MetRows *r)
{
    if (!r) return;
    if (r->f) fclose(r->f);
    for (int i = 0; r->name && i < r->ncol; i++) free(r->name[i]);
    free(r->name);
    free(r->line);
    free(r);
}
