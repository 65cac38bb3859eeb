/* Helpers shared by the unit tests that load a scenario and run the supply
 * model on it: one way to load (printing the loader's messages) and one way
 * to make a greedy run with its trace. */
#ifndef FUELSIM_TESTUTIL_H
#define FUELSIM_TESTUTIL_H

#include "compare.h"
#include "diag.h"
#include "scenario.h"
#include "supply.h"

#include <stdio.h>
#include <string.h>

/* The scenario in dir, or NULL after printing the loader's messages on
 * stderr. The caller frees it with world_free. */
static inline World *tu_load(const char *dir)
{
    Diag d;
    diag_init(&d);
    World *w = scn_load(dir, &d);
    if (!w) diag_print(&d, stderr);
    diag_free(&d);
    return w;
}

/* The opening of a test that needs a world: declares w as the World that
 * expr gives and, when that is NULL, fails the test and returns from it.
 * Used after check.h. */
#define TU_WORLD_OR_FAIL(w, expr) \
    World *w = (expr); \
    CHECK(w != NULL); \
    if (!w) return

/* 1 when d holds exactly the message msg; otherwise 0 after printing msg and
 * the messages d does hold on stderr. */
static inline int tu_has_msg(const Diag *d, const char *msg)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->msg[i], msg) == 0) return 1;
    fprintf(stderr, "  missing message: %s\n", msg);
    for (int i = 0; i < d->n; i++) fprintf(stderr, "    have: %s\n", d->msg[i]);
    return 0;
}

/* One greedy replicate (seed, rep) of w under quake into r; when trace is
 * not NULL, its trace.csv rows as malloc'd text in *trace (length *len).
 * Returns sup_run's status, or -1 (r untouched) when the model cannot be
 * built. The caller frees r with sup_result_free and *trace with free. */
static inline int tu_run_greedy(const World *w, int quake, uint64_t seed, uint64_t rep,
                                SupResult *r, char **trace, size_t *len)
{
    SupModel *m = sup_model_new(w, quake);
    if (!m) return -1;
    FILE *f = trace ? open_memstream(trace, len) : NULL;
    SupOptions opt = {SUP_GREEDY, f, NULL, NULL};
    int rc = sup_run(m, seed, rep, &opt, r);
    if (f) fclose(f);
    sup_model_free(m);
    return rc;
}

/* What the fuel balance does not account for, kL: 0 up to rounding. */
static inline double tu_residual(const SupBalance *b)
{
    return b->initial_inventory_kl + b->produced_kl - b->consumed_kl - b->final_inventory_kl -
           b->in_transit_kl - b->lost_kl;
}

/* An investments file's text read against w, as "inv.csv". */
static inline CmpInvest *tu_inv_parse(const World *w, const char *text, Diag *d)
{
    return cmp_invest_parse("inv.csv", text, strlen(text), w, d);
}

/* What the compare and portfolio tests start from: the scenario in dir and
 * an investments file's text read against it. */
typedef struct TuInv {
    World *w;           /* NULL when the scenario does not load */
    Diag d;             /* the reader's messages */
    CmpInvest *inv;     /* NULL when the text does not read (or w is NULL) */
} TuInv;

static inline TuInv tu_inv_read(const char *dir, const char *text)
{
    TuInv t;
    diag_init(&t.d);
    t.w = tu_load(dir);
    t.inv = t.w ? tu_inv_parse(t.w, text, &t.d) : NULL;
    return t;
}

static inline void tu_inv_free(TuInv *t)
{
    cmp_invest_free(t->inv);
    diag_free(&t->d);
    world_free(t->w);
}

#endif
