// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_scenario.c - the scenario parser: the shipped files parse, valid
 * constructs land in the AST, and every invalid input fails with the exact
 * file:line:col a person needs.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sock.h"
#include "plan.h"
#include "scenario.h"

static struct scenario *parse_ok(const char *text)
{
	struct err e = { 0 };
	struct scenario *sc = NULL;
	int r = scenario_parse("t.tcp", text, strlen(text), &sc, &e);

	if (r)
		fail_msg("unexpected parse error: %s", e.msg);
	return sc;
}

static void test_minimal(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario x\n"
		"title \"T\"\n"
		"server listen 80\n");

	(void)state;
	assert_string_equal(sc->name, "x");
	assert_string_equal(sc->title, "T");
	assert_int_equal(sc->nsteps, 1);
	assert_int_equal(sc->steps[0].kind, STEP_LISTEN);
	assert_int_equal(sc->steps[0].node, 1);
	assert_int_equal(sc->steps[0].port, 80);
	assert_int_equal(sc->steps[0].backlog, 128);
	assert_int_equal(sc->steps[0].loc.line, 3);
	assert_int_equal(sc->steps[0].loc.col, 8);
	assert_int_equal(sc->families, SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6);
	scenario_free(sc);
}

static void test_full(void **state)
{
	struct scenario *sc = parse_ok(
		"# a comment\n"
		"scenario full-one   # trailing comment\n"
		"title    \"A \\\"quoted\\\" title\"\n"
		"teaches  \"first line\n"
		"          second line\"\n"
		"family   both\n"
		"sysctl   client net.ipv4.tcp_syn_retries=2\n"
		"server   listen 8080 backlog 3\n"
		"firewall server input tcp dport 8080 flags SYN drop\n"
		"firewall client output ipv6 tcp sport 1 dport 2 flags SYN,ACK/SYN,ACK,RST reject\n"
		"client   connect server 8080\n"
		"client   connect 81\n"
		"server   accept within 20ms\n"
		"client   send 1000\n"
		"server   recv\n"
		"client   shutdown\n"
		"client   close\n"
		"server   close listener\n"
		"server   abort\n"
		"server   exit\n"
		"wait     1.5ms\n"
		"expect   client state syn-sent port 8080 within 50ms\n"
		"expect   client error ETIMEDOUT within 8s\n"
		"expect   server eof\n");
	const struct step *s;

	(void)state;
	assert_string_equal(sc->title, "A \"quoted\" title");
	assert_string_equal(sc->teaches, "first line second line");
	assert_int_equal(sc->families, SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6);
	assert_int_equal(sc->nsysctls, 1);
	assert_string_equal(sc->sysctls[0].key, "net.ipv4.tcp_syn_retries");
	assert_string_equal(sc->sysctls[0].value, "2");
	assert_int_equal(sc->sysctls[0].node, 0);
	assert_int_equal(sc->nsteps, 17);
	s = sc->steps;
	assert_int_equal(s[0].backlog, 3);
	assert_int_equal(s[1].kind, STEP_FIREWALL);
	assert_int_equal(s[1].rule.node, 1);
	assert_int_equal(s[1].rule.hook, RULE_INPUT);
	assert_int_equal(s[1].rule.dport, 8080);
	assert_int_equal(s[1].rule.flags_set, RULE_TCP_SYN);
	assert_int_equal(s[1].rule.flags_mask, RULE_TCP_MASK_DEFAULT);
	assert_int_equal(s[1].rule.action, RULE_DROP);
	assert_int_equal(s[1].rule.id, 1);
	assert_int_equal(s[1].rule.loc.line, 9);
	assert_int_equal(s[2].rule.hook, RULE_OUTPUT);
	assert_int_equal(s[2].rule.family, 6);
	assert_int_equal(s[2].rule.sport, 1);
	assert_int_equal(s[2].rule.flags_set, RULE_TCP_SYN | RULE_TCP_ACK);
	assert_int_equal(s[2].rule.flags_mask,
			 RULE_TCP_SYN | RULE_TCP_ACK | RULE_TCP_RST);
	assert_int_equal(s[2].rule.action, RULE_REJECT_RST);
	assert_int_equal(s[2].rule.id, 2);
	assert_int_equal(s[3].kind, STEP_CONNECT);
	assert_int_equal(s[3].peer, 1);
	assert_int_equal(s[4].peer, 1);
	assert_int_equal(s[4].port, 81);
	assert_int_equal(s[5].kind, STEP_ACCEPT);
	assert_int_equal(s[5].within_ns, 20000000ULL);
	assert_int_equal(s[6].bytes, 1000);
	assert_int_equal(s[7].within_ns, SCENARIO_DEFAULT_WITHIN_NS);
	assert_int_equal(s[8].kind, STEP_SHUTDOWN);
	assert_int_equal(s[9].kind, STEP_CLOSE);
	assert_int_equal(s[9].listener, 0);
	assert_int_equal(s[10].listener, 1);
	assert_int_equal(s[11].kind, STEP_ABORT);
	assert_int_equal(s[12].kind, STEP_EXIT);
	assert_int_equal(s[13].kind, STEP_WAIT);
	assert_int_equal(s[13].within_ns, 1500000ULL);
	assert_int_equal(s[14].kind, STEP_EXPECT_STATE);
	assert_int_equal(s[14].state, DIAG_SYN_SENT);
	assert_int_equal(s[14].port, 8080);
	assert_int_equal(s[15].errnum, ETIMEDOUT);
	assert_int_equal(s[15].within_ns, 8000000000ULL);
	assert_int_equal(s[16].kind, STEP_EXPECT_EOF);
	scenario_free(sc);
}

static void test_catalogue_syntax(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario c\n"
		"title \"T\"\n"
		"sysctl client net.ipv4.tcp_syn_linear_timeouts=0 if-present\n"
		"client connect server 80 count 32\n"
		"client keepalive idle 2s intvl 1s count 3\n"
		"firewall server flush\n"
		"server crash\n"
		"expect client state TIME_WAIT port 80 timer timewait expires 60s within 5ms\n"
		"expect client state CLOSED port 80\n"
		"expect client retransmits at 1s,3s,7s port 80\n"
		"expect client error ETIMEDOUT at 7s\n"
		"expect server counter TcpExtSyncookiesSent >= 1 within 200ms\n"
		"expect packets client>server flags SYN at 0s,1s,3s\n"
		"expect packets server>client flags SYN,ACK count>=2 within 2s\n"
		"expect drops server count == 3\n");
	const struct step *s;

	(void)state;
	assert_int_equal(sc->sysctls[0].optional, 1);
	assert_int_equal(sc->nsteps, 12);
	s = sc->steps;
	assert_int_equal(s[0].count, 32);
	assert_int_equal(s[0].port, 80);
	assert_int_equal(s[1].kind, STEP_KEEPALIVE);
	assert_int_equal(s[1].ka_idle, 2);
	assert_int_equal(s[1].ka_intvl, 1);
	assert_int_equal(s[1].ka_count, 3);
	assert_int_equal(s[2].kind, STEP_FLUSH);
	assert_int_equal(s[2].node, 1);
	assert_int_equal(s[3].kind, STEP_CRASH);
	assert_int_equal(s[4].state, DIAG_TIME_WAIT);
	assert_int_equal(s[4].timer, DIAG_TIMER_TIMEWAIT);
	assert_int_equal(s[4].expires_ns, 60000000000ULL);
	assert_int_equal(s[4].within_ns, 5000000ULL);
	assert_int_equal(s[5].state, DIAG_CLOSE);
	assert_int_equal(s[5].timer, -1);
	assert_int_equal(s[6].kind, STEP_EXPECT_RETRANS);
	assert_int_equal(s[6].ntimes, 3);
	assert_int_equal(s[6].times_ns[2], 7000000000ULL);
	assert_int_equal(s[6].port, 80);
	assert_int_equal(s[7].at_ns, 7000000000ULL);
	assert_int_equal(s[7].within_ns, 0);
	assert_int_equal(s[8].kind, STEP_EXPECT_COUNTER);
	assert_string_equal(s[8].counter, "TcpExtSyncookiesSent");
	assert_int_equal(s[8].cmp, CMP_GE);
	assert_int_equal(s[8].value, 1);
	assert_int_equal(s[9].kind, STEP_EXPECT_PACKETS);
	assert_int_equal(s[9].node, 0);
	assert_int_equal(s[9].peer, 1);
	assert_int_equal(s[9].ntimes, 3);
	assert_int_equal(s[9].rule.flags_set, RULE_TCP_SYN);
	assert_int_equal(s[10].cmp, CMP_GE);
	assert_int_equal(s[10].value, 2);
	assert_int_equal(s[10].rule.flags_set, RULE_TCP_SYN | RULE_TCP_ACK);
	assert_int_equal(s[10].within_ns, 2000000000ULL);
	assert_int_equal(s[11].kind, STEP_EXPECT_DROPS);
	assert_int_equal(s[11].node, 1);
	assert_int_equal(s[11].cmp, CMP_EQ);
	assert_int_equal(s[11].value, 3);
	scenario_free(sc);
}

struct bad {
	const char *text;
	const char *msg; /* the whole "file:line:col: message" prefix */
};

static const struct bad bad_cases[] = {
	{ "", "t.tcp:1:1: empty scenario" },
	{ "title \"x\"\n", "t.tcp:1:1: the file must start with 'scenario NAME'" },
	{ "scenario Bad_Name\n", "t.tcp:1:10: bad scenario name" },
	{ "scenario a\nscenario b\n", "t.tcp:2:1: 'scenario' given twice" },
	{ "scenario a\nserver listen 80\n", "t.tcp:1:1: scenario 'a' has no title" },
	{ "scenario a\ntitle \"t\"\n", "t.tcp:3:1: scenario 'a' has no steps" },
	{ "scenario a\ntitle t\n", "t.tcp:2:7: title must be a quoted string" },
	{ "scenario a\ntitle \"t\nserver listen 80\n", "t.tcp:2:7: unterminated string" },
	{ "scenario a\ntitle \"t\"\nrouter listen 80\n",
	  "t.tcp:3:1: unknown directive 'router'" },
	{ "scenario a\ntitle \"t\"\nserver listen 0\n",
	  "t.tcp:3:15: port 0 is out of range (1..65535)" },
	{ "scenario a\ntitle \"t\"\nserver listen 70000\n",
	  "t.tcp:3:15: port 70000 is out of range" },
	{ "scenario a\ntitle \"t\"\nserver listen http\n",
	  "t.tcp:3:15: expected port (a number), got 'http'" },
	{ "scenario a\ntitle \"t\"\nserver listen\n",
	  "t.tcp:3:14: missing argument" },
	{ "scenario a\ntitle \"t\"\nserver dance\n",
	  "t.tcp:3:8: unknown action 'dance'" },
	{ "scenario a\ntitle \"t\"\nclient connect router 80\n",
	  "t.tcp:3:16: unknown node 'router'" },
	{ "scenario a\ntitle \"t\"\nclient connect client 80\n",
	  "t.tcp:3:16: a node cannot connect to itself" },
	{ "scenario a\ntitle \"t\"\nfirewall server sideways tcp drop\n",
	  "t.tcp:3:17: expected input, output or forward, got 'sideways'" },
	{ "scenario a\ntitle \"t\"\nfirewall server input udp drop\n",
	  "t.tcp:3:23: expected 'tcp'" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp dport 80\n",
	  "t.tcp:3:33: missing action" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp flags SYX drop\n",
	  "t.tcp:3:33: bad TCP flags 'SYX'" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp flags SYN/ACK drop\n",
	  "t.tcp:3:33: flags 'SYN' are outside their mask" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp drop now\n",
	  "t.tcp:3:32: unexpected 'now'" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client state SYN_SNET\n",
	  "t.tcp:4:21: unknown TCP state 'SYN_SNET'" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client state LISTEN within 5 parsecs\n",
	  "t.tcp:4:35: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client state LISTEN within 2h\n",
	  "t.tcp:4:35: expected a duration" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client error EWHAT\n",
	  "t.tcp:4:21: unknown error name 'EWHAT'" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client smile\n",
	  "t.tcp:4:15: unknown expectation 'smile'" },
	{ "scenario a\ntitle \"t\"\nsysctl client kernel.panic=1\n",
	  "t.tcp:3:15: sysctl 'kernel.panic' is not a per-namespace key" },
	{ "scenario a\ntitle \"t\"\nsysctl client net.ipv4.x\n",
	  "t.tcp:3:15: expected KEY=VALUE" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nsysctl client net.ipv4.x=1\n",
	  "t.tcp:4:1: sysctl lines come before the first step" },
	{ "scenario a\ntitle \"t\"\nfamily 5\n", "t.tcp:3:8: expected 4, 6 or both" },
	{ "scenario a\ntitle \"t\"\nwait\n", "t.tcp:3:5: missing argument" },
	{ "scenario a\ntitle \"t\"\nclient send 0\n",
	  "t.tcp:3:13: byte count 0 is out of range" },
	{ "scenario a\ntitle \"t\"\nclient close now\n",
	  "t.tcp:3:14: unexpected 'now'" },
	{ "scenario a\ntitle \"t\\q\"\n", "t.tcp:2:10: unknown escape" },
	{ "scenario a\ntitle \"t\"\n\"x\" listen 80\n",
	  "t.tcp:3:1: a line must start with a directive" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client retransmits at 3s,1s\n",
	  "t.tcp:4:33: times must increase" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client retransmits 1s\n",
	  "t.tcp:4:27: expected 'retransmits at T1,T2,...'" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client state CLOSED timer on\n",
	  "t.tcp:4:21: a CLOSED socket is gone" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect client state ESTABLISHED timer soon\n",
	  "t.tcp:4:39: unknown timer 'soon'" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect server counter Syncookies >= 1\n",
	  "t.tcp:4:23: expected a counter name" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect server counter TcpExtListenDrops => 1\n",
	  "t.tcp:4:41: expected a comparison" },
	{ "scenario a\ntitle \"t\"\nclient keepalive idle 500ms intvl 1s count 2\n",
	  "t.tcp:3:23: keepalive times are whole seconds" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect packets client<server count>=1\n",
	  "t.tcp:4:16: expected SRC>DST such as client>server" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect drops server many\n",
	  "t.tcp:4:21: expected 'count' and a comparison" },
	{ "scenario a\ntitle \"t\"\ntopology client client\n",
	  "t.tcp:3:17: node 'client' given twice" },
	{ "scenario a\ntitle \"t\"\nfirewall router forward tcp ct new drop\n",
	  "t.tcp:3:10: unknown node 'router'" },
	/* found by fuzzing: a long word whose comma falls past 64 bytes */
	{ "scenario a\ntitle \"t\"\ndddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd,a x\n",
	  "t.tcp:3:1: 'dddddddddddddddddddddddddddddddddddddddd...': two different nodes" },
	/* found by fuzzing: a bad character in a word (the word was leaked) */
	{ "scenario a\ntitle \"t\"\nserver listen 8\x01" "0\n",
	  "t.tcp:3:16: unexpected character" },
	{ "scenario a\ntitle \"t\"\nclient connect server 80 count 0\n",
	  "t.tcp:3:32: connection count 0 is out of range" },
	/* numbers: only DIGITS[.DIGITS] (NaN became 292 years of waiting) */
	{ "scenario a\ntitle \"t\"\nwait nanms\n",
	  "t.tcp:3:6: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nwait NaNms\n",
	  "t.tcp:3:6: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nwait infs\n",
	  "t.tcp:3:6: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nwait 1e3ms\n",
	  "t.tcp:3:6: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nwait 0x1p-3s\n",
	  "t.tcp:3:6: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nserver accept within NaNms\n",
	  "t.tcp:4:22: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect server state LISTEN expires nans\n",
	  "t.tcp:4:36: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client error ECONNREFUSED at nans\n",
	  "t.tcp:4:37: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client retransmits at 1s,nans\n",
	  "t.tcp:4:33: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client counter TcpExtListenDrops >= 1e3\n",
	  "t.tcp:4:44: expected a number, got '1e3'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect drops client count>=0x3\n",
	  "t.tcp:4:21: expected a count, got '0x3'" },
	{ "scenario a\ntitle \"t\"\nserver listen 0x50\n",
	  "t.tcp:3:15: expected port (a number), got '0x50'" },
	{ "scenario a\ntitle \"t\"\nserver listen 99999999999999999999999\n",
	  "t.tcp:3:15: port 99999999999999999999999 is out of range" },
	/* strings are UTF-8 (they are copied into JSON and HTML) */
	{ "scenario a\ntitle \"ok \xc3\x28\"\n", "t.tcp:2:11: invalid UTF-8 in string" },
	{ "scenario a\ntitle \"\xc0\xaf\"\n", "t.tcp:2:8: invalid UTF-8 in string" },
	{ "scenario a\ntitle \"t\"\nteaches \"\xed\xa0\x80\"\n",
	  "t.tcp:3:10: invalid UTF-8 in string" },
	{ "scenario a\ntitle \"t\"\nteaches \"cut \xe2\x82\"\n",
	  "t.tcp:3:14: invalid UTF-8 in string" },
	{ "scenario a\ntitle \"t\x7f\"\n", "t.tcp:2:9: control character" },
	/* accepted but wrong before */
	{ "scenario a\ntitle \"\"\n", "t.tcp:2:7: title is empty" },
	{ "scenario a\ntitle \"  \"\n", "t.tcp:2:7: title is empty" },
	{ "scenario a\ntitle \"t\"\nexpect server state LISTEN\nserver listen 80\n",
	  "t.tcp:3:1: an expectation comes after an action" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp drop\nexpect drops server count>=1\n",
	  "t.tcp:4:1: an expectation comes after an action" },
	{ "scenario a\ntitle \"t\"\nfamily 4\nfirewall server input ipv6 tcp drop\nserver listen 80\n",
	  "t.tcp:4:1: an ipv6 rule in a scenario of family 4 would never match" },
	{ "scenario a\ntitle \"t\"\nfamily 6\nfirewall server input ipv4 tcp drop\nserver listen 80\n",
	  "t.tcp:4:1: an ipv4 rule in a scenario of family 6 would never match" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect server counter TcpExtListenDrop >= 1\n",
	  "t.tcp:4:23: Linux has no counter 'TcpExtListenDrop' (did you mean TcpExtListenDrops?)" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect server counter TcpExtSyncookiesSend >= 1\n",
	  "t.tcp:4:23: Linux has no counter 'TcpExtSyncookiesSend' (did you mean TcpExtSyncookiesSent?)" },
	{ "scenario a\ntitle \"t\"\nfirewall server forward tcp drop\n",
	  "t.tcp:3:17: 'forward' filters what a router passes on, and 'server' is an end host" },
	{ "scenario a\ntitle \"t\"\ntopology client router server\nfirewall client forward tcp drop\n",
	  "t.tcp:4:17: 'forward' filters what a router passes on, and 'client' is an end host" },
	/* record: nodes, counter names and states checked where written */
	{ "scenario a\ntitle \"t\"\nrecord client counter TcpExtSyncookiesFail\n",
	  "t.tcp:3:23: Linux has no counter 'TcpExtSyncookiesFail' (did you mean TcpExtSyncookiesFailed?)" },
	{ "scenario a\ntitle \"t\"\nrecord client counter SyncookiesFailed\n",
	  "t.tcp:3:23: expected a counter name as nstat prints it" },
	{ "scenario a\ntitle \"t\"\nrecord router counter TcpExtTW\n",
	  "t.tcp:3:8: unknown node 'router' (nodes: client, server)" },
	{ "scenario a\ntitle \"t\"\nrecord client state FIN_WAIT3\n",
	  "t.tcp:3:21: unknown TCP state 'FIN_WAIT3'" },
	{ "scenario a\ntitle \"t\"\nrecord client gauge TcpExtTW\n",
	  "t.tcp:3:15: expected 'counter' or 'state', got 'gauge'" },
	{ "scenario a\ntitle \"t\"\nrecord client counter\n",
	  "t.tcp:3:22: " },
	{ "scenario a\ntitle \"t\"\nrecord client state fin-wait-1\nrecord client state FIN_WAIT1\n",
	  "t.tcp:4:21: 'FIN_WAIT1' of client is recorded already (line 3)" },
	{ "scenario a\ntitle \"t\"\nrecord client state LISTEN\ntopology a b\n",
	  "t.tcp:4:1: topology comes before sysctls, records and steps" },
	/* messages name the scenario's own nodes */
	{ "scenario a\ntitle \"t\"\ntopology alice bob\nclient listen 80\n",
	  "t.tcp:4:1: unknown directive 'client' (scenario, title, teaches, xfail, "
	  "family, topology, sysctl, record, firewall, impair, expect, wait, long, or a node name: alice, bob)" },
};

static void test_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", bad_cases[i].text,
				       strlen(bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, bad_cases[i].msg, strlen(bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 bad_cases[i].msg, e.msg);
	}
}

/* record: what a baseline compares beyond the expectations */
static void test_records(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario r\n"
		"title \"T\"\n"
		"topology client router server\n"
		"record server counter TcpExtSyncookiesFailed\n"
		"server listen 80\n"
		"record client state fin-wait-1\n"
		"record router counter IpExtInOctets\n"
		"client connect server 80\n"
		"record server state SYN_RECV\n");

	(void)state;
	assert_int_equal(sc->nrecords, 4);
	assert_int_equal(sc->records[0].node, 2);
	assert_int_equal(sc->records[0].kind, RECORD_COUNTER);
	assert_string_equal(sc->records[0].counter, "TcpExtSyncookiesFailed");
	assert_int_equal(sc->records[0].loc.line, 4);
	assert_int_equal(sc->records[0].loc.col, 23);
	assert_int_equal(sc->records[1].node, 0);
	assert_int_equal(sc->records[1].kind, RECORD_STATE);
	assert_int_equal(sc->records[1].state, DIAG_FIN_WAIT1);
	assert_int_equal(sc->records[2].node, 1);
	assert_string_equal(sc->records[2].counter, "IpExtInOctets");
	assert_int_equal(sc->records[3].state, DIAG_SYN_RECV);
	/* a record is no step */
	assert_int_equal(sc->nsteps, 2);
	scenario_free(sc);
}

/* Named connections: "as NAME" on connect and accept; the name then leads
 * actions and stands for a node in expectations and packet ends. */
static void test_named_conns(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario n\n"
		"title \"T\"\n"
		"server listen 80\n"
		"client connect server 80 as a\n"
		"client connect 80 count 3 as b\n"
		"client connect server 80 as c count 2\n"
		"server accept within 20ms as sa\n"
		"server accept as sb\n"
		"a send 100\n"
		"sa recv within 5ms\n"
		"a keepalive idle 1s intvl 1s count 2\n"
		"a close\n"
		"expect sa eof\n"
		"expect a state FIN_WAIT2 within 5ms\n"
		"expect b error ECONNREFUSED\n"
		"expect packets a>server flags FIN,ACK count==1\n"
		"expect packets client>sb count>=0\n"
		"expect client state ESTABLISHED port 80\n");
	const struct step *s;

	(void)state;
	assert_int_equal(sc->nconns, 5);
	assert_string_equal(sc->conns[0].name, "a");
	assert_int_equal(sc->conns[0].node, 0);
	assert_int_equal(sc->conns[0].loc.line, 4);
	assert_int_equal(sc->conns[0].loc.col, 29);
	assert_string_equal(sc->conns[3].name, "sa");
	assert_int_equal(sc->conns[3].node, 1);
	s = sc->steps;
	assert_int_equal(s[0].conn, -1);
	assert_int_equal(s[1].conn, 0);
	assert_int_equal(s[1].peer, 1);
	assert_int_equal(s[1].port, 80);
	assert_int_equal(s[2].conn, 1);
	assert_int_equal(s[2].count, 3);
	assert_int_equal(s[3].conn, 2);
	assert_int_equal(s[3].count, 2);
	assert_int_equal(s[4].kind, STEP_ACCEPT);
	assert_int_equal(s[4].conn, 3);
	assert_int_equal(s[4].within_ns, 20000000);
	assert_int_equal(s[5].conn, 4);
	assert_int_equal(s[6].kind, STEP_SEND);
	assert_int_equal(s[6].node, 0);
	assert_int_equal(s[6].conn, 0);
	assert_int_equal(s[6].bytes, 100);
	assert_int_equal(s[7].kind, STEP_RECV);
	assert_int_equal(s[7].node, 1);
	assert_int_equal(s[7].conn, 3);
	assert_int_equal(s[8].kind, STEP_KEEPALIVE);
	assert_int_equal(s[8].conn, 0);
	assert_int_equal(s[9].kind, STEP_CLOSE);
	assert_int_equal(s[10].kind, STEP_EXPECT_EOF);
	assert_int_equal(s[10].node, 1);
	assert_int_equal(s[10].conn, 3);
	assert_int_equal(s[11].kind, STEP_EXPECT_STATE);
	assert_int_equal(s[11].conn, 0);
	assert_int_equal(s[12].kind, STEP_EXPECT_ERROR);
	assert_int_equal(s[12].conn, 1);
	assert_int_equal(s[13].kind, STEP_EXPECT_PACKETS);
	assert_int_equal(s[13].node, 0);
	assert_int_equal(s[13].peer, 1);
	assert_int_equal(s[13].conn, 0);
	assert_int_equal(s[14].node, 0);
	assert_int_equal(s[14].peer, 1);
	assert_int_equal(s[14].conn, 4);
	assert_int_equal(s[15].conn, -1);
	assert_int_equal(s[15].port, 80);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} conn_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nclient connect 80 as Bad\n",
	  "t.tcp:3:22: bad connection name 'Bad'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as server\n",
	  "t.tcp:3:22: 'server' is a node or a keyword" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as expect\n",
	  "t.tcp:3:22: 'expect' is a node or a keyword" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\nclient connect 81 as c1\n",
	  "t.tcp:4:22: connection 'c1' named twice (first on line 3)" },
	{ "scenario a\ntitle \"t\"\nserver accept as\n",
	  "t.tcp:3:15: unexpected 'as': NODE accept [within D] [as NAME]" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\nc1 listen 81\n",
	  "t.tcp:4:4: 'c1' is a connection: it can send, recv, shutdown, close, "
	  "abort, keepalive, sockopt or inject ('listen' is for its node, client)" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\nc1 close listener\n",
	  "t.tcp:4:10: a connection has no listener" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\nc2 send 1\n",
	  "t.tcp:4:1: unknown directive, node or connection 'c2' (connections "
	  "named so far: c1)" },
	{ "scenario a\ntitle \"t\"\nc1 send 1\nclient connect 80 as c1\n",
	  "t.tcp:3:1: unknown directive 'c1'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\n"
	  "expect c1 counter TcpExtListenDrops >= 1\n",
	  "t.tcp:4:8: 'c1' is a connection: counters belong to a node "
	  "(expect client counter ...)" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\nexpect c2 state LISTEN\n",
	  "t.tcp:4:8: unknown node 'c2'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c1\n"
	  "expect packets c1>client count>=1\n",
	  "t.tcp:4:16: 'c1>client': two different nodes" },
};

static void test_named_conns_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(conn_bad_cases) / sizeof(conn_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", conn_bad_cases[i].text,
				       strlen(conn_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 conn_bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, conn_bad_cases[i].msg,
			    strlen(conn_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 conn_bad_cases[i].msg, e.msg);
	}
}

/* Socket options: "with" on listen and connect, "sockopt" as a step, and a
 * fixed local port with "from". */
static void test_sockopts(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario o\n"
		"title \"T\"\n"
		"server listen 80 backlog 4 with rcvbuf=4096,defer-accept=2s\n"
		"client connect server 80 from 6000 with user-timeout=1500ms,nodelay=on as c\n"
		"client connect 80 with linger=3s count 2\n"
		"c sockopt sndbuf=8192,quickack=off\n"
		"client sockopt maxseg=536,fastopen-connect=on\n");
	const struct step *s;

	(void)state;
	s = sc->steps;
	assert_int_equal(s[0].backlog, 4);
	assert_int_equal(s[0].nopts, 2);
	assert_int_equal(s[0].opts[0].id, SOCKOPT_RCVBUF);
	assert_int_equal(s[0].opts[0].value, 4096);
	assert_int_equal(s[0].opts[1].id, SOCKOPT_DEFER_ACCEPT);
	assert_int_equal(s[0].opts[1].value, 2);
	assert_int_equal(s[1].from_port, 6000);
	assert_int_equal(s[1].port, 80);
	assert_int_equal(s[1].conn, 0);
	assert_int_equal(s[1].nopts, 2);
	assert_int_equal(s[1].opts[0].id, SOCKOPT_USER_TIMEOUT);
	assert_int_equal(s[1].opts[0].value, 1500);
	assert_int_equal(s[1].opts[1].id, SOCKOPT_NODELAY);
	assert_int_equal(s[1].opts[1].value, 1);
	assert_int_equal(s[2].count, 2);
	assert_int_equal(s[2].opts[0].id, SOCKOPT_LINGER);
	assert_int_equal(s[2].opts[0].value, 3);
	assert_int_equal(s[3].kind, STEP_SOCKOPT);
	assert_int_equal(s[3].conn, 0);
	assert_int_equal(s[3].opts[0].id, SOCKOPT_SNDBUF);
	assert_int_equal(s[3].opts[1].id, SOCKOPT_QUICKACK);
	assert_int_equal(s[3].opts[1].value, 0);
	assert_int_equal(s[4].kind, STEP_SOCKOPT);
	assert_int_equal(s[4].conn, -1);
	assert_int_equal(s[4].opts[0].value, 536);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} opt_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nclient connect 80 with bogus=1\n",
	  "t.tcp:3:24: unknown socket option 'bogus' (user-timeout, rcvbuf," },
	{ "scenario a\ntitle \"t\"\nclient connect 80 with rcvbuf=1,nodelay=maybe\n",
	  "t.tcp:3:41: bad value 'maybe' for nodelay (TCP_NODELAY): expected on or off" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 with user-timeout=1.5ms\n",
	  "t.tcp:3:37: bad value '1.5ms' for user-timeout (TCP_USER_TIMEOUT): "
	  "expected whole milliseconds" },
	{ "scenario a\ntitle \"t\"\nserver listen 80 with defer-accept=1500ms\n",
	  "t.tcp:3:36: bad value '1500ms' for defer-accept (TCP_DEFER_ACCEPT): "
	  "expected whole seconds" },
	{ "scenario a\ntitle \"t\"\nserver listen 80 with rcvbuf=0\n",
	  "t.tcp:3:30: bad value '0' for rcvbuf (SO_RCVBUF): expected 1..67108864 bytes" },
	{ "scenario a\ntitle \"t\"\nserver listen 80 with rcvbuf\n",
	  "t.tcp:3:23: expected OPT=VALUE, got 'rcvbuf'" },
	{ "scenario a\ntitle \"t\"\nserver listen 80 with rcvbuf=1,rcvbuf=2\n",
	  "t.tcp:3:32: option 'rcvbuf' given twice" },
	{ "scenario a\ntitle \"t\"\nserver listen 80 with\n",
	  "t.tcp:3:18: 'with' needs options such as rcvbuf=4096" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 from 0\n",
	  "t.tcp:3:24: port 0 is out of range" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 from 6000 count 2\n",
	  "t.tcp:3:8: 'from' binds one connection's port: not with 'count'" },
	{ "scenario a\ntitle \"t\"\nclient sockopt\n",
	  "t.tcp:3:15: missing argument: NODE sockopt OPT=VALUE[,OPT=VALUE...]" },
	{ "scenario a\ntitle \"t\"\nclient sockopt nodelay=on x\n",
	  "t.tcp:3:27: unexpected 'x': NODE sockopt OPT=VALUE[,OPT=VALUE...]" },
};

static void test_sockopts_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(opt_bad_cases) / sizeof(opt_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", opt_bad_cases[i].text,
				       strlen(opt_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 opt_bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, opt_bad_cases[i].msg,
			    strlen(opt_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 opt_bad_cases[i].msg, e.msg);
	}
}

/* Crafted segments: "NODE|NAME inject flags F [seq +N] [ack +N] [win N]" */
static void test_inject(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario i\n"
		"title \"T\"\n"
		"server listen 80\n"
		"client connect server 80 as c\n"
		"client inject flags R seq +1000\n"
		"c inject flags R. seq -1 ack +0 win 512\n"
		"server inject flags S\n");
	const struct step *s = sc->steps;

	(void)state;
	assert_int_equal(s[2].kind, STEP_INJECT);
	assert_int_equal(s[2].node, 0);
	assert_int_equal(s[2].conn, -1);
	assert_int_equal(s[2].tcp_flags, 0x04);
	assert_int_equal(s[2].seq_off, 1000);
	assert_int_equal(s[2].ack_off, 0);
	assert_int_equal(s[2].win, 0);
	assert_int_equal(s[3].conn, 0);
	assert_int_equal(s[3].node, 0);
	assert_int_equal(s[3].tcp_flags, 0x14);
	assert_int_equal(s[3].seq_off, -1);
	assert_int_equal(s[3].win, 512);
	assert_int_equal(s[4].node, 1);
	assert_int_equal(s[4].tcp_flags, 0x02);
	assert_int_equal(s[4].seq_off, 0);
	assert_int_equal(s[4].win, 65535);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} inject_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nclient inject\n",
	  "t.tcp:3:14: missing argument: NODE inject flags F [seq +N] [ack +N] [win N]" },
	{ "scenario a\ntitle \"t\"\nclient inject seq +1\n",
	  "t.tcp:3:15: expected 'flags': NODE inject flags F" },
	{ "scenario a\ntitle \"t\"\nclient inject flags RST\n",
	  "t.tcp:3:21: bad TCP flags 'RST' (tcpdump's letters: F S R P . U E W" },
	{ "scenario a\ntitle \"t\"\nclient inject flags RR\n",
	  "t.tcp:3:21: bad TCP flags 'RR'" },
	{ "scenario a\ntitle \"t\"\nclient inject flags R seq 5\n",
	  "t.tcp:3:27: seq '5': a signed offset such as +0" },
	{ "scenario a\ntitle \"t\"\nclient inject flags R seq +x\n",
	  "t.tcp:3:28: " },
	{ "scenario a\ntitle \"t\"\nclient inject flags R seq\n",
	  "t.tcp:3:23: 'seq' needs an offset such as +0" },
	{ "scenario a\ntitle \"t\"\nclient inject flags R ack +1\n",
	  "t.tcp:3:27: 'ack' needs the ACK flag" },
	{ "scenario a\ntitle \"t\"\nclient inject flags R win 70000\n",
	  "t.tcp:3:27: " },
	{ "scenario a\ntitle \"t\"\nclient inject flags R win 1 seq +0\n",
	  "t.tcp:3:29: unexpected 'seq': NODE inject flags F" },
	{ "scenario a\ntitle \"t\"\nrouter inject flags R\n",
	  "t.tcp:3:1: " },
	{ "scenario a\ntitle \"t\"\nclient injekt flags R\n",
	  "t.tcp:3:8: unknown action 'injekt'" },
};

static void test_inject_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(inject_bad_cases) / sizeof(inject_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", inject_bad_cases[i].text,
				       strlen(inject_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 inject_bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, inject_bad_cases[i].msg,
			    strlen(inject_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 inject_bad_cases[i].msg, e.msg);
	}
}

/* "impair SRC->DST ...": a queued rule on DST's input, checked at parse time */
/* What a kept lab could not keep: an impairment in force at the end */
static void test_impair_kept(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario i\n"
		"title \"T\"\n"
		"impair client->server delay 50ms\n"
		"impair server->client delay 50ms\n"
		"firewall server flush\n"
		"wait 1ms\n");
	const struct step *st;

	(void)state;
	st = scenario_impair_kept(sc);
	assert_non_null(st);
	assert_int_equal(st->loc.line, 4); /* the client's: never flushed */
	scenario_free(sc);
	sc = parse_ok("scenario i\ntitle \"T\"\n"
		      "impair client->server delay 50ms\n"
		      "firewall server flush\n"
		      "firewall client input tcp dport 80 drop\n");
	assert_null(scenario_impair_kept(sc));
	scenario_free(sc);
}

static void test_impair(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario i\n"
		"title \"T\"\n"
		"impair client->server delay 50ms\n"
		"impair server->client loss 20% seed 7\n"
		"impair client->server ipv6 dport 80 flags PSH,ACK duplicate 0.5%\n"
		"impair client->server reorder\n"
		"impair client->server reorder 25% seed 0 rate 100kbit\n"
		"impair server->client rate 1.5mbit delay 2s sport 80\n"
		"impair client->server reorder after 30ms dport 80\n"
		"impair client->server reorder 50% after 2s\n");
	const struct step *s = sc->steps;
	char buf[160];

	(void)state;
	assert_int_equal(sc->nsteps, 8);
	assert_int_equal(s[0].kind, STEP_FIREWALL);
	assert_int_equal(s[0].node, 1);
	assert_int_equal(s[0].rule.node, 1);
	assert_int_equal(s[0].rule.hook, RULE_INPUT);
	assert_int_equal(s[0].rule.action, RULE_IMPAIR);
	assert_int_equal(s[0].rule.imp.src, 0);
	assert_int_equal(s[0].rule.imp.delay_ns, 50000000ULL);
	assert_int_equal(s[0].rule.imp.seed, 1);
	assert_int_equal(s[0].rule.id, 1);
	assert_int_equal(s[0].loc.line, 3);
	assert_int_equal(s[0].loc.col, 1);
	assert_int_equal(s[1].node, 0);
	assert_int_equal(s[1].rule.imp.src, 1);
	assert_int_equal(s[1].rule.imp.loss_ppm, 200000);
	assert_int_equal(s[1].rule.imp.seed, 7);
	assert_int_equal(s[2].rule.family, 6);
	assert_int_equal(s[2].rule.dport, 80);
	assert_int_equal(s[2].rule.flags_set, RULE_TCP_PSH | RULE_TCP_ACK);
	assert_int_equal(s[2].rule.imp.dup_ppm, 5000);
	assert_int_equal(s[3].rule.imp.reorder_ppm, 1000000);
	/* a held segment goes alone after 100 ms unless told otherwise */
	assert_int_equal(s[3].rule.imp.reorder_after_ns, 100000000ULL);
	assert_int_equal(s[4].rule.imp.reorder_ppm, 250000);
	assert_int_equal(s[6].rule.imp.reorder_ppm, 1000000);
	assert_int_equal(s[6].rule.imp.reorder_after_ns, 30000000ULL);
	assert_int_equal(s[6].rule.dport, 80);
	assert_int_equal(s[7].rule.imp.reorder_ppm, 500000);
	assert_int_equal(s[7].rule.imp.reorder_after_ns, 2000000000ULL);
	assert_int_equal(s[4].rule.imp.seed, 0);
	assert_int_equal(s[4].rule.imp.rate_bps, 100000);
	assert_int_equal(s[5].rule.imp.rate_bps, 1500000);
	assert_int_equal(s[5].rule.imp.delay_ns, 2000000000ULL);
	assert_int_equal(s[5].rule.sport, 80);
	for (size_t k = 0; k < sc->nsteps; k++)
		assert_int_equal(rule_check(&s[k].rule), 0);
	rule_describe(&s[1].rule, buf, sizeof(buf));
	assert_string_equal(buf, "input tcp impair loss 20% seed 7 via nfqueue");
	rule_describe(&s[2].rule, buf, sizeof(buf));
	assert_string_equal(buf, "input ipv6 tcp dport 80 flags PSH,ACK/FIN,SYN,RST,"
			    "PSH,ACK impair duplicate 0.5% seed 1 via nfqueue");
	rule_impair_format(&s[5].rule.imp, buf, sizeof(buf));
	assert_string_equal(buf, "delay 2.000s rate 1500kbit");
	rule_impair_format(&s[3].rule.imp, buf, sizeof(buf));
	assert_string_equal(buf, "reorder 100% seed 1");
	rule_impair_format(&s[6].rule.imp, buf, sizeof(buf));
	assert_string_equal(buf, "reorder 100% after 30ms seed 1");
	rule_render_nft(&s[0].rule, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "nft add rule inet tcplab input meta l4proto tcp "
			    "counter queue num 1 bypass");
	rule_render_ipt(&s[1].rule, RULE_IPT_AUTO, buf, sizeof(buf));
	assert_string_equal(buf, "iptables -A INPUT -p tcp -j NFQUEUE --queue-num 2 "
			    "--queue-bypass");
	assert_true(rule_queued(&s[0].rule));
	assert_false(rule_logged(&s[0].rule));
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} impair_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nimpair client->server\n",
	  "t.tcp:3:22: missing argument: impair SRC->DST" },
	{ "scenario a\ntitle \"t\"\nimpair client delay 5ms\n",
	  "t.tcp:3:8: expected a direction SRC->DST such as client->server, got 'client'" },
	{ "scenario a\ntitle \"t\"\nimpair client->sever delay 5ms\n",
	  "t.tcp:3:16: unknown node 'sever' (nodes: client, server)" },
	{ "scenario a\ntitle \"t\"\nimpair klient->server delay 5ms\n",
	  "t.tcp:3:8: unknown node 'klient'" },
	{ "scenario a\ntitle \"t\"\nimpair client->client delay 5ms\n",
	  "t.tcp:3:16: 'client->client': a direction joins two different nodes" },
	{ "scenario a\ntitle \"t\"\nimpair client->server dport 80\n",
	  "t.tcp:3:29: missing impairment (delay, loss, duplicate, reorder or rate)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay\n",
	  "t.tcp:3:23: 'delay' needs a value" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay 50\n",
	  "t.tcp:3:29: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay 0ms\n",
	  "t.tcp:3:29: delay 0ms is out of range (more than 0, at most 10s)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay 11s\n",
	  "t.tcp:3:29: delay 11s is out of range (more than 0, at most 10s)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss 20\n",
	  "t.tcp:3:28: 'loss' needs a percentage such as 20% or 0.5%, got '20'" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss 101%\n",
	  "t.tcp:3:28: loss 101% is out of range (more than 0%, at most 100%)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss 0%\n",
	  "t.tcp:3:28: loss 0% is out of range" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss 0.00001%\n",
	  "t.tcp:3:28: percentage '0.00001%' is finer than 0.0001%" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss -5%\n",
	  "t.tcp:3:28: 'loss' needs a percentage" },
	{ "scenario a\ntitle \"t\"\nimpair client->server duplicate 100.5%\n",
	  "t.tcp:3:33: duplicate 100.5% is out of range" },
	{ "scenario a\ntitle \"t\"\nimpair client->server reorder 0%\n",
	  "t.tcp:3:31: reorder 0% is out of range" },
	{ "scenario a\ntitle \"t\"\nimpair client->server reorder after 0ms\n",
	  "t.tcp:3:37: reorder after 0ms is out of range (more than 0, at most 10s)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server reorder 5% after 11s\n",
	  "t.tcp:3:40: reorder after 11s is out of range (more than 0, at most 10s)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server reorder after\n",
	  "t.tcp:3:31: 'after' needs a duration: impair SRC->DST [ipv4|ipv6] [sport P] [dport P] [flags F[/MASK]] [delay D] [loss P%] [duplicate P%] [reorder [P%] [after D]] [rate R] [seed N]" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay 5ms after 5ms\n",
	  "t.tcp:3:33: unexpected 'after': impair SRC->DST [ipv4|ipv6] [sport P] [dport P] [flags F[/MASK]] [delay D] [loss P%] [duplicate P%] [reorder [P%] [after D]] [rate R] [seed N]" },
	{ "scenario a\ntitle \"t\"\nimpair client->server rate 100kb\n",
	  "t.tcp:3:28: 'rate' needs a rate such as 100kbit or 10mbit (bit, kbit, mbit, gbit), got '100kb'" },
	{ "scenario a\ntitle \"t\"\nimpair client->server rate 999bit\n",
	  "t.tcp:3:28: rate 999bit is out of range (1kbit..10gbit)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server rate 11gbit\n",
	  "t.tcp:3:28: rate 11gbit is out of range (1kbit..10gbit)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server rate 1.0005kbit\n",
	  "t.tcp:3:28: rate '1.0005kbit' is not a whole number of bits per second" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss 5% seed x\n",
	  "t.tcp:3:36: expected seed (a number), got 'x'" },
	{ "scenario a\ntitle \"t\"\nimpair client->server loss 5% seed 4294967296\n",
	  "t.tcp:3:36: seed 4294967296 is out of range (0..4294967295)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay 5ms seed 3\n",
	  "t.tcp:3:33: 'seed' drives loss, duplicate and reorder, and this line has none of them" },
	{ "scenario a\ntitle \"t\"\nimpair client->server delay 5ms delay 6ms\n",
	  "t.tcp:3:33: 'delay' given twice" },
	{ "scenario a\ntitle \"t\"\nimpair client->server jitter 5ms\n",
	  "t.tcp:3:23: unexpected 'jitter': impair SRC->DST" },
	{ "scenario a\ntitle \"t\"\nimpair client->server dport 0 delay 5ms\n",
	  "t.tcp:3:29: port 0 is out of range (1..65535)" },
	{ "scenario a\ntitle \"t\"\nimpair client->server flags SYNN delay 5ms\n",
	  "t.tcp:3:29: bad TCP flags 'SYNN'" },
	{ "scenario a\ntitle \"t\"\nfamily 4\nimpair client->server ipv6 delay 5ms\n",
	  "t.tcp:4:1: an ipv6 rule in a scenario of family 4 would never match" },
};

static void test_impair_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(impair_bad_cases) / sizeof(impair_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", impair_bad_cases[i].text,
				       strlen(impair_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 impair_bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, impair_bad_cases[i].msg,
			    strlen(impair_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 impair_bad_cases[i].msg, e.msg);
	}
}

/* What a socket holds: "expect NODE|NAME socket FIELD OP VALUE [port P]" */
static void test_socket_fields(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario s\n"
		"title \"T\"\n"
		"server listen 80 backlog 1\n"
		"client connect server 80 as c\n"
		"expect server socket accept-queue == 1 port 80 within 50ms\n"
		"expect server socket syn-queue >= 0 port 80\n"
		"expect c socket rto <= 250ms\n"
		"expect c socket ca-state == loss\n"
		"expect client socket snd-wnd == 0 port 80\n"
		"expect c socket total-retrans > 0\n");
	const struct step *s;

	(void)state;
	s = sc->steps;
	assert_int_equal(s[2].kind, STEP_EXPECT_SOCKET);
	assert_int_equal(s[2].field, DIAG_F_ACCEPT_Q);
	assert_int_equal(s[2].cmp, CMP_EQ);
	assert_int_equal(s[2].value, 1);
	assert_int_equal(s[2].port, 80);
	assert_int_equal(s[2].within_ns, 50000000);
	assert_int_equal(s[3].field, DIAG_F_SYN_Q);
	assert_int_equal(s[4].field, DIAG_F_RTO);
	assert_int_equal(s[4].value, 250000); /* microseconds */
	assert_int_equal(s[4].conn, 0);
	assert_int_equal(s[5].value, 4);
	assert_int_equal(s[6].field, DIAG_F_SND_WND);
	assert_int_equal(s[6].conn, -1);
	assert_int_equal(s[7].cmp, CMP_GT);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} field_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client socket window == 0\n",
	  "t.tcp:4:22: unknown socket field 'window' (recv-q, send-q," },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client socket rto == 5\n",
	  "t.tcp:4:29: expected a duration such as 50ms" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client socket ca-state == lost\n",
	  "t.tcp:4:34: expected a congestion state (open, disorder, cwr, recovery, "
	  "loss), got 'lost'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client socket cwnd =< 3\n",
	  "t.tcp:4:27: expected a comparison" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client socket cwnd\n",
	  "t.tcp:4:26: missing argument: expect NODE state" },
	{ "scenario a\ntitle \"t\"\nserver listen 80\nexpect server socket accept-queue == 0\n",
	  "t.tcp:4:22: 'accept-queue' is a listener's: name its port" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c\nexpect c socket backlog == 1 port 80\n",
	  "t.tcp:4:17: 'backlog' is a listener's: expect client socket backlog" },
	{ "scenario a\ntitle \"t\"\nclient connect 80 as c\nexpect c socket cwnd == 10 port 80\n",
	  "t.tcp:4:28: a named connection is one socket: no 'port' needed" },
};

static void test_socket_fields_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(field_bad_cases) / sizeof(field_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", field_bad_cases[i].text,
				       strlen(field_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 field_bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, field_bad_cases[i].msg,
			    strlen(field_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 field_bad_cases[i].msg, e.msg);
	}
}

/* What the program read: "send "TEXT"", "expect NODE received ...", rcv-wnd */
static void test_received(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario s\n"
		"title \"T\"\n"
		"server listen 80\n"
		"client connect server 80 as c\n"
		"server accept as sc\n"
		"c send \"hello\"\n"
		"client send 10\n"
		"expect server received \"hello\"\n"
		"expect sc received bytes >= 5\n"
		"expect server socket rcv_wnd == 0 port 80 within 50ms\n"
		"expect sc socket rcv-wnd > 100\n"
		"expect sc received \"hello\" within 20ms\n"
		"expect sc received bytes != 5 within 1.5s\n");
	const struct step *s;

	(void)state;
	s = sc->steps;
	assert_int_equal(s[3].kind, STEP_SEND);
	assert_true(s[3].has_data);
	assert_string_equal(s[3].data, "hello");
	assert_int_equal(s[3].bytes, 5);
	assert_false(s[4].has_data);
	assert_int_equal(s[4].bytes, 10);
	assert_int_equal(s[5].kind, STEP_EXPECT_RECEIVED);
	assert_int_equal(s[5].conn, -1);
	assert_string_equal(s[5].data, "hello");
	assert_true(s[5].has_data);
	assert_int_equal(s[6].kind, STEP_EXPECT_RECEIVED);
	assert_int_equal(s[6].conn, 1);
	assert_false(s[6].has_data);
	assert_int_equal(s[6].cmp, CMP_GE);
	assert_int_equal(s[6].value, 5);
	assert_int_equal(s[7].field, DIAG_F_RCV_WND);
	assert_int_equal(s[7].within_ns, 50000000);
	assert_int_equal(s[8].field, DIAG_F_RCV_WND);
	assert_int_equal(s[8].cmp, CMP_GT);
	/* without "within" what was read so far, now; with it, reading on */
	assert_int_equal(s[5].within_ns, 0);
	assert_int_equal(s[9].within_ns, 20000000);
	assert_string_equal(s[9].data, "hello");
	assert_int_equal(s[10].within_ns, 1500000000);
	assert_int_equal(s[10].cmp, CMP_NE);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} received_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nclient connect 80\nclient send \"\"\n",
	  "t.tcp:4:13: text of 1 to 127 bytes, not 0" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received hello\n",
	  "t.tcp:4:24: expected \"TEXT\" or 'bytes OP N' after 'received'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received bytes => 3\n",
	  "t.tcp:4:30: expected a comparison" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received bytes >= x\n",
	  "t.tcp:4:33: expected byte count (a number), got 'x'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received \"a\" within 1s 2s\n",
	  "t.tcp:4:38: unexpected '2s': expect NODE state STATE [port P] [timer KIND] [expires D] [within D] | expect NODE error ERRNO [at T] [within D] | expect NODE eof [within D] | expect NODE retransmits at T1,T2,... [port P] | expect NODE counter NAME OP VALUE [within D] | expect NODE socket FIELD OP VALUE [port P] [within D] | expect NODE received \"TEXT\" | bytes OP N [within D]" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received bytes < 3 within 1s\n",
	  "t.tcp:4:34: what was read only grows: 'received bytes < N' holds now or never (no 'within')" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received \"a\" within\n",
	  "t.tcp:4:28: 'within' needs a duration" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client received\n",
	  "t.tcp:4:23: missing argument: expect NODE state" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nexpect client socket rcv_wnd_x == 0\n",
	  "t.tcp:4:22: unknown socket field 'rcv_wnd_x'" },
	{ "scenario a\ntitle \"t\"\nclient connect 80\nclient send \""
	  "0123456789012345678901234567890123456789012345678901234567890123"
	  "0123456789012345678901234567890123456789012345678901234567890123\"\n",
	  "t.tcp:4:13: text of 1 to 127 bytes, not 128" },
};

static void test_received_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(received_bad_cases) / sizeof(received_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", received_bad_cases[i].text,
				       strlen(received_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 received_bad_cases[i].text);
		assert_null(sc);
		assert_int_equal(e.exit_class, ERR_EXIT_USAGE);
		if (strncmp(e.msg, received_bad_cases[i].msg,
			    strlen(received_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 received_bad_cases[i].msg, e.msg);
	}
}

/* "topology star HUB ...": the hub routes; leaves reach each other through it */
static void test_star(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario s\n"
		"title \"T\"\n"
		"topology star router alice bob server\n"
		"server listen 80\n"
		"alice connect server 80\n"
		"firewall router forward tcp dport 80 drop\n");
	struct plan p;
	struct err e = { 0 };
	char a[64];
	int i;

	(void)state;
	assert_true(sc->star);
	assert_int_equal(sc->nnodes, 4);
	assert_string_equal(sc->nodes[0], "router");
	assert_int_equal(sc->steps[1].peer, 3);
	assert_int_equal(plan_build(sc, 4, "nftables", &p, &e), 0);
	assert_true(p.nodes[0].forward);
	assert_int_equal(p.nodes[0].nifs, 3);
	assert_int_equal(p.nodes[0].nroutes, 0);
	for (i = 1; i < 4; i++) {
		assert_false(p.nodes[i].forward);
		assert_int_equal(p.nodes[i].nifs, 1);
		/* the two other links, each family, through the hub */
		assert_int_equal(p.nodes[i].nroutes, 4);
		assert_int_equal(p.nodes[i].ifs[0].peer_node, 0);
		assert_int_equal(p.nodes[0].ifs[i - 1].peer_node, i);
		assert_int_equal(p.nodes[i].routes[0].via.v4.s_addr,
				 p.nodes[0].ifs[i - 1].v4.s_addr);
	}
	assert_string_equal(plan_addr_str(&p, 3, a, sizeof(a)), "198.18.2.2");
	assert_int_equal(plan_build(sc, 6, "nftables", &p, &e), 0);
	assert_string_equal(plan_addr_str(&p, 1, a, sizeof(a)), "fd00:198:18::2");
	assert_string_equal(plan_addr_str(&p, 2, a, sizeof(a)), "fd00:198:18:1::2");
	scenario_free(sc);
}

/* "connect ADDRESS PORT": an address no node owns, and its twin */
static void test_connect_address(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario s\n"
		"title \"T\"\n"
		"client connect 198.18.0.9 80\n"
		"client connect fd00:198:18:9::7 81 as x\n");
	char a[64];

	(void)state;
	assert_int_equal(sc->steps[0].peer, -1);
	assert_int_equal(sc->steps[0].peer_families,
			 SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6);
	inet_ntop(AF_INET6, &sc->steps[0].peer_v6, a, sizeof(a));
	assert_string_equal(a, "fd00:198:18::9");
	inet_ntop(AF_INET, &sc->steps[1].peer_v4, a, sizeof(a));
	assert_string_equal(a, "198.18.9.7");
	assert_int_equal(sc->steps[1].port, 81);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} topo_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\ntopology star hub a\n",
	  "t.tcp:3:10: a star is a hub and two or three nodes" },
	{ "scenario a\ntitle \"t\"\ntopology star hub a b c d\n",
	  "t.tcp:3:25: unexpected 'd'" },
	{ "scenario a\ntitle \"t\"\ntopology a b c d e\n",
	  "t.tcp:3:18: a lab has 4 nodes at most" },
	{ "scenario a\ntitle \"t\"\ntopology star r a b\nfirewall a forward tcp drop\n",
	  "t.tcp:4:12: 'forward' filters what a router passes on, and 'a' is an end host" },
	{ "scenario a\ntitle \"t\"\ntopology star r a b\na connect 80\n",
	  "t.tcp:4:11: with more than two nodes, name the peer" },
	{ "scenario a\ntitle \"t\"\nclient connect 10.0.0.1 80\n",
	  "t.tcp:3:16: '10.0.0.1' is outside the lab's addresses (198.18.0.0/15)" },
	{ "scenario a\ntitle \"t\"\nclient connect fe80::1 80\n",
	  "t.tcp:3:16: 'fe80::1' is outside the lab's addresses (fd00::/8)" },
	{ "scenario a\ntitle \"t\"\nclient connect 198.18.0.300 80\n",
	  "t.tcp:3:16: '198.18.0.300' is neither a node (client, server) nor an address" },
	{ "scenario a\ntitle \"t\"\nclient connect 198.19.0.1 80\n",
	  "t.tcp:3:8: this address has no IPv6 form: give the scenario 'family 4'" },
	{ "scenario a\ntitle \"t\"\nclient connect fd00::1 80\n",
	  "t.tcp:3:8: this address has no IPv4 form: give the scenario 'family 6'" },
};

static void test_topology_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(topo_bad_cases) / sizeof(topo_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", topo_bad_cases[i].text,
				       strlen(topo_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 topo_bad_cases[i].text);
		assert_null(sc);
		if (strncmp(e.msg, topo_bad_cases[i].msg,
			    strlen(topo_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 topo_bad_cases[i].msg, e.msg);
	}
	/* the family it has a form in is fine */
	{
		struct scenario *sc = parse_ok("scenario s\ntitle \"T\"\nfamily 4\n"
					       "client connect 198.19.0.1 80\n");

		scenario_free(sc);
	}
}

/* Firewall answers with ICMP: "reject icmp TYPE" */
static void test_reject_icmp(void **state)
{
	struct scenario *sc = parse_ok(
		"scenario r\n"
		"title \"T\"\n"
		"firewall server input tcp dport 80 flags SYN reject icmp port-unreachable\n"
		"firewall server input tcp reject icmp admin-prohibited\n"
		"firewall client output tcp reject icmp net-unreachable\n"
		"firewall server input tcp reject\n");
	const struct step *s = sc->steps;

	(void)state;
	assert_int_equal(s[0].rule.action, RULE_REJECT_ICMP);
	assert_int_equal(s[0].rule.icmp, RULE_ICMP_PORT);
	assert_int_equal(s[1].rule.icmp, RULE_ICMP_ADMIN);
	assert_int_equal(s[2].rule.icmp, RULE_ICMP_NET);
	assert_int_equal(s[3].rule.action, RULE_REJECT_RST);
	assert_int_equal(rule_check(&s[0].rule), 0);
	scenario_free(sc);
}

static const struct {
	const char *text, *msg;
} icmp_bad_cases[] = {
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp reject icmp\n",
	  "t.tcp:3:34: 'icmp' needs a type (port-unreachable, host-unreachable, "
	  "net-unreachable, admin-prohibited)" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp reject icmp echo\n",
	  "t.tcp:3:39: unknown ICMP answer 'echo'" },
	{ "scenario a\ntitle \"t\"\nfirewall server input tcp reject icmp port-unreachable x\n",
	  "t.tcp:3:56: unexpected 'x'" },
};

static void test_reject_icmp_bad(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(icmp_bad_cases) / sizeof(icmp_bad_cases[0]); i++) {
		struct err e = { 0 };
		struct scenario *sc = NULL;
		int r = scenario_parse("t.tcp", icmp_bad_cases[i].text,
				       strlen(icmp_bad_cases[i].text), &sc, &e);

		if (r == 0)
			fail_msg("case %zu parsed but should fail: %s", i,
				 icmp_bad_cases[i].text);
		assert_null(sc);
		if (strncmp(e.msg, icmp_bad_cases[i].msg,
			    strlen(icmp_bad_cases[i].msg)))
			fail_msg("case %zu:\n  want: %s\n  got:  %s", i,
				 icmp_bad_cases[i].msg, e.msg);
	}
}

/* Every shipped scenario parses. */
static void test_shipped(void **state)
{
	DIR *d = opendir(SCENARIO_DIR);
	struct dirent *de;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		struct scenario *sc;
		struct err e = { 0 };
		char path[4096];

		if (l < 5 || strcmp(de->d_name + l - 4, ".tcp"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", SCENARIO_DIR, de->d_name);
		if (scenario_load(path, &sc, &e))
			fail_msg("%s", e.msg);
		/* the file is named after the scenario */
		assert_int_equal(strncmp(de->d_name, sc->name, l - 4), 0);
		assert_non_null(sc->teaches);
		scenario_free(sc);
		n++;
	}
	closedir(d);
	assert_true(n >= 4);
}

static void test_load_missing(void **state)
{
	struct err e = { 0 };
	struct scenario *sc;

	(void)state;
	assert_int_equal(scenario_load("/nonexistent/x.tcp", &sc, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "/nonexistent/x.tcp"));
}

/* A file to load: written to a fresh directory with @mode */
static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void load_fails(const char *path, const char *want)
{
	struct err e = { 0 };
	struct scenario *sc = NULL;

	if (!scenario_load(path, &sc, &e))
		fail_msg("%s loaded but should fail", path);
	assert_null(sc);
	if (!strstr(e.msg, want))
		fail_msg("%s:\n  want: %s\n  got:  %s", path, want, e.msg);
}

/*
 * What only a file can be: a FIFO (which hung open() for ever), a
 * directory, a file nobody may read, a name that is not the file's.
 */
static void test_load_files(void **state)
{
	static const char ok[] = "scenario good\ntitle \"t\"\nserver listen 80\n";
	char dir[] = "/tmp/tcplab-test-XXXXXX", path[512];
	struct err e = { 0 };
	struct scenario *sc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/good.tcp", dir);
	write_file(path, ok, 0644);
	assert_int_equal(scenario_load(path, &sc, &e), 0);
	scenario_free(sc);
	unlink(path);

	snprintf(path, sizeof(path), "%s/other.tcp", dir);
	write_file(path, ok, 0644);
	load_fails(path, "/other.tcp:1:10: scenario 'good' is in a file named 'other.tcp'");
	unlink(path);

	snprintf(path, sizeof(path), "%s/good.tcp", dir);
	write_file(path, ok, 0);
	load_fails(path, "/good.tcp:1:1: cannot read scenario: it has no read permission");
	unlink(path);

	assert_int_equal(mkfifo(path, 0644), 0);
	alarm(5); /* the old open() blocked here for ever */
	load_fails(path, "/good.tcp:1:1: cannot read scenario: not a regular file (a FIFO)");
	alarm(0);
	unlink(path);

	assert_int_equal(mkdir(path, 0755), 0);
	load_fails(path, "/good.tcp:1:1: cannot read scenario: it is a directory");
	rmdir(path);
	load_fails("/dev/null", "/dev/null:1:1: cannot read scenario: not a regular file");
	assert_int_equal(rmdir(dir), 0);
}

/*
 * A file that holds more than fstat() said is read to its end: a /proc
 * file says 0 bytes, and this process's name is what /proc/self/comm
 * holds.  "scenario grown" then fails for its missing title, not as an
 * empty file.
 */
static void test_load_more_than_stat(void **state)
{
	char name[16] = "";
	struct stat st;

	(void)state;
	assert_int_equal(stat("/proc/self/comm", &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(prctl(PR_GET_NAME, name), 0);
	assert_int_equal(prctl(PR_SET_NAME, "scenario grown"), 0);
	load_fails("/proc/self/comm",
		   "/proc/self/comm:1:1: scenario 'grown' has no title");
	assert_int_equal(prctl(PR_SET_NAME, name), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_catalogue_syntax),
		cmocka_unit_test(test_impair),
		cmocka_unit_test(test_impair_kept),
		cmocka_unit_test(test_impair_bad),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_named_conns),
		cmocka_unit_test(test_named_conns_bad),
		cmocka_unit_test(test_sockopts),
		cmocka_unit_test(test_sockopts_bad),
		cmocka_unit_test(test_inject),
		cmocka_unit_test(test_inject_bad),
		cmocka_unit_test(test_socket_fields),
		cmocka_unit_test(test_socket_fields_bad),
		cmocka_unit_test(test_received),
		cmocka_unit_test(test_received_bad),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_connect_address),
		cmocka_unit_test(test_topology_bad),
		cmocka_unit_test(test_reject_icmp),
		cmocka_unit_test(test_reject_icmp_bad),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_load_more_than_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
