// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_time.c - time one command: wall clock and CPU (user + system of
 * the command and everything it waited for), as bench/run needs them.
 *
 * Theory of operation: the clock starts just before fork() and stops when
 * wait4() returns, so the helper's own start-up is not counted; the CPU
 * time is the child's rusage from wait4().  One line "WALL_NS CPU_NS" is
 * appended to OUTFILE per run; bench/run computes medians and percentiles
 * from the file.  The exit status is the command's.
 *
 * Usage: bench_time OUTFILE COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ull + (uint64_t)tv->tv_usec * 1000ull;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	uint64_t t0, t1;
	FILE *out;
	pid_t pid;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_time OUTFILE COMMAND [ARG...]\n");
		return 2;
	}
	out = fopen(argv[1], "a");
	if (!out) {
		perror(argv[1]);
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	t1 = now_ns();
	fprintf(out, "%llu %llu\n", (unsigned long long)(t1 - t0),
		(unsigned long long)(tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime)));
	fclose(out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
