/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kept.h - kept labs: their records, and the way into their namespaces
 *
 * Theory of operation: `tcplab up` keeps a lab after tcplab exits (see
 * lab_keep()).  The lab's keeper - PID 1 of the labs' PID namespace, the
 * process that holds the node namespaces - then serves a unix socket: a
 * tcplab process of the same user that connects gets, over SCM_RIGHTS, the
 * keeper's user namespace, its network namespace (the one it started in),
 * its PID namespace, and one fd per node namespace.  With those, `tcplab
 * exec` runs a command in a node, and watch, snapshot and firewall open
 * their sockets there, for root and rootless labs alike: a rootless lab's
 * namespaces belong to the keeper's user namespace, which the caller joins
 * first (kept_enter()).  When the keeper is gone, nothing answers, and the
 * lab is gone with it.
 *
 * The record of a kept lab is a small text file, one "key value" line
 * each, in the records directory: /run/tcplab for root, else
 * $XDG_RUNTIME_DIR/tcplab (or /tmp/tcplab-UID, mode 0700, when there is
 * no runtime directory).  Beside it, ".NAME.sock" is the keeper's socket
 * and ".NAME.fw" the firewall rules installed on the lab (kept_rules_*),
 * which `tcplab firewall` edits and `tcplab watch` reads to name the rule
 * behind a drop.  kept_parse(), kept_format(), kept_stat_parse() and
 * kept_rules_parse() are pure.
 *
 * Crash safety: the record is written ahead.  kept_create() writes it
 * whole - the nodes, the /run/netns paths that will be published, the
 * `tcplab up` process writing it - and fsyncs it and its directory before
 * anything is published; kept_add_keeper() appends the keeper (pid and
 * start time, fsync'd) before the keeper detaches.  So whatever is mounted
 * or running is named by a record on disk, whenever tcplab is killed, and
 * kept_remove() - down, clean, a failed up - ends it: the keeper (only if
 * the pid still is that keeper: its name and start time), what the record
 * names and every entry mounted under the lab's prefix, and the record
 * last.  A record whose up process and keeper are both gone is what an
 * interrupted up or down left: kept_remove() takes it, and kept_create()
 * takes it first.
 */
#ifndef TCPLAB_KEPT_H
#define TCPLAB_KEPT_H

#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <time.h>

#include "err.h"
#include "scenario.h"

/* root's records directory, and where root's kept labs are published */
#define KEPT_ROOT_DIR "/run/tcplab"
#define KEPT_NETNS_DIR "/run/netns"

#define KEPT_NAME_MAX 64
#define KEPT_MAX_RULES 64
#define KEPT_MAX_LABS 256
/* a node's veth ends: a star's hub has one per other node */
#define KEPT_MAX_IFS (SCENARIO_MAX_NODES - 1)

struct kept_node {
	char name[16];
	int nifs;
	char ifname[KEPT_MAX_IFS][16]; /* its veth ends, every one */
	int ifpeer[KEPT_MAX_IFS];   /* the node at the other end of each */
	char addr4[INET_ADDRSTRLEN];
	char addr6[INET6_ADDRSTRLEN];
};

struct kept_info {
	char name[KEPT_NAME_MAX];
	int keeper;                 /* the keeper's pid; 0 if not recorded */
	unsigned long long keeper_start; /* its start time (/proc/PID/stat) */
	int up;                     /* the tcplab up that wrote the record */
	unsigned long long up_start;
	int family;                 /* 4 or 6: the family the lab ran */
	char firewall[16];          /* the backend: nftables, iptables */
	int rootless;               /* 1: namespaces of a user namespace */
	long long since;            /* when it was kept (seconds, epoch) */
	int nnodes;
	struct kept_node nodes[SCENARIO_MAX_NODES];
	int nnetns;                 /* published /run/netns paths (root) */
	char netns[SCENARIO_MAX_NODES][128];
};

/* A firewall rule installed on a kept lab, as the scenario language says it */
struct kept_rule {
	unsigned id;                /* its NFLOG group and prefix tcplab:ID */
	char node[16];
	char text[160];             /* "input tcp dport 80 flags SYN drop" */
};

struct kept_rules {
	int n;
	struct kept_rule v[KEPT_MAX_RULES];
};

/* The namespaces of a kept lab, from its keeper */
struct kept_ns {
	int user;                   /* the keeper's user namespace */
	int net;                    /* the network namespace it runs in */
	int pid;                    /* the labs' PID namespace */
	int n;
	int node[SCENARIO_MAX_NODES];
};

/*
 * kept_dir() - the records directory of this user into @buf (created,
 * mode 0700 for a user's own, when @create); 0 or -errno with @e set
 */
int kept_dir(char *buf, size_t len, int create, struct err *e) WUR;

/* kept_path() - "DIR/PREFIX NAME SUFFIX" in the records directory */
int kept_path(char *buf, size_t len, const char *prefix, const char *name,
	      const char *suffix, struct err *e) WUR;

/*
 * kept_name_ok() - is @name fit for a kept lab (letters, digits, '-', '_',
 * not empty, shorter than KEPT_NAME_MAX)?
 */
int kept_name_ok(const char *name);

/* kept_parse() - decode a record (@len bytes); unknown lines are skipped.
 * Pure.  0, or -EINVAL when it names no node or a line is cut short (a
 * partial record: @out still holds what the other lines say). */
int kept_parse(const char *text, size_t len, struct kept_info *out) WUR;

/* kept_format() - the lines of @k: settings, nodes, the up process, the
 * netns paths and the keeper (those recorded); pure */
void kept_format(FILE *f, const struct kept_info *k);

/*
 * kept_stat_parse() - from a /proc/PID/stat line, the process name into
 * @comm, its state letter and start time; pure; 0 or -EINVAL
 */
int kept_stat_parse(const char *stat, char *comm, size_t clen, char *state,
		    unsigned long long *start) WUR;

/* kept_proc_start() - the start time of process @pid, 0 if none */
unsigned long long kept_proc_start(int pid);

/*
 * kept_proc_is() - is @pid a live process started at @start (not 0), and
 * called @comm unless NULL?
 */
int kept_proc_is(int pid, unsigned long long start, const char *comm);

/*
 * kept_create() - write the record @k ahead (see above): a new file,
 * fsync'd with its directory; the lab's prefix is swept first.  The open
 * record's fd (for kept_add_keeper()), or -errno with @e set (-EEXIST: a
 * lab of that name is kept, or being kept).  A leftover record of that
 * name (its up and keeper gone) is removed first.
 */
int kept_create(const struct kept_info *k, struct err *e) WUR;

/* kept_add_keeper() - append keeper @pid (and its start time) to the
 * record open on @fd, fsync'd */
int kept_add_keeper(int fd, int pid, struct err *e) WUR;

/* What kept_remove() found and ended */
struct kept_removed {
	int record;                 /* 1: there was a record */
	int partial;                /* 1: it was empty or partial */
	int keeper;                 /* 1: a live keeper was ended */
	int nnetns;                 /* /run/netns entries removed */
};

/*
 * kept_remove() - end lab @name and remove all it left: its keeper, when
 * the recorded pid still is that keeper; what its record names and every
 * entry mounted under /run/netns/tcplab-NAME-; its socket, rules and
 * record (the record last, so a failure leaves something to retry).
 * @own: the caller is the up that wrote the record.  Refused while
 * another up is still writing it.  -ENOENT when nothing was there.
 */
int kept_remove(const char *name, int own, struct kept_removed *out,
		struct err *e) WUR;

/* kept_read() - read and parse the record of @name */
int kept_read(const char *name, struct kept_info *out, struct err *e) WUR;

/* kept_names() - the names of every kept lab of this user, sorted; the
 * count (at most @max) or -errno */
int kept_names(char (*names)[KEPT_NAME_MAX], int max) WUR;

/* kept_node_find() - index of node @name in @k, or -1 */
int kept_node_find(const struct kept_info *k, const char *name);

/* kept_alive() - is the recorded keeper still a running tcplab keeper? */
int kept_alive(const struct kept_info *k);

/* kept_rules_parse() - decode "rule ID NODE TEXT" lines; pure; 0 or -EINVAL */
int kept_rules_parse(const char *text, size_t len, struct kept_rules *out) WUR;

/* kept_rules_format() - the lines kept_rules_parse() reads */
void kept_rules_format(FILE *f, const struct kept_rules *r);

/* kept_rules_read() - the rules of lab @name (none when no file) */
int kept_rules_read(const char *name, struct kept_rules *out,
		    struct err *e) WUR;

/* kept_rules_write() - replace the rules of lab @name (atomically) */
int kept_rules_write(const char *name, const struct kept_rules *r,
		     struct err *e) WUR;

/* kept_rule_find() - the rule with @id, or NULL */
const struct kept_rule *kept_rule_find(const struct kept_rules *r,
				       unsigned id);

/*
 * kept_connect() - ask the keeper of lab @name for its namespaces; fails
 * with a sentence saying the lab is gone when no keeper answers
 */
int kept_connect(const char *name, struct kept_ns *ns, struct err *e) WUR;

/* kept_ns_close() - close the fds of @ns */
void kept_ns_close(struct kept_ns *ns);

/*
 * kept_enter() - join the lab's user namespace (a rootless lab) and the
 * keeper's network namespace, so that node namespaces can be stepped into
 * and back out of; the process must have one thread.  Nothing for root.
 */
int kept_enter(const struct kept_ns *ns, struct err *e) WUR;

#endif
