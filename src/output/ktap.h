/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ktap.h - results as KTAP, the way the kernel's selftests print them
 *
 * Theory of operation: one test per run, named "NAME.ipvF.FIREWALL"
 * (made unique with ".2", ".3" ... should a run repeat), after a version
 * line, a few "#" lines saying where it ran, and the plan:
 *
 *	KTAP version 1
 *	# tcplab 0.1.0, Linux 6.1.0 x86_64, 2024-05-01T12:00:00Z
 *	1..2
 *	ok 1 syn-sent.ipv4.nftables
 *	# syn-recv.ipv4.nftables: scenarios/syn-recv.tcp:14: client state ...
 *	#   observed: SYN_SENT ...
 *	not ok 2 syn-recv.ipv4.nftables # expected client in state ...
 *
 * A failed expectation is told on diagnostic lines before its result
 * line.  The directives follow the KTAP specification and kselftest:
 * skip "ok N name # SKIP reason"; expected failure "ok N name # XFAIL
 * reason"; an expected failure that held is TAP's unexpected success,
 * "ok N name # TODO ..."; a run that could not run "not ok N name # ERROR
 * reason".  Text after '#' is kept on one line.
 */
#ifndef TCPLAB_KTAP_H
#define TCPLAB_KTAP_H

#include <stdio.h>

#include "results.h"

/* ktap_write() - write @r as KTAP to @f; 0 or -EIO */
int ktap_write(FILE *f, const struct results *r) WUR;

#endif
