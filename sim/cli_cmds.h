/* The commands built so far; each is defined in its sim/cli_NAME.c. */
#ifndef FUELSIM_CLI_CMDS_H
#define FUELSIM_CLI_CMDS_H

#include "cli.h"

#include "world.h"

extern const CliCmd cli_cmd_validate;
extern const CliCmd cli_cmd_hazard, cli_cmd_fragility, cli_cmd_damage;

/* Load a scenario folder for a command; prints the problems and returns NULL
 * on bad input (the command then returns 2). Caller frees with world_free. */
World *cli_load_world(const char *dir);

#endif
