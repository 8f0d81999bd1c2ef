// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fw_nft.c - the nftables backend, over libnftnl and libmnl
 *
 * Theory of operation
 *
 * Every node gets one table, "inet tcplab", with two base chains: "input"
 * (filter hook input priority 0 policy accept) and "output" (the same on
 * the output hook).  Family inet makes one rule cover IPv4 and IPv6; a rule
 * meant for one of them matches "meta nfproto" first.
 *
 * The module is split in two halves, as libmnl and nftables do it:
 *
 *  - a pure half that builds.  fw_nft_rule_build() turns a neutral rule
 *    into the same expressions nft(8) generates for the text that
 *    rule_render_nft() shows, in the same order:
 *
 *	[meta load nfproto, cmp]		family 4 or 6 only
 *	 meta load l4proto, cmp tcp
 *	[payload th 0 len 2, cmp]		sport
 *	[payload th 2 len 2, cmp]		dport
 *	[payload th 13 len 1, bitwise & mask, cmp]  flags (no bitwise if
 *						    the mask is every flag)
 *	 counter
 *	[log group N prefix "tcplab:<id>"]	NFLOG, to attribute drops
 *	 immediate drop/accept, or reject type tcp-rst
 *
 *    fw_nft_*_batch_build() wrap commands in one nfnetlink batch (begin,
 *    commands, end) held in a struct nftnl_batch.  Each command carries
 *    NLM_F_ACK and its own sequence number, so that every command is
 *    answered and each answer names its command.  The begin and end
 *    markers carry no NLM_F_ACK: they are not commands, and an ACK of
 *    them would say nothing about any rule; a refusal of the batch as a
 *    whole comes back on the begin marker's sequence number regardless.
 *
 *    fw_nft_ack() accounts for the answers, which netlink_dispatch() hands
 *    it decoded (extended ACK included): one NLMSG_ERROR per command
 *    (error 0 is an ACK), or one error aimed at the batch begin when the
 *    kernel refused the batch as a whole (no CAP_NET_ADMIN, out of memory,
 *    a failed commit); fw_nft_acks_parse() does it on a buffer.
 *
 *  - a thin kernel half.  fw_open() opens a NETLINK_NETFILTER socket inside
 *    the node's namespace (netlink_open()) and keeps it; each transaction
 *    is one sendmsg() of the whole batch.  nfnetlink runs a batch
 *    synchronously in the sender's context, all or nothing: by the time
 *    sendmsg() returns every answer is queued on the socket, and either
 *    every command took effect or none did.  fw_nft_talk() then drains the
 *    answers until each command is accounted for (with a deadline, so that
 *    a kernel that behaves otherwise cannot hang the lab), and the caller
 *    maps the first refusal back, by sequence number, to the rule and the
 *    scenario line that asked for it.
 *
 * Socket buffers are grown for large batches: nfnetlink needs the whole
 * batch in one message, and the answers must all fit in the receive queue
 * or the kernel drops them (ENOBUFS).
 */
#include "fw_nft.h"

#include <netinet/in.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "netlink.h"
#include "util.h"

/*
 * Batch pages: a batch grows page by page; one message must fit in the
 * overrun area.  Our largest message, a rule with every match, a log and
 * a verdict, takes well under 1 KiB.
 */
#define FW_NFT_BATCH_PAGE 16384
#define FW_NFT_MSG_MAX 8192

/* Receive-queue room to reserve per expected answer (skb truesize) */
#define FW_NFT_ACK_ROOM 2048

/*
 * struct fw_nft - one nftables backend instance
 * @base:	dispatch header, first so that fw.c can find the backend
 * @fd:		NETLINK_NETFILTER socket, created inside the node's netns
 */
struct fw_nft {
	struct fw base;
	int fd;
	unsigned int chains; /* base chains made: bit (1 << RULE_INPUT)... */
};

/**
 * fw_nft_of() - the instance behind a generic handle
 * @fw:		handle returned by fw_nft_open()
 *
 * Return: the containing instance.
 */
static struct fw_nft *fw_nft_of(struct fw *fw)
{
	return (struct fw_nft *)fw;
}

/* -------------------------------------------------------------------- */
/* Pure half: rules and batches                                          */
/* -------------------------------------------------------------------- */

/**
 * fw_nft_expr() - append a new, empty expression to a rule
 * @r:		the rule, which owns the expression from now on
 * @name:	expression type: "meta", "cmp", "payload" ...
 *
 * Return: the expression, or NULL when out of memory.
 */
static struct nftnl_expr *fw_nft_expr(struct nftnl_rule *r, const char *name)
{
	struct nftnl_expr *x = nftnl_expr_alloc(name);

	if (x)
		nftnl_rule_add_expr(r, x);
	return x;
}

/**
 * fw_nft_cmp_eq() - append "cmp eq reg 1 @data"
 * @r:		the rule
 * @data:	value to compare register 1 with, in network byte order
 * @len:	its length in bytes
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_cmp_eq(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *x = fw_nft_expr(r, "cmp");

	if (!x)
		return -ENOMEM;
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	if (nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, data, len) < 0)
		return -ENOMEM;
	return 0;
}

/**
 * fw_nft_meta_eq() - append "meta load @key => reg 1" and "cmp eq @val"
 * @r:		the rule
 * @key:	NFT_META_NFPROTO or NFT_META_L4PROTO (one-byte keys)
 * @val:	value to match
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_meta_eq(struct nftnl_rule *r, uint32_t key, uint8_t val)
{
	struct nftnl_expr *x = fw_nft_expr(r, "meta");

	if (!x)
		return -ENOMEM;
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, NFT_REG_1);
	return fw_nft_cmp_eq(r, &val, sizeof(val));
}

/**
 * fw_nft_th_load() - append "payload load @len b @ transport header + @off"
 * @r:		the rule
 * @off:	offset in the TCP header
 * @len:	bytes to load into register 1
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_th_load(struct nftnl_rule *r, uint32_t off, uint32_t len)
{
	struct nftnl_expr *x = fw_nft_expr(r, "payload");

	if (!x)
		return -ENOMEM;
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE,
			   NFT_PAYLOAD_TRANSPORT_HEADER);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, len);
	return 0;
}

/**
 * fw_nft_port_eq() - match a TCP port (source at 0, destination at 2)
 * @r:		the rule
 * @off:	offset of the port in the TCP header
 * @port:	port, host byte order
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_port_eq(struct nftnl_rule *r, uint32_t off, uint16_t port)
{
	uint16_t be = htons(port);
	int ret = fw_nft_th_load(r, off, sizeof(be));

	return ret ? ret : fw_nft_cmp_eq(r, &be, sizeof(be));
}

/**
 * fw_nft_masked_eq() - append "bitwise reg 1 = (reg 1 & @mask)" and
 * "cmp eq reg 1 @val" on @len bytes already loaded in register 1
 * @r:		the rule
 * @mask:	the bits that count
 * @val:	what they must be
 * @len:	bytes (at most 4)
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_masked_eq(struct nftnl_rule *r, const void *mask,
			    const void *val, uint32_t len)
{
	static const uint8_t zero[4];
	struct nftnl_expr *x = fw_nft_expr(r, "bitwise");

	if (!x)
		return -ENOMEM;
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_LEN, len);
	if (nftnl_expr_set(x, NFTNL_EXPR_BITWISE_MASK, mask, len) < 0 ||
	    nftnl_expr_set(x, NFTNL_EXPR_BITWISE_XOR, zero, len) < 0)
		return -ENOMEM;
	return fw_nft_cmp_eq(r, val, len);
}

/**
 * fw_nft_ct_invalid() - match "ct state invalid": load the conntrack
 * state bits, keep the invalid one, compare it with itself
 * @r:		the rule
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_ct_invalid(struct nftnl_rule *r)
{
	uint32_t bit = NF_CT_STATE_INVALID_BIT;
	struct nftnl_expr *x = fw_nft_expr(r, "ct");

	if (!x)
		return -ENOMEM;
	nftnl_expr_set_u32(x, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(x, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	return fw_nft_masked_eq(r, &bit, &bit, sizeof(bit));
}

/**
 * fw_nft_flags_eq() - match (TCP flags & @mask) == @set
 * @r:		the rule
 * @mask:	flags to look at; 0xff needs no bitwise step
 * @set:	which of them must be set
 *
 * The flags are byte 13 of the TCP header (CWR ... FIN, bit 7 to 0).
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_flags_eq(struct nftnl_rule *r, uint8_t mask, uint8_t set)
{
	int ret = fw_nft_th_load(r, 13, 1);

	if (ret)
		return ret;
	if (mask == 0xff) /* every bit counts: no bitwise step */
		return fw_nft_cmp_eq(r, &set, sizeof(set));
	return fw_nft_masked_eq(r, &mask, &set, sizeof(set));
}

/**
 * fw_nft_statements() - append counter, optional log, and the verdict
 * @r:		the rule
 * @src:	the neutral rule (action, NFLOG group)
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_statements(struct nftnl_rule *r, const struct rule *src)
{
	char prefix[32];
	struct nftnl_expr *x;

	if (!fw_nft_expr(r, "counter"))
		return -ENOMEM;
	if (src->nflog_group) {
		x = fw_nft_expr(r, "log");
		if (!x)
			return -ENOMEM;
		nftnl_expr_set_u16(x, NFTNL_EXPR_LOG_GROUP,
				   (uint16_t)src->nflog_group);
		rule_nflog_prefix(src, prefix, sizeof(prefix));
		if (nftnl_expr_set_str(x, NFTNL_EXPR_LOG_PREFIX, prefix) < 0)
			return -ENOMEM;
	}
	if (src->action == RULE_REJECT_RST) {
		/* inet family: the kernel picks the IPv4 or IPv6 reset */
		x = fw_nft_expr(r, "reject");
		if (!x)
			return -ENOMEM;
		nftnl_expr_set_u32(x, NFTNL_EXPR_REJECT_TYPE,
				   NFT_REJECT_TCP_RST);
		return 0;
	}
	if (src->action == RULE_REJECT_ICMP) {
		/* icmpx: one code the kernel turns into ICMP or ICMPv6 */
		static const uint8_t codes[] = {
			[RULE_ICMP_PORT] = NFT_REJECT_ICMPX_PORT_UNREACH,
			[RULE_ICMP_HOST] = NFT_REJECT_ICMPX_HOST_UNREACH,
			[RULE_ICMP_NET] = NFT_REJECT_ICMPX_NO_ROUTE,
			[RULE_ICMP_ADMIN] = NFT_REJECT_ICMPX_ADMIN_PROHIBITED,
		};

		if (src->icmp < RULE_ICMP_PORT || src->icmp > RULE_ICMP_ADMIN)
			return -EINVAL;
		x = fw_nft_expr(r, "reject");
		if (!x)
			return -ENOMEM;
		nftnl_expr_set_u32(x, NFTNL_EXPR_REJECT_TYPE,
				   NFT_REJECT_ICMPX_UNREACH);
		nftnl_expr_set_u8(x, NFTNL_EXPR_REJECT_CODE, codes[src->icmp]);
		return 0;
	}
	if (rule_queued(src)) {
		/*
		 * nft's own queue expression may be missing from a kernel
		 * (CONFIG_NFT_QUEUE); the xtables NFQUEUE target through
		 * nft_compat is the same queue, with the bypass flag: once
		 * nobody listens, packets go on.
		 */
		struct xt_NFQ_info_v3 *info;

		x = fw_nft_expr(r, "target");
		if (!x)
			return -ENOMEM;
		/* libnftnl takes the info buffer over and frees it */
		info = calloc(1, sizeof(*info));
		if (!info)
			return -ENOMEM;
		info->queuenum = (uint16_t)src->id;
		info->queues_total = 1;
		info->flags = NFQ_FLAG_BYPASS;
		nftnl_expr_set_str(x, NFTNL_EXPR_TG_NAME, "NFQUEUE");
		nftnl_expr_set_u32(x, NFTNL_EXPR_TG_REV, 3);
		if (nftnl_expr_set(x, NFTNL_EXPR_TG_INFO, info, sizeof(*info)) < 0) {
			free(info);
			return -ENOMEM;
		}
		return 0;
	}
	x = fw_nft_expr(r, "immediate");
	if (!x)
		return -ENOMEM;
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_VERDICT,
			   src->action == RULE_DROP ? NF_DROP : NF_ACCEPT);
	return 0;
}

/**
 * fw_nft_rule_build() - a new libnftnl rule for @r in table inet @table
 * @r:		the neutral rule
 * @table:	table name; NULL means FW_TABLE_NAME
 * @out:	set to the new rule (free with nftnl_rule_free()) on success
 *
 * Return: 0, -EINVAL for a rule out of range, -ENOMEM.
 */
int fw_nft_rule_build(const struct rule *r, const char *table,
		      struct nftnl_rule **out)
{
	struct nftnl_rule *nr;
	int ret;

	ret = rule_check(r);
	if (ret)
		return ret;
	nr = nftnl_rule_alloc();
	if (!nr)
		return -ENOMEM;
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, NFPROTO_INET);
	if (nftnl_rule_set_str(nr, NFTNL_RULE_TABLE,
			       table ? table : FW_TABLE_NAME) < 0 ||
	    nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, rule_hook_name(r->hook)) <
		    0) {
		ret = -ENOMEM;
		goto free_rule;
	}
	if (r->family)
		ret = fw_nft_meta_eq(nr, NFT_META_NFPROTO,
				     r->family == 4 ? NFPROTO_IPV4
						    : NFPROTO_IPV6);
	if (!ret && r->ct_invalid)
		ret = fw_nft_ct_invalid(nr);
	if (!ret)
		ret = fw_nft_meta_eq(nr, NFT_META_L4PROTO, IPPROTO_TCP);
	if (!ret && r->sport)
		ret = fw_nft_port_eq(nr, 0, r->sport);
	if (!ret && r->dport)
		ret = fw_nft_port_eq(nr, 2, r->dport);
	if (!ret && r->flags_mask)
		ret = fw_nft_flags_eq(nr, r->flags_mask, r->flags_set);
	if (!ret)
		ret = fw_nft_statements(nr, r);
	if (ret)
		goto free_rule;
	*out = nr;
	return 0;

free_rule:
	nftnl_rule_free(nr);
	return ret;
}

/**
 * fw_nft_batch_new() - an empty batch
 *
 * Return: the batch (free with nftnl_batch_free()), or NULL.
 */
struct nftnl_batch *fw_nft_batch_new(void)
{
	return nftnl_batch_alloc(FW_NFT_BATCH_PAGE, FW_NFT_MSG_MAX);
}

/**
 * fw_nft_batch_tail() - room for the next message, zeroed
 * @b:		the batch
 *
 * libmnl leaves the padding after an attribute as it finds it; zeroing
 * first keeps uninitialised heap bytes out of what the kernel sees and
 * makes a batch the same bytes every time.  The batch always has its
 * overrun size free at the tail.
 *
 * Return: where the next message goes.
 */
static char *fw_nft_batch_tail(struct nftnl_batch *b)
{
	char *tail = nftnl_batch_buffer(b);

	memset(tail, 0, FW_NFT_MSG_MAX);
	return tail;
}

/**
 * fw_nft_batch_next() - close the message just written at the batch tail
 * @b:		the batch
 *
 * Return: 0, or -ENOMEM when a new page was needed and could not be had.
 */
static int fw_nft_batch_next(struct nftnl_batch *b)
{
	return nftnl_batch_update(b) < 0 ? -ENOMEM : 0;
}

/**
 * fw_nft_batch_begin() - write the batch begin marker
 * @b:		the batch
 * @seq:	its sequence number
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_batch_begin(struct nftnl_batch *b, uint32_t seq)
{
	nftnl_batch_begin(fw_nft_batch_tail(b), seq);
	return fw_nft_batch_next(b);
}

/**
 * fw_nft_batch_end() - write the batch end marker
 * @b:		the batch
 * @seq:	its sequence number
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_batch_end(struct nftnl_batch *b, uint32_t seq)
{
	nftnl_batch_end(fw_nft_batch_tail(b), seq);
	return fw_nft_batch_next(b);
}

/**
 * fw_nft_cmd_hdr() - start a command message at the batch tail
 * @b:		the batch
 * @type:	NFT_MSG_NEWTABLE ...
 * @flags:	NLM_F_* besides NLM_F_REQUEST and NLM_F_ACK
 * @seq:	its sequence number
 *
 * Return: the header, to which the object's payload is then added.
 */
static struct nlmsghdr *fw_nft_cmd_hdr(struct nftnl_batch *b, uint16_t type,
				       uint16_t flags, uint32_t seq)
{
	return nftnl_nlmsg_build_hdr(fw_nft_batch_tail(b), type, NFPROTO_INET,
				     flags | NLM_F_ACK, seq);
}

/**
 * fw_nft_table_cmd() - append "add table inet @table" (NFT_MSG_NEWTABLE,
 * NLM_F_CREATE) or "delete table inet @table" (NFT_MSG_DELTABLE, 0)
 * @b:		the batch
 * @table:	table name
 * @cmd:	NFT_MSG_NEWTABLE or NFT_MSG_DELTABLE
 * @flags:	netlink flags besides request and ACK
 * @seq:	sequence number of the command
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_table_cmd(struct nftnl_batch *b, const char *table,
			    uint16_t cmd, uint16_t flags, uint32_t seq)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	if (nftnl_table_set_str(t, NFTNL_TABLE_NAME, table) < 0) {
		nftnl_table_free(t);
		return -ENOMEM;
	}
	nlh = fw_nft_cmd_hdr(b, cmd, flags, seq);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return fw_nft_batch_next(b);
}

/**
 * fw_nft_chain_add() - append "add chain inet @table @name" as a base chain
 * @b:		the batch
 * @table:	table name
 * @name:	chain name, "input" or "output"
 * @hook:	NF_INET_LOCAL_IN or NF_INET_LOCAL_OUT
 * @seq:	sequence number of the command
 *
 * The chain is of type filter, priority 0, policy accept: only the rules
 * the scenario asks for change what passes.
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_chain_add(struct nftnl_batch *b, const char *table,
			    const char *name, uint32_t hook, uint32_t seq)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	if (nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table) < 0 ||
	    nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name) < 0 ||
	    nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter") < 0) {
		nftnl_chain_free(c);
		return -ENOMEM;
	}
	nlh = fw_nft_cmd_hdr(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, seq);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return fw_nft_batch_next(b);
}

/**
 * fw_nft_table_flush() - append "flush table inet @table"
 * @b:		the batch
 * @table:	table name
 * @seq:	sequence number of the command
 *
 * A rule deletion that names a table and no chain empties every chain of
 * that table, and is harmless on an empty one.
 *
 * Return: 0 or -ENOMEM.
 */
static int fw_nft_table_flush(struct nftnl_batch *b, const char *table,
			      uint32_t seq)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!r)
		return -ENOMEM;
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	if (nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table) < 0) {
		nftnl_rule_free(r);
		return -ENOMEM;
	}
	nlh = fw_nft_cmd_hdr(b, NFT_MSG_DELRULE, 0, seq);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	return fw_nft_batch_next(b);
}

/**
 * fw_nft_open_batch_build() - append the batch that sets a namespace up
 * @b:		the batch
 * @table:	table name; NULL means FW_TABLE_NAME
 * @seq:	sequence number of the begin marker
 *
 * Commands, in order (see FW_NFT_OPEN_*): add table, delete table, add
 * table.  Adding what exists is not an error and deleting what exists is
 * not either, so the batch leaves a new, empty table whether or not one
 * was left from earlier (a kept lab's, whose chains may have been changed
 * by hand: they go with it).  The base chains come with the first rule
 * that needs each (fw_nft_chains_batch_build()).
 *
 * Return: 0 or -ENOMEM.
 */
int fw_nft_open_batch_build(struct nftnl_batch *b, const char *table,
			    uint32_t seq)
{
	int ret;

	if (!table)
		table = FW_TABLE_NAME;
	ret = fw_nft_batch_begin(b, seq);
	if (!ret)
		ret = fw_nft_table_cmd(b, table, NFT_MSG_NEWTABLE, NLM_F_CREATE,
				       seq + 1 + FW_NFT_OPEN_TABLE);
	if (!ret)
		ret = fw_nft_table_cmd(b, table, NFT_MSG_DELTABLE, 0,
				       seq + 1 + FW_NFT_OPEN_DELETE);
	if (!ret)
		ret = fw_nft_table_cmd(b, table, NFT_MSG_NEWTABLE, NLM_F_CREATE,
				       seq + 1 + FW_NFT_OPEN_TABLE_AGAIN);
	if (!ret)
		ret = fw_nft_batch_end(b, seq + 1 + FW_NFT_OPEN_NCMDS);
	return ret;
}

/* the netfilter hook of each rule hook, for its base chain */
static const unsigned int fw_nft_nf_hook[] = {
	[RULE_INPUT] = NF_INET_LOCAL_IN,
	[RULE_OUTPUT] = NF_INET_LOCAL_OUT,
	[RULE_FORWARD] = NF_INET_FORWARD,
};

unsigned int fw_nft_chains_needed(const struct rule *rules, size_t n)
{
	unsigned int hooks = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if ((size_t)rules[i].hook < ARRAY_SIZE(fw_nft_nf_hook))
			hooks |= 1u << rules[i].hook;
	return hooks;
}

/**
 * fw_nft_chains_batch_build() - append the batch that adds base chains
 * @b:		the batch
 * @table:	table name; NULL means FW_TABLE_NAME
 * @hooks:	which: bit (1 << RULE_INPUT) and so on
 * @seq:	sequence number of the begin marker
 *
 * One "add chain" per hook in @hooks, in the order of enum rule_hook:
 * type filter, priority 0, policy accept, named after the hook.
 *
 * Return: how many commands, or -ENOMEM.
 */
int fw_nft_chains_batch_build(struct nftnl_batch *b, const char *table,
			      unsigned int hooks, uint32_t seq)
{
	unsigned int h;
	int n = 0, ret;

	if (!table)
		table = FW_TABLE_NAME;
	ret = fw_nft_batch_begin(b, seq);
	for (h = 0; h < ARRAY_SIZE(fw_nft_nf_hook) && !ret; h++)
		if (hooks & (1u << h))
			ret = fw_nft_chain_add(b, table,
					       rule_hook_name((enum rule_hook)h),
					       fw_nft_nf_hook[h],
					       seq + 1 + (uint32_t)n++);
	if (!ret)
		ret = fw_nft_batch_end(b, seq + 1 + (uint32_t)n);
	return ret ? ret : n;
}

/**
 * fw_nft_flush_batch_build() - append the batch that empties the table
 * @b:		the batch
 * @table:	table name; NULL means FW_TABLE_NAME
 * @seq:	sequence number of the begin marker; the flush gets @seq + 1
 *
 * One command: flush table inet @table (its chains stay).
 *
 * Return: 0 or -ENOMEM.
 */
int fw_nft_flush_batch_build(struct nftnl_batch *b, const char *table,
			     uint32_t seq)
{
	int ret;

	if (!table)
		table = FW_TABLE_NAME;
	ret = fw_nft_batch_begin(b, seq);
	if (!ret)
		ret = fw_nft_table_flush(b, table, seq + 1);
	if (!ret)
		ret = fw_nft_batch_end(b, seq + 2);
	return ret;
}

/**
 * fw_nft_add_batch_build() - append one batch adding @n rules
 * @b:		the batch
 * @table:	table name; NULL means FW_TABLE_NAME
 * @rules:	the rules, in the order they are to be appended
 * @n:		how many
 * @seq:	sequence number of the begin marker; rule i gets @seq + 1 + i
 * @e:		names the rule that cannot be built, if any
 *
 * Return: 0, -EINVAL (a rule out of range), -ENOMEM.
 */
int fw_nft_add_batch_build(struct nftnl_batch *b, const char *table,
			   const struct rule *rules, size_t n, uint32_t seq,
			   struct err *e)
{
	char where[256];
	size_t i;
	int ret;

	ret = fw_nft_batch_begin(b, seq);
	for (i = 0; !ret && i < n; i++) {
		struct nftnl_rule *nr;
		struct nlmsghdr *nlh;

		ret = fw_nft_rule_build(&rules[i], table, &nr);
		if (ret) {
			rule_where(&rules[i], where, sizeof(where));
			return err_set(e, ret,
				       "cannot express %s for nftables: %s",
				       where, strerror(-ret));
		}
		nlh = fw_nft_cmd_hdr(b, NFT_MSG_NEWRULE,
				     NLM_F_CREATE | NLM_F_APPEND,
				     seq + 1 + (uint32_t)i);
		nftnl_rule_nlmsg_build_payload(nlh, nr);
		nftnl_rule_free(nr);
		ret = fw_nft_batch_next(b);
	}
	if (!ret)
		ret = fw_nft_batch_end(b, seq + 1 + (uint32_t)n);
	if (ret)
		return err_set(e, ret, "cannot build an nftables batch: %s",
			       strerror(-ret));
	return 0;
}

/* -------------------------------------------------------------------- */
/* Pure half: answers                                                    */
/* -------------------------------------------------------------------- */

/**
 * fw_nft_acks_init() - expect answers to @ncmds commands after @seq
 * @a:		state to initialise
 * @seq:	sequence number of the batch begin marker
 * @ncmds:	number of commands in the batch
 */
void fw_nft_acks_init(struct fw_nft_acks *a, uint32_t seq, size_t ncmds)
{
	memset(a, 0, sizeof(*a));
	a->seq = seq;
	a->ncmds = ncmds;
}

/**
 * fw_nft_ack() - account for one answer to a batch
 * @nlh:	the answer
 * @ack:	decoded, with the kernel's message and offset
 * @arg:	struct fw_nft_acks
 *
 * An answer to a command counts it as answered, and as refused when its
 * error is not 0.  An error aimed at the begin or end marker refuses the
 * batch as a whole.  Anything else (an ACK of a marker, an end of dump)
 * is ignored.
 *
 * Return: 1 once nothing more is to be waited for, else 0.
 */
static int fw_nft_ack(const struct nlmsghdr *nlh,
		      const struct netlink_ack *ack, void *arg)
{
	struct fw_nft_acks *a = arg;
	uint32_t off = ack->seq - a->seq;

	(void)nlh;
	if (ack->type != NLMSG_ERROR)
		return 0;
	if (off == 0 || off == a->ncmds + 1) {
		if (ack->error && !a->batch_error) {
			a->batch_error = ack->error;
			if (!a->nrefused) {
				snprintf(a->extack, sizeof(a->extack), "%s",
					 ack->msg);
				a->bad_off = ack->offset;
			}
		}
		return fw_nft_acks_done(a);
	}
	a->acked++;
	if (ack->error) {
		if (!a->nrefused || off - 1 < a->first) {
			a->first = off - 1;
			a->first_error = ack->error;
			snprintf(a->extack, sizeof(a->extack), "%s", ack->msg);
			a->bad_off = ack->offset;
		}
		a->nrefused++;
	}
	return fw_nft_acks_done(a);
}

/**
 * fw_nft_conv() - the conversation of a batch's answers
 * @a:		state from fw_nft_acks_init()
 *
 * Its sequence numbers run from the begin marker to the end marker.
 *
 * Return: the conversation, over once fw_nft_acks_done()
 */
static struct netlink_conv fw_nft_conv(struct fw_nft_acks *a)
{
	struct netlink_conv c = { .seq = a->seq,
				  .nseq = (uint32_t)a->ncmds + 2,
				  .ack = fw_nft_ack, .arg = a };

	return c;
}

/**
 * fw_nft_acks_parse() - account for the answers in one received buffer
 * @a:		state from fw_nft_acks_init()
 * @buf:	netlink messages
 * @len:	bytes in @buf
 *
 * Messages for other sequence numbers are ignored (fw_nft_ack() tells what
 * counts).
 *
 * Return: 0, or -EBADMSG for a truncated or malformed buffer.
 */
int fw_nft_acks_parse(struct fw_nft_acks *a, const void *buf, size_t len)
{
	struct netlink_conv c = fw_nft_conv(a);
	int r;

	if (fw_nft_acks_done(a))
		c.over = 1;
	r = netlink_dispatch(&c, buf, len, NULL);
	return r < 0 ? r : 0;
}

/**
 * fw_nft_acks_done() - is every answer in?
 * @a:		state
 *
 * Return: 1 when every command was answered or the batch was refused as a
 * whole, else 0.
 */
int fw_nft_acks_done(const struct fw_nft_acks *a)
{
	return a->batch_error || a->acked >= a->ncmds;
}

/**
 * fw_nft_batch_find() - the message with sequence number @seq in @b
 * @b:		the batch
 * @seq:	sequence number
 *
 * Return: the message (inside the batch's pages), or NULL.
 */
/* What fw_nft_batch_find() looks for, and found */
struct fw_nft_find {
	uint32_t seq;
	const struct nlmsghdr *found;
};

/* netlink_walk() callback: stop (1) at the message with the number sought */
static int fw_nft_find_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct fw_nft_find *f = arg;

	if (nlh->nlmsg_seq != f->seq)
		return 0;
	f->found = nlh;
	return 1;
}

static const struct nlmsghdr *fw_nft_batch_find(struct nftnl_batch *b,
						 uint32_t seq)
{
	struct fw_nft_find f = { seq, NULL };
	int i, iovlen = nftnl_batch_iovec_len(b);
	struct iovec *iov;

	iov = calloc((size_t)iovlen, sizeof(*iov));
	if (!iov)
		return NULL;
	nftnl_batch_iovec(b, iov, (uint32_t)iovlen);
	for (i = 0; i < iovlen && !f.found; i++)
		(void)!netlink_walk(iov[i].iov_base, iov[i].iov_len,
				    fw_nft_find_msg, &f);
	free(iov);
	return f.found;
}

/**
 * fw_nft_within() - does byte @off of @nlh fall inside @attr?
 * @nlh:	the message
 * @attr:	an attribute somewhere in it
 * @off:	offset from the start of @nlh
 *
 * Return: 1 or 0.
 */
static int fw_nft_within(const struct nlmsghdr *nlh, const struct nlattr *attr,
			 uint32_t off)
{
	size_t start = (size_t)((const char *)attr - (const char *)nlh);

	return off >= start && off < start + attr->nla_len;
}

/**
 * fw_nft_blame_expr() - name the expression of a rule that @off falls in
 * @nlh:	the rule message
 * @list:	its NFTA_RULE_EXPRESSIONS attribute
 * @off:	offset from the start of @nlh
 * @buf:	destination: 'expression 9 "log"'
 * @len:	its size
 *
 * Return: FW_NFT_BLAME_EXPR.
 */
static enum fw_nft_blame fw_nft_blame_expr(const struct nlmsghdr *nlh,
					   const struct nlattr *list,
					   uint32_t off, char *buf, size_t len)
{
	const struct nlattr *elem, *a;
	unsigned int i = 0;

	snprintf(buf, len, "its list of expressions");
	mnl_attr_for_each_nested(elem, list) {
		const char *name = "?";

		i++;
		if (!fw_nft_within(nlh, elem, off))
			continue;
		mnl_attr_for_each_nested(a, elem)
			if (mnl_attr_get_type(a) == NFTA_EXPR_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(a);
		snprintf(buf, len, "expression %u \"%s\"", i, name);
		break;
	}
	return FW_NFT_BLAME_EXPR;
}

/**
 * fw_nft_attr_name() - what attribute @type of a message of @msg_type is
 * @msg_type:	NFT_MSG_NEWRULE, NFT_MSG_NEWCHAIN ...
 * @type:	attribute type
 *
 * Return: "table", "chain", "hook" ..., or NULL when it has no name here.
 */
static const char *fw_nft_attr_name(uint16_t msg_type, uint16_t type)
{
	switch (msg_type) {
	case NFT_MSG_NEWRULE:
	case NFT_MSG_DELRULE:
		return type == NFTA_RULE_TABLE	 ? "table"
		       : type == NFTA_RULE_CHAIN ? "chain"
						 : NULL;
	case NFT_MSG_NEWCHAIN:
		return type == NFTA_CHAIN_TABLE	   ? "table"
		       : type == NFTA_CHAIN_NAME   ? "chain"
		       : type == NFTA_CHAIN_HOOK   ? "hook"
		       : type == NFTA_CHAIN_POLICY ? "policy"
		       : type == NFTA_CHAIN_TYPE   ? "chain type"
						   : NULL;
	case NFT_MSG_NEWTABLE:
		return type == NFTA_TABLE_NAME ? "table" : NULL;
	}
	return NULL;
}

/**
 * fw_nft_batch_blame() - name what the kernel's error offset points at
 * @b:		the batch that was sent
 * @seq:	sequence number of the refused command
 * @off:	offset from the start of that command (NLMSGERR_ATTR_OFFS)
 * @buf:	destination: 'chain "output"', 'expression 9 "log"'
 * @len:	its size
 *
 * Return: what kind of thing it is, FW_NFT_BLAME_NONE if unknown.
 */
enum fw_nft_blame fw_nft_batch_blame(struct nftnl_batch *b, uint32_t seq,
				     uint32_t off, char *buf, size_t len)
{
	const struct nlmsghdr *nlh;
	const struct nlattr *attr;
	uint16_t msg_type;

	if (len)
		buf[0] = '\0';
	nlh = off ? fw_nft_batch_find(b, seq) : NULL;
	if (!nlh || off >= nlh->nlmsg_len)
		return FW_NFT_BLAME_NONE;
	msg_type = NFNL_MSG_TYPE(nlh->nlmsg_type);
	mnl_attr_for_each(attr, nlh, sizeof(struct nfgenmsg)) {
		uint16_t type = mnl_attr_get_type(attr);
		const char *name;

		if (!fw_nft_within(nlh, attr, off))
			continue;
		if (msg_type == NFT_MSG_NEWRULE &&
		    type == NFTA_RULE_EXPRESSIONS)
			return fw_nft_blame_expr(nlh, attr, off, buf, len);
		name = fw_nft_attr_name(msg_type, type);
		if (name && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(buf, len, "%s \"%s\"", name,
				 mnl_attr_get_str(attr));
		else if (name)
			snprintf(buf, len, "the %s", name);
		else
			snprintf(buf, len, "attribute %u", type);
		return FW_NFT_BLAME_OBJECT;
	}
	return FW_NFT_BLAME_NONE;
}

/* -------------------------------------------------------------------- */
/* Kernel half                                                           */
/* -------------------------------------------------------------------- */

/**
 * fw_nft_talk() - send a whole batch and collect every answer to it
 * @f:		the instance
 * @b:		the batch
 * @a:		answers expected (fw_nft_acks_init()); filled in
 *
 * The socket buffers are grown first: nfnetlink needs the whole batch in
 * one message, and every answer must fit in the receive queue.  Refusals
 * are not errors here: they are left in @a for the caller to map to their
 * cause.
 *
 * Return: 0 when every answer is in, or -errno for a failure to talk:
 * send or receive failed, answers were lost (-ENOBUFS), none came in time
 * (-ETIMEDOUT), or they made no sense (-EBADMSG).
 */
static int fw_nft_talk(struct fw_nft *f, struct nftnl_batch *b,
		       struct fw_nft_acks *a)
{
	struct netlink_conv c = fw_nft_conv(a);
	int i, ret, iovlen = nftnl_batch_iovec_len(b);
	struct iovec *iov;
	size_t total = 0;

	iov = calloc((size_t)iovlen, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	nftnl_batch_iovec(b, iov, (uint32_t)iovlen);
	for (i = 0; i < iovlen; i++)
		total += iov[i].iov_len;
	netlink_bufsize(f->fd, SO_SNDBUF, total + 4096);
	netlink_bufsize(f->fd, SO_RCVBUF, (a->ncmds + 2) * FW_NFT_ACK_ROOM);
	ret = netlink_send(f->fd, iov, (size_t)iovlen);
	free(iov);
	if (!ret)
		ret = netlink_recv_run(f->fd, &c, NULL);
	/* leave nothing of this transaction for the next one */
	netlink_drain(f->fd);
	return ret;
}

/**
 * fw_nft_fail() - record a refusal or fault with the right exit class
 * @e:		error to fill
 * @kind:	what the kernel pointed at, if it did
 * @code:	-errno
 * @fmt:	message format
 *
 * A missing kernel feature (an nftables expression module, nfnetlink
 * itself) or a missing privilege is an environment fault: exit class 3,
 * which tests treat as "skip".  ENOENT is such a fault only when it is not
 * about a table or chain of our own, which we created a moment ago.
 * Anything else is internal.
 *
 * Return: @code.
 */
static int PRINTF(4, 5) fw_nft_fail(struct err *e, enum fw_nft_blame kind,
				    int code, const char *fmt, ...)
{
	char msg[sizeof(e->msg)];
	int env = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	switch (code) {
	case -EOPNOTSUPP:
	case -ENOENT:
		env = kind != FW_NFT_BLAME_OBJECT;
		break;
	case -EAFNOSUPPORT:
	case -EPROTONOSUPPORT:
	case -EPERM:
		env = 1;
		break;
	}
	if (env)
		return err_env(e, code, "%s", msg);
	return err_set(e, code, "%s", msg);
}

/**
 * fw_nft_reason() - the kernel's reason for the first refusal in @a
 * @a:		the answers
 * @b:		the batch they answer
 * @buf:	destination: 'Operation not supported (the kernel points at
 *		expression 9 "log")'
 * @len:	its size
 *
 * Return: what the kernel pointed at.
 */
static enum fw_nft_blame fw_nft_reason(const struct fw_nft_acks *a,
				       struct nftnl_batch *b, char *buf,
				       size_t len)
{
	int code = a->nrefused ? a->first_error : a->batch_error;
	enum fw_nft_blame kind = FW_NFT_BLAME_NONE;
	char at[128] = "";

	if (a->nrefused)
		kind = fw_nft_batch_blame(b, a->seq + 1 + (uint32_t)a->first,
					  a->bad_off, at, sizeof(at));
	snprintf(buf, len, "%s%s%s%s%s%s", strerror(-code),
		 a->extack[0] ? ": " : "", a->extack,
		 at[0] ? " (the kernel points at " : "", at, at[0] ? ")" : "");
	return kind;
}

/**
 * fw_nft_commit() - send a batch of the instance's own table and account
 * for every answer
 * @f:		the instance
 * @b:		the batch, begun at @seq
 * @seq:	sequence number of its begin marker
 * @n:		commands between the markers
 * @doing:	what the batch does, for messages: "set up its table"
 * @what:	what each command does ("create table ..."), or NULL
 * @rules:	or each command appends one of these rules, or NULL: a
 *		refused command is then named by its scenario line
 * @e:		what failed, if anything
 *
 * Return: 0 or -errno.
 */
static int fw_nft_commit(struct fw_nft *f, struct nftnl_batch *b,
			 uint32_t seq, size_t n, const char *doing,
			 const char *const *what, const struct rule *rules,
			 struct err *e)
{
	char reason[512], where[256];
	enum fw_nft_blame kind;
	struct fw_nft_acks a;
	int ret;

	fw_nft_acks_init(&a, seq, n);
	ret = fw_nft_talk(f, b, &a);
	if (ret) {
		fw_nft_fail(e, FW_NFT_BLAME_NONE, ret,
			    "nftables: cannot collect the kernel's answers to "
			    "a batch to %s (it may or may not have taken "
			    "effect): %s", doing, strerror(-ret));
		return ret;
	}
	if (!a.nrefused && !a.batch_error)
		return 0;
	ret = a.nrefused ? a.first_error : a.batch_error;
	kind = fw_nft_reason(&a, b, reason, sizeof(reason));
	if (a.nrefused && rules) {
		rule_where(&rules[a.first], where, sizeof(where));
		if (a.nrefused > 1)
			fw_nft_fail(e, kind, ret,
				    "nftables refused %s: %s; and %zu more "
				    "rule%s of the same batch",
				    where, reason, a.nrefused - 1,
				    a.nrefused > 2 ? "s" : "");
		else
			fw_nft_fail(e, kind, ret, "nftables refused %s: %s",
				    where, reason);
		return ret;
	}
	fw_nft_fail(e, kind, ret, "nftables refused to %s in the lab namespace: %s",
		    a.nrefused && what ? what[a.first] : doing, reason);
	return ret;
}

/**
 * fw_nft_setup() - set the instance's namespace up
 * @f:		the instance, its socket open
 * @e:		what failed, if anything
 *
 * Sends the set-up batch (fw_nft_open_batch_build()): table inet tcplab,
 * new and empty (one left from earlier goes, with its chains).
 *
 * Return: 0 or -errno.
 */
static int fw_nft_setup(struct fw_nft *f, struct err *e)
{
	static const char *const what[FW_NFT_OPEN_NCMDS] = {
		[FW_NFT_OPEN_TABLE] = "create table inet " FW_TABLE_NAME,
		[FW_NFT_OPEN_DELETE] = "delete table inet " FW_TABLE_NAME
				       " left from earlier",
		[FW_NFT_OPEN_TABLE_AGAIN] = "create table inet " FW_TABLE_NAME,
	};
	struct nftnl_batch *b;
	uint32_t seq;
	int ret;

	b = fw_nft_batch_new();
	if (!b)
		return err_set(e, -ENOMEM, "nftables: out of memory");
	seq = netlink_seq_next(FW_NFT_OPEN_NCMDS + 2);
	ret = fw_nft_open_batch_build(b, FW_TABLE_NAME, seq);
	if (ret)
		err_set(e, ret, "cannot build an nftables batch: %s",
			strerror(-ret));
	else
		ret = fw_nft_commit(f, b, seq, FW_NFT_OPEN_NCMDS,
				    "set up its table", what, NULL, e);
	nftnl_batch_free(b);
	return ret;
}

/**
 * fw_nft_open() - open an nftables instance in the namespace @nsfd
 * @out:	set to the new instance on success
 * @nsfd:	the node's network namespace
 * @e:		what failed, if anything
 *
 * Opens the netlink socket inside the namespace, then sets the table up
 * (fw_nft_setup()).
 *
 * Return: 0 or -errno.
 */
static int fw_nft_open(struct fw **out, int nsfd, struct err *e)
{
	struct fw_nft *f;
	int ret;

	f = calloc(1, sizeof(*f));
	if (!f)
		return err_set(e, -ENOMEM, "nftables: out of memory");
	f->base.backend = &fw_nft_backend;
	f->fd = netlink_open(nsfd, NETLINK_NETFILTER, e);
	if (f->fd < 0) {
		ret = f->fd;
		err_prefix(e, "nftables");
		free(f);
		return ret;
	}
	ret = fw_nft_setup(f, e);
	if (ret) {
		close(f->fd);
		free(f);
		return ret;
	}
	*out = &f->base;
	return 0;
}

/**
 * fw_nft_reset() - every rule gone, the table and its chains kept
 * @fw:		the instance
 * @e:		what failed, if anything
 *
 * One batch on the instance's socket: flush table inet tcplab.
 *
 * Return: 0 or -errno.
 */
static int fw_nft_reset(struct fw *fw, struct err *e)
{
	struct nftnl_batch *b;
	uint32_t seq;
	int ret;

	b = fw_nft_batch_new();
	if (!b)
		return err_set(e, -ENOMEM, "nftables: out of memory");
	seq = netlink_seq_next(3);
	ret = fw_nft_flush_batch_build(b, FW_TABLE_NAME, seq);
	if (ret)
		err_set(e, ret, "cannot build an nftables batch: %s",
			strerror(-ret));
	else
		ret = fw_nft_commit(fw_nft_of(fw), b, seq, 1,
				    "flush table inet " FW_TABLE_NAME, NULL, NULL,
				    e);
	nftnl_batch_free(b);
	return ret;
}

/**
 * fw_nft_chains() - the base chains of @hooks, made where still missing
 * @f:		the instance
 * @hooks:	bit (1 << RULE_INPUT) and so on
 * @e:		what failed, if anything
 *
 * Each base chain registers netfilter hooks, and the first hook of its
 * kind on the machine has the kernel patch its code on every CPU (a
 * static key): milliseconds on a virtual machine.  So a chain is made
 * only for the first rule that needs it, not for every table.
 *
 * Return: 0 or -errno.
 */
static int fw_nft_chains(struct fw_nft *f, unsigned int hooks, struct err *e)
{
	struct nftnl_batch *b;
	uint32_t seq;
	int ret, n;

	hooks &= ~f->chains;
	if (!hooks)
		return 0;
	b = fw_nft_batch_new();
	if (!b)
		return err_set(e, -ENOMEM, "nftables: out of memory");
	seq = netlink_seq_next(ARRAY_SIZE(fw_nft_nf_hook) + 2);
	n = fw_nft_chains_batch_build(b, FW_TABLE_NAME, hooks, seq);
	if (n < 0)
		ret = err_set(e, n, "cannot build an nftables batch: %s",
			      strerror(-n));
	else
		ret = fw_nft_commit(f, b, seq, (size_t)n,
				    "create a base chain", NULL, NULL, e);
	if (!ret)
		f->chains |= hooks;
	nftnl_batch_free(b);
	return ret;
}

/**
 * fw_nft_add() - append @n rules to their chains, all or none
 * @fw:		the instance
 * @rules:	the rules
 * @n:		how many
 * @e:		the first rule the kernel refused, with its scenario line
 *
 * Return: 0 or -errno.
 */
static int fw_nft_add(struct fw *fw, const struct rule *rules, size_t n,
		      struct err *e)
{
	struct fw_nft *f = fw_nft_of(fw);
	struct nftnl_batch *b;
	char doing[64];
	uint32_t seq;
	int ret;

	if (!n)
		return 0;
	ret = fw_nft_chains(f, fw_nft_chains_needed(rules, n), e);
	if (ret)
		return ret;
	b = fw_nft_batch_new();
	if (!b)
		return err_set(e, -ENOMEM, "nftables: out of memory");
	seq = netlink_seq_next((uint32_t)n + 2);
	ret = fw_nft_add_batch_build(b, FW_TABLE_NAME, rules, n, seq, e);
	if (!ret) {
		snprintf(doing, sizeof(doing), "append %zu rule%s", n,
			 n == 1 ? "" : "s");
		ret = fw_nft_commit(f, b, seq, n, doing, NULL, rules, e);
	}
	nftnl_batch_free(b);
	return ret;
}

/**
 * fw_nft_close() - close the socket and free the instance
 * @fw:		the instance
 *
 * The table stays: it goes away with the namespace.
 */
static void fw_nft_close(struct fw *fw)
{
	struct fw_nft *f = fw_nft_of(fw);

	close(f->fd);
	free(f);
}

const struct fw_backend fw_nft_backend = {
	.name = "nftables",
	.open = fw_nft_open,
	.add = fw_nft_add,
	.reset = fw_nft_reset,
	.close = fw_nft_close,
};
