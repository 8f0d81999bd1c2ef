/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nfq.h - holding packets in flight (nfnetlink_queue) and letting them go
 *
 * Theory of operation: a "hold" rule sends matching packets to an NFQUEUE
 * queue with the bypass flag.  nfq_open() binds that queue inside the node's
 * namespace, so the kernel keeps each packet waiting for a verdict.
 * nfq_release() first makes the queue let every new packet by at once (no
 * room, and fail-open), then reads every packet the kernel is holding and
 * accepts them in the order they came; nfq_close() then unbinds, and the
 * bypass flag lets new packets through as if the rule were not there.
 * Unbinding drops what the queue still holds: without the first step a
 * packet queued between the reading and the unbinding (a FIN's ACK on its
 * way while "firewall release" runs) would be lost.  This is how two FINs
 * are made to cross in flight (CLOSING on both sides): each is held until
 * both have been sent.
 */
#ifndef TCPLAB_NFQ_H
#define TCPLAB_NFQ_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

#include "err.h"

struct nfq; /* opaque */

/* nfq_open() - bind queue @num in the namespace @nsfd */
int nfq_open(struct nfq **out, int nsfd, uint16_t num, struct err *e) WUR;

/*
 * nfq_release() - hold nothing from now on: every new packet let by at
 * once, every held one accepted, in order; returns how many were held
 */
int nfq_release(struct nfq *q, struct err *e) WUR;

/* nfq_close() - unbind (later packets bypass the queue) and free */
void nfq_close(struct nfq *q);

/*
 * Packets with their bytes, one verdict each (impairments, shaper.c):
 * nfq_open_copy() binds @num copying each packet whole (checksums
 * completed by the kernel, GSO packets cut into segments), its socket
 * non-blocking with room for many packets; nfq_read() passes each queued
 * packet to @cb without blocking, with the time the kernel stamped it on
 * arrival (CLOCK_REALTIME ns, 0 if none); nfq_verdict() gives one
 * packet's.
 */
typedef int (*nfq_packet_cb)(uint32_t id, const void *pkt, size_t len,
			     uint64_t stamp_ns, void *data);

int nfq_open_copy(struct nfq **out, int nsfd, uint16_t num, struct err *e) WUR;

/* nfq_fd() - the socket, to poll for POLLIN */
int nfq_fd(const struct nfq *q);

/* nfq_read() - every packet queued now; the number read, or -errno */
int nfq_read(struct nfq *q, nfq_packet_cb cb, void *data) WUR;

/* nfq_verdict() - NF_ACCEPT or NF_DROP for packet @id; 0 or -errno */
int nfq_verdict(struct nfq *q, uint32_t id, uint32_t verdict) WUR;

/*
 * nfq_packet_parse() - the id, bytes and arrival stamp (CLOCK_REALTIME
 * ns, as the kernel stamped the packet when it came in; 0 if it did not)
 * of one NFQNL_MSG_PACKET message (pure, for recorded messages too); 0,
 * or -ENOENT if it is none
 */
int nfq_packet_parse(const struct nlmsghdr *m, uint32_t *id,
		     const void **pkt, size_t *len, uint64_t *stamp_ns) WUR;

/* nfq_config_build(), nfq_verdict_build() - the messages, for tests */
size_t nfq_config_build(void *buf, size_t len, uint16_t num, uint8_t cmd,
			uint32_t seq);
/* nfq_config_build_copy() - the same, binding with whole packets copied */
size_t nfq_config_build_copy(void *buf, size_t len, uint16_t num, uint8_t cmd,
			     uint32_t seq);
size_t nfq_verdict_build(void *buf, size_t len, uint16_t num, uint32_t id,
			 uint32_t verdict, uint32_t seq);
/* nfq_let_by_build() - nfq_release()'s first two requests, @step 0
 * (fail open) and 1 (room for none) */
size_t nfq_let_by_build(void *buf, size_t len, uint16_t num, int step,
			uint32_t seq);

#endif
