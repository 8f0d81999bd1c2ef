// SPDX-License-Identifier: GPL-2.0-or-later
/* test_nfq.c - the packet-queue messages: bind with meta copy, verdicts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "nfq.h"

static char buf[512] __attribute__((aligned(4)));

static const struct nlattr *find(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void test_bind(void **state)
{
	size_t n = nfq_config_build(buf, sizeof(buf), 7, NFQNL_CFG_CMD_BIND, 3);
	const struct nlmsghdr *nlh = (void *)buf;
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	const struct nfqnl_msg_config_cmd *c;
	const struct nfqnl_msg_config_params *p;

	(void)state;
	assert_int_equal(n, nlh->nlmsg_len);
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_CONFIG);
	assert_true(nlh->nlmsg_flags & NLM_F_ACK);
	assert_int_equal(ntohs(g->res_id), 7);
	c = mnl_attr_get_payload(find(nlh, NFQA_CFG_CMD));
	assert_int_equal(c->command, NFQNL_CFG_CMD_BIND);
	p = mnl_attr_get_payload(find(nlh, NFQA_CFG_PARAMS));
	assert_int_equal(p->copy_mode, NFQNL_COPY_META);

	nfq_config_build(buf, sizeof(buf), 7, NFQNL_CFG_CMD_UNBIND, 4);
	assert_null(find(nlh, NFQA_CFG_PARAMS));
	assert_int_equal(nfq_config_build(buf, 16, 7, NFQNL_CFG_CMD_BIND, 1), 0);
}

static void test_verdict(void **state)
{
	const struct nlmsghdr *nlh = (void *)buf;
	const struct nfqnl_msg_verdict_hdr *v;

	(void)state;
	nfq_verdict_build(buf, sizeof(buf), 9, 0x01020304, NF_ACCEPT, 5);
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_VERDICT);
	assert_int_equal(ntohs(((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->res_id), 9);
	v = mnl_attr_get_payload(find(nlh, NFQA_VERDICT_HDR));
	assert_int_equal(ntohl(v->id), 0x01020304);
	assert_int_equal(ntohl(v->verdict), NF_ACCEPT);
}

/* Binding for impairments copies whole packets; a packet message parses */
static void test_copy_and_packet(void **state)
{
	const struct nlmsghdr *nlh = (void *)buf;
	const struct nfqnl_msg_config_params *p;
	struct nfqnl_msg_packet_hdr ph = { .packet_id = htonl(42) };
	static const uint8_t ip[] = { 0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8,
				      9, 10, 11, 12, 13, 14, 15, 16 };
	struct nlmsghdr *m;
	struct nfgenmsg *g;
	const void *pkt;
	uint64_t stamp;
	size_t len;
	uint32_t id;

	(void)state;
	nfq_config_build_copy(buf, sizeof(buf), 3, NFQNL_CFG_CMD_BIND, 1);
	p = mnl_attr_get_payload(find(nlh, NFQA_CFG_PARAMS));
	assert_int_equal(p->copy_mode, NFQNL_COPY_PACKET);
	assert_int_equal(ntohl(p->copy_range), 0xffff);

	m = mnl_nlmsg_put_header(buf);
	m->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET;
	g = mnl_nlmsg_put_extra_header(m, sizeof(*g));
	g->res_id = htons(3);
	mnl_attr_put(m, NFQA_PACKET_HDR, sizeof(ph), &ph);
	mnl_attr_put(m, NFQA_PAYLOAD, sizeof(ip), ip);
	assert_int_equal(nfq_packet_parse(m, &id, &pkt, &len, &stamp), 0);
	assert_int_equal(stamp, 0);
	{
		struct nfqnl_msg_packet_timestamp ts = { htobe64(1700000000),
							 htobe64(250) };

		mnl_attr_put(m, NFQA_TIMESTAMP, sizeof(ts), &ts);
	}
	assert_int_equal(nfq_packet_parse(m, &id, &pkt, &len, &stamp), 0);
	assert_int_equal(stamp, 1700000000ULL * 1000000000ULL + 250000ULL);
	assert_int_equal(id, 42);
	assert_int_equal(len, sizeof(ip));
	assert_memory_equal(pkt, ip, sizeof(ip));
	/* a verdict message is no packet */
	nfq_verdict_build(buf, sizeof(buf), 3, 1, NF_ACCEPT, 2);
	assert_int_equal(nfq_packet_parse((void *)buf, &id, &pkt, &len, &stamp),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_copy_and_packet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
