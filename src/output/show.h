/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * show.h - a scenario, explained to a person (pure)
 *
 * show_scenario() prints what a scenario is about and what it will do to
 * the lab before anything is built: its name and title, what it teaches,
 * the sysctls it sets, and each firewall rule with its file:line in the
 * syntaxes a person would type (nft, iptables, ip6tables), so that the
 * seeds' hand-made labs and tcplab's can be compared line by line.
 */
#ifndef TCPLAB_SHOW_H
#define TCPLAB_SHOW_H

#include <stdio.h>

#include "scenario.h"

/* Text is wrapped to this many columns (commands are never wrapped) */
#define SHOW_COLUMNS 76

/* show_scenario() - print @sc to @f; 0, or -EIO if writing failed */
int show_scenario(FILE *f, const struct scenario *sc) WUR;

/*
 * show_wrap() - print @text word-wrapped to SHOW_COLUMNS, each line
 * starting with @indent spaces; a word longer than a line gets a line of
 * its own.  Runs of blanks and line breaks fold into one space.
 */
void show_wrap(FILE *f, const char *text, int indent);

#endif
