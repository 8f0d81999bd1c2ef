// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_show.c - tcplab show: what scenarios do, without running them
 *
 * Theory of operation: each scenario argument is loaded and explained
 * (show_scenario()): what it teaches, the sysctls it sets, each firewall
 * rule in the syntaxes a person would type.  A scenario that does not load
 * is reported and skipped; the others are still shown.
 */
#include <getopt.h>
#include <stdio.h>

#include "catalogue.h"
#include "cli.h"
#include "err.h"
#include "scenario.h"
#include "show.h"

static void show_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab show NAME|FILE ...\n"
		"\n"
		"What each scenario is about, without running it: what it teaches,\n"
		"the sysctls it sets, and each firewall rule as nft, iptables and\n"
		"ip6tables would write it.\n"
		"\n"
		"  -h, --help                this text\n");
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int i, c, status = 0;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			return cli_bad_option(argv[0], c, argv, opts);
		show_usage(stdout);
		return 0;
	}
	if (optind >= argc) {
		fprintf(stderr, "tcplab: show needs at least one scenario\n");
		return ERR_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		struct err e = { 0 };
		struct scenario *sc;
		char path[4096];

		catalogue_resolve(argv[i], path, sizeof(path));
		if (scenario_load(path, &sc, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			status = ERR_EXIT_USAGE;
			continue;
		}
		if (i > optind)
			putchar('\n');
		if (show_scenario(stdout, sc))
			status = ERR_EXIT_INTERNAL;
		scenario_free(sc);
	}
	return status;
}
