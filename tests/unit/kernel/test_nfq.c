// SPDX-License-Identifier: GPL-2.0-or-later
/* test_nfq.c - the packet-queue messages: bind with meta copy, verdicts,
 * the two requests that make a queue let packets by; and, live, that a
 * released queue holds nothing more before it is unbound */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "live.h"
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

/* The two requests nfq_release() sends first: fail open, then no room */
static void test_let_by(void **state)
{
	const struct nlmsghdr *nlh = (void *)buf;
	const struct nlattr *a;

	(void)state;
	assert_true(nfq_let_by_build(buf, sizeof(buf), 5, 0, 1) > 0);
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_CONFIG);
	assert_false(nlh->nlmsg_flags & NLM_F_ACK);
	assert_int_equal(ntohs(((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->res_id), 5);
	a = find(nlh, NFQA_CFG_FLAGS);
	assert_non_null(a);
	assert_int_equal(ntohl(mnl_attr_get_u32(a)), NFQA_CFG_F_FAIL_OPEN);
	assert_int_equal(ntohl(mnl_attr_get_u32(find(nlh, NFQA_CFG_MASK))),
			 NFQA_CFG_F_FAIL_OPEN);
	assert_null(find(nlh, NFQA_CFG_QUEUE_MAXLEN));

	assert_true(nfq_let_by_build(buf, sizeof(buf), 5, 1, 2) > 0);
	a = find(nlh, NFQA_CFG_QUEUE_MAXLEN);
	assert_non_null(a);
	assert_int_equal(ntohl(mnl_attr_get_u32(a)), 0);
	assert_null(find(nlh, NFQA_CFG_FLAGS));
	assert_int_equal(nfq_let_by_build(buf, 16, 5, 0, 1), 0);
}

/* 1 when @fd has a datagram within @ms, which must be @c */
static int got(int fd, int ms, char c)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char r;

	if (poll(&p, 1, ms) != 1)
		return 0;
	assert_int_equal(recv(fd, &r, 1, 0), 1);
	assert_int_equal(r, c);
	return 1;
}

/*
 * Live, in a namespace of the test's own: a queue rule (iptables, the
 * NFQUEUE target the lab's rules use) sends UDP to port 9 to queue 5 with
 * bypass.  A datagram sent while the queue is bound
 * is held, and nfq_release() lets it go; one sent after nfq_release(),
 * with the queue still bound, gets by at once - not held for the unbinding
 * to drop, as a FIN's ACK on its way during a release was.
 */
static void test_release_holds_nothing_more(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct err e = { 0 };
	struct nfq *q;
	int rx, tx;

	(void)state;
	live_netns();
	if (system("command -v iptables >/dev/null 2>&1")) {
		print_message("live test skipped: no iptables to make the queue rule\n");
		skip();
	}
	assert_int_equal(system("iptables -A OUTPUT -p udp --dport 9 "
				"-j NFQUEUE --queue-num 5 --queue-bypass"), 0);
	assert_int_equal(nfq_open(&q, -1, 5, &e), 0);
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(rx >= 0 && tx >= 0);
	assert_int_equal(bind(rx, (struct sockaddr *)&sa, sizeof(sa)), 0);

	assert_int_equal(sendto(tx, "a", 1, 0, (struct sockaddr *)&sa, sizeof(sa)), 1);
	assert_false(got(rx, 50, 'a')); /* held */
	assert_int_equal(nfq_release(q, &e), 1);
	assert_true(got(rx, 1000, 'a'));

	assert_int_equal(sendto(tx, "b", 1, 0, (struct sockaddr *)&sa, sizeof(sa)), 1);
	assert_true(got(rx, 1000, 'b')); /* by at once, the queue still bound */
	assert_int_equal(nfq_release(q, &e), 0);
	nfq_close(q);
	close(rx);
	close(tx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_copy_and_packet),
		cmocka_unit_test(test_let_by),
		cmocka_unit_test(test_release_holds_nothing_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
