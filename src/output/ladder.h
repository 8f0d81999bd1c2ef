/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ladder.h - terminal ladder diagrams of a run (pure: writes to a FILE *)
 *
 * Theory of operation: two hosts are two vertical lines, time runs down
 * the page, and every TCP segment between them is one horizontal arrow
 * labelled with its flags and relative numbers ("SYN/ACK seq 0 ack 1"), as
 * TCP is drawn in textbooks.  A segment a firewall rule dropped is an arrow
 * that stops in an 'X' near the host that dropped it, with the rule's place
 * in the scenario beneath.  Each socket state a host was seen in is written
 * beside its line, at the time it was seen.  The left margin is the time in
 * milliseconds since the run's time zero.  About 78 columns wide.
 */
#ifndef TCPLAB_LADDER_H
#define TCPLAB_LADDER_H

#include <stdio.h>

#include "err.h"
#include "timeline.h"

/* Width of the diagram, in columns */
#define LADDER_WIDTH 78

/*
 * ladder_render() - draw the TL_PACKET, TL_DROP and TL_STATE events of
 * @tl between nodes @left_node and @right_node (named @left_name and
 * @right_name).  @tl need not be sorted, and its relative sequence numbers
 * need not be filled: the ladder works them out over the packets it draws.
 * ANSI colours when @color (states in cyan, drops in red).  Returns 0 or
 * -ENOMEM.
 */
int ladder_render(FILE *f, const char *left_name, const char *right_name,
		  const struct timeline *tl, int left_node, int right_node,
		  int color);

#endif
