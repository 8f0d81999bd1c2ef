// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - the classroom report: the section walker (see report.h)
 *
 * Theory of operation
 *
 * One walker, report_walk(), goes through the results in the order the
 * document reads and hands each piece to an emitter (report_int.h):
 * report_html.c writes HTML with inline SVG (report_svg.c draws the
 * ladders), report_md.c writes Markdown.  The walker owns the facts both
 * formats share, so that they cannot drift apart: which states a run
 * reached (cover_of(): TL_STATE events of any node, and expectations of
 * kind "state" that held: "[expect] NODE state STATE ..."), one coverage
 * row per scenario name, the runs' anchors, the file:line of each rule
 * and expectation, the socket tables (text_sock_table() into a memory
 * stream), which lists are empty and what a run's captures are.
 */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "sock.h"
#include "ladder.h"
#include "ladder_int.h"
#include "text.h"
#include "util.h"

const struct report_state report_states[11] = {
	{ DIAG_LISTEN, "LISTEN" },	   { DIAG_SYN_SENT, "SYN-SENT" },
	{ DIAG_SYN_RECV, "SYN-RECEIVED" }, { DIAG_ESTABLISHED, "ESTABLISHED" },
	{ DIAG_FIN_WAIT1, "FIN-WAIT-1" },  { DIAG_FIN_WAIT2, "FIN-WAIT-2" },
	{ DIAG_CLOSE_WAIT, "CLOSE-WAIT" }, { DIAG_CLOSING, "CLOSING" },
	{ DIAG_LAST_ACK, "LAST-ACK" },	   { DIAG_TIME_WAIT, "TIME-WAIT" },
	{ DIAG_CLOSE, "CLOSED" },
};

/*
 * The chapters of a connection's life, and the scenarios in each, in the
 * order they are read.  A scenario not named here goes by the longest
 * keyword its name holds, else to "Other".
 */
const struct report_group report_groups[REPORT_NGROUPS] = {
	{ "listen", "Listen",
	  { "listen", "two-clients", "accept-queue-overflow", NULL },
	  { "listen", "accept", "backlog", NULL } },
	{ "handshake", "The handshake",
	  { "syn-sent", "syn-recv", "simultaneous-open", NULL },
	  { "simultaneous-open", "handshake", "syn-sent", "syn-recv", NULL } },
	{ "established", "Established",
	  { "established", "nagle", "delayed-path", "seeded-loss",
	    "reordered-segment", "duplicate-segment", "rate-limited", NULL },
	  { "established", "data", "nagle", "loss", "delay", "duplicate",
	    "reorder", NULL } },
	{ "active-close", "Active close",
	  { "fin-wait-1", "fin-wait-2", NULL },
	  { "fin-wait", "active-close", NULL } },
	{ "passive-close", "Passive close",
	  { "close-wait", "last-ack", NULL },
	  { "close-wait", "last-ack", "passive-close", NULL } },
	{ "simultaneous-close", "Simultaneous close",
	  { "closing", "simultaneous-close", NULL },
	  { "simultaneous-close", "closing", NULL } },
	{ "time-wait", "TIME-WAIT",
	  { "time-wait", NULL },
	  { "time-wait", "timewait", "2msl", NULL } },
	{ "closed", "Closed",
	  { "closed", NULL },
	  { "closed", NULL } },
	{ "resets", "Resets",
	  { "rst-refused", "reject-rst", "rst-after-restart", "challenge-ack", NULL },
	  { "rst", "reset", "reject", "challenge", "abort", NULL } },
	{ "timers", "Timers and retries",
	  { "syn-retries", "synack-retries", "drop-timeout", "user-timeout",
	    "zero-window-probe", NULL },
	  { "retries", "retrans", "timeout", "rto", "timer", "probe", NULL } },
	{ "keepalive", "Keepalive",
	  { "keepalive-dead-peer", "keepalive-nat", "nat-idle-timeout", NULL },
	  { "keepalive", "idle", NULL } },
	{ "flood", "Flood",
	  { "syn-flood", "syn-flood-no-cookies", NULL },
	  { "flood", "cookie", NULL } },
	{ "other", "Other", { NULL }, { NULL } },
};

int report_group_of(const char *name, int *rank)
{
	int best = REPORT_NGROUPS - 1;
	size_t g, k, best_len = 0;

	for (g = 0; g < REPORT_NGROUPS; g++)
		for (k = 0; report_groups[g].names[k]; k++)
			if (!strcmp(name, report_groups[g].names[k])) {
				*rank = (int)k;
				return (int)g;
			}
	/* the longest keyword the name holds: "keepalive-probes" is keepalive */
	*rank = 1000;
	for (g = 0; g < REPORT_NGROUPS; g++)
		for (k = 0; report_groups[g].keywords[k]; k++)
			if (strstr(name, report_groups[g].keywords[k]) &&
			    strlen(report_groups[g].keywords[k]) > best_len) {
				best_len = strlen(report_groups[g].keywords[k]);
				best = (int)g;
			}
	return best;
}

/* Shared facts */

const char *report_state_label(int st)
{
	return diag_state_label(ladder_state(st));
}

/**
 * word() - copy the @n-th blank-separated word (from 0) of @s
 * @s:		text
 * @n:		which word
 * @buf:	output ("" when there is none)
 * @len:	its size
 *
 * Return: @buf
 */
static const char *word(const char *s, int n, char *buf, size_t len)
{
	size_t k = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!n--)
			break;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	while (s[k] && !isspace((unsigned char)s[k]) && k + 1 < len) {
		buf[k] = s[k];
		k++;
	}
	buf[k] = '\0';
	return buf;
}

/**
 * cover_of() - the states @run reached, seen (TL_STATE) or confirmed (an
 * expectation "[expect] NODE state STATE ..." that held)
 * @run:	the run
 * @seen:	bit (1 << state) for each state seen in the timeline
 * @confirmed:	bit for each state an expectation confirmed
 */
static void cover_of(const struct result *run, uint32_t *seen,
		     uint32_t *confirmed)
{
	char kind[16], st[32];
	size_t i;
	int s;

	*seen = *confirmed = 0;
	for (i = 0; i < run->tl.n; i++) {
		s = ladder_state(run->tl.v[i].state);
		if (run->tl.v[i].kind == TL_STATE && s > 0 && s < DIAG_STATE_MAX)
			*seen |= 1u << s;
	}
	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];
		/* the line as written, "expect NODE state ...", or without it */
		int w = !strcmp(word(x->text, 0, kind, sizeof(kind)), "expect");

		if (!x->held ||
		    strcmp(word(x->text, w + 1, kind, sizeof(kind)), "state"))
			continue;
		s = diag_state_parse(word(x->text, w + 2, st, sizeof(st)));
		s = ladder_state(s);
		if (s > 0 && s < DIAG_STATE_MAX)
			*confirmed |= 1u << s;
	}
}

/**
 * cover_merged() - the coverage of scenario @i: cover_of() of every run
 * of the same name, merged; a scenario's row is written once, at its first
 * run
 * @r:		results
 * @i:		index of a run
 * @seen:	bit (1 << state) for each state seen
 * @confirmed:	bit for each state an expectation confirmed
 *
 * Return: 1, or 0 (nothing filled) when an earlier run has that name
 */
static int cover_merged(const struct results *r, size_t i, uint32_t *seen,
			uint32_t *confirmed)
{
	uint32_t s, c;
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(r->runs[j].name, r->runs[i].name))
			return 0;
	*seen = *confirmed = 0;
	for (j = i; j < r->nruns; j++) {
		if (strcmp(r->runs[j].name, r->runs[i].name))
			continue;
		cover_of(&r->runs[j], &s, &c);
		*seen |= s;
		*confirmed |= c;
	}
	return 1;
}

/**
 * run_id() - an anchor for @run: "run-syn-sent-ipv4-nftables"
 * @run:	the run
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *run_id(const struct result *run, char *buf, size_t len)
{
	size_t k;

	snprintf(buf, len, "run-%s-ipv%d-%s", run->name, run->family,
		 run->firewall);
	for (k = 0; buf[k]; k++)
		if (!isalnum((unsigned char)buf[k]) && buf[k] != '-' &&
		    buf[k] != '_')
			buf[k] = '-';
	return buf;
}

/**
 * report_base_name() - the last component of a path
 * @path:	path
 *
 * Return: a pointer into @path
 */
const char *report_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/**
 * where_of() - "syn-sent.tcp:7": the file name and line of @loc, the run's
 * scenario file when @loc names none
 * @run:	the run
 * @loc:	a place in the scenario
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *where_of(const struct result *run, const struct loc *loc,
			    char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d",
		 report_base_name(loc->file ? loc->file : run->file), loc->line);
	return buf;
}

/**
 * durations() - "lab set-up 1.2 ms, run 3 s, teardown 4 ms" for @run
 * @run:	the run
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *durations(const struct result *run, char *buf, size_t len)
{
	char d1[32], d2[32], d3[32];

	snprintf(buf, len, "lab set-up %s, run %s, teardown %s",
		 util_fmt_duration(run->setup_ns, d1, sizeof(d1)),
		 util_fmt_duration(run->run_ns, d2, sizeof(d2)),
		 util_fmt_duration(run->teardown_ns, d3, sizeof(d3)));
	return buf;
}

/**
 * packets_seen() - " (12 packets seen, 3 not kept: capture cap reached)",
 * the end of a run's captures line
 * @f:		where to
 * @run:	the run
 * @end:	what follows the closing parenthesis
 */
static void packets_seen(FILE *f, const struct result *run, const char *end)
{
	fprintf(f, " (%llu packets seen",
		(unsigned long long)run->packets_seen);
	if (run->packets_capped)
		fprintf(f, ", %llu not kept: capture cap reached",
			(unsigned long long)run->packets_capped);
	fprintf(f, ")%s", end);
}

/**
 * report_fmt_t() - a time since t0 for the axis: "0.041 ms", "999.375 ms",
 * and in seconds from one second on: "1.025 s"
 * @ns:		signed nanoseconds
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
const char *report_fmt_t(int64_t ns, char *buf, size_t len)
{
	double ms = (double)ns / 1e6;

	if (ms >= 1000 || ms <= -1000)
		snprintf(buf, len, "%.3f s", ms / 1e3);
	else
		snprintf(buf, len, "%.3f ms", ms);
	return buf;
}

/**
 * report_fmt_gap() - the length of a silence: "250 ms", "1.024 s"
 * @ns:		nanoseconds
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
const char *report_fmt_gap(uint64_t ns, char *buf, size_t len)
{
	if (ns >= 999500 * NS_PER_US)
		snprintf(buf, len, "%.3f s", (double)ns / 1e9);
	else
		snprintf(buf, len, "%.0f ms", (double)ns / 1e6);
	return buf;
}

/**
 * sock_table() - the socket table of @x as `ss -tano` would show it, in a
 * malloc'd string
 * @run:	the run
 * @x:		the expectation
 *
 * Return: the text (free() it), or NULL on -ENOMEM
 */
static char *sock_table(const struct result *run, const struct res_expect *x)
{
	struct text_node_socks nodes[4];
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int i, n = x->nsocks < 4 ? x->nsocks : 4;

	if (!m)
		return NULL;
	for (i = 0; i < n; i++) {
		nodes[i].node = i < run->nnodes ? run->nodes[i] : "?";
		nodes[i].set = &x->socks[i];
	}
	text_sock_table(m, nodes, n, x->mark_node,
			x->mark_node >= 0 ? &x->mark : NULL, 0);
	if (fclose(m)) {
		free(text);
		return NULL;
	}
	return text;
}

/**
 * backends() - the firewall backends and address families of the runs,
 * "nftables, iptables; IPv4, IPv6"
 * @r:		results
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *backends(const struct results *r, char *buf, size_t len)
{
	size_t i, k, n = 0;
	int fam = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nruns; i++) {
		for (k = 0; k < i; k++)
			if (!strcmp(r->runs[k].firewall, r->runs[i].firewall))
				break;
		if (k == i && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? ", " : "", r->runs[i].firewall);
		fam |= r->runs[i].family == 6 ? 2 : 1;
	}
	if (n < len)
		snprintf(buf + n, len - n, "%s%s%s%s", n ? "; " : "",
			 fam & 1 ? "IPv4" : "", fam == 3 ? ", " : "",
			 fam & 2 ? "IPv6" : "");
	return buf;
}

char *report_prose(const char *s)
{
	/* the kernel's spellings that differ from RFC 9293's */
	static const struct {
		const char *kernel, *rfc;
	} names[] = {
		{ "NEW_SYN_RECV", "SYN-RECEIVED" }, { "SYN_SENT", "SYN-SENT" },
		{ "SYN_RECV", "SYN-RECEIVED" },	    { "FIN_WAIT1", "FIN-WAIT-1" },
		{ "FIN_WAIT2", "FIN-WAIT-2" },	    { "CLOSE_WAIT", "CLOSE-WAIT" },
		{ "LAST_ACK", "LAST-ACK" },	    { "TIME_WAIT", "TIME-WAIT" },
	};
	char *out = malloc(strlen(s) * 2 + 1);
	size_t n = 0, k, len;

	if (!out)
		return NULL;
	while (*s) {
		for (k = 0; k < ARRAY_SIZE(names); k++) {
			len = strlen(names[k].kernel);
			if (!strncmp(s, names[k].kernel, len) &&
			    (!n || !(isalnum((unsigned char)out[n - 1]) || out[n - 1] == '_')) &&
			    !(isalnum((unsigned char)s[len]) || s[len] == '_'))
				break;
		}
		if (k < ARRAY_SIZE(names)) {
			n += (size_t)sprintf(out + n, "%s", names[k].rfc);
			s += strlen(names[k].kernel);
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

/* The walker */

/* Each list's heading and the paragraph that stands for it when empty */
static const struct {
	const char *title, *none;
} report_lists[REPORT_NLISTS] = {
	[REPORT_RULES] = { "Firewall rules", "None: nothing is filtered." },
	[REPORT_SYSCTLS] = { "sysctls", "None changed: the kernel's defaults." },
	[REPORT_EXPECTS] = { "Expectations", "None were checked." },
	[REPORT_COUNTERS] = { "Counters that moved", "None." },
};

/**
 * list_begin() - a list's heading, then its empty paragraph or its head
 * @f:		where to
 * @e:		emitter
 * @which:	the list
 * @n:		how many entries it has
 */
static void list_begin(FILE *f, const struct report_emit *e,
		       enum report_list which, size_t n)
{
	e->heading(f, report_lists[which].title);
	if (!n)
		e->para(f, report_lists[which].none);
	else
		fputs(e->list_head[which], f);
}

/**
 * list_end() - a list's tail, when it had entries
 * @f:		where to
 * @e:		emitter
 * @which:	the list
 * @n:		how many entries it had
 */
static void list_end(FILE *f, const struct report_emit *e,
		     enum report_list which, size_t n)
{
	if (n)
		fputs(e->list_tail[which], f);
}

/**
 * run_label() - "IPv6 nftables"
 * @run:	a run
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *run_label(const struct result *run, char *buf, size_t len)
{
	snprintf(buf, len, "IPv%d %s", run->family, run->firewall);
	return buf;
}

/**
 * other_expect() - what the other runs of @sc saw differently for
 * expectation @i of the first: "IPv6 nftables: FAILED, observed ..."
 * @sc:		scenario
 * @i:		expectation
 * @buf:	output ("" when all agree)
 * @len:	its size
 *
 * Return: @buf, or NULL when all agree
 */
static const char *other_expect(const struct report_scen *sc, size_t i,
				char *buf, size_t len)
{
	const struct res_expect *x = &sc->run[0]->expects[i];
	size_t n = 0;
	char lb[48];
	int k;

	buf[0] = '\0';
	for (k = 1; k < sc->nrun && n < len; k++) {
		const struct result *o = sc->run[k];
		const struct res_expect *y = i < o->nexpects ? &o->expects[i] : NULL;

		if (y && y->held == x->held)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s: %s%s%s", n ? "; " : "",
				      run_label(o, lb, sizeof(lb)),
				      !y ? "not checked" : y->held ? "held" : "FAILED",
				      y && y->observed[0] ? ", observed " : "",
				      y ? y->observed : "");
	}
	return buf[0] ? buf : NULL;
}

/**
 * walk_expects() - the first run's expectations, each with its socket
 * table and what the other runs saw differently
 * @f:		where to
 * @e:		emitter
 * @sc:		scenario
 *
 * Return: 0 or -ENOMEM
 */
static int walk_expects(FILE *f, const struct report_emit *e,
			const struct report_scen *sc)
{
	const struct result *run = sc->run[0];
	char where[600], at[32], other[1024];
	size_t i;

	list_begin(f, e, REPORT_EXPECTS, run->nexpects);
	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];
		char *tab = NULL;

		if (x->nsocks > 0) {
			tab = sock_table(run, x);
			if (!tab)
				return -ENOMEM;
		}
		e->expect(f, i, x, where_of(run, &x->loc, where, sizeof(where)),
			  x->t_ns ? report_fmt_t((int64_t)(x->t_ns - run->tl.t0),
						 at, sizeof(at))
				  : NULL,
			  tab, other_expect(sc, i, other, sizeof(other)));
		free(tab);
	}
	list_end(f, e, REPORT_EXPECTS, run->nexpects);
	return 0;
}

/**
 * walk_run() - one scenario's section, its runs folded
 * @f:		where to
 * @e:		emitter
 * @sc:		the scenario
 * @first:	the first of its chapter
 *
 * Return: 0 or -ENOMEM
 */
static int walk_run(FILE *f, const struct report_emit *e,
		    const struct report_scen *sc, int first)
{
	const struct result *run = sc->run[0];
	struct report_fsm_view v;
	char dur[128], where[600], path[1024], label[96];
	size_t i, n;
	int j, k, rc;

	e->run_begin(f, sc, durations(run, dur, sizeof(dur)), first);
	for (j = 0; j < sc->nrun; j++)
		if (sc->run[j]->reason[0])
			e->reason(f, sc->run[j], sc->run[j]->reason);
	if (run->teaches[0])
		e->teaches(f, run->teaches);

	e->heading(f, "The path through the state diagram");
	for (j = 0; j < (sc->differs ? sc->nrun : 1); j++) {
		report_fsm_path(sc, j, &v, path, sizeof(path));
		e->path(f, &v, sc->run[j], path);
	}

	list_begin(f, e, REPORT_RULES, run->nrules);
	for (i = 0; i < run->nrules; i++)
		e->rule(f, &run->rules[i],
			where_of(run, &run->rules[i].loc, where, sizeof(where)));
	list_end(f, e, REPORT_RULES, run->nrules);

	list_begin(f, e, REPORT_SYSCTLS, run->nsysctls);
	for (i = 0; i < run->nsysctls; i++)
		e->sysctl(f, &run->sysctls[i]);
	list_end(f, e, REPORT_SYSCTLS, run->nsysctls);

	e->heading(f, "What happened");
	if (sc->note[0])
		e->note(f, sc->note);
	if (run->nnodes >= 2) {
		rc = e->ladders(f, sc);
		if (rc)
			return rc;
	} else {
		e->para(f, "(no ladder: fewer than two nodes)");
	}

	rc = walk_expects(f, e, sc);
	if (rc)
		return rc;

	list_begin(f, e, REPORT_COUNTERS, run->ncounters);
	for (i = 0; i < run->ncounters; i++)
		e->counter(f, &run->counters[i]);
	list_end(f, e, REPORT_COUNTERS, run->ncounters);

	fputs(e->captures_head, f);
	for (j = 0, n = 0; j < sc->nrun; j++)
		for (k = 0; k < sc->run[j]->nnodes && k < 4; k++) {
			if (!sc->run[j]->pcap[k][0])
				continue;
			snprintf(label, sizeof(label), "IPv%d %s %s",
				 sc->run[j]->family, sc->run[j]->firewall,
				 sc->run[j]->nodes[k]);
			e->capture(f, n++, label, sc->run[j]->pcap[k]);
		}
	if (!n)
		fputs("none saved", f);
	packets_seen(f, run, e->run_tail);
	return 0;
}

/**
 * seg_sig() - the segments between the first two nodes, in order, as
 * "0S 1S. 0. ..." (sender and flags), to compare two runs
 * @run:	the run
 * @buf:	output
 * @len:	its size
 */
static void seg_sig(const struct result *run, char *buf, size_t len)
{
	size_t i, n = 0;
	char fl[48];

	buf[0] = '\0';
	for (i = 0; i < run->tl.n && n + 16 < len; i++) {
		const struct tl_event *ev = &run->tl.v[i];

		if (ev->kind != TL_PACKET && ev->kind != TL_DROP)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%d%s%s ", ev->node,
				      ev->kind == TL_DROP ? "x" : "",
				      ladder_flags(ev->pkt.flags, "-", fl, sizeof(fl)));
	}
}

/**
 * path_sig() - the changes of state of a trace, "0:1>2 1:10>3 ..."
 * @t:		trace
 * @buf:	output
 * @len:	its size
 */
static void path_sig(const struct tcpfsm_trace *t, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < t->n && n + 16 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%d:%d>%d ", t->v[i].node,
				      t->v[i].from, t->v[i].to);
}

/**
 * compare_runs() - what differed between the runs of @sc, in sc->note;
 * sc->differs when a run took another path (states or segments)
 * @sc:		scenario with its traces
 *
 * Return: 0 or -ENOMEM
 */
static int compare_runs(struct report_scen *sc)
{
	char *a = malloc(4096), *b = malloc(4096), lb[48], l0[48];
	size_t n = 0;
	int k;

	if (!a || !b) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	sc->note[0] = '\0';
	run_label(sc->run[0], l0, sizeof(l0));
	for (k = 1; k < sc->nrun && n < sizeof(sc->note); k++) {
		const struct result *o = sc->run[k];
		int seg, path, verdict = o->verdict != sc->run[0]->verdict;

		seg_sig(sc->run[0], a, 4096);
		seg_sig(o, b, 4096);
		seg = strcmp(a, b) != 0;
		path_sig(&sc->tr[0], a, 4096);
		path_sig(&sc->tr[k], b, 4096);
		path = strcmp(a, b) != 0;
		sc->differs |= seg || path;
		run_label(o, lb, sizeof(lb));
		if (!seg && !path && !verdict)
			n += (size_t)snprintf(sc->note + n, sizeof(sc->note) - n,
					      "%s%s took the same path as %s: the same "
					      "segments and the same changes of state; "
					      "only the addresses differ.",
					      n ? " " : "", lb, l0);
		else
			n += (size_t)snprintf(sc->note + n, sizeof(sc->note) - n,
					      "%s%s differed from %s:%s%s%s (both shown side by side).",
					      n ? " " : "", lb, l0,
					      verdict ? " the verdict" : "",
					      seg ? " the segments" : "",
					      path ? " the changes of state" : "");
	}
	free(a);
	free(b);
	return 0;
}

/**
 * run_cmp() - the run drawn first: IPv4 before IPv6, then nftables
 * @a:		one run
 * @b:		the other
 *
 * Return: <0 when @a goes first
 */
static int run_cmp(const struct result *a, const struct result *b)
{
	if (a->family != b->family)
		return a->family - b->family;
	return -strcmp(a->firewall, b->firewall);
}

/**
 * scen_cmp() - chapters in the order of a connection's life, scenarios in
 * the order of their chapter, the others by name
 * @x:		one scenario
 * @y:		the other
 *
 * Return: <0, 0, >0
 */
static int scen_cmp(const void *x, const void *y)
{
	const struct report_scen *a = x, *b = y;

	if (a->group != b->group)
		return a->group - b->group;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	return strcmp(a->run[0]->name, b->run[0]->name);
}

/**
 * scen_build() - the scenarios of @r, each with its runs folded and
 * traced, in the order they are written
 * @r:		results
 * @out:	the scenarios (free with scen_free())
 * @n:		how many
 *
 * Return: 0 or -ENOMEM
 */
static int scen_build(const struct results *r, struct report_scen **out,
		      size_t *n)
{
	struct report_scen *v = calloc(r->nruns ? r->nruns : 1, sizeof(*v));
	size_t i, k;
	int j, rc;

	*out = v;
	*n = 0;
	if (!v)
		return -ENOMEM;
	for (i = 0; i < r->nruns; i++) {
		const struct result *run = &r->runs[i];
		struct report_scen *sc = NULL;

		for (k = 0; k < *n; k++)
			if (!strcmp(v[k].run[0]->name, run->name))
				sc = &v[k];
		if (!sc) {
			sc = &v[(*n)++];
			sc->group = report_group_of(run->name, &sc->rank);
		}
		if (sc->nrun == (int)ARRAY_SIZE(sc->run))
			continue;
		/* keep the first run the one drawn */
		for (j = sc->nrun; j > 0 && run_cmp(run, sc->run[j - 1]) < 0; j--)
			sc->run[j] = sc->run[j - 1];
		sc->run[j] = run;
		sc->nrun++;
	}
	for (k = 0; k < *n; k++) {
		struct report_scen *sc = &v[k];

		run_id(sc->run[0], sc->id, sizeof(sc->id));
		for (j = 0; j < sc->nrun; j++) {
			rc = tcpfsm_trace(&sc->run[j]->tl, sc->run[j]->nnodes,
					  &sc->tr[j]);
			if (rc)
				return rc;
		}
		rc = compare_runs(sc);
		if (rc)
			return rc;
	}
	qsort(v, *n, sizeof(*v), scen_cmp);
	return 0;
}

/**
 * scen_free() - free what scen_build() made
 * @v:		scenarios
 * @n:		how many
 */
static void scen_free(struct report_scen *v, size_t n)
{
	size_t k;
	int j;

	for (k = 0; v && k < n; k++)
		for (j = 0; j < v[k].nrun; j++)
			tcpfsm_trace_free(&v[k].tr[j]);
	free(v);
}

void report_fsm_path(const struct report_scen *sc, int k,
		     struct report_fsm_view *v, char *text, size_t len)
{
	const struct tcpfsm_trace *t = &sc->tr[k];
	const struct result *run = sc->run[k];
	size_t i, n = 0;
	int node, sock, shown;

	memset(v, 0, sizeof(*v));
	v->small = 1;
	for (i = 0; i < t->n; i++) {
		uint32_t bit = 1u << (t->v[i].node ? 1 : 0);

		if (t->v[i].edge >= 0)
			v->edge[t->v[i].edge] |= bit;
		v->state[t->v[i].to] |= bit;
	}
	text[0] = '\0';
	/* each socket's path in words, a few per node */
	for (node = 0; node < run->nnodes && node < 4; node++) {
		for (sock = 0, shown = 0; n + 64 < len; sock++) {
			int any = 0;

			for (i = 0; i < t->n; i++) {
				const struct tcpfsm_step *s = &t->v[i];

				if (s->node != node || s->sock != sock)
					continue;
				if (!any && shown == 3) {
					n += (size_t)snprintf(text + n, len - n,
							      "%s: more sockets like these\n",
							      run->nodes[node]);
					shown++;
				}
				if (shown > 3)
					break;
				if (!any)
					n += (size_t)snprintf(text + n, len - n, "%s: %s",
							      run->nodes[node],
							      report_state_label(s->from));
				any = 1;
				n += (size_t)snprintf(text + n, len - n, " → %s%s",
						      report_state_label(s->to),
						      s->edge < 0 ? " (not on the figure)" : "");
				if (n + 64 >= len)
					break;
			}
			if (!any)
				break;
			if (shown++ < 3)
				n += (size_t)snprintf(text + n, len - n, "\n");
		}
	}
}

/**
 * walk_machine() - the large diagram: every edge some scenario took, lit
 * and linked to the first of them
 * @f:		where to
 * @e:		emitter
 * @sc:		scenarios, in order
 * @n:		how many
 *
 * Return: 0 or -ENOMEM
 */
static int walk_machine(FILE *f, const struct report_emit *e,
			const struct report_scen *sc, size_t n)
{
	struct report_fsm_view v = { 0 };
	const char *href[TCPFSM_NEDGES] = { 0 };
	char *users[TCPFSM_NEDGES] = { 0 };
	size_t k, i, len[TCPFSM_NEDGES] = { 0 };
	int ed, j, rc = 0;

	for (k = 0; k < n; k++) {
		uint32_t lit = 0;

		for (j = 0; j < sc[k].nrun; j++)
			lit |= tcpfsm_lit(&sc[k].tr[j], ~0u);
		for (ed = 0; ed < TCPFSM_NEDGES; ed++) {
			char *u;

			if (!(lit & (1u << ed)))
				continue;
			v.edge[ed] = 1;
			if (!href[ed])
				href[ed] = sc[k].id;
			u = realloc(users[ed], len[ed] + strlen(sc[k].run[0]->name) + 3);
			if (!u) {
				rc = -ENOMEM;
				goto out;
			}
			users[ed] = u;
			len[ed] += (size_t)sprintf(u + len[ed], "%s%s", len[ed] ? ", " : "",
						   sc[k].run[0]->name);
		}
	}
	for (i = 0; i < TCPFSM_NEDGES; i++)
		v.state[tcpfsm_edges[i].from] |= v.edge[i];
	v.href = href;
	v.title = (const char *const *)users;
	e->machine(f, &v, (const char *const *)users);
out:
	for (ed = 0; ed < TCPFSM_NEDGES; ed++)
		free(users[ed]);
	return rc;
}

/**
 * walk_index() - the index of the scenarios by chapter and the coverage
 * matrix, one row per scenario (its runs merged)
 * @f:		where to
 * @e:		emitter
 * @r:		results
 * @sc:		scenarios, in order
 * @n:		how many
 */
static void walk_index(FILE *f, const struct report_emit *e,
		       const struct results *r, const struct report_scen *sc,
		       size_t n)
{
	uint32_t all = 0, seen, conf;
	size_t k, i;
	int j;

	e->index_begin(f);
	for (k = 0; k < n; k++)
		e->index_row(f, !k || sc[k].group != sc[k - 1].group
				       ? report_groups[sc[k].group].title : NULL,
			     &sc[k]);
	e->cover_begin(f);
	for (k = 0; k < n; k++) {
		for (i = 0; i < r->nruns; i++)
			if (cover_merged(r, i, &seen, &conf) &&
			    !strcmp(r->runs[i].name, sc[k].run[0]->name))
				break;
		if (i == r->nruns)
			continue;
		/* and the states the replay of each run went through */
		for (j = 0; j < sc[k].nrun; j++)
			for (i = 0; i < sc[k].tr[j].n; i++)
				seen |= 1u << sc[k].tr[j].v[i].to;
		all |= seen | conf;
		e->cover_row(f, sc[k].run[0]->name, sc[k].id, seen, conf);
	}
	e->cover_end(f, all);
}

int report_walk(FILE *f, const struct results *r, const struct report_emit *e)
{
	struct report_scen *sc;
	char be[160];
	size_t i, n;
	int rc;

	rc = scen_build(r, &sc, &n);
	if (rc)
		goto out;
	e->doc_begin(f, r, backends(r, be, sizeof(be)));
	rc = walk_machine(f, e, sc, n);
	if (rc)
		goto out;
	walk_index(f, e, r, sc, n);
	for (i = 0; i < n; i++) {
		rc = walk_run(f, e, &sc[i], !i || sc[i].group != sc[i - 1].group);
		if (rc)
			goto out;
	}
	e->doc_end(f, r);
	if (fflush(f) || ferror(f))
		rc = -EIO;
out:
	scen_free(sc, n);
	return rc;
}

int report_html(FILE *f, const struct results *r)
{
	return report_walk(f, r, &report_emit_html);
}

int report_md(FILE *f, const struct results *r)
{
	return report_walk(f, r, &report_emit_md);
}
