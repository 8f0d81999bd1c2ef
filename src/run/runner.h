/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runner.h - run one scenario in a fresh lab and judge its expectations
 *
 * Theory of operation: the scenario is planned (pure), a lab is built for
 * it, and its steps run in order on one monotonic clock.  Actions go to the
 * node's endpoint, which answers with the errno and the time of the call;
 * firewall steps go to the lab's backend; an expectation polls sock_diag in
 * the node's namespace with a deadline - spinning at first, so that a state
 * is confirmed within microseconds of appearing, then backing off - never a
 * fixed sleep.  The first expectation that does not hold ends the run with
 * its reason and the socket table as it was.  The lab is torn down before
 * runner_run() returns, whatever happened.
 */
#ifndef TCPLAB_RUNNER_H
#define TCPLAB_RUNNER_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "scenario.h"
#include "timeline.h"

struct results;

struct runner_opts {
	int family;           /* 4 or 6 */
	const char *firewall; /* backend name */
	double slow;          /* deadlines are multiplied by this (>= 1) */
	int quiet;            /* no socket tables */
	int packets;          /* a tcpdump-style line per packet */
	int ladder;           /* the ladder diagram after each run */
	int color;            /* ANSI colours */
	const char *capture_dir; /* pcaps go there; NULL: no files */
	int max_packets;      /* per capture; 0: the default */
	int long_steps;       /* run the "long" steps too */
	const char *keep;     /* keep the lab afterwards under this name */
	FILE *out;            /* where steps and tables go */
	struct results *results; /* if set, one res_run is added per run */
};

struct run_result {
	int passed;           /* every expectation held */
	int nexpect, nheld;
	char reason[768];     /* why it failed, with file:line */
	uint64_t setup_ns;    /* lab set-up */
	uint64_t run_ns;      /* the steps */
	uint64_t teardown_ns; /* lab teardown */
	uint64_t max_observe_ns; /* slowest action-to-state confirmation */
};

/*
 * runner_run() - run @sc; returns 0 when it ran to a verdict (see
 * @res->passed), or -errno when it could not run (@e says why; its exit
 * class tells usage, environment or internal).
 */
int runner_run(const struct scenario *sc, const struct runner_opts *o,
	       struct run_result *res, struct err *e) WUR;

#endif
