// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_capture.c - the capture's filter is what libpcap compiles for
 * "tcp": for each link type a lab has and several snap lengths, the
 * program capture_filter_build() attaches equals pcap_compile()'s,
 * instruction for instruction (libpcap is the reference here; tcplab
 * does not load it)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "pkt.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
