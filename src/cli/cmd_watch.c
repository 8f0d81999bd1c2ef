// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_watch.c - tcplab watch LAB: a kept lab, live (watch.h)
 *
 * Theory of operation: SIGINT, SIGTERM and SIGHUP only set a flag that the
 * watch loop reads: Ctrl-C ends the watching, never the lab.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "kept.h"
#include "util.h"
#include "watch.h"

static volatile sig_atomic_t watch_stop;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void watch_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab watch [--ladder] [--for SECONDS] LAB\n"
		"\n"
		"Follow the kept lab LAB live, whatever runs in it (tcplab exec ...\n"
		"nc, curl): every socket state change on every node, with its peer\n"
		"and timer; every packet, as one tcpdump line; every firewall drop\n"
		"with its rule - on one clock, in seconds since watching began.\n"
		"Ctrl-C ends the watching; the lab stays.\n"
		"  -l, --ladder        draw the packets as a live ladder diagram\n"
		"  -t, --for SECONDS   stop after SECONDS\n");
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ladder", no_argument, NULL, 'l' },
		{ "for", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct watch_opts o = { .out = stdout, .stop = &watch_stop };
	struct sigaction sa = { .sa_handler = on_signal };
	struct err e = { 0 };
	struct kept_info k;
	struct kept_ns ns;
	int c, status;
	char *end;
	double secs;

	while ((c = getopt_long(argc, argv, ":lt:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o.ladder = 1;
			break;
		case 't':
			secs = strtod(optarg, &end);
			if (*end || secs <= 0 || secs > 86400 * 7) {
				fprintf(stderr, "tcplab watch: --for takes seconds (> 0)\n");
				return ERR_EXIT_USAGE;
			}
			o.duration_ns = (uint64_t)(secs * 1e9);
			break;
		case 'h':
			watch_usage(stdout);
			return 0;
		default:
			return cli_bad_option(argv[0], c, argv, opts);
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "tcplab watch: give one kept lab (tcplab ls lists them)\n");
		return ERR_EXIT_USAGE;
	}
	o.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	setvbuf(stdout, NULL, _IOLBF, 0);
	status = cli_kept_open("watch", argv[optind], &k, &ns);
	if (status)
		return status;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (watch_run(&k, &ns, &o, &e)) {
		fprintf(stderr, "tcplab watch: %s\n", e.msg);
		status = err_exit_status(&e);
	}
	kept_ns_close(&ns);
	return status;
}
