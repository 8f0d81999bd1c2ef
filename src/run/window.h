/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * window.h - did what an expectation waits for come within its window
 * (pure)
 *
 * Theory of operation: an expectation waits until a deadline for
 * something that carries its own time - an endpoint's error event is
 * stamped by the endpoint when it reads the error from its socket.  The
 * runner sleeps between looks and, on a loaded machine, may be woken long
 * after the deadline (a nap of 100 us has been seen to last 218 ms on a
 * busy 2-CPU machine); what it finds then may have come well in time.  So
 * the deadline ends the waiting, not the looking: the verdict goes by when
 * the thing happened, never by when the runner looked, and it is "missed"
 * only when a look that began after the deadline found nothing - a look
 * that takes in all that happened before it (the caller asks the
 * endpoint, whose answer comes after every event it was woken for, so an
 * endpoint starved of CPU at the deadline still counts).  The
 * waiting itself (clock, look, sleep) is the caller's, through
 * struct window_ops, so the loop is tested with a clock that jumps.
 */
#ifndef TCPLAB_WINDOW_H
#define TCPLAB_WINDOW_H

#include <stdint.h>

enum window_verdict {
	WINDOW_WAIT,   /* nothing yet, and the deadline had not passed: wait */
	WINDOW_HELD,   /* it came, at or before the deadline */
	WINDOW_LATE,   /* it came, after the deadline */
	WINDOW_MISSED, /* a look begun after the deadline found nothing */
};

/**
 * window_judge() - the verdict of one look
 * @seen:	the look found it
 * @seen_t:	when it happened (its own stamp), if @seen
 * @look_t:	when the look began (before anything was read)
 * @deadline:	the end of the window
 *
 * Return: WINDOW_HELD or WINDOW_LATE when @seen, by @seen_t; else
 * WINDOW_MISSED when the look began after @deadline, WINDOW_WAIT before
 */
enum window_verdict window_judge(int seen, uint64_t seen_t, uint64_t look_t,
				 uint64_t deadline);

/* How to wait for one thing: the caller's clock, look and sleep */
struct window_ops {
	uint64_t (*now)(void *ctx);
	/* 1 and its time in *@t when it is there, else 0; @last: the look
	 * begun after the deadline, which must take in all that happened
	 * before it (an endpoint starved of CPU may not have said it yet) */
	int (*look)(void *ctx, uint64_t *t, int last);
	/* sleep until something may have changed, or about @until; it may
	 * come back early, or (a loaded machine) long after @until */
	void (*wait)(void *ctx, uint64_t until);
};

/**
 * window_wait() - look, and sleep between looks, until a verdict
 * @ops:	clock, look, sleep
 * @ctx:	for @ops
 * @deadline:	the end of the window
 * @seen_t:	when it happened, on WINDOW_HELD or WINDOW_LATE
 *
 * Return: WINDOW_HELD, WINDOW_LATE or WINDOW_MISSED (never WINDOW_WAIT)
 */
enum window_verdict window_wait(const struct window_ops *ops, void *ctx,
				uint64_t deadline, uint64_t *seen_t);

#endif
