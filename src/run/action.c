// SPDX-License-Identifier: GPL-2.0-or-later
/* action.c - action steps to endpoint commands and back (see action.h) */
#include "action.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt.h"
#include "sockopt.h"
#include "util.h"

/**
 * action_peer() - a CONNECT's destination: the peer node's address, or
 * the address the step names (in the run's family)
 * @st:		the step
 * @plan:	the lab's plan
 * @req:	family, address and port set
 */
static void action_peer(const struct step *st, const struct plan *plan,
			struct ep_msg *req)
{
	req->family = plan->family == 6 ? AF_INET6 : AF_INET;
	req->port = st->port;
	if (st->peer < 0 && plan->family == 6)
		memcpy(req->addr, &st->peer_v6, 16); /* an address nobody owns */
	else if (st->peer < 0)
		memcpy(req->addr, &st->peer_v4, 4);
	else if (plan->family == 6)
		memcpy(req->addr, &plan->nodes[st->peer].v6, 16);
	else
		memcpy(req->addr, &plan->nodes[st->peer].v4, 4);
}

/**
 * action_text() - @n bytes of @d as printable text: a byte that is not
 * printable ASCII, '"' or '\\' as \xHH
 * @d:		bytes
 * @n:		how many
 * @buf:	output, 4 * @n + 1 bytes at least
 * @len:	its size
 *
 * Return: @buf
 */
const char *action_text(const uint8_t *d, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 <= len; i++) {
		if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' && d[i] != '\\')
			buf[o++] = (char)d[i];
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", d[i]);
	}
	if (len)
		buf[o < len ? o : len - 1] = '\0';
	return buf;
}

/**
 * action_request() - the endpoint command for an action step
 * @st:		the step
 * @plan:	the lab's plan (family, node addresses)
 * @wait_ns:	how long an ACCEPT or RECV may wait
 * @req:	the command, zeroed first
 * @what:	its description
 * @len:	size of @what
 * @e:		why there is none
 *
 * Return: 0, or -EINVAL for a step that is no action
 */
int action_request(const struct step *st, const struct plan *plan,
		   uint64_t wait_ns, struct ep_msg *req, char *what,
		   size_t len, struct err *e)
{
	struct util_buf w;
	char peer[64];

	memset(req, 0, sizeof(*req));
	util_buf_init(&w, what, len);
	req->conn = st->conn >= 0 ? (uint32_t)st->conn + 1 : 0;
	req->nopts = (uint16_t)st->nopts;
	memcpy(req->opts, st->opts, sizeof(req->opts));
	switch (st->kind) {
	case STEP_LISTEN:
		req->op = EP_LISTEN;
		req->family = plan->family == 6 ? AF_INET6 : AF_INET;
		req->port = st->port;
		req->arg = (uint32_t)st->backlog;
		util_buf_printf(&w, "listen :%u (backlog %d)", st->port,
				st->backlog);
		break;
	case STEP_SOCKOPT:
		req->op = EP_SOCKOPT;
		util_buf_printf(&w, "setsockopt");
		break;
	case STEP_CONNECT:
		req->op = EP_CONNECT;
		action_peer(st, plan, req);
		req->arg = st->count;
		req->bind_port = st->from_port;
		inet_ntop(req->family, req->addr, peer, sizeof(peer));
		util_buf_printf(&w, plan->family == 6 ? "connect [%s]:%u"
						      : "connect %s:%u",
				peer, st->port);
		if (st->count > 1)
			util_buf_printf(&w, " x %u", st->count);
		if (st->from_port)
			util_buf_printf(&w, " from port %u", st->from_port);
		break;
	case STEP_ACCEPT:
		req->op = EP_ACCEPT;
		req->timeout_ns = wait_ns;
		util_buf_printf(&w, "accept");
		break;
	case STEP_SEND:
		req->op = EP_SEND;
		req->arg = st->bytes;
		if (st->has_data) {
			_Static_assert(sizeof(req->data) >= sizeof(st->data),
				       "the text fits the command");
			req->data_len = (uint16_t)st->bytes;
			memcpy(req->data, st->data, st->bytes);
			util_buf_printf(&w, "send \"%s\" (%u bytes)", st->data,
					st->bytes);
			break;
		}
		util_buf_printf(&w, "send %u bytes", st->bytes);
		break;
	case STEP_EXPECT_RECEIVED:
		req->op = EP_RECEIVED;
		util_buf_printf(&w, "received so far");
		break;
	case STEP_RECV:
	case STEP_EXPECT_EOF:
		req->op = EP_RECV;
		req->timeout_ns = wait_ns;
		util_buf_printf(&w, "recv");
		break;
	case STEP_SHUTDOWN:
		req->op = EP_SHUTDOWN;
		util_buf_printf(&w, "shutdown(SHUT_WR): send FIN");
		break;
	case STEP_CLOSE:
		req->op = st->listener ? EP_CLOSE_LISTENER : EP_CLOSE;
		util_buf_printf(&w, st->listener ? "close listener" : "close");
		break;
	case STEP_ABORT:
		req->op = EP_ABORT;
		util_buf_printf(&w, "abort: close with SO_LINGER 0 (RST)");
		break;
	case STEP_EXIT:
		req->op = EP_EXIT;
		util_buf_printf(&w, "exit abruptly (the program dies, its "
				"sockets close)");
		break;
	case STEP_KEEPALIVE:
		req->op = EP_KEEPALIVE;
		req->arg = st->ka_idle;
		req->value = (int64_t)((uint64_t)st->ka_intvl << 32 | st->ka_count);
		util_buf_printf(&w, "keepalive on: idle %us, interval %us, "
				"%u probes", st->ka_idle, st->ka_intvl,
				st->ka_count);
		break;
	case STEP_INJECT: {
		char fl[16];

		req->op = EP_INJECT;
		req->arg = st->tcp_flags;
		req->seq_off = st->seq_off;
		req->ack_off = st->ack_off;
		req->win = st->win;
		util_buf_printf(&w, "inject [%s] seq %+d",
				pkt_flags_format(st->tcp_flags, fl, sizeof(fl)),
				st->seq_off);
		if (st->tcp_flags & RULE_TCP_ACK)
			util_buf_printf(&w, " ack %+d", st->ack_off);
		util_buf_printf(&w, " win %u", st->win);
		break;
	}
	default:
		return err_set(e, -EINVAL, "not an action: %s",
			       step_kind_name(st->kind));
	}
	return 0;
}

/**
 * action_label() - add the named connection and socket options to a
 * description
 * @st:		the step
 * @sc:		its scenario (connection names)
 * @what:	the description from action_request(); extended
 * @len:	its size
 */
void action_label(const struct step *st, const struct scenario *sc,
		  char *what, size_t len)
{
	size_t used = strnlen(what, len);
	struct util_buf w;
	int i;

	if (used >= len)
		return;
	util_buf_init(&w, what + used, len - used);
	if (st->conn >= 0)
		util_buf_printf(&w, " [%s]", sc->conns[st->conn].name);
	for (i = 0; i < st->nopts; i++) {
		char o[48];

		util_buf_printf(&w, "%s%s", i ? "," : " with ",
				sockopt_format(&st->opts[i], o, sizeof(o)));
	}
}

/**
 * action_outcome() - the step line for an endpoint's answer
 * @st:		the step
 * @what:	its description (action_request(), action_label())
 * @rep:	the answer
 * @buf:	the line
 * @len:	its size
 */
void action_outcome(const struct step *st, const char *what,
		    const struct ep_msg *rep, char *buf, size_t len)
{
	const char *name = util_errno_name(rep->err);
	struct util_buf w;

	util_buf_init(&w, buf, len);
	util_buf_printf(&w, "%s", what);
	switch (st->kind) {
	case STEP_CONNECT:
		util_buf_printf(&w, ": %s (local port %u)",
				rep->err == EINPROGRESS ? "in progress"
				: rep->err ? name ?: strerror(rep->err)
					   : "connected",
				rep->lport);
		break;
	case STEP_ACCEPT:
		if (!rep->err)
			util_buf_printf(&w, ": connection from port %u",
					rep->port);
		else
			util_buf_printf(&w, ": %s", strerror(rep->err));
		break;
	case STEP_RECV:
	case STEP_EXPECT_EOF:
		if (rep->err)
			util_buf_printf(&w, ": %s (%s)", name ?: "?",
					strerror(rep->err));
		else
			util_buf_printf(&w, ": %lld bytes%s",
					(long long)rep->value,
					rep->flags & EP_F_EOF
						? ", then EOF (peer sent FIN)"
						: "");
		break;
	case STEP_EXPECT_RECEIVED:
		if (rep->err) {
			util_buf_printf(&w, ": %s", strerror(rep->err));
			break;
		}
		util_buf_printf(&w, ": %lld bytes", (long long)rep->value);
		if (rep->data_len) {
			/* the first 32 bytes are enough to recognise it */
			size_t n = rep->data_len < 32 ? rep->data_len : 32;
			char txt[4 * 32 + 1];

			util_buf_printf(&w, " \"%s\"%s",
					action_text(rep->data, n, txt, sizeof(txt)),
					rep->value > (int64_t)n ? "..." : "");
		}
		break;
	case STEP_SEND:
		util_buf_printf(&w, ": %lld sent%s%s", (long long)rep->value,
				rep->err ? ", " : "",
				rep->err ? strerror(rep->err) : "");
		break;
	default:
		if (rep->err)
			util_buf_printf(&w, ": %s", strerror(rep->err));
	}
}

int action_changes_sockets(uint32_t op)
{
	switch (op) {
	case EP_LISTEN:
	case EP_CONNECT:
	case EP_SHUTDOWN:
	case EP_CLOSE:
	case EP_CLOSE_LISTENER:
	case EP_ABORT:
		return 1;
	default:
		return 0;
	}
}
