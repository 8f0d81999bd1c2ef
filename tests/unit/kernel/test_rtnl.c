// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_rtnl.c - the rtnetlink builders produce the requests the kernel
 * expects (checked by walking them back with libmnl), and the link parser
 * reads readiness (operstate, qdisc) from a recorded RTM_NEWLINK.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <linux/neighbour.h>
#include <errno.h>
#include <string.h>

#include "rtnl.h"

static char buf[8192] __attribute__((aligned(4)));

static const struct nlattr *find(const struct nlmsghdr *nlh, size_t off,
				 int type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const struct nlattr *find_nested(const struct nlattr *nest, int type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 1 }, mac2[6] = { 2, 0, 0, 0, 0, 2 };

static void test_veth(void **state)
{
	struct nlmsghdr *nlh = rtnl_veth_build(buf, 7, "eth0", 11, "peer0", 12, 2, 3, mac1, mac2);
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *li, *data, *peer, *a;
	const struct ifinfomsg *pifm;
	int seen_name = 0, seen_ns = 0, seen_txq = 0, seen_rxq = 0;

	(void)state;
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(nlh->nlmsg_seq, 7);
	assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
	assert_true(nlh->nlmsg_flags & NLM_F_EXCL);
	assert_true(nlh->nlmsg_flags & NLM_F_ACK);
	assert_int_equal(ifm->ifi_index, 2);
	assert_string_equal(mnl_attr_get_str(find(nlh, sizeof(*ifm), IFLA_IFNAME)),
			    "eth0");
	assert_int_equal(mnl_attr_get_u32(find(nlh, sizeof(*ifm), IFLA_NET_NS_FD)),
			 11);
	assert_memory_equal(mnl_attr_get_payload(find(nlh, sizeof(*ifm), IFLA_ADDRESS)),
			    mac1, 6);
	/* one queue each way, said at once: no cut after registration */
	assert_int_equal(mnl_attr_get_u32(find(nlh, sizeof(*ifm), IFLA_NUM_TX_QUEUES)), 1);
	assert_int_equal(mnl_attr_get_u32(find(nlh, sizeof(*ifm), IFLA_NUM_RX_QUEUES)), 1);
	li = find(nlh, sizeof(*ifm), IFLA_LINKINFO);
	assert_non_null(li);
	assert_string_equal(mnl_attr_get_str(find_nested(li, IFLA_INFO_KIND)),
			    "veth");
	data = find_nested(li, IFLA_INFO_DATA);
	assert_non_null(data);
	peer = find_nested(data, VETH_INFO_PEER);
	assert_non_null(peer);
	/* the peer's payload: an ifinfomsg, then its own attributes */
	pifm = mnl_attr_get_payload(peer);
	assert_int_equal(pifm->ifi_index, 3);
	for (a = (const struct nlattr *)((const char *)pifm + MNL_ALIGN(sizeof(*pifm)));
	     mnl_attr_ok(a, (int)((const char *)mnl_attr_get_payload(peer) +
				  mnl_attr_get_payload_len(peer) - (const char *)a));
	     a = mnl_attr_next(a)) {
		if (mnl_attr_get_type(a) == IFLA_IFNAME) {
			assert_string_equal(mnl_attr_get_str(a), "peer0");
			seen_name = 1;
		}
		if (mnl_attr_get_type(a) == IFLA_ADDRESS)
			assert_memory_equal(mnl_attr_get_payload(a), mac2, 6);
		if (mnl_attr_get_type(a) == IFLA_NET_NS_FD) {
			assert_int_equal(mnl_attr_get_u32(a), 12);
			seen_ns = 1;
		}
		if (mnl_attr_get_type(a) == IFLA_NUM_TX_QUEUES) {
			assert_int_equal(mnl_attr_get_u32(a), 1);
			seen_txq = 1;
		}
		if (mnl_attr_get_type(a) == IFLA_NUM_RX_QUEUES) {
			assert_int_equal(mnl_attr_get_u32(a), 1);
			seen_rxq = 1;
		}
	}
	assert_true(seen_name);
	assert_true(seen_ns);
	assert_true(seen_txq);
	assert_true(seen_rxq);
}

static void test_addr(void **state)
{
	struct in_addr v4;
	struct in6_addr v6;
	struct nlmsghdr *nlh;
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;

	(void)state;
	inet_pton(AF_INET, "198.18.0.1", &v4);
	nlh = rtnl_addr_build(buf, 1, 2, AF_INET, &v4, 24);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWADDR);
	assert_int_equal(ifa->ifa_family, AF_INET);
	assert_int_equal(ifa->ifa_prefixlen, 24);
	assert_int_equal(ifa->ifa_index, 2);
	a = find(nlh, sizeof(*ifa), IFA_LOCAL);
	assert_int_equal(mnl_attr_get_payload_len(a), 4);
	assert_memory_equal(mnl_attr_get_payload(a), &v4, 4);
	assert_null(find(nlh, sizeof(*ifa), IFA_FLAGS));

	inet_pton(AF_INET6, "fd00:198:18::2", &v6);
	nlh = rtnl_addr_build(buf, 2, 2, AF_INET6, &v6, 64);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_INET6);
	assert_int_equal(ifa->ifa_prefixlen, 64);
	/* usable at once: no duplicate address detection */
	assert_true(ifa->ifa_flags & IFA_F_NODAD);
	assert_int_equal(mnl_attr_get_u32(find(nlh, sizeof(*ifa), IFA_FLAGS)),
			 IFA_F_NODAD);
	assert_memory_equal(mnl_attr_get_payload(find(nlh, sizeof(*ifa), IFA_ADDRESS)),
			    &v6, 16);
}

static void test_neigh(void **state)
{
	struct in_addr v4;
	struct nlmsghdr *nlh;
	const struct ndmsg *nd;

	(void)state;
	inet_pton(AF_INET, "198.18.0.2", &v4);
	nlh = rtnl_neigh_build(buf, 4, 2, AF_INET, &v4, mac2);
	nd = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_NEWNEIGH);
	assert_int_equal(nd->ndm_family, AF_INET);
	assert_int_equal(nd->ndm_ifindex, 2);
	assert_int_equal(nd->ndm_state, NUD_PERMANENT);
	assert_memory_equal(mnl_attr_get_payload(find(nlh, sizeof(*nd), NDA_DST)), &v4, 4);
	assert_memory_equal(mnl_attr_get_payload(find(nlh, sizeof(*nd), NDA_LLADDR)), mac2, 6);
}

static void test_link_up(void **state)
{
	struct nlmsghdr *nlh = rtnl_link_up_build(buf, 3, 5);
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	(void)state;
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_false(nlh->nlmsg_flags & NLM_F_CREATE);
	assert_int_equal(ifm->ifi_index, 5);
	assert_int_equal(ifm->ifi_flags, IFF_UP);
	assert_int_equal(ifm->ifi_change, IFF_UP);
}

/* A link message as the kernel sends it, built here attribute by attribute. */
static struct nlmsghdr *fake_link(const char *qdisc, int oper)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm->ifi_index = 2;
	ifm->ifi_flags = IFF_UP | IFF_LOWER_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	if (qdisc)
		mnl_attr_put_strz(nlh, IFLA_QDISC, qdisc);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, (uint8_t)oper);
	return nlh;
}

static void test_link_parse(void **state)
{
	struct rtnl_link l;

	(void)state;
	assert_int_equal(rtnl_link_parse(fake_link("noqueue", IF_OPER_UP), &l), 0);
	assert_int_equal(l.ifindex, 2);
	assert_string_equal(l.name, "eth0");
	assert_string_equal(l.qdisc, "noqueue");
	assert_int_equal(l.operstate, IF_OPER_UP);
	assert_true(l.flags & IFF_UP);

	assert_int_equal(rtnl_link_parse(fake_link(NULL, IF_OPER_DOWN), &l), 0);
	assert_string_equal(l.qdisc, "");
	assert_int_equal(l.operstate, IF_OPER_DOWN);

	/* not a link message */
	fake_link("noop", IF_OPER_UP)->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(rtnl_link_parse((struct nlmsghdr *)buf, &l), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_veth),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_neigh),
		cmocka_unit_test(test_link_up),
		cmocka_unit_test(test_link_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
