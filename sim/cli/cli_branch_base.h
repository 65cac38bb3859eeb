/* The base run of `fuelsim branch` kept in OUT/base/ between calls
 * (cli_branch_base.c): its trace and the figures branch.json sets beside
 * the branch, under a key of everything the base depends on. */
#ifndef FUELSIM_CLI_BRANCH_BASE_H
#define FUELSIM_CLI_BRANCH_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "supply.h"
#include "world.h"

/* The key (64 hex digits; "" when it cannot be made, which never matches)
 * of the base of replicate rep of seed under policy with a's options. */
void brb_key(const CliArgs *a, const World *w, uint64_t seed, uint64_t rep, const char *policy,
             char key[65]);

struct HazSample;

/* The stored base under key: 0 with res's headline figures (weighted
 * shortfall, class-1 dry hours, unserved kL by class, t90, trips; nothing
 * else), the trace text (new, the caller frees) and the replicate's shaking
 * for w's sites (new: haz_sample_free, or give it to sup_model_new_shaken),
 * or -1 when there is none, it has another key, or its trace or shaking is
 * not the one stored with it. */
int brb_load(const char *out, const char *key, const World *w, SupResult *res, char **trace, size_t *tlen,
             struct HazSample **shaking);

/* Store the base and its shaking (sup_shaking_new): the trace and the
 * shaking first, then the key; 0 or -1. */
int brb_save(const char *out, const char *key, const SupResult *res, const char *trace, size_t tlen,
             const struct HazSample *shaking);

#endif
