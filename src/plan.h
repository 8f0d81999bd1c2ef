/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan.h - from a parsed scenario to the lab that will run it (pure)
 *
 * Theory of operation: the planner decides everything the lab needs before
 * any namespace exists - nodes and their addresses in 198.18.0.0/15 and
 * fd00::/8, the veth link between them, the sysctls each node gets (the
 * scenario's, in order) and the firewall backend - and checks what can be
 * checked without a kernel.  A plan that builds is a lab that can be built;
 * what can still fail later is the environment (privilege, kernel
 * features), which is exit status 3, never a half-built lab.
 */
#ifndef TCPLAB_PLAN_H
#define TCPLAB_PLAN_H

#include <netinet/in.h>
#include <stdint.h>

#include "err.h"
#include "scenario.h"

struct plan_node {
	char name[16];
	char ifname[16];       /* its veth end, inside its namespace */
	struct in_addr v4;     /* 198.18.0.N/24 */
	struct in6_addr v6;    /* fd00:198:18::N/64 */
	uint8_t mac[6];        /* 02:74:63:70:00:N (locally administered) */
};

struct plan {
	const struct scenario *sc;
	int family;            /* 4 or 6: the family this run uses */
	int nnodes;
	struct plan_node nodes[SCENARIO_MAX_NODES];
	int prefix4, prefix6;
	const char *firewall;  /* backend name */
};

/*
 * plan_build() - plan @sc for @family (4 or 6) with firewall backend
 * @firewall.  Fails with a located message (exit class 2) if the scenario
 * cannot run in that family.
 */
int plan_build(const struct scenario *sc, int family, const char *firewall,
	       struct plan *out, struct err *e) WUR;

/* plan_addr() - the node's address in the plan's family, as text */
const char *plan_addr_str(const struct plan *p, int node, char *buf,
			  size_t len);

#endif
