// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * catalogue.c - where scenarios are found (see catalogue.h)
 *
 * Theory of operation: the lookup is a few stat() calls and one directory
 * listing, done by the command before any lab exists.  The shipped
 * directory is found from the running binary (/proc/self/exe) and the
 * relative path from the install's bin/ to its share/tcplab/scenarios, so
 * no absolute path is compiled in and an install can be moved whole.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalogue.h"

const char *catalogue_shipped_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX], joined[2 * PATH_MAX];
	ssize_t n;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(dir, sizeof(dir), "(unknown: /proc/self/exe: %s)",
			 strerror(errno));
		return dir;
	}
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';  /* a link target is absolute: a '/' is in it */
	snprintf(joined, sizeof(joined), "%s/%s", exe, TCPLAB_SCENARIO_DIR_FROM_BIN);
	if (!realpath(joined, dir))
		snprintf(dir, sizeof(dir), "%.4000s", joined);
	return dir;
}

const char *catalogue_dir(void)
{
	const char *env = getenv("TCPLAB_SCENARIOS");

	if (env && *env)
		return env;
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
		return err_set(e, -errno, "cannot open scenario directory %s: %s%s",
			       dir, strerror(errno),
			       getenv("TCPLAB_SCENARIOS") ? "" :
			       " (set TCPLAB_SCENARIOS to a scenario directory)");
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
