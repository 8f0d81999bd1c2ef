/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keeper.h - the lab keeper: PID 1 of the labs' own PID namespace
 *
 * Theory of operation: the first lab of a tcplab process starts one
 * keeper, a child cloned into a new PID namespace (so it is PID 1 there)
 * that dies with tcplab (PR_SET_PDEATHSIG, and end-of-file on its control
 * socket, whichever comes first).  For each lab the driver hands it the
 * nodes' namespace fds and one end of a socketpair per endpoint; the
 * keeper runs each endpoint as a thread that enters its node's namespace,
 * so the endpoints and every socket they open live and die inside the
 * keeper.  When a lab is finished - or the driver is gone, SIGKILL
 * included - the keeper destroys every TCP socket of the lab's namespaces
 * through sock_diag SOCK_DESTROY (an orphaned socket with an
 * unacknowledged FIN would otherwise pin a dropped namespace, and its
 * veth, in the kernel for minutes), then lets go of the namespaces.
 *
 * PR_SET_PDEATHSIG fires when the *thread* that created the keeper ends:
 * a multi-threaded driver starts it from the thread that lives longest.
 *
 * One keeper serves every lab of the process: creating a process costs
 * about a millisecond on small virtual machines, a thread some tens of
 * microseconds.
 */
#ifndef TCPLAB_KEEPER_H
#define TCPLAB_KEEPER_H

#include <stdint.h>

#include "err.h"

/* keeper_start() - start the keeper if it is not running */
int keeper_start(struct err *e) WUR;

/*
 * keeper_lab_add() - hand a new lab to the keeper: @n namespace fds and,
 * for each node, the keeper's end of its endpoint socketpair (or -1 for no
 * endpoint).  Returns the lab's id (>= 0) or -errno.  The fds stay the
 * caller's to close.
 */
int keeper_lab_add(const int *nsfds, const int *ep_fds, int n,
		   struct err *e) WUR;

/* keeper_spawn() - run a new endpoint for node @node of lab @id on @ep_fd */
int keeper_spawn(int id, int node, int ep_fd, struct err *e) WUR;

/*
 * keeper_lab_del() - destroy lab @id's sockets and let its namespaces go;
 * @empty: the driver has just seen no TCP socket left in them (the keeper
 * then only lets them go)
 */
void keeper_lab_del(int id, int empty);

/*
 * keeper_detach() - keep the keeper, its endpoints and their sockets after
 * tcplab exits, until it gets SIGTERM (tcplab up / down); returns its pid.
 * The keeper then answers on @listen_fd (a listening unix socket, or -1):
 * to each tcplab process of the same user that connects, it sends its
 * user, network and PID namespaces and the kept lab's node namespaces
 * (keeper_recv_fds() takes them).
 */
int keeper_detach(int listen_fd, struct err *e) WUR;

/*
 * keeper_recv_fds() - receive one message of the keeper's: a count into
 * @n and up to @max fds; returns how many fds, or -errno (-ETIMEDOUT after
 * @timeout_ms)
 */
int keeper_recv_fds(int fd, uint32_t *n, int *fds, int max, int timeout_ms) WUR;

/* keeper_getpid() - the keeper's pid, or -1 when none runs */
int keeper_getpid(void);

/* keeper_stop() - end the keeper (all labs go) and wait for it */
void keeper_stop(void);

#endif
