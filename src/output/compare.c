// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compare.c - what differed between kernels, run by run (see compare.h)
 *
 * Theory of operation: compare_build() walks the union of the runs of all
 * kernels in order of first appearance; for each run and aspect it asks
 * every kernel for one line of text (one function per aspect, the same
 * extraction baseline.c uses), decides whether they agree, and keeps a row
 * when they do not.  Rows own their texts (strdup); the writers only read
 * them.  Nothing here knows about files or the kernel.
 */
#include "compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "baseline.h"
#include "util.h"

/* What one aspect's values are compared as */
enum agree { AGREE_TEXT, AGREE_SCHEDULE };

struct ctx {
	struct compare *c;
	const struct result *run[COMPARE_MAX_KERNELS]; /* NULL: not run */
	size_t ri;
	char id[96];
};

/**
 * schedules_agree() - "N at T1,T2" texts: same count, each time within the
 * tolerance of the first kernel's
 * @a:		one text
 * @b:		the other (the reference)
 * @slow:	the wider --slow factor
 *
 * Return: 1 if they agree
 */
static int schedules_agree(const char *a, const char *b, double slow)
{
	const char *pa = strstr(a, " at "), *pb = strstr(b, " at ");

	if (atoi(a) != atoi(b))
		return 0;
	if (!pa || !pb)
		return !strcmp(a, b);
	for (pa += 4, pb += 4; *pa && *pb;) {
		size_t la = strcspn(pa, ","), lb = strcspn(pb, ",");
		char ta[32], tb[32];
		uint64_t na, nb;

		snprintf(ta, sizeof(ta), "%.*s", (int)la, pa);
		snprintf(tb, sizeof(tb), "%.*s", (int)lb, pb);
		if (util_parse_duration(ta, &na) || util_parse_duration(tb, &nb))
			return !strcmp(a, b);
		if (!baseline_times_agree(na, nb, slow))
			return 0;
		pa += la + (pa[la] == ',');
		pb += lb + (pb[lb] == ',');
	}
	return 1;
}

/**
 * add_row() - keep a row when the kernels' @v do not all agree
 * @x:		context
 * @aspect:	what is compared
 * @drift:	is it behaviour (1) or a note (0)
 * @how:	how values are compared
 * @v:		one text per kernel (NULL: the kernel did not run it)
 *
 * Return: 0 or -ENOMEM
 */
static int add_row(struct ctx *x, const char *aspect, int drift, enum agree how,
		   char v[][512])
{
	struct compare *c = x->c;
	struct compare_row *row;
	double slow = 1;
	int k, ref = -1, same = 1;

	for (k = 0; k < c->nk; k++) {
		if (!x->run[k])
			continue;
		if (x->run[k]->slow > slow)
			slow = x->run[k]->slow;
	}
	for (k = 0; k < c->nk && same; k++) {
		if (!x->run[k])
			continue;
		if (ref < 0) {
			ref = k;
			continue;
		}
		same = how == AGREE_SCHEDULE ? schedules_agree(v[k], v[ref], slow)
					     : !strcmp(v[k], v[ref]);
	}
	if (same)
		return 0;
	if (c->nrows == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct compare_row *p = realloc(c->rows, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->rows = p;
		c->cap = cap;
	}
	row = &c->rows[c->nrows];
	memset(row, 0, sizeof(*row));
	snprintf(row->run, sizeof(row->run), "%s", x->id);
	snprintf(row->aspect, sizeof(row->aspect), "%s", aspect);
	row->run_index = x->ri;
	row->drift = drift;
	for (k = 0; k < c->nk; k++) {
		row->values[k] = strdup(x->run[k] ? v[k] : "(not run)");
		if (!row->values[k]) {
			while (k-- > 0)
				free(row->values[k]);
			return -ENOMEM;
		}
	}
	c->nrows++;
	if (drift)
		c->runs[x->ri].ndrift++;
	else
		c->runs[x->ri].nnotes++;
	return 0;
}

/**
 * states_text() - "SYN_SENT CLOSE" for a state mask, "none" when empty
 * @m:		1 << state bits
 * @buf:	output
 *
 * Return: @buf
 */
static char *states_text(uint32_t m, char *buf)
{
	size_t n = 0;
	int k;

	snprintf(buf, 512, "none");
	for (k = 1; k < DIAG_STATE_MAX && n < 512; k++)
		if (m & (1u << k))
			n += (size_t)snprintf(buf + n, 512 - n, "%s%s", n ? " " : "",
					      diag_state_name(k));
	return buf;
}

/**
 * whole_schedules_agree() - do the runs' whole retransmission schedules of
 * @node (what each run lasted long enough to see) agree?
 * @x:		context
 * @node:	node name
 *
 * Return: 1 if so
 */
static int whole_schedules_agree(struct ctx *x, const char *node)
{
	uint64_t t[BASELINE_MAX_RETRANS], r[BASELINE_MAX_RETRANS];
	double slow = 1;
	int k, nr = -1, n;

	for (k = 0; k < x->c->nk; k++)
		if (x->run[k] && x->run[k]->slow > slow)
			slow = x->run[k]->slow;
	for (k = 0; k < x->c->nk; k++) {
		if (!x->run[k] || x->run[k]->packets_capped)
			continue;
		n = baseline_retrans_seen(x->run[k], node, nr < 0 ? r : t,
					  x->run, x->c->nk);
		if (nr < 0)
			nr = n;
		else if (!baseline_schedules_agree(n, t, nr, r, slow))
			return 0;
	}
	return 1;
}

/**
 * node_rows() - the aspects of one node, as every kernel saw them
 * @x:		context
 * @node:	node name
 *
 * Return: 0 or -ENOMEM
 */
static int node_rows(struct ctx *x, const char *node)
{
	char v[COMPARE_MAX_KERNELS][512], aspect[128];
	char sh[BASELINE_MAX_SHAPES][BASELINE_SHAPE_LEN];
	uint64_t t[BASELINE_MAX_RETRANS];
	int k, rc, i, n, whole;

	for (k = 0; k < x->c->nk; k++)
		if (x->run[k])
			states_text(baseline_confirmed(x->run[k], node), v[k]);
	snprintf(aspect, sizeof(aspect), "%s states confirmed", node);
	if ((rc = add_row(x, aspect, 1, AGREE_TEXT, v)))
		return rc;
	/* the kernel's timers' retransmissions (200 ms on) are behaviour; the
	 * earlier ones, clocked by the round trip, a note (baseline.h); whole
	 * schedules that agree are one row (a probe at 199 ms and at 225 ms
	 * is the same probe) */
	whole = whole_schedules_agree(x, node);
	for (i = 0; i < 2; i++) {
		for (k = 0; k < x->c->nk; k++)
			if (x->run[k]) {
				if (x->run[k]->packets_capped) {
					snprintf(v[k], sizeof(v[k]), "(capture capped)");
				} else {
					/* what every run lasted long enough
					 * to see */
					int nr = baseline_retrans_seen(x->run[k], node, t,
								       x->run, x->c->nk);
					int ne = baseline_early(nr, t);

					if (whole)
						ne = 0;
					if (i == 0)
						baseline_schedule(nr - ne, t + ne, v[k],
								  sizeof(v[k]));
					else
						baseline_schedule(ne, t, v[k], sizeof(v[k]));
				}
			}
		snprintf(aspect, sizeof(aspect), "%s retransmissions%s", node,
			 i ? " before 200ms" : "");
		if ((rc = add_row(x, aspect, !i, AGREE_SCHEDULE, v)))
			return rc;
	}
	for (k = 0; k < x->c->nk; k++) {
		size_t off = 0;

		if (!x->run[k])
			continue;
		n = baseline_shapes(x->run[k], node, sh, BASELINE_MAX_SHAPES);
		snprintf(v[k], sizeof(v[k]), "none");
		for (i = 0; i < n && off < sizeof(v[k]); i++)
			off += (size_t)snprintf(v[k] + off, sizeof(v[k]) - off,
						"%s%s", i ? " | " : "", sh[i]);
	}
	snprintf(aspect, sizeof(aspect), "%s SYN shapes", node);
	if ((rc = add_row(x, aspect, 1, AGREE_TEXT, v)))
		return rc;
	for (k = 0; k < x->c->nk; k++)
		if (x->run[k])
			states_text(baseline_sampled(x->run[k], node), v[k]);
	snprintf(aspect, sizeof(aspect), "%s states sampled", node);
	return add_row(x, aspect, 0, AGREE_TEXT, v);
}

/**
 * recorded_anywhere() - does some kernel's run record (@node, @kind, @name)?
 * @x:		context
 * @node:	node name
 * @kind:	"counter" or "state"
 * @name:	its name
 *
 * Return: 1 if so
 */
static int recorded_anywhere(const struct ctx *x, const char *node,
			     const char *kind, const char *name)
{
	int k;

	for (k = 0; k < x->c->nk; k++)
		if (x->run[k] && baseline_record(x->run[k], node, kind, name))
			return 1;
	return 0;
}

/**
 * record_rows() - what the scenario's `record` lines name, per kernel:
 * behaviour, as in a baseline
 * @x:		context
 *
 * Return: 0 or -ENOMEM
 */
static int record_rows(struct ctx *x)
{
	char v[COMPARE_MAX_KERNELS][512], aspect[128];
	int k, j, rc;
	size_t i;

	for (k = 0; k < x->c->nk; k++) {
		for (i = 0; x->run[k] && i < x->run[k]->nrecords; i++) {
			const struct res_record *rec = &x->run[k]->records[i];
			int seen = 0;

			for (j = 0; j < k && !seen; j++)
				seen = x->run[j] && baseline_record(x->run[j], rec->node,
								    rec->kind, rec->name);
			if (seen)
				continue;
			for (j = 0; j < x->c->nk; j++)
				if (x->run[j])
					baseline_record_value(x->run[j], rec, v[j],
							      sizeof(v[j]));
			snprintf(aspect, sizeof(aspect), "%s %s %s (recorded)",
				 rec->node, rec->kind, rec->name);
			if ((rc = add_row(x, aspect, 1, AGREE_TEXT, v)))
				return rc;
		}
	}
	return 0;
}

/**
 * counter_rows() - every counter that moved on some kernel
 * @x:		context
 *
 * Return: 0 or -ENOMEM
 */
static int counter_rows(struct ctx *x)
{
	char v[COMPARE_MAX_KERNELS][512], aspect[128];
	int k, j, rc;
	size_t i, m;

	for (k = 0; k < x->c->nk; k++) {
		for (i = 0; x->run[k] && i < x->run[k]->ncounters; i++) {
			const struct res_counter *ct = &x->run[k]->counters[i];
			int seen = 0;

			/* once per (node, name): at its first kernel */
			for (j = 0; j < k && !seen; j++)
				for (m = 0; x->run[j] && m < x->run[j]->ncounters; m++)
					if (!strcmp(x->run[j]->counters[m].node, ct->node) &&
					    !strcmp(x->run[j]->counters[m].name, ct->name))
						seen = 1;
			if (seen || recorded_anywhere(x, ct->node, "counter", ct->name))
				continue;
			for (j = 0; j < x->c->nk; j++) {
				if (!x->run[j])
					continue;
				snprintf(v[j], sizeof(v[j]), "+0");
				for (m = 0; m < x->run[j]->ncounters; m++)
					if (!strcmp(x->run[j]->counters[m].node, ct->node) &&
					    !strcmp(x->run[j]->counters[m].name, ct->name))
						snprintf(v[j], sizeof(v[j]), "%+lld",
							 (long long)x->run[j]->counters[m].delta);
			}
			snprintf(aspect, sizeof(aspect), "%s counter %s", ct->node,
				 ct->name);
			if ((rc = add_row(x, aspect, 0, AGREE_TEXT, v)))
				return rc;
		}
	}
	return 0;
}

/**
 * expect_rows() - each expectation's verdict (and errors) per kernel
 * @x:		context
 *
 * Return: 0 or -ENOMEM
 */
static int expect_rows(struct ctx *x)
{
	char v[COMPARE_MAX_KERNELS][512], aspect[128];
	int k, j, rc;
	size_t i;

	for (k = 0; k < x->c->nk; k++) {
		for (i = 0; x->run[k] && i < x->run[k]->nexpects; i++) {
			const struct res_expect *e = &x->run[k]->expects[i];
			int nth = baseline_ordinal(x->run[k], e), seen = 0;

			for (j = 0; j < k && !seen; j++)
				seen = x->run[j] &&
				       baseline_nth_expect(x->run[j], e->text, nth);
			if (seen)
				continue;
			for (j = 0; j < x->c->nk; j++) {
				const struct res_expect *y;

				if (!x->run[j])
					continue;
				y = baseline_nth_expect(x->run[j], e->text, nth);
				if (y)
					baseline_expect_verdict(y, v[j], sizeof(v[j]));
				else
					snprintf(v[j], sizeof(v[j]), "(not reached)");
			}
			snprintf(aspect, sizeof(aspect), "'%.120s'", e->text);
			if ((rc = add_row(x, aspect, 1, AGREE_TEXT, v)))
				return rc;
		}
	}
	return 0;
}

/**
 * run_rows() - every row of one run
 * @x:		context, run[] filled
 *
 * Return: 0 or -ENOMEM
 */
static int run_rows(struct ctx *x)
{
	char v[COMPARE_MAX_KERNELS][512];
	int k, i, j, rc;

	for (k = 0; k < x->c->nk; k++)
		if (x->run[k])
			snprintf(v[k], sizeof(v[k]), "%s",
				 res_verdict_name(x->run[k]->verdict));
	if ((rc = add_row(x, "verdict", 1, AGREE_TEXT, v)))
		return rc;
	/* a run skipped on a kernel did nothing there to compare: only its
	 * verdict (and reason) says so */
	for (k = 0; k < x->c->nk; k++)
		if (x->run[k] && x->run[k]->verdict == RES_SKIP)
			x->run[k] = NULL;
	if ((rc = expect_rows(x)))
		return rc;
	for (k = 0; k < x->c->nk; k++) {
		if (!x->run[k])
			continue;
		for (i = 0; i < x->run[k]->nnodes && i < 4; i++) {
			const char *node = x->run[k]->nodes[i];
			int seen = 0;

			for (j = 0; j < k && !seen; j++)
				seen = x->run[j] && result_node_index(x->run[j], node) >= 0;
			if (!seen && (rc = node_rows(x, node)))
				return rc;
		}
	}
	if ((rc = record_rows(x)))
		return rc;
	return counter_rows(x);
}

/**
 * add_run() - the run @src into the list of runs, unless it is there
 * @c:		comparison
 * @src:	a run
 *
 * Return: 0 or -ENOMEM
 */
static int add_run(struct compare *c, const struct result *src)
{
	struct compare_run *p;
	size_t i;

	for (i = 0; i < c->nruns; i++)
		if (!strcmp(c->runs[i].name, src->name) &&
		    c->runs[i].family == src->family &&
		    !strcmp(c->runs[i].firewall, src->firewall))
			return 0;
	p = realloc(c->runs, (c->nruns + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->runs = p;
	p = &c->runs[c->nruns++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", src->name);
	p->family = src->family;
	snprintf(p->firewall, sizeof(p->firewall), "%s", src->firewall);
	return 0;
}

int compare_build(struct compare *c, const struct results *r,
		  const char *const *labels, int nk, struct err *e)
{
	struct ctx x = { .c = c };
	size_t i;
	int k, rc;

	memset(c, 0, sizeof(*c));
	if (nk < 2 || nk > COMPARE_MAX_KERNELS)
		return err_set(e, -EINVAL, "compare takes 2 to %d results, not %d",
			       COMPARE_MAX_KERNELS, nk);
	c->nk = nk;
	for (k = 0; k < nk; k++) {
		snprintf(c->label[k], sizeof(c->label[k]), "%s", labels[k]);
		for (i = 0; i < r[k].nruns; i++)
			if ((rc = add_run(c, &r[k].runs[i])))
				goto oom;
	}
	for (i = 0; i < c->nruns; i++) {
		struct compare_run *cr = &c->runs[i];

		x.ri = i;
		snprintf(x.id, sizeof(x.id), "%s IPv%d %s", cr->name, cr->family,
			 cr->firewall);
		for (k = 0; k < nk; k++) {
			x.run[k] = results_find(&r[k], cr->name, cr->family, cr->firewall);
			cr->verdict[k] = x.run[k] ? (int)x.run[k]->verdict : -1;
		}
		if ((rc = run_rows(&x)))
			goto oom;
	}
	return 0;
oom:
	compare_free(c);
	return err_set(e, rc, "out of memory");
}

void compare_free(struct compare *c)
{
	size_t i;
	int k;

	for (i = 0; i < c->nrows; i++)
		for (k = 0; k < c->nk; k++)
			free(c->rows[i].values[k]);
	free(c->rows);
	free(c->runs);
	memset(c, 0, sizeof(*c));
}

size_t compare_drift(const struct compare *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nrows; i++)
		n += c->rows[i].drift != 0;
	return n;
}

int compare_rows_same(const struct compare *c, const struct compare_row *a,
		      const struct compare_row *b)
{
	int k;

	if (strcmp(a->aspect, b->aspect) || a->drift != b->drift)
		return 0;
	for (k = 0; k < c->nk; k++)
		if (strcmp(a->values[k], b->values[k]))
			return 0;
	return 1;
}

void compare_text(FILE *f, const struct compare *c, int notes)
{
	size_t i, j, same = 0, nd = 0;
	int k;

	for (k = 0; k < c->nk; k++)
		fprintf(f, "%c = %s\n", 'A' + k, c->label[k]);
	/* one block per difference, with every run that shows it */
	for (i = 0; i < c->nrows; i++) {
		const struct compare_row *row = &c->rows[i];
		size_t n = 0;

		if (!row->drift && !notes)
			continue;
		for (j = 0; j < i && !compare_rows_same(c, &c->rows[j], row); j++)
			;
		if (j < i)
			continue; /* told with its first run */
		for (j = i; j < c->nrows; j++)
			n += compare_rows_same(c, &c->rows[j], row);
		fprintf(f, "\n%s%s, in %zu run%s:", row->aspect,
			row->drift ? "" : " (not drift)", n, n == 1 ? "" : "s");
		for (j = i; j < c->nrows; j++)
			if (compare_rows_same(c, &c->rows[j], row))
				fprintf(f, " %s%s", c->rows[j].run,
					--n ? "," : "");
		fputc('\n', f);
		for (k = 0; k < c->nk; k++)
			fprintf(f, "    %c: %s\n", 'A' + k, row->values[k]);
	}
	for (i = 0; i < c->nruns; i++) {
		same += !c->runs[i].ndrift;
		nd += c->runs[i].ndrift > 0;
	}
	fprintf(f, "\n%zu run%s differ%s in behaviour, %zu behave%s the same "
		"(%zu difference%s, %zu note%s)\n", nd, nd == 1 ? "" : "s",
		nd == 1 ? "s" : "", same, same == 1 ? "s" : "",
		compare_drift(c), compare_drift(c) == 1 ? "" : "s",
		c->nrows - compare_drift(c),
		c->nrows - compare_drift(c) == 1 ? "" : "s");
}

int compare_json(FILE *f, const struct compare *c)
{
	struct json_object *o = json_object_new_object(), *a, *x, *vs;
	size_t i;
	int k, oom = !o;

	a = json_object_new_array();
	for (k = 0; a && k < c->nk; k++)
		oom |= json_object_array_add(a, json_object_new_string(c->label[k]));
	oom |= !a || json_object_object_add(o, "kernels", a);
	a = json_object_new_array();
	for (i = 0; a && i < c->nrows; i++) {
		const struct compare_row *row = &c->rows[i];
		const struct compare_run *cr = &c->runs[row->run_index];

		x = json_object_new_object();
		vs = json_object_new_array();
		if (!x || !vs) {
			json_object_put(x);
			json_object_put(vs);
			oom = 1;
			break;
		}
		json_object_object_add(x, "name", json_object_new_string(cr->name));
		json_object_object_add(x, "family", json_object_new_int(cr->family));
		json_object_object_add(x, "firewall",
				       json_object_new_string(cr->firewall));
		json_object_object_add(x, "aspect",
				       json_object_new_string(row->aspect));
		json_object_object_add(x, "drift",
				       json_object_new_boolean(row->drift));
		for (k = 0; k < c->nk; k++)
			json_object_array_add(vs, json_object_new_string(row->values[k]));
		json_object_object_add(x, "values", vs);
		oom |= json_object_array_add(a, x);
	}
	oom |= !a || json_object_object_add(o, "differences", a);
	if (oom) {
		json_object_put(o);
		return -ENOMEM;
	}
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return ferror(f) ? -EIO : 0;
}
