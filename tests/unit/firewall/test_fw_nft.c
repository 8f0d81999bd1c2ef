// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fw_nft.c - the nftables backend's pure half, without a kernel
 *
 * What is checked:
 *  - each neutral rule becomes the expected libnftnl expressions, rendered
 *    with nftnl_rule_snprintf() and compared with tests/data/rules/NAME.payload
 *    (the same rules as test_rule.c and its NAME.nft files);
 *  - the bytes of whole batches (set-up and rule batches), decoded back
 *    with libnftnl, against tests/data/rules/{open,add}.batch;
 *  - every command asks for an ACK and has its own sequence number;
 *  - answers recorded from a real kernel (tests/data/rules/ *.acks, hex
 *    dumps of what recv() returned) are decoded and each refusal is mapped
 *    back to its command and to the attribute the kernel pointed at;
 *  - the backend registry.
 *
 * The .acks files were recorded on Linux 6.18 by sending exactly the
 * batches that the tests below build (same rules, same sequence numbers)
 * in a scratch network namespace: open-ok after nothing, add-nochain after
 * "nft delete chain inet tcplab output", add-badexpr as built by
 * badexpr_batch().  Regenerate golden text with TCPLAB_UPDATE_GOLDEN=1.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "fw.h"
#include "fw_nft.h"
#include "golden.h"
#include "rule.h"

#define GOLDEN_DIR TESTS_DATA_DIR "/rules"

/* One rule of the golden table (the same as in test_rule.c) */
struct rule_case {
	const char *name;
	struct rule rule;
};

#define DEFMASK RULE_TCP_MASK_DEFAULT

static const struct rule_case rule_cases[] = {
	{ "syn-drop",
	  { .id = 1, .hook = RULE_INPUT, .dport = 80, .flags_mask = DEFMASK,
	    .flags_set = RULE_TCP_SYN, .action = RULE_DROP, .nflog_group = 1 } },
	{ "synack-drop",
	  { .id = 2, .hook = RULE_INPUT, .sport = 80, .flags_mask = DEFMASK,
	    .flags_set = RULE_TCP_SYN | RULE_TCP_ACK, .action = RULE_DROP,
	    .nflog_group = 2 } },
	{ "reject-rst",
	  { .id = 3, .hook = RULE_INPUT, .dport = 81, .action = RULE_REJECT_RST } },
	{ "output-any-accept",
	  { .id = 4, .hook = RULE_OUTPUT, .action = RULE_ACCEPT } },
	{ "ipv4-only",
	  { .id = 5, .hook = RULE_OUTPUT, .family = 4, .dport = 80,
	    .action = RULE_DROP } },
	{ "ipv6-only",
	  { .id = 6, .hook = RULE_INPUT, .family = 6, .dport = 443,
	    .action = RULE_DROP, .nflog_group = 3 } },
	{ "null-scan",
	  { .id = 7, .hook = RULE_INPUT, .flags_mask = 0xff, .flags_set = 0,
	    .action = RULE_DROP } },
	{ "syn-any-mask",
	  { .id = 8, .hook = RULE_INPUT, .dport = 80, .flags_mask = RULE_TCP_SYN,
	    .flags_set = RULE_TCP_SYN, .action = RULE_ACCEPT } },
	{ "no-syn-no-ack",
	  { .id = 9, .hook = RULE_OUTPUT, .flags_mask = RULE_TCP_SYN | RULE_TCP_ACK,
	    .flags_set = 0, .action = RULE_DROP } },
	{ "ecn",
	  { .id = 10, .hook = RULE_INPUT, .flags_mask = RULE_TCP_ECE | RULE_TCP_CWR,
	    .flags_set = RULE_TCP_ECE, .action = RULE_ACCEPT } },
	{ "everything",
	  { .id = 11, .hook = RULE_OUTPUT, .family = 6, .sport = 1234, .dport = 80,
	    .flags_mask = DEFMASK, .flags_set = RULE_TCP_FIN | RULE_TCP_ACK,
	    .action = RULE_REJECT_RST, .nflog_group = 65535 } },
};

#define NCASES (sizeof(rule_cases) / sizeof(rule_cases[0]))

/* The rules of the recorded add-nochain answer: seq 200, chain output gone */
static const struct rule nochain_rules[] = {
	{ .id = 1, .hook = RULE_INPUT, .dport = 22, .action = RULE_ACCEPT,
	  .loc = { "ok.tcp", 2, 1 } },
	{ .id = 2, .hook = RULE_OUTPUT, .dport = 80, .flags_mask = DEFMASK,
	  .flags_set = RULE_TCP_SYN, .action = RULE_DROP,
	  .loc = { "syn-sent.tcp", 9, 1 } },
	{ .id = 3, .hook = RULE_OUTPUT, .sport = 80, .action = RULE_REJECT_RST,
	  .loc = { "syn-sent.tcp", 10, 1 } },
};

/**
 * batch_messages() - every message of a batch, in order
 * @b:		the batch
 * @msgs:	filled with pointers into the batch
 * @max:	room in @msgs
 *
 * Return: the number of messages.
 */
static size_t batch_messages(struct nftnl_batch *b,
			     const struct nlmsghdr **msgs, size_t max)
{
	struct iovec iov[64];
	int i, iovlen = nftnl_batch_iovec_len(b);
	size_t n = 0;

	assert_true(iovlen > 0 && iovlen <= 64);
	nftnl_batch_iovec(b, iov, (uint32_t)iovlen);
	for (i = 0; i < iovlen; i++) {
		const struct nlmsghdr *nlh = iov[i].iov_base;
		int left = (int)iov[i].iov_len;

		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			assert_true(n < max);
			msgs[n++] = nlh;
		}
		assert_int_equal(left, 0);
	}
	return n;
}

/**
 * msg_flags() - NLM_F_* flags of a command as text
 * @f:		the flags
 * @buf:	destination
 * @len:	its size
 *
 * Return: @buf, e.g. "request,ack,create,append".
 */
static const char *msg_flags(uint16_t f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s", f & NLM_F_REQUEST ? "request" : "",
		 f & NLM_F_ACK ? ",ack" : "", f & NLM_F_CREATE ? ",create" : "",
		 f & NLM_F_EXCL ? ",excl" : "",
		 f & NLM_F_APPEND ? ",append" : "");
	return buf;
}

/**
 * batch_dump() - decode every message of a batch back into text
 * @b:		the batch
 * @out:	destination
 * @len:	its size
 */
static void batch_dump(struct nftnl_batch *b, char *out, size_t len)
{
	const struct nlmsghdr *msgs[64];
	char obj[4096], fl[64];
	size_t i, n, used = 0;

	n = batch_messages(b, msgs, 64);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct nlmsghdr *nlh = msgs[i];
		uint16_t type = nlh->nlmsg_type;
		const char *what;

		obj[0] = '\0';
		if (type == NFNL_MSG_BATCH_BEGIN) {
			what = "batch-begin";
		} else if (type == NFNL_MSG_BATCH_END) {
			what = "batch-end";
		} else {
			assert_int_equal(NFNL_SUBSYS_ID(type),
					 NFNL_SUBSYS_NFTABLES);
			switch (NFNL_MSG_TYPE(type)) {
			case NFT_MSG_NEWTABLE:
			case NFT_MSG_DELTABLE: {
				struct nftnl_table *t = nftnl_table_alloc();

				what = NFNL_MSG_TYPE(type) == NFT_MSG_NEWTABLE
					       ? "newtable"
					       : "deltable";
				assert_int_equal(nftnl_table_nlmsg_parse(nlh, t), 0);
				nftnl_table_snprintf(obj, sizeof(obj), t, 0, 0);
				nftnl_table_free(t);
				break;
			}
			case NFT_MSG_NEWCHAIN: {
				struct nftnl_chain *c = nftnl_chain_alloc();

				what = "newchain";
				assert_int_equal(nftnl_chain_nlmsg_parse(nlh, c), 0);
				nftnl_chain_snprintf(obj, sizeof(obj), c, 0, 0);
				nftnl_chain_free(c);
				break;
			}
			case NFT_MSG_NEWRULE:
			case NFT_MSG_DELRULE: {
				struct nftnl_rule *r = nftnl_rule_alloc();

				what = NFNL_MSG_TYPE(type) == NFT_MSG_NEWRULE
					       ? "newrule"
					       : "delrule";
				assert_int_equal(nftnl_rule_nlmsg_parse(nlh, r), 0);
				nftnl_rule_snprintf(obj, sizeof(obj), r, 0, 0);
				nftnl_rule_free(r);
				break;
			}
			default:
				fail_msg("unexpected message type %u", type);
				return;
			}
		}
		used += (size_t)snprintf(out + used, len - used,
					 "seq %u %s %s\n%s%s", nlh->nlmsg_seq,
					 what, msg_flags(nlh->nlmsg_flags, fl,
							 sizeof(fl)),
					 obj, obj[0] ? "\n" : "");
		assert_true(used < len);
	}
}

/**
 * check_acks_requested() - commands ask for an ACK, markers do not, and
 * the sequence numbers run from @seq without a gap
 * @b:		the batch
 * @seq:	sequence number of the begin marker
 * @ncmds:	commands expected between the markers
 */
static void check_acks_requested(struct nftnl_batch *b, uint32_t seq,
				 size_t ncmds)
{
	const struct nlmsghdr **msgs = calloc(ncmds + 2, sizeof(*msgs));
	size_t i, n;

	assert_non_null(msgs);
	n = batch_messages(b, msgs, ncmds + 2);
	assert_int_equal(n, ncmds + 2);
	assert_int_equal(msgs[0]->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
	assert_int_equal(msgs[n - 1]->nlmsg_type, NFNL_MSG_BATCH_END);
	for (i = 0; i < n; i++) {
		int marker = i == 0 || i == n - 1;

		assert_int_equal(msgs[i]->nlmsg_seq, seq + i);
		assert_true(msgs[i]->nlmsg_flags & NLM_F_REQUEST);
		assert_int_equal(!!(msgs[i]->nlmsg_flags & NLM_F_ACK), !marker);
	}
	free(msgs);
}

/**
 * test_rule_payload_golden() - each rule's expressions, against NAME.payload,
 * and the same text again after a trip through the message bytes
 * @state:	unused
 */
static void test_rule_payload_golden(void **state)
{
	char text[4096], back[4096], name[128];
	const struct nlmsghdr *msgs[4];
	struct nftnl_rule *nr, *parsed;
	struct nftnl_batch *b;
	size_t i;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		assert_int_equal(fw_nft_rule_build(&rule_cases[i].rule, NULL,
						   &nr),
				 0);
		nftnl_rule_snprintf(text, sizeof(text) - 1, nr, 0, 0);
		nftnl_rule_free(nr);
		strcat(text, "\n");
		snprintf(name, sizeof(name), "%s.payload", rule_cases[i].name);
		golden_check(GOLDEN_DIR, name, text);

		b = fw_nft_batch_new();
		assert_non_null(b);
		assert_int_equal(fw_nft_add_batch_build(b, NULL,
							&rule_cases[i].rule, 1,
							1, NULL),
				 0);
		assert_int_equal(batch_messages(b, msgs, 4), 3);
		parsed = nftnl_rule_alloc();
		assert_int_equal(nftnl_rule_nlmsg_parse(msgs[1], parsed), 0);
		nftnl_rule_snprintf(back, sizeof(back) - 1, parsed, 0, 0);
		strcat(back, "\n");
		assert_string_equal(back, text);
		nftnl_rule_free(parsed);
		nftnl_batch_free(b);
	}
}

/**
 * test_rule_expressions() - spot checks that do not rely on golden text:
 * the flag byte, its mask and value, the ports in network order
 * @state:	unused
 */
static void test_rule_expressions(void **state)
{
	const struct rule r = { .hook = RULE_INPUT, .sport = 0x1234,
				.dport = 80, .flags_mask = DEFMASK,
				.flags_set = RULE_TCP_SYN | RULE_TCP_ACK,
				.action = RULE_DROP };
	const char *names[16];
	const uint8_t *mask, *val;
	struct nftnl_expr_iter *it;
	struct nftnl_expr *x;
	struct nftnl_rule *nr;
	uint32_t len;
	size_t n = 0;

	(void)state;
	assert_int_equal(fw_nft_rule_build(&r, "t", &nr), 0);
	assert_string_equal(nftnl_rule_get_str(nr, NFTNL_RULE_TABLE), "t");
	assert_string_equal(nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN), "input");
	assert_int_equal(nftnl_rule_get_u32(nr, NFTNL_RULE_FAMILY),
			 NFPROTO_INET);
	it = nftnl_expr_iter_create(nr);
	while ((x = nftnl_expr_iter_next(it)) && n < 16) {
		names[n] = nftnl_expr_get_str(x, NFTNL_EXPR_NAME);
		if (!strcmp(names[n], "payload") &&
		    nftnl_expr_get_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET) == 13) {
			assert_int_equal(nftnl_expr_get_u32(x,
							    NFTNL_EXPR_PAYLOAD_BASE),
					 NFT_PAYLOAD_TRANSPORT_HEADER);
			assert_int_equal(nftnl_expr_get_u32(x,
							    NFTNL_EXPR_PAYLOAD_LEN),
					 1);
		}
		if (!strcmp(names[n], "bitwise")) {
			mask = nftnl_expr_get(x, NFTNL_EXPR_BITWISE_MASK, &len);
			assert_int_equal(len, 1);
			assert_int_equal(mask[0], DEFMASK);
		}
		if (!strcmp(names[n], "cmp") && n == 3) {
			val = nftnl_expr_get(x, NFTNL_EXPR_CMP_DATA, &len);
			assert_int_equal(len, 2);
			assert_int_equal(val[0], 0x12); /* sport, big endian */
			assert_int_equal(val[1], 0x34);
		}
		if (!strcmp(names[n], "cmp") && n == 8) {
			val = nftnl_expr_get(x, NFTNL_EXPR_CMP_DATA, &len);
			assert_int_equal(len, 1);
			assert_int_equal(val[0], RULE_TCP_SYN | RULE_TCP_ACK);
		}
		n++;
	}
	nftnl_expr_iter_destroy(it);
	assert_int_equal(n, 11);
	assert_string_equal(names[0], "meta");
	assert_string_equal(names[2], "payload");
	assert_string_equal(names[6], "payload");
	assert_string_equal(names[7], "bitwise");
	assert_string_equal(names[9], "counter");
	assert_string_equal(names[10], "immediate");
	nftnl_rule_free(nr);
}

/**
 * test_rule_invalid() - rules no backend can express are refused, and the
 * refusal names the rule and its scenario line
 * @state:	unused
 */
static void test_rule_invalid(void **state)
{
	struct rule bad[] = {
		{ .hook = (enum rule_hook)5, .action = RULE_DROP },
		{ .hook = RULE_INPUT, .family = 5, .action = RULE_DROP },
		{ .hook = RULE_INPUT, .action = (enum rule_action)7 },
		{ .hook = RULE_INPUT, .action = RULE_DROP, .nflog_group = -1 },
		{ .hook = RULE_INPUT, .action = RULE_DROP,
		  .nflog_group = 65536 },
	};
	struct rule two[2] = {
		{ .id = 1, .hook = RULE_INPUT, .action = RULE_DROP },
		{ .id = 2, .hook = RULE_INPUT, .dport = 80, .family = 5,
		  .action = RULE_DROP, .loc = { "x.tcp", 7, 3 } },
	};
	struct nftnl_batch *b;
	struct nftnl_rule *nr;
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fw_nft_rule_build(&bad[i], NULL, &nr),
				 -EINVAL);
	b = fw_nft_batch_new();
	assert_int_equal(fw_nft_add_batch_build(b, NULL, two, 2, 1, &e),
			 -EINVAL);
	assert_string_equal(e.msg, "cannot express rule at x.tcp:7 (input tcp "
				   "dport 80 drop) for nftables: Invalid "
				   "argument");
	nftnl_batch_free(b);
}

/**
 * test_open_batch() - the set-up batch: table added, deleted, added (no chain yet)
 * @state:	unused
 */
static void test_open_batch(void **state)
{
	static char text[65536];
	struct nftnl_batch *b = fw_nft_batch_new();

	(void)state;
	assert_int_equal(fw_nft_open_batch_build(b, NULL, 100), 0);
	check_acks_requested(b, 100, FW_NFT_OPEN_NCMDS);
	batch_dump(b, text, sizeof(text));
	golden_check(GOLDEN_DIR, "open.batch", text);
	nftnl_batch_free(b);
}

/**
 * test_chains_batch() - base chains only for the hooks the rules use, in
 * hook order
 * @state:	unused
 */
static void test_chains_batch(void **state)
{
	static char text[65536];
	struct rule r[3] = { { .hook = RULE_FORWARD }, { .hook = RULE_INPUT },
			     { .hook = RULE_INPUT } };
	struct nftnl_batch *b = fw_nft_batch_new();
	unsigned int hooks = fw_nft_chains_needed(r, 3);

	(void)state;
	assert_int_equal(hooks, (1u << RULE_INPUT) | (1u << RULE_FORWARD));
	assert_int_equal(fw_nft_chains_needed(r, 0), 0);
	assert_int_equal(fw_nft_chains_batch_build(b, NULL, hooks, 400), 2);
	check_acks_requested(b, 400, 2);
	batch_dump(b, text, sizeof(text));
	golden_check(GOLDEN_DIR, "chains.batch", text);
	nftnl_batch_free(b);
}

/**
 * test_flush_batch() - the reset batch: one flush of the table, nothing
 * created
 * @state:	unused
 */
static void test_flush_batch(void **state)
{
	static char text[65536];
	struct nftnl_batch *b = fw_nft_batch_new();

	(void)state;
	assert_int_equal(fw_nft_flush_batch_build(b, NULL, 300), 0);
	check_acks_requested(b, 300, 1);
	batch_dump(b, text, sizeof(text));
	golden_check(GOLDEN_DIR, "flush.batch", text);
	nftnl_batch_free(b);
}

/**
 * batch_same_bytes() - building the same batch again gives the same bytes,
 * padding included
 * @b:		a batch built from @rules
 * @rules:	the rules
 * @n:		how many
 * @seq:	its sequence number
 */
static void batch_same_bytes(struct nftnl_batch *b, const struct rule *rules,
			     size_t n, uint32_t seq)
{
	struct nftnl_batch *again = fw_nft_batch_new();
	struct iovec x[4], y[4];
	int i, len = nftnl_batch_iovec_len(b);

	assert_int_equal(fw_nft_add_batch_build(again, NULL, rules, n, seq,
						NULL),
			 0);
	assert_true(len <= 4);
	assert_int_equal(nftnl_batch_iovec_len(again), len);
	nftnl_batch_iovec(b, x, (uint32_t)len);
	nftnl_batch_iovec(again, y, (uint32_t)len);
	for (i = 0; i < len; i++) {
		assert_int_equal(x[i].iov_len, y[i].iov_len);
		assert_memory_equal(x[i].iov_base, y[i].iov_base, x[i].iov_len);
	}
	nftnl_batch_free(again);
}

/**
 * test_add_batch() - one batch for several rules, in order
 * @state:	unused
 */
static void test_add_batch(void **state)
{
	static char text[65536];
	struct nftnl_batch *b = fw_nft_batch_new();

	(void)state;
	assert_int_equal(fw_nft_add_batch_build(b, NULL, nochain_rules, 3, 200,
						NULL),
			 0);
	check_acks_requested(b, 200, 3);
	batch_dump(b, text, sizeof(text));
	golden_check(GOLDEN_DIR, "add.batch", text);
	batch_same_bytes(b, nochain_rules, 3, 200);
	nftnl_batch_free(b);
}

/**
 * test_add_batch_large() - a batch larger than one page is still one batch
 * @state:	unused
 */
static void test_add_batch_large(void **state)
{
	enum { N = 200 };
	static struct rule many[N];
	struct nftnl_batch *b = fw_nft_batch_new();
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		many[i] = rule_cases[i % NCASES].rule;
		many[i].dport = (uint16_t)(1000 + i);
	}
	assert_int_equal(fw_nft_add_batch_build(b, NULL, many, N, 7, NULL), 0);
	assert_true(nftnl_batch_iovec_len(b) > 1);
	check_acks_requested(b, 7, N);
	nftnl_batch_free(b);
}

/**
 * test_acks_recorded_ok() - a real kernel's answers to the set-up batch
 * @state:	unused
 */
static void test_acks_recorded_ok(void **state)
{
	char buf[4096];
	struct fw_nft_acks a;
	size_t n = golden_hex_load(GOLDEN_DIR, "open-ok.acks", buf,
				   sizeof(buf));

	(void)state;
	fw_nft_acks_init(&a, 100, FW_NFT_OPEN_NCMDS);
	assert_false(fw_nft_acks_done(&a));
	assert_int_equal(fw_nft_acks_parse(&a, buf, n), 0);
	assert_true(fw_nft_acks_done(&a));
	assert_int_equal(a.acked, FW_NFT_OPEN_NCMDS);
	assert_int_equal(a.nrefused, 0);
	assert_int_equal(a.batch_error, 0);
}

/**
 * test_acks_recorded_nochain() - the kernel refused rules 2 and 3 (their
 * chain was gone); the first is mapped to its rule and to the attribute
 * @state:	unused
 */
static void test_acks_recorded_nochain(void **state)
{
	struct nftnl_batch *b = fw_nft_batch_new();
	struct fw_nft_acks a;
	char buf[4096], at[128];
	size_t n = golden_hex_load(GOLDEN_DIR, "add-nochain.acks", buf,
				   sizeof(buf));

	(void)state;
	assert_int_equal(fw_nft_add_batch_build(b, NULL, nochain_rules, 3, 200,
						NULL),
			 0);
	fw_nft_acks_init(&a, 200, 3);
	assert_int_equal(fw_nft_acks_parse(&a, buf, n), 0);
	assert_true(fw_nft_acks_done(&a));
	assert_int_equal(a.acked, 3);
	assert_int_equal(a.nrefused, 2);
	assert_int_equal(a.first, 1);
	assert_int_equal(a.first_error, -ENOENT);
	assert_true(a.bad_off > 0);
	assert_int_equal(fw_nft_batch_blame(b, 200 + 1 + a.first, a.bad_off,
					    at, sizeof(at)),
			 FW_NFT_BLAME_OBJECT);
	assert_string_equal(at, "chain \"output\"");
	nftnl_batch_free(b);
}

/**
 * badexpr_batch() - one rule with a reject expression the kernel refuses
 * (ICMPX unreachable without a code), seq 300: how add-badexpr was made
 *
 * Return: the batch.
 */
static struct nftnl_batch *badexpr_batch(void)
{
	struct nftnl_batch *b = fw_nft_batch_new();
	struct nftnl_rule *nr;
	struct nlmsghdr *nlh;
	struct nftnl_expr *x;

	nftnl_batch_begin(nftnl_batch_buffer(b), 300);
	nftnl_batch_update(b);
	assert_int_equal(fw_nft_rule_build(&nochain_rules[0], NULL, &nr), 0);
	x = nftnl_expr_alloc("reject");
	nftnl_expr_set_u32(x, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMPX_UNREACH);
	nftnl_rule_add_expr(nr, x);
	nlh = nftnl_nlmsg_build_hdr(nftnl_batch_buffer(b), NFT_MSG_NEWRULE,
				    NFPROTO_INET,
				    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
				    301);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	nftnl_rule_free(nr);
	nftnl_batch_update(b);
	nftnl_batch_end(nftnl_batch_buffer(b), 302);
	nftnl_batch_update(b);
	return b;
}

/**
 * test_acks_recorded_badexpr() - an expression refused by the kernel is
 * named by its position and type
 * @state:	unused
 */
static void test_acks_recorded_badexpr(void **state)
{
	struct nftnl_batch *b = badexpr_batch();
	struct fw_nft_acks a;
	char buf[4096], at[128];
	size_t n = golden_hex_load(GOLDEN_DIR, "add-badexpr.acks", buf,
				   sizeof(buf));

	(void)state;
	fw_nft_acks_init(&a, 300, 1);
	assert_int_equal(fw_nft_acks_parse(&a, buf, n), 0);
	assert_int_equal(a.nrefused, 1);
	assert_int_equal(a.first, 0);
	assert_int_equal(a.first_error, -EINVAL);
	assert_int_equal(fw_nft_batch_blame(b, 301, a.bad_off, at, sizeof(at)),
			 FW_NFT_BLAME_EXPR);
	assert_string_equal(at, "expression 7 \"reject\"");
	/* an offset outside the message, or none, blames nothing */
	assert_int_equal(fw_nft_batch_blame(b, 301, 0, at, sizeof(at)),
			 FW_NFT_BLAME_NONE);
	assert_string_equal(at, "");
	assert_int_equal(fw_nft_batch_blame(b, 301, 100000, at, sizeof(at)),
			 FW_NFT_BLAME_NONE);
	assert_int_equal(fw_nft_batch_blame(b, 999, 40, at, sizeof(at)),
			 FW_NFT_BLAME_NONE);
	nftnl_batch_free(b);
}

/**
 * put_error() - append an NLMSG_ERROR answer for @seq to @buf
 * @buf:	destination, with room
 * @used:	bytes already in @buf; advanced
 * @seq:	sequence number answered
 * @error:	0 for an ACK, else -errno
 */
static void put_error(char *buf, size_t *used, uint32_t seq, int error)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *used);
	struct nlmsgerr *ne;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = seq;
	ne = mnl_nlmsg_put_extra_header(nlh, sizeof(*ne));
	ne->error = error;
	ne->msg.nlmsg_seq = seq;
	*used += nlh->nlmsg_len;
}

/**
 * test_acks_synthetic() - answers split over several reads, foreign and
 * marker answers, a refusal of the whole batch, and malformed input
 * @state:	unused
 */
static void test_acks_synthetic(void **state)
{
	char buf[1024] __attribute__((aligned(4)));
	struct fw_nft_acks a;
	size_t used = 0;

	(void)state;
	/* three commands at 11..13, answered over two reads, plus noise */
	fw_nft_acks_init(&a, 10, 3);
	put_error(buf, &used, 11, 0);
	put_error(buf, &used, 99, -EINVAL); /* someone else's */
	put_error(buf, &used, 14, 0);       /* an ACK of the end marker */
	assert_int_equal(fw_nft_acks_parse(&a, buf, used), 0);
	assert_false(fw_nft_acks_done(&a));
	used = 0;
	put_error(buf, &used, 13, -EOPNOTSUPP);
	put_error(buf, &used, 12, -EINVAL);
	assert_int_equal(fw_nft_acks_parse(&a, buf, used), 0);
	assert_true(fw_nft_acks_done(&a));
	assert_int_equal(a.nrefused, 2);
	assert_int_equal(a.first, 1); /* the lowest index wins */
	assert_int_equal(a.first_error, -EINVAL);
	assert_int_equal(a.batch_error, 0);

	/* no privilege: one error aimed at the begin marker */
	fw_nft_acks_init(&a, 0xfffffffe, 3); /* sequence numbers wrap */
	used = 0;
	put_error(buf, &used, 0xfffffffe, -EPERM);
	assert_int_equal(fw_nft_acks_parse(&a, buf, used), 0);
	assert_true(fw_nft_acks_done(&a));
	assert_int_equal(a.batch_error, -EPERM);
	assert_int_equal(a.nrefused, 0);

	/* a command number past the wrap */
	fw_nft_acks_init(&a, 0xfffffffe, 3);
	used = 0;
	put_error(buf, &used, 1, -ENOENT); /* command index 2 */
	assert_int_equal(fw_nft_acks_parse(&a, buf, used), 0);
	assert_int_equal(a.first, 2);

	/* truncated */
	fw_nft_acks_init(&a, 10, 3);
	used = 0;
	put_error(buf, &used, 11, 0);
	assert_int_equal(fw_nft_acks_parse(&a, buf, used - 4), -EBADMSG);
}

/**
 * test_registry() - the backends tcplab knows
 * @state:	unused
 */
static void test_registry(void **state)
{
	(void)state;
	assert_ptr_equal(fw_backend_find("nftables"), &fw_nft_backend);
	assert_null(fw_backend_find("nope"));
	assert_null(fw_backend_find(NULL));
	assert_string_equal(fw_backend_names(), "nftables, iptables");
	assert_string_equal(fw_nft_backend.name, "nftables");
	fw_close(NULL);
}

/**
 * main() - run the nftables backend tests
 *
 * Return: the number of failed tests.
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_payload_golden),
		cmocka_unit_test(test_rule_expressions),
		cmocka_unit_test(test_rule_invalid),
		cmocka_unit_test(test_open_batch),
		cmocka_unit_test(test_flush_batch),
		cmocka_unit_test(test_chains_batch),
		cmocka_unit_test(test_add_batch),
		cmocka_unit_test(test_add_batch_large),
		cmocka_unit_test(test_acks_recorded_ok),
		cmocka_unit_test(test_acks_recorded_nochain),
		cmocka_unit_test(test_acks_recorded_badexpr),
		cmocka_unit_test(test_acks_synthetic),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
