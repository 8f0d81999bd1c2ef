/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.h - the scenario language: AST and parser (pure)
 *
 * Theory of operation: a scenario file is plain text, one directive per
 * line, '#' comments, double-quoted strings that may run over several lines
 * (their line breaks and indentation fold into one space).  scenario_parse()
 * reads the whole text and either returns a complete AST, in which every
 * node carries its file:line:col, or fails on the first error with
 * "file:line:col: message" in struct err - before anything is built.
 * Semantic checks that need no kernel (a node that does not exist, a port
 * out of range, a state name, an errno name, a sysctl off the allow-list)
 * happen here too.  The grammar is documented in docs/scenario-language.md.
 */
#ifndef TCPLAB_SCENARIO_H
#define TCPLAB_SCENARIO_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rule.h"
#include "sockopt.h"

#define SCENARIO_MAX_NODES 4
#define SCENARIO_MAX_CONNS 15 /* named connections ("... as NAME") */
#define SCENARIO_NAME_MAX 48

enum step_kind {
	STEP_LISTEN,      /* node listen PORT [backlog N] */
	STEP_CONNECT,     /* node connect [PEER] PORT */
	STEP_ACCEPT,      /* node accept [within D] */
	STEP_SEND,        /* node send BYTES */
	STEP_RECV,        /* node recv [within D]: read data / EOF */
	STEP_SHUTDOWN,    /* node shutdown: SHUT_WR, sends FIN */
	STEP_CLOSE,       /* node close [listener] */
	STEP_ABORT,       /* node abort: SO_LINGER 0 + close, sends RST */
	STEP_EXIT,        /* node exit: the endpoint process dies abruptly */
	STEP_FIREWALL,    /* firewall NODE HOOK ... ACTION */
	STEP_WAIT,        /* wait D */
	STEP_EXPECT_STATE, /* expect NODE state STATE [port P] [within D] */
	STEP_EXPECT_ERROR, /* expect NODE error ERRNO [within D] */
	STEP_EXPECT_EOF,   /* expect NODE eof [within D] */
	STEP_KEEPALIVE,    /* node keepalive idle D intvl D count N */
	STEP_FLUSH,        /* firewall NODE flush: remove its rules */
	STEP_EXPECT_RETRANS, /* expect NODE retransmits at T1,T2... [port P] */
	STEP_EXPECT_COUNTER, /* expect NODE counter NAME OP VALUE [within D] */
	STEP_CRASH,        /* node crash: its sockets vanish without a word */
	STEP_RELEASE,      /* firewall NODE release: let held packets go */
	STEP_EXPECT_PACKETS, /* expect packets A>B [flags F] count OP N [within D] */
	STEP_EXPECT_DROPS,   /* expect drops NODE count OP N [within D] */
	STEP_SOCKOPT,        /* node sockopt OPT=VALUE[,...] on its connection */
	STEP_EXPECT_SOCKET,  /* expect NODE socket FIELD OP VALUE [port P] */
	STEP_INJECT,         /* node inject [NAME] flags F [seq +N] [ack +N]
				[win N]: a crafted segment on a connection */
	STEP_EXPECT_RECEIVED, /* expect NODE received "TEXT" | bytes OP N:
				 what the program has read so far */
};

enum step_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

#define STEP_MAX_TIMES 16
#define STEP_DATA_MAX 128   /* send "TEXT", expect received "TEXT" */
#define STEP_MAX_OPTS 6

struct step {
	enum step_kind kind;
	struct loc loc;
	char text[160];      /* the line as written, blanks folded */
	int long_only;       /* "long ...": run only with --long (a timer
				that takes minutes, waited out in full) */
	int node;            /* node index */
	int node2;           /* "client,server shutdown": the second node
				acting at the same moment, or -1 */
	int peer;            /* STEP_CONNECT: node index of the peer, -1:
				an address no node owns (peer_v4, peer_v6) */
	int peer_families;   /* CONNECT to an address: the families it has
				a form in (SCENARIO_FAMILY_*) */
	struct in_addr peer_v4;   /* 198.18.L.H ... */
	struct in6_addr peer_v6;  /* ... and fd00:198:18:L::H, its twin */
	int conn;            /* the named connection the step is about
				(index in scenario.conns), -1: the node's
				own connection */
	uint16_t port;       /* LISTEN/CONNECT port; EXPECT_STATE port filter */
	int backlog;         /* LISTEN */
	uint32_t bytes;      /* SEND */
	int listener;        /* CLOSE: close the listening socket instead */
	uint64_t within_ns;  /* EXPECT_*, ACCEPT, RECV; WAIT: the duration */
	int state;           /* EXPECT_STATE: enum diag_state */
	int errnum;          /* EXPECT_ERROR: positive errno */
	int timer;           /* EXPECT_STATE: wanted timer kind, -1 any */
	uint64_t expires_ns; /* EXPECT_STATE: wanted timer expiry, 0 unchecked */
	uint64_t at_ns;      /* EXPECT_ERROR: when, after the node's last
				action; 0 means any time within */
	uint64_t times_ns[STEP_MAX_TIMES]; /* EXPECT_RETRANS, after the last action */
	int ntimes;
	char counter[48];    /* EXPECT_COUNTER: e.g. TcpExtSyncookiesSent */
	int field;           /* EXPECT_SOCKET: enum diag_field (sock.h); its
				value in .value (microseconds for times) */
	enum step_cmp cmp;
	int64_t value;
	uint32_t count;      /* CONNECT: how many connections (default 1) */
	uint16_t from_port;  /* CONNECT: "from PORT", bound before connect() */
	struct sockopt_set opts[STEP_MAX_OPTS]; /* LISTEN, CONNECT ("with
				OPT=VALUE,..."), SOCKOPT: socket options */
	int nopts;
	uint32_t ka_idle, ka_intvl, ka_count; /* KEEPALIVE: seconds, probes */
	struct rule rule;    /* FIREWALL */
	uint8_t tcp_flags;   /* INJECT: the segment's flags (RULE_TCP_*) */
	int32_t seq_off;     /* INJECT: from the next sequence number the
				peer expects of this end */
	int32_t ack_off;     /* INJECT: from the next one this end expects */
	uint16_t win;        /* INJECT: the window field as sent */
	char data[STEP_DATA_MAX]; /* SEND "TEXT": what is sent (bytes is its
				length); EXPECT_RECEIVED: the bytes read so
				far, exactly (has_data), else bytes OP value */
	int has_data;
};

struct scenario_sysctl {
	int node;
	char key[96];
	char value[64];
	int optional;        /* "if-present": skip where the kernel lacks it */
	struct loc loc;
};

/*
 * "record NODE counter NAME" / "record NODE state STATE": what the scenario
 * says matters beyond its expectations - a counter's delta, or whether
 * sampling saw a state - so that a baseline compares it as behaviour
 * (drift) instead of a note.
 */
enum record_kind { RECORD_COUNTER, RECORD_STATE };

struct scenario_record {
	int node;
	enum record_kind kind;
	char counter[48];    /* RECORD_COUNTER: as nstat names it */
	int state;           /* RECORD_STATE: enum diag_state */
	struct loc loc;      /* the counter's or state's word */
};

/* A connection named by "NODE connect ... as NAME" or "NODE accept as NAME" */
struct scenario_conn {
	char name[16];
	int node;            /* the node that holds this end */
	struct loc loc;      /* where it was named */
};

struct scenario {
	char *file;                       /* as given; used in every loc */
	char name[SCENARIO_NAME_MAX];
	struct loc name_loc;              /* where the name was given */
	char *title;
	char *teaches;
	char *xfail;                      /* known kernel difference: why */
	int families;                     /* bit 0: IPv4, bit 1: IPv6 */
	int nnodes;
	char nodes[SCENARIO_MAX_NODES][16];
	int star;                         /* "topology star HUB NODE NODE ...":
					     node 0 is a router with a link to
					     each other node; else a chain */
	struct scenario_conn conns[SCENARIO_MAX_CONNS];
	int nconns;
	struct scenario_sysctl *sysctls;
	size_t nsysctls;
	struct scenario_record *records;
	size_t nrecords;
	struct step *steps;
	size_t nsteps;
	size_t nrules;
};

#define SCENARIO_FAMILY_4 1
#define SCENARIO_FAMILY_6 2

/* Default deadline of an expectation without "within" */
#define SCENARIO_DEFAULT_WITHIN_NS (1000ULL * 1000 * 1000)

/*
 * scenario_parse() - parse @len bytes of @text read from @file.  On success
 * *@out owns a new AST (scenario_free()); on error @e holds
 * "file:line:col: message" and -EINVAL is returned.
 */
int scenario_parse(const char *file, const char *text, size_t len,
		   struct scenario **out, struct err *e) WUR;

/* scenario_load() - read @path and parse it */
int scenario_load(const char *path, struct scenario **out,
		  struct err *e) WUR;

/* scenario_free() - free an AST (NULL is fine) */
void scenario_free(struct scenario *s);

/*
 * scenario_impair_kept() - the first "impair" line still in force when the
 * scenario ends (no "firewall DST flush" after it), or NULL: what a lab
 * kept by `tcplab up` could not keep, since the verdicts are given by the
 * tcplab process that exits once the lab is kept
 */
const struct step *scenario_impair_kept(const struct scenario *s);

/*
 * scenario_node_router() - 1 if node @node forwards: a middle node of a
 * chain, the hub of a star
 */
int scenario_node_router(const struct scenario *s, int node);

/* scenario_node_find() - index of node @name, or -1 */
int scenario_node_find(const struct scenario *s, const char *name);

/* scenario_conn_find() - index of the connection named @name, or -1 */
int scenario_conn_find(const struct scenario *s, const char *name);

/* step_kind_name() - "listen", "connect", ... */
const char *step_kind_name(enum step_kind k);

#endif
