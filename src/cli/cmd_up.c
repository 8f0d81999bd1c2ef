// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_up.c - tcplab up / down / clean: a lab kept for exploring by hand
 *
 * Theory of operation: up runs one scenario in one family like run does,
 * then keeps its lab (lab_keep(): the keeper detached and answering
 * `tcplab exec`, watch, snapshot and firewall; as root the namespaces are
 * also published under /run/netns) instead of tearing it down; the lab is
 * recorded, ahead of what it publishes, in the records directory (kept.h).
 * `up --empty [--topology A,B[,C]] [NAME]` keeps a lab with no scenario:
 * its nodes and links only.  down ends the kept labs it is given by name,
 * clean every one recorded (kept_remove()): a lab an interrupted up left
 * half kept too, and they say what they found.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "fw.h"
#include "kept.h"
#include "lab.h"
#include "scenario.h"

static void up_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab up [options] NAME|FILE\n"
		"       tcplab up --empty [--topology A,B[,C]] [options] [NAME]\n"
		"\n"
		"Run one scenario and keep its lab for exploring by hand: its sockets\n"
		"stay, 'tcplab exec NAME NODE -- CMD' runs any command in a node\n"
		"(as root 'ip netns exec tcplab-NAME-NODE' works too), 'tcplab watch\n"
		"NAME' follows it live.  'tcplab down NAME' ends it.\n"
		"\n"
		"  -e, --empty               no scenario: the nodes and links only\n"
		"                            (NAME defaults to 'lab')\n"
		"  -t, --topology A,B[,C]    --empty's nodes (default client,server;\n"
		"                            a middle node is a router)\n"
		"  -f, --family 4|6          address family (default 4)\n"
		"  -F, --firewall BACKEND    firewall backend: %s (default nftables)\n"
		"  -s, --slow FACTOR|auto    widen every deadline by FACTOR (>= 1), or\n"
		"                            by this machine's measured slowness\n"
		"  -q, --quiet               no socket tables\n"
		"  -p, --packets             every packet, as tcpdump prints it\n"
		"  -L, --no-ladder           no ladder diagram\n"
		"  -c, --captures DIR        save pcaps under DIR/RUN-ID (default: captures)\n"
		"  -C, --no-captures         save no pcap files\n"
		"  -l, --long                also the steps that wait out long timers\n"
		"  -h, --help                this text\n",
		fw_backend_names());
}

static void down_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab down NAME ...\n"
		"\n"
		"End the labs kept by 'tcplab up NAME': their endpoints, sockets\n"
		"and namespaces; also what an interrupted 'tcplab up NAME' left.\n"
		"\n"
		"  -h, --help                this text\n");
}

static void clean_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab clean\n"
		"\n"
		"End every lab kept by 'tcplab up', and remove what an interrupted\n"
		"'tcplab up' left.\n"
		"\n"
		"  -h, --help                this text\n");
}

/*
 * The scenario of an empty lab: its name, its nodes (@topology "A,B[,C]",
 * default client,server) and one step that does nothing.  0, or 2 after
 * saying why.
 */
static int up_empty(const char *name, const char *topology,
		    struct scenario **out)
{
	char text[512], nodes[128];
	struct err e = { 0 };
	size_t i;

	if (!kept_name_ok(name)) {
		fprintf(stderr, "tcplab: up: '%s' is not a lab name (letters, "
			"digits, - and _)\n", name);
		return ERR_EXIT_USAGE;
	}
	snprintf(nodes, sizeof(nodes), "%s", topology ? topology : "client,server");
	for (i = 0; nodes[i]; i++)
		if (nodes[i] == ',')
			nodes[i] = ' ';
	snprintf(text, sizeof(text),
		 "scenario %s\n"
		 "title    \"an empty lab for exploring by hand\"\n"
		 "topology %s\n"
		 "wait     1ms\n", name, nodes);
	if (scenario_parse("--empty", text, strlen(text), out, &e)) {
		fprintf(stderr, "tcplab: up --empty%s%s: %s\n",
			topology ? " --topology " : "", topology ? topology : "",
			strchr(e.msg, ' ') ? strchr(e.msg, ' ') + 1 : e.msg);
		return ERR_EXIT_USAGE;
	}
	return 0;
}

/*
 * An impairment's verdicts are given by this process, which exits once
 * the lab is kept: then the queue's bypass flag would let every segment
 * by, and the lab would look impaired and not be.  Refused before anything
 * is built, at the line that asks for it; ERR_EXIT_USAGE.
 */
static int up_no_impair(const struct scenario *sc)
{
	const struct step *st = scenario_impair_kept(sc);

	fprintf(stderr, "%s:%d:%d: a kept lab cannot keep an impairment: its "
		"verdicts come from tcplab, which exits once the lab is kept "
		"(end it with 'firewall %s flush' before the scenario ends, or "
		"'tcplab run' it)\n", st->loc.file, st->loc.line, st->loc.col,
		sc->nodes[st->node]);
	return ERR_EXIT_USAGE;
}

int cmd_up(int argc, char **argv)
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
		{ "empty", no_argument, NULL, 'e' },
		{ "topology", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct scenario *scs[CLI_MAX_SCENARIOS];
	struct cli_run_args a;
	const char *topology = NULL;
	int nsc = 0, c, status, passed = 0, failed = 0, empty = 0;

	cli_run_args_init(&a);
	while ((c = getopt_long(argc, argv, CLI_RUN_SHORTOPTS "et:", opts,
				NULL)) != -1) {
		if (c == 'h') {
			up_usage(stdout);
			return 0;
		}
		if (c == 'e') {
			empty = 1;
			continue;
		}
		if (c == 't') {
			topology = optarg;
			continue;
		}
		status = cli_run_option(c, optarg, &a);
		if (status == 1)
			return cli_bad_option(argv[0], c, argv, opts);
		if (status)
			return status;
	}
	if (topology && !empty) {
		fprintf(stderr, "tcplab: up: --topology goes with --empty (a "
			"scenario says its own)\n");
		return ERR_EXIT_USAGE;
	}
	if (empty) {
		if (argc - optind > 1) {
			fprintf(stderr, "tcplab: up --empty takes one NAME at most\n");
			return ERR_EXIT_USAGE;
		}
		status = up_empty(optind < argc ? argv[optind] : "lab", topology,
				  &scs[0]);
		if (status)
			return status;
		nsc = 1;
		a.ro.ladder = 0;
		a.ro.quiet = 1;
		a.capdir = NULL; /* nothing happens in it yet: nothing to save */
		goto keep;
	}
	if (optind >= argc) {
		fprintf(stderr, "tcplab: up needs a scenario (see 'tcplab list')\n");
		return ERR_EXIT_USAGE;
	}
	status = cli_load_named(argc - optind, argv + optind, scs, &nsc);
	if (status)
		return status;
	if (nsc != 1 || a.nfam != 1) {
		fprintf(stderr, "tcplab: up keeps one lab: one scenario, one family\n");
		cli_free_all(scs, nsc);
		return ERR_EXIT_USAGE;
	}
	status = a.family_given ? cli_families_fit(scs, nsc, a.families, 1, 1) : 0;
	if (!status && scenario_impair_kept(scs[0]))
		status = up_no_impair(scs[0]);
	if (status) {
		cli_free_all(scs, nsc);
		return status;
	}
keep:
	a.ro.keep = scs[0]->name;
	status = cli_run_prepare(&a);
	if (!status)
		status = cli_run_each(scs, nsc, &a, &passed, &failed);
	/* no keeper_stop(): the kept lab's keeper lives on */
	cli_free_all(scs, nsc);
	return status;
}

/* end the kept labs @names (freed); returns the exit status */
static int down_names(char **names, int n)
{
	int i, r, status = 0;

	for (i = 0; i < n; i++) {
		struct kept_removed rm;
		struct err e = { 0 };

		if (!names[i] || !*names[i] || strchr(names[i], '/') ||
		    names[i][0] == '.') {
			fprintf(stderr, "tcplab: '%s' is not a lab name (a kept lab "
				"is named after its scenario: see 'tcplab up')\n",
				names[i] ? names[i] : "");
			status = ERR_EXIT_USAGE;
		} else if ((r = kept_remove(names[i], 0, &rm, &e))) {
			fprintf(stderr, "tcplab: %s\n", e.msg);
			status = cli_worse(status, r == -ENOENT || r == -EINVAL
							   ? ERR_EXIT_USAGE
							   : err_exit_status(&e));
		} else if (!rm.record) {
			printf("lab %s: no record, but %d namespace%s under %s; "
			       "removed\n", names[i], rm.nnetns,
			       rm.nnetns == 1 ? "" : "s", KEPT_NETNS_DIR);
		} else if (rm.partial) {
			printf("lab %s was not kept completely (an interrupted "
			       "tcplab up): removed its record", names[i]);
			if (rm.nnetns)
				printf(", %d namespace%s under %s", rm.nnetns,
				       rm.nnetns == 1 ? "" : "s", KEPT_NETNS_DIR);
			printf("%s\n", rm.keeper ? " and its keeper" : "");
		} else {
			printf("lab %s is gone\n", names[i]);
		}
		free(names[i]);
	}
	return status;
}

/* the one option of down and clean: --help; 0 to go on, 1 for help shown */
static int down_options(int argc, char **argv, void (*usage)(FILE *),
			int *status)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	*status = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h') {
			*status = cli_bad_option(argv[0], c, argv, opts);
			return 1;
		}
		usage(stdout);
		return 1;
	}
	return 0;
}

int cmd_down(int argc, char **argv)
{
	char *names[CLI_MAX_SCENARIOS];
	int n = 0, i, status;

	if (down_options(argc, argv, down_usage, &status))
		return status;
	if (optind >= argc) {
		fprintf(stderr, "tcplab: down needs the name of a kept lab\n");
		return ERR_EXIT_USAGE;
	}
	for (i = optind; i < argc && n < CLI_MAX_SCENARIOS; i++)
		names[n++] = strdup(argv[i]);
	return down_names(names, n);
}

int cmd_clean(int argc, char **argv)
{
	static char kept[KEPT_MAX_LABS][KEPT_NAME_MAX];
	char *names[CLI_MAX_SCENARIOS];
	int n, i, status;

	if (down_options(argc, argv, clean_usage, &status))
		return status;
	if (cli_no_args(argv[0], argc, argv))
		return ERR_EXIT_USAGE;
	n = kept_names(kept, KEPT_MAX_LABS);
	for (i = 0; i < n && i < CLI_MAX_SCENARIOS; i++)
		names[i] = strdup(kept[i]);
	if (n > CLI_MAX_SCENARIOS)
		n = CLI_MAX_SCENARIOS;
	if (n < 0)
		n = 0;
	return down_names(names, n);
}
