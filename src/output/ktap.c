// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktap.c - results as KTAP (see ktap.h)
 *
 * Theory of operation: a single pass over the runs.  A test's name is
 * built from the run's identity and made unique by counting the runs
 * before it with the same identity; every free text that goes on a result
 * or diagnostic line goes through one_line(), which turns line breaks into
 * blanks so that a parser never mistakes the rest of a reason for a line
 * of its own.
 */
#include "ktap.h"

#include <errno.h>
#include <string.h>

/**
 * one_line() - write @s with every line break as a blank
 * @f:		where to
 * @s:		text
 */
static void one_line(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/**
 * test_name() - "syn-sent.ipv4.nftables", with ".2" for the second run of
 * the same identity
 * @r:		results
 * @i:		run index
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *test_name(const struct results *r, size_t i, char *buf,
			     size_t len)
{
	const struct result *run = &r->runs[i];
	size_t k, same = 0;

	for (k = 0; k < i; k++)
		same += !strcmp(r->runs[k].name, run->name) &&
			r->runs[k].family == run->family &&
			!strcmp(r->runs[k].firewall, run->firewall);
	if (same)
		snprintf(buf, len, "%s.ipv%d.%s.%zu", run->name, run->family,
			 run->firewall, same + 1);
	else
		snprintf(buf, len, "%s.ipv%d.%s", run->name, run->family,
			 run->firewall);
	/* a blank or '#' would end the name early */
	for (k = 0; buf[k]; k++)
		if (buf[k] == ' ' || buf[k] == '#')
			buf[k] = '_';
	return buf;
}

/**
 * diagnostics() - "#" lines for each failed expectation of @run
 * @f:		where to
 * @run:	the run
 * @name:	its test name
 */
static void diagnostics(FILE *f, const struct result *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];

		if (x->held)
			continue;
		fprintf(f, "# %s: %s:%d: ", name,
			x->loc.file ? x->loc.file : run->file, x->loc.line);
		one_line(f, x->text);
		fputc('\n', f);
		if (x->observed[0]) {
			fputs("#   observed: ", f);
			one_line(f, x->observed);
			fputc('\n', f);
		}
	}
}

int ktap_write(FILE *f, const struct results *r)
{
	size_t i, count[RES_ERROR + 1] = { 0 };

	fputs("KTAP version 1\n", f);
	fprintf(f, "# tcplab %s, Linux %s %s, %s\n", r->tcplab, r->kernel,
		r->machine, r->date);
	fprintf(f, "1..%zu\n", r->nruns);
	for (i = 0; i < r->nruns; i++) {
		const struct result *run = &r->runs[i];
		const char *reason = run->reason;
		char name[128];

		test_name(r, i, name, sizeof(name));
		switch (run->verdict) {
		case RES_PASS:
			fprintf(f, "ok %zu %s\n", i + 1, name);
			continue;
		case RES_FAIL:
			diagnostics(f, run, name);
			fprintf(f, "not ok %zu %s", i + 1, name);
			break;
		case RES_XFAIL:
			diagnostics(f, run, name);
			fprintf(f, "ok %zu %s # XFAIL", i + 1, name);
			break;
		case RES_XPASS:
			fprintf(f, "ok %zu %s # TODO", i + 1, name);
			if (!reason[0])
				reason = "expected to fail, but every expectation held";
			break;
		case RES_SKIP:
			fprintf(f, "ok %zu %s # SKIP", i + 1, name);
			break;
		case RES_ERROR:
		default:
			fprintf(f, "not ok %zu %s # ERROR", i + 1, name);
			break;
		}
		if (reason[0]) {
			fputs(run->verdict == RES_FAIL ? " # " : " ", f);
			one_line(f, reason);
		}
		fputc('\n', f);
	}
	for (i = 0; i < r->nruns; i++)
		if ((unsigned)r->runs[i].verdict <= RES_ERROR)
			count[r->runs[i].verdict]++;
	/* as kselftest closes its output */
	fprintf(f, "# Totals: pass:%zu fail:%zu xfail:%zu xpass:%zu skip:%zu error:%zu\n",
		count[RES_PASS], count[RES_FAIL], count[RES_XFAIL],
		count[RES_XPASS], count[RES_SKIP], count[RES_ERROR]);
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}
