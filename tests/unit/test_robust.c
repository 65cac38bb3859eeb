/* Extreme but valid inputs run and give sensible results: no assets, a
 * demand point no source can reach, an earthquake 1,000 km away, Mw 9.5
 * under the refinery, horizons of one hour and sixty days. */
#include "check.h"
#include "testutil.h"
#include "scenario.h"
#include "supply.h"

#include <math.h>
#include <stdlib.h>

static void check_sane(const World *w, const SupResult *r)
{
    CHECK(isfinite(r->weighted_shortfall) && r->weighted_shortfall >= 0);
    CHECK(isfinite(r->resilience_loss) && r->resilience_loss >= 0 && r->resilience_loss <= w->horizon_h + 1e-9);
    CHECK(r->t90_supply_h >= 0 && r->t90_supply_h <= ceil(w->horizon_h));
    CHECK(fabs(tu_residual(&r->balance)) < 1e-6);
    for (int c = 0; c < w->ncomp; c++) CHECK(isfinite(r->comp_restore_h[c]) && r->comp_restore_h[c] >= 0);
}

/* The one-lorry scenario with its fleet emptied behaves as no_lorry: dry
 * after 12 h, 36 kL short over 48 h. */
TEST(zero_assets_run_dry_as_computed)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/one_lorry"));
    w->asset[0].count = 0;
    SupResult r;
    CHECK(tu_run_greedy(w, -1, 1, 0, &r, NULL, NULL) == 0);
    check_sane(w, &r);
    CHECK(fabs(r.unserved_class_kl[0] - 36) < 1e-9);
    sup_result_free(&r);
    int n = w->nasset;
    w->nasset = 0;                         /* no fleet at all */
    CHECK(tu_run_greedy(w, -1, 1, 0, &r, NULL, NULL) == 0);
    CHECK(fabs(r.unserved_class_kl[0] - 36) < 1e-9);
    sup_result_free(&r);
    w->nasset = n;                         /* so that world_free frees them */
    world_free(w);
}

/* Without its road the hospital cannot be reached: same shortfall, and no
 * trip is ever started. */
TEST(unreachable_demand_point_runs_dry_without_trips)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/one_lorry"));
    int n = w->nlink;
    w->nlink = 0;
    SupResult r;
    CHECK(tu_run_greedy(w, -1, 1, 0, &r, NULL, NULL) == 0);
    check_sane(w, &r);
    CHECK(r.trips == 0);
    CHECK(fabs(r.unserved_class_kl[0] - 36) < 1e-9);
    sup_result_free(&r);
    w->nlink = n;
    world_free(w);
}

/* An earthquake 1,000 km away damages nothing: the same result as no
 * earthquake at all. */
TEST(distant_earthquake_changes_nothing)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/bad-input/base"));
    w->quake[0].lat = 35.6 + 9.0;          /* ~1,000 km north */
    w->quake[0].mw = 8.0;
    w->ntsunami = 0;                       /* the table floods ref1 whatever the distance */
    SupResult a, b;
    CHECK(tu_run_greedy(w, 0, 5, 0, &a, NULL, NULL) == 0);
    CHECK(tu_run_greedy(w, -1, 5, 0, &b, NULL, NULL) == 0);
    check_sane(w, &a);
    for (int c = 0; c < w->ncomp; c++) CHECK(a.comp_ds[c] == DS_NONE);
    CHECK(a.weighted_shortfall == b.weighted_shortfall);
    CHECK(a.balance.consumed_kl == b.balance.consumed_kl);
    sup_result_free(&a);
    sup_result_free(&b);
    world_free(w);
}

/* Mw 9.5 right under the refinery: heavy damage, finite numbers. */
TEST(magnitude_nine_and_a_half_gives_finite_results)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/bad-input/base"));
    w->quake[0].mw = 9.5;
    w->quake[0].lat = 35.40;
    w->quake[0].lon = 139.64;
    w->quake[0].depth_km = 20;
    w->quake[0].length_km = 600;
    w->quake[0].width_km = 200;
    w->quake[0].top_km = 5;
    w->quake[0].dip_deg = 15;
    int damaged = 0;
    for (uint64_t s = 1; s <= 5; s++) {
        SupResult r;
        CHECK(tu_run_greedy(w, 0, s, 0, &r, NULL, NULL) == 0);
        check_sane(w, &r);
        for (int c = 0; c < w->ncomp; c++) damaged += r.comp_ds[c] >= DS_MODERATE;
        sup_result_free(&r);
    }
    CHECK(damaged > 0);
    world_free(w);
}

TEST(one_hour_and_sixty_day_horizons)
{
    TU_WORLD_OR_FAIL(w, tu_load("tests/supply/one_lorry"));
    SupResult r;
    w->horizon_h = 1;
    CHECK(tu_run_greedy(w, -1, 1, 0, &r, NULL, NULL) == 0);
    check_sane(w, &r);
    CHECK(r.nhours == 1 && fabs(r.balance.consumed_kl - 1) < 1e-9);
    sup_result_free(&r);
    w->horizon_h = 1440;
    w->stock[0].tank_kl = w->stock[0].initial_kl = 2000;   /* 1,440 kL needed */
    CHECK(tu_run_greedy(w, -1, 1, 0, &r, NULL, NULL) == 0);
    check_sane(w, &r);
    CHECK(r.nhours == 1440);
    /* one 10 kL lorry on a 3 h round trip keeps up with 1 kL/h for 60 days */
    CHECK(r.weighted_shortfall == 0);
    CHECK(fabs(r.balance.consumed_kl - 1440) < 1e-6);
    sup_result_free(&r);
    world_free(w);
}

int main(void)
{
    RUN(zero_assets_run_dry_as_computed);
    RUN(unreachable_demand_point_runs_dry_without_trips);
    RUN(distant_earthquake_changes_nothing);
    RUN(magnitude_nine_and_a_half_gives_finite_results);
    RUN(one_hour_and_sixty_day_horizons);
    return check_done();
}
