// SPDX-License-Identifier: GPL-2.0-or-later
/* plan.c - planning a lab for a scenario (see plan.h) */
#include "plan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>


int plan_build(const struct scenario *sc, int family, const char *firewall,
	       struct plan *out, struct err *e)
{
	int i, l, k, fbit = family == 6 ? SCENARIO_FAMILY_6 : SCENARIO_FAMILY_4;

	memset(out, 0, sizeof(*out));
	if (family != 4 && family != 6)
		return err_at(e, -EINVAL, NULL, "family must be 4 or 6");
	if (!(sc->families & fbit))
		return err_at(e, -EINVAL, &(struct loc){ sc->file, 1, 1 },
			      "scenario '%s' does not run over IPv%d (see its "
			      "'family' line)",
			      sc->name, family);
	out->sc = sc;
	out->family = family;
	out->firewall = firewall;
	out->nnodes = sc->nnodes;
	out->prefix4 = 24;
	out->prefix6 = 64;
	if (sc->nnodes < 2 || sc->nnodes > SCENARIO_MAX_NODES)
		return err_at(e, -EINVAL, &(struct loc){ sc->file, 1, 1 },
			      "a lab has 2 to %d nodes", SCENARIO_MAX_NODES);
	for (i = 0; i < sc->nnodes; i++) {
		struct plan_node *n = &out->nodes[i];

		snprintf(n->name, sizeof(n->name), "%s", sc->nodes[i]);
		n->forward = scenario_node_router(sc, i);
	}
	/* link L joins node L (its last end) and node L+1 (its first end);
	 * in a star, the hub (node 0, its end L) and node L+1 */
	for (l = 0; l + 1 < sc->nnodes; l++) {
		int an = sc->star ? 0 : l;
		struct plan_node *a = &out->nodes[an], *b = &out->nodes[l + 1];
		struct plan_if *ia = &a->ifs[a->nifs], *ib = &b->ifs[b->nifs];
		char s[64];

		ia->peer_node = l + 1;
		ia->peer_if = b->nifs;
		ib->peer_node = an;
		ib->peer_if = a->nifs;
		for (k = 0; k < 2; k++) {
			struct plan_if *f = k ? ib : ia;
			struct plan_node *n = k ? b : a;
			int node = k ? l + 1 : an;

			snprintf(f->ifname, sizeof(f->ifname), "eth%d", n->nifs);
			/* unique, and never equal to the peer's */
			f->ifindex = 2 + 2 * l + k;
			snprintf(s, sizeof(s), "198.18.%d.%d", l, k + 1);
			inet_pton(AF_INET, s, &f->v4);
			snprintf(s, sizeof(s), "fd00:198:18:%x::%d", l, k + 1);
			inet_pton(AF_INET6, s, &f->v6);
			memcpy(f->mac, (const uint8_t[]){ 0x02, 't', 'c', 'p', 0, 0 }, 6);
			f->mac[4] = (uint8_t)node;
			f->mac[5] = (uint8_t)(n->nifs + 1);
			n->nifs++;
		}
	}
	for (i = 0; i < sc->nnodes; i++) {
		struct plan_node *n = &out->nodes[i];

		memcpy(n->ifname, n->ifs[0].ifname, sizeof(n->ifname));
		n->v4 = n->ifs[0].v4;
		n->v6 = n->ifs[0].v6;
		memcpy(n->mac, n->ifs[0].mac, 6);
		/* routes to every link the node is not on, via its neighbour
		 * on that side */
		for (l = 0; l + 1 < sc->nnodes; l++) {
			const struct plan_if *via;
			struct plan_route *rt;
			int side;

			if (sc->star ? i == 0 || l == i - 1 : l == i || l == i - 1)
				continue; /* on it */
			/* toward it: the hub of a star, along a chain */
			side = sc->star || l < i ? 0 : n->nifs - 1;
			via = &out->nodes[n->ifs[side].peer_node]
				       .ifs[n->ifs[side].peer_if];
			for (k = 0; k < 2; k++) {
				char s[64];

				rt = &n->routes[n->nroutes++];
				rt->family = k ? AF_INET6 : AF_INET;
				rt->ifindex = n->ifs[side].ifindex;
				if (k) {
					snprintf(s, sizeof(s), "fd00:198:18:%x::", l);
					inet_pton(AF_INET6, s, &rt->dst.v6);
					rt->via.v6 = via->v6;
					rt->plen = 64;
				} else {
					snprintf(s, sizeof(s), "198.18.%d.0", l);
					inet_pton(AF_INET, s, &rt->dst.v4);
					rt->via.v4 = via->v4;
					rt->plen = 24;
				}
			}
		}
	}
	return 0;
}

const char *plan_addr_str(const struct plan *p, int node, char *buf,
			  size_t len)
{
	if (p->family == 6)
		inet_ntop(AF_INET6, &p->nodes[node].v6, buf, (socklen_t)len);
	else
		inet_ntop(AF_INET, &p->nodes[node].v4, buf, (socklen_t)len);
	return buf;
}

int plan_same_lab(const struct plan *a, const struct plan *b)
{
	return a->family == b->family && a->nnodes == b->nnodes &&
	       a->prefix4 == b->prefix4 && a->prefix6 == b->prefix6 &&
	       !strcmp(a->firewall, b->firewall) &&
	       !memcmp(a->nodes, b->nodes,
		       (size_t)a->nnodes * sizeof(a->nodes[0]));
}
