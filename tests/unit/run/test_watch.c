// SPDX-License-Identifier: GPL-2.0-or-later
/* test_watch.c - the lines watch prints for a socket that came, changed, went */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "watch.h"

static struct diag_sock sock(int state)
{
	struct diag_sock s = { .state = (uint8_t)state };

	s.src.family = s.dst.family = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &s.src.v4);
	inet_pton(AF_INET, "198.18.0.2", &s.dst.v4);
	s.src.port = 40312;
	s.dst.port = 80;
	return s;
}

static void test_lines(void **state)
{
	struct diag_sock a = sock(DIAG_SYN_SENT), b = sock(DIAG_ESTABLISHED);
	char buf[256];

	(void)state;
	a.timer = DIAG_TIMER_ON;
	a.expires_ms = 1000;
	watch_state_line(buf, sizeof(buf), NULL, &a);
	assert_string_equal(buf, "SYN_SENT                 198.18.0.1:40312 > "
				 "198.18.0.2:80  timer:(on,1.000s,0)");
	watch_state_line(buf, sizeof(buf), &a, &b);
	assert_string_equal(buf, "SYN_SENT -> ESTABLISHED  198.18.0.1:40312 > "
				 "198.18.0.2:80");
	watch_state_line(buf, sizeof(buf), &b, NULL);
	assert_string_equal(buf, "ESTABLISHED -> gone      198.18.0.1:40312 > "
				 "198.18.0.2:80");
	b = a;
	b.retrans = 1;
	b.expires_ms = 1996;
	watch_state_line(buf, sizeof(buf), &a, &b);
	assert_string_equal(buf, "SYN_SENT, retransmit 1   198.18.0.1:40312 > "
				 "198.18.0.2:80  timer:(on,1.996s,1)");
	a = sock(DIAG_LISTEN);
	watch_state_line(buf, sizeof(buf), NULL, &a);
	assert_string_equal(buf, "LISTEN                   198.18.0.1:40312 > *");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
