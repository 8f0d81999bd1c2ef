// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcpfsm.c - the TCP state diagram and the path a run's sockets took
 * through it (see tcpfsm.h)
 *
 * Theory of operation
 *
 * The figure has the eleven states and twenty transitions of RFC 9293
 * (its figure 5, with the return of a passive SYN-RECEIVED to LISTEN on a
 * RST, note 1).  Resets elsewhere and a socket's end after a crash are in
 * the RFC's text, not on its figure: they are kept as changes with no edge.
 *
 * sock_diag samples see a socket now and then; a state that lasts a few
 * microseconds (SYN_SENT on a link with no delay, FIN_WAIT1 before its FIN
 * is acknowledged) is seldom sampled, and a sampled state is seen some
 * time after the packet that caused it.  So the path is replayed from what
 * caused each change, the way RFC 9293 section 3.10 processes a segment,
 * and the samples only fill in what the packets cannot show.
 *
 * Each node has a small table of sockets, each known by its local and
 * remote address and port (a listener by its local port).  The timeline's
 * events are taken in time order (an index sorted by time; the timeline
 * itself is not changed):
 *
 *  - a call: "NODE listen PORT" makes a listener (CLOSED -> LISTEN),
 *    "NODE close listener" closes it (LISTEN -> CLOSED); while a "hold"
 *    rule is on a node's input ("firewall NODE input ... hold"), the
 *    segments sent to it are received only at "firewall NODE release"
 *    (the capture saw them leave, not arrive);
 *  - a segment a node sent (a captured TL_PACKET, or a TL_DROP on the
 *    sender's output hook, which no capture sees but which the socket did
 *    send): a SYN from an unknown socket is an active open (CLOSED ->
 *    SYN-SENT), a FIN closes (ESTABLISHED or SYN-RECEIVED -> FIN-WAIT-1,
 *    CLOSE-WAIT -> LAST-ACK) and its sequence number is kept, a RST aborts
 *    (-> CLOSED, no edge of the figure);
 *  - a segment a node received (a TL_PACKET to it that no TL_DROP on the
 *    way ended - a drop is matched to the closest same segment within
 *    100 ms): a SYN at a listener's port makes a new socket (LISTEN ->
 *    SYN-RECEIVED), a SYN,ACK completes an active open, a RST closes, then
 *    the ACK is processed (SYN-RECEIVED -> ESTABLISHED; the ACK of our FIN:
 *    FIN-WAIT-1 -> FIN-WAIT-2, CLOSING -> TIME-WAIT, LAST-ACK -> CLOSED)
 *    and then the FIN (ESTABLISHED -> CLOSE-WAIT, FIN-WAIT-1 -> CLOSING,
 *    FIN-WAIT-2 -> TIME-WAIT);
 *  - a sample (TL_STATE) of a socket in a state other than the one the
 *    replay has for it is a change only the sample shows (cause
 *    TCPFSM_SAMPLE, "seen at"): TIME-WAIT -> CLOSED when its timer ends, a
 *    crash, or a packet no capture saw.  The sample's socket is the one
 *    with its addresses; a sample without them (read back from JSON) goes
 *    to the node's listener for LISTEN, else to the socket of the node that
 *    changed last.  A CLOSE sample in the same sweep as another state of
 *    the same node is the request socket of a handshake giving way to the
 *    full socket, and is no change.
 */
#include "tcpfsm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ladder_int.h"
#include "rule.h"
#include "sock.h"
#include "util.h"

#define TCPFSM_MATCH_NS (100 * NS_PER_MS)
#define TCPFSM_MAX_SOCKS 64

const struct tcpfsm_edge tcpfsm_edges[TCPFSM_NEDGES] = {
	{ DIAG_CLOSE, DIAG_LISTEN, "passive OPEN", "create TCB" },
	{ DIAG_CLOSE, DIAG_SYN_SENT, "active OPEN", "create TCB, snd SYN" },
	{ DIAG_LISTEN, DIAG_CLOSE, "CLOSE", "delete TCB" },
	{ DIAG_LISTEN, DIAG_SYN_RECV, "rcv SYN", "snd SYN,ACK" },
	{ DIAG_LISTEN, DIAG_SYN_SENT, "SEND", "snd SYN" },
	{ DIAG_SYN_SENT, DIAG_CLOSE, "CLOSE", "delete TCB" },
	{ DIAG_SYN_SENT, DIAG_SYN_RECV, "rcv SYN", "snd SYN,ACK" },
	{ DIAG_SYN_SENT, DIAG_ESTABLISHED, "rcv SYN,ACK", "snd ACK" },
	{ DIAG_SYN_RECV, DIAG_ESTABLISHED, "rcv ACK of SYN", "x" },
	{ DIAG_SYN_RECV, DIAG_FIN_WAIT1, "CLOSE", "snd FIN" },
	{ DIAG_ESTABLISHED, DIAG_FIN_WAIT1, "CLOSE", "snd FIN" },
	{ DIAG_ESTABLISHED, DIAG_CLOSE_WAIT, "rcv FIN", "snd ACK" },
	{ DIAG_FIN_WAIT1, DIAG_FIN_WAIT2, "rcv ACK of FIN", "x" },
	{ DIAG_FIN_WAIT1, DIAG_CLOSING, "rcv FIN", "snd ACK" },
	{ DIAG_FIN_WAIT2, DIAG_TIME_WAIT, "rcv FIN", "snd ACK" },
	{ DIAG_CLOSING, DIAG_TIME_WAIT, "rcv ACK of FIN", "x" },
	{ DIAG_CLOSE_WAIT, DIAG_LAST_ACK, "CLOSE", "snd FIN" },
	{ DIAG_LAST_ACK, DIAG_CLOSE, "rcv ACK of FIN", "x" },
	{ DIAG_TIME_WAIT, DIAG_CLOSE, "Timeout=2MSL", "delete TCB" },
	{ DIAG_SYN_RECV, DIAG_LISTEN, "rcv RST (note 1)", "x" },
};

const int tcpfsm_states[TCPFSM_NSTATES] = {
	DIAG_CLOSE,	  DIAG_LISTEN,	   DIAG_SYN_SENT,  DIAG_SYN_RECV,
	DIAG_ESTABLISHED, DIAG_FIN_WAIT1,  DIAG_FIN_WAIT2, DIAG_CLOSE_WAIT,
	DIAG_CLOSING,	  DIAG_LAST_ACK,   DIAG_TIME_WAIT,
};

struct fsock {
	int node;
	int id;                 /* its number on the node */
	struct diag_addr local, remote; /* remote.port 0: a listener */
	int state;
	int fin_sent;
	uint32_t fin_end;       /* the sequence number after our FIN */
	int passive;            /* made by a SYN at a listener */
};

struct replay {
	const struct timeline *tl;
	struct tcpfsm_trace *out;
	struct fsock socks[TCPFSM_MAX_SOCKS];
	int nsocks;
	int per_node[8];        /* sockets made on each node */
	int last[8];            /* the socket of each node that changed last, -1 */
	int holding[8];         /* a "hold" rule on the node's input */
	size_t *held;           /* segments held, received at the release */
	size_t nheld;
	uint64_t t_now;         /* when a change happens: its cause's time */
};

int tcpfsm_edge_find(int from, int to)
{
	int i;

	for (i = 0; i < TCPFSM_NEDGES; i++)
		if (tcpfsm_edges[i].from == from && tcpfsm_edges[i].to == to)
			return i;
	return -1;
}

/**
 * addr_same() - the same address and port?
 * @a:		one
 * @b:		the other
 *
 * Return: 1 if so
 */
static int addr_same(const struct diag_addr *a, const struct diag_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return 0;
	return a->family == AF_INET6
		       ? !memcmp(&a->v6, &b->v6, sizeof(a->v6))
		       : a->v4.s_addr == b->v4.s_addr;
}

/**
 * step() - @s changes to @to because of event @ev
 * @rp:		replay
 * @s:		the socket
 * @to:		its new state
 * @cause:	what caused it
 * @ev:		the event's index in the timeline
 *
 * Return: 0 or -ENOMEM
 */
static int step(struct replay *rp, struct fsock *s, int to,
		enum tcpfsm_cause cause, size_t ev)
{
	struct tcpfsm_trace *t = rp->out;

	if (util_grow((void **)&t->v, &t->cap, t->n, sizeof(*t->v), 32))
		return -ENOMEM;
	t->v[t->n++] = (struct tcpfsm_step){
		.node = s->node, .sock = s->id, .from = s->state, .to = to,
		.edge = tcpfsm_edge_find(s->state, to), .cause = cause,
		.t_ns = rp->t_now, .ev = ev, .local = s->local,
		.remote = s->remote,
	};
	s->state = to;
	if (s->node >= 0 && s->node < 8)
		rp->last[s->node] = (int)(s - rp->socks);
	return 0;
}

/**
 * sock_new() - a new socket on @node, in @state; NULL when the table is full
 * @rp:		replay
 * @node:	its node
 * @local:	its address, or NULL
 * @remote:	its peer's, or NULL (a listener, or not known yet)
 * @state:	its state
 *
 * Return: the socket
 */
static struct fsock *sock_new(struct replay *rp, int node,
			      const struct diag_addr *local,
			      const struct diag_addr *remote, int state)
{
	struct fsock *s;

	if (rp->nsocks == TCPFSM_MAX_SOCKS || node < 0 || node >= 8)
		return NULL;
	s = &rp->socks[rp->nsocks++];
	memset(s, 0, sizeof(*s));
	s->node = node;
	s->id = rp->per_node[node]++;
	if (local)
		s->local = *local;
	if (remote)
		s->remote = *remote;
	s->state = state;
	return s;
}

/**
 * sock_find() - the socket of @node from @local to @remote (the newest)
 * @rp:		replay
 * @node:	node
 * @local:	its address and port
 * @remote:	its peer's
 *
 * Return: it, or NULL
 */
static struct fsock *sock_find(struct replay *rp, int node,
			       const struct diag_addr *local,
			       const struct diag_addr *remote)
{
	int i;

	for (i = rp->nsocks - 1; i >= 0; i--) {
		struct fsock *s = &rp->socks[i];

		if (s->node == node && s->remote.port &&
		    addr_same(&s->local, local) && addr_same(&s->remote, remote))
			return &rp->socks[i];
	}
	return NULL;
}

/**
 * listener() - the listener of @node (on @port, when not 0)
 * @rp:		replay
 * @node:	node
 * @port:	local port, or 0 for any
 * @state:	only one in this state, or 0 for any
 *
 * Return: it, or NULL
 */
static struct fsock *listener(struct replay *rp, int node, uint16_t port,
			      int state)
{
	int i;

	for (i = rp->nsocks - 1; i >= 0; i--) {
		struct fsock *s = &rp->socks[i];

		if (s->node == node && !s->remote.port &&
		    (!port || s->local.port == port) &&
		    (!state || s->state == state))
			return s;
	}
	return NULL;
}

/**
 * acks_fin() - does @p acknowledge the FIN @s sent?
 * @s:		socket
 * @p:		a segment it received
 *
 * Return: 1 if so
 */
static int acks_fin(const struct fsock *s, const struct tl_pkt *p)
{
	return s->fin_sent && (p->flags & RULE_TCP_ACK) &&
	       (int32_t)(p->ack - s->fin_end) >= 0;
}

/**
 * on_sent() - a segment @node sent
 * @rp:		replay
 * @node:	the sender
 * @p:		the segment
 * @ev:		its event
 *
 * Return: 0 or -ENOMEM
 */
static int on_sent(struct replay *rp, int node, const struct tl_pkt *p,
		   size_t ev)
{
	struct fsock *s = sock_find(rp, node, &p->src, &p->dst);
	uint8_t fl = p->flags;

	if (!s) {
		if ((fl & (RULE_TCP_SYN | RULE_TCP_ACK | RULE_TCP_RST)) != RULE_TCP_SYN)
			return 0; /* a reply from no socket: a RST for a closed port */
		s = sock_new(rp, node, &p->src, &p->dst, DIAG_CLOSE);
		if (!s)
			return 0;
		return step(rp, s, DIAG_SYN_SENT, TCPFSM_SENT, ev);
	}
	if (fl & RULE_TCP_RST)
		return s->state == DIAG_CLOSE || s->state == DIAG_LISTEN
			       ? 0 : step(rp, s, DIAG_CLOSE, TCPFSM_SENT, ev);
	if (!(fl & RULE_TCP_FIN))
		return 0;
	if (!s->fin_sent) {
		s->fin_sent = 1;
		s->fin_end = p->seq + p->len + 1;
	}
	switch (s->state) {
	case DIAG_ESTABLISHED:
	case DIAG_SYN_RECV:
		return step(rp, s, DIAG_FIN_WAIT1, TCPFSM_SENT, ev);
	case DIAG_CLOSE_WAIT:
		return step(rp, s, DIAG_LAST_ACK, TCPFSM_SENT, ev);
	}
	return 0;
}

/**
 * on_ack_fin() - the ACK, then the FIN, of a segment @s received
 * @rp:		replay
 * @s:		socket
 * @p:		the segment
 * @ev:		its event
 *
 * Return: 0 or -ENOMEM
 */
static int on_ack_fin(struct replay *rp, struct fsock *s,
		      const struct tl_pkt *p, size_t ev)
{
	int rc = 0;

	if (p->flags & RULE_TCP_ACK) {
		if (s->state == DIAG_SYN_RECV)
			rc = step(rp, s, DIAG_ESTABLISHED, TCPFSM_RCVD, ev);
		else if (s->state == DIAG_FIN_WAIT1 && acks_fin(s, p))
			rc = step(rp, s, DIAG_FIN_WAIT2, TCPFSM_RCVD, ev);
		else if (s->state == DIAG_CLOSING && acks_fin(s, p))
			rc = step(rp, s, DIAG_TIME_WAIT, TCPFSM_RCVD, ev);
		else if (s->state == DIAG_LAST_ACK && acks_fin(s, p))
			rc = step(rp, s, DIAG_CLOSE, TCPFSM_RCVD, ev);
	}
	if (rc || !(p->flags & RULE_TCP_FIN))
		return rc;
	switch (s->state) {
	case DIAG_ESTABLISHED:
		return step(rp, s, DIAG_CLOSE_WAIT, TCPFSM_RCVD, ev);
	case DIAG_FIN_WAIT1:
		return step(rp, s, DIAG_CLOSING, TCPFSM_RCVD, ev);
	case DIAG_FIN_WAIT2:
		return step(rp, s, DIAG_TIME_WAIT, TCPFSM_RCVD, ev);
	}
	return 0;
}

/**
 * on_rcvd() - a segment @node received
 * @rp:		replay
 * @node:	the receiver
 * @p:		the segment
 * @ev:		its event
 *
 * Return: 0 or -ENOMEM
 */
static int on_rcvd(struct replay *rp, int node, const struct tl_pkt *p,
		   size_t ev)
{
	struct fsock *s = sock_find(rp, node, &p->dst, &p->src), *l;
	uint8_t fl = p->flags & (RULE_TCP_SYN | RULE_TCP_ACK | RULE_TCP_RST);

	if (!s) {
		l = listener(rp, node, p->dst.port, DIAG_LISTEN);
		if (fl != RULE_TCP_SYN || !l)
			return 0;
		s = sock_new(rp, node, &p->dst, &p->src, DIAG_LISTEN);
		if (!s)
			return 0;
		s->passive = 1;
		return step(rp, s, DIAG_SYN_RECV, TCPFSM_RCVD, ev);
	}
	/* note 1 of the figure: a passive open goes back to LISTEN */
	if ((fl & RULE_TCP_RST) && s->state == DIAG_SYN_RECV && s->passive)
		return step(rp, s, DIAG_LISTEN, TCPFSM_RCVD, ev);
	if (fl & RULE_TCP_RST)
		return s->state == DIAG_CLOSE || s->state == DIAG_LISTEN
			       ? 0 : step(rp, s, DIAG_CLOSE, TCPFSM_RCVD, ev);
	if (fl == RULE_TCP_SYN)
		return s->state == DIAG_SYN_SENT
			       ? step(rp, s, DIAG_SYN_RECV, TCPFSM_RCVD, ev) : 0;
	if (fl == (RULE_TCP_SYN | RULE_TCP_ACK))
		return s->state == DIAG_SYN_SENT
			       ? step(rp, s, DIAG_ESTABLISHED, TCPFSM_RCVD, ev) : 0;
	return on_ack_fin(rp, s, p, ev);
}

static int on_rcvd(struct replay *rp, int node, const struct tl_pkt *p,
		   size_t ev);

/**
 * release() - the segments held at @node's input arrive, in order, now
 * @rp:		replay
 * @node:	the node whose hold rules end
 *
 * Return: 0 or -ENOMEM
 */
static int release(struct replay *rp, int node)
{
	size_t i, k = 0;
	int rc = 0;

	rp->holding[node] = 0;
	for (i = 0; i < rp->nheld; i++) {
		const struct tl_event *e = &rp->tl->v[rp->held[i]];

		if (e->peer != node)
			rp->held[k++] = rp->held[i];
		else if (!rc)
			rc = on_rcvd(rp, node, &e->pkt, rp->held[i]);
	}
	rp->nheld = k;
	return rc;
}

/**
 * on_call() - a step of the scenario: "server listen 80", "server close
 * listener"
 * @rp:		replay
 * @e:		the TL_STEP
 * @ev:		its index
 *
 * Return: 0 or -ENOMEM
 */
static int on_call(struct replay *rp, const struct tl_event *e, size_t ev)
{
	const char *sp = strchr(e->text, ' ');
	struct fsock *s;
	size_t len = strlen(e->text);

	if (!sp || e->node < 0 || e->node >= 8)
		return 0;
	if (!strncmp(e->text, "firewall ", 9) && !strncmp(sp + 1 + strcspn(sp + 1, " "), " input ", 7) &&
	    len > 5 && !strcmp(e->text + len - 5, " hold")) {
		rp->holding[e->node] = 1;
		return 0;
	}
	if (!strncmp(e->text, "firewall ", 9) && len > 8 &&
	    !strcmp(e->text + len - 8, " release"))
		return release(rp, e->node);
	if (!strncmp(sp, " listen ", 8)) {
		struct diag_addr local = { .port = (uint16_t)atoi(sp + 8) };

		s = sock_new(rp, e->node, &local, NULL, DIAG_CLOSE);
		return s ? step(rp, s, DIAG_LISTEN, TCPFSM_CALL, ev) : 0;
	}
	if (!strcmp(sp, " close listener")) {
		s = listener(rp, e->node, 0, DIAG_LISTEN);
		return s ? step(rp, s, DIAG_CLOSE, TCPFSM_CALL, ev) : 0;
	}
	return 0;
}

/**
 * sample_sock() - the socket a sample of @e's node is about
 * @rp:		replay
 * @e:		the TL_STATE
 *
 * Return: it, or NULL (a new one is made for a state never replayed)
 */
static struct fsock *sample_sock(struct replay *rp, const struct tl_event *e)
{
	int st = ladder_state(e->state);
	struct fsock *s;

	if (st == DIAG_LISTEN) {
		s = listener(rp, e->node, e->pkt.src.port, 0);
		return s ? s : sock_new(rp, e->node, &e->pkt.src, NULL, DIAG_CLOSE);
	}
	if (e->pkt.src.port && e->pkt.dst.port) {
		s = sock_find(rp, e->node, &e->pkt.src, &e->pkt.dst);
		return s ? s : sock_new(rp, e->node, &e->pkt.src, &e->pkt.dst,
					DIAG_CLOSE);
	}
	if (e->node >= 0 && e->node < 8 && rp->last[e->node] >= 0 &&
	    rp->socks[rp->last[e->node]].remote.port)
		return &rp->socks[rp->last[e->node]];
	if (st == DIAG_CLOSE)
		return NULL;
	return sock_new(rp, e->node, NULL, NULL, DIAG_CLOSE);
}

/**
 * on_sample() - a sock_diag sample
 * @rp:		replay
 * @order:	the events in time order
 * @n:		how many
 * @k:		this one's place in @order
 *
 * Return: 0 or -ENOMEM
 */
static int on_sample(struct replay *rp, const size_t *order, size_t n,
		     size_t k)
{
	const struct tl_event *e = &rp->tl->v[order[k]];
	int st = ladder_state(e->state);
	struct fsock *s;
	size_t j;

	if (st <= 0 || st >= DIAG_STATE_MAX)
		return 0;
	if (st == DIAG_CLOSE && !(e->pkt.src.port && e->pkt.dst.port)) {
		/* a request socket giving way to its full socket */
		for (j = 0; j < n; j++) {
			const struct tl_event *o = &rp->tl->v[order[j]];

			if (j != k && o->kind == TL_STATE && o->node == e->node &&
			    o->t_ns == e->t_ns && ladder_state(o->state) != DIAG_CLOSE &&
			    ladder_state(o->state) != DIAG_LISTEN)
				return 0;
		}
	}
	s = sample_sock(rp, e);
	if (!s || s->state == st)
		return 0;
	return step(rp, s, st, TCPFSM_SAMPLE, order[k]);
}

/**
 * dropped() - mark each TL_PACKET that a TL_DROP on its way ended
 * @tl:		timeline
 * @gone:	one flag per event, set for those
 */
static void dropped(const struct timeline *tl, char *gone)
{
	size_t i, j;

	for (i = 0; i < tl->n; i++) {
		const struct tl_event *d = &tl->v[i];
		uint64_t best_dt = TCPFSM_MATCH_NS + 1;
		size_t best = tl->n;

		if (d->kind != TL_DROP || d->hook == RULE_OUTPUT)
			continue;
		for (j = 0; j < tl->n; j++)
			if (tl->v[j].kind == TL_PACKET && !gone[j] &&
			    ladder_same_seg(&tl->v[j].pkt, &d->pkt, 0) &&
			    ladder_closer(tl->v[j].t_ns, d->t_ns, &best_dt))
				best = j;
		if (best < tl->n)
			gone[best] = 1;
	}
}

static const struct timeline *sort_tl;

/* by time, then timeline order */
static int order_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t tx = sort_tl->v[x].t_ns, ty = sort_tl->v[y].t_ns;

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

int tcpfsm_trace(const struct timeline *tl, int nnodes,
		 struct tcpfsm_trace *out)
{
	struct replay *rp = calloc(1, sizeof(*rp));
	size_t *order = calloc(tl->n ? tl->n : 1, sizeof(*order));
	char *gone = calloc(tl->n ? tl->n : 1, 1);
	size_t *held = calloc(tl->n ? tl->n : 1, sizeof(*held));
	size_t i;
	int rc = -ENOMEM;

	if (!rp || !order || !gone || !held)
		goto out;
	rp->held = held;
	rp->tl = tl;
	rp->out = out;
	for (i = 0; i < ARRAY_SIZE(rp->last); i++)
		rp->last[i] = -1;
	for (i = 0; i < tl->n; i++)
		order[i] = i;
	sort_tl = tl;
	qsort(order, tl->n, sizeof(*order), order_cmp);
	dropped(tl, gone);
	rc = 0;
	for (i = 0; i < tl->n && !rc; i++) {
		const struct tl_event *e = &tl->v[order[i]];

		if (e->node >= nnodes)
			continue;
		rp->t_now = e->t_ns;
		switch (e->kind) {
		case TL_STEP:
			rc = on_call(rp, e, order[i]);
			break;
		case TL_PACKET:
			rc = on_sent(rp, e->node, &e->pkt, order[i]);
			if (rc || gone[order[i]] || e->peer < 0 ||
			    e->peer >= nnodes || e->peer >= 8)
				break;
			if (rp->holding[e->peer])
				rp->held[rp->nheld++] = order[i];
			else
				rc = on_rcvd(rp, e->peer, &e->pkt, order[i]);
			break;
		case TL_DROP:
			if (e->hook == RULE_OUTPUT)
				rc = on_sent(rp, e->node, &e->pkt, order[i]);
			break;
		case TL_STATE:
			rc = on_sample(rp, order, tl->n, i);
			break;
		}
	}
out:
	free(held);
	free(gone);
	free(order);
	free(rp);
	return rc;
}

void tcpfsm_trace_free(struct tcpfsm_trace *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

uint32_t tcpfsm_lit(const struct tcpfsm_trace *t, uint32_t node_mask)
{
	uint32_t lit = 0;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].edge >= 0 && t->v[i].node < 32 &&
		    (node_mask & (1u << t->v[i].node)))
			lit |= 1u << t->v[i].edge;
	return lit;
}
