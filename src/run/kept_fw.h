/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kept_fw.h - the scenario language's firewall directive on a kept lab
 *
 * Theory of operation: `tcplab firewall LAB NODE add RULE...` takes the
 * words of a scenario's "firewall NODE RULE" line, parses them with the
 * scenario parser (so the grammar, and its located errors, are the same),
 * gives the rule the lowest free id (its NFLOG group: `tcplab watch` names
 * it beside each drop), and installs the node's whole list again in one
 * commit of the lab's backend (opening a backend flushes the lab's table).
 * The list lives beside the lab's record (kept.h) and starts as the rules
 * the scenario left installed.  `del` removes a rule by its id or its
 * text, `list` prints them.  Only rules that drop, reject or accept: a
 * "hold" needs a running scenario to release what it holds.
 */
#ifndef TCPLAB_KEPT_FW_H
#define TCPLAB_KEPT_FW_H

#include <stdio.h>

#include "err.h"
#include "kept.h"

/*
 * kept_fw_parse() - parse "NODE RULE..." (@words, @n of them) as a
 * scenario's firewall line for lab @k; the rule's text, as rule_describe()
 * writes it, into @out.  Pure.  0, or -EINVAL with a located message.
 */
int kept_fw_parse(const struct kept_info *k, char *const *words, int n,
		  struct kept_rule *out, struct err *e) WUR;

/* kept_fw_add() - add a rule to node @words[0] of lab @k and install it */
int kept_fw_add(const struct kept_info *k, const struct kept_ns *ns,
		char *const *words, int n, FILE *out, struct err *e) WUR;

/* kept_fw_del() - remove rule "ID" or "NODE RULE..." and reinstall */
int kept_fw_del(const struct kept_info *k, const struct kept_ns *ns,
		char *const *words, int n, FILE *out, struct err *e) WUR;

/* kept_fw_list() - the rules of lab @k (of node @node, or all for NULL),
 * each with its nft and iptables rendering */
int kept_fw_list(const struct kept_info *k, const char *node, FILE *out,
		 struct err *e) WUR;

#endif
