/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_ipt.h - the iptables backend (libiptc): pure builders and a decoder
 *
 * The backend itself is reached through fw.h (fw_ipt_backend in the
 * registry).  What is exposed here needs no kernel, so that unit tests can
 * look at the very entries the backend hands to libiptc:
 *
 *  - fw_ipt_entry_build() turns one neutral rule into one x_tables entry
 *    (struct ipt_entry for IPv4, struct ip6t_entry for IPv6) with its tcp
 *    match and its target, or into the NFLOG entry logged just before it;
 *  - fw_ipt_entries_build() lists, in order, every entry one table gets
 *    for a set of rules, and which rule each one comes from;
 *  - fw_ipt_entry_format() decodes an entry's bytes back into the line
 *    iptables-save would list for it, "-A INPUT -p tcp -m tcp --dport 80
 *    -j DROP", so that golden files can be compared with what the kernel
 *    holds (iptables-legacy-save in a lab namespace).
 */
#ifndef TCPLAB_FW_IPT_H
#define TCPLAB_FW_IPT_H

#include <stddef.h>

#include "err.h"
#include "fw.h"
#include "rule.h"

/* The registry entry, listed in fw.c */
extern const struct fw_backend fw_ipt_backend;

/*
 * struct fw_ipt_entry - one entry for libiptc
 * @family:	4 (an ipt_entry, for iptc_*) or 6 (an ip6t_entry, ip6tc_*)
 * @chain:	"INPUT" or "OUTPUT", a chain of table filter
 * @rule:	index of the neutral rule it comes from
 * @nflog:	1 for the NFLOG entry that logs for that rule
 * @len:	size of @e in bytes (its next_offset)
 * @e:		the entry: header, matches, target; malloc'ed
 */
struct fw_ipt_entry {
	int family;
	const char *chain;
	size_t rule;
	int nflog;
	size_t len;
	void *e;
};

/*
 * fw_ipt_entry_build() - the entry for @r in the table of @family (4 or 6):
 * its own (@nflog 0) or the NFLOG entry before it (@nflog 1).  -EINVAL
 * for a rule no backend can express or a family it does not cover,
 * -EOPNOTSUPP for flags ECE/CWR, -ENOMEM.  Free with fw_ipt_entry_free().
 */
int fw_ipt_entry_build(const struct rule *r, int family, int nflog,
		       struct fw_ipt_entry *out) WUR;

/* fw_ipt_entry_free() - free an entry's bytes (a zeroed entry is fine) */
void fw_ipt_entry_free(struct fw_ipt_entry *x);

/*
 * fw_ipt_entries_build() - every entry the table of @family gets for
 * @rules, in append order: for each rule of that family, its NFLOG entry
 * (if it logs) then its own.  *@out is a new array of *@nout entries
 * (fw_ipt_entries_free()); none at all is fine.  On -EINVAL @e names the
 * rule that cannot be built; -EOPNOTSUPP (ECE or CWR, which iptables has
 * no names for) is a scenario error at the rule's file:line:col.
 */
int fw_ipt_entries_build(const struct rule *rules, size_t n, int family,
			 struct fw_ipt_entry **out, size_t *nout,
			 struct err *e) WUR;

/* fw_ipt_entries_free() - free an array from fw_ipt_entries_build() */
void fw_ipt_entries_free(struct fw_ipt_entry *v, size_t n);

/*
 * fw_ipt_entry_format() - the entry as iptables-save lists it, without a
 * trailing newline; snprintf semantics.  Matches and targets this backend
 * does not build are shown as "-m NAME" / "-j NAME".
 */
int fw_ipt_entry_format(const struct fw_ipt_entry *x, char *buf, size_t len);

#endif
