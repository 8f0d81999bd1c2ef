/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * junit.h - results as JUnit XML, for CI dashboards
 *
 * Theory of operation: one <testsuites> holding one <testsuite name=
 * "tcplab"> with the machine as <properties>, and one <testcase> per run:
 * classname "tcplab.NAME", name "NAME IPv4 nftables", time in seconds (lab
 * set-up, run and teardown).  A failed run has a <failure> whose message
 * is the first failed expectation's text and what was observed, and whose
 * body lists every failed expectation with its file:line; a skipped run
 * has <skipped message="reason"/>; an expected failure is <skipped
 * type="xfail">, as pytest writes it; a run that could not run has an
 * <error>.  <system-out> carries the ladder diagram and the expectations,
 * so that a CI page shows what happened.  Every text is XML-escaped, and
 * characters XML 1.0 cannot hold are replaced by '?'.
 */
#ifndef TCPLAB_JUNIT_H
#define TCPLAB_JUNIT_H

#include <stdio.h>

#include "results.h"

/* junit_write() - write @r as JUnit XML to @f; 0, -ENOMEM or -EIO */
int junit_write(FILE *f, const struct results *r) WUR;

#endif
