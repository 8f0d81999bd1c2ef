// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli_kept.c - what the commands on a kept lab share (watch, snapshot,
 * firewall): read its record, get its namespaces from its keeper, enter
 * them (kept.h)
 */
#include <stdio.h>

#include "cli.h"
#include "err.h"
#include "kept.h"

int cli_kept_open(const char *cmd, const char *lab, struct kept_info *k,
		  struct kept_ns *ns)
{
	struct err e = { 0 };

	if (kept_read(lab, k, &e)) {
		fprintf(stderr, "tcplab %s: %s\n", cmd, e.msg);
		return ERR_EXIT_USAGE;
	}
	if (!k->keeper) {
		/* the keeper is recorded before it detaches (kept.h) */
		fprintf(stderr, "tcplab %s: lab %s was not kept completely (its "
			"tcplab up was interrupted, or still runs); 'tcplab down "
			"%s' removes what it left\n", cmd, lab, lab);
		return ERR_EXIT_ENV;
	}
	if (kept_connect(lab, ns, &e) || kept_enter(ns, &e)) {
		fprintf(stderr, "tcplab %s: %s\n", cmd, e.msg);
		kept_ns_close(ns);
		return err_exit_status(&e);
	}
	if (ns->n != k->nnodes) {
		fprintf(stderr, "tcplab %s: lab %s: its keeper holds %d nodes, "
			"its record names %d\n", cmd, lab, ns->n, k->nnodes);
		kept_ns_close(ns);
		return ERR_EXIT_INTERNAL;
	}
	return 0;
}
