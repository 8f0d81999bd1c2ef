// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_exec.c - tcplab exec LAB NODE -- CMD...: any command inside a node
 *
 * Theory of operation: the lab's keeper hands over its namespaces
 * (kept_connect()); tcplab joins the lab's user namespace (a rootless
 * lab), the node's network namespace and the labs' PID namespace, then
 * forks the command there and waits for it.  The command is the keeper's
 * descendant in PID terms: when the lab ends, so does it.  The exit status
 * is the command's (128 + N for a signal N), or tcplab's own 2 or 3 when
 * the command could not be started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "kept.h"
#include "netns.h"
#include "userns.h"

static void exec_usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab exec LAB NODE [--] [COMMAND [ARG...]]\n"
		"\n"
		"Run COMMAND (default: $SHELL, else sh) inside node NODE of the kept\n"
		"lab LAB: its network namespace (and the lab's user namespace when it\n"
		"was kept without root), e.g.\n"
		"  tcplab exec close-wait client -- nc 198.18.0.2 80\n"
		"  tcplab exec close-wait server -- ss -tano\n"
		"The command ends with the lab.  Exit status: the command's.\n");
}

int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *lab, *node, *shell = getenv("SHELL");
	char *defcmd[] = { (char *)(shell && *shell ? shell : "sh"), NULL };
	char **cmd;
	struct kept_info k;
	struct kept_ns ns;
	struct err e = { 0 };
	int c, i, r, status;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c != 'h')
			return cli_bad_option(argv[0], c, argv, opts);
		exec_usage(stdout);
		return 0;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "tcplab exec: give a kept lab and one of its nodes "
			"(tcplab ls lists them)\n");
		return ERR_EXIT_USAGE;
	}
	lab = argv[optind];
	node = argv[optind + 1];
	cmd = argv + optind + 2;
	if (*cmd && !strcmp(*cmd, "--"))
		cmd++;
	if (!*cmd)
		cmd = defcmd;
	if (kept_read(lab, &k, &e)) {
		fprintf(stderr, "tcplab exec: %s\n", e.msg);
		return ERR_EXIT_USAGE;
	}
	i = kept_node_find(&k, node);
	if (i < 0) {
		fprintf(stderr, "tcplab exec: lab %s has no node '%s' (its nodes:",
			lab, node);
		for (c = 0; c < k.nnodes; c++)
			fprintf(stderr, " %s", k.nodes[c].name);
		fprintf(stderr, ")\n");
		return ERR_EXIT_USAGE;
	}
	if (kept_connect(lab, &ns, &e)) {
		fprintf(stderr, "tcplab exec: %s\n", e.msg);
		return err_exit_status(&e);
	}
	r = userns_join(ns.user);
	if (!r)
		r = netns_move(ns.node[i]);
	if (!r && setns(ns.pid, CLONE_NEWPID) < 0)
		r = -errno;
	kept_ns_close(&ns);
	if (r) {
		fprintf(stderr, "tcplab exec: cannot enter node %s of lab %s: %s\n",
			node, lab, strerror(-r));
		return ERR_EXIT_ENV;
	}
	setenv("TCPLAB_LAB", lab, 1);
	setenv("TCPLAB_NODE", node, 1);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("tcplab exec: fork");
		return ERR_EXIT_ENV;
	}
	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "tcplab exec: %s: %s\n", cmd[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	/* the terminal's signals are the command's to take */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return ERR_EXIT_INTERNAL;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
