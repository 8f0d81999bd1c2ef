// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_report.c - tcplab report: one HTML or Markdown page of what happened
 *
 * Theory of operation: the scenarios run like check runs them (in
 * parallel, both families, one lab each; cmd_check.c), with their pcaps
 * saved so the page can link them; each run's text goes to stderr only
 * with -v (report is as quiet as check).  Then one page is written (the
 * writers are report.c's).  With -o DIR/ (a trailing slash, or a
 * directory that exists) the page is DIR/report.html (or .md) and the
 * pcaps go under DIR/pcaps/, so that the folder can be zipped or
 * published; every pcap is linked by a path relative to the page's
 * directory, wherever it was saved.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "err.h"
#include "fw.h"
#include "report.h"
#include "results.h"
#include "results_json.h"
#include "util.h"

enum {
	OPT_FORMAT = CLI_LONG_ONLY,
};

static void report_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab report [options] [NAME|FILE ...]\n"
		"       tcplab report [-o FILE|DIR/] [--format html|md] A.json B.json ...\n"
		"\n"
		"Run scenarios (all of the catalogue when none is named) and write one\n"
		"page of what happened: verdicts, steps, ladders, sockets, rules.\n"
		"Given 2 to 16 results of `tcplab check --json` instead (one per kernel:\n"
		"this machine's is one column, lab/kernels' VMs the others), run nothing\n"
		"and write a kernel x scenario matrix with the differences drawn.\n"
		"\n"
		"  -o, --output FILE|DIR/    where the page goes (default report.html;\n"
		"                            - for stdout); DIR/: DIR/report.html, and\n"
		"                            the pcaps under DIR/pcaps, linked relatively\n"
		"      --format html|md      HTML (default) or Markdown\n"
		"  -f, --family 4|6|both     address families (default both)\n"
		"  -F, --firewall BACKEND    firewall backend: %s, or all (default nftables)\n"
		"  -s, --slow FACTOR|auto    widen every deadline by FACTOR (>= 1), or\n"
		"                            by this machine's measured slowness\n"
		"  -c, --captures DIR        save pcaps under DIR/RUN-ID (default: captures,\n"
		"                            or DIR/pcaps with -o DIR/)\n"
		"  -v, --verbose             each run's text to stderr\n"
		"  -h, --help                this text\n"
		"\n"
		"Exit status: 0 all held, 1 an expectation failed (the page is written\n"
		"all the same), 2 usage or scenario error, 3 environment, 4 internal.\n",
		fw_backend_names());
}

/**
 * output_dir() - is @output a directory (a trailing slash, or one that
 * exists)?  Then create it and put the page's path in @page
 * @output:	the -o argument
 * @md:		Markdown
 * @page:	output: DIR/report.html or DIR/report.md
 * @len:	its size
 *
 * Return: 1 if a directory, 0 if not, -1 after saying why it cannot be made
 */
static int output_dir(const char *output, int md, char *page, size_t len)
{
	size_t n = strlen(output);
	struct stat st;

	if (!n || strcmp(output, "-") == 0)
		return 0;
	if (output[n - 1] != '/' && (stat(output, &st) || !S_ISDIR(st.st_mode)))
		return 0;
	if (mkdir(output, 0755) && errno != EEXIST) {
		fprintf(stderr, "tcplab: cannot create %s: %s\n", output,
			strerror(errno));
		return -1;
	}
	snprintf(page, len, "%s%sreport.%s", output,
		 output[n - 1] == '/' ? "" : "/", md ? "md" : "html");
	return 1;
}

/**
 * relative_pcaps() - each run's pcap paths relative to the directory of
 * @page (the current directory for stdout)
 * @page:	where the page goes
 * @all:	the results
 *
 * Return: 0, or 4 after saying why
 */
static int relative_pcaps(const char *page, struct results *all)
{
	char dir[PATH_MAX], copy[PATH_MAX], abs[PATH_MAX], rel[PATH_MAX];
	size_t i;
	int k;

	snprintf(copy, sizeof(copy), "%s", strcmp(page, "-") ? page : "./-");
	if (!realpath(dirname(copy), dir)) {
		fprintf(stderr, "tcplab: %s: %s\n", page, strerror(errno));
		return ERR_EXIT_INTERNAL;
	}
	for (i = 0; i < all->nruns; i++)
		for (k = 0; k < 4; k++) {
			char *p = all->runs[i].pcap[k];

			if (!p[0] || !realpath(p, abs))
				continue;
			if (util_rel_path(dir, abs, rel, sizeof(rel)) ||
			    strlen(rel) >= sizeof(all->runs[i].pcap[k]))
				continue;
			snprintf(p, sizeof(all->runs[i].pcap[k]), "%s", rel);
		}
	return 0;
}

/**
 * is_results() - is operand @arg a results file (a name ending in .json)?
 * @arg:	an operand
 *
 * Return: 1 if so
 */
static int is_results(const char *arg)
{
	size_t n = strlen(arg);

	return n > 5 && !strcmp(arg + n - 5, ".json");
}

/* The kernels' comparison for the page writers */
static struct {
	struct compare c;
	const struct results *r;
} kernels;

static int kernels_html(FILE *f, const struct results *unused)
{
	(void)unused;
	return compare_page(f, &kernels.c, kernels.r);
}

static int kernels_md(FILE *f, const struct results *unused)
{
	(void)unused;
	fprintf(f, "# tcplab: %d kernels compared\n\n```\n", kernels.c.nk);
	compare_text(f, &kernels.c, 1);
	fputs("```\n", f);
	return ferror(f) ? -EIO : 0;
}

/**
 * report_kernels() - the page of several kernels' results: nothing is run
 * @output:	where the page goes
 * @md:		Markdown
 * @files:	the results files
 * @n:		how many
 *
 * Return: exit status (1 when the kernels differ in behaviour)
 */
static int report_kernels(const char *output, int md, char **files, int n)
{
	struct results r[COMPARE_MAX_KERNELS];
	char labels[COMPARE_MAX_KERNELS][160];
	const char *lp[COMPARE_MAX_KERNELS];
	struct err e = { 0 };
	int k, j, status;

	if (n < 2 || n > COMPARE_MAX_KERNELS) {
		fprintf(stderr, "tcplab: report compares 2 to %d results files, not "
			"%d (nothing was run)\n", COMPARE_MAX_KERNELS, n);
		return ERR_EXIT_USAGE;
	}
	memset(r, 0, sizeof(r));
	for (k = 0; k < n; k++)
		if (json_read_observed(files[k], &r[k], &e)) {
			fprintf(stderr, "tcplab: %s: %s\n", files[k], e.msg);
			while (k-- > 0)
				results_free(&r[k]);
			return ERR_EXIT_USAGE;
		}
	for (k = 0; k < n; k++) {
		int dup = 0;

		for (j = 0; j < n; j++)
			dup |= j != k && !strcmp(r[j].kernel, r[k].kernel);
		if (dup)
			snprintf(labels[k], sizeof(labels[k]), "%.100s (%.50s)",
				 r[k].kernel, files[k]);
		else
			snprintf(labels[k], sizeof(labels[k]), "%.150s", r[k].kernel);
		lp[k] = labels[k];
	}
	if (compare_build(&kernels.c, r, lp, n, &e)) {
		fprintf(stderr, "tcplab: %s\n", e.msg);
		status = ERR_EXIT_INTERNAL;
	} else {
		kernels.r = r;
		status = cli_write_file(output, md ? kernels_md : kernels_html, NULL);
		if (!status) {
			fprintf(stderr, "tcplab: report written to %s\n", output);
			if (compare_drift(&kernels.c))
				status = ERR_EXIT_FAIL;
		}
		compare_free(&kernels.c);
	}
	for (k = 0; k < n; k++)
		results_free(&r[k]);
	return status;
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
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int (*writer)(FILE *, const struct results *) = report_html;
	const char *output = "report.html";
	struct results all = { 0 };
	struct cli_batch_args a;
	char page[PATH_MAX], pcaps[PATH_MAX];
	int c, status, verbose = 0, capdir_set = 0, dir, nres = 0, i;

	cli_batch_args_init(&a, "captures");
	while ((c = getopt_long(argc, argv, ":o:f:F:s:c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'v':
			verbose = 1;
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
			capdir_set |= c == 'c';
			status = cli_batch_option(c, optarg, &a);
			if (status == 1)
				return cli_bad_option(argv[0], c, argv, opts);
			if (status)
				return status;
		}
	}
	for (i = optind; i < argc; i++)
		nres += is_results(argv[i]);
	if (nres && nres != argc - optind) {
		fprintf(stderr, "tcplab: report takes scenarios to run or results "
			"files to compare, not both (nothing was run)\n");
		return ERR_EXIT_USAGE;
	}
	dir = output_dir(output, writer == report_md, page, sizeof(page));
	if (dir < 0)
		return ERR_EXIT_USAGE;
	if (nres) {
		if (dir)
			output = page;
		status = cli_output_ok(output);
		if (status)
			return status;
		return report_kernels(output, writer == report_md, argv + optind,
				      nres);
	}
	if (dir) {
		/* the page and its pcaps in one folder */
		snprintf(pcaps, sizeof(pcaps), "%s%spcaps", output,
			 output[strlen(output) - 1] == '/' ? "" : "/");
		if (!capdir_set)
			a.capdir = pcaps;
		output = page;
	}
	status = cli_output_ok(output);
	if (status)
		return status;
	status = cli_batch_prepare(argc - optind, argv + optind, &a);
	if (status)
		return status;
	status = cli_batch_run(&a, &all, verbose ? stderr : NULL);
	status = cli_worse(status, relative_pcaps(output, &all));
	c = cli_write_file(output, writer, &all);
	status = cli_worse(status, c);
	if (!c)
		fprintf(stderr, "tcplab: report written to %s\n", output);
	results_free(&all);
	cli_batch_free(&a);
	return status;
}
