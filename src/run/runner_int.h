/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runner_int.h - what runner.c and expect.c share (private to the runner)
 *
 * struct runner is one scenario's run in progress: the plan, the lab, the
 * timeline and the observers, each node's endpoint state, and the struct
 * result it fills.  runner.c drives the steps
 * and keeps the timeline up to date (runner_pump); expect.c decides the
 * expectations, polling with deadlines.
 */
#ifndef TCPLAB_RUNNER_INT_H
#define TCPLAB_RUNNER_INT_H

#include <stdint.h>

#include "counters.h"
#include "diag.h"
#include "endpoint.h"
#include "err.h"
#include "plan.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"
#include "timeline.h"

struct capture;
struct nflog;
struct lab;

struct node_rt {
	int last_err;          /* last error a call or event reported */
	const char *last_err_op;
	uint64_t last_err_t;   /* when it was reported */
	uint64_t last_t;       /* when this node's last action returned */
	struct ep_events ev;   /* events not yet looked at */
	struct counters base;  /* SNMP counters when the lab was ready */
	int base_err;          /* -errno: they could not be read then */
	uint64_t srtt_ns;      /* the largest smoothed round trip a socket
				  of this node's retransmissions showed */
};

/* a named connection as the run knows it (scenario.conns) */
struct conn_rt {
	uint16_t lport, rport; /* its ports once connect or accept said */
	int last_err;          /* last error its calls or events reported */
	const char *last_err_op;
	uint64_t last_err_t;
};

#define TRACK_MAX 256

/* what a node's sockets were at the last sample, to see them change */
struct track {
	uint64_t cookie[TRACK_MAX];
	uint8_t state[TRACK_MAX];
	struct diag_addr src[TRACK_MAX], dst[TRACK_MAX]; /* its ends */
	int n;
};

struct runner {
	struct timeline tl;       /* packets, drops, states, steps */
	struct capture *cap[SCENARIO_MAX_NODES];
	struct nflog *nfl[SCENARIO_MAX_NODES];
	/* the duplicates impairments sent, to tell them from retransmissions
	 * in the captures (the first 64; later ones are drawn as a
	 * retransmission would be) */
	struct runner_copy {
		uint64_t t_ns;
		int node;          /* the sender: the copy left from there */
		struct tl_pkt pkt;
	} copies[64];
	int ncopies;
	struct track *track[SCENARIO_MAX_NODES]; /* each node's, and a */
	struct track *track_spare;                /* spare: runner_bufs_new() */
	struct track *track_mem;                  /* the block they are in */
	struct diag_set tsets[SCENARIO_MAX_NODES];
	uint64_t tsets_t[SCENARIO_MAX_NODES]; /* when each was sampled */
	/* what decides whether a node is sampled again (track_stale()) */
	uint64_t track_t[SCENARIO_MAX_NODES]; /* when its last sample was
						  asked for; 0: never */
	uint64_t frame_t[SCENARIO_MAX_NODES]; /* when frames that arrived
						  were last read on its capture */
	unsigned long frames[SCENARIO_MAX_NODES]; /* such frames so far */
	uint64_t touch_t;         /* the last step, call or endpoint event */
	int track_always;         /* sample every node at every look */
	uint64_t last_pump;
	uint64_t last_wake;       /* the last step or change: runner_wait() */
	int settle_looks;         /* looks still due since then */
	uint64_t step_t;          /* when the current step started */
	uint64_t due_since;       /* a socket timer due but not yet run
				     since then (runner_wait()); 0: none */
	int ep_hup[SCENARIO_MAX_NODES]; /* endpoint fd seen hung up, or -1 */
	char pcap[SCENARIO_MAX_NODES][512];
	char last_said[256];      /* the last step line printed */
	int mark_node;            /* the socket that confirmed the last */
	struct diag_sock mark;    /* state expectation, mark_node -1: none */
	const struct scenario *sc;
	const struct runner_opts *o;
	struct result *res;       /* what the run shows (the whole record
				   * when o->record) */
	int passed;               /* no expectation failed so far */
	struct plan plan;
	struct lab *lab;
	uint64_t t0;
	uint64_t last_action_start; /* when the last action's call went out */
	uint64_t last_action_t;   /* when the last action's call returned */
	uint64_t idle_t;          /* after a keepalive action: when its
				     connection last received a segment (what
				     keepalive's idle counts from), else 0 */
	char last_action[64];
	struct node_rt n[SCENARIO_MAX_NODES];
	struct conn_rt c[SCENARIO_MAX_CONNS];
	char who[48];             /* runner_who()'s answer */
	struct diag_set sets[SCENARIO_MAX_NODES];
	struct ep_sample *smp;    /* two: what an action's endpoints saw
				     after it (runner_bufs_new()) */
};

/* runner_say() - one step line: time since t0, node, text */
void runner_say(struct runner *r, int node, const char *fmt, ...) PRINTF(3, 4);

/* runner_fail() - record why @st failed (with its file:line); returns 1 */
int runner_fail(struct runner *r, const struct step *st, const char *fmt, ...)
	PRINTF(3, 4);

/* runner_scaled() - @ns widened by --slow */
uint64_t runner_scaled(const struct runner *r, uint64_t ns);

/* runner_tolerance() - timing_tolerance(@ns, --slow) */
uint64_t runner_tolerance(const struct runner *r, uint64_t ns);

/* runner_who() - what @st is about: "client", or "client c1" for a named
 * connection (valid until the next call) */
const char *runner_who(struct runner *r, const struct step *st);

/* runner_conn_match() - @s (a socket of @st's node) is @st's connection,
 * or any socket on @st's port when it names none */
int runner_conn_match(const struct runner *r, const struct step *st,
		      const struct diag_sock *s);

/*
 * runner_dump() - node @node's sockets of the run's family in @states (0:
 * all) into @set: its listeners looked up on the ports the scenario
 * listens on, the rest dumped, so that what the dump costs does not grow
 * with the listeners of other namespaces (diag_query()).  0 or -errno.
 */
int runner_dump(struct runner *r, int node, uint32_t states,
		struct diag_set *set);

/*
 * runner_touch() - the runner did something, or heard of something, that
 * can have changed any node's sockets: the next look samples every node
 */
void runner_touch(struct runner *r);

/* runner_pump() - bring the timeline up to date (packets, drops, states) */
void runner_pump(struct runner *r);

/* runner_pump_lazy() - runner_pump() at most once a millisecond */
void runner_pump_lazy(struct runner *r);

/*
 * runner_wait() - wait for something that can have changed what the
 * kernel shows, then bring the timeline up to date.  For RUNNER_SETTLE_NS
 * after a step or a change it only naps (effects lag their cause by
 * microseconds); then it sleeps until a frame is captured, a drop logged,
 * an endpoint event arrives, a socket's timer expires, or @until.
 */
void runner_wait(struct runner *r, uint64_t until);

/*
 * runner_print_tables() - the sockets of every node, each sampled now but
 * node @seen_node (-1: none), whose last sample is shown if nothing was
 * done since it was asked for (the look that confirmed a state); @mark,
 * a socket of it, marked (NULL: none)
 */
void runner_print_tables(struct runner *r, int seen_node,
			 const struct diag_sock *mark);

/*
 * runner_sample() - sample node @node's sockets into r->tsets[@node] (its
 * listeners looked up, no tcp_info), each change of state noted in the
 * timeline; 0 or -errno (the set then empty)
 */
int runner_sample(struct runner *r, int node);

/* runner_take_events() - collect node @node's endpoint events (errors) */
void runner_take_events(struct runner *r, int node, uint64_t wait_ns);

/* runner_endpoint_sync() - every event node @node's endpoint was woken for
 * until now, collected: it is asked for nothing (ping) and answers after
 * them */
void runner_endpoint_sync(struct runner *r, int node);

/* expect.c: each returns 0 (held), 1 (failed, reason recorded) or -errno */
int expect_state(struct runner *r, const struct step *st, struct err *e);
int expect_retrans(struct runner *r, const struct step *st, struct err *e);
int expect_counter(struct runner *r, const struct step *st, struct err *e);
int expect_error(struct runner *r, const struct step *st);
int expect_count(struct runner *r, const struct step *st);
int expect_socket(struct runner *r, const struct step *st, struct err *e);

/* expect_cmp_holds() - @a OP @b; expect_cmp_name() - "==", ">=" ... */
int expect_cmp_holds(enum step_cmp c, int64_t a, int64_t b);
const char *expect_cmp_name(enum step_cmp c);

#endif
