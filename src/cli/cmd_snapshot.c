// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_snapshot.c - tcplab snapshot LAB [--json]: every TCP socket of every
 * node of a kept lab, at once, like `ss -tanoi` in each (snapshot.h)
 */
#include <errno.h>
#include <getopt.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "err.h"
#include "kept.h"
#include "netns.h"
#include "snapshot.h"
#include "util.h"

static void snapshot_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab snapshot [--json] LAB\n"
		"\n"
		"Every TCP socket of every node of the kept lab LAB, taken at once,\n"
		"as 'ss -tanoi' shows them: state, queues, addresses, timer, and\n"
		"tcp_info (rto, rtt, mss, cwnd, retransmits) where the kernel has it.\n"
		"  -j, --json    one JSON document, for scripts\n");
}

int cmd_snapshot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct diag_set sets[SCENARIO_MAX_NODES] = { 0 };
	struct snapshot_node nodes[SCENARIO_MAX_NODES];
	struct kept_info k;
	struct kept_ns ns;
	int c, i, json = 0, status = 0, r;
	uint64_t t;

	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
			continue;
		}
		if (c != 'h')
			return cli_bad_option(argv[0], c, argv, opts);
		snapshot_usage(stdout);
		return 0;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "tcplab snapshot: give one kept lab (tcplab ls lists them)\n");
		return ERR_EXIT_USAGE;
	}
	status = cli_kept_open("snapshot", argv[optind], &k, &ns);
	if (status)
		return status;
	t = util_now_ns();
	for (i = 0; i < k.nnodes; i++) {
		int fd = netns_socket(ns.node[i], AF_NETLINK, SOCK_RAW,
				      NETLINK_SOCK_DIAG);

		r = fd < 0 ? fd : diag_snapshot(fd, &sets[i]);
		if (fd >= 0)
			close(fd);
		if (r) {
			fprintf(stderr, "tcplab snapshot: sock_diag in %s: %s\n",
				k.nodes[i].name, strerror(-r));
			status = ERR_EXIT_ENV;
			break;
		}
		nodes[i].name = k.nodes[i].name;
		nodes[i].addr = k.family == 6 ? k.nodes[i].addr6 : k.nodes[i].addr4;
		nodes[i].set = &sets[i];
	}
	if (!status) {
		r = json ? snapshot_json(stdout, k.name, t, nodes, k.nnodes)
			 : snapshot_text(stdout, nodes, k.nnodes);
		if (r)
			status = ERR_EXIT_INTERNAL;
	}
	for (i = 0; i < SCENARIO_MAX_NODES; i++)
		diag_set_free(&sets[i]);
	kept_ns_close(&ns);
	return status;
}
