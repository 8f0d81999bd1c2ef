/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netns.h - network namespaces held as file descriptors
 *
 * Theory of operation: a namespace is created by unshare(CLONE_NEWNET) on
 * the calling thread, kept as an fd on /proc/thread-self/ns/net, and the
 * thread goes straight back where it was.  Sockets (netlink, TCP) are bound
 * to the namespace of the thread that creates them, so netns_socket() steps
 * into the namespace just long enough to create one, and the socket is then
 * used from outside.  Nothing is bind-mounted: when the last fd and the
 * last socket are gone, the kernel frees the namespace with everything in
 * it.  The calling thread never stays in a lab namespace after a call
 * returns, and never writes anything in the namespace it started in.  The
 * way back is an fd each thread keeps on its own namespace, opened once.
 */
#ifndef TCPLAB_NETNS_H
#define TCPLAB_NETNS_H

#include "err.h"

/* netns_self() - an fd on the calling thread's current netns */
int netns_self(void) WUR;

/*
 * netns_new() - create a new netns, as a child of the namespace @parent_fd
 * (or of the current one when -1); returns its fd or -errno.
 */
int netns_new(int parent_fd) WUR;

/* netns_enter() - move this thread into @nsfd; @saved gets the way back */
int netns_enter(int nsfd, int *saved) WUR;

/* netns_leave() - go back to @saved (from netns_enter) and close it */
void netns_leave(int saved);

/*
 * netns_move() - make @nsfd the calling thread's namespace for good (an
 * endpoint's node, a kept lab's): the way netns_enter() keeps back to the
 * thread's home is dropped, and the next step out starts from here.  Never
 * between netns_enter() and netns_leave().  0 or -errno.
 */
int netns_move(int nsfd) WUR;

/* netns_move_new() - netns_move() into a new namespace: unshare() */
int netns_move_new(void) WUR;

/* netns_socket() - socket(@domain, @type, @proto) created inside @nsfd
 * (-1: the calling thread's own namespace, where it is now) */
int netns_socket(int nsfd, int domain, int type, int proto) WUR;

/*
 * netns_sysctl_write() - write "net.ipv4.tcp_syn_retries" = "2" inside
 * @nsfd only.  Keys outside the allow-list (net.ipv4.*, net.ipv6.*,
 * net.core.somaxconn, net.netfilter.*, net.unix.*) are refused; a key that
 * does not exist inside the namespace (not per-namespace on this kernel) is
 * refused, never written elsewhere.
 */
int netns_sysctl_write(int nsfd, const char *key, const char *value,
		       struct err *e) WUR;

/* netns_sysctl_read() - read a key inside @nsfd (trailing newline cut) */
int netns_sysctl_read(int nsfd, const char *key, char *buf, size_t len) WUR;


#endif
