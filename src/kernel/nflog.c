// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nflog.c - the drop listener, over nfnetlink_log (NFLOG) and libmnl
 *
 * Theory of operation
 *
 * nfnetlink_log delivers the packets that logging rules matched to the
 * netlink socket that bound their group, in the namespace where the rule
 * sits.  So nflog_open() creates a NETLINK_NETFILTER socket inside the
 * node's namespace (netlink_open()) and, from outside, sends one config
 * message per group (NFULNL_MSG_CONFIG, res_id = the group):
 *
 *	NFULA_CFG_CMD	  BIND: make an instance for the group, owned by us
 *	NFULA_CFG_MODE	  copy the packet, NFLOG_COPY_RANGE bytes: the IP and
 *			  TCP headers, options included
 *	NFULA_CFG_QTHRESH 1: send each packet at once, do not batch
 *	NFULA_CFG_TIMEOUT 0: no flush timer needed then
 *
 * each with NLM_F_ACK, and waits for every answer, so that a group already
 * bound by someone else (EBUSY) or a kernel without nfnetlink_log is
 * reported at open time.  No PF_BIND is sent: that makes nfnetlink_log the
 * namespace's default logger for a family, which the NFLOG target and
 * nft's "log group" do not need (they ask for the ULOG logger by type).
 *
 * nflog_read() drains the socket without blocking; nflog_parse() decodes a
 * buffer (the pure half, unit tested on recorded messages).  Each
 * NFULNL_MSG_PACKET becomes a TL_DROP event:
 *
 *	NFULA_PACKET_HDR  hook: NF_INET_LOCAL_IN -> RULE_INPUT,
 *			  NF_INET_LOCAL_OUT -> RULE_OUTPUT,
 *			  NF_INET_FORWARD -> RULE_FORWARD
 *	NFULA_PREFIX	  "tcplab:<id>" -> the rule id (else: not ours, skipped)
 *	NFULA_PAYLOAD	  the packet from its network header: IPv4 or IPv6
 *			  (extension headers skipped), then TCP: ports,
 *			  flags, seq, ack, window, options, and the payload
 *			  length from the IP length fields, as the copy is
 *			  cut at NFLOG_COPY_RANGE bytes
 *
 * The event's time is util_now_ns() at reception, on the clock of every
 * other event: with a queue threshold of 1 the kernel sends each message
 * as it logs the packet.  The packet's own NFULA_TIMESTAMP is wall-clock
 * time and often absent on the output hook, so it is not used.
 *
 * A logging rule logs what it matched before its verdict applies; for
 * tcplab's drop and reject rules that is what they dropped.
 */
#include "nflog.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"
#include "rule.h"
#include "util.h"

/* Receive queue: room for bursts of logged packets (~400 bytes each) */
#define NFLOG_RCVBUF (1 << 20)

/*
 * struct nflog - a bound listener
 * @fd:		NETLINK_NETFILTER socket, created inside the namespace
 * @lost:	ENOBUFS seen since open
 */
struct nflog {
	int fd;
	unsigned lost;
};

/* -------------------------------------------------------------------- */
/* Pure half                                                             */
/* -------------------------------------------------------------------- */

/**
 * nflog_config_build() - the config message that binds and sets up @group
 * @buf:	destination, 4-byte aligned
 * @len:	its size
 * @group:	NFLOG group
 * @seq:	sequence number
 *
 * Return: the message length, or -ENOSPC if @buf is too small.
 */
int nflog_config_build(void *buf, size_t len, uint16_t group, uint32_t seq)
{
	struct nfulnl_msg_config_cmd cmd = { .command = NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode = {
		.copy_range = htonl(NFLOG_COPY_RANGE),
		.copy_mode = NFULNL_COPY_PACKET,
	};
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	size_t need = MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*nfg)) +
		      MNL_ATTR_HDRLEN * 4 + MNL_ALIGN(sizeof(cmd)) +
		      MNL_ALIGN(sizeof(mode)) + 2 * MNL_ALIGN(sizeof(uint32_t));

	if (len < need)
		return -ENOSPC;
	memset(buf, 0, need);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(group);
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	mnl_attr_put_u32(nlh, NFULA_CFG_TIMEOUT, htonl(0));
	return (int)nlh->nlmsg_len;
}

/**
 * nflog_tcp_opts() - TCP options as tcpdump lists them
 * @p:		the options
 * @n:		their length (as far as they were copied)
 * @buf:	destination: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7"
 * @len:	its size
 */
static void nflog_tcp_opts(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t i = 0, used = 0;
	const char *sep = "";

	buf[0] = '\0';
	while (i < n && used < len) {
		uint8_t kind = p[i], olen = 1;
		int w = 0;

		if (kind == 0) {
			w = snprintf(buf + used, len - used, "%seol", sep);
			i = n;
		} else if (kind == 1) {
			w = snprintf(buf + used, len - used, "%snop", sep);
		} else {
			if (i + 1 >= n || p[i + 1] < 2 || i + p[i + 1] > n)
				break; /* cut by the copy range, or bad */
			olen = p[i + 1];
			if (kind == 2 && olen == 4)
				w = snprintf(buf + used, len - used, "%smss %u",
					     sep,
					     (unsigned)(p[i + 2] << 8 | p[i + 3]));
			else if (kind == 3 && olen == 3)
				w = snprintf(buf + used, len - used,
					     "%swscale %u", sep, p[i + 2]);
			else if (kind == 4 && olen == 2)
				w = snprintf(buf + used, len - used,
					     "%ssackOK", sep);
			else if (kind == 5)
				w = snprintf(buf + used, len - used,
					     "%ssack %u", sep,
					     (unsigned)(olen - 2) / 8);
			else if (kind == 8 && olen == 10) {
				uint32_t val, ecr;

				memcpy(&val, p + i + 2, 4);
				memcpy(&ecr, p + i + 6, 4);
				w = snprintf(buf + used, len - used,
					     "%sTS val %u ecr %u", sep,
					     ntohl(val), ntohl(ecr));
			} else
				w = snprintf(buf + used, len - used,
					     "%sunknown-%u", sep, kind);
		}
		if (w < 0)
			break;
		used += (size_t)w;
		sep = ",";
		i += olen;
	}
	if (used >= len && len)
		buf[len - 1] = '\0';
}

/**
 * nflog_ipv6_skip() - find the TCP header behind IPv6 extension headers
 * @p:		the packet, from its IPv6 header
 * @n:		bytes copied
 * @off:	set to the offset of the transport header
 * @proto:	set to its protocol number
 *
 * Skips hop-by-hop, routing and destination options headers; stops at
 * anything else (a fragment is not looked into).
 *
 * Return: 0, or -EBADMSG when the headers run past the copy.
 */
static int nflog_ipv6_skip(const uint8_t *p, size_t n, size_t *off,
			   uint8_t *proto)
{
	uint8_t nh = p[6];
	size_t o = 40;

	while (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_DSTOPTS) {
		if (o + 2 > n)
			return -EBADMSG;
		nh = p[o];
		o += ((size_t)p[o + 1] + 1) * 8;
	}
	*off = o;
	*proto = nh;
	return 0;
}

/**
 * nflog_packet_decode() - fill @pkt from a logged packet
 * @p:		NFULA_PAYLOAD: the packet from its network header
 * @n:		bytes copied
 * @pkt:	filled in
 *
 * Return: 1 for a TCP segment, 0 for anything else (skipped), -EBADMSG
 * for a packet too short to hold what its headers announce.
 */
static int nflog_packet_decode(const uint8_t *p, size_t n, struct tl_pkt *pkt)
{
	size_t l4, iplen, doff;
	uint8_t proto;
	uint16_t v16;
	uint32_t v32;

	memset(pkt, 0, sizeof(*pkt));
	if (n < 1)
		return -EBADMSG;
	if (p[0] >> 4 == 4) {
		if (n < 20 || (p[0] & 0x0f) < 5)
			return -EBADMSG;
		l4 = (size_t)(p[0] & 0x0f) * 4;
		proto = p[9];
		memcpy(&v16, p + 2, 2);
		iplen = ntohs(v16);
		pkt->family = AF_INET;
		pkt->src.family = pkt->dst.family = AF_INET;
		memcpy(&pkt->src.v4, p + 12, 4);
		memcpy(&pkt->dst.v4, p + 16, 4);
	} else if (p[0] >> 4 == 6) {
		if (n < 40)
			return -EBADMSG;
		if (nflog_ipv6_skip(p, n, &l4, &proto))
			return -EBADMSG;
		memcpy(&v16, p + 4, 2);
		iplen = 40 + (size_t)ntohs(v16);
		pkt->family = AF_INET6;
		pkt->src.family = pkt->dst.family = AF_INET6;
		memcpy(&pkt->src.v6, p + 8, 16);
		memcpy(&pkt->dst.v6, p + 24, 16);
	} else {
		return 0;
	}
	if (proto != IPPROTO_TCP)
		return 0;
	if (l4 + 20 > n)
		return -EBADMSG;
	p += l4;
	memcpy(&v16, p, 2);
	pkt->src.port = ntohs(v16);
	memcpy(&v16, p + 2, 2);
	pkt->dst.port = ntohs(v16);
	memcpy(&v32, p + 4, 4);
	pkt->seq = ntohl(v32);
	memcpy(&v32, p + 8, 4);
	pkt->ack = ntohl(v32);
	doff = (size_t)(p[12] >> 4) * 4;
	pkt->flags = p[13];
	memcpy(&v16, p + 14, 2);
	pkt->win = ntohs(v16);
	if (doff < 20)
		return -EBADMSG;
	pkt->len = iplen > l4 + doff ? (uint32_t)(iplen - l4 - doff) : 0;
	if (doff > 20)
		nflog_tcp_opts(p + 20,
			       (l4 + doff <= n ? doff : n - l4) - 20,
			       pkt->opts, sizeof(pkt->opts));
	return 1;
}

/*
 * struct nflog_attrs - the attributes of one logged packet
 */
struct nflog_attrs {
	const struct nlattr *a[NFULA_MAX + 1];
	const char *end; /* the message's last byte + 1 (its nlmsg_len) */
};

/**
 * nflog_attr_cb() - libmnl callback: keep each known attribute
 * @attr:	the attribute
 * @data:	struct nflog_attrs
 *
 * Return: MNL_CB_OK, MNL_CB_ERROR for one that runs past the message.
 */
static int nflog_attr_cb(const struct nlattr *attr, void *data)
{
	struct nflog_attrs *at = data;
	uint16_t type = mnl_attr_get_type(attr);

	/*
	 * libmnl walks the attributes up to the message's length rounded up
	 * to 4: an attribute may reach up to 3 bytes past nlmsg_len, past the
	 * end of the buffer for the last message (a heap overflow read the
	 * NFLOG fuzz target found).  Only what lies inside the message counts.
	 */
	if ((const char *)attr + attr->nla_len > at->end)
		return MNL_CB_ERROR;
	if (type <= NFULA_MAX)
		at->a[type] = attr;
	return MNL_CB_OK;
}

/**
 * nflog_msg_decode() - one NFULNL_MSG_PACKET into a TL_DROP event
 * @nlh:	the message
 * @t_ns:	reception time
 * @ev:		filled in
 *
 * Return: 1 for an event, 0 for a message that is skipped, -EBADMSG.
 */
static int nflog_msg_decode(const struct nlmsghdr *nlh, uint64_t t_ns,
			    struct tl_event *ev)
{
	const struct nfulnl_msg_packet_hdr *ph;
	struct nflog_attrs at = { { NULL }, NULL };
	const char *prefix;
	unsigned id;
	int ret;

	if (nlh->nlmsg_type != ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET))
		return 0;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct nfgenmsg))
		return -EBADMSG;
	at.end = (const char *)nlh + nlh->nlmsg_len;
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), nflog_attr_cb, &at) <
	    0)
		return -EBADMSG;
	if (!at.a[NFULA_PREFIX] || !at.a[NFULA_PAYLOAD])
		return 0;
	if (mnl_attr_validate(at.a[NFULA_PREFIX], MNL_TYPE_NUL_STRING) < 0)
		return -EBADMSG;
	prefix = mnl_attr_get_str(at.a[NFULA_PREFIX]);
	if (rule_nflog_prefix_parse(prefix, &id))
		return 0;

	memset(ev, 0, sizeof(*ev));
	ev->t_ns = t_ns;
	ev->kind = TL_DROP;
	ev->node = -1;
	ev->peer = -1;
	ev->rule_id = id;
	ev->hook = -1;
	if (at.a[NFULA_PACKET_HDR]) {
		if (mnl_attr_get_payload_len(at.a[NFULA_PACKET_HDR]) <
		    sizeof(*ph))
			return -EBADMSG;
		ph = mnl_attr_get_payload(at.a[NFULA_PACKET_HDR]);
		if (ph->hook == NF_INET_LOCAL_IN)
			ev->hook = RULE_INPUT;
		else if (ph->hook == NF_INET_LOCAL_OUT)
			ev->hook = RULE_OUTPUT;
		else if (ph->hook == NF_INET_FORWARD)
			ev->hook = RULE_FORWARD;
	}
	ret = nflog_packet_decode(mnl_attr_get_payload(at.a[NFULA_PAYLOAD]),
				  mnl_attr_get_payload_len(at.a[NFULA_PAYLOAD]),
				  &ev->pkt);
	return ret;
}

/* What nflog_parse() walks with */
struct nflog_walk {
	uint64_t t_ns;
	nflog_cb cb;
	void *data;
	int count;
};

/**
 * nflog_msg() - one message: an event for the callback, or skipped
 * @nlh:	the message
 * @arg:	struct nflog_walk
 *
 * Return: 0, -EBADMSG, or the callback's negative value.
 */
static int nflog_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct nflog_walk *w = arg;
	struct tl_event ev;
	int ret = nflog_msg_decode(nlh, w->t_ns, &ev);

	if (ret <= 0)
		return ret;
	ret = w->cb ? w->cb(&ev, w->data) : 0;
	if (ret < 0)
		return ret;
	w->count++;
	return 0;
}

/**
 * nflog_parse() - decode a buffer of netlink messages into TL_DROP events
 * @buf:	the messages
 * @len:	bytes in @buf
 * @t_ns:	the time to stamp on every event
 * @cb:		called for each event
 * @data:	passed to @cb
 *
 * Return: the number of events, -EBADMSG, or @cb's negative value.
 */
int nflog_parse(const void *buf, size_t len, uint64_t t_ns, nflog_cb cb,
		void *data)
{
	struct nflog_walk w = { t_ns, cb, data, 0 };
	int ret = netlink_walk(buf, len, nflog_msg, &w);

	return ret < 0 ? ret : w.count;
}

/* -------------------------------------------------------------------- */
/* Kernel half                                                           */
/* -------------------------------------------------------------------- */

/**
 * nflog_answer() - keep the kernel's answer to a config message
 * @nlh:	the answer
 * @ack:	decoded
 * @arg:	int, set to its error (0 for an ACK)
 *
 * Return: 0
 */
static int nflog_answer(const struct nlmsghdr *nlh,
			const struct netlink_ack *ack, void *arg)
{
	(void)nlh;
	*(int *)arg = ack->error;
	return 0;
}

/**
 * nflog_bind() - bind and set up one group
 * @nl:		the listener
 * @group:	the group
 * @seq:	sequence number to use
 * @e:		what failed
 *
 * Return: 0 or -errno.
 */
static int nflog_bind(struct nflog *nl, uint16_t group, uint32_t seq,
		      struct err *e)
{
	union {
		struct nlmsghdr align;
		char b[256];
	} buf;
	int len, ret, answer = 0;
	/* other messages met meanwhile are skipped: at open time no rule
	 * logs to our groups yet */
	struct netlink_conv c = { .seq = seq, .nseq = 1, .answers = 1,
				  .ack = nflog_answer, .arg = &answer };
	struct iovec iov = { .iov_base = buf.b };

	len = nflog_config_build(buf.b, sizeof(buf), group, seq);
	if (len < 0)
		return err_set(e, len, "nflog: cannot build a config message");
	iov.iov_len = (size_t)len;
	ret = netlink_send(nl->fd, &iov, 1);
	if (ret)
		return err_set(e, ret, "nflog: cannot send to the kernel: %s",
			       strerror(-ret));
	ret = netlink_recv_run(nl->fd, &c, NULL);
	if (ret)
		return err_set(e, ret,
			       "nflog: no answer from the kernel binding group "
			       "%u: %s", group, strerror(-ret));
	switch (answer) {
	case 0:
		return 0;
	case -EBUSY:
		return err_set(e, answer,
			       "nflog: group %u is already bound by another "
			       "listener in the lab namespace", group);
	case -EPERM:
	case -ENOENT:
	case -EOPNOTSUPP:
	case -EPROTONOSUPPORT:
		return err_env(e, answer,
			       "nflog: cannot bind group %u: %s (no "
			       "nfnetlink_log in this kernel, or no "
			       "CAP_NET_ADMIN?)", group, strerror(-answer));
	}
	return err_set(e, answer, "nflog: cannot bind group %u: %s", group,
		       strerror(-answer));
}

/**
 * nflog_open() - listen to NFLOG groups in a namespace
 * @out:	set to the listener on success
 * @nsfd:	the node's namespace
 * @groups:	the groups, 1..65535
 * @n:		how many
 * @e:		what failed
 *
 * Return: 0 or -errno.
 */
int nflog_open(struct nflog **out, int nsfd, const uint16_t *groups,
	       size_t n, struct err *e)
{
	uint32_t seq = netlink_seq_next((uint32_t)n);
	struct nflog *nl;
	int ret;
	size_t i;

	for (i = 0; i < n; i++)
		if (!groups[i])
			return err_set(e, -EINVAL, "nflog: group 0 is not a "
				       "group tcplab can listen to");
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return err_set(e, -ENOMEM, "nflog: out of memory");
	nl->fd = netlink_open(nsfd, NETLINK_NETFILTER, e);
	if (nl->fd < 0) {
		ret = nl->fd;
		err_prefix(e, "nflog");
		goto free_nl;
	}
	netlink_bufsize(nl->fd, SO_RCVBUF, NFLOG_RCVBUF);
	for (i = 0; i < n; i++) {
		ret = nflog_bind(nl, groups[i], seq + (uint32_t)i, e);
		if (ret)
			goto close_fd;
	}
	*out = nl;
	return 0;

close_fd:
	close(nl->fd); /* the kernel unbinds a closed socket's groups */
free_nl:
	free(nl);
	return ret;
}

/**
 * nflog_fd() - the listener's socket, for poll()
 * @nl:		the listener
 *
 * Return: the descriptor.
 */
int nflog_fd(const struct nflog *nl)
{
	return nl->fd;
}

/* What nflog_read() hands each datagram to nflog_parse() with */
struct nflog_read {
	nflog_cb cb;
	void *data;
};

/**
 * nflog_datagram() - decode one received datagram, stamped now
 * @buf:	the datagram
 * @len:	its length
 * @arg:	struct nflog_read
 *
 * Return: the number of events, or -errno.
 */
static int nflog_datagram(const void *buf, size_t len, void *arg)
{
	struct nflog_read *r = arg;

	return nflog_parse(buf, len, util_now_ns(), r->cb, r->data);
}

/**
 * nflog_read() - decode everything queued on the socket now
 * @nl:		the listener
 * @cb:		called for each event
 * @data:	passed to @cb
 *
 * A full receive queue (ENOBUFS: the kernel dropped log messages) is
 * counted (nflog_lost()) and reading goes on.
 *
 * Return: the number of events, or -errno, or @cb's negative value.
 */
int nflog_read(struct nflog *nl, nflog_cb cb, void *data)
{
	struct nflog_read r = { cb, data };

	return netlink_read(nl->fd, nflog_datagram, &r, &nl->lost);
}

/**
 * nflog_lost() - ENOBUFS seen since open
 * @nl:		the listener
 *
 * Return: the count.
 */
unsigned nflog_lost(const struct nflog *nl)
{
	return nl->lost;
}

/**
 * nflog_close() - close the listener
 * @nl:		the listener (NULL is fine)
 *
 * Closing the socket unbinds its groups in the kernel.
 */
void nflog_close(struct nflog *nl)
{
	if (!nl)
		return;
	close(nl->fd);
	free(nl);
}
