/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diag.h - TCP socket snapshots through sock_diag (inet_diag)
 *
 * Theory of operation: diag_request_build() writes a SOCK_DIAG_BY_FAMILY
 * dump request for TCP sockets in every state, asking for tcp_info.
 * diag_parse() decodes a buffer of reply messages - live, or recorded with
 * `ss -D FILE` (the same raw netlink stream) - into plain structs; it is
 * pure and has no idea where the bytes came from.  diag_snapshot() is the
 * thin kernel-facing part: it sends the requests on a NETLINK_SOCK_DIAG
 * socket that was opened inside a node's namespace and feeds the replies to
 * the same decoder; diag_query() is the same with the states, families and
 * extensions chosen, and listeners looked up by port instead of dumped.  Request sockets (SYN_RECV) and TIME_WAIT sockets carry
 * inode 0 and no tcp_info; match them by 4-tuple and cookie.
 */
#ifndef TCPLAB_DIAG_H
#define TCPLAB_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sock.h"

/*
 * diag_request_build() - write a TCP dump request for @family (AF_INET or
 * AF_INET6) into @buf (at least 256 bytes); returns its length.
 */
size_t diag_request_build(void *buf, size_t len, int family, uint32_t seq);

/*
 * diag_parse() - decode a buffer holding one or more netlink messages
 * (inet_diag replies, NLMSG_DONE, NLMSG_ERROR) and append each socket to
 * @out.  Returns 1 when NLMSG_DONE was seen, 0 when more is expected, or
 * -errno (a reply error, or a malformed message: -EBADMSG).  The whole
 * buffer is decoded: an `ss -D` file holds two dumps, each with its DONE.
 * On error @out is left as it was.
 */
int diag_parse(const void *buf, size_t len, struct diag_set *out) WUR;

/*
 * diag_snapshot() - dump every TCP socket, IPv4 then IPv6, visible to
 * @nlfd (a NETLINK_SOCK_DIAG socket opened inside a node's namespace) into
 * @out (cleared first).
 */
int diag_snapshot(int nlfd, struct diag_set *out) WUR;

/*
 * diag_snapshot_filter() - like diag_snapshot(), for @family (AF_INET,
 * AF_INET6, 0 for both) and the states whose bit (1 << state) is set in
 * @states (0 for all); filtered in the kernel, so much cheaper to poll.
 */
int diag_snapshot_filter(int nlfd, int family, uint32_t states,
			 struct diag_set *out) WUR;

/*
 * Every state but LISTEN (request sockets included): a dump that walks only
 * the namespace's established hash, not the listening hash that every
 * namespace of the machine shares
 */
#define DIAG_STATES_BUT_LISTEN \
	(((1U << DIAG_STATE_MAX) - 1) & ~(1U << DIAG_LISTEN))

/*
 * struct diag_query - what diag_query() asks the kernel for
 * @family:	AF_INET, AF_INET6, or 0 for both (one walk of the kernel's
 *		tables, IPv4 sockets first in @out)
 * @states:	bit (1 << state) per wanted state, 0 for all; SYN_RECV
 *		includes request sockets
 * @no_info:	leave tcp_info and the congestion control out (has_info 0,
 *		cong ""): a third of the bytes, for a listing like `ss -tan`
 * @lports_known: the caller knows every port a LISTEN socket of this
 *		namespace can be on, the @nlports of @lports, on the wildcard
 *		address: LISTEN sockets are then looked up port by port
 *		(with the dump of the other states in the same datagram when
 *		@family is one family) and not dumped, so that the query
 *		does not walk the listening hash, which every namespace
 *		shares (its cost grows with the listeners of the whole
 *		machine).  A listener bound to one address, or on another
 *		port, is then not seen.
 */
struct diag_query {
	int family;
	uint32_t states;
	int no_info;
	int lports_known;
	const uint16_t *lports;
	size_t nlports;
};

/*
 * diag_query() - the TCP sockets @q asks for, visible to @nlfd (a
 * NETLINK_SOCK_DIAG socket opened inside a node's namespace), into @out
 * (cleared first).  Returns 0 or -errno (@out then empty).
 */
int diag_query(int nlfd, const struct diag_query *q, struct diag_set *out) WUR;

/*
 * diag_destroy() - SOCK_DESTROY every full socket of @set (not request
 * sockets, not TIME_WAIT: what a crashed host leaves in the kernel);
 * returns how many were destroyed.
 */
int diag_destroy(int nlfd, const struct diag_set *set);

/*
 * diag_destroy_all() - SOCK_DESTROY every socket of @set, request sockets
 * (SYN_RECV) and TIME_WAIT included (tcp_abort() drops both), so that a
 * lab's namespaces go the moment they are let go of.
 */
int diag_destroy_all(int nlfd, const struct diag_set *set);

/*
 * diag_destroy_build() - write the SOCK_DESTROY request (with NLM_F_ACK)
 * for @s into @buf (at least 256 bytes); returns its length, 0 on failure.
 */
size_t diag_destroy_build(void *buf, size_t len, const struct diag_sock *s,
			  uint32_t seq);

#endif
