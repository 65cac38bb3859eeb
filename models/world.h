/* The World: everything a scenario folder describes, loaded once, validated,
 * and then shared read-only (const World *) by every thread and replicate.
 * Units: hours, kL, km, km/h, g, cm/s, cm. Ids are ASCII snake_case.
 * Columns and their meaning are documented in scenarios/README.md. */
#ifndef FUELSIM_WORLD_H
#define FUELSIM_WORLD_H

#include <stdint.h>
#include <stddef.h>

enum { PROD_GASOLINE, PROD_DIESEL, PROD_KEROSENE, PROD_HEAVY_A, NPROD };
#define NCLASS 4            /* priority classes 1..4, stored 0..3 */

/* Damage states, in order of severity. */
enum { DS_NONE, DS_SLIGHT, DS_MODERATE, DS_EXTENSIVE, DS_COMPLETE, NDS };

typedef enum FacKind {
    FAC_REFINERY, FAC_LNG_TERMINAL, FAC_OIL_TERMINAL, FAC_INLAND_DEPOT, FAC_PORT,
    FAC_WAYPOINT, NFACKIND
} FacKind;

typedef enum CompKind {
    COMP_PROCESS, COMP_TANK, COMP_BERTH, COMP_RACK, COMP_SIDING, COMP_POWER, NCOMPKIND
} CompKind;

typedef enum LinkMode { MODE_ROAD, MODE_SEA, MODE_RAIL, MODE_AIR, NMODE } LinkMode;
/* Traffic control on a road in the first days (first_week.permits): none;
 * closed to vehicles without a permit that have a slower way beside it
 * (ordinary streets: detour_factor); closed to them outright (an
 * expressway or bridge with no street beside it). */
typedef enum LinkControl { CTL_NONE, CTL_DETOUR, CTL_CLOSED, NCTL } LinkControl;
extern const char *const world_control_name[NCTL];

typedef enum AssetType {
    ASSET_LORRY_COMMERCIAL, ASSET_LORRY_PAJ, ASSET_COASTAL_TANKER, ASSET_RAIL_TRAIN,
    ASSET_SDF_TRUCK, ASSET_SDF_HELICOPTER, ASSET_SDF_SHIP, NASSETTYPE
} AssetType;

typedef enum DemandKind {
    DEM_HOSPITAL, DEM_HQ, DEM_EVACUATION, DEM_EMERGENCY_FUEL, DEM_SERVICE_STATION, NDEMKIND
} DemandKind;

typedef enum FaultType { FAULT_CRUSTAL, FAULT_INTERPLATE, FAULT_INTRASLAB, NFAULT } FaultType;

#define HAZ_MAX_RESTART 16   /* observed restart times a scenario may list */

/* Hazus liquefaction susceptibility, none .. very_high. */
typedef enum LiqClass { LIQ_NONE, LIQ_VERY_LOW, LIQ_LOW, LIQ_MODERATE, LIQ_HIGH, LIQ_VERY_HIGH, NLIQ } LiqClass;

/* When a consumption applies: always, or only while the point's grid area is
 * without power (generator fuel). */
typedef enum UseWhen { USE_ALWAYS, USE_GRID_DOWN } UseWhen;

typedef struct Facility {
    char *id, *name_en, *name_ja, *operator_;
    FacKind kind;
    double lat, lon;
    int area;                 /* grid area index */
    double avs30;             /* m/s */
    LiqClass liq;
    double gw_depth_m;
    int has_generator;        /* own generation: runs without grid */
    int free_face;            /* 1: quay wall or canal bank at the site: liquefied ground
                               * spreads laterally; 0: it only settles */
    int fire_class;           /* fragility class (PGA) of what burns after damage (LPG
                               * spheres, floating-roof tanks), or -1: no fire model */
    double crude_days;        /* refinery: days of crude on hand at full run; it needs
                               * its crude berth only when that is used up (0: at once) */
    int line;                 /* row in facilities.csv, for messages */
} Facility;

typedef struct Component {
    char *id;
    int facility;
    CompKind kind;
    int fragility;            /* shaking (PGA) class index, -1 none */
    int fragility_pgd;        /* ground-failure (PGD) class index, -1 none */
    int restoration;          /* restoration class index */
    int count;                /* berths, racks, sidings: units sharing one damage state;
                               * tanks: a population of like tanks (dmg_is_population) */
    double rate_kl_h;         /* per unit: loading or discharge rate */
    int line;
} Component;

/* Product storage and production at a facility. */
typedef struct Stock {
    int facility;
    int product;
    double tank_kl;           /* working capacity */
    double initial_kl;
    double output_kl_d;       /* production at full capacity (refineries) */
    int line;
} Stock;

typedef struct Link {
    char *id;
    LinkMode mode;
    int from, to;             /* place indices (see world_place_*) */
    double distance_km;
    double time_h;            /* normal travel time */
    int emergency_road;       /* designated emergency transport road */
    int fragility;            /* class index or -1 */
    int restoration;          /* class index or -1 */
    double clear_h;           /* inspection / clearance before reopening after a quake */
    LinkControl control;      /* traffic control (default: detour on emergency roads) */
    int bridges;              /* bridges and viaduct sections on the link (0: none) */
    int bridge_fragility;     /* their PGA class index, -1 without bridges */
    int bridge_restoration;   /* their restoration class index, -1 without bridges */
    int line;
} Link;

typedef struct Asset {
    char *id, *name_en, *name_ja;
    AssetType type;
    LinkMode mode;
    int count;
    double capacity_kl;       /* per unit */
    unsigned products;        /* bit mask of 1 << PROD_* */
    double speed_kmh;
    int home;                 /* place index */
    double lead_time_h;       /* mobilisation after request; 0 = on hand */
    double load_rate_kl_h;    /* filling / discharge rate */
    double cost_per_km;       /* yen per unit-km, for the optimiser's second term */
    double permit_h;          /* its vehicles hold passage permits for controlled
                               * roads from this hour after the quake (0: at once) */
    int line;
} Asset;

typedef struct DemandPoint {
    char *id, *name_en, *name_ja, *prefecture;
    DemandKind kind;
    int priority;             /* 1..4 */
    double lat, lon;
    int area;
    double avs30;
    LiqClass liq;
    double gw_depth_m;
    int line;
} DemandPoint;

typedef struct Consumption {
    int point;
    int product;
    UseWhen when;
    double use_kl_d;          /* normal-time (or generator) use */
    double storage_kl;        /* on-site tank */
    double initial_kl;
    int line;
} Consumption;

typedef struct FragilityClass {
    char *id;
    int on_pgd;               /* 0: PGA in g; 1: PGD in inches (as Hazus) */
    double median[NDS];       /* index DS_SLIGHT..DS_COMPLETE; [0] unused */
    double beta[NDS];
} FragilityClass;

typedef struct RestorationClass {
    char *id;
    double mean_days[NDS];    /* [0] unused */
    double sd_days[NDS];
} RestorationClass;

typedef struct Earthquake {
    char *id, *name_en, *name_ja;
    double mw;
    double lat, lon;          /* epicentre, or fault-plane centre at the surface projection */
    double depth_km;          /* D of the attenuation formula */
    FaultType fault;
    /* Finite fault, a rectangle; length_km == 0 means a point source. */
    double strike_deg, dip_deg, length_km, width_km, top_km;
    int line;
} Earthquake;

typedef struct Tsunami {
    int quake;
    int place;                /* place index */
    double depth_m;           /* inundation depth */
    double recede_h;          /* inaccessible until then */
    int line;
} Tsunami;

typedef struct GridArea {
    char *id, *name_en, *name_ja;
} GridArea;

typedef struct GridFeed {
    int area;
    int facility;             /* an lng_terminal (or power plant) feeding the area */
    double share;             /* fraction of the area's supply; shares of an area sum to 1 */
    int line;
} GridFeed;

/* One row of the optional validation table: an observed or official value
 * that `fuelsim hindcast` compares with the model (columns and meaning in
 * scenarios/README.md). The metric is named, not interpreted, here. */
typedef struct ValObs {
    char *id, *metric, *site, *source;
    char *note;               /* known limits of the model for this row (optional column) */
    int quake;                /* earthquake index */
    double param;             /* metric parameter (a threshold), 0 when empty */
    double time_h;            /* when the quantity is read, h after the shock */
    double observed, obs_lo, obs_hi;   /* the value and its range */
    int line;
} ValObs;

typedef struct HazardParams {
    double sigma_between_ln;  /* between-event std dev, natural log */
    double sigma_within_ln;   /* within-event std dev, natural log */
    double corr_range_km;     /* Jayaram-Baker range b for PGA */
    double corr_range_pgv_km; /* range used for PGV */
    double trip_pga_g;        /* median PGA at which a refinery trips ... */
    double trip_pga_beta;     /* ... lognormal spread between sites and events (0: fixed) */
    double trip_inspection_h; /* restart after a trip without damage, when no list is given */
    /* Restart times after a trip without damage observed at past quakes, h,
     * sorted ascending; a replicate draws from them (log-linear between). */
    int ntrip_restart;
    double trip_restart_h[HAZ_MAX_RESTART];
    /* Restart is mostly an event-level decision (aftershocks, the grid, the
     * regulator): refineries' quantiles share a normal with correlation
     * trip_restart_rho (0: independent per site). */
    double trip_restart_rho;
    /* Liquefaction: latent normal per site with correlation
     * liq_regional + (1 - liq_regional) exp(-3 h / liq_corr_range_km). */
    double liq_corr_range_km;
    double liq_regional;
    /* Tank farms (tank components with count > 1): each tank's capacity
     * normal is sqrt(tank_site_rho) Z_site + sqrt(1 - tank_site_rho) E_tank,
     * so that tanks of one site fail together more than independent ones. */
    double tank_site_rho;
    /* Fire after damage: P(fire | damage state of the facility's fire class),
     * then it burns (lognormal, median fire_burn_h) and the site stays shut
     * for a regulatory restart (lognormal, median fire_restart_d days). */
    double fire_p[NDS];
    double fire_burn_h, fire_burn_beta;
    double fire_restart_d, fire_restart_beta;
} HazardParams;

/* A 5-95% range of a lognormal draw: median sqrt(lo*hi), beta
 * ln(hi/lo)/3.29. lo == hi is a constant. */
typedef struct WkRange { double lo, hi; } WkRange;

/* The first week as it would be (issue 15): each mechanism has a switch so
 * that a paired sweep can measure it; a scenario without the
 * "first_week" object has every switch off (the earlier model). */
typedef struct FirstWeek {
    /* variability: travel and loading times per trip, demand per point-day,
     * the panic-buying surge at service stations (gasoline, class 4) */
    int variability;
    WkRange travel_factor, load_factor, demand_factor;
    WkRange panic_multiplier, panic_days;
    /* the chain of requests */
    int chain;
    WkRange ministry_request_h;      /* ministry asks PAJ to start the plan */
    WkRange joint_room_after_h;      /* joint operations room opens after the request */
    WkRange prefecture_to_agency_h;  /* a priority request's two hops */
    WkRange agency_to_room_h;
    int chain_max_class;             /* classes 1..this are priority facilities */
    int *designated;  int ndesignated;   /* facility indices: designated depots */
    double stockpile_days;           /* national product stockpile, days of demand */
    WkRange stockpile_release_h;
    double sdf_draw_kl_d[NPROD];     /* SDF's own vehicles, drawn at designated depots */
    /* roads */
    int roads;
    double centre_lat, centre_lon;   /* directions of the clearance plan are bearings from here */
    WkRange direction_open_h;        /* one emergency route per direction open by then */
    WkRange ordinary_clear_h;        /* then the rest, after their direction's route */
    WkRange congestion_factor;       /* travel-time factor on a reopened road ... */
    WkRange congestion_days;         /* ... falling linearly to 1 over this */
    double traffic_control_h;        /* emergency roads for permitted vehicles only */
    double controlled_factor;        /* their travel-time factor meanwhile */
    double control_pga_g;            /* roads shaken at least this much are controlled (0: any quake) */
    /* traffic control keeps fleets without a permit (assets' permit_h) off
     * the controlled roads; on a detour road they take the streets beside it */
    int permits;
    double detour_factor;            /* travel-time factor beside a controlled road, at least */
    /* bridges and viaducts on links (links' bridge columns) damaged by their
     * own fragility */
    int bridges;
    /* rail and sea */
    int rail_sea;
    WkRange rail_reopen_h;           /* per rail link shaken */
    WkRange fairway_clear_h;         /* per fairway shaken */
    double severe_pga_g;             /* from this PGA; below it the link's clear_h */
    /* power */
    int power;
    WkRange outage_h;                /* distribution outage per area shaken >= severe_pga_g */
    WkRange light_outage_h;          /* ... per area shaken less (>= DMG_INSPECT_PGA_G) */
    WkRange plant_restart_h;         /* generation feeding an area, after a trip */
    double import_share;             /* supply from outside the bay (transfers) */
    double restraint;                /* demand left after demand restraint */
    double lng_backup;               /* share of a plant's fuel that does not need its own terminal */
} FirstWeek;
/* A scenario file the loader read, with the SHA-256 of its bytes (hex). */
typedef struct ScnFile {
    char *name;               /* as named in the scenario (relative to its folder) */
    char sha256[65];
} ScnFile;

/* What made an output, recorded in every file that leaves the machine:
 * program version and commit, the command that reproduces it, the seed.
 * Strings are borrowed. The scenario's content is World.fingerprint. */
typedef struct RunProv {
    const char *version;      /* "0.9.0" */
    const char *commit;       /* git commit built from, or "unknown" */
    const char *command;      /* command line, shell-quoted */
    uint64_t seed;
    const char *policy;       /* dispatch that made the figures ("optimise, median
                               * forecast", "greedy"); NULL where none applies */
} RunProv;

typedef struct World {
    char *dir;                /* scenario folder as given */
    ScnFile *file;            /* the files read, in reading order */
    int nfile;
    char fingerprint[65];     /* SHA-256 of "SHA256  NAME\n" per file, in that
                               * order (sha256sum's output format), hex */
    char *id, *name_en, *name_ja;
    double horizon_h;
    int default_quake;
    double class_weight[NCLASS];
    double capacity_fraction[NDS];   /* remaining capacity by damage state */
    double request_threshold_d;      /* dispatch: request when stock < this many days of use */
    HazardParams hazard;
    double bcp_target_h[NCOMPKIND];  /* BCP recovery targets by component kind; 0 = none */
    char *notes;                     /* notes file name, may be NULL */
    FirstWeek wk;

    Facility *fac;          int nfac;
    Component *comp;        int ncomp;
    Stock *stock;           int nstock;
    Link *link;             int nlink;
    Asset *asset;           int nasset;
    DemandPoint *dem;       int ndem;
    Consumption *use;       int nuse;
    FragilityClass *frag;   int nfrag;
    RestorationClass *rest; int nrest;
    Earthquake *quake;      int nquake;
    Tsunami *tsunami;       int ntsunami;
    GridArea *area;         int narea;
    GridFeed *feed;         int nfeed;
    ValObs *obs;            int nobs;     /* validation rows, optional */
    char *obs_file;                       /* their file name, for messages */
} World;

/* Places are the ends of links and the homes of assets: facilities first,
 * then demand points. place = facility index, or nfac + demand index. */
static inline int world_nplace(const World *w) { return w->nfac + w->ndem; }

/* Capacity left in damage state ds, clamped to [0, 1] (1 undamaged). */
static inline double world_cap_fraction(const World *w, int ds)
{
    if (ds <= DS_NONE) return 1.0;
    double f = w->capacity_fraction[ds];
    return f < 0 ? 0.0 : f > 1 ? 1.0 : f;
}
int world_place_is_demand(const World *w, int place);
const char *world_place_id(const World *w, int place);
void world_place_latlon(const World *w, int place, double *lat, double *lon);

/* Lookups by id; -1 when absent. Linear scans: for loading and CLI use. */
int world_find_facility(const World *w, const char *id);
int world_find_demand(const World *w, const char *id);
int world_find_place(const World *w, const char *id);
int world_find_quake(const World *w, const char *id);
int world_find_fragility(const World *w, const char *id);
int world_find_restoration(const World *w, const char *id);
int world_find_area(const World *w, const char *id);
int world_find_component(const World *w, const char *id);
int world_find_asset(const World *w, const char *id);
int world_find_link(const World *w, const char *id);
/* The stock.csv row of a facility's product, the consumption.csv row of a
 * demand point's product; -1 when absent (the loader keeps one of each). */
int world_find_stock(const World *w, int facility, int product);
int world_find_use(const World *w, int point, int product);

/* Names of the enums, as written in the CSV files. */
extern const char *const world_product_name[NPROD];
extern const char *const world_ds_name[NDS];
extern const char *const world_fac_kind_name[NFACKIND];
extern const char *const world_comp_kind_name[NCOMPKIND];
extern const char *const world_mode_name[NMODE];
extern const char *const world_asset_type_name[NASSETTYPE];
extern const char *const world_dem_kind_name[NDEMKIND];
extern const char *const world_fault_name[NFAULT];
extern const char *const world_liq_name[NLIQ];

/* Index of name in a table of n names, or -1. */
int world_enum_lookup(const char *const *names, int n, const char *name);

/* The n names joined as "a, b, c" into buf (cut short if len is too
 * small), for messages that list the allowed values; returns buf. */
const char *world_enum_list(const char *const *names, int n, char *buf, size_t len);

/* Great-circle distance in km (haversine, R = 6371 km). */
double world_dist_km(double lat1, double lon1, double lat2, double lon2);

void world_free(World *w);   /* frees the world and everything it owns; NULL ok */

#endif
