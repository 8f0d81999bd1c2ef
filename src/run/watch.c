// SPDX-License-Identifier: GPL-2.0-or-later
/* watch.c - a kept lab, live: states, packets, drops (see watch.h) */
#define _GNU_SOURCE
#include "watch.h"

#include <errno.h>
#include <stdarg.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "diag.h"
#include "ladder.h"
#include "netns.h"
#include "nflog.h"
#include "pkt.h"
#include "rule.h"
#include "text.h"
#include "util.h"

#define WATCH_POLL_NS_DEFAULT (5 * NS_PER_MS)
#define WATCH_ALIVE_NS (200 * NS_PER_MS)

struct watch_node {
	int diag;
	struct capture *cap[KEPT_MAX_IFS];
	struct nflog *nfl;
	struct diag_set prev, cur;
};

/* One line to print at a time; sorted before printing */
struct watch_line {
	uint64_t t;
	int node;
	char text[320];
};

struct watch {
	const struct kept_info *k;
	const struct watch_opts *o;
	struct watch_node n[SCENARIO_MAX_NODES];
	uint64_t t0;
	struct timeline pkts;    /* every packet so far (relative numbers) */
	struct timeline lad;     /* what the ladder draws */
	size_t lad_lines;        /* ladder lines printed so far */
	struct timeline batch;   /* packets and drops of this round */
	struct watch_line *lines;
	size_t nlines, caplines;
	struct kept_rules rules;
	int drop_node;           /* nflog callback: the node being read */
};

static int key_eq(const struct diag_sock *a, const struct diag_sock *b)
{
	return a->state == DIAG_LISTEN ? (b->state == DIAG_LISTEN &&
					  !memcmp(&a->src, &b->src, sizeof(a->src)))
				       : (b->state != DIAG_LISTEN &&
					  !memcmp(&a->src, &b->src, sizeof(a->src)) &&
					  !memcmp(&a->dst, &b->dst, sizeof(a->dst)));
}

static const struct diag_sock *find_sock(const struct diag_set *s,
					 const struct diag_sock *x)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (key_eq(&s->v[i], x))
			return &s->v[i];
	return NULL;
}

int watch_state_line(char *buf, size_t len, const struct diag_sock *old,
		     const struct diag_sock *now)
{
	const struct diag_sock *s = now ? now : old;
	char la[64], pa[64], tm[48] = "", what[64];

	diag_addr_format(&s->src, la, sizeof(la));
	if (s->state == DIAG_LISTEN)
		snprintf(pa, sizeof(pa), "*");
	else
		diag_addr_format(&s->dst, pa, sizeof(pa));
	if (now)
		text_timer(now, tm, sizeof(tm));
	if (!old)
		snprintf(what, sizeof(what), "%s", diag_state_name(now->state));
	else if (!now)
		snprintf(what, sizeof(what), "%s -> gone", diag_state_name(old->state));
	else if (old->state != now->state)
		snprintf(what, sizeof(what), "%s -> %s", diag_state_name(old->state),
			 diag_state_name(now->state));
	else
		snprintf(what, sizeof(what), "%s, retransmit %u",
			 diag_state_name(now->state), now->retrans);
	return snprintf(buf, len, "%-24s %s > %s%s%s%s", what, la, pa,
			tm[0] ? "  timer:(" : "", tm, tm[0] ? ")" : "");
}

static int line_add(struct watch *w, uint64_t t, int node, const char *fmt, ...)
	PRINTF(4, 5);

static int line_add(struct watch *w, uint64_t t, int node, const char *fmt, ...)
{
	struct watch_line *l;
	va_list ap;

	if (w->nlines == w->caplines) {
		size_t cap = w->caplines ? 2 * w->caplines : 64;
		void *p = realloc(w->lines, cap * sizeof(*w->lines));

		if (!p)
			return -ENOMEM;
		w->lines = p;
		w->caplines = cap;
	}
	l = &w->lines[w->nlines++];
	l->t = t;
	l->node = node;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
	return 0;
}

/* sock_diag every node, a line for each socket that came, changed or went */
static int poll_states(struct watch *w, uint64_t now)
{
	int i, r;

	for (i = 0; i < w->k->nnodes; i++) {
		struct watch_node *n = &w->n[i];
		struct diag_set tmp;
		size_t j;
		char buf[256];

		r = diag_snapshot(n->diag, &n->cur);
		if (r)
			return r;
		for (j = 0; j < n->cur.n; j++) {
			const struct diag_sock *s = &n->cur.v[j];
			const struct diag_sock *o = find_sock(&n->prev, s);

			if (o && o->state == s->state && o->retrans >= s->retrans)
				continue;
			if (o && o->state == s->state && s->timer != DIAG_TIMER_ON &&
			    s->timer != DIAG_TIMER_PROBE)
				continue; /* keepalive probes count in retrans too */
			watch_state_line(buf, sizeof(buf), o, s);
			if (line_add(w, now, i, "%s", buf))
				return -ENOMEM;
			if (w->o->ladder && (!o || o->state != s->state)) {
				struct tl_event ev = { .t_ns = now, .kind = TL_STATE,
						       .node = i, .peer = -1,
						       .state = s->state };

				if (timeline_add(&w->lad, &ev))
					return -ENOMEM;
			}
		}
		for (j = 0; j < n->prev.n; j++)
			if (!find_sock(&n->cur, &n->prev.v[j])) {
				watch_state_line(buf, sizeof(buf), &n->prev.v[j], NULL);
				if (line_add(w, now, i, "%s", buf))
					return -ENOMEM;
			}
		tmp = n->prev;
		n->prev = n->cur;
		n->cur = tmp;
	}
	return 0;
}

static int on_drop(const struct tl_event *ev, void *data)
{
	struct watch *w = data;
	struct tl_event d = *ev;

	d.node = w->drop_node;
	return timeline_add(&w->batch, &d) ? -ENOMEM : 0;
}

static const char *rule_text(struct watch *w, unsigned id, char *buf, size_t len)
{
	const struct kept_rule *r;
	struct err e = { 0 };

	/* read the list again: a rule may have been deleted and its id given
	 * to a new one since the last drop */
	if (kept_rules_read(w->k->name, &w->rules, &e))
		w->rules.n = 0;
	r = kept_rule_find(&w->rules, id);
	if (r)
		snprintf(buf, len, "firewall %s %s", r->node, r->text);
	else
		snprintf(buf, len, "(a rule no longer listed)");
	return buf;
}

/* packets and drops of this round into lines (and the ladder) */
static int take_batch(struct watch *w)
{
	size_t i, first = w->pkts.n;
	char line[256], rt[200], fl[16];
	int r;

	timeline_sort(&w->batch);
	for (i = 0; i < w->batch.n; i++) {
		const struct tl_event *ev = &w->batch.v[i];

		if (w->o->ladder && timeline_add(&w->lad, ev))
			return -ENOMEM;
		if (ev->kind == TL_PACKET && timeline_add(&w->pkts, ev))
			return -ENOMEM;
		if (ev->kind == TL_DROP) {
			char sa[64], da[64];

			diag_addr_format(&ev->pkt.src, sa, sizeof(sa));
			diag_addr_format(&ev->pkt.dst, da, sizeof(da));
			r = line_add(w, ev->t_ns, ev->node,
				     "DROP %s [%s] %s > %s by rule %u: %s",
				     rule_hook_name((enum rule_hook)ev->hook),
				     pkt_flags_format(ev->pkt.flags, fl, sizeof(fl)),
				     sa, da, ev->rule_id,
				     rule_text(w, ev->rule_id, rt, sizeof(rt)));
			if (r)
				return r;
		}
	}
	timeline_clear(&w->batch);
	if (w->o->ladder || first == w->pkts.n)
		return 0;
	if (pkt_relative_timeline(&w->pkts))
		return -ENOMEM;
	for (i = first; i < w->pkts.n; i++) {
		const struct tl_event *ev = &w->pkts.v[i];

		pkt_format_line(&ev->pkt, (int64_t)(ev->t_ns - w->t0), 1, line,
				sizeof(line));
		/* the time is ours, in the first column */
		r = line_add(w, ev->t_ns, ev->node, "%s",
			     strchr(line, ' ') ? strchr(line, ' ') + 1 : line);
		if (r)
			return r;
	}
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	const struct watch_line *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static void flush_lines(struct watch *w)
{
	FILE *f = w->o->out;
	size_t i;

	qsort(w->lines, w->nlines, sizeof(*w->lines), cmp_line);
	/* the ladder says it all: the lines only feed it */
	for (i = 0; i < w->nlines && !w->o->ladder; i++) {
		const struct watch_line *l = &w->lines[i];

		fprintf(f, "%10.6f %-7s %s\n", (double)(l->t - w->t0) / 1e9,
			w->k->nodes[l->node].name, l->text);
	}
	w->nlines = 0;
	if (w->o->ladder && w->lad.n) {
		char *buf = NULL;
		size_t len = 0, line = 0, k;
		FILE *m = open_memstream(&buf, &len);
		struct timeline t = w->lad;

		if (m) {
			t.t0 = w->t0;
			(void)ladder_render(m, w->k->nodes[0].name,
					    w->k->nodes[w->k->nnodes - 1].name, &t, 0,
					    w->k->nnodes - 1, w->o->color);
			fclose(m);
			/* only the rows not printed yet */
			for (k = 0; k < len; k++) {
				if (line >= w->lad_lines)
					fputc(buf[k], f);
				if (buf[k] == '\n')
					line++;
			}
			if (line > w->lad_lines)
				w->lad_lines = line;
			free(buf);
		}
	}
	fflush(f);
}

static int open_node(struct watch *w, const struct kept_ns *ns, int i,
		     struct err *e)
{
	uint16_t groups[KEPT_MAX_RULES];
	const struct kept_node *nd = &w->k->nodes[i];
	struct watch_node *n = &w->n[i];
	int j, r;

	n->diag = netns_socket(ns->node[i], AF_NETLINK, SOCK_RAW,
			       NETLINK_SOCK_DIAG);
	if (n->diag < 0)
		return err_set(e, n->diag, "cannot open sock_diag in %s: %s",
			       nd->name, strerror(-n->diag));
	for (j = 0; j < nd->nifs; j++) {
		r = capture_open(&n->cap[j], ns->node[i], nd->ifname[j], NULL, 0, 0, e);
		if (r)
			return r;
	}
	for (j = 0; j < KEPT_MAX_RULES; j++)
		groups[j] = (uint16_t)(j + 1);
	return nflog_open(&n->nfl, ns->node[i], groups, KEPT_MAX_RULES, e);
}

static void close_nodes(struct watch *w)
{
	int i, j;

	for (i = 0; i < SCENARIO_MAX_NODES; i++) {
		struct watch_node *n = &w->n[i];

		if (n->diag >= 0)
			close(n->diag);
		for (j = 0; j < KEPT_MAX_IFS; j++)
			(void)capture_close(n->cap[j]);
		nflog_close(n->nfl);
		diag_set_free(&n->prev);
		diag_set_free(&n->cur);
	}
}

/* one round: read what is pending on every source */
static int read_sources(struct watch *w)
{
	int i, j, r;

	for (i = 0; i < w->k->nnodes; i++) {
		struct watch_node *n = &w->n[i];

		for (j = 0; j < KEPT_MAX_IFS; j++) {
			if (!n->cap[j])
				continue;
			r = capture_read(n->cap[j], &w->batch, i,
					 w->k->nodes[i].ifpeer[j]);
			if (r < 0)
				return r;
		}
		w->drop_node = i;
		r = nflog_read(n->nfl, on_drop, w);
		if (r < 0 && r != -EAGAIN)
			return r;
	}
	return 0;
}

int watch_run(const struct kept_info *k, const struct kept_ns *ns,
	      const struct watch_opts *o, struct err *e)
{
	struct watch w = { .k = k, .o = o };
	uint64_t poll_ns = o->poll_ns ? o->poll_ns : WATCH_POLL_NS_DEFAULT;
	uint64_t next_diag, next_alive, end;
	int i, r = 0;

	for (i = 0; i < SCENARIO_MAX_NODES; i++)
		w.n[i].diag = -1;
	if (kept_rules_read(k->name, &w.rules, e))
		return e->code;
	for (i = 0; i < k->nnodes && !r; i++)
		r = open_node(&w, ns, i, e);
	if (r)
		goto out;
	w.t0 = util_now_ns();
	w.pkts.t0 = w.lad.t0 = w.t0;
	fprintf(o->out, "watching lab %s:", k->name);
	for (i = 0; i < k->nnodes; i++)
		fprintf(o->out, " %s %s", k->nodes[i].name,
			k->family == 6 ? k->nodes[i].addr6 : k->nodes[i].addr4);
	fprintf(o->out, " (Ctrl-C stops watching; the lab stays)\n");
	end = o->duration_ns ? w.t0 + o->duration_ns : 0;
	next_diag = w.t0;
	next_alive = w.t0 + WATCH_ALIVE_NS;
	while (!*o->stop) {
		struct pollfd pfd[SCENARIO_MAX_NODES * (KEPT_MAX_IFS + 1)];
		uint64_t now = util_now_ns();
		struct timespec ts;
		int np = 0, j;

		if (end && now >= end)
			break;
		if (now >= next_alive) {
			if (!kept_alive(k)) {
				fprintf(o->out, "lab %s is gone (its keeper ended)\n",
					k->name);
				break;
			}
			next_alive = now + WATCH_ALIVE_NS;
		}
		for (i = 0; i < k->nnodes; i++) {
			for (j = 0; j < KEPT_MAX_IFS; j++)
				if (w.n[i].cap[j] && capture_fd(w.n[i].cap[j]) >= 0)
					pfd[np++] = (struct pollfd){
						capture_fd(w.n[i].cap[j]), POLLIN, 0 };
			pfd[np++] = (struct pollfd){ nflog_fd(w.n[i].nfl), POLLIN, 0 };
		}
		if (next_diag > now) {
			ts.tv_sec = (time_t)((next_diag - now) / NS_PER_S);
			ts.tv_nsec = (long)((next_diag - now) % NS_PER_S);
			if (ppoll(pfd, (nfds_t)np, &ts, NULL) < 0 && errno != EINTR) {
				r = err_set(e, -errno, "poll: %s", strerror(errno));
				break;
			}
		}
		r = read_sources(&w);
		if (r) {
			err_set(e, r, "reading the lab's packets: %s", strerror(-r));
			break;
		}
		now = util_now_ns();
		/* packets moved: a state probably did too, look now */
		if (now >= next_diag || w.batch.n) {
			r = poll_states(&w, now);
			if (r) {
				/* the namespaces went with the keeper */
				if (!kept_alive(k)) {
					fprintf(o->out, "lab %s is gone (its keeper ended)\n",
						k->name);
					r = 0;
				} else {
					err_set(e, r, "sock_diag: %s", strerror(-r));
				}
				break;
			}
			next_diag = now + poll_ns;
		}
		r = take_batch(&w);
		if (r) {
			err_set(e, r, "out of memory");
			break;
		}
		flush_lines(&w);
	}
out:
	close_nodes(&w);
	timeline_free(&w.pkts);
	timeline_free(&w.lad);
	timeline_free(&w.batch);
	free(w.lines);
	return r;
}
