/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * catalogue.h - where scenarios are found: the shipped catalogue and files
 *
 * Theory of operation: a scenario argument with a '/' in it, or naming an
 * existing file, is a file; anything else is a NAME, looked up as NAME.tcp
 * in the catalogue directory.  The catalogue is $TCPLAB_SCENARIOS when set,
 * else the shipped directory: share/tcplab/scenarios of the prefix the
 * binary is installed in (found from the binary's own path; nothing of
 * the build machine is compiled in).  Listing it gives the *.tcp files sorted by
 * name, so every command walks the catalogue in the same order.
 */
#ifndef TCPLAB_CATALOGUE_H
#define TCPLAB_CATALOGUE_H

#include <stddef.h>

#include "err.h"

/* catalogue_dir() - the catalogue directory this process uses */
const char *catalogue_dir(void);

/* catalogue_shipped_dir() - where an installed tcplab keeps its scenarios */
const char *catalogue_shipped_dir(void);

/* catalogue_resolve() - the path of scenario argument @arg (NAME or FILE) */
void catalogue_resolve(const char *arg, char *path, size_t len);

/**
 * catalogue_names() - the *.tcp file names of @dir, sorted
 * @dir:   the directory
 * @names: filled with up to @max names, each malloc'ed (the caller frees)
 * @max:   room in @names
 * @e:     why the directory could not be read
 *
 * Return: how many names, or -errno.
 */
int catalogue_names(const char *dir, char **names, int max, struct err *e) WUR;

#endif
