// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * batch.c - many runs at once on a pool of threads (see batch.h)
 *
 * Theory of operation: the jobs are laid out first (a plain array, in the
 * order the results come out), then the workers take the next free index
 * under one mutex until none is left.  A job owns its results and a
 * memstream for its text; once every worker is joined, the text is copied
 * out and the runs are moved into the caller's results, job by job.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "keeper.h"
#include "results.h"
#include "util.h"

/* One scenario x backend x family */
struct job {
	const struct scenario *sc;
	int family;
	const char *firewall;
	struct results res;  /* its one run */
	char *text;          /* what the run printed */
	size_t textlen;
	int status;          /* exit status of a run that could not run */
};

struct pool {
	struct job *jobs;
	int njobs, next;
	pthread_mutex_t lock;
	const struct runner_opts *base;
};

/* run @j, its text into its own buffer; runner_run() records a run that
 * could not run as a skip or an error, with why */
static void job_run(struct job *j, const struct runner_opts *base)
{
	struct runner_opts ro = *base;
	struct err e = { 0 };
	struct result *r;
	FILE *out;

	ro.family = j->family;
	ro.firewall = j->firewall;
	ro.record = 1;
	r = results_add(&j->res);
	out = open_memstream(&j->text, &j->textlen);
	if (!r || !out) {
		if (out)
			fclose(out);
		j->status = ERR_EXIT_INTERNAL;
		return;
	}
	ro.out = out;
	if (runner_run(j->sc, &ro, r, &e)) {
		fprintf(out, "tcplab: %s: %s\n", j->sc->name, e.msg);
		j->status = err_exit_status(&e);
	}
	fclose(out);
}

static void *pool_worker(void *p)
{
	struct pool *pl = p;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&pl->lock);
		j = pl->next < pl->njobs ? &pl->jobs[pl->next++] : NULL;
		pthread_mutex_unlock(&pl->lock);
		if (!j)
			return NULL;
		job_run(j, pl->base);
	}
}

/* the jobs of @b, in result order, into @jobs; returns how many */
static int jobs_lay_out(const struct batch *b, struct job *jobs)
{
	int i, f, w, n = 0;

	for (i = 0; i < b->nsc; i++)
		for (w = 0; w < b->nfw; w++)
			for (f = 0; f < b->nfam; f++) {
				int fb = b->families[f] == 6 ? SCENARIO_FAMILY_6
							     : SCENARIO_FAMILY_4;

				if (!(b->scs[i]->families & fb))
					continue;
				jobs[n].sc = b->scs[i];
				jobs[n].family = b->families[f];
				jobs[n].firewall = b->firewalls[w];
				n++;
			}
	return n;
}

/* each job's text to @text and its runs into @all, in order; frees them */
static void jobs_gather(struct job *jobs, int n, struct results *all,
			FILE *text, int *worst)
{
	int i;

	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		size_t k;

		if (text && j->text)
			fwrite(j->text, 1, j->textlen, text);
		free(j->text);
		if (j->status > *worst)
			*worst = j->status;
		for (k = 0; k < j->res.nruns; k++) {
			struct result *r = results_add(all);

			if (r)
				*r = j->res.runs[k]; /* moved: owned by @all now */
		}
		free(j->res.runs);
	}
}

int batch_run(const struct batch *b, struct results *all, FILE *text,
	      int *worst, struct err *e)
{
	struct pool pl = { .base = &b->base };
	pthread_t th[BATCH_MAX_JOBS];
	int i, nth = b->jobs, ret;

	*worst = 0;
	pl.jobs = calloc((size_t)(b->nsc * b->nfam * b->nfw) + 1, sizeof(*pl.jobs));
	if (!pl.jobs)
		return err_set(e, -ENOMEM, "out of memory for %d runs",
			       b->nsc * b->nfam * b->nfw);
	pl.njobs = jobs_lay_out(b, pl.jobs);
	ret = keeper_start(e);
	if (ret) {
		free(pl.jobs);
		return ret;
	}
	pthread_mutex_init(&pl.lock, NULL);
	if (nth < 1)
		nth = 1;
	if (nth > (int)ARRAY_SIZE(th))
		nth = (int)ARRAY_SIZE(th);
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, pool_worker, &pl)) {
			nth = i;
			break;
		}
	if (!nth)  /* not one thread: this one does the work */
		pool_worker(&pl);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&pl.lock);
	keeper_stop();
	jobs_gather(pl.jobs, pl.njobs, all, text, worst);
	free(pl.jobs);
	return 0;
}
