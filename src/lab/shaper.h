/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shaper.h - an impairment at work: verdicts on time, copies sent again
 *
 * Theory of operation: an "impair SRC->DST" rule (rule.h) sends the
 * segments DST receives to an NFQUEUE queue with the bypass flag; a
 * shaper binds that queue in DST's namespace, copying each packet whole,
 * before the rule is installed.  A thread of its own reads each packet
 * as it comes, asks impair_decide() (core, pure) for its fate, and keeps
 * it until its time: a lost one gets NF_DROP at once, the others NF_ACCEPT
 * when their delay and the rate's link let them go, a reordered one right
 * after the next one - or alone, when no next one has come within the
 * rule's "reorder after D" (a segment nothing follows is never kept for
 * ever).  netem does this in a qdisc; a kernel without it
 * still has nfnetlink_queue, and the verdicts come within tens of
 * microseconds of their time.
 *
 * A duplicate is the same bytes sent again, through a raw socket
 * (IPPROTO_RAW) opened in SRC's namespace, right after the original is
 * accepted: it crosses the link like any segment (the captures show it
 * twice), and when it reaches the queue again it is recognised by its TCP
 * bytes and let through at once.
 *
 * The thread notes what a person wants to see - each loss, copy and
 * reordering, with the segment decoded - for the runner to take
 * (shaper_take(), woken through shaper_fd()), and counts everything.
 * shaper_stop() lets every packet still kept go, unbinds (from then on
 * the bypass flag lets packets by) and joins the thread.
 */
#ifndef TCPLAB_SHAPER_H
#define TCPLAB_SHAPER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rule.h"
#include "timeline.h"

struct shaper; /* opaque */

enum shaper_what {
	SHAPER_LOST,       /* NF_DROP: the draw said so */
	SHAPER_DUPLICATED, /* a copy was sent after it */
	SHAPER_REORDERED,  /* kept until the next one had gone */
	SHAPER_ALONE,      /* kept for reordering, but no next one came in
			      time ("reorder after D"): let go alone */
};

struct shaper_event {
	uint64_t t_ns;       /* when it happened */
	enum shaper_what what;
	unsigned rule_id;
	struct tl_pkt pkt;   /* the segment */
	uint64_t n;          /* which packet of the rule (1-based) */
};

struct shaper_stats {
	uint64_t packets;    /* decided (copies not counted) */
	uint64_t lost, duplicated, reordered;
	uint64_t alone;      /* of the reordered, let go with none after */
	uint64_t copies_seen; /* copies that came back through the queue */
	uint64_t late_max_ns; /* the latest a verdict came after its time */
};

/*
 * shaper_start() - bind @r's queue in @dst_nsfd, a raw socket of @family
 * (4 or 6) in @src_nsfd (for duplicates), and start the thread
 */
int shaper_start(struct shaper **out, const struct rule *r, int dst_nsfd,
		 int src_nsfd, int family, struct err *e) WUR;

/* shaper_fd() - readable when events wait for shaper_take() */
int shaper_fd(const struct shaper *s);

/* shaper_take() - up to @max events, oldest first; how many */
size_t shaper_take(struct shaper *s, struct shaper_event *v, size_t max);

/* shaper_stats() - what it did so far */
void shaper_stats(struct shaper *s, struct shaper_stats *out);

/* shaper_rule() - the rule it serves */
const struct rule *shaper_rule(const struct shaper *s);

/* shaper_stop() - let what is kept go, unbind, join, free (NULL is fine) */
void shaper_stop(struct shaper *s);

#endif
