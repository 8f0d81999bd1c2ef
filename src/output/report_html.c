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
#include <string.h>

#include "report_int.h"
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
	util_xml_esc(f, text);
	fprintf(f, "%s</td>", code ? "</code>" : "");
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

static void html_heading(FILE *f, const char *title)
{
	fprintf(f, "<h3>%s</h3>\n", title);
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
	fputs("<nav>\n<h2>Scenarios</h2>\n<div class=\"scroll\"><table id=\"runs\">\n"
	      "<tr><th>Scenario</th><th>Family</th><th>Firewall</th>"
	      "<th>Verdict</th><th>What it shows</th></tr>\n", f);
}

static void html_index_row(FILE *f, const struct result *run, const char *id)
{
	const char *v = res_verdict_name(run->verdict);

	fprintf(f, "<tr><td><a href=\"#%s\">", id);
	util_xml_esc(f, run->name);
	fprintf(f, "</a></td><td>IPv%d</td><td>", run->family);
	util_xml_esc(f, run->firewall);
	fprintf(f, "</td><td><span class=\"v v-%s\">%s</span></td><td>", v, v);
	util_xml_esc(f, run->title);
	fputs("</td></tr>\n", f);
}

static void html_cover_begin(FILE *f)
{
	size_t k;

	fputs("</table></div>\n", f);
	fputs("<h2>Coverage of the TCP states</h2>\n"
	      "<p>&#10003; an expectation confirmed the state; &#8226; a socket "
	      "was seen in it. A state no scenario reached is marked in red.</p>\n"
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

static void html_run_begin(FILE *f, const struct result *run, const char *id,
			   const char *durations)
{
	const char *v = res_verdict_name(run->verdict);
	int k;

	fprintf(f, "<section class=\"run\" id=\"%s\">\n<h2>", id);
	util_xml_esc(f, run->name);
	fputs(": ", f);
	util_xml_esc(f, run->title);
	fprintf(f, "</h2>\n<p class=\"meta\"><span class=\"v v-%s\">%s</span> "
		   "IPv%d &#183; ", v, v, run->family);
	util_xml_esc(f, run->firewall);
	fputs(" &#183; <code>", f);
	util_xml_esc(f, run->file);
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

static void html_reason(FILE *f, const char *text)
{
	fputs("<p class=\"reason\">", f);
	util_xml_esc(f, text);
	fputs("</p>\n", f);
}

static void html_teaches(FILE *f, const char *text)
{
	fputs("<h3>What it teaches</h3>\n<p class=\"teaches\">", f);
	util_xml_esc(f, text);
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

static int html_ladder(FILE *f, const struct result *run)
{
	return report_svg_ladder(f, run, 0, 1);
}

static void html_expect(FILE *f, size_t i, const struct res_expect *x,
			const char *where, const char *at, const char *table)
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
		util_xml_esc(f, x->observed);
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

static void html_capture(FILE *f, size_t i, const char *node, const char *path)
{
	fputs(i ? " &#183; " : "", f);
	util_xml_esc(f, node);
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
	.index_row = html_index_row,
	.cover_begin = html_cover_begin,
	.cover_row = html_cover_row,
	.cover_end = html_cover_end,
	.run_begin = html_run_begin,
	.reason = html_reason,
	.teaches = html_teaches,
	.rule = html_rule,
	.sysctl = html_sysctl,
	.ladder = html_ladder,
	.expect = html_expect,
	.counter = html_counter,
	.captures_head = "<h3>Captures</h3>\n<p>",
	.capture = html_capture,
	.run_tail = "</p>\n</section>\n",
	.doc_end = html_doc_end,
};
