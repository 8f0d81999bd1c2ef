// SPDX-License-Identifier: GPL-2.0-or-later
/* timeline.c - events of a run on one clock (see timeline.h) */
#include "timeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int timeline_add(struct timeline *tl, const struct tl_event *ev)
{
	if (util_grow((void **)&tl->v, &tl->cap, tl->n, sizeof(*tl->v), 64))
		return -ENOMEM;
	tl->v[tl->n++] = *ev;
	return 0;
}

/* insertion sort: events arrive nearly in order, and it is stable */
void timeline_sort(struct timeline *tl)
{
	size_t i, j;

	for (i = 1; i < tl->n; i++) {
		struct tl_event e = tl->v[i];

		for (j = i; j > 0 && tl->v[j - 1].t_ns > e.t_ns; j--)
			tl->v[j] = tl->v[j - 1];
		tl->v[j] = e;
	}
}

int timeline_conn_add(struct timeline *tl, const char *name,
		      const struct diag_addr *local, uint16_t rport)
{
	struct tl_conn *c = NULL;
	int i;

	for (i = 0; i < tl->nconns; i++)
		if (!strcmp(tl->conns[i].name, name))
			c = &tl->conns[i];
	if (!c) {
		if (tl->nconns >= TL_MAX_CONNS)
			return -ENOSPC;
		c = &tl->conns[tl->nconns++];
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->local = *local;
	c->rport = rport;
	memset(&c->remote, 0, sizeof(c->remote));
	return 0;
}

void timeline_conn_remote(struct timeline *tl, const char *name,
			  const struct diag_addr *remote)
{
	int i;

	for (i = 0; i < tl->nconns; i++)
		if (!strcmp(tl->conns[i].name, name))
			tl->conns[i].remote = *remote;
}

/* is @a the end @c->local, and @b an end with port @c->rport? */
static int conn_ends(const struct tl_conn *c, const struct diag_addr *a,
		     const struct diag_addr *b)
{
	return diag_addr_eq(&c->local, a) && b->port == c->rport &&
	       b->family == a->family &&
	       (!c->remote.family || diag_addr_eq(&c->remote, b));
}

const char *timeline_conn_label(const struct timeline *tl,
				const struct tl_pkt *p, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < tl->nconns && n < len; i++) {
		const struct tl_conn *c = &tl->conns[i];

		if (!conn_ends(c, &p->src, &p->dst) &&
		    !conn_ends(c, &p->dst, &p->src))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "=" : "",
				      c->name);
	}
	return buf;
}

void timeline_conns_copy(struct timeline *dst, const struct timeline *src)
{
	memcpy(dst->conns, src->conns, sizeof(dst->conns));
	dst->nconns = src->nconns;
}

void timeline_clear(struct timeline *tl)
{
	tl->n = 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->v);
	memset(tl, 0, sizeof(*tl));
}
