/* World helpers: enum names, id lookups, places, distances, and freeing.
 * Loading and validation live in scenario.c. */
#include "world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const world_product_name[NPROD] = {"gasoline", "diesel", "kerosene", "heavy_a"};
const char *const world_ds_name[NDS] = {"none", "slight", "moderate", "extensive", "complete"};
const char *const world_fac_kind_name[NFACKIND] = {
    "refinery", "lng_terminal", "oil_terminal", "inland_depot", "port", "waypoint"};
const char *const world_comp_kind_name[NCOMPKIND] = {
    "process", "tank", "berth", "rack", "siding", "power"};
const char *const world_mode_name[NMODE] = {"road", "sea", "rail", "air"};
const char *const world_control_name[NCTL] = {"none", "detour", "closed"};
const char *const world_asset_type_name[NASSETTYPE] = {
    "lorry_commercial", "lorry_paj", "coastal_tanker", "rail_train",
    "sdf_truck", "sdf_helicopter", "sdf_ship"};
const char *const world_dem_kind_name[NDEMKIND] = {
    "hospital", "hq", "evacuation", "emergency_fuel", "service_station"};
const char *const world_fault_name[NFAULT] = {"crustal", "interplate", "intraslab"};
const char *const world_liq_name[NLIQ] = {
    "none", "very_low", "low", "moderate", "high", "very_high"};

int world_enum_lookup(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

const char *world_enum_list(const char *const *names, int n, char *buf, size_t len)
{
    size_t m = 0;
    if (len) buf[0] = 0;
    for (int i = 0; i < n && m < len; i++) {
        int k = snprintf(buf + m, len - m, "%s%s", i ? ", " : "", names[i]);
        if (k < 0) break;
        m += (size_t)k;
    }
    return buf;
}

int world_place_is_demand(const World *w, int place)
{
    return place >= w->nfac;
}

const char *world_place_id(const World *w, int place)
{
    return place < w->nfac ? w->fac[place].id : w->dem[place - w->nfac].id;
}

void world_place_latlon(const World *w, int place, double *lat, double *lon)
{
    if (place < w->nfac) { *lat = w->fac[place].lat; *lon = w->fac[place].lon; }
    else { *lat = w->dem[place - w->nfac].lat; *lon = w->dem[place - w->nfac].lon; }
}

#define FIND(arr, n, field) \
    for (int i = 0; i < (n); i++) if (strcmp((arr)[i].field, id) == 0) return i; \
    return -1

int world_find_facility(const World *w, const char *id)    { FIND(w->fac, w->nfac, id); }
int world_find_demand(const World *w, const char *id)      { FIND(w->dem, w->ndem, id); }
int world_find_quake(const World *w, const char *id)       { FIND(w->quake, w->nquake, id); }
int world_find_fragility(const World *w, const char *id)   { FIND(w->frag, w->nfrag, id); }
int world_find_restoration(const World *w, const char *id) { FIND(w->rest, w->nrest, id); }
int world_find_area(const World *w, const char *id)        { FIND(w->area, w->narea, id); }
int world_find_component(const World *w, const char *id)   { FIND(w->comp, w->ncomp, id); }
int world_find_asset(const World *w, const char *id)       { FIND(w->asset, w->nasset, id); }

int world_find_stock(const World *w, int facility, int product)
{
    for (int i = 0; i < w->nstock; i++)
        if (w->stock[i].facility == facility && w->stock[i].product == product) return i;
    return -1;
}

int world_find_use(const World *w, int point, int product)
{
    for (int i = 0; i < w->nuse; i++)
        if (w->use[i].point == point && w->use[i].product == product) return i;
    return -1;
}
int world_find_link(const World *w, const char *id)        { FIND(w->link, w->nlink, id); }

int world_find_place(const World *w, const char *id)
{
    int f = world_find_facility(w, id);
    if (f >= 0) return f;
    int d = world_find_demand(w, id);
    return d >= 0 ? w->nfac + d : -1;
}

double world_dist_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0, k = M_PI / 180.0;
    double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(fmin(1.0, sqrt(a)));
}

void world_free(World *w)
{
    if (!w) return;
    for (int i = 0; i < w->nfac; i++) {
        free(w->fac[i].id); free(w->fac[i].name_en); free(w->fac[i].name_ja); free(w->fac[i].operator_);
    }
    for (int i = 0; i < w->ncomp; i++) free(w->comp[i].id);
    for (int i = 0; i < w->nlink; i++) free(w->link[i].id);
    for (int i = 0; i < w->nasset; i++) {
        free(w->asset[i].id); free(w->asset[i].name_en); free(w->asset[i].name_ja);
    }
    for (int i = 0; i < w->ndem; i++) {
        free(w->dem[i].id); free(w->dem[i].name_en); free(w->dem[i].name_ja); free(w->dem[i].prefecture);
    }
    for (int i = 0; i < w->nfrag; i++) free(w->frag[i].id);
    for (int i = 0; i < w->nrest; i++) free(w->rest[i].id);
    for (int i = 0; i < w->nquake; i++) {
        free(w->quake[i].id); free(w->quake[i].name_en); free(w->quake[i].name_ja);
    }
    for (int i = 0; i < w->narea; i++) {
        free(w->area[i].id); free(w->area[i].name_en); free(w->area[i].name_ja);
    }
    free(w->fac); free(w->comp); free(w->stock); free(w->link); free(w->asset);
    free(w->dem); free(w->use); free(w->frag); free(w->rest); free(w->quake);
    free(w->tsunami); free(w->area); free(w->feed);
    free(w->wk.designated);
    for (int i = 0; i < w->nfile; i++) free(w->file[i].name);
    free(w->file);
    for (int i = 0; i < w->nobs; i++) {
        free(w->obs[i].id); free(w->obs[i].metric); free(w->obs[i].site); free(w->obs[i].source);
        free(w->obs[i].note);
    }
    free(w->obs); free(w->obs_file);
    free(w->dir); free(w->id); free(w->name_en); free(w->name_ja); free(w->notes);
    free(w);
}
