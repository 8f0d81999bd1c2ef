// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_compare.c - tcplab compare: what differed between kernels
 *
 * Theory of operation: each operand is a JSON result of `tcplab check
 * --json` (one kernel each: this machine, a VM of lab/kernels, another CI
 * job), read back with json_read_observed(); compare_build() matches their
 * runs and keeps what differs; the differences go to the terminal, and to
 * JSON and an HTML section when asked.  Nothing is run and no root is
 * needed.  A column is labelled by the kernel the file names, and by the
 * file too when two files name the same kernel.
 *
 * Exit status: 0 the kernels behaved the same, 1 they differed in
 * behaviour (notes do not count), 2 usage or an unreadable file, 4
 * internal.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "err.h"
#include "results.h"
#include "results_json.h"

static void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab compare [options] A.json B.json ...\n"
		"\n"
		"Put the results of several kernels side by side (each file from\n"
		"`tcplab check --json`, e.g. by lab/kernels on other kernels): per\n"
		"run, the verdicts, expectations, errors, confirmed states,\n"
		"retransmission schedules and SYN shapes where they differ.\n"
		"\n"
		"  -n, --notes         also what differs without being drift: states\n"
		"                      seen only by sampling, counters\n"
		"      --json FILE     the differences as JSON\n"
		"      --html FILE     a kernel x run matrix and the differences, as an\n"
		"                      HTML section\n"
		"\n"
		"Exit status: 0 same behaviour, 1 behaviour differs, 2 usage.\n");
}

/* write @c with @w to @path; 0 or 4 after saying why */
static int write_out(const char *path, const struct compare *c,
		     int (*w)(FILE *, const struct compare *))
{
	FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "we");

	if (!f || w(f, c) || (f != stdout && fclose(f))) {
		fprintf(stderr, "tcplab: cannot write %s\n", path);
		return ERR_EXIT_INTERNAL;
	}
	return 0;
}

/* the results the --html section draws its ladders from */
static const struct results *html_results;

static int html_w(FILE *f, const struct compare *c)
{
	compare_html(f, c, html_results);
	return ferror(f) ? -1 : 0;
}

int cmd_compare(int argc, char **argv)
{
	enum { OPT_JSON = CLI_LONG_ONLY, OPT_HTML };
	static const struct option opts[] = {
		{ "notes", no_argument, NULL, 'n' },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct results r[COMPARE_MAX_KERNELS];
	char labels[COMPARE_MAX_KERNELS][160];
	const char *lp[COMPARE_MAX_KERNELS];
	const char *json = NULL, *html = NULL;
	struct compare cmp;
	struct err e = { 0 };
	int c, notes = 0, nk, k, j, status = 0;

	while ((c = getopt_long(argc, argv, ":nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': notes = 1; break;
		case OPT_JSON: json = optarg; break;
		case OPT_HTML: html = optarg; break;
		case 'h':
			compare_usage(stdout);
			return 0;
		default:
			return cli_bad_option(argv[0], c, argv, opts);
		}
	}
	nk = argc - optind;
	if (nk < 2 || nk > COMPARE_MAX_KERNELS) {
		fprintf(stderr, "tcplab: compare takes 2 to %d JSON results, not %d\n",
			COMPARE_MAX_KERNELS, nk);
		return ERR_EXIT_USAGE;
	}
	memset(r, 0, sizeof(r));
	for (k = 0; k < nk; k++) {
		if (json_read_observed(argv[optind + k], &r[k], &e)) {
			fprintf(stderr, "tcplab: %s: %s\n", argv[optind + k], e.msg);
			while (k-- > 0)
				results_free(&r[k]);
			return ERR_EXIT_USAGE;
		}
	}
	for (k = 0; k < nk; k++) {
		int dup = 0;

		for (j = 0; j < nk; j++)
			dup |= j != k && !strcmp(r[j].kernel, r[k].kernel);
		if (dup)
			snprintf(labels[k], sizeof(labels[k]), "%.100s (%.50s)",
				 r[k].kernel, argv[optind + k]);
		else
			snprintf(labels[k], sizeof(labels[k]), "%.150s", r[k].kernel);
		lp[k] = labels[k];
	}
	if (compare_build(&cmp, r, lp, nk, &e)) {
		fprintf(stderr, "tcplab: %s\n", e.msg);
		status = ERR_EXIT_INTERNAL;
	} else {
		compare_text(stdout, &cmp, notes);
		if (json)
			status = cli_worse(status, write_out(json, &cmp, compare_json));
		html_results = r;
		if (html)
			status = cli_worse(status, write_out(html, &cmp, html_w));
		if (!status && compare_drift(&cmp))
			status = ERR_EXIT_FAIL;
		compare_free(&cmp);
	}
	for (k = 0; k < nk; k++)
		results_free(&r[k]);
	return status;
}
