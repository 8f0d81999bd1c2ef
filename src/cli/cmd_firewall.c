// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_firewall.c - tcplab firewall LAB NODE add|del|list RULE...: the
 * scenario language's firewall directive on a kept lab (kept_fw.h)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "err.h"
#include "kept.h"
#include "kept_fw.h"

static void firewall_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab firewall LAB NODE add RULE...\n"
		"       tcplab firewall LAB NODE del RULE...|ID\n"
		"       tcplab firewall LAB [NODE] list\n"
		"\n"
		"Add or remove a firewall rule on a node of the kept lab LAB, written\n"
		"as a scenario's 'firewall NODE ...' line without its first two words,\n"
		"e.g. 'tcplab firewall syn-recv client add input tcp sport 80 flags\n"
		"SYN,ACK drop'.  The lab's backend installs it (nftables or iptables);\n"
		"'tcplab watch' names it beside each packet it drops.\n");
}

int cmd_firewall(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *lab, *node = NULL, *verb;
	struct err e = { 0 };
	struct kept_info k;
	struct kept_ns ns;
	char **words;
	int c, n, r, status, wi;

	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c != 'h')
			return cli_bad_option(argv[0], c, argv, opts);
		firewall_usage(stdout);
		return 0;
	}
	n = argc - optind;
	if (n >= 2 && !strcmp(argv[optind + 1], "list")) {
		verb = "list";
	} else if (n >= 3) {
		node = argv[optind + 1];
		verb = argv[optind + 2];
	} else {
		firewall_usage(stderr);
		return ERR_EXIT_USAGE;
	}
	lab = argv[optind];
	if (kept_read(lab, &k, &e)) {
		fprintf(stderr, "tcplab firewall: %s\n", e.msg);
		return ERR_EXIT_USAGE;
	}
	if (node && kept_node_find(&k, node) < 0) {
		fprintf(stderr, "tcplab firewall: lab %s has no node '%s'\n", lab, node);
		return ERR_EXIT_USAGE;
	}
	if (!strcmp(verb, "list")) {
		if (n > (node ? 3 : 2)) {
			fprintf(stderr, "tcplab firewall: list takes no rule\n");
			return ERR_EXIT_USAGE;
		}
		if (kept_fw_list(&k, node, stdout, &e)) {
			fprintf(stderr, "tcplab firewall: %s\n", e.msg);
			return ERR_EXIT_USAGE;
		}
		return 0;
	}
	if (strcmp(verb, "add") && strcmp(verb, "del")) {
		fprintf(stderr, "tcplab firewall: '%s' is not add, del or list\n", verb);
		return ERR_EXIT_USAGE;
	}
	if (n < 4) {
		fprintf(stderr, "tcplab firewall: %s needs a rule\n", verb);
		return ERR_EXIT_USAGE;
	}
	/* add/del take "NODE RULE...", or del "ID" */
	wi = optind + 2;
	words = argv + wi;
	words[0] = (char *)node;
	status = cli_kept_open("firewall", lab, &k, &ns);
	if (status)
		return status;
	if (!strcmp(verb, "add"))
		r = kept_fw_add(&k, &ns, words, argc - wi, stdout, &e);
	else if (argc - wi == 2 && strspn(words[1], "0123456789") == strlen(words[1]))
		r = kept_fw_del(&k, &ns, words + 1, 1, stdout, &e);
	else
		r = kept_fw_del(&k, &ns, words, argc - wi, stdout, &e);
	kept_ns_close(&ns);
	if (r) {
		fprintf(stderr, "tcplab firewall: %s\n", e.msg);
		return r == -EINVAL || r == -ENOENT ? ERR_EXIT_USAGE
						  : err_exit_status(&e);
	}
	return 0;
}
