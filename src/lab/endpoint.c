// SPDX-License-Identifier: GPL-2.0-or-later
/* endpoint.c - tcplab's own client and server process (see endpoint.h) */
#define _GNU_SOURCE
#include "endpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "netlink.h"
#include "pkt.h"
#include "util.h"

static const char *const op_names[] = {
	[EP_LISTEN] = "listen",	    [EP_CONNECT] = "connect",
	[EP_ACCEPT] = "accept",	    [EP_SEND] = "send",
	[EP_RECV] = "recv",	    [EP_SHUTDOWN] = "shutdown",
	[EP_CLOSE] = "close",	    [EP_CLOSE_LISTENER] = "close listener",
	[EP_ABORT] = "abort",	    [EP_EXIT] = "exit",
	[EP_KEEPALIVE] = "keepalive", [EP_SOCKERR] = "socket error",
	[EP_SOCKOPT] = "setsockopt", [EP_INJECT] = "inject",
	[EP_PING] = "ping",
	[EP_RECEIVED] = "received", [EP_RESET] = "reset",
};

const char *endpoint_op_name(uint32_t op)
{
	if (op < ARRAY_SIZE(op_names) && op_names[op])
		return op_names[op];
	return "?";
}

/*
 * What a slot remembers of the connection it closed: its 4-tuple and the
 * next sequence numbers each way once close() had done its part (a FIN
 * takes one), so that "inject" can still speak for it - to a peer in
 * TIME_WAIT (RFC 1337) or one that never heard of the close.
 */
struct ep_gone {
	int valid;
	struct sockaddr_storage me, peer;
	socklen_t peer_len;
	uint32_t snd, rcv;
};

/* One connection slot */
struct ep_conn {
	int fd;          /* the connection or -1 */
	int connecting;  /* a non-blocking connect is in progress on fd */
	int err_seen;    /* an error on fd was reported: stop watching */
	struct ep_gone gone; /* the last connection it closed */
	uint64_t rcvd;   /* bytes its RECVs read, since connect/accept */
	uint8_t head[EP_DATA_MAX]; /* the first of them */
};

/* The endpoint's whole state */
struct ep_state {
	int ctl;
	int lfd;         /* listening socket or -1 */
	struct ep_conn c[EP_CONNS];
	int *extra;      /* more connections (connect ... count N) */
	uint32_t nextra;
	struct ep_msg pending; /* ACCEPT or RECV waiting, op 0 if none */
	uint64_t deadline;
	int done;        /* leave the loop: told to exit, or the driver left */
	int sched;       /* /proc/thread-self/schedstat, or -1 */
	uint64_t woke_t;   /* when the last poll() was woken */
	uint64_t cpu_wait; /* how long it then waited for a CPU */
	int diag;          /* sock_diag socket for samples, or -1 */
	struct ep_sample_head head; /* the last sample's, sent before */
	struct diag_set set;        /* its sockets */
};

static uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/*
 * The node's sockets of @family, now: the head of a struct ep_sample into
 * s->head, its sockets left in s->set (at most EP_SAMPLE_MAX of them, else
 * none and -E2BIG).  The sock_diag socket was opened in this thread's
 * namespace, the node's, when the endpoint started (again here if that
 * failed).
 */
static void take_sample(struct ep_state *s, int family)
{
	uint16_t lport = local_port(s->lfd);
	struct diag_query q = { .family = family, .no_info = 1,
				.lports_known = 1, .lports = &lport,
				.nlports = lport ? 1 : 0 };
	int r;

	s->head.n = 0;
	s->head.asked_ns = util_now_ns();
	if (s->diag < 0)
		s->diag = netlink_open(-1, NETLINK_SOCK_DIAG, NULL);
	r = s->diag < 0 ? s->diag : diag_query(s->diag, &q, &s->set);
	s->head.t_ns = util_now_ns();
	if (!r && s->set.n > EP_SAMPLE_MAX)
		r = -E2BIG;
	s->head.err = r;
	if (!r)
		s->head.n = (uint32_t)s->set.n;
}

static void catch_up(struct ep_state *s);

/*
 * A reply (or an event): stamped with the time the call returned if the
 * command did not stamp it, and followed in the same message by a sample
 * when the command asked for one - all but an exit, whose sockets close
 * after it answered.  What the sample shows of a connection's outcome
 * goes out first (catch_up()).
 */
static void ep_send(struct ep_state *s, struct ep_msg *m)
{
	struct iovec iov[3] = { { m, sizeof(*m) } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 1 };

	m->t_ns = m->t_ns ? m->t_ns : util_now_ns();
	if (m->sample && !(m->flags & EP_F_EVENT) && m->op != EP_EXIT) {
		take_sample(s, m->sample);
		catch_up(s);
		iov[1] = (struct iovec){ &s->head, sizeof(s->head) };
		iov[2] = (struct iovec){ s->set.v,
					 s->head.n * sizeof(s->set.v[0]) };
		mh.msg_iovlen = 3;
	} else {
		m->sample = 0;
	}
	if (sendmsg(s->ctl, &mh, MSG_NOSIGNAL) < 0)
		s->done = 1; /* the driver is gone: so are we */
}

/*
 * How long this thread has waited for a CPU while runnable, in all
 * (run_delay, the second field of /proc/thread-self/schedstat, kept open
 * in @fd); 0 when it cannot be read.
 */
static uint64_t run_delay(int fd)
{
	char buf[96];
	ssize_t n;
	char *p;

	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strchr(buf, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

/*
 * poll() with the moment it was woken: what the kernel woke it for
 * happened then, however long the thread then waited on a loaded CPU
 */
static int poll_woken(struct ep_state *s, struct pollfd *pfd, nfds_t n,
		      int timeout)
{
	uint64_t d0 = run_delay(s->sched), t0 = util_now_ns(), d1, t1;
	int r = poll(pfd, n, timeout);

	t1 = util_now_ns();
	d1 = run_delay(s->sched);
	s->cpu_wait = d1 > d0 ? d1 - d0 : 0;
	if (s->cpu_wait > t1 - t0)
		s->cpu_wait = t1 - t0;
	s->woke_t = t1 - s->cpu_wait;
	return r;
}

/* An event about connection @conn, which the last poll() was woken for:
 * when, its pending error, its local port */
static struct ep_msg sock_event(const struct ep_state *s, int fd, uint32_t op,
				uint32_t conn)
{
	struct ep_msg ev = { .op = op, .flags = EP_F_EVENT, .conn = conn };
	socklen_t sl = sizeof(ev.err);

	ev.t_ns = s->woke_t;
	ev.cpu_wait_ns = s->cpu_wait;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &ev.err, &sl);
	ev.lport = local_port(fd);
	return ev;
}

static void sockaddr_fill(const struct ep_msg *m, struct sockaddr_storage *ss,
			  socklen_t *sl)
{
	memset(ss, 0, sizeof(*ss));
	if (m->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(m->port);
		memcpy(&s6->sin6_addr, m->addr, 16);
		*sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(m->port);
		memcpy(&s4->sin_addr, m->addr, 4);
		*sl = sizeof(*s4);
	}
}

/* setsockopt() each of @m's options on @fd; 0 or the first errno */
static int set_opts(int fd, const struct ep_msg *m)
{
	unsigned i;

	for (i = 0; i < m->nopts && i < ARRAY_SIZE(m->opts); i++) {
		unsigned char buf[16];
		int level, name;
		socklen_t len = sockopt_encode(&m->opts[i], &level, &name, buf);

		if (!len)
			return EINVAL;
		if (setsockopt(fd, level, name, buf, len) < 0)
			return errno;
	}
	return 0;
}

/* A fixed local port before connect(): the wildcard address, @port */
static int bind_local(int fd, const struct ep_msg *m)
{
	struct ep_msg any = { .family = m->family, .port = m->bind_port };
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sockaddr_fill(&any, &ss, &sl);
	return bind(fd, (struct sockaddr *)&ss, sl) < 0 ? errno : 0;
}

static int do_listen(struct ep_state *s, struct ep_msg *m)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, fd, r;

	if (s->lfd >= 0)
		return EBUSY;
	fd = socket(m->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (m->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	sockaddr_fill(m, &ss, &sl); /* addr all zero: the wildcard */
	r = set_opts(fd, m);
	if (!r && (bind(fd, (struct sockaddr *)&ss, sl) < 0 ||
		   listen(fd, (int)m->arg) < 0))
		r = errno;
	if (r) {
		close(fd);
		return r;
	}
	s->lfd = fd;
	m->lport = m->port;
	return 0;
}

static int do_connect(struct ep_state *s, struct ep_msg *m)
{
	struct ep_conn *c = &s->c[m->conn];
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, r;

	if (c->fd >= 0)
		return EISCONN;
	sockaddr_fill(m, &ss, &sl);
	/* connect ... count N: N-1 more half-open attempts, held (a flood) */
	if (m->arg > 1) {
		uint32_t i;

		while (s->nextra) /* a flood before: those go first */
			close(s->extra[--s->nextra]);
		free(s->extra);
		s->extra = calloc(m->arg - 1, sizeof(int));
		if (!s->extra)
			return ENOMEM;
		for (i = 0; i + 1 < m->arg; i++) {
			fd = socket(m->family,
				    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (fd < 0)
				return errno;
			if (connect(fd, (struct sockaddr *)&ss, sl) < 0 &&
			    errno != EINPROGRESS) {
				r = errno;
				close(fd);
				return r;
			}
			s->extra[s->nextra++] = fd;
		}
	}
	fd = socket(m->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	r = set_opts(fd, m);
	if (!r && m->bind_port)
		r = bind_local(fd, m);
	if (r) {
		close(fd);
		return r;
	}
	r = connect(fd, (struct sockaddr *)&ss, sl);
	m->t_ns = util_now_ns();
	if (r < 0 && errno != EINPROGRESS) {
		r = errno;
		close(fd);
		return r;
	}
	c->fd = fd;
	c->err_seen = 0;
	c->gone.valid = 0;
	c->rcvd = 0;
	m->lport = local_port(fd);
	if (r < 0) {
		c->connecting = 1;
		return EINPROGRESS;
	}
	return 0;
}

/* An address and port of @ss into @a (16 bytes) and *@port; its family */
static int addr_of(const struct sockaddr_storage *ss, uint8_t *a,
		   uint16_t *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		memcpy(a, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
		return 6;
	}
	memcpy(a, &((const struct sockaddr_in *)(const void *)ss)->sin_addr, 4);
	*port = ntohs(((const struct sockaddr_in *)(const void *)ss)->sin_port);
	return 4;
}

/* Try the pending ACCEPT or RECV; returns 1 when it completed (reply sent). */
static int try_pending(struct ep_state *s, int timed_out)
{
	struct ep_msg *m = &s->pending;
	struct ep_conn *c = &s->c[m->conn];

	if (!m->op)
		return 0;
	if (m->op == EP_ACCEPT) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0 && (errno == EAGAIN || errno == EINTR) && !timed_out)
			return 0;
		m->t_ns = util_now_ns();
		if (fd < 0) {
			m->err = errno == EAGAIN ? ETIMEDOUT : errno;
		} else {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);

			if (c->fd >= 0)
				close(c->fd);
			c->fd = fd;
			c->connecting = 0;
			c->err_seen = 0;
			c->gone.valid = 0;
			c->rcvd = 0;
			m->lport = local_port(fd);
			if (!getpeername(fd, (struct sockaddr *)&ss, &sl))
				m->family = addr_of(&ss, m->addr, &m->port) == 6
						    ? AF_INET6 : AF_INET;
		}
	} else { /* EP_RECV */
		char buf[65536];
		ssize_t n;

		for (;;) {
			n = recv(c->fd, buf, sizeof(buf), 0);
			if (n > 0) {
				/* what was read: counted, the first kept */
				if (c->rcvd < sizeof(c->head)) {
					size_t room = sizeof(c->head) - c->rcvd;

					memcpy(c->head + c->rcvd, buf,
					       (size_t)n < room ? (size_t)n : room);
				}
				c->rcvd += (uint64_t)n;
				m->value += n;
				continue;
			}
			break;
		}
		if (n == 0) {
			m->flags |= EP_F_EOF;
		} else if (errno == EAGAIN) {
			if (!m->value && !timed_out)
				return 0;
			if (!m->value)
				m->err = ETIMEDOUT;
		} else {
			m->err = errno;
		}
		m->t_ns = util_now_ns();
	}
	ep_send(s, m);
	memset(m, 0, sizeof(*m));
	return 1;
}

/*
 * next_seqs() - the next sequence number @fd will send and the next it
 * expects, read through TCP_REPAIR (on for the two getsockopt() calls, then
 * off without the window probe that leaving repair mode otherwise sends;
 * SO_REUSEADDR as it was)
 */
static int next_seqs(int fd, uint32_t *snd, uint32_t *rcv)
{
	int on = TCP_REPAIR_ON, off = TCP_REPAIR_OFF_NO_WP, q, r = 0;
	int reuse = 0;
	socklen_t l = sizeof(reuse);

	/* leaving repair mode clears SO_REUSEADDR: put it back after */
	if (getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &l))
		reuse = 0;
	l = sizeof(*snd);
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)))
		return errno;
	q = TCP_SEND_QUEUE;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) ||
	    getsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, snd, &l))
		r = errno;
	q = TCP_RECV_QUEUE;
	l = sizeof(*rcv);
	if (!r && (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) ||
		   getsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, rcv, &l)))
		r = errno;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off)) && !r)
		r = errno;
	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse));
	return r;
}

/*
 * do_inject() - craft one segment from @fd's end of its connection to the
 * other (pkt_build_tcp()) and send it through a raw socket of this
 * namespace: numbers relative to the socket's next ones, the command's
 * flags and window
 */
static int do_inject(const struct ep_conn *c, struct ep_msg *m)
{
	struct sockaddr_storage me, peer;
	socklen_t l1 = sizeof(me), l2 = sizeof(peer);
	struct pkt_seg seg = { 0 };
	uint8_t buf[PKT_BUILD_MAX];
	uint32_t snd, rcv;
	int r, raw, n;

	if (c->fd >= 0) {
		if (getsockname(c->fd, (struct sockaddr *)&me, &l1) ||
		    getpeername(c->fd, (struct sockaddr *)&peer, &l2))
			return errno;
		r = next_seqs(c->fd, &snd, &rcv);
		if (r)
			return r;
	} else if (c->gone.valid) {
		/* a connection this slot closed: as it was left */
		me = c->gone.me;
		peer = c->gone.peer;
		l2 = c->gone.peer_len;
		snd = c->gone.snd;
		rcv = c->gone.rcv;
	} else {
		return ENOTCONN;
	}
	seg.family = addr_of(&me, seg.src, &seg.sport);
	addr_of(&peer, seg.dst, &seg.dport);
	seg.seq = snd + (uint32_t)m->seq_off;
	seg.ack = rcv + (uint32_t)m->ack_off;
	seg.flags = (uint8_t)m->arg;
	seg.win = m->win;
	n = pkt_build_tcp(&seg, buf, sizeof(buf));
	if (n < 0)
		return -n;
	raw = socket(peer.ss_family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (raw < 0)
		return errno;
	if (peer.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&peer)->sin6_port = 0;
	else
		((struct sockaddr_in *)&peer)->sin_port = 0;
	r = sendto(raw, buf, (size_t)n, 0, (struct sockaddr *)&peer, l2) < 0
		    ? errno : 0;
	close(raw);
	m->value = (int64_t)((uint64_t)seg.seq << 32 | seg.ack);
	return r;
}

/*
 * remember() - note @c's 4-tuple and next sequence numbers before its
 * close(): the FIN that close() is about to send takes one number (none
 * if @abort, a RST, or if unread data turns the FIN into a RST; none if
 * shutdown() already queued it, the numbers then count it already)
 */
static void remember(struct ep_conn *c, int abort)
{
	struct ep_gone *g = &c->gone;
	socklen_t l1 = sizeof(g->me), il = sizeof(struct tcp_info);
	struct tcp_info ti;
	int unread = 0;

	memset(g, 0, sizeof(*g));
	g->peer_len = sizeof(g->peer);
	if (getsockname(c->fd, (struct sockaddr *)&g->me, &l1) ||
	    getpeername(c->fd, (struct sockaddr *)&g->peer, &g->peer_len) ||
	    getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &il) ||
	    next_seqs(c->fd, &g->snd, &g->rcv))
		return;
	if (ioctl(c->fd, FIONREAD, &unread))
		unread = 0;
	if (!abort && !unread &&
	    (ti.tcpi_state == TCP_ESTABLISHED || ti.tcpi_state == TCP_CLOSE_WAIT ||
	     ti.tcpi_state == TCP_SYN_RECV))
		g->snd++;
	g->valid = 1;
}

/*
 * What a dying process does: every descriptor it holds closed at once (the
 * listener, each slot's connection, the extra ones) and nothing waited for
 */
static void close_all(struct ep_state *s)
{
	int i;

	while (s->nextra)
		close(s->extra[--s->nextra]);
	for (i = 0; i < EP_CONNS; i++)
		if (s->c[i].fd >= 0)
			close(s->c[i].fd);
	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
}

/* EP_RESET: as a new endpoint, but for the control socket it keeps */
static void reset(struct ep_state *s)
{
	int i;

	close_all(s);
	memset(s->c, 0, sizeof(s->c));
	for (i = 0; i < EP_CONNS; i++)
		s->c[i].fd = -1;
	memset(&s->pending, 0, sizeof(s->pending));
	s->deadline = 0;
}

static void handle_cmd(struct ep_state *s, struct ep_msg *m)
{
	struct ep_conn *c = &s->c[m->conn < EP_CONNS ? m->conn : 0];

	m->err = 0;
	m->flags = 0;
	m->t_ns = 0;
	if (m->conn >= EP_CONNS) {
		m->err = EINVAL;
		ep_send(s, m);
		return;
	}
	switch (m->op) {
	case EP_LISTEN:
		m->err = do_listen(s, m);
		break;
	case EP_CONNECT:
		m->err = do_connect(s, m);
		break;
	case EP_ACCEPT:
	case EP_RECV:
		if ((m->op == EP_ACCEPT && s->lfd < 0) ||
		    (m->op == EP_RECV && c->fd < 0)) {
			m->err = m->op == EP_ACCEPT ? EINVAL : ENOTCONN;
			break;
		}
		s->pending = *m;
		s->pending.value = 0;
		s->deadline = util_now_ns() + m->timeout_ns;
		try_pending(s, 0);
		return;
	case EP_SEND: {
		static char zero[65536];
		uint32_t left = m->arg;

		if (c->fd < 0) {
			m->err = ENOTCONN;
			break;
		}
		m->value = 0;
		if (m->data_len && m->data_len <= sizeof(m->data))
			left = m->data_len; /* "send "TEXT"" */
		while (left) {
			const char *from = m->data_len ? (const char *)m->data +
				(m->data_len - left) : zero;
			ssize_t n = send(c->fd, from,
					 left < sizeof(zero) ? left : sizeof(zero),
					 MSG_NOSIGNAL);
			if (n < 0) {
				if (errno != EAGAIN || !m->value)
					m->err = errno;
				break;
			}
			m->value += n;
			left -= (uint32_t)n;
		}
		break;
	}
	case EP_SHUTDOWN:
		if (c->fd < 0 || shutdown(c->fd, SHUT_WR) < 0)
			m->err = c->fd < 0 ? ENOTCONN : errno;
		break;
	case EP_ABORT:
		if (c->fd >= 0) {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		}
		/* fall through */
	case EP_CLOSE:
		if (c->fd < 0) {
			m->err = ENOTCONN;
			break;
		}
		m->lport = local_port(c->fd);
		remember(c, m->op == EP_ABORT);
		close(c->fd);
		c->fd = -1;
		c->connecting = 0;
		break;
	case EP_KEEPALIVE: {
		int on = 1, idle = (int)m->arg;
		int intvl = (int)(m->value >> 32), cnt = (int)(m->value & 0xffff);

		if (c->fd < 0) {
			m->err = ENOTCONN;
			break;
		}
		m->lport = local_port(c->fd);
		if (setsockopt(c->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) ||
		    setsockopt(c->fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
		    setsockopt(c->fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) ||
		    setsockopt(c->fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)))
			m->err = errno;
		break;
	}
	case EP_SOCKOPT:
		m->err = c->fd < 0 ? ENOTCONN : set_opts(c->fd, m);
		break;
	case EP_INJECT:
		m->err = do_inject(c, m);
		break;
	case EP_RECEIVED:
		m->value = (int64_t)c->rcvd;
		m->data_len = (uint16_t)(c->rcvd < sizeof(m->data)
						 ? c->rcvd : sizeof(m->data));
		memcpy(m->data, c->head, m->data_len);
		break;
	case EP_CLOSE_LISTENER:
		if (s->lfd < 0) {
			m->err = EINVAL;
			break;
		}
		close(s->lfd);
		s->lfd = -1;
		break;
	case EP_PING:
		/* the events of this wake-up went out before this answer */
		break;
	case EP_RESET:
		reset(s);
		break;
	case EP_EXIT:
		/* Like a crash: everything held is closed at once, as the
		 * kernel does for a process that dies (see endpoint_main). */
		s->done = 1;
		m->t_ns = util_now_ns();
		break;
	default:
		m->err = EINVAL;
	}
	ep_send(s, m);
}

/*
 * The descriptors to poll: the control socket first, the listener while an
 * ACCEPT waits, then each open slot - for POLLOUT while its connect is in
 * progress, POLLIN while a RECV waits on it, and for nothing else when idle
 * (so that an error - keepalive gave up, a reset - is heard the moment the
 * kernel reports it).  @slot gives each entry's slot, -1 for the others.
 */
static nfds_t poll_set(const struct ep_state *s, struct pollfd *pfd, int *slot)
{
	nfds_t n = 1;
	int i;

	pfd[0] = (struct pollfd){ .fd = s->ctl, .events = POLLIN };
	slot[0] = -1;
	if (s->pending.op == EP_ACCEPT) {
		pfd[n] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
		slot[n++] = -1;
	}
	for (i = 0; i < EP_CONNS; i++) {
		const struct ep_conn *c = &s->c[i];
		int recv_here = s->pending.op == EP_RECV &&
				s->pending.conn == (uint32_t)i;

		if (c->fd < 0 || (c->err_seen && !recv_here && !c->connecting))
			continue;
		pfd[n] = (struct pollfd){
			.fd = c->fd,
			.events = c->connecting ? POLLOUT : recv_here ? POLLIN : 0,
		};
		slot[n++] = i;
	}
	return n;
}

/* What poll() said of slot @i: a connect completed, or an error */
static void slot_event(struct ep_state *s, int i, short revents)
{
	struct ep_conn *c = &s->c[i];
	struct ep_msg ev;

	if (!revents)
		return;
	if (c->connecting) {
		ev = sock_event(s, c->fd, EP_CONNECT, (uint32_t)i);
		c->connecting = 0;
		if (revents & POLLERR)
			c->err_seen = 1; /* its error went with the connect */
		ep_send(s, &ev);
		return;
	}
	if (s->pending.op == EP_RECV && s->pending.conn == (uint32_t)i)
		return; /* the RECV hears it */
	if (revents & POLLERR) {
		ev = sock_event(s, c->fd, EP_SOCKERR, (uint32_t)i);
		c->err_seen = 1;
		if (ev.err)
			ep_send(s, &ev);
	} else if (revents & POLLHUP) {
		c->err_seen = 1; /* closed both ways: nothing more to hear */
	}
}

/*
 * The events of the connections, now: a connect that the sample just
 * taken shows completed (or failed), or an error, is told before the
 * reply that brings the sample, as the next wake-up would have told it
 * after - so that the driver hears of it in the order it happened.
 * Stamped now: the thread was awake already.
 */
static void catch_up(struct ep_state *s)
{
	struct pollfd pfd[2 + EP_CONNS];
	int slot[2 + EP_CONNS];
	nfds_t n = poll_set(s, pfd, slot), k;

	if (poll(pfd, n, 0) <= 0)
		return;
	s->woke_t = util_now_ns();
	s->cpu_wait = 0;
	for (k = 1; k < n; k++)
		if (slot[k] >= 0)
			slot_event(s, slot[k], pfd[k].revents);
}

/*
 * Read what is left on the control socket before closing it: a unix
 * socket closed with unread messages makes its peer's next recv() fail
 * with ECONNRESET (unix_release_sock), even with this endpoint's last
 * answer still queued for it.
 */
static void drain_ctl(int ctl)
{
	struct ep_msg m;

	while (recv(ctl, &m, sizeof(m), MSG_DONTWAIT) > 0)
		;
}

void endpoint_main(int ctl, const volatile int *keep)
{
	struct ep_state s = { .ctl = ctl, .lfd = -1, .diag = -1 };
	int i;

	for (i = 0; i < EP_CONNS; i++)
		s.c[i].fd = -1;
	/* this thread's own (opened by it): a dead end where there is no
	 * /proc, and then the events keep the time they were read */
	s.sched = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	/* for the samples, before the first command waits for one; and one
	 * sample now, while the driver still builds the lab, with room for a
	 * few sockets: the first sample a command waits for would otherwise
	 * also pay for this thread's first touch of what a sample uses (its
	 * stack, the set), a few page faults, as long as the sample itself */
	s.diag = netlink_open(-1, NETLINK_SOCK_DIAG, NULL);
	if (s.diag >= 0 && !util_grow((void **)&s.set.v, &s.set.cap, 0,
				      sizeof(*s.set.v), 32)) {
		memset(s.set.v, 0, s.set.cap * sizeof(*s.set.v));
		take_sample(&s, AF_INET);
	}
	while (!s.done) {
		struct pollfd pfd[2 + EP_CONNS];
		int slot[2 + EP_CONNS], timeout = -1, r;
		nfds_t nfd = poll_set(&s, pfd, slot), k;

		if (s.pending.op) {
			uint64_t now = util_now_ns();

			timeout = now >= s.deadline
				? 0 : (int)((s.deadline - now + 999999) / 1000000);
		}
		r = poll_woken(&s, pfd, nfd, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r < 0)
			continue;
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;
		for (k = 1; k < nfd; k++)
			if (slot[k] >= 0)
				slot_event(&s, slot[k], pfd[k].revents);
		if (s.pending.op)
			try_pending(&s, util_now_ns() >= s.deadline);
		if (pfd[0].revents & POLLIN) {
			struct ep_msg m;
			ssize_t n = recv(ctl, &m, sizeof(m), MSG_DONTWAIT);

			if (n == 0)
				break;
			if (n != (ssize_t)sizeof(m))
				continue;
			/* a reset takes what waits with the rest */
			if (s.pending.op && m.op != EP_RESET) {
				m.err = EBUSY;
				ep_send(&s, &m);
				continue;
			}
			handle_cmd(&s, &m);
		}
	}
	/* a kept lab: the sockets stay as they are, for people to look at */
	while (keep && *keep && !s.done)
		pause();
	close_all(&s);
	free(s.extra);
	diag_set_free(&s.set);
	if (s.diag >= 0)
		close(s.diag);
	if (s.sched >= 0)
		close(s.sched);
	drain_ctl(ctl);
	close(ctl);
}

/*
 * One message from the endpoint, without waiting, into @m and, for a reply
 * that brings a sample, @smp (NULL: none is read).  Returns the bytes of
 * the message, 0 when the endpoint closed, or -1 with errno.  An endpoint
 * that exits (`crash`, `exit`) answers first and then closes; if its
 * socket still held an unread message the kernel marks ours ECONNRESET,
 * and some kernels report that error before the answer already queued.
 * recv() clears the error it reports, so one more recv() gets the answer,
 * or 0 when none is there.
 */
static ssize_t recv_msg(int fd, struct ep_msg *m, struct ep_sample *smp)
{
	struct iovec iov[2] = { { m, sizeof(*m) }, { smp, sizeof(*smp) } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = smp ? 2 : 1 };
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

	if (n < 0 && errno == ECONNRESET) {
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			errno = ECONNRESET; /* the error said the peer is gone */
	}
	return n;
}

/*
 * A whole message (@n bytes of it read): the ep_msg and, when the message
 * says a sample follows, all of it; the sample is checked here, so that
 * the caller can trust its count.
 */
static int msg_whole(ssize_t n, const struct ep_msg *m,
		     struct ep_sample *smp)
{
	size_t extra;

	if (n < (ssize_t)sizeof(*m))
		return 0;
	extra = (size_t)n - sizeof(*m);
	if (!smp || !m->sample || (m->flags & EP_F_EVENT))
		return extra == 0 || !smp;
	return extra >= sizeof(smp->h) && smp->h.n <= EP_SAMPLE_MAX &&
	       extra == sizeof(smp->h) + smp->h.n * sizeof(smp->v[0]);
}

static int read_msg(int fd, struct ep_msg *m, struct ep_sample *smp,
		    uint64_t deadline)
{
	for (;;) {
		uint64_t now = util_now_ns();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		r = poll(&pfd, 1, now >= deadline ? 0
				  : (int)((deadline - now + 999999) / 1000000));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = recv_msg(fd, m, smp);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		if (msg_whole(n, m, smp))
			return 0;
	}
}

/*
 * Spin briefly for a message before sleeping in poll(): a reply usually
 * comes within microseconds, and a sleeping driver would add a scheduler
 * wake-up to every measured delay.  Briefly: 50 us (a recv() a few
 * microseconds each); a reply that takes longer waited for a busy CPU,
 * and spinning on took CPU time from everything else on the machine.
 */
static int spin_msg(int fd, struct ep_msg *m, struct ep_sample *smp,
		    uint64_t spin_ns)
{
	uint64_t end = util_now_ns() + spin_ns;

	do {
		ssize_t n = recv_msg(fd, m, smp);

		if (n > 0 && msg_whole(n, m, smp))
			return 0;
		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
	} while (util_now_ns() < end);
	return -EAGAIN;
}

int endpoint_send(int fd, const struct ep_msg *req)
{
	if (send(fd, req, sizeof(*req), MSG_NOSIGNAL) < 0)
		return errno == EPIPE ? -ECONNRESET : -errno;
	return 0;
}

int endpoint_reply_sampled(int fd, const struct ep_msg *req, struct ep_msg *rep,
			   struct ep_events *ev, struct ep_sample *smp)
{
	uint64_t deadline = util_now_ns() + req->timeout_ns + 5 * NS_PER_S;
	/* events in between are bare messages: they leave @smp alone */
	struct ep_sample *into = req->sample ? smp : NULL;
	int r;

	for (;;) {
		r = spin_msg(fd, rep, into, 50 * NS_PER_US);
		if (r == -EAGAIN)
			r = read_msg(fd, rep, into, deadline);
		if (r)
			return r;
		if (!(rep->flags & EP_F_EVENT))
			break;
		if (ev && ev->n < (int)ARRAY_SIZE(ev->v))
			ev->v[ev->n++] = *rep;
	}
	if (into && !rep->sample) {
		into->h.err = -ENODATA; /* the endpoint could not take one */
		into->h.n = 0;
	}
	return 0;
}

int endpoint_reply(int fd, const struct ep_msg *req, struct ep_msg *rep,
		   struct ep_events *ev)
{
	return endpoint_reply_sampled(fd, req, rep, ev, NULL);
}

int endpoint_call_sampled(int fd, const struct ep_msg *req, struct ep_msg *rep,
			  struct ep_events *ev, struct ep_sample *smp)
{
	int r = endpoint_send(fd, req);

	return r ? r : endpoint_reply_sampled(fd, req, rep, ev, smp);
}

int endpoint_call(int fd, const struct ep_msg *req, struct ep_msg *rep,
		  struct ep_events *ev)
{
	return endpoint_call_sampled(fd, req, rep, ev, NULL);
}

int endpoint_poll_events(int fd, uint64_t wait_ns, struct ep_events *ev)
{
	uint64_t deadline = util_now_ns() + wait_ns;
	struct ep_msg m;
	int got = 0;

	while (read_msg(fd, &m, NULL, got ? 0 : deadline) == 0) {
		if ((m.flags & EP_F_EVENT) && ev->n < (int)ARRAY_SIZE(ev->v)) {
			ev->v[ev->n++] = m;
			got++;
		}
		deadline = 0;
	}
	return got;
}
