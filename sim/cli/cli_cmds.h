/* The commands built so far; each is defined in its sim/cli_NAME.c. */
#ifndef FUELSIM_CLI_CMDS_H
#define FUELSIM_CLI_CMDS_H

#include "cli.h"

#include "sweep.h"
#include "world.h"

extern const CliCmd cli_cmd_validate;
extern const CliCmd cli_cmd_bench;
extern const CliCmd cli_cmd_hazard, cli_cmd_fragility, cli_cmd_damage;

extern const CliCmd cli_cmd_run;
extern const CliCmd cli_cmd_plan;

/* `fuelsim bench plan [DIR]` (cli_plan.c): cold and warm re-plan times. */
int cli_bench_plan(const struct CliArgs *a);

extern const CliCmd cli_cmd_drill;
extern const CliCmd cli_cmd_bcp;
extern const CliCmd cli_cmd_compare;
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

/* A new JSON object that opens with what identifies a one-replicate output:
 * "scenario", "quake" (its id, or "none" when quake < 0), "seed", "rep"
 * (cli_run.c). The caller owns it (cJSON_Delete). */
struct cJSON;
struct cJSON *cli_json_replicate(const World *w, int quake, uint64_t seed, uint64_t rep);

/* Load a scenario folder for a command; prints the problems and returns NULL
 * on bad input (the command then returns 2). Caller frees with world_free. */
World *cli_load_world(const char *dir);

#endif
