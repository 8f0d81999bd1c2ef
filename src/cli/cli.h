/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - what the commands of the tcplab command share
 *
 * Theory of operation: main.c looks the command up in a table and hands it
 * its own argv (argv[0] is the command's name).  Each command is one
 * function in a file of its own (cmd_*.c) with one getopt_long table: an
 * option it does not take is an error (exit 2) with a message naming it,
 * and --help prints the command's usage to stdout.  The helpers here parse
 * the option values several commands take, and combine exit statuses.
 *
 * Exit statuses: 0 all held, 1 an expectation failed, 2 usage or scenario
 * error, 3 environment (kernel feature missing or forbidden), 4 internal.
 */
#ifndef TCPLAB_CLI_H
#define TCPLAB_CLI_H

#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "kept.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"

#define CLI_MAX_SCENARIOS 256

/* One command: its name, its function, one line for the global usage */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
};

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_firewall(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/*
 * cli_kept_open() - for command @cmd: read kept lab @lab's record into @k,
 * get its namespaces from its keeper into @ns and enter them
 * (kept_enter()); 0, or the exit status after saying why (cli_kept.c)
 */
int cli_kept_open(const char *cmd, const char *lab, struct kept_info *k,
		  struct kept_ns *ns);

/* cli_worse() - the more severe of two exit statuses (they grow with it) */
int cli_worse(int a, int b);

/*
 * cli_bad_option() - say why getopt_long() returned @c ('?' or ':', with
 * an option string starting with ':') for command @cmd and its option
 * table @opts; returns 2.  Options without a short letter take a value
 * from CLI_LONG_ONLY up, so that an unknown one is told by its long name.
 */
int cli_bad_option(const char *cmd, int c, char **argv,
		   const struct option *opts);

#define CLI_LONG_ONLY 256

/* cli_no_args() - 0 if @argc says no operand is left, else 2 after saying so */
int cli_no_args(const char *cmd, int argc, char **argv);

/* cli_opt_family() - --family 4|6|both into @fams; 0 or -1 after saying why */
int cli_opt_family(const char *arg, int *fams, int *nfam);

/*
 * cli_opt_firewall() - --firewall NAME (or "all" when @all_ok) into @fws;
 * 0 or -1 after saying why
 */
int cli_opt_firewall(const char *arg, const char **fws, int *nfw, int all_ok);

/* cli_opt_slow() - --slow FACTOR (1 to 1000) or "auto" (measured, see
 * calibrate.h); 0 or -1 after saying why */
int cli_opt_slow(const char *arg, double *slow);

/*
 * cli_families_fit() - does each scenario run in a family of @fams?  A
 * scenario @named on the command line that would run in none is an error
 * (never a silent pass); so is a set of which none runs at all.  Returns
 * 0, or ERR_EXIT_USAGE after saying which scenario and why, before any lab.
 */
int cli_families_fit(struct scenario **scs, int nsc, const int *fams,
		     int nfam, int named);

/*
 * cli_privileges() - what building labs needs: nothing as root, else a user
 * namespace of tcplab's own (userns.h), entered while the process has one
 * thread; 0, or 3 after saying which knob forbids it
 */
int cli_privileges(void);

/* cli_probe_firewalls() - 0 if every backend works here, else its exit status */
int cli_probe_firewalls(const char *const *fws, int nfw);

/*
 * cli_capture_dir_make() - DIR/RUN-ID for this invocation's pcaps, created,
 * as an absolute path (a report links its pcaps from anywhere); 0 or -1
 * after saying why
 */
int cli_capture_dir_make(const char *capdir, char *out, size_t len);

/*
 * cli_load_named() - load each scenario argument (NAME or FILE) before any
 * lab is built; 0, or 2 after saying which one is wrong (none kept)
 */
int cli_load_named(int argc, char **argv, struct scenario **scs, int *nsc);

/*
 * cli_load_all() - like cli_load_named(), the whole catalogue when @argc
 * is 0; 0 or 2
 */
int cli_load_all(int argc, char **argv, struct scenario **scs, int *nsc);

/* cli_free_all() - free @nsc loaded scenarios */
void cli_free_all(struct scenario **scs, int nsc);

/* What run and up share (cmd_run.c): the options of runs in the foreground */
struct cli_run_args {
	struct runner_opts ro;
	const char *capdir;     /* NULL: no pcap files */
	int families[2], nfam;
	int family_given;       /* -f given: else each runs in its own family */
	char rundir[PATH_MAX];  /* capdir/RUN-ID once made */
};

/* the options run and up take, as getopt_long() letters */
#define CLI_RUN_SHORTOPTS ":f:F:s:qpLc:Clh"

/* cli_run_args_init() - the defaults: IPv4, nftables, ladder, captures */
void cli_run_args_init(struct cli_run_args *a);

/*
 * cli_run_option() - take run option @c with value @arg into @a; 0 when
 * taken, 1 when @c is not one, 2 after saying why the value is wrong
 */
int cli_run_option(int c, const char *arg, struct cli_run_args *a);

/*
 * cli_run_prepare() - before any lab: root, the capture directory, the
 * firewall backend works here; 0 or the exit status after saying why
 */
int cli_run_prepare(struct cli_run_args *a);

/*
 * cli_run_each() - run each scenario in each family it declares, in order;
 * counts into @passed and @failed; returns the exit status
 */
int cli_run_each(struct scenario **scs, int nsc, struct cli_run_args *a,
		 int *passed, int *failed);

/* What check and report share (cmd_check.c): runs in parallel, gathered */
struct cli_batch_args {
	struct runner_opts ro;  /* slow, capture_dir; the rest is set per run */
	const char *firewalls[2];
	int nfw;
	int families[2], nfam;
	int jobs;
	const char *capdir;     /* NULL: no pcap files */
	char rundir[PATH_MAX];
	struct scenario *scs[CLI_MAX_SCENARIOS];
	int nsc;
	/* with --firewall all, a backend this machine cannot run: its runs
	 * are skips with the reason, the other backend runs */
	const char *skip_fw;
	char skip_reason[512];
};

/*
 * cli_batch_args_init() - both families, nftables, one job per CPU,
 * captures under @capdir (NULL: none)
 */
void cli_batch_args_init(struct cli_batch_args *a, const char *capdir);

/*
 * cli_batch_option() - take option @c (-f, -F with "all", -s, -c) with
 * value @arg into @a; 0 when taken, 1 when @c is not one, 2 after saying
 * why the value is wrong
 */
int cli_batch_option(int c, const char *arg, struct cli_batch_args *a);

/*
 * cli_batch_prepare() - load the scenarios named by @argc/@argv (the whole
 * catalogue when none), then check the environment (root, backends, the
 * capture directory); 0, or the exit status after saying why
 */
int cli_batch_prepare(int argc, char **argv, struct cli_batch_args *a);

/*
 * cli_batch_run() - run them all on the pool (batch_run()), each run's
 * text to @text (NULL: nowhere), the results into @all; returns the exit
 * status, verdicts included (a failure 1, an error 4)
 */
int cli_batch_run(struct cli_batch_args *a, struct results *all, FILE *text);

/* cli_batch_free() - free the loaded scenarios */
void cli_batch_free(struct cli_batch_args *a);

/*
 * cli_output_ok() - can @path be written ("-": stdout)?  Checked before
 * any run, without truncating what is there; 0, or ERR_EXIT_USAGE after
 * saying why
 */
int cli_output_ok(const char *path);

/*
 * cli_write_file() - write @all to @path ("-": stdout) with @w; 0, or 4
 * after saying why
 */
int cli_write_file(const char *path, int (*w)(FILE *, const struct results *),
		   const struct results *all);

#endif
