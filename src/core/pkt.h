/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pkt.h - decoding captured TCP segments (pure)
 *
 * Theory of operation: pkt_decode() takes one captured frame, as libpcap
 * hands it over (a link-layer type and the bytes that were kept), and fills
 * a struct tl_pkt with what a ladder needs: addresses and ports, TCP flags,
 * absolute sequence and acknowledgement numbers, the window, the payload
 * length (from the IP header, so a short snap length still tells it) and the
 * options written as tcpdump writes them.  It never touches a socket, so
 * recorded pcap files go through exactly the code live captures do.
 *
 * pkt_relative() then walks the packets of one run in time order and gives
 * each its sequence numbers relative to the initial sequence number of its
 * direction of its connection, as tcpdump and Wireshark show them.
 * pkt_format_line() renders a packet as a tcpdump-style line.
 *
 * pkt_build_tcp() goes the other way: it writes one whole IPv4 or IPv6
 * packet carrying a TCP segment without payload or options (a crafted RST,
 * ACK or SYN), checksums included, for a raw socket to send as it is.
 */
#ifndef TCPLAB_PKT_H
#define TCPLAB_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "timeline.h"

/*
 * Link-layer types (the LINKTYPE_ / DLT_ numbers of pcap files; numeric
 * here so that this module needs no libpcap).
 */
enum pkt_link {
	PKT_LINK_EN10MB = 1,       /* Ethernet, as on a veth */
	PKT_LINK_RAW = 12,         /* raw IPv4 or IPv6 (DLT_RAW on Linux) */
	PKT_LINK_RAW_FILE = 101,   /* raw IP as pcap files spell it */
	PKT_LINK_LINUX_SLL = 113,  /* Linux "cooked" v1 (the "any" device) */
	PKT_LINK_IPV4 = 228,
	PKT_LINK_IPV6 = 229,
	PKT_LINK_LINUX_SLL2 = 276, /* Linux "cooked" v2 */
};

/* Which way a frame went, when the link layer tells */
enum pkt_dir {
	PKT_DIR_UNKNOWN = -1,
	PKT_DIR_IN = 0,
	PKT_DIR_OUT = 1,
};

/* pkt_link_supported() - 1 if pkt_decode() understands link type @link */
int pkt_link_supported(int link);

/*
 * pkt_decode() - decode one captured frame holding IPv4 or IPv6 and TCP
 * into @out (rseq/rack are left 0: see pkt_relative()).  @caplen bytes of
 * @frame were captured, of @wirelen on the wire.  Returns 0, -ENOENT for a
 * frame that is not a TCP segment (or a later IP fragment), -EBADMSG when
 * the headers are cut short or inconsistent, -EPROTONOSUPPORT for an
 * unknown link type.
 */
int pkt_decode(int link, const void *frame, size_t caplen, size_t wirelen,
	       struct tl_pkt *out) WUR;

/*
 * pkt_direction() - did @frame leave the interface whose hardware address
 * is @mac (6 bytes; may be NULL)?  Ethernet frames are compared by source
 * address, Linux cooked frames carry the answer; raw IP cannot tell.
 */
enum pkt_dir pkt_direction(int link, const void *frame, size_t caplen,
			   const uint8_t *mac);

/*
 * pkt_relative() - fill rseq/rack of the @n packets @v (in time order) of
 * one run, per connection (4-tuple) and direction, relative to that
 * direction's ISN.  -ENOMEM leaves them as they were.
 */
int pkt_relative(struct tl_pkt *const *v, size_t n) WUR;

/*
 * pkt_relative_timeline() - pkt_relative() over the TL_PACKET and TL_DROP
 * events of @tl, which must be sorted (timeline_sort()).
 */
int pkt_relative_timeline(struct timeline *tl) WUR;

/*
 * pkt_flags_format() - tcpdump's flag letters, "S", "S.", "P.", "R.",
 * "none" when no flag is set.
 */
const char *pkt_flags_format(uint8_t flags, char *buf, size_t len);

/*
 * pkt_flags_parse() - tcpdump's flag letters back into flags: "R", "R.",
 * "S", "." (ACK alone), "FP."; each letter once.  -EINVAL for anything else.
 */
int pkt_flags_parse(const char *s, uint8_t *flags) WUR;

/* A segment to craft: addresses in network order, numbers in host order */
struct pkt_seg {
	int family;            /* 4 or 6 */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	uint16_t sport, dport;
	uint32_t seq, ack;     /* ack goes on the wire only with ACK set */
	uint8_t flags;         /* RULE_TCP_* */
	uint16_t win;
	uint8_t ttl;           /* hop limit; 0 means 64 */
};

#define PKT_BUILD_MAX 60 /* the longest packet pkt_build_tcp() writes */

/*
 * pkt_build_tcp() - write @seg as a whole IP packet (IPv4: 20-byte header,
 * DF, id 0; IPv6: 40-byte header, flow label 0) with a 20-byte TCP header
 * into @buf (@len bytes).  Returns the packet's length, or -ENOSPC or
 * -EINVAL (family).
 */
int pkt_build_tcp(const struct pkt_seg *seg, uint8_t *buf, size_t len) WUR;

/*
 * pkt_format_line() - one tcpdump-style line for @p, @t_ns after the run's
 * time zero: "12.345678 198.18.0.1.40312 > 198.18.0.2.80: Flags [S],
 * seq 0, win 64240, options [mss 1460,...], length 0".  Relative numbers
 * when @relative, absolute ones otherwise.  Returns the length needed, like
 * snprintf.
 */
int pkt_format_line(const struct tl_pkt *p, int64_t t_ns, int relative,
		    char *buf, size_t len);

#endif
