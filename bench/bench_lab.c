// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_lab.c - how fast is a lab?  Medians over repeated runs of:
 *  - lab set-up (lab_new) by phase, and teardown (lab_free);
 *  - the time from a call in an endpoint (connect(), close()) to the
 *    moment sock_diag shows the state it causes (SYN_SENT, FIN_WAIT1).
 * A state is seen as tcplab's runner sees the state an action causes: in
 * the sample the endpoint takes right after the call (struct ep_sample),
 * else by sampling on until it shows.
 * Run as root: bench_lab [ITERATIONS [DIR]]
 * With DIR, the samples (ns, one a line) go to DIR/lab-cycle (set-up plus
 * teardown of one lab), DIR/lab-syn and DIR/lab-fin, for bench/run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "endpoint.h"
#include "lab.h"
#include "plan.h"
#include "scenario.h"
#include "util.h"

static const char scen[] =
	"scenario bench\n"
	"title \"bench\"\n"
	"server listen 80\n"
	"firewall server input tcp dport 80 flags SYN drop\n";

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_us(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return (double)v[n / 2] / 1e3;
}

/* @v must be sorted (median_us() sorts it) */
static double pct_us(uint64_t *v, int n, double p)
{
	int i = (int)(p * (n - 1));

	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return (double)v[i] / 1e3;
}

/* spin on sock_diag until @state shows on @fd; returns when it showed */
static uint64_t observe(int fd, int state, struct diag_set *set)
{
	uint64_t deadline = util_now_ns() + NS_PER_S;

	while (util_now_ns() < deadline) {
		size_t k;

		if (diag_snapshot(fd, set) < 0)
			return 0;
		for (k = 0; k < set->n; k++)
			if (set->v[k].state == state)
				return util_now_ns();
	}
	return 0;
}

/*
 * When @state was seen after the call that @smp came with: in the sample
 * itself, else by sampling @fd until it shows (0: it did not)
 */
static uint64_t seen_after(const struct ep_sample *smp, int fd, int state,
			   struct diag_set *set)
{
	uint32_t k;

	for (k = 0; !smp->h.err && k < smp->h.n; k++)
		if (smp->v[k].state == state)
			return smp->h.t_ns;
	return observe(fd, state, set);
}

/* write @n samples of @v to DIR/@name, one a line */
static void samples_write(const char *dir, const char *name,
			  const uint64_t *v, int n)
{
	char path[4096];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)v[i]);
	fclose(f);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 200, i, ok = 0;
	uint64_t *setup, *teardown, *netns, *links, *ready, *syn, *fin, *snap;
	struct scenario *sc;
	struct err e = { 0 };
	struct plan plan;
	struct diag_set set = { 0 };
	static struct ep_sample smp;

	if (iters < 3)
		iters = 3;
	setup = calloc((size_t)iters, sizeof(uint64_t));
	teardown = calloc((size_t)iters, sizeof(uint64_t));
	netns = calloc((size_t)iters, sizeof(uint64_t));
	links = calloc((size_t)iters, sizeof(uint64_t));
	ready = calloc((size_t)iters, sizeof(uint64_t));
	syn = calloc((size_t)iters, sizeof(uint64_t));
	fin = calloc((size_t)iters, sizeof(uint64_t));
	snap = calloc((size_t)iters, sizeof(uint64_t));
	if (scenario_parse("bench", scen, sizeof(scen) - 1, &sc, &e) ||
	    plan_build(sc, 4, "nftables", &plan, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	for (i = 0; i < iters; i++) {
		struct ep_msg req = { 0 }, rep;
		struct lab *lab;
		uint64_t t = util_now_ns(), t1;
		int cfd, sfd;

		/* the labs still to come: the pool prepares them ahead, as
		 * in a process that runs several scenarios */
		lab_pool_expect(iters - i - 1);
		if (lab_new(&lab, &plan, &e)) {
			fprintf(stderr, "lab: %s\n", e.msg);
			return err_exit_status(&e);
		}
		setup[i] = util_now_ns() - t;
		netns[i] = lab_timing(lab)->netns_ns;
		links[i] = lab_timing(lab)->links_ns;
		ready[i] = lab_timing(lab)->ready_ns;

		cfd = lab_endpoint(lab, 0, &e);
		sfd = lab_endpoint(lab, 1, &e);
		req.op = EP_LISTEN;
		req.family = AF_INET;
		req.port = 81;
		req.arg = 16;
		if (endpoint_call(sfd, &req, &rep, NULL) || rep.err)
			goto next;
		/* connect: SYN_SENT (SYNs to port 80 are dropped) */
		{
			struct rule r = { .id = 1, .node = 1, .hook = RULE_INPUT,
					  .dport = 80, .action = RULE_DROP };

			if (lab_fw_add(lab, &r, &e))
				goto next;
		}
		req.op = EP_CONNECT;
		req.arg = 1;
		req.port = 80;
		req.sample = AF_INET;
		inet_pton(AF_INET, "198.18.0.2", req.addr);
		if (endpoint_call_sampled(cfd, &req, &rep, NULL, &smp))
			goto next;
		t1 = seen_after(&smp, lab_diag_fd(lab, 0), DIAG_SYN_SENT, &set);
		syn[ok] = t1 > rep.t_ns ? t1 - rep.t_ns : 0;
		t = util_now_ns();
		if (diag_snapshot(lab_diag_fd(lab, 0), &set) < 0)
			goto next;
		snap[ok] = util_now_ns() - t;
		req.op = EP_ABORT;
		if (endpoint_call(cfd, &req, &rep, NULL))
			goto next;
		/* an established connection, closed into FIN_WAIT1 by a
		 * server that stops answering */
		req.op = EP_CONNECT;
		req.port = 81;
		if (endpoint_call(cfd, &req, &rep, NULL) ||
		    !observe(lab_diag_fd(lab, 0), DIAG_ESTABLISHED, &set))
			goto next;
		{
			struct rule r = { .id = 2, .node = 1, .hook = RULE_INPUT,
					  .dport = 81, .action = RULE_DROP };

			if (lab_fw_add(lab, &r, &e))
				goto next;
		}
		req.op = EP_CLOSE;
		if (endpoint_call_sampled(cfd, &req, &rep, NULL, &smp))
			goto next;
		t1 = seen_after(&smp, lab_diag_fd(lab, 0), DIAG_FIN_WAIT1, &set);
		fin[ok] = t1 > rep.t_ns ? t1 - rep.t_ns : 0;
		ok++;
next:
		t = util_now_ns();
		lab_free(lab);
		teardown[i] = util_now_ns() - t;
	}
	if (argc > 2) {
		uint64_t *cycle = calloc((size_t)iters, sizeof(uint64_t));

		for (i = 0; cycle && i < iters; i++)
			cycle[i] = setup[i] + teardown[i];
		if (cycle)
			samples_write(argv[2], "lab-cycle", cycle, iters);
		samples_write(argv[2], "lab-syn", syn, ok);
		samples_write(argv[2], "lab-fin", fin, ok);
		free(cycle);
	}
	{ double m = median_us(setup, iters); printf("lab set-up        median %8.1f us  p90 %8.1f us  (%d runs)\n", m,
	       pct_us(setup, iters, 0.9), iters); }
	printf("  namespaces      median %8.1f us\n", median_us(netns, iters));
	printf("  links, fw, init median %8.1f us\n", median_us(links, iters));
	printf("  link readiness  median %8.1f us\n", median_us(ready, iters));
	printf("lab teardown      median %8.1f us  p90 %8.1f us\n",
	       median_us(teardown, iters), pct_us(teardown, iters, 0.9));
	if (ok) {
		printf("connect -> SYN_SENT observed   median %6.1f us  p90 %6.1f us (%d)\n",
		       median_us(syn, ok), pct_us(syn, ok, 0.9), ok);
		printf("close -> FIN_WAIT1 observed    median %6.1f us  p90 %6.1f us\n",
		       median_us(fin, ok), pct_us(fin, ok, 0.9));
		printf("sock_diag snapshot (2 sockets) median %6.1f us\n",
		       median_us(snap, ok));
	}
	diag_set_free(&set);
	scenario_free(sc);
	return ok == iters ? 0 : 1;
}
