// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_check.c - tcplab check: the catalogue (or some scenarios) for CI
 *
 * Theory of operation: every scenario x backend x family asked for runs
 * in parallel (batch_run(), one lab each), and the gathered results are
 * written as KTAP on stdout and, if asked, as JUnit XML and JSON; a saved
 * JSON result can be given as a baseline, and any difference from it is a
 * failure.  The runs' own text goes to stderr only with -v.  The pieces
 * report shares (options, the checks before any lab, the run) are here too.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "batch.h"
#include "cli.h"
#include "util.h"
#include "err.h"
#include "fw.h"
#include "junit.h"
#include "ktap.h"
#include "results.h"
#include "results_json.h"

enum {
	OPT_JUNIT = CLI_LONG_ONLY,
	OPT_JSON,
	OPT_BASELINE,
};

static void check_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab check [options] [NAME|FILE ...]\n"
		"\n"
		"Run scenarios (all of the catalogue when none is named) in parallel,\n"
		"each in a lab of its own, and print the results as KTAP on stdout.\n"
		"\n"
		"  -f, --family 4|6|both     address families (default both)\n"
		"  -F, --firewall BACKEND    firewall backend: %s, or all (default nftables)\n"
		"  -s, --slow FACTOR|auto    widen every deadline by FACTOR (>= 1), or\n"
		"                            by this machine's measured slowness\n"
		"  -j, --jobs N              runs at once, 1 to %d (default: one per run\n"
		"                            that waits on timers, plus 2 per CPU)\n"
		"  -c, --captures DIR        save pcaps under DIR/RUN-ID (default: none)\n"
		"      --junit FILE          the results as JUnit XML too\n"
		"      --json FILE           the results as JSON too\n"
		"      --baseline FILE       compare with a saved JSON result; any\n"
		"                            difference is a failure (exit 1)\n"
		"  -v, --verbose             each run's text to stderr\n"
		"  -h, --help                this text\n"
		"\n"
		"Exit status: 0 all held, 1 an expectation failed, 2 usage or scenario\n"
		"error, 3 environment (a kernel feature missing or forbidden), 4 internal.\n",
		fw_backend_names(), BATCH_MAX_JOBS);
}

void cli_batch_args_init(struct cli_batch_args *a, const char *capdir)
{
	memset(a, 0, sizeof(*a));
	a->ro.slow = 1;
	a->ro.ladder = 1;
	a->firewalls[0] = "nftables";
	a->nfw = 1;
	a->families[0] = 4;
	a->families[1] = 6;
	a->nfam = 2;
	a->jobs = 0; /* batch_auto_jobs(): as the runs' timers call for */
	a->capdir = capdir;
}

int cli_batch_option(int c, const char *arg, struct cli_batch_args *a)
{
	switch (c) {
	case 'f':
		return cli_opt_family(arg, a->families, &a->nfam) ? ERR_EXIT_USAGE : 0;
	case 'F':
		return cli_opt_firewall(arg, a->firewalls, &a->nfw, 1) ? ERR_EXIT_USAGE : 0;
	case 's':
		return cli_opt_slow(arg, &a->ro.slow) ? ERR_EXIT_USAGE : 0;
	case 'c':
		a->capdir = arg;
		return 0;
	}
	return 1;
}

/*
 * --firewall all: a backend the machine cannot run (a kernel without
 * ip_tables, or with it not loaded) is skipped with the reason while the
 * other one runs; both failing, or an error that is not the environment's,
 * is the exit status as for one backend
 */
static int probe_either(struct cli_batch_args *a)
{
	struct err e[2] = { { 0 }, { 0 } };
	int bad[2], i;

	for (i = 0; i < 2; i++)
		bad[i] = fw_probe(fw_backend_find(a->firewalls[i]), &e[i]) != 0;
	for (i = 0; i < 2; i++)
		if (bad[i] && (bad[!i] || err_exit_status(&e[i]) != ERR_EXIT_ENV)) {
			fprintf(stderr, "tcplab: firewall backend %s: %s\n",
				a->firewalls[i], e[i].msg);
			return err_exit_status(&e[i]);
		}
	for (i = 0; i < 2; i++)
		if (bad[i]) {
			a->skip_fw = a->firewalls[i];
			snprintf(a->skip_reason, sizeof(a->skip_reason),
				 "firewall backend %s: %.400s", a->firewalls[i],
				 e[i].msg);
			fprintf(stderr, "tcplab: skipping the %s runs: %s\n",
				a->firewalls[i], e[i].msg);
			a->firewalls[0] = a->firewalls[!i];
			a->nfw = 1;
		}
	return 0;
}

/* a skip result for each scenario x family of the backend left out */
static int add_skips(const struct cli_batch_args *a, struct results *all)
{
	int i, f;

	for (i = 0; a->skip_fw && i < a->nsc; i++)
		for (f = 0; f < a->nfam; f++) {
			int fb = a->families[f] == 6 ? SCENARIO_FAMILY_6
						     : SCENARIO_FAMILY_4;
			struct result *r;

			if (!(a->scs[i]->families & fb))
				continue;
			r = results_add(all);
			if (!r)
				return ERR_EXIT_INTERNAL;
			snprintf(r->name, sizeof(r->name), "%s", a->scs[i]->name);
			snprintf(r->title, sizeof(r->title), "%s", a->scs[i]->title);
			snprintf(r->file, sizeof(r->file), "%s", a->scs[i]->file);
			r->family = a->families[f];
			snprintf(r->firewall, sizeof(r->firewall), "%s", a->skip_fw);
			r->verdict = RES_SKIP;
			snprintf(r->reason, sizeof(r->reason), "%s", a->skip_reason);
		}
	return 0;
}

int cli_batch_prepare(int argc, char **argv, struct cli_batch_args *a)
{
	int status;

	status = cli_load_all(argc, argv, a->scs, &a->nsc);
	if (!status)
		status = cli_families_fit(a->scs, a->nsc, a->families, a->nfam,
					  argc > 0);
	if (!status)
		status = cli_privileges();
	if (!status && a->nfw == 2)
		status = probe_either(a);
	else if (!status)
		status = cli_probe_firewalls(a->firewalls, a->nfw);
	if (!status && a->capdir) {
		if (cli_capture_dir_make(a->capdir, a->rundir, sizeof(a->rundir)))
			status = ERR_EXIT_USAGE;
		else
			a->ro.capture_dir = a->rundir;
	}
	if (status)
		cli_batch_free(a);
	return status;
}

int cli_batch_run(struct cli_batch_args *a, struct results *all, FILE *text)
{
	struct batch b = {
		.scs = a->scs, .nsc = a->nsc,
		.families = a->families, .nfam = a->nfam,
		.firewalls = a->firewalls, .nfw = a->nfw,
		.jobs = a->jobs, .base = a->ro,
	};
	struct err e = { 0 };
	int status = 0;
	size_t k;

	results_fill_host(all, TCPLAB_VERSION);
	if (batch_run(&b, all, text, &status, &e)) {
		fprintf(stderr, "tcplab: %s\n", e.msg);
		return err_exit_status(&e);
	}
	status = cli_worse(status, add_skips(a, all));
	for (k = 0; k < all->nruns; k++)
		if (all->runs[k].verdict == RES_FAIL || all->runs[k].verdict == RES_XPASS)
			status = cli_worse(status, ERR_EXIT_FAIL);
		else if (all->runs[k].verdict == RES_ERROR)
			status = cli_worse(status, ERR_EXIT_INTERNAL);
	return status;
}

void cli_batch_free(struct cli_batch_args *a)
{
	cli_free_all(a->scs, a->nsc);
	a->nsc = 0;
}

int cli_output_ok(const char *path)
{
	struct stat st;
	int fd;

	if (!strcmp(path, "-"))
		return 0;
	if (stat(path, &st) == 0) {
		/* there already: must be a file this process may write (no
		 * truncation now: a failed run leaves it as it was) */
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		else if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
			close(fd);
			return 0;
		}
	} else if (errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			close(fd);
			unlink(path);
			return 0;
		}
	}
	fprintf(stderr, "tcplab: cannot write %s: %s (nothing was run)\n", path,
		strerror(errno));
	return ERR_EXIT_USAGE;
}

int cli_write_file(const char *path, int (*w)(FILE *, const struct results *),
		   const struct results *all)
{
	FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "we");

	if (!f || w(f, all) || (f != stdout && fclose(f))) {
		fprintf(stderr, "tcplab: cannot write %s: %s\n", path,
			strerror(errno));
		return ERR_EXIT_INTERNAL;
	}
	return 0;
}

/* compare @all with the saved result @base read from @path (before any
 * run); returns the exit status */
static int check_baseline(const char *path, struct results *base,
			  const struct results *all)
{
	int diffs;

	diffs = baseline_compare(stderr, all, base);
	results_free(base);
	if (diffs > 0) {
		fprintf(stderr, "tcplab: %d difference%s from the baseline %s\n",
			diffs, diffs == 1 ? "" : "s", path);
		return ERR_EXIT_FAIL;
	}
	if (diffs == 0)
		fprintf(stderr, "tcplab: no difference from the baseline %s\n", path);
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "firewall", required_argument, NULL, 'F' },
		{ "slow", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "captures", required_argument, NULL, 'c' },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *junit = NULL, *json = NULL, *baseline = NULL;
	struct results all = { 0 }, base = { 0 };
	struct cli_batch_args a;
	int c, status, verbose = 0;

	cli_batch_args_init(&a, NULL);
	while ((c = getopt_long(argc, argv, ":f:F:s:j:c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			uint64_t v = 0;

			a.jobs = util_parse_u64(optarg, BATCH_MAX_JOBS, &v) ? 0 : (int)v;
			if (a.jobs < 1 || a.jobs > BATCH_MAX_JOBS) {
				fprintf(stderr, "tcplab: --jobs takes 1 to %d\n",
					BATCH_MAX_JOBS);
				return ERR_EXIT_USAGE;
			}
			break;
		}
		case OPT_JUNIT: junit = optarg; break;
		case OPT_JSON: json = optarg; break;
		case OPT_BASELINE: baseline = optarg; break;
		case 'v': verbose = 1; break;
		case 'h':
			check_usage(stdout);
			return 0;
		default:
			status = cli_batch_option(c, optarg, &a);
			if (status == 1)
				return cli_bad_option(argv[0], c, argv, opts);
			if (status)
				return status;
		}
	}
	/* every output is writable and the baseline readable before any run */
	status = junit ? cli_output_ok(junit) : 0;
	if (!status && json)
		status = cli_output_ok(json);
	if (!status && baseline) {
		struct err e = { 0 };

		if (json_read_observed(baseline, &base, &e)) {
			fprintf(stderr, "tcplab: baseline %s: %s (nothing was run)\n",
				baseline, e.msg);
			status = ERR_EXIT_USAGE;
		}
	}
	if (status)
		return status;
	status = cli_batch_prepare(argc - optind, argv + optind, &a);
	if (status) {
		results_free(&base);
		return status;
	}
	status = cli_batch_run(&a, &all, verbose ? stderr : NULL);
	if (ktap_write(stdout, &all))
		status = cli_worse(status, ERR_EXIT_INTERNAL);
	if (junit)
		status = cli_worse(status, cli_write_file(junit, junit_write, &all));
	if (json)
		status = cli_worse(status, cli_write_file(json, json_write, &all));
	if (baseline)
		status = cli_worse(status, check_baseline(baseline, &base, &all));
	results_free(&all);
	cli_batch_free(&a);
	return status;
}
