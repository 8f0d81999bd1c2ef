// SPDX-License-Identifier: GPL-2.0-or-later
/* tcpm.c - flushing a namespace's TCP metrics cache (see tcpm.h) */
#include "tcpm.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcp_metrics.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "netlink.h"

/* generic netlink family ids are the same in every namespace */
static pthread_mutex_t tcpm_lock = PTHREAD_MUTEX_INITIALIZER;
static uint16_t tcpm_family;

static int family_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		(void)mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
				     family_attr_cb, arg);
	return 0;
}

/* one generic netlink request of command @cmd to @type, and its ACK */
static int tcpm_talk(int fd, uint16_t type, uint8_t cmd, uint8_t version,
		     const char *name, netlink_msg_cb cb, void *arg,
		     struct err *e)
{
	char buf[256] __attribute__((aligned(4)));
	struct netlink_conv c = { .nseq = 1, .answers = 1, .data = cb,
				  .arg = arg };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = c.seq = netlink_seq_next(1);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return netlink_talk(fd, nlh, nlh->nlmsg_len, &c, e);
}

int tcpm_flush(int fd, struct err *e)
{
	uint16_t family;
	int r = 0;

	pthread_mutex_lock(&tcpm_lock);
	family = tcpm_family;
	pthread_mutex_unlock(&tcpm_lock);
	if (!family) {
		r = tcpm_talk(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			      TCP_METRICS_GENL_NAME, family_cb, &family, e);
		if (!r && !family)
			r = err_set(e, -ENOENT, "no tcp_metrics generic netlink family");
		if (!r) {
			pthread_mutex_lock(&tcpm_lock);
			tcpm_family = family;
			pthread_mutex_unlock(&tcpm_lock);
		}
	}
	/* no address: the whole cache */
	if (!r)
		r = tcpm_talk(fd, family, TCP_METRICS_CMD_DEL,
			      TCP_METRICS_GENL_VERSION, NULL, NULL, NULL, e);
	if (r)
		err_prefix(e, "flushing the TCP metrics");
	return r;
}
