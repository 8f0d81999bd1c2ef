// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netlink.c - one way to talk netlink (see netlink.h for the theory)
 *
 * How an answer is laid out, which is all netlink_ack_parse() has to know:
 *
 *   NLMSG_ERROR  struct nlmsgerr { int error; struct nlmsghdr msg; }, then
 *		  the refused request's payload unless the socket asked for
 *		  capped ACKs (NLM_F_CAPPED set), then - NLM_F_ACK_TLVS set -
 *		  attributes: NLMSGERR_ATTR_MSG (a string), NLMSGERR_ATTR_OFFS
 *		  (u32, from the start of the request) ...
 *   NLMSG_DONE	  int error (absent from some old answers: 0), then the
 *		  same attributes when NLM_F_ACK_TLVS is set
 *
 * Lengths are checked as unsigned sizes before any pointer moves, so a
 * length field near UINT32_MAX, or a buffer above INT_MAX (libmnl's
 * walkers compare as int), is refused instead of read past.
 */
#include "netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

/* Datagrams drained at most after a failure (each recv() lets the kernel
 * queue the next part of a dump) */
#define NETLINK_DRAIN_MAX 4096

/* Sequence numbers of requests; only ever compared for equality */
static uint32_t netlink_seq;

/* -------------------------------------------------------------------- */
/* Pure half: framing, answers, dispatch                                 */
/* -------------------------------------------------------------------- */

/**
 * netlink_walk() - call @cb on each message of a buffer
 * @buf:	messages, 4-byte aligned
 * @len:	bytes in @buf
 * @cb:		called for each message whose length fits
 * @arg:	passed to @cb
 *
 * Return: 0, -EBADMSG when a message's length is shorter than its header
 * or longer than what is left (or bytes too few for a header are left
 * over), or the first value of @cb that is not 0 (it stops the walk).
 */
int netlink_walk(const void *buf, size_t len, netlink_msg_cb cb, void *arg)
{
	const char *p = buf;
	size_t rem = len;

	while (rem > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t step;
		int r;

		if (rem < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > rem)
			return -EBADMSG;
		r = cb(nlh, arg);
		if (r)
			return r;
		step = ((size_t)nlh->nlmsg_len + NLMSG_ALIGNTO - 1) &
		       ~(size_t)(NLMSG_ALIGNTO - 1);
		if (step >= rem)
			break; /* the last message; its padding may be cut */
		p += step;
		rem -= step;
	}
	return 0;
}

/**
 * netlink_ack_attrs() - the extended ACK's attributes into @out
 * @nlh:	the answer, nlmsg_len bytes readable
 * @skip:	payload bytes before the first attribute
 * @out:	msg and offset set when present
 *
 * Attributes are walked within nlmsg_len itself (libmnl's walk goes to
 * the aligned end, which a malformed length puts past the buffer).
 */
static void netlink_ack_attrs(const struct nlmsghdr *nlh, size_t skip,
			      struct netlink_ack *out)
{
	const char *end = (const char *)nlh + nlh->nlmsg_len;
	const char *p = (const char *)nlh + MNL_NLMSG_HDRLEN;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    MNL_ALIGN(skip) >= nlh->nlmsg_len - MNL_NLMSG_HDRLEN)
		return;
	for (p += MNL_ALIGN(skip); (size_t)(end - p) >= sizeof(struct nlattr);) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < sizeof(*a) || a->nla_len > (size_t)(end - p))
			return;
		switch (mnl_attr_get_type(a)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(out->msg, sizeof(out->msg), "%s",
					 mnl_attr_get_str(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				out->offset = mnl_attr_get_u32(a);
			break;
		}
		if (MNL_ALIGN((size_t)a->nla_len) >= (size_t)(end - p))
			return;
		p += MNL_ALIGN((size_t)a->nla_len);
	}
}

/**
 * netlink_ack_parse() - decode an ACK, a refusal or an end of dump
 * @nlh:	NLMSG_ERROR or NLMSG_DONE, nlmsg_len bytes readable
 * @out:	filled
 *
 * Return: 0, or -EBADMSG (not an answer, too short, or an error number
 * that is no -errno)
 */
int netlink_ack_parse(const struct nlmsghdr *nlh, struct netlink_ack *out)
{
	size_t plen, skip;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN)
		return -EBADMSG;
	plen = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	out->type = nlh->nlmsg_type;
	out->seq = nlh->nlmsg_seq;
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR: {
		const struct nlmsgerr *ne = mnl_nlmsg_get_payload(nlh);

		if (plen < sizeof(*ne))
			return -EBADMSG;
		err = ne->error;
		skip = sizeof(*ne);
		/* uncapped: the request's payload first (a bogus length
		 * hides the attributes, it does not make the answer bad) */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			skip = ne->msg.nlmsg_len < sizeof(struct nlmsghdr)
				       ? plen
				       : skip + ne->msg.nlmsg_len -
						sizeof(struct nlmsghdr);
		break;
	}
	case NLMSG_DONE:
		if (plen >= sizeof(int))
			memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		skip = sizeof(int);
		break;
	default:
		return -EBADMSG;
	}
	if (err > 0 || err < -4095)
		return -EBADMSG;
	out->error = err;
	if (skip < plen)
		netlink_ack_attrs(nlh, skip, out);
	return 0;
}

/**
 * netlink_ack_err() - put a refusal into an error
 * @e:		error to fill (NULL is fine)
 * @a:		the refusal
 *
 * Return: @a->error
 */
int netlink_ack_err(struct err *e, const struct netlink_ack *a)
{
	return err_set(e, a->error, "%s%s%s", strerror(-a->error),
		       a->msg[0] ? ": " : "", a->msg);
}

/* What netlink_dispatch() walks with */
struct netlink_walk_state {
	struct netlink_conv *c;
	struct err *e;
};

/**
 * netlink_ours() - is @nlh part of conversation @c?
 * @c:		the conversation
 * @nlh:	a message
 *
 * Return: 1 or 0
 */
static int netlink_ours(const struct netlink_conv *c,
			const struct nlmsghdr *nlh)
{
	return !c->nseq || nlh->nlmsg_seq - c->seq < c->nseq;
}

/**
 * netlink_answer() - count an answer and hand it out
 * @c:		the conversation
 * @nlh:	NLMSG_ERROR or NLMSG_DONE
 * @e:		where a refusal goes when @c has no ack callback
 *
 * Return: 0, or -errno to end the conversation
 */
static int netlink_answer(struct netlink_conv *c, const struct nlmsghdr *nlh,
			  struct err *e)
{
	struct netlink_ack ack;
	int r = netlink_ack_parse(nlh, &ack);

	if (r)
		return r;
	c->answered++;
	if (c->ack) {
		r = c->ack(nlh, &ack, c->arg);
		if (r < 0)
			return r;
		if (r > 0)
			c->over = 1;
	} else if (ack.error) {
		return netlink_ack_err(e, &ack);
	}
	if (c->answers && c->answered >= c->answers)
		c->over = 1;
	return 0;
}

/**
 * netlink_dispatch_one() - hand one message of a conversation out
 * @nlh:	the message
 * @arg:	struct netlink_walk_state
 *
 * Return: 0, or -errno
 */
static int netlink_dispatch_one(const struct nlmsghdr *nlh, void *arg)
{
	struct netlink_walk_state *w = arg;
	struct netlink_conv *c = w->c;

	if (c->over || !netlink_ours(c, nlh))
		return 0;
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_ERROR:
	case NLMSG_DONE:
		return netlink_answer(c, nlh, w->e);
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return -EBADMSG; /* NLMSG_OVERRUN, or no type at all */
	return c->data ? c->data(nlh, c->arg) : 0;
}

/**
 * netlink_dispatch() - hand a buffer's messages out to a conversation
 * @c:		the conversation
 * @buf:	messages, 4-byte aligned
 * @len:	bytes in @buf
 * @e:		where a refusal goes when @c has no ack callback
 *
 * Return: 1 when the conversation is over, 0 when more is expected, or
 * -errno
 */
int netlink_dispatch(struct netlink_conv *c, const void *buf, size_t len,
		     struct err *e)
{
	struct netlink_walk_state w = { c, e };
	int r = netlink_walk(buf, len, netlink_dispatch_one, &w);

	if (r < 0)
		return r;
	return c->over;
}

/* -------------------------------------------------------------------- */
/* Kernel half                                                           */
/* -------------------------------------------------------------------- */

/**
 * netlink_proto_name() - a protocol's name in messages
 * @proto:	NETLINK_ROUTE ...
 *
 * Return: "route", "sock_diag", "netfilter" or "netlink"
 */
static const char *netlink_proto_name(int proto)
{
	switch (proto) {
	case NETLINK_ROUTE:
		return "route";
	case NETLINK_SOCK_DIAG:
		return "sock_diag";
	case NETLINK_NETFILTER:
		return "netfilter";
	}
	return "netlink";
}

/**
 * netlink_open() - a bound netlink socket inside a namespace
 * @nsfd:	the namespace
 * @proto:	NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_NETFILTER
 * @e:		what failed
 *
 * Return: the socket, or -errno
 */
int netlink_open(int nsfd, int proto, struct err *e)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int one = 1, fd, r;

	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW, proto);
	if (fd < 0) {
		if (fd == -EPERM || fd == -EPROTONOSUPPORT ||
		    fd == -EAFNOSUPPORT)
			return err_env(e, fd, "cannot open a %s netlink socket "
				       "in the lab namespace: %s",
				       netlink_proto_name(proto), strerror(-fd));
		return err_set(e, fd, "cannot open a %s netlink socket in the "
			       "lab namespace: %s", netlink_proto_name(proto),
			       strerror(-fd));
	}
	/* the kernel's reasons come back; the refused request does not */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		r = -errno;
		close(fd);
		return err_set(e, r, "cannot bind a %s netlink socket: %s",
			       netlink_proto_name(proto), strerror(-r));
	}
	return fd;
}

/**
 * netlink_bufsize() - grow a socket buffer
 * @fd:		the socket
 * @opt:	SO_SNDBUF or SO_RCVBUF
 * @bytes:	at least this much
 *
 * The FORCE variant passes the sysctl maximum (with CAP_NET_ADMIN); the
 * plain one is the fallback.  If neither works, a batch or an answer that
 * does not fit reports itself (EMSGSIZE, ENOBUFS).
 */
void netlink_bufsize(int fd, int opt, size_t bytes)
{
	int force = opt == SO_SNDBUF ? SO_SNDBUFFORCE : SO_RCVBUFFORCE;
	socklen_t sl = sizeof(int);
	int cur = 0, val;

	if (bytes > INT32_MAX / 2)
		return;
	/* the kernel reports (and uses) twice the value it was given */
	if (!getsockopt(fd, SOL_SOCKET, opt, &cur, &sl) && (size_t)cur >= bytes)
		return;
	val = (int)bytes;
	if (setsockopt(fd, SOL_SOCKET, force, &val, sizeof(val)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val));
}

/**
 * netlink_seq_next() - reserve sequence numbers
 * @n:		how many
 *
 * Return: the first of @n consecutive numbers no other caller got
 */
uint32_t netlink_seq_next(uint32_t n)
{
	return __atomic_fetch_add(&netlink_seq, n, __ATOMIC_RELAXED) + 1;
}

/**
 * netlink_send() - one datagram to the kernel
 * @fd:		netlink socket
 * @iov:	its pieces
 * @n:		how many
 *
 * Return: 0, or -errno
 */
int netlink_send(int fd, const struct iovec *iov, size_t n)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = n,
	};
	size_t total = 0, i;
	ssize_t sent;

	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	do
		sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
	while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return -errno;
	return (size_t)sent == total ? 0 : -EMSGSIZE;
}

/**
 * netlink_recv() - receive one datagram, waiting at most until a deadline
 * @fd:		netlink socket
 * @buf:	destination
 * @len:	its size
 * @timeout_ms:	the wait allowed in all
 * @deadline:	0 on the first call; set when waiting starts
 * @lost:	ENOBUFS seen, counted
 *
 * Return: bytes received, or -errno: -EMSGSIZE for a datagram that did
 * not fit, -EPIPE for an empty one, -ETIMEDOUT (-ENOBUFS when messages
 * were lost meanwhile)
 */
static ssize_t netlink_recv(int fd, void *buf, size_t len, int timeout_ms,
			    uint64_t *deadline, unsigned int *lost)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n = recv(fd, buf, len, MSG_DONTWAIT | MSG_TRUNC);
		uint64_t now;

		if (n > 0)
			return (size_t)n > len ? -EMSGSIZE : n;
		if (n == 0)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno == ENOBUFS) {
			(*lost)++;
			continue;
		}
		if (errno != EAGAIN)
			return -errno;
		now = util_now_ns();
		if (!*deadline)
			*deadline = now + (uint64_t)timeout_ms * NS_PER_MS;
		if (now >= *deadline)
			return *lost ? -ENOBUFS : -ETIMEDOUT;
		if (poll(&pfd, 1, (int)((*deadline - now) / NS_PER_MS) + 1) < 0 &&
		    errno != EINTR)
			return -errno;
	}
}

/**
 * netlink_drain() - throw away what is queued
 * @fd:		netlink socket
 */
void netlink_drain(int fd)
{
	char buf[256];
	int i;

	for (i = 0; i < NETLINK_DRAIN_MAX; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && errno != EINTR && errno != ENOBUFS)
			break;
	}
}

/**
 * netlink_recv_run() - receive and dispatch until a conversation is over
 * @fd:		netlink socket
 * @c:		the conversation
 * @e:		where a refusal goes
 *
 * Return: 0, or -errno
 */
int netlink_recv_run(int fd, struct netlink_conv *c, struct err *e)
{
	union {
		struct nlmsghdr align;
		char b[NETLINK_RECV_SIZE];
	} buf;
	int timeout = c->timeout_ms > 0 ? c->timeout_ms : NETLINK_TIMEOUT_MS;
	unsigned int lost = 0;
	uint64_t deadline = 0;
	int r = 0;

	while (!c->over) {
		ssize_t n = netlink_recv(fd, buf.b, sizeof(buf), timeout,
					 &deadline, &lost);

		if (n < 0) {
			r = (int)n;
			break;
		}
		r = netlink_dispatch(c, buf.b, (size_t)n, e);
		if (r < 0)
			break;
		r = 0;
	}
	if (r < 0)
		netlink_drain(fd);
	return r;
}

/**
 * netlink_talk() - send a request (or a batch) and run its conversation
 * @fd:		netlink socket
 * @req:	the request(s), in one buffer
 * @len:	bytes
 * @c:		the conversation
 * @e:		where a refusal goes
 *
 * Return: 0, or -errno
 */
int netlink_talk(int fd, const void *req, size_t len, struct netlink_conv *c,
		 struct err *e)
{
	struct iovec iov = { .iov_base = (void *)req, .iov_len = len };
	int r = netlink_send(fd, &iov, 1);

	return r ? r : netlink_recv_run(fd, c, e);
}

/**
 * netlink_read() - everything queued now, without blocking
 * @fd:		netlink socket
 * @cb:		called per datagram
 * @arg:	passed to @cb
 * @lost:	ENOBUFS counted here (NULL: ignored)
 *
 * Return: the sum of @cb's counts, or -errno
 */
int netlink_read(int fd, netlink_buf_cb cb, void *arg, unsigned int *lost)
{
	union {
		struct nlmsghdr align;
		char b[NETLINK_RECV_SIZE];
	} buf;
	int count = 0;

	for (;;) {
		ssize_t n = recv(fd, buf.b, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				if (lost)
					(*lost)++;
				continue;
			}
			return errno == EAGAIN ? count : -errno;
		}
		if ((size_t)n > sizeof(buf))
			return -EMSGSIZE;
		r = cb(buf.b, (size_t)n, arg);
		if (r < 0)
			return r;
		count += r;
	}
}
