/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * retrans.h - when each retransmission timeout happened, from the
 * socket's count and the captured frames (pure)
 *
 * Theory of operation: sock_diag says how many retransmission timeouts a
 * socket has had (tcp_info's retransmits, icsk_retransmits), but not when;
 * a sample only shows that the count rose since the previous one.  The
 * runner sleeps between samples and may be woken late under load, so the
 * time of the sample is not the time of the retransmission.  The frame a
 * timeout sent again is on the timeline with the capture's kernel stamp:
 * when the count rises by k between two samples, the k retransmissions
 * are the last k segments of that connection sent again (data, SYN or
 * FIN at a sequence number already sent, or a keepalive or zero-window
 * probe one byte back) between the two samples; tail
 * loss probes are segments sent again too, but the count does not rise
 * for them, so they stay out of the window that is attributed.  The count
 * never goes back: idiag_retrans reads 0 while no timer is armed (inside
 * the timer's own handler, for one), which is no new retransmission.
 * Without a captured frame (captures off), the sample's time stands.
 */
#ifndef TCPLAB_RETRANS_H
#define TCPLAB_RETRANS_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "sock.h"
#include "timeline.h"

struct retrans_track {
	int node;               /* the sender, as on the timeline */
	uint16_t lport, rport;  /* the connection: its local and remote port */
	unsigned count;         /* retransmission timeouts counted */
	uint64_t last_sample;   /* when the last sample was taken (before it) */
	uint64_t consumed;      /* frames up to this time are attributed */
	int nseen;
	uint64_t seen[STEP_MAX_TIMES]; /* when each was sent (timeline clock) */
	int from_sample[STEP_MAX_TIMES]; /* 1: no frame, the sample's time */
};

/* retrans_sock_count() - the retransmission timeouts (or keepalive and
 * zero-window probes) @s has had: tcp_info's retransmits + probes when the
 * dump carried it (true whatever timer is armed), else idiag_retrans */
unsigned retrans_sock_count(const struct diag_sock *s);

/*
 * retrans_note() - a sample asked for at @t_sample and answered by
 * @t_done showed @count for @tr's connection; @tl (sorted, pumped after
 * the answer) holds its frames.  Records the new retransmissions, at most
 * @max in all (frames sent between the previous sample and @t_done; the
 * sample's time when none was captured); returns how many were new.
 */
int retrans_note(struct retrans_track *tr, const struct timeline *tl,
		 unsigned count, uint64_t t_sample, uint64_t t_done, int max);

/*
 * retrans_idle_since() - when the connection of @node on local port @lport
 * last received a segment, at or before @before (0: none on @tl).  The
 * kernel counts keepalive's idle time from then (tcp_keepalive_timer(),
 * keepalive_time_elapsed()), not from the setsockopt() that turned it on,
 * so keepalive probes and their ETIMEDOUT are timed from it.
 */
uint64_t retrans_idle_since(const struct timeline *tl, int node,
			    uint16_t lport, uint64_t before);

#endif
