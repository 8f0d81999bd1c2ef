// SPDX-License-Identifier: GPL-2.0-or-later
/* kept_fw.c - firewall rules on a kept lab (see kept_fw.h) */
#include "kept_fw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fw.h"
#include "rule.h"
#include "scenario.h"

/* "w1 w2 w3" from @words */
static void join(char *buf, size_t len, char *const *words, int n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? " " : "", words[i]);
}

/*
 * Parse "firewall LINE" in a scenario of @k's topology: the rule, with the
 * node index of @k.  The error says the column in LINE.
 */
static int parse_line(const struct kept_info *k, const char *line,
		      struct rule *out, struct err *e)
{
	char text[1024];
	size_t used;
	struct scenario *sc = NULL;
	struct err pe = { 0 };
	const char *msg;
	size_t i;
	int n, r;

	used = (size_t)snprintf(text, sizeof(text),
				"scenario kept\ntitle \"a kept lab\"\ntopology");
	for (n = 0; n < k->nnodes && used < sizeof(text); n++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, " %s",
					 k->nodes[n].name);
	if (used < sizeof(text))
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "\nfirewall %s\n", line);
	if (used >= sizeof(text))
		return err_set(e, -E2BIG, "rule too long");
	r = scenario_parse("rule", text, strlen(text), &sc, &pe);
	if (r) {
		int ln, col;

		/* "rule:4:COL: message": COL counts in "firewall LINE", as quoted */
		if (sscanf(pe.msg, "rule:%d:%d:", &ln, &col) == 2 &&
		    (msg = strstr(pe.msg + 5, ": ")))
			return err_set(e, -EINVAL, "'firewall %s', column %d:%s", line,
				       col, msg + 1);
		return err_set(e, -EINVAL, "'firewall %s': %s", line, pe.msg);
	}
	for (i = 0; i < sc->nsteps; i++)
		if (sc->steps[i].kind == STEP_FIREWALL)
			break;
	if (i == sc->nsteps) {
		scenario_free(sc);
		return err_set(e, -EINVAL,
			       "'firewall %s': not a rule (flush and release "
			       "belong to scenarios; 'del' removes a rule)", line);
	}
	*out = sc->steps[i].rule;
	scenario_free(sc);
	if (out->action == RULE_HOLD)
		return err_set(e, -EINVAL,
			       "'firewall %s': a kept lab has nobody to release "
			       "held packets; drop, reject or accept them", line);
	return 0;
}

int kept_fw_parse(const struct kept_info *k, char *const *words, int n,
		  struct kept_rule *out, struct err *e)
{
	char line[512];
	struct rule rule;
	int r;

	if (n < 2)
		return err_set(e, -EINVAL, "a rule is NODE HOOK ... ACTION, as in a "
			       "scenario's firewall line");
	join(line, sizeof(line), words, n);
	r = parse_line(k, line, &rule, e);
	if (r)
		return r;
	memset(out, 0, sizeof(*out));
	snprintf(out->node, sizeof(out->node), "%s", k->nodes[rule.node].name);
	rule_describe(&rule, out->text, sizeof(out->text));
	return 0;
}

/* install every rule of node @node again, in one commit */
static int install(const struct kept_info *k, const struct kept_ns *ns,
		   const struct kept_rules *rs, int node, struct err *e)
{
	const struct fw_backend *b = fw_backend_find(k->firewall);
	struct rule v[KEPT_MAX_RULES];
	struct fw *fw;
	size_t n = 0;
	int i, r;

	if (!b)
		return err_set(e, -EINVAL, "lab %s: unknown firewall backend '%s'",
			       k->name, k->firewall);
	for (i = 0; i < rs->n; i++) {
		char line[256];

		if (strcmp(rs->v[i].node, k->nodes[node].name))
			continue;
		snprintf(line, sizeof(line), "%s %s", rs->v[i].node, rs->v[i].text);
		r = parse_line(k, line, &v[n], e);
		if (r)
			return r;
		if (v[n].family && v[n].family != k->family)
			continue;
		v[n].id = rs->v[i].id;
		if (rule_logged(&v[n]))
			v[n].nflog_group = (int)v[n].id;
		n++;
	}
	r = fw_open(b, &fw, ns->node[node], e);
	if (r)
		return r;
	r = n ? fw_add(fw, v, n, e) : 0;
	fw_close(fw);
	return r;
}

static int change(const struct kept_info *k, const struct kept_ns *ns,
		  const struct kept_rules *old, const struct kept_rules *now,
		  int node, struct err *e)
{
	int r = install(k, ns, now, node, e);

	if (r) {
		struct err ignored = { 0 };

		(void)install(k, ns, old, node, &ignored); /* as it was */
		return r;
	}
	return kept_rules_write(k->name, now, e);
}

static void say(FILE *out, const char *verb, const struct kept_rule *r)
{
	fprintf(out, "%s rule %u: firewall %s %s\n", verb, r->id, r->node, r->text);
}

int kept_fw_add(const struct kept_info *k, const struct kept_ns *ns,
		char *const *words, int n, FILE *out, struct err *e)
{
	struct kept_rules old, now;
	struct kept_rule nr;
	unsigned id;
	int r, node;

	r = kept_fw_parse(k, words, n, &nr, e);
	if (r)
		return r;
	r = kept_rules_read(k->name, &old, e);
	if (r)
		return r;
	if (old.n >= KEPT_MAX_RULES)
		return err_set(e, -ENOSPC, "lab %s has %d rules already", k->name,
			       KEPT_MAX_RULES);
	for (id = 1; kept_rule_find(&old, id); id++)
		;
	nr.id = id;
	now = old;
	now.v[now.n++] = nr;
	node = kept_node_find(k, nr.node);
	r = change(k, ns, &old, &now, node, e);
	if (!r)
		say(out, "added", &nr);
	return r;
}

int kept_fw_del(const struct kept_info *k, const struct kept_ns *ns,
		char *const *words, int n, FILE *out, struct err *e)
{
	struct kept_rules old, now;
	struct kept_rule gone;
	int r, i, at = -1;
	char *end;
	unsigned long id;

	r = kept_rules_read(k->name, &old, e);
	if (r)
		return r;
	if (n == 1 && (id = strtoul(words[0], &end, 10)) > 0 && !*end) {
		for (i = 0; i < old.n; i++)
			if (old.v[i].id == id)
				at = i;
		if (at < 0)
			return err_set(e, -ENOENT, "lab %s has no rule %lu "
				       "(tcplab firewall %s list)", k->name, id,
				       k->name);
	} else {
		struct kept_rule want;

		r = kept_fw_parse(k, words, n, &want, e);
		if (r)
			return r;
		for (i = 0; i < old.n; i++)
			if (!strcmp(old.v[i].node, want.node) &&
			    !strcmp(old.v[i].text, want.text))
				at = i;
		if (at < 0)
			return err_set(e, -ENOENT, "lab %s has no rule 'firewall %s %s' "
				       "(tcplab firewall %s list)", k->name,
				       want.node, want.text, k->name);
	}
	gone = old.v[at];
	now = old;
	memmove(&now.v[at], &now.v[at + 1],
		(size_t)(now.n - at - 1) * sizeof(now.v[0]));
	now.n--;
	r = change(k, ns, &old, &now, kept_node_find(k, gone.node), e);
	if (!r)
		say(out, "deleted", &gone);
	return r;
}

int kept_fw_list(const struct kept_info *k, const char *node, FILE *out,
		 struct err *e)
{
	struct kept_rules rs;
	int i, r, shown = 0;

	r = kept_rules_read(k->name, &rs, e);
	if (r)
		return r;
	for (i = 0; i < rs.n; i++) {
		char line[256], nft[512], ipt[512];
		struct rule rule;

		if (node && strcmp(node, rs.v[i].node))
			continue;
		snprintf(line, sizeof(line), "%s %s", rs.v[i].node, rs.v[i].text);
		if (parse_line(k, line, &rule, e))
			return -EINVAL;
		rule.id = rs.v[i].id;
		rule_render_nft(&rule, FW_TABLE_NAME, nft, sizeof(nft));
		rule_render_ipt(&rule, RULE_IPT_AUTO, ipt, sizeof(ipt));
		fprintf(out, "%3u  firewall %s %s\n       nft:      %s\n       iptables: %s\n",
			rs.v[i].id, rs.v[i].node, rs.v[i].text, nft, ipt);
		shown++;
	}
	if (!shown)
		fprintf(out, "no firewall rules on %s%s%s\n", node ? node : "lab ",
			node ? " in lab " : "", k->name);
	return 0;
}
