/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * action.h - what an action step asks of an endpoint, and how its answer
 * reads (pure)
 *
 * Theory of operation: an action step of a scenario ("client connect 80",
 * "server accept within 1s", "client send 100") becomes one endpoint
 * command, a struct ep_msg, and a description that names what was asked in
 * the terms of the lab ("connect 198.18.0.2:80 x 3 from port 4000").
 * action_request() does that mapping from the step and the plan alone;
 * action_label() adds the named connection and socket options to the
 * description; action_outcome() turns the endpoint's answer into the step
 * line the run prints ("connect 198.18.0.2:80: connected (local port
 * 40000)").  Neither
 * touches an endpoint, a socket or the clock, so unit tests cover every
 * action; the runner (do_action()) sends the command, waits for the answer
 * and keeps the books.
 */
#ifndef TCPLAB_ACTION_H
#define TCPLAB_ACTION_H

#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"
#include "err.h"
#include "plan.h"
#include "scenario.h"

/*
 * action_request() - the endpoint command for action step @st of a lab
 * planned as @plan, into @req (zeroed first), and its description into
 * @what (@len bytes).  @wait_ns is how long an ACCEPT or RECV may wait
 * (the step's, widened by --slow).  Returns 0, or -EINVAL when @st is no
 * action (@e says so).
 */
int action_request(const struct step *st, const struct plan *plan,
		   uint64_t wait_ns, struct ep_msg *req, char *what,
		   size_t len, struct err *e) WUR;

/*
 * action_changes_sockets() - 1 when endpoint command @op changes the
 * node's own sockets by the call itself (listen, connect, shutdown, close,
 * abort): the runner then asks for the endpoint's sample taken right after
 * it.  Others change them only through the frames or timers they lead to,
 * or not at all.
 */
int action_changes_sockets(uint32_t op);

/*
 * action_label() - append to description @what (@len bytes in all) the
 * named connection and the socket options of @st: " [c1] with
 * user-timeout=1500ms" (connection names from @sc)
 */
void action_label(const struct step *st, const struct scenario *sc,
		  char *what, size_t len);

/*
 * action_outcome() - the step line for answer @rep to the command
 * described as @what: the description, then the outcome (": connected
 * (local port 40000)", ": 120 bytes, then EOF (peer sent FIN)",
 * ": Connection refused")
 */
void action_outcome(const struct step *st, const char *what,
		    const struct ep_msg *rep, char *buf, size_t len);

/*
 * action_text() - @n bytes of @d as printable text (a byte that is not
 * printable ASCII, '"' or '\\' as \xHH) into @buf (4 * @n + 1 bytes at
 * least); returns @buf
 */
const char *action_text(const uint8_t *d, size_t n, char *buf, size_t len);

#endif
