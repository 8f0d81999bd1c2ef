// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * record-open-acks.c - record the kernel's answers to the set-up batch
 * (open-ok.acks).  Run as root; it works in a namespace of its own:
 *   cc -Isrc tests/data/rules/record-open-acks.c src/fw_nft.c src/rule.c \
 *      src/netns.c src/err.c src/util.c -lnftnl -lmnl -o /tmp/rec && /tmp/rec
 * and writes the hex dump on stdout.
 */
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <linux/netfilter/nfnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fw_nft.h"
#include "netns.h"

int main(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nftnl_batch *b = fw_nft_batch_new();
	char buf[8192];
	size_t total = 0;
	int ns = netns_new(-1), fd, i;

	fd = netns_socket(ns, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (ns < 0 || fd < 0 || bind(fd, (void *)&sa, sizeof(sa)) < 0 ||
	    fw_nft_open_batch_build(b, NULL, 100))
		return 1;
	{
		int iovlen = nftnl_batch_iovec_len(b);
		struct iovec iov[16];
		struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
				     .msg_iov = iov, .msg_iovlen = (size_t)iovlen };

		if (iovlen > 16)
			return 1;
		nftnl_batch_iovec(b, iov, (uint32_t)iovlen);
		if (sendmsg(fd, &mh, 0) < 0)
			return 1;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			break;
		n = recv(fd, buf + total, sizeof(buf) - total, 0);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	for (i = 0; (size_t)i < total; i++)
		printf("%02x%s", (unsigned char)buf[i], i % 16 == 15 ? "\n" : "");
	printf("\n");
	return 0;
}
