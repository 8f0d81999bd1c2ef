/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sock.h - a TCP socket as sock_diag shows it: states, timers, addresses
 *
 * Theory of operation: these are the plain structs that the sock_diag
 * decoder (kernel/diag.h) fills and that the timeline, the results and the
 * writers read.  They live in the pure core so that nothing which only
 * reads a snapshot depends on the netlink code that takes one.  The names
 * keep the diag_ prefix of the interface they mirror (inet_diag).
 */
#ifndef TCPLAB_SOCK_H
#define TCPLAB_SOCK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

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

/* diag_set_clear(), diag_set_free() */
void diag_set_clear(struct diag_set *s);
void diag_set_free(struct diag_set *s);

/* diag_addr_format() - "198.18.0.1:80" or "[fd00::1]:80" */
const char *diag_addr_format(const struct diag_addr *a, char *buf, size_t len);

#endif
