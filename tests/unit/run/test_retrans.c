// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_retrans.c - the retransmission schedule from a recorded run: the
 * frames of a connection whose data is never acknowledged (sent at 0,
 * a tail loss probe at 210 ms, timeouts at 425, 850 and 1650 ms) and the
 * sock_diag samples of a runner woken late under load, one of them taken
 * while no timer was armed (idiag_retrans 0).  Each retransmission must be
 * timed by its frame, whatever the samples' times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>

#include "retrans.h"
#include "rule.h"
#include "timeline.h"
#include "util.h"

#define MS NS_PER_MS
#define T0 (1000 * MS) /* the send */

static void add_frame(struct timeline *tl, int node, uint64_t t_ms,
		      uint16_t sport, uint32_t seq, uint32_t len)
{
	struct tl_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.t_ns = T0 + t_ms * MS;
	ev.kind = TL_PACKET;
	ev.node = node;
	ev.peer = !node;
	ev.pkt.family = AF_INET;
	ev.pkt.src.port = sport;
	ev.pkt.dst.port = 80;
	ev.pkt.flags = RULE_TCP_PSH | RULE_TCP_ACK;
	ev.pkt.seq = seq;
	ev.pkt.len = len;
	assert_int_equal(timeline_add(tl, &ev), 0);
}

/* The recorded run: client (node 0) port 40000; another connection's
 * data on port 40001 and the server's ACK-less frames around it */
static void recorded(struct timeline *tl)
{
	add_frame(tl, 0, 0, 40000, 0xfffffff0u, 1000);  /* wraps: seq arithmetic */
	add_frame(tl, 0, 5, 40001, 7, 100);             /* other connection */
	add_frame(tl, 0, 210, 40000, 0xfffffff0u, 1000); /* tail loss probe */
	add_frame(tl, 0, 425, 40000, 0xfffffff0u, 1000);
	add_frame(tl, 0, 600, 40001, 7, 100);           /* other: sent again */
	add_frame(tl, 0, 850, 40000, 0xfffffff0u, 1000);
	add_frame(tl, 0, 1650, 40000, 0xfffffff0u, 1000);
	timeline_sort(tl);
}

struct sample {
	uint64_t asked_ms, done_ms;
	unsigned count;
};

static void replay(const struct sample *sm, size_t n, struct retrans_track *tr,
		   const struct timeline *full)
{
	struct timeline tl = { 0 };
	size_t i, k;

	for (i = 0; i < n; i++) {
		/* the timeline as pumped after this sample's answer */
		timeline_clear(&tl);
		for (k = 0; k < full->n; k++)
			if (full->v[k].t_ns <= T0 + sm[i].done_ms * MS)
				assert_int_equal(timeline_add(&tl, &full->v[k]), 0);
		retrans_note(tr, &tl, sm[i].count, T0 + sm[i].asked_ms * MS,
			     T0 + sm[i].done_ms * MS, 3);
	}
	timeline_free(&tl);
}

static void assert_times(const struct retrans_track *tr, const uint64_t *ms,
			 int n)
{
	int i;

	assert_int_equal(tr->nseen, n);
	for (i = 0; i < n; i++)
		assert_int_equal(tr->seen[i], T0 + ms[i] * MS);
}

/* Each case: the samples a runner took of the recorded run (or of no
 * capture at all), the retransmission times it must come to, and how many
 * of them only a sample could time */
static const struct {
	const char *why;
	int frames;
	struct sample sm[5];
	int nsm;
	uint64_t want[3];
	int nwant, from_sample;
} replays[] = {
	{ "woken 60-120 ms after each timeout: the frames' times stand, not "
	  "the samples'; the probe at 210 ms is not taken for the timeout "
	  "at 425", 1,
	  { { 1, 1, 0 }, { 215, 216, 0 }, { 540, 541, 1 }, { 970, 972, 2 },
	    { 1760, 1761, 3 } }, 5, { 425, 850, 1650 }, 3, 0 },
	{ "one sample sees two timeouts at once, one reads 0 while the timer "
	  "is re-armed: each at its own time, no double count", 1,
	  { { 0, 0, 0 }, { 430, 431, 1 }, { 851, 851, 0 }, { 1700, 1701, 3 } },
	  4, { 425, 850, 1650 }, 3, 0 },
	{ "a dip to 0 and back to 1 is no new retransmission", 1,
	  { { 0, 0, 0 }, { 426, 426, 1 }, { 500, 500, 0 }, { 520, 520, 1 } },
	  4, { 425 }, 1, 0 },
	{ "no capture: the sample's time is all there is, and it says so", 0,
	  { { 0, 0, 0 }, { 440, 441, 1 } }, 2, { 440 }, 1, 1 },
};

static void test_replays(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(replays); i++) {
		struct retrans_track tr = { .node = 0, .lport = 40000,
					    .rport = 80, .last_sample = T0 };
		struct timeline full = { 0 };
		int k, from_sample = 0;

		print_message("%s\n", replays[i].why);
		if (replays[i].frames)
			recorded(&full);
		replay(replays[i].sm, (size_t)replays[i].nsm, &tr, &full);
		assert_times(&tr, replays[i].want, replays[i].nwant);
		for (k = 0; k < replays[i].nwant; k++)
			from_sample += tr.from_sample[k];
		assert_int_equal(from_sample, replays[i].from_sample);
		timeline_free(&full);
	}
}

/* Keepalive probes: no data, one byte before the next to send; the
 * ACK-only frames around them are not probes */
static void test_keepalive_probes(void **state)
{
	static const struct sample sm[] = {
		{ 0, 0, 0 }, { 1100, 1101, 1 }, { 2300, 2301, 2 },
	};
	static const uint64_t want[] = { 1000, 2000 };
	struct retrans_track tr = { .node = 0, .lport = 40000, .rport = 80,
				    .last_sample = T0 };
	struct timeline tl = { 0 };

	(void)state;
	add_frame(&tl, 0, 0, 40000, 100, 10);  /* data: next to send is 110 */
	add_frame(&tl, 0, 500, 40000, 110, 0); /* a plain ACK */
	add_frame(&tl, 0, 1000, 40000, 109, 0);
	add_frame(&tl, 0, 2000, 40000, 109, 0);
	timeline_sort(&tl);
	replay(sm, sizeof(sm) / sizeof(sm[0]), &tr, &tl);
	assert_times(&tr, want, 2);
	timeline_free(&tl);
}

/* The count: tcp_info's retransmits + probes when present (idiag_retrans
 * is 0 while no timer is armed), else idiag_retrans */
static void test_sock_count(void **state)
{
	struct diag_sock s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.retrans = 0;
	s.has_info = 1;
	s.info.retransmits = 2;
	assert_int_equal(retrans_sock_count(&s), 2);
	s.info.retransmits = 0;
	s.info.probes = 3; /* keepalive */
	assert_int_equal(retrans_sock_count(&s), 3);
	s.has_info = 0;
	s.retrans = 1;
	assert_int_equal(retrans_sock_count(&s), 1);
}

/*
 * Keepalive's idle counts from the last segment the connection received:
 * recorded under load, the handshake ends at 7.8 ms and the keepalive call
 * returns at 269 ms; the first probe left at 1033 ms, 1.025 s after the
 * connection went idle but only 764 ms after the call
 */
static void test_idle_since(void **state)
{
	struct timeline tl = { 0 };
	struct tl_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.kind = TL_PACKET;
	ev.pkt.family = AF_INET;
	/* the SYN-ACK, server (1) to client (0) port 46076 */
	ev.t_ns = T0 + 7769 * NS_PER_US;
	ev.node = 1;
	ev.peer = 0;
	ev.pkt.src.port = 80;
	ev.pkt.dst.port = 46076;
	assert_int_equal(timeline_add(&tl, &ev), 0);
	/* the client's ACK: sent, not received */
	ev.t_ns = T0 + 7773 * NS_PER_US;
	ev.node = 0;
	ev.peer = 1;
	ev.pkt.src.port = 46076;
	ev.pkt.dst.port = 80;
	assert_int_equal(timeline_add(&tl, &ev), 0);
	/* another connection of the client, received later */
	ev.t_ns = T0 + 100 * MS;
	ev.node = 1;
	ev.peer = 0;
	ev.pkt.src.port = 80;
	ev.pkt.dst.port = 46078;
	assert_int_equal(timeline_add(&tl, &ev), 0);
	/* the server's segment to the client after the call */
	ev.t_ns = T0 + 300 * MS;
	ev.pkt.dst.port = 46076;
	assert_int_equal(timeline_add(&tl, &ev), 0);
	timeline_sort(&tl);
	assert_int_equal(retrans_idle_since(&tl, 0, 46076, T0 + 269 * MS),
			 T0 + 7769 * NS_PER_US);
	assert_int_equal(retrans_idle_since(&tl, 0, 46076, T0 + 400 * MS),
			 T0 + 300 * MS);
	assert_int_equal(retrans_idle_since(&tl, 1, 80, T0 + 269 * MS),
			 T0 + 7773 * NS_PER_US);
	assert_int_equal(retrans_idle_since(&tl, 0, 46076, T0), 0);
	timeline_free(&tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replays),
		cmocka_unit_test(test_keepalive_probes),
		cmocka_unit_test(test_sock_count),
		cmocka_unit_test(test_idle_since),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
