/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnl.h - rtnetlink messages for building a lab (builders pure, I/O thin)
 *
 * Theory of operation: each builder writes one complete request into a
 * caller's buffer (MNL_SOCKET_BUFFER_SIZE is plenty) and returns the
 * message; it touches no socket, so unit tests compare the bytes.
 * rtnl_talk() sends one request on a NETLINK_ROUTE socket (opened inside
 * some namespace with netlink_open()) and waits for its ACK through
 * netlink_talk(), which keeps the kernel's extended ACK message for the
 * error; rtnl_dump() does the same for a dump.  Both give the request a
 * fresh sequence number (netlink_seq_next()): a builder's @seq is for
 * tests that compare bytes.  rtnl_link_parse() decodes an RTM_NEWLINK reply or
 * notification into the few fields the lab needs to know that a link is
 * really ready: operstate UP and a real qdisc (not "noop") attached.
 */
#ifndef TCPLAB_RTNL_H
#define TCPLAB_RTNL_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "netlink.h"

struct rtnl_link {
	int ifindex;
	unsigned flags;    /* IFF_* */
	int operstate;     /* IF_OPER_* or -1 */
	char name[16];
	char qdisc[16];    /* "" when absent */
};

/*
 * rtnl_veth_build() - RTM_NEWLINK creating veth @name in the namespace
 * @nsfd whose peer @peer lives in @peer_nsfd (both placed at creation, so
 * nothing ever appears in the namespace the request is sent from).  Both
 * ends get @ifindex when it is not 0 (each lives in its own namespace),
 * and one transmit and one receive queue.
 */
struct nlmsghdr *rtnl_veth_build(void *buf, uint32_t seq, const char *name,
				 int nsfd, const char *peer, int peer_nsfd,
				 int ifindex, int peer_ifindex,
				 const uint8_t *mac, const uint8_t *peer_mac);

/* rtnl_link_up_build() - RTM_NEWLINK setting IFF_UP on @ifindex */
struct nlmsghdr *rtnl_link_up_build(void *buf, uint32_t seq, int ifindex);

/* rtnl_getlink_build() - RTM_GETLINK for one link, by name */
struct nlmsghdr *rtnl_getlink_build(void *buf, uint32_t seq, const char *name);

/*
 * rtnl_addr_build() - RTM_NEWADDR @addr/@prefixlen on @ifindex; IPv6
 * addresses are added with IFA_F_NODAD so they are usable at once.
 */
struct nlmsghdr *rtnl_addr_build(void *buf, uint32_t seq, int ifindex,
				 int family, const void *addr, int prefixlen);

/*
 * rtnl_neigh_build() - RTM_NEWNEIGH: a permanent neighbour entry, @addr is
 * at @mac on @ifindex, so no ARP or neighbour discovery ever delays (or
 * drops) the first segment of a run
 */
struct nlmsghdr *rtnl_neigh_build(void *buf, uint32_t seq, int ifindex,
				  int family, const void *addr,
				  const uint8_t *mac);

/*
 * rtnl_getroute_build() - RTM_GETROUTE: the route the kernel would use to
 * reach @addr (answered with one RTM_NEWROUTE; RTN_LOCAL when @addr is the
 * namespace's own and ready to receive)
 */
struct nlmsghdr *rtnl_getroute_build(void *buf, uint32_t seq, int family,
				     const void *addr);

/* rtnl_route_type() - rtm_type of an RTM_NEWROUTE message, -EBADMSG */
int rtnl_route_type(const struct nlmsghdr *nlh) WUR;

/* rtnl_route_build() - RTM_NEWROUTE: @dst/@plen via @via on @ifindex */
struct nlmsghdr *rtnl_route_build(void *buf, uint32_t seq, int family,
				  const void *dst, int plen, const void *via,
				  int ifindex);

/* rtnl_getaddr_build() - RTM_GETADDR dump of every @family address */
struct nlmsghdr *rtnl_getaddr_build(void *buf, uint32_t seq, int family);

/*
 * rtnl_addr_flags() - for an RTM_NEWADDR message of @family holding @addr,
 * its IFA_F_* flags (IFA_FLAGS when present); -ENOENT if it is another
 * address, -EBADMSG if malformed
 */
int rtnl_addr_flags(const struct nlmsghdr *nlh, int family, const void *addr,
		    uint32_t *flags);

/*
 * rtnl_dump() - send the dump request @nlh on @fd and call @cb on each
 * answer until NLMSG_DONE; @cb returns 0 to go on, -errno to fail
 */
int rtnl_dump(int fd, struct nlmsghdr *nlh, netlink_msg_cb cb, void *data,
	      struct err *e) WUR;

/* rtnl_link_parse() - decode an RTM_NEWLINK message; -EBADMSG if malformed */
int rtnl_link_parse(const struct nlmsghdr *nlh, struct rtnl_link *out) WUR;

/*
 * rtnl_talk() - send @nlh on @fd, wait for the ACK.  If @reply is given,
 * the first non-ACK answer (e.g. RTM_NEWLINK for RTM_GETLINK) is copied to
 * it (@reply_len bytes at most).  Kernel errors keep their extack text in @e.
 */
int rtnl_talk(int fd, struct nlmsghdr *nlh, void *reply, size_t reply_len,
	      struct err *e) WUR;

#endif
