/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rule.h - the neutral firewall rule model (pure)
 *
 * A scenario writes each firewall rule once, in terms a person thinks in:
 * on which node, at which hook (packets coming in or going out), which TCP
 * ports and flags, and what to do.  Backends (nftables, iptables) render the
 * same struct into their own objects; rule_render_nft() and
 * rule_render_ipt() render the text a person would type, used for display
 * and golden tests.
 *
 * TCP flags follow iptables' --tcp-flags MASK COMP semantics: a packet
 * matches when (flags & mask) == set.  A mask of 0 matches every packet.
 */
#ifndef TCPLAB_RULE_H
#define TCPLAB_RULE_H

/* The table (nftables) or chain prefix (iptables) every lab rule lives in */
#define RULE_TABLE_NAME "tcplab"

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum rule_hook {
	RULE_INPUT,
	RULE_OUTPUT,
	RULE_FORWARD,    /* packets a router passes on */
};

enum rule_action {
	RULE_DROP,
	RULE_REJECT_RST, /* answer with a TCP reset */
	RULE_ACCEPT,
	RULE_HOLD,       /* queue (NFQUEUE num = rule id, bypass) until released */
	RULE_REJECT_ICMP, /* answer with an ICMP destination unreachable
			     (rule.icmp: which one) */
	RULE_IMPAIR,     /* queue (NFQUEUE num = rule id, bypass); each packet's
			    verdict is given in userspace, on time, as
			    rule.imp says (impair.h) */
};

/*
 * An impairment of one direction (the "impair SRC->DST" directive): what
 * happens to the segments DST receives from SRC.  Zero means "not asked".
 */
struct rule_impair {
	int src;              /* the node the segments come from */
	uint64_t delay_ns;    /* each segment waits this long */
	uint32_t loss_ppm;    /* dropped with this chance (parts per million) */
	uint32_t dup_ppm;     /* a copy follows it with this chance */
	uint32_t reorder_ppm; /* held until the next one has passed, with
				 this chance */
	uint64_t reorder_after_ns; /* ... or until this long has passed,
				 whichever is first (0: the default) */
	uint64_t rate_bps;    /* bits per second of a link they queue for */
	uint32_t seed;        /* of the pseudo-random draws (loss, dup,
				 reorder) */
};

/* The ceiling of each impairment, checked at parse time */
#define RULE_IMPAIR_DELAY_MAX_NS (10ULL * 1000 * 1000 * 1000)
#define RULE_IMPAIR_RATE_MIN_BPS 1000ULL
#define RULE_IMPAIR_RATE_MAX_BPS (10ULL * 1000 * 1000 * 1000)
#define RULE_PPM 1000000u
/* A segment held for reordering goes alone after this long by default:
 * less than the 200 ms minimum RTO, so that its sender does not time out
 * waiting for a segment that never came after it */
#define RULE_IMPAIR_REORDER_AFTER_NS (100ULL * 1000 * 1000)

/* The ICMP (ICMPv6) answers of RULE_REJECT_ICMP */
enum rule_icmp {
	RULE_ICMP_PORT = 1, /* port unreachable (ICMPv6 port unreachable) */
	RULE_ICMP_HOST,     /* host unreachable (ICMPv6 address unreachable) */
	RULE_ICMP_NET,      /* net unreachable (ICMPv6 no route) */
	RULE_ICMP_ADMIN,    /* administratively prohibited (both) */
};

/* TCP header flag bits, as on the wire */
enum {
	RULE_TCP_FIN = 0x01,
	RULE_TCP_SYN = 0x02,
	RULE_TCP_RST = 0x04,
	RULE_TCP_PSH = 0x08,
	RULE_TCP_ACK = 0x10,
	RULE_TCP_URG = 0x20,
	RULE_TCP_ECE = 0x40,
	RULE_TCP_CWR = 0x80,
};

/* The default mask for "flags SYN": the four flags that define a segment */
#define RULE_TCP_MASK_DEFAULT \
	(RULE_TCP_FIN | RULE_TCP_SYN | RULE_TCP_RST | RULE_TCP_ACK)

struct rule {
	unsigned id;            /* 1-based, in scenario order */
	int node;               /* index of the node it is installed on */
	enum rule_hook hook;
	int family;             /* 0: both, 4: IPv4 only, 6: IPv6 only */
	uint16_t sport, dport;  /* 0: any */
	uint8_t flags_mask;     /* 0: any flags */
	uint8_t flags_set;
	enum rule_action action;
	enum rule_icmp icmp;    /* RULE_REJECT_ICMP: which answer */
	int nflog_group;        /* 0: no logging; else NFLOG group */
	int ct_invalid;         /* match only what connection tracking calls
				   invalid (a segment of no connection it
				   knows) */
	struct rule_impair imp; /* RULE_IMPAIR: what happens to each packet */
	struct loc loc;         /* where the scenario declared it */
};

/* rule_flags_format() - "SYN,ACK" for a flag set; "" for none */
const char *rule_flags_format(uint8_t flags, char *buf, size_t len);

/* rule_flags_parse() - parse "SYN,ACK" (case-insensitive); -EINVAL if bad */
int rule_flags_parse(const char *s, uint8_t *flags) WUR;

/* rule_icmp_parse() - "port-unreachable" ... to an enum rule_icmp, 0 if none */
int rule_icmp_parse(const char *name);

/* rule_icmp_name() - "port-unreachable" ... ; "?" */
const char *rule_icmp_name(enum rule_icmp i);

/* rule_queued() - @r sends its packets to an NFQUEUE queue (hold, impair) */
int rule_queued(const struct rule *r);

/*
 * rule_impair_format() - "delay 50ms loss 20% seed 7", the impairment as
 * a scenario writes it; snprintf semantics
 */
int rule_impair_format(const struct rule_impair *m, char *buf, size_t len);

/* rule_pct_format() - parts per million as a percentage: "20%", "0.5%" */
const char *rule_pct_format(uint32_t ppm, char *buf, size_t len);

/* rule_rate_format() - bits per second: "100kbit", "1500bit", "2mbit" */
const char *rule_rate_format(uint64_t bps, char *buf, size_t len);

/* rule_logged() - @r's matches are logged (NFLOG): a drop or a reject */
int rule_logged(const struct rule *r);

/* rule_hook_name(), rule_action_name() - "input", "drop" ... */
const char *rule_hook_name(enum rule_hook h);
const char *rule_action_name(enum rule_action a);

/*
 * rule_render_nft() - the nft command a person would type for @r, e.g.
 * "nft add rule inet tcplab input tcp dport 80 tcp flags & (fin|syn|rst|ack)
 *  == syn counter drop".  Returns the length that was needed, like snprintf.
 */
int rule_render_nft(const struct rule *r, const char *table, char *buf,
		    size_t len);

/*
 * Drop attribution: a rule with an NFLOG group logs each packet it matches
 * with the prefix "tcplab:<id>", in both backends, so that the drop listener
 * (nflog.c) can tell which scenario rule a logged packet belongs to.
 */
#define RULE_NFLOG_PREFIX "tcplab:"

/* rule_nflog_prefix() - "tcplab:3" for rule 3; snprintf semantics */
int rule_nflog_prefix(const struct rule *r, char *buf, size_t len);

/* rule_nflog_prefix_parse() - the rule id in "tcplab:3"; -EINVAL if not ours */
int rule_nflog_prefix_parse(const char *prefix, unsigned *id) WUR;

/* Which commands rule_render_ipt() writes */
enum rule_ipt_which {
	RULE_IPT_AUTO, /* iptables, or ip6tables for an IPv6-only rule */
	RULE_IPT_4,    /* iptables only ("" for an IPv6-only rule) */
	RULE_IPT_6,    /* ip6tables only ("" for an IPv4-only rule) */
	RULE_IPT_ALL,  /* every command the backend runs: both for family 0 */
};

/*
 * rule_render_ipt() - the iptables command(s) a person would type for @r,
 * e.g. "iptables -A INPUT -p tcp --dport 80 --tcp-flags FIN,SYN,RST,ACK SYN
 * -j DROP"; with an NFLOG group, the NFLOG command comes first, on a line of
 * its own.  Lines are separated by '\n', with none after the last.
 * Returns the length that was needed, like snprintf.
 */
int rule_render_ipt(const struct rule *r, enum rule_ipt_which which,
		    char *buf, size_t len);

/* rule_check() - 0 if every backend can express @r (hook, family, action,
 * NFLOG group in range), else -EINVAL */
int rule_check(const struct rule *r) WUR;

/* rule_where() - "rule at FILE:LINE (DESCRIPTION)" for messages; @buf */
const char *rule_where(const struct rule *r, char *buf, size_t len);

/* rule_describe() - a short neutral description: "input tcp dport 80 flags SYN drop" */
int rule_describe(const struct rule *r, char *buf, size_t len);

#endif
