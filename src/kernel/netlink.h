/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netlink.h - one way to talk netlink: open, send, receive, decode answers
 *
 * Theory of operation: every netlink conversation tcplab has (rtnetlink
 * while a lab is built, sock_diag dumps and SOCK_DESTROY batches,
 * nftables batches, NFLOG and NFQUEUE set-up) is the same exchange.  A
 * socket is opened inside a node's namespace and used from outside; one
 * request, or a batch of them in one datagram, goes out with consecutive
 * sequence numbers; then datagrams are received until every request is
 * answered - by an ACK or a refusal (NLMSG_ERROR), or by the NLMSG_DONE
 * that ends a dump - or until a deadline passes.
 *
 * The module has the same two halves as the rest of the kernel layer:
 *
 *  - pure decoders on buffers, which unit tests feed recorded bytes:
 *    netlink_walk() checks the framing of a buffer of messages (a length
 *    shorter than a header or longer than what is left is -EBADMSG, never
 *    a read past the end); netlink_ack_parse() decodes an NLMSG_ERROR or
 *    NLMSG_DONE with its extended ACK (the kernel's message and the offset
 *    of the attribute it blames); netlink_dispatch() hands the messages of
 *    one conversation out - answers to other requests and notifications are
 *    skipped, data to one callback, ACKs, refusals and ends of dumps to
 *    another - and counts the answers, like libmnl's mnl_cb_run2();
 *
 *  - thin I/O: netlink_open() in a namespace (extended and capped ACKs
 *    asked for), netlink_send() of one datagram, netlink_recv_run() feeding
 *    datagrams to netlink_dispatch() with a deadline, netlink_read() of
 *    whatever is queued (notifications: logged and queued packets).
 *
 * Receiving never blocks in recv(): a datagram is read with MSG_DONTWAIT,
 * and only when none is there yet does the loop poll() for the time left,
 * so the common case - the kernel queued the answer before sendmsg()
 * returned, or queues the next part of a dump before recv() returns - costs
 * one system call and no clock reading.  EINTR is retried.  ENOBUFS (the
 * receive queue overflowed: notifications, or answers, were lost) is noted
 * and receiving goes on; if the answers then never come, the conversation
 * fails with -ENOBUFS rather than -ETIMEDOUT.  A conversation that fails
 * half-way drains what the kernel still has queued, so that the next one
 * on the socket does not meet the rest of a dump.
 *
 * Errors: transport failures (send, receive, timeout, a malformed answer)
 * return -errno and leave the struct err to the caller, who knows what it
 * was doing; a refusal by the kernel is put into the struct err in one
 * place, netlink_ack_err(): "<strerror>: <the kernel's message>".
 */
#ifndef TCPLAB_NETLINK_H
#define TCPLAB_NETLINK_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "err.h"

/* Receive buffer: the kernel builds no dump datagram above 32 KiB */
#define NETLINK_RECV_SIZE 32768

/* How long a conversation waits for answers the kernel normally queued
 * already */
#define NETLINK_TIMEOUT_MS 2000

/* An ACK, a refusal (NLMSG_ERROR) or an end of dump (NLMSG_DONE), decoded */
struct netlink_ack {
	uint16_t type;      /* NLMSG_ERROR or NLMSG_DONE */
	uint32_t seq;       /* the request it answers */
	int error;          /* 0, or -errno */
	uint32_t offset;    /* byte of the request the kernel blames
			     * (NLMSGERR_ATTR_OFFS), 0 when none */
	char msg[256];      /* the kernel's reason (NLMSGERR_ATTR_MSG), "" */
};

/*
 * netlink_msg_cb - called for one message; returns 0 to go on, or -errno
 * to stop (the walk or conversation then returns that value); only in
 * netlink_walk() may it stop with a positive value (something found)
 */
typedef int (*netlink_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * netlink_ack_cb - called for one answer; returns 0 to go on, 1 when the
 * conversation is over, or -errno to end it with that value
 */
typedef int (*netlink_ack_cb)(const struct nlmsghdr *nlh,
			      const struct netlink_ack *ack, void *arg);

/*
 * struct netlink_conv - one conversation: what it waits for, where its
 * messages go
 * @seq:	sequence number of the first request
 * @nseq:	requests @seq .. @seq + @nseq - 1 (it may wrap); messages
 *		with other numbers are skipped.  0: every message (a recording)
 * @answers:	answers (ACKs, refusals, ends of dump) that end it; 0: only
 *		a callback ends it
 * @timeout_ms:	how long to wait for the next datagram; 0: NETLINK_TIMEOUT_MS
 * @data:	each message that is not an answer (a reply, a dump entry);
 *		NULL: skipped
 * @ack:	each answer; NULL: an ACK or end of dump is counted, a refusal
 *		ends the conversation with its error (netlink_ack_err())
 * @arg:	passed to both
 * @answered:	answers seen so far (kept across datagrams)
 * @over:	set when the conversation is over
 */
struct netlink_conv {
	uint32_t seq;
	uint32_t nseq;
	unsigned int answers;
	int timeout_ms;
	netlink_msg_cb data;
	netlink_ack_cb ack;
	void *arg;
	unsigned int answered;
	int over;
};

/*
 * netlink_walk() - call @cb on each message of @buf (@len bytes, 4-byte
 * aligned).  Returns 0, -EBADMSG when a length does not fit (the walk
 * stops before the bad message), or the first value of @cb that is not 0.
 */
int netlink_walk(const void *buf, size_t len, netlink_msg_cb cb, void *arg) WUR;

/*
 * netlink_ack_parse() - decode NLMSG_ERROR or NLMSG_DONE @nlh (of which
 * nlmsg_len bytes are readable) into @out.  Returns 0, or -EBADMSG for a
 * message too short or an error number out of range.
 */
int netlink_ack_parse(const struct nlmsghdr *nlh, struct netlink_ack *out) WUR;

/*
 * netlink_ack_err() - record refusal @a in @e: "<strerror>: <kernel's
 * message>" (just the strerror() text when the kernel gave none); returns
 * a->error
 */
int netlink_ack_err(struct err *e, const struct netlink_ack *a);

/*
 * netlink_dispatch() - hand the messages of @buf (one datagram, or a
 * recording) out as @c says.  Returns 1 when the conversation is over, 0
 * when more is expected, or -errno: a malformed buffer (-EBADMSG), a
 * callback's error, or a refusal (@e says it, see netlink_ack_err()).
 * Once it is over, later messages are still checked but handed to no one.
 */
int netlink_dispatch(struct netlink_conv *c, const void *buf, size_t len,
		     struct err *e) WUR;

/*
 * netlink_open() - a netlink socket of @proto (NETLINK_ROUTE ...) created
 * inside the namespace @nsfd (-1: the calling thread's own), bound, asking
 * for extended and capped ACKs.
 * Returns the fd or -errno (@e says why; no permission or no such
 * protocol in this kernel is an environment fault).
 */
int netlink_open(int nsfd, int proto, struct err *e) WUR;

/*
 * netlink_bufsize() - make socket buffer @opt (SO_SNDBUF, SO_RCVBUF) of
 * @fd hold at least @bytes, past the sysctl maximum when allowed; best
 * effort
 */
void netlink_bufsize(int fd, int opt, size_t bytes);

/* netlink_seq_next() - reserve @n consecutive sequence numbers; the first */
uint32_t netlink_seq_next(uint32_t n);

/*
 * netlink_send() - send the @n pieces of @iov as one datagram to the
 * kernel.  Returns 0, or -errno (-EMSGSIZE when not all of it went).
 */
int netlink_send(int fd, const struct iovec *iov, size_t n) WUR;

/*
 * netlink_recv_run() - receive datagrams on @fd and dispatch them until
 * conversation @c is over.  Returns 0, the first refusal's -errno (@e says
 * it), or a transport failure's -errno (-ETIMEDOUT, -ENOBUFS, -EMSGSIZE
 * for a datagram above NETLINK_RECV_SIZE, -EBADMSG; @e untouched).  What
 * is left of a failed conversation is drained.
 */
int netlink_recv_run(int fd, struct netlink_conv *c, struct err *e) WUR;

/*
 * netlink_talk() - netlink_send() the @len bytes of @req (one request or
 * a batch), then netlink_recv_run() conversation @c
 */
int netlink_talk(int fd, const void *req, size_t len, struct netlink_conv *c,
		 struct err *e) WUR;

/*
 * netlink_buf_cb - called for one received datagram; returns how many
 * things it found in it (>= 0) or -errno to stop
 */
typedef int (*netlink_buf_cb)(const void *buf, size_t len, void *arg);

/*
 * netlink_read() - hand every datagram queued on @fd now to @cb, never
 * blocking.  ENOBUFS (the kernel dropped messages: our queue was full) is
 * counted in @lost when given, and reading goes on.  Returns the sum of
 * @cb's counts, or -errno.
 */
int netlink_read(int fd, netlink_buf_cb cb, void *arg, unsigned int *lost) WUR;

/* netlink_drain() - throw away whatever is queued on @fd */
void netlink_drain(int fd);

#endif
