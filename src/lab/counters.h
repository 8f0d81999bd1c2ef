/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * counters.h - a node's SNMP counters (/proc/net/snmp, /proc/net/netstat)
 *
 * Theory of operation: both files hold pairs of lines, a header of names
 * and a line of values, each prefixed with a group ("Tcp:", "TcpExt:").
 * counters_parse() (pure) turns them into "TcpExtSyncookiesSent"-style
 * names, as nstat prints them; /proc/net/snmp6 holds "Ip6InReceives 12"
 * pairs, one a line, which keep their names.  counters_read() reads both files from
 * inside a node's namespace (the files show the reading thread's
 * namespace), so a run can diff what the kernel counted in that node only.
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

/* counters_read() - /proc/net/snmp and /proc/net/netstat of @nsfd's namespace */
int counters_read(int nsfd, struct counters *c) WUR;

/* counters_get() - the value of @name; -ENOENT if the kernel has no such counter */
int counters_get(const struct counters *c, const char *name, int64_t *value) WUR;

/* counters_clear(), counters_free() */
void counters_clear(struct counters *c);
void counters_free(struct counters *c);

#endif
