// SPDX-License-Identifier: GPL-2.0-or-later
/* timeline.c - events of a run on one clock (see timeline.h) */
#include "timeline.h"

#include <errno.h>
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

void timeline_clear(struct timeline *tl)
{
	tl->n = 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->v);
	memset(tl, 0, sizeof(*tl));
}
