// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - the results model as JSON, and back (see json.h)
 *
 * Theory of operation
 *
 * Writing builds one json-c object tree for the whole document and prints
 * it once.  Every helper that adds a member records an allocation failure
 * in a flag of struct jw instead of returning it, so that the builders
 * read as a list of members; json_write() checks the flag at the end.
 *
 * Layout (every time an integer in microseconds; "loc" is "file:line"):
 *
 *	{ "schema_version", "tcplab", "kernel", "machine", "date",
 *	  "runs": [ { "name", "title", "teaches", "file", "family",
 *	    "firewall", "verdict", "reason",
 *	    "nodes": [ { "name", "address" } ],
 *	    "timings_us": { "setup", "run", "teardown" },
 *	    "sysctls": [ { "node", "key", "value", "skipped" } ],
 *	    "rules": [ { "node", "desc", "nft", "iptables", "mechanism",
 *	      "impair": { "packets", "lost", "duplicated", "reordered",
 *	      "seed" }, "loc" } ],
 *	    "expectations": [ { "text", "loc", "held", "observed", "t_us",
 *	      "sockets": [ { "node", "state", "local", "peer", "recv_q",
 *	        "send_q", "timer": { "kind", "expires_ms", "retransmits" },
 *	        "tcp_info": { "rto_us", "backoff", "probes",
 *	        "retransmits" }, "confirmed" } ] } ],
 *	    "counters": [ { "node", "name", "delta" } ],
 *	    "records": [ { "node", "kind", "name", "loc", "delta" } ],
 *	    "timeline": [ { "t_us", "kind", "node", ... } ],
 *	    "pcaps": [ { "node", "path" } ],
 *	    "packets_seen", "packets_capped", "slow" } ] }
 *
 * A timeline event of kind "packet" adds "peer", "src", "dst", "flags"
 * (tcpdump's letters: "S", "S.", "F.", "R."), "seq", "ack" (relative),
 * "len", "win", "options", and "copy": true for a duplicate an impairment
 * sent (not the sender's retransmission); "drop" adds the same packet
 * members and "rule", "impair" (true for an impairment's loss), "hook",
 * "loc"; "state" adds "state"; "step" adds "text" and "loc".
 * Relative numbers are worked out on a sorted copy of the timeline, so the
 * caller's results are only read.
 *
 * Reading parses the file with json-c and copies what a baseline needs
 * into a fresh struct results; anything missing or of the wrong type makes
 * the whole document invalid (-EBADMSG), with the run and member named.
 */
#include "results_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>

#include "pkt.h"
#include "rule.h"
#include "util.h"

/* Time zero of a read-back run: room for events before it */
#define JSON_T0_NS (3600 * NS_PER_S)

/* While reading: "this place is in the run's own file" (see fix_files()) */
static const char json_own_file[] = "";

struct jw {
	int oom;
};

/**
 * add() - add member @k = @v to object @o, recording a failure
 * @w:		writer state
 * @o:		object
 * @k:		member name
 * @v:		value (may be NULL after a failed allocation: then it fails)
 */
static void add(struct jw *w, struct json_object *o, const char *k,
		struct json_object *v)
{
	if (!v || json_object_object_add(o, k, v)) {
		json_object_put(v);
		w->oom = 1;
	}
}

/**
 * push() - append @v to array @a, recording a failure
 * @w:		writer state
 * @a:		array
 * @v:		value
 */
static void push(struct jw *w, struct json_object *a, struct json_object *v)
{
	if (!v || json_object_array_add(a, v)) {
		json_object_put(v);
		w->oom = 1;
	}
}

/**
 * add_str() - a string member
 * @w:		writer state
 * @o:		object
 * @k:		name
 * @s:		value
 */
static void add_str(struct jw *w, struct json_object *o, const char *k,
		    const char *s)
{
	add(w, o, k, json_object_new_string(s));
}

/**
 * add_int() - an integer member
 * @w:		writer state
 * @o:		object
 * @k:		name
 * @v:		value
 */
static void add_int(struct jw *w, struct json_object *o, const char *k,
		    int64_t v)
{
	add(w, o, k, json_object_new_int64(v));
}

/**
 * add_null() - a null member
 * @w:		writer state
 * @o:		object
 * @k:		name
 */
static void add_null(struct jw *w, struct json_object *o, const char *k)
{
	if (json_object_object_add(o, k, NULL))
		w->oom = 1;
}

/**
 * add_loc() - "loc": "file:line", or null for no place
 * @w:		writer state
 * @o:		object
 * @loc:	the place
 * @dflt:	file to name when @loc has none
 */
static void add_loc(struct jw *w, struct json_object *o, const struct loc *loc,
		    const char *dflt)
{
	char buf[600];

	if (loc->line <= 0) {
		add_null(w, o, "loc");
		return;
	}
	snprintf(buf, sizeof(buf), "%s:%d", loc->file ? loc->file : dflt,
		 loc->line);
	add_str(w, o, "loc", buf);
}

/**
 * node_name() - the name of node @i of @run, NULL when there is none
 * @run:	the run
 * @i:		node index
 *
 * Return: name or NULL
 */
static const char *node_name(const struct result *run, int i)
{
	if (i < 0 || i >= run->nnodes || i >= 4)
		return NULL;
	return run->nodes[i];
}

/**
 * add_node() - @k: the name of node @i, or null
 * @w:		writer state
 * @o:		object
 * @k:		member name
 * @run:	the run
 * @i:		node index
 */
static void add_node(struct jw *w, struct json_object *o, const char *k,
		     const struct result *run, int i)
{
	const char *n = node_name(run, i);

	if (n)
		add_str(w, o, k, n);
	else
		add_null(w, o, k);
}

/**
 * rel_us() - microseconds from @t0 to @t, negative when before
 * @t:		time, ns
 * @t0:		time zero, ns
 *
 * Return: (t - t0) / 1000
 */
static int64_t rel_us(uint64_t t, uint64_t t0)
{
	return ((int64_t)t - (int64_t)t0) / (int64_t)NS_PER_US;
}

/**
 * sock_obj() - one socket of a table
 * @w:		writer state
 * @node:	the node's name
 * @s:		the socket
 * @confirmed:	it confirmed the expectation
 *
 * Return: the object, NULL on failure
 */
static struct json_object *sock_obj(struct jw *w, const char *node,
				    const struct diag_sock *s, int confirmed)
{
	struct json_object *o = json_object_new_object(), *t;
	char buf[80];
	int st = s->state == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV : s->state;

	if (!o)
		return NULL;
	add_str(w, o, "node", node);
	add_str(w, o, "state", diag_state_name(st));
	add_str(w, o, "local", diag_addr_format(&s->src, buf, sizeof(buf)));
	if (s->state == DIAG_LISTEN)
		add_null(w, o, "peer");
	else
		add_str(w, o, "peer", diag_addr_format(&s->dst, buf, sizeof(buf)));
	add_int(w, o, "recv_q", s->rqueue);
	add_int(w, o, "send_q", s->wqueue);
	if (s->timer == DIAG_TIMER_OFF) {
		add_null(w, o, "timer");
	} else {
		t = json_object_new_object();
		if (t) {
			add_str(w, t, "kind", diag_timer_name(s->timer));
			add_int(w, t, "expires_ms", s->expires_ms);
			add_int(w, t, "retransmits", s->retrans);
		}
		add(w, o, "timer", t);
	}
	if (s->has_info) {
		t = json_object_new_object();
		if (t) {
			add_int(w, t, "rto_us", s->info.rto_us);
			add_int(w, t, "backoff", s->info.backoff);
			add_int(w, t, "probes", s->info.probes);
			add_int(w, t, "retransmits", s->info.retransmits);
		}
		add(w, o, "tcp_info", t);
	} else {
		add_null(w, o, "tcp_info");
	}
	add(w, o, "confirmed", json_object_new_boolean(confirmed));
	return o;
}

/**
 * expect_obj() - one expectation with its socket table
 * @w:		writer state
 * @run:	the run
 * @x:		the expectation
 *
 * Return: the object, NULL on failure
 */
static struct json_object *expect_obj(struct jw *w, const struct result *run,
				      const struct res_expect *x)
{
	struct json_object *o = json_object_new_object(), *a;
	int i;

	if (!o)
		return NULL;
	add_str(w, o, "text", x->text);
	add_loc(w, o, &x->loc, run->file);
	add(w, o, "held", json_object_new_boolean(x->held));
	add_str(w, o, "observed", x->observed);
	if (x->t_ns)
		add_int(w, o, "t_us", rel_us(x->t_ns, run->tl.t0));
	else
		add_null(w, o, "t_us");
	a = json_object_new_array();
	for (i = 0; a && i < x->nsocks && i < 4; i++) {
		const char *n = node_name(run, i);
		size_t k;

		for (k = 0; k < x->socks[i].n; k++) {
			const struct diag_sock *s = &x->socks[i].v[k];

			push(w, a, sock_obj(w, n ? n : "?", s,
					    x->mark_node == i &&
						    diag_sock_same(s, &x->mark)));
		}
	}
	add(w, o, "sockets", a);
	return o;
}

/**
 * add_pkt() - the members of a packet
 * @w:		writer state
 * @o:		event object
 * @p:		packet (relative numbers filled)
 */
static void add_pkt(struct jw *w, struct json_object *o, const struct tl_pkt *p)
{
	char buf[80];

	add_str(w, o, "src", diag_addr_format(&p->src, buf, sizeof(buf)));
	add_str(w, o, "dst", diag_addr_format(&p->dst, buf, sizeof(buf)));
	add_str(w, o, "flags", pkt_flags_format(p->flags, buf, sizeof(buf)));
	add_int(w, o, "seq", p->rseq);
	add_int(w, o, "ack", p->rack);
	add_int(w, o, "len", p->len);
	add_int(w, o, "win", p->win);
	snprintf(buf, sizeof(buf), "%.*s", (int)sizeof(p->opts), p->opts);
	add_str(w, o, "options", buf);
}

/**
 * event_obj() - one timeline event
 * @w:		writer state
 * @run:	the run
 * @ev:		the event
 *
 * Return: the object, NULL on failure
 */
static struct json_object *event_obj(struct jw *w, const struct result *run,
				     const struct tl_event *ev)
{
	static const char *const kinds[] = { "step", "state", "packet", "drop" };
	struct json_object *o = json_object_new_object();
	char who[40];
	int st;

	if (!o)
		return NULL;
	add_int(w, o, "t_us", rel_us(ev->t_ns, run->tl.t0));
	add_str(w, o, "kind",
		(unsigned)ev->kind < ARRAY_SIZE(kinds) ? kinds[ev->kind] : "?");
	add_node(w, o, "node", run, ev->node);
	switch (ev->kind) {
	case TL_STEP:
		add_str(w, o, "text", ev->text);
		add_loc(w, o, &ev->loc, run->file);
		break;
	case TL_STATE:
		st = ev->state == DIAG_NEW_SYN_RECV ? DIAG_SYN_RECV : ev->state;
		add_str(w, o, "state", diag_state_name(st));
		break;
	case TL_PACKET:
		add_node(w, o, "peer", run, ev->peer);
		add_pkt(w, o, &ev->pkt);
		timeline_conn_label(&run->tl, &ev->pkt, who, sizeof(who));
		if (who[0])
			add_str(w, o, "connection", who);
		if (ev->copy)
			add(w, o, "copy", json_object_new_boolean(1));
		break;
	case TL_DROP:
		add_pkt(w, o, &ev->pkt);
		add_int(w, o, "rule", ev->rule_id);
		if (ev->impaired)
			add(w, o, "impair", json_object_new_boolean(1));
		add_str(w, o, "hook", rule_hook_name(ev->hook));
		add_loc(w, o, &ev->loc, run->file);
		break;
	}
	return o;
}

/**
 * timeline_arr() - the run's events in time order, relative numbers
 * worked out on a copy
 * @w:		writer state
 * @run:	the run
 *
 * Return: the array, NULL on failure
 */
static struct json_object *timeline_arr(struct jw *w, const struct result *run)
{
	struct timeline tl = { 0 };
	struct json_object *a;
	size_t i;

	tl.t0 = run->tl.t0;
	for (i = 0; i < run->tl.n; i++) {
		if (timeline_add(&tl, &run->tl.v[i])) {
			timeline_free(&tl);
			return NULL;
		}
	}
	timeline_sort(&tl);
	if (pkt_relative_timeline(&tl)) {
		timeline_free(&tl);
		return NULL;
	}
	a = json_object_new_array();
	for (i = 0; a && i < tl.n; i++)
		push(w, a, event_obj(w, run, &tl.v[i]));
	timeline_free(&tl);
	return a;
}

/**
 * run_obj() - one run
 * @w:		writer state
 * @run:	the run
 *
 * Return: the object, NULL on failure
 */
static struct json_object *run_obj(struct jw *w, const struct result *run)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	size_t i;
	int n;

	if (!o)
		return NULL;
	add_str(w, o, "name", run->name);
	add_str(w, o, "title", run->title);
	add_str(w, o, "teaches", run->teaches);
	add_str(w, o, "file", run->file);
	add_int(w, o, "family", run->family);
	add_str(w, o, "firewall", run->firewall);
	add_str(w, o, "verdict", res_verdict_name(run->verdict));
	add_str(w, o, "reason", run->reason);

	a = json_object_new_array();
	for (n = 0; a && n < run->nnodes && n < 4; n++) {
		x = json_object_new_object();
		if (x) {
			add_str(w, x, "name", run->nodes[n]);
			add_str(w, x, "address", run->addrs[n]);
		}
		push(w, a, x);
	}
	add(w, o, "nodes", a);

	x = json_object_new_object();
	if (x) {
		add_int(w, x, "setup", (int64_t)(run->setup_ns / NS_PER_US));
		add_int(w, x, "run", (int64_t)(run->run_ns / NS_PER_US));
		add_int(w, x, "teardown",
			(int64_t)(run->teardown_ns / NS_PER_US));
	}
	add(w, o, "timings_us", x);

	a = json_object_new_array();
	for (i = 0; a && i < run->nsysctls; i++) {
		x = json_object_new_object();
		if (x) {
			add_str(w, x, "node", run->sysctls[i].node);
			add_str(w, x, "key", run->sysctls[i].key);
			add_str(w, x, "value", run->sysctls[i].value);
			/* an if-present key this kernel lacks was not set */
			add(w, x, "skipped",
			    json_object_new_boolean(run->sysctls[i].skipped));
		}
		push(w, a, x);
	}
	add(w, o, "sysctls", a);

	a = json_object_new_array();
	for (i = 0; a && i < run->nrules; i++) {
		const struct res_rule *rl = &run->rules[i];

		x = json_object_new_object();
		if (x) {
			add_str(w, x, "node", rl->node);
			add_str(w, x, "desc", rl->desc);
			add_str(w, x, "nft", rl->nft);
			add_str(w, x, "iptables", rl->ipt);
			if (rl->mechanism[0])
				add_str(w, x, "mechanism", rl->mechanism);
			if (rl->impaired) {
				struct json_object *im = json_object_new_object();

				if (im) {
					add_int(w, im, "packets", (int64_t)rl->packets);
					add_int(w, im, "lost", (int64_t)rl->lost);
					add_int(w, im, "duplicated",
						(int64_t)rl->duplicated);
					add_int(w, im, "reordered",
						(int64_t)rl->reordered);
					add_int(w, im, "seed", (int64_t)rl->seed);
				}
				add(w, x, "impair", im);
			}
			add_loc(w, x, &rl->loc, run->file);
		}
		push(w, a, x);
	}
	add(w, o, "rules", a);

	a = json_object_new_array();
	for (i = 0; a && i < run->nexpects; i++)
		push(w, a, expect_obj(w, run, &run->expects[i]));
	add(w, o, "expectations", a);

	a = json_object_new_array();
	for (i = 0; a && i < run->ncounters; i++) {
		x = json_object_new_object();
		if (x) {
			add_str(w, x, "node", run->counters[i].node);
			add_str(w, x, "name", run->counters[i].name);
			add_int(w, x, "delta", run->counters[i].delta);
		}
		push(w, a, x);
	}
	add(w, o, "counters", a);

	a = json_object_new_array();
	for (n = 0; a && n < run->tl.nconns; n++) {
		const struct tl_conn *c = &run->tl.conns[n];
		char buf[80];

		x = json_object_new_object();
		if (x) {
			add_str(w, x, "name", c->name);
			add_str(w, x, "local",
				diag_addr_format(&c->local, buf, sizeof(buf)));
			add_int(w, x, "peer_port", c->rport);
		}
		push(w, a, x);
	}
	add(w, o, "connections", a);

	/* what the scenario recorded: "counter" with its delta (null where
	 * the kernel has no such counter), or "state" */
	a = json_object_new_array();
	for (i = 0; a && i < run->nrecords; i++) {
		const struct res_record *rec = &run->records[i];

		x = json_object_new_object();
		if (x) {
			add_str(w, x, "node", rec->node);
			add_str(w, x, "kind", rec->kind);
			add_str(w, x, "name", rec->name);
			add_loc(w, x, &rec->loc, run->file);
			if (!strcmp(rec->kind, "counter") && rec->have)
				add_int(w, x, "delta", rec->delta);
			else if (!strcmp(rec->kind, "counter"))
				add_null(w, x, "delta");
		}
		push(w, a, x);
	}
	add(w, o, "records", a);

	add(w, o, "timeline", timeline_arr(w, run));

	a = json_object_new_array();
	for (n = 0; a && n < run->nnodes && n < 4; n++) {
		if (!run->pcap[n][0])
			continue;
		x = json_object_new_object();
		if (x) {
			add_str(w, x, "node", run->nodes[n]);
			add_str(w, x, "path", run->pcap[n]);
		}
		push(w, a, x);
	}
	add(w, o, "pcaps", a);
	add_int(w, o, "packets_seen", (int64_t)run->packets_seen);
	add_int(w, o, "packets_capped", (int64_t)run->packets_capped);
	add(w, o, "slow", json_object_new_double(run->slow >= 1 ? run->slow : 1));
	return o;
}

int json_write(FILE *f, const struct results *r)
{
	struct json_object *root = json_object_new_object(), *runs;
	struct jw w = { 0 };
	const char *s;
	size_t i;
	int rc = 0;

	if (!root)
		return -ENOMEM;
	add_int(&w, root, "schema_version", RESULTS_SCHEMA_VERSION);
	add_str(&w, root, "tcplab", r->tcplab);
	add_str(&w, root, "kernel", r->kernel);
	add_str(&w, root, "machine", r->machine);
	add_str(&w, root, "date", r->date);
	runs = json_object_new_array();
	for (i = 0; runs && i < r->nruns; i++)
		push(&w, runs, run_obj(&w, &r->runs[i]));
	add(&w, root, "runs", runs);
	if (w.oom) {
		rc = -ENOMEM;
		goto out;
	}
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		rc = -ENOMEM;
		goto out;
	}
	if (fputs(s, f) < 0 || fputc('\n', f) == EOF || fflush(f) || ferror(f))
		rc = -EIO;
out:
	json_object_put(root);
	return rc;
}

/* Reading */

struct jr {
	const char *path;
	struct err *e;
	char where[96]; /* "run 3 (syn-sent)" */
};

/**
 * bad() - record that member @k is missing or of the wrong type
 * @j:		reader state
 * @k:		member name
 *
 * Return: -EBADMSG
 */
static int bad(struct jr *j, const char *k)
{
	return err_set(j->e, -EBADMSG, "%s: %s%s\"%s\" is missing or not valid",
		       j->path, j->where, j->where[0] ? ": " : "", k);
}

/**
 * get() - member @k of @o, of type @t
 * @j:		reader state
 * @o:		object
 * @k:		name
 * @t:		json type wanted
 * @v:		set to the member
 *
 * Return: 0 or -EBADMSG
 */
static int get(struct jr *j, struct json_object *o, const char *k,
	       enum json_type t, struct json_object **v)
{
	if (!json_object_object_get_ex(o, k, v) || !json_object_is_type(*v, t))
		return bad(j, k);
	return 0;
}

/**
 * get_str() - copy string member @k into @buf
 * @j:		reader state
 * @o:		object
 * @k:		name
 * @buf:	output
 * @len:	its size
 *
 * Return: 0 or -EBADMSG
 */
static int get_str(struct jr *j, struct json_object *o, const char *k,
		   char *buf, size_t len)
{
	struct json_object *v;
	int rc = get(j, o, k, json_type_string, &v);

	if (!rc)
		snprintf(buf, len, "%s", json_object_get_string(v));
	return rc;
}

/**
 * get_int() - integer member @k
 * @j:		reader state
 * @o:		object
 * @k:		name
 * @out:	value
 *
 * Return: 0 or -EBADMSG
 */
static int get_int(struct jr *j, struct json_object *o, const char *k,
		   int64_t *out)
{
	struct json_object *v;
	int rc = get(j, o, k, json_type_int, &v);

	if (!rc)
		*out = json_object_get_int64(v);
	return rc;
}

/**
 * opt_str() - copy string member @k, "" when it is null or absent
 * @o:		object
 * @k:		name
 * @buf:	output
 * @len:	its size
 */
static void opt_str(struct json_object *o, const char *k, char *buf, size_t len)
{
	struct json_object *v;

	buf[0] = '\0';
	if (json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(buf, len, "%s", json_object_get_string(v));
}

/**
 * opt_bool() - boolean member @k, 0 when it is absent or not a boolean
 * @o:		object
 * @k:		name
 *
 * Return: 1 or 0
 */
static int opt_bool(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	       json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

/**
 * read_loc() - "loc": "file:line" into @loc (line only; see json.h)
 * @o:		object
 * @loc:	output; loc->file set to json_own_file when the file was the
 *		run's own (fixed up once every run has its place)
 * @runfile:	the run's file
 */
static void read_loc(struct json_object *o, struct loc *loc,
		     const char *runfile)
{
	char buf[600], *colon;

	memset(loc, 0, sizeof(*loc));
	opt_str(o, "loc", buf, sizeof(buf));
	colon = strrchr(buf, ':');
	if (!colon)
		return;
	*colon = '\0';
	loc->line = atoi(colon + 1);
	if (!strcmp(buf, runfile))
		loc->file = json_own_file;
}

/**
 * node_index() - index of the node named by string member @k; -1 if none
 * @run:	the run (nodes filled)
 * @o:		object
 * @k:		name
 *
 * Return: index or -1
 */
static int node_index(const struct result *run, struct json_object *o,
		      const char *k)
{
	char name[16];
	int i;

	opt_str(o, k, name, sizeof(name));
	for (i = 0; i < run->nnodes; i++)
		if (!strcmp(run->nodes[i], name))
			return i;
	return -1;
}

/**
 * parse_addr() - "198.18.0.1:80" or "[fd00::1]:80" into @a
 * @s:		text
 * @a:		output
 *
 * Return: 0 or -EINVAL
 */
static int parse_addr(const char *s, struct diag_addr *a)
{
	char buf[80], *colon, *host = buf;

	memset(a, 0, sizeof(*a));
	snprintf(buf, sizeof(buf), "%s", s);
	colon = strrchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	a->port = (uint16_t)atoi(colon + 1);
	if (*host == '[') {
		host++;
		host[strcspn(host, "]")] = '\0';
		a->family = AF_INET6;
		return inet_pton(AF_INET6, host, &a->v6) == 1 ? 0 : -EINVAL;
	}
	a->family = AF_INET;
	return inet_pton(AF_INET, host, &a->v4) == 1 ? 0 : -EINVAL;
}

/**
 * parse_flags() - tcpdump's letters back into TCP flag bits
 * @s:		"S.", "FP.", "none"
 *
 * Return: the flags
 */
static uint8_t parse_flags(const char *s)
{
	uint8_t f = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'F': f |= RULE_TCP_FIN; break;
		case 'S': f |= RULE_TCP_SYN; break;
		case 'R': f |= RULE_TCP_RST; break;
		case 'P': f |= RULE_TCP_PSH; break;
		case '.': f |= RULE_TCP_ACK; break;
		case 'U': f |= RULE_TCP_URG; break;
		case 'E': f |= RULE_TCP_ECE; break;
		case 'W': f |= RULE_TCP_CWR; break;
		}
	}
	return f;
}

/**
 * read_pkt() - the packet members of an event
 * @j:		reader state
 * @o:		event object
 * @p:		output
 *
 * Return: 0 or -EBADMSG
 */
static int read_pkt(struct jr *j, struct json_object *o, struct tl_pkt *p)
{
	char buf[80];
	int64_t v;
	int rc;

	if ((rc = get_str(j, o, "src", buf, sizeof(buf))) ||
	    parse_addr(buf, &p->src))
		return rc ? rc : bad(j, "src");
	if ((rc = get_str(j, o, "dst", buf, sizeof(buf))) ||
	    parse_addr(buf, &p->dst))
		return rc ? rc : bad(j, "dst");
	p->family = p->src.family;
	if ((rc = get_str(j, o, "flags", buf, sizeof(buf))))
		return rc;
	p->flags = parse_flags(buf);
	if ((rc = get_int(j, o, "seq", &v)))
		return rc;
	p->seq = p->rseq = (uint32_t)v;
	if ((rc = get_int(j, o, "ack", &v)))
		return rc;
	p->ack = p->rack = (uint32_t)v;
	if ((rc = get_int(j, o, "len", &v)))
		return rc;
	p->len = (uint32_t)v;
	if (!get_int(j, o, "win", &v))
		p->win = (uint16_t)v;
	err_clear(j->e);
	opt_str(o, "options", p->opts, sizeof(p->opts));
	return 0;
}

/**
 * read_event() - one timeline event into @run's timeline
 * @j:		reader state
 * @run:	the run (nodes filled)
 * @o:		event object
 *
 * Return: 0, -EBADMSG, -ENOMEM
 */
static int read_event(struct jr *j, struct result *run, struct json_object *o)
{
	static const char *const kinds[] = { "step", "state", "packet", "drop" };
	struct tl_event ev;
	char buf[96];
	int64_t t;
	size_t k;
	int rc;

	memset(&ev, 0, sizeof(ev));
	if ((rc = get_int(j, o, "t_us", &t)) ||
	    (rc = get_str(j, o, "kind", buf, sizeof(buf))))
		return rc;
	ev.t_ns = (uint64_t)((int64_t)JSON_T0_NS + t * (int64_t)NS_PER_US);
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		if (!strcmp(buf, kinds[k]))
			break;
	if (k == ARRAY_SIZE(kinds))
		return bad(j, "kind");
	ev.kind = (enum tl_kind)k;
	ev.node = node_index(run, o, "node");
	ev.peer = -1;
	switch (ev.kind) {
	case TL_STEP:
		opt_str(o, "text", ev.text, sizeof(ev.text));
		read_loc(o, &ev.loc, run->file);
		break;
	case TL_STATE:
		if ((rc = get_str(j, o, "state", buf, sizeof(buf))))
			return rc;
		ev.state = diag_state_parse(buf);
		if (ev.state < 0)
			return bad(j, "state");
		break;
	case TL_PACKET:
		ev.peer = node_index(run, o, "peer");
		if ((rc = read_pkt(j, o, &ev.pkt)))
			return rc;
		ev.copy = opt_bool(o, "copy");
		break;
	case TL_DROP:
		if ((rc = read_pkt(j, o, &ev.pkt)) ||
		    (rc = get_int(j, o, "rule", &t)))
			return rc;
		ev.rule_id = (unsigned)t;
		ev.impaired = opt_bool(o, "impair");
		opt_str(o, "hook", buf, sizeof(buf));
		ev.hook = !strcmp(buf, rule_hook_name(RULE_OUTPUT)) ? RULE_OUTPUT
								     : RULE_INPUT;
		read_loc(o, &ev.loc, run->file);
		break;
	}
	return timeline_add(&run->tl, &ev);
}

/**
 * read_confirmed() - the node and state of the socket that confirmed an
 * expectation (the only socket of its table a baseline needs)
 * @run:	the run (nodes filled)
 * @o:		expectation object
 * @xp:		its mark_node and mark.state are set when one is marked
 */
static void read_confirmed(const struct result *run, struct json_object *o,
			   struct res_expect *xp)
{
	struct json_object *a, *x;
	char buf[32];
	size_t i, n;

	if (!json_object_object_get_ex(o, "sockets", &a) ||
	    !json_object_is_type(a, json_type_array))
		return;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		int node, st;

		x = json_object_array_get_idx(a, i);
		if (!opt_bool(x, "confirmed"))
			continue;
		node = node_index(run, x, "node");
		opt_str(x, "state", buf, sizeof(buf));
		st = diag_state_parse(buf);
		if (node < 0 || st < 0)
			continue;
		xp->mark_node = node;
		xp->mark.state = (uint8_t)st;
		return;
	}
}

/**
 * read_run() - one run
 * @j:		reader state
 * @run:	output (zeroed)
 * @o:		run object
 *
 * Return: 0, -EBADMSG, -ENOMEM
 */
static int read_run(struct jr *j, struct result *run, struct json_object *o)
{
	struct json_object *a, *x;
	char buf[32];
	int64_t v;
	size_t i, n;
	int rc, k;

	if ((rc = get_str(j, o, "name", run->name, sizeof(run->name))) ||
	    (rc = get_int(j, o, "family", &v)))
		return rc;
	run->family = (int)v;
	snprintf(j->where, sizeof(j->where), "run %s IPv%d", run->name,
		 run->family);
	if ((rc = get_str(j, o, "firewall", run->firewall,
			  sizeof(run->firewall))) ||
	    (rc = get_str(j, o, "verdict", buf, sizeof(buf))))
		return rc;
	for (k = RES_PASS; k <= RES_ERROR; k++)
		if (!strcmp(buf, res_verdict_name((enum res_verdict)k)))
			break;
	if (k > RES_ERROR)
		return bad(j, "verdict");
	run->verdict = (enum res_verdict)k;
	opt_str(o, "title", run->title, sizeof(run->title));
	opt_str(o, "teaches", run->teaches, sizeof(run->teaches));
	opt_str(o, "file", run->file, sizeof(run->file));
	opt_str(o, "reason", run->reason, sizeof(run->reason));

	if ((rc = get(j, o, "nodes", json_type_array, &a)))
		return rc;
	n = json_object_array_length(a);
	for (i = 0; i < n && i < 4; i++) {
		x = json_object_array_get_idx(a, i);
		opt_str(x, "name", run->nodes[i], sizeof(run->nodes[i]));
		opt_str(x, "address", run->addrs[i], sizeof(run->addrs[i]));
		run->nnodes++;
	}
	if (json_object_object_get_ex(o, "timings_us", &x)) {
		if (!get_int(j, x, "setup", &v))
			run->setup_ns = (uint64_t)v * NS_PER_US;
		if (!get_int(j, x, "run", &v))
			run->run_ns = (uint64_t)v * NS_PER_US;
		if (!get_int(j, x, "teardown", &v))
			run->teardown_ns = (uint64_t)v * NS_PER_US;
		err_clear(j->e);
	}

	if ((rc = get(j, o, "sysctls", json_type_array, &a)))
		return rc;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		struct res_kv kv;

		x = json_object_array_get_idx(a, i);
		opt_str(x, "node", kv.node, sizeof(kv.node));
		opt_str(x, "key", kv.key, sizeof(kv.key));
		opt_str(x, "value", kv.value, sizeof(kv.value));
		kv.skipped = opt_bool(x, "skipped");
		if ((rc = result_add_sysctl(run, &kv)))
			return rc;
	}

	if ((rc = get(j, o, "rules", json_type_array, &a)))
		return rc;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		struct res_rule rl;
		struct json_object *im;

		memset(&rl, 0, sizeof(rl));
		x = json_object_array_get_idx(a, i);
		opt_str(x, "mechanism", rl.mechanism, sizeof(rl.mechanism));
		if (json_object_object_get_ex(x, "impair", &im) &&
		    json_object_is_type(im, json_type_object)) {
			struct json_object *iv;

			rl.impaired = 1;
#define IMP_GET(k, f)                                                   \
	if (json_object_object_get_ex(im, k, &iv) &&                    \
	    json_object_is_type(iv, json_type_int))                     \
		rl.f = (__typeof__(rl.f))json_object_get_int64(iv)
			IMP_GET("packets", packets);
			IMP_GET("lost", lost);
			IMP_GET("duplicated", duplicated);
			IMP_GET("reordered", reordered);
			IMP_GET("seed", seed);
#undef IMP_GET
		}
		opt_str(x, "node", rl.node, sizeof(rl.node));
		opt_str(x, "desc", rl.desc, sizeof(rl.desc));
		opt_str(x, "nft", rl.nft, sizeof(rl.nft));
		opt_str(x, "iptables", rl.ipt, sizeof(rl.ipt));
		read_loc(x, &rl.loc, run->file);
		if ((rc = result_add_rule(run, &rl)))
			return rc;
	}

	if ((rc = get(j, o, "expectations", json_type_array, &a)))
		return rc;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		struct res_expect xp;
		struct json_object *h;

		memset(&xp, 0, sizeof(xp));
		x = json_object_array_get_idx(a, i);
		if ((rc = get_str(j, x, "text", xp.text, sizeof(xp.text))) ||
		    (rc = get(j, x, "held", json_type_boolean, &h)))
			return rc;
		xp.held = json_object_get_boolean(h);
		opt_str(x, "observed", xp.observed, sizeof(xp.observed));
		read_loc(x, &xp.loc, run->file);
		if (json_object_object_get_ex(x, "t_us", &h) &&
		    json_object_is_type(h, json_type_int))
			xp.t_ns = (uint64_t)((int64_t)JSON_T0_NS +
					     json_object_get_int64(h) *
						     (int64_t)NS_PER_US);
		xp.mark_node = -1;
		read_confirmed(run, x, &xp);
		if ((rc = result_add_expect(run, &xp)))
			return rc;
	}

	if ((rc = get(j, o, "counters", json_type_array, &a)))
		return rc;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		struct res_counter c;

		x = json_object_array_get_idx(a, i);
		opt_str(x, "node", c.node, sizeof(c.node));
		if ((rc = get_str(j, x, "name", c.name, sizeof(c.name))) ||
		    (rc = get_int(j, x, "delta", &c.delta)) ||
		    (rc = result_add_counter(run, &c)))
			return rc;
	}

	/* the connections a scenario named (none before they were recorded) */
	if (json_object_object_get_ex(o, "connections", &a) &&
	    json_object_is_type(a, json_type_array)) {
		n = json_object_array_length(a);
		for (i = 0; i < n; i++) {
			struct diag_addr local;
			char name[16], addr[80];

			x = json_object_array_get_idx(a, i);
			if ((rc = get_str(j, x, "name", name, sizeof(name))) ||
			    (rc = get_str(j, x, "local", addr, sizeof(addr))) ||
			    (rc = get_int(j, x, "peer_port", &v)))
				return rc;
			if (parse_addr(addr, &local) || v < 0 || v > 65535)
				return bad(j, "connections");
			if (timeline_conn_add(&run->tl, name, &local, (uint16_t)v))
				return bad(j, "connections");
		}
	}

	/* "records": absent in files written before the record directive */
	if (json_object_object_get_ex(o, "records", &a) &&
	    json_object_is_type(a, json_type_array)) {
		n = json_object_array_length(a);
		for (i = 0; i < n; i++) {
			struct res_record rec = { 0 };
			struct json_object *d;

			x = json_object_array_get_idx(a, i);
			opt_str(x, "node", rec.node, sizeof(rec.node));
			if ((rc = get_str(j, x, "kind", rec.kind, sizeof(rec.kind))) ||
			    (rc = get_str(j, x, "name", rec.name, sizeof(rec.name))))
				return rc;
			read_loc(x, &rec.loc, run->file);
			if (json_object_object_get_ex(x, "delta", &d) &&
			    json_object_is_type(d, json_type_int)) {
				rec.have = 1;
				rec.delta = json_object_get_int64(d);
			}
			if ((rc = result_add_record(run, &rec)))
				return rc;
		}
	}

	run->tl.t0 = JSON_T0_NS;
	if ((rc = get(j, o, "timeline", json_type_array, &a)))
		return rc;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++)
		if ((rc = read_event(j, run, json_object_array_get_idx(a, i))))
			return rc;

	if (json_object_object_get_ex(o, "pcaps", &a) &&
	    json_object_is_type(a, json_type_array)) {
		n = json_object_array_length(a);
		for (i = 0; i < n; i++) {
			x = json_object_array_get_idx(a, i);
			k = node_index(run, x, "node");
			if (k >= 0)
				opt_str(x, "path", run->pcap[k],
					sizeof(run->pcap[k]));
		}
	}
	if (!get_int(j, o, "packets_seen", &v))
		run->packets_seen = (uint64_t)v;
	if (!get_int(j, o, "packets_capped", &v))
		run->packets_capped = (uint64_t)v;
	run->slow = 1;
	if (json_object_object_get_ex(o, "slow", &x) &&
	    (json_object_is_type(x, json_type_double) ||
	     json_object_is_type(x, json_type_int)) &&
	    json_object_get_double(x) >= 1)
		run->slow = json_object_get_double(x);
	err_clear(j->e);
	return 0;
}

/**
 * fix_files() - point the places read back at their run's file, now that
 * the runs no longer move
 * @run:	the run
 */
static void fix_files(struct result *run)
{
	const char *own = json_own_file;
	size_t i;

	for (i = 0; i < run->nrules; i++)
		run->rules[i].loc.file = run->rules[i].loc.file == own ? run->file
								     : NULL;
	for (i = 0; i < run->nexpects; i++)
		run->expects[i].loc.file =
			run->expects[i].loc.file == own ? run->file : NULL;
	for (i = 0; i < run->nrecords; i++)
		run->records[i].loc.file =
			run->records[i].loc.file == own ? run->file : NULL;
	for (i = 0; i < run->tl.n; i++)
		run->tl.v[i].loc.file = run->tl.v[i].loc.file == own ? run->file
								     : NULL;
}

int json_read_observed(const char *path, struct results *out, struct err *e)
{
	struct jr j = { .path = path, .e = e };
	struct json_object *root, *runs;
	int64_t ver;
	size_t i, n;
	int rc;

	root = json_object_from_file(path);
	if (!root) {
		FILE *f = fopen(path, "r");

		if (!f)
			return err_set(e, -errno, "%s: %s", path,
				       strerror(errno));
		fclose(f);
		return err_set(e, -EBADMSG, "%s: not JSON: %s", path,
			       json_util_get_last_err() ?: "parse error");
	}
	rc = get_int(&j, root, "schema_version", &ver);
	if (rc)
		goto out;
	if (ver < 1 || ver > RESULTS_SCHEMA_VERSION) {
		rc = err_set(e, -EBADMSG,
			     "%s: schema_version %" PRId64 ", this tcplab reads up to %d",
			     path, ver, RESULTS_SCHEMA_VERSION);
		goto out;
	}
	opt_str(root, "tcplab", out->tcplab, sizeof(out->tcplab));
	opt_str(root, "kernel", out->kernel, sizeof(out->kernel));
	opt_str(root, "machine", out->machine, sizeof(out->machine));
	opt_str(root, "date", out->date, sizeof(out->date));
	rc = get(&j, root, "runs", json_type_array, &runs);
	if (rc)
		goto out;
	n = json_object_array_length(runs);
	for (i = 0; i < n; i++) {
		struct result *run = results_add(out);
		struct json_object *o = json_object_array_get_idx(runs, i);

		if (!run) {
			rc = err_set(e, -ENOMEM, "%s: out of memory", path);
			goto out;
		}
		snprintf(j.where, sizeof(j.where), "run %zu", i + 1);
		if (!json_object_is_type(o, json_type_object)) {
			rc = bad(&j, "runs");
			goto out;
		}
		rc = read_run(&j, run, o);
		if (rc == -ENOMEM)
			rc = err_set(e, rc, "%s: out of memory", path);
		if (rc)
			goto out;
	}
	for (i = 0; i < out->nruns; i++)
		fix_files(&out->runs[i]);
out:
	json_object_put(root);
	if (rc) {
		/* the places may still hold the marker: nothing to free there */
		results_free(out);
	}
	return rc;
}
