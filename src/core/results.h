/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * results.h - one results model per run (pure data)
 *
 * Theory of operation: the runner fills one struct result per scenario,
 * family and backend: always its verdict, reason, counts and timings, and,
 * when a writer will need it, the whole record; everything the writers
 * need is in it - what the
 * scenario teaches, the rules in both syntaxes, the sysctls, the timeline
 * (steps, socket states, packets, drops), the socket tables at each
 * confirmed moment, the counters that moved, and each expectation with its
 * verdict - so that the terminal, JSON, KTAP, JUnit, HTML and Markdown
 * writers never go back to the kernel.  A struct results holds the runs of
 * one invocation and what identifies the machine (kernel release, date).
 */
#ifndef TCPLAB_RESULTS_H
#define TCPLAB_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"
#include "err.h"
#include "timeline.h"

#define RESULTS_SCHEMA_VERSION 1

enum res_verdict {
	RES_PASS,
	RES_FAIL,
	RES_XFAIL,   /* failed, and marked as an expected failure */
	RES_XPASS,   /* marked as an expected failure, but held */
	RES_SKIP,    /* could not run here (environment), with the reason */
	RES_ERROR,   /* could not run: usage or internal error */
};

struct res_expect {
	struct loc loc;        /* where the scenario states it */
	char text[192];        /* as the scenario says it: "client state SYN_SENT port 80 within 50ms" */
	int held;
	char observed[256];    /* what was seen: "SYN_SENT 41us after client connect" */
	uint64_t t_ns;         /* when it was decided, monotonic */
	/* the sockets of every node at that moment (node i in socks[i]) */
	struct diag_set socks[4];
	int nsocks;
	int mark_node;         /* the node and socket that confirmed it, */
	struct diag_sock mark; /* mark_node -1 when none */
};

struct res_kv {
	char node[16];
	char key[96];
	char value[64];
	int skipped;      /* an if-present key this kernel lacks: not set */
};

struct res_rule {
	char node[16];
	struct loc loc;
	char desc[160];   /* neutral: "input tcp dport 80 flags SYN drop" */
	char nft[256];    /* "nft add rule inet tcplab input ..." */
	char ipt[256];    /* "iptables -A INPUT ..." (ip6tables for IPv6-only) */
	char mechanism[16]; /* how packets are kept or impaired: "nfqueue"
			       (hold, impair: userspace verdicts), "" */
	int impaired;     /* an impair rule: what it did, below */
	uint64_t packets, lost, duplicated, reordered;
	uint32_t seed;
};

struct res_counter {
	char node[16];
	char name[48];
	int64_t delta;
};

/* What the scenario's `record` lines said matters (drift in a baseline) */
struct res_record {
	char node[16];
	char kind[8];       /* "counter" or "state" */
	char name[48];      /* the counter, or the state as diag_state_name() */
	struct loc loc;
	int64_t delta;      /* a counter's move since the lab was ready */
	int have;           /* a counter: the kernel has it (delta is read) */
};

/* One run: a scenario on one address family and firewall backend */
struct result {
	char name[48];
	char title[256];
	char teaches[2048];
	char file[512];
	int family;                 /* 4 or 6 */
	char firewall[16];          /* "nftables" / "iptables" */
	enum res_verdict verdict;
	char reason[768];           /* why it failed / was skipped */
	char nodes[4][16];
	char addrs[4][64];
	int nnodes;
	int nexpect, nheld;         /* expectations met on the way, held */
	uint64_t setup_ns, run_ns, teardown_ns;
	uint64_t max_observe_ns;    /* slowest action-to-state confirmation */
	struct res_kv *sysctls;
	size_t nsysctls;
	struct res_rule *rules;
	size_t nrules;
	struct res_expect *expects;
	size_t nexpects;
	struct res_counter *counters; /* the ones that moved */
	size_t ncounters;
	struct res_record *records; /* the scenario's record lines */
	size_t nrecords;
	struct timeline tl;         /* t0 = lab ready */
	char pcap[4][512];          /* per node, "" if none */
	uint64_t packets_seen, packets_capped;
	double slow;                /* the --slow factor its windows had (>= 1) */
	int ladder_l, ladder_r;     /* the nodes its ladder is drawn between;
				       0 and 0: nodes 0 and 1 */
};

struct results {
	char kernel[128];   /* uname -r */
	char machine[72];   /* uname -m */
	char date[32];      /* ISO 8601, UTC */
	char tcplab[32];    /* version */
	struct result *runs;
	size_t nruns, cap;
};

/* results_add() - a new zeroed run at the end; NULL on -ENOMEM */
struct result *results_add(struct results *r);

/* result_add_*() - append to a run's lists; 0 or -ENOMEM */
int result_add_expect(struct result *run, const struct res_expect *x) WUR;
int result_add_sysctl(struct result *run, const struct res_kv *kv) WUR;
int result_add_rule(struct result *run, const struct res_rule *rule) WUR;
int result_add_counter(struct result *run, const struct res_counter *c) WUR;
int result_add_record(struct result *run, const struct res_record *rec) WUR;

/* results_fill_host() - kernel release, machine, date, version */
void results_fill_host(struct results *r, const char *version);

/*
 * result_ladder() - the two nodes a run's ladder is drawn between: nodes 0
 * and 1 unless the run said otherwise (a star: its first host and its
 * last)
 */
void result_ladder(const struct result *run, int *l, int *r);

/* A run draws at most this many ladders */
#define RESULT_MAX_LADDERS 3

/*
 * result_ladders() - every pair of nodes a run's ladders are drawn
 * between, into @pairs, as the run's terminal output draws them: in a star
 * each host (its first to the one before its last) with its last node,
 * else result_ladder()'s one pair.  Returns how many (1 at least).
 */
int result_ladders(const struct result *run, int pairs[][2]);

/* results_find() - the run of @r with this identity, or NULL */
const struct result *results_find(const struct results *r, const char *name,
				  int family, const char *firewall);

/* result_node_index() - the index of node @name in @run, -1 if none */
int result_node_index(const struct result *run, const char *name);

/* result_held() - every expectation held (xfail or not) */
int result_held(const struct result *run);

/* result_free() - free one run's lists and timeline; zeroes it */
void result_free(struct result *run);

/* results_free() - free every run and list */
void results_free(struct results *r);

/* res_verdict_name() - "pass", "fail", "xfail", "xpass", "skip", "error" */
const char *res_verdict_name(enum res_verdict v);

#endif
