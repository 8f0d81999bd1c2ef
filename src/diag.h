/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diag.h - TCP socket snapshots through sock_diag (inet_diag)
 *
 * Theory of operation: diag_request_build() writes a SOCK_DIAG_BY_FAMILY
 * dump request for TCP sockets in every state, asking for tcp_info.
 * diag_parse() decodes a buffer of reply messages - live, or recorded with
 * `ss -D FILE` (the same raw netlink stream) - into plain structs; it is
 * pure and has no idea where the bytes came from.  diag_snapshot() is the
 * thin kernel-facing part: it sends the requests on a NETLINK_SOCK_DIAG
 * socket that was opened inside a node's namespace and feeds the replies to
 * the same decoder.  Request sockets (SYN_RECV) and TIME_WAIT sockets carry
 * inode 0 and no tcp_info; match them by 4-tuple and cookie.
 */
#ifndef TCPLAB_DIAG_H
#define TCPLAB_DIAG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Kernel TCP states (include/net/tcp_states.h) */
enum diag_state {
	DIAG_ESTABLISHED = 1,
	DIAG_SYN_SENT,
	DIAG_SYN_RECV,
	DIAG_FIN_WAIT1,
	DIAG_FIN_WAIT2,
	DIAG_TIME_WAIT,
	DIAG_CLOSE,
	DIAG_CLOSE_WAIT,
	DIAG_LAST_ACK,
	DIAG_LISTEN,
	DIAG_CLOSING,
	DIAG_NEW_SYN_RECV,
	DIAG_STATE_MAX,
};

/* idiag_timer values */
enum diag_timer {
	DIAG_TIMER_OFF = 0,
	DIAG_TIMER_ON = 1,        /* retransmit */
	DIAG_TIMER_KEEPALIVE = 2,
	DIAG_TIMER_TIMEWAIT = 3,
	DIAG_TIMER_PROBE = 4,     /* zero window probe */
	DIAG_TIMER_DELACK = 5,
};

struct diag_addr {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
	uint16_t port; /* host order */
};

/* The subset of struct tcp_info that tcplab reports */
struct diag_tcpinfo {
	uint8_t ca_state, retransmits, probes, backoff, options;
	uint32_t rto_us, ato_us, snd_mss, rcv_mss;
	uint32_t unacked, lost, retrans, total_retrans;
	uint32_t rtt_us, rttvar_us, snd_cwnd, snd_ssthresh;
	uint64_t bytes_acked, bytes_received;
	uint32_t segs_out, segs_in;
	uint32_t last_data_sent_ms, last_data_recv_ms;
};

struct diag_sock {
	uint8_t state;   /* enum diag_state; NEW_SYN_RECV is shown as SYN_RECV */
	uint8_t timer;   /* enum diag_timer */
	uint8_t retrans; /* idiag_retrans: retransmits (or probes) so far */
	uint32_t expires_ms; /* timer expiry from now, ms */
	uint32_t rqueue, wqueue;
	uint32_t uid, inode;
	uint64_t cookie;
	struct diag_addr src, dst;
	int has_info;
	struct diag_tcpinfo info;
	uint8_t shutdown; /* INET_DIAG_SHUTDOWN bits, 0xff if not given */
	uint32_t ifindex; /* idiag_if: bound device, 0 if none (for destroy) */
	char cong[16];    /* INET_DIAG_CONG: "cubic", "bbr"; "" if not given */
};

struct diag_set {
	struct diag_sock *v;
	size_t n, cap;
};

/* diag_state_name() - "SYN_SENT" ...; "UNKNOWN" when out of range */
const char *diag_state_name(int state);

/* diag_state_parse() - the state for "SYN_SENT" / "SYN-SENT" / "syn-sent"; -1 if none */
int diag_state_parse(const char *name);

/* diag_timer_name() - "on", "keepalive", "timewait", "persist", "off" (ss -o) */
const char *diag_timer_name(int timer);

/*
 * diag_request_build() - write a TCP dump request for @family (AF_INET or
 * AF_INET6) into @buf (at least 256 bytes); returns its length.
 */
size_t diag_request_build(void *buf, size_t len, int family, uint32_t seq);

/*
 * diag_parse() - decode a buffer holding one or more netlink messages
 * (inet_diag replies, NLMSG_DONE, NLMSG_ERROR) and append each socket to
 * @out.  Returns 1 when NLMSG_DONE was seen, 0 when more is expected, or
 * -errno (a reply error, or a malformed message: -EBADMSG).  The whole
 * buffer is decoded: an `ss -D` file holds two dumps, each with its DONE.
 * On error @out is left as it was.
 */
int diag_parse(const void *buf, size_t len, struct diag_set *out) WUR;

/*
 * diag_snapshot() - dump every TCP socket, IPv4 then IPv6, visible to
 * @nlfd (a NETLINK_SOCK_DIAG socket opened inside a node's namespace) into
 * @out (cleared first).
 */
int diag_snapshot(int nlfd, struct diag_set *out) WUR;

/*
 * diag_snapshot_filter() - like diag_snapshot(), for @family (AF_INET,
 * AF_INET6, 0 for both) and the states whose bit (1 << state) is set in
 * @states (0 for all); filtered in the kernel, so much cheaper to poll.
 */
int diag_snapshot_filter(int nlfd, int family, uint32_t states,
			 struct diag_set *out) WUR;

/*
 * diag_destroy() - SOCK_DESTROY every socket of @set that can be destroyed
 * (not request sockets, not TIME_WAIT); returns how many were destroyed.
 */
int diag_destroy(int nlfd, const struct diag_set *set);

/*
 * diag_destroy_build() - write the SOCK_DESTROY request (with NLM_F_ACK)
 * for @s into @buf (at least 256 bytes); returns its length, 0 on failure.
 */
size_t diag_destroy_build(void *buf, size_t len, const struct diag_sock *s,
			  uint32_t seq);

/* diag_set_clear(), diag_set_free() */
void diag_set_clear(struct diag_set *s);
void diag_set_free(struct diag_set *s);

/* diag_addr_format() - "198.18.0.1:80" or "[fd00::1]:80" */
const char *diag_addr_format(const struct diag_addr *a, char *buf, size_t len);

#endif
