/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpfsm.h - the TCP state diagram of RFC 9293 and the transitions a run's
 * sockets took through it (pure)
 *
 * Theory of operation: tcpfsm_edges[] is the figure of RFC 9293 section
 * 3.3.2 (figure 5) - eleven states, twenty transitions, each with the event and
 * the action written on its edge.  tcpfsm_trace() replays a run's timeline
 * (tcpfsm.c says how) and says which of those edges each socket took, when,
 * and what caused it: the packet it received or sent, the call it made, or
 * - when the timeline holds no such cause - only the sock_diag sample that
 * saw the socket in its new state ("seen at").  A change that is no edge of
 * the figure (a reset, or a sample that skipped states) is kept too, with
 * edge -1.  The report lights the edges some run took and dims the others.
 */
#ifndef TCPLAB_TCPFSM_H
#define TCPLAB_TCPFSM_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "timeline.h"

#define TCPFSM_NSTATES 11
#define TCPFSM_NEDGES 20

/* What made a socket change state */
enum tcpfsm_cause {
	TCPFSM_RCVD,   /* a segment it received (tl event: the TL_PACKET) */
	TCPFSM_SENT,   /* a segment it sent */
	TCPFSM_CALL,   /* a call of the scenario (tl event: the TL_STEP) */
	TCPFSM_SAMPLE, /* only a sock_diag sample shows it (TL_STATE) */
};

/**
 * struct tcpfsm_edge - one transition of the figure
 * @from:	enum diag_state (DIAG_CLOSE for CLOSED)
 * @to:		enum diag_state
 * @event:	what happens: "rcv SYN"
 * @action:	what the socket does: "snd SYN,ACK"; "x" for nothing
 */
struct tcpfsm_edge {
	int from, to;
	const char *event, *action;
};

extern const struct tcpfsm_edge tcpfsm_edges[TCPFSM_NEDGES];

/* The eleven states in the order of a connection's life */
extern const int tcpfsm_states[TCPFSM_NSTATES];

/**
 * struct tcpfsm_step - one change of state of one socket
 * @node:	where the socket is
 * @sock:	which socket of @node (from 0, in the order they appeared)
 * @from:	enum diag_state before (DIAG_CLOSE for CLOSED)
 * @to:		after
 * @edge:	its index in tcpfsm_edges[], or -1: no edge of the figure
 * @cause:	what caused it
 * @t_ns:	when (the cause's time)
 * @ev:		the timeline event of the cause (index into the timeline)
 * @local:	the socket's address and port (family 0: not known)
 * @remote:	its peer's (port 0: a listener, or not known)
 */
struct tcpfsm_step {
	int node, sock;
	int from, to;
	int edge;
	enum tcpfsm_cause cause;
	uint64_t t_ns;
	size_t ev;
	struct diag_addr local, remote;
};

struct tcpfsm_trace {
	struct tcpfsm_step *v;
	size_t n, cap;
};

/*
 * tcpfsm_trace() - the state changes of every socket of @nnodes nodes in
 * @tl (any order; not changed), in time order, appended to @out (zeroed
 * the first time); 0 or -ENOMEM
 */
int tcpfsm_trace(const struct timeline *tl, int nnodes,
		 struct tcpfsm_trace *out) WUR;

/* tcpfsm_trace_free() - free @t's steps */
void tcpfsm_trace_free(struct tcpfsm_trace *t);

/* tcpfsm_edge_find() - the edge from @from to @to, or -1 */
int tcpfsm_edge_find(int from, int to);

/*
 * tcpfsm_lit() - bit (1 << edge) for each edge of the figure that a
 * socket of a node in @node_mask (bit 1 << node) took in @t
 */
uint32_t tcpfsm_lit(const struct tcpfsm_trace *t, uint32_t node_mask);

#endif
