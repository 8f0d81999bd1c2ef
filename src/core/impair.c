// SPDX-License-Identifier: GPL-2.0-or-later
/* impair.c - each packet's fate under an impairment (see impair.h) */
#include "impair.h"

#include <string.h>

/* splitmix64's output function: a bijection that scatters near inputs */
static uint64_t impair_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void impair_start(struct impair_state *s, const struct rule_impair *m)
{
	memset(s, 0, sizeof(*s));
	/* scattered, so that seeds 7 and 8 are not one sequence shifted */
	s->rng = impair_mix((uint64_t)m->seed ^ 0x7463706c61620000ULL);
}

/* splitmix64 (Steele, Lea, Flood 2014): every seed a full sequence */
static uint64_t impair_next(struct impair_state *s)
{
	return impair_mix(s->rng += 0x9e3779b97f4a7c15ULL);
}

uint32_t impair_draw(struct impair_state *s)
{
	/* the top 32 bits scaled: no modulo bias worth a name */
	return (uint32_t)(((impair_next(s) >> 32) * RULE_PPM) >> 32);
}

void impair_decide(struct impair_state *s, const struct rule_impair *m,
		   uint64_t now_ns, size_t bytes, struct impair_decision *d)
{
	uint32_t loss = impair_draw(s), dup = impair_draw(s),
		 reo = impair_draw(s);
	uint64_t t = now_ns;

	memset(d, 0, sizeof(*d));
	s->n++;
	if (loss < m->loss_ppm) {
		d->drop = 1;
		return;
	}
	d->duplicate = dup < m->dup_ppm;
	d->reorder = reo < m->reorder_ppm;
	if (m->rate_bps) {
		uint64_t tx = ((uint64_t)bytes * 8 * 1000000000ULL +
			       m->rate_bps - 1) / m->rate_bps;

		if (s->link_free_ns > t)
			t = s->link_free_ns;
		t += tx;
		s->link_free_ns = t;
	}
	d->release_ns = t + m->delay_ns;
}
