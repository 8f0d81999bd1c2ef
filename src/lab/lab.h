/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lab.h - a lab: one network namespace per node, joined by a veth pair
 *
 * Theory of operation (residue-free by construction):
 *  - The driver creates a private "lab root" namespace whose
 *    net.ipv4.tcp_child_ehash_entries is small (once per process, shared
 *    by its labs), and from it one namespace per node, so each node gets a
 *    small socket hash table of its own (cheap sock_diag dumps).  A few
 *    node namespaces are kept prepared ahead in a pool (created, loopback
 *    up, netlink sockets open), refilled on a thread after each lab takes
 *    from it.  Namespaces are held as fds, never mounted.
 *  - The veth pair is created from the lab root with each end placed
 *    straight into its node (IFLA_NET_NS_FD on link and peer): nothing ever
 *    appears in the host namespace.  Addresses come from 198.18.0.0/15 and
 *    fd00::/8; there is no default route, so no packet can leave the lab.
 *  - lab_new() returns only when both veth ends are really ready: operstate
 *    UP and a real qdisc attached (a fresh veth end drops packets on its
 *    noop qdisc until the kernel's linkwatch attaches one).
 *  - The endpoints run in the lab keeper (keeper.h), PID 1 of the labs' own
 *    PID namespace, which dies with tcplab.  lab_free() has the keeper
 *    destroy every TCP socket of the lab through sock_diag SOCK_DESTROY
 *    before the namespaces are let go: an orphaned socket with an
 *    unacknowledged FIN would otherwise keep a dropped namespace alive in
 *    the kernel for minutes.  Whether tcplab returns, fails or is killed
 *    with SIGKILL, the kernel frees the namespaces and with them the
 *    links, firewall tables, sockets and threads.
 */
#ifndef TCPLAB_LAB_H
#define TCPLAB_LAB_H

#include <stdint.h>

#include "counters.h"
#include "err.h"
#include "plan.h"
#include "rule.h"

struct lab; /* opaque */
struct shaper; /* shaper.h */

struct lab_timing {
	uint64_t netns_ns;  /* namespaces and netlink sockets */
	uint64_t links_ns;  /* veth, addresses, sysctls, links up */
	uint64_t ready_ns;  /* waiting for operstate UP + qdisc */
	uint64_t total_ns;  /* lab_new() as a whole */
};

/* lab_new() - build the lab for @plan; nothing is left behind on failure */
int lab_new(struct lab **out, const struct plan *plan, struct err *e) WUR;

/*
 * lab_pool_expect() - how many more labs this process will build after
 * the next one: that many labs' node namespaces (at most four) are kept
 * prepared ahead from then on; 0 prepares none.
 */
void lab_pool_expect(int labs);

/* lab_free() - tear the lab down: sockets destroyed, processes gone */
void lab_free(struct lab *lab);

/*
 * lab_recycle() - done with @lab, and its scenario changed nothing but its
 * sockets and firewall rules (no sysctl, no held packets left, no kept
 * lab): the lab is parked for the next lab_new() of the same plan, which
 * takes it instead of building one after cleaning it (every socket
 * destroyed, the endpoints ended, the firewall tables emptied and the TCP
 * metrics cache flushed); when that fails, the lab is torn down as by
 * lab_free() and lab_new() builds one.  A parked lab that no run takes
 * goes with lab_cache_drop(), uncleaned.
 */
void lab_recycle(struct lab *lab);

/* lab_cache_drop() - tear down the parked lab, if there is one */
void lab_cache_drop(void);

/* lab_timing() - how long set-up took, by phase */
const struct lab_timing *lab_timing(const struct lab *lab);

/* lab_diag_fd() - the NETLINK_SOCK_DIAG socket inside node @node */
int lab_diag_fd(const struct lab *lab, int node);

/* lab_netns_fd() - the namespace fd of node @node */
int lab_netns_fd(const struct lab *lab, int node);

/*
 * lab_counters() - node @node's SNMP counters now, from the counter
 * files the lab keeps open for it (counters.h); 0 or -errno
 */
int lab_counters(struct lab *lab, int node, struct counters *c) WUR;

/*
 * lab_endpoint() - the control socket of node @node's endpoint, spawning
 * one if it has none (or its last one exited); -errno on failure.
 */
int lab_endpoint(struct lab *lab, int node, struct err *e) WUR;

/*
 * lab_capture_take() - the capture socket kept with the lab for node @node
 * (capture_detach()), now the caller's; -1 when there is none
 */
int lab_capture_take(struct lab *lab, int node);

/*
 * lab_capture_keep() - keep capture socket @fd of node @node with the lab
 * for its next run (lab_recycle()); lab_free() releases it
 */
void lab_capture_keep(struct lab *lab, int node, int fd);

/* lab_endpoint_fd() - node @node's endpoint socket, -1 when it has none
 * (looking never starts one) */
int lab_endpoint_fd(const struct lab *lab, int node);

/* lab_endpoint_gone() - forget node @node's endpoint (it exited) */
void lab_endpoint_gone(struct lab *lab, int node);

/* lab_fw_add() - install @rule on its node with the plan's backend */
int lab_fw_add(struct lab *lab, const struct rule *rule, struct err *e) WUR;

/*
 * lab_release() - let every packet held by node @node's "hold" rules go,
 * in order, and stop holding; returns how many were let go
 */
int lab_release(struct lab *lab, int node, struct err *e) WUR;

/*
 * lab_shaper() - the @i-th impairment at work on node @node (its "impair"
 * rules, in the order they were added), or NULL past the last
 */
struct shaper *lab_shaper(const struct lab *lab, int node, int i);

/* lab_fw_flush() - remove every rule tcplab installed on node @node */
int lab_fw_flush(struct lab *lab, int node, struct err *e) WUR;

/*
 * lab_keep() - keep the lab for exploring by hand: its namespaces are
 * published as /run/netns/tcplab-NAME-NODE (so `ip netns exec` works), the
 * keeper and the endpoints' sockets stay, and the lab is recorded, ahead
 * of all that (kept_create()), for kept_remove().  On failure it removes
 * what it made.  lab_free() then tears nothing down.
 */
int lab_keep(struct lab *lab, const char *name, struct err *e) WUR;

/* lab_sysctl() - set a sysctl inside node @node */
int lab_sysctl(struct lab *lab, int node, const char *key, const char *value,
	       struct err *e) WUR;

#endif
