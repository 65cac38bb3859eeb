/* Loader tests: values arrive in the World as written, references resolve,
 * the in-memory path (used by the fuzzer) agrees with the folder path, and
 * broken input yields diagnostics instead of a World. */
#include "check.h"
#include "scenario.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define BASE "tests/bad-input/base"

TEST(base_scenario_loads_with_its_values)
{
    Diag d;
    diag_init(&d);
    World *w = scn_load(BASE, &d);
    CHECK(w != NULL);
    CHECK(d.total == 0);
    if (!w) { diag_print(&d, stderr); diag_free(&d); return; }
    CHECK(w->horizon_h == 48);
    CHECK(w->class_weight[0] == 100 && w->class_weight[3] == 1);
    CHECK(w->capacity_fraction[DS_MODERATE] == 0.5);
    CHECK_NEAR(w->hazard.corr_range_km, 40.7, 1e-12);
    CHECK(w->bcp_target_h[COMP_BERTH] == 72);
    CHECK(w->nfac == 2 && w->ndem == 1 && w->ncomp == 3 && w->nlink == 2);
    CHECK(w->nquake == 1 && w->default_quake == 0);
    int ref = world_find_facility(w, "ref1");
    CHECK(ref == 0 && w->fac[ref].kind == FAC_REFINERY && w->fac[ref].liq == LIQ_HIGH);
    CHECK(strcmp(w->fac[ref].name_ja, "製油所一") == 0);
    int f = world_find_fragility(w, "ref_f");
    CHECK(f >= 0 && !w->frag[f].on_pgd);
    CHECK(w->frag[f].median[DS_EXTENSIVE] == 0.98 && w->frag[f].beta[DS_EXTENSIVE] == 0.5);
    int g = world_find_fragility(w, "wharf_f");
    CHECK(g >= 0 && w->frag[g].on_pgd);
    CHECK(w->comp[1].kind == COMP_BERTH && w->comp[1].fragility < 0 && w->comp[1].fragility_pgd == g);
    CHECK(w->comp[1].count == 2 && w->comp[1].rate_kl_h == 500);
    CHECK(w->link[0].from == ref && w->link[0].to == w->nfac + 0);
    CHECK(world_place_is_demand(w, w->link[0].to));
    CHECK(strcmp(world_place_id(w, w->link[0].to), "h1") == 0);
    CHECK(w->asset[0].products == ((1u << PROD_DIESEL) | (1u << PROD_HEAVY_A)));
    CHECK(w->use[0].when == USE_GRID_DOWN && w->use[0].use_kl_d == 11);
    CHECK(w->tsunami[0].place == ref && w->tsunami[0].recede_h == 6);
    CHECK(w->quake[0].fault == FAULT_INTRASLAB && w->quake[0].length_km == 0);
    world_free(w);
    diag_free(&d);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = xmalloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static const char *const files[] = {"scenario.json", "areas.csv", "fragility.csv",
    "restoration.csv", "earthquakes.csv", "facilities.csv", "demand.csv", "components.csv",
    "stock.csv", "links.csv", "assets.csv", "consumption.csv", "tsunami.csv", "grid.csv"};
#define NF ((int)(sizeof files / sizeof files[0]))

TEST(memory_loader_matches_folder_loader)
{
    char *data[NF];
    size_t len[NF];
    for (int i = 0; i < NF; i++) {
        char *p = path_join(BASE, files[i]);
        data[i] = slurp(p, &len[i]);
        free(p);
        CHECK(data[i] != NULL);
        if (!data[i]) return;
    }
    Diag d;
    diag_init(&d);
    World *w = scn_load_mem(files, (const char *const *)data, len, NF, &d);
    CHECK(w != NULL && d.total == 0);
    if (w) CHECK(w->nfac == 2 && w->nuse == 2 && w->nfeed == 1);
    world_free(w);
    diag_free(&d);

    /* Break one value: no World, and the message names file and line. */
    char *a = data[10];
    char *p = strstr(a, ",10,diesel");
    CHECK(p != NULL);
    if (p) memcpy(p, ",-1", 3);
    diag_init(&d);
    w = scn_load_mem(files, (const char *const *)data, len, NF, &d);
    CHECK(w == NULL);
    CHECK(d.n >= 1 && strncmp(d.msg[0], "assets.csv:2: capacity_kl:", 26) == 0);
    world_free(w);
    diag_free(&d);
    for (int i = 0; i < NF; i++) free(data[i]);
}

TEST(missing_folder_is_reported_not_crashed)
{
    Diag d;
    diag_init(&d);
    World *w = scn_load("tests/no-such-scenario", &d);
    CHECK(w == NULL && d.total == 1);
    diag_free(&d);
}

TEST(distance_is_haversine)
{
    /* Tokyo station to Yokohama station, about 27.3 km along the great circle. */
    double km = world_dist_km(35.6812, 139.7671, 35.4658, 139.6223);
    CHECK_NEAR(km, 27.3, 0.6);
    CHECK_NEAR(world_dist_km(0, 0, 0, 1), 111.195, 0.01);
}

int main(void)
{
    RUN(base_scenario_loads_with_its_values);
    RUN(memory_loader_matches_folder_loader);
    RUN(missing_folder_is_reported_not_crashed);
    RUN(distance_is_haversine);
    return check_done();
}
