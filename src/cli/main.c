// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the tcplab command: argument parsing and exit statuses only
 *
 *   tcplab list                  every shipped scenario, one line each
 *   tcplab run NAME|FILE ...     run scenarios one after another
 *
 * Exit status: 0 all held, 1 an expectation failed, 2 usage or scenario
 * error, 3 environment (not root, kernel feature missing), 4 internal.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "fw.h"
#include "baseline.h"
#include "results_json.h"
#include "junit.h"
#include "keeper.h"
#include "lab.h"
#include "ktap.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"
#include "show.h"
#include "util.h"

#define MAX_SCENARIOS 256

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcplab list\n"
		"       tcplab show NAME|FILE ...\n"
		"       tcplab run [options] NAME|FILE ...\n"
		"       tcplab check [options] [NAME|FILE ...]   (KTAP on stdout)\n"
		"       tcplab up [-f 4|6] [-F BACKEND] NAME|FILE   (run it, keep the lab)\n"
		"       tcplab down NAME   |   tcplab clean   (end kept labs)\n"
		"       tcplab report [options] [NAME|FILE ...] -o FILE\n"
		"\n"
		"Reproduce TCP connection states in a lab of network namespaces.\n"
		"\n"
		"run options:\n"
		"  -f, --family 4|6|both     address family (default 4)\n"
		"  -F, --firewall BACKEND    firewall backend: %s (default nftables)\n"
		"  -s, --slow FACTOR         widen every deadline by FACTOR (>= 1)\n"
		"  -q, --quiet               no socket tables\n"
		"  -p, --packets             every packet, as tcpdump prints it\n"
		"  -L, --no-ladder           no ladder diagram after each scenario\n"
		"  -c, --captures DIR        save pcaps under DIR/RUN-ID (default: captures)\n"
		"  -C, --no-captures         save no pcap files\n"
		"  -l, --long                also the steps that wait out long timers\n"
		"\n"
		"check options (and run's -f, -F, -s): -j, --jobs N (default: CPUs),\n"
		"  --firewall all (both backends), --junit FILE, --json FILE,\n"
		"  --baseline FILE (exit 1 on any difference), -v (each run's text to stderr)\n"
		"report options: -o, --output FILE (default report.html), --format html|md\n"
		"\n"
		"Scenarios are looked up in $TCPLAB_SCENARIOS, then %s,\n"
		"then %s.\n"
		"Exit status: 0 all held, 1 an expectation failed, 2 usage or scenario\n"
		"error, 3 environment (not root, kernel feature missing), 4 internal.\n",
		fw_backend_names(), TCPLAB_SCENARIO_DIR_SOURCE,
		TCPLAB_SCENARIO_DIR_INSTALLED);
}

/* --family 4|6|both into @fams; 0 or -1 after saying why */
static int opt_family(const char *arg, int *fams, int *nfam)
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

/* --firewall NAME (or "all" when @all_ok) into @fws; 0 or -1 */
static int opt_firewall(const char *arg, const char **fws, int *nfw,
			int all_ok)
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

/* --slow FACTOR; 0 or -1 */
static int opt_slow(const char *arg, double *slow)
{
	char *end;

	*slow = strtod(arg, &end);
	if (*end || *slow < 1 || *slow > 1000) {
		fprintf(stderr, "tcplab: --slow takes a factor from 1 to 1000\n");
		return -1;
	}
	return 0;
}

/*
 * DIR/RUN-ID for this invocation's pcaps, created, as an absolute path (a
 * report links its pcaps from anywhere); 0 or -1 after saying why
 */
static int capture_dir_make(const char *capdir, char *out, size_t len)
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

static int worse(int a, int b);

static const char *scenario_dir(void)
{
	const char *env = getenv("TCPLAB_SCENARIOS");
	struct stat st;

	if (env && *env)
		return env;
	if (stat(TCPLAB_SCENARIO_DIR_SOURCE, &st) == 0 && S_ISDIR(st.st_mode))
		return TCPLAB_SCENARIO_DIR_SOURCE;
	return TCPLAB_SCENARIO_DIR_INSTALLED;
}

/* A NAME is looked up in the scenario directory; anything with a '/' or
 * an existing file is a FILE. */
static void resolve(const char *arg, char *path, size_t len)
{
	struct stat st;

	if (strchr(arg, '/') || (stat(arg, &st) == 0 && S_ISREG(st.st_mode)))
		snprintf(path, len, "%s", arg);
	else
		snprintf(path, len, "%s/%s.tcp", scenario_dir(), arg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * scenario_files() - the *.tcp names in @dir, sorted, into @names (each
 * strdup'ed); returns how many, or -1 after saying why
 */
static int scenario_files(const char *dir, char **names, int max)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp) {
		fprintf(stderr, "tcplab: cannot open scenario directory %s: %s\n",
			dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dp)) && n < max) {
		size_t l = strlen(d->d_name);

		if (l > 4 && !strcmp(d->d_name + l - 4, ".tcp"))
			names[n++] = strdup(d->d_name);
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	return n;
}

static int cmd_list(void)
{
	const char *dir = scenario_dir();
	char *names[MAX_SCENARIOS];
	int n, i, status = 0;

	n = scenario_files(dir, names, MAX_SCENARIOS);
	if (n < 0)
		return ERR_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		struct err e = { 0 };
		struct scenario *sc;
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (scenario_load(path, &sc, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			status = ERR_EXIT_USAGE;
		} else {
			printf("%-16s %s\n", sc->name, sc->title);
			scenario_free(sc);
		}
		free(names[i]);
	}
	return status;
}

static int cmd_show(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "tcplab: show needs at least one scenario\n");
		return ERR_EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		struct err e = { 0 };
		struct scenario *sc;
		char path[4096];

		resolve(argv[i], path, sizeof(path));
		if (scenario_load(path, &sc, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			status = ERR_EXIT_USAGE;
			continue;
		}
		if (i > 1)
			putchar('\n');
		if (show_scenario(stdout, sc))
			status = ERR_EXIT_INTERNAL;
		scenario_free(sc);
	}
	return status;
}

/* Load every scenario named (all shipped ones when none): 0 or exit status */
static int load_all(int argc, char **argv, struct scenario **scs, int *nsc)
{
	char *names[MAX_SCENARIOS];
	int n = 0, i;

	*nsc = 0;
	if (argc == 0) {
		const char *dir = scenario_dir();

		n = scenario_files(dir, names, MAX_SCENARIOS);
		if (n < 0)
			return ERR_EXIT_USAGE;
		for (i = 0; i < n; i++) {
			char *dot = strrchr(names[i], '.');

			*dot = '\0';
		}
	} else {
		for (i = 0; i < argc && n < MAX_SCENARIOS; i++)
			names[n++] = strdup(argv[i]);
	}
	for (i = 0; i < n; i++) {
		struct err e = { 0 };
		char path[4096];

		resolve(names[i], path, sizeof(path));
		if (scenario_load(path, &scs[*nsc], &e)) {
			fprintf(stderr, "%s\n", e.code == -ENOENT ? path : e.msg);
			if (e.code == -ENOENT)
				fprintf(stderr, "tcplab: no scenario '%s'\n", names[i]);
			while (i < n)
				free(names[i++]);
			return ERR_EXIT_USAGE;
		}
		(*nsc)++;
		free(names[i]);
	}
	return 0;
}

/* One scenario x family x backend */
struct job {
	struct scenario *sc;
	int family;
	const char *firewall;
	struct results res;  /* its one run */
	char *text;          /* what the run printed */
	size_t textlen;
	int status;          /* exit class of a run that could not run */
};

struct pool {
	struct job *jobs;
	int njobs, next;
	pthread_mutex_t lock;
	struct runner_opts base;
};

static void *pool_worker(void *p)
{
	struct pool *pl = p;

	for (;;) {
		struct runner_opts ro;
		struct err e = { 0 };
		struct result *r;
		struct job *j;
		FILE *out;

		pthread_mutex_lock(&pl->lock);
		j = pl->next < pl->njobs ? &pl->jobs[pl->next++] : NULL;
		pthread_mutex_unlock(&pl->lock);
		if (!j)
			return NULL;
		ro = pl->base;
		ro.family = j->family;
		ro.firewall = j->firewall;
		ro.record = 1;
		r = results_add(&j->res);
		out = open_memstream(&j->text, &j->textlen);
		if (!r || !out)
			return NULL;
		ro.out = out;
		if (runner_run(j->sc, &ro, r, &e)) {
			fprintf(out, "tcplab: %s: %s\n", j->sc->name, e.msg);
			j->status = err_exit_status(&e);
		}
		fclose(out);
	}
}

/*
 * Run every scenario x family x backend on @jobs threads (each lab has its
 * own namespaces; the keeper serves them all) and gather the results in
 * order.  Returns 0 or an exit status.
 */
static int run_pool(struct scenario **scs, int nsc, const int *fams, int nfam,
		    const char *const *fws, int nfw, int njobs,
		    const struct runner_opts *base, struct results *all,
		    FILE *text)
{
	struct pool pl = { .base = *base };
	pthread_t th[64];
	int i, f, w, n = 0, status = 0;

	pl.jobs = calloc((size_t)(nsc * nfam * nfw), sizeof(*pl.jobs));
	if (!pl.jobs)
		return ERR_EXIT_INTERNAL;
	for (i = 0; i < nsc; i++)
		for (w = 0; w < nfw; w++)
			for (f = 0; f < nfam; f++) {
				int fb = fams[f] == 6 ? SCENARIO_FAMILY_6
						      : SCENARIO_FAMILY_4;

				if (!(scs[i]->families & fb))
					continue;
				pl.jobs[n].sc = scs[i];
				pl.jobs[n].family = fams[f];
				pl.jobs[n].firewall = fws[w];
				n++;
			}
	pl.njobs = n;
	pthread_mutex_init(&pl.lock, NULL);
	/*
	 * The keeper's parent-death signal follows the thread that created
	 * it: it must be this one, which outlives every worker.
	 */
	{
		struct err e = { 0 };

		if (keeper_start(&e)) {
			fprintf(stderr, "tcplab: %s\n", e.msg);
			free(pl.jobs);
			return err_exit_status(&e);
		}
	}
	if (njobs < 1)
		njobs = 1;
	if (njobs > (int)ARRAY_SIZE(th))
		njobs = (int)ARRAY_SIZE(th);
	for (i = 0; i < njobs; i++)
		if (pthread_create(&th[i], NULL, pool_worker, &pl)) {
			njobs = i;
			break;
		}
	for (i = 0; i < njobs; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < n; i++) {
		struct job *j = &pl.jobs[i];
		size_t k;

		if (text && j->text)
			fwrite(j->text, 1, j->textlen, text);
		free(j->text);
		if (j->status)
			status = worse(status, j->status);
		for (k = 0; k < j->res.nruns; k++) {
			struct result *r = results_add(all);

			if (r)
				*r = j->res.runs[k]; /* moved: owned by @all now */
		}
		free(j->res.runs);
	}
	free(pl.jobs);
	return status;
}

static int cmd_check(int argc, char **argv, int report)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "firewall", required_argument, NULL, 'F' },
		{ "slow", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "json", required_argument, NULL, 'S' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'M' },
		{ "captures", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct runner_opts ro = { .slow = 1, .quiet = 0, .ladder = 1 };
	const char *fws[2] = { "nftables", NULL }, *junit = NULL, *json = NULL;
	const char *baseline = NULL, *output = report ? "report.html" : NULL;
	const char *format = "html", *capdir = report ? "captures" : NULL;
	struct scenario *scs[MAX_SCENARIOS];
	struct results all = { 0 };
	int fams[2] = { 4, 6 }, nfam = 2, nfw = 1, nsc = 0, c, i, status;
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), verbose = 0;
	char rundir[PATH_MAX];
	size_t k;

	if (jobs < 1)
		jobs = 1;
	while ((c = getopt_long(argc, argv, "f:F:s:j:o:c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (opt_family(optarg, fams, &nfam))
				return ERR_EXIT_USAGE;
			break;
		case 'F':
			if (opt_firewall(optarg, fws, &nfw, 1))
				return ERR_EXIT_USAGE;
			break;
		case 's':
			if (opt_slow(optarg, &ro.slow))
				return ERR_EXIT_USAGE;
			break;
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > 64) {
				fprintf(stderr, "tcplab: --jobs takes 1 to 64\n");
				return ERR_EXIT_USAGE;
			}
			break;
		case 'J': junit = optarg; break;
		case 'S': json = optarg; break;
		case 'B': baseline = optarg; break;
		case 'o': output = optarg; break;
		case 'c': capdir = optarg; break;
		case 'v': verbose = 1; break;
		case 'M':
			if (strcmp(optarg, "html") && strcmp(optarg, "md")) {
				fprintf(stderr, "tcplab: --format takes html or md\n");
				return ERR_EXIT_USAGE;
			}
			format = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return ERR_EXIT_USAGE;
		}
	}
	status = load_all(argc - optind, argv + optind, scs, &nsc);
	if (status)
		goto out;
	if (geteuid() != 0) {
		fprintf(stderr, "tcplab: tcplab builds network namespaces and must "
			"run as root\n");
		status = ERR_EXIT_ENV;
		goto out;
	}
	for (i = 0; i < nfw; i++) {
		struct err e = { 0 };

		if (fw_probe(fw_backend_find(fws[i]), &e)) {
			fprintf(stderr, "tcplab: firewall backend %s: %s\n", fws[i], e.msg);
			status = err_exit_status(&e);
			goto out;
		}
	}
	if (capdir) {
		if (capture_dir_make(capdir, rundir, sizeof(rundir))) {
			status = ERR_EXIT_USAGE;
			goto out;
		}
		ro.capture_dir = rundir;
	}
	results_fill_host(&all, TCPLAB_VERSION);
	status = run_pool(scs, nsc, fams, nfam, fws, nfw, jobs, &ro, &all,
			  verbose || report ? stderr : NULL);
	keeper_stop();
	if (!report && ktap_write(stdout, &all))
		status = worse(status, ERR_EXIT_INTERNAL);
	for (k = 0; k < all.nruns; k++)
		if (all.runs[k].verdict == RES_FAIL || all.runs[k].verdict == RES_XPASS)
			status = worse(status, ERR_EXIT_FAIL);
		else if (all.runs[k].verdict == RES_ERROR)
			status = worse(status, ERR_EXIT_INTERNAL);
	{
		struct { const char *path; int (*w)(FILE *, const struct results *); } outs[] = {
			{ junit, junit_write },
			{ json, json_write },
			{ report && !strcmp(format, "html") ? output : NULL, report_html },
			{ report && !strcmp(format, "md") ? output : NULL, report_md },
		};
		size_t o;

		for (o = 0; o < ARRAY_SIZE(outs); o++) {
			FILE *f;

			if (!outs[o].path)
				continue;
			f = !strcmp(outs[o].path, "-") ? stdout : fopen(outs[o].path, "we");
			if (!f || outs[o].w(f, &all) || (f != stdout && fclose(f))) {
				fprintf(stderr, "tcplab: cannot write %s: %s\n",
					outs[o].path, strerror(errno));
				status = worse(status, ERR_EXIT_INTERNAL);
			}
		}
		if (report && output)
			fprintf(stderr, "tcplab: report written to %s\n", output);
	}
	if (baseline) {
		struct results base = { 0 };
		struct err e = { 0 };

		if (json_read_observed(baseline, &base, &e)) {
			fprintf(stderr, "tcplab: baseline %s: %s\n", baseline, e.msg);
			status = worse(status, ERR_EXIT_USAGE);
		} else {
			int diffs = baseline_compare(stderr, &all, &base);

			if (diffs > 0) {
				fprintf(stderr, "tcplab: %d difference%s from the baseline %s\n",
					diffs, diffs == 1 ? "" : "s", baseline);
				status = worse(status, ERR_EXIT_FAIL);
			} else if (diffs == 0) {
				fprintf(stderr, "tcplab: no difference from the baseline %s\n",
					baseline);
			}
			results_free(&base);
		}
	}
	results_free(&all);
out:
	for (i = 0; i < nsc; i++)
		scenario_free(scs[i]);
	return status;
}

/* tcplab down NAME ... / tcplab clean: end kept labs */
static int cmd_down(int argc, char **argv, int all)
{
	char *names[MAX_SCENARIOS];
	int n = 0, i, status = 0;

	if (geteuid() != 0) {
		fprintf(stderr, "tcplab: ending kept labs needs root\n");
		return ERR_EXIT_ENV;
	}
	if (all) {
		struct dirent *d;
		DIR *dp = opendir("/run/tcplab");

		while (dp && (d = readdir(dp)) && n < MAX_SCENARIOS)
			if (d->d_name[0] != '.')
				names[n++] = strdup(d->d_name);
		if (dp)
			closedir(dp);
	} else {
		if (argc < 2) {
			fprintf(stderr, "tcplab: down needs the name of a kept lab\n");
			return ERR_EXIT_USAGE;
		}
		for (i = 1; i < argc && n < MAX_SCENARIOS; i++)
			names[n++] = strdup(argv[i]);
	}
	for (i = 0; i < n; i++) {
		struct err e = { 0 };

		if (!names[i] || strchr(names[i], '/')) {
			status = ERR_EXIT_USAGE;
		} else if (lab_down(names[i], &e)) {
			fprintf(stderr, "tcplab: %s\n", e.msg);
			status = worse(status, ERR_EXIT_USAGE);
		} else {
			printf("lab %s is gone\n", names[i]);
		}
		free(names[i]);
	}
	return status;
}

static int worse(int a, int b)
{
	/* the exit statuses grow with severity: internal > environment >
	 * usage > failed > ok */
	return b > a ? b : a;
}

static int cmd_run(int argc, char **argv, int up)
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
	struct runner_opts ro = { .firewall = "nftables", .slow = 1,
				  .out = stdout, .ladder = 1 };
	const char *capdir = "captures";
	char rundir[PATH_MAX];
	struct scenario *scs[MAX_SCENARIOS];
	int families[2], nfam = 1, nsc = 0, i, j, c, status = 0;
	int passed = 0, failed = 0;

	families[0] = 4;
	ro.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	while ((c = getopt_long(argc, argv, "f:F:s:qpLc:Clh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (opt_family(optarg, families, &nfam))
				return ERR_EXIT_USAGE;
			break;
		case 'F': {
			const char *fw[2];
			int n;

			if (opt_firewall(optarg, fw, &n, 0))
				return ERR_EXIT_USAGE;
			ro.firewall = fw[0];
			break;
		}
		case 's':
			if (opt_slow(optarg, &ro.slow))
				return ERR_EXIT_USAGE;
			break;
		case 'q':
			ro.quiet = 1;
			break;
		case 'p':
			ro.packets = 1;
			break;
		case 'L':
			ro.ladder = 0;
			break;
		case 'c':
			capdir = optarg;
			break;
		case 'C':
			capdir = NULL;
			break;
		case 'l':
			ro.long_steps = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return ERR_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tcplab: run needs at least one scenario (see 'tcplab list')\n");
		return ERR_EXIT_USAGE;
	}
	if (argc - optind > MAX_SCENARIOS) {
		fprintf(stderr, "tcplab: at most %d scenarios at once\n", MAX_SCENARIOS);
		return ERR_EXIT_USAGE;
	}
	/* Every file is parsed and checked before any lab is built. */
	for (i = optind; i < argc; i++) {
		struct err e = { 0 };
		char path[4096];

		resolve(argv[i], path, sizeof(path));
		if (scenario_load(path, &scs[nsc], &e)) {
			if (e.code == -ENOENT && !strchr(argv[i], '/'))
				fprintf(stderr,
					"tcplab: no scenario '%s' (see 'tcplab list')\n",
					argv[i]);
			else
				fprintf(stderr, "%s\n", e.msg);
			for (j = 0; j < nsc; j++)
				scenario_free(scs[j]);
			return ERR_EXIT_USAGE;
		}
		nsc++;
	}
	if (up && (nsc != 1 || nfam != 1)) {
		fprintf(stderr, "tcplab: up keeps one lab: one scenario, one family\n");
		for (j = 0; j < nsc; j++)
			scenario_free(scs[j]);
		return ERR_EXIT_USAGE;
	}
	if (up)
		ro.keep = scs[0]->name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		fprintf(stderr, "tcplab: tcplab builds network namespaces and must "
			"run as root\n");
		for (j = 0; j < nsc; j++)
			scenario_free(scs[j]);
		return ERR_EXIT_ENV;
	}
	/* captures/RUN-ID: one directory per invocation */
	if (capdir) {
		if (capture_dir_make(capdir, rundir, sizeof(rundir))) {
			for (j = 0; j < nsc; j++)
				scenario_free(scs[j]);
			return ERR_EXIT_USAGE;
		}
		ro.capture_dir = rundir;
	}
	/* the backend must work on this kernel before any lab relies on it */
	{
		struct err e = { 0 };

		if (fw_probe(fw_backend_find(ro.firewall), &e)) {
			fprintf(stderr, "tcplab: firewall backend %s: %s\n",
				ro.firewall, e.msg);
			for (j = 0; j < nsc; j++)
				scenario_free(scs[j]);
			return err_exit_status(&e);
		}
	}
	for (i = 0; i < nsc; i++) {
		for (j = 0; j < nfam; j++) {
			int fb = families[j] == 6 ? SCENARIO_FAMILY_6
						  : SCENARIO_FAMILY_4;
			struct result res;
			struct err e = { 0 };

			if (!(scs[i]->families & fb))
				continue;
			ro.family = families[j];
			if (runner_run(scs[i], &ro, &res, &e)) {
				fprintf(stderr, "tcplab: %s: %s\n", scs[i]->name,
					e.msg[0] ? e.msg : "failed");
				status = worse(status, err_exit_status(&e));
				result_free(&res);
				if (err_exit_status(&e) == ERR_EXIT_ENV)
					goto out; /* the next one would fail alike */
				continue;
			}
			if (result_held(&res)) {
				passed++;
			} else {
				failed++;
				status = worse(status, ERR_EXIT_FAIL);
			}
			result_free(&res);
		}
	}
out:
	if (!up)
		keeper_stop();
	if (passed + failed > 1)
		printf("%d passed, %d failed\n", passed, failed);
	for (j = 0; j < nsc; j++)
		scenario_free(scs[j]);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return ERR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1, 0);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1, 0);
	if (!strcmp(argv[1], "down"))
		return cmd_down(argc - 1, argv + 1, 0);
	if (!strcmp(argv[1], "clean"))
		return cmd_down(argc - 1, argv + 1, 1);
	if (!strcmp(argv[1], "up"))
		return cmd_run(argc - 1, argv + 1, 1);
	if (!strcmp(argv[1], "report"))
		return cmd_check(argc - 1, argv + 1, 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("tcplab %s\n", TCPLAB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "tcplab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return ERR_EXIT_USAGE;
}
