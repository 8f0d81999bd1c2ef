// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_compare.c - tcplab compare on results recorded on two kernels
 *
 * tests/data/compare/linux-5.10.json and linux-7.3.json are `tcplab check
 * --slow auto -f 4 -F nftables syn-retries-default syn-flood established
 * --json` as lab/kernels ran them in qemu on Debian's 5.10.0-32 and
 * 7.3.4 cloud kernels.  Between them: the SYN schedule with the default
 * tcp_syn_linear_timeouts (5.10 doubles: 1 s, 3 s; 7.3 is linear: 1 s to
 * 5 s) - behaviour -, and counters (the SYN queue of backlog 4 holds one
 * request fewer on 5.10: 28 cookies against 27) - notes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "compare.h"
#include "golden.h"
#include "results_json.h"

#define DATA TESTS_DATA_DIR "/compare"

struct two {
	struct results r[2];
	struct compare c;
};

static void load(struct two *t)
{
	static const char *const labels[] = { "5.10", "7.3" };
	struct err e = { 0 };

	memset(t, 0, sizeof(*t));
	assert_int_equal(json_read_observed(DATA "/linux-5.10.json", &t->r[0], &e), 0);
	assert_int_equal(json_read_observed(DATA "/linux-7.3.json", &t->r[1], &e), 0);
	assert_int_equal(compare_build(&t->c, t->r, labels, 2, &e), 0);
}

static void unload(struct two *t)
{
	compare_free(&t->c);
	results_free(&t->r[0]);
	results_free(&t->r[1]);
}

static const struct compare_row *row_of(const struct compare *c,
					const char *run, const char *aspect)
{
	size_t i;

	for (i = 0; i < c->nrows; i++)
		if (!strcmp(c->rows[i].run, run) &&
		    !strcmp(c->rows[i].aspect, aspect))
			return &c->rows[i];
	return NULL;
}

/* how often @needle occurs in @hay */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

static void test_two_kernels(void **state)
{
	const struct compare_row *row;
	struct golden_capture cap;
	struct two t;
	char *text;

	(void)state;
	load(&t);
	/* the one difference in behaviour: the SYN schedule, side by side */
	assert_int_equal(compare_drift(&t.c), 1);
	row = row_of(&t.c, "syn-retries-default IPv4 nftables",
		     "client retransmissions");
	assert_non_null(row);
	assert_true(row->drift);
	assert_string_equal(row->values[0], "2 at 1.027s,3.042s");
	assert_string_equal(row->values[1],
			    "5 at 1.024s,2.042s,3.067s,4.090s,5.119s");
	/* the SYN queue: a note, with both numbers */
	row = row_of(&t.c, "syn-flood IPv4 nftables",
		     "server counter TcpExtSyncookiesSent");
	assert_non_null(row);
	assert_false(row->drift);
	assert_string_equal(row->values[0], "+28");
	assert_string_equal(row->values[1], "+27");
	/* every run passed on both: no verdict row */
	assert_null(row_of(&t.c, "established IPv4 nftables", "verdict"));
	assert_int_equal(t.c.nruns, 3);
	assert_int_equal(t.c.runs[0].ndrift, 1);

	compare_text(golden_capture_open(&cap), &t.c, 1);
	text = golden_capture_close(&cap);
	golden_check(DATA, "compare.txt", text);
	free(text);
	unload(&t);
}

static void test_json_and_html(void **state)
{
	struct golden_capture cap;
	struct json_object *o, *d, *x, *v;
	struct two t;
	char *text;

	(void)state;
	load(&t);
	assert_int_equal(compare_json(golden_capture_open(&cap), &t.c), 0);
	text = golden_capture_close(&cap);
	o = json_tokener_parse(text);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "kernels", &x));
	assert_int_equal(json_object_array_length(x), 2);
	assert_true(json_object_object_get_ex(o, "differences", &d));
	assert_int_equal(json_object_array_length(d), t.c.nrows);
	x = json_object_array_get_idx(d, 0);
	assert_true(json_object_object_get_ex(x, "values", &v));
	assert_int_equal(json_object_array_length(v), 2);
	json_object_put(o);
	free(text);

	compare_html(golden_capture_open(&cap), &t.c, t.r);
	text = golden_capture_close(&cap);
	assert_non_null(strstr(text, "<section class=\"compare\" id=\"kernels\">"));
	assert_non_null(strstr(text, "<tr><th>B</th><td>7.3</td>"));
	assert_non_null(strstr(text, "5 at 1.024s,2.042s,3.067s,4.090s,5.119s"));
	assert_non_null(strstr(text, "</section>"));
	/* the matrix: one row per scenario, the differing one linked */
	assert_non_null(strstr(text, "<tr data-scenario=\"syn-retries-default\">"
				     "<td><a href=\"#cmp-syn-retries-default\">"));
	assert_non_null(strstr(text, "<tr data-scenario=\"syn-flood\"><td>syn-flood</td>"
				     "<td class=\"pass\">1 pass</td>"));
	assert_non_null(strstr(text, "<section class=\"differs\" id=\"cmp-syn-retries-default\">"));
	assert_null(strstr(text, "id=\"cmp-syn-flood\""));
	/* one drawing, 2 + 5 retransmissions on one axis, the notes folded */
	assert_int_equal(count(text, "<svg "), 1);
	assert_int_equal(count(text, "<line class=\"rtx\""), 7);
	assert_int_equal(count(text, "<g class=\"lane\""), 2);
	assert_non_null(strstr(text, "<details><summary>5 notes"));
	free(text);

	/* a whole page, well-formed */
	assert_int_equal(compare_page(golden_capture_open(&cap), &t.c, t.r), 0);
	text = golden_capture_close(&cap);
	assert_non_null(strstr(text, "<title>tcplab: 2 kernels compared</title>"));
	assert_null(strstr(text, "<script"));
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		char path[64], cmd[160];

		golden_write_tmp(text, ".html", path, sizeof(path));
		snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
	}
	free(text);

	/* without the results: the tables, no drawing */
	compare_html(golden_capture_open(&cap), &t.c, NULL);
	text = golden_capture_close(&cap);
	assert_null(strstr(text, "<svg"));
	assert_non_null(strstr(text, "5 at 1.024s,2.042s,3.067s,4.090s,5.119s"));
	free(text);
	unload(&t);
}

static void test_same_kernel(void **state)
{
	static const char *const labels[] = { "a", "b" };
	struct results r[2];
	struct compare c;
	struct err e = { 0 };

	(void)state;
	memset(r, 0, sizeof(r));
	assert_int_equal(json_read_observed(DATA "/linux-7.3.json", &r[0], &e), 0);
	assert_int_equal(json_read_observed(DATA "/linux-7.3.json", &r[1], &e), 0);
	assert_int_equal(compare_build(&c, r, labels, 2, &e), 0);
	assert_int_equal(c.nrows, 0);
	compare_free(&c);
	/* one result is no comparison */
	assert_int_equal(compare_build(&c, r, labels, 1, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "2 to"));
	results_free(&r[0]);
	results_free(&r[1]);
}

/* drift rows of @c (behaviour, not notes) */
static int drift_rows(const struct compare *c)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nrows; i++)
		n += c->rows[i].drift;
	return n;
}

static void build(const char *a, const char *b, struct results r[2],
		  struct compare *c)
{
	static const char *const labels[] = { "a", "b" };
	struct err e = { 0 };

	memset(r, 0, 2 * sizeof(*r));
	assert_int_equal(json_read_observed(a, &r[0], &e), 0);
	assert_int_equal(json_read_observed(b, &r[1], &e), 0);
	assert_int_equal(compare_build(c, r, labels, 2, &e), 0);
}

/*
 * Two VM runs of one kernel (lab/kernels check, 1 vCPU under TCG, --slow
 * auto 8 to 19): what differs is how long each run lasted, not what the
 * kernel did.  vm-5.10-*: the slower run went on long enough to see a FIN's
 * (closing, last-ack) or the flood's SYNs' (syn-flood) first timeout, the
 * faster one had ended before it could; vm-7.3-*: tlp's probe left 199.8 ms
 * after the data in one run and 225 ms in the other (the same probe on both
 * sides of the 200 ms line), and accept-queue-overflow's SYN timed out in
 * both, 1.04 s and 1.00 s after, the faster run ending 16 ms after its own.
 * None of that is drift.
 */
static void test_same_kernel_in_vms(void **state)
{
	static const char *const pairs[][2] = {
		{ DATA "/vm-5.10-a.json", DATA "/vm-5.10-b.json" },
		{ DATA "/vm-7.3-a.json", DATA "/vm-7.3-b.json" },
	};
	struct results r[2];
	struct compare c;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		build(pairs[i][0], pairs[i][1], r, &c);
		assert_int_equal(drift_rows(&c), 0);
		compare_free(&c);
		results_free(&r[0]);
		results_free(&r[1]);
	}
}

/* A run skipped on one kernel (receive-window: 5.10's tcp_info has no
 * rcv_wnd) differs in its verdict only: what the other kernel's run did
 * is not set against nothing */
static void test_skipped_run(void **state)
{
	const struct compare_row *row;
	struct results r[2];
	struct compare c;
	size_t i;

	(void)state;
	build(DATA "/vm-5.10-a.json", DATA "/vm-7.3-a.json", r, &c);
	row = row_of(&c, "receive-window IPv4 nftables", "verdict");
	assert_non_null(row);
	assert_string_equal(row->values[0], "skip");
	assert_string_equal(row->values[1], "pass");
	for (i = 0; i < c.nrows; i++)
		if (!strcmp(c.rows[i].run, "receive-window IPv4 nftables"))
			assert_string_equal(c.rows[i].aspect, "verdict");
	compare_free(&c);
	results_free(&r[0]);
	results_free(&r[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_kernels),
		cmocka_unit_test(test_json_and_html),
		cmocka_unit_test(test_same_kernel),
		cmocka_unit_test(test_same_kernel_in_vms),
		cmocka_unit_test(test_skipped_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
