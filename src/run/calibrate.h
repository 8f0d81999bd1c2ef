/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * calibrate.h - the speed of this machine, for --slow auto
 *
 * Theory of operation: see calibrate.c.  Timing windows are stated for a
 * real machine; on a slower one (software emulation, a loaded CI runner)
 * every deadline and tolerance is widened by the factor measured here, so
 * that the catalogue judges the kernel and not the machine's speed.
 */
#ifndef TCPLAB_CALIBRATE_H
#define TCPLAB_CALIBRATE_H

#include <stdint.h>

#include "err.h"

struct calibration {
	uint64_t cpu_ns;  /* median time of the CPU loop */
	uint64_t sys_ns;  /* median time of the socket round trips */
	double factor;    /* what --slow auto uses (>= 1) */
};

/* calibrate() - measure this machine now; 0 or -errno (with @e) */
int calibrate(struct calibration *c, struct err *e) WUR;

/* calibrate_factor() - the factor for the medians @cpu_ns and @sys_ns
 * (pure: larger ratio to the reference, x 1.25, up to half steps, >= 1) */
double calibrate_factor(uint64_t cpu_ns, uint64_t sys_ns);

#endif
