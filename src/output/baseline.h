/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baseline.h - compare the observed behaviour of two sets of results (pure)
 *
 * Theory of operation: a saved result (json_read_observed()) is the
 * baseline; another run of the catalogue (later, or on another kernel) is
 * compared with it run by run, the runs matched by (name, family,
 * firewall).  What is compared is what the kernel decided, not how long
 * the machine took nor what a sampler happened to catch.  Drift - a line
 * that makes `check --baseline` fail - is only what is deterministic:
 *
 *  - the verdict;
 *  - each expectation's held flag, expectations matched by their text (the
 *    n-th with a given text against the n-th);
 *  - the errors returned: for expectations of kind "error", the errno
 *    names (ETIMEDOUT ...) that their observed text mentions;
 *  - the states that expectations confirmed, per node (the state of the
 *    socket that confirmed each held state expectation; NEW_SYN_RECV
 *    counts as SYN_RECV), nodes matched by name;
 *  - retransmissions the kernel's timers sent (200 ms, TCP_RTO_MIN, or
 *    more after the segment's first transmission), per sending node, from
 *    the captured packets: a
 *    packet (or a drop on an output hook: an attempt that never reached
 *    the wire) that repeats an earlier segment of the same node with the
 *    same addresses, flags, sequence number and length, and occupies
 *    sequence space (SYN, FIN or payload).  Their number must be equal;
 *    each one's time since the first transmission of its segment must
 *    agree within the catalogue's tolerance, timing_tolerance() of the
 *    baseline's time with the larger of the two runs' --slow factors.
 *    Not compared when either capture hit its cap;
 *  - the shapes of the SYNs and SYN-ACKs each node sent, which the kernel
 *    decides: flags, window, the options in order with MSS and window
 *    scale (timestamp values left out), as a set per node.
 *
 *  - what the scenario's `record` lines name: a counter's delta (exactly),
 *    whether sampling saw a state of a node ("seen" / "not seen").
 *
 * Not drift, but told as notes (BASELINE_NOTES) for the reader: the
 * retransmissions within 200 ms of the first transmission (a tail loss
 * probe at 2 x the smoothed RTT, a fast retransmit on duplicate ACKs:
 * clocked by the round trip the kernel measured, i.e. the machine's speed;
 * a zero-window-probe run sends its probe at 5 ms or 11 ms as the machine
 * goes), the states
 * seen only by sampling (a state that lasts microseconds, FIN_WAIT1 on its
 * way to FIN_WAIT2, is caught by one run and not by the next) and the
 * counters that moved (a delayed ACK or a pure ACK more or less is the
 * scheduler's doing; a counter that matters is named by an expectation,
 * and its verdict is compared, or by a `record` line).
 *
 * Each difference is one line "NAME IPvF FIREWALL: WHAT: DETAIL", e.g.
 * "syn-sent IPv4 nftables: client retransmissions: 2 at 1s,2s, the
 * baseline 2 at 1s,3s" (the schedule now, then the baseline's); a run
 * present on one side only is one difference.  Notes carry "(not drift)".
 */
#ifndef TCPLAB_BASELINE_H
#define TCPLAB_BASELINE_H

#include <stdint.h>
#include <stdio.h>

#include "results.h"

#define BASELINE_MAX_RETRANS 32
#define BASELINE_MAX_SHAPES 4
#define BASELINE_SHAPE_LEN 96

/* The catalogue's timing tolerance: max(4 ms, 12.5 %) */
#define BASELINE_TOL_MIN_NS (4 * NS_PER_MS)

/* baseline_compare_ex() flags */
#define BASELINE_NOTES 1u /* also print the differences that are not drift */

/*
 * baseline_compare() - write each drift line between @now and @base to @f
 * (one line each; @f may be NULL to only count them) and return how many
 * there are.
 */
int baseline_compare(FILE *f, const struct results *now,
		     const struct results *base);

/* baseline_compare_ex() - the same, with BASELINE_* @flags */
int baseline_compare_ex(FILE *f, const struct results *now,
			const struct results *base, unsigned int flags);

/*
 * What the comparison looks at, for other writers (compare.c).  Nodes are
 * named; a node the run lacks has nothing.
 *
 * baseline_retrans() - the retransmissions node @name sent: @t (room for
 * BASELINE_MAX_RETRANS) gets each one's time since its segment's first
 * transmission, in time order; returns how many there were.
 */
int baseline_retrans(const struct result *run, const char *name, uint64_t *t);

/*
 * baseline_retrans_seen() - as baseline_retrans(), without the
 * retransmissions that one of the @nothers runs @others could not have
 * seen: it sent the same segment (node, flags, relative sequence number,
 * length) but ended sooner after that than this one came.  A slower machine runs longer and so sees more of a
 * FIN's or a SYN's timer after the scenario has said all it asserts; that
 * is the length of the run, not behaviour.  A segment the other run never
 * sent leaves the retransmission in.
 */
int baseline_retrans_seen(const struct result *run, const char *name,
			  uint64_t *t, const struct result *const *others,
			  int nothers);

/* baseline_is_retrans() - is the timeline event @i of @run a retransmission
 * (as baseline_retrans() counts them)?  Then @since (may be NULL) gets its
 * time since its segment's first transmission. */
int baseline_is_retrans(const struct result *run, size_t i, uint64_t *since);

/* Below this, a retransmission is clocked by the round trip (a loss
 * probe, a fast retransmit), not by a timer of the kernel's: TCP_RTO_MIN */
#define BASELINE_RTO_MIN_NS (200 * NS_PER_MS)

/* baseline_early() - how many of the first of @t[0..@n) (sorted) came
 * before BASELINE_RTO_MIN_NS */
int baseline_early(int n, const uint64_t *t);

/* baseline_schedules_agree() - same count, each time within the tolerance */
int baseline_schedules_agree(int na, const uint64_t *a, int nb,
			     const uint64_t *b, double slow);

/* baseline_schedule() - "2 at 1s,3s" for baseline_retrans()'s answer */
const char *baseline_schedule(int n, const uint64_t *t, char *buf, size_t len);

/* baseline_times_agree() - @a within timing_tolerance(@b, @slow) */
int baseline_times_agree(uint64_t a, uint64_t b, double slow);

/* baseline_shapes() - the distinct shapes of the SYNs and SYN-ACKs node
 * @name sent, in order of first sending, up to @max; returns how many */
int baseline_shapes(const struct result *run, const char *name,
		    char (*out)[BASELINE_SHAPE_LEN], int max);

/* baseline_nth_expect() - the @nth (from 0) expectation of @run whose
 * text is @text, or NULL; baseline_ordinal() - that n for @x of @run */
const struct res_expect *baseline_nth_expect(const struct result *run,
					     const char *text, int nth);
int baseline_ordinal(const struct result *run, const struct res_expect *x);

/* baseline_expect_verdict() - "held", "failed", or for an error
 * expectation "held, error ETIMEDOUT" (the errnos its observed text names) */
const char *baseline_expect_verdict(const struct res_expect *x, char *buf,
				    size_t len);

/* baseline_record() - @run's record of (@node, @kind, @name), or NULL;
 * baseline_record_value() - what @run shows for @rec (a record of either
 * run): "+1", "no such counter", "seen", "not seen" */
const struct res_record *baseline_record(const struct result *run,
					 const char *node, const char *kind,
					 const char *name);
const char *baseline_record_value(const struct result *run,
				  const struct res_record *rec, char *buf,
				  size_t len);

/* baseline_confirmed(), baseline_sampled() - the states of node @name
 * confirmed by held expectations / seen by sampling, as 1 << state bits */
uint32_t baseline_confirmed(const struct result *run, const char *node);
uint32_t baseline_sampled(const struct result *run, const char *node);

#endif
