// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_netns.c - the way back from a lab namespace: every step out comes
 * back to the namespace the thread lives in - nested, after a move (into a
 * namespace or a new one), on a thread of its own, in a process made by
 * fork() - and a failed step moves nothing
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sockios.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "live.h"
#include "netns.h"

/* the inode of the calling thread's network namespace */
static ino_t here(void)
{
	struct stat st;

	assert_int_equal(stat("/proc/thread-self/ns/net", &st), 0);
	return st.st_ino;
}

static ino_t ino_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

/* in and out of @a, then of @a and @b nested, coming back to @home each time */
/* the inode of the namespace socket @fd was made in; @fd is closed */
static ino_t sock_ns(int fd)
{
	int ns;
	ino_t i;

	assert_true(fd >= 0);
	ns = ioctl(fd, SIOCGSKNS);
	assert_true(ns >= 0);
	i = ino_of(ns);
	close(ns);
	close(fd);
	return i;
}

static void steps(int a, int b, ino_t home)
{
	int s1, s2;

	assert_int_equal(netns_enter(a, &s1), 0);
	assert_true(here() == ino_of(a));
	netns_leave(s1);
	assert_true(here() == home);
	assert_int_equal(netns_enter(a, &s1), 0);
	assert_int_equal(netns_enter(b, &s2), 0);
	assert_true(here() == ino_of(b));
	netns_leave(s2);
	assert_true(here() == ino_of(a));
	netns_leave(s1);
	assert_true(here() == home);
	/* a step that fails moves nothing, and the next one still comes back */
	assert_int_equal(netns_enter(-1, &s1), -EBADF);
	assert_true(here() == home);
	assert_int_equal(netns_enter(b, &s1), 0);
	netns_leave(s1);
	assert_true(here() == home);
}

struct two {
	int a, b;
};

static void *thread_steps(void *p)
{
	struct two *t = p;

	steps(t->a, t->b, here());
	return NULL;
}

static void test_way_back(void **state)
{
	struct two t;
	pthread_t th;
	ino_t first, fresh;
	int st, home;
	pid_t pid;

	(void)state;
	live_netns();
	first = here();
	t.a = netns_new(-1);
	t.b = netns_new(t.a);
	assert_true(t.a >= 0 && t.b >= 0);
	assert_true(here() == first);
	steps(t.a, t.b, first);
	/* another thread comes back to its own */
	assert_int_equal(pthread_create(&th, NULL, thread_steps, &t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* a child of fork() whose fds were closed and reused comes back too */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd;

		for (fd = 3; fd < 64; fd++)
			if (fd != t.a && fd != t.b)
				close(fd);
		steps(t.a, t.b, first);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* a move makes the new namespace home: steps come back there */
	home = netns_self();
	assert_true(home >= 0);
	assert_int_equal(netns_move(t.b), 0);
	assert_true(here() == ino_of(t.b));
	steps(t.a, t.b, ino_of(t.b));
	assert_int_equal(netns_move(home), 0);
	assert_true(here() == first);
	steps(t.a, t.b, first);
	/* and so does a new namespace of the thread's own */
	assert_int_equal(netns_move_new(), 0);
	assert_true(here() != first);
	fresh = here();
	steps(t.a, t.b, fresh);
	assert_int_equal(netns_move(home), 0);
	steps(t.a, t.b, first);
	/* a socket is made in the namespace asked for, or (-1) in the one
	 * the thread is in, without a step */
	assert_true(sock_ns(netns_socket(t.a, AF_INET, SOCK_DGRAM, 0)) == ino_of(t.a));
	assert_true(sock_ns(netns_socket(-1, AF_INET, SOCK_DGRAM, 0)) == first);
	assert_int_equal(netns_move(t.b), 0);
	assert_true(sock_ns(netns_socket(-1, AF_INET, SOCK_DGRAM, 0)) == ino_of(t.b));
	assert_int_equal(netns_move(home), 0);
	close(home);
	close(t.a);
	close(t.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_way_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
