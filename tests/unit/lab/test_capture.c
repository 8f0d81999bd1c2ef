// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_capture.c - the capture's filter is what libpcap compiles for
 * "tcp": for each link type a lab has and several snap lengths, the
 * program capture_filter_build() attaches equals pcap_compile()'s,
 * instruction for instruction (libpcap is the reference here; tcplab
 * does not load it); and, live on a loopback of its own, that the frames
 * that came in are counted apart from those sent (capture_arrived())
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "err.h"
#include "live.h"
#include "pkt.h"
#include "util.h"
#include "timeline.h"

/* libpcap's program for "tcp" on @link, @snaplen, against ours */
static void same_as_libpcap(int link, int snaplen)
{
	struct sock_filter ours[CAPTURE_FILTER_MAX];
	struct bpf_program prog;
	pcap_t *p = pcap_open_dead(link, snaplen);
	size_t n, i;

	assert_non_null(p);
	assert_int_equal(pcap_compile(p, &prog, "tcp", 1,
				      PCAP_NETMASK_UNKNOWN), 0);
	n = capture_filter_build(link, (uint32_t)snaplen, ours,
				 CAPTURE_FILTER_MAX);
	assert_int_equal(n, prog.bf_len);
	for (i = 0; i < n; i++) {
		assert_int_equal(ours[i].code, prog.bf_insns[i].code);
		assert_int_equal(ours[i].jt, prog.bf_insns[i].jt);
		assert_int_equal(ours[i].jf, prog.bf_insns[i].jf);
		assert_int_equal(ours[i].k, prog.bf_insns[i].k);
	}
	pcap_freecode(&prog);
	pcap_close(p);
}

static void test_ethernet(void **state)
{
	(void)state;
	assert_int_equal(PKT_LINK_EN10MB, DLT_EN10MB);
	same_as_libpcap(DLT_EN10MB, CAPTURE_SNAPLEN_DEFAULT);
	same_as_libpcap(DLT_EN10MB, 96);
	same_as_libpcap(DLT_EN10MB, 262144);
}

static void test_raw(void **state)
{
	(void)state;
	assert_int_equal(PKT_LINK_RAW, DLT_RAW);
	same_as_libpcap(DLT_RAW, CAPTURE_SNAPLEN_DEFAULT);
	same_as_libpcap(DLT_RAW, 1500);
}

static void test_none(void **state)
{
	struct sock_filter f[CAPTURE_FILTER_MAX];

	(void)state;
	/* a link type it has no program for, and no room */
	assert_int_equal(capture_filter_build(PKT_LINK_LINUX_SLL, 128, f,
					      CAPTURE_FILTER_MAX), 0);
	assert_int_equal(capture_filter_build(PKT_LINK_EN10MB, 128, f, 4), 0);
}

/*
 * A handshake on a loopback: each frame goes out and comes in again on
 * the one interface, so the capture reads every frame twice and counts
 * half of them as arrived; only the frames sent become events
 */
static void test_live_arrived(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(8080),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct timeline tl = { 0 };
	struct capture *c = NULL;
	struct capture_stats cs;
	struct err e = { 0 };
	int nsfd, l, cl, a, events = 0, n;
	uint64_t deadline;

	(void)state;
	live_netns();
	nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(nsfd >= 0);
	assert_int_equal(capture_open(&c, nsfd, "lo", NULL, 0, 0, &e), 0);
	assert_int_equal(capture_arrived(c), 0);

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 4), 0);
	cl = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(cl >= 0);
	assert_int_equal(connect(cl, (struct sockaddr *)&sa, sizeof(sa)), 0);
	a = accept(l, NULL, NULL);
	assert_true(a >= 0);

	/* SYN, SYN-ACK, ACK: three frames out, three in; waited for on the
	 * capture's socket, for a second at most */
	deadline = util_now_ns() + NS_PER_S;
	while (events < 3 && util_now_ns() < deadline) {
		struct pollfd p = { .fd = capture_fd(c), .events = POLLIN };

		n = capture_read(c, &tl, 0, 1);
		assert_true(n >= 0);
		events += n;
		if (events < 3)
			(void)poll(&p, 1, (int)((deadline - util_now_ns()) / NS_PER_MS) + 1);
	}
	assert_int_equal(events, 3);
	capture_stats(c, &cs);
	assert_int_equal(cs.seen, 6);
	assert_int_equal(capture_arrived(c), 3);

	close(a);
	close(cl);
	close(l);
	assert_int_equal(capture_close(c), 0);
	close(nsfd);
	timeline_free(&tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_live_arrived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
