/* The commands built so far; each is defined in its sim/cli_NAME.c. */
#ifndef FUELSIM_CLI_CMDS_H
#define FUELSIM_CLI_CMDS_H

#include "cli.h"

extern const CliCmd cli_cmd_validate;

#endif
