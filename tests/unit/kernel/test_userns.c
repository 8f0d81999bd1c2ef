// SPDX-License-Identifier: GPL-2.0-or-later
/* test_userns.c - which knob forbids a user namespace, and the id maps */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "userns.h"

static char buf[512];

static void test_map_line(void **state)
{
	char small[8];

	(void)state;
	assert_int_equal(userns_map_build(buf, sizeof(buf), 0, 1000), 9);
	assert_string_equal(buf, "0 1000 1\n");
	assert_int_equal(userns_map_build(buf, sizeof(buf), 0, 4294967294u), 15);
	assert_string_equal(buf, "0 4294967294 1\n");
	assert_int_equal(userns_map_build(small, sizeof(small), 0, 65534), -ENOSPC);
}

static void test_debian_knob(void **state)
{
	struct userns_knobs k = { 0, 15000, -1 };

	(void)state;
	userns_refusal(&k, -EPERM, buf, sizeof(buf));
	assert_non_null(strstr(buf, "kernel.unprivileged_userns_clone=0"));
	assert_non_null(strstr(buf, "sysctl kernel.unprivileged_userns_clone=1"));
	assert_null(strchr(buf, '\n'));
}

static void test_max_zero(void **state)
{
	struct userns_knobs k = { -1, 0, -1 };

	(void)state;
	userns_refusal(&k, -ENOSPC, buf, sizeof(buf));
	assert_non_null(strstr(buf, "user.max_user_namespaces=0"));
	assert_non_null(strstr(buf, "sysctl user.max_user_namespaces="));
}

static void test_apparmor(void **state)
{
	struct userns_knobs k = { -1, 15000, 1 };

	(void)state;
	userns_refusal(&k, -EACCES, buf, sizeof(buf));
	assert_non_null(strstr(buf, "kernel.apparmor_restrict_unprivileged_userns=1"));
	assert_non_null(strstr(buf, "/etc/apparmor.d/tcplab"));
}

static void test_limit_reached(void **state)
{
	struct userns_knobs k = { -1, 15000, 0 };

	(void)state;
	userns_refusal(&k, -ENOSPC, buf, sizeof(buf));
	assert_non_null(strstr(buf, "user.max_user_namespaces"));
	userns_refusal(&k, -EPERM, buf, sizeof(buf));
	assert_non_null(strstr(buf, "Operation not permitted"));
	assert_non_null(strstr(buf, "run tcplab as root"));
}

/* The first knob that forbids wins, whatever the errno */
static void test_order(void **state)
{
	struct userns_knobs k = { 0, 0, 1 };

	(void)state;
	userns_refusal(&k, -ENOSPC, buf, sizeof(buf));
	assert_non_null(strstr(buf, "unprivileged_userns_clone"));
	k.unprivileged_userns_clone = 1;
	userns_refusal(&k, -EPERM, buf, sizeof(buf));
	assert_non_null(strstr(buf, "max_user_namespaces=0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_line),
		cmocka_unit_test(test_debian_knob),
		cmocka_unit_test(test_max_zero),
		cmocka_unit_test(test_apparmor),
		cmocka_unit_test(test_limit_reached),
		cmocka_unit_test(test_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
