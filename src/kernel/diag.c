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
 * but the growth of the set: one receive buffer on the stack, a blocking
 * recv() per datagram.  Messages whose sequence number is not that of the
 * current request (leftovers of an earlier dump that was cut short) are
 * skipped.  When a dump fails half-way, what the kernel still has queued
 * is drained, so that the next request on the socket does not meet EBUSY.
 *
 * What a snapshot costs is the kernel's walk, not the decoding: each dump
 * visits every bucket of the TCP established hash table and of the
 * listening hash, whatever the namespace holds.  The established table is
 * shared by all namespaces (262144 buckets on a 24 GiB machine: about 1 ms
 * per dump) unless the namespace got one of its own when it was created,
 * which net.ipv4.tcp_child_ehash_entries (Linux 6.1) of the namespace that
 * creates it asks for; with 256 buckets a snapshot of a quiet namespace
 * takes some 25 us, most of it syscalls and the shared listening hash.
 */
#include "diag.h"
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

/* Receive buffer: the kernel never builds dump datagrams above 32 KiB */
#define DIAG_RECV_SIZE 32768

/* Every state, NEW_SYN_RECV included, so that request sockets are listed */
#define DIAG_ALL_STATES ((1U << DIAG_STATE_MAX) - 1)

/* SOCK_DESTROY requests sent in one datagram before their ACKs are read */
#define DIAG_DESTROY_BATCH 32

/* Buffer for a batch of SOCK_DESTROY requests, and for one ACK */
#define DIAG_ACK_SIZE 8192

/* Sequence numbers of requests; only ever compared for equality */
static uint32_t diag_seq;

/**
 * diag_seq_next() - reserve @n consecutive request sequence numbers
 * @n:		how many
 *
 * Return: the first of them
 */
static uint32_t diag_seq_next(uint32_t n)
{
	return __atomic_fetch_add(&diag_seq, n, __ATOMIC_RELAXED) + 1;
}

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
	req->idiag_ext = 1U << (INET_DIAG_INFO - 1) |
			 1U << (INET_DIAG_CONG - 1);
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
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct diag_sock *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return NULL;
		v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
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

/**
 * diag_status() - the error carried by an NLMSG_ERROR or NLMSG_DONE
 * @nlh:	the message
 *
 * Return: 0 (an ACK, or a clean end of dump), the -errno it carries, or
 * -EBADMSG when too short (NLMSG_ERROR) or out of range
 */
static int diag_status(const struct nlmsghdr *nlh)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	int err;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (plen < sizeof(struct nlmsgerr))
			return -EBADMSG;
	} else if (plen < sizeof(int)) {
		return 0; /* a DONE without payload */
	}
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err > 0 || err < -4095)
		return -EBADMSG;
	return err;
}

/**
 * diag_walk() - decode a buffer of inet_diag reply messages
 * @buf:	messages, 4-byte aligned
 * @len:	bytes in @buf
 * @out:	set the sockets are appended to
 * @any_seq:	decode every message (a recording) ...
 * @seq:	... or only those carrying this sequence number (a live reply)
 *
 * Return: 1 if an NLMSG_DONE was seen, 0 if not, -errno on a reply error or
 * a malformed buffer (@out is then left as it was)
 */
static int diag_walk(const void *buf, size_t len, struct diag_set *out,
		     int any_seq, uint32_t seq)
{
	const struct nlmsghdr *nlh = buf;
	size_t n0 = out->n;
	int rem, done = 0, r = 0;

	if (len > INT_MAX)
		return -EMSGSIZE;
	rem = (int)len;
	while (rem > 0) {
		/*
		 * mnl_nlmsg_ok() compares the length as an int: a length
		 * above INT_MAX would pass it, so check it as unsigned first
		 */
		if ((size_t)rem < sizeof(*nlh) ||
		    nlh->nlmsg_len > (uint32_t)rem || !mnl_nlmsg_ok(nlh, rem)) {
			r = -EBADMSG;
			goto undo;
		}
		if (!any_seq && nlh->nlmsg_seq != seq)
			goto next; /* left over from an earlier request */

		switch (nlh->nlmsg_type) {
		case SOCK_DIAG_BY_FAMILY:
			r = diag_sock_parse(nlh, out);
			break;
		case NLMSG_DONE:
			r = diag_status(nlh);
			done = 1;
			break;
		case NLMSG_ERROR:
			r = diag_status(nlh);
			break;
		case NLMSG_NOOP:
			break;
		default:
			r = -EBADMSG;
			break;
		}
		if (r < 0)
			goto undo;
next:
		nlh = mnl_nlmsg_next(nlh, &rem);
	}
	return done;

undo:
	out->n = n0;
	return r;
}

/**
 * diag_parse() - decode a buffer of inet_diag replies (live or `ss -D`)
 * @buf:	netlink messages, 4-byte aligned
 * @len:	bytes in @buf
 * @out:	set the sockets are appended to
 *
 * Return: 1 when NLMSG_DONE was seen, 0 when more is expected, or -errno
 * (a reply error, or -EBADMSG for a malformed or truncated message)
 */
int diag_parse(const void *buf, size_t len, struct diag_set *out)
{
	return diag_walk(buf, len, out, 1, 0);
}

/**
 * diag_recv() - receive one datagram from @nlfd, blocking
 * @nlfd:	NETLINK_SOCK_DIAG socket
 * @buf:	destination
 * @len:	size of @buf
 * @flags:	extra recv() flags (MSG_DONTWAIT)
 *
 * Return: bytes received, -EMSGSIZE if the datagram did not fit, -EPIPE on
 * end of file, or -errno
 */
static ssize_t diag_recv(int nlfd, void *buf, size_t len, int flags)
{
	ssize_t n;

	do
		n = recv(nlfd, buf, len, flags | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	if ((size_t)n > len)
		return -EMSGSIZE;
	return n;
}

/**
 * diag_drain() - throw away whatever replies are queued on @nlfd
 * @nlfd:	NETLINK_SOCK_DIAG socket
 * @buf:	scratch buffer
 * @len:	its size
 *
 * Used after a failure in the middle of a dump: each receive lets the
 * kernel queue the next part, so this reads until nothing is left.
 */
static void diag_drain(int nlfd, void *buf, size_t len)
{
	int i;

	for (i = 0; i < 4096; i++) {
		ssize_t n = diag_recv(nlfd, buf, len, MSG_DONTWAIT);

		if (n < 0 && n != -EMSGSIZE)
			break;
	}
}

/**
 * diag_dump() - run one inet_diag dump for @family and decode it
 * @nlfd:	NETLINK_SOCK_DIAG socket
 * @family:	AF_INET or AF_INET6
 * @out:	set the sockets are appended to
 * @buf:	receive buffer, 4-byte aligned
 * @len:	its size
 *
 * Return: 0 or -errno
 */
static int diag_dump(int nlfd, int family, uint32_t states,
		     struct diag_set *out, void *buf, size_t len)
{
	uint32_t seq = diag_seq_next(1);
	size_t qlen = diag_request_build(buf, len, family, seq);
	ssize_t n;
	int r;

	if (states) {
		struct inet_diag_req_v2 *req =
			mnl_nlmsg_get_payload((struct nlmsghdr *)buf);

		req->idiag_states = states;
	}

	if (send(nlfd, buf, qlen, MSG_NOSIGNAL) < 0)
		return -errno;
	for (;;) {
		n = diag_recv(nlfd, buf, len, 0);
		if (n < 0) {
			r = (int)n;
			break;
		}
		r = diag_walk(buf, (size_t)n, out, 0, seq);
		if (r)
			break;
	}
	if (r > 0)
		return 0;
	diag_drain(nlfd, buf, len);
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
	return diag_snapshot_filter(nlfd, 0, 0, out);
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
	union {
		struct nlmsghdr align;
		char b[DIAG_RECV_SIZE];
	} buf;
	int r = 0;

	if (states & (1U << DIAG_SYN_RECV))
		states |= 1U << DIAG_NEW_SYN_RECV;
	diag_set_clear(out);
	if (family != AF_INET6)
		r = diag_dump(nlfd, AF_INET, states, out, buf.b, sizeof(buf));
	if (!r && family != AF_INET)
		r = diag_dump(nlfd, AF_INET6, states, out, buf.b, sizeof(buf));
	if (r)
		diag_set_clear(out);
	return r;
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

/**
 * diag_acks() - read the ACKs of SOCK_DESTROY requests @seq .. @seq+@n-1
 * @nlfd:	NETLINK_SOCK_DIAG socket
 * @seq:	first sequence number of the batch
 * @n:		requests in the batch
 * @buf:	receive buffer, 4-byte aligned
 * @len:	its size
 * @first_err:	set to the first error that is not "socket already gone"
 *
 * Return: sockets destroyed, or -errno if the replies could not be read
 */
static int diag_acks(int nlfd, uint32_t seq, unsigned int n, void *buf,
		     size_t len, int *first_err)
{
	unsigned int acked = 0;
	int destroyed = 0;

	while (acked < n) {
		const struct nlmsghdr *nlh = buf;
		ssize_t got = diag_recv(nlfd, buf, len, 0);
		int rem;

		if (got < 0)
			return (int)got;
		for (rem = (int)got; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			int err;

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_seq - seq >= n)
				continue;
			acked++;
			err = diag_status(nlh);
			if (!err)
				destroyed++;
			else if (err != -ENOENT && err != -ESTALE &&
				 !*first_err)
				*first_err = err;
		}
	}
	return destroyed;
}

/**
 * diag_destroy() - SOCK_DESTROY every full socket of @set
 * @nlfd:	NETLINK_SOCK_DIAG socket in the namespace of the sockets
 * @set:	a snapshot taken on @nlfd
 *
 * Requests go out in batches, each socket named by its 4-tuple, bound
 * device and cookie; every ACK is read.  A socket that is gone meanwhile
 * (ENOENT) or was replaced by another with the same 4-tuple (ESTALE) is
 * not counted and not an error.
 *
 * Return: sockets destroyed, or the first other -errno (EPERM without
 * CAP_NET_ADMIN, EOPNOTSUPP without CONFIG_INET_DIAG_DESTROY)
 */
int diag_destroy(int nlfd, const struct diag_set *set)
{
	union {
		struct nlmsghdr align;
		char b[DIAG_ACK_SIZE];
	} buf;
	int count = 0, first_err = 0;
	size_t i = 0;

	while (i < set->n) {
		uint32_t seq = diag_seq_next(DIAG_DESTROY_BATCH);
		unsigned int n = 0;
		size_t off = 0;
		int r;

		for (; i < set->n && n < DIAG_DESTROY_BATCH; i++) {
			size_t l;

			if (!diag_destroyable(&set->v[i]))
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
		if (send(nlfd, buf.b, off, MSG_NOSIGNAL) < 0)
			return -errno;
		r = diag_acks(nlfd, seq, n, buf.b, sizeof(buf), &first_err);
		if (r < 0)
			return r;
		count += r;
	}
	return first_err ? first_err : count;
}
