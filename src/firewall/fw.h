/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw.h - firewall backends behind one interface
 *
 * A backend installs neutral rules (rule.h) into one node's network
 * namespace.  Backends are listed in an explicit registry table in fw.c; the
 * lab asks for one by name.  Every change is one atomic commit; a kernel
 * refusal comes back in struct err naming the rule (and its scenario
 * file:line) that the kernel refused.
 *
 * Kernel-facing: a backend holds what it needs in the node's namespace
 * (a netlink socket opened there, for nftables; a descriptor of the
 * namespace itself, for iptables) from fw_open() to fw_close().
 */
#ifndef TCPLAB_FW_H
#define TCPLAB_FW_H

#include <stddef.h>

#include "err.h"
#include "rule.h"

#define FW_TABLE_NAME RULE_TABLE_NAME

struct fw; /* opaque: one backend instance bound to one namespace */

struct fw_backend {
	const char *name; /* "nftables", "iptables" */
	/* open an instance in the namespace @nsfd (creating its table) */
	int (*open)(struct fw **out, int nsfd, struct err *e);
	/* add @n rules, atomically */
	int (*add)(struct fw *fw, const struct rule *rules, size_t n,
		   struct err *e);
	/* optional: remove every rule, as a close and a new open would, on
	 * what the instance holds; NULL: fw_reset() says -EOPNOTSUPP */
	int (*reset)(struct fw *fw, struct err *e);
	void (*close)(struct fw *fw);
	/*
	 * optional: can this kernel run the backend?  Tries it in a
	 * throwaway namespace; an environment error (exit class 3) says why
	 * not.  NULL: assumed to work.
	 */
	int (*probe)(struct err *e);
};

/* fw_backend_find() - the backend called @name, or NULL */
const struct fw_backend *fw_backend_find(const char *name);

/* fw_backend_names() - "nftables, iptables" for messages */
const char *fw_backend_names(void);

/* fw_probe() - can backend @b run here?  0, or -errno with @e set */
int fw_probe(const struct fw_backend *b, struct err *e) WUR;

/* fw_open(), fw_add(), fw_close() - dispatch to the instance's backend */
int fw_open(const struct fw_backend *b, struct fw **out, int nsfd,
	    struct err *e) WUR;
int fw_add(struct fw *fw, const struct rule *rules, size_t n,
	   struct err *e) WUR;
void fw_close(struct fw *fw);

/*
 * fw_reset() - remove every rule of the instance, keeping it open;
 * -EOPNOTSUPP (@e untouched) when its backend cannot: close and open again
 */
int fw_reset(struct fw *fw, struct err *e) WUR;

/* Every instance starts with this header so that fw.c can dispatch. */
struct fw {
	const struct fw_backend *backend;
};

#endif
