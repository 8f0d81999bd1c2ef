// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_fsm.c - the TCP state diagram as inline SVG (see report_int.h)
 *
 * Theory of operation: the figure of RFC 9293 (tcpfsm_edges[]) drawn at
 * fixed places, the way the RFC lays it out - CLOSED on top, LISTEN under
 * it, SYN-RECEIVED and SYN-SENT on either side, ESTABLISHED in the middle,
 * the active close down the left, the passive close down the right,
 * TIME-WAIT and a second CLOSED at the bottom.  Each transition is a
 * quadratic curve from box to box (two transitions between the same boxes
 * bend apart), with its event over its action at the middle, as in the
 * RFC.  The view says per edge which nodes took it (bits): an edge nobody
 * took is dimmed; in the large diagram a taken edge is lit and links to
 * the first scenario that took it, in a scenario's small diagram it takes
 * the colour of the node that took it (both colours, dashed over each
 * other, when both did).  The same goes for the boxes.
 */
#include <math.h>
#include <string.h>

#include "report_int.h"
#include "sock.h"
#include "tcpfsm.h"
#include "util.h"

#define FSM_W 800
#define FSM_H 700
#define FSM_BW 136 /* box */
#define FSM_BH 34

/* Box centres; the bottom CLOSED is FSM_CLOSED_END */
#define FSM_CLOSED_END DIAG_STATE_MAX
static const struct {
	int x, y;
} fsm_box[DIAG_STATE_MAX + 1] = {
	[DIAG_CLOSE] = { 400, 40 },	    [DIAG_LISTEN] = { 400, 150 },
	[DIAG_SYN_RECV] = { 130, 255 },	    [DIAG_SYN_SENT] = { 670, 255 },
	[DIAG_ESTABLISHED] = { 400, 355 },  [DIAG_FIN_WAIT1] = { 130, 455 },
	[DIAG_CLOSING] = { 400, 455 },	    [DIAG_CLOSE_WAIT] = { 670, 455 },
	[DIAG_FIN_WAIT2] = { 130, 560 },    [DIAG_LAST_ACK] = { 670, 560 },
	[DIAG_TIME_WAIT] = { 400, 655 },    [FSM_CLOSED_END] = { 670, 655 },
};

/* Per edge: how far its middle bends off the straight line (px, to the
 * right of its direction) and where its label goes from that middle */
static const struct {
	int bend, lx, ly;
	const char *anchor;
} fsm_draw[TCPFSM_NEDGES] = {
	{ 34, -62, 2, "end" },	    /* CLOSED -> LISTEN */
	{ -40, 38, -6, "start" },   /* CLOSED -> SYN-SENT */
	{ 34, 40, 22, "start" },   /* LISTEN -> CLOSED */
	{ -26, -70, -16, "end" },   /* LISTEN -> SYN-RECEIVED */
	{ 26, 30, 26, "middle" },  /* LISTEN -> SYN-SENT */
	{ -50, 6, 8, "start" },    /* SYN-SENT -> CLOSED */
	{ 0, 0, -2, "middle" },	    /* SYN-SENT -> SYN-RECEIVED */
	{ 0, 54, 6, "start" },	    /* SYN-SENT -> ESTABLISHED */
	{ 0, -54, 6, "end" },	    /* SYN-RECEIVED -> ESTABLISHED */
	{ 0, -8, 0, "end" },	    /* SYN-RECEIVED -> FIN-WAIT-1 */
	{ 0, -40, -10, "end" },	    /* ESTABLISHED -> FIN-WAIT-1 */
	{ 0, 40, -10, "start" },    /* ESTABLISHED -> CLOSE-WAIT */
	{ 0, 8, 0, "start" },	    /* FIN-WAIT-1 -> FIN-WAIT-2 */
	{ 0, 0, -8, "middle" },	    /* FIN-WAIT-1 -> CLOSING */
	{ 0, -30, 14, "end" },	    /* FIN-WAIT-2 -> TIME-WAIT */
	{ 0, 8, 0, "start" },	    /* CLOSING -> TIME-WAIT */
	{ 0, 8, 0, "start" },	    /* CLOSE-WAIT -> LAST-ACK */
	{ 0, 8, 0, "start" },	    /* LAST-ACK -> CLOSED */
	{ 0, 0, -8, "middle" },	    /* TIME-WAIT -> CLOSED */
	{ -26, 4, 34, "start" },    /* SYN-RECEIVED -> LISTEN */
};

/**
 * box_of() - the box an edge leaves or enters: the bottom CLOSED for the
 * ends of a connection, the top one otherwise
 * @st:		enum diag_state
 * @from:	the state the edge leaves
 *
 * Return: an index into fsm_box[]
 */
static int box_of(int st, int from)
{
	if (st == DIAG_CLOSE && (from == DIAG_LAST_ACK || from == DIAG_TIME_WAIT))
		return FSM_CLOSED_END;
	return st;
}

/**
 * clip() - where the line from the centre of box @b towards (@tx, @ty)
 * leaves the box
 * @b:		box
 * @tx:		x of the point aimed at
 * @ty:		its y
 * @x:		output
 * @y:		output
 */
static void clip(int b, double tx, double ty, double *x, double *y)
{
	double cx = fsm_box[b].x, cy = fsm_box[b].y;
	double dx = tx - cx, dy = ty - cy, t = 1e9;

	if (fabs(dx) > 1e-6)
		t = (FSM_BW / 2.0 + 3) / fabs(dx);
	if (fabs(dy) > 1e-6 && (FSM_BH / 2.0 + 3) / fabs(dy) < t)
		t = (FSM_BH / 2.0 + 3) / fabs(dy);
	*x = cx + dx * t;
	*y = cy + dy * t;
}

/**
 * edge_path() - the curve of edge @i and the middle of it
 * @f:		where to
 * @i:		edge
 * @cls:	its class
 * @dash:	a dash pattern offset for a second colour, or NULL
 * @mx:		the curve's middle, output
 * @my:		output
 */
static void edge_path(FILE *f, int i, const char *cls, double *mx, double *my)
{
	const struct tcpfsm_edge *e = &tcpfsm_edges[i];
	int a = box_of(e->from, -1), b = box_of(e->to, e->from);
	double ax = fsm_box[a].x, ay = fsm_box[a].y;
	double bx = fsm_box[b].x, by = fsm_box[b].y;
	double dx = bx - ax, dy = by - ay, len = sqrt(dx * dx + dy * dy);
	double cx = (ax + bx) / 2 - dy / len * fsm_draw[i].bend;
	double cy = (ay + by) / 2 + dx / len * fsm_draw[i].bend;
	double x1, y1, x2, y2, ux, uy, ul;

	clip(a, cx, cy, &x1, &y1);
	clip(b, cx, cy, &x2, &y2);
	*mx = 0.25 * x1 + 0.5 * cx + 0.25 * x2;
	*my = 0.25 * y1 + 0.5 * cy + 0.25 * y2;
	/* the line stops at the arrowhead's base */
	ux = x2 - cx;
	uy = y2 - cy;
	ul = sqrt(ux * ux + uy * uy);
	ux /= ul;
	uy /= ul;
	fprintf(f, "<path class=\"%s\" d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\"/>",
		cls, x1, y1, cx, cy, x2 - ux * 8, y2 - uy * 8);
	fprintf(f, "<path class=\"%s h\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fz\"/>",
		cls, x2, y2, x2 - ux * 10 - uy * 4.5, y2 - uy * 10 + ux * 4.5,
		x2 - ux * 10 + uy * 4.5, y2 - uy * 10 - ux * 4.5);
}

/**
 * edge_label() - the event over the action, as on the RFC's figure
 * @f:		where to
 * @i:		edge
 * @mx:		the curve's middle
 * @my:		its y
 */
static void edge_label(FILE *f, int i, double mx, double my)
{
	double x = mx + fsm_draw[i].lx, y = my + fsm_draw[i].ly;

	fprintf(f, "<text class=\"ev\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
		x, y - 3, fsm_draw[i].anchor);
	util_xml_esc(f, tcpfsm_edges[i].event);
	fprintf(f, "</text><text class=\"ac\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
		x, y + 10, fsm_draw[i].anchor);
	util_xml_esc(f, tcpfsm_edges[i].action);
	fputs("</text>", f);
}

/**
 * node_class() - the class of what nodes @bits took: "dim", "n0", "n1",
 * "n01" (0 the first node, 1 any other)
 * @bits:	bit (1 << node)
 *
 * Return: the class
 */
static const char *node_class(uint32_t bits)
{
	int first = bits & 1, other = (bits & ~1u) != 0;

	return first && other ? "n01" : first ? "n0" : other ? "n1" : "dim";
}

void report_svg_fsm(FILE *f, const struct report_fsm_view *v)
{
	uint32_t box[DIAG_STATE_MAX + 1] = { 0 };
	int i, k;
	double mx, my;

	for (i = 0; i < TCPFSM_NEDGES; i++) {
		const struct tcpfsm_edge *e = &tcpfsm_edges[i];

		box[box_of(e->from, -1)] |= v->edge[i];
		box[box_of(e->to, e->from)] |= v->edge[i];
	}
	for (i = 0; i <= DIAG_STATE_MAX; i++)
		box[i] |= v->state[i];
	fprintf(f, "<svg class=\"fsm%s\" xmlns=\"http://www.w3.org/2000/svg\" "
		   "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		   "aria-label=\"TCP state diagram (RFC 9293)\">\n",
		v->small ? " small" : "", FSM_W, FSM_H, FSM_W, FSM_H);
	for (i = 0; i < TCPFSM_NEDGES; i++) {
		const char *cls = v->small ? node_class(v->edge[i])
					   : v->edge[i] ? "lit" : "dim";
		char c[32];

		fprintf(f, "<g class=\"edge %s\" data-edge=\"%d\" data-from=\"%s\" "
			   "data-to=\"%s\">", cls, i,
			report_state_label(tcpfsm_edges[i].from),
			report_state_label(tcpfsm_edges[i].to));
		if (v->href && v->href[i])
			fprintf(f, "<a href=\"#%s\">", v->href[i]);
		if (v->title && v->title[i]) {
			fputs("<title>", f);
			util_xml_esc(f, v->title[i]);
			fputs("</title>", f);
		}
		snprintf(c, sizeof(c), "e");
		edge_path(f, i, c, &mx, &my);
		edge_label(f, i, mx, my);
		if (v->href && v->href[i])
			fputs("</a>", f);
		fputs("</g>\n", f);
	}
	for (k = 0; k <= DIAG_STATE_MAX; k++) {
		int st = k == FSM_CLOSED_END ? DIAG_CLOSE : k;

		if (!fsm_box[k].x)
			continue;
		fprintf(f, "<g class=\"st %s\" data-state=\"%s\"><rect x=\"%d\" y=\"%d\" "
			   "width=\"%d\" height=\"%d\" rx=\"5\"/><text x=\"%d\" y=\"%d\" "
			   "text-anchor=\"middle\">%s</text></g>\n",
			v->small ? node_class(box[k]) : box[k] ? "lit" : "dim",
			report_state_label(st), fsm_box[k].x - FSM_BW / 2,
			fsm_box[k].y - FSM_BH / 2, FSM_BW, FSM_BH, fsm_box[k].x,
			fsm_box[k].y + 5, report_state_label(st));
	}
	fputs("</svg>\n", f);
}
