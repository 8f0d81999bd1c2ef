// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_impair.c - each packet's fate under an impairment: the same seed
 * gives the same losses, the rate is a link packets queue for, the delay
 * comes after it, and the draws of one kind never shift another's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "impair.h"

/* Which of the first @n packets a rule loses, as a bit mask */
static uint64_t losses(const struct rule_impair *m, int n)
{
	struct impair_state s;
	uint64_t mask = 0;
	int i;

	impair_start(&s, m);
	for (i = 0; i < n; i++) {
		struct impair_decision d;

		impair_decide(&s, m, 0, 1000, &d);
		if (d.drop)
			mask |= 1ULL << i;
	}
	return mask;
}

static void test_seeded(void **state)
{
	struct rule_impair m = { .loss_ppm = 200000, .seed = 13 };
	struct rule_impair other = m, dup = m;
	int i, lost = 0;

	(void)state;
	/* the catalogue's seeded-loss: the 2nd and 5th of the first ten */
	assert_int_equal(losses(&m, 10), (1 << 1) | (1 << 4));
	/* the same run after run */
	assert_int_equal(losses(&m, 64), losses(&m, 64));
	/* another seed, another pattern (not the same one shifted) */
	other.seed = 14;
	assert_int_not_equal(losses(&other, 64), losses(&m, 64));
	assert_int_not_equal(losses(&other, 64), losses(&m, 64) >> 1);
	assert_int_not_equal(losses(&other, 64) >> 1, losses(&m, 64));
	/* duplicating as well draws from its own numbers: the losses stay */
	dup.dup_ppm = 500000;
	assert_int_equal(losses(&dup, 64), losses(&m, 64));
	/* about the asked share over many packets */
	for (i = 0; i < 64 * 100; i += 64) {
		struct rule_impair k = { .loss_ppm = 200000, .seed = (uint32_t)i };

		lost += __builtin_popcountll(losses(&k, 64));
	}
	assert_in_range(lost, 6400 * 17 / 100, 6400 * 23 / 100);
	/* 100% loses everything, no loss nothing */
	m.loss_ppm = RULE_PPM;
	assert_int_equal(losses(&m, 64), UINT64_MAX);
	m.loss_ppm = 0;
	assert_int_equal(losses(&m, 64), 0);
}

static void test_draw_range(void **state)
{
	struct rule_impair m = { .seed = 0 };
	struct impair_state s;
	int i;

	(void)state;
	impair_start(&s, &m);
	for (i = 0; i < 100000; i++)
		assert_true(impair_draw(&s) < RULE_PPM);
}

static void test_delay_rate(void **state)
{
	/* 80 kbit/s: 1000 bytes take 100 ms on the link */
	struct rule_impair m = { .delay_ns = 50000000ULL, .rate_bps = 80000 };
	struct impair_state s;
	struct impair_decision d;

	(void)state;
	impair_start(&s, &m);
	impair_decide(&s, &m, 1000000000ULL, 1000, &d);
	assert_false(d.drop);
	assert_int_equal(d.release_ns, 1000000000ULL + 100000000ULL + 50000000ULL);
	/* a second one at once queues behind the first */
	impair_decide(&s, &m, 1000000000ULL, 1000, &d);
	assert_int_equal(d.release_ns, 1000000000ULL + 200000000ULL + 50000000ULL);
	/* one after the link is idle again waits only for itself */
	impair_decide(&s, &m, 2000000000ULL, 500, &d);
	assert_int_equal(d.release_ns, 2000000000ULL + 50000000ULL + 50000000ULL);
	/* delay alone: arrival plus delay */
	m.rate_bps = 0;
	impair_start(&s, &m);
	impair_decide(&s, &m, 7, 1500, &d);
	assert_int_equal(d.release_ns, 7 + 50000000ULL);
	assert_false(d.duplicate);
	assert_false(d.reorder);
}

static void test_dup_reorder(void **state)
{
	struct rule_impair m = { .dup_ppm = RULE_PPM, .reorder_ppm = RULE_PPM };
	struct impair_state s;
	struct impair_decision d;

	(void)state;
	impair_start(&s, &m);
	impair_decide(&s, &m, 5, 100, &d);
	assert_true(d.duplicate);
	assert_true(d.reorder);
	assert_int_equal(d.release_ns, 5);
	assert_int_equal(s.n, 1);
}

static void test_format(void **state)
{
	struct rule_impair m = { .delay_ns = 50000000ULL, .loss_ppm = 5000,
				 .dup_ppm = 123400, .reorder_ppm = RULE_PPM,
				 .rate_bps = 100000, .seed = 9 };
	char buf[128];

	(void)state;
	rule_impair_format(&m, buf, sizeof(buf));
	assert_string_equal(buf, "delay 50ms loss 0.5% duplicate 12.34% "
			    "reorder 100% rate 100kbit seed 9");
	assert_string_equal(rule_pct_format(1, buf, sizeof(buf)), "0.0001%");
	assert_string_equal(rule_rate_format(1500, buf, sizeof(buf)), "1500bit");
	assert_string_equal(rule_rate_format(2000000, buf, sizeof(buf)), "2mbit");
	assert_string_equal(rule_rate_format(10000000000ULL, buf, sizeof(buf)),
			    "10gbit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeded),
		cmocka_unit_test(test_draw_range),
		cmocka_unit_test(test_delay_rate),
		cmocka_unit_test(test_dup_reorder),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
