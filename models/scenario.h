/* Scenario loader: reads DIR/scenario.json and the CSV tables it names,
 * validates types, units, ranges and references, and builds a World.
 * Every problem goes to the Diag as "file:line: message"; loading continues
 * past errors so that all of them are reported (up to DIAG_LIMIT). */
#ifndef FUELSIM_SCENARIO_H
#define FUELSIM_SCENARIO_H

#include "diag.h"
#include "world.h"

/* Load the scenario folder dir. Returns a new World (caller frees with
 * world_free) when d has no errors afterwards, else NULL. */
World *scn_load(const char *dir, Diag *d);

/* Load from memory, for the fuzzer: files[i] named names[i] stand in for the
 * folder's files. Same result rules as scn_load. */
World *scn_load_mem(const char *const *names, const char *const *data,
                    const size_t *len, int nfiles, Diag *d);

/* The provenance of an output made from w: a new cJSON object (the caller
 * adopts it) {"version", "commit", "command", "seed", "scenario_sha256",
 * "files": [{"name", "sha256"}...]}. */
struct cJSON;
struct cJSON *scn_prov_json(const World *w, const RunProv *p);

#endif
