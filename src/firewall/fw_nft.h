/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_nft.h - the nftables backend: pure builders and the ACK decoder
 *
 * The backend itself is reached through fw.h (fw_nft_backend in the
 * registry).  What is exposed here is the part that needs no kernel, so
 * that unit tests can build the very messages the backend sends and feed
 * recorded or hand-made answers through the very decoder it uses:
 *
 *  - fw_nft_rule_build() turns one neutral rule into a libnftnl rule;
 *  - fw_nft_open_batch_build(), fw_nft_chains_batch_build(),
 *    fw_nft_flush_batch_build() and fw_nft_add_batch_build() write whole
 *    nfnetlink batches (begin, commands, end) into a struct nftnl_batch;
 *  - struct fw_nft_acks and fw_nft_acks_parse() take the kernel's answers
 *    to a batch apart and tell which command, if any, was refused.
 *
 * Sequence numbers: a batch that starts at @seq carries its begin message
 * at @seq, command i (0-based) at @seq + 1 + i, and its end message after
 * the last command.  That is how an error is mapped back to its cause.
 */
#ifndef TCPLAB_FW_NFT_H
#define TCPLAB_FW_NFT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fw.h"
#include "rule.h"

struct nftnl_batch;
struct nftnl_rule;

/* The registry entry, listed in fw.c */
extern const struct fw_backend fw_nft_backend;

/* Commands in the batch fw_nft_open_batch_build() writes */
enum {
	FW_NFT_OPEN_TABLE,        /* add table inet TABLE */
	FW_NFT_OPEN_DELETE,       /* delete table inet TABLE (and its chains) */
	FW_NFT_OPEN_TABLE_AGAIN,  /* add table inet TABLE */
	FW_NFT_OPEN_NCMDS,
};

/* fw_nft_batch_new() - an empty batch (nftnl_batch_free() frees it) */
struct nftnl_batch *fw_nft_batch_new(void);

/*
 * fw_nft_rule_build() - a new libnftnl rule for @r in table inet @table.
 * -EINVAL for a rule no backend could express (unknown hook, family or
 * action, NFLOG group out of 1..65535), -ENOMEM.
 */
int fw_nft_rule_build(const struct rule *r, const char *table,
		      struct nftnl_rule **out) WUR;

/*
 * fw_nft_open_batch_build() - append the batch that sets a namespace up:
 * table inet @table added, deleted and added again, so that it is new and
 * empty even where one was left from earlier (rules, chains, a policy
 * changed by hand).  FW_NFT_OPEN_NCMDS commands.
 */
int fw_nft_open_batch_build(struct nftnl_batch *b, const char *table,
			    uint32_t seq) WUR;

/* fw_nft_chains_needed() - the base chains @rules go to: bit (1 << hook) */
unsigned int fw_nft_chains_needed(const struct rule *rules, size_t n);

/*
 * fw_nft_chains_batch_build() - append the batch that adds the base chains
 * of @hooks (bit (1 << RULE_INPUT) and so on; type filter, priority 0,
 * policy accept, named after their hook), in hook order.  Returns how
 * many commands, or -ENOMEM.
 */
int fw_nft_chains_batch_build(struct nftnl_batch *b, const char *table,
			      unsigned int hooks, uint32_t seq) WUR;

/*
 * fw_nft_flush_batch_build() - append the batch that empties table inet
 * @table and keeps its chains: one command, at @seq + 1.
 */
int fw_nft_flush_batch_build(struct nftnl_batch *b, const char *table,
			     uint32_t seq) WUR;

/*
 * fw_nft_add_batch_build() - append one batch adding @n rules to the end
 * of their chains.  On -EINVAL @e names the rule that cannot be built.
 */
int fw_nft_add_batch_build(struct nftnl_batch *b, const char *table,
			   const struct rule *rules, size_t n, uint32_t seq,
			   struct err *e) WUR;

/* The kernel's answers to one batch, as fw_nft_acks_parse() found them */
struct fw_nft_acks {
	uint32_t seq;      /* sequence number of the batch begin message */
	size_t ncmds;      /* commands: seq + 1 ... seq + ncmds */
	size_t acked;      /* commands answered so far (ACK or error) */
	size_t nrefused;   /* commands refused */
	size_t first;      /* index of the first refused command */
	int first_error;   /* its -errno */
	int batch_error;   /* -errno aimed at the batch as a whole, else 0 */
	char extack[256];  /* the kernel's message for the first error */
	uint32_t bad_off;  /* where in that command the kernel points, or 0 */
};

/* fw_nft_acks_init() - expect answers to @ncmds commands after @seq */
void fw_nft_acks_init(struct fw_nft_acks *a, uint32_t seq, size_t ncmds);

/*
 * fw_nft_acks_parse() - account for the netlink messages in @buf (@len
 * bytes, as one recv() returned them).  Messages for other sequence
 * numbers are ignored.  -EBADMSG for a malformed buffer.
 */
int fw_nft_acks_parse(struct fw_nft_acks *a, const void *buf,
		      size_t len) WUR;

/* fw_nft_acks_done() - 1 when nothing more is to be waited for */
int fw_nft_acks_done(const struct fw_nft_acks *a);

/* What an error's offset points at, from fw_nft_batch_blame() */
enum fw_nft_blame {
	FW_NFT_BLAME_NONE,  /* nothing known */
	FW_NFT_BLAME_OBJECT, /* a table, a chain, a hook: our own set-up */
	FW_NFT_BLAME_EXPR,   /* an expression: a kernel feature, usually */
};

/*
 * fw_nft_batch_blame() - name the attribute at byte @off of the command
 * with sequence number @seq in @b, as the kernel's extended ACK points at
 * it: 'chain "output"', 'expression 9 "log"'.  Returns what kind of thing
 * it is; @buf is "" for FW_NFT_BLAME_NONE.
 */
enum fw_nft_blame fw_nft_batch_blame(struct nftnl_batch *b, uint32_t seq,
				     uint32_t off, char *buf, size_t len);

#endif
