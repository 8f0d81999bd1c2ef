// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_rule.c - the neutral rule model: flag names, nft text, descriptions
 *
 * rule_render_nft() and rule_render_ipt() output is compared with golden
 * files, one per rule, under tests/data/rules/NAME.nft and NAME.ipt.  After an intended change, regenerate
 * them with TCPLAB_UPDATE_GOLDEN=1 and review the diff.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "rule.h"

#define GOLDEN_DIR TESTS_DATA_DIR "/rules"

/* One rule of the golden table */
struct rule_case {
	const char *name;
	struct rule rule;
	const char *describe;
};

#define DEFMASK RULE_TCP_MASK_DEFAULT

static const struct rule_case rule_cases[] = {
	{ "syn-drop",
	  { .id = 1, .hook = RULE_INPUT, .dport = 80, .flags_mask = DEFMASK,
	    .flags_set = RULE_TCP_SYN, .action = RULE_DROP, .nflog_group = 1 },
	  "input tcp dport 80 flags SYN drop" },
	{ "synack-drop",
	  { .id = 2, .hook = RULE_INPUT, .sport = 80, .flags_mask = DEFMASK,
	    .flags_set = RULE_TCP_SYN | RULE_TCP_ACK, .action = RULE_DROP,
	    .nflog_group = 2 },
	  "input tcp sport 80 flags SYN,ACK drop" },
	{ "reject-rst",
	  { .id = 3, .hook = RULE_INPUT, .dport = 81, .action = RULE_REJECT_RST },
	  "input tcp dport 81 reject-with-rst" },
	{ "output-any-accept",
	  { .id = 4, .hook = RULE_OUTPUT, .action = RULE_ACCEPT },
	  "output tcp accept" },
	{ "ipv4-only",
	  { .id = 5, .hook = RULE_OUTPUT, .family = 4, .dport = 80,
	    .action = RULE_DROP },
	  "output ipv4 tcp dport 80 drop" },
	{ "ipv6-only",
	  { .id = 6, .hook = RULE_INPUT, .family = 6, .dport = 443,
	    .action = RULE_DROP, .nflog_group = 3 },
	  "input ipv6 tcp dport 443 drop" },
	{ "null-scan",
	  { .id = 7, .hook = RULE_INPUT, .flags_mask = 0xff, .flags_set = 0,
	    .action = RULE_DROP },
	  "input tcp flags NONE/ALL drop" },
	{ "syn-any-mask",
	  { .id = 8, .hook = RULE_INPUT, .dport = 80, .flags_mask = RULE_TCP_SYN,
	    .flags_set = RULE_TCP_SYN, .action = RULE_ACCEPT },
	  "input tcp dport 80 flags SYN/SYN accept" },
	{ "no-syn-no-ack",
	  { .id = 9, .hook = RULE_OUTPUT, .flags_mask = RULE_TCP_SYN | RULE_TCP_ACK,
	    .flags_set = 0, .action = RULE_DROP },
	  "output tcp flags NONE/SYN,ACK drop" },
	{ "ecn",
	  { .id = 10, .hook = RULE_INPUT, .flags_mask = RULE_TCP_ECE | RULE_TCP_CWR,
	    .flags_set = RULE_TCP_ECE, .action = RULE_ACCEPT },
	  "input tcp flags ECE/ECE,CWR accept" },
	{ "everything",
	  { .id = 11, .hook = RULE_OUTPUT, .family = 6, .sport = 1234, .dport = 80,
	    .flags_mask = DEFMASK, .flags_set = RULE_TCP_FIN | RULE_TCP_ACK,
	    .action = RULE_REJECT_RST, .nflog_group = 65535 },
	  "output ipv6 tcp sport 1234 dport 80 flags FIN,ACK reject-with-rst" },
};

/**
 * test_flags_format() - names in wire order, "" for none, truncation
 * @state:	unused
 */
static void test_flags_format(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(rule_flags_format(0, buf, sizeof(buf)), "");
	assert_string_equal(rule_flags_format(RULE_TCP_SYN, buf, sizeof(buf)),
			    "SYN");
	assert_string_equal(rule_flags_format(RULE_TCP_ACK | RULE_TCP_SYN, buf,
					      sizeof(buf)),
			    "SYN,ACK");
	assert_string_equal(rule_flags_format(0xff, buf, sizeof(buf)),
			    "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR");
	/* a short buffer is truncated, never overrun, always terminated */
	memset(buf, 'x', sizeof(buf));
	assert_string_equal(rule_flags_format(0xff, buf, 6), "FIN,S");
	assert_int_equal(buf[6], 'x');
}

/**
 * test_flags_parse() - accepted spellings
 * @state:	unused
 */
static void test_flags_parse(void **state)
{
	static const struct {
		const char *text;
		uint8_t flags;
	} ok[] = {
		{ "SYN", RULE_TCP_SYN },
		{ "syn", RULE_TCP_SYN },
		{ "SYN,ACK", RULE_TCP_SYN | RULE_TCP_ACK },
		{ "ack,Syn", RULE_TCP_SYN | RULE_TCP_ACK },
		{ " SYN , ACK ", RULE_TCP_SYN | RULE_TCP_ACK },
		{ "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR", 0xff },
		{ "ALL", 0xff },
		{ "none", 0 },
		{ "ECN", RULE_TCP_ECE },
		{ "SYN,SYN", RULE_TCP_SYN },
		{ "rst", RULE_TCP_RST },
		{ "psh,urg,cwr", RULE_TCP_PSH | RULE_TCP_URG | RULE_TCP_CWR },
	};
	uint8_t flags;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		flags = 0x5a;
		assert_int_equal(rule_flags_parse(ok[i].text, &flags), 0);
		assert_int_equal(flags, ok[i].flags);
	}
}

/**
 * test_flags_parse_bad() - refused spellings leave the output alone
 * @state:	unused
 */
static void test_flags_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", " ", ",", "SYN,", ",SYN", "SYN,,ACK", "SYNACK",
		"SYN ACK", "SYN;ACK", "S", "SYNN", "0x02", "SYN,ACK,",
	};
	uint8_t flags = 0x5a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rule_flags_parse(bad[i], &flags), -EINVAL);
		assert_int_equal(flags, 0x5a);
	}
	assert_int_equal(rule_flags_parse(NULL, &flags), -EINVAL);
	assert_int_equal(rule_flags_parse("SYN", NULL), -EINVAL);
}

/**
 * test_flags_roundtrip() - every flag set survives format then parse
 * @state:	unused
 */
static void test_flags_roundtrip(void **state)
{
	char buf[64];
	uint8_t back;
	unsigned int v;

	(void)state;
	for (v = 1; v < 256; v++) {
		rule_flags_format((uint8_t)v, buf, sizeof(buf));
		assert_int_equal(rule_flags_parse(buf, &back), 0);
		assert_int_equal(back, v);
	}
}

/**
 * test_names() - hook and action names, and out-of-range values
 * @state:	unused
 */
static void test_names(void **state)
{
	(void)state;
	assert_string_equal(rule_hook_name(RULE_INPUT), "input");
	assert_string_equal(rule_hook_name(RULE_OUTPUT), "output");
	assert_string_equal(rule_hook_name((enum rule_hook)7), "?");
	assert_string_equal(rule_action_name(RULE_DROP), "drop");
	assert_string_equal(rule_action_name(RULE_REJECT_RST),
			    "reject-with-rst");
	assert_string_equal(rule_action_name(RULE_ACCEPT), "accept");
	assert_string_equal(rule_action_name((enum rule_action)9), "?");
}

/**
 * test_render_golden() - every rule of the table against its .nft file
 * @state:	unused
 */
static void test_render_golden(void **state)
{
	char buf[512], name[128];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		n = rule_render_nft(&rule_cases[i].rule, NULL, buf,
				    sizeof(buf) - 1);
		assert_true(n > 0 && (size_t)n < sizeof(buf) - 1);
		strcat(buf, "\n");
		snprintf(name, sizeof(name), "%s.nft", rule_cases[i].name);
		golden_check(GOLDEN_DIR, name, buf);
	}
}

/**
 * test_render_spec() - the forms the documentation promises, spelled out
 * @state:	unused
 */
static void test_render_spec(void **state)
{
	const struct rule syn = { .hook = RULE_INPUT, .dport = 80,
				  .flags_mask = DEFMASK,
				  .flags_set = RULE_TCP_SYN,
				  .action = RULE_DROP, .nflog_group = 1 };
	char buf[256];

	(void)state;
	rule_render_nft(&syn, "tcplab", buf, sizeof(buf));
	assert_string_equal(buf, "nft add rule inet tcplab input tcp dport 80 "
				 "tcp flags & (fin|syn|rst|ack) == syn "
				 "counter log prefix \"tcplab:0\" group 1 drop");
	rule_render_nft(&syn, "other", buf, sizeof(buf));
	assert_non_null(strstr(buf, "inet other input"));
}

/**
 * test_render_ipt_golden() - every rule of the table against its .ipt
 * file: every command the iptables backend runs for it (RULE_IPT_ALL)
 * @state:	unused
 */
static void test_render_ipt_golden(void **state)
{
	char buf[1024], name[128];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		n = rule_render_ipt(&rule_cases[i].rule, RULE_IPT_ALL, buf,
				    sizeof(buf) - 1);
		assert_true(n > 0 && (size_t)n < sizeof(buf) - 1);
		strcat(buf, "\n");
		snprintf(name, sizeof(name), "%s.ipt", rule_cases[i].name);
		golden_check(GOLDEN_DIR, name, buf);
	}
}

/**
 * test_render_ipt_spec() - the forms the documentation promises, and which
 * tool each choice of @which gives
 * @state:	unused
 */
static void test_render_ipt_spec(void **state)
{
	struct rule syn = { .id = 4, .hook = RULE_INPUT, .dport = 80,
			    .flags_mask = DEFMASK, .flags_set = RULE_TCP_SYN,
			    .action = RULE_DROP };
	struct rule v6 = { .hook = RULE_OUTPUT, .family = 6, .sport = 22,
			   .action = RULE_REJECT_RST };
	char buf[512];

	(void)state;
	rule_render_ipt(&syn, RULE_IPT_AUTO, buf, sizeof(buf));
	assert_string_equal(buf, "iptables -A INPUT -p tcp --dport 80 "
				 "--tcp-flags FIN,SYN,RST,ACK SYN -j DROP");
	rule_render_ipt(&syn, RULE_IPT_6, buf, sizeof(buf));
	assert_string_equal(buf, "ip6tables -A INPUT -p tcp --dport 80 "
				 "--tcp-flags FIN,SYN,RST,ACK SYN -j DROP");
	rule_render_ipt(&syn, RULE_IPT_ALL, buf, sizeof(buf));
	assert_string_equal(buf, "iptables -A INPUT -p tcp --dport 80 "
				 "--tcp-flags FIN,SYN,RST,ACK SYN -j DROP\n"
				 "ip6tables -A INPUT -p tcp --dport 80 "
				 "--tcp-flags FIN,SYN,RST,ACK SYN -j DROP");
	syn.nflog_group = 7;
	rule_render_ipt(&syn, RULE_IPT_4, buf, sizeof(buf));
	assert_string_equal(buf, "iptables -A INPUT -p tcp --dport 80 "
				 "--tcp-flags FIN,SYN,RST,ACK SYN -j NFLOG "
				 "--nflog-group 7 --nflog-prefix tcplab:4\n"
				 "iptables -A INPUT -p tcp --dport 80 "
				 "--tcp-flags FIN,SYN,RST,ACK SYN -j DROP");

	rule_render_ipt(&v6, RULE_IPT_AUTO, buf, sizeof(buf));
	assert_string_equal(buf, "ip6tables -A OUTPUT -p tcp --sport 22 -j "
				 "REJECT --reject-with tcp-reset");
	assert_int_equal(rule_render_ipt(&v6, RULE_IPT_4, buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "");
	v6.family = 4;
	assert_int_equal(rule_render_ipt(&v6, RULE_IPT_6, buf, sizeof(buf)),
			 0);
	rule_render_ipt(&v6, RULE_IPT_ALL, buf, sizeof(buf));
	assert_string_equal(buf, "iptables -A OUTPUT -p tcp --sport 22 -j "
				 "REJECT --reject-with tcp-reset");
}

/**
 * test_nflog_prefix() - the prefix that names a rule, both ways
 * @state:	unused
 */
static void test_nflog_prefix(void **state)
{
	static const char *const bad[] = {
		"", "tcplab:", "tcplab:x", "tcplab:-1", "tcplab:+1",
		"tcplab: 1", "tcplab:1 ", "tcplab:01", "TCPLAB:1",
		"tcplab:4294967296", "other:1", "tcplab",
	};
	const struct rule r = { .id = 12 };
	unsigned id = 99;
	char buf[32];
	size_t i;

	(void)state;
	assert_int_equal(rule_nflog_prefix(&r, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "tcplab:12");
	assert_int_equal(rule_nflog_prefix_parse(buf, &id), 0);
	assert_int_equal(id, 12);
	assert_int_equal(rule_nflog_prefix_parse("tcplab:0", &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(rule_nflog_prefix_parse("tcplab:4294967295", &id), 0);
	assert_int_equal(id, 4294967295u);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		id = 99;
		assert_int_equal(rule_nflog_prefix_parse(bad[i], &id),
				 -EINVAL);
		assert_int_equal(id, 99);
	}
	assert_int_equal(rule_nflog_prefix_parse(NULL, &id), -EINVAL);
}

/**
 * test_render_truncation() - snprintf semantics
 * @state:	unused
 */
static void test_render_truncation(void **state)
{
	const struct rule *r = &rule_cases[0].rule;
	char full[1024], small[20];
	int need;

	(void)state;
	need = rule_render_nft(r, NULL, NULL, 0);
	assert_int_equal(need, rule_render_nft(r, NULL, full, sizeof(full)));
	assert_int_equal((size_t)need, strlen(full));
	memset(small, 'x', sizeof(small));
	assert_int_equal(rule_render_nft(r, NULL, small, 10), need);
	assert_int_equal(strlen(small), 9);
	assert_memory_equal(small, full, 9);
	assert_int_equal(small[10], 'x');

	need = rule_render_ipt(r, RULE_IPT_ALL, NULL, 0);
	assert_int_equal(need, rule_render_ipt(r, RULE_IPT_ALL, full,
					       sizeof(full)));
	assert_int_equal((size_t)need, strlen(full));
	memset(small, 'x', sizeof(small));
	assert_int_equal(rule_render_ipt(r, RULE_IPT_ALL, small, 10), need);
	assert_memory_equal(small, full, 9);
	assert_int_equal(small[9], '\0');
	assert_int_equal(small[10], 'x');

	need = rule_describe(r, NULL, 0);
	assert_int_equal(need, rule_describe(r, full, sizeof(full)));
	assert_int_equal(rule_describe(r, small, 5), need);
	assert_string_equal(small, "inpu");
}

/**
 * test_describe() - the short neutral text of every rule of the table
 * @state:	unused
 */
static void test_describe(void **state)
{
	char buf[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		rule_describe(&rule_cases[i].rule, buf, sizeof(buf));
		assert_string_equal(buf, rule_cases[i].describe);
	}
}

/**
 * main() - run the rule model tests
 *
 * Return: the number of failed tests.
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_format),
		cmocka_unit_test(test_flags_parse),
		cmocka_unit_test(test_flags_parse_bad),
		cmocka_unit_test(test_flags_roundtrip),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_render_golden),
		cmocka_unit_test(test_render_spec),
		cmocka_unit_test(test_render_ipt_golden),
		cmocka_unit_test(test_render_ipt_spec),
		cmocka_unit_test(test_nflog_prefix),
		cmocka_unit_test(test_render_truncation),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
