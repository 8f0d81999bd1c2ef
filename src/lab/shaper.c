// SPDX-License-Identifier: GPL-2.0-or-later
/* shaper.c - an impairment's queue, its thread and its copies (see shaper.h) */
#define _GNU_SOURCE
#include "shaper.h"

#include <errno.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "impair.h"
#include "netns.h"
#include "nfq.h"
#include "pkt.h"
#include "util.h"

#define SHAPER_EVENTS 256  /* kept for the runner; older ones are lost */
#define SHAPER_COPIES 64   /* copies on their way back to the queue */
#define SHAPER_COPY_TTL_NS NS_PER_S
#define SHAPER_PKT_MAX 65536

/* A packet kept until its time */
struct shaper_pkt {
	uint32_t id;
	uint64_t release_ns;
	uint64_t order;      /* ties go in the order they were queued */
	uint64_t n;
	uint8_t *copy;       /* its bytes, when a duplicate follows it */
	size_t len;
};

/* A copy sent, known by its TCP bytes when it comes back */
struct shaper_copy {
	uint64_t hash, sent_ns;
	size_t len;
};

struct shaper {
	struct rule rule;
	struct impair_state st;
	struct nfq *q;
	int raw;             /* IPPROTO_RAW in SRC's namespace; -1: none */
	int efd;             /* eventfd: events for the runner */
	int stopfd;          /* eventfd: the thread ends */
	pthread_t thread;
	int started;

	struct shaper_pkt *kept;
	size_t nkept, cap;
	struct shaper_pkt held; /* reordered: waits for the next one */
	int holding;
	uint64_t held_until;    /* ... at most until then, then goes alone */
	struct tl_pkt held_seg; /* what it is, for the note then */
	uint64_t order;
	struct shaper_copy copies[SHAPER_COPIES];

	pthread_mutex_t lock; /* events and stats */
	struct shaper_event ev[SHAPER_EVENTS];
	size_t ev_head, ev_n;
	struct shaper_stats stats;
};

/* FNV-1a over the TCP bytes (the IP header changes on the way) */
static uint64_t shaper_l4_hash(const uint8_t *p, size_t len, size_t *l4len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t off = 0, i;

	if (len >= 20 && (p[0] >> 4) == 4)
		off = (size_t)(p[0] & 0x0f) * 4;
	else if (len >= 40 && (p[0] >> 4) == 6)
		off = 40;
	if (off > len)
		off = len;
	for (i = off; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	*l4len = len - off;
	return h;
}

/* A note for the runner on segment @pkt (@len bytes; or @seg, decoded) */
static void shaper_note_seg(struct shaper *s, enum shaper_what what,
			    const void *pkt, size_t len,
			    const struct tl_pkt *seg, uint64_t n)
{
	struct shaper_event *e;
	uint64_t one = 1;

	pthread_mutex_lock(&s->lock);
	if (s->ev_n == SHAPER_EVENTS) {
		s->ev_head = (s->ev_head + 1) % SHAPER_EVENTS;
		s->ev_n--;
	}
	e = &s->ev[(s->ev_head + s->ev_n++) % SHAPER_EVENTS];
	memset(e, 0, sizeof(*e));
	e->t_ns = util_now_ns();
	e->what = what;
	e->rule_id = s->rule.id;
	e->n = n;
	if (seg)
		e->pkt = *seg;
	else if (pkt_decode(PKT_LINK_RAW, pkt, len, len, &e->pkt))
		memset(&e->pkt, 0, sizeof(e->pkt));
	switch (what) {
	case SHAPER_LOST:
		s->stats.lost++;
		break;
	case SHAPER_DUPLICATED:
		s->stats.duplicated++;
		break;
	case SHAPER_REORDERED:
		s->stats.reordered++;
		break;
	case SHAPER_ALONE:
		s->stats.alone++;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	if (write(s->efd, &one, sizeof(one)) < 0) {
		/* the counter is full: the runner is awake already */
	}
}

static void shaper_note(struct shaper *s, enum shaper_what what,
			const void *pkt, size_t len, uint64_t n)
{
	shaper_note_seg(s, what, pkt, len, NULL, n);
}

static int shaper_keep(struct shaper *s, const struct shaper_pkt *p)
{
	if (s->nkept == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct shaper_pkt *v = realloc(s->kept, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->kept = v;
		s->cap = cap;
	}
	s->kept[s->nkept] = *p;
	s->kept[s->nkept++].order = ++s->order;
	return 0;
}

/* The copy, sent from SRC to where the original went */
static void shaper_send_copy(struct shaper *s, const uint8_t *p, size_t len)
{
	struct sockaddr_storage to = { 0 };
	socklen_t tl;
	size_t l4;
	int k, oldest = 0;

	if (s->raw < 0)
		return;
	if ((p[0] >> 4) == 6 && len >= 40) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&to;

		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, p + 24, 16);
		tl = sizeof(*a);
	} else if (len >= 20) {
		struct sockaddr_in *a = (struct sockaddr_in *)&to;

		a->sin_family = AF_INET;
		memcpy(&a->sin_addr, p + 16, 4);
		tl = sizeof(*a);
	} else {
		return;
	}
	for (k = 1; k < SHAPER_COPIES; k++)
		if (s->copies[k].sent_ns < s->copies[oldest].sent_ns)
			oldest = k;
	s->copies[oldest].hash = shaper_l4_hash(p, len, &l4);
	s->copies[oldest].len = l4;
	s->copies[oldest].sent_ns = util_now_ns();
	if (sendto(s->raw, p, len, 0, (struct sockaddr *)&to, tl) < 0)
		s->copies[oldest].sent_ns = 0;
}

/* A copy of ours coming back: let it through, forget it */
static int shaper_is_copy(struct shaper *s, const uint8_t *p, size_t len,
			  uint64_t now)
{
	size_t l4;
	uint64_t h = shaper_l4_hash(p, len, &l4);
	int k;

	for (k = 0; k < SHAPER_COPIES; k++) {
		struct shaper_copy *c = &s->copies[k];

		if (!c->sent_ns || now - c->sent_ns > SHAPER_COPY_TTL_NS)
			continue;
		if (c->hash == h && c->len == l4) {
			c->sent_ns = 0;
			return 1;
		}
	}
	return 0;
}

/* The verdict on @p came @now: how late, if it was (the latest so far) */
static void shaper_late(struct shaper *s, const struct shaper_pkt *p,
			uint64_t now)
{
	if (p->release_ns && now > p->release_ns) {
		pthread_mutex_lock(&s->lock);
		if (now - p->release_ns > s->stats.late_max_ns)
			s->stats.late_max_ns = now - p->release_ns;
		pthread_mutex_unlock(&s->lock);
	}
}

static void shaper_accept(struct shaper *s, struct shaper_pkt *p, uint64_t now)
{
	/* late as of now, and as of when the verdict call is done: the
	 * packet went on its way (and what it caused left) in between */
	shaper_late(s, p, now);
	if (nfq_verdict(s->q, p->id, NF_ACCEPT)) {
		/* the queue is gone: nothing to let go any more */
	}
	shaper_late(s, p, util_now_ns());
	if (p->copy) {
		shaper_send_copy(s, p->copy, p->len);
		shaper_note(s, SHAPER_DUPLICATED, p->copy, p->len, p->n);
		free(p->copy);
		p->copy = NULL;
	}
}

/* Let every kept packet whose time has come go, in time order */
static void shaper_due(struct shaper *s, int all)
{
	for (;;) {
		uint64_t now = util_now_ns();
		size_t k, best = 0;
		struct shaper_pkt p;

		if (!s->nkept)
			return;
		for (k = 1; k < s->nkept; k++)
			if (s->kept[k].release_ns < s->kept[best].release_ns ||
			    (s->kept[k].release_ns == s->kept[best].release_ns &&
			     s->kept[k].order < s->kept[best].order))
				best = k;
		if (!all && s->kept[best].release_ns > now)
			return;
		p = s->kept[best];
		s->kept[best] = s->kept[--s->nkept];
		shaper_accept(s, &p, now);
	}
}

/*
 * The segment held for reordering, when no next one came before its time
 * ("reorder after D"): it goes alone, when its own delay lets it
 */
static void shaper_unhold(struct shaper *s, uint64_t now)
{
	struct shaper_pkt p;

	if (!s->holding || now < s->held_until)
		return;
	p = s->held;
	s->holding = 0;
	if (p.release_ns < s->held_until)
		p.release_ns = s->held_until;
	shaper_note_seg(s, SHAPER_ALONE, NULL, 0, &s->held_seg, p.n);
	if (shaper_keep(s, &p)) {
		free(p.copy);
		if (nfq_verdict(s->q, p.id, NF_ACCEPT)) {
			/* the queue is gone with it */
		}
	}
}

/*
 * When @stamp (CLOCK_REALTIME, the kernel's arrival stamp) was on our
 * clock: a packet that waited in a busy CPU's backlog before it reached
 * the queue has waited part of its delay already
 */
static uint64_t shaper_arrival(uint64_t stamp, uint64_t now)
{
	struct timespec rt;
	uint64_t real, ago;

	if (!stamp || clock_gettime(CLOCK_REALTIME, &rt))
		return now;
	real = (uint64_t)rt.tv_sec * NS_PER_S + (uint64_t)rt.tv_nsec;
	if (stamp > real)
		return now;
	ago = real - stamp;
	/* a stamp from another clock or another age: ignore it */
	if (ago > NS_PER_S || ago > now)
		return now;
	return now - ago;
}

static int shaper_packet(uint32_t id, const void *pkt, size_t len,
			 uint64_t stamp, void *data)
{
	struct shaper *s = data;
	uint64_t now = shaper_arrival(stamp, util_now_ns());
	struct impair_decision d;
	struct shaper_pkt p = { .id = id, .len = len };

	if (shaper_is_copy(s, pkt, len, util_now_ns())) {
		pthread_mutex_lock(&s->lock);
		s->stats.copies_seen++;
		pthread_mutex_unlock(&s->lock);
		return nfq_verdict(s->q, id, NF_ACCEPT);
	}
	impair_decide(&s->st, &s->rule.imp, now, len, &d);

	pthread_mutex_lock(&s->lock);
	s->stats.packets++;
	pthread_mutex_unlock(&s->lock);
	p.n = s->st.n;
	if (d.drop) {
		int r = nfq_verdict(s->q, id, NF_DROP);

		shaper_note(s, SHAPER_LOST, pkt, len, p.n);
		return r;
	}
	p.release_ns = d.release_ns;
	if (d.duplicate && s->raw >= 0) {
		p.copy = malloc(len);
		if (p.copy)
			memcpy(p.copy, pkt, len);
	}
	if (d.reorder && !s->holding) {
		s->held = p;
		s->holding = 1;
		s->held_until = now + (s->rule.imp.reorder_after_ns
					       ? s->rule.imp.reorder_after_ns
					       : RULE_IMPAIR_REORDER_AFTER_NS);
		shaper_note(s, SHAPER_REORDERED, pkt, len, p.n);
		if (pkt_decode(PKT_LINK_RAW, pkt, len, len, &s->held_seg))
			memset(&s->held_seg, 0, sizeof(s->held_seg));
		return 0;
	}
	if (shaper_keep(s, &p)) {
		free(p.copy);
		return nfq_verdict(s->q, id, NF_ACCEPT);
	}
	if (s->holding) {
		/* the one held goes right after this one */
		if (s->held.release_ns < p.release_ns)
			s->held.release_ns = p.release_ns;
		s->holding = 0;
		if (shaper_keep(s, &s->held)) {
			free(s->held.copy);
			return nfq_verdict(s->q, s->held.id, NF_ACCEPT);
		}
	}
	return 0;
}

/*
 * Arm @tfd for @at (CLOCK_MONOTONIC, absolute: however late the thread
 * gets here, the timer is not pushed back by it); UINT64_MAX disarms
 */
static void shaper_arm(int tfd, uint64_t at)
{
	struct itimerspec its = { 0 };

	if (at != UINT64_MAX) {
		at = at ? at : 1; /* 0 would disarm */
		its.it_value.tv_sec = (time_t)(at / NS_PER_S);
		its.it_value.tv_nsec = (long)(at % NS_PER_S);
	}
	if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL)) {
		/* cannot fail with these arguments */
	}
}

static void *shaper_thread(void *arg)
{
	struct shaper *s = arg;
	int tfd;

	/* timers as exact as the kernel gives them, and the CPU as soon as
	 * one is due, busy neighbours or not (best effort: a user namespace
	 * may not raise its priority; the verdicts are then as late as the
	 * scheduler makes them - waking early and keeping the CPU was tried,
	 * and two busy loops made it no earlier - and the run says how late,
	 * and widens its timing windows by that: runner_tolerance()) */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	{
		struct sched_param sp = { .sched_priority = 1 };

		(void)pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	}
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	for (;;) {
		struct pollfd pfd[3] = { { .fd = nfq_fd(s->q), .events = POLLIN },
					 { .fd = s->stopfd, .events = POLLIN },
					 { .fd = tfd, .events = POLLIN } };
		struct timespec ts, *tsp = NULL;
		uint64_t now = util_now_ns(), next = UINT64_MAX;
		size_t k;

		for (k = 0; k < s->nkept; k++)
			if (s->kept[k].release_ns < next)
				next = s->kept[k].release_ns;
		if (s->holding && s->held_until < next)
			next = s->held_until;
		if (tfd >= 0) {
			shaper_arm(tfd, next);
		} else if (next != UINT64_MAX) {
			uint64_t t = next > now ? next - now : 0;

			ts.tv_sec = (time_t)(t / NS_PER_S);
			ts.tv_nsec = (long)(t % NS_PER_S);
			tsp = &ts;
		}
		if (ppoll(pfd, tfd >= 0 ? 3 : 2, tsp, NULL) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (pfd[2].revents) {
			uint64_t n;

			if (read(tfd, &n, sizeof(n)) < 0) {
				/* not expired after all: nothing to read */
			}
		}
		if (pfd[0].revents && nfq_read(s->q, shaper_packet, s) < 0 &&
		    errno != EINTR) {
			/* ENOBUFS and the like: the kernel dropped what it
			 * could not queue; carry on with the rest */
		}
		shaper_unhold(s, util_now_ns());
		shaper_due(s, 0);
	}
	if (tfd >= 0)
		close(tfd);
	/* the end: what is kept goes now, the one held too */
	if (s->holding) {
		s->holding = 0;
		if (shaper_keep(s, &s->held) &&
		    nfq_verdict(s->q, s->held.id, NF_ACCEPT)) {
			/* the queue is gone with it */
		}
	}
	shaper_due(s, 1);
	return NULL;
}

int shaper_start(struct shaper **out, const struct rule *r, int dst_nsfd,
		 int src_nsfd, int family, struct err *e)
{
	struct shaper *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(e, -ENOMEM, "out of memory");
	s->rule = *r;
	s->raw = s->efd = s->stopfd = -1;
	pthread_mutex_init(&s->lock, NULL);
	impair_start(&s->st, &r->imp);
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->efd < 0 || s->stopfd < 0) {
		rc = err_set(e, -errno, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if (r->imp.dup_ppm) {
		/* IPPROTO_RAW: the copy goes as it is, headers included */
		s->raw = netns_socket(src_nsfd, family == 6 ? AF_INET6 : AF_INET,
				      SOCK_RAW, IPPROTO_RAW);
		if (s->raw < 0) {
			rc = err_set(e, s->raw, "impair: raw socket for "
				     "duplicates: %s", strerror(-s->raw));
			s->raw = -1;
			goto fail;
		}
	}
	rc = nfq_open_copy(&s->q, dst_nsfd, (uint16_t)r->id, e);
	if (rc)
		goto fail;
	rc = -pthread_create(&s->thread, NULL, shaper_thread, s);
	if (rc) {
		err_set(e, rc, "impair: thread: %s", strerror(-rc));
		goto fail;
	}
	s->started = 1;
	*out = s;
	return 0;
fail:
	shaper_stop(s);
	return rc;
}

int shaper_fd(const struct shaper *s)
{
	return s->efd;
}

size_t shaper_take(struct shaper *s, struct shaper_event *v, size_t max)
{
	uint64_t cnt;
	size_t n = 0;

	if (read(s->efd, &cnt, sizeof(cnt)) < 0) {
		/* nothing new since the last look: fine */
	}
	pthread_mutex_lock(&s->lock);
	while (n < max && s->ev_n) {
		v[n++] = s->ev[s->ev_head];
		s->ev_head = (s->ev_head + 1) % SHAPER_EVENTS;
		s->ev_n--;
	}
	pthread_mutex_unlock(&s->lock);
	if (s->ev_n) {
		uint64_t one = 1;

		if (write(s->efd, &one, sizeof(one)) < 0) {
			/* already readable */
		}
	}
	return n;
}

void shaper_stats(struct shaper *s, struct shaper_stats *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->stats;
	pthread_mutex_unlock(&s->lock);
}

const struct rule *shaper_rule(const struct shaper *s)
{
	return &s->rule;
}

void shaper_stop(struct shaper *s)
{
	size_t k;

	if (!s)
		return;
	if (s->started) {
		uint64_t one = 1;

		if (write(s->stopfd, &one, sizeof(one)) < 0) {
			/* cannot fail on a fresh eventfd */
		}
		pthread_join(s->thread, NULL);
	}
	nfq_close(s->q);
	for (k = 0; k < s->nkept; k++)
		free(s->kept[k].copy);
	free(s->kept);
	if (s->raw >= 0)
		close(s->raw);
	if (s->efd >= 0)
		close(s->efd);
	if (s->stopfd >= 0)
		close(s->stopfd);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
