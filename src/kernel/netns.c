// SPDX-License-Identifier: GPL-2.0-or-later
/* netns.c - network namespaces held as fds (see netns.h) */
#define _GNU_SOURCE
#include "netns.h"
#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
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

/*
 * The way back.  Opening /proc/thread-self/ns/net is a walk through procfs
 * (tens of microseconds on a virtual machine), and every step into a lab
 * namespace needs a way back, so each thread keeps one fd on its home - the
 * namespace it lives in - opened on its first step out and closed when the
 * thread ends.  Only netns_move() and netns_move_new() change a thread's
 * home, and drop the fd; a process made by fork() or clone() opens its
 * own (home_pid), never trusting a number whose fd it may have closed.  A
 * step out of a lab namespace into another (nested) saves the current one
 * as before.
 */
#define NETNS_HOME (-2) /* *saved: the way back is the thread's home fd */

static __thread int home_fd = -1;
static __thread pid_t home_pid;
static __thread int away; /* steps out not taken back yet */
static pthread_key_t home_key;
static pthread_once_t home_once = PTHREAD_ONCE_INIT;

static void home_close(void *v)
{
	close((int)(intptr_t)v - 1);
}

static void home_key_make(void)
{
	(void)pthread_key_create(&home_key, home_close);
}

/* the calling thread's home fd, opened once; -errno */
static int home(void)
{
	pid_t pid = getpid();

	if (home_fd >= 0 && home_pid == pid)
		return home_fd;
	home_fd = netns_self();
	if (home_fd < 0)
		return home_fd;
	home_pid = pid;
	away = 0;
	pthread_once(&home_once, home_key_make);
	(void)pthread_setspecific(home_key, (void *)(intptr_t)(home_fd + 1));
	return home_fd;
}

/* note the way back before leaving the current namespace; 0 or -errno */
static int step_out(int *saved)
{
	int h;

	if (away) {
		*saved = netns_self();
		if (*saved < 0)
			return *saved;
	} else {
		h = home();
		if (h < 0)
			return h;
		*saved = NETNS_HOME;
	}
	away++;
	return 0;
}

/* forget a way back that was not taken (nothing moved) */
static void step_undo(int saved)
{
	away--;
	if (saved != NETNS_HOME)
		close(saved);
}

int netns_enter(int nsfd, int *saved)
{
	int r = step_out(saved);

	if (r)
		return r;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		r = -errno;
		step_undo(*saved);
		return r;
	}
	return 0;
}

void netns_leave(int saved)
{
	/* Going back can only fail if the fd is bad: that is a bug. */
	if (setns(saved == NETNS_HOME ? home_fd : saved, CLONE_NEWNET) < 0) {
		perror("tcplab: setns back to the original namespace");
		_exit(ERR_EXIT_INTERNAL);
	}
	away--;
	if (saved != NETNS_HOME)
		close(saved);
}

/* the calling thread has moved for good: its way back is no more */
static void home_drop(void)
{
	if (home_fd >= 0 && home_pid == getpid()) {
		(void)pthread_setspecific(home_key, NULL);
		close(home_fd);
	}
	home_fd = -1;
	away = 0;
}

int netns_move(int nsfd)
{
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return -errno;
	home_drop();
	return 0;
}

int netns_move_new(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	home_drop();
	return 0;
}

int netns_new(int parent_fd)
{
	int saved = -1, fd, r;

	r = parent_fd >= 0 ? netns_enter(parent_fd, &saved) : step_out(&saved);
	if (r)
		return r;
	if (unshare(CLONE_NEWNET) < 0) {
		r = -errno;
		/* still where we started unless we entered @parent_fd */
		if (parent_fd >= 0)
			netns_leave(saved);
		else
			step_undo(saved);
		return r;
	}
	fd = netns_self();
	netns_leave(saved);
	return fd;
}

int netns_socket(int nsfd, int domain, int type, int proto)
{
	int saved, fd, r;

	if (nsfd < 0) {
		fd = socket(domain, type | SOCK_CLOEXEC, proto);
		return fd < 0 ? -errno : fd;
	}
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
