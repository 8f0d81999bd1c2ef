// SPDX-License-Identifier: GPL-2.0-or-later
/* window.c - did it come within the window (see window.h) */
#include "window.h"

enum window_verdict window_judge(int seen, uint64_t seen_t, uint64_t look_t,
				 uint64_t deadline)
{
	if (seen)
		return seen_t <= deadline ? WINDOW_HELD : WINDOW_LATE;
	return look_t > deadline ? WINDOW_MISSED : WINDOW_WAIT;
}

enum window_verdict window_wait(const struct window_ops *ops, void *ctx,
				uint64_t deadline, uint64_t *seen_t)
{
	for (;;) {
		/* the time is read before the look: a look that began in
		 * the window and found nothing is not the last one */
		uint64_t look_t = ops->now(ctx), t = 0;
		int seen = ops->look(ctx, &t, look_t > deadline);
		enum window_verdict v = window_judge(seen, t, look_t, deadline);

		if (v != WINDOW_WAIT) {
			*seen_t = t;
			return v;
		}
		ops->wait(ctx, deadline + 1);
	}
}
