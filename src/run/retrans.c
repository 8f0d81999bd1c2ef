// SPDX-License-Identifier: GPL-2.0-or-later
/* retrans.c - when each retransmission timeout happened (see retrans.h) */
#include "retrans.h"

unsigned retrans_sock_count(const struct diag_sock *s)
{
	/* one of the two grows at a time: timeouts of data (or a SYN), or
	 * keepalive and zero-window probes */
	return s->has_info ? (unsigned)s->info.retransmits + s->info.probes
			   : s->retrans;
}

/* @ev is a segment @tr's connection sent */
static int of_conn(const struct retrans_track *tr, const struct tl_event *ev)
{
	return ev->kind == TL_PACKET && ev->node == tr->node &&
	       ev->pkt.src.port == tr->lport &&
	       (!tr->rport || ev->pkt.dst.port == tr->rport);
}

/* @p carries sequence space (data, SYN, FIN) */
static int has_space(const struct tl_pkt *p)
{
	return p->len || (p->flags & (RULE_TCP_SYN | RULE_TCP_FIN));
}

/* The segment's sequence space ends (SYN and FIN count one each) */
static uint32_t seq_end(const struct tl_pkt *p)
{
	return p->seq + p->len + !!(p->flags & RULE_TCP_SYN) +
	       !!(p->flags & RULE_TCP_FIN);
}

/*
 * The segments sent again in (@from, @to], into @t (at most @max, the
 * latest kept); returns how many were found
 */
static int resent_between(const struct retrans_track *tr,
			  const struct timeline *tl, uint64_t from,
			  uint64_t to, uint64_t *t, int max)
{
	uint32_t high = 0;
	int have = 0, n = 0;
	size_t k;

	for (k = 0; k < tl->n; k++) {
		const struct tl_event *ev = &tl->v[k];
		uint32_t end;

		if (!of_conn(tr, ev))
			continue;
		end = seq_end(&ev->pkt);
		/* sent again: sequence space below the highest sent, or a
		 * keepalive or zero-window probe (no data, one byte back) */
		if (have && ev->t_ns > from && ev->t_ns <= to &&
		    (has_space(&ev->pkt) ? (int32_t)(ev->pkt.seq - high) < 0
					 : ev->pkt.seq == high - 1)) {
			if (n == max) {
				int i;

				for (i = 1; i < max; i++)
					t[i - 1] = t[i];
				n--;
			}
			t[n++] = ev->t_ns;
		}
		if (!have || (int32_t)(end - high) > 0)
			high = end;
		have = 1;
	}
	return n;
}

int retrans_note(struct retrans_track *tr, const struct timeline *tl,
		 unsigned count, uint64_t t_sample, uint64_t t_done, int max)
{
	uint64_t t[STEP_MAX_TIMES], from;
	int rise, n, i, added = 0;

	if (max > STEP_MAX_TIMES)
		max = STEP_MAX_TIMES;
	/* a count under the one seen is a reading without a timer: it
	 * says nothing about what was sent since */
	if (count < tr->count)
		return 0;
	if (count == tr->count) {
		tr->last_sample = t_sample;
		return 0;
	}
	rise = (int)(count - tr->count);
	if (rise > max - tr->nseen)
		rise = max - tr->nseen;
	/* not counted at the previous sample: sent after it was asked for */
	from = tr->last_sample > tr->consumed ? tr->last_sample : tr->consumed;
	n = rise > 0 ? resent_between(tr, tl, from, t_done, t, rise) : 0;
	/* fewer frames than timeouts: the earliest ones had none captured */
	for (i = 0; i < rise; i++) {
		int j = i - (rise - n);

		tr->from_sample[tr->nseen] = j < 0;
		tr->seen[tr->nseen++] = j < 0 ? t_sample : t[j];
		added++;
	}
	if (n)
		tr->consumed = t[n - 1];
	tr->count = count;
	tr->last_sample = t_sample;
	return added;
}

uint64_t retrans_idle_since(const struct timeline *tl, int node,
			    uint16_t lport, uint64_t before)
{
	uint64_t last = 0;
	size_t k;

	for (k = 0; k < tl->n; k++) {
		const struct tl_event *ev = &tl->v[k];

		if (ev->kind == TL_PACKET && ev->peer == node &&
		    ev->pkt.dst.port == lport && ev->t_ns <= before &&
		    ev->t_ns > last)
			last = ev->t_ns;
	}
	return last;
}
