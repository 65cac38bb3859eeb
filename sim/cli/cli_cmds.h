/* The commands built so far; each is defined in its sim/cli_NAME.c. */
#ifndef FUELSIM_CLI_CMDS_H
#define FUELSIM_CLI_CMDS_H

#include "cli.h"

#include "metrics.h"
#include "optimise.h"
#include "sweep.h"
#include "world.h"

extern const CliCmd cli_cmd_validate;
extern const CliCmd cli_cmd_bench;
extern const CliCmd cli_cmd_hazard, cli_cmd_fragility, cli_cmd_damage;

extern const CliCmd cli_cmd_run;
extern const CliCmd cli_cmd_plan;

/* `fuelsim bench plan [DIR]` (cli_plan.c): CPU per optimised replicate
 * beside greedy, re-plans, model size. */
int cli_bench_plan(const struct CliArgs *a);

/* --policy greedy|optimise (default optimise) and --forecast of a command
 * that runs replicates: *optimise 1 or 0, the planner's parameters in p.
 * -1 after a usage error (cli_sweep.c). */
int cli_policy_args(const struct CliArgs *a, int *optimise, struct OptParams *p);

/* The exercise clock and language of a drill's injects (CLI_OPTS_EXERCISE):
 * --compress, --start and --lang into par, from its defaults. -1 after a
 * usage error (cli_drill.c; drill and branch). */
struct DrlParams;
int cli_exercise_args(const struct CliArgs *a, struct DrlParams *par);

/* What a sweep-like command reads first (cli_sweep.c): -n, --seed,
 * --threads and --out as cli_reps_out_args, the policy as cli_policy_args
 * and the scenario a->pos[0] with its --quake (none allowed or not). */
typedef struct CliSweepArgs {
    uint64_t n, seed;
    int threads, optimise, quake;
    const char *out;
    const char *policy;     /* "optimise" or "greedy" */
    OptParams op;
} CliSweepArgs;
/* Returns the World (world_free), or NULL after a usage or scenario error
 * (the command then returns 2). */
World *cli_sweep_args(const struct CliArgs *a, int allow_none, CliSweepArgs *s);

/* The planner options (--horizon, --step, --growth, --replan, --inspect,
 * --forecast) into p over its defaults; -1 after a usage error (cli_plan.c). */
struct OptParams;
int cli_opt_params(const struct CliArgs *a, struct OptParams *p);

extern const CliCmd cli_cmd_drill;
extern const CliCmd cli_cmd_branch;

/* metrics.json of one replicate as `fuelsim run` writes it (cli_run.c):
 * a new object the caller owns. */
struct SupResult;
struct cJSON *cli_run_metrics_json(const World *w, int quake, uint64_t seed, uint64_t rep,
                                   const struct SupResult *r);
/* timeseries.csv of one replicate, written whole; 0 or -1 (cli_run.c). */
int cli_run_write_timeseries(const char *path, const struct SupResult *r);
/* msel.csv, msel.json and trace.csv of a drill, written together; non-zero
 * on a write error (cli_drill.c). */
struct DrlMsel;
int cli_drill_write_files(const char *p_csv, const char *p_json, const char *p_trace,
                          const struct DrlMsel *msel, const char *json, const char *trace, size_t tlen);
extern const CliCmd cli_cmd_bcp;
extern const CliCmd cli_cmd_compare;
extern const CliCmd cli_cmd_portfolio;
extern const CliCmd cli_cmd_sweep;
extern const CliCmd cli_cmd_report;
extern const CliCmd cli_cmd_hindcast;

/* Write OUT/report.html and OUT/network.geojson at the end of a command
 * (cli_report.c, viz/report.h). prog prefixes messages; lang "en" or "ja"
 * (NULL: en). Returns 0, or an exit code after a message on stderr. */
int cli_report_after(const char *prog, const char *out, const World *w, const char *lang);

/* The --quake option of a command: the earthquake index, -1 for "none"
 * (when allow_none), or -2 after printing a usage error (exit 2). */
struct CliArgs;
int cli_quake_arg(const struct CliArgs *a, const World *w, int allow_none);

/* The scenario a->pos[0] (cli_load_world) and its --quake (cli_quake_arg)
 * into *quake. Returns the world, or NULL after a message (the command then
 * returns 2). Caller frees with world_free. */
World *cli_load_world_quake(const struct CliArgs *a, int allow_none, int *quake);

/* The sweep parameters of a sweep-like command (cli_sweep.c): the defaults,
 * then n, seed, threads, out_dir and info (borrowed, as in SwpParams). */
void cli_swp_params(SwpParams *p, uint64_t n, uint64_t seed, int threads, const char *out_dir,
                    const char *const *info);

/* The provenance of a sweep-like command's summary.json (scenario files,
 * version, command, seed): sets p->prov_json to *json, a new string the
 * caller frees (cli_sweep.c). */
void cli_swp_prov(SwpParams *p, const struct CliArgs *a, const World *w, uint64_t seed, char **json);

/* A new JSON object that opens with what identifies a one-replicate output:
 * "scenario", "quake" (its id, or "none" when quake < 0), "seed", "rep"
 * (cli_run.c). The caller owns it (cJSON_Delete). */
struct cJSON;
struct cJSON *cli_json_replicate(const World *w, int quake, uint64_t seed, uint64_t rep);

/* Load a scenario folder for a command; prints the problems and returns NULL
 * on bad input (the command then returns 2). Caller frees with world_free. */
World *cli_load_world(const char *dir);

/* A SwpRepFn that runs met_rep with the optimiser: its own planner per
 * replicate, the thread's GLPK memory handed back after it. With ncol >= 0
 * the replicate's failed plans go in row[ncol] (the plan_failures column). */
typedef struct CliOptRep {
    MetRun met;               /* the greedy run it extends; copied per replicate */
    const World *w;
    OptParams p;
    int ncol;
} CliOptRep;
int cli_opt_rep(void *ctx, uint64_t seed, uint64_t rep, double *row, double *series);

#endif
