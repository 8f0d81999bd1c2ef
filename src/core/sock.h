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
	uint32_t snd_wnd;  /* the peer's advertised window (0 if not given) */
	uint32_t rcv_wnd;  /* the window this end advertises (Linux 6.2+) */
	uint8_t has_rcv_wnd; /* the kernel gave rcv_wnd */
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

/*
 * diag_state_label() - RFC 9293's name, the one tcplab shows everywhere:
 * "SYN-RECEIVED", "FIN-WAIT-1", "CLOSED"; "UNKNOWN" when out of range
 */
const char *diag_state_label(int state);

/* diag_state_ss() - what `ss` prints: "ESTAB", "SYN-RECV", "UNCONN" */
const char *diag_state_ss(int state);

/* diag_state_parse() - the state for "SYN_SENT" / "SYN-SENT" / "syn-sent"; -1 if none */
int diag_state_parse(const char *name);

/* diag_timer_name() - "on", "keepalive", "timewait", "persist", "off" (ss -o) */
const char *diag_timer_name(int timer);

/*
 * What an expectation may read of a socket ("expect NODE socket FIELD OP
 * VALUE"): the queues as ss shows them, the listen queues, and tcp_info.
 */
enum diag_field {
	DIAG_F_RECV_Q = 1, DIAG_F_SEND_Q,
	DIAG_F_ACCEPT_Q,  /* a listener's Recv-Q: connections not accepted yet */
	DIAG_F_BACKLOG,   /* a listener's Send-Q: the backlog it was given */
	DIAG_F_SYN_Q,     /* request sockets on the listener's port */
	DIAG_F_RTO, DIAG_F_ATO, DIAG_F_RTT, DIAG_F_RTTVAR, /* in microseconds */
	DIAG_F_MSS, DIAG_F_RCV_MSS, DIAG_F_CWND, DIAG_F_SSTHRESH,
	DIAG_F_CA_STATE, DIAG_F_RETRANSMITS, DIAG_F_PROBES, DIAG_F_BACKOFF,
	DIAG_F_UNACKED, DIAG_F_LOST, DIAG_F_RETRANS, DIAG_F_TOTAL_RETRANS,
	DIAG_F_BYTES_ACKED, DIAG_F_BYTES_RECEIVED, DIAG_F_SEGS_OUT,
	DIAG_F_SEGS_IN, DIAG_F_SND_WND,
	DIAG_F_RCV_WND,   /* the window this end advertises (tcpi_rcv_wnd) */
};

enum diag_field_unit { DIAG_U_COUNT, DIAG_U_BYTES, DIAG_U_US, DIAG_U_CA_STATE };

/* diag_field_parse() - the field called @name ("recv-q", "rto" ...), 0 if none */
int diag_field_parse(const char *name);

/* diag_field_name(), diag_field_unit() - of field @f */
const char *diag_field_name(int f);
enum diag_field_unit diag_field_unit(int f);

/* diag_field_names() - every field name, comma-separated, into @buf */
const char *diag_field_names(char *buf, size_t len);

/* diag_field_listener() - @f is read on a listening socket */
int diag_field_listener(int f);

/*
 * diag_field_get() - field @f of @s into *@v; -1 when @s does not have it
 * (no tcp_info: a request or TIME_WAIT socket).  DIAG_F_SYN_Q is counted
 * over a set by the caller.
 */
int diag_field_get(const struct diag_sock *s, int f, int64_t *v);

/* diag_ca_state_parse() - "open", "disorder", "cwr", "recovery", "loss": 0..4, -1 */
int diag_ca_state_parse(const char *name);

/* diag_set_clear(), diag_set_free() */
void diag_set_clear(struct diag_set *s);
void diag_set_free(struct diag_set *s);

/* diag_addr_format() - "198.18.0.1:80" or "[fd00::1]:80" */
const char *diag_addr_format(const struct diag_addr *a, char *buf, size_t len);

/* diag_addr_eq() - 1 when @a and @b have the same family, address and port */
int diag_addr_eq(const struct diag_addr *a, const struct diag_addr *b);

/*
 * diag_sock_same() - 1 when @a and @b are the same socket: the same cookie
 * when both have one, else the same state and 4-tuple
 */
int diag_sock_same(const struct diag_sock *a, const struct diag_sock *b);

#endif
