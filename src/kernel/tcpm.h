/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpm.h - the TCP metrics cache of a namespace (generic netlink
 * "tcp_metrics")
 *
 * Theory of operation: when a connection ends, the kernel keeps what it
 * learnt about the peer (RTT, its variance, ssthresh, cwnd, the Fast Open
 * cookie) per destination, and a later connection to that peer starts
 * from it: its first retransmission timeout is no longer the textbook
 * one.  A lab used again for another scenario is first made to forget
 * (TCP_METRICS_CMD_DEL without an address flushes the namespace's whole
 * cache), so that each scenario starts from what a fresh namespace knows.
 */
#ifndef TCPLAB_TCPM_H
#define TCPLAB_TCPM_H

#include "err.h"

/*
 * tcpm_flush() - forget every TCP metric cached in the namespace of @fd,
 * a NETLINK_GENERIC socket opened there (netlink_open()).  Returns 0 or
 * -errno (@e says why).
 */
int tcpm_flush(int fd, struct err *e) WUR;

#endif
