// SPDX-License-Identifier: GPL-2.0-or-later
/* sockopt.c - the socket options a scenario may set (see sockopt.h) */
#include "sockopt.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif

static const struct sockopt_def defs[] = {
	{ "user-timeout", SOCKOPT_USER_TIMEOUT, IPPROTO_TCP, TCP_USER_TIMEOUT,
	  SOCKOPT_MS, 1, 3600 * 1000, "TCP_USER_TIMEOUT" },
	{ "rcvbuf", SOCKOPT_RCVBUF, SOL_SOCKET, SO_RCVBUF, SOCKOPT_BYTES,
	  1, 64 << 20, "SO_RCVBUF" },
	{ "sndbuf", SOCKOPT_SNDBUF, SOL_SOCKET, SO_SNDBUF, SOCKOPT_BYTES,
	  1, 64 << 20, "SO_SNDBUF" },
	{ "nodelay", SOCKOPT_NODELAY, IPPROTO_TCP, TCP_NODELAY, SOCKOPT_BOOL,
	  0, 1, "TCP_NODELAY" },
	{ "linger", SOCKOPT_LINGER, SOL_SOCKET, SO_LINGER, SOCKOPT_SECONDS,
	  0, 3600, "SO_LINGER" },
	{ "defer-accept", SOCKOPT_DEFER_ACCEPT, IPPROTO_TCP, TCP_DEFER_ACCEPT,
	  SOCKOPT_SECONDS, 0, 3600, "TCP_DEFER_ACCEPT" },
	{ "fastopen", SOCKOPT_FASTOPEN, IPPROTO_TCP, TCP_FASTOPEN, SOCKOPT_COUNT,
	  0, 65535, "TCP_FASTOPEN" },
	{ "fastopen-connect", SOCKOPT_FASTOPEN_CONNECT, IPPROTO_TCP,
	  TCP_FASTOPEN_CONNECT, SOCKOPT_BOOL, 0, 1, "TCP_FASTOPEN_CONNECT" },
	{ "maxseg", SOCKOPT_MAXSEG, IPPROTO_TCP, TCP_MAXSEG, SOCKOPT_BYTES,
	  88, 65535, "TCP_MAXSEG" },
	{ "quickack", SOCKOPT_QUICKACK, IPPROTO_TCP, TCP_QUICKACK, SOCKOPT_BOOL,
	  0, 1, "TCP_QUICKACK" },
};

const struct sockopt_def *sockopt_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(defs); i++)
		if (!strcmp(defs[i].name, name))
			return &defs[i];
	return NULL;
}

const struct sockopt_def *sockopt_by_id(unsigned id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(defs); i++)
		if ((unsigned)defs[i].id == id)
			return &defs[i];
	return NULL;
}

const char *sockopt_names(char *buf, size_t len)
{
	size_t i, n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(defs) && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				      defs[i].name);
	return buf;
}

/* A duration in the option's unit: ms, or whole seconds */
static int parse_dur_value(const struct sockopt_def *d, const char *s,
			   int64_t *v, char *why, size_t len)
{
	uint64_t ns;

	if (util_parse_duration(s, &ns)) {
		snprintf(why, len, "a duration such as %s",
			 d->kind == SOCKOPT_MS ? "1500ms" : "2s");
		return -EINVAL;
	}
	if (d->kind == SOCKOPT_MS) {
		if (ns % NS_PER_MS) {
			snprintf(why, len, "whole milliseconds");
			return -EINVAL;
		}
		*v = (int64_t)(ns / NS_PER_MS);
	} else {
		if (ns % NS_PER_S) {
			snprintf(why, len, "whole seconds");
			return -EINVAL;
		}
		*v = (int64_t)(ns / NS_PER_S);
	}
	return 0;
}

int sockopt_parse_value(const struct sockopt_def *d, const char *s,
			int32_t *v, char *why, size_t len)
{
	int64_t x = 0;
	char *end;

	switch (d->kind) {
	case SOCKOPT_MS:
	case SOCKOPT_SECONDS:
		if (parse_dur_value(d, s, &x, why, len))
			return -EINVAL;
		break;
	case SOCKOPT_BOOL:
		if (!strcmp(s, "on"))
			x = 1;
		else if (!strcmp(s, "off"))
			x = 0;
		else {
			snprintf(why, len, "on or off");
			return -EINVAL;
		}
		break;
	case SOCKOPT_BYTES:
	case SOCKOPT_COUNT:
		if (*s < '0' || *s > '9') {
			snprintf(why, len, "a number");
			return -EINVAL;
		}
		errno = 0;
		x = strtoll(s, &end, 10);
		if (errno || *end) {
			snprintf(why, len, "a number");
			return -EINVAL;
		}
		break;
	}
	if (x < d->min || x > d->max) {
		snprintf(why, len, "%lld..%lld%s", (long long)d->min,
			 (long long)d->max,
			 d->kind == SOCKOPT_MS ? " ms" :
			 d->kind == SOCKOPT_SECONDS ? " s" :
			 d->kind == SOCKOPT_BYTES ? " bytes" : "");
		return -EINVAL;
	}
	*v = (int32_t)x;
	return 0;
}

socklen_t sockopt_encode(const struct sockopt_set *o, int *level, int *optname,
			 void *buf)
{
	const struct sockopt_def *d = sockopt_by_id(o->id);

	if (!d)
		return 0;
	*level = d->level;
	*optname = d->optname;
	if (d->id == SOCKOPT_LINGER) {
		struct linger lg = { .l_onoff = 1, .l_linger = o->value };

		memcpy(buf, &lg, sizeof(lg));
		return sizeof(lg);
	}
	{
		int v = o->value;

		memcpy(buf, &v, sizeof(v));
		return sizeof(v);
	}
}

const char *sockopt_format(const struct sockopt_set *o, char *buf, size_t len)
{
	const struct sockopt_def *d = sockopt_by_id(o->id);

	if (!d) {
		snprintf(buf, len, "?");
		return buf;
	}
	switch (d->kind) {
	case SOCKOPT_MS:
		snprintf(buf, len, "%s=%dms", d->name, o->value);
		break;
	case SOCKOPT_SECONDS:
		snprintf(buf, len, "%s=%ds", d->name, o->value);
		break;
	case SOCKOPT_BOOL:
		snprintf(buf, len, "%s=%s", d->name, o->value ? "on" : "off");
		break;
	default:
		snprintf(buf, len, "%s=%d", d->name, o->value);
	}
	return buf;
}
