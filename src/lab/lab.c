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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <arpa/inet.h>

#include "capture.h"
#include "counters.h"
#include "diag.h"
#include "endpoint.h"
#include "fw.h"
#include "keeper.h"
#include "kept.h"
#include "nfq.h"
#include "shaper.h"
#include "netlink.h"
#include "netns.h"
#include "rtnl.h"
#include "tcpm.h"
#include "userns.h"
#include "util.h"

/*
 * The plan fixes every veth end's ifindex (a fresh namespace has only
 * lo=1), which saves look-ups; the two ends of a veth must differ, or the
 * kernel's linkwatch takes the veth for a device without a lower link and
 * may hold its carrier-up event back for up to a second.
 */
/* Socket hash size of each node namespace (rounded to a power of two) */
#define LAB_EHASH_ENTRIES "256"
#define LAB_READY_TIMEOUT_NS (3 * NS_PER_S)
#define LAB_MAX_HOLDS 8

struct lab_node_rt {
	int nsfd;
	int rtnl;
	int diag;
	int ep;      /* endpoint control socket or -1 */
	struct fw *fw;
	struct nfq *held[LAB_MAX_HOLDS]; /* queues of "hold" rules */
	int nheld;
	int cap;     /* a capture socket kept for the next run, or -1 */
	struct shaper *shapers[LAB_MAX_HOLDS]; /* "impair" rules at work */
	int nshapers;
	int cnt[COUNTERS_NFILES]; /* its /proc/net counter files, or -1 */
	int genl;    /* generic netlink (TCP metrics), or -1 until needed */
};

struct lab {
	const struct plan *plan;
	int nnodes;
	struct lab_node_rt n[SCENARIO_MAX_NODES];
	int keeper_id;   /* this lab's id at the keeper, -1 before */
	struct kept_rules rules; /* installed and not flushed: a kept lab's */
	int kept;        /* lab_keep(): the keeper holds it, nothing ends */
	struct lab_timing timing;
	struct plan parked; /* the plan, while lab_cache holds the lab */
	int empty;       /* parked: no endpoint, no TCP socket */
};

/* --- prepared namespaces ------------------------------------------------- */

/*
 * Creating a network namespace is most of a lab's set-up, and needs
 * nothing from the plan.  So every lab of a process takes its node
 * namespaces from one lab root (made once, with its small socket hash
 * size), and a pool keeps up to LAB_POOL_SIZE of them prepared ahead -
 * created, loopback up, rtnetlink and sock_diag sockets open - refilled
 * on a thread of its own after each take, while the lab that took them
 * runs, as far as the labs still to come need (lab_pool_expect(): a
 * single run prepares none ahead).  A lab
 * that finds the pool empty prepares its namespaces itself.  Prepared
 * namespaces are fds of this process like any other: they go with it.
 */
#define LAB_POOL_SIZE 4

struct lab_prep {
	int nsfd;
	int rtnl;
	int diag;
};

static struct {
	pthread_mutex_t lock;
	int root;                /* the lab root, -1 before it is made */
	struct lab_prep v[LAB_POOL_SIZE];
	int n;
	int target;              /* namespaces to keep ready (lab_pool_expect) */
	int filling;             /* a filler thread runs */
} lab_pool = { .lock = PTHREAD_MUTEX_INITIALIZER, .root = -1 };

static void prep_close(struct lab_prep *p)
{
	if (p->diag >= 0)
		close(p->diag);
	if (p->rtnl >= 0)
		close(p->rtnl);
	if (p->nsfd >= 0)
		close(p->nsfd);
	p->nsfd = p->rtnl = p->diag = -1;
}

/* the lab root (made on first use), or -errno; call with the lock held */
static int pool_root_locked(struct err *e)
{
	int root;

	if (lab_pool.root >= 0)
		return lab_pool.root;
	root = netns_new(-1);
	if (root < 0)
		return root == -EPERM
			? err_env(e, root, "cannot create a network namespace: %s",
				  strerror(-root))
			: err_set(e, root, "cannot create a network namespace: %s",
				  strerror(-root));
	/* Small private socket hash tables for the nodes; older kernels
	 * without the key simply share the global table. */
	if (netns_sysctl_write(root, "net.ipv4.tcp_child_ehash_entries",
			       LAB_EHASH_ENTRIES, NULL)) {
		/* the nodes share the global table */
	}
	lab_pool.root = root;
	return root;
}

/**
 * prep_make() - a node namespace, prepared
 * @root:	the lab root
 * @p:		filled
 * @e:		error detail
 *
 * Return: 0 or -errno (@p then holds nothing)
 */
static int prep_make(int root, struct lab_prep *p, struct err *e)
{
	char buf[256] __attribute__((aligned(4)));
	int r;

	p->rtnl = p->diag = -1;
	p->nsfd = netns_new(root);
	if (p->nsfd < 0)
		return err_set(e, p->nsfd, "cannot create a network namespace: %s",
			       strerror(-p->nsfd));
	r = p->rtnl = netlink_open(p->nsfd, NETLINK_ROUTE, e);
	if (r >= 0)
		r = p->diag = netlink_open(p->nsfd, NETLINK_SOCK_DIAG, e);
	if (r >= 0) {
		r = rtnl_talk(p->rtnl, rtnl_link_up_build(buf, 0, 1), NULL, 0, e);
		if (r)
			err_prefix(e, "bringing loopback up");
	}
	if (r < 0) {
		prep_close(p);
		return r;
	}
	return 0;
}

/* the filler: prepare namespaces until the pool is full */
static void *pool_fill(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lab_pool.lock);
	while (lab_pool.n < lab_pool.target && lab_pool.root >= 0) {
		struct err e = { 0 };
		struct lab_prep p;
		int root = lab_pool.root, r;

		pthread_mutex_unlock(&lab_pool.lock);
		r = prep_make(root, &p, &e);
		pthread_mutex_lock(&lab_pool.lock);
		if (r)
			break; /* the next lab prepares its own, and says why */
		if (lab_pool.n < lab_pool.target)
			lab_pool.v[lab_pool.n++] = p;
		else
			prep_close(&p);
	}
	lab_pool.filling = 0;
	pthread_mutex_unlock(&lab_pool.lock);
	return NULL;
}

/* start the filler unless it runs; call with the lock held */
static void pool_kick_locked(void)
{
	pthread_attr_t attr;
	pthread_t t;

	if (lab_pool.filling || lab_pool.n >= lab_pool.target)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (!pthread_create(&t, &attr, pool_fill, NULL))
		lab_pool.filling = 1;
	pthread_attr_destroy(&attr);
}

void lab_pool_expect(int labs)
{
	pthread_mutex_lock(&lab_pool.lock);
	/* two nodes a lab, most often */
	lab_pool.target = labs > LAB_POOL_SIZE / 2 ? LAB_POOL_SIZE
			  : labs > 0 ? 2 * labs : 0;
	pthread_mutex_unlock(&lab_pool.lock);
}

/**
 * lab_take_nodes() - node namespaces for @lab: from the pool, or prepared
 * here; the pool is refilled behind
 * @lab:	the lab being built (nnodes set)
 * @e:		error detail
 *
 * Return: 0 or -errno
 */
static int lab_take_nodes(struct lab *lab, struct err *e)
{
	int i, r = 0, root;

	pthread_mutex_lock(&lab_pool.lock);
	root = pool_root_locked(e);
	for (i = 0; i < lab->nnodes && lab_pool.n > 0; i++) {
		struct lab_prep *p = &lab_pool.v[--lab_pool.n];

		lab->n[i].nsfd = p->nsfd;
		lab->n[i].rtnl = p->rtnl;
		lab->n[i].diag = p->diag;
	}
	if (root >= 0)
		pool_kick_locked();
	pthread_mutex_unlock(&lab_pool.lock);
	if (root < 0)
		return root;
	for (; i < lab->nnodes && !r; i++) {
		struct lab_prep p;

		r = prep_make(root, &p, e);
		if (!r) {
			lab->n[i].nsfd = p.nsfd;
			lab->n[i].rtnl = p.rtnl;
			lab->n[i].diag = p.diag;
		}
	}
	return r;
}

/* --- a lab kept for the next scenario ------------------------------------ */

/*
 * A scenario that ends cleanly leaves its lab as it found it but for its
 * sockets, firewall rules and cached TCP metrics; lab_recycle() removes
 * those and parks the lab here, and the next lab_new() for the same plan
 * (nodes, addresses, family, backend) takes it instead of building one:
 * no namespace, veth pair or endpoint thread is made or destroyed in
 * between.  One lab is kept at most; lab_cache_drop() tears it down.
 */
static struct {
	pthread_mutex_t lock;
	struct lab *lab;
} lab_cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* --- building ------------------------------------------------------------ */

static int lab_fw_open(struct lab *lab, int node, struct err *e);

/* One rtnetlink request and its ACK; an error says what was being done */
static int lab_talk(int fd, struct nlmsghdr *nlh, const char *what,
		    struct err *e)
{
	int r = rtnl_talk(fd, nlh, NULL, 0, e);

	if (r)
		err_prefix(e, "%s", what);
	return r;
}

/* Node @i's addresses (IPv6 without DAD), then its veths up */
static int lab_node_links(struct lab *lab, int i, struct err *e)
{
	const struct plan *plan = lab->plan;
	const struct plan_node *pn = &plan->nodes[i];
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	int fd = lab->n[i].rtnl, r = 0, k;

	for (k = 0; k < pn->nifs && !r; k++) {
		const struct plan_if *f = &pn->ifs[k];

		r = lab_talk(fd, rtnl_addr_build(buf, 0, f->ifindex, AF_INET,
						 &f->v4, plan->prefix4),
			     "adding an IPv4 address", e);
		if (!r && lab->plan->family == 6)
			r = lab_talk(fd, rtnl_addr_build(buf, 0,
							      f->ifindex, AF_INET6,
							      &f->v6,
							      lab->plan->prefix6),
				     "adding an IPv6 address", e);
	}
	/* loopback is up already (prep_make) */
	for (k = 0; k < pn->nifs && !r; k++)
		r = lab_talk(fd, rtnl_link_up_build(buf, 0, pn->ifs[k].ifindex),
			     "bringing a veth up", e);
	return r;
}

/*
 * Pin the peers' addresses: no ARP or neighbour discovery in a run.  Done
 * once the links are up: bringing a link up may flush what was there.
 */
static int lab_node_neigh(struct lab *lab, int i, struct err *e)
{
	const struct plan_node *pn = &lab->plan->nodes[i];
	char buf[512] __attribute__((aligned(4)));
	int fd = lab->n[i].rtnl, r = 0, k;

	for (k = 0; k < pn->nifs && !r; k++) {
		const struct plan_if *f = &pn->ifs[k];
		const struct plan_if *peer =
			&lab->plan->nodes[f->peer_node].ifs[f->peer_if];

		r = lab_talk(fd, rtnl_neigh_build(buf, 0, f->ifindex, AF_INET,
						  &peer->v4, peer->mac),
			     "adding a neighbour entry", e);
		if (!r && lab->plan->family == 6)
			r = lab_talk(fd,
				     rtnl_neigh_build(buf, 0, f->ifindex,
						      AF_INET6, &peer->v6,
						      peer->mac),
				     "adding a neighbour entry", e);
	}
	/* routes to the links beyond a router: they need the links up */
	for (k = 0; k < pn->nroutes && !r; k++) {
		const struct plan_route *rt = &pn->routes[k];

		if (rt->family == AF_INET6 && lab->plan->family != 6)
			continue;
		r = lab_talk(fd, rtnl_route_build(buf, 0,
						       rt->family, &rt->dst,
						       rt->plen, &rt->via,
						       rt->ifindex),
			     "adding a route", e);
	}
	return r;
}

/* 1 when node @i's veth ends are up with a real qdisc, 0 if not yet */
static int lab_link_ready(struct lab *lab, int i, struct err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	char reply[8192] __attribute__((aligned(4)));
	const struct plan_node *pn = &lab->plan->nodes[i];
	struct rtnl_link l;
	int r, k;

	for (k = 0; k < pn->nifs; k++) {
		r = rtnl_talk(lab->n[i].rtnl,
			      rtnl_getlink_build(buf, 0,
						 pn->ifs[k].ifname),
			      reply, sizeof(reply), e);
		if (r)
			return r;
		if (rtnl_link_parse((struct nlmsghdr *)reply, &l))
			return err_set(e, -EPROTO, "unexpected RTM_GETLINK reply");
		if (l.operstate != IF_OPER_UP || !l.qdisc[0] ||
		    !strcmp(l.qdisc, "noop"))
			return 0;
	}
	return 1;
}

struct addr_check {
	const struct in6_addr *want;
	int ready;
};

static int addr6_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_check *c = data;
	uint32_t flags;

	if (rtnl_addr_flags(nlh, AF_INET6, c->want, &flags) == 0)
		c->ready = !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	return 0;
}

/*
 * 1 when node @i's IPv6 address is usable.  Even without DAD the kernel
 * clears an address's tentative flag from a work queue: until it does,
 * a segment to that address is dropped and a lost SYN costs a second.
 */
static int lab_addr6_ready_one(struct lab *lab, int i,
				const struct in6_addr *want, struct err *e);

static int lab_addr6_ready(struct lab *lab, int i, struct err *e)
{
	const struct plan_node *pn = &lab->plan->nodes[i];
	int k, r;

	for (k = 0; k < pn->nifs; k++) {
		r = lab_addr6_ready_one(lab, i, &pn->ifs[k].v6, e);
		if (r <= 0)
			return r;
	}
	return 1;
}

static int lab_addr6_ready_one(struct lab *lab, int i,
				const struct in6_addr *want, struct err *e)
{
	char buf[256] __attribute__((aligned(4)));
	char reply[1024] __attribute__((aligned(4)));
	struct addr_check c = { want, 0 };
	int r = rtnl_dump(lab->n[i].rtnl,
			  rtnl_getaddr_build(buf, 0, AF_INET6),
			  addr6_cb, &c, e);

	if (r || !c.ready)
		return r;
	/* the flag goes before the local route comes: until it does, a
	 * segment to the address is an address error (Ip6InAddrErrors) */
	r = rtnl_talk(lab->n[i].rtnl,
		      rtnl_getroute_build(buf, 0, AF_INET6, c.want),
		      reply, sizeof(reply), e);
	if (r == -ENETUNREACH || r == -EHOSTUNREACH) {
		err_clear(e);
		return 0;
	}
	if (r)
		return r;
	return rtnl_route_type((struct nlmsghdr *)reply) == RTN_LOCAL;
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
			if (r > 0 && lab->plan->family == 6)
				r = lab_addr6_ready(lab, i, e);
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
				       "the lab's veth link and addresses were not "
				       "ready within 3 s");
		/* a link notification wakes us; drain them and look again */
		if (poll(pfd, (nfds_t)np, 1) > 0) {
			for (i = 0; i < np; i++)
				if (pfd[i].revents & POLLIN)
					netlink_drain(pfd[i].fd);
		}
	}
	return 0;
}

/*
 * lab_node_family() - an IPv4 lab has no IPv6 at all
 *
 * Before any link exists, IPv6 is turned off for every device the node
 * will have (default) and has (all): no link-local address, so no
 * duplicate address detection (neighbour solicitations), no MLD reports,
 * no router solicitations - nothing in the lab but what the scenario does.
 * A kernel built without IPv6 has no such keys, and nothing to turn off.
 */
static int lab_node_family(struct lab *lab, int node, struct err *e)
{
	static const char *const keys[] = { "net.ipv6.conf.default.disable_ipv6",
					    "net.ipv6.conf.all.disable_ipv6" };
	size_t k;
	int r;

	if (lab->plan->family != 4)
		return 0;
	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		r = netns_sysctl_write(lab->n[node].nsfd, keys[k], "1", NULL);
		if (r == -ENOENT)
			return 0;
		if (r)
			return netns_sysctl_write(lab->n[node].nsfd, keys[k], "1", e);
	}
	return 0;
}

/*
 * lab_destroy_sockets() - abort every TCP socket of a node, TIME_WAIT and
 * request sockets too, from the driver: the keeper does the same when it
 * sees the driver go, and this covers a keeper that is gone itself.
 */
static int lab_destroy_sockets(struct lab *lab, int node)
{
	struct diag_set set = { 0 };
	int pass, empty = 0;

	if (lab->n[node].diag < 0)
		return 0;
	/* a second pass takes what the first one's aborts made; a look
	 * that finds nothing ends it (1: the node has no TCP socket).
	 * Listeners are left to the endpoint, which alone makes them and
	 * closes them when it ends: a dump that asks for LISTEN walks the
	 * listening hash of the whole machine. */
	for (pass = 0; pass < 2 && !empty; pass++) {
		if (diag_snapshot_filter(lab->n[node].diag, 0,
					 DIAG_STATES_BUT_LISTEN, &set))
			break;
		empty = !set.n;
		if (set.n)
			(void)diag_destroy_all(lab->n[node].diag, &set);
	}
	diag_set_free(&set);
	return empty;
}


/* A lab with nothing in it yet: every fd -1, no keeper id */
static struct lab *lab_alloc(const struct plan *plan)
{
	struct lab *lab = calloc(1, sizeof(*lab));
	int i, k;

	if (!lab)
		return NULL;
	lab->plan = plan;
	lab->nnodes = plan->nnodes;
	lab->keeper_id = -1;
	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		lab->n[i].nsfd = lab->n[i].rtnl = lab->n[i].diag = -1;
		lab->n[i].ep = -1;
		lab->n[i].cap = -1;
		lab->n[i].genl = -1;
		for (k = 0; k < COUNTERS_NFILES; k++)
			lab->n[i].cnt[k] = -1;
	}
	return lab;
}

/*
 * Phase 2, the veth pairs, each end created straight inside its node by
 * one request sent from the lab root: nothing appears anywhere else.
 */
static int lab_veths(struct lab *lab, struct err *e)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	const struct plan *plan = lab->plan;
	int root, fd, r = 0, i;

	for (i = 0; i < lab->nnodes; i++) {
		r = lab_node_family(lab, i, e);
		if (r)
			return r;
	}
	pthread_mutex_lock(&lab_pool.lock);
	root = lab_pool.root;
	pthread_mutex_unlock(&lab_pool.lock);
	fd = netlink_open(root, NETLINK_ROUTE, e);
	if (fd < 0)
		return fd;
	/* one pair per link, made from its end on the lower node (a chain's
	 * links in order; a star's from its hub) */
	for (i = 0; i < lab->nnodes && !r; i++) {
		const struct plan_node *a = &plan->nodes[i];
		int k;

		for (k = 0; k < a->nifs && !r; k++) {
			const struct plan_if *fa = &a->ifs[k];
			const struct plan_if *fb;
			int j = fa->peer_node;

			if (j < i)
				continue; /* made from the other end */
			fb = &plan->nodes[j].ifs[fa->peer_if];
			r = lab_talk(fd, rtnl_veth_build(buf, 0, fa->ifname,
							 lab->n[i].nsfd, fb->ifname,
							 lab->n[j].nsfd,
							 fa->ifindex, fb->ifindex,
							 fa->mac, fb->mac),
				     "creating a veth pair", e);
			if (r == -EOPNOTSUPP)
				e->exit_class = ERR_EXIT_ENV;
		}
	}
	close(fd);
	return r;
}

/*
 * Phase 3, the sysctls: forwarding on routers, then the scenario's own,
 * each inside its node only; an "if-present" key this kernel lacks is
 * skipped.  An error names the scenario line.
 */
static int lab_sysctls(struct lab *lab, struct err *e)
{
	const struct scenario *sc = lab->plan->sc;
	size_t k;
	int i, r;

	for (i = 0; i < lab->nnodes; i++) {
		if (!lab->plan->nodes[i].forward)
			continue;
		r = netns_sysctl_write(lab->n[i].nsfd, "net.ipv4.conf.all.forwarding",
				       "1", e);
		if (!r && lab->plan->family == 6)
			r = netns_sysctl_write(lab->n[i].nsfd,
					       "net.ipv6.conf.all.forwarding",
					       "1", e);
		if (r)
			return r;
	}
	for (k = 0; k < sc->nsysctls; k++) {
		const struct scenario_sysctl *s = &sc->sysctls[k];

		r = netns_sysctl_write(lab->n[s->node].nsfd, s->key, s->value,
				       s->optional ? NULL : e);
		if (r == -ENOENT && s->optional)
			continue; /* "if-present": this kernel lacks it */
		if (r && s->optional)
			r = netns_sysctl_write(lab->n[s->node].nsfd, s->key,
					       s->value, e);
		if (r) {
			err_prefix(e, "%s:%d:%d", s->loc.file, s->loc.line,
				   s->loc.col);
			return r;
		}
	}
	return 0;
}

/*
 * Phase 4, the links: addresses and veths up; each node's NETLINK_ROUTE
 * socket hears link notifications until the lab is ready (lab_wait_ready()
 * wakes on them).
 */
static int lab_links(struct lab *lab, struct err *e)
{
	unsigned int grp = RTNLGRP_LINK;
	int i, r;

	for (i = 0; i < lab->nnodes; i++) {
		setsockopt(lab->n[i].rtnl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			   &grp, sizeof(grp));
		r = lab_node_links(lab, i, e);
		if (r)
			return r;
	}
	return 0;
}

/*
 * Phase 5, the endpoints: one control socket pair per node, the far ends
 * handed to the keeper, which runs an endpoint inside each node.
 */
static int lab_endpoints(struct lab *lab, struct err *e)
{
	int nsfds[SCENARIO_MAX_NODES], remote[SCENARIO_MAX_NODES];
	int i, r;

	for (i = 0; i < lab->nnodes; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
			       sv) < 0) {
			r = err_set(e, -errno, "socketpair: %s",
				    strerror(errno));
			while (i--)
				close(remote[i]);
			return r;
		}
		lab->n[i].ep = sv[0];
		remote[i] = sv[1];
		nsfds[i] = lab->n[i].nsfd;
	}
	r = keeper_lab_add(nsfds, remote, lab->nnodes, e);
	for (i = 0; i < lab->nnodes; i++)
		close(remote[i]);
	if (r < 0)
		return r;
	lab->keeper_id = r;
	return 0;
}

/* Phase 6, the firewall tables of the nodes the scenario has rules for */
static int lab_firewalls(struct lab *lab, struct err *e)
{
	const struct scenario *sc = lab->plan->sc;
	size_t k;
	int r;

	for (k = 0; k < sc->nsteps; k++) {
		const struct step *st = &sc->steps[k];

		if (st->kind != STEP_FIREWALL || lab->n[st->node].fw)
			continue;
		r = lab_fw_open(lab, st->node, e);
		if (r)
			return r;
	}
	return 0;
}

/*
 * Phase 7, ready: every link up with a real qdisc and every address
 * usable, then the neighbours pinned; the link notifications stop.
 */
static int lab_ready(struct lab *lab, struct err *e)
{
	unsigned int grp = RTNLGRP_LINK;
	int r = lab_wait_ready(lab, e), i;

	for (i = 0; i < lab->nnodes && !r; i++)
		r = lab_node_neigh(lab, i, e);
	if (r)
		return r;
	for (i = 0; i < lab->nnodes; i++)
		setsockopt(lab->n[i].rtnl, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP,
			   &grp, sizeof(grp));
	return 0;
}

static int lab_clean(struct lab *lab, struct err *e);

/*
 * lab_reuse() - the parked lab, if it was built for a plan like @plan:
 * cleaned (lab_clean()), its scenario's sysctls set, its endpoints and
 * firewall tables ready.  Returns 0 (*@out set), 1 when there is none to
 * take (or it is not fit: then it is torn down), or -errno.
 */
static int lab_reuse(struct lab **out, const struct plan *plan, struct err *e)
{
	uint64_t t0 = util_now_ns();
	struct err ce = { 0 };
	struct lab *lab;
	int r, i;

	pthread_mutex_lock(&lab_cache.lock);
	lab = lab_cache.lab;
	if (lab && plan_same_lab(&lab->parked, plan))
		lab_cache.lab = NULL;
	else
		lab = NULL;
	pthread_mutex_unlock(&lab_cache.lock);
	if (!lab)
		return 1;
	if (lab_clean(lab, &ce)) {
		/* not fit for another run: this one builds its own */
		lab_free(lab);
		return 1;
	}
	lab->plan = plan;
	lab->empty = 0;
	memset(&lab->timing, 0, sizeof(lab->timing));
	r = lab_sysctls(lab, e);
	for (i = 0; i < lab->nnodes && !r; i++)
		r = lab_endpoint(lab, i, e) < 0 ? -EIO : 0;
	if (!r)
		r = lab_firewalls(lab, e);
	if (r) {
		lab_free(lab);
		return r;
	}
	lab->timing.links_ns = lab->timing.total_ns = util_now_ns() - t0;
	*out = lab;
	return 0;
}

/* 1 when @fd's namespace holds no TCP socket at all, once its endpoint
 * (the only listener) is gone */
static int lab_node_empty(int fd)
{
	struct diag_set set = { 0 };
	int r = diag_snapshot_filter(fd, 0, DIAG_STATES_BUT_LISTEN, &set);
	int empty = r == 0 && set.n == 0;

	diag_set_free(&set);
	return empty;
}

/*
 * lab_endpoint_end() - end node @node's endpoint and wait until it has
 * closed everything it held; 0, or -ETIMEDOUT
 */
static int lab_endpoint_end(struct lab *lab, int node)
{
	uint64_t deadline = util_now_ns() + 500 * NS_PER_MS;
	int fd = lab->n[node].ep;

	if (fd < 0)
		return 0;
	/* end of file: the endpoint closes all it holds, then its end */
	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char buf[256];
		uint64_t now = util_now_ns();

		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)((deadline - now) / NS_PER_MS) + 1) < 0 &&
		    errno != EINTR)
			return -errno;
		/* events it still had to tell are of no one's interest */
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) == 0)
			break;
	}
	lab_endpoint_gone(lab, node);
	return 0;
}

/*
 * lab_endpoint_reset() - make node @node's endpoint as new for the next run:
 * it closes everything it held and answers; its thread and control socket
 * stay.  What it still had to tell of the last run is read past.  0, or
 * -errno: then it is ended, and the next run gets a new one.
 */
static int lab_endpoint_reset(struct lab *lab, int node)
{
	struct ep_msg req = { .op = EP_RESET }, rep;
	int fd = lab->n[node].ep, r, i;

	if (fd < 0)
		return 0;
	r = endpoint_call(fd, &req, &rep, NULL);
	/* an answer left over from the run (a call it gave up on) first */
	for (i = 0; !r && rep.op != EP_RESET && i < 16; i++)
		r = endpoint_reply(fd, &req, &rep, NULL);
	if (!r && rep.op == EP_RESET && !rep.err)
		return 0;
	return lab_endpoint_end(lab, node);
}

/* forget node @node's TCP metrics, on a socket the lab keeps for it */
static int lab_tcpm_flush(struct lab *lab, int node, struct err *e)
{
	struct lab_node_rt *n = &lab->n[node];

	if (n->genl < 0) {
		int fd = netlink_open(n->nsfd, NETLINK_GENERIC, e);

		if (fd < 0)
			return fd;
		n->genl = fd;
	}
	return tcpm_flush(n->genl, e);
}

/*
 * lab_clean() - make a parked lab fit for its next run: every socket
 * destroyed, the endpoints reset once they have closed all they held, no
 * TCP socket left, the firewall tables emptied and the TCP metrics cache
 * flushed.  0, or -errno: the lab is not fit (the caller frees it).
 */
static int lab_clean(struct lab *lab, struct err *e)
{
	int i, r = 0;

	/* impairments first: their verdicts end with the run */
	for (i = 0; i < SCENARIO_MAX_NODES; i++)
		while (lab->n[i].nshapers)
			shaper_stop(lab->n[i].shapers[--lab->n[i].nshapers]);
	for (i = 0; i < lab->nnodes; i++)
		(void)lab_destroy_sockets(lab, i);
	for (i = 0; i < lab->nnodes && !r; i++)
		r = lab_endpoint_reset(lab, i);
	/* what an endpoint made before it was reset, then the check */
	for (i = 0; i < lab->nnodes && !r; i++)
		if (!lab_node_empty(lab->n[i].diag) &&
		    !lab_destroy_sockets(lab, i))
			r = err_set(e, -EBUSY, "a TCP socket outlived its lab's "
				    "clean-up");
	for (i = 0; i < lab->nnodes && !r; i++) {
		if (lab->n[i].fw || lab->n[i].nheld)
			r = lab_fw_flush(lab, i, e);
		if (!r)
			r = lab_tcpm_flush(lab, i, e);
	}
	if (r)
		return r;
	lab->rules.n = 0;
	lab->empty = 1;
	return 0;
}

/*
 * Parking costs nothing: the clean-up (lab_clean()) is done by the
 * lab_new() that takes the lab, so a lab that no run takes again - the
 * last of a process - is torn down once, by lab_free(), and not first
 * cleaned for nobody.
 */
void lab_recycle(struct lab *lab)
{
	struct lab *old;

	if (!lab)
		return;
	if (lab->kept || lab->keeper_id < 0) {
		lab_free(lab);
		return;
	}
	lab->parked = *lab->plan;
	lab->parked.sc = NULL;
	lab->plan = &lab->parked;
	pthread_mutex_lock(&lab_cache.lock);
	old = lab_cache.lab;
	lab_cache.lab = lab;
	pthread_mutex_unlock(&lab_cache.lock);
	lab_free(old);
}

void lab_cache_drop(void)
{
	struct lab *lab;

	pthread_mutex_lock(&lab_cache.lock);
	lab = lab_cache.lab;
	lab_cache.lab = NULL;
	pthread_mutex_unlock(&lab_cache.lock);
	lab_free(lab);
}

int lab_new(struct lab **out, const struct plan *plan, struct err *e)
{
	uint64_t t0 = util_now_ns(), t1, t2;
	struct lab *lab;
	int r;

	*out = NULL;
	if (geteuid() != 0)
		return err_env(e, -EPERM,
			       "tcplab builds network namespaces and must run as root");
	/* first, while this process holds no lab fds the keeper could copy */
	r = keeper_start(e);
	if (r)
		return r;
	r = lab_reuse(out, plan, e);
	if (r <= 0)
		return r;
	lab = lab_alloc(plan);
	if (!lab)
		return err_set(e, -ENOMEM, "out of memory");

	/* phase 1, the nodes' namespaces and sockets, from the pool */
	r = lab_take_nodes(lab, e);
	if (r)
		goto fail;
	t1 = util_now_ns();
	lab->timing.netns_ns = t1 - t0;
	r = lab_veths(lab, e);
	if (!r)
		r = lab_sysctls(lab, e);
	if (!r)
		r = lab_links(lab, e);
	/* the endpoints and the firewall tables get ready while the links
	 * settle */
	if (!r)
		r = lab_endpoints(lab, e);
	if (!r)
		r = lab_firewalls(lab, e);
	if (r)
		goto fail;
	t2 = util_now_ns();
	lab->timing.links_ns = t2 - t1;
	r = lab_ready(lab, e);
	if (r)
		goto fail;
	lab->timing.ready_ns = util_now_ns() - t2;
	lab->timing.total_ns = util_now_ns() - t0;
	*out = lab;
	return 0;

fail:
	lab_free(lab);
	return r < 0 ? r : -EIO;
}

void lab_free(struct lab *lab)
{
	int i, empty = 1;

	if (!lab)
		return;
	/* The lab's sockets are aborted while the endpoints still hold them
	 * (no FIN, no orphan), by the driver and again by the keeper (which
	 * alone is left when the driver is killed); then the endpoints see
	 * their control sockets close and end. */
	/* impairments first: nobody gives their verdicts once we are gone */
	for (i = 0; i < SCENARIO_MAX_NODES; i++)
		while (lab->n[i].nshapers)
			shaper_stop(lab->n[i].shapers[--lab->n[i].nshapers]);
	for (i = 0; i < lab->nnodes && !lab->kept && !lab->empty; i++)
		empty &= lab_destroy_sockets(lab, i);
	if (lab->keeper_id >= 0)
		keeper_lab_del(lab->keeper_id, lab->empty || empty);
	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		while (lab->n[i].nheld)
			nfq_close(lab->n[i].held[--lab->n[i].nheld]);
		if (lab->n[i].fw)
			fw_close(lab->n[i].fw);
		if (lab->n[i].ep >= 0)
			close(lab->n[i].ep);
		capture_release(lab->n[i].cap);
		counters_close(lab->n[i].cnt);
		if (lab->n[i].genl >= 0)
			close(lab->n[i].genl);
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

int lab_counters(struct lab *lab, int node, struct counters *c)
{
	struct lab_node_rt *n = &lab->n[node];

	if (n->cnt[0] < 0) {
		int r = counters_open(n->nsfd, n->cnt);

		if (r)
			return r;
	}
	return counters_read(n->cnt, c);
}

int lab_endpoint(struct lab *lab, int node, struct err *e)
{
	int sv[2], r;

	if (lab->n[node].ep >= 0)
		return lab->n[node].ep;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return err_set(e, -errno, "socketpair: %s", strerror(errno));
	r = keeper_spawn(lab->keeper_id, node, sv[1], e);
	close(sv[1]);
	if (r) {
		close(sv[0]);
		return r;
	}
	lab->n[node].ep = sv[0];
	return sv[0];
}

int lab_capture_take(struct lab *lab, int node)
{
	int fd = lab->n[node].cap;

	lab->n[node].cap = -1;
	return fd;
}

void lab_capture_keep(struct lab *lab, int node, int fd)
{
	capture_release(lab->n[node].cap);
	lab->n[node].cap = fd;
}

int lab_endpoint_fd(const struct lab *lab, int node)
{
	return lab->n[node].ep;
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
	if (rule->action == RULE_HOLD) {
		/* the queue is listened to before the rule sends to it */
		if (n->nheld == LAB_MAX_HOLDS)
			return err_at(e, -ENOSPC, &rule->loc,
				      "at most %d hold rules per node",
				      LAB_MAX_HOLDS);
		r = nfq_open(&n->held[n->nheld], n->nsfd,
			     (uint16_t)rule->id, e);
		if (r)
			return r;
		n->nheld++;
	}
	if (rule->action == RULE_IMPAIR) {
		/* the shaper serves the queue before the rule sends to it */
		if (n->nshapers == LAB_MAX_HOLDS)
			return err_at(e, -ENOSPC, &rule->loc,
				      "at most %d impair rules per node",
				      LAB_MAX_HOLDS);
		if (rule->imp.src < 0 || rule->imp.src >= lab->nnodes)
			return err_at(e, -EINVAL, &rule->loc,
				      "impair: no node %d", rule->imp.src);
		r = shaper_start(&n->shapers[n->nshapers], rule, n->nsfd,
				 lab->n[rule->imp.src].nsfd, lab->plan->family, e);
		if (r)
			return r;
		n->nshapers++;
	}
	r = fw_add(n->fw, rule, 1, e);
	/* what a kept lab's firewall command starts from (not a hold: once
	 * tcplab is gone, nobody releases what it holds) */
	if (!r && !rule_queued(rule) && lab->rules.n < KEPT_MAX_RULES) {
		struct kept_rule *k = &lab->rules.v[lab->rules.n++];

		k->id = rule->id;
		snprintf(k->node, sizeof(k->node), "%s",
			 lab->plan->nodes[rule->node].name);
		rule_describe(rule, k->text, sizeof(k->text));
	}
	return r;
}

int lab_release(struct lab *lab, int node, struct err *e)
{
	struct lab_node_rt *n = &lab->n[node];
	int i, count = 0;

	for (i = 0; i < n->nheld; i++) {
		int r = nfq_release(n->held[i], e);

		if (r < 0)
			return r;
		count += r;
		/* unbound, the bypassing queue lets every later packet by */
		nfq_close(n->held[i]);
		n->held[i] = NULL;
	}
	n->nheld = 0;
	return count;
}

int lab_fw_flush(struct lab *lab, int node, struct err *e)
{
	struct lab_node_rt *n = &lab->n[node];

	/* a backend opens on an empty table: closing and reopening it is
	 * the flush, the same for every backend, unless it can empty the
	 * table it holds (fw_reset()); packets still held by a hold rule are
	 * dropped with it */
	int i, k;

	while (n->nheld)
		nfq_close(n->held[--n->nheld]);
	while (n->nshapers)
		shaper_stop(n->shapers[--n->nshapers]);
	for (i = k = 0; i < lab->rules.n; i++)
		if (strcmp(lab->rules.v[i].node, lab->plan->nodes[node].name))
			lab->rules.v[k++] = lab->rules.v[i];
	lab->rules.n = k;
	if (n->fw) {
		struct err re = { 0 };

		/* the same table, emptied, where the backend can */
		if (!fw_reset(n->fw, &re))
			return 0;
		fw_close(n->fw);
		n->fw = NULL;
	}
	return lab_fw_open(lab, node, e);
}

struct shaper *lab_shaper(const struct lab *lab, int node, int i)
{
	return i < lab->n[node].nshapers ? lab->n[node].shapers[i] : NULL;
}

int lab_sysctl(struct lab *lab, int node, const char *key, const char *value,
	       struct err *e)
{
	return netns_sysctl_write(lab->n[node].nsfd, key, value, e);
}

/* The keeper's socket, listening at @path (mode 0600), or -errno */
static int keep_listen(const char *path, struct err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return err_set(e, -ENAMETOOLONG, "%s: path too long for a socket",
			       path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, -errno, "socket: %s", strerror(errno));
	unlink(path); /* a dead keeper's */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, 16) < 0) {
		r = -errno;
		close(fd);
		unlink(path);
		return err_set(e, r, "cannot listen on %s: %s", path, strerror(-r));
	}
	return fd;
}

/* the record of @lab kept as @name: its nodes and settings, this process,
 * and the /run/netns paths it publishes (@publish) */
static void keep_info(const struct lab *lab, const char *name, int publish,
		      struct kept_info *k)
{
	const struct plan *p = lab->plan;
	int i, j;

	memset(k, 0, sizeof(*k));
	snprintf(k->name, sizeof(k->name), "%s", name);
	k->family = p->family;
	snprintf(k->firewall, sizeof(k->firewall), "%s", p->firewall);
	k->rootless = userns_entered();
	k->since = (long long)time(NULL);
	k->up = (int)getpid();
	k->up_start = kept_proc_start(k->up);
	k->nnodes = lab->nnodes;
	for (i = 0; i < lab->nnodes; i++) {
		struct kept_node *nd = &k->nodes[i];
		const struct plan_node *pn = &p->nodes[i];

		snprintf(nd->name, sizeof(nd->name), "%s", pn->name);
		nd->nifs = pn->nifs < KEPT_MAX_IFS ? pn->nifs : KEPT_MAX_IFS;
		for (j = 0; j < nd->nifs; j++) {
			snprintf(nd->ifname[j], sizeof(nd->ifname[0]), "%s",
				 pn->ifs[j].ifname);
			nd->ifpeer[j] = pn->ifs[j].peer_node;
		}
		inet_ntop(AF_INET, &pn->v4, nd->addr4, sizeof(nd->addr4));
		inet_ntop(AF_INET6, &pn->v6, nd->addr6, sizeof(nd->addr6));
		if (publish)
			snprintf(k->netns[k->nnetns++], sizeof(k->netns[0]),
				 "%s/tcplab-%s-%s", KEPT_NETNS_DIR, name, pn->name);
	}
}

/*
 * Keeping is written ahead (kept.h): the record, naming what will be
 * published, is on disk before the first /run/netns entry, and the
 * keeper is in it before it detaches.  Whatever fails - or kills this
 * process - then leaves nothing that the record does not name; a failure
 * here removes it all again.
 */
int lab_keep(struct lab *lab, const char *name, struct err *e)
{
	char src[64], sock[PATH_MAX];
	struct kept_removed rm;
	struct kept_info info;
	struct err undo = { 0 };
	int i, rec, lfd = -1, r;
	/* without root there is no /run/netns to publish in: tcplab exec */
	int publish = !userns_entered();

	if (publish && mkdir(KEPT_NETNS_DIR, 0755) && errno != EEXIST)
		return err_set(e, -errno, "cannot create %s: %s", KEPT_NETNS_DIR,
			       strerror(errno));
	r = kept_path(sock, sizeof(sock), ".", name, ".sock", e);
	if (r)
		return r;
	keep_info(lab, name, publish, &info);
	rec = kept_create(&info, e);
	if (rec < 0)
		return rec;
	for (i = 0; i < info.nnetns; i++) {
		const char *path = info.netns[i];
		int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);

		if (fd < 0) {
			r = err_set(e, -errno, "cannot create %s: %s", path,
				    strerror(errno));
			goto fail;
		}
		close(fd);
		snprintf(src, sizeof(src), "/proc/self/fd/%d", lab->n[i].nsfd);
		if (mount(src, path, "none", MS_BIND, NULL) < 0) {
			r = err_set(e, -errno, "cannot publish %s: %s", path,
				    strerror(errno));
			goto fail;
		}
	}
	r = kept_rules_write(name, &lab->rules, e);
	if (r)
		goto fail;
	lfd = keep_listen(sock, e);
	if (lfd < 0) {
		r = lfd;
		goto fail;
	}
	r = kept_add_keeper(rec, keeper_getpid(), e);
	if (r)
		goto fail;
	r = keeper_detach(lfd, e);
	if (r < 0)
		goto fail;
	close(lfd);
	close(rec);
	/* from now on the keeper holds the lab: nothing is torn down */
	lab->keeper_id = -1;
	lab->kept = 1;
	return 0;
fail:
	if (lfd >= 0)
		close(lfd);
	close(rec);
	if (kept_remove(name, 1, &rm, &undo) && e) {
		char m[sizeof(e->msg)];

		snprintf(m, sizeof(m), "%.400s (and then %.400s: tcplab down %s)", e->msg,
			 undo.msg, name);
		memcpy(e->msg, m, sizeof(m));
	}
	return r;
}
