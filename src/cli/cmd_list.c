// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_list.c - tcplab list: every scenario of the catalogue, one line each
 *
 * Theory of operation: each *.tcp file of the catalogue is parsed (a file
 * that does not parse is reported with its location, and the exit status
 * says so) and its name and title printed, sorted by file name.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "cli.h"
#include "err.h"
#include "scenario.h"

static void list_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab list\n"
		"\n"
		"Every scenario of the catalogue: its name and title, one a line.\n"
		"The catalogue is $TCPLAB_SCENARIOS, else %s.\n"
		"\n"
		"  -h, --help                this text\n",
		catalogue_shipped_dir());
}

/* print one catalogue file's line; 0 or 2 after saying why */
static int list_one(const char *dir, const char *file)
{
	struct err e = { 0 };
	struct scenario *sc;
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (scenario_load(path, &sc, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return ERR_EXIT_USAGE;
	}
	printf("%-16s %s\n", sc->name, sc->title);
	scenario_free(sc);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = catalogue_dir();
	char *names[CLI_MAX_SCENARIOS];
	struct err e = { 0 };
	int n, i, c, status = 0;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			return cli_bad_option(argv[0], c, argv, opts);
		list_usage(stdout);
		return 0;
	}
	if (cli_no_args(argv[0], argc, argv))
		return ERR_EXIT_USAGE;
	n = catalogue_names(dir, names, CLI_MAX_SCENARIOS, &e);
	if (n < 0) {
		fprintf(stderr, "tcplab: %s\n", e.msg);
		return ERR_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		status = cli_worse(status, list_one(dir, names[i]));
		free(names[i]);
	}
	return status;
}
