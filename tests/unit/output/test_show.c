// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_show.c - a scenario explained: layout, wrapping, both syntaxes
 *
 * scenarios/syn-recv.tcp, parsed under the name "scenarios/syn-recv.tcp"
 * (so that the file:line shown does not depend on where the tree is), is
 * printed by show_scenario() and compared with tests/data/show/syn-recv.txt.
 * Regenerate with TCPLAB_UPDATE_GOLDEN=1 and review the diff.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "scenario.h"
#include "show.h"

#define GOLDEN_DIR TESTS_DATA_DIR "/show"

/**
 * load() - parse scenarios/@name.tcp under a stable file name
 * @name:	scenario name
 *
 * Return: the AST.
 */
static struct scenario *load(const char *name)
{
	static char text[65536];
	char path[512], shown[128];
	struct err e = { 0 };
	struct scenario *sc;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.tcp", SCENARIO_DIR, name);
	snprintf(shown, sizeof(shown), "scenarios/%s.tcp", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (scenario_parse(shown, text, n, &sc, &e))
		fail_msg("%s", e.msg);
	return sc;
}

/**
 * show_to_string() - show_scenario() into a string (free() it)
 * @sc:		the scenario
 *
 * Return: the text.
 */
static char *show_to_string(const struct scenario *sc)
{
	struct golden_capture c;

	assert_int_equal(show_scenario(golden_capture_open(&c), sc), 0);
	return golden_capture_close(&c);
}

/**
 * test_syn_recv() - the golden output of a shipped scenario
 * @state:	unused
 */
static void test_syn_recv(void **state)
{
	struct scenario *sc = load("syn-recv");
	char *text = show_to_string(sc);

	(void)state;
	golden_check(GOLDEN_DIR, "syn-recv.txt", text);
	/* the promises, spelled out */
	assert_non_null(strstr(text, "scenarios/syn-recv.tcp:12  client: "));
	assert_non_null(strstr(text, "\n    nft add rule inet tcplab input "));
	assert_non_null(strstr(text, "\n    iptables -A INPUT -p tcp --sport 80 "
				     "--tcp-flags FIN,SYN,RST,ACK SYN,ACK "
				     "-j DROP\n"));
	assert_non_null(strstr(text, "\n    ip6tables -A INPUT "));
	free(text);
	scenario_free(sc);
}

/**
 * test_every_scenario() - each shipped scenario shows, and no line but a
 * command or a file:line reference is wider than SHOW_COLUMNS
 * @state:	unused
 */
static void test_every_scenario(void **state)
{
	struct dirent *d;
	size_t count = 0;
	DIR *dir = opendir(SCENARIO_DIR);

	(void)state;
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		size_t len = strlen(d->d_name);
		char name[256], *text, *line, *save = NULL;
		struct scenario *sc;

		if (len < 5 || strcmp(d->d_name + len - 4, ".tcp"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 4), d->d_name);
		sc = load(name);
		text = show_to_string(sc);
		assert_non_null(strstr(text, name));
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strstr(line, "tables -A ") ||
			    strstr(line, "nft add rule") ||
			    strstr(line, ".tcp:"))
				continue;
			if (strlen(line) > SHOW_COLUMNS)
				fail_msg("%s: line too wide: %s", name, line);
		}
		free(text);
		scenario_free(sc);
		count++;
	}
	closedir(dir);
	assert_true(count >= 4);
}

/**
 * test_wrap() - word wrapping: width, indent, long words, folded blanks
 * @state:	unused
 */
static void test_wrap(void **state)
{
	struct golden_capture c;
	char long_word[100];
	char *text;
	FILE *f;

	(void)state;
	memset(long_word, 'x', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = '\0';

	f = golden_capture_open(&c);
	show_wrap(f, "  one\n\t two   three  ", 4);
	show_wrap(f, "", 2);
	show_wrap(f, long_word, 2);
	text = golden_capture_close(&c);
	assert_string_equal(text, "    one two three\n"
				  "  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				  "xxxxxxxxxxxxxxxxxxx\n");
	free(text);

	/* 26 words of 2 letters with indent 2: 25 fit in 76 columns */
	f = golden_capture_open(&c);
	show_wrap(f, "aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa aa "
		     "aa aa aa aa aa aa aa bb", 2);
	text = golden_capture_close(&c);
	assert_int_equal(strchr(text, '\n') - text, 76);
	assert_string_equal(strchr(text, '\n'), "\n  bb\n");
	free(text);
}

/**
 * test_sysctls_and_nothing() - a scenario with sysctls and no rule
 * @state:	unused
 */
static void test_sysctls_and_nothing(void **state)
{
	struct scenario_sysctl sysctl = {
		.node = 0, .key = "net.ipv4.tcp_syn_retries", .value = "2",
		.loc = { "x.tcp", 3, 1 },
	};
	struct scenario sc = { .name = "x", .nnodes = 1,
			       .nodes = { "client" }, .sysctls = &sysctl,
			       .nsysctls = 1 };
	char *text = show_to_string(&sc);

	(void)state;
	assert_string_equal(text, "x\n"
				  "\n"
				  "teaches:\n"
				  "  (nothing written)\n"
				  "\n"
				  "sysctls:\n"
				  "  client net.ipv4.tcp_syn_retries=2  "
				  "(x.tcp:3)\n"
				  "\n"
				  "firewall rules:\n"
				  "  (none)\n");
	free(text);
}

/**
 * main() - run the show tests
 *
 * Return: the number of failed tests.
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_recv),
		cmocka_unit_test(test_every_scenario),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_sysctls_and_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
