// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_html.c - the classroom report's HTML emitter (see report_int.h)
 *
 * Theory of operation: one self-contained page - no script, no external
 * file, one <style> block with a print stylesheet and a narrow-screen
 * layout, the ladders as inline SVG (report_svg.c).  It is well-formed XML
 * as well (void elements closed, numeric character references only), so
 * that `xmllint --noout` can check it.  Every piece of text from the
 * results goes through util_xml_esc(); hrefs through url_esc().  The
 * emitter writes markup only: what goes where is report.c's walker's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "sock.h"
#include "tcpfsm.h"
#include "util.h"


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

static void html_words(FILE *f, const char *text);

/**
 * html_code_words() - @text as code whose lines break between its words
 * only (a browser breaks after a hyphen, "--queue-|bypass", unless told)
 * @f:		where to
 * @text:	the text
 */
static void html_code_words(FILE *f, const char *text)
{
	fputs("<code>", f);
	html_words(f, text);
	fputs("</code>", f);
}

/**
 * html_words() - @text with each word that holds a hyphen in a span that
 * never breaks (FIN-WAIT-1, --queue-bypass): lines break between words
 * @f:		where to
 * @text:	the text
 */
static void html_words(FILE *f, const char *text)
{
	char word[512];
	size_t n;

	while (*text) {
		n = strcspn(text, " \n");
		if (n) {
			snprintf(word, sizeof(word), "%.*s", (int)n, text);
			if (strchr(word, '-'))
				fputs("<span class=\"w\">", f);
			util_xml_esc(f, word);
			if (strchr(word, '-'))
				fputs("</span>", f);
			text += n;
		}
		if (*text)
			fputc(*text++, f);
	}
}

/**
 * html_prose() - text of a scenario, states by RFC 9293's names, words
 * whole
 * @f:		where to
 * @text:	the text
 */
static void html_prose(FILE *f, const char *text)
{
	char *s = report_prose(text);

	html_words(f, s ? s : text);
	free(s);
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
	fprintf(f, "<td%s>", attr);
	if (code)
		html_code_words(f, text);
	else
		util_xml_esc(f, text);
	fputs("</td>", f);
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
	"h3{font-size:1.25rem;margin:2rem 0 .4rem;border-top:1px solid var(--rule);"
	"padding-top:.8rem}\n"
	"h4{font-size:1.05rem;margin:1.2rem 0 .4rem}\n"
	"h2.group{font-size:1.6rem;color:var(--state);margin-top:3rem}\n"
	"#runs tr.grp th{background:#eef7f8;color:var(--state)}\n"
	"figure.fsm{margin:.5rem 0}\n"
	"figure.fsm svg{width:100%;height:auto;display:block;background:#fff}\n"
	"figure.big svg{max-width:800px;border:1px solid var(--rule)}\n"
	"figure.small{display:flex;gap:1.2rem;align-items:flex-start;flex-wrap:wrap}\n"
	"figure.small svg{width:340px;flex:0 0 340px}\n"
	"figure.small figcaption{font-size:.9rem;flex:1 1 260px}\n"
	"pre.path{white-space:pre-wrap;font-size:.75rem;margin:.3rem 0;padding:.3rem .4rem}\n"

	"svg.fsm .st rect{fill:#fff;stroke:#57606a;stroke-width:1.5}\n"
	"svg.fsm .st text{font-size:13px;font-weight:700}\n"
	"svg.fsm .e{fill:none;stroke:#57606a;stroke-width:1.6}\n"
	"svg.fsm .e.h{fill:#57606a;stroke:none}\n"
	"svg.fsm text.ev,svg.fsm text.ac{font-size:11px;paint-order:stroke;"
	"stroke:#fff;stroke-width:3px}\n"
	"svg.fsm text.ac{fill:#57606a}\n"
	"svg.fsm .dim{opacity:.28}\n"
	"svg.fsm .lit .e{stroke:var(--state);stroke-width:2.6}"
	"svg.fsm .lit .e.h{fill:var(--state);stroke:none}\n"
	"svg.fsm .st.lit rect{stroke:var(--state);stroke-width:2.6;fill:#eef7f8}\n"
	"svg.fsm .n0 .e{stroke:#0969da;stroke-width:3}svg.fsm .n0 .e.h{fill:#0969da}\n"
	"svg.fsm .n1 .e{stroke:#bc4c00;stroke-width:3}svg.fsm .n1 .e.h{fill:#bc4c00}\n"
	"svg.fsm .n01 .e{stroke:#8250df;stroke-width:3}svg.fsm .n01 .e.h{fill:#8250df}\n"
	"svg.fsm .st.n0 rect{stroke:#0969da;stroke-width:3}"
	"svg.fsm .st.n1 rect{stroke:#bc4c00;stroke-width:3}"
	"svg.fsm .st.n01 rect{stroke:#8250df;stroke-width:3}\n"
	"svg.small text.ev,svg.small text.ac{display:none}\n"
	"svg.small .st text{font-size:18px}\n"
	"span.n0{color:#0969da;font-weight:700}span.n1{color:#bc4c00;font-weight:700}\n"
	"b.lit{color:var(--state)}span.dimk{color:#9aa1a8}\n"
	"svg.fsm a:hover .e{stroke-width:4}\n"
	"p.family{border-left:4px solid #8250df;background:#f6f3fd;padding:.2rem .9rem}\n"
	".other{color:var(--xfail)}\n"
	".ladders.side{display:flex;gap:1rem;flex-wrap:wrap}"
	".ladders.side .col{flex:1 1 340px;min-width:0}"
	".colh{font-weight:700;margin:.2rem 0}\n"
	"svg text.st.seen{font-style:italic;font-weight:400}\n"
	"svg text.cn{font-size:10px;fill:#57606a}\n"
	"code,pre,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\","
	"Menlo,Consolas,monospace;font-size:.86rem}\n"
	"pre{background:var(--soft);border:1px solid var(--rule);"
	"border-radius:4px;padding:.5rem .7rem;overflow-x:auto;margin:.3rem 0}\n"
	"table{border-collapse:collapse;margin:.4rem 0}\n"
	"th,td{border:1px solid var(--rule);padding:.25rem .5rem;"
	"text-align:left;vertical-align:top}\n"
	"th{background:var(--soft)}\n"
	".scroll{overflow-x:auto;max-width:100%}\n"
	/* break lines between words only, never inside a token */
	"code,pre,td,th{overflow-wrap:normal;word-break:normal;hyphens:none}\n"
	".w,td.mono,.meta code,.caps a{white-space:nowrap}\n"
	"table.rules td{min-width:7em}\n"
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
	"@media print{@page{size:A4;margin:14mm}"
	"body{max-width:none;padding:0;font-size:10pt}"
	"section.run{break-before:page}"
	"section#machine{break-before:page}"
	"figure.fsm,figure.ladder,.ladders,svg{break-inside:avoid}"
	"figure.small svg{width:75mm;flex-basis:75mm}"
	"figure.ladder svg{max-height:240mm;width:auto;max-width:100%}"
	"#runs td,#coverage td{break-inside:avoid}"
	"a{color:inherit;text-decoration:none}"
	"pre{white-space:pre-wrap;overflow:visible}"
	".scroll{overflow:visible}"
	"figure.ladder,pre,tr{break-inside:avoid}"
	"pre.socks{white-space:pre;font-size:6.6pt;overflow:hidden}"
	"h2,h3,h4{break-after:avoid}"
	"table.rules{font-size:8pt}table.rules code{font-size:7.2pt}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void html_heading(FILE *f, const char *title)
{
	fprintf(f, "<h4>%s</h4>\n", title);
}

static void html_para(FILE *f, const char *text)
{
	fprintf(f, "<p>%s</p>\n", text);
}

static void html_doc_begin(FILE *f, const struct results *r,
			   const char *backends)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>tcplab report: TCP states on Linux ", f);
	util_xml_esc(f, r->kernel);
	fputs("</title>\n<style>\n", f);
	fputs(report_css, f);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>TCP states on Linux ", f);
	util_xml_esc(f, r->kernel);
	fputs("</h1>\n<p class=\"meta\">Kernel <b>", f);
	util_xml_esc(f, r->kernel);
	fputs("</b> (", f);
	util_xml_esc(f, r->machine);
	fputs(") &#183; ", f);
	util_xml_esc(f, r->date);
	fputs(" &#183; firewall backends and families: ", f);
	util_xml_esc(f, backends);
	fputs(" &#183; tcplab ", f);
	util_xml_esc(f, r->tcplab);
	fputs("</p>\n</header>\n", f);
}

/**
 * verdicts() - one badge per run: "IPv4 nftables PASS"
 * @f:		where to
 * @sc:		scenario
 */
static void verdicts(FILE *f, const struct report_scen *sc)
{
	int k;

	for (k = 0; k < sc->nrun; k++) {
		const char *v = res_verdict_name(sc->run[k]->verdict);

		fprintf(f, "%s<span class=\"v v-%s\">IPv%d ", k ? " " : "", v,
			sc->run[k]->family);
		util_xml_esc(f, sc->run[k]->firewall);
		fprintf(f, " %s</span>", v);
	}
}

static void html_machine(FILE *f, const struct report_fsm_view *v,
			 const char *const *users)
{
	size_t k;
	int i, lit = 0;

	(void)users;
	for (i = 0; i < TCPFSM_NEDGES; i++)
		lit += v->edge[i] != 0;
	fputs("<section id=\"machine\">\n<h2>The TCP state machine</h2>\n"
	      "<p>The diagram of RFC 9293 (section 3.3.2): eleven states, and on each "
	      "transition the event that takes it over the action the socket takes. "
	      "A <b class=\"lit\">lit</b> transition is one the kernel took in some "
	      "scenario below, as the captured segments, the calls and the sock_diag "
	      "samples show it (click it to go to the first such scenario); a "
	      "<span class=\"dimk\">dimmed</span> one no scenario reached.</p>\n", f);
	fprintf(f, "<figure class=\"fsm big\">\n");
	report_svg_fsm(f, v);
	fprintf(f, "<figcaption>%d of the %d transitions were taken.</figcaption>\n"
		   "</figure>\n", lit, TCPFSM_NEDGES);
	fputs("<h3>The names of the states</h3>\n<p>This report (and the "
	      "terminal) writes each state as RFC 9293 does; <code>ss</code> and the "
	      "kernel spell them as below. Scenario files take any of these.</p>\n"
	      "<div class=\"scroll\"><table class=\"legend\">\n<tr><th>RFC 9293 "
	      "(here)</th><th><code>ss</code></th><th>kernel</th></tr>\n", f);
	for (k = 0; k < TCPFSM_NSTATES; k++) {
		int st = tcpfsm_states[k];

		fprintf(f, "<tr><td>%s</td><td><code>%s</code></td><td><code>TCP_%s%s"
			   "</code></td></tr>\n", diag_state_label(st),
			diag_state_ss(st), diag_state_name(st),
			st == DIAG_SYN_RECV ? "</code>, <code>TCP_NEW_SYN_RECV" : "");
	}
	fputs("</table></div>\n</section>\n", f);
}

static void html_index_begin(FILE *f)
{
	fputs("<nav>\n<h2>Scenarios</h2>\n<div class=\"scroll\"><table id=\"runs\">\n"
	      "<tr><th>Scenario</th><th>Runs</th><th>What it shows</th></tr>\n", f);
}

static void html_index_row(FILE *f, const char *group,
			   const struct report_scen *sc)
{
	if (group) {
		fputs("<tr class=\"grp\"><th colspan=\"3\">", f);
		util_xml_esc(f, group);
		fputs("</th></tr>\n", f);
	}
	fprintf(f, "<tr><td><a href=\"#%s\">", sc->id);
	util_xml_esc(f, sc->run[0]->name);
	fputs("</a></td><td>", f);
	verdicts(f, sc);
	fputs("</td><td>", f);
	html_prose(f, sc->run[0]->title);
	fputs("</td></tr>\n", f);
}

static void html_cover_begin(FILE *f)
{
	size_t k;

	fputs("</table></div>\n", f);
	fputs("<h2>Coverage of the TCP states</h2>\n"
	      "<p>&#10003; an expectation confirmed the state; &#8226; a socket "
	      "was in it (a sock_diag sample saw it, or the segments and calls "
	      "took it there). A state no scenario reached is marked in red.</p>\n"
	      "<div class=\"scroll\"><table id=\"coverage\">\n<tr><th>Scenario</th>",
	      f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++)
		fprintf(f, "<th class=\"st\">%s</th>", report_states[k].name);
	fputs("</tr>\n", f);
}

static void html_cover_row(FILE *f, const char *name, const char *id,
			   uint32_t seen, uint32_t conf)
{
	size_t k;

	fprintf(f, "<tr><td><a href=\"#%s\">", id);
	util_xml_esc(f, name);
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

static void html_cover_end(FILE *f, uint32_t all)
{
	size_t k;

	fputs("<tr><th>reached</th>", f);
	for (k = 0; k < ARRAY_SIZE(report_states); k++) {
		uint32_t b = 1u << report_states[k].state;

		fputs(all & b ? "<td class=\"c yes\">yes</td>"
			      : "<td class=\"c none\">no</td>", f);
	}
	fputs("</tr>\n", f);
	fputs("</table></div>\n</nav>\n", f);
	fputs("<main>\n", f);
}

static void html_run_begin(FILE *f, const struct report_scen *sc,
			   const char *durations, int first)
{
	const struct result *run = sc->run[0];
	int k;

	/* a chapter's heading inside its first section: printed on its page */
	fprintf(f, "<section class=\"run\" id=\"%s\" data-group=\"%s\">\n",
		sc->id, report_groups[sc->group].id);
	if (first) {
		fprintf(f, "<h2 class=\"group\" id=\"group-%s\">",
			report_groups[sc->group].id);
		util_xml_esc(f, report_groups[sc->group].title);
		fputs("</h2>\n", f);
	}
	fputs("<h3>", f);
	util_xml_esc(f, run->name);
	fputs(": ", f);
	html_prose(f, run->title);
	fputs("</h3>\n<p class=\"meta\">", f);
	verdicts(f, sc);
	fputs(" &#183; <code>", f);
	util_xml_esc(f, report_base_name(run->file));
	fprintf(f, "</code> &#183; %s", durations);
	for (k = 0; k < run->nnodes && k < 4; k++) {
		fputs(k ? ", " : " &#183; nodes ", f);
		util_xml_esc(f, run->nodes[k]);
		fputs(" <code>", f);
		util_xml_esc(f, run->addrs[k]);
		fputs("</code>", f);
	}
	fputs("</p>\n", f);
}

static void html_reason(FILE *f, const struct result *run, const char *text)
{
	fprintf(f, "<p class=\"reason\"><b>IPv%d ", run->family);
	util_xml_esc(f, run->firewall);
	fputs(":</b> ", f);
	html_prose(f, text);
	fputs("</p>\n", f);
}

static void html_teaches(FILE *f, const char *text)
{
	fputs("<h4>What it teaches</h4>\n<p class=\"teaches\">", f);
	html_prose(f, text);
	fputs("</p>\n", f);
}

static void html_rule(FILE *f, const struct res_rule *rl, const char *where)
{
	/* data-l: the column's name, for the narrow layout */
	fputs("<tr>", f);
	html_td(f, " class=\"mono\" data-l=\"where\"", where, 0);
	html_td(f, " data-l=\"node\"", rl->node, 0);
	html_td(f, " data-l=\"rule\"", rl->desc, 0);
	html_td(f, " data-l=\"nft\"", rl->nft, 1);
	html_td(f, " data-l=\"iptables\"", rl->ipt, 1);
	fputs("</tr>\n", f);
}

static void html_sysctl(FILE *f, const struct res_kv *kv)
{
	fputs("<tr>", f);
	html_td(f, "", kv->node, 0);
	html_td(f, "", kv->key, 1);
	html_td(f, "", kv->value, 1);
	fputs("</tr>\n", f);
}

static void html_path(FILE *f, const struct report_fsm_view *v,
		      const struct result *run, const char *text)
{
	fputs("<figure class=\"fsm small\">\n", f);
	report_svg_fsm(f, v);
	fprintf(f, "<figcaption><b>IPv%d ", run->family);
	util_xml_esc(f, run->firewall);
	fputs("</b>: <span class=\"n0\">&#9632; ", f);
	util_xml_esc(f, run->nodes[0]);
	fputs("</span> <span class=\"n1\">&#9632; ", f);
	util_xml_esc(f, run->nnodes > 1 ? run->nodes[run->nnodes - 1] : "");
	if (run->nnodes > 2)
		fputs(" (and any other node)", f);
	fputs("</span>; dimmed: not taken.<pre class=\"path\">", f);
	html_words(f, text);
	fputs("</pre></figcaption>\n</figure>\n", f);
}

static void html_note(FILE *f, const char *text)
{
	fputs("<p class=\"family\">", f);
	util_xml_esc(f, text);
	fputs("</p>\n", f);
}

static int html_ladders(FILE *f, const struct report_scen *sc)
{
	int k, n = sc->differs ? sc->nrun : 1, rc, p, np;
	int pairs[RESULT_MAX_LADDERS][2];

	fprintf(f, "<div class=\"ladders%s\">\n", n > 1 ? " side" : "");
	for (k = 0; k < n; k++) {
		if (n > 1) {
			fprintf(f, "<div class=\"col\"><p class=\"colh\">IPv%d ",
				sc->run[k]->family);
			util_xml_esc(f, sc->run[k]->firewall);
			fputs("</p>\n", f);
		}
		/* a star: one ladder per host, each with the last node */
		np = result_ladders(sc->run[k], pairs);
		for (p = 0; p < np; p++) {
			rc = report_svg_ladder(f, sc->run[k], &sc->tr[k],
					       pairs[p][0], pairs[p][1]);
			if (rc)
				return rc;
		}
		if (n > 1)
			fputs("</div>\n", f);
	}
	fputs("</div>\n", f);
	return 0;
}

static void html_expect(FILE *f, size_t i, const struct res_expect *x,
			const char *where, const char *at, const char *table,
			const char *other)
{
	(void)i;
	fprintf(f, "<li><span class=\"%s\">%s</span> <code>",
		x->held ? "held" : "failed", x->held ? "held" : "FAILED");
	util_xml_esc(f, x->text);
	fputs("</code> <span class=\"meta mono\">", f);
	util_xml_esc(f, where);
	fputs("</span>", f);
	if (at)
		fprintf(f, " <span class=\"meta\">at %s</span>", at);
	if (x->observed[0]) {
		fputs("<br/>observed: ", f);
		html_prose(f, x->observed);
	}
	if (other) {
		fputs("<br/><span class=\"other\">", f);
		html_prose(f, other);
		fputs("</span>", f);
	}
	if (table) {
		fputs("\n<pre class=\"socks\">", f);
		util_xml_esc(f, table);
		fputs("</pre>", f);
	}
	fputs("</li>\n", f);
}

static void html_counter(FILE *f, const struct res_counter *c)
{
	fputs("<tr>", f);
	html_td(f, "", c->node, 0);
	html_td(f, "", c->name, 1);
	fprintf(f, "<td>%+lld</td></tr>\n", (long long)c->delta);
}

static void html_capture(FILE *f, size_t i, const char *label, const char *path)
{
	fputs(i ? " &#183; " : "", f);
	util_xml_esc(f, label);
	fputs(": <a href=\"", f);
	url_esc(f, path);
	fputs("\">", f);
	util_xml_esc(f, report_base_name(path));
	fputs("</a>", f);
}

static void html_doc_end(FILE *f, const struct results *r)
{
	fputs("</main>\n<footer><p class=\"meta\">Written by tcplab ", f);
	util_xml_esc(f, r->tcplab);
	fputs(". Every number here was measured on the kernel named above, "
	      "in network namespaces.</p></footer>\n</body>\n</html>\n", f);
}

const struct report_emit report_emit_html = {
	.esc = util_xml_esc,
	.heading = html_heading,
	.para = html_para,
	.list_head = {
		[REPORT_RULES] =
			"<div class=\"scroll\"><table class=\"rules\">\n<tr><th>Where</th>"
			"<th>Node</th><th>Rule</th><th>nft</th><th>iptables</th></tr>\n",
		[REPORT_SYSCTLS] =
			"<table class=\"sysctls\">\n<tr><th>Node</th><th>Key</th>"
			"<th>Value</th></tr>\n",
		[REPORT_EXPECTS] = "<ol class=\"expects\">\n",
		[REPORT_COUNTERS] =
			"<table class=\"counters\">\n<tr><th>Node</th><th>Counter</th>"
			"<th>Change</th></tr>\n",
	},
	.list_tail = {
		[REPORT_RULES] = "</table></div>\n",
		[REPORT_SYSCTLS] = "</table>\n",
		[REPORT_EXPECTS] = "</ol>\n",
		[REPORT_COUNTERS] = "</table>\n",
	},
	.doc_begin = html_doc_begin,
	.machine = html_machine,
	.index_begin = html_index_begin,
	.index_row = html_index_row,
	.cover_begin = html_cover_begin,
	.cover_row = html_cover_row,
	.cover_end = html_cover_end,
	.run_begin = html_run_begin,
	.reason = html_reason,
	.teaches = html_teaches,
	.rule = html_rule,
	.sysctl = html_sysctl,
	.path = html_path,
	.note = html_note,
	.ladders = html_ladders,
	.expect = html_expect,
	.counter = html_counter,
	.captures_head = "<h4>Captures</h4>\n<p class=\"caps\">",
	.capture = html_capture,
	.run_tail = "</p>\n</section>\n",
	.doc_end = html_doc_end,
};
