// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ladder.c - ladder diagrams drawn from recorded captures
 * (tests/data/pcap) with the states and drops a run would have added, and
 * from hand-made timelines for what captures cannot show (drops on output,
 * labels too long for an arrow, other nodes, colour).  The diagrams are
 * golden files in tests/data/ladder: regenerate them with
 * TCPLAB_UPDATE_GOLDEN=1 and review the diff.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "golden.h"
#include "ladder.h"
#include "pkt.h"
#include "rule.h"
#include "util.h"

#define GOLDEN_DIR TESTS_DATA_DIR "/ladder"
#define PCAP_DIR TESTS_DATA_DIR "/pcap"

#define US NS_PER_US

/**
 * render_check() - draw @tl (client node 0 left, server node 1 right) and
 * compare with the golden file @name
 * @tl:		timeline
 * @name:	golden file name
 * @color:	ANSI colours
 */
static void render_check(const struct timeline *tl, const char *name,
			 int color)
{
	struct golden_capture c;
	FILE *f = golden_capture_open(&c);
	char *text, *line, *save = NULL;

	assert_int_equal(ladder_render(f, "client", "server", tl, 0, 1, color),
			 0);
	text = golden_capture_close(&c);
	/* a terminal line: no wider than the diagram, colours aside */
	if (!color) {
		char *copy = strdup(text);

		for (line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (strlen(line) > LADDER_WIDTH && !strstr(line, "dropped"))
				fail_msg("line too wide: '%s'", line);
		free(copy);
	}
	golden_check(GOLDEN_DIR, name, text);
	free(text);
}

/**
 * load() - a timeline of the packets of tests/data/pcap/@name: sent by
 * node 0 (the client, address ending in 1) or node 1; time zero 1 ms
 * before the first packet
 * @name:	capture file name
 * @tl:		filled (cleared first)
 * @t:		set to each packet's time, in order (up to 32)
 *
 * Return: the number of packets
 */
static size_t load(const char *name, struct timeline *tl, uint64_t *t)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t n = 0;
	pcap_t *p;

	p = golden_pcap_open(PCAP_DIR, name);
	timeline_clear(tl);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct tl_event ev;
		const uint8_t *last;

		memset(&ev, 0, sizeof(ev));
		assert_int_equal(pkt_decode(pcap_datalink(p), data, h->caplen,
					    h->len, &ev.pkt), 0);
		ev.kind = TL_PACKET;
		ev.t_ns = (uint64_t)h->ts.tv_sec * NS_PER_S +
			  (uint64_t)h->ts.tv_usec;
		last = ev.pkt.family == AF_INET
			       ? (const uint8_t *)&ev.pkt.src.v4 + 3
			       : (const uint8_t *)&ev.pkt.src.v6 + 15;
		ev.node = *last == 1 ? 0 : 1;
		ev.peer = !ev.node;
		assert_true(n < 32);
		t[n++] = ev.t_ns;
		assert_int_equal(timeline_add(tl, &ev), 0);
	}
	pcap_close(p);
	tl->t0 = t[0] - NS_PER_MS;
	return n;
}

/**
 * add_state() - a TL_STATE event
 * @tl:		timeline
 * @t:		when
 * @node:	where
 * @state:	enum diag_state
 */
static void add_state(struct timeline *tl, uint64_t t, int node, int state)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = TL_STATE;
	ev.t_ns = t;
	ev.node = node;
	ev.peer = -1;
	ev.state = state;
	assert_int_equal(timeline_add(tl, &ev), 0);
}

/* add_state() of the socket whose ends are @p's source and destination */
static void add_sock_state(struct timeline *tl, uint64_t t, int node,
			   struct tl_pkt p, int state)
{
	add_state(tl, t, node, state);
	tl->v[tl->n - 1].pkt = p;
}

/**
 * add_drop() - a TL_DROP event for @pkt
 * @tl:		timeline
 * @t:		when
 * @node:	the node whose rule dropped it
 * @hook:	enum rule_hook
 * @pkt:	the segment
 * @rule:	rule id
 * @file:	the rule's scenario file
 * @line:	and line
 */
static void add_drop(struct timeline *tl, uint64_t t, int node, int hook,
		     const struct tl_pkt *pkt, unsigned rule, const char *file,
		     int line)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = TL_DROP;
	ev.t_ns = t;
	ev.node = node;
	ev.peer = -1;
	ev.hook = hook;
	ev.pkt = *pkt;
	ev.rule_id = rule;
	ev.loc.file = file;
	ev.loc.line = line;
	ev.loc.col = 1;
	assert_int_equal(timeline_add(tl, &ev), 0);
}

static void test_handshake_data_close(void **state)
{
	struct timeline tl = { 0 };
	uint64_t t[32];

	(void)state;
	assert_int_equal(load("handshake-data-close.pcap", &tl, t), 10);
	/* as a sock_diag sampler would see them, a few us after the cause */
	add_state(&tl, tl.t0, 1, DIAG_LISTEN);
	add_state(&tl, t[0] + 3 * US, 0, DIAG_SYN_SENT);
	add_state(&tl, t[0] + 6 * US, 1, DIAG_SYN_RECV);
	add_state(&tl, t[1] + 5 * US, 0, DIAG_ESTABLISHED);
	add_state(&tl, t[2] + 4 * US, 1, DIAG_ESTABLISHED);
	add_state(&tl, t[3] + 4 * US, 1, DIAG_ESTABLISHED); /* seen again */
	add_state(&tl, t[7] - 3 * US, 0, DIAG_FIN_WAIT1);   /* before its FIN */
	add_state(&tl, t[7] + 5 * US, 1, DIAG_CLOSE_WAIT);
	add_state(&tl, t[8] - 2 * US, 1, DIAG_LAST_ACK);
	add_state(&tl, t[8] + 4 * US, 0, DIAG_TIME_WAIT);
	add_state(&tl, t[9] + 6 * US, 1, DIAG_CLOSE);
	render_check(&tl, "handshake-data-close.txt", 0);
	render_check(&tl, "handshake-data-close.color.txt", 1);
	timeline_free(&tl);
}

static void test_syn_drop(void **state)
{
	struct timeline tl = { 0 };
	uint64_t t[32];
	size_t i, n;

	(void)state;
	n = load("syn-drop.pcap", &tl, t);
	assert_int_equal(n, 3);
	add_state(&tl, tl.t0, 1, DIAG_LISTEN);
	add_state(&tl, t[0] + 3 * US, 0, DIAG_SYN_SENT);
	for (i = 0; i < n; i++)
		add_drop(&tl, t[i] + 15 * US, 1, RULE_INPUT, &tl.v[i].pkt, 1,
			 "scenarios/syn-sent.tcp", 9);
	/* tcp_syn_retries=2: connect() fails 7 s after the first SYN */
	add_state(&tl, t[0] + 7 * NS_PER_S, 0, DIAG_CLOSE);
	render_check(&tl, "syn-drop.txt", 0);
	timeline_free(&tl);
}

static void test_rst(void **state)
{
	struct timeline tl = { 0 };
	uint64_t t[32];

	(void)state;
	assert_int_equal(load("rst.pcap", &tl, t), 8);
	add_state(&tl, t[0] + 3 * US, 0, DIAG_SYN_SENT);
	add_state(&tl, t[1] + 9 * US, 0, DIAG_CLOSE);
	add_state(&tl, t[2] - 200 * US, 1, DIAG_LISTEN);
	add_state(&tl, t[2] + 3 * US, 0, DIAG_SYN_SENT);
	add_state(&tl, t[3] + 3 * US, 0, DIAG_ESTABLISHED);
	add_state(&tl, t[7] + 3 * US, 0, DIAG_CLOSE);
	render_check(&tl, "rst.txt", 0);
	timeline_free(&tl);
}

static void test_ipv6(void **state)
{
	struct timeline tl = { 0 };
	uint64_t t[32];

	(void)state;
	assert_int_equal(load("ipv6.pcap", &tl, t), 10);
	render_check(&tl, "ipv6.txt", 0);
	timeline_free(&tl);
}

/**
 * mk() - a hand-made IPv4 segment between 198.18.0.@a:@ap and .@b:@bp
 * @a:		last byte of the source address
 * @ap:		source port
 * @b:		last byte of the destination address
 * @bp:		destination port
 * @flags:	TCP flags
 * @seq:	sequence number
 * @ack:	acknowledgement number
 * @len:	payload length
 *
 * Return: the segment
 */
static struct tl_pkt mk(int a, uint16_t ap, int b, uint16_t bp, uint8_t flags,
			uint32_t seq, uint32_t ack, uint32_t len)
{
	struct tl_pkt p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.src.family = p.dst.family = AF_INET;
	p.src.v4.s_addr = htonl(0xc6120000u | (uint32_t)a);
	p.dst.v4.s_addr = htonl(0xc6120000u | (uint32_t)b);
	p.src.port = ap;
	p.dst.port = bp;
	p.flags = flags;
	p.seq = seq;
	p.ack = ack;
	p.len = len;
	p.win = 502;
	return p;
}

/**
 * add_pkt() - a TL_PACKET event
 * @tl:		timeline
 * @t:		when
 * @node:	sender
 * @peer:	receiver
 * @p:		the segment
 */
static void add_pkt(struct timeline *tl, uint64_t t, int node, int peer,
		    struct tl_pkt p)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = TL_PACKET;
	ev.t_ns = t;
	ev.node = node;
	ev.peer = peer;
	ev.pkt = p;
	assert_int_equal(timeline_add(tl, &ev), 0);
}

/**
 * synthetic() - what captures alone cannot show: SYN-ACKs dropped on the
 * server's output (never on the wire), a drop with no captured packet, a
 * label too long for its arrow, a third node's events; added out of order
 * @tl:		filled
 */
static void synthetic(struct timeline *tl)
{
	const uint64_t z = 1000 * NS_PER_S;
	const uint8_t SA = RULE_TCP_SYN | RULE_TCP_ACK;
	const uint8_t FPA = RULE_TCP_FIN | RULE_TCP_PSH | RULE_TCP_ACK;
	struct tl_pkt syn = mk(1, 5000, 2, 80, RULE_TCP_SYN, 100, 0, 0);
	struct tl_pkt synack = mk(2, 80, 1, 5000, SA, 900, 101, 0);
	struct tl_pkt big = mk(1, 6000, 2, 80, FPA, 4000000000u, 3000000000u,
			       60000);
	struct tl_pkt rst = mk(2, 80, 1, 6000, RULE_TCP_RST, 3000000000u, 0, 0);

	tl->t0 = z;
	/* the retransmission first: the ladder sorts */
	add_pkt(tl, z + 1000 * NS_PER_MS, 0, 1, syn);
	add_pkt(tl, z + 100 * US, 0, 1, syn);
	add_state(tl, z + 90 * US, 0, DIAG_SYN_SENT);
	add_state(tl, z + 120 * US, 1, DIAG_SYN_RECV);
	add_drop(tl, z + 130 * US, 1, RULE_OUTPUT, &synack, 2,
		 "/usr/share/tcplab/scenarios/syn-recv-out.tcp", 12);
	add_drop(tl, z + 1000 * NS_PER_MS + 40 * US, 1, RULE_OUTPUT, &synack,
		 2, "/usr/share/tcplab/scenarios/syn-recv-out.tcp", 12);
	/* node 2 is not on this ladder */
	add_pkt(tl, z + 1500 * NS_PER_MS, 2, 0, syn);
	add_state(tl, z + 1500 * NS_PER_MS, 2, DIAG_LISTEN);
	/* a long label, sent twice */
	add_pkt(tl, z + 1600 * NS_PER_MS, 0, 1, big);
	add_pkt(tl, z + 1800 * NS_PER_MS, 0, 1, big);
	/* a reset the client's input dropped; no capture saw it */
	add_drop(tl, z + 1850 * NS_PER_MS, 0, RULE_INPUT, &rst, 3, NULL, 0);
	/* the client's SYN dropped by its own output: a stub on the left */
	add_drop(tl, z + 1900 * NS_PER_MS, 0, RULE_OUTPUT, &syn, 4,
		 "a-rather-long-scenario-file-name-for-a-drop-note.tcp", 123);
}

static void test_synthetic(void **state)
{
	struct timeline tl = { 0 };

	(void)state;
	synthetic(&tl);
	render_check(&tl, "synthetic.txt", 0);
	render_check(&tl, "synthetic.color.txt", 1);
	timeline_free(&tl);
}

/**
 * two_conns() - two connections from the client to one server port, the
 * first named at both ends (a, sa), the second at the client's (b), their
 * handshakes interleaved, then a FIN on a and a reset on b; and a third,
 * unnamed, on another port
 * @tl:		filled
 */
static void two_conns(struct timeline *tl)
{
	const uint64_t z = 1000 * NS_PER_S;
	const uint8_t SA = RULE_TCP_SYN | RULE_TCP_ACK;
	const uint8_t FA = RULE_TCP_FIN | RULE_TCP_ACK;
	struct diag_addr a = mk(1, 40001, 2, 80, 0, 0, 0, 0).src;
	struct diag_addr b = mk(1, 40002, 2, 80, 0, 0, 0, 0).src;
	struct diag_addr sa = mk(2, 80, 1, 40001, 0, 0, 0, 0).src;

	tl->t0 = z;
	timeline_conn_add(tl, "a", &a, 80);
	timeline_conn_add(tl, "b", &b, 80);
	timeline_conn_add(tl, "sa", &sa, 40001);
	add_pkt(tl, z + 100 * US, 0, 1, mk(1, 40001, 2, 80, RULE_TCP_SYN, 10, 0, 0));
	add_pkt(tl, z + 150 * US, 0, 1, mk(1, 40002, 2, 80, RULE_TCP_SYN, 20, 0, 0));
	add_pkt(tl, z + 200 * US, 1, 0, mk(2, 80, 1, 40001, SA, 500, 11, 0));
	add_pkt(tl, z + 250 * US, 1, 0, mk(2, 80, 1, 40002, SA, 600, 21, 0));
	add_pkt(tl, z + 300 * US, 0, 1, mk(1, 40001, 2, 80, RULE_TCP_ACK, 11, 501, 0));
	add_pkt(tl, z + 350 * US, 0, 1, mk(1, 40002, 2, 80, RULE_TCP_ACK, 21, 601, 0));
	add_pkt(tl, z + 20 * NS_PER_MS, 0, 1, mk(1, 40001, 2, 80, FA, 11, 501, 0));
	add_pkt(tl, z + 21 * NS_PER_MS, 1, 0, mk(2, 80, 1, 40001, RULE_TCP_ACK, 501, 12, 0));
	add_pkt(tl, z + 22 * NS_PER_MS, 0, 1, mk(1, 40002, 2, 80, RULE_TCP_RST, 21, 0, 0));
	add_pkt(tl, z + 30 * NS_PER_MS, 0, 1, mk(1, 40003, 2, 81, RULE_TCP_SYN, 30, 0, 0));
	add_state(tl, z + 90 * US, 0, DIAG_SYN_SENT);
	/* states of known sockets: each on an arrow of its own connection
	 * only, else on a line of its own with the connection's name */
	add_sock_state(tl, z + 360 * US, 0, mk(1, 40001, 2, 80, 0, 0, 0, 0),
		       DIAG_ESTABLISHED);
	add_sock_state(tl, z + 20 * NS_PER_MS + 100 * US, 0,
		       mk(1, 40001, 2, 80, 0, 0, 0, 0), DIAG_FIN_WAIT1);
	add_sock_state(tl, z + 22 * NS_PER_MS + 50 * US, 1,
		       mk(2, 80, 1, 40002, 0, 0, 0, 0), DIAG_CLOSE);
}

static void test_named_connections(void **state)
{
	struct timeline tl = { 0 };
	struct tl_pkt p = mk(2, 80, 1, 40002, RULE_TCP_ACK, 0, 0, 0);
	char buf[40];

	(void)state;
	two_conns(&tl);
	/* one end named, both ends named, none */
	assert_string_equal(timeline_conn_label(&tl, &p, buf, sizeof(buf)), "b");
	p = mk(1, 40001, 2, 80, RULE_TCP_ACK, 0, 0, 0);
	assert_string_equal(timeline_conn_label(&tl, &p, buf, sizeof(buf)), "a=sa");
	p = mk(1, 40001, 2, 81, RULE_TCP_ACK, 0, 0, 0);
	assert_string_equal(timeline_conn_label(&tl, &p, buf, sizeof(buf)), "");
	render_check(&tl, "named-connections.txt", 0);
	timeline_free(&tl);
}

/* An impairment's copy is a duplicate, a resent segment a retransmission */
static void test_copy(void **state)
{
	const uint64_t z = 1000 * NS_PER_S;
	const uint8_t PA = RULE_TCP_PSH | RULE_TCP_ACK;
	struct tl_pkt data = mk(1, 5000, 2, 80, PA, 101, 901, 1000);
	struct timeline tl = { 0 };
	struct golden_capture c;
	FILE *f;
	char *text;

	(void)state;
	tl.t0 = z;
	add_pkt(&tl, z + 100 * US, 0, 1, data);
	add_pkt(&tl, z + 300 * US, 0, 1, data);
	tl.v[1].copy = 1;
	add_pkt(&tl, z + 300 * NS_PER_MS, 0, 1, data);
	f = golden_capture_open(&c);
	assert_int_equal(ladder_render(f, "client", "server", &tl, 0, 1, 0), 0);
	text = golden_capture_close(&c);
	assert_non_null(strstr(text, "(duplicate)"));
	assert_non_null(strstr(text, "(retransmit)"));
	assert_true(strstr(text, "(duplicate)") < strstr(text, "(retransmit)"));
	free(text);
	timeline_free(&tl);
}

static void test_empty(void **state)
{
	struct timeline tl = { 0 };

	(void)state;
	render_check(&tl, "empty.txt", 0);
	/* the timeline is only read */
	synthetic(&tl);
	{
		struct timeline copy = { 0 };
		size_t i;
		struct golden_capture c;
		FILE *f = golden_capture_open(&c);

		for (i = 0; i < tl.n; i++)
			assert_int_equal(timeline_add(&copy, &tl.v[i]), 0);
		assert_int_equal(ladder_render(f, "a", "b", &tl, 0, 1, 0), 0);
		free(golden_capture_close(&c));
		assert_memory_equal(copy.v, tl.v, tl.n * sizeof(*tl.v));
		timeline_free(&copy);
	}
	timeline_free(&tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_data_close),
		cmocka_unit_test(test_syn_drop),
		cmocka_unit_test(test_rst),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_named_connections),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
