// SPDX-License-Identifier: GPL-2.0-or-later
/* results.c - the results model's lists (see results.h) */
#include "results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "util.h"

struct result *results_add(struct results *r)
{
	if (util_grow((void **)&r->runs, &r->cap, r->nruns, sizeof(*r->runs),
		      16))
		return NULL;
	memset(&r->runs[r->nruns], 0, sizeof(r->runs[0]));
	return &r->runs[r->nruns++];
}

static int grow(void **v, size_t *n, size_t size, const void *item)
{
	char *nv = realloc(*v, (*n + 1) * size);

	if (!nv)
		return -ENOMEM;
	memcpy(nv + *n * size, item, size);
	*v = nv;
	(*n)++;
	return 0;
}

int result_add_expect(struct result *run, const struct res_expect *x)
{
	return grow((void **)&run->expects, &run->nexpects, sizeof(*x), x);
}

int result_add_sysctl(struct result *run, const struct res_kv *kv)
{
	return grow((void **)&run->sysctls, &run->nsysctls, sizeof(*kv), kv);
}

int result_add_rule(struct result *run, const struct res_rule *rule)
{
	return grow((void **)&run->rules, &run->nrules, sizeof(*rule), rule);
}

int result_add_counter(struct result *run, const struct res_counter *c)
{
	return grow((void **)&run->counters, &run->ncounters, sizeof(*c), c);
}

int result_add_record(struct result *run, const struct res_record *rec)
{
	return grow((void **)&run->records, &run->nrecords, sizeof(*rec), rec);
}

void results_fill_host(struct results *r, const char *version)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;

	if (uname(&u) == 0) {
		snprintf(r->kernel, sizeof(r->kernel), "%s", u.release);
		snprintf(r->machine, sizeof(r->machine), "%s", u.machine);
	}
	gmtime_r(&now, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(r->tcplab, sizeof(r->tcplab), "%s", version);
}

/* results_find() - the run of @r with this identity, or NULL */
const struct result *results_find(const struct results *r, const char *name,
				  int family, const char *firewall)
{
	size_t i;

	for (i = 0; i < r->nruns; i++)
		if (!strcmp(r->runs[i].name, name) &&
		    r->runs[i].family == family &&
		    !strcmp(r->runs[i].firewall, firewall))
			return &r->runs[i];
	return NULL;
}

/* result_node_index() - the index of node @name in @run, -1 if none */
int result_node_index(const struct result *run, const char *name)
{
	int i, n = (int)(sizeof(run->nodes) / sizeof(run->nodes[0]));

	for (i = 0; i < run->nnodes && i < n; i++)
		if (!strcmp(run->nodes[i], name))
			return i;
	return -1;
}

int result_held(const struct result *run)
{
	return run->verdict == RES_PASS || run->verdict == RES_XPASS;
}

void result_free(struct result *run)
{
	size_t k;
	int j;

	for (k = 0; k < run->nexpects; k++)
		for (j = 0; j < run->expects[k].nsocks; j++)
			diag_set_free(&run->expects[k].socks[j]);
	free(run->expects);
	free(run->sysctls);
	free(run->rules);
	free(run->counters);
	free(run->records);
	timeline_free(&run->tl);
	memset(run, 0, sizeof(*run));
}

void results_free(struct results *r)
{
	size_t i;

	for (i = 0; i < r->nruns; i++)
		result_free(&r->runs[i]);
	free(r->runs);
	memset(r, 0, sizeof(*r));
}

const char *res_verdict_name(enum res_verdict v)
{
	static const char *const n[] = { "pass", "fail", "xfail",
					 "xpass", "skip", "error" };

	return (unsigned)v < ARRAY_SIZE(n) ? n[v] : "?";
}

void result_ladder(const struct result *run, int *l, int *r)
{
	*l = 0;
	*r = 1;
	if (run->ladder_r > run->ladder_l && run->ladder_r < run->nnodes) {
		*l = run->ladder_l;
		*r = run->ladder_r;
	}
}

int result_ladders(const struct result *run, int pairs[][2])
{
	int l, r, n = 0;

	result_ladder(run, &l, &r);
	if (l == 0) {
		pairs[0][0] = l;
		pairs[0][1] = r;
		return 1;
	}
	/* a star: its hub is node 0, every other node a host */
	for (; l < r && n < RESULT_MAX_LADDERS; l++, n++) {
		pairs[n][0] = l;
		pairs[n][1] = r;
	}
	return n;
}
