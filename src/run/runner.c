// SPDX-License-Identifier: GPL-2.0-or-later
/* runner.c - running a scenario in a lab (see runner.h) */
#define _GNU_SOURCE
#include "runner.h"
#include "runner_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "action.h"
#include "capture.h"
#include "counters.h"
#include "diag.h"
#include "endpoint.h"
#include "fw.h"
#include "ladder.h"
#include "keeper.h"
#include "lab.h"
#include "netns.h"
#include "nflog.h"
#include "pkt.h"
#include "results.h"
#include "retrans.h"
#include "shaper.h"
#include "plan.h"
#include "text.h"
#include "util.h"


static void runner_vsay(struct runner *r, int node, uint64_t t,
			const char *fmt, va_list ap)
{
	double ms = ((double)t - (double)r->t0) / 1e6;

	fprintf(r->o->out, "  %+9.3f ms  %-7s ", ms,
		node >= 0 ? r->plan.nodes[node].name : "");
	vsnprintf(r->last_said, sizeof(r->last_said), fmt, ap);
	fputs(r->last_said, r->o->out);
	fputc('\n', r->o->out);
}

void runner_say(struct runner *r, int node, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runner_vsay(r, node, util_now_ns(), fmt, ap);
	va_end(ap);
}

/*
 * runner_say() for an action: timed when its call returned in the
 * endpoint (the moment its packets show in the ladder), not when the line
 * is printed, which on a loaded machine can be milliseconds later
 */
static void PRINTF(4, 5) runner_say_at(struct runner *r, int node, uint64_t t,
				       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	runner_vsay(r, node, t ? t : util_now_ns(), fmt, ap);
	va_end(ap);
}


static void tl_add(struct runner *r, const struct tl_event *ev)
{
	if (timeline_add(&r->tl, ev))
		fprintf(stderr, "tcplab: out of memory for the timeline\n");
}

static void tl_step(struct runner *r, const struct step *st, uint64_t t)
{
	struct tl_event ev = { .t_ns = t ? t : util_now_ns(), .kind = TL_STEP,
			       .node = st->node, .peer = -1, .loc = st->loc };

	snprintf(ev.text, sizeof(ev.text), "%.95s", st->text);
	tl_add(r, &ev);
}

static const struct step *rule_step(const struct runner *r, unsigned id)
{
	size_t k;

	for (k = 0; k < r->sc->nsteps; k++)
		if (r->sc->steps[k].kind == STEP_FIREWALL &&
		    r->sc->steps[k].rule.id == id)
			return &r->sc->steps[k];
	return NULL;
}

struct drop_ctx {
	struct runner *r;
	int node;
};

static int on_drop(const struct tl_event *ev, void *data)
{
	struct drop_ctx *d = data;
	struct runner *r = d->r;
	struct tl_event e = *ev;
	const struct step *st = rule_step(r, ev->rule_id);
	char fl[32], a[64], file[64];
	const char *base;

	e.node = d->node;
	if (st)
		e.loc = st->rule.loc;
	tl_add(r, &e);
	runner_touch(r);
	base = e.loc.file ? strrchr(e.loc.file, '/') : NULL;
	snprintf(file, sizeof(file), "%s", base ? base + 1 : e.loc.file ? e.loc.file : "?");
	diag_addr_format(e.hook == RULE_OUTPUT ? &e.pkt.dst : &e.pkt.src, a, sizeof(a));
	fprintf(r->o->out, "  %+9.3f ms  %-7s %s dropped %s %s %s - rule at %s:%d\n",
		(double)(e.t_ns - r->t0) / 1e6, r->plan.nodes[d->node].name,
		rule_hook_name((enum rule_hook)e.hook),
		rule_flags_format(e.pkt.flags, fl, sizeof(fl)),
		e.hook == RULE_OUTPUT ? "to" : "from", a, file, e.loc.line);
	return 0;
}

/* The node whose address @a is (its first end's), -1 for none */
static int runner_node_of(const struct runner *r, const struct diag_addr *a)
{
	int i;

	for (i = 0; i < r->plan.nnodes; i++) {
		const struct plan_node *n = &r->plan.nodes[i];

		if (a->family == AF_INET ? a->v4.s_addr == n->v4.s_addr
					 : !memcmp(&a->v6, &n->v6, sizeof(a->v6)))
			return i;
	}
	return -1;
}

/*
 * What an impairment did that a person wants to see: a loss is a drop
 * (TL_DROP, attributed to the impair line, counted by "expect drops"), a
 * copy or a reordering a line of the run
 */
static void on_impair(struct runner *r, int node, const struct shaper_event *se)
{
	const struct step *st = rule_step(r, se->rule_id);
	static const char *const what[] = {
		[SHAPER_LOST] = "lost",
		[SHAPER_DUPLICATED] = "duplicated",
		[SHAPER_REORDERED] = "held for reordering",
		[SHAPER_ALONE] = "let go alone (no next segment in time)",
	};
	char fl[32], a[64], file[64];
	const char *base;

	if (se->what == SHAPER_DUPLICATED && st &&
	    r->ncopies < (int)ARRAY_SIZE(r->copies)) {
		struct runner_copy *c = &r->copies[r->ncopies++];

		c->t_ns = se->t_ns;
		c->node = st->rule.imp.src;
		c->pkt = se->pkt;
	}
	if (se->what == SHAPER_LOST) {
		struct tl_event ev = { .t_ns = se->t_ns, .kind = TL_DROP,
				       .node = node, .peer = -1,
				       .pkt = se->pkt, .rule_id = se->rule_id,
				       .hook = RULE_INPUT, .impaired = 1 };

		if (st)
			ev.loc = st->rule.loc;
		tl_add(r, &ev);
	}
	base = st && st->loc.file ? strrchr(st->loc.file, '/') : NULL;
	snprintf(file, sizeof(file), "%s",
		 base ? base + 1 : st && st->loc.file ? st->loc.file : "?");
	diag_addr_format(&se->pkt.src, a, sizeof(a));
	fprintf(r->o->out, "  %+9.3f ms  %-7s input %s %s from %s (segment %llu, "
		"%u bytes) - impair at %s:%d\n",
		(double)(se->t_ns - r->t0) / 1e6, r->plan.nodes[node].name,
		what[se->what], rule_flags_format(se->pkt.flags, fl, sizeof(fl)),
		a, (unsigned long long)se->n, se->pkt.len, file,
		st ? st->loc.line : 0);
}

/* Every impairment's news, node by node */
static void take_impairs(struct runner *r)
{
	int i, k;

	for (i = 0; i < r->plan.nnodes; i++) {
		struct shaper *sh;

		for (k = 0; (sh = lab_shaper(r->lab, i, k)); k++) {
			struct shaper_event ev[16];
			size_t n, j;

			while ((n = shaper_take(sh, ev, ARRAY_SIZE(ev))))
				for (j = 0; j < n; j++)
					on_impair(r, i, &ev[j]);
		}
	}
}

/* The most ports one node's listen steps name for runner_dump() */
#define RUNNER_LPORTS 16

/* runner_dump(), with or without tcp_info (@no_info) */
static int runner_query(struct runner *r, int node, uint32_t states,
			int no_info, struct diag_set *set)
{
	uint16_t ports[RUNNER_LPORTS];
	struct diag_query q = { .family = r->plan.family == 6 ? AF_INET6
							      : AF_INET,
				.states = states, .no_info = no_info,
				.lports_known = 1, .lports = ports };
	size_t k;

	/* the endpoint is the only thing that listens in a lab, on the
	 * wildcard address, on the ports of the node's listen steps */
	for (k = 0; r->sc && k < r->sc->nsteps; k++) {
		const struct step *st = &r->sc->steps[k];

		if (st->kind != STEP_LISTEN ||
		    (st->node != node && st->node2 != node))
			continue;
		if (q.nlports == RUNNER_LPORTS) {
			q.lports_known = 0; /* too many: a dump finds them */
			break;
		}
		ports[q.nlports++] = st->port;
	}
	if (!r->sc)
		q.lports_known = 0;
	return diag_query(lab_diag_fd(r->lab, node), &q, set);
}

int runner_dump(struct runner *r, int node, uint32_t states,
		struct diag_set *set)
{
	return runner_query(r, node, states, 0, set);
}

void runner_touch(struct runner *r)
{
	r->touch_t = util_now_ns();
}

/*
 * Sampling.  A look (runner_pump()) samples a node's sockets only when
 * they can have changed since its last sample was asked for: most looks
 * come when nothing can have (a brisk look, a settling nap, the look after
 * a firewall step or after an expectation whose tables were just printed,
 * themselves a sample of every node).  What sock_diag shows of a node
 * changes only
 *  - when the runner acts (an endpoint call, a socket destroyed) or an
 *    endpoint tells of an event (a connect completed or failed, a socket
 *    error): runner_touch() notes the moment, once the call has returned,
 *    and every sample asked for before it is stale.  A call that changes
 *    the node's sockets itself (action_changes_sockets()) comes back with
 *    the endpoint's sample of them taken right after it, which counts as
 *    the runner's own (runner_sample_taken()): the moment noted is then
 *    when the call returned, before that sample.  Drops logged count
 *    too;
 *  - when a frame arrives (a SYN, an ACK, a reset): its capture sees it
 *    before the stack acts on it, on the same CPU, in the same softirq,
 *    which a loaded or preempted CPU can stretch.  So after frames that
 *    arrived are read on a node's capture, it is sampled again at every
 *    look until a sample is asked for RUNNER_FRAME_LAG_NS after the read
 *    (the runner's settling time, the bound its waiting assumes).  A
 *    frame a node sends follows its own change (the state is set before
 *    the segment is built: connect, close, the SYN-ACK of a request
 *    socket, the ACK of a FIN) or a timer's, which the other two rules
 *    catch, and does not count;
 *  - when one of its sockets' timers expires (retransmission, keepalive,
 *    TIME_WAIT, the request socket's SYN-ACK): the node is sampled at
 *    every look from RUNNER_TIMER_EARLY_NS before the expiry its last
 *    sample showed (sock_diag rounds it to a millisecond) until a sample
 *    shows the timer moved on.
 * A node without a capture (a router), and every node of a run whose
 * packets can be held or let go by tcplab itself (impairments, queue
 * rules: a release is not a frame the capture sees again) or whose
 * endpoint exits (it closes its sockets after it answered), is sampled at
 * every look, as is a node whose last sample failed.  The socket tables
 * are such a sample of every node, so what they show is in the timeline
 * with the time it was seen.
 */
#define RUNNER_FRAME_LAG_NS NS_PER_MS
#define RUNNER_TIMER_EARLY_NS NS_PER_MS

/*
 * Note each change of state between node @i's last sample and the one now
 * in r->tsets[i], asked for at @asked and read by @t
 */
static void track_apply(struct runner *r, int i, uint64_t asked, uint64_t t)
{
	/* the new one is built in the spare, then the two swap: neither is
	 * cleared or copied whole (TRACK_MAX sockets each) */
	struct track *tk = r->track[i], *next = r->track_spare;
	const struct diag_set *set = &r->tsets[i];
	size_t k;
	int j;

	r->track_t[i] = asked;
	r->tsets_t[i] = t;
	next->n = 0;
	for (k = 0; k < set->n && next->n < TRACK_MAX; k++) {
		const struct diag_sock *s = &set->v[k];
		uint8_t st = s->state == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV
							   : s->state;
		int seen = -1;

		for (j = 0; j < tk->n; j++)
			if (tk->cookie[j] == s->cookie)
				seen = j;
		if (seen < 0 || tk->state[seen] != st) {
			struct tl_event ev = { .t_ns = t, .kind = TL_STATE,
					       .node = i, .peer = -1,
					       .state = st };

			ev.pkt.src = s->src;
			ev.pkt.dst = s->dst;
			/* in a star, whose connection it is: the ladders
			 * of the other hosts leave it out */
			if (r->sc->star)
				ev.peer = runner_node_of(r, &s->dst);
			tl_add(r, &ev);
		}
		next->cookie[next->n] = s->cookie;
		next->src[next->n] = s->src;
		next->dst[next->n] = s->dst;
		next->state[next->n++] = st;
	}
	for (j = 0; j < tk->n; j++) {
		int still = 0;
		int m;

		for (m = 0; m < next->n; m++)
			if (next->cookie[m] == tk->cookie[j])
				still = 1;
		if (!still && tk->state[j] != DIAG_LISTEN) {
			struct tl_event ev = { .t_ns = t, .kind = TL_STATE,
					       .node = i, .peer = -1,
					       .state = DIAG_CLOSE };

			/* whose connection ended, as for any state */
			ev.pkt.src = tk->src[j];
			ev.pkt.dst = tk->dst[j];
			if (r->sc->star)
				ev.peer = runner_node_of(r, &tk->dst[j]);
			tl_add(r, &ev);
		}
	}
	r->track[i] = next;
	r->track_spare = tk;
}

/*
 * Sample node @i's sockets (into r->tsets[i]) and note each change of
 * state.  The samples feed the timeline, next_timer(), the state
 * expectations and the socket tables, none of which reads tcp_info: it is
 * not asked for.
 */
int runner_sample(struct runner *r, int i)
{
	uint64_t asked = util_now_ns();
	int rc;

	rc = runner_query(r, i, 0, 1, &r->tsets[i]);
	if (rc < 0) {
		r->track_t[i] = 0; /* looked at again at the next look */
		return rc;
	}
	track_apply(r, i, asked, util_now_ns());
	return 0;
}

/*
 * A sample of node @i that its endpoint took right after a call (struct
 * ep_sample), taken as one of the runner's own: the states it shows are
 * in the timeline at the time the endpoint saw them.  Returns 0, or -1
 * when there is none (the node is then sampled at the next look).
 */
static int runner_sample_taken(struct runner *r, int i,
			       const struct ep_sample *smp)
{
	struct diag_set *set = &r->tsets[i];
	if (smp->h.err)
		return -1;
	diag_set_clear(set);
	while (set->cap < smp->h.n)
		if (util_grow((void **)&set->v, &set->cap, set->cap,
			      sizeof(*set->v), 32)) {
			r->track_t[i] = 0;
			return -1;
		}
	memcpy(set->v, smp->v, smp->h.n * sizeof(*set->v));
	set->n = smp->h.n;
	track_apply(r, i, smp->h.asked_ns, smp->h.t_ns);
	return 0;
}

/*
 * Can node @i's sockets have changed since its last sample was asked
 * for?  (See "Sampling" above.)
 */
static int track_stale(const struct runner *r, int i, uint64_t now)
{
	const struct diag_set *set = &r->tsets[i];
	size_t k;

	if (r->track_always || !r->cap[i] || !r->track_t[i] ||
	    r->track_t[i] <= r->touch_t ||
	    r->track_t[i] < r->frame_t[i] + RUNNER_FRAME_LAG_NS)
		return 1;
	for (k = 0; k < set->n; k++)
		if (set->v[k].timer &&
		    r->tsets_t[i] + (uint64_t)set->v[k].expires_ms * NS_PER_MS <=
			    now + RUNNER_TIMER_EARLY_NS)
			return 1;
	return 0;
}

/* Sample the nodes whose sockets can have changed. */
static void track_states(struct runner *r)
{
	uint64_t now = util_now_ns();
	int i;

	for (i = 0; i < r->plan.nnodes; i++)
		if (track_stale(r, i, now))
			(void)runner_sample(r, i);
}

/* Bring the timeline up to date: packets, drops, socket states. */
void runner_pump(struct runner *r)
{
	int i;

	for (i = 0; i < r->plan.nnodes; i++) {
		struct drop_ctx d = { r, i };
		size_t n0 = r->tl.n, k;

		/* packets of the two ends of the chain: the far end is the peer;
		 * in a star, the host that owns the destination address */
		if (r->cap[i] && capture_read(r->cap[i], &r->tl, i,
					      i ? 0 : r->plan.nnodes - 1) < 0)
			fprintf(stderr, "tcplab: capture: %s\n",
				capture_error(r->cap[i]));
		if (r->cap[i] && capture_arrived(r->cap[i]) != r->frames[i]) {
			r->frames[i] = capture_arrived(r->cap[i]);
			r->frame_t[i] = util_now_ns();
		}
		for (k = n0; r->sc->star && k < r->tl.n; k++)
			r->tl.v[k].peer = runner_node_of(r, &r->tl.v[k].pkt.dst);
		if (r->nfl[i] && nflog_read(r->nfl[i], on_drop, &d) < 0)
			fprintf(stderr, "tcplab: drop listener: read failed\n");
	}
	take_impairs(r);
	track_states(r);
	r->last_pump = util_now_ns();
}

/* runner_pump() when a millisecond has passed since the last one */
void runner_pump_lazy(struct runner *r)
{
	if (util_now_ns() - r->last_pump > NS_PER_MS)
		runner_pump(r);
}

/*
 * Waiting.  What sock_diag shows changes only when a packet moves (every
 * one is captured, or logged when dropped), when an endpoint reports (a
 * failed connect, a socket error), when the runner acts, or when one of
 * the sockets' own timers expires (retransmission, keepalive, TIME_WAIT,
 * FIN_WAIT2: sock_diag tells when).  So between those the runner sleeps in
 * one poll() on the captures, the drop logs and the endpoints, with the
 * earliest timer as its timeout.  A change lags the frame that causes it
 * by a few microseconds (the capture sees a frame before the stack acts on
 * it), and a timer's effect its expiry by up to a tick: after each wake
 * the runner keeps looking every RUNNER_NAP_NS for RUNNER_SETTLE_NS, and
 * at least RUNNER_SETTLE_LOOKS times (on a loaded machine a nap can last
 * longer than the whole window).
 */
#define RUNNER_SETTLE_NS NS_PER_MS
#define RUNNER_SETTLE_LOOKS 4
#define RUNNER_NAP_NS (100 * NS_PER_US)
/* the longest sleep, a safety net for anything unforeseen */
#define RUNNER_WAIT_MAX_NS NS_PER_S
/*
 * For the first RUNNER_BRISK_NS of a step the runner also wakes on its own
 * and samples the kernel: every millisecond at first, then after a
 * quarter of the time the step has run (1 ms up to 4 ms, then 2, 4 ...
 * about 17 looks in all): a step's effects (a FIN and its ACK, a reset)
 * come within milliseconds, and on a loaded machine the kernel may hold a
 * packet in a CPU's backlog until a system call on that CPU runs the
 * pending softirqs (a sock_diag dump does).  Such a look that sees nothing
 * new is not followed by the settling looks.  The long waits on timers
 * that follow sleep as described.
 */
#define RUNNER_BRISK_NS (100 * NS_PER_MS)

/* the earliest socket timer expiry in the last samples; UINT64_MAX: none */
static uint64_t next_timer(const struct runner *r)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < r->plan.nnodes; i++) {
		const struct diag_set *set = &r->tsets[i];
		size_t k;

		for (k = 0; k < set->n; k++) {
			uint64_t t;

			if (!set->v[k].timer)
				continue;
			t = r->tsets_t[i] + (uint64_t)set->v[k].expires_ms * NS_PER_MS;
			if (t < best)
				best = t;
		}
	}
	return best;
}

void runner_wait(struct runner *r, uint64_t until)
{
	struct pollfd pfd[(3 + 8) * SCENARIO_MAX_NODES];
	int node[(3 + 8) * SCENARIO_MAX_NODES], n = 0, i, k;
	uint64_t now = util_now_ns(), t;
	struct timespec ts;
	int timer, woke;

	if (now >= until)
		return;
	if (now - r->last_wake < RUNNER_SETTLE_NS || r->settle_looks > 0) {
		if (r->settle_looks > 0)
			r->settle_looks--;
		t = until - now;
		util_sleep_ns(t < RUNNER_NAP_NS ? t : RUNNER_NAP_NS);
		runner_pump_lazy(r);
		return;
	}
	t = next_timer(r);
	/* a socket timer's expiry, or the caller's deadline: something may
	 * change then; a brisk look or the safety net that finds nothing
	 * new is not followed by the settling looks */
	timer = 1;
	if (t <= now + RUNNER_NAP_NS) {
		/* due already: the kernel's timer wheel runs a long timer up
		 * to an eighth of its length late.  What it does then sends a
		 * packet or tells an endpoint (either wakes us) or, rarely,
		 * only ends a socket: look again after half the time it is
		 * late, at least a millisecond.  sock_diag shows a late timer
		 * as due now, so lateness counts from the first such look. */
		uint64_t late;

		if (!r->due_since)
			r->due_since = t < now ? t : now;
		late = now - r->due_since;
		t = now + (late / 2 > NS_PER_MS ? late / 2 : NS_PER_MS);
		timer = 0;
	} else {
		r->due_since = 0;
	}
	if (t > until)
		t = until;
	if (t > now + RUNNER_WAIT_MAX_NS) {
		t = now + RUNNER_WAIT_MAX_NS;
		timer = 0;
	}
	if (now - r->step_t < RUNNER_BRISK_NS) {
		/* every millisecond at first, then less and less often: a
		 * quarter of the time the step has run */
		uint64_t brisk = (now - r->step_t) / 4;

		if (brisk < NS_PER_MS)
			brisk = NS_PER_MS;
		if (t > now + brisk) {
			t = now + brisk;
			timer = 0;
		}
	}
	for (i = 0; i < r->plan.nnodes; i++) {
		int fd = lab_endpoint_fd(r->lab, i);

		if (r->cap[i] && capture_fd(r->cap[i]) >= 0) {
			pfd[n].fd = capture_fd(r->cap[i]);
			node[n++] = -1;
		}
		if (r->nfl[i]) {
			pfd[n].fd = nflog_fd(r->nfl[i]);
			node[n++] = -1;
		}
		for (k = 0; k < 8 && lab_shaper(r->lab, i, k); k++) {
			pfd[n].fd = shaper_fd(lab_shaper(r->lab, i, k));
			node[n++] = -1;
		}
		if (fd >= 0 && fd != r->ep_hup[i]) {
			pfd[n].fd = fd;
			node[n++] = i;
		}
	}
	for (i = 0; i < n; i++)
		pfd[i].events = POLLIN;
	ts.tv_sec = (time_t)((t - now) / NS_PER_S);
	ts.tv_nsec = (long)((t - now) % NS_PER_S);
	woke = ppoll(pfd, (nfds_t)n, &ts, NULL) > 0;
	if (woke)
		for (i = 0; i < n; i++) {
			if (node[i] < 0 || !pfd[i].revents)
				continue;
			/* an endpoint that is gone would wake us forever */
			if (pfd[i].revents & (POLLHUP | POLLERR))
				r->ep_hup[node[i]] = pfd[i].fd;
			runner_take_events(r, node[i], 0);
		}
	runner_pump(r);
	if (woke || timer) {
		r->last_wake = util_now_ns();
		r->settle_looks = RUNNER_SETTLE_LOOKS;
	}
}

/* On a failure: the SNMP counters that moved on each node, a witness of
 * what the kernel did with the packets (drops, resets, timeouts). */
static void print_moved_counters(struct runner *r)
{
	struct counters now = { 0 };
	int i;

	for (i = 0; i < r->plan.nnodes; i++) {
		size_t k, shown = 0;

		if (lab_counters(r->lab, i, &now))
			continue;
		for (k = 0; k < now.n; k++) {
			int64_t base = 0;

			if (counters_get(&r->n[i].base, now.v[k].name, &base) ||
			    now.v[k].value == base || strstr(now.v[k].name, "Max") ||
			    strstr(now.v[k].name, "Rto") || strstr(now.v[k].name, "Forwarding") ||
			    strstr(now.v[k].name, "DefaultTTL") || strstr(now.v[k].name, "CurrEstab"))
				continue;
			if (!shown)
				fprintf(r->o->out, "                %s counters:",
					r->plan.nodes[i].name);
			fprintf(r->o->out, "%s %s +%lld", shown ? "," : "",
				now.v[k].name, (long long)(now.v[k].value - base));
			shown++;
		}
		if (shown)
			fputc('\n', r->o->out);
	}
	counters_free(&now);
}

int runner_fail(struct runner *r, const struct step *st, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(r->res->reason, sizeof(r->res->reason),
			     "%s:%d: ", st->loc.file, st->loc.line);
	va_start(ap, fmt);
	if (n < sizeof(r->res->reason))
		vsnprintf(r->res->reason + n, sizeof(r->res->reason) - n, fmt,
			  ap);
	va_end(ap);
	r->passed = 0;
	print_moved_counters(r);
	return 1;
}

uint64_t runner_scaled(const struct runner *r, uint64_t ns)
{
	return (uint64_t)((double)ns * (r->o->slow >= 1 ? r->o->slow : 1));
}

/*
 * A timing window's tolerance (timing_tolerance()), and the lateness of
 * the impairments' verdicts so far: a segment let go late (a busy CPU, no
 * real-time priority in a user namespace) shifts what follows it by that
 * much, which is the lab's slowness, measured, not the kernel's.  Each
 * impairment on the way may have been that late: their sum.
 */
uint64_t runner_tolerance(const struct runner *r, uint64_t ns)
{
	uint64_t late = 0;
	struct shaper *sh;
	int i, k;

	for (i = 0; r->lab && i < r->plan.nnodes; i++)
		for (k = 0; (sh = lab_shaper(r->lab, i, k)); k++) {
			struct shaper_stats ss;

			shaper_stats(sh, &ss);
			late += ss.late_max_ns;
		}
	return timing_tolerance(ns, r->o->slow) + late;
}

const char *runner_who(struct runner *r, const struct step *st)
{
	if (st->conn < 0)
		return r->plan.nodes[st->node].name;
	snprintf(r->who, sizeof(r->who), "%s %s", r->plan.nodes[st->node].name,
		 r->sc->conns[st->conn].name);
	return r->who;
}

int runner_conn_match(const struct runner *r, const struct step *st,
		      const struct diag_sock *s)
{
	const struct conn_rt *c;

	if (st->conn < 0)
		return !st->port || s->src.port == st->port ||
		       s->dst.port == st->port;
	c = &r->c[st->conn];
	return c->lport && s->src.port == c->lport &&
	       (!c->rport || s->dst.port == c->rport);
}

/* Note an error of node @node (and of its named connection @slot, 0: none) */
static void note_err(struct runner *r, int node, uint32_t slot, int err,
		     const char *op, uint64_t t)
{
	r->n[node].last_err = err;
	r->n[node].last_err_op = op;
	r->n[node].last_err_t = t;
	if (slot > 0 && slot <= SCENARIO_MAX_CONNS) {
		r->c[slot - 1].last_err = err;
		r->c[slot - 1].last_err_op = op;
		r->c[slot - 1].last_err_t = t;
	}
}

void runner_take_events(struct runner *r, int node, uint64_t wait_ns)
{
	struct ep_events *ev = &r->n[node].ev;
	/* only an endpoint that exists has events: a crashed one stays
	 * gone until a step needs it again */
	int fd = lab_endpoint_fd(r->lab, node);
	int i;

	if (fd < 0)
		return;
	/* those an action's call read while it waited for its answer are
	 * in @ev already: they count too */
	endpoint_poll_events(fd, wait_ns, ev);
	if (ev->n)
		runner_touch(r); /* a socket failed, a connect completed */
	for (i = 0; i < ev->n; i++) {
		const struct ep_msg *m = &ev->v[i];

		const char *name = m->conn > 0 && m->conn <= (uint32_t)r->sc->nconns
					   ? r->sc->conns[m->conn - 1].name : NULL;
		char w[96] = "", d[32];

		/* an event is timed from when the endpoint was woken for it */
		if (m->cpu_wait_ns >= NS_PER_MS)
			snprintf(w, sizeof(w), "; woken for it %s before the "
				 "endpoint got a CPU to read it",
				 util_fmt_duration(m->cpu_wait_ns, d, sizeof(d)));
		if (m->op == EP_SOCKERR) {
			note_err(r, node, m->conn, m->err, "the connection", m->t_ns);
			runner_say(r, node, "%s%sconnection failed: %s (%s)%s",
			    name ?: "", name ? " " : "",
			    util_errno_name(m->err) ?: "?", strerror(m->err), w);
		} else if (m->op == EP_CONNECT) {
			if (m->err) {
				note_err(r, node, m->conn, m->err, "connect", m->t_ns);
				runner_say(r, node, "%s%sconnect failed: %s (%s)%s",
				    name ?: "", name ? " " : "",
				    util_errno_name(m->err) ?: "?",
				    strerror(m->err), w);
			} else {
				runner_say(r, node, "%s%sconnect completed (local port %u)",
				    name ?: "", name ? " " : "", m->lport);
			}
		}
	}
	ev->n = 0;
}

void runner_endpoint_sync(struct runner *r, int node)
{
	struct ep_msg req = { .op = EP_PING }, rep;
	int fd = lab_endpoint_fd(r->lab, node);

	if (fd >= 0 && endpoint_call(fd, &req, &rep, &r->n[node].ev) == 0)
		runner_take_events(r, node, 0);
}

void runner_print_tables(struct runner *r, int seen_node,
			 const struct diag_sock *mark)
{
	struct text_node_socks nodes[SCENARIO_MAX_NODES];
	struct diag_sock m;
	int i;

	if (r->o->quiet)
		return;
	if (mark) {
		m = *mark;
		mark = &m;
	}
	/* the sockets as they are now: a sample of every node, which the
	 * timeline and the next looks count as theirs (of the run's family
	 * only: its endpoints make no socket of the other) - but for the
	 * node whose sample just confirmed a state, shown as it was seen */
	for (i = 0; i < r->plan.nnodes; i++) {
		if (i != seen_node || r->track_t[i] <= r->touch_t)
			(void)runner_sample(r, i); /* a failure: an empty set */
		nodes[i].node = r->plan.nodes[i].name;
		nodes[i].set = &r->tsets[i];
	}
	text_sock_table(r->o->out, nodes, r->plan.nnodes, seen_node, mark, 14);
}

/* Node @node's endpoint is gone: its descriptor is closed, and a new
 * endpoint that gets the same number is polled again */
static void runner_endpoint_gone(struct runner *r, int node)
{
	lab_endpoint_gone(r->lab, node);
	r->ep_hup[node] = -1;
}

/*
 * Send @req to the endpoint of @st's node - and of its second node, when
 * two act at the same moment: both commands go out before either reply is
 * read - and wait for the answer(s).
 */
static int action_call(struct runner *r, const struct step *st,
		       const struct ep_msg *cmd, const char *what,
		       struct ep_msg *rep, struct err *e)
{
	int fd, fd2, rc, node = st->node, n2 = st->node2;
	struct ep_msg rep2 = { 0 }, req = *cmd;
	struct ep_sample *s0 = &r->smp[0], *s1 = &r->smp[1];
	uint64_t done;

	req.sample = action_changes_sockets(req.op)
		? (r->plan.family == 6 ? AF_INET6 : AF_INET) : 0;
	fd = lab_endpoint(r->lab, node, e);
	if (fd < 0)
		return fd;
	if (n2 < 0) {
		rc = endpoint_call_sampled(fd, &req, rep, &r->n[node].ev,
					   s0);
		goto answered;
	}
	fd2 = lab_endpoint(r->lab, n2, e);
	if (fd2 < 0)
		return fd2;
	rc = endpoint_send(fd, &req);
	if (!rc)
		rc = endpoint_send(fd2, &req);
	if (!rc)
		rc = endpoint_reply_sampled(fd2, &req, &rep2, &r->n[n2].ev,
					    s1);
	if (rc)
		return err_set(e, rc, "%s endpoint did not answer '%s': %s",
			       r->plan.nodes[n2].name, what, strerror(-rc));
	if (req.sample)
		(void)runner_sample_taken(r, n2, s1);
	r->n[n2].last_t = rep2.t_ns;
	runner_say_at(r, n2, rep2.t_ns, "%s%s%s (at the same moment)", what,
		   rep2.err ? ": " : "", rep2.err ? strerror(rep2.err) : "");
	if (rep2.err) {
		r->n[n2].last_err = rep2.err;
		r->n[n2].last_err_op = endpoint_op_name(req.op);
		r->n[n2].last_err_t = rep2.t_ns;
	}
	rc = endpoint_reply_sampled(fd, &req, rep, &r->n[node].ev, s0);
answered:
	/* what the call did is done: it was when the call returned, and a
	 * sample the endpoint took after that is up to date */
	done = util_now_ns();
	if (!rc && req.sample && !runner_sample_taken(r, node, s0)) {
		done = rep->t_ns;
		if (n2 >= 0 && rep2.t_ns > done)
			done = rep2.t_ns;
	}
	if (done > r->touch_t)
		r->touch_t = done;
	if (rc) {
		runner_endpoint_gone(r, node);
		return err_set(e, rc, "%s endpoint did not answer '%s': %s",
			       r->plan.nodes[node].name, what, strerror(-rc));
	}
	return 0;
}

/*
 * The connection @st named is known by its ports now: the ladders label
 * its segments with its name (the node's address, its local port, the
 * peer's port).
 */
_Static_assert(TL_MAX_CONNS >= SCENARIO_MAX_CONNS,
	       "the timeline holds every named connection");

static void runner_conn_named(struct runner *r, const struct step *st,
			      const struct ep_msg *rep)
{
	const struct plan_node *pn = &r->plan.nodes[st->node];
	struct diag_addr a = { 0 };

	a.family = r->plan.family == 6 ? AF_INET6 : AF_INET;
	if (a.family == AF_INET)
		a.v4 = pn->v4;
	else
		a.v6 = pn->v6;
	a.port = r->c[st->conn].lport;
	/* at most SCENARIO_MAX_CONNS names: TL_MAX_CONNS holds them all */
	(void)timeline_conn_add(&r->tl, r->sc->conns[st->conn].name, &a,
				r->c[st->conn].rport);
	/* the other end's address: the peer connected to, the one accepted */
	memset(&a, 0, sizeof(a));
	a.port = r->c[st->conn].rport;
	if (st->kind == STEP_ACCEPT && rep->family) {
		a.family = rep->family;
		memcpy(a.family == AF_INET ? (void *)&a.v4 : (void *)&a.v6,
		       rep->addr, a.family == AF_INET ? 4 : 16);
	} else if (st->kind == STEP_CONNECT) {
		a.family = r->plan.family == 6 ? AF_INET6 : AF_INET;
		if (st->peer < 0 && a.family == AF_INET)
			a.v4 = st->peer_v4;
		else if (st->peer < 0)
			a.v6 = st->peer_v6;
		else if (a.family == AF_INET)
			a.v4 = r->plan.nodes[st->peer].v4;
		else
			a.v6 = r->plan.nodes[st->peer].v6;
	}
	if (a.family)
		timeline_conn_remote(&r->tl, r->sc->conns[st->conn].name, &a);
}

/*
 * Keepalive counts its idle time from the connection's last received
 * segment, not from the call that turned it on (which a loaded machine may
 * run long after the handshake): its probes and its ETIMEDOUT are timed
 * from there.
 */
static void keepalive_idle(struct runner *r, int node, uint16_t lport,
			   uint64_t t)
{
	uint64_t idle;
	char d[32];

	runner_pump(r);
	timeline_sort(&r->tl);
	idle = retrans_idle_since(&r->tl, node, lport, t);
	if (!idle)
		return;
	r->idle_t = idle;
	r->n[node].last_t = idle;
	runner_say(r, node, "idle since +%.3f ms (%s before the call), when "
		   "its connection last received a segment: keepalive's times "
		   "count from there", (double)(idle - r->t0) / 1e6,
		   util_fmt_duration(t - idle, d, sizeof(d)));
}

/* Does what the endpoint says was read (@rep) hold as @st expects? */
static int received_holds(const struct step *st, const struct ep_msg *rep)
{
	size_t n = strlen(st->data);

	return st->has_data ? (uint64_t)rep->value == n && rep->data_len == n &&
				      !memcmp(rep->data, st->data, n)
			    : expect_cmp_holds(st->cmp, rep->value, st->value);
}

/*
 * "expect NODE received ... within D": read what arrives (a recv that
 * returns as soon as anything came) and look again, until it holds, the
 * peer's FIN was read, reading fails or D (times --slow) has passed since
 * the step began.  @req asks what was read; @rep gets the last answer.
 */
static int read_until(struct runner *r, const struct step *st,
		      const struct ep_msg *req, struct ep_msg *rep, int *held,
		      struct err *e)
{
	uint64_t end = r->last_action_start + runner_scaled(r, st->within_ns);
	int node = st->node, rc;

	for (;;) {
		struct ep_msg rd = *req, got = { 0 };
		uint64_t now = util_now_ns();

		if (now >= end)
			return 0;
		rd.op = EP_RECV;
		rd.timeout_ns = end - now;
		rc = action_call(r, st, &rd, "recv", &got, e);
		if (rc)
			return rc;
		runner_take_events(r, node, 0);
		rc = action_call(r, st, req, "received so far", rep, e);
		if (rc)
			return rc;
		*held = !rep->err && received_holds(st, rep);
		if (*held || got.err || rep->err || (got.flags & EP_F_EOF))
			return 0;
	}
}

/*
 * An action step: the command (action_request(), pure), the call, the
 * books (when, which error, the connection's ports), the step line, and
 * the verdict of an action that failed or of an "expect eof".
 */
static int do_action(struct runner *r, const struct step *st, struct err *e)
{
	struct ep_msg req, rep = { 0 };
	char what[192], line[256];
	int rc, node = st->node;

	rc = action_request(st, &r->plan, runner_scaled(r, st->within_ns), &req,
			    what, sizeof(what), e);
	/* what the call causes starts here, however long it takes */
	r->last_action_start = util_now_ns();
	if (!rc)
		rc = action_call(r, st, &req, what, &rep, e);
	if (rc)
		return rc;
	if (st->kind == STEP_EXIT)
		runner_endpoint_gone(r, node);
	r->last_action_t = rep.t_ns;
	r->n[node].last_t = rep.t_ns;
	r->idle_t = 0;
	snprintf(r->last_action, sizeof(r->last_action), "%s %s",
		 r->plan.nodes[node].name, endpoint_op_name(req.op));

	if (rep.err && rep.err != EINPROGRESS)
		note_err(r, node, req.conn, rep.err, endpoint_op_name(req.op),
			 rep.t_ns);
	if (st->conn >= 0 && (st->kind == STEP_CONNECT || st->kind == STEP_ACCEPT)) {
		/* the connection's ports: how its sockets and packets are known */
		r->c[st->conn].lport = rep.lport;
		r->c[st->conn].rport = st->kind == STEP_CONNECT ? st->port : rep.port;
		if (!rep.err || rep.err == EINPROGRESS)
			runner_conn_named(r, st, &rep);
	}
	action_label(st, r->sc, what, sizeof(what));
	action_outcome(st, what, &rep, line, sizeof(line));
	runner_say_at(r, node, rep.t_ns, "%s", line);
	if (st->kind == STEP_KEEPALIVE && !rep.err && rep.lport)
		keepalive_idle(r, node, rep.lport, rep.t_ns);
	runner_take_events(r, node, 0);

	if (st->kind == STEP_EXPECT_EOF) {
		if (rep.flags & EP_F_EOF) {
			r->res->nheld++;
			runner_say(r, node, "EOF confirmed");
			return 0;
		}
		return runner_fail(r, st, "expected %s to read EOF, got %s",
			    r->plan.nodes[node].name,
			    rep.err ? strerror(rep.err) : "data without EOF");
	}
	if (st->kind == STEP_EXPECT_RECEIVED && !rep.err) {
		size_t n = strlen(st->data);
		int held = received_holds(st, &rep);

		/* "within D": the program reads on until it holds */
		if (!held && st->within_ns) {
			rc = read_until(r, st, &req, &rep, &held, e);
			if (rc)
				return rc;
		}
		if (held) {
			r->res->nheld++;
			runner_say(r, node, "received %s confirmed",
				   st->has_data ? "text" : "byte count");
			return 0;
		}
		if (st->has_data) {
			char got[4 * EP_DATA_MAX + 1];

			action_text(rep.data, rep.data_len, got, sizeof(got));
			return runner_fail(r, st, "expected %s to have read "
				    "\"%s\" (%zu bytes), it read %lld bytes: "
				    "\"%s\"%s", runner_who(r, st), st->data, n,
				    (long long)rep.value, got,
				    rep.value > rep.data_len ? "..." : "");
		}
		return runner_fail(r, st, "expected %s to have read %s %lld "
			    "bytes, it read %lld", runner_who(r, st),
			    expect_cmp_name(st->cmp), (long long)st->value,
			    (long long)rep.value);
	}
	if (rep.err && rep.err != EINPROGRESS) {
		/* an action that fails is a verdict unless the next step
		 * expects exactly that error */
		const struct step *next = st + 1;

		if (next < r->sc->steps + r->sc->nsteps &&
		    next->kind == STEP_EXPECT_ERROR && next->node == node)
			return 0;
		return runner_fail(r, st, "%s %s failed: %s", r->plan.nodes[node].name,
			    what, strerror(rep.err));
	}
	return 0;
}

static int do_firewall(struct runner *r, const struct step *st, struct err *e)
{
	char desc[160];
	int rc;

	rule_describe(&st->rule, desc, sizeof(desc));
	if (st->rule.family && st->rule.family != r->plan.family) {
		runner_say(r, st->node, "firewall %s: skipped (IPv%d only)", desc,
		    st->rule.family);
		return 0;
	}
	if (st->rule.action == RULE_IMPAIR) {
		char imp[128];

		rc = lab_fw_add(r->lab, &st->rule, e);
		if (rc)
			return rc;
		rule_impair_format(&st->rule.imp, imp, sizeof(imp));
		runner_say(r, st->node, "impair %s->%s %s: %s, NFQUEUE %u with "
			   "userspace verdicts (nfqueue, %s)",
			   r->plan.nodes[st->rule.imp.src].name,
			   r->plan.nodes[st->node].name, imp, desc, st->rule.id,
			   r->plan.firewall);
		return 0;
	}
	{
		struct rule rule = st->rule;

		/* drops are logged to a group of their own: attributed */
		if (rule_logged(&rule))
			rule.nflog_group = (int)rule.id;
		rc = lab_fw_add(r->lab, &rule, e);
	}
	if (rc)
		return rc;
	runner_say(r, st->node, "firewall %s (%s)", desc, r->plan.firewall);
	return 0;
}

static void results_expect(struct runner *r, const struct step *st, int held);

static int is_expectation(enum step_kind k)
{
	return k == STEP_EXPECT_STATE || k == STEP_EXPECT_ERROR ||
	       k == STEP_EXPECT_EOF || k == STEP_EXPECT_RETRANS ||
	       k == STEP_EXPECT_COUNTER || k == STEP_EXPECT_PACKETS ||
	       k == STEP_EXPECT_DROPS || k == STEP_EXPECT_SOCKET ||
	       k == STEP_EXPECT_RECEIVED;
}

/* "wait DURATION": the timeline kept up to date meanwhile */
static int do_wait(struct runner *r, const struct step *st)
{
	uint64_t end = util_now_ns() + st->within_ns;
	char d[32];

	runner_say(r, -1, "wait %s",
		   util_fmt_duration(st->within_ns, d, sizeof(d)));
	while (util_now_ns() < end)
		runner_wait(r, end);
	return 0;
}

/*
 * "NODE crash": the host is gone in an instant: its sockets are aborted in
 * the kernel (any RST they send dies in the firewall the scenario set up),
 * then its program is gone too
 */
static int do_crash(struct runner *r, const struct step *st, struct err *e)
{
	struct diag_set *set = &r->sets[st->node];
	int fd = lab_diag_fd(r->lab, st->node), n = 0, rc;
	struct step ex = *st;

	/* the endpoint's sockets: of the run's family only */
	rc = runner_dump(r, st->node, 0, set);
	if (!rc)
		n = diag_destroy(fd, set);
	runner_touch(r);
	if (!rc && n == -EOPNOTSUPP)
		/* no CONFIG_INET_DIAG_DESTROY: nothing else aborts a socket
		 * without a packet, so the scenario cannot run here (a skip) */
		return err_env(e, n, "crash needs sock_diag SOCK_DESTROY, which "
			       "this kernel lacks (CONFIG_INET_DIAG_DESTROY): %s",
			       strerror(-n));
	if (rc || n < 0)
		return err_set(e, rc ? rc : n, "cannot destroy sockets: %s",
			       strerror(-(rc ? rc : n)));
	runner_say(r, st->node, "crash: %d socket%s destroyed (sock_diag "
		   "SOCK_DESTROY)", n, n == 1 ? "" : "s");
	ex.kind = STEP_EXIT;
	return do_action(r, &ex, e);
}

/* "firewall NODE release": the held packets let go */
static int do_release(struct runner *r, const struct step *st, struct err *e)
{
	int rc = lab_release(r->lab, st->node, e);

	if (rc < 0)
		return rc;
	runner_say(r, st->node, "firewall release: %d held packet%s let go, "
		   "nothing held from now on", rc, rc == 1 ? "" : "s");
	return 0;
}

/* "firewall NODE flush": no rules from now on */
static int do_flush(struct runner *r, const struct step *st, struct err *e)
{
	int rc = lab_fw_flush(r->lab, st->node, e);

	if (!rc)
		runner_say(r, st->node, "firewall flushed: no rules (%s)",
			   r->plan.firewall);
	return rc;
}

/* One step: 0 done, > 0 a verdict (an expectation failed), < 0 an error */
static int run_step(struct runner *r, const struct step *st, struct err *e)
{
	if (is_expectation(st->kind))
		r->res->nexpect++;
	switch (st->kind) {
	case STEP_EXPECT_PACKETS:
	case STEP_EXPECT_DROPS:
		return expect_count(r, st);
	case STEP_EXPECT_STATE:
		return expect_state(r, st, e);
	case STEP_EXPECT_ERROR:
		return expect_error(r, st);
	case STEP_EXPECT_RETRANS:
		return expect_retrans(r, st, e);
	case STEP_EXPECT_COUNTER:
		return expect_counter(r, st, e);
	case STEP_EXPECT_SOCKET:
		return expect_socket(r, st, e);
	case STEP_FIREWALL:
		return do_firewall(r, st, e);
	case STEP_WAIT:
		return do_wait(r, st);
	case STEP_CRASH:
		return do_crash(r, st, e);
	case STEP_RELEASE:
		return do_release(r, st, e);
	case STEP_FLUSH:
		return do_flush(r, st, e);
	default: /* the actions, "expect eof" among them */
		return do_action(r, st, e);
	}
}

static int run_steps(struct runner *r, struct err *e)
{
	size_t k;
	int rc;

	for (k = 0; k < r->sc->nsteps; k++) {
		const struct step *st = &r->sc->steps[k];

		if (st->long_only && !r->o->long_steps) {
			runner_say(r, st->node, "skipped, it waits out a long timer "
				   "(tcplab run --long): %s", st->text);
			continue;
		}
		tl_step(r, st, 0);
		r->last_wake = r->step_t = util_now_ns();
		r->settle_looks = RUNNER_SETTLE_LOOKS;
		rc = run_step(r, st, e);
		if (rc >= 0 && is_expectation(st->kind))
			results_expect(r, st, rc == 0);
		if (rc)
			return rc; /* > 0: a verdict; < 0: could not run */
		/* a state expected next is looked for before anything else */
		if (k + 1 < r->sc->nsteps &&
		    r->sc->steps[k + 1].kind == STEP_EXPECT_STATE)
			continue;
		runner_pump(r);
	}
	return 0;
}

/* Captures on every veth end and drop listeners, before the first packet. */
static int observers_open(struct runner *r, struct err *e)
{
	int i, rc, fd;

	for (i = 0; i < r->plan.nnodes; i++) {
		uint16_t groups[64];
		size_t k, ng = 0;

		for (k = 0; k < r->sc->nsteps && ng < ARRAY_SIZE(groups); k++) {
			const struct step *st = &r->sc->steps[k];

			if (st->kind == STEP_FIREWALL && st->node == i &&
			    rule_logged(&st->rule))
				groups[ng++] = (uint16_t)st->rule.id;
		}
		if (ng) {
			rc = nflog_open(&r->nfl[i], lab_netns_fd(r->lab, i), groups,
					ng, e);
			if (rc)
				return rc;
		}
		if (r->o->capture_dir) {
			snprintf(r->pcap[i], sizeof(r->pcap[i]), "%s/%s-ipv%d-%s.pcap",
				 r->o->capture_dir, r->sc->name, r->plan.family,
				 r->plan.nodes[i].name);
		}
		if (r->plan.nodes[i].forward)
			continue; /* a router: its ends' packets are the hosts' */
		/* the socket a kept lab kept, or a new one */
		fd = lab_capture_take(r->lab, i);
		rc = fd < 0 ? -ENOENT
			    : capture_reopen(&r->cap[i], fd, r->plan.nodes[i].ifname,
					     r->o->capture_dir ? r->pcap[i] : NULL, 0,
					     r->o->max_packets ? r->o->max_packets
							       : 5000, e);
		if (rc) {
			capture_release(fd);
			err_clear(e);
			rc = capture_open(&r->cap[i], lab_netns_fd(r->lab, i),
					  r->plan.nodes[i].ifname,
					  r->o->capture_dir ? r->pcap[i] : NULL, 0,
					  r->o->max_packets ? r->o->max_packets : 5000,
					  e);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static void observers_close(struct runner *r, int keep)
{
	int i, fd;

	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		if (r->cap[i]) {
			struct capture_stats cs;

			capture_stats(r->cap[i], &cs);
			if (cs.capped)
				fprintf(r->o->out, "   capture on %s: cap of %lu packets "
					"reached, %lu more counted but not kept\n",
					r->plan.nodes[i].name, cs.stored, cs.over);
			r->res->packets_seen += cs.seen;
			r->res->packets_capped += cs.over;
			/* a lab that serves the next run keeps the socket */
			if (capture_detach(r->cap[i], &fd))
				fprintf(stderr, "tcplab: writing %s failed\n", r->pcap[i]);
			if (keep)
				lab_capture_keep(r->lab, i, fd);
			else
				capture_release(fd);
			r->cap[i] = NULL;
		}
		if (r->nfl[i]) {
			nflog_close(r->nfl[i]);
			r->nfl[i] = NULL;
		}
	}
}

/* The packets as tcpdump lines, then the ladder. */
static void print_packets(struct runner *r)
{
	size_t k;

	if (r->o->packets) {
		fprintf(r->o->out, "   packets (relative sequence numbers, time since the lab was ready):\n");
		for (k = 0; k < r->tl.n; k++) {
			const struct tl_event *ev = &r->tl.v[k];
			char line[256];

			if (ev->kind != TL_PACKET)
				continue;
			pkt_format_line(&ev->pkt, (int64_t)(ev->t_ns - r->t0), 1,
					line, sizeof(line));
			fprintf(r->o->out, "   %s\n", line);
		}
	}
	if (r->o->ladder) {
		int last = r->plan.nnodes - 1, i;

		/* a chain's two ends; in a star, each host with the last */
		for (i = 0; i < last; i++) {
			if (r->plan.nodes[i].forward)
				continue;
			fputc('\n', r->o->out);
			(void)ladder_render(r->o->out, r->plan.nodes[i].name,
					    r->plan.nodes[last].name, &r->tl, i,
					    last, r->o->color);
		}
	}
}

/* What identifies a run: the scenario, the family and the backend */
static void results_head(struct result *rr, const struct scenario *sc,
			 const struct runner_opts *o)
{
	snprintf(rr->name, sizeof(rr->name), "%s", sc->name);
	snprintf(rr->title, sizeof(rr->title), "%s", sc->title);
	snprintf(rr->teaches, sizeof(rr->teaches), "%s", sc->teaches ? sc->teaches : "");
	snprintf(rr->file, sizeof(rr->file), "%s", sc->file);
	rr->family = o->family;
	snprintf(rr->firewall, sizeof(rr->firewall), "%s", o->firewall);
}

/*
 * Each duplicate an impairment sent is, in the sender's capture, the last
 * frame of that segment before the impairment noted it: marked, it is
 * drawn as a copy, not as a retransmission
 */
static void mark_copies(struct runner *r)
{
	int c;

	for (c = 0; c < r->ncopies; c++) {
		const struct runner_copy *cp = &r->copies[c];
		struct tl_event *best = NULL;
		size_t k;

		for (k = 0; k < r->tl.n; k++) {
			struct tl_event *ev = &r->tl.v[k];

			if (ev->kind != TL_PACKET || ev->node != cp->node ||
			    ev->copy || ev->t_ns > cp->t_ns ||
			    ev->pkt.seq != cp->pkt.seq || ev->pkt.len != cp->pkt.len ||
			    ev->pkt.flags != cp->pkt.flags ||
			    ev->pkt.src.port != cp->pkt.src.port ||
			    ev->pkt.dst.port != cp->pkt.dst.port)
				continue;
			best = ev;
		}
		if (best)
			best->copy = 1;
	}
}

/* What each impairment did, at the end of the run */
static void say_impairs(struct runner *r)
{
	struct shaper *sh;
	int i, k;

	for (i = 0; i < r->plan.nnodes; i++)
		for (k = 0; (sh = lab_shaper(r->lab, i, k)); k++) {
			const struct rule *rl = shaper_rule(sh);
			const char *f = rl->loc.file ? strrchr(rl->loc.file, '/') : NULL;
			struct shaper_stats ss;

			shaper_stats(sh, &ss);
			fprintf(r->o->out, "  %+9.3f ms  %-7s impair at %s:%d: %llu "
				"segment%s, %llu lost, %llu duplicated, %llu "
				"reordered (seed %u); verdicts at most %.3f ms "
				"late\n", (double)(util_now_ns() - r->t0) / 1e6,
				r->plan.nodes[i].name,
				f ? f + 1 : rl->loc.file ? rl->loc.file : "?",
				rl->loc.line, (unsigned long long)ss.packets,
				ss.packets == 1 ? "" : "s",
				(unsigned long long)ss.lost,
				(unsigned long long)ss.duplicated,
				(unsigned long long)ss.reordered, rl->imp.seed,
				(double)ss.late_max_ns / 1e6);
		}
}

/* Fill the whole results record from what the run saw. */
static void results_fill(struct runner *r)
{
	struct result *rr = r->res;
	const struct scenario *sc = r->sc;
	char cur[64];
	size_t k;
	int i;

	rr->family = r->plan.family;
	rr->slow = r->o->slow >= 1 ? r->o->slow : 1;
	snprintf(rr->firewall, sizeof(rr->firewall), "%s", r->plan.firewall);
	rr->nnodes = r->plan.nnodes;
	if (sc->star) {
		/* the star's first host and its last */
		rr->ladder_l = 1;
		rr->ladder_r = r->plan.nnodes - 1;
	}
	for (i = 0; i < r->plan.nnodes && i < 4; i++) {
		snprintf(rr->nodes[i], sizeof(rr->nodes[i]), "%s", r->plan.nodes[i].name);
		plan_addr_str(&r->plan, i, rr->addrs[i], sizeof(rr->addrs[i]));
		snprintf(rr->pcap[i], sizeof(rr->pcap[i]), "%s", r->pcap[i]);
	}
	for (k = 0; k < sc->nsysctls; k++) {
		struct res_kv kv = { 0 };

		snprintf(kv.node, sizeof(kv.node), "%s", sc->nodes[sc->sysctls[k].node]);
		snprintf(kv.key, sizeof(kv.key), "%s", sc->sysctls[k].key);
		snprintf(kv.value, sizeof(kv.value), "%s", sc->sysctls[k].value);
		/* an if-present key the kernel lacks was skipped, not set */
		if (netns_sysctl_read(lab_netns_fd(r->lab, sc->sysctls[k].node),
				      kv.key, cur, sizeof(cur)) < 0)
			kv.skipped = 1;
		if (result_add_sysctl(rr, &kv))
			break;
	}
	for (k = 0; k < sc->nsteps; k++) {
		const struct step *st = &sc->steps[k];
		struct res_rule rl = { 0 };
		struct rule rule;

		if (st->kind != STEP_FIREWALL)
			continue;
		rule = st->rule;
		if (rule_logged(&rule))
			rule.nflog_group = (int)rule.id;
		snprintf(rl.node, sizeof(rl.node), "%s", sc->nodes[st->node]);
		rl.loc = st->loc;
		rule_describe(&st->rule, rl.desc, sizeof(rl.desc));
		rule_render_nft(&st->rule, FW_TABLE_NAME, rl.nft, sizeof(rl.nft));
		rule_render_ipt(&st->rule, RULE_IPT_AUTO, rl.ipt, sizeof(rl.ipt));
		if (rule_queued(&st->rule))
			snprintf(rl.mechanism, sizeof(rl.mechanism), "nfqueue");
		if (st->rule.action == RULE_IMPAIR) {
			struct shaper *sh;
			int j;

			rl.impaired = 1;
			rl.seed = st->rule.imp.seed;
			for (j = 0; (sh = lab_shaper(r->lab, st->node, j)); j++) {
				struct shaper_stats ss;

				if (shaper_rule(sh)->id != st->rule.id)
					continue;
				shaper_stats(sh, &ss);
				rl.packets = ss.packets;
				rl.lost = ss.lost;
				rl.duplicated = ss.duplicated;
				rl.reordered = ss.reordered;

			}
		}
		if (result_add_rule(rr, &rl))
			break;
	}
	for (i = 0; i < r->plan.nnodes; i++) {
		struct counters now = { 0 };
		int ok = lab_counters(r->lab, i, &now) == 0;

		/* what the scenario recorded: a counter read whether it moved
		 * or not, a state by its name (the timeline says if seen) */
		for (k = 0; k < sc->nrecords; k++) {
			const struct scenario_record *sr = &sc->records[k];
			struct res_record rec = { .loc = sr->loc };
			int64_t v = 0, base = 0;

			if (sr->node != i)
				continue;
			snprintf(rec.node, sizeof(rec.node), "%s", r->plan.nodes[i].name);
			if (sr->kind == RECORD_STATE) {
				snprintf(rec.kind, sizeof(rec.kind), "state");
				snprintf(rec.name, sizeof(rec.name), "%s",
					 diag_state_name(sr->state));
			} else {
				snprintf(rec.kind, sizeof(rec.kind), "counter");
				snprintf(rec.name, sizeof(rec.name), "%s", sr->counter);
				rec.have = ok &&
					   !counters_get(&now, sr->counter, &v) &&
					   !counters_get(&r->n[i].base, sr->counter, &base);
				rec.delta = rec.have ? v - base : 0;
			}
			if (result_add_record(rr, &rec))
				break;
		}
		if (ok)
			for (k = 0; k < now.n; k++) {
				int64_t base = 0;
				struct res_counter c = { 0 };

				/* TCP's own counters: the IP and ICMP ones move
				 * with the links' own chatter (MLD reports) */
				if (strncmp(now.v[k].name, "Tcp", 3) ||
				    strstr(now.v[k].name, "CurrEstab") ||
				    counters_get(&r->n[i].base, now.v[k].name, &base) ||
				    now.v[k].value == base)
					continue;
				snprintf(c.node, sizeof(c.node), "%s", r->plan.nodes[i].name);
				snprintf(c.name, sizeof(c.name), "%s", now.v[k].name);
				c.delta = now.v[k].value - base;
				if (result_add_counter(rr, &c))
					break;
			}
		counters_free(&now);
	}
}

/* Record an expectation's verdict in the results model */
static void results_expect(struct runner *r, const struct step *st, int held)
{
	struct res_expect x = { .loc = st->loc, .held = held,
				.t_ns = util_now_ns(), .mark_node = -1 };
	int i;

	if (!r->o->record)
		return;
	if (held && st->kind == STEP_EXPECT_STATE && r->mark_node >= 0) {
		x.mark_node = r->mark_node;
		x.mark = r->mark;
	}
	r->mark_node = -1;
	snprintf(x.text, sizeof(x.text), "%.191s", st->text);
	snprintf(x.observed, sizeof(x.observed), "%.255s",
		 held ? r->last_said : r->res->reason);
	for (i = 0; i < r->plan.nnodes && i < 4; i++) {
		struct diag_set *d = &x.socks[i];

		if (runner_dump(r, i, 0, d) < 0)
			diag_set_clear(d);
	}
	x.nsocks = i;
	if (result_add_expect(r->res, &x))
		for (i = 0; i < x.nsocks; i++)
			diag_set_free(&x.socks[i]);
}

/*
 * Must every look sample every node?  When packets can be held or let go
 * by tcplab (impairments, queue rules), a segment reaches the stack
 * without a frame the capture sees at that moment; an endpoint told to
 * exit (or crash) answers first and closes its sockets after, and closing
 * a listener or a socket in SYN_SENT sends nothing (see "Sampling").
 */
static int runner_track_always(const struct scenario *sc)
{
	size_t k;

	for (k = 0; k < sc->nsteps; k++) {
		const struct step *st = &sc->steps[k];

		if (st->kind == STEP_RELEASE || st->kind == STEP_EXIT ||
		    st->kind == STEP_CRASH ||
		    (st->kind == STEP_FIREWALL &&
		     (rule_queued(&st->rule) || st->rule.action == RULE_IMPAIR)))
			return 1;
	}
	return 0;
}

int runner_lab_reusable(const struct scenario *sc)
{
	size_t k;

	if (sc->nsysctls)
		return 0;
	for (k = 0; k < sc->nsteps; k++) {
		const struct step *st = &sc->steps[k];

		switch (st->kind) {
		case STEP_EXIT:
		case STEP_CRASH:
		case STEP_INJECT:
			return 0;
		case STEP_CONNECT:
			/* an address no node owns: its failed neighbour
			 * entry would answer the next run at once */
			if (st->peer < 0)
				return 0;
			break;
		case STEP_FIREWALL:
			/* held or impaired packets, an ICMP answer's rate
			 * limit, connection tracking: state a flush does not
			 * take back */
			if (rule_queued(&st->rule) ||
			    st->rule.action == RULE_REJECT_ICMP ||
			    st->rule.ct_invalid)
				return 0;
			break;
		default:
			break;
		}
	}
	return 1;
}

/* Plan, build the lab, run the steps, tear down: the body of runner_run() */
/*
 * What each node's sockets were at its last sample, and the spare the next
 * sample is built in (track_apply()), in one block (r->track_mem); the two
 * samples an action's endpoints bring (r->smp).  Nothing in them is read
 * before it is written but the counts, so nothing is cleared.
 */
static int runner_bufs_new(struct runner *r, struct err *e)
{
	struct track *t = malloc((size_t)(r->plan.nnodes + 1) * sizeof(*t));
	int i;

	r->smp = malloc(2 * sizeof(*r->smp));
	if (!t || !r->smp) {
		free(t);
		free(r->smp);
		return err_set(e, -ENOMEM, "out of memory for the socket states");
	}
	for (i = 0; i <= r->plan.nnodes; i++)
		t[i].n = 0;
	for (i = 0; i < r->plan.nnodes; i++)
		r->track[i] = &t[i];
	r->track_spare = &t[r->plan.nnodes];
	r->track_mem = t;
	return 0;
}

static int run_in_lab(const struct scenario *sc, const struct runner_opts *o,
		      struct result *res, struct err *e)
{
	struct runner r = { .sc = sc, .o = o, .res = res };
	char a0[64];
	uint64_t t;
	int rc, i, recycle;

	if (!fw_backend_find(o->firewall))
		return err_at(e, -EINVAL, NULL,
			      "unknown firewall backend '%s' (one of: %s)",
			      o->firewall, fw_backend_names());
	rc = plan_build(sc, o->family, o->firewall, &r.plan, e);
	if (rc)
		return rc;
	rc = runner_bufs_new(&r, e);
	if (rc)
		return rc;
	fprintf(o->out, "== %s: %s\n", sc->name, sc->title);
	rc = keeper_start(e);
	if (!rc) {
		lab_pool_expect(o->labs_after);
		t = util_now_ns();
		rc = lab_new(&r.lab, &r.plan, e);
	}
	if (rc) {
		free(r.track_mem);
		free(r.smp);
		return rc;
	}
	res->setup_ns = util_now_ns() - t;
	r.t0 = util_now_ns();
	fprintf(o->out, "   lab ready in %.3f ms:", (double)res->setup_ns / 1e6);
	for (i = 0; i < r.plan.nnodes; i++)
		fprintf(o->out, "%s %s %s", i ? " <-veth->" : "",
			r.plan.nodes[i].name,
			plan_addr_str(&r.plan, i, a0, sizeof(a0)));
	fprintf(o->out, " (IPv%d), firewall %s\n", r.plan.family, r.plan.firewall);
	for (i = 0; (size_t)i < sc->nsysctls; i++) {
		const struct scenario_sysctl *sy = &sc->sysctls[i];
		char now[64];

		if (netns_sysctl_read(lab_netns_fd(r.lab, sy->node), sy->key,
				      now, sizeof(now)) < 0)
			fprintf(o->out, "   sysctl %s %s: not on this kernel, skipped\n",
				r.plan.nodes[sy->node].name, sy->key);
		else
			fprintf(o->out, "   sysctl %s %s=%s\n",
				r.plan.nodes[sy->node].name, sy->key, now);
	}
	for (i = 0; i < r.plan.nnodes; i++) {
		r.n[i].base_err = lab_counters(r.lab, i, &r.n[i].base);
		if (r.n[i].base_err)
			counters_clear(&r.n[i].base);
	}
	r.mark_node = -1;
	for (i = 0; i < SCENARIO_MAX_NODES; i++)
		r.ep_hup[i] = -1;
	r.passed = 1;
	rc = observers_open(&r, e);
	r.track_always = runner_track_always(sc);
	r.t0 = util_now_ns(); /* time zero: lab and observers ready */
	if (!rc) {
		r.tl.t0 = r.t0;
		runner_pump(&r);
		rc = run_steps(&r, e);
		runner_pump(&r);
	}
	res->run_ns = util_now_ns() - r.t0;
	if (r.lab)
		say_impairs(&r);
	/* a clean run leaves its lab to the next run of the same plan; the
	 * last run of a process tears it down at once, so that its capture
	 * sockets start their release (a grace period each) while the rest
	 * is printed and the keeper ends, not at the very end */
	recycle = rc >= 0 && r.passed && !o->keep && !o->last &&
		  runner_lab_reusable(sc);
	if (o->record)
		results_fill(&r);
	observers_close(&r, recycle);
	if (o->keep && rc >= 0) {
		int kr = lab_keep(r.lab, o->keep, e);

		if (kr)
			rc = kr;
		else
			fprintf(o->out, "   lab kept: tcplab exec %s %s -- ss -tano  "
				"(tcplab watch %s follows it, tcplab down %s ends it)\n",
				o->keep, r.plan.nodes[r.plan.nnodes - 1].name,
				o->keep, o->keep);
	}
	t = util_now_ns();
	if (recycle)
		lab_recycle(r.lab);
	else
		lab_free(r.lab);
	res->teardown_ns = util_now_ns() - t;
	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		diag_set_free(&r.sets[i]);
		diag_set_free(&r.tsets[i]);
		counters_free(&r.n[i].base);
	}
	free(r.smp);
	free(r.track_mem);
	timeline_sort(&r.tl);
	mark_copies(&r);
	if (pkt_relative_timeline(&r.tl))
		fprintf(stderr, "tcplab: out of memory for relative numbers\n");
	if (rc >= 0)
		print_packets(&r);
	if (o->record) {
		res->tl = r.tl; /* the results record owns it now */
		r.tl = (struct timeline){ 0 };
	}
	timeline_free(&r.tl);
	if (rc < 0)
		return rc;
	res->verdict = r.passed ? (sc->xfail ? RES_XPASS : RES_PASS)
				: (sc->xfail ? RES_XFAIL : RES_FAIL);
	if (r.passed)
		fprintf(o->out, "PASS %s (IPv%d, %s): %d expectation%s held in %.3f ms\n\n",
			sc->name, r.plan.family, r.plan.firewall, res->nheld,
			res->nheld == 1 ? "" : "s", (double)res->run_ns / 1e6);
	else
		fprintf(o->out, "FAIL %s (IPv%d, %s): %s\n\n", sc->name,
			r.plan.family, r.plan.firewall, res->reason);
	return 0;
}

int runner_run(const struct scenario *sc, const struct runner_opts *o,
	       struct result *res, struct err *e)
{
	int rc;

	memset(res, 0, sizeof(*res));
	results_head(res, sc, o);
	rc = run_in_lab(sc, o, res, e);
	if (rc < 0) {
		res->verdict = err_exit_status(e) == ERR_EXIT_ENV ? RES_SKIP
								  : RES_ERROR;
		snprintf(res->reason, sizeof(res->reason), "%.767s", e->msg);
	}
	return rc;
}
