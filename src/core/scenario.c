// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scenario.c - the scenario language parser (see scenario.h)
 *
 * Two passes over the text: a tokenizer that cuts it into logical lines of
 * tokens, each with its line and column (quoted strings may continue over
 * physical lines), and a directive parser that turns each logical line into
 * header fields, sysctls or steps.  Every error names the token it is
 * about.
 */
#include "scenario.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sock.h"
#include "sysctl.h"
#include "util.h"

#define MAX_TOKENS 32

struct tok {
	char *s;
	int line, col;
	int quoted;
};

struct parser {
	struct scenario *sc;
	struct err *e;
	const char *text;
	size_t len, pos;
	int line, col;
	struct tok toks[MAX_TOKENS];
	int ntok;
	int seen_scenario;
	int header_done; /* the first step has been seen */
};

static const char *const step_names[] = {
	[STEP_LISTEN] = "listen",	  [STEP_CONNECT] = "connect",
	[STEP_ACCEPT] = "accept",	  [STEP_SEND] = "send",
	[STEP_RECV] = "recv",		  [STEP_SHUTDOWN] = "shutdown",
	[STEP_CLOSE] = "close",		  [STEP_ABORT] = "abort",
	[STEP_EXIT] = "exit",		  [STEP_FIREWALL] = "firewall",
	[STEP_WAIT] = "wait",		  [STEP_EXPECT_STATE] = "expect state",
	[STEP_EXPECT_ERROR] = "expect error", [STEP_EXPECT_EOF] = "expect eof",
	[STEP_KEEPALIVE] = "keepalive",	  [STEP_FLUSH] = "firewall flush",
	[STEP_EXPECT_RETRANS] = "expect retransmits",
	[STEP_EXPECT_COUNTER] = "expect counter", [STEP_CRASH] = "crash",
	[STEP_RELEASE] = "firewall release",
	[STEP_EXPECT_PACKETS] = "expect packets", [STEP_EXPECT_DROPS] = "expect drops",
};

const char *step_kind_name(enum step_kind k)
{
	if ((unsigned)k < ARRAY_SIZE(step_names) && step_names[k])
		return step_names[k];
	return "?";
}

static struct loc tok_loc(const struct parser *p, const struct tok *t)
{
	struct loc l = { p->sc->file, t->line, t->col };

	return l;
}

static int perr(struct parser *p, const struct tok *t, const char *fmt, ...)
	PRINTF(3, 4);

static int perr(struct parser *p, const struct tok *t, const char *fmt, ...)
{
	struct loc l = t ? tok_loc(p, t)
			 : (struct loc){ p->sc->file, p->line, p->col };
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_at(p->e, -EINVAL, &l, "%s", msg);
}

static void free_tokens(struct parser *p)
{
	int i;

	for (i = 0; i < p->ntok; i++)
		free(p->toks[i].s);
	p->ntok = 0;
}

static int peekc(const struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->text[p->pos] : -1;
}

static void advance(struct parser *p)
{
	if (p->text[p->pos] == '\n') {
		p->line++;
		p->col = 1;
	} else {
		p->col++;
	}
	p->pos++;
}

/* A quoted string: escapes \" and \\; a line break and the blanks around
 * it fold into one space. */
static int lex_quoted(struct parser *p, struct tok *t)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	int c;

	if (!s)
		return err_set(p->e, -ENOMEM, "out of memory");
	advance(p); /* opening quote */
	for (;;) {
		c = peekc(p);
		if (c < 0) {
			free(s);
			return perr(p, t, "unterminated string");
		}
		if (c == '"') {
			advance(p);
			break;
		}
		if (c == '\\') {
			advance(p);
			c = peekc(p);
			if (c != '"' && c != '\\') {
				free(s);
				return perr(p, NULL,
					    "unknown escape in string (only \\\" and \\\\)");
			}
		} else if (c == '\n') {
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			advance(p);
			while (peekc(p) == ' ' || peekc(p) == '\t')
				advance(p);
			c = ' ';
			if (n + 2 > cap) {
				char *ns = realloc(s, cap *= 2);

				if (!ns) {
					free(s);
					return err_set(p->e, -ENOMEM,
						       "out of memory");
				}
				s = ns;
			}
			s[n++] = (char)c;
			continue;
		} else if (c < 0x20 && c != '\t') {
			free(s);
			return perr(p, NULL, "control character in string");
		}
		if (n + 2 > cap) {
			char *ns = realloc(s, cap *= 2);

			if (!ns) {
				free(s);
				return err_set(p->e, -ENOMEM, "out of memory");
			}
			s = ns;
		}
		s[n++] = (char)c;
		advance(p);
	}
	s[n] = '\0';
	t->s = s;
	t->quoted = 1;
	return 0;
}

/* Read the next logical line into p->toks; returns 1 if a line was read,
 * 0 at the end of the text, -errno on a lexical error. */
static int lex_line(struct parser *p)
{
	int c, r;

	free_tokens(p);
	for (;;) {
		c = peekc(p);
		if (c < 0)
			return p->ntok > 0;
		if (c == '\n') {
			advance(p);
			if (p->ntok)
				return 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			advance(p);
			continue;
		}
		if (c == '#') {
			while (peekc(p) >= 0 && peekc(p) != '\n')
				advance(p);
			continue;
		}
		if (p->ntok == MAX_TOKENS) {
			struct tok t = { NULL, p->line, p->col, 0 };

			return perr(p, &t, "too many words on one line");
		}
		{
			struct tok *t = &p->toks[p->ntok];

			t->line = p->line;
			t->col = p->col;
			t->quoted = 0;
			if (c == '"') {
				r = lex_quoted(p, t);
				if (r)
					return r;
			} else {
				size_t start = p->pos;

				while ((c = peekc(p)) >= 0 && !isspace(c) &&
				       c != '#' && c != '"')
					advance(p);
				t->s = strndup(p->text + start, p->pos - start);
				if (!t->s)
					return err_set(p->e, -ENOMEM,
						       "out of memory");
				for (size_t i = 0; t->s[i]; i++)
					if ((unsigned char)t->s[i] < 0x20 ||
					    (unsigned char)t->s[i] >= 0x7f) {
						struct tok bad = *t;

						bad.col += (int)i;
						free(t->s);
						t->s = NULL;
						return perr(p, &bad,
							    "unexpected character");
					}
			}
			p->ntok++;
		}
	}
}

static int parse_uint(struct parser *p, const struct tok *t, unsigned long min,
		      unsigned long max, const char *what, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (t->quoted || !isdigit((unsigned char)t->s[0]))
		return perr(p, t, "expected %s (a number), got '%s'", what,
			    t->s);
	errno = 0;
	v = strtoul(t->s, &end, 10);
	if (errno || *end)
		return perr(p, t, "expected %s (a number), got '%s'", what,
			    t->s);
	if (v < min || v > max)
		return perr(p, t, "%s %lu is out of range (%lu..%lu)", what, v,
			    min, max);
	*out = v;
	return 0;
}

static int parse_port(struct parser *p, const struct tok *t, uint16_t *port)
{
	unsigned long v;
	int r = parse_uint(p, t, 1, 65535, "port", &v);

	if (!r)
		*port = (uint16_t)v;
	return r;
}

static int parse_dur(struct parser *p, const struct tok *t, uint64_t *ns)
{
	int r = t->quoted ? -EINVAL : util_parse_duration(t->s, ns);

	if (r == -ERANGE)
		return perr(p, t, "duration '%s' is too long (1 hour at most)",
			    t->s);
	if (r)
		return perr(p, t,
			    "expected a duration such as 50ms, 2s or 250us, got '%s'",
			    t->s);
	return 0;
}

static int node_of(struct parser *p, const struct tok *t)
{
	int n = scenario_node_find(p->sc, t->s);

	if (n < 0)
		perr(p, t, "unknown node '%s' (nodes: %s%s%s%s%s%s%s)", t->s,
		     p->sc->nodes[0], p->sc->nnodes > 1 ? ", " : "",
		     p->sc->nnodes > 1 ? p->sc->nodes[1] : "",
		     p->sc->nnodes > 2 ? ", " : "",
		     p->sc->nnodes > 2 ? p->sc->nodes[2] : "",
		     p->sc->nnodes > 3 ? ", " : "",
		     p->sc->nnodes > 3 ? p->sc->nodes[3] : "");
	return n;
}

static int need_args(struct parser *p, int min, int max, const char *usage)
{
	if (p->ntok < min) {
		const struct tok *last = &p->toks[p->ntok - 1];
		struct tok after = *last;

		after.col += last->quoted ? (int)strlen(last->s) + 2
					  : (int)strlen(last->s);
		return perr(p, &after, "missing argument: %s", usage);
	}
	if (max >= 0 && p->ntok > max)
		return perr(p, &p->toks[max], "unexpected '%s': %s",
			    p->toks[max].s, usage);
	return 0;
}

static int valid_name(const char *s)
{
	size_t i;

	if (!*s || strlen(s) >= SCENARIO_NAME_MAX || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 0; s[i]; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static struct step *new_step(struct parser *p, enum step_kind k,
			     const struct tok *at, int node)
{
	struct scenario *sc = p->sc;
	struct step *st, *ns;

	ns = realloc(sc->steps, (sc->nsteps + 1) * sizeof(*sc->steps));
	if (!ns) {
		err_set(p->e, -ENOMEM, "out of memory");
		return NULL;
	}
	sc->steps = ns;
	st = &sc->steps[sc->nsteps++];
	memset(st, 0, sizeof(*st));
	st->kind = k;
	st->loc = tok_loc(p, at);
	{
		size_t n = 0;
		int t;

		for (t = 0; t < p->ntok && n + 1 < sizeof(st->text); t++)
			n += (size_t)snprintf(st->text + n, sizeof(st->text) - n,
					      p->toks[t].quoted ? "%s\"%s\"" : "%s%s",
					      t ? " " : "", p->toks[t].s);
	}
	st->node = node;
	st->node2 = -1;
	st->peer = -1;
	st->timer = -1;
	st->count = 1;
	p->header_done = 1;
	return st;
}

/* "within D" at toks[i], optional; updates *i */
static int opt_within(struct parser *p, int *i, uint64_t *ns, uint64_t dflt)
{
	*ns = dflt;
	if (*i < p->ntok && !strcmp(p->toks[*i].s, "within")) {
		if (*i + 1 >= p->ntok)
			return perr(p, &p->toks[*i], "'within' needs a duration");
		if (parse_dur(p, &p->toks[*i + 1], ns))
			return -EINVAL;
		*i += 2;
	}
	return 0;
}

static int trailing(struct parser *p, int i, const char *usage)
{
	if (i < p->ntok)
		return perr(p, &p->toks[i], "unexpected '%s': %s",
			    p->toks[i].s, usage);
	return 0;
}

static int parse_firewall(struct parser *p)
{
	static const char usage[] =
		"firewall NODE input|output|forward [ipv4|ipv6] tcp [ct invalid] "
		"[sport P] [dport P] [flags F[/MASK]] drop|reject|accept|hold";
	struct step *st;
	struct rule *r;
	int node, i = 2;

	if (p->ntok >= 3 && (!strcmp(p->toks[2].s, "flush") ||
			     !strcmp(p->toks[2].s, "release"))) {
		int flush = p->toks[2].s[0] == 'f';

		node = node_of(p, &p->toks[1]);
		if (node < 0)
			return -EINVAL;
		st = new_step(p, flush ? STEP_FLUSH : STEP_RELEASE, &p->toks[0],
			      node);
		if (!st)
			return -ENOMEM;
		return trailing(p, 3, flush ? "firewall NODE flush"
					    : "firewall NODE release");
	}
	if (need_args(p, 4, -1, usage))
		return -EINVAL;
	node = node_of(p, &p->toks[1]);
	if (node < 0)
		return -EINVAL;
	st = new_step(p, STEP_FIREWALL, &p->toks[0], node);
	if (!st)
		return -ENOMEM;
	r = &st->rule;
	r->node = node;
	r->loc = st->loc;
	r->id = (unsigned)++p->sc->nrules;
	if (!strcmp(p->toks[i].s, "input"))
		r->hook = RULE_INPUT;
	else if (!strcmp(p->toks[i].s, "output"))
		r->hook = RULE_OUTPUT;
	else if (!strcmp(p->toks[i].s, "forward"))
		r->hook = RULE_FORWARD;
	else
		return perr(p, &p->toks[i], "expected input, output or forward, got '%s'",
			    p->toks[i].s);
	i++;
	if (i < p->ntok && !strcmp(p->toks[i].s, "ipv4")) {
		r->family = 4;
		i++;
	} else if (i < p->ntok && !strcmp(p->toks[i].s, "ipv6")) {
		r->family = 6;
		i++;
	}
	if (i >= p->ntok || strcmp(p->toks[i].s, "tcp"))
		return perr(p, i < p->ntok ? &p->toks[i] : &p->toks[p->ntok - 1],
			    "expected 'tcp' (tcplab filters TCP only): %s", usage);
	i++;
	for (;;) {
		const struct tok *t;

		if (i >= p->ntok)
			return perr(p, &p->toks[p->ntok - 1],
				    "missing action (drop, reject, accept or hold): %s",
				    usage);
		t = &p->toks[i];
		if (!strcmp(t->s, "ct")) {
			if (i + 1 >= p->ntok || strcmp(p->toks[i + 1].s, "invalid"))
				return perr(p, t, "'ct' takes 'invalid' (a segment that "
					    "connection tracking matches to no connection)");
			r->ct_invalid = 1;
			i += 2;
		} else if (!strcmp(t->s, "sport") || !strcmp(t->s, "dport")) {
			uint16_t *port = t->s[0] == 's' ? &r->sport : &r->dport;

			if (i + 1 >= p->ntok)
				return perr(p, t, "'%s' needs a port", t->s);
			if (parse_port(p, &p->toks[i + 1], port))
				return -EINVAL;
			i += 2;
		} else if (!strcmp(t->s, "flags")) {
			char *slash, buf[128];

			if (i + 1 >= p->ntok)
				return perr(p, t, "'flags' needs a list such as SYN or SYN,ACK");
			snprintf(buf, sizeof(buf), "%s", p->toks[i + 1].s);
			slash = strchr(buf, '/');
			if (slash)
				*slash++ = '\0';
			if (rule_flags_parse(buf, &r->flags_set))
				return perr(p, &p->toks[i + 1],
					    "bad TCP flags '%s' (use FIN,SYN,RST,PSH,ACK,URG,ECE,CWR)",
					    buf);
			if (slash) {
				if (rule_flags_parse(slash, &r->flags_mask))
					return perr(p, &p->toks[i + 1],
						    "bad TCP flag mask '%s'",
						    slash);
				if (r->flags_set & ~r->flags_mask)
					return perr(p, &p->toks[i + 1],
						    "flags '%s' are outside their mask",
						    buf);
			} else {
				r->flags_mask = RULE_TCP_MASK_DEFAULT |
						r->flags_set;
			}
			i += 2;
		} else if (!strcmp(t->s, "drop")) {
			r->action = RULE_DROP;
			break;
		} else if (!strcmp(t->s, "reject") ||
			   !strcmp(t->s, "reject-with-rst")) {
			r->action = RULE_REJECT_RST;
			break;
		} else if (!strcmp(t->s, "accept")) {
			r->action = RULE_ACCEPT;
			break;
		} else if (!strcmp(t->s, "hold")) {
			r->action = RULE_HOLD;
			break;
		} else {
			return perr(p, t, "unexpected '%s': %s", t->s, usage);
		}
	}
	return trailing(p, i + 1, usage);
}

static int parse_times(struct parser *p, const struct tok *t, struct step *st)
{
	char buf[512], *save = NULL, *tokn;

	snprintf(buf, sizeof(buf), "%s", t->s);
	for (tokn = strtok_r(buf, ",", &save); tokn;
	     tokn = strtok_r(NULL, ",", &save)) {
		struct tok sub = *t;
		uint64_t ns;

		sub.col += (int)(tokn - buf);
		sub.s = tokn;
		if (st->ntimes == STEP_MAX_TIMES)
			return perr(p, &sub, "at most %d times", STEP_MAX_TIMES);
		if (parse_dur(p, &sub, &ns))
			return -EINVAL;
		if (st->ntimes && ns <= st->times_ns[st->ntimes - 1])
			return perr(p, &sub, "times must increase");
		st->times_ns[st->ntimes++] = ns;
	}
	if (!st->ntimes)
		return perr(p, t, "expected times such as 1s,3s,7s");
	return 0;
}

static int parse_cmp(struct parser *p, const struct tok *t, enum step_cmp *c)
{
	static const struct {
		const char *s;
		enum step_cmp c;
	} ops[] = { { "==", CMP_EQ }, { "!=", CMP_NE }, { "<", CMP_LT },
		    { "<=", CMP_LE }, { ">", CMP_GT }, { ">=", CMP_GE } };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(t->s, ops[i].s)) {
			*c = ops[i].c;
			return 0;
		}
	return perr(p, t, "expected a comparison (==, !=, <, <=, >, >=), got '%s'",
		    t->s);
}

/* "count>=3" or "count >= 3" from toks[*i] on */
static int parse_count(struct parser *p, int *i, struct step *st)
{
	const struct tok *t;
	char op[3] = "", *end;
	const char *num;
	size_t k = 5;

	if (*i >= p->ntok || strncmp(p->toks[*i].s, "count", 5))
		return perr(p, *i < p->ntok ? &p->toks[*i] : &p->toks[p->ntok - 1],
			    "expected 'count' and a comparison, e.g. count>=3");
	t = &p->toks[*i];
	if (!t->s[5]) { /* "count >= 3" */
		if (*i + 2 >= p->ntok)
			return perr(p, t, "expected 'count OP N', e.g. count >= 3");
		if (parse_cmp(p, &p->toks[*i + 1], &st->cmp))
			return -EINVAL;
		t = &p->toks[*i + 2];
		num = t->s;
		*i += 3;
	} else {
		while (t->s[k] && strchr("<>=!", t->s[k]) && k < 7)
			k++;
		memcpy(op, t->s + 5, k - 5);
		op[k - 5] = '\0';
		{
			struct tok sub = *t;

			sub.s = op;
			sub.col += 5;
			if (parse_cmp(p, &sub, &st->cmp))
				return -EINVAL;
		}
		num = t->s + k;
		*i += 1;
	}
	errno = 0;
	st->value = strtoll(num, &end, 10);
	if (errno || *end || end == num || st->value < 0)
		return perr(p, t, "expected a count, got '%s'", num);
	return 0;
}

static int parse_expect(struct parser *p)
{
	static const char usage[] =
		"expect NODE state STATE [port P] [timer KIND] [expires D] [within D] | "
		"expect NODE error ERRNO [at T] [within D] | expect NODE eof [within D] | "
		"expect NODE retransmits at T1,T2,... [port P] | "
		"expect NODE counter NAME OP VALUE [within D]";
	const struct tok *what;
	struct step *st;
	int node, i;

	if (need_args(p, 3, -1, usage))
		return -EINVAL;
	if (!strcmp(p->toks[1].s, "packets")) {
		static const char pu[] = "expect packets SRC>DST [flags F[/MASK]] "
					 "count OP N | at T1,T2,... [within D]";
		char a[64], *gt;
		int n2;

		snprintf(a, sizeof(a), "%s", p->toks[2].s);
		gt = strchr(a, '>');
		if (!gt)
			return perr(p, &p->toks[2], "expected SRC>DST such as client>server");
		*gt++ = '\0';
		node = scenario_node_find(p->sc, a);
		n2 = scenario_node_find(p->sc, gt);
		if (node < 0 || n2 < 0 || node == n2)
			return perr(p, &p->toks[2], "'%s': two different nodes, such as "
				    "client>server", p->toks[2].s);
		st = new_step(p, STEP_EXPECT_PACKETS, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		st->peer = n2;
		i = 3;
		if (i < p->ntok && !strcmp(p->toks[i].s, "flags")) {
			char buf[128], *slash;

			if (i + 1 >= p->ntok)
				return perr(p, &p->toks[i], "'flags' needs a list such as SYN");
			snprintf(buf, sizeof(buf), "%s", p->toks[i + 1].s);
			slash = strchr(buf, '/');
			if (slash)
				*slash++ = '\0';
			if (rule_flags_parse(buf, &st->rule.flags_set) ||
			    (slash && rule_flags_parse(slash, &st->rule.flags_mask)))
				return perr(p, &p->toks[i + 1], "bad TCP flags '%s'",
					    p->toks[i + 1].s);
			if (!slash)
				st->rule.flags_mask = RULE_TCP_MASK_DEFAULT |
						      st->rule.flags_set;
			i += 2;
		}
		if (i < p->ntok && !strcmp(p->toks[i].s, "at")) {
			/* the times of the packets, after the last action */
			if (i + 1 >= p->ntok)
				return perr(p, &p->toks[i], "'at' needs times such as 0s,1s,3s");
			if (parse_times(p, &p->toks[i + 1], st))
				return -EINVAL;
			st->cmp = CMP_EQ;
			st->value = st->ntimes;
			i += 2;
		} else if (parse_count(p, &i, st)) {
			return -EINVAL;
		}
		if (opt_within(p, &i, &st->within_ns, SCENARIO_DEFAULT_WITHIN_NS))
			return -EINVAL;
		return trailing(p, i, pu);
	}
	if (!strcmp(p->toks[1].s, "drops")) {
		node = node_of(p, &p->toks[2]);
		if (node < 0)
			return -EINVAL;
		st = new_step(p, STEP_EXPECT_DROPS, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		i = 3;
		if (parse_count(p, &i, st))
			return -EINVAL;
		if (opt_within(p, &i, &st->within_ns, SCENARIO_DEFAULT_WITHIN_NS))
			return -EINVAL;
		return trailing(p, i, "expect drops NODE count OP N [within D]");
	}
	node = node_of(p, &p->toks[1]);
	if (node < 0)
		return -EINVAL;
	what = &p->toks[2];
	if (!strcmp(what->s, "state")) {
		int state;

		if (need_args(p, 4, -1, usage))
			return -EINVAL;
		state = diag_state_parse(p->toks[3].s);
		if (state < 0 || state == DIAG_NEW_SYN_RECV)
			return perr(p, &p->toks[3],
				    "unknown TCP state '%s' (LISTEN, SYN_SENT, SYN_RECV, "
				    "ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, CLOSING, "
				    "LAST_ACK, TIME_WAIT, CLOSED)",
				    p->toks[3].s);
		st = new_step(p, STEP_EXPECT_STATE, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		st->state = state;
		i = 4;
		while (i < p->ntok && strcmp(p->toks[i].s, "within")) {
			const struct tok *k = &p->toks[i];

			if (i + 1 >= p->ntok)
				return perr(p, k, "'%s' needs a value", k->s);
			if (!strcmp(k->s, "port")) {
				if (parse_port(p, &p->toks[i + 1], &st->port))
					return -EINVAL;
			} else if (!strcmp(k->s, "timer")) {
				static const char *const kinds[] = {
					"off", "on", "keepalive", "timewait", "persist"
				};
				size_t t;

				for (t = 0; t < ARRAY_SIZE(kinds); t++)
					if (!strcmp(p->toks[i + 1].s, kinds[t]))
						st->timer = (int)t;
				if (st->timer < 0)
					return perr(p, &p->toks[i + 1],
						    "unknown timer '%s' (off, on, keepalive, "
						    "timewait, persist)",
						    p->toks[i + 1].s);
			} else if (!strcmp(k->s, "expires")) {
				if (parse_dur(p, &p->toks[i + 1], &st->expires_ns))
					return -EINVAL;
			} else {
				return perr(p, k, "unexpected '%s': %s", k->s, usage);
			}
			i += 2;
		}
		if (state == DIAG_CLOSE && (st->timer >= 0 || st->expires_ns))
			return perr(p, &p->toks[3],
				    "a CLOSED socket is gone: it has no timer");
	} else if (!strcmp(what->s, "error")) {
		int en;

		if (need_args(p, 4, -1, usage))
			return -EINVAL;
		en = util_errno_parse(p->toks[3].s);
		if (!en)
			return perr(p, &p->toks[3],
				    "unknown error name '%s' (e.g. ETIMEDOUT, "
				    "ECONNREFUSED, ECONNRESET)",
				    p->toks[3].s);
		st = new_step(p, STEP_EXPECT_ERROR, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		st->errnum = en;
		i = 4;
		if (i < p->ntok && !strcmp(p->toks[i].s, "at")) {
			if (i + 1 >= p->ntok)
				return perr(p, &p->toks[i], "'at' needs a time");
			if (parse_dur(p, &p->toks[i + 1], &st->at_ns))
				return -EINVAL;
			i += 2;
		}
	} else if (!strcmp(what->s, "eof")) {
		st = new_step(p, STEP_EXPECT_EOF, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		i = 3;
	} else if (!strcmp(what->s, "retransmits")) {
		st = new_step(p, STEP_EXPECT_RETRANS, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		if (p->ntok < 5 || strcmp(p->toks[3].s, "at"))
			return perr(p, p->ntok > 3 ? &p->toks[3] : what,
				    "expected 'retransmits at T1,T2,...'");
		if (parse_times(p, &p->toks[4], st))
			return -EINVAL;
		i = 5;
		if (i < p->ntok && !strcmp(p->toks[i].s, "port")) {
			if (i + 1 >= p->ntok)
				return perr(p, &p->toks[i], "'port' needs a port");
			if (parse_port(p, &p->toks[i + 1], &st->port))
				return -EINVAL;
			i += 2;
		}
		return trailing(p, i, usage);
	} else if (!strcmp(what->s, "counter")) {
		char *end;

		if (need_args(p, 6, -1, usage))
			return -EINVAL;
		st = new_step(p, STEP_EXPECT_COUNTER, &p->toks[0], node);
		if (!st)
			return -ENOMEM;
		if (strlen(p->toks[3].s) >= sizeof(st->counter) ||
		    (strncmp(p->toks[3].s, "Tcp", 3) && strncmp(p->toks[3].s, "Ip", 2)))
			return perr(p, &p->toks[3],
				    "expected a counter name as nstat prints it "
				    "(TcpExtSyncookiesSent, TcpActiveOpens ...)");
		snprintf(st->counter, sizeof(st->counter), "%s", p->toks[3].s);
		if (parse_cmp(p, &p->toks[4], &st->cmp))
			return -EINVAL;
		errno = 0;
		st->value = strtoll(p->toks[5].s, &end, 10);
		if (errno || *end || end == p->toks[5].s)
			return perr(p, &p->toks[5], "expected a number, got '%s'",
				    p->toks[5].s);
		i = 6;
	} else {
		return perr(p, what, "unknown expectation '%s': %s", what->s,
			    usage);
	}
	if (opt_within(p, &i, &st->within_ns, SCENARIO_DEFAULT_WITHIN_NS))
		return -EINVAL;
	if (st->kind == STEP_EXPECT_ERROR && st->at_ns &&
	    st->within_ns == SCENARIO_DEFAULT_WITHIN_NS)
		st->within_ns = 0; /* "at T" alone: the deadline follows T */
	return trailing(p, i, usage);
}

static int parse_node_action(struct parser *p, int node)
{
	const struct tok *verb;
	struct step *st;
	int i = 2;

	if (p->ntok < 2)
		return perr(p, &p->toks[0],
			    "missing action after node '%s' (listen, connect, "
			    "accept, send, recv, shutdown, close, abort, exit)",
			    p->toks[0].s);
	verb = &p->toks[1];
	if (!strcmp(verb->s, "listen")) {
		unsigned long v;

		st = new_step(p, STEP_LISTEN, verb, node);
		if (!st)
			return -ENOMEM;
		st->backlog = 128;
		if (need_args(p, 3, -1, "NODE listen PORT [backlog N]") ||
		    parse_port(p, &p->toks[2], &st->port))
			return -EINVAL;
		i = 3;
		if (i < p->ntok && !strcmp(p->toks[i].s, "backlog")) {
			if (i + 1 >= p->ntok)
				return perr(p, &p->toks[i], "'backlog' needs a number");
			if (parse_uint(p, &p->toks[i + 1], 0, 65535, "backlog", &v))
				return -EINVAL;
			st->backlog = (int)v;
			i += 2;
		}
		return trailing(p, i, "NODE listen PORT [backlog N]");
	}
	if (!strcmp(verb->s, "connect")) {
		static const char usage[] = "NODE connect [PEER] PORT [count N]";

		st = new_step(p, STEP_CONNECT, verb, node);
		if (!st)
			return -ENOMEM;
		if (p->ntok >= 5 && !strcmp(p->toks[p->ntok - 2].s, "count")) {
			unsigned long v;

			if (parse_uint(p, &p->toks[p->ntok - 1], 1, 4096,
				       "connection count", &v))
				return -EINVAL;
			st->count = (uint32_t)v;
			free(p->toks[p->ntok - 1].s);
			free(p->toks[p->ntok - 2].s);
			p->ntok -= 2;
		}
		if (need_args(p, 3, 4, usage))
			return -EINVAL;
		if (p->ntok == 4) {
			st->peer = node_of(p, &p->toks[2]);
			if (st->peer < 0)
				return -EINVAL;
			if (st->peer == node)
				return perr(p, &p->toks[2],
					    "a node cannot connect to itself here");
		} else {
			if (p->sc->nnodes != 2)
				return perr(p, &p->toks[2],
					    "with more than two nodes, name the peer: %s",
					    usage);
			st->peer = 1 - node;
		}
		return parse_port(p, &p->toks[p->ntok - 1], &st->port);
	}
	if (!strcmp(verb->s, "keepalive")) {
		static const char usage[] =
			"NODE keepalive idle D intvl D count N (whole seconds)";
		uint64_t d[2];
		unsigned long v;
		int k;

		st = new_step(p, STEP_KEEPALIVE, verb, node);
		if (!st)
			return -ENOMEM;
		if (need_args(p, 8, 8, usage))
			return -EINVAL;
		for (k = 0; k < 2; k++) {
			const struct tok *key = &p->toks[2 + 2 * k];

			if (strcmp(key->s, k ? "intvl" : "idle"))
				return perr(p, key, "expected '%s': %s",
					    k ? "intvl" : "idle", usage);
			if (parse_dur(p, &p->toks[3 + 2 * k], &d[k]))
				return -EINVAL;
			if (d[k] < NS_PER_S || d[k] % NS_PER_S || d[k] > 3600 * NS_PER_S)
				return perr(p, &p->toks[3 + 2 * k],
					    "keepalive times are whole seconds, 1s at least");
		}
		if (strcmp(p->toks[6].s, "count"))
			return perr(p, &p->toks[6], "expected 'count': %s", usage);
		if (parse_uint(p, &p->toks[7], 1, 127, "probe count", &v))
			return -EINVAL;
		st->ka_idle = (uint32_t)(d[0] / NS_PER_S);
		st->ka_intvl = (uint32_t)(d[1] / NS_PER_S);
		st->ka_count = (uint32_t)v;
		return 0;
	}
	if (!strcmp(verb->s, "send")) {
		unsigned long v;

		st = new_step(p, STEP_SEND, verb, node);
		if (!st)
			return -ENOMEM;
		if (need_args(p, 3, 3, "NODE send BYTES") ||
		    parse_uint(p, &p->toks[2], 1, 16 << 20, "byte count", &v))
			return -EINVAL;
		st->bytes = (uint32_t)v;
		return 0;
	}
	if (!strcmp(verb->s, "accept") || !strcmp(verb->s, "recv")) {
		int k = verb->s[0] == 'a' ? STEP_ACCEPT : STEP_RECV;

		st = new_step(p, (enum step_kind)k, verb, node);
		if (!st)
			return -ENOMEM;
		if (opt_within(p, &i, &st->within_ns, SCENARIO_DEFAULT_WITHIN_NS))
			return -EINVAL;
		return trailing(p, i, "NODE accept|recv [within D]");
	}
	if (!strcmp(verb->s, "close")) {
		st = new_step(p, STEP_CLOSE, verb, node);
		if (!st)
			return -ENOMEM;
		if (i < p->ntok && !strcmp(p->toks[i].s, "listener")) {
			st->listener = 1;
			i++;
		}
		return trailing(p, i, "NODE close [listener]");
	}
	{
		static const struct {
			const char *name;
			enum step_kind kind;
		} simple[] = { { "shutdown", STEP_SHUTDOWN },
			       { "abort", STEP_ABORT },
			       { "exit", STEP_EXIT },
			       { "crash", STEP_CRASH } };
		size_t k;

		for (k = 0; k < ARRAY_SIZE(simple); k++) {
			if (strcmp(verb->s, simple[k].name))
				continue;
			st = new_step(p, simple[k].kind, verb, node);
			if (!st)
				return -ENOMEM;
			return trailing(p, 2, simple[k].name);
		}
	}
	return perr(p, verb,
		    "unknown action '%s' (listen, connect, accept, send, recv, "
		    "shutdown, close, abort, exit, crash, keepalive)",
		    verb->s);
}

static int set_text(struct parser *p, char **field, const char *what)
{
	if (*field)
		return perr(p, &p->toks[0], "%s given twice", what);
	if (need_args(p, 2, 2, "a quoted text"))
		return -EINVAL;
	if (!p->toks[1].quoted)
		return perr(p, &p->toks[1], "%s must be a quoted string", what);
	*field = strdup(p->toks[1].s);
	return *field ? 0 : err_set(p->e, -ENOMEM, "out of memory");
}

static int parse_directive_line(struct parser *p);

/*
 * "long STEP": a step that waits out a long kernel timer (TIME_WAIT's
 * minute); it runs only when asked for (tcplab run --long).
 */
static int parse_directive(struct parser *p)
{
	size_t before = p->sc->nsteps;
	struct tok lt;
	int r, i;

	if (p->ntok < 2 || p->toks[0].quoted || strcmp(p->toks[0].s, "long"))
		return parse_directive_line(p);
	lt = p->toks[0];
	for (i = 1; i < p->ntok; i++)
		p->toks[i - 1] = p->toks[i];
	p->ntok--;
	r = parse_directive_line(p);
	free(lt.s);
	if (r)
		return r;
	if (p->sc->nsteps != before + 1)
		return perr(p, &lt, "'long' goes in front of a step");
	p->sc->steps[p->sc->nsteps - 1].long_only = 1;
	return 0;
}

static int parse_directive_line(struct parser *p)
{
	struct scenario *sc = p->sc;
	const struct tok *d = &p->toks[0];
	int node;

	if (d->quoted)
		return perr(p, d, "a line must start with a directive, not a string");
	if (!p->seen_scenario && strcmp(d->s, "scenario"))
		return perr(p, d, "the file must start with 'scenario NAME'");
	if (!strcmp(d->s, "scenario")) {
		if (p->seen_scenario)
			return perr(p, d, "'scenario' given twice");
		if (need_args(p, 2, 2, "scenario NAME"))
			return -EINVAL;
		if (!valid_name(p->toks[1].s))
			return perr(p, &p->toks[1],
				    "bad scenario name '%s' (lower-case letters, digits, '-')",
				    p->toks[1].s);
		snprintf(sc->name, sizeof(sc->name), "%s", p->toks[1].s);
		p->seen_scenario = 1;
		return 0;
	}
	if (!strcmp(d->s, "title"))
		return set_text(p, &sc->title, "title");
	if (!strcmp(d->s, "teaches"))
		return set_text(p, &sc->teaches, "teaches");
	if (!strcmp(d->s, "xfail"))
		return set_text(p, &sc->xfail, "xfail");
	if (!strcmp(d->s, "family")) {
		const char *f;

		if (need_args(p, 2, 2, "family 4|6|both"))
			return -EINVAL;
		f = p->toks[1].s;
		if (!strcmp(f, "4"))
			sc->families = SCENARIO_FAMILY_4;
		else if (!strcmp(f, "6"))
			sc->families = SCENARIO_FAMILY_6;
		else if (!strcmp(f, "both"))
			sc->families = SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6;
		else
			return perr(p, &p->toks[1], "expected 4, 6 or both, got '%s'", f);
		return 0;
	}
	if (!strcmp(d->s, "topology")) {
		int t, u;

		if (need_args(p, 3, 1 + SCENARIO_MAX_NODES,
			      "topology NODE NODE [NODE [NODE]] (a chain)"))
			return -EINVAL;
		if (p->header_done || sc->nsysctls)
			return perr(p, d, "topology comes before sysctls and steps");
		for (t = 1; t < p->ntok; t++) {
			if (!valid_name(p->toks[t].s) || strlen(p->toks[t].s) >= 16)
				return perr(p, &p->toks[t], "bad node name '%s'",
					    p->toks[t].s);
			for (u = 1; u < t; u++)
				if (!strcmp(p->toks[u].s, p->toks[t].s))
					return perr(p, &p->toks[t],
						    "node '%s' given twice",
						    p->toks[t].s);
		}
		sc->nnodes = p->ntok - 1;
		for (t = 1; t < p->ntok; t++)
			snprintf(sc->nodes[t - 1], sizeof(sc->nodes[0]), "%s",
				 p->toks[t].s);
		return 0;
	}
	if (!strcmp(d->s, "sysctl")) {
		struct scenario_sysctl *ns, *s;
		const char *kv;
		char *eq;

		int optional = 0;

		if (p->ntok == 4 && !strcmp(p->toks[3].s, "if-present")) {
			optional = 1;
			free(p->toks[3].s);
			p->ntok = 3;
		}
		if (need_args(p, 3, 3, "sysctl NODE KEY=VALUE [if-present]"))
			return -EINVAL;
		if (p->header_done)
			return perr(p, d, "sysctl lines come before the first step");
		node = node_of(p, &p->toks[1]);
		if (node < 0)
			return -EINVAL;
		kv = p->toks[2].s;
		eq = strchr(kv, '=');
		if (!eq || eq == kv || !eq[1])
			return perr(p, &p->toks[2], "expected KEY=VALUE, got '%s'", kv);
		if ((size_t)(eq - kv) >= sizeof(s->key) || strlen(eq + 1) >= sizeof(s->value))
			return perr(p, &p->toks[2], "sysctl key or value too long");
		ns = realloc(sc->sysctls, (sc->nsysctls + 1) * sizeof(*ns));
		if (!ns)
			return err_set(p->e, -ENOMEM, "out of memory");
		sc->sysctls = ns;
		s = &ns[sc->nsysctls++];
		memset(s, 0, sizeof(*s));
		s->node = node;
		memcpy(s->key, kv, (size_t)(eq - kv));
		snprintf(s->value, sizeof(s->value), "%s", eq + 1);
		s->loc = tok_loc(p, &p->toks[2]);
		s->optional = optional;
		if (!sysctl_allowed(s->key))
			return perr(p, &p->toks[2],
				    "sysctl '%s' is not a per-namespace key tcplab may set "
				    "(net.ipv4.*, net.ipv6.*, net.netfilter.*, net.unix.*, "
				    "net.core.somaxconn)",
				    s->key);
		return 0;
	}
	if (!strcmp(d->s, "firewall"))
		return parse_firewall(p);
	if (!strcmp(d->s, "expect"))
		return parse_expect(p);
	if (!strcmp(d->s, "wait")) {
		struct step *st;

		if (need_args(p, 2, 2, "wait DURATION"))
			return -EINVAL;
		st = new_step(p, STEP_WAIT, d, -1);
		if (!st)
			return -ENOMEM;
		return parse_dur(p, &p->toks[1], &st->within_ns);
	}
	node = scenario_node_find(sc, d->s);
	if (node >= 0)
		return parse_node_action(p, node);
	if (strchr(d->s, ',')) {
		/* "client,server shutdown": both at the same moment */
		char a[64], *b;
		int n2, r;

		snprintf(a, sizeof(a), "%s", d->s);
		b = strchr(a, ',');
		if (!b || strlen(d->s) >= sizeof(a))
			return perr(p, d, "'%.40s...': two different nodes, such as "
				    "client,server", d->s);
		*b++ = '\0';
		node = scenario_node_find(sc, a);
		n2 = scenario_node_find(sc, b);
		if (node < 0 || n2 < 0 || n2 == node)
			return perr(p, d, "'%s': two different nodes, such as "
				    "client,server", d->s);
		r = parse_node_action(p, node);
		if (r)
			return r;
		{
			struct step *st = &sc->steps[sc->nsteps - 1];

			if (st->kind != STEP_SHUTDOWN && st->kind != STEP_CLOSE &&
			    st->kind != STEP_ABORT && st->kind != STEP_SEND)
				return perr(p, &p->toks[1],
					    "only send, shutdown, close and abort can be done "
					    "by two nodes at once");
			st->node2 = n2;
		}
		return 0;
	}
	return perr(p, d,
		    "unknown directive '%s' (scenario, title, teaches, family, sysctl, "
		    "firewall, expect, wait, or a node name: client, server)",
		    d->s);
}

int scenario_node_find(const struct scenario *s, const char *name)
{
	int i;

	for (i = 0; i < s->nnodes; i++)
		if (!strcmp(s->nodes[i], name))
			return i;
	return -1;
}

int scenario_parse(const char *file, const char *text, size_t len,
		   struct scenario **out, struct err *e)
{
	struct parser p = { 0 };
	struct scenario *sc;
	int r;

	*out = NULL;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return err_set(e, -ENOMEM, "out of memory");
	sc->file = strdup(file ? file : "<input>");
	if (!sc->file) {
		free(sc);
		return err_set(e, -ENOMEM, "out of memory");
	}
	sc->families = SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6;
	sc->nnodes = 2;
	strcpy(sc->nodes[0], "client");
	strcpy(sc->nodes[1], "server");
	p.sc = sc;
	p.e = e;
	p.text = text;
	p.len = len;
	p.line = 1;
	p.col = 1;
	if (memchr(text, '\0', len)) {
		r = err_at(e, -EINVAL, &(struct loc){ sc->file, 1, 1 },
			   "binary data in a scenario file");
		goto fail;
	}
	while ((r = lex_line(&p)) > 0) {
		r = parse_directive(&p);
		if (r)
			goto fail;
	}
	if (r < 0)
		goto fail;
	if (!p.seen_scenario) {
		r = err_at(e, -EINVAL, &(struct loc){ sc->file, p.line, p.col },
			   "empty scenario: the file must start with 'scenario NAME'");
		goto fail;
	}
	if (!sc->title) {
		r = err_at(e, -EINVAL, &(struct loc){ sc->file, 1, 1 },
			   "scenario '%s' has no title", sc->name);
		goto fail;
	}
	if (!sc->nsteps) {
		r = err_at(e, -EINVAL, &(struct loc){ sc->file, p.line, p.col },
			   "scenario '%s' has no steps", sc->name);
		goto fail;
	}
	free_tokens(&p);
	*out = sc;
	return 0;
fail:
	free_tokens(&p);
	scenario_free(sc);
	return r < 0 ? r : -EINVAL;
}

int scenario_load(const char *path, struct scenario **out, struct err *e)
{
	size_t cap = 4096, n = 0;
	char *buf;
	FILE *f;
	int r;

	*out = NULL;
	f = fopen(path, "re");
	if (!f)
		return err_at(e, -errno, &(struct loc){ path, 0, 0 },
			      "cannot open scenario: %s", strerror(errno));
	buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return err_set(e, -ENOMEM, "out of memory");
	}
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap)
			break;
		if (cap >= (1 << 20)) {
			free(buf);
			fclose(f);
			return err_at(e, -EFBIG, &(struct loc){ path, 0, 0 },
				      "scenario file larger than 1 MiB");
		}
		{
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				fclose(f);
				return err_set(e, -ENOMEM, "out of memory");
			}
			buf = nb;
		}
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return err_at(e, -EIO, &(struct loc){ path, 0, 0 },
			      "cannot read scenario");
	}
	fclose(f);
	r = scenario_parse(path, buf, n, out, e);
	free(buf);
	return r;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	free(s->file);
	free(s->title);
	free(s->teaches);
	free(s->xfail);
	free(s->sysctls);
	free(s->steps);
	free(s);
}
