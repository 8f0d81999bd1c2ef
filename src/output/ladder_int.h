/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ladder_int.h - what the terminal ladder (ladder.c) and the SVG ladder of
 * the report (report.c) decide alike: which events of a timeline belong
 * between two nodes, which way a dropped segment was going, which captured
 * packet a drop ended, and how an arrow's label reads.  Internal to those
 * two files; the functions live in ladder.c.
 */
#ifndef TCPLAB_LADDER_INT_H
#define TCPLAB_LADDER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"
#include "timeline.h"

/*
 * ladder_between() - 1 if @e belongs on the ladder between nodes @ln and
 * @rn: a TL_PACKET from one to the other (or to an unknown peer), a TL_DROP
 * or TL_STATE of either.
 */
int ladder_between(const struct tl_event *e, int ln, int rn);

/*
 * ladder_drop_dir() - the direction (0: left to right) of the segment that
 * TL_DROP @d ended: on input it was on its way to the dropping node, on
 * output it was leaving it.
 */
int ladder_drop_dir(const struct tl_event *d, int ln);

/*
 * ladder_same_seg() - 1 if @a and @b are the same TCP segment: addresses,
 * ports, sequence number, flags and length; and, when @ack and the segment
 * carries ACK, the acknowledgement number too.
 */
int ladder_same_seg(const struct tl_pkt *a, const struct tl_pkt *b, int ack);

/*
 * ladder_closer() - 1 (and *@best_dt updated) if time @t is closer to
 * @when than *@best_dt is.
 */
int ladder_closer(uint64_t t, uint64_t when, uint64_t *best_dt);

/* ladder_state() - the state a ladder shows: NEW_SYN_RECV as SYN_RECV */
int ladder_state(int st);

/*
 * ladder_flags() - "SYN/ACK", "FIN/PSH/ACK", "RST", or @none for no flag,
 * into @buf; returns @buf.
 */
const char *ladder_flags(uint8_t flags, const char *none, char *buf,
			 size_t len);

/*
 * ladder_numbers() - "seq 1 ack 1 len 6" (relative numbers of @p), into
 * @buf; returns @buf.
 */
const char *ladder_numbers(const struct tl_pkt *p, char *buf, size_t len);

#endif
