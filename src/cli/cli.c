// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli.c - what the commands of the tcplab command share (see cli.h)
 *
 * Theory of operation: small checks and option-value parsers that print
 * their own message to stderr and return the exit status (or -1) for the
 * command to return; no state.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "catalogue.h"
#include "cli.h"
#include "userns.h"
#include "err.h"
#include "fw.h"
#include "util.h"

int cli_worse(int a, int b)
{
	/* internal > environment > usage > failed > ok */
	return b > a ? b : a;
}

int cli_bad_option(const char *cmd, int c, char **argv,
		   const struct option *opts)
{
	const char *prev = optind > 0 ? argv[optind - 1] : "";
	int is_long = !strncmp(prev, "--", 2);
	const struct option *o = NULL;
	char opt[64];

	for (o = opts; o->name && optopt; o++)
		if (o->val == optopt)
			break;
	if (!optopt || optopt >= 256 || (c == ':' && is_long) ||
	    (is_long && o->name && strchr(prev, '=')))
		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(prev, "="), prev);
	else
		snprintf(opt, sizeof(opt), "-%c", optopt);
	if (c == ':')
		fprintf(stderr, "tcplab %s: option '%s' needs a value\n", cmd, opt);
	else if (optopt && o->name && o->has_arg == no_argument)
		fprintf(stderr, "tcplab %s: option '%s' takes no value\n", cmd, opt);
	else
		fprintf(stderr, "tcplab %s: unknown option '%s' (see 'tcplab %s --help')\n",
			cmd, opt, cmd);
	return ERR_EXIT_USAGE;
}

int cli_no_args(const char *cmd, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "tcplab %s: unexpected operand '%s'\n", cmd, argv[optind]);
	return ERR_EXIT_USAGE;
}

int cli_opt_family(const char *arg, int *fams, int *nfam)
{
	if (!strcmp(arg, "4") || !strcmp(arg, "6")) {
		fams[0] = atoi(arg);
		*nfam = 1;
	} else if (!strcmp(arg, "both")) {
		fams[0] = 4;
		fams[1] = 6;
		*nfam = 2;
	} else {
		fprintf(stderr, "tcplab: --family takes 4, 6 or both\n");
		return -1;
	}
	return 0;
}

int cli_opt_firewall(const char *arg, const char **fws, int *nfw, int all_ok)
{
	if (all_ok && !strcmp(arg, "all")) {
		fws[0] = "nftables";
		fws[1] = "iptables";
		*nfw = 2;
	} else if (fw_backend_find(arg)) {
		fws[0] = arg;
		*nfw = 1;
	} else {
		fprintf(stderr, "tcplab: unknown firewall backend '%s' (one of: %s%s)\n",
			arg, fw_backend_names(), all_ok ? ", or all" : "");
		return -1;
	}
	return 0;
}

int cli_opt_slow(const char *arg, double *slow)
{
	if (!strcmp(arg, "auto")) {
		struct calibration c;
		struct err e = { 0 };

		if (calibrate(&c, &e)) {
			fprintf(stderr, "tcplab: --slow auto: %s\n", e.msg);
			return -1;
		}
		*slow = c.factor;
		fprintf(stderr, "tcplab: --slow auto: %.1f (this machine: CPU loop "
			"%.2f ms, socket round trips %.2f ms)\n", c.factor,
			(double)c.cpu_ns / 1e6, (double)c.sys_ns / 1e6);
		return 0;
	}
	/* the scenario's number grammar: no nan, inf, exponent or hex */
	if (util_parse_factor(arg, slow) || *slow < 1 || *slow > 1000) {
		fprintf(stderr, "tcplab: --slow takes a factor from 1 to 1000 "
			"(digits, e.g. 2 or 1.5), not '%s'\n", arg);
		*slow = 1;
		return -1;
	}
	return 0;
}

/* "IPv4 only (family 4)" for a scenario's family bits */
static const char *cli_families_name(int fb)
{
	return fb == SCENARIO_FAMILY_4 ? "IPv4 only (family 4)"
	       : fb == SCENARIO_FAMILY_6 ? "IPv6 only (family 6)"
					 : "both families";
}

int cli_families_fit(struct scenario **scs, int nsc, const int *fams,
		     int nfam, int named)
{
	int i, j, runs = 0;

	for (i = 0; i < nsc; i++) {
		int fit = 0;

		for (j = 0; j < nfam; j++)
			fit |= scs[i]->families &
			       (fams[j] == 6 ? SCENARIO_FAMILY_6 : SCENARIO_FAMILY_4);
		if (fit) {
			runs++;
			continue;
		}
		if (named) {
			fprintf(stderr, "%s: scenario '%s' runs in %s, not in the "
				"family asked for (-f %s): nothing was run\n",
				scs[i]->file, scs[i]->name,
				cli_families_name(scs[i]->families),
				nfam == 2 ? "both" : fams[0] == 6 ? "6" : "4");
			return ERR_EXIT_USAGE;
		}
	}
	if (!runs) {
		fprintf(stderr, "tcplab: no scenario runs in the family asked for: "
			"nothing was run\n");
		return ERR_EXIT_USAGE;
	}
	return 0;
}

int cli_privileges(void)
{
	struct err e = { 0 };

	/* root: nothing to do; else a user namespace of our own (userns.h) */
	if (userns_enter(&e) < 0) {
		fprintf(stderr, "tcplab: %s\n", e.msg);
		return err_exit_status(&e);
	}
	return 0;
}

int cli_probe_firewalls(const char *const *fws, int nfw)
{
	int i;

	for (i = 0; i < nfw; i++) {
		struct err e = { 0 };

		if (fw_probe(fw_backend_find(fws[i]), &e)) {
			fprintf(stderr, "tcplab: firewall backend %s: %s\n",
				fws[i], e.msg);
			return err_exit_status(&e);
		}
	}
	return 0;
}

int cli_capture_dir_make(const char *capdir, char *out, size_t len)
{
	char rundir[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(rundir, sizeof(rundir), "%.2000s/%s-%d", capdir, stamp,
		 (int)getpid());
	if ((mkdir(capdir, 0755) && errno != EEXIST) || mkdir(rundir, 0755)) {
		fprintf(stderr, "tcplab: cannot create %s: %s\n", rundir,
			strerror(errno));
		return -1;
	}
	if (len < PATH_MAX || !realpath(rundir, out))
		snprintf(out, len, "%s", rundir);
	return 0;
}

void cli_free_all(struct scenario **scs, int nsc)
{
	int i;

	for (i = 0; i < nsc; i++)
		scenario_free(scs[i]);
}

int cli_load_named(int argc, char **argv, struct scenario **scs, int *nsc)
{
	int i;

	*nsc = 0;
	if (argc > CLI_MAX_SCENARIOS) {
		fprintf(stderr, "tcplab: at most %d scenarios at once\n",
			CLI_MAX_SCENARIOS);
		return ERR_EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		struct err e = { 0 };
		char path[4096];

		catalogue_resolve(argv[i], path, sizeof(path));
		if (scenario_load(path, &scs[*nsc], &e)) {
			if (e.code == -ENOENT && !strchr(argv[i], '/'))
				fprintf(stderr,
					"tcplab: no scenario '%s' (see 'tcplab list')\n",
					argv[i]);
			else
				fprintf(stderr, "%s\n", e.msg);
			cli_free_all(scs, *nsc);
			*nsc = 0;
			return ERR_EXIT_USAGE;
		}
		(*nsc)++;
	}
	return 0;
}

int cli_load_all(int argc, char **argv, struct scenario **scs, int *nsc)
{
	char *names[CLI_MAX_SCENARIOS];
	struct err e = { 0 };
	int n, i, status;

	if (argc)
		return cli_load_named(argc, argv, scs, nsc);
	*nsc = 0;
	n = catalogue_names(catalogue_dir(), names, CLI_MAX_SCENARIOS, &e);
	if (n < 0) {
		fprintf(stderr, "tcplab: %s\n", e.msg);
		return ERR_EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		names[i][strlen(names[i]) - 4] = '\0'; /* NAME.tcp: NAME */
	status = cli_load_named(n, names, scs, nsc);
	for (i = 0; i < n; i++)
		free(names[i]);
	return status;
}
