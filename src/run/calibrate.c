// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * calibrate.c - how much slower than a reference machine this one runs
 * (see calibrate.h)
 *
 * Theory of operation: two pieces of work stand for what a run's timing
 * depends on - a CPU loop (the user-space side of every poll, decode and
 * bookkeeping step) and round trips of one byte over a UNIX socket pair
 * (system calls and wake-ups, as between the runner and an endpoint).
 * Each is timed CALIB_ROUNDS times and the median taken, so one
 * preemption neither makes the machine look slow nor a lucky round make
 * it look fast.  Each median is divided by the same work's time on the
 * reference machine (a 2026 x86-64 server core, 2 vCPUs, measured with
 * this code); the larger ratio, with a quarter more for the load that
 * comes and goes during a run, rounded up to half steps and never below 1,
 * is the factor every deadline and tolerance is widened by.  On that
 * machine it is 1 to 1.5; under qemu's software emulation 5 to 15.
 */
#include "calibrate.h"

#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

#define CALIB_ROUNDS 7
#define CALIB_CPU_ITERS 400000
#define CALIB_TRIPS 500
/* the reference machine's medians */
#define CALIB_REF_CPU_NS (700 * NS_PER_US)
#define CALIB_REF_SYS_NS (1800 * NS_PER_US)

/**
 * cpu_round() - the CPU loop once
 *
 * Return: how long it took
 */
static uint64_t cpu_round(void)
{
	volatile uint64_t x = 88172645463325252ull;
	uint64_t t = util_now_ns();
	int i;

	for (i = 0; i < CALIB_CPU_ITERS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return util_now_ns() - t;
}

/**
 * sys_round() - CALIB_TRIPS one-byte round trips over @sv once
 * @sv:		a connected socket pair
 *
 * Return: how long it took, or 0 if a call failed
 */
static uint64_t sys_round(const int sv[2])
{
	uint64_t t = util_now_ns();
	char c = 'x';
	int i;

	for (i = 0; i < CALIB_TRIPS; i++)
		if (write(sv[0], &c, 1) != 1 || read(sv[1], &c, 1) != 1)
			return 0;
	return util_now_ns() - t;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/**
 * median() - the median of @n values (sorted in place)
 * @v:		values
 * @n:		how many
 *
 * Return: the median
 */
static uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

double calibrate_factor(uint64_t cpu_ns, uint64_t sys_ns)
{
	double a = (double)cpu_ns / (double)CALIB_REF_CPU_NS;
	double b = (double)sys_ns / (double)CALIB_REF_SYS_NS;
	double f = (a > b ? a : b) * 1.25;

	/* up to the next half step */
	f = (double)(uint64_t)(f * 2 + 0.999) / 2;
	return f < 1 ? 1 : f > 1000 ? 1000 : f;
}

int calibrate(struct calibration *c, struct err *e)
{
	uint64_t cpu[CALIB_ROUNDS], sys[CALIB_ROUNDS];
	int sv[2], i;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return err_set(e, -errno, "calibration: socketpair: %s",
			       strerror(errno));
	for (i = 0; i < CALIB_ROUNDS; i++) {
		cpu[i] = cpu_round();
		sys[i] = sys_round(sv);
		if (!sys[i]) {
			int rc = -errno;

			close(sv[0]);
			close(sv[1]);
			return err_set(e, rc ? rc : -EIO,
				       "calibration: socket round trip failed");
		}
	}
	close(sv[0]);
	close(sv[1]);
	c->cpu_ns = median(cpu, CALIB_ROUNDS);
	c->sys_ns = median(sys, CALIB_ROUNDS);
	c->factor = calibrate_factor(c->cpu_ns, c->sys_ns);
	return 0;
}
