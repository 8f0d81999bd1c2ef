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

struct result;

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
	int labs_after;       /* runs this process makes after this one (a
				 hint: lab namespaces are prepared ahead) */
	int last;             /* no run of this process comes after this
				 one: its lab is torn down, not parked */
	const char *keep;     /* keep the lab afterwards under this name */
	FILE *out;            /* where steps and tables go */
	int record;           /* fill the whole results record for the
			       * writers: rules, sysctls, counters, the
			       * socket tables of each expectation, the
			       * timeline */
};

/*
 * runner_run() - run @sc into @res (zeroed first; result_free() releases
 * it); returns 0 when it ran to a verdict (see result_held()), or -errno
 * when it could not run (@e says why; its exit class tells usage,
 * environment or internal, and @res holds the skip or error verdict).
 */
int runner_run(const struct scenario *sc, const struct runner_opts *o,
	       struct result *res, struct err *e) WUR;

/*
 * runner_lab_reusable() - 1 when a run of @sc that passes leaves its lab
 * fit for the next run of the same plan (lab_recycle()): it sets no
 * sysctl, holds no packet, lets no endpoint die or craft segments,
 * connects to no address a node does not own (the neighbour table keeps
 * it failed), and has no rule whose effect outlives a flush (an ICMP
 * answer's rate limit, connection tracking)
 */
int runner_lab_reusable(const struct scenario *sc);

#endif
