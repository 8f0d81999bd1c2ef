// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_floor.c - the least a lab costs on this machine, as a whole
 * process: what no scenario run can go below.
 *
 * Theory of operation: one process does only the kernel work that every
 * tcplab run of a two-node scenario needs, with nothing of tcplab's own
 * around it (no scenario, no keeper, no endpoint threads, no firewall, no
 * capture, no socket table): a lab root namespace, two node namespaces
 * under it with loopback up, a veth pair between them (its ends with
 * different ifindexes, as tcplab's plan gives them: equal ones make the
 * kernel's linkwatch hold the carrier back for up to a second) with an IPv4
 * address on each end and both up, a wait until both ends are ready (as
 * tcplab's own: woken by the links' notifications, with a deadline), one
 * TCP connection across it (listen,
 * connect, accept, close), then exit, which tears it all down.  bench/run
 * times it with bench_time as a whole process beside /bin/true and
 * tcplab, under the same load.  Each step is checked; a failure is
 * reported and the status is 1.
 *
 * Usage (root): bench_floor
 */
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"
#include "netns.h"
#include "rtnl.h"
#include "util.h"

static int fail(const char *what, int r)
{
	fprintf(stderr, "bench_floor: %s: %s\n", what, strerror(-r));
	return 1;
}

/* a node: namespace, loopback up, rtnetlink socket; 0 or -errno */
static int node(int root, int *nsfd, int *rt, struct err *e)
{
	char buf[256] __attribute__((aligned(4)));

	*nsfd = netns_new(root);
	if (*nsfd < 0)
		return *nsfd;
	*rt = netlink_open(*nsfd, NETLINK_ROUTE, e);
	if (*rt < 0)
		return *rt;
	return rtnl_talk(*rt, rtnl_link_up_build(buf, 0, 1), NULL, 0, e);
}

/* 198.18.0.@host/24 on @ifindex of the node, and the link up */
static int addr_up(int rt, int ifindex, int host, struct err *e)
{
	char buf[256] __attribute__((aligned(4)));
	uint8_t a[4] = { 198, 18, 0, (uint8_t)host };
	int r = rtnl_talk(rt, rtnl_addr_build(buf, 0, ifindex, AF_INET, a, 24),
			  NULL, 0, e);

	return r ? r : rtnl_talk(rt, rtnl_link_up_build(buf, 0, ifindex), NULL, 0, e);
}

/*
 * 1 when ifindex @ifindex of the node is up with a real qdisc (until then
 * a SYN is dropped and costs a second), 0 not yet, or -errno
 */
static int link_ready(int rt, const char *name, struct err *e)
{
	char buf[256] __attribute__((aligned(4)));
	char reply[8192] __attribute__((aligned(4)));
	struct rtnl_link l;
	int r = rtnl_talk(rt, rtnl_getlink_build(buf, 0, name), reply,
			  sizeof(reply), e);

	if (r)
		return r;
	if (rtnl_link_parse((struct nlmsghdr *)reply, &l))
		return -EPROTO;
	return l.operstate == IF_OPER_UP && l.qdisc[0] &&
	       strcmp(l.qdisc, "noop");
}

/* a socket that hears of every change of a link of namespace @nsfd */
static int link_notes(int nsfd, struct err *e)
{
	unsigned int grp = RTNLGRP_LINK;
	int fd = netlink_open(nsfd, NETLINK_ROUTE, e);

	if (fd >= 0 && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				  &grp, sizeof(grp)) < 0)
		return -errno;
	return fd;
}

int main(void)
{
	char buf[512] __attribute__((aligned(4)));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80) };
	struct err e = { 0 };
	int root, cns, sns, crt, srt, cnote, snote, ls, cs, as, r;
	uint64_t deadline;
	struct pollfd p;

	root = netns_new(-1);
	if (root < 0)
		return fail("lab root namespace", root);
	r = netns_sysctl_write(root, "net.ipv4.tcp_child_ehash_entries", "256",
			       NULL);
	(void)r; /* older kernels share the global table */
	if ((r = node(root, &cns, &crt, &e)) || (r = node(root, &sns, &srt, &e)))
		return fail("node namespace", r);
	/* the links' notifications, asked for before the links exist */
	cnote = link_notes(cns, &e);
	snote = link_notes(sns, &e);
	if (cnote < 0 || snote < 0)
		return fail("link notifications", cnote < 0 ? cnote : snote);
	r = rtnl_talk(crt, rtnl_veth_build(buf, 0, "c0", cns, "s0", sns, 2, 3,
					   NULL, NULL), NULL, 0, &e);
	if (r)
		return fail("veth pair", r);
	if ((r = addr_up(crt, 2, 1, &e)) || (r = addr_up(srt, 3, 2, &e)))
		return fail("addresses", r);
	/* ready, or woken by a change of a link, for 3 s at most */
	deadline = util_now_ns() + 3 * NS_PER_S;
	for (;;) {
		struct pollfd w[2] = { { .fd = cnote, .events = POLLIN },
				       { .fd = snote, .events = POLLIN } };
		uint64_t now;

		r = link_ready(crt, "c0", &e);
		if (r == 1)
			r = link_ready(srt, "s0", &e);
		if (r < 0)
			return fail("link state", r);
		if (r)
			break;
		now = util_now_ns();
		if (now >= deadline)
			return fail("link state", -ETIMEDOUT);
		if (poll(w, 2, (int)((deadline - now) / NS_PER_MS) + 1) < 0 &&
		    errno != EINTR)
			return fail("link state", -errno);
		netlink_drain(cnote);
		netlink_drain(snote);
	}
	ls = netns_socket(sns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cs = netns_socket(cns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ls < 0 || cs < 0)
		return fail("sockets", ls < 0 ? ls : cs);
	inet_pton(AF_INET, "198.18.0.2", &sa.sin_addr);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 4))
		return fail("listen", -errno);
	if (connect(cs, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
		return fail("connect", -errno);
	p = (struct pollfd){ .fd = cs, .events = POLLOUT };
	if (poll(&p, 1, 2000) != 1)
		return fail("connection", -ETIMEDOUT);
	as = accept(ls, NULL, NULL);
	if (as < 0)
		return fail("accept", -errno);
	close(cs);
	close(as);
	close(ls);
	return 0;
}
