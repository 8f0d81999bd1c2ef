// SPDX-License-Identifier: GPL-2.0-or-later
/* counters.c - SNMP counters of a namespace (see counters.h) */
#include "counters.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "util.h"

static int counters_add(struct counters *c, const char *group,
			const char *name, int64_t v)
{
	struct counter *k;

	if (util_grow((void **)&c->v, &c->cap, c->n, sizeof(*c->v), 256))
		return -ENOMEM;
	k = &c->v[c->n++];
	snprintf(k->name, sizeof(k->name), "%s%s", group, name);
	k->value = v;
	return 0;
}

/* /proc/net/snmp6 has one "Name value" pair per line */
static int counters_parse_pairs(const char *text, struct counters *c)
{
	const char *line = text;

	while (*line) {
		char name[64];
		long long v;
		int r;

		if (sscanf(line, "%63s %lld", name, &v) == 2) {
			r = counters_add(c, "", name, v);
			if (r)
				return r;
		}
		line = strchr(line, '\n');
		if (!line)
			break;
		line++;
	}
	return 0;
}

int counters_parse(const char *text, struct counters *c)
{
	const char *line = text;
	const char *nl = strchr(text, '\n');

	if (nl && !memchr(text, ':', (size_t)(nl - text)))
		return counters_parse_pairs(text, c);

	while (line && *line) {
		const char *nl1 = strchr(line, '\n'), *vals, *nl2;
		char hdr[8192], val[8192], group[32];
		char *hs = NULL, *vs = NULL, *h, *v, *colon;
		size_t hl;

		if (!nl1)
			break;
		vals = nl1 + 1;
		nl2 = strchr(vals, '\n');
		if (!nl2)
			nl2 = vals + strlen(vals);
		hl = (size_t)(nl1 - line);
		if (hl >= sizeof(hdr) || (size_t)(nl2 - vals) >= sizeof(val))
			return -EBADMSG;
		memcpy(hdr, line, hl);
		hdr[hl] = '\0';
		memcpy(val, vals, (size_t)(nl2 - vals));
		val[nl2 - vals] = '\0';
		colon = strchr(hdr, ':');
		if (!colon || strncmp(hdr, val, (size_t)(colon - hdr + 1)))
			return -EBADMSG;
		*colon = '\0';
		snprintf(group, sizeof(group), "%.31s", hdr);
		h = strtok_r(colon + 1, " ", &hs);
		v = strtok_r(val + (colon - hdr) + 1, " ", &vs);
		while (h && v) {
			int r = counters_add(c, group, h, strtoll(v, NULL, 10));

			if (r)
				return r;
			h = strtok_r(NULL, " ", &hs);
			v = strtok_r(NULL, " ", &vs);
		}
		if (h || v)
			return -EBADMSG;
		line = *nl2 ? nl2 + 1 : nl2;
	}
	return 0;
}

int counters_open(int nsfd, int fd[COUNTERS_NFILES])
{
	static const char *const files[COUNTERS_NFILES] = {
		"/proc/thread-self/net/snmp", "/proc/thread-self/net/netstat",
		"/proc/thread-self/net/snmp6" };
	int saved, i, r;

	r = netns_enter(nsfd, &saved);
	if (r)
		return r;
	for (i = 0; i < COUNTERS_NFILES && !r; i++) {
		fd[i] = open(files[i], O_RDONLY | O_CLOEXEC);
		/* snmp6 is absent where IPv6 is (ipv6.disable=1) */
		if (fd[i] < 0 && (errno != ENOENT || i != COUNTERS_NFILES - 1))
			r = -errno;
	}
	netns_leave(saved);
	if (r)
		counters_close(fd);
	return r;
}

void counters_close(int fd[COUNTERS_NFILES])
{
	int i;

	for (i = 0; i < COUNTERS_NFILES; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		fd[i] = -1;
	}
}

/* the whole text of /proc/net file @fd, made anew: it is read from its
 * start in one go (the kernel writes it whole into the reader's buffer) */
static int counters_text(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n < 0)
		return -errno;
	if ((size_t)n == len - 1)
		return -EMSGSIZE;
	buf[n] = '\0';
	return 0;
}

int counters_read(const int fd[COUNTERS_NFILES], struct counters *c)
{
	char *buf;
	int i, r = 0;

	buf = malloc(65536);
	if (!buf)
		return -ENOMEM;
	counters_clear(c);
	for (i = 0; i < COUNTERS_NFILES && !r; i++) {
		if (fd[i] < 0)
			continue; /* a file this kernel lacks (counters_open()) */
		r = counters_text(fd[i], buf, 65536);
		if (!r)
			r = counters_parse(buf, c);
	}
	free(buf);
	return r < 0 ? r : 0;
}

int counters_get(const struct counters *c, const char *name, int64_t *value)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].name, name)) {
			*value = c->v[i].value;
			return 0;
		}
	return -ENOENT;
}

void counters_clear(struct counters *c)
{
	c->n = 0;
}

void counters_free(struct counters *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}
