// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * catalogue.c - where scenarios are found (see catalogue.h)
 *
 * Theory of operation: the lookup is a few stat() calls and one directory
 * listing, done by the command before any lab exists; nothing is cached.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalogue.h"

const char *catalogue_shipped_dir(void)
{
	return TCPLAB_SCENARIO_DIR_INSTALLED;
}

const char *catalogue_dir(void)
{
	const char *env = getenv("TCPLAB_SCENARIOS");
	struct stat st;

	if (env && *env)
		return env;
	if (stat(TCPLAB_SCENARIO_DIR_SOURCE, &st) == 0 && S_ISDIR(st.st_mode))
		return TCPLAB_SCENARIO_DIR_SOURCE;
	return catalogue_shipped_dir();
}

void catalogue_resolve(const char *arg, char *path, size_t len)
{
	struct stat st;

	if (strchr(arg, '/') || (stat(arg, &st) == 0 && S_ISREG(st.st_mode)))
		snprintf(path, len, "%s", arg);
	else
		snprintf(path, len, "%s/%s.tcp", catalogue_dir(), arg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int catalogue_names(const char *dir, char **names, int max, struct err *e)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return err_set(e, -errno, "cannot open scenario directory %s: %s",
			       dir, strerror(errno));
	while ((d = readdir(dp)) && n < max) {
		size_t l = strlen(d->d_name);

		if (l > 4 && !strcmp(d->d_name + l - 4, ".tcp")) {
			names[n] = strdup(d->d_name);
			if (!names[n]) {
				closedir(dp);
				while (n)
					free(names[--n]);
				return err_set(e, -ENOMEM, "out of memory");
			}
			n++;
		}
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	return n;
}
