/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * batch.h - many runs at once: scenarios x backends x families on a pool
 *
 * Theory of operation: a batch is the cross product of scenarios, firewall
 * backends and address families (a family a scenario does not declare is
 * left out).  Each combination is one job; a fixed pool of threads takes
 * the jobs in order, each running one scenario in a lab of its own
 * (runner_run()) with its printed text going to a buffer of its own.  The
 * one keeper of the process serves every lab; it is started by the calling
 * thread, which outlives the workers (its parent-death signal follows the
 * thread that created it), and stopped when the batch is over.  Results
 * and text are gathered in job order, so the output does not depend on
 * which thread ran what.
 *
 * Order and width.  A run spends its time waiting on kernel timers, not on
 * the CPU: the longest runs are started first (their length estimated from
 * the scenario's own timers, batch_estimate_ns()), one thread's first
 * run a few milliseconds after the other's so that their labs are set up
 * in that order too, and the batch takes about as long as its longest
 * run; and by default each run that waits on timers gets a thread of its
 * own, and the short ones share twice as many threads as there are CPUs,
 * within what memory and the open-file limit allow.
 */
#ifndef TCPLAB_BATCH_H
#define TCPLAB_BATCH_H

#include <stdio.h>

#include "err.h"
#include "runner.h"
#include "scenario.h"

struct results;

/* What to run, and how */
struct batch {
	struct scenario *const *scs;   /* the scenarios, in order */
	int nsc;
	const int *families;           /* 4 and/or 6 */
	int nfam;
	const char *const *firewalls;  /* backend names */
	int nfw;
	int jobs;                      /* threads, 1 to BATCH_MAX_JOBS; 0: as
					  many as the runs' waits call for
					  (batch_auto_jobs()) */
	struct runner_opts base;       /* family, firewall, results, out: set per job */
};

#define BATCH_MAX_JOBS 64

/*
 * batch_estimate_ns() - how long a run of @sc waits on timers, from its
 * steps in order: a wait adds its duration; an error, retransmissions or
 * packets expected "at" a time end no earlier than that time after the
 * last action; an expectation bounded by more than the default deadline
 * ("within 10s": a timer is waited for) adds its bound (the steps run
 * with --long counted when @long_steps).  An estimate for ordering, not
 * a bound.
 */
uint64_t batch_estimate_ns(const struct scenario *sc, int long_steps);

/*
 * batch_auto_jobs() - the default width for @njobs runs of which @nlong
 * wait on timers for a second or more and whose labs have at most @nodes
 * nodes: @nlong plus twice the CPUs, at most @njobs, BATCH_MAX_JOBS, and
 * what available memory and the open-file limit (raised to its hard limit
 * first) leave room for.
 */
int batch_auto_jobs(int njobs, int nlong, int nodes);

/**
 * batch_run() - run every job of @b and gather the results
 * @b:     what to run
 * @all:   one run per job is appended, in job order (scenario, backend,
 *         family); a job that could not run gets a skip (environment) or
 *         an error run with the reason
 * @text:  where each job's printed text goes, in job order; NULL: nowhere
 * @worst: the worst exit status among jobs that could not run (0 if all ran)
 * @e:     why the batch could not start
 *
 * Return: 0 when the batch ran (whatever its verdicts), or -errno.
 */
int batch_run(const struct batch *b, struct results *all, FILE *text,
	      int *worst, struct err *e) WUR;

#endif
