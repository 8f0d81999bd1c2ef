// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_action.c - every action step to its endpoint command and back to
 * the line a run prints, without a lab: a scenario is parsed and planned
 * (both pure), and each step goes through action_request(),
 * action_label() and action_outcome() with hand-made answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "action.h"
#include "err.h"
#include "plan.h"
#include "scenario.h"
#include "util.h"

static const char scenario_text[] =
	"scenario t\ntitle \"t\"\n"
	"server listen 80 backlog 4 with rcvbuf=4096\n"       /* 0 */
	"client connect server 80 from 4000 as c1\n"     /* 1 */
	"server accept within 2s as s1\n"                     /* 2 */
	"c1 send 100\n"                                       /* 3 */
	"server recv within 300ms\n"                          /* 4 */
	"client connect server 80 count 3\n"                  /* 5 */
	"client shutdown\n"                                   /* 6 */
	"server close listener\n"                             /* 7 */
	"server close\n"                                      /* 8 */
	"client abort\n"                                      /* 9 */
	"client keepalive idle 2s intvl 1s count 3\n"         /* 10 */
	"client exit\n"                                       /* 11 */
	"expect server eof within 1s\n"                       /* 12 */
	"client sockopt nodelay=on\n"                         /* 13 */
	"wait 10ms\n"                                         /* 14 */
	"c1 inject flags R. seq +5 ack -1 win 100\n";         /* 15 */

/* One step's command, as action_request() makes it */
struct made {
	struct ep_msg req;
	char what[192];
};

static struct scenario *sc;
static struct plan plan4, plan6;

static int setup(void **state)
{
	struct err e = { 0 };

	(void)state;
	assert_int_equal(scenario_parse("t.tcp", scenario_text,
					strlen(scenario_text), &sc, &e), 0);
	assert_int_equal(plan_build(sc, 4, "nftables", &plan4, &e), 0);
	assert_int_equal(plan_build(sc, 6, "nftables", &plan6, &e), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	scenario_free(sc);
	return 0;
}

/**
 * make() - action_request() for step @k of the scenario
 * @k:		step index
 * @plan:	the plan
 * @m:		filled
 *
 * Return: its result
 */
static int make(size_t k, const struct plan *plan, struct made *m)
{
	struct err e = { 0 };

	assert_true(k < sc->nsteps);
	return action_request(&sc->steps[k], plan, 7 * NS_PER_MS, &m->req,
			      m->what, sizeof(m->what), &e);
}

/**
 * test_requests() - what each action asks of the endpoint, and says
 * @state:	unused
 */
static void test_requests(void **state)
{
	struct made m;

	(void)state;
	assert_int_equal(make(0, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_LISTEN);
	assert_int_equal(m.req.family, AF_INET);
	assert_int_equal(m.req.port, 80);
	assert_int_equal(m.req.arg, 4);
	assert_int_equal(m.req.nopts, 1);
	assert_int_equal(m.req.conn, 0);
	assert_string_equal(m.what, "listen :80 (backlog 4)");

	assert_int_equal(make(1, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_CONNECT);
	assert_int_equal(m.req.family, AF_INET);
	assert_memory_equal(m.req.addr, &plan4.nodes[1].v4, 4);
	assert_int_equal(m.req.port, 80);
	assert_int_equal(m.req.bind_port, 4000);
	assert_int_equal(m.req.conn, 1); /* c1, the first named */
	assert_string_equal(m.what, "connect 198.18.0.2:80 from port 4000");

	assert_int_equal(make(1, &plan6, &m), 0);
	assert_int_equal(m.req.family, AF_INET6);
	assert_memory_equal(m.req.addr, &plan6.nodes[1].v6, 16);
	assert_string_equal(m.what,
			    "connect [fd00:198:18::2]:80 from port 4000");

	/* waits are the caller's (--slow applied) */
	assert_int_equal(make(2, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_ACCEPT);
	assert_int_equal(m.req.timeout_ns, 7 * NS_PER_MS);
	assert_int_equal(m.req.conn, 2);
	assert_string_equal(m.what, "accept");

	assert_int_equal(make(3, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_SEND);
	assert_int_equal(m.req.arg, 100);
	assert_int_equal(m.req.conn, 1);
	assert_string_equal(m.what, "send 100 bytes");

	assert_int_equal(make(4, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_RECV);
	assert_int_equal(m.req.timeout_ns, 7 * NS_PER_MS);
	assert_string_equal(m.what, "recv");

	assert_int_equal(make(5, &plan4, &m), 0);
	assert_int_equal(m.req.arg, 3);
	assert_string_equal(m.what, "connect 198.18.0.2:80 x 3");

	assert_int_equal(make(6, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_SHUTDOWN);
	assert_string_equal(m.what, "shutdown(SHUT_WR): send FIN");
	assert_int_equal(make(7, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_CLOSE_LISTENER);
	assert_string_equal(m.what, "close listener");
	assert_int_equal(make(8, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_CLOSE);
	assert_string_equal(m.what, "close");
	assert_int_equal(make(9, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_ABORT);
	assert_string_equal(m.what, "abort: close with SO_LINGER 0 (RST)");

	assert_int_equal(make(10, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_KEEPALIVE);
	assert_int_equal(m.req.arg, 2);
	assert_int_equal(m.req.value, (int64_t)(1ULL << 32 | 3));
	assert_string_equal(m.what,
			    "keepalive on: idle 2s, interval 1s, 3 probes");

	assert_int_equal(make(11, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_EXIT);

	/* "expect eof" reads */
	assert_int_equal(make(12, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_RECV);

	assert_int_equal(make(13, &plan4, &m), 0);
	assert_int_equal(m.req.op, EP_SOCKOPT);
	assert_int_equal(m.req.nopts, 1);
	assert_string_equal(m.what, "setsockopt");

	assert_int_equal(make(15, &plan6, &m), 0);
	assert_int_equal(m.req.op, EP_INJECT);
	assert_int_equal(m.req.conn, 1);
	assert_int_equal(m.req.arg, 0x14); /* RST|ACK */
	assert_int_equal(m.req.seq_off, 5);
	assert_int_equal(m.req.ack_off, -1);
	assert_int_equal(m.req.win, 100);
	assert_string_equal(m.what, "inject [R.] seq +5 ack -1 win 100");
}

/**
 * test_not_an_action() - a step that is none is refused, by name
 * @state:	unused
 */
static void test_not_an_action(void **state)
{
	struct ep_msg req;
	struct err e = { 0 };
	char what[64];

	(void)state;
	assert_int_equal(sc->steps[14].kind, STEP_WAIT);
	assert_int_equal(action_request(&sc->steps[14], &plan4, 0, &req, what,
					sizeof(what), &e),
			 -EINVAL);
	assert_string_equal(e.msg, "not an action: wait");
}

/**
 * outcome() - the printed line for step @k answered by @rep
 * @k:		step index
 * @rep:	the answer
 * @line:	filled
 * @len:	its size
 */
static void outcome(size_t k, const struct ep_msg *rep, char *line,
		    size_t len)
{
	struct made m;

	assert_int_equal(make(k, &plan4, &m), 0);
	action_label(&sc->steps[k], sc, m.what, sizeof(m.what));
	action_outcome(&sc->steps[k], m.what, rep, line, len);
}

/**
 * test_outcomes() - the lines for answers, good and bad
 * @state:	unused
 */
static void test_outcomes(void **state)
{
	struct ep_msg rep = { 0 };
	char line[256];

	(void)state;
	outcome(0, &rep, line, sizeof(line));
	assert_string_equal(line, "listen :80 (backlog 4) with rcvbuf=4096");

	rep.lport = 4000;
	outcome(1, &rep, line, sizeof(line));
	assert_string_equal(line, "connect 198.18.0.2:80 from port 4000 [c1]: "
				  "connected (local port 4000)");
	rep.err = EINPROGRESS;
	outcome(1, &rep, line, sizeof(line));
	assert_string_equal(line, "connect 198.18.0.2:80 from port 4000 [c1]: "
				  "in progress (local port 4000)");
	rep.err = ECONNREFUSED;
	outcome(1, &rep, line, sizeof(line));
	assert_string_equal(line, "connect 198.18.0.2:80 from port 4000 [c1]: "
				  "ECONNREFUSED (local port 4000)");

	memset(&rep, 0, sizeof(rep));
	rep.port = 4000;
	outcome(2, &rep, line, sizeof(line));
	assert_string_equal(line, "accept [s1]: connection from port 4000");
	rep.err = EAGAIN;
	outcome(2, &rep, line, sizeof(line));
	assert_string_equal(line, "accept [s1]: Resource temporarily unavailable");

	memset(&rep, 0, sizeof(rep));
	rep.value = 100;
	outcome(3, &rep, line, sizeof(line));
	assert_string_equal(line, "send 100 bytes [c1]: 100 sent");
	rep.value = 0;
	rep.err = EPIPE;
	outcome(3, &rep, line, sizeof(line));
	assert_string_equal(line, "send 100 bytes [c1]: 0 sent, Broken pipe");

	memset(&rep, 0, sizeof(rep));
	rep.value = 100;
	rep.flags = EP_F_EOF;
	outcome(4, &rep, line, sizeof(line));
	assert_string_equal(line, "recv: 100 bytes, then EOF (peer sent FIN)");
	rep.flags = 0;
	rep.err = ECONNRESET;
	outcome(12, &rep, line, sizeof(line));
	assert_string_equal(line, "recv: ECONNRESET (Connection reset by peer)");

	memset(&rep, 0, sizeof(rep));
	outcome(8, &rep, line, sizeof(line));
	assert_string_equal(line, "close");
	rep.err = ENOTCONN;
	outcome(6, &rep, line, sizeof(line));
	assert_string_equal(line, "shutdown(SHUT_WR): send FIN: "
				  "Transport endpoint is not connected");

	memset(&rep, 0, sizeof(rep));
	outcome(13, &rep, line, sizeof(line));
	assert_string_equal(line, "setsockopt with nodelay=on");

	/* a short buffer cuts, never overruns */
	outcome(1, &rep, line, 12);
	assert_string_equal(line, "connect 198");
}

/* the calls whose reply brings the endpoint's sample: those that change
 * the node's own sockets by themselves */
static void test_changes_sockets(void **state)
{
	static const uint32_t yes[] = { EP_LISTEN, EP_CONNECT, EP_SHUTDOWN,
					EP_CLOSE, EP_CLOSE_LISTENER, EP_ABORT };
	static const uint32_t no[] = { EP_ACCEPT, EP_SEND, EP_RECV, EP_EXIT,
				       EP_KEEPALIVE, EP_SOCKOPT, EP_INJECT,
				       EP_RECEIVED, EP_PING, EP_RESET, 0 };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(yes) / sizeof(yes[0]); k++)
		assert_int_equal(action_changes_sockets(yes[k]), 1);
	for (k = 0; k < sizeof(no) / sizeof(no[0]); k++)
		assert_int_equal(action_changes_sockets(no[k]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_not_an_action),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_changes_sockets),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
