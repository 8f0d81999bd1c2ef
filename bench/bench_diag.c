// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_diag.c - a snapshot of 100,000 TCP sockets: tcplab's own sock_diag
 * dump (diag_query(), decoded into structs) against ss (the whole process,
 * its output to /dev/null), alternately, in a network namespace of the
 * bench's own: without tcp_info against `ss -tan`, with tcp_info (what
 * `tcplab snapshot` asks for) against `ss -tani`.
 *
 * Theory of operation: the process moves itself into a new network
 * namespace (unshare), and children of its own open 50,000 IPv4 and 50,000
 * IPv6 listening sockets on the wildcard addresses (no link needed; a
 * share of at most 16,000 each, under the usual open-file limit) and hold
 * them until the bench closes their pipe.  Each side is timed ITER times,
 * alternately.  ss runs inside the same namespace (a child inherits it).
 * The namespace and its sockets go when the bench and its children exit.
 *
 * Usage (root): bench_diag [ITER] [SOCKETS]
 *
 * bench_diag --host ITER SOCKETS CMD [ARG...] measures what other
 * namespaces' sockets cost a lab: the kernel's listening hash is one for
 * the whole machine, whatever tcp_child_ehash_entries gives each namespace.
 * It times CMD (a tcplab run, the whole process, started from the bench's
 * namespace) ITER times, and a lab's dump in a namespace like a lab's (its
 * own established hash of 256 buckets, one listener, on port 8080): the
 * dump of every state as the runner asked for it before (which walks the
 * listening hash) and diag_query() with the listener's port known (which
 * does not).  First with nothing held, then while children, each in a
 * network namespace of its own, hold SOCKETS listening sockets.  The
 * dumps are timed DUMPS times per round, alternately.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * NS_PER_S + (uint64_t)tv->tv_usec * 1000;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* @p-th percentile of @v (sorted here), in ms */
static double pct_ms(uint64_t *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return (double)v[(int)(p * (n - 1) + 0.5)] / 1e6;
}

static int listen_on(int family, int port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	int r;

	if (fd < 0)
		return -errno;
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		a6.sin6_port = htons((uint16_t)port);
		a6.sin6_addr = in6addr_any;
		r = bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	} else {
		a4.sin_port = htons((uint16_t)port);
		r = bind(fd, (struct sockaddr *)&a4, sizeof(a4));
	}
	if (r || listen(fd, 1)) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* Sockets each holder child opens at most */
#define BENCH_SHARE 16000

/*
 * holder() - fork a child that listens on sockets @from..@to-1 (even:
 * IPv4, odd: IPv6), says 'y' (or 'n') on @ready and holds them until @hold
 * is closed by the bench; in a network namespace of its own when @own_ns
 */
static int holder(int from, int to, const int *hold, int ready, int own_ns)
{
	pid_t pid = fork();
	char c = 'y';
	int i;

	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid)
		return 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(hold[1]);
	if (own_ns && unshare(CLONE_NEWNET)) {
		perror("bench_diag: holder: unshare");
		c = 'n';
		to = from;
	}
	for (i = from; i < to; i++) {
		int fd = listen_on(i & 1 ? AF_INET6 : AF_INET, 1024 + i / 2);

		if (fd < 0) {
			fprintf(stderr, "bench_diag: socket %d: %s\n", i,
				strerror(-fd));
			c = 'n';
			break;
		}
	}
	(void)!write(ready, &c, 1);
	(void)!read(hold[0], &c, 1);
	_exit(0);
}

/*
 * holders() - @nsock sockets held by BENCH_SHARE-sized holder processes
 * (in namespaces of their own with @own_ns), each saying 'y' on @ready
 * once its share is open; they hold until @hold's write end closes.
 * Return: 0 when all are ready, else -1 (said on stderr)
 */
static int holders(int nsock, int hold[2], int ready[2], int own_ns)
{
	int i;

	for (i = 0; i < nsock; i += BENCH_SHARE)
		if (holder(i, i + BENCH_SHARE < nsock ? i + BENCH_SHARE : nsock,
			   hold, ready[1], own_ns))
			return -1;
	close(hold[0]);
	close(ready[1]);
	for (i = 0; i < nsock; i += BENCH_SHARE) {
		char c;

		if (read(ready[0], &c, 1) != 1 || c != 'y') {
			fprintf(stderr, "bench_diag: a socket holder failed\n");
			return -1;
		}
	}
	return 0;
}

/* Dumps timed in each round of --host, each way */
#define HOST_DUMPS 200

/* Buckets of a lab namespace's own established hash */
#define HOST_EHASH "256"

/*
 * lab_ns_diag() - a NETLINK_SOCK_DIAG socket in a new namespace made as a
 * lab's node is (tcp_child_ehash_entries set in a namespace of the bench's
 * own, then a child of it), holding a listener on 8080 (*@lfd); the bench
 * is back in its first namespace after.  Returns the socket or -1.
 */
static int lab_ns_diag(int *lfd)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd = -1;
	int sysfd, ok;

	if (home < 0 || unshare(CLONE_NEWNET))
		goto out;
	sysfd = open("/proc/sys/net/ipv4/tcp_child_ehash_entries", O_WRONLY);
	ok = sysfd >= 0 && write(sysfd, HOST_EHASH, strlen(HOST_EHASH)) > 0;
	if (sysfd >= 0)
		close(sysfd);
	if (!ok || unshare(CLONE_NEWNET))
		goto back;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	*lfd = listen_on(AF_INET, 8080);
	if (*lfd < 0) {
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
back:
	if (setns(home, CLONE_NEWNET)) {
		perror("bench_diag: setns back");
		exit(4);
	}
out:
	if (home >= 0)
		close(home);
	return fd;
}

/*
 * time_cmd() - one run of @argv (`ss -tan`, a tcplab run), its output and
 * errors to /dev/null: the whole process; 0 on failure.
 * posix_spawn(), not fork(): a fork would mark every page of the bench's
 * own memory copy-on-write, and the next snapshot would pay a page fault
 * for each page of its socket set that it writes.
 */
static uint64_t time_cmd(char **argv)
{
	posix_spawn_file_actions_t fa;
	uint64_t t = util_now_ns();
	pid_t pid;
	int st, r;

	if (posix_spawn_file_actions_init(&fa) ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0))
		return 0;
	r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return 0;
	return util_now_ns() - t;
}

/*
 * host_round() - one round of --host: the two lab dumps HOST_DUMPS times
 * each, alternately, then CMD @iters times; prints a line
 */
static int host_round(int nl, int iters, char **cmd, const char *what)
{
	static const uint16_t port = 8080;
	struct diag_query q = { .family = AF_INET, .lports_known = 1,
				.lports = &port, .nlports = 1 };
	uint64_t old[HOST_DUMPS], now[HOST_DUMPS], *run;
	struct diag_set set = { 0 };
	int i;

	run = calloc((size_t)iters, sizeof(*run));
	if (!run)
		return -1;
	for (i = 0; i < HOST_DUMPS; i++) {
		uint64_t t = util_now_ns();

		if (diag_snapshot_filter(nl, AF_INET, 0, &set) || set.n != 1)
			return -1;
		old[i] = util_now_ns() - t;
		t = util_now_ns();
		if (diag_query(nl, &q, &set) || set.n != 1)
			return -1;
		now[i] = util_now_ns() - t;
	}
	for (i = 0; i < iters; i++)
		if (!(run[i] = time_cmd(cmd))) {
			fprintf(stderr, "bench_diag: %s failed\n", cmd[0]);
			return -1;
		}
	printf("%s: a lab's dump, every state, listening hash walked: median "
	       "%.3f ms p90 %.3f ms; listener looked up by port: median %.3f ms "
	       "p90 %.3f ms (%d each)\n", what, pct_ms(old, HOST_DUMPS, 0.5),
	       pct_ms(old, HOST_DUMPS, 0.9), pct_ms(now, HOST_DUMPS, 0.5),
	       pct_ms(now, HOST_DUMPS, 0.9), HOST_DUMPS);
	printf("%s: the command: median %.1f ms p90 %.1f ms (%d runs)\n", what,
	       pct_ms(run, iters, 0.5), pct_ms(run, iters, 0.9), iters);
	fflush(stdout);
	diag_set_free(&set);
	free(run);
	return 0;
}

/* bench_diag --host ITER SOCKETS CMD [ARG...] (see the top) */
static int host_main(int argc, char **argv)
{
	int iters, nsock, nl, lfd = -1, hold[2], ready[2];
	char what[64];

	if (argc < 5) {
		fprintf(stderr, "usage: bench_diag --host ITER SOCKETS CMD [ARG...]\n");
		return 2;
	}
	iters = atoi(argv[2]) < 3 ? 3 : atoi(argv[2]);
	nsock = atoi(argv[3]);
	nl = lab_ns_diag(&lfd);
	if (nl < 0) {
		perror("bench_diag: a lab-like namespace (needs root)");
		return 3;
	}
	if (host_round(nl, iters, argv + 4, "no other sockets held"))
		return 4;
	if (pipe(hold) || pipe(ready)) {
		perror("bench_diag: pipe");
		return 3;
	}
	if (holders(nsock, hold, ready, 1))
		return 4;
	snprintf(what, sizeof(what), "%d listeners held in other namespaces",
		 nsock);
	if (host_round(nl, iters, argv + 4, what))
		return 4;
	close(hold[1]); /* the holders end */
	while (wait(NULL) > 0)
		;
	close(lfd);
	close(nl);
	return 0;
}

/* One of tcplab's snapshots, timed: wall, and its CPU in @usr, @sys */
static uint64_t time_own(int nl, const struct diag_query *q,
			 struct diag_set *set, uint64_t *usr, uint64_t *sys)
{
	struct rusage r0, r1;
	uint64_t t;

	getrusage(RUSAGE_SELF, &r0);
	t = util_now_ns();
	if (diag_query(nl, q, set)) {
		fprintf(stderr, "bench_diag: snapshot failed\n");
		exit(4);
	}
	t = util_now_ns() - t;
	getrusage(RUSAGE_SELF, &r1);
	*usr = tv_ns(&r1.ru_utime) - tv_ns(&r0.ru_utime);
	*sys = tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_stime);
	return t;
}

/* A line comparing @own (with its CPU) to @ss */
static void compare(const char *what, const char *ss_what, int nsock,
		    uint64_t *own, uint64_t *ss, uint64_t *usr, uint64_t *sys,
		    int iters)
{
	double so = pct_ms(own, iters, 0.5), ss50 = pct_ms(ss, iters, 0.5);

	printf("snapshot of %d sockets: %s median %.1f ms p90 %.1f ms; "
	       "%s median %.1f ms p90 %.1f ms; ratio %.2f (%d runs)\n",
	       nsock, what, so, pct_ms(own, iters, 0.9), ss_what, ss50,
	       pct_ms(ss, iters, 0.9), so / ss50, iters);
	printf("  tcplab's snapshot, CPU: user median %.1f ms, system "
	       "median %.1f ms\n", pct_ms(usr, iters, 0.5),
	       pct_ms(sys, iters, 0.5));
}

int main(int argc, char **argv)
{
	static char *tan[] = { "ss", "-tan", NULL };
	static char *tani[] = { "ss", "-tani", NULL };
	int iters = argc > 1 ? atoi(argv[1]) : 20;
	int nsock = argc > 2 ? atoi(argv[2]) : 100000, i, k, nl;
	int hold[2], ready[2];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	/* as ss -tan: no tcp_info; as ss -tani (tcplab snapshot): with it */
	const struct diag_query q[2] = { { .no_info = 1 }, { 0 } };
	struct diag_set set = { 0 };
	uint64_t *v[2][4]; /* [query][ss, own, user, system] */
	size_t seen[2] = { 0, 0 };

	if (argc > 1 && !strcmp(argv[1], "--host"))
		return host_main(argc, argv);
	if (iters < 3)
		iters = 3;
	for (k = 0; k < 8; k++)
		if (!(v[k / 4][k % 4] = calloc((size_t)iters, sizeof(uint64_t))))
			return 3;
	if (unshare(CLONE_NEWNET) || pipe(hold) || pipe(ready)) {
		perror("bench_diag: set-up (needs root)");
		return 3;
	}
	if (holders(nsock, hold, ready, 0))
		return 4;
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0 || bind(nl, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bench_diag: netlink");
		return 4;
	}
	for (i = 0; i < iters; i++)
		for (k = 0; k < 2; k++) {
			v[k][0][i] = time_cmd(k ? tani : tan);
			if (!v[k][0][i]) {
				fprintf(stderr, "bench_diag: ss failed\n");
				return 4;
			}
			v[k][1][i] = time_own(nl, &q[k], &set, &v[k][2][i],
					      &v[k][3][i]);
			seen[k] = set.n;
		}
	for (k = 0; k < 2; k++)
		if (seen[k] < (size_t)nsock) {
			fprintf(stderr, "bench_diag: a snapshot saw %zu of %d "
				"sockets\n", seen[k], nsock);
			return 1;
		}
	compare("tcplab sock_diag as ss -tan (no tcp_info)", "ss -tan", nsock,
		v[0][1], v[0][0], v[0][2], v[0][3], iters);
	compare("tcplab sock_diag with tcp_info (tcplab snapshot)", "ss -tani",
		nsock, v[1][1], v[1][0], v[1][2], v[1][3], iters);
	diag_set_free(&set);
	return 0;
}
