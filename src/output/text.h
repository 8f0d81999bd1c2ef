/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text.h - terminal writers (pure: they format into a FILE *)
 *
 * The socket table looks like `ss -tano`: one row per socket on every node,
 * with the state, queues, addresses and the timer as "(kind,expiry,count)";
 * the state by RFC 9293's name, as everywhere in tcplab (diag_state_label():
 * SYN-RECEIVED, ESTABLISHED, CLOSED where ss says SYN-RECV, ESTAB, UNCONN).
 * The row that confirmed an expectation is marked with '>'.
 */
#ifndef TCPLAB_TEXT_H
#define TCPLAB_TEXT_H

#include <stdio.h>

#include "sock.h"

struct text_node_socks {
	const char *node;
	const struct diag_set *set;
};

/*
 * text_sock_table() - print the sockets of @n nodes; the socket of node
 * @mark_node with cookie @mark_cookie (or, for cookie 0, 4-tuple of
 * @mark) is marked.  @indent spaces go in front of every line.
 */
void text_sock_table(FILE *f, const struct text_node_socks *nodes, int n,
		     int mark_node, const struct diag_sock *mark, int indent);

/* text_state() - the state as ss spells it: "SYN-SENT", "ESTAB" */
const char *text_state(int st);

/* text_timer() - "on,996ms,0" like ss -o, or "" when no timer runs */
const char *text_timer(const struct diag_sock *s, char *buf, size_t len);

#endif
