// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_nflog.c - the drop listener's decoder, on recorded NFLOG messages
 *
 * tests/data/nflog/NAME.hex hold what recv() returned on a listener set up
 * by nflog_open(), in a throwaway namespace, while rules of both kinds
 * (nft "log prefix ... group N", iptables/ip6tables "-j NFLOG") logged and
 * dropped packets; README.md there says how they were made.  Each is
 * decoded by nflog_parse() and its events rendered against NAME.txt;
 * spot checks pin what matters without the golden text: the rule id from
 * the prefix, the hook, the family, ports, flags, payload length.
 * Regenerate golden text with TCPLAB_UPDATE_GOLDEN=1 and review the diff.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "diag.h"
#include "golden.h"
#include "nflog.h"
#include "rule.h"

#define DATA_DIR TESTS_DATA_DIR "/nflog"
#define MAX_EVENTS 16

/* What the callback collected */
struct seen {
	struct tl_event ev[MAX_EVENTS];
	size_t n;
};

/**
 * collect() - nflog_cb that keeps every event
 * @ev:		the event
 * @data:	struct seen
 *
 * Return: 0.
 */
static int collect(const struct tl_event *ev, void *data)
{
	struct seen *s = data;

	if (s->n < MAX_EVENTS)
		s->ev[s->n++] = *ev;
	return 0;
}

/**
 * stop_at_first() - nflog_cb that asks to stop
 * @ev:		unused
 * @data:	unused
 *
 * Return: -ECANCELED.
 */
static int stop_at_first(const struct tl_event *ev, void *data)
{
	(void)ev;
	(void)data;
	return -ECANCELED;
}

/**
 * render() - events as text, one line each
 * @s:		the events
 * @buf:	destination
 * @len:	its size
 */
static void render(const struct seen *s, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n && used < len; i++) {
		const struct tl_event *ev = &s->ev[i];
		char src[64], dst[64], flags[48];

		diag_addr_format(&ev->pkt.src, src, sizeof(src));
		diag_addr_format(&ev->pkt.dst, dst, sizeof(dst));
		rule_flags_format(ev->pkt.flags, flags, sizeof(flags));
		used += (size_t)snprintf(buf + used, len - used,
					 "rule %u %s %s > %s %s seq %u ack %u "
					 "win %u len %u [%s]\n",
					 ev->rule_id,
					 ev->hook < 0 ? "?" :
						 rule_hook_name(ev->hook),
					 src, dst, flags, ev->pkt.seq,
					 ev->pkt.ack, ev->pkt.win, ev->pkt.len,
					 ev->pkt.opts);
	}
}

/**
 * decode() - decode a recorded file; check the common fields
 * @name:	base name, without .hex
 * @s:		filled with the events
 */
static void decode(const char *name, struct seen *s)
{
	static char buf[65536] __attribute__((aligned(8)));
	char file[128], text[8192];
	size_t n, i;
	int ret;

	snprintf(file, sizeof(file), "%s.hex", name);
	n = golden_hex_load(DATA_DIR, file, buf, sizeof(buf));
	assert_true(n > 0);
	memset(s, 0, sizeof(*s));
	ret = nflog_parse(buf, n, 42, collect, s);
	assert_int_equal(ret, (int)s->n);
	for (i = 0; i < s->n; i++) {
		assert_int_equal(s->ev[i].kind, TL_DROP);
		assert_int_equal(s->ev[i].t_ns, 42);
		assert_int_equal(s->ev[i].node, -1);
		assert_int_equal(s->ev[i].peer, -1);
		assert_int_equal(s->ev[i].pkt.src.family, s->ev[i].pkt.family);
	}
	render(s, text, sizeof(text));
	snprintf(file, sizeof(file), "%s.txt", name);
	golden_check(DATA_DIR, file, text);
}

/**
 * check_syn() - the one event of a dropped SYN
 * @s:		the events
 * @id:		rule id expected
 * @hook:	RULE_INPUT or RULE_OUTPUT
 * @family:	AF_INET or AF_INET6
 * @dport:	destination port
 */
static void check_syn(const struct seen *s, unsigned id, int hook,
		      int family, uint16_t dport)
{
	const struct tl_event *ev = &s->ev[0];

	assert_int_equal(s->n, 1);
	assert_int_equal(ev->rule_id, id);
	assert_int_equal(ev->hook, hook);
	assert_int_equal(ev->pkt.family, family);
	assert_int_equal(ev->pkt.dst.port, dport);
	assert_int_equal(ev->pkt.flags, RULE_TCP_SYN);
	assert_int_equal(ev->pkt.ack, 0);
	assert_int_equal(ev->pkt.len, 0);
	assert_non_null(strstr(ev->pkt.opts, "mss "));
	assert_non_null(strstr(ev->pkt.opts, "sackOK"));
}

/**
 * test_nft() - packets logged by nft "log prefix ... group 1" rules
 * @state:	unused
 */
static void test_nft(void **state)
{
	struct seen s;

	(void)state;
	decode("nft-input-v4", &s);
	check_syn(&s, 1, RULE_INPUT, AF_INET, 7001);
	assert_int_equal(s.ev[0].pkt.src.v4.s_addr, htonl(INADDR_LOOPBACK));
	decode("nft-input-v6", &s);
	check_syn(&s, 1, RULE_INPUT, AF_INET6, 7001);
	assert_true(IN6_IS_ADDR_LOOPBACK(&s.ev[0].pkt.dst.v6));
	decode("nft-output-v4", &s);
	check_syn(&s, 2, RULE_OUTPUT, AF_INET, 7002);
}

/**
 * test_ipt() - packets logged by iptables and ip6tables NFLOG rules
 * @state:	unused
 */
static void test_ipt(void **state)
{
	struct seen s;

	(void)state;
	decode("ipt-input-v4", &s);
	check_syn(&s, 3, RULE_INPUT, AF_INET, 7003);
	decode("ipt-input-v6", &s);
	check_syn(&s, 3, RULE_INPUT, AF_INET6, 7003);
	decode("ipt-output-v6", &s);
	check_syn(&s, 4, RULE_OUTPUT, AF_INET6, 7004);
}

/**
 * test_data() - a data segment: payload length from the IP header, PSH
 * @state:	unused
 */
static void test_data(void **state)
{
	struct seen s;

	(void)state;
	decode("ipt-data-v4", &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].rule_id, 5);
	assert_int_equal(s.ev[0].hook, RULE_OUTPUT);
	assert_int_equal(s.ev[0].pkt.len, 5);
	assert_int_equal(s.ev[0].pkt.flags, RULE_TCP_PSH | RULE_TCP_ACK);
	assert_true(s.ev[0].pkt.ack != 0);
	assert_non_null(strstr(s.ev[0].pkt.opts, "TS val"));
}

/**
 * test_foreign_prefix() - a packet logged under someone else's prefix is
 * not attributed to any rule
 * @state:	unused
 */
static void test_foreign_prefix(void **state)
{
	struct seen s;
	size_t i;

	(void)state;
	decode("nft-foreign-prefix", &s);
	/* only the two late messages of the data case (README.md) */
	assert_int_equal(s.n, 2);
	for (i = 0; i < s.n; i++) {
		assert_int_equal(s.ev[i].rule_id, 5);
		assert_int_not_equal(s.ev[i].pkt.dst.port, 7006);
	}
	assert_true(s.ev[1].pkt.flags & RULE_TCP_FIN);
}

/**
 * test_malformed() - truncation, a callback that stops, an empty buffer
 * @state:	unused
 */
static void test_malformed(void **state)
{
	static char buf[4096] __attribute__((aligned(8)));
	struct seen s = { .n = 0 };
	size_t n = golden_hex_load(DATA_DIR, "nft-input-v4.hex", buf,
				   sizeof(buf));
	struct nlmsghdr *nlh = (void *)buf;

	(void)state;
	assert_int_equal(nflog_parse(buf, 0, 1, collect, &s), 0);
	assert_int_equal(nflog_parse(buf, n - 3, 1, collect, &s), -EBADMSG);
	assert_int_equal(nflog_parse(buf, n, 1, stop_at_first, NULL),
			 -ECANCELED);
	assert_int_equal(nflog_parse(buf, n, 1, NULL, NULL), 1);
	/* a message of another subsystem is skipped */
	nlh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | NFULNL_MSG_PACKET;
	assert_int_equal(nflog_parse(buf, n, 1, collect, &s), 0);
}

/**
 * test_attr_past_message() - an attribute that ends past nlmsg_len
 * @state:	unused
 *
 * The message's length is 1 to 3 bytes short of its last attribute (libmnl
 * walks attributes up to the length rounded up to 4).  Found by the NFLOG
 * fuzz target as a 1-byte heap overflow read in the TCP options: the bytes
 * past the message must never be decoded.
 */
static void test_attr_past_message(void **state)
{
	static char buf[512] __attribute__((aligned(8)));
	static const uint8_t pkt[44] = {
		0x45, 0, 0, 44, 0, 0, 0, 0, 64, 6, 0, 0,
		198, 18, 0, 1, 198, 18, 0, 2,	   /* IPv4, TCP */
		0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0,
		0x60, 0x02, 0xff, 0xff, 0, 0, 0, 0, /* doff 6, SYN */
		1, 3, 3, 7,			   /* nop, wscale: its */
	};					   /* value is the last byte */
	struct seen s = { .n = 0 };
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	uint32_t cut;

	(void)state;
	for (cut = 1; cut <= 3; cut++) {
		memset(buf, 0, sizeof(buf));
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET;
		nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
		nfg->nfgen_family = AF_INET;
		mnl_attr_put_strz(nlh, NFULA_PREFIX, "tcplab:3");
		mnl_attr_put(nlh, NFULA_PAYLOAD, sizeof(pkt), pkt);
		assert_int_equal(nlh->nlmsg_len % 4, 0);
		/* whole, it decodes */
		s.n = 0;
		assert_int_equal(nflog_parse(buf, nlh->nlmsg_len, 1, collect, &s), 1);
		assert_string_equal(s.ev[0].pkt.opts, "nop,wscale 7");
		/* cut, nothing past the message is read */
		nlh->nlmsg_len -= cut;
		s.n = 0;
		assert_int_equal(nflog_parse(buf, nlh->nlmsg_len, 1, collect, &s),
				 -EBADMSG);
		assert_int_equal(s.n, 0);
	}
}

/* Attributes of a config message, by type */
struct cfg_attrs {
	const struct nlattr *a[NFULA_CFG_MAX + 1];
};

/**
 * cfg_attr_cb() - libmnl callback keeping each attribute
 * @attr:	the attribute
 * @data:	struct cfg_attrs
 *
 * Return: MNL_CB_OK.
 */
static int cfg_attr_cb(const struct nlattr *attr, void *data)
{
	struct cfg_attrs *c = data;

	if (mnl_attr_get_type(attr) <= NFULA_CFG_MAX)
		c->a[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

/**
 * test_config_build() - bind, copy mode and range, threshold, timeout
 * @state:	unused
 */
static void test_config_build(void **state)
{
	char buf[256] __attribute__((aligned(4)));
	const struct nfulnl_msg_config_mode *mode;
	const struct nfulnl_msg_config_cmd *cmd;
	struct cfg_attrs c = { { NULL } };
	const struct nlmsghdr *nlh = (void *)buf;
	const struct nfgenmsg *nfg;
	int len;

	(void)state;
	len = nflog_config_build(buf, sizeof(buf), 513, 77);
	assert_true(len > 0);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(nlh->nlmsg_type,
			 (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG);
	assert_int_equal(nlh->nlmsg_seq, 77);
	assert_true(nlh->nlmsg_flags & NLM_F_ACK);
	nfg = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ntohs(nfg->res_id), 513);
	assert_int_equal(mnl_attr_parse(nlh, sizeof(*nfg), cfg_attr_cb, &c),
			 MNL_CB_OK);
	assert_non_null(c.a[NFULA_CFG_CMD]);
	cmd = mnl_attr_get_payload(c.a[NFULA_CFG_CMD]);
	assert_int_equal(cmd->command, NFULNL_CFG_CMD_BIND);
	mode = mnl_attr_get_payload(c.a[NFULA_CFG_MODE]);
	assert_int_equal(mode->copy_mode, NFULNL_COPY_PACKET);
	assert_int_equal(ntohl(mode->copy_range), NFLOG_COPY_RANGE);
	assert_int_equal(ntohl(mnl_attr_get_u32(c.a[NFULA_CFG_QTHRESH])), 1);
	assert_int_equal(ntohl(mnl_attr_get_u32(c.a[NFULA_CFG_TIMEOUT])), 0);
	assert_int_equal(nflog_config_build(buf, 16, 1, 1), -ENOSPC);
}

/**
 * main() - run the drop listener tests
 *
 * Return: the number of failed tests.
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft),
		cmocka_unit_test(test_ipt),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_foreign_prefix),
		cmocka_unit_test(test_attr_past_message),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_config_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
