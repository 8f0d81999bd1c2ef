// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_endpoint.c - the driver's side of the endpoint protocol: an endpoint
 * that answers and then exits (`crash`, `exit`) is heard, whatever it left
 * unread on its control socket; a reset endpoint holds nothing and goes on;
 * a command that asks for a sample gets the node's sockets as they were
 * right after its call
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
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
#include "live.h"
#include "util.h"

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

/* a call that must be answered without an error */
static void call_ok(int fd, struct ep_msg *req)
{
	struct ep_msg rep;

	assert_int_equal(endpoint_call(fd, req, &rep, NULL), 0);
	assert_int_equal(rep.op, req->op);
	assert_int_equal(rep.err, 0);
}

/*
 * EP_RESET on a real endpoint that listens, holds an accepted connection
 * and waits in a second accept: it answers once all is closed (the peer
 * reads the end of the connection, a new connect is refused), and it goes
 * on as a new one (it answers, and listens on the same port again)
 */
static void test_reset(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(8080),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct ep_msg listen_req = { .op = EP_LISTEN, .family = AF_INET,
				     .port = 8080, .arg = 4 };
	struct ep_msg accept_req = { .op = EP_ACCEPT, .conn = 1,
				     .timeout_ns = 1000000000 };
	struct ep_msg waiting = { .op = EP_ACCEPT, .conn = 2,
				  .timeout_ns = 10000000000ull };
	struct ep_msg reset_req = { .op = EP_RESET, .timeout_ns = 1000000000 };
	struct ep_msg ping = { .op = EP_PING };
	struct pollfd p;
	pthread_t th;
	char c;
	int sv[2], cl, again;

	(void)state;
	live_netns();
	pair(sv);
	assert_int_equal(pthread_create(&th, NULL, run_endpoint, &sv[1]), 0);
	call_ok(sv[0], &listen_req);
	cl = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(cl >= 0);
	assert_int_equal(connect(cl, (struct sockaddr *)&sa, sizeof(sa)), 0);
	call_ok(sv[0], &accept_req);
	/* an accept that waits: the reset takes it with the rest */
	assert_int_equal(endpoint_send(sv[0], &waiting), 0);
	call_ok(sv[0], &reset_req);

	/* the accepted connection was closed: its peer reads the end */
	p = (struct pollfd){ .fd = cl, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_int_equal(read(cl, &c, 1), 0);
	close(cl);
	/* the listener was closed */
	again = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(again >= 0);
	assert_int_equal(connect(again, (struct sockaddr *)&sa, sizeof(sa)), -1);
	assert_int_equal(errno, ECONNREFUSED);
	close(again);

	/* and the endpoint goes on, as new */
	call_ok(sv[0], &ping);
	call_ok(sv[0], &listen_req);
	close(sv[0]);
	assert_int_equal(pthread_join(th, NULL), 0);
}

/* the socket of @smp whose local (@local) or remote port is @port */
static const struct diag_sock *sampled(const struct ep_sample *smp,
				       int local, uint16_t port)
{
	uint32_t k;

	for (k = 0; k < smp->h.n; k++)
		if ((local ? smp->v[k].src.port : smp->v[k].dst.port) == port)
			return &smp->v[k];
	return NULL;
}

/*
 * Samples on a real endpoint: listen, connect and close each come back
 * with the node's sockets as sock_diag showed them after the call (the
 * closed connection already in FIN-WAIT, taken after the reply's time; a
 * connect the sample shows completed told before the reply);
 * a command that asks for none leaves the caller's sample alone, and one
 * that asks while the caller reads none is read whole all the same
 */
static void test_sample(void **state)
{
	struct ep_msg listen_req = { .op = EP_LISTEN, .family = AF_INET,
				     .port = 8081, .arg = 4,
				     .sample = AF_INET };
	struct ep_msg conn_req = { .op = EP_CONNECT, .family = AF_INET,
				   .port = 8081, .arg = 1, .sample = AF_INET };
	struct ep_msg accept_req = { .op = EP_ACCEPT, .conn = 1,
				     .timeout_ns = 1000000000 };
	struct ep_msg close_req = { .op = EP_CLOSE, .sample = AF_INET };
	struct ep_msg ping = { .op = EP_PING, .sample = AF_INET };
	struct ep_msg received = { .op = EP_RECEIVED, .conn = 1 };
	struct ep_msg look = { .op = EP_PING, .sample = AF_INET }, look_rep;
	uint64_t deadline;
	static struct ep_sample smp;
	struct ep_events ev = { .n = 0 };
	const struct diag_sock *d;
	struct ep_msg rep;
	pthread_t th;
	uint16_t lport;
	int sv[2], fin_timeout;

	(void)state;
	live_netns();
	/*
	 * In this test's own namespace, an orphaned FIN_WAIT2 is kept as the
	 * full socket (a FIN_WAIT2 time over TIME_WAIT's 60 s), not swapped
	 * for a timewait socket the moment its FIN is acknowledged: a dump
	 * that collects a socket just before that swap fills its message
	 * after it, so the sample would show it in CLOSE with no local port,
	 * and the timewait socket not at all (now and then).
	 */
	fin_timeout = open("/proc/sys/net/ipv4/tcp_fin_timeout", O_WRONLY | O_CLOEXEC);
	assert_true(fin_timeout >= 0);
	assert_int_equal(write(fin_timeout, "61", 2), 2);
	close(fin_timeout);
	pair(sv);
	inet_pton(AF_INET, "127.0.0.1", conn_req.addr);
	assert_int_equal(pthread_create(&th, NULL, run_endpoint, &sv[1]), 0);

	assert_int_equal(endpoint_call_sampled(sv[0], &listen_req, &rep, NULL,
					       &smp), 0);
	assert_int_equal(rep.err, 0);
	assert_int_equal(smp.h.err, 0);
	d = sampled(&smp, 1, 8081);
	assert_non_null(d);
	assert_int_equal(d->state, DIAG_LISTEN);
	assert_true(smp.h.asked_ns >= rep.t_ns && smp.h.t_ns >= smp.h.asked_ns);

	assert_int_equal(endpoint_call_sampled(sv[0], &conn_req, &rep, &ev,
					       &smp), 0);
	assert_true(rep.err == 0 || rep.err == EINPROGRESS);
	assert_int_equal(smp.h.err, 0);
	lport = rep.lport;
	d = sampled(&smp, 1, lport);
	assert_non_null(d);
	assert_true(d->state == DIAG_SYN_SENT || d->state == DIAG_ESTABLISHED);
	assert_non_null(sampled(&smp, 1, 8081)); /* the listener too */
	/* a connect in progress is told done before the first reply whose
	 * sample shows it ESTABLISHED; one done within the call has nothing
	 * to tell */
	deadline = util_now_ns() + NS_PER_S;
	while (rep.err == EINPROGRESS && d->state != DIAG_ESTABLISHED) {
		assert_true(util_now_ns() < deadline);
		assert_int_equal(endpoint_call_sampled(sv[0], &look, &look_rep,
						       &ev, &smp), 0);
		d = sampled(&smp, 1, lport);
		assert_non_null(d);
	}
	assert_int_equal(ev.n, rep.err == EINPROGRESS ? 1 : 0);
	if (ev.n) {
		assert_int_equal(ev.v[0].op, EP_CONNECT);
		assert_int_equal(ev.v[0].err, 0);
	}
	call_ok(sv[0], &accept_req);

	assert_int_equal(endpoint_call_sampled(sv[0], &close_req, &rep, NULL,
					       &smp), 0);
	assert_int_equal(rep.err, 0);
	assert_int_equal(smp.h.err, 0);
	d = sampled(&smp, 1, lport);
	assert_non_null(d);
	assert_true(d->state == DIAG_FIN_WAIT1 || d->state == DIAG_FIN_WAIT2);
	assert_true(smp.h.asked_ns >= rep.t_ns);

	/* no sample asked for: the caller's stays as it was */
	ping.sample = 0;
	smp.h.err = 12345;
	assert_int_equal(endpoint_call_sampled(sv[0], &ping, &rep, NULL, &smp),
			 0);
	assert_int_equal(smp.h.err, 12345);
	/* one asked for but not read: the next answer is still the next */
	ping.sample = AF_INET;
	call_ok(sv[0], &ping);
	call_ok(sv[0], &received);
	close(sv[0]);
	assert_int_equal(pthread_join(th, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_before_reset),
		cmocka_unit_test(test_gone_without_answer),
		cmocka_unit_test(test_exit_with_message_queued),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
