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
