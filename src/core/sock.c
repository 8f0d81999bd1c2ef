// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock.c - names of TCP states and timers, socket sets, address printing
 * (see sock.h); pure.
 */
#include "sock.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "util.h"

static const char *const diag_state_names[DIAG_STATE_MAX] = {
	[DIAG_ESTABLISHED] = "ESTABLISHED",
	[DIAG_SYN_SENT] = "SYN_SENT",
	[DIAG_SYN_RECV] = "SYN_RECV",
	[DIAG_FIN_WAIT1] = "FIN_WAIT1",
	[DIAG_FIN_WAIT2] = "FIN_WAIT2",
	[DIAG_TIME_WAIT] = "TIME_WAIT",
	[DIAG_CLOSE] = "CLOSE",
	[DIAG_CLOSE_WAIT] = "CLOSE_WAIT",
	[DIAG_LAST_ACK] = "LAST_ACK",
	[DIAG_LISTEN] = "LISTEN",
	[DIAG_CLOSING] = "CLOSING",
	[DIAG_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

/* Other spellings: RFC 793, netstat, ss; compared after normalisation */
static const struct {
	const char *name;
	int state;
} diag_state_aliases[] = {
	{ "ESTAB", DIAG_ESTABLISHED },
	{ "SYN_RECEIVED", DIAG_SYN_RECV },
	{ "SYN_RCVD", DIAG_SYN_RECV },
	{ "FIN_WAIT_1", DIAG_FIN_WAIT1 },
	{ "FIN_WAIT_2", DIAG_FIN_WAIT2 },
	{ "CLOSED", DIAG_CLOSE },
};

/**
 * diag_state_name() - name of a kernel TCP state
 * @state:	enum diag_state value
 *
 * Return: "SYN_SENT" and so on, "UNKNOWN" when out of range
 */
const char *diag_state_name(int state)
{
	if (state <= 0 || state >= DIAG_STATE_MAX)
		return "UNKNOWN";
	return diag_state_names[state];
}

/* RFC 9293's names: the one naming of the terminal and the report */
static const char *const diag_state_labels[DIAG_STATE_MAX] = {
	[DIAG_ESTABLISHED] = "ESTABLISHED",  [DIAG_SYN_SENT] = "SYN-SENT",
	[DIAG_SYN_RECV] = "SYN-RECEIVED",    [DIAG_FIN_WAIT1] = "FIN-WAIT-1",
	[DIAG_FIN_WAIT2] = "FIN-WAIT-2",     [DIAG_TIME_WAIT] = "TIME-WAIT",
	[DIAG_CLOSE] = "CLOSED",	     [DIAG_CLOSE_WAIT] = "CLOSE-WAIT",
	[DIAG_LAST_ACK] = "LAST-ACK",	     [DIAG_LISTEN] = "LISTEN",
	[DIAG_CLOSING] = "CLOSING",	     [DIAG_NEW_SYN_RECV] = "SYN-RECEIVED",
};

/* What `ss` prints (iproute2 misc/ss.c) */
static const char *const diag_state_ss_names[DIAG_STATE_MAX] = {
	[DIAG_ESTABLISHED] = "ESTAB",	  [DIAG_SYN_SENT] = "SYN-SENT",
	[DIAG_SYN_RECV] = "SYN-RECV",	  [DIAG_FIN_WAIT1] = "FIN-WAIT-1",
	[DIAG_FIN_WAIT2] = "FIN-WAIT-2",  [DIAG_TIME_WAIT] = "TIME-WAIT",
	[DIAG_CLOSE] = "UNCONN",	  [DIAG_CLOSE_WAIT] = "CLOSE-WAIT",
	[DIAG_LAST_ACK] = "LAST-ACK",	  [DIAG_LISTEN] = "LISTEN",
	[DIAG_CLOSING] = "CLOSING",	  [DIAG_NEW_SYN_RECV] = "SYN-RECV",
};

/**
 * diag_state_label() - the name tcplab shows a state by, RFC 9293's
 * @state:	enum diag_state value
 *
 * Return: "SYN-RECEIVED", "CLOSED" and so on, "UNKNOWN" when out of range
 */
const char *diag_state_label(int state)
{
	if (state <= 0 || state >= DIAG_STATE_MAX)
		return "UNKNOWN";
	return diag_state_labels[state];
}

/**
 * diag_state_ss() - the name `ss` prints for a state
 * @state:	enum diag_state value
 *
 * Return: "ESTAB", "SYN-RECV", "UNCONN" and so on, "UNKNOWN"
 */
const char *diag_state_ss(int state)
{
	if (state <= 0 || state >= DIAG_STATE_MAX)
		return "UNKNOWN";
	return diag_state_ss_names[state];
}

/**
 * diag_state_parse() - the state for a name, in any case, '-' or '_'
 * @name:	"SYN_SENT", "syn-sent", "FIN-WAIT-1", "closed", "ESTAB" ...
 *
 * Return: enum diag_state value, or -1 when @name is not a state
 */
int diag_state_parse(const char *name)
{
	char norm[24];
	size_t i, len;

	if (!name)
		return -1;
	len = strlen(name);
	if (!len || len >= sizeof(norm))
		return -1;
	for (i = 0; i <= len; i++)
		norm[i] = name[i] == '-' ? '_' : name[i];
	for (i = 1; i < DIAG_STATE_MAX; i++)
		if (!strcasecmp(norm, diag_state_names[i]))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(diag_state_aliases); i++)
		if (!strcasecmp(norm, diag_state_aliases[i].name))
			return diag_state_aliases[i].state;
	return -1;
}

/**
 * diag_timer_name() - name of an idiag_timer value, as `ss -o` prints it
 * @timer:	enum diag_timer value
 *
 * Return: "off", "on", "keepalive", "timewait", "persist", "delack", or
 * "unknown"
 */
const char *diag_timer_name(int timer)
{
	static const char *const names[] = {
		[DIAG_TIMER_OFF] = "off",
		[DIAG_TIMER_ON] = "on",
		[DIAG_TIMER_KEEPALIVE] = "keepalive",
		[DIAG_TIMER_TIMEWAIT] = "timewait",
		[DIAG_TIMER_PROBE] = "persist",
		[DIAG_TIMER_DELACK] = "delack",
	};

	if (timer < 0 || timer >= (int)ARRAY_SIZE(names))
		return "unknown";
	return names[timer];
}

/**
 * diag_set_clear() - forget the sockets of @s, keep its memory
 * @s:		the set
 */
void diag_set_clear(struct diag_set *s)
{
	s->n = 0;
}

/**
 * diag_set_free() - release the memory of @s, leaving it empty and usable
 * @s:		the set
 */
void diag_set_free(struct diag_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

/**
 * diag_addr_eq() - same family, address and port
 * @a:		one address
 * @b:		the other
 *
 * Return: 1 if equal
 */
int diag_addr_eq(const struct diag_addr *a, const struct diag_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return 0;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

/**
 * diag_sock_same() - are two sockets of snapshots the same socket?
 * @a:		one
 * @b:		the other (a mark kept from an expectation)
 *
 * Return: 1 if so
 */
int diag_sock_same(const struct diag_sock *a, const struct diag_sock *b)
{
	if (a->cookie && b->cookie)
		return a->cookie == b->cookie;
	return a->state == b->state &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       !memcmp(&a->dst, &b->dst, sizeof(a->dst));
}

/**
 * diag_addr_format() - print an address and port
 * @a:		the address
 * @buf:	destination
 * @len:	its size (INET6_ADDRSTRLEN + 8 is always enough)
 *
 * Return: @buf, holding "198.18.0.1:80" or "[fd00::1]:80"
 */
const char *diag_addr_format(const struct diag_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (!len)
		return buf;
	if (a->family == AF_INET && inet_ntop(AF_INET, &a->v4, ip, sizeof(ip)))
		snprintf(buf, len, "%s:%u", ip, a->port);
	else if (a->family == AF_INET6 &&
		 inet_ntop(AF_INET6, &a->v6, ip, sizeof(ip)))
		snprintf(buf, len, "[%s]:%u", ip, a->port);
	else
		snprintf(buf, len, "?:%u", a->port);
	return buf;
}

static const struct {
	const char *name;
	enum diag_field_unit unit;
} fields[] = {
	[DIAG_F_RECV_Q] = { "recv-q", DIAG_U_BYTES },
	[DIAG_F_SEND_Q] = { "send-q", DIAG_U_BYTES },
	[DIAG_F_ACCEPT_Q] = { "accept-queue", DIAG_U_COUNT },
	[DIAG_F_BACKLOG] = { "backlog", DIAG_U_COUNT },
	[DIAG_F_SYN_Q] = { "syn-queue", DIAG_U_COUNT },
	[DIAG_F_RTO] = { "rto", DIAG_U_US },
	[DIAG_F_ATO] = { "ato", DIAG_U_US },
	[DIAG_F_RTT] = { "rtt", DIAG_U_US },
	[DIAG_F_RTTVAR] = { "rttvar", DIAG_U_US },
	[DIAG_F_MSS] = { "mss", DIAG_U_BYTES },
	[DIAG_F_RCV_MSS] = { "rcv-mss", DIAG_U_BYTES },
	[DIAG_F_CWND] = { "cwnd", DIAG_U_COUNT },
	[DIAG_F_SSTHRESH] = { "ssthresh", DIAG_U_COUNT },
	[DIAG_F_CA_STATE] = { "ca-state", DIAG_U_CA_STATE },
	[DIAG_F_RETRANSMITS] = { "retransmits", DIAG_U_COUNT },
	[DIAG_F_PROBES] = { "probes", DIAG_U_COUNT },
	[DIAG_F_BACKOFF] = { "backoff", DIAG_U_COUNT },
	[DIAG_F_UNACKED] = { "unacked", DIAG_U_COUNT },
	[DIAG_F_LOST] = { "lost", DIAG_U_COUNT },
	[DIAG_F_RETRANS] = { "retrans", DIAG_U_COUNT },
	[DIAG_F_TOTAL_RETRANS] = { "total-retrans", DIAG_U_COUNT },
	[DIAG_F_BYTES_ACKED] = { "bytes-acked", DIAG_U_BYTES },
	[DIAG_F_BYTES_RECEIVED] = { "bytes-received", DIAG_U_BYTES },
	[DIAG_F_SEGS_OUT] = { "segs-out", DIAG_U_COUNT },
	[DIAG_F_SEGS_IN] = { "segs-in", DIAG_U_COUNT },
	[DIAG_F_SND_WND] = { "snd-wnd", DIAG_U_BYTES },
	[DIAG_F_RCV_WND] = { "rcv-wnd", DIAG_U_BYTES },
};

int diag_field_parse(const char *name)
{
	char dashed[32];
	size_t f, k;

	/* "rcv_wnd" as tcp_info spells it is "rcv-wnd" */
	for (k = 0; name[k] && k + 1 < sizeof(dashed); k++)
		dashed[k] = name[k] == '_' ? '-' : name[k];
	dashed[k] = '\0';
	if (name[k])
		return 0;
	for (f = 1; f < ARRAY_SIZE(fields); f++)
		if (fields[f].name && !strcmp(fields[f].name, dashed))
			return (int)f;
	return 0;
}

const char *diag_field_name(int f)
{
	if (f <= 0 || f >= (int)ARRAY_SIZE(fields) || !fields[f].name)
		return "?";
	return fields[f].name;
}

enum diag_field_unit diag_field_unit(int f)
{
	if (f <= 0 || f >= (int)ARRAY_SIZE(fields))
		return DIAG_U_COUNT;
	return fields[f].unit;
}

const char *diag_field_names(char *buf, size_t len)
{
	size_t f, n = 0;

	if (len)
		buf[0] = '\0';
	for (f = 1; f < ARRAY_SIZE(fields) && n < len; f++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", f > 1 ? ", " : "",
				      fields[f].name);
	return buf;
}

int diag_field_listener(int f)
{
	return f == DIAG_F_ACCEPT_Q || f == DIAG_F_BACKLOG || f == DIAG_F_SYN_Q;
}

int diag_ca_state_parse(const char *name)
{
	static const char *const names[] = { "open", "disorder", "cwr",
					      "recovery", "loss" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcasecmp(name, names[i]))
			return (int)i;
	return -1;
}

int diag_field_get(const struct diag_sock *s, int f, int64_t *v)
{
	const struct diag_tcpinfo *i = &s->info;

	switch (f) {
	case DIAG_F_RECV_Q:
	case DIAG_F_ACCEPT_Q:
		*v = s->rqueue;
		return 0;
	case DIAG_F_SEND_Q:
	case DIAG_F_BACKLOG:
		*v = s->wqueue;
		return 0;
	default:
		break;
	}
	if (!s->has_info)
		return -1;
	switch (f) {
	case DIAG_F_RTO: *v = i->rto_us; break;
	case DIAG_F_ATO: *v = i->ato_us; break;
	case DIAG_F_RTT: *v = i->rtt_us; break;
	case DIAG_F_RTTVAR: *v = i->rttvar_us; break;
	case DIAG_F_MSS: *v = i->snd_mss; break;
	case DIAG_F_RCV_MSS: *v = i->rcv_mss; break;
	case DIAG_F_CWND: *v = i->snd_cwnd; break;
	case DIAG_F_SSTHRESH: *v = i->snd_ssthresh; break;
	case DIAG_F_CA_STATE: *v = i->ca_state; break;
	case DIAG_F_RETRANSMITS: *v = i->retransmits; break;
	case DIAG_F_PROBES: *v = i->probes; break;
	case DIAG_F_BACKOFF: *v = i->backoff; break;
	case DIAG_F_UNACKED: *v = i->unacked; break;
	case DIAG_F_LOST: *v = i->lost; break;
	case DIAG_F_RETRANS: *v = i->retrans; break;
	case DIAG_F_TOTAL_RETRANS: *v = i->total_retrans; break;
	case DIAG_F_BYTES_ACKED: *v = (int64_t)i->bytes_acked; break;
	case DIAG_F_BYTES_RECEIVED: *v = (int64_t)i->bytes_received; break;
	case DIAG_F_SEGS_OUT: *v = i->segs_out; break;
	case DIAG_F_SEGS_IN: *v = i->segs_in; break;
	case DIAG_F_SND_WND: *v = i->snd_wnd; break;
	case DIAG_F_RCV_WND:
		if (!i->has_rcv_wnd)
			return -1; /* before Linux 6.2 */
		*v = i->rcv_wnd;
		break;
	default:
		return -1;
	}
	return 0;
}
