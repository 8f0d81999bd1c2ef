// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compare_html.c - the comparison of several kernels as HTML (see
 * compare.h): `tcplab compare --html` and `tcplab report` given results
 *
 * Theory of operation: everything is drawn from the rows compare_build()
 * kept; the results are read again only for what a row does not hold -
 * each kernel's release, machine and --slow factor, and the timelines the
 * ladders are drawn from.
 *
 * 1. The matrix: one row per scenario (its runs - families, firewall
 *    backends - folded), one column per kernel.  A cell tallies the
 *    verdicts of that scenario's runs on that kernel ("4 pass"); a
 *    scenario whose runs differ in behaviour is marked in every cell and
 *    its last cell names the aspects that differ, linking to them.
 *
 * 2. Per differing scenario, its differences: rows that say the same
 *    (aspect and every value) in several runs are one line naming those
 *    runs, as the terminal prints them.  Notes (states seen only by
 *    sampling, counters) follow, folded in a <details>.
 *
 * 3. Where a node's retransmission schedule differs, the first run that
 *    shows it is drawn: one lane per kernel, all on one time axis.  A lane
 *    is a ladder turned on its side: the node's lifeline above, its
 *    peers' below, and each segment the node sent or received after its
 *    first transmission an arrow between them at its time (time 0 is the
 *    node's first transmission in each kernel's run, so the schedules
 *    line up); a retransmission (baseline_is_retrans(), the definition the
 *    baseline uses) is red and labelled with its time since the first
 *    transmission; a segment a firewall dropped ends in an X short of its
 *    receiver.  Gridlines at round times cross every lane.
 */
#include "compare.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "baseline.h"
#include "rule.h"
#include "util.h"

/* SVG geometry, in px */
#define CH_W 760
#define CH_LEFT 170          /* the lanes' labels */
#define CH_RIGHT 24
#define CH_TOP 8
#define CH_LANE 92           /* one kernel's lane */
#define CH_GAP 20            /* between a lane's two lifelines: 40 */
#define CH_AXIS 34           /* the time axis under the lanes */
#define CH_MAX_EVENTS 64     /* arrows per lane */
#define CH_MATCH_NS (100 * NS_PER_MS)

static const char style[] =
	"<style>"
	".compare table{border-collapse:collapse;margin:0.5em 0}"
	".compare td,.compare th{border:1px solid #ccc;padding:2px 6px;"
	"vertical-align:top;text-align:left}"
	".compare td.pass{background:#e6f4ea}"
	".compare td.fail{background:#fce8e6}"
	".compare td.skip,.compare td.none{background:#f1f3f4}"
	".compare td.drift{font-weight:bold;outline:2px solid #c5221f;"
	"outline-offset:-2px}"
	".compare td.val{font-family:monospace;font-size:90%}"
	".compare figure{margin:0.5em 0}"
	".compare figcaption{font-size:90%;color:#444}"
	".compare svg text{font-family:sans-serif;font-size:11px}"
	".compare svg text.lane{font-weight:bold}"
	".compare svg line.grid{stroke:#ddd}"
	".compare svg line.life{stroke:#555}"
	".compare svg line.sent{stroke:#1a73e8;stroke-width:1.5}"
	".compare svg line.rtx{stroke:#c5221f;stroke-width:2}"
	".compare svg line.recv{stroke:#188038;stroke-width:1.5}"
	".compare svg path.drop{stroke:#c5221f;stroke-width:1.5;fill:none}"
	".compare svg text.rtx{fill:#c5221f;font-size:10px}"
	"@media print{.compare section.differs{break-inside:avoid-page}}"
	"</style>\n";

/**
 * esc() - util_xml_esc() shorthand
 * @f:		where to
 * @s:		text
 */
static void esc(FILE *f, const char *s)
{
	util_xml_esc(f, s);
}

/**
 * id_esc() - @s as an id or a fragment: letters, digits, '-', '_', '.';
 * anything else '-'
 * @f:		where to
 * @s:		text
 */
static void id_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		fputc((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("-_.", ch) ? ch : '-', f);
	}
}

/**
 * first_of() - the first run (in the comparison's order) of scenario
 * @name, or SIZE_MAX
 * @c:		comparison
 * @name:	scenario name
 *
 * Return: its index
 */
static size_t first_of(const struct compare *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nruns; i++)
		if (!strcmp(c->runs[i].name, name))
			return i;
	return SIZE_MAX;
}

/**
 * scen_drift() - how many drift rows scenario @name has
 * @c:		comparison
 * @name:	scenario name
 *
 * Return: the count
 */
static int scen_drift(const struct compare *c, const char *name)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nruns; i++)
		if (!strcmp(c->runs[i].name, name))
			n += c->runs[i].ndrift;
	return n;
}

/**
 * cell() - one matrix cell: the tally of @name's verdicts on kernel @k
 * @f:		where to
 * @c:		comparison
 * @name:	scenario name
 * @k:		kernel
 * @drift:	the scenario differs in behaviour
 */
static void cell(FILE *f, const struct compare *c, const char *name, int k,
		 int drift)
{
	int n[RES_ERROR + 1] = { 0 }, none = 0, v, first = 1;
	const char *cls;
	size_t i;

	for (i = 0; i < c->nruns; i++) {
		if (strcmp(c->runs[i].name, name))
			continue;
		v = c->runs[i].verdict[k];
		if (v < 0 || v > RES_ERROR)
			none++;
		else
			n[v]++;
	}
	if (n[RES_FAIL] || n[RES_XPASS] || n[RES_ERROR])
		cls = "fail";
	else if (n[RES_PASS] || n[RES_XFAIL])
		cls = "pass";
	else if (n[RES_SKIP])
		cls = "skip";
	else
		cls = "none";
	fprintf(f, "<td class=\"%s%s\">", cls, drift ? " drift" : "");
	for (v = 0; v <= RES_ERROR; v++)
		if (n[v]) {
			fprintf(f, "%s%d %s", first ? "" : ", ", n[v],
				res_verdict_name((enum res_verdict)v));
			first = 0;
		}
	if (none)
		fprintf(f, "%s%d not run", first ? "" : ", ", none);
	fputs("</td>", f);
}

/**
 * aspects() - the aspects in which scenario @name differs, once each
 * ("client retransmissions, verdict")
 * @f:		where to
 * @c:		comparison
 * @name:	scenario name
 */
static void aspects(FILE *f, const struct compare *c, const char *name)
{
	size_t i, j;
	int first = 1;

	for (i = 0; i < c->nrows; i++) {
		const struct compare_row *row = &c->rows[i];

		if (!row->drift || strcmp(c->runs[row->run_index].name, name))
			continue;
		for (j = 0; j < i; j++)
			if (c->rows[j].drift &&
			    !strcmp(c->runs[c->rows[j].run_index].name, name) &&
			    !strcmp(c->rows[j].aspect, row->aspect))
				break;
		if (j < i)
			continue;
		if (!first)
			fputs(", ", f);
		esc(f, row->aspect);
		first = 0;
	}
}

/**
 * rows_table() - the rows of scenario @name with drift flag @drift, those
 * that say the same in several runs as one line naming the runs
 * @f:		where to
 * @c:		comparison
 * @name:	scenario name
 * @drift:	1 the differences, 0 the notes
 */
static void rows_table(FILE *f, const struct compare *c, const char *name,
		       int drift)
{
	size_t i, j;
	int k;

	fprintf(f, "<table class=\"%s\"><tr><th>aspect</th><th>runs</th>",
		drift ? "rows" : "notes");
	for (k = 0; k < c->nk; k++)
		fprintf(f, "<th>%c</th>", 'A' + k);
	fputs("</tr>\n", f);
	for (i = 0; i < c->nrows; i++) {
		const struct compare_row *row = &c->rows[i];
		int first = 1;

		if (row->drift != drift || strcmp(c->runs[row->run_index].name, name))
			continue;
		for (j = 0; j < i && !(compare_rows_same(c, &c->rows[j], row) &&
				       !strcmp(c->runs[c->rows[j].run_index].name, name));
		     j++)
			;
		if (j < i)
			continue; /* told with its first run */
		fputs("<tr><td>", f);
		esc(f, row->aspect);
		fputs("</td><td>", f);
		for (j = i; j < c->nrows; j++) {
			const struct compare_run *cr = &c->runs[c->rows[j].run_index];
			char id[48];

			if (strcmp(cr->name, name) || !compare_rows_same(c, &c->rows[j], row))
				continue;
			snprintf(id, sizeof(id), "IPv%d %s", cr->family, cr->firewall);
			fputs(first ? "" : ", ", f);
			esc(f, id);
			first = 0;
		}
		fputs("</td>", f);
		for (k = 0; k < c->nk; k++) {
			fputs("<td class=\"val\">", f);
			esc(f, row->values[k]);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
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

/**
 * origin() - the time of @node's first transmission in @run
 * @run:	the run
 * @node:	node index
 * @t0:		output
 *
 * Return: 1 if it sent anything
 */
static int origin(const struct result *run, int node, uint64_t *t0)
{
	size_t i;
	int found = 0;

	for (i = 0; i < run->tl.n; i++) {
		const struct tl_event *ev = &run->tl.v[i];

		if (is_sent(ev) && ev->node == node && (!found || ev->t_ns < *t0)) {
			*t0 = ev->t_ns;
			found = 1;
		}
	}
	return found;
}

/**
 * drawn() - is timeline event @ev one of the lane's arrows: a segment
 * @node sent or received, at or after @t0
 * @ev:		event
 * @node:	node index
 * @t0:		the lane's time 0
 *
 * Return: 1 if so
 */
static int drawn(const struct tl_event *ev, int node, uint64_t t0)
{
	if (ev->t_ns < t0)
		return 0;
	if (ev->kind == TL_PACKET)
		return ev->node == node || ev->peer == node;
	return ev->kind == TL_DROP && ev->hook == RULE_OUTPUT && ev->node == node;
}

/**
 * dropped_at_input() - did a firewall drop captured packet @ev at its
 * receiver (a TL_DROP on an input hook for the same segment, within
 * CH_MATCH_NS)?
 * @run:	the run
 * @ev:		a TL_PACKET
 *
 * Return: 1 if so
 */
static int dropped_at_input(const struct result *run, const struct tl_event *ev)
{
	size_t i;

	for (i = 0; i < run->tl.n; i++) {
		const struct tl_event *d = &run->tl.v[i];
		uint64_t dt;

		if (d->kind != TL_DROP || d->hook != RULE_INPUT)
			continue;
		dt = d->t_ns > ev->t_ns ? d->t_ns - ev->t_ns : ev->t_ns - d->t_ns;
		if (dt <= CH_MATCH_NS && d->pkt.seq == ev->pkt.seq &&
		    d->pkt.flags == ev->pkt.flags && d->pkt.len == ev->pkt.len &&
		    diag_addr_eq(&d->pkt.src, &ev->pkt.src) &&
		    diag_addr_eq(&d->pkt.dst, &ev->pkt.dst))
			return 1;
	}
	return 0;
}

/**
 * nice_step() - a round gridline step (1, 2 or 5 times a power of ten ns)
 * giving at most 8 steps over @span
 * @span:	the axis' length, ns
 *
 * Return: the step, ns
 */
static uint64_t nice_step(uint64_t span)
{
	static const uint64_t m[] = { 1, 2, 5 };
	uint64_t p = 1000; /* 1 us */

	for (;;) {
		for (int i = 0; i < 3; i++)
			if (span / (m[i] * p) <= 8)
				return m[i] * p;
		p *= 10;
	}
}

/**
 * tick_label() - "0", "500ms", "1s", "1.5s" for gridline time @ns
 * @ns:		time
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *tick_label(uint64_t ns, char *buf, size_t len)
{
	if (!ns)
		snprintf(buf, len, "0");
	else if (ns % NS_PER_S == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / NS_PER_S));
	else if (ns >= NS_PER_S)
		snprintf(buf, len, "%.1fs", (double)ns / NS_PER_S);
	else if (ns % NS_PER_MS == 0)
		snprintf(buf, len, "%llums", (unsigned long long)(ns / NS_PER_MS));
	else
		snprintf(buf, len, "%lluus", (unsigned long long)(ns / 1000));
	return buf;
}

/**
 * ladders() - node @node's segments in run @cr, one lane per kernel, on
 * one time axis
 * @f:		where to
 * @c:		comparison
 * @r:		the results, one per kernel
 * @cr:		the run
 * @node:	node name
 */
static void ladders(FILE *f, const struct compare *c, const struct results *r,
		    const struct compare_run *cr, const char *node)
{
	const struct result *run[COMPARE_MAX_KERNELS];
	uint64_t t0[COMPARE_MAX_KERNELS], span = 0, step, t;
	int ni[COMPARE_MAX_KERNELS], k, lanes = 0, h, pw = CH_W - CH_LEFT - CH_RIGHT;
	char buf[64];

	for (k = 0; k < c->nk; k++) {
		size_t i;
		int n = 0;

		run[k] = results_find(&r[k], cr->name, cr->family, cr->firewall);
		ni[k] = run[k] ? result_node_index(run[k], node) : -1;
		if (ni[k] < 0 || !origin(run[k], ni[k], &t0[k])) {
			run[k] = NULL;
			continue;
		}
		lanes++;
		for (i = 0; i < run[k]->tl.n && n < CH_MAX_EVENTS; i++) {
			const struct tl_event *ev = &run[k]->tl.v[i];

			if (!drawn(ev, ni[k], t0[k]))
				continue;
			n++;
			if (ev->t_ns - t0[k] > span)
				span = ev->t_ns - t0[k];
		}
	}
	if (!lanes)
		return;
	step = nice_step(span ? span : NS_PER_MS);
	span = (span / step + 1) * step;
	h = CH_TOP + c->nk * CH_LANE + CH_AXIS;
	fprintf(f, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
		"class=\"ladders\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"role=\"img\" data-run=\"", CH_W, h, CH_W, h);
	esc(f, cr->name);
	fprintf(f, " IPv%d %s\" data-node=\"", cr->family, cr->firewall);
	esc(f, node);
	fputs("\">\n", f);
	/* gridlines and the axis across every lane */
	for (t = 0; t <= span; t += step) {
		int x = CH_LEFT + (int)((double)t / (double)span * pw);

		fprintf(f, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			"y2=\"%d\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
			"</text>\n", x, CH_TOP, x, h - CH_AXIS + 6, x, h - CH_AXIS + 20,
			tick_label(t, buf, sizeof(buf)));
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">time since "
		"%s's first segment</text>\n", CH_W - CH_RIGHT, h - 2, node);
	for (k = 0; k < c->nk; k++) {
		int y = CH_TOP + k * CH_LANE, ya = y + 30, yb = ya + 2 * CH_GAP;
		int n = 0, lastx = -1000;
		const char *peer = "peer";
		size_t i;

		fprintf(f, "<g class=\"lane\" data-kernel=\"%c\">"
			"<text class=\"lane\" x=\"4\" y=\"%d\">%c: ", 'A' + k, y + 14,
			'A' + k);
		snprintf(buf, sizeof(buf), "%.24s", c->label[k]);
		esc(f, buf);
		fputs("</text>\n", f);
		if (!run[k]) {
			fprintf(f, "<text x=\"%d\" y=\"%d\">(not run, or %s sent "
				"nothing)</text></g>\n", CH_LEFT, ya + CH_GAP, node);
			continue;
		}
		for (i = 0; i < run[k]->tl.n; i++) {
			const struct tl_event *ev = &run[k]->tl.v[i];

			if (drawn(ev, ni[k], t0[k]) && ev->kind == TL_PACKET &&
			    ev->node == ni[k] && ev->peer >= 0 && ev->peer < 4) {
				peer = run[k]->nodes[ev->peer];
				break;
			}
		}
		fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			"y2=\"%d\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
			CH_LEFT, ya, CH_W - CH_RIGHT, ya, CH_LEFT - 6, ya + 4);
		esc(f, node);
		fprintf(f, "</text><line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			"y2=\"%d\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
			CH_LEFT, yb, CH_W - CH_RIGHT, yb, CH_LEFT - 6, yb + 4);
		esc(f, peer);
		fputs("</text>\n", f);
		for (i = 0; i < run[k]->tl.n && n < CH_MAX_EVENTS; i++) {
			const struct tl_event *ev = &run[k]->tl.v[i];
			uint64_t since = 0;
			int x, out, rtx, drop, y1, y2;

			if (!drawn(ev, ni[k], t0[k]))
				continue;
			n++;
			x = CH_LEFT + (int)((double)(ev->t_ns - t0[k]) / (double)span * pw);
			out = ev->node == ni[k];
			rtx = out && baseline_is_retrans(run[k], i, &since);
			drop = ev->kind == TL_DROP || dropped_at_input(run[k], ev);
			y1 = out ? ya : yb;
			y2 = out ? yb : ya;
			if (drop) /* dies short of its receiver */
				y2 = y1 + (y2 - y1) * 2 / 3;
			fprintf(f, "<line class=\"%s\" data-t-us=\"%llu\" x1=\"%d\" "
				"y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", rtx ? "rtx" : out ?
				"sent" : "recv",
				(unsigned long long)((ev->t_ns - t0[k]) / 1000), x, y1,
				x + 4, y2);
			if (drop)
				fprintf(f, "<path class=\"drop\" d=\"M%d %d l6 6 m0 -6 "
					"l-6 6\"/>", x + 1, y2 - 3);
			if (rtx && x - lastx >= 34) {
				fprintf(f, "<text class=\"rtx\" x=\"%d\" y=\"%d\" "
					"text-anchor=\"middle\">%s</text>", x, ya - 5,
					util_fmt_duration(since, buf, sizeof(buf)));
				lastx = x;
			}
			fputc('\n', f);
		}
		fputs("</g>\n", f);
	}
	fputs("</svg><figcaption>", f);
	esc(f, node);
	fputs("'s segments in ", f);
	esc(f, cr->name);
	fprintf(f, " IPv%d %s on each kernel, on one time axis: blue sent, red "
		"retransmitted (time since the first transmission), green "
		"received, X dropped by the scenario's firewall.</figcaption>"
		"</figure>\n", cr->family, cr->firewall);
}

/**
 * drawings() - for scenario @name, the ladders of each node whose
 * retransmission schedule differs, from the first run that shows it
 * @f:		where to
 * @c:		comparison
 * @r:		the results
 * @name:	scenario name
 */
static void drawings(FILE *f, const struct compare *c, const struct results *r,
		     const char *name)
{
	static const char suffix[] = " retransmissions";
	size_t i, j, n;

	for (i = 0; i < c->nrows; i++) {
		const struct compare_row *row = &c->rows[i];
		char node[128];

		n = strlen(row->aspect);
		if (!row->drift || strcmp(c->runs[row->run_index].name, name) ||
		    n <= sizeof(suffix) - 1 ||
		    strcmp(row->aspect + n - (sizeof(suffix) - 1), suffix))
			continue;
		for (j = 0; j < i; j++)
			if (c->rows[j].drift && !strcmp(c->rows[j].aspect, row->aspect) &&
			    !strcmp(c->runs[c->rows[j].run_index].name, name))
				break;
		if (j < i)
			continue; /* drawn from its first run */
		snprintf(node, sizeof(node), "%.*s", (int)(n - (sizeof(suffix) - 1)),
			 row->aspect);
		ladders(f, c, r, &c->runs[row->run_index], node);
	}
}

void compare_html(FILE *f, const struct compare *c, const struct results *r)
{
	size_t i, j, nd = 0, nscen = 0;
	int k;

	fputs("<section class=\"compare\" id=\"kernels\"><h2>Kernels compared</h2>\n", f);
	fputs(style, f);
	fputs("<table class=\"kernels\"><tr><th></th><th>kernel</th>", f);
	if (r)
		fputs("<th>machine</th><th>date</th><th>slowness</th>", f);
	fputs("</tr>\n", f);
	for (k = 0; k < c->nk; k++) {
		fprintf(f, "<tr><th>%c</th><td>", 'A' + k);
		esc(f, c->label[k]);
		fputs("</td>", f);
		if (r) {
			double slow = 1;

			for (i = 0; i < r[k].nruns; i++)
				if (r[k].runs[i].slow > slow)
					slow = r[k].runs[i].slow;
			fputs("<td>", f);
			esc(f, r[k].machine);
			fputs("</td><td>", f);
			esc(f, r[k].date);
			fprintf(f, "</td><td>%.1f</td>", slow);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<table class=\"matrix\" id=\"matrix\"><tr><th>scenario</th>", f);
	for (k = 0; k < c->nk; k++)
		fprintf(f, "<th>%c</th>", 'A' + k);
	fputs("<th>differs in</th></tr>\n", f);
	for (i = 0; i < c->nruns; i++) {
		const char *name = c->runs[i].name;
		int drift;

		if (first_of(c, name) != i)
			continue;
		nscen++;
		drift = scen_drift(c, name) > 0;
		nd += drift;
		fputs("<tr data-scenario=\"", f);
		esc(f, name);
		fputs("\"><td>", f);
		if (drift) {
			fputs("<a href=\"#cmp-", f);
			id_esc(f, name);
			fputs("\">", f);
			esc(f, name);
			fputs("</a>", f);
		} else {
			esc(f, name);
		}
		fputs("</td>", f);
		for (k = 0; k < c->nk; k++)
			cell(f, c, name, k, drift);
		fputs("<td>", f);
		if (drift)
			aspects(f, c, name);
		else
			fputs("the same", f);
		fputs("</td></tr>\n", f);
	}
	fprintf(f, "</table>\n<p class=\"summary\">%zu of %zu scenario%s differ "
		"in behaviour (%zu difference%s, %zu note%s).</p>\n", nd, nscen,
		nscen == 1 ? "" : "s", compare_drift(c),
		compare_drift(c) == 1 ? "" : "s", c->nrows - compare_drift(c),
		c->nrows - compare_drift(c) == 1 ? "" : "s");
	for (i = 0; i < c->nruns; i++) {
		const char *name = c->runs[i].name;
		size_t notes = 0;

		if (first_of(c, name) != i || !scen_drift(c, name))
			continue;
		fputs("<section class=\"differs\" id=\"cmp-", f);
		id_esc(f, name);
		fputs("\"><h3>", f);
		esc(f, name);
		fputs("</h3>\n", f);
		if (r)
			drawings(f, c, r, name);
		rows_table(f, c, name, 1);
		for (j = 0; j < c->nrows; j++)
			notes += !c->rows[j].drift &&
				 !strcmp(c->runs[c->rows[j].run_index].name, name);
		if (notes) {
			fprintf(f, "<details><summary>%zu note%s: what differs without "
				"being drift</summary>\n", notes, notes == 1 ? "" : "s");
			rows_table(f, c, name, 0);
			fputs("</details>\n", f);
		}
		fputs("</section>\n", f);
	}
	fputs("</section>\n", f);
}

int compare_page(FILE *f, const struct compare *c, const struct results *r)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
		"<meta name=\"viewport\" content=\"width=device-width\"/>"
		"<title>tcplab: %d kernels compared</title>"
		"<style>body{font-family:sans-serif;max-width:64em;margin:1em auto;"
		"padding:0 1em}</style></head>\n<body><h1>tcplab: %d kernels "
		"compared</h1>\n<p>Per scenario, what each kernel did: verdicts, "
		"expectations, errors, confirmed states, retransmission schedules "
		"(within the tolerance model) and SYN shapes. A cell marked with a "
		"red frame differs in behaviour; the notes (states seen only by "
		"sampling, counters) are not drift.</p>\n", c->nk, c->nk);
	compare_html(f, c, r);
	fputs("</body></html>\n", f);
	return ferror(f) ? -EIO : 0;
}
