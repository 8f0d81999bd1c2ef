// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_ls.c - tcplab ls: the kept labs, their nodes, addresses and age
 *
 * Theory of operation: every record in this user's records directory
 * (kept.h) is read and printed on one line; a lab whose keeper is gone is
 * marked so ('tcplab down NAME' removes what is left of it).
 */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "err.h"
#include "kept.h"

static void ls_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab ls\n"
		"\n"
		"The labs kept by 'tcplab up' (this user's), one a line: name, age,\n"
		"the keeper's pid, family and firewall backend, and each node with\n"
		"its address.\n");
}

static void age(long long since, char *buf, size_t len)
{
	long long s = (long long)time(NULL) - since;

	if (since <= 0 || s < 0)
		snprintf(buf, len, "?");
	else if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s / 3600 % 24);
}

int cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static char names[KEPT_MAX_LABS][KEPT_NAME_MAX];
	int n, i, j, c, status = 0;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c != 'h')
			return cli_bad_option(argv[0], c, argv, opts);
		ls_usage(stdout);
		return 0;
	}
	if (cli_no_args(argv[0], argc, argv))
		return ERR_EXIT_USAGE;
	n = kept_names(names, KEPT_MAX_LABS);
	if (n < 0) {
		fprintf(stderr, "tcplab ls: cannot read the kept labs\n");
		return ERR_EXIT_ENV;
	}
	if (!n) {
		printf("no kept labs (tcplab up NAME keeps one)\n");
		return 0;
	}
	printf("%-16s %-8s %-8s %-13s %s\n", "LAB", "AGE", "KEEPER", "KIND", "NODES");
	for (i = 0; i < n; i++) {
		struct err e = { 0 };
		struct kept_info k;
		char a[32], kind[32], pid[16];

		if (kept_read(names[i], &k, &e)) {
			fprintf(stderr, "tcplab ls: %s\n", e.msg);
			status = ERR_EXIT_USAGE;
			continue;
		}
		age(k.since, a, sizeof(a));
		snprintf(kind, sizeof(kind), "IPv%d,%s%s", k.family,
			 k.firewall[0] == 'i' ? "ipt" : "nft",
			 k.rootless ? ",user" : "");
		if (kept_alive(&k))
			snprintf(pid, sizeof(pid), "%d", k.keeper);
		else
			snprintf(pid, sizeof(pid), "gone");
		printf("%-16s %-8s %-8s %-13s", k.name, a, pid, kind);
		for (j = 0; j < k.nnodes; j++)
			printf("%s %s %s", j ? "," : "", k.nodes[j].name,
			       k.family == 6 ? k.nodes[j].addr6 : k.nodes[j].addr4);
		printf("\n");
	}
	return status;
}
