// SPDX-License-Identifier: GPL-2.0-or-later
/* test_kept.c - kept labs' records and rule lists, decoded and written */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kept.h"

static const char record[] =
	"name keepalive-nat\n"
	"family 4\n"
	"firewall iptables\n"
	"rootless 1\n"
	"since 1764550000\n"
	"node client eth0:1 198.18.0.1 fd00:198:18::1\n"
	"node router eth0:0,eth1:2 198.18.0.2 fd00:198:18::2\n"
	"node server eth0:1 198.18.1.2 fd00:198:18:1::2\n"
	"some-future-line 42\n"
	"up 4240 1303001\n"
	"netns /run/netns/tcplab-keepalive-nat-client\n"
	"keeper 4242 1303267\n";

static void test_parse(void **state)
{
	struct kept_info k;

	(void)state;
	assert_int_equal(kept_parse(record, strlen(record), &k), 0);
	assert_string_equal(k.name, "keepalive-nat");
	assert_int_equal(k.family, 4);
	assert_string_equal(k.firewall, "iptables");
	assert_int_equal(k.rootless, 1);
	assert_int_equal(k.since, 1764550000LL);
	assert_int_equal(k.keeper, 4242);
	assert_int_equal(k.keeper_start, 1303267ULL);
	assert_int_equal(k.up, 4240);
	assert_int_equal(k.up_start, 1303001ULL);
	assert_int_equal(k.nnodes, 3);
	assert_string_equal(k.nodes[1].name, "router");
	assert_int_equal(k.nodes[1].nifs, 2);
	assert_string_equal(k.nodes[1].ifname[1], "eth1");
	assert_int_equal(k.nodes[1].ifpeer[0], 0);
	assert_int_equal(k.nodes[1].ifpeer[1], 2);
	assert_string_equal(k.nodes[2].addr4, "198.18.1.2");
	assert_string_equal(k.nodes[2].addr6, "fd00:198:18:1::2");
	assert_int_equal(k.nnetns, 1);
	assert_int_equal(kept_node_find(&k, "server"), 2);
	assert_int_equal(kept_node_find(&k, "nobody"), -1);
}

static void test_roundtrip(void **state)
{
	struct kept_info k, back;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(kept_parse(record, strlen(record), &k), 0);
	kept_format(f, &k);
	fclose(f);
	assert_int_equal(kept_parse(buf, len, &back), 0);
	assert_int_equal(back.nnodes, 3);
	assert_memory_equal(back.nodes, k.nodes, sizeof(k.nodes));
	assert_string_equal(back.firewall, "iptables");
	assert_non_null(strstr(buf, "node router eth0:0,eth1:2 198.18.0.2"));
	/* what the record names to tear down comes back too, in the order
	 * it is written ahead: the up, the paths, the keeper last */
	assert_string_equal(back.netns[0], k.netns[0]);
	assert_int_equal(back.keeper, 4242);
	assert_int_equal(back.keeper_start, 1303267ULL);
	assert_int_equal(back.up_start, 1303001ULL);
	assert_true(strstr(buf, "up 4240 1303001\n") <
		    strstr(buf, "netns /run/netns/tcplab-keepalive-nat-client\n"));
	assert_non_null(strstr(buf, "client\nkeeper 4242 1303267\n"));
	free(buf);
}

/* A record cut short by a crash is partial (-EINVAL), yet what its whole
 * lines say is there to be torn down */
static void test_partial(void **state)
{
	static const char cut[] =
		"name lab\nfamily 4\nnode client eth0:1 198.18.0.1 fd00::1\n"
		"node server eth0\n"
		"up 77 9000\n"
		"netns /run/netns/tcplab-lab-client\n"
		"netns /run/netns/tcplab-lab-server\n"
		"keeper 78";
	struct kept_info k;

	(void)state;
	assert_int_equal(kept_parse(cut, strlen(cut), &k), -EINVAL);
	assert_int_equal(k.nnodes, 1);
	assert_int_equal(k.up, 77);
	assert_int_equal(k.up_start, 9000ULL);
	assert_int_equal(k.nnetns, 2);
	assert_string_equal(k.netns[1], "/run/netns/tcplab-lab-server");
	/* a keeper without its start time is never taken for a live one */
	assert_int_equal(k.keeper, 78);
	assert_int_equal(k.keeper_start, 0ULL);
	assert_false(kept_alive(&k));
	assert_int_equal(kept_parse("", 0, &k), -EINVAL);
	assert_int_equal(k.keeper, 0);
	assert_int_equal(k.nnetns, 0);
}

static void test_stat(void **state)
{
	/* a name with spaces and parentheses: the last ')' ends it */
	static const char stat[] =
		"4242 (tcplab-keeper) S 1 4242 4242 0 -1 4194624 118 0 0 0 0 1 "
		"0 0 20 0 9 0 1303267 1094643712 1234 18446744073709551615 1 1 "
		"0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";
	static const char odd[] =
		"77 (a) b (c) Z 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0\n";
	unsigned long long start;
	char comm[32], st;

	(void)state;
	assert_int_equal(kept_stat_parse(stat, comm, sizeof(comm), &st, &start), 0);
	assert_string_equal(comm, "tcplab-keeper");
	assert_int_equal(st, 'S');
	assert_int_equal(start, 1303267ULL);
	assert_int_equal(kept_stat_parse(odd, comm, sizeof(comm), &st, &start), 0);
	assert_string_equal(comm, "a) b (c");
	assert_int_equal(st, 'Z');
	assert_int_equal(start, 555ULL);
	assert_int_equal(kept_stat_parse("12 (x) S 1 2 3\n", comm, sizeof(comm),
					 &st, &start), -EINVAL);
	assert_int_equal(kept_stat_parse("12 x S\n", comm, sizeof(comm), &st,
					 &start), -EINVAL);
	/* this process is itself, at its own start time, and no other */
	start = kept_proc_start(getpid());
	assert_true(start > 0);
	assert_true(kept_proc_is(getpid(), start, NULL));
	assert_false(kept_proc_is(getpid(), start + 1, NULL));
	assert_false(kept_proc_is(getpid(), start, "tcplab-keeper"));
	assert_false(kept_proc_is(getpid(), 0, NULL));
}

/* a star's hub has a link to each other node: every one is recorded and
 * comes back, for watch to capture on */
static void test_star(void **state)
{
	static const char star[] =
		"name st\nfamily 4\n"
		"node hub eth0:1,eth1:2,eth2:3 198.18.0.1 fd00:198:18::1\n"
		"node a eth0:0 198.18.0.2 fd00:198:18::2\n"
		"node b eth0:0 198.18.1.2 fd00:198:18:1::2\n"
		"node c eth0:0 198.18.2.2 fd00:198:18:2::2\n";
	struct kept_info k, back;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(kept_parse(star, strlen(star), &k), 0);
	assert_int_equal(k.nnodes, 4);
	assert_int_equal(k.nodes[0].nifs, 3);
	assert_string_equal(k.nodes[0].ifname[2], "eth2");
	assert_int_equal(k.nodes[0].ifpeer[2], 3);
	kept_format(f, &k);
	fclose(f);
	assert_non_null(strstr(buf, "node hub eth0:1,eth1:2,eth2:3 198.18.0.1"));
	assert_int_equal(kept_parse(buf, len, &back), 0);
	assert_memory_equal(back.nodes, k.nodes, sizeof(k.nodes));
	free(buf);
}

static void test_bad(void **state)
{
	struct kept_info k;
	static const char *const bad[] = {
		"keeper 12\n",                               /* no node */
		"node client 198.18.0.1\n",                  /* too few words */
		"node client eth0 198.18.0.1 fd00::1\n",     /* no peer */
		"node client eth0:9 198.18.0.1 fd00::1\n",   /* peer out of range */
		"family 5\nnode a eth0:1 198.18.0.1 fd00::1\n",
		/* more links than a node of a lab can have */
		"node h eth0:1,eth1:2,eth2:3,eth3:0 198.18.0.1 fd00::1\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kept_parse(bad[i], strlen(bad[i]), &k), -EINVAL);
}

static void test_rules(void **state)
{
	static const char text[] =
		"rule 1 server input tcp dport 80 flags SYN drop\n"
		"\n"
		"rule 7 client input tcp sport 80 flags SYN,ACK drop\n";
	struct kept_rules r, back;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(kept_rules_parse(text, strlen(text), &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[1].id, 7);
	assert_string_equal(r.v[1].node, "client");
	assert_string_equal(r.v[1].text, "input tcp sport 80 flags SYN,ACK drop");
	assert_ptr_equal(kept_rule_find(&r, 7), &r.v[1]);
	assert_null(kept_rule_find(&r, 2));
	f = open_memstream(&buf, &len);
	kept_rules_format(f, &r);
	fclose(f);
	assert_string_equal(buf, "rule 1 server input tcp dport 80 flags SYN drop\n"
				 "rule 7 client input tcp sport 80 flags SYN,ACK drop\n");
	assert_int_equal(kept_rules_parse(buf, len, &back), 0);
	assert_memory_equal(&back, &r, sizeof(r));
	free(buf);
	assert_int_equal(kept_rules_parse("rule 0 a b\n", 11, &r), -EINVAL);
	assert_int_equal(kept_rules_parse("rule 3 server\n", 14, &r), -EINVAL);
	assert_int_equal(kept_rules_parse("drop it\n", 8, &r), -EINVAL);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(kept_name_ok("close-wait"));
	assert_true(kept_name_ok("lab_2"));
	assert_false(kept_name_ok(""));
	assert_false(kept_name_ok("../etc"));
	assert_false(kept_name_ok("a/b"));
	assert_false(kept_name_ok(".hidden"));
	assert_false(kept_name_ok("a b"));
	assert_false(kept_name_ok("0123456789012345678901234567890123456789012345678901234567890123"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
