// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_endpoint.c - the driver's side of the endpoint protocol: an endpoint
 * that answers and then exits (`crash`, `exit`) is heard, whatever it left
 * unread on its control socket
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "endpoint.h"

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sv), 0);
}

/* The endpoint answers, then closes with one message of ours unread: the
 * kernel marks our socket ECONNRESET and reports that before the answer */
static void test_answer_before_reset(void **state)
{
	struct ep_msg req = { .op = EP_EXIT }, extra = { .op = EP_PING };
	struct ep_msg got, ans = { .op = EP_EXIT, .t_ns = 1234 }, rep;
	int sv[2];

	(void)state;
	pair(sv);
	assert_int_equal(endpoint_send(sv[0], &req), 0);
	assert_int_equal(endpoint_send(sv[0], &extra), 0);
	assert_int_equal(recv(sv[1], &got, sizeof(got), 0), (ssize_t)sizeof(got));
	assert_int_equal(send(sv[1], &ans, sizeof(ans), 0), (ssize_t)sizeof(ans));
	close(sv[1]); /* `extra` still unread */
	assert_int_equal(endpoint_reply(sv[0], &req, &rep, NULL), 0);
	assert_int_equal(rep.op, EP_EXIT);
	assert_int_equal(rep.t_ns, 1234);
	/* and then the endpoint is gone, as before */
	assert_int_equal(endpoint_reply(sv[0], &req, &rep, NULL), -ECONNRESET);
	close(sv[0]);
}

/* An endpoint gone without an answer is still an error */
static void test_gone_without_answer(void **state)
{
	struct ep_msg req = { .op = EP_PING }, rep;
	int sv[2];

	(void)state;
	pair(sv);
	assert_int_equal(endpoint_send(sv[0], &req), 0);
	close(sv[1]); /* the request unread: reset */
	assert_int_equal(endpoint_reply(sv[0], &req, &rep, NULL), -ECONNRESET);
	close(sv[0]);
}

static void *run_endpoint(void *arg)
{
	endpoint_main(*(int *)arg, NULL);
	return NULL;
}

/* The real endpoint told to exit while a second message waits for it */
static void test_exit_with_message_queued(void **state)
{
	struct ep_msg req = { .op = EP_EXIT, .timeout_ns = 1000000000 };
	struct ep_msg extra = { .op = EP_PING }, rep;
	pthread_t th;
	int sv[2], i;

	(void)state;
	for (i = 0; i < 50; i++) {
		pair(sv);
		assert_int_equal(endpoint_send(sv[0], &req), 0);
		assert_int_equal(endpoint_send(sv[0], &extra), 0);
		assert_int_equal(pthread_create(&th, NULL, run_endpoint, &sv[1]), 0);
		assert_int_equal(endpoint_reply(sv[0], &req, &rep, NULL), 0);
		assert_int_equal(rep.op, EP_EXIT);
		assert_int_equal(pthread_join(th, NULL), 0);
		close(sv[0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_before_reset),
		cmocka_unit_test(test_gone_without_answer),
		cmocka_unit_test(test_exit_with_message_queued),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
