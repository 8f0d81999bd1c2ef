/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compare.h - what differed between kernels, run by run (pure)
 *
 * Theory of operation: each struct results is one kernel's run of the
 * catalogue (a JSON file read back with json_read_observed()); runs are
 * matched by (name, family, firewall) across all of them.  For each run,
 * every aspect that baseline.h compares is worked out per kernel as one
 * line of text - the verdict; each expectation's verdict and the errors it
 * saw; per node the states expectations confirmed, the retransmission
 * schedule, the shapes of the SYNs and SYN-ACKs; and, as notes, the states
 * only sampling saw and every counter that moved on some kernel - and kept
 * as a row when the kernels do not all agree (schedules agree within the
 * tolerance model of baseline_times_agree(), the rest when the texts are
 * equal).  A row is "drift" when baseline.h would count it as drift.
 *
 * The rows are the model every writer draws from: the terminal text, JSON,
 * and an HTML section for `compare --html` and `tcplab report` given
 * several results (compare_html.c: a kernel x scenario matrix, the rows
 * side by side, and differing retransmission schedules drawn as ladders
 * on one time axis).
 */
#ifndef TCPLAB_COMPARE_H
#define TCPLAB_COMPARE_H

#include <stdio.h>

#include "err.h"
#include "results.h"

#define COMPARE_MAX_KERNELS 16

struct compare_row {
	char run[96];        /* "syn-sent IPv4 nftables" */
	size_t run_index;    /* into struct compare's run list */
	char aspect[128];    /* "client retransmissions" */
	int drift;           /* 1: behaviour; 0: a note */
	char *values[COMPARE_MAX_KERNELS]; /* per kernel; "-" if it lacks it */
};

struct compare_run {
	char name[48];
	int family;
	char firewall[16];
	int verdict[COMPARE_MAX_KERNELS]; /* enum res_verdict, -1: not run */
	int ndrift, nnotes;
};

struct compare {
	int nk;
	char label[COMPARE_MAX_KERNELS][160]; /* "6.1.0-50-cloud-amd64" */
	struct compare_run *runs;
	size_t nruns;
	struct compare_row *rows;
	size_t nrows, cap;
};

/*
 * compare_build() - compare @nk results (2 <= @nk <= COMPARE_MAX_KERNELS)
 * labelled @labels into @c; 0, -EINVAL (with @e) or -ENOMEM.
 */
int compare_build(struct compare *c, const struct results *r,
		  const char *const *labels, int nk, struct err *e) WUR;

/* compare_free() - release what compare_build() allocated */
void compare_free(struct compare *c);

/* compare_drift() - how many rows are drift */
size_t compare_drift(const struct compare *c);

/* compare_rows_same() - do rows @a and @b say the same (aspect, drift or
 * note, every kernel's value)?  The terminal and the HTML both fold such
 * rows of several runs into one line. */
int compare_rows_same(const struct compare *c, const struct compare_row *a,
		      const struct compare_row *b);

/* compare_text() - the differences for a terminal; @notes: the notes too */
void compare_text(FILE *f, const struct compare *c, int notes);

/* compare_json() - the same as one JSON document; 0 or -errno */
int compare_json(FILE *f, const struct compare *c) WUR;

/*
 * compare_html() - a <section> for a page (self-contained: its own
 * <style>, no script, every text escaped, well-formed XML): the kernels,
 * a kernel x scenario matrix (each cell the verdicts of the scenario's
 * runs on that kernel, marked when they differ in behaviour, linking to
 * the differences), then per differing scenario the differences side by
 * side and, where a retransmission schedule differs, each kernel's ladder
 * of that node's segments on one shared time axis.  @r: the @c->nk
 * results @c was built from (for the ladders and the kernels' details),
 * or NULL for the tables only.
 */
void compare_html(FILE *f, const struct compare *c, const struct results *r);

/* compare_page() - a whole HTML page around compare_html(); 0 or -EIO */
int compare_page(FILE *f, const struct compare *c, const struct results *r) WUR;

#endif
