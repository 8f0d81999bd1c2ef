/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snapshot.h - every TCP socket of every node at one moment (pure writers)
 *
 * Theory of operation: `tcplab snapshot LAB` takes one sock_diag dump per
 * node of a kept lab and hands the sets here.  The text form is what
 * `ss -tanoi` prints in each node, one block per node: a row per socket
 * (state, queues, addresses, timer "(kind,expiry,retransmits)") and, for a
 * full socket, the tcp_info line beneath it (rto, rtt/rttvar, mss, cwnd,
 * ssthresh, retransmits, bytes, segments).  The JSON form carries the same
 * fields, one object per socket, for scripts.  Request sockets (SYN_RECV)
 * and TIME_WAIT sockets have no tcp_info; their "info" is null.
 */
#ifndef TCPLAB_SNAPSHOT_H
#define TCPLAB_SNAPSHOT_H

#include <stdint.h>
#include <stdio.h>

#include "sock.h"

struct snapshot_node {
	const char *name;
	const char *addr;        /* the node's lab address, as text */
	const struct diag_set *set;
};

/* snapshot_text() - the ss -tanoi-like blocks; returns 0 or -EIO */
int snapshot_text(FILE *f, const struct snapshot_node *nodes, int n);

/*
 * snapshot_json() - {"lab": ..., "t_ns": ..., "nodes": [{"name", "addr",
 * "sockets": [...]}]}; returns 0, -ENOMEM or -EIO
 */
int snapshot_json(FILE *f, const char *lab, uint64_t t_ns,
		  const struct snapshot_node *nodes, int n);

#endif
