// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_report.c - tcplab report: one HTML or Markdown page of what happened
 *
 * Theory of operation: the scenarios run like check runs them (in
 * parallel, both families, one lab each; cmd_check.c), with their pcaps
 * saved so the page can link them, and each run's text on stderr as it
 * would be printed by run; then one page is written: for each run its
 * verdict, steps, ladder, socket tables, rules and counters.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "fw.h"
#include "report.h"
#include "results.h"

enum {
	OPT_FORMAT = CLI_LONG_ONLY,
};

static void report_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab report [options] [NAME|FILE ...]\n"
		"\n"
		"Run scenarios (all of the catalogue when none is named) and write one\n"
		"page of what happened: verdicts, steps, ladders, sockets, rules.\n"
		"\n"
		"  -o, --output FILE         where the page goes (default report.html;\n"
		"                            - for stdout)\n"
		"      --format html|md      HTML (default) or Markdown\n"
		"  -f, --family 4|6|both     address families (default both)\n"
		"  -F, --firewall BACKEND    firewall backend: %s, or all (default nftables)\n"
		"  -s, --slow FACTOR|auto    widen every deadline by FACTOR (>= 1), or\n"
		"                            by this machine's measured slowness\n"
		"  -c, --captures DIR        save pcaps under DIR/RUN-ID (default: captures)\n"
		"  -h, --help                this text\n"
		"\n"
		"Exit status: 0 all held, 1 an expectation failed (the page is written\n"
		"all the same), 2 usage or scenario error, 3 environment, 4 internal.\n",
		fw_backend_names());
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "family", required_argument, NULL, 'f' },
		{ "firewall", required_argument, NULL, 'F' },
		{ "slow", required_argument, NULL, 's' },
		{ "captures", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int (*writer)(FILE *, const struct results *) = report_html;
	const char *output = "report.html";
	struct results all = { 0 };
	struct cli_batch_args a;
	int c, status;

	cli_batch_args_init(&a, "captures");
	while ((c = getopt_long(argc, argv, ":o:f:F:s:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "html") && strcmp(optarg, "md")) {
				fprintf(stderr, "tcplab: --format takes html or md\n");
				return ERR_EXIT_USAGE;
			}
			writer = !strcmp(optarg, "md") ? report_md : report_html;
			break;
		case 'h':
			report_usage(stdout);
			return 0;
		default:
			status = cli_batch_option(c, optarg, &a);
			if (status == 1)
				return cli_bad_option(argv[0], c, argv, opts);
			if (status)
				return status;
		}
	}
	status = cli_batch_prepare(argc - optind, argv + optind, &a);
	if (status)
		return status;
	status = cli_batch_run(&a, &all, stderr);
	status = cli_worse(status, cli_write_file(output, writer, &all));
	fprintf(stderr, "tcplab: report written to %s\n", output);
	results_free(&all);
	cli_batch_free(&a);
	return status;
}
