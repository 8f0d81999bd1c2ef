/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timeline.h - everything a run saw, on one clock (pure)
 *
 * Theory of operation: the runner, the packet captures and the drop
 * listener each append events stamped with util_now_ns() (CLOCK_MONOTONIC)
 * or converted to it; timeline_sort() orders them, and the writers (the
 * terminal ladder, later the reports) read them.  Packets are recorded once,
 * where they left their sender; a packet dropped by a firewall rule is a
 * TL_DROP event on the node and hook that dropped it.
 */
#ifndef TCPLAB_TIMELINE_H
#define TCPLAB_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"
#include "err.h"

enum tl_kind {
	TL_STEP,   /* an action or expectation of the scenario */
	TL_STATE,  /* a socket was seen in a new state */
	TL_PACKET, /* a TCP segment left @node for @peer */
	TL_DROP,   /* a firewall rule on @node dropped a segment */
};

struct tl_pkt {
	int family;              /* AF_INET / AF_INET6 */
	struct diag_addr src, dst;
	uint8_t flags;           /* TCP flags, as on the wire (rule.h RULE_TCP_*) */
	uint32_t seq, ack;       /* absolute */
	uint32_t rseq, rack;     /* relative to each side's ISN, as tcpdump shows */
	uint16_t win;
	uint32_t len;            /* TCP payload bytes */
	char opts[64];           /* "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7" */
};

struct tl_event {
	uint64_t t_ns;
	enum tl_kind kind;
	int node;          /* where it happened (sender, for TL_PACKET) */
	int peer;          /* TL_PACKET: the receiving node; -1 if unknown */
	struct tl_pkt pkt; /* TL_PACKET, TL_DROP */
	int state;         /* TL_STATE: enum diag_state */
	unsigned rule_id;  /* TL_DROP: the scenario rule that dropped it */
	int hook;          /* TL_DROP: enum rule_hook */
	struct loc loc;    /* TL_DROP: the rule's place; TL_STEP: the step's */
	char text[96];     /* TL_STEP: what was done ("connect", "close") */
	int copy;          /* TL_PACKET: a copy an impairment sent again
			      (duplicate), not a retransmission */
	int impaired;      /* TL_DROP: lost by an impairment (its NFQUEUE
			      verdict), not dropped by a firewall rule */
};

/*
 * A named connection ("connect ... as NAME", "accept as NAME"): the end
 * that NAME holds, as its 4-tuple is known once the call returned.  A
 * segment is the connection's when one of its ends is @local and the other
 * has port @rport.
 */
#define TL_MAX_CONNS 16

struct tl_conn {
	char name[16];
	struct diag_addr local;  /* the named end: its node's address, port */
	uint16_t rport;          /* the other end's port */
	struct diag_addr remote; /* the other end's address and port (family
				    0: known by its port alone) */
};

struct timeline {
	struct tl_event *v;
	size_t n, cap;
	uint64_t t0;       /* the run's time zero (lab ready) */
	struct tl_conn conns[TL_MAX_CONNS];
	int nconns;
};

/* timeline_add() - append a copy of @ev; -ENOMEM */
int timeline_add(struct timeline *tl, const struct tl_event *ev) WUR;

/* timeline_sort() - order by time (stable for equal times) */
void timeline_sort(struct timeline *tl);

/*
 * timeline_conn_add() - remember that @name is the connection with the end
 * @local and the peer port @rport (a name given again is updated); -ENOSPC
 * past TL_MAX_CONNS
 */
int timeline_conn_add(struct timeline *tl, const char *name,
		      const struct diag_addr *local, uint16_t rport);

/*
 * timeline_conn_remote() - the other end of connection @name is @remote
 * (two connections with the same ports, from different hosts, told apart)
 */
void timeline_conn_remote(struct timeline *tl, const char *name,
			  const struct diag_addr *remote);

/*
 * timeline_conn_label() - the names of the connection @p belongs to, in
 * the order they were given, joined by '=' when both its ends are named
 * ("a=sa"), into @buf; "" when none is named.  Returns @buf.
 */
const char *timeline_conn_label(const struct timeline *tl,
				const struct tl_pkt *p, char *buf, size_t len);

/* timeline_conns_copy() - @dst gets @src's connection names */
void timeline_conns_copy(struct timeline *dst, const struct timeline *src);

/* timeline_clear(), timeline_free() */
void timeline_clear(struct timeline *tl);
void timeline_free(struct timeline *tl);

#endif
