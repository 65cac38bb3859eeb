/* The command table and option parsing. A command whose issue has not landed
 * yet is listed with run == NULL: it says so and exits 1. */
#include "cli.h"
#include "cli_cmds.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The commands, declared in cli_cmds.h, one line each in the order of --help. */
static const CliCmd *const commands[] = {
    &cli_cmd_validate,
    &cli_cmd_hazard,
    &cli_cmd_fragility,
    &cli_cmd_damage,
    &cli_cmd_run,
    &cli_cmd_sweep,
    &cli_cmd_plan,
    &cli_cmd_drill,
    &cli_cmd_branch,
    &cli_cmd_bcp,
    &cli_cmd_compare,
    &cli_cmd_portfolio,
    &cli_cmd_hindcast,
    &cli_cmd_report,
    &cli_cmd_bench,
};
#define NCMD ((int)(sizeof commands / sizeof commands[0]))

static void print_main_usage(FILE *f)
{
    fprintf(f, "usage: fuelsim COMMAND [options]\n\n"
               "Fuel supply after a great Tokyo Bay earthquake: hazard, damage,\n"
               "supply-chain simulation and emergency transport planning.\n\ncommands:\n");
    for (int i = 0; i < NCMD; i++)
        fprintf(f, "  %-10s %s%s\n", commands[i]->name, commands[i]->summary,
                commands[i]->run ? "" : " (not built yet)");
    fprintf(f, "\n`fuelsim COMMAND --help` describes one command.\n"
               "exit codes: 0 ok, 1 runtime failure, 2 bad input or usage\n");
}

static void print_cmd_usage(const CliCmd *c, FILE *f)
{
    fprintf(f, "usage: fuelsim %s %s\n", c->name, c->usage);
}

static void print_cmd_help(const CliCmd *c)
{
    print_cmd_usage(c, stdout);
    printf("\n%s.\n", c->summary);
    if (c->help) printf("\n%s\n", c->help);
    if (c->opts[0].name) printf("\noptions:\n");
    for (const CliOpt *o = c->opts; o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        printf("  %-18s %s\n", left, o->help);
    }
    if (!c->run) printf("\nnot built yet (issue #%d)\n", c->issue);
}

int cli_usage_error(const CliCmd *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fuelsim %s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_cmd_usage(c, stderr);
    return 2;
}

static int opt_index(const CliCmd *c, const char *name)
{
    for (int i = 0; c->opts[i].name; i++)
        if (strcmp(c->opts[i].name, name) == 0) return i;
    return -1;
}

static int parse_args(const CliCmd *c, int argc, char **argv, CliArgs *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = c;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (s[0] == '-' && s[1] != '\0') {
            char name[64];
            const char *eq = strchr(s, '=');
            size_t n = eq ? (size_t)(eq - s) : strlen(s);
            if (n >= sizeof name) n = sizeof name - 1;
            memcpy(name, s, n);
            name[n] = 0;
            int k = opt_index(c, name);
            if (k < 0) return cli_usage_error(c, "unknown option %s", name);
            if (!c->opts[k].arg) {
                if (eq) return cli_usage_error(c, "%s takes no value", name);
                a->val[k] = "";
            } else if (eq) {
                a->val[k] = eq + 1;
            } else {
                if (i + 1 >= argc) return cli_usage_error(c, "%s needs a value (%s)", name, c->opts[k].arg);
                a->val[k] = argv[++i];
            }
        } else {
            if (a->npos >= c->npos_max || a->npos >= CLI_MAXPOS)
                return cli_usage_error(c, "unexpected argument '%s'", s);
            a->pos[a->npos++] = s;
        }
    }
    if (a->npos < c->npos_min) return cli_usage_error(c, "missing argument");
    return 0;
}

const char *cli_str(const CliArgs *a, const char *name, const char *def)
{
    int k = opt_index(a->cmd, name);
    return (k >= 0 && a->val[k]) ? a->val[k] : def;
}

int cli_flag(const CliArgs *a, const char *name)
{
    int k = opt_index(a->cmd, name);
    return k >= 0 && a->val[k] != NULL;
}

int cli_u64(const CliArgs *a, const char *name, uint64_t def, uint64_t *out)
{
    const char *s = cli_str(a, name, NULL);
    if (!s) { *out = def; return 0; }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        cli_usage_error(a->cmd, "%s: \"%s\" is not a non-negative integer", name, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Option NAME as a number in [lo, hi], an integer when INTEGER: 1 and *out when given, 0 when
   absent, -1 after the usage message when malformed or out of range. */
static int opt_number(const CliArgs *a, const char *name, int integer, double lo, double hi, double *out)
{
    const char *s = cli_str(a, name, NULL);
    if (!s) return 0;
    char *end;
    errno = 0;
    double v = integer ? (double)strtol(s, &end, 10) : strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi) {
        if (integer)
            cli_usage_error(a->cmd, "%s: \"%s\" is not an integer in [%d, %d]", name, s, (int)lo, (int)hi);
        else
            cli_usage_error(a->cmd, "%s: \"%s\" is not a number in [%g, %g]", name, s, lo, hi);
        return -1;
    }
    *out = v;
    return 1;
}

int cli_int(const CliArgs *a, const char *name, int def, int lo, int hi, int *out)
{
    double v;
    int r = opt_number(a, name, 1, lo, hi, &v);
    if (r < 0) return -1;
    *out = r ? (int)v : def;
    return 0;
}

int cli_double(const CliArgs *a, const char *name, double def, double lo, double hi, double *out)
{
    double v;
    int r = opt_number(a, name, 0, lo, hi, &v);
    if (r < 0) return -1;
    *out = r ? v : def;
    return 0;
}

int cli_reps_args(const CliArgs *a, uint64_t *n, uint64_t *seed, int *threads)
{
    if (!cli_str(a, "-n", NULL)) return cli_usage_error(a->cmd, "-n is required");
    if (cli_u64(a, "-n", 0, n) || cli_u64(a, "--seed", 1, seed) ||
        cli_int(a, "--threads", 0, 1, 4096, threads))
        return 2;
    if (*n < 1 || *n > UINT32_MAX)
        return cli_usage_error(a->cmd, "-n: %llu is not in [1, %u]", (unsigned long long)*n, UINT32_MAX);
    return 0;
}

int cli_reps_out_args(const CliArgs *a, uint64_t *n, uint64_t *seed, int *threads, const char **out)
{
    *out = cli_str(a, "--out", NULL);
    if (!cli_str(a, "-n", NULL)) return cli_usage_error(a->cmd, "-n is required");
    if (!*out) return cli_usage_error(a->cmd, "--out is required");
    return cli_reps_args(a, n, seed, threads);
}

int cli_seed_rep_out_args(const CliArgs *a, uint64_t *seed, uint64_t *rep, const char **out)
{
    if (!cli_str(a, "--seed", NULL)) return cli_usage_error(a->cmd, "--seed is required");
    *out = cli_str(a, "--out", NULL);
    if (!*out) return cli_usage_error(a->cmd, "--out is required");
    if (cli_u64(a, "--seed", 0, seed) || cli_u64(a, "--rep", 0, rep)) return 2;
    return 0;
}

const char *cli_policy_arg(const CliArgs *a)
{
    const char *pol = cli_str(a, "--policy", "optimise");
    if (strcmp(pol, "greedy") != 0 && strcmp(pol, "optimise") != 0) {
        cli_usage_error(a->cmd, "--policy: \"%s\" is not greedy or optimise", pol);
        return NULL;
    }
    return pol;
}

#ifndef FUELSIM_VERSION
#define FUELSIM_VERSION "unknown"
#endif
#ifndef FUELSIM_COMMIT
#define FUELSIM_COMMIT "unknown"
#endif

const char *cli_version(void) { return FUELSIM_VERSION; }
const char *cli_commit(void) { return FUELSIM_COMMIT; }
const char *cli_build_id(void) { return FUELSIM_VERSION "+" FUELSIM_COMMIT; }

/* Append s to b, single-quoted for a POSIX shell when it needs quoting. */
static void sb_shell_word(StrBuf *b, const char *s)
{
    int plain = *s != 0;
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p)) plain = 0;
    if (b->n) sb_printf(b, " ");
    if (plain) { sb_printf(b, "%s", s); return; }
    sb_printf(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'') sb_printf(b, "'\\''");
        else sb_printf(b, "%c", *p);
    }
    sb_printf(b, "'");
}

char *cli_command_line(const CliArgs *a)
{
    StrBuf b = {0};
    sb_shell_word(&b, "fuelsim");
    sb_shell_word(&b, a->cmd->name);
    for (int i = 0; i < a->npos; i++) sb_shell_word(&b, a->pos[i]);
    for (int k = 0; a->cmd->opts[k].name; k++) {
        const char *o = a->cmd->opts[k].name;
        if (!a->val[k] || !strcmp(o, "--threads") || !strcmp(o, "--resume")) continue;
        sb_shell_word(&b, o);
        /* the output folder changes no byte either: recorded as the placeholder */
        if (a->cmd->opts[k].arg) sb_shell_word(&b, strcmp(o, "--out") == 0 ? "OUT" : a->val[k]);
    }
    return sb_take(&b);
}

void cli_prov(const CliArgs *a, uint64_t seed, RunProv *p, char **cmd)
{
    *cmd = cli_command_line(a);
    p->version = cli_version();
    p->commit = cli_commit();
    p->command = *cmd;
    p->seed = seed;
    p->policy = NULL;
}

#ifndef FUELSIM_MPI
/* The rank count an MPI launcher gives its processes (Open MPI, MPICH/Hydra,
 * PMIx, Slurm), or 1 when not started by one. */
static long launcher_ranks(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                                       "MPI_LOCALNRANKS", "SLURM_NTASKS", NULL};
    long n = 1;
    for (int i = 0; vars[i]; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        /* Slurm's count matters only inside an MPI launch step (srun/mpirun). */
        if (!strcmp(vars[i], "SLURM_NTASKS") && !getenv("PMI_RANK") && !getenv("PMIX_RANK") &&
            !getenv("OMPI_COMM_WORLD_RANK"))
            continue;
        long k = strtol(v, NULL, 10);
        if (k > n) n = k;
    }
    return n;
}
#endif

int cli_main(int argc, char **argv)
{
    if (argc < 2) { print_main_usage(stderr); return 2; }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        print_main_usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version")) {
        printf("fuelsim %s (commit %s%s)\n", cli_version(), cli_commit(),
#ifdef FUELSIM_MPI
               ", Open MPI build"
#else
               ""
#endif
        );
        return 0;
    }
#ifndef FUELSIM_MPI
    /* Several copies of a plain build would each run the whole command and
     * write the same files; stop before anything is written. */
    long nr = launcher_ranks();
    if (nr > 1) {
        fprintf(stderr, "fuelsim: started as one of %ld MPI ranks, but this fuelsim was built without MPI.\n"
                        "  build the MPI one with `make MPI=1` (it replaces ./fuelsim), then run mpirun again;\n"
                        "  `fuelsim --version` says \"Open MPI build\" for it. Nothing was written.\n", nr);
        return 2;
    }
#endif
    const CliCmd *c = NULL;
    for (int i = 0; i < NCMD; i++)
        if (!strcmp(commands[i]->name, name)) c = commands[i];
    if (!c) {
        fprintf(stderr, "fuelsim: unknown command '%s'\n", name);
        print_main_usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { print_cmd_help(c); return 0; }
    if (!c->run) {
        fprintf(stderr, "fuelsim %s: not built yet (issue #%d)\n", c->name, c->issue);
        return 1;
    }
    CliArgs a;
    int rc = parse_args(c, argc - 2, argv + 2, &a);
    if (rc) return rc;
    return c->run(&a);
}
