/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * impair.h - what an impairment does to each packet, decided (pure)
 *
 * Theory of operation: an "impair SRC->DST" rule (rule.h, struct
 * rule_impair) queues the segments DST receives from SRC to userspace,
 * and each one's fate is decided here, from its arrival time and size
 * alone, so that the same packets meet the same fate run after run:
 *
 *  - three pseudo-random draws per packet, always in the same order (loss,
 *    duplicate, reorder) from a generator seeded by the rule's seed
 *    (splitmix64), whichever of them the rule uses: the n-th packet's fate
 *    depends on the seed and n only;
 *  - a lost packet goes no further (its verdict is a drop, at once);
 *  - a rate is a link of that speed the packets queue for, one after the
 *    other, in arrival order (no burst): each leaves when the link has
 *    sent the ones before it and itself;
 *  - a delay is added after that: the packet's verdict (accept) is given
 *    that long after it arrived, or after the link let it go;
 *  - "duplicate" sends a copy right after the original is accepted;
 *    "reorder" keeps the packet until the next one has been let go, or
 *    until the rule's "after D" has passed (then it goes alone: the lab
 *    keeps that time, shaper.c).
 *
 * The I/O - the queue, the timers, the copies - is the lab's (shaper.c).
 */
#ifndef TCPLAB_IMPAIR_H
#define TCPLAB_IMPAIR_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

struct impair_state {
	uint64_t rng;          /* splitmix64 state */
	uint64_t link_free_ns; /* when the rate's link has sent all it has */
	uint64_t n;            /* packets decided */
};

struct impair_decision {
	int drop;              /* lost: NF_DROP now */
	int duplicate;         /* a copy follows the original */
	int reorder;           /* kept until the next packet has gone */
	uint64_t release_ns;   /* when to accept it (not for a drop) */
};

/* impair_start() - the state of a fresh rule, seeded */
void impair_start(struct impair_state *s, const struct rule_impair *m);

/* impair_draw() - the next pseudo-random number in [0, RULE_PPM) */
uint32_t impair_draw(struct impair_state *s);

/*
 * impair_decide() - the fate of the next packet, of @bytes bytes, that
 * arrived at @now_ns
 */
void impair_decide(struct impair_state *s, const struct rule_impair *m,
		   uint64_t now_ns, size_t bytes, struct impair_decision *d);

#endif
