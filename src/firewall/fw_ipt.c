// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fw_ipt.c - the iptables backend, over libiptc (libip4tc and libip6tc)
 *
 * Theory of operation
 *
 * Rules go into the built-in INPUT and OUTPUT chains of table filter of the
 * legacy x_tables ("iptables-legacy"), in the node's namespace: exactly
 * where the seeds' "iptables -A INPUT ... -j DROP" puts them, so that the
 * text rule_render_ipt() shows is the command that gives the same rule, and
 * iptables-legacy-save in the lab lists nothing else.  The namespace is the
 * lab's own, so tcplab owns those chains there: fw_open() flushes them,
 * as the nftables backend flushes its table.  A rule of family 0 goes into
 * both the ip and ip6 tables, a rule of family 4 or 6 into one.
 *
 * The module is split in two halves:
 *
 *  - a pure half that builds.  fw_ipt_entry_build() lays one rule out as
 *    an x_tables entry, the bytes iptables itself would hand to libiptc:
 *
 *	struct ipt_entry / ip6t_entry	proto tcp (IP6T_F_PROTO for IPv6)
 *	[xt_entry_match "tcp"]		struct xt_tcp: port ranges (a port
 *					or 0:65535), flg_mask, flg_cmp; left
 *					out when the rule has no port and no
 *					flag, like "-p tcp" alone
 *	 xt_entry_target		"DROP"/"ACCEPT" (libiptc turns the
 *					names into standard verdicts),
 *					"REJECT" with tcp-reset, or "NFLOG"
 *					(group, prefix "tcplab:<id>")
 *
 *    A rule with an NFLOG group gets two entries, its NFLOG entry with the
 *    same match first, then its own; fw_ipt_entries_build() lists a whole
 *    table's worth.  fw_ipt_entry_format() reads the bytes back as
 *    iptables-save lines, for golden tests against the kernel's listing.
 *
 *  - a thin kernel half.  libip4tc and libip6tc are loaded with dlopen()
 *    when the first session starts, not at start-up (most commands never
 *    touch iptables, and every shared object mapped at start costs each
 *    of them), and called through a table of the functions used here.
 *    libiptc talks to the kernel through a raw socket
 *    that iptc_init() creates in the namespace of the calling thread, and
 *    keeps until iptc_free().  So each session (init, flush/append, one
 *    commit, free) runs between netns_enter() and netns_leave(): the
 *    thread is in the lab's namespace only for that long.  libiptc keeps
 *    global state (the context of its last error, for iptc_strerror()), so
 *    sessions are serialised by one lock.  One commit per table per change:
 *    x_tables replaces a table as a whole, all or nothing, but the ip and
 *    ip6 tables are two commits - every entry of both is built before
 *    either is sent, and if the kernel refused the second after taking the
 *    first, the first stays (the lab is torn down on such an error).
 *
 * Errors: libiptc returns 0 (or NULL) for failure and leaves errno; this is
 * converted once, here, to -errno with iptc_strerror()'s text.  The kernel
 * says only "EINVAL" or "ENOENT" for a refused table, never which entry it
 * refused: to name the rule (file:line and description), the entries are
 * tried one by one in a throwaway namespace (fw_ipt_blame()), only on that
 * failure path.  A missing kernel feature (ip_tables, ip6_tables, the tcp
 * match, REJECT, NFLOG) or privilege is an environment error, exit class 3;
 * fw_ipt_probe() finds out the same way before a lab is built.
 */
#include "fw_ipt.h"

#include <netinet/in.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libiptc/libip6tc.h>
#include <libiptc/libiptc.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_NFLOG.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <linux/netfilter/xt_state.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter_ipv4/ipt_REJECT.h>
#include <linux/netfilter_ipv6/ip6t_REJECT.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

#define FW_IPT_TABLE "filter"

/*
 * struct fw_ipt - one iptables backend instance
 * @base:	dispatch header, first so that fw.c can find the backend
 * @nsfd:	our own descriptor of the node's namespace
 */
struct fw_ipt {
	struct fw base;
	int nsfd;
};

/**
 * fw_ipt_of() - the instance behind a generic handle
 * @fw:		handle returned by fw_ipt_open()
 *
 * Return: the containing instance.
 */
static struct fw_ipt *fw_ipt_of(struct fw *fw)
{
	return (struct fw_ipt *)fw;
}

/* -------------------------------------------------------------------- */
/* Pure half: entries                                                     */
/* -------------------------------------------------------------------- */

/*
 * TCP flags iptables has no names for: ECE and CWR.  The kernel's tcp match
 * would compare them, but iptables-save cannot list such a rule (1.8.9
 * crashes on it), so a lab built with them could not be looked at with
 * the seeds' tools.  Such rules are refused; nftables takes them.
 */
#define FW_IPT_FLAGS_UNNAMED (RULE_TCP_ECE | RULE_TCP_CWR)

#define FW_IPT_MATCH_SIZE \
	(XT_ALIGN(sizeof(struct xt_entry_match)) + XT_ALIGN(sizeof(struct xt_tcp)))
#define FW_IPT_STATE_SIZE \
	(XT_ALIGN(sizeof(struct xt_entry_match)) + \
	 XT_ALIGN(sizeof(struct xt_state_info)))
#define FW_IPT_TARGET_SIZE(payload) \
	(XT_ALIGN(sizeof(struct xt_entry_target)) + XT_ALIGN(payload))

/*
 * struct fw_ipt_hdr - the fields of an ipt_entry or ip6t_entry that are
 * laid out differently in the two, by address
 */
struct fw_ipt_hdr {
	uint16_t *target_offset;
	uint16_t *next_offset;
	unsigned char *elems;
	size_t size;
};

/**
 * fw_ipt_hdr() - find the header fields of the entry at @e
 * @family:	4 or 6
 * @e:		the entry
 * @h:		filled in
 */
static void fw_ipt_hdr(int family, void *e, struct fw_ipt_hdr *h)
{
	if (family == 6) {
		struct ip6t_entry *x = e;

		h->target_offset = &x->target_offset;
		h->next_offset = &x->next_offset;
		h->elems = x->elems;
		h->size = sizeof(*x);
	} else {
		struct ipt_entry *x = e;

		h->target_offset = &x->target_offset;
		h->next_offset = &x->next_offset;
		h->elems = x->elems;
		h->size = sizeof(*x);
	}
}

/**
 * fw_ipt_target_size() - bytes of the target an entry for @r ends with
 * @r:		the rule
 * @family:	4 or 6
 * @nflog:	the NFLOG entry rather than the rule's own
 *
 * Return: the aligned size of struct xt_entry_target and its data.
 */
static size_t fw_ipt_target_size(const struct rule *r, int family, int nflog)
{
	if (nflog)
		return FW_IPT_TARGET_SIZE(sizeof(struct xt_nflog_info));
	if (rule_queued(r))
		return FW_IPT_TARGET_SIZE(sizeof(struct xt_NFQ_info_v3));
	if (r->action == RULE_REJECT_RST || r->action == RULE_REJECT_ICMP)
		return FW_IPT_TARGET_SIZE(family == 6 ?
						  sizeof(struct ip6t_reject_info) :
						  sizeof(struct ipt_reject_info));
	return XT_ALIGN(sizeof(struct xt_standard_target));
}

/* The REJECT target's answer for each enum rule_icmp, IPv4 and IPv6 */
static const unsigned fw_ipt_icmp4[] = {
	[0] = IPT_ICMP_PORT_UNREACHABLE,
	[RULE_ICMP_PORT] = IPT_ICMP_PORT_UNREACHABLE,
	[RULE_ICMP_HOST] = IPT_ICMP_HOST_UNREACHABLE,
	[RULE_ICMP_NET] = IPT_ICMP_NET_UNREACHABLE,
	[RULE_ICMP_ADMIN] = IPT_ICMP_ADMIN_PROHIBITED,
};
static const unsigned fw_ipt_icmp6[] = {
	[0] = IP6T_ICMP6_PORT_UNREACH,
	[RULE_ICMP_PORT] = IP6T_ICMP6_PORT_UNREACH,
	[RULE_ICMP_HOST] = IP6T_ICMP6_ADDR_UNREACH,
	[RULE_ICMP_NET] = IP6T_ICMP6_NO_ROUTE,
	[RULE_ICMP_ADMIN] = IP6T_ICMP6_ADM_PROHIBITED,
};

/**
 * fw_ipt_target_fill() - write the target of an entry for @r
 * @t:		the target, zeroed, of fw_ipt_target_size() bytes
 * @size:	that size
 * @r:		the rule
 * @family:	4 or 6
 * @nflog:	the NFLOG entry rather than the rule's own
 */
static void fw_ipt_target_fill(struct xt_entry_target *t, size_t size,
			       const struct rule *r, int family, int nflog)
{
	const char *name;

	t->u.user.target_size = (uint16_t)size;
	t->u.user.revision = 0;
	if (nflog) {
		struct xt_nflog_info *info = (void *)t->data;

		name = "NFLOG";
		info->group = (uint16_t)r->nflog_group;
		info->threshold = XT_NFLOG_DEFAULT_THRESHOLD;
		rule_nflog_prefix(r, info->prefix, sizeof(info->prefix));
	} else if (rule_queued(r)) {
		struct xt_NFQ_info_v3 *info = (void *)t->data;

		name = "NFQUEUE";
		t->u.user.revision = 3;
		info->queuenum = (uint16_t)r->id;
		info->queues_total = 1;
		info->flags = NFQ_FLAG_BYPASS;
	} else if (r->action == RULE_REJECT_RST) {
		name = "REJECT";
		if (family == 6)
			((struct ip6t_reject_info *)t->data)->with =
				IP6T_TCP_RESET;
		else
			((struct ipt_reject_info *)t->data)->with =
				IPT_TCP_RESET;
	} else if (r->action == RULE_REJECT_ICMP) {
		name = "REJECT";
		if (family == 6)
			((struct ip6t_reject_info *)t->data)->with =
				fw_ipt_icmp6[r->icmp <= RULE_ICMP_ADMIN ? r->icmp : 0];
		else
			((struct ipt_reject_info *)t->data)->with =
				fw_ipt_icmp4[r->icmp <= RULE_ICMP_ADMIN ? r->icmp : 0];
	} else {
		/* libiptc maps these names to standard verdicts */
		name = r->action == RULE_DROP ? IPTC_LABEL_DROP :
						IPTC_LABEL_ACCEPT;
	}
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", name);
}

/**
 * fw_ipt_tcp_fill() - write the "tcp" match for @r
 * @m:		the match, zeroed, of FW_IPT_MATCH_SIZE bytes
 * @r:		the rule
 *
 * A port of 0 (any) is the range 0:65535, as iptables writes a missing
 * --sport; flags are compared as the kernel does, (flags & mask) == cmp.
 */
static void fw_ipt_tcp_fill(struct xt_entry_match *m, const struct rule *r)
{
	struct xt_tcp *tcp = (void *)m->data;

	m->u.user.match_size = FW_IPT_MATCH_SIZE;
	m->u.user.revision = 0;
	snprintf(m->u.user.name, sizeof(m->u.user.name), "tcp");
	tcp->spts[0] = r->sport;
	tcp->spts[1] = r->sport ? r->sport : 0xffff;
	tcp->dpts[0] = r->dport;
	tcp->dpts[1] = r->dport ? r->dport : 0xffff;
	tcp->flg_mask = r->flags_mask;
	tcp->flg_cmp = r->flags_set;
}

/**
 * fw_ipt_entry_build() - the entry for @r in the table of @family
 * @r:		the neutral rule
 * @family:	4 (struct ipt_entry) or 6 (struct ip6t_entry)
 * @nflog:	1 for the NFLOG entry logged before the rule's own
 * @out:	filled in on success (@out->rule is left 0)
 *
 * Return: 0, -EINVAL (a rule out of range, a family it does not cover,
 * an NFLOG entry for a rule that does not log), -EOPNOTSUPP (a flag
 * iptables cannot name, FW_IPT_FLAGS_UNNAMED), -ENOMEM.
 */
int fw_ipt_entry_build(const struct rule *r, int family, int nflog,
		       struct fw_ipt_entry *out)
{
	size_t match = 0, state, target, len;
	struct fw_ipt_hdr h;
	void *e;
	int ret;

	ret = rule_check(r);
	if (ret)
		return ret;
	if ((r->flags_mask | r->flags_set) & FW_IPT_FLAGS_UNNAMED)
		return -EOPNOTSUPP;
	if ((family != 4 && family != 6) ||
	    (r->family && r->family != family) || (nflog && !r->nflog_group))
		return -EINVAL;
	if (r->sport || r->dport || r->flags_mask)
		match = FW_IPT_MATCH_SIZE;
	state = r->ct_invalid ? FW_IPT_STATE_SIZE : 0;
	target = fw_ipt_target_size(r, family, nflog);
	len = (family == 6 ? sizeof(struct ip6t_entry) :
			     sizeof(struct ipt_entry)) +
	      state + match + target;
	e = calloc(1, len);
	if (!e)
		return -ENOMEM;
	fw_ipt_hdr(family, e, &h);
	if (family == 6) {
		struct ip6t_entry *x = e;

		x->ipv6.proto = IPPROTO_TCP;
		x->ipv6.flags = IP6T_F_PROTO;
	} else {
		((struct ipt_entry *)e)->ip.proto = IPPROTO_TCP;
	}
	*h.target_offset = (uint16_t)(h.size + state + match);
	*h.next_offset = (uint16_t)len;
	if (state) {
		struct xt_entry_match *m = (void *)h.elems;

		m->u.user.match_size = FW_IPT_STATE_SIZE;
		snprintf(m->u.user.name, sizeof(m->u.user.name), "state");
		((struct xt_state_info *)m->data)->statemask = XT_STATE_INVALID;
	}
	if (match)
		fw_ipt_tcp_fill((void *)(h.elems + state), r);
	fw_ipt_target_fill((void *)(h.elems + state + match), target, r,
			   family, nflog);

	memset(out, 0, sizeof(*out));
	out->family = family;
	out->chain = r->hook == RULE_OUTPUT ? "OUTPUT"
		     : r->hook == RULE_FORWARD ? "FORWARD" : "INPUT";
	out->nflog = nflog;
	out->len = len;
	out->e = e;
	return 0;
}

/**
 * fw_ipt_entry_free() - free an entry's bytes
 * @x:		the entry; zeroed afterwards
 */
void fw_ipt_entry_free(struct fw_ipt_entry *x)
{
	if (!x)
		return;
	free(x->e);
	memset(x, 0, sizeof(*x));
}

/**
 * fw_ipt_entries_free() - free an array of entries
 * @v:		the array (NULL is fine)
 * @n:		its length
 */
void fw_ipt_entries_free(struct fw_ipt_entry *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		fw_ipt_entry_free(&v[i]);
	free(v);
}

/**
 * fw_ipt_entries_build() - every entry one table gets for @rules, in order
 * @rules:	the rules
 * @n:		how many
 * @family:	4 or 6: rules of the other family only are skipped
 * @out:	set to a new array (NULL when empty)
 * @nout:	set to its length
 * @e:		names the rule that cannot be built, if any
 *
 * Return: 0, -EINVAL, -EOPNOTSUPP (a scenario error: ECE or CWR), -ENOMEM.
 */
int fw_ipt_entries_build(const struct rule *rules, size_t n, int family,
			 struct fw_ipt_entry **out, size_t *nout,
			 struct err *e)
{
	struct fw_ipt_entry *v = NULL;
	char where[256];
	size_t i, k = 0;
	int ret = 0, pass;

	*out = NULL;
	*nout = 0;
	if (family != 4 && family != 6)
		return err_set(e, -EINVAL, "iptables: no such family %d",
			       family);
	if (n) {
		v = calloc(2 * n, sizeof(*v));
		if (!v)
			return err_set(e, -ENOMEM, "iptables: out of memory");
	}
	for (i = 0; i < n; i++) {
		const struct rule *r = &rules[i];

		ret = rule_check(r);
		if (ret)
			goto fail;
		if (r->family && r->family != family)
			continue;
		for (pass = r->nflog_group ? 1 : 0; pass >= 0; pass--) {
			ret = fw_ipt_entry_build(r, family, pass, &v[k]);
			if (ret)
				goto fail;
			v[k++].rule = i;
		}
	}
	if (!k) {
		free(v);
		v = NULL;
	}
	*out = v;
	*nout = k;
	return 0;

fail:
	fw_ipt_entries_free(v, k);
	if (ret == -ENOMEM)
		return err_set(e, ret, "iptables: out of memory");
	if (ret == -EOPNOTSUPP) {
		rule_describe(&rules[i], where, sizeof(where));
		return err_at(e, ret, &rules[i].loc,
			      "the iptables backend cannot express \"%s\": "
			      "iptables has no names for the TCP flags ECE "
			      "and CWR (use the nftables backend)", where);
	}
	rule_where(&rules[i], where, sizeof(where));
	return err_set(e, ret, "cannot express %s for iptables: %s", where,
		       strerror(-ret));
}

/* The name iptables gives the REJECT answer @with of @family, or NULL */
static const char *fw_ipt_reject_name(int family, unsigned with)
{
	static const struct {
		unsigned v4, v6;
		const char *n4, *n6;
	} names[] = {
		{ IPT_TCP_RESET, IP6T_TCP_RESET, "tcp-reset", "tcp-reset" },
		{ IPT_ICMP_PORT_UNREACHABLE, IP6T_ICMP6_PORT_UNREACH,
		  "icmp-port-unreachable", "icmp6-port-unreachable" },
		{ IPT_ICMP_HOST_UNREACHABLE, IP6T_ICMP6_ADDR_UNREACH,
		  "icmp-host-unreachable", "icmp6-addr-unreachable" },
		{ IPT_ICMP_NET_UNREACHABLE, IP6T_ICMP6_NO_ROUTE,
		  "icmp-net-unreachable", "icmp6-no-route" },
		{ IPT_ICMP_ADMIN_PROHIBITED, IP6T_ICMP6_ADM_PROHIBITED,
		  "icmp-admin-prohibited", "icmp6-adm-prohibited" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (family == 6 ? with == names[i].v6 : with == names[i].v4)
			return family == 6 ? names[i].n6 : names[i].n4;
	return NULL;
}

/**
 * fw_ipt_flags_format() - a flag byte as iptables-save writes it
 * @o:		output state
 * @flags:	the byte
 *
 * "NONE" for no flag; ECE and CWR, which iptables has no names for, are
 * written with the scenario's names.
 */
static void fw_ipt_flags_format(struct util_buf *o, uint8_t flags)
{
	static const char *const names[8] = { "FIN", "SYN", "RST", "PSH",
					      "ACK", "URG", "ECE", "CWR" };
	const char *sep = "";
	int i;

	if (!flags)
		util_buf_printf(o, "NONE");
	for (i = 0; i < 8; i++) {
		if (!(flags & (1u << i)))
			continue;
		util_buf_printf(o, "%s%s", sep, names[i]);
		sep = ",";
	}
}

/**
 * fw_ipt_ports_format() - " --sport 80" or " --sport 1:2", or nothing
 * @o:		output state
 * @opt:	"--sport" or "--dport"
 * @pts:	the range
 * @inv:	the range is inverted
 */
static void fw_ipt_ports_format(struct util_buf *o, const char *opt,
				const uint16_t pts[2], int inv)
{
	if (pts[0] == 0 && pts[1] == 0xffff && !inv)
		return;
	util_buf_printf(o, "%s %s ", inv ? " !" : "", opt);
	if (pts[0] == pts[1])
		util_buf_printf(o, "%u", pts[0]);
	else
		util_buf_printf(o, "%u:%u", pts[0], pts[1]);
}

/**
 * fw_ipt_target_format() - " -j X ..." for a target
 * @o:		output state
 * @family:	4 or 6
 * @t:		the target
 * @size:	its size, from the entry (checked against the data read)
 */
static void fw_ipt_target_format(struct util_buf *o, int family,
				 const struct xt_entry_target *t, size_t size)
{
	const char *name = t->u.user.name;
	size_t data = size - sizeof(*t);

	if (!name[0]) { /* a standard target, as the kernel lists it */
		int v = data >= sizeof(int) ? *(const int *)t->data : 0;

		if (v == -NF_DROP - 1)
			name = IPTC_LABEL_DROP;
		else if (v == -NF_ACCEPT - 1)
			name = IPTC_LABEL_ACCEPT;
		else if (v == XT_RETURN)
			name = IPTC_LABEL_RETURN;
		else
			name = "?";
	}
	util_buf_printf(o, " -j %s", name);
	if (!strcmp(name, "REJECT") && data >= sizeof(uint32_t)) {
		uint32_t with = *(const uint32_t *)t->data;

		const char *wn = fw_ipt_reject_name(family, with);

		if (wn)
			util_buf_printf(o, " --reject-with %s", wn);
		else
			util_buf_printf(o, " --reject-with %u", with);
	} else if (!strcmp(name, "NFLOG") &&
		   data >= sizeof(struct xt_nflog_info)) {
		const struct xt_nflog_info *info = (const void *)t->data;

		if (info->prefix[0])
			util_buf_printf(o, " --nflog-prefix \"%.*s\"",
				      (int)sizeof(info->prefix), info->prefix);
		if (info->group)
			util_buf_printf(o, " --nflog-group %u", info->group);
		if (info->flags & XT_NFLOG_F_COPY_LEN)
			util_buf_printf(o, " --nflog-size %u", info->len);
		if (info->threshold != XT_NFLOG_DEFAULT_THRESHOLD)
			util_buf_printf(o, " --nflog-threshold %u",
				      info->threshold);
	}
}

/**
 * fw_ipt_entry_format() - an entry as iptables-save lists it
 * @x:		the entry
 * @buf:	destination
 * @len:	its size
 *
 * Only what this backend builds is decoded in full: the protocol, the
 * tcp match, the DROP/ACCEPT/REJECT/NFLOG targets.  Offsets are checked,
 * so that a damaged entry gives "?" rather than a read out of bounds.
 *
 * Return: the length the whole text needs, like snprintf().
 */
int fw_ipt_entry_format(const struct fw_ipt_entry *x, char *buf, size_t len)
{
	struct util_buf o;
	struct fw_ipt_hdr h;
	unsigned proto;
	size_t off, toff, next;

	util_buf_init(&o, buf, len);
	fw_ipt_hdr(x->family, x->e, &h);
	toff = *h.target_offset;
	next = *h.next_offset;
	util_buf_printf(&o, "-A %s", x->chain);
	if (toff < h.size || next > x->len ||
	    next < toff + sizeof(struct xt_entry_target)) {
		util_buf_printf(&o, " ?");
		return util_buf_done(&o);
	}
	if (x->family == 6) {
		const struct ip6t_entry *e6 = x->e;

		proto = e6->ipv6.flags & IP6T_F_PROTO ? e6->ipv6.proto : 0;
	} else {
		proto = ((const struct ipt_entry *)x->e)->ip.proto;
	}
	if (proto == IPPROTO_TCP)
		util_buf_printf(&o, " -p tcp");
	else if (proto)
		util_buf_printf(&o, " -p %u", proto);

	for (off = h.size; off + sizeof(struct xt_entry_match) <= toff;) {
		const struct xt_entry_match *m =
			(const void *)((const char *)x->e + off);
		size_t msize = m->u.user.match_size;

		if (msize < sizeof(*m) || off + msize > toff) {
			util_buf_printf(&o, " ?");
			return util_buf_done(&o);
		}
		util_buf_printf(&o, " -m %s", m->u.user.name);
		if (!strcmp(m->u.user.name, "tcp") &&
		    msize >= sizeof(*m) + sizeof(struct xt_tcp)) {
			const struct xt_tcp *t = (const void *)m->data;

			fw_ipt_ports_format(&o, "--sport", t->spts,
					    t->invflags & XT_TCP_INV_SRCPT);
			fw_ipt_ports_format(&o, "--dport", t->dpts,
					    t->invflags & XT_TCP_INV_DSTPT);
			if (t->flg_mask || (t->invflags & XT_TCP_INV_FLAGS)) {
				util_buf_printf(&o, "%s --tcp-flags ",
					      t->invflags & XT_TCP_INV_FLAGS ?
						      " !" :
						      "");
				fw_ipt_flags_format(&o, t->flg_mask);
				util_buf_printf(&o, " ");
				fw_ipt_flags_format(&o, t->flg_cmp);
			}
		}
		off += msize;
	}
	fw_ipt_target_format(&o, x->family,
			     (const void *)((const char *)x->e + toff),
			     next - toff);
	return util_buf_done(&o);
}

/* -------------------------------------------------------------------- */
/* Kernel half                                                           */
/* -------------------------------------------------------------------- */

/*
 * struct fw_ipt_lib - libip4tc or libip6tc, behind one set of calls
 * @family:	4 or 6
 * @tool:	the command a person uses: "iptables", "ip6tables"
 * @kmod:	the kernel's name for the legacy table code
 * @names:	the shared object: found at build time, then its sonames
 * @sym:	the names of the functions, in the order of the pointers
 *
 * The pointers are set by fw_ipt_load(), once.
 */
struct fw_ipt_lib {
	int family;
	const char *tool;
	const char *kmod;
	const char *names[3];
	const char *sym[6];
	struct xtc_handle *(*init)(const char *table);
	int (*flush)(const char *chain, struct xtc_handle *h);
	int (*append)(const char *chain, const void *e, struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	void (*free)(struct xtc_handle *h);
	const char *(*strerror)(int err);
};

#ifndef TCPLAB_LIBIP4TC
#define TCPLAB_LIBIP4TC ""
#endif
#ifndef TCPLAB_LIBIP6TC
#define TCPLAB_LIBIP6TC ""
#endif

/* append is looked up with a const void * entry: the entries are built as
 * bytes, an ipt_entry or an ip6t_entry (a pointer all the same) */
static struct fw_ipt_lib fw_ipt_libs[] = {
	{ .family = 4, .tool = "iptables", .kmod = "ip_tables",
	  .names = { TCPLAB_LIBIP4TC, "libip4tc.so.2", "libip4tc.so" },
	  .sym = { "iptc_init", "iptc_flush_entries", "iptc_append_entry",
		   "iptc_commit", "iptc_free", "iptc_strerror" } },
	{ .family = 6, .tool = "ip6tables", .kmod = "ip6_tables",
	  .names = { TCPLAB_LIBIP6TC, "libip6tc.so.2", "libip6tc.so" },
	  .sym = { "ip6tc_init", "ip6tc_flush_entries", "ip6tc_append_entry",
		   "ip6tc_commit", "ip6tc_free", "ip6tc_strerror" } },
};

static pthread_once_t fw_ipt_once = PTHREAD_ONCE_INIT;
static char fw_ipt_load_error[256]; /* empty once both are loaded */

/**
 * fw_ipt_load_one() - dlopen() one library and look up its functions
 * @lib:	the table entry to fill
 *
 * Return: 0, or -1 with fw_ipt_load_error set
 */
static int fw_ipt_load_one(struct fw_ipt_lib *lib)
{
	void **fn[] = {
		(void **)&lib->init, (void **)&lib->flush, (void **)&lib->append,
		(void **)&lib->commit, (void **)&lib->free,
		(void **)&lib->strerror,
	};
	void *h = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lib->names) && !h; i++)
		if (lib->names[i][0])
			h = dlopen(lib->names[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(fw_ipt_load_error, sizeof(fw_ipt_load_error),
			 "cannot load %s: %s", lib->names[1], dlerror());
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(fn); i++) {
		*fn[i] = dlsym(h, lib->sym[i]);
		if (!*fn[i]) {
			snprintf(fw_ipt_load_error, sizeof(fw_ipt_load_error),
				 "%s has no %s", lib->names[1], lib->sym[i]);
			return -1;
		}
	}
	return 0;
}

/* both libraries, once (pthread_once) */
static void fw_ipt_load(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fw_ipt_libs); i++)
		if (fw_ipt_load_one(&fw_ipt_libs[i]))
			return;
}

/**
 * fw_ipt_ready() - libip4tc and libip6tc loaded
 * @e:		why not (an environment error: the libraries are missing)
 *
 * Return: 0 or -ENOENT
 */
static int fw_ipt_ready(struct err *e)
{
	pthread_once(&fw_ipt_once, fw_ipt_load);
	if (fw_ipt_load_error[0])
		return err_env(e, -ENOENT, "iptables: %s", fw_ipt_load_error);
	return 0;
}

/* libiptc's error context is global: one session at a time */
static pthread_mutex_t fw_ipt_lock = PTHREAD_MUTEX_INITIALIZER;

/* What went wrong in a session */
enum fw_ipt_step {
	FW_IPT_STEP_NONE,
	FW_IPT_STEP_ENTER,  /* entering the namespace */
	FW_IPT_STEP_INIT,   /* reading the table */
	FW_IPT_STEP_FLUSH,  /* flushing INPUT/OUTPUT (in libiptc's copy) */
	FW_IPT_STEP_APPEND, /* appending an entry (in libiptc's copy) */
	FW_IPT_STEP_COMMIT, /* the kernel refused the new table */
};

/*
 * struct fw_ipt_result - the outcome of one session
 * @code:	0 or -errno
 * @step:	where it failed
 * @at:		FW_IPT_STEP_APPEND: index of the entry
 * @text:	libiptc's own words for it (iptc_strerror())
 * @commit_ns:	how long the commit took
 */
struct fw_ipt_result {
	int code;
	enum fw_ipt_step step;
	size_t at;
	char text[160];
	uint64_t commit_ns;
};

/**
 * fw_ipt_failed() - record a libiptc failure, from errno
 * @lib:	the library that failed
 * @res:	filled in
 * @step:	what was being done
 */
static void fw_ipt_failed(const struct fw_ipt_lib *lib,
			  struct fw_ipt_result *res, enum fw_ipt_step step)
{
	int err = errno;

	/* errno 0 is libiptc's way of saying "version mismatch" */
	res->code = err ? -err : -EPROTO;
	res->step = step;
	snprintf(res->text, sizeof(res->text), "%s",
		 err ? lib->strerror(err) : "libiptc and kernel disagree");
}

/**
 * fw_ipt_session() - one libiptc session in the namespace @nsfd
 * @nsfd:	the namespace
 * @lib:	which table: ip or ip6
 * @v:		entries to append, in order
 * @n:		how many
 * @flush:	empty INPUT and OUTPUT first
 * @res:	the outcome
 *
 * Reads table filter, changes libiptc's copy, and commits it in one
 * replacement.  The thread is in @nsfd only from before iptc_init() to
 * after iptc_free().
 *
 * Return: @res->code.
 */
static int fw_ipt_session(int nsfd, const struct fw_ipt_lib *lib,
			  const struct fw_ipt_entry *v, size_t n, int flush,
			  struct fw_ipt_result *res)
{
	struct xtc_handle *h;
	uint64_t t0;
	size_t i;
	int saved, ret;

	memset(res, 0, sizeof(*res));
	pthread_mutex_lock(&fw_ipt_lock);
	ret = netns_enter(nsfd, &saved);
	if (ret) {
		res->code = ret;
		res->step = FW_IPT_STEP_ENTER;
		snprintf(res->text, sizeof(res->text), "%s", strerror(-ret));
		goto unlock;
	}
	h = lib->init(FW_IPT_TABLE);
	if (!h) {
		fw_ipt_failed(lib, res, FW_IPT_STEP_INIT);
		goto leave;
	}
	if (flush && (!lib->flush("INPUT", h) || !lib->flush("OUTPUT", h) ||
		      !lib->flush("FORWARD", h))) {
		fw_ipt_failed(lib, res, FW_IPT_STEP_FLUSH);
		goto free_handle;
	}
	for (i = 0; i < n; i++) {
		if (!lib->append(v[i].chain, v[i].e, h)) {
			fw_ipt_failed(lib, res, FW_IPT_STEP_APPEND);
			res->at = i;
			goto free_handle;
		}
	}
	t0 = util_now_ns();
	if (!lib->commit(h))
		fw_ipt_failed(lib, res, FW_IPT_STEP_COMMIT);
	res->commit_ns = util_now_ns() - t0;
free_handle:
	lib->free(h);
leave:
	netns_leave(saved);
unlock:
	pthread_mutex_unlock(&fw_ipt_lock);
	return res->code;
}

/**
 * fw_ipt_blame() - which entry does the kernel refuse?
 * @lib:	the table
 * @v:		the entries of a refused commit
 * @n:		how many
 * @res:	set to the refusal of that entry on its own
 *
 * The kernel refuses a replacement table as a whole, with one errno.  To
 * name the entry, each is committed on its own into the filter table of
 * a throwaway namespace, which is closed afterwards.
 *
 * Return: the index of the first entry refused on its own, or @n.
 */
static size_t fw_ipt_blame(const struct fw_ipt_lib *lib,
			   const struct fw_ipt_entry *v, size_t n,
			   struct fw_ipt_result *res)
{
	int scratch = netns_new(-1);
	size_t i;

	if (scratch < 0)
		return n;
	for (i = 0; i < n; i++)
		if (fw_ipt_session(scratch, lib, &v[i], 1, 0, res))
			break;
	close(scratch);
	return i;
}

/**
 * fw_ipt_is_env() - is a libiptc failure a missing feature or privilege?
 * @code:	-errno
 * @step:	where it happened
 *
 * ENOPROTOOPT: no ip_tables/ip6_tables in the kernel; ENOENT: no such
 * table (iptable_filter), or at commit no such match or target module;
 * EAFNOSUPPORT: no IPv6; EPERM/EACCES: no CAP_NET_ADMIN/CAP_NET_RAW.
 *
 * Return: 1 for exit class 3, else 0.
 */
static int fw_ipt_is_env(int code, enum fw_ipt_step step)
{
	switch (code) {
	case -ENOPROTOOPT:
	case -ENOENT:
	case -EAFNOSUPPORT:
	case -EPROTONOSUPPORT:
	case -EPERM:
	case -EACCES:
		return 1;
	case -EINVAL:
		return step == FW_IPT_STEP_INIT;
	}
	return 0;
}

/**
 * fw_ipt_unloaded() - is ip_tables or ip6_tables not in the running kernel?
 * Each, built in or loaded, shows a /proc/net/ip*_tables_names file.
 *
 * Return: 1 if one is missing
 */
static int fw_ipt_unloaded(void)
{
	return access("/proc/net/ip_tables_names", F_OK) ||
	       access("/proc/net/ip6_tables_names", F_OK);
}

/**
 * fw_ipt_fail() - record an error with the right exit class
 * @e:		error to fill
 * @res:	the failure
 * @fmt:	what was being done, printf-style
 *
 * The message reads "FMT: libiptc's text (strerror)", with a hint at the
 * kernel's configuration when the table itself cannot be read.
 *
 * Return: @res->code.
 */
static int PRINTF(3, 4) fw_ipt_fail(struct err *e,
				    const struct fw_ipt_result *res,
				    const char *fmt, ...)
{
	char what[512], why[256];
	const char *hint = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (res->step == FW_IPT_STEP_INIT &&
	    fw_ipt_is_env(res->code, res->step) && res->code != -EPERM &&
	    res->code != -EACCES)
		hint = fw_ipt_unloaded() ?
		       " (ip_tables or ip6_tables is not loaded, and the "
		       "kernel does not load it for libiptc: "
		       "modprobe ip_tables ip6_tables iptable_filter "
		       "ip6table_filter, where the kernel has them as modules)" :
		       " (is this kernel built without legacy x_tables: "
		       "CONFIG_IP_NF_IPTABLES, CONFIG_IP6_NF_IPTABLES, "
		       "CONFIG_IP_NF_FILTER, CONFIG_IP6_NF_FILTER?)";
	else if (res->step == FW_IPT_STEP_COMMIT && res->code == -ENOENT)
		hint = " (a match or target this kernel lacks: tcp, REJECT "
		       "or NFLOG)";
	/* libiptc's text, and the errno's own when it says something else */
	if (strcmp(res->text, strerror(-res->code)))
		snprintf(why, sizeof(why), "%s (%s)", res->text,
			 strerror(-res->code));
	else
		snprintf(why, sizeof(why), "%s", res->text);
	if (fw_ipt_is_env(res->code, res->step))
		return err_env(e, res->code, "%s: %s%s", what, why, hint);
	return err_set(e, res->code, "%s: %s%s", what, why, hint);
}

/**
 * fw_ipt_reset() - read both tables of @nsfd, empty INPUT and OUTPUT
 * @nsfd:	the namespace
 * @e:		what failed
 *
 * Reading a table is also what makes the kernel set it up in a namespace.
 *
 * Return: 0 or -errno.
 */
static int fw_ipt_reset(int nsfd, struct err *e)
{
	struct fw_ipt_result res;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fw_ipt_libs); i++) {
		const struct fw_ipt_lib *lib = &fw_ipt_libs[i];

		if (fw_ipt_session(nsfd, lib, NULL, 0, 1, &res))
			return fw_ipt_fail(e, &res,
					   "%s: cannot set up table filter "
					   "(%s) in the lab namespace",
					   lib->tool, lib->kmod);
	}
	return 0;
}

/**
 * fw_ipt_open() - open an iptables instance in the namespace @nsfd
 * @out:	set to the new instance on success
 * @nsfd:	the node's network namespace
 * @e:		what failed, if anything
 *
 * Keeps its own descriptor of the namespace, and empties INPUT and OUTPUT
 * of both filter tables there (one commit each).
 *
 * Return: 0 or -errno.
 */
static int fw_ipt_open(struct fw **out, int nsfd, struct err *e)
{
	struct fw_ipt *f;
	int ret;

	ret = fw_ipt_ready(e);
	if (ret)
		return ret;
	f = calloc(1, sizeof(*f));
	if (!f)
		return err_set(e, -ENOMEM, "iptables: out of memory");
	f->base.backend = &fw_ipt_backend;
	f->nsfd = fcntl(nsfd, F_DUPFD_CLOEXEC, 3);
	if (f->nsfd < 0) {
		ret = err_set(e, -errno,
			      "iptables: cannot keep the lab namespace: %s",
			      strerror(errno));
		goto free_fw;
	}
	ret = fw_ipt_reset(f->nsfd, e);
	if (ret)
		goto close_ns;
	*out = &f->base;
	return 0;

close_ns:
	close(f->nsfd);
free_fw:
	free(f);
	return ret;
}

/**
 * fw_ipt_refused() - report a refused change, naming the rule
 * @lib:	the table that refused it
 * @v:		its entries
 * @n:		how many
 * @rules:	the rules they come from
 * @res:	the refusal
 * @e:		error to fill
 *
 * Return: the -errno to return.
 */
static int fw_ipt_refused(const struct fw_ipt_lib *lib,
			  const struct fw_ipt_entry *v, size_t n,
			  const struct rule *rules, struct fw_ipt_result *res,
			  struct err *e)
{
	struct fw_ipt_result alone;
	char where[256];
	size_t bad = n;

	if (res->step == FW_IPT_STEP_APPEND)
		bad = res->at;
	else if (res->step == FW_IPT_STEP_COMMIT && n > 1)
		bad = fw_ipt_blame(lib, v, n, &alone);
	else if (res->step == FW_IPT_STEP_COMMIT)
		bad = 0;
	if (bad < n) {
		rule_where(&rules[v[bad].rule], where, sizeof(where));
		return fw_ipt_fail(e, res, "%s refused %s%s", lib->tool, where,
				   v[bad].nflog ? ", its NFLOG entry" : "");
	}
	if (res->step == FW_IPT_STEP_COMMIT)
		return fw_ipt_fail(e, res, "%s refused a change of %zu "
				   "entr%s to table filter", lib->tool, n,
				   n == 1 ? "y" : "ies");
	return fw_ipt_fail(e, res, "%s: cannot change table filter in the "
			   "lab namespace", lib->tool);
}

/**
 * fw_ipt_add() - append @n rules to INPUT/OUTPUT, one commit per table
 * @fw:		the instance
 * @rules:	the rules
 * @n:		how many
 * @e:		the rule the kernel refused, with its scenario line
 *
 * Every entry of both tables is built before either table is touched.
 *
 * Return: 0 or -errno.
 */
static int fw_ipt_add(struct fw *fw, const struct rule *rules, size_t n,
		      struct err *e)
{
	struct fw_ipt *f = fw_ipt_of(fw);
	struct fw_ipt_entry *v[ARRAY_SIZE(fw_ipt_libs)] = { NULL };
	size_t nv[ARRAY_SIZE(fw_ipt_libs)] = { 0 };
	struct fw_ipt_result res;
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < ARRAY_SIZE(fw_ipt_libs); i++)
		ret = fw_ipt_entries_build(rules, n, fw_ipt_libs[i].family,
					   &v[i], &nv[i], e);
	for (i = 0; !ret && i < ARRAY_SIZE(fw_ipt_libs); i++) {
		if (!nv[i])
			continue;
		if (fw_ipt_session(f->nsfd, &fw_ipt_libs[i], v[i], nv[i], 0,
				   &res))
			ret = fw_ipt_refused(&fw_ipt_libs[i], v[i], nv[i],
					     rules, &res, e);
	}
	for (i = 0; i < ARRAY_SIZE(fw_ipt_libs); i++)
		fw_ipt_entries_free(v[i], nv[i]);
	return ret;
}

/**
 * fw_ipt_close() - forget the namespace and free the instance
 * @fw:		the instance
 *
 * The rules stay: they go away with the namespace.
 */
static void fw_ipt_close(struct fw *fw)
{
	struct fw_ipt *f = fw_ipt_of(fw);

	close(f->nsfd);
	free(f);
}

/**
 * fw_ipt_probe() - can this kernel run the iptables backend?
 * @e:		why not: an environment error for a missing feature
 *
 * In a throwaway namespace, reads and empties both filter tables, then
 * commits one rule of each kind the backend writes (tcp match with ports
 * and flags, DROP, REJECT with tcp-reset, NFLOG), so that a missing
 * ip_tables, ip6_tables, xt_tcp, REJECT or NFLOG module is found before a
 * lab is built.  The namespace is closed afterwards, with all of it.
 *
 * Return: 0 or -errno.
 */
static int fw_ipt_probe(struct err *e)
{
	static const struct rule probe[] = {
		{ .id = 1, .hook = RULE_INPUT, .dport = 9,
		  .flags_mask = RULE_TCP_MASK_DEFAULT, .flags_set = RULE_TCP_SYN,
		  .action = RULE_DROP, .nflog_group = 1 },
		{ .id = 2, .hook = RULE_OUTPUT, .sport = 9,
		  .action = RULE_REJECT_RST },
	};
	struct fw *fw;
	int ns, ret;

	ns = netns_new(-1);
	if (ns < 0) {
		if (ns == -EPERM)
			return err_env(e, ns, "iptables: cannot create a "
				       "network namespace to try it in: %s "
				       "(not root?)", strerror(-ns));
		return err_set(e, ns, "iptables: cannot create a network "
			       "namespace to try it in: %s", strerror(-ns));
	}
	ret = fw_ipt_open(&fw, ns, e);
	if (!ret) {
		ret = fw_ipt_add(fw, probe, ARRAY_SIZE(probe), e);
		fw_ipt_close(fw);
	}
	close(ns);
	if (ret)
		err_prefix(e, "the iptables backend cannot run here");
	return ret;
}

const struct fw_backend fw_ipt_backend = {
	.name = "iptables",
	.open = fw_ipt_open,
	.add = fw_ipt_add,
	.close = fw_ipt_close,
	.probe = fw_ipt_probe,
};
