// SPDX-License-Identifier: GPL-2.0-or-later
/* keeper.c - the labs' PID 1, running endpoints (see keeper.h) */
#define _GNU_SOURCE
#include "keeper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "endpoint.h"
#include "netlink.h"
#include "netns.h"
#include "util.h"

#define KEEPER_MAX_FDS 8
#define KEEPER_MAX_LABS 256

enum keeper_op {
	KEEPER_LAB_ADD = 1, /* fds: nsfd x n, then ep fd x n (ep -1 skipped) */
	KEEPER_SPAWN,       /* fds: the endpoint's socket */
	KEEPER_LAB_DEL,
	KEEPER_DETACH,      /* outlive the driver until SIGTERM (tcplab up) */
};

struct keeper_msg {
	uint32_t op;
	int32_t id;
	int32_t node;
	int32_t n;          /* nodes */
	uint32_t has_ep;    /* LAB_ADD: bit i set if node i has an ep fd */
};

/* driver side: labs may be built from several threads at once */
static pthread_mutex_t keeper_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t keeper_pid = -1;
static int keeper_ctl = -1;
static int keeper_next_id;

/* keeper side */
struct keeper_lab {
	int used;
	int id;
	int n;
	int nsfd[KEEPER_MAX_FDS];
};

static struct keeper_lab keeper_labs[KEEPER_MAX_LABS];
static volatile sig_atomic_t keeper_stop_flag;
static volatile int keeper_detached;
static int keeper_side_ctl = -1; /* the keeper's end, to acknowledge */
static int keeper_listen = -1;   /* a kept lab's socket (keeper_detach) */

struct ep_thread_arg {
	int nsfd; /* a dup, closed by the thread */
	int ctl;
};

static void *ep_thread(void *p)
{
	struct ep_thread_arg a = *(struct ep_thread_arg *)p;

	free(p);
	if (netns_move(a.nsfd) < 0) {
		close(a.nsfd);
		close(a.ctl);
		return NULL;
	}
	close(a.nsfd);
	endpoint_main(a.ctl, &keeper_detached);
	return NULL;
}

static int ep_thread_start(int nsfd, int ctl)
{
	struct ep_thread_arg *a = malloc(sizeof(*a));
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (!a)
		return -ENOMEM;
	a->nsfd = dup(nsfd);
	a->ctl = ctl;
	if (a->nsfd < 0) {
		free(a);
		return -errno;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, ep_thread, a);
	pthread_attr_destroy(&attr);
	if (r) {
		close(a->nsfd);
		free(a);
		return -r;
	}
	return 0;
}

/*
 * Abort every TCP socket in @nsfd's namespace: full sockets (an orphaned
 * FIN_WAIT1 would keep the namespace for minutes), request sockets (they
 * keep their listener, and so the namespace, until their SYN-ACK timer)
 * and TIME_WAIT.  A second pass takes what the first one's aborts made
 * (the peer's answer to an abort).
 */
static void destroy_sockets(int nsfd)
{
	struct diag_set set = { 0 };
	int fd = netlink_open(nsfd, NETLINK_SOCK_DIAG, NULL);
	int pass;

	if (fd < 0)
		return;
	for (pass = 0; pass < 2; pass++)
		if (diag_snapshot(fd, &set) == 0 && set.n)
			(void)diag_destroy_all(fd, &set);
	diag_set_free(&set);
	close(fd);
}

/* In the keeper: abort a lab's sockets and let its namespaces go */
static void keeper_lab_drop(struct keeper_lab *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		destroy_sockets(l->nsfd[i]);
		close(l->nsfd[i]);
	}
	memset(l, 0, sizeof(*l));
}

/* In the keeper: the lab the driver calls @id, or NULL */
static struct keeper_lab *keeper_lab_find(int id)
{
	int i;

	for (i = 0; i < KEEPER_MAX_LABS; i++)
		if (keeper_labs[i].used && keeper_labs[i].id == id)
			return &keeper_labs[i];
	return NULL;
}

static void keeper_on_term(int sig)
{
	(void)sig;
	keeper_stop_flag = 1;
}

static void keeper_handle(const struct keeper_msg *m, int *fds, int nfds)
{
	struct keeper_lab *l;
	int i, k;

	switch (m->op) {
	case KEEPER_LAB_ADD:
		l = NULL;
		for (i = 0; i < KEEPER_MAX_LABS && !l; i++)
			if (!keeper_labs[i].used)
				l = &keeper_labs[i];
		if (!l || m->n < 1 || m->n > KEEPER_MAX_FDS / 2 || nfds < m->n)
			break;
		l->used = 1;
		l->id = m->id;
		l->n = m->n;
		for (i = 0; i < m->n; i++) {
			l->nsfd[i] = fds[i];
			fds[i] = -1;
		}
		for (i = 0, k = m->n; i < m->n; i++) {
			if (!(m->has_ep & (1u << i)) || k >= nfds)
				continue;
			if (ep_thread_start(l->nsfd[i], fds[k]) == 0)
				fds[k] = -1;
			k++;
		}
		break;
	case KEEPER_SPAWN:
		l = keeper_lab_find(m->id);
		if (l && m->node >= 0 && m->node < l->n && nfds == 1 &&
		    ep_thread_start(l->nsfd[m->node], fds[0]) == 0)
			fds[0] = -1;
		break;
	case KEEPER_LAB_DEL:
		l = keeper_lab_find(m->id);
		/* the driver saw no socket left: nothing to destroy again */
		if (l && m->node == 1) {
			for (i = 0; i < l->n; i++)
				close(l->nsfd[i]);
			memset(l, 0, sizeof(*l));
		} else if (l) {
			keeper_lab_drop(l);
		}
		break;
	case KEEPER_DETACH: {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (nfds == 1) {
			keeper_listen = fds[0];
			fds[0] = -1;
		}
		keeper_detached = 1;
		prctl(PR_SET_PDEATHSIG, 0);
		/* let go of the terminal or pipe tcplab was started on */
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			close(null);
		}
		(void)!send(keeper_side_ctl, "k", 1, MSG_NOSIGNAL);
		break;
	}
	}
	for (i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int keeper_send_on(int fd, const void *m, size_t len, const int *fds,
			  int nfds);

/*
 * Give a tcplab process of our own user (SO_PEERCRED, in our user
 * namespace) the way into the kept lab: our user, network and PID
 * namespaces, then each node's.  Anyone else gets nothing.
 */
static void keeper_answer(int c)
{
	static const char *const own[] = { "/proc/self/ns/user",
					   "/proc/self/ns/net",
					   "/proc/self/ns/pid" };
	int fds[KEEPER_MAX_FDS], nfds = 0, i;
	struct keeper_lab *l = NULL;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	uint32_t n = 0;

	for (i = 0; i < KEEPER_MAX_LABS && !l; i++)
		if (keeper_labs[i].used)
			l = &keeper_labs[i];
	if (!l || getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) ||
	    cr.uid != getuid() || 3 + l->n > KEEPER_MAX_FDS) {
		close(c);
		return;
	}
	for (i = 0; i < 3; i++) {
		fds[nfds] = open(own[i], O_RDONLY | O_CLOEXEC);
		if (fds[nfds] >= 0)
			nfds++;
	}
	if (nfds == 3) {
		for (i = 0; i < l->n; i++)
			fds[nfds++] = l->nsfd[i];
		n = (uint32_t)l->n;
		(void)keeper_send_on(c, &n, sizeof(n), fds, nfds);
	}
	for (i = 0; i < nfds && i < 3; i++)
		close(fds[i]);
	close(c);
}

/*
 * keeper_linger_zero() - every TCP socket the endpoints still hold aborts
 * when closed (SO_LINGER 0: a RST, no FIN, so no orphan).  The sockets the
 * destroy passes saw are gone already; this covers one an endpoint made
 * meanwhile, which exit() would otherwise close gracefully into an orphan
 * that keeps the namespace alive.
 */
static void keeper_linger_zero(void)
{
	static const struct linger abort_close = { .l_onoff = 1, .l_linger = 0 };
	char buf[4096] __attribute__((aligned(8)));
	int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	/* only the fds that are open: a probe of every possible number
	 * would cost thousands of system calls on the way out */
	if (dfd < 0)
		return;
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			int fd = atoi(d->d_name), proto = 0;
			socklen_t len = sizeof(proto);

			off += d->d_reclen;
			if (d->d_name[0] < '0' || d->d_name[0] > '9' || fd == dfd)
				continue;
			if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0 &&
			    proto == IPPROTO_TCP)
				(void)setsockopt(fd, SOL_SOCKET, SO_LINGER,
						 &abort_close, sizeof(abort_close));
		}
	}
	close(dfd);
}

static void __attribute__((noreturn)) keeper_main(int ctl)
{
	struct sigaction sa = { .sa_handler = keeper_on_term };
	int i;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "tcplab-keeper");
	keeper_side_ctl = ctl;
	while (!keeper_stop_flag) {
		char cbuf[CMSG_SPACE(sizeof(int) * KEEPER_MAX_FDS)];
		struct keeper_msg m;
		struct iovec iov = { &m, sizeof(m) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct pollfd pfd = { .fd = ctl, .events = POLLIN };
		int fds[KEEPER_MAX_FDS], nfds = 0;
		struct cmsghdr *c;
		ssize_t n;

		if (poll(&pfd, 1, -1) < 0)
			continue;
		if ((pfd.revents & (POLLHUP | POLLERR)) && !(pfd.revents & POLLIN))
			break;
		n = recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n < 0)
			continue;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds, CMSG_DATA(c), (size_t)nfds * sizeof(int));
		}
		if (n == (ssize_t)sizeof(m))
			keeper_handle(&m, fds, nfds);
		else
			for (i = 0; i < nfds; i++)
				close(fds[i]);
	}
	/* a kept lab waits for tcplab down (SIGTERM), answering who asks */
	while (keeper_detached && !keeper_stop_flag) {
		struct pollfd pfd = { .fd = keeper_listen, .events = POLLIN };

		if (keeper_listen < 0) {
			pause();
			continue;
		}
		if (poll(&pfd, 1, 500) == 1) {
			int c = accept4(keeper_listen, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0)
				keeper_answer(c);
		}
	}
	/* The driver is gone or done: no lab outlives it. */
	for (i = 0; i < KEEPER_MAX_LABS; i++)
		if (keeper_labs[i].used)
			keeper_lab_drop(&keeper_labs[i]);
	keeper_linger_zero();
	/* PID 1 leaving takes every thread, socket and process with it. */
	_exit(0);
}

static int keeper_start_locked(struct err *e);

/*
 * The threads that drive and observe a lab (the caller's, the keeper's
 * endpoints, and what they start: a new thread or process inherits it)
 * ask the scheduler for a short time slice (sched_attr.sched_runtime of a
 * SCHED_OTHER task, Linux 6.12 on; older kernels ignore it).  Their share
 * of the CPU stays what it is, but when one of them wakes up - an
 * endpoint's answer, a captured frame, a timer - it runs within about
 * that slice instead of after a busy process's full one (3 ms by
 * default), so what a lab shows is seen when it happens on a loaded
 * machine too.
 */
#define KEEPER_SLICE_NS (100 * NS_PER_US)

struct keeper_sched_attr { /* struct sched_attr, as of Linux 4.x */
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

/* the calling thread's short slice, asked for once (see above) */
static void keeper_sched_hint(void)
{
	static __thread int done;
	struct keeper_sched_attr a = { .size = sizeof(a),
				       .sched_policy = SCHED_OTHER,
				       .sched_runtime = KEEPER_SLICE_NS };

	if (done)
		return;
	done = 1;
	/* the nice value is kept: read it, as sched_setattr() sets it */
	errno = 0;
	a.sched_nice = getpriority(PRIO_PROCESS, 0);
	if (errno || sched_getscheduler(0) != SCHED_OTHER)
		return; /* a policy someone chose for us is left alone */
	(void)syscall(SYS_sched_setattr, 0, &a, 0);
}

int keeper_start(struct err *e)
{
	int r;

	keeper_sched_hint();
	pthread_mutex_lock(&keeper_lock);
	r = keeper_start_locked(e);
	pthread_mutex_unlock(&keeper_lock);
	return r;
}

static int keeper_start_locked(struct err *e)
{
	int sv[2];
	pid_t pid;

	if (keeper_pid > 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return err_set(e, -errno, "socketpair: %s", strerror(errno));
	fflush(NULL);
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL,
			     NULL, NULL);
	if (pid < 0) {
		int r = -errno;

		close(sv[0]);
		close(sv[1]);
		if (r == -EPERM)
			return err_env(e, r,
				       "cannot create a PID namespace: %s",
				       strerror(-r));
		return err_set(e, r, "cannot create the labs' PID namespace: %s",
			       strerror(-r));
	}
	if (pid == 0) {
		struct pollfd pfd = { .fd = sv[1], .events = 0 };

		/*
		 * A session and process group of its own: a signal to the
		 * driver's whole group (a CI runner's timeout, systemd, a
		 * shell's Ctrl-\, kill -9 -- -PGID) takes the driver only, and
		 * the keeper lives on to abort the labs' sockets.
		 */
		setsid();
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* keep stdio and the control socket, nothing else */
		if (sv[1] > 3)
			syscall(SYS_close_range, 3, sv[1] - 1, 0);
		syscall(SYS_close_range, sv[1] + 1, ~0U, 0);
		/* the driver may be gone already: then so are we */
		if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLHUP))
			_exit(0);
		keeper_main(sv[1]);
	}
	close(sv[1]);
	keeper_pid = pid;
	keeper_ctl = sv[0];
	return 0;
}

/* one message of @len bytes with @nfds fds on @fd */
static int keeper_send_on(int fd, const void *m, size_t len, const int *fds,
			  int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * KEEPER_MAX_FDS)] = { 0 };
	struct iovec iov = { (void *)m, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (nfds > KEEPER_MAX_FDS)
		return -E2BIG;
	if (nfds) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

static int keeper_send(const struct keeper_msg *m, const int *fds, int nfds)
{
	if (keeper_ctl < 0)
		return -ESRCH;
	return keeper_send_on(keeper_ctl, m, sizeof(*m), fds, nfds);
}

int keeper_recv_fds(int fd, uint32_t *n, int *fds, int max, int timeout_ms)
{
	char cbuf[CMSG_SPACE(sizeof(int) * KEEPER_MAX_FDS)];
	struct iovec iov = { n, sizeof(*n) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *c;
	int got = 0, i;
	ssize_t r;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return -ETIMEDOUT;
	r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	if (r < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		int k, *in = (int *)CMSG_DATA(c);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < k; i++) {
			if (got < max)
				fds[got++] = in[i];
			else
				close(in[i]);
		}
	}
	if (r != (ssize_t)sizeof(*n)) {
		for (i = 0; i < got; i++)
			close(fds[i]);
		return -EPROTO;
	}
	return got;
}

int keeper_lab_add(const int *nsfds, const int *ep_fds, int n, struct err *e)
{
	struct keeper_msg m = { .op = KEEPER_LAB_ADD, .n = n };
	int fds[KEEPER_MAX_FDS], nfds = 0, i, r;

	if (n < 1 || n > KEEPER_MAX_FDS / 2)
		return err_set(e, -EINVAL, "a lab has 1 to %d nodes",
			       KEEPER_MAX_FDS / 2);
	for (i = 0; i < n; i++)
		fds[nfds++] = nsfds[i];
	for (i = 0; i < n; i++) {
		if (ep_fds[i] < 0)
			continue;
		m.has_ep |= 1u << i;
		fds[nfds++] = ep_fds[i];
	}
	pthread_mutex_lock(&keeper_lock);
	m.id = keeper_next_id++;
	r = keeper_send(&m, fds, nfds);
	pthread_mutex_unlock(&keeper_lock);
	if (r)
		return err_set(e, r, "the lab keeper is gone: %s", strerror(-r));
	return m.id;
}

int keeper_spawn(int id, int node, int ep_fd, struct err *e)
{
	struct keeper_msg m = { .op = KEEPER_SPAWN, .id = id, .node = node };
	int r = keeper_send(&m, &ep_fd, 1);

	if (r)
		return err_set(e, r, "the lab keeper is gone: %s", strerror(-r));
	return 0;
}

void keeper_lab_del(int id, int empty)
{
	struct keeper_msg m = { .op = KEEPER_LAB_DEL, .id = id,
				.node = !!empty };

	(void)keeper_send(&m, NULL, 0);
}

int keeper_detach(int listen_fd, struct err *e)
{
	struct keeper_msg m = { .op = KEEPER_DETACH };
	struct pollfd pfd = { .fd = keeper_ctl, .events = POLLIN };
	char ack;
	int r = keeper_send(&m, &listen_fd, listen_fd >= 0 ? 1 : 0);

	if (r)
		return err_set(e, r, "the lab keeper is gone: %s", strerror(-r));
	/* it must have let go of its parent-death signal before we exit */
	if (poll(&pfd, 1, 2000) != 1 || recv(keeper_ctl, &ack, 1, 0) != 1)
		return err_set(e, -ETIMEDOUT, "the lab keeper did not detach");
	return (int)keeper_pid;
}

int keeper_getpid(void)
{
	return (int)keeper_pid;
}

void keeper_stop(void)
{
	uint64_t deadline = util_now_ns() + 2 * NS_PER_S;
	int status, pfd;

	if (keeper_pid <= 0)
		return;
	close(keeper_ctl);
	keeper_ctl = -1;
	/* its exit wakes us (a pidfd polls readable when the process ends);
	 * a kernel without pidfds is looked at every 50 us */
	pfd = (int)syscall(SYS_pidfd_open, keeper_pid, 0);
	while (waitpid(keeper_pid, &status, WNOHANG) == 0) {
		uint64_t now = util_now_ns();

		if (now > deadline) {
			kill(keeper_pid, SIGKILL);
			waitpid(keeper_pid, &status, 0);
			break;
		}
		if (pfd >= 0) {
			struct pollfd p = { .fd = pfd, .events = POLLIN };

			(void)poll(&p, 1, (int)((deadline - now) / NS_PER_MS) + 1);
		} else {
			util_sleep_ns(50 * NS_PER_US);
		}
	}
	if (pfd >= 0)
		close(pfd);
	keeper_pid = -1;
}
