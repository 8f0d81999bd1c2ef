// SPDX-License-Identifier: GPL-2.0-or-later
/* plan.c - planning a lab for a scenario (see plan.h) */
#include "plan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw.h"

int plan_build(const struct scenario *sc, int family, const char *firewall,
	       struct plan *out, struct err *e)
{
	int i, fbit = family == 6 ? SCENARIO_FAMILY_6 : SCENARIO_FAMILY_4;

	memset(out, 0, sizeof(*out));
	if (family != 4 && family != 6)
		return err_at(e, -EINVAL, NULL, "family must be 4 or 6");
	if (!(sc->families & fbit))
		return err_at(e, -EINVAL, &(struct loc){ sc->file, 1, 1 },
			      "scenario '%s' does not run over IPv%d (see its "
			      "'family' line)",
			      sc->name, family);
	if (!fw_backend_find(firewall))
		return err_at(e, -EINVAL, NULL,
			      "unknown firewall backend '%s' (one of: %s)",
			      firewall, fw_backend_names());
	out->sc = sc;
	out->family = family;
	out->firewall = firewall;
	out->nnodes = sc->nnodes;
	out->prefix4 = 24;
	out->prefix6 = 64;
	for (i = 0; i < sc->nnodes; i++) {
		struct plan_node *n = &out->nodes[i];
		char a[64];

		snprintf(n->name, sizeof(n->name), "%s", sc->nodes[i]);
		snprintf(n->ifname, sizeof(n->ifname), "eth0");
		snprintf(a, sizeof(a), "198.18.0.%d", i + 1);
		inet_pton(AF_INET, a, &n->v4);
		snprintf(a, sizeof(a), "fd00:198:18::%d", i + 1);
		inet_pton(AF_INET6, a, &n->v6);
		memcpy(n->mac, (const uint8_t[]){ 0x02, 't', 'c', 'p', 0, 0 }, 6);
		n->mac[5] = (uint8_t)(i + 1);
	}
	if (sc->nnodes != 2)
		return err_at(e, -EINVAL, &(struct loc){ sc->file, 1, 1 },
			      "only two-node labs (client, server) are supported");
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
