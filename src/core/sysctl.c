// SPDX-License-Identifier: GPL-2.0-or-later
/* sysctl.c - the allow-list of per-namespace sysctl keys (see sysctl.h) */
#include "sysctl.h"

#include <string.h>

#include "util.h"

int sysctl_allowed(const char *key)
{
	static const char *const prefixes[] = { "net.ipv4.", "net.ipv6.",
						"net.netfilter.", "net.unix." };
	static const char *const exact[] = { "net.core.somaxconn" };
	size_t i;

	if (!key || strstr(key, "..") || strchr(key, '/'))
		return 0;
	for (i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcmp(key, exact[i]))
			return 1;
	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(key, prefixes[i], strlen(prefixes[i])) &&
		    key[strlen(prefixes[i])])
			return 1;
	return 0;
}
