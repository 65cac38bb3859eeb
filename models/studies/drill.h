/* Drill timeline: picks one plausible but stressing replicate (by rank of
 * weighted shortfall over a set of replicates) and turns its event trace
 * into a Master Scenario Events List (MSEL) for an exercise: numbered
 * injects with scenario time and exercise clock time, sender and receiver,
 * medium, message, expected action and exercise objective, in Japanese or
 * English.
 *
 * Every inject comes from trace rows of the replicate (supply.c writes
 * them) and records their line numbers in the trace, so that the MSEL can be
 * checked against what happened. Rules (in short in `fuelsim drill --help`):
 *   earthquake            -> main_shock, at its time
 *   damage (component)    -> damage_report, one per facility, report_delay_h
 *                            after the shock (the walk-down inspection)
 *   damage (link)         -> closure, one per mode (fairways, roads, rail),
 *                            report_delay_h after the shock
 *   restoration (link)    -> reopening, per mode, merged over merge_h
 *   restoration (process component of a refinery) -> refinery_restart
 *   restoration (other components) -> back_in_service, all facilities
 *                            together, merged over merge_h
 *   request (demand point)-> low_stock: a user's first request of each
 *                            product only (later ones are routine
 *                            resupply), merged per priority class over
 *                            merge_h. A user asks when its stock falls
 *                            below the scenario's request_threshold_days
 *                            (1 day = 24 h; the message gives the hours)
 *   dry -> dry; refill -> resupplied: one inject per row for priority
 *                            classes 1-2, merged per class over merge_h
 *                            for classes 3-4
 *   request (depot, bulk) -> bulk_request, merged over merge_h
 *   mobilise / mobilised  -> mobilise_request / mobilised, per organisation
 *                            (SDF, PAJ), merged over merge_h
 *   ministry_request      -> plan_request: the ministry (ANRE) asks PAJ to
 *                            start the disaster supply cooperation plan
 *   joint_room            -> joint_room_open: PAJ to the prefectures
 *   relay                 -> priority_relay: priority requests reaching the
 *                            joint operations room (a user's first of each
 *                            product only), merged per priority class over
 *                            merge_h
 *   stockpile             -> stockpile_release, merged over merge_h
 *   route_open            -> route_open: first emergency route of a
 *                            direction (8-direction plan), merged over merge_h
 *   decision              -> player_action: a player's decision in a live
 *                            drill (fuelsim branch), one inject each, with
 *                            the player's note (DrlParams.notes)
 *   dispatch, arrive, load_start, load_end, depart, unload, return: none
 *                            (the trips are what the players decide).
 * "Merged over merge_h": rows of the same kind and group that fall within
 * merge_h hours after the first row of an inject join that inject; its time
 * is the first row's. Times in hours since the main shock. */
#ifndef FUELSIM_DRILL_H
#define FUELSIM_DRILL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "restore.h"
#include "supply.h"
#include "world.h"

typedef enum DrlPickHow { DRL_PICK_MEDIAN, DRL_PICK_P90, DRL_PICK_WORST, NDRLPICK } DrlPickHow;
extern const char *const drl_pick_name[NDRLPICK];   /* "median", "p90", "worst" */

typedef enum DrlLang { DRL_JA, DRL_EN, NDRLLANG } DrlLang;
extern const char *const drl_lang_name[NDRLLANG];   /* "ja", "en" */

/* Defaults: the first damage reports reach the disaster HQ an hour after the
 * shock (walk-down inspection and the first call; an assumption, a common
 * first-report target in Japanese disaster plans); rows within 6 h merge. */
#define DRL_REPORT_DELAY_H 1.0
#define DRL_MERGE_H 6.0
/* What holds an undamaged component or a link back, by RstGate, in each
 * language ("fairway not yet cleared", "航路啓開待ち"); NULL for none and repair. */
extern const char *const drl_gate_why[NDRLLANG][NRSTGATE];

/* Default exercise start: 2026-09-01T09:00:00+09:00 (Disaster Prevention Day). */
#define DRL_DEFAULT_START "2026-09-01T09:00:00+09:00"
/* A merged inject names at most this many items, then "and N more". */
#define DRL_MAX_LIST 6

/* Rank of the replicate picked among n values sorted ascending by weighted
 * shortfall, ties by replicate index (lower index first): nearest rank,
 * ceil(p n) for p = 0.5 (median) and 0.9 (p90), n for the worst. 1-based. */
uint64_t drl_pick_rank(uint64_t n, DrlPickHow how);

/* Pick among ws[0..n-1] (weighted shortfall of replicates 0..n-1): returns
 * the replicate index at drl_pick_rank. n >= 1. */
uint64_t drl_pick_from(const double *ws, uint64_t n, DrlPickHow how);

/* Run replicates 0..n-1 of seed (no trace) in parallel with OpenMP, threads
 * threads (0: all), and pick one. The result does not depend on threads.
 * Returns 0 and sets *rep and *ws (its weighted shortfall), or -1 on a
 * runtime failure (message printed). */
int drl_pick(const SupModel *m, uint64_t seed, uint64_t n, DrlPickHow how, int threads,
             uint64_t *rep, double *ws);

/* Runs replicate rep into r (zeroed; the caller frees it): sup_run's status. */
typedef int (*DrlRunFn)(void *ctx, uint64_t rep, SupResult *r);
/* drl_pick with the replicates run by fn (called from several threads at
 * once with the same ctx), e.g. with another dispatch policy. */
int drl_pick_by(DrlRunFn fn, void *ctx, uint64_t n, DrlPickHow how, int threads, uint64_t *rep, double *ws);

typedef struct DrlParams {
    DrlLang lang;
    int64_t start_s;        /* exercise start, seconds since 1970-01-01T00:00:00Z */
    double compress;        /* scenario hours per exercise hour, > 0 */
    double report_delay_h;  /* damage reports and closures: this long after the shock */
    double merge_h;         /* merge window, h; 0: merge only rows at the same time */
    const char *const *notes;   /* borrowed: the note of decision N is notes[N-1]; NULL: none */
    int nnotes;
} DrlParams;

/* Defaults above, English, compress 1. */
void drl_params_default(DrlParams *p);

/* ISO 8601 date-time "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (a space may
 * stand for T; no offset means Japan time, +09:00) to seconds since the
 * epoch. Returns 0, or -1 when s is not such a time. */
int drl_parse_iso(const char *s, int64_t *t);
/* Seconds since the epoch as "YYYY-MM-DDTHH:MM:SS+09:00" (Japan time);
 * buf of at least 32 bytes. */
void drl_format_iso(int64_t t, char *buf, size_t n);
/* Exercise clock of scenario time h: start + h / compress hours, rounded to
 * the nearest second. */
int64_t drl_exercise_s(const DrlParams *p, double time_h);

/* One inject. Strings are owned by the Msel. */
typedef struct DrlInject {
    int id;                   /* 1.. in time order */
    double time_h;            /* scenario time */
    double trace_time_h;      /* time of its first trace row (time_h minus any delay) */
    const char *kind;         /* stable key: main_shock, damage_report, ... */
    char *from, *to, *method, *message, *action, *objective;
    int *lines;               /* trace line numbers it reports (header is line 1) */
    int nlines;
} DrlInject;

typedef struct DrlMsel {
    int n;
    DrlInject *inj;
    DrlParams par;
} DrlMsel;

/* Build the MSEL of trace text (as sup_run writes it: header row, then
 * time_h,kind,asset,facility,product,kl,detail) of a replicate of w.
 * Returns a new Msel (free with drl_msel_free), or NULL when a row cannot
 * be read, with "trace line N: ..." in err. */
DrlMsel *drl_msel_new(const World *w, const char *trace, size_t len, const DrlParams *p,
                      char *err, size_t errlen);
void drl_msel_free(DrlMsel *m);   /* NULL ok */

/* The inject's label as msel.csv shows it: "INJ-001". */
void drl_inject_id(const DrlInject *in, char *buf, size_t n);

/* msel.csv: header inject_id,scenario_time_h,exercise_time,from,to,method,
 * message,expected_action,objective, one row per inject (RFC 4180 quoting).
 * Returns 0, or -1 on a write error. */
int drl_msel_write_csv(const DrlMsel *m, FILE *f);

/* msel.json text: {"meta": caller's fields..., "injects": [...]}, with
 * each inject's kind, trace_time_h and trace_lines besides the CSV columns.
 * meta_json is a JSON object text or NULL. Returns a new string (free). */
char *drl_msel_json(const DrlMsel *m, const char *meta_json);

#endif
