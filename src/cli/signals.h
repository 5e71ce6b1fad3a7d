/*
 * signals.h - ending the command cleanly on SIGINT, SIGTERM, SIGHUP and
 * when its --timeout runs out (signals.c).
 */
#ifndef KG_CLI_SIGNALS_H
#define KG_CLI_SIGNALS_H

#include "cli.h"

/* Handle SIGINT, SIGTERM and SIGHUP (unless ignored when kgraph
 * started): stop a render in progress, remove its temporary file, and
 * end with the signal. Called once, by main. */
void kg_cli_signals_install(void);

/* Bound the whole command to seconds from now: past it, the command is
 * stopped as a signal stops it and exits 4 with a message naming cmd.
 * given: the user chose the time (--timeout), which the message says. */
void kg_cli_deadline_arm(const char *cmd, unsigned seconds, bool given);

/* Whole seconds left before the deadline, at least 1; 0 when none is
 * armed. */
unsigned kg_cli_deadline_left(void);

#endif
