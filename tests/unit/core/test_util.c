// SPDX-License-Identifier: GPL-2.0-or-later
/* test_util.c - durations, errno names, the sysctl allow-list */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sysctl.h"
#include "util.h"

static void test_durations(void **state)
{
	uint64_t ns;

	(void)state;
	assert_int_equal(util_parse_duration("50ms", &ns), 0);
	assert_int_equal(ns, 50000000ULL);
	assert_int_equal(util_parse_duration("4s", &ns), 0);
	assert_int_equal(ns, 4000000000ULL);
	assert_int_equal(util_parse_duration("250us", &ns), 0);
	assert_int_equal(ns, 250000ULL);
	assert_int_equal(util_parse_duration("1.5s", &ns), 0);
	assert_int_equal(ns, 1500000000ULL);
	assert_int_equal(util_parse_duration("2min", &ns), 0);
	assert_int_equal(ns, 120000000000ULL);
	assert_int_equal(util_parse_duration("5", &ns), -EINVAL);
	assert_int_equal(util_parse_duration("-5s", &ns), -EINVAL);
	assert_int_equal(util_parse_duration("5 s", &ns), -EINVAL);
	assert_int_equal(util_parse_duration("ms", &ns), -EINVAL);
	assert_int_equal(util_parse_duration("2h", &ns), -EINVAL);
	assert_int_equal(util_parse_duration("61min", &ns), -ERANGE);
}

/* Only DIGITS[.DIGITS]: what strtod() would also take is refused */
static void test_durations_strict(void **state)
{
	static const char *const bad[] = {
		"nanms", "NaNms", "nans", "infs", "INFms", "infinitys",
		"1e3ms", "1E3ms", "0x1p-3s", "0x10ms", "+5s", " 5s", "5s ",
		".5s", "5.s", "1.0000000001s", "1..5s", "1.5.5s", "",
		"99999999999999999999999ms", "5sec", "5S",
	};
	uint64_t ns = 7, u;
	double f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = util_parse_duration(bad[i], &ns);

		if (r != -EINVAL && r != -ERANGE)
			fail_msg("duration '%s' accepted (%d)", bad[i], r);
	}
	assert_int_equal(ns, 7);
	assert_int_equal(util_parse_duration("0.000000001s", &ns), 0);
	assert_int_equal(ns, 1);
	assert_int_equal(util_parse_duration("1.25ms", &ns), 0);
	assert_int_equal(ns, 1250000ULL);
	assert_int_equal(util_parse_duration("60min", &ns), 0);
	assert_int_equal(ns, 3600 * 1000000000ULL);
	assert_int_equal(util_parse_duration("3600.000000001s", &ns), -ERANGE);

	assert_int_equal(util_parse_u64("65535", 65535, &u), 0);
	assert_int_equal(u, 65535);
	assert_int_equal(util_parse_u64("65536", 65535, &u), -ERANGE);
	assert_int_equal(util_parse_u64("99999999999999999999999", UINT64_MAX, &u),
			 -ERANGE);
	assert_int_equal(util_parse_u64("1e3", 10000, &u), -EINVAL);
	assert_int_equal(util_parse_u64("0x10", 10000, &u), -EINVAL);
	assert_int_equal(util_parse_u64("-1", 10000, &u), -EINVAL);
	assert_int_equal(util_parse_u64("+1", 10000, &u), -EINVAL);
	assert_int_equal(util_parse_u64("1.5", 10000, &u), -EINVAL);

	assert_int_equal(util_parse_factor("2.5", &f), 0);
	assert_true(f == 2.5);
	assert_int_equal(util_parse_factor("nan", &f), -EINVAL);
	assert_int_equal(util_parse_factor("inf", &f), -EINVAL);
	assert_int_equal(util_parse_factor("1e3", &f), -EINVAL);
}

static void test_errno_names(void **state)
{
	(void)state;
	assert_string_equal(util_errno_name(ETIMEDOUT), "ETIMEDOUT");
	assert_string_equal(util_errno_name(ECONNREFUSED), "ECONNREFUSED");
	assert_int_equal(util_errno_parse("ECONNRESET"), ECONNRESET);
	assert_int_equal(util_errno_parse("ENOPE"), 0);
	assert_null(util_errno_name(99999));
}

static void test_sysctl_allow_list(void **state)
{
	(void)state;
	assert_true(sysctl_allowed("net.ipv4.tcp_syn_retries"));
	assert_true(sysctl_allowed("net.ipv6.conf.all.forwarding"));
	assert_true(sysctl_allowed("net.core.somaxconn"));
	assert_true(sysctl_allowed("net.netfilter.nf_conntrack_tcp_timeout_established"));
	assert_false(sysctl_allowed("net.core.rmem_max"));
	assert_false(sysctl_allowed("kernel.panic"));
	assert_false(sysctl_allowed("net.ipv4."));
	assert_false(sysctl_allowed("net.ipv4.../../../kernel/panic"));
	assert_false(sysctl_allowed("net.ipv4.a/b"));
}

/* One escaper for every XML and HTML writer: references XML and HTML both read */
static void test_xml_esc(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	(void)state;
	assert_non_null(m);
	util_xml_esc(m, "a<b>&\"c\" it's\r\n\tx\x01\x7f\xc3\xa9");
	assert_int_equal(fclose(m), 0);
	assert_string_equal(text, "a&lt;b&gt;&amp;&quot;c&quot; it&#39;s&#13;\n\tx?\x7f\xc3\xa9");
	free(text);
}

static void rel(const char *from, const char *to, const char *want)
{
	char out[256];

	assert_int_equal(util_rel_path(from, to, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

/* Links of a report to its pcaps: relative, whatever the two places */
static void test_rel_path(void **state)
{
	char out[8];

	(void)state;
	rel("/tmp/out", "/tmp/out/pcaps/a.pcap", "pcaps/a.pcap");
	rel("/tmp/out", "/tmp/captures/r1/a.pcap", "../captures/r1/a.pcap");
	rel("/tmp/out/deep/er", "/tmp/x.pcap", "../../../x.pcap");
	rel("/tmp/out", "/tmp/outer/a.pcap", "../outer/a.pcap");
	rel("/", "/srv/a.pcap", "srv/a.pcap");
	rel("/srv", "/a.pcap", "../a.pcap");
	rel("/srv", "/srv", ".");
	assert_int_equal(util_rel_path("srv", "/a", out, sizeof(out)), -EINVAL);
	assert_int_equal(util_rel_path("/a/b/c/d", "/x/y/z/w", out, sizeof(out)),
			 -ENAMETOOLONG);
}

static void test_err(void **state)
{
	struct err e = { 0 };
	struct loc l = { "f.tcp", 3, 7 };

	(void)state;
	assert_int_equal(err_at(&e, -EINVAL, &l, "bad %s", "thing"), -EINVAL);
	assert_string_equal(e.msg, "f.tcp:3:7: bad thing");
	assert_int_equal(err_exit_status(&e), ERR_EXIT_USAGE);
	/* the innermost message wins */
	err_set(&e, -EIO, "outer");
	assert_string_equal(e.msg, "f.tcp:3:7: bad thing");
	err_prefix(&e, "while %s", "testing");
	assert_string_equal(e.msg, "while testing: f.tcp:3:7: bad thing");
	err_clear(&e);
	err_env(&e, -EPERM, "not root");
	assert_int_equal(err_exit_status(&e), ERR_EXIT_ENV);
}

static void test_timing_tolerance(void **state)
{
	(void)state;
	/* packetdrill's max(4 ms, 12.5 %) on a real machine */
	assert_int_equal(timing_tolerance(10 * NS_PER_MS, 1), 4 * NS_PER_MS);
	assert_int_equal(timing_tolerance(NS_PER_S, 1), 125 * NS_PER_MS);
	assert_int_equal(timing_tolerance(NS_PER_S, 0), 125 * NS_PER_MS);
	/* plus 40 ms per unit of slowness */
	assert_int_equal(timing_tolerance(NS_PER_S, 2), 165 * NS_PER_MS);
	assert_int_equal(timing_tolerance(10 * NS_PER_MS, 6.5), 224 * NS_PER_MS);
}

static void test_timing_rtt_slack(void **state)
{
	(void)state;
	/* a lab's round trip on a real machine: nothing */
	assert_int_equal(timing_rtt_slack(1650 * NS_PER_MS, 50 * NS_PER_US), 0);
	/* 86 ms under emulation: 1.65 s comes at 2.29 s */
	assert_int_equal(timing_rtt_slack(1650 * NS_PER_MS, 86 * NS_PER_MS),
			 709500 * NS_PER_US);
	assert_int_equal(timing_rtt_slack(425 * NS_PER_MS, 86 * NS_PER_MS),
			 182750 * NS_PER_US);
	/* no overflow at the longest duration and a 1 s round trip */
	assert_int_equal(timing_rtt_slack(3600 * NS_PER_S, NS_PER_S),
			 18000 * NS_PER_S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing_tolerance),
		cmocka_unit_test(test_timing_rtt_slack),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_durations_strict),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_sysctl_allow_list),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_xml_esc),
		cmocka_unit_test(test_rel_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
