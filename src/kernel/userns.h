/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * userns.h - running without root: a user namespace of tcplab's own
 *
 * Theory of operation: everything tcplab does to a lab (network and PID
 * namespaces, veth, addresses, sysctls of the node namespaces, nftables
 * and iptables tables, NFLOG and NFQUEUE, packet sockets, SOCK_DESTROY)
 * needs its capabilities only in the user namespace that owns the lab's
 * namespaces.  So a caller without root first unshares a user namespace
 * (CLONE_NEWUSER) in which its uid and gid are mapped to 0 - "deny" is
 * written to setgroups first, as the kernel demands of an unprivileged
 * gid_map - and from then on runs exactly the code that root runs.  Root
 * keeps running in the namespace it started in.
 *
 * unshare(CLONE_NEWUSER) must come before the process has a second
 * thread: userns_enter() is the first thing a command that builds labs
 * does.
 *
 * Where the kernel forbids it, the refusal names the knob that does:
 * kernel.unprivileged_userns_clone (Debian's patch), user.max_user_namespaces
 * (0 forbids every new user namespace), or AppArmor's
 * kernel.apparmor_restrict_unprivileged_userns (Ubuntu 24.04 and later: the
 * namespace is made but has no capabilities unless a profile allows it;
 * tcplab installs one, see lab/apparmor/tcplab).  The decision is pure
 * (userns_refusal()), from the knobs as read and the errno seen.
 *
 * What cannot work rootless: publishing a kept lab under /run/netns for
 * `ip netns exec` (a bind mount on the host's mount namespace), and
 * anything outside the lab (nothing tcplab does is).
 */
#ifndef TCPLAB_USERNS_H
#define TCPLAB_USERNS_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* The knobs that can forbid unprivileged user namespaces; -1 = absent */
struct userns_knobs {
	long unprivileged_userns_clone;  /* kernel.unprivileged_userns_clone */
	long max_user_namespaces;        /* user.max_user_namespaces */
	long apparmor_restrict;          /* kernel.apparmor_restrict_unprivileged_userns */
};

/* userns_knobs_read() - read the knobs from /proc/sys (absent: -1) */
void userns_knobs_read(struct userns_knobs *k);

/*
 * userns_refusal() - the one sentence that says which knob forbids a user
 * namespace and how to allow it, given the knobs and the -errno that
 * unshare(), the id maps, or the first privileged step (@err) failed with.
 * Pure.  Returns @buf.
 */
const char *userns_refusal(const struct userns_knobs *k, int err, char *buf,
			   size_t len);

/*
 * userns_map_build() - the one-line id map "INSIDE OUTSIDE 1\n" for
 * /proc/self/uid_map or gid_map into @buf.  Pure.  Returns its length, or
 * -ENOSPC.
 */
int userns_map_build(char *buf, size_t len, unsigned int inside,
		     unsigned int outside) WUR;

/*
 * userns_enter() - without root, enter a new user namespace with the
 * caller's uid and gid mapped to 0; with root, do nothing.  Returns 1 when
 * it entered one, 0 for root, or -errno with an environment error (exit
 * status 3) naming the knob that forbids it.  Call it while the process
 * has one thread.
 */
int userns_enter(struct err *e) WUR;

/* userns_entered() - did userns_enter() enter a user namespace? */
int userns_entered(void);

/* userns_outer_uid() - the caller's uid before userns_enter() or
 * userns_join() (getuid() when it did neither) */
uid_t userns_outer_uid(void);

/*
 * userns_join() - join the user namespace @fd (from another tcplab
 * process) unless the caller is in it already; 0 or -errno.  The process
 * must have one thread.
 */
int userns_join(int fd) WUR;

#endif
