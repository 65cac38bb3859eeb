/* Command-line front: the command table, a small option parser shared by all
 * commands, and the entry points of the commands (one cli_NAME.c per command
 * family). Only the CLI ties sim/, models/ and viz/ together.
 *
 * Exit codes: 0 ok, 1 runtime failure, 2 bad input or usage. */
#ifndef FUELSIM_CLI_H
#define FUELSIM_CLI_H

#include <stdint.h>

#define CLI_MAXOPT 32
#define CLI_MAXPOS 4

typedef struct CliOpt {
    const char *name;   /* "--seed" or "-n" */
    const char *arg;    /* metavariable ("S"), or NULL for a flag */
    const char *help;
} CliOpt;

/* Rows of option tables shared by several commands, worded the same everywhere. */
#define CLI_OPT_N        {"-n", "N", "number of replicates (required)"}
#define CLI_OPT_SEED     {"--seed", "S", "random seed (default 1)"}
#define CLI_OPT_SEED_REQ {"--seed", "S", "random seed (required)"}
#define CLI_OPT_REP      {"--rep", "R", "replicate index (default 0)"}
/* --quake as cli_quake_arg reads it with allow_none (run, sweep, hazard, damage). */
#define CLI_OPT_QUAKE    {"--quake", "ID|none", "earthquake id, or none for normal times (default: the scenario's)"}
#define CLI_OPT_THREADS  {"--threads", "T", "OpenMP threads (default: all cores)"}
/* The dispatch policy's two options, read together by cli_policy_args. */
#define CLI_OPTS_POLICY \
    {"--policy", "P", "dispatch policy: optimise (default) or greedy"}, \
    {"--forecast", "F", "optimise: restoration known as median (default), p90 or perfect (the draws)"}
/* The exercise clock and language of a drill's injects (drill, branch; the
 * default start is drill.h's DRL_DEFAULT_START). */
#define CLI_OPTS_EXERCISE \
    {"--start", "ISO", "exercise start (default " DRL_DEFAULT_START ")"}, \
    {"--compress", "X", "X scenario hours per exercise hour (default 1)"}, \
    {"--lang", "ja|en", "language of the injects (default en)"}
#define CLI_OPT_OUT      {"--out", "OUT", "output folder (required)"}
#define CLI_OPT_END      {NULL, NULL, NULL}

struct CliArgs;

typedef struct CliCmd {
    const char *name;
    const char *usage;      /* after "fuelsim NAME " */
    const char *summary;    /* one line for `fuelsim --help` */
    const char *help;       /* paragraph for `fuelsim NAME --help`, may be NULL */
    int npos_min, npos_max; /* positional arguments */
    const CliOpt *opts;     /* terminated by {NULL} */
    int (*run)(const struct CliArgs *a);  /* NULL: not built yet */
    int issue;              /* issue that builds it, when run is NULL */
} CliCmd;

typedef struct CliArgs {
    const CliCmd *cmd;
    int npos;
    const char *pos[CLI_MAXPOS];
    const char *val[CLI_MAXOPT];   /* option values; "" for a set flag */
} CliArgs;

/* Program entry: dispatch argv to a command; returns the exit code. */
int cli_main(int argc, char **argv);

/* Option accessors. Each reports a bad value on stderr as
 * "fuelsim CMD: OPT: ..." and returns -1; the caller then returns 2. */
const char *cli_str(const CliArgs *a, const char *name, const char *def);
int cli_flag(const CliArgs *a, const char *name);
int cli_u64(const CliArgs *a, const char *name, uint64_t def, uint64_t *out);
int cli_int(const CliArgs *a, const char *name, int def, int lo, int hi, int *out);
int cli_double(const CliArgs *a, const char *name, double def, double lo, double hi, double *out);

/* The replicate options shared by sweep-like commands: -n N (required,
 * 1..2^32-1), --seed S (default 1), --threads T (default 0: all cores).
 * Returns 0, or 2 after a usage error. */
int cli_reps_args(const CliArgs *a, uint64_t *n, uint64_t *seed, int *threads);

/* -n N, --seed S, --threads T as cli_reps_args, and --out OUT (required,
 * into *out), with "-n is required" reported before "--out is required".
 * Returns 0, or 2 after a usage error. */
int cli_reps_out_args(const CliArgs *a, uint64_t *n, uint64_t *seed, int *threads, const char **out);

/* The options of the one-replicate commands: --seed S (required), --rep R
 * (default 0), --out OUT (required). Returns 0, or 2 after a usage error. */
int cli_seed_rep_out_args(const CliArgs *a, uint64_t *seed, uint64_t *rep, const char **out);

/* --policy: "optimise" (the default) or "greedy"; NULL after a usage error
 * (the command then returns 2). */
const char *cli_policy_arg(const CliArgs *a);

/* The program's version and the git commit it was built from ("unknown"
 * outside git), as `fuelsim --version` prints them. Static strings. */
const char *cli_version(void);
const char *cli_commit(void);
/* "VERSION+COMMIT": what a checkpoint records to refuse another build's. */
const char *cli_build_id(void);

/* The command that reproduces a's outputs, shell-quoted, as a new string
 * (caller frees): "fuelsim CMD ARGS... OPTIONS..." in the option table's
 * order, without --threads and --resume and with "--out OUT", since none of
 * them changes a result byte: the record is the same on any number of
 * threads, ranks or resumes and in any output folder. */
char *cli_command_line(const CliArgs *a);

/* Fill *p for an output of a: version, commit, seed and *cmd (the command
 * line above, a new string the caller frees; p->command points to it). */
struct RunProv;
void cli_prov(const CliArgs *a, uint64_t seed, struct RunProv *p, char **cmd);

/* Print `fuelsim NAME` usage on stderr and return 2 (for usage errors). */
int cli_usage_error(const CliCmd *c, const char *fmt, ...);

#endif
