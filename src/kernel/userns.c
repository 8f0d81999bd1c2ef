// SPDX-License-Identifier: GPL-2.0-or-later
/* userns.c - a user namespace of tcplab's own without root (see userns.h) */
#define _GNU_SOURCE
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

static int userns_in;          /* userns_enter() entered one */
static uid_t userns_uid_before = (uid_t)-1;

static long knob_read(const char *path)
{
	char buf[32];

	if (util_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

void userns_knobs_read(struct userns_knobs *k)
{
	k->unprivileged_userns_clone =
		knob_read("/proc/sys/kernel/unprivileged_userns_clone");
	k->max_user_namespaces = knob_read("/proc/sys/user/max_user_namespaces");
	k->apparmor_restrict =
		knob_read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
}

const char *userns_refusal(const struct userns_knobs *k, int err, char *buf,
			   size_t len)
{
	if (k->unprivileged_userns_clone == 0)
		snprintf(buf, len,
			 "this kernel forbids unprivileged user namespaces "
			 "(kernel.unprivileged_userns_clone=0): run tcplab as "
			 "root, or allow them with 'sysctl "
			 "kernel.unprivileged_userns_clone=1'");
	else if (k->max_user_namespaces == 0)
		snprintf(buf, len,
			 "this system allows no user namespaces "
			 "(user.max_user_namespaces=0): run tcplab as root, or "
			 "allow them with 'sysctl user.max_user_namespaces=15000'");
	else if (k->apparmor_restrict > 0)
		snprintf(buf, len,
			 "AppArmor denies unprivileged user namespaces their "
			 "capabilities (kernel.apparmor_restrict_unprivileged_userns=1): "
			 "load tcplab's profile with 'apparmor_parser -r "
			 "/etc/apparmor.d/tcplab' (installed with tcplab), or run "
			 "tcplab as root");
	else if (err == -ENOSPC || err == -EUSERS)
		snprintf(buf, len,
			 "no more user namespaces may be created "
			 "(user.max_user_namespaces, or the nesting limit of 32 is "
			 "reached): run tcplab as root, or raise "
			 "user.max_user_namespaces");
	else
		snprintf(buf, len,
			 "cannot create a user namespace to run without root (%s): "
			 "run tcplab as root",
			 strerror(err < 0 ? -err : err));
	return buf;
}

int userns_map_build(char *buf, size_t len, unsigned int inside,
		     unsigned int outside)
{
	int n = snprintf(buf, len, "%u %u 1\n", inside, outside);

	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

static int map_write(const char *path, unsigned int outside)
{
	char line[64];
	int n = userns_map_build(line, sizeof(line), 0, outside);

	if (n < 0)
		return n;
	return util_write_file(path, line);
}

static int refuse(struct err *e, int r)
{
	struct userns_knobs k;
	char why[512];

	userns_knobs_read(&k);
	return err_env(e, r, "%s", userns_refusal(&k, r, why, sizeof(why)));
}

int userns_enter(struct err *e)
{
	uid_t uid = getuid(), euid = geteuid();
	gid_t gid = getgid();
	int r;

	if (userns_uid_before == (uid_t)-1)
		userns_uid_before = uid;
	if (euid == 0 || userns_in)
		return userns_in;
	if (unshare(CLONE_NEWUSER) < 0)
		return refuse(e, -errno);
	/* an unprivileged gid_map needs setgroups denied first */
	r = util_write_file("/proc/self/setgroups", "deny");
	if (!r)
		r = map_write("/proc/self/uid_map", (unsigned int)euid);
	if (!r)
		r = map_write("/proc/self/gid_map", (unsigned int)gid);
	if (r)
		return refuse(e, r);
	/*
	 * A network namespace of our own to start from: the lab code steps
	 * into a node namespace and back, and back must be a namespace this
	 * user namespace owns.  It is also the first privileged step, so
	 * AppArmor's restriction shows here (EPERM/EACCES).
	 */
	r = netns_move_new();
	if (r)
		return refuse(e, r);
	userns_in = 1;
	return 1;
}

int userns_entered(void)
{
	return userns_in;
}

uid_t userns_outer_uid(void)
{
	return userns_uid_before == (uid_t)-1 ? getuid() : userns_uid_before;
}

int userns_join(int fd)
{
	struct stat a, b;

	if (userns_uid_before == (uid_t)-1)
		userns_uid_before = getuid(); /* whose records, after joining */
	if (fstat(fd, &a) < 0)
		return -errno;
	if (stat("/proc/self/ns/user", &b) == 0 && a.st_ino == b.st_ino &&
	    a.st_dev == b.st_dev)
		return 0;
	if (setns(fd, CLONE_NEWUSER) < 0)
		return -errno;
	return 0;
}
