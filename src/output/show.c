// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * show.c - a scenario, explained to a person (pure)
 *
 * Theory of operation: everything printed here comes from the parsed AST
 * alone, so "tcplab show NAME" needs no privilege and no kernel, and a unit
 * test can hold its output as a golden file.  The layout:
 *
 *	NAME
 *	  TITLE (wrapped like the text below)
 *	file: FILE
 *
 *	teaches:
 *	  text wrapped at SHOW_COLUMNS columns, indented by two
 *
 *	sysctls:
 *	  NODE KEY=VALUE  (FILE:LINE)        or "(none)"
 *
 *	firewall rules:
 *	  FILE:LINE  NODE: neutral description
 *	    nft add rule inet tcplab ...
 *	    iptables -A ...
 *	    ip6tables -A ...
 *
 * The commands are rule_render_nft() and rule_render_ipt(), the very rules
 * the two backends install; iptables lines are given for the address
 * families the scenario runs in and the rule covers.  Commands are never
 * wrapped, so that they can be copied as they are.
 */
#include "show.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "rule.h"
#include "sock.h"

/**
 * show_wrap() - print @text word-wrapped, indented by @indent spaces
 * @f:		where to
 * @text:	the text; blanks and line breaks separate words
 * @indent:	spaces in front of each line
 */
void show_wrap(FILE *f, const char *text, int indent)
{
	const char *p = text;
	int col = 0;

	while (p && *p) {
		const char *w;
		int n;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		n = (int)(p - w);
		if (col && col + 1 + n > SHOW_COLUMNS) {
			fputc('\n', f);
			col = 0;
		}
		if (!col)
			col = fprintf(f, "%*s%.*s", indent, "", n, w);
		else
			col += fprintf(f, " %.*s", n, w);
	}
	if (col)
		fputc('\n', f);
}

/**
 * show_node() - the name of node @i, "?" if out of range
 * @sc:		the scenario
 * @i:		node index
 *
 * Return: the name.
 */
static const char *show_node(const struct scenario *sc, int i)
{
	return i >= 0 && i < sc->nnodes ? sc->nodes[i] : "?";
}

/**
 * show_commands() - print the lines of a rendering, each indented by four
 * @f:		where to
 * @text:	lines separated by '\n'
 */
static void show_commands(FILE *f, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		fprintf(f, "    %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

/**
 * show_rule() - one rule: where, what, and its commands
 * @f:		where to
 * @sc:		the scenario
 * @r:		the rule
 */
static void show_rule(FILE *f, const struct scenario *sc,
		      const struct rule *r)
{
	int fams = sc->families ? sc->families :
				  SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6;
	char buf[1024];

	rule_describe(r, buf, sizeof(buf));
	fprintf(f, "  %s:%d  %s: %s\n", r->loc.file ? r->loc.file : "?",
		r->loc.line, show_node(sc, r->node), buf);
	rule_render_nft(r, RULE_TABLE_NAME, buf, sizeof(buf));
	show_commands(f, buf);
	if (fams & SCENARIO_FAMILY_4) {
		rule_render_ipt(r, RULE_IPT_4, buf, sizeof(buf));
		show_commands(f, buf);
	}
	if (fams & SCENARIO_FAMILY_6) {
		rule_render_ipt(r, RULE_IPT_6, buf, sizeof(buf));
		show_commands(f, buf);
	}
}

/**
 * show_scenario() - print what @sc is about and what it will do
 * @f:		where to
 * @sc:		a parsed scenario
 *
 * Return: 0, or -EIO if @f reported a write error.
 */
int show_scenario(FILE *f, const struct scenario *sc)
{
	size_t i, nrules = 0;

	fprintf(f, "%s\n", sc->name);
	if (sc->title && *sc->title)
		show_wrap(f, sc->title, 2);
	if (sc->file)
		fprintf(f, "file: %s\n", sc->file);

	fprintf(f, "\nteaches:\n");
	if (sc->teaches && *sc->teaches)
		show_wrap(f, sc->teaches, 2);
	else
		fprintf(f, "  (nothing written)\n");

	fprintf(f, "\nsysctls:\n");
	for (i = 0; i < sc->nsysctls; i++) {
		const struct scenario_sysctl *s = &sc->sysctls[i];

		fprintf(f, "  %s %s=%s  (%s:%d)\n", show_node(sc, s->node),
			s->key, s->value, s->loc.file ? s->loc.file : "?",
			s->loc.line);
	}
	if (!sc->nsysctls)
		fprintf(f, "  (none)\n");

	/* only where the scenario has record lines */
	if (sc->nrecords)
		fprintf(f, "\nrecorded (drift in a baseline):\n");
	for (i = 0; i < sc->nrecords; i++) {
		const struct scenario_record *r = &sc->records[i];

		fprintf(f, "  %s %s %s  (%s:%d)\n", show_node(sc, r->node),
			r->kind == RECORD_COUNTER ? "counter" : "state",
			r->kind == RECORD_COUNTER ? r->counter
						  : diag_state_name(r->state),
			r->loc.file ? r->loc.file : "?", r->loc.line);
	}

	fprintf(f, "\nfirewall rules:\n");
	for (i = 0; i < sc->nsteps; i++) {
		if (sc->steps[i].kind != STEP_FIREWALL)
			continue;
		show_rule(f, sc, &sc->steps[i].rule);
		nrules++;
	}
	if (!nrules)
		fprintf(f, "  (none)\n");
	fflush(f);
	return ferror(f) ? -EIO : 0;
}
