// SPDX-License-Identifier: GPL-2.0-or-later
/* lab.c - building and tearing down a lab (see lab.h for the theory) */
#define _GNU_SOURCE
#include "lab.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "endpoint.h"
#include "fw.h"
#include "netns.h"
#include "rtnl.h"
#include "util.h"

/* Every node's veth end gets this ifindex (a fresh namespace has only lo=1) */
#define LAB_IFINDEX 2
/* Socket hash size of each node namespace (rounded to a power of two) */
#define LAB_EHASH_ENTRIES "256"
#define LAB_READY_TIMEOUT_NS (3 * NS_PER_S)

struct lab_node_rt {
	int nsfd;
	int rtnl;
	int diag;
	int ep;      /* endpoint control socket or -1 */
	struct fw *fw;
};

struct lab {
	const struct plan *plan;
	int nnodes;
	struct lab_node_rt n[SCENARIO_MAX_NODES];
	pid_t init;      /* PID 1 of the lab's PID namespace, as we see it */
	int init_ctl;
	uint32_t seq;
	struct lab_timing timing;
};

static int nl_open(int nsfd, int proto, struct err *e)
{
	int one = 1, fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW, proto);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (fd < 0)
		return err_set(e, fd, "cannot open a netlink socket in the lab: %s",
			       strerror(-fd));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return err_set(e, r, "cannot bind a netlink socket: %s",
			       strerror(-r));
	}
	return fd;
}

/* --- the lab's PID 1 ---------------------------------------------------- */

static volatile sig_atomic_t init_stop;

static void init_on_term(int sig)
{
	(void)sig;
	init_stop = 1;
}

/* Destroy every TCP socket in every node, so no orphan pins a namespace. */
static void init_destroy_sockets(struct lab *lab)
{
	struct diag_set set = { 0 };
	int i;

	for (i = 0; i < lab->nnodes; i++) {
		if (diag_snapshot(lab->n[i].diag, &set) == 0)
			(void)diag_destroy(lab->n[i].diag, &set);
	}
	diag_set_free(&set);
}

static int send_fd(int sock, int fd, int32_t status)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &status, sizeof(status) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (fd >= 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int recv_fd(int sock, int32_t *status)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { status, sizeof(*status) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;
	int fd = -1;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != sizeof(*status))
		return -ECONNRESET;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (*status)
		return *status;
	return fd >= 0 ? fd : -EPROTO;
}

static void init_spawn(struct lab *lab, int node)
{
	int sv[2];
	pid_t pid;

	if (node < 0 || node >= lab->nnodes ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		send_fd(lab->init_ctl, -1, -EINVAL);
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(lab->init_ctl);
		if (setns(lab->n[node].nsfd, CLONE_NEWNET) < 0)
			_exit(ERR_EXIT_INTERNAL);
		endpoint_main(sv[1]);
	}
	close(sv[1]);
	send_fd(lab->init_ctl, pid < 0 ? -1 : sv[0], pid < 0 ? -errno : 0);
	close(sv[0]);
}

static void __attribute__((noreturn)) init_main(struct lab *lab)
{
	struct sigaction sa = { .sa_handler = init_on_term };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGCHLD, SIG_IGN); /* endpoints are reaped by the kernel */
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_SET_NAME, "tcplab-lab");
	while (!init_stop) {
		struct pollfd pfd = { .fd = lab->init_ctl, .events = POLLIN };
		int32_t node;
		ssize_t n;

		if (poll(&pfd, 1, -1) < 0)
			continue;
		if (pfd.revents & (POLLHUP | POLLERR))
			break;
		n = recv(lab->init_ctl, &node, sizeof(node), 0);
		if (n == 0)
			break;
		if (n == sizeof(node))
			init_spawn(lab, node);
	}
	init_destroy_sockets(lab);
	/* PID 1 leaving takes every endpoint with it. */
	_exit(0);
}

/* --- building ------------------------------------------------------------ */

static int lab_fw_open(struct lab *lab, int node, struct err *e);

static int lab_talk(struct lab *lab, int fd, struct nlmsghdr *nlh,
		    const char *what, struct err *e)
{
	int r = rtnl_talk(fd, nlh, NULL, 0, e);

	if (r)
		err_prefix(e, "%s", what);
	(void)lab;
	return r;
}

static int lab_node_links(struct lab *lab, int i, struct err *e)
{
	const struct plan_node *pn = &lab->plan->nodes[i];
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	int fd = lab->n[i].rtnl, r;

	r = lab_talk(lab, fd, rtnl_addr_build(buf, ++lab->seq, LAB_IFINDEX,
					      AF_INET, &pn->v4,
					      lab->plan->prefix4),
		     "adding the IPv4 address", e);
	if (!r)
		r = lab_talk(lab, fd, rtnl_addr_build(buf, ++lab->seq,
						      LAB_IFINDEX, AF_INET6,
						      &pn->v6,
						      lab->plan->prefix6),
			     "adding the IPv6 address", e);
	if (!r)
		r = lab_talk(lab, fd, rtnl_link_up_build(buf, ++lab->seq, 1),
			     "bringing loopback up", e);
	if (!r)
		r = lab_talk(lab, fd,
			     rtnl_link_up_build(buf, ++lab->seq, LAB_IFINDEX),
			     "bringing the veth up", e);
	return r;
}

/* 1 when node @i's veth end is up with a real qdisc, 0 if not yet */
static int lab_link_ready(struct lab *lab, int i, struct err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	char reply[8192] __attribute__((aligned(4)));
	struct rtnl_link l;
	int r;

	r = rtnl_talk(lab->n[i].rtnl,
		      rtnl_getlink_build(buf, ++lab->seq,
					 lab->plan->nodes[i].ifname),
		      reply, sizeof(reply), e);
	if (r)
		return r;
	if (rtnl_link_parse((struct nlmsghdr *)reply, &l))
		return err_set(e, -EPROTO, "unexpected RTM_GETLINK reply");
	return l.operstate == IF_OPER_UP && l.qdisc[0] &&
	       strcmp(l.qdisc, "noop") != 0;
}

static int lab_wait_ready(struct lab *lab, struct err *e)
{
	uint64_t deadline = util_now_ns() + LAB_READY_TIMEOUT_NS;
	int ready[SCENARIO_MAX_NODES] = { 0 };
	int i, left = lab->nnodes;

	while (left) {
		struct pollfd pfd[SCENARIO_MAX_NODES];
		int np = 0;

		for (i = 0; i < lab->nnodes; i++) {
			int r;

			if (ready[i])
				continue;
			r = lab_link_ready(lab, i, e);
			if (r < 0)
				return r;
			if (r) {
				ready[i] = 1;
				left--;
				continue;
			}
			pfd[np].fd = lab->n[i].rtnl;
			pfd[np++].events = POLLIN;
		}
		if (!left)
			break;
		if (util_now_ns() > deadline)
			return err_env(e, -ETIMEDOUT,
				       "the lab's veth link did not come up within 3 s");
		/* a link notification wakes us; drain them and look again */
		if (poll(pfd, (nfds_t)np, 1) > 0) {
			for (i = 0; i < np; i++) {
				char junk[8192];

				if (pfd[i].revents & POLLIN)
					(void)recv(pfd[i].fd, junk, sizeof(junk),
						   MSG_DONTWAIT);
			}
		}
	}
	return 0;
}

static int lab_spawn_init(struct lab *lab, struct err *e)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return err_set(e, -errno, "socketpair: %s", strerror(errno));
	fflush(NULL);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL,
			     NULL, NULL);
	if (pid < 0) {
		int r = -errno;

		close(sv[0]);
		close(sv[1]);
		if (r == -EPERM)
			return err_env(e, r,
				       "cannot create a PID namespace: %s (tcplab "
				       "needs root)",
				       strerror(-r));
		return err_set(e, r, "cannot create the lab's PID namespace: %s",
			       strerror(-r));
	}
	if (pid == 0) {
		close(sv[0]);
		lab->init_ctl = sv[1];
		/* the driver may already be gone: then so are we */
		{
			struct pollfd pfd = { .fd = sv[1], .events = 0 };

			prctl(PR_SET_PDEATHSIG, SIGTERM);
			if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLHUP))
				_exit(0);
		}
		init_main(lab);
	}
	close(sv[1]);
	lab->init = pid;
	lab->init_ctl = sv[0];
	return 0;
}

int lab_new(struct lab **out, const struct plan *plan, struct err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	uint64_t t0 = util_now_ns(), t1, t2;
	int root = -1, rootnl = -1, r, i;
	struct lab *lab;
	size_t k;

	*out = NULL;
	if (geteuid() != 0)
		return err_env(e, -EPERM,
			       "tcplab builds network namespaces and must run as root");
	lab = calloc(1, sizeof(*lab));
	if (!lab)
		return err_set(e, -ENOMEM, "out of memory");
	lab->plan = plan;
	lab->nnodes = plan->nnodes;
	lab->init = -1;
	lab->init_ctl = -1;
	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		lab->n[i].nsfd = lab->n[i].rtnl = lab->n[i].diag = -1;
		lab->n[i].ep = -1;
	}

	root = netns_new(-1);
	if (root < 0) {
		r = root == -EPERM
			? err_env(e, root, "cannot create a network namespace: %s",
				  strerror(-root))
			: err_set(e, root, "cannot create a network namespace: %s",
				  strerror(-root));
		goto fail;
	}
	/* Small private socket hash tables for the nodes; older kernels
	 * without the key simply share the global table. */
	r = netns_sysctl_write(root, "net.ipv4.tcp_child_ehash_entries",
			       LAB_EHASH_ENTRIES, NULL);
	(void)r;
	for (i = 0; i < lab->nnodes; i++) {
		lab->n[i].nsfd = netns_new(root);
		if (lab->n[i].nsfd < 0) {
			r = err_set(e, lab->n[i].nsfd,
				    "cannot create a network namespace: %s",
				    strerror(-lab->n[i].nsfd));
			goto fail;
		}
		r = lab->n[i].rtnl = nl_open(lab->n[i].nsfd, NETLINK_ROUTE, e);
		if (r < 0)
			goto fail;
		r = lab->n[i].diag = nl_open(lab->n[i].nsfd, NETLINK_SOCK_DIAG, e);
		if (r < 0)
			goto fail;
	}
	r = rootnl = nl_open(root, NETLINK_ROUTE, e);
	if (r < 0)
		goto fail;
	t1 = util_now_ns();
	lab->timing.netns_ns = t1 - t0;

	/* The veth pair, each end created straight inside its node. */
	r = lab_talk(lab, rootnl,
		     rtnl_veth_build(buf, ++lab->seq, plan->nodes[0].ifname,
				     lab->n[0].nsfd, plan->nodes[1].ifname,
				     lab->n[1].nsfd, LAB_IFINDEX),
		     "creating the veth pair", e);
	if (r) {
		if (r == -EOPNOTSUPP)
			e->exit_class = ERR_EXIT_ENV;
		goto fail;
	}
	close(rootnl);
	rootnl = -1;
	close(root);
	root = -1;

	for (k = 0; k < plan->sc->nsysctls; k++) {
		const struct scenario_sysctl *s = &plan->sc->sysctls[k];

		r = netns_sysctl_write(lab->n[s->node].nsfd, s->key, s->value, e);
		if (r) {
			err_prefix(e, "%s:%d:%d", s->loc.file, s->loc.line,
				   s->loc.col);
			goto fail;
		}
	}
	for (i = 0; i < lab->nnodes; i++) {
		unsigned grp = RTNLGRP_LINK;

		setsockopt(lab->n[i].rtnl, SOL_NETLINK,
			   NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp));
		r = lab_node_links(lab, i, e);
		if (r)
			goto fail;
	}
	/* The PID namespace, the endpoints and the firewall tables get
	 * ready while the links settle. */
	r = lab_spawn_init(lab, e);
	if (r)
		goto fail;
	for (i = 0; i < lab->nnodes; i++) {
		int32_t req = i;

		if (send(lab->init_ctl, &req, sizeof(req), MSG_NOSIGNAL) < 0) {
			r = err_set(e, -errno, "the lab's PID 1 is gone: %s",
				    strerror(errno));
			goto fail;
		}
	}
	for (k = 0; k < plan->sc->nsteps; k++) {
		const struct step *st = &plan->sc->steps[k];

		if (st->kind != STEP_FIREWALL || lab->n[st->node].fw)
			continue;
		r = lab_fw_open(lab, st->node, e);
		if (r)
			goto fail;
	}
	t2 = util_now_ns();
	lab->timing.links_ns = t2 - t1;
	r = lab_wait_ready(lab, e);
	if (r)
		goto fail;
	for (i = 0; i < lab->nnodes; i++) {
		int32_t status = 0;
		int fd = recv_fd(lab->init_ctl, &status);

		if (fd < 0) {
			r = err_set(e, fd, "cannot start the %s endpoint: %s",
				    plan->nodes[i].name, strerror(-fd));
			goto fail;
		}
		lab->n[i].ep = fd;
	}
	for (i = 0; i < lab->nnodes; i++) {
		unsigned grp = RTNLGRP_LINK;

		setsockopt(lab->n[i].rtnl, SOL_NETLINK,
			   NETLINK_DROP_MEMBERSHIP, &grp, sizeof(grp));
	}
	lab->timing.ready_ns = util_now_ns() - t2;
	lab->timing.total_ns = util_now_ns() - t0;
	*out = lab;
	return 0;
fail:
	if (rootnl >= 0)
		close(rootnl);
	if (root >= 0)
		close(root);
	lab_free(lab);
	return r < 0 ? r : -EIO;
}

void lab_free(struct lab *lab)
{
	int i;

	if (!lab)
		return;
	if (lab->init > 0) {
		uint64_t deadline = util_now_ns() + 2 * NS_PER_S;
		int status;

		/* end-of-file tells PID 1 to destroy the sockets and go */
		close(lab->init_ctl);
		lab->init_ctl = -1;
		while (waitpid(lab->init, &status, WNOHANG) == 0) {
			if (util_now_ns() > deadline) {
				kill(lab->init, SIGKILL);
				waitpid(lab->init, &status, 0);
				break;
			}
			util_sleep_ns(20 * NS_PER_US);
		}
	}
	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		if (lab->n[i].fw)
			fw_close(lab->n[i].fw);
		if (lab->n[i].ep >= 0)
			close(lab->n[i].ep);
		if (lab->n[i].rtnl >= 0)
			close(lab->n[i].rtnl);
		if (lab->n[i].diag >= 0)
			close(lab->n[i].diag);
		if (lab->n[i].nsfd >= 0)
			close(lab->n[i].nsfd);
	}
	free(lab);
}

const struct lab_timing *lab_timing(const struct lab *lab)
{
	return &lab->timing;
}

int lab_diag_fd(const struct lab *lab, int node)
{
	return lab->n[node].diag;
}

int lab_netns_fd(const struct lab *lab, int node)
{
	return lab->n[node].nsfd;
}

int lab_endpoint(struct lab *lab, int node, struct err *e)
{
	int32_t req = node, status = 0;
	int fd;

	if (lab->n[node].ep >= 0)
		return lab->n[node].ep;
	if (send(lab->init_ctl, &req, sizeof(req), MSG_NOSIGNAL) < 0)
		return err_set(e, -errno, "the lab's PID 1 is gone: %s",
			       strerror(errno));
	fd = recv_fd(lab->init_ctl, &status);
	if (fd < 0)
		return err_set(e, fd, "cannot start the %s endpoint: %s",
			       lab->plan->nodes[node].name, strerror(-fd));
	lab->n[node].ep = fd;
	return fd;
}

void lab_endpoint_gone(struct lab *lab, int node)
{
	if (lab->n[node].ep >= 0)
		close(lab->n[node].ep);
	lab->n[node].ep = -1;
}

static int lab_fw_open(struct lab *lab, int node, struct err *e)
{
	const struct fw_backend *b = fw_backend_find(lab->plan->firewall);

	if (!b)
		return err_set(e, -ENOENT, "no firewall backend '%s'",
			       lab->plan->firewall);
	return fw_open(b, &lab->n[node].fw, lab->n[node].nsfd, e);
}

int lab_fw_add(struct lab *lab, const struct rule *rule, struct err *e)
{
	struct lab_node_rt *n = &lab->n[rule->node];
	int r;

	if (!n->fw) {
		r = lab_fw_open(lab, rule->node, e);
		if (r)
			return r;
	}
	return fw_add(n->fw, rule, 1, e);
}

int lab_sysctl(struct lab *lab, int node, const char *key, const char *value,
	       struct err *e)
{
	return netns_sysctl_write(lab->n[node].nsfd, key, value, e);
}
