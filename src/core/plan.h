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

/* One veth end of a node */
struct plan_if {
	char ifname[16];       /* eth0, eth1 */
	int ifindex;           /* fixed, unique in the lab (see lab.c) */
	struct in_addr v4;     /* 198.18.L.1 or .2 on link L (/24) */
	struct in6_addr v6;    /* fd00:198:18:L::1 or ::2 (/64) */
	uint8_t mac[6];        /* 02:74:63:70:NODE:IF (locally administered) */
	int peer_node, peer_if; /* the other end of the veth */
};

/* A route to a link the node is not on, through a neighbour */
struct plan_route {
	int family;            /* AF_INET, AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} dst, via;
	int plen;
	int ifindex;
};

struct plan_node {
	char name[16];
	char ifname[16];       /* its first veth end, inside its namespace */
	struct in_addr v4;     /* the node's address: that of its first end */
	struct in6_addr v6;
	uint8_t mac[6];
	struct plan_if ifs[SCENARIO_MAX_NODES - 1]; /* a star's hub has one
				  per other node */
	int nifs;
	struct plan_route routes[2 * SCENARIO_MAX_NODES];
	int nroutes;
	int forward;           /* a router: forwards between its ends */
};

/*
 * A lab is a chain of nodes (scenario 'topology', client and server by
 * default): link L joins node L and node L+1; or a star ('topology star'):
 * link L joins the hub, node 0, and node L+1.
 */
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

/*
 * plan_same_lab() - 1 when a lab built for @a serves @b as it is: the
 * same nodes, links, addresses, routes, family and firewall backend
 */
int plan_same_lab(const struct plan *a, const struct plan *b);

/* plan_addr() - the node's address in the plan's family, as text */
const char *plan_addr_str(const struct plan *p, int node, char *buf,
			  size_t len);

#endif
