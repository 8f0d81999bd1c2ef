// SPDX-License-Identifier: GPL-2.0-or-later
/* netns.c - network namespaces held as fds (see netns.h) */
#define _GNU_SOURCE
#include "netns.h"
#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

int netns_self(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int netns_enter(int nsfd, int *saved)
{
	int self = netns_self();

	if (self < 0)
		return self;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		int r = -errno;

		close(self);
		return r;
	}
	*saved = self;
	return 0;
}

void netns_leave(int saved)
{
	/* Going back can only fail if the fd is bad: that is a bug. */
	if (setns(saved, CLONE_NEWNET) < 0) {
		perror("tcplab: setns back to the original namespace");
		_exit(ERR_EXIT_INTERNAL);
	}
	close(saved);
}

int netns_new(int parent_fd)
{
	int saved = -1, fd, r;

	if (parent_fd >= 0) {
		r = netns_enter(parent_fd, &saved);
		if (r)
			return r;
	} else {
		saved = netns_self();
		if (saved < 0)
			return saved;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		r = -errno;
		/* still where we started unless we entered @parent_fd */
		if (parent_fd >= 0)
			netns_leave(saved);
		else
			close(saved);
		return r;
	}
	fd = netns_self();
	netns_leave(saved);
	return fd;
}

int netns_socket(int nsfd, int domain, int type, int proto)
{
	int saved, fd, r;

	r = netns_enter(nsfd, &saved);
	if (r)
		return r;
	fd = socket(domain, type | SOCK_CLOEXEC, proto);
	r = fd < 0 ? -errno : fd;
	netns_leave(saved);
	return r;
}

static void sysctl_path(const char *key, char *path, size_t len)
{
	size_t n = (size_t)snprintf(path, len, "/proc/sys/");
	const char *k;

	for (k = key; *k && n + 1 < len; k++)
		path[n++] = *k == '.' ? '/' : *k;
	path[n] = '\0';
}

int netns_sysctl_write(int nsfd, const char *key, const char *value,
		       struct err *e)
{
	char path[256];
	int saved, r;

	if (!sysctl_allowed(key))
		return err_set(e, -EPERM,
			       "sysctl %s is not on tcplab's allow-list of "
			       "per-namespace keys (net.ipv4.*, net.ipv6.*, "
			       "net.netfilter.*, net.unix.*, net.core.somaxconn)",
			       key);
	sysctl_path(key, path, sizeof(path));
	r = netns_enter(nsfd, &saved);
	if (r)
		return err_set(e, r, "cannot enter lab namespace: %s",
			       strerror(-r));
	/*
	 * /proc/sys/net resolves against the namespace of the thread that
	 * opens the file: a key that is not per-namespace is simply absent
	 * here, and so can never reach the host.
	 */
	r = util_write_file(path, value);
	netns_leave(saved);
	if (r == -ENOENT)
		return err_env(e, r,
			       "sysctl %s is not per-namespace on this kernel "
			       "(or does not exist); refusing to set it",
			       key);
	if (r)
		return err_set(e, r, "cannot set sysctl %s=%s in the lab: %s",
			       key, value, strerror(-r));
	return 0;
}

int netns_sysctl_read(int nsfd, const char *key, char *buf, size_t len)
{
	char path[256];
	int saved, r;

	if (!sysctl_allowed(key))
		return -EPERM;
	sysctl_path(key, path, sizeof(path));
	r = netns_enter(nsfd, &saved);
	if (r)
		return r;
	r = util_read_file(path, buf, len);
	netns_leave(saved);
	if (r < 0)
		return r;
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	return r;
}
