// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_md.c - the classroom report's Markdown emitter (see report_int.h)
 *
 * Theory of operation: the same document as the HTML page, in Markdown
 * that GitHub and pandoc render: tables for the index, the coverage, the
 * rules and the counters, the ladders drawn by ladder_render() in code
 * blocks, each socket table a fenced block under its expectation.  Text
 * from the results goes through md_esc() (a table cell or a list item
 * stays whole) or md_code() (an inline code span).  The emitter writes
 * markup only: what goes where is report.c's walker's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "report_int.h"
#include "sock.h"
#include "tcpfsm.h"
#include "util.h"

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
 * md_prose() - text of a scenario, states by RFC 9293's names
 * @f:		where to
 * @text:	the text
 */
static void md_prose(FILE *f, const char *text)
{
	char *s = report_prose(text);

	md_esc(f, s ? s : text);
	free(s);
}

static void md_heading(FILE *f, const char *title)
{
	fprintf(f, "#### %s\n\n", title);
}

static void md_para(FILE *f, const char *text)
{
	fprintf(f, "%s\n\n", text);
}

static void md_doc_begin(FILE *f, const struct results *r, const char *backends)
{
	fputs("# TCP states on Linux ", f);
	md_esc(f, r->kernel);
	fputs("\n\nKernel **", f);
	md_esc(f, r->kernel);
	fputs("** (", f);
	md_esc(f, r->machine);
	fputs(") · ", f);
	md_esc(f, r->date);
	fputs(" · firewall backends and families: ", f);
	md_esc(f, backends);
	fputs(" · tcplab ", f);
	md_esc(f, r->tcplab);
	fputs("\n\n", f);
}

static void md_machine(FILE *f, const struct report_fsm_view *v,
		       const char *const *users)
{
	size_t k;
	int i;

	fputs("## The TCP state machine\n\n"
	      "The transitions of RFC 9293's diagram (section 3.3.2), each with the "
	      "scenarios in which the kernel took it; a transition no scenario "
	      "reached says so.\n\n| From | To | Event / action | Taken in |\n"
	      "|---|---|---|---|\n", f);
	for (i = 0; i < TCPFSM_NEDGES; i++) {
		const struct tcpfsm_edge *e = &tcpfsm_edges[i];

		fprintf(f, "| %s | %s | %s / %s | ", diag_state_label(e->from),
			diag_state_label(e->to), e->event, e->action);
		if (v->edge[i] && users[i])
			md_esc(f, users[i]);
		else
			fputs("*not reached*", f);
		fputs(" |\n", f);
	}
	fputs("\n### The names of the states\n\n| RFC 9293 (here) | `ss` | kernel |\n"
	      "|---|---|---|\n", f);
	for (k = 0; k < TCPFSM_NSTATES; k++) {
		int st = tcpfsm_states[k];

		fprintf(f, "| %s | `%s` | `TCP_%s`%s |\n", diag_state_label(st),
			diag_state_ss(st), diag_state_name(st),
			st == DIAG_SYN_RECV ? ", `TCP_NEW_SYN_RECV`" : "");
	}
	fputs("\n", f);
}

/**
 * verdicts() - "IPv4 nftables **pass**, IPv6 nftables **pass**"
 * @f:		where to
 * @sc:		scenario
 */
static void verdicts(FILE *f, const struct report_scen *sc)
{
	int k;

	for (k = 0; k < sc->nrun; k++) {
		fprintf(f, "%sIPv%d ", k ? ", " : "", sc->run[k]->family);
		md_esc(f, sc->run[k]->firewall);
		fprintf(f, " **%s**", res_verdict_name(sc->run[k]->verdict));
	}
}

static void md_index_begin(FILE *f)
{
	fputs("## Scenarios\n\n| Scenario | Runs | What it shows |\n"
	      "|---|---|---|\n", f);
}

static void md_index_row(FILE *f, const char *group,
			 const struct report_scen *sc)
{
	if (group) {
		fputs("| **", f);
		md_esc(f, group);
		fputs("** | | |\n", f);
	}
	fputs("| [", f);
	md_esc(f, sc->run[0]->name);
	fprintf(f, "](#%s) | ", sc->id);
	verdicts(f, sc);
	fputs(" | ", f);
	md_prose(f, sc->run[0]->title);
	fputs(" |\n", f);
}

static void md_cover_begin(FILE *f)
{
	size_t k;

	fputs("\n## Coverage of the TCP states\n\n"
	      "✓ an expectation confirmed the state; • a socket was in it (a sock\\_diag "
	      "sample saw it, or the segments and calls took it there).\n\n"
	      "| Scenario |", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fprintf(f, " %s |", report_states[k].name);
	fputs("\n|---|", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fputs(":-:|", f);
	fputc('\n', f);
}

static void md_cover_row(FILE *f, const char *name, const char *id,
			 uint32_t seen, uint32_t conf)
{
	size_t k;

	(void)id;
	fputs("| ", f);
	md_esc(f, name);
	fputs(" |", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++) {
		uint32_t b = 1u << report_states[k].state;

		fputs(conf & b ? " ✓ |" : seen & b ? " • |" : "  |", f);
	}
	fputc('\n', f);
}

static void md_cover_end(FILE *f, uint32_t all)
{
	size_t k;

	fputs("| **reached** |", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fputs(all & (1u << report_states[k].state) ? " yes |" : " **no** |",
		      f);
	fputs("\n\n", f);
}

static void md_run_begin(FILE *f, const struct report_scen *sc,
			 const char *durations, int first)
{
	const struct result *run = sc->run[0];
	int k;

	if (first) {
		fputs("## ", f);
		md_esc(f, report_groups[sc->group].title);
		fputs("\n\n", f);
	}
	fprintf(f, "<a id=\"%s\"></a>\n\n### ", sc->id);
	md_esc(f, run->name);
	fputs(": ", f);
	md_prose(f, run->title);
	fputs("\n\n", f);
	verdicts(f, sc);
	fputs(" · ", f);
	md_code(f, report_base_name(run->file));
	fprintf(f, " · %s", durations);
	for (k = 0; k < run->nnodes && k < 4; k++) {
		fputs(k ? ", " : " · nodes ", f);
		md_esc(f, run->nodes[k]);
		fputc(' ', f);
		md_code(f, run->addrs[k]);
	}
	fputs("\n\n", f);
}

static void md_reason(FILE *f, const struct result *run, const char *text)
{
	fprintf(f, "> **Why (IPv%d %s):** ", run->family, run->firewall);
	md_prose(f, text);
	fputs("\n\n", f);
}

static void md_teaches(FILE *f, const char *text)
{
	fputs("#### What it teaches\n\n", f);
	md_prose(f, text);
	fputs("\n\n", f);
}

static void md_rule(FILE *f, const struct res_rule *rl, const char *where)
{
	md_td(f, where, 1);
	md_td(f, rl->node, 0);
	md_td(f, rl->desc, 0);
	md_td(f, rl->nft, 1);
	md_td(f, rl->ipt, 1);
	fputs("|\n", f);
}

static void md_sysctl(FILE *f, const struct res_kv *kv)
{
	char line[192];

	snprintf(line, sizeof(line), "%s=%s", kv->key, kv->value);
	fputs("- ", f);
	md_esc(f, kv->node);
	fputs(": ", f);
	md_code(f, line);
	fputc('\n', f);
}

static void md_path(FILE *f, const struct report_fsm_view *v,
		    const struct result *run, const char *text)
{
	(void)v;
	fprintf(f, "IPv%d %s:\n\n```\n%s```\n\n", run->family, run->firewall,
		text);
}

static void md_note(FILE *f, const char *text)
{
	fputs("> ", f);
	md_esc(f, text);
	fputs("\n\n", f);
}

static int md_ladders(FILE *f, const struct report_scen *sc)
{
	int k, n = sc->differs ? sc->nrun : 1, rc;

	for (k = 0; k < n; k++) {
		const struct result *run = sc->run[k];
		int pairs[RESULT_MAX_LADDERS][2], p, np, l, r;

		if (n > 1)
			fprintf(f, "IPv%d %s:\n\n", run->family, run->firewall);
		/* a star: one ladder per host, each with the last node */
		np = result_ladders(run, pairs);
		for (p = 0; p < np; p++) {
			l = pairs[p][0];
			r = pairs[p][1];
			fputs("```\n", f);
			rc = ladder_render(f, run->nodes[l], run->nodes[r],
					   &run->tl, l, r, 0);
			if (rc)
				return rc;
			fputs("```\n\n", f);
		}
	}
	return 0;
}

static void md_expect(FILE *f, size_t i, const struct res_expect *x,
		      const char *where, const char *at, const char *table,
		      const char *other)
{
	const char *p, *nl;

	fprintf(f, "%zu. **%s** ", i + 1, x->held ? "held" : "FAILED");
	md_code(f, x->text);
	fputs(" (", f);
	md_esc(f, where);
	fputs(")", f);
	if (at)
		fprintf(f, " at %s", at);
	if (x->observed[0]) {
		fputs("  \n   observed: ", f);
		md_prose(f, x->observed);
	}
	if (other) {
		fputs("  \n   ", f);
		md_prose(f, other);
	}
	fputs("\n", f);
	if (table) {
		/* indented under the list item, as a fenced block */
		fputs("\n   ```\n", f);
		for (p = table; *p; p = *nl ? nl + 1 : nl) {
			nl = strchr(p, '\n');
			if (!nl)
				nl = p + strlen(p);
			if (nl > p)
				fprintf(f, "   %.*s\n", (int)(nl - p), p);
		}
		fputs("   ```\n", f);
	}
	fputc('\n', f);
}

static void md_counter(FILE *f, const struct res_counter *c)
{
	md_td(f, c->node, 0);
	md_td(f, c->name, 1);
	fprintf(f, "| %+lld |\n", (long long)c->delta);
}

static void md_capture(FILE *f, size_t i, const char *node, const char *path)
{
	fputs(i ? " · " : "", f);
	md_esc(f, node);
	fputs(": [", f);
	md_esc(f, report_base_name(path));
	fputs("](<", f);
	for (; *path; path++)
		if (*path != '<' && *path != '>' && *path != '\n')
			fputc(*path, f);
	fputs(">)", f);
}

static void md_doc_end(FILE *f, const struct results *r)
{
	(void)f;
	(void)r;
}

const struct report_emit report_emit_md = {
	.esc = md_esc,
	.heading = md_heading,
	.para = md_para,
	.list_head = {
		[REPORT_RULES] = "| Where | Node | Rule | nft | iptables |\n"
				 "|---|---|---|---|---|\n",
		[REPORT_SYSCTLS] = "",
		[REPORT_EXPECTS] = "",
		[REPORT_COUNTERS] = "| Node | Counter | Change |\n|---|---|---:|\n",
	},
	.list_tail = {
		[REPORT_RULES] = "\n",
		[REPORT_SYSCTLS] = "\n",
		[REPORT_EXPECTS] = "",
		[REPORT_COUNTERS] = "\n",
	},
	.doc_begin = md_doc_begin,
	.machine = md_machine,
	.index_begin = md_index_begin,
	.index_row = md_index_row,
	.cover_begin = md_cover_begin,
	.cover_row = md_cover_row,
	.cover_end = md_cover_end,
	.run_begin = md_run_begin,
	.reason = md_reason,
	.teaches = md_teaches,
	.rule = md_rule,
	.sysctl = md_sysctl,
	.path = md_path,
	.note = md_note,
	.ladders = md_ladders,
	.expect = md_expect,
	.counter = md_counter,
	.captures_head = "#### Captures\n\n",
	.capture = md_capture,
	.run_tail = "\n\n",
	.doc_end = md_doc_end,
};
