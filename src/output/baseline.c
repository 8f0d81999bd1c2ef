// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * baseline.c - compare the observed behaviour of two sets of results
 * (see baseline.h for what is compared, what is drift and why)
 *
 * Theory of operation: the runs of @now are walked in order, each looked up
 * in @base by (name, family, firewall); then the runs of @base that @now
 * lacks are reported.  For a matched pair, each aspect has its own
 * function that prints its lines and counts them: drift through diff(),
 * what is only worth telling the reader through note().  Nothing is
 * allocated: state sets are bit masks, retransmission schedules are
 * bounded arrays (BASELINE_MAX_RETRANS per node, beyond which only the
 * count is compared), packet shapes bounded string arrays; nodes and
 * expectations are matched by name and text with quadratic scans, which is
 * plenty for a scenario's handful.
 */
#include "baseline.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

#include "rule.h"
#include "util.h"

/* The catalogue's timing tolerance: max(4 ms, 12.5 %) */
#define BASELINE_TOL_MIN_NS (4 * NS_PER_MS)

struct cmp {
	FILE *f;
	const struct result *now, *base;
	unsigned int flags; /* BASELINE_NOTES */
	int n;              /* drift lines so far */
	int notes;          /* note lines so far */
};

/**
 * diff() - print one difference line for the pair being compared
 * @c:		comparison
 * @fmt:	what differs, printf-style
 */
static void PRINTF(2, 3) diff(struct cmp *c, const char *fmt, ...)
{
	const struct result *r = c->now ? c->now : c->base;
	va_list ap;

	c->n++;
	if (!c->f)
		return;
	fprintf(c->f, "%s IPv%d %s: ", r->name, r->family, r->firewall);
	va_start(ap, fmt);
	vfprintf(c->f, fmt, ap);
	va_end(ap);
	fputc('\n', c->f);
}

/**
 * note() - print one difference that is not drift (BASELINE_NOTES only)
 * @c:		comparison
 * @fmt:	what differs, printf-style
 */
static void PRINTF(2, 3) note(struct cmp *c, const char *fmt, ...)
{
	const struct result *r = c->now ? c->now : c->base;
	va_list ap;

	c->notes++;
	if (!c->f || !(c->flags & BASELINE_NOTES))
		return;
	fprintf(c->f, "%s IPv%d %s: (not drift) ", r->name, r->family,
		r->firewall);
	va_start(ap, fmt);
	vfprintf(c->f, fmt, ap);
	va_end(ap);
	fputc('\n', c->f);
}

/**
 * node_of() - index of the node called @name in @run, -1 if none
 * @run:	the run
 * @name:	node name
 *
 * Return: index or -1
 */
static int node_of(const struct result *run, const char *name)
{
	int i;

	for (i = 0; i < run->nnodes && i < 4; i++)
		if (!strcmp(run->nodes[i], name))
			return i;
	return -1;
}

/**
 * norm_state() - a request socket's NEW_SYN_RECV counts as SYN_RECV
 * @st:		state
 *
 * Return: the state to compare
 */
static int norm_state(int st)
{
	return st == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV : st;
}

uint32_t baseline_sampled(const struct result *run, const char *node)
{
	int ni = node_of(run, node);
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < run->tl.n && ni >= 0; i++) {
		const struct tl_event *ev = &run->tl.v[i];
		int st = norm_state(ev->state);

		if (ev->kind == TL_STATE && ev->node == ni && st > 0 &&
		    st < DIAG_STATE_MAX)
			m |= 1u << st;
	}
	return m;
}

uint32_t baseline_confirmed(const struct result *run, const char *node)
{
	int ni = node_of(run, node);
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < run->nexpects && ni >= 0; i++) {
		const struct res_expect *x = &run->expects[i];
		int st = norm_state(x->mark.state);

		if (x->held && x->mark_node == ni && st > 0 &&
		    st < DIAG_STATE_MAX)
			m |= 1u << st;
	}
	return m;
}

/**
 * state_line() - " +A +B -C": what @a has that @b lacks, then the reverse
 * @a:		one set
 * @b:		the other
 * @line:	output
 * @len:	its size
 *
 * Return: @line
 */
static const char *state_line(uint32_t a, uint32_t b, char *line, size_t len)
{
	size_t n = 0;
	int k;

	line[0] = '\0';
	for (k = 1; k < DIAG_STATE_MAX && n < len; k++)
		if ((a & ~b) & (1u << k))
			n += (size_t)snprintf(line + n, len - n, " +%s",
					      diag_state_label(k));
	for (k = 1; k < DIAG_STATE_MAX && n < len; k++)
		if ((b & ~a) & (1u << k))
			n += (size_t)snprintf(line + n, len - n, " -%s",
					      diag_state_label(k));
	return line;
}

/**
 * for_each_node() - call @fn for every node name either side has, once
 * @c:		comparison
 * @fn:		called with the node's name
 */
static void for_each_node(struct cmp *c,
			  void (*fn)(struct cmp *c, const char *name))
{
	const struct result *sides[2] = { c->now, c->base };
	int s, i;

	for (s = 0; s < 2; s++)
		for (i = 0; i < sides[s]->nnodes && i < 4; i++) {
			/* a node both sides have is compared once, from @now */
			if (s == 1 && node_of(c->now, sides[s]->nodes[i]) >= 0)
				continue;
			fn(c, sides[s]->nodes[i]);
		}
}

/**
 * node_states() - the states an expectation confirmed (drift), and the
 * states seen only by sampling (a note: a state that lasts microseconds is
 * caught by one run's sampling and not by the next)
 * @c:		comparison
 * @name:	node name
 */
static void node_states(struct cmp *c, const char *name)
{
	uint32_t a = baseline_confirmed(c->now, name);
	uint32_t b = baseline_confirmed(c->base, name);
	char line[512];

	if (a != b)
		diff(c, "%s states confirmed:%s", name,
		     state_line(a, b, line, sizeof(line)));
	a = baseline_sampled(c->now, name);
	b = baseline_sampled(c->base, name);
	if (a != b)
		note(c, "%s states sampled:%s", name,
		     state_line(a, b, line, sizeof(line)));
}

/**
 * baseline_nth_expect() - the @nth expectation (from 0) of @run whose text is @text
 * @run:	the run
 * @text:	expectation text
 * @nth:	which of those
 *
 * Return: the expectation, or NULL
 */
const struct res_expect *baseline_nth_expect(const struct result *run,
					     const char *text, int nth)
{
	size_t i;

	for (i = 0; i < run->nexpects; i++)
		if (!strcmp(run->expects[i].text, text) && nth-- == 0)
			return &run->expects[i];
	return NULL;
}

/**
 * baseline_ordinal() - how many expectations of @run before @x have its text
 * @run:	the run
 * @x:		one of its expectations
 *
 * Return: the count
 */
int baseline_ordinal(const struct result *run, const struct res_expect *x)
{
	const struct res_expect *p;
	int n = 0;

	for (p = run->expects; p < x; p++)
		n += !strcmp(p->text, x->text);
	return n;
}

/**
 * expect_kind() - the word after the node in an expectation's text
 * ("[expect] NODE KIND ..."): "state", "error", "retransmits", "counter",
 * "eof", "packets", "drops"
 * @x:		expectation
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf ("" when the text has a single word)
 */
static const char *expect_kind(const struct res_expect *x, char *buf,
			       size_t len)
{
	const char *p = x->text;
	size_t n = 0;
	int skip = 1;

	/* the line as written starts with "expect": skip it too */
	while (isspace((unsigned char)*p))
		p++;
	if (!strncmp(p, "expect", 6) && isspace((unsigned char)p[6]))
		skip = 2;
	while (skip--) {
		while (*p && !isspace((unsigned char)*p))
			p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	while (p[n] && !isspace((unsigned char)p[n]) && n + 1 < len) {
		buf[n] = p[n];
		n++;
	}
	buf[n] = '\0';
	return buf;
}

/**
 * errno_names() - the errno names an observed text mentions, in order,
 * separated by commas ("ETIMEDOUT"); "none" when it names none
 * @text:	observed text
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *errno_names(const char *text, char *buf, size_t len)
{
	const char *p = text;
	size_t n = 0;

	buf[0] = '\0';
	while (*p) {
		char word[32];
		size_t k = 0;

		if (*p != 'E' || (p > text && (isalnum((unsigned char)p[-1]) ||
					       p[-1] == '_'))) {
			p++;
			continue;
		}
		while ((isupper((unsigned char)p[k]) ||
			isdigit((unsigned char)p[k])) && k + 1 < sizeof(word)) {
			word[k] = p[k];
			k++;
		}
		word[k] = '\0';
		p += k ? k : 1;
		if (k < 2 || util_errno_parse(word) <= 0)
			continue;
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? "," : "", word);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

const char *baseline_expect_verdict(const struct res_expect *x, char *buf,
				    size_t len)
{
	char kind[16], errs[128];

	if (strcmp(expect_kind(x, kind, sizeof(kind)), "error"))
		snprintf(buf, len, "%s", x->held ? "held" : "failed");
	else
		snprintf(buf, len, "%s, error %s", x->held ? "held" : "failed",
			 errno_names(x->observed, errs, sizeof(errs)));
	return buf;
}

/**
 * cmp_expects() - each expectation's verdict, and the errors returned
 * @c:		comparison
 */
static void cmp_expects(struct cmp *c)
{
	size_t i;

	for (i = 0; i < c->now->nexpects; i++) {
		const struct res_expect *x = &c->now->expects[i], *y;
		char kind[16], e1[128], e2[128];

		y = baseline_nth_expect(c->base, x->text, baseline_ordinal(c->now, x));
		if (!y) {
			diff(c, "expectation '%s': not in the baseline", x->text);
			continue;
		}
		if (!x->held != !y->held)
			diff(c, "expectation '%s': %s, the baseline %s", x->text,
			     x->held ? "held" : "failed",
			     y->held ? "held" : "failed");
		if (strcmp(expect_kind(x, kind, sizeof(kind)), "error"))
			continue;
		errno_names(x->observed, e1, sizeof(e1));
		errno_names(y->observed, e2, sizeof(e2));
		if (strcmp(e1, e2))
			diff(c, "expectation '%s': error %s, the baseline %s",
			     x->text, e1, e2);
	}
	for (i = 0; i < c->base->nexpects; i++) {
		const struct res_expect *y = &c->base->expects[i];

		if (!baseline_nth_expect(c->now, y->text, baseline_ordinal(c->base, y)))
			diff(c, "expectation '%s': only in the baseline", y->text);
	}
}

/**
 * same_seg() - do two events carry the same segment from the same node?
 * @a:		one event
 * @b:		the other
 *
 * Return: 1 if so
 */
static int same_seg(const struct tl_event *a, const struct tl_event *b)
{
	const struct tl_pkt *p = &a->pkt, *q = &b->pkt;

	return a->node == b->node && diag_addr_eq(&p->src, &q->src) &&
	       diag_addr_eq(&p->dst, &q->dst) && p->seq == q->seq &&
	       p->flags == q->flags && p->len == q->len;
}

/**
 * is_sent() - an attempt to send: a captured packet, or a drop on output
 * @ev:		event
 *
 * Return: 1 if so
 */
static int is_sent(const struct tl_event *ev)
{
	return ev->kind == TL_PACKET ||
	       (ev->kind == TL_DROP && ev->hook == RULE_OUTPUT);
}

int baseline_is_retrans(const struct result *run, size_t i, uint64_t *since)
{
	const struct tl_event *v = run->tl.v, *first = NULL;
	size_t j;

	if (i >= run->tl.n || !is_sent(&v[i]) ||
	    !(v[i].pkt.len || v[i].pkt.flags & (RULE_TCP_SYN | RULE_TCP_FIN)))
		return 0;
	/* the timeline need not be sorted: "earlier" is by time */
	for (j = 0; j < run->tl.n; j++) {
		if (j == i || !is_sent(&v[j]) || !same_seg(&v[i], &v[j]))
			continue;
		if (v[j].t_ns < v[i].t_ns || (v[j].t_ns == v[i].t_ns && j < i))
			if (!first || v[j].t_ns < first->t_ns)
				first = &v[j];
	}
	if (!first)
		return 0;
	if (since)
		*since = v[i].t_ns - first->t_ns;
	return 1;
}

/**
 * run_end() - the last moment @run observed: its run's length or its last
 * event, whichever is later (both count from the lab being ready)
 * @run:	the run
 *
 * Return: ns
 */
static uint64_t run_end(const struct result *run)
{
	uint64_t end = run->run_ns;
	size_t i;

	for (i = 0; i < run->tl.n; i++)
		if (run->tl.v[i].t_ns > end)
			end = run->tl.v[i].t_ns;
	return end;
}

/**
 * same_key() - the same segment, as two runs can tell it: by flags,
 * relative sequence number and length (ports and addresses differ from run
 * to run)
 * @a:		event
 * @b:		event
 *
 * Return: 1 if so
 */
static int same_key(const struct tl_event *a, const struct tl_event *b)
{
	return a->pkt.flags == b->pkt.flags && a->pkt.seq == b->pkt.seq &&
	       a->pkt.len == b->pkt.len;
}

/**
 * retrans_of_key() - how many retransmissions of @ev's segment node @node
 * of @run sent, up to the time @until
 * @run:	the run
 * @node:	node index in @run
 * @ev:		an event with the segment's key (same_key())
 * @until:	time limit (inclusive)
 *
 * Return: the count
 */
static int retrans_of_key(const struct result *run, int node,
			  const struct tl_event *ev, uint64_t until)
{
	int n = 0;
	size_t j;

	for (j = 0; j < run->tl.n; j++)
		if (run->tl.v[j].node == node && run->tl.v[j].t_ns <= until &&
		    same_key(&run->tl.v[j], ev) && baseline_is_retrans(run, j, NULL))
			n++;
	return n;
}

/**
 * unseeable() - could @other not have seen the @k-th retransmission of a
 * segment, @since after its first transmission?
 * @ev:		the retransmission, in another run
 * @name:	its node's name
 * @since:	its time since its segment's first transmission
 * @k:		how many retransmissions of its segment its run had sent by then
 * @other:	the run compared with
 *
 * Return: 1 if @other sent the same segment (same_key()), sent fewer than @k
 * retransmissions of it, and ended sooner after its first transmission
 * than @since: it stopped looking before it could have
 */
static int unseeable(const struct tl_event *ev, const char *name,
		     uint64_t since, int k, const struct result *other)
{
	int node = node_of(other, name);
	const struct tl_event *first = NULL;
	size_t j;

	if (node < 0 || retrans_of_key(other, node, ev, UINT64_MAX) >= k)
		return 0;
	for (j = 0; j < other->tl.n; j++) {
		const struct tl_event *o = &other->tl.v[j];

		if (o->node == node && is_sent(o) && same_key(o, ev) &&
		    (!first || o->t_ns < first->t_ns))
			first = o;
	}
	return first && run_end(other) < first->t_ns + since;
}

int baseline_retrans(const struct result *run, const char *name, uint64_t *t)
{
	return baseline_retrans_seen(run, name, t, NULL, 0);
}

int baseline_retrans_seen(const struct result *run, const char *name,
			  uint64_t *t, const struct result *const *others,
			  int nothers)
{
	int n = 0, node = node_of(run, name), k, hidden, nth;
	uint64_t since;
	size_t i, j;

	if (node < 0)
		return 0;
	for (i = 0; i < run->tl.n; i++) {
		if (run->tl.v[i].node != node ||
		    !baseline_is_retrans(run, i, &since))
			continue;
		nth = nothers ? retrans_of_key(run, node, &run->tl.v[i],
					       run->tl.v[i].t_ns) : 0;
		for (k = 0, hidden = 0; k < nothers && !hidden; k++)
			hidden = others[k] && others[k] != run &&
				 unseeable(&run->tl.v[i], name, since, nth,
					   others[k]);
		if (hidden)
			continue;
		if (n < BASELINE_MAX_RETRANS)
			t[n] = since;
		n++;
	}
	/* in time order: insertion sort of a handful */
	for (i = 1; i < (size_t)n && i < BASELINE_MAX_RETRANS; i++)
		for (j = i; j > 0 && t[j - 1] > t[j]; j--) {
			uint64_t x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	return n;
}

const char *baseline_schedule(int n, const uint64_t *t, char *buf, size_t len)
{
	size_t k = 0;
	int i;

	k = (size_t)snprintf(buf, len, "%d", n);
	for (i = 0; i < n && i < BASELINE_MAX_RETRANS && k < len; i++) {
		char d[32];

		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "," : " at ",
				      util_fmt_duration(t[i], d, sizeof(d)));
	}
	return buf;
}

int baseline_times_agree(uint64_t a, uint64_t b, double slow)
{
	uint64_t d = a > b ? a - b : b - a;

	return d <= timing_tolerance(b, slow);
}

/**
 * slow_of() - the wider of the two sides' --slow factors
 * @c:		comparison
 *
 * Return: the factor (>= 1)
 */
static double slow_of(const struct cmp *c)
{
	double a = c->now->slow, b = c->base->slow;

	a = a >= 1 ? a : 1;
	b = b >= 1 ? b : 1;
	return a > b ? a : b;
}

int baseline_early(int n, const uint64_t *t)
{
	int k = 0;

	while (k < n && k < BASELINE_MAX_RETRANS && t[k] < BASELINE_RTO_MIN_NS)
		k++;
	return k;
}

int baseline_schedules_agree(int na, const uint64_t *a, int nb,
			     const uint64_t *b, double slow)
{
	int k, same = na == nb;

	for (k = 0; same && k < na && k < BASELINE_MAX_RETRANS; k++)
		same = baseline_times_agree(a[k], b[k], slow);
	return same;
}

/**
 * node_retrans() - retransmission count and schedule of one sending node:
 * those the kernel's timers sent (200 ms and later) are drift, the earlier
 * ones (loss probes, fast retransmits: clocked by the measured round trip,
 * which is the machine's speed) a note
 * @c:		comparison
 * @name:	node name
 */
static void node_retrans(struct cmp *c, const char *name)
{
	uint64_t a[BASELINE_MAX_RETRANS], b[BASELINE_MAX_RETRANS];
	int na = baseline_retrans_seen(c->now, name, a, &c->base, 1);
	int nb = baseline_retrans_seen(c->base, name, b, &c->now, 1);
	int ea = baseline_early(na, a), eb = baseline_early(nb, b);
	char sa[512], sb[512];

	if (c->now->packets_capped || c->base->packets_capped)
		return;
	/* the whole schedules agree: a probe at 199 ms in one run and 225 ms
	 * in the other is the same probe, on either side of the 200 ms line */
	if (baseline_schedules_agree(na, a, nb, b, slow_of(c)))
		return;
	if (!baseline_schedules_agree(na - ea, a + ea, nb - eb, b + eb, slow_of(c)))
		diff(c, "%s retransmissions: %s, the baseline %s", name,
		     baseline_schedule(na - ea, a + ea, sa, sizeof(sa)),
		     baseline_schedule(nb - eb, b + eb, sb, sizeof(sb)));
	if (!baseline_schedules_agree(ea, a, eb, b, slow_of(c)))
		note(c, "%s retransmissions before 200ms: %s, the baseline %s",
		     name, baseline_schedule(ea, a, sa, sizeof(sa)),
		     baseline_schedule(eb, b, sb, sizeof(sb)));
}

/**
 * shape_of() - what the kernel decided about a SYN or SYN-ACK: "S. win
 * 65160 mss 1460,sackOK,TS,nop,wscale 7" (timestamps' values left out)
 * @ev:		packet event
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *shape_of(const struct tl_event *ev, char *buf, size_t len)
{
	const char *o = ev->pkt.opts;
	size_t n;

	n = (size_t)snprintf(buf, len, "%s win %u%s",
			     ev->pkt.flags & RULE_TCP_ACK ? "S." : "S",
			     ev->pkt.win, *o ? " " : "");
	while (*o && n + 1 < len) {
		if (!strncmp(o, "TS val ", 7)) {
			/* "TS val 123 ecr 456" is "TS" */
			n += (size_t)snprintf(buf + n, len - n, "TS");
			while (*o && *o != ',')
				o++;
			continue;
		}
		buf[n++] = *o++;
		buf[n] = '\0';
	}
	return buf;
}

int baseline_shapes(const struct result *run, const char *name,
		    char (*out)[BASELINE_SHAPE_LEN], int max)
{
	int node = node_of(run, name), n = 0, k;
	size_t i;

	for (i = 0; i < run->tl.n && node >= 0; i++) {
		const struct tl_event *ev = &run->tl.v[i];
		char sh[BASELINE_SHAPE_LEN];

		if (ev->kind != TL_PACKET || ev->node != node ||
		    !(ev->pkt.flags & RULE_TCP_SYN))
			continue;
		shape_of(ev, sh, sizeof(sh));
		for (k = 0; k < n && strcmp(out[k], sh); k++)
			;
		if (k == n && n < max)
			memcpy(out[n++], sh, sizeof(sh));
	}
	return n;
}

/**
 * shape_in() - is @sh one of @v[0..@n)?
 * @v:		shapes
 * @n:		how many
 * @sh:		the one looked for
 *
 * Return: 1 if so
 */
static int shape_in(char (*v)[BASELINE_SHAPE_LEN], int n, const char *sh)
{
	while (n-- > 0)
		if (!strcmp(v[n], sh))
			return 1;
	return 0;
}

/**
 * shape_list() - "A | B", or "none"
 * @v:		shapes
 * @n:		how many
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *shape_list(char (*v)[BASELINE_SHAPE_LEN], int n, char *buf,
			      size_t len)
{
	size_t k = 0;
	int i;

	snprintf(buf, len, "none");
	for (i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? " | " : "",
				      v[i]);
	return buf;
}

/**
 * node_shapes() - the SYNs and SYN-ACKs a node sent, as the kernel shaped
 * them (flags, window, options and their order, window scale, MSS)
 * @c:		comparison
 * @name:	node name
 */
static void node_shapes(struct cmp *c, const char *name)
{
	char a[BASELINE_MAX_SHAPES][BASELINE_SHAPE_LEN];
	char b[BASELINE_MAX_SHAPES][BASELINE_SHAPE_LEN];
	int na = baseline_shapes(c->now, name, a, BASELINE_MAX_SHAPES);
	int nb = baseline_shapes(c->base, name, b, BASELINE_MAX_SHAPES);
	char la[BASELINE_MAX_SHAPES * BASELINE_SHAPE_LEN];
	char lb[BASELINE_MAX_SHAPES * BASELINE_SHAPE_LEN];
	int k, same = na == nb;

	if (c->now->packets_capped || c->base->packets_capped)
		return;
	for (k = 0; same && k < na; k++)
		same = shape_in(b, nb, a[k]);
	if (!same)
		diff(c, "%s SYN shapes: %s, the baseline %s", name,
		     shape_list(a, na, la, sizeof(la)),
		     shape_list(b, nb, lb, sizeof(lb)));
}

/**
 * counter_of() - the delta of counter @name on @node in @run; 0 if it did
 * not move
 * @run:	the run
 * @node:	node name
 * @name:	counter name
 *
 * Return: the delta
 */
static int64_t counter_of(const struct result *run, const char *node,
			  const char *name)
{
	size_t i;

	for (i = 0; i < run->ncounters; i++)
		if (!strcmp(run->counters[i].node, node) &&
		    !strcmp(run->counters[i].name, name))
			return run->counters[i].delta;
	return 0;
}

const struct res_record *baseline_record(const struct result *run,
					 const char *node, const char *kind,
					 const char *name)
{
	size_t i;

	for (i = 0; i < run->nrecords; i++)
		if (!strcmp(run->records[i].node, node) &&
		    !strcmp(run->records[i].kind, kind) &&
		    !strcmp(run->records[i].name, name))
			return &run->records[i];
	return NULL;
}

const char *baseline_record_value(const struct result *run,
				  const struct res_record *rec, char *buf,
				  size_t len)
{
	const struct res_record *own;

	if (!strcmp(rec->kind, "state")) {
		int st = norm_state(diag_state_parse(rec->name));

		snprintf(buf, len, "%s", st > 0 && st < DIAG_STATE_MAX &&
			 (baseline_sampled(run, rec->node) & (1u << st)) ?
			 "seen" : "not seen");
		return buf;
	}
	own = baseline_record(run, rec->node, rec->kind, rec->name);
	if (own && !own->have)
		snprintf(buf, len, "no such counter");
	else if (own)
		snprintf(buf, len, "%+lld", (long long)own->delta);
	else /* a run of a scenario without the record: the moved ones */
		snprintf(buf, len, "%+lld",
			 (long long)counter_of(run, rec->node, rec->name));
	return buf;
}

/**
 * recorded() - is counter @name of @node recorded by either run?
 * @c:		comparison
 * @node:	node name
 * @name:	counter name
 *
 * Return: 1 if so
 */
static int recorded(const struct cmp *c, const char *node, const char *name)
{
	return baseline_record(c->now, node, "counter", name) ||
	       baseline_record(c->base, node, "counter", name);
}

/**
 * cmp_records() - what the scenario's `record` lines named: a counter's
 * delta, a state seen by sampling - drift, unlike the counters and
 * sampled states no line names
 * @c:		comparison
 */
static void cmp_records(struct cmp *c)
{
	const struct result *sides[2] = { c->now, c->base };
	char a[64], b[64];
	size_t i;
	int s;

	for (s = 0; s < 2; s++)
		for (i = 0; i < sides[s]->nrecords; i++) {
			const struct res_record *rec = &sides[s]->records[i];

			/* one recorded on both sides is compared once */
			if (s == 1 && baseline_record(c->now, rec->node, rec->kind,
						      rec->name))
				continue;
			baseline_record_value(c->now, rec, a, sizeof(a));
			baseline_record_value(c->base, rec, b, sizeof(b));
			if (strcmp(a, b))
				diff(c, "%s %s %s (recorded): %s, the baseline %s",
				     rec->node, rec->kind, rec->name, a, b);
		}
}

/**
 * cmp_counters() - the counters that moved: a note each, never drift (a
 * counter an expectation names is judged by that expectation's verdict, one
 * a `record` line names by cmp_records())
 * @c:		comparison
 */
static void cmp_counters(struct cmp *c)
{
	size_t i;

	for (i = 0; i < c->now->ncounters; i++) {
		const struct res_counter *x = &c->now->counters[i];
		int64_t b = counter_of(c->base, x->node, x->name);

		if (recorded(c, x->node, x->name))
			continue;
		if (x->delta != b)
			note(c, "%s counter %s: %+lld, the baseline %+lld",
			     x->node, x->name, (long long)x->delta, (long long)b);
	}
	for (i = 0; i < c->base->ncounters; i++) {
		const struct res_counter *y = &c->base->counters[i];
		size_t k;

		for (k = 0; k < c->now->ncounters; k++)
			if (!strcmp(c->now->counters[k].node, y->node) &&
			    !strcmp(c->now->counters[k].name, y->name))
				break;
		if (k == c->now->ncounters && y->delta &&
		    !recorded(c, y->node, y->name))
			note(c, "%s counter %s: +0, the baseline %+lld", y->node,
			     y->name, (long long)y->delta);
	}
}

int baseline_compare_ex(FILE *f, const struct results *now,
			const struct results *base, unsigned int flags)
{
	struct cmp c = { .f = f, .flags = flags };
	size_t i;

	for (i = 0; i < now->nruns; i++) {
		c.now = &now->runs[i];
		c.base = results_find(base, c.now->name, c.now->family, c.now->firewall);
		if (!c.base) {
			diff(&c, "not in the baseline");
			continue;
		}
		if (c.now->verdict != c.base->verdict)
			diff(&c, "verdict %s, the baseline %s",
			     res_verdict_name(c.now->verdict),
			     res_verdict_name(c.base->verdict));
		cmp_expects(&c);
		for_each_node(&c, node_states);
		for_each_node(&c, node_retrans);
		for_each_node(&c, node_shapes);
		cmp_records(&c);
		cmp_counters(&c);
	}
	c.now = NULL;
	for (i = 0; i < base->nruns; i++) {
		c.base = &base->runs[i];
		if (!results_find(now, c.base->name, c.base->family, c.base->firewall))
			diff(&c, "only in the baseline: did not run");
	}
	return c.n;
}

int baseline_compare(FILE *f, const struct results *now,
		     const struct results *base)
{
	return baseline_compare_ex(f, now, base, 0);
}
