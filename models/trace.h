/* The event trace of a replicate (trace.csv) as a typed contract: the kinds
 * of row, their names, the grammar of each kind's detail field, one writer
 * (supply.c) and one reader (drill, report, ...). Nobody else compares kind
 * names or parses detail text.
 *
 * A row is seven comma-separated fields, never quoted (ids are snake_case):
 *   time_h     hours since the main shock, "%.4f"
 *   kind       trc_kind[kind].name
 *   asset      "FLEET#N" (fleet id, unit number 1..) or empty
 *   facility   the place the row is about: facility, demand point or place
 *              id; empty for the earthquake
 *   product    world_product_name or empty
 *   kl         kL, "%.3f", empty when not positive
 *   detail     by kind, in this grammar (TrcDetail):
 *     TRC_DETAIL_NONE   ""                        load_start load_end unload
 *                                                 refill return dry
 *     TRC_DETAIL_ID     ITEM                      restoration: component or
 *                                                 link id; mobilise(d): fleet
 *                                                 id; dispatch, depart: the
 *                                                 destination place id
 *     TRC_DETAIL_FLAG   "" or the kind's word     arrive: "at source" (flag 1)
 *                                                 or at the destination;
 *                                                 request: "bulk" (flag 1,
 *                                                 a depot) or a demand point
 *   (first week, issue 15: the chain of requests and the roads)
 *     TRC_DETAIL_NONE   ministry_request (the ministry asks PAJ to start its
 *                       supply cooperation plan), joint_room (the joint
 *                       operations room opens), relay (a priority request of
 *                       the facility column reaches the room, product and kL),
 *                       stockpile (national product stockpile released at the
 *                       depot, product and kL)
 *     TRC_DETAIL_ID     route_open: the direction (rst_dir_name) whose first
 *                       emergency route opens; permit: the fleet whose
 *                       vehicles now hold passage permits for the
 *                       emergency routes under traffic control
 *     TRC_DETAIL_NONE   control_end: traffic control on the emergency
 *                       routes is lifted (every fleet may use them)
 *     TRC_DETAIL_QUAKE  QUAKE "Mw" MW (%.1f)      earthquake
 *     TRC_DETAIL_DAMAGE COMP COMP_KIND DS "capacity" CAP (%.2f) ["(" GATE ")"]
 *                                                 a component; GATE when
 *                                                 something besides its own
 *                                                 repair holds it back
 *                       LINK MODE "closed (" GATE ")"              a link
 *                       (COMP_KIND world_comp_kind_name, DS world_ds_name,
 *                       MODE world_mode_name, GATE rst_gate_name)
 *     TRC_DETAIL_FIRE   "out" OUT_H "restart" BACK_H (%.1f each)  fire: the
 *                       site burns from time_h until OUT_H and stays shut
 *                       for the regulatory restart until BACK_H
 *   (live drills, issue 18: a player's decision applied at time_h)
 *     TRC_DETAIL_DECISION "#"N ACTION TARGET VALUE   decision: N the decision's
 *                       number (1.., in the decisions file's order), ACTION
 *                       trc_action_name, TARGET the fleet, demand point,
 *                       link, FACILITY:PRODUCT or "stockpile" id ("-" for
 *                       policy), VALUE the class (reserve, priority), the
 *                       kL asked (release, %.3f), trc_policy_name (policy)
 *                       or "-"; the facility column is the place concerned,
 *                       product and kl those released
 * A new kind is one line in trc_kind (trace.c) and one enum value here;
 * a new detail shape is one TrcDetail value and its case in the writer and
 * the reader. */
#ifndef FUELSIM_TRACE_H
#define FUELSIM_TRACE_H

#include <stddef.h>
#include <stdio.h>

typedef enum TrcKind {
    TRC_EARTHQUAKE, TRC_DAMAGE, TRC_RESTORATION, TRC_MOBILISE, TRC_MOBILISED,
    TRC_DISPATCH, TRC_ARRIVE, TRC_LOAD_START, TRC_LOAD_END, TRC_DEPART, TRC_UNLOAD,
    TRC_REFILL, TRC_RETURN, TRC_DRY, TRC_REQUEST, TRC_FIRE,
    TRC_MINISTRY_REQUEST, TRC_JOINT_ROOM, TRC_RELAY, TRC_STOCKPILE, TRC_ROUTE_OPEN, TRC_DECISION,
    TRC_PERMIT, TRC_CONTROL_END,
    NTRCKIND
} TrcKind;

/* What a player decided in a live drill (issue 18), by trc_action_name. */
typedef enum TrcAction {
    TRC_ACT_MOBILISE, TRC_ACT_RESERVE, TRC_ACT_PRIORITY, TRC_ACT_CLOSE, TRC_ACT_OPEN,
    TRC_ACT_RELEASE, TRC_ACT_POLICY, NTRCACT
} TrcAction;
extern const char *const trc_action_name[NTRCACT];   /* "mobilise", "reserve", ... "policy" */
/* Values of a policy decision, in SupPolicy order: "greedy", "optimise". */
extern const char *const trc_policy_name[2];

typedef enum TrcDetail {
    TRC_DETAIL_NONE, TRC_DETAIL_ID, TRC_DETAIL_FLAG, TRC_DETAIL_QUAKE, TRC_DETAIL_DAMAGE,
    TRC_DETAIL_FIRE, TRC_DETAIL_DECISION
} TrcDetail;

/* Columns, in order. */
enum { TRC_F_TIME, TRC_F_KIND, TRC_F_ASSET, TRC_F_FACILITY, TRC_F_PRODUCT, TRC_F_KL, TRC_F_DETAIL,
       TRC_NFIELD };
extern const char *const trc_field_name[TRC_NFIELD];   /* "time_h", "kind", ... "detail" */

/* The one table of kinds: the name written in trace.csv, the grammar of
 * the detail, and for TRC_DETAIL_FLAG the word that sets the flag. */
typedef struct TrcKindInfo {
    const char *name;
    TrcDetail detail;
    const char *word;
} TrcKindInfo;
extern const TrcKindInfo trc_kind[NTRCKIND];

/* One row. Strings are borrowed: the writer's caller owns them; the reader
 * points them into the text it parsed (never NULL there: "" when empty). */
typedef struct TrcRow {
    double time_h;
    TrcKind kind;
    const char *asset;    /* fleet id, NULL/"" when none */
    int unit;             /* unit number in the fleet, 1..; 0 when no asset */
    const char *place;    /* facility column */
    int product;          /* Product, -1 when none */
    double kl;            /* 0 when none */
    /* detail, by trc_kind[kind].detail */
    const char *item;     /* ID, QUAKE, COMP or LINK; NULL/"" when none */
    int flag;             /* TRC_DETAIL_FLAG: 1 when the kind's word is there */
    double mw;            /* TRC_DETAIL_QUAKE */
    int is_link;          /* TRC_DETAIL_DAMAGE: 1 link (mode, gate), 0 component (comp_kind, ds, cap) */
    int comp_kind, ds;    /* CompKind, DamageState */
    double cap;           /* capacity fraction left, 0..1 */
    int mode, gate;       /* Mode, RstGate (components: RST_GATE_NONE unless another gate holds them) */
    double out_h, back_h; /* TRC_DETAIL_FIRE: fire out, site back (h) */
    int dec_no;           /* TRC_DETAIL_DECISION: decision number, 1.. */
    int action;           /* TrcAction */
    double value;         /* class, kL asked, or SupPolicy; 0 when "-" */
} TrcRow;

/* A row with no asset, product, kl or detail at time t: fill in the rest. */
TrcRow trc_row(double t, TrcKind kind, const char *place);

/* The header line "time_h,kind,...,detail\n". */
void trc_write_header(FILE *f);
/* One row as a trace.csv line (with its newline). */
void trc_write(FILE *f, const TrcRow *r);

/* The kind named name (trc_kind[k].name), or -1 for none: what a reader
 * that takes only some kinds asks before parsing a whole row. */
int trc_kind_find(const char *name);

/* Parse one trace line (no newline; a final '\r' is ignored), split in
 * place: the row's strings point into line. Returns 0, or -1 with a message
 * (without a line number) in err. */
int trc_parse_line(char *line, TrcRow *r, char *err, size_t errlen);
/* The same from fields already split (f[TRC_F_TIME..TRC_F_DETAIL], the
 * detail unsplit); the detail field is split in place. */
int trc_parse_fields(char *const f[TRC_NFIELD], TrcRow *r, char *err, size_t errlen);

#endif
