// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * junit.c - results as JUnit XML (see junit.h)
 *
 * Theory of operation: the totals go on the <testsuites> and <testsuite>
 * elements, so they are counted first; then each run is one <testcase>.
 * Every attribute value and text node is written through util_xml_esc(),
 * the escaper every XML and HTML writer shares.
 * The ladder for <system-out> is drawn by ladder_render() into a memory
 * stream and escaped from there, like any other text.
 */
#include "junit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "util.h"

/**
 * seconds() - a run's lab set-up, run and teardown, in seconds
 * @run:	the run
 *
 * Return: seconds
 */
static double seconds(const struct result *run)
{
	return (double)(run->setup_ns + run->run_ns + run->teardown_ns) / 1e9;
}

/**
 * claim() - an expectation's text without the leading "expect " of the
 * scenario line, to follow the word "expected"
 * @x:		the expectation
 *
 * Return: a pointer into its text
 */
static const char *claim(const struct res_expect *x)
{
	return strncmp(x->text, "expect ", 7) ? x->text : x->text + 7;
}

/**
 * first_failed() - the first expectation of @run that did not hold
 * @run:	the run
 *
 * Return: it, or NULL
 */
static const struct res_expect *first_failed(const struct result *run)
{
	size_t i;

	for (i = 0; i < run->nexpects; i++)
		if (!run->expects[i].held)
			return &run->expects[i];
	return NULL;
}

/**
 * loc_file() - the file of an expectation's place
 * @run:	its run
 * @x:		the expectation
 *
 * Return: the file name
 */
static const char *loc_file(const struct result *run,
			    const struct res_expect *x)
{
	return x->loc.file ? x->loc.file : run->file;
}

/**
 * failure_body() - the <failure> (or <skipped type="xfail">) element's body:
 * every failed expectation, then the run's reason
 * @f:		where to
 * @run:	the run
 */
static void failure_body(FILE *f, const struct result *run)
{
	size_t i;

	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];
		char line[1024];

		if (x->held)
			continue;
		snprintf(line, sizeof(line), "%s:%d: expected %s\nobserved: %s\n",
			 loc_file(run, x), x->loc.line, claim(x),
			 x->observed[0] ? x->observed : "(nothing)");
		util_xml_esc(f, line);
	}
	if (run->reason[0]) {
		util_xml_esc(f, run->reason);
		fputc('\n', f);
	}
}

/**
 * message() - the failure message: "expected TEXT; observed OBSERVED", or
 * the run's reason when no expectation failed
 * @run:	the run
 * @buf:	output
 * @len:	its size
 *
 * Return: @buf
 */
static const char *message(const struct result *run, char *buf, size_t len)
{
	const struct res_expect *x = first_failed(run);

	if (x)
		snprintf(buf, len, "expected %s; observed %s", claim(x),
			 x->observed[0] ? x->observed : "nothing");
	else
		snprintf(buf, len, "%s", run->reason[0] ? run->reason : "failed");
	return buf;
}

/**
 * failure() - a failed run's element: its message and the expectations
 * @f:		where to
 * @tag:	"failure", or "skipped" for an expected failure
 * @type:	"expectation" or "xfail"
 * @run:	the run
 */
static void failure(FILE *f, const char *tag, const char *type,
		    const struct result *run)
{
	char msg[1024];

	fprintf(f, "      <%s type=\"%s\" message=\"", tag, type);
	util_xml_esc(f, message(run, msg, sizeof(msg)));
	fputs("\">", f);
	failure_body(f, run);
	fprintf(f, "</%s>\n", tag);
}

/**
 * system_out() - the expectations and the ladder, as text
 * @f:		where to
 * @run:	the run
 *
 * Return: 0 or -ENOMEM
 */
static int system_out(FILE *f, const struct result *run)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);
	int rc;

	if (!m)
		return -ENOMEM;
	fprintf(m, "%s (IPv%d, %s): %s\n", run->name, run->family,
		run->firewall, res_verdict_name(run->verdict));
	for (i = 0; i < run->nexpects; i++) {
		const struct res_expect *x = &run->expects[i];

		fprintf(m, "  %-4s %s:%d: %s\n", x->held ? "ok" : "FAIL",
			loc_file(run, x), x->loc.line, x->text);
		if (x->observed[0])
			fprintf(m, "       observed: %s\n", x->observed);
	}
	rc = 0;
	if (run->nnodes >= 2) {
		int pairs[RESULT_MAX_LADDERS][2], p, np, l, r;

		/* a star: one ladder per host, each with the last node */
		np = result_ladders(run, pairs);
		for (p = 0; p < np && !rc; p++) {
			l = pairs[p][0];
			r = pairs[p][1];
			fputc('\n', m);
			rc = ladder_render(m, run->nodes[l], run->nodes[r],
					   &run->tl, l, r, 0);
		}
	}
	if (fclose(m) || rc) {
		free(text);
		return rc ? rc : -ENOMEM;
	}
	fputs("      <system-out>", f);
	util_xml_esc(f, text);
	fputs("</system-out>\n", f);
	free(text);
	return 0;
}

/**
 * testcase() - one run
 * @f:		where to
 * @run:	the run
 *
 * Return: 0 or -ENOMEM
 */
static int testcase(FILE *f, const struct result *run)
{
	char name[128];

	fputs("    <testcase classname=\"tcplab.", f);
	util_xml_esc(f, run->name);
	snprintf(name, sizeof(name), "%s IPv%d %s", run->name, run->family,
		 run->firewall);
	fputs("\" name=\"", f);
	util_xml_esc(f, name);
	fprintf(f, "\" time=\"%.6f\"", seconds(run));
	if (run->file[0]) {
		fputs(" file=\"", f);
		util_xml_esc(f, run->file);
		fputc('"', f);
	}
	fputs(">\n", f);
	switch (run->verdict) {
	case RES_PASS:
	case RES_XPASS:
		break;
	case RES_FAIL:
		failure(f, "failure", "expectation", run);
		break;
	case RES_XFAIL:
		failure(f, "skipped", "xfail", run);
		break;
	case RES_SKIP:
		fputs("      <skipped message=\"", f);
		util_xml_esc(f, run->reason);
		fputs("\"/>\n", f);
		break;
	case RES_ERROR:
	default:
		fputs("      <error message=\"", f);
		util_xml_esc(f, run->reason[0] ? run->reason : "could not run");
		fputs("\"/>\n", f);
		break;
	}
	if (system_out(f, run))
		return -ENOMEM;
	fputs("    </testcase>\n", f);
	return 0;
}

int junit_write(FILE *f, const struct results *r)
{
	size_t i, fail = 0, err = 0, skip = 0;
	double total = 0;
	int rc;

	for (i = 0; i < r->nruns; i++) {
		const struct result *run = &r->runs[i];

		fail += run->verdict == RES_FAIL;
		err += run->verdict == RES_ERROR;
		skip += run->verdict == RES_SKIP || run->verdict == RES_XFAIL;
		total += seconds(run);
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"tcplab\" tests=\"%zu\" failures=\"%zu\" "
		   "errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
		r->nruns, fail, err, skip, total);
	fprintf(f, "  <testsuite name=\"tcplab\" tests=\"%zu\" failures=\"%zu\" "
		   "errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\" timestamp=\"",
		r->nruns, fail, err, skip, total);
	util_xml_esc(f, r->date);
	fputs("\">\n    <properties>\n", f);
	fputs("      <property name=\"kernel\" value=\"", f);
	util_xml_esc(f, r->kernel);
	fputs("\"/>\n      <property name=\"machine\" value=\"", f);
	util_xml_esc(f, r->machine);
	fputs("\"/>\n      <property name=\"tcplab\" value=\"", f);
	util_xml_esc(f, r->tcplab);
	fputs("\"/>\n    </properties>\n", f);
	for (i = 0; i < r->nruns; i++) {
		rc = testcase(f, &r->runs[i]);
		if (rc)
			return rc;
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (fflush(f) || ferror(f))
		return -EIO;
	return 0;
}
