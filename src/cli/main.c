// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the tcplab command: which command, and the global options
 *
 *   tcplab [-h|--help|-V|--version]
 *   tcplab help [COMMAND]
 *   tcplab COMMAND [options] [operands]
 *
 * Theory of operation: the first argument names a command in the table
 * below; the command gets the rest of argv (its own name as argv[0]) and
 * parses its own options (cmd_*.c).  `tcplab help COMMAND` is
 * `tcplab COMMAND --help`.  Only this file exits, with the status the
 * command returned (cli.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "catalogue.h"
#include "cli.h"
#include "err.h"

static const struct cli_cmd commands[] = {
	{ "list", cmd_list, "list                      every scenario, one line each" },
	{ "show", cmd_show, "show NAME|FILE ...        what scenarios do, without running them" },
	{ "run", cmd_run, "run [options] NAME|FILE ...  run scenarios, show what happened" },
	{ "check", cmd_check, "check [options] [NAME|FILE ...]  run in parallel, KTAP on stdout" },
	{ "report", cmd_report, "report [options] [NAME|FILE ...]  one HTML or Markdown page" },
	{ "compare", cmd_compare, "compare [options] A.json B.json ...  what differed between kernels" },
	{ "up", cmd_up, "up [options] NAME|FILE    run one scenario, keep its lab" },
	{ "down", cmd_down, "down NAME ...             end kept labs" },
	{ "clean", cmd_clean, "clean                     end every kept lab" },
	{ "ls", cmd_ls, "ls                        the kept labs: nodes, addresses, age" },
	{ "exec", cmd_exec, "exec LAB NODE -- CMD...   run any command inside a node" },
	{ "watch", cmd_watch, "watch [--ladder] LAB      follow a kept lab live" },
	{ "snapshot", cmd_snapshot, "snapshot [--json] LAB     every socket of every node, like ss -tanoi" },
	{ "firewall", cmd_firewall, "firewall LAB NODE add|del|list RULE...  rules on a kept lab" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: tcplab COMMAND [options] [operands]\n"
		   "       tcplab help COMMAND | -h | --help | -V | --version\n"
		   "\n"
		   "Reproduce TCP connection states in a lab of network namespaces.\n"
		   "\n"
		   "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].synopsis);
	fprintf(f, "\n"
		   "'tcplab COMMAND --help' tells a command's options.  Scenarios are\n"
		   "looked up in $TCPLAB_SCENARIOS, else %s.\n"
		   "Exit status: 0 all held, 1 an expectation failed, 2 usage or scenario\n"
		   "error, 3 environment (a kernel feature missing or forbidden), 4 internal.\n",
		catalogue_shipped_dir());
}

static const struct cli_cmd *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* tcplab help [COMMAND] */
static int help(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	char *args[3];

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	cmd = command_find(argv[1]);
	if (!cmd || argc > 2) {
		fprintf(stderr, "tcplab help: no command '%s' (see 'tcplab --help')\n",
			argc > 2 ? argv[2] : argv[1]);
		return ERR_EXIT_USAGE;
	}
	args[0] = argv[1];
	args[1] = "--help";
	args[2] = NULL;
	return cmd->fn(2, args);
}

/*
 * version() - "tcplab VERSION" on stdout in one write(2): printf() would
 * make stdio's buffer the process's first malloc (a heap to set up) and
 * fault in the formatting code, for the line scripts call to probe.  A
 * stdout that cannot be written is ignored, as printf() ignored it.
 */
static int version(void)
{
	static const char line[] = "tcplab " TCPLAB_VERSION "\n";
	ssize_t n = write(STDOUT_FILENO, line, sizeof(line) - 1);

	(void)n;
	return 0;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return ERR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version") ||
	    !strcmp(argv[1], "version"))
		return version();
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return help(1, argv);
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	cmd = command_find(argv[1]);
	if (cmd)
		return cmd->fn(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		fprintf(stderr, "tcplab: unknown option '%s' (options follow the command)\n",
			argv[1]);
	else
		fprintf(stderr, "tcplab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return ERR_EXIT_USAGE;
}
