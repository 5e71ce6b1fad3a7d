/*
 * signals.c - how the kgraph command ends when it is told to stop: on
 * SIGINT, SIGTERM or SIGHUP, and when the --timeout of a drawing command
 * runs out.
 *
 * Either way the Graphviz child of a render in progress is killed and the
 * temporary file of a write in progress removed
 * (kg_render_abort_in_progress). A signal then ends the process with the
 * default action, so its parent sees the usual 128+signal status; the
 * time limit ends it with a message and exit 4.
 *
 * The time limit is one timer (SIGALRM) for the whole command, armed when
 * the options are read: loading, the path search that `render --path ...
 * -k N` runs first, the layout and the write all count. No search has to
 * check a clock, and none can run past it. The layout keeps its own,
 * gentler limit inside that (kg_render's timeout_seconds, set to the whole
 * seconds left), so a slow layout still gets the message that names a
 * faster engine: the timer fires half a second after the deadline, which
 * the layout's limit never passes.
 *
 * Handlers use only async-signal-safe calls; the message is written
 * before the alarm is armed.
 */
#define _POSIX_C_SOURCE 200809L
#include "signals.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* How long after the deadline the timer fires (see the top). */
#define GRACE_USEC 500000

static char timeout_message[512];
static size_t timeout_message_len;
static double deadline; /* CLOCK_MONOTONIC seconds; 0 = no limit */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_stop(int sig)
{
	kg_render_abort_in_progress();
	/* The signal is blocked while this runs: with the default action
	 * restored, it ends the process as soon as the handler returns. */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_alarm(int sig)
{
	(void)sig;
	kg_render_abort_in_progress();
	if (write(STDERR_FILENO, timeout_message, timeout_message_len) < 0) {
		/* nothing more can be done */
	}
	_exit(EXIT_IO);
}

void kg_cli_signals_install(void)
{
	static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
	size_t i;

	for (i = 0; i < sizeof stops / sizeof *stops; i++) {
		struct sigaction old, sa;
		/* A signal ignored when kgraph started (nohup, a background job)
		 * stays ignored. */
		if (sigaction(stops[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(stops[i], &sa, NULL);
	}
}

void kg_cli_deadline_arm(const char *cmd, unsigned seconds, bool given)
{
	struct sigaction sa;
	struct itimerval timer;
	int n;

	n = snprintf(timeout_message, sizeof timeout_message,
	             "kgraph: error: %s did not finish within %u s%s and was stopped\n"
	             "hint: ask a narrower question (fewer paths, --max-hops, a focus), draw fewer entities, "
	             "or allow more time with --timeout\n",
	             cmd, seconds, given ? " (--timeout)" : "");
	timeout_message_len = n < 0 ? 0 : (size_t)n < sizeof timeout_message ? (size_t)n : sizeof timeout_message - 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	deadline = now() + seconds;
	memset(&timer, 0, sizeof timer);
	timer.it_value.tv_sec = (time_t)seconds;
	timer.it_value.tv_usec = GRACE_USEC;
	setitimer(ITIMER_REAL, &timer, NULL);
}

unsigned kg_cli_deadline_left(void)
{
	double left;

	if (deadline == 0)
		return 0;
	left = deadline - now();
	return left < 1 ? 1 : (unsigned)left;
}
