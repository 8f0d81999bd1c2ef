// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_writers.c - the results writers (JSON, KTAP, JUnit XML, HTML and
 * Markdown reports) and the baseline comparison, on a small struct results
 * built by hand: two runs, syn-sent that passed (a SYN dropped three times
 * on the server's input, then ETIMEDOUT) and syn-recv that failed (the
 * SYN-ACK dropped on the client's input).  Texts carry characters every
 * format must escape.  Each writer's output is a golden file in
 * tests/data/results: regenerate them with TCPLAB_UPDATE_GOLDEN=1 and
 * review the diff.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "golden.h"
#include "results_json.h"
#include "junit.h"
#include "ktap.h"
#include "report.h"
#include "results.h"
#include "rule.h"
#include "util.h"

#define GOLDEN_DIR TESTS_DATA_DIR "/results"
#define US NS_PER_US
#define MS NS_PER_MS
#define T0 (1000 * NS_PER_S)

static const char syn_sent_file[] = "scenarios/syn-sent.tcp";
static const char syn_recv_file[] = "scenarios/syn-recv.tcp";

/**
 * v4() - an IPv4 address and port, 198.18.0.@last:@port
 * @last:	last byte
 * @port:	port
 *
 * Return: the address
 */
static struct diag_addr v4(int last, uint16_t port)
{
	struct diag_addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.v4.s_addr = htonl(0xc6120000u | (uint32_t)last);
	a.port = port;
	return a;
}

/**
 * ev_pkt() - a TL_PACKET event (or TL_DROP when @hook >= 0)
 * @tl:		timeline
 * @t:		when, after t0
 * @node:	sender (TL_PACKET) or the dropping node (TL_DROP)
 * @peer:	receiver
 * @src:	source address
 * @dst:	destination address
 * @flags:	TCP flags
 * @seq:	sequence number
 * @ack:	acknowledgement number
 * @hook:	-1 for a packet, else the rule hook of a drop
 * @file:	the dropping rule's file
 * @line:	and line
 */
static void ev_pkt(struct timeline *tl, uint64_t t, int node, int peer,
		   struct diag_addr src, struct diag_addr dst, uint8_t flags,
		   uint32_t seq, uint32_t ack, int hook, const char *file,
		   int line)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.t_ns = T0 + t;
	ev.kind = hook < 0 ? TL_PACKET : TL_DROP;
	ev.node = node;
	ev.peer = hook < 0 ? peer : -1;
	ev.pkt.family = AF_INET;
	ev.pkt.src = src;
	ev.pkt.dst = dst;
	ev.pkt.flags = flags;
	ev.pkt.seq = seq;
	ev.pkt.ack = ack;
	ev.pkt.win = flags & RULE_TCP_ACK ? 65160 : 64240;
	snprintf(ev.pkt.opts, sizeof(ev.pkt.opts),
		 "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7");
	if (hook >= 0) {
		ev.hook = hook;
		ev.rule_id = 1;
		ev.loc.file = file;
		ev.loc.line = line;
		ev.loc.col = 1;
	}
	assert_int_equal(timeline_add(tl, &ev), 0);
}

/**
 * ev_state() - a TL_STATE event
 * @tl:		timeline
 * @t:		when, after t0
 * @node:	where
 * @state:	enum diag_state
 */
static void ev_state(struct timeline *tl, uint64_t t, int node, int state)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.t_ns = T0 + t;
	ev.kind = TL_STATE;
	ev.node = node;
	ev.peer = -1;
	ev.state = state;
	assert_int_equal(timeline_add(tl, &ev), 0);
}

/**
 * ev_step() - a TL_STEP event
 * @tl:		timeline
 * @t:		when, after t0
 * @node:	where
 * @text:	what was done
 * @file:	the step's file
 * @line:	and line
 */
static void ev_step(struct timeline *tl, uint64_t t, int node,
		    const char *text, const char *file, int line)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.t_ns = T0 + t;
	ev.kind = TL_STEP;
	ev.node = node;
	ev.peer = -1;
	snprintf(ev.text, sizeof(ev.text), "%s", text);
	ev.loc.file = file;
	ev.loc.line = line;
	assert_int_equal(timeline_add(tl, &ev), 0);
}

/**
 * sock() - a socket for a table
 * @set:	where it goes
 * @state:	enum diag_state
 * @src:	local address
 * @dst:	peer address
 * @timer:	enum diag_timer
 * @expires_ms:	timer expiry
 * @retrans:	retransmissions so far
 */
static void sock(struct diag_set *set, int state, struct diag_addr src,
		 struct diag_addr dst, int timer, uint32_t expires_ms,
		 int retrans)
{
	struct diag_sock *s;

	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 4;
		set->v = realloc(set->v, set->cap * sizeof(*set->v));
		assert_non_null(set->v);
	}
	s = &set->v[set->n++];
	memset(s, 0, sizeof(*s));
	s->state = (uint8_t)state;
	s->src = src;
	s->dst = dst;
	s->timer = (uint8_t)timer;
	s->expires_ms = expires_ms;
	s->retrans = (uint8_t)retrans;
	s->cookie = 0x1000 + set->n;
	s->shutdown = 0xff;
	if (state != DIAG_LISTEN && state != DIAG_NEW_SYN_RECV) {
		s->has_info = 1;
		s->info.rto_us = 1000000u << retrans;
		s->info.backoff = (uint8_t)retrans;
		s->info.retransmits = (uint8_t)retrans;
	}
}

/**
 * expect() - an expectation
 * @run:	its run
 * @line:	its line in the run's file
 * @text:	as the scenario says it
 * @held:	did it hold
 * @observed:	what was seen
 * @t:		when it was decided, after t0 (0: never)
 * @x:		filled (sockets to be added by the caller), then added by
 *		the caller with result_add_expect()
 */
static void expect(struct result *run, int line, const char *text, int held,
		   const char *observed, uint64_t t, struct res_expect *x)
{
	memset(x, 0, sizeof(*x));
	x->loc.file = !strcmp(run->name, "syn-sent") ? syn_sent_file
						     : syn_recv_file;
	x->loc.line = line;
	x->loc.col = 1;
	snprintf(x->text, sizeof(x->text), "%s", text);
	x->held = held;
	snprintf(x->observed, sizeof(x->observed), "%s", observed);
	x->t_ns = t ? T0 + t : 0;
	x->mark_node = -1;
}

/**
 * build() - the two runs every test starts from
 * @r:		filled (zeroed first)
 */
static void build(struct results *r)
{
	struct diag_addr c = v4(1, 40316), s = v4(2, 80), any = v4(2, 80);
	struct result *run;
	struct res_expect x;
	struct res_rule rl;
	struct res_kv kv;
	struct res_counter ct;

	memset(r, 0, sizeof(*r));
	snprintf(r->kernel, sizeof(r->kernel), "6.1.0-test");
	snprintf(r->machine, sizeof(r->machine), "x86_64");
	snprintf(r->date, sizeof(r->date), "2024-05-01T12:00:00Z");
	snprintf(r->tcplab, sizeof(r->tcplab), "0.1.0");

	/* 1: syn-sent, passed */
	run = results_add(r);
	assert_non_null(run);
	snprintf(run->name, sizeof(run->name), "syn-sent");
	snprintf(run->title, sizeof(run->title),
		 "SYN_SENT: the server's firewall drops every SYN");
	snprintf(run->teaches, sizeof(run->teaches),
		 "A client that gets no answer to its SYN stays in SYN_SENT\n"
		 "          and retransmits the SYN with exponential backoff\n"
		 "          (1 s, 2 s, 4 s) until tcp_syn_retries is used up.");
	snprintf(run->file, sizeof(run->file), "%s", syn_sent_file);
	run->family = 4;
	snprintf(run->firewall, sizeof(run->firewall), "nftables");
	run->verdict = RES_PASS;
	run->nnodes = 2;
	snprintf(run->nodes[0], sizeof(run->nodes[0]), "client");
	snprintf(run->nodes[1], sizeof(run->nodes[1]), "server");
	snprintf(run->addrs[0], sizeof(run->addrs[0]), "198.18.0.1");
	snprintf(run->addrs[1], sizeof(run->addrs[1]), "198.18.0.2");
	run->setup_ns = 12500 * US;
	run->run_ns = 7050 * MS;
	run->teardown_ns = 8200 * US;
	memset(&kv, 0, sizeof(kv));
	snprintf(kv.node, sizeof(kv.node), "client");
	snprintf(kv.key, sizeof(kv.key), "net.ipv4.tcp_syn_retries");
	snprintf(kv.value, sizeof(kv.value), "2");
	assert_int_equal(result_add_sysctl(run, &kv), 0);
	memset(&rl, 0, sizeof(rl));
	snprintf(rl.node, sizeof(rl.node), "server");
	rl.loc.file = syn_sent_file;
	rl.loc.line = 9;
	snprintf(rl.desc, sizeof(rl.desc), "input tcp dport 80 flags SYN drop");
	snprintf(rl.nft, sizeof(rl.nft),
		 "nft add rule inet tcplab input tcp dport 80 tcp flags & "
		 "(fin|syn|rst|ack) == syn counter drop");
	snprintf(rl.ipt, sizeof(rl.ipt),
		 "iptables -A INPUT -p tcp --dport 80 --tcp-flags "
		 "FIN,SYN,RST,ACK SYN -j DROP");
	assert_int_equal(result_add_rule(run, &rl), 0);

	run->tl.t0 = T0;
	ev_state(&run->tl, 200 * US, 1, DIAG_LISTEN);
	ev_step(&run->tl, 1 * MS, 0, "connect", syn_sent_file, 11);
	ev_pkt(&run->tl, 1 * MS, 0, 1, c, s, RULE_TCP_SYN, 1000, 0, -1, NULL, 0);
	ev_state(&run->tl, 1 * MS + 3 * US, 0, DIAG_SYN_SENT);
	ev_pkt(&run->tl, 1 * MS + 15 * US, 1, -1, c, s, RULE_TCP_SYN, 1000, 0,
	       RULE_INPUT, syn_sent_file, 9);
	ev_pkt(&run->tl, 1025 * MS, 0, 1, c, s, RULE_TCP_SYN, 1000, 0, -1, NULL, 0);
	ev_pkt(&run->tl, 1025 * MS + 15 * US, 1, -1, c, s, RULE_TCP_SYN, 1000, 0,
	       RULE_INPUT, syn_sent_file, 9);
	ev_pkt(&run->tl, 3041 * MS, 0, 1, c, s, RULE_TCP_SYN, 1000, 0, -1, NULL, 0);
	ev_pkt(&run->tl, 3041 * MS + 15 * US, 1, -1, c, s, RULE_TCP_SYN, 1000, 0,
	       RULE_INPUT, syn_sent_file, 9);
	ev_state(&run->tl, 7001 * MS, 0, DIAG_CLOSE);

	expect(run, 12, "expect client state SYN_SENT port 80 within 50ms", 1,
	       "SYN_SENT 3us after client connect", 1 * MS + 3 * US, &x);
	x.nsocks = 2;
	sock(&x.socks[0], DIAG_SYN_SENT, c, s, DIAG_TIMER_ON, 996, 0);
	sock(&x.socks[1], DIAG_LISTEN, any, v4(0, 0), DIAG_TIMER_OFF, 0, 0);
	x.mark_node = 0;
	x.mark = x.socks[0].v[0];
	assert_int_equal(result_add_expect(run, &x), 0);
	expect(run, 13, "expect client error ETIMEDOUT at 7s", 1,
	       "ETIMEDOUT at 7.000s after connect", 7001 * MS, &x);
	assert_int_equal(result_add_expect(run, &x), 0);
	memset(&ct, 0, sizeof(ct));
	snprintf(ct.node, sizeof(ct.node), "client");
	snprintf(ct.name, sizeof(ct.name), "TCPTimeouts");
	ct.delta = 3;
	assert_int_equal(result_add_counter(run, &ct), 0);
	snprintf(ct.name, sizeof(ct.name), "OutSegs");
	ct.delta = 100;
	assert_int_equal(result_add_counter(run, &ct), 0);
	snprintf(run->pcap[0], sizeof(run->pcap[0]),
		 "captures/syn-sent-ipv4-nftables/client.pcap");
	snprintf(run->pcap[1], sizeof(run->pcap[1]),
		 "captures/syn-sent-ipv4-nftables/server.pcap");
	run->packets_seen = 3;

	/* 2: syn-recv, failed; its texts need escaping everywhere */
	run = results_add(r);
	assert_non_null(run);
	snprintf(run->name, sizeof(run->name), "syn-recv");
	snprintf(run->title, sizeof(run->title),
		 "SYN_RECV: the client's firewall drops the SYN-ACK <& \"so\" it waits>");
	snprintf(run->teaches, sizeof(run->teaches),
		 "The server keeps a request socket (SYN_RECV) & retransmits "
		 "its SYN-ACK; the client sits in SYN_SENT. Each half | believes "
		 "the *other* has not answered.");
	snprintf(run->file, sizeof(run->file), "%s", syn_recv_file);
	run->family = 4;
	snprintf(run->firewall, sizeof(run->firewall), "nftables");
	run->verdict = RES_FAIL;
	snprintf(run->reason, sizeof(run->reason),
		 "%s:14: expected client in state ESTABLISHED on port 80 "
		 "within 30ms\nit stayed in SYN_SENT", syn_recv_file);
	run->nnodes = 2;
	snprintf(run->nodes[0], sizeof(run->nodes[0]), "client");
	snprintf(run->nodes[1], sizeof(run->nodes[1]), "server");
	snprintf(run->addrs[0], sizeof(run->addrs[0]), "198.18.0.1");
	snprintf(run->addrs[1], sizeof(run->addrs[1]), "198.18.0.2");
	run->setup_ns = 11 * MS;
	run->run_ns = 40 * MS;
	run->teardown_ns = 7 * MS;
	memset(&rl, 0, sizeof(rl));
	snprintf(rl.node, sizeof(rl.node), "client");
	rl.loc.file = syn_recv_file;
	rl.loc.line = 11;
	snprintf(rl.desc, sizeof(rl.desc),
		 "input tcp sport 80 flags SYN,ACK drop");
	snprintf(rl.nft, sizeof(rl.nft),
		 "nft add rule inet tcplab input tcp sport 80 tcp flags & "
		 "(fin|syn|rst|ack) == syn|ack counter drop");
	snprintf(rl.ipt, sizeof(rl.ipt),
		 "iptables -A INPUT -p tcp --sport 80 --tcp-flags "
		 "FIN,SYN,RST,ACK SYN,ACK -j DROP");
	assert_int_equal(result_add_rule(run, &rl), 0);

	c = v4(1, 40320);
	run->tl.t0 = T0;
	/* a named connection: its arrows say whose they are */
	assert_int_equal(timeline_conn_add(&run->tl, "c1", &c, 80), 0);
	ev_state(&run->tl, 150 * US, 1, DIAG_LISTEN);
	ev_pkt(&run->tl, 1 * MS, 0, 1, c, s, RULE_TCP_SYN, 5000, 0, -1, NULL, 0);
	ev_state(&run->tl, 1 * MS + 4 * US, 0, DIAG_SYN_SENT);
	ev_state(&run->tl, 1 * MS + 30 * US, 1, DIAG_NEW_SYN_RECV);
	ev_pkt(&run->tl, 1 * MS + 20 * US, 1, 0, s, c,
	       RULE_TCP_SYN | RULE_TCP_ACK, 9000, 5001, -1, NULL, 0);
	ev_pkt(&run->tl, 1 * MS + 35 * US, 0, -1, s, c,
	       RULE_TCP_SYN | RULE_TCP_ACK, 9000, 5001, RULE_INPUT,
	       syn_recv_file, 11);

	expect(run, 13, "expect server state SYN_RECV port 80 within 50ms", 1,
	       "SYN_RECV 30us after client connect", 1 * MS + 30 * US, &x);
	x.nsocks = 2;
	sock(&x.socks[0], DIAG_SYN_SENT, c, s, DIAG_TIMER_ON, 990, 0);
	sock(&x.socks[1], DIAG_LISTEN, any, v4(0, 0), DIAG_TIMER_OFF, 0, 0);
	sock(&x.socks[1], DIAG_NEW_SYN_RECV, s, c, DIAG_TIMER_ON, 995, 0);
	x.mark_node = 1;
	x.mark = x.socks[1].v[1];
	assert_int_equal(result_add_expect(run, &x), 0);
	expect(run, 14, "expect client state ESTABLISHED port 80 within 30ms", 0,
	       "SYN_SENT <still> after 30ms & no SYN-ACK", 31 * MS, &x);
	x.nsocks = 2;
	sock(&x.socks[0], DIAG_SYN_SENT, c, s, DIAG_TIMER_ON, 960, 0);
	sock(&x.socks[1], DIAG_LISTEN, any, v4(0, 0), DIAG_TIMER_OFF, 0, 0);
	sock(&x.socks[1], DIAG_NEW_SYN_RECV, s, c, DIAG_TIMER_ON, 965, 0);
	assert_int_equal(result_add_expect(run, &x), 0);
	snprintf(ct.node, sizeof(ct.node), "server");
	snprintf(ct.name, sizeof(ct.name), "PassiveOpens");
	ct.delta = 1;
	assert_int_equal(result_add_counter(run, &ct), 0);
	run->packets_seen = 2;
}

/**
 * capture() - what @write wrote for @r, as a string (free it)
 * @write:	a writer
 * @r:		results
 *
 * Return: the text
 */
static char *capture(int (*write)(FILE *, const struct results *),
		     const struct results *r)
{
	struct golden_capture c;

	assert_int_equal(write(golden_capture_open(&c), r), 0);
	return golden_capture_close(&c);
}

static void test_json(void **state)
{
	struct results r;
	char *text;

	(void)state;
	build(&r);
	text = capture(json_write, &r);
	assert_non_null(strstr(text, "\"schema_version\": 1"));
	golden_check(GOLDEN_DIR, "results.json", text);
	free(text);
	results_free(&r);
}

static void test_json_round_trip(void **state)
{
	struct results r, back = { 0 };
	struct err e = { 0 };
	char path[64], *text;
	size_t i;

	(void)state;
	build(&r);
	text = capture(json_write, &r);
	golden_write_tmp(text, ".json", path, sizeof(path));
	free(text);
	assert_int_equal(json_read_observed(path, &back, &e), 0);
	unlink(path);

	assert_string_equal(back.kernel, "6.1.0-test");
	assert_int_equal(back.nruns, 2);
	for (i = 0; i < 2; i++) {
		const struct result *a = &r.runs[i], *b = &back.runs[i];
		size_t k;

		assert_string_equal(a->name, b->name);
		assert_string_equal(a->title, b->title);
		assert_string_equal(a->reason, b->reason);
		assert_int_equal(a->family, b->family);
		assert_string_equal(a->firewall, b->firewall);
		assert_int_equal(a->verdict, b->verdict);
		assert_int_equal(a->nexpects, b->nexpects);
		for (k = 0; k < a->nexpects; k++) {
			assert_string_equal(a->expects[k].text, b->expects[k].text);
			assert_int_equal(a->expects[k].held, b->expects[k].held);
			assert_string_equal(a->expects[k].observed,
					    b->expects[k].observed);
			assert_int_equal(b->expects[k].loc.line,
					 a->expects[k].loc.line);
			assert_string_equal(b->expects[k].loc.file, a->file);
		}
		assert_int_equal(a->ncounters, b->ncounters);
		assert_int_equal(a->tl.n, b->tl.n);
		assert_int_equal(a->tl.nconns, b->tl.nconns);
		for (k = 0; k < (size_t)a->tl.nconns; k++) {
			assert_string_equal(a->tl.conns[k].name,
					    b->tl.conns[k].name);
			assert_true(diag_addr_eq(&a->tl.conns[k].local,
						 &b->tl.conns[k].local));
			assert_int_equal(a->tl.conns[k].rport,
					 b->tl.conns[k].rport);
		}
		assert_int_equal(a->nrules, b->nrules);
		assert_string_equal(a->pcap[0], b->pcap[0]);
	}
	/* the drops keep their rule's place */
	for (i = 0; i < back.runs[0].tl.n; i++)
		if (back.runs[0].tl.v[i].kind == TL_DROP)
			assert_int_equal(back.runs[0].tl.v[i].loc.line, 9);
	/* what was observed survives: no difference at all */
	assert_int_equal(baseline_compare(NULL, &r, &back), 0);
	assert_int_equal(baseline_compare(NULL, &back, &r), 0);
	results_free(&back);

	/* not such a document */
	golden_write_tmp("{\"schema_version\": 99, \"runs\": []}\n", ".json",
			 path, sizeof(path));
	assert_int_equal(json_read_observed(path, &back, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "schema_version 99"));
	unlink(path);
	err_clear(&e);
	golden_write_tmp("{\"schema_version\": 1, \"runs\": [{\"name\": \"x\"}]}\n",
			 ".json", path, sizeof(path));
	assert_int_equal(json_read_observed(path, &back, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "\"family\""));
	unlink(path);
	err_clear(&e);
	golden_write_tmp("not json", ".json", path, sizeof(path));
	assert_int_equal(json_read_observed(path, &back, &e), -EBADMSG);
	unlink(path);
	err_clear(&e);
	assert_int_equal(json_read_observed("/nonexistent/x.json", &back, &e),
			 -ENOENT);
	results_free(&r);
}

static void test_baseline(void **state)
{
	struct results base, now;
	struct golden_capture c;
	struct result *run;
	char *text;
	size_t i;
	int n;

	(void)state;
	build(&base);
	build(&now);
	assert_int_equal(baseline_compare(NULL, &now, &base), 0);

	/* plant the differences */
	run = &now.runs[0];
	run->verdict = RES_FAIL;                         /* 1: verdict */
	ev_state(&run->tl, 2 * MS, 1, DIAG_SYN_RECV);    /* sampled: a note */
	run->expects[0].held = 0;                        /* 2: held flag, */
							 /* 3: confirmed */
	snprintf(run->expects[1].observed, sizeof(run->expects[1].observed),
		 "got ECONNREFUSED at 1.2ms");           /* 4: error */
	for (i = 0; i < run->tl.n; i++)                  /* 5: schedule */
		if (run->tl.v[i].kind == TL_PACKET &&
		    run->tl.v[i].t_ns == T0 + 3041 * MS)
			run->tl.v[i].t_ns = T0 + 3500 * MS;
	for (i = 0; i < run->tl.n; i++)                  /* 6: a SYN's shape */
		if (run->tl.v[i].kind == TL_PACKET &&
		    run->tl.v[i].t_ns == T0 + 1 * MS && run->tl.v[i].node == 0)
			snprintf(run->tl.v[i].pkt.opts,
				 sizeof(run->tl.v[i].pkt.opts),
				 "mss 1460,sackOK,TS val 7 ecr 0,nop,wscale 8");
	run->counters[0].delta = 4;                      /* 3 -> 4: a note */
	run->counters[1].delta = 110;                    /* a note */
	run->expects[0].t_ns += 5 * MS;                  /* timing: ignored */
	run->setup_ns *= 3;
	/* 7: a run the baseline lacks, 8: one that is gone */
	snprintf(now.runs[1].name, sizeof(now.runs[1].name), "syn-recv2");

	n = baseline_compare(golden_capture_open(&c), &now, &base);
	text = golden_capture_close(&c);
	golden_check(GOLDEN_DIR, "baseline.txt", text);
	assert_int_equal(n, 8);
	free(text);

	/* the notes: sampled states and counters, never counted as drift */
	n = baseline_compare_ex(golden_capture_open(&c), &now, &base,
				BASELINE_NOTES);
	text = golden_capture_close(&c);
	golden_check(GOLDEN_DIR, "baseline_notes.txt", text);
	assert_int_equal(n, 8);
	assert_non_null(strstr(text, "(not drift) server states sampled: +SYN-RECEIVED"));
	assert_non_null(strstr(text, "(not drift) client counter TCPTimeouts: +4, the baseline +3"));
	free(text);

	/* a capped capture: retransmissions and shapes are not compared */
	now.runs[0].packets_capped = 1;
	assert_int_equal(baseline_compare(NULL, &now, &base), 6);

	/* a slower run adds 40 ms per unit of slowness, not a share: the
	 * schedule 3.500s against 3.040s stays drift at --slow 2 */
	now.runs[0].packets_capped = 0;
	now.runs[0].slow = 2;
	assert_int_equal(baseline_compare(NULL, &now, &base), 8);
	assert_false(baseline_times_agree(3500 * MS, 3040 * MS, 2));
	assert_true(baseline_times_agree(40 * MS, 10 * MS, 2));
	assert_false(baseline_times_agree(17 * MS, 10 * MS, 1));
	assert_true(baseline_times_agree(3300 * MS, 3040 * MS, 1));
	/* a linear SYN schedule is told from a doubling one even at 7 */
	assert_false(baseline_times_agree(2000 * MS, 3000 * MS, 7));
	results_free(&base);
	results_free(&now);
}

/**
 * add_record() - a `record` line's result on @run
 * @run:	the run
 * @node:	node name
 * @kind:	"counter" or "state"
 * @name:	counter or state
 * @delta:	a counter's move
 */
static void add_record(struct result *run, const char *node, const char *kind,
		       const char *name, int64_t delta)
{
	struct res_record rec;

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.node, sizeof(rec.node), "%s", node);
	snprintf(rec.kind, sizeof(rec.kind), "%s", kind);
	snprintf(rec.name, sizeof(rec.name), "%s", name);
	rec.loc.line = 4;
	rec.delta = delta;
	rec.have = !strcmp(kind, "counter");
	assert_int_equal(result_add_record(run, &rec), 0);
}

/* A counter or state the scenario records is drift when it changes; the
 * same change to one it does not record is a note */
static void test_baseline_records(void **state)
{
	struct results base, now, back = { 0 };
	struct golden_capture c;
	struct err e = { 0 };
	struct res_counter ct;
	char path[64], *text;
	int n;

	(void)state;
	build(&base);
	build(&now);
	add_record(&base.runs[0], "server", "counter", "TcpExtSyncookiesFailed", 0);
	add_record(&base.runs[0], "client", "state", "FIN_WAIT1", 0);
	add_record(&now.runs[0], "server", "counter", "TcpExtSyncookiesFailed", 0);
	add_record(&now.runs[0], "client", "state", "FIN_WAIT1", 0);
	assert_int_equal(baseline_compare(NULL, &now, &base), 0);

	/* unrecorded: a counter moves, another appears - notes only */
	now.runs[0].counters[1].delta = 117;
	memset(&ct, 0, sizeof(ct));
	snprintf(ct.node, sizeof(ct.node), "server");
	snprintf(ct.name, sizeof(ct.name), "TcpExtSyncookiesRecv");
	ct.delta = 1;
	assert_int_equal(result_add_counter(&now.runs[0], &ct), 0);
	n = baseline_compare_ex(golden_capture_open(&c), &now, &base, BASELINE_NOTES);
	text = golden_capture_close(&c);
	assert_int_equal(n, 0);
	assert_non_null(strstr(text, "(not drift) client counter OutSegs: +117, the baseline +100"));
	assert_non_null(strstr(text, "(not drift) server counter TcpExtSyncookiesRecv: +1, the baseline +0"));
	free(text);

	/* recorded: the counter moves - drift, with both values */
	now.runs[0].records[0].delta = 1;
	n = baseline_compare(golden_capture_open(&c), &now, &base);
	text = golden_capture_close(&c);
	assert_int_equal(n, 1);
	assert_string_equal(text, "syn-sent IPv4 nftables: server counter "
			    "TcpExtSyncookiesFailed (recorded): +1, the baseline +0\n");
	free(text);

	/* recorded: sampling sees the state now, not in the baseline */
	ev_state(&now.runs[0].tl, 5 * MS, 0, DIAG_FIN_WAIT1);
	n = baseline_compare(golden_capture_open(&c), &now, &base);
	text = golden_capture_close(&c);
	assert_int_equal(n, 2);
	assert_non_null(strstr(text, "syn-sent IPv4 nftables: client state "
			       "FIN_WAIT1 (recorded): seen, the baseline not seen\n"));
	free(text);

	/* a kernel without the counter is told so */
	now.runs[0].records[0].have = 0;
	n = baseline_compare(golden_capture_open(&c), &now, &base);
	text = golden_capture_close(&c);
	assert_non_null(strstr(text, "TcpExtSyncookiesFailed (recorded): no such "
			       "counter, the baseline +0"));
	free(text);

	/* the records survive JSON, and so does the drift */
	now.runs[0].records[0].have = 1;
	text = capture(json_write, &now);
	assert_non_null(strstr(text, "\"records\""));
	golden_write_tmp(text, ".json", path, sizeof(path));
	free(text);
	assert_int_equal(json_read_observed(path, &back, &e), 0);
	unlink(path);
	assert_int_equal(back.runs[0].nrecords, 2);
	assert_string_equal(back.runs[0].records[0].name, "TcpExtSyncookiesFailed");
	assert_int_equal(back.runs[0].records[0].delta, 1);
	assert_true(back.runs[0].records[0].have);
	assert_string_equal(back.runs[0].records[1].kind, "state");
	assert_int_equal(baseline_compare(NULL, &back, &now), 0);
	assert_int_equal(baseline_compare(NULL, &back, &base), 2);
	results_free(&back);
	results_free(&base);
	results_free(&now);
}

/* A retransmission within 200 ms of its first transmission (a loss probe,
 * a fast retransmit) is clocked by the round trip, the machine's speed: its
 * time is a note; one of the kernel's timers (200 ms on) is drift */
static void test_baseline_rtt_clocked(void **state)
{
	struct results base, now;
	struct golden_capture c;
	char *text;
	int n, k;

	(void)state;
	build(&base);
	build(&now);
	/* a data segment sent at 4 s, and again 10.7 ms later (the baseline)
	 * or 5.2 ms later (now) */
	for (k = 0; k < 2; k++) {
		struct results *r = k ? &now : &base;

		ev_pkt(&r->runs[0].tl, 4000 * MS, 0, 1, v4(1, 40000), v4(2, 80),
		       RULE_TCP_ACK, 2897, 1, -1, NULL, 0);
		r->runs[0].tl.v[r->runs[0].tl.n - 1].pkt.len = 1448;
		ev_pkt(&r->runs[0].tl, 4000 * MS + (k ? 5200 : 10700) * US, 0, 1,
		       v4(1, 40000), v4(2, 80), RULE_TCP_ACK, 2897, 1, -1, NULL, 0);
		r->runs[0].tl.v[r->runs[0].tl.n - 1].pkt.len = 1448;
	}
	assert_int_equal(baseline_compare(NULL, &now, &base), 0);
	n = baseline_compare_ex(golden_capture_open(&c), &now, &base, BASELINE_NOTES);
	text = golden_capture_close(&c);
	assert_int_equal(n, 0);
	assert_non_null(strstr(text, "(not drift) client retransmissions before "
			       "200ms: 1 at 5.2ms, the baseline 1 at 10.7ms"));
	free(text);

	/* the same segment again at 4.3 s now: a timer's retransmission, drift */
	ev_pkt(&now.runs[0].tl, 4300 * MS, 0, 1, v4(1, 40000), v4(2, 80),
	       RULE_TCP_ACK, 2897, 1, -1, NULL, 0);
	now.runs[0].tl.v[now.runs[0].tl.n - 1].pkt.len = 1448;
	n = baseline_compare(golden_capture_open(&c), &now, &base);
	text = golden_capture_close(&c);
	assert_int_equal(n, 1);
	assert_string_equal(text, "syn-sent IPv4 nftables: client retransmissions: "
			    "3 at 300ms,1.024s,3.040s, the baseline 2 at "
			    "1.024s,3.040s\n");
	free(text);
	results_free(&base);
	results_free(&now);
}

static void test_ktap(void **state)
{
	struct results r;
	struct result *run;
	char *text;

	(void)state;
	build(&r);
	/* the other verdicts, and a repeated identity */
	run = results_add(&r);
	assert_non_null(run);
	snprintf(run->name, sizeof(run->name), "syn-flood");
	run->family = 6;
	snprintf(run->firewall, sizeof(run->firewall), "iptables");
	run->verdict = RES_SKIP;
	snprintf(run->reason, sizeof(run->reason), "ip6tables # not installed");
	run = results_add(&r);
	assert_non_null(run);
	snprintf(run->name, sizeof(run->name), "syn-sent");
	run->family = 4;
	snprintf(run->firewall, sizeof(run->firewall), "nftables");
	run->verdict = RES_XFAIL;
	snprintf(run->reason, sizeof(run->reason), "known on 6.1");
	run = results_add(&r);
	assert_non_null(run);
	snprintf(run->name, sizeof(run->name), "closing");
	run->family = 4;
	snprintf(run->firewall, sizeof(run->firewall), "nftables");
	run->verdict = RES_ERROR;
	snprintf(run->reason, sizeof(run->reason), "cannot create netns");
	text = capture(ktap_write, &r);
	golden_check(GOLDEN_DIR, "results.ktap", text);
	assert_non_null(strstr(text, "\nok 1 syn-sent.ipv4.nftables\n"));
	assert_non_null(strstr(text, "\nok 4 syn-sent.ipv4.nftables.2 # XFAIL"));
	free(text);
	results_free(&r);
}

static void test_junit(void **state)
{
	struct results r;
	char *text, path[64], cmd[160];

	(void)state;
	build(&r);
	text = capture(junit_write, &r);
	golden_check(GOLDEN_DIR, "results.junit.xml", text);
	assert_non_null(strstr(text, "classname=\"tcplab.syn-recv\" "
				     "name=\"syn-recv IPv4 nftables\""));
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		golden_write_tmp(text, ".xml", path, sizeof(path));
		snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
	}
	free(text);
	results_free(&r);
}

/**
 * tags_balanced() - does every element of @html close, in order?  Void
 * elements must be written self-closing (as report_html() does).
 * @html:	the page
 *
 * Return: 1 if so
 */
static int tags_balanced(const char *html)
{
	char stack[64][16];
	int depth = 0;
	const char *p = html;

	while ((p = strchr(p, '<'))) {
		char name[16];
		const char *end = strchr(p, '>');
		size_t n = 0;
		int closing = p[1] == '/';

		if (!end)
			return 0;
		if (p[1] == '!' || p[1] == '?') {
			p = end + 1;
			continue;
		}
		for (const char *q = p + 1 + closing;
		     isalnum((unsigned char)*q) && n + 1 < sizeof(name); q++)
			name[n++] = *q;
		name[n] = '\0';
		if (!n)
			return 0;
		if (closing) {
			if (!depth || strcmp(stack[depth - 1], name))
				return 0;
			depth--;
		} else if (end[-1] != '/') {
			if (depth == 64)
				return 0;
			snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
		}
		p = end + 1;
	}
	return depth == 0;
}

static void test_report_html(void **state)
{
	struct results r;
	char *text, path[64], cmd[160];

	(void)state;
	build(&r);
	text = capture(report_html, &r);
	golden_check(GOLDEN_DIR, "report.html", text);
	assert_true(tags_balanced(text));
	assert_null(strstr(text, "<script"));
	assert_non_null(strstr(text, "<table id=\"coverage\">"));
	/* escaped, never raw */
	assert_null(strstr(text, "<& \"so\""));
	assert_non_null(strstr(text, "&lt;&amp; &quot;so&quot; it waits&gt;"));
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		golden_write_tmp(text, ".html", path, sizeof(path));
		snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
		unlink(path);
	} else {
		print_message("xmllint (libxml2-utils) not installed: tag balance only\n");
	}
	free(text);
	results_free(&r);
}

static void test_report_md(void **state)
{
	struct results r;
	char *text;

	(void)state;
	build(&r);
	text = capture(report_md, &r);
	golden_check(GOLDEN_DIR, "report.md", text);
	assert_non_null(strstr(text, "```\n       ms           client"));
	free(text);
	results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_records),
		cmocka_unit_test(test_baseline_rtt_clocked),
		cmocka_unit_test(test_ktap),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_report_html),
		cmocka_unit_test(test_report_md),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
