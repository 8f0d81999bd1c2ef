// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fw_ipt.c - the iptables backend's pure half, without a kernel
 *
 * What is checked:
 *  - each neutral rule becomes the x_tables entries the backend hands to
 *    libiptc, decoded back by fw_ipt_entry_format() into iptables-save
 *    lines and compared with tests/data/rules/NAME.ipt-save (the same rules
 *    as test_rule.c).  Those golden files were checked against the kernel:
 *    installed by the backend in a scratch namespace, iptables-legacy-save
 *    and ip6tables-legacy-save listed exactly these lines (docs/firewall.md);
 *  - the bytes that matter, without golden text: offsets and sizes, the
 *    protocol (and IP6T_F_PROTO), port ranges, flag bytes, target names
 *    and data;
 *  - the order of a table's entries, NFLOG first, and the rules refused;
 *  - the registry.
 * Regenerate golden text with TCPLAB_UPDATE_GOLDEN=1 and review the diff.
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

#include <libiptc/libip6tc.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_NFLOG.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ipt_REJECT.h>
#include <linux/netfilter_ipv6/ip6t_REJECT.h>

#include "fw.h"
#include "fw_ipt.h"
#include "fw_nft.h"
#include "golden.h"
#include "rule.h"

#define GOLDEN_DIR TESTS_DATA_DIR "/rules"

/* One rule of the golden table (the same as in test_rule.c) */
struct rule_case {
	const char *name;
	struct rule rule;
	int refused; /* -errno fw_ipt_entry_build() answers, or 0 */
};

#define DEFMASK RULE_TCP_MASK_DEFAULT

static const struct rule_case rule_cases[] = {
	{ .name = "syn-drop",
	  .rule = { .id = 1, .hook = RULE_INPUT, .dport = 80,
		    .flags_mask = DEFMASK, .flags_set = RULE_TCP_SYN,
		    .action = RULE_DROP, .nflog_group = 1 } },
	{ .name = "synack-drop",
	  .rule = { .id = 2, .hook = RULE_INPUT, .sport = 80,
		    .flags_mask = DEFMASK,
		    .flags_set = RULE_TCP_SYN | RULE_TCP_ACK,
		    .action = RULE_DROP, .nflog_group = 2 } },
	{ .name = "reject-rst",
	  .rule = { .id = 3, .hook = RULE_INPUT, .dport = 81,
		    .action = RULE_REJECT_RST } },
	{ .name = "output-any-accept",
	  .rule = { .id = 4, .hook = RULE_OUTPUT, .action = RULE_ACCEPT } },
	{ .name = "ipv4-only",
	  .rule = { .id = 5, .hook = RULE_OUTPUT, .family = 4, .dport = 80,
		    .action = RULE_DROP } },
	{ .name = "ipv6-only",
	  .rule = { .id = 6, .hook = RULE_INPUT, .family = 6, .dport = 443,
		    .action = RULE_DROP, .nflog_group = 3 } },
	{ .name = "null-scan",
	  .rule = { .id = 7, .hook = RULE_INPUT, .flags_mask = 0xff,
		    .flags_set = 0, .action = RULE_DROP },
	  .refused = -EOPNOTSUPP },
	{ .name = "syn-any-mask",
	  .rule = { .id = 8, .hook = RULE_INPUT, .dport = 80,
		    .flags_mask = RULE_TCP_SYN, .flags_set = RULE_TCP_SYN,
		    .action = RULE_ACCEPT } },
	{ .name = "no-syn-no-ack",
	  .rule = { .id = 9, .hook = RULE_OUTPUT,
		    .flags_mask = RULE_TCP_SYN | RULE_TCP_ACK, .flags_set = 0,
		    .action = RULE_DROP } },
	{ .name = "ecn",
	  .rule = { .id = 10, .hook = RULE_INPUT,
		    .flags_mask = RULE_TCP_ECE | RULE_TCP_CWR,
		    .flags_set = RULE_TCP_ECE, .action = RULE_ACCEPT },
	  .refused = -EOPNOTSUPP },
	{ .name = "everything",
	  .rule = { .id = 11, .hook = RULE_OUTPUT, .family = 6, .sport = 1234,
		    .dport = 80, .flags_mask = DEFMASK,
		    .flags_set = RULE_TCP_FIN | RULE_TCP_ACK,
		    .action = RULE_REJECT_RST, .nflog_group = 65535 } },
};

#define NCASES (sizeof(rule_cases) / sizeof(rule_cases[0]))

/**
 * test_entries_golden() - every entry of every rule, as iptables-save
 * would list it, against NAME.ipt-save
 * @state:	unused
 */
static void test_entries_golden(void **state)
{
	static const int fams[] = { 4, 6 };
	char text[4096], line[512], name[128];
	struct fw_ipt_entry *v;
	size_t i, j, k, n;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		if (rule_cases[i].refused)
			continue;
		text[0] = '\0';
		for (j = 0; j < 2; j++) {
			assert_int_equal(fw_ipt_entries_build(&rule_cases[i].rule,
							      1, fams[j], &v,
							      &n, NULL),
					 0);
			if (!n)
				continue;
			strcat(text, fams[j] == 4 ? "*iptables\n" :
						    "*ip6tables\n");
			for (k = 0; k < n; k++) {
				assert_int_equal(v[k].family, fams[j]);
				fw_ipt_entry_format(&v[k], line, sizeof(line));
				strcat(text, line);
				strcat(text, "\n");
			}
			fw_ipt_entries_free(v, n);
		}
		snprintf(name, sizeof(name), "%s.ipt-save", rule_cases[i].name);
		golden_check(GOLDEN_DIR, name, text);
	}
}

/**
 * test_entry_bytes_v4() - an IPv4 entry, field by field
 * @state:	unused
 */
static void test_entry_bytes_v4(void **state)
{
	const struct rule r = { .id = 3, .hook = RULE_OUTPUT, .sport = 1234,
				.flags_mask = DEFMASK,
				.flags_set = RULE_TCP_SYN | RULE_TCP_ACK,
				.action = RULE_DROP, .nflog_group = 9 };
	const struct xt_entry_target *t;
	const struct xt_entry_match *m;
	const struct xt_nflog_info *nflog;
	const struct xt_tcp *tcp;
	struct fw_ipt_entry x;
	const struct ipt_entry *e;

	(void)state;
	assert_int_equal(fw_ipt_entry_build(&r, 4, 0, &x), 0);
	e = x.e;
	assert_string_equal(x.chain, "OUTPUT");
	assert_int_equal(x.nflog, 0);
	assert_int_equal(e->ip.proto, 6);
	assert_int_equal(e->ip.invflags, 0);
	assert_int_equal(e->target_offset,
			 sizeof(*e) + XT_ALIGN(sizeof(*m)) +
				 XT_ALIGN(sizeof(*tcp)));
	assert_int_equal(e->next_offset, x.len);
	assert_int_equal(e->next_offset,
			 e->target_offset +
				 XT_ALIGN(sizeof(struct xt_standard_target)));
	m = (const void *)e->elems;
	assert_string_equal(m->u.user.name, "tcp");
	assert_int_equal(m->u.user.match_size, e->target_offset - sizeof(*e));
	tcp = (const void *)m->data;
	assert_int_equal(tcp->spts[0], 1234);
	assert_int_equal(tcp->spts[1], 1234);
	assert_int_equal(tcp->dpts[0], 0);
	assert_int_equal(tcp->dpts[1], 0xffff);
	assert_int_equal(tcp->flg_mask, 0x17);
	assert_int_equal(tcp->flg_cmp, 0x12);
	assert_int_equal(tcp->invflags, 0);
	t = (const void *)((const char *)e + e->target_offset);
	assert_string_equal(t->u.user.name, "DROP");
	assert_int_equal(t->u.user.target_size, e->next_offset -
						       e->target_offset);
	fw_ipt_entry_free(&x);
	assert_null(x.e);

	/* its NFLOG entry: same match, NFLOG target with group and prefix */
	assert_int_equal(fw_ipt_entry_build(&r, 4, 1, &x), 0);
	e = x.e;
	assert_int_equal(x.nflog, 1);
	t = (const void *)((const char *)e + e->target_offset);
	assert_string_equal(t->u.user.name, "NFLOG");
	assert_int_equal(t->u.user.target_size,
			 XT_ALIGN(sizeof(*t)) + XT_ALIGN(sizeof(*nflog)));
	nflog = (const void *)t->data;
	assert_int_equal(nflog->group, 9);
	assert_string_equal(nflog->prefix, "tcplab:3");
	assert_int_equal(nflog->flags, 0);
	fw_ipt_entry_free(&x);
}

/**
 * test_entry_bytes_v6() - an IPv6 entry: IP6T_F_PROTO, REJECT tcp-reset,
 * no tcp match when there is nothing to match
 * @state:	unused
 */
static void test_entry_bytes_v6(void **state)
{
	const struct rule r = { .hook = RULE_INPUT, .family = 6,
				.action = RULE_REJECT_RST };
	const struct ip6t_reject_info *rej;
	const struct xt_entry_target *t;
	const struct ip6t_entry *e;
	struct fw_ipt_entry x;

	(void)state;
	assert_int_equal(fw_ipt_entry_build(&r, 6, 0, &x), 0);
	e = x.e;
	assert_string_equal(x.chain, "INPUT");
	assert_int_equal(e->ipv6.proto, 6);
	assert_true(e->ipv6.flags & IP6T_F_PROTO);
	assert_int_equal(e->target_offset, sizeof(*e));
	t = (const void *)((const char *)e + e->target_offset);
	assert_string_equal(t->u.user.name, "REJECT");
	rej = (const void *)t->data;
	assert_int_equal(rej->with, IP6T_TCP_RESET);
	assert_int_equal(e->next_offset,
			 sizeof(*e) + XT_ALIGN(sizeof(*t)) +
				 XT_ALIGN(sizeof(*rej)));
	fw_ipt_entry_free(&x);
	/* an IPv6-only rule has no IPv4 entry, and no NFLOG without a group */
	assert_int_equal(fw_ipt_entry_build(&r, 4, 0, &x), -EINVAL);
	assert_int_equal(fw_ipt_entry_build(&r, 6, 1, &x), -EINVAL);
	assert_int_equal(fw_ipt_entry_build(&r, 5, 0, &x), -EINVAL);
}

/**
 * test_entries_order() - a table's entries: rules of its family only, in
 * order, each NFLOG entry right before its rule
 * @state:	unused
 */
static void test_entries_order(void **state)
{
	const struct rule rules[] = {
		{ .id = 1, .hook = RULE_INPUT, .dport = 1,
		  .action = RULE_DROP, .nflog_group = 1 },
		{ .id = 2, .hook = RULE_OUTPUT, .family = 6, .dport = 2,
		  .action = RULE_DROP },
		{ .id = 3, .hook = RULE_OUTPUT, .family = 4, .dport = 3,
		  .action = RULE_ACCEPT, .nflog_group = 2 },
	};
	struct fw_ipt_entry *v;
	size_t n;

	(void)state;
	assert_int_equal(fw_ipt_entries_build(rules, 3, 4, &v, &n, NULL), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].rule, 0);
	assert_int_equal(v[0].nflog, 1);
	assert_int_equal(v[1].rule, 0);
	assert_int_equal(v[1].nflog, 0);
	assert_int_equal(v[2].rule, 2);
	assert_int_equal(v[2].nflog, 1);
	assert_int_equal(v[3].rule, 2);
	assert_string_equal(v[3].chain, "OUTPUT");
	fw_ipt_entries_free(v, n);

	assert_int_equal(fw_ipt_entries_build(rules, 3, 6, &v, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2].rule, 1);
	fw_ipt_entries_free(v, n);

	assert_int_equal(fw_ipt_entries_build(rules, 0, 6, &v, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(v);
	assert_int_equal(fw_ipt_entries_build(rules, 1, 0, &v, &n, NULL),
			 -EINVAL);
}

/**
 * test_refused() - rules the backend cannot express, and how the refusal
 * reads: ECE/CWR is a scenario error (exit class 2) at the rule's place
 * @state:	unused
 */
static void test_refused(void **state)
{
	struct rule bad[] = {
		{ .hook = (enum rule_hook)5, .action = RULE_DROP },
		{ .hook = RULE_INPUT, .family = 5, .action = RULE_DROP },
		{ .hook = RULE_INPUT, .action = (enum rule_action)7 },
		{ .hook = RULE_INPUT, .action = RULE_DROP, .nflog_group = -1 },
		{ .hook = RULE_INPUT, .action = RULE_DROP,
		  .nflog_group = 65536 },
	};
	const struct rule two[2] = {
		{ .id = 1, .hook = RULE_INPUT, .action = RULE_DROP },
		{ .id = 2, .hook = RULE_INPUT, .dport = 80, .family = 5,
		  .action = RULE_DROP, .loc = { "x.tcp", 7, 3 } },
	};
	const struct rule ece = { .id = 4, .hook = RULE_INPUT,
				  .flags_mask = 0xff, .action = RULE_DROP,
				  .loc = { "x.tcp", 9, 1 } };
	struct fw_ipt_entry x, *v;
	struct err e = { 0 };
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fw_ipt_entry_build(&bad[i], 4, 0, &x),
				 -EINVAL);
	for (i = 0; i < NCASES; i++)
		if (rule_cases[i].refused)
			assert_int_equal(fw_ipt_entry_build(&rule_cases[i].rule,
							    4, 0, &x),
					 rule_cases[i].refused);
	assert_int_equal(fw_ipt_entries_build(two, 2, 4, &v, &n, &e),
			 -EINVAL);
	assert_string_equal(e.msg, "cannot express rule at x.tcp:7 (input tcp "
				   "dport 80 drop) for iptables: Invalid "
				   "argument");
	assert_null(v);
	err_clear(&e);
	assert_int_equal(fw_ipt_entries_build(&ece, 1, 4, &v, &n, &e),
			 -EOPNOTSUPP);
	assert_int_equal(err_exit_status(&e), ERR_EXIT_USAGE);
	assert_string_equal(e.msg, "x.tcp:9:1: the iptables backend cannot "
				   "express \"input tcp flags NONE/ALL drop\": "
				   "iptables has no names for the TCP flags "
				   "ECE and CWR (use the nftables backend)");
}

/**
 * test_format_damaged() - offsets that point outside the entry give "?"
 * @state:	unused
 */
static void test_format_damaged(void **state)
{
	const struct rule r = { .hook = RULE_INPUT, .dport = 80,
				.action = RULE_DROP };
	struct fw_ipt_entry x;
	struct ipt_entry *e;
	struct xt_entry_match *m;
	char buf[256];

	(void)state;
	assert_int_equal(fw_ipt_entry_build(&r, 4, 0, &x), 0);
	e = x.e;
	fw_ipt_entry_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "-A INPUT -p tcp -m tcp --dport 80 -j DROP");
	m = (void *)e->elems;
	m->u.user.match_size = 4000;
	fw_ipt_entry_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "-A INPUT -p tcp ?");
	e->next_offset = 9000;
	fw_ipt_entry_format(&x, buf, sizeof(buf));
	assert_string_equal(buf, "-A INPUT ?");
	/* snprintf semantics */
	e->next_offset = (uint16_t)x.len;
	m->u.user.match_size = (uint16_t)(e->target_offset - sizeof(*e));
	assert_int_equal(fw_ipt_entry_format(&x, buf, 5), 41);
	assert_string_equal(buf, "-A I");
	fw_ipt_entry_free(&x);
}

/**
 * test_registry() - both backends are listed; only iptables has a probe
 * @state:	unused
 */
static void test_registry(void **state)
{
	(void)state;
	assert_ptr_equal(fw_backend_find("iptables"), &fw_ipt_backend);
	assert_ptr_equal(fw_backend_find("nftables"), &fw_nft_backend);
	assert_string_equal(fw_backend_names(), "nftables, iptables");
	assert_non_null(fw_ipt_backend.probe);
	assert_null(fw_nft_backend.probe);
	assert_int_equal(fw_probe(&fw_nft_backend, NULL), 0);
	assert_int_equal(fw_probe(NULL, NULL), -EINVAL);
}

/**
 * main() - run the iptables backend tests
 *
 * Return: the number of failed tests.
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_golden),
		cmocka_unit_test(test_entry_bytes_v4),
		cmocka_unit_test(test_entry_bytes_v6),
		cmocka_unit_test(test_entries_order),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format_damaged),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
