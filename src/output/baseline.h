/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baseline.h - compare the observed behaviour of two sets of results (pure)
 *
 * Theory of operation: a saved result (json_read_observed()) is the
 * baseline; another kernel's run is compared with it run by run, the runs
 * matched by (name, family, firewall).  What is compared is what the
 * kernel did, not how long the machine took:
 *
 *  - the verdict;
 *  - the set of states each node was seen in (TL_STATE events; a request
 *    socket's NEW_SYN_RECV counts as SYN_RECV), nodes matched by name;
 *  - each expectation's held flag, expectations matched by their text (the
 *    n-th with a given text against the n-th);
 *  - the errors returned: for expectations of kind "error", the errno
 *    names (ETIMEDOUT ...) that their observed text mentions;
 *  - retransmissions, per sending node, from the timeline: a TL_PACKET (or
 *    a TL_DROP on an output hook: an attempt that never reached the wire)
 *    that repeats an earlier segment of the same node with the same
 *    addresses, flags, sequence number and length, and occupies sequence
 *    space (SYN, FIN or payload).  Their number must be equal; each one's
 *    time since the first transmission of its segment must agree within
 *    the catalogue's tolerance, max(4 ms, 12.5 %) of the baseline's time.
 *    The packets are the capture's, not the expectations' prose, so this
 *    works for every scenario and does not depend on how a message is
 *    worded; when either side's capture hit its cap (packets_capped) the
 *    retransmissions are not compared.
 *  - the counters that moved, per node and name (a counter absent from a
 *    list did not move: delta 0).  Deltas agree when they differ by at most
 *    an eighth of the larger one (integer division), so counts below 8 must
 *    be equal and large counts get 12.5 %, the catalogue's timing tolerance
 *    applied to numbers.
 *
 * Each difference is one line "NAME IPvF FIREWALL: WHAT: DETAIL", e.g.
 * "syn-retries IPv4 nftables: client states: +ESTABLISHED -SYN_SENT" (+ for
 * what is new, - for what the baseline had and is gone); a run present on
 * one side only is one difference.
 */
#ifndef TCPLAB_BASELINE_H
#define TCPLAB_BASELINE_H

#include <stdio.h>

#include "results.h"

/*
 * baseline_compare() - write each difference between @now and @base to @f
 * (one line each; @f may be NULL to only count them) and return how many
 * there are.
 */
int baseline_compare(FILE *f, const struct results *now,
		     const struct results *base);

#endif
