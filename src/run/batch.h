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
	int jobs;                      /* threads, 1 to BATCH_MAX_JOBS */
	struct runner_opts base;       /* family, firewall, results, out: set per job */
};

#define BATCH_MAX_JOBS 64

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
