/* Commands `hazard`, `fragility` and `damage`: the hazard, fragility and
 * damage/restoration models on a scenario, printed as CSV on stdout, for
 * checking the models against published values and for looking at one
 * sampled outcome. */
#include "cli.h"
#include "cli_cmds.h"

#include "damage.h"
#include "hazard.h"
#include "restore.h"
#include "util.h"
#include "world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CM_PER_IN 2.54

/* Hours, with "inf" for never. */
static void put_h(double h)
{
    if (h >= HUGE_VAL) printf("inf");
    else printf("%.2f", h);
}

static const char *site_id(const World *w, const HazSite *s)
{
    switch (s->kind) {
    case HAZ_SITE_FACILITY: return w->fac[s->index].id;
    case HAZ_SITE_DEMAND: return w->dem[s->index].id;
    default: return w->link[s->index].id;
    }
}

static const char *const site_kind_name[] = {"facility", "demand", "link"};

/* ---- hazard ---------------------------------------------------------------- */

static int run_hazard(const CliArgs *a)
{
    int q;
    World *w = cli_load_world_quake(a, 1, &q);
    if (!w) return 2;
    HazField *f = haz_field_new(w, q);
    const Earthquake *eq = q >= 0 ? &w->quake[q] : NULL;
    printf("site,lat,lon,mw,fault_type,depth_km,dist_km,avs30,pga_rock_g,pgv_rock_cms,"
           "pga_g,pgv_cms,pgd_cm,p_liquefaction,kind,liq_susceptibility,arv,pgd_mean_cm,"
           "tsunami_m,recede_h,jma_intensity,free_face,pgd_lateral_cm,pgd_settle_cm,p_fire\n");
    for (int i = 0; i < f->nsite; i++) {
        const HazSite *s = &f->site[i];
        printf("%s,%.5f,%.5f,%.2f,%s,%.1f,%.2f,%.0f,%.4f,%.3f,%.4f,%.3f,%.2f,%.4f,%s,%s,%.3f,%.2f,"
               "%.2f,%.1f",
               site_id(w, s), s->lat, s->lon, eq ? eq->mw : 0.0,
               eq ? world_fault_name[eq->fault] : "none", eq ? eq->depth_km : 0.0,
               s->dist_km, s->avs30, s->pga_rock_g, s->pgv_rock_cms, s->pga_g, s->pgv_cms,
               s->pgd_cm, s->p_liq, site_kind_name[s->kind], world_liq_name[s->liq], s->arv,
               s->p_liq * s->pgd_cm, s->tsunami_m, s->recede_h);
        double mw = eq ? eq->mw : 0.0;
        printf(",%.2f,%d,%.2f,%.2f,%.4f\n", s->jma, s->free_face,
               s->free_face ? haz_liq_lateral_cm(s->liq, s->pga_g, mw) : 0.0,
               haz_liq_settle_cm(s->liq, s->pga_g),
               s->kind == HAZ_SITE_FACILITY && eq ? dmg_fire_prob(w, s->index, s->pga_g) : 0.0);
    }
    haz_field_free(f);
    world_free(w);
    return 0;
}

static const CliOpt hazard_opts[] = {
    CLI_OPT_QUAKE,
    CLI_OPT_END};

const CliCmd cli_cmd_hazard = {"hazard", "DIR [--quake ID]",
    "per-site median ground motion and liquefaction as CSV",
    "One row per site: every facility, demand point and link (at its midpoint). Medians of\n"
    "Si & Midorikawa (1999) with X the distance to the finite fault and Mw capped at 8.3;\n"
    "*_rock before site amplification (PGA on a stiff NEHRP class C site, PGV on Vs 600 m/s\n"
    "bedrock); pgv_cms = PGV x ARV (Fujimoto & Midorikawa 2006); pga_g by the ASCE 7-10 F_PGA\n"
    "ratio to class C (an assumption). p_liquefaction by Hazus at the median PGA; pgd_cm is\n"
    "the displacement if the site liquefies (lateral spread where the site has a free face, a\n"
    "quay wall or canal bank, plus settlement), pgd_mean_cm = p x pgd; pgd_lateral_cm and\n"
    "pgd_settle_cm are its two parts. tsunami_m and recede_h come from the scenario's tsunami\n"
    "table for the earthquake. jma_intensity = 2.68 + 1.72 log10 PGV (Midorikawa et al. 1999)\n"
    "at the median PGV; p_fire = P(fire) at the median PGA for a facility with a fire class.",
    1, 1, hazard_opts, run_hazard, 4};

/* ---- fragility ------------------------------------------------------------- */

static int run_fragility(const CliArgs *a)
{
    const CliCmd *c = a->cmd;
    int has_pga = cli_str(a, "--pga", NULL) != NULL, has_pgd = cli_str(a, "--pgd", NULL) != NULL;
    if (has_pga == has_pgd) return cli_usage_error(c, "give exactly one of --pga G and --pgd CM");
    double im;
    if (has_pga ? cli_double(a, "--pga", 0, 0, 100, &im) : cli_double(a, "--pgd", 0, 0, 1e5, &im))
        return 2;
    World *w = cli_load_world(a->pos[0]);
    if (!w) return 2;
    int k = world_find_fragility(w, a->pos[1]);
    if (k < 0) {
        fprintf(stderr, "fuelsim fragility: no fragility class '%s' in the scenario\n", a->pos[1]);
        world_free(w);
        return 2;
    }
    const FragilityClass *fc = &w->frag[k];
    if (fc->on_pgd != has_pgd) {
        fprintf(stderr, "fuelsim fragility: class '%s' is on %s: use %s\n", fc->id,
                fc->on_pgd ? "PGD (ground displacement)" : "PGA (g)", fc->on_pgd ? "--pgd CM" : "--pga G");
        world_free(w);
        return 2;
    }
    /* The table keeps Hazus's inches; the command speaks cm like the rest. */
    double x = fc->on_pgd ? im / CM_PER_IN : im;
    printf("ds,p_exceed\n");
    for (int ds = DS_SLIGHT; ds < NDS; ds++)
        printf("%s,%.6f\n", world_ds_name[ds], dmg_p_exceed(fc, ds, x));
    world_free(w);
    return 0;
}

static const CliOpt fragility_opts[] = {
    {"--pga", "G", "peak ground acceleration in g (classes on PGA)"},
    {"--pgd", "CM", "permanent ground displacement in cm (classes on PGD; tables are in inches)"},
    CLI_OPT_END};

const CliCmd cli_cmd_fragility = {"fragility", "DIR CLASS (--pga G | --pgd CM)",
    "probability of each damage state from a fragility class",
    "Prints ds,p_exceed: P(DS >= ds) = Phi(ln(IM / median) / beta) for slight .. complete,\n"
    "from the class's row of the scenario's fragility table.",
    2, 2, fragility_opts, run_fragility, 4};

/* ---- damage ---------------------------------------------------------------- */

static int run_damage(const CliArgs *a)
{
    const CliCmd *c = a->cmd;
    if (!cli_str(a, "--seed", NULL)) return cli_usage_error(c, "--seed S is required");
    uint64_t seed, rep;
    if (cli_u64(a, "--seed", 0, &seed) || cli_u64(a, "--rep", 0, &rep)) return 2;
    int q;
    World *w = cli_load_world_quake(a, 1, &q);
    if (!w) return 2;

    HazField *f = haz_field_new(w, q);
    HazSample *hs = haz_sample_new(f);
    DmgOutcome *dmg = dmg_outcome_new(w);
    RstSchedule *s = rst_schedule_new(w);
    rst_replicate(f, seed, rep, hs, dmg, s);

    printf("item,id,at,role,pga_g,pgd_cm,liquefied,ds,capacity_fraction,repair_h,usable_h,"
           "full_h,waits_for,power_h,tripped,trip_pga_g,fire,fire_out_h,fire_restart_h\n");
    int *worst = xcalloc(w->nfac > 0 ? (size_t)w->nfac : 1, sizeof *worst);
    RstGate *fac_gate = xcalloc(w->nfac > 0 ? (size_t)w->nfac : 1, sizeof *fac_gate);
    for (int i = 0; i < w->ncomp; i++) {
        const Component *cp = &w->comp[i];
        const RstItem *it = &s->comp[i];
        int st = haz_site_of_comp(w, i), fa = cp->facility;
        if (it->ds > worst[fa]) worst[fa] = it->ds;
        if (it->usable_h >= s->fac_usable_h[fa] && it->usable_h > 0) fac_gate[fa] = it->gate;
        printf("component,%s,%s,%s,%.4f,%.2f,%d,%s,%.2f,", cp->id, w->fac[fa].id,
               world_comp_kind_name[cp->kind], hs->pga_g[st], hs->pgd_cm[st], hs->liquefied[st],
               world_ds_name[it->ds], it->cf);
        put_h(it->repair_h); putchar(',');
        put_h(it->usable_h); putchar(',');
        put_h(it->full_h);
        printf(",%s,", rst_gate_name[it->gate]);
        put_h(s->fac_power_h[fa]);
        printf(",,,,,\n");
    }
    for (int l = 0; l < w->nlink; l++) {
        const Link *lk = &w->link[l];
        const RstItem *it = &s->link[l];
        int st = haz_site_of_link(w, l);
        printf("link,%s,%s/%s,%s%s,%.4f,%.2f,%d,%s,%.2f,", lk->id, world_place_id(w, lk->from),
               world_place_id(w, lk->to), world_mode_name[lk->mode],
               lk->mode == MODE_ROAD && lk->emergency_road ? "_emergency" : "",
               hs->pga_g[st], hs->pgd_cm[st], hs->liquefied[st], world_ds_name[it->ds],
               it->ds > DS_NONE ? w->capacity_fraction[it->ds] : 1.0);
        put_h(it->repair_h); putchar(',');
        put_h(it->usable_h); putchar(',');
        put_h(it->full_h);
        printf(",%s,,,,,,\n", rst_gate_name[it->gate]);
    }
    for (int i = 0; i < w->nfac; i++) {
        int st = haz_site_of_place(w, i);
        printf("facility,%s,,%s,%.4f,%.2f,%d,%s,,,", w->fac[i].id, world_fac_kind_name[w->fac[i].kind],
               hs->pga_g[st], hs->pgd_cm[st], hs->liquefied[st], world_ds_name[worst[i]]);
        put_h(s->fac_usable_h[i]); putchar(',');
        put_h(s->fac_full_h[i]);
        printf(",%s,", rst_gate_name[fac_gate[i]]);
        put_h(s->fac_power_h[i]);
        printf(",%d,%.4f,%d,", dmg->fac_tripped[i], dmg->fac_trip_pga_g[i], dmg->fac_fire[i]);
        if (dmg->fac_fire[i]) {
            put_h(s->fac_fire_out_h[i]); putchar(',');
            put_h(s->fac_fire_back_h[i]);
        } else putchar(',');
        putchar('\n');
    }
    for (int i = 0; i < w->narea; i++) {
        printf("area,%s,,grid,,,,,,,", w->area[i].id);
        put_h(s->area_power_h[i]); putchar(',');
        put_h(s->area_power_h[i]);
        printf(",%s,", s->area_power_h[i] > 0 ? "power" : "none");
        put_h(s->area_power_h[i]);
        printf(",,,,,\n");
    }

    free(worst);
    free(fac_gate);
    rst_schedule_free(s);
    dmg_outcome_free(dmg);
    haz_sample_free(hs);
    haz_field_free(f);
    world_free(w);
    return 0;
}

static const CliOpt damage_opts[] = {
    CLI_OPT_SEED_REQ,
    CLI_OPT_REP,
    CLI_OPT_QUAKE,
    CLI_OPT_END};

const CliCmd cli_cmd_damage = {"damage", "DIR --seed S [--rep R] [--quake ID]",
    "one sampled damage outcome and its restoration times",
    "One row per component, link, facility and grid area of replicate R of seed S (the same\n"
    "draws as `run`): sampled surface PGA (g) and PGD (cm) at its site, damage state, capacity\n"
    "fraction until repaired, drawn repair time, and, after dependencies (power, fairway\n"
    "clearance, rail inspection, crude berth, post-trip inspection, tsunami, fire), the time\n"
    "it is first usable (usable_h) and back at full capacity (full_h), in hours after the main\n"
    "shock; waits_for names what sets usable_h. \"inf\" means not within any time. Facility\n"
    "rows also give the trip level drawn for the site (trip_pga_g), whether a fire broke out\n"
    "and, if so, when it is out and when the site may restart (fire_out_h, fire_restart_h).",
    1, 1, damage_opts, run_damage, 4};
