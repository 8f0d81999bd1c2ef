// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_run.c - tcplab run: scenarios one after another, in the foreground
 *
 * Theory of operation: every scenario argument is parsed and checked before
 * any lab is built; then each runs in each family asked for (and declared
 * by the scenario), printing its steps, socket tables and ladder as they
 * happen.  An environment fault (a kernel feature missing or forbidden) ends
 * the whole command, since the next run would fail alike; a failed
 * expectation goes on to the next.  The pieces up shares (the options,
 * the checks before any lab, the loop) are here too.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "fw.h"
#include "keeper.h"
#include "lab.h"
#include "plan.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab run [options] NAME|FILE ...\n"
		"\n"
		"Run scenarios one after another and show what happened: each step,\n"
		"the sockets at each confirmed state, a ladder diagram of the packets.\n"
		"\n"
		"  -f, --family 4|6|both     address family (default 4)\n"
		"  -F, --firewall BACKEND    firewall backend: %s (default nftables)\n"
		"  -s, --slow FACTOR|auto    widen every deadline by FACTOR (>= 1), or\n"
		"                            by this machine's measured slowness\n"
		"  -q, --quiet               no socket tables\n"
		"  -p, --packets             every packet, as tcpdump prints it\n"
		"  -L, --no-ladder           no ladder diagram after each scenario\n"
		"  -c, --captures DIR        save pcaps under DIR/RUN-ID (default: captures)\n"
		"  -C, --no-captures         save no pcap files\n"
		"  -l, --long                also the steps that wait out long timers\n"
		"  -h, --help                this text\n"
		"\n"
		"Exit status: 0 all held, 1 an expectation failed, 2 usage or scenario\n"
		"error, 3 environment (a kernel feature missing or forbidden), 4 internal.\n",
		fw_backend_names());
}

void cli_run_args_init(struct cli_run_args *a)
{
	memset(a, 0, sizeof(*a));
	a->ro.firewall = "nftables";
	a->ro.slow = 1;
	a->ro.out = stdout;
	a->ro.ladder = 1;
	a->ro.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	a->capdir = "captures";
	a->families[0] = 4;
	a->nfam = 1;
}

int cli_run_option(int c, const char *arg, struct cli_run_args *a)
{
	const char *fw[2];
	int n;

	switch (c) {
	case 'f':
		a->family_given = 1;
		return cli_opt_family(arg, a->families, &a->nfam) ? ERR_EXIT_USAGE : 0;
	case 'F':
		if (cli_opt_firewall(arg, fw, &n, 0))
			return ERR_EXIT_USAGE;
		a->ro.firewall = fw[0];
		return 0;
	case 's':
		return cli_opt_slow(arg, &a->ro.slow) ? ERR_EXIT_USAGE : 0;
	case 'q': a->ro.quiet = 1; return 0;
	case 'p': a->ro.packets = 1; return 0;
	case 'L': a->ro.ladder = 0; return 0;
	case 'c': a->capdir = arg; return 0;
	case 'C': a->capdir = NULL; return 0;
	case 'l': a->ro.long_steps = 1; return 0;
	}
	return 1;
}

int cli_run_prepare(struct cli_run_args *a)
{
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	status = cli_privileges();
	if (status)
		return status;
	/* captures/RUN-ID: one directory per invocation */
	if (a->capdir) {
		if (cli_capture_dir_make(a->capdir, a->rundir, sizeof(a->rundir)))
			return ERR_EXIT_USAGE;
		a->ro.capture_dir = a->rundir;
	}
	/* the backend must work on this kernel before any lab relies on it */
	return cli_probe_firewalls(&a->ro.firewall, 1);
}

/*
 * 1 when run @sc in @fam builds a lab of its own, 0 when it takes the one
 * run @prev in @prev_fam leaves (lab_recycle(): the same plan, and @prev
 * changes nothing a flush does not take back), if @prev passes
 */
static int run_builds_lab(const struct scenario *prev, int prev_fam,
			  const struct scenario *sc, int fam,
			  const char *firewall)
{
	struct plan a, b;
	struct err e = { 0 };

	if (!prev || !runner_lab_reusable(prev) ||
	    plan_build(prev, prev_fam, firewall, &a, &e) ||
	    plan_build(sc, fam, firewall, &b, &e))
		return 1;
	return !plan_same_lab(&a, &b);
}

/* the family of run @j of scenario @sc, 0 when it has no such run */
static int run_family(const struct scenario *sc, int j,
		      const struct cli_run_args *a)
{
	int fam = a->family_given ? a->families[j]
		  : sc->families & SCENARIO_FAMILY_4 ? 4 : 6;
	int fb = fam == 6 ? SCENARIO_FAMILY_6 : SCENARIO_FAMILY_4;

	if (!a->family_given && j)
		return 0;
	return sc->families & fb ? fam : 0;
}

int cli_run_each(struct scenario **scs, int nsc, struct cli_run_args *a,
		 int *passed, int *failed)
{
	const struct scenario *prev = NULL;
	int i, j, status = 0, left = 0, prev_fam = 0, runs = 0;

	/* how many runs build a lab: those are prepared ahead */
	for (i = 0; i < nsc; i++)
		for (j = 0; j < a->nfam; j++) {
			int fam = run_family(scs[i], j, a);

			if (!fam)
				continue;
			left += run_builds_lab(prev, prev_fam, scs[i], fam,
					       a->ro.firewall);
			runs++;
			prev = scs[i];
			prev_fam = fam;
		}
	prev = NULL;
	for (i = 0; i < nsc; i++) {
		int nfam = a->family_given ? a->nfam : 1;

		for (j = 0; j < nfam; j++) {
			int fam = run_family(scs[i], j, a);
			struct result res;
			struct err e = { 0 };

			if (!fam)
				continue;
			a->ro.family = fam;
			left -= run_builds_lab(prev, prev_fam, scs[i], fam,
					       a->ro.firewall);
			a->ro.labs_after = left;
			a->ro.last = --runs == 0;
			prev = scs[i];
			prev_fam = fam;
			if (runner_run(scs[i], &a->ro, &res, &e)) {
				fprintf(stderr, "tcplab: %s: %s\n", scs[i]->name,
					e.msg[0] ? e.msg : "failed");
				status = cli_worse(status, err_exit_status(&e));
				result_free(&res);
				if (err_exit_status(&e) == ERR_EXIT_ENV)
					return status; /* the next one would fail alike */
				continue;
			}
			if (result_held(&res)) {
				(*passed)++;
			} else {
				(*failed)++;
				status = cli_worse(status, ERR_EXIT_FAIL);
			}
			result_free(&res);
		}
	}
	return status;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "firewall", required_argument, NULL, 'F' },
		{ "slow", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "packets", no_argument, NULL, 'p' },
		{ "no-ladder", no_argument, NULL, 'L' },
		{ "captures", required_argument, NULL, 'c' },
		{ "no-captures", no_argument, NULL, 'C' },
		{ "long", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct scenario *scs[CLI_MAX_SCENARIOS];
	struct cli_run_args a;
	int nsc = 0, c, status, passed = 0, failed = 0;

	cli_run_args_init(&a);
	while ((c = getopt_long(argc, argv, CLI_RUN_SHORTOPTS, opts, NULL)) != -1) {
		if (c == 'h') {
			run_usage(stdout);
			return 0;
		}
		status = cli_run_option(c, optarg, &a);
		if (status == 1)
			return cli_bad_option(argv[0], c, argv, opts);
		if (status)
			return status;
	}
	if (optind >= argc) {
		fprintf(stderr, "tcplab: run needs at least one scenario (see 'tcplab list')\n");
		return ERR_EXIT_USAGE;
	}
	/* Every file is parsed and checked before any lab is built. */
	status = cli_load_named(argc - optind, argv + optind, scs, &nsc);
	if (status)
		return status;
	if (a.family_given)
		status = cli_families_fit(scs, nsc, a.families, a.nfam, 1);
	if (status) {
		cli_free_all(scs, nsc);
		return status;
	}
	status = cli_run_prepare(&a);
	if (!status)
		status = cli_run_each(scs, nsc, &a, &passed, &failed);
	lab_cache_drop();
	keeper_stop();
	if (passed + failed > 1)
		printf("%d passed, %d failed\n", passed, failed);
	cli_free_all(scs, nsc);
	return status;
}
