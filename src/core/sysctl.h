/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysctl.h - which sysctl keys a scenario may set
 *
 * Theory of operation: tcplab writes sysctls only inside a node's own
 * network namespace (kernel/netns.c), and only keys under the per-namespace
 * trees listed here.  The parser checks a scenario's keys against the same
 * list, so a bad key is refused before anything is built.  Pure.
 */
#ifndef TCPLAB_SYSCTL_H
#define TCPLAB_SYSCTL_H

/* sysctl_allowed() - 1 if @key is on the allow-list */
int sysctl_allowed(const char *key);

#endif
