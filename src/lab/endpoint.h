/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * endpoint.h - tcplab's own TCP client and server, driven by the lab
 *
 * Theory of operation: an endpoint is a small program living in one node's
 * network namespace, run by the lab keeper (keeper.h) inside the lab's PID
 * namespace.  It owns at most one listening socket and EP_CONNS connection
 * slots (slot 0 is the node's own connection, the others the connections a
 * scenario names: "connect ... as c1", "accept as s1"), and
 * does exactly what the driver asks, one command at a time, over a
 * SOCK_SEQPACKET socket: listen, non-blocking connect, accept, send, recv,
 * shutdown, close, abort (RST via SO_LINGER 0), ping (nothing: its answer
 * comes after every event the endpoint was woken for), or exit abruptly
 * like a crashing program - every socket it holds closed at once, as the kernel
 * does for a process that dies.  Every reply
 * carries the errno of the call and the CLOCK_MONOTONIC time at which the
 * call returned, so that the driver can time the kernel's reaction from
 * the very moment of the call.  Things that complete later (a connect that
 * was in progress, a connection that fails) come back as events with the
 * same framing, stamped with the moment the kernel woke the endpoint for
 * them: on a loaded machine a woken thread may wait tens of milliseconds
 * for a CPU, and that wait, measured from the thread's own scheduler
 * statistics (run_delay in /proc/thread-self/schedstat), is taken off the
 * time it read the event and reported beside it.  A command may ask for a
 * sample of the node's sockets taken right after its call, in the same
 * thread (struct ep_sample): it comes with the reply, so that the state
 * the call caused is seen without a wake-up of the driver in between.
 *
 * Not calling close() is a command too: it is the leak that keeps a socket
 * in CLOSE_WAIT, and the endpoint simply holds on to the socket.
 */
#ifndef TCPLAB_ENDPOINT_H
#define TCPLAB_ENDPOINT_H

#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "sock.h"
#include "sockopt.h"

enum ep_op {
	EP_LISTEN = 1,
	EP_CONNECT,
	EP_ACCEPT,
	EP_SEND,
	EP_RECV,
	EP_SHUTDOWN,
	EP_CLOSE,
	EP_CLOSE_LISTENER,
	EP_ABORT,
	EP_EXIT,
	EP_KEEPALIVE,   /* arg: idle s, value: intvl s << 32 | count */
	EP_SOCKERR,     /* event only: the connection reported an error */
	EP_SOCKOPT,     /* set opts[] on the slot's connection */
	EP_INJECT,      /* a crafted segment on the slot's connection: arg
			   flags, seq_off, ack_off, win (reply: value is
			   the seq << 32 | ack sent, absolute) */
	EP_RECEIVED,    /* reply: value the bytes the slot's RECVs read so
			   far, data the first of them (data_len) */
	EP_PING,        /* nothing: the answer comes after every event the
			   endpoint was woken for before the command */
	EP_RESET,       /* close every socket held, forget every slot: the
			   endpoint is as new, for the next run of a reused
			   lab (the answer comes once all is closed) */
};

#define EP_DATA_MAX 128 /* SEND's text, RECEIVED's first bytes */

#define EP_CONNS 16    /* connection slots: 0 the node's own, 1.. named */

#define EP_F_EVENT 0x1 /* asynchronous completion, not a reply */
#define EP_F_EOF 0x2   /* RECV: the peer's FIN was read */

struct ep_msg {
	uint32_t op;
	int32_t err;         /* reply: 0 or a positive errno */
	uint32_t flags;
	int32_t family;      /* AF_INET / AF_INET6 */
	uint8_t addr[16];    /* CONNECT: peer address; ACCEPT reply: the
				peer's address (family set) */
	uint16_t port;       /* LISTEN/CONNECT port; reply: peer port */
	uint16_t lport;      /* reply: local port of the socket */
	uint32_t arg;        /* LISTEN backlog, SEND bytes, CONNECT count */
	uint32_t conn;       /* the connection slot a command or event is
				about (ACCEPT: where the new socket goes) */
	uint16_t bind_port;  /* CONNECT: the local port to bind first, 0 none */
	uint16_t nopts;
	struct sockopt_set opts[6]; /* LISTEN, CONNECT (before bind/connect),
				       SOCKOPT: setsockopt() these */
	int64_t value;       /* reply: bytes sent or read */
	uint64_t timeout_ns; /* ACCEPT/RECV: how long to wait */
	uint64_t t_ns;       /* reply: when the call returned */
	int32_t seq_off, ack_off; /* INJECT: from the socket's next sequence
				     number to send and to receive */
	uint16_t win;        /* INJECT: the window field */
	uint16_t data_len;   /* SEND: send data[] (arg bytes of it), not
				zeros; RECEIVED reply: how much of data[]
				is filled */
	uint8_t data[EP_DATA_MAX];
	uint64_t cpu_wait_ns; /* event: how long the endpoint, woken by it,
				 waited for a CPU before it could read it;
				 t_ns is when it was woken */
	int32_t sample;      /* command: AF_INET or AF_INET6 to have the
				reply followed by a sample of the node's
				sockets of that family (struct ep_sample),
				0 for none */
};

/*
 * The node's sockets as sock_diag showed them right after a command's call
 * returned, taken by the endpoint itself: in the same thread, so that no
 * wake-up of another thread on a loaded CPU lies between the call and the
 * look (see endpoint_call_sampled()).  Listeners are looked up on the
 * endpoint's own listening port (it is the only one in the node), without
 * tcp_info, as the runner's own samples.
 */
#define EP_SAMPLE_MAX 64

struct ep_sample_head {
	uint64_t asked_ns; /* when the dump was asked for */
	uint64_t t_ns;     /* when it had been read */
	int32_t err;       /* 0, or -errno: no sample (-E2BIG: more than
			      EP_SAMPLE_MAX sockets) */
	uint32_t n;        /* sockets in v[] */
};

/* on the wire: the head, then its n sockets */
struct ep_sample {
	struct ep_sample_head h;
	struct diag_sock v[EP_SAMPLE_MAX];
};

/* endpoint_op_name() - "listen", "connect" ... */
const char *endpoint_op_name(uint32_t op);

/*
 * endpoint_main() - the endpoint's command loop on @ctl, run by a thread
 * that has already entered the node's namespace.  Returns when told to
 * exit or when the driver closes its end, having closed every socket it
 * held and @ctl - unless *@keep is set when the driver goes (a lab kept for
 * exploring by hand): then it holds its sockets until the process ends.
 */
void endpoint_main(int ctl, const volatile int *keep);

struct ep_events {
	struct ep_msg v[16];
	int n;
};

/*
 * endpoint_call() - send @req on @fd and wait (up to @timeout_ns past the
 * command's own timeout) for its reply in @rep.  Events that arrive in the
 * meantime are appended to @ev.  Returns 0, or -errno if the endpoint is
 * gone or did not answer (-ETIMEDOUT, -ECONNRESET).
 */
int endpoint_call(int fd, const struct ep_msg *req, struct ep_msg *rep,
		  struct ep_events *ev) WUR;

/*
 * endpoint_send(), endpoint_reply() - endpoint_call() in two halves, so
 * that two endpoints can act at the same moment (send both, then read
 * both replies)
 */
int endpoint_send(int fd, const struct ep_msg *req) WUR;
int endpoint_reply(int fd, const struct ep_msg *req, struct ep_msg *rep,
		   struct ep_events *ev) WUR;

/*
 * endpoint_call_sampled(), endpoint_reply_sampled() - the same for a
 * command whose @req->sample asks for a sample: the reply comes with it,
 * in @smp (smp->h.err set when the endpoint could not take one).  @smp is
 * not touched when the call fails.
 */
int endpoint_call_sampled(int fd, const struct ep_msg *req, struct ep_msg *rep,
			  struct ep_events *ev, struct ep_sample *smp) WUR;
int endpoint_reply_sampled(int fd, const struct ep_msg *req, struct ep_msg *rep,
			   struct ep_events *ev, struct ep_sample *smp) WUR;

/*
 * endpoint_poll_events() - collect events that are already waiting on @fd
 * (waiting up to @wait_ns for the first); returns how many were added.
 */
int endpoint_poll_events(int fd, uint64_t wait_ns, struct ep_events *ev);

#endif
