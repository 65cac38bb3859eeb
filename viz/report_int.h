/* Internals shared by the report's files: report_read.c (reading OUT into
 * an RptData), report.c (the page's strings, the page, the GeoJSON),
 * report_map.c (the map) and report_chart.c (the charts). */
#ifndef FUELSIM_REPORT_INT_H
#define FUELSIM_REPORT_INT_H

#include "geojson.h"
#include "report.h"
#include "svg.h"
#include "world.h"

/* Statistics of one quantity over the replicates, as summary.json has them. */
typedef struct RptStat {
    int have;
    double mean, ci_lo, ci_hi, p5, p50, p90, p95, p99;
} RptStat;

/* Headline metrics, in table order. */
enum { RM_WS, RM_DRY1, RM_T90, RM_RLOSS, RM_UNSERVED1, NRM = RM_UNSERVED1 + NCLASS };
extern const char *const rpt_metric_key[NRM];

/* Served-fraction series: classes 1..4, then all demand. */
#define RPT_NSER (NCLASS + 1)

/* One trip of a unit in a run's trace: dispatch to return (or horizon). */
typedef struct RptTrip {
    int unit;               /* index in RptData.unit */
    double t0, t1, t_unload; /* h; t_unload NaN when it never unloaded */
    int product;            /* -1 unknown */
    char *dest;             /* destination id (owned) */
} RptTrip;

typedef struct RptUnit {
    char *name;             /* "fleet#k" as in trace.csv (owned) */
    int fleet;              /* asset index, -1 when not in the World */
    int num;                /* k */
    int ntrip;
} RptUnit;

/* A drill inject (msel.csv / msel.json); strings owned. */
typedef struct RptInject {
    char *id, *exercise_time, *from, *to, *method, *message, *expected, *objective;
    double t_h;
} RptInject;

/* An investment option of a comparison; strings owned. NaN when absent. */
typedef struct RptOption {
    char *id, *name;
    double ws_mean, ws_lo, ws_hi;      /* weighted shortfall avoided, 95% CI */
    double kl_mean, kl_lo, kl_hi;      /* unserved kL avoided */
    double dry_mean, dry_lo, dry_hi;   /* class-1 dry hours avoided */
    double cost_yen, yen_per_kl, yen_per_wkl;
    int rank;                          /* 0 when absent */
} RptOption;

/* One budget of a portfolio frontier (frontier.csv); NaN when absent. */
typedef struct RptFrontier {
    double budget, cost;               /* yen */
    double ws_mean, ws_lo, ws_hi;      /* weighted shortfall avoided, 95% CI */
    double dry_mean, dry_lo, dry_hi;   /* class-1 dry hours avoided */
    double int_mean, int_lo, int_hi;   /* interaction term */
    char *options;                     /* ids, ';'-separated (owned) */
} RptFrontier;

typedef struct RptData {
    const World *w;
    int ja;                     /* Japanese page */
    char *scenario_id, *quake_id, *policy;
    int quake;                  /* index in w, -1 none or unknown */
    int have_seed;
    double seed;
    double horizon_h;
    /* what made OUT ("provenance" in summary.json, msel.json, compare.json);
     * NULL when not recorded */
    char *made_cmd, *made_version, *made_commit, *made_sha;
    const RptOptions *ropt;     /* borrowed: the report's own version */

    /* sweep (summary.json, bands.csv, replicates.csv) */
    int sweep;
    double nrep;
    RptStat metric[NRM];
    double *fac_pds;            /* nfac x NDS: P(worst component in state), NaN unknown */
    RptStat *fac_rst;           /* nfac */
    double *comp_pds;           /* ncomp x NDS (berths) */
    RptStat *comp_rst;          /* ncomp (berths) */
    double *link_p;             /* nlink: P(closure); NaN unknown */
    int nh;                     /* hours in bands.csv */
    double *band[RPT_NSER][3];  /* p10, p50, p90 per hour; NaN no value */
    int nws;
    double *ws;                 /* weighted shortfall of every replicate */

    /* run (metrics.json, timeseries.csv, trace.csv) */
    int run;
    double rep;
    char *pick;                 /* drill: "median", "p90" or "worst" of npick replicates */
    double npick;
    double run_metric[NRM];
    int *fac_ds;                /* nfac: worst sampled damage state; -1 no components */
    double *fac_rst_h;          /* nfac: restoration time, h; NaN unknown */
    double *link_closed_h;      /* nlink: reopening time, h (0 open, Inf not in the horizon) */
    int nts;
    double *ts[RPT_NSER];       /* served fraction per hour */
    RptUnit *unit;
    int nunit;
    RptTrip *trip;
    int ntrip;
    double *mob_t0, *mob_t1;    /* nasset: mobilisation asked, and ready; NaN never */

    /* drill, compare: absent when n == 0 */
    RptInject *inj;
    int ninj;
    RptOption *opt;
    int nopt;
    double base_ws, base_kl, base_dry;   /* baseline means; NaN absent */
    RptFrontier *front;         /* portfolio: absent when nfront == 0 */
    int nfront;

    /* plan (OUT/plan.json of `fuelsim plan`: tasking, unmet points,
     * bottlenecks), NULL absent */
    struct cJSON *plan;

    /* validation (OUT/validation.csv of `fuelsim hindcast`), NULL absent */
    struct TioTable *valid;

    /* live drill (OUT/branch.json of `fuelsim branch`), parsed; NULL absent */
    struct cJSON *branch;

    /* base map */
    GjLayer coast;
    int have_coast;
} RptData;

/* The map's projection (report_map.c): equirectangular, scaled at the mid
 * latitude, framed to the scenario's places. */
typedef struct RptProj {
    double lon0, lon1, lat0, lat1;
    double kx, s;          /* cos(mid latitude); px per degree of latitude */
    double x, y, w, h;     /* map frame in px */
} RptProj;

/* Open a map: the <svg> element (the frame plus legend_w px on the right),
 * sea, coastline and graticule. The caller draws on it, calls rpt_map_end,
 * adds its legend and closes the </svg>. */
void rpt_map_begin(StrBuf *b, const RptData *d, RptProj *p, double legend_w);
/* Scale bar and frame. */
void rpt_map_end(StrBuf *b, const RptProj *p);
/* Position of (lat, lon) on the map, clamped to its edge (*out = 1). */
void rpt_map_xy(const RptProj *p, double lat, double lon, double *x, double *y, int *out);

/* ---- reading (report_read.c) ---- */

/* Empty data for World w, in Japanese when ja; free with rpt_data_free
 * (also after a failed rpt_read). */
void rpt_data_init(RptData *d, const World *w, int ja);
void rpt_data_free(RptData *d);

/* Read OUT's sweep, run, drill and compare files into d and check that OUT
 * was made from d->w. *files gets the names read, for the page's footer
 * (caller frees). Returns 0, or an exit code after a message on stderr
 * prefixed by prog: 1 an input missing or unreadable, 2 another scenario
 * or an earthquake d->w does not have. */
int rpt_read(RptData *d, const char *out_dir, const char *prog, char **files);

/* Load the base map into d->coast: the file coastline, or when NULL the
 * first that exists of those listed at rpt_write. A file that cannot be
 * read leaves the map without a coastline, with a warning. */
void rpt_read_coast(RptData *d, const char *coastline, const char *prog);

/* ---- the page (report.c, report_map.c, report_chart.c, report_frontier.c) ---- */

/* The portfolio section: efficient frontier of shortfall avoided against
 * cost, and its table; nothing when d->nfront == 0 (report_frontier.c). */
struct StrBuf;
void rpt_sec_frontier(struct StrBuf *b, const RptData *d);

/* The page's strings. */
typedef enum RptStr {
    S_TITLE, S_EARTHQUAKE, S_NO_QUAKE, S_REPLICATES, S_REPLICATE, S_SEED, S_POLICY, S_HORIZON,
    S_HEADLINE, S_METRIC, S_MEAN, S_CI95, S_VALUE, S_UNIT,
    S_M_WS, S_M_DRY1, S_M_T90, S_M_RLOSS, S_M_UNSERVED,
    S_U_WS, S_U_POINTH, S_U_H, S_U_KL,
    S_MAP, S_MAP_NOTE_SWEEP, S_MAP_NOTE_RUN, S_P_EXT, S_DS_RUN, S_NO_COMP, S_DEMAND, S_WAYPOINT,
    S_ROAD, S_SEA, S_RAIL, S_AIR, S_LINK_P, S_LINK_CLOSED, S_LINK_NODATA, S_RUPTURE, S_EPICENTRE,
    S_OUTSIDE, S_QUAKE_OUTSIDE, S_NO_COAST, S_COAST_CREDIT, S_LON, S_LAT, S_KM,
    S_FAN, S_FAN_RUN, S_HOURS, S_SERVED, S_BAND, S_MEDIAN, S_THIS_REP, S_CLASS, S_ALL,
    S_HIST, S_HIST_X, S_HIST_Y, S_P90,
    S_RST, S_RST_RUN, S_RST_X, S_RST_P5P95, S_RST_P50P90, S_RST_P50, S_RST_VALUE, S_BERTH, S_NOT_RESTORED,
    S_GANTT, S_GANTT_Y, S_GANTT_SHOWN, S_MOBILISING, S_UNLOAD,
    S_MSEL, S_MSEL_T, S_INJECT, S_FROM_TO, S_MESSAGE, S_EXPECTED, S_EX_TIME,
    S_COMPARE, S_CMP_WS, S_CMP_KL, S_CMP_DRY, S_CMP_YEN_WKL, S_CMP_COST, S_CMP_RANK, S_CMP_OPTION, S_CMP_YEN_KL, S_CMP_NOTE,
    S_FILES, S_NOTHING, S_CLASS1, S_CLASS2, S_CLASS3, S_CLASS4,
    NSTR
} RptStr;

const char *rpt_str(const RptData *d, RptStr s);

/* Name of a facility, demand point, asset or quake in the page's language
 * (falls back to the other name, then the id). */
const char *rpt_name(const RptData *d, const char *en, const char *ja, const char *id);

/* The sections, each appending one <section> to b (or nothing when it has
 * no data). */
void rpt_sec_map(StrBuf *b, const RptData *d);      /* report_map.c */
void rpt_sec_plan(StrBuf *b, const RptData *d);     /* report_plan.c */
void rpt_sec_fan(StrBuf *b, const RptData *d);
void rpt_sec_hist(StrBuf *b, const RptData *d);
void rpt_sec_restore(StrBuf *b, const RptData *d);
void rpt_sec_gantt(StrBuf *b, const RptData *d);
void rpt_sec_msel(StrBuf *b, const RptData *d);
void rpt_sec_compare(StrBuf *b, const RptData *d);
void rpt_sec_valid(StrBuf *b, const RptData *d);      /* report_valid.c */
void rpt_sec_branch(StrBuf *b, const RptData *d);     /* report_branch.c */

/* Read OUT/validation.csv (path) into d->valid: 0, or -1 with the problem
 * in err. rpt_valid_free releases it (absent: no-op). report_valid.c. */
int rpt_valid_read(RptData *d, const char *path, char *err, size_t errlen);
void rpt_valid_free(RptData *d);

/* Colours and legend labels of the four priority classes. */
extern const char *const rpt_class_color[NCLASS];
extern const RptStr rpt_class_str[NCLASS];

/* Probability of extensive or complete damage of facility f: from the sweep,
 * or 0/1 from the run's sampled state; NaN when unknown. */
double rpt_fac_pext(const RptData *d, int f);

#endif
