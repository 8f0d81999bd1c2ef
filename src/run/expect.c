// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * expect.c - deciding a scenario's expectations
 *
 * Theory of operation: every expectation polls what the kernel shows with
 * a deadline, never a bare sleep: sock_diag in the node's namespace for
 * states and timers (each look a sample of the node, runner_sample(), so
 * that the timeline has the state when it was confirmed and the tables
 * show the sockets as the confirming look saw them) and, with tcp_info
 * and only the wanted states, for retransmission counts and socket
 * fields; the endpoint's events for errors; the SNMP
 * counters for counters; the timeline (captures, NFLOG) for packets and
 * drops.  A state is first looked for in a spin of EXPECT_SPIN_NS, so
 * that one the call caused is confirmed within microseconds of it; after
 * that, and in the other expectations, the runner sleeps until something
 * can have changed (runner_wait: a captured frame, a logged drop, an
 * endpoint event, a socket timer's expiry, the deadline), looking every
 * 100 us for a millisecond after each such wake.  A longer spin found
 * nothing sooner: what a state still waits for after the call has
 * returned is a packet (captured a few microseconds before the stack acts
 * on it) or a timer, and each look costs a sock_diag dump (a spin of 2 ms
 * was 340 dumps waiting for a delayed ACK in close-wait).  The deadline ends the
 * waiting, not the looking: a look begun after it is the last, and an
 * error is judged by the endpoint's stamp, not by when the runner, woken
 * late on a loaded machine, got to read it (window.c).  Timing windows
 * have a tolerance of max(4 ms, 12.5 %), widened by --slow.  A failed expectation records its reason,
 * with the scenario's file:line, and prints the sockets as they were.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "lab.h"
#include "retrans.h"
#include "runner_int.h"
#include "text.h"
#include "util.h"
#include "window.h"

/* How long a state expectation looks without pause (see above) */
#define EXPECT_SPIN_NS (200 * NS_PER_US)

static const struct diag_sock *find_state(const struct runner *r,
					  const struct step *st,
					  const struct diag_set *set, int state)
{
	size_t k;

	for (k = 0; k < set->n; k++) {
		const struct diag_sock *s = &set->v[k];
		int is = s->state == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV : s->state;

		if (is == state && runner_conn_match(r, st, s))
			return s;
	}
	return NULL;
}

/* The states a poll for @state asks the kernel for */
static uint32_t poll_states(int state)
{
	/* CLOSED: every state but LISTEN, and none of them may be there */
	if (state == DIAG_CLOSE)
		return ((1U << DIAG_STATE_MAX) - 1) & ~(1U << DIAG_LISTEN) &
		       ~1U;
	return 1U << state;
}

/* Check timer kind and expiry of @s against @st; 0 or a reason in @why */
static int check_timer(struct runner *r, const struct step *st,
		       const struct diag_sock *s, char *why, size_t len)
{
	char a[32], b[32], c[32];

	if (st->timer >= 0 && s->timer != st->timer) {
		snprintf(why, len, "its timer is %s, not %s",
			 s->timer ? diag_timer_name(s->timer) : "off",
			 st->timer ? diag_timer_name(st->timer) : "off");
		return -1;
	}
	if (st->expires_ns) {
		uint64_t got = (uint64_t)s->expires_ms * NS_PER_MS;
		uint64_t tol = runner_tolerance(r, st->expires_ns);
		uint64_t diff = got > st->expires_ns ? got - st->expires_ns
						     : st->expires_ns - got;

		if (diff > tol) {
			snprintf(why, len, "its timer expires in %s, not %s (+/- %s)",
				 util_fmt_duration(got, a, sizeof(a)),
				 util_fmt_duration(st->expires_ns, b, sizeof(b)),
				 util_fmt_duration(tol, c, sizeof(c)));
			return -1;
		}
	}
	return 0;
}

/*
 * When node @node's socket @s was first seen in @state, its latest
 * change into it in the timeline (0: none there): a sample the endpoint
 * took right after a call may have seen it before the expectation looked
 */
static uint64_t seen_since(const struct runner *r, int node,
			   const struct diag_sock *s, int state)
{
	size_t k = r->tl.n;

	while (k--) {
		const struct tl_event *ev = &r->tl.v[k];

		if (ev->kind == TL_STATE && ev->node == node &&
		    ev->state == state && diag_addr_eq(&ev->pkt.src, &s->src) &&
		    diag_addr_eq(&ev->pkt.dst, &s->dst))
			return ev->t_ns;
	}
	return 0;
}

int expect_state(struct runner *r, const struct step *st, struct err *e)
{
	uint64_t start = util_now_ns(), deadline = start + runner_scaled(r, st->within_ns);
	/* each look is a sample of the node (runner_sample()): what it
	 * shows is in the timeline at the time it was seen, and the tables
	 * printed on success show it */
	struct diag_set *set = &r->tsets[st->node];
	const struct diag_sock *s = NULL;
	char within[32], why[160] = "";
	int rc, closed = st->state == DIAG_CLOSE;

	util_fmt_duration(st->within_ns, within, sizeof(within));
	for (;;) {
		/* a dump asked for before the deadline that does not show
		 * the state is not the last look: one begun after it is */
		uint64_t now = util_now_ns(), asked = now;

		rc = runner_sample(r, st->node);
		if (rc < 0)
			return err_set(e, rc, "sock_diag dump failed: %s",
				       strerror(-rc));
		if (closed) {
			uint32_t left = poll_states(DIAG_CLOSE);
			size_t k;

			for (k = 0, s = NULL; k < set->n && !s; k++)
				if ((left & 1U << set->v[k].state) &&
				    runner_conn_match(r, st, &set->v[k]))
					s = &set->v[k];
			if (!s)
				break;
		} else {
			s = find_state(r, st, set, st->state);
			if (s && check_timer(r, st, s, why, sizeof(why)) == 0)
				break;
		}
		if (asked > deadline) {
			runner_say(r, st->node, "state %s NOT seen within %s",
			    diag_state_label(closed ? DIAG_CLOSE : st->state), within);
			/* the node as this last look saw it (@s stays) */
			runner_print_tables(r, st->node, NULL);
			if (closed)
				return runner_fail(r, st, "expected %s to have no socket%s%.0u "
					    "left within %s, but one is still in %s",
					    runner_who(r, st),
					    st->port ? " on port " : "", st->port,
					    within, diag_state_label(s->state));
			if (s)
				return runner_fail(r, st, "%s reached %s%s%.0u, but %s",
					    runner_who(r, st),
					    diag_state_label(st->state),
					    st->port ? " on port " : "", st->port,
					    why);
			return runner_fail(r, st, "expected %s in state %s%s%.0u within %s, "
				    "but it did not get there (sockets above)",
				    runner_who(r, st),
				    diag_state_label(st->state),
				    st->port ? " on port " : "", st->port,
				    within);
		}
		/* spin first (a state shows within microseconds of the call
		 * that caused it), then sleep until something can have
		 * changed it */
		if (now - start > EXPECT_SPIN_NS)
			runner_wait(r, deadline + 1);
		else
			runner_pump_lazy(r); /* the state is looked for first */
	}
	{
		/* from the action to the state: when a sample first showed
		 * it, if that was after the action, else now */
		uint64_t now = util_now_ns(), seen = 0, lat;

		if (!closed)
			seen = seen_since(r, st->node, s, st->state);
		if (seen < r->last_action_t || seen > now)
			seen = now;
		lat = r->last_action_t && seen > r->last_action_t
			      ? seen - r->last_action_t : 0;
		char a[64], b[32], t[64] = "";

		if (lat > r->res->max_observe_ns)
			r->res->max_observe_ns = lat;
		if (closed) {
			runner_say(r, st->node, "state CLOSED confirmed: no socket%s%.0u left "
			    "(%s after %s)", st->port ? " on port " : "", st->port,
			    util_fmt_duration(lat, b, sizeof(b)), r->last_action);
			r->res->nheld++;
			runner_print_tables(r, st->node, NULL);
			return 0;
		}
		diag_addr_format(&s->src, a, sizeof(a));
		if (st->timer >= 0 || st->expires_ns)
			snprintf(t, sizeof(t), ", timer %s",
				 s->timer ? text_timer(s, within, sizeof(within))
					  : "off");
		runner_say(r, st->node, "state %s confirmed on %s%s (%s after %s)",
		    diag_state_label(st->state), a, t,
		    util_fmt_duration(lat, b, sizeof(b)), r->last_action);
	}
	r->res->nheld++;
	r->mark_node = st->node;
	r->mark = *s;
	runner_print_tables(r, st->node, s);
	return 0;
}

/*
 * The retransmission schedule: sample the node's matching socket's count
 * of retransmission timeouts; when it grows, the retransmissions are the
 * frames sent again since the previous sample, at the capture's time
 * (retrans.c), not when the runner happened to look; compare each,
 * measured from the last action, with the expected one.
 */
int expect_retrans(struct runner *r, const struct step *st, struct err *e)
{
	/* keepalive probes: from when the connection went idle */
	uint64_t t0 = r->idle_t ? r->idle_t : r->last_action_t, seen[STEP_MAX_TIMES];
	uint64_t last = st->times_ns[st->ntimes - 1];
	uint64_t deadline = t0 + last + runner_tolerance(r, last) + 50 * NS_PER_MS;
	int nseen = 0, i, bad = -1;
	struct diag_set *set = &r->sets[st->node];
	struct retrans_track tr = { .node = st->node, .last_sample = t0 };
	uint64_t cookie = 0, tlp[4];
	uint32_t total = 0; /* tcp_info's total_retrans: TLPs count there */
	char line[512], tl[160] = "", a[32], b[32];
	size_t off = 0;
	int ntlp = 0, have_total = 0;
	uint64_t srtt = 0; /* the socket's round trip: RTOs grow with it */

	for (;;) {
		const struct diag_sock *s = NULL;
		uint64_t asked = util_now_ns(), now;
		size_t k;

		int rc = runner_dump(r, st->node, poll_states(DIAG_CLOSE), set);

		if (rc < 0)
			return err_set(e, rc, "sock_diag dump failed: %s",
				       strerror(-rc));
		now = util_now_ns();
		/* every frame sent before the answer is in the capture now */
		runner_pump(r);
		timeline_sort(&r->tl);
		for (k = 0; k < set->n && !s; k++)
			if (runner_conn_match(r, st, &set->v[k]) &&
			    (!cookie || set->v[k].cookie == cookie))
				s = &set->v[k];
		if (!s) {
			if (cookie)
				break; /* the socket gave up */
		} else {
			unsigned count = retrans_sock_count(s);

			/* a segment sent again without a retransmission
			 * timeout: a tail loss probe */
			if (s->has_info && have_total && count <= tr.count &&
			    s->info.total_retrans > total && ntlp < 4)
				tlp[ntlp++] = now - t0;
			if (s->has_info) {
				total = s->info.total_retrans;
				have_total = 1;
				if ((uint64_t)s->info.rtt_us * NS_PER_US > srtt)
					srtt = (uint64_t)s->info.rtt_us * NS_PER_US;
				if (srtt > r->n[st->node].srtt_ns)
					r->n[st->node].srtt_ns = srtt;
			}
			if (!cookie) {
				tr.lport = s->src.port;
				tr.rport = s->dst.port;
			}
			cookie = s->cookie;
			retrans_note(&tr, &r->tl, count, asked, now, st->ntimes);
		}
		/* the deadline ends the waiting, not the looking: a runner
		 * woken late still counts what the kernel did in time (the
		 * frames say when) */
		if (tr.nseen >= st->ntimes ||
		    asked >= deadline + timing_rtt_slack(last, srtt))
			break;
		/* a retransmission is a captured frame, and the socket's
		 * timer says when the next one is due */
		runner_wait(r, deadline + timing_rtt_slack(last, srtt));
	}
	nseen = tr.nseen;
	for (i = 0; i < nseen; i++)
		seen[i] = tr.seen[i] > t0 ? tr.seen[i] - t0 : 0;
	for (i = 0; i < nseen && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s",
					i ? ", " : "",
					util_fmt_duration(seen[i], a, sizeof(a)));
	if (!nseen)
		snprintf(line, sizeof(line), "none");
	for (i = 0; i < nseen && bad < 0; i++) {
		uint64_t want = st->times_ns[i], tol = runner_tolerance(r, want);
		uint64_t d = seen[i] > want ? seen[i] - want : want - seen[i];

		/* later by the round trip's share, never earlier */
		if (seen[i] > want)
			tol += timing_rtt_slack(want, srtt);
		if (d > tol)
			bad = i;
	}
	for (i = 0, off = 0; i < ntlp && off < sizeof(tl); i++)
		off += (size_t)snprintf(tl + off, sizeof(tl) - off, "%s%s",
					i ? ", " : "; tail loss probe at ",
					util_fmt_duration(tlp[i], a, sizeof(a)));
	if (ntlp && off < sizeof(tl))
		snprintf(tl + off, sizeof(tl) - off, " (not a timeout: TcpExtTCPLossProbes)");
	runner_say(r, st->node, "retransmissions at %s after %s%s", line,
	    r->idle_t ? "the connection went idle" : r->last_action, tl);
	if (bad >= 0) {
		char tol[32], rtt[80] = "";

		if (timing_rtt_slack(st->times_ns[bad], srtt))
			snprintf(rtt, sizeof(rtt), ", later by up to %s for "
				 "the round trip of %s",
				 util_fmt_duration(timing_rtt_slack(st->times_ns[bad],
								    srtt), a, sizeof(a)),
				 util_fmt_duration(srtt, b, sizeof(b)));
		util_fmt_duration(runner_tolerance(r, st->times_ns[bad]), tol,
				  sizeof(tol));
		return runner_fail(r, st, "retransmission %d came at %s, expected %s "
			    "(+/- %s%s); seen at %s",
			    bad + 1, util_fmt_duration(seen[bad], a, sizeof(a)),
			    util_fmt_duration(st->times_ns[bad], b, sizeof(b)),
			    tol, rtt, line);
	}
	if (nseen < st->ntimes)
		return runner_fail(r, st, "expected %d retransmissions, saw %d (at %s)%s",
			    st->ntimes, nseen, line, tl);
	r->res->nheld++;
	return 0;
}

int expect_cmp_holds(enum step_cmp c, int64_t a, int64_t b)
{
	switch (c) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	}
	return 0;
}

const char *expect_cmp_name(enum step_cmp c)
{
	static const char *const n[] = { "==", "!=", "<", "<=", ">", ">=" };

	return n[c];
}

int expect_counter(struct runner *r, const struct step *st, struct err *e)
{
	uint64_t deadline = util_now_ns() + runner_scaled(r, st->within_ns);
	struct counters now = { 0 };
	int64_t base = 0, v = 0;
	int rc;

	/* counters that could not be read (no file descriptor left, say)
	 * are an error of the run, not a counter this kernel lacks */
	if (r->n[st->node].base_err)
		return err_set(e, r->n[st->node].base_err,
			       "cannot read the SNMP counters of %s: %s",
			       r->plan.nodes[st->node].name,
			       strerror(-r->n[st->node].base_err));
	if (counters_get(&r->n[st->node].base, st->counter, &base)) {
		return runner_fail(r, st, "this kernel has no counter %s", st->counter);
	}
	for (;;) {
		uint64_t asked = util_now_ns();

		rc = lab_counters(r->lab, st->node, &now);
		if (rc) {
			counters_free(&now);
			return err_set(e, rc, "cannot read SNMP counters: %s",
				       strerror(-rc));
		}
		if (counters_get(&now, st->counter, &v) == 0 &&
		    expect_cmp_holds(st->cmp, v - base, st->value))
			break;
		if (asked > deadline) {
			counters_free(&now);
			runner_say(r, st->node, "counter %s moved by %lld", st->counter,
			    (long long)(v - base));
			return runner_fail(r, st, "expected %s on %s to move by %s %lld, it moved by %lld",
				    st->counter, r->plan.nodes[st->node].name,
				    expect_cmp_name(st->cmp), (long long)st->value,
				    (long long)(v - base));
		}
		runner_wait(r, deadline + 1);
	}
	counters_free(&now);
	runner_say(r, st->node, "counter %s moved by %lld (%s %lld) confirmed",
	    st->counter, (long long)(v - base), expect_cmp_name(st->cmp),
	    (long long)st->value);
	r->res->nheld++;
	return 0;
}

/* expect error: the error noted for the node or its named connection,
 * the endpoint's events taken at every look */
struct error_look {
	struct runner *r;
	int node;
	const int *last_err;
	const uint64_t *last_t;
};

static uint64_t error_now(void *ctx)
{
	(void)ctx;
	return util_now_ns();
}

static int error_look(void *ctx, uint64_t *t, int last)
{
	struct error_look *l = ctx;

	/* what the endpoint already said, without waiting for runner_wait()
	 * to poll it: it may have said it before this step began; the last
	 * look asks the endpoint, whose answer comes after every event it
	 * was woken for, however long it then waited for a CPU */
	if (!*l->last_err && last)
		runner_endpoint_sync(l->r, l->node);
	else if (!*l->last_err)
		runner_take_events(l->r, l->node, 0);
	*t = *l->last_t;
	return *l->last_err != 0;
}

static void error_wait(void *ctx, uint64_t until)
{
	struct error_look *l = ctx;

	runner_wait(l->r, until);
}

int expect_error(struct runner *r, const struct step *st)
{
	static const struct window_ops ops = { error_now, error_look,
					       error_wait };
	uint64_t ref = r->n[st->node].last_t, tol = runner_tolerance(r, st->at_ns);
	uint64_t deadline = st->at_ns ? ref + st->at_ns + tol
				      : util_now_ns() + runner_scaled(r, st->within_ns);
	struct node_rt *n = &r->n[st->node];
	struct conn_rt *cn = st->conn >= 0 ? &r->c[st->conn] : NULL;
	/* a named connection's own errors, else the node's last */
	int *last_err = cn ? &cn->last_err : &n->last_err;
	const char *const *op = cn ? &cn->last_err_op : &n->last_err_op;
	uint64_t *last_t = cn ? &cn->last_err_t : &n->last_err_t;
	struct error_look look = { r, st->node, last_err, last_t };
	char within[32], a[32], b[32], c[32];
	enum window_verdict v;
	uint64_t seen_t = 0;

	if (st->at_ns && st->within_ns)
		deadline = util_now_ns() + runner_scaled(r, st->within_ns);
	/* judged by the endpoint's stamp, not by when the runner looked */
	v = window_wait(&ops, &look, deadline, &seen_t);
	util_fmt_duration(st->at_ns ? st->at_ns + tol : st->within_ns, within,
			  sizeof(within));
	if (*last_err != st->errnum) {
		int got = *last_err;

		runner_say(r, st->node, "error %s NOT seen within %s",
		    util_errno_name(st->errnum), within);
		return runner_fail(r, st, "expected %s to get %s within %s, got %s",
			    runner_who(r, st),
			    util_errno_name(st->errnum), within,
			    got ? util_errno_name(got) ?: "another error"
				: "no error");
	}
	if (v == WINDOW_LATE && !st->at_ns) {
		uint64_t over = seen_t - deadline;

		runner_say(r, st->node, "error %s seen, %s after the window of %s",
		    util_errno_name(st->errnum),
		    util_fmt_duration(over, a, sizeof(a)), within);
		return runner_fail(r, st, "expected %s to get %s within %s, it came "
			    "%s later", runner_who(r, st),
			    util_errno_name(st->errnum), within,
			    util_fmt_duration(over, b, sizeof(b)));
	}
	if (st->at_ns) {
		uint64_t got = *last_t > ref ? *last_t - ref : 0;
		uint64_t d = got > st->at_ns ? got - st->at_ns : st->at_ns - got;

		util_fmt_duration(got, a, sizeof(a));
		if (d > tol)
			return runner_fail(r, st, "%s got %s at %s, expected at %s (+/- %s)",
				    runner_who(r, st),
				    util_errno_name(st->errnum), a,
				    util_fmt_duration(st->at_ns, b, sizeof(b)),
				    util_fmt_duration(tol, c, sizeof(c)));
		runner_say(r, st->node, "error %s confirmed (from %s) at %s, expected %s",
		    util_errno_name(st->errnum), *op, a,
		    util_fmt_duration(st->at_ns, b, sizeof(b)));
	} else {
		runner_say(r, st->node, "error %s confirmed (from %s)",
		    util_errno_name(st->errnum), *op);
	}
	if (cn && n->last_err == cn->last_err && n->last_err_t == cn->last_err_t)
		n->last_err = 0; /* the node's last error was this one */
	*last_err = 0;
	r->res->nheld++;
	return 0;
}

/* @ev (a packet) belongs to @st's named connection, or it names none */
static int pkt_of_conn(const struct runner *r, const struct step *st,
		       const struct tl_event *ev)
{
	const struct conn_rt *c;
	uint16_t mine, theirs;

	if (st->conn < 0)
		return 1;
	c = &r->c[st->conn];
	/* the connection's own end sent it, or received it */
	mine = r->sc->conns[st->conn].node == ev->node ? ev->pkt.src.port
						       : ev->pkt.dst.port;
	theirs = r->sc->conns[st->conn].node == ev->node ? ev->pkt.dst.port
							 : ev->pkt.src.port;
	return mine == c->lport && (!c->rport || theirs == c->rport);
}

static int count_events(const struct runner *r, const struct step *st)
{
	size_t k;
	int n = 0;

	for (k = 0; k < r->tl.n; k++) {
		const struct tl_event *ev = &r->tl.v[k];

		if (st->kind == STEP_EXPECT_DROPS) {
			n += ev->kind == TL_DROP && ev->node == st->node;
			continue;
		}
		if (ev->kind != TL_PACKET || ev->node != st->node ||
		    (ev->peer >= 0 && ev->peer != st->peer))
			continue;
		if ((ev->pkt.flags & st->rule.flags_mask) != st->rule.flags_set ||
		    !pkt_of_conn(r, st, ev))
			continue;
		n++;
	}
	return n;
}

/*
 * expect packets ... at T1,T2,...: the matching packets, and when each
 * left, after the last action, within the tolerance.  A packet counts from
 * the moment the action's call went out: one the call itself sent (the
 * SYN of connect()) left before the call returned, by however long the
 * call took on this machine, and is at 0.
 */
static int expect_packet_times(struct runner *r, const struct step *st)
{
	uint64_t t0 = r->last_action_t, seen[STEP_MAX_TIMES];
	uint64_t last = st->times_ns[st->ntimes - 1];
	/* the node's round trip as its retransmissions showed it: times
	 * of segments sent again grow with it (timing_rtt_slack()) */
	uint64_t srtt = r->n[st->node].srtt_ns;
	uint64_t deadline = t0 + last + runner_tolerance(r, last) +
			    timing_rtt_slack(last, srtt) + runner_scaled(r, st->within_ns);
	char line[512], a[32], b[32], c[32];
	int n = 0, i, bad = -1;
	size_t k, off = 0;

	for (;;) {
		runner_pump(r);
		timeline_sort(&r->tl);
		for (k = 0, n = 0; k < r->tl.n; k++) {
			const struct tl_event *ev = &r->tl.v[k];

			if (ev->kind != TL_PACKET || ev->node != st->node ||
			    (ev->peer >= 0 && ev->peer != st->peer) ||
			    (ev->pkt.flags & st->rule.flags_mask) != st->rule.flags_set ||
			    !pkt_of_conn(r, st, ev) || ev->t_ns < r->last_action_start)
				continue;
			if (n < STEP_MAX_TIMES)
				seen[n] = ev->t_ns > t0 ? ev->t_ns - t0 : 0;
			n++;
		}
		if (n >= st->ntimes || util_now_ns() > deadline)
			break;
		runner_wait(r, deadline + 1);
	}
	for (i = 0; i < n && i < STEP_MAX_TIMES && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s",
					i ? ", " : "",
					util_fmt_duration(seen[i], a, sizeof(a)));
	if (!n)
		snprintf(line, sizeof(line), "none");
	runner_say(r, st->node, "packets to %s at %s after %s", r->plan.nodes[st->peer].name,
	    line, r->last_action);
	if (n != st->ntimes)
		return runner_fail(r, st, "expected %d packets, saw %d (at %s)", st->ntimes,
			    n, line);
	for (i = 0; i < n && bad < 0; i++) {
		uint64_t want = st->times_ns[i], tol = runner_tolerance(r, want);
		uint64_t d = seen[i] > want ? seen[i] - want : want - seen[i];

		/* later by the round trip's share, never earlier */
		if (seen[i] > want)
			tol += timing_rtt_slack(want, srtt);
		if (d > tol)
			bad = i;
	}
	if (bad >= 0)
		return runner_fail(r, st, "packet %d left at %s, expected %s (+/- %s)", bad + 1,
			    util_fmt_duration(seen[bad], a, sizeof(a)),
			    util_fmt_duration(st->times_ns[bad], b, sizeof(b)),
			    util_fmt_duration(runner_tolerance(r, st->times_ns[bad]), c,
					      sizeof(c)));
	r->res->nheld++;
	return 0;
}

/* expect packets / expect drops: count them as they come, until the
 * comparison holds or the deadline passes */
int expect_count(struct runner *r, const struct step *st)
{
	if (st->kind == STEP_EXPECT_PACKETS && st->ntimes)
		return expect_packet_times(r, st);
	uint64_t deadline = util_now_ns() + runner_scaled(r, st->within_ns);
	const char *what = st->kind == STEP_EXPECT_DROPS ? "drops" : "packets";
	int n;

	for (;;) {
		runner_pump(r);
		n = count_events(r, st);
		if (expect_cmp_holds(st->cmp, n, st->value))
			break;
		/* a count that can only grow will not come back under */
		if (util_now_ns() > deadline ||
		    ((st->cmp == CMP_LT || st->cmp == CMP_LE || st->cmp == CMP_EQ) &&
		     n > st->value))
			return runner_fail(r, st, "expected %s %s %lld, saw %d",
				    what, expect_cmp_name(st->cmp), (long long)st->value, n);
		runner_wait(r, deadline + 1);
	}
	if (st->kind == STEP_EXPECT_DROPS)
		runner_say(r, st->node, "%d drop%s counted (%s %lld) confirmed", n,
		    n == 1 ? "" : "s", expect_cmp_name(st->cmp), (long long)st->value);
	else
		runner_say(r, st->node, "%d packet%s to %s counted (%s %lld) confirmed",
		    n, n == 1 ? "" : "s", r->plan.nodes[st->peer].name,
		    expect_cmp_name(st->cmp), (long long)st->value);
	r->res->nheld++;
	return 0;
}

/* @v, a value of field @f, as a person reads it */
static const char *field_value(int f, int64_t v, char *buf, size_t len)
{
	static const char *const ca[] = { "open", "disorder", "cwr", "recovery",
					  "loss" };

	if (diag_field_unit(f) == DIAG_U_US)
		return util_fmt_duration((uint64_t)v * 1000, buf, len);
	if (diag_field_unit(f) == DIAG_U_CA_STATE && v >= 0 && v < 5)
		snprintf(buf, len, "%s", ca[v]);
	else
		snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

/*
 * The socket whose field @st reads: the listener on @st's port for the
 * listen queues, else @st's connection, or the first connection on its
 * port (any when none is given)
 */
static const struct diag_sock *field_sock(const struct runner *r,
					  const struct step *st,
					  const struct diag_set *set)
{
	size_t k;

	for (k = 0; k < set->n; k++) {
		const struct diag_sock *s = &set->v[k];

		if (diag_field_listener(st->field)) {
			if (s->state == DIAG_LISTEN && s->src.port == st->port)
				return s;
		} else if (s->state != DIAG_LISTEN &&
			   s->state != DIAG_NEW_SYN_RECV &&
			   runner_conn_match(r, st, s)) {
			return s;
		}
	}
	return NULL;
}

/* Field @st->field of the socket, 1 if there is one to read */
static int field_read(const struct runner *r, const struct step *st,
		      const struct diag_set *set, const struct diag_sock **sp,
		      int64_t *v)
{
	const struct diag_sock *s = field_sock(r, st, set);
	size_t k;

	*sp = s;
	if (!s)
		return 0;
	if (st->field != DIAG_F_SYN_Q)
		return diag_field_get(s, st->field, v) == 0;
	for (k = 0, *v = 0; k < set->n; k++)
		*v += (set->v[k].state == DIAG_NEW_SYN_RECV ||
		       set->v[k].state == DIAG_SYN_RECV) &&
		      set->v[k].src.port == st->port;
	return 1;
}

/*
 * expect NODE socket FIELD OP VALUE: poll sock_diag (with tcp_info) until
 * the socket's field compares as asked, or the deadline passes
 */
int expect_socket(struct runner *r, const struct step *st, struct err *e)
{
	uint64_t start = util_now_ns(), deadline = start + runner_scaled(r, st->within_ns);
	uint32_t all = ((1U << DIAG_STATE_MAX) - 1) & ~1U;
	int have = 0, rc;
	struct diag_set *set = &r->sets[st->node];
	const struct diag_sock *s = NULL;
	char a[64], b[32], c[32], w[32];
	int64_t v = 0;

	util_fmt_duration(st->within_ns, w, sizeof(w));
	for (;;) {
		uint64_t asked = util_now_ns(), now;

		rc = runner_dump(r, st->node, all, set);
		if (rc < 0)
			return err_set(e, rc, "sock_diag dump failed: %s",
				       strerror(-rc));
		have = field_read(r, st, set, &s, &v);
		if (have && expect_cmp_holds(st->cmp, v, st->value))
			break;
		if (s && s->has_info && !have && st->field == DIAG_F_RCV_WND)
			/* tcp_info's rcv_wnd came with Linux 6.2: on an older
			 * kernel the scenario cannot run (a skip, not a fail) */
			return err_env(e, -EOPNOTSUPP, "%s:%d: socket rcv-wnd "
				       "needs tcp_info's rcv_wnd, which this "
				       "kernel does not give (Linux 6.2 and "
				       "later do)", st->loc.file, st->loc.line);
		now = util_now_ns();
		if (asked > deadline) {
			runner_say(r, st->node, "socket %s %s %s NOT seen within %s",
			    diag_field_name(st->field), expect_cmp_name(st->cmp),
			    field_value(st->field, st->value, b, sizeof(b)), w);
			runner_print_tables(r, -1, NULL);
			if (!s)
				return runner_fail(r, st, "expected a socket of %s%s%.0u to "
					    "read %s of, found none",
					    runner_who(r, st), st->port ? " on port " : "",
					    st->port, diag_field_name(st->field));
			return runner_fail(r, st, "expected %s socket %s %s %s within %s, "
				    "it was %s", runner_who(r, st),
				    diag_field_name(st->field), expect_cmp_name(st->cmp),
				    field_value(st->field, st->value, b, sizeof(b)), w,
				    have ? field_value(st->field, v, c, sizeof(c))
					 : "not given (no tcp_info)");
		}
		runner_pump_lazy(r);
		if (now - start > 100 * NS_PER_MS)
			util_sleep_ns(NS_PER_MS);
		else if (now - start > EXPECT_SPIN_NS)
			util_sleep_ns(20 * NS_PER_US);
	}
	diag_addr_format(&s->src, a, sizeof(a));
	runner_say(r, st->node, "socket %s = %s (%s %s) confirmed on %s",
	    diag_field_name(st->field), field_value(st->field, v, c, sizeof(c)),
	    expect_cmp_name(st->cmp), field_value(st->field, st->value, b, sizeof(b)), a);
	r->res->nheld++;
	return 0;
}
