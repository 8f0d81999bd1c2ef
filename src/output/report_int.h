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
#include "sock.h"
#include "tcpfsm.h"

/* The lists of a run's section, in the order they are written */
enum report_list {
	REPORT_RULES,
	REPORT_SYSCTLS,
	REPORT_EXPECTS,
	REPORT_COUNTERS,
	REPORT_NLISTS,
};

/* One scenario: its runs (families, backends) folded into one section */
struct report_scen {
	const struct result *run[8]; /* the first is the one drawn */
	int nrun;
	struct tcpfsm_trace tr[8];   /* the path of each run's sockets */
	int group, rank;
	char id[160];                /* its anchor */
	int differs;                 /* a run took another path than the first */
	char note[768];              /* what differed between the runs, or "" */
};

/**
 * struct report_fsm_view - what one state diagram shows
 * @edge:	per edge of tcpfsm_edges[], bit (1 << node) for each node that
 *		took it (the large diagram: non-zero when any run did)
 * @state:	per state, the same for the states
 * @href:	per edge, the anchor it links to, or NULL (or @href NULL)
 * @title:	per edge, a tooltip, or NULL
 * @small:	a scenario's small diagram (nodes in colours)
 */
struct report_fsm_view {
	uint32_t edge[TCPFSM_NEDGES];
	uint32_t state[DIAG_STATE_MAX + 1];
	const char *const *href;
	const char *const *title;
	int small;
};

/**
 * struct report_emit - one output format
 * @esc:	write text from the results, escaped
 * @heading:	a scenario's subsection heading (constant text)
 * @para:	a paragraph of constant text
 * @list_head:	what starts each list when it is not empty
 * @list_tail:	what ends it
 * @doc_begin:	the title and the machine
 * @machine:	the state diagram of every scenario, its legend of names
 * @index_begin: the start of the index
 * @index_row:	one scenario in the index (@group: its chapter, when first)
 * @cover_begin: the end of the index, the start of the coverage matrix
 * @cover_row:	one scenario's states (bits 1 << enum diag_state)
 * @cover_end:	the states all scenarios reached, the end of the matrix
 * @run_begin:	a scenario's heading and its facts line, after its chapter's
 *		heading when it is the chapter's @first
 * @reason:	why a run failed or was skipped
 * @teaches:	what it teaches
 * @rule:	one firewall rule
 * @sysctl:	one sysctl
 * @path:	the small diagram of the path the sockets took, @text the
 *		path in words
 * @note:	what differed between the families or backends
 * @ladders:	the diagrams of what happened between the first two nodes
 *		of each run (only the first when none differs)
 * @expect:	one expectation (@i from 0), @table its socket table or NULL,
 *		@other what another run saw differently, or NULL
 * @counter:	one counter that moved
 * @captures_head: what starts the captures line
 * @capture:	one capture (@i from 0), @label "IPv4 client"
 * @run_tail:	what ends a scenario's section, after the packets seen
 * @doc_end:	the end of the document
 */
struct report_emit {
	void (*esc)(FILE *f, const char *s);
	void (*heading)(FILE *f, const char *title);
	void (*para)(FILE *f, const char *text);
	const char *list_head[REPORT_NLISTS];
	const char *list_tail[REPORT_NLISTS];
	void (*doc_begin)(FILE *f, const struct results *r, const char *backends);
	void (*machine)(FILE *f, const struct report_fsm_view *v,
			const char *const *users);
	void (*index_begin)(FILE *f);
	void (*index_row)(FILE *f, const char *group, const struct report_scen *sc);
	void (*cover_begin)(FILE *f);
	void (*cover_row)(FILE *f, const char *name, const char *id,
			  uint32_t seen, uint32_t confirmed);
	void (*cover_end)(FILE *f, uint32_t all);
	void (*run_begin)(FILE *f, const struct report_scen *sc,
			  const char *durations, int first);
	void (*reason)(FILE *f, const struct result *run, const char *text);
	void (*teaches)(FILE *f, const char *text);
	void (*rule)(FILE *f, const struct res_rule *rule, const char *where);
	void (*sysctl)(FILE *f, const struct res_kv *kv);
	void (*path)(FILE *f, const struct report_fsm_view *v,
		     const struct result *run, const char *text);
	void (*note)(FILE *f, const char *text);
	int (*ladders)(FILE *f, const struct report_scen *sc);
	void (*expect)(FILE *f, size_t i, const struct res_expect *x,
		       const char *where, const char *at, const char *table,
		       const char *other);
	void (*counter)(FILE *f, const struct res_counter *c);
	const char *captures_head;
	void (*capture)(FILE *f, size_t i, const char *label, const char *path);
	const char *run_tail;
	void (*doc_end)(FILE *f, const struct results *r);
};

/* The chapters of a connection's life (report.c) */
#define REPORT_NGROUPS 13
struct report_group {
	const char *id, *title;
	const char *names[12];     /* its scenarios, in order */
	const char *keywords[8];  /* a name holding one of these goes here */
};
extern const struct report_group report_groups[REPORT_NGROUPS];

/*
 * report_group_of() - the chapter of scenario @name (the last, "Other",
 * when nothing matches) and its @rank in it (1000 when not listed)
 */
int report_group_of(const char *name, int *rank);

/* report_svg_fsm() - the state diagram @v as inline SVG (report_fsm.c) */
void report_svg_fsm(FILE *f, const struct report_fsm_view *v);

/*
 * report_fsm_path() - @sc's run @k as a view of the small diagram, and
 * its path in words in @text ("client: CLOSED -> SYN-SENT -> ...")
 */
void report_fsm_path(const struct report_scen *sc, int k,
		     struct report_fsm_view *v, char *text, size_t len);

extern const struct report_emit report_emit_html, report_emit_md;

/* The eleven states of the coverage matrix, in the order of a lifetime */
struct report_state {
	int state;        /* enum diag_state */
	const char *name;
};
extern const struct report_state report_states[11];

/* report_walk() - write @r with emitter @e; 0, -ENOMEM or -EIO */
int report_walk(FILE *f, const struct results *r, const struct report_emit *e);

/* report_state_label() - diag_state_label(), SYN_RECV for NEW_SYN_RECV */
const char *report_state_label(int st);

/*
 * report_prose() - text of a scenario (a title, what it teaches, an
 * observation) with the kernel's spellings of states (SYN_RECV,
 * FIN_WAIT1) as RFC 9293's (SYN-RECEIVED, FIN-WAIT-1), in a malloc'd
 * string (NULL on -ENOMEM)
 */
char *report_prose(const char *s);

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
int report_svg_ladder(FILE *f, const struct result *run,
		      const struct tcpfsm_trace *tr, int ln, int rn);

#endif
