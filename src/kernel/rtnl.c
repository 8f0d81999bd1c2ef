// SPDX-License-Identifier: GPL-2.0-or-later
/* rtnl.c - rtnetlink builders and parsers; requests go through netlink.c */
#include "rtnl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <string.h>
#include <sys/socket.h>

#include "netlink.h"

static struct nlmsghdr *rtnl_hdr(void *buf, uint16_t type, uint16_t flags,
				 uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

/*
 * One transmit and one receive queue, said when the link is made.  A veth
 * made without them gets a queue per possible CPU and is then cut down to
 * one after it is registered; cutting queues waits for an RCU grace period
 * (netif_set_real_num_tx_queues() calls synchronize_net()), once for each
 * end, on the caller's time: under load that is milliseconds.
 */
static void rtnl_one_queue(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
}

struct nlmsghdr *rtnl_veth_build(void *buf, uint32_t seq, const char *name,
				 int nsfd, const char *peer, int peer_nsfd,
				 int ifindex, int peer_ifindex,
				 const uint8_t *mac, const uint8_t *peer_mac)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
					seq);
	struct nlattr *linkinfo, *data, *peerinfo;
	struct ifinfomsg *ifm, *pifm;

	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nsfd);
	rtnl_one_queue(nlh);
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);

	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peerinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* the peer's attributes follow its own ifinfomsg */
	pifm = mnl_nlmsg_get_payload_tail(nlh);
	memset(pifm, 0, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	pifm->ifi_index = peer_ifindex;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pifm));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_nsfd);
	rtnl_one_queue(nlh);
	if (peer_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
	mnl_attr_nest_end(nlh, peerinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nlh;
}

struct nlmsghdr *rtnl_link_up_build(void *buf, uint32_t seq, int ifindex)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_NEWLINK, NLM_F_ACK, seq);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return nlh;
}

struct nlmsghdr *rtnl_getlink_build(void *buf, uint32_t seq, const char *name)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_GETLINK, 0, seq);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh;
}

struct nlmsghdr *rtnl_addr_build(void *buf, uint32_t seq, int ifindex,
				 int family, const void *addr, int prefixlen)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_NEWADDR,
					NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
					seq);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	size_t alen = family == AF_INET ? 4 : 16;

	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (family == AF_INET6) {
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	return nlh;
}

struct nlmsghdr *rtnl_neigh_build(void *buf, uint32_t seq, int ifindex,
				  int family, const void *addr,
				  const uint8_t *mac)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_NEWNEIGH,
					NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK,
					seq);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));

	nd->ndm_family = (uint8_t)family;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, family == AF_INET ? 4 : 16, addr);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return nlh;
}

struct nlmsghdr *rtnl_route_build(void *buf, uint32_t seq, int family,
				  const void *dst, int plen, const void *via,
				  int ifindex)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_NEWROUTE,
					NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
					seq);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	size_t alen = family == AF_INET ? 4 : 16;

	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, alen, dst);
	mnl_attr_put(nlh, RTA_GATEWAY, alen, via);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return nlh;
}

struct nlmsghdr *rtnl_getroute_build(void *buf, uint32_t seq, int family,
				     const void *addr)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_GETROUTE, 0, seq);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	size_t alen = family == AF_INET ? 4 : 16;

	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	mnl_attr_put(nlh, RTA_DST, alen, addr);
	return nlh;
}

int rtnl_route_type(const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return -EBADMSG;
	rtm = mnl_nlmsg_get_payload(nlh);
	return rtm->rtm_type;
}

struct nlmsghdr *rtnl_getaddr_build(void *buf, uint32_t seq, int family)
{
	struct nlmsghdr *nlh = rtnl_hdr(buf, RTM_GETADDR, NLM_F_DUMP, seq);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = (uint8_t)family;
	return nlh;
}

int rtnl_addr_flags(const struct nlmsghdr *nlh, int family, const void *addr,
		    uint32_t *flags)
{
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;
	size_t alen = family == AF_INET ? 4 : 16;
	int match = 0;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return -EBADMSG;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != family)
		return -ENOENT;
	*flags = ifa->ifa_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		switch (mnl_attr_get_type(a)) {
		case IFA_ADDRESS:
		case IFA_LOCAL:
			if (mnl_attr_get_payload_len(a) == alen &&
			    !memcmp(mnl_attr_get_payload(a), addr, alen))
				match = 1;
			break;
		case IFA_FLAGS:
			if (mnl_attr_get_payload_len(a) == 4)
				*flags = mnl_attr_get_u32(a);
			break;
		}
	}
	return match ? 0 : -ENOENT;
}

/**
 * rtnl_exchange() - one request and its answers
 * @fd:		NETLINK_ROUTE socket
 * @nlh:	the request; numbered here, whatever its builder was given
 * @cb:		each reply or dump entry (NULL: none wanted)
 * @data:	passed to @cb
 * @e:		what failed: the kernel's refusal with its extended ACK, or
 *		"rtnetlink: <what went wrong talking>"
 *
 * Return: 0 once the ACK (or the end of the dump) came, or -errno
 */
static int rtnl_exchange(int fd, struct nlmsghdr *nlh, netlink_msg_cb cb,
			 void *data, struct err *e)
{
	struct netlink_conv c = { .nseq = 1, .answers = 1, .data = cb,
				  .arg = data };
	int r;

	nlh->nlmsg_seq = c.seq = netlink_seq_next(1);
	r = netlink_talk(fd, nlh, nlh->nlmsg_len, &c, e);

	if (r)
		err_set(e, r, "rtnetlink: %s", strerror(-r));
	return r;
}

int rtnl_dump(int fd, struct nlmsghdr *nlh, netlink_msg_cb cb, void *data,
	      struct err *e)
{
	return rtnl_exchange(fd, nlh, cb, data, e);
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct rtnl_link *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_QDISC:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		snprintf(l->qdisc, sizeof(l->qdisc), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			return MNL_CB_ERROR;
		l->operstate = mnl_attr_get_u8(a);
		break;
	}
	return MNL_CB_OK;
}

int rtnl_link_parse(const struct nlmsghdr *nlh, struct rtnl_link *out)
{
	const struct ifinfomsg *ifm;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifm)))
		return -EBADMSG;
	ifm = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifm->ifi_index;
	out->flags = ifm->ifi_flags;
	out->operstate = -1;
	if (mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, out) < 0)
		return -EBADMSG;
	return 0;
}

struct rtnl_reply {
	void *buf;
	size_t len;
	int kept;
};

/* keep the first answer (an RTM_NEWLINK for an RTM_GETLINK ...) */
static int rtnl_keep_reply(const struct nlmsghdr *m, void *data)
{
	struct rtnl_reply *r = data;

	if (!r->kept++)
		memcpy(r->buf, m, m->nlmsg_len < r->len ? m->nlmsg_len : r->len);
	return 0;
}

int rtnl_talk(int fd, struct nlmsghdr *nlh, void *reply, size_t reply_len,
	      struct err *e)
{
	struct rtnl_reply r = { reply, reply_len, 0 };

	nlh->nlmsg_flags |= NLM_F_ACK;
	return rtnl_exchange(fd, nlh, reply ? rtnl_keep_reply : NULL, &r, e);
}
