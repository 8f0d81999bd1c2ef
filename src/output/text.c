// SPDX-License-Identifier: GPL-2.0-or-later
/* text.c - netstat-like socket tables (see text.h) */
#include "text.h"

#include <string.h>

#include "util.h"

static void fmt_ms(uint32_t ms, char *buf, size_t len)
{
	if (ms >= 60000)
		snprintf(buf, len, "%umin%us", ms / 60000, (ms % 60000) / 1000);
	else if (ms >= 1000)
		snprintf(buf, len, "%u.%03us", ms / 1000, ms % 1000);
	else
		snprintf(buf, len, "%ums", ms);
}

const char *text_timer(const struct diag_sock *s, char *buf, size_t len)
{
	char exp[32];

	if (s->timer == DIAG_TIMER_OFF || s->timer > DIAG_TIMER_PROBE) {
		buf[0] = '\0';
		return buf;
	}
	fmt_ms(s->expires_ms, exp, sizeof(exp));
	snprintf(buf, len, "%s,%s,%u", diag_timer_name(s->timer), exp,
		 s->retrans);
	return buf;
}

const char *text_state(int st)
{
	/* the one naming of states (RFC 9293's); the report maps it to ss's */
	return diag_state_label(st);
}

void text_sock_table(FILE *f, const struct text_node_socks *nodes, int n,
		     int mark_node, const struct diag_sock *mark, int indent)
{
	int i;

	fprintf(f, "%*s  %-7s %-12s %6s %6s  %-26s %-26s %s\n", indent, "",
		"Node", "State", "Recv-Q", "Send-Q", "Local Address:Port",
		"Peer Address:Port", "Timer");
	for (i = 0; i < n; i++) {
		size_t k;

		if (!nodes[i].set || !nodes[i].set->n) {
			fprintf(f, "%*s  %-7s (no TCP sockets)\n", indent, "",
				nodes[i].node);
			continue;
		}
		for (k = 0; k < nodes[i].set->n; k++) {
			const struct diag_sock *s = &nodes[i].set->v[k];
			char la[64], pa[64], tm[48];
			int marked = mark && i == mark_node && diag_sock_same(s, mark);

			diag_addr_format(&s->src, la, sizeof(la));
			if (s->state == DIAG_LISTEN) {
				snprintf(pa, sizeof(pa), "%s",
					 s->src.family == AF_INET6 ? "[::]:*"
								   : "0.0.0.0:*");
			} else {
				diag_addr_format(&s->dst, pa, sizeof(pa));
			}
			fprintf(f, "%*s%c %-7s %-12s %6u %6u  %-26s %-26s %s\n",
				indent, "", marked ? '>' : ' ', nodes[i].node,
				text_state(s->state), s->rqueue, s->wqueue, la,
				pa, text_timer(s, tm, sizeof(tm)));
		}
	}
}
