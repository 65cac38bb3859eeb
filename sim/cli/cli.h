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

/* Print `fuelsim NAME` usage on stderr and return 2 (for usage errors). */
int cli_usage_error(const CliCmd *c, const char *fmt, ...);

#endif
