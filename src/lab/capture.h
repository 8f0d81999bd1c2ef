/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture.h - packet capture on a node's interface (a packet socket, its
 * filter, and the frames written to a pcap file)
 *
 * Theory of operation: capture_open() creates an AF_PACKET socket inside a
 * node's namespace and binds it to one of its interfaces once its filter
 * ("tcp", cut to the snap length, 128 by default) and options are set; it
 * is read from outside and never blocks: the caller polls capture_fd() and
 * calls capture_read(), which writes each frame to a pcap file (for
 * tcpdump -r and Wireshark) and appends a TL_PACKET event for each segment
 * that left the node, stamped on the timeline's clock (CLOCK_MONOTONIC).
 * No ring is mapped: setting one up and tearing it down each cost the
 * kernel an RCU grace period (see capture.c).
 *
 * Direction: the kernel marks each frame that left through the interface
 * (PACKET_OUTGOING).  Every frame, whichever way it went, goes to the file;
 * only outgoing ones become events, so that with a capture on each end of a
 * veth every segment is recorded exactly once, where it left its sender.
 * Relative sequence numbers are filled afterwards, over the whole run, by
 * pkt_relative_timeline().
 */
#ifndef TCPLAB_CAPTURE_H
#define TCPLAB_CAPTURE_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "timeline.h"

/* Headers only: Ethernet 14 + IPv6 40 + TCP with every option 60 = 114 */
#define CAPTURE_SNAPLEN_DEFAULT 128

/* The longest filter capture_filter_build() writes */
#define CAPTURE_FILTER_MAX 16

/*
 * capture_filter_build() - the classic BPF program of the filter "tcp"
 * for frames of link type @link (PKT_LINK_EN10MB or PKT_LINK_RAW), keeping
 * @snaplen bytes of each: the program libpcap's pcap_compile() makes of
 * "tcp", instruction for instruction.  Writes at most @max instructions
 * to @out; returns how many, 0 for another link type (or too small @max).
 */
size_t capture_filter_build(int link, uint32_t snaplen,
			    struct sock_filter *out, size_t max);

struct capture;

struct capture_stats {
	unsigned long seen;     /* frames read from the kernel */
	unsigned long stored;   /* written to the file (and decoded) */
	unsigned long over;     /* beyond max_packets: counted, not kept */
	unsigned long events;   /* TL_PACKET events appended */
	int capped;             /* 1 once max_packets was reached */
	unsigned kernel_drops;  /* lost in the kernel (receive buffer full) */
};

/*
 * capture_open() - capture TCP on @ifname inside namespace @nsfd, writing
 * to @pcap_path (NULL: no file).  @snaplen <= 0 means
 * CAPTURE_SNAPLEN_DEFAULT; @max_packets <= 0 means no limit.  Returns 0
 * once the socket hears the interface, so the first packet after it is
 * seen; or
 * -EPERM (not allowed: exit class ENV), -ENODEV, -ENETDOWN, -EIO, with @e
 * saying what failed.
 */
int capture_open(struct capture **out, int nsfd, const char *ifname,
		 const char *pcap_path, int snaplen, int max_packets,
		 struct err *e) WUR;

/*
 * capture_reopen() - a capture again on @fd, a socket capture_detach()
 * returned (the same interface @ifname, opened with the same @snaplen),
 * writing to @pcap_path (NULL: no file).  What the socket heard since it
 * was detached is dropped first.  On failure @fd stays the caller's.
 */
int capture_reopen(struct capture **out, int fd, const char *ifname,
		   const char *pcap_path, int snaplen, int max_packets,
		   struct err *e) WUR;

/* capture_fd() - the fd to poll() for POLLIN; -1 if there is none */
int capture_fd(const struct capture *c);

/*
 * capture_read() - drain what is pending without blocking: write each
 * frame to the file, and append a TL_PACKET event (node @node, peer @peer)
 * to @tl for each TCP segment that left the node.  Returns the number of
 * events appended, -ENOMEM, or -EIO when the handle failed (for instance
 * the interface went away; capture_error() says how).
 */
int capture_read(struct capture *c, struct timeline *tl, int node, int peer)
	WUR;

/* capture_arrived() - frames read so far that came in through the
 * interface, not sent (no system call: what capture_read() counted) */
unsigned long capture_arrived(const struct capture *c);

/* capture_stats() - counters so far, the kernel's drops among them */
void capture_stats(struct capture *c, struct capture_stats *st);

/* capture_error() - the last read error's text for @c */
const char *capture_error(struct capture *c);

/*
 * capture_close() - flush and close the file (complete on return), and
 * release the socket on a thread of its own (the kernel waits for a grace
 * period there); NULL is allowed.  Returns 0, or -EIO if the file could not
 * be flushed.
 */
int capture_close(struct capture *c);

/*
 * capture_detach() - as capture_close(), but the socket, still bound and
 * filtered, goes to *@fd (-1 for NULL) for capture_reopen() or
 * capture_release()
 */
int capture_detach(struct capture *c, int *fd) WUR;

/* capture_release() - release a detached socket off the caller's path */
void capture_release(int fd);

#endif
