/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - the classroom report: HTML and Markdown (pure)
 *
 * Theory of operation: both writers take a whole struct results and write
 * one document to a FILE *; neither goes back to the kernel or to the
 * scenario files.  The document opens with an index - kernel release,
 * date, machine, the firewall backends and address families used - and a
 * coverage matrix of the eleven TCP states against the scenarios that
 * reached them, then has one section per run: title, what it teaches, the
 * firewall rules in nft and iptables syntax, the sysctls, a ladder
 * diagram, every expectation with its verdict and the socket table at the
 * moment it was decided (as `ss -tano` shows it), the counters that moved
 * and links to the captures.
 *
 * The HTML file is self-contained: no script, no external file, one
 * <style> block with a print stylesheet and a narrow-screen layout, and
 * the ladders as inline SVG with a time axis whose long silences are
 * compressed and marked (so that a 7 s retransmission schedule fits on a
 * page).  It is also well-formed XML (void elements closed, numeric
 * character references only), so that `xmllint --noout` can check it.  The Markdown file draws the ladders with ladder_render() in code
 * blocks.
 */
#ifndef TCPLAB_REPORT_H
#define TCPLAB_REPORT_H

#include <stdio.h>

#include "err.h"
#include "results.h"

/* report_html() - write @r as one HTML page to @f; 0, -ENOMEM or -EIO */
int report_html(FILE *f, const struct results *r) WUR;

/* report_md() - write @r as Markdown to @f; 0, -ENOMEM or -EIO */
int report_md(FILE *f, const struct results *r) WUR;

#endif
