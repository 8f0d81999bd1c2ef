// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diag.c - TCP socket snapshots through sock_diag (see diag.h)
 *
 * Theory of operation
 *
 * A snapshot is two inet_diag dumps, AF_INET then AF_INET6, sent on one
 * NETLINK_SOCK_DIAG socket.  Each dump is a SOCK_DIAG_BY_FAMILY request
 * with NLM_F_DUMP; the kernel answers with datagrams holding one
 * SOCK_DIAG_BY_FAMILY message per socket (struct inet_diag_msg followed by
 * attributes) and ends with NLMSG_DONE, or fails with NLMSG_ERROR.
 *
 * The decoder, diag_parse(), walks a buffer of such messages and appends
 * one struct diag_sock per socket.  It never looks at a socket, so the
 * files that `ss -t -a -D FILE` writes (iproute2 copies every datagram it
 * receives, unchanged, into FILE: the IPv4 dump with its NLMSG_DONE, then
 * the IPv6 one) decode exactly as live replies do.  An NLMSG_DONE does not
 * end the walk: the whole buffer is decoded and 1 is returned if a DONE was
 * among it.  A fault leaves the set as it was before the call.
 *
 * What the kernel reports, and how it lands in struct diag_sock:
 *  - full sockets carry an inode (0 once orphaned by close()), tcp_info
 *    (INET_DIAG_INFO, when asked for) and INET_DIAG_SHUTDOWN;
 *  - TIME_WAIT sockets, including the FIN_WAIT2 state of an orphaned socket
 *    (a timewait socket whose substate is FIN_WAIT2), carry inode 0, timer
 *    "timewait" and no tcp_info;
 *  - request sockets (the server side of a handshake in progress) are
 *    reported in state SYN_RECV with inode 0 and no tcp_info.  The kernel
 *    keeps them as TCP_NEW_SYN_RECV internally; should that value ever show
 *    in a reply it is folded into SYN_RECV;
 *  - the tcp_info the kernel sends grows with each release and may be
 *    longer or shorter than the struct tcp_info of the headers tcplab was
 *    built with: only the common prefix is copied, the rest reads as 0;
 *  - the socket cookie (two u32 words, low word first) identifies a socket
 *    among others with the same 4-tuple; diag_destroy() sends it back.
 *
 * diag_snapshot() is called in tight polling loops, so it allocates nothing
 * but the growth of the set: the conversation is netlink_talk()'s (one
 * receive buffer on the stack, one recv() per datagram when the kernel has
 * it queued, which it has).  Messages whose sequence number is not that of
 * the current request (leftovers of an earlier dump that was cut short) are
 * skipped.  When a dump fails half-way, what the kernel still has queued
 * is drained, so that the next request on the socket does not meet EBUSY.
 * The decoding of a recording, diag_parse(), hands the messages out with
 * the same netlink_dispatch(), taking every sequence number.
 *
 * What a snapshot costs is the kernel's walk, not the decoding.  A dump
 * visits every bucket of the TCP established hash table (for any state but
 * LISTEN) and every socket of the listening hash (for LISTEN).  The
 * established table is shared by all namespaces (262144 buckets on a 24 GiB
 * machine: about 1 ms per dump) unless the namespace got one of its own
 * when it was created, which net.ipv4.tcp_child_ehash_entries (Linux 6.1)
 * of the namespace that creates it asks for; with 256 buckets a dump of a
 * quiet namespace takes some 15 us.  The listening hash (and the bind hash
 * that TCP_BOUND_INACTIVE would walk, which tcplab never asks for) is the
 * machine's, whatever the namespace: each listener of every namespace is
 * visited and skipped, 1.5 ms a dump for 100,000 listeners held elsewhere
 * on an idle machine, many times that under load.  So diag_query() can
 * leave LISTEN out of the dump and look up the listeners the caller knows
 * of by port instead: a lookup hashes namespace, address and port, and
 * costs the same whatever other namespaces hold.  A dump of both families
 * is one walk (TCPDIAG_GETSOCK), not two.  A query of one family sends
 * its lookups and its dump in one datagram, the dump last (the kernel
 * serves a datagram's requests in order and starts a dump at once), so
 * that one system call asks for what a look needs.
 */
#include "diag.h"
#include "netlink.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* Every state, NEW_SYN_RECV included, so that request sockets are listed */
#define DIAG_ALL_STATES ((1U << DIAG_STATE_MAX) - 1)

/* What a dump asks for besides the socket itself: tcp_info and the name of
 * the congestion control (INET_DIAG_SHUTDOWN comes without asking) */
#define DIAG_EXT_INFO (1U << (INET_DIAG_INFO - 1) | 1U << (INET_DIAG_CONG - 1))

/* Listening ports looked up in one datagram */
#define DIAG_LOOKUP_BATCH 32

/* Room for one request, a dump or a lookup */
#define DIAG_DUMP_REQ_SIZE 128

/* SOCK_DESTROY requests sent in one datagram before their ACKs are read */
#define DIAG_DESTROY_BATCH 32

/* Buffer for a batch of SOCK_DESTROY requests */
#define DIAG_ACK_SIZE 8192

/**
 * diag_req_put() - start a sock_diag request with its inet_diag_req_v2
 * @buf:	where to write, at least diag_req_size() bytes
 * @type:	SOCK_DIAG_BY_FAMILY or SOCK_DESTROY
 * @flags:	NLM_F_* besides NLM_F_REQUEST
 * @family:	AF_INET or AF_INET6
 * @seq:	sequence number
 *
 * Return: the request header, zeroed but for what is set here
 */
static struct inet_diag_req_v2 *diag_req_put(void *buf, uint16_t type,
					     uint16_t flags, int family,
					     uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	return req;
}

/**
 * diag_req_size() - length of a request built by diag_req_put()
 *
 * Return: bytes
 */
static size_t diag_req_size(void)
{
	return MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_req_v2));
}

/**
 * diag_request_build() - write a TCP dump request for one address family
 * @buf:	destination, 4-byte aligned, at least 256 bytes
 * @len:	size of @buf
 * @family:	AF_INET or AF_INET6
 * @seq:	sequence number the replies will carry
 *
 * Asks for sockets in every state (request sockets included), with
 * tcp_info and the congestion control name; INET_DIAG_SHUTDOWN comes
 * without asking.
 *
 * Return: length of the request, 0 if @len is too small or @family unknown
 */
size_t diag_request_build(void *buf, size_t len, int family, uint32_t seq)
{
	struct inet_diag_req_v2 *req;

	if (len < diag_req_size() || (family != AF_INET && family != AF_INET6))
		return 0;
	req = diag_req_put(buf, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, family, seq);
	req->idiag_states = DIAG_ALL_STATES;
	req->idiag_ext = DIAG_EXT_INFO;
	req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return ((const struct nlmsghdr *)buf)->nlmsg_len;
}

/**
 * diag_destroy_build() - write a SOCK_DESTROY request for one socket
 * @buf:	destination, 4-byte aligned, at least 256 bytes
 * @len:	size of @buf
 * @s:		the socket, as a snapshot reported it
 * @seq:	sequence number the ACK will carry
 *
 * Return: length of the request, 0 if @len is too small or @s has no
 * known family
 */
size_t diag_destroy_build(void *buf, size_t len, const struct diag_sock *s,
			  uint32_t seq)
{
	struct inet_diag_req_v2 *req;
	size_t alen;

	if (len < diag_req_size() ||
	    (s->src.family != AF_INET && s->src.family != AF_INET6))
		return 0;
	req = diag_req_put(buf, SOCK_DESTROY, NLM_F_ACK, s->src.family, seq);
	req->idiag_states = s->state < 32 ? 1U << s->state : 0;
	alen = s->src.family == AF_INET ? sizeof(struct in_addr)
					: sizeof(struct in6_addr);
	memcpy(req->id.idiag_src, &s->src.v6, alen);
	memcpy(req->id.idiag_dst, &s->dst.v6, alen);
	req->id.idiag_sport = htons(s->src.port);
	req->id.idiag_dport = htons(s->dst.port);
	req->id.idiag_if = s->ifindex;
	req->id.idiag_cookie[0] = (uint32_t)s->cookie;
	req->id.idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	return ((const struct nlmsghdr *)buf)->nlmsg_len;
}

/**
 * diag_set_slot() - make room for one more socket at the end of @s
 * @s:		the set
 *
 * Return: the new (not yet counted) slot, or NULL when out of memory
 */
static struct diag_sock *diag_set_slot(struct diag_set *s)
{
	if (util_grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v), 32))
		return NULL;
	return &s->v[s->n];
}

/**
 * diag_info_copy() - keep the fields tcplab reports of a kernel tcp_info
 * @d:		destination
 * @data:	INET_DIAG_INFO payload
 * @len:	its length, which need not match sizeof(struct tcp_info)
 */
static void diag_info_copy(struct diag_tcpinfo *d, const void *data,
			   size_t len)
{
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	memcpy(&ti, data, len < sizeof(ti) ? len : sizeof(ti));

	d->ca_state = ti.tcpi_ca_state;
	d->retransmits = ti.tcpi_retransmits;
	d->probes = ti.tcpi_probes;
	d->backoff = ti.tcpi_backoff;
	d->options = ti.tcpi_options;
	d->rto_us = ti.tcpi_rto;
	d->ato_us = ti.tcpi_ato;
	d->snd_mss = ti.tcpi_snd_mss;
	d->rcv_mss = ti.tcpi_rcv_mss;
	d->unacked = ti.tcpi_unacked;
	d->lost = ti.tcpi_lost;
	d->retrans = ti.tcpi_retrans;
	d->total_retrans = ti.tcpi_total_retrans;
	d->rtt_us = ti.tcpi_rtt;
	d->rttvar_us = ti.tcpi_rttvar;
	d->snd_cwnd = ti.tcpi_snd_cwnd;
	d->snd_ssthresh = ti.tcpi_snd_ssthresh;
	d->bytes_acked = ti.tcpi_bytes_acked;
	d->bytes_received = ti.tcpi_bytes_received;
	d->segs_out = ti.tcpi_segs_out;
	d->segs_in = ti.tcpi_segs_in;
	d->last_data_sent_ms = ti.tcpi_last_data_sent;
	d->last_data_recv_ms = ti.tcpi_last_data_recv;
	d->snd_wnd = ti.tcpi_snd_wnd;
	/* tcpi_rcv_wnd (Linux 6.2) follows tcpi_snd_wnd; older headers
	 * lack it, so it is read at its place */
	{
		size_t at = offsetof(struct tcp_info, tcpi_snd_wnd) +
			    sizeof(ti.tcpi_snd_wnd);
		uint32_t w;

		d->has_rcv_wnd = len >= at + sizeof(w);
		if (d->has_rcv_wnd) {
			memcpy(&w, (const uint8_t *)data + at, sizeof(w));
			d->rcv_wnd = w;
		}
	}
}

/**
 * diag_attr() - decode one attribute of an inet_diag_msg into @s
 * @a:		the attribute, already checked to fit in its message
 * @s:		socket being filled
 *
 * Attributes tcplab does not use (memory, marks, cgroup ...) are skipped.
 *
 * Return: 0, or -EBADMSG when a known attribute is too short
 */
static int diag_attr(const struct nlattr *a, struct diag_sock *s)
{
	size_t len = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);

	switch (mnl_attr_get_type(a)) {
	case INET_DIAG_INFO:
		diag_info_copy(&s->info, p, len);
		s->has_info = 1;
		break;
	case INET_DIAG_SHUTDOWN:
		if (len < 1)
			return -EBADMSG;
		s->shutdown = mnl_attr_get_u8(a);
		break;
	case INET_DIAG_CONG:
		len = strnlen(p, len);
		if (len >= sizeof(s->cong))
			len = sizeof(s->cong) - 1;
		memcpy(s->cong, p, len);
		s->cong[len] = '\0';
		break;
	}
	return 0;
}

/**
 * diag_addr_set() - fill a diag_addr from an inet_diag_sockid half
 * @a:		destination
 * @family:	AF_INET or AF_INET6
 * @addr:	idiag_src or idiag_dst
 * @port:	idiag_sport or idiag_dport, network order
 */
static void diag_addr_set(struct diag_addr *a, int family,
			  const uint32_t *addr, uint16_t port)
{
	a->family = family;
	if (family == AF_INET)
		memcpy(&a->v4, addr, sizeof(a->v4));
	else
		memcpy(&a->v6, addr, sizeof(a->v6));
	a->port = ntohs(port);
}

/**
 * diag_sock_parse() - decode one SOCK_DIAG_BY_FAMILY message into @out
 * @nlh:	the message, whose length fits its buffer
 * @out:	set the socket is appended to
 *
 * Return: 0, -EBADMSG if malformed, -ENOMEM
 */
static int diag_sock_parse(const struct nlmsghdr *nlh, struct diag_set *out)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *a;
	struct diag_sock *s;
	int rem;

	if (plen < sizeof(*m))
		return -EBADMSG;
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return -EBADMSG;
	s = diag_set_slot(out);
	if (!s)
		return -ENOMEM;

	memset(s, 0, sizeof(*s));
	s->state = m->idiag_state == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV
						       : m->idiag_state;
	s->timer = m->idiag_timer;
	s->retrans = m->idiag_retrans;
	s->expires_ms = m->idiag_expires;
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	s->uid = m->idiag_uid;
	s->inode = m->idiag_inode;
	s->cookie = (uint64_t)m->id.idiag_cookie[0] |
		    (uint64_t)m->id.idiag_cookie[1] << 32;
	s->ifindex = m->id.idiag_if;
	diag_addr_set(&s->src, m->idiag_family, m->id.idiag_src,
		      m->id.idiag_sport);
	diag_addr_set(&s->dst, m->idiag_family, m->id.idiag_dst,
		      m->id.idiag_dport);
	s->shutdown = 0xff;

	a = (const struct nlattr *)((const char *)m + MNL_ALIGN(sizeof(*m)));
	rem = (int)plen - (int)MNL_ALIGN(sizeof(*m));
	while (rem >= (int)sizeof(struct nlattr)) {
		int r;

		if (!mnl_attr_ok(a, rem))
			return -EBADMSG;
		r = diag_attr(a, s);
		if (r)
			return r;
		rem -= (int)MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	out->n++;
	return 0;
}

/* What a walk over inet_diag replies keeps */
struct diag_walk {
	struct diag_set *out;
	int done;        /* an NLMSG_DONE was seen */
	int first_err;   /* lookups: the first error but "no such socket" */
	int family;      /* lookups: the family asked for, 0 for both */
	int dumping;     /* lookups: a dump was sent with them ... */
	uint32_t dump_seq; /* ... whose answers carry this number */
};

/**
 * diag_msg() - one reply that is not an answer: a socket
 * @nlh:	the message
 * @arg:	struct diag_walk
 *
 * Return: 0, or -EBADMSG (another type, or malformed)
 */
static int diag_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct diag_walk *w = arg;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY &&
	    nlh->nlmsg_type != TCPDIAG_GETSOCK)
		return -EBADMSG;
	return diag_sock_parse(nlh, w->out);
}

/**
 * diag_end() - an end of dump or an error
 * @nlh:	the message
 * @ack:	decoded
 * @arg:	struct diag_walk
 *
 * Return: 0, or the error it carries
 */
static int diag_end(const struct nlmsghdr *nlh, const struct netlink_ack *ack,
		    void *arg)
{
	struct diag_walk *w = arg;

	(void)nlh;
	if (ack->error)
		return ack->error;
	if (ack->type == NLMSG_DONE)
		w->done = 1;
	return 0;
}

/**
 * diag_parse() - decode a buffer of inet_diag replies (live or `ss -D`)
 * @buf:	netlink messages, 4-byte aligned
 * @len:	bytes in @buf
 * @out:	set the sockets are appended to
 *
 * Every message counts, whatever its sequence number, and an NLMSG_DONE
 * does not end the walk: a recording holds two dumps.
 *
 * Return: 1 when NLMSG_DONE was seen, 0 when more is expected, or -errno
 * (a reply error, or -EBADMSG for a malformed or truncated message; @out
 * is then left as it was)
 */
int diag_parse(const void *buf, size_t len, struct diag_set *out)
{
	struct diag_walk w = { .out = out };
	struct netlink_conv c = { .data = diag_msg, .ack = diag_end,
				  .arg = &w };
	size_t n0 = out->n;
	int r = netlink_dispatch(&c, buf, len, NULL);

	if (r < 0) {
		out->n = n0;
		return r;
	}
	return w.done;
}

/**
 * diag_dump_put() - write an inet_diag dump request
 * @buf:	destination, 4-byte aligned, DIAG_DUMP_REQ_SIZE bytes
 * @family:	AF_INET or AF_INET6; 0 for both at once (see below)
 * @states:	bit (1 << state) per wanted state, never 0
 * @ext:	idiag_ext: what to add to each socket (DIAG_EXT_INFO or 0)
 * @seq:	sequence number
 *
 * Both families are one walk of the kernel's tables when the request is
 * the old TCPDIAG_GETSOCK one (struct inet_diag_req), which the kernel
 * still serves as a dump of every family (sdiag_family AF_UNSPEC): the
 * listening hash, shared by every namespace, is then walked once, not
 * once per family.
 *
 * Return: the request's length
 */
static size_t diag_dump_put(void *buf, int family, uint32_t states,
			    uint8_t ext, uint32_t seq)
{
	struct nlmsghdr *nlh = buf;
	struct inet_diag_req *r;

	if (family) {
		struct inet_diag_req_v2 *r2;

		diag_request_build(buf, DIAG_DUMP_REQ_SIZE, family, seq);
		r2 = mnl_nlmsg_get_payload(nlh);
		r2->idiag_states = states;
		r2->idiag_ext = ext;
		return nlh->nlmsg_len;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->idiag_states = states;
	r->idiag_ext = ext;
	r->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	r->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return nlh->nlmsg_len;
}

/**
 * diag_dump() - run one inet_diag dump and decode it
 * @nlfd:	NETLINK_SOCK_DIAG socket
 * @family:	AF_INET or AF_INET6; 0 for both at once (diag_dump_put())
 * @states:	bit (1 << state) per wanted state, never 0
 * @ext:	idiag_ext: what to add to each socket (DIAG_EXT_INFO or 0)
 * @out:	set the sockets are appended to
 *
 * Return: 0 or -errno
 */
static int diag_dump(int nlfd, int family, uint32_t states, uint8_t ext,
		     struct diag_set *out)
{
	union {
		struct nlmsghdr align;
		char b[DIAG_DUMP_REQ_SIZE];
	} req;
	uint32_t seq = netlink_seq_next(1);
	struct diag_walk w = { .out = out };
	struct netlink_conv c = { .seq = seq, .nseq = 1, .answers = 1,
				  .data = diag_msg, .ack = diag_end,
				  .arg = &w };
	size_t qlen = diag_dump_put(req.b, family, states, ext, seq);

	return netlink_talk(nlfd, req.b, qlen, &c, NULL);
}

/**
 * diag_lookup_msg() - a socket a lookup found, or one of the dump sent
 * with the lookups
 * @nlh:	the message
 * @arg:	struct diag_walk
 *
 * What a lookup finds that is not a listener of the family asked for is
 * dropped.
 *
 * Return: 0, or -EBADMSG, -ENOMEM
 */
static int diag_lookup_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct diag_walk *w = arg;
	const struct diag_sock *s;
	int r = diag_msg(nlh, arg);

	if (r || (w->dumping && nlh->nlmsg_seq == w->dump_seq))
		return r;
	s = &w->out->v[w->out->n - 1];
	if (s->state != DIAG_LISTEN ||
	    (w->family && s->src.family != w->family))
		w->out->n--;
	return 0;
}

/**
 * diag_lookup_ack() - account for one lookup's end, or the dump's
 * @nlh:	the message
 * @ack:	decoded
 * @arg:	struct diag_walk
 *
 * Return: 0; 1 at the end of the dump sent with the lookups; or the
 * dump's error
 */
static int diag_lookup_ack(const struct nlmsghdr *nlh,
			   const struct netlink_ack *ack, void *arg)
{
	struct diag_walk *w = arg;
	int r;

	if (w->dumping && nlh->nlmsg_seq == w->dump_seq) {
		r = diag_end(nlh, ack, arg);
		return r ? r : w->done; /* its end is the conversation's */
	}
	if (ack->error && ack->error != -ENOENT && !w->first_err)
		w->first_err = ack->error;
	return 0;
}

/**
 * diag_lookup_listeners() - the listening sockets on some ports, one by
 * one, and with them the dump of the other states
 * @nlfd:	NETLINK_SOCK_DIAG socket
 * @q:		the query: its family (0: both) and ports
 * @dump:	states to dump with the last lookups, or 0; ignored when
 *		@q->family is 0 (diag_query() dumps both families at once)
 * @ext:	idiag_ext
 * @out:	set the sockets are appended to
 *
 * Each port is a SOCK_DIAG_BY_FAMILY request without NLM_F_DUMP for the
 * local wildcard address and that port, no peer: the kernel looks it up
 * as it would for an arriving SYN (its established hash, then its
 * listening hash by namespace, address and port), so the cost does not
 * depend on how many sockets other namespaces hold.  The requests carry
 * NLM_F_ACK: a found socket is its message then an ACK, a port nobody
 * listens on an ENOENT, so each request has exactly one answer.  A port
 * named twice is asked for once.  What the lookup finds that is not a
 * listener of the family asked for is dropped.
 *
 * The dump of @dump goes in the datagram of the last lookups, after them:
 * the kernel answers the requests of a datagram in their order, a dump
 * with its first part at once and the rest as the replies are read, so
 * one sendmsg() and the receives of one conversation do what two did.
 * Those lookups then go without NLM_F_ACK: what answers them (a socket,
 * or an error for a port nobody listens on) is queued before the dump's
 * first part, and the dump's end ends the conversation - one datagram
 * less to receive for each listener found.
 *
 * Return: 0 or -errno
 */
static int diag_lookup_listeners(int nlfd, const struct diag_query *q,
				 uint32_t dump, uint8_t ext,
				 struct diag_set *out)
{
	union {
		struct nlmsghdr align;
		char b[DIAG_LOOKUP_BATCH * 128 + DIAG_DUMP_REQ_SIZE];
	} buf;
	static const int fams[2] = { AF_INET, AF_INET6 };
	const size_t step = MNL_ALIGN(diag_req_size());
	struct diag_walk w = { .out = out, .family = q->family };
	size_t i = 0;
	int f;

	if (!q->family)
		dump = 0; /* both families: diag_query() dumps them at once */
	for (f = 0; f < 2; f++) {
		if (q->family && q->family != fams[f])
			continue;
		for (i = 0; i < q->nlports;) {
			uint32_t seq = netlink_seq_next(DIAG_LOOKUP_BATCH + 1);
			struct netlink_conv c = { .seq = seq,
						  .data = diag_lookup_msg,
						  .ack = diag_lookup_ack,
						  .arg = &w };
			unsigned int n = 0, k;
			size_t off = 0;
			int r;

			for (; i < q->nlports && n < DIAG_LOOKUP_BATCH; i++) {
				struct inet_diag_req_v2 *req;
				size_t j;

				for (j = 0; j < i; j++)
					if (q->lports[j] == q->lports[i])
						break;
				if (j < i)
					continue; /* asked already */
				req = diag_req_put(buf.b + off, SOCK_DIAG_BY_FAMILY,
						   NLM_F_ACK, fams[f], seq + n);
				req->idiag_states = 1U << DIAG_LISTEN;
				req->idiag_ext = ext;
				req->id.idiag_sport = htons(q->lports[i]);
				req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
				req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
				off += step;
				n++;
			}
			c.nseq = c.answers = n;
			if (i == q->nlports && dump) {
				/* the last lookups: the dump goes with them,
				 * and its end ends the conversation */
				for (k = 0; k < n; k++)
					((struct nlmsghdr *)(buf.b + k * step))
						->nlmsg_flags &= ~NLM_F_ACK;
				w.dumping = 1;
				w.dump_seq = seq + n;
				off += MNL_ALIGN(diag_dump_put(buf.b + off,
							       q->family, dump,
							       ext, seq + n));
				c.nseq = n + 1;
				c.answers = 0;
			}
			if (!off)
				break;
			r = netlink_talk(nlfd, buf.b, off, &c, NULL);
			if (r < 0)
				return r;
		}
	}
	if (dump && !w.dumping)
		return diag_dump(nlfd, q->family, dump, ext, out);
	return w.first_err;
}

/**
 * diag_family_order() - IPv4 sockets first, then IPv6, each in the order
 * the kernel gave them (one dump of both families interleaves them)
 * @s:		the set
 *
 * Return: 0, or -ENOMEM (the set is then as it was)
 */
static int diag_family_order(struct diag_set *s)
{
	struct diag_sock *v6;
	size_t k, n4 = 0, n6 = 0;

	for (k = 0; k < s->n; k++)
		if (s->v[k].src.family == AF_INET6)
			n6++;
		else if (n6)
			break;
	if (k == s->n)
		return 0; /* already in order */
	v6 = malloc(n6 * sizeof(*v6) + (s->n - k) * sizeof(*v6));
	if (!v6)
		return -ENOMEM;
	n6 = 0;
	for (k = 0; k < s->n; k++)
		if (s->v[k].src.family == AF_INET6)
			v6[n6++] = s->v[k];
		else
			s->v[n4++] = s->v[k];
	memcpy(s->v + n4, v6, n6 * sizeof(*v6));
	free(v6);
	return 0;
}

/**
 * diag_query() - the TCP sockets a query asks for (see diag.h)
 * @nlfd:	NETLINK_SOCK_DIAG socket opened inside a node's namespace
 * @q:		what is asked
 * @out:	cleared, then filled
 *
 * What the kernel walks for a dump: the listening hash when LISTEN is
 * asked for, then the established hash (request sockets and TIME_WAIT
 * included) for any other state.  The established hash is the
 * namespace's own when it was created with net.ipv4.tcp_child_ehash_entries
 * in force, the listening hash never is: every listener of the machine is
 * visited (and skipped if of another namespace) for each dump that asks for
 * LISTEN.  So when the caller knows the ports its listeners can be on
 * (@q->lports_known), LISTEN is left out of the dump and each port is a
 * lookup instead, and a query that asks for LISTEN alone makes no dump.
 *
 * Return: 0 or -errno (@out is then empty)
 */
int diag_query(int nlfd, const struct diag_query *q, struct diag_set *out)
{
	uint32_t states = q->states ? q->states : DIAG_ALL_STATES;
	uint8_t ext = q->no_info ? 0 : DIAG_EXT_INFO;
	uint32_t dump;
	int r = 0;

	if (states & (1U << DIAG_SYN_RECV))
		states |= 1U << DIAG_NEW_SYN_RECV;
	dump = states;
	diag_set_clear(out);
	if (q->lports_known && (states & (1U << DIAG_LISTEN))) {
		dump &= ~(1U << DIAG_LISTEN);
		if (q->nlports) {
			/* one family: the dump goes with the lookups */
			r = diag_lookup_listeners(nlfd, q, dump, ext, out);
			if (q->family)
				dump = 0;
		}
	}
	if (!r && dump) {
		if (q->family == AF_INET || q->family == AF_INET6) {
			r = diag_dump(nlfd, q->family, dump, ext, out);
		} else {
			size_t n0 = out->n;

			r = diag_dump(nlfd, 0, dump, ext, out);
			if (r == -EINVAL || r == -EOPNOTSUPP) {
				/* no TCPDIAG_GETSOCK here: a dump a family */
				out->n = n0;
				r = diag_dump(nlfd, AF_INET, dump, ext, out);
				if (!r)
					r = diag_dump(nlfd, AF_INET6, dump,
						      ext, out);
			}
		}
	}
	if (!r && !q->family)
		r = diag_family_order(out);
	if (r)
		diag_set_clear(out);
	return r;
}

/**
 * diag_snapshot() - every TCP socket visible to @nlfd, IPv4 then IPv6
 * @nlfd:	NETLINK_SOCK_DIAG socket opened inside a node's namespace
 * @out:	cleared, then filled
 *
 * Return: 0 or -errno (@out is then empty)
 */
int diag_snapshot(int nlfd, struct diag_set *out)
{
	struct diag_query q = { 0 };

	return diag_query(nlfd, &q, out);
}

/**
 * diag_snapshot_filter() - like diag_snapshot(), for some states only
 * @nlfd:	NETLINK_SOCK_DIAG socket opened inside a node's namespace
 * @family:	AF_INET, AF_INET6, or 0 for both
 * @states:	bit (1 << state) per wanted state, 0 for all
 * @out:	cleared, then filled
 *
 * The kernel filters by state while it walks its tables, and skips the
 * listening table (shared by every namespace) unless LISTEN is wanted: a
 * poll for one state costs a fraction of a full dump.  Asking for SYN_RECV
 * includes request sockets (NEW_SYN_RECV).
 *
 * Return: 0 or -errno (@out is then empty)
 */
int diag_snapshot_filter(int nlfd, int family, uint32_t states,
			 struct diag_set *out)
{
	struct diag_query q = { .family = family, .states = states };

	return diag_query(nlfd, &q, out);
}

/**
 * diag_destroyable() - whether SOCK_DESTROY is sent for @s
 * @s:		socket from a snapshot
 *
 * TIME_WAIT sockets (the orphaned FIN_WAIT2 ones among them, recognised by
 * their timewait timer) and request sockets (SYN_RECV with inode 0) are not
 * full sockets and are left to expire.
 *
 * Return: 1 or 0
 */
static int diag_destroyable(const struct diag_sock *s)
{
	if (s->state == DIAG_TIME_WAIT || s->timer == DIAG_TIMER_TIMEWAIT)
		return 0;
	if (s->state == DIAG_SYN_RECV && !s->inode)
		return 0;
	return 1;
}

/* The ACKs of a batch of SOCK_DESTROY requests */
struct diag_acks {
	int destroyed;
	int first_err;  /* the first error that is not "socket already gone" */
};

/**
 * diag_ack() - account for one SOCK_DESTROY answer
 * @nlh:	the message
 * @ack:	decoded
 * @arg:	struct diag_acks
 *
 * Return: 0
 */
static int diag_ack(const struct nlmsghdr *nlh, const struct netlink_ack *ack,
		    void *arg)
{
	struct diag_acks *a = arg;

	(void)nlh;
	if (!ack->error)
		a->destroyed++;
	else if (ack->error != -ENOENT && ack->error != -ESTALE &&
		 !a->first_err)
		a->first_err = ack->error;
	return 0;
}

/**
 * diag_destroy_some() - SOCK_DESTROY the sockets of @set
 * @nlfd:	NETLINK_SOCK_DIAG socket in the namespace of the sockets
 * @set:	a snapshot taken on @nlfd
 * @all:	request sockets and TIME_WAIT too (else full sockets only)
 *
 * Requests go out in batches, each socket named by its 4-tuple, bound
 * device and cookie; every ACK is read.  A socket that is gone meanwhile
 * (ENOENT) or was replaced by another with the same 4-tuple (ESTALE) is
 * not counted and not an error.
 *
 * Return: sockets destroyed, or the first other -errno (EPERM without
 * CAP_NET_ADMIN, EOPNOTSUPP without CONFIG_INET_DIAG_DESTROY)
 */
static int diag_destroy_some(int nlfd, const struct diag_set *set, int all)
{
	union {
		struct nlmsghdr align;
		char b[DIAG_ACK_SIZE];
	} buf;
	struct diag_acks acks = { 0, 0 };
	size_t i = 0;

	while (i < set->n) {
		uint32_t seq = netlink_seq_next(DIAG_DESTROY_BATCH);
		struct netlink_conv c = { .seq = seq, .ack = diag_ack,
					  .arg = &acks };
		unsigned int n = 0;
		size_t off = 0;
		int r;

		for (; i < set->n && n < DIAG_DESTROY_BATCH; i++) {
			size_t l;

			if (!all && !diag_destroyable(&set->v[i]))
				continue;
			l = diag_destroy_build(buf.b + off, sizeof(buf) - off,
					       &set->v[i], seq + n);
			if (!l)
				continue;
			off += MNL_ALIGN(l);
			n++;
		}
		if (!n)
			break;
		c.nseq = c.answers = n;
		r = netlink_talk(nlfd, buf.b, off, &c, NULL);
		if (r < 0)
			return r;
	}
	return acks.first_err ? acks.first_err : acks.destroyed;
}

int diag_destroy(int nlfd, const struct diag_set *set)
{
	return diag_destroy_some(nlfd, set, 0);
}

int diag_destroy_all(int nlfd, const struct diag_set *set)
{
	return diag_destroy_some(nlfd, set, 1);
}
