/* `fuelsim validate DIR`: load a scenario, list every problem as
 * file:line: message (exit 2), or print a summary of the loaded world. */
#include "cli_cmds.h"
#include "scenario.h"

#include <stdio.h>

static const CliOpt validate_opts[] = {CLI_OPT_END};

/* Load DIR for a command; on failure print the problems and return NULL
 * (the caller exits 2). */
World *cli_load_world(const char *dir)
{
    Diag d;
    diag_init(&d);
    World *w = scn_load(dir, &d);
    if (!w) {
        diag_print(&d, stderr);
        fprintf(stderr, "%s: %d problem%s found\n", dir, d.total, d.total == 1 ? "" : "s");
    }
    diag_free(&d);
    return w;
}

static int run_validate(const CliArgs *a)
{
    World *w = cli_load_world(a->pos[0]);
    if (!w) return 2;
    printf("scenario %s: %s / %s\n", w->id, w->name_en, w->name_ja);
    printf("horizon %g h, default earthquake %s, %d earthquakes\n", w->horizon_h,
           w->quake[w->default_quake].id, w->nquake);

    int nk[NFACKIND] = {0};
    for (int i = 0; i < w->nfac; i++) nk[w->fac[i].kind]++;
    printf("facilities: %d\n", w->nfac);
    for (int k = 0; k < NFACKIND; k++)
        if (nk[k]) printf("  %-18s %d\n", world_fac_kind_name[k], nk[k]);
    printf("components: %d\n", w->ncomp);

    int nm[NMODE] = {0};
    double km[NMODE] = {0};
    for (int i = 0; i < w->nlink; i++) { nm[w->link[i].mode]++; km[w->link[i].mode] += w->link[i].distance_km; }
    printf("links: %d\n", w->nlink);
    for (int m = 0; m < NMODE; m++)
        if (nm[m]) printf("  %-18s %d (%.0f km)\n", world_mode_name[m], nm[m], km[m]);

    printf("assets: %d fleets\n", w->nasset);
    for (int t = 0; t < NASSETTYPE; t++) {
        int units = 0;
        double kl = 0;
        for (int i = 0; i < w->nasset; i++)
            if ((int)w->asset[i].type == t) { units += w->asset[i].count; kl += w->asset[i].count * w->asset[i].capacity_kl; }
        if (units) printf("  %-18s %d units, %.0f kL per round\n", world_asset_type_name[t], units, kl);
    }

    printf("demand points: %d\n", w->ndem);
    for (int c = 1; c <= NCLASS; c++) {
        int n = 0;
        double use = 0;
        for (int i = 0; i < w->ndem; i++) if (w->dem[i].priority == c) n++;
        for (int i = 0; i < w->nuse; i++) if (w->dem[w->use[i].point].priority == c) use += w->use[i].use_kl_d;
        printf("  class %d            %d points, %.0f kL/day at full use\n", c, n, use);
    }

    printf("storage by product (kL): facilities tank / initial, demand points storage / initial\n");
    for (int p = 0; p < NPROD; p++) {
        double tank = 0, init = 0, out = 0, st = 0, si = 0;
        for (int i = 0; i < w->nstock; i++)
            if (w->stock[i].product == p) { tank += w->stock[i].tank_kl; init += w->stock[i].initial_kl; out += w->stock[i].output_kl_d; }
        for (int i = 0; i < w->nuse; i++)
            if (w->use[i].product == p) { st += w->use[i].storage_kl; si += w->use[i].initial_kl; }
        printf("  %-10s %12.0f / %12.0f   %9.0f / %9.0f   output %8.0f kL/day\n",
               world_product_name[p], tank, init, st, si, out);
    }
    printf("grid areas: %d, fragility classes: %d, restoration classes: %d, tsunami rows: %d\n",
           w->narea, w->nfrag, w->nrest, w->ntsunami);
    world_free(w);
    return 0;
}

const CliCmd cli_cmd_validate = {
    "validate", "DIR", "load and check a scenario folder, print a summary",
    "Reads DIR/scenario.json and the CSV tables it names, checks types, units, ranges\n"
    "and references, and lists every problem as file:line: message (exit 2).",
    1, 1, validate_opts, run_validate, 2};
