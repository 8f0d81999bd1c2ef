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
	{ DIAG_LISTEN, "LISTEN" },	   { DIAG_SYN_SENT, "SYN_SENT" },
	{ DIAG_SYN_RECV, "SYN_RECV" },	   { DIAG_ESTABLISHED, "ESTABLISHED" },
	{ DIAG_FIN_WAIT1, "FIN_WAIT1" },   { DIAG_FIN_WAIT2, "FIN_WAIT2" },
	{ DIAG_CLOSE_WAIT, "CLOSE_WAIT" }, { DIAG_CLOSING, "CLOSING" },
	{ DIAG_LAST_ACK, "LAST_ACK" },	   { DIAG_TIME_WAIT, "TIME_WAIT" },
	{ DIAG_CLOSE, "CLOSED" },
};

/* Shared facts */

const char *report_state_label(int st)
{
	st = ladder_state(st);
	return st == DIAG_CLOSE ? "CLOSED" : diag_state_name(st);
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
 * report_fmt_t() - a time since t0 for the axis: "0.041 ms", "1025.375 ms",
 * "7.001 s"
 * @ns:		signed nanoseconds
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
const char *report_fmt_t(int64_t ns, char *buf, size_t len)
{
	double ms = (double)ns / 1e6;

	if (ms >= 10000 || ms <= -10000)
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
 * walk_expects() - a run's expectations, each with its socket table
 * @f:		where to
 * @e:		emitter
 * @run:	the run
 *
 * Return: 0 or -ENOMEM
 */
static int walk_expects(FILE *f, const struct report_emit *e,
			const struct result *run)
{
	char where[600], at[32];
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
			  tab);
		free(tab);
	}
	list_end(f, e, REPORT_EXPECTS, run->nexpects);
	return 0;
}

/**
 * walk_run() - one run's section
 * @f:		where to
 * @e:		emitter
 * @run:	the run
 *
 * Return: 0 or -ENOMEM
 */
static int walk_run(FILE *f, const struct report_emit *e,
		    const struct result *run)
{
	char id[160], dur[128], where[600];
	size_t i, n;
	int k, rc;

	e->run_begin(f, run, run_id(run, id, sizeof(id)),
		     durations(run, dur, sizeof(dur)));
	if (run->reason[0])
		e->reason(f, run->reason);
	if (run->teaches[0])
		e->teaches(f, run->teaches);

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
	if (run->nnodes >= 2) {
		rc = e->ladder(f, run);
		if (rc)
			return rc;
	} else {
		e->para(f, "(no ladder: fewer than two nodes)");
	}

	rc = walk_expects(f, e, run);
	if (rc)
		return rc;

	list_begin(f, e, REPORT_COUNTERS, run->ncounters);
	for (i = 0; i < run->ncounters; i++)
		e->counter(f, &run->counters[i]);
	list_end(f, e, REPORT_COUNTERS, run->ncounters);

	fputs(e->captures_head, f);
	for (k = 0, n = 0; k < run->nnodes && k < 4; k++)
		if (run->pcap[k][0])
			e->capture(f, n++, run->nodes[k], run->pcap[k]);
	if (!n)
		fputs("none saved", f);
	packets_seen(f, run, e->run_tail);
	return 0;
}

/**
 * walk_index() - the index of the runs and the coverage matrix, one row
 * per scenario name (its runs merged)
 * @f:		where to
 * @e:		emitter
 * @r:		results
 */
static void walk_index(FILE *f, const struct report_emit *e,
		       const struct results *r)
{
	char be[160], id[160];
	uint32_t all = 0, seen, conf;
	size_t i;

	e->doc_begin(f, r, backends(r, be, sizeof(be)));
	for (i = 0; i < r->nruns; i++)
		e->index_row(f, &r->runs[i],
			     run_id(&r->runs[i], id, sizeof(id)));
	e->cover_begin(f);
	for (i = 0; i < r->nruns; i++) {
		if (!cover_merged(r, i, &seen, &conf))
			continue;
		all |= seen | conf;
		e->cover_row(f, r->runs[i].name,
			     run_id(&r->runs[i], id, sizeof(id)), seen, conf);
	}
	e->cover_end(f, all);
}

int report_walk(FILE *f, const struct results *r, const struct report_emit *e)
{
	size_t i;
	int rc;

	walk_index(f, e, r);
	for (i = 0; i < r->nruns; i++) {
		rc = walk_run(f, e, &r->runs[i]);
		if (rc)
			return rc;
	}
	e->doc_end(f, r);
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}

int report_html(FILE *f, const struct results *r)
{
	return report_walk(f, r, &report_emit_html);
}

int report_md(FILE *f, const struct results *r)
{
	return report_walk(f, r, &report_emit_md);
}
