// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_svg.c - the classroom report's ladder diagram as inline SVG
 * (see report_int.h)
 *
 * Theory of operation
 *
 * The SVG ladder is laid out in four steps.
 *
 * 1. Items.  A sorted copy of the timeline gets its relative sequence
 *    numbers (pkt_relative_timeline()).  Its TL_PACKET events between the
 *    two nodes become arrows; a TL_DROP on an input hook is matched to the
 *    captured packet it ended (same addresses, flags, numbers and length,
 *    the closest within 100 ms) and turns that arrow into a dropped one; a
 *    drop no capture saw (an output hook) is an arrow of its own that dies
 *    at its sender.  The state changes of the two nodes' sockets (the
 *    trace of tcpfsm.c) become state labels, a state repeated on the same
 *    node shown once - once per connection where the scenario named them,
 *    and a named connection's state carries its name ("a=sa", as its
 *    arrows do) beneath.  In a star each host's ladder is with the last
 *    node, and a socket whose peer is another host is left out of it.  An arrow that repeats
 *    an earlier segment that occupies sequence space is a retransmission.
 *    Which events belong between the two nodes, which way a drop was
 *    going, the closest-packet match and the arrows' labels are decided by
 *    the functions the terminal ladder uses (ladder_int.h).
 *
 * 2. Rows.  Items are taken in time order.  A state seen within a
 *    millisecond after an arrow is written on that arrow's row, on its own
 *    side, if that side is free, and an arrow within 100 us after a row
 *    with states only joins that row, which takes the arrow's time
 *    (FIN_WAIT1 beside the FIN it sends) - in both cases only when the
 *    state and the arrow are of the same connection, so that a state of
 *    connection a never reads as b's; anything else starts a new row.
 *
 * 3. Vertical positions.  Each row is a fixed step below the previous one,
 *    plus a little room that grows with the time between them (at most
 *    REPORT_STRETCH_MAX px).  A silence longer than REPORT_BREAK_NS is not
 *    drawn to scale: it is a fixed gap in which the lifelines turn into
 *    dashes, with a break mark and its real length ("1.024 s later").  So a
 *    SYN retransmitted at 1 s, 3 s and 7 s takes a few hundred pixels, and
 *    the time axis on the left still says when each row happened.
 *
 * 4. Drawing.  Two lifelines with the hosts' names, addresses and ports
 *    above them; each arrow slants down by REPORT_SLANT px from sender to
 *    receiver (a segment takes time to cross), with its label above it; a
 *    dropped arrow stops short of its receiver in a red X, the rule's
 *    file:line beneath; states are coloured labels beside the lifelines.
 */
#include "report_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ladder.h"
#include "ladder_int.h"
#include "pkt.h"
#include "rule.h"
#include "sock.h"
#include "tcpfsm.h"
#include "util.h"

/* SVG geometry, in px */
#define REPORT_W 720
#define REPORT_LX 210          /* left lifeline */
#define REPORT_RX 560          /* right lifeline */
#define REPORT_TOP 78          /* first row */
#define REPORT_STEP_PKT 38     /* rows: arrow */
#define REPORT_STEP_STATE 24   /* rows: state only */
#define REPORT_SLANT 12
#define REPORT_STRETCH_MAX 40
#define REPORT_BREAK_H 46      /* a compressed silence */
#define REPORT_DROP_NOTE_H 12  /* the rule's place beneath a dropped arrow */

#define REPORT_BREAK_NS (250 * NS_PER_MS)
#define REPORT_MATCH_NS (100 * NS_PER_MS)
#define REPORT_MERGE_NS NS_PER_MS
#define REPORT_MERGE_FWD_NS (100 * NS_PER_US)


/* SVG ladder */

enum sitem_kind {
	SI_PKT,   /* a captured packet, perhaps dropped at its receiver */
	SI_DROP,  /* a drop no capture saw: dies at its sender */
	SI_STATE,
};

struct sitem {
	uint64_t t;
	enum sitem_kind kind;
	size_t order;            /* position in the timeline, for ties */
	int dir;                 /* 0: left to right */
	const struct tl_pkt *pkt;
	const struct tl_event *drop;
	int side, state;         /* SI_STATE */
	int seen;                /* SI_STATE: only a sample shows it */
	int retrans;
	int copy;                /* an impairment's duplicate */
	int row;
	char conn[40];           /* its connection's name(s), or "" */
};

struct srow {
	uint64_t t;
	int y;
	int has_arrow;
	int has_drop;            /* its arrow has a rule's place beneath */
	int state[2];
	int seen[2];             /* only a sample shows that state */
	char conn[40];           /* its arrow's connection name(s), or "" */
	char sconn[2][40];       /* each state's connection name(s), or "" */
	int brk_before;          /* a compressed silence above it */
	uint64_t gap;
};

/**
 * sitem_cmp() - by time, arrows before states, then timeline order
 * @a:		one item
 * @b:		the other
 *
 * Return: <0, 0, >0
 */
static int sitem_cmp(const void *a, const void *b)
{
	const struct sitem *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if ((x->kind == SI_STATE) != (y->kind == SI_STATE))
		return x->kind == SI_STATE ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/**
 * pkt_label() - "SYN/ACK seq 0 ack 1 len 6 (retransmission)", after the
 * name of its connection when the scenario named it ("a: SYN seq 0")
 * @tl:		the timeline (its connection names)
 * @it:		the arrow
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *pkt_label(const struct timeline *tl,
			     const struct sitem *it, char *buf, size_t len)
{
	char fl[48], num[64], who[40];
	int n;

	timeline_conn_label(tl, it->pkt, who, sizeof(who));
	n = snprintf(buf, len, "%s%s%s %s", who, who[0] ? ": " : "",
		     ladder_flags(it->pkt->flags, "no flags", fl, sizeof(fl)),
		     ladder_numbers(it->pkt, num, sizeof(num)));
	if ((it->retrans || it->copy) && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, it->copy ? " (duplicate)"
							    : " (retransmission)");
	return buf;
}

/**
 * step_conn() - the name(s) of the connection of the socket that took
 * step @s, as its arrows are labelled ("a=sa"), or "" (a listener, or a
 * connection the scenario did not name)
 * @tl:		the timeline (its connection names)
 * @s:		the step
 * @buf:	output
 * @len:	its size
 */
static void step_conn(const struct timeline *tl, const struct tcpfsm_step *s,
		      char *buf, size_t len)
{
	struct tl_pkt p = { .src = s->local, .dst = s->remote };

	buf[0] = '\0';
	if (s->local.family && s->remote.port)
		timeline_conn_label(tl, &p, buf, len);
}

/**
 * with_other() - does the socket that took step @s belong on a ladder
 * with node @other?  In a star every host's ladder is with the last node,
 * and a socket is on it only when its peer is that ladder's other node (a
 * listener, or a socket whose peer is not known, is on every one); in a
 * chain, always.
 * @run:	the run (its nodes' addresses)
 * @s:		the step
 * @other:	the ladder's other node
 *
 * Return: 1 if so
 */
static int with_other(const struct result *run, const struct tcpfsm_step *s,
		      int other)
{
	char ip[INET6_ADDRSTRLEN];
	const struct diag_addr *a = &s->remote;

	if (run->ladder_l <= 0 || !a->port || !a->family)
		return 1;
	inet_ntop(a->family, a->family == AF_INET6 ? (const void *)&a->v6
						    : (const void *)&a->v4,
		  ip, sizeof(ip));
	return !strcmp(ip, run->addrs[other]);
}

struct sladder {
	struct timeline tl;  /* sorted copy, relative numbers */
	struct sitem *it;
	size_t n;
	struct srow *rows;
	int nrows;
};

/**
 * sl_free() - free a layout
 * @l:		layout
 */
static void sl_free(struct sladder *l)
{
	timeline_free(&l->tl);
	free(l->it);
	free(l->rows);
}

/**
 * sl_items() - the items between nodes @ln and @rn (step 1)
 * @l:		layout (zeroed)
 * @src:	the run's timeline
 * @ln:		left node
 * @rn:		right node
 *
 * Return: 0 or -ENOMEM
 */
static int sl_items(struct sladder *l, const struct result *run,
		    const struct tcpfsm_trace *tr, int ln, int rn)
{
	const struct timeline *src = &run->tl;
	char last_conn[2][40] = { "", "" };
	int last[2] = { 0, 0 };
	size_t i, j;
	int rc;

	l->tl.t0 = src->t0;
	timeline_conns_copy(&l->tl, src);
	for (i = 0; i < src->n; i++) {
		rc = timeline_add(&l->tl, &src->v[i]);
		if (rc)
			return rc;
	}
	timeline_sort(&l->tl);
	rc = pkt_relative_timeline(&l->tl);
	if (rc)
		return rc;
	l->it = calloc(l->tl.n ? l->tl.n : 1, sizeof(*l->it));
	if (!l->it)
		return -ENOMEM;
	for (i = 0; i < l->tl.n; i++) {
		const struct tl_event *e = &l->tl.v[i];
		struct sitem *it = &l->it[l->n];

		if (!ladder_between(e, ln, rn))
			continue;
		it->t = e->t_ns;
		it->order = i;
		if (e->kind == TL_PACKET) {
			it->kind = SI_PKT;
			it->dir = e->node != ln;
			it->pkt = &e->pkt;
			it->copy = e->copy;
			timeline_conn_label(&l->tl, it->pkt, it->conn,
					    sizeof(it->conn));
			l->n++;
		}
	}
	/* states: where their cause put them (tcpfsm.c), on their side */
	l->it = realloc(l->it, (l->tl.n + tr->n + 1) * sizeof(*l->it));
	if (!l->it)
		return -ENOMEM;
	for (i = 0; i < tr->n; i++) {
		const struct tcpfsm_step *s = &tr->v[i];
		struct sitem *it = &l->it[l->n];
		int side = s->node != ln;
		char conn[40];

		if ((s->node != ln && s->node != rn) ||
		    !with_other(run, s, side ? ln : rn))
			continue;
		step_conn(&l->tl, s, conn, sizeof(conn));
		/* a state seen again is shown once (per connection) */
		if (s->to == last[side] && !strcmp(conn, last_conn[side]))
			continue;
		memset(it, 0, sizeof(*it));
		last[side] = s->to;
		memcpy(last_conn[side], conn, sizeof(conn));
		memcpy(it->conn, conn, sizeof(conn));
		it->t = s->t_ns;
		it->order = s->ev;
		it->kind = SI_STATE;
		it->side = side;
		it->state = s->to;
		it->seen = s->cause == TCPFSM_SAMPLE;
		l->n++;
	}
	/* drops: the end of a captured packet, or an arrow of their own */
	for (i = 0; i < l->tl.n; i++) {
		const struct tl_event *d = &l->tl.v[i];
		struct sitem *best = NULL;
		uint64_t best_dt = REPORT_MATCH_NS + 1;
		int dir;

		if (d->kind != TL_DROP || !ladder_between(d, ln, rn))
			continue;
		dir = ladder_drop_dir(d, ln);
		for (j = 0; j < l->n && d->hook == RULE_INPUT; j++) {
			struct sitem *it = &l->it[j];

			/* what was dropped had been captured before: never a
			 * later copy of it (a retransmission) */
			if (it->kind == SI_PKT && !it->drop && it->dir == dir &&
			    it->t <= d->t_ns &&
			    ladder_same_seg(it->pkt, &d->pkt, 0) &&
			    ladder_closer(it->t, d->t_ns, &best_dt))
				best = it;
		}
		if (best) {
			best->drop = d;
			continue;
		}
		best = &l->it[l->n++];
		best->t = d->t_ns;
		best->order = i;
		best->kind = d->hook == RULE_INPUT ? SI_PKT : SI_DROP;
		best->dir = dir;
		best->pkt = &d->pkt;
		best->drop = d;
	}
	qsort(l->it, l->n, sizeof(*l->it), sitem_cmp);
	for (i = 0; i < l->n; i++) {
		struct sitem *it = &l->it[i];

		if (it->kind == SI_STATE ||
		    !(it->pkt->len || it->pkt->flags & (RULE_TCP_SYN | RULE_TCP_FIN)))
			continue;
		for (j = 0; j < i && !it->retrans; j++)
			if (l->it[j].kind != SI_STATE &&
			    ladder_same_seg(l->it[j].pkt, it->pkt, 0))
				it->retrans = 1;
	}
	return 0;
}

/**
 * row_conn_is() - are the states of row @r those of connection @conn?
 * @r:		a row of states only
 * @conn:	a connection's name(s), or ""
 *
 * Return: 1 if so
 */
static int row_conn_is(const struct srow *r, const char *conn)
{
	int s;

	for (s = 0; s < 2; s++)
		if (r->state[s] && strcmp(r->sconn[s], conn))
			return 0;
	return 1;
}

/**
 * sl_rows() - rows and their heights (steps 2 and 3)
 * @l:		layout with items
 *
 * Return: the height of the drawing, or -ENOMEM
 */
static int sl_rows(struct sladder *l)
{
	struct srow *cur = NULL;
	size_t i;
	int y = REPORT_TOP;

	l->rows = calloc(l->n ? l->n : 1, sizeof(*l->rows));
	if (!l->rows)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		struct sitem *it = &l->it[i];
		int arrow = it->kind != SI_STATE;

		/* a state joins an arrow of its own connection only */
		if (!arrow && cur && cur->has_arrow && !cur->state[it->side] &&
		    it->t - cur->t <= REPORT_MERGE_NS &&
		    !strcmp(cur->conn, it->conn)) {
			cur->state[it->side] = it->state;
			cur->seen[it->side] = it->seen;
			memcpy(cur->sconn[it->side], it->conn, sizeof(it->conn));
			it->row = (int)(cur - l->rows);
			continue;
		}
		/* an arrow right after a state (FIN_WAIT1, then its FIN) */
		if (arrow && cur && !cur->has_arrow &&
		    it->t - cur->t <= REPORT_MERGE_FWD_NS &&
		    row_conn_is(cur, it->conn)) {
			cur->t = it->t;
			cur->has_arrow = 1;
			memcpy(cur->conn, it->conn, sizeof(it->conn));
			cur->has_drop = it->drop != NULL;
			it->row = (int)(cur - l->rows);
			continue;
		}
		if (cur) {
			uint64_t gap = it->t - cur->t;
			int step = cur->has_arrow ? REPORT_STEP_PKT
						  : REPORT_STEP_STATE;

			if (cur->has_drop)
				step += REPORT_DROP_NOTE_H;

			if (gap > REPORT_BREAK_NS) {
				step += REPORT_BREAK_H;
			} else {
				int stretch = (int)(gap / (5 * NS_PER_MS));

				step += stretch < REPORT_STRETCH_MAX
						? stretch
						: REPORT_STRETCH_MAX;
			}
			y += step;
		}
		cur = &l->rows[l->nrows++];
		cur->gap = cur == l->rows ? 0 : it->t - cur[-1].t;
		cur->brk_before = cur->gap > REPORT_BREAK_NS;
		cur->t = it->t;
		cur->y = y;
		cur->has_arrow = arrow;
		cur->has_drop = it->drop != NULL;
		if (!arrow) {
			cur->state[it->side] = it->state;
			cur->seen[it->side] = it->seen;
			memcpy(cur->sconn[it->side], it->conn, sizeof(it->conn));
		} else {
			memcpy(cur->conn, it->conn, sizeof(it->conn));
		}
		it->row = (int)(cur - l->rows);
	}
	return y + (cur && cur->has_arrow ? REPORT_STEP_PKT : REPORT_STEP_STATE) +
	       (cur && cur->has_drop ? REPORT_DROP_NOTE_H : 0) + 10;
}

/**
 * svg_arrow() - one arrow, a head or an X at its end
 * @f:		where to
 * @tl:		the timeline (its connection names)
 * @it:		the item
 * @y:		its row
 */
static void svg_arrow(FILE *f, const struct timeline *tl,
		      const struct sitem *it, int y)
{
	int x1 = it->dir ? REPORT_RX : REPORT_LX;
	int x2 = it->dir ? REPORT_LX : REPORT_RX;
	int y1 = y, y2 = y + REPORT_SLANT, sgn = it->dir ? -1 : 1;
	double ex, ey, frac = 1.0;
	char label[128], note[160];
	int lx;

	if (it->kind == SI_DROP)
		frac = 0.18; /* never left its sender */
	else if (it->drop)
		frac = 0.86;
	ex = x1 + (x2 - x1) * frac;
	ey = y1 + (y2 - y1) * frac;
	fprintf(f, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		it->drop ? "drop" : "pkt", x1, y1,
		it->drop ? ex : ex - sgn * 9.0, it->drop ? ey : ey - 0.3);
	if (it->drop) {
		fprintf(f, "<path class=\"x\" d=\"M%.1f %.1fl10 10m0 -10l-10 10\"/>\n",
			ex - 5, ey - 5);
	} else {
		fprintf(f, "<path class=\"pkth\" d=\"M%d %dl%d -4.5v9z\"/>\n",
			x2, y2, -sgn * 11);
	}
	pkt_label(tl, it, label, sizeof(label));
	if (it->kind == SI_DROP) {
		/* beyond the X of a stub that never left its sender */
		fprintf(f, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
			ex + sgn * 10, ey + 4, it->dir ? "end" : "start");
	} else {
		lx = (x1 + x2) / 2;
		fprintf(f, "<text class=\"lbl\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			lx, y1 + REPORT_SLANT / 2 - 5);
	}
	util_xml_esc(f, label);
	fputs("</text>\n", f);
	if (!it->drop)
		return;
	if (it->drop->loc.line > 0)
		snprintf(note, sizeof(note), "%s %u at %s:%d",
			 it->drop->impaired ? "lost by impair (nfqueue)"
					    : "dropped by rule",
			 it->drop->rule_id,
			 report_base_name(it->drop->loc.file ? it->drop->loc.file : "?"),
			 it->drop->loc.line);
	else
		snprintf(note, sizeof(note), "%s %u",
			 it->drop->impaired ? "lost by impair (nfqueue)"
					    : "dropped by rule",
			 it->drop->rule_id);
	/* beneath, against the side that dropped it */
	{
		int right = it->kind == SI_DROP ? it->dir : !it->dir;

		fprintf(f, "<text class=\"lbl dn\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
			right ? REPORT_RX - 6 : REPORT_LX + 6,
			y2 + 15, right ? "end" : "start");
		util_xml_esc(f, note);
		fputs("</text>\n", f);
	}
}

/**
 * svg_header() - the hosts' names, addresses and ports over their lines
 * @f:		where to
 * @l:		layout
 * @run:	the run
 * @ln:		left node
 * @rn:		right node
 */
static void svg_header(FILE *f, const struct sladder *l,
		       const struct result *run, int ln, int rn)
{
	const int xs[2] = { REPORT_LX, REPORT_RX };
	const int nodes[2] = { ln, rn };
	char ip[INET6_ADDRSTRLEN + 8];
	size_t i;
	int k;

	fprintf(f, "<text class=\"tm\" x=\"96\" y=\"26\" text-anchor=\"end\">time since t0</text>\n");
	for (k = 0; k < 2; k++) {
		fprintf(f, "<text class=\"host\" x=\"%d\" y=\"24\" text-anchor=\"middle\">",
			xs[k]);
		util_xml_esc(f, run->nodes[nodes[k]]);
		fputs("</text>\n", f);
	}
	/* address and port of the first connection each host had */
	for (i = 0; i < l->n; i++) {
		const struct sitem *it = &l->it[i];

		if (it->kind == SI_STATE)
			continue;
		for (k = 0; k < 2; k++) {
			const struct diag_addr *a =
				it->dir == k ? &it->pkt->src : &it->pkt->dst;

			diag_addr_format(a, ip, sizeof(ip));
			fprintf(f, "<text class=\"addr\" x=\"%d\" y=\"40\" text-anchor=\"middle\">",
				xs[k]);
			util_xml_esc(f, ip);
			fputs("</text>\n", f);
		}
		return;
	}
	for (k = 0; k < 2; k++) {
		fprintf(f, "<text class=\"addr\" x=\"%d\" y=\"40\" text-anchor=\"middle\">",
			xs[k]);
		util_xml_esc(f, run->addrs[nodes[k]]);
		fputs("</text>\n", f);
	}
}

/**
 * report_svg_ladder() - the ladder between nodes @ln and @rn of @run
 * @f:		where to
 * @run:	the run
 * @ln:		left node
 * @rn:		right node
 *
 * Return: 0 or -ENOMEM
 */
int report_svg_ladder(FILE *f, const struct result *run,
		      const struct tcpfsm_trace *tr, int ln, int rn)
{
	struct sladder l = { 0 };
	int h, i, top = 50;
	size_t k;
	char tm[32];

	h = sl_items(&l, run, tr, ln, rn);
	if (!h)
		h = sl_rows(&l);
	if (h < 0) {
		sl_free(&l);
		return h;
	}
	if (!l.nrows)
		h = REPORT_TOP + 40;
	fprintf(f, "<figure class=\"ladder\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		   "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		   "aria-label=\"ladder diagram\">\n",
		REPORT_W, h, REPORT_W, h);
	svg_header(f, &l, run, ln, rn);
	/* lifelines: solid, dashed across each compressed silence */
	{
		int from = top;

		for (i = 0; i < l.nrows; i++) {
			int b0, b1;

			if (!l.rows[i].brk_before)
				continue;
			b1 = l.rows[i].y - 14;
			b0 = b1 - REPORT_BREAK_H + 8;
			fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
				   "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
				REPORT_LX, from, REPORT_LX, b0, REPORT_RX, from,
				REPORT_RX, b0);
			fprintf(f, "<line class=\"gap\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
				   "<line class=\"gap\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
				REPORT_LX, b0, REPORT_LX, b1, REPORT_RX, b0,
				REPORT_RX, b1);
			/* the break mark: two short slashes on each line */
			fprintf(f, "<path class=\"brk\" d=\"M%d %dl14 -6m-14 12l14 -6"
				   "M%d %dl14 -6m-14 12l14 -6\"/>\n",
				REPORT_LX - 7, (b0 + b1) / 2, REPORT_RX - 7,
				(b0 + b1) / 2);
			fprintf(f, "<text class=\"gapt\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
				   "&#8942; %s later (not to scale)</text>\n",
				(REPORT_LX + REPORT_RX) / 2, (b0 + b1) / 2 + 4,
				report_fmt_gap(l.rows[i].gap, tm, sizeof(tm)));
			from = b1;
		}
		fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			   "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
			REPORT_LX, from, REPORT_LX, h - 6, REPORT_RX, from,
			REPORT_RX, h - 6);
	}
	if (!l.nrows)
		fprintf(f, "<text class=\"gapt\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			   "(no packets, no states)</text>\n",
			(REPORT_LX + REPORT_RX) / 2, REPORT_TOP + 10);
	for (i = 0; i < l.nrows; i++) {
		const struct srow *row = &l.rows[i];
		int s;

		fprintf(f, "<text class=\"tm\" x=\"96\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			row->y + 4,
			report_fmt_t((int64_t)(row->t - run->tl.t0), tm, sizeof(tm)));
		for (s = 0; s < 2; s++) {
			if (!row->state[s])
				continue;
			fprintf(f, "<text class=\"lbl st%s\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s%s</text>\n",
				row->seen[s] ? " seen" : "",
				s ? REPORT_RX + 8 : REPORT_LX - 8, row->y + 4,
				s ? "start" : "end", row->seen[s] ? "seen " : "",
				report_state_label(row->state[s]));
			/* whose: the connection's name(s) beneath */
			if (!row->sconn[s][0])
				continue;
			fprintf(f, "<text class=\"lbl cn\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
				s ? REPORT_RX + 8 : REPORT_LX - 8, row->y + 15,
				s ? "start" : "end");
			util_xml_esc(f, row->sconn[s]);
			fputs("</text>\n", f);
		}
	}
	for (k = 0; k < l.n; k++)
		if (l.it[k].kind != SI_STATE)
			svg_arrow(f, &l.tl, &l.it[k], l.rows[l.it[k].row].y);
	fputs("</svg>\n", f);
	fputs("<figcaption>Time runs down; each arrow is a TCP segment as "
	      "captured (sequence numbers relative, as tcpdump shows them); "
	      "a red X is a segment a firewall rule dropped. A state is written on "
	      "the row of the segment or call that caused it; &#8220;seen&#8221; "
	      "marks one that only a sock_diag sample showed, at the time of the "
	      "sample.</figcaption>\n</figure>\n",
	      f);
	sl_free(&l);
	return 0;
}
