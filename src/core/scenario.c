// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scenario.c - the scenario language parser (see scenario.h)
 *
 * Two passes over the text: a tokenizer that cuts it into logical lines of
 * tokens, each with its line and column (quoted strings may continue over
 * physical lines), and a directive parser that turns each logical line into
 * header fields, sysctls or steps.  Every error names the token it is
 * about.
 *
 * The grammar is three tables: directives[] (the words that open a line),
 * actions[] (what a node does: "NODE VERB ...") and expect_kinds[] (the
 * expectations).  A row names its word, the step it makes, the words the
 * line takes and the usage shown when they are wrong, and a small handler
 * for the words in between; the dispatchers do the lookup, the counting
 * and the closing "within D" and stray-word checks for every row alike.
 */
#include "scenario.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pkt.h"
#include "snmp.h"
#include "sock.h"
#include "sysctl.h"
#include "util.h"

#define MAX_TOKENS 32
#define SCENARIO_FILE_MAX (1 << 20)

struct tok {
	char *s;         /* in the parser's arena, until the next line */
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
	char *arena;     /* the tokens of the current line, one after the
			    other: never more bytes than the text they come
			    from, plus a NUL each */
	size_t arena_len, arena_used;
	int seen_scenario;
	int seen_action; /* a node has done something: expectations may follow */
	unsigned int seen; /* directives given, by index in directives[] */
	int flag;          /* the line closed with its directive's flag word */
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
	[STEP_SOCKOPT] = "sockopt", [STEP_EXPECT_SOCKET] = "expect socket",
	[STEP_EXPECT_RECEIVED] = "expect received",
	[STEP_INJECT] = "inject",
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
	p->ntok = 0;
	p->arena_used = 0;
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

/*
 * utf8_seq_len() - the length of the well-formed UTF-8 sequence at @s
 * (RFC 3629: no overlong form, no surrogate, nothing above U+10FFFF), or 0
 */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* A quoted string: escapes \" and \\; a line break and the blanks around
 * it fold into one space. */
static int lex_quoted(struct parser *p, struct tok *t)
{
	char *s = p->arena + p->arena_used;
	size_t cap = p->arena_len - p->arena_used, n = 0;
	int c;

	advance(p); /* opening quote */
	for (;;) {
		c = peekc(p);
		if (c < 0)
			return perr(p, t, "unterminated string");
		if (c == '"') {
			advance(p);
			break;
		}
		if (c == '\\') {
			advance(p);
			c = peekc(p);
			if (c != '"' && c != '\\')
				return perr(p, NULL,
					    "unknown escape in string (only \\\" and \\\\)");
		} else if (c == '\n') {
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			advance(p);
			while (peekc(p) == ' ' || peekc(p) == '\t')
				advance(p);
			c = ' ';
			if (n + 2 > cap)
				return err_set(p->e, -ENOMEM, "out of memory");
			s[n++] = (char)c;
			continue;
		} else if (c < 0x20 && c != '\t') {
			return perr(p, NULL, "control character in string");
		} else if (c == 0x7f) {
			return perr(p, NULL, "control character in string");
		} else if (c >= 0x80) {
			/* copy a whole UTF-8 sequence, or refuse the byte */
			size_t k, sl = utf8_seq_len((const unsigned char *)p->text + p->pos,
						    p->len - p->pos);

			if (!sl)
				return perr(p, NULL, "invalid UTF-8 in string (byte 0x%02x)",
					    (unsigned)c);
			if (n + sl + 1 > cap)
				return err_set(p->e, -ENOMEM, "out of memory");
			for (k = 0; k < sl; k++) {
				s[n++] = p->text[p->pos];
				advance(p);
			}
			continue;
		}
		if (n + 2 > cap)
			return err_set(p->e, -ENOMEM, "out of memory");
		s[n++] = (char)c;
		advance(p);
	}
	s[n] = '\0';
	p->arena_used += n + 1;
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
				size_t start = p->pos, n;

				while ((c = peekc(p)) >= 0 && !isspace(c) &&
				       c != '#' && c != '"')
					advance(p);
				n = p->pos - start;
				if (n + 1 > p->arena_len - p->arena_used)
					return err_set(p->e, -ENOMEM,
						       "out of memory");
				t->s = p->arena + p->arena_used;
				memcpy(t->s, p->text + start, n);
				t->s[n] = '\0';
				p->arena_used += n + 1;
				for (size_t i = 0; t->s[i]; i++)
					if ((unsigned char)t->s[i] < 0x20 ||
					    (unsigned char)t->s[i] >= 0x7f) {
						struct tok bad = *t;

						bad.col += (int)i;
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
	uint64_t v = 0;
	int r = t->quoted ? -EINVAL : util_parse_u64(t->s, UINT64_MAX, &v);

	*out = 0;
	if (r == -EINVAL)
		return perr(p, t, "expected %s (a number), got '%s'", what,
			    t->s);
	if (r || v < min || v > max)
		return perr(p, t, "%s %s is out of range (%lu..%lu)", what, t->s,
			    min, max);
	*out = (unsigned long)v;
	return 0;
}

static int parse_port(struct parser *p, const struct tok *t, uint16_t *port)
{
	unsigned long v = 0;
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

/* "client, router, server": the scenario's nodes, for messages */
static const char *node_list(const struct scenario *sc, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < sc->nnodes && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", sc->nodes[i]);
	return buf;
}

static int node_of(struct parser *p, const struct tok *t)
{
	int n = scenario_node_find(p->sc, t->s);
	char nodes[96];

	if (n < 0)
		perr(p, t, "unknown node '%s' (nodes: %s)", t->s,
		     node_list(p->sc, nodes, sizeof(nodes)));
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

/*
 * step_text() - the line's tokens into @buf, one blank apart, quoted ones
 * in quotes, cut to fit (as snprintf() would cut the same text)
 */
static void step_text(const struct parser *p, char *buf, size_t len)
{
	size_t n = 0;
	int t;

	for (t = 0; t < p->ntok; t++) {
		const char *s = p->toks[t].s;
		int q = p->toks[t].quoted;

		if (t && n + 1 < len)
			buf[n++] = ' ';
		if (q && n + 1 < len)
			buf[n++] = '"';
		while (*s && n + 1 < len)
			buf[n++] = *s++;
		if (q && n + 1 < len)
			buf[n++] = '"';
	}
	buf[n] = '\0';
}

static struct step *new_step(struct parser *p, enum step_kind k,
			     const struct tok *at, int node)
{
	struct scenario *sc = p->sc;
	struct step *st, *ns;

	/* room for 16 steps, then twice as many each time it runs out */
	if (!sc->nsteps ||
	    (sc->nsteps >= 16 && !(sc->nsteps & (sc->nsteps - 1)))) {
		size_t cap = sc->nsteps ? 2 * sc->nsteps : 16;

		ns = realloc(sc->steps, cap * sizeof(*sc->steps));
		if (!ns) {
			err_set(p->e, -ENOMEM, "out of memory");
			return NULL;
		}
		sc->steps = ns;
	}
	st = &sc->steps[sc->nsteps++];
	memset(st, 0, sizeof(*st));
	st->kind = k;
	st->loc = tok_loc(p, at);
	step_text(p, st->text, sizeof(st->text));
	st->node = node;
	st->node2 = -1;
	st->peer = -1;
	st->conn = -1;
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
		"[sport P] [dport P] [flags F[/MASK]] drop|reject [icmp TYPE]|accept|hold";
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
	else if (!strcmp(p->toks[i].s, "forward")) {
		r->hook = RULE_FORWARD;
		if (!scenario_node_router(p->sc, node))
			return perr(p, &p->toks[i],
				    "'forward' filters what a router passes on, and "
				    "'%s' is an end host (a router is a middle node of "
				    "the topology, or the hub of a star)",
				    p->sc->nodes[node]);
	} else
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
		} else if (!strcmp(t->s, "reject") && i + 1 < p->ntok &&
			   !strcmp(p->toks[i + 1].s, "icmp")) {
			/* "reject icmp TYPE": an ICMP unreachable, not a reset */
			if (i + 2 >= p->ntok)
				return perr(p, &p->toks[i + 1], "'icmp' needs a type "
					    "(port-unreachable, host-unreachable, "
					    "net-unreachable, admin-prohibited)");
			r->icmp = (enum rule_icmp)rule_icmp_parse(p->toks[i + 2].s);
			if (!r->icmp)
				return perr(p, &p->toks[i + 2], "unknown ICMP answer "
					    "'%s' (port-unreachable, host-unreachable, "
					    "net-unreachable, admin-prohibited)",
					    p->toks[i + 2].s);
			r->action = RULE_REJECT_ICMP;
			i += 2;
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

/* "20%", "0.5%": a percentage, 0 < P <= 100, to parts per million */
static int parse_pct(struct parser *p, const struct tok *t, const char *what,
		     uint32_t *ppm)
{
	const char *end = NULL;
	uint32_t frac9 = 0;
	uint64_t whole = 0;
	int r = t->quoted ? -EINVAL : util_parse_fixed(t->s, &end, &whole, &frac9);

	if (r == -EINVAL || (!r && strcmp(end, "%")))
		return perr(p, t, "'%s' needs a percentage such as 20%% or 0.5%%, "
			    "got '%s'", what, t->s);
	if (!r && frac9 % 100000)
		return perr(p, t, "percentage '%s' is finer than 0.0001%%", t->s);
	if (r || whole > 100 || (whole == 100 && frac9) || (!whole && !frac9))
		return perr(p, t, "%s %s is out of range (more than 0%%, at most "
			    "100%%)", what, t->s);
	*ppm = (uint32_t)(whole * 10000 + frac9 / 100000);
	return 0;
}

/* "100kbit", "1.5mbit": a rate in bits per second, with its unit */
static int parse_rate(struct parser *p, const struct tok *t, uint64_t *bps)
{
	static const struct {
		const char *unit;
		uint64_t per;
	} units[] = { { "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 },
		      { "gbit", 1000000000 } };
	const char *end = NULL;
	uint32_t frac9 = 0;
	uint64_t whole = 0, v;
	size_t k;
	int r = t->quoted ? -EINVAL : util_parse_fixed(t->s, &end, &whole, &frac9);

	for (k = 0; !r && k < ARRAY_SIZE(units); k++)
		if (!strcmp(end, units[k].unit))
			break;
	if (r == -EINVAL || (!r && k == ARRAY_SIZE(units)))
		return perr(p, t, "'rate' needs a rate such as 100kbit or 10mbit "
			    "(bit, kbit, mbit, gbit), got '%s'", t->s);
	if (r || whole > RULE_IMPAIR_RATE_MAX_BPS)
		goto range;
	v = whole * units[k].per +
	    (uint64_t)frac9 * units[k].per / 1000000000ULL;
	if ((uint64_t)frac9 * units[k].per % 1000000000ULL)
		return perr(p, t, "rate '%s' is not a whole number of bits per "
			    "second", t->s);
	if (v < RULE_IMPAIR_RATE_MIN_BPS || v > RULE_IMPAIR_RATE_MAX_BPS)
		goto range;
	*bps = v;
	return 0;
range:
	return perr(p, t, "rate %s is out of range (1kbit..10gbit)", t->s);
}

/*
 * "impair SRC->DST [ipv4|ipv6] [sport P] [dport P] [flags F[/MASK]]
 *  IMPAIRMENT... [seed N]": a firewall rule on DST's input hook whose
 * packets (those from SRC) go to a queue, each one's verdict given on time
 * by the lab (impair.h)
 */
static int parse_impair(struct parser *p)
{
	static const char usage[] =
		"impair SRC->DST [ipv4|ipv6] [sport P] [dport P] [flags F[/MASK]] "
		"[delay D] [loss P%] [duplicate P%] [reorder [P%] [after D]] "
		"[rate R] [seed N]";
	const struct tok *dir, *seed_tok = NULL;
	char buf[64], *arrow;
	struct tok sub;
	struct step *st;
	struct rule *r;
	int src, dst, i, given = 0;
	const char *seen[8] = { 0 };
	int nseen = 0;

	if (need_args(p, 3, -1, usage))
		return -EINVAL;
	dir = &p->toks[1];
	snprintf(buf, sizeof(buf), "%s", dir->s);
	arrow = strstr(buf, "->");
	if (dir->quoted || !arrow || strlen(dir->s) >= sizeof(buf))
		return perr(p, dir, "expected a direction SRC->DST such as "
			    "client->server, got '%s'", dir->s);
	*arrow = '\0';
	sub = *dir;
	sub.s = buf;
	src = node_of(p, &sub);
	if (src < 0)
		return -EINVAL;
	sub.s = arrow + 2;
	sub.col += (int)(arrow + 2 - buf);
	dst = node_of(p, &sub);
	if (dst < 0)
		return -EINVAL;
	if (src == dst)
		return perr(p, &sub, "'%s->%s': a direction joins two different "
			    "nodes", buf, arrow + 2);
	st = new_step(p, STEP_FIREWALL, &p->toks[0], dst);
	if (!st)
		return -ENOMEM;
	r = &st->rule;
	r->node = dst;
	r->loc = st->loc;
	r->id = (unsigned)++p->sc->nrules;
	r->hook = RULE_INPUT;
	r->action = RULE_IMPAIR;
	r->imp.src = src;
	r->imp.seed = 1;
	for (i = 2; i < p->ntok;) {
		const struct tok *t = &p->toks[i];
		const struct tok *v = i + 1 < p->ntok ? &p->toks[i + 1] : NULL;
		int k;

		for (k = 0; k < nseen; k++)
			if (!strcmp(seen[k], t->s))
				return perr(p, t, "'%s' given twice", t->s);
		if (nseen < (int)ARRAY_SIZE(seen))
			seen[nseen++] = t->s;
		if ((!strcmp(t->s, "ipv4") || !strcmp(t->s, "ipv6"))) {
			if (r->family)
				return perr(p, t, "one family at most: %s", usage);
			r->family = t->s[3] - '0';
			i++;
			continue;
		}
		if (!strcmp(t->s, "reorder")) {
			r->imp.reorder_ppm = RULE_PPM;
			given = 1;
			i++;
			if (v && strchr(v->s, '%')) {
				if (parse_pct(p, v, "reorder", &r->imp.reorder_ppm))
					return -EINVAL;
				i++;
			}
			/* "after D": how long a held segment waits at most
			 * for the next one */
			r->imp.reorder_after_ns = RULE_IMPAIR_REORDER_AFTER_NS;
			if (i < p->ntok && !strcmp(p->toks[i].s, "after")) {
				const struct tok *a = &p->toks[i];

				if (i + 1 >= p->ntok)
					return perr(p, a, "'after' needs a duration: "
						    "%s", usage);
				if (parse_dur(p, a + 1, &r->imp.reorder_after_ns))
					return -EINVAL;
				if (!r->imp.reorder_after_ns ||
				    r->imp.reorder_after_ns > RULE_IMPAIR_DELAY_MAX_NS)
					return perr(p, a + 1, "reorder after %s is out "
						    "of range (more than 0, at most 10s)",
						    a[1].s);
				i += 2;
			}
			continue;
		}
		if (strcmp(t->s, "sport") && strcmp(t->s, "dport") &&
		    strcmp(t->s, "flags") && strcmp(t->s, "delay") &&
		    strcmp(t->s, "loss") && strcmp(t->s, "duplicate") &&
		    strcmp(t->s, "rate") && strcmp(t->s, "seed"))
			return perr(p, t, "unexpected '%s': %s", t->s, usage);
		if (!v)
			return perr(p, t, "'%s' needs a value: %s", t->s, usage);
		if (!strcmp(t->s, "sport") || !strcmp(t->s, "dport")) {
			if (parse_port(p, v, t->s[0] == 's' ? &r->sport : &r->dport))
				return -EINVAL;
		} else if (!strcmp(t->s, "flags")) {
			char fb[128], *slash;

			snprintf(fb, sizeof(fb), "%s", v->s);
			slash = strchr(fb, '/');
			if (slash)
				*slash++ = '\0';
			if (rule_flags_parse(fb, &r->flags_set))
				return perr(p, v, "bad TCP flags '%s' (use FIN,SYN,RST,"
					    "PSH,ACK,URG,ECE,CWR)", fb);
			if (slash) {
				if (rule_flags_parse(slash, &r->flags_mask))
					return perr(p, v, "bad TCP flag mask '%s'",
						    slash);
				if (r->flags_set & ~r->flags_mask)
					return perr(p, v, "flags '%s' are outside "
						    "their mask", fb);
			} else {
				r->flags_mask = RULE_TCP_MASK_DEFAULT | r->flags_set;
			}
		} else if (!strcmp(t->s, "delay")) {
			if (parse_dur(p, v, &r->imp.delay_ns))
				return -EINVAL;
			if (!r->imp.delay_ns ||
			    r->imp.delay_ns > RULE_IMPAIR_DELAY_MAX_NS)
				return perr(p, v, "delay %s is out of range "
					    "(more than 0, at most 10s)", v->s);
			given = 1;
		} else if (!strcmp(t->s, "loss")) {
			if (parse_pct(p, v, "loss", &r->imp.loss_ppm))
				return -EINVAL;
			given = 1;
		} else if (!strcmp(t->s, "duplicate")) {
			if (parse_pct(p, v, "duplicate", &r->imp.dup_ppm))
				return -EINVAL;
			given = 1;
		} else if (!strcmp(t->s, "rate")) {
			if (parse_rate(p, v, &r->imp.rate_bps))
				return -EINVAL;
			given = 1;
		} else { /* seed */
			unsigned long sv = 0;

			if (parse_uint(p, v, 0, 4294967295UL, "seed", &sv))
				return -EINVAL;
			r->imp.seed = (uint32_t)sv;
			seed_tok = t;
		}
		i += 2;
	}
	if (!given)
		return perr(p, &p->toks[p->ntok - 1], "missing impairment (delay, "
			    "loss, duplicate, reorder or rate): %s", usage);
	if (seed_tok && !r->imp.loss_ppm && !r->imp.dup_ppm &&
	    !r->imp.reorder_ppm)
		return perr(p, seed_tok, "'seed' drives loss, duplicate and "
			    "reorder, and this line has none of them");
	return 0;
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
	char op[3] = "";
	const char *num;
	size_t k = 5;
	uint64_t v;

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
	if (util_parse_u64(num, INT64_MAX, &v))
		return perr(p, t, "expected a count, got '%s'", num);
	st->value = (int64_t)v;
	return 0;
}

/*
 * opt_word() - an optional "WORD VALUE" pair at toks[*i].  Returns 0 when
 * toks[*i] is not WORD, 1 with *@val set and *@i moved past the pair, or
 * -EINVAL ("'WORD' needs WHAT") when the value is missing.
 */
static int opt_word(struct parser *p, int *i, const char *word,
		    const char *what, const struct tok **val)
{
	if (*i >= p->ntok || strcmp(p->toks[*i].s, word))
		return 0;
	if (*i + 1 >= p->ntok)
		return perr(p, &p->toks[*i], "'%s' needs %s", word, what);
	*val = &p->toks[*i + 1];
	*i += 2;
	return 1;
}

/*
 * take_as() - a line of at least @min words that ends with "as NAME": the
 * two words leave the line, NAME's token goes to *@name (its text lives
 * as long as the line's).  Returns 1 if so, else 0.
 */
static int take_as(struct parser *p, int min, struct tok *name)
{
	if (p->ntok < min || strcmp(p->toks[p->ntok - 2].s, "as"))
		return 0;
	*name = p->toks[--p->ntok];
	p->ntok--;
	return 1;
}

static const struct directive *directive_find(const char *name);

/*
 * conn_define() - name @st's connection (held by @node) after "as": a new
 * name that is no node's and no directive's.
 */
static int conn_define(struct parser *p, const struct tok *t, int node,
		       struct step *st)
{
	struct scenario *sc = p->sc;
	struct scenario_conn *c;
	int other;

	if (t->quoted || !valid_name(t->s) || strlen(t->s) >= sizeof(c->name))
		return perr(p, t, "bad connection name '%s' (lower-case letters, "
			    "digits, '-', 15 at most)", t->s);
	if (scenario_node_find(sc, t->s) >= 0 || directive_find(t->s) ||
	    !strcmp(t->s, "long") || !strcmp(t->s, "packets") ||
	    !strcmp(t->s, "drops"))
		return perr(p, t, "'%s' is a node or a keyword: name the "
			    "connection otherwise", t->s);
	other = scenario_conn_find(sc, t->s);
	if (other >= 0)
		return perr(p, t, "connection '%s' named twice (first on line %d)",
			    t->s, sc->conns[other].loc.line);
	if (sc->nconns == SCENARIO_MAX_CONNS)
		return perr(p, t, "at most %d named connections",
			    SCENARIO_MAX_CONNS);
	c = &sc->conns[sc->nconns];
	snprintf(c->name, sizeof(c->name), "%s", t->s);
	c->node = node;
	c->loc = tok_loc(p, t);
	st->conn = sc->nconns++;
	return 0;
}

/*
 * subject_of() - the node or named connection @t stands for: the node's
 * index, with *@conn the connection's index or -1; on an unknown name the
 * error is the unknown node's, and -1 is returned.
 */
static int subject_of(struct parser *p, const struct tok *t, int *conn)
{
	*conn = scenario_conn_find(p->sc, t->s);
	if (*conn >= 0)
		return p->sc->conns[*conn].node;
	return node_of(p, t);
}

/* "F" or "F/MASK" in @t into @r's flag match, for "expect packets" */
static int parse_pkt_flags(struct parser *p, const struct tok *t,
			   struct rule *r)
{
	char buf[128], *slash;

	snprintf(buf, sizeof(buf), "%s", t->s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (rule_flags_parse(buf, &r->flags_set) ||
	    (slash && rule_flags_parse(slash, &r->flags_mask)))
		return perr(p, t, "bad TCP flags '%s'", t->s);
	if (!slash)
		r->flags_mask = RULE_TCP_MASK_DEFAULT | r->flags_set;
	return 0;
}

/*
 * The expectations.  Each kind is one row: the word that names it, where
 * that word stands (after "expect" for packets and drops, which name their
 * nodes after it; after "expect NODE" for the others), how many words the
 * line needs before its handler runs, whether a "within D" may close it,
 * the usage shown for a stray word, and the handler that reads the words
 * between.  A handler starts at the word after the kind's name (*i) and
 * leaves *i after the last word it took.
 */
static const char expect_usage[] =
	"expect NODE state STATE [port P] [timer KIND] [expires D] [within D] | "
	"expect NODE error ERRNO [at T] [within D] | expect NODE eof [within D] | "
	"expect NODE retransmits at T1,T2,... [port P] | "
	"expect NODE counter NAME OP VALUE [within D] | "
	"expect NODE socket FIELD OP VALUE [port P] [within D] | "
	"expect NODE received \"TEXT\" | bytes OP N [within D]";

struct expect_kind {
	const char *word;
	enum step_kind kind;
	int word_at;       /* 1: "expect WORD ...", 2: "expect NODE WORD ..." */
	int min;           /* words the line needs (0: no more than 3) */
	int within;        /* takes a closing [within D] */
	const char *usage; /* shown for a stray word */
	int (*parse)(struct parser *p, struct step *st, int *i);
};

/* A node's index for @name, a node's or a connection's (*@conn) */
static int end_of(const struct scenario *sc, const char *name, int *conn)
{
	int c = scenario_conn_find(sc, name);

	if (c < 0)
		return scenario_node_find(sc, name);
	*conn = c;
	return sc->conns[c].node;
}

/*
 * "expect packets SRC>DST [flags F[/MASK]] count OP N | at T1,T2,...": an
 * end may be a named connection, for its packets only
 */
static int expect_packets(struct parser *p, struct step *st, int *i)
{
	const struct tok *pair = &p->toks[2], *v = NULL;
	char a[64], *gt;
	int r, c2 = -1;

	snprintf(a, sizeof(a), "%s", pair->s);
	gt = strchr(a, '>');
	if (!gt)
		return perr(p, pair, "expected SRC>DST such as client>server");
	*gt++ = '\0';
	st->node = end_of(p->sc, a, &st->conn);
	st->peer = end_of(p->sc, gt, st->conn >= 0 ? &c2 : &st->conn);
	if (st->node < 0 || st->peer < 0 || st->node == st->peer)
		return perr(p, pair, "'%s': two different nodes, such as "
			    "client>server", pair->s);
	r = opt_word(p, i, "flags", "a list such as SYN", &v);
	if (r < 0 || (r && parse_pkt_flags(p, v, &st->rule)))
		return -EINVAL;
	/* the times of the packets, after the last action */
	r = opt_word(p, i, "at", "times such as 0s,1s,3s", &v);
	if (r < 0 || (r && parse_times(p, v, st)))
		return -EINVAL;
	if (r) {
		st->cmp = CMP_EQ;
		st->value = st->ntimes;
		return 0;
	}
	return parse_count(p, i, st);
}

/* "expect drops NODE count OP N" */
static int expect_drops(struct parser *p, struct step *st, int *i)
{
	st->node = node_of(p, &p->toks[2]);
	if (st->node < 0)
		return -EINVAL;
	return parse_count(p, i, st);
}

/* "expect NODE state STATE [port P] [timer KIND] [expires D]" */
static int expect_state(struct parser *p, struct step *st, int *i)
{
	static const char *const timers[] = {
		"off", "on", "keepalive", "timewait", "persist"
	};
	const struct tok *s = &p->toks[(*i)++];

	st->state = diag_state_parse(s->s);
	if (st->state < 0 || st->state == DIAG_NEW_SYN_RECV)
		return perr(p, s,
			    "unknown TCP state '%s' (LISTEN, SYN_SENT, SYN_RECV, "
			    "ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, CLOSING, "
			    "LAST_ACK, TIME_WAIT, CLOSED)",
			    s->s);
	while (*i < p->ntok && strcmp(p->toks[*i].s, "within")) {
		const struct tok *k = &p->toks[*i], *v = &p->toks[*i + 1];
		size_t t;

		if (*i + 1 >= p->ntok)
			return perr(p, k, "'%s' needs a value", k->s);
		if (!strcmp(k->s, "port")) {
			if (parse_port(p, v, &st->port))
				return -EINVAL;
		} else if (!strcmp(k->s, "timer")) {
			for (t = 0; t < ARRAY_SIZE(timers); t++)
				if (!strcmp(v->s, timers[t]))
					st->timer = (int)t;
			if (st->timer < 0)
				return perr(p, v,
					    "unknown timer '%s' (off, on, keepalive, "
					    "timewait, persist)",
					    v->s);
		} else if (!strcmp(k->s, "expires")) {
			if (parse_dur(p, v, &st->expires_ns))
				return -EINVAL;
		} else {
			return perr(p, k, "unexpected '%s': %s", k->s,
				    expect_usage);
		}
		*i += 2;
	}
	if (st->state == DIAG_CLOSE && (st->timer >= 0 || st->expires_ns))
		return perr(p, s, "a CLOSED socket is gone: it has no timer");
	return 0;
}

/* "expect NODE error ERRNO [at T]" */
static int expect_error(struct parser *p, struct step *st, int *i)
{
	const struct tok *e = &p->toks[(*i)++], *v = NULL;
	int r;

	st->errnum = util_errno_parse(e->s);
	if (!st->errnum)
		return perr(p, e,
			    "unknown error name '%s' (e.g. ETIMEDOUT, "
			    "ECONNREFUSED, ECONNRESET)",
			    e->s);
	r = opt_word(p, i, "at", "a time", &v);
	if (r < 0 || (r && parse_dur(p, v, &st->at_ns)))
		return -EINVAL;
	return 0;
}

/* "expect NODE retransmits at T1,T2,... [port P]" */
static int expect_retrans(struct parser *p, struct step *st, int *i)
{
	const struct tok *v = NULL;
	int r;

	if (p->ntok < 5 || strcmp(p->toks[3].s, "at"))
		return perr(p, &p->toks[p->ntok > 3 ? 3 : 2],
			    "expected 'retransmits at T1,T2,...'");
	if (parse_times(p, &p->toks[4], st))
		return -EINVAL;
	*i = 5;
	r = opt_word(p, i, "port", "a port", &v);
	if (r < 0 || (r && parse_port(p, v, &st->port)))
		return -EINVAL;
	return 0;
}

/* "expect NODE counter NAME OP VALUE" */
static int expect_counter(struct parser *p, struct step *st, int *i)
{
	const struct tok *name = &p->toks[3], *num = &p->toks[5];
	uint64_t v;

	if (strlen(name->s) >= sizeof(st->counter) ||
	    (strncmp(name->s, "Tcp", 3) && strncmp(name->s, "Ip", 2)))
		return perr(p, name,
			    "expected a counter name as nstat prints it "
			    "(TcpExtSyncookiesSent, TcpActiveOpens ...)");
	if (!snmp_known(name->s)) {
		const char *near = snmp_nearest(name->s);

		return perr(p, name, "Linux has no counter '%s'%s%s%s", name->s,
			    near ? " (did you mean " : "", near ? near : "",
			    near ? "?)" : " (names as nstat prints them)");
	}
	snprintf(st->counter, sizeof(st->counter), "%s", name->s);
	if (parse_cmp(p, &p->toks[4], &st->cmp))
		return -EINVAL;
	if (util_parse_u64(num->s, INT64_MAX, &v))
		return perr(p, num, "expected a number, got '%s'", num->s);
	st->value = (int64_t)v;
	*i = 6;
	return 0;
}

/* "expect NODE socket FIELD OP VALUE [port P]" */
static int expect_socket(struct parser *p, struct step *st, int *i)
{
	const struct tok *f = &p->toks[3], *v = &p->toks[5], *pv = NULL;
	unsigned long n;
	char names[512];
	uint64_t ns;
	int r;

	st->field = diag_field_parse(f->s);
	if (!st->field)
		return perr(p, f, "unknown socket field '%s' (%s)", f->s,
			    diag_field_names(names, sizeof(names)));
	if (parse_cmp(p, &p->toks[4], &st->cmp))
		return -EINVAL;
	switch (diag_field_unit(st->field)) {
	case DIAG_U_US:
		if (parse_dur(p, v, &ns))
			return -EINVAL;
		st->value = (int64_t)(ns / 1000);
		break;
	case DIAG_U_CA_STATE:
		st->value = diag_ca_state_parse(v->s);
		if (st->value < 0)
			return perr(p, v, "expected a congestion state (open, "
				    "disorder, cwr, recovery, loss), got '%s'", v->s);
		break;
	default:
		if (parse_uint(p, v, 0, 1UL << 40, diag_field_name(st->field), &n))
			return -EINVAL;
		st->value = (int64_t)n;
	}
	*i = 6;
	r = opt_word(p, i, "port", "a port", &pv);
	if (r < 0 || (r && parse_port(p, pv, &st->port)))
		return -EINVAL;
	if (st->conn >= 0 && diag_field_listener(st->field))
		return perr(p, f, "'%s' is a listener's: expect %s socket %s ... "
			    "port P", f->s, p->sc->nodes[st->node], f->s);
	if (st->conn >= 0 && r)
		return perr(p, pv - 1, "a named connection is one socket: no "
			    "'port' needed");
	if (diag_field_listener(st->field) && !st->port)
		return perr(p, f, "'%s' is a listener's: name its port "
			    "(... port P)", f->s);
	return 0;
}

/* "TEXT" (quoted, 1 to STEP_DATA_MAX - 1 bytes) into @st's data */
static int parse_data(struct parser *p, const struct tok *t, struct step *st)
{
	size_t n = strlen(t->s);

	if (!t->quoted)
		return perr(p, t, "expected text in double quotes, got '%s'", t->s);
	if (!n || n >= sizeof(st->data))
		return perr(p, t, "text of 1 to %zu bytes, not %zu",
			    sizeof(st->data) - 1, n);
	memcpy(st->data, t->s, n + 1);
	st->has_data = 1;
	return 0;
}

/*
 * "expect NODE received "TEXT"": the bytes the program read so far are
 * TEXT; "expect NODE received bytes OP N": it read OP N bytes so far; with
 * "within D" (parse_expect()), it reads on until that holds
 */
static int expect_received(struct parser *p, struct step *st, int *i)
{
	const struct tok *t = &p->toks[3];
	unsigned long n;

	if (t->quoted) {
		*i = 4;
		return parse_data(p, t, st);
	}
	if (strcmp(t->s, "bytes") || p->ntok < 6)
		return perr(p, t, "expected \"TEXT\" or 'bytes OP N' after "
			    "'received'");
	if (parse_cmp(p, &p->toks[4], &st->cmp) ||
	    parse_uint(p, &p->toks[5], 0, 1UL << 40, "byte count", &n))
		return -EINVAL;
	st->value = (int64_t)n;
	*i = 6;
	return 0;
}

static const struct expect_kind expect_kinds[] = {
	{ "packets", STEP_EXPECT_PACKETS, 1, 0, 1,
	  "expect packets SRC>DST [flags F[/MASK]] count OP N | at T1,T2,... "
	  "[within D]", expect_packets },
	{ "drops", STEP_EXPECT_DROPS, 1, 0, 1,
	  "expect drops NODE count OP N [within D]", expect_drops },
	{ "state", STEP_EXPECT_STATE, 2, 4, 1, expect_usage, expect_state },
	{ "error", STEP_EXPECT_ERROR, 2, 4, 1, expect_usage, expect_error },
	{ "eof", STEP_EXPECT_EOF, 2, 0, 1, expect_usage, NULL },
	{ "retransmits", STEP_EXPECT_RETRANS, 2, 0, 0, expect_usage,
	  expect_retrans },
	{ "counter", STEP_EXPECT_COUNTER, 2, 6, 1, expect_usage, expect_counter },
	{ "socket", STEP_EXPECT_SOCKET, 2, 6, 1, expect_usage, expect_socket },
	{ "received", STEP_EXPECT_RECEIVED, 2, 4, 1, expect_usage,
	  expect_received },
};

static const struct expect_kind *expect_kind_find(const char *word, int at)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(expect_kinds); k++)
		if (expect_kinds[k].word_at == at &&
		    !strcmp(expect_kinds[k].word, word))
			return &expect_kinds[k];
	return NULL;
}

/* "expect ...": find the kind, make its step, run its handler */
static int parse_expect(struct parser *p)
{
	const struct expect_kind *k;
	struct step *st;
	int node = -1, conn = -1, i = 3, r; /* the word after the subject */

	if (need_args(p, 3, -1, expect_usage))
		return -EINVAL;
	k = expect_kind_find(p->toks[1].s, 1);
	if (!k) {
		node = subject_of(p, &p->toks[1], &conn);
		if (node < 0)
			return -EINVAL;
		k = expect_kind_find(p->toks[2].s, 2);
		if (!k)
			return perr(p, &p->toks[2], "unknown expectation '%s': %s",
				    p->toks[2].s, expect_usage);
	}
	if (conn >= 0 && k->kind == STEP_EXPECT_COUNTER)
		return perr(p, &p->toks[1], "'%s' is a connection: counters belong "
			    "to a node (expect %s counter ...)", p->toks[1].s,
			    p->sc->nodes[node]);
	st = new_step(p, k->kind, &p->toks[0], node);
	if (!st)
		return -ENOMEM;
	st->conn = conn;
	if (k->min && need_args(p, k->min, -1, expect_usage))
		return -EINVAL;
	if (k->parse) {
		r = k->parse(p, st, &i);
		if (r)
			return r;
	}
	/* "received" without "within" is what was read so far, now */
	if (k->within &&
	    opt_within(p, &i, &st->within_ns,
		       k->kind == STEP_EXPECT_RECEIVED ? 0
						       : SCENARIO_DEFAULT_WITHIN_NS))
		return -EINVAL;
	if (k->kind == STEP_EXPECT_RECEIVED && st->within_ns) {
		const struct tok *w = &p->toks[i - 2];

		if (!st->has_data && (st->cmp == CMP_LT || st->cmp == CMP_LE))
			return perr(p, w, "what was read only grows: 'received "
				    "bytes %s N' holds now or never (no 'within')",
				    st->cmp == CMP_LT ? "<" : "<=");
	}
	if (st->kind == STEP_EXPECT_ERROR && st->at_ns &&
	    st->within_ns == SCENARIO_DEFAULT_WITHIN_NS)
		st->within_ns = 0; /* "at T" alone: the deadline follows T */
	return trailing(p, i, k->usage);
}

/*
 * parse_opts() - "OPT=VALUE[,OPT=VALUE...]" in @t into @st's options, each
 * name and value checked against the option table (sockopt.h); an error
 * points at the option it is about.
 */
static int parse_opts(struct parser *p, const struct tok *t, struct step *st)
{
	char buf[256], names[256], why[64], *save = NULL, *item;

	if (t->quoted || strlen(t->s) >= sizeof(buf))
		return perr(p, t, "expected OPT=VALUE[,OPT=VALUE...], got '%s'",
			    t->s);
	snprintf(buf, sizeof(buf), "%s", t->s);
	for (item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		const struct sockopt_def *d;
		struct tok sub = *t;
		char *eq = strchr(item, '=');
		int k;

		sub.col += (int)(item - buf);
		sub.s = item;
		if (!eq || eq == item || !eq[1])
			return perr(p, &sub, "expected OPT=VALUE, got '%s'", item);
		*eq = '\0';
		d = sockopt_find(item);
		if (!d)
			return perr(p, &sub, "unknown socket option '%s' (%s)", item,
				    sockopt_names(names, sizeof(names)));
		for (k = 0; k < st->nopts; k++)
			if (st->opts[k].id == d->id)
				return perr(p, &sub, "option '%s' given twice", item);
		if (st->nopts == STEP_MAX_OPTS)
			return perr(p, &sub, "at most %d options", STEP_MAX_OPTS);
		st->opts[st->nopts].id = (uint16_t)d->id;
		if (sockopt_parse_value(d, eq + 1, &st->opts[st->nopts].value,
					why, sizeof(why))) {
			sub.col += (int)(eq + 1 - item);
			return perr(p, &sub, "bad value '%s' for %s (%s): expected %s",
				    eq + 1, item, d->c_name, why);
		}
		st->nopts++;
	}
	if (!st->nopts)
		return perr(p, t, "expected OPT=VALUE[,OPT=VALUE...]");
	return 0;
}

/*
 * The actions of a node ("NODE VERB ...").  Each row: the verb, the step it
 * makes, the number of words the line takes (node and verb included; min 0
 * when the handler checks, max -1 for no limit), the usage, and the handler
 * that reads the words after the verb (none for a bare verb).
 */
struct action {
	const char *verb;
	enum step_kind kind;
	int min, max;
	const char *usage;
	int (*parse)(struct parser *p, struct step *st, const struct action *a);
};

/* "NODE listen PORT [backlog N] [with OPT=VALUE,...]" */
static int act_listen(struct parser *p, struct step *st, const struct action *a)
{
	const struct tok *v = NULL;
	unsigned long n;
	int i = 3, r;

	st->backlog = 128;
	if (parse_port(p, &p->toks[2], &st->port))
		return -EINVAL;
	r = opt_word(p, &i, "backlog", "a number", &v);
	if (r < 0 || (r && parse_uint(p, v, 0, 65535, "backlog", &n)))
		return -EINVAL;
	if (r)
		st->backlog = (int)n;
	r = opt_word(p, &i, "with", "options such as rcvbuf=4096", &v);
	if (r < 0 || (r && parse_opts(p, v, st)))
		return -EINVAL;
	return trailing(p, i, a->usage);
}

static int connect_words(struct parser *p, struct step *st,
			 const struct action *a);

/*
 * connect_tail() - one "WORD VALUE" pair that may close a connect line
 * (count N, from PORT, with OPTS, as NAME), each at most once: 1 when it
 * was taken off the line, 0 when the line ends otherwise, -errno
 */
static int connect_tail(struct parser *p, struct step *st, unsigned *seen,
			struct tok *name)
{
	static const char *const words[] = { "count", "from", "with", "as" };
	const struct tok *v = &p->toks[p->ntok - 1];
	unsigned long n;
	unsigned w;

	if (p->ntok < 5)
		return 0;
	for (w = 0; w < ARRAY_SIZE(words); w++)
		if (!(*seen & (1u << w)) && !strcmp(p->toks[p->ntok - 2].s, words[w]))
			break;
	if (w == ARRAY_SIZE(words))
		return 0;
	*seen |= 1u << w;
	switch (w) {
	case 0:
		if (parse_uint(p, v, 1, 4096, "connection count", &n))
			return -EINVAL;
		st->count = (uint32_t)n;
		break;
	case 1:
		if (parse_port(p, v, &st->from_port))
			return -EINVAL;
		break;
	case 2:
		if (parse_opts(p, v, st))
			return -EINVAL;
		break;
	default:
		return take_as(p, 5, name);
	}
	p->ntok -= 2;
	return 1;
}

/*
 * "NODE connect [PEER] PORT [count N] [from PORT] [with OPT=VALUE,...]
 * [as NAME]": the optional pairs close the line, in any order
 */
static int act_connect(struct parser *p, struct step *st, const struct action *a)
{
	struct tok name = { 0 };
	unsigned seen = 0;
	int r;

	while ((r = connect_tail(p, st, &seen, &name)) > 0)
		;
	if (!r)
		r = connect_words(p, st, a);
	if (!r && st->from_port && st->count > 1)
		r = perr(p, &p->toks[1], "'from' binds one connection's port: "
			 "not with 'count'");
	if (!r && name.s)
		r = conn_define(p, &name, st->node, st);
	return r;
}

/*
 * parse_peer_addr() - "198.18.0.9" or "fd00:198:18::9" as a connect's
 * destination: lab addresses only (198.18.0.0/15, fd00::/8).  An address
 * of the lab's own scheme has a twin in the other family (198.18.L.H is
 * fd00:198:18:L::H), so a scenario of both families can use it; any other
 * runs in its own family only (scenario_check_families()).
 */
static int parse_peer_addr(struct parser *p, const struct tok *t,
			   struct step *st)
{
	unsigned l, h;
	char twin[96];

	st->peer = -1;
	if (inet_pton(AF_INET, t->s, &st->peer_v4) == 1) {
		const uint8_t *b = (const uint8_t *)&st->peer_v4;

		if (b[0] != 198 || (b[1] & 0xfe) != 18)
			return perr(p, t, "'%s' is outside the lab's addresses "
				    "(198.18.0.0/15)", t->s);
		st->peer_families = SCENARIO_FAMILY_4;
		if (b[1] == 18) {
			snprintf(twin, sizeof(twin), "fd00:198:18:%x::%x", b[2],
				 b[3]);
			if (inet_pton(AF_INET6, twin, &st->peer_v6) == 1)
				st->peer_families |= SCENARIO_FAMILY_6;
		}
		return 0;
	}
	if (inet_pton(AF_INET6, t->s, &st->peer_v6) == 1) {
		const uint8_t *b = st->peer_v6.s6_addr;
		static const uint8_t scheme[12] = { 0xfd, 0, 0x01, 0x98, 0, 0x18 };

		if (b[0] != 0xfd)
			return perr(p, t, "'%s' is outside the lab's addresses "
				    "(fd00::/8)", t->s);
		st->peer_families = SCENARIO_FAMILY_6;
		/* fd00:198:18:L::H with L and H below 256 */
		if (!memcmp(b, scheme, 6) && !b[6] && !memcmp(b + 8, scheme + 6, 6) &&
		    !b[14]) {
			l = b[7];
			h = b[15];
			snprintf(twin, sizeof(twin), "198.18.%u.%u", l, h);
			if (inet_pton(AF_INET, twin, &st->peer_v4) == 1)
				st->peer_families |= SCENARIO_FAMILY_4;
		}
		return 0;
	}
	return perr(p, t, "'%s' is neither a node (%s) nor an address", t->s,
		    node_list(p->sc, twin, sizeof(twin)));
}

/* act_connect() but the closing pairs: peer and port */
static int connect_words(struct parser *p, struct step *st,
			 const struct action *a)
{
	if (need_args(p, 3, 4, a->usage))
		return -EINVAL;
	if (p->ntok == 4 && strpbrk(p->toks[2].s, ".:")) {
		/* an address, not a node: nobody in the lab need own it */
		if (parse_peer_addr(p, &p->toks[2], st))
			return -EINVAL;
	} else if (p->ntok == 4) {
		st->peer = node_of(p, &p->toks[2]);
		if (st->peer < 0)
			return -EINVAL;
		if (st->peer == st->node)
			return perr(p, &p->toks[2],
				    "a node cannot connect to itself here");
	} else {
		if (p->sc->nnodes != 2)
			return perr(p, &p->toks[2],
				    "with more than two nodes, name the peer: %s",
				    a->usage);
		st->peer = 1 - st->node;
	}
	return parse_port(p, &p->toks[p->ntok - 1], &st->port);
}

/* "NODE sockopt OPT=VALUE[,OPT=VALUE...]": on the node's connection now */
static int act_sockopt(struct parser *p, struct step *st, const struct action *a)
{
	(void)a;
	return parse_opts(p, &p->toks[2], st);
}

/* "NODE keepalive idle D intvl D count N" */
static int act_keepalive(struct parser *p, struct step *st,
			 const struct action *a)
{
	uint64_t d[2];
	unsigned long v;
	int k;

	for (k = 0; k < 2; k++) {
		const struct tok *key = &p->toks[2 + 2 * k];

		if (strcmp(key->s, k ? "intvl" : "idle"))
			return perr(p, key, "expected '%s': %s",
				    k ? "intvl" : "idle", a->usage);
		if (parse_dur(p, &p->toks[3 + 2 * k], &d[k]))
			return -EINVAL;
		if (d[k] < NS_PER_S || d[k] % NS_PER_S || d[k] > 3600 * NS_PER_S)
			return perr(p, &p->toks[3 + 2 * k],
				    "keepalive times are whole seconds, 1s at least");
	}
	if (strcmp(p->toks[6].s, "count"))
		return perr(p, &p->toks[6], "expected 'count': %s", a->usage);
	if (parse_uint(p, &p->toks[7], 1, 127, "probe count", &v))
		return -EINVAL;
	st->ka_idle = (uint32_t)(d[0] / NS_PER_S);
	st->ka_intvl = (uint32_t)(d[1] / NS_PER_S);
	st->ka_count = (uint32_t)v;
	return 0;
}

/* "NODE send BYTES" or "NODE send "TEXT"" */
static int act_send(struct parser *p, struct step *st, const struct action *a)
{
	unsigned long v;

	(void)a;
	if (p->toks[2].quoted) {
		if (parse_data(p, &p->toks[2], st))
			return -EINVAL;
		st->bytes = (uint32_t)strlen(st->data);
		return 0;
	}
	if (parse_uint(p, &p->toks[2], 1, 16 << 20, "byte count", &v))
		return -EINVAL;
	st->bytes = (uint32_t)v;
	return 0;
}

/* "NODE accept|recv [within D]" */
static int act_within(struct parser *p, struct step *st, const struct action *a)
{
	int i = 2;

	if (opt_within(p, &i, &st->within_ns, SCENARIO_DEFAULT_WITHIN_NS))
		return -EINVAL;
	return trailing(p, i, a->usage);
}

/* "NODE accept [within D] [as NAME]": NAME for the accepted socket */
static int act_accept(struct parser *p, struct step *st, const struct action *a)
{
	struct tok name;
	int named = take_as(p, 4, &name), r;

	r = act_within(p, st, a);
	if (!r && named)
		r = conn_define(p, &name, st->node, st);
	return r;
}

/* "NODE close [listener]" */
static int act_close(struct parser *p, struct step *st, const struct action *a)
{
	int i = 2;

	if (i < p->ntok && !strcmp(p->toks[i].s, "listener")) {
		st->listener = 1;
		i++;
	}
	return trailing(p, i, a->usage);
}

/* "+N" or "-N" (N < 2^31) in @t into *@out */
static int parse_offset(struct parser *p, const struct tok *t,
			const char *what, int32_t *out)
{
	const struct tok u = { .s = t->s + 1, .line = t->line, .col = t->col + 1 };
	unsigned long v;

	if (t->s[0] != '+' && t->s[0] != '-')
		return perr(p, t, "%s '%s': a signed offset such as +0, +1000 or "
			    "-1 (from the next number expected)", what, t->s);
	if (parse_uint(p, &u, 0, 0x7fffffff, what, &v))
		return -EINVAL;
	*out = t->s[0] == '-' ? -(int32_t)v : (int32_t)v;
	return 0;
}

/*
 * "NODE inject flags F [seq +N] [ack +N] [win N]": one crafted segment
 * from NODE's end of its connection (or of a named one) to the other end
 */
static int act_inject(struct parser *p, struct step *st, const struct action *a)
{
	const struct tok *v = NULL;
	unsigned long n;
	int i = 2, r;

	if (strcmp(p->toks[2].s, "flags"))
		return perr(p, &p->toks[2], "expected 'flags': %s", a->usage);
	if (pkt_flags_parse(p->toks[3].s, &st->tcp_flags))
		return perr(p, &p->toks[3], "bad TCP flags '%s' (tcpdump's "
			    "letters: F S R P . U E W, '.' for ACK, e.g. R or R.)",
			    p->toks[3].s);
	i = 4;
	st->win = st->tcp_flags & RULE_TCP_RST ? 0 : 65535;
	r = opt_word(p, &i, "seq", "an offset such as +0", &v);
	if (r < 0 || (r && parse_offset(p, v, "seq", &st->seq_off)))
		return -EINVAL;
	r = opt_word(p, &i, "ack", "an offset such as +0", &v);
	if (r < 0 || (r && parse_offset(p, v, "ack", &st->ack_off)))
		return -EINVAL;
	if (r && !(st->tcp_flags & RULE_TCP_ACK))
		return perr(p, v, "'ack' needs the ACK flag ('.', e.g. R.)");
	r = opt_word(p, &i, "win", "a number", &v);
	if (r < 0 || (r && parse_uint(p, v, 0, 65535, "window", &n)))
		return -EINVAL;
	if (r)
		st->win = (uint16_t)n;
	return trailing(p, i, a->usage);
}

static const struct action actions[] = {
	{ "listen", STEP_LISTEN, 3, -1,
	  "NODE listen PORT [backlog N] [with OPT=VALUE,...]", act_listen },
	{ "connect", STEP_CONNECT, 0, 0,
	  "NODE connect [PEER] PORT [count N] [from PORT] [with OPT=VALUE,...] "
	  "[as NAME]", act_connect },
	{ "sockopt", STEP_SOCKOPT, 3, 3, "NODE sockopt OPT=VALUE[,OPT=VALUE...]",
	  act_sockopt },
	{ "keepalive", STEP_KEEPALIVE, 8, 8,
	  "NODE keepalive idle D intvl D count N (whole seconds)", act_keepalive },
	{ "send", STEP_SEND, 3, 3, "NODE send BYTES | NODE send \"TEXT\"", act_send },
	{ "accept", STEP_ACCEPT, 0, 0, "NODE accept [within D] [as NAME]",
	  act_accept },
	{ "recv", STEP_RECV, 0, 0, "NODE recv [within D]", act_within },
	{ "close", STEP_CLOSE, 0, 0, "NODE close [listener]", act_close },
	{ "shutdown", STEP_SHUTDOWN, 2, 2, "shutdown", NULL },
	{ "abort", STEP_ABORT, 2, 2, "abort", NULL },
	{ "exit", STEP_EXIT, 2, 2, "exit", NULL },
	{ "crash", STEP_CRASH, 2, 2, "crash", NULL },
	{ "inject", STEP_INJECT, 4, 10,
	  "NODE inject flags F [seq +N] [ack +N] [win N]", act_inject },
};

/* "NODE VERB ...": find the verb, make its step, check its words */
static int parse_node_action(struct parser *p, int node)
{
	const struct action *a = NULL;
	struct step *st;
	size_t k;

	if (p->ntok < 2)
		return perr(p, &p->toks[0],
			    "missing action after node '%s' (listen, connect, "
			    "accept, send, recv, shutdown, close, abort, exit)",
			    p->toks[0].s);
	for (k = 0; k < ARRAY_SIZE(actions) && !a; k++)
		if (!strcmp(p->toks[1].s, actions[k].verb))
			a = &actions[k];
	if (!a)
		return perr(p, &p->toks[1],
			    "unknown action '%s' (listen, connect, accept, send, recv, "
			    "shutdown, close, abort, exit, crash, keepalive, sockopt, "
			    "inject)",
			    p->toks[1].s);
	st = new_step(p, a->kind, &p->toks[1], node);
	if (!st)
		return -ENOMEM;
	if (a->min && need_args(p, a->min, a->max, a->usage))
		return -EINVAL;
	return a->parse ? a->parse(p, st, a) : 0;
}

/*
 * The directives.  Each row: its name; the message for a second one when
 * it may be given once; the number of words it takes (directive included;
 * min 0 when its handler checks); an optional flag word that may close
 * the line; the usage; for a quoted text, where it goes; the handler.
 */
struct directive {
	const char *name;
	const char *twice;
	int min, max;
	const char *flag;
	const char *usage;
	size_t text;
	int (*parse)(struct parser *p, const struct directive *d);
};

/* "scenario NAME" */
static int dir_scenario(struct parser *p, const struct directive *d)
{
	(void)d;
	if (!valid_name(p->toks[1].s))
		return perr(p, &p->toks[1],
			    "bad scenario name '%s' (lower-case letters, digits, '-')",
			    p->toks[1].s);
	snprintf(p->sc->name, sizeof(p->sc->name), "%s", p->toks[1].s);
	p->sc->name_loc = tok_loc(p, &p->toks[1]);
	p->seen_scenario = 1;
	return 0;
}

/* title, teaches, xfail: "DIRECTIVE "TEXT"" */
static int dir_text(struct parser *p, const struct directive *d)
{
	char **field = (char **)((char *)p->sc + d->text);

	if (!p->toks[1].quoted)
		return perr(p, &p->toks[1], "%s must be a quoted string", d->name);
	if (!p->toks[1].s[strspn(p->toks[1].s, " \t")])
		return perr(p, &p->toks[1], "%s is empty", d->name);
	*field = strdup(p->toks[1].s);
	return *field ? 0 : err_set(p->e, -ENOMEM, "out of memory");
}

/* "family 4|6|both" */
static int dir_family(struct parser *p, const struct directive *d)
{
	const char *f = p->toks[1].s;

	(void)d;
	if (!strcmp(f, "4"))
		p->sc->families = SCENARIO_FAMILY_4;
	else if (!strcmp(f, "6"))
		p->sc->families = SCENARIO_FAMILY_6;
	else if (!strcmp(f, "both"))
		p->sc->families = SCENARIO_FAMILY_4 | SCENARIO_FAMILY_6;
	else
		return perr(p, &p->toks[1], "expected 4, 6 or both, got '%s'", f);
	return 0;
}

/* "topology NODE NODE [NODE [NODE]]" */
static int dir_topology(struct parser *p, const struct directive *d)
{
	struct scenario *sc = p->sc;
	int t, u;

	(void)d;
	if (p->header_done || sc->nsysctls || sc->nrecords)
		return perr(p, &p->toks[0],
			    "topology comes before sysctls, records and steps");
	/* "topology star HUB NODE NODE [NODE]": the hub routes between them */
	sc->star = !strcmp(p->toks[1].s, "star");
	if (sc->star) {
		if (p->ntok < 5)
			return perr(p, &p->toks[1], "a star is a hub and two or "
				    "three nodes: topology star HUB NODE NODE [NODE]");
		memmove(&p->toks[1], &p->toks[2],
			(size_t)(p->ntok - 2) * sizeof(p->toks[0]));
		p->ntok--;
	} else if (p->ntok > 1 + SCENARIO_MAX_NODES) {
		return perr(p, &p->toks[1 + SCENARIO_MAX_NODES], "a lab has %d "
			    "nodes at most", SCENARIO_MAX_NODES);
	}
	for (t = 1; t < p->ntok; t++) {
		if (!valid_name(p->toks[t].s) || strlen(p->toks[t].s) >= 16)
			return perr(p, &p->toks[t], "bad node name '%s'",
				    p->toks[t].s);
		for (u = 1; u < t; u++)
			if (!strcmp(p->toks[u].s, p->toks[t].s))
				return perr(p, &p->toks[t], "node '%s' given twice",
					    p->toks[t].s);
	}
	sc->nnodes = p->ntok - 1;
	for (t = 1; t < p->ntok; t++)
		snprintf(sc->nodes[t - 1], sizeof(sc->nodes[0]), "%s",
			 p->toks[t].s);
	return 0;
}

/* "sysctl NODE KEY=VALUE [if-present]" */
static int dir_sysctl(struct parser *p, const struct directive *d)
{
	struct scenario *sc = p->sc;
	struct scenario_sysctl *ns, *s;
	const char *kv = p->toks[2].s;
	const char *eq = strchr(kv, '=');
	int node;

	(void)d;
	if (p->header_done)
		return perr(p, &p->toks[0], "sysctl lines come before the first step");
	node = node_of(p, &p->toks[1]);
	if (node < 0)
		return -EINVAL;
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
	s->optional = p->flag;
	if (!sysctl_allowed(s->key))
		return perr(p, &p->toks[2],
			    "sysctl '%s' is not a per-namespace key tcplab may set "
			    "(net.ipv4.*, net.ipv6.*, net.netfilter.*, net.unix.*, "
			    "net.core.somaxconn)",
			    s->key);
	return 0;
}

/* "record NODE counter NAME" or "record NODE state STATE" */
static int dir_record(struct parser *p, const struct directive *d)
{
	struct scenario *sc = p->sc;
	struct scenario_record rec = { 0 }, *nr;
	const struct tok *what = &p->toks[2], *name = &p->toks[3];
	size_t k;

	(void)d;
	rec.node = node_of(p, &p->toks[1]);
	if (rec.node < 0)
		return -EINVAL;
	rec.loc = tok_loc(p, name);
	if (!strcmp(what->s, "counter")) {
		rec.kind = RECORD_COUNTER;
		if (strlen(name->s) >= sizeof(rec.counter) ||
		    (strncmp(name->s, "Tcp", 3) && strncmp(name->s, "Ip", 2)))
			return perr(p, name,
				    "expected a counter name as nstat prints it "
				    "(TcpExtSyncookiesFailed, TcpActiveOpens ...)");
		if (!snmp_known(name->s)) {
			const char *near = snmp_nearest(name->s);

			return perr(p, name, "Linux has no counter '%s'%s%s%s",
				    name->s, near ? " (did you mean " : "",
				    near ? near : "",
				    near ? "?)" : " (names as nstat prints them)");
		}
		snprintf(rec.counter, sizeof(rec.counter), "%s", name->s);
	} else if (!strcmp(what->s, "state")) {
		rec.kind = RECORD_STATE;
		rec.state = diag_state_parse(name->s);
		if (rec.state < 0 || rec.state == DIAG_NEW_SYN_RECV)
			return perr(p, name,
				    "unknown TCP state '%s' (LISTEN, SYN_SENT, "
				    "SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, "
				    "CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT, CLOSED)",
				    name->s);
	} else {
		return perr(p, what, "expected 'counter' or 'state', got '%s' "
			    "(record NODE counter NAME, record NODE state STATE)",
			    what->s);
	}
	for (k = 0; k < sc->nrecords; k++) {
		const struct scenario_record *o = &sc->records[k];

		if (o->node == rec.node && o->kind == rec.kind &&
		    (rec.kind == RECORD_COUNTER ? !strcmp(o->counter, rec.counter)
						: o->state == rec.state))
			return perr(p, name, "'%s' of %s is recorded already "
				    "(line %d)", name->s, sc->nodes[rec.node],
				    o->loc.line);
	}
	nr = realloc(sc->records, (sc->nrecords + 1) * sizeof(*nr));
	if (!nr)
		return err_set(p->e, -ENOMEM, "out of memory");
	sc->records = nr;
	nr[sc->nrecords++] = rec;
	return 0;
}

/* "wait D" */
static int dir_wait(struct parser *p, const struct directive *d)
{
	struct step *st = new_step(p, STEP_WAIT, &p->toks[0], -1);

	(void)d;
	if (!st)
		return -ENOMEM;
	return parse_dur(p, &p->toks[1], &st->within_ns);
}

static int dir_impair(struct parser *p, const struct directive *d)
{
	(void)d;
	return parse_impair(p);
}

static int dir_firewall(struct parser *p, const struct directive *d)
{
	(void)d;
	return parse_firewall(p);
}

static int dir_expect(struct parser *p, const struct directive *d)
{
	(void)d;
	if (!p->seen_action)
		return perr(p, &p->toks[0], "an expectation comes after an action "
			    "(listen, connect, send ...): nothing has happened yet "
			    "to expect");
	return parse_expect(p);
}

static const struct directive directives[] = {
	{ "scenario", "'scenario' given twice", 2, 2, NULL, "scenario NAME", 0,
	  dir_scenario },
	{ "title", "title given twice", 2, 2, NULL, "a quoted text",
	  offsetof(struct scenario, title), dir_text },
	{ "teaches", "teaches given twice", 2, 2, NULL, "a quoted text",
	  offsetof(struct scenario, teaches), dir_text },
	{ "xfail", "xfail given twice", 2, 2, NULL, "a quoted text",
	  offsetof(struct scenario, xfail), dir_text },
	{ "family", NULL, 2, 2, NULL, "family 4|6|both", 0, dir_family },
	{ "topology", NULL, 3, 2 + SCENARIO_MAX_NODES, NULL,
	  "topology NODE NODE [NODE [NODE]] (a chain) | "
	  "topology star HUB NODE NODE [NODE]", 0, dir_topology },
	{ "sysctl", NULL, 3, 3, "if-present",
	  "sysctl NODE KEY=VALUE [if-present]", 0, dir_sysctl },
	{ "record", NULL, 4, 4, NULL,
	  "record NODE counter NAME, or record NODE state STATE", 0, dir_record },
	{ "firewall", NULL, 0, 0, NULL, NULL, 0, dir_firewall },
	{ "impair", NULL, 0, 0, NULL, NULL, 0, dir_impair },
	{ "expect", NULL, 0, 0, NULL, NULL, 0, dir_expect },
	{ "wait", NULL, 2, 2, NULL, "wait DURATION", 0, dir_wait },
};

static const struct directive *directive_find(const char *name)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(directives); k++)
		if (!strcmp(name, directives[k].name))
			return &directives[k];
	return NULL;
}

/* What a named connection can do: the verbs on one socket */
static const char *const conn_verbs[] = {
	"send", "recv", "shutdown", "close", "abort", "keepalive", "sockopt",
	"inject",
};

/* "CONN VERB ...": an action on one named connection of its node */
static int parse_conn_action(struct parser *p, int conn)
{
	const struct scenario_conn *c = &p->sc->conns[conn];
	struct step *st;
	size_t k;
	int r, ok = 0;

	for (k = 0; p->ntok >= 2 && k < ARRAY_SIZE(conn_verbs); k++)
		if (!strcmp(p->toks[1].s, conn_verbs[k]))
			ok = 1;
	if (p->ntok >= 2 && !ok)
		return perr(p, &p->toks[1], "'%s' is a connection: it can send, "
			    "recv, shutdown, close, abort, keepalive, sockopt or inject ('%s' is "
			    "for its node, %s)", c->name, p->toks[1].s,
			    p->sc->nodes[c->node]);
	r = parse_node_action(p, c->node);
	if (r)
		return r;
	st = &p->sc->steps[p->sc->nsteps - 1];
	if (st->listener)
		return perr(p, &p->toks[2], "a connection has no listener");
	st->conn = conn;
	return 0;
}

/* The unknown word that starts a line, with the connections named so far */
static int unknown_directive(struct parser *p, const struct tok *d)
{
	char names[SCENARIO_MAX_CONNS * 18] = "", nodes[96];
	size_t n = 0;
	int c;

	if (!p->sc->nconns)
		return perr(p, d,
			    "unknown directive '%s' (scenario, title, teaches, xfail, "
			    "family, topology, sysctl, record, firewall, impair, expect, wait, long, "
			    "or a node name: %s)",
			    d->s, node_list(p->sc, nodes, sizeof(nodes)));
	for (c = 0; c < p->sc->nconns && n < sizeof(names); c++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
				      c ? ", " : "", p->sc->conns[c].name);
	return perr(p, d, "unknown directive, node or connection '%s' "
		    "(connections named so far: %s)", d->s, names);
}

/* "NODE ACTION" or "NODE1,NODE2 ACTION" (both at the same moment) */
static int parse_node_line(struct parser *p)
{
	struct scenario *sc = p->sc;
	const struct tok *d = &p->toks[0];
	char a[64], *b;
	struct step *st;
	int node, n2, r;

	node = scenario_node_find(sc, d->s);
	if (node >= 0) {
		p->seen_action = 1;
		return parse_node_action(p, node);
	}
	node = scenario_conn_find(sc, d->s);
	if (node >= 0) {
		p->seen_action = 1;
		return parse_conn_action(p, node);
	}
	if (!strchr(d->s, ','))
		return unknown_directive(p, d);
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
	p->seen_action = 1;
	r = parse_node_action(p, node);
	if (r)
		return r;
	st = &sc->steps[sc->nsteps - 1];
	if (st->kind != STEP_SHUTDOWN && st->kind != STEP_CLOSE &&
	    st->kind != STEP_ABORT && st->kind != STEP_SEND)
		return perr(p, &p->toks[1],
			    "only send, shutdown, close and abort can be done "
			    "by two nodes at once");
	st->node2 = n2;
	return 0;
}

/* One logical line: a directive from the table, or a node's action */
static int parse_directive_line(struct parser *p)
{
	const struct directive *d = NULL;
	const struct tok *t = &p->toks[0];
	size_t k;
	int r;

	if (t->quoted)
		return perr(p, t, "a line must start with a directive, not a string");
	if (!p->seen_scenario && strcmp(t->s, "scenario"))
		return perr(p, t, "the file must start with 'scenario NAME'");
	d = directive_find(t->s);
	if (!d)
		return parse_node_line(p);
	k = (size_t)(d - directives);
	if (d->twice && (p->seen & (1u << k)))
		return perr(p, t, "%s", d->twice);
	p->flag = 0;
	if (d->flag && p->ntok == d->max + 1 &&
	    !strcmp(p->toks[p->ntok - 1].s, d->flag)) {
		p->flag = 1;
		p->ntok--;
	}
	if (d->min && need_args(p, d->min, d->max, d->usage))
		return -EINVAL;
	r = d->parse(p, d);
	if (!r)
		p->seen |= 1u << k;
	return r;
}

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
	if (r)
		return r;
	if (p->sc->nsteps != before + 1)
		return perr(p, &lt, "'long' goes in front of a step");
	p->sc->steps[p->sc->nsteps - 1].long_only = 1;
	return 0;
}

/* An ipv4 or ipv6 rule must be of a family the scenario runs in */
static int scenario_check_families(const struct scenario *sc, struct err *e)
{
	size_t i;

	for (i = 0; i < sc->nsteps; i++) {
		const struct step *st = &sc->steps[i];
		int fb;

		if (st->kind == STEP_CONNECT && st->peer < 0 &&
		    (sc->families & ~st->peer_families))
			return err_at(e, -EINVAL, &st->loc,
				      "this address has no IPv%d form: give the "
				      "scenario 'family %d' (an address "
				      "198.18.L.H has one: fd00:198:18:L::H)",
				      st->peer_families & SCENARIO_FAMILY_4 ? 6 : 4,
				      st->peer_families & SCENARIO_FAMILY_4 ? 4 : 6);
		if (st->kind != STEP_FIREWALL || !st->rule.family)
			continue;
		fb = st->rule.family == 6 ? SCENARIO_FAMILY_6 : SCENARIO_FAMILY_4;
		if (!(sc->families & fb))
			return err_at(e, -EINVAL, &st->loc,
				      "an ipv%d rule in a scenario of family %d "
				      "would never match",
				      st->rule.family,
				      sc->families == SCENARIO_FAMILY_4 ? 4 : 6);
	}
	return 0;
}

int scenario_conn_find(const struct scenario *s, const char *name)
{
	int i;

	for (i = 0; i < s->nconns; i++)
		if (!strcmp(s->conns[i].name, name))
			return i;
	return -1;
}

const struct step *scenario_impair_kept(const struct scenario *s)
{
	size_t i, j;

	for (i = 0; i < s->nsteps; i++) {
		const struct step *st = &s->steps[i];
		int flushed = 0;

		if (st->kind != STEP_FIREWALL || st->rule.action != RULE_IMPAIR)
			continue;
		for (j = i + 1; j < s->nsteps && !flushed; j++)
			flushed = s->steps[j].kind == STEP_FLUSH &&
				  s->steps[j].node == st->node;
		if (!flushed)
			return st;
	}
	return NULL;
}

int scenario_node_router(const struct scenario *s, int node)
{
	if (s->star)
		return node == 0;
	return node > 0 && node < s->nnodes - 1;
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
	p.arena_len = len + 2 * MAX_TOKENS + 2;
	p.arena = malloc(p.arena_len);
	if (!p.arena) {
		r = err_set(e, -ENOMEM, "out of memory");
		goto fail;
	}
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
	r = scenario_check_families(sc, e);
	if (r)
		goto fail;
	free(p.arena);
	*out = sc;
	return 0;
fail:
	free(p.arena);
	scenario_free(sc);
	return r < 0 ? r : -EINVAL;
}

/*
 * scenario_open() - open @path for reading without ever blocking
 *
 * O_NONBLOCK so that a FIFO (or a device) cannot hang the open; then only a
 * regular file with a read permission bit is taken (root reads a mode-000
 * file, but its owner said it is not to be read).  Every refusal names the
 * file at 1:1 and why.
 */
static int scenario_open(const char *path, size_t *size, struct err *e)
{
	const struct loc at = { path, 1, 1 };
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_at(e, -errno, &at, "cannot open scenario: %s",
			      strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return err_at(e, r, &at, "cannot read scenario: %s",
			      strerror(-r));
	}
	if (S_ISDIR(st.st_mode))
		r = err_at(e, -EISDIR, &at,
			   "cannot read scenario: it is a directory");
	else if (!S_ISREG(st.st_mode))
		r = err_at(e, -EINVAL, &at,
			   "cannot read scenario: not a regular file (%s)",
			   S_ISFIFO(st.st_mode)   ? "a FIFO"
			   : S_ISSOCK(st.st_mode) ? "a socket"
			   : S_ISCHR(st.st_mode)  ? "a character device"
			   : S_ISBLK(st.st_mode)  ? "a block device"
						  : "not a file");
	else if (!(st.st_mode & (S_IRUSR | S_IRGRP | S_IROTH)))
		r = err_at(e, -EACCES, &at,
			   "cannot read scenario: it has no read permission "
			   "(mode %04o)", (unsigned)(st.st_mode & 07777));
	else if (st.st_size > SCENARIO_FILE_MAX)
		r = err_at(e, -EFBIG, &at,
			   "scenario file larger than 1 MiB (%lld bytes)",
			   (long long)st.st_size);
	else
		r = 0;
	if (r) {
		close(fd);
		return r;
	}
	*size = (size_t)st.st_size;
	return fd;
}

/*
 * scenario_check_file_name() - a scenario in NAME.tcp is called NAME, so
 * that "tcplab run NAME" and the file always mean the same scenario.
 */
static int scenario_check_file_name(const struct scenario *sc,
				    const char *path, struct err *e)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len <= 4 || strcmp(base + len - 4, ".tcp"))
		return 0; /* not NAME.tcp: nothing to compare */
	if (len - 4 == strlen(sc->name) && !strncmp(base, sc->name, len - 4))
		return 0;
	return err_at(e, -EINVAL, &sc->name_loc,
		      "scenario '%s' is in a file named '%s': the name and the "
		      "file name (without .tcp) must be the same",
		      sc->name, base);
}

int scenario_load(const char *path, struct scenario **out, struct err *e)
{
	const struct loc at = { path, 1, 1 };
	size_t size = 0, cap, n = 0;
	char *buf, *more;
	int fd, r;

	*out = NULL;
	fd = scenario_open(path, &size, e);
	if (fd < 0)
		return fd;
	/*
	 * Room for the size fstat() gave and one byte more, to see the file
	 * grow: then twice as much, up to one byte past the limit.  Not the
	 * limit at once: a 1 MiB block is an mmap() and a munmap() of its
	 * own, and every page a process touches first is a fault.
	 */
	cap = size + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return err_set(e, -ENOMEM, "out of memory");
	}
	for (;;) {
		ssize_t got = read(fd, buf + n, cap - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			free(buf);
			close(fd);
			return err_at(e, r, &at, "cannot read scenario: %s",
				      strerror(-r));
		}
		if (!got)
			break;
		n += (size_t)got;
		if (n > SCENARIO_FILE_MAX) {
			free(buf);
			close(fd);
			return err_at(e, -EFBIG, &at,
				      "scenario file larger than 1 MiB");
		}
		/* all fstat() counted and not the byte past it: that was the
		 * end, no need to read again to be told */
		if (n < cap && n >= size)
			break;
		if (n < cap)
			continue;
		cap = cap > SCENARIO_FILE_MAX / 2 ? SCENARIO_FILE_MAX + 1 : 2 * cap;
		more = realloc(buf, cap);
		if (!more) {
			free(buf);
			close(fd);
			return err_set(e, -ENOMEM, "out of memory");
		}
		buf = more;
	}
	close(fd);
	r = scenario_parse(path, buf, n, out, e);
	free(buf);
	if (!r)
		r = scenario_check_file_name(*out, path, e);
	if (r) {
		scenario_free(*out);
		*out = NULL;
	}
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
	free(s->records);
	free(s->steps);
	free(s);
}
