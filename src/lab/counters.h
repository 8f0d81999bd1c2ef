/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * counters.h - a node's SNMP counters (/proc/net/snmp, /proc/net/netstat)
 *
 * Theory of operation: both files hold pairs of lines, a header of names
 * and a line of values, each prefixed with a group ("Tcp:", "TcpExt:").
 * counters_parse() (pure) turns them into "TcpExtSyncookiesSent"-style
 * names, as nstat prints them; /proc/net/snmp6 holds "Ip6InReceives 12"
 * pairs, one a line, which keep their names.  The files show the namespace
 * of the thread that opens them, and go on showing it through that file:
 * counters_open() opens the three inside a node's namespace once, and
 * counters_read() reads them again from their start (a /proc/net file
 * makes its text anew at offset 0), so a run can diff what the kernel
 * counted in that node only without entering it for every look.  An open
 * file holds its namespace: counters_close() before the namespace goes.
 */
#ifndef TCPLAB_COUNTERS_H
#define TCPLAB_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct counter {
	char name[48];
	int64_t value;
};

struct counters {
	struct counter *v;
	size_t n, cap;
};

/* counters_parse() - append the counters of one file's text to @c */
int counters_parse(const char *text, struct counters *c) WUR;

/* the files counters_open() opens: snmp, netstat, snmp6 */
#define COUNTERS_NFILES 3

/*
 * counters_open() - open /proc/net/snmp, netstat and snmp6 as seen from
 * @nsfd's namespace into @fd; 0 or -errno (nothing left open).  A kernel
 * without IPv6 has no snmp6: its fd stays -1 and counters_read() skips it.
 */
int counters_open(int nsfd, int fd[COUNTERS_NFILES]) WUR;

/* counters_read() - the counters of the files counters_open() opened */
int counters_read(const int fd[COUNTERS_NFILES], struct counters *c) WUR;

/* counters_close() - close what counters_open() opened; -1 each after */
void counters_close(int fd[COUNTERS_NFILES]);

/* counters_get() - the value of @name; -ENOENT if the kernel has no such counter */
int counters_get(const struct counters *c, const char *name, int64_t *value) WUR;

/* counters_clear(), counters_free() */
void counters_clear(struct counters *c);
void counters_free(struct counters *c);

#endif
