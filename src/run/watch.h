/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * watch.h - following a kept lab live: states, packets, drops
 *
 * Theory of operation: `tcplab watch LAB` gets the lab's namespaces from its
 * keeper (kept.h) and opens, in every node, a sock_diag socket, a packet
 * capture on each of its veth ends and an NFLOG listener on the groups the
 * kept lab's rules log to (1 to KEPT_MAX_RULES, bound up front so a rule
 * added later is attributed too).  Then one loop, on one monotonic clock
 * whose zero is the moment watching began:
 *
 *  - packets: every segment that left a node, as one tcpdump line (relative
 *    sequence numbers over what was seen), or with --ladder as the rows of
 *    a ladder diagram drawn as they come (the whole ladder is drawn again
 *    each time and the rows not printed yet are printed; states and drops
 *    are then shown in the ladder only);
 *  - drops: each packet a rule dropped, with the rule as the scenario
 *    language says it ("firewall server input tcp dport 80 drop");
 *  - states: every node is dumped through sock_diag every few
 *    milliseconds and compared with the previous dump, sockets matched by
 *    their 4-tuple: a socket that appears, changes state or goes away is one
 *    line, with its peer and its timer.  That sees every socket in the
 *    node, tcplab's endpoints or a student's own nc, curl or ssh alike.
 *
 * Watching holds the namespaces only while it runs and never changes the
 * lab: SIGINT ends the watch, not the lab; when the keeper goes (tcplab
 * down, or a kill), the watch notices within a poll and ends too.
 */
#ifndef TCPLAB_WATCH_H
#define TCPLAB_WATCH_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "kept.h"
#include "sock.h"

struct watch_opts {
	FILE *out;
	int ladder;              /* draw a live ladder instead of packet lines */
	int color;
	uint64_t poll_ns;        /* sock_diag period (default 5 ms) */
	uint64_t duration_ns;    /* stop after this long; 0: until stopped */
	volatile sig_atomic_t *stop; /* set by a signal handler */
};

/*
 * watch_run() - watch lab @k through its namespaces @ns (the caller has
 * entered them with kept_enter()) until *@o->stop, the duration, or the
 * keeper's end.  Returns 0 or -errno with @e set.
 */
int watch_run(const struct kept_info *k, const struct kept_ns *ns,
	      const struct watch_opts *o, struct err *e) WUR;

/*
 * watch_state_line() - one state change as watch prints it (pure): @old
 * NULL for a socket that appeared, @now NULL for one that went.  Returns
 * the length needed, like snprintf.
 */
int watch_state_line(char *buf, size_t len, const struct diag_sock *old,
		     const struct diag_sock *now);

#endif
