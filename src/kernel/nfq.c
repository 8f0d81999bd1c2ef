// SPDX-License-Identifier: GPL-2.0-or-later
/* nfq.c - holding packets with nfnetlink_queue (see nfq.h); the socket
 * and its conversations are netlink.c's */
#include "nfq.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"
#include "util.h"

struct nfq {
	int fd;
	uint16_t num;
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

static size_t nfq_config_mode(void *buf, size_t len, uint16_t num, uint8_t cmd,
			      uint32_t seq, int whole);

size_t nfq_config_build(void *buf, size_t len, uint16_t num, uint8_t cmd,
			uint32_t seq)
{
	return nfq_config_mode(buf, len, num, cmd, seq, 0);
}

size_t nfq_config_build_copy(void *buf, size_t len, uint16_t num, uint8_t cmd,
			     uint32_t seq)
{
	return nfq_config_mode(buf, len, num, cmd, seq, 1);
}

static size_t nfq_config_mode(void *buf, size_t len, uint16_t num, uint8_t cmd,
			      uint32_t seq, int whole)
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
			.copy_range = htonl(whole ? 0xffff : 0),
			.copy_mode = whole ? NFQNL_COPY_PACKET : NFQNL_COPY_META,
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

/* Send one config request and wait for its ACK; the kernel's -errno */
static int nfq_talk(struct nfq *q, void *buf, size_t len)
{
	uint32_t seq = ((struct nlmsghdr *)buf)->nlmsg_seq;
	struct netlink_conv c = { .seq = seq, .nseq = 1, .answers = 1 };

	return netlink_talk(q->fd, buf, len, &c, NULL);
}

static int nfq_open_mode(struct nfq **out, int nsfd, uint16_t num, int whole,
			 struct err *e);

int nfq_open(struct nfq **out, int nsfd, uint16_t num, struct err *e)
{
	return nfq_open_mode(out, nsfd, num, 0, e);
}

int nfq_open_copy(struct nfq **out, int nsfd, uint16_t num, struct err *e)
{
	return nfq_open_mode(out, nsfd, num, 1, e);
}

static int nfq_open_mode(struct nfq **out, int nsfd, uint16_t num, int whole,
			 struct err *e)
{
	union {
		struct nlmsghdr align;
		char b[256];
	} buf;
	struct nfq *q;
	int r;

	*out = NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return err_set(e, -ENOMEM, "out of memory");
	q->num = num;
	q->fd = netlink_open(nsfd, NETLINK_NETFILTER, e);
	if (q->fd < 0) {
		r = q->fd;
		free(q);
		err_prefix(e, "packet queue");
		return r;
	}
	r = nfq_talk(q, buf.b, nfq_config_mode(buf.b, sizeof(buf), num,
					       NFQNL_CFG_CMD_BIND,
					       netlink_seq_next(1), whole));
	if (r)
		goto fail;
	if (whole)
		/* a burst of full-sized segments waits here for verdicts */
		netlink_bufsize(q->fd, SO_RCVBUF, 4 << 20);
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

/* What nfq_release() needs to answer each held packet */
struct nfq_release {
	struct nfq *q;
	int count;
};

/* Let one held packet go: a verdict for each NFQNL_MSG_PACKET */
static int nfq_release_msg(const struct nlmsghdr *m, void *arg)
{
	struct nfq_release *rl = arg;
	char vb[128] __attribute__((aligned(4)));
	const struct nlattr *a;

	if ((m->nlmsg_type & 0xff) != NFQNL_MSG_PACKET)
		return 0;
	mnl_attr_for_each(a, m, sizeof(struct nfgenmsg)) {
		const struct nfqnl_msg_packet_hdr *ph;
		struct iovec iov = { .iov_base = vb };
		int r;

		if (mnl_attr_get_type(a) != NFQA_PACKET_HDR ||
		    mnl_attr_get_payload_len(a) < sizeof(*ph))
			continue;
		ph = mnl_attr_get_payload(a);
		iov.iov_len = nfq_verdict_build(vb, sizeof(vb), rl->q->num,
						ntohl(ph->packet_id), NF_ACCEPT,
						netlink_seq_next(1));
		r = netlink_send(rl->q->fd, &iov, 1);
		if (r)
			return r;
		rl->count++;
	}
	return 0;
}

/* Every held packet of one received datagram */
static int nfq_release_datagram(const void *buf, size_t len, void *arg)
{
	return netlink_walk(buf, len, nfq_release_msg, arg);
}

size_t nfq_let_by_build(void *buf, size_t len, uint16_t num, int step,
			uint32_t seq)
{
	struct nlmsghdr *nlh;

	if (len < 64)
		return 0;
	nlh = nfq_hdr(buf, NFQNL_MSG_CONFIG, num, seq);
	if (step == 0) {
		/* a full queue lets a packet by instead of dropping it */
		mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(NFQA_CFG_F_FAIL_OPEN));
		mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(NFQA_CFG_F_FAIL_OPEN));
	} else {
		/* and it is full now: room for none */
		mnl_attr_put_u32(nlh, NFQA_CFG_QUEUE_MAXLEN, htonl(0));
	}
	return nlh->nlmsg_len;
}

/*
 * From now on a packet that comes to the queue is let by at once: the
 * queue fails open, then has room for none (in that order, or one packet
 * could meet a full queue that drops).  The kernel applies the requests
 * within the send, under the lock a packet is queued with, so a packet
 * queued before it is on the socket when the send returns.  No ACK is
 * asked for: the answer would come among the packets; a kernel that
 * refuses says so in a message nfq_release() passes over, and holds on
 * as before.
 */
static int nfq_let_by(struct nfq *q)
{
	char b[2][64] __attribute__((aligned(4)));
	struct iovec iov[2];
	int step;

	/* one send: the kernel takes its requests in order */
	for (step = 0; step < 2; step++) {
		iov[step].iov_base = b[step];
		iov[step].iov_len = nfq_let_by_build(b[step], sizeof(b[step]),
						     q->num, step,
						     netlink_seq_next(1));
	}
	return netlink_send(q->fd, iov, 2);
}

int nfq_release(struct nfq *q, struct err *e)
{
	struct nfq_release rl = { q, 0 };
	int r = nfq_let_by(q);

	if (!r)
		r = netlink_read(q->fd, nfq_release_datagram, &rl, NULL);

	if (r < 0)
		return err_set(e, r, "packet queue: %s", strerror(-r));
	return rl.count;
}

int nfq_fd(const struct nfq *q)
{
	return q->fd;
}

int nfq_packet_parse(const struct nlmsghdr *m, uint32_t *id,
		     const void **pkt, size_t *len, uint64_t *stamp_ns)
{
	const struct nlattr *a;
	int have_id = 0;

	if ((m->nlmsg_type >> 8) != NFNL_SUBSYS_QUEUE ||
	    (m->nlmsg_type & 0xff) != NFQNL_MSG_PACKET ||
	    m->nlmsg_len < NLMSG_HDRLEN + sizeof(struct nfgenmsg))
		return -ENOENT;
	*pkt = NULL;
	*len = 0;
	*stamp_ns = 0;
	mnl_attr_for_each(a, m, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFQA_PACKET_HDR &&
		    mnl_attr_get_payload_len(a) >=
			    sizeof(struct nfqnl_msg_packet_hdr)) {
			const struct nfqnl_msg_packet_hdr *ph =
				mnl_attr_get_payload(a);

			*id = ntohl(ph->packet_id);
			have_id = 1;
		} else if (mnl_attr_get_type(a) == NFQA_PAYLOAD) {
			*pkt = mnl_attr_get_payload(a);
			*len = mnl_attr_get_payload_len(a);
		} else if (mnl_attr_get_type(a) == NFQA_TIMESTAMP &&
			   mnl_attr_get_payload_len(a) >=
				   sizeof(struct nfqnl_msg_packet_timestamp)) {
			struct nfqnl_msg_packet_timestamp ts;

			memcpy(&ts, mnl_attr_get_payload(a), sizeof(ts));
			*stamp_ns = be64toh(ts.sec) * 1000000000ULL +
				    be64toh(ts.usec) * 1000ULL;
		}
	}
	return have_id ? 0 : -ENOENT;
}

/* What nfq_read() hands each packet to */
struct nfq_reader {
	nfq_packet_cb cb;
	void *data;
	int count;
};

static int nfq_read_msg(const struct nlmsghdr *m, void *arg)
{
	struct nfq_reader *rd = arg;
	uint64_t stamp;
	const void *pkt;
	uint32_t id;
	size_t len;
	int r;

	if (nfq_packet_parse(m, &id, &pkt, &len, &stamp))
		return 0;
	r = rd->cb(id, pkt, len, stamp, rd->data);
	if (r < 0)
		return r;
	rd->count++;
	return 0;
}

static int nfq_read_datagram(const void *buf, size_t len, void *arg)
{
	return netlink_walk(buf, len, nfq_read_msg, arg);
}

int nfq_read(struct nfq *q, nfq_packet_cb cb, void *data)
{
	struct nfq_reader rd = { cb, data, 0 };
	int r = netlink_read(q->fd, nfq_read_datagram, &rd, NULL);

	return r < 0 ? r : rd.count;
}

int nfq_verdict(struct nfq *q, uint32_t id, uint32_t verdict)
{
	char vb[128] __attribute__((aligned(4)));
	struct iovec iov = { .iov_base = vb };

	iov.iov_len = nfq_verdict_build(vb, sizeof(vb), q->num, id, verdict,
					netlink_seq_next(1));
	return netlink_send(q->fd, &iov, 1);
}

void nfq_close(struct nfq *q)
{
	union {
		struct nlmsghdr align;
		char b[256];
	} buf;

	if (!q)
		return;
	(void)nfq_talk(q, buf.b, nfq_config_build(buf.b, sizeof(buf), q->num,
						  NFQNL_CFG_CMD_UNBIND,
						  netlink_seq_next(1)));
	close(q->fd);
	free(q);
}
