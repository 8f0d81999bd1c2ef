/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp.h - the names of the kernel's TCP and IP counters
 *
 * "expect NODE counter NAME ..." is checked against this list when the
 * scenario is parsed, so a misspelt counter is refused at its line and
 * column before any lab exists.
 */
#ifndef TCPLAB_SNMP_H
#define TCPLAB_SNMP_H

#define SNMP_NAME_MAX 47

/* snmp_known() - 1 if @name is a counter of Linux (as nstat spells it) */
int snmp_known(const char *name);

/* snmp_nearest() - the known name nearest to a misspelt @name, or NULL */
const char *snmp_nearest(const char *name);

#endif
