// SPDX-License-Identifier: GPL-2.0-or-later
/* nfq.c - holding packets with nfnetlink_queue (see nfq.h) */
#include "nfq.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

struct nfq {
	int fd;
	uint16_t num;
	uint32_t seq;
};

static struct nlmsghdr *nfq_hdr(void *buf, uint16_t type, uint16_t num,
				uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = htons(num);
	return nlh;
}

size_t nfq_config_build(void *buf, size_t len, uint16_t num, uint8_t cmd,
			uint32_t seq)
{
	struct nfqnl_msg_config_cmd c = { .command = cmd };
	struct nlmsghdr *nlh;

	if (len < 128)
		return 0;
	nlh = nfq_hdr(buf, NFQNL_MSG_CONFIG, num, seq);
	nlh->nlmsg_flags |= NLM_F_ACK;
	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(c), &c);
	if (cmd == NFQNL_CFG_CMD_BIND) {
		struct nfqnl_msg_config_params p = {
			.copy_range = htonl(0),
			.copy_mode = NFQNL_COPY_META,
		};

		mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(p), &p);
	}
	return nlh->nlmsg_len;
}

size_t nfq_verdict_build(void *buf, size_t len, uint16_t num, uint32_t id,
			 uint32_t verdict, uint32_t seq)
{
	struct nfqnl_msg_verdict_hdr v = { .verdict = htonl(verdict),
					   .id = htonl(id) };
	struct nlmsghdr *nlh;

	if (len < 64)
		return 0;
	nlh = nfq_hdr(buf, NFQNL_MSG_VERDICT, num, seq);
	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(v), &v);
	return nlh->nlmsg_len;
}

/* send one request and wait for its ACK */
static int nfq_talk(struct nfq *q, void *buf, size_t len)
{
	char rb[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	uint32_t seq = ((struct nlmsghdr *)buf)->nlmsg_seq;

	if (send(q->fd, buf, len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(q->fd, rb, sizeof(rb), 0);
		const struct nlmsghdr *m;
		int left;

		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		left = (int)n;
		for (m = (void *)rb; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left))
			if (m->nlmsg_type == NLMSG_ERROR && m->nlmsg_seq == seq)
				return ((const struct nlmsgerr *)mnl_nlmsg_get_payload(m))->error;
	}
}

int nfq_open(struct nfq **out, int nsfd, uint16_t num, struct err *e)
{
	char buf[256] __attribute__((aligned(4)));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nfq *q;
	int r;

	*out = NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return err_set(e, -ENOMEM, "out of memory");
	q->num = num;
	q->fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (q->fd < 0) {
		r = q->fd;
		free(q);
		return err_set(e, r, "cannot open a netfilter socket: %s",
			       strerror(-r));
	}
	if (bind(q->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto fail;
	}
	r = nfq_talk(q, buf, nfq_config_build(buf, sizeof(buf), num,
					      NFQNL_CFG_CMD_BIND, ++q->seq));
	if (r)
		goto fail;
	*out = q;
	return 0;
fail:
	close(q->fd);
	free(q);
	if (r == -EOPNOTSUPP || r == -ENOENT || r == -EPROTONOSUPPORT)
		return err_env(e, r, "this kernel cannot hold packets "
			       "(nfnetlink_queue): %s", strerror(-r));
	return err_set(e, r, "cannot bind packet queue %u: %s", num,
		       strerror(-r));
}

int nfq_release(struct nfq *q, struct err *e)
{
	char rb[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	char vb[128] __attribute__((aligned(4)));
	int count = 0;

	for (;;) {
		ssize_t n = recv(q->fd, rb, sizeof(rb), MSG_DONTWAIT);
		const struct nlmsghdr *m;
		int left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return err_set(e, -errno, "packet queue: %s",
				       strerror(errno));
		}
		left = (int)n;
		for (m = (void *)rb; mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			const struct nlattr *a;

			if ((m->nlmsg_type & 0xff) != NFQNL_MSG_PACKET)
				continue;
			mnl_attr_for_each(a, m, sizeof(struct nfgenmsg)) {
				const struct nfqnl_msg_packet_hdr *ph;
				size_t vl;

				if (mnl_attr_get_type(a) != NFQA_PACKET_HDR ||
				    mnl_attr_get_payload_len(a) < sizeof(*ph))
					continue;
				ph = mnl_attr_get_payload(a);
				vl = nfq_verdict_build(vb, sizeof(vb), q->num,
						       ntohl(ph->packet_id),
						       NF_ACCEPT, ++q->seq);
				if (send(q->fd, vb, vl, 0) < 0)
					return err_set(e, -errno, "packet queue verdict: %s",
						       strerror(errno));
				count++;
			}
		}
	}
	return count;
}

void nfq_close(struct nfq *q)
{
	char buf[256] __attribute__((aligned(4)));

	if (!q)
		return;
	(void)nfq_talk(q, buf, nfq_config_build(buf, sizeof(buf), q->num,
						NFQNL_CFG_CMD_UNBIND, ++q->seq));
	close(q->fd);
	free(q);
}
