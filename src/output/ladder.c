// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ladder.c - terminal ladder diagrams of a run (see ladder.h)
 *
 * Theory of operation
 *
 * The diagram is drawn in three passes over the run's events.
 *
 * 1. Rows.  The TL_PACKET events between the two nodes, their TL_DROP
 *    events and their TL_STATE events are copied into rows and ordered by
 *    time.  A drop on an input hook is the end of a segment that a capture
 *    saw leave the other node: it is matched to that packet (same 4-tuple,
 *    flags, numbers and length, captured before the drop, the closest in
 *    time within 100 ms) and the
 *    packet's arrow is drawn as dropped.  A drop with no such packet - one
 *    on an output hook never reaches the wire, so no capture sees it - is a
 *    row of its own.  Relative sequence numbers are worked out over the
 *    rows' own copies of the packets (pkt_relative()), so the caller's
 *    timeline is only read.
 *
 * 2. States.  A state is written beside its host's line.  Consecutive
 *    sightings of the same state on one host (of one connection, where the
 *    scenario named them) are shown once.  A state seen within a
 *    millisecond of an arrow of its own connection (any arrow, for a
 *    state whose socket the timeline does not say) whose side is free is
 *    written on that arrow's line - the closer of the arrow before and the
 *    arrow after, and never past another state of the same host - which
 *    puts SYN_SENT beside the SYN that the connect() sent and SYN_RECV
 *    where the SYN arrived, as textbooks draw it; other states get a line
 *    of their own, with the connection's name (if any) by the host's line,
 *    so that a state of connection a never reads as b's.
 *
 * 3. Drawing.  Columns: the time (ms since the run's time zero, 9 wide),
 *    the left host's states (11, right-aligned), its line '|', 42 columns
 *    of arrows, the right host's line and its states: 78 in all.  An arrow
 *    runs the whole width, '>' or '<' at its head, its label centred on it;
 *    a label too long for it moves to a line of its own beneath.  A dropped
 *    arrow stops in an 'X' two columns short of the host that dropped it;
 *    one dropped on output is a stub "-X" at its sender.  The rule comes
 *    beneath, "dropped by rule 1 at syn-sent.tcp:7".  The first packet of
 *    each connection is preceded by its ports at each host's line (and its
 *    name between them, when the scenario named it); the arrows of a named
 *    connection say whose they are ("a: SYN seq 0"), so that several
 *    connections between the same hosts can be told apart; and a
 *    silence of more than 100 ms is a line of its own saying how long, so
 *    that timer-driven retransmissions read as such.  A segment seen again
 *    is "(retransmit)", or "(duplicate)" when an impairment sent the copy
 *    (tl_event.copy).
 */
#include "ladder.h"
#include "ladder_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sock.h"
#include "pkt.h"
#include "rule.h"
#include "util.h"

#define LADDER_TIME_W 9
#define LADDER_LABEL_W 12
#define LADDER_AREA_W 40 /* 78 columns with SYN-RECEIVED on both sides */

/* A drop this close to a captured packet is that packet's end */
#define LADDER_MATCH_NS (100 * NS_PER_MS)
/* A state this close to an arrow is written on the arrow's line */
#define LADDER_MERGE_NS NS_PER_MS
/* A silence longer than this gets a line of its own */
#define LADDER_GAP_NS (100 * NS_PER_MS)

#define ANSI_STATE "\033[1;36m"
#define ANSI_DROP "\033[31m"
#define ANSI_RESET "\033[0m"

enum lrow_kind {
	LROW_PKT,   /* a captured packet (perhaps dropped at the receiver) */
	LROW_DROP,  /* a drop no capture saw: output hook */
	LROW_STATE, /* a state, not (yet) on an arrow's line */
};

struct lrow {
	uint64_t t;
	enum lrow_kind kind;
	int dir;                     /* 0: left to right, 1: right to left */
	struct tl_pkt pkt;
	const struct tl_event *drop; /* the drop that ended it, if any */
	int state[2];                /* left, right; 0 for none */
	int gone;                    /* a state row merged into an arrow */
	int retrans;
	int copy;                    /* an impairment's duplicate */
	int conn_first;
	char conn[40];               /* its connection's name(s), or "" */
	int anyconn;                 /* a state whose socket is not known
					(no addresses): goes on any arrow */
};

struct ladder {
	FILE *f;
	int color;
	struct lrow *rows;
	size_t n;
};

/**
 * ev_cmp() - order event pointers by time, then by position in the timeline
 * @a:		one event pointer
 * @b:		the other
 *
 * Return: <0, 0, >0
 */
static int ev_cmp(const void *a, const void *b)
{
	const struct tl_event *x = *(const struct tl_event *const *)a;
	const struct tl_event *y = *(const struct tl_event *const *)b;

	if (x->t_ns != y->t_ns)
		return x->t_ns < y->t_ns ? -1 : 1;
	return x < y ? -1 : x > y;
}

/**
 * row_cmp() - order rows by time; packets before drops before states at
 * equal times, and otherwise keep the order they came in (qsort is not
 * stable, so the caller numbers them in @gone beforehand)
 * @a:		one row
 * @b:		the other
 *
 * Return: <0, 0, >0
 */
static int row_cmp(const void *a, const void *b)
{
	const struct lrow *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->gone - y->gone;
}

/**
 * ladder_same_seg() - do two records describe the same TCP segment?
 * @a:		one
 * @b:		the other
 * @ack:	compare acknowledgement numbers too (when ACK is set)
 *
 * Return: 1 if so
 */
int ladder_same_seg(const struct tl_pkt *a, const struct tl_pkt *b, int ack)
{
	return diag_addr_eq(&a->src, &b->src) &&
	       diag_addr_eq(&a->dst, &b->dst) && a->seq == b->seq &&
	       a->flags == b->flags && a->len == b->len &&
	       (!ack || !(a->flags & RULE_TCP_ACK) || a->ack == b->ack);
}

/**
 * same_segment() - the same TCP segment, acknowledgement included
 * @a:		one
 * @b:		the other
 *
 * Return: 1 if so
 */
static int same_segment(const struct tl_pkt *a, const struct tl_pkt *b)
{
	return ladder_same_seg(a, b, 1);
}

/**
 * same_conn() - same 4-tuple, either way round
 * @a:		one packet
 * @b:		the other
 *
 * Return: 1 if so
 */
static int same_conn(const struct tl_pkt *a, const struct tl_pkt *b)
{
	return (diag_addr_eq(&a->src, &b->src) &&
		diag_addr_eq(&a->dst, &b->dst)) ||
	       (diag_addr_eq(&a->src, &b->dst) &&
		diag_addr_eq(&a->dst, &b->src));
}

/**
 * ladder_between() - does @e belong on the ladder between @ln and @rn?
 * @e:		event
 * @ln:		left node
 * @rn:		right node
 *
 * Return: 1 for a TL_PACKET from one node to the other (or to an unknown
 * peer), for a TL_DROP or TL_STATE of either node (a state whose socket's
 * peer is known: only with that peer) and for a drop on the forward hook
 * of a router between them, else 0
 */
int ladder_between(const struct tl_event *e, int ln, int rn)
{
	if (e->kind == TL_PACKET)
		return (e->node == ln && (e->peer == rn || e->peer < 0)) ||
		       (e->node == rn && (e->peer == ln || e->peer < 0));
	/* a router between them drops on its forward hook */
	if (e->kind == TL_DROP && e->hook == RULE_FORWARD)
		return 1;
	/* a state of a socket whose peer is known must be with the other */
	if (e->kind == TL_STATE && e->peer >= 0)
		return (e->node == ln && e->peer == rn) ||
		       (e->node == rn && e->peer == ln);
	return (e->kind == TL_DROP || e->kind == TL_STATE) &&
	       (e->node == ln || e->node == rn);
}

/**
 * ladder_drop_dir() - which way the segment a drop ended was going
 * @d:		the TL_DROP event
 * @ln:		left node
 *
 * Return: 0 for left to right, 1 for right to left
 */
int ladder_drop_dir(const struct tl_event *d, int ln)
{
	/* input: it was on its way to the dropping node */
	return d->hook == RULE_INPUT ? d->node == ln : d->node != ln;
}

/**
 * ladder_closer() - is time @t closer to @when than the best so far?
 * @t:		a candidate's time
 * @when:	the time to be close to
 * @best_dt:	the best distance so far; updated when @t is closer
 *
 * Return: 1 if @t is closer
 */
int ladder_closer(uint64_t t, uint64_t when, uint64_t *best_dt)
{
	uint64_t dt = t > when ? t - when : when - t;

	if (dt >= *best_dt)
		return 0;
	*best_dt = dt;
	return 1;
}

/**
 * ladder_flags() - "SYN/ACK", "FIN/PSH/ACK", "RST"; @none for no flag
 * @flags:	TCP flags
 * @none:	the text for no flag at all
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
const char *ladder_flags(uint8_t flags, const char *none, char *buf,
			 size_t len)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} names[] = {
		{ RULE_TCP_SYN, "SYN" }, { RULE_TCP_FIN, "FIN" },
		{ RULE_TCP_RST, "RST" }, { RULE_TCP_PSH, "PSH" },
		{ RULE_TCP_URG, "URG" }, { RULE_TCP_ACK, "ACK" },
		{ RULE_TCP_ECE, "ECE" }, { RULE_TCP_CWR, "CWR" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(flags & names[i].bit))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "/" : "", names[i].name);
		if (n >= len)
			break;
	}
	if (!flags)
		snprintf(buf, len, "%s", none);
	return buf;
}

/**
 * ladder_numbers() - "seq 1 ack 1 len 6", the numbers of an arrow's label
 * @p:		packet (relative numbers filled)
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
const char *ladder_numbers(const struct tl_pkt *p, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "seq %u", p->rseq);
	if (p->flags & RULE_TCP_ACK && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " ack %u", p->rack);
	if (p->len && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " len %u", p->len);
	return buf;
}

/**
 * put() - copy @s into @area at @at, without its terminating NUL, clipped
 * to the area
 * @area:	LADDER_AREA_W characters
 * @at:		column within the area (may be negative)
 * @s:		text
 */
static void put(char *area, int at, const char *s)
{
	for (; *s; s++, at++)
		if (at >= 0 && at < LADDER_AREA_W)
			area[at] = *s;
}

/**
 * emit() - write one line of the diagram
 * @l:		ladder
 * @tm:		time column text ("" for none)
 * @ls:		left state (0: none)
 * @bar:	the hosts' line character ('|', or ':' across a silence)
 * @area:	what goes between the lines (LADDER_AREA_W characters, or
 *		longer: then the right line is left out)
 * @red:	draw @area in the drop colour
 * @rs:		right state (0: none)
 */
static void emit(struct ladder *l, const char *tm, int ls, char bar,
		 const char *area, int red, int rs)
{
	const char *lname = ls ? diag_state_label(ls) : "";
	size_t alen = strlen(area);

	fprintf(l->f, "%*s %*s", LADDER_TIME_W, tm,
		LADDER_LABEL_W - (int)strlen(lname), "");
	if (ls && l->color)
		fprintf(l->f, ANSI_STATE "%s" ANSI_RESET, lname);
	else
		fputs(lname, l->f);
	fprintf(l->f, " %c", bar);
	if (red && l->color)
		fprintf(l->f, ANSI_DROP "%s" ANSI_RESET, area);
	else
		fputs(area, l->f);
	if (alen > LADDER_AREA_W) {
		fputc('\n', l->f);
		return;
	}
	fputc(bar, l->f);
	if (rs) {
		if (l->color)
			fprintf(l->f, " " ANSI_STATE "%s" ANSI_RESET,
				diag_state_label(rs));
		else
			fprintf(l->f, " %s", diag_state_label(rs));
	}
	fputc('\n', l->f);
}

/**
 * ladder_state() - the state a ladder shows (NEW_SYN_RECV as SYN_RECV)
 * @st:		enum diag_state
 *
 * Return: enum diag_state
 */
int ladder_state(int st)
{
	return st == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV : st;
}

/**
 * build_rows() - rows for the events between @ln and @rn, drops matched to
 * the packets they ended, relative numbers filled (pass 1)
 * @l:		ladder (rows, n set)
 * @tl:		timeline
 * @ln:		left node
 * @rn:		right node
 *
 * Return: 0 or -ENOMEM
 */
static int build_rows(struct ladder *l, const struct timeline *tl, int ln,
		      int rn)
{
	const struct tl_event **ev;
	struct tl_pkt **pk = NULL;
	size_t i, j, nev = 0, npk = 0;
	int rc = -ENOMEM;

	ev = malloc((tl->n ? tl->n : 1) * sizeof(*ev));
	l->rows = calloc(tl->n ? tl->n : 1, sizeof(*l->rows));
	if (!ev || !l->rows)
		goto out;
	for (i = 0; i < tl->n; i++) {
		if (ladder_between(&tl->v[i], ln, rn))
			ev[nev++] = &tl->v[i];
	}
	qsort(ev, nev, sizeof(*ev), ev_cmp);

	/* packets and states first, so that drops can find their packet */
	for (i = 0; i < nev; i++) {
		struct lrow *r = &l->rows[l->n];

		if (ev[i]->kind == TL_DROP)
			continue;
		r->t = ev[i]->t_ns;
		if (ev[i]->kind == TL_PACKET) {
			r->kind = LROW_PKT;
			r->dir = ev[i]->node != ln;
			r->pkt = ev[i]->pkt;
			r->copy = ev[i]->copy;
		} else {
			const struct tl_pkt *p = &ev[i]->pkt;

			r->kind = LROW_STATE;
			r->state[ev[i]->node != ln] =
				ladder_state(ev[i]->state);
			/* whose: a socket's ends are its packets' */
			if (p->src.family && p->dst.port)
				timeline_conn_label(tl, p, r->conn,
						    sizeof(r->conn));
			r->anyconn = !p->src.family;
		}
		l->n++;
	}
	for (i = 0; i < nev; i++) {
		const struct tl_event *d = ev[i];
		struct lrow *best = NULL, *r;
		uint64_t best_dt = LADDER_MATCH_NS + 1;
		int dir;

		if (d->kind != TL_DROP)
			continue;
		dir = ladder_drop_dir(d, ln);
		for (j = 0; j < l->n && d->hook != RULE_OUTPUT; j++) {
			r = &l->rows[j];
			/* a forward drop (a router's) goes either way */
			/* what was dropped had been captured before: never a
			 * later copy of it (a retransmission) */
			if (r->kind == LROW_PKT && !r->drop && r->t <= d->t_ns &&
			    (r->dir == dir || d->hook == RULE_FORWARD) &&
			    same_segment(&r->pkt, &d->pkt) &&
			    ladder_closer(r->t, d->t_ns, &best_dt))
				best = r;
		}
		if (best) {
			best->drop = d;
			continue;
		}
		r = &l->rows[l->n++];
		r->t = d->t_ns;
		r->kind = LROW_DROP;
		r->dir = dir;
		r->pkt = d->pkt;
		r->drop = d;
	}
	/* number them so that the sort keeps equal rows in order */
	for (i = 0; i < l->n; i++)
		l->rows[i].gone = (int)i;
	qsort(l->rows, l->n, sizeof(*l->rows), row_cmp);
	for (i = 0; i < l->n; i++)
		l->rows[i].gone = 0;

	pk = malloc((l->n ? l->n : 1) * sizeof(*pk));
	if (!pk)
		goto out;
	for (i = 0; i < l->n; i++)
		if (l->rows[i].kind != LROW_STATE)
			pk[npk++] = &l->rows[i].pkt;
	rc = pkt_relative(pk, npk);
	if (rc)
		goto out;
	for (i = 0; i < l->n; i++) {
		struct lrow *r = &l->rows[i];
		const struct tl_pkt *p = &r->pkt;

		if (r->kind == LROW_STATE)
			continue;
		r->conn_first = 1;
		timeline_conn_label(tl, p, r->conn, sizeof(r->conn));
		for (j = 0; j < i; j++) {
			const struct lrow *q = &l->rows[j];

			if (q->kind == LROW_STATE || !same_conn(&q->pkt, p))
				continue;
			r->conn_first = 0;
			if ((p->len || p->flags & (RULE_TCP_SYN | RULE_TCP_FIN)) &&
			    same_segment(&q->pkt, p))
				r->retrans = 1;
		}
	}
	rc = 0;
out:
	free(pk);
	free(ev);
	return rc;
}

/**
 * place_states() - show each state once, on an arrow's line where one is
 * close enough (pass 2)
 * @l:		ladder
 */
static void place_states(struct ladder *l)
{
	long last_at[2] = { -1, -1 };
	int last_state[2] = { 0, 0 };
	const char *last_conn[2] = { "", "" };
	size_t i, k;
	int s;

	for (i = 0; i < l->n; i++) {
		struct lrow *r = &l->rows[i];
		long best = -1;
		uint64_t best_dt = LADDER_MERGE_NS + 1;

		if (r->kind != LROW_STATE)
			continue;
		s = r->state[1] != 0;
		if (r->state[s] == last_state[s] &&
		    !strcmp(r->conn, last_conn[s])) {
			r->gone = 1;
			continue;
		}
		last_state[s] = r->state[s];
		last_conn[s] = r->conn;
		/* the arrow before, not past this host's previous state */
		for (k = i; k-- > 0 && (long)k > last_at[s];) {
			if (l->rows[k].kind == LROW_STATE)
				continue;
			if (!l->rows[k].state[s] && r->t - l->rows[k].t < best_dt &&
			    (r->anyconn || !strcmp(l->rows[k].conn, r->conn))) {
				best = (long)k;
				best_dt = r->t - l->rows[k].t;
			}
			break;
		}
		/* the arrow after, with no state of this host in between */
		for (k = i + 1; k < l->n; k++) {
			const struct lrow *q = &l->rows[k];

			if (q->kind == LROW_STATE) {
				if (q->state[s])
					break;
				continue;
			}
			if (!q->state[s] && q->t - r->t < best_dt &&
			    (r->anyconn || !strcmp(q->conn, r->conn)))
				best = (long)k;
			break;
		}
		if (best < 0) {
			last_at[s] = (long)i;
			continue;
		}
		l->rows[best].state[s] = r->state[s];
		r->gone = 1;
		last_at[s] = best;
	}
}

/**
 * drop_note() - "dropped by rule 1 at syn-sent.tcp:7", or "lost by impair 1
 * at seeded-loss.tcp:22" for an impairment's loss
 * @d:		the TL_DROP event
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *drop_note(const struct tl_event *d, char *buf, size_t len)
{
	char id[16] = "";
	const char *file = d->loc.file, *slash;

	const char *what = d->impaired ? "lost by impair" : "dropped by rule";

	if (d->rule_id)
		snprintf(id, sizeof(id), " %u", d->rule_id);
	if (!file) {
		snprintf(buf, len, "%s%s", what, id);
		return buf;
	}
	slash = strrchr(file, '/');
	snprintf(buf, len, "%s%s at %s:%d", what, id,
		 slash ? slash + 1 : file, d->loc.line);
	return buf;
}

/**
 * draw_packet() - the line(s) of a packet or drop row
 * @l:		ladder
 * @r:		row
 * @tm:		its time text
 */
static void draw_packet(struct ladder *l, const struct lrow *r, const char *tm)
{
	char area[LADDER_AREA_W + 1], label[192], fl[40], num[64];
	char more[96] = "", note[160], who[48];
	int w = LADDER_AREA_W, lo, hi, at, len, out_drop, at_left;

	ladder_flags(r->pkt.flags, "NONE", fl, sizeof(fl));
	ladder_numbers(&r->pkt, num, sizeof(num));
	/* "a: SYN ..." - which of several connections */
	snprintf(who, sizeof(who), "%s%s", r->conn, r->conn[0] ? ": " : "");
	snprintf(label, sizeof(label), "%s%s %s%s", who, fl, num,
		 r->copy ? " (duplicate)" : r->retrans ? " (retransmit)" : "");
	out_drop = r->kind == LROW_DROP && r->drop->hook == RULE_OUTPUT;
	/* the span the label is centred on, the head or 'X' excluded */
	lo = r->dir ? 1 : 0;
	hi = r->dir ? w : w - 1;
	if (r->drop && !out_drop) {
		lo = r->dir ? 3 : 0;
		hi = r->dir ? w : w - 3;
	}
	if (out_drop)
		hi = lo + w - 3;
	if ((int)strlen(label) + 2 > hi - lo - 4) {
		snprintf(more, sizeof(more), "%s%s", num,
			 r->copy ? " (duplicate)" : r->retrans ? " (retransmit)" : "");
		snprintf(label, sizeof(label), "%s%s", who, fl);
	}
	len = (int)strlen(label);

	memset(area, out_drop ? ' ' : '-', (size_t)w);
	area[w] = '\0';
	if (out_drop) {
		/* a stub at the sender: it never left */
		if (!r->dir) {
			put(area, 0, "-X ");
			put(area, 3, label);
		} else {
			put(area, w - 3 - len, label);
			put(area, w - 3, " X-");
		}
	} else {
		if (r->drop) {
			at = r->dir ? 2 : w - 3;
			area[at] = 'X';
			memset(r->dir ? area : area + at + 1, ' ', 2);
		} else {
			area[r->dir ? 0 : w - 1] = r->dir ? '<' : '>';
		}
		at = lo + (hi - lo - len) / 2;
		put(area, at - 1, " ");
		put(area, at, label);
		put(area, at + len, " ");
	}
	emit(l, tm, r->state[0], '|', area, r->drop != NULL, r->state[1]);
	if (more[0]) {
		memset(area, ' ', (size_t)w);
		put(area, (w - (int)strlen(more)) / 2, more);
		emit(l, "", 0, '|', area, r->drop != NULL, 0);
	}
	if (!r->drop)
		return;
	/* the rule, beneath, on the side that dropped it */
	drop_note(r->drop, note, sizeof(note));
	at_left = out_drop ? !r->dir : r->dir;
	len = (int)strlen(note);
	if (len > w - 2) {
		char wide[192];

		snprintf(wide, sizeof(wide), " %s", note);
		emit(l, "", 0, '|', wide, 1, 0);
		return;
	}
	memset(area, ' ', (size_t)w);
	put(area, at_left ? 1 : w - 1 - len, note);
	emit(l, "", 0, '|', area, 1, 0);
}

/**
 * draw_header() - the hosts' names and addresses over their lines
 * @l:		ladder
 * @ln:		left host's name
 * @rn:		right host's name
 */
static void draw_header(struct ladder *l, const char *ln, const char *rn)
{
	/* the columns of the two lines */
	const int lc = LADDER_TIME_W + 1 + LADDER_LABEL_W + 1;
	const int rc = lc + 1 + LADDER_AREA_W;
	const char *txt[2][3] = { { "ms", ln, rn }, { "", NULL, NULL } };
	char addr[2][INET6_ADDRSTRLEN];
	size_t i;
	int k;

	for (i = 0; i < l->n; i++) {
		const struct lrow *r = &l->rows[i];
		const struct diag_addr *a;

		if (r->kind == LROW_STATE)
			continue;
		for (k = 0; k < 2; k++) {
			/* host k sent it when dir == k */
			a = r->dir == k ? &r->pkt.src : &r->pkt.dst;
			inet_ntop(a->family, a->family == AF_INET
						     ? (const void *)&a->v4
						     : (const void *)&a->v6,
				  addr[k], sizeof(addr[k]));
			txt[1][1 + k] = addr[k];
		}
		break;
	}
	for (k = 0; k < 2; k++) {
		char line[LADDER_WIDTH * 2];
		int end, c, pos;

		if (!txt[k][1])
			continue;
		memset(line, ' ', sizeof(line));
		end = snprintf(line, sizeof(line), "%*s", LADDER_TIME_W,
			       txt[k][0]);
		line[end] = ' ';
		for (i = 1; i < 3; i++) {
			size_t tl = strlen(txt[k][i]);

			c = i == 1 ? lc : rc;
			pos = c - (int)tl / 2;
			if (pos < end + 1)
				pos = end + 1;
			if (pos + tl >= sizeof(line))
				tl = sizeof(line) - (size_t)pos - 1;
			memcpy(line + pos, txt[k][i], tl);
			end = pos + (int)tl;
		}
		line[end] = '\0';
		fprintf(l->f, "%s\n", line);
	}
	{
		char area[LADDER_AREA_W + 1];

		memset(area, ' ', LADDER_AREA_W);
		area[LADDER_AREA_W] = '\0';
		emit(l, "", 0, '|', area, 0, 0);
	}
}

int ladder_render(FILE *f, const char *left_name, const char *right_name,
		  const struct timeline *tl, int left_node, int right_node,
		  int color)
{
	struct ladder l = { .f = f, .color = color };
	char area[LADDER_AREA_W + 1], tm[32];
	uint64_t prev_t = 0;
	int shown = 0, rc;
	size_t i;

	rc = build_rows(&l, tl, left_node, right_node);
	if (rc) {
		free(l.rows);
		return rc;
	}
	place_states(&l);
	draw_header(&l, left_name, right_name);
	area[LADDER_AREA_W] = '\0';
	for (i = 0; i < l.n; i++) {
		const struct lrow *r = &l.rows[i];

		if (r->gone)
			continue;
		if (shown && r->t - prev_t > LADDER_GAP_NS) {
			double gap = (double)(r->t - prev_t);
			char txt[48];

			if (gap >= 999.5 * (double)NS_PER_MS)
				snprintf(txt, sizeof(txt), "(+%.3f s)",
					 gap / (double)NS_PER_S);
			else
				snprintf(txt, sizeof(txt), "(+%.0f ms)",
					 gap / (double)NS_PER_MS);
			memset(area, ' ', LADDER_AREA_W);
			put(area, (LADDER_AREA_W - (int)strlen(txt)) / 2, txt);
			emit(&l, "", 0, ':', area, 0, 0);
		}
		if (r->kind != LROW_STATE && r->conn_first) {
			char lp[16], rp[16];
			const struct tl_pkt *p = &r->pkt;

			snprintf(lp, sizeof(lp), ":%u",
				 r->dir ? p->dst.port : p->src.port);
			snprintf(rp, sizeof(rp), ":%u",
				 r->dir ? p->src.port : p->dst.port);
			memset(area, ' ', LADDER_AREA_W);
			put(area, 1, lp);
			put(area, LADDER_AREA_W - 1 - (int)strlen(rp), rp);
			if (r->conn[0])
				put(area, (LADDER_AREA_W - (int)strlen(r->conn)) / 2,
				    r->conn);
			emit(&l, "", 0, '|', area, 0, 0);
		}
		snprintf(tm, sizeof(tm), "%.3f",
			 (double)((int64_t)(r->t - tl->t0)) / 1e6);
		if (r->kind == LROW_STATE) {
			memset(area, ' ', LADDER_AREA_W);
			/* a named connection's state: its name by the line */
			if (r->conn[0])
				put(area, r->state[1] ? LADDER_AREA_W - 1 -
					(int)strlen(r->conn) : 1, r->conn);
			emit(&l, tm, r->state[0], '|', area, 0, r->state[1]);
		} else {
			draw_packet(&l, r, tm);
		}
		prev_t = r->t;
		shown = 1;
	}
	if (!shown) {
		memset(area, ' ', LADDER_AREA_W);
		put(area, (LADDER_AREA_W - 12) / 2, "(no packets)");
		emit(&l, "", 0, '|', area, 0, 0);
	}
	free(l.rows);
	return 0;
}
