// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - the classroom report: HTML and Markdown (see report.h)
 *
 * Theory of operation
 *
 * Both writers share the facts: which states a run reached (cover_of():
 * TL_STATE events of any node, and expectations of kind "state" that
 * held: "[expect] NODE state STATE ..."), the socket tables (text_sock_table() into a memory stream), the
 * runs' anchors.  Every piece of text from the results goes through an
 * escaper for the target: html_esc() (also inside SVG) or md_esc().
 *
 * The SVG ladder is laid out in four steps.
 *
 * 1. Items.  A sorted copy of the timeline gets its relative sequence
 *    numbers (pkt_relative_timeline()).  Its TL_PACKET events between the
 *    two nodes become arrows; a TL_DROP on an input hook is matched to the
 *    captured packet it ended (same addresses, flags, numbers and length,
 *    the closest within 100 ms) and turns that arrow into a dropped one; a
 *    drop no capture saw (an output hook) is an arrow of its own that dies
 *    at its sender.  TL_STATE events of the two nodes become state labels,
 *    a state repeated on the same node shown once.  An arrow that repeats
 *    an earlier segment that occupies sequence space is a retransmission.
 *    Which events belong between the two nodes, which way a drop was
 *    going, the closest-packet match and the arrows' labels are decided by
 *    the functions the terminal ladder uses (ladder_int.h).
 *
 * 2. Rows.  Items are taken in time order.  A state seen within a
 *    millisecond after an arrow is written on that arrow's row, on its own
 *    side, if that side is free, and an arrow within 100 us after a row
 *    with states only joins that row, which takes the arrow's time
 *    (FIN_WAIT1 beside the FIN it sends); anything else starts a new row.
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
#include "report.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sock.h"
#include "ladder.h"
#include "ladder_int.h"
#include "pkt.h"
#include "rule.h"
#include "text.h"
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

/* The eleven states of the coverage matrix, in the order of a lifetime */
static const struct {
	int state;
	const char *name;
} report_states[] = {
	{ DIAG_LISTEN, "LISTEN" },	   { DIAG_SYN_SENT, "SYN_SENT" },
	{ DIAG_SYN_RECV, "SYN_RECV" },	   { DIAG_ESTABLISHED, "ESTABLISHED" },
	{ DIAG_FIN_WAIT1, "FIN_WAIT1" },   { DIAG_FIN_WAIT2, "FIN_WAIT2" },
	{ DIAG_CLOSE_WAIT, "CLOSE_WAIT" }, { DIAG_CLOSING, "CLOSING" },
	{ DIAG_LAST_ACK, "LAST_ACK" },	   { DIAG_TIME_WAIT, "TIME_WAIT" },
	{ DIAG_CLOSE, "CLOSED" },
};

/* Shared facts */

/**
 * state_label() - "CLOSED" for DIAG_CLOSE, diag_state_name() otherwise
 * @st:		enum diag_state
 *
 * Return: the name
 */
static const char *state_label(int st)
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
 * base_name() - the last component of a path
 * @path:	path
 *
 * Return: a pointer into @path
 */
static const char *base_name(const char *path)
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
		 base_name(loc->file ? loc->file : run->file), loc->line);
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
 * fmt_t() - a time since t0 for the axis: "0.041 ms", "1025.375 ms",
 * "7.001 s"
 * @ns:		signed nanoseconds
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *fmt_t(int64_t ns, char *buf, size_t len)
{
	double ms = (double)ns / 1e6;

	if (ms >= 10000 || ms <= -10000)
		snprintf(buf, len, "%.3f s", ms / 1e3);
	else
		snprintf(buf, len, "%.3f ms", ms);
	return buf;
}

/**
 * fmt_gap() - the length of a silence: "250 ms", "1.024 s"
 * @ns:		nanoseconds
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *fmt_gap(uint64_t ns, char *buf, size_t len)
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

/* HTML */

/**
 * html_esc() - write @s with &, <, >, " and ' escaped, control characters
 * other than tab and newline as '?'
 * @f:		where to
 * @s:		text
 */
static void html_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			fputc(c < 0x20 && c != '\t' && c != '\n' ? '?' : c, f);
		}
	}
}

/**
 * url_esc() - write @path for an href: bytes outside a safe set as %XX
 * @f:		where to
 * @path:	a file path
 */
static void url_esc(FILE *f, const char *path)
{
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;

		if (isalnum(c) || strchr("/._-~", c))
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}

/**
 * html_td() - one table cell, its text escaped
 * @f:		where to
 * @attr:	the cell's attributes, with a leading blank, or ""
 * @text:	its text
 * @code:	set in <code>
 */
static void html_td(FILE *f, const char *attr, const char *text, int code)
{
	fprintf(f, "<td%s>%s", attr, code ? "<code>" : "");
	html_esc(f, text);
	fprintf(f, "%s</td>", code ? "</code>" : "");
}

/**
 * html_section() - a run's subsection: its heading, then @none as a
 * paragraph when it has nothing to list, else @head (a table's start)
 * @f:		where to
 * @title:	heading
 * @n:		how many entries it lists
 * @none:	the paragraph for none
 * @head:	what starts the list
 */
static void html_section(FILE *f, const char *title, size_t n,
			 const char *none, const char *head)
{
	fprintf(f, "<h3>%s</h3>\n", title);
	if (!n)
		fprintf(f, "<p>%s</p>\n", none);
	else
		fputs(head, f);
}

static const char report_css[] =
	":root{--pass:#1a7f37;--fail:#cf222e;--xfail:#9a6700;--skip:#6e7781;"
	"--error:#8250df;--state:#0a6c74;--drop:#cf222e;--ink:#1f2328;"
	"--rule:#d0d7de;--soft:#f6f8fa}\n"
	"*{box-sizing:border-box}\n"
	"body{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",sans-serif;"
	"color:var(--ink);margin:0 auto;max-width:1100px;padding:1rem 2rem}\n"
	"h1{font-size:1.9rem;margin:.5rem 0}\n"
	"h2{font-size:1.45rem;border-bottom:2px solid var(--rule);"
	"padding-bottom:.2rem;margin-top:2.5rem}\n"
	"h3{font-size:1.1rem;margin:1.4rem 0 .4rem}\n"
	"code,pre,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\","
	"Menlo,Consolas,monospace;font-size:.86rem}\n"
	"pre{background:var(--soft);border:1px solid var(--rule);"
	"border-radius:4px;padding:.5rem .7rem;overflow-x:auto;margin:.3rem 0}\n"
	"table{border-collapse:collapse;margin:.4rem 0}\n"
	"th,td{border:1px solid var(--rule);padding:.25rem .5rem;"
	"text-align:left;vertical-align:top}\n"
	"th{background:var(--soft)}\n"
	".scroll{overflow-x:auto;max-width:100%}\n"
	"td code{word-break:break-all}td.mono{white-space:nowrap}\n"
	".meta{color:#57606a}\n"
	".v{display:inline-block;border-radius:3px;padding:0 .45rem;"
	"color:#fff;font-weight:600;font-size:.85rem;text-transform:uppercase}\n"
	".v-pass{background:var(--pass)}.v-fail{background:var(--fail)}"
	".v-xfail,.v-xpass{background:var(--xfail)}"
	".v-skip{background:var(--skip)}.v-error{background:var(--error)}\n"
	".teaches{border-left:4px solid var(--state);margin:.5rem 0;"
	"padding:.2rem .9rem;background:#f0f9fa}\n"
	".reason{border-left:4px solid var(--fail);padding:.2rem .9rem;"
	"background:#fff5f5}\n"
	"ol.expects{padding-left:1.4rem}\n"
	"ol.expects li{margin:.5rem 0}\n"
	".held{color:var(--pass);font-weight:600}"
	".failed{color:var(--fail);font-weight:600}\n"
	"#coverage th.st{writing-mode:vertical-rl;transform:rotate(180deg);"
	"white-space:nowrap;font-size:.8rem;padding:.4rem .15rem}\n"
	"#coverage td.c{text-align:center;min-width:1.7rem}\n"
	"#coverage td.yes{background:#dafbe1;color:var(--pass);font-weight:700}\n"
	"#coverage td.seen{background:#eef7f8;color:var(--state)}\n"
	"#coverage td.none{background:#fff5f5;color:var(--fail)}\n"
	"figure.ladder{margin:.5rem 0}\n"
	"figure.ladder svg{width:100%;max-width:720px;height:auto;display:block;"
	"border:1px solid var(--rule);background:#fff}\n"
	"figcaption{font-size:.85rem;color:#57606a}\n"
	"svg text{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,monospace;"
	"font-size:12px;fill:var(--ink)}\n"
	"svg .life{stroke:#57606a;stroke-width:2}\n"
	"svg .gap{stroke:#57606a;stroke-width:2;stroke-dasharray:3 4}\n"
	"svg .brk{stroke:#57606a;stroke-width:1.5;fill:none}\n"
	"svg .pkt{stroke:#0969da;stroke-width:1.6}"
	"svg .pkth{fill:#0969da}\n"
	"svg .drop{stroke:var(--drop);stroke-width:1.6}\n"
	"svg .x{stroke:var(--drop);stroke-width:2.6}\n"
	"svg text.lbl{paint-order:stroke;stroke:#fff;stroke-width:4px}\n"
	"svg text.dn{fill:var(--drop);font-size:11px}\n"
	"svg text.st{fill:var(--state);font-weight:700}\n"
	"svg text.tm{fill:#57606a;font-size:11px}\n"
	"svg text.gapt{fill:#57606a;font-style:italic}\n"
	"svg text.host{font-weight:700;font-size:14px}\n"
	"svg text.addr{fill:#57606a;font-size:11px}\n"
	"@media (max-width:700px){body{padding:.5rem .7rem;font-size:15px}"
	"h1{font-size:1.45rem}h2{font-size:1.2rem}"
	"th,td{padding:.2rem .3rem}"
	"#runs td:last-child{min-width:14em}"
	"table.rules tr:first-child{display:none}"
	"table.rules,table.rules tr,table.rules td{display:block}"
	"table.rules tr{border:1px solid var(--rule);margin:.4rem 0}"
	"table.rules td{border:0}"
	"table.rules td::before{content:attr(data-l) \": \";font-weight:600}}\n"
	"@media print{body{max-width:none;padding:0;font-size:11pt}"
	"section.run{break-before:page}"
	"a{color:inherit;text-decoration:none}"
	"pre{white-space:pre-wrap;overflow:visible}"
	".scroll{overflow:visible}"
	"figure.ladder,pre,table{break-inside:avoid}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/**
 * html_head() - the document up to the end of the index
 * @f:		where to
 * @r:		results
 */
static void html_head(FILE *f, const struct results *r)
{
	char be[160], id[160];
	size_t i, k;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>tcplab report: TCP states on Linux ", f);
	html_esc(f, r->kernel);
	fputs("</title>\n<style>\n", f);
	fputs(report_css, f);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>TCP states on Linux ", f);
	html_esc(f, r->kernel);
	fputs("</h1>\n<p class=\"meta\">Kernel <b>", f);
	html_esc(f, r->kernel);
	fputs("</b> (", f);
	html_esc(f, r->machine);
	fputs(") &#183; ", f);
	html_esc(f, r->date);
	fputs(" &#183; firewall backends and families: ", f);
	html_esc(f, backends(r, be, sizeof(be)));
	fputs(" &#183; tcplab ", f);
	html_esc(f, r->tcplab);
	fputs("</p>\n</header>\n", f);

	fputs("<nav>\n<h2>Scenarios</h2>\n<div class=\"scroll\"><table id=\"runs\">\n"
	      "<tr><th>Scenario</th><th>Family</th><th>Firewall</th>"
	      "<th>Verdict</th><th>What it shows</th></tr>\n", f);
	for (i = 0; i < r->nruns; i++) {
		const struct result *run = &r->runs[i];
		const char *v = res_verdict_name(run->verdict);

		fprintf(f, "<tr><td><a href=\"#%s\">",
			run_id(run, id, sizeof(id)));
		html_esc(f, run->name);
		fprintf(f, "</a></td><td>IPv%d</td><td>", run->family);
		html_esc(f, run->firewall);
		fprintf(f, "</td><td><span class=\"v v-%s\">%s</span></td><td>",
			v, v);
		html_esc(f, run->title);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></div>\n", f);

	/* coverage: one row per scenario name, its runs merged */
	fputs("<h2>Coverage of the TCP states</h2>\n"
	      "<p>&#10003; an expectation confirmed the state; &#8226; a socket "
	      "was seen in it. A state no scenario reached is marked in red.</p>\n"
	      "<div class=\"scroll\"><table id=\"coverage\">\n<tr><th>Scenario</th>",
	      f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fprintf(f, "<th class=\"st\">%s</th>", report_states[k].name);
	fputs("</tr>\n", f);
	{
		uint32_t all = 0;

		for (i = 0; i < r->nruns; i++) {
			uint32_t seen, conf;

			if (!cover_merged(r, i, &seen, &conf))
				continue;
			all |= seen | conf;
			fprintf(f, "<tr><td><a href=\"#%s\">",
				run_id(&r->runs[i], id, sizeof(id)));
			html_esc(f, r->runs[i].name);
			fputs("</a></td>", f);
			for (k = 0; k < ARRAY_SIZE(report_states); k++) {
				uint32_t b = 1u << report_states[k].state;

				if (conf & b)
					fputs("<td class=\"c yes\">&#10003;</td>", f);
				else if (seen & b)
					fputs("<td class=\"c seen\">&#8226;</td>", f);
				else
					fputs("<td class=\"c\"></td>", f);
			}
			fputs("</tr>\n", f);
		}
		fputs("<tr><th>reached</th>", f);
		for (k = 0; k < ARRAY_SIZE(report_states); k++) {
			uint32_t b = 1u << report_states[k].state;

			fputs(all & b ? "<td class=\"c yes\">yes</td>"
				      : "<td class=\"c none\">no</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n</nav>\n", f);
}

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
	int retrans;
	int row;
};

struct srow {
	uint64_t t;
	int y;
	int has_arrow;
	int has_drop;            /* its arrow has a rule's place beneath */
	int state[2];
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
 * pkt_label() - "SYN/ACK seq 0 ack 1 len 6 (retransmission)"
 * @it:		the arrow
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *pkt_label(const struct sitem *it, char *buf, size_t len)
{
	char fl[48], num[64];
	int n;

	n = snprintf(buf, len, "%s %s",
		     ladder_flags(it->pkt->flags, "no flags", fl, sizeof(fl)),
		     ladder_numbers(it->pkt, num, sizeof(num)));
	if (it->retrans && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (retransmission)");
	return buf;
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
static int sl_items(struct sladder *l, const struct timeline *src, int ln,
		    int rn)
{
	int last[2] = { 0, 0 };
	size_t i, j;
	int rc;

	l->tl.t0 = src->t0;
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
			l->n++;
		} else if (e->kind == TL_STATE) {
			int side = e->node != ln, st = ladder_state(e->state);

			if (st == last[side])
				continue;
			last[side] = st;
			it->kind = SI_STATE;
			it->side = side;
			it->state = st;
			l->n++;
		}
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

			if (it->kind == SI_PKT && !it->drop && it->dir == dir &&
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

		if (!arrow && cur && cur->has_arrow && !cur->state[it->side] &&
		    it->t - cur->t <= REPORT_MERGE_NS) {
			cur->state[it->side] = it->state;
			it->row = (int)(cur - l->rows);
			continue;
		}
		/* an arrow right after a state (FIN_WAIT1, then its FIN) */
		if (arrow && cur && !cur->has_arrow &&
		    it->t - cur->t <= REPORT_MERGE_FWD_NS) {
			cur->t = it->t;
			cur->has_arrow = 1;
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
		if (!arrow)
			cur->state[it->side] = it->state;
		it->row = (int)(cur - l->rows);
	}
	return y + (cur && cur->has_arrow ? REPORT_STEP_PKT : REPORT_STEP_STATE) +
	       (cur && cur->has_drop ? REPORT_DROP_NOTE_H : 0) + 10;
}

/**
 * svg_arrow() - one arrow, a head or an X at its end
 * @f:		where to
 * @it:		the item
 * @y:		its row
 */
static void svg_arrow(FILE *f, const struct sitem *it, int y)
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
	pkt_label(it, label, sizeof(label));
	if (it->kind == SI_DROP) {
		/* beyond the X of a stub that never left its sender */
		fprintf(f, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
			ex + sgn * 10, ey + 4, it->dir ? "end" : "start");
	} else {
		lx = (x1 + x2) / 2;
		fprintf(f, "<text class=\"lbl\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			lx, y1 + REPORT_SLANT / 2 - 5);
	}
	html_esc(f, label);
	fputs("</text>\n", f);
	if (!it->drop)
		return;
	if (it->drop->loc.line > 0)
		snprintf(note, sizeof(note), "dropped by rule %u at %s:%d",
			 it->drop->rule_id,
			 base_name(it->drop->loc.file ? it->drop->loc.file : "?"),
			 it->drop->loc.line);
	else
		snprintf(note, sizeof(note), "dropped by rule %u", it->drop->rule_id);
	/* beneath, against the side that dropped it */
	{
		int right = it->kind == SI_DROP ? it->dir : !it->dir;

		fprintf(f, "<text class=\"lbl dn\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">",
			right ? REPORT_RX - 6 : REPORT_LX + 6,
			y2 + 15, right ? "end" : "start");
		html_esc(f, note);
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
		html_esc(f, run->nodes[nodes[k]]);
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
			html_esc(f, ip);
			fputs("</text>\n", f);
		}
		return;
	}
	for (k = 0; k < 2; k++) {
		fprintf(f, "<text class=\"addr\" x=\"%d\" y=\"40\" text-anchor=\"middle\">",
			xs[k]);
		html_esc(f, run->addrs[nodes[k]]);
		fputs("</text>\n", f);
	}
}

/**
 * svg_ladder() - the ladder between nodes @ln and @rn of @run
 * @f:		where to
 * @run:	the run
 * @ln:		left node
 * @rn:		right node
 *
 * Return: 0 or -ENOMEM
 */
static int svg_ladder(FILE *f, const struct result *run, int ln, int rn)
{
	struct sladder l = { 0 };
	int h, i, top = 50;
	size_t k;
	char tm[32];

	h = sl_items(&l, &run->tl, ln, rn);
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
				fmt_gap(l.rows[i].gap, tm, sizeof(tm)));
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
			fmt_t((int64_t)(row->t - run->tl.t0), tm, sizeof(tm)));
		for (s = 0; s < 2; s++) {
			if (!row->state[s])
				continue;
			fprintf(f, "<text class=\"lbl st\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>\n",
				s ? REPORT_RX + 8 : REPORT_LX - 8, row->y + 4,
				s ? "start" : "end", state_label(row->state[s]));
		}
	}
	for (k = 0; k < l.n; k++)
		if (l.it[k].kind != SI_STATE)
			svg_arrow(f, &l.it[k], l.rows[l.it[k].row].y);
	fputs("</svg>\n", f);
	fputs("<figcaption>Time runs down; each arrow is a TCP segment as "
	      "captured (sequence numbers relative, as tcpdump shows them); "
	      "a red X is a segment a firewall rule dropped; states are the "
	      "sockets' states as sock_diag saw them.</figcaption>\n</figure>\n",
	      f);
	sl_free(&l);
	return 0;
}

/**
 * html_run() - one run's section
 * @f:		where to
 * @run:	the run
 *
 * Return: 0 or -ENOMEM
 */
static int html_run(FILE *f, const struct result *run)
{
	const char *v = res_verdict_name(run->verdict);
	char id[160], d1[32], dur[128], where[600];
	size_t i;
	int k, rc;

	fprintf(f, "<section class=\"run\" id=\"%s\">\n<h2>",
		run_id(run, id, sizeof(id)));
	html_esc(f, run->name);
	fputs(": ", f);
	html_esc(f, run->title);
	fprintf(f, "</h2>\n<p class=\"meta\"><span class=\"v v-%s\">%s</span> "
		   "IPv%d &#183; ", v, v, run->family);
	html_esc(f, run->firewall);
	fputs(" &#183; <code>", f);
	html_esc(f, run->file);
	fprintf(f, "</code> &#183; %s", durations(run, dur, sizeof(dur)));
	for (k = 0; k < run->nnodes && k < 4; k++) {
		fputs(k ? ", " : " &#183; nodes ", f);
		html_esc(f, run->nodes[k]);
		fputs(" <code>", f);
		html_esc(f, run->addrs[k]);
		fputs("</code>", f);
	}
	fputs("</p>\n", f);
	if (run->reason[0]) {
		fputs("<p class=\"reason\">", f);
		html_esc(f, run->reason);
		fputs("</p>\n", f);
	}
	if (run->teaches[0]) {
		fputs("<h3>What it teaches</h3>\n<p class=\"teaches\">", f);
		html_esc(f, run->teaches);
		fputs("</p>\n", f);
	}

	html_section(f, "Firewall rules", run->nrules,
		     "None: nothing is filtered.",
		     "<div class=\"scroll\"><table class=\"rules\">\n<tr><th>Where</th>"
		     "<th>Node</th><th>Rule</th><th>nft</th><th>iptables</th></tr>\n");
	for (i = 0; i < run->nrules; i++) {
		const struct res_rule *rl = &run->rules[i];

		/* data-l: the column's name, for the narrow layout */
		fputs("<tr>", f);
		html_td(f, " class=\"mono\" data-l=\"where\"",
			where_of(run, &rl->loc, where, sizeof(where)), 0);
		html_td(f, " data-l=\"node\"", rl->node, 0);
		html_td(f, " data-l=\"rule\"", rl->desc, 0);
		html_td(f, " data-l=\"nft\"", rl->nft, 1);
		html_td(f, " data-l=\"iptables\"", rl->ipt, 1);
		fputs("</tr>\n", f);
	}
	if (run->nrules)
		fputs("</table></div>\n", f);

	html_section(f, "sysctls", run->nsysctls,
		     "None changed: the kernel's defaults.",
		     "<table class=\"sysctls\">\n<tr><th>Node</th><th>Key</th>"
		     "<th>Value</th></tr>\n");
	for (i = 0; i < run->nsysctls; i++) {
		fputs("<tr>", f);
		html_td(f, "", run->sysctls[i].node, 0);
		html_td(f, "", run->sysctls[i].key, 1);
		html_td(f, "", run->sysctls[i].value, 1);
		fputs("</tr>\n", f);
	}
	if (run->nsysctls)
		fputs("</table>\n", f);

	fputs("<h3>What happened</h3>\n", f);
	if (run->nnodes >= 2) {
		rc = svg_ladder(f, run, 0, 1);
		if (rc)
			return rc;
	} else {
		fputs("<p>(no ladder: fewer than two nodes)</p>\n", f);
	}

	html_section(f, "Expectations", run->nexpects, "None were checked.",
		     "<ol class=\"expects\">\n");
	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];
		char *tab;

		fprintf(f, "<li><span class=\"%s\">%s</span> <code>",
			x->held ? "held" : "failed", x->held ? "held" : "FAILED");
		html_esc(f, x->text);
		fputs("</code> <span class=\"meta mono\">", f);
		html_esc(f, where_of(run, &x->loc, where, sizeof(where)));
		fputs("</span>", f);
		if (x->t_ns) {
			fprintf(f, " <span class=\"meta\">at %s</span>",
				fmt_t((int64_t)(x->t_ns - run->tl.t0), d1,
				      sizeof(d1)));
		}
		if (x->observed[0]) {
			fputs("<br/>observed: ", f);
			html_esc(f, x->observed);
		}
		if (x->nsocks > 0) {
			tab = sock_table(run, x);
			if (!tab)
				return -ENOMEM;
			fputs("\n<pre class=\"socks\">", f);
			html_esc(f, tab);
			fputs("</pre>", f);
			free(tab);
		}
		fputs("</li>\n", f);
	}
	if (run->nexpects)
		fputs("</ol>\n", f);

	html_section(f, "Counters that moved", run->ncounters, "None.",
		     "<table class=\"counters\">\n<tr><th>Node</th><th>Counter</th>"
		     "<th>Change</th></tr>\n");
	for (i = 0; i < run->ncounters; i++) {
		fputs("<tr>", f);
		html_td(f, "", run->counters[i].node, 0);
		html_td(f, "", run->counters[i].name, 1);
		fprintf(f, "<td>%+lld</td></tr>\n",
			(long long)run->counters[i].delta);
	}
	if (run->ncounters)
		fputs("</table>\n", f);

	fputs("<h3>Captures</h3>\n<p>", f);
	for (k = 0, i = 0; k < run->nnodes && k < 4; k++) {
		if (!run->pcap[k][0])
			continue;
		fputs(i++ ? " &#183; " : "", f);
		html_esc(f, run->nodes[k]);
		fputs(": <a href=\"", f);
		url_esc(f, run->pcap[k]);
		fputs("\">", f);
		html_esc(f, base_name(run->pcap[k]));
		fputs("</a>", f);
	}
	if (!i)
		fputs("none saved", f);
	packets_seen(f, run, "</p>\n</section>\n");
	return 0;
}

int report_html(FILE *f, const struct results *r)
{
	size_t i;
	int rc;

	html_head(f, r);
	fputs("<main>\n", f);
	for (i = 0; i < r->nruns; i++) {
		rc = html_run(f, &r->runs[i]);
		if (rc)
			return rc;
	}
	fputs("</main>\n<footer><p class=\"meta\">Written by tcplab ", f);
	html_esc(f, r->tcplab);
	fputs(". Every number here was measured on the kernel named above, "
	      "in network namespaces.</p></footer>\n</body>\n</html>\n", f);
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}

/* Markdown */

/**
 * md_esc() - write @s as Markdown text: characters with a meaning escaped
 * with a backslash, each run of blanks and line breaks as one blank (so
 * that a table cell or a list item stays whole)
 * @f:		where to
 * @s:		text
 */
static void md_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			/* a run of blanks and line breaks is one blank */
			while (isspace((unsigned char)s[1]))
				s++;
			fputc(' ', f);
			continue;
		}
		if (strchr("\\`*_[]<>|#!~", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

/**
 * md_code() - write @s as an inline code span (`...`): no escapes apply
 * inside, so a backtick becomes a quote and '|' (a table cell's end even
 * in code) is escaped
 * @f:		where to
 * @s:		text
 */
static void md_code(FILE *f, const char *s)
{
	fputc('`', f);
	for (; *s; s++) {
		if (*s == '`')
			fputc('\'', f);
		else if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
	fputc('`', f);
}

/**
 * md_td() - one table cell, "| text ", escaped or as code; a row ends
 * with "|\n"
 * @f:		where to
 * @text:	the cell's text
 * @code:	as an inline code span
 */
static void md_td(FILE *f, const char *text, int code)
{
	fputs("| ", f);
	if (code)
		md_code(f, text);
	else
		md_esc(f, text);
	fputc(' ', f);
}

/**
 * md_section() - a run's subsection: its heading, then @none as a
 * paragraph when it has nothing to list, else @head (a table's head, or "")
 * @f:		where to
 * @title:	heading
 * @n:		how many entries it lists
 * @none:	the paragraph for none
 * @head:	what starts the list
 */
static void md_section(FILE *f, const char *title, size_t n, const char *none,
		       const char *head)
{
	fprintf(f, "### %s\n\n", title);
	if (!n)
		fprintf(f, "%s\n\n", none);
	else
		fputs(head, f);
}

/**
 * md_run() - one run's section
 * @f:		where to
 * @run:	the run
 *
 * Return: 0 or -ENOMEM
 */
static int md_run(FILE *f, const struct result *run)
{
	char id[160], d1[32], dur[128], where[600];
	size_t i;
	int k, rc;

	fprintf(f, "<a id=\"%s\"></a>\n\n## ", run_id(run, id, sizeof(id)));
	md_esc(f, run->name);
	fputs(": ", f);
	md_esc(f, run->title);
	fprintf(f, "\n\n**%s** · IPv%d · ", res_verdict_name(run->verdict),
		run->family);
	md_esc(f, run->firewall);
	fputs(" · ", f);
	md_code(f, run->file);
	fprintf(f, " · %s", durations(run, dur, sizeof(dur)));
	for (k = 0; k < run->nnodes && k < 4; k++) {
		fputs(k ? ", " : " · nodes ", f);
		md_esc(f, run->nodes[k]);
		fputc(' ', f);
		md_code(f, run->addrs[k]);
	}
	fputs("\n\n", f);
	if (run->reason[0]) {
		fputs("> **Why:** ", f);
		md_esc(f, run->reason);
		fputs("\n\n", f);
	}
	if (run->teaches[0]) {
		fputs("### What it teaches\n\n", f);
		md_esc(f, run->teaches);
		fputs("\n\n", f);
	}
	md_section(f, "Firewall rules", run->nrules,
		   "None: nothing is filtered.",
		   "| Where | Node | Rule | nft | iptables |\n"
		   "|---|---|---|---|---|\n");
	for (i = 0; i < run->nrules; i++) {
		const struct res_rule *rl = &run->rules[i];

		md_td(f, where_of(run, &rl->loc, where, sizeof(where)), 1);
		md_td(f, rl->node, 0);
		md_td(f, rl->desc, 0);
		md_td(f, rl->nft, 1);
		md_td(f, rl->ipt, 1);
		fputs("|\n", f);
	}
	if (run->nrules)
		fputc('\n', f);
	md_section(f, "sysctls", run->nsysctls,
		   "None changed: the kernel's defaults.", "");
	for (i = 0; i < run->nsysctls; i++) {
		char kv[192];

		snprintf(kv, sizeof(kv), "%s=%s", run->sysctls[i].key,
			 run->sysctls[i].value);
		fputs("- ", f);
		md_esc(f, run->sysctls[i].node);
		fputs(": ", f);
		md_code(f, kv);
		fputc('\n', f);
	}
	if (run->nsysctls)
		fputc('\n', f);
	fputs("### What happened\n\n", f);
	if (run->nnodes >= 2) {
		fputs("```\n", f);
		rc = ladder_render(f, run->nodes[0], run->nodes[1], &run->tl, 0,
				   1, 0);
		if (rc)
			return rc;
		fputs("```\n\n", f);
	} else {
		fputs("(no ladder: fewer than two nodes)\n\n", f);
	}
	md_section(f, "Expectations", run->nexpects, "None were checked.", "");
	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];
		char *tab;

		where_of(run, &x->loc, where, sizeof(where));
		fprintf(f, "%zu. **%s** ", i + 1, x->held ? "held" : "FAILED");
		md_code(f, x->text);
		fputs(" (", f);
		md_esc(f, where);
		fputs(")", f);
		if (x->t_ns)
			fprintf(f, " at %s",
				fmt_t((int64_t)(x->t_ns - run->tl.t0), d1,
				      sizeof(d1)));
		if (x->observed[0]) {
			fputs("  \n   observed: ", f);
			md_esc(f, x->observed);
		}
		fputs("\n", f);
		if (x->nsocks > 0) {
			tab = sock_table(run, x);
			if (!tab)
				return -ENOMEM;
			/* indented under the list item, as a fenced block */
			fputs("\n   ```\n", f);
			{
				char *line, *save = NULL;

				for (line = strtok_r(tab, "\n", &save); line;
				     line = strtok_r(NULL, "\n", &save))
					fprintf(f, "   %s\n", line);
			}
			fputs("   ```\n", f);
			free(tab);
		}
		fputc('\n', f);
	}
	md_section(f, "Counters that moved", run->ncounters, "None.",
		   "| Node | Counter | Change |\n|---|---|---:|\n");
	for (i = 0; i < run->ncounters; i++) {
		md_td(f, run->counters[i].node, 0);
		md_td(f, run->counters[i].name, 1);
		fprintf(f, "| %+lld |\n", (long long)run->counters[i].delta);
	}
	if (run->ncounters)
		fputc('\n', f);
	fputs("### Captures\n\n", f);
	for (k = 0, i = 0; k < run->nnodes && k < 4; k++) {
		if (!run->pcap[k][0])
			continue;
		fputs(i++ ? " · " : "", f);
		md_esc(f, run->nodes[k]);
		fputs(": [", f);
		md_esc(f, base_name(run->pcap[k]));
		fputs("](<", f);
		for (const char *p = run->pcap[k]; *p; p++)
			if (*p != '<' && *p != '>' && *p != '\n')
				fputc(*p, f);
		fputs(">)", f);
	}
	if (!i)
		fputs("none saved", f);
	packets_seen(f, run, "\n\n");
	return 0;
}

int report_md(FILE *f, const struct results *r)
{
	char be[160], id[160];
	size_t i, k;
	uint32_t all = 0;
	int rc;

	fputs("# TCP states on Linux ", f);
	md_esc(f, r->kernel);
	fputs("\n\nKernel **", f);
	md_esc(f, r->kernel);
	fputs("** (", f);
	md_esc(f, r->machine);
	fputs(") · ", f);
	md_esc(f, r->date);
	fputs(" · firewall backends and families: ", f);
	md_esc(f, backends(r, be, sizeof(be)));
	fputs(" · tcplab ", f);
	md_esc(f, r->tcplab);
	fputs("\n\n## Scenarios\n\n| Scenario | Family | Firewall | Verdict | What it shows |\n"
	      "|---|---|---|---|---|\n", f);
	for (i = 0; i < r->nruns; i++) {
		const struct result *run = &r->runs[i];

		fputs("| [", f);
		md_esc(f, run->name);
		fprintf(f, "](#%s) | IPv%d | ", run_id(run, id, sizeof(id)),
			run->family);
		md_esc(f, run->firewall);
		fprintf(f, " | **%s** | ", res_verdict_name(run->verdict));
		md_esc(f, run->title);
		fputs(" |\n", f);
	}
	fputs("\n## Coverage of the TCP states\n\n"
	      "✓ an expectation confirmed the state; • a socket was seen in it.\n\n"
	      "| Scenario |", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fprintf(f, " %s |", report_states[k].name);
	fputs("\n|---|", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fputs(":-:|", f);
	fputc('\n', f);
	for (i = 0; i < r->nruns; i++) {
		uint32_t seen, conf;

		if (!cover_merged(r, i, &seen, &conf))
			continue;
		all |= seen | conf;
		fputs("| ", f);
		md_esc(f, r->runs[i].name);
		fputs(" |", f);
		for (k = 0; k < ARRAY_SIZE(report_states); k++) {
			uint32_t b = 1u << report_states[k].state;

			fputs(conf & b ? " ✓ |" : seen & b ? " • |" : "  |", f);
		}
		fputc('\n', f);
	}
	fputs("| **reached** |", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fputs(all & (1u << report_states[k].state) ? " yes |" : " **no** |",
		      f);
	fputs("\n\n", f);
	for (i = 0; i < r->nruns; i++) {
		rc = md_run(f, &r->runs[i]);
		if (rc)
			return rc;
	}
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}
