/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report_int.h - inside the classroom report: the section walker's
 * emitter interface and the facts its emitters share (pure)
 *
 * Theory of operation: report.c walks the results once, in the order the
 * document reads - head, index, coverage, then each run's sections - and
 * decides what each section holds (which lists are empty, where a rule or
 * an expectation is written, the socket tables, the anchors).  An emitter
 * (report_html.c, report_md.c) only turns each piece into markup; it never
 * walks the results itself.  Every piece of text from the results goes
 * through the emitter's esc(): util_xml_esc() for HTML and SVG, an escaper
 * of Markdown's own for Markdown.
 */
#ifndef TCPLAB_REPORT_INT_H
#define TCPLAB_REPORT_INT_H

#include <stdint.h>
#include <stdio.h>

#include "results.h"

/* The lists of a run's section, in the order they are written */
enum report_list {
	REPORT_RULES,
	REPORT_SYSCTLS,
	REPORT_EXPECTS,
	REPORT_COUNTERS,
	REPORT_NLISTS,
};

/**
 * struct report_emit - one output format
 * @esc:	write text from the results, escaped
 * @heading:	a run's subsection heading (constant text)
 * @para:	a paragraph of constant text
 * @list_head:	what starts each list when it is not empty
 * @list_tail:	what ends it
 * @doc_begin:	the title, the machine, and the start of the index
 * @index_row:	one run in the index
 * @cover_begin: the end of the index, the start of the coverage matrix
 * @cover_row:	one scenario's states (bits 1 << enum diag_state)
 * @cover_end:	the states all scenarios reached, the end of the matrix
 * @run_begin:	a run's heading and its facts line
 * @reason:	why it failed or was skipped
 * @teaches:	what it teaches
 * @rule:	one firewall rule
 * @sysctl:	one sysctl
 * @ladder:	the diagram of what happened between the first two nodes
 * @expect:	one expectation (@i from 0), @table its socket table or NULL
 * @counter:	one counter that moved
 * @captures_head: what starts the captures line
 * @capture:	one node's capture (@i from 0)
 * @run_tail:	what ends a run's section, after the packets seen
 * @doc_end:	the end of the document
 */
struct report_emit {
	void (*esc)(FILE *f, const char *s);
	void (*heading)(FILE *f, const char *title);
	void (*para)(FILE *f, const char *text);
	const char *list_head[REPORT_NLISTS];
	const char *list_tail[REPORT_NLISTS];
	void (*doc_begin)(FILE *f, const struct results *r, const char *backends);
	void (*index_row)(FILE *f, const struct result *run, const char *id);
	void (*cover_begin)(FILE *f);
	void (*cover_row)(FILE *f, const char *name, const char *id,
			  uint32_t seen, uint32_t confirmed);
	void (*cover_end)(FILE *f, uint32_t all);
	void (*run_begin)(FILE *f, const struct result *run, const char *id,
			  const char *durations);
	void (*reason)(FILE *f, const char *text);
	void (*teaches)(FILE *f, const char *text);
	void (*rule)(FILE *f, const struct res_rule *rule, const char *where);
	void (*sysctl)(FILE *f, const struct res_kv *kv);
	int (*ladder)(FILE *f, const struct result *run);
	void (*expect)(FILE *f, size_t i, const struct res_expect *x,
		       const char *where, const char *at, const char *table);
	void (*counter)(FILE *f, const struct res_counter *c);
	const char *captures_head;
	void (*capture)(FILE *f, size_t i, const char *node, const char *path);
	const char *run_tail;
	void (*doc_end)(FILE *f, const struct results *r);
};

extern const struct report_emit report_emit_html, report_emit_md;

/* The eleven states of the coverage matrix, in the order of a lifetime */
struct report_state {
	int state;        /* enum diag_state */
	const char *name;
};
extern const struct report_state report_states[11];

/* report_walk() - write @r with emitter @e; 0, -ENOMEM or -EIO */
int report_walk(FILE *f, const struct results *r, const struct report_emit *e);

/* report_state_label() - "CLOSED" for DIAG_CLOSE, diag_state_name() else */
const char *report_state_label(int st);

/* report_base_name() - the last component of a path */
const char *report_base_name(const char *path);

/* report_fmt_t() - a time since t0: "0.041 ms", "1025.375 ms", "7.001 s" */
const char *report_fmt_t(int64_t ns, char *buf, size_t len);

/* report_fmt_gap() - the length of a silence: "250 ms", "1.024 s" */
const char *report_fmt_gap(uint64_t ns, char *buf, size_t len);

/*
 * report_svg_ladder() - the ladder between nodes @ln and @rn of @run as an
 * inline SVG figure (report_svg.c); 0 or -ENOMEM
 */
int report_svg_ladder(FILE *f, const struct result *run, int ln, int rn);

#endif
