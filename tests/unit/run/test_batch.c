// SPDX-License-Identifier: GPL-2.0-or-later
/* test_batch.c - how long a run waits on timers, and the default width */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/resource.h>

#include "batch.h"
#include "err.h"
#include "scenario.h"
#include "util.h"

static struct scenario *parse(const char *text)
{
	struct scenario *sc = NULL;
	struct err e = { 0 };

	assert_int_equal(scenario_parse("t.tcp", text, strlen(text), &sc, &e), 0);
	return sc;
}

#define HEAD "scenario t\ntitle \"t\"\nserver listen 80\n"

/* Each case: a scenario, whether its long steps run, the estimate */
static const struct {
	const char *why, *text;
	int with_long;
	uint64_t want_ms;
} estimates[] = {
	{ "the error at 7 s bounds the retransmissions at 1 s and 3 s",
	  HEAD "firewall server input tcp dport 80 flags SYN drop\n"
	  "client connect server 80\n"
	  "expect client state SYN_SENT port 80 within 50ms\n"
	  "expect client retransmits at 1s,3s port 80\n"
	  "expect client error ETIMEDOUT at 7s\n", 0, 7000 },
	{ "waits add up; a within up to the default deadline is no wait",
	  HEAD "client connect server 80\n"
	  "expect client state ESTABLISHED port 80 within 1s\n"
	  "wait 2s\nwait 500ms\nlong wait 60s\n", 0, 2500 },
	{ "long steps count only when they run",
	  HEAD "client connect server 80\n"
	  "expect client state ESTABLISHED port 80 within 1s\n"
	  "wait 2s\nwait 500ms\nlong wait 60s\n", 1, 62500 },
	{ "a longer bound is a timer waited for (the error within 10 s)",
	  HEAD "firewall server input tcp dport 80 flags SYN drop\n"
	  "client connect server 80\n"
	  "expect client state SYN_SENT port 80 within 50ms\n"
	  "expect client error ETIMEDOUT within 10s\n", 0, 10000 },
	{ "a time \"at\" counts from the last action, after what came before",
	  HEAD "client connect server 80\nwait 2s\nclient close\n"
	  "expect client state CLOSED port 80 within 5s\n"
	  "expect packets client>server flags FIN at 0s\n"
	  "client connect server 80\n"
	  "expect client retransmits at 1s,3s port 80\n", 0, 10000 },
};

static void test_estimate(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(estimates); i++) {
		struct scenario *sc = parse(estimates[i].text);

		print_message("%s\n", estimates[i].why);
		assert_int_equal(batch_estimate_ns(sc, estimates[i].with_long),
				 estimates[i].want_ms * NS_PER_MS);
		scenario_free(sc);
	}
}

static void test_auto_jobs(void **state)
{
	int n;

	(void)state;
	/* never more threads than runs, never none */
	assert_int_equal(batch_auto_jobs(1, 0, 2), 1);
	assert_int_equal(batch_auto_jobs(3, 3, 2), 3);
	n = batch_auto_jobs(100, 10, 2);
	assert_true(n >= 1 && n <= BATCH_MAX_JOBS);
	/* every run that waits on timers has a thread of its own, as long as
	 * the limits leave room (they do on any test machine) */
	n = batch_auto_jobs(44, 10, 2);
	assert_true(n >= 10 && n <= 44);
	/* the open-file limit leaves room for the nodes of the labs: with
	 * 512, 64 kept back, 36 a two-node run, 64 a four-node one (last:
	 * the limit stays lowered) */
	{
		struct rlimit rl = { 512, 512 };

		/* lowering both limits is allowed to anyone */
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
		assert_int_equal(batch_auto_jobs(44, 44, 2), 12);
		assert_int_equal(batch_auto_jobs(44, 44, 4), 7);
		assert_int_equal(batch_auto_jobs(44, 44, 1), 12);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estimate),
		cmocka_unit_test(test_auto_jobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
