// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tcpfsm.c - which transitions of the RFC 9293 diagram the report
 * lights, on recorded results (tests/data/results/recorded.json: six IPv4
 * runs of the catalogue as `tcplab check --json` wrote them on Linux 6.18),
 * what each change is pinned to, and which chapter a scenario goes in.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "report.h"
#include "report_int.h"
#include "results_json.h"
#include "rule.h"
#include "sock.h"
#include "tcpfsm.h"
#include "util.h"

#define RECORDED TESTS_DATA_DIR "/results/recorded.json"

static struct results rec;

static int setup(void **state)
{
	struct err e = { 0 };

	(void)state;
	memset(&rec, 0, sizeof(rec));
	return json_read_observed(RECORDED, &rec, &e);
}

static int teardown(void **state)
{
	(void)state;
	results_free(&rec);
	return 0;
}

/**
 * run_of() - the recorded run of scenario @name
 * @name:	scenario
 *
 * Return: it
 */
static const struct result *run_of(const char *name)
{
	size_t i;

	for (i = 0; i < rec.nruns; i++)
		if (!strcmp(rec.runs[i].name, name))
			return &rec.runs[i];
	fail_msg("no recorded run %s", name);
	return NULL;
}

/**
 * edges() - bit (1 << edge) for the transitions given as from, to pairs
 * @n:		how many pairs follow
 *
 * Return: the bits
 */
static uint32_t edges(int n, ...)
{
	uint32_t bits = 0;
	va_list ap;

	va_start(ap, n);
	while (n--) {
		int from = va_arg(ap, int), to = va_arg(ap, int);
		int e = tcpfsm_edge_find(from, to);

		assert_true(e >= 0);
		bits |= 1u << e;
	}
	va_end(ap);
	return bits;
}

/**
 * lit_check() - the transitions @name's sockets took are exactly @want
 * @name:	scenario
 * @want:	bits
 */
static void lit_check(const char *name, uint32_t want)
{
	const struct result *run = run_of(name);
	struct tcpfsm_trace t = { 0 };
	uint32_t got;
	int i;

	assert_int_equal(tcpfsm_trace(&run->tl, run->nnodes, &t), 0);
	got = tcpfsm_lit(&t, ~0u);
	for (i = 0; i < TCPFSM_NEDGES; i++)
		if ((got ^ want) & (1u << i))
			print_error("%s: %s -> %s %s\n", name,
				    diag_state_label(tcpfsm_edges[i].from),
				    diag_state_label(tcpfsm_edges[i].to),
				    got & (1u << i) ? "lit, not wanted" : "not lit");
	assert_int_equal(got, want);
	tcpfsm_trace_free(&t);
}

#define HANDSHAKE                                                         \
	DIAG_CLOSE, DIAG_LISTEN, DIAG_CLOSE, DIAG_SYN_SENT, DIAG_LISTEN,  \
		DIAG_SYN_RECV, DIAG_SYN_SENT, DIAG_ESTABLISHED, DIAG_SYN_RECV, \
		DIAG_ESTABLISHED

/* Each recorded scenario lights the transitions of its story, no other */
static void test_lit(void **state)
{
	(void)state;
	lit_check("close-wait",
		  edges(8, HANDSHAKE, DIAG_ESTABLISHED, DIAG_FIN_WAIT1,
			DIAG_ESTABLISHED, DIAG_CLOSE_WAIT, DIAG_FIN_WAIT1,
			DIAG_FIN_WAIT2));
	/* both FINs held in flight: both sides go FIN-WAIT-1 -> CLOSING */
	lit_check("closing", edges(7, HANDSHAKE, DIAG_ESTABLISHED, DIAG_FIN_WAIT1,
				   DIAG_FIN_WAIT1, DIAG_CLOSING));
	lit_check("time-wait",
		  edges(11, HANDSHAKE, DIAG_ESTABLISHED, DIAG_FIN_WAIT1,
			DIAG_ESTABLISHED, DIAG_CLOSE_WAIT, DIAG_FIN_WAIT1,
			DIAG_FIN_WAIT2, DIAG_CLOSE_WAIT, DIAG_LAST_ACK,
			DIAG_FIN_WAIT2, DIAG_TIME_WAIT, DIAG_LAST_ACK, DIAG_CLOSE));
	/* refused: a RST to the SYN; no listener, so nothing on the server */
	lit_check("rst-refused", edges(2, DIAG_CLOSE, DIAG_SYN_SENT,
				       DIAG_SYN_SENT, DIAG_CLOSE));
	lit_check("syn-retries", edges(3, DIAG_CLOSE, DIAG_LISTEN, DIAG_CLOSE,
				       DIAG_SYN_SENT, DIAG_SYN_SENT, DIAG_CLOSE));
}

/**
 * step_of() - the first change of @node from @from to @to
 * @t:		trace
 * @node:	node
 * @from:	state
 * @to:		state
 *
 * Return: it
 */
static const struct tcpfsm_step *step_of(const struct tcpfsm_trace *t,
					 int node, int from, int to)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].node == node && t->v[i].from == from &&
		    t->v[i].to == to)
			return &t->v[i];
	fail_msg("no change %d -> %d on node %d", from, to, node);
	return NULL;
}

/*
 * A state is pinned to its cause: the client is ESTABLISHED when the
 * SYN-ACK arrives, not when a sample later saw it; a held FIN arrives at
 * the release; a SYN-SENT socket that times out is only seen gone.
 */
static void test_pinned(void **state)
{
	const struct result *run = run_of("close-wait");
	const struct tcpfsm_step *s;
	struct tcpfsm_trace t = { 0 };
	uint64_t sample = 0;
	size_t i;

	(void)state;
	assert_int_equal(tcpfsm_trace(&run->tl, run->nnodes, &t), 0);
	s = step_of(&t, 0, DIAG_SYN_SENT, DIAG_ESTABLISHED);
	assert_int_equal(s->cause, TCPFSM_RCVD);
	assert_int_equal(run->tl.v[s->ev].kind, TL_PACKET);
	assert_int_equal(run->tl.v[s->ev].pkt.flags & (RULE_TCP_SYN | RULE_TCP_ACK),
			 RULE_TCP_SYN | RULE_TCP_ACK);
	assert_int_equal(s->t_ns, run->tl.v[s->ev].t_ns);
	for (i = 0; i < run->tl.n && !sample; i++)
		if (run->tl.v[i].kind == TL_STATE && run->tl.v[i].node == 0 &&
		    run->tl.v[i].state == DIAG_ESTABLISHED)
			sample = run->tl.v[i].t_ns;
	assert_true(sample > s->t_ns);
	s = step_of(&t, 0, DIAG_ESTABLISHED, DIAG_FIN_WAIT1);
	assert_int_equal(s->cause, TCPFSM_SENT);
	assert_true(run->tl.v[s->ev].pkt.flags & RULE_TCP_FIN);
	s = step_of(&t, 1, DIAG_CLOSE, DIAG_LISTEN);
	assert_int_equal(s->cause, TCPFSM_CALL);
	tcpfsm_trace_free(&t);

	run = run_of("closing");
	assert_int_equal(tcpfsm_trace(&run->tl, run->nnodes, &t), 0);
	s = step_of(&t, 1, DIAG_FIN_WAIT1, DIAG_CLOSING);
	assert_int_equal(s->cause, TCPFSM_RCVD);
	assert_true(s->t_ns > run->tl.v[s->ev].t_ns); /* held until the release */
	assert_int_equal(step_of(&t, 1, DIAG_ESTABLISHED, DIAG_FIN_WAIT1)->cause,
			 TCPFSM_SENT);
	tcpfsm_trace_free(&t);

	run = run_of("syn-retries");
	assert_int_equal(tcpfsm_trace(&run->tl, run->nnodes, &t), 0);
	s = step_of(&t, 0, DIAG_SYN_SENT, DIAG_CLOSE);
	assert_int_equal(s->cause, TCPFSM_SAMPLE);
	assert_true(s->t_ns - run->tl.t0 > 7 * NS_PER_S);
	tcpfsm_trace_free(&t);
}

/*
 * The large diagram lights the union of what the scenarios took and links
 * each lit transition to a scenario; a transition Linux never takes stays
 * dim.
 */
static void test_diagram(void **state)
{
	struct golden_capture c;
	char *text, *machine, *end, *p;
	int lit = 0, dim = 0;

	(void)state;
	assert_int_equal(report_html(golden_capture_open(&c), &rec), 0);
	text = golden_capture_close(&c);
	machine = strstr(text, "<section id=\"machine\">");
	assert_non_null(machine);
	end = strstr(machine, "</svg>");
	assert_non_null(end);
	*end = '\0';
	for (p = machine; (p = strstr(p, "<g class=\"edge ")); p++) {
		if (!strncmp(p + 15, "lit", 3)) {
			lit++;
			assert_non_null(strstr(p, "<a href=\"#run-"));
		} else {
			dim++;
		}
	}
	/* the six runs' union: 13 of them, as listed in test_lit */
	assert_int_equal(lit, 13);
	assert_int_equal(lit + dim, TCPFSM_NEDGES);
	assert_non_null(strstr(machine, "data-edge=\"4\" data-from=\"LISTEN\" "
					"data-to=\"SYN-SENT\""));
	assert_non_null(strstr(machine, "<g class=\"edge dim\" data-edge=\"4\""));
	free(text);
}

/* Chapters: the catalogue's names, and new ones by their keywords */
static void test_groups(void **state)
{
	static const struct {
		const char *name, *group;
	} cases[] = {
		{ "listen", "listen" },
		{ "syn-sent", "handshake" },
		{ "simultaneous-open", "handshake" },
		{ "two-clients", "listen" },
		{ "fin-wait-1", "active-close" },
		{ "last-ack", "passive-close" },
		{ "closing", "simultaneous-close" },
		{ "simultaneous-close", "simultaneous-close" },
		{ "time-wait", "time-wait" },
		{ "challenge-ack", "resets" },
		{ "rst-in-window", "resets" },
		{ "synack-retries", "timers" },
		{ "rto-backoff", "timers" },
		{ "keepalive-probes", "keepalive" },
		{ "syn-flood", "flood" },
		{ "accept-queue-overflow", "listen" },
		{ "nagle", "established" },
		{ "user-timeout", "timers" },
		{ "zero-window-probe", "timers" },
		{ "window-full", "other" },
	};
	size_t i;
	int rank, g;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		g = report_group_of(cases[i].name, &rank);
		if (strcmp(report_groups[g].id, cases[i].group))
			fail_msg("%s goes to %s, not %s", cases[i].name,
				 report_groups[g].id, cases[i].group);
	}
	/* the chapters in the order of a connection's life, Other last */
	assert_string_equal(report_groups[0].id, "listen");
	assert_string_equal(report_groups[REPORT_NGROUPS - 1].id, "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lit),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_diagram),
		cmocka_unit_test(test_groups),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
