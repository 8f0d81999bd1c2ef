/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nflog.h - the drop listener: packets logged by firewall rules (NFLOG)
 *
 * A rule with an NFLOG group (rule.h) logs each packet it matches, with
 * the prefix "tcplab:<id>", through nfnetlink_log; both backends do it the
 * same way (nft "log group N prefix ...", iptables "-j NFLOG").  The
 * listener binds those groups on a NETLINK_NETFILTER socket opened in the
 * node's namespace and turns each logged packet into a TL_DROP timeline
 * event: when it was seen, at which hook, by which rule, and the segment's
 * addresses, ports, flags, sequence numbers, window and payload length.
 *
 * The decoder, nflog_parse(), works on a buffer, so recorded messages
 * (tests/data/nflog/) run through the same code as live ones.
 */
#ifndef TCPLAB_NFLOG_H
#define TCPLAB_NFLOG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "timeline.h"

/* Bytes of each logged packet copied to us: IPv6 + TCP with options */
#define NFLOG_COPY_RANGE 128

struct nflog; /* opaque: a bound listener in one namespace */

/*
 * nflog_cb - called for each decoded packet; @ev is valid during the call
 * only.  @ev->node and @ev->peer are -1 and @ev->loc is empty: the caller
 * knows the node and maps @ev->rule_id to its rule.  A negative return
 * (-errno) stops the decoding and is passed on; others are ignored.
 */
typedef int (*nflog_cb)(const struct tl_event *ev, void *data);

/*
 * nflog_open() - listen to the NFLOG @groups (@n of them, each 1..65535)
 * in the namespace @nsfd.  Bind the groups before the rules that log to
 * them are installed: packets logged to a group nobody listens to are lost.
 */
int nflog_open(struct nflog **out, int nsfd, const uint16_t *groups,
	       size_t n, struct err *e) WUR;

/* nflog_fd() - the socket, to poll for POLLIN */
int nflog_fd(const struct nflog *nl);

/*
 * nflog_read() - decode every message queued now (never blocks), stamping
 * events with util_now_ns().  Returns the number of events passed to @cb,
 * or -errno (a negative value from @cb is returned as is).
 */
int nflog_read(struct nflog *nl, nflog_cb cb, void *data) WUR;

/*
 * nflog_lost() - how many times the kernel told us it dropped log messages
 * because our receive queue was full (ENOBUFS) since nflog_open()
 */
unsigned nflog_lost(const struct nflog *nl);

/* nflog_close() - unbind and close (NULL is fine) */
void nflog_close(struct nflog *nl);

/*
 * nflog_parse() - decode the netlink messages in @buf (@len bytes, as one
 * recv() returned them) into TL_DROP events stamped @t_ns.  Messages that
 * are not logged packets, packets that are not TCP over IPv4/IPv6, and
 * packets whose prefix is not "tcplab:<id>" are skipped.  Returns the
 * number of events passed to @cb, -EBADMSG for a malformed buffer, or
 * @cb's negative value.
 */
int nflog_parse(const void *buf, size_t len, uint64_t t_ns, nflog_cb cb,
		void *data) WUR;

/*
 * nflog_config_build() - write into @buf (@len bytes) the config message
 * that binds @group with packet copy mode, NFLOG_COPY_RANGE bytes, a queue
 * threshold of 1 and no timeout; asks for an ACK.  Returns its length, or
 * -ENOSPC.
 */
int nflog_config_build(void *buf, size_t len, uint16_t group,
		       uint32_t seq) WUR;

#endif
