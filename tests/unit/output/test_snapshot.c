// SPDX-License-Identifier: GPL-2.0-or-later
/* test_snapshot.c - a kept lab's sockets as ss -tanoi and as JSON */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "snapshot.h"

static struct diag_sock socks[2];
static struct diag_set client = { socks, 1, 1 }, server = { socks + 1, 1, 1 };

static void fill(void)
{
	struct diag_sock *c = &socks[0], *s = &socks[1];

	memset(socks, 0, sizeof(socks));
	c->state = DIAG_SYN_SENT;
	c->timer = DIAG_TIMER_ON;
	c->retrans = 2;
	c->expires_ms = 3996;
	c->wqueue = 1;
	c->inode = 4711;
	c->cookie = 0x2a;
	c->src.family = c->dst.family = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &c->src.v4);
	inet_pton(AF_INET, "198.18.0.2", &c->dst.v4);
	c->src.port = 40312;
	c->dst.port = 80;
	c->has_info = 1;
	c->info.rto_us = 4000000;
	c->info.snd_mss = 524;
	c->info.snd_cwnd = 1;
	c->info.snd_ssthresh = 0x7fffffff;
	c->info.backoff = 2;
	c->info.retrans = 1;
	c->info.total_retrans = 2;
	snprintf(c->cong, sizeof(c->cong), "cubic");
	s->state = DIAG_LISTEN;
	s->wqueue = 128;
	s->src.family = AF_INET;
	s->src.port = 80;
	s->cookie = 0x2b;
}

static char *render(int json)
{
	struct snapshot_node n[2] = {
		{ "client", "198.18.0.1", &client },
		{ "server", "198.18.0.2", &server },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fill();
	if (json)
		assert_int_equal(snapshot_json(f, "syn-sent", 123, n, 2), 0);
	else
		assert_int_equal(snapshot_text(f, n, 2), 0);
	fclose(f);
	return buf;
}

static void test_text(void **state)
{
	char *t = render(0);

	(void)state;
	assert_non_null(strstr(t, "== client (198.18.0.1)\n"));
	assert_non_null(strstr(t, "SYN-SENT         0      1 198.18.0.1:40312"));
	assert_non_null(strstr(t, "timer:(on,3.996s,2) ino:4711 sk:2a\n"));
	assert_non_null(strstr(t, "\t cubic rto:4000 rtt:0/0 mss:524 cwnd:1 bytes_acked:0"));
	assert_non_null(strstr(t, " retrans:1/2 backoff:2\n"));
	assert_null(strstr(t, "ssthresh"));
	assert_non_null(strstr(t, "\n== server (198.18.0.2)\n"));
	assert_non_null(strstr(t, "LISTEN           0    128 0.0.0.0:80                   0.0.0.0:*"));
	free(t);
}

static void test_json(void **state)
{
	char *t = render(1);

	(void)state;
	assert_non_null(strstr(t, "\"lab\": \"syn-sent\""));
	assert_non_null(strstr(t, "\"state\": \"SYN_SENT\""));
	assert_non_null(strstr(t, "\"kind\": \"on\""));
	assert_non_null(strstr(t, "\"expires_ms\": 3996"));
	assert_non_null(strstr(t, "\"retransmits\": 2"));
	assert_non_null(strstr(t, "\"rto_us\": 4000000"));
	assert_non_null(strstr(t, "\"state\": \"LISTEN\""));
	assert_non_null(strstr(t, "\"peer\": null"));
	assert_non_null(strstr(t, "\"info\": null"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
