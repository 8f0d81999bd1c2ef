// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * batch.c - many runs at once on a pool of threads (see batch.h)
 *
 * Theory of operation: the jobs are laid out first (a plain array, in the
 * order the results come out), then the workers take the next free index
 * under one mutex until none is left.  A job owns its results and a
 * memstream for its text; once every worker is joined, the text is copied
 * out and the runs are moved into the caller's results, job by job.
 * Workers take jobs in the order of an index sorted by estimated length,
 * longest first; the results stay in layout order.  The first job of each
 * worker starts a little after the one before (BATCH_PACE_NS), so that
 * the longest runs are set up first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

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
	uint64_t est_ns;     /* how long it waits on timers (estimate) */
};

/* A run that waits this long on timers gets a thread of its own */
#define BATCH_LONG_NS NS_PER_S

/*
 * The first job of each thread starts this long after the one before it.
 * Setting a lab up is CPU and kernel locks (namespaces, links, tables),
 * not timers: with every thread starting at once, 50 set-ups share two
 * CPUs and the longest runs, which are first in line, wait for the set-up
 * of all the others (0.5 to 2 s on a loaded machine, measured).  Paced,
 * the longest are set up first; the last of the first wave (a run of a
 * second or so, or a short one) starts under a second later.
 */
#define BATCH_PACE_NS (15 * NS_PER_MS)

/*
 * What one run holds open at most: per node its namespace, its route,
 * sock_diag, firewall, drop-log, TCP-metrics and endpoint sockets, its
 * capture and pcap file and three counter files, room for a held queue;
 * per run a few more (the lab root's socket while it builds, its text).
 * Measured peaks: 23 for two nodes, 46 for a star of four.
 */
#define BATCH_FDS_PER_NODE 14
#define BATCH_FDS_PER_RUN 8

/* Memory one run may need: two namespaces with their links, tables and
 * sockets, the endpoint threads, capture buffers (generous) */
#define BATCH_MEM_PER_RUN (64ULL << 20)

struct pool {
	struct job *jobs;
	int *order;          /* job indexes, longest first */
	int njobs, next;
	pthread_mutex_t lock;
	const struct runner_opts *base;
	uint64_t t0;         /* when the workers were started */
	int wave;            /* jobs of the first wave: one per thread */
};

/* run @j, its text into its own buffer; runner_run() records a run that
 * could not run as a skip or an error, with why */
static void job_run(struct job *j, const struct runner_opts *base, int left)
{
	struct runner_opts ro = *base;
	struct err e = { 0 };
	struct result *r;
	FILE *out;

	ro.family = j->family;
	ro.firewall = j->firewall;
	ro.labs_after = left;
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
		/* a run that cannot run here is a SKIP line with its reason,
		 * and leaves the exit status as the other runs make it */
		if (r->verdict != RES_SKIP)
			j->status = err_exit_status(&e);
	}
	fclose(out);
}

static void *pool_worker(void *p)
{
	struct pool *pl = p;

	for (;;) {
		struct job *j;
		int left, rank;
		uint64_t now;

		pthread_mutex_lock(&pl->lock);
		rank = pl->next;
		j = pl->next < pl->njobs ? &pl->jobs[pl->order[pl->next++]]
					 : NULL;
		left = pl->njobs - pl->next;
		pthread_mutex_unlock(&pl->lock);
		if (!j)
			return NULL;
		/* the first wave starts in order, BATCH_PACE_NS apart */
		now = util_now_ns();
		if (rank < pl->wave &&
		    pl->t0 + (uint64_t)rank * BATCH_PACE_NS > now)
			util_sleep_ns(pl->t0 + (uint64_t)rank * BATCH_PACE_NS -
				      now);
		job_run(j, pl->base, left);
	}
}

uint64_t batch_estimate_ns(const struct scenario *sc, int long_steps)
{
	uint64_t t = 0, mark = 0;
	size_t k;

	for (k = 0; k < sc->nsteps; k++) {
		const struct step *st = &sc->steps[k];
		uint64_t at = 0;

		if (st->long_only && !long_steps)
			continue;
		switch (st->kind) {
		case STEP_WAIT:
			t += st->within_ns;
			continue;
		case STEP_EXPECT_ERROR:
			at = st->at_ns;
			break;
		case STEP_EXPECT_RETRANS:
		case STEP_EXPECT_PACKETS:
			at = st->ntimes ? st->times_ns[st->ntimes - 1] : 0;
			break;
		case STEP_EXPECT_STATE:
		case STEP_EXPECT_EOF:
		case STEP_EXPECT_COUNTER:
		case STEP_EXPECT_DROPS:
		case STEP_EXPECT_SOCKET:
			break;
		default:
			/* an action: the times of what follows count from here */
			mark = t;
			break;
		}
		if (at) {
			if (mark + at > t)
				t = mark + at;
		} else if (st->within_ns > SCENARIO_DEFAULT_WITHIN_NS) {
			/* a bound above the default: a timer is waited for */
			t += st->within_ns;
		}
	}
	return t;
}

int batch_auto_jobs(int njobs, int nlong, int nodes)
{
	rlim_t per_run = BATCH_FDS_PER_RUN +
			 (rlim_t)BATCH_FDS_PER_NODE * (rlim_t)(nodes > 2 ? nodes : 2);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long pages = sysconf(_SC_AVPHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	struct rlimit rl;
	int n = nlong + 2 * (int)(cpus > 0 ? cpus : 1);

	/* the soft open-file limit may go up to the hard one unasked */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			(void)setrlimit(RLIMIT_NOFILE, &rl);
			(void)getrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur != RLIM_INFINITY &&
		    (rlim_t)n > (rl.rlim_cur - 64) / per_run)
			n = (int)((rl.rlim_cur - 64) / per_run);
	}
	if (pages > 0 && psize > 0 &&
	    (uint64_t)n > (uint64_t)pages * (uint64_t)psize / BATCH_MEM_PER_RUN)
		n = (int)((uint64_t)pages * (uint64_t)psize / BATCH_MEM_PER_RUN);
	if (n > njobs)
		n = njobs;
	if (n > BATCH_MAX_JOBS)
		n = BATCH_MAX_JOBS;
	return n < 1 ? 1 : n;
}

/* qsort_r() order of two job indexes: longest first, then layout order */
static int cmp_longest_first(const void *a, const void *b, void *data)
{
	const struct job *jobs = data;
	const struct job *x = &jobs[*(const int *)a], *y = &jobs[*(const int *)b];

	if (x->est_ns != y->est_ns)
		return x->est_ns > y->est_ns ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

/* the order the workers take @pl's jobs in: longest first; returns how
 * many wait on timers for BATCH_LONG_NS or more */
static int jobs_order(struct pool *pl, int long_steps)
{
	int i, nlong = 0;

	for (i = 0; i < pl->njobs; i++) {
		pl->jobs[i].est_ns = batch_estimate_ns(pl->jobs[i].sc, long_steps);
		nlong += pl->jobs[i].est_ns >= BATCH_LONG_NS;
		pl->order[i] = i;
	}
	qsort_r(pl->order, (size_t)pl->njobs, sizeof(*pl->order),
		cmp_longest_first, pl->jobs);
	return nlong;
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

/* the most nodes a lab of @pl's jobs has */
static int jobs_max_nodes(const struct pool *pl)
{
	int i, n = 0;

	for (i = 0; i < pl->njobs; i++)
		if (pl->jobs[i].sc->nnodes > n)
			n = pl->jobs[i].sc->nnodes;
	return n;
}

int batch_run(const struct batch *b, struct results *all, FILE *text,
	      int *worst, struct err *e)
{
	struct pool pl = { .base = &b->base };
	pthread_t th[BATCH_MAX_JOBS];
	int i, nth = b->jobs, ret, nlong;
	size_t max = (size_t)(b->nsc * b->nfam * b->nfw) + 1;

	*worst = 0;
	pl.jobs = calloc(max, sizeof(*pl.jobs));
	pl.order = calloc(max, sizeof(*pl.order));
	if (!pl.jobs || !pl.order) {
		free(pl.jobs);
		free(pl.order);
		return err_set(e, -ENOMEM, "out of memory for %d runs",
			       b->nsc * b->nfam * b->nfw);
	}
	pl.njobs = jobs_lay_out(b, pl.jobs);
	nlong = jobs_order(&pl, b->base.long_steps);
	if (nth == 0)
		nth = batch_auto_jobs(pl.njobs, nlong, jobs_max_nodes(&pl));
	ret = keeper_start(e);
	if (ret) {
		free(pl.jobs);
		free(pl.order);
		return ret;
	}
	pthread_mutex_init(&pl.lock, NULL);
	if (nth < 1)
		nth = 1;
	if (nth > (int)ARRAY_SIZE(th))
		nth = (int)ARRAY_SIZE(th);
	pl.wave = nth;
	pl.t0 = util_now_ns();
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
	free(pl.order);
	return 0;
}
