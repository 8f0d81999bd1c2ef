// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule.c - the neutral firewall rule model: names, flags, rendering (pure)
 *
 * Theory of operation: a struct rule says what a scenario asked for, in
 * terms that belong to no backend.  This module only turns it into text:
 *
 *  - rule_flags_format()/rule_flags_parse() translate TCP flag sets to and
 *    from the comma-separated upper-case names a scenario uses ("SYN,ACK"),
 *    in wire bit order;
 *  - rule_render_nft() writes the nft command a person would type to get
 *    the very rule the nftables backend installs (same matches, same
 *    statements, same order), so that a report, a kept lab and the
 *    backend's bytecode all tell the same story;
 *  - rule_render_ipt() does the same for the iptables backend: the
 *    iptables/ip6tables commands whose rules are the very entries the
 *    libiptc backend appends (an NFLOG command first when the rule logs);
 *  - rule_nflog_prefix() writes, and rule_nflog_prefix_parse() reads, the
 *    "tcplab:<id>" log prefix by which a logged packet names its rule;
 *  - rule_describe() writes a short neutral line for messages and logs.
 *
 * Both renderers follow snprintf(): they never write past @len, always
 * terminate the buffer when @len > 0, and return the length the whole text
 * needs, so a caller can size a buffer or detect truncation.
 */
#include "rule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/*
 * One TCP flag: its bit, the scenario's name and nft's name for it.
 * iptables uses the scenario's upper-case names.
 */
struct rule_flag_name {
	uint8_t bit;
	const char *name;
	const char *nft;
};

/* In wire bit order, which is also the order names are written in. */
static const struct rule_flag_name rule_flag_names[] = {
	{ RULE_TCP_FIN, "FIN", "fin" }, { RULE_TCP_SYN, "SYN", "syn" },
	{ RULE_TCP_RST, "RST", "rst" }, { RULE_TCP_PSH, "PSH", "psh" },
	{ RULE_TCP_ACK, "ACK", "ack" }, { RULE_TCP_URG, "URG", "urg" },
	{ RULE_TCP_ECE, "ECE", "ecn" }, { RULE_TCP_CWR, "CWR", "cwr" },
};

#define RULE_NFLAGS (sizeof(rule_flag_names) / sizeof(rule_flag_names[0]))

/**
 * rule_flags_format() - "SYN,ACK" for a flag set; "" for none
 * @flags:	TCP flag bits (RULE_TCP_*)
 * @buf:	destination
 * @len:	size of @buf
 *
 * Return: @buf, holding the names in wire bit order (truncated if short).
 */
const char *rule_flags_format(uint8_t flags, char *buf, size_t len)
{
	struct util_buf o;
	const char *sep = "";
	size_t i;

	util_buf_init(&o, buf, len);
	for (i = 0; i < RULE_NFLAGS; i++) {
		if (!(flags & rule_flag_names[i].bit))
			continue;
		util_buf_printf(&o, "%s%s", sep, rule_flag_names[i].name);
		sep = ",";
	}
	return buf;
}

/**
 * rule_flag_lookup() - the bits a single flag word stands for
 * @word:	start of the word (not terminated)
 * @n:		its length
 * @bits:	set to the bits on success
 *
 * Besides the eight flag names, "NONE" (no flag) and "ALL" (every flag) are
 * understood as in iptables' --tcp-flags, and "ECN" as nft's name for ECE.
 *
 * Return: 0, or -EINVAL for an unknown word.
 */
static int rule_flag_lookup(const char *word, size_t n, uint8_t *bits)
{
	size_t i;

	if (n == 4 && !strncasecmp(word, "NONE", n)) {
		*bits = 0;
		return 0;
	}
	if (n == 3 && !strncasecmp(word, "ALL", n)) {
		*bits = 0xff;
		return 0;
	}
	if (n == 3 && !strncasecmp(word, "ECN", n)) {
		*bits = RULE_TCP_ECE;
		return 0;
	}
	for (i = 0; i < RULE_NFLAGS; i++) {
		if (strlen(rule_flag_names[i].name) == n &&
		    !strncasecmp(word, rule_flag_names[i].name, n)) {
			*bits = rule_flag_names[i].bit;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * rule_flags_parse() - parse "SYN,ACK" (case-insensitive)
 * @s:		comma-separated flag names, blanks around a name allowed
 * @flags:	set to the union of the named bits on success
 *
 * An empty string, an empty element ("SYN,,ACK", a trailing comma) or an
 * unknown name is an error; *@flags is left untouched then.
 *
 * Return: 0, or -EINVAL.
 */
int rule_flags_parse(const char *s, uint8_t *flags)
{
	uint8_t acc = 0;
	const char *p = s;

	if (!s || !flags)
		return -EINVAL;
	for (;;) {
		const char *start, *end;
		uint8_t bits;

		while (isblank((unsigned char)*p))
			p++;
		start = p;
		while (*p && *p != ',' && !isblank((unsigned char)*p))
			p++;
		end = p;
		while (isblank((unsigned char)*p))
			p++;
		if (end == start || rule_flag_lookup(start, end - start, &bits))
			return -EINVAL;
		acc |= bits;
		if (!*p)
			break;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
	*flags = acc;
	return 0;
}

/**
 * rule_hook_name() - "input" or "output"
 * @h:		hook
 *
 * Return: a static name, "?" for a value outside the enum.
 */
const char *rule_hook_name(enum rule_hook h)
{
	switch (h) {
	case RULE_INPUT:
		return "input";
	case RULE_OUTPUT:
		return "output";
	case RULE_FORWARD:
		return "forward";
	}
	return "?";
}

/**
 * rule_action_name() - "drop", "reject-with-rst" or "accept"
 * @a:		action
 *
 * Return: a static name, "?" for a value outside the enum.
 */
const char *rule_action_name(enum rule_action a)
{
	switch (a) {
	case RULE_DROP:
		return "drop";
	case RULE_REJECT_RST:
		return "reject-with-rst";
	case RULE_ACCEPT:
		return "accept";
	case RULE_HOLD:
		return "hold";
	case RULE_REJECT_ICMP:
		return "reject-with-icmp";
	case RULE_IMPAIR:
		return "impair";
	}
	return "?";
}

/* Each ICMP answer: its name here and in nft (icmpx), iptables, ip6tables */
static const struct {
	const char *name, *nft, *ipt, *ip6t;
} icmps[] = {
	[RULE_ICMP_PORT] = { "port-unreachable", "port-unreachable",
			     "icmp-port-unreachable", "icmp6-port-unreachable" },
	[RULE_ICMP_HOST] = { "host-unreachable", "host-unreachable",
			     "icmp-host-unreachable", "icmp6-addr-unreachable" },
	[RULE_ICMP_NET] = { "net-unreachable", "no-route",
			    "icmp-net-unreachable", "icmp6-no-route" },
	[RULE_ICMP_ADMIN] = { "admin-prohibited", "admin-prohibited",
			      "icmp-admin-prohibited", "icmp6-adm-prohibited" },
};

int rule_icmp_parse(const char *name)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(icmps); i++)
		if (!strcmp(icmps[i].name, name))
			return (int)i;
	return 0;
}

const char *rule_icmp_name(enum rule_icmp i)
{
	if ((unsigned)i == 0 || (unsigned)i >= ARRAY_SIZE(icmps))
		return "?";
	return icmps[i].name;
}

int rule_queued(const struct rule *r)
{
	return r->action == RULE_HOLD || r->action == RULE_IMPAIR;
}

const char *rule_pct_format(uint32_t ppm, char *buf, size_t len)
{
	uint32_t whole = ppm / 10000, frac = ppm % 10000;
	int digits = 4;

	if (!frac) {
		snprintf(buf, len, "%u%%", whole);
		return buf;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, len, "%u.%0*u%%", whole, digits, frac);
	return buf;
}

const char *rule_rate_format(uint64_t bps, char *buf, size_t len)
{
	static const struct {
		const char *unit;
		uint64_t per;
	} units[] = { { "gbit", 1000000000ULL }, { "mbit", 1000000ULL },
		      { "kbit", 1000ULL } };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (bps >= units[i].per && bps % units[i].per == 0) {
			snprintf(buf, len, "%llu%s",
				 (unsigned long long)(bps / units[i].per),
				 units[i].unit);
			return buf;
		}
	snprintf(buf, len, "%llubit", (unsigned long long)bps);
	return buf;
}

int rule_impair_format(const struct rule_impair *m, char *buf, size_t len)
{
	struct util_buf o;
	const char *sep = "";
	char v[32];

	util_buf_init(&o, buf, len);
	if (m->delay_ns) {
		util_buf_printf(&o, "delay %s",
				util_fmt_duration(m->delay_ns, v, sizeof(v)));
		sep = " ";
	}
	if (m->loss_ppm) {
		util_buf_printf(&o, "%sloss %s", sep,
				rule_pct_format(m->loss_ppm, v, sizeof(v)));
		sep = " ";
	}
	if (m->dup_ppm) {
		util_buf_printf(&o, "%sduplicate %s", sep,
				rule_pct_format(m->dup_ppm, v, sizeof(v)));
		sep = " ";
	}
	if (m->reorder_ppm) {
		util_buf_printf(&o, "%sreorder %s", sep,
				rule_pct_format(m->reorder_ppm, v, sizeof(v)));
		sep = " ";
		if (m->reorder_after_ns &&
		    m->reorder_after_ns != RULE_IMPAIR_REORDER_AFTER_NS)
			util_buf_printf(&o, " after %s",
					util_fmt_duration(m->reorder_after_ns, v,
							  sizeof(v)));
	}
	if (m->rate_bps) {
		util_buf_printf(&o, "%srate %s", sep,
				rule_rate_format(m->rate_bps, v, sizeof(v)));
		sep = " ";
	}
	if (m->loss_ppm || m->dup_ppm || m->reorder_ppm)
		util_buf_printf(&o, "%sseed %u", sep, m->seed);
	return util_buf_done(&o);
}

int rule_logged(const struct rule *r)
{
	return r->action == RULE_DROP || r->action == RULE_REJECT_RST ||
	       r->action == RULE_REJECT_ICMP;
}

/**
 * rule_nft_flags() - append a flag set in nft syntax: "syn", "syn|ack"
 * @o:		output state
 * @flags:	the bits
 * @paren:	wrap a set of more than one flag in parentheses
 *
 * A set with no flag is written "0x0", as nft itself lists it.
 */
static void rule_nft_flags(struct util_buf *o, uint8_t flags, int paren)
{
	int many = flags & (flags - 1);
	const char *sep = "";
	size_t i;

	if (!flags) {
		util_buf_printf(o, "0x0");
		return;
	}
	if (many && paren)
		util_buf_printf(o, "(");
	for (i = 0; i < RULE_NFLAGS; i++) {
		if (!(flags & rule_flag_names[i].bit))
			continue;
		util_buf_printf(o, "%s%s", sep, rule_flag_names[i].nft);
		sep = "|";
	}
	if (many && paren)
		util_buf_printf(o, ")");
}

/**
 * rule_render_nft() - the nft command a person would type for @r
 * @r:		the rule
 * @table:	table name in family inet; NULL means "tcplab"
 * @buf:	destination
 * @len:	size of @buf
 *
 * The matches come in the order the nftables backend emits them: protocol
 * family, TCP (implicit in "tcp sport/dport/flags", explicit as "meta
 * l4proto tcp" when nothing else names TCP), ports, flags; then "counter",
 * 'log prefix "tcplab:ID" group N' when the rule logs to NFLOG, and the
 * verdict.
 *
 * Return: the length the whole command needs, like snprintf().
 */
int rule_render_nft(const struct rule *r, const char *table, char *buf,
		    size_t len)
{
	struct util_buf o;
	int tcp_named = 0;

	util_buf_init(&o, buf, len);
	util_buf_printf(&o, "nft add rule inet %s %s", table ? table : "tcplab",
			rule_hook_name(r->hook));
	if (r->family == 4)
		util_buf_printf(&o, " meta nfproto ipv4");
	else if (r->family == 6)
		util_buf_printf(&o, " meta nfproto ipv6");
	if (r->ct_invalid)
		util_buf_printf(&o, " ct state invalid");
	if (r->sport) {
		util_buf_printf(&o, " tcp sport %u", r->sport);
		tcp_named = 1;
	}
	if (r->dport) {
		util_buf_printf(&o, " tcp dport %u", r->dport);
		tcp_named = 1;
	}
	if (r->flags_mask == 0xff) {
		util_buf_printf(&o, " tcp flags == ");
		rule_nft_flags(&o, r->flags_set, 0);
		tcp_named = 1;
	} else if (r->flags_mask) {
		util_buf_printf(&o, " tcp flags & ");
		rule_nft_flags(&o, r->flags_mask, 1);
		util_buf_printf(&o, " == ");
		rule_nft_flags(&o, r->flags_set, 0);
		tcp_named = 1;
	}
	if (!tcp_named)
		util_buf_printf(&o, " meta l4proto tcp");
	util_buf_printf(&o, " counter");
	if (r->nflog_group)
		util_buf_printf(&o, " log prefix \"%s%u\" group %d",
				RULE_NFLOG_PREFIX, r->id, r->nflog_group);
	switch (r->action) {
	case RULE_DROP:
		util_buf_printf(&o, " drop");
		break;
	case RULE_REJECT_RST:
		util_buf_printf(&o, " reject with tcp reset");
		break;
	case RULE_REJECT_ICMP:
		util_buf_printf(&o, " reject with icmpx type %s",
				icmps[r->icmp >= RULE_ICMP_PORT &&
				      r->icmp <= RULE_ICMP_ADMIN ? r->icmp
								 : RULE_ICMP_PORT].nft);
		break;
	case RULE_ACCEPT:
		util_buf_printf(&o, " accept");
		break;
	case RULE_HOLD:
	case RULE_IMPAIR:
		util_buf_printf(&o, " queue num %u bypass", r->id);
		break;
	default:
		util_buf_printf(&o, " ?");
		break;
	}
	return util_buf_done(&o);
}

/**
 * rule_nflog_prefix() - the NFLOG prefix that names @r: "tcplab:3"
 * @r:		the rule
 * @buf:	destination
 * @len:	its size
 *
 * Return: the length the whole prefix needs, like snprintf().
 */
int rule_nflog_prefix(const struct rule *r, char *buf, size_t len)
{
	struct util_buf o;

	util_buf_init(&o, buf, len);
	util_buf_printf(&o, "%s%u", RULE_NFLOG_PREFIX, r->id);
	return util_buf_done(&o);
}

/**
 * rule_nflog_prefix_parse() - the rule id a log prefix names
 * @prefix:	"tcplab:3", as the kernel logged it
 * @id:		set to the id on success
 *
 * Only the exact form rule_nflog_prefix() writes is accepted: the prefix,
 * then decimal digits (no sign, no blank, no leading zero) up to the end.
 *
 * Return: 0, or -EINVAL for a prefix that is not tcplab's.
 */
int rule_nflog_prefix_parse(const char *prefix, unsigned *id)
{
	size_t plen = strlen(RULE_NFLOG_PREFIX);
	unsigned long v = 0;
	const char *p;

	if (!prefix || strncmp(prefix, RULE_NFLOG_PREFIX, plen))
		return -EINVAL;
	p = prefix + plen;
	if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 0xffffffffUL)
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	*id = (unsigned)v;
	return 0;
}

/**
 * rule_ipt_flags() - append a flag set in iptables syntax: "SYN,ACK"
 * @o:		output state
 * @flags:	the bits
 *
 * A set with no flag is "NONE".  "ALL" is never written: iptables means
 * FIN ... URG by it, six flags, where a scenario's ALL is eight.  ECE and
 * CWR keep the scenario's names, which iptables 1.8 does not know (see
 * docs/firewall.md); the kernel's tcp match compares the whole byte.
 */
static void rule_ipt_flags(struct util_buf *o, uint8_t flags)
{
	const char *sep = "";
	size_t i;

	if (!flags) {
		util_buf_printf(o, "NONE");
		return;
	}
	for (i = 0; i < RULE_NFLAGS; i++) {
		if (!(flags & rule_flag_names[i].bit))
			continue;
		util_buf_printf(o, "%s%s", sep, rule_flag_names[i].name);
		sep = ",";
	}
}

/**
 * rule_ipt_line() - append one command: "iptables -A INPUT -p tcp ... -j X"
 * @o:		output state
 * @r:		the rule
 * @family:	4 (iptables) or 6 (ip6tables)
 * @nflog:	write the NFLOG command that logs for @r instead of @r's own
 */
static void rule_ipt_line(struct util_buf *o, const struct rule *r,
			  int family, int nflog)
{
	util_buf_printf(o, "%s -A %s -p tcp",
			family == 6 ? "ip6tables" : "iptables",
			r->hook == RULE_OUTPUT ? "OUTPUT"
			: r->hook == RULE_FORWARD ? "FORWARD" : "INPUT");
	if (r->ct_invalid)
		util_buf_printf(o, " -m state --state INVALID");
	if (r->sport)
		util_buf_printf(o, " --sport %u", r->sport);
	if (r->dport)
		util_buf_printf(o, " --dport %u", r->dport);
	if (r->flags_mask) {
		util_buf_printf(o, " --tcp-flags ");
		rule_ipt_flags(o, r->flags_mask);
		util_buf_printf(o, " ");
		rule_ipt_flags(o, r->flags_set);
	}
	if (nflog) {
		util_buf_printf(o, " -j NFLOG --nflog-group %d --nflog-prefix %s%u",
				r->nflog_group, RULE_NFLOG_PREFIX, r->id);
		return;
	}
	switch (r->action) {
	case RULE_DROP:
		util_buf_printf(o, " -j DROP");
		break;
	case RULE_REJECT_RST:
		util_buf_printf(o, " -j REJECT --reject-with tcp-reset");
		break;
	case RULE_REJECT_ICMP: {
		enum rule_icmp i = r->icmp >= RULE_ICMP_PORT &&
				   r->icmp <= RULE_ICMP_ADMIN ? r->icmp : RULE_ICMP_PORT;

		util_buf_printf(o, " -j REJECT --reject-with %s",
				family == 6 ? icmps[i].ip6t : icmps[i].ipt);
		break;
	}
	case RULE_ACCEPT:
		util_buf_printf(o, " -j ACCEPT");
		break;
	case RULE_HOLD:
	case RULE_IMPAIR:
		util_buf_printf(o, " -j NFQUEUE --queue-num %u --queue-bypass", r->id);
		break;
	default:
		util_buf_printf(o, " -j ?");
		break;
	}
}

/**
 * rule_render_ipt() - the iptables command(s) a person would type for @r
 * @r:		the rule
 * @which:	which of iptables and ip6tables (enum rule_ipt_which)
 * @buf:	destination
 * @len:	size of @buf
 *
 * The options come in the order iptables-save lists them (protocol, ports,
 * flags, target) but without the "-m tcp" that "-p tcp" loads by itself.
 * With an NFLOG group the NFLOG command, with the same matches, comes just
 * before the rule's own, as the backend appends them.  For RULE_IPT_ALL
 * and a rule of both families, the iptables commands come first.  Asked
 * for a family the rule does not cover, the text is "".
 *
 * Return: the length the whole text needs, like snprintf().
 */
int rule_render_ipt(const struct rule *r, enum rule_ipt_which which,
		    char *buf, size_t len)
{
	int fams[2], nf = 0, i;
	const char *sep = "";
	struct util_buf o;

	util_buf_init(&o, buf, len);
	switch (which) {
	case RULE_IPT_AUTO:
		fams[nf++] = r->family == 6 ? 6 : 4;
		break;
	case RULE_IPT_4:
	case RULE_IPT_6:
		if (r->family != (which == RULE_IPT_4 ? 6 : 4))
			fams[nf++] = which == RULE_IPT_4 ? 4 : 6;
		break;
	case RULE_IPT_ALL:
		if (r->family != 6)
			fams[nf++] = 4;
		if (r->family != 4)
			fams[nf++] = 6;
		break;
	}
	for (i = 0; i < nf; i++) {
		if (r->nflog_group) {
			util_buf_printf(&o, "%s", sep);
			rule_ipt_line(&o, r, fams[i], 1);
			sep = "\n";
		}
		util_buf_printf(&o, "%s", sep);
		rule_ipt_line(&o, r, fams[i], 0);
		sep = "\n";
	}
	return util_buf_done(&o);
}

/**
 * rule_describe() - a short neutral description of @r
 * @r:		the rule
 * @buf:	destination
 * @len:	size of @buf
 *
 * Example: "input tcp dport 80 flags SYN drop".  Flags are written as the
 * set alone when the mask is the default (FIN,SYN,RST,ACK), else as
 * "SET/MASK" ("flags SYN,ACK/SYN,ACK", "flags NONE/ALL").  An IPv4-only or
 * IPv6-only rule says "ipv4"/"ipv6" after the hook.  NFLOG logging is the
 * lab's business, not the scenario's, and is left out.
 *
 * Return: the length the whole text needs, like snprintf().
 */
int rule_describe(const struct rule *r, char *buf, size_t len)
{
	char set[40], mask[40];
	struct util_buf o;

	util_buf_init(&o, buf, len);
	util_buf_printf(&o, "%s", rule_hook_name(r->hook));
	if (r->family == 4 || r->family == 6)
		util_buf_printf(&o, " ipv%d", r->family);
	util_buf_printf(&o, " tcp");
	if (r->ct_invalid)
		util_buf_printf(&o, " ct invalid");
	if (r->sport)
		util_buf_printf(&o, " sport %u", r->sport);
	if (r->dport)
		util_buf_printf(&o, " dport %u", r->dport);
	if (r->flags_mask) {
		rule_flags_format(r->flags_set, set, sizeof(set));
		util_buf_printf(&o, " flags %s", set[0] ? set : "NONE");
		if (r->flags_mask != RULE_TCP_MASK_DEFAULT) {
			if (r->flags_mask == 0xff)
				snprintf(mask, sizeof(mask), "ALL");
			else
				rule_flags_format(r->flags_mask, mask,
						  sizeof(mask));
			util_buf_printf(&o, "/%s", mask);
		}
	}
	if (r->action == RULE_REJECT_ICMP) {
		util_buf_printf(&o, " reject icmp %s", rule_icmp_name(r->icmp));
	} else if (r->action == RULE_IMPAIR) {
		char imp[128];

		rule_impair_format(&r->imp, imp, sizeof(imp));
		util_buf_printf(&o, " impair %s via nfqueue", imp);
	} else
		util_buf_printf(&o, " %s", rule_action_name(r->action));
	return util_buf_done(&o);
}

/**
 * rule_where() - "rule at FILE:LINE (DESCRIPTION)" for messages
 * @r:		the rule
 * @buf:	destination
 * @len:	its size
 *
 * Return: @buf.
 */
const char *rule_where(const struct rule *r, char *buf, size_t len)
{
	char desc[160];
	int n;

	rule_describe(r, desc, sizeof(desc));
	if (r->loc.file)
		n = snprintf(buf, len, "rule at %s:%d", r->loc.file,
			     r->loc.line);
	else
		n = snprintf(buf, len, "rule %u", r->id);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s)", desc);
	return buf;
}

/**
 * rule_check() - can the backends express @r at all?
 * @r:		the rule
 *
 * Return: 0, or -EINVAL for a hook, family, action or NFLOG group that
 * is out of range.
 */
int rule_check(const struct rule *r)
{
	if (r->hook != RULE_INPUT && r->hook != RULE_OUTPUT &&
	    r->hook != RULE_FORWARD)
		return -EINVAL;
	if (r->family != 0 && r->family != 4 && r->family != 6)
		return -EINVAL;
	if (r->action != RULE_DROP && r->action != RULE_REJECT_RST &&
	    r->action != RULE_ACCEPT && r->action != RULE_HOLD &&
	    r->action != RULE_REJECT_ICMP && r->action != RULE_IMPAIR)
		return -EINVAL;
	if (r->action == RULE_IMPAIR &&
	    (r->imp.delay_ns > RULE_IMPAIR_DELAY_MAX_NS ||
	     r->imp.loss_ppm > RULE_PPM || r->imp.dup_ppm > RULE_PPM ||
	     r->imp.reorder_ppm > RULE_PPM ||
	     r->imp.reorder_after_ns > RULE_IMPAIR_DELAY_MAX_NS ||
	     (r->imp.rate_bps && (r->imp.rate_bps < RULE_IMPAIR_RATE_MIN_BPS ||
				  r->imp.rate_bps > RULE_IMPAIR_RATE_MAX_BPS)) ||
	     !(r->imp.delay_ns || r->imp.loss_ppm || r->imp.dup_ppm ||
	       r->imp.reorder_ppm || r->imp.rate_bps)))
		return -EINVAL;
	if (r->action == RULE_REJECT_ICMP &&
	    (r->icmp < RULE_ICMP_PORT || r->icmp > RULE_ICMP_ADMIN))
		return -EINVAL;
	if (r->nflog_group < 0 || r->nflog_group > 0xffff)
		return -EINVAL;
	return 0;
}
